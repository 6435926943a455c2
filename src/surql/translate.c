/*-------------------------------------------------------------------------
 *
 * translate.c
 *	  Parsed statements to SQL over dllb's document tables (first slice).
 *
 * A document is a row (id dllb.record, data jsonb) of a table registered
 * in dllb.tables in the current schema.  Every value of a translated
 * expression is jsonb: a field path is jsonb_extract_path(data, ...) (id
 * is the record id as a string), a literal or $param is a bound text
 * parameter cast to jsonb, comparisons use jsonb's operators (a missing
 * field compares false), CONTAINS and IN use jsonb containment,
 * arithmetic goes through numeric.  Names reach SQL only as parameters or
 * as the regclass of a registered table; literals only as parameters.
 *
 * Translated: SELECT (*, VALUE, fields with AS, one table or record,
 * WHERE, GROUP BY / GROUP ALL with count() and math::sum/mean/min/max,
 * ORDER BY, LIMIT, START, nearest neighbours), graph paths (with
 * [WHERE] filters on their steps, and recursion), CREATE, INSERT, UPDATE
 * and UPSERT ... SET / MERGE / CONTENT, DELETE, RELATE, LET, RETURN,
 * DEFINE TABLE, DEFINE FIELD (TYPE), DEFINE INDEX (UNIQUE, HNSW), REMOVE
 * TABLE and INDEX, and INFO FOR TABLE/DB.  What is not translated yet -
 * full-text matches, FETCH, most functions, several targets - is refused
 * with "not supported yet" (0A000), never misread.
 *
 * IDENTIFICATION
 *	  src/surql/translate.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "catalog/namespace.h"

#include "model/model.h"
#include "surql/translate.h"

#define SURQL_OP_NOT_IN 10000

/*
 * A dllb table as a statement sees it: its regclass (SQL text) and the
 * typed columns dllb.define_field made of some fields.
 */
typedef struct TableInfo
{
	char	   *rel;
	int			ncols;
	char	  **cols;
	char	  **types;			/* format_type() */
	bool	   *is_vector;
	bool	   *is_json;
	bool		is_edge;		/* "in" and out are columns */
	bool		schemafull;		/* only typed fields may be written */
	char	   *name;			/* the dialect's name of it (NULL: unknown) */
	bool		is_subquery;	/* rel is (SELECT data, id, ord_ ...) of a subquery's results */
} TableInfo;

#define ROW_ALIAS(out) ((out)->alias ? (out)->alias : "t")

static pg_attribute_noreturn() void
unsupported(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s is not supported by dllb.query yet", what)));
}

static int
add_param(SurqlSql *out, const char *value)
{
	if (out->nparams == SURQL_MAX_PARAMS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a statement may hold at most %d values", SURQL_MAX_PARAMS)));
	out->params[out->nparams] = pstrdup(value);
	return ++out->nparams;
}

bool
dllb_surql_is_literal(const SurqlNode *n)
{
	int			i;

	switch (n->kind)
	{
		case SN_NULL:
		case SN_NONE:
		case SN_BOOL:
		case SN_INT:
		case SN_FLOAT:
		case SN_STRING:
		case SN_DATETIME:
		case SN_RECORD:
		case SN_PARAM:
			return true;
		case SN_ARRAY:
		case SN_OBJECT:
			for (i = 0; i < n->nitems; i++)
				if (!dllb_surql_is_literal(n->items[i]))
					return false;
			return true;
		default:
			return false;
	}
}

static void
literal_json(const SurqlNode *n, Jsonb *params, StringInfo buf)
{
	int			i;

	switch (n->kind)
	{
		case SN_NULL:
		case SN_NONE:
			appendStringInfoString(buf, "null");
			break;
		case SN_BOOL:
			appendStringInfoString(buf, n->ival ? "true" : "false");
			break;
		case SN_INT:
			appendStringInfo(buf, INT64_FORMAT, n->ival);
			break;
		case SN_FLOAT:
			/* the lexer's number is JSON's number (digits, ., e) */
			appendStringInfoString(buf, n->str);
			break;
		case SN_STRING:
		case SN_DATETIME:
			escape_json(buf, n->str);
			break;
		case SN_RECORD:
			{
				StringInfoData r;

				initStringInfo(&r);
				dllb_surql_print_expr(&r, n);
				escape_json(buf, r.data);
				pfree(r.data);
				break;
			}
		case SN_PARAM:
			{
				JsonbValue	key;
				JsonbValue *v = NULL;

				if (params != NULL && JB_ROOT_IS_OBJECT(params))
				{
					key.type = jbvString;
					key.val.string.val = n->str;
					key.val.string.len = strlen(n->str);
					v = findJsonbValueFromContainer(&params->root, JB_FOBJECT, &key);
				}
				if (v == NULL)
					ereport(ERROR,
							(errcode(ERRCODE_UNDEFINED_PARAMETER),
							 errmsg("parameter $%s is not bound", n->str),
							 errhint("Pass it in the params argument of dllb.query, or set it with LET.")));
				appendStringInfoString(buf, JsonbToCString(NULL, &JsonbValueToJsonb(v)->root, 0));
				break;
			}
		case SN_ARRAY:
			appendStringInfoChar(buf, '[');
			for (i = 0; i < n->nitems; i++)
			{
				if (i > 0)
					appendStringInfoChar(buf, ',');
				literal_json(n->items[i], params, buf);
			}
			appendStringInfoChar(buf, ']');
			break;
		case SN_OBJECT:
			appendStringInfoChar(buf, '{');
			for (i = 0; i < n->nitems; i++)
			{
				if (i > 0)
					appendStringInfoChar(buf, ',');
				escape_json(buf, n->keys[i]);
				appendStringInfoChar(buf, ':');
				literal_json(n->items[i], params, buf);
			}
			appendStringInfoChar(buf, '}');
			break;
		default:
			unsupported("this expression inside a literal");
	}
}

/* dllb_surql_literal_json - the JSON text of a literal or $param */
char *
dllb_surql_literal_json(const SurqlNode *n, Jsonb *params)
{
	StringInfoData buf;

	initStringInfo(&buf);
	literal_json(n, params, &buf);
	return buf.data;
}

static void value_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *row);
static char *subquery_sql(const SurqlStmt *sub, Jsonb *params, SurqlSql *out);
static bool call_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *row);
static void bool_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *row);
static bool search_call_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out);
static const SurqlMatch *match_of(const SurqlSql *out, const SurqlNode *n);
static void statement_matches(const SurqlStmt *s, Jsonb *params, SurqlSql *out,
							  const TableInfo *ti);

static int
column_of(const TableInfo *ti, const char *name)
{
	int			i;

	for (i = 0; ti && i < ti->ncols; i++)
		if (strcmp(ti->cols[i], name) == 0)
			return i;
	return -1;
}

/* a typed column of the row alias, as jsonb (a vector as an array) */
static void
column_json(StringInfo sql, const TableInfo *ti, const char *alias, int c)
{
	appendStringInfo(sql, ti->is_vector[c] ? "to_jsonb(%s.%s::real[])" : "to_jsonb(%s.%s)",
					 alias, quote_identifier(ti->cols[c]));
}

/* the field path keys[0..n) of the row alias of table ti, as jsonb */
static void
path_json(const TableInfo *ti, const char *alias, char **keys, int n, SurqlSql *out)
{
	int			c = column_of(ti, keys[0]);
	int			i;

	if (n == 1 && strcmp(keys[0], "id") == 0 && !(ti && ti->is_subquery))
	{
		appendStringInfo(&out->sql, "to_jsonb(%s.id::text)", alias);
		return;
	}
	if (n == 1 && ti && ti->is_edge && (strcmp(keys[0], "in") == 0 || strcmp(keys[0], "out") == 0))
	{
		appendStringInfo(&out->sql, "to_jsonb(%s.%s::text)", alias, quote_identifier(keys[0]));
		return;
	}
	if (c >= 0 && n == 1)
	{
		column_json(&out->sql, ti, alias, c);
		return;
	}
	/*
	 * field names are written in as literals (never values): the same text
	 * as the expression of an index DEFINE INDEX makes, so it can serve
	 */
	if (c < 0 && n == 1)
	{
		/* the operator form is cheaper than the variadic function */
		appendStringInfo(&out->sql, "(%s.data -> %s::text)", alias, quote_literal_cstr(keys[0]));
		return;
	}
	appendStringInfoString(&out->sql, "jsonb_extract_path(");
	if (c >= 0)
		column_json(&out->sql, ti, alias, c);
	else
		appendStringInfo(&out->sql, "%s.data, %s", alias, quote_literal_cstr(keys[0]));
	for (i = 1; i < n; i++)
		appendStringInfo(&out->sql, ", %s", quote_literal_cstr(keys[i]));
	appendStringInfoChar(&out->sql, ')');
}

/* a whole row as its result: data, id and the typed columns */
static void
row_json(StringInfo sql, const TableInfo *ti, const char *alias)
{
	int			c;

	if (ti->is_subquery)
	{
		/* a subquery's result as it is */
		appendStringInfo(sql, "%s.data", alias);
		return;
	}
	appendStringInfo(sql, "(%s.data || jsonb_build_object('id', %s.id::text", alias, alias);
	for (c = 0; c < ti->ncols; c++)
	{
		appendStringInfo(sql, ", %s, ", quote_literal_cstr(ti->cols[c]));
		column_json(sql, ti, alias, c);
	}
	appendStringInfoString(sql, "))");
}

/* a jsonb expression converted to the type of column c */
static void
cast_to_column(StringInfo sql, const TableInfo *ti, int c, const char *json)
{
	if (ti->is_vector[c])
		appendStringInfo(sql, "((%s)::text)::%s", json, ti->types[c]);
	else if (ti->is_json[c])
		appendStringInfo(sql, "(%s)::%s", json, ti->types[c]);
	else
		appendStringInfo(sql, "((%s) #>> '{}')::%s", json, ti->types[c]);
}

static void
field_sql(const SurqlNode *f, SurqlSql *out, const TableInfo *row)
{
	if (!row)
		unsupported("a field outside a statement over a table");
	path_json(row, ROW_ALIAS(out), f->keys, f->nitems, out);
}

static const char *
cmp_sql(int op)
{
	switch (op)
	{
		case TK_EQ:
		case TK_EQEQ:
			return "=";
		case TK_NE:
			return "<>";
		case TK_LT:
			return "<";
		case TK_LE:
			return "<=";
		case TK_GT:
			return ">";
		case TK_GE:
			return ">=";
		default:
			return NULL;
	}
}

static TableInfo *lookup_table(const char *name, const char *kind);

/*
 * capture_bool - the SQL of condition n over the row alias of table ti,
 * as a string (its parameters are added to out as usual)
 */
