/*-------------------------------------------------------------------------
 *
 * mrr_bridge.c
 *	  MRR movements: the classification of one customer-month,
 *	  mrr_movement(), and the mrr_bridge summary that adds them up (the
 *	  "MRR bridge" or "MRR waterfall"), with its text and binary forms,
 *	  aggregate support, accessors and rates.
 *
 * One row per customer and month gives the previous month's MRR p, this
 * month's MRR c (NULL counts as 0, as lag() gives for a first month) and
 * whether the customer ever paid before this month:
 *
 *		p = 0, c = 0			inactive
 *		p = 0, c > 0			new (never paid before) or reactivation
 *		p > 0, c = 0			churn			(churned MRR p)
 *		p > 0, c > p			expansion		(expansion MRR c - p)
 *		p > 0, 0 < c < p		contraction		(contraction MRR p - c)
 *		p > 0, c = p			unchanged
 *
 * The summary keeps, exactly, the starting MRR (sum of p), the MRR of each
 * movement as a positive amount and the number of customers of each
 * kind.  The ending MRR is derived from them, so
 *
 *		ending = starting + new + expansion + reactivation
 *				 - contraction - churned
 *
 * holds by construction, and equals the sum of c (every row contributes
 * c - p to the right-hand side).
 *
 * Amounts are fixed-point (money.h): int128 units of 10^-scale, where the
 * scale of a summary is the largest scale of the MRR values it has seen
 * (at most MRR_BRIDGE_MAX_SCALE).  The summary is its aggregates' state:
 * a transition decodes two numerics without copying them and updates the
 * summary in place, with no allocation per row.
 *
 * Sums for the intervals of NRR and GRR (version 2).  Over the customers
 * present at the start (p > 0), with S = p, E = c and G = min(S, E) (what
 * the customer kept without expansion), the summary keeps the exact sums
 *
 *		sum_s2 = sum S^2, sum_e2 = sum E^2, sum_se = sum S E,
 *		sum_g2 = sum G^2, sum_sg = sum S G
 *
 * as unsigned 256-bit integers (wideint.h) in units of 10^-(2 scale): an
 * amount is below 10^38 < 2^127, so each product is below 2^254.  The sums
 * of S, E and G are the starting MRR, starting + expansion - contraction -
 * churned, and starting - contraction - churned.  A flag says whether the
 * sums are known.  They are not for a summary stored by csmetrics 1.0
 * (version 1, which has no sums), for one written in the 1.0 text form,
 * for anything merged with such a summary, and for a sum that would
 * overflow 256 bits; the interval functions (mrr_bridge_interval.c) then
 * return NULL.  No sum can overflow while the amounts fit, which the
 * summary enforces: sum S^2 <= (sum S)^2 < 10^76, and sum E^2 <= (sum E)^2
 * with sum E = kept + expansion < 2 10^38, so below 4 10^76 < 2^256 (G
 * and the products S E, S G likewise); the overflow checks are a defence.  Known sums are
 * checked for consistency (mrr_bridge_check): each is zero exactly when
 * no customer was present at the start, 0 <= G <= S and G <= E order
 * them, and the residual sums of the two ratio estimators are not
 * negative (see mrr_bridge_retention_moments).
 *
 * Layouts.  Version 1 (csmetrics 1.0, 160 bytes) is the header, the counts
 * and the amounts; version 2 (320 bytes) adds the flags bit
 * MRR_BRIDGE_SUMS and the five sums as host-order limbs.  Values stored by
 * 1.0 stay on disk as they are (pg_upgrade copies them): every function
 * reads them through mrr_bridge_check, which turns them into a version-2
 * copy with unknown sums.  Every summary built now is version 2.
 *
 * Text form (keys in this order, white space allowed around every token):
 *	  {starting_mrr=1000.00, new_mrr=150.00, expansion_mrr=20.00,
 *	   reactivation_mrr=0.00, contraction_mrr=5.00, churned_mrr=100.00,
 *	   new=3, expansion=2, reactivation=0, contraction=1, churn=1,
 *	   unchanged=7, inactive=4, sum_s2=..., sum_e2=..., sum_se=...,
 *	   sum_g2=..., sum_sg=...}
 * The sums are non-negative decimal numbers printed with 2 scale decimals;
 * a summary whose sums are unknown prints without them, which is exactly
 * the text form of 1.0, and text without them reads as unknown sums.
 * Sums written with more decimals than 2 scale raise the summary's scale
 * to match.
 *
 * Binary form, version 1 (sums unknown, exactly 1.0's form): version byte
 * (1), flags byte (0), the seven int64 counts in the order above, then the
 * six amounts each as an int32 length and numeric's own binary form, all
 * with the summary's scale.  Version 2 (sums known): version byte (2),
 * flags byte (0), the same counts and amounts, then the five sums in the
 * order above, each 32 bytes, a big-endian unsigned integer in units of
 * 10^-(2 scale), scale being the largest display scale of the amounts.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "csm_io.h"
#include "csmetrics.h"
#include "money.h"
#include "mrr_bridge.h"
#include "wideint.h"

/* Movement kinds, in the order of the labels of the mrr_movement_kind enum */
typedef enum MrrKind
{
	MRR_NEW = 0,
	MRR_EXPANSION,
	MRR_REACTIVATION,
	MRR_CONTRACTION,
	MRR_CHURN,
	MRR_UNCHANGED,
	MRR_INACTIVE
} MrrKind;

#define MRR_KIND_COUNT	7

static const char *const mrr_kind_labels[MRR_KIND_COUNT] = {
	"new", "expansion", "reactivation", "contraction", "churn",
	"unchanged", "inactive"
};

/*
 * Amounts: the starting MRR, then the MRR of each moving kind, so that the
 * amount of kind k (new .. churn) is amounts[1 + k].
 */
#define AMT_STARTING	0
#define AMT_OF(kind)	(1 + (kind))
#define MRR_AMOUNT_COUNT 6

static const char *const mrr_amount_keys[MRR_AMOUNT_COUNT] = {
	"starting_mrr", "new_mrr", "expansion_mrr", "reactivation_mrr",
	"contraction_mrr", "churned_mrr"
};

/* Most decimal places an MRR value may have */
#define MRR_BRIDGE_MAX_SCALE 20

/* The layout of csmetrics 1.0 (no sums), and the layout of summaries built now */
#define MRR_BRIDGE_VERSION_1 1
#define MRR_BRIDGE_VERSION 2

/* Flags of version 2: the sums are known */
#define MRR_BRIDGE_SUMS 0x01

/* The sums of products over the customers present at the start */
enum
{
	SUM_SS = 0,					/* S^2 */
	SUM_EE,						/* E^2 */
	SUM_SE,						/* S E */
	SUM_GG,						/* G^2, G = min(S, E) */
	SUM_SG,						/* S G */
	MRR_SUM_COUNT
};

