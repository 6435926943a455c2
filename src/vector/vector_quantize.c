/*-------------------------------------------------------------------------
 *
 * vector_quantize.c
 *	  Compact codes of a vector, for searches in two stages (rank many
 *	  rows by a cheap distance on the codes, then the few best by the
 *	  exact distance on the vectors):
 *	- dllb.binary_quantize(vector) -> bit(n): one bit a dimension, set
 *	  where the element is positive; compared with dllb.hamming_distance
 *	  or dllb.jaccard_distance (32 times smaller than the vector);
 *	- dllb.sq8(vector) -> bytea: an 8-bit scalar code, the one a
 *	  dllb_hnsw index with quantization = sq8 keeps; compared with a full
 *	  query vector by dllb.sq8_l2_distance, dllb.sq8_cosine_distance and
 *	  dllb.sq8_negative_inner_product without decoding (about 4 times
 *	  smaller), and decoded by dllb.sq8_decode.
 *
 * The sq8 code's bytes: lo and step as float4 in network byte order,
 * then one byte c[d] a dimension, x[d] ~ lo + step * c[d]; lo is the
 * smallest element and step = (largest - lo) / 255, so a code needs no
 * statistics of other vectors.
 *
 * IDENTIFICATION
 *	  src/vector/vector_quantize.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "port/pg_bitutils.h"
#include "port/pg_bswap.h"
#include "utils/float.h"
#include "utils/varbit.h"

#include "vector/vector.h"
#include "vector/vector_kernels.h"
#include "vector/vector_type.h"

#define SQ8_HEADER	8

PG_FUNCTION_INFO_V1(dllb_vector_binary_quantize);
PG_FUNCTION_INFO_V1(dllb_bit_hamming_distance);
PG_FUNCTION_INFO_V1(dllb_bit_jaccard_distance);
PG_FUNCTION_INFO_V1(dllb_vector_sq8);
PG_FUNCTION_INFO_V1(dllb_sq8_decode);
PG_FUNCTION_INFO_V1(dllb_sq8_l2_distance);
PG_FUNCTION_INFO_V1(dllb_sq8_cosine_distance);
PG_FUNCTION_INFO_V1(dllb_sq8_negative_inner_product);

/* dllb_vector_binary_quantize - bit(n): 1 where x[d] > 0 */
Datum
dllb_vector_binary_quantize(PG_FUNCTION_ARGS)
{
	DllbVector *v = PG_GETARG_DLLB_VECTOR(0);
	int			len = VARBITTOTALLEN(v->dim);
	VarBit	   *result = palloc0(len);
	bits8	   *r = VARBITS(result);
	int			d;

	SET_VARSIZE(result, len);
	VARBITLEN(result) = v->dim;
	for (d = 0; d < v->dim; d++)
		if (v->x[d] > 0)
			r[d / BITS_PER_BYTE] |= (bits8) (0x80 >> (d % BITS_PER_BYTE));
	PG_RETURN_VARBIT_P(result);
}

static void
check_same_bits(VarBit *a, VarBit *b)
{
	if (VARBITLEN(a) != VARBITLEN(b))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("different bit lengths %d and %d", VARBITLEN(a), VARBITLEN(b))));
}

/* the number of bits set in a & b (and) or a ^ b (xor), and in a | b */
static void
count_bits(VarBit *a, VarBit *b, uint64 *nxor, uint64 *nand, uint64 *nor)
{
	const bits8 *x = VARBITS(a);
	const bits8 *y = VARBITS(b);
	int			n = VARBITBYTES(a);
	int			i = 0;

	*nxor = *nand = *nor = 0;
	for (; i + 8 <= n; i += 8)
	{
		uint64		u;
		uint64		w;

		memcpy(&u, x + i, 8);
		memcpy(&w, y + i, 8);
		*nxor += pg_popcount64(u ^ w);
		*nand += pg_popcount64(u & w);
		*nor += pg_popcount64(u | w);
	}
	for (; i < n; i++)
	{
		*nxor += pg_number_of_ones[x[i] ^ y[i]];
		*nand += pg_number_of_ones[x[i] & y[i]];
		*nor += pg_number_of_ones[x[i] | y[i]];
	}
}

/* dllb_bit_hamming_distance - the number of bits that differ */
Datum
dllb_bit_hamming_distance(PG_FUNCTION_ARGS)
{
	VarBit	   *a = PG_GETARG_VARBIT_P(0);
	VarBit	   *b = PG_GETARG_VARBIT_P(1);
	uint64		nxor;
	uint64		nand;
	uint64		nor;

	check_same_bits(a, b);
	count_bits(a, b, &nxor, &nand, &nor);
	PG_RETURN_FLOAT8((double) nxor);
}

/* dllb_bit_jaccard_distance - 1 - |a & b| / |a | b|; 0 when both are 0 */
Datum
dllb_bit_jaccard_distance(PG_FUNCTION_ARGS)
{
	VarBit	   *a = PG_GETARG_VARBIT_P(0);
	VarBit	   *b = PG_GETARG_VARBIT_P(1);
	uint64		nxor;
	uint64		nand;
	uint64		nor;

	check_same_bits(a, b);
	count_bits(a, b, &nxor, &nand, &nor);
	PG_RETURN_FLOAT8(nor == 0 ? 0.0 : 1.0 - (double) nand / (double) nor);
}

static void
put_float4(char *p, float f)
{
	uint32		u;

	memcpy(&u, &f, 4);
	u = pg_hton32(u);
	memcpy(p, &u, 4);
}

