/*-------------------------------------------------------------------------
 *
 * translate.c
 *	  Parsed statements to SQL over dllb's tables: the entry points.
 *
 * A document is a row (id dllb.record, data jsonb) of a table registered
 * in dllb.tables in the current schema.  Every value of a translated
 * expression is jsonb: a field path is jsonb_extract_path(data, ...) (id
 * is the record id as a string), a literal or $param is a bound text
 * parameter cast to jsonb, comparisons use jsonb's operators (a missing
 * field compares false), CONTAINS and IN use jsonb containment,
 * arithmetic goes through numeric.  Names reach SQL only as parameters or
 * as the regclass of a registered table; literals only as parameters.
 * What is not translated is refused with "not supported yet" (0A000),
 * never misread.
 *
 * One file per statement family, all behind translate.h:
 *	translate.c            this dispatch, and IF's condition
 *	translate_expr.c       expressions and values (dllb_surql_value_sql, _bool_sql)
 *	translate_functions.c  the dialect's functions, one table
 *	translate_tables.c     dllb tables as statements see them, targets
 *	translate_select.c     SELECT, subqueries, GROUP, FETCH
 *	translate_write.c      CREATE, INSERT, UPDATE, UPSERT, DELETE
 *	translate_relate.c     RELATE
 *	translate_graph.c      graph paths (->e->t), recursion
 *	translate_search.c     full-text matches and nearest neighbours
 *	translate_define.c     DEFINE, REMOVE and INFO
 *	translate_live.c       LIVE SELECT and KILL (src/reactive runs them)
 *	translate_event.c      DEFINE EVENT and REMOVE EVENT
 *	translate_changefeed.c DEFINE TABLE ... CHANGEFEED, SHOW CHANGES
 *
 * IDENTIFICATION
 *	  src/surql/translate.c
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
			dllb_surql_translate_select(s, params, out);
			if (s->nfetch > 0 && !out->no_rows)
				dllb_surql_fetch_wrap(s, out);
			if (s->only && !out->no_rows && !out->explain)
			{
				/*
				 * SELECT ... FROM ONLY: more than one result is an error, and
				 * so is none unless a record id (or a $param) is read
				 */
				char	   *inner = pstrdup(out->sql.data);
				bool		none_ok = false;
				int			i;

				for (i = 0; i < s->nfrom; i++)
					if ((s->from[i]->kind == SN_RECORD && !s->from[i]->flag) ||
						s->from[i]->kind == SN_PARAM)
						none_ok = true;
				resetStringInfo(&out->sql);
				if (none_ok)
					appendStringInfo(&out->sql,
									 "SELECT CASE WHEN count(*) OVER () > 1 THEN dllb.surql_throw("
									 "'\"Expected a single result output when using the ONLY keyword\"') "
									 "ELSE q_.r END FROM (%s) AS q_(r)", inner);
				else
					appendStringInfo(&out->sql,
									 "SELECT CASE WHEN q_.c IS NULL OR q_.c > 1 THEN dllb.surql_throw("
									 "'\"Expected a single result output when using the ONLY keyword\"') "
									 "ELSE q_.r END FROM (SELECT 1) AS one_ LEFT JOIN "
									 "(SELECT x_.r, count(*) OVER () AS c FROM (%s) AS x_(r)) AS q_ ON true",
									 inner);
			}
			break;
		case SS_CREATE:
			dllb_surql_translate_create(s, params, out);
			break;
		case SS_UPDATE:
			dllb_surql_translate_update(s, params, out);
			break;
		case SS_UPSERT:
			dllb_surql_translate_upsert(s, params, out);
			break;
		case SS_DELETE:
			dllb_surql_translate_delete(s, params, out);
			break;
		case SS_RELATE:
			dllb_surql_translate_relate(s, params, out);
			break;
		case SS_THROW:
			/* THROW e: an error whose message is e (P0001) */
			appendStringInfoString(&out->sql, "SELECT dllb.surql_throw(");
			dllb_surql_value_sql(s->expr, params, out, NULL);
			appendStringInfoChar(&out->sql, ')');
			break;
		case SS_LET:
		case SS_RETURN:
		case SS_EXPR:
			appendStringInfoString(&out->sql, "SELECT ");
			dllb_surql_value_sql(s->expr, params, out, NULL);
			break;
		case SS_DEFINE_TABLE:
			dllb_surql_translate_define_table(s, out);
			if (s->changefeed)
				dllb_surql_translate_changefeed(s, out);
			break;
		case SS_DEFINE_FIELD:
			dllb_surql_translate_define_field(s, params, out);
			break;
		case SS_REMOVE_TABLE:
			dllb_surql_translate_remove_table(s, out);
			break;
		case SS_REMOVE_FIELD:
			dllb_surql_translate_remove_field(s, out);
			break;
		case SS_DEFINE_INDEX:
			dllb_surql_translate_define_index(s, out);
			break;
		case SS_REMOVE_INDEX:
			dllb_surql_translate_remove_index(s, out);
			break;
		case SS_INFO:
			dllb_surql_translate_info(s, out);
			break;
		case SS_DEFINE_ANALYZER:
			dllb_surql_translate_define_analyzer(s, out);
			break;
		case SS_REMOVE_ANALYZER:
			dllb_surql_translate_remove_analyzer(s, out);
			break;
		case SS_INSERT:
			dllb_surql_translate_insert(s, params, out);
			break;
		case SS_LIVE:
			dllb_surql_translate_live(s, params, out);
			break;
		case SS_KILL:
			dllb_surql_translate_kill(s, params, out);
			break;
		case SS_DEFINE_EVENT:
			dllb_surql_translate_define_event(s, out);
			break;
		case SS_REMOVE_EVENT:
			dllb_surql_translate_remove_event(s, out);
			break;
		case SS_SHOW_CHANGES:
			dllb_surql_translate_show_changes(s, params, out);
			break;
		case SS_DEFINE_FUNCTION:
			dllb_surql_translate_define_function(s, out);
			break;
		case SS_DEFINE_PARAM:
			dllb_surql_translate_define_param(s, params, out);
			break;
		case SS_REMOVE_FUNCTION:
		case SS_REMOVE_PARAM:
			dllb_surql_translate_remove_udf(s, out);
			break;
		case SS_SLEEP:
			/* SLEEP d: pg_sleep for d, no rows */
			appendStringInfo(&out->sql, "SELECT NULL::jsonb FROM pg_sleep(extract(epoch FROM $%d::interval))",
							 dllb_surql_add_param(out, dllb_surql_duration_interval(s->expr->str)));
			out->discard = true;
			break;
		case SS_BEGIN:
		case SS_COMMIT:
		case SS_CANCEL:
		case SS_IF:
		case SS_FOR:
		case SS_BREAK:
		case SS_CONTINUE:
			/* run by query.c itself (translate_control.c) */
			dllb_surql_unsupported("a transaction statement or IF in this place");
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
	dllb_surql_bool_sql(cond, params, out, NULL);
	appendStringInfoString(&out->sql, ", false))");
}
