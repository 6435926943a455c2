/*-------------------------------------------------------------------------
 *
 * hnsw_insert.c
 *	  Inserting one element into a built dllb_hnsw index.
 *
 * Under the writers' lock: pick a level, find the neighbours level by
 * level with the layer search (ef_construction candidates, the HNSW
 * heuristic), then add the new element to each neighbour's list, pruning
 * a full list with the same heuristic.
 *
 * Every element has a parent, whose list must keep it (see hnsw.h): the
 * nearest neighbour whose level-0 list can take the new element becomes
 * its parent, and the element, that list and (when the entry point or the
 * insert page changes) the meta page are written in one WAL record, so
 * after a crash at any point the element is either absent or reachable.
 * Pruning never drops an element from its parent's list, so no insert
 * ever cuts an element off, however many duplicates pile up.  A new entry
 * point becomes the parent of the old one.
 *
 * IDENTIFICATION
 *	  src/vector/hnsw_insert.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/generic_xlog.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "storage/freespace.h"
#include "storage/lmgr.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "vector/hnsw.h"

/*
 * dllb_hnsw_set_neighbours - replace an element's list at level lc (keys:
 * the neighbours' filter keys, NULL without a filter column).
 */
void
dllb_hnsw_set_neighbours(Relation index, const HnswShape *shape, uint32 id,
						 int lc, const uint32 *ids, const uint32 *keys, int n)
{
	Buffer		buf = ReadBuffer(index, HnswIdBlock(id));
	GenericXLogState *state;
	Page		page;
	HnswElementTuple e;

	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, 0);
	e = dllb_hnsw_page_element(page, HnswIdOffset(id));
	if (e != NULL && e->level >= lc)
	{
		dllb_hnsw_put_list(e, shape, lc, ids, keys, n);
		dllb_hnsw_wal_finish(state);
	}
	else
		GenericXLogAbort(state);
	UnlockReleaseBuffer(buf);
}

/*
 * dllb_hnsw_prune - choose at most max of the candidate ids as neighbours
 * of base (stored vector bvec, norm bnorm) with the heuristic, the first
 * nkeep of them unconditionally; returns how many, in out[], with their
 * filter keys in outkeys[].  Candidates that are gone or deleted are
 * dropped.
 */
int
dllb_hnsw_prune(Relation index, const HnswShape *shape, const void *bvec,
				float bnorm, const uint32 *cand, int ncand, int nkeep, int max,
				uint32 *out, uint32 *outkeys)
{
	const void **cvec = palloc(sizeof(void *) * Max(ncand, 1));
	float	   *cnorm = palloc(sizeof(float) * Max(ncand, 1));
	float	   *cdist = palloc(sizeof(float) * Max(ncand, 1));
	uint32	   *cid = palloc(sizeof(uint32) * Max(ncand, 1));
	uint32	   *ckey = palloc(sizeof(uint32) * Max(ncand, 1));
	int		   *chosen = palloc(sizeof(int) * Max(max, 1));
	char	   *vecs = palloc((Size) shape->payload * Max(ncand, 1));
	BlockNumber nblocks = 0;
	int			n = 0;
	int			nk = 0;
	int			nchosen;
	int			i;

	for (i = 0; i < ncand; i++)
	{
		HnswElemInfo info;

		cvec[n] = vecs + (Size) n * shape->payload;
		if (!dllb_hnsw_read_element(index, shape, &nblocks, cand[i], &info, (void *) cvec[n],
									0, NULL, NULL, NULL))
			continue;
		if (info.flags & HNSW_ELEMENT_DELETED)
			continue;
		cnorm[n] = info.norm;
		cdist[n] = dllb_hnsw_pdist(shape, bvec, bnorm, cvec[n], cnorm[n]);
		cid[n] = cand[i];
		ckey[n] = info.key;
		if (i < nkeep)
			nk++;
		n++;
	}
	nchosen = dllb_hnsw_select_neighbours(shape, cvec, cnorm, cdist, n, nk, max, chosen,
										  palloc(sizeof(int) * Max(n, 1)));
	for (i = 0; i < nchosen; i++)
	{
		out[i] = cid[chosen[i]];
		outkeys[i] = ckey[chosen[i]];
	}
	return nchosen;
}

