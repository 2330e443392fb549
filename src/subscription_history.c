/*-------------------------------------------------------------------------
 *
 * subscription_history.c
 *	  The subscription ledger: the subscription_history summary (per
 *	  customer, the days on which its normalised MRR or its quantity
 *	  changes), the subscription_history_agg() and rollup() aggregates that
 *	  build and merge it, and the reports read from it: mrr_at() and its
 *	  family, mrr_bridge(history, from_day, to_day), mrr_movements(),
 *	  seat_bridge(), customer_mrr(), seat_retention() and renewals_due().
 *	  Customer ids are bigint, or text keyed by csm_text_datum_key
 *	  (textkey.h: customer_key()), stored alike.
 *
 * The maths.  A subscription row (customer, started_on, ended_on, amount,
 * billing_period, quantity) is active on the days d with
 * started_on <= d < ended_on (ended_on NULL: for ever).  Its MRR is
 * monthly_amount(amount, billing_period) (mrr.c, exact).  A customer's MRR
 * on day d is the sum of the MRR of its subscriptions active on d, and its
 * quantity (seats) likewise.  The summary stores, per customer, the change
 * of both on each day where one changes: +m, +q on started_on and -m, -q
 * on ended_on, summed over the customer's subscriptions, so that the level
 * on day d is the sum of the changes on days <= d.  Adding the changes of
 * two summaries gives the summary of the union of their rows, whatever
 * customers they share: that is rollup(), exact.  Levels are never
 * negative (amounts and quantities are not), and a change that nets to zero
 * on both (a plan ending the day its same-priced successor starts) is not
 * stored.
 *
 * The bridge between from_day and to_day compares each customer's MRR on
 * the day before from_day (previous) with its MRR on the day before to_day
 * (current), so a subscription starting on 1 February is new business of
 * February, and one ending on 1 March churns in March; "paid before" is any
 * MRR before from_day.  Customers with no MRR at either end who never paid
 * before from_day are not in it (they are not customers yet); those who
 * paid before are inactive.  The customer is classified by the mrr_movement
 * rules through mrr_bridge.h.
 *
 * Terms.  Beside the changes, the summary keeps each subscription's term
 * for the renewal wall: per customer, the distinct (started_on, billing
 * period, ended_on) with the number of subscriptions and their total MRR.
 * Renewal k of a term falls due on started_on + k * period (k >= 1, as
 * renewal_windows() computes it, month-end correct: renewal.h) while the
 * subscription is still active on that day (due < ended_on).  Merging adds
 * the counts and MRR of equal terms.  A summary whose customers have no
 * terms (version 1: stored before the terms were kept, or made from text or
 * binary forms without them) does not know its renewals.
 *
 * Amounts are fixed point (money.h): int128 units of 10^-mrr_scale (the
 * largest display scale of the monthly amounts seen, which is the scale
 * their numeric sum would show) and of 10^-qty_scale for quantities, both
 * at most HISTORY_MAX_SCALE.
 *
 * Stored form (a varlena, ALIGNMENT int4, STORAGE extended): a 16-byte
 * header (version 2, or 1 without terms; flags 0, mrr_scale, qty_scale,
 * int32 customer count, int32 change count, int32 term count: at least 1
 * in version 2, 0 in version 1), then the customers in ascending order of
 * id, each as an unsigned LEB128 varint of its distance from the previous
 * id (the first: from -2^63), the varint count of its changes (at least
 * 1), in version 2 the varint count of its terms (0 or more), then per
 * change in ascending order of day: the varint distance from the previous
 * day (the first: from -2^31), and the MRR and quantity changes as zigzag
 * varints; then (version 2) per term in ascending order of (started_on,
 * period, span): the varint distance of started_on from the previous term's
 * (the first: from -2^31), the period as a zigzag varint (months if
 * positive, days if negative), the span ended_on - started_on as a varint
 * (0: no end), the subscription count and the MRR as varints.  A change of
 * a few tens of dollars at scale 2 with quantity 1 takes 5 bytes, a term 9.
 * A summary is stored as version 2 exactly when it holds a term.
 *
 * Text form: per customer its id, a colon, and its levels from each day of
 * change on: "day mrr quantity", then, after a bar, its terms:
 * "started_on/period[..ended_on] subscriptions mrr", the period as 1m
 * (months) or 7d (days), e.g.
 *		{1: 2024-01-01 100.00 1, 2024-03-01 0.00 0 | 2024-01-01/1m..2024-03-01 1 100.00}
 * ({} is the empty summary).  Binary form: version byte (2, or 1 without
 * terms), flags byte (0), int32 customer count, then per customer int64
 * id, int32 change count and per change int32 day, then MRR and quantity
 * levels each as an int32 length and numeric's binary form; in version 2
 * then an int32 term count and per term int32 started_on, int32 months,
 * int32 days, int32 ended_on (the date 'infinity' for none), int64
 * subscription count and the MRR as a numeric.
 *
 * While an aggregate runs the state is a cell map (cellmap.h) keyed by
 * (customer, day), whose payload is the two changes.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"

#include "cellmap.h"
#include "csm_io.h"
#include "csmetrics.h"
#include "grain.h"
#include "money.h"
#include "mrr.h"
#include "mrr_bridge.h"
#include "pg_compat.h"
#include "renewal.h"
#include "textkey.h"

/* The version of a summary with terms; version 1 has none */
#define HISTORY_VERSION		2
#define HISTORY_VERSION_NO_TERMS	1

/* Most decimal places of an MRR or a quantity */
#define HISTORY_MAX_SCALE	20

/* Longest LEB128 varint of a uint128 */
#define VARINT_MAX_BYTES	19

/* Most periods mrr_movements() returns */
#define MOVEMENTS_MAX_PERIODS	100000

typedef struct SubscriptionHistory
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* HISTORY_VERSION */
	uint8		flags;			/* no flags are defined yet: always 0 */
	uint8		mrr_scale;		/* decimal places of MRR */
	uint8		qty_scale;		/* decimal places of quantities */
	int32		ncustomers;
	int32		nchanges;		/* changes of all customers */
	int32		nterms;			/* terms of all customers (version 2; 0 in
								 * version 1) */
	uint8		data[FLEXIBLE_ARRAY_MEMBER];
} SubscriptionHistory;

#define HISTORY_HEADER_SIZE	offsetof(SubscriptionHistory, data)

/* ----------------------------------------------------------------
 * Varints
 * ----------------------------------------------------------------
 */

/* Writes the stored form; counts its size when p is NULL */
typedef struct HistoryWriter
{
	uint8	   *p;
	Size		size;
	int			version;
	int64		prev_customer;
	DateADT		prev_day;
	DateADT		prev_start;
	bool		first_customer;
	bool		first_day;
	bool		first_term;
} HistoryWriter;

/*
 * A term: the subscriptions of a customer with one started_on, billing
 * period (months > 0, or days as -period) and span (ended_on - started_on,
 * 0 for none), their count and total MRR.  The key is the first four
 * fields, in that order.
 */
typedef struct HistoryTerm
{
	int64		customer;
	DateADT		start;
	int32		period;
	uint32		span;
	int64		count;
	int128		mrr;
} HistoryTerm;

/* Order of two terms: by customer, start, period, span */
static int
history_term_cmp(const void *a, const void *b)
{
	const HistoryTerm *x = a;
	const HistoryTerm *y = b;

	if (x->customer != y->customer)
		return x->customer < y->customer ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	if (x->span != y->span)
		return x->span < y->span ? -1 : 1;
	return 0;
}

static void
put_varint(HistoryWriter *w, uint128 v)
{
	do
	{
		uint8		byte = (uint8) (v & 0x7F);

		v >>= 7;
		if (v != 0)
			byte |= 0x80;
		if (w->p != NULL)
			*w->p++ = byte;
		w->size++;
	} while (v != 0);
}

static inline uint128
zigzag(int128 v)
{
	return ((uint128) v << 1) ^ (uint128) (v >> 127);
}

static inline int128
unzigzag(uint128 u)
{
	return (int128) (u >> 1) ^ -(int128) (u & 1);
}

/* Start a customer of nchanges changes and (version 2) nterms terms */
static void
put_customer(HistoryWriter *w, int64 customer, int32 nchanges, int32 nterms)
{
	uint64		from = w->first_customer ? (uint64) PG_INT64_MIN : (uint64) w->prev_customer;

	put_varint(w, (uint64) customer - from);
	put_varint(w, (uint32) nchanges);
	if (w->version == HISTORY_VERSION)
		put_varint(w, (uint32) nterms);
	else
		Assert(nterms == 0);
	w->prev_customer = customer;
	w->first_customer = false;
	w->first_day = true;
	w->first_term = true;
}

/* A term of the current customer, after its changes */
static void
put_term(HistoryWriter *w, const HistoryTerm *t)
{
	uint32		from = w->first_term ? (uint32) PG_INT32_MIN : (uint32) w->prev_start;

	put_varint(w, (uint32) t->start - from);
	put_varint(w, zigzag(t->period));
	put_varint(w, t->span);
	put_varint(w, (uint64) t->count);
	put_varint(w, (uint128) t->mrr);
	w->prev_start = t->start;
	w->first_term = false;
}

/* A change of the current customer */
static void
put_change(HistoryWriter *w, DateADT day, int128 mrr, int128 qty)
{
	uint32		from = w->first_day ? (uint32) PG_INT32_MIN : (uint32) w->prev_day;

	put_varint(w, (uint32) day - from);
	put_varint(w, zigzag(mrr));
	put_varint(w, zigzag(qty));
	w->prev_day = day;
	w->first_day = false;
}

/* ----------------------------------------------------------------
 * Reading and validating the stored form
 * ----------------------------------------------------------------
 */

static void
bad_history(int sqlstate, const char *detail)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("invalid subscription_history value"),
			 errdetail("%s", detail)));
}

