/*-------------------------------------------------------------------------
 *
 * translate_expr.c
 *	  Expressions as SQL: every value jsonb, every condition boolean.
 *
 * value_sql translates an expression into a jsonb value, bool_sql into an
 * SQL condition; literals and $params become bound parameters, fields
 * paths into the row (a typed column as itself).  Aggregates of GROUP
 * (count(), math::sum/mean/min/max) are here, other functions in
 * translate_functions.c.
 *
 * IDENTIFICATION
 *	  src/surql/translate_expr.c
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
#include "utils/timestamp.h"

#include "model/record.h"
#include "surql/translate.h"

pg_attribute_noreturn() void
dllb_surql_unsupported(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s is not supported by dllb.query yet", what)));
}

int
dllb_surql_add_param(SurqlSql *out, const char *value)
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
		case SN_DURATION:
		case SN_PARAM:
			return true;
		case SN_RECORD:
			/* a range is no value; an array key may hold expressions */
			return !n->flag && (n->key == NULL || n->key->kind != SN_ARRAY ||
								dllb_surql_is_literal(n->key));
		case SN_RANGE:
			return n->a == NULL;	/* a bare .. in an array key */
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

/*
 * datetime_json - a d'...' literal as SurrealQL shows it: in UTC with Z
 * and the seconds' fraction without trailing zeros (a date alone is
 * midnight UTC, a time without a zone is UTC); a datetime PostgreSQL
 * cannot read is an error (22007), one outside years 1 to 9999 stays as
 * written
 */
static void
datetime_json(StringInfo buf, const char *s)
{
	const char *t = strchr(s, 'T');
	bool		zone = false;
	char	   *in;
	TimestampTz ts;
	struct pg_tm tm;
	fsec_t		fsec;

	if (!isdigit((unsigned char) s[s[0] == '-' || s[0] == '+' ? 1 : 0]))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_DATETIME_FORMAT),
				 errmsg("invalid datetime d'%s'", s)));
	if (t == NULL)
		t = strchr(s, 't');
	if (t)
		zone = strpbrk(t + 1, "Zz+-") != NULL;
	in = t ? (zone ? pstrdup(s) : psprintf("%sZ", s)) : psprintf("%sT00:00:00Z", s);
	ts = DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in, CStringGetDatum(in),
												 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	if (TIMESTAMP_NOT_FINITE(ts) || timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0 ||
		tm.tm_year < 1 || tm.tm_year > 9999)
	{
		escape_json(buf, s);
		return;
	}
	{
		char		out[64];
		int			len = snprintf(out, sizeof(out), "%04d-%02d-%02dT%02d:%02d:%02d",
								   tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);

		if (fsec > 0)
		{
			len += snprintf(out + len, sizeof(out) - len, ".%06d", (int) fsec);
			while (out[len - 1] == '0')
				out[--len] = '\0';
		}
		snprintf(out + len, sizeof(out) - len, "Z");
		escape_json(buf, out);
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
			{
				/* the lexer's number is JSON's number (digits, ., e), or one with a suffix */
				size_t		len = strlen(n->str);

				if (len > 3 && strcmp(n->str + len - 3, "dec") == 0)
					appendBinaryStringInfo(buf, n->str, len - 3);
				else if (len > 1 && n->str[len - 1] == 'f')
				{
					/* 1f: a float, so written with a fraction (1.0) */
					appendBinaryStringInfo(buf, n->str, len - 1);
					if (strchr(n->str, '.') == NULL && strchr(n->str, 'e') == NULL)
						appendStringInfoString(buf, ".0");
				}
				else
					appendStringInfoString(buf, n->str);
				break;
			}
		case SN_DATETIME:
			datetime_json(buf, n->str);
			break;
		case SN_STRING:
		case SN_DURATION:
			escape_json(buf, n->str);
			break;
		case SN_RECORD:
			if (n->key && (n->key->kind == SN_ARRAY || n->key->kind == SN_OBJECT))
			{
				char	   *text = dllb_surql_record_text(n, params, false);

				escape_json(buf, text);
				pfree(text);
				break;
			}
			{
				StringInfoData r;

				StringInfoData tb;
				SurqlNode	f;

				initStringInfo(&r);
				dllb_surql_print_expr(&r, n);
				/* the table as its name, not quoted as the dialect writes a keyword (`table`:1) */
				memset(&f, 0, sizeof(f));
				f.kind = SN_FIELD;
				f.keys = (char **) &n->str;
				f.nitems = 1;
				initStringInfo(&tb);
				dllb_surql_print_expr(&tb, &f);
				if (strcmp(tb.data, n->str) != 0 && strncmp(r.data, tb.data, tb.len) == 0)
				{
					char	   *raw = psprintf("%s%s", n->str, r.data + tb.len);

					escape_json(buf, raw);
				}
				else
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
				/* $p.a.b: a field of the value (NONE where there is none) */
				for (i = 0; i < n->nitems && v != NULL; i++)
					v = v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data) ?
						getKeyJsonValueFromContainer(v->val.binary.data, n->keys[i],
													 strlen(n->keys[i]), NULL) : NULL;
				if (v == NULL)
				{
					appendStringInfoString(buf, "null");
					break;
				}
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
			dllb_surql_unsupported("this expression inside a literal");
	}
}

/*
 * key_text - an array or object record key as text for
 * dllb_record_key_from_json: NONE, NULL and a bare .. as themselves, string
 * literals in single quotes (strings, even when they look like record ids),
 * record ids as their text, and any other element as its JSON value (an
 * expression evaluated now: a string that is a record id is that record)
 */
static void
key_text(const SurqlNode *n, Jsonb *params, StringInfo buf, bool range_end)
{
	int			i;
	const char *c;

	CHECK_FOR_INTERRUPTS();
	check_stack_depth();
	switch (n->kind)
	{
		case SN_ARRAY:
			appendStringInfoChar(buf, '[');
			for (i = 0; i < n->nitems; i++)
			{
				if (i > 0)
					appendStringInfoString(buf, ", ");
				if (n->items[i]->kind == SN_RANGE && n->items[i]->a == NULL)
				{
					if (!range_end)
						ereport(ERROR,
								(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
								 errmsg("a bare .. in a record key only ends a range of records"),
								 errhint("Write t:[a, NONE]..[a, ..] for the records whose keys start with a.")));
					appendStringInfoString(buf, "..");
				}
				else
					key_text(n->items[i], params, buf, range_end);
			}
			appendStringInfoChar(buf, ']');
			return;
		case SN_OBJECT:
			appendStringInfoChar(buf, '{');
			for (i = 0; i < n->nitems; i++)
			{
				if (i > 0)
					appendStringInfoString(buf, ", ");
				escape_json(buf, n->keys[i]);
				appendStringInfoString(buf, ": ");
				key_text(n->items[i], params, buf, range_end);
			}
			appendStringInfoChar(buf, '}');
			return;
		case SN_NONE:
			appendStringInfoString(buf, "NONE");
			return;
		case SN_STRING:
			appendStringInfoChar(buf, '\'');
			for (c = n->str; *c; c++)
			{
				if (*c == '\'' || *c == '\\')
					appendStringInfoChar(buf, '\\');
				appendStringInfoChar(buf, *c);
			}
			appendStringInfoChar(buf, '\'');
			return;
		case SN_RECORD:
			if (!n->flag)
			{
				char	   *text = dllb_surql_record_text(n, params, range_end);

				appendStringInfoString(buf, text);
				pfree(text);
				return;
			}
			break;
		default:
			break;
	}
	if (dllb_surql_is_literal(n))
		literal_json(n, params, buf);
	else
		appendStringInfoString(buf, dllb_surql_eval_json(n, params));
}

/*
 * dllb_surql_record_text - the text of record id n (t:k, t:[...]), its
 * key's expressions evaluated now; an array or object key in the canonical
 * form dllb.record prints (model/record_text.c); a bare .. element (the
 * greatest value) only where range_end
 */
char *
dllb_surql_record_text(const SurqlNode *n, Jsonb *params, bool range_end)
{
	StringInfoData in;
	StringInfoData canon;
	DllbRecordError err;

	Assert(n->kind == SN_RECORD);
	if (n->key == NULL || (n->key->kind != SN_ARRAY && n->key->kind != SN_OBJECT))
	{
		/* t:k: the JSON string literal_json makes, unquoted */
		char	   *json = dllb_surql_literal_json(n, params);
		Jsonb	   *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
		JsonbValue	v;

		if (!JsonbExtractScalar(&jb->root, &v) || v.type != jbvString)
			elog(ERROR, "a record id literal is no JSON string");
		return pnstrdup(v.val.string.val, v.val.string.len);
	}
	if (!dllb_record_valid_table(n->str, strlen(n->str)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid table name \"%s\" for a record id", n->str)));
	initStringInfo(&in);
	key_text(n->key, params, &in, range_end);
	initStringInfo(&canon);
	err = dllb_record_key_from_json(in.data, in.len, &canon);
	if (err != DLLB_RECORD_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid record key %s", in.data),
				 errdetail("%s", dllb_record_error_message(err))));
	pfree(in.data);
	return psprintf("%s:%s", n->str, canon.data);
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

/*
 * dllb_surql_eval_json - the JSON text of an expression that reads no
 * table (a target such as type::thing('t', $i)), evaluated now
 */