static char *
capture_bool(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *ti,
			 const char *alias)
{
	int			mark = out->sql.len;
	const char *saved = out->alias;
	char	   *r;

	out->alias = alias;
	bool_sql(n, params, out, ti);
	out->alias = saved;
	r = pstrdup(out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	return r;
}

static char *
new_alias(SurqlSql *out, char letter)
{
	return psprintf("%c%d", letter, ++out->naliases);
}

/*
 * hop_sql - one hop of a graph path over edge table eti from the records
 * of set (SQL of one column; when single, an SQL value: one record): the
 * far ends (or, when to_edges, the edges themselves), only
 * where the far end is of table tparam (when nonzero), the edge passes
 * econd (over alias ea) and the far end is a row of nti passing ncond
 * (over alias na).
 */
static void
hop_sql(StringInfo next, int dir, const TableInfo *eti, const char *set, bool single,
		const char *ea, bool to_edges, int tparam, const char *econd, const TableInfo *nti,
		const char *na, const char *ncond)
{
	int			half;

	for (half = 0; half < 2; half++)
	{
		const char *near = half == 0 ? "\"in\"" : "out";
		const char *far = half == 0 ? "out" : "\"in\"";

		if ((half == 0 && dir == TK_ARROW_IN) || (half == 1 && dir == TK_ARROW_OUT))
			continue;
		if (half == 1 && dir == TK_ARROW_BOTH)
			appendStringInfoString(next, " UNION ");
		if (single)
		{
			/* from one record (the start): an equality, not a semi-join */
			appendStringInfo(next, "SELECT %s.%s FROM %s %s WHERE %s.%s = %s",
							 ea, to_edges ? "id" : far, eti->rel, ea, ea, near, set);
		}
		else
		{
			/*
			 * from the records of the hop before: their array, built once,
			 * probes the edge index (a semi-join would add a hash of them
			 * for each run of the path)
			 */
			appendStringInfo(next, "SELECT %s.%s FROM %s %s WHERE %s.%s = ANY (ARRAY(%s))",
							 ea, to_edges ? "id" : far, eti->rel, ea, ea, near, set);
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
			unsupported("a graph path outside a statement over a table");
		return psprintf("%s.id", ROW_ALIAS(out));
	}
	if (a->kind == SN_RECORD || a->kind == SN_PARAM)
	{
		char	   *json = dllb_surql_literal_json(a, params);

		return psprintf("($%d::jsonb #>> '{}')::dllb.record", add_param(out, json));
	}
	unsupported("a graph path from this start");
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
		return psprintf("SELECT %s", start);
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
			unsupported("a graph step whose arrows point different ways");
		if (strcmp(edge->str, "?") == 0 && (edge->a || node == NULL))
			unsupported("? as an edge table with a [WHERE] filter or at the end of a path");
		if (node && strcmp(node->str, "?") == 0 && node->a)
			unsupported("a [WHERE] filter on ? as a node table");
		eti = strcmp(edge->str, "?") == 0 ? NULL : lookup_table(edge->str, "edge");
		if (node && node->a)
			nti = lookup_table(node->str, "document");
		if ((strcmp(edge->str, "?") != 0 && eti == NULL) || (node && node->a && nti == NULL))
		{
			pfree(set.data);
			return NULL;
		}
		if (node && strcmp(node->str, "?") != 0)
			tparam = add_param(out, node->str);
		initStringInfo(&next);
		if (eti == NULL)
		{
			/* ? : every edge table, as dllb.out/in/both read them */
			appendStringInfo(&next, "SELECT x.r FROM (%s%s) AS s(r), dllb.%s(s.r, '?') AS x(r)",
							 i == 0 ? "SELECT " : "", set.data,
							 edge->op == TK_ARROW_OUT ? "out" :
							 edge->op == TK_ARROW_IN ? "\"in\"" : "both");
			if (tparam)
				appendStringInfo(&next, " WHERE dllb.record_in_table(x.r, $%d)", tparam);
		}
		else
		{
			ea = new_alias(out, 'e');
			if (edge->a)
				econd = capture_bool(edge->a, params, out, eti, ea);
			if (nti)
			{
				na = new_alias(out, 'n');
				ncond = capture_bool(node->a, params, out, nti, na);
			}
			hop_sql(&next, edge->op, eti, set.data, i == 0, ea, node == NULL, tparam, econd,
					nti, na, ncond);
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
	char	   *lv = new_alias(out, 'r');
	int			max = r->ival2 > 0 ? (int) r->ival2 : SURQL_RECURSE_MAX;
	char	   *step;

	if (r->op == SURQL_RECURSE_COLLECT && g->nitems == 2 && !g->items[0]->a &&
		!g->items[1]->a && g->items[0]->op == g->items[1]->op &&
		strcmp(g->items[0]->str, "?") != 0 && strcmp(g->items[1]->str, "?") == 0)
	{
		if (lookup_table(g->items[0]->str, "edge") == NULL)
			return NULL;
		return psprintf("SELECT %s.node FROM dllb.traverse(%s, $%d, '%s', %d, %d) AS %s",
						lv, start, add_param(out, g->items[0]->str),
						g->items[0]->op == TK_ARROW_OUT ? "out" :
						g->items[0]->op == TK_ARROW_IN ? "in" : "both",
						(int) r->ival, max, lv);
	}
	step = steps_sql(g, params, out, psprintf("%s.node", lv), last_ti);
	if (step == NULL)
		return NULL;
	if (r->op == SURQL_RECURSE_COLLECT && r->ival == 1 && r->ival2 == 0)
		return psprintf("WITH RECURSIVE %s(node) AS (SELECT %s UNION SELECT x.r FROM %s, "
						"LATERAL (%s) AS x(r)) SELECT node FROM %s WHERE node <> %s",
						lv, start, lv, step, lv, start);
	if (r->op == SURQL_RECURSE_COLLECT)
		return psprintf("WITH RECURSIVE %s(node, depth) AS (SELECT %s, 0 UNION "
						"SELECT x.r, %s.depth + 1 FROM %s, LATERAL (%s) AS x(r) WHERE %s.depth < %d) "
						"SELECT node FROM %s WHERE depth >= %d AND node <> %s",
						lv, start, lv, lv, step, lv, max, lv, (int) r->ival, start);
	return psprintf("WITH RECURSIVE %s(node, depth) AS (SELECT %s, 0 UNION "
					"SELECT x.r, %s.depth + 1 FROM %s, LATERAL (%s) AS x(r) WHERE %s.depth < %d) "
					"SELECT node FROM %s WHERE depth >= %d AND depth = (SELECT max(depth) FROM %s)",
					lv, start, lv, lv, step, lv, max, lv, (int) r->ival, lv);
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
	char	   *lv = new_alias(out, 'p');
	int			max = r->ival2 > 0 ? (int) r->ival2 : SURQL_RECURSE_MAX;
	const TableInfo *last_ti;
	char	   *step;
	char	   *cte;

	if (g->nitems % 2 != 0 || g->b)
		unsupported("+path or +shortest over steps that end on an edge table or a field");
	step = steps_sql(g, params, out, psprintf("%s.node", lv), &last_ti);
	if (step == NULL)
	{
		appendStringInfoString(&out->sql, "'[]'::jsonb");
		return;
	}
	cte = psprintf("WITH RECURSIVE %s(node, depth, path) AS (SELECT %s, 0, ARRAY[]::dllb.record[] "
				   "UNION ALL SELECT x.r, %s.depth + 1, %s.path || x.r FROM %s, LATERAL (%s) AS x(r) "
				   "WHERE %s.depth < %d AND x.r <> ALL(%s.path) AND x.r <> %s) ",
				   lv, start, lv, lv, lv, step, lv, max, lv, start);
	if (r->op == SURQL_RECURSE_SHORTEST)
	{
		char	   *target = dllb_surql_literal_json(r->key, params);

		appendStringInfo(&out->sql,
						 "coalesce((%sSELECT to_jsonb(%s.path::text[]) FROM %s WHERE %s.node = "
						 "($%d::jsonb #>> '{}')::dllb.record AND %s.depth >= %d "
						 "ORDER BY %s.depth, %s.path::text[] LIMIT 1), '[]'::jsonb)",
						 cte, lv, lv, lv, add_param(out, target), lv, (int) r->ival, lv, lv);
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
		unsupported("+shortest to anything but a record id or $param");
	if (g->nitems != 2 || g->items[0]->a || g->items[1]->a ||
		g->items[0]->op != g->items[1]->op || strcmp(g->items[1]->str, "?") != 0 ||
		strcmp(g->items[0]->str, "?") == 0)
	{
		paths_sql(g, r, params, out, start);
		return;
	}
	target = dllb_surql_literal_json(r->key, params);
	edge = g->items[0];
	tparam = add_param(out, target);
	eparam = add_param(out, edge->str);
	appendStringInfo(&out->sql,
					 "coalesce((SELECT jsonb_agg(u.r::text ORDER BY u.o) FROM "
					 "unnest(dllb.shortest_path(%s, ($%d::jsonb #>> '{}')::dllb.record, $%d, '%s', %d)) "
					 "WITH ORDINALITY AS u(r, o) WHERE u.o > 1 HAVING count(*) >= %d), '[]'::jsonb)",
					 start, tparam, eparam, edge->op == TK_ARROW_OUT ? "out" :
					 edge->op == TK_ARROW_IN ? "in" : "both",
					 r->ival2 > 0 ? (int) r->ival2 : SURQL_RECURSE_MAX, (int) r->ival);
}

/*
 * graph_sql - a graph path as a jsonb array: the records it reaches
 * (distinct, as table:key strings), or the values of the field after its
 * last step.  Steps come in pairs, an edge table then a node table (or ?
 * for any): ->e->n follows e from "in" to out, <-e<-n from out to "in",
 * <->e<->n both ways.  A path may end on an edge table (->e, ->e.since):
 * then it reaches the edges.  Each step may carry a [WHERE] filter, over
 * the edge's or the node's fields.  An edge table that does not exist
 * reaches nothing.  A recursion (x.{1..3}->e->n) repeats the steps.
 */
static void
graph_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out, const TableInfo *row,
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
		unsupported("a recursion over steps that end on an edge table");
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
		char	   *da = new_alias(out, 'd');

		if (nti == NULL && strcmp(last->str, "?") != 0)
			nti = lookup_table(last->str, ends_on_edge ? "edge" : "document");
		if (nti == NULL)
		{
			if (strcmp(last->str, "?") == 0)
				unsupported("a field after ? in a graph path");
			appendStringInfoString(&out->sql, "'[]'::jsonb");
			return;
		}
		appendStringInfoString(&out->sql, "(SELECT coalesce(jsonb_agg(");
		path_json(nti, da, g->b->keys, g->b->nitems, out);
		appendStringInfo(&out->sql, " ORDER BY %s.id), '[]'::jsonb) FROM %s %s WHERE %s.id IN (%s))",
						 da, nti->rel, da, da, set);
	}
	pfree(set);
}

static int
math_agg(const char *name)
{
	static const char *const names[] = {"math::sum", "math::mean", "math::min", "math::max"};
	int			i;

	for (i = 0; i < lengthof(names); i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

/*
 * call_sql - count() and math::sum/mean/min/max: aggregates over the group
 * in a grouped SELECT, over an array's elements elsewhere.  Numbers only:
 * a string is a type mismatch, null is skipped.  false: not one of them.
 */
static bool
call_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *row)
{
	static const char *const sql_aggs[] = {"sum", "avg", "min", "max"};
	int			m = math_agg(n->str);
	bool		grouping = out->grouping;

	if (strcmp(n->str, "count") == 0 && n->nitems == 0)
	{
		/* outside GROUP, count() counts its row: 1 */
		appendStringInfoString(&out->sql, grouping ? "to_jsonb(count(*))" : "to_jsonb(1)");
		return true;
	}
	if (strcmp(n->str, "count") == 0 && n->nitems == 1 && grouping)
	{
		/* the rows of the group where the value is true */
		out->grouping = false;
		appendStringInfoString(&out->sql, "to_jsonb(count(*) FILTER (WHERE ");
		bool_sql(n->items[0], params, out, row);
		appendStringInfoString(&out->sql, "))");
		out->grouping = grouping;
		return true;
	}
	if (m < 0)
		return false;
	if (n->nitems != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function %s() takes one argument", n->str)));
	out->grouping = false;
	if (grouping)
	{
		appendStringInfo(&out->sql, m == 0 ? "to_jsonb(coalesce(%s((nullif(" : "to_jsonb(%s((nullif(",
						 sql_aggs[m]);
		value_sql(n->items[0], params, out, row);
		appendStringInfoString(&out->sql, m == 0 ? ", 'null'::jsonb))::numeric), 0))" :
							   ", 'null'::jsonb))::numeric))");
	}
	else
	{
		appendStringInfo(&out->sql, m == 0 ? "to_jsonb((SELECT coalesce(%s((nullif(x.v, 'null'::jsonb))::numeric), 0) FROM jsonb_array_elements(" :
						 "to_jsonb((SELECT %s((nullif(x.v, 'null'::jsonb))::numeric) FROM jsonb_array_elements(",
						 sql_aggs[m]);
		value_sql(n->items[0], params, out, row);
		appendStringInfoString(&out->sql, ") AS x(v)))");
	}
	out->grouping = grouping;
	return true;
}

/*
 * group_key - in a grouped SELECT, the SQL of the GROUP BY key that n is
 * (the same SQL text, so PostgreSQL sees the same expression); a field or
 * path that is no key and outside an aggregate is an error.
 */
static bool
group_key(const SurqlNode *n, SurqlSql *out)
{
	StringInfoData text;
	int			i;

	initStringInfo(&text);
	dllb_surql_print_expr(&text, n);
	for (i = 0; i < out->ngroup; i++)
		if (strcmp(out->group_text[i], text.data) == 0)
		{
			appendStringInfoString(&out->sql, out->group_sql[i]);
			return true;
		}
	if (n->kind == SN_FIELD || n->kind == SN_GRAPH || n->kind == SN_ALL)
		ereport(ERROR,
				(errcode(ERRCODE_GROUPING_ERROR),
				 errmsg("%s is neither in GROUP BY nor inside an aggregate function", text.data),
				 errhint("Group by it, or use it inside count(), math::sum(), math::mean(), math::min() or math::max().")));
	return false;
}

/* a function's argument as jsonb SQL, for translate_functions.c */
typedef struct CallArgs
{
	Jsonb	   *params;
	SurqlSql   *out;
	const TableInfo *row;
} CallArgs;

static char *
call_arg_sql(const SurqlNode *arg, void *cx)
{
	CallArgs   *c = (CallArgs *) cx;
	int			mark = c->out->sql.len;
	char	   *r;

	value_sql(arg, c->params, c->out, c->row);
	r = pstrdup(c->out->sql.data + mark);
	c->out->sql.len = mark;
	c->out->sql.data[mark] = '\0';
	return r;
}

/* an expression as a jsonb value; row: there is a current row t */
static void
value_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *row)
{
	int			i;

	check_stack_depth();
	if (dllb_surql_is_literal(n))
	{
		char	   *json = dllb_surql_literal_json(n, params);

		appendStringInfo(&out->sql, "$%d::jsonb", add_param(out, json));
		pfree(json);
		return;
	}
	if (out->grouping && group_key(n, out))
		return;
	switch (n->kind)
	{
		case SN_FIELD:
			field_sql(n, out, row);
			return;
		case SN_BINARY:
			if (n->op == TK_PLUS || n->op == TK_MINUS || n->op == TK_STAR || n->op == TK_SLASH)
			{
				/* NONE (a missing field, null) in arithmetic gives NONE */
				appendStringInfoString(&out->sql, "to_jsonb((nullif(");
				value_sql(n->a, params, out, row);
				appendStringInfo(&out->sql, ", 'null'::jsonb))::numeric %c (nullif(",
								 n->op == TK_PLUS ? '+' : n->op == TK_MINUS ? '-' :
								 n->op == TK_STAR ? '*' : '/');
				value_sql(n->b, params, out, row);
				appendStringInfoString(&out->sql, ", 'null'::jsonb))::numeric)");
				return;
			}
			break;
		case SN_UNARY:
			if (n->op == TK_MINUS)
			{
				appendStringInfoString(&out->sql, "to_jsonb(-(nullif(");
				value_sql(n->a, params, out, row);
				appendStringInfoString(&out->sql, ", 'null'::jsonb))::numeric)");
				return;
			}
			break;
		case SN_GRAPH:
			graph_sql(n, params, out, row, false);
			return;
		case SN_CALL:
			if (call_sql(n, params, out, row))
				return;
			if (search_call_sql(n, params, out))
				return;
			if (strcmp(n->str, "vector::distance::knn") == 0 && n->nitems == 0)
			{
				if (out->knn == NULL)
					unsupported("vector::distance::knn() without a <|k|> condition");
				appendStringInfoString(&out->sql, "to_jsonb(t.knn_distance_)");
				return;
			}
			if (strcmp(n->str, "count") == 0 && n->nitems == 1 &&
				n->items[0]->kind == SN_GRAPH && n->items[0]->b == NULL)
			{
				/* count the records a path reaches without listing them */
				graph_sql(n->items[0], params, out, row, true);
				return;
			}
			if (strcmp(n->str, "count") == 0 && n->nitems == 1)
			{
				appendStringInfoString(&out->sql, "to_jsonb(jsonb_array_length(");
				value_sql(n->items[0], params, out, row);
				appendStringInfoString(&out->sql, "))");
				return;
			}
			{
				CallArgs	cx = {params, out, row};

				dllb_surql_function_sql(n, &out->sql, call_arg_sql, &cx);
				return;
			}
		case SN_ARRAY:
			/* an array or object with computed values, element by element */
			appendStringInfoString(&out->sql, "jsonb_build_array(");
			for (i = 0; i < n->nitems; i++)
			{
				if (i > 0)
					appendStringInfoString(&out->sql, ", ");
				value_sql(n->items[i], params, out, row);
			}
			appendStringInfoChar(&out->sql, ')');
			return;
		case SN_OBJECT:
			appendStringInfoString(&out->sql, "jsonb_build_object(");
			for (i = 0; i < n->nitems; i++)
			{
				if (i > 0)
					appendStringInfoString(&out->sql, ", ");
				appendStringInfo(&out->sql, "$%d::text, ", add_param(out, n->keys[i]));
				value_sql(n->items[i], params, out, row);
			}
			appendStringInfoChar(&out->sql, ')');
			return;
		case SN_SUBQUERY:
			/* its results, as an array */
			appendStringInfo(&out->sql,
							 "(SELECT coalesce(jsonb_agg(s_.r), '[]'::jsonb) FROM (%s) AS s_(r))",
							 subquery_sql(n->stmt, params, out));
			return;
		case SN_ALL:
		case SN_STEP:
		case SN_RECURSE:
			unsupported("this expression as a value");
		default:
			break;
	}
	/* a condition used as a value: true or false, never null */
	{
		bool		filtering = out->filtering;

		out->filtering = false;
		appendStringInfoString(&out->sql, "to_jsonb(");
		bool_sql(n, params, out, row);
		appendStringInfoChar(&out->sql, ')');
		out->filtering = filtering;
	}
}

/* an expression as an SQL condition */
static void
bool_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *row)
{
	const char *cmp;

	if (n == out->knn)
	{
		/* applied by the inner query that picks the k nearest */
		appendStringInfoString(&out->sql, "true");
		return;
	}
	switch (n->kind)
	{
		case SN_BINARY:
			if (n->op == -(int) KW_AND || n->op == -(int) KW_OR)
			{
				appendStringInfoChar(&out->sql, '(');
				bool_sql(n->a, params, out, row);
				appendStringInfoString(&out->sql, n->op == -(int) KW_AND ? " AND " : " OR ");
				bool_sql(n->b, params, out, row);
				appendStringInfoChar(&out->sql, ')');
				return;
			}
			cmp = cmp_sql(n->op);
			if ((n->op == TK_EQ || n->op == TK_EQEQ || n->op == TK_NE) &&
				(n->a->kind == SN_NONE || n->b->kind == SN_NONE))
			{
				/* = NONE is IS NONE: a missing field is NONE */
				SurqlNode	is = *n;

				is.kind = SN_IS_NONE;
				is.ival = n->op == TK_NE;
				is.a = n->a->kind == SN_NONE ? n->b : n->a;
				bool_sql(&is, params, out, row);
				return;
			}
			if (cmp && (n->a->kind == SN_GRAPH || n->b->kind == SN_GRAPH))
			{
				bool		left = n->a->kind == SN_GRAPH;

				/* holds when any value the path reaches satisfies it */
				appendStringInfoString(&out->sql, "EXISTS (SELECT 1 FROM jsonb_array_elements(");
				value_sql(left ? n->a : n->b, params, out, row);
				appendStringInfoString(&out->sql, ") AS reached(v) WHERE ");
				if (left)
				{
					appendStringInfo(&out->sql, "reached.v %s (", cmp);
					value_sql(n->b, params, out, row);
					appendStringInfoString(&out->sql, "))");
				}
				else
				{
					appendStringInfoChar(&out->sql, '(');
					value_sql(n->a, params, out, row);
					appendStringInfo(&out->sql, ") %s reached.v)", cmp);
				}
				return;
			}
			if (cmp && out->filtering)
			{
				/*
				 * in a WHERE, null (NONE) excludes the row as false does,
				 * and the bare comparison can use an index
				 */
				appendStringInfoString(&out->sql, "((");
				value_sql(n->a, params, out, row);
				appendStringInfo(&out->sql, ") %s (", cmp);
				value_sql(n->b, params, out, row);
				appendStringInfoString(&out->sql, "))");
				return;
			}
			if (cmp)
			{
				appendStringInfoString(&out->sql, "coalesce((");
				value_sql(n->a, params, out, row);
				appendStringInfo(&out->sql, ") %s (", cmp);
				value_sql(n->b, params, out, row);
				appendStringInfoString(&out->sql, "), false)");
				return;
			}
			if (n->op == -(int) KW_CONTAINS || n->op == -(int) KW_CONTAINSNOT ||
				n->op == -(int) KW_IN || n->op == -(int) KW_INSIDE || n->op == SURQL_OP_NOT_IN)
			{
				bool		negate = n->op == -(int) KW_CONTAINSNOT || n->op == SURQL_OP_NOT_IN;
				bool		swap = n->op == -(int) KW_IN || n->op == -(int) KW_INSIDE ||
					n->op == SURQL_OP_NOT_IN;

				appendStringInfoString(&out->sql, negate ? "NOT coalesce(dllb.surql_contains((" :
									   "coalesce(dllb.surql_contains((");
				value_sql(swap ? n->b : n->a, params, out, row);
				appendStringInfoString(&out->sql, "), (");
				value_sql(swap ? n->a : n->b, params, out, row);
				appendStringInfoString(&out->sql, ")), false)");
				return;
			}
			if (n->op == -(int) KW_CONTAINSALL || n->op == -(int) KW_CONTAINSANY)
			{
				bool		all = n->op == -(int) KW_CONTAINSALL;

				/* both arrays, every (some) element of b an element of a */
				appendStringInfo(&out->sql, "coalesce(dllb.surql_contains_%s((",
								 all ? "all" : "any");
				value_sql(n->a, params, out, row);
				appendStringInfoString(&out->sql, "), (");
				value_sql(n->b, params, out, row);
				appendStringInfoString(&out->sql, ")), false)");
				return;
			}
			break;
		case SN_UNARY:
			if (n->op == -(int) KW_NOT)
			{
				bool		filtering = out->filtering;

				/* under NOT, NONE must still be false */
				out->filtering = false;
				appendStringInfoString(&out->sql, "(NOT ");
				bool_sql(n->a, params, out, row);
				appendStringInfoChar(&out->sql, ')');
				out->filtering = filtering;
				return;
			}
			break;
		case SN_IS_NONE:
			appendStringInfoString(&out->sql, n->ival ? "coalesce((" : "NOT coalesce((");
			value_sql(n->a, params, out, row);
			appendStringInfoString(&out->sql, ") <> 'null'::jsonb, false)");
			return;
		case SN_GRAPH:
			/* a path used as a condition: true when it reaches anything */
			appendStringInfoString(&out->sql, "(jsonb_array_length(");
			value_sql(n, params, out, row);
			appendStringInfoString(&out->sql, ") > 0)");
			return;
		case SN_MATCH:
			{
				const SurqlMatch *m = match_of(out, n);

				if (m == NULL)
					unsupported("a full-text match inside a graph filter or a subquery");
				if (out->match_by_id && m->index)
				{
					/*
					 * beside an HNSW scan: the ids the full-text index
					 * matches, hashed once, which the scan's rows are
					 * checked against (in coalesce, so the planner keeps
					 * it a filter rather than a join that loses the
					 * scan's order)
					 */
					appendStringInfo(&out->sql, "coalesce(%s.id IN (%s), false)",
									 ROW_ALIAS(out), m->ids_sql);
					return;
				}
				appendStringInfo(&out->sql, "(%s OPERATOR(pg_catalog.@@@) %s)", m->text_sql, m->query_sql);
				return;
			}
		case SN_KNN:
			unsupported("a nearest-neighbour condition outside the top level of a WHERE joined by AND");
		default:
			/* any value: true when it is JSON true */
			appendStringInfoString(&out->sql, "coalesce((");
			value_sql(n, params, out, row);
			appendStringInfoString(&out->sql, ") = 'true'::jsonb, false)");
			return;
	}
	unsupported("this condition");
}

/* table_info - a registered table's regclass text and typed columns */
static TableInfo *
table_info(const char *rel)
{
	TableInfo  *ti = palloc0(sizeof(TableInfo));
	Datum		arg[1];
	Oid			types[1] = {TEXTOID};
	uint64		i;

	ti->rel = pstrdup(rel);
	arg[0] = CStringGetTextDatum(rel);
	if (SPI_execute_with_args("SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), "
							  "a.atttypid = 'dllb.vector'::regtype, "
							  "a.atttypid IN ('json'::regtype, 'jsonb'::regtype) "
							  "FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 "
							  "AND NOT a.attisdropped AND a.attname NOT IN ('id', 'data', 'in', 'out') "
							  "ORDER BY a.attnum",
							  1, types, arg, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading the columns of a dllb table failed");
	ti->ncols = (int) SPI_processed;
	ti->cols = palloc(sizeof(char *) * Max(ti->ncols, 1));
	ti->types = palloc(sizeof(char *) * Max(ti->ncols, 1));
	ti->is_vector = palloc(sizeof(bool) * Max(ti->ncols, 1));
	ti->is_json = palloc(sizeof(bool) * Max(ti->ncols, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		ti->cols[i] = SPI_getvalue(tup, desc, 1);
		ti->types[i] = SPI_getvalue(tup, desc, 2);
		ti->is_vector[i] = strcmp(SPI_getvalue(tup, desc, 3), "t") == 0;
		ti->is_json[i] = strcmp(SPI_getvalue(tup, desc, 4), "t") == 0;
	}
	return ti;
}

/*
 * Found tables are cached per backend, keyed by schema, name and kind;
 * any relcache invalidation (a table created, altered - define_field adds
 * a column - or dropped) empties the cache.  Tables not found are not
 * cached.  Regclass text is schema-qualified, so a cached entry means the
 * same table under any search_path.
 */
typedef struct TableKey
{
	Oid			nsp;
	char		kind;
	char		name[NAMEDATALEN];
} TableKey;

typedef struct TableEntry
{
	TableKey	key;
	TableInfo  *ti;				/* in table_cxt */
} TableEntry;

static HTAB *table_cache = NULL;
static MemoryContext table_cxt = NULL;

/*
 * The index lookups of translation (the dllb_bm25 index on a field, an
 * HNSW index on a column), cached beside the tables and forgotten with
 * them; key: the lookup's kind and arguments, value: its answer
 */
#define INDEX_KEY_LEN 256

typedef struct IndexEntry
{
	char		key[INDEX_KEY_LEN];
	char	   *value;			/* in table_cxt; NULL: none */
} IndexEntry;

static HTAB *index_cache = NULL;

static void
forget_tables(Datum arg, Oid relid)
{
	if (table_cache != NULL || index_cache != NULL)
	{
		table_cache = NULL;
		index_cache = NULL;
		MemoryContextReset(table_cxt);
	}
}

static void
ensure_table_cxt(void)
{
	if (table_cxt == NULL)
	{
		table_cxt = AllocSetContextCreate(CacheMemoryContext, "dllb.query tables",
										  ALLOCSET_SMALL_SIZES);
		CacheRegisterRelcacheCallback(forget_tables, (Datum) 0);
	}
}

/* a cached index lookup: true and *value (NULL: none) when key is known */
static bool
index_cache_get(const char *key, char **value)
{
	IndexEntry *e;

	if (index_cache == NULL || strlen(key) >= INDEX_KEY_LEN)
		return false;
	e = hash_search(index_cache, key, HASH_FIND, NULL);
	if (e == NULL)
		return false;
	*value = e->value ? pstrdup(e->value) : NULL;
	return true;
}

static void
index_cache_put(const char *key, const char *value)
{
	IndexEntry *e;
	bool		found;

	if (strlen(key) >= INDEX_KEY_LEN)
		return;
	ensure_table_cxt();
	if (index_cache == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = INDEX_KEY_LEN;
		ctl.entrysize = sizeof(IndexEntry);
		ctl.hcxt = table_cxt;
		index_cache = hash_create("dllb.query indexes", 16, &ctl,
								  HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
	e = hash_search(index_cache, key, HASH_ENTER, &found);
	e->value = value ? MemoryContextStrdup(table_cxt, value) : NULL;
}

static TableInfo *
copy_table_info(const TableInfo *ti, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	TableInfo  *c = palloc(sizeof(TableInfo));
	int			i;

	c->rel = pstrdup(ti->rel);
	c->ncols = ti->ncols;
	c->cols = palloc(sizeof(char *) * Max(ti->ncols, 1));
	c->types = palloc(sizeof(char *) * Max(ti->ncols, 1));
	c->is_vector = palloc(sizeof(bool) * Max(ti->ncols, 1));
	c->is_json = palloc(sizeof(bool) * Max(ti->ncols, 1));
	c->is_edge = ti->is_edge;
	c->schemafull = ti->schemafull;
	c->is_subquery = false;
	c->name = ti->name ? pstrdup(ti->name) : NULL;
	for (i = 0; i < ti->ncols; i++)
	{
		c->cols[i] = pstrdup(ti->cols[i]);
		c->types[i] = pstrdup(ti->types[i]);
		c->is_vector[i] = ti->is_vector[i];
		c->is_json[i] = ti->is_json[i];
	}
	MemoryContextSwitchTo(old);
	return c;
}

/*
 * lookup_table - the table name of this kind in the current schema, or
 * NULL: the dialect sees no other relation.
 */
static TableInfo *
lookup_table(const char *name, const char *kind)
{
	Datum		arg[2];
	Oid			types[2] = {TEXTOID, TEXTOID};
	TableKey	key;
	TableEntry *e;
	bool		found;
	TableInfo  *ti;
	int			rc;
	bool		schemafull;

	if (strlen(name) >= NAMEDATALEN)
		return NULL;
	if (table_cache == NULL)
	{
		HASHCTL		ctl;

		ensure_table_cxt();
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(TableKey);
		ctl.entrysize = sizeof(TableEntry);
		ctl.hcxt = table_cxt;
		table_cache = hash_create("dllb.query tables", 64, &ctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	memset(&key, 0, sizeof(key));
	key.nsp = dllb_dialect_namespace();
	key.kind = kind[0];
	strlcpy(key.name, name, NAMEDATALEN);
	e = hash_search(table_cache, &key, HASH_FIND, &found);
	if (found)
	{
		/*
		 * a copy: translation runs SPI queries after this, and an
		 * invalidation they let in empties the cache
		 */
		return copy_table_info(e->ti, CurrentMemoryContext);
	}

	arg[0] = CStringGetTextDatum(name);
	arg[1] = CStringGetTextDatum(kind);
	rc = SPI_execute_with_args("SELECT format('%I.%I', n.nspname, c.relname), t.schemafull "
							   "FROM dllb.tables t JOIN pg_class c ON c.oid = t.tbl "
							   "JOIN pg_namespace n ON n.oid = c.relnamespace "
							   "WHERE t.tbl = to_regclass(format('%I.%I', dllb.dialect_schema(), $1)) "
							   "AND t.kind = $2",
							   2, types, arg, NULL, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "looking up a dllb table failed");
	if (SPI_processed == 0)
		return NULL;
	schemafull = strcmp(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2), "t") == 0;
	ti = table_info(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	ti->is_edge = kind[0] == 'e';
	ti->schemafull = schemafull;
	ti->name = pstrdup(name);
	if (table_cache != NULL && OidIsValid(key.nsp))
	{
		e = hash_search(table_cache, &key, HASH_ENTER, &found);
		e->ti = copy_table_info(ti, table_cxt);
	}
	return ti;
}

/* create_table - the document table, created when missing */
static TableInfo *
create_table(const char *name)
{
	Datum		arg[1];
	Oid			types[1] = {TEXTOID};
	TableInfo  *ti = lookup_table(name, "document");

	if (ti)
		return ti;
	arg[0] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT dllb.create_table($1)::text", 1, types, arg, NULL,
							  false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "creating a dllb table failed");
	return table_info(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
}

/*
 * one_target - the table of a table name or record id given as text (a
 * table name has no colon: the first one ends it); *is_record tells which
 */
static char *
one_target(const char *str, bool *is_record)
{
	char	   *t = pstrdup(str);
	char	   *colon = strchr(t, ':');

	*is_record = colon != NULL;
	if (colon)
		*colon = '\0';
	return t;
}

/*
 * add_targets - the tables and record ids of one FROM item: a table name,
 * a record id, an array of record ids, or a $param holding any of these;
 * records are appended to recs as JSON strings, and *all set when the
 * item is a whole table
 */
static void
add_targets(const SurqlNode *n, Jsonb *params, List **tables, StringInfo recs, bool *all,
			bool *several)
{
	char	   *json;
	Jsonb	   *jb;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	bool		is_record;
	int			i;

	if (n->kind == SN_FIELD && n->nitems == 1)
	{
		*tables = lappend(*tables, pstrdup(n->keys[0]));
		*all = true;
		return;
	}
	if (n->kind == SN_ARRAY)
	{
		for (i = 0; i < n->nitems; i++)
		{
			if (n->items[i]->kind != SN_RECORD && n->items[i]->kind != SN_PARAM)
				unsupported("an array target of anything but record ids");
			add_targets(n->items[i], params, tables, recs, all, several);
		}
		*several = true;
		return;
	}
	if (n->kind != SN_RECORD && n->kind != SN_PARAM)
		unsupported("this target");
	json = dllb_surql_literal_json(n, params);
	jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
	if (!JB_ROOT_IS_SCALAR(jb))
		*several = true;
	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *str;

		if (tok != WJB_ELEM && tok != WJB_VALUE)
			continue;
		if (v.type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 n->kind == SN_PARAM ?
					 errmsg("parameter $%s is neither a table name nor a record id", n->str) :
					 errmsg("a target is neither a table name nor a record id"),
					 errdetail("Its value is %s.", json)));
		str = pnstrdup(v.val.string.val, v.val.string.len);
		*tables = lappend(*tables, one_target(str, &is_record));
		if (!is_record)
		{
			*all = true;
			continue;
		}
		appendStringInfoString(recs, recs->len > 1 ? ", " : "");
		escape_json(recs, str);
	}
}

/*
 * target - the table of a statement's targets: a table name, a record
 * id, an array of record ids, a $param holding the text of any of these,
 * or several of them, all in one table.  *record receives NULL (the whole
 * table), one record's JSON text, or a JSON array of records when there
 * are several (only where many is true).
 */
static const char *
target_of(const SurqlStmt *s, Jsonb *params, char **record, bool many)
{
	List	   *tables = NIL;
	StringInfoData recs;
	bool		all = false;
	bool		several = s->nfrom > 1;
	ListCell   *lc;
	const char *name;
	int			i;

	initStringInfo(&recs);
	appendStringInfoChar(&recs, '[');
	for (i = 0; i < s->nfrom; i++)
		add_targets(s->from[i], params, &tables, &recs, &all, &several);
	appendStringInfoChar(&recs, ']');
	if (tables == NIL)
	{
		/* an empty array: no rows */
		if (!many)
			unsupported("an empty target");
		*record = NULL;
		return NULL;
	}
	name = linitial(tables);
	foreach(lc, tables)
		if (strcmp((const char *) lfirst(lc), name) != 0)
			unsupported("targets in more than one table");
	*record = NULL;
	if (all)
		return name;
	if (!several)
	{
		/* one record id: the JSON string itself */
		*record = pnstrdup(recs.data + 1, recs.len - 2);
		return name;
	}
	if (!many)
		unsupported("several record ids as the target of this statement");
	*record = recs.data;
	return name;
}

static const char *
target(const SurqlStmt *s, Jsonb *params, char **record)
{
	return target_of(s, params, record, false);
}

static void
where_sql(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const char *record,
		  const TableInfo *ti)
{
	if (s->where == NULL && record == NULL)
		return;
	statement_matches(s, params, out, ti);
	appendStringInfoString(&out->sql, " WHERE ");
	if (record && record[0] == '[')
		appendStringInfo(&out->sql,
						 "t.id = ANY (ARRAY(SELECT jsonb_array_elements_text($%d::jsonb)::dllb.record))%s",
						 add_param(out, record), s->where ? " AND " : "");
	else if (record)
		appendStringInfo(&out->sql, "t.id = ($%d::jsonb #>> '{}')::dllb.record%s",
						 add_param(out, record), s->where ? " AND " : "");
	if (s->where)
	{
		out->filtering = true;
		bool_sql(s->where, params, out, ti);
		out->filtering = false;
	}
}

static void
check_settable(const SurqlNode *f)
{
	if (strcmp(f->keys[0], "id") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the id of a record cannot be set")));
}

static pg_attribute_noreturn() void
undefined_field(const TableInfo *ti, const char *field)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("field \"%s\" is not defined on SCHEMAFULL table \"%s\"", field,
					ti->name ? ti->name : ti->rel),
			 errhint("DEFINE FIELD %s ON %s TYPE ... first.", field, ti->name ? ti->name : ti->rel)));
}

/* check_object_fields - every key of the JSON object c is id or a typed field of ti */
static void
check_object_fields(const TableInfo *ti, JsonbContainer *c)
{
	JsonbIterator *it = JsonbIteratorInit(c);
	JsonbValue	v;
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		if (tok == WJB_KEY)
		{
			char	   *key = pnstrdup(v.val.string.val, v.val.string.len);

			if (strcmp(key, "id") != 0 && column_of(ti, key) < 0)
				undefined_field(ti, key);
		}
}

/*
 * check_schemafull - on a SCHEMAFULL table, the fields a write's JSON
 * value (an object, or an array of objects) names must be defined
 */
static void
check_schemafull(const TableInfo *ti, const char *json)
{
	Jsonb	   *jb;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (!ti->schemafull)
		return;
	jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
	if (JB_ROOT_IS_OBJECT(jb))
		check_object_fields(ti, &jb->root);
	else if (JB_ROOT_IS_ARRAY(jb) && !JB_ROOT_IS_SCALAR(jb))
	{
		it = JsonbIteratorInit(&jb->root);
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
			if (tok == WJB_ELEM && v.type == jbvBinary && JsonContainerIsObject(v.val.binary.data))
				check_object_fields(ti, v.val.binary.data);
	}
}

/*
 * The new data of a write, for table ti: *data gets the jsonb for the data
 * column, cols[c] the expression for typed column c (NULL: unchanged).
 * row: the current row (UPDATE) or NULL (CREATE, RELATE).
 */
static void
write_values(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const TableInfo *ti,
			 const TableInfo *row, const char *stmt, StringInfo data, char **cols)
{
	int			c;
	int			i;

	for (c = 0; c < ti->ncols; c++)
		cols[c] = NULL;
	switch (s->data)
	{
		case SD_NONE:
			appendStringInfoString(data, row ? "t.data" : "'{}'::jsonb");
			break;
		case SD_SET:
			appendStringInfo(data, "%sjsonb_build_object(", row ? "t.data || " : "");
			{
				bool		first = true;
				List	   *nested = NIL;
				ListCell   *lc;

				for (i = 0; i < s->nset; i++)
				{
					StringInfoData v;
					const SurqlNode *f = s->set_fields[i];

					check_settable(f);
					c = column_of(ti, f->keys[0]);
					if (c < 0 && ti->schemafull)
						undefined_field(ti, f->keys[0]);
					if (c >= 0 && f->nitems > 1)
						unsupported("SET on a field inside a typed field");
					initStringInfo(&v);
					/* value_sql writes into out->sql: build it there, then move it */
					{
						int			mark = out->sql.len;

						value_sql(s->set_values[i], params, out, row);
						appendBinaryStringInfo(&v, out->sql.data + mark, out->sql.len - mark);
						out->sql.len = mark;
						out->sql.data[mark] = '\0';
					}
					if (c >= 0)
					{
						StringInfoData cast;

						initStringInfo(&cast);
						cast_to_column(&cast, ti, c, v.data);
						cols[c] = cast.data;
					}
					else if (f->nitems > 1)
					{
						/* a.b.c = v: after the top-level fields, in order */
						StringInfoData set;
						int			k;

						initStringInfo(&set);
						appendStringInfoString(&set, ", ARRAY[");
						for (k = 0; k < f->nitems; k++)
							appendStringInfo(&set, "%s$%d::text", k ? ", " : "",
											 add_param(out, f->keys[k]));
						appendStringInfo(&set, "], %s)", v.data);
						nested = lappend(nested, set.data);
					}
					else
					{
						appendStringInfo(data, "%s$%d::text, %s", first ? "" : ", ",
										 add_param(out, f->keys[0]), v.data);
						first = false;
					}
				}
				appendStringInfoChar(data, ')');
				foreach(lc, nested)
				{
					char	   *inner = pstrdup(data->data);

					resetStringInfo(data);
					appendStringInfo(data, "dllb.json_set_path(%s%s", inner, (char *) lfirst(lc));
				}
			}
			break;
		case SD_CONTENT:
		case SD_MERGE:
			{
				int			mark = out->sql.len;
				StringInfoData content;

				if (s->data == SD_MERGE && row == NULL)
					unsupported(psprintf("%s ... MERGE", stmt));
				if (ti->schemafull)
				{
					if (!dllb_surql_is_literal(s->content))
						unsupported("CONTENT or MERGE of a computed value on a SCHEMAFULL table");
					check_schemafull(ti, dllb_surql_literal_json(s->content, params));
				}
				initStringInfo(&content);
				appendStringInfoChar(&content, '(');
				value_sql(s->content, params, out, row);
				appendBinaryStringInfo(&content, out->sql.data + mark, out->sql.len - mark);
				appendStringInfoChar(&content, ')');
				out->sql.len = mark;
				out->sql.data[mark] = '\0';
				appendStringInfo(data, "%s(%s - 'id'", s->data == SD_MERGE ? "t.data || " : "",
								 content.data);
				for (c = 0; c < ti->ncols; c++)
				{
					StringInfoData cast;
					char	   *field = psprintf("%s -> %s", content.data,
												 quote_literal_cstr(ti->cols[c]));

					appendStringInfo(data, " - %s", quote_literal_cstr(ti->cols[c]));
					initStringInfo(&cast);
					if (s->data == SD_MERGE)
					{
						appendStringInfo(&cast, "CASE WHEN %s ? %s THEN ", content.data,
										 quote_literal_cstr(ti->cols[c]));
						cast_to_column(&cast, ti, c, field);
						appendStringInfo(&cast, " ELSE t.%s END", quote_identifier(ti->cols[c]));
					}
					else
						cast_to_column(&cast, ti, c, field);
					cols[c] = cast.data;
				}
				appendStringInfoChar(data, ')');
				break;
			}
	}
}

/* ---- full text ------------------------------------------------------------- */

/*
 * A match field @N@ query (or @@, @OR@, @N,OR@) becomes
 *	text @@@ dllb.surql_match_query(query, all)
 * where text is the field's text (a typed column, or data ->> 'field'), so
 * a dllb_bm25 index on that expression (DEFINE INDEX ... SEARCH ANALYZER
 * a BM25 makes one) serves it; @@ and @N@ need every query word, the OR
 * forms any.  search::score(N), search::highlight(start, stop, N) and
 * search::offsets(N) read match N: the score with that index's
 * statistics (dllb.score(text, query, index), 0 where the row does not
 * match); highlighting with its analyzer.  The statement runs with
 * dllb.bm25_default_analyzer set to the index's analyzer, so the match is
 * the same whichever plan the planner picks.  Without an index on the
 * field, @@ is an exact scan with the english analyzer and search::score
 * is an error.
 */

/* the dllb_bm25 index on expression expect (pg_get_indexdef form) of rel */
static void
find_bm25_index(const char *rel, const char *expect, char **index, char **analyzer)
{
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		values[2];
	char	   *key = psprintf("bm25|%s|%s", rel, expect);
	char	   *cached;

	*index = NULL;
	*analyzer = pstrdup("english");
	if (index_cache_get(key, &cached))
	{
		/* index, a tab, analyzer */
		if (cached)
		{
			char	   *tab = strchr(cached, '\t');

			*tab = '\0';
			*index = cached;
			*analyzer = tab + 1;
		}
		return;
	}
	values[0] = CStringGetTextDatum(rel);
	values[1] = CStringGetTextDatum(expect);
	if (SPI_execute_with_args("SELECT i.indexrelid::regclass::text, "
							  "coalesce((SELECT option_value FROM pg_options_to_table(c.reloptions) "
							  "          WHERE option_name = 'analyzer'), 'english') "
							  "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
							  "JOIN pg_am a ON a.oid = c.relam "
							  "WHERE i.indrelid = $1::regclass AND a.amname = 'dllb_bm25' "
							  "AND i.indisvalid AND i.indpred IS NULL "
							  "AND pg_get_indexdef(i.indexrelid, 1, false) = $2 "
							  "ORDER BY c.oid LIMIT 1",
							  2, types, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "looking up full-text indexes failed");
	if (SPI_processed == 1)
	{
		*index = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		*analyzer = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
		index_cache_put(key, psprintf("%s\t%s", *index, *analyzer));
	}
	else
		index_cache_put(key, NULL);
}

/*
 * the text of field f of the row (t), and the form pg_get_indexdef gives
 * an index on it
 */
static void
field_text(const TableInfo *ti, const SurqlNode *f, const char *alias, char **sql,
		   char **indexdef)
{
	int			c;

	if (f->kind != SN_FIELD || f->nitems != 1)
		unsupported("a full-text match on anything but a field");
	c = column_of(ti, f->keys[0]);
	if (c >= 0 && !ti->is_json[c] && !ti->is_vector[c])
	{
		*sql = psprintf("(%s.%s)::text", alias, quote_identifier(ti->cols[c]));
		*indexdef = strcmp(ti->types[c], "text") == 0 ?
			pstrdup(quote_identifier(ti->cols[c])) :
			psprintf("((%s)::text)", quote_identifier(ti->cols[c]));
		if (strcmp(ti->types[c], "text") == 0)
			*sql = psprintf("%s.%s", alias, quote_identifier(ti->cols[c]));
	}
	else if (c >= 0)
		unsupported("a full-text match on a field that is not text");
	else
	{
		*sql = psprintf("(%s.data ->> %s)", alias, quote_literal_cstr(f->keys[0]));
		*indexdef = psprintf("((data ->> %s::text))", quote_literal_cstr(f->keys[0]));
	}
}

/* collect the matches of where (outside graph filters), in order */
static void
prepare_matches(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *ti)
{
	SurqlMatch *m;
	char	   *indexdef;
	char	   *text;
	int			mark;
	int			i;

	if (n == NULL)
		return;
	if (n->kind == SN_BINARY || n->kind == SN_UNARY)
	{
		prepare_matches(n->a, params, out, ti);
		prepare_matches(n->b, params, out, ti);
		return;
	}
	if (n->kind != SN_MATCH)
		return;
	if (out->nmatches == SURQL_MAX_MATCHES)
		unsupported(psprintf("more than %d full-text matches in one statement", SURQL_MAX_MATCHES));
	for (i = 0; i < out->nmatches; i++)
		if (n->ival > 0 && out->matches[i].num == n->ival)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("two full-text matches are numbered %lld", (long long) n->ival),
					 errhint("Number each @N@ differently; search::score(N) reads match N.")));
	m = &out->matches[out->nmatches++];
	m->node = n;
	m->num = n->ival;
	field_text(ti, n->a, "t", &m->text_sql, &indexdef);
	mark = out->sql.len;
	value_sql(n->b, params, out, NULL);
	m->query_sql = psprintf("dllb.surql_match_query((%s) #>> '{}', %s)",
							out->sql.data + mark, n->flag ? "false" : "true");
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	if (ti->is_subquery)
	{
		m->index = NULL;
		m->analyzer = "english";
	}
	else
		find_bm25_index(ti->rel, indexdef, &m->index, &m->analyzer);
	field_text(ti, n->a, "m_", &text, &indexdef);
	m->ids_sql = psprintf("SELECT m_.id FROM %s m_ WHERE %s OPERATOR(pg_catalog.@@@) %s",
						  ti->rel, text, m->query_sql);
	if (m->index && out->bm25_analyzer == NULL)
		out->bm25_analyzer = m->analyzer;
}

/* the statement's matches, collected once */
static void
statement_matches(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const TableInfo *ti)
{
	if (out->matches_ready)
		return;
	out->matches_ready = true;
	prepare_matches(s->where, params, out, ti);
}

static const SurqlMatch *
match_of(const SurqlSql *out, const SurqlNode *n)
{
	int			i;

	for (i = 0; i < out->nmatches; i++)
		if (out->matches[i].node == n)
			return &out->matches[i];
	return NULL;
}

/* match N of the statement, with a clear error when there is none */
static const SurqlMatch *
match_numbered(const SurqlSql *out, const char *fn, const SurqlNode *arg)
{
	int			i;

	if (arg->kind != SN_INT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s() takes the number of a match, as in @1@", fn)));
	for (i = 0; i < out->nmatches; i++)
		if (out->matches[i].num == arg->ival)
			return &out->matches[i];
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("%s(%lld): the statement has no match @%lld@", fn,
					(long long) arg->ival, (long long) arg->ival),
			 errhint("Number the match in the WHERE clause: field @%lld@ 'words'.",
					 (long long) arg->ival)));
	return NULL;
}

/* a jsonb value as text */
static char *
text_of(const SurqlNode *n, Jsonb *params, SurqlSql *out)
{
	int			mark = out->sql.len;
	char	   *r;

	value_sql(n, params, out, NULL);
	r = psprintf("((%s) #>> '{}')", out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	return r;
}

/* search::score(N), search::highlight(start, stop, N), search::offsets(N) */
static bool
search_call_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out)
{
	const SurqlMatch *m;

	if (strncmp(n->str, "search::", 8) != 0)
		return false;
	if (strcmp(n->str, "search::score") == 0 && n->nitems == 1)
	{
		m = match_numbered(out, n->str, n->items[0]);
		if (m->index == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("search::score(%lld) needs a full-text index on the matched field",
							(long long) m->num),
					 errdetail("BM25 scores use the index's statistics."),
					 errhint("DEFINE INDEX name ON table FIELDS field SEARCH ANALYZER english BM25")));
		appendStringInfo(&out->sql, "to_jsonb(dllb.score(%s, %s, %s::regclass))",
						 m->text_sql, m->query_sql, quote_literal_cstr(m->index));
		return true;
	}
	if (strcmp(n->str, "search::highlight") == 0 && n->nitems == 3)
	{
		char	   *start = text_of(n->items[0], params, out);
		char	   *stop = text_of(n->items[1], params, out);

		m = match_numbered(out, n->str, n->items[2]);
		appendStringInfo(&out->sql, "to_jsonb(dllb.highlight(%s, %s, %s, %s, %s))",
						 m->text_sql, m->query_sql, quote_literal_cstr(m->analyzer),
						 start, stop);
		return true;
	}
	if (strcmp(n->str, "search::offsets") == 0 && n->nitems == 1)
	{
		m = match_numbered(out, n->str, n->items[0]);
		appendStringInfo(&out->sql, "dllb.offsets(%s, %s, %s)",
						 m->text_sql, m->query_sql, quote_literal_cstr(m->analyzer));
		return true;
	}
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_FUNCTION),
			 errmsg("function %s() with %d arguments does not exist", n->str, n->nitems),
			 errhint("search::score(N), search::highlight(start, stop, N) and search::offsets(N) read the match @N@.")));
	return false;
}

