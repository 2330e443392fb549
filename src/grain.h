/*-------------------------------------------------------------------------
 *
 * grain.h
 *	  Calendar grains ('day', 'week', 'month', 'quarter', 'year') and the
 *	  period arithmetic on dates that the cohort functions (and anything
 *	  else that buckets dates into periods) share.
 *
 * A period is numbered by an int32 "period number" that increases by one
 * from each period to the next, so that the distance between two dates in
 * periods is a subtraction:
 *	  day		days since 2000-01-01 (PostgreSQL's own date value)
 *	  week		ISO weeks (Monday to Sunday) since the week of 2000-01-03
 *	  month		year * 12 + month - 1
 *	  quarter	year * 4 + (month - 1) / 3
 *	  year		the year
 * Period numbers are an in-memory device only; stored values and text
 * forms carry the first day of the period as a date.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_GRAIN_H
#define CSMETRICS_GRAIN_H

#include "postgres.h"

#include "common/hashfn.h"
#include "utils/date.h"

typedef enum CsmGrain
{
	CSM_GRAIN_INVALID = 0,
	CSM_GRAIN_DAY = 1,
	CSM_GRAIN_WEEK = 2,
	CSM_GRAIN_MONTH = 3,
	CSM_GRAIN_QUARTER = 4,
	CSM_GRAIN_YEAR = 5
} CsmGrain;

#define CSM_GRAIN_MAX CSM_GRAIN_YEAR

/*
 * Parse a grain name: exact lower-case or upper-case spelling (matched
 * case-insensitively, like date_trunc's field names), no surrounding white
 * space.  Returns CSM_GRAIN_INVALID for anything else.
 */
extern CsmGrain csm_grain_lookup(const char *name, size_t len);

/* As csm_grain_lookup, but raise 22023 for an unknown grain */
extern CsmGrain csm_grain_from_text(text *name);

/* The canonical (lower-case) name of a grain */
extern const char *csm_grain_name(CsmGrain grain);

/* Is this a valid grain code (as read from a stored value)? */
static inline bool
csm_grain_is_valid(int code)
{
	return code >= CSM_GRAIN_DAY && code <= CSM_GRAIN_MAX;
}

/*
 * Period number of the period containing a finite date.  The caller has
 * checked that the date is finite.
 */
extern int32 csm_date_period(DateADT date, CsmGrain grain);

/* First day of a period, as a date */
extern DateADT csm_period_start(int32 period, CsmGrain grain);

/*
 * Check that a date may start a cohort (finite, year 1 or later) and raise
 * 22008 otherwise; what names the date in the message.
 */
extern void csm_check_cohort_date(DateADT date, const char *what);

/*
 * Is this date a valid cohort date of the grain: finite, in the year 1 or
 * later, and the first day of its period?  (For reading stored values.)
 */
extern bool csm_is_period_start(DateADT date, CsmGrain grain);

/*
 * A cohort table cell, (cohort period number, periods since), packed into
 * one uint64 hash key by the cohort aggregates' in-memory hash tables.
 */
static inline uint64
csm_cell_key(int32 cohort, int32 period)
{
	return ((uint64) (uint32) cohort << 32) | (uint32) period;
}

static inline int32
csm_cell_cohort(uint64 key)
{
	return (int32) (uint32) (key >> 32);
}

static inline int32
csm_cell_period(uint64 key)
{
	return (int32) (uint32) key;
}

static inline uint32
csm_cell_key_hash(uint64 key)
{
	return hash_combine(murmurhash32((uint32) (key >> 32)),
						murmurhash32((uint32) key));
}

#endif							/* CSMETRICS_GRAIN_H */
