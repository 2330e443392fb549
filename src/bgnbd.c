/*-------------------------------------------------------------------------
 *
 * bgnbd.c
 *	  The BG/NBD model of Fader, Hardie and Lee (2005), "Counting your
 *	  customers the easy way: an alternative to the Pareto/NBD model",
 *	  Marketing Science 24(2): its log-likelihood for bgnbd_fit()
 *	  (clv_fit.c) and the predictions bgnbd_expected_purchases(),
 *	  bgnbd_conditional_expected_purchases(), bgnbd_probability_alive()
 *	  and bgnbd_purchase_probability().
 *
 * Model.  While alive, a customer buys as a Poisson process of rate
 * lambda ~ Gamma(r, alpha); after each purchase the customer dies with
 * probability p ~ Beta(a, b).  A customer observed for T time units since
 * the first purchase made x repeat purchases, the last at t_x.  Times are
 * in the time unit of the data (alpha is in that unit too).
 *
 * Log-likelihood of one customer (FHL 2005, eq. 6), split into a part that
 * depends on x only and a log-sum-exp over two terms:
 *
 *		LL = log Gamma(r + x) - log Gamma(r) + r log alpha
 *			 + log Gamma(a + b) + log Gamma(b + x) - log Gamma(b)
 *			 - log Gamma(a + b + x)
 *			 + log(exp(A1) + [x > 0] exp(A2))
 *		A1 = -(r + x) log(alpha + T)
 *		A2 = log a - log(b + x - 1) - (r + x) log(alpha + t_x)
 *
 * The cells arrive sorted by x, so the log-Gamma part is computed once per
 * distinct x; the log-sum-exp, max + log(1 + exp(min - max)), never
 * overflows however large x is.  The gradient is analytic: the x part
 * differentiates to digammas, the log-sum-exp to its two weights
 * w_i = exp(A_i - LL_2), which are 1 / (1 + e) and e / (1 + e) with
 * e = exp(min - max).  Value and gradient are one pass over the cells.
 *
 * Cost.  Before the search, the cells are read once into runs of one x,
 * each cell naming its t_x and T by an index into the distinct times (a
 * million customers in hourly periods make 732,946 cells but fewer than
 * 9,000 distinct times).  An evaluation then takes log(alpha + t) and
 * 1 / (alpha + t) once per distinct time (and not again while alpha stays,
 * as in most of the Hessian's evaluations), the x part once per run, and
 * per cell one exp, a division and a multiplication: the log(1 + e) of a
 * run's single-customer cells are one logarithm of their product.
 *
 * Predictions (FHL 2005, eqs. 7, 8, 10 and 11), with z the argument of the
 * Gauss hypergeometric function 2F1 (specfun.c), which is in [0, 1):
 *
 *		E[X(t)] = (a + b - 1) / (a - 1)
 *				  * (1 - (alpha / (alpha + t))^r 2F1(r, b; a + b - 1; t / (alpha + t)))
 *		E[Y(t) | x, t_x, T] = (a + b + x - 1) / (a - 1)
 *				  * (1 - ((alpha + T) / (alpha + T + t))^(r + x)
 *						 2F1(r + x, b + x; a + b + x - 1; t / (alpha + T + t)))
 *				  / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))
 *		P(alive | x, t_x, T) = 1 / (1 + [x > 0] a / (b + x - 1)
 *									   ((alpha + T) / (alpha + t_x))^(r + x))
 *		P(X(t) = n) = B(a, b + n) / B(a, b)
 *						* Gamma(r + n) / (Gamma(r) n!) (alpha / (alpha + t))^r (t / (alpha + t))^n
 *					  + [n > 0] B(a + 1, b + n - 1) / B(a, b)
 *						* (1 - (alpha / (alpha + t))^r
 *							   sum_{j < n} Gamma(r + j) / (Gamma(r) j!) (t / (alpha + t))^j)
 *
 * The expectations divide by a - 1: they are not defined at a = 1 exactly
 * (nor at a + b = 1, where 2F1's c is 0), and those models are refused.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/float.h"

#include "clv.h"
#include "specfun.h"

#define R		0
#define ALPHA	1
#define A		2
#define B		3

/* Is v a whole number from 0 to 2^53? */
static inline bool
is_count(double v)
{
	return v >= 0.0 && v <= 9007199254740992.0 && v == floor(v);
}