/* find_knn - the <|k|> condition among the top-level ANDs of where */
static const SurqlNode *
find_knn(const SurqlNode *n)
{
	const SurqlNode *a;
	const SurqlNode *b;

	if (n == NULL)
		return NULL;
	if (n->kind == SN_KNN)
		return n;
	if (n->kind != SN_BINARY || n->op != -(int) KW_AND)
		return NULL;
	a = find_knn(n->a);
	b = find_knn(n->b);
	if (a && b)
		unsupported("two nearest-neighbour conditions in one statement");
	return a ? a : b;
}

/* whether column col of the table has a dllb_hnsw index of operator class opclass */
static bool
has_hnsw_index(const TableInfo *ti, const char *col, const char *opclass)
{
	Oid			types[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		values[3];

	char	   *key;
	char	   *cached;

	if (opclass == NULL || ti->is_subquery)
		return false;
	key = psprintf("hnsw|%s|%s|%s", ti->rel, col, opclass);
	if (index_cache_get(key, &cached))
		return cached != NULL;
	values[0] = CStringGetTextDatum(ti->rel);
	values[1] = CStringGetTextDatum(col);
	values[2] = CStringGetTextDatum(opclass);
	if (SPI_execute_with_args("SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
							  "JOIN pg_am a ON a.oid = c.relam "
							  "JOIN pg_opclass o ON o.oid = i.indclass[0] "
							  "JOIN pg_attribute t ON t.attrelid = i.indrelid AND t.attnum = i.indkey[0] "
							  "WHERE i.indrelid = $1::regclass AND a.amname = 'dllb_hnsw' "
							  "AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL "
							  "AND t.attname = $2 AND o.opcname = $3",
							  3, types, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "looking up vector indexes failed");
	index_cache_put(key, SPI_processed > 0 ? "t" : NULL);
	return SPI_processed > 0;
}

/*
 * knn_source - the k rows nearest to the query vector among those that
 * pass the other conditions, as a subquery aliased t with their distance
 * in knn_distance_.  <|k|> and <|k,ef|> on a dllb.vector column with a
 * dllb_hnsw index order by that index's distance operator (<->, <=> or
 * <#>), ORDER BY col op q LIMIT k, which the index serves as a filtered
 * search (the scan keeps going until k rows pass); without an index they
 * are exact, by euclidean distance.  <|k,EUCLIDEAN|>, COSINE and
 * MANHATTAN are exact by that metric: the distance functions, which no
 * index serves.
 */
static void
knn_source(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const TableInfo *ti,
		   const char *record)
{
	const SurqlNode *k = out->knn;
	StringInfoData lhs;
	StringInfoData rhs;
	StringInfoData dist;
	int			mark;
	int			c;
	bool		indexed;

	if (k->a->kind != SN_FIELD)
		unsupported("<|k|> on anything but a field");
	c = column_of(ti, k->a->keys[0]);
	initStringInfo(&lhs);
	initStringInfo(&rhs);
	initStringInfo(&dist);
	if (c >= 0 && k->a->nitems == 1 && ti->is_vector[c])
		appendStringInfo(&lhs, "t.%s", quote_identifier(ti->cols[c]));
	else
	{
		mark = out->sql.len;
		value_sql(k->a, params, out, ti);
		appendStringInfo(&lhs, "((%s)::text)::dllb.vector", out->sql.data + mark);
		out->sql.len = mark;
		out->sql.data[mark] = '\0';
	}
	mark = out->sql.len;
	value_sql(k->b, params, out, NULL);
	appendStringInfo(&rhs, "((%s)::text)::dllb.vector", out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	indexed = c >= 0 && k->a->nitems == 1 && ti->is_vector[c] && k->op == 0;
	if (k->op == KW_COSINE)
		appendStringInfo(&dist, "dllb.cosine_distance(%s, %s)", lhs.data, rhs.data);
	else if (k->op == KW_MANHATTAN)
		appendStringInfo(&dist, "dllb.l1_distance(%s, %s)", lhs.data, rhs.data);
	else if (k->op == KW_EUCLIDEAN)
		appendStringInfo(&dist, "dllb.l2_distance(%s, %s)", lhs.data, rhs.data);
	else if (indexed && has_hnsw_index(ti, ti->cols[c], "vector_l2_ops"))
		appendStringInfo(&dist, "(%s) OPERATOR(pg_catalog.<->) (%s)", lhs.data, rhs.data);
	else if (indexed && has_hnsw_index(ti, ti->cols[c], "vector_cosine_ops"))
		appendStringInfo(&dist, "(%s) OPERATOR(pg_catalog.<=>) (%s)", lhs.data, rhs.data);
	else if (indexed && has_hnsw_index(ti, ti->cols[c], "vector_ip_ops"))
		appendStringInfo(&dist, "(%s) OPERATOR(pg_catalog.<#>) (%s)", lhs.data, rhs.data);
	else
	{
		/* no index: exact, by euclidean distance */
		indexed = false;
		appendStringInfo(&dist, "(%s) OPERATOR(pg_catalog.<->) (%s)", lhs.data, rhs.data);
	}

	appendStringInfo(&out->sql, "(SELECT t.*, %s AS knn_distance_ FROM %s t", dist.data, ti->rel);
	out->match_by_id = indexed;
	out->knn_scan |= indexed;
	where_sql(s, params, out, record, ti);
	out->match_by_id = false;
	/* exact search breaks ties by id, so its answer is one */
	appendStringInfo(&out->sql, " ORDER BY %s%s LIMIT %lld) t", dist.data,
					 indexed ? "" : ", t.id", (long long) k->ival);
	if (k->ival2 > 0)
		out->ef_search = (int) k->ival2;
}

/* returning - what a CREATE or UPDATE hands back: the rows after it */
static void
returning(const SurqlStmt *s, SurqlSql *out, const char *stmt)
{
	if (s->ret == SR_NONE)
		out->discard = true;
	else if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
		unsupported(psprintf("%s ... RETURN BEFORE or DIFF", stmt));
}

/*
 * returning_old - RETURN BEFORE (the row as it was: before, an SQL
 * expression) or RETURN DIFF (a JSON Patch from it to the row after)
 */
static void
returning_old(const SurqlStmt *s, SurqlSql *out, const TableInfo *ti, const char *before)
{
	if (s->ret == SR_BEFORE)
	{
		appendStringInfo(&out->sql, "coalesce(%s, 'null'::jsonb)", before);
		return;
	}
	appendStringInfo(&out->sql, "dllb.json_diff(%s, ", before);
	row_json(&out->sql, ti, "t");
	appendStringInfoChar(&out->sql, ')');
}

/*
 * aliased - an ORDER BY expression with every name that is an output
 * field's alias replaced by that field's expression (a copy where needed)
 */
static const SurqlNode *
aliased(const SurqlStmt *s, const SurqlNode *n)
{
	int			i;
	SurqlNode  *c;
	const SurqlNode *a;
	const SurqlNode *b;

	if (n == NULL)
		return NULL;
	if (n->kind == SN_FIELD && n->nitems == 1)
	{
		for (i = 0; i < s->nfields; i++)
			if (s->aliases[i] && strcmp(s->aliases[i], n->keys[0]) == 0)
				return s->fields[i];
		return n;
	}
	if (n->kind != SN_BINARY && n->kind != SN_UNARY)
		return n;
	a = aliased(s, n->a);
	b = aliased(s, n->b);
	if (a == n->a && b == n->b)
		return n;
	c = palloc(sizeof(SurqlNode));
	*c = *n;
	c->a = (SurqlNode *) a;
	c->b = (SurqlNode *) b;
	return c;
}

/*
 * ORDER BY search::score(N) DESC alone, on a match with an index: the
 * index's ordered scan (text <@> query), which ranks top-k without
 * scoring every match; the scores in the output are the same numbers
 */
static bool
order_by_score(const SurqlStmt *s, SurqlSql *out)
{
	const SurqlNode *o;
	const SurqlMatch *m;
	int			i;

	if (s->norder != 1 || !s->desc[0] || out->knn)
		return false;
	o = aliased(s, s->order[0]);
	if (o->kind != SN_CALL || strcmp(o->str, "search::score") != 0 || o->nitems != 1 ||
		o->items[0]->kind != SN_INT)
		return false;
	m = NULL;
	for (i = 0; i < out->nmatches; i++)
		if (out->matches[i].num == o->items[0]->ival)
			m = &out->matches[i];
	if (m == NULL || m->index == NULL)
		return false;
	appendStringInfo(&out->sql, " ORDER BY %s OPERATOR(pg_catalog.<@>) %s", m->text_sql, m->query_sql);
	out->ranked_scan = true;
	return true;
}

/*
 * group_keys - GROUP BY e, ... (or GROUP ALL: none): the canonical text
 * and SQL of each key; from here on value_sql emits a key's SQL where the
 * key appears, and refuses other fields outside aggregates.
 */
static void
group_keys(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const TableInfo *ti)
{
	int			i;

	if (s->nfields == 1 && s->fields[0]->kind == SN_ALL)
		ereport(ERROR,
				(errcode(ERRCODE_GROUPING_ERROR),
				 errmsg("SELECT * cannot be grouped"),
				 errhint("Select the GROUP BY fields and aggregates such as count().")));
	out->ngroup = s->ngroup;
	out->group_text = palloc(sizeof(char *) * Max(s->ngroup, 1));
	out->group_sql = palloc(sizeof(char *) * Max(s->ngroup, 1));
	for (i = 0; i < s->ngroup; i++)
	{
		const SurqlNode *k = aliased(s, s->group[i]);
		StringInfoData text;
		int			mark = out->sql.len;

		if (k->kind != SN_FIELD && k->kind != SN_CALL && k->kind != SN_BINARY &&
			k->kind != SN_UNARY)
			unsupported("GROUP BY anything but fields, expressions over them or output names");
		if (k->kind == SN_CALL && (strcmp(k->str, "count") == 0 || math_agg(k->str) >= 0))
			ereport(ERROR,
					(errcode(ERRCODE_GROUPING_ERROR),
					 errmsg("GROUP BY %s(): an aggregate cannot be a group key", k->str)));
		initStringInfo(&text);
		dllb_surql_print_expr(&text, k);
		out->group_text[i] = text.data;
		value_sql(k, params, out, ti);
		out->group_sql[i] = pstrdup(out->sql.data + mark);
		out->sql.len = mark;
		out->sql.data[mark] = '\0';
	}
	out->grouping = true;
}

static void translate_select(const SurqlStmt *s, Jsonb *params, SurqlSql *out);
static void fetch_wrap(const SurqlStmt *s, SurqlSql *out);

/*
 * subquery_sql - the SQL of a SELECT used inside another statement: its
 * parameters numbered after out's, and out running with its settings
 */
static char *
subquery_sql(const SurqlStmt *sub, Jsonb *params, SurqlSql *out)
{
	SurqlSql   *inner;

	check_stack_depth();
	if (sub->kind != SS_SELECT)
		unsupported("a subquery that is not a SELECT");
	inner = palloc0(sizeof(SurqlSql));
	memcpy(inner->params, out->params, sizeof(char *) * out->nparams);
	inner->nparams = out->nparams;
	inner->explain = out->explain;
	initStringInfo(&inner->sql);
	translate_select(sub, params, inner);
	if (sub->nfetch > 0 && !inner->no_rows)
		fetch_wrap(sub, inner);
	memcpy(out->params + out->nparams, inner->params + out->nparams,
		   sizeof(char *) * (inner->nparams - out->nparams));
	out->nparams = inner->nparams;
	if (inner->ef_search > 0)
		out->ef_search = inner->ef_search;
	if (inner->bm25_analyzer && out->bm25_analyzer == NULL)
		out->bm25_analyzer = inner->bm25_analyzer;
	out->ranked_scan |= inner->ranked_scan;
	out->knn_scan |= inner->knn_scan;
	if (inner->no_rows)
		return "SELECT NULL::jsonb WHERE false";
	return inner->sql.data;
}

/*
 * subquery_table - SELECT ... FROM (subquery): its results as rows of a
 * table whose data is the result, whose id is the result's id when it is
 * a record id, and whose order is the subquery's
 */
static TableInfo *
subquery_table(const SurqlStmt *sub, Jsonb *params, SurqlSql *out)
{
	TableInfo  *ti = palloc0(sizeof(TableInfo));
	char	   *inner = subquery_sql(sub, params, out);

	ti->rel = psprintf("(SELECT s_.r AS data, "
					   "CASE WHEN jsonb_typeof(s_.r -> 'id') = 'string' "
					   "THEN (s_.r ->> 'id')::dllb.record END AS id, "
					   "row_number() OVER () AS ord_ FROM (%s) AS s_(r))", inner);
	ti->is_subquery = true;
	ti->cols = palloc(sizeof(char *));
	ti->types = palloc(sizeof(char *));
	ti->is_vector = palloc(sizeof(bool));
	ti->is_json = palloc(sizeof(bool));
	return ti;
}

static void
translate_select(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record = NULL;
	TableInfo  *ti;
	int			i;
	bool		grouped = s->ngroup > 0 || s->group_all;

	if (s->nfrom == 1 && s->from[0]->kind == SN_SUBQUERY)
		ti = subquery_table(s->from[0]->stmt, params, out);
	else
	{
		const char *name = target_of(s, params, &record, true);

		ti = name ? lookup_table(name, "document") : NULL;
	}

	if (ti == NULL)
	{
		out->no_rows = true;
		return;
	}
	out->knn = find_knn(s->where);
	statement_matches(s, params, out, ti);
	if (grouped)
	{
		if (out->knn)
			unsupported("GROUP with a nearest-neighbour condition");
		group_keys(s, params, out, ti);
	}
	appendStringInfoString(&out->sql, "SELECT ");
	if (s->value)
		value_sql(s->fields[0], params, out, ti);
	else if (s->nfields == 1 && s->fields[0]->kind == SN_ALL)
		row_json(&out->sql, ti, "t");
	else
	{
		appendStringInfoString(&out->sql, "jsonb_build_object(");
		for (i = 0; i < s->nfields; i++)
		{
			StringInfoData name_buf;

			if (s->fields[i]->kind == SN_ALL)
				unsupported("* beside other fields");
			initStringInfo(&name_buf);
			if (s->aliases[i])
				appendStringInfoString(&name_buf, s->aliases[i]);
			else
				dllb_surql_print_expr(&name_buf, s->fields[i]);
			appendStringInfo(&out->sql, "%s$%d::text, ", i > 0 ? ", " : "",
							 add_param(out, name_buf.data));
			value_sql(s->fields[i], params, out, ti);
		}
		appendStringInfoChar(&out->sql, ')');
	}
	if (out->knn)
	{
		appendStringInfoString(&out->sql, " FROM ");
		knn_source(s, params, out, ti, record);
	}
	else
	{
		appendStringInfo(&out->sql, " FROM %s t", ti->rel);
		/* WHERE is over rows, before grouping */
		out->grouping = false;
		where_sql(s, params, out, record, ti);
		out->grouping = grouped;
	}
	if (grouped)
	{
		for (i = 0; i < out->ngroup; i++)
			appendStringInfo(&out->sql, "%s%s", i == 0 ? " GROUP BY " : ", ", out->group_sql[i]);
	}
	if (!grouped && order_by_score(s, out))
		;
	else if (s->norder > 0)
	{
		appendStringInfoString(&out->sql, " ORDER BY ");
		for (i = 0; i < s->norder; i++)
		{
			if (i > 0)
				appendStringInfoString(&out->sql, ", ");
			value_sql(aliased(s, s->order[i]), params, out, ti);
			appendStringInfoString(&out->sql, s->desc[i] ? " DESC" : " ASC");
		}
	}
	else if (grouped)
	{
		for (i = 0; i < out->ngroup; i++)
			appendStringInfo(&out->sql, "%s%s", i == 0 ? " ORDER BY " : ", ", out->group_sql[i]);
	}
	else if (record && record[0] != '[' && !out->knn)
	{
		/* one record id: one row at most, nothing to order */
	}
	else if (record && record[0] == '[' && !out->knn)
	{
		/* several record ids: in the order they were given */
		appendStringInfo(&out->sql,
						 " ORDER BY array_position(ARRAY(SELECT jsonb_array_elements_text($%d::jsonb)::dllb.record), t.id)",
						 add_param(out, record));
	}
	else
		appendStringInfoString(&out->sql, out->knn ? " ORDER BY t.knn_distance_, t.id" :
							   ti->is_subquery ? " ORDER BY t.ord_" : " ORDER BY t.id");
	out->grouping = false;
	if (s->limit)
	{
		appendStringInfoString(&out->sql, " LIMIT (");
		value_sql(s->limit, params, out, NULL);
		appendStringInfoString(&out->sql, ")::numeric::bigint");
	}
	if (s->start)
	{
		appendStringInfoString(&out->sql, " OFFSET (");
		value_sql(s->start, params, out, NULL);
		appendStringInfoString(&out->sql, ")::numeric::bigint");
	}
}

static void
translate_create(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record;
	const char *name = target(s, params, &record);
	TableInfo  *ti = out->explain ? lookup_table(name, "document") : create_table(name);
	StringInfoData data;
	char	  **cols;
	StringInfoData head;
	int			c;

	if (ti == NULL)
	{
		/* explaining a CREATE of a table that does not exist yet */
		out->no_rows = true;
		return;
	}
	cols = palloc(sizeof(char *) * Max(ti->ncols, 1));
	initStringInfo(&data);
	initStringInfo(&head);
	write_values(s, params, out, ti, NULL, "CREATE", &data, cols);
	appendStringInfo(&head, "INSERT INTO %s AS t (id, data", ti->rel);
	for (c = 0; c < ti->ncols; c++)
		if (cols[c])
			appendStringInfo(&head, ", %s", quote_identifier(ti->cols[c]));
	appendStringInfoString(&head, ") VALUES (");
	if (record)
		appendStringInfo(&head, "($%d::jsonb #>> '{}')::dllb.record", add_param(out, record));
	else
		appendStringInfo(&head, "dllb.record($%d, dllb.random_key())", add_param(out, name));
	appendStringInfo(&head, ", %s", data.data);
	for (c = 0; c < ti->ncols; c++)
		if (cols[c])
			appendStringInfo(&head, ", %s", cols[c]);
	appendStringInfoString(&head, ") RETURNING ");
	appendStringInfoString(&out->sql, head.data);
	if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
	{
		/* a new record had no before: NONE, and a DIFF that adds it all */
		returning_old(s, out, ti, "NULL::jsonb");
		return;
	}
	row_json(&out->sql, ti, "t");
	returning(s, out, "CREATE");
}

static void
translate_update(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record;
	const char *name = target_of(s, params, &record, true);
	TableInfo  *ti = name ? lookup_table(name, "document") : NULL;
	StringInfoData data;
	char	  **cols;
	StringInfoData head;
	int			c;

	if (ti == NULL)
	{
		out->no_rows = true;
		return;
	}
	cols = palloc(sizeof(char *) * Max(ti->ncols, 1));
	initStringInfo(&data);
	initStringInfo(&head);
	write_values(s, params, out, ti, ti, "UPDATE", &data, cols);
	appendStringInfo(&head, "UPDATE %s AS t SET data = %s", ti->rel, data.data);
	for (c = 0; c < ti->ncols; c++)
		if (cols[c])
			appendStringInfo(&head, ", %s = %s", quote_identifier(ti->cols[c]), cols[c]);
	if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
	{
		/* the rows as they were, locked, then updated */
		appendStringInfoString(&out->sql, "WITH dllb_old AS (SELECT t.id, ");
		row_json(&out->sql, ti, "t");
		appendStringInfo(&out->sql, " AS before FROM %s AS t", ti->rel);
		where_sql(s, params, out, record, ti);
		appendStringInfoString(&out->sql, " FOR UPDATE) ");
		appendStringInfoString(&out->sql, head.data);
		appendStringInfoString(&out->sql, " FROM dllb_old WHERE t.id = dllb_old.id RETURNING ");
		returning_old(s, out, ti, "dllb_old.before");
		return;
	}
	appendStringInfoString(&out->sql, head.data);
	where_sql(s, params, out, record, ti);
	appendStringInfoString(&out->sql, " RETURNING ");
	row_json(&out->sql, ti, "t");
	returning(s, out, "UPDATE");
}

static void
translate_delete(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record;
	const char *name = target_of(s, params, &record, true);
	TableInfo  *ti = name ? lookup_table(name, "document") : NULL;

	if (ti == NULL)
	{
		out->no_rows = true;
		return;
	}
	appendStringInfo(&out->sql, "DELETE FROM %s AS t", ti->rel);
	where_sql(s, params, out, record, ti);
	appendStringInfoString(&out->sql, " RETURNING ");
	row_json(&out->sql, ti, "t");
	if (s->ret != SR_BEFORE)
		out->discard = true;
}

static void
translate_relate(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	TableInfo	none = {0};
	TableInfo  *eti;
	StringInfoData data;
	char	  **cols;
	int			c;

	if (!dllb_surql_is_literal(s->rel_from) || !dllb_surql_is_literal(s->rel_to))
		unsupported("RELATE between anything but record ids and $params");
	eti = lookup_table(s->rel_edge, "edge");
	if (eti == NULL || eti->ncols == 0)
		eti = &none;
	cols = palloc(sizeof(char *) * Max(eti->ncols, 1));
	initStringInfo(&data);
	write_values(s, params, out, eti, NULL, "RELATE", &data, cols);
	if (eti->ncols == 0)
	{
		/* dllb.relate creates the edge table on first write */
		appendStringInfoString(&out->sql,
							   "SELECT jsonb_build_object('id', r::text) FROM dllb.relate((");
		value_sql(s->rel_from, params, out, NULL);
		appendStringInfo(&out->sql, " #>> '{}')::dllb.record, $%d, (", add_param(out, s->rel_edge));
		value_sql(s->rel_to, params, out, NULL);
		appendStringInfo(&out->sql, " #>> '{}')::dllb.record, %s) AS r", data.data);
	}
	else
	{
		/* an edge table with typed fields (DEFINE FIELD): insert directly */
		appendStringInfo(&out->sql, "INSERT INTO %s AS t (id, \"in\", out, data", eti->rel);
		for (c = 0; c < eti->ncols; c++)
			if (cols[c])
				appendStringInfo(&out->sql, ", %s", quote_identifier(eti->cols[c]));
		appendStringInfo(&out->sql, ") VALUES (dllb.record($%d, dllb.random_key()), (",
						 add_param(out, s->rel_edge));
		value_sql(s->rel_from, params, out, NULL);
		appendStringInfoString(&out->sql, " #>> '{}')::dllb.record, (");
		value_sql(s->rel_to, params, out, NULL);
		appendStringInfo(&out->sql, " #>> '{}')::dllb.record, %s", data.data);
		for (c = 0; c < eti->ncols; c++)
			if (cols[c])
				appendStringInfo(&out->sql, ", %s", cols[c]);
		appendStringInfoString(&out->sql, ") RETURNING jsonb_build_object('id', t.id::text)");
	}
	if (s->ret == SR_NONE)
		out->discard = true;
}

/* check_insert_value - INSERT takes an object or an array of objects */
static void
check_insert_value(const char *json)
{
	Jsonb	   *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	bool		ok = true;

	if (JB_ROOT_IS_SCALAR(jb))
		ok = false;
	else if (JB_ROOT_IS_ARRAY(jb))
	{
		it = JsonbIteratorInit(&jb->root);
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
			if (tok == WJB_ELEM &&
				(v.type != jbvBinary || !JsonContainerIsObject(v.val.binary.data)))
				ok = false;
	}
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("INSERT takes an object or an array of objects"),
				 errdetail("The value is %s.", json)));
}

/*
 * INSERT INTO t {...} | [{...}, ...]: one row per object (the table is
 * created on first write).  An object's id is its record id: a key (x,
 * 42) or a record of t ('t:x'); without one the key is random.
 */
static void
translate_insert(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	TableInfo  *ti;
	char	   *json;
	int			jparam;
	int			nparam;
	int			c;

	if (!dllb_surql_is_literal(s->content))
		unsupported("INSERT of anything but literal objects and $params");
	json = dllb_surql_literal_json(s->content, params);
	check_insert_value(json);
	ti = out->explain ? lookup_table(s->name, "document") : create_table(s->name);
	if (ti == NULL)
	{
		out->no_rows = true;
		return;
	}
	check_schemafull(ti, json);
	jparam = add_param(out, json);
	nparam = add_param(out, s->name);
	appendStringInfo(&out->sql, "INSERT INTO %s AS t (id, data", ti->rel);
	for (c = 0; c < ti->ncols; c++)
		appendStringInfo(&out->sql, ", %s", quote_identifier(ti->cols[c]));
	appendStringInfo(&out->sql,
					 ") SELECT CASE WHEN NOT v.o ? 'id' THEN dllb.record($%d, dllb.random_key()) "
					 "WHEN jsonb_typeof(v.o -> 'id') = 'string' AND starts_with(v.o ->> 'id', $%d || ':') "
					 "THEN (v.o ->> 'id')::dllb.record ELSE dllb.record($%d, v.o -> 'id') END, v.o - 'id'",
					 nparam, nparam, nparam);
	for (c = 0; c < ti->ncols; c++)
		appendStringInfo(&out->sql, " - %s", quote_literal_cstr(ti->cols[c]));
	for (c = 0; c < ti->ncols; c++)
	{
		appendStringInfoString(&out->sql, ", ");
		cast_to_column(&out->sql, ti, c, psprintf("v.o -> %s", quote_literal_cstr(ti->cols[c])));
	}
	appendStringInfo(&out->sql,
					 " FROM jsonb_array_elements(CASE WHEN jsonb_typeof($%d::jsonb) = 'array' "
					 "THEN $%d::jsonb ELSE jsonb_build_array($%d::jsonb) END) AS v(o) RETURNING ",
					 jparam, jparam, jparam);
	row_json(&out->sql, ti, "t");
}

/*
 * UPSERT t SET ... [WHERE e]: the records of t where e holds (all without
 * WHERE) updated; when there are none, one record with a random key
 * created, the write applied to an empty document
 */
static void
upsert_table(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const TableInfo *ti,
			 const char *name, StringInfo ins_data, char **ins_cols,
			 StringInfo upd_data, char **upd_cols)
{
	int			c;

	bool		old = s->ret == SR_BEFORE || s->ret == SR_DIFF;

	if (old)
	{
		/* the records as they were, locked, then updated */
		appendStringInfoString(&out->sql, "WITH dllb_old AS (SELECT t.id, ");
		row_json(&out->sql, ti, "t");
		appendStringInfo(&out->sql, " AS before FROM %s AS t", ti->rel);
		where_sql(s, params, out, NULL, ti);
		appendStringInfoString(&out->sql, " FOR UPDATE), ");
	}
	else
		appendStringInfoString(&out->sql, "WITH ");
	appendStringInfo(&out->sql, "dllb_up AS (UPDATE %s AS t SET data = %s",
					 ti->rel, upd_data->data);
	for (c = 0; c < ti->ncols; c++)
		if (upd_cols[c])
			appendStringInfo(&out->sql, ", %s = %s", quote_identifier(ti->cols[c]), upd_cols[c]);
	if (old)
		appendStringInfoString(&out->sql, " FROM dllb_old WHERE t.id = dllb_old.id");
	else
		where_sql(s, params, out, NULL, ti);
	appendStringInfoString(&out->sql, " RETURNING t.id, ");
	if (old)
		returning_old(s, out, ti, "dllb_old.before");
	else
		row_json(&out->sql, ti, "t");
	appendStringInfo(&out->sql, " AS r), dllb_new AS (INSERT INTO %s AS t (id, data", ti->rel);
	for (c = 0; c < ti->ncols; c++)
		if (ins_cols[c])
			appendStringInfo(&out->sql, ", %s", quote_identifier(ti->cols[c]));
	appendStringInfo(&out->sql, ") SELECT dllb.record($%d, dllb.random_key()), %s",
					 add_param(out, name), ins_data->data);
	for (c = 0; c < ti->ncols; c++)
		if (ins_cols[c])
			appendStringInfo(&out->sql, ", %s", ins_cols[c]);
	appendStringInfoString(&out->sql, " FROM (SELECT NULL::dllb.record AS id, '{}'::jsonb AS data");
	for (c = 0; c < ti->ncols; c++)
		appendStringInfo(&out->sql, ", NULL::%s AS %s", ti->types[c],
						 quote_identifier(ti->cols[c]));
	appendStringInfoString(&out->sql, ") AS t WHERE NOT EXISTS (SELECT 1 FROM dllb_up) RETURNING t.id, ");
	if (old)
		returning_old(s, out, ti, "NULL::jsonb");	/* a new record had no before */
	else
		row_json(&out->sql, ti, "t");
	appendStringInfoString(&out->sql, " AS r) SELECT r FROM (SELECT id, r FROM dllb_up "
						   "UNION ALL SELECT id, r FROM dllb_new) AS u ORDER BY id");
	if (!old)
		returning(s, out, "UPSERT");
}

/*
 * UPSERT t:k SET ... | MERGE {...} | CONTENT {...}: INSERT ... ON
 * CONFLICT (id) DO UPDATE.  The inserted row is the write applied to an
 * empty document (a subquery aliased t, so that fields read as NONE), the
 * updated one the write applied to the stored row.
 */
static void
translate_upsert(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record;
	const char *name = target(s, params, &record);
	TableInfo  *ti;
	StringInfoData ins_data;
	StringInfoData upd_data;
	char	  **ins_cols;
	char	  **upd_cols;
	int			rparam;
	int			c;

	ti = out->explain ? lookup_table(name, "document") : create_table(name);
	if (ti == NULL)
	{
		out->no_rows = true;
		return;
	}
	ins_cols = palloc(sizeof(char *) * Max(ti->ncols, 1));
	upd_cols = palloc(sizeof(char *) * Max(ti->ncols, 1));
	initStringInfo(&ins_data);
	initStringInfo(&upd_data);
	write_values(s, params, out, ti, ti, "UPSERT", &ins_data, ins_cols);
	write_values(s, params, out, ti, ti, "UPSERT", &upd_data, upd_cols);
	if (record == NULL)
	{
		upsert_table(s, params, out, ti, name, &ins_data, ins_cols, &upd_data, upd_cols);
		return;
	}
	rparam = add_param(out, record);
	if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
	{
		/* the record as it was (none: NONE), locked */
		appendStringInfoString(&out->sql, "WITH dllb_old AS (SELECT ");
		row_json(&out->sql, ti, "t");
		appendStringInfo(&out->sql, " AS before FROM %s AS t "
						 "WHERE t.id = ($%d::jsonb #>> '{}')::dllb.record FOR UPDATE) ",
						 ti->rel, rparam);
	}
	appendStringInfo(&out->sql, "INSERT INTO %s AS t (id, data", ti->rel);
	for (c = 0; c < ti->ncols; c++)
		if (ins_cols[c])
			appendStringInfo(&out->sql, ", %s", quote_identifier(ti->cols[c]));
	appendStringInfo(&out->sql, ") SELECT t.id, %s", ins_data.data);
	for (c = 0; c < ti->ncols; c++)
		if (ins_cols[c])
			appendStringInfo(&out->sql, ", %s", ins_cols[c]);
	appendStringInfo(&out->sql, " FROM (SELECT ($%d::jsonb #>> '{}')::dllb.record AS id, "
					 "'{}'::jsonb AS data", rparam);
	for (c = 0; c < ti->ncols; c++)
		appendStringInfo(&out->sql, ", NULL::%s AS %s", ti->types[c],
						 quote_identifier(ti->cols[c]));
	appendStringInfoString(&out->sql, ") AS t");
	if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
	{
		/* read (and lock) the old record before the write: an InitPlan */
		appendStringInfoString(&out->sql, " WHERE (SELECT count(*) FROM dllb_old) >= 0");
	}
	appendStringInfo(&out->sql, " ON CONFLICT (id) DO UPDATE SET data = %s", upd_data.data);
	for (c = 0; c < ti->ncols; c++)
		if (upd_cols[c])
			appendStringInfo(&out->sql, ", %s = %s", quote_identifier(ti->cols[c]), upd_cols[c]);
	if (s->where)
	{
		/* a record that exists changes only where the condition holds */
		appendStringInfoString(&out->sql, " WHERE ");
		bool_sql(s->where, params, out, ti);
	}
	appendStringInfoString(&out->sql, " RETURNING ");
	if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
	{
		returning_old(s, out, ti, "(SELECT before FROM dllb_old)");
		return;
	}
	row_json(&out->sql, ti, "t");
	returning(s, out, "UPSERT");
}

/* the SQL type of a dialect field type, or NULL for an unknown one */
static char *
sql_type(const char *ty)
{
	static const char *const map[][2] = {
		{"string", "text"}, {"int", "bigint"}, {"float", "double precision"},
		{"number", "numeric"}, {"decimal", "numeric"}, {"bool", "boolean"},
		{"datetime", "timestamptz"}, {"object", "jsonb"}, {"array", "jsonb"},
		{"any", "jsonb"}, {"record", "dllb.record"}};
	const char *lt = strchr(ty, '<');
	size_t		base = lt ? (size_t) (lt - ty) : strlen(ty);
	int			i;

	if (base == 6 && pg_strncasecmp(ty, "option", 6) == 0 && lt && ty[strlen(ty) - 1] == '>')
	{
		/* option<T>: every column may be null, so T */
		char	   *inner = pnstrdup(lt + 1, strlen(lt + 1) - 1);

		return sql_type(inner);
	}
	if (base == 6 && pg_strncasecmp(ty, "vector", 6) == 0 && lt)
	{
		char	   *end;
		long		n = strtol(lt + 1, &end, 10);

		if (end == lt + 1 || strcmp(end, ">") != 0 || n < 1 || n > 16000)
			return NULL;
		return psprintf("dllb.vector(%ld)", n);
	}
	for (i = 0; i < lengthof(map); i++)
		if (strlen(map[i][0]) == base && pg_strncasecmp(ty, map[i][0], base) == 0)
		{
			/* record<t> and array<T> keep only their base type */
			if (lt && strcmp(map[i][0], "record") != 0 && strcmp(map[i][0], "array") != 0)
				return NULL;
			return pstrdup(map[i][1]);
		}
	return NULL;
}

/* the table of name, of either kind, or NULL */
static TableInfo *
lookup_any_table(const char *name)
{
	TableInfo  *ti = lookup_table(name, "document");

	return ti ? ti : lookup_table(name, "edge");
}

/*
 * DEFINE TABLE t [SCHEMAFULL|SCHEMALESS] [TYPE RELATION|NORMAL|ANY]:
 * dllb.create_table or dllb.create_edge_table (an existing table of that
 * kind is kept, and must agree on SCHEMAFULL); no rows.
 */
static void
translate_define_table(const SurqlStmt *s, SurqlSql *out)
{
	if (s->table_type == TABLE_TYPE_ANY)
		unsupported("DEFINE TABLE ... TYPE ANY");
	if (s->table_type == TABLE_TYPE_RELATION)
	{
		if (s->schema == SCHEMA_FULL)
			unsupported("DEFINE TABLE ... SCHEMAFULL TYPE RELATION");
		appendStringInfo(&out->sql, "SELECT NULL::jsonb FROM dllb.create_edge_table($%d)",
						 add_param(out, s->name));
	}
	else
	{
		Datum		arg[1];
		Oid			types[1] = {TEXTOID};
		int			nparam;
		int			fparam;

		arg[0] = CStringGetTextDatum(s->name);
		if (SPI_execute_with_args("SELECT t.schemafull FROM dllb.tables t "
								  "WHERE t.tbl = to_regclass(format('%I.%I', dllb.dialect_schema(), $1)) "
								  "AND t.kind = 'document'",
								  1, types, arg, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "looking up a dllb table failed");
		if (SPI_processed == 1 && s->schema != SCHEMA_DEFAULT)
		{
			bool		full = strcmp(SPI_getvalue(SPI_tuptable->vals[0],
												   SPI_tuptable->tupdesc, 1), "t") == 0;

			if (full != (s->schema == SCHEMA_FULL))
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_TABLE),
						 errmsg("table \"%s\" already exists as %s", s->name,
								full ? "SCHEMAFULL" : "SCHEMALESS")));
		}
		nparam = add_param(out, s->name);
		fparam = add_param(out, s->schema == SCHEMA_FULL ? "true" : "false");
		appendStringInfo(&out->sql, "SELECT NULL::jsonb FROM dllb.create_table($%d, $%d::boolean)",
						 nparam, fparam);
	}
	out->discard = true;
}

