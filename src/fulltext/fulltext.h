/*-------------------------------------------------------------------------
 *
 * fulltext.h
 *	  Public interface of the fulltext layer: analyzers, the code tokenizer and the dllb_bm25 index AM.
 *
 * IDENTIFICATION
 *	  src/fulltext/fulltext.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_FULLTEXT_H
#define DLLB_FULLTEXT_H

#include "dllb.h"

#endif							/* DLLB_FULLTEXT_H */
