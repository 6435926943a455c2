/*-------------------------------------------------------------------------
 *
 * hnsw_heapfetch.c
 *	  The indexed vector of a table row, fetched by its heap TID.
 *
 * A quantized index stores codes, not the vectors: a scan re-ranks its
 * candidates by the exact distance to the vector in the table, and a
 * build that ran short of memory writes the full vectors it no longer
 * holds.  Both fetch the row by TID with SnapshotAny, following a HOT
 * chain (every member of a chain has the same indexed value, or it would
 * not be a HOT chain), and compute the indexed value as the build did:
 * the column itself, or the index expression.  A row that is gone (dead
 * to everyone, pruned) is reported as such.
 *
 * IDENTIFICATION
 *	  src/vector/hnsw_heapfetch.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/tableam.h"
#include "catalog/index.h"
#include "executor/executor.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "vector/hnsw.h"

struct HnswRowFetcher
{
	IndexInfo  *indexInfo;
	IndexFetchTableData *fetch;
	TupleTableSlot *slot;
	EState	   *estate;			/* for index expressions only */
	AttrNumber	attnum;			/* the vector column, 0 for an expression */
	MemoryContext tmpcxt;
};

HnswRowFetcher *
dllb_hnsw_fetcher_begin(Relation heap, Relation index, IndexInfo *indexInfo)
{
	HnswRowFetcher *f = palloc0(sizeof(HnswRowFetcher));

	f->indexInfo = indexInfo ? indexInfo : BuildIndexInfo(index);
	f->attnum = f->indexInfo->ii_IndexAttrNumbers[0];
	f->fetch = table_index_fetch_begin(heap);
	f->slot = table_slot_create(heap, NULL);
	f->tmpcxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_hnsw row fetch",
									  ALLOCSET_SMALL_SIZES);
	if (f->attnum == 0)
	{
		f->estate = CreateExecutorState();
		GetPerTupleExprContext(f->estate)->ecxt_scantuple = f->slot;
	}
	return f;
}

/*
 * dllb_hnsw_fetch_vector - the indexed vector of the row at tid, in out
 * (dim floats); false when the row is gone or its vector is NULL or of
 * another dimension.
 */
bool
dllb_hnsw_fetch_vector(HnswRowFetcher *f, ItemPointer tid, int dim, float *out)
{
	ItemPointerData t = *tid;
	bool		call_again = false;
	bool		all_dead = false;
	bool		found;
	MemoryContext old;

	MemoryContextReset(f->tmpcxt);
	found = table_index_fetch_tuple(f->fetch, &t, SnapshotAny, f->slot,
									&call_again, &all_dead);
	if (!found)
		return false;
	old = MemoryContextSwitchTo(f->tmpcxt);
	{
		Datum		value;
		bool		isnull;

		if (f->attnum != 0)
			value = slot_getattr(f->slot, f->attnum, &isnull);
		else
		{
			Datum		values[INDEX_MAX_KEYS];
			bool		isnulls[INDEX_MAX_KEYS];

			ResetPerTupleExprContext(f->estate);
			FormIndexDatum(f->indexInfo, f->slot, f->estate, values, isnulls);
			value = values[0];
			isnull = isnulls[0];
		}
		if (isnull)
			found = false;
		else
		{
			int			vdim;
			float	   *x = dllb_hnsw_datum_vector(value, &vdim);

			if (vdim == dim)
				memcpy(out, x, sizeof(float) * dim);
			else
				found = false;
		}
	}
	MemoryContextSwitchTo(old);
	ExecClearTuple(f->slot);
	return found;
}

void
dllb_hnsw_fetcher_end(HnswRowFetcher *f)
{
	ExecDropSingleTupleTableSlot(f->slot);
	table_index_fetch_end(f->fetch);
	if (f->estate)
		FreeExecutorState(f->estate);
	MemoryContextDelete(f->tmpcxt);
	pfree(f);
}
