/*-------------------------------------------------------------------------
 *
 * cellmap.h
 *	  The keyed-cell aggregate state: a map from a fixed-size key to a
 *	  fixed-size payload, updated in place by transition functions and
 *	  flattened in key order into a summary type's stored form.
 *
 * A summary whose state is "one cell per distinct key" (cohort tables keyed
 * by (cohort, period), survival summaries keyed by tenure, ...) keeps its
 * summary type as the aggregate's state type, as DESIGN.md asks, but needs
 * a state that grows in place while the aggregate runs.  A flat varlena
 * cannot grow in place (the executor copies any new pointer a transition
 * function returns), so the state is an expanded object
 * (utils/expandeddatum.h): the executor keeps a read-write expanded object
 * without copying when its memory context is a child of the aggregate
 * context, and flattens it (EOH_flatten_into) only when the value leaves
 * the aggregate: stored in a table, sent by a parallel worker, passed to an
 * output function or an accessor.  The flat form is the summary type's
 * stored form, written by the type's own flatten callback with the cells
 * in key order.
 *
 * Memory.  All the cell maps of one aggregate context share ONE child
 * context of it ("csmetrics cell maps"); no map has a context of its own.
 * PostgreSQL 15's HashAggregate sums the memory of the whole context tree
 * under its aggregate context each time it creates a group
 * (hash_agg_check_limits), so a context per group made n groups cost
 * O(n^2); one shared child keeps that sum O(1) and still counts every byte
 * of every map, so hash_mem spilling sees the real size.  The shared
 * context goes away with the aggregate context (a new group in a sorted
 * plan, a new batch of a spilling hash table, a window frame restart).
 * The executor deletes an expanded state only when a transition function
 * returns a different pointer (DeleteExpandedObject would then delete the
 * shared context); csm_cellmap_state() therefore returns the same map for
 * as long as the executor hands it back, and a new one only in place of a
 * NULL or flat state.
 *
 * Cells.  A cell is a key and a payload, MAXALIGNed.  A small map keeps
 * its cells dense and scans them; a larger one is an open-addressing hash
 * table of cells (linear probing, at most three quarters full), so that
 * finding a cell touches one place in memory, as simplehash.h does.  Keys
 * are compared and hashed as bytes, so equal keys must have equal bytes (no
 * padding, no negative zero).  Sorting packs the cells, dense, in key order
 * (the table is rebuilt when the map next changes), and a dense map
 * remembers that it is sorted until a new key breaks the order, so a state
 * flattened again and again (a window frame) is sorted only when needed.
 *
 * Writing a new keyed summary: see "Keyed summaries" in doc/developing.md.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_CELLMAP_H
#define CSMETRICS_CELLMAP_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/expandeddatum.h"

/* Longest key, in bytes */
#define CSM_CELLMAP_MAX_KEY		64

typedef struct CsmCellMap CsmCellMap;

/*
 * What a summary type tells the cell map about itself; one static const
 * instance per type.
 */
typedef struct CsmCellMapType
{
	const char *name;			/* the SQL type, for messages */
	Size		map_size;		/* size of the type's state struct, which
								 * begins with a CsmCellMap */
	uint16		key_size;		/* bytes of a key: a multiple of 4, at most
								 * CSM_CELLMAP_MAX_KEY */
	uint16		payload_size;	/* bytes of a payload */

	/* Order of two keys in the flat form (qsort style) */
	int			(*key_cmp) (const void *a, const void *b);

	/*
	 * Add every cell of a flat value of the type to the map, validating the
	 * value first.  Used for the combine function's second argument and to
	 * expand a flat state (an INITCOND); the map may be new and empty.
	 */
	void		(*merge) (CsmCellMap *map, Datum flat);

	/* Size of the flat form; the cells are in key order */
	Size		(*flat_size) (CsmCellMap *map);

	/*
	 * Write the flat form into result (size bytes, zeroed); the cells are in
	 * key order.
	 */
	void		(*flatten) (CsmCellMap *map, void *result, Size size);
} CsmCellMapType;

