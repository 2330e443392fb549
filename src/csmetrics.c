/*-------------------------------------------------------------------------
 *
 * csmetrics.c
 *	  Module magic and the aggregate helpers shared by every metric family.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

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

/*
 * The error of an inverse transition or uncombine function called without a
 * state: outside an aggregate the error of csm_aggregate_context (0A000);
 * inside one, only an aggregate built from the support functions in the
 * wrong order gets here (22023, as csm_removal_error).
 */
void
csm_no_state_error(FunctionCallInfo fcinfo, const char *funcname)
{
	(void) csm_aggregate_context(fcinfo, funcname);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot remove a row from an aggregate state that does not exist"),
			 errhint("An inverse transition function must follow its own transition function.")));
}

/*
 * The error of an inverse transition or uncombine function asked to take
 * out what the state does not hold (a count would become negative, a tenure
 * that was never added): an aggregate built from the support functions in
 * the wrong order, never one of csmetrics' own.
 */
void
csm_removal_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot remove a row that the aggregate state does not hold"),
			 errdetail_internal("%s", detail),
			 errhint("An inverse transition function must follow its own transition function.")));
}

/*
 * Look up the labels of an enum type of ours once per call site: the type
 * is found by name in the schema of the calling function, and the label
 * OIDs are kept in fn_extra for later calls.
 */
const Oid *
csm_enum_label_oids(FunctionCallInfo fcinfo, const char *typname,
					const char *const *labels, int nlabels)
{
	Oid		   *label_oids = (Oid *) fcinfo->flinfo->fn_extra;

	if (label_oids == NULL)
	{
		Oid			nspoid = get_func_namespace(fcinfo->flinfo->fn_oid);
		Oid			typoid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
											 CStringGetDatum(typname),
											 ObjectIdGetDatum(nspoid));

		if (!OidIsValid(typoid))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("type %s not found in the schema of csmetrics", typname)));
		label_oids = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, nlabels * sizeof(Oid));
		for (int i = 0; i < nlabels; i++)
		{
			label_oids[i] = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
											ObjectIdGetDatum(typoid),
											CStringGetDatum(labels[i]));
			if (!OidIsValid(label_oids[i]))
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_OBJECT),
						 errmsg("%s label \"%s\" not found", typname, labels[i]),
						 errhint("The labels of csmetrics' enum types must not be renamed.")));
		}
		fcinfo->flinfo->fn_extra = label_oids;
	}
	return label_oids;
}
