/*-------------------------------------------------------------------------
 *
 * csmetrics.h
 *	  Declarations shared by the csmetrics source files.
 *
 * Only what several metric families really share lives here: checked
 * int64 counting, validation of confidence levels, the normal quantile,
 * the result row of the difference tests, and the aggregate-context
 * helpers every transition function uses.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_H
#define CSMETRICS_H

#include "postgres.h"

#include "common/int.h"
#include "fmgr.h"
#include "nodes/nodes.h"

#include "pg_compat.h"

/*
 * Add two non-negative counts, raising numeric_value_out_of_range instead
 * of wrapping around.  Every count in every summary goes through this.
 */
static inline int64
csm_count_add(int64 a, int64 b)
{
	int64		result;

	if (unlikely(pg_add_s64_overflow(a, b, &result)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("count out of range"),
				 errdetail("A count cannot exceed %lld.",
						   (long long) PG_INT64_MAX)));
	return result;
}

/*
 * 22023 from an inverse transition or uncombine function that was asked
 * to remove what its state does not hold (detail: a full sentence), and
 * from one called without a state inside an aggregate (0A000 outside one).
 * Only an aggregate that a user builds from the support functions in the
 * wrong order gets there.  doc/developing.md lists the SQLSTATEs.
 */
pg_noreturn extern void csm_removal_error(const char *detail);
pg_noreturn extern void csm_no_state_error(FunctionCallInfo fcinfo,
										   const char *funcname);

/*
 * Undo an earlier csm_count_add (moving-aggregate inverse transitions).
 * Going below zero means the caller removed something it never added
 * (csm_removal_error).
 */
static inline int64
csm_count_sub(int64 a, int64 b)
{
	if (unlikely(b > a))
		csm_removal_error("A count would become negative.");
	return a - b;
}

/*
 * In a non-strict transition, inverse or combine function: when any of
 * arguments 1..nargs is NULL, return the state unchanged (NULL if there is
 * none yet), as a strict transition function would skip the row.  This is
 * how NULL inputs are skipped and how no rows give NULL.
 */
#define CSM_PASS_STATE_IF_ANY_INPUT_NULL(nargs) \
	do { \
		for (int csm_arg_ = 1; csm_arg_ <= (nargs); csm_arg_++) \
			if (PG_ARGISNULL(csm_arg_)) \
			{ \
				if (PG_ARGISNULL(0)) \
					PG_RETURN_NULL(); \
				PG_RETURN_DATUM(PG_GETARG_DATUM(0)); \
			} \
	} while (0)

/* The same for the usual case of one argument after the state */
#define CSM_PASS_STATE_IF_INPUT_NULL() CSM_PASS_STATE_IF_ANY_INPUT_NULL(1)

/*
 * The OIDs of the labels of one of our enum types, in the order given,
 * looked up once per call site (cached in fn_extra).  The enum lives in the
 * schema of the calling function, that is, the extension's schema.
 */
extern const Oid *csm_enum_label_oids(FunctionCallInfo fcinfo, const char *typname,
									  const char *const *labels, int nlabels);

/*
 * The aggregate's memory context, or an error when a transition function
 * is called outside an aggregate (only then may it update its state in
 * place).
 *
 * A flat state that a transition or combine function returns as a new
 * pointer (the first state of a group, a widened one) may be allocated in
 * the current memory context: the executor copies any new pointer into the
 * aggregate context and frees the old state (ExecAggTransReparent in
 * nodeAgg.c, advance_windowaggregate in nodeWindowAgg.c).  Only expanded
 * objects, which the executor keeps without copying when their context is
 * a child of this one, need the context itself.
 */
extern MemoryContext csm_aggregate_context(FunctionCallInfo fcinfo,
										   const char *funcname);

/*
 * Is the function running inside an aggregate or a window aggregate?  The
 * test AggCheckCallContext() makes, inline for the per-row paths of
 * transition functions, which then call nothing at all.  That matters
 * under JIT: PostgreSQL 15 never inlines a function of an extension into
 * the compiled expression (its inlining stub for them lacks the target
 * attributes the expression has; see doc/performance.md), so the call to
 * the transition function stays, and every further call inside it is
 * paid on every row.
 */
static inline bool
csm_in_aggregate(FunctionCallInfo fcinfo)
{
	return fcinfo->context != NULL &&
		(IsA(fcinfo->context, AggState) || IsA(fcinfo->context, WindowAggState));
}

/* Raise csm_aggregate_context()'s error unless inside an aggregate */
static inline void
csm_check_aggregate_call(FunctionCallInfo fcinfo, const char *funcname)
{
	if (unlikely(!csm_in_aggregate(fcinfo)))
		(void) csm_aggregate_context(fcinfo, funcname);
}

/* Validate a confidence level in (0, 1) and return its two-sided z value */
extern double csm_confidence_z(double confidence);

/* Inverse of the standard normal cumulative distribution function */
extern double csm_normal_quantile(double p);

/* Two-sided p-value of a standard normal z statistic */
extern double csm_two_sided_p(double z);

/*
 * The row (difference, std_error, z, p_value) of a two-sample z test, all
 * NULL when empty (a group without observations); z and p_value are NULL
 * when std_error is 0.  The tests of several families share it (stats.c).
 */
extern Datum csm_z_test_result(FunctionCallInfo fcinfo, bool empty,
							   double difference, double std_error);

#endif							/* CSMETRICS_H */
