/*-------------------------------------------------------------------------
 *
 * translate_write.c
 *	  The writes: CREATE, INSERT, UPDATE, UPSERT and DELETE.
 *
 * IDENTIFICATION
 *	  src/surql/translate_write.c
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

/* whether literal key k is the key of record literal rec */
static bool
same_key(const SurqlNode *rec, const SurqlNode *k)
{
	const SurqlNode *rk = rec->key;

	if (rk == NULL || k == NULL || rk->kind != k->kind)
		return false;
	if (k->kind == SN_INT)
		return k->ival == rk->ival;
	return k->kind == SN_STRING && strcmp(k->str, rk->str) == 0;
}

/*
 * check_settable - SET f = v on the records of s: the id only to the one
 * it has (CREATE t:1 SET id = 1, or = t:1: nothing to do; returns false),
 * otherwise an error
 */
static bool
check_settable(const SurqlStmt *s, const SurqlNode *f, const SurqlNode *v)
{
	const SurqlNode *target = s->nfrom == 1 ? s->from[0] : NULL;

	if (strcmp(f->keys[0], "id") != 0)
		return true;
	if (f->nitems == 1 && f->op == 0 && target && target->kind == SN_RECORD && !target->flag &&
		(same_key(target, v) ||
		 (v->kind == SN_RECORD && !v->flag && strcmp(v->str, target->str) == 0 &&
		  same_key(target, v->key))))
		return false;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("the id of a record cannot be set"),
			 errdetail("SET id = v is allowed only when v is the record's own id or key.")));
	return false;
}

static void
undefined_field(const TableInfo *ti, const char *field)
{
	Datum		arg[2];
	Oid			types[2] = {TEXTOID, TEXTOID};

	/* a field DEFINE FIELD defined without a TYPE (in data) is defined too */
	arg[0] = CStringGetTextDatum(ti->rel);
	arg[1] = CStringGetTextDatum(field);
	if (SPI_execute_with_args("SELECT coalesce(dllb.definitions($1::regclass) -> 'fields' ? $2, false)",
							  2, types, arg, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "reading the definitions of a table failed");
	if (strcmp(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), "t") == 0)
		return;
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

			if (strcmp(key, "id") != 0 && dllb_surql_column_of(ti, key) < 0)
				undefined_field(ti, key);
		}
}

/*
 * strip_none_fields - a copy of a written value without the fields of its
 * objects (nested ones too, also inside arrays) that are NONE literals: a
 * record does not keep a field that is NONE (an array keeps its NONE
 * elements)
 */
