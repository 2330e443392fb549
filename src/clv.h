/*-------------------------------------------------------------------------
 *
 * clv.h
 *	  The predictive customer-lifetime-value models (BG/NBD, Gamma-Gamma,
 *	  shifted-beta-geometric): what the fit (clv_fit.c) shares with the
 *	  model files (bgnbd.c, gamma_gamma.c, sbg.c).
 *
 * A fit aggregate's state is a clv_fit_state: the distinct data cells of
 * one model (up to three float8 keys, such as a customer's (x, t_x, T))
 * with the number of customers in each, sorted by key.  Its final function
 * maximises the model's log-likelihood over the cells (optimize.c) and
 * returns a model value: the parameters, their standard errors, the
 * log-likelihood, the number of customers, the iterations and whether the
 * fit converged.  The three model types share one layout (ClvModel) with a
 * kind byte.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_CLV_H
#define CSMETRICS_CLV_H

#include "postgres.h"

#include "fmgr.h"

#include "optimize.h"

typedef enum ClvKind
{
	CLV_BGNBD = 1,
	CLV_GAMMA_GAMMA = 2,
	CLV_SBG = 3
} ClvKind;

#define CLV_KIND_COUNT	3
#define CLV_MAX_KEYS	3

/* One distinct data cell: its keys and the customers who have them */
typedef struct ClvCell
{
	float8		key[CLV_MAX_KEYS];	/* unused keys are 0 */
	int64		count;
} ClvCell;

/* What a fit gives its objective: the cells, sorted by key */
typedef struct ClvData
{
	const ClvCell *cells;
	int32		ncells;
	int64		customers;
	void	   *prepared;		/* what the model's prepare made of the cells */
} ClvData;

/* What clv_fit.c knows of a model */
typedef struct ClvModelKind
{
	ClvKind		kind;
	const char *name;			/* the fit state's text prefix */
	const char *typname;		/* the model's SQL type */
	int			nkeys;
	int			nparams;
	const char *const *params;	/* parameter names, as the accessors */

	/* NULL if the keys are a possible cell, else what is wrong (a sentence) */
	const char *(*cell_problem) (const float8 *key);
	/* NULL, or read the cells into data->prepared for the objective */
	void		(*prepare) (ClvData *data);
	/* a starting point for the search */
	void		(*start) (const ClvData *data, double *theta);
	/* the negative log-likelihood and its gradient; arg is a ClvData */
	CsmObjective objective;
} ClvModelKind;

extern const ClvModelKind clv_bgnbd_kind;
extern const ClvModelKind clv_gamma_gamma_kind;
extern const ClvModelKind clv_sbg_kind;

/* A fitted model: the stored form of bgnbd_model, gamma_gamma_model and sbg_model */
typedef struct ClvModel
{
	int32		vl_len_;
	uint8		version;		/* CLV_MODEL_VERSION */
	uint8		kind;			/* ClvKind */
	uint8		flags;			/* CLV_MODEL_* */
	uint8		nparams;
	int32		iterations;
	int32		unused;			/* reserved, always 0 */
	int64		customers;
	float8		log_likelihood;
	float8		params[CSM_OPTIMIZE_MAX_PARAMS];	/* unused ones are 0 */
	float8		stderrs[CSM_OPTIMIZE_MAX_PARAMS];	/* 0 without CLV_MODEL_STDERRS */
} ClvModel;

#define CLV_MODEL_VERSION	1
#define CLV_MODEL_CONVERGED	0x01
#define CLV_MODEL_STDERRS	0x02

/* The model argument n, validated as a model of kind */
extern const ClvModel *clv_model_arg(FunctionCallInfo fcinfo, int n, const ClvModelKind *kind);

/* The BG/NBD expectation E[Y(t) | x, t_x, T] (bgnbd.c), for the CLV */
extern double bgnbd_conditional_expectation(const double *theta, double t,
											double x, double t_x, double T);

/* Check a customer's (frequency, recency, age) given to a prediction */
extern void clv_check_rfm(double x, double t_x, double T);

#endif							/* CSMETRICS_CLV_H */
