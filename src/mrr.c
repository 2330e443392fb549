/*-------------------------------------------------------------------------
 *
 * mrr.c
 *	  Monthly recurring revenue: monthly_amount() normalises a recurring
 *	  charge to one month, and the mrr() and arr() aggregates sum it.
 *
 * A billing period of m months (a year is 12) gives amount / m.  A period
 * of d days (a week is 7) gives amount * 30.4375 / d, since an average
 * month is 365.25 / 12 = 30.4375 days.  A period that mixes months with
 * days, has a time-of-day part, or is not positive cannot be normalised.
 *
 * Rounding.  Let s be the amount's scale (its number of decimal places)
 * and S = max(s, 10).  The result is the exact quotient rounded half away
 * from zero to S decimal places, then shown with its trailing zeros
 * removed, but never with fewer than s decimal places.  So 1200.00 a
 * year is 100.00, 300 a quarter is 100, 70 a week is 304.375 (exact), and
 * 100 a quarter is 33.3333333333.  mrr() is the exact sum of these
 * per-row values.
 *
 * arr() sums annual_amount(), the same normalisation to a year: amount *
 * 12 / m for m months, amount * 365.25 / d for d days, rounded as above.
 * So an annual plan's ARR is exactly its amount and a monthly plan's
 * exactly 12 times its amount; arr() is 12 times mrr() exactly whenever
 * every monthly amount is exact (whole-month periods dividing the amount,
 * monthly and weekly plans), and may differ from it in the last decimal
 * place otherwise (5 a year: MRR 0.4166666667, ARR 5).
 *
 * Since 1.1 the mrr() and arr() aggregates keep their sum in the state
 * type mrr_state (mrr_state.c), which takes the normalised amount from
 * csm_recurring_amount() below.  The 1.0 aggregates reused PostgreSQL's own
 * sum(numeric) state and support functions (numeric_avg_accum and friends,
 * an internal state); their transition functions below stay in the library
 * for databases still at 1.0.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "csmetrics.h"
#include "money.h"
#include "mrr.h"

/* An average month in days, 365.25 / 12, times 10^4 */
#define DAYS_PER_MONTH_E4	304375
#define DAYS_PER_MONTH_SCALE 4

/* Decimal places every monthly amount is rounded to, at least */
#define MONTHLY_MIN_SCALE	10

/* Guard digits of the numeric fallback division (see monthly_numeric) */
#define MONTHLY_GUARD_DIGITS 14

/* Largest amount scale the numeric fallback can divide exactly */
#define MONTHLY_MAX_SCALE	(1000 - MONTHLY_GUARD_DIGITS)

/* monthly = amount * numerator / denominator */
typedef struct BillingPeriod
{
	int64		numerator;
	int64		denominator;
} BillingPeriod;

/* Raise invalid_parameter_value for a billing period */
static void
billing_period_error(const Interval *period, const char *detail)
{
	char	   *text = DatumGetCString(DirectFunctionCall1(interval_out,
														   IntervalPGetDatum(period)));

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("billing period \"%s\" cannot be normalised to a month", text),
			 errdetail("%s", detail),
			 errhint("Use a whole number of months or years, such as '1 month', '3 months' or '1 year', or of days or weeks, such as '14 days' or '1 week'.")));
}

