/*-------------------------------------------------------------------------
 *
 * mrr.h
 *	  The monthly_amount() normalisation of mrr.c for other families (the
 *	  subscription ledger), in fixed point (money.h).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSM_MRR_H
#define CSM_MRR_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "utils/numeric.h"

/*
 * The monthly amount of a recurring charge, exactly the value that
 * monthly_amount(amount, period) returns, in units of 10^-*scale where
 * *scale is that value's display scale.  Raises 22023 for a billing period
 * that cannot be normalised or an amount that is not finite; false when the
 * value has more than CSM_FIXED_DIGITS digits.
 */
extern bool csm_monthly_amount_fixed(Datum amount, const Interval *period,
									 int128 *units, int *scale);

/*
 * The monthly (annual false) or annual amount of a charge, exactly what
 * monthly_amount() or annual_amount() returns: true with the value in
 * units of 10^-*scale (*scale its display scale) when it has at most
 * CSM_FIXED_DIGITS digits, false with the value in *numeric otherwise.
 * Raises 22023 as monthly_amount() does.
 */
extern bool csm_recurring_amount(Datum amount, const Interval *period, bool annual,
								 int128 *units, int *scale, Numeric *numeric);

#endif							/* CSM_MRR_H */
