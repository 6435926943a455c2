/*-------------------------------------------------------------------------
 *
 * graph_nodes.c
 *	  Dense vertex numbering for traversals: record -> number, parents,
 *	  depths, paths, and the work_mem check.
 *
 * Hash and equality look at the record's bytes, which are canonical.  All
 * memory is in nodes->cxt, one context per traversal, so its total is what
 * the budget bounds.
 *
 * IDENTIFICATION
 *	  src/model/graph_nodes.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "executor/nodeHash.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/memutils.h"

#include "model/graph.h"

/*
 * The numbering is kept compact, so that the traversals the recursive CTE
 * answers (a hub's 45,000 callers at the default work_mem) fit in
 * memory:
 *
 *	- records are packed one after another (4-byte aligned, no allocator
 *	  header) in arena blocks of ARENA_BLOCK bytes;
 *	- the record -> number map is an open-addressing table of 8-byte slots,
 *	  (hash << 32) | (number + 1), 0 for an empty slot, at most 3/4 full:
 *	  a probe compares record bytes only when the stored hash agrees, and
 *	  growing rehashes from the stored hashes without touching the records;
 *	- per number, the record pointer, parent and depth (16 bytes).
 *
 * About 30 bytes a vertex plus its record's bytes.  The budget is
 * hash_mem (work_mem * hash_mem_multiplier), as for PostgreSQL's own hash
 * tables.
 */
#define ARENA_BLOCK		(64 * 1024)
#define INITIAL_SLOTS	1024

static inline uint32
payload_hash(const char *data, Size len)
{
	return hash_bytes((const unsigned char *) data, (int) len);
}

/* the payload (bytes after the header) of a record datum, detoasted if need be */
static inline const char *
payload_of(Datum d, Size *len)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);

	if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
		v = pg_detoast_datum_packed(v);		/* never for real records */
	*len = VARSIZE_ANY_EXHDR(v);
	return VARDATA_ANY(v);
}

static int32 node_append(GraphNodes *nodes, DllbRecord *rec, int32 parent,
						 int32 depth);

/*
 * dllb_graph_nodes_init - an empty numbering in a new child of parent.
 */
void
dllb_graph_nodes_init(GraphNodes *nodes, MemoryContext parent)
{
	nodes->cxt = AllocSetContextCreate(parent, "dllb traversal",
									   ALLOCSET_DEFAULT_SIZES);
	nodes->slots = MemoryContextAllocZero(nodes->cxt, sizeof(uint64) * INITIAL_SLOTS);
	nodes->mask = INITIAL_SLOTS - 1;
	nodes->capacity = 1024;
	nodes->count = 0;
	nodes->nodes = MemoryContextAlloc(nodes->cxt, sizeof(GraphNode) * nodes->capacity);
	nodes->arena = NULL;
	nodes->arena_used = 0;
	nodes->arena_size = 0;
	nodes->budget = get_hash_memory_limit();
}

/* a packed copy of a record payload, with a 4-byte header, in the arena */
static DllbRecord *
arena_record(GraphNodes *nodes, const char *data, Size len)
{
	Size		need = INTALIGN(len + VARHDRSZ);
	DllbRecord *rec;

	if (nodes->arena == NULL || nodes->arena_used + need > nodes->arena_size)
	{
		Size		size = Max(ARENA_BLOCK, need);

		nodes->arena = MemoryContextAlloc(nodes->cxt, size);
		nodes->arena_size = size;
		nodes->arena_used = 0;
	}
	rec = (DllbRecord *) (nodes->arena + nodes->arena_used);
	nodes->arena_used += need;
	SET_VARSIZE(rec, len + VARHDRSZ);
	memcpy((char *) rec + VARHDRSZ, data, len);
	return rec;
}

/* double the slots, placing every entry by its stored hash */
static void
map_grow(GraphNodes *nodes)
{
	uint32		oldsize = nodes->mask + 1;
	uint32		newsize = oldsize * 2;
	uint64	   *old = nodes->slots;
	uint64	   *slots;
	uint32		mask = newsize - 1;
	uint32		i;

	if (newsize > (uint32) (MaxAllocSize / sizeof(uint64)))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("graph traversal met too many vertices")));
	slots = MemoryContextAllocZero(nodes->cxt, sizeof(uint64) * newsize);
	for (i = 0; i < oldsize; i++)
	{
		uint64		e = old[i];
		uint32		j;

		if (e == 0)
			continue;
		j = (uint32) (e >> 32) & mask;
		while (slots[j] != 0)
			j = (j + 1) & mask;
		slots[j] = e;
	}
	pfree(old);
	nodes->slots = slots;
	nodes->mask = mask;
}