/*
 * Placeholder for the element being inserted in lists planned before it
 * has an id; replaced when the lists are written.
 */
#define HNSW_NEW_ID		((uint32) 0xFFFFFFFE)

/*
 * What linking one new element needs: the index, the new vector, the
 * search that found its neighbours (whose copies of the vectors it read
 * serve the pruning), and one cached size of the index for every read.
 */
typedef struct InsertState
{
	Relation	index;
	HnswShape	shape;
	HnswSearch *search;
	BlockNumber nblocks;
	const void *x;				/* the new element's stored vector */
	float		norm;
	uint32		key;			/* its filter key */
	uint32		id;				/* HNSW_NEW_ID until written */
	uint32		parent;			/* its parent, once chosen */
} InsertState;

/*
 * element_info - the stored vector, norm, flags, parent and key of an
 * element: the new one's, a copy the search made, or read into buf; NULL
 * when the element is gone.
 */
static const void *
element_info(InsertState *st, uint32 id, void *buf, HnswElemInfo *info)
{
	HnswSeen   *seen;

	if (id == HNSW_NEW_ID || id == st->id)
	{
		info->norm = st->norm;
		info->flags = 0;
		info->parent = st->parent;
		info->key = st->key;
		return st->x;
	}
	seen = st->search ? dllb_hnsw_search_lookup(st->search, id) : NULL;
	if (seen != NULL && seen->vec != NULL)
	{
		info->norm = seen->norm;
		info->flags = seen->flags;
		info->parent = seen->parent;
		info->key = seen->key;
		return seen->vec;
	}
	if (!dllb_hnsw_read_element(st->index, &st->shape, &st->nblocks, id, info, buf,
								0, NULL, NULL, NULL))
		return NULL;
	return buf;
}

/*
 * plan_link - t's list at lc with the new element added: appended when
 * there is room, else the HNSW heuristic picks which entry goes.  An entry
 * whose parent is t never goes (the least useful other one goes instead),
 * nor, with keep_new (t is to be its parent), the new element.  Returns
 * false when t's list stays as it is; else the new list is in
 * out[] (HNSW_NEW_ID for the new element).
 */
