/*-------------------------------------------------------------------------
 *
 * clv_fit.c
 *	  Fitting the predictive CLV models by parallel aggregates: the
 *	  clv_fit_state type (the distinct data cells of a fit with their
 *	  customer counts), the transition and combine functions of
 *	  bgnbd_fit(), gamma_gamma_fit() and sbg_fit(), the final functions
 *	  that maximise the likelihood, and the model types bgnbd_model,
 *	  gamma_gamma_model and sbg_model with their accessors.
 *
 * Compression.  A fit needs only the distinct data cells and how many
 * customers share each: BG/NBD customers with the same (x, t_x, T), Gamma-
 * Gamma customers with the same (x, mean spend), sBG customers lost in the
 * same period or still active after the same number.  With periods of a
 * day or a week most customers share a cell with others (the 2,357 CDNOW
 * customers make 1,016 cells), and the likelihood is a sum over cells
 * weighted by their counts, so the final function costs the same however
 * many customers the cells stand for.  The cells are a cell map
 * (cellmap.h) while the aggregate runs; partial states from parallel
 * workers merge exactly (counts add), and the flat form, sorted by key,
 * is what the final function reads, so a parallel and a serial plan fit
 * the same cells in the same order and give the same model, bit for bit.
 *
 * clv_fit_state flat form: a varlena with a version byte, the model kind,
 * reserved fields, the cell count, then the cells sorted by key: three
 * float8 keys (unused ones 0) and an int64 count, 32 bytes each.
 * Text form: the kind, then the cells with their counts, such as
 *		bgnbd{(0,0,38.86):1000,(2,30.43,38.86):3}
 *		gamma_gamma{(1,11.77):5}
 *		sbg{(1,1):369,(7,0):241}	(periods, 1 if churned else 0)
 * Binary form: version byte (1), kind byte, int32 count, then per cell
 * three float8 keys and an int64 count.
 *
 * Model flat form (ClvModel in clv.h): version, kind, flags (converged,
 * standard errors present), the number of parameters, the iterations,
 * the customers, the log-likelihood, the parameters and their standard
 * errors.  Text form, with the standard errors only when present:
 *		(r=0.2426,alpha=4.414,a=0.7929,b=2.426,log_likelihood=-9582.43,
 *		 customers=2357,iterations=25,converged=true,r_stderr=0.01256,...)
 * Binary form: version byte (1), kind byte, flags byte, int32 iterations,
 * int64 customers, float8 log-likelihood, then the parameters and their
 * standard errors (0 when absent) as float8.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "cellmap.h"
#include "clv.h"
#include "csm_io.h"
#include "csmetrics.h"
#include "purchase_history.h"

typedef struct ClvFitState
{
	int32		vl_len_;
	uint8		version;		/* CLV_FIT_STATE_VERSION */
	uint8		kind;			/* ClvKind */
	uint16		unused;			/* reserved, always 0 */
	int32		count;			/* cells */
	int32		unused2;		/* reserved, always 0 */
	ClvCell		cells[FLEXIBLE_ARRAY_MEMBER];
} ClvFitState;

#define CLV_FIT_STATE_VERSION	1
#define FIT_HEADER_SIZE		offsetof(ClvFitState, cells)
#define FIT_SIZE(n)			(FIT_HEADER_SIZE + (Size) (n) * sizeof(ClvCell))
#define FIT_MAX_CELLS		((int32) ((MaxAllocSize - FIT_HEADER_SIZE) / sizeof(ClvCell)))
#define FIT_CELL_WIRE_SIZE	(CLV_MAX_KEYS * 8 + 8)

/* A fit whose standard error exceeds this multiple of its estimate has not converged */
#define CLV_MAX_RELATIVE_STDERR	100.0

#define DatumGetClvFitStateP(X) clv_fit_state_check((ClvFitState *) PG_DETOAST_DATUM(X))

static const ClvModelKind *const model_kinds[CLV_KIND_COUNT + 1] = {
	NULL, &clv_bgnbd_kind, &clv_gamma_gamma_kind, &clv_sbg_kind
};

static const ClvModelKind *
kind_of(int kind)
{
	return (kind >= 1 && kind <= CLV_KIND_COUNT) ? model_kinds[kind] : NULL;
}

/* ---------------------------------------------------------------------
 * The fit state
 * ---------------------------------------------------------------------
 */

/*
 * Order of two cell keys (float8[CLV_MAX_KEYS], NaN-free): the order of the
 * flat form, for the cell map and for checking stored values
 */
