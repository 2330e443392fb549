/*-------------------------------------------------------------------------
 *
 * optimize.h
 *	  A small quasi-Newton minimiser over positive parameters and the
 *	  observed-information standard errors at its minimum (optimize.c),
 *	  shared by the maximum-likelihood fits of the CLV models.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_OPTIMIZE_H
#define CSMETRICS_OPTIMIZE_H

/* Most parameters a model may have */
#define CSM_OPTIMIZE_MAX_PARAMS	4

/* Iteration limit of csm_optimize_minimize */
#define CSM_OPTIMIZE_MAX_ITERATIONS	500

/*
 * The function to minimise, at the positive parameters theta[0..n-1]:
 * returns its value (+infinity or NaN where it is not defined) and, when
 * grad is not NULL, stores its gradient with respect to theta there.
 */
typedef double (*CsmObjective) (const double *theta, double *grad, void *arg);

typedef struct CsmOptimizeResult
{
	double		value;			/* the function at the parameters returned */
	int			iterations;		/* quasi-Newton steps taken */
	bool		converged;		/* the gradient test was met */
} CsmOptimizeResult;

/*
 * Minimise f over theta > 0 from the starting point in theta, which is
 * replaced by the best point found.  See optimize.c for the method and the
 * convergence test.
 */
extern void csm_optimize_minimize(CsmObjective f, void *arg, int n, double *theta,
								  CsmOptimizeResult *result);

/*
 * Standard errors at a minimum theta of f (a negative log-likelihood): the
 * square roots of the diagonal of the inverse of the Hessian, computed by
 * central differences of the gradient.  false, with stderrs untouched,
 * when the Hessian is not positive definite.
 */
extern bool csm_optimize_stderrs(CsmObjective f, void *arg, int n, const double *theta,
								 double *stderrs);

#endif							/* CSMETRICS_OPTIMIZE_H */
