/*-------------------------------------------------------------------------
 *
 * shortest_path.c
 *	  dllb.shortest_path and dllb.reachable: bidirectional breadth-first
 *	  search.
 *
 * One search grows from from_ along the edges in the given direction, the
 * other from to_ along the same edges backwards.  Each round expands one
 * whole level of the side whose frontier is smaller (its next level is
 * likely the cheaper one), with one prepared statement per edge table for
 * the whole level (graph_edges.c).  When a level meets vertices the other
 * side has numbered, the one with the smallest total depth closes the
 * path, which is then a shortest one: both sides are complete BFS balls,
 * so no shorter path can avoid meeting earlier.  The search stops with
 * NULL when a side runs dry or the two depths add up to max_depth.
 *
 * IDENTIFICATION
 *	  src/model/shortest_path.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "model/graph.h"
#include "model/model.h"

PG_FUNCTION_INFO_V1(dllb_graph_shortest_path);
PG_FUNCTION_INFO_V1(dllb_graph_reachable);

typedef struct Side
{
	GraphEdges	edges;
	GraphNodes	nodes;
	GraphFrontier frontier;
	int32		depth;			/* depth of the frontier */
} Side;

typedef struct LevelState
{
	Side	   *side;
	Side	   *other;
	GraphFrontier next;
	int32		best_total;		/* smallest depth sum met this level */
	int32		best_here;		/* meeting vertex, number on this side */
	int32		best_there;		/* same vertex, number on the other side */
	GraphNodes *fwd_nodes;		/* whose context holds both sides */
} LevelState;

/* a pair met while growing one level of a side */
static void
level_pair(void *arg, Datum from, Datum to)
{
	LevelState *ls = (LevelState *) arg;
	Side	   *s = ls->side;
	bool		added;
	int32		id = dllb_graph_node_lookup(&s->nodes, to, true, -1,
											s->depth + 1, &added);
	int32		there;

	if (!added)
		return;
	s->nodes.nodes[id].parent = dllb_graph_node_lookup(&s->nodes, from, false,
													   -1, 0, &added);
	dllb_graph_frontier_push(&s->nodes, &ls->next, id);
	there = dllb_graph_node_lookup(&ls->other->nodes, to, false, -1, 0, &added);
	if (there >= 0)
	{
		int32		total = s->depth + 1 + ls->other->nodes.nodes[there].depth;

		if (ls->best_total < 0 || total < ls->best_total)
		{
			ls->best_total = total;
			ls->best_here = id;
			ls->best_there = there;
		}
	}
	if ((s->nodes.count & 4095) == 0)
		dllb_graph_check_memory(ls->fwd_nodes);
}

/*
 * search - run the bidirectional search; returns the path (or NULL), and
 * when want_path is false only whether one exists (as a non-NULL dummy).
 */
