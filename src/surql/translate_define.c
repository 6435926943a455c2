/*-------------------------------------------------------------------------
 *
 * translate_define.c
 *	  DEFINE TABLE/FIELD/INDEX/ANALYZER, REMOVE and INFO.
 *
 * IDENTIFICATION
 *	  src/surql/translate_define.c
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

#include "model/model.h"
#include "surql/translate.h"

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

	{
		/* a union (outside <...>: record<a | b> is one type) */
		int			depth = 0;
		const char *c;

		for (c = ty; *c; c++)
		{
			depth += *c == '<' ? 1 : *c == '>' ? -1 : 0;
			if (*c == '|' && depth == 0)
				dllb_surql_unsupported("a union of field types");
		}
	}

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

/*
 * DEFINE TABLE t [SCHEMAFULL|SCHEMALESS] [TYPE RELATION|NORMAL|ANY]:
 * dllb.create_table or dllb.create_edge_table (an existing table of that
 * kind is kept, and must agree on SCHEMAFULL); no rows.
 */
void
dllb_surql_translate_define_table(const SurqlStmt *s, SurqlSql *out)
{
	StringInfoData def;

	if (s->view)
	{
		/* a view: dllb.define_view keeps its SELECT (read by translate_select.c) */
		StringInfoData text;

		if (s->view->value || s->view->nfrom < 1)
			dllb_surql_unsupported("DEFINE TABLE ... AS SELECT VALUE");
		initStringInfo(&text);
		dllb_surql_print_stmt(&text, s->view);
		appendStringInfo(&out->sql,
						 "SELECT NULL::jsonb FROM dllb.define_view(dllb.dialect_schema(), $%d, $%d, %s, %s)",
						 dllb_surql_add_param(out, s->name), dllb_surql_add_param(out, text.data),
						 s->overwrite ? "true" : "false", s->if_not_exists ? "true" : "false");
		out->discard = true;
		return;
	}
	if (s->table_type == TABLE_TYPE_ANY)
		dllb_surql_unsupported("DEFINE TABLE ... TYPE ANY");
	if (!s->overwrite &&
		(dllb_surql_lookup_any_table(s->name) != NULL || dllb_surql_view_text(s->name) != NULL))
	{
		/* a table that exists (defined, or made by a write): IF NOT EXISTS does nothing */
		if (s->if_not_exists)
		{
			out->no_rows = true;
			return;
		}
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_TABLE),
				 errmsg("table \"%s\" already exists", s->name),
				 errhint("DEFINE TABLE OVERWRITE replaces its definition; DEFINE TABLE IF NOT EXISTS leaves it.")));
	}
	initStringInfo(&def);
	dllb_surql_print_definition(&def, s);
	if (s->table_type == TABLE_TYPE_RELATION)
	{
		const char *ends[2] = {"in", "out"};
		int			e;

		appendStringInfo(&out->sql, "SELECT NULL::jsonb FROM dllb.create_edge_table($%d) AS c_(t), "
						 "dllb.set_definition(c_.t, 'table', 'table', $%d) AS d_, "
						 "dllb.register_table(c_.t, 'edge', %s) AS s_",
						 dllb_surql_add_param(out, s->name), dllb_surql_add_param(out, def.data),
						 s->schema == SCHEMA_FULL ? "true" : "false");
		/* IN a OUT b: the fields in and out, as SurrealDB defines them */
		for (e = 0; e < 2; e++)
		{
			char	  **names = e == 0 ? s->rel_in : s->rel_out;
			int			n = e == 0 ? s->nrel_in : s->nrel_out;
			StringInfoData f;
			int			i;

			/* the check that the end is a record of those tables (none: any) */
			appendStringInfo(&out->sql, ", dllb.define_edge_end(c_.t, '%s', %s) AS g%d_", ends[e],
							 n == 0 ? "NULL" :
							 psprintf("ARRAY(SELECT jsonb_array_elements_text($%d::jsonb))",
									  dllb_surql_add_param(out, dllb_surql_json_string_array(names, n))),
							 e);
			if (n == 0)
				continue;
			initStringInfo(&f);
			appendStringInfo(&f, "DEFINE FIELD %s ON %s TYPE record<", ends[e], quote_identifier(s->name));
			for (i = 0; i < n; i++)
				appendStringInfo(&f, "%s%s", i ? " | " : "", names[i]);
			appendStringInfoString(&f, "> PERMISSIONS FULL");
			appendStringInfo(&out->sql, ", dllb.set_definition(c_.t, 'fields', '%s', $%d) AS f%d_",
							 ends[e], dllb_surql_add_param(out, f.data), e);
		}
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
		nparam = dllb_surql_add_param(out, s->name);
		fparam = dllb_surql_add_param(out, s->schema == SCHEMA_FULL ? "true" : "false");
		appendStringInfo(&out->sql, "SELECT NULL::jsonb FROM dllb.create_table($%d, $%d::boolean) AS c_(t), "
						 "dllb.set_definition(c_.t, 'table', 'table', $%d) AS d_",
						 nparam, fparam, dllb_surql_add_param(out, def.data));
		if (SPI_processed == 1 &&
			(strcmp(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), "t") == 0) !=
			(s->schema == SCHEMA_FULL))
		{
			/* OVERWRITE of a table made the other way: it becomes this one */
			appendStringInfo(&out->sql, ", dllb.register_table(c_.t, 'document', $%d::boolean) AS r_",
							 fparam);
		}
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
		dllb_surql_unsupported("an ASSERT that reads other records (a graph path or a subquery)");
	c = palloc(sizeof(SurqlNode));
	memcpy(c, n, sizeof(SurqlNode));
	if (n->kind == SN_PARAM && strcmp(n->str, "value") == 0)
	{
		/* $value, or $value.a.b: the field, or a path inside it */
		memset(c, 0, sizeof(SurqlNode));
		c->kind = SN_FIELD;
		c->keys = palloc(sizeof(char *) * (n->nitems + 1));
		c->keys[0] = pstrdup(f);
		for (i = 0; i < n->nitems; i++)
			c->keys[i + 1] = n->keys[i];
		c->nitems = n->nitems + 1;
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
 * dllb_surql_inline_params - the SQL of sql with its parameters written in
 * as literals (DDL takes none; nor does SQL kept to run later, as a live
 * query's); quoted text and names are copied as they are.
 */
char *
dllb_surql_inline_params(const SurqlSql *sql)
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
				elog(ERROR, "parameter $%ld out of range in translated SQL", n);
			appendStringInfoString(&buf, quote_literal_cstr(sql->params[n - 1]));
			p = end;
		}
		else
			appendStringInfoChar(&buf, *p++);
	}
	return buf.data;
}