/* What is wrong with a BG/NBD customer (x, t_x, T), or NULL */
static const char *
bgnbd_rfm_problem(double x, double t_x, double T)
{
	if (!is_count(x))
		return "The frequency must be a whole number, zero or more.";
	if (!isfinite(t_x) || !isfinite(T) || t_x < 0.0 || T <= 0.0)
		return "The recency must be a finite number, zero or more, and the age a finite number above zero.";
	if (t_x > T)
		return "The recency cannot exceed the age.";
	if (x == 0.0 && t_x != 0.0)
		return "A customer with frequency 0 has recency 0.";
	return NULL;
}

static const char *
bgnbd_cell_problem(const float8 *key)
{
	return bgnbd_rfm_problem(key[0], key[1], key[2]);
}

void
clv_check_rfm(double x, double t_x, double T)
{
	const char *problem = bgnbd_rfm_problem(x, t_x, T);

	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid frequency, recency or age"),
				 errdetail("%s", problem)));
}

/* Start from r = a = b = 1 and alpha at the mean age */
static void
bgnbd_start(const ClvData *data, double *theta)
{
	double		sum = 0.0;

	for (int32 i = 0; i < data->ncells; i++)
		sum += data->cells[i].key[2] * (double) data->cells[i].count;
	theta[R] = 1.0;
	theta[ALPHA] = Max(sum / (double) data->customers, 1e-6);
	theta[A] = 1.0;
	theta[B] = 1.0;
}

/*
 * The cells as the objective reads them: grouped by x (runs), each cell
 * naming its t_x and T by their index in the distinct times, so that the
 * logarithms of alpha + t are taken once per distinct time and evaluation.
 */
typedef struct BgnbdRun
{
	double		x;
	int32		first;			/* its cells are cells[first .. end) */
	int32		end;
} BgnbdRun;

typedef struct BgnbdCell
{
	uint32		t_x;			/* index of t_x in times */
	uint32		T;				/* index of T in times */
	double		n;				/* customers */
} BgnbdCell;

typedef struct BgnbdPrepared
{
	int32		nruns;
	BgnbdRun   *runs;
	BgnbdCell  *cells;
	int32		ntimes;
	double	   *times;			/* the distinct t_x and T values */
	double		alpha;			/* the alpha of log_at and inv_at, or NaN */
	double	   *log_at;			/* log(alpha + times[k]) */
	double	   *inv_at;			/* 1 / (alpha + times[k]) */
} BgnbdPrepared;

/* The distinct times, while they are gathered: open addressing on their bits */
typedef struct TimeIndex
{
	BgnbdPrepared *p;
	int32		capacity;		/* of p->times */
	uint32		mask;			/* slots - 1, slots a power of 2 */
	int32	   *slots;			/* 1 + an index into p->times, 0 if free */
} TimeIndex;