static const SurqlNode *
strip_none_fields(const SurqlNode *n)
{
	SurqlNode  *c;
	int			i;
	int			k = 0;

	check_stack_depth();
	if (n == NULL || (n->kind != SN_OBJECT && n->kind != SN_ARRAY))
		return n;
	c = palloc(sizeof(SurqlNode));
	memcpy(c, n, sizeof(SurqlNode));
	c->items = palloc(sizeof(SurqlNode *) * Max(n->nitems, 1));
	if (n->kind == SN_OBJECT)
		c->keys = palloc(sizeof(char *) * Max(n->nitems, 1));
	for (i = 0; i < n->nitems; i++)
	{
		if (n->kind == SN_OBJECT && n->items[i]->kind == SN_NONE)
			continue;
		if (n->kind == SN_OBJECT)
			c->keys[k] = n->keys[i];
		c->items[k++] = (SurqlNode *) strip_none_fields(n->items[i]);
	}
	c->nitems = k;
	return c;
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
void
dllb_surql_write_values(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const TableInfo *ti,
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
			{
				StringInfoData keys;
				StringInfoData vals;
				List	   *nested = NIL;
				ListCell   *lc;
				int			ntop = 0;
				char	  **set_sql = palloc0(sizeof(char *) * Max(s->nset, 1));

				initStringInfo(&keys);
				initStringInfo(&vals);
				for (i = 0; i < s->nset; i++)
				{
					StringInfoData v;
					const SurqlNode *f = s->set_fields[i];

					if (!check_settable(s, f, s->set_values[i]))
						continue;
					c = dllb_surql_column_of(ti, f->keys[0]);
					if (c < 0 && ti->schemafull)
						undefined_field(ti, f->keys[0]);
					if (c >= 0 && f->nitems > 1 && !ti->is_json[c])
						dllb_surql_unsupported("SET on a field inside a typed field that is not an object");
					initStringInfo(&v);
					/* value_sql writes into out->sql: build it there, then move it */
					{
						int			mark = out->sql.len;

						if (f->op == TK_PLUS || f->op == TK_MINUS)
						{
							/* f += v, f -= v: from the field's value (NONE in a new record) */
							int			prev;

							appendStringInfo(&out->sql, "dllb.surql_compound('%s', ",
											 f->op == TK_PLUS ? "+" : "-");
							/* after an earlier SET of the same field, from that value */
							for (prev = i - 1; prev >= 0; prev--)
								if (set_sql[prev] && s->set_fields[prev]->nitems == 1 && f->nitems == 1 &&
									strcmp(s->set_fields[prev]->keys[0], f->keys[0]) == 0)
									break;
							if (prev >= 0)
								appendStringInfoString(&out->sql, set_sql[prev]);
							else if (row)
								dllb_surql_path_json(row, "t", f->keys, f->nitems, out);
							else
								appendStringInfoString(&out->sql, "NULL::jsonb");
							appendStringInfoString(&out->sql, ", ");
						}
						dllb_surql_value_sql(s->set_values[i], params, out, row);
						if (f->op == TK_PLUS || f->op == TK_MINUS)
							appendStringInfoChar(&out->sql, ')');
						appendBinaryStringInfo(&v, out->sql.data + mark, out->sql.len - mark);
						out->sql.len = mark;
						out->sql.data[mark] = '\0';
						set_sql[i] = v.data;
					}
					if (c >= 0 && f->nitems > 1)
					{
						/*
						 * o.a.b = v on a typed object field o: o (as an earlier
						 * SET left it, or stored) with v at a.b
						 */
						StringInfoData set;
						int			k;

						initStringInfo(&set);
						appendStringInfoString(&set, "dllb.json_set_path(");
						if (cols[c])
							appendStringInfoString(&set, cols[c]);
						else if (row)
							appendStringInfo(&set, "t.%s", quote_identifier(ti->cols[c]));
						else
							appendStringInfoString(&set, "NULL::jsonb");
						appendStringInfoString(&set, ", ARRAY[");
						for (k = 1; k < f->nitems; k++)
							appendStringInfo(&set, "%s$%d::text", k > 1 ? ", " : "",
											 dllb_surql_add_param(out, f->keys[k]));
						appendStringInfo(&set, "], %s)", v.data);
						cols[c] = set.data;
					}
					else if (c >= 0)
					{
						StringInfoData cast;

						initStringInfo(&cast);
						dllb_surql_cast_to_column(&cast, ti, c, v.data);
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
											 dllb_surql_add_param(out, f->keys[k]));
						appendStringInfo(&set, "], %s)", v.data);
						nested = lappend(nested, set.data);
					}
					else
					{
						appendStringInfo(&keys, "%s$%d::text", ntop ? ", " : "",
										 dllb_surql_add_param(out, f->keys[0]));
						appendStringInfo(&vals, "%s%s", ntop ? ", " : "", v.data);
						ntop++;
					}
				}
				/* a field set to NONE is removed (dllb.surql_patch) */
				appendStringInfo(data, "dllb.surql_patch(%s, ARRAY[%s]::text[], VARIADIC ARRAY[%s]::jsonb[])",
								 row ? "t.data" : "'{}'::jsonb", keys.data, vals.data);
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
					dllb_surql_unsupported(psprintf("%s ... MERGE", stmt));
				if (ti->schemafull)
				{
					if (!dllb_surql_is_literal(s->content))
						dllb_surql_unsupported("CONTENT or MERGE of a computed value on a SCHEMAFULL table");
					check_schemafull(ti, dllb_surql_literal_json(s->content, params));
				}
				initStringInfo(&content);
				/* an object, or a type mismatch that says which clause */
				appendStringInfoString(&content, "dllb.surql_content(");
				dllb_surql_value_sql(s->data == SD_CONTENT ? strip_none_fields(s->content) : s->content,
									 params, out, row);
				appendBinaryStringInfo(&content, out->sql.data + mark, out->sql.len - mark);
				appendStringInfo(&content, ", '%s')", s->data == SD_MERGE ? "MERGE" : "CONTENT");
				out->sql.len = mark;
				out->sql.data[mark] = '\0';
				/* MERGE merges nested objects too (SurrealQL's MERGE keeps their other fields) */
				appendStringInfo(data, "%s(%s - 'id'", s->data == SD_MERGE ? "dllb.surql_merge(t.data, " : "",
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
						dllb_surql_cast_to_column(&cast, ti, c, field);
						appendStringInfo(&cast, " ELSE t.%s END", quote_identifier(ti->cols[c]));
					}
					else
						dllb_surql_cast_to_column(&cast, ti, c, field);
					cols[c] = cast.data;
				}
				appendStringInfoChar(data, ')');
				if (s->data == SD_MERGE)
					appendStringInfoChar(data, ')');
				break;
			}
	}
}

