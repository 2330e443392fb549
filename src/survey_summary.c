/*-------------------------------------------------------------------------
 *
 * survey_summary.c
 *	  survey_summary, the histogram of answers at each score 0..10: its
 *	  text and binary forms, the transition, inverse and combine functions
 *	  shared by every survey aggregate, and the count accessors.
 *
 * Text form: the eleven counts of scores 0..10 in braces, for example
 *	  {1,0,0,0,0,2,0,5,3,4,9}
 * Binary form: a version byte (1) followed by eleven int64 counts.
 * In memory and on disk the counts are int32 until one outgrows it (see
 * survey_summary.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "csm_io.h"
#include "csmetrics.h"
#include "survey_summary.h"

/* Allocate an empty (narrow) summary in the current memory context */
SurveySummary *
survey_summary_new(void)
{
	SurveySummary *summary = palloc0(SURVEY_SUMMARY_NARROW_SIZE);

	SET_VARSIZE(summary, SURVEY_SUMMARY_NARROW_SIZE);
	summary->version = SURVEY_SUMMARY_VERSION;
	return summary;
}

/* Does every count fit the narrow form? */
static bool
survey_counts_fit_narrow(const int64 *counts)
{
	for (int i = 0; i < SURVEY_SCORE_COUNT; i++)
		if (counts[i] > PG_INT32_MAX)
			return false;
	return true;
}

/*
 * Allocate a summary holding these (non-negative) counts in the current
 * memory context, narrow when they fit
 */
SurveySummary *
survey_summary_from_counts(const int64 *counts)
{
	SurveySummary *summary;

	if (survey_counts_fit_narrow(counts))
	{
		summary = survey_summary_new();
		for (int i = 0; i < SURVEY_SCORE_COUNT; i++)
			summary->counts.narrow[i] = (int32) counts[i];
	}
	else
	{
		summary = palloc0(SURVEY_SUMMARY_WIDE_SIZE);
		SET_VARSIZE(summary, SURVEY_SUMMARY_WIDE_SIZE);
		summary->version = SURVEY_SUMMARY_VERSION;
		summary->flags = SURVEY_SUMMARY_WIDE;
		memcpy(summary->counts.wide, counts, sizeof(summary->counts.wide));
	}
	return summary;
}

/*
 * Replace the counts of an aggregate state: in place when they fit its
 * width, else in a new wide summary allocated in the current memory
 * context, which the caller returns as the new state (see
 * csm_aggregate_context() for why that is enough).
 */
SurveySummary *
survey_summary_store(SurveySummary *summary, const int64 *counts)
{
	if (summary->flags & SURVEY_SUMMARY_WIDE)
		memcpy(summary->counts.wide, counts, sizeof(summary->counts.wide));
	else if (survey_counts_fit_narrow(counts))
	{
		for (int i = 0; i < SURVEY_SCORE_COUNT; i++)
			summary->counts.narrow[i] = (int32) counts[i];
	}
	else
		summary = survey_summary_from_counts(counts);
	return summary;
}

/* Copy out the counts of a summary as int64, whatever its width */
static void
survey_summary_get_counts(const SurveySummary *summary, int64 *counts)
{
	for (int i = 0; i < SURVEY_SCORE_COUNT; i++)
		counts[i] = survey_summary_count(summary, i);
}

/*
 * The slow path of survey_summary_count_answer(): a call outside an
 * aggregate (an error), the first answer of a group without INITCOND (a
 * new state), a wide summary, or a narrow count about to outgrow int32 (a
 * new, wide state).  A narrow count fills up at most once per 2^31
 * answers, so this path can afford an allocation.  A new state is
 * allocated in the current memory context: the executor copies it (see
 * csm_aggregate_context()).
 */
Datum
survey_summary_count_answer_slow(FunctionCallInfo fcinfo, int score,
								 const char *funcname)
{
	SurveySummary *summary;
	int64		counts[SURVEY_SCORE_COUNT];

	(void) csm_aggregate_context(fcinfo, funcname);
	if (PG_ARGISNULL(0))
		summary = survey_summary_new();
	else
		summary = (SurveySummary *) PG_GETARG_POINTER(0);

	if (summary->flags & SURVEY_SUMMARY_WIDE)
		summary->counts.wide[score] = csm_count_add(summary->counts.wide[score], 1);
	else if (summary->counts.narrow[score] < PG_INT32_MAX)
		summary->counts.narrow[score]++;
	else
	{
		survey_summary_get_counts(summary, counts);
		counts[score]++;		/* was PG_INT32_MAX: cannot overflow int64 */
		summary = survey_summary_from_counts(counts);
	}
	PG_RETURN_POINTER(summary);
}