char *
dllb_surql_eval_json(const SurqlNode *n, Jsonb *params)
{
	SurqlSql	v;
	Oid		   *types;
	Datum	   *args;
	int			i;
	bool		isnull;
	Datum		d;

	memset(&v, 0, sizeof(v));
	initStringInfo(&v.sql);
	appendStringInfoString(&v.sql, "SELECT (");
	dllb_surql_value_sql(n, params, &v, NULL);
	appendStringInfoString(&v.sql, ")::text");
	types = palloc(sizeof(Oid) * Max(v.nparams, 1));
	args = palloc(sizeof(Datum) * Max(v.nparams, 1));
	for (i = 0; i < v.nparams; i++)
	{
		types[i] = TEXTOID;
		args[i] = CStringGetTextDatum(v.params[i]);
	}
	if (SPI_execute_with_args(v.sql.data, v.nparams, types, args, NULL, false, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "evaluating a target failed");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return isnull ? pstrdup("null") : TextDatumGetCString(d);
}

int
dllb_surql_column_of(const TableInfo *ti, const char *name)
{
	int			i;

	for (i = 0; ti && i < ti->ncols; i++)
		if (strcmp(ti->cols[i], name) == 0)
			return i;
	return -1;
}

/* a typed column of the row alias, as jsonb (a vector as an array) */
static void
column_json(StringInfo sql, const TableInfo *ti, const char *alias, int c)
{
	appendStringInfo(sql, ti->is_vector[c] ? "to_jsonb(%s.%s::real[])" :
					 strcmp(ti->types[c], "timestamp with time zone") == 0 ?
					 "dllb.surql_datetime(%s.%s)" : "to_jsonb(%s.%s)",
					 alias, quote_identifier(ti->cols[c]));
}

/*
 * this_as_row - a copy of an expression of a field's rules in which
 * $this.a.b (or $self.a.b) is the field path a.b of the row, and
 * $this["a"] the field a
 */
SurqlNode *
dllb_surql_this_as_row(const SurqlNode *n)
{
	SurqlNode  *c;
	int			i;

	if (n == NULL)
		return NULL;
	c = palloc(sizeof(SurqlNode));
	memcpy(c, n, sizeof(SurqlNode));
	if (n->kind == SN_PARAM && (strcmp(n->str, "this") == 0 || strcmp(n->str, "self") == 0) &&
		n->nitems > 0)
	{
		c->kind = SN_FIELD;
		c->str = NULL;
		return c;
	}
	if (n->kind == SN_BINARY && n->op == SURQL_OP_INDEX && n->a && n->a->kind == SN_PARAM &&
		n->a->nitems == 0 && (strcmp(n->a->str, "this") == 0 || strcmp(n->a->str, "self") == 0) &&
		n->b && n->b->kind == SN_STRING)
	{
		/* $this["a"]: the field a */
		c->kind = SN_FIELD;
		c->op = 0;
		c->a = c->b = NULL;
		c->keys = palloc(sizeof(char *));
		c->keys[0] = n->b->str;
		c->nitems = 1;
		return c;
	}
	if (n->kind == SN_SUBQUERY)
		return c;
	c->key = dllb_surql_this_as_row(n->key);
	c->a = dllb_surql_this_as_row(n->a);
	c->b = dllb_surql_this_as_row(n->b);
	if (n->items && n->kind != SN_FIELD)
	{
		c->items = palloc(sizeof(SurqlNode *) * Max(n->nitems, 1));
		for (i = 0; i < n->nitems; i++)
			c->items[i] = dllb_surql_this_as_row(n->items[i]);
	}
	return c;
}

/* the index of ti's COMPUTED field name, or -1 */
int
dllb_surql_computed_of(const TableInfo *ti, const char *name)
{
	int			k;

	for (k = 0; ti && k < ti->ncomputed; k++)
		if (strcmp(ti->computed_names[k], name) == 0)
			return k;
	return -1;
}

/*
 * computed_text - the SQL of ti's COMPUTED field k over the row alias,
 * with its literals written in (it reads the row's other fields, the
 * COMPUTED ones evaluated in turn: DEFINE FIELD refuses a cycle among
 * them, and a chain deeper than SURQL_COMPUTED_DEPTH is an error)
 */
#define SURQL_COMPUTED_DEPTH 32

static char *
computed_text(const TableInfo *ti, int k, const char *alias)
{
	static int	depth = 0;
	SurqlParse	res;
	char	   *q = psprintf("RETURN %s", ti->computed_exprs[k]);
	TableInfo	row = *ti;
	SurqlSql	v;
	Jsonb	   *none = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")));
	char	   *result;

	check_stack_depth();
	if (depth >= SURQL_COMPUTED_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
				 errmsg("COMPUTED field \"%s\" reads COMPUTED fields more than %d deep (a cycle?)",
						ti->computed_names[k], SURQL_COMPUTED_DEPTH)));
	dllb_surql_parse(q, strlen(q), &res);
	if (res.failed || res.nstmts != 1 || res.stmts[0]->kind != SS_RETURN)
		elog(ERROR, "the COMPUTED expression of field \"%s\" does not parse", ti->computed_names[k]);
	memset(&v, 0, sizeof(v));
	initStringInfo(&v.sql);
	v.alias = alias;
	depth++;
	PG_TRY();
	{
		dllb_surql_value_sql(dllb_surql_this_as_row(res.stmts[0]->expr), none, &v, &row);
	}
	PG_FINALLY();
	{
		depth--;
	}
	PG_END_TRY();
	result = dllb_surql_inline_params(&v);
	return result;
}

void
dllb_surql_computed_sql(const TableInfo *ti, int k, const char *alias, SurqlSql *out)
{
	appendStringInfo(&out->sql, "(%s)", computed_text(ti, k, alias));
}

/*
 * path_indexed - whether a DEFINE INDEX of table ti names the field path
 * keys[0..n) among its FIELDS (cached with the index lookups)
 */
static bool
path_indexed(const TableInfo *ti, char **keys, int n)
{
	StringInfoData path;
	char	   *key;
	char	   *cached;
	bool		found = false;
	Datum		arg[1];
	Oid			types[1] = {TEXTOID};
	uint64		r;
	int			i;

	if (ti == NULL || ti->is_subquery || ti->rel == NULL)
		return false;
	initStringInfo(&path);
	for (i = 0; i < n; i++)
		appendStringInfo(&path, "%s%s", i ? "." : "", keys[i]);
	key = psprintf("path:%s:%s", ti->rel, path.data);
	if (dllb_surql_index_cache_get(key, &cached))
		return cached != NULL;
	arg[0] = CStringGetTextDatum(ti->rel);
	if (SPI_execute_with_args("SELECT d.value FROM jsonb_each_text(dllb.definitions($1::regclass) -> 'indexes') AS d",
							  1, types, arg, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "looking up the indexes of a table failed");
	for (r = 0; r < SPI_processed && !found; r++)
	{
		char	   *def = SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1);
		char	   *f = def ? strstr(def, " FIELDS ") : NULL;

		if (f == NULL)
			continue;
		f += 8;
		/* the FIELDS list: items separated by ", ", ended by a space */
		for (;;)
		{
			size_t		len = strcspn(f, ", ");

			if (len == strlen(path.data) && strncmp(f, path.data, len) == 0)
			{
				found = true;
				break;
			}
			if (strncmp(f + len, ", ", 2) != 0)
				break;
			f += len + 2;
		}
	}
	dllb_surql_index_cache_put(key, found ? "t" : NULL);
	return found;
}

/* the field path keys[0..n) of the row alias of table ti, as jsonb */
void
dllb_surql_path_json(const TableInfo *ti, const char *alias, char **keys, int n, SurqlSql *out)
{
	int			c = dllb_surql_column_of(ti, keys[0]);
	int			k = dllb_surql_computed_of(ti, keys[0]);
	int			i;

	for (i = 1; k >= 0 && i < n; i++)
		if (strcmp(keys[i], "*") == 0)
			dllb_surql_unsupported("a path a.*.b through a COMPUTED field");
	if (k >= 0)
	{
		/* a COMPUTED field: its value now */
		if (n == 1)
		{
			dllb_surql_computed_sql(ti, k, alias, out);
			return;
		}
		appendStringInfo(&out->sql, "jsonb_extract_path(%s", computed_text(ti, k, alias));
		for (i = 1; i < n; i++)
			appendStringInfo(&out->sql, ", %s", quote_literal_cstr(keys[i]));
		appendStringInfoChar(&out->sql, ')');
		return;
	}

	if (n == 1 && strcmp(keys[0], "id") == 0 && !(ti && ti->is_subquery))
	{
		appendStringInfo(&out->sql, "to_jsonb(%s.id::text)", alias);
		return;
	}
	if (n == 1 && ti && ti->is_edge && (strcmp(keys[0], "in") == 0 || strcmp(keys[0], "out") == 0))
	{
		appendStringInfo(&out->sql, "to_jsonb(%s.%s::text)", alias, quote_identifier(keys[0]));
		return;
	}
	if (c >= 0 && n == 1)
	{
		column_json(&out->sql, ti, alias, c);
		return;
	}
	/*
	 * field names are written in as literals (never values): the same text
	 * as the expression of an index DEFINE INDEX makes, so it can serve
	 */
	if (c < 0 && n == 1)
	{
		/* the operator form is cheaper than the variadic function */
		appendStringInfo(&out->sql, "(%s.data -> %s::text)", alias, quote_literal_cstr(keys[0]));
		return;
	}
	for (i = 1; i < n; i++)
		if (strcmp(keys[i], "*") == 0)
			break;
	if (i < n)
	{
		/* a.*.b: through each element (or value) of a (dllb.surql_follow) */
		appendStringInfoString(&out->sql, "dllb.surql_follow(");
		if (c >= 0)
			column_json(&out->sql, ti, alias, c);
		else
			appendStringInfo(&out->sql, "(%s.data -> %s::text)", alias, quote_literal_cstr(keys[0]));
		appendStringInfoString(&out->sql, ", ARRAY[");
		for (i = 1; i < n; i++)
			appendStringInfo(&out->sql, "%s%s", i > 1 ? ", " : "", quote_literal_cstr(keys[i]));
		appendStringInfoString(&out->sql, "]::text[], dllb.dialect_schema())");
		return;
	}
	if (out->plain_paths || (out->filtering && path_indexed(ti, keys, n)))
	{
		/*
		 * in a WHERE, a path a DEFINE INDEX is on: the index's expression,
		 * so that it serves; record links are not followed there
		 */
		appendStringInfoString(&out->sql, "jsonb_extract_path(");
		if (c >= 0)
			column_json(&out->sql, ti, alias, c);
		else
			appendStringInfo(&out->sql, "%s.data, %s", alias, quote_literal_cstr(keys[0]));
		for (i = 1; i < n; i++)
			appendStringInfo(&out->sql, ", %s", quote_literal_cstr(keys[i]));
		appendStringInfoChar(&out->sql, ')');
		return;
	}
	/*
	 * elsewhere: the path in the document, or else through the record
	 * links and arrays on the way (author.name, tags.id), as SurrealQL
	 * reads it
	 */
	{
		StringInfoData first;
		StringInfoData rest;

		initStringInfo(&first);
		if (c >= 0)
			column_json(&first, ti, alias, c);
		else
			appendStringInfo(&first, "(%s.data -> %s::text)", alias, quote_literal_cstr(keys[0]));
		initStringInfo(&rest);
		for (i = 1; i < n; i++)
			appendStringInfo(&rest, "%s%s", i > 1 ? ", " : "", quote_literal_cstr(keys[i]));
		appendStringInfo(&out->sql,
						 "coalesce(jsonb_extract_path(%s, %s), dllb.surql_follow(%s, ARRAY[%s]::text[], dllb.dialect_schema()))",
						 first.data, rest.data, first.data, rest.data);
	}
}

