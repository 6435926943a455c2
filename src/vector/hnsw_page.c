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
#include "access/xlog.h"
#include "storage/bufmgr.h"

#include "vector/hnsw.h"
#include "vector/vector.h"
#include "vector/vector_kernels.h"
#include "vector/vector_type.h"

/*
 * dllb_hnsw_shape_init - where the parts of an element lie, for an index
 * of this metric, dimension, m, quantization and filter column.
 */
void
dllb_hnsw_shape_init(HnswShape *s, HnswMetric metric, int dim, int m,
					 HnswQuant quant, HnswKeyKind keykind)
{
	s->metric = metric;
	s->dim = dim;
	s->m = m;
	s->quant = quant;
	s->keykind = keykind;
	if (quant == HNSW_QUANT_SQ8)
		s->payload = TYPEALIGN(sizeof(uint32), offsetof(HnswSq8, c) + dim);
	else
		s->payload = sizeof(float) * dim;
	s->keyoff = keykind != HNSW_KEY_NONE ? (int) HNSW_HEADER_SIZE + s->payload : -1;
	s->slotoff = HNSW_HEADER_SIZE + s->payload + (keykind != HNSW_KEY_NONE ? sizeof(uint32) : 0);
}

/*
 * dllb_hnsw_shape_from_meta - the shape of a built index: what its meta
 * page says, and the metric of its operator class.
 */
void
dllb_hnsw_shape_from_meta(HnswShape *s, Relation index, const HnswMetaPageData *meta)
{
	dllb_hnsw_shape_init(s, dllb_hnsw_metric(index), meta->dim, meta->m,
						 (HnswQuant) meta->quant, (HnswKeyKind) meta->keykind);
}

/*
 * dllb_hnsw_encode - the stored form of vector x, and the norm of what is
 * stored (the decoded code's, for a code).
 *
 * sq8: per vector, lo = the smallest element, step = (largest - lo) / 255,
 * c[d] = round((x[d] - lo) / step).  A code of its own range per vector
 * needs no table-wide statistics, so inserts and builds code alike.
 */
void
dllb_hnsw_encode(const HnswShape *s, const float *x, void *payload, float *norm)
{
	if (s->quant == HNSW_QUANT_SQ8)
	{
		HnswSq8    *q = (HnswSq8 *) payload;
		float		lo = x[0];
		float		hi = x[0];
		float		inv;
		double		nn = 0;
		uint32		sum = 0;
		int			d;

		for (d = 1; d < s->dim; d++)
		{
			lo = Min(lo, x[d]);
			hi = Max(hi, x[d]);
		}
		q->lo = lo;
		q->step = (hi - lo) / 255.0f;
		inv = q->step > 0 ? 1.0f / q->step : 0;
		for (d = 0; d < s->dim; d++)
		{
			int			c = (int) ((x[d] - lo) * inv + 0.5f);
			float		v;

			c = Max(0, Min(255, c));
			q->c[d] = (uint8) c;
			sum += c;
			v = lo + q->step * c;
			nn += (double) v * v;
		}
		for (d = s->dim; d < s->payload - (int) offsetof(HnswSq8, c); d++)
			q->c[d] = 0;
		q->csum = sum;
		*norm = (float) sqrt(nn);
	}
	else
	{
		memcpy(payload, x, sizeof(float) * s->dim);
		*norm = sqrtf(dllb_kernel_dot(x, x, s->dim));
	}
}

/* dllb_hnsw_decode - the vector a stored form stands for */
void
dllb_hnsw_decode(const HnswShape *s, const void *payload, float *out)
{
	if (s->quant == HNSW_QUANT_SQ8)
	{
		const HnswSq8 *q = (const HnswSq8 *) payload;
		int			d;

		for (d = 0; d < s->dim; d++)
			out[d] = q->lo + q->step * q->c[d];
	}
	else
		memcpy(out, payload, sizeof(float) * s->dim);
}

void
dllb_hnsw_query_init(HnswQuery *q, const float *x, int dim)
{
	float		sum = 0;
	int			d;

	for (d = 0; d < dim; d++)
		sum += x[d];
	q->x = x;
	q->norm = sqrtf(dllb_kernel_dot(x, x, dim));
	q->sum = sum;
}

