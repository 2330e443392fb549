/*-------------------------------------------------------------------------
 *
 * cellmap.c
 *	  The keyed-cell aggregate state (see cellmap.h): an expanded object
 *	  holding a map from fixed-size keys to fixed-size payloads, all maps of
 *	  an aggregate context in one shared child context of it.
 *
 * Layout of a map: cells[] holds capacity cells of cell_size bytes, each
 * the key (key_size bytes, padded to MAXALIGN) and the payload.  A map is
 * either dense, its ncells cells first in the array (a new map, any map of
 * at most SMALL_CELLS cells, which is scanned, and any map just sorted), or
 * hashed: an open-addressing table of capacity places, a power of 2 at most
 * three quarters full, each cell at the first free place from its key's
 * hash (linear probing), with a bitmap of the places in use (used[], in
 * the same allocation, after the cells).  A dense map of more than
 * SMALL_CELLS cells is hashed again before it is next read or changed.
 * Removing a cell from a hashed map moves the cells after it in its probe
 * sequence back, so no tombstones are needed.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "cellmap.h"
#include "csmetrics.h"

/* the name of the shared child of an aggregate context */
#define CELLMAP_CONTEXT_NAME	"csmetrics cell maps"

/* up to this many cells, a map is scanned instead of hashed */
#define SMALL_CELLS		8

/* cells allocated for a new map */
#define INITIAL_CAPACITY	2

/* the most places a map may have */
#define MAX_CAPACITY	((uint32) 1 << 31)

static Size cellmap_get_flat_size(ExpandedObjectHeader *eohptr);
static void cellmap_flatten_into(ExpandedObjectHeader *eohptr,
								 void *result, Size allocated_size);

static const ExpandedObjectMethods cellmap_methods = {
	cellmap_get_flat_size,
	cellmap_flatten_into
};

/* ----------------------------------------------------------------
 * Keys
 * ----------------------------------------------------------------
 */

