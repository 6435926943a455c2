/*-------------------------------------------------------------------------
 *
 * hnsw_page.c
 *	  Pieces of dllb_hnsw every path uses: distances by metric, levels,
 *	  the meta page, element access and the neighbour-selection heuristic.
 *
 * IDENTIFICATION
 *	  src/vector/hnsw_page.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/generic_xlog.h"
#include "storage/bufmgr.h"

#include "vector/hnsw.h"
#include "vector/vector.h"
#include "vector/vector_kernels.h"
#include "vector/vector_type.h"

/*
 * dllb_hnsw_distance - the internal distance, smaller is nearer.
 *
 * L2 is kept squared (same order, no sqrt per step); cosine uses the
 * stored norms, so one dot product per step.
 */
float
dllb_hnsw_distance(const HnswShape *shape, const float *q, float qnorm,
				   const float *x, float xnorm)
{
	switch (shape->metric)
	{
		case HNSW_L2:
			return dllb_kernel_l2_squared(q, x, shape->dim);
		case HNSW_COSINE:
			return 1.0f - dllb_kernel_dot(q, x, shape->dim) / (qnorm * xnorm);
		case HNSW_IP:
			return -dllb_kernel_dot(q, x, shape->dim);
	}
	return 0;
}

/*
 * dllb_hnsw_distance_out - the operator's value for an internal distance.
 */
double
dllb_hnsw_distance_out(HnswMetric metric, float d)
{
	if (metric == HNSW_L2)
		return sqrt((double) d);
	return (double) d;
}

/*
 * dllb_hnsw_random_level - the level of a new element: floor(-ln(U) / ln(m)),
 * capped so an element always fits a page.
 *
 * U is drawn from a hash of the row's heap TID rather than a random
 * generator, so the same table builds the same graph every time (tests
 * and benchmarks are reproducible) while levels stay geometrically
 * distributed.
 */
int
dllb_hnsw_random_level(int m, ItemPointer tid)
{
	uint64		h = ((uint64) ItemPointerGetBlockNumber(tid) << 16) |
		ItemPointerGetOffsetNumber(tid);
	double		u;
	int			level;

	/* splitmix64 finaliser */
	h += UINT64CONST(0x9e3779b97f4a7c15);
	h = (h ^ (h >> 30)) * UINT64CONST(0xbf58476d1ce4e5b9);
	h = (h ^ (h >> 27)) * UINT64CONST(0x94d049bb133111eb);
	h ^= h >> 31;
	u = ((double) (h >> 11) + 0.5) / (double) (UINT64CONST(1) << 53);
	level = (int) floor(-log(u) / log((double) m));
	return Min(level, HNSW_MAX_LEVEL);
}

void
dllb_hnsw_init_page(Page page, uint16 type)
{
	HnswPageOpaqueData *opaque;

	PageInit(page, BLCKSZ, sizeof(HnswPageOpaqueData));
	opaque = HnswPageGetOpaque(page);
	opaque->page_type = type;
	opaque->unused = 0;
	opaque->magic = HNSW_MAGIC;
}

/*
 * dllb_hnsw_read_meta - copy of the meta page; errors when it is not ours.
 */
void
dllb_hnsw_read_meta(Relation index, HnswMetaPageData *meta)
{
	Buffer		buf = ReadBuffer(index, HNSW_METAPAGE_BLKNO);
	Page		page;

	LockBuffer(buf, BUFFER_LOCK_SHARE);
	page = BufferGetPage(buf);
	memcpy(meta, HnswPageGetMeta(page), sizeof(HnswMetaPageData));
	UnlockReleaseBuffer(buf);

	if (meta->magic != HNSW_MAGIC || meta->version != HNSW_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INDEX_CORRUPTED),
				 errmsg("index \"%s\" is not a dllb_hnsw index of version %d",
						RelationGetRelationName(index), HNSW_VERSION),
				 errhint("REINDEX it.")));
}

/*
 * dllb_hnsw_write_meta - replace the meta page contents, WAL-logged.
 * The caller holds the writers' lock.
 */
void
dllb_hnsw_write_meta(Relation index, const HnswMetaPageData *meta)
{
	Buffer		buf = ReadBuffer(index, HNSW_METAPAGE_BLKNO);
	GenericXLogState *state;
	Page		page;

	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, 0);
	memcpy(HnswPageGetMeta(page), meta, sizeof(HnswMetaPageData));
	((PageHeader) page)->pd_lower =
		((char *) HnswPageGetMeta(page) + sizeof(HnswMetaPageData)) - (char *) page;
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);
}

