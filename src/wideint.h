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
 * csm_u256_mul_u128 and csm_u256_add run once per row in the mrr_bridge
 * transition when amounts reach 2^64 units (its wide path), so they are
 * unrolled on chains of csm_u64_addc, the add-with-carry instruction on
 * x86-64 (plain C elsewhere): GCC spills chains of 128-bit additions to
 * the stack, which made the sums cost about twice as much.  Products of sums with squared totals need up to
 * 512 bits: the generic limb functions below (csm_limbs_*) work on any
 * widths, schoolbook, with a 128-bit intermediate per limb product.
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

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <x86intrin.h>			/* _addcarry_u64 */
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

/*
 * a + b + carry_in (carry_in 0 or 1), setting *carry_out to the carry (0
 * or 1).  On x86-64 this is the add-with-carry instruction, so that a
 * chain of them (csm_u256_add, csm_u256_mul_u128) compiles to add/adc
 * without the spills that chains of 128-bit additions get; elsewhere it is
 * plain C with the same result.
 */
static inline uint64
csm_u64_addc(uint64 a, uint64 b, uint64 carry_in, uint64 *carry_out)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	unsigned long long sum;

	*carry_out = _addcarry_u64((unsigned char) carry_in, a, b, &sum);
	return (uint64) sum;
#else
	uint128		sum = (uint128) a + b + carry_in;

	*carry_out = (uint64) (sum >> 64);
	return (uint64) sum;
#endif
}

/*
 * The exact product of two 128-bit values, from the four 64 x 64-bit limb
 * products, unrolled and without branches (it runs once per row in the
 * mrr_bridge transition when amounts reach 2^64 units).  With a = ah:al
 * and b = bh:bl, a b = al bl + (al bh + ah bl) 2^64 + ah bh 2^128: the
 * first carry chain adds al bh and ah bh 2^64 to the high half of al bl
 * (a partial product, so below 2^256: no carry out), the second adds
 * ah bl (no carry out either, as a b < 2^256).
 */
static inline CsmU256
csm_u256_mul_u128(uint128 a, uint128 b)
{
	CsmU256		r;
	uint64		al = (uint64) a;
	uint64		ah = (uint64) (a >> 64);
	uint64		bl = (uint64) b;
	uint64		bh = (uint64) (b >> 64);
	uint128		ll = (uint128) al * bl;
	uint128		lh = (uint128) al * bh;
	uint128		hl = (uint128) ah * bl;
	uint128		hh = (uint128) ah * bh;
	uint64		c;
	uint64		t1;
	uint64		t2;
	uint64		t3;

	t1 = csm_u64_addc((uint64) (ll >> 64), (uint64) lh, 0, &c);
	t2 = csm_u64_addc((uint64) (lh >> 64), (uint64) hh, c, &c);
	t3 = csm_u64_addc((uint64) (hh >> 64), 0, c, &c);
	r.w[0] = (uint64) ll;
	r.w[1] = csm_u64_addc(t1, (uint64) hl, 0, &c);
	r.w[2] = csm_u64_addc(t2, (uint64) (hl >> 64), c, &c);
	r.w[3] = csm_u64_addc(t3, 0, c, &c);
	return r;
}

/*
 * x += y, unrolled (csm_limbs_add with n = 4); false on overflow of 256
 * bits, x then holding the sum modulo 2^256
 */
static inline bool
csm_u256_add(CsmU256 *x, const CsmU256 *y)
{
	uint64		c;

	x->w[0] = csm_u64_addc(x->w[0], y->w[0], 0, &c);
	x->w[1] = csm_u64_addc(x->w[1], y->w[1], c, &c);
	x->w[2] = csm_u64_addc(x->w[2], y->w[2], c, &c);
	x->w[3] = csm_u64_addc(x->w[3], y->w[3], c, &c);
	return c == 0;
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