/* The 64-bit finalizer of MurmurHash3 (public domain) */
static inline uint64
mix64(uint64 x)
{
	x ^= x >> 33;
	x *= UINT64CONST(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64CONST(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

/* Hash of a key's bytes (key_size is a multiple of 4) */
static inline uint32
key_hash(const char *key, int key_size)
{
	uint64		h = 0;
	int			i = 0;

	if (key_size == 8)
	{
		memcpy(&h, key, sizeof(h));
		return (uint32) mix64(h);
	}
	for (; i + 8 <= key_size; i += 8)
	{
		uint64		w;

		memcpy(&w, key + i, sizeof(w));
		h = mix64(h ^ w);
	}
	if (i < key_size)
	{
		uint32		w;

		memcpy(&w, key + i, sizeof(w));
		h = mix64(h ^ w);
	}
	return (uint32) h;
}

static inline bool
key_equal(const char *a, const char *b, int key_size)
{
	if (key_size == 8)
	{
		uint64		x,
					y;

		memcpy(&x, a, sizeof(x));
		memcpy(&y, b, sizeof(y));
		return x == y;
	}
	return memcmp(a, b, key_size) == 0;
}

static inline char *
cell_at(const CsmCellMap *map, uint32 i)
{
	return map->cells + (Size) i * map->cell_size;
}

static inline bool
place_used(const CsmCellMap *map, uint32 i)
{
	return (map->used[i / 64] >> (i % 64)) & 1;
}

/* ----------------------------------------------------------------
 * The hashed form
 * ----------------------------------------------------------------
 */

/*
 * The place of key in a hashed map: its cell (*found) or the free place
 * where it would go
 */
static inline uint32
probe(const CsmCellMap *map, const char *key, bool *found)
{
	uint32		mask = map->capacity - 1;
	uint32		i = key_hash(key, map->key_size) & mask;

	while (place_used(map, i))
	{
		if (key_equal(cell_at(map, i), key, map->key_size))
		{
			*found = true;
			return i;
		}
		i = (i + 1) & mask;
	}
	*found = false;
	return i;
}

/*
 * Hash the cells into a new table of capacity places (a power of 2 above
 * ncells / 0.75)
 */
static void
rehash(CsmCellMap *map, uint32 capacity)
{
	char	   *old = map->cells;
	uint64	   *old_used = map->used;
	uint32		nold = old_used != NULL ? map->capacity : map->ncells;
	Size		cells_size;
	Size		used_size;

	if (capacity > MAX_CAPACITY)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many cells in a %s", map->type->name)));
	cells_size = (Size) capacity * map->cell_size;
	used_size = (capacity + 63) / 64 * sizeof(uint64);
	map->cells = MemoryContextAllocExtended(map->hdr.eoh_context,
											cells_size + used_size,
											MCXT_ALLOC_HUGE);
	map->used = (uint64 *) (map->cells + cells_size);
	memset(map->used, 0, used_size);
	map->capacity = capacity;
	for (uint32 i = 0; i < nold; i++)
	{
		bool		found;
		uint32		place;

		if (old_used != NULL && !((old_used[i / 64] >> (i % 64)) & 1))
			continue;
		place = probe(map, old + (Size) i * map->cell_size, &found);
		memcpy(cell_at(map, place), old + (Size) i * map->cell_size, map->cell_size);
		map->used[place / 64] |= UINT64CONST(1) << (place % 64);
	}
	pfree(old);
	map->sorted = false;
}

/* The smallest table that holds n cells at most three quarters full */
static uint32
capacity_for(uint32 n)
{
	uint32		capacity = 4 * SMALL_CELLS;

	while ((uint64) capacity * 3 < (uint64) n * 4)
		capacity *= 2;
	return capacity;
}

/*
 * Whether the map is to be used hashed: a dense map of more than
 * SMALL_CELLS cells (one just sorted) is hashed again here.
 */
static inline bool
use_hash(CsmCellMap *map)
{
	if (likely(map->used != NULL))
		return true;
	if (map->ncells <= SMALL_CELLS)
		return false;
	rehash(map, capacity_for(map->ncells));
	return true;
}

/* Remove the cell at place i of a hashed map */
static void
remove_hashed(CsmCellMap *map, uint32 i)
{
	uint32		mask = map->capacity - 1;
	uint32		j = i;

	for (;;)
	{
		uint32		home;

		j = (j + 1) & mask;
		if (!place_used(map, j))
			break;
		home = key_hash(cell_at(map, j), map->key_size) & mask;
		/* move cell j back to i unless its home lies cyclically in (i, j] */
		if (i <= j ? (home <= i || home > j) : (home <= i && home > j))
		{
			memcpy(cell_at(map, i), cell_at(map, j), map->cell_size);
			i = j;
		}
	}
	map->used[i / 64] &= ~(UINT64CONST(1) << (i % 64));
	map->ncells--;
}

/* ----------------------------------------------------------------
 * Creating a map, finding its state
 * ----------------------------------------------------------------
 */

/*
 * The child of aggcontext that holds every cell map of that aggregate
 * context, created on first use.  It is looked for only when a group gets
 * a new map; an existing map knows its context.
 */
static MemoryContext
shared_context(MemoryContext aggcontext)
{
	Size		max_block = ALLOCSET_DEFAULT_MAXSIZE;

	for (MemoryContext c = aggcontext->firstchild; c != NULL; c = c->nextchild)
		if (strcmp(c->name, CELLMAP_CONTEXT_NAME) == 0)
			return c;

	/*
	 * Blocks of at most work_mem / 16, as the executor sizes the hash
	 * table's own context (CreateWorkExprContext): with 8 MB blocks, hash
	 * aggregation overshot hash_mem by a block before it began to spill.
	 */
	while (max_block > ALLOCSET_DEFAULT_INITSIZE &&
		   16 * max_block > (Size) work_mem * 1024)
		max_block >>= 1;
	return AllocSetContextCreate(aggcontext, CELLMAP_CONTEXT_NAME,
								 ALLOCSET_DEFAULT_MINSIZE,
								 ALLOCSET_DEFAULT_INITSIZE, max_block);
}

/* A new, empty map in the shared context of aggcontext */
static CsmCellMap *
cellmap_new(const CsmCellMapType *type, MemoryContext aggcontext)
{
	MemoryContext cxt = shared_context(aggcontext);
	CsmCellMap *map;

	Assert(type->map_size >= sizeof(CsmCellMap));
	Assert(type->key_size > 0 && type->key_size % 4 == 0 &&
		   type->key_size <= CSM_CELLMAP_MAX_KEY);
	map = MemoryContextAllocZero(cxt, type->map_size);
	EOH_init_header(&map->hdr, &cellmap_methods, cxt);
	map->type = type;
	map->key_size = type->key_size;
	map->payload_offset = MAXALIGN(type->key_size);
	map->cell_size = MAXALIGN(map->payload_offset + type->payload_size);
	map->capacity = INITIAL_CAPACITY;
	map->cells = MemoryContextAlloc(cxt, (Size) map->capacity * map->cell_size);
	map->sorted = true;
	return map;
}

CsmCellMap *
csm_cellmap_state(FunctionCallInfo fcinfo, const CsmCellMapType *type,
				  MemoryContext aggcontext)
{
	CsmCellMap *map;
	Datum		d;

	if (PG_ARGISNULL(0))
		return cellmap_new(type, aggcontext);
	d = PG_GETARG_DATUM(0);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		varatt_expanded ptr;

		/* DatumGetEOHP, without a function call per row */
		memcpy(&ptr, VARDATA_EXTERNAL(DatumGetPointer(d)), sizeof(ptr));
		map = (CsmCellMap *) ptr.eohptr;
	}
	else
		map = NULL;
	if (map != NULL && map->hdr.eoh_methods == &cellmap_methods)
	{
		/*
		 * The executor's own state, returned by an earlier call: update it
		 * in place.  Returning anything else would make the executor delete
		 * it, and with it the shared context.
		 */
		if (map->type != type)
			elog(ERROR, "csmetrics: a %s state was passed as a %s state",
				 map->type->name, type->name);
		return map;
	}
	/* a flat state (an INITCOND): a map holding a copy of its cells */
	map = cellmap_new(type, aggcontext);
	type->merge(map, d);
	return map;
}

Datum
csm_cellmap_combine(FunctionCallInfo fcinfo, const CsmCellMapType *type,
					const char *funcname)
{
	MemoryContext aggcontext = csm_aggregate_context(fcinfo, funcname);
	CsmCellMap *map;

	CSM_PASS_STATE_IF_INPUT_NULL();
	map = csm_cellmap_state(fcinfo, type, aggcontext);
	type->merge(map, PG_GETARG_DATUM(1));
	return csm_cellmap_datum(map);
}

/* ----------------------------------------------------------------
 * Cells
 * ----------------------------------------------------------------
 */

/* A new cell for key at cell, zeroed; its payload */
static inline void *
new_cell(CsmCellMap *map, char *cell, const void *key)
{
	memset(cell, 0, map->cell_size);
	memcpy(cell, key, map->key_size);
	map->ncells++;
	return cell + map->payload_offset;
}

/* The colder half of csm_cellmap_insert: a dense map */
static pg_noinline void *
insert_dense(CsmCellMap *map, const void *key, bool *found)
{
	char	   *cell;
	void	   *payload;

	if (use_hash(map))
		return csm_cellmap_insert(map, key, found);
	for (uint32 c = 0; c < map->ncells; c++)
	{
		cell = cell_at(map, c);
		if (key_equal(cell, key, map->key_size))
		{
			*found = true;
			return cell + map->payload_offset;
		}
	}
	*found = false;
	if (map->ncells == SMALL_CELLS)
	{
		rehash(map, capacity_for(map->ncells + 1));
		return csm_cellmap_insert(map, key, found);
	}
	if (map->ncells == map->capacity)
	{
		map->capacity *= 2;
		map->cells = repalloc(map->cells, (Size) map->capacity * map->cell_size);
	}
	cell = cell_at(map, map->ncells);
	payload = new_cell(map, cell, key);
	if (map->sorted && map->ncells > 1 &&
		map->type->key_cmp(cell_at(map, map->ncells - 2), cell) >= 0)
		map->sorted = false;
	return payload;
}

void *
csm_cellmap_insert(CsmCellMap *map, const void *key, bool *found)
{
	uint32		place;

	if (unlikely(map->used == NULL))
		return insert_dense(map, key, found);
	place = probe(map, key, found);
	if (likely(*found))
		return cell_at(map, place) + map->payload_offset;
	if (unlikely((uint64) (map->ncells + 1) * 4 > (uint64) map->capacity * 3))
	{
		rehash(map, map->capacity * 2);
		place = probe(map, key, found);
	}
	map->used[place / 64] |= UINT64CONST(1) << (place % 64);
	return new_cell(map, cell_at(map, place), key);
}

void *
csm_cellmap_lookup(CsmCellMap *map, const void *key)
{
	bool		found;

	if (use_hash(map))
	{
		uint32		place = probe(map, key, &found);

		return found ? cell_at(map, place) + map->payload_offset : NULL;
	}
	for (uint32 c = 0; c < map->ncells; c++)
	{
		char	   *cell = cell_at(map, c);

		if (key_equal(cell, key, map->key_size))
			return cell + map->payload_offset;
	}
	return NULL;
}

void
csm_cellmap_delete(CsmCellMap *map, const void *key)
{
	uint32		c;

	if (use_hash(map))
	{
		bool		found;
		uint32		place = probe(map, key, &found);

		if (!found)
			elog(ERROR, "csmetrics: removing a key missing from a %s", map->type->name);
		remove_hashed(map, place);
		return;
	}
	for (c = 0; c < map->ncells; c++)
		if (key_equal(cell_at(map, c), key, map->key_size))
			break;
	if (c == map->ncells)
		elog(ERROR, "csmetrics: removing a key missing from a %s", map->type->name);
	/* a dense map keeps its order */
	memmove(cell_at(map, c), cell_at(map, c + 1),
			(Size) (map->ncells - c - 1) * map->cell_size);
	map->ncells--;
}

void
csm_cellmap_sort(CsmCellMap *map)
{
	if (map->used != NULL)
	{
		uint32		n = 0;

		/* pack the cells at the start of the table: the map is dense */
		for (uint32 i = 0; i < map->capacity; i++)
			if (place_used(map, i) && n++ != i)
				memcpy(cell_at(map, n - 1), cell_at(map, i), map->cell_size);
		Assert(n == map->ncells);
		map->used = NULL;
	}
	if (!map->sorted)
	{
		qsort(map->cells, map->ncells, map->cell_size, map->type->key_cmp);
		map->sorted = true;
	}
}

/* ----------------------------------------------------------------
 * The flat form, written by the type
 * ----------------------------------------------------------------
 */
static Size
cellmap_get_flat_size(ExpandedObjectHeader *eohptr)
{
	CsmCellMap *map = (CsmCellMap *) eohptr;

	Assert(eohptr->eoh_methods == &cellmap_methods);
	csm_cellmap_sort(map);
	return map->type->flat_size(map);
}

static void
cellmap_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	CsmCellMap *map = (CsmCellMap *) eohptr;

	Assert(eohptr->eoh_methods == &cellmap_methods);
	csm_cellmap_sort(map);
	memset(result, 0, allocated_size);
	map->type->flatten(map, result, allocated_size);
}