/* A cursor over the stored form, validating as it reads */
typedef struct HistoryReader
{
	const uint8 *p;
	const uint8 *end;
	int			sqlstate;
	int32		customers_left;
	int32		changes_left;	/* of the current customer */
	int64		changes_total;
	bool		first_customer;
	bool		first_day;		/* of the current customer */
	int64		customer;
	DateADT		day;
	int128		dmrr;			/* the change of the current day */
	int128		dqty;
	int128		mrr;			/* the levels from the current day on */
	int128		qty;
	int			version;
	int32		terms_left;		/* of the current customer */
	int64		terms_total;
	bool		first_term;
	HistoryTerm term;			/* the current term */
} HistoryReader;

/* A varint of more than 9 bytes (the slow path of get_varint) */
static pg_noinline uint128
get_long_varint(HistoryReader *r)
{
	uint128		v = 0;

	for (int shift = 0; shift < 7 * VARINT_MAX_BYTES; shift += 7)
	{
		uint8		byte;

		if (r->p >= r->end)
			bad_history(r->sqlstate, "The value ends in the middle of a number.");
		byte = *r->p++;
		if (shift == 126 && (byte & 0x7C) != 0)
			break;
		v |= (uint128) (byte & 0x7F) << shift;
		if ((byte & 0x80) == 0)
		{
			if (byte == 0 && shift > 0)
				bad_history(r->sqlstate, "A number is not in its shortest form.");
			return v;
		}
	}
	bad_history(r->sqlstate, "A number is too long.");
	return 0;					/* keep the compiler quiet */
}

/* A varint; those of up to 9 bytes (63 bits) are read in 64 bits */
static inline uint128
get_varint(HistoryReader *r)
{
	const uint8 *p = r->p;
	uint64		v = 0;

	for (int shift = 0; shift < 63 && p < r->end; shift += 7)
	{
		uint8		byte = *p++;

		v |= (uint64) (byte & 0x7F) << shift;
		if ((byte & 0x80) == 0)
		{
			if (unlikely(byte == 0 && shift > 0))
				break;
			r->p = p;
			return v;
		}
	}
	return get_long_varint(r);
}

static void
reader_init(HistoryReader *r, const SubscriptionHistory *h, int sqlstate)
{
	r->p = h->data;
	r->end = (const uint8 *) h + VARSIZE(h);
	r->sqlstate = sqlstate;
	r->customers_left = h->ncustomers;
	r->changes_left = 0;
	r->changes_total = 0;
	r->first_customer = true;
	r->version = h->version;
	r->terms_left = 0;
	r->terms_total = 0;
}

static bool next_term(HistoryReader *r);

/* The next customer, or false at the end (after checking the rest) */
static bool
next_customer(HistoryReader *r)
{
	uint128		d;
	uint128		n;

	if (r->changes_left != 0)
		elog(ERROR, "csmetrics: subscription_history customer read only in part");
	while (next_term(r))
		;
	if (r->customers_left == 0)
	{
		if (r->p != r->end)
			bad_history(r->sqlstate, "The value is longer than its customers.");
		return false;
	}
	r->customers_left--;
	d = get_varint(r);
	if (r->first_customer)
	{
		if (d > PG_UINT64_MAX)
			bad_history(r->sqlstate, "A customer id is out of range.");
		r->customer = (int64) ((uint64) PG_INT64_MIN + (uint64) d);
	}
	else
	{
		if (d == 0 || d > (uint128) ((uint64) PG_INT64_MAX - (uint64) r->customer))
			bad_history(r->sqlstate, "The customers are not in ascending order of id.");
		r->customer = (int64) ((uint64) r->customer + (uint64) d);
	}
	r->first_customer = false;
	n = get_varint(r);
	if (n == 0 || n > PG_INT32_MAX)
		bad_history(r->sqlstate, "A customer has no changes, or too many.");
	r->changes_left = (int32) n;
	r->first_day = true;
	if (r->version == HISTORY_VERSION)
	{
		n = get_varint(r);
		if (n > PG_INT32_MAX)
			bad_history(r->sqlstate, "A customer has too many terms.");
		r->terms_left = (int32) n;
		r->first_term = true;
		r->term.customer = r->customer;
	}
	r->mrr = 0;
	r->qty = 0;
	return true;
}

/* The next change of the current customer, or false after its last */
static bool
next_change(HistoryReader *r)
{
	uint128		d;
	int64		day;

	if (r->changes_left == 0)
		return false;
	r->changes_left--;
	d = get_varint(r);
	if (r->first_day)
	{
		if (d > PG_UINT32_MAX)
			bad_history(r->sqlstate, "A day is out of range.");
		day = (int64) PG_INT32_MIN + (int64) d;
	}
	else
	{
		if (d == 0 || d > (uint128) ((int64) PG_INT32_MAX - r->day))
			bad_history(r->sqlstate, "The days of a customer are not in ascending order.");
		day = r->day + (int64) d;
	}
	if (!csm_day_in_range(day))
		bad_history(r->sqlstate, "A day is out of range.");
	r->first_day = false;
	r->day = (DateADT) day;
	r->dmrr = unzigzag(get_varint(r));
	r->dqty = unzigzag(get_varint(r));
	if (r->dmrr == 0 && r->dqty == 0)
		bad_history(r->sqlstate, "A change changes neither MRR nor quantity.");
	if (!csm_fixed_add(r->mrr, r->dmrr, &r->mrr) ||
		!csm_fixed_add(r->qty, r->dqty, &r->qty) || r->mrr < 0 || r->qty < 0)
		bad_history(r->sqlstate, "A level of MRR or quantity is negative or out of range.");
	r->changes_total++;
	return true;
}

/*
 * The next term of the current customer, after its changes, or false
 * after its last
 */
static bool
next_term(HistoryReader *r)
{
	HistoryTerm *t = &r->term;
	HistoryTerm prev = *t;
	uint128		d;
	int64		start;
	int128		period;

	if (r->terms_left == 0)
		return false;
	if (r->changes_left != 0)
		elog(ERROR, "csmetrics: subscription_history terms read before the changes");
	r->terms_left--;
	d = get_varint(r);
	if (r->first_term)
	{
		if (d > PG_UINT32_MAX)
			bad_history(r->sqlstate, "A day is out of range.");
		start = (int64) PG_INT32_MIN + (int64) d;
	}
	else
	{
		if (d > (uint128) ((int64) PG_INT32_MAX - t->start))
			bad_history(r->sqlstate, "A day is out of range.");
		start = t->start + (int64) d;
	}
	if (!csm_day_in_range(start))
		bad_history(r->sqlstate, "A day is out of range.");
	t->start = (DateADT) start;
	d = get_varint(r);
	period = unzigzag(d);
	if (d > PG_UINT32_MAX || period == 0 || period == PG_INT32_MIN)
		bad_history(r->sqlstate, "A term has no billing period, or one out of range.");
	t->period = (int32) period;
	d = get_varint(r);
	if (d > PG_INT32_MAX || (d != 0 && !csm_day_in_range(start + (int64) d)))
		bad_history(r->sqlstate, "A day is out of range.");
	t->span = (uint32) d;
	if (!r->first_term && history_term_cmp(&prev, t) >= 0)
		bad_history(r->sqlstate, "The terms of a customer are not in ascending order.");
	r->first_term = false;
	d = get_varint(r);
	if (d == 0 || d > PG_INT64_MAX)
		bad_history(r->sqlstate, "A term has no subscriptions, or too many.");
	t->count = (int64) d;
	d = get_varint(r);
	if ((int128) d < 0 || !csm_fixed_in_range((int128) d))
		bad_history(r->sqlstate, "The MRR of a term is out of range.");
	t->mrr = (int128) d;
	r->terms_total++;
	return true;
}

/*
 * The one check of a stored value, for binary input (22P03), values
 * reaching a function (22P03) and values built from text (22P02).
 */
static SubscriptionHistory *
history_check(SubscriptionHistory *h, int sqlstate)
{
	HistoryReader r;

	if (VARSIZE(h) < HISTORY_HEADER_SIZE)
		bad_history(sqlstate, "The value is too short.");
	if ((h->version != HISTORY_VERSION && h->version != HISTORY_VERSION_NO_TERMS) ||
		h->flags != 0 ||
		h->mrr_scale > HISTORY_MAX_SCALE || h->qty_scale > HISTORY_MAX_SCALE ||
		h->ncustomers < 0 || h->nchanges < 0)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid subscription_history value"),
				 errdetail("The value has version %u, flags %u, scales %u and %u; expected version %d or %d, flags 0 and scales of at most %d.",
						   (unsigned) h->version, (unsigned) h->flags,
						   (unsigned) h->mrr_scale, (unsigned) h->qty_scale,
						   HISTORY_VERSION_NO_TERMS, HISTORY_VERSION,
						   HISTORY_MAX_SCALE)));
	if (h->version == HISTORY_VERSION ? h->nterms <= 0 : h->nterms != 0)
		bad_history(sqlstate, "The term count does not match the version.");
	reader_init(&r, h, sqlstate);
	while (next_customer(&r))
		while (next_change(&r))
			;
	if (r.changes_total != h->nchanges)
		bad_history(sqlstate, "The change count does not match the changes.");
	if (r.terms_total != h->nterms)
		bad_history(sqlstate, "The term count does not match the terms.");
	return h;
}

#define PG_GETARG_HISTORY_P(n) \
	history_check((SubscriptionHistory *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)), \
				  ERRCODE_INVALID_BINARY_REPRESENTATION)

/* Raise numeric_value_out_of_range for an amount a ledger cannot hold */
static void
history_out_of_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("MRR or quantity out of range in subscription_history"),
			 errdetail("A subscription_history holds MRR and quantities of at most %d digits, at most %d of them after the decimal point.",
					   CSM_FIXED_DIGITS, HISTORY_MAX_SCALE)));
}

/* Raise program_limit_exceeded for a ledger too large to store */
static void
history_too_large(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("subscription_history is too large")));
}

/* Allocate a stored value for a body of size bytes */
static SubscriptionHistory *
history_alloc(Size body)
{
	Size		size = add_size(HISTORY_HEADER_SIZE, body);
	SubscriptionHistory *h;

	if (size > MaxAllocSize)
		history_too_large();
	h = palloc0(size);
	SET_VARSIZE(h, size);
	h->version = HISTORY_VERSION;
	return h;
}

