/*-------------------------------------------------------------------------
 *
 * translate.c
 *	  Parsed statements to SQL over dllb's document tables (first slice).
 *
 * A document is a row (id dllb.record, data jsonb) of a table registered
 * in dllb.tables in the current schema.  Every value of a translated
 * expression is jsonb: a field path is jsonb_extract_path(data, ...) (id
 * is the record id as a string), a literal or $param is a bound text
 * parameter cast to jsonb, comparisons use jsonb's operators (a missing
 * field compares false), CONTAINS and IN use jsonb containment,
 * arithmetic goes through numeric.  Names reach SQL only as parameters or
 * as the regclass of a registered table; literals only as parameters.
 *
 * This slice translates SELECT (*, VALUE, fields with AS, one table or
 * record, WHERE, ORDER BY, LIMIT, START), CREATE, UPDATE ... SET / MERGE /
 * CONTENT, DELETE, RELATE, LET and RETURN.  Everything else - graph
 * paths, GROUP, FETCH, functions, UPSERT, several targets, matches and
 * nearest-neighbour operators - is refused with "not supported yet"
 * (0A000), never misread.
 *
 * IDENTIFICATION
 *	  src/surql/translate.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/json.h"

#include "surql/translate.h"

#define SURQL_OP_NOT_IN 10000

/* the result of a row of a document table, as jsonb */
#define ROW_JSON "(t.data || jsonb_build_object('id', t.id::text))"

static pg_attribute_noreturn() void
unsupported(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s is not supported by dllb.query yet", what)));
}

static int
add_param(SurqlSql *out, const char *value)
{
	if (out->nparams == SURQL_MAX_PARAMS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a statement may hold at most %d values", SURQL_MAX_PARAMS)));
	out->params[out->nparams] = pstrdup(value);
	return ++out->nparams;
}

bool
dllb_surql_is_literal(const SurqlNode *n)
{
	int			i;

	switch (n->kind)
	{
		case SN_NULL:
		case SN_NONE:
		case SN_BOOL:
		case SN_INT:
		case SN_FLOAT:
		case SN_STRING:
		case SN_DATETIME:
		case SN_RECORD:
		case SN_PARAM:
			return true;
		case SN_ARRAY:
		case SN_OBJECT:
			for (i = 0; i < n->nitems; i++)
				if (!dllb_surql_is_literal(n->items[i]))
					return false;
			return true;
		default:
			return false;
	}
}

static void
literal_json(const SurqlNode *n, Jsonb *params, StringInfo buf)
{
	int			i;

	switch (n->kind)
	{
		case SN_NULL:
		case SN_NONE:
			appendStringInfoString(buf, "null");
			break;
		case SN_BOOL:
			appendStringInfoString(buf, n->ival ? "true" : "false");
			break;
		case SN_INT:
			appendStringInfo(buf, INT64_FORMAT, n->ival);
			break;
		case SN_FLOAT:
			/* the lexer's number is JSON's number (digits, ., e) */
			appendStringInfoString(buf, n->str);
			break;
		case SN_STRING:
		case SN_DATETIME:
			escape_json(buf, n->str);
			break;
		case SN_RECORD:
			{
				StringInfoData r;

				initStringInfo(&r);
				dllb_surql_print_expr(&r, n);
				escape_json(buf, r.data);
				pfree(r.data);
				break;
			}
		case SN_PARAM:
			{
				JsonbValue	key;
				JsonbValue *v = NULL;

				if (params != NULL && JB_ROOT_IS_OBJECT(params))
				{
					key.type = jbvString;
					key.val.string.val = n->str;
					key.val.string.len = strlen(n->str);
					v = findJsonbValueFromContainer(&params->root, JB_FOBJECT, &key);
				}
				if (v == NULL)
					ereport(ERROR,
							(errcode(ERRCODE_UNDEFINED_PARAMETER),
							 errmsg("parameter $%s is not bound", n->str),
							 errhint("Pass it in the params argument of dllb.query, or set it with LET.")));
				appendStringInfoString(buf, JsonbToCString(NULL, &JsonbValueToJsonb(v)->root, 0));
				break;
			}
		case SN_ARRAY:
			appendStringInfoChar(buf, '[');
			for (i = 0; i < n->nitems; i++)
			{
				if (i > 0)
					appendStringInfoChar(buf, ',');
				literal_json(n->items[i], params, buf);
			}
			appendStringInfoChar(buf, ']');
			break;
		case SN_OBJECT:
			appendStringInfoChar(buf, '{');
			for (i = 0; i < n->nitems; i++)
			{
				if (i > 0)
					appendStringInfoChar(buf, ',');
				escape_json(buf, n->keys[i]);
				appendStringInfoChar(buf, ':');
				literal_json(n->items[i], params, buf);
			}
			appendStringInfoChar(buf, '}');
			break;
		default:
			unsupported("this expression inside a literal");
	}
}

/* dllb_surql_literal_json - the JSON text of a literal or $param */
char *
dllb_surql_literal_json(const SurqlNode *n, Jsonb *params)
{
	StringInfoData buf;

	initStringInfo(&buf);
	literal_json(n, params, &buf);
	return buf.data;
}

static void value_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, bool row);
static void bool_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, bool row);

