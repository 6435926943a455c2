/*-------------------------------------------------------------------------
 *
 * vector_kernels.c
 *	  Distance kernels: squared L2, inner product, L1, cosine parts.
 *
 * Each kernel is plain C with eight independent partial sums, which GCC
 * and clang turn into SIMD code (the eight lanes fill one AVX register)
 * without -ffast-math, and which fixes the order of additions so every
 * build adds the same way.  On x86-64 each kernel is compiled three times
 * with target_clones - for AVX-512 (skylake-avx512), AVX2 + FMA (haswell)
 * and the baseline - and the dynamic loader picks the best clone for the
 * CPU once, at load time (an ifunc).  The AVX2 and AVX-512 clones may fuse
 * a multiply and an add into one FMA, so their results can differ from
 * the baseline clone's in the last bits (within float rounding); the
 * *_scalar functions are the baseline, kept callable so tests compare.
 *
 * IDENTIFICATION
 *	  src/vector/vector_kernels.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "vector/vector_kernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define DLLB_CLONES __attribute__((target_clones("arch=skylake-avx512", "arch=haswell", "default")))
#endif
#endif
#ifndef DLLB_CLONES
#define DLLB_CLONES
#endif

/* The kernel bodies, instantiated for the dispatched and scalar versions. */
#define L2_BODY \
	float		s[8] = {0, 0, 0, 0, 0, 0, 0, 0}; \
	float		t = 0; \
	int			i = 0; \
	int			k; \
	for (; i + 8 <= n; i += 8) \
		for (k = 0; k < 8; k++) \
		{ \
			float		d = a[i + k] - b[i + k]; \
			s[k] += d * d; \
		} \
	for (; i < n; i++) \
	{ \
		float		d = a[i] - b[i]; \
		t += d * d; \
	} \
	return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7])) + t;

#define DOT_BODY \
	float		s[8] = {0, 0, 0, 0, 0, 0, 0, 0}; \
	float		t = 0; \
	int			i = 0; \
	int			k; \
	for (; i + 8 <= n; i += 8) \
		for (k = 0; k < 8; k++) \
			s[k] += a[i + k] * b[i + k]; \
	for (; i < n; i++) \
		t += a[i] * b[i]; \
	return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7])) + t;

/* dllb_kernel_l2_squared - sum of squared differences */
DLLB_CLONES float
dllb_kernel_l2_squared(const float *a, const float *b, int n)
{
L2_BODY
}

/* dllb_kernel_l2_squared_scalar - the same, baseline code only */
float
dllb_kernel_l2_squared_scalar(const float *a, const float *b, int n)
{
L2_BODY
}

/* dllb_kernel_dot - inner product */
DLLB_CLONES float
dllb_kernel_dot(const float *a, const float *b, int n)
{
DOT_BODY
}

/* dllb_kernel_dot_scalar - the same, baseline code only */
float
dllb_kernel_dot_scalar(const float *a, const float *b, int n)
{
DOT_BODY
}

/* dllb_kernel_l1 - sum of absolute differences */
DLLB_CLONES float
dllb_kernel_l1(const float *a, const float *b, int n)
{
	float		s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
	float		t = 0;
	int			i = 0;
	int			k;

	for (; i + 8 <= n; i += 8)
		for (k = 0; k < 8; k++)
			s[k] += fabsf(a[i + k] - b[i + k]);
	for (; i < n; i++)
		t += fabsf(a[i] - b[i]);
	return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7])) + t;
}

/* dllb_kernel_cosine_parts - a.b, |a|^2 and |b|^2 in one pass */
DLLB_CLONES void
dllb_kernel_cosine_parts(const float *a, const float *b, int n,
						 float *dot, float *na, float *nb)
{
	float		d[8] = {0, 0, 0, 0, 0, 0, 0, 0};
	float		x[8] = {0, 0, 0, 0, 0, 0, 0, 0};
	float		y[8] = {0, 0, 0, 0, 0, 0, 0, 0};
	float		td = 0,
				tx = 0,
				ty = 0;
	int			i = 0;
	int			k;

	for (; i + 8 <= n; i += 8)
		for (k = 0; k < 8; k++)
		{
			d[k] += a[i + k] * b[i + k];
			x[k] += a[i + k] * a[i + k];
			y[k] += b[i + k] * b[i + k];
		}
	for (; i < n; i++)
	{
		td += a[i] * b[i];
		tx += a[i] * a[i];
		ty += b[i] * b[i];
	}
	*dot = ((d[0] + d[1]) + (d[2] + d[3])) + ((d[4] + d[5]) + (d[6] + d[7])) + td;
	*na = ((x[0] + x[1]) + (x[2] + x[3])) + ((x[4] + x[5]) + (x[6] + x[7])) + tx;
	*nb = ((y[0] + y[1]) + (y[2] + y[3])) + ((y[4] + y[5]) + (y[6] + y[7])) + ty;
}

/* dllb_kernel_target - which clone this CPU runs (for dllb.vector_kernel()) */
const char *
dllb_kernel_target(void)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f"))
		return "avx512";
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		return "avx2+fma";
#endif
	return "scalar";
}
