/*-------------------------------------------------------------------------
 *
 * translate_functions.c
 *	  The dialect's functions (string::len(), math::abs(), ...) as SQL.
 *
 * One table: each function's dialect name, how many arguments it takes,
 * the type of its result and an SQL template over the jsonb values of its
 * arguments.  In a template, %1 ... %9 stand for the arguments (so a
 * function that takes more than nine uses %* alone) and %* for
 * the text of each (a string as itself, null as SQL NULL, anything else
 * as its JSON text), separated by commas.  An argument that is NONE (SQL
 * NULL, a missing field) or JSON null reaches the template as SQL NULL,
 * and the templates are strict, so such an argument makes the result NONE
 * (string::concat() skips it instead).  A template names each argument
 * once, outside any subquery (a subquery's work is in a helper function
 * of 40_functions.sql), so a GROUP BY key may be an argument.
 *
 * count(), math::sum/mean/min/max() and vector::distance::knn() are
 * translated by translate_expr.c (they depend on grouping and on the
 * statement); they are here too so that a call with the wrong number of
 * arguments says so.  search::score/highlight/offsets() never reach here
 * (translate_search.c).  A name that is not in the table is an
 * undefined function (42883), and so is a call with the wrong number of
 * arguments.
 *
 * IDENTIFICATION
 *	  src/surql/translate_functions.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "surql/translate.h"

PG_FUNCTION_INFO_V1(dllb_surql_expect);
PG_FUNCTION_INFO_V1(dllb_surql_contains);

typedef struct SurqlFunction
{
	const char *name;			/* as written in the dialect */
	int			min_args;
	int			max_args;		/* -1: any number */
	const char *result;			/* the type of its value */
	const char *types;			/* per argument: s string, n number, a array,
								 * ? any (the last letter repeats) */
	const char *sql;			/* template; NULL: translated elsewhere, or
								 * not yet */
} SurqlFunction;

/* the text of a jsonb value: a string as itself, other values as JSON */
#define TXT(a) "(" a ") #>> '{}'"
/* a jsonb array as a dllb.vector */
#define VEC(a) "((" a ")::text)::dllb.vector"

static const SurqlFunction functions[] = {
	/* strings */
	{"string::lowercase", 1, 1, "string", "s", "to_jsonb(lower(" TXT("%1") "))"},
	{"string::uppercase", 1, 1, "string", "s", "to_jsonb(upper(" TXT("%1") "))"},
	{"string::len", 1, 1, "int", "s", "to_jsonb(char_length(" TXT("%1") "))"},
	{"string::concat", 0, -1, "string", "?", "to_jsonb(concat('', %*))"},
	{"string::contains", 2, 2, "bool", "ss",
	"to_jsonb(strpos(" TXT("%1") ", " TXT("%2") ") > 0)"},
	{"string::starts_with", 2, 2, "bool", "ss",
	"to_jsonb(starts_with(" TXT("%1") ", " TXT("%2") "))"},

	/* arrays */
	{"array::len", 1, 1, "int", "a", "to_jsonb(jsonb_array_length(%1))"},
	{"array::distinct", 1, 1, "array", "a", "dllb.surql_array_distinct(%1)"},
	{"array::flatten", 1, 1, "array", "a", "dllb.surql_array_flatten(%1)"},

	/* numbers */
	{"math::abs", 1, 1, "number", "n", "to_jsonb(abs((%1)::numeric))"},
	{"math::round", 1, 1, "number", "n", "to_jsonb(round((%1)::numeric))"},
	{"math::sum", 1, 1, "number", "?", NULL},
	{"math::mean", 1, 1, "number", "?", NULL},
	{"math::min", 1, 1, "number", "?", NULL},
	{"math::max", 1, 1, "number", "?", NULL},
	{"count", 0, 1, "int", "?", NULL},

	/* conversions */
	{"type::string", 1, 1, "string", "?", "to_jsonb(" TXT("%1") ")"},
	{"type::int", 1, 1, "int", "?", "to_jsonb(trunc((" TXT("%1") ")::numeric)::bigint)"},
	{"type::float", 1, 1, "float", "?", "to_jsonb((" TXT("%1") ")::double precision)"},
	{"type::thing", 2, 2, "record", "s?",
	"to_jsonb(dllb.record(" TXT("%1") ", %2)::text)"},

	/* vectors */
	{"vector::similarity::cosine", 2, 2, "float", "a",
	"to_jsonb(1 - dllb.cosine_distance(" VEC("%1") ", " VEC("%2") "))"},
	{"vector::distance::euclidean", 2, 2, "float", "a",
	"to_jsonb(dllb.l2_distance(" VEC("%1") ", " VEC("%2") "))"},
	{"vector::distance::knn", 0, 0, "float", "?", NULL},

	/* time */
	{"time::now", 0, 0, "datetime", "?", "to_jsonb(now())"},
};

