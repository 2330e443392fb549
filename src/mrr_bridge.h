/*-------------------------------------------------------------------------
 *
 * mrr_bridge.h
 *	  The mrr_bridge summary as other families build it (mrr_bridge.c).
 *
 * The layout stays private to mrr_bridge.c: callers hold an opaque
 * pointer, add customers one at a time as fixed-point amounts (money.h)
 * and merge summaries, so the layout can gain a version without touching
 * them.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSM_MRR_BRIDGE_H
#define CSM_MRR_BRIDGE_H

#include "fmgr.h"

typedef struct MrrBridge MrrBridge;

/* An empty summary (a varlena value) in the current memory context */
extern MrrBridge *mrr_bridge_new(void);

/*
 * Add one customer whose MRR went from previous to current, both in units
 * of 10^-scale and not negative, classified by the mrr_movement rules;
 * paid_before says whether the customer had MRR before previous.
 */
extern void mrr_bridge_add_customer(MrrBridge *b, int128 previous,
									int128 current, int scale,
									bool paid_before);

/* Add the customers of other into state */
extern void mrr_bridge_merge(MrrBridge *state, const MrrBridge *other);

/*
 * The ratio estimator of NRR or GRR over the customers present at the
 * start (mrr_bridge.c keeps the exact sums it needs): n customers, the
 * ratio R = sum Y / sum S (Y = E, the ending MRR, for NRR; Y = min(S, E)
 * for GRR) and residual = sum (Y_i - R S_i)^2 / (sum S)^2.
 */
typedef struct MrrRetentionMoments
{
	int64		n;
	long double ratio;
	long double residual;
} MrrRetentionMoments;

/*
 * The moments of NRR (gross false) or GRR (gross true) of a bridge datum,
 * validated (22P03); false when its sums are unknown or no customer had
 * MRR at the start
 */
extern bool mrr_bridge_retention_moments(Datum bridge, bool gross,
										 MrrRetentionMoments *m);

/*
 * The SQL accessors, for families that report a bridge's figures (the
 * ledger's movement rows, the named rates) without knowing its layout
 */
extern PGDLLEXPORT Datum mrr_bridge_starting_mrr(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum mrr_bridge_new_mrr(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum mrr_bridge_expansion_mrr(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum mrr_bridge_reactivation_mrr(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum mrr_bridge_contraction_mrr(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum mrr_bridge_churned_mrr(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum mrr_bridge_ending_mrr(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum mrr_bridge_customers_at_start(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum mrr_bridge_new_customers(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum mrr_bridge_churned_customers(PG_FUNCTION_ARGS);
extern PGDLLEXPORT Datum mrr_bridge_customers_at_end(PG_FUNCTION_ARGS);

#endif							/* CSM_MRR_BRIDGE_H */
