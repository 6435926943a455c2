/*-------------------------------------------------------------------------
 *
 * graph_nodes.c
 *	  Dense vertex numbering for traversals: record -> number, parents,
 *	  depths, paths, and the work_mem check.
 *
 * The hash table is keyed by a pointer to a 4-byte-header copy of the
 * record; hash and equality look at the record's bytes, which are
 * canonical.  All memory is in nodes->cxt, one context per traversal, so
 * its total is what work_mem bounds.
 *
 * IDENTIFICATION
 *	  src/model/graph_nodes.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/memutils.h"

#include "model/graph.h"

/*
 * The record -> number map is an open-addressing simplehash table that
 * stores each entry's hash, so a probe compares record bytes only when the
 * hashes agree (dynahash with a custom hash and compare function cost a
 * third of a wide traversal's time).
 */
typedef struct NodeEntry
{
	DllbRecord *key;
	uint32		hash;
	int32		id;
	char		status;
} NodeEntry;

static inline uint32
record_hash(const DllbRecord *rec)
{
	return hash_bytes((const unsigned char *) rec + VARHDRSZ,
					  VARSIZE(rec) - VARHDRSZ);
}

static inline bool
record_equal(const DllbRecord *a, const DllbRecord *b)
{
	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

#define SH_PREFIX		nodemap
#define SH_ELEMENT_TYPE NodeEntry
#define SH_KEY_TYPE		DllbRecord *
#define SH_KEY			key
#define SH_HASH_KEY(tb, k)	record_hash(k)
#define SH_EQUAL(tb, a, b)	record_equal(a, b)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a)	((a)->hash)
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

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
	nodes->map = nodemap_create(nodes->cxt, 256, NULL);
	nodes->capacity = 1024;
	nodes->count = 0;
	nodes->scratch = NULL;
	nodes->scratch_size = 0;
	nodes->nodes = MemoryContextAlloc(nodes->cxt, sizeof(GraphNode) * nodes->capacity);
}

/*
 * dllb_graph_record_copy - a 4-byte-header copy of a record datum in the
 * traversal's context.
 */
DllbRecord *
dllb_graph_record_copy(GraphNodes *nodes, Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	Size		len;
	DllbRecord *rec;

	if (VARATT_IS_EXTENDED(v))
	{
		struct varlena *flat = pg_detoast_datum_packed(v);

		len = VARSIZE_ANY_EXHDR(flat);
		rec = MemoryContextAlloc(nodes->cxt, len + VARHDRSZ);
		SET_VARSIZE(rec, len + VARHDRSZ);
		memcpy((char *) rec + VARHDRSZ, VARDATA_ANY(flat), len);
		if (flat != v)
			pfree(flat);
		return rec;
	}
	len = VARSIZE(v);
	rec = MemoryContextAlloc(nodes->cxt, len);
	memcpy(rec, v, len);
	return rec;
}

/*
 * dllb_graph_node_lookup - the number of the record datum d; when it is
 * not numbered yet and add is true, number it with parent and depth (and
 * set *added), otherwise return -1.  Avoids copying d when it is known.
 */
int32
dllb_graph_node_lookup(GraphNodes *nodes, Datum d, bool add, int32 parent,
					   int32 depth, bool *added)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	DllbRecord *key;
	NodeEntry  *e;
	bool		found;

	*added = false;
	if (VARATT_IS_EXTENDED(v) && !VARATT_IS_EXTERNAL(v) && !VARATT_IS_COMPRESSED(v))
	{
		/* short header: widen into the scratch buffer */
		Size		len = VARSIZE_SHORT(v) - VARHDRSZ_SHORT;

		if (nodes->scratch_size < len + VARHDRSZ)
		{
			nodes->scratch_size = Max(len + VARHDRSZ, 256);
			nodes->scratch = MemoryContextAlloc(nodes->cxt, nodes->scratch_size);
		}
		SET_VARSIZE(nodes->scratch, len + VARHDRSZ);
		memcpy((char *) nodes->scratch + VARHDRSZ, VARDATA_SHORT(v), len);
		key = nodes->scratch;
	}
	else if (VARATT_IS_EXTENDED(v))
		key = dllb_graph_record_copy(nodes, d);
	else
		key = (DllbRecord *) v;

	if (!add)
	{
		e = nodemap_lookup((nodemap_hash *) nodes->map, key);
		return e ? e->id : -1;
	}
	e = nodemap_insert((nodemap_hash *) nodes->map, key, &found);
	if (found)
		return e->id;
	if (key == nodes->scratch || key == (DllbRecord *) v)
	{
		DllbRecord *copy = MemoryContextAlloc(nodes->cxt, VARSIZE(key));

		memcpy(copy, key, VARSIZE(key));
		key = copy;
		e->key = copy;
	}
	*added = true;
	e->id = node_append(nodes, key, parent, depth);
	return e->id;
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
 * over work_mem.
 */
void
dllb_graph_check_memory(GraphNodes *nodes)
{
	Size		used = MemoryContextMemAllocated(nodes->cxt, true);

	if (used > (Size) work_mem * 1024)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("graph traversal exceeded work_mem"),
				 errdetail("The traversal had met %d vertices and used %zu kB; work_mem is %d kB.",
						   nodes->count, used / 1024, work_mem),
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