/* ----------------------------------------------------------------
 * Building a value from levels (text and binary input)
 * ----------------------------------------------------------------
 */

/* Levels as read, each at its own scale */
typedef struct LevelList
{
	int32		n;
	int32		capacity;
	int64	   *customer;
	DateADT    *day;
	int128	   *mrr;
	int128	   *qty;
	uint8	   *mrr_scale;
	uint8	   *qty_scale;
	/* the terms, in order, each MRR at its own scale */
	int32		nterms;
	int32		term_capacity;
	HistoryTerm *terms;
	uint8	   *term_scale;
} LevelList;

static void
levels_init(LevelList *l)
{
	l->n = 0;
	l->capacity = 16;
	l->customer = palloc(l->capacity * sizeof(int64));
	l->day = palloc(l->capacity * sizeof(DateADT));
	l->mrr = palloc(l->capacity * sizeof(int128));
	l->qty = palloc(l->capacity * sizeof(int128));
	l->mrr_scale = palloc(l->capacity);
	l->qty_scale = palloc(l->capacity);
	l->nterms = 0;
	l->term_capacity = 16;
	l->terms = palloc(l->term_capacity * sizeof(HistoryTerm));
	l->term_scale = palloc(l->term_capacity);
}

/* Add a term (after the levels of its customer) */
static void
levels_add_term(LevelList *l, const HistoryTerm *t, int mrr_scale)
{
	if (l->nterms >= l->term_capacity)
	{
		if (l->term_capacity > (int32) (MaxAllocSize / sizeof(HistoryTerm) / 2))
			history_too_large();
		l->term_capacity *= 2;
		l->terms = repalloc(l->terms, l->term_capacity * sizeof(HistoryTerm));
		l->term_scale = repalloc(l->term_scale, l->term_capacity);
	}
	l->terms[l->nterms] = *t;
	l->term_scale[l->nterms] = (uint8) mrr_scale;
	l->nterms++;
}

static void
levels_add(LevelList *l, int64 customer, DateADT day, int128 mrr, int mrr_scale,
		   int128 qty, int qty_scale)
{
	if (l->n >= l->capacity)
	{
		if (l->capacity > (int32) (MaxAllocSize / sizeof(int128) / 2))
			history_too_large();
		l->capacity *= 2;
		l->customer = repalloc(l->customer, l->capacity * sizeof(int64));
		l->day = repalloc(l->day, l->capacity * sizeof(DateADT));
		l->mrr = repalloc(l->mrr, l->capacity * sizeof(int128));
		l->qty = repalloc(l->qty, l->capacity * sizeof(int128));
		l->mrr_scale = repalloc(l->mrr_scale, l->capacity);
		l->qty_scale = repalloc(l->qty_scale, l->capacity);
	}
	l->customer[l->n] = customer;
	l->day[l->n] = day;
	l->mrr[l->n] = mrr;
	l->qty[l->n] = qty;
	l->mrr_scale[l->n] = (uint8) mrr_scale;
	l->qty_scale[l->n] = (uint8) qty_scale;
	l->n++;
}

/* Write (or size) the changes of levels at scales mrr_scale, qty_scale */
static void
levels_encode(const LevelList *l, int mrr_scale, int qty_scale,
			  HistoryWriter *w, int sqlstate)
{
	int32		i = 0;
	int32		t = 0;

	w->first_customer = true;
	while (i < l->n)
	{
		int32		j = i;
		int32		tj;
		int128		mrr = 0;
		int128		qty = 0;

		while (j < l->n && l->customer[j] == l->customer[i])
			j++;
		if (t < l->nterms && l->terms[t].customer < l->customer[i])
			elog(ERROR, "csmetrics: subscription_history terms of a customer without changes");
		for (tj = t; tj < l->nterms && l->terms[tj].customer == l->customer[i]; tj++)
			;
		put_customer(w, l->customer[i], j - i, tj - t);
		for (int32 k = i; k < j; k++)
		{
			int128		m;
			int128		q;

			if (!csm_fixed_shift(l->mrr[k], mrr_scale - l->mrr_scale[k], &m) ||
				!csm_fixed_shift(l->qty[k], qty_scale - l->qty_scale[k], &q))
				history_out_of_range();
			if (m == mrr && q == qty)
				bad_history(sqlstate, "A change changes neither MRR nor quantity: a customer's levels are the same as on its previous day of change.");
			put_change(w, l->day[k], m - mrr, q - qty);
			mrr = m;
			qty = q;
		}
		for (; t < tj; t++)
		{
			HistoryTerm term = l->terms[t];

			if (!csm_fixed_shift(term.mrr, mrr_scale - l->term_scale[t], &term.mrr))
				history_out_of_range();
			put_term(w, &term);
		}
		i = j;
	}
	if (t != l->nterms)
		elog(ERROR, "csmetrics: subscription_history terms of a customer without changes");
}

/*
 * The stored value of a list of levels, whose customers and days the
 * reader has checked to be in ascending order and levels not negative.
 */
static SubscriptionHistory *
levels_build(const LevelList *l, int sqlstate)
{
	int			mrr_scale = 0;
	int			qty_scale = 0;
	int32		ncustomers = 0;
	HistoryWriter w = {0};
	SubscriptionHistory *h;

	for (int32 k = 0; k < l->n; k++)
	{
		mrr_scale = Max(mrr_scale, l->mrr_scale[k]);
		qty_scale = Max(qty_scale, l->qty_scale[k]);
		if (k == 0 || l->customer[k] != l->customer[k - 1])
			ncustomers++;
	}
	for (int32 k = 0; k < l->nterms; k++)
		mrr_scale = Max(mrr_scale, l->term_scale[k]);
	w.version = l->nterms > 0 ? HISTORY_VERSION : HISTORY_VERSION_NO_TERMS;
	levels_encode(l, mrr_scale, qty_scale, &w, sqlstate);
	h = history_alloc(w.size);
	h->version = (uint8) w.version;
	h->mrr_scale = (uint8) mrr_scale;
	h->qty_scale = (uint8) qty_scale;
	h->ncustomers = ncustomers;
	h->nchanges = l->n;
	h->nterms = l->nterms;
	memset(&w, 0, sizeof(w));
	w.p = h->data;
	w.version = h->version;
	levels_encode(l, mrr_scale, qty_scale, &w, sqlstate);
	return history_check(h, sqlstate);
}

/* ----------------------------------------------------------------
 * Text and binary forms
 * ----------------------------------------------------------------
 */

/* A level read as text: a non-negative number of at most 20 decimals */
static int128
parse_level(CsmIoText *t, int *scale, const char *what)
{
	const char *start = t->p;
	Numeric		num = csm_io_parse_numeric(t);
	CsmNumericView view;
	int128		v;

	csm_numeric_view(NumericGetDatum(num), &view);
	if (view.negative && view.ndigits > 0)
	{
		t->p = start;
		csm_io_syntax_error(t, psprintf("A level of %s cannot be negative.", what));
	}
	if (view.dscale > HISTORY_MAX_SCALE ||
		!csm_view_to_fixed(&view, view.dscale, &v))
		history_out_of_range();
	*scale = view.dscale;
	return v;
}

/*
 * A term read as text: started_on/period[..ended_on] count mrr, the period
 * as <n>m (months) or <n>d (days)
 */
static void
parse_term(CsmIoText *t, HistoryTerm *term, int *mrr_scale)
{
	DateADT		start;
	int64		n;

	start = csm_io_parse_date(t);
	if (!csm_day_in_range(start))
		csm_io_syntax_error(t, "A day must be in the year 1 or later.");
	term->start = start;
	csm_io_expect(t, '/');
	n = csm_io_parse_int(t, sizeof(int32), false, "billing period");
	if (n == 0)
		csm_io_syntax_error(t, "A billing period must be positive.");
	if (csm_io_accept(t, 'm'))
		term->period = (int32) n;
	else
	{
		csm_io_expect(t, 'd');
		term->period = (int32) -n;
	}
	term->span = 0;
	if (csm_io_accept(t, '.'))
	{
		DateADT		end;

		csm_io_expect(t, '.');
		end = csm_io_parse_date(t);
		if (end <= start)
			csm_io_syntax_error(t, "A term must end after it starts.");
		term->span = (uint32) (end - start);
	}
	if (!isspace((unsigned char) *t->p))
		csm_io_expected(t, "white space");
	csm_io_skip_space(t);
	term->count = csm_io_parse_count(t);
	if (term->count == 0)
		csm_io_syntax_error(t, "A term must count at least one subscription.");
	if (!isspace((unsigned char) *t->p))
		csm_io_expected(t, "white space");
	csm_io_skip_space(t);
	term->mrr = parse_level(t, mrr_scale, "MRR");
}

/*
 * Text input: {id: day mrr quantity, ... | term, ...; id: ...}, customers
 * and each customer's days and terms in ascending order.
 */
