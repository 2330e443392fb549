/*-------------------------------------------------------------------------
 *
 * gamma_gamma.c
 *	  The Gamma-Gamma model of spend per transaction (Fader, Hardie and Lee
 *	  2005, "RFM and CLV: using iso-value curves for customer base
 *	  analysis", JMR 42(4); Hardie, "The Gamma-Gamma model of monetary
 *	  value", 2013): its log-likelihood for gamma_gamma_fit() (clv_fit.c),
 *	  gamma_gamma_expected_spend(), and predicted_clv(), which joins it to
 *	  the BG/NBD.
 *
 * Model.  A customer's transaction values are Gamma(p, nu); nu varies
 * across customers as Gamma(q, gamma).  Only the mean mbar of a customer's
 * x repeat transactions enters (customers with x = 0 carry no spend data
 * and are skipped).  The log-likelihood of one customer is
 *
 *		LL = log Gamma(p x + q) - log Gamma(p x) - log Gamma(q) + q log gamma
 *			 + (p x - 1) log mbar + p x log x - (p x + q) log(gamma + mbar x)
 *
 * computed with the log-Gamma part once per distinct x (the cells arrive
 * sorted by x), and an analytic gradient of digammas.  The mean spend
 * p gamma / (q - 1) is infinite for q <= 1: such a fit is an error.
 *
 * Expected spend of a customer (Hardie's note, eq. 5): a weighted mean of
 * the population mean and the customer's own,
 *
 *		E[M | p, q, gamma, mbar, x] = (p gamma + p x mbar) / (p x + q - 1)
 *
 * which for x = 0 is the population mean p gamma / (q - 1).
 *
 * Predicted CLV over periods s = 1..n of length L (in the BG/NBD's time
 * unit) at a discount rate d per period:
 *
 *		CLV = sum_s E[M] (E[Y(s L)] - E[Y((s - 1) L)]) / (1 + d)^s
 *
 * with E[Y(t)] the BG/NBD's conditional expected purchases: the purchases
 * expected in period s, not up to it, discounted from its end.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"

#include "clv.h"
#include "specfun.h"

#define P		0
#define Q		1
#define GAMMA	2

static const char *
gamma_gamma_cell_problem(const float8 *key)
{
	double		x = key[0],
				m = key[1];

	if (!(x >= 1.0 && x <= 9007199254740992.0 && x == floor(x)))
		return "The frequency must be a whole number (customers with frequency 0 are skipped).";
	if (!(m > 0.0) || !isfinite(m))
		return "The monetary value must be a finite number above zero.";
	return NULL;
}

/* Start from p = 1, q = 2 and gamma at the mean of the mean spends */
static void
gamma_gamma_start(const ClvData *data, double *theta)
{
	double		sum = 0.0;

	for (int32 i = 0; i < data->ncells; i++)
		sum += data->cells[i].key[1] * (double) data->cells[i].count;
	theta[P] = 1.0;
	theta[Q] = 2.0;
	theta[GAMMA] = sum / (double) data->customers;
}

static double
gamma_gamma_objective(const double *theta, double *grad, void *arg)
{
	const ClvData *data = (const ClvData *) arg;
	double		p = theta[P],
				q = theta[Q],
				gamma = theta[GAMMA];
	double		log_gamma = log(gamma),
				lg_q = lgamma(q),
				psi_q = csm_digamma(q);
	double		ll = 0.0;
	double		g[3] = {0, 0, 0};
	double		x = -1.0,
				part = 0.0,
				psi_pxq = 0.0,
				psi_px = 0.0,
				log_x = 0.0;

	for (int32 i = 0; i < data->ncells; i++)
	{
		const ClvCell *c = &data->cells[i];
		double		n = (double) c->count;
		double		m = c->key[1];
		double		log_m = log(m),
					log_gm;

		if (c->key[0] != x)
		{
			x = c->key[0];
			log_x = log(x);
			part = lgamma(p * x + q) - lgamma(p * x) - lg_q + q * log_gamma;
			psi_pxq = csm_digamma(p * x + q);
			psi_px = csm_digamma(p * x);
		}
		log_gm = log(gamma + m * x);
		ll += n * (part + (p * x - 1.0) * log_m + p * x * log_x - (p * x + q) * log_gm);
		if (grad)
		{
			g[P] += n * x * (psi_pxq - psi_px + log_m + log_x - log_gm);
			g[Q] += n * (psi_pxq - psi_q + log_gamma - log_gm);
			g[GAMMA] += n * (q / gamma - (p * x + q) / (gamma + m * x));
		}
	}
	if (grad)
		for (int k = 0; k < 3; k++)
			grad[k] = -g[k];
	return -ll;
}

