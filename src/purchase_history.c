/*-------------------------------------------------------------------------
 *
 * purchase_history.c
 *	  One customer's purchases counted in periods of an explicit time unit:
 *	  the purchase_history type, the purchase_history_agg() aggregate that
 *	  builds it (GROUP BY customer), and the accessors frequency(),
 *	  recency(), age(), monetary_value() and purchases() that the
 *	  BG/NBD and Gamma-Gamma models take as input.
 *
 * Periods.  A time unit is an interval of fixed length: days and time, no
 * months or years (a month has no fixed length; '30 days' says what it
 * means).  Time is cut into periods of that length from 2000-01-01 00:00
 * (PostgreSQL's epoch): a timestamptz counts in UTC, a date from its
 * midnight, so with the date form and '1 day' a period is a calendar day.
 * Period k of time ts is floor((ts - epoch) / unit).  Then
 *
 *		frequency		number of distinct periods with a purchase, minus one
 *						(the repeat purchases of the BG/NBD)
 *		recency			last purchase period - first purchase period
 *		age				period of observed_until - first purchase period
 *		monetary_value	mean amount per repeat period: the sum of the
 *						amounts of every period but the first, divided by
 *						frequency; NULL when frequency is 0
 *		purchases		the number of purchases (rows)
 *
 * recency and age are in time units.  Several purchases in one period are
 * one purchase occasion, as in the CDNOW data, where a customer's orders
 * of one day are one transaction.
 *
 * Flat form: a varlena with a version byte, reserved flags, the scale of
 * the amounts, the count of periods, the unit in microseconds, the period
 * of observed_until, then per period with a purchase, in increasing order,
 * its index, the number of purchases and the amount as an int128 of units
 * of 10^-scale (money.h), split into two int64 words so that nothing in
 * the layout needs 16-byte alignment.
 *
 * Text form: unit <microseconds> until <period> {(<period>,<purchases>,
 * <amount>),...}, for example
 *		unit 86400000000 until -823 {(-1095,1,29.33),(-1078,2,29.73)}
 * Binary form: version byte (1), int64 unit, int64 until, int16 scale,
 * int32 count, then per period int64 index, int64 purchases, int64 high
 * and int64 low word of the amount.
 *
 * Aggregate state: the history is the state type of purchase_history_agg,
 * kept while the aggregate runs as a cell map (cellmap.h) from period to
 * (purchases, amount), so GROUP BY customer over a million customers keeps
 * every group's map in one shared memory context.  A partial history from
 * a parallel worker merges exactly: periods are a set, amounts add.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "cellmap.h"
#include "csm_io.h"
#include "csmetrics.h"
#include "money.h"
#include "purchase_history.h"

/* One period with a purchase */
typedef struct PurchasePeriod
{
	int64		period;
	int64		purchases;
	int64		amount_hi;		/* the int128 amount, high word */
	int64		amount_lo;		/* and low word, as unsigned bits */
} PurchasePeriod;

/* The flat form; pg_upgrade keeps it forever, version and flags leave room */
typedef struct PurchaseHistory
{
	int32		vl_len_;
	uint8		version;		/* PURCHASE_HISTORY_VERSION */
	uint8		flags;			/* none defined: always 0 */
	int16		scale;			/* amounts are in units of 10^-scale */
	int32		count;			/* periods with a purchase, at least 1 */
	int32		unused;			/* reserved, always 0 */
	int64		unit;			/* microseconds in a time unit, > 0 */
	int64		until;			/* the period of observed_until */
	PurchasePeriod periods[FLEXIBLE_ARRAY_MEMBER];
} PurchaseHistory;

#define PURCHASE_HISTORY_VERSION	1
#define PH_HEADER_SIZE		offsetof(PurchaseHistory, periods)
#define PH_SIZE(n)			(PH_HEADER_SIZE + (Size) (n) * sizeof(PurchasePeriod))
#define PH_MAX_PERIODS \
	((int32) ((MaxAllocSize - PH_HEADER_SIZE) / sizeof(PurchasePeriod)))

#define DatumGetPurchaseHistoryP(X) purchase_history_check((PurchaseHistory *) PG_DETOAST_DATUM(X))
#define PG_GETARG_PURCHASE_HISTORY_P(n) DatumGetPurchaseHistoryP(PG_GETARG_DATUM(n))