/*
 * dllb_surql_return_row - what a write hands back for each record t: the
 * record (RETURN AFTER, the default), RETURN VALUE e, or RETURN f [AS a],
 * ... (an object of those, a NONE field left out)
 */
void
dllb_surql_return_row(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const TableInfo *ti)
{
	SurqlStmt	ret;
	const SurqlStmt *r;
	char	  **names;
	int			i;

	if (s->ret == SR_VALUE)
	{
		dllb_surql_value_sql(s->ret_fields[0], params, out, ti);
		return;
	}
	if (s->ret != SR_FIELDS)
	{
		dllb_surql_row_json(&out->sql, ti, "t");
		return;
	}
	/* RETURN type::field($f): the field $f names, named as it is */
	ret = *s;
	ret.fields = s->ret_fields;
	ret.aliases = s->ret_aliases;
	ret.nfields = s->nret;
	r = dllb_surql_resolve_field_calls(&ret, params);
	names = palloc(sizeof(char *) * r->nfields);
	for (i = 0; i < r->nfields; i++)
	{
		const SurqlNode *f = r->fields[i];

		if (r->aliases[i])
			names[i] = r->aliases[i];
		else if (f->kind == SN_FIELD && f->nitems == 1)
			names[i] = f->keys[0];
		else if (f->kind == SN_CALL)
			names[i] = f->str;
		else
		{
			StringInfoData buf;

			initStringInfo(&buf);
			dllb_surql_print_expr(&buf, f);
			names[i] = buf.data;
		}
	}
	dllb_surql_object_sql(out, names, r->fields, r->nfields, params, ti);
}

/* returning - what a CREATE or UPDATE hands back: the rows after it */
static void
returning(const SurqlStmt *s, SurqlSql *out, const char *stmt)
{
	if (s->ret == SR_NONE)
		out->discard = true;
	else if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
		dllb_surql_unsupported(psprintf("%s ... RETURN BEFORE or DIFF", stmt));
}

/*
 * dllb_surql_returning_old - RETURN BEFORE (the row as it was: before, an SQL
 * expression) or RETURN DIFF (a JSON Patch from it to the row after)
 */
/* reads_param - whether expression n reads $name (outside subqueries) */
static bool
reads_param(const SurqlNode *n, const char *name)
{
	int			i;

	if (n == NULL || n->kind == SN_SUBQUERY)
		return false;
	if (n->kind == SN_PARAM)
		return strcmp(n->str, name) == 0;
	if (reads_param(n->a, name) || reads_param(n->b, name) || reads_param(n->key, name))
		return true;
	for (i = 0; n->kind != SN_FIELD && n->items && i < n->nitems; i++)
		if (reads_param(n->items[i], name))
			return true;
	return false;
}

/* wants_old - whether a write must read its records as they were: RETURN BEFORE, DIFF or $before */
static bool
wants_old(const SurqlStmt *s)
{
	int			i;

	if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
		return true;
	for (i = 0; (s->ret == SR_VALUE || s->ret == SR_FIELDS) && i < s->nret; i++)
		if (reads_param(s->ret_fields[i], "before"))
			return true;
	return false;
}

/*
 * return_row_with - dllb_surql_return_row with $before (the record as it
 * was, the SQL before) and $after (the record after: after, or the row t
 * when NULL) bound in RETURN VALUE e and RETURN f, ...
 */
static void
return_row_with(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const TableInfo *ti,
				const char *before, const char *after)
{
	int			saved = out->nlocals;
	StringInfoData row;

	if (out->nlocals + 2 > SURQL_MAX_LOCALS)
		dllb_surql_unsupported("$before and $after here");
	if (after == NULL)
	{
		initStringInfo(&row);
		dllb_surql_row_json(&row, ti, "t");
		after = row.data;
	}
	out->local_names[out->nlocals] = "before";
	out->local_sql[out->nlocals++] = psprintf("(%s)", before);
	out->local_names[out->nlocals] = "after";
	out->local_sql[out->nlocals++] = psprintf("(%s)", after);
	dllb_surql_return_row(s, params, out, ti);
	out->nlocals = saved;
}

