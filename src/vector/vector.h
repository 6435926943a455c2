/*-------------------------------------------------------------------------
 *
 * vector.h
 *	  Public interface of the vector layer: the vector type, SIMD distance kernels and the dllb_hnsw index AM.
 *
 * IDENTIFICATION
 *	  src/vector/vector.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_VECTOR_H
#define DLLB_VECTOR_H

#include "dllb.h"

#endif							/* DLLB_VECTOR_H */
