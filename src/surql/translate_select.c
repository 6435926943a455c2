/*-------------------------------------------------------------------------
 *
 * translate_select.c
 *	  SELECT: its targets, WHERE, GROUP, ORDER, LIMIT, subqueries and FETCH.
 *
 * IDENTIFICATION
 *	  src/surql/translate_select.c
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

void
dllb_surql_where_sql(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const char *record,
					 const TableInfo *ti)
{
	const SurqlNode *range = s->nfrom == 1 && s->from[0]->kind == SN_RECORD &&
		s->from[0]->flag ? s->from[0] : NULL;

	if (s->where == NULL && record == NULL && range == NULL)
		return;
	dllb_surql_statement_matches(s, params, out, ti);
	appendStringInfoString(&out->sql, " WHERE ");
	if (range)
	{
		/* t:a..b: a <= id < b (..=: id <= b), on the primary key */
		int			tparam = dllb_surql_add_param(out, range->str);
		const SurqlNode *ends[2] = {range->key, range->b};
		int			i;
		bool		first = true;

		for (i = 0; i < 2; i++)
		{
			if (ends[i] == NULL)
				continue;
			if (ends[i]->kind == SN_ARRAY || ends[i]->kind == SN_OBJECT)
			{
				/* t:[a, NONE]..[a, ..]: ends of array keys, as record ids */
				SurqlNode	end = *range;

				end.flag = false;
				end.key = (SurqlNode *) ends[i];
				end.b = NULL;
				appendStringInfo(&out->sql, "%st.id %s $%d::text::dllb.record", first ? "" : " AND ",
								 i == 0 ? ">=" : range->ival ? "<=" : "<",
								 dllb_surql_add_param(out, dllb_surql_record_text(&end, params, true)));
			}
			else
				appendStringInfo(&out->sql, "%st.id %s dllb.record($%d, $%d::jsonb)", first ? "" : " AND ",
								 i == 0 ? ">=" : range->ival ? "<=" : "<", tparam,
								 dllb_surql_add_param(out, dllb_surql_literal_json(ends[i], params)));
			first = false;
		}
		if (first)
			appendStringInfoString(&out->sql, "true");
		appendStringInfoString(&out->sql, s->where || record ? " AND " : "");
	}
	if (record && record[0] == '[')
		appendStringInfo(&out->sql,
						 "t.id = ANY (ARRAY(SELECT jsonb_array_elements_text($%d::jsonb)::dllb.record))%s",
						 dllb_surql_add_param(out, record), s->where ? " AND " : "");
	else if (record)
		appendStringInfo(&out->sql, "t.id = ($%d::jsonb #>> '{}')::dllb.record%s",
						 dllb_surql_add_param(out, record), s->where ? " AND " : "");
	if (s->where)
	{
		out->filtering = true;
		dllb_surql_bool_sql(s->where, params, out, ti);
		out->filtering = false;
	}
}

/*
 * aliased - an ORDER BY expression with every name that is an output
 * field's alias replaced by that field's expression (a copy where needed)
 */
const SurqlNode *
dllb_surql_aliased(const SurqlStmt *s, const SurqlNode *n)
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
	a = dllb_surql_aliased(s, n->a);
	b = dllb_surql_aliased(s, n->b);
	if (a == n->a && b == n->b)
		return n;
	c = palloc(sizeof(SurqlNode));
	*c = *n;
	c->a = (SurqlNode *) a;
	c->b = (SurqlNode *) b;
	return c;
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
		const SurqlNode *k = dllb_surql_aliased(s, s->group[i]);
		StringInfoData text;
		int			mark = out->sql.len;

		if (k->kind != SN_FIELD && k->kind != SN_CALL && k->kind != SN_BINARY &&
			k->kind != SN_UNARY)
			dllb_surql_unsupported("GROUP BY anything but fields, expressions over them or output names");
		if (k->kind == SN_CALL && (strcmp(k->str, "count") == 0 || dllb_surql_math_agg(k->str) >= 0))
			ereport(ERROR,
					(errcode(ERRCODE_GROUPING_ERROR),
					 errmsg("GROUP BY %s(): an aggregate cannot be a group key", k->str)));
		initStringInfo(&text);
		dllb_surql_print_expr(&text, k);
		out->group_text[i] = text.data;
		dllb_surql_value_sql(k, params, out, ti);
		out->group_sql[i] = pstrdup(out->sql.data + mark);
		out->sql.len = mark;
		out->sql.data[mark] = '\0';
	}
	out->grouping = true;
}