/* a whole row as its result: data, id and the typed columns */
void
dllb_surql_row_json(StringInfo sql, const TableInfo *ti, const char *alias)
{
	int			c;

	if (ti->is_subquery)
	{
		/* a subquery's result as it is */
		appendStringInfo(sql, "%s.data", alias);
		return;
	}
	if (ti->ncomputed > 0)
	{
		/* the row with its COMPUTED fields (left out where NONE) */
		TableInfo	plain = *ti;

		plain.ncomputed = 0;
		appendStringInfoString(sql, "dllb.surql_patch(");
		dllb_surql_row_json(sql, &plain, alias);
		appendStringInfoString(sql, ", ARRAY[");
		for (c = 0; c < ti->ncomputed; c++)
			appendStringInfo(sql, "%s%s", c ? ", " : "", quote_literal_cstr(ti->computed_names[c]));
		appendStringInfoString(sql, "]::text[], VARIADIC ARRAY[");
		for (c = 0; c < ti->ncomputed; c++)
			appendStringInfo(sql, "%s(%s)", c ? ", " : "", computed_text(ti, c, alias));
		appendStringInfoString(sql, "]::jsonb[])");
		return;
	}
	if (ti->ncols == 0 && !ti->is_edge)
	{
		appendStringInfo(sql, "(%s.data || jsonb_build_object('id', %s.id::text))", alias, alias);
		return;
	}
	/* an edge's in and out, and the typed columns that are not NONE */
	appendStringInfoString(sql, "(");
	appendStringInfo(sql, "%s.data || dllb.surql_object(ARRAY['id'", alias);
	if (ti->is_edge)
		appendStringInfoString(sql, ", 'in', 'out'");
	for (c = 0; c < ti->ncols; c++)
		appendStringInfo(sql, ", %s", quote_literal_cstr(ti->cols[c]));
	appendStringInfo(sql, "]::text[], VARIADIC ARRAY[to_jsonb(%s.id::text)", alias);
	if (ti->is_edge)
		appendStringInfo(sql, ", to_jsonb(%s.\"in\"::text), to_jsonb(%s.out::text)", alias, alias);
	for (c = 0; c < ti->ncols; c++)
	{
		appendStringInfoString(sql, ", ");
		column_json(sql, ti, alias, c);
	}
	appendStringInfoString(sql, "]::jsonb[]))");
}

/* a jsonb expression converted to the type of column c */
void
dllb_surql_cast_to_column(StringInfo sql, const TableInfo *ti, int c, const char *json)
{
	/* NONE and NULL are SQL NULL in a typed column */
	if (ti->is_vector[c])
		appendStringInfo(sql, "(nullif(%s, 'null'::jsonb)::text)::%s", json, ti->types[c]);
	else if (ti->is_json[c])
		appendStringInfo(sql, "(nullif(%s, 'null'::jsonb))::%s", json, ti->types[c]);
	else if (strcmp(ti->types[c], "text") == 0 || strcmp(ti->types[c], "bigint") == 0 ||
			 strcmp(ti->types[c], "numeric") == 0 || strcmp(ti->types[c], "double precision") == 0 ||
			 strcmp(ti->types[c], "boolean") == 0)
	{
		/* a value of another type is an error (SurrealQL does not convert it) */
		appendStringInfo(sql, "(dllb.surql_typed(%s, %s, %s) #>> '{}')::%s", json,
						 quote_literal_cstr(ti->types[c]), quote_literal_cstr(ti->cols[c]),
						 ti->types[c]);
	}
	else
		appendStringInfo(sql, "((%s) #>> '{}')::%s", json, ti->types[c]);
}