static const char *const mrr_sum_keys[MRR_SUM_COUNT] = {
	"sum_s2", "sum_e2", "sum_se", "sum_g2", "sum_sg"
};

/*
 * On-disk and in-memory layout of mrr_bridge: fixed size, stored plain.
 * pg_upgrade copies stored values byte for byte, so a layout is forever:
 * version 1 is this struct up to sums (what csmetrics 1.0 stored), version
 * 2 all of it.
 */
struct MrrBridge
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* MRR_BRIDGE_VERSION (or _1 on disk) */
	uint8		flags;			/* MRR_BRIDGE_SUMS or 0 (always 0 in version 1) */
	uint16		scale;			/* decimal places of every amount */
	int64		counts[MRR_KIND_COUNT]; /* customers of each kind */
	int128		amounts[MRR_AMOUNT_COUNT];	/* units of 10^-scale, >= 0 */
	CsmU256		sums[MRR_SUM_COUNT];	/* units of 10^-(2 scale); 0 unless known */
};

/* The size of a version-1 value */
#define MRR_BRIDGE_V1_SIZE offsetof(MrrBridge, sums)
StaticAssertDecl(offsetof(MrrBridge, sums) == 160,
				 "the version-1 layout of mrr_bridge is 160 bytes");
StaticAssertDecl(sizeof(MrrBridge) == 320,
				 "the version-2 layout of mrr_bridge is 320 bytes");

#define PG_GETARG_MRR_BRIDGE_P(n) \
	mrr_bridge_check((MrrBridge *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)), \
					 ERRCODE_INVALID_BINARY_REPRESENTATION)

/* Allocate an empty summary in the current memory context */
MrrBridge *
mrr_bridge_new(void)
{
	MrrBridge  *bridge = palloc0(sizeof(MrrBridge));

	SET_VARSIZE(bridge, sizeof(MrrBridge));
	bridge->version = MRR_BRIDGE_VERSION;
	bridge->flags = MRR_BRIDGE_SUMS;	/* no customers: every sum is 0 */
	return bridge;
}

/* true when the sums are known */
static inline bool
sums_known(const MrrBridge *b)
{
	return (b->flags & MRR_BRIDGE_SUMS) != 0;
}

/* Mark the sums unknown; they are then kept as zeros */
static void
sums_forget(MrrBridge *b)
{
	b->flags &= ~MRR_BRIDGE_SUMS;
	memset(b->sums, 0, sizeof(b->sums));
}

/* Report an inconsistent summary with the given SQLSTATE */
static void
mrr_bridge_invalid(int sqlstate, const char *detail)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("invalid mrr_bridge value"),
			 errdetail("%s", detail)));
}

/* Customers with MRR in the previous month */
static int64
customers_at_start(const MrrBridge *b)
{
	int64		n = b->counts[MRR_EXPANSION];

	n = csm_count_add(n, b->counts[MRR_CONTRACTION]);
	n = csm_count_add(n, b->counts[MRR_CHURN]);
	return csm_count_add(n, b->counts[MRR_UNCHANGED]);
}

/* Customers with MRR in the current month */
static int64
customers_at_end(const MrrBridge *b)
{
	int64		n = b->counts[MRR_NEW];

	n = csm_count_add(n, b->counts[MRR_EXPANSION]);
	n = csm_count_add(n, b->counts[MRR_REACTIVATION]);
	n = csm_count_add(n, b->counts[MRR_CONTRACTION]);
	return csm_count_add(n, b->counts[MRR_UNCHANGED]);
}

/*
 * The residual sum of squares of a ratio estimator, scaled by its
 * denominator squared, exactly: with t = sum x, u = sum y and the sums of
 * products sxx, syy, sxy over the same units,
 *
 *		d = t^2 syy - 2 t u sxy + u^2 sxx = sum (t y_i - u x_i)^2
 *		  = t^2 sum (y_i - R x_i)^2,		R = u / t
 *
 * which is never negative for sums of real units.  Each product of a
 * squared total (< 2^254) and a sum (< 2^256) has at most 510 bits, so d
 * fits in 9 limbs.  Returns false, leaving d undefined, when the sums make
 * d negative (sums no set of units can have).
 */
static bool
ratio_residual(uint128 t, uint128 u, const CsmU256 *sxx, const CsmU256 *syy,
			   const CsmU256 *sxy, uint64 d[9])
{
	CsmU256		t2 = csm_u256_mul_u128(t, t);
	CsmU256		u2 = csm_u256_mul_u128(u, u);
	CsmU256		tu = csm_u256_mul_u128(t, u);
	uint64		cross[9];
	uint64		term[8];

	csm_limbs_mul(t2.w, CSM_U256_LIMBS, syy->w, CSM_U256_LIMBS, d);
	d[8] = 0;
	csm_limbs_mul(u2.w, CSM_U256_LIMBS, sxx->w, CSM_U256_LIMBS, term);
	csm_limbs_zero(cross, 9);
	memcpy(cross, term, sizeof(term));
	(void) csm_limbs_add(d, cross, 9);	/* < 2^511: no carry out */
	csm_limbs_mul(tu.w, CSM_U256_LIMBS, sxy->w, CSM_U256_LIMBS, cross);
	cross[8] = 0;
	(void) csm_limbs_mul_small(cross, 9, 2);
	if (csm_limbs_cmp(d, cross, 9) < 0)
		return false;
	(void) csm_limbs_sub(d, cross, 9);
	return true;
}

/* Sum of E over the customers at the start: start - contraction - churned + expansion */
static inline uint128
start_sum_e(const MrrBridge *b)
{
	return (uint128) (b->amounts[AMT_STARTING] - b->amounts[AMT_OF(MRR_CONTRACTION)] -
					  b->amounts[AMT_OF(MRR_CHURN)]) +
		(uint128) b->amounts[AMT_OF(MRR_EXPANSION)];
}

/* Sum of G = min(S, E) over the customers at the start: start - contraction - churned */
static inline uint128
start_sum_g(const MrrBridge *b)
{
	return (uint128) (b->amounts[AMT_STARTING] - b->amounts[AMT_OF(MRR_CONTRACTION)] -
					  b->amounts[AMT_OF(MRR_CHURN)]);
}