StaticAssertDecl(CLV_MAX_KEYS == 3, "fit_key_cmp compares three keys");

static int
fit_key_cmp(const void *a, const void *b)
{
	const float8 *ka = (const float8 *) a;	/* cells are MAXALIGNed */
	const float8 *kb = (const float8 *) b;

	if (ka[0] != kb[0])
		return ka[0] < kb[0] ? -1 : 1;
	if (ka[1] != kb[1])
		return ka[1] < kb[1] ? -1 : 1;
	return (ka[2] > kb[2]) - (ka[2] < kb[2]);
}

/* What is wrong with the cells of a flat state, or NULL */
static const char *
cells_problem(const ClvModelKind *kind, const ClvCell *cells, int32 count)
{
	int64		total = 0;

	for (int32 i = 0; i < count; i++)
	{
		const char *problem = kind->cell_problem(cells[i].key);

		if (problem)
			return problem;
		for (int k = kind->nkeys; k < CLV_MAX_KEYS; k++)
			if (cells[i].key[k] != 0.0 || signbit(cells[i].key[k]))
				return "A cell has a key the model does not use.";
		for (int k = 0; k < kind->nkeys; k++)
			if (cells[i].key[k] == 0.0 && signbit(cells[i].key[k]))
				return "A cell has a negative zero key.";
		if (i > 0)
		{
			if (fit_key_cmp(cells[i - 1].key, cells[i].key) >= 0)
				return "The cells are not in strictly increasing order.";
		}
		if (cells[i].count < 1)
			return "A cell has no customers.";
		if (pg_add_s64_overflow(total, cells[i].count, &total))
			return "The customers add up to more than the largest bigint.";
	}
	return NULL;
}

static ClvFitState *
clv_fit_state_check(ClvFitState *s)
{
	Size		size = VARSIZE(s);
	const ClvModelKind *kind;
	const char *problem;

	if (size < FIT_HEADER_SIZE || s->version != CLV_FIT_STATE_VERSION ||
		(kind = kind_of(s->kind)) == NULL || s->unused != 0 || s->unused2 != 0 ||
		s->count < 0 || s->count > FIT_MAX_CELLS || size != FIT_SIZE(s->count))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid clv_fit_state value"),
				 errdetail("The value has size %zu and version %u.",
						   size, (unsigned) s->version)));
	problem = cells_problem(kind, s->cells, s->count);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid clv_fit_state value"),
				 errdetail_internal("%s", problem)));
	return s;
}

static ClvFitState *
fit_state_alloc(int kind, int32 count)
{
	ClvFitState *s = palloc0(FIT_SIZE(count));

	SET_VARSIZE(s, FIT_SIZE(count));
	s->version = CLV_FIT_STATE_VERSION;
	s->kind = (uint8) kind;
	s->count = count;
	return s;
}

typedef struct FitMap
{
	CsmCellMap	map;			/* float8[3] keys -> int64 customers */
	int			kind;			/* 0 until the first cell */
	int64		customers;
} FitMap;

static void
fit_map_kind(FitMap *fm, int kind)
{
	if (fm->kind == 0)
		fm->kind = kind;
	else if (fm->kind != kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine data gathered for model %s with data for model %s",
						kind_of(fm->kind)->name, kind_of(kind)->name)));
}

static void
fit_map_add(FitMap *fm, const float8 *key, int64 count)
{
	int64	   *cell;
	bool		found;

	fm->customers = csm_count_add(fm->customers, count);
	cell = csm_cellmap_insert(&fm->map, key, &found);
	if (unlikely(!found && csm_cellmap_count(&fm->map) > (uint32) FIT_MAX_CELLS))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct data cells in a model fit")));
	*cell += count;				/* cannot overflow: the total did not */
}

static void
fit_map_merge(CsmCellMap *map, Datum flat)
{
	FitMap	   *fm = (FitMap *) map;
	ClvFitState *other = DatumGetClvFitStateP(flat);

	fit_map_kind(fm, other->kind);
	for (int32 i = 0; i < other->count; i++)
		fit_map_add(fm, other->cells[i].key, other->cells[i].count);
}

static Size
fit_map_flat_size(CsmCellMap *map)
{
	return FIT_SIZE(csm_cellmap_count(map));
}

