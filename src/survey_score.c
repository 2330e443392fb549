/*-------------------------------------------------------------------------
 *
 * survey_score.c
 *	  The survey_score type: one answer on the 0-10 "how likely are you to
 *	  recommend us" scale.  Text and binary I/O, casts, comparison and
 *	  hashing support, and classification into NPS categories.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "csm_io.h"
#include "csmetrics.h"
#include "survey_score.h"

/*
 * Parse the text form: an optionally signed run of decimal digits with
 * optional surrounding white space.  Anything that is not an integer is
 * invalid_text_representation; an integer outside 0..10 is out of range.
 */
static SurveyScore
survey_score_parse(const char *str)
{
	CsmIoText	t;
	int64		value;

	csm_io_text_init(&t, str, "survey_score",
					 "A survey score is an integer from " CppAsString2(SURVEY_SCORE_MIN)
					 " to " CppAsString2(SURVEY_SCORE_MAX) ".");
	csm_io_skip_space(&t);
	value = csm_io_parse_int(&t, sizeof(int64), true, "survey score");
	csm_io_expect_end(&t);
	return survey_score_from_int64_checked(value);
}

/* Text input: '0' .. '10' */
PG_FUNCTION_INFO_V1(survey_score_in);
Datum
survey_score_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_SURVEY_SCORE(survey_score_parse(PG_GETARG_CSTRING(0)));
}

/* Text output: the integer */
PG_FUNCTION_INFO_V1(survey_score_out);
Datum
survey_score_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(psprintf("%d", (int) PG_GETARG_SURVEY_SCORE(0)));
}

/* Binary input: one unsigned byte holding 0..10 */
PG_FUNCTION_INFO_V1(survey_score_recv);
Datum
survey_score_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			value;

	csm_io_recv_require(buf, 1, "survey_score");
	value = pq_getmsgbyte(buf);

	if (value > SURVEY_SCORE_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid survey score %d in binary input", value),
				 errdetail("A survey score is an integer from %d to %d.",
						   SURVEY_SCORE_MIN, SURVEY_SCORE_MAX)));
	PG_RETURN_SURVEY_SCORE((SurveyScore) value);
}

/* Binary output: one unsigned byte */
PG_FUNCTION_INFO_V1(survey_score_send);
Datum
survey_score_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PG_GETARG_SURVEY_SCORE(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Casts from the integer types, range checked */
PG_FUNCTION_INFO_V1(survey_score_from_int2);
Datum
survey_score_from_int2(PG_FUNCTION_ARGS)
{
	PG_RETURN_SURVEY_SCORE(survey_score_from_int64_checked(PG_GETARG_INT16(0)));
}

PG_FUNCTION_INFO_V1(survey_score_from_int4);
Datum
survey_score_from_int4(PG_FUNCTION_ARGS)
{
	PG_RETURN_SURVEY_SCORE(survey_score_from_int64_checked(PG_GETARG_INT32(0)));
}

PG_FUNCTION_INFO_V1(survey_score_from_int8);
Datum
survey_score_from_int8(PG_FUNCTION_ARGS)
{
	PG_RETURN_SURVEY_SCORE(survey_score_from_int64_checked(PG_GETARG_INT64(0)));
}

/*
 * Cast from numeric: only whole numbers in range.  Rounding 8.5 to a score
 * would silently invent an answer nobody gave, so a fraction is an error.
 */
PG_FUNCTION_INFO_V1(survey_score_from_numeric);
Datum
survey_score_from_numeric(PG_FUNCTION_ARGS)
{
	Numeric		num = PG_GETARG_NUMERIC(0);
	Datum		truncated;
	Numeric		low = int64_to_numeric(SURVEY_SCORE_MIN);
	Numeric		high = int64_to_numeric(SURVEY_SCORE_MAX);

	if (numeric_is_nan(num) || numeric_is_inf(num) ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
										  NumericGetDatum(low))) < 0 ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
										  NumericGetDatum(high))) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("survey score %s is out of range",
						numeric_normalize(num)),
				 errdetail("A survey score is an integer from %d to %d.",
						   SURVEY_SCORE_MIN, SURVEY_SCORE_MAX)));

	truncated = DirectFunctionCall2(numeric_trunc, NumericGetDatum(num),
									Int32GetDatum(0));
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
										  truncated)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("survey score %s is not a whole number",
						numeric_normalize(num)),
				 errhint("Round the value explicitly if that is what you mean.")));

	PG_RETURN_SURVEY_SCORE((SurveyScore)
						   DatumGetInt32(DirectFunctionCall1(numeric_int4, truncated)));
}

/* Cast to integer */
PG_FUNCTION_INFO_V1(survey_score_to_int4);
Datum
survey_score_to_int4(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) PG_GETARG_SURVEY_SCORE(0));
}

