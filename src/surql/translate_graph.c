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
 * all_edge_tables - the names of every edge table of the dialect's schema,
 * in name order (what ? as an edge table stands for)
 */
static char **
all_edge_tables(int *n)
{
	char	  **names;
	uint64		i;

	if (SPI_execute("SELECT c.relname::text FROM dllb.tables t JOIN pg_catalog.pg_class c ON c.oid = t.tbl "
					"WHERE t.kind = 'edge' AND c.relnamespace = "
					"pg_catalog.to_regnamespace(pg_catalog.quote_ident(dllb.dialect_schema())) "
					"ORDER BY c.relname COLLATE \"C\"", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "listing the edge tables failed");
	names = palloc(sizeof(char *) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
		names[i] = pstrdup(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
	*n = (int) SPI_processed;
	return names;
}

/*
 * hop_sql - one hop of a graph path (the edge step edge, then the node step
 * node, or none: the path ends on the edges) from the rows (r, ord) of set:
 * the rows (r, ord) it reaches, ord extended by the rank of each row among
 * those of its row of set.  The rank is SurrealQL's order: the edges
 * entering a record before those leaving it (<->), then the edge tables in
 * the order listed (? : every edge table, by name), each table's edges in
 * id order, and for <->e<->t both ends of each edge, "in" then out (the
 * record itself among them).  Only far ends of
 * table node->str (unless ?) that pass node's filter, and edges that pass
 * edge's; ->(e LIMIT n START m) keeps n edges per record after the first
 * m.  Returns false when no table it names exists (it reaches nothing).
 */
/*
 * unordered: the path is a condition (does it reach anything?), so its
 * rows need no order; set by dllb_surql_graph_exists_sql while it
 * translates the steps, off inside their filters
 */
static bool unordered = false;

static bool
hop_sql(StringInfo next, const SurqlNode *edge, const SurqlNode *node, const char *set,
		Jsonb *params, SurqlSql *out, const TableInfo **last_ti)
{
	char	   *sa = dllb_surql_new_alias(out, 's');
	char	   *ha = dllb_surql_new_alias(out, 'h');
	StringInfoData u;
	bool		first = true;
	int			ntables = edge->nitems > 0 ? edge->nitems : 1;
	char	  **tables = edge->nitems > 0 ? edge->keys : (char **) &edge->str;
	int			tparam = 0;
	const TableInfo *nti = NULL;
	char	   *na = NULL;
	char	   *ncond = NULL;
	bool		both_ends = node != NULL && edge->op == TK_ARROW_BOTH;
	int			t;

	if (edge->stmt)
		dllb_surql_unsupported("a SELECT over the edges in a graph step");
	if ((edge->key || edge->b) && node)
		dllb_surql_unsupported("LIMIT or START in a graph step that a node step follows");
	if ((edge->key && edge->key->kind != SN_INT) || (edge->b && edge->b->kind != SN_INT))
		dllb_surql_unsupported("LIMIT or START in a graph step other than an integer");
	if (node && strcmp(node->str, "?") != 0)
		tparam = dllb_surql_add_param(out, node->str);
	if (node && node->a)
	{
		bool		was = unordered;

		nti = dllb_surql_lookup_table(node->str, "document");
		if (nti == NULL)
			return false;
		na = dllb_surql_new_alias(out, 'n');
		unordered = false;
		ncond = dllb_surql_capture_bool(node->a, params, out, nti, na);
		unordered = was;
	}
	*last_ti = node ? nti : NULL;
	if (edge->nitems == 0 && strcmp(edge->str, "?") == 0)
		tables = all_edge_tables(&ntables);	/* ?: every edge table */
	initStringInfo(&u);
	for (t = 0; t < ntables; t++)
	{
		const char *ename = tables[t];
		const TableInfo *eti;
		char	   *ea;
		char	   *econd = NULL;
		int			half;

		eti = dllb_surql_lookup_table(ename, "edge");
		if (eti == NULL)
			continue;			/* a table that does not exist: no edges */
		if (node == NULL && ntables == 1)
			*last_ti = eti;
		ea = dllb_surql_new_alias(out, 'e');
		if (edge->a)
		{
			bool		was = unordered;

			unordered = false;
			econd = dllb_surql_capture_bool(edge->a, params, out, eti, ea);
			unordered = was;
		}
		for (half = 0; half < 2; half++)
		{
			/* half 0: the edges entering the record, half 1: those leaving it */
			const char *near = half == 0 ? "out" : "\"in\"";
			const char *far = half == 0 ? "\"in\"" : "out";
			char	   *rexpr;

			if ((half == 0 && edge->op == TK_ARROW_OUT) || (half == 1 && edge->op == TK_ARROW_IN))
				continue;
			if (node == NULL)
				rexpr = psprintf("%s.id", ea);
			else if (both_ends)
				rexpr = "v_.r";
			else
				rexpr = psprintf("%s.%s", ea, far);
			appendStringInfo(&u, "%sSELECT %s, %d, %d, %s.id, %s FROM %s %s",
							 first ? "" : " UNION ALL ", rexpr, t, half, ea,
							 both_ends ? "v_.k" : "0", eti->rel, ea);
			if (both_ends)
				appendStringInfo(&u, " CROSS JOIN LATERAL (VALUES (0, %s.\"in\"), (1, %s.out)) AS v_(k, r)",
								 ea, ea);
			appendStringInfo(&u, " WHERE %s.%s = %s.r", ea, near, sa);
			if (tparam)
				appendStringInfo(&u, " AND dllb.record_in_table(%s, $%d)", rexpr, tparam);
			if (econd)
				appendStringInfo(&u, " AND %s", econd);
			if (nti)
				appendStringInfo(&u, " AND EXISTS (SELECT 1 FROM %s %s WHERE %s.id = %s AND %s)",
								 nti->rel, na, na, rexpr, ncond);
			first = false;
		}
	}
	if (first)
	{
		pfree(u.data);
		return false;
	}
	if (unordered && edge->key == NULL && edge->b == NULL)
	{
		/* no order needed: the rows as they come */
		appendStringInfo(next, "SELECT hb.r, %s.ord FROM (%s) AS %s(r, ord) "
						 "CROSS JOIN LATERAL (%s) AS hb(r, k1, k2, k3, k4)",
						 sa, set, sa, u.data);
		pfree(u.data);
		return true;
	}
	appendStringInfo(next,
					 "SELECT %s.r, %s.pord || %s.rk FROM (SELECT hb.r, %s.ord AS pord, "
					 "row_number() OVER (PARTITION BY %s.ord ORDER BY hb.k2, hb.k1, hb.k3, hb.k4) AS rk "
					 "FROM (%s) AS %s(r, ord) CROSS JOIN LATERAL (%s) AS hb(r, k1, k2, k3, k4)) AS %s",
					 ha, ha, ha, sa, sa, set, sa, u.data, ha);
	if (edge->key || edge->b)
	{
		int64		skip = edge->b ? edge->b->ival : 0;

		appendStringInfo(next, " WHERE %s.rk > " INT64_FORMAT, ha, skip);
		if (edge->key)
			appendStringInfo(next, " AND %s.rk <= " INT64_FORMAT, ha, skip + edge->key->ival);
	}
	pfree(u.data);
	return true;
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
 * steps_sql - the rows (r, ord) the steps of g reach from the record start
 * (an SQL value), as SQL: r a record, ord its place in SurrealQL's order
 * (bigint[], compared as arrays); NULL when a table they name does not
 * exist, so that they reach nothing.  *last_ti: the table of the last step
 * when known (a filtered node table, or the edge table a path ends on).
 */
static char *
steps_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out, const char *start,
		  const TableInfo **last_ti)
{
	char	   *set;
	int			i;

	*last_ti = NULL;
	set = psprintf("SELECT %s, ARRAY[]::bigint[]", start);
	for (i = 0; i < g->nitems; i += 2)
	{
		const SurqlNode *edge = g->items[i];
		const SurqlNode *node = i + 1 < g->nitems ? g->items[i + 1] : NULL;
		StringInfoData next;

		if (node && edge->op != node->op)
			dllb_surql_unsupported("a graph step whose arrows point different ways");
		if (node && (node->nitems > 0 || node->stmt || node->key || node->b))
			dllb_surql_unsupported("several tables, a SELECT, LIMIT or START in a node step");
		if (node && strcmp(node->str, "?") == 0 && node->a)
			dllb_surql_unsupported("a [WHERE] filter on ? as a node table");
		initStringInfo(&next);
		if (!hop_sql(&next, edge, node, set, params, out, last_ti))
		{
			pfree(next.data);
			pfree(set);
			return NULL;
		}
		pfree(set);
		set = next.data;
	}
	return set;
}

/* the step of a recursion from each record of the array column nodes of lv */
static char *
frontier_step_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out, const char *lv,
				  const TableInfo **last_ti, char **fa)
{
	char	   *step;

	*fa = dllb_surql_new_alias(out, 'f');
	step = steps_sql(g, params, out, psprintf("%s.node", *fa), last_ti);
	if (step == NULL)
		return NULL;
	return psprintf("unnest(%s.nodes) WITH ORDINALITY AS %s(node, o) CROSS JOIN LATERAL (%s) AS x(r, ord) "
					"WHERE dllb.surql_recursion_guard(%s.depth + 1)", lv, *fa, step, lv);
}

/*
 * recurse_sql - the rows (r, ord) that repeating the steps of g from start
 * reaches, for the recursion r (without an option or +collect), as SQL;
 * NULL: nothing.  A recursive CTE of one row per level, as SurrealDB
 * walks them: level k+1 is what the steps reach from each record of level
 * k in turn, in order (a record as often as paths reach it).
 *
 * Without an option: the last level, when the steps reach nothing or a
 * level repeats the one before (a dead end), the level before it if that
 * is deeper than the minimum (else nothing); at the maximum depth, that
 * level.  Without a maximum, going 256 levels deep is an error.
 *
 * +collect: breadth first, each record the first time it is reached (the
 * start too, unless +inclusive already has it), from the minimum depth on.
 */
static char *
recurse_sql(const SurqlNode *g, const SurqlNode *r, Jsonb *params, SurqlSql *out,
			const char *start, const TableInfo **last_ti)
{
	char	   *lv = dllb_surql_new_alias(out, 'r');
	int			max = r->ival2 > 0 ? (int) r->ival2 : SURQL_RECURSE_MAX;
	char	   *fa;
	char	   *step = frontier_step_sql(g, params, out, lv, last_ti, &fa);

	if (step == NULL)
		return NULL;
	if (r->op == SURQL_RECURSE_COLLECT)
		return psprintf("WITH RECURSIVE %s(depth, nodes, seen) AS ("
						"SELECT 0, ARRAY[%s]::dllb.record[], %s "
						"UNION ALL SELECT %s.depth + 1, nx.nodes, %s.seen || nx.nodes FROM %s "
						"CROSS JOIN LATERAL (SELECT coalesce(array_agg(d.r ORDER BY d.o, d.ord), "
						"ARRAY[]::dllb.record[]) FROM (SELECT DISTINCT ON (x.r) x.r, %s.o, x.ord FROM %s "
						"AND x.r <> ALL (%s.seen) ORDER BY x.r, %s.o, x.ord) AS d) AS nx(nodes) "
						"WHERE %s.depth < %d AND cardinality(%s.nodes) > 0) "
						"SELECT u.r, ARRAY[k.depth, u.o] FROM %s k CROSS JOIN LATERAL unnest(k.nodes) "
						"WITH ORDINALITY AS u(r, o) WHERE k.depth >= %d%s",
						lv, start, r->flag ? psprintf("ARRAY[%s]::dllb.record[]", start) : "ARRAY[]::dllb.record[]",
						lv, lv, lv, fa, step, lv, fa, lv, max, lv, lv, (int) r->ival,
						r->flag ? " OR k.depth = 0" : "");
	return psprintf("WITH RECURSIVE %s(depth, nodes, stop) AS ("
					"SELECT 0, ARRAY[%s]::dllb.record[], false "
					"UNION ALL SELECT %s.depth + 1, nx.nodes, "
					"cardinality(nx.nodes) = 0 OR (%s.depth > 0 AND nx.nodes = %s.nodes) FROM %s "
					"CROSS JOIN LATERAL (SELECT coalesce(array_agg(x.r ORDER BY %s.o, x.ord), "
					"ARRAY[]::dllb.record[]) FROM %s) AS nx(nodes) "
					"WHERE %s.depth < %d AND NOT %s.stop) "
					"SELECT u.r, ARRAY[u.o] FROM (SELECT CASE WHEN k.stop AND k.depth > %d "
					"THEN (SELECT b.nodes FROM %s b WHERE b.depth = k.depth - 1) "
					"WHEN k.stop THEN ARRAY[]::dllb.record[] %s ELSE k.nodes END "
					"FROM %s k ORDER BY k.depth DESC LIMIT 1) AS fin(nodes) "
					"CROSS JOIN LATERAL unnest(fin.nodes) WITH ORDINALITY AS u(r, o)",
					lv, start, lv, lv, lv, lv, fa, step, lv, max, lv, (int) r->ival, lv,
					r->ival2 > 0 ? "" :
					"WHEN dllb.surql_recursion_limit(" CppAsString2(SURQL_RECURSE_MAX) ") THEN NULL",
					lv);
}

/*
 * paths_sql - start.{m..n+path}: every path the steps of g take from
 * start, as a jsonb array of arrays of records (the start first with
 * +inclusive), breadth first as SurrealDB takes them: a path ends where
 * the steps reach nothing from its last record (those first, shortest
 * first) or at the maximum depth; only those at least m steps long.
 * Paths may go round a cycle (up to the maximum depth).
 */
static void
paths_sql(const SurqlNode *g, const SurqlNode *r, Jsonb *params, SurqlSql *out,
		  const char *start)
{
	char	   *lv = dllb_surql_new_alias(out, 'p');
	int			max = r->ival2 > 0 ? (int) r->ival2 : SURQL_RECURSE_MAX;
	const TableInfo *last_ti;
	char	   *step;

	if (g->nitems % 2 != 0 || g->b)
		dllb_surql_unsupported("+path or +shortest over steps that end on an edge table or a field");
	step = steps_sql(g, params, out, psprintf("%s.node", lv), &last_ti);
	if (step == NULL)
	{
		appendStringInfoString(&out->sql, "'[]'::jsonb");
		return;
	}
	appendStringInfo(&out->sql,
					 "(WITH RECURSIVE %s(node, depth, path, ord) AS (SELECT %s, 0, %s, ARRAY[]::bigint[] "
					 "UNION ALL SELECT x.r, %s.depth + 1, %s.path || x.r, %s.ord || x.ord FROM %s "
					 "CROSS JOIN LATERAL (%s) AS x(r, ord) "
					 "WHERE %s.depth < %d AND dllb.surql_recursion_guard(%s.depth + 1)) "
					 "SELECT coalesce(jsonb_agg(to_jsonb(p.path::text[]) ORDER BY p.depth, p.ord), "
					 "'[]'::jsonb) FROM %s p WHERE p.depth >= %d AND NOT EXISTS "
					 "(SELECT 1 FROM %s q WHERE q.depth = p.depth + 1 "
					 "AND q.ord[1:cardinality(p.ord)] = p.ord))",
					 lv, start, r->flag ? psprintf("ARRAY[%s]::dllb.record[]", start) : "ARRAY[]::dllb.record[]",
					 lv, lv, lv, lv, step, lv, max, lv, lv, (int) r->ival, lv);
}

/*
 * shortest_sql - start.{m..n+shortest=target}: breadth first, each record
 * the first time it is reached, until the target is reached (at depth m
 * or deeper): the records of that path after the start (the start too
 * with +inclusive), a jsonb array.  When the maximum depth comes first,
 * the paths to the records of the last level (an array of arrays), or NONE
 * when there are none.
 */
static void
shortest_sql(const SurqlNode *g, const SurqlNode *r, Jsonb *params, SurqlSql *out,
			 const char *start)
{
	char	   *lv = dllb_surql_new_alias(out, 'r');
	int			max = r->ival2 > 0 ? (int) r->ival2 : SURQL_RECURSE_MAX;
	const TableInfo *last_ti;
	char	   *fa;
	char	   *step;
	int			tparam;

	if (r->key->kind != SN_RECORD && r->key->kind != SN_PARAM)
		dllb_surql_unsupported("+shortest to anything but a record id or $param");
	if (g->nitems % 2 != 0 || g->b)
		dllb_surql_unsupported("+path or +shortest over steps that end on an edge table or a field");
	tparam = dllb_surql_add_param(out, dllb_surql_literal_json(r->key, params));
	step = frontier_step_sql(g, params, out, lv, &last_ti, &fa);
	if (step == NULL)
	{
		appendStringInfoString(&out->sql, "NULL::jsonb");
		return;
	}
	appendStringInfo(&out->sql,
					 "(WITH RECURSIVE %s(depth, nodes, paths, seen, found) AS ("
					 "SELECT 0, ARRAY[%s]::dllb.record[], jsonb_build_array(%s), ARRAY[%s]::dllb.record[], NULL::jsonb "
					 "UNION ALL SELECT %s.depth + 1, nx.nodes, nx.paths, %s.seen || nx.nodes, nx.found FROM %s "
					 "CROSS JOIN LATERAL (SELECT "
					 "coalesce(array_agg(d.r ORDER BY d.o, d.ord) FILTER (WHERE d.fresh), ARRAY[]::dllb.record[]), "
					 "coalesce(jsonb_agg(d.path ORDER BY d.o, d.ord) FILTER (WHERE d.fresh), '[]'::jsonb), "
					 "(array_agg(d.path ORDER BY d.o, d.ord) FILTER (WHERE d.r = ($%d::jsonb #>> '{}')::dllb.record "
					 "AND %s.depth + 1 >= %d))[1] "
					 "FROM (SELECT x.r, %s.o, x.ord, (%s.paths -> (%s.o::int - 1)) || to_jsonb(x.r::text) AS path, "
					 "row_number() OVER (PARTITION BY x.r ORDER BY %s.o, x.ord) = 1 AND x.r <> ALL (%s.seen) AS fresh "
					 "FROM %s) AS d) AS nx(nodes, paths, found) "
					 "WHERE %s.depth < %d AND %s.found IS NULL AND cardinality(%s.nodes) > 0) "
					 "SELECT CASE WHEN k.found IS NOT NULL THEN k.found "
					 "WHEN k.depth > 0 AND jsonb_array_length(k.paths) > 0 THEN k.paths END "
					 "FROM %s k ORDER BY k.depth DESC LIMIT 1)",
					 lv, start, r->flag ? psprintf("jsonb_build_array((%s)::text)", start) : "'[]'::jsonb",
					 start, lv, lv, lv, tparam, lv, (int) r->ival,
					 fa, lv, fa, fa, lv, step, lv, max, lv, lv, lv);
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
	if (nti == NULL && strcmp(last->str, "?") != 0 && last->nitems == 0)
		nti = dllb_surql_lookup_table(last->str, ends_on_edge ? "edge" : "document");
	if ((nti == NULL && (strcmp(last->str, "?") == 0 || last->nitems > 0)) ||
		strcmp(g->b->keys[g->b->nitems - 1], "*") == 0)
	{
		/* records of any table: the field of each record read */
		StringInfoData keys;
		const char *c;
		int			k;

		if (count)
			appendStringInfoString(&out->sql, "to_jsonb(jsonb_array_length(");
		appendStringInfoString(&out->sql, "(SELECT coalesce(jsonb_agg(");
		if (g->b->nitems == 1 && strcmp(g->b->keys[0], "id") == 0)
			appendStringInfoString(&out->sql, "to_jsonb(reached.r::text)");
		else
		{
			initStringInfo(&keys);
			appendStringInfoChar(&keys, '{');
			for (k = 0; k < g->b->nitems; k++)
			{
				if (k > 0)
					appendStringInfoChar(&keys, ',');
				appendStringInfoChar(&keys, '"');
				for (c = g->b->keys[k]; *c; c++)
				{
					if (*c == '"' || *c == '\\')
						appendStringInfoChar(&keys, '\\');
					appendStringInfoChar(&keys, *c);
				}
				appendStringInfoChar(&keys, '"');
			}
			appendStringInfoChar(&keys, '}');
			appendStringInfo(&out->sql, "dllb.surql_walk(to_jsonb(reached.r::text), $%d::text[], dllb.dialect_schema())",
							 dllb_surql_add_param(out, keys.data));
		}
		appendStringInfo(&out->sql, " ORDER BY reached.ord), '[]'::jsonb) FROM (%s) AS reached(r, ord))", set);
		if (count)
			appendStringInfoString(&out->sql, "))");
		return;
	}
	if (nti == NULL)
	{
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

/* a record of table tb with the key k, as SQL of type dllb.record */
static char *
record_key_sql(const char *tb, const SurqlNode *k, Jsonb *params, SurqlSql *out)
{
	if (k->kind == SN_ARRAY || k->kind == SN_OBJECT)
	{
		/* e:[a, b]: its values now */
		SurqlNode	rec = {0};

		rec.kind = SN_RECORD;
		rec.str = (char *) tb;
		rec.key = (SurqlNode *) k;
		return psprintf("$%d::text::dllb.record",
						dllb_surql_add_param(out, dllb_surql_record_text(&rec, params, true)));
	}
	if (k->kind == SN_INT)
		return psprintf("($%d::jsonb #>> '{}')::dllb.record",
						dllb_surql_add_param(out, psprintf("\"%s:" INT64_FORMAT "\"", tb, k->ival)));
	if (k->kind == SN_STRING && dllb_surql_is_plain_word(k->str))
		return psprintf("($%d::jsonb #>> '{}')::dllb.record",
						dllb_surql_add_param(out, psprintf("\"%s:%s\"", tb, k->str)));
	dllb_surql_unsupported("a record key other than a number, a plain word, an array or an object in ->(SELECT ... FROM e:k)");
}

/* FROM e:k or e:a..b in ->(SELECT ... FROM ...): the condition on e_.id */
static char *
edge_range_sql(const SurqlNode *from, Jsonb *params, SurqlSql *out)
{
	StringInfoData c;

	if (from->kind != SN_RECORD)
		return "";
	initStringInfo(&c);
	if (!from->flag)
	{
		appendStringInfo(&c, " AND e_.id = %s", record_key_sql(from->str, from->key, params, out));
		return c.data;
	}
	if (from->key)
		appendStringInfo(&c, " AND e_.id >= %s", record_key_sql(from->str, from->key, params, out));
	if (from->b)
		appendStringInfo(&c, " AND e_.id %s %s", from->ival ? "<=" : "<",
						 record_key_sql(from->str, from->b, params, out));
	return c.data;
}

/*
 * edge_select_sql - start->(SELECT ... FROM e ...)[->t]: the SELECT run
 * over the edges of e leaving start (entering it for <-), in id order;
 * its results as a jsonb array (FROM ONLY: the first, or NONE), or with a
 * node step after it, the far end ("out", "in" for <-) of each result in
 * table t (or any, for ?).
 */
static void
edge_select_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out, const TableInfo *row,
				bool count)
{
	const SurqlNode *edge = g->items[0];
	const SurqlNode *node = g->nitems > 1 ? g->items[1] : NULL;
	const SurqlStmt *sub = edge->stmt;
	const TableInfo *eti;
	TableInfo  *rows;
	SurqlSql   *inner;
	char	   *start;
	const char *far = edge->op == TK_ARROW_OUT ? "out" : "in";

	/* the value when there are no edges to run it over */
	const char *none = count ? "to_jsonb(0)" : sub->only && !node ? "NULL::jsonb" : "'[]'::jsonb";

	if (g->a && g->a->kind == SN_RECURSE)
		dllb_surql_unsupported("a recursion over a SELECT of edges");
	if (edge->op == TK_ARROW_BOTH)
		dllb_surql_unsupported("<->(SELECT ...): a SELECT of edges both ways");
	if (g->nitems > 2 || (g->b && !(g->b->nitems == 1 && strcmp(g->b->keys[0], "*") == 0 && !node)) ||
		(node && (node->a || node->op != edge->op || node->nitems > 0 || node->stmt ||
				  node->key || node->b)))
		dllb_surql_unsupported("a SELECT of edges followed by anything but one node table (or .*)");
	if (sub->kind != SS_SELECT)
		dllb_surql_unsupported("a graph step over a statement that is not a SELECT");
	start = start_sql(g->a, params, out, row);
	eti = dllb_surql_lookup_table(edge->str, "edge");
	if (eti == NULL)
	{
		appendStringInfoString(&out->sql, none);
		return;
	}
	rows = palloc(sizeof(TableInfo));
	*rows = *eti;
	rows->rel = psprintf("(SELECT * FROM %s e_ WHERE e_.%s = %s%s ORDER BY e_.id)", eti->rel,
						 edge->op == TK_ARROW_OUT ? "\"in\"" : "out", start,
						 edge_range_sql(sub->from[0], params, out));

	/* the SELECT over those edges, its parameters numbered after out's */
	inner = dllb_surql_inner_select(sub, params, out, rows, false);
	if (inner == NULL)
	{
		appendStringInfoString(&out->sql, none);
		return;
	}
	if (count)
		appendStringInfoString(&out->sql, "to_jsonb(jsonb_array_length(");
	if (node == NULL && sub->only && !count)
		appendStringInfo(&out->sql, "(SELECT s_.r FROM (%s) AS s_(r) LIMIT 1)", inner->sql.data);
	else if (node == NULL)
		appendStringInfo(&out->sql, "(SELECT coalesce(jsonb_agg(s_.r), '[]'::jsonb) FROM (%s) AS s_(r))",
						 inner->sql.data);
	else
	{
		appendStringInfo(&out->sql, "(SELECT coalesce(jsonb_agg(s_.r -> '%s'), '[]'::jsonb) FROM (%s) AS s_(r) "
						 "WHERE jsonb_typeof(s_.r -> '%s') = 'string'", far, inner->sql.data, far);
		if (strcmp(node->str, "?") != 0)
			appendStringInfo(&out->sql, " AND dllb.record_in_table((s_.r ->> '%s')::dllb.record, $%d)",
							 far, dllb_surql_add_param(out, node->str));
		appendStringInfoChar(&out->sql, ')');
	}
	if (count)
		appendStringInfoString(&out->sql, "))");
}

/* a field path as a text[] parameter */
static int
path_param(const SurqlNode *f, SurqlSql *out)
{
	StringInfoData keys;
	const char *c;
	int			k;

	initStringInfo(&keys);
	appendStringInfoChar(&keys, '{');
	for (k = 0; k < f->nitems; k++)
	{
		if (k > 0)
			appendStringInfoChar(&keys, ',');
		appendStringInfoChar(&keys, '"');
		for (c = f->keys[k]; *c; c++)
		{
			if (*c == '"' || *c == '\\')
				appendStringInfoChar(&keys, '\\');
			appendStringInfoChar(&keys, *c);
		}
		appendStringInfoChar(&keys, '"');
	}
	appendStringInfoChar(&keys, '}');
	return dllb_surql_add_param(out, keys.data);
}

/*
 * recurse_destructure_sql - start.{..n}.{f, g: path.@}: the record's
 * fields as an object, a path ending in .@ giving the same object for
 * each record it reaches, one level deeper, up to depth n (the records
 * themselves below it), as dllb.surql_recurse_destructure does.  A path
 * is a field path (record links) or one hop of graph steps (->e->t,
 * <-e<-t); in the specs each is {"path": [...]} or {"rel", "near", "far",
 * "node"}, with "recurse" for .@.
 */
static void
recurse_destructure_sql(const SurqlNode *rec, const char *start, SurqlSql *out)
{
	const SurqlNode *d = rec->b;
	StringInfoData keys;
	StringInfoData specs;
	int			i;

	initStringInfo(&keys);
	initStringInfo(&specs);
	appendStringInfoChar(&specs, '[');
	for (i = 0; i < d->nitems; i++)
	{
		const SurqlNode *v = d->b->items[i];

		appendStringInfo(&keys, "%s$%d::text", i ? ", " : "", dllb_surql_add_param(out, d->keys[i]));
		if (i > 0)
			appendStringInfoString(&specs, ", ");
		if (v->kind == SN_NONE)
			appendStringInfoString(&specs, "null");
		else if (v->kind == SN_FIELD)
		{
			int			k;

			appendStringInfoString(&specs, "{\"path\": [");
			for (k = 0; k < v->nitems; k++)
			{
				if (k > 0)
					appendStringInfoString(&specs, ", ");
				escape_json(&specs, v->keys[k]);
			}
			appendStringInfo(&specs, "], \"recurse\": %s}", v->flag ? "true" : "false");
		}
		else
		{
			const SurqlNode *edge;
			const SurqlNode *node;
			const TableInfo *eti;

			if (v->nitems != 2 || v->b)
				dllb_surql_unsupported("a recursive destructuring over anything but a field path or one hop (->e->t)");
			edge = v->items[0];
			node = v->items[1];
			if (edge->a || node->a || edge->op != node->op || edge->op == TK_ARROW_BOTH ||
				edge->nitems > 0 || edge->stmt || edge->key || edge->b || strcmp(edge->str, "?") == 0)
				dllb_surql_unsupported("a recursive destructuring over a hop with filters, <->, ? or several edge tables");
			eti = dllb_surql_lookup_table(edge->str, "edge");
			appendStringInfoString(&specs, "{\"rel\": ");
			escape_json(&specs, eti ? eti->rel : "");
			appendStringInfo(&specs, ", \"near\": \"%s\", \"far\": \"%s\", \"node\": ",
							 edge->op == TK_ARROW_OUT ? "in" : "out",
							 edge->op == TK_ARROW_OUT ? "out" : "in");
			escape_json(&specs, node->str);
			appendStringInfo(&specs, ", \"recurse\": %s}", v->flag ? "true" : "false");
		}
	}
	appendStringInfoChar(&specs, ']');
	appendStringInfo(&out->sql,
					 "dllb.surql_recurse_destructure(to_jsonb((%s)::text), 1, %s, ARRAY[%s]::text[], $%d::jsonb, dllb.dialect_schema())",
					 start, rec->ival2 > 0 ? psprintf("%d", (int) rec->ival2) : "NULL",
					 keys.data, dllb_surql_add_param(out, specs.data));
}

/*
 * field_path_sql - t:k.f.g (a field of a record, through record links) and
 * start.{m..n}.f / start.{m..n}(.f).g (a field path repeated, as
 * dllb.surql_recurse_walk does): a jsonb value, not an array of them
 */
static void
field_path_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out, const TableInfo *row, bool count)
{
	const SurqlNode *rec = g->a && g->a->kind == SN_RECURSE ? g->a : NULL;
	char	   *start = start_sql(rec ? rec->a : g->a, params, out, row);
	StringInfoData v;

	if (rec && rec->op != SURQL_RECURSE_LAST)
		dllb_surql_unsupported("+collect, +path or +shortest over a field path");
	if (rec && rec->b->kind == SN_DESTRUCTURE)
	{
		if (count)
			dllb_surql_unsupported("count() of a recursive destructuring");
		recurse_destructure_sql(rec, start, out);
		return;
	}
	initStringInfo(&v);
	appendStringInfo(&v, "to_jsonb((%s)::text)", start);
	if (rec)
	{
		char	   *r = psprintf("dllb.surql_recurse_walk(%s, $%d::text[], %d, %s, dllb.dialect_schema())",
								 v.data, path_param(rec->b, out), (int) rec->ival,
								 rec->ival2 > 0 ? psprintf("%d", (int) rec->ival2) : "NULL");

		resetStringInfo(&v);
		appendStringInfoString(&v, r);
	}
	if (g->b)
	{
		char	   *w = psprintf("dllb.surql_walk(%s, $%d::text[], dllb.dialect_schema())",
								 v.data, path_param(g->b, out));

		resetStringInfo(&v);
		appendStringInfoString(&v, w);
	}
	if (count)
		appendStringInfo(&out->sql, "to_jsonb(dllb.surql_count(%s))", v.data);
	else
		appendStringInfoString(&out->sql, v.data);
}

/*
 * graph_sql - a graph path as a jsonb array: the records it reaches (as
 * table:key strings; one per path, in SurrealQL's order, see hop_sql and
 * recurse_sql), or the values of the field after its last step.  Steps
 * come in pairs, an edge table (or several: ->(a, b)) then a node table
 * (or ? for any): ->e->n follows e from "in" to out, <-e<-n from out to
 * "in", <->e<->n both ways and reaches both ends of each edge.  A path may
 * end on an edge table (->e, ->e.since): then it reaches the edges.  Each
 * step may carry a [WHERE] filter, over the edge's or the node's fields.
 * An edge table that does not exist reaches nothing.  A recursion
 * (x.{1..3}->e->n) repeats the steps.
 */
void
dllb_surql_graph_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out, const TableInfo *row,
					 bool count)
{
	char	   *set;
	const TableInfo *last_ti = NULL;
	bool		ends_on_edge = g->nitems % 2 != 0;
	const SurqlNode *rec = g->a && g->a->kind == SN_RECURSE ? g->a : NULL;
	char	   *start;

	if (g->nitems > 0 && g->items[0]->stmt)
	{
		edge_select_sql(g, params, out, row, count);
		return;
	}
	if (g->nitems == 0 && (rec ? rec->b != NULL : g->b != NULL))
	{
		field_path_sql(g, params, out, row, count);
		return;
	}
	start = start_sql(rec ? rec->a : g->a, params, out, row);

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
	/* one entry per path, in SurrealQL's order */
	graph_paths_sql(g, out, set, last_ti, ends_on_edge, count);
	pfree(set);
}

/*
 * dllb_surql_graph_exists_sql - a graph path as a condition: true when it
 * reaches anything.  Without a recursion, a SELECT of edges or a field
 * after it, EXISTS over its rows in no particular order (cheaper than
 * ranking them); otherwise the length of its array.
 */
void
dllb_surql_graph_exists_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out, const TableInfo *row)
{
	const TableInfo *last_ti;
	char	   *set;
	bool		was = unordered;
	int			i;

	for (i = 0; i < g->nitems; i++)
		if (g->items[i]->stmt)
			break;
	if ((g->a && g->a->kind == SN_RECURSE) || g->b || g->nitems == 0 || i < g->nitems)
	{
		appendStringInfoString(&out->sql, "(jsonb_array_length(");
		dllb_surql_graph_sql(g, params, out, row, false);
		appendStringInfoString(&out->sql, ") > 0)");
		return;
	}
	unordered = true;
	PG_TRY();
	{
		set = steps_sql(g, params, out, start_sql(g->a, params, out, row), &last_ti);
	}
	PG_FINALLY();
	{
		unordered = was;
	}
	PG_END_TRY();
	if (set == NULL)
		appendStringInfoString(&out->sql, "false");
	else
		appendStringInfo(&out->sql, "EXISTS (%s)", set);
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

		if (strcmp(edge->str, "?") == 0 || edge->op != node->op || edge->op == TK_ARROW_BOTH ||
			(strcmp(node->str, "?") == 0 && node->a) || edge->nitems > 0 || edge->stmt ||
			edge->key || edge->b || node->nitems > 0 || node->stmt || node->key || node->b)
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
