/*-------------------------------------------------------------------------
 *
 * vector_distance.c
 *	  SQL-callable distances of dllb.vector, and sum/avg aggregates.
 *
 * Distances are computed by the kernels in vector_kernels.c (SIMD clones
 * chosen once by CPU) and returned as double precision, like pgvector's:
 * l2_distance (<->), cosine_distance (<=>), negative inner product (<#>),
 * inner_product, l1_distance.
 *
 * IDENTIFICATION
 *	  src/vector/vector_distance.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "vector/vector.h"
#include "vector/vector_kernels.h"
#include "vector/vector_type.h"

PG_FUNCTION_INFO_V1(dllb_vector_l2_distance);
PG_FUNCTION_INFO_V1(dllb_vector_cosine_distance);
PG_FUNCTION_INFO_V1(dllb_vector_inner_product);
PG_FUNCTION_INFO_V1(dllb_vector_negative_inner_product);
PG_FUNCTION_INFO_V1(dllb_vector_l1_distance);
PG_FUNCTION_INFO_V1(dllb_vector_kernel);
PG_FUNCTION_INFO_V1(dllb_vector_kernel_check);
PG_FUNCTION_INFO_V1(dllb_vector_accum);
PG_FUNCTION_INFO_V1(dllb_vector_combine);
PG_FUNCTION_INFO_V1(dllb_vector_avg);
PG_FUNCTION_INFO_V1(dllb_vector_sum);

/* dllb_vector_l2_distance - Euclidean distance */
Datum
dllb_vector_l2_distance(PG_FUNCTION_ARGS)
{
	DllbVector *a = PG_GETARG_DLLB_VECTOR(0);
	DllbVector *b = PG_GETARG_DLLB_VECTOR(1);

	dllb_vector_check_same_dim(a, b);
	PG_RETURN_FLOAT8(sqrt((double) dllb_kernel_l2_squared(a->x, b->x, a->dim)));
}

/* dllb_vector_cosine_distance - 1 - cos(a, b); NaN when either is zero */
Datum
dllb_vector_cosine_distance(PG_FUNCTION_ARGS)
{
	DllbVector *a = PG_GETARG_DLLB_VECTOR(0);
	DllbVector *b = PG_GETARG_DLLB_VECTOR(1);
	float		dot,
				na,
				nb;
	double		sim;

	dllb_vector_check_same_dim(a, b);
	dllb_kernel_cosine_parts(a->x, b->x, a->dim, &dot, &na, &nb);
	if (na == 0 || nb == 0)
		PG_RETURN_FLOAT8(get_float8_nan());
	sim = (double) dot / sqrt((double) na * (double) nb);
	/* keep rounding from leaving [-1, 1] */
	if (sim > 1)
		sim = 1;
	else if (sim < -1)
		sim = -1;
	PG_RETURN_FLOAT8(1 - sim);
}

/* dllb_vector_inner_product - a . b */
Datum
dllb_vector_inner_product(PG_FUNCTION_ARGS)
{
	DllbVector *a = PG_GETARG_DLLB_VECTOR(0);
	DllbVector *b = PG_GETARG_DLLB_VECTOR(1);

	dllb_vector_check_same_dim(a, b);
	PG_RETURN_FLOAT8((double) dllb_kernel_dot(a->x, b->x, a->dim));
}

/* dllb_vector_negative_inner_product - -(a . b), for <#> */
Datum
dllb_vector_negative_inner_product(PG_FUNCTION_ARGS)
{
	DllbVector *a = PG_GETARG_DLLB_VECTOR(0);
	DllbVector *b = PG_GETARG_DLLB_VECTOR(1);

	dllb_vector_check_same_dim(a, b);
	PG_RETURN_FLOAT8(-(double) dllb_kernel_dot(a->x, b->x, a->dim));
}

/* dllb_vector_l1_distance - Manhattan distance */
Datum
dllb_vector_l1_distance(PG_FUNCTION_ARGS)
{
	DllbVector *a = PG_GETARG_DLLB_VECTOR(0);
	DllbVector *b = PG_GETARG_DLLB_VECTOR(1);

	dllb_vector_check_same_dim(a, b);
	PG_RETURN_FLOAT8((double) dllb_kernel_l1(a->x, b->x, a->dim));
}

/* dllb_vector_kernel - which kernel clone this CPU runs */
Datum
dllb_vector_kernel(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(dllb_kernel_target()));
}

/*
 * dllb_vector_kernel_check - largest relative difference between the
 * dispatched kernels and the scalar ones for a and b (tests use it to show
 * that SIMD and scalar agree within float rounding)
 */