void
dllb_surql_returning_old(const SurqlStmt *s, SurqlSql *out, const TableInfo *ti, const char *before)
{
	if (s->ret == SR_BEFORE)
	{
		/* no record before (a new one): NONE */
		appendStringInfoString(&out->sql, before);
		return;
	}
	/* a new record: one replace of the whole document, as SurrealQL gives */
	appendStringInfo(&out->sql, "CASE WHEN %s IS NULL THEN jsonb_build_array(jsonb_build_object("
					 "'op', 'replace', 'path', '', 'value', ", before);
	dllb_surql_row_json(&out->sql, ti, "t");
	appendStringInfo(&out->sql, ")) ELSE dllb.json_diff(%s, ", before);
	dllb_surql_row_json(&out->sql, ti, "t");
	appendStringInfoString(&out->sql, ") END");
}

/*
 * dllb_surql_content_id - the id of a record that CREATE t CONTENT {...}
 * (or RELATE) makes in table name: the content's id - a key (x, 42) or a
 * record of that table (t:x) - or, without one, a random key
 */
/* the record id literal (t:k, not a range) that object literal o gives as its id, or NULL */
static const SurqlNode *
record_literal_id(const SurqlNode *o)
{
	int			i;

	if (o == NULL || o->kind != SN_OBJECT)
		return NULL;
	for (i = 0; i < o->nitems; i++)
		if (strcmp(o->keys[i], "id") == 0 && o->items[i]->kind == SN_RECORD &&
			!o->items[i]->flag && o->items[i]->key != NULL)
			return o->items[i];
	return NULL;
}