static void
fit_map_flatten(CsmCellMap *map, void *result, Size size)
{
	ClvFitState *s = (ClvFitState *) result;
	int32		n = (int32) csm_cellmap_count(map);

	SET_VARSIZE(s, size);
	s->version = CLV_FIT_STATE_VERSION;
	s->kind = (uint8) ((FitMap *) map)->kind;
	s->count = n;
	for (int32 i = 0; i < n; i++)
	{
		memcpy(s->cells[i].key, csm_cellmap_key(map, i), sizeof(s->cells[i].key));
		memcpy(&s->cells[i].count, csm_cellmap_payload(map, i), sizeof(int64));
	}
}

static const CsmCellMapType fit_map_type = {
	"clv_fit_state", sizeof(FitMap), CLV_MAX_KEYS * sizeof(float8), sizeof(int64),
	fit_key_cmp, fit_map_merge, fit_map_flat_size, fit_map_flatten
};

/* Text input: kind{(k1,k2[,k3]):count,...} */
PG_FUNCTION_INFO_V1(clv_fit_state_in);
Datum
clv_fit_state_in(PG_FUNCTION_ARGS)
{
	CsmIoText	t;
	const ClvModelKind *kind = NULL;
	int32		count = 0;
	int32		capacity = 8;
	ClvCell    *cells = palloc(capacity * sizeof(ClvCell));
	const char *problem;
	ClvFitState *s;

	csm_io_text_init(&t, PG_GETARG_CSTRING(0), "clv_fit_state",
					 "A clv_fit_state looks like bgnbd{(0,0,38.86):1000,(2,30.43,38.86):3}: the model, then the distinct data cells in increasing order with their customer counts.");
	csm_io_skip_space(&t);
	for (int k = 1; k <= CLV_KIND_COUNT; k++)
	{
		size_t		len = strlen(model_kinds[k]->name);

		if (strncmp(t.p, model_kinds[k]->name, len) == 0 && t.p[len] == '{')
		{
			kind = model_kinds[k];
			t.p += len;
			break;
		}
	}
	if (kind == NULL)
		csm_io_expected(&t, "bgnbd, gamma_gamma or sbg");
	csm_io_expect(&t, '{');
	csm_io_skip_space(&t);
	if (!csm_io_accept(&t, '}'))
	{
		do
		{
			ClvCell    *c;

			if (count == capacity)
			{
				if (capacity >= FIT_MAX_CELLS / 2)
					ereport(ERROR,
							(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							 errmsg("too many distinct data cells in a model fit")));
				capacity *= 2;
				cells = repalloc(cells, capacity * sizeof(ClvCell));
			}
			c = &cells[count];
			memset(c, 0, sizeof(ClvCell));
			csm_io_skip_space(&t);
			csm_io_expect(&t, '(');
			for (int k = 0; k < kind->nkeys; k++)
			{
				if (k > 0)
					csm_io_expect(&t, ',');
				c->key[k] = csm_io_parse_float8(&t);
				if (c->key[k] == 0.0)
					c->key[k] = 0.0;
			}
			csm_io_expect(&t, ')');
			csm_io_skip_space(&t);
			csm_io_expect(&t, ':');
			csm_io_skip_space(&t);
			c->count = csm_io_parse_count(&t);
			count++;
			problem = cells_problem(kind, cells, count);
			if (problem)
				csm_io_syntax_error(&t, problem);
			csm_io_skip_space(&t);
		} while (csm_io_accept(&t, ','));
		csm_io_expect(&t, '}');
	}
	csm_io_expect_end(&t);
	s = fit_state_alloc(kind->kind, count);
	if (count > 0)
		memcpy(s->cells, cells, count * sizeof(ClvCell));
	PG_RETURN_POINTER(s);
}

