/*-------------------------------------------------------------------------
 *
 * tableam_init.c
 *	  Load-time setup of the tableam layer (the dllb table access method).
 *
 * IDENTIFICATION
 *	  src/tableam/tableam_init.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "tableam/tableam.h"

/*
 * dllb_tableam_init - build the table AM routine; called by _PG_init.
 */
void
dllb_tableam_init(void)
{
	dllb_tableam_routine_init();
}
