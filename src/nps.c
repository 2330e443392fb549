/*-------------------------------------------------------------------------
 *
 * nps.c
 *	  Net Promoter Score from a survey_summary: the score, the shares of
 *	  promoters and detractors, the standard error and confidence interval
 *	  of the score, and the two-sample test of a difference in NPS.
 *
 * NPS = (promoters - detractors) / responses * 100, in -100..100.
 *
 * Its sampling variance treats each answer as one draw from a trinomial
 * (promoter +1, passive 0, detractor -1), so with p and d the sample
 * shares of promoters and detractors,
 *
 *		Var(NPS / 100) = (p + d - (p - d)^2) / n		(Rocks 2016)
 *
 * and the interval is NPS +/- z * 100 * sqrt(Var).  This plain Wald
 * interval has zero width when every answer is a promoter (or every answer
 * a detractor), so the adjusted-Wald variant adds 3/4 of an answer to the
 * promoters and to the detractors (and 3/2 to the passives: n + 3 in all),
 * and centres the interval on the adjusted score.  Bounds are clamped to
 * -100..100.
 *
 * nps_difference_test(a, b) compares two independent groups with the
 * unadjusted counts: difference NPS_a - NPS_b and standard error
 * 100 sqrt(Var_a + Var_b), reported as described in stats.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "csmetrics.h"
#include "survey_summary.h"

/*
 * What an NPS calculation needs from a summary: the number of answers and
 * of promoters and detractors, as doubles because the adjusted-Wald variant
 * adds fractions of an answer.
 */
typedef struct NpsCounts
{
	double		n;
	double		promoters;
	double		detractors;
} NpsCounts;

/*
 * Read the counts (adjusted: plus 3/4 promoter and detractor, n + 3);
 * false when there are no answers
 */
static bool
nps_counts(const SurveySummary *summary, bool adjusted, NpsCounts *c)
{
	int64		n = survey_summary_responses(summary);

	if (n == 0)
		return false;
	c->n = (double) n;
	c->promoters = (double) survey_summary_count_range(summary, NPS_PROMOTER_FROM,
													   SURVEY_SCORE_MAX);
	c->detractors = (double) survey_summary_count_range(summary, SURVEY_SCORE_MIN,
														NPS_PASSIVE_FROM - 1);
	if (adjusted)
	{
		c->n += 3.0;
		c->promoters += 0.75;
		c->detractors += 0.75;
	}
	return true;
}

/* The score in points, -100..100 */
static double
nps_points(const NpsCounts *c)
{
	return 100.0 * (c->promoters - c->detractors) / c->n;
}

/*
 * The sampling variance of NPS / 100 (see the top of this file), never
 * negative
 */
static double
nps_variance(const NpsCounts *c)
{
	double		p = c->promoters / c->n;
	double		d = c->detractors / c->n;
	double		variance = (p + d - (p - d) * (p - d)) / c->n;

	/* rounding can leave a tiny negative where the exact value is 0 */
	return Max(variance, 0.0);
}

/* The standard error of the score, in points */
static inline double
nps_stderr_points(const NpsCounts *c)
{
	return 100.0 * sqrt(nps_variance(c));
}

/* nps(survey_summary); also the final function of the nps aggregates */
PG_FUNCTION_INFO_V1(survey_summary_nps);
Datum
survey_summary_nps(PG_FUNCTION_ARGS)
{
	NpsCounts	c;

	if (!nps_counts(PG_GETARG_SURVEY_SUMMARY_P(0), false, &c))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(nps_points(&c));
}

/* Share of answers from first..last, in percent, NULL without answers */
static Datum
share_pct(FunctionCallInfo fcinfo, int first, int last)
{
	SurveySummary *summary = PG_GETARG_SURVEY_SUMMARY_P(0);
	int64		n = survey_summary_responses(summary);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * (double) survey_summary_count_range(summary, first, last)
					 / (double) n);
}

/* promoter_pct(survey_summary) */
PG_FUNCTION_INFO_V1(survey_summary_promoter_pct);
Datum
survey_summary_promoter_pct(PG_FUNCTION_ARGS)
{
	return share_pct(fcinfo, NPS_PROMOTER_FROM, SURVEY_SCORE_MAX);
}

/* passive_pct(survey_summary) */
PG_FUNCTION_INFO_V1(survey_summary_passive_pct);
Datum
survey_summary_passive_pct(PG_FUNCTION_ARGS)
{
	return share_pct(fcinfo, NPS_PASSIVE_FROM, NPS_PROMOTER_FROM - 1);
}

/* detractor_pct(survey_summary) */
PG_FUNCTION_INFO_V1(survey_summary_detractor_pct);
Datum
survey_summary_detractor_pct(PG_FUNCTION_ARGS)
{
	return share_pct(fcinfo, SURVEY_SCORE_MIN, NPS_PASSIVE_FROM - 1);
}

/* nps_stderr(survey_summary, adjusted boolean) */
PG_FUNCTION_INFO_V1(survey_summary_nps_stderr);
Datum
survey_summary_nps_stderr(PG_FUNCTION_ARGS)
{
	NpsCounts	c;

	if (!nps_counts(PG_GETARG_SURVEY_SUMMARY_P(0), PG_GETARG_BOOL(1), &c))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(nps_stderr_points(&c));
}

/* One bound of the interval: sign -1 for the lower, +1 for the upper */
static Datum
nps_bound(FunctionCallInfo fcinfo, double sign)
{
	SurveySummary *summary = PG_GETARG_SURVEY_SUMMARY_P(0);
	double		z = csm_confidence_z(PG_GETARG_FLOAT8(1));
	NpsCounts	c;
	double		bound;

	if (!nps_counts(summary, PG_GETARG_BOOL(2), &c))
		PG_RETURN_NULL();
	bound = nps_points(&c) + sign * z * nps_stderr_points(&c);
	PG_RETURN_FLOAT8(Max(-100.0, Min(100.0, bound)));
}

/* nps_lower(survey_summary, confidence float8, adjusted boolean) */
PG_FUNCTION_INFO_V1(survey_summary_nps_lower);
Datum
survey_summary_nps_lower(PG_FUNCTION_ARGS)
{
	return nps_bound(fcinfo, -1.0);
}

/* nps_upper(survey_summary, confidence float8, adjusted boolean) */
PG_FUNCTION_INFO_V1(survey_summary_nps_upper);
Datum
survey_summary_nps_upper(PG_FUNCTION_ARGS)
{
	return nps_bound(fcinfo, 1.0);
}

/* nps_difference_test(a survey_summary, b survey_summary) */
PG_FUNCTION_INFO_V1(nps_difference_test);
Datum
nps_difference_test(PG_FUNCTION_ARGS)
{
	NpsCounts	a,
				b;

	/* the unadjusted counts and variance of nps() and nps_stderr() */
	if (!nps_counts(PG_GETARG_SURVEY_SUMMARY_P(0), false, &a) ||
		!nps_counts(PG_GETARG_SURVEY_SUMMARY_P(1), false, &b))
		return csm_z_test_result(fcinfo, true, 0.0, 0.0);
	return csm_z_test_result(fcinfo, false, nps_points(&a) - nps_points(&b),
							 100.0 * sqrt(nps_variance(&a) + nps_variance(&b)));
}
