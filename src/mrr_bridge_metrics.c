/*-------------------------------------------------------------------------
 *
 * mrr_bridge_metrics.c
 *	  The SaaS vendors' named metrics of an MRR bridge, read through the
 *	  bridge's own accessors (mrr_bridge.c) and never its layout:
 *
 *		gross_mrr_churn_rate = (contraction + churned) / starting * 100
 *		net_mrr_churn_rate   = (contraction + churned - expansion
 *								- reactivation) / starting * 100
 *							   (negative when the gains exceed the losses)
 *		arpa				 = ending MRR / customers at the end
 *		asp					 = new MRR / new customers
 *
 * The rates are computed exactly in numeric and returned as float8 percent
 * (NULL when the starting MRR is 0); ARPA and ASP are numeric (NULL without
 * customers).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

#include "mrr_bridge.h"


/* An amount of the bridge, through its accessor */
static inline Numeric
bridge_amount(PGFunction accessor, Datum bridge)
{
	return DatumGetNumeric(DirectFunctionCall1(accessor, bridge));
}

/* Is a numeric zero? */
static inline bool
numeric_is_zero(Numeric n)
{
	return DatumGetBool(DirectFunctionCall2(numeric_eq, NumericGetDatum(n),
											NumericGetDatum(int64_to_numeric(0))));
}

/* part / whole as a numeric, NULL when whole is 0 */
static Datum
ratio(FunctionCallInfo fcinfo, Numeric part, Numeric whole)
{
	if (numeric_is_zero(whole))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(numeric_div_opt_error(part, whole, NULL));
}

/* lost / starting * 100 as float8, NULL when the starting MRR is 0 */
static Datum
percent_of_starting(FunctionCallInfo fcinfo, Numeric lost)
{
	Numeric		starting = bridge_amount(mrr_bridge_starting_mrr, PG_GETARG_DATUM(0));
	Numeric		scaled = numeric_mul_opt_error(lost, int64_to_numeric(100), NULL);

	if (numeric_is_zero(starting))
		PG_RETURN_NULL();
	return DirectFunctionCall1(numeric_float8,
							   NumericGetDatum(numeric_div_opt_error(scaled, starting, NULL)));
}

/* contraction + churned MRR */
static Numeric
lost_mrr(Datum bridge)
{
	return numeric_add_opt_error(bridge_amount(mrr_bridge_contraction_mrr, bridge),
								 bridge_amount(mrr_bridge_churned_mrr, bridge), NULL);
}

/* gross_mrr_churn_rate(mrr_bridge): (contraction + churned) / starting * 100 */
PG_FUNCTION_INFO_V1(mrr_bridge_gross_mrr_churn_rate);
Datum
mrr_bridge_gross_mrr_churn_rate(PG_FUNCTION_ARGS)
{
	return percent_of_starting(fcinfo, lost_mrr(PG_GETARG_DATUM(0)));
}

/*
 * net_mrr_churn_rate(mrr_bridge): (contraction + churned - expansion -
 * reactivation) / starting * 100
 */
PG_FUNCTION_INFO_V1(mrr_bridge_net_mrr_churn_rate);
Datum
mrr_bridge_net_mrr_churn_rate(PG_FUNCTION_ARGS)
{
	Datum		bridge = PG_GETARG_DATUM(0);
	Numeric		gained = numeric_add_opt_error(bridge_amount(mrr_bridge_expansion_mrr, bridge),
											   bridge_amount(mrr_bridge_reactivation_mrr, bridge),
											   NULL);

	return percent_of_starting(fcinfo, numeric_sub_opt_error(lost_mrr(bridge), gained, NULL));
}

/* arpa(mrr_bridge): ending MRR / customers at the end */
PG_FUNCTION_INFO_V1(mrr_bridge_arpa);
Datum
mrr_bridge_arpa(PG_FUNCTION_ARGS)
{
	Datum		bridge = PG_GETARG_DATUM(0);
	int64		customers = DatumGetInt64(DirectFunctionCall1(mrr_bridge_customers_at_end, bridge));

	return ratio(fcinfo, bridge_amount(mrr_bridge_ending_mrr, bridge), int64_to_numeric(customers));
}

/* asp(mrr_bridge): new MRR / new customers */
PG_FUNCTION_INFO_V1(mrr_bridge_asp);
Datum
mrr_bridge_asp(PG_FUNCTION_ARGS)
{
	Datum		bridge = PG_GETARG_DATUM(0);
	int64		customers = DatumGetInt64(DirectFunctionCall1(mrr_bridge_new_customers, bridge));

	return ratio(fcinfo, bridge_amount(mrr_bridge_new_mrr, bridge), int64_to_numeric(customers));
}