static const char *const gamma_gamma_params[] = {"p", "q", "gamma"};

const ClvModelKind clv_gamma_gamma_kind = {
	CLV_GAMMA_GAMMA, "gamma_gamma", "gamma_gamma_model", 2, 3, gamma_gamma_params,
	gamma_gamma_cell_problem, NULL, gamma_gamma_start, gamma_gamma_objective
};

/* ---------------------------------------------------------------------
 * Predictions
 * ---------------------------------------------------------------------
 */

/*
 * The expected spend per transaction of a customer with x repeat
 * purchases of mean m (ignored when x = 0)
 */
static double
expected_spend(const ClvModel *model, double x, double m)
{
	double		p = model->params[P],
				q = model->params[Q],
				gamma = model->params[GAMMA];

	if (q <= 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("expected spend is infinite for q <= 1")));
	if (!(x >= 0.0 && x <= 9007199254740992.0 && x == floor(x)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid frequency or monetary value"),
				 errdetail("The frequency must be a whole number, zero or more.")));
	if (x == 0.0)
		return p * gamma / (q - 1.0);
	if (!(m > 0.0) || !isfinite(m))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid frequency or monetary value"),
				 errdetail("The monetary value must be a finite number above zero.")));
	return (p * gamma + p * x * m) / (p * x + q - 1.0);
}

/*
 * gamma_gamma_expected_spend(model, frequency, monetary_value): the
 * monetary value may be NULL when the frequency is 0
 */
PG_FUNCTION_INFO_V1(gamma_gamma_expected_spend);
Datum
gamma_gamma_expected_spend(PG_FUNCTION_ARGS)
{
	double		x;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	x = PG_GETARG_FLOAT8(1);
	if (PG_ARGISNULL(2) && x != 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(expected_spend(clv_model_arg(fcinfo, 0, &clv_gamma_gamma_kind), x,
									PG_ARGISNULL(2) ? 0.0 : PG_GETARG_FLOAT8(2)));
}

/*
 * predicted_clv(bgnbd, gamma_gamma, frequency, recency, age, monetary_value,
 * periods, period_length, discount_rate): the discounted value of the
 * purchases expected in the next periods
 */
PG_FUNCTION_INFO_V1(predicted_clv);
Datum
predicted_clv(PG_FUNCTION_ARGS)
{
	const ClvModel *bgnbd;
	const ClvModel *gg;
	double		x,
				t_x,
				T,
				spend,
				length,
				rate,
				clv = 0.0,
				before = 0.0,
				discount = 1.0;
	int32		periods;

	for (int i = 0; i < 9; i++)
		if (PG_ARGISNULL(i) && i != 5)
			PG_RETURN_NULL();
	x = PG_GETARG_FLOAT8(2);
	if (PG_ARGISNULL(5) && x != 0.0)
		PG_RETURN_NULL();
	bgnbd = clv_model_arg(fcinfo, 0, &clv_bgnbd_kind);
	gg = clv_model_arg(fcinfo, 1, &clv_gamma_gamma_kind);
	t_x = PG_GETARG_FLOAT8(3);
	T = PG_GETARG_FLOAT8(4);
	periods = PG_GETARG_INT32(6);
	length = PG_GETARG_FLOAT8(7);
	rate = PG_GETARG_FLOAT8(8);
	clv_check_rfm(x, t_x, T);
	if (periods < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of periods must be zero or more")));
	if (!(length > 0.0) || !isfinite(length))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period length must be a finite number above zero")));
	if (!(rate >= 0.0) || !isfinite(rate))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount rate must be a finite number, zero or more")));
	if (bgnbd->params[2] == 1.0 || bgnbd->params[2] + bgnbd->params[3] == 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("expected purchases are not defined for a = 1 or a + b = 1")));
	spend = expected_spend(gg, x, PG_ARGISNULL(5) ? 0.0 : PG_GETARG_FLOAT8(5));
	for (int32 s = 1; s <= periods; s++)
	{
		double		upto = bgnbd_conditional_expectation(bgnbd->params, s * length, x, t_x, T);

		discount /= 1.0 + rate;
		clv += spend * (upto - before) * discount;
		before = upto;
	}
	PG_RETURN_FLOAT8(clv);
}
