/*-------------------------------------------------------------------------
 *
 * specfun.c
 *	  Special functions of the customer-lifetime-value models: digamma,
 *	  log Beta and the Gauss hypergeometric function 2F1.
 *
 * Digamma.  psi(x) = psi(x + 1) - 1/x moves x up to at least 10, where the
 * asymptotic series
 *
 *		psi(x) ~ log x - 1/(2x) - sum_k B_2k / (2k x^2k)
 *			   = log x - 1/(2x) - 1/(12x^2) + 1/(120x^4) - 1/(252x^6)
 *				 + 1/(240x^8) - 1/(132x^10) + 691/(32760x^12) - 1/(12x^14)
 *
 * is cut after the x^-14 term: the first term left out, 3617/(8160 x^16),
 * is below 5e-17 at x = 10.
 *
 * 2F1.  The Gauss hypergeometric function
 *
 *		2F1(a, b; c; z) = sum_n (a)_n (b)_n / ((c)_n n!) z^n
 *
 * is summed term by term, each term from the last by the ratio
 * rho_n = (a + n)(b + n) z / ((c + n)(n + 1)).  The formulas that use it
 * (BG/NBD expectations, sBG lifetimes) only reach 0 <= z < 1 with a, b
 * and c positive, where every term is positive, so the sum has no
 * cancellation; c may also be negative (not an integer), and then the
 * first terms may alternate.  Once a + n, b + n and c + n are positive,
 * rho_n moves monotonically towards z, so every later ratio is at most
 * q = max(rho_n, z) and the tail after a term is below term * q / (1 - q);
 * summing stops when that bound is below 1e-17 of the sum.  The number of terms is about
 * log(1e-17) / log(z) (3,900 at z = 0.99, 39,000 at z = 0.999); past
 * CSM_HYP2F1_MAX_TERMS the function raises an error rather than return a
 * truncated sum.  In the BG/NBD, z = t / (alpha + t): the series is slow
 * only for horizons t thousands of times alpha.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "specfun.h"

/* psi(x) for x > 0 */
double
csm_digamma(double x)
{
	double		result = 0.0;
	double		inv2;

	Assert(x > 0.0);
	while (x < 10.0)
	{
		result -= 1.0 / x;
		x += 1.0;
	}
	inv2 = 1.0 / (x * x);
	result += log(x) - 0.5 / x -
		inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 -
		inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 / 12.0))))));
	return result;
}

/* log B(a, b) */
double
csm_lbeta(double a, double b)
{
	return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/* 2F1(a, b; c; z) for 0 <= z < 1 by its power series, and at z = 1 */
double
csm_hyp2f1(double a, double b, double c, double z)
{
	double		sum = 1.0;
	double		term = 1.0;

	if (!(z >= 0.0 && z <= 1.0) || (c <= 0.0 && c == floor(c)))
		elog(ERROR, "csmetrics: 2F1 called with z = %g, c = %g", z, c);

	/*
	 * z rounds to 1 for a horizon far beyond the scale (t / (alpha + t)) or
	 * a discount rate below 1e-16 (1 / (1 + d)): Gauss's theorem gives the
	 * sum there, Gamma(c) Gamma(c - a - b) / (Gamma(c - a) Gamma(c - b)),
	 * when c > a + b (the callers' a, b and c are positive); otherwise the
	 * series diverges.
	 */
	if (z == 1.0)
	{
		if (c - a - b > 0.0 && c - a > 0.0 && c - b > 0.0)
			return exp(lgamma(c) + lgamma(c - a - b) - lgamma(c - a) - lgamma(c - b));
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("hypergeometric series does not converge for z = 1"),
				 errdetail("2F1(%g, %g; %g; 1) is infinite: c is not above a + b.", a, b, c),
				 errhint("Predict over a shorter horizon, or discount.")));
	}
	for (int n = 0; n < CSM_HYP2F1_MAX_TERMS; n++)
	{
		double		rho = (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
		double		q;

		term *= rho;
		sum += term;
		if (!isfinite(sum))
			break;

		/*
		 * Once a + n, b + n and c + n are positive the ratios move
		 * monotonically towards z, so every later ratio is at most q =
		 * max(rho, z) and the tail at most term * q / (1 - q).
		 */
		q = Max(fabs(rho), z);
		if (q < 1.0 && (a + n) >= 0.0 && (b + n) >= 0.0 && (c + n) > 0.0 &&
			fabs(term) * q <= 1e-17 * fabs(sum) * (1.0 - q))
			return sum;
		if (term == 0.0)
			return sum;
	}
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("hypergeometric series does not converge for z = %g", z),
			 errdetail("2F1(%g, %g; %g; z) needs more than %d terms or overflows.",
					   a, b, c, CSM_HYP2F1_MAX_TERMS),
			 errhint("Predict over a shorter horizon.")));
	return 0.0;					/* keep the compiler quiet */
}