static ArrayType *
search(FunctionCallInfo fcinfo, bool want_path, bool *found)
{
	Oid			rectype = get_fn_expr_argtype(fcinfo->flinfo, 0);
	GraphDirection dir = dllb_graph_direction(PG_GETARG_TEXT_PP(3));
	int32		max_depth = PG_GETARG_INT32(4);
	MemoryContext caller = CurrentMemoryContext;
	Side		fwd,
				bwd;
	bool		added;
	ArrayType  *result = NULL;
	DllbRecord *a = PG_GETARG_DLLB_RECORD(0);
	DllbRecord *b = PG_GETARG_DLLB_RECORD(1);

	*found = false;
	if (max_depth < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_depth must not be negative")));
	if (dllb_record_compare(a, b) == 0)
	{
		Datum		elem = PointerGetDatum(a);
		int16		typlen;
		bool		typbyval;
		char		typalign;

		*found = true;
		if (!want_path)
			return NULL;
		get_typlenbyvalalign(rectype, &typlen, &typbyval, &typalign);
		return construct_array(&elem, 1, rectype, typlen, typbyval, typalign);
	}

	memset(&fwd, 0, sizeof(fwd));
	memset(&bwd, 0, sizeof(bwd));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	dllb_graph_edges_open(&fwd.edges, PG_GETARG_TEXT_PP(2), dir, rectype);
	if (dir == GRAPH_BOTH)
		bwd.edges = fwd.edges;
	else
		dllb_graph_edges_open(&bwd.edges, PG_GETARG_TEXT_PP(2),
							  dllb_graph_reverse(dir), rectype);
	dllb_graph_nodes_init(&fwd.nodes, caller);
	/* inside the forward side's context: its total is both sides' */
	dllb_graph_nodes_init(&bwd.nodes, fwd.nodes.cxt);
	(void) dllb_graph_node_lookup(&fwd.nodes, PointerGetDatum(a), true, -1, 0, &added);
	(void) dllb_graph_node_lookup(&bwd.nodes, PointerGetDatum(b), true, -1, 0, &added);
	dllb_graph_frontier_push(&fwd.nodes, &fwd.frontier, 0);
	dllb_graph_frontier_push(&bwd.nodes, &bwd.frontier, 0);

	while (fwd.frontier.count > 0 && bwd.frontier.count > 0 &&
		   fwd.depth + bwd.depth < max_depth)
	{
		LevelState	ls;

		CHECK_FOR_INTERRUPTS();
		memset(&ls, 0, sizeof(ls));
		ls.best_total = -1;
		ls.fwd_nodes = &fwd.nodes;
		if (fwd.frontier.count <= bwd.frontier.count)
		{
			ls.side = &fwd;
			ls.other = &bwd;
		}
		else
		{
			ls.side = &bwd;
			ls.other = &fwd;
		}
		dllb_graph_expand(&ls.side->edges, &ls.side->nodes, ls.side->frontier.ids,
						  ls.side->frontier.count, level_pair, &ls);
		dllb_graph_check_memory(&fwd.nodes);
		pfree(ls.side->frontier.ids);
		ls.side->frontier = ls.next;
		ls.side->depth++;

		if (ls.best_total >= 0)
		{
			*found = true;
			if (want_path)
			{
				int32		fmeet = ls.side == &fwd ? ls.best_here : ls.best_there;
				int32		bmeet = ls.side == &fwd ? ls.best_there : ls.best_here;
				ArrayType  *head = dllb_graph_path(&fwd.nodes, &fwd.edges, fmeet, false);
				ArrayType  *tail = dllb_graph_path(&bwd.nodes, &bwd.edges, bmeet, true);
				int			nh = ArrayGetNItems(ARR_NDIM(head), ARR_DIMS(head));
				int			nt = ArrayGetNItems(ARR_NDIM(tail), ARR_DIMS(tail));
				Datum	   *elems = palloc(sizeof(Datum) * (nh + nt - 1));
				Datum	   *he,
						   *te;
				int			n;
				MemoryContext old;

				deconstruct_array(head, rectype, fwd.edges.typlen, fwd.edges.typbyval,
								  fwd.edges.typalign, &he, NULL, &n);
				deconstruct_array(tail, rectype, fwd.edges.typlen, fwd.edges.typbyval,
								  fwd.edges.typalign, &te, NULL, &n);
				memcpy(elems, he, sizeof(Datum) * nh);
				memcpy(elems + nh, te + 1, sizeof(Datum) * (nt - 1));
				old = MemoryContextSwitchTo(caller);
				result = construct_array(elems, nh + nt - 1, rectype, fwd.edges.typlen,
										 fwd.edges.typbyval, fwd.edges.typalign);
				MemoryContextSwitchTo(old);
			}
			break;
		}
	}
	SPI_finish();
	MemoryContextDelete(fwd.nodes.cxt);	/* and bwd's, its child */
	return result;
}

/*
 * dllb_graph_shortest_path - dllb.shortest_path(from_, to_, edge,
 * direction, max_depth): the vertices of one shortest path, or NULL.
 */
Datum
dllb_graph_shortest_path(PG_FUNCTION_ARGS)
{
	bool		found;
	ArrayType  *path = search(fcinfo, true, &found);

	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_ARRAYTYPE_P(path);
}

/*
 * dllb_graph_reachable - dllb.reachable(...): is there a path of at most
 * max_depth edges?
 */
Datum
dllb_graph_reachable(PG_FUNCTION_ARGS)
{
	bool		found;

	(void) search(fcinfo, false, &found);
	PG_RETURN_BOOL(found);
}