static void
append_float(StringInfo buf, double v)
{
	char		num[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(v, num);
	appendStringInfoString(buf, num);
}

PG_FUNCTION_INFO_V1(clv_fit_state_out);
Datum
clv_fit_state_out(PG_FUNCTION_ARGS)
{
	ClvFitState *s = DatumGetClvFitStateP(PG_GETARG_DATUM(0));
	const ClvModelKind *kind = kind_of(s->kind);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%s{", kind->name);
	for (int32 i = 0; i < s->count; i++)
	{
		appendStringInfoString(&buf, i == 0 ? "(" : ",(");
		for (int k = 0; k < kind->nkeys; k++)
		{
			if (k > 0)
				appendStringInfoChar(&buf, ',');
			append_float(&buf, s->cells[i].key[k]);
		}
		appendStringInfo(&buf, "):" INT64_FORMAT, s->cells[i].count);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(clv_fit_state_recv);
Datum
clv_fit_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const ClvModelKind *kind;
	int32		count;
	int			k;
	ClvFitState *s;
	const char *problem;

	csm_io_recv_version(buf, CLV_FIT_STATE_VERSION, "clv_fit_state");
	csm_io_recv_require(buf, 1, "clv_fit_state");
	k = pq_getmsgbyte(buf);
	kind = kind_of(k);
	if (kind == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary input for type clv_fit_state"),
				 errdetail("Model kind %d is not known.", k)));
	count = csm_io_recv_length(buf, FIT_CELL_WIRE_SIZE, FIT_MAX_CELLS, "cell", "clv_fit_state");
	s = fit_state_alloc(k, count);
	for (int32 i = 0; i < count; i++)
	{
		for (int j = 0; j < CLV_MAX_KEYS; j++)
			s->cells[i].key[j] = pq_getmsgfloat8(buf);
		s->cells[i].count = (int64) pq_getmsgint64(buf);
	}
	problem = cells_problem(kind, s->cells, count);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary input for type clv_fit_state"),
				 errdetail_internal("%s", problem)));
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(clv_fit_state_send);
Datum
clv_fit_state_send(PG_FUNCTION_ARGS)
{
	ClvFitState *s = DatumGetClvFitStateP(PG_GETARG_DATUM(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CLV_FIT_STATE_VERSION);
	pq_sendbyte(&buf, s->kind);
	pq_sendint32(&buf, s->count);
	for (int32 i = 0; i < s->count; i++)
	{
		for (int j = 0; j < CLV_MAX_KEYS; j++)
			pq_sendfloat8(&buf, s->cells[i].key[j]);
		pq_sendint64(&buf, s->cells[i].count);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------
 * Transition and combine functions
 * ---------------------------------------------------------------------
 */

/* Count one customer with these keys in the state of a fit of kind */
static Datum
fit_add(FunctionCallInfo fcinfo, const ClvModelKind *kind, float8 *key,
		const char *funcname)
{
	MemoryContext aggcontext = csm_aggregate_context(fcinfo, funcname);
	const char *problem;
	FitMap	   *fm;

	for (int k = 0; k < CLV_MAX_KEYS; k++)
		if (key[k] == 0.0)
			key[k] = 0.0;		/* no negative zero */
	problem = kind->cell_problem(key);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid customer data for model %s", kind->name),
				 errdetail("%s", problem)));
	fm = (FitMap *) csm_cellmap_state(fcinfo, &fit_map_type, aggcontext);
	fit_map_kind(fm, kind->kind);
	fit_map_add(fm, key, 1);
	return csm_cellmap_datum(&fm->map);
}

/* Transition of bgnbd_fit(frequency, recency, age) */
PG_FUNCTION_INFO_V1(clv_fit_bgnbd_add);
Datum
clv_fit_bgnbd_add(PG_FUNCTION_ARGS)
{
	float8		key[CLV_MAX_KEYS];

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(3);
	key[0] = PG_GETARG_FLOAT8(1);
	key[1] = PG_GETARG_FLOAT8(2);
	key[2] = PG_GETARG_FLOAT8(3);
	return fit_add(fcinfo, &clv_bgnbd_kind, key, "clv_fit_bgnbd_add");
}

/* Transition of bgnbd_fit(purchase_history) */
PG_FUNCTION_INFO_V1(clv_fit_bgnbd_add_history);
Datum
clv_fit_bgnbd_add_history(PG_FUNCTION_ARGS)
{
	float8		key[CLV_MAX_KEYS];

	CSM_PASS_STATE_IF_INPUT_NULL();
	purchase_history_rfm(PG_GETARG_DATUM(1), &key[0], &key[1], &key[2]);
	return fit_add(fcinfo, &clv_bgnbd_kind, key, "clv_fit_bgnbd_add_history");
}

/* Transition of gamma_gamma_fit(frequency, monetary_value): frequency 0 is skipped */
PG_FUNCTION_INFO_V1(clv_fit_gamma_gamma_add);
Datum
clv_fit_gamma_gamma_add(PG_FUNCTION_ARGS)
{
	float8		key[CLV_MAX_KEYS] = {0, 0, 0};

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);
	key[0] = PG_GETARG_FLOAT8(1);
	key[1] = PG_GETARG_FLOAT8(2);
	if (key[0] == 0.0)
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	return fit_add(fcinfo, &clv_gamma_gamma_kind, key, "clv_fit_gamma_gamma_add");
}

/* Transition of sbg_fit(periods, churned) */
PG_FUNCTION_INFO_V1(clv_fit_sbg_add);
Datum
clv_fit_sbg_add(PG_FUNCTION_ARGS)
{
	float8		key[CLV_MAX_KEYS] = {0, 0, 0};

	CSM_PASS_STATE_IF_ANY_INPUT_NULL(2);
	key[0] = (float8) PG_GETARG_INT32(1);
	key[1] = PG_GETARG_BOOL(2) ? 1.0 : 0.0;
	return fit_add(fcinfo, &clv_sbg_kind, key, "clv_fit_sbg_add");
}

/* Combine function of the fit aggregates */
CSM_CELLMAP_COMBINE_FUNCTION(clv_fit_combine, fit_map_type);

/* ---------------------------------------------------------------------
 * Models
 * ---------------------------------------------------------------------
 */

static ClvModel *
model_alloc(const ClvModelKind *kind)
{
	ClvModel   *m = palloc0(sizeof(ClvModel));

	SET_VARSIZE(m, sizeof(ClvModel));
	m->version = CLV_MODEL_VERSION;
	m->kind = (uint8) kind->kind;
	m->nparams = (uint8) kind->nparams;
	return m;
}

/* What is wrong with a model's fields, or NULL */
static const char *
model_problem(const ClvModel *m, const ClvModelKind *kind)
{
	if (m->kind != kind->kind || m->nparams != kind->nparams)
		return "The value is not a model of this type.";
	if ((m->flags & ~(CLV_MODEL_CONVERGED | CLV_MODEL_STDERRS)) != 0 || m->unused != 0)
		return "The value has unknown flags.";
	if (m->iterations < 0 || m->customers < 0)
		return "The iterations and customers cannot be negative.";
	if (!isfinite(m->log_likelihood))
		return "The log-likelihood is not a finite number.";
	for (int i = 0; i < CSM_OPTIMIZE_MAX_PARAMS; i++)
	{
		bool		used = i < kind->nparams;
		bool		has_se = used && (m->flags & CLV_MODEL_STDERRS);

		if (used ? !(m->params[i] > 0.0 && isfinite(m->params[i])) : m->params[i] != 0.0)
			return "A parameter is not a finite positive number.";
		if (has_se ? !(m->stderrs[i] > 0.0 && isfinite(m->stderrs[i])) : m->stderrs[i] != 0.0)
			return "A standard error is not a finite positive number.";
	}
	return NULL;
}

static const ClvModel *
model_check(Datum d, const ClvModelKind *kind)
{
	ClvModel   *m = (ClvModel *) PG_DETOAST_DATUM(d);
	const char *problem;

	if (VARSIZE(m) != sizeof(ClvModel) || m->version != CLV_MODEL_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s value", kind ? kind->typname : "model"),
				 errdetail("The value has size %zu and version %u.",
						   (Size) VARSIZE(m), (unsigned) m->version)));
	if (kind == NULL)
		kind = kind_of(m->kind);
	problem = kind ? model_problem(m, kind) : "The model kind is not known.";
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s value", kind ? kind->typname : "model"),
				 errdetail_internal("%s", problem)));
	return m;
}

