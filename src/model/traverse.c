/*-------------------------------------------------------------------------
 *
 * traverse.c
 *	  One-step neighbours (dllb.out, dllb.in, dllb.both), breadth-first
 *	  traversal (dllb.traverse) and depth-first traversal (dllb.dfs).
 *
 * Breadth-first search goes level by level: the whole frontier is one
 * array parameter of one prepared statement per edge table and direction
 * (graph_edges.c), so a level costs one index scan per table however wide
 * it is.  Every vertex gets a dense number the first time it is met
 * (graph_nodes.c); a vertex is reported once, at its smallest depth, with
 * the path of the BFS tree that reached it, so cycles are harmless.
 *
 * Depth-first search expands one vertex at a time, neighbours in index
 * order, and reports a vertex when it first reaches it (preorder), with
 * the depth and path of the DFS tree at that moment.  A vertex reached
 * again by a shorter path is expanded again (not reported again), so the
 * set of vertices reported equals breadth-first search's for the same
 * depth bounds.
 *
 * IDENTIFICATION
 *	  src/model/traverse.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/tupdesc.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "model/graph.h"
#include "model/model.h"

PG_FUNCTION_INFO_V1(dllb_graph_out);
PG_FUNCTION_INFO_V1(dllb_graph_in);
PG_FUNCTION_INFO_V1(dllb_graph_both);
PG_FUNCTION_INFO_V1(dllb_graph_traverse);
PG_FUNCTION_INFO_V1(dllb_graph_dfs);

/* ------------------------------------------------------------------------
 * One step.
 * ------------------------------------------------------------------------
 */

typedef struct StepState
{
	Tuplestorestate *store;
	TupleDesc	desc;
} StepState;

/* every edge's far end is one row */
static void
step_pair(void *arg, Datum from, Datum to)
{
	StepState  *st = (StepState *) arg;
	bool		isnull = false;

	tuplestore_putvalues(st->store, st->desc, &to, &isnull);
}

/*
 * materialize mode for a function returning SETOF a scalar type
 * (InitMaterializedSRF wants a row type)
 */
static void
init_scalar_srf(FunctionCallInfo fcinfo, Oid type)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	TupleDesc	desc;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		(rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	desc = CreateTemplateTupleDesc(1);
	TupleDescInitEntry(desc, (AttrNumber) 1, "node", type, -1, 0);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tuplestore_begin_heap((rsinfo->allowedModes & SFRM_Materialize_Random) != 0,
											  false, work_mem);
	rsinfo->setDesc = desc;
	MemoryContextSwitchTo(old);
}

/* neighbours of from_ over edge in direction dir, one row per edge */
static Datum
graph_step(FunctionCallInfo fcinfo, GraphDirection dir)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			rectype = get_fn_expr_argtype(fcinfo->flinfo, 0);
	MemoryContext caller = CurrentMemoryContext;
	GraphEdges	edges;
	GraphNodes	nodes;
	StepState	st;
	bool		added;
	int32		start;

	init_scalar_srf(fcinfo, rectype);
	st.store = rsinfo->setResult;
	st.desc = rsinfo->setDesc;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	dllb_graph_edges_open(&edges, PG_GETARG_TEXT_PP(1), dir, rectype);
	dllb_graph_nodes_init(&nodes, caller);
	start = dllb_graph_node_lookup(&nodes, PG_GETARG_DATUM(0), true, -1, 0, &added);
	dllb_graph_expand(&edges, &nodes, &start, 1, step_pair, &st);
	SPI_finish();
	MemoryContextDelete(nodes.cxt);
	return (Datum) 0;
}

/* dllb_graph_out - dllb.out(from_, edge): targets of from_'s edges */
Datum
dllb_graph_out(PG_FUNCTION_ARGS)
{
	return graph_step(fcinfo, GRAPH_OUT);
}

/* dllb_graph_in - dllb.in(from_, edge): sources of edges into from_ */
Datum
dllb_graph_in(PG_FUNCTION_ARGS)
{
	return graph_step(fcinfo, GRAPH_IN);
}

/* dllb_graph_both - dllb.both(from_, edge): both of the above */
Datum
dllb_graph_both(PG_FUNCTION_ARGS)
{
	return graph_step(fcinfo, GRAPH_BOTH);
}