/* Room for n things of size bytes, zeroed, beyond 1 GB if need be */
static void *
alloc_huge(Size n, Size size)
{
	return MemoryContextAllocExtended(CurrentMemoryContext, mul_size(Max(n, 1), size),
									  MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
}

/* A 64-bit mix (the splitmix64 finaliser) of the bits of a time */
static uint32
time_hash(double v)
{
	uint64		z;

	memcpy(&z, &v, sizeof(z));
	z = (z ^ (z >> 30)) * UINT64CONST(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64CONST(0x94d049bb133111eb);
	return (uint32) (z ^ (z >> 31));
}

/* Put index k + 1 of time v into the first free slot of its probe sequence */
static void
time_slot_put(TimeIndex *ix, double v, int32 k)
{
	uint32		h = time_hash(v) & ix->mask;

	while (ix->slots[h] != 0)
		h = (h + 1) & ix->mask;
	ix->slots[h] = k + 1;
}

/* Double the slots (kept at most half full) and the room for times */
static void
time_index_grow(TimeIndex *ix)
{
	BgnbdPrepared *p = ix->p;
	Size		nslots = (Size) ix->mask + 1;

	if (p->ntimes == ix->capacity)
	{
		ix->capacity *= 2;
		p->times = repalloc_huge(p->times, (Size) ix->capacity * sizeof(double));
	}
	if ((Size) p->ntimes * 2 >= nslots)
	{
		pfree(ix->slots);
		nslots *= 2;
		ix->mask = (uint32) (nslots - 1);
		ix->slots = alloc_huge(nslots, sizeof(int32));
		for (int32 k = 0; k < p->ntimes; k++)
			time_slot_put(ix, p->times[k], k);
	}
}

/* The index of time v in the distinct times, adding it if new */
static uint32
time_index(TimeIndex *ix, double v)
{
	BgnbdPrepared *p = ix->p;
	uint32		h = time_hash(v) & ix->mask;

	/* times are finite, not -0: equal values have equal bits */
	for (; ix->slots[h] != 0; h = (h + 1) & ix->mask)
		if (p->times[ix->slots[h] - 1] == v)
			return (uint32) (ix->slots[h] - 1);
	p->times[p->ntimes] = v;
	ix->slots[h] = p->ntimes + 1;
	p->ntimes++;
	if (p->ntimes == ix->capacity || (Size) p->ntimes * 2 >= (Size) ix->mask + 1)
		time_index_grow(ix);
	return (uint32) (p->ntimes - 1);
}

/* Read the sorted cells into runs of one x, with their times indexed */
static void
bgnbd_prepare(ClvData *data)
{
	BgnbdPrepared *p = palloc0(sizeof(BgnbdPrepared));
	TimeIndex	ix;

	p->runs = alloc_huge(data->ncells, sizeof(BgnbdRun));
	p->cells = alloc_huge(data->ncells, sizeof(BgnbdCell));
	ix.p = p;
	ix.capacity = 1024;
	ix.mask = 2047;
	ix.slots = alloc_huge(ix.mask + 1, sizeof(int32));
	p->times = alloc_huge(ix.capacity, sizeof(double));
	for (int32 i = 0; i < data->ncells; i++)
	{
		const ClvCell *c = &data->cells[i];

		if (p->nruns == 0 || p->runs[p->nruns - 1].x != c->key[0])
		{
			p->runs[p->nruns].x = c->key[0];
			p->runs[p->nruns].first = i;
			p->nruns++;
		}
		p->runs[p->nruns - 1].end = i + 1;
		p->cells[i].t_x = time_index(&ix, c->key[1]);
		p->cells[i].T = time_index(&ix, c->key[2]);
		p->cells[i].n = (double) c->count;
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	pfree(ix.slots);
	p->alpha = get_float8_nan();
	p->log_at = alloc_huge(p->ntimes, sizeof(double));
	p->inv_at = alloc_huge(p->ntimes, sizeof(double));
	data->prepared = p;
}

/* log(alpha + t) and 1 / (alpha + t) for every distinct time t */
static void
bgnbd_times(BgnbdPrepared *p, double alpha)
{
	if (p->alpha == alpha)
		return;
	for (int32 k = 0; k < p->ntimes; k++)
	{
		double		at = alpha + p->times[k];

		p->log_at[k] = log(at);
		p->inv_at[k] = 1.0 / at;
	}
	p->alpha = alpha;
}

/* What the evaluation at one point shares with all its runs */
typedef struct BgnbdPoint
{
	double		r,
				alpha,
				a,
				b;
	double		log_alpha,
				log_a;
	double		lg_r,
				lg_ab,
				lg_b;
	double		psi_r,
				psi_ab,
				psi_b;
} BgnbdPoint;

/*
 * Sums over the cells of one run, each weighted by its customers n: n,
 * n LL_2, n w2, n (w1 log(alpha + T) + w2 log(alpha + t_x)) and
 * n (w1 / (alpha + T) + w2 / (alpha + t_x)).
 */
typedef struct BgnbdSums
{
	double		n,
				l2,
				w2,
				log,
				inv;
} BgnbdSums;

/* The sums of a run of x = 0: LL_2 = A1, w2 = 0 */
static void
bgnbd_sums_x0(const BgnbdPrepared *p, const BgnbdRun *run, double r, BgnbdSums *s)
{
	for (int32 i = run->first; i < run->end; i++)
	{
		const BgnbdCell *c = &p->cells[i];

		s->n += c->n;
		s->log += c->n * p->log_at[c->T];
		s->inv += c->n * p->inv_at[c->T];
	}
	s->l2 = -r * s->log;
}

/*
 * The sums of a run of x > 0: with d = A2 - A1 and e = exp(-|d|),
 * LL_2 = max(A1, A2) + log(1 + e); the weight of the larger term is
 * 1 / (1 + e), of the other e / (1 + e).  The log(1 + e) of the cells of
 * one customer are taken as one logarithm of their product (each factor is
 * in (1, 2]; frexp, which is exact, keeps the product in range), which
 * rounds less than adding them and costs a multiplication per cell.
 */
static void
bgnbd_sums(const BgnbdPrepared *p, const BgnbdRun *run, double rx, double c2,
		   BgnbdSums *s)
{
	double		product = 1.0;
	int			exponent = 0;

	for (int32 i = run->first; i < run->end; i++)
	{
		const BgnbdCell *c = &p->cells[i];
		double		log_at = p->log_at[c->T],
					log_atx = p->log_at[c->t_x];
		double		a1 = -rx * log_at,
					a2 = c2 - rx * log_atx,
					d = a2 - a1,
					e = exp(-fabs(d)),
					big = 1.0 / (1.0 + e),
					small = e * big,
					w1,
					w2;

		if (d > 0.0)
		{
			s->l2 += c->n * a2;
			w1 = small;
			w2 = big;
		}
		else
		{
			s->l2 += c->n * a1;
			w1 = big;
			w2 = small;
		}
		if (c->n == 1.0)
		{
			product *= 1.0 + e;
			if (product > 1e300)
			{
				int			shift;

				product = frexp(product, &shift);
				exponent += shift;
			}
		}
		else
			s->l2 += c->n * log(1.0 + e);
		s->n += c->n;
		s->w2 += c->n * w2;
		s->log += c->n * (w1 * log_at + w2 * log_atx);
		s->inv += c->n * (w1 * p->inv_at[c->T] + w2 * p->inv_at[c->t_x]);
	}
	s->l2 += log(product) + exponent * M_LN2;
}

/* Add the log-likelihood of one run, and its gradient, to ll and g */
static void
bgnbd_run(const BgnbdPrepared *p, const BgnbdRun *run, const BgnbdPoint *pt,
		  double *ll, double *g)
{
	double		x = run->x,
				r = pt->r,
				a = pt->a,
				b = pt->b;
	double		psi_abx = csm_digamma(a + b + x);
	BgnbdSums	s = {0, 0, 0, 0, 0};

	/* the part that depends on x alone */
	double		px = lgamma(r + x) - pt->lg_r + r * pt->log_alpha + pt->lg_ab +
		lgamma(b + x) - pt->lg_b - lgamma(a + b + x);
	double		dpr = csm_digamma(r + x) - pt->psi_r + pt->log_alpha;
	double		dpa = pt->psi_ab - psi_abx;
	double		dpb = pt->psi_ab + csm_digamma(b + x) - pt->psi_b - psi_abx;

	if (x > 0.0)
		bgnbd_sums(p, run, r + x, pt->log_a - log(b + (x - 1.0)), &s);
	else
		bgnbd_sums_x0(p, run, r, &s);
	*ll += s.n * px + s.l2;
	g[R] += s.n * dpr - s.log;
	g[ALPHA] += s.n * (r / pt->alpha) - (r + x) * s.inv;
	g[A] += s.n * dpa + s.w2 / a;
	if (x > 0.0)
		g[B] += s.n * dpb - s.w2 / (b + (x - 1.0));
	else
		g[B] += s.n * dpb;
}

/* The negative log-likelihood over the cells, and its gradient */
static double
bgnbd_objective(const double *theta, double *grad, void *arg)
{
	const ClvData *data = (const ClvData *) arg;
	BgnbdPrepared *p = (BgnbdPrepared *) data->prepared;
	BgnbdPoint	pt;
	double		ll = 0.0;
	double		g[4] = {0, 0, 0, 0};

	pt.r = theta[R];
	pt.alpha = theta[ALPHA];
	pt.a = theta[A];
	pt.b = theta[B];
	pt.log_alpha = log(pt.alpha);
	pt.log_a = log(pt.a);
	pt.lg_r = lgamma(pt.r);
	pt.lg_ab = lgamma(pt.a + pt.b);
	pt.lg_b = lgamma(pt.b);
	pt.psi_r = csm_digamma(pt.r);
	pt.psi_ab = csm_digamma(pt.a + pt.b);
	pt.psi_b = csm_digamma(pt.b);
	bgnbd_times(p, pt.alpha);
	for (int32 i = 0; i < p->nruns; i++)
		bgnbd_run(p, &p->runs[i], &pt, &ll, g);
	if (grad)
		for (int k = 0; k < 4; k++)
			grad[k] = -g[k];
	return -ll;
}

static const char *const bgnbd_params[] = {"r", "alpha", "a", "b"};

const ClvModelKind clv_bgnbd_kind = {
	CLV_BGNBD, "bgnbd", "bgnbd_model", 3, 4, bgnbd_params,
	bgnbd_cell_problem, bgnbd_prepare, bgnbd_start, bgnbd_objective
};

/* ---------------------------------------------------------------------
 * Predictions
 * ---------------------------------------------------------------------
 */

/* The parameters of the model argument, refusing those the expectations cannot use */
static const double *
expectation_params(FunctionCallInfo fcinfo)
{
	const ClvModel *m = clv_model_arg(fcinfo, 0, &clv_bgnbd_kind);

	if (m->params[A] == 1.0 || m->params[A] + m->params[B] == 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("expected purchases are not defined for a = 1 or a + b = 1")));
	return m->params;
}

static double
check_horizon(double t)
{
	if (!isfinite(t) || t < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time horizon must be a finite number, zero or more")));
	return t;
}

static double
check_result(double v)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("prediction is out of range"),
				 errdetail("The model gives no finite value here.")));
	return v;
}