/*
 * The map.  Types read it only through the functions below; a type's own
 * state struct starts with it and adds the fields the whole map shares
 * (a grain, a running total).
 */
struct CsmCellMap
{
	ExpandedObjectHeader hdr;	/* eoh_context is the shared context */
	const CsmCellMapType *type;
	char	   *cells;			/* capacity cells of cell_size bytes */
	uint64	   *used;			/* if the cells are an open-addressing table
								 * of capacity (a power of 2) places, a bit
								 * per place in use; NULL when they are the
								 * first ncells, "dense" */
	uint32		ncells;			/* cells in use */
	uint32		capacity;		/* cells allocated */
	uint16		key_size;		/* type->key_size */
	uint16		payload_offset; /* MAXALIGN(key_size) */
	uint16		cell_size;
	bool		sorted;			/* dense, and in key order */
};

/*
 * The map to update in a transition, inverse or combine call, from the
 * state argument (argument 0): the map of the previous call, updated in
 * place; a new, empty map in the shared context of aggcontext if the state
 * is NULL; or a new map holding the cells of a flat state.  aggcontext is
 * what csm_aggregate_context() returned.  The caller returns
 * csm_cellmap_datum(map).
 */
extern CsmCellMap *csm_cellmap_state(FunctionCallInfo fcinfo,
									 const CsmCellMapType *type,
									 MemoryContext aggcontext);

/*
 * A combine function: merges the flat value in argument 1 into the state
 * in argument 0 (type->merge), handling all four NULL cases.  Also the
 * transition function of rollup().
 */
extern Datum csm_cellmap_combine(FunctionCallInfo fcinfo,
								 const CsmCellMapType *type,
								 const char *funcname);

/*
 * Define the SQL-callable combine function funcname of a cell-map type as
 * csm_cellmap_combine; every cell-map type has one.
 */
#define CSM_CELLMAP_COMBINE_FUNCTION(funcname, type) \
	PG_FUNCTION_INFO_V1(funcname); \
	Datum \
	funcname(PG_FUNCTION_ARGS) \
	{ \
		return csm_cellmap_combine(fcinfo, &(type), #funcname); \
	} \
	extern int	no_such_variable

/* The payload of key, added (zeroed) if missing; *found says which */
extern void *csm_cellmap_insert(CsmCellMap *map, const void *key, bool *found);

/* The payload of key, or NULL */
extern void *csm_cellmap_lookup(CsmCellMap *map, const void *key);

/* Remove the cell of key, which must exist */
extern void csm_cellmap_delete(CsmCellMap *map, const void *key);

/*
 * Put the cells in key order, dense, for reading with csm_cellmap_key and
 * csm_cellmap_payload (a no-op when they are)
 */
extern void csm_cellmap_sort(CsmCellMap *map);

/* The state datum to return: the map's read-write pointer */
static inline Datum
csm_cellmap_datum(CsmCellMap *map)
{
	return EOHPGetRWDatum(&map->hdr);
}

/* The number of cells */
static inline uint32
csm_cellmap_count(const CsmCellMap *map)
{
	return map->ncells;
}

/*
 * The key of cell i (0 <= i < count), after csm_cellmap_sort and before the
 * next change of the map: the cells in key order.
 */
static inline const void *
csm_cellmap_key(const CsmCellMap *map, uint32 i)
{
	Assert(map->sorted && i < map->ncells);
	return map->cells + (Size) i * map->cell_size;
}

/* The payload of cell i, on the same terms */
static inline void *
csm_cellmap_payload(const CsmCellMap *map, uint32 i)
{
	Assert(map->sorted && i < map->ncells);
	return map->cells + (Size) i * map->cell_size + map->payload_offset;
}

/* The memory context of the map, for data that a payload points to */
static inline MemoryContext
csm_cellmap_context(const CsmCellMap *map)
{
	return map->hdr.eoh_context;
}

#endif							/* CSMETRICS_CELLMAP_H */