/*
 * field_row - table name as a statement about its field f sees it (ti: as
 * it is, NULL when it does not exist yet; type: the field's SQL type when
 * the statement makes it a column)
 */
static TableInfo
field_row(const SurqlStmt *s, const TableInfo *ti, const char *type)
{
	TableInfo	row = {0};
	int			c;

	if (ti)
		row = *ti;
	row.name = s->name;
	if (type && dllb_surql_column_of(&row, s->field) < 0)
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
	/* a field's rules do not read COMPUTED fields */
	row.ncomputed = 0;
	return row;
}

/*
 * assert_check - the SQL of a CHECK constraint for ASSERT e on field f of
 * table name
 */
static char *
assert_check(const SurqlStmt *s, Jsonb *params, const TableInfo *ti, const char *type)
{
	TableInfo	row = field_row(s, ti, type);
	SurqlSql	chk;

	memset(&chk, 0, sizeof(chk));
	initStringInfo(&chk.sql);
	/* a CHECK names the row by its table's name */
	chk.alias = quote_identifier(s->name);
	dllb_surql_bool_sql(dllb_surql_this_as_row(value_as_field(s->where, s->field)), params,
						&chk, &row);
	return dllb_surql_inline_params(&chk);
}

/*
 * value_sql - the SQL of VALUE e on field f, over the new row as t (the
 * trigger dllb.field_value runs it): $value is the field, $this the row
 */
static char *
value_sql(const SurqlStmt *s, Jsonb *params, const TableInfo *ti, const char *type)
{
	TableInfo	row = field_row(s, ti, type);
	SurqlSql	v;

	memset(&v, 0, sizeof(v));
	initStringInfo(&v.sql);
	v.alias = "t";
	dllb_surql_value_sql(dllb_surql_this_as_row(value_as_field(s->value_expr, s->field)),
						 params, &v, &row);
	return dllb_surql_inline_params(&v);
}

/*
 * field_defined - whether DEFINE FIELD defined field on table ti (its
 * definition is kept) or it is a typed column
 */
static bool
field_defined(const TableInfo *ti, const char *field)
{
	Datum		arg[2];
	Oid			types[2] = {TEXTOID, TEXTOID};

	if (ti == NULL || ti->rel == NULL || ti->is_subquery)
		return false;
	if (dllb_surql_column_of(ti, field) >= 0)
		return true;
	arg[0] = CStringGetTextDatum(ti->rel);
	arg[1] = CStringGetTextDatum(field);
	if (SPI_execute_with_args("SELECT coalesce(dllb.definitions($1::regclass) -> 'fields' ? $2, false)",
							  2, types, arg, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "reading the definitions of a table failed");
	return strcmp(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), "t") == 0;
}

/* analyzer_exists - whether an analyzer (text search configuration) name is in the dialect's schema */
static bool
analyzer_exists(const char *name)
{
	Datum		arg[1];
	Oid			types[1] = {TEXTOID};

	arg[0] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT 1 FROM pg_catalog.pg_ts_config c JOIN pg_catalog.pg_namespace n "
							  "ON n.oid = c.cfgnamespace WHERE n.nspname = dllb.dialect_schema() "
							  "AND c.cfgname = $1",
							  1, types, arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "looking up an analyzer failed");
	return SPI_processed > 0;
}

/*
 * computed_refs - add to *refs the top-level fields expression n reads: a,
 * a.b (a), $this.a and $self.a, $this["a"] and $self["a"] (subqueries
 * are not looked into: they read other records)
 */
static void
computed_refs(const SurqlNode *n, List **refs)
{
	int			i;

	if (n == NULL)
		return;
	check_stack_depth();
	if (n->kind == SN_FIELD && n->nitems > 0)
	{
		*refs = lappend(*refs, n->keys[0]);
		return;
	}
	if (n->kind == SN_PARAM && n->nitems > 0 &&
		(strcmp(n->str, "this") == 0 || strcmp(n->str, "self") == 0))
	{
		*refs = lappend(*refs, n->keys[0]);
		return;
	}
	if (n->kind == SN_BINARY && n->op == SURQL_OP_INDEX && n->a && n->a->kind == SN_PARAM &&
		n->a->nitems == 0 && (strcmp(n->a->str, "this") == 0 || strcmp(n->a->str, "self") == 0) &&
		n->b && n->b->kind == SN_STRING)
	{
		*refs = lappend(*refs, n->b->str);
		return;
	}
	if (n->kind == SN_SUBQUERY)
	{
		/* IF ... THEN ... END: its condition and values */
		const SurqlStmt *st = n->stmt;

		if (st && st->kind == SS_IF)
		{
			computed_refs(st->where, refs);
			for (i = 0; i < st->nbody; i++)
				if (st->body[i]->kind == SS_EXPR || st->body[i]->kind == SS_RETURN)
					computed_refs(st->body[i]->expr, refs);
			for (i = 0; i < st->nelse; i++)
			{
				if (st->else_body[i]->kind == SS_EXPR || st->else_body[i]->kind == SS_RETURN)
					computed_refs(st->else_body[i]->expr, refs);
				else if (st->else_body[i]->kind == SS_IF)
				{
					SurqlNode	sub = {0};

					sub.kind = SN_SUBQUERY;
					sub.stmt = st->else_body[i];
					computed_refs(&sub, refs);
				}
			}
		}
		return;
	}
	computed_refs(n->key, refs);
	computed_refs(n->a, refs);
	computed_refs(n->b, refs);
	if (n->kind != SN_FIELD)
		for (i = 0; i < n->nitems && n->items; i++)
			computed_refs(n->items[i], refs);
}

