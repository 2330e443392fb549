/*-------------------------------------------------------------------------
 *
 * optimize.c
 *	  A small quasi-Newton minimiser over positive parameters, and the
 *	  observed-information standard errors at its minimum.  Shared by the
 *	  maximum-likelihood fits of BG/NBD, Gamma-Gamma and the shifted-beta-
 *	  geometric model (clv_fit.c); nothing here knows about any model.
 *
 * Method.  Every parameter of these models is positive, so the search runs
 * over phi = log(theta), where it is unconstrained: BFGS (Nocedal and
 * Wright, Numerical Optimization, algorithm 6.1) on the inverse Hessian,
 * started from the identity and rescaled by s'y / y'y after the first
 * step, with the analytic gradient the model supplies, times theta (the
 * chain rule for phi).  Each step searches backwards along the quasi-Newton
 * direction for the Armijo condition f(phi + t p) <= f(phi) + 1e-4 t g'p,
 * starting from t = 1 or from a step of at most 2 in every log-parameter
 * (a factor of e^2), halving up to 60 times; a point where f is not finite
 * counts as a failed trial.  After a failed trial, the halving stops once
 * the decrease the step promises, -t g'p, is below 1e-14 * max(1, |f|): a
 * change that small is lost in the rounding of f (a sum over up to
 * millions of cells), so f is flat to rounding there (see below), and
 * halving on only chased rounding noise, for up to 60 evaluations of f.
 * An update whose curvature s'y is not positive is skipped, and a
 * direction that is not downhill restarts from the steepest descent.
 *
 * Convergence.  The fit has converged when every component of the gradient
 * in log-parameters is at most 1e-10 * max(1, |f|) (|f| is the negative
 * log-likelihood, a sum over customers, so the test scales with the data);
 * near the optimum a Newton step is then below about 1e-7 of every
 * parameter for the CDNOW fit.  A search that can no longer decrease f
 * (f is flat to rounding) has converged if the gradient is within 1e-7 *
 * max(1, |f|), and not otherwise.  The search also stops, not converged,
 * after CSM_OPTIMIZE_MAX_ITERATIONS steps or when a log-parameter passes
 * +-40 (a parameter running off to 0 or infinity: the model does not fit
 * the data).  The caller reports what it got, never pretends.
 *
 * Standard errors.  The observed information is the Hessian of the
 * negative log-likelihood at the estimate, in the natural parameters; it
 * is computed by central differences of the analytic gradient with steps
 * of 1e-5 of each parameter, symmetrised, and inverted through its
 * Cholesky factor.  A Hessian that is not positive definite (a saddle or
 * a flat direction) gives no standard errors.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "utils/float.h"

#include "optimize.h"

#define GRADIENT_TOLERANCE		1e-10
#define STALLED_TOLERANCE		1e-7
#define ARMIJO					1e-4
#define MAX_LOG_STEP			2.0
#define MAX_HALVINGS			60
#define FLAT_TOLERANCE			1e-14
#define MAX_LOG_PARAMETER		40.0
#define HESSIAN_STEP			1e-5

typedef struct LogSpace
{
	CsmObjective f;
	void	   *arg;
	int			n;
} LogSpace;

/* f at theta = exp(phi), and its gradient with respect to phi */
static double
eval_log(const LogSpace *ls, const double *phi, double *gphi)
{
	double		theta[CSM_OPTIMIZE_MAX_PARAMS];
	double		g[CSM_OPTIMIZE_MAX_PARAMS];
	double		value;

	for (int i = 0; i < ls->n; i++)
	{
		theta[i] = exp(phi[i]);
		/* a parameter that underflows to 0 or overflows is off the domain */
		if (!(theta[i] > 0.0) || !isfinite(theta[i]))
			return get_float8_infinity();
	}
	value = ls->f(theta, g, ls->arg);
	if (isnan(value))
		value = get_float8_infinity();
	for (int i = 0; i < ls->n; i++)
	{
		gphi[i] = g[i] * theta[i];
		if (!isfinite(gphi[i]))
			value = get_float8_infinity();
	}
	return value;
}

static double
dot(const double *x, const double *y, int n)
{
	double		sum = 0.0;

	for (int i = 0; i < n; i++)
		sum += x[i] * y[i];
	return sum;
}

