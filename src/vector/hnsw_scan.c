/*-------------------------------------------------------------------------
 *
 * hnsw_scan.c
 *	  Ordered index scans of dllb_hnsw: ORDER BY v <-> q LIMIT k, with an
 *	  optional filter on the index's second column.
 *
 * The scan descends from the entry point to level 0 and then hands out
 * batches of dllb.hnsw_ef_search elements, nearest first.  When the
 * executor keeps asking (a WHERE clause threw rows away) the walk goes on
 * from where it stopped; past dllb.hnsw_max_scan_tuples visited elements,
 * or when the graph has no more to give, the rest of the index is read
 * exhaustively, so the scan returns every indexed row in the end.
 *
 * Conditions on the filter column (=, <, <=, >=, > and = ANY) are
 * evaluated inside the walk (see hnsw_search.c), so only matching rows
 * come out, and the LIMIT is met without walking past thousands of rows
 * that do not match.  Keys that are hashes of the values are rechecked by
 * the executor.
 *
 * A quantized index ranks by the codes; each batch is then re-ranked by
 * the exact distance to the vectors in the table, so rows come out in the
 * order of, and with, their true distance.
 *
 * IDENTIFICATION
 *	  src/vector/hnsw_scan.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/relscan.h"
#include "access/stratnum.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/float.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "vector/hnsw.h"

typedef struct HnswScanState
{
	MemoryContext cxt;
	HnswShape	shape;
	bool		started;
	bool		graph_done;
	bool		exhaustive_done;
	bool		null_query;
	HnswSearch *search;
	HnswFilter *filter;
	HnswRowFetcher *fetcher;	/* re-rank of a quantized index */
	float	   *qx;
	float		qnorm;
	float	   *rowvec;
	HnswSeen  **batch;
	float	   *exact;			/* exact distances of the batch, re-ranked */
	int			nbatch;
	int			pos;
} HnswScanState;

IndexScanDesc
dllb_hnsw_beginscan(Relation index, int nkeys, int norderbys)
{
	IndexScanDesc scan = RelationGetIndexScan(index, nkeys, norderbys);
	HnswScanState *so = palloc0(sizeof(HnswScanState));

	so->cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_hnsw scan",
									ALLOCSET_DEFAULT_SIZES);
	scan->opaque = so;
	scan->xs_orderbyvals = palloc0(sizeof(Datum) * Max(norderbys, 1));
	scan->xs_orderbynulls = palloc(sizeof(bool) * Max(norderbys, 1));
	memset(scan->xs_orderbynulls, true, sizeof(bool) * Max(norderbys, 1));
	return scan;
}

static void
end_search(HnswScanState *so)
{
	if (so->search != NULL)
		dllb_hnsw_search_end(so->search);
	so->search = NULL;
	if (so->fetcher != NULL)
		dllb_hnsw_fetcher_end(so->fetcher);
	so->fetcher = NULL;
}

void
dllb_hnsw_rescan(IndexScanDesc scan, ScanKey keys, int nkeys,
				 ScanKey orderbys, int norderbys)
{
	HnswScanState *so = (HnswScanState *) scan->opaque;

	if (keys && scan->numberOfKeys > 0)
		memmove(scan->keyData, keys, scan->numberOfKeys * sizeof(ScanKeyData));
	if (orderbys && scan->numberOfOrderBys > 0)
		memmove(scan->orderByData, orderbys, scan->numberOfOrderBys * sizeof(ScanKeyData));
	end_search(so);
	MemoryContextReset(so->cxt);
	so->started = false;
	so->graph_done = false;
	so->exhaustive_done = false;
	so->null_query = false;
	so->filter = NULL;
	so->exact = NULL;
	so->nbatch = 0;
	so->pos = 0;
}

static int
cmp_key(const void *a, const void *b)
{
	uint32		x = *(const uint32 *) a;
	uint32		y = *(const uint32 *) b;

	return (x > y) - (x < y);
}

/*
 * build_filter - the scan's conditions on the filter column as keys.
 * Exact keys keep the order of the values, so ranges work on them; hashed
 * keys take equality only (their operator classes offer nothing else).
 */