char *
dllb_surql_content_id(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const char *name)
{
	int			mark = out->sql.len;
	char	   *c;
	int			nparam = dllb_surql_add_param(out, name);
	const SurqlNode *id = record_literal_id(s->content);

	if (id)
	{
		/* {id: other:k}: a record id's key, in this table */
		return psprintf("dllb.record($%d, $%d::jsonb)", nparam,
						dllb_surql_add_param(out, dllb_surql_literal_json(id->key, params)));
	}
	dllb_surql_value_sql(s->content, params, out, NULL);
	c = pstrdup(out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	return psprintf("dllb.surql_record_id($%d, dllb.surql_content(%s, 'CONTENT') -> 'id')",
					nparam, c);
}

/*
 * dllb_surql_set_id - CREATE t SET id = v, ... (and RELATE): the SQL of the
 * new record's id, v as a record of table (as CONTENT's id is), with *s
 * replaced by the statement without that SET; NULL when no SET names the id
 */
char *
dllb_surql_set_id(const SurqlStmt **sp, Jsonb *params, SurqlSql *out, const char *table)
{
	const SurqlStmt *s = *sp;
	SurqlStmt  *rest;
	int			mark;
	int			nparam;
	int			j;
	int			n = 0;
	int			k;
	char	   *set_id;

	if (s->data != SD_SET)
		return NULL;
	for (k = 0; k < s->nset; k++)
		if (s->set_fields[k]->nitems == 1 && s->set_fields[k]->op == 0 &&
			strcmp(s->set_fields[k]->keys[0], "id") == 0)
			break;
	if (k == s->nset)
		return NULL;
	mark = out->sql.len;
	nparam = dllb_surql_add_param(out, table);
	if (s->set_values[k]->kind == SN_RECORD && !s->set_values[k]->flag &&
		s->set_values[k]->key)
		appendStringInfo(&out->sql, "$%d::jsonb",
						 dllb_surql_add_param(out, dllb_surql_literal_json(s->set_values[k]->key, params)));
	else
		dllb_surql_value_sql(s->set_values[k], params, out, NULL);
	set_id = psprintf("dllb.surql_record_id($%d, %s)", nparam, out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	rest = palloc(sizeof(SurqlStmt));
	*rest = *s;
	rest->set_fields = palloc(sizeof(SurqlNode *) * Max(s->nset, 1));
	rest->set_values = palloc(sizeof(SurqlNode *) * Max(s->nset, 1));
	for (j = 0; j < s->nset; j++)
		if (j != k)
		{
			rest->set_fields[n] = s->set_fields[j];
			rest->set_values[n++] = s->set_values[j];
		}
	rest->nset = n;
	if (n == 0)
		rest->data = SD_NONE;
	*sp = rest;
	return set_id;
}

void
dllb_surql_translate_create(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record;
	const char *name = dllb_surql_target_of(s, params, &record, true);
	TableInfo  *ti;
	StringInfoData data;
	char	  **cols;
	StringInfoData head;
	int			c;
	bool		several;
	char	   *set_id = NULL;

	if (name == NULL)
	{
		/* an empty array of records: nothing to create */
		out->no_rows = true;
		return;
	}
	ti = out->explain ? dllb_surql_lookup_table(name, "document") : dllb_surql_create_table(name);
	if (ti == NULL)
	{
		/* explaining a CREATE of a table that does not exist yet */
		out->no_rows = true;
		return;
	}
	several = record && record[0] == '[';
	if (record == NULL)
		set_id = dllb_surql_set_id(&s, params, out, name);
	cols = palloc(sizeof(char *) * Max(ti->ncols, 1));
	initStringInfo(&data);
	initStringInfo(&head);
	dllb_surql_write_values(s, params, out, ti, NULL, "CREATE", &data, cols);
	appendStringInfo(&head, "INSERT INTO %s AS t (id, data", ti->rel);
	for (c = 0; c < ti->ncols; c++)
		if (cols[c])
			appendStringInfo(&head, ", %s", quote_identifier(ti->cols[c]));
	appendStringInfoString(&head, several ? ") SELECT " : ") VALUES (");
	if (several)
		appendStringInfoString(&head, "r_.id");
	else if (set_id)
		appendStringInfoString(&head, set_id);
	else if (record)
		appendStringInfo(&head, "($%d::jsonb #>> '{}')::dllb.record", dllb_surql_add_param(out, record));
	else if (s->data == SD_CONTENT)
		appendStringInfoString(&head, dllb_surql_content_id(s, params, out, name));
	else
		appendStringInfo(&head, "dllb.record($%d, dllb.random_key())", dllb_surql_add_param(out, name));
	appendStringInfo(&head, ", %s", data.data);
	for (c = 0; c < ti->ncols; c++)
		if (cols[c])
			appendStringInfo(&head, ", %s", cols[c]);
	if (several)
	{
		/* CREATE t:a, t:b: one record each, in the order given */
		/* CREATE t, t: a new record each ({"new": "t"}) */
		appendStringInfo(&head, " FROM (SELECT CASE WHEN jsonb_typeof(e_.key) = 'object' "
						 "THEN dllb.record(e_.key ->> 'new', dllb.random_key()) "
						 "ELSE (e_.key #>> '{}')::dllb.record END, e_.n "
						 "FROM jsonb_array_elements($%d::jsonb) WITH ORDINALITY AS e_(key, n)) "
						 "AS r_(id, n) ORDER BY r_.n RETURNING ", dllb_surql_add_param(out, record));
	}
	else
		appendStringInfoString(&head, ") RETURNING ");
	appendStringInfoString(&out->sql, head.data);
	if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
	{
		/* a new record had no before: NONE, and a DIFF that adds it all */
		dllb_surql_returning_old(s, out, ti, "NULL::jsonb");
		return;
	}
	return_row_with(s, params, out, ti, "NULL::jsonb", NULL);
	returning(s, out, "CREATE");
}

void
dllb_surql_translate_update(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record;
	const char *name = dllb_surql_target_of(s, params, &record, true);
	TableInfo  *ti = name ? dllb_surql_lookup_any_table(name) : NULL;
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
	dllb_surql_write_values(s, params, out, ti, ti, "UPDATE", &data, cols);
	appendStringInfo(&head, "UPDATE %s AS t SET data = %s", ti->rel, data.data);
	for (c = 0; c < ti->ncols; c++)
		if (cols[c])
			appendStringInfo(&head, ", %s = %s", quote_identifier(ti->cols[c]), cols[c]);
	if (wants_old(s))
	{
		/* the rows as they were, locked, then updated */
		appendStringInfoString(&out->sql, "WITH dllb_old AS (SELECT t.id, ");
		dllb_surql_row_json(&out->sql, ti, "t");
		appendStringInfo(&out->sql, " AS before FROM %s AS t", ti->rel);
		dllb_surql_where_sql(s, params, out, record, ti);
		appendStringInfoString(&out->sql, " FOR UPDATE) ");
		appendStringInfoString(&out->sql, head.data);
		appendStringInfoString(&out->sql, " FROM dllb_old WHERE t.id = dllb_old.id RETURNING ");
		if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
			dllb_surql_returning_old(s, out, ti, "dllb_old.before");
		else
			return_row_with(s, params, out, ti, "dllb_old.before", NULL);
		return;
	}
	appendStringInfoString(&out->sql, head.data);
	dllb_surql_where_sql(s, params, out, record, ti);
	appendStringInfoString(&out->sql, " RETURNING ");
	return_row_with(s, params, out, ti, "NULL::jsonb", NULL);
	returning(s, out, "UPDATE");
}

void
dllb_surql_translate_delete(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record;
	const char *name = dllb_surql_target_of(s, params, &record, true);
	TableInfo  *ti = name ? dllb_surql_lookup_any_table(name) : NULL;

	if (ti == NULL)
	{
		out->no_rows = true;
		return;
	}
	appendStringInfo(&out->sql, "DELETE FROM %s AS t", ti->rel);
	dllb_surql_where_sql(s, params, out, record, ti);
	appendStringInfoString(&out->sql, " RETURNING ");
	{
		/* $before is the deleted record, $after NONE */
		StringInfoData row;

		initStringInfo(&row);
		dllb_surql_row_json(&row, ti, "t");
		return_row_with(s, params, out, ti, row.data, "NULL::jsonb");
	}
	if (s->ret != SR_BEFORE && s->ret != SR_FIELDS && s->ret != SR_VALUE)
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

/* check_edge_ends - INSERT RELATION: every object has record ids as in and out */
static void
check_edge_ends(const char *json)
{
	Jsonb	   *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
	JsonbIterator *it = JsonbIteratorInit(&jb->root);
	JsonbValue	v;
	JsonbIteratorToken tok;
	static const char *const ends[] = {"in", "out"};

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		JsonbContainer *o;
		int			k;

		if (tok == WJB_BEGIN_OBJECT)
			o = &jb->root;
		else if (tok == WJB_ELEM && v.type == jbvBinary && JsonContainerIsObject(v.val.binary.data))
			o = v.val.binary.data;
		else
			continue;
		for (k = 0; k < 2; k++)
		{
			JsonbValue *e = getKeyJsonValueFromContainer(o, ends[k], strlen(ends[k]), NULL);

			if (e == NULL || e->type == jbvNull)
				ereport(ERROR,
						(errcode(ERRCODE_NOT_NULL_VIOLATION),
						 errmsg("INSERT RELATION needs a record id as %s (it is NONE)", ends[k])));
			if (e->type != jbvString || memchr(e->val.string.val, ':', e->val.string.len) == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("INSERT RELATION needs a record id as %s", ends[k])));
		}
		if (tok == WJB_BEGIN_OBJECT)
			break;
	}
}

/*
 * insert_table_of_ids - INSERT without INTO: the table of the records'
 * ids, which must all be record ids of one table
 */
static const char *
insert_table_of_ids(const char *json)
{
	Jsonb	   *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
	JsonbIterator *it = JsonbIteratorInit(&jb->root);
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *table = NULL;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		JsonbValue *id = NULL;
		char	   *str;
		char	   *colon;

		if (tok == WJB_ELEM || tok == WJB_BEGIN_OBJECT)
		{
			if (tok == WJB_BEGIN_OBJECT)
				id = getKeyJsonValueFromContainer(&jb->root, "id", 2, NULL);
			else if (v.type == jbvBinary && JsonContainerIsObject(v.val.binary.data))
				id = getKeyJsonValueFromContainer(v.val.binary.data, "id", 2, NULL);
			if (id == NULL || id->type != jbvString ||
				(colon = memchr(id->val.string.val, ':', id->val.string.len)) == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("INSERT without INTO needs a record id as the id of each record")));
			str = pnstrdup(id->val.string.val, colon - id->val.string.val);
			if (table && strcmp(table, str) != 0)
				dllb_surql_unsupported("INSERT without INTO of records in more than one table");
			table = str;
			if (tok == WJB_BEGIN_OBJECT)
				break;
		}
	}
	if (table == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("INSERT without INTO needs a record id as the id of each record")));
	return table;
}

