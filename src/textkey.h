/*-------------------------------------------------------------------------
 *
 * textkey.h
 *	  A 64-bit key for a text id (a user or customer id given as text), for
 *	  the keyed summaries whose cell keys are fixed-size.
 *
 * The key is a 64-bit hash of the id's bytes (its database encoding, no
 * collation: ids are compared as bytes, as "=" on text compares them under
 * a deterministic collation).  The same id spelled with non-ASCII
 * characters has other bytes, so another key, in a database of another
 * encoding: summaries merged across servers need the same server encoding.  Summaries store the key, never the text, so
 * two different ids with the same key count as one.  For n distinct ids
 * hashed by a 64-bit function that behaves like a random one, the chance
 * of any collision is at most n(n-1)/2^65: 2.7e-8 for a million ids,
 * 2.7e-6 for ten million, 2.7e-4 for a hundred million.  Every document
 * of a function that takes text ids says so.
 *
 * The function must never change: keys are stored in summaries and merged
 * with keys computed later (by another server, another architecture, a
 * later release).  It therefore does not use PostgreSQL's hash_bytes,
 * whose result depends on the machine's byte order; it reads the bytes
 * one at a time, so every machine gives the same key.  The mixing is
 * MurmurHash64A's (Austin Appleby, public domain), with a fixed seed.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_TEXTKEY_H
#define CSMETRICS_TEXTKEY_H

#include "postgres.h"

/* The key of the len bytes at data; the same on every machine */
extern uint64 csm_text_key(const char *data, Size len);

/* The key of a text datum's value (detoasted if it must be) */
extern uint64 csm_text_datum_key(Datum value);

#endif							/* CSMETRICS_TEXTKEY_H */