/* a copy of an ASSERT expression in which $value is the field f */
static SurqlNode *
value_as_field(const SurqlNode *n, const char *f)
{
	SurqlNode  *c;
	int			i;

	if (n == NULL)
		return NULL;
	if (n->kind == SN_GRAPH || n->kind == SN_RECURSE || n->kind == SN_SUBQUERY)
		unsupported("an ASSERT that reads other records (a graph path or a subquery)");
	c = palloc(sizeof(SurqlNode));
	memcpy(c, n, sizeof(SurqlNode));
	if (n->kind == SN_PARAM && strcmp(n->str, "value") == 0)
	{
		memset(c, 0, sizeof(SurqlNode));
		c->kind = SN_FIELD;
		c->keys = palloc(sizeof(char *));
		c->keys[0] = pstrdup(f);
		c->nitems = 1;
		c->offset = n->offset;
		return c;
	}
	c->key = value_as_field(n->key, f);
	c->a = value_as_field(n->a, f);
	c->b = value_as_field(n->b, f);
	if (n->items && n->kind != SN_FIELD)
	{
		c->items = palloc(sizeof(SurqlNode *) * Max(n->nitems, 1));
		for (i = 0; i < n->nitems; i++)
			c->items[i] = value_as_field(n->items[i], f);
	}
	return c;
}

