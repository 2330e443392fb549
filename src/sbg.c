/*-------------------------------------------------------------------------
 *
 * sbg.c
 *	  The shifted-beta-geometric (sBG) model of contractual retention
 *	  (Fader and Hardie 2007, "How to project customer retention", Journal
 *	  of Interactive Marketing 21(1)): its log-likelihood for sbg_fit()
 *	  (clv_fit.c), and sbg_survival(), sbg_retention_rate(),
 *	  sbg_expected_lifetime() and sbg_residual_lifetime().
 *
 * Model.  At the end of each period a customer renews with probability
 * 1 - theta, theta ~ Beta(a, b) across customers (the paper's alpha and
 * beta).  Then (FH 2007, eqs. 5 to 8)
 *
 *		P(T = t) = B(a + 1, b + t - 1) / B(a, b)		lost in period t >= 1
 *		S(t)	 = B(a, b + t) / B(a, b)				still active after t periods
 *		r(t)	 = S(t) / S(t - 1) = (b + t - 1) / (a + b + t - 1)
 *
 * and the log-likelihood sums log P(T = t) over the customers lost in
 * period t and log S(t) over those still active after t periods, with
 * the gradient in digammas (d/dx log B(x, y) = psi(x) - psi(x + y)).
 *
 * Lifetimes, with z = 1 / (1 + d) for a discount rate d per period and the
 * payment of the current period undiscounted:
 *
 *		DEL(d)		= sum_{t >= 0} S(t) z^t = 2F1(1, b; a + b; z)
 *		DERL(d | n) = sum_{t > n} S(t) / S(n) z^(t - n - 1)
 *					= (b + n) / (a + b + n) 2F1(1, b + n + 1; a + b + n + 1; z)
 *
 * for a customer who has renewed n times (S(t) / S(n) is the product of
 * the retention rates r(n + 1) ... r(t); this is Fader and Hardie 2010,
 * "Customer-base valuation in a contractual setting", eq. 6, written for
 * n renewals).  Both series converge for d > 0 (specfun.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"

#include "clv.h"
#include "specfun.h"

#define A		0
#define B		1

/* Most periods a prediction accepts */
#define SBG_MAX_PERIODS		1000000000

static const char *
sbg_cell_problem(const float8 *key)
{
	double		t = key[0];

	if (!(t >= 0.0 && t <= SBG_MAX_PERIODS && t == floor(t)))
		return "The number of periods must be a whole number from 0 to 1000000000.";
	if (key[1] != 0.0 && key[1] != 1.0)
		return "The churned flag of a cell must be 0 or 1.";
	if (key[1] == 1.0 && t < 1.0)
		return "A churned customer is lost in period 1 or later.";
	return NULL;
}

static void
sbg_start(const ClvData *data, double *theta)
{
	theta[A] = 1.0;
	theta[B] = 1.0;
}

static double
sbg_objective(const double *theta, double *grad, void *arg)
{
	const ClvData *data = (const ClvData *) arg;
	double		a = theta[A],
				b = theta[B];
	double		lb_ab = csm_lbeta(a, b);
	double		psi_a = csm_digamma(a),
				psi_b = csm_digamma(b),
				psi_ab = csm_digamma(a + b);
	double		ll = 0.0;
	double		ga = 0.0,
				gb = 0.0;

	for (int32 i = 0; i < data->ncells; i++)
	{
		const ClvCell *c = &data->cells[i];
		double		n = (double) c->count;
		double		t = c->key[0];
		double		psi_abt = csm_digamma(a + b + t);

		if (c->key[1] == 1.0)
		{
			ll += n * (csm_lbeta(a + 1.0, b + (t - 1.0)) - lb_ab);
			ga += n * (csm_digamma(a + 1.0) - psi_abt - psi_a + psi_ab);
			gb += n * (csm_digamma(b + (t - 1.0)) - psi_abt - psi_b + psi_ab);
		}
		else
		{
			ll += n * (csm_lbeta(a, b + t) - lb_ab);
			ga += n * (psi_ab - psi_abt);
			gb += n * (csm_digamma(b + t) - psi_abt - psi_b + psi_ab);
		}
	}
	if (grad)
	{
		grad[A] = -ga;
		grad[B] = -gb;
	}
	return -ll;
}

static const char *const sbg_params[] = {"a", "b"};

const ClvModelKind clv_sbg_kind = {
	CLV_SBG, "sbg", "sbg_model", 2, 2, sbg_params,
	sbg_cell_problem, NULL, sbg_start, sbg_objective
};

/* ---------------------------------------------------------------------
 * Predictions
 * ---------------------------------------------------------------------
 */

static int32
check_periods(int32 t, int32 least)
{
	if (t < least || t > SBG_MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period %d is out of range", t),
				 errdetail("The period must be from %d to %d.", least, SBG_MAX_PERIODS)));
	return t;
}

static double
check_discount(double d)
{
	if (!(d > 0.0) || !isfinite(d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount rate must be a finite number above zero"),
				 errdetail("Undiscounted expected lifetimes are infinite when a <= 1.")));
	return d;
}

/* sbg_survival(model, t): S(t), the share still active after t periods */
PG_FUNCTION_INFO_V1(sbg_survival);
Datum
sbg_survival(PG_FUNCTION_ARGS)
{
	const ClvModel *m = clv_model_arg(fcinfo, 0, &clv_sbg_kind);
	int32		t = check_periods(PG_GETARG_INT32(1), 0);
	double		a = m->params[A],
				b = m->params[B];

	PG_RETURN_FLOAT8(exp(csm_lbeta(a, b + t) - csm_lbeta(a, b)));
}

/* sbg_retention_rate(model, t): r(t), the share of those active after t - 1 who renew */
PG_FUNCTION_INFO_V1(sbg_retention_rate);
Datum
sbg_retention_rate(PG_FUNCTION_ARGS)
{
	const ClvModel *m = clv_model_arg(fcinfo, 0, &clv_sbg_kind);
	int32		t = check_periods(PG_GETARG_INT32(1), 1);
	double		a = m->params[A],
				b = m->params[B];

	PG_RETURN_FLOAT8((b + (t - 1.0)) / (a + b + (t - 1.0)));
}

/* sbg_expected_lifetime(model, d): DEL, the discounted expected lifetime in periods */
PG_FUNCTION_INFO_V1(sbg_expected_lifetime);
Datum
sbg_expected_lifetime(PG_FUNCTION_ARGS)
{
	const ClvModel *m = clv_model_arg(fcinfo, 0, &clv_sbg_kind);
	double		d = check_discount(PG_GETARG_FLOAT8(1));

	PG_RETURN_FLOAT8(csm_hyp2f1(1.0, m->params[B], m->params[A] + m->params[B], 1.0 / (1.0 + d)));
}

/* sbg_residual_lifetime(model, n, d): DERL of a customer who has renewed n times */
PG_FUNCTION_INFO_V1(sbg_residual_lifetime);
Datum
sbg_residual_lifetime(PG_FUNCTION_ARGS)
{
	const ClvModel *m = clv_model_arg(fcinfo, 0, &clv_sbg_kind);
	int32		n = check_periods(PG_GETARG_INT32(1), 0);
	double		d = check_discount(PG_GETARG_FLOAT8(2));
	double		a = m->params[A],
				b = m->params[B];

	PG_RETURN_FLOAT8((b + n) / (a + b + n) *
					 csm_hyp2f1(1.0, b + n + 1.0, a + b + n + 1.0, 1.0 / (1.0 + d)));
}