/* Known sums, checked against the counts and amounts already checked */
static void
mrr_bridge_check_sums(const MrrBridge *b, int sqlstate)
{
	const CsmU256 *s = b->sums;
	uint128		start = (uint128) b->amounts[AMT_STARTING];
	CsmU256		start2 = csm_u256_mul_u128(start, start);
	uint64		d[9];

	if (customers_at_start(b) == 0)
	{
		for (int i = 0; i < MRR_SUM_COUNT; i++)
			if (!csm_limbs_is_zero(s[i].w, CSM_U256_LIMBS))
				mrr_bridge_invalid(sqlstate, "The sums are not zero, but no customer had MRR at the start.");
		return;
	}
	if (csm_limbs_is_zero(s[SUM_SS].w, CSM_U256_LIMBS) ||
		csm_limbs_cmp(s[SUM_SS].w, start2.w, CSM_U256_LIMBS) > 0)
		mrr_bridge_invalid(sqlstate, "The sum of squared starting MRR must lie between 1 unit and the starting MRR squared.");
	if (csm_limbs_cmp(s[SUM_GG].w, s[SUM_SG].w, CSM_U256_LIMBS) > 0 ||
		csm_limbs_cmp(s[SUM_SG].w, s[SUM_SS].w, CSM_U256_LIMBS) > 0 ||
		csm_limbs_cmp(s[SUM_GG].w, s[SUM_EE].w, CSM_U256_LIMBS) > 0 ||
		csm_limbs_cmp(s[SUM_SG].w, s[SUM_SE].w, CSM_U256_LIMBS) > 0)
		mrr_bridge_invalid(sqlstate, "The sums break sum_g2 <= sum_sg <= sum_s2, sum_g2 <= sum_e2 or sum_sg <= sum_se.");
	if (!ratio_residual(start, start_sum_e(b), &s[SUM_SS], &s[SUM_EE], &s[SUM_SE], d) ||
		!ratio_residual(start, start_sum_g(b), &s[SUM_SS], &s[SUM_GG], &s[SUM_SG], d))
		mrr_bridge_invalid(sqlstate, "The sums are not those of any set of customers: a residual sum of squares would be negative.");
}

/*
 * The one place where a summary's consistency is checked, for text input
 * (22P02), binary input and values reaching a function as an argument
 * (22P03).  Every summary an aggregate builds passes: each moving kind has
 * a positive amount exactly when it has customers, the starting MRR is
 * positive exactly when some customer had MRR, and it covers what those
 * customers lost; known sums are checked by mrr_bridge_check_sums.  A
 * version-1 value (stored by csmetrics 1.0) comes back as a version-2 copy
 * with unknown sums, so callers see one layout.
 */
static MrrBridge *
mrr_bridge_check(MrrBridge *b, int sqlstate)
{
	int64		total = 0;
	int128		lost;

	if (VARSIZE(b) == MRR_BRIDGE_V1_SIZE && b->version == MRR_BRIDGE_VERSION_1 &&
		b->flags == 0 && b->scale <= MRR_BRIDGE_MAX_SCALE)
	{
		MrrBridge  *copy = palloc0(sizeof(MrrBridge));

		memcpy(copy, b, MRR_BRIDGE_V1_SIZE);
		SET_VARSIZE(copy, sizeof(MrrBridge));
		copy->version = MRR_BRIDGE_VERSION;
		b = copy;
	}
	else if (VARSIZE(b) != sizeof(MrrBridge) || b->version != MRR_BRIDGE_VERSION ||
			 (b->flags & ~MRR_BRIDGE_SUMS) != 0 || b->scale > MRR_BRIDGE_MAX_SCALE)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid mrr_bridge value"),
				 errdetail("The value has size %u, version %u, flags %u and scale %u; expected size %zu and version %d, or size %zu and version %d, with flags 0 or %d and a scale of at most %d.",
						   (unsigned) VARSIZE(b), (unsigned) b->version,
						   (unsigned) b->flags, (unsigned) b->scale,
						   (size_t) MRR_BRIDGE_V1_SIZE, MRR_BRIDGE_VERSION_1,
						   sizeof(MrrBridge), MRR_BRIDGE_VERSION, MRR_BRIDGE_SUMS,
						   MRR_BRIDGE_MAX_SCALE)));
	for (int k = 0; k < MRR_KIND_COUNT; k++)
	{
		if (b->counts[k] < 0)
			mrr_bridge_invalid(sqlstate, "A count of customers is negative.");
		total = csm_count_add(total, b->counts[k]);
	}
	for (int i = 0; i < MRR_AMOUNT_COUNT; i++)
		if (b->amounts[i] < 0 || !csm_fixed_in_range(b->amounts[i]))
			mrr_bridge_invalid(sqlstate, "An amount is negative or out of range.");
	for (int k = MRR_NEW; k <= MRR_CHURN; k++)
		if ((b->counts[k] == 0) != (b->amounts[AMT_OF(k)] == 0))
			mrr_bridge_invalid(sqlstate, "A movement has customers but no MRR, or MRR but no customers.");
	if ((customers_at_start(b) == 0) != (b->amounts[AMT_STARTING] == 0))
		mrr_bridge_invalid(sqlstate, "The starting MRR is positive exactly when some customer had MRR at the start.");
	(void) customers_at_end(b);
	lost = b->amounts[AMT_OF(MRR_CONTRACTION)];
	if (lost > b->amounts[AMT_STARTING] ||
		b->amounts[AMT_OF(MRR_CHURN)] > b->amounts[AMT_STARTING] - lost)
		mrr_bridge_invalid(sqlstate, "Contraction and churned MRR together exceed the starting MRR.");
	if (sums_known(b))
		mrr_bridge_check_sums(b, sqlstate);
	else
		for (int i = 0; i < MRR_SUM_COUNT; i++)
			if (!csm_limbs_is_zero(b->sums[i].w, CSM_U256_LIMBS))
				mrr_bridge_invalid(sqlstate, "Unknown sums must be stored as zeros.");
	return b;
}

/*
 * The moments of the ratio estimators NRR = sum E / sum S (gross false)
 * and GRR = sum G / sum S (gross true) over the customers present at the
 * start: their number n, the ratio R, and sum (Y_i - R S_i)^2 / (sum S)^2
 * (Y being E or G), from the exact residual of ratio_residual with one
 * rounding.  false when the sums are unknown or no customer was present.
 */
bool
mrr_bridge_retention_moments(Datum bridge, bool gross, MrrRetentionMoments *m)
{
	MrrBridge  *b = mrr_bridge_check((MrrBridge *) PG_DETOAST_DATUM(bridge),
									 ERRCODE_INVALID_BINARY_REPRESENTATION);
	uint128		start = (uint128) b->amounts[AMT_STARTING];
	uint128		kept = gross ? start_sum_g(b) : start_sum_e(b);
	uint64		d[9];
	long double t;

	m->n = customers_at_start(b);
	if (!sums_known(b) || m->n == 0)
		return false;
	if (!ratio_residual(start, kept, &b->sums[SUM_SS],
						&b->sums[gross ? SUM_GG : SUM_EE],
						&b->sums[gross ? SUM_SG : SUM_SE], d))
		elog(ERROR, "csmetrics: mrr_bridge sums passed their check but have a negative residual");
	t = (long double) start;
	m->ratio = (long double) kept / t;
	m->residual = csm_limbs_to_ld(d, 9) / (t * t) / (t * t);
	return true;
}