/*
 * Comparison.  survey_score against survey_score, and against integer in
 * both directions so that "WHERE score >= 9" works and can use an index.
 */
#define SURVEY_SCORE_COMPARISONS(prefix, get_a, get_b) \
PG_FUNCTION_INFO_V1(prefix##_eq); \
Datum prefix##_eq(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(get_a(0) == get_b(1)); } \
PG_FUNCTION_INFO_V1(prefix##_ne); \
Datum prefix##_ne(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(get_a(0) != get_b(1)); } \
PG_FUNCTION_INFO_V1(prefix##_lt); \
Datum prefix##_lt(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(get_a(0) < get_b(1)); } \
PG_FUNCTION_INFO_V1(prefix##_le); \
Datum prefix##_le(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(get_a(0) <= get_b(1)); } \
PG_FUNCTION_INFO_V1(prefix##_gt); \
Datum prefix##_gt(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(get_a(0) > get_b(1)); } \
PG_FUNCTION_INFO_V1(prefix##_ge); \
Datum prefix##_ge(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(get_a(0) >= get_b(1)); } \
PG_FUNCTION_INFO_V1(prefix##_cmp); \
Datum prefix##_cmp(PG_FUNCTION_ARGS) \
{ \
	int64		a = get_a(0); \
	int64		b = get_b(1); \
	PG_RETURN_INT32((a > b) - (a < b)); \
}

#define GET_SCORE(n)	((int64) PG_GETARG_SURVEY_SCORE(n))
#define GET_INT4(n)		((int64) PG_GETARG_INT32(n))

SURVEY_SCORE_COMPARISONS(survey_score, GET_SCORE, GET_SCORE)
SURVEY_SCORE_COMPARISONS(survey_score_int4, GET_SCORE, GET_INT4)
SURVEY_SCORE_COMPARISONS(int4_survey_score, GET_INT4, GET_SCORE)

/*
 * Hashing: the same hash as int4 of the same value, so that a future
 * cross-type hash family would need no new hash function.
 */
PG_FUNCTION_INFO_V1(survey_score_hash);
Datum
survey_score_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_SURVEY_SCORE(0));
}

PG_FUNCTION_INFO_V1(survey_score_hash_extended);
Datum
survey_score_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_SURVEY_SCORE(0),
								PG_GETARG_INT64(1));
}

/*
 * Classification.  A table lookup rather than a chain of comparisons: it is
 * branch-free on unsorted data.  0 = detractor, 1 = passive, 2 = promoter,
 * matching the order of the labels of the nps_category enum.
 */
static const uint8 nps_class_of_score[SURVEY_SCORE_COUNT] = {
	0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2
};

static const char *const nps_category_labels[] = {"detractor", "passive", "promoter"};

/*
 * Return the OID of the nps_category label for a score.  The enum lives in
 * the extension's schema, which is the schema of the calling function; the
 * three label OIDs are looked up once per call site and kept in fn_extra.
 */
static Datum
nps_category_datum(FunctionCallInfo fcinfo, SurveyScore score)
{
	const Oid  *label_oids = csm_enum_label_oids(fcinfo, "nps_category",
											 nps_category_labels, 3);

	return ObjectIdGetDatum(label_oids[nps_class_of_score[score]]);
}

/* nps_category(survey_score) */
PG_FUNCTION_INFO_V1(survey_score_nps_category);
Datum
survey_score_nps_category(PG_FUNCTION_ARGS)
{
	return nps_category_datum(fcinfo, PG_GETARG_SURVEY_SCORE(0));
}

/* nps_category(smallint) */
PG_FUNCTION_INFO_V1(int2_nps_category);
Datum
int2_nps_category(PG_FUNCTION_ARGS)
{
	return nps_category_datum(fcinfo,
							  survey_score_from_int64_checked(PG_GETARG_INT16(0)));
}

/* nps_category(integer) */
PG_FUNCTION_INFO_V1(int4_nps_category);
Datum
int4_nps_category(PG_FUNCTION_ARGS)
{
	return nps_category_datum(fcinfo,
							  survey_score_from_int64_checked(PG_GETARG_INT32(0)));
}

/* is_promoter(survey_score): 9 or 10 */
PG_FUNCTION_INFO_V1(survey_score_is_promoter);
Datum
survey_score_is_promoter(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(nps_class_of_score[PG_GETARG_SURVEY_SCORE(0)] == 2);
}

/* is_passive(survey_score): 7 or 8 */
PG_FUNCTION_INFO_V1(survey_score_is_passive);
Datum
survey_score_is_passive(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(nps_class_of_score[PG_GETARG_SURVEY_SCORE(0)] == 1);
}

/* is_detractor(survey_score): 0 to 6 */
PG_FUNCTION_INFO_V1(survey_score_is_detractor);
Datum
survey_score_is_detractor(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(nps_class_of_score[PG_GETARG_SURVEY_SCORE(0)] == 0);
}