/*
 * computed_cycle - whether a path of COMPUTED fields from field at (the
 * last of path, names[at]) leads back to path[0]; path grows by the fields
 * on the way
 */
static bool
computed_cycle(char **names, List **refs, int n, int at, int *path, int *len, bool *seen)
{
	ListCell   *lc;

	CHECK_FOR_INTERRUPTS();
	foreach(lc, refs[at])
	{
		const char *r = lfirst(lc);
		int			k;

		for (k = 0; k < n; k++)
			if (strcmp(names[k], r) == 0)
				break;
		if (k == n)
			continue;			/* a stored field */
		path[(*len)++] = k;
		if (k == path[0])
			return true;
		if (!seen[k])
		{
			seen[k] = true;
			if (computed_cycle(names, refs, n, k, path, len, seen))
				return true;
		}
		(*len)--;
	}
	return false;
}

/*
 * check_computed_cycle - DEFINE FIELD field ... COMPUTED e: an error when
 * e reads field itself, or a COMPUTED field that reads it (through any
 * chain of COMPUTED fields of the table), as SurrealDB refuses it
 */
static void
check_computed_cycle(const TableInfo *ti, const char *field, const SurqlNode *e)
{
	int			n = 1 + (ti ? ti->ncomputed : 0);
	char	  **names = palloc(sizeof(char *) * n);
	List	  **refs = palloc0(sizeof(List *) * n);
	int		   *path = palloc(sizeof(int) * (n + 1));
	bool	   *seen = palloc0(sizeof(bool) * n);
	int			len = 1;
	int			m = 1;
	int			k;

	names[0] = (char *) field;
	computed_refs(e, &refs[0]);
	for (k = 0; ti && k < ti->ncomputed; k++)
	{
		SurqlParse	res;
		char	   *q;

		if (strcmp(ti->computed_names[k], field) == 0)
			continue;			/* OVERWRITE: e replaces it */
		q = psprintf("RETURN %s", ti->computed_exprs[k]);
		dllb_surql_parse(q, strlen(q), &res);
		names[m] = ti->computed_names[k];
		if (!res.failed && res.nstmts == 1 && res.stmts[0]->kind == SS_RETURN)
			computed_refs(res.stmts[0]->expr, &refs[m]);
		m++;
	}
	path[0] = 0;
	seen[0] = true;
	if (computed_cycle(names, refs, m, 0, path, &len, seen))
	{
		StringInfoData msg;

		initStringInfo(&msg);
		for (k = 0; k < len; k++)
			appendStringInfo(&msg, "%s%s", k ? " -> " : "", names[path[k]]);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
				 errmsg("cyclic dependency among COMPUTED fields: %s", msg.data)));
	}
}

/*
 * nested_json_types - the JSON types (jsonb_typeof) a field of type ty
 * holds, appended to buf as "a","b" (nothing for any: no check); an
 * unknown type is an error
 */
static bool
nested_json_types(const char *ty, StringInfo buf)
{
	const char *lt = strchr(ty, '<');
	size_t		base = lt ? (size_t) (lt - ty) : strlen(ty);
	int			depth = 0;
	const char *c;
	const char *start = ty;
	static const char *const map[][2] = {
		{"string", "string"}, {"int", "number"}, {"float", "number"}, {"number", "number"},
		{"decimal", "number"}, {"bool", "boolean"}, {"object", "object"}, {"array", "array"},
		{"set", "array"}, {"datetime", "string"}, {"record", "string"}, {"uuid", "string"},
		{"duration", "string"}, {"null", "null"}};
	int			i;

	/* a union: each of its types */
	for (c = ty; *c; c++)
	{
		depth += *c == '<' ? 1 : *c == '>' ? -1 : 0;
		if (*c == '|' && depth == 0)
		{
			char	   *left = pnstrdup(start, c - start);

			if (!nested_json_types(left, buf))
				return false;
			start = c + 1;
		}
	}
	if (start != ty)
		return nested_json_types(start, buf);
	while (*ty == ' ')
		ty++;
	base = (lt ? (size_t) (lt - ty) : strlen(ty));
	while (base > 0 && ty[base - 1] == ' ')
		base--;
	if (base == 6 && pg_strncasecmp(ty, "option", 6) == 0 && lt && ty[strlen(ty) - 1] == '>')
		return nested_json_types(pnstrdup(lt + 1, strlen(lt + 1) - 1), buf);
	if (base == 3 && pg_strncasecmp(ty, "any", 3) == 0)
		return false;
	for (i = 0; i < lengthof(map); i++)
		if (strlen(map[i][0]) == base && pg_strncasecmp(ty, map[i][0], base) == 0)
		{
			appendStringInfo(buf, "%s\"%s\"", buf->len > 1 ? "," : "", map[i][1]);
			return true;
		}
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("unknown field type \"%s\"", ty)));
	return false;
}