const ClvModel *
clv_model_arg(FunctionCallInfo fcinfo, int n, const ClvModelKind *kind)
{
	return model_check(PG_GETARG_DATUM(n), kind);
}

/* Fit a model of kind to the cells of a fit state */
static Datum
fit_final(FunctionCallInfo fcinfo, const ClvModelKind *kind)
{
	ClvFitState *s = DatumGetClvFitStateP(PG_GETARG_DATUM(0));
	ClvData		data;
	double		theta[CSM_OPTIMIZE_MAX_PARAMS];
	double		stderrs[CSM_OPTIMIZE_MAX_PARAMS];
	CsmOptimizeResult result;
	MemoryContext fitcontext;
	ClvModel   *m;

	if (s->kind != kind->kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot fit model %s to data gathered for model %s",
						kind->name, kind_of(s->kind)->name)));
	if (s->count == 0)
		PG_RETURN_NULL();
	data.cells = s->cells;
	data.ncells = s->count;
	data.customers = 0;
	data.prepared = NULL;
	for (int32 i = 0; i < s->count; i++)
		data.customers += s->cells[i].count;	/* checked on input */

	fitcontext = AllocSetContextCreate(CurrentMemoryContext, "clv fit",
									   ALLOCSET_DEFAULT_SIZES);
	if (kind->prepare)
	{
		MemoryContext old = MemoryContextSwitchTo(fitcontext);

		kind->prepare(&data);
		MemoryContextSwitchTo(old);
	}
	kind->start(&data, theta);
	csm_optimize_minimize(kind->objective, &data, kind->nparams, theta, &result);
	if (!isfinite(result.value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot fit model %s to these data", kind->name),
				 errdetail("The log-likelihood is not finite anywhere the search went.")));

	m = model_alloc(kind);
	m->iterations = result.iterations;
	m->customers = data.customers;
	m->log_likelihood = -result.value;
	for (int i = 0; i < kind->nparams; i++)
		m->params[i] = theta[i];

	/*
	 * Converged: the gradient test was met, the observed information is
	 * positive definite (a strict maximum, with standard errors), and every
	 * standard error is below CLV_MAX_RELATIVE_STDERR times its estimate.
	 * A likelihood that only grows towards a boundary (parameters running
	 * off to 0 or infinity along a ray) can meet the gradient test, and
	 * even look curved, without having a maximum: its parameters are then
	 * not determined to within orders of magnitude.
	 */
	if (!result.converged)
		ereport(NOTICE,
				(errmsg("%s fit did not converge after %d iterations",
						kind->name, result.iterations),
				 errdetail("The model returned is the last point of the search; converged() is false.")));
	else if (!csm_optimize_stderrs(kind->objective, &data, kind->nparams, theta, stderrs))
		ereport(NOTICE,
				(errmsg("%s fit did not converge: the log-likelihood has no strict maximum where the search ended",
						kind->name),
				 errdetail("The observed information matrix is not positive definite there, so the data do not identify the parameters; converged() is false.")));
	else
	{
		int			loose = -1;

		for (int i = 0; i < kind->nparams; i++)
			if (!(stderrs[i] <= CLV_MAX_RELATIVE_STDERR * theta[i]))
				loose = i;
		if (loose >= 0)
			ereport(NOTICE,
					(errmsg("%s fit did not converge: the data do not identify parameter %s",
							kind->name, kind->params[loose]),
					 errdetail("Its standard error is more than %g times its estimate: the likelihood rises towards a boundary of the parameters. converged() is false.",
							   CLV_MAX_RELATIVE_STDERR)));
		else
		{
			m->flags |= CLV_MODEL_CONVERGED | CLV_MODEL_STDERRS;
			for (int i = 0; i < kind->nparams; i++)
				m->stderrs[i] = stderrs[i];
		}
	}
	if (kind->kind == CLV_GAMMA_GAMMA && theta[1] <= 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Gamma-Gamma fit gives an infinite mean spend"),
				 errdetail("The estimate of q is %g; the mean spend p gamma / (q - 1) is finite only for q > 1.",
						   theta[1])));
	if (model_problem(m, kind) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot fit model %s to these data", kind->name),
				 errdetail("The search ended at parameters that are not finite positive numbers.")));
	MemoryContextDelete(fitcontext);
	PG_RETURN_POINTER(m);
}

