/*-------------------------------------------------------------------------
 *
 * surql_values.c
 *	  SQL-callable helpers that the translated statements call on values.
 *
 * The dialect's values are jsonb, with one difference JSON cannot hold:
 * NONE (a missing value) is SQL NULL, NULL is JSON null.  These helpers
 * keep that difference where PostgreSQL's own functions would lose it:
 *
 *	dllb.surql_object(keys text[], VARIADIC vals jsonb[])
 *		an object of the pairs whose value is not NONE (SurrealQL objects
 *		do not keep NONE), for projections and object literals
 *	dllb.surql_rank(v jsonb)
 *		the rank of v's type in SurrealQL's order (NONE < NULL < bool <
 *		number < string < array < object), the first key of an ORDER BY
 *	dllb.surql_merge(a jsonb, b jsonb)
 *		MERGE: b's fields over a's, objects merged field by field
 *	dllb.surql_arith(op text, a jsonb, b jsonb)
 *		+ - * / % **, integers staying integers as in SurrealQL
 *	dllb.surql_patch(doc jsonb, keys text[], VARIADIC vals jsonb[])
 *		SET: doc with those fields set, or removed where the value is NONE
 *	dllb.surql_recursion_guard(depth int)
 *		fails a graph recursion that outgrows work_mem (54000)
 *
 * IDENTIFICATION
 *	  src/surql/surql_values.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(dllb_surql_object);
PG_FUNCTION_INFO_V1(dllb_surql_rank);
PG_FUNCTION_INFO_V1(dllb_surql_cmp);
PG_FUNCTION_INFO_V1(dllb_surql_merge);
PG_FUNCTION_INFO_V1(dllb_surql_arith);
PG_FUNCTION_INFO_V1(dllb_surql_recursion_guard);
PG_FUNCTION_INFO_V1(dllb_surql_patch);

static void
push_string(JsonbParseState **st, JsonbIteratorToken tok, const char *s, int len)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = len;
	pushJsonbValue(st, tok, &v);
}

/* push jsonb j as a value (an element or an object's value) */
static void
push_jsonb(JsonbParseState **st, Jsonb *j)
{
	JsonbValue	v;

	if (JB_ROOT_IS_SCALAR(j))
	{
		if (!JsonbExtractScalar(&j->root, &v))
			elog(ERROR, "invalid jsonb scalar");
	}
	else
	{
		v.type = jbvBinary;
		v.val.binary.data = &j->root;
		v.val.binary.len = VARSIZE(j) - VARHDRSZ;
	}
	pushJsonbValue(st, WJB_VALUE, &v);
}

/*
 * dllb.surql_object(keys text[], VARIADIC vals jsonb[]) returns jsonb -
 * {keys[i]: vals[i]} for each i whose value is not SQL NULL (NONE); a key
 * given twice keeps its last value
 */
Datum
dllb_surql_object(PG_FUNCTION_ARGS)
{
	ArrayType  *ka;
	ArrayType  *va;
	Datum	   *keys;
	bool	   *knulls;
	Datum	   *vals;
	bool	   *vnulls;
	int			nk;
	int			nv;
	int			i;
	JsonbParseState *st = NULL;
	JsonbValue *res;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	ka = PG_GETARG_ARRAYTYPE_P(0);
	va = PG_GETARG_ARRAYTYPE_P(1);
	deconstruct_array(ka, TEXTOID, -1, false, TYPALIGN_INT, &keys, &knulls, &nk);
	deconstruct_array(va, JSONBOID, -1, false, TYPALIGN_INT, &vals, &vnulls, &nv);
	if (nk != nv)
		elog(ERROR, "dllb.surql_object: %d keys and %d values", nk, nv);
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	for (i = 0; i < nk; i++)
	{
		text	   *k;

		if (knulls[i] || vnulls[i])
			continue;
		k = DatumGetTextPP(keys[i]);
		push_string(&st, WJB_KEY, VARDATA_ANY(k), VARSIZE_ANY_EXHDR(k));
		push_jsonb(&st, DatumGetJsonbP(vals[i]));
	}
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(res));
}

/*
 * dllb.surql_rank(v jsonb) returns int - SurrealQL's order of types: NONE
 * (SQL NULL) 0, NULL 1, bool 2, number 3, string 4, array 8, object 9
 * (the numbers leave room for the types JSON has not)
 */
static int
rank_of(Jsonb *j)
{
	JsonbValue	v;

	if (!JB_ROOT_IS_SCALAR(j))
		return JB_ROOT_IS_ARRAY(j) ? 8 : 9;
	if (!JsonbExtractScalar(&j->root, &v))
		elog(ERROR, "invalid jsonb scalar");
	switch (v.type)
	{
		case jbvNull:
			return 1;
		case jbvBool:
			return 2;
		case jbvNumeric:
			return 3;
		default:
			return 4;
	}
}

