/*-------------------------------------------------------------------------
 *
 * ces.c
 *	  Customer Effort Score: answers to "[Company] made it easy for me to
 *	  handle my issue" on a 1..N agreement scale (1 = strongly disagree),
 *	  N = 7 by default and at most 10.
 *
 * ces is the mean answer.  Its aggregates over integers count into a
 * survey_summary (the answers fit its 0..10 histogram, and the mean, its
 * standard error and interval all come from the histogram).  ces_easy_pct
 * is the share of answers in the top three boxes, score >= N - 2 (5, 6 and
 * 7 on the 7-point scale); its aggregates count into a rate_summary.
 *
 * Standard error of the mean: s / sqrt(n), with s the sample standard
 * deviation (divisor n - 1); undefined (NULL) below two answers.  The
 * interval is mean -/+ z * stderr with z the normal quantile, kept inside
 * 1..N.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "csmetrics.h"
#include "rates.h"
#include "survey_summary.h"

#define CES_SCALE_MAX_DEFAULT	7
#define CES_SCALE_MAX_LIMIT		SURVEY_SCORE_MAX
#define CES_SCALE_MAX_MIN		2	/* for the mean */
#define CES_EASY_SCALE_MAX_MIN	4	/* top three boxes must not be all */
#define CES_EASY_BOXES			3

/* Check a scale maximum given by the caller */
static inline void
check_scale_max(int32 scale_max, int32 least)
{
	if (unlikely(scale_max < least || scale_max > CES_SCALE_MAX_LIMIT))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("effort scale maximum %d is out of range", scale_max),
				 errdetail("The scale maximum must be an integer from %d to %d.",
						   least, CES_SCALE_MAX_LIMIT)));
}

/* Check one answer against its scale 1..scale_max */
static inline int32
check_answer(int32 score, int32 scale_max)
{
	if (unlikely(score < 1 || score > scale_max))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("effort score %d is out of range", score),
				 errdetail("An effort score on this scale is an integer from 1 to %d.",
						   scale_max)));
	return score;
}

/* Does an answer fall in the top three boxes of its scale? */
static inline bool
is_easy(int32 score, int32 scale_max)
{
	return score > scale_max - CES_EASY_BOXES;
}

/* Transition of ces(integer): answers 1..7 */
PG_FUNCTION_INFO_V1(ces_add_int4);
Datum
ces_add_int4(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return survey_summary_count_answer(fcinfo,
									   check_answer(PG_GETARG_INT32(1), CES_SCALE_MAX_DEFAULT),
									   "ces_add_int4");
}

/* Inverse transition of ces(integer) */
PG_FUNCTION_INFO_V1(ces_remove_int4);
Datum
ces_remove_int4(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return survey_summary_forget_answer(fcinfo,
										check_answer(PG_GETARG_INT32(1), CES_SCALE_MAX_DEFAULT),
										"ces_remove_int4");
}

/*
 * Transition of ces(integer score, integer scale_max): answers 1..N.  A row
 * with either argument NULL is skipped.
 */
PG_FUNCTION_INFO_V1(ces_add_scaled);
Datum
ces_add_scaled(PG_FUNCTION_ARGS)
{
	int32		scale_max;

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);
	scale_max = PG_GETARG_INT32(2);
	check_scale_max(scale_max, CES_SCALE_MAX_MIN);
	return survey_summary_count_answer(fcinfo,
									   check_answer(PG_GETARG_INT32(1), scale_max),
									   "ces_add_scaled");
}

/* Inverse transition of ces(integer score, integer scale_max) */
PG_FUNCTION_INFO_V1(ces_remove_scaled);
Datum
ces_remove_scaled(PG_FUNCTION_ARGS)
{
	int32		scale_max;

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);
	scale_max = PG_GETARG_INT32(2);
	check_scale_max(scale_max, CES_SCALE_MAX_MIN);
	return survey_summary_forget_answer(fcinfo,
										check_answer(PG_GETARG_INT32(1), scale_max),
										"ces_remove_scaled");
}

/* Transition of ces_easy_pct(integer): answers 1..7, easy at 5..7 */
PG_FUNCTION_INFO_V1(ces_easy_add_int4);
Datum
ces_easy_add_int4(PG_FUNCTION_ARGS)
{
	int32		score;

	CSM_PASS_STATE_IF_INPUT_NULL();
	score = check_answer(PG_GETARG_INT32(1), CES_SCALE_MAX_DEFAULT);
	return rate_summary_count_outcome(fcinfo, is_easy(score, CES_SCALE_MAX_DEFAULT),
									  "ces_easy_add_int4");
}

/* Inverse transition of ces_easy_pct(integer) */
PG_FUNCTION_INFO_V1(ces_easy_remove_int4);
Datum
ces_easy_remove_int4(PG_FUNCTION_ARGS)
{
	int32		score;

	CSM_PASS_STATE_IF_INPUT_NULL();
	score = check_answer(PG_GETARG_INT32(1), CES_SCALE_MAX_DEFAULT);
	return rate_summary_forget_outcome(fcinfo, is_easy(score, CES_SCALE_MAX_DEFAULT),
									   "ces_easy_remove_int4");
}

/*
 * Transition of ces_easy_pct(integer score, integer scale_max): answers
 * 1..N, easy at N-2..N.  A row with either argument NULL is skipped.
 */