/* Raise numeric_value_out_of_range for an amount a summary cannot hold */
static void
mrr_amount_out_of_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("MRR amount out of range"),
			 errdetail("An mrr_bridge holds amounts of at most %d digits, at most %d of them after the decimal point.",
					   CSM_FIXED_DIGITS, MRR_BRIDGE_MAX_SCALE)));
}

/*
 * Multiply known sums by 10^(2 k), as the amounts are multiplied by 10^k;
 * sums that overflow become unknown
 */
static void
sums_shift(MrrBridge *b, int k)
{
	if (!sums_known(b) || k == 0)
		return;
	for (int i = 0; i < MRR_SUM_COUNT; i++)
		if (!csm_u256_mul_pow10(&b->sums[i], 2 * k))
		{
			sums_forget(b);
			return;
		}
}

/* Give a summary more decimal places; its amounts are multiplied to match */
static void
mrr_bridge_rescale(MrrBridge *b, int scale)
{
	if (scale <= b->scale)
		return;
	if (scale > MRR_BRIDGE_MAX_SCALE)
		mrr_amount_out_of_range();
	for (int i = 0; i < MRR_AMOUNT_COUNT; i++)
		if (!csm_fixed_shift(b->amounts[i], scale - b->scale, &b->amounts[i]))
			mrr_amount_out_of_range();
	sums_shift(b, scale - b->scale);
	b->scale = scale;
}

/* One MRR value of a row, NULL being 0 */
typedef struct MrrValue
{
	CsmNumericView view;
	bool		isnull;
} MrrValue;

/* Read an MRR argument and check it is a finite, non-negative number */
static void
mrr_value_read(FunctionCallInfo fcinfo, int argno, MrrValue *v)
{
	v->isnull = PG_ARGISNULL(argno);
	if (v->isnull)
		return;
	csm_numeric_view(PG_GETARG_DATUM(argno), &v->view);
	if (v->view.special)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("MRR must be a finite number"),
				 errdetail("NaN and infinity are not amounts of money.")));
	if (v->view.negative && v->view.ndigits > 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("MRR cannot be negative"),
				 errhint("Net credits against the charges before computing the MRR of a customer.")));
}

/* The value in units of 10^-scale */
static int128
mrr_value_fixed(const MrrValue *v, int scale)
{
	int128		result;

	if (v->isnull)
		return 0;
	if (!csm_view_to_fixed(&v->view, scale, &result))
		mrr_amount_out_of_range();
	return result;
}

/* Classify a customer-month */
static inline MrrKind
mrr_classify(int128 previous, int128 current, bool paid_before)
{
	if (previous == 0)
	{
		if (current == 0)
			return MRR_INACTIVE;
		return paid_before ? MRR_REACTIVATION : MRR_NEW;
	}
	if (current == 0)
		return MRR_CHURN;
	if (current > previous)
		return MRR_EXPANSION;
	if (current < previous)
		return MRR_CONTRACTION;
	return MRR_UNCHANGED;
}

/* The amount a row adds to its kind's MRR */
static inline int128
mrr_movement_amount(MrrKind kind, int128 previous, int128 current)
{
	switch (kind)
	{
		case MRR_NEW:
		case MRR_REACTIVATION:
			return current;
		case MRR_EXPANSION:
			return current - previous;
		case MRR_CONTRACTION:
			return previous - current;
		case MRR_CHURN:
			return previous;
		default:
			return 0;
	}
}

/*
 * Read the arguments (previous, current, paid_before) at argument numbers
 * first.. first + 2, make sure the summary's scale can hold them, and
 * classify the row.  A NULL paid_before counts as false: it is what a
 * window over no earlier months gives.
 */
static MrrKind
mrr_row_read(FunctionCallInfo fcinfo, int first, MrrBridge *b,
			 int128 *previous, int128 *current)
{
	MrrValue	p;
	MrrValue	c;
	int			scale = 0;
	bool		paid_before;

	mrr_value_read(fcinfo, first, &p);
	mrr_value_read(fcinfo, first + 1, &c);
	paid_before = !PG_ARGISNULL(first + 2) && PG_GETARG_BOOL(first + 2);
	if (!p.isnull)
		scale = p.view.dscale;
	if (!c.isnull)
		scale = Max(scale, c.view.dscale);
	if (b != NULL)
	{
		mrr_bridge_rescale(b, scale);
		scale = b->scale;
	}
	else if (scale > MRR_BRIDGE_MAX_SCALE)
		mrr_amount_out_of_range();
	*previous = mrr_value_fixed(&p, scale);
	*current = mrr_value_fixed(&c, scale);
	return mrr_classify(*previous, *current, paid_before);
}

/*
 * Return the OID of a mrr_movement_kind label.  The enum lives in the
 * schema of the calling function; the label OIDs are looked up once per
 * call site and kept in fn_extra.
 */
static Datum
mrr_kind_datum(FunctionCallInfo fcinfo, MrrKind kind)
{
	const Oid  *label_oids = csm_enum_label_oids(fcinfo, "mrr_movement_kind",
											 mrr_kind_labels, MRR_KIND_COUNT);

	return ObjectIdGetDatum(label_oids[kind]);
}

/* mrr_movement(previous numeric, current numeric, paid_before boolean) */
PG_FUNCTION_INFO_V1(mrr_movement);
Datum
mrr_movement(PG_FUNCTION_ARGS)
{
	int128		previous;
	int128		current;

	return mrr_kind_datum(fcinfo, mrr_row_read(fcinfo, 0, NULL, &previous, &current));
}

/*
 * Text input.  The keys in their fixed order, each amount a plain decimal
 * number (digits, optionally a point and more digits), each count an
 * integer.
 */

/* Read "key =" with white space around every token */
static void
parse_key(CsmIoText *t, const char *key)
{
	csm_io_skip_space(t);
	csm_io_expect_word(t, key);
	csm_io_skip_space(t);
	csm_io_expect(t, '=');
	csm_io_skip_space(t);
}

/*
 * The next digit (0 to 9) of a decimal number at *p, stepping over its one
 * decimal point (which a digit must follow: 22P02) and counting the digits
 * after it in *decimals; -1 at the end of the number, *p then on the first
 * character after it.  The amounts and the sums share it.
 */
static int
next_decimal_digit(CsmIoText *t, const char **p, bool *point, int *decimals)
{
	const char *c = *p;

	if (*c == '.' && !*point)
	{
		*point = true;
		c++;
		if (!isdigit((unsigned char) *c))
		{
			t->p = c;
			csm_io_expected(t, "the digits after a decimal point");
		}
	}
	if (!isdigit((unsigned char) *c))
		return -1;
	if (*point)
		(*decimals)++;
	*p = c + 1;
	return *c - '0';
}