/* 1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x) */
static double
alive_denominator(const double *theta, double x, double t_x, double T)
{
	if (x == 0.0)
		return 1.0;
	return 1.0 + theta[A] / (theta[B] + (x - 1.0)) *
		exp((theta[R] + x) * (log(theta[ALPHA] + T) - log(theta[ALPHA] + t_x)));
}

double
bgnbd_conditional_expectation(const double *theta, double t, double x, double t_x, double T)
{
	double		r = theta[R],
				alpha = theta[ALPHA],
				a = theta[A],
				b = theta[B];
	double		z = t / (alpha + T + t);
	double		bracket;

	if (t == 0.0)
		return 0.0;
	bracket = 1.0 - exp((r + x) * (log(alpha + T) - log(alpha + T + t))) *
		csm_hyp2f1(r + x, b + x, a + b + x - 1.0, z);
	return check_result((a + b + x - 1.0) / (a - 1.0) * bracket /
						alive_denominator(theta, x, t_x, T));
}

/* bgnbd_expected_purchases(model, t): E[X(t)] for a new customer */
PG_FUNCTION_INFO_V1(bgnbd_expected_purchases);
Datum
bgnbd_expected_purchases(PG_FUNCTION_ARGS)
{
	const double *theta = expectation_params(fcinfo);
	double		t = check_horizon(PG_GETARG_FLOAT8(1));
	double		r = theta[R],
				alpha = theta[ALPHA],
				a = theta[A],
				b = theta[B];
	double		bracket;

	if (t == 0.0)
		PG_RETURN_FLOAT8(0.0);
	bracket = 1.0 - exp(r * (log(alpha) - log(alpha + t))) *
		csm_hyp2f1(r, b, a + b - 1.0, t / (alpha + t));
	PG_RETURN_FLOAT8(check_result((a + b - 1.0) / (a - 1.0) * bracket));
}