/*
 * INSERT [IGNORE] [RELATION] INTO t {...} | [{...}, ...] | (f, ...)
 * VALUES (v, ...), ...: one row per object (the table is created on first
 * write; RELATION: an edge table, each object's in and out its ends).  An
 * object's id is its record id: a key (x, 42) or a record of t ('t:x');
 * without one the key is random.  IGNORE leaves out a record whose id or
 * UNIQUE field is taken (ON CONFLICT DO NOTHING; its ON DUPLICATE KEY
 * UPDATE then never applies); ON DUPLICATE KEY UPDATE without IGNORE is
 * refused.
 */
void
dllb_surql_translate_insert(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	TableInfo  *ti;
	const char *name = s->name;
	char	   *json;
	int			jparam;
	int			nparam;
	int			c;

	if (!dllb_surql_is_literal(s->content))
		dllb_surql_unsupported("INSERT of anything but literal objects and $params");
	if (s->data == SD_SET && !s->ignore)
		dllb_surql_unsupported("INSERT ... ON DUPLICATE KEY UPDATE");
	json = dllb_surql_literal_json(strip_none_fields(s->content), params);
	check_insert_value(json);
	if (name == NULL)
		name = insert_table_of_ids(json);
	if (s->relation)
		check_edge_ends(json);
	else if ((ti = dllb_surql_lookup_any_table(name)) != NULL && ti->is_edge)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("table \"%s\" is an edge table: use INSERT RELATION", name)));
	if (s->relation)
		ti = out->explain ? dllb_surql_lookup_table(name, "edge") :
			dllb_surql_create_edge_table(name);
	else
		ti = out->explain ? dllb_surql_lookup_table(name, "document") :
			dllb_surql_create_table(name);
	if (ti == NULL)
	{
		out->no_rows = true;
		return;
	}
	check_schemafull(ti, json);
	jparam = dllb_surql_add_param(out, json);
	nparam = dllb_surql_add_param(out, name);
	appendStringInfo(&out->sql, "INSERT INTO %s AS t (id, %sdata", ti->rel,
					 s->relation ? "\"in\", \"out\", " : "");
	for (c = 0; c < ti->ncols; c++)
		appendStringInfo(&out->sql, ", %s", quote_identifier(ti->cols[c]));
	appendStringInfo(&out->sql,
					 ") SELECT CASE WHEN NOT v.o ? 'id' THEN dllb.record($%d, dllb.random_key()) "
					 "WHEN jsonb_typeof(v.o -> 'id') = 'string' AND starts_with(v.o ->> 'id', $%d || ':') "
					 "THEN (v.o ->> 'id')::dllb.record ELSE dllb.record($%d, v.o -> 'id') END, ",
					 nparam, nparam, nparam);
	if (s->relation)
		appendStringInfoString(&out->sql,
							   "(v.o ->> 'in')::dllb.record, (v.o ->> 'out')::dllb.record, "
							   "v.o - 'id' - 'in' - 'out'");
	else
		appendStringInfoString(&out->sql, "v.o - 'id'");
	for (c = 0; c < ti->ncols; c++)
		appendStringInfo(&out->sql, " - %s", quote_literal_cstr(ti->cols[c]));
	for (c = 0; c < ti->ncols; c++)
	{
		appendStringInfoString(&out->sql, ", ");
		dllb_surql_cast_to_column(&out->sql, ti, c, psprintf("v.o -> %s", quote_literal_cstr(ti->cols[c])));
	}
	appendStringInfo(&out->sql,
					 " FROM jsonb_array_elements(CASE WHEN jsonb_typeof($%d::jsonb) = 'array' "
					 "THEN $%d::jsonb ELSE jsonb_build_array($%d::jsonb) END) AS v(o)",
					 jparam, jparam, jparam);
	/* IGNORE: a record whose id or unique field is taken is left out */
	if (s->ignore)
		appendStringInfoString(&out->sql, " ON CONFLICT DO NOTHING");
	appendStringInfoString(&out->sql, " RETURNING ");
	if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
	{
		/* a new record had no before: NONE, and a DIFF that replaces it all */
		dllb_surql_returning_old(s, out, ti, "NULL::jsonb");
		return;
	}
	return_row_with(s, params, out, ti, "NULL::jsonb", NULL);
	returning(s, out, "INSERT");
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

	bool		old = wants_old(s);
	bool		diff = s->ret == SR_BEFORE || s->ret == SR_DIFF;

	if (old)
	{
		/* the records as they were, locked, then updated */
		appendStringInfoString(&out->sql, "WITH dllb_old AS (SELECT t.id, ");
		dllb_surql_row_json(&out->sql, ti, "t");
		appendStringInfo(&out->sql, " AS before FROM %s AS t", ti->rel);
		dllb_surql_where_sql(s, params, out, NULL, ti);
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
		dllb_surql_where_sql(s, params, out, NULL, ti);
	appendStringInfoString(&out->sql, " RETURNING t.id, ");
	if (diff)
		dllb_surql_returning_old(s, out, ti, "dllb_old.before");
	else
		return_row_with(s, params, out, ti, old ? "dllb_old.before" : "NULL::jsonb", NULL);
	appendStringInfo(&out->sql, " AS r), dllb_new AS (INSERT INTO %s AS t (id, data", ti->rel);
	for (c = 0; c < ti->ncols; c++)
		if (ins_cols[c])
			appendStringInfo(&out->sql, ", %s", quote_identifier(ti->cols[c]));
	appendStringInfo(&out->sql, ") SELECT dllb.record($%d, dllb.random_key()), %s",
					 dllb_surql_add_param(out, name), ins_data->data);
	for (c = 0; c < ti->ncols; c++)
		if (ins_cols[c])
			appendStringInfo(&out->sql, ", %s", ins_cols[c]);
	appendStringInfoString(&out->sql, " FROM (SELECT NULL::dllb.record AS id, '{}'::jsonb AS data");
	for (c = 0; c < ti->ncols; c++)
		appendStringInfo(&out->sql, ", NULL::%s AS %s", ti->types[c],
						 quote_identifier(ti->cols[c]));
	appendStringInfoString(&out->sql, ") AS t WHERE NOT EXISTS (SELECT 1 FROM dllb_up) RETURNING t.id, ");
	if (diff)
		dllb_surql_returning_old(s, out, ti, "NULL::jsonb");	/* a new record had no before */
	else
		return_row_with(s, params, out, ti, "NULL::jsonb", NULL);
	appendStringInfoString(&out->sql, " AS r) SELECT r FROM (SELECT id, r FROM dllb_up "
						   "UNION ALL SELECT id, r FROM dllb_new) AS u ORDER BY id");
	if (!diff)
		returning(s, out, "UPSERT");
}

