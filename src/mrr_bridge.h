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

#endif							/* CSM_MRR_BRIDGE_H */
