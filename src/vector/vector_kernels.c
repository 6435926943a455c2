/*-------------------------------------------------------------------------
 *
 * vector_kernels.c
 *	  Distance kernels: squared L2, inner product, L1, cosine parts.
 *
 * Each kernel is plain C with eight independent partial sums, which GCC
 * and clang turn into SIMD code (the eight lanes fill one AVX register)
 * without -ffast-math, and which fixes the order of additions so every
 * build adds the same way.  On x86-64 each kernel is compiled three times
 * - for AVX-512F, AVX2 + FMA and the baseline - and an ifunc resolver
 * picks the build for the CPU's features once, at load time.  The AVX2 and
 * AVX-512 builds may fuse a multiply and an add into one FMA, so their
 * results can differ from the baseline's in the last bits (within float
 * rounding); the *_scalar functions are the baseline, kept callable so
 * tests compare.
 *
 * IDENTIFICATION
 *	  src/vector/vector_kernels.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "vector/vector_kernels.h"

/*
 * Runtime dispatch.  Each kernel body is an always-inline function; on
 * x86-64 with GCC or clang it is compiled three times - for AVX-512F,
 * for AVX2 + FMA, and for the baseline - and an ifunc resolver picks one
 * by the CPU's features (not its model name, so AMD and Intel CPUs with
 * the same features get the same code) once, when the library is loaded.
 */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && defined(__has_attribute)
#if __has_attribute(ifunc) && __has_attribute(target)
#define DLLB_DISPATCH 1
#endif
#endif

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/*
 * Eight float lanes (GCC/clang vector extension): lane k sums the
 * elements i with i % 8 == k, the scalar tail adds the rest.  Loads are
 * unaligned.  Under a target attribute this becomes one AVX register;
 * in the baseline build two SSE registers.
 */
typedef float v8sf __attribute__((vector_size(32), aligned(4), may_alias));

#define LANES_SUM(s) \
	(((s)[0] + (s)[1]) + ((s)[2] + (s)[3])) + (((s)[4] + (s)[5]) + ((s)[6] + (s)[7]))

ALWAYS_INLINE float
l2_body(const float *a, const float *b, int n)
{
	v8sf		s = {0, 0, 0, 0, 0, 0, 0, 0};
	float		t = 0;
	int			i = 0;

	for (; i + 8 <= n; i += 8)
	{
		v8sf		d = *(const v8sf *) (a + i) - *(const v8sf *) (b + i);

		s += d * d;
	}
	for (; i < n; i++)
	{
		float		d = a[i] - b[i];

		t += d * d;
	}
	return LANES_SUM(s) + t;
}

ALWAYS_INLINE float
dot_body(const float *a, const float *b, int n)
{
	v8sf		s = {0, 0, 0, 0, 0, 0, 0, 0};
	float		t = 0;
	int			i = 0;

	for (; i + 8 <= n; i += 8)
		s += *(const v8sf *) (a + i) * *(const v8sf *) (b + i);
	for (; i < n; i++)
		t += a[i] * b[i];
	return LANES_SUM(s) + t;
}

ALWAYS_INLINE float
l1_body(const float *a, const float *b, int n)
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
	return LANES_SUM(s) + t;
}

ALWAYS_INLINE void
cosine_body(const float *a, const float *b, int n, float *dot, float *na, float *nb)
{
	v8sf		d = {0, 0, 0, 0, 0, 0, 0, 0};
	v8sf		x = {0, 0, 0, 0, 0, 0, 0, 0};
	v8sf		y = {0, 0, 0, 0, 0, 0, 0, 0};
	float		td = 0,
				tx = 0,
				ty = 0;
	int			i = 0;

	for (; i + 8 <= n; i += 8)
	{
		v8sf		va = *(const v8sf *) (a + i);
		v8sf		vb = *(const v8sf *) (b + i);

		d += va * vb;
		x += va * va;
		y += vb * vb;
	}
	for (; i < n; i++)
	{
		td += a[i] * b[i];
		tx += a[i] * a[i];
		ty += b[i] * b[i];
	}
	*dot = LANES_SUM(d) + td;
	*na = LANES_SUM(x) + tx;
	*nb = LANES_SUM(y) + ty;
}

