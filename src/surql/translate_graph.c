/*-------------------------------------------------------------------------
 *
 * translate_graph.c
 *	  Graph paths: ->edge->table steps, their filters, and recursion.
 *
 * IDENTIFICATION
 *	  src/surql/translate_graph.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/memutils.h"

#include "surql/translate.h"

/*
 * hop_sql - one hop of a graph path over edge table eti from the rows
 * (r, ord) of set (when single, an SQL value: one record, the start): the
 * far ends (or, when to_edges, the edges themselves), one row per edge
 * with ord, the path's edges so far, extended by the edge's id (a path's
 * place in SurrealQL's order: edges in id order, hop after hop); only
 * where the far end is of table tparam (when nonzero), the edge passes
 * econd (over alias ea) and the far end is a row of nti passing ncond
 * (over alias na).  sa: the alias of set's rows.
 */
static void
hop_sql(StringInfo next, int dir, const TableInfo *eti, const char *set, bool single,
		const char *ea, bool to_edges, int tparam, const char *econd, const TableInfo *nti,
		const char *na, const char *ncond, const char *sa)
{
	int			half;

	for (half = 0; half < 2; half++)
	{
		const char *near = half == 0 ? "\"in\"" : "out";
		const char *far = half == 0 ? "out" : "\"in\"";

		if ((half == 0 && dir == TK_ARROW_IN) || (half == 1 && dir == TK_ARROW_OUT))
			continue;
		if (half == 1 && dir == TK_ARROW_BOTH)
			appendStringInfoString(next, " UNION ALL ");
		if (single)
		{
			/* from one record (the start): an equality */
			appendStringInfo(next, "SELECT %s.%s, ARRAY[%s.id] FROM %s %s WHERE %s.%s = %s",
							 ea, to_edges ? "id" : far, ea, eti->rel, ea, ea, near, set);
		}
		else
		{
			/* from each path so far: the edge index, probed per row */
			appendStringInfo(next, "SELECT %s.%s, %s.ord || %s.id FROM (%s) AS %s(r, ord) "
							 "JOIN %s %s ON %s.%s = %s.r WHERE true",
							 ea, to_edges ? "id" : far, sa, ea, set, sa,
							 eti->rel, ea, ea, near, sa);
		}
		if (tparam)
			appendStringInfo(next, " AND dllb.record_in_table(%s.%s, $%d)", ea, far, tparam);
		if (econd)
			appendStringInfo(next, " AND %s", econd);
		if (nti)
			appendStringInfo(next, " AND EXISTS (SELECT 1 FROM %s %s WHERE %s.id = %s.%s AND %s)",
							 nti->rel, na, na, ea, far, ncond);
	}
}

/* the start of a graph path, as an SQL value of type dllb.record */
static char *
start_sql(const SurqlNode *a, Jsonb *params, SurqlSql *out, const TableInfo *row)
{
	if (a == NULL || (a->kind == SN_FIELD && a->nitems == 1 && strcmp(a->keys[0], "id") == 0))
	{
		if (!row)
			dllb_surql_unsupported("a graph path outside a statement over a table");
		return psprintf("%s.id", ROW_ALIAS(out));
	}
	if (a->kind == SN_RECORD || a->kind == SN_PARAM)
	{
		char	   *json = dllb_surql_literal_json(a, params);

		return psprintf("($%d::jsonb #>> '{}')::dllb.record", dllb_surql_add_param(out, json));
	}
	dllb_surql_unsupported("a graph path from this start");
}

/*
 * steps_sql - the records the steps of g reach from the record start (an
 * SQL value), as SQL of one column; NULL when a table they name does not
 * exist, so that they reach nothing.  *last_ti: the table of the last step
 * when known (a filtered node table, or the edge table a path ends on).
 */
