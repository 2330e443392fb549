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
 * On-disk and in-memory layout of survey_summary (a varlena stored plain,
 * so that reading it never needs a detoasting copy).
 *
 * The counts come in two widths.  A summary starts narrow, eleven int32
 * counts in 52 bytes, and becomes wide, eleven int64 counts in 96 bytes,
 * only when a count outgrows int32.  The narrow form is what makes
 * GROUP BY fast: a hash aggregate keeps one state per group, and a state
 * that fits a 64-byte allocation instead of a 128-byte one nearly halves
 * the memory the groups' states spread over (measured in doc/performance.md).
 * Both forms are valid everywhere; the input functions produce the narrow
 * one whenever the counts fit.  The text and binary forms do not depend on
 * the width.
 *
 * pg_upgrade copies stored values byte for byte, so this layout is forever;
 * version and the unused flag bits leave room to change it later.
 */
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

extern SurveySummary *survey_summary_new(void);
extern SurveySummary *survey_summary_from_counts(const int64 *counts);
extern SurveySummary *survey_summary_check(SurveySummary *summary);
extern SurveySummary *survey_summary_store(SurveySummary *summary,
										   const int64 *counts);
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
 * a new one on the first non-NULL input.  The
 * state is always one these functions allocated (or the executor's copy of
 * INITCOND), so it is updated in place without detoasting.
 */
static inline SurveySummary *
survey_summary_transition_state(FunctionCallInfo fcinfo, const char *funcname)
{
	(void) csm_aggregate_context(fcinfo, funcname);
	if (PG_ARGISNULL(0))
		return survey_summary_new();	/* copied by the executor */
	return (SurveySummary *) PG_GETARG_POINTER(0);
}

/* Out of line: widens the state when a narrow count is full */
extern Datum survey_summary_count_answer_slow(FunctionCallInfo fcinfo,
											  SurveySummary *summary, int score);

/* Count one answer at index score (0..10); the caller has checked the range */
static inline Datum
survey_summary_count_answer(FunctionCallInfo fcinfo, int score, const char *funcname)
{
	SurveySummary *summary = survey_summary_transition_state(fcinfo, funcname);

	if (likely(!(summary->flags & SURVEY_SUMMARY_WIDE) &&
			   summary->counts.narrow[score] < PG_INT32_MAX))
	{
		summary->counts.narrow[score]++;
		PG_RETURN_POINTER(summary);
	}
	return survey_summary_count_answer_slow(fcinfo, summary, score);
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
	/* a count only shrinks here, so the summary keeps its width */
	if (summary->flags & SURVEY_SUMMARY_WIDE)
		summary->counts.wide[score] = csm_count_sub(summary->counts.wide[score], 1);
	else
		summary->counts.narrow[score] = (int32) csm_count_sub(summary->counts.narrow[score], 1);
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