static bool
plan_link(InsertState *st, uint32 t, int lc, bool keep_new, uint32 *out, uint32 *outkeys,
		  int *nout)
{
	int			max = HnswSlotsAt(st->shape.m, lc);
	int			psize = st->shape.payload;
	uint32	   *list = palloc(sizeof(uint32) * (max + 1));
	uint32	   *lkeys = palloc(sizeof(uint32) * (max + 1));
	char	   *tbuf = palloc(psize);
	char	   *vbuf = palloc((Size) psize * (max + 1));
	const void **cvec = palloc(sizeof(void *) * (max + 1));
	float	   *cnorm = palloc(sizeof(float) * (max + 1));
	float	   *cdist = palloc(sizeof(float) * (max + 1));
	uint32	   *cid = palloc(sizeof(uint32) * (max + 1));
	uint32	   *ckey = palloc(sizeof(uint32) * (max + 1));
	bool	   *pinned = palloc(sizeof(bool) * (max + 1));
	int		   *chosen = palloc(sizeof(int) * (max + 1));
	int		   *order = palloc(sizeof(int) * (max + 1));
	bool	   *kept = palloc0(sizeof(bool) * (max + 1));
	HnswElemInfo info;
	const void *tvec;
	float		tnorm;
	int			n;
	int			ncand = 0;
	int			nchosen;
	int			dropped = -1;
	int			victim = -1;
	int			i;

	if (!dllb_hnsw_read_element(st->index, &st->shape, &st->nblocks, t, &info, NULL,
								lc, list, lkeys, &n) || info.level < lc)
		return false;
	for (i = 0; i < n; i++)
		if (list[i] == st->id)
			return false;		/* already there */
	if (n < max)
	{
		memcpy(out, list, sizeof(uint32) * n);
		memcpy(outkeys, lkeys, sizeof(uint32) * n);
		out[n] = HNSW_NEW_ID;
		outkeys[n] = st->key;
		*nout = n + 1;
		return true;
	}

	/* full: the heuristic over the live entries and the new element */
	tvec = element_info(st, t, tbuf, &info);
	if (tvec == NULL)
		return false;
	tnorm = info.norm;
	list[n] = HNSW_NEW_ID;
	lkeys[n] = st->key;
	n++;
	for (i = 0; i < n; i++)
	{
		const void *v = element_info(st, list[i], vbuf + (Size) ncand * psize, &info);

		/*
		 * Deleted entries go for free, unless t is their parent: until
		 * VACUUM has re-parented the children of a deleted element, they
		 * hang from it.
		 */
		if (v == NULL || ((info.flags & HNSW_ELEMENT_DELETED) && info.parent != t))
			continue;
		cvec[ncand] = v;
		cnorm[ncand] = info.norm;
		cdist[ncand] = dllb_hnsw_pdist(&st->shape, tvec, tnorm, v, info.norm);
		cid[ncand] = list[i];
		ckey[ncand] = lkeys[i];
		pinned[ncand] = info.parent == t && list[i] != HNSW_NEW_ID;
		ncand++;
	}
	nchosen = dllb_hnsw_select_neighbours(&st->shape, cvec, cnorm, cdist, ncand, 0, max,
										  chosen, order);
	for (i = 0; i < nchosen; i++)
		kept[chosen[i]] = true;
	for (i = 0; i < ncand; i++)
		if (!kept[i])
			dropped = i;

	if (dropped >= 0)
	{
		/*
		 * One entry must go: the one the heuristic left out unless t is
		 * its parent, else the least useful (last chosen) one that t is
		 * not the parent of.
		 */
		if (!pinned[dropped] && !(keep_new && cid[dropped] == HNSW_NEW_ID))
			victim = dropped;
		for (i = nchosen - 1; i >= 0 && victim < 0; i--)
			if (!pinned[chosen[i]] && !(keep_new && cid[chosen[i]] == HNSW_NEW_ID))
				victim = chosen[i];
		if (victim < 0 || cid[victim] == HNSW_NEW_ID)
			return false;
		kept[dropped] = true;
		kept[victim] = false;
	}
	*nout = 0;
	for (i = 0; i < nchosen; i++)
		if (kept[chosen[i]])
		{
			outkeys[*nout] = ckey[chosen[i]];
			out[(*nout)++] = cid[chosen[i]];
		}
	if (dropped >= 0 && kept[dropped])
	{
		outkeys[*nout] = ckey[dropped];
		out[(*nout)++] = cid[dropped];
	}
	return true;
}

/* write_list - put a planned list into an element on a registered page */
static void
write_list(const HnswShape *shape, Page page, uint32 t, int lc, uint32 *list,
		   const uint32 *keys, int n, uint32 newid)
{
	HnswElementTuple e = dllb_hnsw_page_element(page, HnswIdOffset(t));
	int			i;

	if (e == NULL || e->level < lc)
		elog(ERROR, "dllb_hnsw element (%u,%u) changed under the writers' lock",
			 HnswIdBlock(t), HnswIdOffset(t));
	for (i = 0; i < n; i++)
		if (list[i] == HNSW_NEW_ID)
			list[i] = newid;
	dllb_hnsw_put_list(e, shape, lc, list, keys, n);
}

/*
 * page_for - a locked page with room for an element of the given size:
 * the insert page, then one the free space map knows, else a new one.
 */
