/*-------------------------------------------------------------------------
 *
 * rate_summary.c
 *	  rate_summary, successes out of trials: its text and binary forms, the
 *	  transition, inverse and combine functions of every rate aggregate
 *	  (rate_agg, fcr_rate, renewal_rate, trial_conversion_rate, csat), and
 *	  the accessors, including the Wilson score interval.
 *
 * Text form: the two counts in parentheses, successes first, e.g. (9,10).
 * Binary form: a version byte (1), then successes and trials as int64.
 *
 * Wilson score interval (Wilson 1927; recommended by Newcombe 1998 and
 * Agresti & Coull 1998 over the Wald interval).  With p = k / n and z the
 * two-sided normal quantile of the confidence level,
 *
 *		centre = (p + z^2 / (2n)) / (1 + z^2 / n)
 *		half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / (4 n^2))
 *
 * and the bounds are centre -/+ half, in percent.  Unlike the Wald interval
 * p -/+ z sqrt(p (1 - p) / n), it does not collapse to a point at 0 of n or
 * n of n, and it never leaves 0..100.
 *
 * rate_difference_test(a, b) is the unpooled (Wald) two-sample z test of
 * the difference of two proportions, in points:
 *
 *		SE = 100 sqrt(p_a (1 - p_a) / n_a + p_b (1 - p_b) / n_b)
 *
 * reported as described in stats.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "csm_io.h"
#include "csmetrics.h"
#include "rates.h"

/* Allocate an empty summary in the current memory context */
RateSummary *
rate_summary_new(void)
{
	RateSummary *summary = palloc0(sizeof(RateSummary));

	SET_VARSIZE(summary, sizeof(RateSummary));
	summary->version = RATE_SUMMARY_VERSION;
	return summary;
}

static void invalid_counts(int64 successes, int64 trials) pg_attribute_noreturn();

/* Raise the error for counts that break 0 <= successes <= trials */
static void
invalid_counts(int64 successes, int64 trials)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid rate_summary value"),
			 errdetail("The counts are " INT64_FORMAT " successes of " INT64_FORMAT " trials; both must be non-negative and successes cannot exceed trials.",
					   successes, trials)));
}

/* A summary of these counts, validated, in the current memory context */
RateSummary *
rate_summary_from_counts(int64 successes, int64 trials)
{
	RateSummary *summary;

	if (!rate_summary_counts_valid(successes, trials))
		invalid_counts(successes, trials);
	summary = rate_summary_new();
	summary->successes = successes;
	summary->trials = trials;
	return summary;
}

/*
 * Validate a summary that reached a function as an argument.  The input
 * functions refuse anything malformed already; this guards against values
 * that arrived another way (a forged state passed to a support function, a
 * future layout read by an old library).
 */
RateSummary *
rate_summary_check(RateSummary *summary)
{
	if (VARSIZE(summary) != sizeof(RateSummary) ||
		summary->version != RATE_SUMMARY_VERSION ||
		summary->flags != 0 || summary->unused != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid rate_summary value"),
				 errdetail("The value has size %u and version %u; expected size %zu and version %d.",
						   (unsigned) VARSIZE(summary), (unsigned) summary->version,
						   sizeof(RateSummary), RATE_SUMMARY_VERSION)));
	if (!rate_summary_counts_valid(summary->successes, summary->trials))
		invalid_counts(summary->successes, summary->trials);
	return summary;
}

/*
 * Text input: "(successes,trials)", two non-negative integers with
 * successes <= trials, white space allowed around each element.
 */
PG_FUNCTION_INFO_V1(rate_summary_in);
Datum
rate_summary_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CsmIoText	t;
	RateSummary *summary = rate_summary_new();

	csm_io_text_init(&t, str, "rate_summary",
					 "A rate_summary is two non-negative counts, successes and trials, such as (9,10).");
	csm_io_skip_space(&t);
	csm_io_expect(&t, '(');
	csm_io_skip_space(&t);
	summary->successes = csm_io_parse_count(&t);
	csm_io_skip_space(&t);
	csm_io_expect(&t, ',');
	csm_io_skip_space(&t);
	summary->trials = csm_io_parse_count(&t);
	csm_io_skip_space(&t);
	csm_io_expect(&t, ')');
	csm_io_expect_end(&t);

	if (summary->successes > summary->trials)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input for type rate_summary: \"%s\"", str),
				 errdetail("The successes (" INT64_FORMAT ") exceed the trials (" INT64_FORMAT ").",
						   summary->successes, summary->trials)));
	PG_RETURN_POINTER(summary);
}

/* Text output: "(successes,trials)" */
PG_FUNCTION_INFO_V1(rate_summary_out);
Datum
rate_summary_out(PG_FUNCTION_ARGS)
{
	RateSummary *summary = PG_GETARG_RATE_SUMMARY_P(0);

	PG_RETURN_CSTRING(psprintf("(" INT64_FORMAT "," INT64_FORMAT ")",
							   summary->successes, summary->trials));
}

/*
 * Binary input: version byte, then successes and trials, all validated.
 * Trailing bytes are left for the caller's end-of-message check.
 */