/* the internal distance from a dot product and the two norms */
static inline float
from_dot(HnswMetric metric, float dot, float an, float bn)
{
	switch (metric)
	{
		case HNSW_L2:
			return Max(0.0f, an * an + bn * bn - 2.0f * dot);
		case HNSW_COSINE:
			return 1.0f - dot / (an * bn);
		case HNSW_IP:
			return -dot;
	}
	return 0;
}

/*
 * dllb_hnsw_qdist - the internal distance, smaller is nearer, from the
 * query to a stored vector.
 *
 * L2 is kept squared (same order, no sqrt per step); cosine uses the
 * stored norms, so one dot product per step.  A code is compared without
 * decoding: q . (lo + step c) = lo sum(q) + step (q . c).
 */
float
dllb_hnsw_qdist(const HnswShape *s, const HnswQuery *q, const void *payload, float norm)
{
	if (s->quant == HNSW_QUANT_SQ8)
	{
		const HnswSq8 *c = (const HnswSq8 *) payload;
		float		dot = c->lo * q->sum + c->step * dllb_kernel_dot_f32_u8(q->x, c->c, s->dim);

		return from_dot(s->metric, dot, q->norm, norm);
	}
	switch (s->metric)
	{
		case HNSW_L2:
			return dllb_kernel_l2_squared(q->x, (const float *) payload, s->dim);
		case HNSW_COSINE:
			return 1.0f - dllb_kernel_dot(q->x, (const float *) payload, s->dim) / (q->norm * norm);
		case HNSW_IP:
			return -dllb_kernel_dot(q->x, (const float *) payload, s->dim);
	}
	return 0;
}

/*
 * dllb_hnsw_pdist - the internal distance between two stored vectors.
 * Two codes: a.b = D lo_a lo_b + lo_a step_b sum(c_b) + lo_b step_a
 * sum(c_a) + step_a step_b (c_a . c_b), the last an integer dot product.
 */
float
dllb_hnsw_pdist(const HnswShape *s, const void *a, float anorm, const void *b, float bnorm)
{
	if (s->quant == HNSW_QUANT_SQ8)
	{
		const HnswSq8 *x = (const HnswSq8 *) a;
		const HnswSq8 *y = (const HnswSq8 *) b;
		float		dot = (float) s->dim * x->lo * y->lo +
			x->lo * y->step * (float) y->csum + y->lo * x->step * (float) x->csum +
			x->step * y->step * (float) dllb_kernel_dot_u8(x->c, y->c, s->dim);

		return from_dot(s->metric, dot, anorm, bnorm);
	}
	switch (s->metric)
	{
		case HNSW_L2:
			return dllb_kernel_l2_squared((const float *) a, (const float *) b, s->dim);
		case HNSW_COSINE:
			return 1.0f - dllb_kernel_dot((const float *) a, (const float *) b, s->dim) /
				(anorm * bnorm);
		case HNSW_IP:
			return -dllb_kernel_dot((const float *) a, (const float *) b, s->dim);
	}
	return 0;
}

/*
 * dllb_hnsw_exact - the internal distance from the query to a full
 * vector (the re-rank of a quantized index).
 */