/*
 * Validate a summary that reached a function as an argument.  The input
 * functions already refuse anything malformed, so this is a cheap guard
 * against values that arrived some other way (a forged state passed to a
 * support function, a future layout read by an old library).
 */
SurveySummary *
survey_summary_check(SurveySummary *summary)
{
	size_t		size = VARSIZE(summary);	/* detoasted: a 4-byte header */

	if (size < offsetof(SurveySummary, counts) ||
		summary->version != SURVEY_SUMMARY_VERSION ||
		(summary->flags & ~SURVEY_SUMMARY_WIDE) != 0 || summary->unused != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid survey_summary value"),
				 errdetail("The header is not that of survey_summary version %d.",
						   SURVEY_SUMMARY_VERSION)));
	if (size != ((summary->flags & SURVEY_SUMMARY_WIDE) ?
				 SURVEY_SUMMARY_WIDE_SIZE : SURVEY_SUMMARY_NARROW_SIZE))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid survey_summary value"),
				 errdetail("The value has %zu bytes, which is not the size of its %s form.",
						   size, (summary->flags & SURVEY_SUMMARY_WIDE) ? "64-bit" : "32-bit")));
	for (int i = 0; i < SURVEY_SCORE_COUNT; i++)
		if (survey_summary_count(summary, i) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid survey_summary value"),
					 errdetail("The count of score %d is negative.", i)));
	return summary;
}

/* Sum of the counts of scores from..to inclusive, overflow checked */
int64
survey_summary_count_range(const SurveySummary *summary, int from, int to)
{
	int64		total = 0;

	for (int i = from; i <= to; i++)
		total = csm_count_add(total, survey_summary_count(summary, i));
	return total;
}

/* Number of answers in a summary */
int64
survey_summary_responses(const SurveySummary *summary)
{
	return survey_summary_count_range(summary, SURVEY_SCORE_MIN, SURVEY_SCORE_MAX);
}

/*
 * Text input.  Exactly eleven non-negative integers separated by commas,
 * in braces, white space allowed around each element.
 */
PG_FUNCTION_INFO_V1(survey_summary_in);
Datum
survey_summary_in(PG_FUNCTION_ARGS)
{
	CsmIoText	t;
	int64		counts[SURVEY_SCORE_COUNT];
	SurveySummary *summary;

	csm_io_text_init(&t, PG_GETARG_CSTRING(0), "survey_summary",
					 "A survey_summary is eleven non-negative counts, of the scores 0 to 10, such as {0,0,0,0,0,1,0,2,0,3,4}.");
	csm_io_skip_space(&t);
	csm_io_expect(&t, '{');
	for (int i = 0; i < SURVEY_SCORE_COUNT; i++)
	{
		csm_io_skip_space(&t);
		counts[i] = csm_io_parse_count(&t);
		csm_io_skip_space(&t);
		csm_io_expect(&t, i < SURVEY_SCORE_COUNT - 1 ? ',' : '}');
	}
	csm_io_expect_end(&t);

	/* the total must be representable too, so that accessors never fail */
	summary = survey_summary_from_counts(counts);
	(void) survey_summary_responses(summary);
	PG_RETURN_POINTER(summary);
}

/* Text output */
PG_FUNCTION_INFO_V1(survey_summary_out);
Datum
survey_summary_out(PG_FUNCTION_ARGS)
{
	SurveySummary *summary = PG_GETARG_SURVEY_SUMMARY_P(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int i = 0; i < SURVEY_SCORE_COUNT; i++)
		appendStringInfo(&buf, i == 0 ? INT64_FORMAT : "," INT64_FORMAT,
						 survey_summary_count(summary, i));
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Binary input: version byte, then eleven int64 counts, all validated */
PG_FUNCTION_INFO_V1(survey_summary_recv);
Datum
survey_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	SurveySummary *summary;
	int64		counts[SURVEY_SCORE_COUNT];

	csm_io_recv_version(buf, SURVEY_SUMMARY_VERSION, "survey_summary");
	csm_io_recv_counts(buf, counts, SURVEY_SCORE_COUNT, "survey_summary");
	summary = survey_summary_from_counts(counts);
	(void) survey_summary_responses(summary);
	PG_RETURN_POINTER(summary);
}