PG_FUNCTION_INFO_V1(rate_summary_recv);
Datum
rate_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RateSummary *summary;
	int64		counts[2];		/* successes, trials */

	csm_io_recv_version(buf, RATE_SUMMARY_VERSION, "rate_summary");
	csm_io_recv_counts(buf, counts, 2, "rate_summary");
	if (counts[0] > counts[1])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid counts in rate_summary binary input"),
				 errdetail("The counts are " INT64_FORMAT " successes of " INT64_FORMAT " trials; successes cannot exceed trials.",
						   counts[0], counts[1])));

	summary = rate_summary_new();
	summary->successes = counts[0];
	summary->trials = counts[1];
	PG_RETURN_POINTER(summary);
}

/* Binary output */
PG_FUNCTION_INFO_V1(rate_summary_send);
Datum
rate_summary_send(PG_FUNCTION_ARGS)
{
	RateSummary *summary = PG_GETARG_RATE_SUMMARY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, RATE_SUMMARY_VERSION);
	pq_sendint64(&buf, summary->successes);
	pq_sendint64(&buf, summary->trials);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * The slow path of rate_summary_count_outcome(): a call outside an
 * aggregate (an error), the first outcome of a group (a new summary in the
 * current memory context, which the executor copies), or a count that
 * would overflow (an error).
 */
Datum
rate_summary_count_outcome_slow(FunctionCallInfo fcinfo, bool success,
								const char *funcname)
{
	RateSummary *summary;

	(void) csm_aggregate_context(fcinfo, funcname);
	if (PG_ARGISNULL(0))
		summary = rate_summary_new();
	else
		summary = (RateSummary *) PG_GETARG_POINTER(0);
	summary->trials = csm_count_add(summary->trials, 1);
	summary->successes += success ? 1 : 0;
	PG_RETURN_POINTER(summary);
}

/*
 * Transition functions of the boolean aggregates (rate_agg, fcr_rate,
 * renewal_rate, trial_conversion_rate, csat): true is a success.  NULL
 * inputs are skipped.
 */
PG_FUNCTION_INFO_V1(rate_summary_add_bool);
Datum
rate_summary_add_bool(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return rate_summary_count_outcome(fcinfo, PG_GETARG_BOOL(1),
									  "rate_summary_add_bool");
}

/* Inverse transition of the boolean aggregates */
PG_FUNCTION_INFO_V1(rate_summary_remove_bool);
Datum
rate_summary_remove_bool(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return rate_summary_forget_outcome(fcinfo, PG_GETARG_BOOL(1),
									   "rate_summary_remove_bool");
}

/*
 * A ticket's number of contacts until resolution: at least 1, and resolved
 * on first contact when exactly 1.
 */
static inline bool
first_contact_resolved(int32 contacts)
{
	if (unlikely(contacts < 1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("contacts to resolve %d is out of range", contacts),
				 errdetail("A resolved ticket took at least 1 contact."),
				 errhint("Use NULL for a ticket that is not resolved yet.")));
	return contacts == 1;
}

/* Transition of fcr_rate(integer contacts_to_resolve) */
PG_FUNCTION_INFO_V1(rate_summary_add_contacts);
Datum
rate_summary_add_contacts(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return rate_summary_count_outcome(fcinfo,
									  first_contact_resolved(PG_GETARG_INT32(1)),
									  "rate_summary_add_contacts");
}

/* Inverse transition of fcr_rate(integer contacts_to_resolve) */
PG_FUNCTION_INFO_V1(rate_summary_remove_contacts);
Datum
rate_summary_remove_contacts(PG_FUNCTION_ARGS)
{
	CSM_PASS_STATE_IF_INPUT_NULL();
	return rate_summary_forget_outcome(fcinfo,
									   first_contact_resolved(PG_GETARG_INT32(1)),
									   "rate_summary_remove_contacts");
}

/*
 * Merge the second summary into the first: the combine function of every
 * rate aggregate and the transition function of rollup(rate_summary).  All
 * four NULL cases are handled; when only the second is non-NULL the new
 * state is a copy of it.
 */
PG_FUNCTION_INFO_V1(rate_summary_combine);
Datum
rate_summary_combine(PG_FUNCTION_ARGS)
{
	RateSummary *state;
	RateSummary *other;

	(void) csm_aggregate_context(fcinfo, "rate_summary_combine");
	CSM_PASS_STATE_IF_INPUT_NULL();
	other = PG_GETARG_RATE_SUMMARY_P(1);

	if (PG_ARGISNULL(0))
	{
		/* a copy, never the argument itself; the executor moves it */
		PG_RETURN_POINTER(rate_summary_from_counts(other->successes, other->trials));
	}

	state = PG_GETARG_RATE_SUMMARY_P(0);
	state->successes = csm_count_add(state->successes, other->successes);
	state->trials = csm_count_add(state->trials, other->trials);
	PG_RETURN_POINTER(state);
}

