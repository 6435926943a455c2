/*-------------------------------------------------------------------------
 *
 * vector_kernels.h
 *	  Distance kernels over float4 arrays.
 *
 * IDENTIFICATION
 *	  src/vector/vector_kernels.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_VECTOR_KERNELS_H
#define DLLB_VECTOR_KERNELS_H

#include "postgres.h"

extern float dllb_kernel_l2_squared(const float *a, const float *b, int n);
extern float dllb_kernel_dot(const float *a, const float *b, int n);
extern float dllb_kernel_l1(const float *a, const float *b, int n);
extern void dllb_kernel_cosine_parts(const float *a, const float *b, int n,
									 float *dot, float *na, float *nb);
extern float dllb_kernel_dot_f32_u8(const float *a, const uint8 *c, int n);
extern uint32 dllb_kernel_dot_u8(const uint8 *a, const uint8 *b, int n);
extern const char *dllb_kernel_target(void);

/* scalar references, for tests that compare with the dispatched kernels */
extern float dllb_kernel_l2_squared_scalar(const float *a, const float *b, int n);
extern float dllb_kernel_dot_scalar(const float *a, const float *b, int n);

#endif							/* DLLB_VECTOR_KERNELS_H */