/*
 * The SQL of sql with its parameters written in as literals (DDL takes
 * none); quoted text and names are copied as they are.
 */
static char *
inline_params(const SurqlSql *sql)
{
	StringInfoData buf;
	const char *p = sql->sql.data;

	initStringInfo(&buf);
	while (*p)
	{
		if (*p == '\'' || *p == '"')
		{
			char		q = *p;

			appendStringInfoChar(&buf, *p++);
			while (*p)
			{
				if (*p == q && p[1] == q)
				{
					appendBinaryStringInfo(&buf, p, 2);
					p += 2;
					continue;
				}
				if (*p == q)
					break;
				appendStringInfoChar(&buf, *p++);
			}
			if (*p)
				appendStringInfoChar(&buf, *p++);
		}
		else if (*p == '$' && isdigit((unsigned char) p[1]))
		{
			char	   *end;
			long		n = strtol(p + 1, &end, 10);

			if (n < 1 || n > sql->nparams)
				elog(ERROR, "parameter $%ld out of range in an ASSERT", n);
			appendStringInfoString(&buf, quote_literal_cstr(sql->params[n - 1]));
			p = end;
		}
		else
			appendStringInfoChar(&buf, *p++);
	}
	return buf.data;
}

/*
 * assert_check - the SQL of a CHECK constraint for ASSERT e on field f of
 * table name (ti: as it is, NULL when it does not exist yet; type: the
 * field's SQL type when the statement makes it a column)
 */
