/*-------------------------------------------------------------------------
 *
 * rowsort.h
 *	  Sorting rows of a few 64-bit words in lexicographic order (word 0
 *	  most significant, each word unsigned): an LSD radix sort that skips
 *	  the bits every row shares.
 *
 * For batches of fixed-size keys whose bits mostly agree (ids from a
 * small range, dates within a year), where a comparison sort spends its
 * time in comparisons: see rowsort.c for the method and its cost.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_ROWSORT_H
#define CSMETRICS_ROWSORT_H

#include "postgres.h"

/* The most words a row may have */
#define CSM_ROWSORT_MAX_WIDTH	3

/*
 * Sort n rows of width (1 to CSM_ROWSORT_MAX_WIDTH) words at rows, using
 * scratch (room for as many rows) as the second buffer.  Returns the
 * buffer that holds the sorted rows: rows or scratch.  Equal rows stay
 * (the sort is stable, though equal rows cannot be told apart).
 */
extern uint64 *csm_rowsort(uint64 *rows, uint64 *scratch, Size n, int width);

#endif							/* CSMETRICS_ROWSORT_H */