static inline int128
period_amount(const PurchasePeriod *p)
{
	return (int128) (((uint128) (uint64) p->amount_hi << 64) | (uint64) p->amount_lo);
}

static inline void
set_period_amount(PurchasePeriod *p, int128 v)
{
	p->amount_hi = (int64) ((uint128) v >> 64);
	p->amount_lo = (int64) (uint64) v;
}

/* ---------------------------------------------------------------------
 * Validation
 * ---------------------------------------------------------------------
 */

pg_noreturn static void history_invalid(const char *detail);

static void
history_invalid(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid purchase_history value"),
			 errdetail_internal("%s", detail)));
	pg_unreachable();
}

/*
 * The whole-value rules, shared by every input: a positive unit, a scale
 * money.h can hold, at least one period, periods strictly increasing and
 * not after until, at least one purchase each, amounts in range, a total
 * of purchases that fits in int64.  Returns NULL when valid, else what is
 * wrong.
 */
static const char *
history_fields_problem(int64 unit, int scale, int32 count, int64 until,
					   const PurchasePeriod *periods)
{
	int64		total = 0;

	if (unit <= 0)
		return "The time unit is not positive.";
	if (scale < 0 || scale > CSM_FIXED_DIGITS)
		return "The scale of the amounts is out of range.";
	if (count < 1)
		return "A purchase history has at least one purchase.";
	for (int32 i = 0; i < count; i++)
	{
		if (i > 0 && periods[i].period <= periods[i - 1].period)
			return "The periods are not strictly increasing.";
		if (periods[i].period > until)
			return "A purchase lies after the end of observation.";
		if (periods[i].purchases < 1)
			return "A period has no purchase.";
		if (pg_add_s64_overflow(total, periods[i].purchases, &total))
			return "The purchases add up to more than the largest bigint.";
		if (!csm_fixed_in_range(period_amount(&periods[i])))
			return "An amount is out of range.";
	}
	return NULL;
}

static PurchaseHistory *
purchase_history_check(PurchaseHistory *h)
{
	Size		size = VARSIZE(h);
	const char *problem;

	if (size < PH_HEADER_SIZE || h->version != PURCHASE_HISTORY_VERSION ||
		h->flags != 0 || h->unused != 0 || h->count < 0 ||
		h->count > PH_MAX_PERIODS || size != PH_SIZE(h->count))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid purchase_history value"),
				 errdetail("The value has size %zu and version %u.",
						   size, (unsigned) h->version)));
	problem = history_fields_problem(h->unit, h->scale, h->count, h->until, h->periods);
	if (problem)
		history_invalid(problem);
	return h;
}

static PurchaseHistory *
history_alloc(int32 count)
{
	PurchaseHistory *h = palloc0(PH_SIZE(count));

	SET_VARSIZE(h, PH_SIZE(count));
	h->version = PURCHASE_HISTORY_VERSION;
	h->count = count;
	return h;
}

/* ---------------------------------------------------------------------
 * The aggregate state: a cell map from period to (purchases, amount)
 * ---------------------------------------------------------------------
 */

typedef struct PeriodTotals
{
	int64		purchases;
	int64		amount_hi;
	int64		amount_lo;
} PeriodTotals;

typedef struct HistoryMap
{
	CsmCellMap	map;			/* int64 period -> PeriodTotals */
	int64		unit;			/* 0 until the first purchase */
	int64		until;
	int			scale;
} HistoryMap;

static int
period_cmp(const void *a, const void *b)
{
	int64		pa,
				pb;

	memcpy(&pa, a, sizeof(pa));
	memcpy(&pb, b, sizeof(pb));
	return (pa > pb) - (pa < pb);
}

pg_noreturn static void amount_out_of_range(void);

static void
amount_out_of_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("purchase amount out of range"),
			 errdetail("A purchase history holds amounts of at most %d digits.",
					   CSM_FIXED_DIGITS)));
	pg_unreachable();
}

