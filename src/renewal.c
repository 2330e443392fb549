/*-------------------------------------------------------------------------
 *
 * renewal.c
 *	  renewal_windows(): the renewals of one contract that fell due up to
 *	  a date, each with its outcome (renewed, churned or still pending).
 *
 * Renewal k of a contract that started on s with term T falls due on
 *
 *		due_k = s + k * T		(k = 1, 2, ...)
 *
 * computed from the start date every time, never by adding T to the
 * previous due date, so that a monthly contract from 31 January falls due
 * on 29 February 2024, 31 March and 30 April (adding a month at a time
 * would drift to the 29th).  As for date + interval in PostgreSQL, the
 * months of k * T are added first (the day of the month clamped to the
 * length of the month reached), then its days.
 *
 * With grace period g the renewal is decided on due_k + g:
 *		churned		ended_on <= due_k + g, and ended_on <= as_of
 *		pending		not churned, and as_of < due_k + g
 *		renewed		otherwise (ended_on NULL or after due_k + g)
 * so an outcome is always what was known on as_of.  No row follows the
 * renewal at which the customer churned.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"

#include "csmetrics.h"
#include "renewal.h"

/*
 * At most this many renewals per contract.  A daily term reaches it after
 * 273 years; anything longer is a data error (say a daily term where a
 * yearly one was meant), not a report anyone wants.
 */
#define RENEWAL_MAX_ROWS	100000

/* A date beyond every finite date */
#define DATE_BEYOND_ALL		PG_INT64_MAX

/* The enum labels, in the order of the type (renewed < churned < pending) */
typedef enum RenewalOutcome
{
	RENEWAL_RENEWED,
	RENEWAL_CHURNED,
	RENEWAL_PENDING
} RenewalOutcome;

static const char *const renewal_outcome_labels[] = {"renewed", "churned", "pending"};

/* What renewal_windows() carries from one call to the next */
typedef struct RenewalPlan
{
	int			start_year;
	int			start_mon;
	int			start_mday;
	int32		term_months;
	int32		term_days;
	int32		grace_months;
	int32		grace_days;
	bool		has_end;		/* false: never ended (NULL or infinity) */
	DateADT		ended_on;
	DateADT		as_of;
	int32		next;			/* the renewal number of the next row */
	bool		done;
	Oid			outcome_oids[3];
} RenewalPlan;

/*
 * The date months and days after year-mon-mday (mon 1..12), as days since
 * 2000-01-01, with the day of the month clamped to the month reached.
 * months and days are non-negative.  A result past the last finite date is
 * DATE_BEYOND_ALL.
 */
static int64
shift_date(int year, int mon, int mday, int64 months, int64 days)
{
	int64		total = (int64) year * 12 + (mon - 1) + months;
	int64		y = total / 12;
	int			m = (int) (total % 12);
	int			d;

	if (m < 0)
	{
		m += 12;
		y -= 1;
	}
	/* every finite date lies before 1 January of JULIAN_MAXYEAR */
	if (y >= JULIAN_MAXYEAR)
		return DATE_BEYOND_ALL;
	d = Min(mday, day_tab[isleap(y)][m]);
	return (int64) date2j((int) y, m + 1, d) - POSTGRES_EPOCH_JDATE + days;
}

/* Due date of renewal k */
static inline int64
renewal_due(const RenewalPlan *plan, int64 k)
{
	return shift_date(plan->start_year, plan->start_mon, plan->start_mday,
					  k * plan->term_months, k * plan->term_days);
}

/* The day on which a renewal due on due is decided (due + grace) */
static inline int64
renewal_deadline(const RenewalPlan *plan, DateADT due)
{
	int			y,
				m,
				d;

	if (plan->grace_months == 0)
		return (int64) due + plan->grace_days;
	j2date(due + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	return shift_date(y, m, d, plan->grace_months, plan->grace_days);
}

/*
 * Check that a term or grace period is a whole number of months and days,
 * none negative; the term must also be positive.
 */
static void
check_period(const Interval *period, const char *what, bool positive)
{
	if (period->time != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a whole number of days, months or years", what),
				 errdetail("The %s has a time-of-day part.", what),
				 errhint("Write '1 day' rather than '24 hours'.")));
	if (period->month < 0 || period->day < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", what),
				 errdetail("Neither the months nor the days of the %s may be negative.", what)));
	if (positive && period->month == 0 && period->day == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be positive", what)));
}

