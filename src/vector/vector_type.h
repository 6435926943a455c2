/*-------------------------------------------------------------------------
 *
 * vector_type.h
 *	  The dllb.vector type: float4 elements, typmod = dimension.
 *
 * On disk: a varlena with a 2-byte dimension, 2 unused bytes (always 0)
 * and the float4 elements.  The text parser (vector_text.c) is a pure
 * function reporting errors as codes, so the fuzz target builds it
 * frontend-style.
 *
 * IDENTIFICATION
 *	  src/vector/vector_type.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_VECTOR_TYPE_H
#define DLLB_VECTOR_TYPE_H

#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

#include "lib/stringinfo.h"

/* Most dimensions a vector may have. */
#define DLLB_VECTOR_MAX_DIM 16000

typedef struct DllbVector
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int16		dim;
	int16		unused;			/* always 0 */
	float		x[FLEXIBLE_ARRAY_MEMBER];
} DllbVector;

#define DLLB_VECTOR_SIZE(dim)	(offsetof(DllbVector, x) + sizeof(float) * (dim))

/* What went wrong while parsing; DLLB_VECTOR_OK when nothing did. */
typedef enum DllbVectorError
{
	DLLB_VECTOR_OK = 0,
	DLLB_VECTOR_NO_BRACKET,
	DLLB_VECTOR_EMPTY,
	DLLB_VECTOR_BAD_NUMBER,
	DLLB_VECTOR_NOT_FINITE,
	DLLB_VECTOR_TOO_MANY,
	DLLB_VECTOR_TRAILING,
	DLLB_VECTOR_UNTERMINATED
} DllbVectorError;

extern DllbVectorError dllb_vector_parse(const char *str, float *out,
										 int maxdim, int *dim, int *errpos);
extern const char *dllb_vector_error_message(DllbVectorError err);
extern void dllb_vector_format(const float *x, int dim, StringInfo out);

#endif							/* DLLB_VECTOR_TYPE_H */
