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
 * distinct x; the log-sum-exp, max + log1p(exp(min - max)), never
 * overflows however large x is.  The gradient is analytic: the x part
 * differentiates to digammas, the log-sum-exp to its two weights
 * w_i = exp(A_i - LL_2).
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

/* The negative log-likelihood over the cells, and its gradient */
static double
bgnbd_objective(const double *theta, double *grad, void *arg)
{
	const ClvData *data = (const ClvData *) arg;
	double		r = theta[R],
				alpha = theta[ALPHA],
				a = theta[A],
				b = theta[B];
	double		log_alpha = log(alpha),
				log_a = log(a);
	double		lg_r = lgamma(r),
				lg_ab = lgamma(a + b),
				lg_b = lgamma(b);
	double		psi_r = csm_digamma(r),
				psi_ab = csm_digamma(a + b),
				psi_b = csm_digamma(b);
	double		ll = 0.0;
	double		g[4] = {0, 0, 0, 0};
	double		x = -1.0;
	double		px = 0.0,
				dpr = 0.0,
				dpa = 0.0,
				dpb = 0.0;

	for (int32 i = 0; i < data->ncells; i++)
	{
		const ClvCell *c = &data->cells[i];
		double		n = (double) c->count;
		double		t_x = c->key[1],
					T = c->key[2];
		double		log_at = log(alpha + T);
		double		a1,
					l2,
					w2 = 0.0,
					log_atx = 0.0;

		if (c->key[0] != x)
		{
			/* the part that depends on x alone */
			double		psi_abx;

			x = c->key[0];
			psi_abx = csm_digamma(a + b + x);
			px = lgamma(r + x) - lg_r + r * log_alpha + lg_ab +
				lgamma(b + x) - lg_b - lgamma(a + b + x);
			dpr = csm_digamma(r + x) - psi_r + log_alpha;
			dpa = psi_ab - psi_abx;
			dpb = psi_ab + csm_digamma(b + x) - psi_b - psi_abx;
		}
		a1 = -(r + x) * log_at;
		if (x > 0.0)
		{
			double		a2,
						hi,
						lo;

			log_atx = log(alpha + t_x);
			a2 = log_a - log(b + (x - 1.0)) - (r + x) * log_atx;
			hi = Max(a1, a2);
			lo = Min(a1, a2);
			l2 = hi + log1p(exp(lo - hi));
			w2 = exp(a2 - l2);
		}
		else
			l2 = a1;
		ll += n * (px + l2);
		if (grad)
		{
			double		w1 = 1.0 - w2;

			g[R] += n * (dpr - w1 * log_at - w2 * log_atx);
			g[ALPHA] += n * (r / alpha - (r + x) * (w1 / (alpha + T) + w2 / (alpha + t_x)));
			g[A] += n * (dpa + w2 / a);
			g[B] += n * (dpb - (x > 0.0 ? w2 / (b + (x - 1.0)) : 0.0));
		}
	}
	if (grad)
		for (int k = 0; k < 4; k++)
			grad[k] = -g[k];
	return -ll;
}

static const char *const bgnbd_params[] = {"r", "alpha", "a", "b"};

const ClvModelKind clv_bgnbd_kind = {
	CLV_BGNBD, "bgnbd", "bgnbd_model", 3, 4, bgnbd_params,
	bgnbd_cell_problem, bgnbd_start, bgnbd_objective
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