Datum
dllb_surql_rank(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_INT32(0);
	PG_RETURN_INT32(rank_of(PG_GETARG_JSONB_P(0)));
}

/*
 * dllb.surql_cmp(a jsonb, b jsonb) returns int - -1, 0 or 1 as a sorts
 * before, with or after b in SurrealQL's order: by type first (as
 * dllb.surql_rank: NONE, SQL NULL, first), then as jsonb orders two
 * values of one type
 */
Datum
dllb_surql_cmp(PG_FUNCTION_ARGS)
{
	Jsonb	   *a = PG_ARGISNULL(0) ? NULL : PG_GETARG_JSONB_P(0);
	Jsonb	   *b = PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1);
	int			ra = a ? rank_of(a) : 0;
	int			rb = b ? rank_of(b) : 0;
	int			c;

	if (ra != rb)
		PG_RETURN_INT32(ra < rb ? -1 : 1);
	if (ra == 0)
		PG_RETURN_INT32(0);
	c = compareJsonbContainers(&a->root, &b->root);
	PG_RETURN_INT32(c < 0 ? -1 : c > 0 ? 1 : 0);
}

/* push the merge of containers a (may be NULL) and b, both objects */
static void
merge_objects(JsonbParseState **st, JsonbContainer *a, JsonbContainer *b)
{
	JsonbIterator *it;
	JsonbValue	k;
	JsonbValue	v;
	JsonbIteratorToken tok;

	check_stack_depth();
	CHECK_FOR_INTERRUPTS();
	pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
	/* a's fields that b does not set */
	if (a)
	{
		it = JsonbIteratorInit(a);
		while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
		{
			if (tok != WJB_KEY)
				continue;
			tok = JsonbIteratorNext(&it, &v, true);
			if (getKeyJsonValueFromContainer(b, k.val.string.val, k.val.string.len, NULL))
				continue;
			pushJsonbValue(st, WJB_KEY, &k);
			pushJsonbValue(st, WJB_VALUE, &v);
		}
	}
	/* b's fields: an object over an object merges, anything else replaces */
	it = JsonbIteratorInit(b);
	while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		JsonbValue *old;

		if (tok != WJB_KEY)
			continue;
		tok = JsonbIteratorNext(&it, &v, true);
		pushJsonbValue(st, WJB_KEY, &k);
		old = a ? getKeyJsonValueFromContainer(a, k.val.string.val, k.val.string.len, NULL) : NULL;
		if (old && old->type == jbvBinary && JsonContainerIsObject(old->val.binary.data) &&
			v.type == jbvBinary && JsonContainerIsObject(v.val.binary.data))
		{
			JsonbValue *inner;
			JsonbParseState *ist = NULL;

			merge_objects(&ist, old->val.binary.data, v.val.binary.data);
			inner = pushJsonbValue(&ist, WJB_END_OBJECT, NULL);
			push_jsonb(st, JsonbValueToJsonb(inner));
		}
		else
			pushJsonbValue(st, WJB_VALUE, &v);
	}
}

/*
 * dllb.surql_merge(a jsonb, b jsonb) returns jsonb - MERGE b into a: every
 * field of b set in a, a field that is an object in both merged the same
 * way; b not an object replaces a.  NONE (SQL NULL) a is {}.
 */
Datum
dllb_surql_merge(PG_FUNCTION_ARGS)
{
	Jsonb	   *a = PG_ARGISNULL(0) ? NULL : PG_GETARG_JSONB_P(0);
	Jsonb	   *b;
	JsonbParseState *st = NULL;

	if (PG_ARGISNULL(1))
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_JSONB_P(a);
	}
	b = PG_GETARG_JSONB_P(1);
	if (!JB_ROOT_IS_OBJECT(b))
		PG_RETURN_JSONB_P(b);
	if (a && !JB_ROOT_IS_OBJECT(a))
		a = NULL;
	merge_objects(&st, a ? &a->root : NULL, &b->root);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL)));
}

/* a JSON number as int64 when it is written without a fraction and fits */
static bool
numeric_as_int(Numeric num, int64 *out)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
	char	   *end;

	if (strchr(s, '.') != NULL || strchr(s, 'N') != NULL)
		return false;
	errno = 0;
	*out = strtoi64(s, &end, 10);
	return errno == 0 && *end == '\0';
}

static const char *
type_of(Jsonb *j)
{
	JsonbValue	v;

	if (!JB_ROOT_IS_SCALAR(j))
		return JB_ROOT_IS_ARRAY(j) ? "array" : "object";
	if (!JsonbExtractScalar(&j->root, &v))
		elog(ERROR, "invalid jsonb scalar");
	switch (v.type)
	{
		case jbvNull:
			return "null";
		case jbvBool:
			return "bool";
		case jbvNumeric:
			return "number";
		default:
			return "string";
	}
}

