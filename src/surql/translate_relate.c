/*-------------------------------------------------------------------------
 *
 * translate_relate.c
 *	  RELATE from->edge->to: one edge record.
 *
 * IDENTIFICATION
 *	  src/surql/translate_relate.c
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
dllb_surql_translate_relate(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	TableInfo	none = {0};
	TableInfo  *eti;
	StringInfoData data;
	char	  **cols;
	int			c;

	if (!dllb_surql_is_literal(s->rel_from) || !dllb_surql_is_literal(s->rel_to))
		dllb_surql_unsupported("RELATE between anything but record ids and $params");
	eti = dllb_surql_lookup_table(s->rel_edge, "edge");
	if (eti == NULL || eti->ncols == 0)
		eti = &none;
	cols = palloc(sizeof(char *) * Max(eti->ncols, 1));
	initStringInfo(&data);
	dllb_surql_write_values(s, params, out, eti, NULL, "RELATE", &data, cols);
	if (eti->ncols == 0)
	{
		/* dllb.relate creates the edge table on first write */
		appendStringInfoString(&out->sql,
							   "SELECT jsonb_build_object('id', r::text) FROM dllb.relate((");
		dllb_surql_value_sql(s->rel_from, params, out, NULL);
		appendStringInfo(&out->sql, " #>> '{}')::dllb.record, $%d, (", dllb_surql_add_param(out, s->rel_edge));
		dllb_surql_value_sql(s->rel_to, params, out, NULL);
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
						 dllb_surql_add_param(out, s->rel_edge));
		dllb_surql_value_sql(s->rel_from, params, out, NULL);
		appendStringInfoString(&out->sql, " #>> '{}')::dllb.record, (");
		dllb_surql_value_sql(s->rel_to, params, out, NULL);
		appendStringInfo(&out->sql, " #>> '{}')::dllb.record, %s", data.data);
		for (c = 0; c < eti->ncols; c++)
			if (cols[c])
				appendStringInfo(&out->sql, ", %s", cols[c]);
		appendStringInfoString(&out->sql, ") RETURNING jsonb_build_object('id', t.id::text)");
	}
	if (s->ret == SR_NONE)
		out->discard = true;
}
