/*-------------------------------------------------------------------------
 *
 * money.h
 *	  Exact fixed-point money, the one money representation of csmetrics.
 *
 * An amount is held as an int128 count of units of 10^-scale, so that
 * adding, subtracting and comparing amounts costs a few instructions and
 * no memory.  Every fixed-point amount is kept within +/- (10^38 - 1)
 * units; an amount that does not fit is reported to the caller, which
 * either falls back to numeric arithmetic (monthly_amount) or raises
 * numeric_value_out_of_range (mrr_bridge).
 *
 * Numerics are read without copying them, by decoding numeric's stored
 * form here.  A numeric is a sign, a display scale (dscale), a weight and
 * base-10000 digits:
 *
 *		value = sum(digit[i] * 10000^(weight - i))
 *
 * The first uint16 after the varlena header selects the form by its top
 * two bits:
 *
 *		00, 01	long form: sign 0x4000, dscale 0x3FFF, then an int16 weight
 *		10		short form: sign 0x2000, dscale 0x1F80, weight sign 0x0040
 *				and weight 0x003F
 *		11		special: NaN (0xC000) and the infinities (0xD000, 0xF000)
 *
 * Invariant: why this is safe.  numeric.c keeps these structs private, but
 * the stored form cannot change under us.  pg_upgrade copies user tables
 * byte for byte, so every later server must keep reading the numerics that
 * earlier ones stored, in both forms; and PG_MODULE_MAGIC ties this library
 * to the one major version it was built and tested against.  All four
 * two-bit prefixes are in use, so a form a later release might add could
 * only live under 11, which csm_numeric_view() reports as special and every
 * caller refuses as an amount: a new form is refused, never misread.
 *
 * What is checked: the datum is long enough for its header (elog: a
 * numeric from PostgreSQL always is); digits beyond the display scale are
 * zero (elog: numeric rounds its digits to the display scale); every
 * conversion and operation stays within the fixed-point range, and the
 * caller decides what an amount out of range means.  What is trusted, as
 * numeric.c itself trusts it: digits below 10000.  sql/money_random.sql
 * compares the conversions (numeric -> fixed point -> numeric or text)
 * with numeric's own arithmetic and output on seeded random values of every
 * sign, scale and magnitude, on each build.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_MONEY_H
#define CSMETRICS_MONEY_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#ifndef HAVE_INT128
#error "csmetrics needs a compiler with a 128-bit integer type"
#endif
#ifndef HAVE__BUILTIN_OP_OVERFLOW
#error "csmetrics needs __builtin_mul_overflow and __builtin_add_overflow"
#endif

/* Largest number of decimal digits in a fixed-point amount */
#define CSM_FIXED_DIGITS	38

/* What the header of a numeric says */
typedef struct CsmNumericView
{
	bool		special;		/* NaN or an infinity */
	bool		negative;
	int			weight;			/* of the first base-10000 digit */
	int			dscale;			/* display scale: digits after the point */
	int			ndigits;
	const char *digits;			/* ndigits uint16s, possibly unaligned */
} CsmNumericView;

/*
 * 10^k for 0 <= k <= 38, a constant table: JIT inlining cannot import a
 * function that refers to a writable static variable.
 */
#define CSM_E18		((int128) INT64CONST(1000000000000000000))
static const int128 csm_pow10_table[CSM_FIXED_DIGITS + 1] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000, INT64CONST(10000000000), INT64CONST(100000000000),
	INT64CONST(1000000000000), INT64CONST(10000000000000),
	INT64CONST(100000000000000), INT64CONST(1000000000000000),
	INT64CONST(10000000000000000), INT64CONST(100000000000000000),
	CSM_E18, CSM_E18 * 10, CSM_E18 * 100, CSM_E18 * 1000, CSM_E18 * 10000,
	CSM_E18 * 100000, CSM_E18 * 1000000, CSM_E18 * 10000000,
	CSM_E18 * 100000000, CSM_E18 * 1000000000,
	CSM_E18 * INT64CONST(10000000000), CSM_E18 * INT64CONST(100000000000),
	CSM_E18 * INT64CONST(1000000000000), CSM_E18 * INT64CONST(10000000000000),
	CSM_E18 * INT64CONST(100000000000000), CSM_E18 * INT64CONST(1000000000000000),
	CSM_E18 * INT64CONST(10000000000000000), CSM_E18 * INT64CONST(100000000000000000),
	CSM_E18 * CSM_E18, CSM_E18 * CSM_E18 * 10, CSM_E18 * CSM_E18 * 100
};