static const SurqlFunction *
find_function(const char *name)
{
	int			i;

	for (i = 0; i < lengthof(functions); i++)
		if (strcmp(functions[i].name, name) == 0)
			return &functions[i];
	return NULL;
}

/* dllb_surql_function_exists - whether the dialect has function name */
bool
dllb_surql_function_exists(const char *name)
{
	return find_function(name) != NULL;
}

static char *
arity_text(const SurqlFunction *f)
{
	if (f->max_args < 0)
		return psprintf("at least %d argument%s", f->min_args, f->min_args == 1 ? "" : "s");
	if (f->min_args == f->max_args && f->min_args == 0)
		return pstrdup("no arguments");
	if (f->min_args == f->max_args)
		return psprintf("%d argument%s", f->min_args, f->min_args == 1 ? "" : "s");
	if (f->max_args == f->min_args + 1)
		return psprintf("%d or %d arguments", f->min_args, f->max_args);
	return psprintf("%d to %d arguments", f->min_args, f->max_args);
}

static const char *
type_name(char t)
{
	switch (t)
	{
		case 's':
			return "string";
		case 'n':
			return "number";
		case 'a':
			return "array";
		default:
			return NULL;
	}
}

/*
 * arg_value - the SQL of argument i (0-based) of a call of f, json: its
 * null as SQL NULL, checked to be of the argument's type
 */
static void
arg_value(StringInfo sql, const SurqlFunction *f, int i, const char *json)
{
	size_t		ntypes = strlen(f->types);
	const char *want = type_name(f->types[(size_t) i < ntypes ? (size_t) i : ntypes - 1]);

	if (want)
		appendStringInfo(sql, "dllb.surql_expect(nullif(%s, 'null'::jsonb), '%s', '%s', %d)",
						 json, want, f->name, i + 1);
	else
		appendStringInfo(sql, "nullif(%s, 'null'::jsonb)", json);
}

/*
 * dllb.surql_expect(v jsonb, type text, fn text, arg int) returns jsonb -
 * v when it is a JSON value of that type (string, number, array), else a
 * type mismatch that names the function and the argument.  Strict: NONE
 * stays NONE.
 */
Datum
dllb_surql_expect(PG_FUNCTION_ARGS)
{
	Jsonb	   *v = PG_GETARG_JSONB_P(0);
	char	   *want = text_to_cstring(PG_GETARG_TEXT_PP(1));
	const char *have;

	if (JB_ROOT_IS_SCALAR(v))
	{
		JsonbValue	sc;

		if (!JsonbExtractScalar(&v->root, &sc))
			elog(ERROR, "invalid jsonb scalar");
		have = sc.type == jbvString ? "string" : sc.type == jbvNumeric ? "number" :
			sc.type == jbvBool ? "bool" : "null";
	}
	else
		have = JB_ROOT_IS_ARRAY(v) ? "array" : "object";
	if (strcmp(have, want) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("argument %d of function %s() must be %s %s, not %s %s",
						PG_GETARG_INT32(3), text_to_cstring(PG_GETARG_TEXT_PP(2)),
						want[0] == 'a' ? "an" : "a", want,
						have[0] == 'a' || have[0] == 'o' ? "an" : "a", have)));
	PG_RETURN_JSONB_P(v);
}