static char *
assert_check(const SurqlStmt *s, Jsonb *params, const TableInfo *ti, const char *type)
{
	TableInfo	row = {0};
	SurqlSql	chk;
	int			c;

	if (ti)
		row = *ti;
	row.name = s->name;
	if (type && column_of(&row, s->field) < 0)
	{
		/* the column DEFINE FIELD is about to add */
		row.cols = palloc(sizeof(char *) * (row.ncols + 1));
		row.types = palloc(sizeof(char *) * (row.ncols + 1));
		row.is_vector = palloc(sizeof(bool) * (row.ncols + 1));
		row.is_json = palloc(sizeof(bool) * (row.ncols + 1));
		for (c = 0; c < row.ncols; c++)
		{
			row.cols[c] = ti->cols[c];
			row.types[c] = ti->types[c];
			row.is_vector[c] = ti->is_vector[c];
			row.is_json[c] = ti->is_json[c];
		}
		row.cols[c] = s->field;
		row.types[c] = (char *) type;
		row.is_vector[c] = strncmp(type, "dllb.vector", 11) == 0;
		row.is_json[c] = strcmp(type, "jsonb") == 0;
		row.ncols++;
	}
	memset(&chk, 0, sizeof(chk));
	initStringInfo(&chk.sql);
	/* a CHECK names the row by its table's name */
	chk.alias = quote_identifier(s->name);
	bool_sql(value_as_field(s->where, s->field), params, &chk, &row);
	return inline_params(&chk);
}