/*
 * dllb_surql_inner_select - translate SELECT sub as a part of out: its
 * parameters numbered after out's and taken into out, and what it learned
 * of its scans (ef_search, the analyzer, ranked and kNN scans) passed on;
 * edge_rows (with sub, the edges a graph step SELECTs) and view (the rows
 * of a view) as translate.h's SurqlSql says.  NULL when it has no rows.
 */
SurqlSql *
dllb_surql_inner_select(const SurqlStmt *sub, Jsonb *params, SurqlSql *out,
						struct TableInfo *edge_rows, bool view)
{
	SurqlSql   *inner;

	check_stack_depth();
	inner = palloc0(sizeof(SurqlSql));
	memcpy(inner->params, out->params, sizeof(char *) * out->nparams);
	inner->nparams = out->nparams;
	inner->explain = out->explain;
	inner->naliases = out->naliases;
	inner->view_rows = view;
	if (edge_rows)
	{
		inner->edge_select = sub;
		inner->edge_rows = edge_rows;
	}
	initStringInfo(&inner->sql);
	dllb_surql_translate_select(sub, params, inner);
	if (sub->nfetch > 0 && !inner->no_rows)
		dllb_surql_fetch_wrap(sub, inner);
	memcpy(out->params + out->nparams, inner->params + out->nparams,
		   sizeof(char *) * (inner->nparams - out->nparams));
	out->nparams = inner->nparams;
	out->naliases = inner->naliases;
	if (inner->ef_search > 0)
		out->ef_search = inner->ef_search;
	if (inner->bm25_analyzer && out->bm25_analyzer == NULL)
		out->bm25_analyzer = inner->bm25_analyzer;
	out->ranked_scan |= inner->ranked_scan;
	out->knn_scan |= inner->knn_scan;
	return inner->no_rows ? NULL : inner;
}

/*
 * subquery_sql - the SQL of a SELECT used inside another statement: its
 * parameters numbered after out's, and out running with its settings
 */
static char *
subquery_sql(const SurqlStmt *sub, Jsonb *params, SurqlSql *out, bool view)
{
	SurqlSql   *inner;

	if (sub->kind != SS_SELECT)
		dllb_surql_unsupported("a subquery that is not a SELECT");
	inner = dllb_surql_inner_select(sub, params, out, NULL, view);
	if (inner == NULL)
		return "SELECT NULL::jsonb WHERE false";
	return inner->sql.data;
}

char *
dllb_surql_subquery_sql(const SurqlStmt *sub, Jsonb *params, SurqlSql *out)
{
	return subquery_sql(sub, params, out, false);
}

/*
 * rows_table - the table of a subquery rel whose rows are (data, id,
 * ord_): a value per row, its record id (or NULL) and its order
 */
static TableInfo *
rows_table(char *rel)
{
	TableInfo  *ti = palloc0(sizeof(TableInfo));

	ti->rel = rel;
	ti->is_subquery = true;
	ti->cols = palloc(sizeof(char *));
	ti->types = palloc(sizeof(char *));
	ti->is_vector = palloc(sizeof(bool));
	ti->is_json = palloc(sizeof(bool));
	return ti;
}

/*
 * view_table - a table defined AS SELECT (a view, whose SELECT
 * dllb.view_text keeps): its rows are its SELECT's results now, each with
 * the view's own id - view:[group keys] when grouped (view:[] for GROUP
 * ALL, which has no row while its source has none), else view:key of the
 * source record (so the SELECT reads the source's id)
 */
