/*-------------------------------------------------------------------------
 *
 * vector_type.c
 *	  SQL-callable I/O, typmod, casts and element-wise functions of
 *	  dllb.vector.
 *
 * IDENTIFICATION
 *	  src/vector/vector_type.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"

#include "vector/vector.h"
#include "vector/vector_type.h"

PG_FUNCTION_INFO_V1(dllb_vector_in);
PG_FUNCTION_INFO_V1(dllb_vector_out);
PG_FUNCTION_INFO_V1(dllb_vector_typmod_in);
PG_FUNCTION_INFO_V1(dllb_vector_typmod_out);
PG_FUNCTION_INFO_V1(dllb_vector_recv);
PG_FUNCTION_INFO_V1(dllb_vector_send);
PG_FUNCTION_INFO_V1(dllb_vector_coerce);
PG_FUNCTION_INFO_V1(dllb_array_to_vector);
PG_FUNCTION_INFO_V1(dllb_vector_to_float4);
PG_FUNCTION_INFO_V1(dllb_vector_dims);
PG_FUNCTION_INFO_V1(dllb_vector_norm);
PG_FUNCTION_INFO_V1(dllb_vector_normalize);
PG_FUNCTION_INFO_V1(dllb_vector_add);
PG_FUNCTION_INFO_V1(dllb_vector_sub);

/* a new zeroed vector of dim elements */
DllbVector *
dllb_vector_new(int dim)
{
	DllbVector *v = (DllbVector *) palloc0(DLLB_VECTOR_SIZE(dim));

	SET_VARSIZE(v, DLLB_VECTOR_SIZE(dim));
	v->dim = dim;
	return v;
}

/* raise the error for a dimension count out of range */
void
dllb_vector_check_dim(int dim)
{
	if (dim < 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("a vector must have at least 1 dimension")));
	if (dim > DLLB_VECTOR_MAX_DIM)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a vector cannot have more than %d dimensions", DLLB_VECTOR_MAX_DIM)));
}

/* raise the error for a vector that does not match its column's typmod */
static void
check_typmod(int dim, int32 typmod)
{
	if (typmod != -1 && dim != typmod)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("expected %d dimensions, not %d", typmod, dim)));
}

/* raise the error for a non-finite element */
static void
check_element(float v)
{
	if (isnan(v))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("NaN not allowed in vector")));
	if (isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("infinite value not allowed in vector")));
}

/* raise the error for two operands of different dimensions */
void
dllb_vector_check_same_dim(const DllbVector *a, const DllbVector *b)
{
	if (a->dim != b->dim)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("different vector dimensions %d and %d", a->dim, b->dim)));
}

/* the input for an error message: at most 60 bytes of it, then "..." */
static const char *
short_excerpt(const char *str)
{
	int			len = strlen(str);

	if (len <= 60)
		return str;
	return psprintf("%.*s...", pg_mbcliplen(str, len, 60), str);
}

/* dllb_vector_in - text input */
Datum
dllb_vector_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int32		typmod = PG_GETARG_INT32(2);
	float	   *buf = palloc(sizeof(float) * DLLB_VECTOR_MAX_DIM);
	int			dim;
	int			pos;
	DllbVectorError err = dllb_vector_parse(str, buf, DLLB_VECTOR_MAX_DIM, &dim, &pos);
	DllbVector *v;

	if (err != DLLB_VECTOR_OK)
		ereport(ERROR,
				(errcode(err == DLLB_VECTOR_TOO_MANY ? ERRCODE_PROGRAM_LIMIT_EXCEEDED :
						 err == DLLB_VECTOR_NOT_FINITE || err == DLLB_VECTOR_EMPTY ?
						 ERRCODE_DATA_EXCEPTION : ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type vector: \"%s\"", short_excerpt(str)),
				 errdetail("%s (at character %d).", dllb_vector_error_message(err), pos + 1)));
	check_typmod(dim, typmod);
	v = dllb_vector_new(dim);
	memcpy(v->x, buf, sizeof(float) * dim);
	pfree(buf);
	PG_RETURN_POINTER(v);
}

/* dllb_vector_out - text output */
Datum
dllb_vector_out(PG_FUNCTION_ARGS)
{
	DllbVector *v = PG_GETARG_DLLB_VECTOR(0);
	StringInfoData out;

	initStringInfo(&out);
	dllb_vector_format(v->x, v->dim, &out);
	PG_RETURN_CSTRING(out.data);
}

