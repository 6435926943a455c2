/*-------------------------------------------------------------------------
 *
 * translate_live.c
 *	  LIVE SELECT and KILL.
 *
 * LIVE SELECT [DIFF] ... becomes a call of dllb.live_select (the reactive
 * layer, src/reactive) with its canonical text and the statement's
 * parameters; that function parses the text again and asks
 * dllb_surql_live_sql below for the SQL of the live query's condition and
 * result over one row of its table (row alias t, literals written in, so
 * the SQL can be kept and run later by any session), then registers it.
 * The statement's one row is the live query's id.  KILL id becomes
 * dllb.live_kill.
 *
 * A live query reads one document or edge table (FROM t), with WHERE,
 * FETCH and the fields of a SELECT; what would make a record's result
 * depend on other records - GROUP, ORDER BY, LIMIT, START, graph paths,
 * subqueries, nearest neighbours, full-text matches - is refused (0A000).
 *
 * IDENTIFICATION
 *	  src/surql/translate_live.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"

#include "model/model.h"
#include "surql/translate.h"

/* refuse what a live query's record-by-record evaluation cannot do */
static void
check_live_expr(const SurqlNode *n)
{
	int			i;

	if (n == NULL)
		return;
	switch (n->kind)
	{
		case SN_GRAPH:
		case SN_STEP:
		case SN_RECURSE:
			dllb_surql_unsupported("a graph path in LIVE SELECT");
		case SN_SUBQUERY:
			dllb_surql_unsupported("a subquery in LIVE SELECT");
		case SN_KNN:
			dllb_surql_unsupported("a nearest-neighbour condition in LIVE SELECT");
		case SN_MATCH:
			dllb_surql_unsupported("a full-text match in LIVE SELECT");
		case SN_CALL:
			if (pg_strncasecmp(n->str, "search::", 8) == 0 ||
				pg_strcasecmp(n->str, "vector::distance::knn") == 0)
				dllb_surql_unsupported("search and nearest-neighbour functions in LIVE SELECT");
			break;
		default:
			break;
	}
	check_live_expr(n->a);
	check_live_expr(n->b);
	check_live_expr(n->key);
	if (n->kind != SN_FIELD && n->kind != SN_PARAM)
		for (i = 0; i < n->nitems; i++)
			check_live_expr(n->items[i]);
}

/* the canonical text of one statement, without the ;\n the printer ends it with */
static char *
stmt_text(const SurqlStmt *s)
{
	SurqlParse	one;
	SurqlStmt  *copy = palloc(sizeof(SurqlStmt));
	char	   *text;
	size_t		len;

	memset(&one, 0, sizeof(one));
	*copy = *s;
	one.stmts = &copy;
	one.nstmts = 1;
	text = dllb_surql_print(&one);
	len = strlen(text);
	if (len >= 2 && strcmp(text + len - 2, ";\n") == 0)
		text[len - 2] = '\0';
	return text;
}

/*
 * dllb_surql_live_sql - the table of a live query's SELECT (s: SS_SELECT or
 * SS_LIVE), and the SQL of its condition (a boolean) and of its result (a
 * jsonb, as SELECT returns it) over the table's row alias t, parameters
 * written in as literals.  Inside SPI.
 */