/* Build the plan from the arguments, or return NULL when there are no rows */
static RenewalPlan *
renewal_plan(FunctionCallInfo fcinfo)
{
	DateADT		started_on;
	Interval   *term;
	Interval   *grace;
	DateADT		as_of;
	RenewalPlan *plan;

	/* NULL anywhere but in ended_on: nothing is known, so no rows */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3) ||
		(PG_NARGS() > 4 && PG_ARGISNULL(4)))
		return NULL;

	started_on = PG_GETARG_DATEADT(0);
	term = PG_GETARG_INTERVAL_P(1);
	as_of = PG_GETARG_DATEADT(3);

	check_period(term, "term", true);
	if (PG_NARGS() > 4)
	{
		grace = PG_GETARG_INTERVAL_P(4);
		check_period(grace, "grace period", false);
	}
	else
		grace = NULL;

	if (DATE_NOT_FINITE(started_on))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("start date must be finite")));
	if (DATE_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("as-of date must be finite")));

	plan = palloc0(sizeof(RenewalPlan));
	if (!PG_ARGISNULL(2) && !DATE_IS_NOEND(PG_GETARG_DATEADT(2)))
	{
		plan->has_end = true;
		plan->ended_on = PG_GETARG_DATEADT(2);
		if (plan->ended_on < started_on)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("end date %s is before start date %s",
							DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(plan->ended_on))),
							DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(started_on))))));
	}

	j2date(started_on + POSTGRES_EPOCH_JDATE,
		   &plan->start_year, &plan->start_mon, &plan->start_mday);
	plan->term_months = term->month;
	plan->term_days = term->day;
	plan->grace_months = grace ? grace->month : 0;
	plan->grace_days = grace ? grace->day : 0;
	plan->as_of = as_of;
	plan->next = 1;

	return plan;
}

/* renewal_windows(started_on, term, ended_on, as_of [, grace]): one row per renewal due */
PG_FUNCTION_INFO_V1(renewal_windows);
Datum
renewal_windows(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	RenewalPlan *plan;
	int64		due;
	int64		deadline;
	RenewalOutcome outcome;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	HeapTuple	tuple;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;
		Oid			enumtype;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "renewal_windows must return a composite type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);

		plan = renewal_plan(fcinfo);
		if (plan != NULL)
		{
			enumtype = TupleDescAttr(tupdesc, 2)->atttypid;
			for (int i = 0; i < 3; i++)
				plan->outcome_oids[i] =
					DatumGetObjectId(DirectFunctionCall2(enum_in,
														 CStringGetDatum(renewal_outcome_labels[i]),
														 ObjectIdGetDatum(enumtype)));
		}
		funcctx->user_fctx = plan;
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	plan = (RenewalPlan *) funcctx->user_fctx;
	if (plan == NULL || plan->done)
		SRF_RETURN_DONE(funcctx);

	due = renewal_due(plan, plan->next);
	if (due > plan->as_of)
		SRF_RETURN_DONE(funcctx);
	if (plan->next > RENEWAL_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many renewals"),
				 errdetail("The contract falls due more than %d times by the as-of date.",
						   RENEWAL_MAX_ROWS),
				 errhint("Check that the term is not much shorter than intended.")));

	deadline = renewal_deadline(plan, (DateADT) due);
	if (plan->has_end && plan->ended_on <= deadline && plan->ended_on <= plan->as_of)
	{
		outcome = RENEWAL_CHURNED;
		plan->done = true;
	}
	else if (plan->as_of < deadline)
		outcome = RENEWAL_PENDING;
	else
		outcome = RENEWAL_RENEWED;

	values[0] = Int32GetDatum(plan->next);
	values[1] = DateADTGetDatum((DateADT) due);
	values[2] = ObjectIdGetDatum(plan->outcome_oids[outcome]);
	plan->next++;

	tuple = heap_form_tuple(funcctx->tuple_desc, values, nulls);
	SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
}

/*
 * The due date of renewal k (k >= 0) of a term of months and days from
 * started_on, for other families (renewal.h): the same rule as
 * renewal_windows(), months first with the day clamped, then days.
 */
int64
csm_renewal_due_day(DateADT started_on, int32 months, int32 days, int64 k)
{
	int			y,
				m,
				d;

	j2date(started_on + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	return shift_date(y, m, d, k * months, k * days);
}