/* Final function of bgnbd_fit: the maximum-likelihood BG/NBD model */
PG_FUNCTION_INFO_V1(clv_fit_bgnbd_final);
Datum
clv_fit_bgnbd_final(PG_FUNCTION_ARGS)
{
	return fit_final(fcinfo, &clv_bgnbd_kind);
}

/* Final function of gamma_gamma_fit: the maximum-likelihood Gamma-Gamma model */
PG_FUNCTION_INFO_V1(clv_fit_gamma_gamma_final);
Datum
clv_fit_gamma_gamma_final(PG_FUNCTION_ARGS)
{
	return fit_final(fcinfo, &clv_gamma_gamma_kind);
}

/* Final function of sbg_fit: the maximum-likelihood sBG model */
PG_FUNCTION_INFO_V1(clv_fit_sbg_final);
Datum
clv_fit_sbg_final(PG_FUNCTION_ARGS)
{
	return fit_final(fcinfo, &clv_sbg_kind);
}

/* ---------------------------------------------------------------------
 * Model text and binary forms
 * ---------------------------------------------------------------------
 */

static Datum
model_in(FunctionCallInfo fcinfo, const ClvModelKind *kind)
{
	CsmIoText	t;
	ClvModel   *m = model_alloc(kind);
	char		key[64];
	const char *problem;

	csm_io_text_init(&t, PG_GETARG_CSTRING(0), kind->typname,
					 "A model looks like its output: (name=value,...), the parameters, log_likelihood, customers, iterations, converged, then optionally the standard errors.");
	csm_io_skip_space(&t);
	csm_io_expect(&t, '(');
	for (int i = 0; i < kind->nparams; i++)
	{
		if (i > 0)
			csm_io_expect(&t, ',');
		csm_io_skip_space(&t);
		csm_io_expect_word(&t, kind->params[i]);
		csm_io_expect(&t, '=');
		m->params[i] = csm_io_parse_float8(&t);
	}
	csm_io_expect(&t, ',');
	csm_io_skip_space(&t);
	csm_io_expect_word(&t, "log_likelihood");
	csm_io_expect(&t, '=');
	m->log_likelihood = csm_io_parse_float8(&t);
	csm_io_expect(&t, ',');
	csm_io_skip_space(&t);
	csm_io_expect_word(&t, "customers");
	csm_io_expect(&t, '=');
	m->customers = csm_io_parse_count(&t);
	csm_io_expect(&t, ',');
	csm_io_skip_space(&t);
	csm_io_expect_word(&t, "iterations");
	csm_io_expect(&t, '=');
	m->iterations = (int32) csm_io_parse_int(&t, 4, false, "iteration count");
	csm_io_expect(&t, ',');
	csm_io_skip_space(&t);
	csm_io_expect_word(&t, "converged");
	csm_io_expect(&t, '=');
	if (strncmp(t.p, "true", 4) == 0)
	{
		m->flags |= CLV_MODEL_CONVERGED;
		t.p += 4;
	}
	else if (strncmp(t.p, "false", 5) == 0)
		t.p += 5;
	else
		csm_io_expected(&t, "true or false");
	if (csm_io_accept(&t, ','))
	{
		m->flags |= CLV_MODEL_STDERRS;
		for (int i = 0; i < kind->nparams; i++)
		{
			if (i > 0)
				csm_io_expect(&t, ',');
			csm_io_skip_space(&t);
			snprintf(key, sizeof(key), "%s_stderr", kind->params[i]);
			csm_io_expect_word(&t, key);
			csm_io_expect(&t, '=');
			m->stderrs[i] = csm_io_parse_float8(&t);
		}
	}
	csm_io_expect(&t, ')');
	csm_io_expect_end(&t);
	problem = model_problem(m, kind);
	if (problem)
		csm_io_syntax_error(&t, problem);
	PG_RETURN_POINTER(m);
}

