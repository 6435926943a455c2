/*-------------------------------------------------------------------------
 *
 * vector_init.c
 *	  Load-time setup of the vector layer (the vector type, SIMD distance kernels and the dllb_hnsw index AM).
 *
 * IDENTIFICATION
 *	  src/vector/vector_init.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "vector/hnsw.h"
#include "vector/vector.h"

/*
 * dllb_vector_init - register the layer's GUCs and hooks; called by _PG_init.
 */
void
dllb_vector_init(void)
{
	dllb_hnsw_init();
}