/* 10^k for 0 <= k <= 38 */
static inline int128
csm_pow10(int k)
{
	Assert(k >= 0 && k <= CSM_FIXED_DIGITS);
	return csm_pow10_table[k];
}

/* The largest fixed-point amount: 10^38 - 1 units */
static inline int128
csm_fixed_max(void)
{
	return csm_pow10_table[CSM_FIXED_DIGITS] - 1;
}

/* true when a fixed-point amount is within +/- (10^38 - 1) */
static inline bool
csm_fixed_in_range(int128 v)
{
	return v <= csm_fixed_max() && v >= -csm_fixed_max();
}

/* a + b, false on overflow of the fixed-point range */
static inline bool
csm_fixed_add(int128 a, int128 b, int128 *result)
{
	return !__builtin_add_overflow(a, b, result) && csm_fixed_in_range(*result);
}

/* a * 10^k, false on overflow of the fixed-point range */
static inline bool
csm_fixed_shift(int128 a, int k, int128 *result)
{
	if (a == 0)
	{
		*result = 0;
		return true;
	}
	if (k > CSM_FIXED_DIGITS)
		return false;
	return !__builtin_mul_overflow(a, csm_pow10(k), result) &&
		csm_fixed_in_range(*result);
}

/*
 * Read the header of a numeric datum.  Packed (short-header) datums are
 * read in place; only a compressed or out-of-line value is copied.
 */
static inline void
csm_numeric_view(Datum datum, CsmNumericView *view)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(datum);
	const char *data = VARDATA_ANY(v);
	Size		len = VARSIZE_ANY_EXHDR(v);
	uint16		header;
	Size		hdrlen;

	if (len < sizeof(uint16))
		elog(ERROR, "csmetrics: numeric value too short");
	memcpy(&header, data, sizeof(uint16));
	view->special = (header & 0xC000) == 0xC000;
	if (view->special)
	{
		view->negative = false;
		view->weight = 0;
		view->dscale = 0;
		view->ndigits = 0;
		view->digits = NULL;
		return;
	}
	if ((header & 0xC000) == 0x8000)
	{
		hdrlen = sizeof(uint16);
		view->negative = (header & 0x2000) != 0;
		view->dscale = (header & 0x1F80) >> 7;
		view->weight = (header & 0x0040) ? (int) (header | ~0x003F) : (header & 0x003F);
	}
	else
	{
		int16		weight;

		hdrlen = sizeof(uint16) + sizeof(int16);
		if (len < hdrlen)
			elog(ERROR, "csmetrics: numeric value too short");
		memcpy(&weight, data + sizeof(uint16), sizeof(int16));
		view->negative = (header & 0x4000) != 0;
		view->dscale = header & 0x3FFF;
		view->weight = weight;
	}
	view->ndigits = (len - hdrlen) / sizeof(uint16);
	view->digits = data + hdrlen;
}

/*
 * The value of a numeric in units of 10^-scale, where scale is at least
 * the numeric's dscale (so the conversion is exact).  false when it does
 * not fit in the fixed-point range.
 *
 * Digit i (base 10000) ends at the decimal place 10^(4 (weight - i)) of
 * the value, that is 10^(4 (weight - i) + scale) units.  The decimal
 * places of a digit that lie beyond the scale are dropped as the digit is
 * read (they can only be zeros), so the units accumulated never exceed the
 * result: a value of 38 digits whose last base-10000 digit pads it to 40
 * still fits.
 */
static inline bool
csm_view_to_fixed(const CsmNumericView *view, int scale, int128 *result)
{
	int128		v = 0;
	int			exponent;

	Assert(!view->special && scale >= view->dscale);
	for (int i = 0; i < view->ndigits; i++)
	{
		uint16		digit;
		int			places = 4;
		int			last = 4 * (view->weight - i) + scale;

		memcpy(&digit, view->digits + i * sizeof(uint16), sizeof(uint16));
		if (last < 0)
		{
			int			beyond = Min(-last, 4);
			int			divisor = (int) csm_pow10(beyond);

			/* only zeros can lie beyond the display scale */
			if (digit % divisor != 0)
				elog(ERROR, "csmetrics: numeric has digits beyond its display scale");
			digit /= divisor;
			places -= beyond;
		}
		if (__builtin_mul_overflow(v, csm_pow10(places), &v) ||
			__builtin_add_overflow(v, (int128) digit, &v))
			return false;
	}
	/* the last digit stands for 10^exponent units, if that is not below 1 */
	exponent = 4 * (view->weight - view->ndigits + 1) + scale;
	if (exponent > 0 && !csm_fixed_shift(v, exponent, &v))
		return false;
	if (!csm_fixed_in_range(v))
		return false;
	*result = view->negative ? -v : v;
	return true;
}

