/*-------------------------------------------------------------------------
 *
 * tableam_handler.c
 *	  The dllb table access method: heap, plus key-clustered placement.
 *
 * A table created USING dllb stores its tuples exactly as heap does (same
 * page format, MVCC, WAL, TOAST, vacuum, every index type, pg_dump), so
 * almost every callback is heap's own.  The differences, and why:
 *
 *	  tuple_insert, tuple_insert_speculative, multi_insert
 *		Before heap places the tuple, point the relation's target block at
 *		a page of the tuple's key neighbourhood (see placement.c).  Heap's
 *		RelationGetBufferForTuple starts from the target block and uses it
 *		when it has room; when placement wants a new page, it passes
 *		HEAP_INSERT_SKIP_FSM with a full target, and heap extends the table.
 *		Placement never moves an existing tuple or writes a page twice.
 *
 *	  index_build_range_scan, index_validate_scan
 *		Heap's implementations read the table with heap_getnext(), which
 *		refuses any relation whose rd_tableam is not heap's own routine.
 *		The wrappers present heap's routine for the duration of the call
 *		(the tuples are heap tuples, so that is the truth) and restore ours
 *		on every exit.
 *
 * Everything else (scans, fetches, update, delete, locking, vacuum,
 * analyze, TOAST, CLUSTER, size estimates) is heap's callback unchanged.
 * The routine is built once at load time and never changes afterwards.
 *
 * IDENTIFICATION
 *	  src/tableam/tableam_handler.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/tableam.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "fmgr.h"
#include "utils/rel.h"

#include "tableam/tableam.h"

PG_FUNCTION_INFO_V1(dllb_tableam_handler);

/* Heap's routine, and ours (a copy with the overrides); set at load. */
static const TableAmRoutine *heap_routine = NULL;
static TableAmRoutine dllb_routine;

/* ------------------------------------------------------------------------
 * Insert callbacks: place, then let heap insert.
 * ------------------------------------------------------------------------
 */

/* insert one tuple next to its key neighbour */
static void
dllb_tuple_insert(Relation rel, TupleTableSlot *slot, CommandId cid,
				  int options, BulkInsertState bistate)
{
	DllbPlacement p = dllb_placement_target(rel, slot, NULL);

	if (p != PLACE_HEAP)
		bistate = NULL;			/* a bulk state would override the target */
	if (p == PLACE_EXTEND)
		options |= HEAP_INSERT_SKIP_FSM;	/* full target: heap extends */
	heap_routine->tuple_insert(rel, slot, cid, options, bistate);
}

/* INSERT ... ON CONFLICT: same placement */
static void
dllb_tuple_insert_speculative(Relation rel, TupleTableSlot *slot,
							  CommandId cid, int options,
							  BulkInsertState bistate, uint32 specToken)
{
	DllbPlacement p = dllb_placement_target(rel, slot, NULL);

	if (p != PLACE_HEAP)
		bistate = NULL;
	if (p == PLACE_EXTEND)
		options |= HEAP_INSERT_SKIP_FSM;
	heap_routine->tuple_insert_speculative(rel, slot, cid, options, bistate,
										   specToken);
}

/*
 * COPY and other batch inserts: one placed insert per tuple.  Heap's batch
 * insert fills pages in arrival order, which is exactly what placement
 * avoids; a batch loses heap's one-WAL-record-per-page saving instead.
 * The batch's tuples get their index entries only after all of them are
 * in the heap, so placement is told where the batch's earlier tuples went.
 * A table without a clustering index keeps heap's batch path.
 */
static void
dllb_multi_insert(Relation rel, TupleTableSlot **slots, int nslots,
				  CommandId cid, int options, BulkInsertState bistate)
{
	DllbPlacementBatch batch = {0, 0, NULL, NULL};
	int			i;

	if (!dllb_placement_enabled(rel))
	{
		heap_routine->multi_insert(rel, slots, nslots, cid, options, bistate);
		return;
	}
	for (i = 0; i < nslots; i++)
	{
		DllbPlacement p;
		int			opts = options;

		CHECK_FOR_INTERRUPTS();
		p = dllb_placement_target(rel, slots[i], &batch);
		if (p == PLACE_EXTEND)
			opts |= HEAP_INSERT_SKIP_FSM;
		heap_routine->tuple_insert(rel, slots[i], cid, opts,
								   p == PLACE_HEAP ? bistate : NULL);
		dllb_placement_remember(rel, slots[i], &batch);
	}
	if (batch.keys)
	{
		pfree(batch.keys);
		pfree(batch.blocks);
	}
}

/* ------------------------------------------------------------------------
 * Index build callbacks: heap's, run with heap's routine in place.
 * ------------------------------------------------------------------------
 */

static double
dllb_index_build_range_scan(Relation table_rel, Relation index_rel,
							struct IndexInfo *index_info, bool allow_sync,
							bool anyvisible, bool progress,
							BlockNumber start_blockno, BlockNumber numblocks,
							IndexBuildCallback callback, void *callback_state,
							TableScanDesc scan)
{
	const TableAmRoutine *saved = table_rel->rd_tableam;
	double		result = 0;

	table_rel->rd_tableam = heap_routine;
	PG_TRY();
	{
		result = heap_routine->index_build_range_scan(table_rel, index_rel,
													  index_info, allow_sync,
													  anyvisible, progress,
													  start_blockno, numblocks,
													  callback, callback_state,
													  scan);
	}
	PG_FINALLY();
	{
		table_rel->rd_tableam = saved;
	}
	PG_END_TRY();
	return result;
}

static void
dllb_index_validate_scan(Relation table_rel, Relation index_rel,
						 struct IndexInfo *index_info, Snapshot snapshot,
						 struct ValidateIndexState *state)
{
	const TableAmRoutine *saved = table_rel->rd_tableam;

	table_rel->rd_tableam = heap_routine;
	PG_TRY();
	{
		heap_routine->index_validate_scan(table_rel, index_rel, index_info,
										  snapshot, state);
	}
	PG_FINALLY();
	{
		table_rel->rd_tableam = saved;
	}
	PG_END_TRY();
}

/* ------------------------------------------------------------------------
 * Handler and load-time setup.
 * ------------------------------------------------------------------------
 */

/* dllb_tableam_routine_init - build the routine once; called by _PG_init */
void
dllb_tableam_routine_init(void)
{
	heap_routine = GetHeapamTableAmRoutine();
	dllb_routine = *heap_routine;
	dllb_routine.tuple_insert = dllb_tuple_insert;
	dllb_routine.tuple_insert_speculative = dllb_tuple_insert_speculative;
	dllb_routine.multi_insert = dllb_multi_insert;
	dllb_routine.index_build_range_scan = dllb_index_build_range_scan;
	dllb_routine.index_validate_scan = dllb_index_validate_scan;
}

/* dllb_tableam_handler - the table_am_handler of access method dllb */
Datum
dllb_tableam_handler(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(&dllb_routine);
}