Oid
dllb_surql_live_sql(const SurqlStmt *s, Jsonb *params, char **cond_sql, char **proj_sql)
{
	char	   *record = NULL;
	const char *name;
	TableInfo  *ti;
	SurqlSql   *out = palloc0(sizeof(SurqlSql));
	Oid			relid;
	char	   *nsp;
	int			i;

	if (s->nfrom != 1 || s->from[0]->kind == SN_SUBQUERY)
		dllb_surql_unsupported("LIVE SELECT of anything but one table");
	if (s->group_all || s->ngroup > 0)
		dllb_surql_unsupported("GROUP in LIVE SELECT");
	if (s->norder > 0 || s->limit || s->start)
		dllb_surql_unsupported("ORDER BY, LIMIT and START in LIVE SELECT");
	name = dllb_surql_target_of(s, params, &record, false);
	if (record != NULL)
		dllb_surql_unsupported("LIVE SELECT of a record (select its table WHERE id = the record)");
	ti = name ? dllb_surql_lookup_any_table(name) : NULL;
	if (ti == NULL)
	{
		Oid			nsp_id = dllb_dialect_namespace();

		if (name && OidIsValid(get_relname_relid(name, nsp_id)))
			ereport(ERROR,
					(errcode(ERRCODE_WRONG_OBJECT_TYPE),
					 errmsg("relation \"%s\" is not a dllb table", name),
					 errhint("A live query watches a dllb table of the current schema.")));
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\" does not exist", name ? name : "?"),
				 errhint("A live query watches a dllb table of the current schema.")));
	}
	for (i = 0; i < s->nfields; i++)
		check_live_expr(s->fields[i]);
	check_live_expr(s->where);
	relid = DatumGetObjectId(DirectFunctionCall1(regclassin, CStringGetDatum(ti->rel)));
	nsp = get_namespace_name(get_rel_namespace(relid));

	/* the condition */
	initStringInfo(&out->sql);
	if (s->where)
	{
		out->filtering = true;
		dllb_surql_bool_sql(s->where, params, out, ti);
		out->filtering = false;
	}
	else
		appendStringInfoString(&out->sql, "true");
	*cond_sql = dllb_surql_inline_params(out);

	/* the result */
	memset(out, 0, sizeof(SurqlSql));
	initStringInfo(&out->sql);
	if (s->value)
		dllb_surql_value_sql(s->fields[0], params, out, ti);
	else if (s->nfields == 1 && s->fields[0]->kind == SN_ALL)
		dllb_surql_row_json(&out->sql, ti, "t");
	else
	{
		appendStringInfoString(&out->sql, "jsonb_build_object(");
		for (i = 0; i < s->nfields; i++)
		{
			StringInfoData name_buf;

			if (s->fields[i]->kind == SN_ALL)
				dllb_surql_unsupported("* beside other fields");
			initStringInfo(&name_buf);
			if (s->aliases[i])
				appendStringInfoString(&name_buf, s->aliases[i]);
			else
				dllb_surql_print_expr(&name_buf, s->fields[i]);
			appendStringInfo(&out->sql, "%s$%d::text, ", i > 0 ? ", " : "",
							 dllb_surql_add_param(out, name_buf.data));
			dllb_surql_value_sql(s->fields[i], params, out, ti);
		}
		appendStringInfoChar(&out->sql, ')');
	}
	if (s->nfetch > 0)
	{
		/* FETCH, as dllb_surql_fetch_wrap does, in the table's schema */
		char	   *inner = pstrdup(out->sql.data);

		for (i = 0; i < s->nfetch; i++)
			if (s->fetch[i]->kind != SN_FIELD)
				dllb_surql_unsupported("FETCH of anything but a field");
		resetStringInfo(&out->sql);
		if (s->value)
		{
			const SurqlNode *v = s->fields[0];

			for (i = 0; i < s->nfetch; i++)
			{
				const SurqlNode *f = s->fetch[i];
				bool		same = v->kind == SN_FIELD && v->nitems == f->nitems;
				int			k;

				for (k = 0; same && k < f->nitems; k++)
					same = strcmp(v->keys[k], f->keys[k]) == 0;
				if (!same)
					dllb_surql_unsupported("FETCH of another field than the one SELECT VALUE returns");
			}
			appendStringInfo(&out->sql, "dllb.fetch_value(%s, $%d)", inner,
							 dllb_surql_add_param(out, nsp));
		}
		else
		{
			StringInfoData paths;

			initStringInfo(&paths);
			appendStringInfoChar(&paths, '[');
			for (i = 0; i < s->nfetch; i++)
				appendStringInfo(&paths, "%s%s", i ? ", " : "",
								 dllb_surql_json_string_array(s->fetch[i]->keys,
															  s->fetch[i]->nitems));
			appendStringInfoChar(&paths, ']');
			appendStringInfo(&out->sql, "dllb.fetch_fields(%s, $%d::jsonb, $%d)", inner,
							 dllb_surql_add_param(out, paths.data),
							 dllb_surql_add_param(out, nsp));
		}
	}
	*proj_sql = dllb_surql_inline_params(out);
	return relid;
}

/*
 * LIVE SELECT [DIFF] ...: dllb.live_select(its text, the parameters); one
 * row, the live query's id
 */
void
dllb_surql_translate_live(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	int			text = dllb_surql_add_param(out, stmt_text(s));
	int			values = dllb_surql_add_param(out, params ?
											  JsonbToCString(NULL, &params->root, VARSIZE(params)) :
											  "{}");

	appendStringInfo(&out->sql,
					 "SELECT pg_catalog.to_jsonb(dllb.live_select($%d, $%d::jsonb)::text)",
					 text, values);
}

/* KILL id: dllb.live_kill; no rows */
void
dllb_surql_translate_kill(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	if (!dllb_surql_is_literal(s->expr))
		dllb_surql_unsupported("KILL of anything but a live query's id (a string or a $param)");
	appendStringInfo(&out->sql,
					 "SELECT NULL::jsonb FROM dllb.live_kill(($%d::jsonb OPERATOR(pg_catalog.#>>) '{}')::uuid)",
					 dllb_surql_add_param(out, dllb_surql_literal_json(s->expr, params)));
	out->discard = true;
}
