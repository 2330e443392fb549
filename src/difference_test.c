/*-------------------------------------------------------------------------
 *
 * difference_test.c
 *	  Two-sample z tests: did a Net Promoter Score or a rate really differ
 *	  between two groups (two quarters, two regions, two support teams)?
 *
 * Each returns one row (difference, std_error, z, p_value): the difference
 * a - b in points, its standard error in points, z = difference /
 * std_error, and the two-sided p-value P(|Z| >= |z|) under the normal
 * approximation.
 *
 * NPS: with p and d the shares of promoters and detractors of a group of n
 * answers, Var(NPS / 100) = (p + d - (p - d)^2) / n (Rocks 2016), and the
 * two groups are independent, so SE = 100 sqrt(Var_a + Var_b).
 *
 * Rates: the unpooled (Wald) difference of two proportions,
 * SE = 100 sqrt(p_a (1 - p_a) / n_a + p_b (1 - p_b) / n_b).
 *
 * When either group is empty every column is NULL.  When the standard
 * error is 0 (neither group shows any variation: every answer in each
 * group the same class) z and p_value are NULL, because the normal
 * approximation says nothing there; difference and std_error are still
 * returned.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"

#include "csmetrics.h"
#include "rates.h"
#include "survey.h"

/* Build the result row; has_values false gives a row of NULLs */
static Datum
test_result(FunctionCallInfo fcinfo, bool has_values, double difference,
			double std_error)
{
	TupleDesc	tupdesc;
	Datum		values[4] = {0};
	bool		nulls[4] = {true, true, true, true};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	if (has_values)
	{
		values[0] = Float8GetDatum(difference);
		values[1] = Float8GetDatum(std_error);
		nulls[0] = nulls[1] = false;
		if (std_error > 0.0)
		{
			double		z = difference / std_error;

			values[2] = Float8GetDatum(z);
			values[3] = Float8GetDatum(csm_two_sided_p(z));
			nulls[2] = nulls[3] = false;
		}
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* nps_difference_test(a survey_summary, b survey_summary) */
PG_FUNCTION_INFO_V1(nps_difference_test);
Datum
nps_difference_test(PG_FUNCTION_ARGS)
{
	NpsCounts	a,
				b;

	/* the unadjusted counts and variance of nps() and nps_stderr() (nps.c) */
	if (!nps_counts(PG_GETARG_SURVEY_SUMMARY_P(0), false, &a) ||
		!nps_counts(PG_GETARG_SURVEY_SUMMARY_P(1), false, &b))
		return test_result(fcinfo, false, 0.0, 0.0);
	return test_result(fcinfo, true, nps_points(&a) - nps_points(&b),
					   100.0 * sqrt(nps_variance(&a) + nps_variance(&b)));
}

/* Rate in percent and its variance in points squared; false if empty */
static bool
rate_and_variance(const RateSummary *summary, double *rate, double *variance)
{
	double		n = (double) summary->trials;
	double		p;

	if (summary->trials == 0)
		return false;
	p = (double) summary->successes / n;
	*rate = 100.0 * p;
	*variance = 10000.0 * p * (1.0 - p) / n;
	return true;
}

/* rate_difference_test(a rate_summary, b rate_summary) */
PG_FUNCTION_INFO_V1(rate_difference_test);
Datum
rate_difference_test(PG_FUNCTION_ARGS)
{
	double		rate_a,
				var_a,
				rate_b,
				var_b;

	if (!rate_and_variance(PG_GETARG_RATE_SUMMARY_P(0), &rate_a, &var_a) ||
		!rate_and_variance(PG_GETARG_RATE_SUMMARY_P(1), &rate_b, &var_b))
		return test_result(fcinfo, false, 0.0, 0.0);
	return test_result(fcinfo, true, rate_a - rate_b, sqrt(var_a + var_b));
}