static TableInfo *
view_table(const char *name, const char *text, Jsonb *params, SurqlSql *out)
{
	TableInfo  *ti;
	SurqlParse	res;
	SurqlStmt  *v;
	StringInfoData id;
	char	   *inner;
	int			i;
	int			k;
	bool		has_id = false;

	dllb_surql_parse(text, strlen(text), &res);
	if (res.failed || res.nstmts != 1 || res.stmts[0]->kind != SS_SELECT)
		elog(ERROR, "the SELECT of view \"%s\" does not parse", name);
	v = palloc(sizeof(SurqlStmt));
	*v = *res.stmts[0];
	initStringInfo(&id);
	appendStringInfo(&id, "dllb.surql_view_id($%d, ", dllb_surql_add_param(out, name));
	if (v->ngroup > 0 || v->group_all)
	{
		appendStringInfoString(&id, "jsonb_build_array(");
		for (i = 0; i < v->ngroup; i++)
		{
			const SurqlNode *g = v->group[i];

			appendStringInfo(&id, "%sd_.data #> ARRAY[", i > 0 ? ", " : "");
			if (g->kind == SN_FIELD)
				for (k = 0; k < g->nitems; k++)
					appendStringInfo(&id, "%s$%d::text", k > 0 ? ", " : "",
									 dllb_surql_add_param(out, g->keys[k]));
			else
			{
				StringInfoData t;

				initStringInfo(&t);
				dllb_surql_print_expr(&t, g);
				appendStringInfo(&id, "$%d::text", dllb_surql_add_param(out, t.data));
			}
			appendStringInfoString(&id, "]::text[]");
		}
		appendStringInfoString(&id, "))");
	}
	else
	{
		/* the source's id, read by the SELECT when it does not say so */
		for (i = 0; i < v->nfields; i++)
			if (v->fields[i]->kind == SN_ALL ||
				(v->fields[i]->kind == SN_FIELD && v->fields[i]->nitems == 1 &&
				 strcmp(v->fields[i]->keys[0], "id") == 0 && v->aliases[i] == NULL))
				has_id = true;
		if (!has_id)
		{
			SurqlNode  *f = palloc0(sizeof(SurqlNode));
			SurqlNode **fields = palloc(sizeof(SurqlNode *) * (v->nfields + 1));
			char	  **aliases = palloc(sizeof(char *) * (v->nfields + 1));

			f->kind = SN_FIELD;
			f->keys = palloc(sizeof(char *));
			f->keys[0] = "id";
			f->nitems = 1;
			/* (the parse's arrays live in its arena) */
			memcpy(fields, v->fields, sizeof(SurqlNode *) * v->nfields);
			memcpy(aliases, v->aliases, sizeof(char *) * v->nfields);
			v->fields = fields;
			v->aliases = aliases;
			v->fields[v->nfields] = f;
			v->aliases[v->nfields] = NULL;
			v->nfields++;
		}
		appendStringInfoString(&id, "d_.data -> 'id')");
	}
	inner = subquery_sql(v, params, out, true);
	ti = rows_table(psprintf("(SELECT d_.data || jsonb_build_object('id', %s) AS data, "
								 "NULL::dllb.record AS id, d_.ord_ "
								 "FROM (SELECT s_.r AS data, row_number() OVER () AS ord_ "
								 "FROM (%s) AS s_(r)) AS d_)", id.data, inner));
	ti->name = pstrdup(name);
	return ti;
}

/*
 * subquery_table - SELECT ... FROM (subquery): its results as rows of a
 * table whose data is the result, whose id is the result's id when it is
 * a record id, and whose order is the subquery's
 */
static TableInfo *
subquery_table(const SurqlStmt *sub, Jsonb *params, SurqlSql *out)
{
	char	   *inner = dllb_surql_subquery_sql(sub, params, out);

	/* a result that is a record id stands for the record (as SurrealQL reads it) */
	return rows_table(psprintf("(SELECT d_.data, CASE WHEN jsonb_typeof(d_.data -> 'id') = 'string' "
								   "THEN (d_.data ->> 'id')::dllb.record END AS id, d_.ord_ "
								   "FROM (SELECT CASE WHEN jsonb_typeof(s_.r) = 'string' "
								   "THEN dllb.fetch_value(s_.r, dllb.dialect_schema()) ELSE s_.r END AS data, "
								   "row_number() OVER () AS ord_ FROM (%s) AS s_(r)) AS d_)", inner));
}

/*
 * output_path - the key (or nested keys) of an output field without AS, as
 * SurrealQL names it: a field path nests (a.b is {a: {b: ...}}), a graph
 * path from the row nests by step ({"->knows": {"->person": ...}}), a
 * function call is its name (count() is count), anything else its text
 */
/* star_path - whether f is a field path with a.*.b in it */
static bool
star_path(const SurqlNode *f)
{
	int			i;

	for (i = 0; f->kind == SN_FIELD && i < f->nitems; i++)
		if (strcmp(f->keys[i], "*") == 0)
			return true;
	return false;
}

