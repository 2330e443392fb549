/*-------------------------------------------------------------------------
 *
 * textkey.c
 *	  A 64-bit key for a text id; see textkey.h for the collision bound and
 *	  why the function is written out here.
 *
 * MurmurHash64A over the bytes, read little-endian one byte at a time:
 *	  h = seed ^ (len * m)
 *	  for each 8-byte block k:  k *= m; k ^= k >> r; k *= m; h ^= k; h *= m
 *	  the 1..7 bytes left:      h ^= their value (little-endian); h *= m
 *	  h ^= h >> r; h *= m; h ^= h >> r
 * with m = 0xc6a4a7935bd1e995, r = 47 and the seed below.  A test checks
 * fixed values computed by an independent implementation.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "textkey.h"

#define MURMUR_M	UINT64CONST(0xc6a4a7935bd1e995)
#define MURMUR_R	47
#define TEXTKEY_SEED	UINT64CONST(0x63736d6574726963)	/* "csmetric" */

/* The 64-bit little-endian value of n (at most 8) bytes */
static inline uint64
read_le(const unsigned char *p, Size n)
{
	uint64		v = 0;

	for (Size i = n; i > 0; i--)
		v = (v << 8) | p[i - 1];
	return v;
}

/* The key of the len bytes at data */
uint64
csm_text_key(const char *data, Size len)
{
	const unsigned char *p = (const unsigned char *) data;
	uint64		h = TEXTKEY_SEED ^ ((uint64) len * MURMUR_M);
	Size		blocks = len / 8;

	for (Size b = 0; b < blocks; b++)
	{
		uint64		k = read_le(p + b * 8, 8);

		k *= MURMUR_M;
		k ^= k >> MURMUR_R;
		k *= MURMUR_M;
		h ^= k;
		h *= MURMUR_M;
	}
	if (len % 8 != 0)
	{
		h ^= read_le(p + blocks * 8, len % 8);
		h *= MURMUR_M;
	}
	h ^= h >> MURMUR_R;
	h *= MURMUR_M;
	h ^= h >> MURMUR_R;
	return h;
}

/* The key of a text datum's value */
uint64
csm_text_datum_key(Datum value)
{
	text	   *t = DatumGetTextPP(value);
	uint64		key = csm_text_key(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

	if ((Pointer) t != DatumGetPointer(value))
		pfree(t);
	return key;
}