static char *
steps_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out, const char *start,
		  const TableInfo **last_ti)
{
	StringInfoData set;
	int			i;

	initStringInfo(&set);
	appendStringInfoString(&set, start);
	*last_ti = NULL;
	if (g->nitems == 0)
		return psprintf("SELECT %s, ARRAY[]::dllb.record[]", start);
	for (i = 0; i < g->nitems; i += 2)
	{
		const SurqlNode *edge = g->items[i];
		const SurqlNode *node = i + 1 < g->nitems ? g->items[i + 1] : NULL;
		TableInfo  *eti;
		TableInfo  *nti = NULL;
		StringInfoData next;
		int			tparam = 0;
		char	   *ea;
		char	   *na = NULL;
		char	   *econd = NULL;
		char	   *ncond = NULL;

		if (node && edge->op != node->op)
			dllb_surql_unsupported("a graph step whose arrows point different ways");
		if (strcmp(edge->str, "?") == 0 && (edge->a || node == NULL))
			dllb_surql_unsupported("? as an edge table with a [WHERE] filter or at the end of a path");
		if (node && strcmp(node->str, "?") == 0 && node->a)
			dllb_surql_unsupported("a [WHERE] filter on ? as a node table");
		eti = strcmp(edge->str, "?") == 0 ? NULL : dllb_surql_lookup_table(edge->str, "edge");
		if (node && node->a)
			nti = dllb_surql_lookup_table(node->str, "document");
		if ((strcmp(edge->str, "?") != 0 && eti == NULL) || (node && node->a && nti == NULL))
		{
			pfree(set.data);
			return NULL;
		}
		if (node && strcmp(node->str, "?") != 0)
			tparam = dllb_surql_add_param(out, node->str);
		initStringInfo(&next);
		if (eti == NULL)
		{
			/* ? : every edge table, as dllb.out/in/both read them */
			char	   *sa = dllb_surql_new_alias(out, 's');

			appendStringInfo(&next, "SELECT x.r, %s.ord || x.r FROM (%s%s%s) AS %s(r, ord), "
							 "dllb.%s(%s.r, '?') AS x(r)",
							 sa, i == 0 ? "SELECT " : "", set.data,
							 i == 0 ? ", ARRAY[]::dllb.record[]" : "", sa,
							 edge->op == TK_ARROW_OUT ? "out" :
							 edge->op == TK_ARROW_IN ? "\"in\"" : "both", sa);
			if (tparam)
				appendStringInfo(&next, " WHERE dllb.record_in_table(x.r, $%d)", tparam);
		}
		else
		{
			ea = dllb_surql_new_alias(out, 'e');
			if (edge->a)
				econd = dllb_surql_capture_bool(edge->a, params, out, eti, ea);
			if (nti)
			{
				na = dllb_surql_new_alias(out, 'n');
				ncond = dllb_surql_capture_bool(node->a, params, out, nti, na);
			}
			hop_sql(&next, edge->op, eti, set.data, i == 0, ea, node == NULL, tparam, econd,
					nti, na, ncond, dllb_surql_new_alias(out, 's'));
		}
		pfree(set.data);
		set = next;
		*last_ti = node ? nti : eti;
	}
	return set.data;
}

/*
 * recurse_sql - the records that repeating the steps of g from start
 * reaches, for the recursion r, as SQL of one column (NULL: nothing).
 *
 * Levels: level 0 is the start, level k+1 what the steps reach from level
 * k (a set: a record appears once per level), up to the maximum depth
 * (SURQL_RECURSE_MAX without one), in a recursive CTE, so cycles end at
 * the depth bound.  Without an option the result is the last level
 * reached, when that is at least the minimum depth; +collect is every
 * record of the levels from the minimum on, the start excepted.  An
 * unbounded +collect from depth 1 keeps one row per record, so each
 * record is expanded once; over one edge table to ? it is dllb.traverse.
 */
