/*-------------------------------------------------------------------------
 *
 * grain_type.c
 *	  The grain type: a calendar grain ('day', 'week', 'month', 'quarter',
 *	  'year') as an argument type that is not collatable.
 *
 * Why a type of its own.  postgres_fdw ships an aggregate call to the
 * remote server only when the input collation of the call derives from a
 * foreign column; a text grain literal ('month') carries the default
 * collation, so cohort_agg(started_on, ended_on, 'month') was never pushed
 * down (deparse.c, foreign_expr_walker, T_Aggref).  A grain-typed argument
 * has no collation, and the call is shipped (doc/scale-out.md).
 *
 * The stored form is the canonical lower-case name as a text varlena, so
 * that the transition functions written for text grains
 * (csm_grain_from_text) read grain values unchanged.  Input accepts a name
 * in any case, as the text grains always did; an unknown name is 22023, the
 * error of the text grains.  Binary form: the name's bytes.  Text and
 * varchar convert implicitly (grain(text)), so that calls with a text
 * column or variable keep working.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "grain.h"

/* The stored form of a grain: its canonical name */
static Datum
grain_datum(CsmGrain grain)
{
	PG_RETURN_TEXT_P(cstring_to_text(csm_grain_name(grain)));
}

/* grain_in(cstring): a grain name in any case */
PG_FUNCTION_INFO_V1(grain_in);
Datum
grain_in(PG_FUNCTION_ARGS)
{
	char	   *name = PG_GETARG_CSTRING(0);

	return grain_datum(csm_grain_from_text(cstring_to_text(name)));
}

/* grain_out(grain): the canonical lower-case name */
PG_FUNCTION_INFO_V1(grain_out);
Datum
grain_out(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);

	/* a stored grain is checked as it is read */
	return CStringGetDatum(pstrdup(csm_grain_name(csm_grain_from_text(name))));
}

/* grain_recv(internal): the name's bytes, any case */
PG_FUNCTION_INFO_V1(grain_recv);
Datum
grain_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	const char *bytes = pq_getmsgbytes(buf, len);
	CsmGrain	grain = csm_grain_lookup(bytes, len);

	if (grain == CSM_GRAIN_INVALID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary input for type grain"),
				 errhint("Valid grains are day, week, month, quarter and year.")));
	return grain_datum(grain);
}

/* grain_send(grain): the canonical name's bytes */
PG_FUNCTION_INFO_V1(grain_send);
Datum
grain_send(PG_FUNCTION_ARGS)
{
	CsmGrain	grain = csm_grain_from_text(PG_GETARG_TEXT_PP(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, csm_grain_name(grain), strlen(csm_grain_name(grain)));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* grain(text): the cast from text and varchar, any case */
PG_FUNCTION_INFO_V1(grain_from_text);
Datum
grain_from_text(PG_FUNCTION_ARGS)
{
	return grain_datum(csm_grain_from_text(PG_GETARG_TEXT_PP(0)));
}
