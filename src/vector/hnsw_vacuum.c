/*-------------------------------------------------------------------------
 *
 * hnsw_vacuum.c
 *	  VACUUM of dllb_hnsw: mark, repair, free.
 *
 * Under the writers' lock, in three passes over the index:
 *	1. mark every element whose heap row VACUUM removed as deleted, so no
 *	   scan hands out its heap TID again;
 *	2. repair every list that points at a deleted element: its new list
 *	   is chosen with the HNSW heuristic from its live neighbours and the
 *	   live neighbours of the deleted ones (the two-hop neighbourhood), so
 *	   the graph stays connected and recall does not decay under churn;
 *	   a deleted entry point is replaced by a live element of the highest
 *	   level;
 *	3. free the deleted elements' space, keeping every other element's
 *	   line pointer (and so its id), and tell the free space map.
 *
 * Pruning a full list (on insert or repair) can leave an element that no
 * level-0 list points at any more, which no search would reach.  The
 * cleanup at the end of every VACUUM counts incoming level-0 links and
 * links each such orphan from its nearest neighbour, taking the place of
 * an entry that other lists also point at.
 *
 * IDENTIFICATION
 *	  src/vector/hnsw_vacuum.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/generic_xlog.h"
#include "commands/vacuum.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "storage/freespace.h"
#include "storage/lmgr.h"
#include "utils/memutils.h"

#include "vector/hnsw.h"

typedef struct IdSet
{
	uint32	   *ids;
	int			n;
	int			cap;
} IdSet;

static void
idset_add(IdSet *set, uint32 id)
{
	if (set->n == set->cap)
	{
		set->cap = Max(64, set->cap * 2);
		set->ids = set->ids ? repalloc_huge(set->ids, sizeof(uint32) * set->cap) :
			palloc_extended(sizeof(uint32) * set->cap, MCXT_ALLOC_HUGE);
	}
	set->ids[set->n++] = id;
}

static int
cmp_id(const void *a, const void *b)
{
	uint32		x = *(const uint32 *) a;
	uint32		y = *(const uint32 *) b;

	return (x > y) - (x < y);
}

static bool
idset_has(const IdSet *set, uint32 id)
{
	return set->n > 0 &&
		bsearch(&id, set->ids, set->n, sizeof(uint32), cmp_id) != NULL;
}

static Buffer
read_block(IndexVacuumInfo *info, BlockNumber blk)
{
	return ReadBufferExtended(info->index, MAIN_FORKNUM, blk, RBM_NORMAL, info->strategy);
}

/*
 * mark_deleted - pass 1; returns the ids of all deleted elements, sorted.
 */
static void
mark_deleted(IndexVacuumInfo *info, IndexBulkDeleteResult *stats,
			 IndexBulkDeleteCallback callback, void *callback_state,
			 BlockNumber nblocks, IdSet *deleted)
{
	BlockNumber blk;
	OffsetNumber hits[MaxOffsetNumber];

	for (blk = HNSW_METAPAGE_BLKNO + 1; blk < nblocks; blk++)
	{
		Buffer		buf;
		Page		page;
		OffsetNumber off;
		OffsetNumber maxoff;
		int			nhits = 0;

		vacuum_delay_point();
		buf = read_block(info, blk);
		LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
		page = BufferGetPage(buf);
		maxoff = PageIsNew(page) ? 0 : PageGetMaxOffsetNumber(page);
		for (off = FirstOffsetNumber; off <= maxoff; off++)
		{
			HnswElementTuple e = dllb_hnsw_page_element(page, off);

			if (e == NULL)
				continue;
			if (e->flags & HNSW_ELEMENT_DELETED)
				idset_add(deleted, HnswIdMake(blk, off));
			else if (callback(&e->heaptid, callback_state))
			{
				hits[nhits++] = off;
				idset_add(deleted, HnswIdMake(blk, off));
				stats->tuples_removed++;
			}
			else
				stats->num_index_tuples++;
		}
		if (nhits > 0)
		{
			GenericXLogState *state = GenericXLogStart(info->index);
			Page		wpage = GenericXLogRegisterBuffer(state, buf, 0);
			int			i;

			for (i = 0; i < nhits; i++)
				dllb_hnsw_page_element(wpage, hits[i])->flags |= HNSW_ELEMENT_DELETED;
			GenericXLogFinish(state);
		}
		UnlockReleaseBuffer(buf);
	}
	qsort(deleted->ids, deleted->n, sizeof(uint32), cmp_id);
}

