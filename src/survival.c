/*-------------------------------------------------------------------------
 *
 * survival.c
 *	  Customer survival by the Kaplan-Meier estimator: the survival_summary
 *	  type (distinct tenures with their churn and censoring counts), the
 *	  survival_agg() and rollup() aggregates that build and merge it, the
 *	  survival_curve() set-returning function and the accessors
 *	  median_lifetime(), survival_at() and restricted_mean_lifetime().
 *
 * Layout (flat form, stored and sent between processes): a varlena with a
 * version byte, reserved flags, a count, and the entries sorted by strictly
 * increasing tenure, 24 bytes each.  No entry has both counts zero.
 *
 * Text form: the entries in braces, each "(tenure,churned,censored)", for
 * example {(6,3,1),(7,1,0),(9.5,0,1)}; the empty summary is {}.  Tenures
 * are printed in the shortest form that reads back as the same double.
 * Binary form: a version byte (1), an int32 count, then per entry a float8
 * and two int64.
 *
 * Aggregate state.  survival_summary is the state type of survival_agg()
 * and rollup(), as DESIGN.md prefers, but while an aggregate runs the state
 * is a cell map (cellmap.h): tenure -> (churned, censored) counts, updated
 * in place, so a row costs the same however many distinct tenures there
 * are, and every group's map lives in one memory context shared under the
 * aggregate context, so that a HashAggregate over many groups stays
 * linear.  Only when the executor needs the value as bytes (a parallel
 * worker handing its partial state to the leader, the final result, a text
 * or binary output function, a window frame's result) is it flattened into
 * the sorted form above; the cells are sorted in place and stay sorted
 * until a new tenure breaks the order.
 *
 * Kaplan-Meier.  At a tenure t with n customers at risk (tenure >= t) and d
 * of them churning at t, S(t) = S(t-) * (n - d) / n.  Customers censored at
 * t count as at risk at t (churn is taken to come first), as in every
 * textbook.  Greenwood's variance of S is S^2 * sum d / (n (n - d)).  The
 * confidence interval is the log(-log) one (Kalbfleisch and Prentice): with
 * sigma = sqrt(sum d / (n (n - d))) / |log S|, the bounds are
 * S ^ exp(+-z sigma), which always lie in [0, 1].
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/tuplestore.h"

#include "cellmap.h"
#include "csm_io.h"
#include "csmetrics.h"

/* One distinct tenure of the flat form */
typedef struct SurvivalEntry
{
	float8		tenure;
	int64		events;			/* customers who churned at this tenure */
	int64		censored;		/* customers still active at this tenure */
} SurvivalEntry;

/*
 * The flat form.  pg_upgrade copies stored values byte for byte, so this
 * layout is forever; version and flags leave room to change it.
 */
typedef struct SurvivalSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* SURVIVAL_SUMMARY_VERSION */
	uint8		flags;			/* no flags are defined yet: always 0 */
	uint16		unused;			/* reserved, always 0 */
	int32		count;			/* number of entries */
	int32		unused2;		/* reserved, always 0 (aligns the entries) */
	SurvivalEntry entries[FLEXIBLE_ARRAY_MEMBER];
} SurvivalSummary;

#define SURVIVAL_SUMMARY_VERSION	1
#define SURVIVAL_HEADER_SIZE		offsetof(SurvivalSummary, entries)
#define SURVIVAL_SIZE(n)			(SURVIVAL_HEADER_SIZE + (Size) (n) * sizeof(SurvivalEntry))
/* the most entries a value can hold (a varlena is at most 1 GB) */
#define SURVIVAL_MAX_ENTRIES \
	((int32) ((MaxAllocSize - SURVIVAL_HEADER_SIZE) / sizeof(SurvivalEntry)))

/* Survival within this of 0.5 counts as 0.5 for the median (rounding) */
#define SURVIVAL_MEDIAN_TOLERANCE	1e-10

