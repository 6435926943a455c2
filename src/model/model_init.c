/*-------------------------------------------------------------------------
 *
 * model_init.c
 *	  Load-time setup of the model layer (record ids, document and edge tables, graph traversal).
 *
 * IDENTIFICATION
 *	  src/model/model_init.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "model/model.h"

/*
 * dllb_model_init - register the layer's GUCs and hooks; called by _PG_init.
 */
void
dllb_model_init(void)
{
}
