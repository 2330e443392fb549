/*-------------------------------------------------------------------------
 *
 * specfun.h
 *	  Special functions of the customer-lifetime-value models: digamma,
 *	  log Beta and the Gauss hypergeometric function 2F1 (specfun.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_SPECFUN_H
#define CSMETRICS_SPECFUN_H

/* Most terms csm_hyp2f1 sums before it gives up (about z = 1 - 3.6e-5) */
#define CSM_HYP2F1_MAX_TERMS	1000000

/* psi(x) = d/dx log Gamma(x), for x > 0 */
extern double csm_digamma(double x);

/* log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b), a, b > 0 */
extern double csm_lbeta(double a, double b);

/*
 * 2F1(a, b; c; z) for 0 <= z < 1 by its power series; c must not be zero
 * or a negative integer.  Raises 22003 when the series needs more than
 * CSM_HYP2F1_MAX_TERMS terms (z too close to 1) or overflows.
 */
extern double csm_hyp2f1(double a, double b, double c, double z);

#endif							/* CSMETRICS_SPECFUN_H */