static void
output_path(const SurqlNode *f, char ***keys, int *nkeys)
{
	StringInfoData buf;
	int			i;

	if (f->kind == SN_FIELD)
	{
		if (star_path(f))
			dllb_surql_unsupported("a field a.*.b without AS");
		*keys = f->keys;
		*nkeys = f->nitems;
		return;
	}
	if (f->kind == SN_DESTRUCTURE && f->a &&
		(f->a->kind == SN_FIELD || (f->a->kind == SN_GRAPH && f->a->a == NULL)))
	{
		/* tags.{id, name} is tags, ->knows->person.{name} ->knows.->person */
		output_path(f->a, keys, nkeys);
		return;
	}
	if (f->kind == SN_CALL || (f->kind == SN_PARAM && f->nitems == 0))
	{
		/* count() is count, $this is this */
		*keys = palloc(sizeof(char *));
		(*keys)[0] = f->str;
		*nkeys = 1;
		return;
	}
	if (f->kind == SN_GRAPH && f->a == NULL)
	{
		int			nb = f->b ? f->b->nitems : 0;

		*keys = palloc(sizeof(char *) * (f->nitems + nb));
		for (i = 0; i < f->nitems; i++)
		{
			const SurqlNode *st = f->items[i];
			StringInfoData step;

			initStringInfo(&step);
			appendStringInfoString(&step, st->op == TK_ARROW_OUT ? "->" :
								   st->op == TK_ARROW_IN ? "<-" : "<->");
			if (st->stmt || st->nitems > 0 || st->key || st->b)
			{
				/* ->(SELECT ...), ->(a, b), ->(e LIMIT n): the step as printed */
				SurqlNode	g = {0};
				SurqlNode  *one = (SurqlNode *) st;

				g.kind = SN_GRAPH;
				g.items = &one;
				g.nitems = 1;
				resetStringInfo(&step);
				dllb_surql_print_expr_display(&step, &g);
			}
			else
				appendStringInfoString(&step, st->str);
			(*keys)[i] = step.data;
		}
		/* ->knows->person.* nests as ->knows->person */
		if (nb > 0 && strcmp(f->b->keys[nb - 1], "*") == 0)
			nb--;
		for (i = 0; i < nb; i++)
			(*keys)[f->nitems + i] = f->b->keys[i];
		*nkeys = f->nitems + nb;
		return;
	}
	initStringInfo(&buf);
	dllb_surql_print_expr(&buf, f);
	*keys = palloc(sizeof(char *));
	(*keys)[0] = buf.data;
	*nkeys = 1;
	if (f->kind == SN_BINARY && buf.len > 2 && buf.data[0] == '(' && buf.data[buf.len - 1] == ')')
	{
		/* a + b is named a + b, without the parentheses the printer adds */
		int			depth = 0;
		int			k;
		bool		outer = true;
		char		quote = 0;

		for (k = 0; k < buf.len - 1 && outer; k++)
		{
			char		c = buf.data[k];

			if (quote)
			{
				if (c == '\\')
					k++;
				else if (c == quote)
					quote = 0;
			}
			else if (c == '\'' || c == '"' || c == '`')
				quote = c;
			else if (c == '(')
				depth++;
			else if (c == ')' && --depth == 0)
				outer = false;	/* the first ( closes before the end */
		}
		if (outer)
			(*keys)[0] = pnstrdup(buf.data + 1, buf.len - 2);
	}
}

/*
 * projection_sql - the result object of SELECT fields: * (the row) merged
 * with the named fields; a field that is NONE is left out, as SurrealQL
 * does; nested names are set after the others, in order
 */
static void
projection_sql(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const TableInfo *ti)
{
	char	  **names = palloc(sizeof(char *) * s->nfields);
	SurqlNode **values = palloc(sizeof(SurqlNode *) * s->nfields);
	int			n = 0;
	int			nnested = 0;
	bool		all = false;
	int			i;
	int			k;

	for (i = 0; i < s->nfields; i++)
	{
		char	  **keys;
		int			nkeys;

		if (s->fields[i]->kind == SN_ALL)
		{
			all = true;
			continue;
		}
		if (s->aliases[i])
		{
			names[n] = s->aliases[i];
			values[n++] = s->fields[i];
			continue;
		}
		output_path(s->fields[i], &keys, &nkeys);
		if (nkeys == 1)
		{
			names[n] = keys[0];
			values[n++] = s->fields[i];
		}
		else
			nnested++;
	}
	for (i = 0; i < nnested; i++)
		appendStringInfoString(&out->sql, "dllb.json_set_path(");
	if (all)
	{
		dllb_surql_row_json(&out->sql, ti, "t");
		appendStringInfoString(&out->sql, " || ");
	}
	dllb_surql_object_sql(out, names, values, n, params, ti);
	for (i = 0; i < s->nfields; i++)
	{
		char	  **keys;
		int			nkeys;

		if (s->fields[i]->kind == SN_ALL || s->aliases[i])
			continue;
		output_path(s->fields[i], &keys, &nkeys);
		if (nkeys == 1)
			continue;
		appendStringInfoString(&out->sql, ", ARRAY[");
		for (k = 0; k < nkeys; k++)
			appendStringInfo(&out->sql, "%s$%d::text", k > 0 ? ", " : "",
							 dllb_surql_add_param(out, keys[k]));
		appendStringInfoString(&out->sql, "], ");
		dllb_surql_value_sql(s->fields[i], params, out, ti);
		appendStringInfoChar(&out->sql, ')');
	}
}