static HnswFilter *
build_filter(IndexScanDesc scan, HnswKeyKind kind)
{
	HnswFilter *f = palloc0(sizeof(HnswFilter));
	int			i;

	f->conds = palloc0(sizeof(HnswCond) * Max(scan->numberOfKeys, 1));
	for (i = 0; i < scan->numberOfKeys; i++)
	{
		ScanKey		sk = &scan->keyData[i];
		HnswCond   *c = &f->conds[f->nconds];
		uint32	   *keys;
		int			nkeys = 0;
		uint32		k;

		if (sk->sk_flags & SK_ISNULL)
		{
			f->nothing = true;
			continue;
		}
		if (sk->sk_flags & SK_SEARCHARRAY)
		{
			ArrayType  *arr = DatumGetArrayTypeP(sk->sk_argument);
			int16		elmlen;
			bool		elmbyval;
			char		elmalign;
			Datum	   *elems;
			bool	   *nulls;
			int			nelems;
			int			j;

			get_typlenbyvalalign(ARR_ELEMTYPE(arr), &elmlen, &elmbyval, &elmalign);
			deconstruct_array(arr, ARR_ELEMTYPE(arr), elmlen, elmbyval, elmalign,
							  &elems, &nulls, &nelems);
			keys = palloc(sizeof(uint32) * Max(nelems, 1));
			for (j = 0; j < nelems; j++)
				if (!nulls[j])
					keys[nkeys++] = dllb_hnsw_key(scan->indexRelation, elems[j]);
			if (nkeys == 0)
			{
				f->nothing = true;
				continue;
			}
			qsort(keys, nkeys, sizeof(uint32), cmp_key);
		}
		else
		{
			keys = palloc(sizeof(uint32));
			keys[nkeys++] = dllb_hnsw_key(scan->indexRelation, sk->sk_argument);
		}

		if (sk->sk_strategy == BTEqualStrategyNumber || kind == HNSW_KEY_HASH)
		{
			c->set = keys;
			c->nset = nkeys;
		}
		else
		{
			/* x < ANY (array) is x < its largest element, and so on */
			c->lo = 0;
			c->hi = PG_UINT32_MAX;
			switch (sk->sk_strategy)
			{
				case BTLessStrategyNumber:
					k = keys[nkeys - 1];
					if (k == 0)
						f->nothing = true;
					c->hi = k - 1;
					break;
				case BTLessEqualStrategyNumber:
					c->hi = keys[nkeys - 1];
					break;
				case BTGreaterEqualStrategyNumber:
					c->lo = keys[0];
					break;
				case BTGreaterStrategyNumber:
					k = keys[0];
					if (k == PG_UINT32_MAX)
						f->nothing = true;
					c->lo = k + 1;
					break;
				default:
					elog(ERROR, "dllb_hnsw: unexpected strategy %d", sk->sk_strategy);
			}
		}
		f->nconds++;
	}
	return f;
}

/*
 * start - read the meta page, check the query, descend to level 0.
 */
static void
start(IndexScanDesc scan)
{
	HnswScanState *so = (HnswScanState *) scan->opaque;
	HnswMetaPageData meta;
	MemoryContext old = MemoryContextSwitchTo(so->cxt);
	HnswQuery	q;
	int			dim;

	so->started = true;
	dllb_hnsw_read_meta(scan->indexRelation, &meta);
	dllb_hnsw_shape_from_meta(&so->shape, scan->indexRelation, &meta);
	if (scan->numberOfKeys > 0)
		so->filter = build_filter(scan, so->shape.keykind);

	if (scan->numberOfOrderBys == 0 || (scan->orderByData[0].sk_flags & SK_ISNULL))
	{
		/* no query vector: every row, in index order */
		so->null_query = true;
		so->qx = palloc0(sizeof(float) * Max(meta.dim, 1));
	}
	else
	{
		float	   *x = dllb_hnsw_datum_vector(scan->orderByData[0].sk_argument, &dim);

		if (meta.dim != 0 && dim != (int) meta.dim)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("different vector dimensions %u and %d", meta.dim, dim)));
		so->qx = memcpy(palloc(sizeof(float) * dim), x, sizeof(float) * dim);
	}
	dllb_hnsw_query_init(&q, so->qx, Max(meta.dim, 1));
	so->qnorm = q.norm;

	so->search = dllb_hnsw_search_begin(scan->indexRelation, &so->shape, &q, false,
										so->filter);
	if (so->shape.quant != HNSW_QUANT_NONE && !so->null_query)
	{
		so->fetcher = dllb_hnsw_fetcher_begin(scan->heapRelation, scan->indexRelation, NULL);
		so->rowvec = palloc(sizeof(float) * Max(meta.dim, 1));
	}
	if (meta.entry == HNSW_INVALID_ID || (so->filter != NULL && so->filter->nothing))
		so->graph_done = true;
	else if (so->null_query || (so->shape.metric == HNSW_COSINE && !(q.norm > 0)))
		so->graph_done = true;	/* distances say nothing: read it all */
	else
		dllb_hnsw_search_descend(so->search, meta.entry, meta.entry_level, 0);
	MemoryContextSwitchTo(old);
}

