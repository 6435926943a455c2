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
 * cleanup at the end of every VACUUM loads the level-0 lists, links each
 * such orphan from one of its neighbours (taking the place of an entry
 * that other lists also point at), and then links whatever the entry
 * point still cannot reach from a neighbour it can.
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
 * The level-0 graph in memory, for reconnect: every live element's list,
 * by position, and a map from element id to position.
 */
typedef struct Level0
{
	int			max0;
	uint32		n;
	uint32	   *ids;			/* position -> id */
	uint32	   *lists;			/* position -> max0 ids */
	int32	   *pos;			/* id -> position, -1 when not live */
	Size		nids;
	uint8	   *indeg;			/* incoming level-0 links, saturating */
} Level0;

static int
list_len(const Level0 *g, uint32 p)
{
	const uint32 *l = g->lists + (Size) p * g->max0;
	int			n = 0;

	while (n < g->max0 && l[n] != HNSW_INVALID_ID)
		n++;
	return n;
}

/* the position of a live element, or -1 */
static int32
pos_of(const Level0 *g, uint32 id)
{
	return id < g->nids ? g->pos[id] : -1;
}

static void
load_level0(IndexVacuumInfo *info, const HnswShape *shape, BlockNumber nblocks,
			Level0 *g)
{
	BlockNumber blk;
	uint32		cap = 1024;
	uint32		p;
	int			k;

	g->max0 = HnswSlotsAt(shape->m, 0);
	g->nids = (Size) nblocks << 8;
	g->pos = palloc_extended(sizeof(int32) * g->nids, MCXT_ALLOC_HUGE);
	memset(g->pos, 0xFF, sizeof(int32) * g->nids);
	g->ids = palloc_extended(sizeof(uint32) * cap, MCXT_ALLOC_HUGE);
	g->lists = palloc_extended(sizeof(uint32) * cap * g->max0, MCXT_ALLOC_HUGE);
	g->n = 0;
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

			if (e == NULL || (e->flags & HNSW_ELEMENT_DELETED))
				continue;
			if (g->n == cap)
			{
				cap *= 2;
				g->ids = repalloc_huge(g->ids, sizeof(uint32) * cap);
				g->lists = repalloc_huge(g->lists, sizeof(uint32) * cap * g->max0);
			}
			g->ids[g->n] = HnswIdMake(blk, off);
			g->pos[HnswIdMake(blk, off)] = g->n;
			memcpy(g->lists + (Size) g->n * g->max0, HnswElementSlots(e, shape->dim),
				   sizeof(uint32) * g->max0);
			g->n++;
		}
		UnlockReleaseBuffer(buf);
	}
	g->indeg = palloc_extended(Max(g->n, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (p = 0; p < g->n; p++)
		for (k = 0; k < list_len(g, p); k++)
		{
			int32		q = pos_of(g, g->lists[(Size) p * g->max0 + k]);

			if (q >= 0 && g->indeg[q] < 255)
				g->indeg[q]++;
		}
}

/* whether y's list has room or an entry that others point at too */
static bool
can_take(const Level0 *g, uint32 y)
{
	int			n = list_len(g, y);
	int			k;

	if (n < g->max0)
		return true;
	for (k = 0; k < n; k++)
	{
		int32		q = pos_of(g, g->lists[(Size) y * g->max0 + k]);

		if (q < 0 || g->indeg[q] > 1)
			return true;
	}
	return false;
}

/*
 * link_into - put x in y's list (in memory and on disk): in a free slot,
 * else in place of its last entry that others point at too.
 */
static void
link_into(Relation index, const HnswShape *shape, Level0 *g, uint32 y, uint32 x)
{
	uint32	   *l = g->lists + (Size) y * g->max0;
	int			n = list_len(g, y);
	int			k;

	if (n < g->max0)
		l[n++] = g->ids[x];
	else
	{
		for (k = n - 1; k >= 0; k--)
		{
			int32		q = pos_of(g, l[k]);

			if (q < 0 || g->indeg[q] > 1)
			{
				if (q >= 0)
					g->indeg[q]--;
				l[k] = g->ids[x];
				break;
			}
		}
		if (k < 0)
			return;
	}
	if (g->indeg[x] < 255)
		g->indeg[x]++;
	dllb_hnsw_set_neighbours(index, shape, g->ids[y], 0, l, n);
}

/* mark everything reachable from start over level-0 lists */
static void
mark_from(const Level0 *g, uint32 start, bool *seen, uint32 *queue)
{
	uint32		head = 0;
	uint32		tail = 0;

	if (seen[start])
		return;
	seen[start] = true;
	queue[tail++] = start;
	while (head < tail)
	{
		uint32		p = queue[head++];
		int			n = list_len(g, p);
		int			k;

		for (k = 0; k < n; k++)
		{
			int32		q = pos_of(g, g->lists[(Size) p * g->max0 + k]);

			if (q >= 0 && !seen[q])
			{
				seen[q] = true;
				queue[tail++] = q;
			}
		}
	}
}

/*
 * reconnect - make every live element reachable from the entry point
 * again: first give each element no level-0 list points at a link from
 * one of its own neighbours, then link whatever the entry point still
 * cannot reach from a neighbour it can.
 */
static uint32
reconnect(IndexVacuumInfo *info, const HnswShape *shape, uint32 entry,
		  BlockNumber nblocks)
{
	Relation	index = info->index;
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_hnsw reconnect",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Level0		g;
	bool	   *seen;
	uint32	   *queue;
	int32		epos;
	bool		progress = true;
	uint32		x;
	uint32		nlive;

	load_level0(info, shape, nblocks, &g);
	nlive = g.n;
	epos = entry == HNSW_INVALID_ID ? -1 : pos_of(&g, entry);
	if (epos < 0)
		goto done;

	for (x = 0; x < g.n; x++)
	{
		int			n;
		int			k;

		if (g.indeg[x] > 0 || x == (uint32) epos)
			continue;
		CHECK_FOR_INTERRUPTS();
		n = list_len(&g, x);
		for (k = 0; k < n; k++)
		{
			int32		y = pos_of(&g, g.lists[(Size) x * g.max0 + k]);

			if (y >= 0 && can_take(&g, y))
			{
				link_into(index, shape, &g, y, x);
				break;
			}
		}
	}

	seen = palloc_extended(Max(g.n, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	queue = palloc_extended(sizeof(uint32) * Max(g.n, 1), MCXT_ALLOC_HUGE);
	mark_from(&g, epos, seen, queue);
	while (progress)
	{
		progress = false;
		for (x = 0; x < g.n; x++)
		{
			int			n;
			int			k;

			if (seen[x])
				continue;
			CHECK_FOR_INTERRUPTS();
			n = list_len(&g, x);
			for (k = 0; k < n; k++)
			{
				int32		y = pos_of(&g, g.lists[(Size) x * g.max0 + k]);

				if (y >= 0 && seen[y] && can_take(&g, y))
				{
					link_into(index, shape, &g, y, x);
					mark_from(&g, x, seen, queue);
					progress = true;
					break;
				}
			}
		}
	}

done:
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return nlive;
}

IndexBulkDeleteResult *
dllb_hnsw_vacuumcleanup(IndexVacuumInfo *info, IndexBulkDeleteResult *stats)
{
	Relation	index = info->index;
	HnswMetaPageData meta;
	HnswShape	shape;
	uint32		nlive;

	if (info->analyze_only)
		return stats;

	/* make every element reachable again; counts the live ones */
	LockPage(index, HNSW_METAPAGE_BLKNO, ExclusiveLock);
	dllb_hnsw_read_meta(index, &meta);
	shape.metric = dllb_hnsw_metric(index);
	shape.dim = meta.dim;
	shape.m = meta.m;
	nlive = reconnect(info, &shape, meta.entry, RelationGetNumberOfBlocks(index));
	UnlockPage(index, HNSW_METAPAGE_BLKNO, ExclusiveLock);

	if (stats == NULL)
	{
		/* no bulk delete ran */
		stats = palloc0(sizeof(IndexBulkDeleteResult));
		stats->num_index_tuples = nlive;
	}
	stats->num_pages = RelationGetNumberOfBlocks(index);
	FreeSpaceMapVacuum(index);
	return stats;
}