/* Raise every amount of the map to a larger scale */
static void
history_map_rescale(HistoryMap *hm, int scale)
{
	uint32		n;

	if (scale <= hm->scale)
		return;
	csm_cellmap_sort(&hm->map);
	n = csm_cellmap_count(&hm->map);
	for (uint32 i = 0; i < n; i++)
	{
		PeriodTotals *t = csm_cellmap_payload(&hm->map, i);
		int128		v = (int128) (((uint128) (uint64) t->amount_hi << 64) | (uint64) t->amount_lo);

		if (!csm_fixed_shift(v, scale - hm->scale, &v))
			amount_out_of_range();
		t->amount_hi = (int64) ((uint128) v >> 64);
		t->amount_lo = (int64) (uint64) v;
	}
	hm->scale = scale;
}

/* Set the unit and until of a map, or check that they agree with its own */
static void
history_map_frame(HistoryMap *hm, int64 unit, int64 until)
{
	if (hm->unit == 0)
	{
		hm->unit = unit;
		hm->until = until;
		return;
	}
	if (hm->unit != unit || hm->until != until)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine purchases with different time units or ends of observation"),
				 errdetail("Every purchase of a history must have the same observed_until and time_unit.")));
}

/* Add purchases and an amount (units at scale) to a period */
static void
history_map_add(HistoryMap *hm, int64 period, int64 purchases, int128 amount, int scale)
{
	PeriodTotals *t;
	bool		found;
	int128		sum;

	if (scale < hm->scale)
	{
		if (!csm_fixed_shift(amount, hm->scale - scale, &amount))
			amount_out_of_range();
	}
	else
		history_map_rescale(hm, scale);
	t = csm_cellmap_insert(&hm->map, &period, &found);
	if (unlikely(!found && csm_cellmap_count(&hm->map) > (uint32) PH_MAX_PERIODS))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many purchase periods in a purchase history")));
	t->purchases = csm_count_add(t->purchases, purchases);
	sum = (int128) (((uint128) (uint64) t->amount_hi << 64) | (uint64) t->amount_lo);
	if (!csm_fixed_add(sum, amount, &sum))
		amount_out_of_range();
	t->amount_hi = (int64) ((uint128) sum >> 64);
	t->amount_lo = (int64) (uint64) sum;
}

static void
history_map_merge(CsmCellMap *map, Datum flat)
{
	HistoryMap *hm = (HistoryMap *) map;
	PurchaseHistory *other = DatumGetPurchaseHistoryP(flat);

	history_map_frame(hm, other->unit, other->until);
	for (int32 i = 0; i < other->count; i++)
		history_map_add(hm, other->periods[i].period, other->periods[i].purchases,
						period_amount(&other->periods[i]), other->scale);
}

static Size
history_map_flat_size(CsmCellMap *map)
{
	return PH_SIZE(csm_cellmap_count(map));
}

static void
history_map_flatten(CsmCellMap *map, void *result, Size size)
{
	HistoryMap *hm = (HistoryMap *) map;
	PurchaseHistory *h = (PurchaseHistory *) result;
	int32		n = (int32) csm_cellmap_count(map);

	SET_VARSIZE(h, size);
	h->version = PURCHASE_HISTORY_VERSION;
	h->scale = (int16) hm->scale;
	h->count = n;
	h->unit = hm->unit;
	h->until = hm->until;
	for (int32 i = 0; i < n; i++)
	{
		const PeriodTotals *t = csm_cellmap_payload(map, i);

		memcpy(&h->periods[i].period, csm_cellmap_key(map, i), sizeof(int64));
		h->periods[i].purchases = t->purchases;
		h->periods[i].amount_hi = t->amount_hi;
		h->periods[i].amount_lo = t->amount_lo;
	}
}

static const CsmCellMapType history_map_type = {
	"purchase_history", sizeof(HistoryMap), sizeof(int64), sizeof(PeriodTotals),
	period_cmp, history_map_merge, history_map_flat_size, history_map_flatten
};

/* ---------------------------------------------------------------------
 * Text and binary forms
 * ---------------------------------------------------------------------
 */

