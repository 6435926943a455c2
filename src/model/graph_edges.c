/*-------------------------------------------------------------------------
 *
 * graph_edges.c
 *	  Which edge tables a traversal follows, and reading one step of them
 *	  for a whole frontier.
 *
 * An edge name is a dialect edge table on the search path (one registered
 * in dllb.tables with kind 'edge'), or '?' for every edge table.  A name
 * that is no table gives no edges (as reading a missing table gives no
 * rows); a relation that is not an edge table is an error.
 *
 * Each (table, direction) pair becomes one prepared statement
 *
 *	  SELECT "in", out FROM t WHERE "in" OPERATOR(dllb.=) ANY ($1)   -- out
 *	  SELECT out, "in" FROM t WHERE out OPERATOR(dllb.=) ANY ($1)    -- in
 *
 * which the ("in", out) and (out, "in") indexes of an edge table answer
 * with one index (usually index-only) scan per frontier.  Statements run
 * with read_only = true: the caller's snapshot, privileges and row-level
 * security decide which edges exist.
 *
 * IDENTIFICATION
 *	  src/model/graph_edges.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "model/graph.h"

/*
 * dllb_graph_direction - parse 'out', 'in' or 'both'.
 */
GraphDirection
dllb_graph_direction(text *direction)
{
	char	   *s = text_to_cstring(direction);

	if (pg_strcasecmp(s, "out") == 0)
		return GRAPH_OUT;
	if (pg_strcasecmp(s, "in") == 0)
		return GRAPH_IN;
	if (pg_strcasecmp(s, "both") == 0)
		return GRAPH_BOTH;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid direction \"%s\"", s),
			 errhint("The direction is 'out', 'in' or 'both'.")));
	return GRAPH_OUT;			/* keep compiler quiet */
}

/*
 * dllb_graph_reverse - the direction that walks the same edges backwards.
 */
GraphDirection
dllb_graph_reverse(GraphDirection dir)
{
	return dir == GRAPH_OUT ? GRAPH_IN : (dir == GRAPH_IN ? GRAPH_OUT : GRAPH_BOTH);
}

/* prepare one step over table rel */
static void
add_step(GraphEdges *edges, List **steps, Oid rel, bool outward)
{
	StringInfoData sql;
	char	   *relname = get_rel_name(rel);
	char	   *nspname = get_namespace_name(get_rel_namespace(rel));
	Oid			argtype = edges->array_type;
	SPIPlanPtr	plan;
	GraphStep  *step;

	if (relname == NULL || nspname == NULL)
		return;					/* dropped concurrently */
	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT %s, %s FROM %s.%s WHERE %s OPERATOR(dllb.=) ANY ($1)",
					 outward ? "\"in\"" : "out", outward ? "out" : "\"in\"",
					 quote_identifier(nspname), quote_identifier(relname),
					 outward ? "\"in\"" : "out");
	plan = SPI_prepare(sql.data, 1, &argtype);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql.data,
			 SPI_result_code_string(SPI_result));
	step = palloc(sizeof(GraphStep));
	step->plan = plan;
	*steps = lappend(*steps, step);
}

/* add the steps of one edge table for direction dir */
static void
add_table(GraphEdges *edges, List **steps, Oid rel, GraphDirection dir)
{
	if (dir == GRAPH_OUT || dir == GRAPH_BOTH)
		add_step(edges, steps, rel, true);
	if (dir == GRAPH_IN || dir == GRAPH_BOTH)
		add_step(edges, steps, rel, false);
}

/*
 * dllb_graph_edges_open - resolve edge (a table name or '?') and prepare
 * the steps for direction dir.  The caller is connected to SPI.
 */