/*
 * Code kernels (8-bit scalar quantization, see hnsw_page.c): a float
 * query against a code, and two codes.  Eight lanes as above; the codes
 * widen to float or to 32-bit integers lane by lane (exact for the
 * integer dot product: 255 * 255 * 16000 fits in 32 bits).
 */
typedef uint8 v8qu __attribute__((vector_size(8), aligned(1), may_alias));
typedef int32 v8si __attribute__((vector_size(32)));

ALWAYS_INLINE float
dot_f32_u8_body(const float *a, const uint8 *c, int n)
{
	v8sf		s = {0, 0, 0, 0, 0, 0, 0, 0};
	float		t = 0;
	int			i = 0;

	for (; i + 8 <= n; i += 8)
		s += *(const v8sf *) (a + i) * __builtin_convertvector(*(const v8qu *) (c + i), v8sf);
	for (; i < n; i++)
		t += a[i] * c[i];
	return LANES_SUM(s) + t;
}

ALWAYS_INLINE uint32
dot_u8_body(const uint8 *a, const uint8 *b, int n)
{
	v8si		s = {0, 0, 0, 0, 0, 0, 0, 0};
	uint32		t = 0;
	int			i = 0;

	for (; i + 8 <= n; i += 8)
		s += __builtin_convertvector(*(const v8qu *) (a + i), v8si) *
			__builtin_convertvector(*(const v8qu *) (b + i), v8si);
	for (; i < n; i++)
		t += (uint32) a[i] * b[i];
	return (uint32) (((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))) + t;
}

static float
dot_f32_u8_scalar(const float *a, const uint8 *c, int n)
{
	return dot_f32_u8_body(a, c, n);
}

static uint32
dot_u8_scalar(const uint8 *a, const uint8 *b, int n)
{
	return dot_u8_body(a, b, n);
}

/* the baseline builds, callable so tests can compare */
float
dllb_kernel_l2_squared_scalar(const float *a, const float *b, int n)
{
	return l2_body(a, b, n);
}

float
dllb_kernel_dot_scalar(const float *a, const float *b, int n)
{
	return dot_body(a, b, n);
}

static float
l1_scalar(const float *a, const float *b, int n)
{
	return l1_body(a, b, n);
}

static void
cosine_scalar(const float *a, const float *b, int n, float *dot, float *na, float *nb)
{
	cosine_body(a, b, n, dot, na, nb);
}

#ifdef DLLB_DISPATCH

#define TARGET_AVX2 __attribute__((target("avx2,fma")))
#define TARGET_AVX512 __attribute__((target("avx512f,avx2,fma")))

/* one SIMD build of a float kernel(a, b, n) per target */
#define FLOAT_KERNEL_BUILDS(name, body) \
	TARGET_AVX2 static float name##_avx2(const float *a, const float *b, int n) \
	{ return body(a, b, n); } \
	TARGET_AVX512 static float name##_avx512(const float *a, const float *b, int n) \
	{ return body(a, b, n); }

typedef float (*FloatKernel) (const float *a, const float *b, int n);
typedef void (*CosineKernel) (const float *a, const float *b, int n,
							  float *dot, float *na, float *nb);

FLOAT_KERNEL_BUILDS(l2, l2_body)
FLOAT_KERNEL_BUILDS(dot, dot_body)
FLOAT_KERNEL_BUILDS(l1, l1_body)

TARGET_AVX2 static void
cosine_avx2(const float *a, const float *b, int n, float *dot, float *na, float *nb)
{
	cosine_body(a, b, n, dot, na, nb);
}

TARGET_AVX512 static void
cosine_avx512(const float *a, const float *b, int n, float *dot, float *na, float *nb)
{
	cosine_body(a, b, n, dot, na, nb);
}

typedef float (*CodeKernel) (const float *a, const uint8 *c, int n);
typedef uint32 (*Code2Kernel) (const uint8 *a, const uint8 *b, int n);

TARGET_AVX2 static float
dot_f32_u8_avx2(const float *a, const uint8 *c, int n)
{
	return dot_f32_u8_body(a, c, n);
}