/* Text input: unit <usec> until <period> {(period,purchases,amount),...} */
PG_FUNCTION_INFO_V1(purchase_history_in);
Datum
purchase_history_in(PG_FUNCTION_ARGS)
{
	CsmIoText	t;
	int64		unit,
				until;
	int32		count = 0;
	int32		capacity = 8;
	PurchasePeriod *periods = palloc(capacity * sizeof(PurchasePeriod));
	Numeric    *amounts = palloc(capacity * sizeof(Numeric));
	int			scale = 0;
	const char *problem;
	PurchaseHistory *h;

	csm_io_text_init(&t, PG_GETARG_CSTRING(0), "purchase_history",
					 "A purchase_history looks like unit 86400000000 until 10 {(0,1,9.99),(4,2,20.00)}: the time unit in microseconds, the period of the end of observation, then (period,purchases,amount) in increasing order of period.");
	csm_io_skip_space(&t);
	csm_io_expect_word(&t, "unit");
	csm_io_skip_space(&t);
	unit = csm_io_parse_int(&t, 8, false, "unit");
	csm_io_skip_space(&t);
	csm_io_expect_word(&t, "until");
	csm_io_skip_space(&t);
	until = csm_io_parse_int(&t, 8, true, "period");
	csm_io_skip_space(&t);
	csm_io_expect(&t, '{');
	do
	{
		PurchasePeriod *p;
		CsmNumericView view;

		csm_io_skip_space(&t);
		csm_io_expect(&t, '(');
		if (count == capacity)
		{
			if (capacity >= PH_MAX_PERIODS / 2)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many purchase periods in a purchase history")));
			capacity *= 2;
			periods = repalloc(periods, capacity * sizeof(PurchasePeriod));
			amounts = repalloc(amounts, capacity * sizeof(Numeric));
		}
		p = &periods[count];
		csm_io_skip_space(&t);
		p->period = csm_io_parse_int(&t, 8, true, "period");
		csm_io_skip_space(&t);
		csm_io_expect(&t, ',');
		csm_io_skip_space(&t);
		p->purchases = csm_io_parse_count(&t);
		csm_io_skip_space(&t);
		csm_io_expect(&t, ',');
		csm_io_skip_space(&t);
		amounts[count] = csm_io_parse_numeric(&t);
		csm_numeric_view(NumericGetDatum(amounts[count]), &view);
		scale = Max(scale, view.dscale);
		csm_io_skip_space(&t);
		csm_io_expect(&t, ')');
		count++;
		csm_io_skip_space(&t);
	} while (csm_io_accept(&t, ','));
	csm_io_expect(&t, '}');
	csm_io_expect_end(&t);

	if (scale > CSM_FIXED_DIGITS)
		amount_out_of_range();
	for (int32 i = 0; i < count; i++)
	{
		CsmNumericView view;
		int128		v;

		csm_numeric_view(NumericGetDatum(amounts[i]), &view);
		if (!csm_view_to_fixed(&view, scale, &v))
			amount_out_of_range();
		set_period_amount(&periods[i], v);
	}
	problem = history_fields_problem(unit, scale, count, until, periods);
	if (problem)
		csm_io_syntax_error(&t, problem);
	h = history_alloc(count);
	h->scale = (int16) scale;
	h->unit = unit;
	h->until = until;
	memcpy(h->periods, periods, count * sizeof(PurchasePeriod));
	PG_RETURN_POINTER(h);
}

