/*-------------------------------------------------------------------------
 *
 * placement.c
 *	  Key-clustered placement: find the page of a new tuple's key neighbour.
 *
 * The clustering key of a dllb table is the first column of its clustering
 * index: the btree index marked with ALTER TABLE ... CLUSTER ON (which is
 * what dllb.cluster_by() sets, and what pg_dump keeps), or else the primary
 * key's index.  PostgreSQL's own "index to cluster on" flag is reused on
 * purpose: it means exactly this, survives dump and restore, and needs no
 * catalog of our own.
 *
 * For a new tuple, the target is the newest page (highest block number) of
 * its key: among the index entries equal to the new key, or, when there
 * are none, among those of the nearest lower key (or, failing that, the
 * nearest higher key), at most PLACEMENT_PROBE entries read.  The newest
 * page is the one most likely to have room; "the first entry found" would
 * not do, since a btree returns one key's TIDs in TID order (a posting
 * list's TIDs lowest first even in a backward scan) and keeps pointing at
 * the oldest, full page.  When that page has room for the tuple it becomes
 * the relation's target block and heap's insert puts the tuple there.
 * When it is full, the newest pages of the nearest lower and higher keys
 * are tried, so that a page is shared by a run of neighbouring keys.  When
 * those are full too, the tuple goes to a new page (heap is told to skip
 * the free space map, which makes it extend the table), which then becomes
 * the newest page of the key and of its neighbours as they overflow.
 * Falling back to wherever heap would have put the tuple (the page this
 * backend filled last) instead mixes every overflowing key on the same
 * tail pages and loses the clustering, and giving each key a page of its
 * own instead of sharing leaves a table of low-degree vertices mostly
 * empty (both measured; see doc/tableam.md).
 *
 * The lookups read only the index (index-only scans under SnapshotAny, no
 * heap fetch): any version of a neighbour, even a dead one, marks where
 * its key lives, and visibility is never affected because placement only
 * chooses a page.
 *
 * The choice of index is cached in the table's rd_amcache; relcache
 * invalidation (index created or dropped, dllb.cluster_by) clears it.
 *
 * IDENTIFICATION
 *	  src/tableam/placement.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/nbtree.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "catalog/pg_am.h"
#include "catalog/pg_index.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "storage/bufpage.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/snapmgr.h"

#include "tableam/tableam.h"

PG_FUNCTION_INFO_V1(dllb_tableam_invalidate);

/*
 * Room a page keeps for the keys already on it: a tuple whose key is not
 * on the page yet (a new key joining its neighbour, or an overflow from a
 * neighbour's full page) goes there only if this much stays free after it.
 */
#define PLACEMENT_RESERVE (BLCKSZ * 3 / 4)

/* How many pages of nearby keys to try, on each side, before extending. */
#define PLACEMENT_NEARBY 8

/* How many neighbouring index entries to look at. */
#define PLACEMENT_PROBE 64

/* What rd_amcache holds for a dllb table. */
typedef struct PlacementCache
{
	Oid			indexoid;		/* InvalidOid: no clustering index */
	AttrNumber	heap_attno;		/* table column of the key */
	Oid			procs[BTMaxStrategyNumber + 1]; /* by strategy number */
	Oid			subtype;		/* opclass input type */
	Oid			collation;		/* index column's collation */
	FmgrInfo	cmp;			/* btree comparison of the column */
} PlacementCache;

/* usable as a clustering index: valid btree whose first key is a column */
static bool
index_usable(Relation index)
{
	return index->rd_rel->relam == BTREE_AM_OID &&
		index->rd_index->indisvalid &&
		index->rd_index->indisready &&
		index->rd_index->indnkeyatts >= 1 &&
		index->rd_index->indkey.values[0] != 0;
}