#define DatumGetSurvivalSummaryP(X) survival_summary_check((SurvivalSummary *) PG_DETOAST_DATUM(X))
#define PG_GETARG_SURVIVAL_SUMMARY_P(n) DatumGetSurvivalSummaryP(PG_GETARG_DATUM(n))

/* ---------------------------------------------------------------------
 * Validation, shared by the input functions, the aggregates and accessors
 * ---------------------------------------------------------------------
 */

/*
 * Check a tenure given to the aggregate or an accessor: finite and not
 * negative.  Returns it with a negative zero made positive, so that equal
 * tenures have equal bits.
 */
static inline float8
survival_tenure_checked(float8 tenure, const char *what)
{
	if (unlikely(isnan(tenure) || isinf(tenure) || tenure < 0.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %g is out of range", what, tenure),
				 errdetail("A %s must be a finite number, zero or more.", what)));
	if (tenure == 0.0)
		tenure = 0.0;
	return tenure;
}

/* Report a malformed flat value (from binary input or a forged state) */
pg_noreturn static void survival_summary_invalid(const char *detail_fmt, int index);

static void
survival_summary_invalid(const char *detail_fmt, int index)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid survival_summary value"),
			 errdetail_internal(detail_fmt, index)));
	pg_unreachable();
}

/*
 * Validate the entries of a flat summary: tenures finite, not negative and
 * strictly increasing, counts not negative, no empty entry, and a total
 * that fits in int64 (so that the at-risk counts never overflow).
 */
static void
survival_entries_check(const SurvivalEntry *entries, int32 count)
{
	int64		total = 0;

	for (int32 i = 0; i < count; i++)
	{
		const SurvivalEntry *e = &entries[i];

		if (isnan(e->tenure) || isinf(e->tenure) || e->tenure < 0.0 ||
			(e->tenure == 0.0 && signbit(e->tenure)))
			survival_summary_invalid("Entry %d has a tenure that is not a finite number, zero or more.", i + 1);
		if (i > 0 && !(e->tenure > entries[i - 1].tenure))
			survival_summary_invalid("The tenures are not strictly increasing at entry %d.", i + 1);
		if (e->events < 0 || e->censored < 0)
			survival_summary_invalid("Entry %d has a negative count.", i + 1);
		if (e->events == 0 && e->censored == 0)
			survival_summary_invalid("Entry %d has no customers.", i + 1);
		if (pg_add_s64_overflow(total, e->events, &total) ||
			pg_add_s64_overflow(total, e->censored, &total))
			survival_summary_invalid("The counts add up to more than the largest bigint at entry %d.", i + 1);
	}
}

/*
 * Validate a summary that reached a function as an argument.  The input
 * functions already refuse anything malformed; this guards against values
 * that arrived some other way (a forged state, a future layout).
 */
static SurvivalSummary *
survival_summary_check(SurvivalSummary *summary)
{
	Size		size = VARSIZE(summary);

	if (size < SURVIVAL_HEADER_SIZE ||
		summary->version != SURVIVAL_SUMMARY_VERSION ||
		summary->flags != 0 || summary->unused != 0 || summary->unused2 != 0 ||
		summary->count < 0 || summary->count > SURVIVAL_MAX_ENTRIES ||
		size != SURVIVAL_SIZE(summary->count))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid survival_summary value"),
				 errdetail("The value has size %zu and version %u.",
						   size, (unsigned) summary->version)));
	survival_entries_check(summary->entries, summary->count);
	return summary;
}

/* Allocate a flat summary of count entries in the current memory context */
static SurvivalSummary *
survival_summary_alloc(int32 count)
{
	SurvivalSummary *summary = palloc0(SURVIVAL_SIZE(count));

	SET_VARSIZE(summary, SURVIVAL_SIZE(count));
	summary->version = SURVIVAL_SUMMARY_VERSION;
	summary->count = count;
	return summary;
}