/* Append a fixed-point amount as a decimal number with scale digits */
static inline void
csm_fixed_append(StringInfo buf, int128 v, int scale)
{
	char		digits[CSM_FIXED_DIGITS + 2];
	int			n = 0;
	bool		negative = v < 0;
	uint128		u = negative ? -(uint128) v : (uint128) v;

	do
	{
		digits[n++] = '0' + (int) (u % 10);
		u /= 10;
	} while (u != 0 || n <= scale);
	if (negative)
		appendStringInfoChar(buf, '-');
	while (n > 0)
	{
		appendStringInfoChar(buf, digits[--n]);
		if (n == scale && n > 0)
			appendStringInfoChar(buf, '.');
	}
}

/*
 * A fixed-point amount as a numeric with display scale scale.  Built from
 * numeric's binary form through numeric_recv, which reads the same way in
 * every version: no text to format and parse, no division.  (From 16 on,
 * int64_div_fast_to_numeric does it for amounts within int64; 14's and
 * 15's gave wrong results for some scales before the minor releases that
 * fixed it.)  The binary form is ndigits, weight, sign and dscale as int16,
 * then the base-10000 digits, most significant first, all big-endian:
 * v's decimal digits, padded with pad = -scale mod 4 zeros on the right so
 * that the decimal point falls between two base-10000 digits.
 */
static inline Numeric
csm_fixed_to_numeric(int128 v, int scale)
{
	/*
	 * Any int128 (at most 39 decimal digits: callers may pass a value past
	 * the fixed-point range, such as a monthly amount times 12) and 3 of
	 * padding: at most 11 base-10000 digits
	 */
	uint16		groups[11];		/* least significant first */
	char		wire[8 + 2 * lengthof(groups)];
	StringInfoData buf;
	uint128		u = v < 0 ? -(uint128) v : (uint128) v;
	int			pad = (4 - scale % 4) % 4;
	int			ngroups = 0;
	int			low = 0;
	int			weight;
	int			ndigits;
	int			len = 0;

#if PG_VERSION_NUM >= 160000
	if (v >= PG_INT64_MIN && v <= PG_INT64_MAX)
		return int64_div_fast_to_numeric((int64) v, scale);
#endif
	Assert(scale >= 0 && scale <= NUMERIC_MAX_DISPLAY_SCALE);
	if (u != 0)
	{
		int			first = 10000 / (int) csm_pow10(pad);	/* 10^(4 - pad) */

		groups[ngroups++] = (uint16) (u % first) * (int) csm_pow10(pad);
		u /= first;
		while (u != 0)
		{
			groups[ngroups++] = (uint16) (u % 10000);
			u /= 10000;
		}
		/* trailing zero digits are not stored */
		while (groups[low] == 0)
			low++;
	}
	ndigits = ngroups - low;
	weight = ngroups == 0 ? 0 : ngroups - 1 - (scale + pad) / 4;

#define CSM_WIRE16(x) \
	(wire[len++] = (char) (((x) >> 8) & 0xFF), wire[len++] = (char) ((x) & 0xFF))
	CSM_WIRE16(ndigits);
	CSM_WIRE16((uint16) (int16) weight);
	CSM_WIRE16(v < 0 ? 0x4000 : 0x0000);
	CSM_WIRE16(scale);
	for (int i = ngroups - 1; i >= low; i--)
		CSM_WIRE16(groups[i]);
#undef CSM_WIRE16

	buf.data = wire;
	buf.len = len;
	buf.maxlen = sizeof(wire);
	buf.cursor = 0;
	return DatumGetNumeric(DirectFunctionCall3(numeric_recv,
											   PointerGetDatum(&buf),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

#endif							/* CSMETRICS_MONEY_H */