/*
 * split_table - SELECT ... [WHERE e] SPLIT f, ...: the records the FROM and
 * WHERE give, one row for each element of each field f that is an array
 * (every combination, the first field outermost; a record whose f is an
 * empty array has none; one whose f is no array is kept as it is), in the
 * records' order, as the rows of a subquery
 */
static TableInfo *
split_table(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	SurqlStmt	inner;
	SurqlNode	all = {0};
	SurqlNode  *allp = &all;
	StringInfoData rel;
	StringInfoData ord;
	char	   *src;
	int			k;

	memset(&inner, 0, sizeof(inner));
	inner.kind = SS_SELECT;
	all.kind = SN_ALL;
	inner.fields = &allp;
	inner.nfields = 1;
	inner.from = s->from;
	inner.nfrom = s->nfrom;
	inner.only = s->only;
	inner.where = s->where;
	src = dllb_surql_subquery_sql(&inner, params, out);
	initStringInfo(&rel);
	initStringInfo(&ord);
	appendStringInfoString(&ord, "s0_.n0");
	appendStringInfo(&rel, "(SELECT x%d_.r AS data, CASE WHEN jsonb_typeof(x%d_.r -> 'id') = 'string' "
					 "THEN (x%d_.r ->> 'id')::dllb.record END AS id, row_number() OVER (ORDER BY ",
					 s->nsplit, s->nsplit, s->nsplit);
	for (k = 1; k <= s->nsplit; k++)
		appendStringInfo(&ord, ", x%d_.n", k);
	appendStringInfo(&rel, "%s) AS ord_ FROM (SELECT s_.r AS r, row_number() OVER () AS n0 "
					 "FROM (%s) AS s_(r)) AS s0_", ord.data, src);
	for (k = 1; k <= s->nsplit; k++)
	{
		const SurqlNode *f = s->split[k - 1];

		if (f->kind != SN_FIELD || star_path(f))
			dllb_surql_unsupported("SPLIT of anything but a field");
		appendStringInfo(&rel, " CROSS JOIN LATERAL dllb.surql_split(%s.r, "
						 "ARRAY(SELECT jsonb_array_elements_text($%d::jsonb))) "
						 "WITH ORDINALITY AS x%d_(r, n)", k == 1 ? "s0_" : psprintf("x%d_", k - 1),
						 dllb_surql_add_param(out, dllb_surql_json_string_array(f->keys, f->nitems)),
						 k);
	}
	appendStringInfoChar(&rel, ')');
	if (s->nsplit == 0)
		elog(ERROR, "split_table without SPLIT");
	return rows_table(rel.data);
}

/*
 * value_item - whether a FROM item is a value rather than a table or
 * records: a literal number, string, bool, object, NONE or NULL, an array
 * of such literals (or one cast to <array>, <array>0..10), or a $param
 * holding anything but a string or an array with strings (a string names
 * a table or a record)
 */
static bool
value_item(const SurqlNode *n, Jsonb *params)
{
	int			i;

	switch (n->kind)
	{
		case SN_INT:
		case SN_FLOAT:
		case SN_STRING:
		case SN_BOOL:
		case SN_NONE:
		case SN_NULL:
		case SN_OBJECT:
			return true;
		case SN_CAST:
			/* <array>0..10, <array> [...]: an array of values */
			return strncmp(n->str, "array", 5) == 0 &&
				(n->a->kind == SN_RANGE || value_item(n->a, params));
		case SN_ARRAY:
			for (i = 0; i < n->nitems; i++)
				if (n->items[i]->kind == SN_RECORD || n->items[i]->kind == SN_PARAM ||
					n->items[i]->kind == SN_FIELD || !value_item(n->items[i], params))
					return false;
			return true;
		case SN_PARAM:
			{
				char	   *json;
				Jsonb	   *jb;
				JsonbIterator *it;
				JsonbValue	v;
				JsonbIteratorToken tok;

				if (n->nitems > 0 || strcmp(n->str, "this") == 0)
					return false;
				json = dllb_surql_literal_json(n, params);
				jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
				if (JB_ROOT_IS_OBJECT(jb))
					return true;
				it = JsonbIteratorInit(&jb->root);
				while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
					if ((tok == WJB_ELEM || tok == WJB_VALUE) && v.type == jbvString)
						return false;
				return true;
			}
		default:
			return false;
	}
}

