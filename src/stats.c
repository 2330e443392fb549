/*-------------------------------------------------------------------------
 *
 * stats.c
 *	  The few pieces of statistics that the interval and test functions of
 *	  several metric families share: the standard normal quantile, the
 *	  validation of a confidence level, and the result row of a two-sample
 *	  z test.
 *
 * The difference tests (nps_difference_test in nps.c, rate_difference_test
 * in rate_summary.c) each return one row (difference, std_error, z,
 * p_value): the difference a - b in points, its standard error in points,
 * z = difference / std_error, and the two-sided p-value P(|Z| >= |z|)
 * under the normal approximation.  When either group is empty every column
 * is NULL.  When the standard error is 0 (neither group shows any
 * variation) z and p_value are NULL, because the normal approximation says
 * nothing there; difference and std_error are still returned.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"

#include "csmetrics.h"

/*
 * Standard normal quantile.
 *
 * A rational approximation (P. J. Acklam's coefficients, relative error
 * below 1.2e-9) gives a starting point, and one step of Halley's method
 * against the exact tail probability from erfc() brings it to full double
 * precision.  p must lie strictly between 0 and 1.
 */
double
csm_normal_quantile(double p)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02,
	-3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01,
	-1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00,
	4.374664141464968e+00, 2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
	2.445134137142996e+00, 3.754408661907416e+00};
	const double p_low = 0.02425;
	double		x;
	double		q;
	double		r;
	double		e;
	double		u;

	Assert(p > 0.0 && p < 1.0);

	if (p < p_low)
	{
		q = sqrt(-2.0 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
	}
	else if (p <= 1.0 - p_low)
	{
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
			(((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
	}
	else
	{
		q = sqrt(-2.0 * log(1.0 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
	}

	/* one Halley step on Phi(x) - p, with Phi computed from erfc */
	e = 0.5 * erfc(-x / M_SQRT2) - p;
	u = e * sqrt(2.0 * M_PI) * exp(x * x / 2.0);
	x = x - u / (1.0 + x * u / 2.0);

	return x;
}

/*
 * Check that a confidence level lies in the open interval (0, 1) and return
 * the z value of the matching two-sided normal interval (1.959963... for
 * 0.95).
 */
double
csm_confidence_z(double confidence)
{
	if (isnan(confidence) || confidence <= 0.0 || confidence >= 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level must be between 0 and 1, exclusive"),
				 errdetail("The confidence level given was %g.", confidence),
				 errhint("Use 0.95 for a 95%% interval.")));

	/*
	 * Work with the upper tail, (1 - confidence) / 2, which is exact and
	 * positive for every confidence below 1; 1 minus it would round to 1.0
	 * for confidences within 1e-16 of 1.
	 */
	return -csm_normal_quantile((1.0 - confidence) / 2.0);
}

/*
 * Two-sided p-value of a standard normal statistic: P(|Z| >= |z|).
 */
double
csm_two_sided_p(double z)
{
	return erfc(fabs(z) / M_SQRT2);
}

/*
 * The result row of a two-sample z test (see the top of this file); empty
 * when either group has no observations, which makes every column NULL.
 */
Datum
csm_z_test_result(FunctionCallInfo fcinfo, bool empty, double difference,
				  double std_error)
{
	TupleDesc	tupdesc;
	Datum		values[4] = {0};
	bool		nulls[4] = {true, true, true, true};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	if (!empty)
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