float
dllb_hnsw_exact(HnswMetric metric, const float *q, float qnorm, const float *x, int dim)
{
	switch (metric)
	{
		case HNSW_L2:
			return dllb_kernel_l2_squared(q, x, dim);
		case HNSW_COSINE:
			{
				float		dot;
				float		qq;
				float		xx;

				dllb_kernel_cosine_parts(q, x, dim, &dot, &qq, &xx);
				return 1.0f - dot / (qnorm * sqrtf(xx));
			}
		case HNSW_IP:
			return -dllb_kernel_dot(q, x, dim);
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
	dllb_hnsw_wal_finish(state);
	UnlockReleaseBuffer(buf);
}

/*
 * Fault injection for the crash tests (dllb.hnsw_debug_vacuum_panic_after):
 * while armed, the n-th WAL record of this VACUUM is flushed and the
 * server stops with PANIC, as an immediate stop right after that record
 * would leave it (recovery replays exactly the records before).
 */
static bool wal_counting = false;
static int	wal_records = 0;

void
dllb_hnsw_fault_arm(bool on)
{
	wal_counting = on;
	wal_records = 0;
}

/* the WAL records counted since dllb_hnsw_fault_arm(true) */
int
dllb_hnsw_wal_count(void)
{
	return wal_records;
}

/*
 * dllb_hnsw_wal_finish - GenericXLogFinish, counted for the fault
 * injection above.
 */
XLogRecPtr
dllb_hnsw_wal_finish(GenericXLogState *state)
{
	XLogRecPtr	lsn = GenericXLogFinish(state);

	if (wal_counting && ++wal_records == dllb_hnsw_debug_vacuum_panic_after)
	{
		XLogFlush(lsn);
		elog(PANIC, "dllb_hnsw: stopping after WAL record %d of VACUUM (dllb.hnsw_debug_vacuum_panic_after)",
			 wal_records);
	}
	return lsn;
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
 * dllb_hnsw_get_list - an element's list at lc: ids (and, with keys not
 * NULL, the neighbours' filter keys); returns how many.
 */
int
dllb_hnsw_get_list(HnswElementTuple e, const HnswShape *s, int lc, uint32 *ids, uint32 *keys)
{
	const uint32 *slots;
	int			max;
	int			n = 0;

	if (e->level < lc)
		return 0;
	slots = HnswElementIds(e, s) + HnswSlotsStart(s->m, lc);
	max = HnswSlotsAt(s->m, lc);
	while (n < max && slots[n] != HNSW_INVALID_ID)
	{
		ids[n] = slots[n];
		n++;
	}
	if (keys != NULL)
	{
		if (HnswFiltered(s))
			memcpy(keys, HnswElementSlotKeys(e, s) + HnswSlotsStart(s->m, lc),
				   sizeof(uint32) * n);
		else
			memset(keys, 0, sizeof(uint32) * n);
	}
	return n;
}

/*
 * dllb_hnsw_put_list - replace an element's list at lc (keys may be NULL
 * for an index without a filter column).
 */
void
dllb_hnsw_put_list(HnswElementTuple e, const HnswShape *s, int lc, const uint32 *ids,
				   const uint32 *keys, int n)
{
	uint32	   *slots = HnswElementIds(e, s) + HnswSlotsStart(s->m, lc);
	int			max = HnswSlotsAt(s->m, lc);
	int			i;

	Assert(e->level >= lc && n <= max);
	for (i = 0; i < max; i++)
		slots[i] = i < n ? ids[i] : HNSW_INVALID_ID;
	if (HnswFiltered(s))
	{
		uint32	   *k = HnswElementSlotKeys(e, s) + HnswSlotsStart(s->m, lc);

		Assert(keys != NULL || n == 0);
		for (i = 0; i < max; i++)
			k[i] = i < n ? keys[i] : 0;
	}
}

/*
 * dllb_hnsw_check_dim - an element of the top level must fit on a page.
 */
void
dllb_hnsw_check_dim(Relation index, const HnswShape *s)
{
	Size		maxsize = BLCKSZ - MAXALIGN(SizeOfPageHeaderData) -
		MAXALIGN(sizeof(HnswPageOpaqueData)) - sizeof(ItemIdData);

	if (HnswElementSize(s, HNSW_MAX_LEVEL) > maxsize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("dllb_hnsw cannot index vectors of %d dimensions with m = %d and quantization %s",
						s->dim, s->m, dllb_hnsw_quant_name(s->quant)),
				 errdetail("An element and its neighbour lists must fit on one %d-byte page.", BLCKSZ),
				 errhint("Use fewer dimensions, a smaller m, or quantization = sq8.")));
}

/*
 * dllb_hnsw_filter_pass - whether a filter key meets every condition of a
 * scan (always, without a filter).
 */
bool
dllb_hnsw_filter_pass(const HnswFilter *f, uint32 key)
{
	int			i;

	if (f == NULL)
		return true;
	if (f->nothing)
		return false;
	for (i = 0; i < f->nconds; i++)
	{
		const HnswCond *c = &f->conds[i];

		if (c->set != NULL)
		{
			int			lo = 0;
			int			hi = c->nset - 1;
			bool		found = false;

			while (lo <= hi && !found)
			{
				int			mid = (lo + hi) / 2;

				if (c->set[mid] == key)
					found = true;
				else if (c->set[mid] < key)
					lo = mid + 1;
				else
					hi = mid - 1;
			}
			if (!found)
				return false;
		}
		else if (key < c->lo || key > c->hi)
			return false;
	}
	return true;
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
dllb_hnsw_select_neighbours(const HnswShape *shape, const void *const *cvec,
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

			if (dllb_hnsw_pdist(shape, cvec[c], cnorm[c], cvec[r], cnorm[r]) < cdist[c])
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