static void
field_sql(const SurqlNode *f, SurqlSql *out, const TableInfo *row)
{
	if (!row)
		dllb_surql_unsupported("a field outside a statement over a table");
	dllb_surql_path_json(row, ROW_ALIAS(out), f->keys, f->nitems, out);
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

/*
 * capture_bool - the SQL of condition n over the row alias of table ti,
 * as a string (its parameters are added to out as usual)
 */
char *
dllb_surql_capture_bool(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *ti,
						const char *alias)
{
	int			mark = out->sql.len;
	const char *saved = out->alias;
	char	   *r;

	out->alias = alias;
	dllb_surql_bool_sql(n, params, out, ti);
	out->alias = saved;
	r = pstrdup(out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	return r;
}

char *
dllb_surql_new_alias(SurqlSql *out, char letter)
{
	return psprintf("%c%d", letter, ++out->naliases);
}

int
dllb_surql_math_agg(const char *name)
{
	static const char *const names[] = {"math::sum", "math::mean", "math::min", "math::max"};
	int			i;

	for (i = 0; i < lengthof(names); i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

/*
 * call_sql - count() and math::sum/mean/min/max: aggregates over the group
 * in a grouped SELECT, over an array's elements elsewhere.  Numbers only:
 * a string is a type mismatch, null is skipped.  false: not one of them.
 */
static bool
call_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *row)
{
	static const char *const sql_aggs[] = {"sum", "avg", "min", "max"};
	/* the value of each over no numbers (SurrealDB's) */
	static const char *const empty[] = {"'0'", "'\"NaN\"'", "'\"Infinity\"'",
	"'\"-Infinity\"'"};
	int			m = dllb_surql_math_agg(n->str);
	bool		grouping = out->grouping;

	if (strcmp(n->str, "count") == 0 && n->nitems == 0)
	{
		/* outside GROUP, count() counts its row: 1 */
		appendStringInfoString(&out->sql, grouping ? "to_jsonb(count(*))" : "to_jsonb(1)");
		return true;
	}
	if ((strcmp(n->str, "time::min") == 0 || strcmp(n->str, "time::max") == 0) && n->nitems == 1)
	{
		/*
		 * the earliest / latest datetime: over the group in GROUP, else
		 * over an array's elements (NONE and null skipped)
		 */
		const char *agg = strcmp(n->str, "time::min") == 0 ? "min" : "max";

		out->grouping = false;
		if (grouping)
		{
			appendStringInfo(&out->sql, "dllb.surql_datetime(%s((nullif(", agg);
			dllb_surql_value_sql(n->items[0], params, out, row);
			appendStringInfoString(&out->sql, ", 'null'::jsonb) #>> '{}')::timestamptz))");
		}
		else
		{
			appendStringInfo(&out->sql, "(SELECT dllb.surql_datetime(%s((nullif(e_.v, 'null'::jsonb) #>> '{}')::timestamptz)) "
							 "FROM jsonb_array_elements(dllb.surql_expect(", agg);
			dllb_surql_value_sql(n->items[0], params, out, row);
			appendStringInfo(&out->sql, ", 'array', '%s', 1)) AS e_(v))", n->str);
		}
		out->grouping = grouping;
		return true;
	}
	if (strcmp(n->str, "array::group") == 0 && n->nitems == 1 && grouping)
	{
		/* in GROUP, array::group is an aggregate: every value, arrays flattened */
		out->grouping = false;
		appendStringInfoString(&out->sql, "coalesce((SELECT jsonb_agg(e_ ORDER BY o_, i_) FROM "
							   "unnest(array_agg(");
		dllb_surql_value_sql(n->items[0], params, out, row);
		appendStringInfo(&out->sql, " ORDER BY %s.id)) WITH ORDINALITY AS g_(v_, o_), "
						 "LATERAL (SELECT x_, i_ FROM jsonb_array_elements(CASE WHEN jsonb_typeof(g_.v_) = 'array' "
						 "THEN g_.v_ ELSE jsonb_build_array(g_.v_) END) WITH ORDINALITY AS y_(x_, i_)) AS z_(e_, i_) "
						 "WHERE g_.v_ IS NOT NULL), '[]'::jsonb)", ROW_ALIAS(out));
		out->grouping = grouping;
		return true;
	}
	if (strcmp(n->str, "count") == 0 && n->nitems == 1 && grouping)
	{
		/* the rows of the group where the value is true */
		out->grouping = false;
		appendStringInfoString(&out->sql, "to_jsonb(count(*) FILTER (WHERE ");
		dllb_surql_bool_sql(n->items[0], params, out, row);
		appendStringInfoString(&out->sql, "))");
		out->grouping = grouping;
		return true;
	}
	if (m < 0)
		return false;
	if (n->nitems != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function %s() takes one argument", n->str)));
	out->grouping = false;
	if (grouping)
	{
		/* a group without numbers: as over an empty array */
		appendStringInfo(&out->sql, "coalesce(to_jsonb(%s((nullif(", sql_aggs[m]);
		dllb_surql_value_sql(n->items[0], params, out, row);
		appendStringInfo(&out->sql, ", 'null'::jsonb))::numeric)%s), %s::jsonb)",
						 m == 1 ? "::float8" : "", empty[m]);
	}
	else
	{
		/*
		 * over no numbers: sum 0, mean NaN, min Infinity, max -Infinity (as
		 * SurrealDB answers); NONE stays NONE
		 */
		appendStringInfo(&out->sql, "(SELECT CASE WHEN bool_and(a_.a IS NULL) THEN NULL "
						 "WHEN count(nullif(x.v, 'null'::jsonb)) = 0 THEN %s::jsonb "
						 "ELSE to_jsonb(%s((nullif(x.v, 'null'::jsonb))::numeric)%s) END "
						 "FROM (SELECT ", empty[m], sql_aggs[m], m == 1 ? "::float8" : "");
		dllb_surql_value_sql(n->items[0], params, out, row);
		appendStringInfoString(&out->sql, ") AS a_(a) LEFT JOIN LATERAL jsonb_array_elements(a_.a) AS x(v) ON true)");
	}
	out->grouping = grouping;
	return true;
}

/*
 * group_key - in a grouped SELECT, the SQL of the GROUP BY key that n is
 * (the same SQL text, so PostgreSQL sees the same expression); a field or
 * path that is no key and outside an aggregate is an error.
 */
static bool
group_key(const SurqlNode *n, SurqlSql *out)
{
	StringInfoData text;
	int			i;

	initStringInfo(&text);
	dllb_surql_print_expr(&text, n);
	for (i = 0; i < out->ngroup; i++)
		if (strcmp(out->group_text[i], text.data) == 0)
		{
			appendStringInfoString(&out->sql, out->group_sql[i]);
			return true;
		}
	if (n->kind == SN_ALL)
		ereport(ERROR,
				(errcode(ERRCODE_GROUPING_ERROR),
				 errmsg("%s is neither in GROUP BY nor inside an aggregate function", text.data),
				 errhint("Group by it, or use it inside count(), math::sum(), math::mean(), math::min() or math::max().")));
	return false;
}

/* a function's argument as jsonb SQL, for translate_functions.c */
typedef struct CallArgs
{
	Jsonb	   *params;
	SurqlSql   *out;
	const TableInfo *row;
} CallArgs;

static char *
call_arg_sql(const SurqlNode *arg, void *cx)
{
	CallArgs   *c = (CallArgs *) cx;
	int			mark = c->out->sql.len;
	char	   *r;

	dllb_surql_value_sql(arg, c->params, c->out, c->row);
	r = pstrdup(c->out->sql.data + mark);
	c->out->sql.len = mark;
	c->out->sql.data[mark] = '\0';
	return r;
}

/*
 * dllb_surql_object_sql - the object {keys[i]: values[i]} whose values are
 * NONE are left out (dllb.surql_object)
 */
void
dllb_surql_object_sql(SurqlSql *out, char **keys, SurqlNode **values, int n, Jsonb *params,
					  const TableInfo *row)
{
	int			i;

	appendStringInfoString(&out->sql, "dllb.surql_object(ARRAY[");
	for (i = 0; i < n; i++)
		appendStringInfo(&out->sql, "%s$%d::text", i > 0 ? ", " : "",
						 dllb_surql_add_param(out, keys[i]));
	appendStringInfoString(&out->sql, "]::text[], VARIADIC ARRAY[");
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoString(&out->sql, ", ");
		dllb_surql_value_sql(values[i], params, out, row);
	}
	appendStringInfoString(&out->sql, "]::jsonb[])");
}

/* the SQL of closure parameter name, or NULL */
static const char *
local_of(const SurqlSql *out, const char *name)
{
	int			i;

	for (i = out->nlocals - 1; i >= 0; i--)
		if (strcmp(out->local_names[i], name) == 0)
			return out->local_sql[i];
	return NULL;
}

/* whether literal n holds a closure parameter (then it is not a constant) */
static bool
mentions_local(const SurqlNode *n, const SurqlSql *out)
{
	int			i;

	if (out->nlocals == 0)
		return false;
	if (n->kind == SN_PARAM)
		return local_of(out, n->str) != NULL;
	if (n->kind == SN_ARRAY || n->kind == SN_OBJECT)
		for (i = 0; i < n->nitems; i++)
			if (mentions_local(n->items[i], out))
				return true;
	return false;
}

/*
 * closure_call_sql - array::map/filter/find/any/all(a, |$v[, $i]| body):
 * the body over each element $v (and its 0-based index $i); false: not
 * one of these calls
 */
static bool
closure_call_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *row)
{
	static const char *const names[] = {"array::map", "array::filter", "array::find",
	"array::any", "array::all", "array::filter_index", "array::find_index"};
	const SurqlNode *c;
	char	   *e;
	int			which = -1;
	int			i;
	int			saved = out->nlocals;
	int			mark;
	char	   *body;
	char	   *arr;

	for (i = 0; i < lengthof(names); i++)
		if (strcmp(n->str, names[i]) == 0)
			which = i;
	if (which < 0 || n->nitems != 2 || n->items[1]->kind != SN_CLOSURE)
		return false;
	c = n->items[1];
	if (c->nitems > 2 || out->nlocals + c->nitems > SURQL_MAX_LOCALS)
		dllb_surql_unsupported("a closure with more than two parameters, or closures nested this deep");
	mark = out->sql.len;
	dllb_surql_value_sql(n->items[0], params, out, row);
	arr = pstrdup(out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	e = dllb_surql_new_alias(out, 'c');
	for (i = 0; i < c->nitems; i++)
	{
		out->local_names[out->nlocals] = c->items[i]->str;
		out->local_sql[out->nlocals++] = i == 0 ? psprintf("%s.x", e) :
			psprintf("to_jsonb(%s.i - 1)", e);
	}
	dllb_surql_value_sql(c->a, params, out, row);
	body = pstrdup(out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	out->nlocals = saved;
	switch (which)
	{
		case 0:
			appendStringInfo(&out->sql, "(SELECT coalesce(jsonb_agg(%s ORDER BY %s.i), '[]'::jsonb)", body, e);
			break;
		case 1:
			appendStringInfo(&out->sql, "(SELECT coalesce(jsonb_agg(%s.x ORDER BY %s.i), '[]'::jsonb)", e, e);
			break;
		case 2:
			appendStringInfo(&out->sql, "(SELECT %s.x", e);
			break;
		case 3:
			appendStringInfo(&out->sql, "(SELECT to_jsonb(coalesce(bool_or(dllb.surql_truthy(%s)), false))", body);
			break;
		case 4:
			appendStringInfo(&out->sql, "(SELECT to_jsonb(coalesce(bool_and(dllb.surql_truthy(%s)), true))", body);
			break;
		case 5:
			appendStringInfo(&out->sql, "(SELECT coalesce(jsonb_agg(%s.i - 1 ORDER BY %s.i), '[]'::jsonb)", e, e);
			break;
		default:
			appendStringInfo(&out->sql, "(SELECT to_jsonb(%s.i - 1)", e);
			break;
	}
	appendStringInfo(&out->sql, " FROM jsonb_array_elements(dllb.surql_expect(%s, 'array', '%s', 1)) WITH ORDINALITY AS %s(x, i)",
					 arr, n->str, e);
	if (which == 1 || which == 2 || which == 5 || which == 6)
		appendStringInfo(&out->sql, " WHERE dllb.surql_truthy(%s)", body);
	if (which == 2 || which == 6)
		appendStringInfo(&out->sql, " ORDER BY %s.i LIMIT 1", e);
	appendStringInfoChar(&out->sql, ')');
	return true;
}

/*
 * field_path_node - the field of the path text (a.b.c), as SN_FIELD
 */
static SurqlNode *
field_path_node(const char *path, int len, const char *fn)
{
	SurqlNode  *f = palloc0(sizeof(SurqlNode));
	char	   *text = pnstrdup(path, len);
	char	   *part;
	char	   *save = NULL;
	int			n = 0;

	f->kind = SN_FIELD;
	f->keys = palloc(sizeof(char *) * (len / 2 + 1));
	if (len == 0 || path[0] == '.' || path[len - 1] == '.' || strstr(text, "..") != NULL ||
		strlen(text) != (size_t) len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("incorrect arguments for function %s(): \"%s\" is no field path", fn, text)));
	for (part = strtok_r(text, ".", &save); part; part = strtok_r(NULL, ".", &save))
		f->keys[n++] = part;
	f->nitems = n;
	return f;
}

/*
 * dllb_surql_field_call - type::field(p) (the field named by the string
 * p, 'a.b' a path) and type::fields([p, ...]) (an array of such fields),
 * p a string or a $param: the SN_FIELD, or the SN_ARRAY of them; NULL when
 * n is no such call
 */
SurqlNode *
dllb_surql_field_call(const SurqlNode *n, Jsonb *params)
{
	bool		many;
	Jsonb	   *j;
	JsonbValue	v;
	SurqlNode  *arr;
	JsonbIterator *it;
	JsonbIteratorToken tok;

	if (n->kind != SN_CALL || n->flag || n->nitems != 1)
		return NULL;
	many = strcmp(n->str, "type::fields") == 0;
	if (!many && strcmp(n->str, "type::field") != 0)
		return NULL;
	if (!dllb_surql_is_literal(n->items[0]))
		dllb_surql_unsupported("type::field() and type::fields() of anything but strings written out or a $param");
	j = DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
										   CStringGetDatum(dllb_surql_literal_json(n->items[0], params))));
	if (!many)
	{
		if (!JB_ROOT_IS_SCALAR(j) || !JsonbExtractScalar(&j->root, &v) || v.type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("argument 1 of function type::field() must be a string")));
		return field_path_node(v.val.string.val, v.val.string.len, n->str);
	}
	if (!JB_ROOT_IS_ARRAY(j) || JB_ROOT_IS_SCALAR(j))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("argument 1 of function type::fields() must be an array of strings")));
	arr = palloc0(sizeof(SurqlNode));
	arr->kind = SN_ARRAY;
	arr->items = palloc(sizeof(SurqlNode *) * (JB_ROOT_COUNT(j) + 1));
	it = JsonbIteratorInit(&j->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM)
			continue;
		if (v.type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("argument 1 of function type::fields() must be an array of strings")));
		arr->items[arr->nitems++] = field_path_node(v.val.string.val, v.val.string.len, n->str);
	}
	return arr;
}

