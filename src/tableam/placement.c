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
 * the oldest, full page.  The block becomes the relation's target block;
 * heap's insert uses the page when the tuple fits and otherwise asks the
 * free space map or extends the table, and the page it picks becomes the
 * key's newest.  The lookup reads only the index (an index-only scan under
 * SnapshotAny, no heap fetch): any version of a neighbour, even a dead one,
 * marks where its key lives, and visibility is never affected because
 * placement only chooses a page.
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
#include "access/nbtree.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "catalog/pg_am.h"
#include "catalog/pg_index.h"
#include "storage/bufmgr.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "tableam/tableam.h"

PG_FUNCTION_INFO_V1(dllb_tableam_invalidate);

/* How many neighbouring index entries to look at. */
#define PLACEMENT_PROBE 64

/* What rd_amcache holds for a dllb table. */
typedef struct PlacementCache
{
	Oid			indexoid;		/* InvalidOid: no clustering index */
	AttrNumber	heap_attno;		/* table column of the key */
	Oid			le_proc;		/* <= of the index's opfamily */
	Oid			ge_proc;		/* >= */
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
		Oid			le = get_opfamily_member(opfamily, opcintype, opcintype,
											 BTLessEqualStrategyNumber);
		Oid			ge = get_opfamily_member(opfamily, opcintype, opcintype,
											 BTGreaterEqualStrategyNumber);

		Oid			cmp = get_opfamily_proc(opfamily, opcintype, opcintype,
											BTORDER_PROC);

		if (OidIsValid(le) && OidIsValid(ge) && OidIsValid(cmp))
		{
			fmgr_info_cxt(cmp, &cache->cmp, CacheMemoryContext);
			cache->indexoid = chosen;
			cache->heap_attno = index->rd_index->indkey.values[0];
			cache->le_proc = get_opcode(le);
			cache->ge_proc = get_opcode(ge);
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
 * The newest heap block of the first key met scanning from key in
 * direction dir (the key itself when present), reading at most
 * PLACEMENT_PROBE entries; *exact says whether that key was key itself.
 * InvalidBlockNumber when the scan meets nothing.
 */
static BlockNumber
neighbour_block(Relation rel, Relation index, PlacementCache *cache,
				Datum key, ScanDirection dir, bool *exact)
{
	ScanKeyData skey;
	IndexScanDesc scan;
	ItemPointer tid;
	BlockNumber blk = InvalidBlockNumber;
	bool		backward = ScanDirectionIsBackward(dir);
	Datum		first = (Datum) 0;
	bool		have_first = false;
	int			i;

	*exact = false;
	ScanKeyEntryInitialize(&skey, 0, 1,
						   backward ? BTLessEqualStrategyNumber : BTGreaterEqualStrategyNumber,
						   cache->subtype, cache->collation,
						   backward ? cache->le_proc : cache->ge_proc, key);
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
 * dllb_placement_target - point rel's target block at the page of the
 * slot's key neighbour.  Returns true when it did.
 */
bool
dllb_placement_target(Relation rel, TupleTableSlot *slot)
{
	PlacementCache *cache = placement_cache(rel);
	Relation	index;
	Datum		key;
	bool		isnull;
	BlockNumber blk;
	bool		exact;

	if (!OidIsValid(cache->indexoid))
		return false;
	key = slot_getattr(slot, cache->heap_attno, &isnull);
	if (isnull)
		return false;

	index = index_open(cache->indexoid, AccessShareLock);
	blk = neighbour_block(rel, index, cache, key, BackwardScanDirection, &exact);
	if (blk == InvalidBlockNumber)
		blk = neighbour_block(rel, index, cache, key, ForwardScanDirection, &exact);
	index_close(index, AccessShareLock);

	/* an index entry never outlives its heap page, but be safe */
	if (blk == InvalidBlockNumber || blk >= RelationGetNumberOfBlocks(rel))
		return false;
	RelationSetTargetBlock(rel, blk);
	return true;
}

/*
 * dllb_tableam_invalidate - make every backend re-read a table's
 * clustering index (called by dllb.cluster_by).
 */
Datum
dllb_tableam_invalidate(PG_FUNCTION_ARGS)
{
	CacheInvalidateRelcacheByRelid(PG_GETARG_OID(0));
	PG_RETURN_VOID();
}
