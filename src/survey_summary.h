/*-------------------------------------------------------------------------
 *
 * survey_summary.h
 *	  Layout of survey_summary, the histogram of survey answers at each
 *	  score 0..10, and the per-row count and forget of its transition
 *	  functions.
 *
 * survey_summary is the state type of every survey aggregate (nps,
 * survey_agg, rollup, and the effort-score family), so the one-step and
 * two-step aggregates share the same transition and combine code
 * (survey_summary.c); nps.c, csat.c and ces.c read it.
 *
 * On disk and in memory it is a varlena stored plain, so that reading it
 * never needs a detoasting copy.  The counts come in two widths.  A summary
 * starts narrow, eleven int32 counts in 52 bytes, and becomes wide, eleven
 * int64 counts in 96 bytes, only when a count outgrows int32.  The narrow
 * form is what makes GROUP BY fast: a hash aggregate keeps one state per
 * group, and a state that fits a 64-byte allocation instead of a 128-byte
 * one nearly halves the memory the groups' states spread over (measured in
 * doc/performance.md).  Both forms are valid everywhere; the input
 * functions produce the narrow one whenever the counts fit.  The text and
 * binary forms do not depend on the width.
 *
 * pg_upgrade copies stored values byte for byte, so this layout is forever;
 * version and the unused flag bits leave room to change it later.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_SURVEY_SUMMARY_H
#define CSMETRICS_SURVEY_SUMMARY_H

#include "postgres.h"

#include "fmgr.h"

#include "csmetrics.h"
#include "survey_score.h"

typedef struct SurveySummary
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* SURVEY_SUMMARY_VERSION */
	uint8		flags;			/* SURVEY_SUMMARY_WIDE or 0 */
	uint16		unused;			/* reserved, always 0 */
	union
	{
		int32		narrow[SURVEY_SCORE_COUNT];
		int64		wide[SURVEY_SCORE_COUNT];
	}			counts;			/* answers at each score 0..10 */
} SurveySummary;

#define SURVEY_SUMMARY_VERSION	1
#define SURVEY_SUMMARY_WIDE		0x01

#define SURVEY_SUMMARY_NARROW_SIZE \
	(offsetof(SurveySummary, counts) + SURVEY_SCORE_COUNT * sizeof(int32))
#define SURVEY_SUMMARY_WIDE_SIZE \
	(offsetof(SurveySummary, counts) + SURVEY_SCORE_COUNT * sizeof(int64))

#define DatumGetSurveySummaryP(X)	survey_summary_check((SurveySummary *) PG_DETOAST_DATUM(X))
#define PG_GETARG_SURVEY_SUMMARY_P(n) DatumGetSurveySummaryP(PG_GETARG_DATUM(n))

/* Constructors and validation (survey_summary.c) */
extern SurveySummary *survey_summary_new(void);
extern SurveySummary *survey_summary_from_counts(const int64 *counts);
extern SurveySummary *survey_summary_check(SurveySummary *summary);
extern SurveySummary *survey_summary_store(SurveySummary *summary,
										   const int64 *counts);

/* Accessors */
extern int64 survey_summary_responses(const SurveySummary *summary);
extern int64 survey_summary_count_range(const SurveySummary *summary,
										int from, int to);

/* The count of answers at one score, whatever the width */
static inline int64
survey_summary_count(const SurveySummary *summary, int score)
{
	if (summary->flags & SURVEY_SUMMARY_WIDE)
		return summary->counts.wide[score];
	return summary->counts.narrow[score];
}

/*
 * Transition work shared by every aggregate whose state is a survey_summary
 * (survey_summary.c, ces.c), inline because it runs once per row.
 *
 * The state of a transition call is the summary from the previous call, or
 * a new one on the first non-NULL input when the aggregate has no INITCOND.
 * The state is always one these functions allocated (or the executor's copy
 * of INITCOND), so it is updated in place without detoasting.  The common
 * case, a narrow count inside an aggregate, calls nothing; the rest is out
 * of line.
 */

/* Out of line: a new state, a call outside an aggregate, a full narrow count */
extern Datum survey_summary_count_answer_slow(FunctionCallInfo fcinfo, int score,
											  const char *funcname);

/* Count one answer at index score (0..10); the caller has checked the range */
static inline Datum
survey_summary_count_answer(FunctionCallInfo fcinfo, int score, const char *funcname)
{
	if (likely(!PG_ARGISNULL(0) && csm_in_aggregate(fcinfo)))
	{
		SurveySummary *summary = (SurveySummary *) PG_GETARG_POINTER(0);

		if (likely(!(summary->flags & SURVEY_SUMMARY_WIDE) &&
				   summary->counts.narrow[score] < PG_INT32_MAX))
		{
			summary->counts.narrow[score]++;
			PG_RETURN_POINTER(summary);
		}
	}
	return survey_summary_count_answer_slow(fcinfo, score, funcname);
}

/* Forget one answer (moving-aggregate inverse transition) */
static inline Datum
survey_summary_forget_answer(FunctionCallInfo fcinfo, int score, const char *funcname)
{
	SurveySummary *summary;

	csm_check_aggregate_call(fcinfo, funcname);
	if (PG_ARGISNULL(0))
		csm_no_state_error(fcinfo, funcname);
	summary = (SurveySummary *) PG_GETARG_POINTER(0);
	/* a count only shrinks here, so the summary keeps its width */
	if (summary->flags & SURVEY_SUMMARY_WIDE)
		summary->counts.wide[score] = csm_count_sub(summary->counts.wide[score], 1);
	else
		summary->counts.narrow[score] = (int32) csm_count_sub(summary->counts.narrow[score], 1);
	PG_RETURN_POINTER(summary);
}

#endif							/* CSMETRICS_SURVEY_SUMMARY_H */
