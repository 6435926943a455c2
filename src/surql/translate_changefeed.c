/*-------------------------------------------------------------------------
 *
 * translate_changefeed.c
 *	  DEFINE TABLE ... CHANGEFEED and SHOW CHANGES.
 *
 * DEFINE TABLE t CHANGEFEED 7d [INCLUDE ORIGINAL] defines the table as
 * DEFINE TABLE does, then calls dllb.define_changefeed (the reactive
 * layer, src/reactive/changefeed.c) with the duration as an interval.
 * SHOW CHANGES FOR TABLE t SINCE v [LIMIT n] becomes dllb.show_changes:
 * one row per committed transaction, {"versionstamp": v, "changes": [...]}.
 * SINCE takes a versionstamp (an integer) or a datetime (d'...'), either
 * as a literal or a $param.
 *
 * IDENTIFICATION
 *	  src/surql/translate_changefeed.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "surql/translate.h"

/* a duration (1h30m, 7d, 500ms) as interval text (1 hours 30 minutes) */
char *
dllb_surql_duration_interval(const char *d)
{
	static const char *const units[][2] = {
		{"ms", "milliseconds"}, {"us", "microseconds"}, {"ns", "nanoseconds"},
		{"y", "years"}, {"w", "weeks"}, {"d", "days"}, {"h", "hours"},
		{"m", "minutes"}, {"s", "seconds"}};
	StringInfoData buf;
	const char *c = d;

	initStringInfo(&buf);
	while (*c)
	{
		const char *start = c;
		int			i;

		while (isdigit((unsigned char) *c))
			c++;
		for (i = 0; i < lengthof(units); i++)
			if (strncmp(c, units[i][0], strlen(units[i][0])) == 0)
				break;
		if (i == lengthof(units))
			elog(ERROR, "bad duration \"%s\"", d);	/* the parser checked it */
		if (strcmp(units[i][0], "ns") == 0)
			/* an interval counts microseconds */
			appendStringInfo(&buf, "%s%.3f microseconds", buf.len ? " " : "",
							 strtod(start, NULL) / 1000.0);
		else
			appendStringInfo(&buf, "%s%.*s %s", buf.len ? " " : "", (int) (c - start), start,
							 units[i][1]);
		c += strlen(units[i][0]);
	}
	return buf.data;
}

/*
 * DEFINE TABLE ... CHANGEFEED: out holds DEFINE TABLE's SQL (one row, once
 * the table exists); the feed is defined after it, in the same statement
 * (the LATERAL reference makes it run second)
 */
void
dllb_surql_translate_changefeed(const SurqlStmt *s, SurqlSql *out)
{
	char	   *table_sql = pstrdup(out->sql.data);

	resetStringInfo(&out->sql);
	appendStringInfo(&out->sql,
					 "WITH t_(x) AS MATERIALIZED (%s) "
					 "SELECT NULL::jsonb FROM t_ CROSS JOIN LATERAL dllb.define_changefeed("
					 "CASE WHEN t_.x IS NULL THEN pg_catalog.format('%%I.%%I', dllb.dialect_schema(), "
					 "$%d::text)::regclass END, $%d::interval, $%d::boolean) AS f_",
					 table_sql, dllb_surql_add_param(out, s->name),
					 dllb_surql_add_param(out, dllb_surql_duration_interval(s->changefeed)),
					 dllb_surql_add_param(out, s->include_original ? "true" : "false"));
	out->discard = true;
}

/* SHOW CHANGES FOR TABLE t SINCE v [LIMIT n] */
void
dllb_surql_translate_show_changes(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	TableInfo  *ti = dllb_surql_lookup_any_table(s->name);
	char	   *since;
	char	   *limit = NULL;

	if (ti == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\" does not exist", s->name)));
	if (!dllb_surql_is_literal(s->expr) || (s->limit && !dllb_surql_is_literal(s->limit)))
		dllb_surql_unsupported("SHOW CHANGES with SINCE or LIMIT other than a value");
	since = dllb_surql_literal_json(s->expr, params);
	if (s->limit)
	{
		limit = dllb_surql_literal_json(s->limit, params);
		if (!(isdigit((unsigned char) limit[0])) || strchr(limit, '.') || strchr(limit, 'e'))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("LIMIT of SHOW CHANGES must be a whole number, not %s", limit)));
	}
	if (isdigit((unsigned char) since[0]) || since[0] == '-')
		appendStringInfo(&out->sql,
						 "SELECT r FROM dllb.show_changes($%d::regclass, ($%d::jsonb)::bigint, NULL, %s) AS r",
						 dllb_surql_add_param(out, ti->rel), dllb_surql_add_param(out, since),
						 limit ? psprintf("($%d::jsonb)::int4", dllb_surql_add_param(out, limit)) : "100");
	else if (since[0] == '"')
		appendStringInfo(&out->sql,
						 "SELECT r FROM dllb.show_changes($%d::regclass, NULL, ($%d::jsonb OPERATOR(pg_catalog.#>>) '{}')::timestamptz, %s) AS r",
						 dllb_surql_add_param(out, ti->rel), dllb_surql_add_param(out, since),
						 limit ? psprintf("($%d::jsonb)::int4", dllb_surql_add_param(out, limit)) : "100");
	else
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("SINCE takes a versionstamp or a datetime, not %s", since)));
}
