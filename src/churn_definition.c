/*-------------------------------------------------------------------------
 *
 * churn_definition.c
 *	  Customer churn of a customer_flow summary by the definitions the SaaS
 *	  vendors use, read through the summary's own accessors
 *	  (customer_flow.c).  With S the customers at the start, N the new
 *	  customers still active at the end, T the transient ones (who started
 *	  and ended inside the period) and C the churned among S:
 *
 *		'chartmogul' (the default of churn_rate(customer_flow)),
 *		'profitwell'		C / S * 100: a customer who joins and leaves in
 *							the same period is neither new nor churned
 *		'stripe'			(C + T) / (S + N + T) * 100: the customers of
 *							the period's start and those who joined during
 *							it, and the churn of both
 *
 *	  retention_rate(flow, definition) is 100 minus the churn rate of the
 *	  same definition.  NULL when the denominator is 0.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

/* the accessors of customer_flow.c */
extern PGDLLEXPORT Datum customer_flow_at_start(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum customer_flow_new_customers(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum customer_flow_churned(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum customer_flow_transient(PG_FUNCTION_ARGS);

typedef enum ChurnDefinition
{
	CHURN_OF_STARTING,			/* chartmogul, profitwell */
	CHURN_OF_ALL				/* stripe */
} ChurnDefinition;

/* Parse a definition name (any case), or raise 22023 */
static ChurnDefinition
churn_definition(text *name)
{
	char	   *s = text_to_cstring(name);

	if (pg_strcasecmp(s, "chartmogul") == 0 || pg_strcasecmp(s, "profitwell") == 0)
		return CHURN_OF_STARTING;
	if (pg_strcasecmp(s, "stripe") == 0)
		return CHURN_OF_ALL;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unrecognized churn definition \"%s\"", s),
			 errhint("The definitions are 'chartmogul' (the default), 'profitwell' and 'stripe'.")));
	return CHURN_OF_STARTING;	/* keep the compiler quiet */
}

static inline int64
flow_count(PGFunction accessor, Datum flow)
{
	return DatumGetInt64(DirectFunctionCall1(accessor, flow));
}

/* The churn rate of a flow by a definition; false when undefined */
static bool
flow_churn(Datum flow, ChurnDefinition def, double *rate)
{
	double		churned = (double) flow_count(customer_flow_churned, flow);
	double		base = (double) flow_count(customer_flow_at_start, flow);

	if (def == CHURN_OF_ALL)
	{
		double		transient = (double) flow_count(customer_flow_transient, flow);

		churned += transient;
		base += (double) flow_count(customer_flow_new_customers, flow) + transient;
	}
	if (base == 0)
		return false;
	*rate = 100.0 * churned / base;
	return true;
}

/* churn_rate(customer_flow, definition text) */
PG_FUNCTION_INFO_V1(customer_flow_churn_rate_by);
Datum
customer_flow_churn_rate_by(PG_FUNCTION_ARGS)
{
	double		rate;

	if (!flow_churn(PG_GETARG_DATUM(0), churn_definition(PG_GETARG_TEXT_PP(1)), &rate))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(rate);
}

/* retention_rate(customer_flow, definition text): 100 - churn_rate */
PG_FUNCTION_INFO_V1(customer_flow_retention_rate_by);
Datum
customer_flow_retention_rate_by(PG_FUNCTION_ARGS)
{
	double		rate;

	if (!flow_churn(PG_GETARG_DATUM(0), churn_definition(PG_GETARG_TEXT_PP(1)), &rate))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 - rate);
}