/*
 * rerank - a quantized index's batch by the exact distances of the rows'
 * vectors; rows that are gone from the table drop out (they are dead to
 * every snapshot).
 */
static void
rerank(HnswScanState *so)
{
	MemoryContext old = MemoryContextSwitchTo(so->cxt);
	int			n = 0;
	int			i;

	if (so->exact != NULL)
		pfree(so->exact);
	so->exact = palloc(sizeof(float) * Max(so->nbatch, 1));
	for (i = 0; i < so->nbatch; i++)
	{
		HnswSeen   *e = so->batch[i];
		float		d;
		int			k;

		if ((i & 63) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!dllb_hnsw_fetch_vector(so->fetcher, &e->heaptid, so->shape.dim, so->rowvec))
			continue;
		d = dllb_hnsw_exact(so->shape.metric, so->qx, so->qnorm, so->rowvec, so->shape.dim);
		/* insertion into the sorted prefix: batches are ef_search long */
		for (k = n; k > 0 && so->exact[k - 1] > d; k--)
		{
			so->exact[k] = so->exact[k - 1];
			so->batch[k] = so->batch[k - 1];
		}
		so->exact[k] = d;
		so->batch[k] = e;
		n++;
	}
	so->nbatch = n;
	MemoryContextSwitchTo(old);
}

bool
dllb_hnsw_gettuple(IndexScanDesc scan, ScanDirection dir)
{
	HnswScanState *so = (HnswScanState *) scan->opaque;

	if (!so->started)
		start(scan);

	for (;;)
	{
		if (so->pos < so->nbatch)
		{
			HnswSeen   *e = so->batch[so->pos];
			float		d = so->fetcher ? so->exact[so->pos] : e->dist;

			so->pos++;
			scan->xs_heaptid = e->heaptid;
			scan->xs_recheck = so->filter != NULL && so->shape.keykind == HNSW_KEY_HASH;
			scan->xs_recheckorderby = false;
			if (scan->numberOfOrderBys > 0)
			{
				scan->xs_orderbynulls[0] = so->null_query;
				scan->xs_orderbyvals[0] = so->null_query ? (Datum) 0 :
					Float8GetDatum(dllb_hnsw_distance_out(so->shape.metric, d));
			}
			return true;
		}
		if (so->exhaustive_done)
			return false;
		if (!so->graph_done)
		{
			so->nbatch = dllb_hnsw_search_next_batch(so->search, dllb_hnsw_ef_search,
													 &so->batch);
			if (so->nbatch == 0)
				so->graph_done = true;
		}
		else if (so->filter != NULL && so->filter->nothing)
		{
			so->nbatch = 0;
			so->exhaustive_done = true;
		}
		else
		{
			so->nbatch = dllb_hnsw_search_exhaustive(so->search, &so->batch);
			so->exhaustive_done = true;
		}
		if (so->fetcher != NULL)
			rerank(so);
		so->pos = 0;
	}
}

void
dllb_hnsw_endscan(IndexScanDesc scan)
{
	HnswScanState *so = (HnswScanState *) scan->opaque;

	end_search(so);
	MemoryContextDelete(so->cxt);
	pfree(so);
	scan->opaque = NULL;
}
