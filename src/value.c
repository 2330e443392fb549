/*-------------------------------------------------------------------------
 *
 * value.c
 *	  Customer value formulas: customer lifetime value, SaaS LTV, the
 *	  LTV:CAC ratio, retention cost per customer and the weighted health
 *	  score.
 *
 * Money is numeric throughout.  Products are exact; each formula divides
 * at most once, with PostgreSQL's numeric division (the "/" operator: at
 * least 16 significant digits, the last one rounded half away from zero),
 * and trailing zeros of the quotient are removed (trim_scale), so that an
 * exact quotient prints as it would by hand (2000, not 2000.0000000000000000).
 *
 * Impossible inputs (negative money, counts or frequencies, percentages
 * outside 0..100, NaN or infinity) raise invalid_parameter_value (22023);
 * results too large for numeric raise numeric_value_out_of_range (22003).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

#include "csmetrics.h"

/* Compare a numeric with an integer: <0, 0 or >0 */
static inline int
numeric_cmp_int(Numeric a, int64 b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a),
											 NumericGetDatum(int64_to_numeric(b))));
}

/*
 * Refuse a NaN, an infinity or a negative value, and, when max >= 0, a
 * value above max.
 */
static void
check_numeric_arg(Numeric value, const char *name, int64 max)
{
	if (numeric_is_nan(value) || numeric_is_inf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", name)));
	if (numeric_cmp_int(value, 0) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", name)));
	if (max >= 0 && numeric_cmp_int(value, max) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between 0 and " INT64_FORMAT, name, max),
				 errdetail("Percentages are given in percent, 0 to 100.")));
}

static inline Datum
num_mul(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_mul, a, b);
}

/* a / b, rounded as the numeric "/" operator does, trailing zeros removed */
static inline Datum
num_div(Datum a, Datum b)
{
	return DirectFunctionCall1(numeric_trim_scale,
							   DirectFunctionCall2(numeric_div, a, b));
}

/* clv(average_purchase_value, purchase_frequency, lifespan): their product */
PG_FUNCTION_INFO_V1(csm_clv);
Datum
csm_clv(PG_FUNCTION_ARGS)
{
	check_numeric_arg(PG_GETARG_NUMERIC(0), "average purchase value", -1);
	check_numeric_arg(PG_GETARG_NUMERIC(1), "purchase frequency", -1);
	check_numeric_arg(PG_GETARG_NUMERIC(2), "lifespan", -1);
	PG_RETURN_DATUM(num_mul(num_mul(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)),
							PG_GETARG_DATUM(2)));
}

/*
 * saas_ltv(arpa, gross_margin_pct, churn_pct)
 *		= arpa * (margin / 100) / (churn / 100) = arpa * margin / churn
 * computed as one exact product and one division; NULL when churn is 0.
 */
PG_FUNCTION_INFO_V1(csm_saas_ltv);
Datum
csm_saas_ltv(PG_FUNCTION_ARGS)
{
	Numeric		churn = PG_GETARG_NUMERIC(2);

	check_numeric_arg(PG_GETARG_NUMERIC(0), "ARPA", -1);
	check_numeric_arg(PG_GETARG_NUMERIC(1), "gross margin", 100);
	check_numeric_arg(churn, "churn rate", 100);
	if (numeric_cmp_int(churn, 0) == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(num_div(num_mul(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)),
							PG_GETARG_DATUM(2)));
}

/* ltv_cac_ratio(ltv, cac) = ltv / cac; NULL when cac is 0 */
PG_FUNCTION_INFO_V1(csm_ltv_cac_ratio);
Datum
csm_ltv_cac_ratio(PG_FUNCTION_ARGS)
{
	Numeric		cac = PG_GETARG_NUMERIC(1);

	check_numeric_arg(PG_GETARG_NUMERIC(0), "LTV", -1);
	check_numeric_arg(cac, "CAC", -1);
	if (numeric_cmp_int(cac, 0) == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(num_div(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

/* retention_cost(total_retention_spend, customers) = spend / customers */
PG_FUNCTION_INFO_V1(csm_retention_cost);
Datum
csm_retention_cost(PG_FUNCTION_ARGS)
{
	int64		customers = PG_GETARG_INT64(1);

	check_numeric_arg(PG_GETARG_NUMERIC(0), "retention spend", -1);
	if (customers < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("customers must not be negative")));
	if (customers == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(num_div(PG_GETARG_DATUM(0),
							NumericGetDatum(int64_to_numeric(customers))));
}

/* Read a one-dimensional float8 array without NULLs; returns its length */
static int
float8_array_elements(ArrayType *array, const char *name, float8 **values)
{
	Datum	   *datums;
	bool	   *nulls;
	int			n;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array", name)));
	if (array_contains_nulls(array))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not contain nulls", name)));
	deconstruct_array(array, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
					  TYPALIGN_DOUBLE, &datums, &nulls, &n);
	*values = palloc(sizeof(float8) * Max(n, 1));
	for (int i = 0; i < n; i++)
		(*values)[i] = DatumGetFloat8(datums[i]);
	return n;
}

/*
 * health_score(components float8[], weights float8[]): the weighted mean
 * sum(c * w) / sum(w) of components on 0..100, in 0..100.  Empty arrays
 * give NULL.
 */
PG_FUNCTION_INFO_V1(csm_health_score);
Datum
csm_health_score(PG_FUNCTION_ARGS)
{
	float8	   *c;
	float8	   *w;
	int			n;
	float8		max_weight = 0.0;
	float8		sum_cw = 0.0;
	float8		sum_w = 0.0;
	float8		result;

	n = float8_array_elements(PG_GETARG_ARRAYTYPE_P(0), "components", &c);
	if (float8_array_elements(PG_GETARG_ARRAYTYPE_P(1), "weights", &w) != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("components and weights must have the same length")));
	if (n == 0)
		PG_RETURN_NULL();

	for (int i = 0; i < n; i++)
	{
		if (isnan(c[i]) || c[i] < 0.0 || c[i] > 100.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("health score component %d is out of range", i + 1),
					 errdetail("Components are on a scale from 0 to 100.")));
		if (isnan(w[i]) || isinf(w[i]) || w[i] < 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("health score weight %d must be a finite, non-negative number", i + 1)));
		max_weight = Max(max_weight, w[i]);
	}
	if (max_weight == 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("health score weights must not all be zero")));

	for (int i = 0; i < n; i++)
	{
		sum_cw += c[i] * w[i];
		sum_w += w[i];
	}
	if (isinf(sum_cw) || isinf(sum_w) || max_weight < 1e-300)
	{
		/*
		 * huge or tiny weights: scale them to 0..1 first, which can neither
		 * overflow nor lose the weights in denormal underflow
		 */
		sum_cw = sum_w = 0.0;
		for (int i = 0; i < n; i++)
		{
			sum_cw += c[i] * (w[i] / max_weight);
			sum_w += w[i] / max_weight;
		}
	}
	result = sum_cw / sum_w;
	/* a mean of values in 0..100 is in 0..100; keep rounding from leaving it */
	PG_RETURN_FLOAT8(Max(0.0, Min(100.0, result)));
}