/* dllb_vector_typmod_in - vector(n): 1 <= n <= 16000 */
Datum
dllb_vector_typmod_in(PG_FUNCTION_ARGS)
{
	ArrayType  *ta = PG_GETARG_ARRAYTYPE_P(0);
	int32	   *tl;
	int			n;

	tl = ArrayGetIntegerTypmods(ta, &n);
	if (n != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid type modifier"),
				 errdetail("vector takes one modifier, the number of dimensions.")));
	if (tl[0] < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dimensions for type vector must be at least 1")));
	if (tl[0] > DLLB_VECTOR_MAX_DIM)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dimensions for type vector cannot exceed %d", DLLB_VECTOR_MAX_DIM)));
	PG_RETURN_INT32(tl[0]);
}

/* dllb_vector_typmod_out - "(n)" */
Datum
dllb_vector_typmod_out(PG_FUNCTION_ARGS)
{
	int32		typmod = PG_GETARG_INT32(0);

	PG_RETURN_CSTRING(typmod < 0 ? pstrdup("") : psprintf("(%d)", typmod));
}

/* dllb_vector_recv - binary input: int16 dim, int16 unused, float4s */
Datum
dllb_vector_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		typmod = PG_GETARG_INT32(2);
	int			dim = pq_getmsgint(buf, 2);
	int			unused = pq_getmsgint(buf, 2);
	DllbVector *v;
	int			i;

	dllb_vector_check_dim(dim);
	check_typmod(dim, typmod);
	if (unused != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("expected unused to be 0, not %d", unused)));
	v = dllb_vector_new(dim);
	for (i = 0; i < dim; i++)
	{
		v->x[i] = pq_getmsgfloat4(buf);
		check_element(v->x[i]);
	}
	PG_RETURN_POINTER(v);
}

/* dllb_vector_send - binary output */
Datum
dllb_vector_send(PG_FUNCTION_ARGS)
{
	DllbVector *v = PG_GETARG_DLLB_VECTOR(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendint(&buf, v->dim, 2);
	pq_sendint(&buf, v->unused, 2);
	for (i = 0; i < v->dim; i++)
		pq_sendfloat4(&buf, v->x[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* dllb_vector_coerce - vector -> vector(n): check the dimension */
Datum
dllb_vector_coerce(PG_FUNCTION_ARGS)
{
	DllbVector *v = PG_GETARG_DLLB_VECTOR(0);

	check_typmod(v->dim, PG_GETARG_INT32(1));
	PG_RETURN_POINTER(v);
}

/*
 * dllb_array_to_vector - real[], double precision[], integer[] or numeric[]
 * -> vector (one-dimensional, no NULLs)
 */
Datum
dllb_array_to_vector(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	int32		typmod = PG_GETARG_INT32(1);
	Oid			elemtype = ARR_ELEMTYPE(a);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	DllbVector *v;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("array must be 1-D")));
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(a, elemtype, typlen, typbyval, typalign, &elems, &nulls, &n);
	dllb_vector_check_dim(n);
	check_typmod(n, typmod);
	v = dllb_vector_new(n);
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("array must not contain nulls")));
		switch (elemtype)
		{
			case FLOAT4OID:
				v->x[i] = DatumGetFloat4(elems[i]);
				break;
			case FLOAT8OID:
				{
					double		d = DatumGetFloat8(elems[i]);

					if (!isnan(d) && !isinf(d) && fabs(d) > FLT_MAX)
						ereport(ERROR,
								(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
								 errmsg("value %g is out of range for a vector element", d)));
					v->x[i] = (float) d;
					break;
				}
			case INT4OID:
				v->x[i] = (float) DatumGetInt32(elems[i]);
				break;
			case NUMERICOID:
				v->x[i] = DatumGetFloat4(DirectFunctionCall1(numeric_float4, elems[i]));
				break;
			default:
				ereport(ERROR,
						(errcode(ERRCODE_DATA_EXCEPTION),
						 errmsg("unsupported array type %s", format_type_be(elemtype))));
		}
		check_element(v->x[i]);
	}
	PG_RETURN_POINTER(v);
}

/* dllb_vector_to_float4 - vector -> real[] */
Datum
dllb_vector_to_float4(PG_FUNCTION_ARGS)
{
	DllbVector *v = PG_GETARG_DLLB_VECTOR(0);
	Datum	   *d = palloc(sizeof(Datum) * v->dim);
	int			i;

	for (i = 0; i < v->dim; i++)
		d[i] = Float4GetDatum(v->x[i]);
	PG_RETURN_POINTER(construct_array(d, v->dim, FLOAT4OID, sizeof(float4), true, TYPALIGN_INT));
}

