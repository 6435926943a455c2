/*-------------------------------------------------------------------------
 *
 * translate_udf.c
 *	  DEFINE FUNCTION, DEFINE PARAM, their REMOVE, and calls fn::name(...).
 *
 * The definitions live in dllb.db_definitions (src/surql/40_udf.sql), one
 * row per function or param of the dialect's current schema: the text
 * INFO FOR DB shows, a function's canonical text (which a call parses
 * again) and a param's value, evaluated once when it is defined.  A call
 * fn::name(a, b) becomes dllb.surql_fn('name', ARRAY[a, b]), which runs
 * the body (query.c); a $param that neither the call nor a LET bound is
 * read from the definitions when a dllb.query call starts.
 *
 * IDENTIFICATION
 *	  src/surql/translate_udf.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "surql/translate.h"

static const char *
define_mode(const SurqlStmt *s)
{
	return s->if_not_exists ? "if not exists" : s->overwrite ? "overwrite" : "";
}

/*
 * DEFINE FUNCTION fn::name(...) { ... }: the definition as INFO FOR DB
 * shows it, and the statement's canonical text without IF NOT EXISTS or
 * OVERWRITE (what a call parses)
 */
void
dllb_surql_translate_define_function(const SurqlStmt *s, SurqlSql *out)
{
	SurqlStmt	plain = *s;
	StringInfoData def;
	StringInfoData src;

	plain.if_not_exists = false;
	plain.overwrite = false;
	initStringInfo(&def);
	dllb_surql_print_definition(&def, &plain);
	initStringInfo(&src);
	dllb_surql_print_stmt(&src, &plain);
	appendStringInfo(&out->sql,
					 "SELECT NULL::jsonb FROM dllb.db_define('function', $%d, $%d, $%d, NULL, $%d)",
					 dllb_surql_add_param(out, s->name), dllb_surql_add_param(out, def.data),
					 dllb_surql_add_param(out, src.data),
					 dllb_surql_add_param(out, define_mode(s)));
	out->discard = true;
}

/* DEFINE PARAM $name VALUE e: e evaluated now, kept as the param's value */
void
dllb_surql_translate_define_param(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	SurqlStmt	plain = *s;
	StringInfoData def;
	int			name;
	int			text;

	plain.if_not_exists = false;
	plain.overwrite = false;
	initStringInfo(&def);
	dllb_surql_print_definition(&def, &plain);
	name = dllb_surql_add_param(out, s->name);
	text = dllb_surql_add_param(out, def.data);
	appendStringInfo(&out->sql, "SELECT NULL::jsonb FROM dllb.db_define('param', $%d, $%d, NULL, ",
					 name, text);
	dllb_surql_value_sql(s->expr, params, out, NULL);
	appendStringInfo(&out->sql, ", $%d)", dllb_surql_add_param(out, define_mode(s)));
	out->discard = true;
}

/* REMOVE FUNCTION fn::name, REMOVE PARAM $name */
void
dllb_surql_translate_remove_udf(const SurqlStmt *s, SurqlSql *out)
{
	appendStringInfo(&out->sql, "SELECT NULL::jsonb FROM dllb.db_remove('%s', $%d, %s)",
					 s->kind == SS_REMOVE_FUNCTION ? "function" : "param",
					 dllb_surql_add_param(out, s->name), s->if_not_exists ? "true" : "false");
	out->discard = true;
}

/*
 * a call fn::name(args): dllb.surql_fn with its arguments as a jsonb[]
 * (an SQL NULL element is NONE)
 */
void
dllb_surql_udf_call_sql(const SurqlNode *n, StringInfo sql, SurqlArgSql arg_sql, void *cx)
{
	char	  **args = palloc(sizeof(char *) * (n->nitems + 1));
	char	   *name;
	int			i;

	/* every argument first: arg_sql uses the end of sql as scratch */
	for (i = 0; i < n->nitems; i++)
		args[i] = arg_sql(n->items[i], cx);
	name = quote_literal_cstr(n->str + 4);
	appendStringInfo(sql, "dllb.surql_fn(%s, ARRAY[", name);
	for (i = 0; i < n->nitems; i++)
		appendStringInfo(sql, "%s(%s)::jsonb", i ? ", " : "", args[i]);
	appendStringInfoString(sql, "]::jsonb[])");
}