/* bgnbd_conditional_expected_purchases(model, t, x, t_x, T): E[Y(t) | x, t_x, T] */
PG_FUNCTION_INFO_V1(bgnbd_conditional_expected_purchases);
Datum
bgnbd_conditional_expected_purchases(PG_FUNCTION_ARGS)
{
	const double *theta = expectation_params(fcinfo);
	double		t = check_horizon(PG_GETARG_FLOAT8(1));
	double		x = PG_GETARG_FLOAT8(2),
				t_x = PG_GETARG_FLOAT8(3),
				T = PG_GETARG_FLOAT8(4);

	clv_check_rfm(x, t_x, T);
	PG_RETURN_FLOAT8(bgnbd_conditional_expectation(theta, t, x, t_x, T));
}

/* bgnbd_probability_alive(model, x, t_x, T) */
PG_FUNCTION_INFO_V1(bgnbd_probability_alive);
Datum
bgnbd_probability_alive(PG_FUNCTION_ARGS)
{
	const ClvModel *m = clv_model_arg(fcinfo, 0, &clv_bgnbd_kind);
	double		x = PG_GETARG_FLOAT8(1),
				t_x = PG_GETARG_FLOAT8(2),
				T = PG_GETARG_FLOAT8(3);

	clv_check_rfm(x, t_x, T);
	PG_RETURN_FLOAT8(1.0 / alive_denominator(m->params, x, t_x, T));
}

