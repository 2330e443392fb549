/*-------------------------------------------------------------------------
 *
 * revenue_cohort.c
 *	  Revenue cohort retention: the revenue_cohort_summary type, the
 *	  revenue_cohort_agg aggregate and rollup that build and merge it, and
 *	  the revenue_retention set-returning function.
 *
 * The summary holds the exact (numeric) sum of the amounts of each cohort
 * in each period after the cohort's own (period 0); revenue retention in
 * period k is revenue(k) / revenue(0), so expansion can lift it above
 * 100%.  Both dates of an input row are truncated to their periods, like
 * date_trunc; a period before the cohort is an error.
 *
 * Stored form (a varlena, ALIGNMENT double): a 16-byte header (version,
 * grain, flags, cell count), then per cell, sorted by cohort and period,
 * the cohort (first day of its period, a date, int32), the period (int32)
 * and the sum as a numeric varlena with a 4-byte header, padded to a
 * multiple of 4 bytes.
 *
 * In memory, during aggregation, it is an expanded object holding a hash
 * table from (cohort, period) to the running sum, as cohort.c does for
 * logo retention.
 *
 * Text form: the grain, then per cohort its first day and the sum in each
 * period that has rows, e.g.
 *		month; 2024-01-01 {0:100.00, 1:90.50, 3:120}; 2024-02-01 {0:50}
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "csm_io.h"
#include "csmetrics.h"
#include "grain.h"

#define REVENUE_SUMMARY_VERSION	1

typedef struct RevenueSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* REVENUE_SUMMARY_VERSION */
	uint8		grain;			/* CsmGrain */
	uint8		flags;			/* no flags are defined yet: always 0 */
	uint8		unused;			/* reserved, always 0 */
	int32		ncells;			/* number of cells */
	int32		unused2;		/* reserved, always 0 */
	char		data[FLEXIBLE_ARRAY_MEMBER];	/* the cells */
} RevenueSummary;

/* one cell: two int32 and a numeric, the whole padded to INTALIGN */
typedef struct RevenueCellHeader
{
	DateADT		cohort;
	int32		period;
} RevenueCellHeader;

#define REVENUE_HEADER_SIZE	offsetof(RevenueSummary, data)
#define CELL_NUMERIC(h)		((Numeric) ((char *) (h) + sizeof(RevenueCellHeader)))
#define CELL_SIZE(numsize)	INTALIGN(sizeof(RevenueCellHeader) + (numsize))

/* ----------------------------------------------------------------
 * In-memory form: (cohort period number, period) -> Numeric sum
 * ----------------------------------------------------------------
 */
typedef struct RevenueEntry
{
	uint64		key;			/* cohort period number << 32 | period */
	Numeric		sum;			/* in the expanded object's context */
	char		status;
} RevenueEntry;

#define SH_PREFIX		revmap
#define SH_ELEMENT_TYPE	RevenueEntry
#define SH_KEY_TYPE		uint64
#define SH_KEY			key
#define SH_HASH_KEY(tb, k)	csm_cell_key_hash(k)
#define SH_EQUAL(tb, a, b)	((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

typedef struct ExpandedRevenueSummary
{
	ExpandedObjectHeader hdr;
	CsmGrain	grain;
	revmap_hash *map;
} ExpandedRevenueSummary;

static Size ers_get_flat_size(ExpandedObjectHeader *eohptr);
static void ers_flatten_into(ExpandedObjectHeader *eohptr,
							 void *result, Size allocated_size);

static const ExpandedObjectMethods ers_methods = {
	ers_get_flat_size,
	ers_flatten_into
};

static ExpandedRevenueSummary *
ers_new(MemoryContext parent, CsmGrain grain)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "revenue_cohort_summary",
											  ALLOCSET_SMALL_SIZES);
	ExpandedRevenueSummary *ers = MemoryContextAlloc(cxt, sizeof(ExpandedRevenueSummary));

	EOH_init_header(&ers->hdr, &ers_methods, cxt);
	ers->grain = grain;
	ers->map = revmap_create(cxt, 64, NULL);
	return ers;
}