/*
 * dllb_surql_resolve_field_calls - s, or a copy of it whose output fields
 * type::field(p) are the field p and type::fields([p, q]) the fields p
 * and q (named as those fields are)
 */
const SurqlStmt *
dllb_surql_resolve_field_calls(const SurqlStmt *s, Jsonb *params)
{
	SurqlStmt  *c;
	int			i;
	int			k;

	for (i = 0; i < s->nfields; i++)
		if (s->fields[i]->kind == SN_CALL && !s->fields[i]->flag &&
			(strcmp(s->fields[i]->str, "type::field") == 0 ||
			 strcmp(s->fields[i]->str, "type::fields") == 0))
			break;
	if (i == s->nfields)
		return s;
	c = palloc(sizeof(SurqlStmt));
	*c = *s;
	c->nfields = 0;
	c->fields = palloc(sizeof(SurqlNode *) * s->nfields);
	c->aliases = palloc(sizeof(char *) * s->nfields);
	for (i = 0; i < s->nfields; i++)
	{
		SurqlNode  *f = dllb_surql_field_call(s->fields[i], params);
		int			want = c->nfields + (f && f->kind == SN_ARRAY && s->aliases[i] == NULL ?
										  f->nitems : 1);

		if (want > s->nfields)
		{
			c->fields = repalloc(c->fields, sizeof(SurqlNode *) * want);
			c->aliases = repalloc(c->aliases, sizeof(char *) * want);
		}
		if (f && f->kind == SN_ARRAY && s->aliases[i] == NULL)
		{
			for (k = 0; k < f->nitems; k++)
			{
				c->fields[c->nfields] = f->items[k];
				c->aliases[c->nfields++] = NULL;
			}
			continue;
		}
		c->fields[c->nfields] = f ? f : s->fields[i];
		c->aliases[c->nfields++] = s->aliases[i];
	}
	return c;
}

/*
 * fold_call_sql - array::fold(a, init, |$acc, $v[, $i]| body) and
 * array::reduce(a, |$acc, $v[, $i]| body): the body over each element in
 * turn, $acc the body's value for the element before (init; for reduce
 * the first element, the others folded from index 0), as a recursive
 * query; reduce of an empty array is NONE.  false: not one of these calls
 */
