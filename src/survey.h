/*-------------------------------------------------------------------------
 *
 * survey.h
 *	  The survey_score type and the survey_summary histogram it feeds.
 *
 * survey_score is one answer on the 0-10 scale, stored in one byte and
 * passed by value.  survey_summary counts the answers at each score; it is
 * the state type of every survey aggregate (nps, survey_agg, rollup, and
 * the CSAT and effort-score families), so the one-step and two-step
 * aggregates share the same transition and combine code.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_SURVEY_H
#define CSMETRICS_SURVEY_H

#include "postgres.h"

#include "fmgr.h"

#include "csmetrics.h"

#define SURVEY_SCORE_MIN	0
#define SURVEY_SCORE_MAX	10
#define SURVEY_SCORE_COUNT	(SURVEY_SCORE_MAX + 1)

/* NPS classes: detractors 0-6, passives 7-8, promoters 9-10 */
#define NPS_PASSIVE_FROM	7
#define NPS_PROMOTER_FROM	9

typedef uint8 SurveyScore;

#define DatumGetSurveyScore(X)		((SurveyScore) DatumGetUInt8(X))
#define SurveyScoreGetDatum(X)		UInt8GetDatum(X)
#define PG_GETARG_SURVEY_SCORE(n)	DatumGetSurveyScore(PG_GETARG_DATUM(n))
#define PG_RETURN_SURVEY_SCORE(x)	return SurveyScoreGetDatum(x)

/*
 * Check that an integer is a valid score and return it as one; the single
 * place where the range is enforced for casts and integer aggregates.
 */
static inline SurveyScore
survey_score_from_int64_checked(int64 value)
{
	if (unlikely(value < SURVEY_SCORE_MIN || value > SURVEY_SCORE_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("survey score %lld is out of range", (long long) value),
				 errdetail("A survey score is an integer from %d to %d.",
						   SURVEY_SCORE_MIN, SURVEY_SCORE_MAX)));
	return (SurveyScore) value;
}

/*
 * On-disk and in-memory layout of survey_summary (a varlena of fixed size,
 * stored plain so that reading it never needs a detoasting copy).
 *
 * pg_upgrade copies stored values byte for byte, so this layout is forever;
 * version and flags leave room to change it in a later release.
 */
typedef struct SurveySummary
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* SURVEY_SUMMARY_VERSION */
	uint8		flags;			/* no flags are defined yet: always 0 */
	uint16		unused;			/* reserved, always 0 */
	int64		counts[SURVEY_SCORE_COUNT]; /* answers at each score 0..10 */
} SurveySummary;

#define SURVEY_SUMMARY_VERSION	1

#define DatumGetSurveySummaryP(X)	survey_summary_check((SurveySummary *) PG_DETOAST_DATUM(X))
#define PG_GETARG_SURVEY_SUMMARY_P(n) DatumGetSurveySummaryP(PG_GETARG_DATUM(n))

extern SurveySummary *survey_summary_new(void);
extern SurveySummary *survey_summary_check(SurveySummary *summary);
extern int64 survey_summary_responses(const SurveySummary *summary);
extern int64 survey_summary_count_range(const SurveySummary *summary,
										int from, int to);

/*
 * Transition work shared by every aggregate whose state is a survey_summary
 * (survey_summary.c, ces.c), inline because it runs once per row.
 *
 * The state of a transition call is the summary from the previous call, or
 * a new one in the aggregate context on the first non-NULL input.  The
 * state is always one these functions allocated, so it is used without
 * detoasting.
 */
static inline SurveySummary *
survey_summary_transition_state(FunctionCallInfo fcinfo, const char *funcname)
{
	MemoryContext aggcontext = csm_aggregate_context(fcinfo, funcname);

	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcontext);
		SurveySummary *summary = survey_summary_new();

		MemoryContextSwitchTo(old);
		return summary;
	}
	return (SurveySummary *) PG_GETARG_POINTER(0);
}

/* Count one answer at index score (0..10); the caller has checked the range */
static inline Datum
survey_summary_count_answer(FunctionCallInfo fcinfo, int score, const char *funcname)
{
	SurveySummary *summary = survey_summary_transition_state(fcinfo, funcname);

	if (unlikely(summary->counts[score] == PG_INT64_MAX))
		(void) csm_count_add(summary->counts[score], 1);
	summary->counts[score]++;
	PG_RETURN_POINTER(summary);
}

/* Forget one answer (moving-aggregate inverse transition) */
static inline Datum
survey_summary_forget_answer(FunctionCallInfo fcinfo, int score, const char *funcname)
{
	SurveySummary *summary;

	(void) csm_aggregate_context(fcinfo, funcname);
	if (PG_ARGISNULL(0))
		elog(ERROR, "%s called with no state", funcname);
	summary = (SurveySummary *) PG_GETARG_POINTER(0);
	summary->counts[score] = csm_count_sub(summary->counts[score], 1);
	PG_RETURN_POINTER(summary);
}

/*
 * What an NPS calculation needs from a summary (nps.c): the number of
 * answers and of promoters and detractors, as doubles because the
 * adjusted-Wald variant adds fractions of an answer.
 */
typedef struct NpsCounts
{
	double		n;
	double		promoters;
	double		detractors;
} NpsCounts;

/* Read the counts (adjusted: plus 3/4 promoter and detractor, n + 3); false without answers */
extern bool nps_counts(const SurveySummary *summary, bool adjusted, NpsCounts *c);

/* The score in points, -100..100 */
extern double nps_points(const NpsCounts *c);

/* The sampling variance of NPS / 100: (p + d - (p - d)^2) / n, never negative */
extern double nps_variance(const NpsCounts *c);

#endif							/* CSMETRICS_SURVEY_H */
