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
#include "libpq/pqformat.h"
#include "port/pg_bswap.h"
#include "utils/builtins.h"
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
			elog(ERROR, "type %s not found in the schema of csmetrics", typname);
		label_oids = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, nlabels * sizeof(Oid));
		for (int i = 0; i < nlabels; i++)
		{
			label_oids[i] = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
											ObjectIdGetDatum(typoid),
											CStringGetDatum(labels[i]));
			if (!OidIsValid(label_oids[i]))
				elog(ERROR, "%s label \"%s\" not found", typname, labels[i]);
		}
		fcinfo->flinfo->fn_extra = label_oids;
	}
	return label_oids;
}

/* Raise invalid_binary_representation for a bad numeric field */
static void
bad_numeric_field(const char *typname, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary input for type %s", typname),
			 errdetail("%s", detail)));
}

/*
 * Read a numeric field of a binary value: an int32 length, then that many
 * bytes of numeric's binary form (four int16 header fields: ndigits,
 * weight, sign and dscale, then ndigits int16 digits).  The lengths are
 * checked here, before numeric_recv reads anything, so that short or
 * inconsistent input is 22P03 rather than a protocol violation;
 * numeric_recv checks the sign, the digits and the scale.
 */
Numeric
csm_recv_finite_numeric(StringInfo buf, const char *typname)
{
	const int	header = 4 * (int) sizeof(int16);
	StringInfoData sub;
	int32		len;
	int16		ndigits;
	Numeric		value;

	csm_recv_require(buf, (int) sizeof(int32), typname);
	len = (int32) pq_getmsgint(buf, 4);
	if (len < header)
		bad_numeric_field(typname, "A numeric field has an impossible length.");
	csm_recv_require(buf, len, typname);
	memcpy(&ndigits, buf->data + buf->cursor, sizeof(int16));
	ndigits = (int16) pg_ntoh16(ndigits);
	if (ndigits < 0 || len != header + ndigits * (int) sizeof(int16))
		bad_numeric_field(typname,
						  "A numeric field's length does not match its number of digits.");

	sub.data = buf->data + buf->cursor;
	sub.len = len;
	sub.maxlen = len;
	sub.cursor = 0;
	value = DatumGetNumeric(DirectFunctionCall3(numeric_recv, PointerGetDatum(&sub),
												ObjectIdGetDatum(InvalidOid),
												Int32GetDatum(-1)));
	Assert(sub.cursor == len);
	buf->cursor += len;
	if (numeric_is_nan(value) || numeric_is_inf(value))
		bad_numeric_field(typname, "A numeric field is not a finite number.");
	return value;
}