static bool
fold_call_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *row)
{
	bool		reduce = strcmp(n->str, "array::reduce") == 0;
	const SurqlNode *c;
	int			saved = out->nlocals;
	int			mark;
	int			i;
	char	   *f;
	char	   *arr;
	char	   *init = NULL;
	char	   *body;

	if (!reduce && strcmp(n->str, "array::fold") != 0)
		return false;
	if (n->nitems != (reduce ? 2 : 3) || n->items[n->nitems - 1]->kind != SN_CLOSURE)
		return false;
	c = n->items[n->nitems - 1];
	if (c->nitems > 3 || out->nlocals + c->nitems > SURQL_MAX_LOCALS)
		dllb_surql_unsupported("a closure with more than three parameters, or closures nested this deep");
	mark = out->sql.len;
	appendStringInfo(&out->sql, "dllb.surql_expect(coalesce(");
	dllb_surql_value_sql(n->items[0], params, out, row);
	appendStringInfo(&out->sql, ", 'null'::jsonb), 'array', '%s', 1)", n->str);
	arr = pstrdup(out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	if (!reduce)
	{
		dllb_surql_value_sql(n->items[1], params, out, row);
		init = pstrdup(out->sql.data + mark);
		out->sql.len = mark;
		out->sql.data[mark] = '\0';
	}
	f = dllb_surql_new_alias(out, 'f');
	for (i = 0; i < c->nitems; i++)
	{
		out->local_names[out->nlocals] = c->items[i]->str;
		out->local_sql[out->nlocals++] = i == 0 ? psprintf("%s.acc", f) :
			i == 1 ? psprintf("(%s.a -> (%s.i)::int)", f, f) :
			psprintf("to_jsonb(%s.i - %d)", f, reduce ? 1 : 0);
	}
	dllb_surql_value_sql(c->a, params, out, row);
	body = pstrdup(out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	out->nlocals = saved;

	/* f(a, i, acc): the array, the index of the next element, the value so far */
	appendStringInfo(&out->sql,
					 "(WITH RECURSIVE %s(a, i, acc) AS (SELECT a_.a, %s, %s FROM (SELECT %s) AS a_(a) "
					 "UNION ALL SELECT %s.a, %s.i + 1, %s FROM %s WHERE %s.i < jsonb_array_length(%s.a)) "
					 "SELECT %s.acc FROM %s ORDER BY %s.i DESC LIMIT 1)",
					 f, reduce ? "1" : "0", reduce ? "a_.a -> 0" : init, arr,
					 f, f, body, f, f, f, f, f, f);
	return true;
}

/*
 * range_call_sql - fn(v, lo, hi, open_start, inclusive_end) for v and the
 * range r (a..b, a>..b, a..=b; no b: NULL), without the closing parenthesis
 */
static void
range_call_sql(const char *fn, const SurqlNode *v, const SurqlNode *r, Jsonb *params,
			   SurqlSql *out, const TableInfo *row)
{
	appendStringInfoString(&out->sql, fn);
	dllb_surql_value_sql(v, params, out, row);
	appendStringInfoString(&out->sql, ", ");
	dllb_surql_value_sql(r->a, params, out, row);
	appendStringInfoString(&out->sql, ", ");
	if (r->b)
		dllb_surql_value_sql(r->b, params, out, row);
	else
		appendStringInfoString(&out->sql, "NULL::jsonb");
	appendStringInfo(&out->sql, ", %s, %s", r->flag ? "true" : "false",
					 r->ival ? "true" : "false");
}

/*
 * method_sql - v.name(args): the function family::name(v, args) of v's
 * type; when more than one family has name (len: string and array), the
 * one of the value's type at run time
 */
static void
method_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *row)
{
	static const char *const families[][2] = {
		{"string", "string"}, {"array", "array"}, {"object", "object"}, {"number", "math"},
		{NULL, "type"}, {NULL, "record"}, {NULL, "time"}, {NULL, "duration"}, {NULL, "vector"}};
	const char *found[lengthof(families)];
	int			nfound = 0;
	int			i;
	SurqlNode	call = *n;
	char	   *recv;
	int			mark;

	if (strcmp(n->str, "type_of") == 0)
	{
		/* v.type_of(): type::of(v) */
		call.flag = false;
		call.str = "type::of";
		dllb_surql_value_sql(&call, params, out, row);
		return;
	}
	for (i = 0; i < lengthof(families); i++)
	{
		char	   *full = psprintf("%s::%s", families[i][1], n->str);

		found[i] = NULL;
		if (dllb_surql_function_exists(full) ||
			(strcmp(families[i][1], "array") == 0 &&
			 (strcmp(n->str, "map") == 0 || strcmp(n->str, "filter") == 0 ||
			  strcmp(n->str, "find") == 0 || strcmp(n->str, "any") == 0 ||
			  strcmp(n->str, "all") == 0 || strcmp(n->str, "fold") == 0 ||
			  strcmp(n->str, "reduce") == 0)))
		{
			found[i] = full;
			nfound++;
		}
	}
	if (nfound == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("unknown method %s()", n->str),
				 errhint("A method v.name() is a function family::name(v) of the value's type.")));
	call.flag = false;
	if (nfound == 1)
	{
		for (i = 0; found[i] == NULL; i++)
			;
		call.str = (char *) found[i];
		dllb_surql_value_sql(&call, params, out, row);
		return;
	}
	/* by the receiver's type at run time */
	mark = out->sql.len;
	dllb_surql_value_sql(n->items[0], params, out, row);
	recv = pstrdup(out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	appendStringInfo(&out->sql, "(CASE jsonb_typeof(%s)", recv);
	for (i = 0; i < lengthof(families); i++)
	{
		if (found[i] == NULL || families[i][0] == NULL)
			continue;
		call.str = (char *) found[i];
		appendStringInfo(&out->sql, " WHEN '%s' THEN ", families[i][0]);
		dllb_surql_value_sql(&call, params, out, row);
	}
	for (i = 0; i < lengthof(families); i++)
		if (found[i])
			break;
	call.str = (char *) found[i];
	appendStringInfoString(&out->sql, " ELSE ");
	dllb_surql_value_sql(&call, params, out, row);
	appendStringInfoString(&out->sql, " END)");
}

/* an expression as a jsonb value; row: there is a current row t */
/*
 * if_value_sql - IF c THEN a [ELSE IF ...] [ELSE b] END as a value: a CASE
 * (NONE without ELSE); each branch must be one expression
 */
static void
if_value_sql(const SurqlStmt *st, Jsonb *params, SurqlSql *out, const TableInfo *row)
{
	const SurqlStmt *b;

	if (st->nbody != 1 || (st->body[0]->kind != SS_EXPR && st->body[0]->kind != SS_RETURN) ||
		st->nelse > 1 ||
		(st->nelse == 1 && st->else_body[0]->kind != SS_EXPR &&
		 st->else_body[0]->kind != SS_RETURN && st->else_body[0]->kind != SS_IF))
		dllb_surql_unsupported("an IF value whose branches are not one expression each");
	appendStringInfoString(&out->sql, "(CASE WHEN ");
	dllb_surql_bool_sql(st->where, params, out, row);
	appendStringInfoString(&out->sql, " THEN ");
	dllb_surql_value_sql(st->body[0]->expr, params, out, row);
	appendStringInfoString(&out->sql, " ELSE ");
	if (st->nelse == 0)
		appendStringInfoString(&out->sql, "NULL::jsonb");
	else if ((b = st->else_body[0])->kind == SS_IF)
		if_value_sql(b, params, out, row);
	else
		dllb_surql_value_sql(b->expr, params, out, row);
	appendStringInfoString(&out->sql, " END)");
}

void
dllb_surql_value_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *row)
{
	int			i;

	check_stack_depth();
	if (n->kind == SN_PARAM && local_of(out, n->str) && n->nitems > 0)
	{
		/* $v.a.b of a closure parameter (or $before, $after): that path in it */
		StringInfoData keys;

		initStringInfo(&keys);
		for (i = 0; i < n->nitems; i++)
			appendStringInfo(&keys, "%s%s", i ? ", " : "", quote_literal_cstr(n->keys[i]));
		appendStringInfo(&out->sql,
						 "coalesce(jsonb_extract_path(%s, %s), dllb.surql_follow(%s, ARRAY[%s]::text[], dllb.dialect_schema()))",
						 local_of(out, n->str), keys.data, local_of(out, n->str), keys.data);
		return;
	}
	if (n->kind == SN_PARAM && local_of(out, n->str))
	{
		appendStringInfoString(&out->sql, local_of(out, n->str));
		return;
	}
	if (n->kind == SN_PARAM && row != NULL && strcmp(n->str, "this") == 0 && !out->grouping)
	{
		/* $this in a statement over rows: the current record (or value); $this.a its field */
		if (n->nitems > 0)
			dllb_surql_path_json(row, ROW_ALIAS(out), n->keys, n->nitems, out);
		else
			dllb_surql_row_json(&out->sql, row, ROW_ALIAS(out));
		return;
	}
	if (n->kind == SN_NONE)
	{
		/* NONE is no value: SQL NULL (NULL is JSON null) */
		appendStringInfoString(&out->sql, "NULL::jsonb");
		return;
	}
	if (dllb_surql_is_literal(n) && !mentions_local(n, out))
	{
		char	   *json = dllb_surql_literal_json(n, params);

		appendStringInfo(&out->sql, "$%d::jsonb", dllb_surql_add_param(out, json));
		pfree(json);
		return;
	}
	if (out->grouping && group_key(n, out))
		return;
	if (out->grouping && (n->kind == SN_FIELD || n->kind == SN_GRAPH))
	{
		/*
		 * outside aggregates, a field of a group is the array of its values
		 * in the group (SurrealQL accumulates them), in record order
		 */
		out->grouping = false;
		appendStringInfoString(&out->sql, "coalesce(jsonb_agg(coalesce(");
		dllb_surql_value_sql(n, params, out, row);
		appendStringInfo(&out->sql, ", 'null'::jsonb) ORDER BY %s.id), '[]'::jsonb)",
						 ROW_ALIAS(out));
		out->grouping = true;
		return;
	}
	switch (n->kind)
	{
		case SN_FIELD:
			field_sql(n, out, row);
			return;
		case SN_BINARY:
			if (n->op == SURQL_OP_INDEX && n->b->kind == SN_RANGE)
			{
				/* a[i..j]: the elements i to j (j left out, unless ..=) */
				range_call_sql("dllb.surql_index_range(", n->a, n->b, params, out, row);
				appendStringInfoChar(&out->sql, ')');
				return;
			}
			if (n->op == SURQL_OP_INDEX)
			{
				appendStringInfoString(&out->sql, "dllb.surql_index(");
				dllb_surql_value_sql(n->a, params, out, row);
				appendStringInfoString(&out->sql, ", ");
				dllb_surql_value_sql(n->b, params, out, row);
				appendStringInfoChar(&out->sql, ')');
				return;
			}
			if (n->op == -(int) KW_AND || n->op == -(int) KW_OR)
			{
				/*
				 * as a value, a OR b is a when a is truthy, else b; a AND b
				 * is a when a is not truthy, else b (SurrealQL's values,
				 * not booleans: NONE OR 'x' is 'x')
				 */
				int			mark = out->sql.len;
				char	   *a;

				dllb_surql_value_sql(n->a, params, out, row);
				a = pstrdup(out->sql.data + mark);
				out->sql.len = mark;
				out->sql.data[mark] = '\0';
				appendStringInfo(&out->sql, "(CASE WHEN %sdllb.surql_truthy(%s) THEN %s ELSE ",
								 n->op == -(int) KW_AND ? "NOT " : "", a, a);
				dllb_surql_value_sql(n->b, params, out, row);
				appendStringInfoString(&out->sql, " END)");
				return;
			}
			if (n->op == TK_QQ && n->a->kind != SN_NONE && n->a->kind != SN_NULL &&
				n->a->kind != SN_PARAM && dllb_surql_is_literal(n->a))
			{
				/* 1 ?? b: a value that is there, b never evaluated */
				dllb_surql_value_sql(n->a, params, out, row);
				return;
			}
			if (n->op == TK_QQ || n->op == TK_QCOLON)
			{
				/* a ?? b: b when a is NONE or NULL; a ?: b: b when a is not true */
				int			mark = out->sql.len;
				char	   *a;

				dllb_surql_value_sql(n->a, params, out, row);
				a = pstrdup(out->sql.data + mark);
				out->sql.len = mark;
				out->sql.data[mark] = '\0';
				if (n->op == TK_QQ)
					appendStringInfo(&out->sql, "coalesce(nullif(%s, 'null'::jsonb), ", a);
				else
					appendStringInfo(&out->sql, "(CASE WHEN dllb.surql_truthy(%s) THEN %s ELSE ", a, a);
				dllb_surql_value_sql(n->b, params, out, row);
				appendStringInfoString(&out->sql, n->op == TK_QQ ? ")" : " END)");
				return;
			}
			if (n->op == TK_PLUS || n->op == TK_MINUS || n->op == TK_STAR || n->op == TK_SLASH ||
				n->op == TK_PERCENT || n->op == TK_POW)
			{
				/* integers stay integers; NONE in gives NONE (dllb.surql_arith) */
				appendStringInfo(&out->sql, "dllb.surql_arith('%s', ",
								 n->op == TK_PLUS ? "+" : n->op == TK_MINUS ? "-" :
								 n->op == TK_STAR ? "*" : n->op == TK_SLASH ? "/" :
								 n->op == TK_PERCENT ? "%" : "**");
				dllb_surql_value_sql(n->a, params, out, row);
				appendStringInfoString(&out->sql, ", ");
				dllb_surql_value_sql(n->b, params, out, row);
				appendStringInfoChar(&out->sql, ')');
				return;
			}
			break;
		case SN_UNARY:
			if (n->op == TK_MINUS)
			{
				appendStringInfoString(&out->sql, "dllb.surql_arith('*', ");
				dllb_surql_value_sql(n->a, params, out, row);
				appendStringInfoString(&out->sql, ", '-1'::jsonb)");
				return;
			}
			break;
		case SN_GRAPH:
			dllb_surql_graph_sql(n, params, out, row, false);
			return;
		case SN_CALL:
			if (n->flag)
			{
				method_sql(n, params, out, row);
				return;
			}
			{
				SurqlNode  *f = dllb_surql_field_call(n, params);

				if (f)
				{
					dllb_surql_value_sql(f, params, out, row);
					return;
				}
			}
			if (call_sql(n, params, out, row))
				return;
			if (dllb_surql_search_call_sql(n, params, out))
				return;
			if (strcmp(n->str, "vector::distance::knn") == 0 && n->nitems == 0)
			{
				if (out->knn == NULL)
					dllb_surql_unsupported("vector::distance::knn() without a <|k|> condition");
				appendStringInfoString(&out->sql, "to_jsonb(t.knn_distance_)");
				return;
			}
			if (strcmp(n->str, "count") == 0 && n->nitems == 1 &&
				n->items[0]->kind == SN_GRAPH && n->items[0]->b == NULL)
			{
				/* count the records a path reaches without listing them */
				dllb_surql_graph_sql(n->items[0], params, out, row, true);
				return;
			}
			if (strcmp(n->str, "count") == 0 && n->nitems == 1)
			{
				appendStringInfoString(&out->sql, "to_jsonb(dllb.surql_count(");
				dllb_surql_value_sql(n->items[0], params, out, row);
				appendStringInfoString(&out->sql, "))");
				return;
			}
			if (closure_call_sql(n, params, out, row) || fold_call_sql(n, params, out, row))
				return;
			{
				CallArgs	cx = {params, out, row};

				dllb_surql_function_sql(n, &out->sql, call_arg_sql, &cx);
				return;
			}
		case SN_ARRAY:
			/* an array or object with computed values, element by element */
			appendStringInfoString(&out->sql, "jsonb_build_array(");
			for (i = 0; i < n->nitems; i++)
			{
				if (i > 0)
					appendStringInfoString(&out->sql, ", ");
				dllb_surql_value_sql(n->items[i], params, out, row);
			}
			appendStringInfoChar(&out->sql, ')');
			return;
		case SN_OBJECT:
			/* a field whose value is NONE is left out */
			dllb_surql_object_sql(out, n->keys, n->items, n->nitems, params, row);
			return;
		case SN_SUBQUERY:
			if (n->stmt->kind == SS_IF)
			{
				if_value_sql(n->stmt, params, out, row);
				return;
			}
			if (n->stmt->only)
			{
				/* (SELECT ... FROM ONLY ...): its one result (NONE without one) */
				appendStringInfo(&out->sql,
								 "(SELECT CASE WHEN count(*) > 1 THEN dllb.surql_throw("
								 "'\"Expected a single result output when using the ONLY keyword\"') "
								 "ELSE (array_agg(s_.r))[1] END FROM (%s) AS s_(r))",
								 dllb_surql_subquery_sql(n->stmt, params, out));
				return;
			}
			/* its results, as an array */
			appendStringInfo(&out->sql,
							 "(SELECT coalesce(jsonb_agg(s_.r), '[]'::jsonb) FROM (%s) AS s_(r))",
							 dllb_surql_subquery_sql(n->stmt, params, out));
			return;
		case SN_CAST:
			if (n->a->kind == SN_RANGE)
			{
				/* <array> a..b: the integers from a to b */
				if (pg_strcasecmp(n->str, "array") != 0 && pg_strcasecmp(n->str, "array<int>") != 0)
					dllb_surql_unsupported("a cast of a range to anything but <array>");
				appendStringInfoString(&out->sql, "dllb.surql_range_array(");
				dllb_surql_value_sql(n->a->a, params, out, row);
				appendStringInfoString(&out->sql, ", ");
				if (n->a->b)
					dllb_surql_value_sql(n->a->b, params, out, row);
				else
					appendStringInfoString(&out->sql, "NULL::jsonb");
				appendStringInfo(&out->sql, ", %s, %s)", n->a->flag ? "true" : "false",
								 n->a->ival ? "true" : "false");
				return;
			}
			if (n->a->kind == SN_REGEX && pg_strcasecmp(n->str, "regex") == 0)
			{
				/* <regex> /re/ is /re/ */
				dllb_surql_value_sql(n->a, params, out, row);
				return;
			}
			/* <type> v (dllb.surql_cast) */
			appendStringInfo(&out->sql, "dllb.surql_cast($%d, ", dllb_surql_add_param(out, n->str));
			dllb_surql_value_sql(n->a, params, out, row);
			appendStringInfoChar(&out->sql, ')');
			return;
		case SN_DESTRUCTURE:
			{
				/* a.{f, g}: an object of those fields (of each element of an array) */
				int			k;

				appendStringInfoString(&out->sql, "dllb.surql_pick(");
				dllb_surql_value_sql(n->a, params, out, row);
				appendStringInfoString(&out->sql, ", ARRAY[");
				for (k = 0; k < n->nitems; k++)
					appendStringInfo(&out->sql, "%s$%d::text", k ? ", " : "",
									 dllb_surql_add_param(out, n->keys[k]));
				appendStringInfoString(&out->sql, "]::text[], ");
				{
					/*
					 * each name's path (a jsonb array of them): h: g.x the
					 * path g.x, a plain f the field f
					 */
					StringInfoData paths;

					initStringInfo(&paths);
					appendStringInfoChar(&paths, '[');
					for (k = 0; k < n->nitems; k++)
					{
						const SurqlNode *f = n->b ? n->b->items[k] : NULL;
						int			j;

						appendStringInfoString(&paths, k ? ", [" : "[");
						if (f == NULL || f->kind != SN_FIELD)
							escape_json(&paths, n->keys[k]);
						for (j = 0; f && f->kind == SN_FIELD && j < f->nitems; j++)
						{
							if (j > 0)
								appendStringInfoString(&paths, ", ");
							escape_json(&paths, f->keys[j]);
						}
						appendStringInfoChar(&paths, ']');
					}
					appendStringInfoChar(&paths, ']');
					appendStringInfo(&out->sql, "$%d::jsonb, ", dllb_surql_add_param(out, paths.data));
				}
				appendStringInfoString(&out->sql, "dllb.dialect_schema())");
				return;
			}
		case SN_RECORD:
			if (!n->flag)
			{
				/* t:[e, ...]: a record id made now from the key's values */
				appendStringInfo(&out->sql, "to_jsonb(dllb.record($%d, ",
								 dllb_surql_add_param(out, n->str));
				dllb_surql_value_sql(n->key, params, out, row);
				appendStringInfoString(&out->sql, ")::text)");
				return;
			}
			dllb_surql_unsupported("a range of records outside FROM");
		case SN_IF:
			/* IF c { a } ELSE { b } as a value: a when c is truthy */
			appendStringInfoString(&out->sql, "(CASE WHEN dllb.surql_truthy(");
			dllb_surql_value_sql(n->a, params, out, row);
			appendStringInfoString(&out->sql, ") THEN ");
			dllb_surql_value_sql(n->b, params, out, row);
			appendStringInfoString(&out->sql, " ELSE ");
			if (n->key)
				dllb_surql_value_sql(n->key, params, out, row);
			else
				appendStringInfoString(&out->sql, "NULL::jsonb");
			appendStringInfoString(&out->sql, " END)");
			return;
		case SN_SET:
			{
				/* a set: its distinct elements in SurrealQL's order (an array) */
				int			k;

				appendStringInfoString(&out->sql, "dllb.surql_set(jsonb_build_array(");
				for (k = 0; k < n->nitems; k++)
				{
					appendStringInfoString(&out->sql, k ? ", coalesce(" : "coalesce(");
					dllb_surql_value_sql(n->items[k], params, out, row);
					appendStringInfoString(&out->sql, ", 'null'::jsonb)");
				}
				appendStringInfoString(&out->sql, "))");
				return;
			}
		case SN_REGEX:
			{
				/* a regex as a value: the string of its text, /pattern/ */
				StringInfoData text;
				StringInfoData json;
				const char *c;

				initStringInfo(&text);
				appendStringInfoChar(&text, '/');
				for (c = n->str; *c; c++)
				{
					if (*c == '/')
						appendStringInfoChar(&text, '\\');
					appendStringInfoChar(&text, *c);
				}
				appendStringInfoChar(&text, '/');
				initStringInfo(&json);
				escape_json(&json, text.data);
				appendStringInfo(&out->sql, "$%d::jsonb", dllb_surql_add_param(out, json.data));
				return;
			}
		case SN_RANGE:
			dllb_surql_unsupported("a range a..b as a value (outside IN, an index a[i..j], <array> and FOR)");
		case SN_CLOSURE:
			dllb_surql_unsupported("a closure outside array::map, array::filter, array::find, array::any, array::all and array::fold");
		case SN_ALL:
		case SN_STEP:
		case SN_RECURSE:
			dllb_surql_unsupported("this expression as a value");
		default:
			break;
	}
	if (n->kind == SN_BINARY && n->a->kind != SN_GRAPH && n->b->kind != SN_GRAPH &&
		(n->op == TK_LT || n->op == TK_LE || n->op == TK_GT || n->op == TK_GE))
	{
		/*
		 * a < b as a value (not a condition): SurrealQL's order, across
		 * types too (NONE < NULL < bool < number < string ...)
		 */
		appendStringInfoString(&out->sql, "to_jsonb(dllb.surql_cmp(");
		dllb_surql_value_sql(n->a, params, out, row);
		appendStringInfoString(&out->sql, ", ");
		dllb_surql_value_sql(n->b, params, out, row);
		appendStringInfo(&out->sql, ") %s 0)", cmp_sql(n->op));
		return;
	}
	/* a condition used as a value: true or false, never null */
	{
		bool		filtering = out->filtering;

		out->filtering = false;
		appendStringInfoString(&out->sql, "to_jsonb(");
		dllb_surql_bool_sql(n, params, out, row);
		appendStringInfoChar(&out->sql, ')');
		out->filtering = filtering;
	}
}

