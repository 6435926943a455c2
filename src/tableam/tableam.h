/*-------------------------------------------------------------------------
 *
 * tableam.h
 *	  Public interface of the tableam layer: the dllb table access method.
 *
 * IDENTIFICATION
 *	  src/tableam/tableam.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_TABLEAM_H
#define DLLB_TABLEAM_H

#include "dllb.h"

#include "executor/tuptable.h"
#include "utils/relcache.h"

/* tableam_handler.c */
extern void dllb_tableam_routine_init(void);

/* placement.c */
typedef enum DllbPlacement
{
	PLACE_HEAP,					/* heap chooses the page */
	PLACE_TARGET,				/* target block set to a page with room */
	PLACE_EXTEND				/* target set to a full page: extend */
} DllbPlacement;

/*
 * The tuples a batch insert (COPY) has placed so far: their index entries
 * are made only after the whole batch is in the heap, so placement
 * remembers where each went (key, block) to keep a key's tuples together.
 */
typedef struct DllbPlacementBatch
{
	int			n;
	int			cap;
	Datum	   *keys;			/* copies, in the batch's memory */
	BlockNumber *blocks;
} DllbPlacementBatch;

extern bool dllb_placement_enabled(Relation rel);
extern DllbPlacement dllb_placement_target(Relation rel, TupleTableSlot *slot,
										   DllbPlacementBatch *batch);
extern void dllb_placement_remember(Relation rel, TupleTableSlot *slot,
									DllbPlacementBatch *batch);

#endif							/* DLLB_TABLEAM_H */