/* work out (once per relcache entry) which index clusters rel */
static PlacementCache *
placement_cache(Relation rel)
{
	PlacementCache *cache = (PlacementCache *) rel->rd_amcache;
	List	   *indexes;
	ListCell   *lc;
	Oid			chosen = InvalidOid;
	Oid			pk;

	if (cache != NULL)
		return cache;

	indexes = RelationGetIndexList(rel);
	pk = rel->rd_pkindex;
	foreach(lc, indexes)
	{
		Relation	index = index_open(lfirst_oid(lc), AccessShareLock);
		bool		usable = index_usable(index);
		bool		clustered = index->rd_index->indisclustered;

		index_close(index, AccessShareLock);
		if (!usable)
			continue;
		if (clustered)
		{
			chosen = lfirst_oid(lc);
			break;
		}
		if (lfirst_oid(lc) == pk)
			chosen = pk;
	}
	list_free(indexes);

	cache = MemoryContextAllocZero(CacheMemoryContext, sizeof(PlacementCache));
	if (OidIsValid(chosen))
	{
		Relation	index = index_open(chosen, AccessShareLock);
		Oid			opfamily = index->rd_opfamily[0];
		Oid			opcintype = index->rd_opcintype[0];
		Oid			cmp = get_opfamily_proc(opfamily, opcintype, opcintype,
											BTORDER_PROC);
		bool		ok = OidIsValid(cmp);
		int			strat;

		for (strat = 1; strat <= BTMaxStrategyNumber; strat++)
		{
			Oid			op = get_opfamily_member(opfamily, opcintype, opcintype, strat);

			if (!OidIsValid(op))
				ok = false;
			else
				cache->procs[strat] = get_opcode(op);
		}
		if (ok)
		{
			fmgr_info_cxt(cmp, &cache->cmp, CacheMemoryContext);
			cache->indexoid = chosen;
			cache->heap_attno = index->rd_index->indkey.values[0];
			cache->subtype = opcintype;
			cache->collation = index->rd_indcollation[0];
		}
		index_close(index, AccessShareLock);
	}
	rel->rd_amcache = cache;
	return cache;
}

/*
 * dllb_placement_enabled - does rel have a clustering index?
 */
bool
dllb_placement_enabled(Relation rel)
{
	return OidIsValid(placement_cache(rel)->indexoid);
}

/*
 * The newest heap block of the first key met scanning the index for keys
 * "strategy" key (<, <=, >=, >), backwards for < and <=, reading at most
 * PLACEMENT_PROBE entries; *exact says whether that key was key itself.
 * InvalidBlockNumber when the scan meets nothing.
 */
static BlockNumber
neighbour_block(Relation rel, Relation index, PlacementCache *cache,
				Datum key, StrategyNumber strategy, bool *exact)
{
	ScanKeyData skey;
	IndexScanDesc scan;
	ItemPointer tid;
	BlockNumber blk = InvalidBlockNumber;
	bool		backward = strategy == BTLessStrategyNumber ||
		strategy == BTLessEqualStrategyNumber;
	ScanDirection dir = backward ? BackwardScanDirection : ForwardScanDirection;
	Datum		first = (Datum) 0;
	bool		have_first = false;
	int			i;

	*exact = false;
	ScanKeyEntryInitialize(&skey, 0, 1, strategy, cache->subtype,
						   cache->collation, cache->procs[strategy], key);
	scan = index_beginscan(rel, index, SnapshotAny, 1, 0);
	scan->xs_want_itup = true;
	index_rescan(scan, &skey, 1, NULL, 0);
	for (i = 0; i < PLACEMENT_PROBE; i++)
	{
		Datum		k;
		bool		isnull;
		BlockNumber b;

		tid = index_getnext_tid(scan, dir);
		if (tid == NULL || scan->xs_itup == NULL)
			break;
		k = index_getattr(scan->xs_itup, 1, scan->xs_itupdesc, &isnull);
		if (isnull)
			break;
		if (!have_first)
		{
			/* the first key met: the new key itself, or its neighbour */
			first = datumCopy(k, TupleDescAttr(scan->xs_itupdesc, 0)->attbyval,
							  TupleDescAttr(scan->xs_itupdesc, 0)->attlen);
			have_first = true;
			*exact = DatumGetInt32(FunctionCall2Coll(&cache->cmp, cache->collation,
													 k, key)) == 0;
		}
		else if (DatumGetInt32(FunctionCall2Coll(&cache->cmp, cache->collation,
												 k, first)) != 0)
			break;				/* past the first key's entries */
		b = ItemPointerGetBlockNumber(tid);
		if (blk == InvalidBlockNumber || b > blk)
			blk = b;
	}
	index_endscan(scan);
	return blk;
}

/*
 * Up to max distinct heap blocks of the index entries nearest to key in
 * the direction of strategy (< or >), nearest first, reading at most
 * PLACEMENT_PROBE entries.  Returns how many were found.
 */