/* Add an amount to a cell; the sum lives in the object's context */
static void
ers_add(ExpandedRevenueSummary *ers, int32 cohort, int32 period, Numeric amount)
{
	bool		found;
	RevenueEntry *entry = revmap_insert(ers->map, csm_cell_key(cohort, period), &found);
	MemoryContext old = MemoryContextSwitchTo(ers->hdr.eoh_context);

	if (found)
	{
		Numeric		sum = numeric_add_opt_error(entry->sum, amount, NULL);

		pfree(entry->sum);
		entry->sum = sum;
	}
	else
	{
		entry->sum = palloc(VARSIZE(amount));
		memcpy(entry->sum, amount, VARSIZE(amount));
	}
	MemoryContextSwitchTo(old);
}

static Size
ers_get_flat_size(ExpandedObjectHeader *eohptr)
{
	ExpandedRevenueSummary *ers = (ExpandedRevenueSummary *) eohptr;
	revmap_iterator it;
	RevenueEntry *entry;
	Size		size = REVENUE_HEADER_SIZE;

	revmap_start_iterate(ers->map, &it);
	while ((entry = revmap_iterate(ers->map, &it)) != NULL)
		size = add_size(size, CELL_SIZE(VARSIZE(entry->sum)));
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("revenue cohort summary is too large")));
	return size;
}

static int
entry_cmp(const void *a, const void *b)
{
	uint64		x = (*(RevenueEntry *const *) a)->key;
	uint64		y = (*(RevenueEntry *const *) b)->key;
	int32		cx = csm_cell_cohort(x),
				cy = csm_cell_cohort(y);

	if (cx != cy)
		return cx < cy ? -1 : 1;
	if (csm_cell_period(x) != csm_cell_period(y))
		return csm_cell_period(x) < csm_cell_period(y) ? -1 : 1;
	return 0;
}

static void
ers_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ExpandedRevenueSummary *ers = (ExpandedRevenueSummary *) eohptr;
	RevenueSummary *flat = (RevenueSummary *) result;
	RevenueEntry **entries;
	revmap_iterator it;
	RevenueEntry *entry;
	uint32		n = 0;
	char	   *p;

	memset(flat, 0, allocated_size);
	SET_VARSIZE(flat, allocated_size);
	flat->version = REVENUE_SUMMARY_VERSION;
	flat->grain = (uint8) ers->grain;
	entries = palloc(Max(ers->map->members, 1) * sizeof(RevenueEntry *));
	revmap_start_iterate(ers->map, &it);
	while ((entry = revmap_iterate(ers->map, &it)) != NULL)
		entries[n++] = entry;
	qsort(entries, n, sizeof(RevenueEntry *), entry_cmp);
	p = flat->data;
	for (uint32 i = 0; i < n; i++)
	{
		RevenueCellHeader *h = (RevenueCellHeader *) p;

		h->cohort = csm_period_start(csm_cell_cohort(entries[i]->key), ers->grain);
		h->period = csm_cell_period(entries[i]->key);
		memcpy(CELL_NUMERIC(h), entries[i]->sum, VARSIZE(entries[i]->sum));
		p += CELL_SIZE(VARSIZE(entries[i]->sum));
	}
	Assert(p == (char *) flat + allocated_size);
	flat->ncells = (int32) n;
	pfree(entries);
}

/* ----------------------------------------------------------------
 * Validation of the stored form
 * ----------------------------------------------------------------
 */
static void
bad_summary(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid revenue_cohort_summary value"),
			 errdetail_internal("%s", detail)));
}

/*
 * Walk the cells of a flat summary, checking every length against the
 * value's size, the order, the cohort dates and the periods.
 */