/* ---------------------------------------------------------------------
 * The aggregate state: a cell map from tenure to counts
 * ---------------------------------------------------------------------
 */

/* The payload of a tenure */
typedef struct SurvivalCounts
{
	int64		events;
	int64		censored;
} SurvivalCounts;

typedef struct SurvivalMap
{
	CsmCellMap	map;			/* float8 tenure -> SurvivalCounts */
	int64		total;			/* sum of every count, kept representable */
} SurvivalMap;

/* Order of two tenures (never NaN, never negative zero) */
static int
survival_tenure_cmp(const void *a, const void *b)
{
	float8		ta,
				tb;

	memcpy(&ta, a, sizeof(ta));
	memcpy(&tb, b, sizeof(tb));
	return (ta > tb) - (ta < tb);
}

/* Add counts at a tenure (already validated) */
static inline void
survival_map_add(SurvivalMap *sm, float8 tenure, int64 events, int64 censored)
{
	SurvivalCounts *counts;
	bool		found;

	sm->total = csm_count_add(csm_count_add(sm->total, events), censored);
	counts = csm_cellmap_insert(&sm->map, &tenure, &found);
	if (unlikely(!found && csm_cellmap_count(&sm->map) > (uint32) SURVIVAL_MAX_ENTRIES))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct tenures in a survival summary"),
				 errdetail("A survival summary holds at most %d distinct tenures.",
						   SURVIVAL_MAX_ENTRIES),
				 errhint("Round the tenures, for example to whole days.")));
	counts->events += events;	/* cannot overflow: the total did not */
	counts->censored += censored;
}

/* Take counts at a tenure back out (moving-aggregate inverse) */
static void
survival_map_remove(SurvivalMap *sm, float8 tenure, int64 events, int64 censored)
{
	SurvivalCounts *counts = csm_cellmap_lookup(&sm->map, &tenure);

	if (counts == NULL)
		csm_removal_error("The tenure was never added.");
	counts->events = csm_count_sub(counts->events, events);
	counts->censored = csm_count_sub(counts->censored, censored);
	sm->total = csm_count_sub(csm_count_sub(sm->total, events), censored);
	if (counts->events == 0 && counts->censored == 0)
		csm_cellmap_delete(&sm->map, &tenure);
}

/* Add every entry of a flat summary (the merge callback of the cell map) */
static void
survival_map_merge(CsmCellMap *map, Datum flat)
{
	SurvivalSummary *other = DatumGetSurvivalSummaryP(flat);

	for (int32 i = 0; i < other->count; i++)
		survival_map_add((SurvivalMap *) map, other->entries[i].tenure,
						 other->entries[i].events, other->entries[i].censored);
}

static Size
survival_map_flat_size(CsmCellMap *map)
{
	return SURVIVAL_SIZE(csm_cellmap_count(map));
}

/* Write the flat form; the cells come in order of tenure */
static void
survival_map_flatten(CsmCellMap *map, void *result, Size size)
{
	SurvivalSummary *summary = (SurvivalSummary *) result;
	int32		n = (int32) csm_cellmap_count(map);

	Assert(size == SURVIVAL_SIZE(n));
	SET_VARSIZE(summary, size);
	summary->version = SURVIVAL_SUMMARY_VERSION;
	summary->count = n;
	for (int32 i = 0; i < n; i++)
	{
		const SurvivalCounts *counts = csm_cellmap_payload(map, i);

		memcpy(&summary->entries[i].tenure, csm_cellmap_key(map, i), sizeof(float8));
		summary->entries[i].events = counts->events;
		summary->entries[i].censored = counts->censored;
	}
}

/* The state: float8 tenure -> SurvivalCounts */
static const CsmCellMapType survival_map_type = {
	"survival_summary", sizeof(SurvivalMap), sizeof(float8), sizeof(SurvivalCounts),
	survival_tenure_cmp, survival_map_merge, survival_map_flat_size, survival_map_flatten
};