/*
 * repair_element - pass 2 for one element: new lists where they point at
 * deleted elements.
 */
static void
repair_element(Relation index, const HnswShape *shape, uint32 id,
			   const IdSet *deleted)
{
	float	   *vec = palloc(sizeof(float) * shape->dim);
	int			maxslots = HnswSlotsAt(shape->m, 0);
	uint32	   *list = palloc(sizeof(uint32) * maxslots);
	uint32	   *dlist = palloc(sizeof(uint32) * maxslots);
	uint32	   *cand = palloc(sizeof(uint32) * maxslots * (maxslots + 1));
	uint32	   *out = palloc(sizeof(uint32) * maxslots);
	float		norm;
	uint8		level;
	uint8		flags;
	int			lc;
	BlockNumber nblocks = 0;

	if (!dllb_hnsw_read_element(index, shape, &nblocks, id, vec, &norm, &level, &flags,
								NULL, 0, NULL, NULL))
		return;
	for (lc = 0; lc <= level; lc++)
	{
		int			n;
		int			ncand = 0;
		bool		broken = false;
		int			i;

		dllb_hnsw_read_element(index, shape, &nblocks, id, NULL, NULL, NULL, NULL, NULL,
							   lc, list, &n);
		for (i = 0; i < n; i++)
			if (idset_has(deleted, list[i]))
				broken = true;
		if (!broken)
			continue;

		/* the live neighbours first, then the deleted ones' neighbours */
		for (i = 0; i < n; i++)
			if (!idset_has(deleted, list[i]))
				cand[ncand++] = list[i];
		for (i = 0; i < n; i++)
		{
			int			nd;
			int			j;
			int			k;

			if (!idset_has(deleted, list[i]) ||
				!dllb_hnsw_read_element(index, shape, &nblocks, list[i], NULL, NULL, NULL,
										NULL, NULL, lc, dlist, &nd))
				continue;
			for (j = 0; j < nd; j++)
			{
				bool		dup = dlist[j] == id || idset_has(deleted, dlist[j]);

				for (k = 0; k < ncand && !dup; k++)
					dup = cand[k] == dlist[j];
				if (!dup)
					cand[ncand++] = dlist[j];
			}
		}
		n = dllb_hnsw_prune(index, shape, vec, norm, cand, ncand,
							HnswSlotsAt(shape->m, lc), out);
		dllb_hnsw_set_neighbours(index, shape, id, lc, out, n);
	}
	pfree(vec);
	pfree(list);
	pfree(dlist);
	pfree(cand);
	pfree(out);
}

/*
 * repair - pass 2 over the whole index; returns a live element of the
 * highest level (the entry point if it must be replaced).
 */
static uint32
repair(IndexVacuumInfo *info, const HnswShape *shape, BlockNumber nblocks,
	   const IdSet *deleted, int *best_level)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_hnsw repair",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	uint32		best = HNSW_INVALID_ID;
	BlockNumber blk;

	*best_level = -1;
	for (blk = HNSW_METAPAGE_BLKNO + 1; blk < nblocks; blk++)
	{
		Buffer		buf;
		Page		page;
		OffsetNumber off;
		OffsetNumber maxoff;
		uint32		todo[HNSW_MAX_OFFSET];
		int			ntodo = 0;
		int			i;

		vacuum_delay_point();
		buf = read_block(info, blk);
		LockBuffer(buf, BUFFER_LOCK_SHARE);
		page = BufferGetPage(buf);
		maxoff = PageIsNew(page) ? 0 : PageGetMaxOffsetNumber(page);
		for (off = FirstOffsetNumber; off <= maxoff; off++)
		{
			HnswElementTuple e = dllb_hnsw_page_element(page, off);
			const uint32 *slots;
			int			k;

			if (e == NULL || (e->flags & HNSW_ELEMENT_DELETED))
				continue;
			if (e->level > *best_level)
			{
				*best_level = e->level;
				best = HnswIdMake(blk, off);
			}
			slots = HnswElementSlots(e, shape->dim);
			for (k = 0; k < HnswSlotsTotal(shape->m, e->level); k++)
				if (slots[k] != HNSW_INVALID_ID && idset_has(deleted, slots[k]))
				{
					todo[ntodo++] = HnswIdMake(blk, off);
					break;
				}
		}
		UnlockReleaseBuffer(buf);

		for (i = 0; i < ntodo; i++)
		{
			CHECK_FOR_INTERRUPTS();
			repair_element(info->index, shape, todo[i], deleted);
		}
		MemoryContextReset(cxt);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return best;
}