/*
 * text_equality - field = 'string' (==, !=) on a column of type text as
 * the column's own comparison with the string's text, which its btree
 * index can serve: the same truth as comparing the two as JSON (strings
 * are equal as JSON exactly when their texts are; a missing value is
 * null either way).  False when n is not of that form.
 */
static bool
text_equality(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *row)
{
	const SurqlNode *f = n->a->kind == SN_FIELD ? n->a : n->b;
	const SurqlNode *v = f == n->a ? n->b : n->a;
	int			c;
	char	   *json;

	if (row == NULL || f->kind != SN_FIELD || f->nitems != 1 ||
		!dllb_surql_is_literal(v) || mentions_local(v, out))
		return false;
	c = dllb_surql_column_of(row, f->keys[0]);
	if (c < 0 || strcmp(row->types[c], "text") != 0)
		return false;
	json = dllb_surql_literal_json(v, params);
	if (json[0] != '"')
		return false;
	appendStringInfo(&out->sql, "%s(%s.%s OPERATOR(pg_catalog.%s) ($%d::jsonb #>> '{}'))%s",
					 out->filtering ? "" : "coalesce(", ROW_ALIAS(out), quote_identifier(row->cols[c]),
					 n->op == TK_NE ? "<>" : "=", dllb_surql_add_param(out, json),
					 out->filtering ? "" : ", false)");
	return true;
}