/* mentions_this - whether expression n reads $this (outside subqueries) */
static bool
mentions_this(const SurqlNode *n)
{
	int			i;

	if (n == NULL || n->kind == SN_SUBQUERY)
		return false;
	if (n->kind == SN_PARAM)
		return strcmp(n->str, "this") == 0;
	if (mentions_this(n->a) || mentions_this(n->b) || mentions_this(n->key))
		return true;
	for (i = 0; n->kind != SN_FIELD && n->items && i < n->nitems; i++)
		if (mentions_this(n->items[i]))
			return true;
	return false;
}

/* from_values - whether every FROM item of s is a value */
static bool
from_values(const SurqlStmt *s, Jsonb *params)
{
	int			i;

	for (i = 0; i < s->nfrom; i++)
		if (!value_item(s->from[i], params))
			return false;
	return s->nfrom > 0;
}

/*
 * value_table - SELECT ... FROM v, ... over values (value_item): one row
 * per value, an array giving its elements, NONE and NULL none, in the
 * order written; each row's data is the value and its id the value's id
 * when that is a record id
 */
static TableInfo *
value_table(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	StringInfoData rel;
	int			i;

	initStringInfo(&rel);
	appendStringInfoString(&rel, "(SELECT e_.v AS data, CASE WHEN jsonb_typeof(e_.v -> 'id') = 'string' "
						   "THEN (e_.v ->> 'id')::dllb.record END AS id, "
						   "row_number() OVER (ORDER BY e_.i, e_.n) AS ord_ FROM (");
	for (i = 0; i < s->nfrom; i++)
	{
		int			mark = out->sql.len;
		char	   *v;

		dllb_surql_value_sql(s->from[i], params, out, NULL);
		v = pstrdup(out->sql.data + mark);
		out->sql.len = mark;
		out->sql.data[mark] = '\0';
		appendStringInfo(&rel, "%sSELECT %d, x_.n, x_.v FROM jsonb_array_elements("
						 "CASE WHEN jsonb_typeof(%s) = 'array' THEN %s ELSE jsonb_build_array(%s) END) "
						 "WITH ORDINALITY AS x_(v, n)", i ? " UNION ALL " : "", i, v, v, v);
	}
	appendStringInfoString(&rel, ") AS e_(i, n, v) WHERE e_.v IS NOT NULL AND e_.v <> 'null'::jsonb)");
	return rows_table(rel.data);
}