/* bgnbd_purchase_probability(model, n, t): P(X(t) = n) */
PG_FUNCTION_INFO_V1(bgnbd_purchase_probability);
Datum
bgnbd_purchase_probability(PG_FUNCTION_ARGS)
{
	const ClvModel *m = clv_model_arg(fcinfo, 0, &clv_bgnbd_kind);
	int32		n = PG_GETARG_INT32(1);
	double		t = check_horizon(PG_GETARG_FLOAT8(2));
	double		r = m->params[R],
				alpha = m->params[ALPHA],
				a = m->params[A],
				b = m->params[B];
	double		log_p0,
				log_q,
				first,
				result;

	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of purchases must be zero or more")));
	if (t == 0.0)
		PG_RETURN_FLOAT8(n == 0 ? 1.0 : 0.0);
	log_p0 = r * (log(alpha) - log(alpha + t));	/* log (alpha / (alpha + t))^r */
	log_q = log(t) - log(alpha + t);	/* log (t / (alpha + t)) */
	first = csm_lbeta(a, b + n) - csm_lbeta(a, b) +
		lgamma(r + n) - lgamma(r) - lgamma(n + 1.0) + log_p0 + n * log_q;
	result = exp(first);
	if (n > 0)
	{
		double		term = 1.0,
					sum = 1.0,
					q = exp(log_q),
					p0 = exp(log_p0);

		/*
		 * sum_{j < n} Gamma(r + j) / (Gamma(r) j!) q^j, term by term, up to
		 * the term past which the rest cannot change the sum: once the
		 * ratio of two terms, (r + j) q / (j + 1), is below 1 it only falls
		 * towards q, so the tail is below term * ratio / (1 - ratio).  When
		 * p0 underflows to 0 the sum is not needed.
		 */
		for (int32 j = 1; j < n && p0 > 0.0; j++)
		{
			double		ratio;

			term *= (r + j - 1.0) / j * q;
			sum += term;
			ratio = (r + j) / (j + 1.0) * q;
			if (ratio < 1.0 && term * ratio <= 1e-17 * sum * (1.0 - ratio))
				break;
			if ((j & 0xFFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		result += exp(csm_lbeta(a + 1.0, b + (n - 1.0)) - csm_lbeta(a, b)) *
			(1.0 - p0 * sum);
	}
	PG_RETURN_FLOAT8(check_result(result));
}