PG_FUNCTION_INFO_V1(subscription_history_in);
Datum
subscription_history_in(PG_FUNCTION_ARGS)
{
	CsmIoText	t;
	LevelList	l;
	bool		first = true;
	int64		customer = 0;

	levels_init(&l);
	csm_io_text_init(&t, PG_GETARG_CSTRING(0), "subscription_history",
					 "A subscription_history is {customer: day mrr quantity, ...; customer: ...}, with the customers and each customer's days in ascending order, such as \"{1: 2024-01-01 100.00 1, 2024-03-01 0.00 0}\".");
	csm_io_skip_space(&t);
	csm_io_expect(&t, '{');
	csm_io_skip_space(&t);
	if (!csm_io_accept(&t, '}'))
	{
		do
		{
			int64		id;
			bool		first_day = true;
			DateADT		day = 0;

			csm_io_skip_space(&t);
			id = csm_io_parse_int(&t, sizeof(int64), true, "customer id");
			if (!first && id <= customer)
				csm_io_syntax_error(&t, "The customers must be in ascending order of id.");
			first = false;
			customer = id;
			csm_io_skip_space(&t);
			csm_io_expect(&t, ':');
			do
			{
				DateADT		d;
				int128		mrr;
				int128		qty;
				int			mrr_scale;
				int			qty_scale;

				csm_io_skip_space(&t);
				d = csm_io_parse_date(&t);
				if (!first_day && d <= day)
					csm_io_syntax_error(&t, "The days of a customer must be in ascending order.");
				first_day = false;
				day = d;
				if (!isspace((unsigned char) *t.p))
					csm_io_expected(&t, "white space");
				csm_io_skip_space(&t);
				mrr = parse_level(&t, &mrr_scale, "MRR");
				if (!isspace((unsigned char) *t.p))
					csm_io_expected(&t, "white space");
				csm_io_skip_space(&t);
				qty = parse_level(&t, &qty_scale, "quantity");
				levels_add(&l, customer, day, mrr, mrr_scale, qty, qty_scale);
				csm_io_skip_space(&t);
			} while (csm_io_accept(&t, ','));
			if (csm_io_accept(&t, '|'))
			{
				bool		first_term = true;
				HistoryTerm prev = {0};

				do
				{
					HistoryTerm term;
					int			scale;

					csm_io_skip_space(&t);
					term.customer = customer;
					parse_term(&t, &term, &scale);
					if (!first_term && history_term_cmp(&prev, &term) >= 0)
						csm_io_syntax_error(&t, "The terms of a customer must be in ascending order of start, period and end, each once.");
					first_term = false;
					prev = term;
					levels_add_term(&l, &term, scale);
					csm_io_skip_space(&t);
				} while (csm_io_accept(&t, ','));
			}
		} while (csm_io_accept(&t, ';'));
		csm_io_expect(&t, '}');
	}
	csm_io_expect_end(&t);
	PG_RETURN_POINTER(levels_build(&l, ERRCODE_INVALID_TEXT_REPRESENTATION));
}

/* Append a term as text */
static void
append_term(StringInfo buf, const HistoryTerm *t, int mrr_scale)
{
	char		date[CSM_IO_DATE_LEN];

	csm_io_format_date(t->start, date);
	appendStringInfo(buf, "%s/%d%c", date, t->period > 0 ? t->period : -t->period,
					 t->period > 0 ? 'm' : 'd');
	if (t->span != 0)
	{
		csm_io_format_date(t->start + (DateADT) t->span, date);
		appendStringInfo(buf, "..%s", date);
	}
	appendStringInfo(buf, " " INT64_FORMAT " ", t->count);
	csm_fixed_append(buf, t->mrr, mrr_scale);
}

/* Text output: the levels from each day of change on, then the terms */
PG_FUNCTION_INFO_V1(subscription_history_out);
Datum
subscription_history_out(PG_FUNCTION_ARGS)
{
	SubscriptionHistory *h = PG_GETARG_HISTORY_P(0);
	StringInfoData buf;
	HistoryReader r;
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	reader_init(&r, h, ERRCODE_INVALID_BINARY_REPRESENTATION);
	while (next_customer(&r))
	{
		bool		first_day = true;

		appendStringInfo(&buf, "%s" INT64_FORMAT ":", first ? "" : "; ", r.customer);
		first = false;
		while (next_change(&r))
		{
			char		date[CSM_IO_DATE_LEN];

			csm_io_format_date(r.day, date);
			appendStringInfo(&buf, "%s %s ", first_day ? "" : ",", date);
			csm_fixed_append(&buf, r.mrr, h->mrr_scale);
			appendStringInfoChar(&buf, ' ');
			csm_fixed_append(&buf, r.qty, h->qty_scale);
			first_day = false;
		}
		for (bool first_term = true; next_term(&r); first_term = false)
		{
			appendStringInfoString(&buf, first_term ? " | " : ", ");
			append_term(&buf, &r.term, h->mrr_scale);
		}
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Raise invalid_binary_representation */
static void
history_bad_binary(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary input for type subscription_history"),
			 errdetail("%s", detail)));
}

/* A level received in binary: finite, not negative, at most 20 decimals */
static int128
recv_level(StringInfo buf, int *scale)
{
	Numeric		num = csm_io_recv_numeric(buf, "subscription_history");
	CsmNumericView view;
	int128		v;

	csm_numeric_view(NumericGetDatum(num), &view);
	if (view.negative && view.ndigits > 0)
		history_bad_binary("A level is negative.");
	if (view.dscale > HISTORY_MAX_SCALE)
		history_bad_binary("A level has too many decimal places.");
	if (!csm_view_to_fixed(&view, view.dscale, &v))
		history_bad_binary("A level is out of range.");
	*scale = view.dscale;
	return v;
}

/* Receive a term of customer (version 2) */
static void
recv_term(StringInfo buf, int64 customer, HistoryTerm *t, int *mrr_scale)
{
	int32		months;
	int32		days;
	DateADT		end;

	csm_io_recv_require(buf, 24, "subscription_history");
	t->customer = customer;
	t->start = (DateADT) pq_getmsgint(buf, 4);
	months = (int32) pq_getmsgint(buf, 4);
	days = (int32) pq_getmsgint(buf, 4);
	end = (DateADT) pq_getmsgint(buf, 4);
	t->count = pq_getmsgint64(buf);
	if (!csm_day_in_range(t->start))
		history_bad_binary("A day is out of range.");
	if (months < 0 || days < 0 || (months == 0) == (days == 0))
		history_bad_binary("A billing period must be a positive number of months or of days.");
	t->period = months > 0 ? months : -days;
	if (DATE_IS_NOEND(end))
		t->span = 0;
	else if (!csm_day_in_range(end) || end <= t->start)
		history_bad_binary("A term must end on a valid day after it starts, or never.");
	else
		t->span = (uint32) (end - t->start);
	if (t->count <= 0)
		history_bad_binary("A term must count at least one subscription.");
	t->mrr = recv_level(buf, mrr_scale);
}

/*
 * Binary input: version byte (1 or 2), flags byte, int32 customer count,
 * then per customer an int64 id, an int32 change count (at least 1) and
 * per change an int32 day and the MRR and quantity levels as numerics;
 * in version 2 then an int32 term count and the terms (recv_term).
 */
PG_FUNCTION_INFO_V1(subscription_history_recv);
Datum
subscription_history_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	/* a change is an int32 and two numerics of at least 12 bytes */
	const int	change_bytes = 4 + 2 * 12;
	const int	customer_bytes = 8 + 4 + change_bytes;
	const int32 max_changes = (int32) ((MaxAllocSize - HISTORY_HEADER_SIZE) / 5);
	const int	term_bytes = 24 + 12;
	LevelList	l;
	int32		ncustomers;
	int			version;

	csm_io_recv_require(buf, 1, "subscription_history");
	version = pq_getmsgbyte(buf);
	if (version != HISTORY_VERSION && version != HISTORY_VERSION_NO_TERMS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported subscription_history binary version %d", version),
				 errdetail("This version of csmetrics reads versions %d and %d.",
						   HISTORY_VERSION_NO_TERMS, HISTORY_VERSION)));
	csm_io_recv_require(buf, 1, "subscription_history");
	if (pq_getmsgbyte(buf) != 0)
		history_bad_binary("Unknown flags are set.");
	ncustomers = csm_io_recv_length(buf, customer_bytes, max_changes, "customer",
									"subscription_history");
	levels_init(&l);
	for (int32 i = 0; i < ncustomers; i++)
	{
		int64		customer;
		int32		nchanges;

		csm_io_recv_require(buf, 8, "subscription_history");
		customer = pq_getmsgint64(buf);
		if (l.n > 0 && customer <= l.customer[l.n - 1])
			history_bad_binary("The customers are not in ascending order of id.");
		nchanges = csm_io_recv_length(buf, change_bytes, max_changes, "change",
									  "subscription_history");
		if (nchanges == 0)
			history_bad_binary("A customer has no changes.");
		for (int32 k = 0; k < nchanges; k++)
		{
			DateADT		day;
			int128		mrr;
			int128		qty;
			int			mrr_scale;
			int			qty_scale;

			csm_io_recv_require(buf, 4, "subscription_history");
			day = (DateADT) pq_getmsgint(buf, 4);
			if (!csm_day_in_range(day))
				history_bad_binary("A day is out of range.");
			if (k > 0 && day <= l.day[l.n - 1])
				history_bad_binary("The days of a customer are not in ascending order.");
			mrr = recv_level(buf, &mrr_scale);
			qty = recv_level(buf, &qty_scale);
			levels_add(&l, customer, day, mrr, mrr_scale, qty, qty_scale);
		}
		if (version == HISTORY_VERSION)
		{
			int32		nterms = csm_io_recv_length(buf, term_bytes, max_changes, "term",
													"subscription_history");

			for (int32 k = 0; k < nterms; k++)
			{
				HistoryTerm term;
				int			scale;

				recv_term(buf, customer, &term, &scale);
				if (k > 0 && history_term_cmp(&l.terms[l.nterms - 1], &term) >= 0)
					history_bad_binary("The terms of a customer are not in ascending order.");
				levels_add_term(&l, &term, scale);
			}
		}
	}
	PG_RETURN_POINTER(levels_build(&l, ERRCODE_INVALID_BINARY_REPRESENTATION));
}