/* ------------------------------------------------------------------------
 * Shared by traverse and dfs: arguments and output rows.
 * ------------------------------------------------------------------------
 */

typedef struct WalkState
{
	GraphEdges	edges;
	GraphNodes	nodes;
	Tuplestorestate *store;
	TupleDesc	desc;
	int32		min_depth;
	int32		max_depth;
	/* BFS: the level being built */
	GraphFrontier next;
	int32		depth;
	/* DFS: neighbours of the vertex being expanded */
	GraphFrontier nbrs;
	/* per-row memory for paths (reset after each row; not the walk's) */
	MemoryContext rowcxt;
} WalkState;

/* check the depth bounds */
static void
check_depths(int32 min_depth, int32 max_depth)
{
	if (min_depth < 0 || max_depth < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("depth bounds must not be negative")));
	if (min_depth > max_depth)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_depth %d is greater than max_depth %d",
						min_depth, max_depth)));
}

/* output (node, depth, path) for vertex id */
static void
emit(WalkState *ws, int32 id)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	MemoryContext old = MemoryContextSwitchTo(ws->rowcxt);

	values[0] = PointerGetDatum(ws->nodes.nodes[id].rec);
	values[1] = Int32GetDatum(ws->nodes.nodes[id].depth);
	values[2] = PointerGetDatum(dllb_graph_path(&ws->nodes, &ws->edges, id, false));
	tuplestore_putvalues(ws->store, ws->desc, values, nulls);
	MemoryContextSwitchTo(old);
	MemoryContextReset(ws->rowcxt);
}

/* set up a walk: SRF, SPI, edges, numbering, start vertex (number 0) */
static void
walk_begin(FunctionCallInfo fcinfo, WalkState *ws)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			rectype = get_fn_expr_argtype(fcinfo->flinfo, 0);
	MemoryContext caller = CurrentMemoryContext;
	GraphDirection dir = dllb_graph_direction(PG_GETARG_TEXT_PP(2));
	bool		added;

	memset(ws, 0, sizeof(*ws));
	ws->min_depth = PG_GETARG_INT32(3);
	ws->max_depth = PG_GETARG_INT32(4);
	check_depths(ws->min_depth, ws->max_depth);
	/* the executor's expected row type, when it has one, saves a lookup */
	InitMaterializedSRF(fcinfo, rsinfo != NULL && IsA(rsinfo, ReturnSetInfo) &&
						rsinfo->expectedDesc != NULL ? MAT_SRF_USE_EXPECTED_DESC : 0);
	ws->store = rsinfo->setResult;
	ws->desc = rsinfo->setDesc;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	dllb_graph_edges_open(&ws->edges, PG_GETARG_TEXT_PP(1), dir, rectype);
	dllb_graph_nodes_init(&ws->nodes, caller);
	ws->rowcxt = AllocSetContextCreate(caller, "dllb traversal row",
									   ALLOCSET_DEFAULT_SIZES);
	(void) dllb_graph_node_lookup(&ws->nodes, PG_GETARG_DATUM(0), true, -1, 0, &added);
	if (ws->min_depth == 0)
		emit(ws, 0);
}

/* end a walk */
static void
walk_end(WalkState *ws)
{
	SPI_finish();
	MemoryContextDelete(ws->nodes.cxt);
	MemoryContextDelete(ws->rowcxt);
}

/* ------------------------------------------------------------------------
 * Breadth-first.
 * ------------------------------------------------------------------------
 */

/* a pair met while building level ws->depth: number the far end if new */
static void
bfs_pair(void *arg, Datum from, Datum to)
{
	WalkState  *ws = (WalkState *) arg;
	bool		added;
	int32		id;

	/* most pairs lead to known vertices: look the far end up first */
	id = dllb_graph_node_lookup(&ws->nodes, to, true, -1, ws->depth, &added);
	if (!added)
		return;
	ws->nodes.nodes[id].parent = dllb_graph_node_lookup(&ws->nodes, from, false,
														 -1, 0, &added);
	dllb_graph_frontier_push(&ws->nodes, &ws->next, id);
	if (ws->depth >= ws->min_depth)
		emit(ws, id);
	if ((ws->nodes.count & 4095) == 0)
		dllb_graph_check_memory(&ws->nodes);
}

