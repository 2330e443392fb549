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
 * In memory, during aggregation, it is a cell map (cellmap.h, as for
 * cohort.c) from the packed (cohort period number, period) to the running
 * sum.  A sum is exact fixed point (money.h): an int128 count of units of
 * 10^-scale, where scale is the largest display scale of the amounts added
 * to it, which is the display scale numeric addition gives their sum; the
 * flat form holds the numeric of that value and scale, byte for byte the
 * numeric that adding the amounts as numerics gives.  A sum that does not
 * fit (more than 38 digits, or a scale above 38) goes on as a numeric.
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
#include "utils/float.h"
#include "utils/numeric.h"

#include "cellmap.h"
#include "csm_io.h"
#include "csmetrics.h"
#include "grain.h"
#include "money.h"

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
 * Aggregation: the state is a cell map (cellmap.h, grain.h)
 * ----------------------------------------------------------------
 */

/*
 * The running sum of a cell: fixed point while it fits (scale >= 0), else
 * a numeric in the map's memory context.
 */
typedef struct RevenueSum
{
	union
	{
		int128		units;		/* the sum in units of 10^-scale */
		Numeric		numeric;	/* when scale is SUM_IS_NUMERIC */
	}			v;
	int32		scale;
} RevenueSum;

#define SUM_IS_NUMERIC	(-1)

/* Continue a sum as a numeric in the map's context: amount, or sum + amount */
static void
sum_numeric_add(CsmCellMap *map, RevenueSum *sum, bool found, Numeric amount)
{
	MemoryContext old = MemoryContextSwitchTo(csm_cellmap_context(map));

	if (!found)
	{
		sum->v.numeric = palloc(VARSIZE(amount));
		memcpy(sum->v.numeric, amount, VARSIZE(amount));
	}
	else
	{
		Numeric		previous = sum->v.numeric;

		sum->v.numeric = numeric_add_opt_error(previous, amount, NULL);
		pfree(previous);
	}
	sum->scale = SUM_IS_NUMERIC;
	MemoryContextSwitchTo(old);
}

/* Add a finite amount to the sum of a cell (new when !found) */
static void
revenue_sum_add(CsmCellMap *map, RevenueSum *sum, bool found, Numeric amount)
{
	CsmNumericView view;
	int128		units;

	csm_numeric_view(NumericGetDatum(amount), &view);
	if (!found || sum->scale != SUM_IS_NUMERIC)
	{
		int			scale = found ? Max(sum->scale, view.dscale) : view.dscale;
		int128		total = 0;

		if (scale <= CSM_FIXED_DIGITS &&
			(!found || csm_fixed_shift(sum->v.units, scale - sum->scale, &total)) &&
			csm_view_to_fixed(&view, scale, &units) &&
			csm_fixed_add(total, units, &total))
		{
			sum->v.units = total;
			sum->scale = scale;
			return;
		}
		/* the sum does not fit in fixed point: go on in numeric */
		if (found)
		{
			Numeric		previous = csm_fixed_to_numeric(sum->v.units, sum->scale);

			sum_numeric_add(map, sum, false, previous);
			pfree(previous);
		}
	}
	sum_numeric_add(map, sum, found, amount);
}

/* Add an amount to a cell */
static inline void
revenue_map_add(CsmCohortMap *cm, int32 cohort, int32 period, Numeric amount)
{
	bool		found;
	RevenueSum *sum = csm_cohort_map_insert(cm, cohort, period, &found);

	revenue_sum_add(&cm->map, sum, found, amount);
}

/* Add the cells of a flat summary (the merge callback of the cell map) */
static void
revenue_map_merge(CsmCellMap *map, Datum flat)
{
	CsmCohortMap *cm = (CsmCohortMap *) map;
	RevenueSummary *other = revenue_summary_check((RevenueSummary *) PG_DETOAST_DATUM(flat));
	CellReader	r = {other->data, other->ncells};
	RevenueCellHeader *h;

	csm_cohort_map_summary_grain(cm, other->grain, "revenue cohort summaries");
	while ((h = next_cell(&r)) != NULL)
		revenue_map_add(cm, csm_cohort_map_period(cm, h->cohort), h->period,
						CELL_NUMERIC(h));
}

/*
 * VARSIZE of the numeric that csm_fixed_to_numeric(v, scale) returns: a
 * varlena header, the 2-byte short numeric header (a display scale and a
 * weight this small always fit it) and the base-10000 digits, aligned on
 * the decimal point, from the first non-zero one to the last.
 */
static Size
fixed_numeric_size(int128 v, int scale)
{
	uint128		u = v < 0 ? -(uint128) v : (uint128) v;
	int			ndigits = 0;

	if (u == 0)
		return VARHDRSZ + sizeof(uint16);
	/* align the last digit on a base-10000 digit boundary */
	if (scale % 4 != 0)
	{
		int			pad = 4 - scale % 4;

		if (u > PG_UINT64_MAX / 1000)
		{
			/* shift by pad is too big for uint64: drop the digits instead */
			ndigits++;
			if (u % csm_pow10(4 - pad) == 0)
				ndigits--;
			u /= csm_pow10(4 - pad);
		}
		else
			u *= csm_pow10(pad);
	}
	while (u > PG_UINT64_MAX)
	{
		if (ndigits > 0 || u % 10000 != 0)
			ndigits++;
		u /= 10000;
	}
	{
		uint64		w = (uint64) u;

		while (ndigits == 0 && w % 10000 == 0)
			w /= 10000;
		for (; w != 0; w /= 10000)
			ndigits++;
	}
	return VARHDRSZ + sizeof(uint16) + (Size) ndigits * sizeof(uint16);
}

