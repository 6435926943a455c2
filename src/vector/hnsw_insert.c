/*-------------------------------------------------------------------------
 *
 * hnsw_insert.c
 *	  Inserting one element into a built dllb_hnsw index.
 *
 * Under the writers' lock: pick a level, find the neighbours level by
 * level with the layer search (ef_construction candidates, the HNSW
 * heuristic), write the element, then add it to each neighbour's list,
 * pruning a full list with the same heuristic.  The element is written
 * before any list points at it, so after a crash between the records the
 * graph only lacks some back links, never points at nothing.
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
#include "utils/memutils.h"

#include "vector/hnsw.h"

/*
 * dllb_hnsw_set_neighbours - replace an element's list at level lc.
 */
void
dllb_hnsw_set_neighbours(Relation index, const HnswShape *shape, uint32 id,
						 int lc, const uint32 *ids, int n)
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
		uint32	   *slots = HnswElementSlots(e, shape->dim) + HnswSlotsStart(shape->m, lc);
		int			max = HnswSlotsAt(shape->m, lc);
		int			i;

		for (i = 0; i < max; i++)
			slots[i] = i < n ? ids[i] : HNSW_INVALID_ID;
		GenericXLogFinish(state);
	}
	else
		GenericXLogAbort(state);
	UnlockReleaseBuffer(buf);
}

/*
 * dllb_hnsw_prune - choose at most max of the candidate ids as neighbours
 * of base (vector bvec/bnorm) with the heuristic; returns how many, in
 * out[].  Candidates that are gone or deleted are dropped.
 */
int
dllb_hnsw_prune(Relation index, const HnswShape *shape, const float *bvec,
				float bnorm, const uint32 *cand, int ncand, int max,
				uint32 *out)
{
	float	  **cvec = palloc(sizeof(float *) * Max(ncand, 1));
	float	   *cnorm = palloc(sizeof(float) * Max(ncand, 1));
	float	   *cdist = palloc(sizeof(float) * Max(ncand, 1));
	uint32	   *cid = palloc(sizeof(uint32) * Max(ncand, 1));
	int		   *chosen = palloc(sizeof(int) * Max(max, 1));
	float	   *vecs = palloc(sizeof(float) * shape->dim * Max(ncand, 1));
	BlockNumber nblocks = 0;
	int			n = 0;
	int			nchosen;
	int			i;

	for (i = 0; i < ncand; i++)
	{
		uint8		flags;

		cvec[n] = vecs + (Size) n * shape->dim;
		if (!dllb_hnsw_read_element(index, shape, &nblocks, cand[i], cvec[n], &cnorm[n],
									NULL, &flags, NULL, 0, NULL, NULL))
			continue;
		if (flags & HNSW_ELEMENT_DELETED)
			continue;
		cdist[n] = dllb_hnsw_distance(shape, bvec, bnorm, cvec[n], cnorm[n]);
		cid[n] = cand[i];
		n++;
	}
	nchosen = dllb_hnsw_select_neighbours(shape, (const float *const *) cvec,
										  cnorm, cdist, n, max, chosen,
										  palloc(sizeof(int) * Max(n, 1)));
	for (i = 0; i < nchosen; i++)
		out[i] = cid[chosen[i]];
	pfree(cvec);
	pfree(cnorm);
	pfree(cdist);
	pfree(cid);
	pfree(chosen);
	pfree(vecs);
	return nchosen;
}

/*
 * add_link - add newid to target's list at lc, pruning when full.
 */
static void
add_link(Relation index, const HnswShape *shape, uint32 target, int lc,
		 uint32 newid)
{
	int			max = HnswSlotsAt(shape->m, lc);
	uint32	   *list = palloc(sizeof(uint32) * (max + 1));
	float	   *tvec = palloc(sizeof(float) * shape->dim);
	float		tnorm;
	uint8		level;
	int			n;
	BlockNumber nblocks = 0;

	if (!dllb_hnsw_read_element(index, shape, &nblocks, target, tvec, &tnorm, &level,
								NULL, NULL, lc, list, &n) || level < lc)
		return;
	list[n++] = newid;
	if (n > max)
	{
		uint32	   *pruned = palloc(sizeof(uint32) * max);

		n = dllb_hnsw_prune(index, shape, tvec, tnorm, list, n, max, pruned);
		memcpy(list, pruned, sizeof(uint32) * n);
		pfree(pruned);
	}
	dllb_hnsw_set_neighbours(index, shape, target, lc, list, n);
	pfree(list);
	pfree(tvec);
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
 * place_element - write the element tuple; returns its id.
 */
static uint32
place_element(Relation index, HnswMetaPageData *meta, HnswElementTuple tup,
			  Size size)
{
	bool		isnew;
	Buffer		buf = page_for(index, meta, size, &isnew);
	GenericXLogState *state = GenericXLogStart(index);
	Page		page = GenericXLogRegisterBuffer(state, buf,
												 isnew ? GENERIC_XLOG_FULL_IMAGE : 0);
	OffsetNumber off;
	BlockNumber blk = BufferGetBlockNumber(buf);

	if (isnew)
		dllb_hnsw_init_page(page, HNSW_PAGE_ELEMENTS);
	off = PageAddItem(page, (Item) tup, size, InvalidOffsetNumber, false, false);
	if (off == InvalidOffsetNumber || off > HNSW_MAX_OFFSET)
		elog(ERROR, "could not add an element to page %u of index \"%s\"",
			 blk, RelationGetRelationName(index));
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);
	meta->insert_page = blk;
	return HnswIdMake(blk, off);
}