PG_FUNCTION_INFO_V1(purchase_history_out);
Datum
purchase_history_out(PG_FUNCTION_ARGS)
{
	PurchaseHistory *h = PG_GETARG_PURCHASE_HISTORY_P(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "unit " INT64_FORMAT " until " INT64_FORMAT " {", h->unit, h->until);
	for (int32 i = 0; i < h->count; i++)
	{
		appendStringInfo(&buf, "%s(" INT64_FORMAT "," INT64_FORMAT ",", i == 0 ? "" : ",",
						 h->periods[i].period, h->periods[i].purchases);
		csm_fixed_append(&buf, period_amount(&h->periods[i]), h->scale);
		appendStringInfoChar(&buf, ')');
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Binary input; the period count is checked before anything is allocated */
PG_FUNCTION_INFO_V1(purchase_history_recv);
Datum
purchase_history_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	PurchaseHistory *h;
	int64		unit,
				until;
	int			scale;
	int32		count;
	const char *problem;

	csm_io_recv_version(buf, PURCHASE_HISTORY_VERSION, "purchase_history");
	csm_io_recv_require(buf, 8 + 8 + 2, "purchase_history");
	unit = (int64) pq_getmsgint64(buf);
	until = (int64) pq_getmsgint64(buf);
	scale = (int16) pq_getmsgint(buf, 2);
	count = csm_io_recv_length(buf, 4 * 8, PH_MAX_PERIODS, "period", "purchase_history");
	h = history_alloc(count);
	h->unit = unit;
	h->until = until;
	h->scale = (int16) scale;
	for (int32 i = 0; i < count; i++)
	{
		h->periods[i].period = (int64) pq_getmsgint64(buf);
		h->periods[i].purchases = (int64) pq_getmsgint64(buf);
		h->periods[i].amount_hi = (int64) pq_getmsgint64(buf);
		h->periods[i].amount_lo = (int64) pq_getmsgint64(buf);
	}
	problem = history_fields_problem(unit, scale, count, until, h->periods);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary input for type purchase_history"),
				 errdetail_internal("%s", problem)));
	PG_RETURN_POINTER(h);
}

PG_FUNCTION_INFO_V1(purchase_history_send);
Datum
purchase_history_send(PG_FUNCTION_ARGS)
{
	PurchaseHistory *h = PG_GETARG_PURCHASE_HISTORY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PURCHASE_HISTORY_VERSION);
	pq_sendint64(&buf, h->unit);
	pq_sendint64(&buf, h->until);
	pq_sendint16(&buf, h->scale);
	pq_sendint32(&buf, h->count);
	for (int32 i = 0; i < h->count; i++)
	{
		pq_sendint64(&buf, h->periods[i].period);
		pq_sendint64(&buf, h->periods[i].purchases);
		pq_sendint64(&buf, h->periods[i].amount_hi);
		pq_sendint64(&buf, h->periods[i].amount_lo);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------
 * The aggregate
 * ---------------------------------------------------------------------
 */

/* The unit in microseconds: a positive interval without months */
static int64
time_unit_usec(const Interval *unit)
{
	int64		usec;

	if (unit->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time unit must not contain months or years"),
				 errdetail("A month has no fixed length."),
				 errhint("Give the unit in days, such as '7 days', or '30 days' if a 30-day month is meant.")));
	if (pg_mul_s64_overflow((int64) unit->day, USECS_PER_DAY, &usec) ||
		pg_add_s64_overflow(usec, unit->time, &usec) || usec <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time unit must be positive")));
	return usec;
}

/* floor(ts / unit) */
static inline int64
period_of(int64 ts, int64 unit)
{
	int64		q = ts / unit;

	if ((ts % unit != 0) && (ts < 0))
		q--;
	return q;
}

/* Count one purchase at ts (microseconds since 2000-01-01) */
static Datum
history_add(FunctionCallInfo fcinfo, int64 purchased, int64 observed, const char *funcname)
{
	MemoryContext aggcontext = csm_aggregate_context(fcinfo, funcname);
	int64		unit = time_unit_usec(PG_GETARG_INTERVAL_P(4));
	CsmNumericView view;
	int128		amount;
	HistoryMap *hm;

	if (purchased > observed)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("purchase after the end of observation"),
				 errdetail("Every purchase must be at or before observed_until.")));
	csm_numeric_view(PG_GETARG_DATUM(2), &view);
	if (view.special)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("purchase amount must be a finite number")));
	if (view.dscale > CSM_FIXED_DIGITS || !csm_view_to_fixed(&view, view.dscale, &amount))
		amount_out_of_range();
	hm = (HistoryMap *) csm_cellmap_state(fcinfo, &history_map_type, aggcontext);
	history_map_frame(hm, unit, period_of(observed, unit));
	history_map_add(hm, period_of(purchased, unit), 1, amount, view.dscale);
	return csm_cellmap_datum(&hm->map);
}

static void
check_finite_time(bool finite)
{
	if (!finite)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("purchase times must be finite")));
}