/* The size of a sum in the flat form */
static inline Size
sum_flat_size(const RevenueSum *sum)
{
	if (sum->scale == SUM_IS_NUMERIC)
		return VARSIZE(sum->v.numeric);
	return fixed_numeric_size(sum->v.units, sum->scale);
}

static Size
revenue_map_flat_size(CsmCellMap *map)
{
	Size		size = REVENUE_HEADER_SIZE;

	for (uint32 i = 0; i < csm_cellmap_count(map); i++)
		size = add_size(size, CELL_SIZE(sum_flat_size(csm_cellmap_payload(map, i))));
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("revenue cohort summary is too large")));
	return size;
}

/* Write the stored form; the cells come in key order */
static void
revenue_map_flatten(CsmCellMap *map, void *result, Size size)
{
	CsmCohortMap *cm = (CsmCohortMap *) map;
	RevenueSummary *flat = (RevenueSummary *) result;
	char	   *p = flat->data;
	char	   *end = (char *) flat + size;

	SET_VARSIZE(flat, size);
	flat->version = REVENUE_SUMMARY_VERSION;
	flat->grain = (uint8) cm->grain;
	flat->ncells = (int32) csm_cellmap_count(map);
	for (int32 i = 0; i < flat->ncells; i++)
	{
		RevenueCellHeader *h = (RevenueCellHeader *) p;
		const RevenueSum *sum = csm_cellmap_payload(map, i);
		Numeric		num = sum->scale == SUM_IS_NUMERIC ? sum->v.numeric :
			csm_fixed_to_numeric(sum->v.units, sum->scale);
		Size		numsize = VARSIZE(num);

		if (CELL_SIZE(numsize) > (Size) (end - p))
			elog(ERROR, "csmetrics: a revenue sum is longer than its computed size");
		csm_cohort_map_cell(cm, i, &h->cohort, &h->period);
		memcpy(CELL_NUMERIC(h), num, numsize);
		if (num != sum->v.numeric)
			pfree(num);
		p += CELL_SIZE(numsize);
	}
	if (p != end)
		elog(ERROR, "csmetrics: the revenue sums are shorter than their computed size");
}

/* The state: packed (cohort, period) cell (grain.h) -> RevenueSum */
static const CsmCellMapType revenue_map_type = {
	"revenue_cohort_summary", sizeof(CsmCohortMap), sizeof(uint64), sizeof(RevenueSum),
	csm_cell_key_cmp, revenue_map_merge, revenue_map_flat_size, revenue_map_flatten
};

/*
 * Merge the second summary into the first: the combine function of
 * revenue_cohort_agg and the transition function of rollup(), with all four
 * NULL cases handled (cellmap.h).
 */
CSM_CELLMAP_COMBINE_FUNCTION(revenue_cohort_summary_combine, revenue_map_type);

/*
 * revenue_cohort_agg transition: add one amount (cohort, period_start,
 * amount, grain).  Rows with any NULL argument are skipped.
 */
PG_FUNCTION_INFO_V1(revenue_cohort_summary_add);
Datum
revenue_cohort_summary_add(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = csm_aggregate_context(fcinfo, "revenue_cohort_summary_add");
	CsmCohortMap *cm;
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

	cm = (CsmCohortMap *) csm_cellmap_state(fcinfo, &revenue_map_type, aggcontext);
	csm_cohort_map_row_grain(cm, grain);
	revenue_map_add(cm, cohort, period, amount);
	return csm_cellmap_datum(&cm->map);
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
 * 100 * revenue / base (base > 0) as float8: the nearest float8, 0 below
 * its smallest value, +-Infinity beyond its range (or numeric's), never an
 * error: one extreme cell must not fail a whole triangle.
 */
static Datum
retention_pct(Numeric revenue, Numeric base, Numeric hundred, Numeric zero)
{
	bool		have_error = false;
	Numeric		ratio;

	ratio = numeric_mul_opt_error(revenue, hundred, &have_error);
	if (!have_error)
		ratio = numeric_div_opt_error(ratio, base, &have_error);
	if (have_error)
	{
		bool		negative = DatumGetBool(DirectFunctionCall2(numeric_lt,
																NumericGetDatum(revenue),
																NumericGetDatum(zero)));

		return Float8GetDatum(negative ? -get_float8_infinity() : get_float8_infinity());
	}
	return DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(ratio));
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

	csm_init_materialized_srf(fcinfo);
	r.p = s->data;
	r.left = s->ncells;
	h = next_cell(&r);
	while (h != NULL)
	{
		DateADT		cohort_date = h->cohort;
		int64		last = Min(latest - csm_date_period(cohort_date, grain), PG_INT32_MAX);
		Numeric		base = zero;
		bool		base_positive = false;

		csm_check_triangle_periods(last + 1, cohort_date,
								   "Check the periods of the summary, or use a coarser grain.");

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
				values[3] = retention_pct(revenue, base, hundred, zero);
			else
				nulls[3] = true;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}
