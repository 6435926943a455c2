/*-------------------------------------------------------------------------
 *
 * graph.h
 *	  Private interface of the traversal engine (src/model/graph_*.c,
 *	  traverse_*.c, shortest_path.c).
 *
 * A traversal runs inside one SQL function call:
 *
 *	  GraphEdges  the edge tables to follow and, for each, prepared SPI
 *	              statements that return (from, to) pairs for a whole
 *	              frontier at once ("in" = ANY($1) or out = ANY($1)).
 *	              Going through SPI with read_only = true means the caller's
 *	              snapshot, privileges and row-level security apply to
 *	              every edge read, exactly as for the caller's own query.
 *	  GraphNodes  dense integer numbers for the vertices met so far: a hash
 *	              from record bytes to number, and per number the record,
 *	              the parent number and the depth.  Everything lives in one
 *	              memory context whose size is checked against hash_mem
 *	              (work_mem times hash_mem_multiplier: it is a hash table).
 *
 * IDENTIFICATION
 *	  src/model/graph.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_GRAPH_H
#define DLLB_GRAPH_H

#include "postgres.h"

#include "executor/spi.h"
#include "utils/hsearch.h"

#include "model/record.h"

typedef enum GraphDirection
{
	GRAPH_OUT,					/* follow "in" -> out */
	GRAPH_IN,					/* follow out -> "in" */
	GRAPH_BOTH
} GraphDirection;

/* One prepared step: pairs (from, to) for a frontier, one table, one way. */
typedef struct GraphStep
{
	SPIPlanPtr	plan;			/* the statement, run through SPI */
	bool		direct;			/* read the index directly instead */
	bool		index_only;		/* direct: index's 2nd key is to_att */
	Oid			relid;			/* direct: the edge table */
	Oid			indexid;		/* direct: btree whose first key is from_att */
	AttrNumber	from_att;		/* direct: column matched against the frontier */
	AttrNumber	to_att;			/* direct: column returned */
	Oid			eq_proc;		/* direct: = of the index's opfamily */
	Oid			collation;
} GraphStep;

typedef struct GraphEdges
{
	int			nsteps;
	GraphStep  *steps;
	Oid			record_type;	/* dllb.record */
	Oid			array_type;		/* dllb.record[] */
	int16		typlen;
	bool		typbyval;
	char		typalign;
} GraphEdges;

typedef struct GraphNode
{
	DllbRecord *rec;			/* 4-byte-header copy */
	int32		parent;			/* -1 for a start vertex */
	int32		depth;
} GraphNode;

typedef struct GraphNodes
{
	MemoryContext cxt;			/* owns everything below */
	uint64	   *slots;			/* record -> number: (hash << 32) | (number + 1) */
	uint32		mask;			/* slots - 1 (a power of two, minus one) */
	GraphNode  *nodes;
	int32		count;
	int32		capacity;
	char	   *arena;			/* records, packed: the block being filled */
	Size		arena_used;
	Size		arena_size;
	Size		budget;			/* bytes the numbering may use (hash_mem) */
} GraphNodes;

/* depth of a vertex seen as a neighbour but not reached yet (DFS) */
#define GRAPH_UNREACHED PG_INT32_MAX

/* A set of node numbers: a frontier. */
typedef struct GraphFrontier
{
	int32	   *ids;
	int32		count;
	int32		capacity;
} GraphFrontier;

/* Callback for each (from, to) pair a step returns. */
typedef void (*GraphPairCallback) (void *arg, Datum from, Datum to);

/* graph_edges.c */
extern GraphDirection dllb_graph_direction(text *direction);
extern GraphDirection dllb_graph_reverse(GraphDirection dir);
extern void dllb_graph_edges_open(GraphEdges *edges, text *edge,
								  GraphDirection dir, Oid record_type);
extern void dllb_graph_expand(GraphEdges *edges, GraphNodes *nodes,
							  const int32 *ids, int32 count,
							  GraphPairCallback callback, void *arg);

/* graph_nodes.c */
extern void dllb_graph_nodes_init(GraphNodes *nodes, MemoryContext parent);
extern int32 dllb_graph_node_lookup(GraphNodes *nodes, Datum d, bool add,
									int32 parent, int32 depth, bool *added);
extern void dllb_graph_check_memory(GraphNodes *nodes);
extern void dllb_graph_frontier_push(GraphNodes *nodes, GraphFrontier *f,
									 int32 id);
extern ArrayType *dllb_graph_path(GraphNodes *nodes, GraphEdges *edges,
								  int32 id, bool reversed);

#endif							/* DLLB_GRAPH_H */