static char *
recurse_sql(const SurqlNode *g, const SurqlNode *r, Jsonb *params, SurqlSql *out,
			const char *start, const TableInfo **last_ti)
{
	char	   *lv = dllb_surql_new_alias(out, 'r');
	int			max = r->ival2 > 0 ? (int) r->ival2 : SURQL_RECURSE_MAX;
	char	   *step;

	if (r->op == SURQL_RECURSE_COLLECT && g->nitems == 2 && !g->items[0]->a &&
		!g->items[1]->a && g->items[0]->op == g->items[1]->op &&
		strcmp(g->items[0]->str, "?") != 0 && strcmp(g->items[1]->str, "?") == 0)
	{
		if (dllb_surql_lookup_table(g->items[0]->str, "edge") == NULL)
			return NULL;
		return psprintf("SELECT %s.node FROM dllb.traverse(%s, $%d, '%s', %d, %d) AS %s",
						lv, start, dllb_surql_add_param(out, g->items[0]->str),
						g->items[0]->op == TK_ARROW_OUT ? "out" :
						g->items[0]->op == TK_ARROW_IN ? "in" : "both",
						(int) r->ival, max, lv);
	}
	step = steps_sql(g, params, out, psprintf("%s.node", lv), last_ti);
	if (step == NULL)
		return NULL;
	if (r->op == SURQL_RECURSE_COLLECT && r->ival == 1 && r->ival2 == 0)
		return psprintf("WITH RECURSIVE %s(node) AS (SELECT %s UNION SELECT x.r FROM %s, "
						"LATERAL (%s) AS x(r) WHERE dllb.surql_recursion_guard(NULL)) "
						"SELECT node FROM %s WHERE node <> %s",
						lv, start, lv, step, lv, start);
	if (r->op == SURQL_RECURSE_COLLECT)
		return psprintf("WITH RECURSIVE %s(node, depth) AS (SELECT %s, 0 UNION "
						"SELECT x.r, %s.depth + 1 FROM %s, LATERAL (%s) AS x(r) WHERE %s.depth < %d "
						"AND dllb.surql_recursion_guard(%s.depth + 1)) "
						"SELECT node FROM %s WHERE depth >= %d AND node <> %s",
						lv, start, lv, lv, step, lv, max, lv, lv, (int) r->ival, start);
	return psprintf("WITH RECURSIVE %s(node, depth) AS (SELECT %s, 0 UNION "
					"SELECT x.r, %s.depth + 1 FROM %s, LATERAL (%s) AS x(r) WHERE %s.depth < %d "
					"AND dllb.surql_recursion_guard(%s.depth + 1)) "
					"SELECT node FROM %s WHERE depth >= %d AND depth = (SELECT max(depth) FROM %s)",
					lv, start, lv, lv, step, lv, max, lv, lv, (int) r->ival, lv);
}

/*
 * paths_sql - start.{m..n+path}: every path the steps of g take from
 * start, as an array of arrays of records (the start left out), each path
 * simple (no record twice, never back to the start) and followed until it
 * ends or is n steps long; only those at least m long.  For +shortest
 * (r->key set): the records of the first shortest path that ends on the
 * target.  A recursive CTE that enumerates simple paths: fine on small
 * graphs, exponential on dense ones.
 */
static void
paths_sql(const SurqlNode *g, const SurqlNode *r, Jsonb *params, SurqlSql *out,
		  const char *start)
{
	char	   *lv = dllb_surql_new_alias(out, 'p');
	int			max = r->ival2 > 0 ? (int) r->ival2 : SURQL_RECURSE_MAX;
	const TableInfo *last_ti;
	char	   *step;
	char	   *cte;

	if (g->nitems % 2 != 0 || g->b)
		dllb_surql_unsupported("+path or +shortest over steps that end on an edge table or a field");
	step = steps_sql(g, params, out, psprintf("%s.node", lv), &last_ti);
	if (step == NULL)
	{
		appendStringInfoString(&out->sql, "'[]'::jsonb");
		return;
	}
	cte = psprintf("WITH RECURSIVE %s(node, depth, path) AS (SELECT %s, 0, ARRAY[]::dllb.record[] "
				   "UNION ALL SELECT x.r, %s.depth + 1, %s.path || x.r FROM %s, LATERAL (%s) AS x(r) "
				   "WHERE %s.depth < %d AND x.r <> ALL(%s.path) AND x.r <> %s "
				   "AND dllb.surql_recursion_guard(%s.depth + 1)) ",
				   lv, start, lv, lv, lv, step, lv, max, lv, start, lv);
	if (r->op == SURQL_RECURSE_SHORTEST)
	{
		char	   *target = dllb_surql_literal_json(r->key, params);

		appendStringInfo(&out->sql,
						 "coalesce((%sSELECT to_jsonb(%s.path::text[]) FROM %s WHERE %s.node = "
						 "($%d::jsonb #>> '{}')::dllb.record AND %s.depth >= %d "
						 "ORDER BY %s.depth, %s.path::text[] LIMIT 1), '[]'::jsonb)",
						 cte, lv, lv, lv, dllb_surql_add_param(out, target), lv, (int) r->ival, lv, lv);
		return;
	}
	appendStringInfo(&out->sql,
					 "(%sSELECT coalesce(jsonb_agg(to_jsonb(p.path::text[]) ORDER BY p.path::text[]), "
					 "'[]'::jsonb) FROM %s p WHERE p.depth >= %d AND (p.depth = %d OR NOT EXISTS "
					 "(SELECT 1 FROM %s q WHERE q.depth = p.depth + 1 AND q.path[1:p.depth] = p.path)))",
					 cte, lv, (int) r->ival, max, lv);
}