TARGET_AVX512 static float
dot_f32_u8_avx512(const float *a, const uint8 *c, int n)
{
	return dot_f32_u8_body(a, c, n);
}

TARGET_AVX2 static uint32
dot_u8_avx2(const uint8 *a, const uint8 *b, int n)
{
	return dot_u8_body(a, b, n);
}

TARGET_AVX512 static uint32
dot_u8_avx512(const uint8 *a, const uint8 *b, int n)
{
	return dot_u8_body(a, b, n);
}

/* 0 baseline, 1 AVX2 + FMA, 2 AVX-512F */
static int
cpu_level(void)
{
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f"))
		return 2;
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		return 1;
	return 0;
}

static FloatKernel
resolve_l2(void)
{
	int			l = cpu_level();

	return l == 2 ? l2_avx512 : l == 1 ? l2_avx2 : dllb_kernel_l2_squared_scalar;
}

static FloatKernel
resolve_dot(void)
{
	int			l = cpu_level();

	return l == 2 ? dot_avx512 : l == 1 ? dot_avx2 : dllb_kernel_dot_scalar;
}

static FloatKernel
resolve_l1(void)
{
	int			l = cpu_level();

	return l == 2 ? l1_avx512 : l == 1 ? l1_avx2 : l1_scalar;
}

static CosineKernel
resolve_cosine(void)
{
	int			l = cpu_level();

	return l == 2 ? cosine_avx512 : l == 1 ? cosine_avx2 : cosine_scalar;
}

static CodeKernel
resolve_dot_f32_u8(void)
{
	int			l = cpu_level();

	return l == 2 ? dot_f32_u8_avx512 : l == 1 ? dot_f32_u8_avx2 : dot_f32_u8_scalar;
}

static Code2Kernel
resolve_dot_u8(void)
{
	int			l = cpu_level();

	return l == 2 ? dot_u8_avx512 : l == 1 ? dot_u8_avx2 : dot_u8_scalar;
}

float		dllb_kernel_dot_f32_u8(const float *a, const uint8 *c, int n)
			__attribute__((ifunc("resolve_dot_f32_u8")));
uint32		dllb_kernel_dot_u8(const uint8 *a, const uint8 *b, int n)
			__attribute__((ifunc("resolve_dot_u8")));
float		dllb_kernel_l2_squared(const float *a, const float *b, int n)
			__attribute__((ifunc("resolve_l2")));
float		dllb_kernel_dot(const float *a, const float *b, int n)
			__attribute__((ifunc("resolve_dot")));
float		dllb_kernel_l1(const float *a, const float *b, int n)
			__attribute__((ifunc("resolve_l1")));
void		dllb_kernel_cosine_parts(const float *a, const float *b, int n,
									 float *dot, float *na, float *nb)
			__attribute__((ifunc("resolve_cosine")));

#else							/* !DLLB_DISPATCH */

float
dllb_kernel_dot_f32_u8(const float *a, const uint8 *c, int n)
{
	return dot_f32_u8_scalar(a, c, n);
}

uint32
dllb_kernel_dot_u8(const uint8 *a, const uint8 *b, int n)
{
	return dot_u8_scalar(a, b, n);
}

float
dllb_kernel_l2_squared(const float *a, const float *b, int n)
{
	return l2_body(a, b, n);
}

float
dllb_kernel_dot(const float *a, const float *b, int n)
{
	return dot_body(a, b, n);
}

float
dllb_kernel_l1(const float *a, const float *b, int n)
{
	return l1_body(a, b, n);
}

void
dllb_kernel_cosine_parts(const float *a, const float *b, int n,
						 float *dot, float *na, float *nb)
{
	cosine_body(a, b, n, dot, na, nb);
}

#endif							/* DLLB_DISPATCH */

/* dllb_kernel_target - which clone this CPU runs (for dllb.vector_kernel()) */
const char *
dllb_kernel_target(void)
{
#ifdef DLLB_DISPATCH
	switch (cpu_level())
	{
		case 2:
			return "avx512";
		case 1:
			return "avx2+fma";
	}
#endif
	return "scalar";
}