void
dllb_surql_translate_select(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record = NULL;
	TableInfo  *ti;
	int			i;
	bool		grouped = s->ngroup > 0 || s->group_all;

	if (grouped)
		for (i = 0; i < s->nfields; i++)
			if (mentions_this(s->fields[i]))
				ereport(ERROR,
						(errcode(ERRCODE_SYNTAX_ERROR),
						 errmsg("$this cannot be read in a SELECT with GROUP"),
						 errdetail("A group has no one record for $this to be.")));
	if (s->version)
		dllb_surql_unsupported("SELECT ... VERSION (reading the data as it was at a time)");
	if (s->explain_mode)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("SELECT ... EXPLAIN is not supported by dllb.query"),
				 errhint("dllb.explain(q) shows the SQL each statement becomes, its plan and whether an index serves it.")));
	if (out->edge_select == s)
		ti = out->edge_rows;	/* ->(SELECT ... FROM e): a record's edges */
	else if (s->nsplit > 0)
	{
		/* the split rows, read as a subquery's; WHERE applied inside */
		SurqlStmt  *c = palloc(sizeof(SurqlStmt));

		ti = split_table(s, params, out);
		memcpy(c, s, sizeof(SurqlStmt));
		c->where = NULL;
		c->nsplit = 0;
		s = c;
	}
	else if (s->nfrom == 1 && s->from[0]->kind == SN_SUBQUERY)
		ti = subquery_table(s->from[0]->stmt, params, out);
	else if (from_values(s, params))
		ti = value_table(s, params, out);
	else
	{
		const char *name = dllb_surql_target_of(s, params, &record, true);
		char	   *view;

		ti = name ? dllb_surql_lookup_any_table(name) : NULL;
		if (ti == NULL && name && record == NULL &&
			!(s->nfrom == 1 && s->from[0]->kind == SN_RECORD) &&
			(view = dllb_surql_view_text(name)) != NULL)
			ti = view_table(name, view, params, out);
	}

	if (ti == NULL)
	{
		out->no_rows = true;
		return;
	}
	out->knn = dllb_surql_find_knn(s->where);
	dllb_surql_statement_matches(s, params, out, ti);
	if (grouped)
	{
		if (out->knn)
			dllb_surql_unsupported("GROUP with a nearest-neighbour condition");
		group_keys(s, params, out, ti);
	}
	appendStringInfoString(&out->sql, "SELECT ");
	if (s->value && s->nomit > 0 && s->fields[0]->kind == SN_FIELD && !star_path(s->fields[0]))
	{
		/*
		 * SELECT VALUE f OMIT g: f of the record without g (OMIT applies to
		 * the record, VALUE reads from what is left)
		 */
		int			k;

		appendStringInfoChar(&out->sql, '(');
		for (i = 0; i < s->nomit; i++)
			appendStringInfoChar(&out->sql, '(');
		dllb_surql_row_json(&out->sql, ti, "t");
		for (i = 0; i < s->nomit; i++)
		{
			appendStringInfoString(&out->sql, ") #- ARRAY[");
			for (k = 0; k < s->omit[i]->nitems; k++)
				appendStringInfo(&out->sql, "%s$%d::text", k ? ", " : "",
								 dllb_surql_add_param(out, s->omit[i]->keys[k]));
			appendStringInfoString(&out->sql, "]::text[]");
		}
		appendStringInfoString(&out->sql, ") #> ARRAY[");
		for (k = 0; k < s->fields[0]->nitems; k++)
			appendStringInfo(&out->sql, "%s$%d::text", k ? ", " : "",
							 dllb_surql_add_param(out, s->fields[0]->keys[k]));
		appendStringInfoString(&out->sql, "]::text[]");
		goto projected;
	}
	for (i = 0; i < s->nomit; i++)
		appendStringInfoChar(&out->sql, '(');
	if (s->value)
		dllb_surql_value_sql(s->fields[0], params, out, ti);
	else if (s->nfields == 1 && s->fields[0]->kind == SN_ALL)
		dllb_surql_row_json(&out->sql, ti, "t");
	else
		projection_sql(dllb_surql_resolve_field_calls(s, params), params, out, ti);
	for (i = 0; i < s->nomit; i++)
	{
		/* OMIT f: the result without that field (a path: without its last key) */
		int			k;

		appendStringInfoString(&out->sql, ") #- ARRAY[");
		for (k = 0; k < s->omit[i]->nitems; k++)
			appendStringInfo(&out->sql, "%s$%d::text", k ? ", " : "",
							 dllb_surql_add_param(out, s->omit[i]->keys[k]));
		appendStringInfoString(&out->sql, "]::text[]");
	}