static Buffer
page_for(Relation index, HnswMetaPageData *meta, Size size, bool *isnew)
{
	BlockNumber blk = meta->insert_page;
	int			tries;
	Buffer		buf;

	*isnew = false;
	for (tries = 0; tries < 2; tries++)
	{
		if (blk != InvalidBlockNumber && blk != HNSW_METAPAGE_BLKNO &&
			blk < RelationGetNumberOfBlocks(index))
		{
			Page		page;

			buf = ReadBuffer(index, blk);
			LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
			page = BufferGetPage(buf);
			if (!PageIsNew(page) &&
				HnswPageGetOpaque(page)->page_type == HNSW_PAGE_ELEMENTS &&
				PageGetFreeSpace(page) >= size &&
				PageGetMaxOffsetNumber(page) < HNSW_MAX_OFFSET)
				return buf;
			UnlockReleaseBuffer(buf);
		}
		blk = GetPageWithFreeSpace(index, size + sizeof(ItemIdData));
	}

	LockRelationForExtension(index, ExclusiveLock);
	buf = ReadBufferExtended(index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	UnlockRelationForExtension(index, ExclusiveLock);
	if (BufferGetBlockNumber(buf) > HNSW_MAX_BLOCK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("dllb_hnsw index \"%s\" has reached its largest size",
						RelationGetRelationName(index))));
	*isnew = true;
	return buf;
}

/*
 * Up to three pages of one WAL record besides the new element's: an
 * element page is locked only once however many roles it plays.
 */
typedef struct PageSet
{
	Buffer		bufs[MAX_GENERIC_XLOG_PAGES];
	Page		pages[MAX_GENERIC_XLOG_PAGES];
	int			n;
} PageSet;

static Page
pageset_get(PageSet *ps, GenericXLogState *state, Relation index, BlockNumber blk)
{
	int			i;

	for (i = 0; i < ps->n; i++)
		if (BufferGetBlockNumber(ps->bufs[i]) == blk)
			return ps->pages[i];
	Assert(ps->n < MAX_GENERIC_XLOG_PAGES);
	ps->bufs[ps->n] = ReadBuffer(index, blk);
	LockBuffer(ps->bufs[ps->n], BUFFER_LOCK_EXCLUSIVE);
	ps->pages[ps->n] = GenericXLogRegisterBuffer(state, ps->bufs[ps->n], 0);
	return ps->pages[ps->n++];
}

/*
 * place_element - write the element tuple and, in the same WAL record,
 * its parent's list (parent t's list at level 0, or for a new entry point
 * the old entry point's parent) and the meta page when the entry point or
 * the insert page changes.  Returns its id.
 */
static uint32
place_element(Relation index, const HnswShape *shape, HnswMetaPageData *meta,
			  HnswElementTuple tup, Size size, uint32 t, uint32 *tlist,
			  const uint32 *tkeys, int tn, bool new_entry)
{
	bool		isnew;
	Buffer		buf = page_for(index, meta, size, &isnew);
	BlockNumber blk = BufferGetBlockNumber(buf);
	PageSet		ps;
	GenericXLogState *state;
	Page		page;
	OffsetNumber off;
	uint32		id;
	uint32		old_entry = meta->entry;

	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, isnew ? GENERIC_XLOG_FULL_IMAGE : 0);
	ps.n = 1;
	ps.bufs[0] = buf;
	ps.pages[0] = page;
	if (isnew)
		dllb_hnsw_init_page(page, HNSW_PAGE_ELEMENTS);
	off = PageAddItem(page, (Item) tup, size, InvalidOffsetNumber, false, false);
	if (off == InvalidOffsetNumber || off > HNSW_MAX_OFFSET)
		elog(ERROR, "could not add an element to page %u of index \"%s\"",
			 blk, RelationGetRelationName(index));
	id = HnswIdMake(blk, off);
	if (t != HNSW_INVALID_ID)
		write_list(shape, pageset_get(&ps, state, index, HnswIdBlock(t)), t, 0, tlist, tkeys,
				   tn, id);
	if (new_entry && old_entry != HNSW_INVALID_ID)
	{
		/* the old entry point's parent is the new one */
		HnswElementTuple e = dllb_hnsw_page_element(pageset_get(&ps, state, index,
																HnswIdBlock(old_entry)),
													HnswIdOffset(old_entry));

		if (e == NULL)
			elog(ERROR, "dllb_hnsw entry point (%u,%u) is missing",
				 HnswIdBlock(old_entry), HnswIdOffset(old_entry));
		e->parent = id;
	}
	if (new_entry || meta->insert_page != blk)
	{
		Page		mpage = pageset_get(&ps, state, index, HNSW_METAPAGE_BLKNO);

		meta->insert_page = blk;
		if (new_entry)
		{
			meta->entry = id;
			meta->entry_level = tup->level;
		}
		memcpy(HnswPageGetMeta(mpage), meta, sizeof(HnswMetaPageData));
		((PageHeader) mpage)->pd_lower =
			((char *) HnswPageGetMeta(mpage) + sizeof(HnswMetaPageData)) - (char *) mpage;
	}
	GenericXLogFinish(state);
	while (ps.n > 0)
		UnlockReleaseBuffer(ps.bufs[--ps.n]);
	return id;
}