/* Binary output */
PG_FUNCTION_INFO_V1(subscription_history_send);
Datum
subscription_history_send(PG_FUNCTION_ARGS)
{
	SubscriptionHistory *h = PG_GETARG_HISTORY_P(0);
	StringInfoData buf;
	HistoryReader r;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, h->version);
	pq_sendbyte(&buf, 0);
	pq_sendint32(&buf, h->ncustomers);
	reader_init(&r, h, ERRCODE_INVALID_BINARY_REPRESENTATION);
	while (next_customer(&r))
	{
		pq_sendint64(&buf, r.customer);
		pq_sendint32(&buf, r.changes_left);
		while (next_change(&r))
		{
			pq_sendint32(&buf, r.day);
			csm_io_send_numeric(&buf, csm_fixed_to_numeric(r.mrr, h->mrr_scale));
			csm_io_send_numeric(&buf, csm_fixed_to_numeric(r.qty, h->qty_scale));
		}
		if (h->version == HISTORY_VERSION)
		{
			pq_sendint32(&buf, r.terms_left);
			while (next_term(&r))
			{
				pq_sendint32(&buf, r.term.start);
				pq_sendint32(&buf, r.term.period > 0 ? r.term.period : 0);
				pq_sendint32(&buf, r.term.period < 0 ? -r.term.period : 0);
				pq_sendint32(&buf, r.term.span == 0 ? DATEVAL_NOEND :
							 r.term.start + (DateADT) r.term.span);
				pq_sendint64(&buf, r.term.count);
				csm_io_send_numeric(&buf, csm_fixed_to_numeric(r.term.mrr, h->mrr_scale));
			}
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ----------------------------------------------------------------
 * Aggregation: the state is a cell map (cellmap.h) keyed by
 * (customer, day) with the changes of MRR and quantity as payload
 * ----------------------------------------------------------------
 */

/* The key: 12 bytes, no padding */
typedef struct HistoryKey
{
	int32		customer_hi;
	uint32		customer_lo;
	DateADT		day;
} HistoryKey;

typedef struct HistoryDelta
{
	int128		mrr;
	int128		qty;
} HistoryDelta;

/*
 * The state: the cell map of changes, and beside it the terms, an array in
 * the map's context (its equal terms merged, and sorted, when it fills up
 * and when the state is flattened)
 */
typedef struct HistoryMap
{
	CsmCellMap	map;
	int			mrr_scale;
	int			qty_scale;
	HistoryTerm *terms;
	uint32		nterms;
	uint32		term_capacity;
	bool		terms_compact;	/* sorted, each key once */
	bool		terms_unknown;	/* merged a version 1 value with customers */
} HistoryMap;

static inline int64
key_customer(const HistoryKey *k)
{
	return (int64) (((uint64) (uint32) k->customer_hi << 32) | k->customer_lo);
}

/* Order of two keys: by customer, then by day */
static int
history_key_cmp(const void *a, const void *b)
{
	HistoryKey	x;
	HistoryKey	y;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	if (x.customer_hi != y.customer_hi)
		return x.customer_hi < y.customer_hi ? -1 : 1;
	if (x.customer_lo != y.customer_lo)
		return x.customer_lo < y.customer_lo ? -1 : 1;
	if (x.day != y.day)
		return x.day < y.day ? -1 : 1;
	return 0;
}

/* Give the map at least these scales; its changes are multiplied to match */
static void
history_map_rescale(HistoryMap *hm, int mrr_scale, int qty_scale)
{
	int			mrr_shift;
	int			qty_shift;

	if (mrr_scale <= hm->mrr_scale && qty_scale <= hm->qty_scale)
		return;
	mrr_scale = Max(mrr_scale, hm->mrr_scale);
	qty_scale = Max(qty_scale, hm->qty_scale);
	if (mrr_scale > HISTORY_MAX_SCALE || qty_scale > HISTORY_MAX_SCALE)
		history_out_of_range();
	mrr_shift = mrr_scale - hm->mrr_scale;
	qty_shift = qty_scale - hm->qty_scale;
	csm_cellmap_sort(&hm->map);
	for (uint32 i = 0; i < csm_cellmap_count(&hm->map); i++)
	{
		HistoryDelta *d = csm_cellmap_payload(&hm->map, i);

		if (!csm_fixed_shift(d->mrr, mrr_shift, &d->mrr) ||
			!csm_fixed_shift(d->qty, qty_shift, &d->qty))
			history_out_of_range();
	}
	for (uint32 i = 0; i < hm->nterms; i++)
		if (!csm_fixed_shift(hm->terms[i].mrr, mrr_shift, &hm->terms[i].mrr))
			history_out_of_range();
	hm->mrr_scale = mrr_scale;
	hm->qty_scale = qty_scale;
}

/* Add a change at the map's scales */
static inline void
history_map_add(HistoryMap *hm, int64 customer, DateADT day, int128 mrr, int128 qty)
{
	HistoryKey	k;
	bool		found;
	HistoryDelta *d;

	k.customer_hi = (int32) (uint32) ((uint64) customer >> 32);
	k.customer_lo = (uint32) (uint64) customer;
	k.day = day;
	d = csm_cellmap_insert(&hm->map, &k, &found);
	if (!csm_fixed_add(d->mrr, mrr, &d->mrr) ||
		!csm_fixed_add(d->qty, qty, &d->qty))
		history_out_of_range();
}

/* Sort the terms and merge the equal ones */
static void
history_terms_compact(HistoryMap *hm)
{
	uint32		n = 0;

	if (hm->terms_compact)
		return;
	if (hm->nterms > 1)
		qsort(hm->terms, hm->nterms, sizeof(HistoryTerm), history_term_cmp);
	for (uint32 i = 0; i < hm->nterms; i++)
	{
		HistoryTerm *t = &hm->terms[i];

		if (n > 0 && history_term_cmp(&hm->terms[n - 1], t) == 0)
		{
			HistoryTerm *into = &hm->terms[n - 1];

			if (pg_add_s64_overflow(into->count, t->count, &into->count) ||
				!csm_fixed_add(into->mrr, t->mrr, &into->mrr))
				history_out_of_range();
		}
		else
			hm->terms[n++] = *t;
	}
	hm->nterms = n;
	hm->terms_compact = true;
}

/* Add a term at the map's scale */
static void
history_map_add_term(HistoryMap *hm, const HistoryTerm *t)
{
	if (hm->nterms >= hm->term_capacity)
	{
		history_terms_compact(hm);
		if (hm->nterms >= hm->term_capacity / 2)
		{
			Size		capacity = Max(4, (Size) hm->term_capacity * 2);

			if (capacity > PG_UINT32_MAX / 2 ||
				capacity * sizeof(HistoryTerm) > MaxAllocHugeSize)
				history_too_large();
			if (hm->terms == NULL)
				hm->terms = MemoryContextAllocHuge(csm_cellmap_context(&hm->map),
												   capacity * sizeof(HistoryTerm));
			else
				hm->terms = repalloc_huge(hm->terms, capacity * sizeof(HistoryTerm));
			hm->term_capacity = (uint32) capacity;
		}
	}
	hm->terms[hm->nterms++] = *t;
	hm->terms_compact = false;
}

/* Add the changes of a flat value (the merge callback of the cell map) */
static void
history_map_merge(CsmCellMap *map, Datum flat)
{
	HistoryMap *hm = (HistoryMap *) map;
	SubscriptionHistory *h = history_check((SubscriptionHistory *) PG_DETOAST_DATUM(flat),
										   ERRCODE_INVALID_BINARY_REPRESENTATION);
	HistoryReader r;
	int			mrr_shift;
	int			qty_shift;

	history_map_rescale(hm, h->mrr_scale, h->qty_scale);
	mrr_shift = hm->mrr_scale - h->mrr_scale;
	qty_shift = hm->qty_scale - h->qty_scale;
	if (h->version == HISTORY_VERSION_NO_TERMS && h->ncustomers > 0)
		hm->terms_unknown = true;
	reader_init(&r, h, ERRCODE_INVALID_BINARY_REPRESENTATION);
	while (next_customer(&r))
	{
		while (next_change(&r))
		{
			int128		mrr;
			int128		qty;

			if (!csm_fixed_shift(r.dmrr, mrr_shift, &mrr) ||
				!csm_fixed_shift(r.dqty, qty_shift, &qty))
				history_out_of_range();
			history_map_add(hm, r.customer, r.day, mrr, qty);
		}
		while (next_term(&r))
		{
			HistoryTerm t = r.term;

			if (!csm_fixed_shift(t.mrr, mrr_shift, &t.mrr))
				history_out_of_range();
			history_map_add_term(hm, &t);
		}
	}
}

/* The version the map flattens to: with terms unless they are unknown or none */
static int
history_map_version(HistoryMap *hm)
{
	if (hm->terms_unknown)
		return HISTORY_VERSION_NO_TERMS;
	history_terms_compact(hm);
	return hm->nterms > 0 ? HISTORY_VERSION : HISTORY_VERSION_NO_TERMS;
}

/*
 * Write (or size) the stored form's body from the sorted cells, leaving
 * out the changes that net to zero and the customers left with none; in
 * version 2 each customer's terms follow its changes.
 */
static void
history_map_encode(HistoryMap *hm, HistoryWriter *w, int32 *ncustomers,
				   int32 *nchanges)
{
	CsmCellMap *map = &hm->map;
	uint32		n = csm_cellmap_count(map);
	int64		customers = 0;
	int64		changes = 0;
	uint32		i = 0;
	uint32		t = 0;
	uint32		nterms;

	csm_cellmap_sort(map);
	w->version = history_map_version(hm);
	nterms = w->version == HISTORY_VERSION ? hm->nterms : 0;
	w->first_customer = true;
	while (i < n)
	{
		int64		customer = key_customer(csm_cellmap_key(map, i));
		uint32		j;
		uint32		tj;
		int32		count = 0;
		int128		mrr = 0;
		int128		qty = 0;

		for (j = i; j < n && key_customer(csm_cellmap_key(map, j)) == customer; j++)
		{
			const HistoryDelta *d = csm_cellmap_payload(map, j);

			if (d->mrr != 0 || d->qty != 0)
				count++;
		}
		if (t < nterms && hm->terms[t].customer < customer)
			elog(ERROR, "csmetrics: subscription_history terms of a customer without changes");
		for (tj = t; tj < nterms && hm->terms[tj].customer == customer; tj++)
			;
		if (count == 0 && tj > t)
			elog(ERROR, "csmetrics: subscription_history terms of a customer without changes");
		if (count > 0)
		{
			put_customer(w, customer, count, (int32) (tj - t));
			customers++;
			for (uint32 k = i; k < j; k++)
			{
				const HistoryDelta *d = csm_cellmap_payload(map, k);
				HistoryKey	key;

				if (d->mrr == 0 && d->qty == 0)
					continue;
				if (!csm_fixed_add(mrr, d->mrr, &mrr) || !csm_fixed_add(qty, d->qty, &qty))
					history_out_of_range();
				memcpy(&key, csm_cellmap_key(map, k), sizeof(key));
				put_change(w, key.day, d->mrr, d->qty);
				changes++;
			}
			for (; t < tj; t++)
				put_term(w, &hm->terms[t]);
		}
		i = j;
	}
	if (t != nterms)
		elog(ERROR, "csmetrics: subscription_history terms of a customer without changes");
	if (customers > PG_INT32_MAX || changes > PG_INT32_MAX || nterms > PG_INT32_MAX)
		history_too_large();
	*ncustomers = (int32) customers;
	*nchanges = (int32) changes;
}

static Size
history_map_flat_size(CsmCellMap *map)
{
	HistoryWriter w = {0};
	int32		ncustomers;
	int32		nchanges;
	Size		size;

	history_map_encode((HistoryMap *) map, &w, &ncustomers, &nchanges);
	size = add_size(HISTORY_HEADER_SIZE, w.size);
	if (size > MaxAllocSize)
		history_too_large();
	return size;
}

static void
history_map_flatten(CsmCellMap *map, void *result, Size size)
{
	HistoryMap *hm = (HistoryMap *) map;
	SubscriptionHistory *h = (SubscriptionHistory *) result;
	HistoryWriter w = {0};

	w.p = h->data;
	history_map_encode(hm, &w, &h->ncustomers, &h->nchanges);
	if (HISTORY_HEADER_SIZE + w.size != size)
		elog(ERROR, "csmetrics: subscription_history is not of its computed size");
	SET_VARSIZE(h, size);
	h->version = (uint8) w.version;
	h->nterms = w.version == HISTORY_VERSION ? (int32) hm->nterms : 0;
	h->mrr_scale = (uint8) hm->mrr_scale;
	h->qty_scale = (uint8) hm->qty_scale;
}

static const CsmCellMapType history_map_type = {
	"subscription_history", sizeof(HistoryMap), sizeof(HistoryKey), sizeof(HistoryDelta),
	history_key_cmp, history_map_merge, history_map_flat_size, history_map_flatten
};

/*
 * Merge the second ledger into the first: the combine function of
 * subscription_history_agg and the transition function of rollup(), with
 * all four NULL cases handled (cellmap.h).
 */
CSM_CELLMAP_COMBINE_FUNCTION(subscription_history_combine, history_map_type);

/* A quantity argument: finite, not negative, at most 20 decimals */
static int128
quantity_fixed(Datum quantity, int *scale)
{
	CsmNumericView view;
	int128		v;

	csm_numeric_view(quantity, &view);
	if (view.special)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantity must be a finite number")));
	if (view.negative && view.ndigits > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantity cannot be negative")));
	if (view.dscale > HISTORY_MAX_SCALE || !csm_view_to_fixed(&view, view.dscale, &v))
		history_out_of_range();
	*scale = view.dscale;
	return v;
}

/*
 * The transition of subscription_history_agg, for a bigint customer id or
 * (text_id) a text one, keyed by csm_text_datum_key (textkey.h)
 */
static Datum
history_add(FunctionCallInfo fcinfo, bool text_id)
{
	MemoryContext aggcontext = csm_aggregate_context(fcinfo, "subscription_history_add");
	HistoryMap *hm;
	int64		customer;
	DateADT		started_on;
	DateADT		ended_on = DATEVAL_NOEND;
	int128		mrr;
	int128		qty = 1;
	int			mrr_scale;
	int			qty_scale = 0;
	Interval   *billing;
	HistoryTerm term;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(4) || PG_ARGISNULL(5) ||
		(PG_NARGS() > 6 && PG_ARGISNULL(6)))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	customer = text_id ? (int64) csm_text_datum_key(PG_GETARG_DATUM(1)) : PG_GETARG_INT64(1);
	started_on = PG_GETARG_DATEADT(2);
	if (DATE_NOT_FINITE(started_on) || started_on < csm_first_day())
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("started_on must be a finite date in the year 1 or later")));
	if (!PG_ARGISNULL(3))
		ended_on = PG_GETARG_DATEADT(3);
	if (ended_on < started_on)
	{
		char		start[CSM_IO_DATE_LEN];

		csm_io_format_date(started_on, start);
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 text_id ?
				 errmsg("subscription of customer \"%s\" ends before it starts",
						TextDatumGetCString(PG_GETARG_DATUM(1))) :
				 errmsg("subscription of customer " INT64_FORMAT " ends before it starts", customer),
				 errdetail("started_on is %s, ended_on is %s.", start,
						   DatumGetCString(DirectFunctionCall1(date_out,
															   DateADTGetDatum(ended_on))))));
	}
	billing = PG_GETARG_INTERVAL_P(5);
	if (!csm_monthly_amount_fixed(PG_GETARG_DATUM(4), billing, &mrr, &mrr_scale) ||
		mrr_scale > HISTORY_MAX_SCALE)
		history_out_of_range();
	if (mrr < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount cannot be negative"),
				 errhint("Net credits against the charges of a subscription before adding it to the ledger.")));
	if (PG_NARGS() > 6)
		qty = quantity_fixed(PG_GETARG_DATUM(6), &qty_scale);

	hm = (HistoryMap *) csm_cellmap_state(fcinfo, &history_map_type, aggcontext);
	if (ended_on == started_on || (mrr == 0 && qty == 0))
		return csm_cellmap_datum(&hm->map);
	history_map_rescale(hm, mrr_scale, qty_scale);
	if (!csm_fixed_shift(mrr, hm->mrr_scale - mrr_scale, &mrr) ||
		!csm_fixed_shift(qty, hm->qty_scale - qty_scale, &qty))
		history_out_of_range();
	history_map_add(hm, customer, started_on, mrr, qty);
	if (!DATE_IS_NOEND(ended_on))
		history_map_add(hm, customer, ended_on, -mrr, -qty);
	term.customer = customer;
	term.start = started_on;
	term.period = billing->month > 0 ? billing->month : -billing->day;
	term.span = DATE_IS_NOEND(ended_on) ? 0 : (uint32) (ended_on - started_on);
	term.count = 1;
	term.mrr = mrr;
	history_map_add_term(hm, &term);
	return csm_cellmap_datum(&hm->map);
}

