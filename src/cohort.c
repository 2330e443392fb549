/*-------------------------------------------------------------------------
 *
 * cohort.c
 *	  Logo (customer-count) cohort retention: the cohort_summary type, the
 *	  cohort_agg aggregate and rollup that build and merge it, and the
 *	  cohort_retention set-returning function that turns it into the
 *	  retention triangle.
 *
 * A customer active on [started_on, ended_on) belongs to the cohort of the
 * period containing started_on, and "ended in period j" of that cohort
 * when ended_on falls in the j-th period after the cohort's own (period 0).
 * A customer who ended in period j is retained in every period k < j (they
 * were still active on its last day) and not in period j or later;
 * customers without an end date are retained in every period.  So the
 * summary needs, per cohort, only the number of customers that ended in
 * each period and the number still active:
 *		retained(k) = size - sum(ended(j) for j <= k)
 * That makes the per-row update one counter increment and the merge of two
 * summaries an exact cell-by-cell sum.
 *
 * Stored form (a varlena, ALIGNMENT double): a 16-byte header (version,
 * grain, flags, cell count) and cells of 16 bytes: the cohort (first day
 * of its period, a date), the period in which the customers ended
 * (-1 = still active) and the count, sorted by cohort and period, every
 * count positive.
 *
 * In memory, during aggregation, the summary is a cell map (cellmap.h):
 * the packed (cohort period number, period) of each cell to its count,
 * updated in place by the transition and combine functions, all groups'
 * maps in one memory context shared under the aggregate context (so that
 * a HashAggregate over many groups stays linear), and flattened into the
 * stored form above, sorted, only when the value leaves the aggregate.
 *
 * Text form: the grain, then per cohort its first day, its size and the
 * customers that ended in each period, e.g.
 *		month; 2024-01-01 5 {0:1, 3:1}; 2024-02-01 3 {}
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "cellmap.h"
#include "csm_io.h"
#include "csmetrics.h"
#include "grain.h"

#define COHORT_SUMMARY_VERSION	1

/* period of the cell that counts the customers still active */
#define COHORT_ACTIVE	(-1)

typedef struct CohortCell
{
	DateADT		cohort;			/* first day of the cohort's period */
	int32		period;			/* period the customers ended in, or -1 */
	int64		count;			/* customers, > 0 */
} CohortCell;

typedef struct CohortSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* COHORT_SUMMARY_VERSION */
	uint8		grain;			/* CsmGrain */
	uint8		flags;			/* no flags are defined yet: always 0 */
	uint8		unused;			/* reserved, always 0 */
	int32		ncells;			/* number of cells */
	int32		unused2;		/* reserved, always 0; aligns the cells */
	CohortCell	cells[FLEXIBLE_ARRAY_MEMBER];
} CohortSummary;

#define COHORT_HEADER_SIZE	offsetof(CohortSummary, cells)
#define COHORT_MAX_CELLS \
	((int32) ((MaxAllocSize - COHORT_HEADER_SIZE) / sizeof(CohortCell)))

static int
cell_cmp(const void *a, const void *b)
{
	const CohortCell *x = a;
	const CohortCell *y = b;

	if (x->cohort != y->cohort)
		return x->cohort < y->cohort ? -1 : 1;
	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	return 0;
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
			 errmsg("invalid cohort_summary value"),
			 errdetail_internal("%s", detail)));
}

/*
 * Check the cells of a summary: sorted, each cohort date the first day of
 * its period, periods >= -1, counts positive, cohort sizes representable.
 * Shared by the binary input, the text input and every reader.
 */
static void
check_cells(CsmGrain grain, const CohortCell *cells, int32 ncells)
{
	int64		size = 0;

	for (int32 i = 0; i < ncells; i++)
	{
		const CohortCell *c = &cells[i];
		bool		new_cohort = (i == 0 || c->cohort != cells[i - 1].cohort);

		if (i > 0 && cell_cmp(&cells[i - 1], c) >= 0)
			bad_summary("The cells are not in ascending order of cohort and period.");
		if (c->count <= 0)
			bad_summary("A count is not positive.");
		if (c->period < COHORT_ACTIVE)
			bad_summary("A period is below -1.");
		if (new_cohort)
		{
			if (!csm_is_period_start(c->cohort, grain))
				bad_summary("A cohort date is not the first day of a period of the grain.");
			size = 0;
		}
		size = csm_count_add(size, c->count);
	}
}