/*
 * Read a non-negative decimal number in units of 10^-*scale, *scale being
 * its number of decimals.  Out-of-range values raise 22003.
 */
static int128
parse_amount(CsmIoText *t, int *scale)
{
	const char *p = t->p;
	int128		v = 0;
	int			digits = 0;
	int			decimals = 0;
	bool		point = false;
	int			d;

	if (!isdigit((unsigned char) *p))
		csm_io_expected(t, "an amount");
	while ((d = next_decimal_digit(t, &p, &point, &decimals)) >= 0)
	{
		if (v != 0 || d != 0)
			digits++;
		if (digits > CSM_FIXED_DIGITS || decimals > MRR_BRIDGE_MAX_SCALE)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("MRR amount out of range in mrr_bridge: \"%s\"", t->input),
					 errdetail("An mrr_bridge holds amounts of at most %d digits, at most %d of them after the decimal point.",
							   CSM_FIXED_DIGITS, MRR_BRIDGE_MAX_SCALE)));
		v = v * 10 + d;
	}
	t->p = p;
	*scale = decimals;
	return v;
}

/* Read the separator after a field, a comma or the closing brace */
static void
parse_separator(CsmIoText *t, bool last)
{
	csm_io_skip_space(t);
	csm_io_expect(t, last ? '}' : ',');
}

/*
 * Read a non-negative decimal sum in units of 10^-*decimals, *decimals
 * being its number of decimals.  Sums beyond 256 bits or with more than
 * 2 MRR_BRIDGE_MAX_SCALE decimals raise 22003.
 */
static CsmU256
parse_sum(CsmIoText *t, int *decimals)
{
	const char *p = t->p;
	CsmU256		v = {{0}};
	bool		point = false;
	int			d;

	*decimals = 0;
	if (!isdigit((unsigned char) *p))
		csm_io_expected(t, "a sum");
	while ((d = next_decimal_digit(t, &p, &point, decimals)) >= 0)
	{
		uint64		digit[CSM_U256_LIMBS] = {(uint64) d};

		if (*decimals > 2 * MRR_BRIDGE_MAX_SCALE ||
			!csm_limbs_mul_small(v.w, CSM_U256_LIMBS, 10) ||
			!csm_limbs_add(v.w, digit, CSM_U256_LIMBS))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("sum out of range in mrr_bridge: \"%s\"", t->input),
					 errdetail("An mrr_bridge holds sums below 2^256 units, with at most %d decimal places.",
							   2 * MRR_BRIDGE_MAX_SCALE)));
	}
	t->p = p;
	return v;
}

PG_FUNCTION_INFO_V1(mrr_bridge_in);
Datum
mrr_bridge_in(PG_FUNCTION_ARGS)
{
	CsmIoText	t;
	MrrBridge  *b = mrr_bridge_new();
	int			scales[MRR_AMOUNT_COUNT];
	int			decimals[MRR_SUM_COUNT] = {0};
	int			scale = 0;

	csm_io_text_init(&t, PG_GETARG_CSTRING(0), "mrr_bridge",
					 "An mrr_bridge is {starting_mrr=A, new_mrr=A, expansion_mrr=A, reactivation_mrr=A, contraction_mrr=A, churned_mrr=A, new=N, expansion=N, reactivation=N, contraction=N, churn=N, unchanged=N, inactive=N}, optionally followed inside the braces by \", sum_s2=Q, sum_e2=Q, sum_se=Q, sum_g2=Q, sum_sg=Q\", with non-negative decimal amounts A and sums Q and integer counts N.");
	csm_io_skip_space(&t);
	csm_io_expect(&t, '{');
	for (int i = 0; i < MRR_AMOUNT_COUNT; i++)
	{
		parse_key(&t, mrr_amount_keys[i]);
		b->amounts[i] = parse_amount(&t, &scales[i]);
		parse_separator(&t, false);
		scale = Max(scale, scales[i]);
	}
	for (int k = 0; k < MRR_KIND_COUNT; k++)
	{
		parse_key(&t, mrr_kind_labels[k]);
		b->counts[k] = csm_io_parse_count(&t);
		if (k < MRR_KIND_COUNT - 1)
			parse_separator(&t, false);
	}
	csm_io_skip_space(&t);
	if (csm_io_accept(&t, '}'))
		sums_forget(b);			/* the 1.0 form: sums unknown */
	else
	{
		csm_io_expect(&t, ',');
		for (int i = 0; i < MRR_SUM_COUNT; i++)
		{
			parse_key(&t, mrr_sum_keys[i]);
			b->sums[i] = parse_sum(&t, &decimals[i]);
			parse_separator(&t, i == MRR_SUM_COUNT - 1);
			/* sums with 2 k decimals need amounts with k */
			scale = Max(scale, (decimals[i] + 1) / 2);
		}
	}
	csm_io_expect_end(&t);

	/* bring every amount to the largest scale written, every sum to twice it */
	for (int i = 0; i < MRR_AMOUNT_COUNT; i++)
		if (!csm_fixed_shift(b->amounts[i], scale - scales[i], &b->amounts[i]))
			mrr_amount_out_of_range();
	for (int i = 0; i < MRR_SUM_COUNT && sums_known(b); i++)
		if (!csm_u256_mul_pow10(&b->sums[i], 2 * scale - decimals[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("sum out of range in mrr_bridge: \"%s\"", t.input),
					 errdetail("At %d decimal places, the sum %s does not fit in 256 bits.",
							   2 * scale, mrr_sum_keys[i])));
	b->scale = scale;
	PG_RETURN_POINTER(mrr_bridge_check(b, ERRCODE_INVALID_TEXT_REPRESENTATION));
}

/* Append a sum as a decimal number with the given number of decimals */
static void
sum_append(StringInfo buf, const CsmU256 *sum, int decimals)
{
	char		digits[80];		/* 2^256 has 78 digits */
	uint64		v[CSM_U256_LIMBS];
	int			n = 0;

	memcpy(v, sum->w, sizeof(v));
	do
	{
		digits[n++] = '0' + (int) csm_limbs_div_small(v, CSM_U256_LIMBS, 10);
	} while (!csm_limbs_is_zero(v, CSM_U256_LIMBS) || n <= decimals);
	while (n > 0)
	{
		appendStringInfoChar(buf, digits[--n]);
		if (n == decimals && n > 0)
			appendStringInfoChar(buf, '.');
	}
}

/*
 * Text output: every amount with the summary's scale, the sums (when
 * known) with twice that
 */
PG_FUNCTION_INFO_V1(mrr_bridge_out);
Datum
mrr_bridge_out(PG_FUNCTION_ARGS)
{
	MrrBridge  *b = PG_GETARG_MRR_BRIDGE_P(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int i = 0; i < MRR_AMOUNT_COUNT; i++)
	{
		appendStringInfo(&buf, "%s=", mrr_amount_keys[i]);
		csm_fixed_append(&buf, b->amounts[i], b->scale);
		appendStringInfoString(&buf, ", ");
	}
	for (int k = 0; k < MRR_KIND_COUNT; k++)
		appendStringInfo(&buf, k == 0 ? "%s=" INT64_FORMAT : ", %s=" INT64_FORMAT,
						 mrr_kind_labels[k], b->counts[k]);
	for (int i = 0; i < MRR_SUM_COUNT && sums_known(b); i++)
	{
		appendStringInfo(&buf, ", %s=", mrr_sum_keys[i]);
		sum_append(&buf, &b->sums[i], 2 * b->scale);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Raise invalid_binary_representation */
static void
mrr_bridge_bad_binary(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid mrr_bridge binary input"),
			 errdetail("%s", detail)));
}

/*
 * Binary input: version (1, or 2 with sums), flags, counts, amounts and
 * sums, all validated
 */
PG_FUNCTION_INFO_V1(mrr_bridge_recv);
Datum
mrr_bridge_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	MrrBridge  *b;
	CsmNumericView views[MRR_AMOUNT_COUNT];
	int			scale = 0;
	int			version;

	csm_io_recv_require(buf, 2, "mrr_bridge");
	version = pq_getmsgbyte(buf);
	if (version != MRR_BRIDGE_VERSION_1 && version != MRR_BRIDGE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported mrr_bridge binary version %d", version),
				 errdetail("This version of csmetrics reads versions %d and %d.",
						   MRR_BRIDGE_VERSION_1, MRR_BRIDGE_VERSION)));
	if (pq_getmsgbyte(buf) != 0)
		mrr_bridge_bad_binary("Unknown flags are set.");

	b = mrr_bridge_new();
	csm_io_recv_counts(buf, b->counts, MRR_KIND_COUNT, "mrr_bridge");

	for (int i = 0; i < MRR_AMOUNT_COUNT; i++)
	{
		Numeric		value = csm_io_recv_numeric(buf, "mrr_bridge");

		csm_numeric_view(NumericGetDatum(value), &views[i]);
		if (views[i].negative && views[i].ndigits > 0)
			mrr_bridge_bad_binary("An amount is negative.");
		if (views[i].dscale > MRR_BRIDGE_MAX_SCALE)
			mrr_bridge_bad_binary("An amount has too many decimal places.");
		scale = Max(scale, views[i].dscale);
	}
	for (int i = 0; i < MRR_AMOUNT_COUNT; i++)
		if (!csm_view_to_fixed(&views[i], scale, &b->amounts[i]))
			mrr_bridge_bad_binary("An amount is out of range.");
	b->scale = scale;
	if (version == MRR_BRIDGE_VERSION_1)
		sums_forget(b);
	else
	{
		csm_io_recv_require(buf, MRR_SUM_COUNT * (int) sizeof(CsmU256), "mrr_bridge");
		for (int i = 0; i < MRR_SUM_COUNT; i++)
			for (int w = CSM_U256_LIMBS - 1; w >= 0; w--)
				b->sums[i].w[w] = pq_getmsgint64(buf);
	}
	PG_RETURN_POINTER(mrr_bridge_check(b, ERRCODE_INVALID_BINARY_REPRESENTATION));
}