/*
 * subscription_history_agg transition: (customer_id bigint, started_on,
 * ended_on, amount, billing_period [, quantity]).  Rows with a NULL
 * customer, started_on, amount, billing period or quantity are skipped; a
 * NULL ended_on (or 'infinity') means still active.
 */
PG_FUNCTION_INFO_V1(subscription_history_add);
Datum
subscription_history_add(PG_FUNCTION_ARGS)
{
	return history_add(fcinfo, false);
}

/*
 * subscription_history_agg transition for text customer ids: the same,
 * the customer keyed by csm_text_datum_key
 */
PG_FUNCTION_INFO_V1(subscription_history_add_text);
Datum
subscription_history_add_text(PG_FUNCTION_ARGS)
{
	return history_add(fcinfo, true);
}

/* customer_key(text): the key a ledger stores for a text customer id */
PG_FUNCTION_INFO_V1(subscription_history_customer_key);
Datum
subscription_history_customer_key(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) csm_text_datum_key(PG_GETARG_DATUM(0)));
}

/* ----------------------------------------------------------------
 * Reports on one day
 * ----------------------------------------------------------------
 */

/* The totals of the customers' levels on one day */
typedef struct DayTotals
{
	int128		mrr;
	int128		qty;
	int64		paying;			/* customers with MRR > 0 */
} DayTotals;

static void
totals_at(SubscriptionHistory *h, DateADT day, DayTotals *t)
{
	HistoryReader r;

	t->mrr = 0;
	t->qty = 0;
	t->paying = 0;
	reader_init(&r, h, ERRCODE_INVALID_BINARY_REPRESENTATION);
	while (next_customer(&r))
	{
		int128		mrr = 0;
		int128		qty = 0;

		while (next_change(&r))
			if (r.day <= day)
			{
				mrr = r.mrr;
				qty = r.qty;
			}
		if (!csm_fixed_add(t->mrr, mrr, &t->mrr) || !csm_fixed_add(t->qty, qty, &t->qty))
			history_out_of_range();
		if (mrr > 0)
			t->paying++;
	}
}

/* mrr_at(subscription_history, date): the MRR of the subscriptions active on the day */
PG_FUNCTION_INFO_V1(subscription_history_mrr_at);
Datum
subscription_history_mrr_at(PG_FUNCTION_ARGS)
{
	SubscriptionHistory *h = PG_GETARG_HISTORY_P(0);
	DayTotals	t;

	totals_at(h, PG_GETARG_DATEADT(1), &t);
	PG_RETURN_NUMERIC(csm_fixed_to_numeric(t.mrr, h->mrr_scale));
}

/* arr_at(subscription_history, date): 12 times mrr_at */
PG_FUNCTION_INFO_V1(subscription_history_arr_at);
Datum
subscription_history_arr_at(PG_FUNCTION_ARGS)
{
	SubscriptionHistory *h = PG_GETARG_HISTORY_P(0);
	DayTotals	t;
	int128		arr;

	totals_at(h, PG_GETARG_DATEADT(1), &t);
	if (__builtin_mul_overflow(t.mrr, (int128) 12, &arr) || !csm_fixed_in_range(arr))
		history_out_of_range();
	PG_RETURN_NUMERIC(csm_fixed_to_numeric(arr, h->mrr_scale));
}

/* paying_customers_at(subscription_history, date): customers with MRR on the day */
PG_FUNCTION_INFO_V1(subscription_history_paying_customers_at);
Datum
subscription_history_paying_customers_at(PG_FUNCTION_ARGS)
{
	DayTotals	t;

	totals_at(PG_GETARG_HISTORY_P(0), PG_GETARG_DATEADT(1), &t);
	PG_RETURN_INT64(t.paying);
}

/* seats_at(subscription_history, date): the quantity active on the day */
PG_FUNCTION_INFO_V1(subscription_history_seats_at);
Datum
subscription_history_seats_at(PG_FUNCTION_ARGS)
{
	SubscriptionHistory *h = PG_GETARG_HISTORY_P(0);
	DayTotals	t;

	totals_at(h, PG_GETARG_DATEADT(1), &t);
	PG_RETURN_NUMERIC(csm_fixed_to_numeric(t.qty, h->qty_scale));
}