/* Validate a flat summary that reached a function as an argument */
static CohortSummary *
cohort_summary_check(CohortSummary *s)
{
	if (VARSIZE(s) < COHORT_HEADER_SIZE)
		bad_summary("The value is too short.");
	if (s->version != COHORT_SUMMARY_VERSION)
		bad_summary("The version is not 1.");
	if (!csm_grain_is_valid(s->grain) || s->flags != 0 || s->unused != 0 || s->unused2 != 0)
		bad_summary("The grain or the reserved fields are invalid.");
	if (s->ncells < 0 || s->ncells > COHORT_MAX_CELLS ||
		VARSIZE(s) != COHORT_HEADER_SIZE + (Size) s->ncells * sizeof(CohortCell))
		bad_summary("The size does not match the cell count.");
	check_cells(s->grain, s->cells, s->ncells);
	return s;
}

/* A summary argument in flat form (an expanded one is flattened) */
#define PG_GETARG_COHORT_SUMMARY_P(n) \
	cohort_summary_check((CohortSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

static CohortSummary *
cohort_summary_alloc(CsmGrain grain, int32 ncells)
{
	Size		size = COHORT_HEADER_SIZE + (Size) ncells * sizeof(CohortCell);
	CohortSummary *s = palloc0(size);

	SET_VARSIZE(s, size);
	s->version = COHORT_SUMMARY_VERSION;
	s->grain = (uint8) grain;
	s->ncells = ncells;
	return s;
}

/* ----------------------------------------------------------------
 * Text form
 * ----------------------------------------------------------------
 */
/*
 * Text input: a grain, then per cohort "; DATE SIZE {PERIOD:COUNT, ...}"
 * with cohorts and periods in ascending order, positive counts, and the
 * ended counts adding up to at most SIZE.  White space is allowed around
 * every token.
 */
PG_FUNCTION_INFO_V1(cohort_summary_in);
Datum
cohort_summary_in(PG_FUNCTION_ARGS)
{
	CsmIoText	t;
	CsmGrain	grain;
	CohortCell *cells;
	int32		ncells = 0;
	int32		capacity = 16;
	CohortSummary *result;

	csm_io_text_init(&t, PG_GETARG_CSTRING(0), "cohort_summary",
					 "A cohort_summary is a grain followed by \"; cohort size {period:count, ...}\" for each cohort in ascending order, such as \"month; 2024-01-01 5 {0:1, 3:1}\".");
	csm_io_skip_space(&t);
	grain = csm_io_parse_grain(&t);
	cells = palloc(capacity * sizeof(CohortCell));
	csm_io_skip_space(&t);
	while (csm_io_accept(&t, ';'))
	{
		DateADT		cohort;
		int64		size;
		int64		ended = 0;
		int32		first;

		csm_io_skip_space(&t);
		cohort = csm_io_parse_date(&t);
		if (csm_period_start(csm_date_period(cohort, grain), grain) != cohort)
			csm_io_syntax_error(&t, psprintf("A cohort date must be the first day of a %s.",
											 csm_grain_name(grain)));
		if (ncells > 0 && cells[ncells - 1].cohort >= cohort)
			csm_io_syntax_error(&t, "The cohorts must be in ascending order.");
		csm_io_skip_space(&t);
		size = csm_io_parse_count(&t);
		if (size == 0)
			csm_io_syntax_error(&t, "A cohort's size must be positive.");
		csm_io_skip_space(&t);
		csm_io_expect(&t, '{');
		csm_io_skip_space(&t);

		/* the still-active cell sorts first: keep its slot free */
		first = ncells;
		ncells++;
		while (!csm_io_accept(&t, '}'))
		{
			int64		period;
			int64		count;

			if (ncells > first + 1)
			{
				csm_io_expect(&t, ',');
				csm_io_skip_space(&t);
			}
			period = csm_io_parse_int(&t, sizeof(int32), false, "period");
			csm_io_skip_space(&t);
			csm_io_expect(&t, ':');
			csm_io_skip_space(&t);
			count = csm_io_parse_count(&t);
			if (count == 0)
				csm_io_syntax_error(&t, "The count of a period must be positive.");
			csm_io_skip_space(&t);
			if (ncells > first + 1 && period <= cells[ncells - 1].period)
				csm_io_syntax_error(&t, "The periods of a cohort must be in ascending order.");
			if (ncells >= capacity)
			{
				if (capacity > COHORT_MAX_CELLS / 2)
					csm_io_syntax_error(&t, "The summary has too many cells.");
				capacity *= 2;
				cells = repalloc(cells, capacity * sizeof(CohortCell));
			}
			cells[ncells].cohort = cohort;
			cells[ncells].period = (int32) period;
			cells[ncells].count = count;
			ncells++;
			ended = csm_count_add(ended, count);
		}
		if (ended > size)
			csm_io_syntax_error(&t, "The customers that ended outnumber the cohort's size.");
		if (size > ended)
		{
			cells[first].cohort = cohort;
			cells[first].period = COHORT_ACTIVE;
			cells[first].count = size - ended;
		}
		else
		{
			memmove(&cells[first], &cells[first + 1],
					(ncells - first - 1) * sizeof(CohortCell));
			ncells--;
		}
		if (ncells + 1 >= capacity)
		{
			if (capacity > COHORT_MAX_CELLS / 2)
				csm_io_syntax_error(&t, "The summary has too many cells.");
			capacity *= 2;
			cells = repalloc(cells, capacity * sizeof(CohortCell));
		}
		csm_io_skip_space(&t);
	}
	csm_io_expect_end(&t);

	check_cells(grain, cells, ncells);
	result = cohort_summary_alloc(grain, ncells);
	memcpy(result->cells, cells, ncells * sizeof(CohortCell));
	PG_RETURN_POINTER(result);
}

/* Text output */
PG_FUNCTION_INFO_V1(cohort_summary_out);
Datum
cohort_summary_out(PG_FUNCTION_ARGS)
{
	CohortSummary *s = PG_GETARG_COHORT_SUMMARY_P(0);
	StringInfoData buf;
	int32		i = 0;

	initStringInfo(&buf);
	appendStringInfoString(&buf, csm_grain_name(s->grain));
	while (i < s->ncells)
	{
		DateADT		cohort = s->cells[i].cohort;
		int64		size = 0;
		int32		j;
		char		date[CSM_IO_DATE_LEN];

		for (j = i; j < s->ncells && s->cells[j].cohort == cohort; j++)
			size += s->cells[j].count;	/* checked by cohort_summary_check */
		csm_io_format_date(cohort, date);
		appendStringInfo(&buf, "; %s " INT64_FORMAT " {", date, size);
		for (int32 k = i; k < j; k++)
		{
			if (s->cells[k].period == COHORT_ACTIVE)
				continue;
			appendStringInfo(&buf, "%s%d:" INT64_FORMAT,
							 (k > i && s->cells[k - 1].period != COHORT_ACTIVE) ? ", " : "",
							 s->cells[k].period, s->cells[k].count);
		}
		appendStringInfoChar(&buf, '}');
		i = j;
	}
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary input: version byte, grain byte, cell count (int32), then per cell
 * the cohort date (int32 days since 2000-01-01), the period (int32, -1 for
 * still active) and the count (int64).
 */
PG_FUNCTION_INFO_V1(cohort_summary_recv);
Datum
cohort_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const int	cell_bytes = 2 * sizeof(int32) + sizeof(int64);
	CohortSummary *s;
	int			grain;
	int32		ncells;

	csm_io_recv_version(buf, COHORT_SUMMARY_VERSION, "cohort_summary");
	csm_io_recv_require(buf, 1, "cohort_summary");
	grain = pq_getmsgbyte(buf);
	if (!csm_grain_is_valid(grain))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid grain code %d in cohort_summary binary input", grain)));
	ncells = csm_io_recv_length(buf, cell_bytes, COHORT_MAX_CELLS, "cell",
								"cohort_summary");
	s = cohort_summary_alloc((CsmGrain) grain, ncells);
	for (int32 i = 0; i < ncells; i++)
	{
		s->cells[i].cohort = (DateADT) pq_getmsgint(buf, 4);
		s->cells[i].period = (int32) pq_getmsgint(buf, 4);
		s->cells[i].count = (int64) pq_getmsgint64(buf);
	}
	check_cells(s->grain, s->cells, ncells);
	PG_RETURN_POINTER(s);
}

/* Binary output */
PG_FUNCTION_INFO_V1(cohort_summary_send);
Datum
cohort_summary_send(PG_FUNCTION_ARGS)
{
	CohortSummary *s = PG_GETARG_COHORT_SUMMARY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, COHORT_SUMMARY_VERSION);
	pq_sendbyte(&buf, s->grain);
	pq_sendint32(&buf, s->ncells);
	for (int32 i = 0; i < s->ncells; i++)
	{
		pq_sendint32(&buf, s->cells[i].cohort);
		pq_sendint32(&buf, s->cells[i].period);
		pq_sendint64(&buf, s->cells[i].count);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ----------------------------------------------------------------
 * Aggregation: the state is a cell map (cellmap.h, grain.h)
 * ----------------------------------------------------------------
 */

/* Add count customers to a cell */
static inline void
cohort_map_add(CsmCohortMap *cm, int32 cohort, int32 period, int64 count)
{
	bool		found;
	int64	   *cell = csm_cohort_map_insert(cm, cohort, period, &found);

	*cell = found ? csm_count_add(*cell, count) : count;
}

/* Add the cells of a flat summary (the merge callback of the cell map) */
static void
cohort_map_merge(CsmCellMap *map, Datum flat)
{
	CsmCohortMap *cm = (CsmCohortMap *) map;
	CohortSummary *other = cohort_summary_check((CohortSummary *) PG_DETOAST_DATUM(flat));

	csm_cohort_map_summary_grain(cm, other->grain, "cohort summaries");
	for (int32 i = 0; i < other->ncells; i++)
		cohort_map_add(cm, csm_cohort_map_period(cm, other->cells[i].cohort),
					   other->cells[i].period, other->cells[i].count);
}

static Size
cohort_map_flat_size(CsmCellMap *map)
{
	uint32		n = csm_cellmap_count(map);

	if (n > (uint32) COHORT_MAX_CELLS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cohort summary is too large"),
				 errdetail("It has %u cells; at most %d fit in one value.",
						   n, COHORT_MAX_CELLS)));
	return COHORT_HEADER_SIZE + (Size) n * sizeof(CohortCell);
}

/* Write the stored form; the cells come in key order */
static void
cohort_map_flatten(CsmCellMap *map, void *result, Size size)
{
	CsmCohortMap *cm = (CsmCohortMap *) map;
	CohortSummary *flat = (CohortSummary *) result;

	Assert(size == cohort_map_flat_size(map));
	SET_VARSIZE(flat, size);
	flat->version = COHORT_SUMMARY_VERSION;
	flat->grain = (uint8) cm->grain;
	flat->ncells = (int32) csm_cellmap_count(map);
	for (int32 i = 0; i < flat->ncells; i++)
	{
		csm_cohort_map_cell(cm, i, &flat->cells[i].cohort, &flat->cells[i].period);
		flat->cells[i].count = *(int64 *) csm_cellmap_payload(map, i);
	}
}

/* The state: packed (cohort, period) cell (grain.h) -> int64 count */
static const CsmCellMapType cohort_map_type = {
	"cohort_summary", sizeof(CsmCohortMap), sizeof(uint64), sizeof(int64),
	csm_cell_key_cmp, cohort_map_merge, cohort_map_flat_size, cohort_map_flatten
};

/*
 * cohort_agg transition: count one customer (started_on, ended_on, grain).
 * Rows with a NULL start or grain are skipped; a NULL (or +infinity) end
 * means still active.
 */
PG_FUNCTION_INFO_V1(cohort_summary_add);
Datum
cohort_summary_add(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = csm_aggregate_context(fcinfo, "cohort_summary_add");
	DateADT		started;
	CsmGrain	grain;
	int32		cohort;
	int32		period;
	CsmCohortMap *cm;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(3))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	grain = csm_grain_from_text(PG_GETARG_TEXT_PP(3));
	started = PG_GETARG_DATEADT(1);
	csm_check_cohort_date(started, "started_on");
	cohort = csm_date_period(started, grain);
	if (PG_ARGISNULL(2) || DATE_IS_NOEND(PG_GETARG_DATEADT(2)))
		period = COHORT_ACTIVE;
	else
	{
		DateADT		ended = PG_GETARG_DATEADT(2);

		if (DATE_NOT_FINITE(ended) || ended < started)
		{
			char		s1[16],
						s2[16];

			csm_io_format_date(started, s1);
			if (DATE_NOT_FINITE(ended))
				strlcpy(s2, "-infinity", sizeof(s2));
			else
				csm_io_format_date(ended, s2);
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("ended_on %s is before started_on %s", s2, s1)));
		}
		period = csm_date_period(ended, grain) - cohort;
	}

	cm = (CsmCohortMap *) csm_cellmap_state(fcinfo, &cohort_map_type, aggcontext);
	csm_cohort_map_row_grain(cm, grain);
	cohort_map_add(cm, cohort, period, 1);
	return csm_cellmap_datum(&cm->map);
}