/*
 * shortest_sql - start.{..+shortest=target}->e->? : the records of one
 * shortest path after the start, in order, by dllb.shortest_path; over
 * other steps, by paths_sql.
 */
static void
shortest_sql(const SurqlNode *g, const SurqlNode *r, Jsonb *params, SurqlSql *out,
			 const char *start)
{
	const SurqlNode *edge;
	char	   *target;
	int			tparam;
	int			eparam;

	if (r->key->kind != SN_RECORD && r->key->kind != SN_PARAM)
		dllb_surql_unsupported("+shortest to anything but a record id or $param");
	if (g->nitems != 2 || g->items[0]->a || g->items[1]->a ||
		g->items[0]->op != g->items[1]->op || strcmp(g->items[1]->str, "?") != 0 ||
		strcmp(g->items[0]->str, "?") == 0)
	{
		paths_sql(g, r, params, out, start);
		return;
	}
	target = dllb_surql_literal_json(r->key, params);
	edge = g->items[0];
	tparam = dllb_surql_add_param(out, target);
	eparam = dllb_surql_add_param(out, edge->str);
	appendStringInfo(&out->sql,
					 "coalesce((SELECT jsonb_agg(u.r::text ORDER BY u.o) FROM "
					 "unnest(dllb.shortest_path(%s, ($%d::jsonb #>> '{}')::dllb.record, $%d, '%s', %d)) "
					 "WITH ORDINALITY AS u(r, o) WHERE u.o > 1 HAVING count(*) >= %d), '[]'::jsonb)",
					 start, tparam, eparam, edge->op == TK_ARROW_OUT ? "out" :
					 edge->op == TK_ARROW_IN ? "in" : "both",
					 r->ival2 > 0 ? (int) r->ival2 : SURQL_RECURSE_MAX, (int) r->ival);
}

/*
 * graph_paths_sql - the records (or the field after the last step) that
 * the paths of set (rows r, ord) reach, one entry per path, ordered by
 * ord; count: how many
 */
static void
graph_paths_sql(const SurqlNode *g, SurqlSql *out, const char *set, const TableInfo *last_ti,
				bool ends_on_edge, bool count)
{
	const SurqlNode *last;
	const TableInfo *nti = last_ti;
	char	   *da;

	if (count && g->b == NULL)
	{
		appendStringInfo(&out->sql, "to_jsonb((SELECT count(*) FROM (%s) AS reached(r, ord)))", set);
		return;
	}
	if (g->b == NULL)
	{
		appendStringInfo(&out->sql,
						 "(SELECT coalesce(jsonb_agg(reached.r::text ORDER BY reached.ord), '[]'::jsonb) "
						 "FROM (%s) AS reached(r, ord))", set);
		return;
	}
	if (g->nitems == 0)
		dllb_surql_unsupported("a field after a graph path without steps");
	last = g->items[g->nitems - 1];
	if (nti == NULL && strcmp(last->str, "?") != 0)
		nti = dllb_surql_lookup_table(last->str, ends_on_edge ? "edge" : "document");
	if (nti == NULL)
	{
		if (strcmp(last->str, "?") == 0)
			dllb_surql_unsupported("a field after ? in a graph path");
		appendStringInfoString(&out->sql, count ? "to_jsonb(0)" : "'[]'::jsonb");
		return;
	}
	da = dllb_surql_new_alias(out, 'd');
	if (count)
		appendStringInfoString(&out->sql, "to_jsonb(jsonb_array_length(");
	appendStringInfoString(&out->sql, "(SELECT coalesce(jsonb_agg(");
	dllb_surql_path_json(nti, da, g->b->keys, g->b->nitems, out);
	appendStringInfo(&out->sql, " ORDER BY reached.ord), '[]'::jsonb) FROM (%s) AS reached(r, ord) "
					 "JOIN %s %s ON %s.id = reached.r)", set, nti->rel, da, da);
	if (count)
		appendStringInfoString(&out->sql, "))");
}