/*
 * DEFINE FIELD f ON t [TYPE type] [DEFAULT v] [ASSERT e]:
 * dllb.define_field_rules makes f a typed column (creating t when
 * missing), its DEFAULT a trigger and its ASSERT a CHECK constraint (in
 * which $value is the field); without TYPE the field stays in data.
 */
static void
translate_define_field(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	TableInfo  *ti = lookup_any_table(s->name);
	char	   *tbl;
	char	   *type = NULL;
	int			fparam;
	char	   *tparam = "NULL";
	char	   *dparam = "NULL";
	char	   *aparam = "NULL";
	char	   *sparam = "NULL";

	if (s->ftype)
	{
		type = sql_type(s->ftype);
		if (type == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("unknown field type \"%s\"", s->ftype),
					 errhint("Use string, int, float, number, decimal, bool, datetime, object, array, any, record, record<t>, vector<n> or option<T>.")));
	}
	if (s->ftype == NULL && s->expr == NULL && s->where == NULL)
	{
		if (ti)
			tbl = psprintf("$%d::regclass", add_param(out, ti->rel));
		else
			tbl = psprintf("dllb.create_table($%d)", add_param(out, s->name));
		appendStringInfo(&out->sql, "SELECT NULL::jsonb FROM (SELECT %s) AS x(t)", tbl);
		out->discard = true;
		return;
	}
	/* the ASSERT first: translating it may raise, and adds no parameters */
	if (s->where)
		aparam = psprintf("$%d", add_param(out, assert_check(s, params, ti, type)));
	if (ti)
		tbl = psprintf("$%d::regclass", add_param(out, ti->rel));
	else
		tbl = psprintf("dllb.create_table($%d)", add_param(out, s->name));
	fparam = add_param(out, s->field);
	if (type)
		tparam = psprintf("$%d", add_param(out, type));
	if (s->expr && dllb_surql_is_literal(s->expr))
		dparam = psprintf("$%d::jsonb", add_param(out, dllb_surql_literal_json(s->expr, params)));
	else if (s->expr)
	{
		/* a computed value (time::now()): its SQL, run for each new row */
		SurqlSql	def;

		memset(&def, 0, sizeof(def));
		initStringInfo(&def.sql);
		value_sql(s->expr, params, &def, NULL);
		sparam = psprintf("$%d", add_param(out, inline_params(&def)));
	}
	appendStringInfo(&out->sql,
					 "SELECT NULL::jsonb FROM dllb.define_field_rules(%s, $%d, %s, %s, %s, %s)",
					 tbl, fparam, tparam, dparam, aparam, sparam);
	out->discard = true;
}

/* REMOVE FIELD f ON t: dllb.remove_field; a table that does not exist is an error */
static void
translate_remove_field(const SurqlStmt *s, SurqlSql *out)
{
	TableInfo  *ti = lookup_any_table(s->name);
	int			tparam;

	if (ti == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\" does not exist", s->name)));
	tparam = add_param(out, ti->rel);
	appendStringInfo(&out->sql, "SELECT NULL::jsonb FROM dllb.remove_field($%d::regclass, $%d)",
					 tparam, add_param(out, s->field));
	out->discard = true;
}