static void
field_sql(const SurqlNode *f, SurqlSql *out, bool row)
{
	int			i;

	if (!row)
		unsupported("a field outside a statement over a table");
	if (f->nitems == 1 && strcmp(f->keys[0], "id") == 0)
	{
		appendStringInfoString(&out->sql, "to_jsonb(t.id::text)");
		return;
	}
	appendStringInfoString(&out->sql, "jsonb_extract_path(t.data");
	for (i = 0; i < f->nitems; i++)
		appendStringInfo(&out->sql, ", $%d", add_param(out, f->keys[i]));
	appendStringInfoChar(&out->sql, ')');
}

static const char *
cmp_sql(int op)
{
	switch (op)
	{
		case TK_EQ:
		case TK_EQEQ:
			return "=";
		case TK_NE:
			return "<>";
		case TK_LT:
			return "<";
		case TK_LE:
			return "<=";
		case TK_GT:
			return ">";
		case TK_GE:
			return ">=";
		default:
			return NULL;
	}
}

static char *lookup_table(const char *name, const char *kind);

/*
 * graph_sql - a graph path as a jsonb array: the records it reaches
 * (distinct, as table:key strings), or the values of the field after its
 * last step.  Steps come in pairs, an edge table then a node table (or ?
 * for any): ->e->n follows e from "in" to out, <-e<-n from out to "in",
 * <->e<->n both ways.  An edge table that does not exist reaches nothing.
 */
static void
graph_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out, bool row)
{
	StringInfoData set;
	int			i;

	if (g->nitems % 2 != 0)
		unsupported("a graph path that does not end on a table");
	initStringInfo(&set);
	if (g->a == NULL)
	{
		if (!row)
			unsupported("a graph path outside a statement over a table");
		appendStringInfoString(&set, "SELECT t.id");
	}
	else if (g->a->kind == SN_RECORD || g->a->kind == SN_PARAM)
	{
		char	   *json = dllb_surql_literal_json(g->a, params);

		appendStringInfo(&set, "SELECT ($%d::jsonb #>> '{}')::dllb.record", add_param(out, json));
	}
	else
		unsupported("a graph path from this start");

	for (i = 0; i < g->nitems; i += 2)
	{
		const SurqlNode *edge = g->items[i];
		const SurqlNode *node = g->items[i + 1];
		char	   *rel;
		StringInfoData next;
		int			tparam = 0;

		if (edge->a || node->a)
			unsupported("a [WHERE] filter on a graph step");
		if (edge->op != node->op)
			unsupported("a graph step whose arrows point different ways");
		rel = strcmp(edge->str, "?") == 0 ? NULL : lookup_table(edge->str, "edge");
		if (rel == NULL)
		{
			appendStringInfoString(&out->sql, "'[]'::jsonb");
			pfree(set.data);
			return;
		}
		if (strcmp(node->str, "?") != 0)
			tparam = add_param(out, node->str);
		initStringInfo(&next);
		if (edge->op == TK_ARROW_OUT || edge->op == TK_ARROW_BOTH)
		{
			appendStringInfo(&next, "SELECT e.out FROM %s e WHERE e.\"in\" IN (%s)", rel, set.data);
			if (tparam)
				appendStringInfo(&next, " AND dllb.tb(e.out) = $%d", tparam);
		}
		if (edge->op == TK_ARROW_BOTH)
			appendStringInfoString(&next, " UNION ");
		if (edge->op == TK_ARROW_IN || edge->op == TK_ARROW_BOTH)
		{
			appendStringInfo(&next, "SELECT e.\"in\" FROM %s e WHERE e.out IN (%s)", rel, set.data);
			if (tparam)
				appendStringInfo(&next, " AND dllb.tb(e.\"in\") = $%d", tparam);
		}
		pfree(set.data);
		set = next;
	}

	if (g->b == NULL)
		appendStringInfo(&out->sql,
						 "(SELECT coalesce(jsonb_agg(DISTINCT r::text), '[]'::jsonb) FROM (%s) AS reached(r))",
						 set.data);
	else
	{
		const SurqlNode *last = g->items[g->nitems - 1];
		char	   *rel = strcmp(last->str, "?") == 0 ? NULL : lookup_table(last->str, "document");
		int			k;

		if (rel == NULL)
		{
			if (strcmp(last->str, "?") == 0)
				unsupported("a field after ? in a graph path");
			appendStringInfoString(&out->sql, "'[]'::jsonb");
			return;
		}
		appendStringInfoString(&out->sql, "(SELECT coalesce(jsonb_agg(");
		if (g->b->nitems == 1 && strcmp(g->b->keys[0], "id") == 0)
			appendStringInfoString(&out->sql, "to_jsonb(d.id::text)");
		else
		{
			appendStringInfoString(&out->sql, "jsonb_extract_path(d.data");
			for (k = 0; k < g->b->nitems; k++)
				appendStringInfo(&out->sql, ", $%d", add_param(out, g->b->keys[k]));
			appendStringInfoChar(&out->sql, ')');
		}
		appendStringInfo(&out->sql, " ORDER BY d.id), '[]'::jsonb) FROM %s d WHERE d.id IN (%s))",
						 rel, set.data);
	}
	pfree(set.data);
}

