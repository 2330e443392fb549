/*-------------------------------------------------------------------------
 *
 * csat.c
 *	  Customer satisfaction (CSAT): the share of answers at or above a
 *	  "satisfied" threshold, in percent.
 *
 * The mainstream convention is top-two-box: on the usual 1-5 scale
 * ("very unsatisfied" .. "very satisfied") the answers 4 and 5 count as
 * satisfied.  Other scales take the threshold explicitly.  The aggregates
 * over integers count into a rate_summary (so csat shares its code with the
 * other rate aggregates and its Wilson interval); csat on a survey_summary
 * reads the histogram of answers 0..10.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "csmetrics.h"
#include "rates.h"
#include "survey_summary.h"

#define CSAT_SCALE_MIN			1
#define CSAT_SCALE_MAX			5
#define CSAT_SATISFIED_FROM		4

/* An answer on the default 1-5 scale: is it satisfied (4 or 5)? */
static inline bool
csat5_satisfied(int32 score)
{
	if (unlikely(score < CSAT_SCALE_MIN || score > CSAT_SCALE_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("CSAT score %d is out of range", score),
				 errdetail("A CSAT score on the default scale is an integer from %d to %d.",
						   CSAT_SCALE_MIN, CSAT_SCALE_MAX),
				 errhint("For other scales, give the satisfied threshold as a second argument, as in csat(score, 8).")));
	return score >= CSAT_SATISFIED_FROM;
}

/*
 * An answer on a caller's scale with its threshold: is it satisfied?
 * Scores are non-negative; the threshold is at least 1 (a threshold of 0
 * would count every answer as satisfied).
 */
static inline bool
csat_satisfied(int32 score, int32 satisfied_from)
{
	if (unlikely(satisfied_from < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("satisfied threshold %d is out of range", satisfied_from),
				 errdetail("The threshold must be at least 1.")));
	if (unlikely(score < 0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("CSAT score %d is out of range", score),
				 errdetail("A CSAT score cannot be negative.")));
	return score >= satisfied_from;
}

/* Transition of csat(integer): 1..5, satisfied at 4 and 5 */
PG_FUNCTION_INFO_V1(csat_add_int4);
Datum
csat_add_int4(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return rate_summary_count_outcome(fcinfo, csat5_satisfied(PG_GETARG_INT32(1)),
									  "csat_add_int4");
}

/* Inverse transition of csat(integer) */
PG_FUNCTION_INFO_V1(csat_remove_int4);
Datum
csat_remove_int4(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return rate_summary_forget_outcome(fcinfo, csat5_satisfied(PG_GETARG_INT32(1)),
									   "csat_remove_int4");
}

/*
 * Transition of csat(integer score, integer satisfied_from).  A row with
 * either argument NULL is skipped, as a strict transition would skip it.
 */
PG_FUNCTION_INFO_V1(csat_add_threshold);
Datum
csat_add_threshold(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);
	return rate_summary_count_outcome(fcinfo,
									  csat_satisfied(PG_GETARG_INT32(1), PG_GETARG_INT32(2)),
									  "csat_add_threshold");
}

/* Inverse transition of csat(integer score, integer satisfied_from) */
PG_FUNCTION_INFO_V1(csat_remove_threshold);
Datum
csat_remove_threshold(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);
	return rate_summary_forget_outcome(fcinfo,
									   csat_satisfied(PG_GETARG_INT32(1), PG_GETARG_INT32(2)),
									   "csat_remove_threshold");
}

/*
 * Satisfied answers and all answers of a survey_summary, for a threshold
 * that must lie on its 1..10 part of the scale.
 */
static void
summary_csat_counts(const SurveySummary *summary, int32 satisfied_from,
					int64 *satisfied, int64 *responses)
{
	if (satisfied_from < 1 || satisfied_from > SURVEY_SCORE_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("satisfied threshold %d is out of range", satisfied_from),
				 errdetail("On a survey_summary the threshold is an integer from 1 to %d.",
						   SURVEY_SCORE_MAX)));
	*satisfied = survey_summary_count_range(summary, satisfied_from, SURVEY_SCORE_MAX);
	*responses = survey_summary_responses(summary);
}

/* csat(survey_summary, satisfied_from integer): percent satisfied */
PG_FUNCTION_INFO_V1(csat_survey_summary);
Datum
csat_survey_summary(PG_FUNCTION_ARGS)
{
	int64		satisfied;
	int64		responses;

	summary_csat_counts(PG_GETARG_SURVEY_SUMMARY_P(0), PG_GETARG_INT32(1),
						&satisfied, &responses);
	if (responses == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * (double) satisfied / (double) responses);
}

/*
 * csat_summary(survey_summary, satisfied_from integer): the satisfied
 * answers out of all answers as a rate_summary, for rate_lower, rate_upper
 * and rate_difference_test.
 */
PG_FUNCTION_INFO_V1(csat_summary_survey_summary);
Datum
csat_summary_survey_summary(PG_FUNCTION_ARGS)
{
	int64		satisfied;
	int64		responses;

	summary_csat_counts(PG_GETARG_SURVEY_SUMMARY_P(0), PG_GETARG_INT32(1),
						&satisfied, &responses);
	PG_RETURN_POINTER(rate_summary_from_counts(satisfied, responses));
}
