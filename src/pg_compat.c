/*-------------------------------------------------------------------------
 *
 * pg_compat.c
 *	  Server functions that older supported versions of PostgreSQL lack
 *	  (see pg_compat.h).  Empty when built against 15 or later.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "pg_compat.h"

#if PG_VERSION_NUM < 150000
/*
 * Set up a set-returning function in materialize mode, as 15's
 * InitMaterializedSRF(fcinfo, 0) does: check that the caller accepts a
 * materialized set, and give it an empty tuplestore and the function's
 * (blessed) result row type, both in the per-query memory context.
 */
void
csm_init_materialized_srf(FunctionCallInfo fcinfo)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	TupleDesc	tupdesc;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tuplestore_begin_heap((rsinfo->allowedModes & SFRM_Materialize_Random) != 0,
											  false, work_mem);
	rsinfo->setDesc = tupdesc;
	MemoryContextSwitchTo(old);
}
#endif
