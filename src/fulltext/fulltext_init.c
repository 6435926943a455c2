/*-------------------------------------------------------------------------
 *
 * fulltext_init.c
 *	  Load-time setup of the fulltext layer (analyzers, the code tokenizer and the dllb_bm25 index AM).
 *
 * IDENTIFICATION
 *	  src/fulltext/fulltext_init.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fulltext/bm25.h"
#include "fulltext/fulltext.h"

/*
 * dllb_fulltext_init - register the layer's GUCs and hooks; called by _PG_init.
 */
void
dllb_fulltext_init(void)
{
	dllb_bm25_init();
}