/*
 * dllb_hnsw_insert_vector - insert one vector; the caller holds the
 * writers' lock (LockPage on the meta block, ExclusiveLock).
 */
void
dllb_hnsw_insert_vector(Relation index, const HnswShape *shape_in,
						const float *x, float norm, ItemPointer heaptid)
{
	HnswShape	shape = *shape_in;
	HnswMetaPageData meta;
	int			level;
	int			lc;
	int			top;
	uint32	   *links[HNSW_MAX_LEVEL + 1];
	int			nlinks[HNSW_MAX_LEVEL + 1];
	HnswElementTuple tup;
	Size		size;
	uint32		id;
	int			i;

	dllb_hnsw_read_meta(index, &meta);
	if (meta.dim == 0)
	{
		dllb_hnsw_check_dim(index, shape.dim, meta.m);
		meta.dim = shape.dim;
	}
	else if ((int) meta.dim != shape.dim)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("expected %u dimensions, not %d", meta.dim, shape.dim),
				 errdetail("Index \"%s\" holds vectors of %u dimensions.",
						   RelationGetRelationName(index), meta.dim)));
	shape.m = meta.m;

	level = dllb_hnsw_random_level(shape.m, heaptid);
	top = meta.entry == HNSW_INVALID_ID ? -1 : Min(level, meta.entry_level);
	memset(nlinks, 0, sizeof(nlinks));

	if (top >= 0)
	{
		HnswSearch *s = dllb_hnsw_search_begin(index, &shape, x, norm, true);

		dllb_hnsw_search_descend(s, meta.entry, meta.entry_level, top);
		for (lc = top; lc >= 0; lc--)
		{
			HnswSeen  **found;
			int			nfound = dllb_hnsw_search_layer(s, lc, meta.ef_construction, &found);
			const float **cvec = palloc(sizeof(float *) * Max(nfound, 1));
			float	   *cnorm = palloc(sizeof(float) * Max(nfound, 1));
			float	   *cdist = palloc(sizeof(float) * Max(nfound, 1));
			int		   *chosen = palloc(sizeof(int) * HnswSlotsAt(shape.m, lc));

			for (i = 0; i < nfound; i++)
			{
				cvec[i] = found[i]->vec;
				cnorm[i] = found[i]->norm;
				cdist[i] = found[i]->dist;
			}
			nlinks[lc] = dllb_hnsw_select_neighbours(&shape, cvec, cnorm, cdist, nfound,
													 HnswSlotsAt(shape.m, lc), chosen,
													 palloc(sizeof(int) * Max(nfound, 1)));
			links[lc] = palloc(sizeof(uint32) * Max(nlinks[lc], 1));
			for (i = 0; i < nlinks[lc]; i++)
				links[lc][i] = found[chosen[i]]->id;
			dllb_hnsw_search_restart(s, found, nfound);
		}
		dllb_hnsw_search_end(s);
	}

	/* the element, with its lists */
	size = HnswElementSize(shape.dim, shape.m, level);
	tup = palloc0(size);
	tup->level = level;
	tup->heaptid = *heaptid;
	tup->norm = norm;
	memcpy(tup->x, x, sizeof(float) * shape.dim);
	memset(HnswElementSlots(tup, shape.dim), 0xFF,
		   sizeof(uint32) * HnswSlotsTotal(shape.m, level));
	for (lc = 0; lc <= top; lc++)
		memcpy(HnswElementSlots(tup, shape.dim) + HnswSlotsStart(shape.m, lc),
			   links[lc], sizeof(uint32) * nlinks[lc]);
	id = place_element(index, &meta, tup, size);

	/* back links */
	for (lc = top; lc >= 0; lc--)
		for (i = 0; i < nlinks[lc]; i++)
		{
			CHECK_FOR_INTERRUPTS();
			add_link(index, &shape, links[lc][i], lc, id);
		}

	if (meta.entry == HNSW_INVALID_ID || level > meta.entry_level)
	{
		meta.entry = id;
		meta.entry_level = level;
	}
	dllb_hnsw_write_meta(index, &meta);
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

	if (isnull[0])
		return false;

	cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_hnsw insert",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);

	shape.metric = dllb_hnsw_metric(index);
	shape.m = dllb_hnsw_get_m(index);
	x = dllb_hnsw_datum_vector(values[0], &shape.dim);
	if (dllb_hnsw_indexable(shape.metric, x, shape.dim, &norm))
	{
		LockPage(index, HNSW_METAPAGE_BLKNO, ExclusiveLock);
		dllb_hnsw_insert_vector(index, &shape, x, norm, heap_tid);
		UnlockPage(index, HNSW_METAPAGE_BLKNO, ExclusiveLock);
	}

	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return false;
}