/* an expression as a jsonb value; row: there is a current row t */
static void
value_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, bool row)
{
	if (dllb_surql_is_literal(n))
	{
		char	   *json = dllb_surql_literal_json(n, params);

		appendStringInfo(&out->sql, "$%d::jsonb", add_param(out, json));
		pfree(json);
		return;
	}
	switch (n->kind)
	{
		case SN_FIELD:
			field_sql(n, out, row);
			return;
		case SN_BINARY:
			if (n->op == TK_PLUS || n->op == TK_MINUS || n->op == TK_STAR || n->op == TK_SLASH)
			{
				appendStringInfoString(&out->sql, "to_jsonb((");
				value_sql(n->a, params, out, row);
				appendStringInfo(&out->sql, ")::numeric %c (",
								 n->op == TK_PLUS ? '+' : n->op == TK_MINUS ? '-' :
								 n->op == TK_STAR ? '*' : '/');
				value_sql(n->b, params, out, row);
				appendStringInfoString(&out->sql, ")::numeric)");
				return;
			}
			break;
		case SN_UNARY:
			if (n->op == TK_MINUS)
			{
				appendStringInfoString(&out->sql, "to_jsonb(-(");
				value_sql(n->a, params, out, row);
				appendStringInfoString(&out->sql, ")::numeric)");
				return;
			}
			break;
		case SN_GRAPH:
			graph_sql(n, params, out, row);
			return;
		case SN_CALL:
			if (strcmp(n->str, "count") == 0 && n->nitems == 1)
			{
				appendStringInfoString(&out->sql, "to_jsonb(jsonb_array_length(");
				value_sql(n->items[0], params, out, row);
				appendStringInfoString(&out->sql, "))");
				return;
			}
			unsupported(psprintf("function %s()", n->str));
		case SN_SUBQUERY:
			unsupported("a subquery inside an expression");
		default:
			break;
	}
	/* a condition used as a value */
	appendStringInfoString(&out->sql, "to_jsonb(");
	bool_sql(n, params, out, row);
	appendStringInfoChar(&out->sql, ')');
}