static RevenueSummary *
revenue_summary_check(RevenueSummary *s)
{
	char	   *p;
	char	   *end;
	DateADT		prev_cohort = 0;
	int32		prev_period = 0;

	if (VARSIZE(s) < REVENUE_HEADER_SIZE)
		bad_summary("The value is too short.");
	if (s->version != REVENUE_SUMMARY_VERSION)
		bad_summary("The version is not 1.");
	if (!csm_grain_is_valid(s->grain) || s->flags != 0 || s->unused != 0 || s->unused2 != 0)
		bad_summary("The grain or the reserved fields are invalid.");
	if (s->ncells < 0)
		bad_summary("The cell count is negative.");
	p = s->data;
	end = (char *) s + VARSIZE(s);
	for (int32 i = 0; i < s->ncells; i++)
	{
		RevenueCellHeader *h = (RevenueCellHeader *) p;
		Numeric		num;
		Size		numsize;

		if (end - p < (ptrdiff_t) (sizeof(RevenueCellHeader) + VARHDRSZ + sizeof(uint16)))
			bad_summary("A cell runs past the end of the value.");
		num = CELL_NUMERIC(h);
		if (VARATT_IS_SHORT(num) || VARATT_IS_EXTENDED(num))
			bad_summary("A sum has an invalid header.");
		numsize = VARSIZE(num);
		if (numsize < VARHDRSZ + sizeof(uint16) ||
			(Size) (end - p) < CELL_SIZE(numsize))
			bad_summary("A cell runs past the end of the value.");
		if (numeric_is_nan(num) || numeric_is_inf(num))
			bad_summary("A sum is not finite.");
		if (h->period < 0)
			bad_summary("A period is negative.");
		if (i == 0 || h->cohort != prev_cohort)
		{
			if (i > 0 && h->cohort < prev_cohort)
				bad_summary("The cells are not in ascending order of cohort and period.");
			if (!csm_is_period_start(h->cohort, s->grain))
				bad_summary("A cohort date is not the first day of a period of the grain.");
		}
		else if (h->period <= prev_period)
			bad_summary("The cells are not in ascending order of cohort and period.");
		prev_cohort = h->cohort;
		prev_period = h->period;
		p += CELL_SIZE(numsize);
	}
	if (p != end)
		bad_summary("The size does not match the cells.");
	return s;
}

#define PG_GETARG_REVENUE_SUMMARY_P(n) \
	revenue_summary_check((RevenueSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* A cell-by-cell reader of a checked flat summary */
typedef struct CellReader
{
	char	   *p;
	int32		left;
} CellReader;

static inline RevenueCellHeader *
next_cell(CellReader *r)
{
	RevenueCellHeader *h;

	if (r->left <= 0)
		return NULL;
	h = (RevenueCellHeader *) r->p;
	r->p += CELL_SIZE(VARSIZE(CELL_NUMERIC(h)));
	r->left--;
	return h;
}

/* Build a flat summary from parallel arrays of cells in ascending order */
static RevenueSummary *
revenue_summary_build(CsmGrain grain, int32 n, const DateADT *cohorts,
					  const int32 *periods, Numeric *sums)
{
	Size		size = REVENUE_HEADER_SIZE;
	RevenueSummary *s;
	char	   *p;

	for (int32 i = 0; i < n; i++)
		size = add_size(size, CELL_SIZE(VARSIZE(sums[i])));
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("revenue cohort summary is too large")));
	s = palloc0(size);
	SET_VARSIZE(s, size);
	s->version = REVENUE_SUMMARY_VERSION;
	s->grain = (uint8) grain;
	s->ncells = n;
	p = s->data;
	for (int32 i = 0; i < n; i++)
	{
		RevenueCellHeader *h = (RevenueCellHeader *) p;

		h->cohort = cohorts[i];
		h->period = periods[i];
		memcpy(CELL_NUMERIC(h), sums[i], VARSIZE(sums[i]));
		p += CELL_SIZE(VARSIZE(sums[i]));
	}
	return revenue_summary_check(s);
}

/* ----------------------------------------------------------------
 * Text form
 * ----------------------------------------------------------------
 */
/* An amount as read from input: finite, else 22P02 or 22003 */
static Numeric
finite_amount(Numeric num, int errcode_, const char *what)
{
	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(errcode_),
				 errmsg("%s must be a finite number", what)));
	return num;
}

/*
 * Text input: a grain, then per cohort "; DATE {PERIOD:SUM, ...}" with at
 * least one period, cohorts and periods in ascending order.
 */