/* an expression as an SQL condition */
void
dllb_surql_bool_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *row)
{
	const char *cmp;

	if (n == out->knn)
	{
		/* applied by the inner query that picks the k nearest */
		appendStringInfoString(&out->sql, "true");
		return;
	}
	switch (n->kind)
	{
		case SN_BINARY:
			if (n->op == -(int) KW_AND || n->op == -(int) KW_OR)
			{
				appendStringInfoChar(&out->sql, '(');
				dllb_surql_bool_sql(n->a, params, out, row);
				appendStringInfoString(&out->sql, n->op == -(int) KW_AND ? " AND " : " OR ");
				dllb_surql_bool_sql(n->b, params, out, row);
				appendStringInfoChar(&out->sql, ')');
				return;
			}
			cmp = cmp_sql(n->op);
			if ((n->op == TK_EQ || n->op == TK_EQEQ || n->op == TK_NE) &&
				(n->a->kind == SN_REGEX || n->b->kind == SN_REGEX))
			{
				/* v = /re/: whether the string v matches the regex */
				bool		left = n->a->kind == SN_REGEX;

				appendStringInfoString(&out->sql, n->op == TK_NE ? "NOT dllb.surql_regex_match(" :
									   "dllb.surql_regex_match(");
				dllb_surql_value_sql(left ? n->b : n->a, params, out, row);
				appendStringInfo(&out->sql, ", $%d::text)",
								 dllb_surql_add_param(out, (left ? n->a : n->b)->str));
				return;
			}
			if ((n->op == TK_EQ || n->op == TK_EQEQ || n->op == TK_NE) &&
				(n->a->kind == SN_NONE || n->b->kind == SN_NONE))
			{
				/* = NONE is IS NONE: a missing field is NONE */
				SurqlNode	is = *n;

				is.kind = SN_IS_NONE;
				is.ival = n->op == TK_NE;
				is.flag = false;
				is.a = n->a->kind == SN_NONE ? n->b : n->a;
				dllb_surql_bool_sql(&is, params, out, row);
				return;
			}
			if (cmp && (n->a->kind == SN_GRAPH || n->b->kind == SN_GRAPH))
			{
				bool		left = n->a->kind == SN_GRAPH;

				/* holds when any value the path reaches satisfies it */
				appendStringInfoString(&out->sql, "EXISTS (SELECT 1 FROM jsonb_array_elements(");
				dllb_surql_value_sql(left ? n->a : n->b, params, out, row);
				appendStringInfoString(&out->sql, ") AS reached(v) WHERE ");
				if (left)
				{
					appendStringInfo(&out->sql, "reached.v %s (", cmp);
					dllb_surql_value_sql(n->b, params, out, row);
					appendStringInfoString(&out->sql, "))");
				}
				else
				{
					appendStringInfoChar(&out->sql, '(');
					dllb_surql_value_sql(n->a, params, out, row);
					appendStringInfo(&out->sql, ") %s reached.v)", cmp);
				}
				return;
			}
			if ((n->op == TK_EQ || n->op == TK_EQEQ || n->op == TK_NE) &&
				text_equality(n, params, out, row))
				return;
			if (cmp && out->filtering)
			{
				/*
				 * in a WHERE, null (NONE) excludes the row as false does,
				 * and the bare comparison can use an index
				 */
				appendStringInfoString(&out->sql, "((");
				dllb_surql_value_sql(n->a, params, out, row);
				appendStringInfo(&out->sql, ") %s (", cmp);
				dllb_surql_value_sql(n->b, params, out, row);
				appendStringInfoString(&out->sql, "))");
				return;
			}
			if (cmp)
			{
				appendStringInfoString(&out->sql, "coalesce((");
				dllb_surql_value_sql(n->a, params, out, row);
				appendStringInfo(&out->sql, ") %s (", cmp);
				dllb_surql_value_sql(n->b, params, out, row);
				appendStringInfoString(&out->sql, "), false)");
				return;
			}
			if ((n->op == -(int) KW_IN || n->op == -(int) KW_INSIDE || n->op == SURQL_OP_NOT_IN) &&
				n->b->kind == SN_RANGE)
			{
				/* v IN a..b: a <= v < b (v <= b with ..=; no b: no end) */
				range_call_sql(n->op == SURQL_OP_NOT_IN ? "NOT coalesce(dllb.surql_in_range(" :
							   "coalesce(dllb.surql_in_range(", n->a, n->b, params, out, row);
				appendStringInfoString(&out->sql, "), false)");
				return;
			}
			if (n->op == -(int) KW_CONTAINS || n->op == -(int) KW_CONTAINSNOT ||
				n->op == -(int) KW_IN || n->op == -(int) KW_INSIDE || n->op == SURQL_OP_NOT_IN)
			{
				bool		negate = n->op == -(int) KW_CONTAINSNOT || n->op == SURQL_OP_NOT_IN;
				bool		swap = n->op == -(int) KW_IN || n->op == -(int) KW_INSIDE ||
					n->op == SURQL_OP_NOT_IN;

				appendStringInfoString(&out->sql, negate ? "NOT coalesce(dllb.surql_contains((" :
									   "coalesce(dllb.surql_contains((");
				dllb_surql_value_sql(swap ? n->b : n->a, params, out, row);
				appendStringInfoString(&out->sql, "), (");
				dllb_surql_value_sql(swap ? n->a : n->b, params, out, row);
				appendStringInfoString(&out->sql, ")), false)");
				return;
			}
			if (n->op == SURQL_OP_ALLEQUAL || n->op == SURQL_OP_ANYEQUAL)
			{
				/* a *= b: every element of the array a equals b; a ?= b: some */
				appendStringInfo(&out->sql, "coalesce(dllb.surql_%s_equal((",
								 n->op == SURQL_OP_ALLEQUAL ? "all" : "any");
				dllb_surql_value_sql(n->a, params, out, row);
				appendStringInfoString(&out->sql, "), (");
				dllb_surql_value_sql(n->b, params, out, row);
				appendStringInfoString(&out->sql, ")), false)");
				return;
			}
			if (n->op == SURQL_OP_ALLINSIDE || n->op == SURQL_OP_ANYINSIDE ||
				n->op == SURQL_OP_NONEINSIDE || n->op == SURQL_OP_CONTAINSNONE)
			{
				/* a ALLINSIDE b is b CONTAINSALL a; NONE forms negate ANY */
				bool		swap = n->op != SURQL_OP_CONTAINSNONE;

				appendStringInfo(&out->sql, "%scoalesce(dllb.surql_contains_%s((",
								 n->op == SURQL_OP_NONEINSIDE || n->op == SURQL_OP_CONTAINSNONE ? "NOT " : "",
								 n->op == SURQL_OP_ALLINSIDE ? "all" : "any");
				dllb_surql_value_sql(swap ? n->b : n->a, params, out, row);
				appendStringInfoString(&out->sql, "), (");
				dllb_surql_value_sql(swap ? n->a : n->b, params, out, row);
				appendStringInfoString(&out->sql, ")), false)");
				return;
			}
			if (n->op == -(int) KW_CONTAINSALL || n->op == -(int) KW_CONTAINSANY)
			{
				bool		all = n->op == -(int) KW_CONTAINSALL;

				/* both arrays, every (some) element of b an element of a */
				appendStringInfo(&out->sql, "coalesce(dllb.surql_contains_%s((",
								 all ? "all" : "any");
				dllb_surql_value_sql(n->a, params, out, row);
				appendStringInfoString(&out->sql, "), (");
				dllb_surql_value_sql(n->b, params, out, row);
				appendStringInfoString(&out->sql, ")), false)");
				return;
			}
			break;
		case SN_UNARY:
			if (n->op == -(int) KW_NOT)
			{
				bool		filtering = out->filtering;

				/* under NOT, NONE must still be false */
				out->filtering = false;
				appendStringInfoString(&out->sql, "(NOT ");
				dllb_surql_bool_sql(n->a, params, out, row);
				appendStringInfoChar(&out->sql, ')');
				out->filtering = filtering;
				return;
			}
			break;
		case SN_IS_NONE:
			if (n->flag)
			{
				/* IS NULL: JSON null (a missing field is NONE, not NULL) */
				appendStringInfoString(&out->sql, n->ival ? "NOT coalesce((" : "coalesce((");
				dllb_surql_value_sql(n->a, params, out, row);
				appendStringInfoString(&out->sql, ") = 'null'::jsonb, false)");
				return;
			}
			/* IS NONE: missing (SQL NULL); NULL is a value */
			appendStringInfoString(&out->sql, "((");
			dllb_surql_value_sql(n->a, params, out, row);
			appendStringInfoString(&out->sql, n->ival ? ") IS NOT NULL)" : ") IS NULL)");
			return;
		case SN_GRAPH:
			{
				/* a path used as a condition: true when it reaches anything */
				const SurqlGraphIds *gi = NULL;
				int			i;

				for (i = 0; i < out->ngraph_ids; i++)
					if (out->graph_ids[i].node == n)
						gi = &out->graph_ids[i];
				if (gi && out->graph_mode == SURQL_GRAPH_DRIVEN && gi == &out->graph_ids[0])
				{
					/* the rows come from its set */
					appendStringInfoString(&out->sql, "true");
					return;
				}
				if (gi && (out->graph_mode == SURQL_GRAPH_BY_ID ||
						   (out->graph_mode != SURQL_GRAPH_FORWARD && gi != &out->graph_ids[0])))
				{
					/*
					 * the row's id in the set computed backwards (hashed
					 * once), or forward from the row when the set grew
					 * too large to compute
					 */
					appendStringInfo(&out->sql, "(CASE WHEN (SELECT %s.a FROM %s) IS NULL THEN ",
									 gi->cte, gi->cte);
					dllb_surql_graph_exists_sql(n, params, out, row);
					appendStringInfo(&out->sql, " ELSE coalesce(%s.id IN (SELECT pg_catalog.unnest(%s.a) FROM %s), false) END)",
									 ROW_ALIAS(out), gi->cte, gi->cte);
					return;
				}
				dllb_surql_graph_exists_sql(n, params, out, row);
				return;
			}
		case SN_MATCH:
			{
				const SurqlMatch *m = dllb_surql_match_of(out, n);

				if (m == NULL)
					dllb_surql_unsupported("a full-text match inside a graph filter or a subquery");
				if (out->match_by_id && m->index)
				{
					/*
					 * beside an HNSW scan: the ids the full-text index
					 * matches, hashed once, which the scan's rows are
					 * checked against (in coalesce, so the planner keeps
					 * it a filter rather than a join that loses the
					 * scan's order)
					 */
					appendStringInfo(&out->sql, "coalesce(%s.id IN (%s), false)",
									 ROW_ALIAS(out), m->ids_sql);
					return;
				}
				appendStringInfo(&out->sql, "(%s OPERATOR(pg_catalog.@@@) %s)", m->text_sql, m->query_sql);
				return;
			}
		case SN_KNN:
			dllb_surql_unsupported("a nearest-neighbour condition outside the top level of a WHERE joined by AND");
		default:
			/* any value: its truth (NONE, NULL, false, 0, '', [] and {} are false) */
			appendStringInfoString(&out->sql, "dllb.surql_truthy(");
			dllb_surql_value_sql(n, params, out, row);
			appendStringInfoChar(&out->sql, ')');
			return;
	}
	dllb_surql_unsupported("this condition");
}

/* a JSON array of strings */
char *
dllb_surql_json_string_array(char **items, int n)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		escape_json(&buf, items[i]);
	}
	appendStringInfoChar(&buf, ']');
	return buf.data;
}