/*
 * define_nested_field - DEFINE FIELD a.b | a.* | a[*].b ON t [TYPE type]:
 * the type checked by a constraint over the top-level field
 * (dllb.define_nested_field) and the definition kept for INFO FOR TABLE;
 * DEFAULT, VALUE, COMPUTED, ASSERT and READONLY of a nested field are
 * refused
 */
static void
define_nested_field(const SurqlStmt *s, TableInfo *ti, SurqlSql *out)
{
	StringInfoData path;
	StringInfoData types;
	StringInfoData def;
	char	   *f = pstrdup(s->field);
	char	   *k;
	char	   *keys[32];
	int			nkeys = 0;
	char	   *tbl;
	bool		check = false;

	if (s->expr || s->value_expr || s->where || s->readonly)
		dllb_surql_unsupported("DEFAULT, VALUE, COMPUTED, ASSERT or READONLY of a nested field");
	{
		/* a COMPUTED field has no fields of its own to define */
		char	   *top = pnstrdup(s->field, strcspn(s->field, ".["));

		if (dllb_surql_computed_of(ti, top) >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
					 errmsg("field \"%s\" is inside COMPUTED field \"%s\"", s->field, top)));
	}
	/* a[*].b is a.*.b: a JSON array of the keys */
	for (k = strtok(f, "."); k; k = strtok(NULL, "."))
	{
		char	   *br = strstr(k, "[*]");

		if (br)
			*br = '\0';
		if (*k)
			keys[nkeys++] = k;
		if (br)
			keys[nkeys++] = "*";
		if (nkeys > 30)
			dllb_surql_unsupported("a nested field more than 30 levels deep");
	}
	initStringInfo(&path);
	appendStringInfoString(&path, dllb_surql_json_string_array(keys, nkeys));
	initStringInfo(&types);
	appendStringInfoChar(&types, '{');
	if (s->ftype)
		check = nested_json_types(s->ftype, &types);
	appendStringInfoChar(&types, '}');
	initStringInfo(&def);
	dllb_surql_print_definition(&def, s);
	if (ti)
		tbl = psprintf("$%d::regclass", dllb_surql_add_param(out, ti->rel));
	else
		tbl = psprintf("dllb.create_table($%d)", dllb_surql_add_param(out, s->name));
	appendStringInfo(&out->sql,
					 "SELECT NULL::jsonb FROM dllb.define_nested_field(%s, $%d, "
					 "ARRAY(SELECT jsonb_array_elements_text($%d::jsonb)), %s, $%d)",
					 tbl, dllb_surql_add_param(out, s->field), dllb_surql_add_param(out, path.data),
					 check ? psprintf("$%d::text[]", dllb_surql_add_param(out, types.data)) : "NULL",
					 dllb_surql_add_param(out, def.data));
	out->discard = true;
}

/*
 * DEFINE FIELD f ON t [TYPE type] [DEFAULT [ALWAYS] v] [READONLY] [VALUE e
 * | COMPUTED e] [ASSERT e]: dllb.define_field_rules makes f a typed column
 * (creating t when missing), its DEFAULT a trigger (on updates too with
 * ALWAYS), VALUE and READONLY triggers, its ASSERT a CHECK constraint (in
 * which $value is the field), and keeps the definition INFO FOR TABLE
 * shows; a COMPUTED expression is kept there too and evaluated by every
 * read (translate_expr.c).  Without TYPE the field stays in data.
 */