PG_FUNCTION_INFO_V1(revenue_cohort_summary_in);
Datum
revenue_cohort_summary_in(PG_FUNCTION_ARGS)
{
	CsmIoText	t;
	CsmGrain	grain;
	int32		n = 0;
	int32		capacity = 16;
	DateADT    *cohorts = palloc(capacity * sizeof(DateADT));
	int32	   *periods = palloc(capacity * sizeof(int32));
	Numeric    *sums = palloc(capacity * sizeof(Numeric));

	csm_io_text_init(&t, PG_GETARG_CSTRING(0), "revenue_cohort_summary",
					 "A revenue_cohort_summary is a grain followed by \"; cohort {period:sum, ...}\" for each cohort in ascending order, such as \"month; 2024-01-01 {0:100.00, 1:90}\".");
	csm_io_skip_space(&t);
	grain = csm_io_parse_grain(&t);
	csm_io_skip_space(&t);
	while (csm_io_accept(&t, ';'))
	{
		DateADT		cohort;
		int32		first = n;

		csm_io_skip_space(&t);
		cohort = csm_io_parse_date(&t);
		if (csm_period_start(csm_date_period(cohort, grain), grain) != cohort)
			csm_io_syntax_error(&t, psprintf("A cohort date must be the first day of a %s.",
											 csm_grain_name(grain)));
		if (n > 0 && cohorts[n - 1] >= cohort)
			csm_io_syntax_error(&t, "The cohorts must be in ascending order.");
		csm_io_skip_space(&t);
		csm_io_expect(&t, '{');
		do
		{
			int64		period;

			csm_io_skip_space(&t);
			period = csm_io_parse_int(&t, sizeof(int32), false, "period");
			if (n > first && period <= periods[n - 1])
				csm_io_syntax_error(&t, "The periods of a cohort must be in ascending order.");
			csm_io_skip_space(&t);
			csm_io_expect(&t, ':');
			csm_io_skip_space(&t);
			if (n >= capacity)
			{
				if (capacity > (int32) (MaxAllocSize / sizeof(Numeric) / 2))
					csm_io_syntax_error(&t, "The summary has too many cells.");
				capacity *= 2;
				cohorts = repalloc(cohorts, capacity * sizeof(DateADT));
				periods = repalloc(periods, capacity * sizeof(int32));
				sums = repalloc(sums, capacity * sizeof(Numeric));
			}
			cohorts[n] = cohort;
			periods[n] = (int32) period;
			sums[n] = csm_io_parse_numeric(&t);
			n++;
			csm_io_skip_space(&t);
		} while (csm_io_accept(&t, ','));
		csm_io_expect(&t, '}');
		csm_io_skip_space(&t);
	}
	csm_io_expect_end(&t);
	PG_RETURN_POINTER(revenue_summary_build(grain, n, cohorts, periods, sums));
}

/* Text output */
PG_FUNCTION_INFO_V1(revenue_cohort_summary_out);
Datum
revenue_cohort_summary_out(PG_FUNCTION_ARGS)
{
	RevenueSummary *s = PG_GETARG_REVENUE_SUMMARY_P(0);
	StringInfoData buf;
	CellReader	r = {s->data, s->ncells};
	RevenueCellHeader *h;
	DateADT		prev = 0;
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfoString(&buf, csm_grain_name(s->grain));
	while ((h = next_cell(&r)) != NULL)
	{
		char	   *num = DatumGetCString(DirectFunctionCall1(numeric_out,
															  NumericGetDatum(CELL_NUMERIC(h))));

		if (first || h->cohort != prev)
		{
			char		date[CSM_IO_DATE_LEN];

			csm_io_format_date(h->cohort, date);
			appendStringInfo(&buf, "%s; %s {%d:%s", first ? "" : "}", date, h->period, num);
		}
		else
			appendStringInfo(&buf, ", %d:%s", h->period, num);
		first = false;
		prev = h->cohort;
	}
	if (!first)
		appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary input: version byte, grain byte, cell count (int32), then per cell
 * the cohort date (int32), the period (int32), the length of the sum
 * (int32) and the sum in numeric's binary form.
 */
PG_FUNCTION_INFO_V1(revenue_cohort_summary_recv);
Datum
revenue_cohort_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	/* a cell is 3 int32s and a numeric of at least 4 int16s in the message */
	const int	min_cell_bytes = 3 * sizeof(int32) + 4 * sizeof(int16);
	/* and at least a header and a numeric without digits when stored */
	const int32 max_cells = (int32) ((MaxAllocSize - REVENUE_HEADER_SIZE) /
									 CELL_SIZE(VARHDRSZ + sizeof(uint16)));
	int			grain;
	int32		ncells;
	DateADT    *cohorts;
	int32	   *periods;
	Numeric    *sums;

	csm_io_recv_version(buf, REVENUE_SUMMARY_VERSION, "revenue_cohort_summary");
	csm_io_recv_require(buf, 1, "revenue_cohort_summary");
	grain = pq_getmsgbyte(buf);
	if (!csm_grain_is_valid(grain))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid grain code %d in revenue_cohort_summary binary input", grain)));
	ncells = csm_io_recv_length(buf, min_cell_bytes, max_cells, "cell",
								"revenue_cohort_summary");
	cohorts = palloc(Max(ncells, 1) * sizeof(DateADT));
	periods = palloc(Max(ncells, 1) * sizeof(int32));
	sums = palloc(Max(ncells, 1) * sizeof(Numeric));
	for (int32 i = 0; i < ncells; i++)
	{
		csm_io_recv_require(buf, 2 * (int) sizeof(int32), "revenue_cohort_summary");
		cohorts[i] = (DateADT) pq_getmsgint(buf, 4);
		periods[i] = (int32) pq_getmsgint(buf, 4);
		sums[i] = csm_io_recv_numeric(buf, "revenue_cohort_summary");
	}
	PG_RETURN_POINTER(revenue_summary_build((CsmGrain) grain, ncells, cohorts, periods, sums));
}