/* Greatest common divisor of two positive integers */
static int64
gcd64(int64 a, int64 b)
{
	while (b != 0)
	{
		int64		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * Turn a monthly ratio into an annual one (12 times), reduced, so that a
 * yearly period gives 1 / 1 and returns the amount itself
 */
static void
billing_period_annual(BillingPeriod *bp)
{
	int64		g;

	bp->numerator *= 12;		/* at most 304375 * 12 */
	g = gcd64(bp->numerator, bp->denominator);
	bp->numerator /= g;
	bp->denominator /= g;
}

/* Check a billing period and turn it into a ratio */
static void
billing_period_parse(const Interval *period, BillingPeriod *bp)
{
	if (period->time != 0)
		billing_period_error(period, "A billing period cannot have a time-of-day part.");
	if (period->month != 0 && period->day != 0)
		billing_period_error(period, "A billing period cannot mix months with days.");
	if (period->month < 0 || period->day < 0 ||
		(period->month == 0 && period->day == 0))
		billing_period_error(period, "A billing period must be positive.");
	if (period->month > 0)
	{
		bp->numerator = 1;
		bp->denominator = period->month;
	}
	else
	{
		bp->numerator = DAYS_PER_MONTH_E4;
		bp->denominator = (int64) period->day * 10000;
	}
}

/* Reject NaN and the infinities as amounts of money */
static inline void
check_finite_amount(const CsmNumericView *view)
{
	if (view->special)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount must be a finite number"),
				 errdetail("NaN and infinity are not amounts of money.")));
}

/*
 * The general case, in numeric arithmetic, for amounts too large for the
 * fixed-point path.  numeric division rounds its result to its own scale,
 * which is at least the divisor's display scale; giving the divisor
 * S + 14 decimal places makes that first rounding harmless.  The exact
 * quotient times 10^S is an integer over a denominator D below 10^14
 * (months, or days * 10^4, or either reduced), so it is at least 1 / (2D) away from a
 * half-way point unless it is one, and rounding at S + 14 places moves it
 * by less than that: rounding again to S places gives the correctly
 * rounded result.
 */
static Numeric
monthly_numeric(Datum amount, int dscale, const BillingPeriod *bp)
{
	int			scale = Max(dscale, MONTHLY_MIN_SCALE);
	Numeric		value = DatumGetNumeric(amount);
	Numeric		divisor;
	Datum		result;

	if (dscale > MONTHLY_MAX_SCALE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount has too many decimal places to normalise"),
				 errdetail("The amount has %d decimal places; at most %d are supported.",
						   dscale, MONTHLY_MAX_SCALE)));
	if (bp->numerator != 1)
		value = numeric_mul_opt_error(value, int64_to_numeric(bp->numerator), NULL);
	divisor = int64_to_numeric(bp->denominator);
	divisor = DatumGetNumeric(DirectFunctionCall2(numeric_round,
												  NumericGetDatum(divisor),
												  Int32GetDatum(scale + MONTHLY_GUARD_DIGITS)));
	result = NumericGetDatum(numeric_div_opt_error(value, divisor, NULL));
	result = DirectFunctionCall2(numeric_round, result, Int32GetDatum(scale));
	result = DirectFunctionCall1(numeric_trim_scale, result);
	if (DatumGetInt32(DirectFunctionCall1(numeric_scale, result)) < dscale)
		result = DirectFunctionCall2(numeric_round, result, Int32GetDatum(dscale));
	return DatumGetNumeric(result);
}

/*
 * The fixed-point path of the normalisation: the monthly amount in units
 * of 10^-*scale, or false when the amount is too large for it (the caller
 * then divides in numeric).  A monthly period gives the amount itself.
 */
static bool
monthly_fixed(const CsmNumericView *view, const BillingPeriod *bp,
			  int128 *units, int *scale)
{
	int			s;
	int128		x;
	int128		q;
	int128		r;

	if (bp->numerator == 1 && bp->denominator == 1)
	{
		*scale = view->dscale;
		return view->dscale <= CSM_FIXED_DIGITS &&
			csm_view_to_fixed(view, view->dscale, units);
	}
	s = Max(view->dscale, MONTHLY_MIN_SCALE);
	if (s > CSM_FIXED_DIGITS ||
		!csm_view_to_fixed(view, s, &x) ||
		__builtin_mul_overflow(x, (int128) bp->numerator, &x))
		return false;

	/* divide, rounding half away from zero */
	q = x / bp->denominator;
	r = x % bp->denominator;
	if (r < 0)
		r = -r;
	if (2 * r >= bp->denominator)
		q += (x < 0) ? -1 : 1;

	/* drop trailing zeros, down to the amount's own scale */
	while (s > view->dscale && q % 10 == 0)
	{
		q /= 10;
		s--;
	}
	*units = q;
	*scale = s;
	return true;
}