/* Is every gradient component within tolerance * max(1, |f|)? */
static bool
gradient_small(const double *g, int n, double f, double tolerance)
{
	double		limit = tolerance * Max(1.0, fabs(f));

	for (int i = 0; i < n; i++)
		if (!(fabs(g[i]) <= limit))
			return false;
	return true;
}

/* The BFGS update of the inverse Hessian h (n x n) by step s and change y */
static void
bfgs_update(double *h, const double *s, const double *y, int n, bool first)
{
	double		sy = dot(s, y, n);
	double		hy[CSM_OPTIMIZE_MAX_PARAMS];
	double		rho,
				yhy;

	if (!(sy > 0.0))
		return;					/* no positive curvature: keep h */
	if (first)
	{
		double		scale = sy / dot(y, y, n);

		for (int i = 0; i < n * n; i++)
			h[i] *= scale;
	}
	rho = 1.0 / sy;
	if (!isfinite(rho))
		return;
	for (int i = 0; i < n; i++)
	{
		hy[i] = 0.0;
		for (int j = 0; j < n; j++)
			hy[i] += h[i * n + j] * y[j];
	}
	yhy = dot(y, hy, n);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			h[i * n + j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) +
				(rho * rho * yhy + rho) * s[i] * s[j];
}

static void
set_identity(double *h, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			h[i * n + j] = (i == j) ? 1.0 : 0.0;
}

/* Minimise f over theta > 0, from theta */
void
csm_optimize_minimize(CsmObjective f, void *arg, int n, double *theta,
					  CsmOptimizeResult *result)
{
	LogSpace	ls = {f, arg, n};
	double		phi[CSM_OPTIMIZE_MAX_PARAMS] = {0},
				g[CSM_OPTIMIZE_MAX_PARAMS] = {0};
	double		h[CSM_OPTIMIZE_MAX_PARAMS * CSM_OPTIMIZE_MAX_PARAMS];
	double		value;
	bool		first = true;
	bool		stalled = false;
	int			iter;

	Assert(n > 0 && n <= CSM_OPTIMIZE_MAX_PARAMS);
	for (int i = 0; i < n; i++)
		phi[i] = log(theta[i]);
	value = eval_log(&ls, phi, g);
	set_identity(h, n);
	for (iter = 0; iter < CSM_OPTIMIZE_MAX_ITERATIONS && isfinite(value); iter++)
	{
		double		p[CSM_OPTIMIZE_MAX_PARAMS],
					trial[CSM_OPTIMIZE_MAX_PARAMS],
					gtrial[CSM_OPTIMIZE_MAX_PARAMS],
					s[CSM_OPTIMIZE_MAX_PARAMS],
					y[CSM_OPTIMIZE_MAX_PARAMS];
		double		slope,
					largest = 0.0,
					step = 1.0,
					tvalue = 0.0;
		bool		accepted = false;
		bool		diverging = false;

		if (gradient_small(g, n, value, GRADIENT_TOLERANCE))
			break;

		/* the quasi-Newton direction, or steepest descent if not downhill */
		for (int i = 0; i < n; i++)
		{
			p[i] = 0.0;
			for (int j = 0; j < n; j++)
				p[i] -= h[i * n + j] * g[j];
		}
		slope = dot(g, p, n);
		if (!(slope < 0.0) || !isfinite(slope))
		{
			set_identity(h, n);
			first = true;
			for (int i = 0; i < n; i++)
				p[i] = -g[i];
			slope = -dot(g, g, n);
		}
		for (int i = 0; i < n; i++)
			largest = Max(largest, fabs(p[i]));
		if (largest > MAX_LOG_STEP)
			step = MAX_LOG_STEP / largest;

		/* backtracking to the Armijo condition */
		for (int k = 0; k < MAX_HALVINGS; k++, step *= 0.5)
		{
			/* after a failed trial, a decrease this small is lost in rounding */
			if (k > 0 && -step * slope < FLAT_TOLERANCE * Max(1.0, fabs(value)))
				break;
			for (int i = 0; i < n; i++)
				trial[i] = phi[i] + step * p[i];
			tvalue = eval_log(&ls, trial, gtrial);
			if (isfinite(tvalue) && tvalue <= value + ARMIJO * step * slope)
			{
				accepted = true;
				break;
			}
		}
		if (!accepted || !(tvalue < value))
		{
			stalled = true;
			break;
		}

		for (int i = 0; i < n; i++)
		{
			s[i] = trial[i] - phi[i];
			y[i] = gtrial[i] - g[i];
			phi[i] = trial[i];
			g[i] = gtrial[i];
			if (fabs(phi[i]) > MAX_LOG_PARAMETER)
				diverging = true;
		}
		value = tvalue;
		bfgs_update(h, s, y, n, first);
		first = false;
		if (diverging)
		{
			iter++;
			break;
		}
	}

	for (int i = 0; i < n; i++)
		theta[i] = exp(phi[i]);
	result->value = value;
	result->iterations = iter;
	result->converged = isfinite(value) &&
		(gradient_small(g, n, value, GRADIENT_TOLERANCE) ||
		 (stalled && gradient_small(g, n, value, STALLED_TOLERANCE)));
	for (int i = 0; i < n; i++)
		if (fabs(phi[i]) > MAX_LOG_PARAMETER)
			result->converged = false;
}