/* Binary output */
PG_FUNCTION_INFO_V1(revenue_cohort_summary_send);
Datum
revenue_cohort_summary_send(PG_FUNCTION_ARGS)
{
	RevenueSummary *s = PG_GETARG_REVENUE_SUMMARY_P(0);
	StringInfoData buf;
	CellReader	r = {s->data, s->ncells};
	RevenueCellHeader *h;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, REVENUE_SUMMARY_VERSION);
	pq_sendbyte(&buf, s->grain);
	pq_sendint32(&buf, s->ncells);
	while ((h = next_cell(&r)) != NULL)
	{
		pq_sendint32(&buf, h->cohort);
		pq_sendint32(&buf, h->period);
		csm_io_send_numeric(&buf, CELL_NUMERIC(h));
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ----------------------------------------------------------------
 * Aggregation
 * ----------------------------------------------------------------
 */
static void
merge_flat(ExpandedRevenueSummary *ers, RevenueSummary *flat)
{
	CellReader	r = {flat->data, flat->ncells};
	RevenueCellHeader *h;
	DateADT		last_date = 0;
	int32		last_cohort = 0;
	bool		first = true;

	while ((h = next_cell(&r)) != NULL)
	{
		if (first || h->cohort != last_date)
		{
			last_date = h->cohort;
			last_cohort = csm_date_period(last_date, ers->grain);
			first = false;
		}
		ers_add(ers, last_cohort, h->period, CELL_NUMERIC(h));
	}
}

/* The expanded state to update (see cohort.c) */
static ExpandedRevenueSummary *
state_for_update(FunctionCallInfo fcinfo, MemoryContext aggcontext, CsmGrain grain)
{
	Datum		d = PG_GETARG_DATUM(0);
	ExpandedRevenueSummary *ers;
	RevenueSummary *flat;

	if (PG_ARGISNULL(0))
		return ers_new(aggcontext, grain);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		ers = (ExpandedRevenueSummary *) DatumGetEOHP(d);
		Assert(ers->hdr.eoh_methods == &ers_methods);
		return ers;
	}
	flat = revenue_summary_check((RevenueSummary *) PG_DETOAST_DATUM(d));
	ers = ers_new(aggcontext, flat->grain);
	merge_flat(ers, flat);
	return ers;
}

/*
 * revenue_cohort_agg transition: add one amount (cohort, period_start,
 * amount, grain).  Rows with any NULL argument are skipped.
 */
PG_FUNCTION_INFO_V1(revenue_cohort_summary_add);
Datum
revenue_cohort_summary_add(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = csm_aggregate_context(fcinfo, "revenue_cohort_summary_add");
	ExpandedRevenueSummary *ers;
	DateADT		cohort_date;
	DateADT		period_start;
	Numeric		amount;
	CsmGrain	grain;
	int32		cohort;
	int32		period;

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(4);
	grain = csm_grain_from_text(PG_GETARG_TEXT_PP(4));
	cohort_date = PG_GETARG_DATEADT(1);
	period_start = PG_GETARG_DATEADT(2);
	amount = finite_amount(PG_GETARG_NUMERIC(3), ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
						   "revenue amount");
	csm_check_cohort_date(cohort_date, "cohort");
	if (DATE_NOT_FINITE(period_start))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("period_start must be a finite date")));
	cohort = csm_date_period(cohort_date, grain);
	if ((int64) csm_date_period(period_start, grain) < (int64) cohort)
	{
		char		s1[16],
					s2[16];

		csm_io_format_date(period_start, s1);
		csm_io_format_date(cohort_date, s2);
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("period_start %s is before the %s of cohort %s",
						s1, csm_grain_name(grain), s2)));
	}
	period = csm_date_period(period_start, grain) - cohort;

	ers = state_for_update(fcinfo, aggcontext, grain);
	if (unlikely(ers->grain != grain))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("grain changed from %s to %s within one aggregate",
						csm_grain_name(ers->grain), csm_grain_name(grain))));
	ers_add(ers, cohort, period, amount);
	PG_RETURN_DATUM(EOHPGetRWDatum(&ers->hdr));
}