static int
nearby_blocks(Relation rel, Relation index, PlacementCache *cache,
			  Datum key, StrategyNumber strategy, BlockNumber *blocks, int max)
{
	ScanKeyData skey;
	IndexScanDesc scan;
	ItemPointer tid;
	int			n = 0;
	int			i,
				j;
	ScanDirection dir = strategy == BTLessStrategyNumber ?
		BackwardScanDirection : ForwardScanDirection;

	ScanKeyEntryInitialize(&skey, 0, 1, strategy, cache->subtype,
						   cache->collation, cache->procs[strategy], key);
	scan = index_beginscan(rel, index, SnapshotAny, 1, 0);
	index_rescan(scan, &skey, 1, NULL, 0);
	for (i = 0; i < PLACEMENT_PROBE && n < max; i++)
	{
		BlockNumber b;

		tid = index_getnext_tid(scan, dir);
		if (tid == NULL)
			break;
		b = ItemPointerGetBlockNumber(tid);
		for (j = 0; j < n; j++)
			if (blocks[j] == b)
				break;
		if (j == n)
			blocks[n++] = b;
	}
	index_endscan(scan);
	return n;
}

/* free space a page needs to take the slot's tuple (fillfactor included) */
static Size
space_needed(Relation rel, TupleTableSlot *slot)
{
	bool		should_free;
	HeapTuple	tuple = ExecFetchSlotHeapTuple(slot, true, &should_free);
	Size		need = MAXALIGN(tuple->t_len) +
		RelationGetTargetPageFreeSpace(rel, HEAP_DEFAULT_FILLFACTOR);

	if (should_free)
		heap_freetuple(tuple);
	return need;
}

/* has page blk at least need + reserve bytes free? */
static bool
page_has_room(Relation rel, BlockNumber blk, Size need, Size reserve)
{
	Buffer		buf = ReadBuffer(rel, blk);
	Size		free;

	LockBuffer(buf, BUFFER_LOCK_SHARE);
	free = PageGetHeapFreeSpace(BufferGetPage(buf));
	UnlockReleaseBuffer(buf);
	return free >= need + reserve;
}

/*
 * dllb_placement_target - choose where the slot's tuple goes: point rel's
 * target block at a page of the key's neighbourhood with room and return
 * PLACE_TARGET; or point it at the key's full newest page and return
 * PLACE_EXTEND (the caller makes heap skip the free space map, so heap
 * extends the table); or return PLACE_HEAP to leave the choice to heap.
 */