/* Binary output: version 1 (1.0's form) without sums, version 2 with them */
PG_FUNCTION_INFO_V1(mrr_bridge_send);
Datum
mrr_bridge_send(PG_FUNCTION_ARGS)
{
	MrrBridge  *b = PG_GETARG_MRR_BRIDGE_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, sums_known(b) ? MRR_BRIDGE_VERSION : MRR_BRIDGE_VERSION_1);
	pq_sendbyte(&buf, 0);
	for (int k = 0; k < MRR_KIND_COUNT; k++)
		pq_sendint64(&buf, b->counts[k]);
	for (int i = 0; i < MRR_AMOUNT_COUNT; i++)
		csm_io_send_numeric(&buf, csm_fixed_to_numeric(b->amounts[i], b->scale));
	for (int i = 0; i < MRR_SUM_COUNT && sums_known(b); i++)
		for (int w = CSM_U256_LIMBS - 1; w >= 0; w--)
			pq_sendint64(&buf, b->sums[i].w[w]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Add the products of a customer present at the start (s > 0, e >= 0) to
 * known sums, for amounts of 2^64 units or more (the out-of-line path of
 * sums_add_customer).  Each product is computed once and kept in
 * registers; the branch on E >= S picks what G^2 and S G add.
 */
static pg_noinline void
sums_add_customer_wide(MrrBridge *b, uint128 s, uint128 e)
{
	CsmU256    *sums = b->sums;
	CsmU256		ss = csm_u256_mul_u128(s, s);
	CsmU256		ee = csm_u256_mul_u128(e, e);
	CsmU256		se = csm_u256_mul_u128(s, e);
	bool		ok;

	ok = csm_u256_add(&sums[SUM_SS], &ss);
	ok &= csm_u256_add(&sums[SUM_EE], &ee);
	ok &= csm_u256_add(&sums[SUM_SE], &se);
	if (e >= s)
	{
		ok &= csm_u256_add(&sums[SUM_GG], &ss);
		ok &= csm_u256_add(&sums[SUM_SG], &ss);
	}
	else
	{
		ok &= csm_u256_add(&sums[SUM_GG], &ee);
		ok &= csm_u256_add(&sums[SUM_SG], &se);
	}
	if (unlikely(!ok))
		sums_forget(b);
}

/*
 * Add the products of a customer present at the start (s > 0, e >= 0) to
 * known sums; G = min(S, E) is S when E >= S (so G^2 = S G = S^2) and E
 * otherwise (G^2 = E^2, S G = S E).  Amounts below 2^64 units, the common
 * case, multiply as 64-bit numbers into 128 bits.
 */
static inline void
sums_add_customer(MrrBridge *b, uint128 s, uint128 e)
{
	CsmU256    *sums = b->sums;
	uint64		s64 = (uint64) s;
	uint64		e64 = (uint64) e;
	uint128		ss;
	uint128		ee;
	uint128		se;

	if (unlikely((s >> 64) != 0 || (e >> 64) != 0))
	{
		sums_add_customer_wide(b, s, e);
		return;
	}
	ss = (uint128) s64 * s64;
	ee = (uint128) e64 * e64;
	se = (uint128) s64 * e64;
	if (unlikely(!csm_u256_add_u128(&sums[SUM_SS], ss) ||
				 !csm_u256_add_u128(&sums[SUM_EE], ee) ||
				 !csm_u256_add_u128(&sums[SUM_SE], se) ||
				 !csm_u256_add_u128(&sums[SUM_GG], e64 >= s64 ? ss : ee) ||
				 !csm_u256_add_u128(&sums[SUM_SG], e64 >= s64 ? ss : se)))
		sums_forget(b);
}

/* Add a classified row */
static inline void
mrr_bridge_apply(MrrBridge *b, MrrKind kind, int128 previous, int128 current)
{
	int128		amount = mrr_movement_amount(kind, previous, current);

	b->counts[kind] = csm_count_add(b->counts[kind], 1);
	if (!csm_fixed_add(b->amounts[AMT_STARTING], previous, &b->amounts[AMT_STARTING]))
		mrr_amount_out_of_range();
	if (kind <= MRR_CHURN &&
		!csm_fixed_add(b->amounts[AMT_OF(kind)], amount, &b->amounts[AMT_OF(kind)]))
		mrr_amount_out_of_range();
	if (previous > 0 && sums_known(b))
		sums_add_customer(b, (uint128) previous, (uint128) current);
}

/*
 * Transition of mrr_bridge_agg(): classify the row and add it to the
 * summary in place.  Every row counts, a NULL MRR being 0; the summary is
 * created on the first row, so no rows give NULL.
 */
PG_FUNCTION_INFO_V1(mrr_bridge_add);
Datum
mrr_bridge_add(PG_FUNCTION_ARGS)
{
	MrrBridge  *b;
	int128		previous;
	int128		current;
	MrrKind		kind;

	(void) csm_aggregate_context(fcinfo, "mrr_bridge_add");
	if (PG_ARGISNULL(0))
		b = mrr_bridge_new();	/* copied by the executor */
	else
		b = (MrrBridge *) PG_GETARG_POINTER(0);
	kind = mrr_row_read(fcinfo, 1, b, &previous, &current);
	mrr_bridge_apply(b, kind, previous, current);
	PG_RETURN_POINTER(b);
}

/*
 * Add one customer whose MRR went from previous to current (units of
 * 10^-scale): the way other families (the subscription ledger) build a
 * bridge without SQL rows.
 */
void
mrr_bridge_add_customer(MrrBridge *b, int128 previous, int128 current,
						int scale, bool paid_before)
{
	int			shift;

	mrr_bridge_rescale(b, scale);
	shift = b->scale - scale;
	if (!csm_fixed_shift(previous, shift, &previous) ||
		!csm_fixed_shift(current, shift, &current))
		mrr_amount_out_of_range();
	mrr_bridge_apply(b, mrr_classify(previous, current, paid_before),
					 previous, current);
}

/* Add another summary into a state */
void
mrr_bridge_merge(MrrBridge *state, const MrrBridge *other)
{
	int			shift;

	mrr_bridge_rescale(state, other->scale);
	shift = state->scale - other->scale;
	for (int k = 0; k < MRR_KIND_COUNT; k++)
		state->counts[k] = csm_count_add(state->counts[k], other->counts[k]);
	for (int i = 0; i < MRR_AMOUNT_COUNT; i++)
	{
		int128		amount;

		if (!csm_fixed_shift(other->amounts[i], shift, &amount) ||
			!csm_fixed_add(state->amounts[i], amount, &state->amounts[i]))
			mrr_amount_out_of_range();
	}
	/* sums are known only when both sides know them and they fit */
	if (!sums_known(other))
		sums_forget(state);
	for (int i = 0; i < MRR_SUM_COUNT && sums_known(state); i++)
	{
		CsmU256		sum = other->sums[i];

		if (!csm_u256_mul_pow10(&sum, 2 * shift) ||
			!csm_limbs_add(state->sums[i].w, sum.w, CSM_U256_LIMBS))
			sums_forget(state);
	}
	/* totals of counts stay representable, as the input functions require */
	(void) customers_at_start(state);
	(void) customers_at_end(state);
}

/*
 * Merge the second summary into the first: the combine function of
 * mrr_bridge_agg() and the transition function of rollup().  Handles all
 * four NULL cases; a lone second argument is copied into the aggregate
 * context.
 */
PG_FUNCTION_INFO_V1(mrr_bridge_combine);
Datum
mrr_bridge_combine(PG_FUNCTION_ARGS)
{
	MrrBridge  *state;
	MrrBridge  *other;

	(void) csm_aggregate_context(fcinfo, "mrr_bridge_combine");
	CSM_PASS_STATE_IF_INPUT_NULL();
	other = PG_GETARG_MRR_BRIDGE_P(1);
	if (PG_ARGISNULL(0))
	{
		/* a copy, never the argument itself; the executor moves it */
		state = palloc(sizeof(MrrBridge));
		memcpy(state, other, sizeof(MrrBridge));
		PG_RETURN_POINTER(state);
	}
	state = PG_GETARG_MRR_BRIDGE_P(0);
	mrr_bridge_merge(state, other);
	PG_RETURN_POINTER(state);
}

/* Money accessors */

static Datum
amount_result(const MrrBridge *b, int128 v)
{
	PG_RETURN_NUMERIC(csm_fixed_to_numeric(v, b->scale));
}

/* starting_mrr(mrr_bridge) */
PG_FUNCTION_INFO_V1(mrr_bridge_starting_mrr);
Datum
mrr_bridge_starting_mrr(PG_FUNCTION_ARGS)
{
	MrrBridge  *b = PG_GETARG_MRR_BRIDGE_P(0);

	return amount_result(b, b->amounts[AMT_STARTING]);
}

/* MRR of one movement kind, as a positive amount */
static Datum
kind_amount(FunctionCallInfo fcinfo, MrrKind kind)
{
	MrrBridge  *b = PG_GETARG_MRR_BRIDGE_P(0);

	return amount_result(b, b->amounts[AMT_OF(kind)]);
}

/* new_mrr(mrr_bridge) */
PG_FUNCTION_INFO_V1(mrr_bridge_new_mrr);
Datum
mrr_bridge_new_mrr(PG_FUNCTION_ARGS)
{
	return kind_amount(fcinfo, MRR_NEW);
}

/* expansion_mrr(mrr_bridge) */
PG_FUNCTION_INFO_V1(mrr_bridge_expansion_mrr);
Datum
mrr_bridge_expansion_mrr(PG_FUNCTION_ARGS)
{
	return kind_amount(fcinfo, MRR_EXPANSION);
}

/* reactivation_mrr(mrr_bridge) */
PG_FUNCTION_INFO_V1(mrr_bridge_reactivation_mrr);
Datum
mrr_bridge_reactivation_mrr(PG_FUNCTION_ARGS)
{
	return kind_amount(fcinfo, MRR_REACTIVATION);
}

/* contraction_mrr(mrr_bridge) */
PG_FUNCTION_INFO_V1(mrr_bridge_contraction_mrr);
Datum
mrr_bridge_contraction_mrr(PG_FUNCTION_ARGS)
{
	return kind_amount(fcinfo, MRR_CONTRACTION);
}

/* churned_mrr(mrr_bridge) */
PG_FUNCTION_INFO_V1(mrr_bridge_churned_mrr);
Datum
mrr_bridge_churned_mrr(PG_FUNCTION_ARGS)
{
	return kind_amount(fcinfo, MRR_CHURN);
}

/* a + b for accessors, out of range being an error */
static inline int128
checked_add(int128 a, int128 b)
{
	int128		result;

	if (!csm_fixed_add(a, b, &result))
		mrr_amount_out_of_range();
	return result;
}

/* start - contraction - churned: what the starting customers kept (>= 0) */
static inline int128
kept_mrr(const MrrBridge *b)
{
	return b->amounts[AMT_STARTING] - b->amounts[AMT_OF(MRR_CONTRACTION)] -
		b->amounts[AMT_OF(MRR_CHURN)];
}

/* new + expansion + reactivation: the MRR gained */
static inline int128
gained_mrr(const MrrBridge *b)
{
	return checked_add(checked_add(b->amounts[AMT_OF(MRR_NEW)],
								   b->amounts[AMT_OF(MRR_EXPANSION)]),
					   b->amounts[AMT_OF(MRR_REACTIVATION)]);
}

/* net_new_mrr(mrr_bridge): new + expansion + reactivation - contraction - churned */
PG_FUNCTION_INFO_V1(mrr_bridge_net_new_mrr);
Datum
mrr_bridge_net_new_mrr(PG_FUNCTION_ARGS)
{
	MrrBridge  *b = PG_GETARG_MRR_BRIDGE_P(0);

	/* gained and lost are each within the range, so is their difference */
	return amount_result(b, gained_mrr(b) - (b->amounts[AMT_STARTING] - kept_mrr(b)));
}

/* ending_mrr(mrr_bridge): start - contraction - churned + gained */
PG_FUNCTION_INFO_V1(mrr_bridge_ending_mrr);
Datum
mrr_bridge_ending_mrr(PG_FUNCTION_ARGS)
{
	MrrBridge  *b = PG_GETARG_MRR_BRIDGE_P(0);

	return amount_result(b, checked_add(kept_mrr(b), gained_mrr(b)));
}

/* Rates and ratios: exact numerator and denominator, then one division */

/* gross_revenue_retention(mrr_bridge): (start - contraction - churned) / start * 100 */
PG_FUNCTION_INFO_V1(mrr_bridge_grr);
Datum
mrr_bridge_grr(PG_FUNCTION_ARGS)
{
	MrrBridge  *b = PG_GETARG_MRR_BRIDGE_P(0);

	if (b->amounts[AMT_STARTING] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * (double) kept_mrr(b) / (double) b->amounts[AMT_STARTING]);
}

/* net_revenue_retention(mrr_bridge): (start + expansion - contraction - churned) / start * 100 */
PG_FUNCTION_INFO_V1(mrr_bridge_nrr);
Datum
mrr_bridge_nrr(PG_FUNCTION_ARGS)
{
	MrrBridge  *b = PG_GETARG_MRR_BRIDGE_P(0);

	if (b->amounts[AMT_STARTING] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * (double) checked_add(kept_mrr(b), b->amounts[AMT_OF(MRR_EXPANSION)]) /
					 (double) b->amounts[AMT_STARTING]);
}

/*
 * quick_ratio(mrr_bridge, include_reactivation boolean):
 * (new + expansion [+ reactivation]) / (contraction + churned)
 */
PG_FUNCTION_INFO_V1(mrr_bridge_quick_ratio);
Datum
mrr_bridge_quick_ratio(PG_FUNCTION_ARGS)
{
	MrrBridge  *b = PG_GETARG_MRR_BRIDGE_P(0);
	int128		gained = checked_add(b->amounts[AMT_OF(MRR_NEW)],
									 b->amounts[AMT_OF(MRR_EXPANSION)]);
	int128		lost = b->amounts[AMT_STARTING] - kept_mrr(b);

	if (PG_GETARG_BOOL(1))
		gained = checked_add(gained, b->amounts[AMT_OF(MRR_REACTIVATION)]);
	if (lost == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) gained / (double) lost);
}

