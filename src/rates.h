/*-------------------------------------------------------------------------
 *
 * rates.h
 *	  The rate_summary type (successes out of trials) shared by the rate,
 *	  CSAT and effort-score files.
 *
 * rate_summary is the state type of every aggregate that reports the share
 * of a yes/no outcome: rate_agg, fcr_rate, renewal_rate,
 * trial_conversion_rate, csat and ces_easy_pct.  The one-step aggregates are
 * the two-step one with rate() as the final function.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_RATES_H
#define CSMETRICS_RATES_H

#include "postgres.h"

#include "fmgr.h"

#include "csmetrics.h"

/*
 * On-disk and in-memory layout of rate_summary: a varlena of fixed size
 * (24 bytes), stored plain.  pg_upgrade copies stored values byte for
 * byte, so this layout is forever; version and flags leave room to change
 * it in a later release.  Always 0 <= successes <= trials.
 */
typedef struct RateSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* RATE_SUMMARY_VERSION */
	uint8		flags;			/* no flags are defined yet: always 0 */
	uint16		unused;			/* reserved, always 0 */
	int64		successes;		/* outcomes that were "yes" */
	int64		trials;			/* all outcomes counted */
} RateSummary;

#define RATE_SUMMARY_VERSION	1

#define DatumGetRateSummaryP(X)		rate_summary_check((RateSummary *) PG_DETOAST_DATUM(X))
#define PG_GETARG_RATE_SUMMARY_P(n) DatumGetRateSummaryP(PG_GETARG_DATUM(n))

/*
 * Can these counts form a rate_summary?  The one statement of the rule
 * 0 <= successes <= trials, for every function that builds or reads one.
 */
static inline bool
rate_summary_counts_valid(int64 successes, int64 trials)
{
	return successes >= 0 && successes <= trials;
}

/* An empty summary, (0,0) */
extern RateSummary *rate_summary_new(void);

/*
 * A summary of these counts, validated (22P03 when they break the rule);
 * every function that makes a summary from counts goes through it.
 */
extern RateSummary *rate_summary_from_counts(int64 successes, int64 trials);

/* Validate a summary that reached a function as an argument */
extern RateSummary *rate_summary_check(RateSummary *summary);

/*
 * Transition and inverse-transition work shared by every aggregate whose
 * state is a rate_summary: count (or forget) one outcome.  The caller has
 * already skipped NULL inputs and validated the row.  Inline because it
 * runs once per row: the common case, inside an aggregate with a state,
 * calls nothing.  The state is always one these functions allocated, so it
 * is updated in place without detoasting.
 */

/* Out of line: the first outcome of a group (a new state), the errors */
extern Datum rate_summary_count_outcome_slow(FunctionCallInfo fcinfo, bool success,
											 const char *funcname);

/* Count one outcome (transition) */
static inline Datum
rate_summary_count_outcome(FunctionCallInfo fcinfo, bool success,
						   const char *funcname)
{
	if (likely(!PG_ARGISNULL(0) && csm_in_aggregate(fcinfo)))
	{
		RateSummary *summary = (RateSummary *) PG_GETARG_POINTER(0);

		/* successes <= trials, so checking trials covers both */
		if (likely(summary->trials < PG_INT64_MAX))
		{
			summary->trials++;
			summary->successes += success ? 1 : 0;
			PG_RETURN_POINTER(summary);
		}
	}
	return rate_summary_count_outcome_slow(fcinfo, success, funcname);
}

/* Forget one outcome (moving-aggregate inverse transition) */
static inline Datum
rate_summary_forget_outcome(FunctionCallInfo fcinfo, bool success,
							const char *funcname)
{
	RateSummary *summary;

	csm_check_aggregate_call(fcinfo, funcname);
	if (PG_ARGISNULL(0))
		csm_no_state_error(fcinfo, funcname);
	summary = (RateSummary *) PG_GETARG_POINTER(0);
	summary->trials = csm_count_sub(summary->trials, 1);
	if (success)
		summary->successes = csm_count_sub(summary->successes, 1);
	if (summary->successes > summary->trials)
		csm_removal_error("The successes would exceed the trials.");
	PG_RETURN_POINTER(summary);
}

#endif							/* CSMETRICS_RATES_H */