/* Binary output */
PG_FUNCTION_INFO_V1(survey_summary_send);
Datum
survey_summary_send(PG_FUNCTION_ARGS)
{
	SurveySummary *summary = PG_GETARG_SURVEY_SUMMARY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SURVEY_SUMMARY_VERSION);
	for (int i = 0; i < SURVEY_SCORE_COUNT; i++)
		pq_sendint64(&buf, survey_summary_count(summary, i));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Transition functions, one per input type.  NULL inputs leave the state as
 * it is (NULL before the first answer, so that no answers give NULL).
 */
PG_FUNCTION_INFO_V1(survey_summary_add_score);
Datum
survey_summary_add_score(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return survey_summary_count_answer(fcinfo, PG_GETARG_SURVEY_SCORE(1),
									   "survey_summary_add_score");
}

PG_FUNCTION_INFO_V1(survey_summary_add_int2);
Datum
survey_summary_add_int2(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return survey_summary_count_answer(fcinfo,
									   survey_score_from_int64_checked(PG_GETARG_INT16(1)),
									   "survey_summary_add_int2");
}

PG_FUNCTION_INFO_V1(survey_summary_add_int4);
Datum
survey_summary_add_int4(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return survey_summary_count_answer(fcinfo,
									   survey_score_from_int64_checked(PG_GETARG_INT32(1)),
									   "survey_summary_add_int4");
}

/*
 * Inverse transition functions.  A NULL input was never counted, so
 * removing it changes nothing.
 */
PG_FUNCTION_INFO_V1(survey_summary_remove_score);
Datum
survey_summary_remove_score(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return survey_summary_forget_answer(fcinfo, PG_GETARG_SURVEY_SCORE(1),
										"survey_summary_remove_score");
}

PG_FUNCTION_INFO_V1(survey_summary_remove_int2);
Datum
survey_summary_remove_int2(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return survey_summary_forget_answer(fcinfo,
										survey_score_from_int64_checked(PG_GETARG_INT16(1)),
										"survey_summary_remove_int2");
}

PG_FUNCTION_INFO_V1(survey_summary_remove_int4);
Datum
survey_summary_remove_int4(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return survey_summary_forget_answer(fcinfo,
										survey_score_from_int64_checked(PG_GETARG_INT32(1)),
										"survey_summary_remove_int4");
}

/*
 * Merge the second summary into the first.  Serves as the combine function
 * of every survey aggregate and as the transition function of rollup().
 * All four NULL cases are handled here rather than by declaring the
 * function strict: when only the second is non-NULL the new state is a
 * copy of it.
 */
PG_FUNCTION_INFO_V1(survey_summary_combine);
Datum
survey_summary_combine(PG_FUNCTION_ARGS)
{
	SurveySummary *state;
	SurveySummary *other;
	int64		counts[SURVEY_SCORE_COUNT];

	(void) csm_aggregate_context(fcinfo, "survey_summary_combine");

	CSM_PASS_STATE_IF_INPUT_NULL();
	other = PG_GETARG_SURVEY_SUMMARY_P(1);

	survey_summary_get_counts(other, counts);
	if (PG_ARGISNULL(0))
	{
		/*
		 * A copy, never the argument itself, which the executor may free or
		 * reuse; it moves the copy into the aggregate context itself.
		 */
		PG_RETURN_POINTER(survey_summary_from_counts(counts));
	}

	state = PG_GETARG_SURVEY_SUMMARY_P(0);
	for (int i = 0; i < SURVEY_SCORE_COUNT; i++)
		counts[i] = csm_count_add(survey_summary_count(state, i), counts[i]);
	state = survey_summary_store(state, counts);
	/* keep the total representable, as the input functions do */
	(void) survey_summary_responses(state);
	PG_RETURN_POINTER(state);
}

/*
 * Inverse of rollup()'s transition: take a summary that leaves the window
 * frame back out.
 */