/*
 * The state of a transition, inverse or combine call: the map of the
 * previous call, updated in place; a new one on the first call; or a copy
 * of a flat state (an INITCOND of a user-defined aggregate).
 */
static SurvivalMap *
survival_transition_state(FunctionCallInfo fcinfo, const char *funcname)
{
	MemoryContext aggcontext = csm_aggregate_context(fcinfo, funcname);

	return (SurvivalMap *) csm_cellmap_state(fcinfo, &survival_map_type, aggcontext);
}

/* ---------------------------------------------------------------------
 * Text and binary forms
 * ---------------------------------------------------------------------
 */

/*
 * Text input: {(tenure,churned,censored),...} with strictly increasing
 * tenures; white space allowed around every element.
 */
PG_FUNCTION_INFO_V1(survival_summary_in);
Datum
survival_summary_in(PG_FUNCTION_ARGS)
{
	CsmIoText	t;
	int32		count = 0;
	int32		capacity = 8;
	SurvivalEntry *entries = palloc(capacity * sizeof(SurvivalEntry));
	SurvivalSummary *summary;

	csm_io_text_init(&t, PG_GETARG_CSTRING(0), "survival_summary",
					 "A survival_summary looks like {(6,3,1),(7,1,0)}: (tenure,churned,censored) in increasing order of tenure.");
	csm_io_skip_space(&t);
	csm_io_expect(&t, '{');
	csm_io_skip_space(&t);
	if (!csm_io_accept(&t, '}'))
	{
		do
		{
			SurvivalEntry *e;

			csm_io_skip_space(&t);
			csm_io_expect(&t, '(');
			if (count == capacity)
			{
				if (capacity >= SURVIVAL_MAX_ENTRIES / 2)
					ereport(ERROR,
							(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							 errmsg("too many distinct tenures in a survival summary")));
				capacity *= 2;
				entries = repalloc(entries, capacity * sizeof(SurvivalEntry));
			}
			e = &entries[count];
			e->tenure = survival_tenure_checked(csm_io_parse_float8(&t), "tenure");
			if (count > 0 && !(e->tenure > entries[count - 1].tenure))
				csm_io_syntax_error(&t, "The tenures must be strictly increasing.");
			csm_io_expect(&t, ',');
			csm_io_skip_space(&t);
			e->events = csm_io_parse_count(&t);
			csm_io_skip_space(&t);
			csm_io_expect(&t, ',');
			csm_io_skip_space(&t);
			e->censored = csm_io_parse_count(&t);
			csm_io_skip_space(&t);
			csm_io_expect(&t, ')');
			if (e->events == 0 && e->censored == 0)
				csm_io_syntax_error(&t, "An entry must count at least one customer.");
			count++;
			csm_io_skip_space(&t);
		} while (csm_io_accept(&t, ','));
		csm_io_expect(&t, '}');
	}
	csm_io_expect_end(&t);

	/* counts whose total overflows are out of range, not malformed */
	{
		int64		total = 0;

		for (int32 i = 0; i < count; i++)
			total = csm_count_add(csm_count_add(total, entries[i].events),
								  entries[i].censored);
	}

	summary = survival_summary_alloc(count);
	if (count > 0)
		memcpy(summary->entries, entries, count * sizeof(SurvivalEntry));
	PG_RETURN_POINTER(summary);
}