/*
 * Merge the second summary into the first: the combine function of
 * cohort_agg and the transition function of rollup(cohort_summary), with
 * all four NULL cases handled (cellmap.h).
 */
CSM_CELLMAP_COMBINE_FUNCTION(cohort_summary_combine, cohort_map_type);

/* ----------------------------------------------------------------
 * Reading a summary
 * ----------------------------------------------------------------
 */

/* grain(cohort_summary): the grain the summary was built with */
PG_FUNCTION_INFO_V1(cohort_summary_grain);
Datum
cohort_summary_grain(PG_FUNCTION_ARGS)
{
	CohortSummary *s = PG_GETARG_COHORT_SUMMARY_P(0);

	PG_RETURN_TEXT_P(cstring_to_text(csm_grain_name(s->grain)));
}

/* customers(cohort_summary): the number of customers counted */
PG_FUNCTION_INFO_V1(cohort_summary_customers);
Datum
cohort_summary_customers(PG_FUNCTION_ARGS)
{
	CohortSummary *s = PG_GETARG_COHORT_SUMMARY_P(0);
	int64		total = 0;

	for (int32 i = 0; i < s->ncells; i++)
		total = csm_count_add(total, s->cells[i].count);
	PG_RETURN_INT64(total);
}

/*
 * cohort_retention(cohort_summary, as_of date): one row per cohort and
 * period whose last day is on or before as_of.
 */