/*
 * find_parent - when no level-0 neighbour can take the new element (their
 * lists hold nothing but their own children: a pile of duplicates with
 * short lists), walk breadth first from them and the entry point to the
 * first element whose list can; the tree of parents has leaves, so there
 * is one.  Returns it, with its planned list; HNSW_INVALID_ID if the walk
 * gives up.
 */
static uint32
find_parent(InsertState *st, const uint32 *near, int nnear, uint32 entry,
			uint32 *plan, uint32 *plankeys, int *nplan)
{
	int			max0 = HnswSlotsAt(st->shape.m, 0);
	int			limit = 100000;
	uint32	   *queue = palloc(sizeof(uint32) * limit);
	uint32	   *list = palloc(sizeof(uint32) * max0);
	HASHCTL		ctl;
	HTAB	   *seen;
	int			head = 0;
	int			tail = 0;
	int			i;

	ctl.keysize = sizeof(uint32);
	ctl.entrysize = sizeof(uint32);
	ctl.hcxt = CurrentMemoryContext;
	seen = hash_create("dllb_hnsw parent search", 1024, &ctl,
					   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	for (i = 0; i <= nnear; i++)
	{
		uint32		id = i < nnear ? near[i] : entry;
		bool		found;

		hash_search(seen, &id, HASH_ENTER, &found);
		if (!found)
			queue[tail++] = id;
	}
	while (head < tail)
	{
		uint32		t = queue[head++];
		int			n;

		CHECK_FOR_INTERRUPTS();
		if (head > nnear && plan_link(st, t, 0, true, plan, plankeys, nplan))
			return t;
		if (!dllb_hnsw_read_element(st->index, &st->shape, &st->nblocks, t, NULL, NULL,
									0, list, NULL, &n))
			continue;
		for (i = 0; i < n && tail < limit; i++)
		{
			bool		found;

			hash_search(seen, &list[i], HASH_ENTER, &found);
			if (!found)
				queue[tail++] = list[i];
		}
	}
	return HNSW_INVALID_ID;
}

/*
 * dllb_hnsw_insert_vector - insert one vector (with its filter key); the
 * caller holds the writers' lock (LockPage on the meta block,
 * ExclusiveLock).  shape_in gives the metric; the rest comes from the
 * meta page.
 */
void
dllb_hnsw_insert_vector(Relation index, const HnswShape *shape_in,
						const float *x, uint32 key, bool keynull, ItemPointer heaptid)
{
	HnswShape	shape;
	HnswMetaPageData meta;
	HnswQuery	query;
	InsertState st;
	int			dim = shape_in->dim;
	int			level;
	int			lc;
	int			top;
	uint32	   *links[HNSW_MAX_LEVEL + 1];
	uint32	   *lkeys[HNSW_MAX_LEVEL + 1];
	int			nlinks[HNSW_MAX_LEVEL + 1];
	HnswElementTuple tup;
	Size		size;
	void	   *payload;
	float		norm;
	uint32	   *plan = palloc(sizeof(uint32) * (HnswSlotsAt(HNSW_MAX_M, 0) + 1));
	uint32	   *plankeys = palloc(sizeof(uint32) * (HnswSlotsAt(HNSW_MAX_M, 0) + 1));
	int			nplan = 0;
	int			first = -1;
	bool		new_entry;
	int			i;

	dllb_hnsw_read_meta(index, &meta);
	if (meta.dim == 0)
	{
		meta.dim = dim;
		dllb_hnsw_shape_from_meta(&shape, index, &meta);
		dllb_hnsw_check_dim(index, &shape);
	}
	else if ((int) meta.dim != dim)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("expected %u dimensions, not %d", meta.dim, dim),
				 errdetail("Index \"%s\" holds vectors of %u dimensions.",
						   RelationGetRelationName(index), meta.dim)));
	else
		dllb_hnsw_shape_from_meta(&shape, index, &meta);

	payload = palloc0(shape.payload);
	dllb_hnsw_encode(&shape, x, payload, &norm);
	dllb_hnsw_query_init(&query, x, dim);
	level = dllb_hnsw_random_level(shape.m, heaptid);
	top = meta.entry == HNSW_INVALID_ID ? -1 : Min(level, meta.entry_level);
	new_entry = meta.entry == HNSW_INVALID_ID || level > meta.entry_level;
	memset(nlinks, 0, sizeof(nlinks));
	memset(&st, 0, sizeof(st));
	st.index = index;
	st.shape = shape;
	st.x = payload;
	st.norm = norm;
	st.key = key;
	st.id = HNSW_NEW_ID;
	st.parent = HNSW_INVALID_ID;

	if (top >= 0)
	{
		st.search = dllb_hnsw_search_begin(index, &shape, &query, true, NULL);
		dllb_hnsw_search_descend(st.search, meta.entry, meta.entry_level, top);
		for (lc = top; lc >= 0; lc--)
		{
			HnswSeen  **found;
			int			nfound = dllb_hnsw_search_layer(st.search, lc, meta.ef_construction, &found);
			const void **cvec = palloc(sizeof(void *) * Max(nfound, 1));
			float	   *cnorm = palloc(sizeof(float) * Max(nfound, 1));
			float	   *cdist = palloc(sizeof(float) * Max(nfound, 1));
			int		   *chosen = palloc(sizeof(int) * HnswSlotsAt(shape.m, lc));

			for (i = 0; i < nfound; i++)
			{
				cvec[i] = found[i]->vec;
				cnorm[i] = found[i]->norm;
				cdist[i] = found[i]->dist;
			}
			nlinks[lc] = dllb_hnsw_select_neighbours(&shape, cvec, cnorm, cdist, nfound, 0,
													 HnswSlotsAt(shape.m, lc), chosen,
													 palloc(sizeof(int) * Max(nfound, 1)));
			links[lc] = palloc(sizeof(uint32) * HnswSlotsAt(shape.m, lc));
			lkeys[lc] = palloc(sizeof(uint32) * HnswSlotsAt(shape.m, lc));
			for (i = 0; i < nlinks[lc]; i++)
			{
				links[lc][i] = found[chosen[i]]->id;
				lkeys[lc][i] = found[chosen[i]]->key;
			}

			/*
			 * A new entry point keeps the old one, its child, in its list
			 * on the old top level.
			 */
			if (lc == top && new_entry)
			{
				HnswElemInfo einfo;
				int			at = -1;

				for (i = 0; i < nlinks[lc]; i++)
					if (links[lc][i] == meta.entry)
						at = i;
				if (at < 0)
				{
					at = nlinks[lc] < HnswSlotsAt(shape.m, lc) ? nlinks[lc]++ : nlinks[lc] - 1;
					if (!dllb_hnsw_read_element(index, &shape, &st.nblocks, meta.entry, &einfo,
												NULL, 0, NULL, NULL, NULL))
						elog(ERROR, "dllb_hnsw entry point (%u,%u) is missing",
							 HnswIdBlock(meta.entry), HnswIdOffset(meta.entry));
					links[lc][at] = meta.entry;
					lkeys[lc][at] = einfo.key;
				}
			}
			/* the visited set of level 0 stays, for the vectors it holds */
			if (lc > 0)
				dllb_hnsw_search_restart(st.search, found, nfound);
		}

		/*
		 * The parent: the nearest level-0 neighbour that can take a link
		 * to the new element; failing all, one found by a walk from them.
		 * A new entry point has none.
		 */
		for (i = 0; i < nlinks[0] && first < 0 && !new_entry; i++)
		{
			CHECK_FOR_INTERRUPTS();
			if (plan_link(&st, links[0][i], 0, true, plan, plankeys, &nplan))
			{
				first = i;
				st.parent = links[0][i];
			}
		}
		if (st.parent == HNSW_INVALID_ID && !new_entry)
			st.parent = find_parent(&st, links[0], nlinks[0], meta.entry, plan, plankeys,
									&nplan);
	}

	/* the element, with its lists */
	size = HnswElementSize(&shape, level);
	tup = palloc0(size);
	tup->level = level;
	tup->flags = keynull ? HNSW_ELEMENT_KEY_NULL : 0;
	tup->heaptid = *heaptid;
	tup->parent = st.parent;
	tup->norm = norm;
	memcpy(HnswElementPayload(tup), payload, shape.payload);
	if (shape.keyoff >= 0)
		*(uint32 *) ((char *) tup + shape.keyoff) = key;
	memset(HnswElementIds(tup, &shape), 0xFF, sizeof(uint32) * HnswSlotsTotal(shape.m, level));
	for (lc = 0; lc <= top; lc++)
		dllb_hnsw_put_list(tup, &shape, lc, links[lc], lkeys[lc], nlinks[lc]);
	st.id = place_element(index, &shape, &meta, tup, size, st.parent, plan, plankeys, nplan,
						  new_entry);

	/* the other back links, top level first */
	for (lc = top; lc >= 0; lc--)
		for (i = lc == 0 ? first + 1 : 0; i < nlinks[lc]; i++)
		{
			CHECK_FOR_INTERRUPTS();
			if (links[lc][i] == st.parent && lc == 0)
				continue;
			if (plan_link(&st, links[lc][i], lc, false, plan, plankeys, &nplan))
			{
				int			k;

				for (k = 0; k < nplan; k++)
					if (plan[k] == HNSW_NEW_ID)
						plan[k] = st.id;
				dllb_hnsw_set_neighbours(index, &shape, links[lc][i], lc, plan, plankeys, nplan);
			}
		}
	if (st.search != NULL)
		dllb_hnsw_search_end(st.search);
}