/*
 * dllb_graph_node_lookup - the number of the record datum d; when it is
 * not numbered yet and add is true, number it with parent and depth (and
 * set *added), otherwise return -1.
 */
int32
dllb_graph_node_lookup(GraphNodes *nodes, Datum d, bool add, int32 parent,
					   int32 depth, bool *added)
{
	Size		len;
	const char *data = payload_of(d, &len);
	uint32		hash = payload_hash(data, len);
	uint32		i = hash & nodes->mask;
	int32		id;

	*added = false;
	for (;;)
	{
		uint64		e = nodes->slots[i];

		if (e == 0)
			break;
		if ((uint32) (e >> 32) == hash)
		{
			DllbRecord *rec;

			id = (int32) (uint32) e - 1;
			rec = nodes->nodes[id].rec;
			if (VARSIZE(rec) - VARHDRSZ == len &&
				memcmp((char *) rec + VARHDRSZ, data, len) == 0)
				return id;
		}
		i = (i + 1) & nodes->mask;
	}
	if (!add)
		return -1;
	id = node_append(nodes, arena_record(nodes, data, len), parent, depth);
	nodes->slots[i] = ((uint64) hash << 32) | (uint32) (id + 1);
	*added = true;
	if ((uint64) nodes->count * 4 > (uint64) (nodes->mask + 1) * 3)
		map_grow(nodes);
	return id;
}

/* give rec the next number (the map entry is the caller's business) */
static int32
node_append(GraphNodes *nodes, DllbRecord *rec, int32 parent, int32 depth)
{
	int32		id;

	if (nodes->count == nodes->capacity)
	{
		if (nodes->capacity >= (int32) (MaxAllocSize / sizeof(GraphNode) / 2))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("graph traversal met too many vertices")));
		nodes->capacity *= 2;
		nodes->nodes = repalloc(nodes->nodes, sizeof(GraphNode) * nodes->capacity);
	}
	id = nodes->count++;
	nodes->nodes[id].rec = rec;
	nodes->nodes[id].parent = parent;
	nodes->nodes[id].depth = depth;
	return id;
}

/*
 * dllb_graph_check_memory - fail clearly when the traversal's memory is
 * over its budget (hash_mem, shared by the two sides of a shortest path).
 */
void
dllb_graph_check_memory(GraphNodes *nodes)
{
	Size		used = MemoryContextMemAllocated(nodes->cxt, true);

	if (used > nodes->budget)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("graph traversal exceeded work_mem"),
				 errdetail("The traversal had met %d vertices and used %zu kB; it may use %zu kB (work_mem %d kB times hash_mem_multiplier %g).",
						   nodes->count, used / 1024, nodes->budget / 1024,
						   work_mem, hash_mem_multiplier),
				 errhint("Raise work_mem, or lower max_depth.")));
}

/*
 * dllb_graph_frontier_push - append id to a frontier (in nodes->cxt).
 */
void
dllb_graph_frontier_push(GraphNodes *nodes, GraphFrontier *f, int32 id)
{
	if (f->count == f->capacity)
	{
		f->capacity = f->capacity ? f->capacity * 2 : 256;
		if (f->ids == NULL)
			f->ids = MemoryContextAlloc(nodes->cxt, sizeof(int32) * f->capacity);
		else
			f->ids = repalloc(f->ids, sizeof(int32) * f->capacity);
	}
	f->ids[f->count++] = id;
}

/*
 * dllb_graph_path - the records from the start vertex to id as an array
 * (from id back to the start when reversed), in the caller's context.
 */
ArrayType *
dllb_graph_path(GraphNodes *nodes, GraphEdges *edges, int32 id, bool reversed)
{
	int32		len = 0;
	int32		i;
	int32		k;
	Datum	   *elems;

	for (i = id; i >= 0; i = nodes->nodes[i].parent)
		len++;
	elems = palloc(sizeof(Datum) * len);
	i = id;
	for (k = 0; k < len; k++)
	{
		elems[reversed ? k : len - 1 - k] = PointerGetDatum(nodes->nodes[i].rec);
		i = nodes->nodes[i].parent;
	}
	return construct_array(elems, len, edges->record_type, edges->typlen,
						   edges->typbyval, edges->typalign);
}
