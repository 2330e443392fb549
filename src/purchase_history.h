/*-------------------------------------------------------------------------
 *
 * purchase_history.h
 *	  What the CLV fits read from a purchase_history (purchase_history.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_PURCHASE_HISTORY_H
#define CSMETRICS_PURCHASE_HISTORY_H

#include "postgres.h"

/*
 * The frequency (repeat purchase periods), recency and age (in time units)
 * of a purchase_history datum, validated.
 */
extern void purchase_history_rfm(Datum history, double *frequency,
								 double *recency, double *age);

#endif							/* CSMETRICS_PURCHASE_HISTORY_H */