DllbPlacement
dllb_placement_target(Relation rel, TupleTableSlot *slot, DllbPlacementBatch *batch)
{
	PlacementCache *cache = placement_cache(rel);
	Relation	index;
	Datum		key;
	bool		isnull;
	bool		exact;
	BlockNumber nblocks;
	Size		need;
	BlockNumber own;
	BlockNumber lo[PLACEMENT_NEARBY];
	BlockNumber hi[PLACEMENT_NEARBY];
	int			nlo,
				nhi;
	int			i;
	DllbPlacement result = PLACE_HEAP;

	if (!OidIsValid(cache->indexoid))
		return PLACE_HEAP;
	key = slot_getattr(slot, cache->heap_attno, &isnull);
	if (isnull)
		return PLACE_HEAP;

	nblocks = RelationGetNumberOfBlocks(rel);
	need = space_needed(rel, slot);

	/*
	 * In a batch, the tuples already placed have no index entries yet: the
	 * newest page of one with the same key comes first, as the key's own
	 * page would.
	 */
	if (batch != NULL)
	{
		for (i = batch->n - 1; i >= 0; i--)
		{
			CHECK_FOR_INTERRUPTS();
			if (DatumGetInt32(FunctionCall2Coll(&cache->cmp, cache->collation,
												batch->keys[i], key)) == 0)
			{
				if (batch->blocks[i] < nblocks &&
					page_has_room(rel, batch->blocks[i], need, 0))
				{
					RelationSetTargetBlock(rel, batch->blocks[i]);
					return PLACE_TARGET;
				}
				break;
			}
		}
	}
	index = index_open(cache->indexoid, AccessShareLock);
	own = neighbour_block(rel, index, cache, key, BTLessEqualStrategyNumber, &exact);
	/* an index entry never outlives its heap page, but be safe */
	if (own != InvalidBlockNumber && own >= nblocks)
		own = InvalidBlockNumber;
	if (own != InvalidBlockNumber &&
		page_has_room(rel, own, need, exact ? 0 : PLACEMENT_RESERVE))
	{
		RelationSetTargetBlock(rel, own);
		index_close(index, AccessShareLock);
		return PLACE_TARGET;
	}

	/*
	 * The key's page is full (or the key is new): try the pages of the
	 * nearby keys, nearest first, alternating sides, so that a run of
	 * neighbouring keys shares pages (a wider window fills pages better;
	 * each key still keeps to its own newest page while it has room).
	 */
	nlo = nearby_blocks(rel, index, cache, key, BTLessStrategyNumber, lo, PLACEMENT_NEARBY);
	nhi = nearby_blocks(rel, index, cache, key, BTGreaterStrategyNumber, hi, PLACEMENT_NEARBY);
	for (i = 0; i < Max(nlo, nhi) && result == PLACE_HEAP; i++)
	{
		BlockNumber c[2];
		int			k;

		c[0] = i < nlo ? lo[i] : InvalidBlockNumber;
		c[1] = i < nhi ? hi[i] : InvalidBlockNumber;
		for (k = 0; k < 2; k++)
		{
			if (c[k] == InvalidBlockNumber || c[k] >= nblocks || c[k] == own)
				continue;
			if (page_has_room(rel, c[k], need, PLACEMENT_RESERVE))
			{
				RelationSetTargetBlock(rel, c[k]);
				result = PLACE_TARGET;
				break;
			}
		}
	}
	if (result == PLACE_HEAP && batch != NULL && batch->n > 0 &&
		batch->blocks[batch->n - 1] < nblocks &&
		page_has_room(rel, batch->blocks[batch->n - 1], need, PLACEMENT_RESERVE))
	{
		/* a new key in a batch: beside the batch's previous tuple */
		RelationSetTargetBlock(rel, batch->blocks[batch->n - 1]);
		result = PLACE_TARGET;
	}
	if (result == PLACE_HEAP)
	{
		BlockNumber full = own != InvalidBlockNumber ? own :
		(nhi > 0 ? hi[0] : InvalidBlockNumber);

		if (full != InvalidBlockNumber && full < nblocks)
		{
			RelationSetTargetBlock(rel, full);
			result = PLACE_EXTEND;
		}
	}
	index_close(index, AccessShareLock);
	return result;
}

/*
 * dllb_placement_remember - after the slot's tuple went into the heap (its
 * TID is set), note its key and block in the batch
 */
void
dllb_placement_remember(Relation rel, TupleTableSlot *slot, DllbPlacementBatch *batch)
{
	PlacementCache *cache = placement_cache(rel);
	Datum		key;
	bool		isnull;
	Form_pg_attribute att;

	if (!OidIsValid(cache->indexoid) || !ItemPointerIsValid(&slot->tts_tid))
		return;
	key = slot_getattr(slot, cache->heap_attno, &isnull);
	if (isnull)
		return;
	if (batch->n == batch->cap)
	{
		batch->cap = batch->cap ? batch->cap * 2 : 64;
		batch->keys = batch->keys ? repalloc(batch->keys, sizeof(Datum) * batch->cap)
			: palloc(sizeof(Datum) * batch->cap);
		batch->blocks = batch->blocks ? repalloc(batch->blocks, sizeof(BlockNumber) * batch->cap)
			: palloc(sizeof(BlockNumber) * batch->cap);
	}
	att = TupleDescAttr(RelationGetDescr(rel), cache->heap_attno - 1);
	batch->keys[batch->n] = datumCopy(key, att->attbyval, att->attlen);
	batch->blocks[batch->n] = ItemPointerGetBlockNumber(&slot->tts_tid);
	batch->n++;
}

/*
 * dllb_tableam_invalidate - make every backend re-read a table's
 * clustering index (called by dllb.cluster_by).  Internal: not granted to
 * PUBLIC, and only for the table's owner.
 */
Datum
dllb_tableam_invalidate(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);

	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	dllb_check_owner(relid);
	CacheInvalidateRelcacheByRelid(relid);
	PG_RETURN_VOID();
}
