/*-------------------------------------------------------------------------
 *
 * survival.h
 *	  The stored layout of survival_summary (survival.c), for the files that
 *	  read summaries without building them: the log-rank test
 *	  (survival_test.c).
 *
 * The layout, text and binary forms and the Kaplan-Meier maths are
 * described at the top of survival.c.  Readers take a summary through
 * DatumGetSurvivalSummaryP, which detoasts and validates it: the entries
 * are then sorted by strictly increasing tenure, no entry is empty, and the
 * counts of all entries add up to at most PG_INT64_MAX.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_SURVIVAL_H
#define CSMETRICS_SURVIVAL_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/memutils.h"

/* One distinct tenure of the flat form */
typedef struct SurvivalEntry
{
	float8		tenure;
	int64		events;			/* customers who churned at this tenure */
	int64		censored;		/* customers still active at this tenure */
} SurvivalEntry;

/*
 * The flat form.  pg_upgrade copies stored values byte for byte, so this
 * layout is forever; version and flags leave room to change it.
 */
typedef struct SurvivalSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* SURVIVAL_SUMMARY_VERSION */
	uint8		flags;			/* no flags are defined yet: always 0 */
	uint16		unused;			/* reserved, always 0 */
	int32		count;			/* number of entries */
	int32		unused2;		/* reserved, always 0 (aligns the entries) */
	SurvivalEntry entries[FLEXIBLE_ARRAY_MEMBER];
} SurvivalSummary;

#define SURVIVAL_SUMMARY_VERSION	1
#define SURVIVAL_HEADER_SIZE		offsetof(SurvivalSummary, entries)
#define SURVIVAL_SIZE(n)			(SURVIVAL_HEADER_SIZE + (Size) (n) * sizeof(SurvivalEntry))
/* the most entries a value can hold (a varlena is at most 1 GB) */
#define SURVIVAL_MAX_ENTRIES \
	((int32) ((MaxAllocSize - SURVIVAL_HEADER_SIZE) / sizeof(SurvivalEntry)))

/* Validate a summary that reached a function as an argument (22P03) */
extern SurvivalSummary *survival_summary_check(SurvivalSummary *summary);

#define DatumGetSurvivalSummaryP(X) survival_summary_check((SurvivalSummary *) PG_DETOAST_DATUM(X))
#define PG_GETARG_SURVIVAL_SUMMARY_P(n) DatumGetSurvivalSummaryP(PG_GETARG_DATUM(n))

#endif							/* CSMETRICS_SURVIVAL_H */