void
dllb_surql_translate_define_field(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	TableInfo  *ti = dllb_surql_lookup_any_table(s->name);
	char	   *tbl;
	char	   *type = NULL;
	int			fparam;
	char	   *tparam = "NULL";
	char	   *dparam = "NULL";
	char	   *aparam = "NULL";
	char	   *sparam = "NULL";
	char	   *vparam = "NULL";
	char	   *cparam = "NULL";
	char	   *jparam = "NULL";
	StringInfoData def;
	StringInfoData jtypes;

	if (s->computed && (strcmp(s->field, "id") == 0 || s->where))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
				 strcmp(s->field, "id") == 0 ?
				 errmsg("the id field cannot be COMPUTED") :
				 errmsg("a COMPUTED field has no ASSERT"),
				 errdetail("A COMPUTED field is evaluated when read, never written.")));
	if (!s->overwrite && field_defined(ti, s->field))
	{
		/* a field defined before: IF NOT EXISTS does nothing */
		if (s->if_not_exists)
		{
			out->no_rows = true;
			return;
		}
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_COLUMN),
				 errmsg("field \"%s\" is already defined on table \"%s\"", s->field, s->name),
				 errhint("DEFINE FIELD OVERWRITE replaces its definition; DEFINE FIELD IF NOT EXISTS leaves it.")));
	}
	if (s->flexible && (ti == NULL || !ti->schemafull))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
				 errmsg("FLEXIBLE can only be used in SCHEMAFULL tables"),
				 errdetail("The fields of an object in a SCHEMALESS table are not checked anyway.")));
	/* REFERENCE is read and not kept (the field holds record ids as it is) */
	if (strchr(s->field, '.') || strchr(s->field, '['))
	{
		define_nested_field(s, ti, out);
		return;
	}
	if ((strcmp(s->field, "in") == 0 || strcmp(s->field, "out") == 0) &&
		(ti == NULL || ti->is_edge) && s->where == NULL && s->value_expr == NULL &&
		s->expr == NULL && (s->ftype == NULL || pg_strncasecmp(s->ftype, "record", 6) == 0))
	{
		/*
		 * an edge's in or out, as TYPE RELATION IN a OUT b defines them:
		 * kept for INFO FOR TABLE, the edge table made when missing, and
		 * the tables of record<a | b> checked (dllb.define_edge_end)
		 */
		StringInfoData def;
		const char *lt = s->ftype ? strchr(s->ftype, '<') : NULL;
		char	   *tables = "NULL";

		if (lt && s->ftype[strlen(s->ftype) - 1] == '>')
		{
			/* record<a | b>: the tables the end may be a record of */
			char	   *inner = pnstrdup(lt + 1, strlen(lt + 1) - 1);
			char	  **names = palloc(sizeof(char *) * (strlen(inner) + 1));
			int			n = 0;
			char	   *k;

			for (k = strtok(inner, "|"); k; k = strtok(NULL, "|"))
			{
				while (*k == ' ')
					k++;
				while (*k && k[strlen(k) - 1] == ' ')
					k[strlen(k) - 1] = '\0';
				if (*k)
					names[n++] = k;
			}
			if (n > 0)
				tables = psprintf("ARRAY(SELECT jsonb_array_elements_text($%d::jsonb))",
								  dllb_surql_add_param(out, dllb_surql_json_string_array(names, n)));
		}
		initStringInfo(&def);
		dllb_surql_print_definition(&def, s);
		appendStringInfo(&out->sql,
						 "SELECT NULL::jsonb FROM %s AS c_(t), dllb.set_definition(c_.t, 'fields', $%d, $%d) AS d_, "
						 "dllb.define_edge_end(c_.t, $%d, %s) AS g_",
						 ti ? psprintf("(SELECT $%d::regclass)", dllb_surql_add_param(out, ti->rel)) :
						 psprintf("dllb.create_edge_table($%d)", dllb_surql_add_param(out, s->name)),
						 dllb_surql_add_param(out, s->field), dllb_surql_add_param(out, def.data),
						 dllb_surql_add_param(out, s->field), tables);
		out->discard = true;
		return;
	}
	if (s->ftype)
	{
		type = sql_type(s->ftype);
		if (type == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("unknown field type \"%s\"", s->ftype),
					 errhint("Use string, int, float, number, decimal, bool, datetime, object, array, any, record, record<t>, vector<n> or option<T>.")));
	}
	/* the rules first: translating them may raise, and adds no parameters */
	if (s->where)
		aparam = psprintf("$%d", dllb_surql_add_param(out, assert_check(s, params, ti, type)));
	if (s->value_expr && !s->computed)
		vparam = psprintf("$%d", dllb_surql_add_param(out, value_sql(s, params, ti, type)));
	if (s->value_expr && s->computed)
	{
		StringInfoData c;

		check_computed_cycle(ti, s->field, s->value_expr);
		if (ti)
		{
			/* a field with nested fields defined cannot be COMPUTED */
			Datum		arg[2];
			Oid			types[2] = {TEXTOID, TEXTOID};

			arg[0] = CStringGetTextDatum(ti->rel);
			arg[1] = CStringGetTextDatum(s->field);
			if (SPI_execute_with_args("SELECT 1 FROM jsonb_object_keys(coalesce(dllb.definitions($1::regclass) -> 'fields', '{}')) AS k "
									  "WHERE starts_with(k, $2 || '.') OR starts_with(k, $2 || '[')",
									  2, types, arg, NULL, false, 1) != SPI_OK_SELECT)
				elog(ERROR, "reading the definitions of a table failed");
			if (SPI_processed > 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
						 errmsg("field \"%s\" has nested fields defined and cannot be COMPUTED", s->field)));
		}

		initStringInfo(&c);
		dllb_surql_print_expr(&c, s->value_expr);
		cparam = psprintf("$%d", dllb_surql_add_param(out, c.data));
	}
	if (ti)
		tbl = psprintf("$%d::regclass", dllb_surql_add_param(out, ti->rel));
	else
		tbl = psprintf("dllb.create_table($%d)", dllb_surql_add_param(out, s->name));
	fparam = dllb_surql_add_param(out, s->field);
	if (type)
		tparam = psprintf("$%d", dllb_surql_add_param(out, type));
	if (s->expr && dllb_surql_is_literal(s->expr))
		dparam = psprintf("$%d::jsonb", dllb_surql_add_param(out, dllb_surql_literal_json(s->expr, params)));
	else if (s->expr)
	{
		/* a computed value (time::now()): its SQL, run for each new row */
		SurqlSql	d;

		memset(&d, 0, sizeof(d));
		initStringInfo(&d.sql);
		dllb_surql_value_sql(s->expr, params, &d, NULL);
		sparam = psprintf("$%d", dllb_surql_add_param(out, dllb_surql_inline_params(&d)));
	}
	initStringInfo(&def);
	dllb_surql_print_definition(&def, s);
	initStringInfo(&jtypes);
	appendStringInfoChar(&jtypes, '{');
	if (type && strcmp(type, "jsonb") == 0 && nested_json_types(s->ftype, &jtypes))
	{
		/* TYPE object, array, set ...: its JSON type checked */
		appendStringInfoChar(&jtypes, '}');
		jparam = psprintf("$%d::text[]", dllb_surql_add_param(out, jtypes.data));
	}
	appendStringInfo(&out->sql,
					 "SELECT NULL::jsonb FROM dllb.define_field_rules(%s, $%d, %s, %s, %s, %s, %s, %s, %s, $%d, %s, %s)",
					 tbl, fparam, tparam, dparam, aparam, sparam, vparam,
					 s->readonly ? "true" : "false", s->default_always ? "true" : "false",
					 dllb_surql_add_param(out, def.data), cparam, jparam);
	out->discard = true;
}