PG_FUNCTION_INFO_V1(survey_summary_uncombine);
Datum
survey_summary_uncombine(PG_FUNCTION_ARGS)
{
	SurveySummary *state;
	SurveySummary *other;
	int64		counts[SURVEY_SCORE_COUNT];

	(void) csm_aggregate_context(fcinfo, "survey_summary_uncombine");
	CSM_PASS_STATE_IF_INPUT_NULL();
	if (PG_ARGISNULL(0))
		csm_no_state_error(fcinfo, "survey_summary_uncombine");
	state = PG_GETARG_SURVEY_SUMMARY_P(0);
	other = PG_GETARG_SURVEY_SUMMARY_P(1);
	survey_summary_get_counts(state, counts);
	for (int i = 0; i < SURVEY_SCORE_COUNT; i++)
		counts[i] = csm_count_sub(counts[i], survey_summary_count(other, i));
	/* the counts only shrink: they fit the state's width, in place */
	PG_RETURN_POINTER(survey_summary_store(state, counts));
}

/*
 * Final function of the moving-aggregate form of survey_agg() and rollup():
 * once every row has left the window frame the state holds no answers, and
 * the aggregate must return NULL as it does over no rows.
 */
PG_FUNCTION_INFO_V1(survey_summary_nonempty);
Datum
survey_summary_nonempty(PG_FUNCTION_ARGS)
{
	SurveySummary *summary;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	summary = PG_GETARG_SURVEY_SUMMARY_P(0);
	if (survey_summary_responses(summary) == 0)
		PG_RETURN_NULL();

	/*
	 * A state that went wide can shrink again in a moving window; return the
	 * narrow form then, so that equal counts are always equal bytes (which
	 * REFRESH MATERIALIZED VIEW CONCURRENTLY compares).
	 */
	if (summary->flags & SURVEY_SUMMARY_WIDE)
	{
		int64		counts[SURVEY_SCORE_COUNT];

		survey_summary_get_counts(summary, counts);
		if (survey_counts_fit_narrow(counts))
			summary = survey_summary_from_counts(counts);
	}
	PG_RETURN_POINTER(summary);
}

/* responses(survey_summary): number of answers */
PG_FUNCTION_INFO_V1(survey_summary_responses_fn);
Datum
survey_summary_responses_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(survey_summary_responses(PG_GETARG_SURVEY_SUMMARY_P(0)));
}

/* promoters(survey_summary): answers of 9 or 10 */
PG_FUNCTION_INFO_V1(survey_summary_promoters);
Datum
survey_summary_promoters(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(survey_summary_count_range(PG_GETARG_SURVEY_SUMMARY_P(0),
											   NPS_PROMOTER_FROM, SURVEY_SCORE_MAX));
}

/* passives(survey_summary): answers of 7 or 8 */
PG_FUNCTION_INFO_V1(survey_summary_passives);
Datum
survey_summary_passives(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(survey_summary_count_range(PG_GETARG_SURVEY_SUMMARY_P(0),
											   NPS_PASSIVE_FROM, NPS_PROMOTER_FROM - 1));
}

/* detractors(survey_summary): answers of 0 to 6 */
PG_FUNCTION_INFO_V1(survey_summary_detractors);
Datum
survey_summary_detractors(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(survey_summary_count_range(PG_GETARG_SURVEY_SUMMARY_P(0),
											   SURVEY_SCORE_MIN, NPS_PASSIVE_FROM - 1));
}

/* score_count(survey_summary, integer): answers at one score */
PG_FUNCTION_INFO_V1(survey_summary_score_count);
Datum
survey_summary_score_count(PG_FUNCTION_ARGS)
{
	SurveySummary *summary = PG_GETARG_SURVEY_SUMMARY_P(0);
	SurveyScore score = survey_score_from_int64_checked(PG_GETARG_INT32(1));

	PG_RETURN_INT64(survey_summary_count(summary, score));
}

/* mean_score(survey_summary): the arithmetic mean of the answers */
PG_FUNCTION_INFO_V1(survey_summary_mean_score);
Datum
survey_summary_mean_score(PG_FUNCTION_ARGS)
{
	SurveySummary *summary = PG_GETARG_SURVEY_SUMMARY_P(0);
	int64		n = survey_summary_responses(summary);
	double		sum = 0.0;

	if (n == 0)
		PG_RETURN_NULL();
	for (int i = 1; i < SURVEY_SCORE_COUNT; i++)
		sum += (double) i * (double) survey_summary_count(summary, i);
	PG_RETURN_FLOAT8(sum / (double) n);
}
