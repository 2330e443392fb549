/*-------------------------------------------------------------------------
 *
 * wideint.h
 *	  Exact unsigned integers wider than 128 bits, for sums of squares of
 *	  fixed-point money (money.h) and the products of such sums.
 *
 * A number is an array of uint64 limbs, least significant first.  The sums
 * of the mrr_bridge summary are CsmU256 (four limbs): an amount is below
 * 10^38 < 2^127, so a product of two amounts is below 2^254 and a sum of
 * such products fits until it overflows, which csm_u256_add reports.
 * Products of sums with squared totals need up to 512 bits: the generic
 * limb functions below (csm_limbs_*) work on any widths, schoolbook, with
 * a 128-bit intermediate per limb product.
 *
 * Nothing here allocates or raises an error: every operation that can
 * overflow returns false and leaves the caller to decide what that means.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_WIDEINT_H
#define CSMETRICS_WIDEINT_H

#include "postgres.h"

#ifndef HAVE_INT128
#error "csmetrics needs a compiler with a 128-bit integer type"
#endif

#define CSM_U256_LIMBS	4

/* An unsigned 256-bit integer, least significant limb first */
typedef struct CsmU256
{
	uint64		w[CSM_U256_LIMBS];
} CsmU256;

/* Zero out n limbs */
static inline void
csm_limbs_zero(uint64 *a, int n)
{
	for (int i = 0; i < n; i++)
		a[i] = 0;
}

/* true when all n limbs are zero */
static inline bool
csm_limbs_is_zero(const uint64 *a, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i] != 0)
			return false;
	return true;
}

/* Compare two numbers of n limbs: -1, 0 or 1 */
static inline int
csm_limbs_cmp(const uint64 *a, const uint64 *b, int n)
{
	for (int i = n - 1; i >= 0; i--)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* a += b over n limbs; false when the sum does not fit in n limbs */
static inline bool
csm_limbs_add(uint64 *a, const uint64 *b, int n)
{
	uint64		carry = 0;

	for (int i = 0; i < n; i++)
	{
		uint128		s = (uint128) a[i] + b[i] + carry;

		a[i] = (uint64) s;
		carry = (uint64) (s >> 64);
	}
	return carry == 0;
}

/* a -= b over n limbs, for a >= b; false (and a wrapped) when a < b */
static inline bool
csm_limbs_sub(uint64 *a, const uint64 *b, int n)
{
	uint64		borrow = 0;

	for (int i = 0; i < n; i++)
	{
		uint64		bi = b[i] + borrow;
		uint64		next = (bi < borrow || a[i] < bi) ? 1 : 0;

		a[i] -= bi;
		borrow = next;
	}
	return borrow == 0;
}

/* out = a * b, exactly: out has na + nb limbs and overlaps neither input */
static inline void
csm_limbs_mul(const uint64 *a, int na, const uint64 *b, int nb, uint64 *out)
{
	csm_limbs_zero(out, na + nb);
	for (int i = 0; i < na; i++)
	{
		uint64		carry = 0;

		if (a[i] == 0)
			continue;
		for (int j = 0; j < nb; j++)
		{
			uint128		t = (uint128) a[i] * b[j] + out[i + j] + carry;

			out[i + j] = (uint64) t;
			carry = (uint64) (t >> 64);
		}
		out[i + nb] = carry;
	}
}

/* a *= m over n limbs; false when the product does not fit */
static inline bool
csm_limbs_mul_small(uint64 *a, int n, uint64 m)
{
	uint64		carry = 0;

	for (int i = 0; i < n; i++)
	{
		uint128		t = (uint128) a[i] * m + carry;

		a[i] = (uint64) t;
		carry = (uint64) (t >> 64);
	}
	return carry == 0;
}

/* a /= d over n limbs (d > 0), returning the remainder */
static inline uint64
csm_limbs_div_small(uint64 *a, int n, uint64 d)
{
	uint128		r = 0;

	for (int i = n - 1; i >= 0; i--)
	{
		uint128		cur = (r << 64) | a[i];

		a[i] = (uint64) (cur / d);
		r = cur % d;
	}
	return (uint64) r;
}

/* The nearest long double to a number of n limbs */
static inline long double
csm_limbs_to_ld(const uint64 *a, int n)
{
	long double v = 0.0L;

	for (int i = n - 1; i >= 0; i--)
		v = v * 18446744073709551616.0L + (long double) a[i];
	return v;
}

/* A uint128 as two limbs */
static inline void
csm_limbs_from_u128(uint64 *a, uint128 v)
{
	a[0] = (uint64) v;
	a[1] = (uint64) (v >> 64);
}

/* x += v (a 128-bit value); false on overflow of 256 bits */
static inline bool
csm_u256_add_u128(CsmU256 *x, uint128 v)
{
	uint128		lo = ((uint128) x->w[1] << 64 | x->w[0]) + v;

	x->w[0] = (uint64) lo;
	x->w[1] = (uint64) (lo >> 64);
	if (unlikely(lo < v) && ++x->w[2] == 0 && ++x->w[3] == 0)
		return false;
	return true;
}

/* The exact product of two 128-bit values */
static inline CsmU256
csm_u256_mul_u128(uint128 a, uint128 b)
{
	CsmU256		r;

	if ((a >> 64) == 0 && (b >> 64) == 0)
	{
		csm_limbs_from_u128(r.w, a * b);
		r.w[2] = r.w[3] = 0;
	}
	else
	{
		uint64		la[2];
		uint64		lb[2];

		csm_limbs_from_u128(la, a);
		csm_limbs_from_u128(lb, b);
		csm_limbs_mul(la, 2, lb, 2, r.w);
	}
	return r;
}

/* x *= 10^k; false on overflow of 256 bits */
static inline bool
csm_u256_mul_pow10(CsmU256 *x, int k)
{
	while (k > 0)
	{
		int			step = Min(k, 19);
		uint64		m = 1;

		for (int i = 0; i < step; i++)
			m *= 10;
		if (!csm_limbs_mul_small(x->w, CSM_U256_LIMBS, m))
			return false;
		k -= step;
	}
	return true;
}

#endif							/* CSMETRICS_WIDEINT_H */