/* arpa_at(subscription_history, date): MRR per paying customer, NULL without any */
PG_FUNCTION_INFO_V1(subscription_history_arpa_at);
Datum
subscription_history_arpa_at(PG_FUNCTION_ARGS)
{
	SubscriptionHistory *h = PG_GETARG_HISTORY_P(0);
	DayTotals	t;

	totals_at(h, PG_GETARG_DATEADT(1), &t);
	if (t.paying == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(numeric_div_opt_error(csm_fixed_to_numeric(t.mrr, h->mrr_scale),
											int64_to_numeric(t.paying), NULL));
}

/* customers(subscription_history): the customers in the ledger */
PG_FUNCTION_INFO_V1(subscription_history_customers);
Datum
subscription_history_customers(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_HISTORY_P(0)->ncustomers);
}

/* ----------------------------------------------------------------
 * Movements between days
 * ----------------------------------------------------------------
 */

/* Check that a day argument is finite */
static void
check_finite_day(DateADT day, const char *what)
{
	if (DATE_NOT_FINITE(day))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite date", what)));
}

/* Check a range [from_day, to_day) of days */
static void
check_day_range(DateADT from_day, DateADT to_day)
{
	check_finite_day(from_day, "from_day");
	check_finite_day(to_day, "to_day");
	if (to_day <= from_day)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("to_day must be later than from_day"),
				 errdetail("The movements are those of the days from from_day up to, not including, to_day.")));
}

/*
 * The periods of the grain that overlap [from_day, to_day): sets *first to
 * the first's number and returns how many, raising 54000 for more than
 * max_periods (function: the SQL function's name, for the message)
 */
static int64
range_periods(DateADT from_day, DateADT to_day, CsmGrain grain, int64 max_periods,
			  const char *function, int64 *first)
{
	int64		n;

	*first = csm_date_period(from_day, grain);
	n = (int64) csm_date_period(to_day - 1, grain) - *first + 1;
	if (n > max_periods)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many periods for %s: " INT64_FORMAT, function, n),
				 errdetail("The range may span at most " INT64_FORMAT " periods of the grain.",
						   max_periods)));
	return n;
}

/* The first days of periods first .. first + n: n + 1 bounds */
static DateADT *
period_bounds(int64 first, int64 n, CsmGrain grain)
{
	DateADT    *bounds = palloc((n + 1) * sizeof(DateADT));

	for (int64 k = 0; k <= n; k++)
		bounds[k] = csm_period_start((int32) (first + k), grain);
	return bounds;
}

/*
 * mrr_bridge(subscription_history, from_day, to_day): each customer's MRR
 * on the day before from_day against its MRR on the day before to_day.
 */
PG_FUNCTION_INFO_V1(subscription_history_mrr_bridge);
Datum
subscription_history_mrr_bridge(PG_FUNCTION_ARGS)
{
	SubscriptionHistory *h = PG_GETARG_HISTORY_P(0);
	DateADT		from_day = PG_GETARG_DATEADT(1);
	DateADT		to_day = PG_GETARG_DATEADT(2);
	MrrBridge  *b;
	HistoryReader r;

	check_day_range(from_day, to_day);
	b = mrr_bridge_new();
	reader_init(&r, h, ERRCODE_INVALID_BINARY_REPRESENTATION);
	while (next_customer(&r))
	{
		int128		previous = 0;
		int128		current = 0;
		bool		paid_before = false;

		while (next_change(&r))
		{
			if (r.day < from_day)
			{
				previous = r.mrr;
				paid_before |= r.dmrr > 0;
			}
			if (r.day < to_day)
				current = r.mrr;
		}
		if (previous > 0 || current > 0 || paid_before)
			mrr_bridge_add_customer(b, previous, current, h->mrr_scale, paid_before);
	}
	PG_RETURN_POINTER(b);
}


static const PGFunction movement_columns[] = {
	mrr_bridge_starting_mrr, mrr_bridge_new_mrr, mrr_bridge_expansion_mrr,
	mrr_bridge_reactivation_mrr, mrr_bridge_contraction_mrr,
	mrr_bridge_churned_mrr, mrr_bridge_ending_mrr,
	mrr_bridge_customers_at_start, mrr_bridge_new_customers,
	mrr_bridge_churned_customers, mrr_bridge_customers_at_end
};

#define MOVEMENT_COLUMNS	lengthof(movement_columns)

/*
 * mrr_movements(subscription_history, grain, from_day, to_day): one row
 * per period of the grain that overlaps [from_day, to_day), with the
 * bridge from the period's first day to the next period's, in one pass
 * over the ledger.
 */