/*
 * graph_sql - a graph path as a jsonb array: the records it reaches (as
 * table:key strings; one per path, in the order of the paths' edges -
 * with a recursion, distinct and in record order), or the values of the
 * field after its last step.  Steps come in pairs, an edge table then a node table (or ?
 * for any): ->e->n follows e from "in" to out, <-e<-n from out to "in",
 * <->e<->n both ways.  A path may end on an edge table (->e, ->e.since):
 * then it reaches the edges.  Each step may carry a [WHERE] filter, over
 * the edge's or the node's fields.  An edge table that does not exist
 * reaches nothing.  A recursion (x.{1..3}->e->n) repeats the steps.
 */
void
dllb_surql_graph_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out, const TableInfo *row,
					 bool count)
{
	char	   *set;
	const TableInfo *last_ti = NULL;
	bool		ends_on_edge = g->nitems % 2 != 0;
	const SurqlNode *rec = g->a && g->a->kind == SN_RECURSE ? g->a : NULL;
	char	   *start = start_sql(rec ? rec->a : g->a, params, out, row);

	if (rec && rec->op == SURQL_RECURSE_SHORTEST)
	{
		if (count)
			appendStringInfoString(&out->sql, "to_jsonb(jsonb_array_length(");
		shortest_sql(g, rec, params, out, start);
		if (count)
			appendStringInfoString(&out->sql, "))");
		return;
	}
	if (rec && rec->op == SURQL_RECURSE_PATH)
	{
		if (count)
			appendStringInfoString(&out->sql, "to_jsonb(jsonb_array_length(");
		paths_sql(g, rec, params, out, start);
		if (count)
			appendStringInfoString(&out->sql, "))");
		return;
	}
	if (rec && ends_on_edge)
		dllb_surql_unsupported("a recursion over steps that end on an edge table");
	if (rec)
		set = recurse_sql(g, rec, params, out, start, &last_ti);
	else
		set = steps_sql(g, params, out, start, &last_ti);
	if (set == NULL)
	{
		/* a table that does not exist: the path reaches nothing */
		appendStringInfoString(&out->sql, count ? "to_jsonb(0)" : "'[]'::jsonb");
		return;
	}

	if (!rec)
	{
		/*
		 * one entry per path, in SurrealQL's order (the paths' edges, hop
		 * after hop)
		 */
		graph_paths_sql(g, out, set, last_ti, ends_on_edge, count);
		pfree(set);
		return;
	}
	/* a recursion reaches a set of records, in record order */
	if (g->b == NULL && count)
		appendStringInfo(&out->sql, "to_jsonb((SELECT count(DISTINCT r) FROM (%s) AS reached(r)))",
						 set);
	else if (g->b == NULL)
		appendStringInfo(&out->sql,
						 "(SELECT coalesce(jsonb_agg(DISTINCT r::text), '[]'::jsonb) FROM (%s) AS reached(r))",
						 set);
	else
	{
		const SurqlNode *last = g->items[g->nitems - 1];
		const TableInfo *nti = last_ti;
		char	   *da = dllb_surql_new_alias(out, 'd');

		if (nti == NULL && strcmp(last->str, "?") != 0)
			nti = dllb_surql_lookup_table(last->str, ends_on_edge ? "edge" : "document");
		if (nti == NULL)
		{
			if (strcmp(last->str, "?") == 0)
				dllb_surql_unsupported("a field after ? in a graph path");
			appendStringInfoString(&out->sql, "'[]'::jsonb");
			return;
		}
		appendStringInfoString(&out->sql, "(SELECT coalesce(jsonb_agg(");
		dllb_surql_path_json(nti, da, g->b->keys, g->b->nitems, out);
		appendStringInfo(&out->sql, " ORDER BY %s.id), '[]'::jsonb) FROM %s %s WHERE %s.id IN (%s))",
						 da, nti->rel, da, da, set);
	}
	pfree(set);
}

/*
 * dllb_surql_graph_ids_sql - a path used as a condition on the rows of a
 * table (from the row, no recursion, an edge table then a node table at
 * each step, the last node table filtered by [WHERE ...]) computed
 * backwards, once for the statement instead of once per row: the records
 * of the last node table that pass its filter, then hop by hop towards the
 * row, the near ends of the edges whose far end is in the set of the hop
 * before (and that pass the step's own filters).  Returns the SQL of one
 * value of type dllb.record[]: the ids from which the path reaches
 * something (a record may appear more than once), or NULL when a set grew
 * past max records, where checking the path forward from each row costs
 * less; returns NULL (the pointer) when the path is not of that form.
 */