/* Transition of purchase_history_agg(timestamptz, numeric, timestamptz, interval) */
PG_FUNCTION_INFO_V1(purchase_history_add);
Datum
purchase_history_add(PG_FUNCTION_ARGS)
{
	TimestampTz purchased,
				observed;

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(4);
	purchased = PG_GETARG_TIMESTAMPTZ(1);
	observed = PG_GETARG_TIMESTAMPTZ(3);
	check_finite_time(!TIMESTAMP_NOT_FINITE(purchased) && !TIMESTAMP_NOT_FINITE(observed));
	return history_add(fcinfo, purchased, observed, "purchase_history_add");
}

/* Transition of purchase_history_agg(date, numeric, date, interval) */
PG_FUNCTION_INFO_V1(purchase_history_add_date);
Datum
purchase_history_add_date(PG_FUNCTION_ARGS)
{
	DateADT		purchased,
				observed;

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(4);
	purchased = PG_GETARG_DATEADT(1);
	observed = PG_GETARG_DATEADT(3);
	check_finite_time(!DATE_NOT_FINITE(purchased) && !DATE_NOT_FINITE(observed));
	return history_add(fcinfo, (int64) purchased * USECS_PER_DAY,
					   (int64) observed * USECS_PER_DAY, "purchase_history_add_date");
}

/* Combine function of purchase_history_agg */
CSM_CELLMAP_COMBINE_FUNCTION(purchase_history_combine, history_map_type);

/* ---------------------------------------------------------------------
 * Accessors
 * ---------------------------------------------------------------------
 */

void
purchase_history_rfm(Datum history, double *frequency, double *recency, double *age)
{
	PurchaseHistory *h = DatumGetPurchaseHistoryP(history);
	int64		first = h->periods[0].period;

	*frequency = (double) (h->count - 1);
	*recency = (double) (h->periods[h->count - 1].period - first);
	*age = (double) (h->until - first);
}

/* frequency(history): periods with a purchase, minus one */
PG_FUNCTION_INFO_V1(purchase_history_frequency);
Datum
purchase_history_frequency(PG_FUNCTION_ARGS)
{
	PurchaseHistory *h = PG_GETARG_PURCHASE_HISTORY_P(0);

	PG_RETURN_INT64((int64) h->count - 1);
}

/* recency(history): first to last purchase period, in time units */
PG_FUNCTION_INFO_V1(purchase_history_recency);
Datum
purchase_history_recency(PG_FUNCTION_ARGS)
{
	PurchaseHistory *h = PG_GETARG_PURCHASE_HISTORY_P(0);

	PG_RETURN_FLOAT8((double) (h->periods[h->count - 1].period - h->periods[0].period));
}

/* age(history): first purchase period to that of observed_until, in time units */
PG_FUNCTION_INFO_V1(purchase_history_age);
Datum
purchase_history_age(PG_FUNCTION_ARGS)
{
	PurchaseHistory *h = PG_GETARG_PURCHASE_HISTORY_P(0);

	PG_RETURN_FLOAT8((double) (h->until - h->periods[0].period));
}

/* purchases(history): the number of purchases */
PG_FUNCTION_INFO_V1(purchase_history_purchases);
Datum
purchase_history_purchases(PG_FUNCTION_ARGS)
{
	PurchaseHistory *h = PG_GETARG_PURCHASE_HISTORY_P(0);
	int64		total = 0;

	for (int32 i = 0; i < h->count; i++)
		total += h->periods[i].purchases;	/* checked on input */
	PG_RETURN_INT64(total);
}

/* monetary_value(history): mean amount of the repeat periods; NULL without any */
PG_FUNCTION_INFO_V1(purchase_history_monetary_value);
Datum
purchase_history_monetary_value(PG_FUNCTION_ARGS)
{
	PurchaseHistory *h = PG_GETARG_PURCHASE_HISTORY_P(0);
	Numeric		sum = csm_fixed_to_numeric(0, h->scale);

	if (h->count < 2)
		PG_RETURN_NULL();
	/* summed as numeric: the repeat amounts together may leave fixed point */
	for (int32 i = 1; i < h->count; i++)
		sum = numeric_add_opt_error(sum, csm_fixed_to_numeric(period_amount(&h->periods[i]), h->scale), NULL);
	PG_RETURN_NUMERIC(numeric_div_opt_error(sum, int64_to_numeric(h->count - 1), NULL));
}
