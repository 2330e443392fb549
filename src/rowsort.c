/*-------------------------------------------------------------------------
 *
 * rowsort.c
 *	  An LSD radix sort of rows of a few 64-bit words (rowsort.h).
 *
 * A row r of W words w_0 .. w_{W-1} stands for the unsigned number
 *	  K(r) = sum over j of w_j * 2^(64 (W - 1 - j))
 * of 64W bits; rows are sorted by K, which is the lexicographic order of
 * their words.  A digit is a run of b consecutive bits of one word (b at
 * most 8, or 11 for large batches); the digits d_1, d_2, ..., d_m are
 * taken from the least significant bits of K to the most, without
 * overlapping.
 *
 * Method (least significant digit first): for d = d_1 .. d_m the rows are
 * moved, stably, into 2^b buckets by the value of d (a counting sort: the
 * count of each value, their running sums as the first slot of each
 * bucket, then each row to the next slot of its bucket).  After the pass
 * of d_k the rows are in order of their digits d_k .. d_1: rows whose d_k
 * differs are put in its order, and rows whose d_k is equal keep the order
 * of the earlier passes, which is that of d_(k-1) .. d_1 (by induction).
 *
 * Bits that no digit covers must be the same in every row; then, after
 * the last pass, the rows are in order of K.  They are found from the AND
 * and the OR of every row's words: a bit is the same in every row exactly
 * when it is equal in the AND and the OR, so the bits that vary are those
 * of AND xor OR.  The digits cover, in each word, the span from its lowest
 * to its highest varying bit, cut into the fewest digits of at most b
 * bits, of equal widths; a digit with no varying bit is left out (its pass
 * would put every row in one bucket, in its current order).  Batches of
 * user ids below 2^24 and of days within a year vary in about 24 + 9
 * bits: 3 or 4 passes.
 *
 * Cost: a pass for the AND and the OR, a pass counting the values of every
 * digit, then one pass per digit moving every row; no comparisons.  Under
 * CSM_ROWSORT_SMALL rows an insertion sort is cheaper than setting up the
 * counts.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "port/pg_bitutils.h"

#include "rowsort.h"

/* At most this many rows: insertion sort */
#define CSM_ROWSORT_SMALL	32

/*
 * Digits of at most 8 bits (256 buckets), or of at most 11 bits (2048
 * buckets: 8 kB of counts) from this many rows on, where fewer passes
 * over the rows matter more than setting up larger counts
 */
#define CSM_ROWSORT_WIDE_ROWS	65536
#define CSM_ROWSORT_WIDE_BITS	11

/* -1, 0 or 1 as row a is below, equal to or above row b */
static inline int
rowsort_cmp(const uint64 *a, const uint64 *b, int width)
{
	for (int j = 0; j < width; j++)
		if (a[j] != b[j])
			return a[j] < b[j] ? -1 : 1;
	return 0;
}

static void
rowsort_insertion(uint64 *rows, Size n, int width)
{
	uint64		row[CSM_ROWSORT_MAX_WIDTH];

	for (Size i = 1; i < n; i++)
	{
		Size		j = i;

		memcpy(row, rows + i * width, width * sizeof(uint64));
		while (j > 0 && rowsort_cmp(rows + (j - 1) * width, row, width) > 0)
		{
			memcpy(rows + j * width, rows + (j - 1) * width, width * sizeof(uint64));
			j--;
		}
		memcpy(rows + j * width, row, width * sizeof(uint64));
	}
}

/*
 * One counting-sort pass: each row of src to the next slot of the bucket
 * of its digit (word, shift, mask), in dst.  Inlined with a constant width.
 */
static pg_attribute_always_inline void
rowsort_pass(const uint64 *src, uint64 *dst, Size n, int width,
			 int word, int shift, uint64 mask, uint32 *next)
{
	for (Size i = 0; i < n; i++)
	{
		const uint64 *row = src + i * width;
		uint64	   *out = dst + (Size) next[(row[word] >> shift) & mask]++ * width;

		for (int j = 0; j < width; j++)
			out[j] = row[j];
	}
}

