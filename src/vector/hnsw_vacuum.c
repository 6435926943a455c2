/*-------------------------------------------------------------------------
 *
 * hnsw_vacuum.c
 *	  VACUUM of dllb_hnsw: mark, re-parent, repair, free.
 *
 * Under the writers' lock, in four steps:
 *	1. mark every element whose heap row VACUUM removed as deleted (a
 *	   tombstone), so no scan hands out its heap TID again; tombstones keep
 *	   their vector and lists, and searches still walk through them;
 *	2. re-parent: load the graph's lists and parents into memory; every
 *	   live element whose chain of parents no longer reaches the entry point
 *	   over live elements gets a new parent, an element that reaches it and
 *	   already lists it (breadth first), or, failing that, is linked from a
 *	   neighbour that does (in place of an entry it is not the parent of);
 *	3. repair every list that points at a tombstone: its live entries stay,
 *	   and the freed places go to the best of the tombstones' own live
 *	   neighbours (the two-hop neighbourhood), chosen with the HNSW
 *	   heuristic, so the graph stays connected and recall does not decay
 *	   under churn;
 *	4. free the tombstones' space, keeping every other element's line
 *	   pointer (and so its id), and tell the free space map.
 *
 * The entry point is never freed: a deleted entry point stays, as a
 * tombstone, the root every parent chain leads to, until an element of a
 * higher level replaces it (or no live element is left).
 *
 * Each WAL record leaves a graph that dllb.hnsw_verify finds whole, so an
 * immediate stop at any point needs no repair: step 2 only sets parents
 * that already list their child and whose own parents on disk already lead
 * to the root (a new parent is written before its children, never after),
 * or links an element from a parent in one record, replacing an entry
 * that does not hang from that list (a tombstone that is p's child may
 * still carry live elements); step 3
 * only takes out links to tombstones, after step 2 made every live element
 * reachable without them; step 4 frees only tombstones nothing live points
 * at.  A VACUUM that an immediate stop interrupted is finished by the next
 * one (the tombstones are found again).
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
 * mark_deleted - step 1; the ids of all tombstones (new and left by an
 * interrupted VACUUM), sorted, and the number of live elements.
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
			dllb_hnsw_wal_finish(state);
		}
		UnlockReleaseBuffer(buf);
	}
	qsort(deleted->ids, deleted->n, sizeof(uint32), cmp_id);
}

/* ---- step 2: parents ---------------------------------------------------- */

/*
 * The graph in memory: every element's header fields and all its lists,
 * by position, and a map from element id to position.
 */
typedef struct Graph
{
	const HnswShape *shape;
	int			m;
	uint32		n;
	uint32	   *ids;			/* position -> id */
	uint8	   *level;
	bool	   *dead;			/* a tombstone */
	int32	   *parent;			/* position of the parent, -1 for none */
	uint32	   *keys;			/* filter keys */
	Size	   *first;			/* position -> index of its first slot */
	uint32	   *slots;			/* ids, HNSW_INVALID_ID when empty */
	Size		nslots;
	int32	   *pos;			/* id -> position, -1 when absent */
	Size		nids;
	int32		root;			/* the entry point */
	uint8	   *state;			/* see reaches_root */
} Graph;

static int32
pos_of(const Graph *g, uint32 id)
{
	return id < g->nids ? g->pos[id] : -1;
}

static uint32 *
list_at(const Graph *g, int32 p, int lc)
{
	return g->slots + g->first[p] + HnswSlotsStart(g->m, lc);
}