/*
 * dllb.surql_contains(a jsonb, b jsonb) returns boolean - the dialect's a
 * CONTAINS b: when both are strings, whether b is a substring of a; an
 * object and a string, whether the object has that key (an object and
 * anything else: false); otherwise jsonb containment (an array holds the
 * element).
 */
Datum
dllb_surql_contains(PG_FUNCTION_ARGS)
{
	Jsonb	   *a = PG_GETARG_JSONB_P(0);
	Jsonb	   *b = PG_GETARG_JSONB_P(1);

	if (JB_ROOT_IS_OBJECT(a) && JB_ROOT_IS_SCALAR(b))
	{
		JsonbValue	bv;

		/* an object contains a string when it has that key ('a' IN {a: 1}) */
		if (JsonbExtractScalar(&b->root, &bv) && bv.type == jbvString)
			PG_RETURN_BOOL(getKeyJsonValueFromContainer(&a->root, bv.val.string.val,
														bv.val.string.len, NULL) != NULL);
		PG_RETURN_BOOL(false);
	}
	if (JB_ROOT_IS_SCALAR(a) && JB_ROOT_IS_SCALAR(b))
	{
		JsonbValue	av;
		JsonbValue	bv;

		if (JsonbExtractScalar(&a->root, &av) && JsonbExtractScalar(&b->root, &bv) &&
			av.type == jbvString && bv.type == jbvString)
		{
			text	   *at = cstring_to_text_with_len(av.val.string.val, av.val.string.len);
			text	   *bt = cstring_to_text_with_len(bv.val.string.val, bv.val.string.len);

			PG_RETURN_BOOL(DatumGetInt32(DirectFunctionCall2Coll(textpos, C_COLLATION_OID,
																 PointerGetDatum(at),
																 PointerGetDatum(bt))) > 0);
		}
	}
	PG_RETURN_DATUM(DirectFunctionCall2(jsonb_contains, PointerGetDatum(a), PointerGetDatum(b)));
}

/*
 * dllb_surql_function_sql - append to sql the jsonb SQL of call n (an
 * SN_CALL), translating each argument with arg_sql (which returns its
 * jsonb SQL text without leaving it in sql).  An unknown function, or a
 * call with the wrong number of arguments, is an error.
 */
void
dllb_surql_function_sql(const SurqlNode *n, StringInfo sql, SurqlArgSql arg_sql, void *cx)
{
	const SurqlFunction *f = find_function(n->str);
	char	  **args;
	const char *c;
	int			i;

	if (f == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("unknown function %s()", n->str),
				 errhint("dllb.query's functions are listed in doc/dialect.md.")));
	if (n->nitems < f->min_args || (f->max_args >= 0 && n->nitems > f->max_args))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function %s() takes %s, not %d", n->str, arity_text(f), n->nitems)));
	if (f->sql == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function %s() is not supported by dllb.query yet", n->str)));

	/* every argument first: arg_sql uses the end of sql as scratch */
	args = palloc(sizeof(char *) * (n->nitems + 1));
	for (i = 0; i < n->nitems; i++)
		args[i] = arg_sql(n->items[i], cx);

	for (c = f->sql; *c; c++)
	{
		if (c[0] == '%' && c[1] >= '1' && c[1] <= '9')
		{
			i = *++c - '1';
			arg_value(sql, f, i, args[i]);
		}
		else if (c[0] == '%' && c[1] == '*')
		{
			c++;
			for (i = 0; i < n->nitems; i++)
				appendStringInfo(sql, "%s(%s) #>> '{}'", i > 0 ? ", " : "", args[i]);
			if (n->nitems == 0)
				appendStringInfoString(sql, "NULL");
		}
		else
			appendStringInfoChar(sql, *c);
	}
}