/* REMOVE FIELD f ON t: dllb.remove_field; a table that does not exist is an error */
void
dllb_surql_translate_remove_field(const SurqlStmt *s, SurqlSql *out)
{
	TableInfo  *ti = dllb_surql_lookup_any_table(s->name);
	int			tparam;

	if (ti == NULL && s->if_not_exists)
	{
		out->no_rows = true;
		return;
	}
	if (ti == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table \"%s\" does not exist", s->name)));
	if (s->if_not_exists && !field_defined(ti, s->field))
	{
		/* REMOVE FIELD IF EXISTS of a field not defined: nothing to do */
		out->no_rows = true;
		return;
	}
	tparam = dllb_surql_add_param(out, ti->rel);
	appendStringInfo(&out->sql, "SELECT NULL::jsonb FROM dllb.remove_field($%d::regclass, $%d)",
					 tparam, dllb_surql_add_param(out, s->field));
	out->discard = true;
}

/* REMOVE TABLE t: DROP TABLE of a dllb table; one that does not exist is an error */
void
dllb_surql_translate_remove_table(const SurqlStmt *s, SurqlSql *out)
{
	TableInfo  *ti = dllb_surql_lookup_any_table(s->name);

	if (ti == NULL && dllb_surql_view_text(s->name) != NULL)
	{
		appendStringInfo(&out->sql, "DROP VIEW %s",
						 quote_qualified_identifier(dllb_dialect_schema_name(), s->name));
		out->utility = true;
		out->discard = true;
		return;
	}
	if (ti == NULL && s->if_not_exists)
	{
		/* REMOVE ... IF EXISTS of nothing: nothing to do */
		out->no_rows = true;
		return;
	}
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

/*
 * DEFINE ANALYZER a [TOKENIZERS ...] [FILTERS ...]: a text search
 * configuration a in the current schema (dllb.define_analyzer);
 * REMOVE ANALYZER a drops it
 */
void
dllb_surql_translate_define_analyzer(const SurqlStmt *s, SurqlSql *out)
{
	int			nparam;
	int			tparam;
	int			fparam;

	if (s->if_not_exists && analyzer_exists(s->name))
	{
		/* IF NOT EXISTS of one that exists: nothing to do */
		out->no_rows = true;
		return;
	}
	nparam = dllb_surql_add_param(out, s->name);
	tparam = dllb_surql_add_param(out, dllb_surql_json_string_array(s->tokenizers, s->ntokenizers));
	fparam = dllb_surql_add_param(out, dllb_surql_json_string_array(s->filters, s->nfilters));
	if (s->overwrite && analyzer_exists(s->name))
	{
		/* OVERWRITE: the old one dropped first (an error while an index uses it) */
		appendStringInfo(&out->sql,
						 "SELECT NULL::jsonb FROM (SELECT dllb.remove_analyzer(dllb.dialect_schema(), $%d)::text AS v) AS r_, "
						 "LATERAL (SELECT dllb.define_analyzer(dllb.dialect_schema(), $%d, $%d::jsonb, $%d::jsonb)::text "
						 "WHERE r_.v IS NOT DISTINCT FROM r_.v) AS d_",
						 nparam, nparam, tparam, fparam);
	}
	else
		appendStringInfo(&out->sql,
						 "SELECT NULL::jsonb FROM dllb.define_analyzer(dllb.dialect_schema(), $%d, $%d::jsonb, $%d::jsonb)",
						 nparam, tparam, fparam);
	out->discard = true;
}

void
dllb_surql_translate_remove_analyzer(const SurqlStmt *s, SurqlSql *out)
{
	if (s->if_not_exists && !analyzer_exists(s->name))
	{
		/* REMOVE ANALYZER IF EXISTS of none: nothing to do */
		out->no_rows = true;
		return;
	}
	appendStringInfo(&out->sql,
					 "SELECT NULL::jsonb FROM dllb.remove_analyzer(dllb.dialect_schema(), $%d)",
					 dllb_surql_add_param(out, s->name));
	out->discard = true;
}

/*
 * DEFINE INDEX i ON t FIELDS f, ... [UNIQUE]: a btree index t_i over the
 * fields (a typed column as itself, another field as its jsonb);
 * HNSW DIMENSION n [DIST EUCLIDEAN|COSINE|DOT]: a dllb_hnsw index on a
 * vector field of that dimension.  DDL takes no parameters: field names
 * are quoted literals, names quoted identifiers.
 */
void
dllb_surql_translate_define_index(const SurqlStmt *s, SurqlSql *out)
{
	TableInfo  *ti = dllb_surql_lookup_any_table(s->name);
	int			i;
	Datum		arg[1];
	Oid			types[1] = {TEXTOID};

	/* a table that does not exist yet is created, as DEFINE FIELD does */
	if (ti == NULL && !out->explain)
		ti = dllb_surql_create_table(s->name);
	if (ti == NULL)
	{
		out->no_rows = true;
		return;
	}
	for (i = 0; i < s->nfields; i++)
		if (s->fields[i]->kind == SN_FIELD && s->fields[i]->nitems > 0 &&
			dllb_surql_computed_of(ti, s->fields[i]->keys[0]) >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("the COMPUTED field \"%s\" cannot be indexed", s->fields[i]->keys[0]),
					 errdetail("A COMPUTED field is not stored; it is evaluated when read.")));
	for (i = 0; ti->schemafull && i < s->nfields; i++)
	{
		/* on a SCHEMAFULL table an index reads defined fields only */
		const SurqlNode *f = s->fields[i];

		if (f->kind == SN_FIELD && f->nitems > 0 && strcmp(f->keys[0], "id") != 0 &&
			!field_defined(ti, f->keys[0]))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("field \"%s\" is not defined on SCHEMAFULL table \"%s\"", f->keys[0], s->name),
					 errhint("DEFINE FIELD %s ON %s first.", f->keys[0], s->name)));
	}
	/*
	 * one definition of a name at a time: a second session waits, then sees
	 * the first's index
	 */
	arg[0] = CStringGetTextDatum(index_name(s));
	if (SPI_execute_with_args("SELECT dllb.lock_name('index', dllb.dialect_schema(), $1)",
							  1, types, arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "locking an index name failed");
	if (SPI_execute_with_args("SELECT to_regclass(format('%I.%I', dllb.dialect_schema(), $1))::text",
							  1, types, arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "looking up an index failed");
	if (SPI_processed == 1 && SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1) != NULL)
	{
		char	   *existing = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		if (s->if_not_exists)
		{
			/* IF NOT EXISTS: the index stays as it is */
			appendStringInfoString(&out->sql, "SELECT NULL::jsonb WHERE false");
			out->discard = true;
			return;
		}
		if (!s->overwrite)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("index \"%s\" on table \"%s\" already exists", s->field, s->name),
					 errhint("DEFINE INDEX OVERWRITE replaces it; DEFINE INDEX IF NOT EXISTS keeps it.")));
		if (!out->explain &&
			SPI_execute(psprintf("DROP INDEX %s", existing), false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "dropping an index failed");
	}
	if (!out->explain)
	{
		/* what INFO FOR TABLE shows (the index itself is made by the SQL) */
		StringInfoData def;
		Oid			dtypes[3] = {TEXTOID, TEXTOID, TEXTOID};
		Datum		dargs[3];

		initStringInfo(&def);
		dllb_surql_print_definition(&def, s);
		dargs[0] = CStringGetTextDatum(ti->rel);
		dargs[1] = CStringGetTextDatum(s->field);
		dargs[2] = CStringGetTextDatum(def.data);
		if (SPI_execute_with_args("SELECT dllb.set_definition($1::regclass, 'indexes', $2, $3)",
								  3, dtypes, dargs, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "keeping the definition of an index failed");
	}
	if (s->index_kind == INDEX_SEARCH)
	{
		char	   *sql;
		char	   *indexdef;
		const char *an = s->analyzer;

		if (s->nfields != 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a SEARCH index is on one field")));
		dllb_surql_field_text(ti, s->fields[0], "t", &sql, &indexdef);
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
		int			c = dllb_surql_column_of(ti, f->keys[0]);
		const char *paren;
		const char *ops;

		if (s->nfields == 1 && f->nitems == 1 && c < 0 && !out->explain &&
			strcmp(f->keys[0], "id") != 0 && !(ti->is_edge && (strcmp(f->keys[0], "in") == 0 ||
															   strcmp(f->keys[0], "out") == 0)))
		{
			/*
			 * a field without a type, as SurrealDB indexes: it becomes a
			 * vector<n> field first (its values moved into the column; one
			 * that is no vector of that dimension is an error)
			 */
			Oid			ftypes[3] = {TEXTOID, TEXTOID, TEXTOID};
			Datum		fargs[3];

			fargs[0] = CStringGetTextDatum(ti->rel);
			fargs[1] = CStringGetTextDatum(f->keys[0]);
			fargs[2] = CStringGetTextDatum(psprintf("dllb.vector(" INT64_FORMAT ")", s->dimension));
			if (SPI_execute_with_args("SELECT dllb.define_field($1::regclass, $2, $3)",
									  3, ftypes, fargs, NULL, false, 1) != SPI_OK_SELECT)
				elog(ERROR, "defining the vector field of an HNSW index failed");
			ti = dllb_surql_lookup_any_table(s->name);
			c = dllb_surql_column_of(ti, f->keys[0]);
		}
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
			dllb_surql_unsupported("DEFINE INDEX ... HNSW ... DIST MANHATTAN");
		ops = s->dist == KW_COSINE ? "dllb.vector_cosine_ops" :
			s->dist == KW_DOT ? "dllb.vector_ip_ops" : "dllb.vector_l2_ops";
		appendStringInfo(&out->sql, "CREATE INDEX %s ON %s USING dllb_hnsw (%s %s)",
						 quote_identifier(index_name(s)), ti->rel,
						 quote_identifier(ti->cols[c]), ops);
		/* EFC and M: the index's ef_construction and m */
		if (s->efc || s->hnsw_m)
		{
			appendStringInfoString(&out->sql, " WITH (");
			if (s->efc)
				appendStringInfo(&out->sql, "ef_construction = " INT64_FORMAT, s->efc);
			if (s->hnsw_m)
				appendStringInfo(&out->sql, "%sm = " INT64_FORMAT, s->efc ? ", " : "", s->hnsw_m);
			appendStringInfoChar(&out->sql, ')');
		}
	}
	else
	{
		appendStringInfo(&out->sql, "CREATE %sINDEX %s ON %s (",
						 s->index_kind == INDEX_UNIQUE ? "UNIQUE " : "",
						 quote_identifier(index_name(s)), ti->rel);
		for (i = 0; i < s->nfields; i++)
		{
			const SurqlNode *f = s->fields[i];
			int			c = dllb_surql_column_of(ti, f->keys[0]);
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
void
dllb_surql_translate_remove_index(const SurqlStmt *s, SurqlSql *out)
{
	TableInfo  *ti = dllb_surql_lookup_any_table(s->name);
	char	   *name = index_name(s);
	Datum		arg[2];
	Oid			types[2] = {TEXTOID, TEXTOID};

	if (ti == NULL && s->if_not_exists)
	{
		out->no_rows = true;
		return;
	}
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
	if ((SPI_processed != 1 ||
		 (ti->is_edge && (strcmp(s->field, "in_out") == 0 || strcmp(s->field, "out_in") == 0))) &&
		s->if_not_exists)
	{
		out->no_rows = true;
		return;
	}
	if (SPI_processed != 1 ||
		(ti->is_edge && (strcmp(s->field, "in_out") == 0 || strcmp(s->field, "out_in") == 0)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("index \"%s\" on table \"%s\" does not exist", s->field, s->name)));
	appendStringInfo(&out->sql, "DROP INDEX %s",
					 SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	arg[1] = CStringGetTextDatum(s->field);
	if (!out->explain &&
		SPI_execute_with_args("SELECT dllb.set_definition($1::regclass, 'indexes', $2, NULL)",
							  2, types, arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "forgetting the definition of an index failed");
	out->utility = true;
	out->discard = true;
}

/*
 * views_json - the views of the dialect's schema as INFO FOR shows them
 * (name: DEFINE TABLE ... AS SELECT ...), those reading table only
 * unless it is NULL
 */
static char *
views_json(const char *table)
{
	StringInfoData buf;
	uint64		i;
	int			n = 0;
	SPITupleTable *tt;

	if (SPI_execute("SELECT c.relname::text, substr(d.description, 12) FROM pg_class c "
					"JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass "
					"AND d.objsubid = 0 "
					"WHERE c.relnamespace = to_regnamespace(quote_ident(dllb.dialect_schema())) "
					"AND c.relkind = 'v' AND d.description LIKE 'dllb view: %' ORDER BY 1",
					false, 0) != SPI_OK_SELECT)
		elog(ERROR, "looking up views failed");
	tt = SPI_tuptable;
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < SPI_processed; i++)
	{
		char	   *name = SPI_getvalue(tt->vals[i], tt->tupdesc, 1);
		char	   *text = SPI_getvalue(tt->vals[i], tt->tupdesc, 2);
		SurqlParse	res;
		SurqlStmt	def;
		StringInfoData d;

		dllb_surql_parse(text, strlen(text), &res);
		if (res.failed || res.nstmts != 1 || res.stmts[0]->kind != SS_SELECT)
			continue;
		if (table && !(res.stmts[0]->nfrom >= 1 && res.stmts[0]->from[0]->kind == SN_FIELD &&
					   res.stmts[0]->from[0]->nitems == 1 &&
					   strcmp(res.stmts[0]->from[0]->keys[0], table) == 0))
			continue;
		memset(&def, 0, sizeof(def));
		def.kind = SS_DEFINE_TABLE;
		def.name = name;
		def.view = res.stmts[0];
		initStringInfo(&d);
		dllb_surql_print_definition(&d, &def);
		if (n++ > 0)
			appendStringInfoString(&buf, ", ");
		escape_json(&buf, name);
		appendStringInfoString(&buf, ": ");
		escape_json(&buf, d.data);
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/*
 * INFO FOR TABLE t: as SurrealDB answers it - {events, fields, indexes,
 * lives, tables}, each name: its DEFINE statement (the text DEFINE kept,
 * definitions.c; tables: the views reading t); a table that does not
 * exist has them all empty.  INFO FOR DB: {accesses, analyzers, apis,
 * buckets, configs, functions, models, modules, params, sequences,
 * tables, users}, tables with the DEFINE TABLE text of each dialect table
 * and view of the schema (a table no DEFINE TABLE made shows the
 * defaults).
 */
void
dllb_surql_translate_info(const SurqlStmt *s, SurqlSql *out)
{
	TableInfo  *ti;

	if (s->name == NULL)
	{
		appendStringInfo(&out->sql,
						 "SELECT jsonb_build_object('accesses', '{}'::jsonb, "
						 "'analyzers', (SELECT coalesce(jsonb_object_agg(a.cfgname, substr(obj_description(a.oid, 'pg_ts_config'), 16)), '{}'::jsonb) "
						 "FROM pg_ts_config a WHERE a.cfgnamespace = to_regnamespace(quote_ident(dllb.dialect_schema())) "
						 "AND obj_description(a.oid, 'pg_ts_config') LIKE 'dllb analyzer:%%'), "
						 "'apis', '{}'::jsonb, 'buckets', '{}'::jsonb, 'configs', '{}'::jsonb, "
						 "'functions', dllb.db_info('function'), 'models', '{}'::jsonb, 'modules', '{}'::jsonb, "
						 "'params', dllb.db_info('param'), 'sequences', '{}'::jsonb, "
						 "'tables', (SELECT coalesce(jsonb_object_agg(c.relname, coalesce(dllb.definitions(t.tbl) ->> 'table', "
						 "format('DEFINE TABLE %%s TYPE ANY SCHEMALESS PERMISSIONS NONE', c.relname))), '{}'::jsonb) "
						 "FROM dllb.tables t JOIN pg_class c ON c.oid = t.tbl "
						 "WHERE c.relnamespace = to_regnamespace(quote_ident(dllb.dialect_schema()))) || $%d::jsonb, "
						 "'users', '{}'::jsonb)",
						 dllb_surql_add_param(out, views_json(NULL)));
		return;
	}
	ti = dllb_surql_lookup_any_table(s->name);
	if (ti == NULL)
	{
		appendStringInfoString(&out->sql,
							   "SELECT '{\"events\": {}, \"fields\": {}, \"indexes\": {}, \"lives\": {}, \"tables\": {}}'::jsonb");
		return;
	}
	appendStringInfo(&out->sql,
					 "SELECT jsonb_build_object('events', dllb.table_events(t.t), "
					 "'fields', coalesce(d.d -> 'fields', '{}'::jsonb), "
					 "'indexes', coalesce(d.d -> 'indexes', '{}'::jsonb), "
					 "'lives', '{}'::jsonb, 'tables', $%d::jsonb) "
					 "FROM (SELECT $%d::regclass) AS t(t), dllb.definitions(t.t) AS d(d)",
					 dllb_surql_add_param(out, views_json(s->name)),
					 dllb_surql_add_param(out, ti->rel));
}