/*
 * Normalise one amount.  Whole-month periods with small amounts, the
 * common case, never leave fixed-point arithmetic; a monthly period
 * returns the amount itself.
 */
static Datum
monthly_amount_datum(Datum amount, const BillingPeriod *bp)
{
	CsmNumericView view;
	int			scale;
	int128		q;

	csm_numeric_view(amount, &view);
	check_finite_amount(&view);
	if (bp->numerator == 1 && bp->denominator == 1)
		return amount;
	if (!monthly_fixed(&view, bp, &q, &scale))
		return NumericGetDatum(monthly_numeric(amount, view.dscale, bp));
	return NumericGetDatum(csm_fixed_to_numeric(q, scale));
}

/*
 * monthly_amount() for other families (mrr.h): the same value, in units of
 * 10^-*scale, *scale being its display scale.  false when it has more than
 * CSM_FIXED_DIGITS digits.
 */
bool
csm_monthly_amount_fixed(Datum amount, const Interval *period,
						 int128 *units, int *scale)
{
	Numeric		result;
	CsmNumericView view;

	if (csm_recurring_amount(amount, period, false, units, scale, &result))
		return true;
	csm_numeric_view(NumericGetDatum(result), &view);
	*scale = view.dscale;
	return view.dscale <= CSM_FIXED_DIGITS &&
		csm_view_to_fixed(&view, view.dscale, units);
}

/*
 * The monthly (annual false) or annual amount of a charge for the mrr_state
 * aggregates (mrr.h): exactly what monthly_amount() or annual_amount()
 * returns, in units of 10^-*scale (true) when it has at most
 * CSM_FIXED_DIGITS digits, otherwise as a numeric (*numeric, false).
 */
bool
csm_recurring_amount(Datum amount, const Interval *period, bool annual,
					 int128 *units, int *scale, Numeric *numeric)
{
	BillingPeriod bp;
	CsmNumericView view;

	billing_period_parse(period, &bp);
	if (annual)
		billing_period_annual(&bp);
	csm_numeric_view(amount, &view);
	check_finite_amount(&view);
	if (monthly_fixed(&view, &bp, units, scale))
		return true;
	if (bp.numerator == 1 && bp.denominator == 1)
		*numeric = DatumGetNumeric(amount);
	else
		*numeric = monthly_numeric(amount, view.dscale, &bp);
	return false;
}

/* annual_amount(amount numeric, billing_period interval): the amount per year */
PG_FUNCTION_INFO_V1(mrr_annual_amount);
Datum
mrr_annual_amount(PG_FUNCTION_ARGS)
{
	BillingPeriod bp;
	Datum		result;

	billing_period_parse(PG_GETARG_INTERVAL_P(1), &bp);
	billing_period_annual(&bp);
	result = monthly_amount_datum(PG_GETARG_DATUM(0), &bp);
	PG_RETURN_NUMERIC(DatumGetNumeric(result));
}

/* monthly_amount(amount numeric, billing_period interval): the amount per month */
PG_FUNCTION_INFO_V1(mrr_monthly_amount);
Datum
mrr_monthly_amount(PG_FUNCTION_ARGS)
{
	BillingPeriod bp;
	Datum		result;

	billing_period_parse(PG_GETARG_INTERVAL_P(1), &bp);
	result = monthly_amount_datum(PG_GETARG_DATUM(0), &bp);
	/* hand back a plain (not packed) numeric */
	PG_RETURN_NUMERIC(DatumGetNumeric(result));
}

/*
 * Call one of PostgreSQL's sum(numeric) support functions on the state,
 * in the aggregate context of the caller (they check it).
 */