static float
get_float4(const char *p)
{
	uint32		u;
	float		f;

	memcpy(&u, p, 4);
	u = pg_ntoh32(u);
	memcpy(&f, &u, 4);
	return f;
}

/* dllb_vector_sq8 - the 8-bit code of a vector */
Datum
dllb_vector_sq8(PG_FUNCTION_ARGS)
{
	DllbVector *v = PG_GETARG_DLLB_VECTOR(0);
	bytea	   *result = palloc(VARHDRSZ + SQ8_HEADER + v->dim);
	char	   *p = VARDATA(result);
	uint8	   *c = (uint8 *) p + SQ8_HEADER;
	float		lo = v->x[0];
	float		hi = v->x[0];
	float		step;
	float		inv;
	int			d;

	for (d = 1; d < v->dim; d++)
	{
		lo = Min(lo, v->x[d]);
		hi = Max(hi, v->x[d]);
	}
	step = (hi - lo) / 255.0f;
	inv = step > 0 ? 1.0f / step : 0;
	for (d = 0; d < v->dim; d++)
	{
		int			k = (int) ((v->x[d] - lo) * inv + 0.5f);

		c[d] = (uint8) Max(0, Min(255, k));
	}
	SET_VARSIZE(result, VARHDRSZ + SQ8_HEADER + v->dim);
	put_float4(p, lo);
	put_float4(p + 4, step);
	PG_RETURN_BYTEA_P(result);
}

typedef struct Sq8
{
	float		lo;
	float		step;
	int			dim;
	const uint8 *c;
} Sq8;

static void
read_sq8(bytea *b, Sq8 *s)
{
	int			len = VARSIZE_ANY_EXHDR(b);
	const char *p = VARDATA_ANY(b);

	if (len <= SQ8_HEADER || len - SQ8_HEADER > DLLB_VECTOR_MAX_DIM)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid sq8 code: %d bytes", len),
				 errdetail("A code made by dllb.sq8 has 8 bytes more than its vector has dimensions.")));
	s->lo = get_float4(p);
	s->step = get_float4(p + 4);
	if (!isfinite(s->lo) || !isfinite(s->step) || s->step < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid sq8 code: its range is not finite")));
	s->dim = len - SQ8_HEADER;
	s->c = (const uint8 *) p + SQ8_HEADER;
}

/* dllb_sq8_decode - the vector a code stands for */
Datum
dllb_sq8_decode(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	Sq8			s;
	DllbVector *v;
	int			d;

	read_sq8(b, &s);
	v = dllb_vector_new(s.dim);
	for (d = 0; d < s.dim; d++)
	{
		v->x[d] = s.lo + s.step * s.c[d];
		if (!isfinite(v->x[d]))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("NaN, infinity and values out of range for real are not allowed")));
	}
	PG_RETURN_POINTER(v);
}

/*
 * The parts of a distance between a code and a query vector: q . x^ and
 * |x^|^2 of the decoded x^ = lo + step c, from integer sums over c:
 * q . x^ = lo sum(q) + step (q . c),
 * |x^|^2 = D lo^2 + 2 lo step sum(c) + step^2 (c . c).
 */
static void
sq8_parts(FunctionCallInfo fcinfo, double *dot, double *xx, double *qq)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	DllbVector *q = PG_GETARG_DLLB_VECTOR(1);
	Sq8			s;
	double		qsum = 0;
	uint64		csum = 0;
	int			d;

	read_sq8(b, &s);
	if (s.dim != q->dim)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("different vector dimensions %d and %d", s.dim, q->dim)));
	for (d = 0; d < s.dim; d++)
	{
		qsum += q->x[d];
		csum += s.c[d];
	}
	*dot = s.lo * qsum + (double) s.step * dllb_kernel_dot_f32_u8(q->x, s.c, s.dim);
	*xx = (double) s.dim * s.lo * s.lo + 2.0 * s.lo * s.step * (double) csum +
		(double) s.step * s.step * (double) dllb_kernel_dot_u8(s.c, s.c, s.dim);
	*qq = dllb_kernel_dot(q->x, q->x, q->dim);
}

/* dllb_sq8_l2_distance - Euclidean distance of the decoded code to q */
Datum
dllb_sq8_l2_distance(PG_FUNCTION_ARGS)
{
	double		dot;
	double		xx;
	double		qq;

	sq8_parts(fcinfo, &dot, &xx, &qq);
	PG_RETURN_FLOAT8(sqrt(Max(0.0, xx + qq - 2.0 * dot)));
}

/* dllb_sq8_cosine_distance - 1 - cos; NaN when either is zero */
Datum
dllb_sq8_cosine_distance(PG_FUNCTION_ARGS)
{
	double		dot;
	double		xx;
	double		qq;
	double		sim;

	sq8_parts(fcinfo, &dot, &xx, &qq);
	if (xx == 0 || qq == 0)
		PG_RETURN_FLOAT8(get_float8_nan());
	sim = Max(-1.0, Min(1.0, dot / sqrt(xx * qq)));
	PG_RETURN_FLOAT8(1.0 - sim);
}

/* dllb_sq8_negative_inner_product - -(x^ . q) */
Datum
dllb_sq8_negative_inner_product(PG_FUNCTION_ARGS)
{
	double		dot;
	double		xx;
	double		qq;

	sq8_parts(fcinfo, &dot, &xx, &qq);
	PG_RETURN_FLOAT8(-dot);
}