/* Customer counts */

static Datum
kind_count(FunctionCallInfo fcinfo, MrrKind kind)
{
	PG_RETURN_INT64(PG_GETARG_MRR_BRIDGE_P(0)->counts[kind]);
}

/* new_customers(mrr_bridge) */
PG_FUNCTION_INFO_V1(mrr_bridge_new_customers);
Datum
mrr_bridge_new_customers(PG_FUNCTION_ARGS)
{
	return kind_count(fcinfo, MRR_NEW);
}

/* expanded_customers(mrr_bridge) */
PG_FUNCTION_INFO_V1(mrr_bridge_expanded_customers);
Datum
mrr_bridge_expanded_customers(PG_FUNCTION_ARGS)
{
	return kind_count(fcinfo, MRR_EXPANSION);
}

/* reactivated_customers(mrr_bridge) */
PG_FUNCTION_INFO_V1(mrr_bridge_reactivated_customers);
Datum
mrr_bridge_reactivated_customers(PG_FUNCTION_ARGS)
{
	return kind_count(fcinfo, MRR_REACTIVATION);
}

/* contracted_customers(mrr_bridge) */
PG_FUNCTION_INFO_V1(mrr_bridge_contracted_customers);
Datum
mrr_bridge_contracted_customers(PG_FUNCTION_ARGS)
{
	return kind_count(fcinfo, MRR_CONTRACTION);
}