projected:
	if (out->knn)
	{
		appendStringInfoString(&out->sql, " FROM ");
		dllb_surql_knn_source(s, params, out, ti, record);
	}
	else
	{
		appendStringInfo(&out->sql, " FROM %s t", ti->rel);
		/* WHERE is over rows, before grouping */
		out->grouping = false;
		dllb_surql_where_sql(s, params, out, record, ti);
		out->grouping = grouped;
	}
	if (grouped)
	{
		for (i = 0; i < out->ngroup; i++)
			appendStringInfo(&out->sql, "%s%s", i == 0 ? " GROUP BY " : ", ", out->group_sql[i]);
		/* a view has no row for GROUP ALL of no rows */
		if (out->view_rows && out->ngroup == 0)
			appendStringInfoString(&out->sql, " HAVING count(*) > 0");
	}
	/*
	 * ORDER BY search::score(N) sorts by the scores output (SurrealDB's BM25
	 * variant), not by the index's ordered scan, whose BM25 order can differ
	 */
	if (s->norder > 0)
	{
		appendStringInfoString(&out->sql, " ORDER BY ");
		for (i = 0; i < s->norder; i++)
		{
			int			mark = out->sql.len;
			char	   *v;
			const SurqlNode *o;

			/*
			 * the dialect's order of types first, then jsonb's within a
			 * type; paths as the rows hold them, links not followed (as
			 * SurrealQL orders the rows before FETCH)
			 */
			o = dllb_surql_aliased(s, s->order[i]);
			out->plain_paths = o == s->order[i];	/* an output name: as output */
			dllb_surql_value_sql(o, params, out, ti);
			out->plain_paths = false;
			v = pstrdup(out->sql.data + mark);
			out->sql.len = mark;
			out->sql.data[mark] = '\0';
			if (!grouped && strcmp(v, "to_jsonb(t.id::text)") == 0 && (s->order_mode == NULL || !s->order_mode[i]))
			{
				/* the record id: in dllb.record's order (t:9 before t:10, keys as values) */
				appendStringInfo(&out->sql, "%st.id%s", i > 0 ? ", " : "", s->desc[i] ? " DESC" : " ASC");
				continue;
			}
			appendStringInfo(&out->sql, "%sdllb.surql_rank(%s)%s, ", i > 0 ? ", " : "",
							 v, s->desc[i] ? " DESC" : "");
			if (s->order_mode && s->order_mode[i])
			{
				/*
				 * COLLATE: strings with case and accents folded; NUMERIC:
				 * numbers inside them by value; ties by the bytes
				 */
				const char *dir = s->desc[i] ? " DESC" : " ASC";

				appendStringInfo(&out->sql, "dllb.surql_order_key(%s, %s, %s) COLLATE \"C\"%s, "
								 "(CASE WHEN jsonb_typeof(%s) = 'string' THEN %s #>> '{}' END) COLLATE \"C\"%s, ",
								 v, s->order_mode[i] & SURQL_ORDER_COLLATE ? "true" : "false",
								 s->order_mode[i] & SURQL_ORDER_NUMERIC ? "true" : "false", dir, v, v, dir);
			}
			appendStringInfo(&out->sql, "%s%s", v, s->desc[i] ? " DESC" : " ASC");
		}
	}
	else if (grouped)
	{
		for (i = 0; i < out->ngroup; i++)
			appendStringInfo(&out->sql, "%sdllb.surql_rank(%s), %s", i == 0 ? " ORDER BY " : ", ",
							 out->group_sql[i], out->group_sql[i]);
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
						 dllb_surql_add_param(out, record));
	}
	else
		appendStringInfoString(&out->sql, out->knn ? " ORDER BY t.knn_distance_, t.id" :
							   ti->is_subquery ? " ORDER BY t.ord_" : " ORDER BY t.id");
	out->grouping = false;
	if (s->limit)
	{
		appendStringInfoString(&out->sql, " LIMIT (");
		dllb_surql_value_sql(s->limit, params, out, NULL);
		appendStringInfoString(&out->sql, ")::numeric::bigint");
	}
	if (s->start)
	{
		appendStringInfoString(&out->sql, " OFFSET (");
		dllb_surql_value_sql(s->start, params, out, NULL);
		appendStringInfoString(&out->sql, ")::numeric::bigint");
	}
}

/*
 * fetch_wrap - FETCH f, ...: the SELECT's rows with the record ids in
 * those fields of the result replaced by their records
 * (dllb.fetch_fields); with SELECT VALUE f, FETCH f fetches the values
 */
void
dllb_surql_fetch_wrap(const SurqlStmt *s, SurqlSql *out)
{
	StringInfoData paths;
	char	   *inner = pstrdup(out->sql.data);
	int			i;
	int			k;

	for (i = 0; i < s->nfetch; i++)
		if (s->fetch[i]->kind != SN_FIELD || star_path(s->fetch[i]))
			dllb_surql_unsupported("FETCH of anything but a field");
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
				dllb_surql_unsupported("FETCH of another field than the one SELECT VALUE returns");
		}
		appendStringInfo(&out->sql, "SELECT dllb.fetch_value(f.r, dllb.dialect_schema()) FROM (%s) AS f(r)", inner);
		return;
	}
	initStringInfo(&paths);
	appendStringInfoChar(&paths, '[');
	for (i = 0; i < s->nfetch; i++)
		appendStringInfo(&paths, "%s%s", i ? ", " : "",
						 dllb_surql_json_string_array(s->fetch[i]->keys, s->fetch[i]->nitems));
	appendStringInfoChar(&paths, ']');
	appendStringInfo(&out->sql, "SELECT dllb.fetch_fields(f.r, $%d::jsonb, dllb.dialect_schema()) FROM (%s) AS f(r)",
					 dllb_surql_add_param(out, paths.data), inner);
}