/* Text output, tenures in their shortest exact form */
PG_FUNCTION_INFO_V1(survival_summary_out);
Datum
survival_summary_out(PG_FUNCTION_ARGS)
{
	SurvivalSummary *summary = PG_GETARG_SURVIVAL_SUMMARY_P(0);
	StringInfoData buf;
	char		num[DOUBLE_SHORTEST_DECIMAL_LEN];

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int32 i = 0; i < summary->count; i++)
	{
		const SurvivalEntry *e = &summary->entries[i];

		double_to_shortest_decimal_buf(e->tenure, num);
		appendStringInfo(&buf, "%s(%s," INT64_FORMAT "," INT64_FORMAT ")",
						 i == 0 ? "" : ",", num, e->events, e->censored);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary input: version byte, int32 count, entries.  The count is checked
 * against the bytes that are really there before anything is allocated.
 */
PG_FUNCTION_INFO_V1(survival_summary_recv);
Datum
survival_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const int	entry_bytes = sizeof(float8) + 2 * sizeof(int64);
	SurvivalSummary *summary;
	int32		count;

	csm_io_recv_version(buf, SURVIVAL_SUMMARY_VERSION, "survival_summary");
	count = csm_io_recv_length(buf, entry_bytes, SURVIVAL_MAX_ENTRIES, "entry",
							   "survival_summary");
	summary = survival_summary_alloc(count);
	for (int32 i = 0; i < count; i++)
	{
		SurvivalEntry *e = &summary->entries[i];

		e->tenure = pq_getmsgfloat8(buf);
		e->events = (int64) pq_getmsgint64(buf);
		e->censored = (int64) pq_getmsgint64(buf);
	}
	survival_entries_check(summary->entries, count);
	PG_RETURN_POINTER(summary);
}

/* Binary output */
PG_FUNCTION_INFO_V1(survival_summary_send);
Datum
survival_summary_send(PG_FUNCTION_ARGS)
{
	SurvivalSummary *summary = PG_GETARG_SURVIVAL_SUMMARY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SURVIVAL_SUMMARY_VERSION);
	pq_sendint32(&buf, summary->count);
	for (int32 i = 0; i < summary->count; i++)
	{
		pq_sendfloat8(&buf, summary->entries[i].tenure);
		pq_sendint64(&buf, summary->entries[i].events);
		pq_sendint64(&buf, summary->entries[i].censored);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------
 * Aggregate support
 * ---------------------------------------------------------------------
 */

/*
 * Transition of survival_agg(tenure, churned): count one customer.  Rows
 * with a NULL tenure or a NULL churned flag are skipped.
 */
PG_FUNCTION_INFO_V1(survival_summary_add);
Datum
survival_summary_add(PG_FUNCTION_ARGS)
{
	SurvivalMap *state;
	float8		tenure;
	bool		churned;

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);
	tenure = survival_tenure_checked(PG_GETARG_FLOAT8(1), "tenure");
	churned = PG_GETARG_BOOL(2);
	state = survival_transition_state(fcinfo, "survival_summary_add");
	survival_map_add(state, tenure, churned ? 1 : 0, churned ? 0 : 1);
	return csm_cellmap_datum(&state->map);
}

/* Inverse transition of survival_agg(): forget one customer */
PG_FUNCTION_INFO_V1(survival_summary_remove);
Datum
survival_summary_remove(PG_FUNCTION_ARGS)
{
	SurvivalMap *state;
	float8		tenure;
	bool		churned;

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);
	if (PG_ARGISNULL(0))
		csm_no_state_error(fcinfo, "survival_summary_remove");
	tenure = survival_tenure_checked(PG_GETARG_FLOAT8(1), "tenure");
	churned = PG_GETARG_BOOL(2);
	state = survival_transition_state(fcinfo, "survival_summary_remove");
	survival_map_remove(state, tenure, churned ? 1 : 0, churned ? 0 : 1);
	return csm_cellmap_datum(&state->map);
}

/*
 * Merge the second summary into the first: the combine function of
 * survival_agg() and the transition function of rollup(), with all four
 * NULL cases handled (cellmap.h); the second argument is only read, never
 * kept.
 */
CSM_CELLMAP_COMBINE_FUNCTION(survival_summary_combine, survival_map_type);