/* A digit: bits shift .. shift + bits - 1 of a word; its counts at offset */
typedef struct RowsortDigit
{
	int			word;
	int			shift;
	int			bits;
	Size		offset;
} RowsortDigit;

/* Sort rows (see the header comment); returns rows or scratch */
uint64 *
csm_rowsort(uint64 *rows, uint64 *scratch, Size n, int width)
{
	uint64		and_words[CSM_ROWSORT_MAX_WIDTH];
	uint64		or_words[CSM_ROWSORT_MAX_WIDTH];
	RowsortDigit digits[CSM_ROWSORT_MAX_WIDTH * 8];	/* at most 8 a word */
	int			ndigits = 0;
	int			max_bits = n >= CSM_ROWSORT_WIDE_ROWS ? CSM_ROWSORT_WIDE_BITS : 8;
	Size		ncounts = 0;
	uint32	   *counts;
	uint64	   *src = rows;
	uint64	   *dst = scratch;

	if (width < 1 || width > CSM_ROWSORT_MAX_WIDTH || n > PG_UINT32_MAX)
		elog(ERROR, "csm_rowsort: %zu rows of %d words", n, width);
	if (n <= CSM_ROWSORT_SMALL)
	{
		rowsort_insertion(rows, n, width);
		return rows;
	}

	/* the bits that vary in each word */
	for (int j = 0; j < width; j++)
	{
		and_words[j] = ~UINT64CONST(0);
		or_words[j] = 0;
	}
	for (Size i = 0; i < n; i++)
		for (int j = 0; j < width; j++)
		{
			and_words[j] &= rows[i * width + j];
			or_words[j] |= rows[i * width + j];
		}

	/*
	 * The digits, least significant first: the span from the lowest to the
	 * highest varying bit of each word, cut into equal digits of at most
	 * max_bits; a digit whose bits are all constant is left out
	 */
	for (int j = width - 1; j >= 0; j--)
	{
		uint64		varying = and_words[j] ^ or_words[j];
		int			lo,
					hi,
					passes,
					bits;

		if (varying == 0)
			continue;
		lo = pg_rightmost_one_pos64(varying);
		hi = pg_leftmost_one_pos64(varying);
		passes = (hi - lo + max_bits) / max_bits;
		bits = (hi - lo + passes) / passes;
		for (int shift = lo; shift <= hi; shift += bits)
		{
			int			b = Min(bits, hi + 1 - shift);

			if (((varying >> shift) & ((UINT64CONST(1) << b) - 1)) == 0)
				continue;
			digits[ndigits].word = j;
			digits[ndigits].shift = shift;
			digits[ndigits].bits = b;
			digits[ndigits].offset = ncounts;
			ncounts += (Size) 1 << b;
			ndigits++;
		}
	}

	/* the count of each value of every digit, in one pass */
	counts = palloc0(Max(ncounts, 1) * sizeof(uint32));
	for (Size i = 0; i < n; i++)
	{
		const uint64 *row = rows + i * width;

		for (int k = 0; k < ndigits; k++)
		{
			const RowsortDigit *d = &digits[k];

			counts[d->offset + ((row[d->word] >> d->shift) & ((UINT64CONST(1) << d->bits) - 1))]++;
		}
	}

	for (int k = 0; k < ndigits; k++)
	{
		const RowsortDigit *d = &digits[k];
		uint32	   *next = counts + d->offset;
		uint64		mask = (UINT64CONST(1) << d->bits) - 1;
		uint32		sum = 0;
		uint64	   *swap;

		/* counts to the first slot of each bucket */
		for (Size b = 0; b <= mask; b++)
		{
			uint32		c = next[b];

			next[b] = sum;
			sum += c;
		}
		switch (width)
		{
			case 1:
				rowsort_pass(src, dst, n, 1, d->word, d->shift, mask, next);
				break;
			case 2:
				rowsort_pass(src, dst, n, 2, d->word, d->shift, mask, next);
				break;
			default:
				rowsort_pass(src, dst, n, 3, d->word, d->shift, mask, next);
				break;
		}
		swap = src;
		src = dst;
		dst = swap;
	}
	pfree(counts);
	return src;
}