void
dllb_graph_edges_open(GraphEdges *edges, text *edge, GraphDirection dir,
					  Oid record_type)
{
	char	   *name = text_to_cstring(edge);
	List	   *steps = NIL;
	ListCell   *lc;
	int			i;

	memset(edges, 0, sizeof(*edges));
	edges->record_type = record_type;
	edges->array_type = get_array_type(record_type);
	get_typlenbyvalalign(record_type, &edges->typlen, &edges->typbyval,
						 &edges->typalign);

	if (strcmp(name, "?") == 0)
	{
		int			ret = SPI_execute("SELECT tbl::oid FROM dllb.tables "
									  "WHERE kind OPERATOR(pg_catalog.=) 'edge' ORDER BY tbl::oid",
									  true, 0);
		uint64		n;
		Oid		   *rels;

		if (ret != SPI_OK_SELECT)
			elog(ERROR, "reading dllb.tables failed: %s", SPI_result_code_string(ret));
		n = SPI_processed;
		rels = palloc(sizeof(Oid) * (n + 1));
		for (i = 0; i < (int) n; i++)
		{
			bool		isnull;

			rels[i] = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
													 SPI_tuptable->tupdesc, 1, &isnull));
		}
		SPI_freetuptable(SPI_tuptable);
		for (i = 0; i < (int) n; i++)
			add_table(edges, &steps, rels[i], dir);
	}
	else
	{
		/* a dialect table name, exactly as written, on the search path */
		Oid			rel = RangeVarGetRelid(makeRangeVar(NULL, name, -1), NoLock, true);

		if (OidIsValid(rel))
		{
			Datum		arg = ObjectIdGetDatum(rel);
			Oid			argtype = OIDOID;
			int			ret = SPI_execute_with_args("SELECT kind FROM dllb.tables WHERE tbl::oid OPERATOR(pg_catalog.=) $1",
													1, &argtype, &arg, NULL, true, 1);
			char	   *kind = NULL;

			if (ret != SPI_OK_SELECT)
				elog(ERROR, "reading dllb.tables failed: %s", SPI_result_code_string(ret));
			if (SPI_processed == 1)
				kind = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
			if (kind == NULL || strcmp(kind, "edge") != 0)
				ereport(ERROR,
						(errcode(ERRCODE_WRONG_OBJECT_TYPE),
						 errmsg("\"%s\" is not an edge table", name),
						 errhint("Edge tables are made by dllb.create_edge_table or dllb.relate.")));
			add_table(edges, &steps, rel, dir);
		}
	}

	edges->nsteps = list_length(steps);
	edges->steps = palloc(sizeof(GraphStep) * Max(edges->nsteps, 1));
	i = 0;
	foreach(lc, steps)
		edges->steps[i++] = *(GraphStep *) lfirst(lc);
}

/*
 * dllb_graph_expand - run every step for the frontier ids and call back
 * with each (from, to) pair.  The datums are valid only during the call.
 */
void
dllb_graph_expand(GraphEdges *edges, GraphNodes *nodes, const int32 *ids,
				  int32 count, GraphPairCallback callback, void *arg)
{
	Datum	   *elems;
	ArrayType  *array;
	Datum		param;
	int			s;
	int32		i;

	if (count == 0 || edges->nsteps == 0)
		return;
	elems = palloc(sizeof(Datum) * count);
	for (i = 0; i < count; i++)
		elems[i] = PointerGetDatum(nodes->nodes[ids[i]].rec);
	array = construct_array(elems, count, edges->record_type, edges->typlen,
							edges->typbyval, edges->typalign);
	param = PointerGetDatum(array);

	for (s = 0; s < edges->nsteps; s++)
	{
		int			ret;
		uint64		r;
		SPITupleTable *tt;

		CHECK_FOR_INTERRUPTS();
		ret = SPI_execute_plan(edges->steps[s].plan, &param, NULL, true, 0);
		if (ret != SPI_OK_SELECT)
			elog(ERROR, "traversal step failed: %s", SPI_result_code_string(ret));
		tt = SPI_tuptable;
		for (r = 0; r < SPI_processed; r++)
		{
			bool		n1,
						n2;
			Datum		from = SPI_getbinval(tt->vals[r], tt->tupdesc, 1, &n1);
			Datum		to = SPI_getbinval(tt->vals[r], tt->tupdesc, 2, &n2);

			if ((r & 1023) == 0)
				CHECK_FOR_INTERRUPTS();
			if (!n1 && !n2)
				callback(arg, from, to);
		}
		SPI_freetuptable(tt);
	}
	pfree(array);
	pfree(elems);
}