PG_FUNCTION_INFO_V1(ces_easy_add_scaled);
Datum
ces_easy_add_scaled(PG_FUNCTION_ARGS)
{
	int32		scale_max;
	int32		score;

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);
	scale_max = PG_GETARG_INT32(2);
	check_scale_max(scale_max, CES_EASY_SCALE_MAX_MIN);
	score = check_answer(PG_GETARG_INT32(1), scale_max);
	return rate_summary_count_outcome(fcinfo, is_easy(score, scale_max),
									  "ces_easy_add_scaled");
}

/* Inverse transition of ces_easy_pct(integer score, integer scale_max) */
PG_FUNCTION_INFO_V1(ces_easy_remove_scaled);
Datum
ces_easy_remove_scaled(PG_FUNCTION_ARGS)
{
	int32		scale_max;
	int32		score;

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);
	scale_max = PG_GETARG_INT32(2);
	check_scale_max(scale_max, CES_EASY_SCALE_MAX_MIN);
	score = check_answer(PG_GETARG_INT32(1), scale_max);
	return rate_summary_forget_outcome(fcinfo, is_easy(score, scale_max),
									   "ces_easy_remove_scaled");
}

/*
 * Check that every answer in a summary lies on the effort scale 1..scale_max
 * (a survey_summary can also hold 0, and answers up to 10); return the
 * number of answers.
 */
static int64
summary_effort_answers(const SurveySummary *summary, int32 scale_max)
{
	for (int i = 0; i < SURVEY_SCORE_COUNT; i++)
		if (survey_summary_count(summary, i) > 0 && (i < 1 || i > scale_max))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("survey_summary holds answers of %d, outside the effort scale 1 to %d",
							i, scale_max),
					 scale_max < CES_SCALE_MAX_LIMIT && i > scale_max ?
					 errhint("Give the scale maximum as an argument if the scale is longer.") : 0));
	return survey_summary_responses(summary);
}

/* Mean answer of a summary with n > 0 answers */
static double
summary_mean(const SurveySummary *summary, int64 n)
{
	double		sum = 0.0;

	for (int i = 1; i < SURVEY_SCORE_COUNT; i++)
		sum += (double) i * (double) survey_summary_count(summary, i);
	return sum / (double) n;
}

/* Standard error of the mean, s / sqrt(n), of a summary with n >= 2 */
static double
summary_stderr(const SurveySummary *summary, int64 n, double mean)
{
	double		ss = 0.0;

	for (int i = 0; i < SURVEY_SCORE_COUNT; i++)
		ss += (double) survey_summary_count(summary, i) * (i - mean) * (i - mean);
	return sqrt(ss / ((double) n - 1.0) / (double) n);
}

/*
 * ces(survey_summary): mean answer; also the final function of the ces
 * aggregates.  Answers of 0 are refused (they are not on an effort scale).
 */
PG_FUNCTION_INFO_V1(ces_survey_summary);
Datum
ces_survey_summary(PG_FUNCTION_ARGS)
{
	SurveySummary *summary = PG_GETARG_SURVEY_SUMMARY_P(0);
	int64		n = summary_effort_answers(summary, CES_SCALE_MAX_LIMIT);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(summary_mean(summary, n));
}

/* ces_easy_pct(survey_summary, scale_max integer): percent in top three boxes */
PG_FUNCTION_INFO_V1(ces_easy_pct_survey_summary);
Datum
ces_easy_pct_survey_summary(PG_FUNCTION_ARGS)
{
	SurveySummary *summary = PG_GETARG_SURVEY_SUMMARY_P(0);
	int32		scale_max = PG_GETARG_INT32(1);
	int64		n;

	check_scale_max(scale_max, CES_EASY_SCALE_MAX_MIN);
	n = summary_effort_answers(summary, scale_max);
	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 *
					 (double) survey_summary_count_range(summary,
														 scale_max - CES_EASY_BOXES + 1,
														 scale_max) / (double) n);
}

/* ces_stderr(survey_summary): standard error of the mean, NULL below 2 answers */
PG_FUNCTION_INFO_V1(ces_stderr_survey_summary);
Datum
ces_stderr_survey_summary(PG_FUNCTION_ARGS)
{
	SurveySummary *summary = PG_GETARG_SURVEY_SUMMARY_P(0);
	int64		n = summary_effort_answers(summary, CES_SCALE_MAX_LIMIT);

	if (n < 2)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(summary_stderr(summary, n, summary_mean(summary, n)));
}

/* One bound of the interval of the mean: sign -1 lower, +1 upper */
static Datum
ces_bound(FunctionCallInfo fcinfo, double sign)
{
	SurveySummary *summary = PG_GETARG_SURVEY_SUMMARY_P(0);
	double		z = csm_confidence_z(PG_GETARG_FLOAT8(1));
	int32		scale_max = PG_GETARG_INT32(2);
	int64		n;
	double		mean;
	double		bound;

	check_scale_max(scale_max, CES_SCALE_MAX_MIN);
	n = summary_effort_answers(summary, scale_max);
	if (n < 2)
		PG_RETURN_NULL();
	mean = summary_mean(summary, n);
	bound = mean + sign * z * summary_stderr(summary, n, mean);
	PG_RETURN_FLOAT8(Max(1.0, Min((double) scale_max, bound)));
}

/* ces_lower(survey_summary, confidence float8, scale_max integer) */
PG_FUNCTION_INFO_V1(ces_lower_survey_summary);
Datum
ces_lower_survey_summary(PG_FUNCTION_ARGS)
{
	return ces_bound(fcinfo, -1.0);
}

/* ces_upper(survey_summary, confidence float8, scale_max integer) */
PG_FUNCTION_INFO_V1(ces_upper_survey_summary);
Datum
ces_upper_survey_summary(PG_FUNCTION_ARGS)
{
	return ces_bound(fcinfo, 1.0);
}