/* dllb_vector_dims - number of dimensions */
Datum
dllb_vector_dims(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_DLLB_VECTOR(0)->dim);
}

/* dllb_vector_norm - Euclidean norm (in double precision) */
Datum
dllb_vector_norm(PG_FUNCTION_ARGS)
{
	DllbVector *v = PG_GETARG_DLLB_VECTOR(0);
	double		s = 0;
	int			i;

	for (i = 0; i < v->dim; i++)
		s += (double) v->x[i] * v->x[i];
	PG_RETURN_FLOAT8(sqrt(s));
}

/* dllb_vector_normalize - v / |v| (the zero vector stays zero) */
Datum
dllb_vector_normalize(PG_FUNCTION_ARGS)
{
	DllbVector *v = PG_GETARG_DLLB_VECTOR(0);
	DllbVector *r = dllb_vector_new(v->dim);
	double		s = 0;
	int			i;

	for (i = 0; i < v->dim; i++)
		s += (double) v->x[i] * v->x[i];
	if (s > 0)
	{
		double		norm = sqrt(s);

		for (i = 0; i < v->dim; i++)
			r->x[i] = (float) (v->x[i] / norm);
	}
	PG_RETURN_POINTER(r);
}

/* element-wise a op b, checking the result stays finite */
static Datum
elementwise(FunctionCallInfo fcinfo, bool add)
{
	DllbVector *a = PG_GETARG_DLLB_VECTOR(0);
	DllbVector *b = PG_GETARG_DLLB_VECTOR(1);
	DllbVector *r;
	int			i;

	dllb_vector_check_same_dim(a, b);
	r = dllb_vector_new(a->dim);
	for (i = 0; i < a->dim; i++)
		r->x[i] = add ? a->x[i] + b->x[i] : a->x[i] - b->x[i];
	for (i = 0; i < a->dim; i++)
		if (isinf(r->x[i]))
			float_overflow_error();
	PG_RETURN_POINTER(r);
}

/* dllb_vector_add - element-wise + */
Datum
dllb_vector_add(PG_FUNCTION_ARGS)
{
	return elementwise(fcinfo, true);
}

/* dllb_vector_sub - element-wise - */
Datum
dllb_vector_sub(PG_FUNCTION_ARGS)
{
	return elementwise(fcinfo, false);
}

/*
 * Comparison, for the btree operator class (DISTINCT, GROUP BY, UNIQUE,
 * ORDER BY a vector): element by element, then the shorter first.
 */
static int
vector_cmp_internal(const DllbVector *a, const DllbVector *b)
{
	int			n = Min(a->dim, b->dim);
	int			i;

	for (i = 0; i < n; i++)
	{
		if (a->x[i] < b->x[i])
			return -1;
		if (a->x[i] > b->x[i])
			return 1;
	}
	return a->dim < b->dim ? -1 : (a->dim > b->dim ? 1 : 0);
}

PG_FUNCTION_INFO_V1(dllb_vector_cmp);
PG_FUNCTION_INFO_V1(dllb_vector_eq);
PG_FUNCTION_INFO_V1(dllb_vector_ne);
PG_FUNCTION_INFO_V1(dllb_vector_lt);
PG_FUNCTION_INFO_V1(dllb_vector_le);
PG_FUNCTION_INFO_V1(dllb_vector_gt);
PG_FUNCTION_INFO_V1(dllb_vector_ge);

/* compare the two arguments */
static int
vector_cmp_args(FunctionCallInfo fcinfo)
{
	return vector_cmp_internal(PG_GETARG_DLLB_VECTOR(0), PG_GETARG_DLLB_VECTOR(1));
}

/* dllb_vector_cmp - btree support function 1 */
Datum
dllb_vector_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(vector_cmp_args(fcinfo));
}

/* dllb_vector_eq - = */
Datum
dllb_vector_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(vector_cmp_args(fcinfo) == 0);
}

/* dllb_vector_ne - <> */
Datum
dllb_vector_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(vector_cmp_args(fcinfo) != 0);
}

/* dllb_vector_lt - < */
Datum
dllb_vector_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(vector_cmp_args(fcinfo) < 0);
}

/* dllb_vector_le - <= */
Datum
dllb_vector_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(vector_cmp_args(fcinfo) <= 0);
}

/* dllb_vector_gt - > */
Datum
dllb_vector_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(vector_cmp_args(fcinfo) > 0);
}

/* dllb_vector_ge - >= */
Datum
dllb_vector_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(vector_cmp_args(fcinfo) >= 0);
}