Datum
dllb_vector_kernel_check(PG_FUNCTION_ARGS)
{
	DllbVector *a = PG_GETARG_DLLB_VECTOR(0);
	DllbVector *b = PG_GETARG_DLLB_VECTOR(1);
	double		l2s,
				l2d,
				dots,
				dotd,
				r1,
				r2;

	dllb_vector_check_same_dim(a, b);
	l2s = dllb_kernel_l2_squared_scalar(a->x, b->x, a->dim);
	l2d = dllb_kernel_l2_squared(a->x, b->x, a->dim);
	dots = dllb_kernel_dot_scalar(a->x, b->x, a->dim);
	dotd = dllb_kernel_dot(a->x, b->x, a->dim);
	r1 = fabs(l2s - l2d) / Max(fabs(l2s), 1e-30);
	/* relative to |a||b|: a dot product that cancels to near 0 has no
	 * meaningful relative error of its own */
	r2 = fabs(dots - dotd) /
		Max(sqrt((double) dllb_kernel_dot_scalar(a->x, a->x, a->dim) *
				 (double) dllb_kernel_dot_scalar(b->x, b->x, b->dim)), 1e-30);
	PG_RETURN_FLOAT8(Max(r1, r2));
}

/*
 * Aggregates: the state is float8[] {count, sum_1, ..., sum_dim}, summed in
 * double precision.
 */
static ArrayType *
state_array(Datum *d, int n)
{
	return construct_array(d, n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

static float8 *
state_values(ArrayType *a, int *n)
{
	if (ARR_NDIM(a) != 1 || ARR_HASNULL(a) || ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "vector aggregate state is not a float8 array");
	*n = ARR_DIMS(a)[0];
	return (float8 *) ARR_DATA_PTR(a);
}

/* dllb_vector_accum - add a vector to the state */
Datum
dllb_vector_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *sa = PG_GETARG_ARRAYTYPE_P(0);
	DllbVector *v = PG_GETARG_DLLB_VECTOR(1);
	int			n;
	float8	   *s = state_values(sa, &n);
	Datum	   *d;
	int			i;

	if (n == 1)
	{
		/* first vector */
		d = palloc(sizeof(Datum) * (v->dim + 1));
		d[0] = Float8GetDatum(s[0] + 1);
		for (i = 0; i < v->dim; i++)
			d[i + 1] = Float8GetDatum((double) v->x[i]);
		PG_RETURN_ARRAYTYPE_P(state_array(d, v->dim + 1));
	}
	if (n - 1 != v->dim)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("different vector dimensions %d and %d", n - 1, v->dim)));
	d = palloc(sizeof(Datum) * n);
	d[0] = Float8GetDatum(s[0] + 1);
	for (i = 0; i < v->dim; i++)
		d[i + 1] = Float8GetDatum(s[i + 1] + v->x[i]);
	PG_RETURN_ARRAYTYPE_P(state_array(d, n));
}

/* dllb_vector_combine - merge two states (parallel aggregation) */
Datum
dllb_vector_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	int			na,
				nb;
	float8	   *x = state_values(a, &na);
	float8	   *y = state_values(b, &nb);
	Datum	   *d;
	int			i;

	if (na == 1)
		PG_RETURN_ARRAYTYPE_P(b);
	if (nb == 1)
		PG_RETURN_ARRAYTYPE_P(a);
	if (na != nb)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("different vector dimensions %d and %d", na - 1, nb - 1)));
	d = palloc(sizeof(Datum) * na);
	for (i = 0; i < na; i++)
		d[i] = Float8GetDatum(x[i] + y[i]);
	PG_RETURN_ARRAYTYPE_P(state_array(d, na));
}

/* state -> vector of sums (divided by the count for avg) */
static Datum
finish(FunctionCallInfo fcinfo, bool average)
{
	ArrayType  *sa = PG_GETARG_ARRAYTYPE_P(0);
	int			n;
	float8	   *s = state_values(sa, &n);
	DllbVector *v;
	int			i;

	if (n == 1 || s[0] == 0)
		PG_RETURN_NULL();
	v = dllb_vector_new(n - 1);
	for (i = 0; i < n - 1; i++)
	{
		double		x = average ? s[i + 1] / s[0] : s[i + 1];

		if (fabs(x) > FLT_MAX)
			float_overflow_error();
		v->x[i] = (float) x;
	}
	PG_RETURN_POINTER(v);
}

/* dllb_vector_avg - final function of avg(vector) */
Datum
dllb_vector_avg(PG_FUNCTION_ARGS)
{
	return finish(fcinfo, true);
}

/* dllb_vector_sum - final function of sum(vector) */
Datum
dllb_vector_sum(PG_FUNCTION_ARGS)
{
	return finish(fcinfo, false);
}