static Datum
int_result(int64 r)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = DatumGetNumeric(DirectFunctionCall1(int8_numeric, Int64GetDatum(r)));
	return JsonbPGetDatum(JsonbValueToJsonb(&v));
}

static Datum
numeric_result(Numeric n)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = n;
	return JsonbPGetDatum(JsonbValueToJsonb(&v));
}

/*
 * dllb.surql_arith(op text, a jsonb, b jsonb) returns jsonb - the dialect's
 * a + b, a - b, a * b, a / b, a % b, a ** b.  Numbers written without a
 * fraction are integers, and integers give integers (division truncates,
 * as SurrealQL's does; overflow and division by zero are errors); any
 * other number makes the result numeric.  + joins two strings.  NONE in
 * gives NONE; any other pair of types is a type mismatch.
 */
Datum
dllb_surql_arith(PG_FUNCTION_ARGS)
{
	char	   *op = text_to_cstring(PG_GETARG_TEXT_PP(0));
	Jsonb	   *a;
	Jsonb	   *b;
	JsonbValue	av;
	JsonbValue	bv;
	const char *ta;
	const char *tb;
	int64		ia;
	int64		ib;
	int64		r = 0;
	bool		overflow = false;
	PGFunction	f;
	Datum		res;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	a = PG_GETARG_JSONB_P(1);
	b = PG_GETARG_JSONB_P(2);
	ta = type_of(a);
	tb = type_of(b);
	if (strcmp(ta, "null") == 0 || strcmp(tb, "null") == 0)
		PG_RETURN_NULL();		/* NULL in arithmetic is NONE, as a missing value */
	if (strcmp(ta, "string") == 0 && strcmp(tb, "string") == 0 && strcmp(op, "+") == 0)
	{
		StringInfoData s;

		JsonbExtractScalar(&a->root, &av);
		JsonbExtractScalar(&b->root, &bv);
		initStringInfo(&s);
		appendBinaryStringInfo(&s, av.val.string.val, av.val.string.len);
		appendBinaryStringInfo(&s, bv.val.string.val, bv.val.string.len);
		av.val.string.val = s.data;
		av.val.string.len = s.len;
		PG_RETURN_JSONB_P(JsonbValueToJsonb(&av));
	}
	if (strcmp(ta, "number") != 0 || strcmp(tb, "number") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot compute %s %s %s: %s needs numbers%s", ta, op, tb, op,
						strcmp(op, "+") == 0 ? " or two strings" : "")));
	JsonbExtractScalar(&a->root, &av);
	JsonbExtractScalar(&b->root, &bv);
	if (numeric_as_int(av.val.numeric, &ia) && numeric_as_int(bv.val.numeric, &ib) &&
		!(strcmp(op, "**") == 0 && ib < 0))
	{
		if (strcmp(op, "**") == 0)
		{
			/* an integer to a power that is not negative: an integer */
			int64		e;

			r = 1;
			for (e = 0; e < ib && !overflow; e++)
			{
				CHECK_FOR_INTERRUPTS();
				overflow = pg_mul_s64_overflow(r, ia, &r);
				if (r == 0 || r == 1)
					break;
			}
			if (r == -1 && ia == -1)
				r = ib % 2 == 0 ? 1 : -1;
			op = "**";
		}
		else
		switch (op[0])
		{
			case '+':
				overflow = pg_add_s64_overflow(ia, ib, &r);
				break;
			case '-':
				overflow = pg_sub_s64_overflow(ia, ib, &r);
				break;
			case '*':
				overflow = pg_mul_s64_overflow(ia, ib, &r);
				break;
			case '/':
			case '%':
				if (ib == 0)
					ereport(ERROR,
							(errcode(ERRCODE_DIVISION_BY_ZERO),
							 errmsg("cannot compute " INT64_FORMAT " %s 0: division by zero", ia, op)));
				if (ib == -1 && ia == PG_INT64_MIN)
					overflow = op[0] == '/';
				else
					r = op[0] == '/' ? ia / ib : ia % ib;
				break;
			default:
				elog(ERROR, "unknown operator %s", op);
		}
		if (overflow)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("cannot compute " INT64_FORMAT " %s " INT64_FORMAT ": the result is beyond 64-bit integers",
							ia, op, ib)));
		PG_RETURN_DATUM(int_result(r));
	}
	switch (op[0])
	{
		case '+':
			f = numeric_add;
			break;
		case '-':
			f = numeric_sub;
			break;
		case '/':
			f = numeric_div;
			break;
		case '%':
			f = numeric_mod;
			break;
		default:
			f = strcmp(op, "**") == 0 ? numeric_power : numeric_mul;
			break;
	}
	res = DirectFunctionCall2(f, NumericGetDatum(av.val.numeric), NumericGetDatum(bv.val.numeric));
	if (f == numeric_div)
		res = DirectFunctionCall1(numeric_trim_scale, res);	/* 7.0 / 2 is 3.5 */
	PG_RETURN_DATUM(numeric_result(DatumGetNumeric(res)));
}

