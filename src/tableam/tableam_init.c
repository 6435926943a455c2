/*-------------------------------------------------------------------------
 *
 * tableam_init.c
 *	  Load-time setup of the tableam layer (the dllb table access method: heap storage with key-clustered placement).
 *
 * IDENTIFICATION
 *	  src/tableam/tableam_init.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "tableam/tableam.h"

/*
 * dllb_tableam_init - register the layer's GUCs and hooks; called by _PG_init.
 */
void
dllb_tableam_init(void)
{
}
