/*-------------------------------------------------------------------------
 *
 * vector.h
 *	  Public interface of the vector layer: dllb.vector, distances, and
 *	  the dllb_hnsw index access method (hnsw.h).
 *
 * IDENTIFICATION
 *	  src/vector/vector.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_VECTOR_H
#define DLLB_VECTOR_H

#include "dllb.h"
#include "fmgr.h"

struct DllbVector;

#define DatumGetDllbVector(d)		((struct DllbVector *) PG_DETOAST_DATUM(d))
#define PG_GETARG_DLLB_VECTOR(n)	DatumGetDllbVector(PG_GETARG_DATUM(n))

extern struct DllbVector *dllb_vector_new(int dim);
extern void dllb_vector_check_dim(int dim);
extern void dllb_vector_check_same_dim(const struct DllbVector *a,
									   const struct DllbVector *b);

#endif							/* DLLB_VECTOR_H */