/*
 * UPSERT t:k SET ... | MERGE {...} | CONTENT {...}: INSERT ... ON
 * CONFLICT (id) DO UPDATE.  The inserted row is the write applied to an
 * empty document (a subquery aliased t, so that fields read as NONE), the
 * updated one the write applied to the stored row.
 */
void
dllb_surql_translate_upsert(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record;
	const char *name = dllb_surql_target(s, params, &record);
	TableInfo  *ti;
	StringInfoData ins_data;
	StringInfoData upd_data;
	char	  **ins_cols;
	char	  **upd_cols;
	int			rparam;
	int			c;

	if ((ti = dllb_surql_lookup_any_table(name)) != NULL && ti->is_edge)
	{
		/*
		 * UPSERT of an edge (knows:[a, b] as RELATE made it): an edge is
		 * made by RELATE only, so this updates it (nothing when missing)
		 */
		dllb_surql_translate_update(s, params, out);
		return;
	}
	ti = out->explain ? dllb_surql_lookup_table(name, "document") : dllb_surql_create_table(name);
	if (ti == NULL)
	{
		out->no_rows = true;
		return;
	}
	if (record == NULL && s->data == SD_CONTENT && s->content &&
		(s->content->kind == SN_PARAM || dllb_surql_is_literal(s->content)))
	{
		/* UPSERT t CONTENT {id: t:k, ...}: the record t:k (as CREATE does) */
		char	   *json = dllb_surql_literal_json(s->content, params);
		Jsonb	   *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
		JsonbValue *id = NULL;

		if (JB_ROOT_IS_OBJECT(jb))
			id = getKeyJsonValueFromContainer(&jb->root, "id", 2, NULL);
		if (id && id->type == jbvString && id->val.string.len > (int) strlen(name) &&
			strncmp(id->val.string.val, name, strlen(name)) == 0 &&
			id->val.string.val[strlen(name)] == ':')
		{
			StringInfoData r;

			initStringInfo(&r);
			escape_json(&r, pnstrdup(id->val.string.val, id->val.string.len));
			record = r.data;
		}
	}
	ins_cols = palloc(sizeof(char *) * Max(ti->ncols, 1));
	upd_cols = palloc(sizeof(char *) * Max(ti->ncols, 1));
	initStringInfo(&ins_data);
	initStringInfo(&upd_data);
	dllb_surql_write_values(s, params, out, ti, ti, "UPSERT", &ins_data, ins_cols);
	dllb_surql_write_values(s, params, out, ti, ti, "UPSERT", &upd_data, upd_cols);
	if (record == NULL)
	{
		upsert_table(s, params, out, ti, name, &ins_data, ins_cols, &upd_data, upd_cols);
		return;
	}
	rparam = dllb_surql_add_param(out, record);
	if (wants_old(s))
	{
		/* the record as it was (none: NONE), locked */
		appendStringInfoString(&out->sql, "WITH dllb_old AS (SELECT ");
		dllb_surql_row_json(&out->sql, ti, "t");
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
	if (wants_old(s))
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
		dllb_surql_bool_sql(s->where, params, out, ti);
	}
	appendStringInfoString(&out->sql, " RETURNING ");
	if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
	{
		dllb_surql_returning_old(s, out, ti, "(SELECT before FROM dllb_old)");
		return;
	}
	return_row_with(s, params, out, ti, wants_old(s) ? "(SELECT before FROM dllb_old)" : "NULL::jsonb",
					NULL);
	returning(s, out, "UPSERT");
}