/* an expression as an SQL condition */
static void
bool_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, bool row)
{
	const char *cmp;

	switch (n->kind)
	{
		case SN_BINARY:
			if (n->op == -(int) KW_AND || n->op == -(int) KW_OR)
			{
				appendStringInfoChar(&out->sql, '(');
				bool_sql(n->a, params, out, row);
				appendStringInfoString(&out->sql, n->op == -(int) KW_AND ? " AND " : " OR ");
				bool_sql(n->b, params, out, row);
				appendStringInfoChar(&out->sql, ')');
				return;
			}
			cmp = cmp_sql(n->op);
			if (cmp && (n->a->kind == SN_GRAPH || n->b->kind == SN_GRAPH))
			{
				bool		left = n->a->kind == SN_GRAPH;

				/* holds when any value the path reaches satisfies it */
				appendStringInfoString(&out->sql, "EXISTS (SELECT 1 FROM jsonb_array_elements(");
				value_sql(left ? n->a : n->b, params, out, row);
				appendStringInfoString(&out->sql, ") AS reached(v) WHERE ");
				if (left)
				{
					appendStringInfo(&out->sql, "reached.v %s (", cmp);
					value_sql(n->b, params, out, row);
					appendStringInfoString(&out->sql, "))");
				}
				else
				{
					appendStringInfoChar(&out->sql, '(');
					value_sql(n->a, params, out, row);
					appendStringInfo(&out->sql, ") %s reached.v)", cmp);
				}
				return;
			}
			if (cmp)
			{
				appendStringInfoString(&out->sql, "coalesce((");
				value_sql(n->a, params, out, row);
				appendStringInfo(&out->sql, ") %s (", cmp);
				value_sql(n->b, params, out, row);
				appendStringInfoString(&out->sql, "), false)");
				return;
			}
			if (n->op == -(int) KW_CONTAINS || n->op == -(int) KW_CONTAINSNOT ||
				n->op == -(int) KW_IN || n->op == -(int) KW_INSIDE || n->op == SURQL_OP_NOT_IN)
			{
				bool		negate = n->op == -(int) KW_CONTAINSNOT || n->op == SURQL_OP_NOT_IN;
				bool		swap = n->op == -(int) KW_IN || n->op == -(int) KW_INSIDE ||
					n->op == SURQL_OP_NOT_IN;

				appendStringInfoString(&out->sql, negate ? "NOT coalesce((" : "coalesce((");
				value_sql(swap ? n->b : n->a, params, out, row);
				appendStringInfoString(&out->sql, ") @> (");
				value_sql(swap ? n->a : n->b, params, out, row);
				appendStringInfoString(&out->sql, "), false)");
				return;
			}
			break;
		case SN_UNARY:
			if (n->op == -(int) KW_NOT)
			{
				appendStringInfoString(&out->sql, "(NOT ");
				bool_sql(n->a, params, out, row);
				appendStringInfoChar(&out->sql, ')');
				return;
			}
			break;
		case SN_IS_NONE:
			appendStringInfoString(&out->sql, n->ival ? "coalesce((" : "NOT coalesce((");
			value_sql(n->a, params, out, row);
			appendStringInfoString(&out->sql, ") <> 'null'::jsonb, false)");
			return;
		case SN_GRAPH:
			/* a path used as a condition: true when it reaches anything */
			appendStringInfoString(&out->sql, "(jsonb_array_length(");
			value_sql(n, params, out, row);
			appendStringInfoString(&out->sql, ") > 0)");
			return;
		case SN_MATCH:
			unsupported("a full-text match");
		case SN_KNN:
			unsupported("a nearest-neighbour condition");
		default:
			/* any value: true when it is JSON true */
			appendStringInfoString(&out->sql, "coalesce((");
			value_sql(n, params, out, row);
			appendStringInfoString(&out->sql, ") = 'true'::jsonb, false)");
			return;
	}
	unsupported("this condition");
}

/*
 * lookup_table - the regclass (as SQL text) of the document table name in
 * the current schema, or NULL: the dialect sees no other relation.
 */