static Datum
model_out(FunctionCallInfo fcinfo, const ClvModelKind *kind)
{
	const ClvModel *m = clv_model_arg(fcinfo, 0, kind);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '(');
	for (int i = 0; i < kind->nparams; i++)
	{
		appendStringInfo(&buf, "%s=", kind->params[i]);
		append_float(&buf, m->params[i]);
		appendStringInfoChar(&buf, ',');
	}
	appendStringInfoString(&buf, "log_likelihood=");
	append_float(&buf, m->log_likelihood);
	appendStringInfo(&buf, ",customers=" INT64_FORMAT ",iterations=%d,converged=%s",
					 m->customers, m->iterations,
					 (m->flags & CLV_MODEL_CONVERGED) ? "true" : "false");
	if (m->flags & CLV_MODEL_STDERRS)
		for (int i = 0; i < kind->nparams; i++)
		{
			appendStringInfo(&buf, ",%s_stderr=", kind->params[i]);
			append_float(&buf, m->stderrs[i]);
		}
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

static Datum
model_recv(FunctionCallInfo fcinfo, const ClvModelKind *kind)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ClvModel   *m = model_alloc(kind);
	int			k;
	const char *problem;

	csm_io_recv_version(buf, CLV_MODEL_VERSION, kind->typname);
	csm_io_recv_require(buf, 2 + 4 + 8 + 8 + 2 * 8 * kind->nparams, kind->typname);
	k = pq_getmsgbyte(buf);
	m->flags = (uint8) pq_getmsgbyte(buf);
	m->iterations = (int32) pq_getmsgint(buf, 4);
	m->customers = (int64) pq_getmsgint64(buf);
	m->log_likelihood = pq_getmsgfloat8(buf);
	for (int i = 0; i < kind->nparams; i++)
		m->params[i] = pq_getmsgfloat8(buf);
	for (int i = 0; i < kind->nparams; i++)
		m->stderrs[i] = pq_getmsgfloat8(buf);
	problem = (k != (int) kind->kind) ? "The value is not a model of this type." : model_problem(m, kind);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary input for type %s", kind->typname),
				 errdetail_internal("%s", problem)));
	PG_RETURN_POINTER(m);
}