/*
 * free_deleted - pass 3.
 */
static void
free_deleted(IndexVacuumInfo *info, BlockNumber nblocks, const IdSet *deleted)
{
	int			i = 0;

	while (i < deleted->n)
	{
		BlockNumber blk = HnswIdBlock(deleted->ids[i]);
		Buffer		buf = read_block(info, blk);
		GenericXLogState *state;
		Page		page;
		int			last;
		int			j;

		vacuum_delay_point();
		LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
		state = GenericXLogStart(info->index);
		page = GenericXLogRegisterBuffer(state, buf, 0);
		/* highest offset first: freeing the last one shortens the array */
		last = i;
		while (last + 1 < deleted->n && HnswIdBlock(deleted->ids[last + 1]) == blk)
			last++;
		for (j = last; j >= i; j--)
			if (dllb_hnsw_page_element(page, HnswIdOffset(deleted->ids[j])) != NULL)
				PageIndexTupleDeleteNoCompact(page, HnswIdOffset(deleted->ids[j]));
		i = last + 1;
		GenericXLogFinish(state);
		RecordPageWithFreeSpace(info->index, blk, PageGetFreeSpace(BufferGetPage(buf)));
		UnlockReleaseBuffer(buf);
	}
}

IndexBulkDeleteResult *
dllb_hnsw_bulkdelete(IndexVacuumInfo *info, IndexBulkDeleteResult *stats,
					 IndexBulkDeleteCallback callback, void *callback_state)
{
	Relation	index = info->index;
	HnswMetaPageData meta;
	HnswShape	shape;
	IdSet		deleted = {NULL, 0, 0};
	BlockNumber nblocks;

	if (stats == NULL)
		stats = palloc0(sizeof(IndexBulkDeleteResult));

	LockPage(index, HNSW_METAPAGE_BLKNO, ExclusiveLock);
	dllb_hnsw_read_meta(index, &meta);
	shape.metric = dllb_hnsw_metric(index);
	shape.dim = meta.dim;
	shape.m = meta.m;
	nblocks = RelationGetNumberOfBlocks(index);

	stats->num_index_tuples = 0;
	mark_deleted(info, stats, callback, callback_state, nblocks, &deleted);
	if (deleted.n > 0)
	{
		int			best_level;
		uint32		best = repair(info, &shape, nblocks, &deleted, &best_level);

		if (idset_has(&deleted, meta.entry) || meta.entry == HNSW_INVALID_ID)
		{
			meta.entry = best;
			meta.entry_level = best_level;
			dllb_hnsw_write_meta(index, &meta);
		}
		free_deleted(info, nblocks, &deleted);
	}
	UnlockPage(index, HNSW_METAPAGE_BLKNO, ExclusiveLock);

	stats->num_pages = nblocks;
	return stats;
}

/*
 * reconnect - give every live element without an incoming level-0 link
 * one, from the first live element of its own level-0 list.
 */