static char *
lookup_table(const char *name, const char *kind)
{
	Datum		arg[2];
	Oid			types[2] = {TEXTOID, TEXTOID};
	int			rc;

	arg[0] = CStringGetTextDatum(name);
	arg[1] = CStringGetTextDatum(kind);
	rc = SPI_execute_with_args("SELECT t.tbl::text FROM dllb.tables t "
							   "WHERE t.tbl = to_regclass(format('%I.%I', current_schema(), $1)) "
							   "AND t.kind = $2",
							   2, types, arg, NULL, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "looking up a dllb table failed");
	if (SPI_processed == 0)
		return NULL;
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/* create_table - the document table, created when missing */
static char *
create_table(const char *name)
{
	Datum		arg[1];
	Oid			types[1] = {TEXTOID};

	arg[0] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT dllb.create_table($1)::text", 1, types, arg, NULL,
							  false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "creating a dllb table failed");
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/*
 * target - the table of a statement's one target (a table name or a
 * record id); *record receives the record's JSON text, or NULL.
 */
static const char *
target(const SurqlStmt *s, Jsonb *params, char **record)
{
	const SurqlNode *n;

	if (s->nfrom != 1)
		unsupported("more than one target");
	n = s->from[0];
	*record = NULL;
	if (n->kind == SN_FIELD && n->nitems == 1)
		return n->keys[0];
	if (n->kind == SN_RECORD)
	{
		*record = dllb_surql_literal_json(n, params);
		return n->str;
	}
	unsupported("this target");
}

static void
where_sql(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const char *record)
{
	if (s->where == NULL && record == NULL)
		return;
	appendStringInfoString(&out->sql, " WHERE ");
	if (record)
		appendStringInfo(&out->sql, "t.id = ($%d::jsonb #>> '{}')::dllb.record%s",
						 add_param(out, record), s->where ? " AND " : "");
	if (s->where)
		bool_sql(s->where, params, out, true);
}

/* SET f = v, ... as a jsonb object of the new values */
static void
set_object(const SurqlStmt *s, Jsonb *params, SurqlSql *out, bool row)
{
	int			i;

	appendStringInfoString(&out->sql, "jsonb_build_object(");
	for (i = 0; i < s->nset; i++)
	{
		if (s->set_fields[i]->nitems != 1)
			unsupported("SET on a nested field");
		if (strcmp(s->set_fields[i]->keys[0], "id") == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the id of a record cannot be set")));
		appendStringInfo(&out->sql, "%s$%d::text, ", i > 0 ? ", " : "",
						 add_param(out, s->set_fields[i]->keys[0]));
		value_sql(s->set_values[i], params, out, row);
	}
	appendStringInfoChar(&out->sql, ')');
}

/*
 * data_object - the jsonb a write stores: SET's object, CONTENT's value
 * (without an id), or {} without either.
 */
static void
data_object(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const char *stmt)
{
	switch (s->data)
	{
		case SD_NONE:
			appendStringInfoString(&out->sql, "'{}'::jsonb");
			break;
		case SD_SET:
			set_object(s, params, out, false);
			break;
		case SD_CONTENT:
			appendStringInfoString(&out->sql, "((");
			value_sql(s->content, params, out, false);
			appendStringInfoString(&out->sql, ") - 'id')");
			break;
		case SD_MERGE:
			unsupported(psprintf("%s ... MERGE", stmt));
	}
}

static void
translate_select(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record;
	const char *name = target(s, params, &record);
	char	   *rel = lookup_table(name, "document");
	int			i;

	if (s->ngroup > 0 || s->group_all)
		unsupported("GROUP");
	if (s->nfetch > 0)
		unsupported("FETCH");
	if (rel == NULL)
	{
		out->no_rows = true;
		return;
	}
	appendStringInfoString(&out->sql, "SELECT ");
	if (s->value)
		value_sql(s->fields[0], params, out, true);
	else if (s->nfields == 1 && s->fields[0]->kind == SN_ALL)
		appendStringInfoString(&out->sql, ROW_JSON);
	else
	{
		appendStringInfoString(&out->sql, "jsonb_build_object(");
		for (i = 0; i < s->nfields; i++)
		{
			StringInfoData name_buf;

			if (s->fields[i]->kind == SN_ALL)
				unsupported("* beside other fields");
			initStringInfo(&name_buf);
			if (s->aliases[i])
				appendStringInfoString(&name_buf, s->aliases[i]);
			else
				dllb_surql_print_expr(&name_buf, s->fields[i]);
			appendStringInfo(&out->sql, "%s$%d::text, ", i > 0 ? ", " : "",
							 add_param(out, name_buf.data));
			value_sql(s->fields[i], params, out, true);
		}
		appendStringInfoChar(&out->sql, ')');
	}
	appendStringInfo(&out->sql, " FROM %s t", rel);
	where_sql(s, params, out, record);
	if (s->norder > 0)
	{
		appendStringInfoString(&out->sql, " ORDER BY ");
		for (i = 0; i < s->norder; i++)
		{
			if (i > 0)
				appendStringInfoString(&out->sql, ", ");
			value_sql(s->order[i], params, out, true);
			appendStringInfoString(&out->sql, s->desc[i] ? " DESC" : " ASC");
		}
	}
	else
		appendStringInfoString(&out->sql, " ORDER BY t.id");
	if (s->limit)
	{
		appendStringInfoString(&out->sql, " LIMIT (");
		value_sql(s->limit, params, out, false);
		appendStringInfoString(&out->sql, ")::numeric::bigint");
	}
	if (s->start)
	{
		appendStringInfoString(&out->sql, " OFFSET (");
		value_sql(s->start, params, out, false);
		appendStringInfoString(&out->sql, ")::numeric::bigint");
	}
}

static void
translate_create(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record;
	const char *name = target(s, params, &record);
	char	   *rel = create_table(name);

	appendStringInfo(&out->sql, "INSERT INTO %s AS t (id, data) VALUES (", rel);
	if (record)
		appendStringInfo(&out->sql, "($%d::jsonb #>> '{}')::dllb.record", add_param(out, record));
	else
		appendStringInfo(&out->sql, "dllb.record($%d, dllb.random_key())", add_param(out, name));
	appendStringInfoString(&out->sql, ", ");
	data_object(s, params, out, "CREATE");
	appendStringInfoString(&out->sql, ") RETURNING " ROW_JSON);
	if (s->ret == SR_NONE)
		out->discard = true;
	else if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
		unsupported("CREATE ... RETURN BEFORE or DIFF");
}

static void
translate_update(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record;
	const char *name = target(s, params, &record);
	char	   *rel = lookup_table(name, "document");

	if (s->kind == SS_UPSERT)
		unsupported("UPSERT");
	if (rel == NULL)
	{
		out->no_rows = true;
		return;
	}
	appendStringInfo(&out->sql, "UPDATE %s AS t SET data = ", rel);
	switch (s->data)
	{
		case SD_NONE:
			appendStringInfoString(&out->sql, "t.data");
			break;
		case SD_SET:
			appendStringInfoString(&out->sql, "t.data || ");
			set_object(s, params, out, true);
			break;
		case SD_MERGE:
		case SD_CONTENT:
			appendStringInfoString(&out->sql, s->data == SD_MERGE ? "t.data || ((" : "((");
			value_sql(s->content, params, out, true);
			appendStringInfoString(&out->sql, ") - 'id')");
			break;
	}
	where_sql(s, params, out, record);
	appendStringInfoString(&out->sql, " RETURNING " ROW_JSON);
	if (s->ret == SR_NONE)
		out->discard = true;
	else if (s->ret == SR_BEFORE || s->ret == SR_DIFF)
		unsupported("UPDATE ... RETURN BEFORE or DIFF");
}

static void
translate_delete(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	char	   *record;
	const char *name = target(s, params, &record);
	char	   *rel = lookup_table(name, "document");

	if (rel == NULL)
	{
		out->no_rows = true;
		return;
	}
	appendStringInfo(&out->sql, "DELETE FROM %s AS t", rel);
	where_sql(s, params, out, record);
	appendStringInfoString(&out->sql, " RETURNING " ROW_JSON);
	if (s->ret != SR_BEFORE)
		out->discard = true;
}

static void
translate_relate(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	appendStringInfoString(&out->sql,
						   "SELECT jsonb_build_object('id', r::text) FROM dllb.relate(");
	if (!dllb_surql_is_literal(s->rel_from) || !dllb_surql_is_literal(s->rel_to))
		unsupported("RELATE between anything but record ids and $params");
	appendStringInfoString(&out->sql, "(");
	value_sql(s->rel_from, params, out, false);
	appendStringInfo(&out->sql, " #>> '{}')::dllb.record, $%d, (", add_param(out, s->rel_edge));
	value_sql(s->rel_to, params, out, false);
	appendStringInfoString(&out->sql, " #>> '{}')::dllb.record, ");
	data_object(s, params, out, "RELATE");
	appendStringInfoString(&out->sql, ") AS r");
	if (s->ret == SR_NONE)
		out->discard = true;
}

/*
 * dllb_surql_translate - the SQL of one statement.  LET and RETURN become
 * a SELECT of their value.  Runs inside an SPI connection.
 */
void
dllb_surql_translate(const SurqlStmt *s, Jsonb *params, SurqlSql *out)
{
	memset(out, 0, sizeof(*out));
	initStringInfo(&out->sql);
	switch (s->kind)
	{
		case SS_SELECT:
			translate_select(s, params, out);
			break;
		case SS_CREATE:
			translate_create(s, params, out);
			break;
		case SS_UPDATE:
		case SS_UPSERT:
			translate_update(s, params, out);
			break;
		case SS_DELETE:
			translate_delete(s, params, out);
			break;
		case SS_RELATE:
			translate_relate(s, params, out);
			break;
		case SS_LET:
		case SS_RETURN:
			appendStringInfoString(&out->sql, "SELECT ");
			value_sql(s->expr, params, out, false);
			break;
		case SS_INSERT:
			unsupported("INSERT");
		case SS_BEGIN:
		case SS_COMMIT:
		case SS_CANCEL:
			unsupported("a transaction statement (BEGIN, COMMIT, CANCEL)");
	}
}
