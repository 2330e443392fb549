/*-------------------------------------------------------------------------
 *
 * csmetrics.c
 *	  Module magic and the aggregate helpers shared by every metric family.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "csmetrics.h"

PG_MODULE_MAGIC;

/*
 * Return the aggregate's memory context, where state that must survive
 * between calls is allocated.  The transition functions modify their state
 * in place, which is only safe when the executor calls them as part of an
 * aggregate; a direct call from SQL is refused.
 */
MemoryContext
csm_aggregate_context(FunctionCallInfo fcinfo, const char *funcname)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called in non-aggregate context", funcname)));
	return aggcontext;
}