/* REMOVE TABLE t: DROP TABLE of a dllb table; one that does not exist is an error */
static void
translate_remove_table(const SurqlStmt *s, SurqlSql *out)
{
	TableInfo  *ti = lookup_any_table(s->name);

	if (ti == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\" does not exist", s->name)));
	appendStringInfo(&out->sql, "DROP TABLE %s", ti->rel);
	out->utility = true;
	out->discard = true;
}

/* the SQL name of index i of table t: t_i (index names are per schema) */
static char *
index_name(const SurqlStmt *s)
{
	return psprintf("%s_%s", s->name, s->field);
}

/*
 * the dllb_bm25 analyzer option SEARCH ANALYZER name stands for: code, an
 * analyzer of DEFINE ANALYZER, or a text search configuration
 */
static const char *
analyzer_option(const char *name)
{
	Oid			types[1] = {TEXTOID};
	Datum		values[1];

	values[0] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT dllb.analyzer_option($1)", 1, types, values,
							  NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "looking up analyzer \"%s\" failed", name);
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/* a JSON array of strings */
static char *
json_string_array(char **items, int n)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		escape_json(&buf, items[i]);
	}
	appendStringInfoChar(&buf, ']');
	return buf.data;
}

/*
 * DEFINE ANALYZER a [TOKENIZERS ...] [FILTERS ...]: a text search
 * configuration a in the current schema (dllb.define_analyzer);
 * REMOVE ANALYZER a drops it
 */
static void
translate_define_analyzer(const SurqlStmt *s, SurqlSql *out)
{
	int			nparam = add_param(out, s->name);
	int			tparam = add_param(out, json_string_array(s->tokenizers, s->ntokenizers));
	int			fparam = add_param(out, json_string_array(s->filters, s->nfilters));

	appendStringInfo(&out->sql,
					 "SELECT NULL::jsonb FROM dllb.define_analyzer(dllb.dialect_schema(), $%d, $%d::jsonb, $%d::jsonb)",
					 nparam, tparam, fparam);
	out->discard = true;
}

static void
translate_remove_analyzer(const SurqlStmt *s, SurqlSql *out)
{
	appendStringInfo(&out->sql,
					 "SELECT NULL::jsonb FROM dllb.remove_analyzer(dllb.dialect_schema(), $%d)",
					 add_param(out, s->name));
	out->discard = true;
}

/*
 * DEFINE INDEX i ON t FIELDS f, ... [UNIQUE]: a btree index t_i over the
 * fields (a typed column as itself, another field as its jsonb);
 * HNSW DIMENSION n [DIST EUCLIDEAN|COSINE|DOT]: a dllb_hnsw index on a
 * vector field of that dimension.  DDL takes no parameters: field names
 * are quoted literals, names quoted identifiers.
 */
static void
translate_define_index(const SurqlStmt *s, SurqlSql *out)
{
	TableInfo  *ti = lookup_any_table(s->name);
	int			i;

	if (ti == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\" does not exist", s->name),
				 errhint("Define it first, or write a record to it.")));
	if (s->index_kind == INDEX_SEARCH)
	{
		char	   *sql;
		char	   *indexdef;
		const char *an = s->analyzer;

		if (s->nfields != 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a SEARCH index is on one field")));
		field_text(ti, s->fields[0], "t", &sql, &indexdef);
		an = analyzer_option(an);
		/* the indexed expression is the one matches use, without the alias */
		appendStringInfo(&out->sql, "CREATE INDEX %s ON %s USING dllb_bm25 (%s) WITH (analyzer = %s)",
						 quote_identifier(index_name(s)), ti->rel,
						 strncmp(sql, "t.", 2) == 0 ? sql + 2 :
						 psprintf("(%s", sql + 3),
						 quote_literal_cstr(an));
		return;
	}
	if (s->index_kind == INDEX_HNSW)
	{
		const SurqlNode *f = s->fields[0];
		int			c = column_of(ti, f->keys[0]);
		const char *paren;
		const char *ops;

		if (s->nfields != 1 || f->nitems != 1 || c < 0 || !ti->is_vector[c])
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("an HNSW index needs one vector field"),
					 errhint("DEFINE FIELD f ON %s TYPE vector<n> first.", s->name)));
		paren = strchr(ti->types[c], '(');
		if (paren != NULL && atoi(paren + 1) != s->dimension)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("HNSW DIMENSION " INT64_FORMAT " does not match field \"%s\" of type %s",
							s->dimension, ti->cols[c], ti->types[c])));
		if (paren == NULL)
		{
			/* a column without a typmod: the vectors stored must agree */
			char	   *q = psprintf("SELECT t.id::text, dllb.dims(t.%s) FROM %s t "
									 "WHERE dllb.dims(t.%s) <> " INT64_FORMAT " LIMIT 1",
									 quote_identifier(ti->cols[c]), ti->rel,
									 quote_identifier(ti->cols[c]), s->dimension);

			if (SPI_execute(q, false, 1) != SPI_OK_SELECT)
				elog(ERROR, "reading vector dimensions failed");
			if (SPI_processed == 1)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_EXCEPTION),
						 errmsg("HNSW DIMENSION " INT64_FORMAT " does not match the vectors of field \"%s\"",
								s->dimension, ti->cols[c]),
						 errdetail("Record %s has a vector of dimension %s.",
								   SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1),
								   SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2))));
		}
		if (s->dist == KW_MANHATTAN)
			unsupported("DEFINE INDEX ... HNSW ... DIST MANHATTAN");
		ops = s->dist == KW_COSINE ? "dllb.vector_cosine_ops" :
			s->dist == KW_DOT ? "dllb.vector_ip_ops" : "dllb.vector_l2_ops";
		appendStringInfo(&out->sql, "CREATE INDEX %s ON %s USING dllb_hnsw (%s %s)",
						 quote_identifier(index_name(s)), ti->rel,
						 quote_identifier(ti->cols[c]), ops);
	}
	else
	{
		appendStringInfo(&out->sql, "CREATE %sINDEX %s ON %s (",
						 s->index_kind == INDEX_UNIQUE ? "UNIQUE " : "",
						 quote_identifier(index_name(s)), ti->rel);
		for (i = 0; i < s->nfields; i++)
		{
			const SurqlNode *f = s->fields[i];
			int			c = column_of(ti, f->keys[0]);
			int			k;

			if (i > 0)
				appendStringInfoString(&out->sql, ", ");
			if (f->nitems == 1 && (strcmp(f->keys[0], "id") == 0 ||
								   (ti->is_edge && (strcmp(f->keys[0], "in") == 0 ||
													strcmp(f->keys[0], "out") == 0))))
				appendStringInfoString(&out->sql, quote_identifier(f->keys[0]));
			else if (c >= 0 && f->nitems == 1)
				appendStringInfoString(&out->sql, quote_identifier(ti->cols[c]));
			else if (f->nitems == 1)
				appendStringInfo(&out->sql, "(data -> %s)", quote_literal_cstr(f->keys[0]));
			else
			{
				appendStringInfoString(&out->sql, "(jsonb_extract_path(");
				if (c >= 0)
					appendStringInfo(&out->sql, "to_jsonb(%s)", quote_identifier(ti->cols[c]));
				else
					appendStringInfo(&out->sql, "data, %s", quote_literal_cstr(f->keys[0]));
				for (k = 1; k < f->nitems; k++)
					appendStringInfo(&out->sql, ", %s", quote_literal_cstr(f->keys[k]));
				appendStringInfoString(&out->sql, "))");
			}
		}
		appendStringInfoChar(&out->sql, ')');
	}
	out->utility = true;
	out->discard = true;
}

/*
 * REMOVE INDEX i ON t: DROP INDEX t_i, an index that DEFINE INDEX made
 * (never the table's primary key or an edge table's own indexes)
 */
static void
translate_remove_index(const SurqlStmt *s, SurqlSql *out)
{
	TableInfo  *ti = lookup_any_table(s->name);
	char	   *name = index_name(s);
	Datum		arg[2];
	Oid			types[2] = {TEXTOID, TEXTOID};

	if (ti == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\" does not exist", s->name)));
	arg[0] = CStringGetTextDatum(ti->rel);
	arg[1] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT format('%I.%I', n.nspname, c.relname) FROM pg_index i "
							  "JOIN pg_class c ON c.oid = i.indexrelid "
							  "JOIN pg_namespace n ON n.oid = c.relnamespace "
							  "WHERE i.indrelid = $1::regclass AND c.relname = $2 "
							  "AND NOT i.indisprimary",
							  2, types, arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "looking up an index failed");
	if (SPI_processed != 1 ||
		(ti->is_edge && (strcmp(s->field, "in_out") == 0 || strcmp(s->field, "out_in") == 0)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("index \"%s\" on table \"%s\" does not exist", s->field, s->name)));
	appendStringInfo(&out->sql, "DROP INDEX %s",
					 SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	out->utility = true;
	out->discard = true;
}

/*
 * INFO FOR TABLE t: one record with the table's kind, SCHEMAFULL, its
 * typed fields (SQL types) and its indexes; INFO FOR DB: the tables of
 * the current schema and their kinds.
 */
static void
translate_info(const SurqlStmt *s, SurqlSql *out)
{
	TableInfo  *ti;
	int			nparam;
	int			rparam;

	if (s->name == NULL)
	{
		appendStringInfoString(&out->sql,
							   "SELECT jsonb_build_object('tables', coalesce(jsonb_object_agg(c.relname, t.kind), '{}'::jsonb), "
							   "'analyzers', (SELECT coalesce(jsonb_object_agg(a.cfgname, substr(obj_description(a.oid, 'pg_ts_config'), 16)), '{}'::jsonb) "
							   "FROM pg_ts_config a WHERE a.cfgnamespace = to_regnamespace(quote_ident(dllb.dialect_schema())) "
							   "AND obj_description(a.oid, 'pg_ts_config') LIKE 'dllb analyzer:%')) "
							   "FROM dllb.tables t JOIN pg_class c ON c.oid = t.tbl "
							   "WHERE c.relnamespace = to_regnamespace(quote_ident(dllb.dialect_schema()))");
		return;
	}
	ti = lookup_any_table(s->name);
	if (ti == NULL)
	{
		out->no_rows = true;
		return;
	}
	nparam = add_param(out, s->name);
	rparam = add_param(out, ti->rel);
	appendStringInfo(&out->sql,
					 "SELECT jsonb_build_object('table', $%d::text, 'kind', t.kind, 'schemafull', t.schemafull, "
					 "'fields', (SELECT coalesce(jsonb_object_agg(a.attname, format_type(a.atttypid, a.atttypmod)), '{}'::jsonb) "
					 "FROM pg_attribute a WHERE a.attrelid = t.tbl AND a.attnum > 0 AND NOT a.attisdropped "
					 "AND a.attname NOT IN ('id', 'data', 'in', 'out')), "
					 "'indexes', (SELECT coalesce(jsonb_object_agg(c.relname, pg_get_indexdef(i.indexrelid)), '{}'::jsonb) "
					 "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = t.tbl)) "
					 "FROM dllb.tables t WHERE t.tbl = $%d::regclass",
					 nparam, rparam);
}

/*
 * fetch_wrap - FETCH f, ...: the SELECT's rows with the record ids in
 * those fields of the result replaced by their records
 * (dllb.fetch_fields); with SELECT VALUE f, FETCH f fetches the values
 */
static void
fetch_wrap(const SurqlStmt *s, SurqlSql *out)
{
	StringInfoData paths;
	char	   *inner = pstrdup(out->sql.data);
	int			i;
	int			k;

	for (i = 0; i < s->nfetch; i++)
		if (s->fetch[i]->kind != SN_FIELD)
			unsupported("FETCH of anything but a field");
	resetStringInfo(&out->sql);
	if (s->value)
	{
		const SurqlNode *v = s->fields[0];

		for (i = 0; i < s->nfetch; i++)
		{
			const SurqlNode *f = s->fetch[i];
			bool		same = v->kind == SN_FIELD && v->nitems == f->nitems;

			for (k = 0; same && k < f->nitems; k++)
				same = strcmp(v->keys[k], f->keys[k]) == 0;
			if (!same)
				unsupported("FETCH of another field than the one SELECT VALUE returns");
		}
		appendStringInfo(&out->sql, "SELECT dllb.fetch_value(f.r, dllb.dialect_schema()) FROM (%s) AS f(r)", inner);
		return;
	}
	initStringInfo(&paths);
	appendStringInfoChar(&paths, '[');
	for (i = 0; i < s->nfetch; i++)
		appendStringInfo(&paths, "%s%s", i ? ", " : "",
						 json_string_array(s->fetch[i]->keys, s->fetch[i]->nitems));
	appendStringInfoChar(&paths, ']');
	appendStringInfo(&out->sql, "SELECT dllb.fetch_fields(f.r, $%d::jsonb, dllb.dialect_schema()) FROM (%s) AS f(r)",
					 add_param(out, paths.data), inner);
}

/*
 * dllb_surql_translate - the SQL of one statement.  LET and RETURN become
 * a SELECT of their value.  Runs inside an SPI connection.
 */
void
dllb_surql_translate(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	bool		explain = out->explain;

	memset(out, 0, sizeof(*out));
	out->explain = explain;
	initStringInfo(&out->sql);
	switch (s->kind)
	{
		case SS_SELECT:
			translate_select(s, params, out);
			if (s->nfetch > 0 && !out->no_rows)
				fetch_wrap(s, out);
			break;
		case SS_CREATE:
			translate_create(s, params, out);
			break;
		case SS_UPDATE:
			translate_update(s, params, out);
			break;
		case SS_UPSERT:
			translate_upsert(s, params, out);
			break;
		case SS_DELETE:
			translate_delete(s, params, out);
			break;
		case SS_RELATE:
			translate_relate(s, params, out);
			break;
		case SS_LET:
		case SS_RETURN:
			appendStringInfoString(&out->sql, "SELECT ");
			value_sql(s->expr, params, out, NULL);
			break;
		case SS_DEFINE_TABLE:
			translate_define_table(s, out);
			break;
		case SS_DEFINE_FIELD:
			translate_define_field(s, params, out);
			break;
		case SS_REMOVE_TABLE:
			translate_remove_table(s, out);
			break;
		case SS_REMOVE_FIELD:
			translate_remove_field(s, out);
			break;
		case SS_DEFINE_INDEX:
			translate_define_index(s, out);
			break;
		case SS_REMOVE_INDEX:
			translate_remove_index(s, out);
			break;
		case SS_INFO:
			translate_info(s, out);
			break;
		case SS_DEFINE_ANALYZER:
			translate_define_analyzer(s, out);
			break;
		case SS_REMOVE_ANALYZER:
			translate_remove_analyzer(s, out);
			break;
		case SS_INSERT:
			translate_insert(s, params, out);
			break;
		case SS_BEGIN:
		case SS_COMMIT:
		case SS_CANCEL:
		case SS_IF:
			/* run by query.c itself (translate_control.c) */
			unsupported("a transaction statement or IF in this place");
	}
}

/*
 * dllb_surql_translate_condition - SELECT of one jsonb boolean: whether
 * cond holds (as a WHERE reads it, outside any table)
 */
void
dllb_surql_translate_condition(const SurqlNode *cond, Jsonb *params, SurqlSql *out)
{
	bool		explain = out->explain;

	memset(out, 0, sizeof(*out));
	out->explain = explain;
	initStringInfo(&out->sql);
	appendStringInfoString(&out->sql, "SELECT to_jsonb(coalesce(");
	bool_sql(cond, params, out, NULL);
	appendStringInfoString(&out->sql, ", false))");
}
