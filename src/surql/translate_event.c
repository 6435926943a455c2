/*-------------------------------------------------------------------------
 *
 * translate_event.c
 *	  DEFINE EVENT and REMOVE EVENT.
 *
 * DEFINE EVENT e ON t [WHEN cond] THEN stmt | { stmts } becomes
 * dllb.define_event (the reactive layer, src/reactive/event.c) with the
 * canonical text of the condition and of the statements, which the
 * event's trigger runs through dllb.query after each change of t (a
 * document table, made when missing, as SurrealQL does).  REMOVE EVENT e
 * ON t becomes dllb.remove_event; its table must exist (42P01).
 *
 * IDENTIFICATION
 *	  src/surql/translate_event.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "surql/translate.h"

/* REMOVE EVENT's table, which must exist */
static TableInfo *
event_table(const SurqlStmt *s)
{
	TableInfo  *ti = dllb_surql_lookup_any_table(s->name);

	if (ti == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\" does not exist", s->name)));
	return ti;
}

/* the canonical text of statements, ;-separated on one line */
static char *
stmts_text(SurqlStmt **stmts, int n)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < n; i++)
	{
		SurqlParse	one;
		char	   *text;
		size_t		len;

		memset(&one, 0, sizeof(one));
		one.stmts = &stmts[i];
		one.nstmts = 1;
		text = dllb_surql_print(&one);
		len = strlen(text);
		if (len >= 2 && strcmp(text + len - 2, ";\n") == 0)
			text[len - 2] = '\0';
		appendStringInfo(&buf, "%s%s", i ? "; " : "", text);
	}
	return buf.data;
}

void
dllb_surql_translate_define_event(const SurqlStmt *s, SurqlSql *out)
{
	TableInfo  *ti = dllb_surql_lookup_any_table(s->name);
	int			rel;
	int			name;
	int			body;

	if (ti == NULL)
	{
		/* as SurrealQL does, an event defines its (document) table */
		if (out->explain)
		{
			out->no_rows = true;
			return;
		}
		ti = dllb_surql_create_table(s->name);
	}
	rel = dllb_surql_add_param(out, ti->rel);
	name = dllb_surql_add_param(out, s->field);
	body = dllb_surql_add_param(out, stmts_text(s->body, s->nbody));

	if (s->where)
	{
		StringInfoData cond;

		initStringInfo(&cond);
		dllb_surql_print_expr(&cond, s->where);
		appendStringInfo(&out->sql,
						 "SELECT NULL::jsonb FROM dllb.define_event($%d::regclass, $%d, $%d, $%d)",
						 rel, name, dllb_surql_add_param(out, cond.data), body);
	}
	else
		appendStringInfo(&out->sql,
						 "SELECT NULL::jsonb FROM dllb.define_event($%d::regclass, $%d, NULL, $%d)",
						 rel, name, body);
	out->discard = true;
}

void
dllb_surql_translate_remove_event(const SurqlStmt *s, SurqlSql *out)
{
	TableInfo  *ti = event_table(s);

	appendStringInfo(&out->sql,
					 "SELECT NULL::jsonb FROM dllb.remove_event($%d::regclass, $%d)",
					 dllb_surql_add_param(out, ti->rel), dllb_surql_add_param(out, s->field));
	out->discard = true;
}