static Datum
model_send(FunctionCallInfo fcinfo, const ClvModelKind *kind)
{
	const ClvModel *m = clv_model_arg(fcinfo, 0, kind);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CLV_MODEL_VERSION);
	pq_sendbyte(&buf, m->kind);
	pq_sendbyte(&buf, m->flags);
	pq_sendint32(&buf, m->iterations);
	pq_sendint64(&buf, m->customers);
	pq_sendfloat8(&buf, m->log_likelihood);
	for (int i = 0; i < kind->nparams; i++)
		pq_sendfloat8(&buf, m->params[i]);
	for (int i = 0; i < kind->nparams; i++)
		pq_sendfloat8(&buf, m->stderrs[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* The input, output, receive and send functions of one model type */
#define CLV_MODEL_IO(typ, kindvar) \
	PG_FUNCTION_INFO_V1(typ##_in); \
	Datum typ##_in(PG_FUNCTION_ARGS) { return model_in(fcinfo, &(kindvar)); } \
	PG_FUNCTION_INFO_V1(typ##_out); \
	Datum typ##_out(PG_FUNCTION_ARGS) { return model_out(fcinfo, &(kindvar)); } \
	PG_FUNCTION_INFO_V1(typ##_recv); \
	Datum typ##_recv(PG_FUNCTION_ARGS) { return model_recv(fcinfo, &(kindvar)); } \
	PG_FUNCTION_INFO_V1(typ##_send); \
	Datum typ##_send(PG_FUNCTION_ARGS) { return model_send(fcinfo, &(kindvar)); } \
	extern int	no_such_variable

/* bgnbd_model, gamma_gamma_model and sbg_model text and binary I/O */
CLV_MODEL_IO(bgnbd_model, clv_bgnbd_kind);
CLV_MODEL_IO(gamma_gamma_model, clv_gamma_gamma_kind);
CLV_MODEL_IO(sbg_model, clv_sbg_kind);

/* ---------------------------------------------------------------------
 * Accessors, shared by the three model types
 * ---------------------------------------------------------------------
 */

/* The parameter or standard error i of a model (NULL: no standard errors) */
#define CLV_MODEL_PARAM(i) \
	PG_FUNCTION_INFO_V1(clv_model_param_##i); \
	Datum clv_model_param_##i(PG_FUNCTION_ARGS) \
	{ \
		PG_RETURN_FLOAT8(model_check(PG_GETARG_DATUM(0), NULL)->params[i]); \
	} \
	PG_FUNCTION_INFO_V1(clv_model_stderr_##i); \
	Datum clv_model_stderr_##i(PG_FUNCTION_ARGS) \
	{ \
		const ClvModel *m = model_check(PG_GETARG_DATUM(0), NULL); \
		if (!(m->flags & CLV_MODEL_STDERRS)) \
			PG_RETURN_NULL(); \
		PG_RETURN_FLOAT8(m->stderrs[i]); \
	} \
	extern int	no_such_variable

/* parameters 1 to 4 of a model and their standard errors */
CLV_MODEL_PARAM(0);
CLV_MODEL_PARAM(1);
CLV_MODEL_PARAM(2);
CLV_MODEL_PARAM(3);

/* log_likelihood(model): the log-likelihood at the estimate, summed over customers */
PG_FUNCTION_INFO_V1(clv_model_log_likelihood);
Datum
clv_model_log_likelihood(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(model_check(PG_GETARG_DATUM(0), NULL)->log_likelihood);
}

/* customers(model): the customers the model was fitted to */
PG_FUNCTION_INFO_V1(clv_model_customers);
Datum
clv_model_customers(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(model_check(PG_GETARG_DATUM(0), NULL)->customers);
}

/* converged(model): did the fit meet its convergence test */
PG_FUNCTION_INFO_V1(clv_model_converged);
Datum
clv_model_converged(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL((model_check(PG_GETARG_DATUM(0), NULL)->flags & CLV_MODEL_CONVERGED) != 0);
}

/* iterations(model): the quasi-Newton steps of the fit */
PG_FUNCTION_INFO_V1(clv_model_iterations);
Datum
clv_model_iterations(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(model_check(PG_GETARG_DATUM(0), NULL)->iterations);
}