/*
 * dllb_hnsw_page_element - the element at an offset, or NULL when the
 * offset is past the end or unused (a deleted element's freed slot).
 */
HnswElementTuple
dllb_hnsw_page_element(Page page, OffsetNumber off)
{
	ItemId		iid;

	/*
	 * Only block 0 is not an element page, and no id points there, so the
	 * page type (at the far end of the page, one more cache miss) is not
	 * looked at; a new page has no items.
	 */
	if (off < FirstOffsetNumber || off > PageGetMaxOffsetNumber(page))
		return NULL;
	iid = PageGetItemId(page, off);
	if (!ItemIdIsUsed(iid))
		return NULL;
	return (HnswElementTuple) PageGetItem(page, iid);
}

/*
 * dllb_hnsw_check_dim - an element of the top level must fit on a page.
 */
void
dllb_hnsw_check_dim(Relation index, int dim, int m)
{
	Size		maxsize = BLCKSZ - MAXALIGN(SizeOfPageHeaderData) -
		MAXALIGN(sizeof(HnswPageOpaqueData)) - sizeof(ItemIdData);

	if (HnswElementSize(dim, m, HNSW_MAX_LEVEL) > maxsize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("dllb_hnsw cannot index vectors of %d dimensions with m = %d", dim, m),
				 errdetail("An element and its neighbour lists must fit on one %d-byte page.", BLCKSZ),
				 errhint("Use fewer dimensions or a smaller m.")));
}

/*
 * dllb_hnsw_datum_vector - the floats of an indexed value (detoasted).
 */
float *
dllb_hnsw_datum_vector(Datum value, int *dim)
{
	DllbVector *v = DatumGetDllbVector(value);

	*dim = v->dim;
	return v->x;
}

/*
 * dllb_hnsw_indexable - compute the norm; cosine cannot index a zero
 * vector (its distance to anything is undefined), so it is left out.
 */
bool
dllb_hnsw_indexable(HnswMetric metric, const float *x, int dim, float *norm)
{
	*norm = sqrtf(dllb_kernel_dot(x, x, dim));
	if (metric == HNSW_COSINE && !(*norm > 0))
		return false;
	return true;
}

/*
 * dllb_hnsw_select_neighbours - the HNSW heuristic: walk the candidates
 * nearest first and keep one only when it is nearer to the base than to
 * every candidate kept so far, which spreads the links in all directions;
 * then fill the list up to max with the nearest of the candidates the
 * heuristic passed over (the paper's keepPrunedConnections), since a full
 * list of good links beats a short list of the best ones for recall.
 *
 * cdist[] are the distances to the base; candidates come in any order
 * and are sorted here, in order[] (room for ncand, the caller's, so this
 * allocates nothing and the parallel build can call it from its threads).
 * The first nkeep candidates are kept unconditionally (a repair keeps the
 * live entries of a list) and the heuristic measures the others against
 * them.  Writes up to max indexes into chosen[].
 */
int
dllb_hnsw_select_neighbours(const HnswShape *shape, const float *const *cvec,
							const float *cnorm, const float *cdist, int ncand,
							int nkeep, int max, int *chosen, int *order)
{
	int			nchosen = 0;
	int			npruned = 0;
	int			nsort = 0;
	int			i,
				j;

	/* the first nkeep candidates are chosen whatever their distance */
	for (i = 0; i < nkeep && i < ncand && nchosen < max; i++)
		chosen[nchosen++] = i;

	/* insertion sort of the rest: candidate lists are short */
	for (i = nkeep; i < ncand; i++)
	{
		int			k = nsort++;

		while (k > 0 && cdist[order[k - 1]] > cdist[i])
		{
			order[k] = order[k - 1];
			k--;
		}
		order[k] = i;
	}

	for (i = 0; i < nsort && nchosen < max; i++)
	{
		int			c = order[i];
		bool		good = true;

		for (j = 0; j < nchosen; j++)
		{
			int			r = chosen[j];

			if (dllb_hnsw_distance(shape, cvec[c], cnorm[c], cvec[r], cnorm[r]) < cdist[c])
			{
				good = false;
				break;
			}
		}
		if (good)
			chosen[nchosen++] = c;
		else
			order[npruned++] = c;	/* order[] before i is done with */
	}
	for (i = 0; i < npruned && nchosen < max; i++)
		chosen[nchosen++] = order[i];
	return nchosen;
}