/*
 * Merge the second summary into the first: combine function of
 * revenue_cohort_agg and transition function of rollup().
 */
PG_FUNCTION_INFO_V1(revenue_cohort_summary_combine);
Datum
revenue_cohort_summary_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = csm_aggregate_context(fcinfo, "revenue_cohort_summary_combine");
	ExpandedRevenueSummary *ers;
	RevenueSummary *other;

	CSM_PASS_STATE_IF_INPUT_NULL();
	other = PG_GETARG_REVENUE_SUMMARY_P(1);
	ers = state_for_update(fcinfo, aggcontext, other->grain);
	if (ers->grain != other->grain)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge revenue cohort summaries of different grains"),
				 errdetail("One has grain %s, the other %s.",
						   csm_grain_name(ers->grain), csm_grain_name(other->grain))));
	merge_flat(ers, other);
	PG_RETURN_DATUM(EOHPGetRWDatum(&ers->hdr));
}

/* grain(revenue_cohort_summary) */
PG_FUNCTION_INFO_V1(revenue_cohort_summary_grain);
Datum
revenue_cohort_summary_grain(PG_FUNCTION_ARGS)
{
	RevenueSummary *s = PG_GETARG_REVENUE_SUMMARY_P(0);

	PG_RETURN_TEXT_P(cstring_to_text(csm_grain_name(s->grain)));
}

/*
 * revenue_retention(revenue_cohort_summary): per cohort, one row for each
 * period from 0 to the latest period that has revenue in any cohort.
 */
PG_FUNCTION_INFO_V1(revenue_cohort_summary_retention);
Datum
revenue_cohort_summary_retention(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	RevenueSummary *s = PG_GETARG_REVENUE_SUMMARY_P(0);
	CsmGrain	grain = s->grain;
	CellReader	r = {s->data, s->ncells};
	RevenueCellHeader *h;
	int64		latest = PG_INT64_MIN;
	Numeric		zero = int64_to_numeric(0);
	Numeric		hundred = int64_to_numeric(100);

	/* the latest period (number) with revenue anywhere */
	while ((h = next_cell(&r)) != NULL)
		latest = Max(latest, (int64) csm_date_period(h->cohort, grain) + h->period);

	InitMaterializedSRF(fcinfo, 0);
	r.p = s->data;
	r.left = s->ncells;
	h = next_cell(&r);
	while (h != NULL)
	{
		DateADT		cohort_date = h->cohort;
		int64		last = Min(latest - csm_date_period(cohort_date, grain), PG_INT32_MAX);
		Numeric		base = zero;
		bool		base_positive = false;

		for (int64 k = 0; k <= last; k++)
		{
			Datum		values[4];
			bool		nulls[4] = {false, false, false, false};
			Numeric		revenue = zero;

			CHECK_FOR_INTERRUPTS();
			if (h != NULL && h->cohort == cohort_date && h->period == k)
			{
				revenue = CELL_NUMERIC(h);
				h = next_cell(&r);
			}
			if (k == 0)
			{
				base = revenue;
				base_positive = DatumGetBool(DirectFunctionCall2(numeric_gt,
																 NumericGetDatum(base),
																 NumericGetDatum(zero)));
			}
			values[0] = DateADTGetDatum(cohort_date);
			values[1] = Int32GetDatum((int32) k);
			values[2] = NumericGetDatum(revenue);
			if (base_positive)
			{
				Numeric		ratio;

				ratio = numeric_div_opt_error(numeric_mul_opt_error(revenue, hundred, NULL),
											  base, NULL);
				values[3] = DirectFunctionCall1(numeric_float8, NumericGetDatum(ratio));
			}
			else
				nulls[3] = true;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}