static Datum
call_numeric_support(PGFunction fn, FunctionCallInfo outer,
					 Datum state, bool state_isnull,
					 int nargs, Datum value, bool value_isnull, bool *isnull)
{
	LOCAL_FCINFO(inner, 2);
	Datum		result;

	InitFunctionCallInfoData(*inner, NULL, nargs, InvalidOid, outer->context, NULL);
	inner->args[0].value = state;
	inner->args[0].isnull = state_isnull;
	if (nargs > 1)
	{
		inner->args[1].value = value;
		inner->args[1].isnull = value_isnull;
	}
	result = fn(inner);
	*isnull = inner->isnull;
	return result;
}

/*
 * Transition (and inverse transition) of mrr() (annual false) and arr()
 * (annual true): normalise the charge, then add it to (or take it from)
 * the sum.  Rows with a NULL amount or period are skipped, but the first
 * of them still creates the (empty) state: the transition of a moving
 * window must not return NULL, and a frame may start with such a row.
 * numeric_sum() turns an empty state into NULL, as over no rows.
 */
static Datum
mrr_transition(FunctionCallInfo fcinfo, PGFunction fn, bool annual,
			   const char *funcname)
{
	BillingPeriod bp;
	Datum		normalised;
	Datum		result;
	bool		isnull;

	(void) csm_aggregate_context(fcinfo, funcname);
	if (fn == numeric_avg_accum && PG_ARGISNULL(0) &&
		(PG_ARGISNULL(1) || PG_ARGISNULL(2)))
		return call_numeric_support(fn, fcinfo, (Datum) 0, true,
									2, (Datum) 0, true, &fcinfo->isnull);
	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);
	billing_period_parse(PG_GETARG_INTERVAL_P(2), &bp);
	if (annual)
		billing_period_annual(&bp);
	normalised = monthly_amount_datum(PG_GETARG_DATUM(1), &bp);
	result = call_numeric_support(fn, fcinfo, PG_GETARG_DATUM(0), PG_ARGISNULL(0),
								  2, normalised, false, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(result);
}

/* mrr(numeric, interval) and arr(numeric, interval) transition */
PG_FUNCTION_INFO_V1(mrr_accum);
Datum
mrr_accum(PG_FUNCTION_ARGS)
{
	return mrr_transition(fcinfo, numeric_avg_accum, false, "mrr_accum");
}

/* mrr(numeric, interval) and arr(numeric, interval) inverse transition */
PG_FUNCTION_INFO_V1(mrr_accum_inv);
Datum
mrr_accum_inv(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) && !PG_ARGISNULL(1) && !PG_ARGISNULL(2))
		csm_no_state_error(fcinfo, "mrr_accum_inv");
	return mrr_transition(fcinfo, numeric_accum_inv, false, "mrr_accum_inv");
}

/* arr(numeric, interval) transition (1.1; 1.0 summed monthly amounts) */
PG_FUNCTION_INFO_V1(arr_accum);
Datum
arr_accum(PG_FUNCTION_ARGS)
{
	return mrr_transition(fcinfo, numeric_avg_accum, true, "arr_accum");
}

/* arr(numeric, interval) inverse transition */
PG_FUNCTION_INFO_V1(arr_accum_inv);
Datum
arr_accum_inv(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) && !PG_ARGISNULL(1) && !PG_ARGISNULL(2))
		csm_no_state_error(fcinfo, "arr_accum_inv");
	return mrr_transition(fcinfo, numeric_accum_inv, true, "arr_accum_inv");
}

/*
 * arr() final function of 1.0: 12 times the sum of monthly amounts, NULL
 * over no rows.  1.1 no longer uses it (arr() sums annual amounts); the
 * library keeps it for databases still at 1.0.
 */
PG_FUNCTION_INFO_V1(mrr_arr_final);
Datum
mrr_arr_final(PG_FUNCTION_ARGS)
{
	Datum		sum;
	bool		isnull;

	(void) csm_aggregate_context(fcinfo, "mrr_arr_final");
	sum = call_numeric_support(numeric_sum, fcinfo, PG_GETARG_DATUM(0),
							   PG_ARGISNULL(0), 1, (Datum) 0, false, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(numeric_mul_opt_error(DatumGetNumeric(sum),
											int64_to_numeric(12), NULL));
}