/*
 * dllb.surql_recursion_guard(depth int) returns boolean - true, until the
 * recursion it is called in has made more records than work_mem holds
 * (one call per record each level makes, about 64 bytes each): then an
 * error (54000), as dllb.traverse fails past work_mem.  Counts per call
 * site and execution (fn_extra).
 */
Datum
dllb_surql_recursion_guard(PG_FUNCTION_ARGS)
{
	int64	   *count = (int64 *) fcinfo->flinfo->fn_extra;
	int64		limit = Max((int64) work_mem * 1024 / 64, 10000);

	if (count == NULL)
	{
		count = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(int64));
		fcinfo->flinfo->fn_extra = count;
	}
	CHECK_FOR_INTERRUPTS();
	if (++*count > limit)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("graph recursion exceeded work_mem"),
				 errdetail("The recursion had made " INT64_FORMAT " records (down to depth %d); work_mem (%d kB) holds about " INT64_FORMAT ".",
						   *count, PG_ARGISNULL(0) ? 0 : PG_GETARG_INT32(0), work_mem, limit),
				 errhint("Raise work_mem, lower the recursion's maximum depth, or use +collect, which visits each record once.")));
	PG_RETURN_BOOL(true);
}

/*
 * dllb.surql_patch(doc jsonb, keys text[], VARIADIC vals jsonb[]) returns
 * jsonb - SET k = v, ...: doc (an object; anything else is {}) with each
 * key set to its value, or removed when the value is NONE (SQL NULL)
 */
Datum
dllb_surql_patch(PG_FUNCTION_ARGS)
{
	Jsonb	   *doc = PG_ARGISNULL(0) ? NULL : PG_GETARG_JSONB_P(0);
	ArrayType  *ka;
	ArrayType  *va;
	Datum	   *keys;
	bool	   *knulls;
	Datum	   *vals;
	bool	   *vnulls;
	int			nk;
	int			nv;
	int			i;
	JsonbParseState *st = NULL;
	JsonbIterator *it;
	JsonbValue	k;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		elog(ERROR, "dllb.surql_patch: keys and values must not be null");
	ka = PG_GETARG_ARRAYTYPE_P(1);
	va = PG_GETARG_ARRAYTYPE_P(2);
	deconstruct_array(ka, TEXTOID, -1, false, TYPALIGN_INT, &keys, &knulls, &nk);
	deconstruct_array(va, JSONBOID, -1, false, TYPALIGN_INT, &vals, &vnulls, &nv);
	if (nk != nv)
		elog(ERROR, "dllb.surql_patch: %d keys and %d values", nk, nv);
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	if (doc && JB_ROOT_IS_OBJECT(doc))
	{
		it = JsonbIteratorInit(&doc->root);
		while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
		{
			bool		set = false;

			if (tok != WJB_KEY)
				continue;
			JsonbIteratorNext(&it, &v, true);
			for (i = 0; i < nk && !set; i++)
			{
				text	   *t = DatumGetTextPP(keys[i]);

				set = !knulls[i] && VARSIZE_ANY_EXHDR(t) == k.val.string.len &&
					memcmp(VARDATA_ANY(t), k.val.string.val, k.val.string.len) == 0;
			}
			if (set)
				continue;
			pushJsonbValue(&st, WJB_KEY, &k);
			pushJsonbValue(&st, WJB_VALUE, &v);
		}
	}
	for (i = 0; i < nk; i++)
	{
		text	   *t;
		int			j;
		bool		later = false;

		if (knulls[i] || vnulls[i])
			continue;
		/* a key set twice takes its last value */
		t = DatumGetTextPP(keys[i]);
		for (j = i + 1; j < nk && !later; j++)
		{
			text	   *u = DatumGetTextPP(keys[j]);

			later = !knulls[j] && VARSIZE_ANY_EXHDR(t) == VARSIZE_ANY_EXHDR(u) &&
				memcmp(VARDATA_ANY(t), VARDATA_ANY(u), VARSIZE_ANY_EXHDR(t)) == 0;
		}
		if (later)
			continue;
		push_string(&st, WJB_KEY, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		push_jsonb(&st, DatumGetJsonbP(vals[i]));
	}
	PG_RETURN_JSONB_P(JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL)));
}