/* Inverse of rollup()'s transition: take a summary back out */
PG_FUNCTION_INFO_V1(survival_summary_uncombine);
Datum
survival_summary_uncombine(PG_FUNCTION_ARGS)
{
	SurvivalMap *state;
	SurvivalSummary *other;

	(void) csm_aggregate_context(fcinfo, "survival_summary_uncombine");
	CSM_PASS_STATE_IF_INPUT_NULL();
	if (PG_ARGISNULL(0))
		csm_no_state_error(fcinfo, "survival_summary_uncombine");
	other = PG_GETARG_SURVIVAL_SUMMARY_P(1);
	state = survival_transition_state(fcinfo, "survival_summary_uncombine");
	for (int32 i = 0; i < other->count; i++)
		survival_map_remove(state, other->entries[i].tenure,
							other->entries[i].events, other->entries[i].censored);
	return csm_cellmap_datum(&state->map);
}

/*
 * Final function of the moving-aggregate forms: a flat copy of the
 * summary, or NULL once every row has left the window frame.
 */
PG_FUNCTION_INFO_V1(survival_summary_nonempty);
Datum
survival_summary_nonempty(PG_FUNCTION_ARGS)
{
	SurvivalSummary *summary;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	summary = PG_GETARG_SURVIVAL_SUMMARY_P(0);
	if (summary->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(summary);
}

/* ---------------------------------------------------------------------
 * Kaplan-Meier
 * ---------------------------------------------------------------------
 */

/* The estimator, walked one distinct tenure at a time */
typedef struct KaplanMeier
{
	int64		at_risk;		/* customers with tenure >= the current one */
	double		survival;		/* S(t), the running product */
	double		log_survival;	/* log S(t), summed with log1p for accuracy */
	double		greenwood;		/* sum of d / (n (n - d)); infinite once S = 0 */
} KaplanMeier;

static void
km_start(KaplanMeier *km, const SurvivalSummary *summary)
{
	int64		total = 0;

	for (int32 i = 0; i < summary->count; i++)
		total = csm_count_add(csm_count_add(total, summary->entries[i].events),
							  summary->entries[i].censored);
	km->at_risk = total;
	km->survival = 1.0;
	km->log_survival = 0.0;
	km->greenwood = 0.0;
}

/* Step over one entry; km->at_risk is the entry's risk set until km_next */
static void
km_step(KaplanMeier *km, const SurvivalEntry *e)
{
	double		n = (double) km->at_risk;
	double		d = (double) e->events;

	if (e->events == 0)
		return;
	if (e->events == km->at_risk)
	{
		km->survival = 0.0;
		km->log_survival = -get_float8_infinity();
		km->greenwood = get_float8_infinity();
		return;
	}
	/* multiply before dividing: exact in more of the common cases */
	km->survival = km->survival * (n - d) / n;
	km->log_survival += log1p(-d / n);
	km->greenwood += d / (n * (n - d));
}

/* Move past an entry: its customers leave the risk set */
static inline void
km_next(KaplanMeier *km, const SurvivalEntry *e)
{
	km->at_risk -= e->events + e->censored;
}

/* survival_curve(summary [, confidence]): one row per distinct tenure */
PG_FUNCTION_INFO_V1(survival_curve);
Datum
survival_curve(PG_FUNCTION_ARGS)
{
	SurvivalSummary *summary = PG_GETARG_SURVIVAL_SUMMARY_P(0);
	double		z = csm_confidence_z(PG_GETARG_FLOAT8(1));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	KaplanMeier km;

	csm_init_materialized_srf(fcinfo);
	km_start(&km, summary);
	for (int32 i = 0; i < summary->count; i++)
	{
		const SurvivalEntry *e = &summary->entries[i];
		Datum		values[8];
		bool		nulls[8] = {false, false, false, false, false, false, false, false};

		km_step(&km, e);
		values[0] = Float8GetDatum(e->tenure);
		values[1] = Int64GetDatum(km.at_risk);
		values[2] = Int64GetDatum(e->events);
		values[3] = Int64GetDatum(e->censored);
		values[4] = Float8GetDatum(km.survival);
		if (km.survival == 0.0)
		{
			/* Greenwood's formula is 0 * infinity here: undefined */
			nulls[5] = nulls[6] = nulls[7] = true;
		}
		else if (km.greenwood == 0.0)
		{
			/* no churn yet: S = 1 with no variance */
			values[5] = Float8GetDatum(0.0);
			values[6] = Float8GetDatum(1.0);
			values[7] = Float8GetDatum(1.0);
		}
		else
		{
			double		root = sqrt(km.greenwood);
			double		sigma = root / -km.log_survival;

			values[5] = Float8GetDatum(km.survival * root);
			values[6] = Float8GetDatum(exp(km.log_survival * exp(z * sigma)));
			values[7] = Float8GetDatum(exp(km.log_survival * exp(-z * sigma)));
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		km_next(&km, e);
	}
	return (Datum) 0;
}

/* median_lifetime(summary): the smallest tenure with survival <= 0.5 */
PG_FUNCTION_INFO_V1(survival_median_lifetime);
Datum
survival_median_lifetime(PG_FUNCTION_ARGS)
{
	SurvivalSummary *summary = PG_GETARG_SURVIVAL_SUMMARY_P(0);
	KaplanMeier km;

	km_start(&km, summary);
	for (int32 i = 0; i < summary->count; i++)
	{
		km_step(&km, &summary->entries[i]);
		if (km.survival <= 0.5 + SURVIVAL_MEDIAN_TOLERANCE)
			PG_RETURN_FLOAT8(summary->entries[i].tenure);
		km_next(&km, &summary->entries[i]);
	}
	PG_RETURN_NULL();
}

/* survival_at(summary, tenure): S(tenure), right-continuous */
PG_FUNCTION_INFO_V1(survival_at);
Datum
survival_at(PG_FUNCTION_ARGS)
{
	SurvivalSummary *summary = PG_GETARG_SURVIVAL_SUMMARY_P(0);
	float8		t = survival_tenure_checked(PG_GETARG_FLOAT8(1), "tenure");
	KaplanMeier km;

	if (summary->count == 0)
		PG_RETURN_NULL();
	km_start(&km, summary);
	for (int32 i = 0; i < summary->count && summary->entries[i].tenure <= t; i++)
	{
		km_step(&km, &summary->entries[i]);
		km_next(&km, &summary->entries[i]);
	}
	PG_RETURN_FLOAT8(km.survival);
}

/* restricted_mean_lifetime(summary, horizon): area under S from 0 to horizon */
PG_FUNCTION_INFO_V1(survival_restricted_mean);
Datum
survival_restricted_mean(PG_FUNCTION_ARGS)
{
	SurvivalSummary *summary = PG_GETARG_SURVIVAL_SUMMARY_P(0);
	float8		horizon = survival_tenure_checked(PG_GETARG_FLOAT8(1), "horizon");
	KaplanMeier km;
	double		area = 0.0;
	double		from = 0.0;

	if (summary->count == 0)
		PG_RETURN_NULL();
	km_start(&km, summary);
	for (int32 i = 0; i < summary->count && summary->entries[i].tenure <= horizon; i++)
	{
		area += km.survival * (summary->entries[i].tenure - from);
		from = summary->entries[i].tenure;
		km_step(&km, &summary->entries[i]);
		km_next(&km, &summary->entries[i]);
	}
	area += km.survival * (horizon - from);
	PG_RETURN_FLOAT8(area);
}

/* customers(summary): the number of customers counted */
PG_FUNCTION_INFO_V1(survival_customers);
Datum
survival_customers(PG_FUNCTION_ARGS)
{
	SurvivalSummary *summary = PG_GETARG_SURVIVAL_SUMMARY_P(0);
	KaplanMeier km;

	km_start(&km, summary);
	PG_RETURN_INT64(km.at_risk);
}