PG_FUNCTION_INFO_V1(cohort_summary_retention);
Datum
cohort_summary_retention(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CohortSummary *s = PG_GETARG_COHORT_SUMMARY_P(0);
	DateADT		as_of = PG_GETARG_DATEADT(1);
	CsmGrain	grain = s->grain;
	int64		limit;
	int32		i = 0;

	if (DATE_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("as_of must be a finite date")));
	/* period k of cohort c is complete when c + k < period(as_of + 1) */
	limit = csm_date_period(as_of + 1, grain);

	csm_init_materialized_srf(fcinfo);
	while (i < s->ncells)
	{
		DateADT		cohort_date = s->cells[i].cohort;
		int32		cohort = csm_date_period(cohort_date, grain);
		int64		size = 0;
		int64		retained;
		int64		last;
		int32		j;
		int32		next;

		for (j = i; j < s->ncells && s->cells[j].cohort == cohort_date; j++)
			size += s->cells[j].count;
		retained = size;
		last = Min(limit - cohort - 1, PG_INT32_MAX);	/* maybe < 0 */
		csm_check_triangle_periods(last + 1, cohort_date,
								   "Check the as_of date, or use a coarser grain.");
		next = i;
		if (next < j && s->cells[next].period == COHORT_ACTIVE)
			next++;
		for (int64 k = 0; k <= last; k++)
		{
			Datum		values[5];
			bool		nulls[5] = {false, false, false, false, false};

			CHECK_FOR_INTERRUPTS();
			while (next < j && s->cells[next].period <= k)
				retained -= s->cells[next++].count;
			values[0] = DateADTGetDatum(cohort_date);
			values[1] = Int32GetDatum((int32) k);
			values[2] = Int64GetDatum(size);
			values[3] = Int64GetDatum(retained);
			values[4] = Float8GetDatum(100.0 * (double) retained / (double) size);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
		i = j;
	}
	return (Datum) 0;
}