/* churned_customers(mrr_bridge) */
PG_FUNCTION_INFO_V1(mrr_bridge_churned_customers);
Datum
mrr_bridge_churned_customers(PG_FUNCTION_ARGS)
{
	return kind_count(fcinfo, MRR_CHURN);
}

/* unchanged_customers(mrr_bridge) */
PG_FUNCTION_INFO_V1(mrr_bridge_unchanged_customers);
Datum
mrr_bridge_unchanged_customers(PG_FUNCTION_ARGS)
{
	return kind_count(fcinfo, MRR_UNCHANGED);
}

/* inactive_customers(mrr_bridge) */
PG_FUNCTION_INFO_V1(mrr_bridge_inactive_customers);
Datum
mrr_bridge_inactive_customers(PG_FUNCTION_ARGS)
{
	return kind_count(fcinfo, MRR_INACTIVE);
}

/* customers_at_start(mrr_bridge): customers with MRR in the previous month */
PG_FUNCTION_INFO_V1(mrr_bridge_customers_at_start);
Datum
mrr_bridge_customers_at_start(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(customers_at_start(PG_GETARG_MRR_BRIDGE_P(0)));
}

/* customers_at_end(mrr_bridge): customers with MRR in the current month */
PG_FUNCTION_INFO_V1(mrr_bridge_customers_at_end);
Datum
mrr_bridge_customers_at_end(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(customers_at_end(PG_GETARG_MRR_BRIDGE_P(0)));
}