PG_FUNCTION_INFO_V1(subscription_history_mrr_movements);
Datum
subscription_history_mrr_movements(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SubscriptionHistory *h = PG_GETARG_HISTORY_P(0);
	CsmGrain	grain = csm_grain_from_text(PG_GETARG_TEXT_PP(1));
	DateADT		from_day = PG_GETARG_DATEADT(2);
	DateADT		to_day = PG_GETARG_DATEADT(3);
	int64		first;
	int64		n;
	DateADT    *bounds;
	MrrBridge **bridges;
	int128	   *levels;
	bool	   *paid;
	HistoryReader r;

	check_day_range(from_day, to_day);
	n = range_periods(from_day, to_day, grain, MOVEMENTS_MAX_PERIODS, "mrr_movements", &first);
	bounds = period_bounds(first, n, grain);
	bridges = palloc(n * sizeof(MrrBridge *));
	levels = palloc((n + 1) * sizeof(int128));
	paid = palloc((n + 1) * sizeof(bool));
	for (int64 k = 0; k < n; k++)
		bridges[k] = mrr_bridge_new();

	/* per customer, its MRR on the day before each bound */
	reader_init(&r, h, ERRCODE_INVALID_BINARY_REPRESENTATION);
	while (next_customer(&r))
	{
		int128		level = 0;
		bool		paid_before = false;
		bool		more = next_change(&r);

		CHECK_FOR_INTERRUPTS();
		for (int64 k = 0; k <= n; k++)
		{
			while (more && r.day < bounds[k])
			{
				level = r.mrr;
				paid_before |= r.dmrr > 0;
				more = next_change(&r);
			}
			levels[k] = level;
			paid[k] = paid_before;
		}
		while (more)
			more = next_change(&r);
		for (int64 k = 0; k < n; k++)
			if (levels[k] > 0 || levels[k + 1] > 0 || paid[k])
				mrr_bridge_add_customer(bridges[k], levels[k], levels[k + 1],
										h->mrr_scale, paid[k]);
	}

	csm_init_materialized_srf(fcinfo);
	for (int64 k = 0; k < n; k++)
	{
		Datum		values[MOVEMENT_COLUMNS + 2];
		bool		nulls[MOVEMENT_COLUMNS + 2] = {0};
		Datum		bridge = PointerGetDatum(bridges[k]);

		values[0] = DateADTGetDatum(bounds[k]);
		for (int c = 0; c < (int) MOVEMENT_COLUMNS; c++)
			values[1 + c] = DirectFunctionCall1(movement_columns[c], bridge);
		values[MOVEMENT_COLUMNS + 1] = bridge;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ----------------------------------------------------------------
 * Seats between days
 * ----------------------------------------------------------------
 */

/*
 * seat_bridge(subscription_history, from_day, to_day): each customer's
 * quantity on the day before from_day against the day before to_day.
 * Seats of customers who had none are new, of customers left with none
 * churned; the others expanded or contracted.  One row: seats at the
 * start, new, expansion, contraction, churned, seats at the end, and the
 * seat churn rate (contraction + churned) / start * 100.
 */
PG_FUNCTION_INFO_V1(subscription_history_seat_bridge);
Datum
subscription_history_seat_bridge(PG_FUNCTION_ARGS)
{
	SubscriptionHistory *h = PG_GETARG_HISTORY_P(0);
	DateADT		from_day = PG_GETARG_DATEADT(1);
	DateADT		to_day = PG_GETARG_DATEADT(2);
	/* start, new, expansion, contraction, churned, end */
	int128		seats[6] = {0};
	HistoryReader r;
	TupleDesc	tupdesc;
	Datum		values[7];
	bool		nulls[7] = {0};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "csmetrics: seat_bridge must return a record");
	check_day_range(from_day, to_day);
	reader_init(&r, h, ERRCODE_INVALID_BINARY_REPRESENTATION);
	while (next_customer(&r))
	{
		int128		previous = 0;
		int128		current = 0;
		int			kind;

		while (next_change(&r))
		{
			if (r.day < from_day)
				previous = r.qty;
			if (r.day < to_day)
				current = r.qty;
		}
		if (previous == 0)
			kind = current > 0 ? 1 : -1;
		else if (current == 0)
			kind = 4;
		else if (current > previous)
			kind = 2;
		else if (current < previous)
			kind = 3;
		else
			kind = -1;
		if (!csm_fixed_add(seats[0], previous, &seats[0]) ||
			!csm_fixed_add(seats[5], current, &seats[5]))
			history_out_of_range();
		if (kind > 0)
		{
			int128		moved = current - previous;

			if (moved < 0)
				moved = -moved;
			if (!csm_fixed_add(seats[kind], moved, &seats[kind]))
				history_out_of_range();
		}
	}
	for (int i = 0; i < 6; i++)
		values[i] = NumericGetDatum(csm_fixed_to_numeric(seats[i], h->qty_scale));
	if (seats[0] == 0)
		nulls[6] = true;
	else
		values[6] = Float8GetDatum(100.0 * ((double) seats[3] + (double) seats[4]) /
								   (double) seats[0]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/* ----------------------------------------------------------------
 * Per customer and period
 * ----------------------------------------------------------------
 */

/*
 * customer_mrr(subscription_history, grain, from_day, to_day): for each
 * customer and each period of the grain overlapping [from_day, to_day),
 * its MRR and seats on the period's last day, where either is positive:
 * the per-customer rows that cohort tables and custom reports start from.
 */
PG_FUNCTION_INFO_V1(subscription_history_customer_mrr);
Datum
subscription_history_customer_mrr(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SubscriptionHistory *h = PG_GETARG_HISTORY_P(0);
	CsmGrain	grain = csm_grain_from_text(PG_GETARG_TEXT_PP(1));
	DateADT		from_day = PG_GETARG_DATEADT(2);
	DateADT		to_day = PG_GETARG_DATEADT(3);
	int64		first;
	int64		n;
	DateADT    *bounds;
	HistoryReader r;

	check_day_range(from_day, to_day);
	n = range_periods(from_day, to_day, grain, MOVEMENTS_MAX_PERIODS, "customer_mrr", &first);
	bounds = period_bounds(first, n, grain);

	csm_init_materialized_srf(fcinfo);
	reader_init(&r, h, ERRCODE_INVALID_BINARY_REPRESENTATION);
	while (next_customer(&r))
	{
		int128		mrr = 0;
		int128		qty = 0;
		bool		more = next_change(&r);

		CHECK_FOR_INTERRUPTS();
		for (int64 k = 0; k < n; k++)
		{
			Datum		values[4];
			bool		nulls[4] = {0};

			/* the levels on the period's last day */
			while (more && r.day < bounds[k + 1])
			{
				mrr = r.mrr;
				qty = r.qty;
				more = next_change(&r);
			}
			if (mrr == 0 && qty == 0)
			{
				if (!more)
					break;
				continue;
			}
			values[0] = Int64GetDatum(r.customer);
			values[1] = DateADTGetDatum(bounds[k]);
			values[2] = NumericGetDatum(csm_fixed_to_numeric(mrr, h->mrr_scale));
			values[3] = NumericGetDatum(csm_fixed_to_numeric(qty, h->qty_scale));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
		while (more)
			more = next_change(&r);
	}
	return (Datum) 0;
}

/* ----------------------------------------------------------------
 * The renewal wall
 * ----------------------------------------------------------------
 */

/* The due day of renewal k of a term (PG_INT64_MAX past the last date) */
static inline int64
term_due(const HistoryTerm *t, int64 k)
{
	return csm_renewal_due_day(t->start, t->period > 0 ? t->period : 0,
							   t->period < 0 ? -t->period : 0, k);
}

/*
 * The first renewal number k >= k_min of a term due on day or later.  A
 * term of m months and d days moves the due day by at most 31m + d days
 * a renewal, so renewal (day - start) / (31m + d) is not due after day:
 * start there, and step.
 */
static int64
term_first_due_from(const HistoryTerm *t, int64 day, int64 k_min)
{
	int64		step = t->period > 0 ? (int64) t->period * 31 : -(int64) t->period;
	int64		k = Max(k_min, (day - t->start) / step);

	while (term_due(t, k) < day)
		k++;
	return k;
}

/*
 * renewals_due(subscription_history, from_day, to_day, grain): per period
 * of the grain overlapping [from_day, to_day), the renewals that fall due
 * on its days within the range: the customers and subscriptions with at
 * least one renewal due, and their MRR (each subscription once a period).
 */
PG_FUNCTION_INFO_V1(subscription_history_renewals_due);
Datum
subscription_history_renewals_due(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SubscriptionHistory *h = PG_GETARG_HISTORY_P(0);
	DateADT		from_day = PG_GETARG_DATEADT(1);
	DateADT		to_day = PG_GETARG_DATEADT(2);
	CsmGrain	grain = csm_grain_from_text(PG_GETARG_TEXT_PP(3));
	int64		first;
	int64		n;
	int64	   *customers;
	int64	   *subscriptions;
	int128	   *mrr;
	int64	   *seen;			/* per period, the last customer (ordinal + 1) */
	int64		ordinal = 0;
	HistoryReader r;

	check_day_range(from_day, to_day);
	if (h->version == HISTORY_VERSION_NO_TERMS && h->ncustomers > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("subscription_history holds no subscription terms"),
				 errdetail("The ledger was stored without the terms of its subscriptions (version 1, or from a text or binary form without them), so its renewals are not known."),
				 errhint("Build the ledger again with subscription_history_agg() from the subscriptions.")));
	n = range_periods(from_day, to_day, grain, MOVEMENTS_MAX_PERIODS, "renewals_due", &first);
	customers = palloc0(n * sizeof(int64));
	subscriptions = palloc0(n * sizeof(int64));
	mrr = palloc0(n * sizeof(int128));
	seen = palloc0(n * sizeof(int64));

	reader_init(&r, h, ERRCODE_INVALID_BINARY_REPRESENTATION);
	while (next_customer(&r))
	{
		ordinal++;
		while (next_change(&r))
			;
		while (next_term(&r))
		{
			const HistoryTerm *t = &r.term;
			int64		limit = t->span == 0 ? to_day : Min((int64) to_day,
														   (int64) t->start + t->span);
			int64		k = term_first_due_from(t, from_day, 1);
			int64		due;

			CHECK_FOR_INTERRUPTS();
			while ((due = term_due(t, k)) < limit)
			{
				int32		period = csm_date_period((DateADT) due, grain);
				int64		p = period - first;

				if (pg_add_s64_overflow(subscriptions[p], t->count, &subscriptions[p]) ||
					!csm_fixed_add(mrr[p], t->mrr, &mrr[p]))
					history_out_of_range();
				if (seen[p] != ordinal)
				{
					seen[p] = ordinal;
					customers[p]++;
				}
				/* on to the first renewal of the next period */
				if (p + 1 >= n)
					break;
				k = term_first_due_from(t, csm_period_start(period + 1, grain), k + 1);
			}
		}
	}

	csm_init_materialized_srf(fcinfo);
	for (int64 p = 0; p < n; p++)
	{
		Datum		values[4];
		bool		nulls[4] = {0};

		values[0] = DateADTGetDatum(csm_period_start((int32) (first + p), grain));
		values[1] = Int64GetDatum(customers[p]);
		values[2] = Int64GetDatum(subscriptions[p]);
		values[3] = NumericGetDatum(csm_fixed_to_numeric(mrr[p], h->mrr_scale));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ----------------------------------------------------------------
 * Seat retention by cohort
 * ----------------------------------------------------------------
 */

/* Most periods seat_retention() spans (its triangle has n(n+1)/2 cells) */
#define SEAT_RETENTION_MAX_PERIODS	1000

/* Does [from, to) hold the last day of a period of the grain? */
static bool
holds_period_end(DateADT from, int64 to, CsmGrain grain)
{
	return (int64) csm_period_start(csm_date_period(from, grain) + 1, grain) - 1 < to;
}

/*
 * seat_retention(subscription_history, grain, from_day, to_day): the
 * quantity cohort table.  A customer's cohort is the first period whose
 * last day it has seats on; for the cohorts among the periods overlapping
 * [from_day, to_day), one row per cohort and period k = 0, 1, ... up to
 * the last period: the seats its customers hold on the last day of period
 * k, and that as a percentage of period 0's (net seat retention).
 */
PG_FUNCTION_INFO_V1(subscription_history_seat_retention);
Datum
subscription_history_seat_retention(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SubscriptionHistory *h = PG_GETARG_HISTORY_P(0);
	CsmGrain	grain = csm_grain_from_text(PG_GETARG_TEXT_PP(1));
	DateADT		from_day = PG_GETARG_DATEADT(2);
	DateADT		to_day = PG_GETARG_DATEADT(3);
	int64		first;
	int64		n;
	DateADT    *bounds;
	int128	   *levels;
	int128	  **seats;			/* per cohort, per period since it */
	bool	   *cohort_used;
	HistoryReader r;

	check_day_range(from_day, to_day);
	n = range_periods(from_day, to_day, grain, SEAT_RETENTION_MAX_PERIODS, "seat_retention", &first);
	bounds = period_bounds(first, n, grain);
	levels = palloc(n * sizeof(int128));
	seats = palloc(n * sizeof(int128 *));
	for (int64 c = 0; c < n; c++)
		seats[c] = palloc0((n - c) * sizeof(int128));
	cohort_used = palloc0(n * sizeof(bool));

	reader_init(&r, h, ERRCODE_INVALID_BINARY_REPRESENTATION);
	while (next_customer(&r))
	{
		bool		earlier = false;	/* seats on a period end before the range */
		DateADT		prev_day = 0;
		int128		prev_qty = 0;
		int128		qty = 0;
		bool		more = next_change(&r);
		int64		cohort = -1;

		CHECK_FOR_INTERRUPTS();
		/* the segments of quantity before the range */
		while (more && r.day < bounds[0])
		{
			if (prev_qty > 0 && holds_period_end(prev_day, r.day, grain))
				earlier = true;
			prev_day = r.day;
			prev_qty = r.qty;
			qty = r.qty;
			more = next_change(&r);
		}
		if (prev_qty > 0 && holds_period_end(prev_day, bounds[0], grain))
			earlier = true;
		/* the quantity on the last day of each period of the range */
		for (int64 k = 0; k < n; k++)
		{
			while (more && r.day < bounds[k + 1])
			{
				qty = r.qty;
				more = next_change(&r);
			}
			levels[k] = qty;
			if (cohort < 0 && qty > 0)
				cohort = k;
		}
		while (more)
			more = next_change(&r);
		if (earlier || cohort < 0)
			continue;
		cohort_used[cohort] = true;
		for (int64 k = cohort; k < n; k++)
			if (!csm_fixed_add(seats[cohort][k - cohort], levels[k],
							   &seats[cohort][k - cohort]))
				history_out_of_range();
	}

	csm_init_materialized_srf(fcinfo);
	for (int64 c = 0; c < n; c++)
	{
		double		base;

		if (!cohort_used[c])
			continue;
		base = (double) seats[c][0];
		for (int64 k = 0; k < n - c; k++)
		{
			Datum		values[4];
			bool		nulls[4] = {0};

			values[0] = DateADTGetDatum(bounds[c]);
			values[1] = Int32GetDatum((int32) k);
			values[2] = NumericGetDatum(csm_fixed_to_numeric(seats[c][k], h->qty_scale));
			values[3] = Float8GetDatum(100.0 * (double) seats[c][k] / base);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}