/*
 * dllb_graph_traverse - dllb.traverse(from_, edge, direction, min_depth,
 * max_depth) RETURNS TABLE(node, depth, path): breadth-first.
 */
Datum
dllb_graph_traverse(PG_FUNCTION_ARGS)
{
	WalkState	ws;
	GraphFrontier cur;

	walk_begin(fcinfo, &ws);
	memset(&cur, 0, sizeof(cur));
	dllb_graph_frontier_push(&ws.nodes, &cur, 0);
	for (ws.depth = 1; ws.depth <= ws.max_depth && cur.count > 0; ws.depth++)
	{
		CHECK_FOR_INTERRUPTS();
		memset(&ws.next, 0, sizeof(ws.next));
		dllb_graph_expand(&ws.edges, &ws.nodes, cur.ids, cur.count, bfs_pair, &ws);
		dllb_graph_check_memory(&ws.nodes);
		if (cur.ids)
			pfree(cur.ids);
		cur = ws.next;
	}
	walk_end(&ws);
	return (Datum) 0;
}

/* ------------------------------------------------------------------------
 * Depth-first.
 * ------------------------------------------------------------------------
 */

typedef struct DfsFrame
{
	int32		id;
	int32		depth;
	int32	   *nbrs;
	int32		nnbrs;
	int32		next;
	bool		expanded;
} DfsFrame;

/* collect the far end of each pair as a neighbour (numbered, unreached) */
static void
dfs_pair(void *arg, Datum from, Datum to)
{
	WalkState  *ws = (WalkState *) arg;
	bool		added;
	int32		id = dllb_graph_node_lookup(&ws->nodes, to, true, -1,
											GRAPH_UNREACHED, &added);

	dllb_graph_frontier_push(&ws->nodes, &ws->nbrs, id);
	if (added && (ws->nodes.count & 4095) == 0)
		dllb_graph_check_memory(&ws->nodes);
}

/*
 * dllb_graph_dfs - dllb.dfs(...): the same rows as dllb.traverse, in
 * depth-first (preorder) order.
 */
Datum
dllb_graph_dfs(PG_FUNCTION_ARGS)
{
	WalkState	ws;
	DfsFrame   *stack;
	int32		depth = 0;
	int32		cap = 64;

	walk_begin(fcinfo, &ws);
	stack = MemoryContextAllocZero(ws.nodes.cxt, sizeof(DfsFrame) * cap);
	stack[0].id = 0;
	stack[0].depth = 0;
	depth = ws.max_depth > 0 ? 1 : 0;

	while (depth > 0)
	{
		DfsFrame   *top = &stack[depth - 1];
		int32		nid;
		int32		nd;

		CHECK_FOR_INTERRUPTS();
		if (!top->expanded)
		{
			memset(&ws.nbrs, 0, sizeof(ws.nbrs));
			dllb_graph_expand(&ws.edges, &ws.nodes, &top->id, 1, dfs_pair, &ws);
			top->nbrs = ws.nbrs.ids;
			top->nnbrs = ws.nbrs.count;
			top->next = 0;
			top->expanded = true;
		}
		if (top->next >= top->nnbrs)
		{
			if (top->nbrs)
				pfree(top->nbrs);
			depth--;
			continue;
		}
		nid = top->nbrs[top->next++];
		nd = top->depth + 1;
		if (nd >= ws.nodes.nodes[nid].depth)
			continue;			/* reached before, at least as close */
		{
			bool		first = ws.nodes.nodes[nid].depth == GRAPH_UNREACHED;

			ws.nodes.nodes[nid].depth = nd;
			ws.nodes.nodes[nid].parent = top->id;
			if (first && nd >= ws.min_depth)
				emit(&ws, nid);
		}
		if (nd < ws.max_depth)
		{
			if (depth == cap)
			{
				cap *= 2;
				stack = repalloc(stack, sizeof(DfsFrame) * cap);
			}
			memset(&stack[depth], 0, sizeof(DfsFrame));
			stack[depth].id = nid;
			stack[depth].depth = nd;
			depth++;
		}
	}
	walk_end(&ws);
	return (Datum) 0;
}