/* Cholesky factor of the symmetric a (n x n) into l; false if not positive definite */
static bool
cholesky(const double *a, double *l, int n)
{
	for (int i = 0; i < n * n; i++)
		l[i] = 0.0;
	for (int j = 0; j < n; j++)
	{
		double		d = a[j * n + j];

		for (int k = 0; k < j; k++)
			d -= l[j * n + k] * l[j * n + k];
		if (!(d > 0.0) || !isfinite(d))
			return false;
		l[j * n + j] = sqrt(d);
		for (int i = j + 1; i < n; i++)
		{
			double		v = a[i * n + j];

			for (int k = 0; k < j; k++)
				v -= l[i * n + k] * l[j * n + k];
			l[i * n + j] = v / l[j * n + j];
		}
	}
	return true;
}

/* Standard errors from the inverse of the numerical Hessian at theta */
bool
csm_optimize_stderrs(CsmObjective f, void *arg, int n, const double *theta,
					 double *stderrs)
{
	double		hess[CSM_OPTIMIZE_MAX_PARAMS * CSM_OPTIMIZE_MAX_PARAMS];
	double		l[CSM_OPTIMIZE_MAX_PARAMS * CSM_OPTIMIZE_MAX_PARAMS];
	double		result[CSM_OPTIMIZE_MAX_PARAMS];

	Assert(n > 0 && n <= CSM_OPTIMIZE_MAX_PARAMS);
	for (int j = 0; j < n; j++)
	{
		double		plus[CSM_OPTIMIZE_MAX_PARAMS],
					minus[CSM_OPTIMIZE_MAX_PARAMS],
					gplus[CSM_OPTIMIZE_MAX_PARAMS],
					gminus[CSM_OPTIMIZE_MAX_PARAMS];
		double		h = HESSIAN_STEP * theta[j];

		memcpy(plus, theta, n * sizeof(double));
		memcpy(minus, theta, n * sizeof(double));
		plus[j] += h;
		minus[j] -= h;
		if (!isfinite(f(plus, gplus, arg)) || !isfinite(f(minus, gminus, arg)))
			return false;
		for (int i = 0; i < n; i++)
			hess[i * n + j] = (gplus[i] - gminus[i]) / (2.0 * h);
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			hess[i * n + j] = hess[j * n + i] = 0.5 * (hess[i * n + j] + hess[j * n + i]);
	if (!cholesky(hess, l, n))
		return false;

	/* (L L')^-1 e_i, i-th component: solve L y = e_i, then L' x = y */
	for (int i = 0; i < n; i++)
	{
		double		y[CSM_OPTIMIZE_MAX_PARAMS],
					x[CSM_OPTIMIZE_MAX_PARAMS];

		for (int r = 0; r < n; r++)
		{
			double		v = (r == i) ? 1.0 : 0.0;

			for (int k = 0; k < r; k++)
				v -= l[r * n + k] * y[k];
			y[r] = v / l[r * n + r];
		}
		for (int r = n - 1; r >= 0; r--)
		{
			double		v = y[r];

			for (int k = r + 1; k < n; k++)
				v -= l[k * n + r] * x[k];
			x[r] = v / l[r * n + r];
		}
		if (!(x[i] > 0.0) || !isfinite(x[i]))
			return false;
		result[i] = sqrt(x[i]);
	}
	memcpy(stderrs, result, n * sizeof(double));
	return true;
}