static void
reconnect(IndexVacuumInfo *info, const HnswShape *shape, uint32 entry,
		  BlockNumber nblocks)
{
	Relation	index = info->index;
	Size		nids = (Size) nblocks << 8;
	uint8	   *indeg = palloc_extended(nids, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	bool	   *live = palloc_extended(nids, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	int			max0 = HnswSlotsAt(shape->m, 0);
	uint32	   *list = palloc(sizeof(uint32) * (max0 + 1));
	uint32	   *ylist = palloc(sizeof(uint32) * (max0 + 1));
	BlockNumber blk;
	BlockNumber nblocks_seen = nblocks;
	Size		id;

	for (blk = HNSW_METAPAGE_BLKNO + 1; blk < nblocks; blk++)
	{
		Buffer		buf = read_block(info, blk);
		Page		page;
		OffsetNumber off;
		OffsetNumber maxoff;

		vacuum_delay_point();
		LockBuffer(buf, BUFFER_LOCK_SHARE);
		page = BufferGetPage(buf);
		maxoff = PageIsNew(page) ? 0 : PageGetMaxOffsetNumber(page);
		for (off = FirstOffsetNumber; off <= maxoff; off++)
		{
			HnswElementTuple e = dllb_hnsw_page_element(page, off);
			const uint32 *slots;
			int			k;

			if (e == NULL || (e->flags & HNSW_ELEMENT_DELETED))
				continue;
			live[HnswIdMake(blk, off)] = true;
			slots = HnswElementSlots(e, shape->dim);
			for (k = 0; k < max0 && slots[k] != HNSW_INVALID_ID; k++)
				if (slots[k] < nids && indeg[slots[k]] < 255)
					indeg[slots[k]]++;
		}
		UnlockReleaseBuffer(buf);
	}

	for (id = 0; id < nids; id++)
	{
		int			n;
		int			k;

		if (!live[id] || indeg[id] > 0 || id == entry)
			continue;
		CHECK_FOR_INTERRUPTS();
		if (!dllb_hnsw_read_element(index, shape, &nblocks_seen, (uint32) id, NULL, NULL, NULL, NULL,
									NULL, 0, list, &n))
			continue;
		for (k = 0; k < n; k++)
		{
			uint32		y = list[k];
			int			ny;
			int			j;
			int			victim = -1;

			if (y >= nids || !live[y])
				continue;
			if (!dllb_hnsw_read_element(index, shape, &nblocks_seen, y, NULL, NULL, NULL, NULL,
										NULL, 0, ylist, &ny))
				continue;
			if (ny < max0)
				ylist[ny++] = (uint32) id;
			else
			{
				/* the last entry others point at too */
				for (j = ny - 1; j >= 0 && victim < 0; j--)
					if (ylist[j] < nids && indeg[ylist[j]] > 1)
						victim = j;
				if (victim < 0)
					continue;
				indeg[ylist[victim]]--;
				ylist[victim] = (uint32) id;
			}
			dllb_hnsw_set_neighbours(index, shape, y, 0, ylist, ny);
			indeg[id]++;
			break;
		}
	}
	pfree(indeg);
	pfree(live);
	pfree(list);
	pfree(ylist);
}

IndexBulkDeleteResult *
dllb_hnsw_vacuumcleanup(IndexVacuumInfo *info, IndexBulkDeleteResult *stats)
{
	Relation	index = info->index;
	BlockNumber nblocks;
	BlockNumber blk;

	if (info->analyze_only)
		return stats;
	nblocks = RelationGetNumberOfBlocks(index);
	if (stats == NULL)
	{
		/* no bulk delete ran: count the live elements */
		stats = palloc0(sizeof(IndexBulkDeleteResult));
		for (blk = HNSW_METAPAGE_BLKNO + 1; blk < nblocks; blk++)
		{
			Buffer		buf = read_block(info, blk);
			Page		page;
			OffsetNumber off;
			OffsetNumber maxoff;

			vacuum_delay_point();
			LockBuffer(buf, BUFFER_LOCK_SHARE);
			page = BufferGetPage(buf);
			maxoff = PageIsNew(page) ? 0 : PageGetMaxOffsetNumber(page);
			for (off = FirstOffsetNumber; off <= maxoff; off++)
			{
				HnswElementTuple e = dllb_hnsw_page_element(page, off);

				if (e != NULL && !(e->flags & HNSW_ELEMENT_DELETED))
					stats->num_index_tuples++;
			}
			UnlockReleaseBuffer(buf);
		}
	}
	stats->num_pages = nblocks;

	/* link the elements no list points at */
	{
		HnswMetaPageData meta;
		HnswShape	shape;

		LockPage(index, HNSW_METAPAGE_BLKNO, ExclusiveLock);
		dllb_hnsw_read_meta(index, &meta);
		shape.metric = dllb_hnsw_metric(index);
		shape.dim = meta.dim;
		shape.m = meta.m;
		if (meta.entry != HNSW_INVALID_ID)
			reconnect(info, &shape, meta.entry, RelationGetNumberOfBlocks(index));
		UnlockPage(index, HNSW_METAPAGE_BLKNO, ExclusiveLock);
	}

	FreeSpaceMapVacuum(index);
	return stats;
}
