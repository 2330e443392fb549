/*-------------------------------------------------------------------------
 *
 * trial_conversion.c
 *	  trial_conversion_agg(trial_started_on, converted_on, within, as_of):
 *	  trial-to-paid conversion within a window, counted only over the
 *	  trials whose outcome is known, as a rate_summary (rates.h).
 *
 * The rule.  A trial that started on day s has the conversion window
 * s .. s + within, both days included: a 14-day trial started on 1 March
 * converts "within 14 days" if it converts by 15 March, the day it ends
 * (the usual day of the first charge).  The data is complete for every day
 * before as_of (as_of itself is still going on: pass current_date).  Then
 * a trial is
 *
 *		converted		if converted_on <= s + within and converted_on < as_of
 *		not converted	otherwise, once s + within < as_of (the whole
 *						window is known): no conversion, or one after the
 *						window
 *		left out		otherwise: the window is still open and the trial
 *						has not converted yet, so its outcome is unknown
 *
 * Counting the undecided trials as failures (what "converted / trials" over
 * every trial does) biases the rate of recent cohorts down; leaving them
 * out makes every trial-start cohort's rate an estimate of the same thing.
 *
 * within is whole days, weeks, months or years (an interval without a
 * time of day, not negative); months are added as PostgreSQL adds them to
 * a date (31 January + 1 month = 28 or 29 February).  A
 * conversion before the trial started is an error (22008), as are infinite
 * dates; rows with a NULL start, window or as_of are skipped, a NULL
 * converted_on is a trial that has not converted.  Rows that are left out
 * change nothing, so an aggregate over undecided trials only is NULL, as
 * one over no rows.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

#include "csmetrics.h"
#include "rates.h"

/* Raise the error for an infinite date argument */
pg_noreturn static void trial_date_not_finite(const char *what);

static void
trial_date_not_finite(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
			 errmsg("%s must be a finite date", what)));
	pg_unreachable();
}

/*
 * The last day of the window of a trial started on started (finite), for
 * a window validated by trial_window_check.
 */
static DateADT
trial_window_last_day(DateADT started, const Interval *within)
{
	if (within->month == 0)
	{
		int64		last = (int64) started + within->day;

		if (last > (int64) PG_INT32_MAX || !IS_VALID_DATE((DateADT) last))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("date out of range")));
		return (DateADT) last;
	}
	else
	{
		Timestamp	end;

		end = DatumGetTimestamp(DirectFunctionCall2(date_pl_interval,
													DateADTGetDatum(started),
													IntervalPGetDatum(within)));
		return DatumGetDateADT(DirectFunctionCall1(timestamp_date,
												   TimestampGetDatum(end)));
	}
}

/* Check the window: days and months, no time of day, not negative */
static inline void
trial_window_check(const Interval *within)
{
	/* an infinite interval (PostgreSQL 17) has a time part: refused too */
	if (unlikely(within->time != 0 || within->day < 0 || within->month < 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid trial conversion window"),
				 errdetail("The window must be whole days, weeks, months or years, without a time of day, and not negative."),
				 errhint("Use an interval such as '14 days' or '1 month'.")));
}

/*
 * The outcome of one trial: 1 converted, 0 not converted, -1 left out.
 * Arguments 1..4 of fcinfo, none of 1, 3 and 4 NULL.
 */
static int
trial_outcome(FunctionCallInfo fcinfo)
{
	DateADT		started = PG_GETARG_DATEADT(1);
	Interval   *within = PG_GETARG_INTERVAL_P(3);
	DateADT		as_of = PG_GETARG_DATEADT(4);
	DateADT		last;

	trial_window_check(within);
	if (DATE_NOT_FINITE(started))
		trial_date_not_finite("trial start");
	if (DATE_NOT_FINITE(as_of))
		trial_date_not_finite("as_of");
	last = trial_window_last_day(started, within);
	if (!PG_ARGISNULL(2))
	{
		DateADT		converted = PG_GETARG_DATEADT(2);

		if (DATE_NOT_FINITE(converted))
			trial_date_not_finite("conversion date");
		if (converted < started)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
					 errmsg("trial converted before it started"),
					 errdetail("A conversion date must be on or after the trial start.")));
		if (converted <= last && converted < as_of)
			return 1;
	}
	if (last < as_of)
		return 0;
	return -1;
}

/*
 * Transition of trial_conversion_agg(trial_started_on, converted_on,
 * within, as_of): count a decided trial, skip an undecided one.
 */
PG_FUNCTION_INFO_V1(trial_conversion_add);
Datum
trial_conversion_add(PG_FUNCTION_ARGS)
{
	int			outcome;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		outcome = -1;
	else
		outcome = trial_outcome(fcinfo);
	if (outcome < 0)
	{
		csm_check_aggregate_call(fcinfo, "trial_conversion_add");
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	return rate_summary_count_outcome(fcinfo, outcome == 1, "trial_conversion_add");
}