char *
dllb_surql_graph_ids_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out, int max)
{
	const SurqlNode *last;
	const TableInfo *nti;
	char	   *na;
	char	   *set;
	bool		filtering;
	int			i;

	if (g->kind != SN_GRAPH || g->a != NULL || g->b != NULL || g->nitems < 2 || g->nitems % 2 != 0)
		return NULL;
	for (i = 0; i < g->nitems; i += 2)
	{
		const SurqlNode *edge = g->items[i];
		const SurqlNode *node = g->items[i + 1];

		if (strcmp(edge->str, "?") == 0 || edge->op != node->op ||
			(strcmp(node->str, "?") == 0 && node->a))
			return NULL;
		if (dllb_surql_lookup_table(edge->str, "edge") == NULL)
			return NULL;
		if (node->a && dllb_surql_lookup_table(node->str, "document") == NULL)
			return NULL;
	}
	last = g->items[g->nitems - 1];
	if (last->a == NULL || strcmp(last->str, "?") == 0)
		return NULL;

	/* the filters below are WHEREs: null excludes as false does */
	filtering = out->filtering;
	out->filtering = true;

	/* the records of the last node table that pass its filter */
	nti = dllb_surql_lookup_table(last->str, "document");
	na = dllb_surql_new_alias(out, 'n');
	set = psprintf("ARRAY(SELECT %s.id FROM %s %s WHERE %s LIMIT %d)", na, nti->rel, na,
				   dllb_surql_capture_bool(last->a, params, out, nti, na), max + 1);

	/* hop by hop back towards the row */
	for (i = g->nitems - 2; i >= 0; i -= 2)
	{
		const SurqlNode *edge = g->items[i];
		const SurqlNode *near_node = i >= 2 ? g->items[i - 1] : NULL;
		const TableInfo *eti = dllb_surql_lookup_table(edge->str, "edge");
		char	   *pa = dllb_surql_new_alias(out, 'p');
		StringInfoData hop;
		int			half;
		bool		first = true;

		initStringInfo(&hop);
		for (half = 0; half < 2; half++)
		{
			/* forward, "in" -> out for ->, out -> "in" for <-; backwards here */
			const char *near = half == 0 ? "\"in\"" : "out";
			const char *far = half == 0 ? "out" : "\"in\"";
			char	   *ea;

			if ((half == 0 && edge->op == TK_ARROW_IN) || (half == 1 && edge->op == TK_ARROW_OUT))
				continue;
			ea = dllb_surql_new_alias(out, 'e');
			appendStringInfo(&hop, "%sSELECT %s.%s FROM %s %s WHERE %s.%s OPERATOR(pg_catalog.=) ANY (%s.a)",
							 first ? "" : " UNION ALL ", ea, near, eti->rel, ea, ea, far, pa);
			first = false;
			if (edge->a)
				appendStringInfo(&hop, " AND %s", dllb_surql_capture_bool(edge->a, params, out, eti, ea));
			if (near_node && strcmp(near_node->str, "?") != 0)
				appendStringInfo(&hop, " AND dllb.record_in_table(%s.%s, $%d)", ea, near,
								 dllb_surql_add_param(out, near_node->str));
			if (near_node && near_node->a)
			{
				const TableInfo *pti = dllb_surql_lookup_table(near_node->str, "document");
				char	   *qa = dllb_surql_new_alias(out, 'n');

				appendStringInfo(&hop, " AND EXISTS (SELECT 1 FROM %s %s WHERE %s.id OPERATOR(pg_catalog.=) %s.%s AND %s)",
								 pti->rel, qa, qa, ea, near,
								 dllb_surql_capture_bool(near_node->a, params, out, pti, qa));
			}
		}
		set = psprintf("(SELECT CASE WHEN pg_catalog.cardinality(%s.a) OPERATOR(pg_catalog.<=) %d "
					   "THEN ARRAY(SELECT h_.r FROM (%s) AS h_(r) LIMIT %d) END FROM (SELECT %s AS a OFFSET 0) %s)",
					   pa, max, hop.data, max + 1, set, pa);
	}
	out->filtering = filtering;
	/* the row's side too: NULL past max */
	return psprintf("(SELECT CASE WHEN pg_catalog.cardinality(f_.a) OPERATOR(pg_catalog.<=) %d THEN f_.a END "
					"FROM (SELECT %s AS a OFFSET 0) f_)", max, set);
}