/* Inverse of rollup()'s transition: take a summary back out of the frame */
PG_FUNCTION_INFO_V1(rate_summary_uncombine);
Datum
rate_summary_uncombine(PG_FUNCTION_ARGS)
{
	RateSummary *state;
	RateSummary *other;

	(void) csm_aggregate_context(fcinfo, "rate_summary_uncombine");
	CSM_PASS_STATE_IF_INPUT_NULL();
	if (PG_ARGISNULL(0))
		csm_no_state_error(fcinfo, "rate_summary_uncombine");
	state = PG_GETARG_RATE_SUMMARY_P(0);
	other = PG_GETARG_RATE_SUMMARY_P(1);
	state->successes = csm_count_sub(state->successes, other->successes);
	state->trials = csm_count_sub(state->trials, other->trials);
	if (state->successes > state->trials)
		csm_removal_error("The successes would exceed the trials.");
	PG_RETURN_POINTER(state);
}

/*
 * Moving final function of rate_agg() and rollup(): NULL once every row
 * has left the window frame, as over no rows.
 */
PG_FUNCTION_INFO_V1(rate_summary_nonempty);
Datum
rate_summary_nonempty(PG_FUNCTION_ARGS)
{
	RateSummary *summary;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	summary = PG_GETARG_RATE_SUMMARY_P(0);
	if (summary->trials == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(summary);
}

/* rate(rate_summary): successes / trials in percent, NULL without trials */
PG_FUNCTION_INFO_V1(rate_summary_rate);
Datum
rate_summary_rate(PG_FUNCTION_ARGS)
{
	RateSummary *summary = PG_GETARG_RATE_SUMMARY_P(0);

	if (summary->trials == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * (double) summary->successes / (double) summary->trials);
}

/* successes(rate_summary) */
PG_FUNCTION_INFO_V1(rate_summary_successes);
Datum
rate_summary_successes(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_RATE_SUMMARY_P(0)->successes);
}

/* trials(rate_summary) */
PG_FUNCTION_INFO_V1(rate_summary_trials);
Datum
rate_summary_trials(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_RATE_SUMMARY_P(0)->trials);
}

/*
 * One bound of the Wilson score interval in percent: sign -1 for the lower,
 * +1 for the upper.  At 0 successes the lower bound is exactly 0 and at n
 * of n the upper bound is exactly 100 (the formula gives them up to
 * rounding); every bound is kept inside 0..100.
 */
static double
wilson_bound(int64 successes, int64 trials, double z, double sign)
{
	double		n = (double) trials;
	double		p = (double) successes / n;
	double		z2n = z * z / n;
	double		centre = (p + z2n / 2.0) / (1.0 + z2n);
	double		half = z / (1.0 + z2n) *
		sqrt(p * (1.0 - p) / n + z2n / (4.0 * n));
	double		bound;

	if (sign < 0 && successes == 0)
		return 0.0;
	if (sign > 0 && successes == trials)
		return 100.0;
	bound = 100.0 * (centre + sign * half);
	return Max(0.0, Min(100.0, bound));
}

/* rate_lower / rate_upper: validate the confidence, NULL without trials */
static Datum
rate_bound(FunctionCallInfo fcinfo, double sign)
{
	RateSummary *summary = PG_GETARG_RATE_SUMMARY_P(0);
	double		z = csm_confidence_z(PG_GETARG_FLOAT8(1));

	if (summary->trials == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(wilson_bound(summary->successes, summary->trials, z, sign));
}

/* rate_lower(rate_summary, confidence float8): Wilson lower bound, percent */
PG_FUNCTION_INFO_V1(rate_summary_rate_lower);
Datum
rate_summary_rate_lower(PG_FUNCTION_ARGS)
{
	return rate_bound(fcinfo, -1.0);
}

/* rate_upper(rate_summary, confidence float8): Wilson upper bound, percent */
PG_FUNCTION_INFO_V1(rate_summary_rate_upper);
Datum
rate_summary_rate_upper(PG_FUNCTION_ARGS)
{
	return rate_bound(fcinfo, 1.0);
}

/* Rate in percent and its variance in points squared; false if empty */
static bool
rate_and_variance(const RateSummary *summary, double *rate, double *variance)
{
	double		n = (double) summary->trials;
	double		p;

	if (summary->trials == 0)
		return false;
	p = (double) summary->successes / n;
	*rate = 100.0 * p;
	*variance = 10000.0 * p * (1.0 - p) / n;
	return true;
}

/* rate_difference_test(a rate_summary, b rate_summary) */
PG_FUNCTION_INFO_V1(rate_difference_test);
Datum
rate_difference_test(PG_FUNCTION_ARGS)
{
	double		rate_a,
				var_a,
				rate_b,
				var_b;

	if (!rate_and_variance(PG_GETARG_RATE_SUMMARY_P(0), &rate_a, &var_a) ||
		!rate_and_variance(PG_GETARG_RATE_SUMMARY_P(1), &rate_b, &var_b))
		return csm_z_test_result(fcinfo, true, 0.0, 0.0);
	return csm_z_test_result(fcinfo, false, rate_a - rate_b, sqrt(var_a + var_b));
}
