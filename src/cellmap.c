/*-------------------------------------------------------------------------
 *
 * cellmap.c
 *	  The keyed-cell aggregate state (see cellmap.h): an expanded object
 *	  holding a map from fixed-size keys to fixed-size payloads, all maps of
 *	  an aggregate context in one shared child context of it.
 *
 * Layout of a map: cells[] is dense, ncells cells of cell_size bytes, the
 * key first (key_size bytes, padded to MAXALIGN) and then the payload.  A
 * map of at most SMALL_CELLS cells has no hash index and is scanned; a
 * larger one has slots[], a power-of-2 array at most half full, each slot
 * 0 (free) or a cell number + 1, found by linear probing from the key's
 * hash.  Removing a cell moves the last cell into its place (so cell
 * numbers stay dense) and closes the gap in the probe sequence by shifting
 * later slots back, so no tombstones are needed.
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

/* the most cells a map may hold (cell numbers + 1 fit in a uint32 slot) */
#define MAX_CELLS		((uint32) PG_INT32_MAX)

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

/* ----------------------------------------------------------------
 * The hash index
 * ----------------------------------------------------------------
 */

/* The slot holding key, or the free slot where it would go */
static inline uint32
find_slot(const CsmCellMap *map, const char *key, uint32 hash)
{
	uint32		mask = map->nslots - 1;
	uint32		i = hash & mask;
	int			key_size = map->type->key_size;

	while (map->slots[i] != 0 &&
		   !key_equal(cell_at(map, map->slots[i] - 1), key, key_size))
		i = (i + 1) & mask;
	return i;
}

/* (Re)build the index with nslots slots from the cells */
static void
build_index(CsmCellMap *map, uint32 nslots)
{
	if (map->slots != NULL)
		pfree(map->slots);
	map->slots = MemoryContextAllocExtended(map->hdr.eoh_context,
											(Size) nslots * sizeof(uint32),
											MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	map->nslots = nslots;
	for (uint32 c = 0; c < map->ncells; c++)
	{
		const char *key = cell_at(map, c);

		map->slots[find_slot(map, key, key_hash(key, map->type->key_size))] = c + 1;
	}
}

/*
 * Whether the map has an index (else it is small and scanned); an index
 * that csm_cellmap_sort dropped is rebuilt here, when first needed.
 */
static inline bool
use_index(CsmCellMap *map)
{
	if (map->nslots == 0)
		return false;
	if (unlikely(map->slots == NULL))
		build_index(map, map->nslots);
	return true;
}

/* Free slot i and close the gap it leaves in the probe sequences after it */
static void
free_slot(CsmCellMap *map, uint32 i)
{
	uint32		mask = map->nslots - 1;
	uint32		j = i;

	for (;;)
	{
		uint32		home;

		j = (j + 1) & mask;
		if (map->slots[j] == 0)
			break;
		home = key_hash(cell_at(map, map->slots[j] - 1), map->type->key_size) & mask;
		/* move slot j back to i unless its home lies cyclically in (i, j] */
		if (i <= j ? (home <= i || home > j) : (home <= i && home > j))
		{
			map->slots[i] = map->slots[j];
			i = j;
		}
	}
	map->slots[i] = 0;
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
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == &cellmap_methods)
	{
		/*
		 * The executor's own state, returned by an earlier call: update it
		 * in place.  Returning anything else would make the executor delete
		 * it, and with it the shared context.
		 */
		map = (CsmCellMap *) DatumGetEOHP(d);
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

/* Append a cell for key (the caller knows it is missing); its payload */
static void *
append_cell(CsmCellMap *map, const void *key)
{
	const CsmCellMapType *type = map->type;
	char	   *cell;

	if (map->ncells == map->capacity)
	{
		if (map->capacity >= MAX_CELLS / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many cells in a %s", type->name)));
		map->capacity *= 2;
		map->cells = repalloc_huge(map->cells, (Size) map->capacity * map->cell_size);
	}
	cell = cell_at(map, map->ncells);
	memset(cell, 0, map->cell_size);
	memcpy(cell, key, type->key_size);
	map->ncells++;
	if (map->sorted && map->ncells > 1 &&
		type->key_cmp(cell_at(map, map->ncells - 2), cell) >= 0)
		map->sorted = false;
	return cell + map->payload_offset;
}

void *
csm_cellmap_insert(CsmCellMap *map, const void *key, bool *found)
{
	int			key_size = map->type->key_size;
	uint32		hash;
	uint32		slot;
	void	   *payload;

	if (!use_index(map))
	{
		for (uint32 c = 0; c < map->ncells; c++)
		{
			char	   *cell = cell_at(map, c);

			if (key_equal(cell, key, key_size))
			{
				*found = true;
				return cell + map->payload_offset;
			}
		}
		*found = false;
		payload = append_cell(map, key);
		if (map->ncells > SMALL_CELLS)
			build_index(map, 4 * SMALL_CELLS);
		return payload;
	}

	hash = key_hash(key, key_size);
	slot = find_slot(map, key, hash);
	if (map->slots[slot] != 0)
	{
		*found = true;
		return cell_at(map, map->slots[slot] - 1) + map->payload_offset;
	}
	*found = false;
	payload = append_cell(map, key);
	map->slots[slot] = map->ncells;
	if ((uint64) map->ncells * 2 > map->nslots)
		build_index(map, map->nslots * 2);
	return payload;
}

void *
csm_cellmap_lookup(CsmCellMap *map, const void *key)
{
	int			key_size = map->type->key_size;
	uint32		slot;

	if (!use_index(map))
	{
		for (uint32 c = 0; c < map->ncells; c++)
		{
			char	   *cell = cell_at(map, c);

			if (key_equal(cell, key, key_size))
				return cell + map->payload_offset;
		}
		return NULL;
	}
	slot = find_slot(map, key, key_hash(key, key_size));
	if (map->slots[slot] == 0)
		return NULL;
	return cell_at(map, map->slots[slot] - 1) + map->payload_offset;
}

void
csm_cellmap_delete(CsmCellMap *map, const void *key)
{
	int			key_size = map->type->key_size;
	uint32		last = map->ncells - 1;
	uint32		c;

	if (!use_index(map))
	{
		for (c = 0; c < map->ncells; c++)
			if (key_equal(cell_at(map, c), key, key_size))
				break;
		if (c == map->ncells)
			elog(ERROR, "csmetrics: removing a key missing from a %s", map->type->name);
		/* a small map keeps its order */
		memmove(cell_at(map, c), cell_at(map, c + 1),
				(Size) (last - c) * map->cell_size);
		map->ncells--;
		return;
	}
	else
	{
		uint32		slot = find_slot(map, key, key_hash(key, key_size));

		if (map->slots[slot] == 0)
			elog(ERROR, "csmetrics: removing a key missing from a %s", map->type->name);
		c = map->slots[slot] - 1;
		free_slot(map, slot);
	}
	if (c != last)
	{
		/* move the last cell into the hole and point its slot there */
		const char *moved = cell_at(map, last);

		map->slots[find_slot(map, moved, key_hash(moved, key_size))] = c + 1;
		memcpy(cell_at(map, c), moved, map->cell_size);
		map->sorted = false;
	}
	map->ncells--;
}

void
csm_cellmap_sort(CsmCellMap *map)
{
	if (map->sorted)
		return;
	qsort(map->cells, map->ncells, map->cell_size, map->type->key_cmp);
	map->sorted = true;
	/* the index is stale: drop it until it is needed again */
	if (map->slots != NULL)
	{
		pfree(map->slots);
		map->slots = NULL;
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