/*
 * dllb_hnsw_insert - aminsert.
 */
bool
dllb_hnsw_insert(Relation index, Datum *values, bool *isnull,
				 ItemPointer heap_tid, Relation heap,
				 IndexUniqueCheck checkUnique, bool indexUnchanged,
				 IndexInfo *indexInfo)
{
	MemoryContext cxt;
	MemoryContext old;
	HnswShape	shape;
	float	   *x;
	float		norm;
	bool		filtered = dllb_hnsw_keykind(index) != HNSW_KEY_NONE;
	uint32		key = 0;
	bool		keynull = false;

	if (isnull[0])
		return false;

	cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_hnsw insert",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);

	memset(&shape, 0, sizeof(shape));
	shape.metric = dllb_hnsw_metric(index);
	x = dllb_hnsw_datum_vector(values[0], &shape.dim);
	if (filtered)
	{
		keynull = isnull[1];
		if (!keynull)
			key = dllb_hnsw_key(index, values[1]);
	}
	if (dllb_hnsw_indexable(shape.metric, x, shape.dim, &norm))
	{
		LockPage(index, HNSW_METAPAGE_BLKNO, ExclusiveLock);
		dllb_hnsw_insert_vector(index, &shape, x, key, keynull, heap_tid);
		UnlockPage(index, HNSW_METAPAGE_BLKNO, ExclusiveLock);
	}

	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return false;
}