static void
load_graph(IndexVacuumInfo *info, const HnswShape *shape, BlockNumber nblocks,
		   uint32 entry, Graph *g)
{
	BlockNumber blk;
	uint32		cap = 1024;
	Size		slotcap = 16384;
	uint32	   *pids;			/* parents as ids, while loading */
	uint32		p;

	g->shape = shape;
	g->m = shape->m;
	g->nids = (Size) nblocks << 8;
	g->pos = palloc_extended(sizeof(int32) * Max(g->nids, 1), MCXT_ALLOC_HUGE);
	memset(g->pos, 0xFF, sizeof(int32) * g->nids);
	g->ids = palloc_extended(sizeof(uint32) * cap, MCXT_ALLOC_HUGE);
	g->level = palloc_extended(cap, MCXT_ALLOC_HUGE);
	g->dead = palloc_extended(sizeof(bool) * cap, MCXT_ALLOC_HUGE);
	g->parent = palloc_extended(sizeof(int32) * cap, MCXT_ALLOC_HUGE);
	g->keys = palloc_extended(sizeof(uint32) * cap, MCXT_ALLOC_HUGE);
	pids = palloc_extended(sizeof(uint32) * cap, MCXT_ALLOC_HUGE);
	g->first = palloc_extended(sizeof(Size) * cap, MCXT_ALLOC_HUGE);
	g->slots = palloc_extended(sizeof(uint32) * slotcap, MCXT_ALLOC_HUGE);
	g->n = 0;
	g->nslots = 0;
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
			int			total;

			if (e == NULL)
				continue;
			total = HnswSlotsTotal(shape->m, e->level);
			if (g->n == cap)
			{
				cap *= 2;
				g->ids = repalloc_huge(g->ids, sizeof(uint32) * cap);
				g->level = repalloc_huge(g->level, cap);
				g->dead = repalloc_huge(g->dead, sizeof(bool) * cap);
				g->parent = repalloc_huge(g->parent, sizeof(int32) * cap);
				g->keys = repalloc_huge(g->keys, sizeof(uint32) * cap);
				pids = repalloc_huge(pids, sizeof(uint32) * cap);
				g->first = repalloc_huge(g->first, sizeof(Size) * cap);
			}
			while (g->nslots + total > slotcap)
			{
				slotcap *= 2;
				g->slots = repalloc_huge(g->slots, sizeof(uint32) * slotcap);
			}
			g->ids[g->n] = HnswIdMake(blk, off);
			g->level[g->n] = e->level;
			g->dead[g->n] = (e->flags & HNSW_ELEMENT_DELETED) != 0;
			pids[g->n] = e->parent;
			g->keys[g->n] = HnswElementKey(e, shape);
			g->first[g->n] = g->nslots;
			memcpy(g->slots + g->nslots, HnswElementIds(e, shape), sizeof(uint32) * total);
			g->nslots += total;
			g->pos[HnswIdMake(blk, off)] = g->n;
			g->n++;
		}
		UnlockReleaseBuffer(buf);
	}
	/* parents as positions */
	for (p = 0; p < g->n; p++)
		g->parent[p] = pids[p] == HNSW_INVALID_ID ? -1 : pos_of(g, pids[p]);
	pfree(pids);
	g->root = entry == HNSW_INVALID_ID ? -1 : pos_of(g, entry);
	g->state = palloc_extended(Max(g->n, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
}

/* whether p lists c on any level */
static bool
lists(const Graph *g, int32 p, int32 c)
{
	int			total = HnswSlotsTotal(g->m, g->level[p]);
	const uint32 *s = g->slots + g->first[p];
	int			k;

	for (k = 0; k < total; k++)
		if (s[k] == g->ids[c])
			return true;
	return false;
}

#define ST_UNKNOWN	0
#define ST_GOOD		1			/* its parents lead to the root over live elements */
#define ST_BAD		2
#define ST_WALKING	3

/*
 * reaches_root - mark whether each element's chain of parents leads to the
 * root through live elements that each list the next one down; walks each
 * chain once (an explicit stack, since chains can be long).
 */
static void
reaches_root(Graph *g)
{
	int32	   *stack = palloc_extended(sizeof(int32) * Max(g->n, 1), MCXT_ALLOC_HUGE);
	uint32		p;

	g->state[g->root] = ST_GOOD;
	for (p = 0; p < g->n; p++)
	{
		int			depth = 0;
		int32		c = p;
		uint8		result;

		while (g->state[c] == ST_UNKNOWN)
		{
			int32		par = g->parent[c];

			if (g->dead[c] || par < 0 || (g->dead[par] && par != g->root) ||
				!lists(g, par, c))
			{
				g->state[c] = ST_BAD;
				break;
			}
			g->state[c] = ST_WALKING;
			stack[depth++] = c;
			c = par;
		}
		/* a chain that runs into itself (a cycle) does not reach the root */
		result = g->state[c] == ST_GOOD ? ST_GOOD : ST_BAD;
		while (depth > 0)
			g->state[stack[--depth]] = result;
	}
	pfree(stack);
}

/*
 * A batch of parent changes.  depth is the new parent's distance, in
 * changes, from an element whose parents on disk already lead to the root:
 * an element's new parent is written before the element, so after every
 * record the parents on disk lead to the root.  (Written in any other
 * order, an element could get as parent its own old child whose change is
 * not on disk yet: after a crash between the two, a cycle.)
 */
typedef struct ParentChange
{
	uint32		depth;
	uint32		id;
	uint32		parent;
} ParentChange;

static int
cmp_change(const void *a, const void *b)
{
	const ParentChange *x = (const ParentChange *) a;
	const ParentChange *y = (const ParentChange *) b;

	if (x->depth != y->depth)
		return (x->depth > y->depth) - (x->depth < y->depth);
	return cmp_id(&x->id, &y->id);
}

/*
 * write_parents - write a batch, depth by depth, one WAL record for the
 * changes of one depth on one page.
 */
static void
write_parents(IndexVacuumInfo *info, ParentChange *ch, int n)
{
	int			i = 0;

	qsort(ch, n, sizeof(ParentChange), cmp_change);
	while (i < n)
	{
		BlockNumber blk = HnswIdBlock(ch[i].id);
		uint32		depth = ch[i].depth;
		Buffer		buf = read_block(info, blk);
		GenericXLogState *state;
		Page		page;

		vacuum_delay_point();
		LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
		state = GenericXLogStart(info->index);
		page = GenericXLogRegisterBuffer(state, buf, 0);
		for (; i < n && HnswIdBlock(ch[i].id) == blk && ch[i].depth == depth; i++)
		{
			HnswElementTuple e = dllb_hnsw_page_element(page, HnswIdOffset(ch[i].id));

			if (e != NULL)
				e->parent = ch[i].parent;
		}
		dllb_hnsw_wal_finish(state);
		UnlockReleaseBuffer(buf);
	}
}

/* the pages of one WAL record, each locked and registered once */
typedef struct RecordPages
{
	GenericXLogState *state;
	Buffer		bufs[MAX_GENERIC_XLOG_PAGES];
	Page		pages[MAX_GENERIC_XLOG_PAGES];
	int			n;
} RecordPages;

static HnswElementTuple
record_element(IndexVacuumInfo *info, RecordPages *rp, uint32 id)
{
	BlockNumber blk = HnswIdBlock(id);
	HnswElementTuple e;
	int			i;

	for (i = 0; i < rp->n && BufferGetBlockNumber(rp->bufs[i]) != blk; i++)
		;
	if (i == rp->n)
	{
		Assert(rp->n < MAX_GENERIC_XLOG_PAGES);
		rp->bufs[i] = read_block(info, blk);
		LockBuffer(rp->bufs[i], BUFFER_LOCK_EXCLUSIVE);
		rp->pages[i] = GenericXLogRegisterBuffer(rp->state, rp->bufs[i], 0);
		rp->n++;
	}
	e = dllb_hnsw_page_element(rp->pages[i], HnswIdOffset(id));
	if (e == NULL)
		elog(ERROR, "dllb_hnsw element vanished under the writers' lock");
	return e;
}

/* put id into slot k of x's level-0 list, on disk (e) and in memory */
static void
set_slot(const HnswShape *shape, Graph *g, int32 x, HnswElementTuple e, int k, int32 y)
{
	list_at(g, x, 0)[k] = g->ids[y];
	HnswElementIds(e, shape)[k] = g->ids[y];
	if (HnswFiltered(shape))
		HnswElementSlotKeys(e, shape)[k] = g->keys[y];
}

/*
 * free_slot - a place in x's level-0 list that a new entry may take
 * without cutting anything off: a free slot (the first, to keep the list
 * dense), else a tombstone x is not the parent of, else (live_too) the
 * last live entry x is not the parent of; -1 when there is none.
 */
static int
free_slot(const Graph *g, int32 x, bool live_too)
{
	uint32	   *l = list_at(g, x, 0);
	int			max0 = HnswSlotsAt(g->m, 0);
	int			k;

	for (k = 0; k < max0; k++)
		if (l[k] == HNSW_INVALID_ID)
			return k;
	for (k = 0; k < max0; k++)
	{
		int32		q = pos_of(g, l[k]);

		if (q < 0 || (g->dead[q] && q != g->root && g->parent[q] != x))
			return k;
	}
	for (k = max0 - 1; k >= 0 && live_too; k--)
	{
		int32		q = pos_of(g, l[k]);

		if (!g->dead[q] && g->parent[q] != x && q != g->root)
			return k;
	}
	return -1;
}

/*
 * adopt - link c from p, which reaches the root, and make p its parent, in
 * one WAL record: c goes into a free slot of p's level-0 list, else in
 * place of a tombstone p is not the parent of, else of a tombstone p is
 * the parent of - handing that tombstone, with the live elements that may
 * still hang from it, over to c in the same record (c lists it and becomes
 * its parent) - else of the last live entry whose parent is not p.  False
 * when p's list has no such place.
 */
static bool
adopt(IndexVacuumInfo *info, const HnswShape *shape, Graph *g, int32 p, int32 c)
{
	uint32	   *l = list_at(g, p, 0);
	int			max0 = HnswSlotsAt(g->m, 0);
	int			slot = free_slot(g, p, false);
	int32		heir = -1;		/* a tombstone child of p handed over to c */
	int			cslot = -1;
	RecordPages rp;
	HnswElementTuple pe;
	HnswElementTuple ce;
	int			k;

	for (k = 0; k < max0 && slot < 0; k++)
	{
		int32		q = pos_of(g, l[k]);

		if (g->dead[q] && q != g->root && g->parent[q] == p)
		{
			/* c takes q into its list: already there, or a free place */
			cslot = lists(g, c, q) ? -2 : free_slot(g, c, true);
			if (cslot != -1)
			{
				slot = k;
				heir = q;
			}
		}
	}
	if (slot < 0)
		slot = free_slot(g, p, true);
	if (slot < 0)
		return false;

	memset(&rp, 0, sizeof(rp));
	rp.state = GenericXLogStart(info->index);
	pe = record_element(info, &rp, g->ids[p]);
	ce = record_element(info, &rp, g->ids[c]);
	set_slot(shape, g, p, pe, slot, c);
	ce->parent = g->ids[p];
	g->parent[c] = p;
	if (heir >= 0)
	{
		if (cslot >= 0)
			set_slot(shape, g, c, ce, cslot, heir);
		record_element(info, &rp, g->ids[heir])->parent = g->ids[c];
		g->parent[heir] = c;
	}
	dllb_hnsw_wal_finish(rp.state);
	while (rp.n > 0)
		UnlockReleaseBuffer(rp.bufs[--rp.n]);
	return true;
}

/*
 * reparent - step 2: give every live element a chain of parents that leads
 * to the root over live elements.
 */
static void
reparent(IndexVacuumInfo *info, const HnswShape *shape, Graph *g)
{
	int32	   *queue = palloc_extended(sizeof(int32) * Max(g->n, 1), MCXT_ALLOC_HUGE);
	uint32	   *depth = palloc_extended(sizeof(uint32) * Max(g->n, 1),
										MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	ParentChange *changes = NULL;
	int			nchanges = 0;
	int			chcap = 0;
	uint32		head = 0;
	uint32		tail = 0;
	uint32		p;

	reaches_root(g);
	for (p = 0; p < g->n; p++)
		if (g->state[p] == ST_GOOD)
			queue[tail++] = p;

	/*
	 * Breadth first from what reaches the root: the first list that points
	 * at an element that does not becomes its parent.  What no list of
	 * those reaches is linked from a neighbour that does, else from any
	 * element that does and has room, and the walk goes on from there.
	 */
	p = 0;
	for (;;)
	{
		while (head < tail)
		{
			int32		x = queue[head++];
			int			total = HnswSlotsTotal(g->m, g->level[x]);
			const uint32 *s = g->slots + g->first[x];
			int			k;

			for (k = 0; k < total; k++)
			{
				int32		y = s[k] == HNSW_INVALID_ID ? -1 : pos_of(g, s[k]);

				if (y < 0 || g->dead[y] || g->state[y] == ST_GOOD)
					continue;
				g->state[y] = ST_GOOD;
				depth[y] = depth[x] + 1;
				if (g->parent[y] != x)
				{
					g->parent[y] = x;
					if (nchanges == chcap)
					{
						chcap = Max(256, chcap * 2);
						changes = changes ? repalloc_huge(changes, sizeof(ParentChange) * chcap) :
							palloc_extended(sizeof(ParentChange) * chcap, MCXT_ALLOC_HUGE);
					}
					changes[nchanges].depth = depth[x];
					changes[nchanges].id = g->ids[y];
					changes[nchanges].parent = g->ids[x];
					nchanges++;
				}
				queue[tail++] = y;
			}
		}

		for (; p < g->n; p++)
		{
			uint32	   *l;
			bool		done = false;
			int			k;

			if (g->dead[p] || g->state[p] == ST_GOOD)
				continue;
			CHECK_FOR_INTERRUPTS();

			/*
			 * Write the parents chosen so far first: adopt may take an
			 * element out of a list that was its parent on disk until now.
			 */
			if (nchanges > 0)
			{
				write_parents(info, changes, nchanges);
				nchanges = 0;
			}
			l = list_at(g, p, 0);
			for (k = 0; k < HnswSlotsAt(g->m, 0) && !done; k++)
			{
				int32		y = l[k] == HNSW_INVALID_ID ? -1 : pos_of(g, l[k]);

				if (y >= 0 && g->state[y] == ST_GOOD && !(g->dead[y] && y != g->root))
					done = adopt(info, shape, g, y, p);
			}
			for (k = 0; k < (int) tail && !done; k++)
				done = adopt(info, shape, g, queue[k], p);
			if (done)
			{
				/* its parent is on disk, as every change before */
				depth[p] = 0;
				g->state[p] = ST_GOOD;
				queue[tail++] = p;
				break;
			}
		}
		if (p >= g->n)
			break;
	}
	if (nchanges > 0)
		write_parents(info, changes, nchanges);
	pfree(queue);
	pfree(depth);
}

/* ---- step 3: repair ----------------------------------------------------- */

/*
 * repair_element - new lists for one element where they point at
 * tombstones: the live entries stay, the places of the tombstones go to
 * the best of the tombstones' live neighbours.
 */
static void
repair_element(Relation index, const HnswShape *shape, uint32 id, uint32 root,
			   uint32 rootkey, const IdSet *deleted)
{
	void	   *vec = palloc(shape->payload);
	int			maxslots = HnswSlotsAt(shape->m, 0);
	uint32	   *list = palloc(sizeof(uint32) * maxslots);
	uint32	   *dlist = palloc(sizeof(uint32) * maxslots);
	uint32	   *cand = palloc(sizeof(uint32) * maxslots * (maxslots + 1));
	uint32	   *out = palloc(sizeof(uint32) * maxslots);
	uint32	   *outkeys = palloc(sizeof(uint32) * maxslots);
	HnswElemInfo info;
	int			lc;
	BlockNumber nblocks = 0;

	if (!dllb_hnsw_read_element(index, shape, &nblocks, id, &info, vec, 0, NULL, NULL, NULL))
		return;
	for (lc = 0; lc <= info.level; lc++)
	{
		int			n;
		int			ncand = 0;
		int			nkeep;
		bool		broken = false;
		int			i;

		dllb_hnsw_read_element(index, shape, &nblocks, id, NULL, NULL, lc, list, NULL, &n);
		for (i = 0; i < n; i++)
			if (list[i] != root && idset_has(deleted, list[i]))
				broken = true;
		if (!broken)
			continue;

		/* the live neighbours (kept), then the tombstones' neighbours */
		for (i = 0; i < n; i++)
			if (list[i] == root || !idset_has(deleted, list[i]))
				cand[ncand++] = list[i];
		nkeep = ncand;
		for (i = 0; i < n; i++)
		{
			int			nd;
			int			j;
			int			k;

			if (list[i] == root || !idset_has(deleted, list[i]) ||
				!dllb_hnsw_read_element(index, shape, &nblocks, list[i], NULL, NULL,
										lc, dlist, NULL, &nd))
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
		n = dllb_hnsw_prune(index, shape, vec, info.norm, cand, ncand, nkeep,
							HnswSlotsAt(shape->m, lc), out, outkeys);

		/* a tombstone root kept in the list: the prune drops tombstones */
		if (idset_has(deleted, root))
			for (i = 0; i < nkeep; i++)
				if (cand[i] == root)
				{
					if (n == HnswSlotsAt(shape->m, lc))
						n--;
					memmove(out + 1, out, sizeof(uint32) * n);
					memmove(outkeys + 1, outkeys, sizeof(uint32) * n);
					out[0] = root;
					outkeys[0] = rootkey;
					n++;
				}
		dllb_hnsw_set_neighbours(index, shape, id, lc, out, outkeys, n);
	}
}

/*
 * repair - step 3 over the loaded graph: every live element (and the
 * root) with a list entry that is a tombstone other than the root.
 */
static void
repair(IndexVacuumInfo *info, const HnswShape *shape, const Graph *g,
	   const IdSet *deleted)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_hnsw repair",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	uint32		root = g->ids[g->root];
	uint32		rootkey = g->keys[g->root];
	uint32		p;

	for (p = 0; p < g->n; p++)
	{
		int			total = HnswSlotsTotal(g->m, g->level[p]);
		const uint32 *s = g->slots + g->first[p];
		int			k;

		if (g->dead[p] && (int32) p != g->root)
			continue;
		for (k = 0; k < total; k++)
		{
			int32		q = s[k] == HNSW_INVALID_ID ? -1 : pos_of(g, s[k]);

			if (q >= 0 && g->dead[q] && q != g->root)
			{
				vacuum_delay_point();
				repair_element(info->index, shape, g->ids[p], root, rootkey, deleted);
				MemoryContextReset(cxt);
				break;
			}
		}
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
}

/* ---- step 4: free ------------------------------------------------------- */

static void
free_deleted(IndexVacuumInfo *info, const IdSet *deleted, uint32 keep)
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
			if (deleted->ids[j] != keep &&
				dllb_hnsw_page_element(page, HnswIdOffset(deleted->ids[j])) != NULL)
				PageIndexTupleDeleteNoCompact(page, HnswIdOffset(deleted->ids[j]));
		i = last + 1;
		dllb_hnsw_wal_finish(state);
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
	int			nmark;
	int			nparent;
	int			nrepair;

	if (stats == NULL)
		stats = palloc0(sizeof(IndexBulkDeleteResult));

	LockPage(index, HNSW_METAPAGE_BLKNO, ExclusiveLock);
	dllb_hnsw_read_meta(index, &meta);
	dllb_hnsw_shape_from_meta(&shape, index, &meta);
	nblocks = RelationGetNumberOfBlocks(index);

	stats->num_index_tuples = 0;
	dllb_hnsw_fault_arm(true);
	PG_TRY();
	{
		mark_deleted(info, stats, callback, callback_state, nblocks, &deleted);
		if (deleted.n > 0 && stats->num_index_tuples == 0)
		{
			/* nothing live is left: an empty graph, then free everything */
			meta.entry = HNSW_INVALID_ID;
			meta.entry_level = -1;
			dllb_hnsw_write_meta(index, &meta);
			free_deleted(info, &deleted, HNSW_INVALID_ID);
		}
		else if (deleted.n > 0 &&
				 !(deleted.n == 1 && deleted.ids[0] == meta.entry))
		{
			MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_hnsw graph",
													  ALLOCSET_DEFAULT_SIZES);
			MemoryContext old = MemoryContextSwitchTo(cxt);
			Graph		g;

			load_graph(info, &shape, nblocks, meta.entry, &g);
			if (g.root < 0)
				elog(ERROR, "dllb_hnsw index \"%s\" has no entry point element",
					 RelationGetRelationName(index));
			nmark = dllb_hnsw_wal_count();
			reparent(info, &shape, &g);
			nparent = dllb_hnsw_wal_count();
			repair(info, &shape, &g, &deleted);
			nrepair = dllb_hnsw_wal_count();
			MemoryContextSwitchTo(old);
			MemoryContextDelete(cxt);
			free_deleted(info, &deleted, meta.entry);
			elog(DEBUG1, "dllb_hnsw VACUUM of \"%s\": WAL records %d-%d re-parent, %d-%d repair, %d-%d free",
				 RelationGetRelationName(index), nmark + 1, nparent, nparent + 1, nrepair,
				 nrepair + 1, dllb_hnsw_wal_count());
		}
	}
	PG_FINALLY();
	{
		dllb_hnsw_fault_arm(false);
	}
	PG_END_TRY();
	UnlockPage(index, HNSW_METAPAGE_BLKNO, ExclusiveLock);

	stats->num_pages = nblocks;
	return stats;
}

IndexBulkDeleteResult *
dllb_hnsw_vacuumcleanup(IndexVacuumInfo *info, IndexBulkDeleteResult *stats)
{
	Relation	index = info->index;

	if (info->analyze_only)
		return stats;

	if (stats == NULL)
	{
		/* no bulk delete ran: count the live elements */
		BlockNumber nblocks = RelationGetNumberOfBlocks(index);
		BlockNumber blk;

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
	stats->num_pages = RelationGetNumberOfBlocks(index);
	FreeSpaceMapVacuum(index);
	return stats;
}
