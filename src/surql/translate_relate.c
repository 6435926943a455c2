/*-------------------------------------------------------------------------
 *
 * translate_relate.c
 *	  RELATE from->edge[:key]->to: edge records.
 *
 * from and to are record ids, arrays of them, $params or subqueries
 * holding them (a record - an object with an id - stands for its id); one
 * edge is made for each pair (from, to), as SurrealQL does.  The edge
 * table is created on first write (dllb.create_edge_table).  The edge's id
 * is the key written after its table (->knows:k->), else the id of its
 * CONTENT, else a random key.  RELATE returns each edge as SELECT * would:
 * its id, in, out and fields.
 *
 * IDENTIFICATION
 *	  src/surql/translate_relate.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "surql/translate.h"

/* the records of a RELATE end, as SQL of one column (dllb.surql_records) */
static char *
end_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, const char *which)
{
	int			mark = out->sql.len;
	char	   *v;

	dllb_surql_value_sql(n, params, out, NULL);
	v = pstrdup(out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	return psprintf("SELECT r FROM dllb.surql_records(%s, '%s') AS x(r)", v, which);
}

void
dllb_surql_translate_relate(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	TableInfo  *eti;
	StringInfoData data;
	char	  **cols;
	char	   *from;
	char	   *to;
	char	   *id;
	int			c;

	eti = out->explain ? dllb_surql_lookup_table(s->rel_edge, "edge") :
		dllb_surql_create_edge_table(s->rel_edge);
	if (eti == NULL)
	{
		/* explaining a RELATE over an edge table that does not exist yet */
		out->no_rows = true;
		return;
	}
	from = end_sql(s->rel_from, params, out, "RELATE from");
	to = end_sql(s->rel_to, params, out, "RELATE to");
	if (s->rel_id)
		id = psprintf("($%d::jsonb #>> '{}')::dllb.record",
					  dllb_surql_add_param(out, dllb_surql_literal_json(s->rel_id, params)));
	else if (s->data == SD_CONTENT)
		id = dllb_surql_content_id(s, params, out, s->rel_edge);
	else if ((id = dllb_surql_set_id(&s, params, out, s->rel_edge)) == NULL)
		id = psprintf("dllb.record($%d, dllb.random_key())", dllb_surql_add_param(out, s->rel_edge));
	cols = palloc(sizeof(char *) * Max(eti->ncols, 1));
	initStringInfo(&data);
	dllb_surql_write_values(s, params, out, eti, NULL, "RELATE", &data, cols);
	appendStringInfo(&out->sql, "INSERT INTO %s AS t (id, \"in\", out, data", eti->rel);
	for (c = 0; c < eti->ncols; c++)
		if (cols[c])
			appendStringInfo(&out->sql, ", %s", quote_identifier(eti->cols[c]));
	appendStringInfo(&out->sql, ") SELECT %s, f_.r, t_.r, %s", id, data.data);
	for (c = 0; c < eti->ncols; c++)
		if (cols[c])
			appendStringInfo(&out->sql, ", %s", cols[c]);
	appendStringInfo(&out->sql, " FROM (%s) AS f_(r), (%s) AS t_(r) RETURNING ", from, to);
	if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
		dllb_surql_returning_old(s, out, eti, "NULL::jsonb");	/* a new edge had no before */
	else
		dllb_surql_return_row(s, params, out, eti);
	if (s->ret == SR_NONE)
		out->discard = true;
}
