/*-------------------------------------------------------------------------
 *
 * hnsw_scan.c
 *	  Ordered index scans of dllb_hnsw: ORDER BY v <-> q LIMIT k.
 *
 * The scan descends from the entry point to level 0 and then hands out
 * batches of dllb.hnsw_ef_search elements, nearest first.  When the
 * executor keeps asking (a WHERE clause threw rows away) the walk goes on
 * from where it stopped; past dllb.hnsw_max_scan_tuples visited elements,
 * or when the graph has no more to give, the rest of the index is read
 * exhaustively, so the scan returns every indexed row in the end.
 *
 * IDENTIFICATION
 *	  src/vector/hnsw_scan.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/relscan.h"
#include "utils/float.h"
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
	HnswSeen  **batch;
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
	so->shape.metric = dllb_hnsw_metric(index);
	scan->opaque = so;
	scan->xs_orderbyvals = palloc0(sizeof(Datum) * Max(norderbys, 1));
	scan->xs_orderbynulls = palloc(sizeof(bool) * Max(norderbys, 1));
	memset(scan->xs_orderbynulls, true, sizeof(bool) * Max(norderbys, 1));
	return scan;
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
	MemoryContextReset(so->cxt);
	so->started = false;
	so->graph_done = false;
	so->exhaustive_done = false;
	so->null_query = false;
	so->search = NULL;
	so->nbatch = 0;
	so->pos = 0;
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
	float	   *q;
	float		qnorm;
	int			dim;

	so->started = true;
	dllb_hnsw_read_meta(scan->indexRelation, &meta);
	so->shape.dim = meta.dim;
	so->shape.m = meta.m;

	if (scan->numberOfOrderBys == 0 || (scan->orderByData[0].sk_flags & SK_ISNULL))
	{
		/* no query vector: every row, in index order */
		so->null_query = true;
		q = palloc0(sizeof(float) * Max(meta.dim, 1));
		qnorm = 0;
	}
	else
	{
		q = dllb_hnsw_datum_vector(scan->orderByData[0].sk_argument, &dim);
		if (meta.dim != 0 && dim != (int) meta.dim)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("different vector dimensions %u and %d", meta.dim, dim)));
		q = memcpy(palloc(sizeof(float) * dim), q, sizeof(float) * dim);
		(void) dllb_hnsw_indexable(HNSW_L2, q, dim, &qnorm);
	}

	so->search = dllb_hnsw_search_begin(scan->indexRelation, &so->shape, q, qnorm, false);
	if (meta.entry == HNSW_INVALID_ID)
		so->graph_done = true;
	else if (so->null_query || (so->shape.metric == HNSW_COSINE && !(qnorm > 0)))
		so->graph_done = true;	/* distances say nothing: read it all */
	else
		dllb_hnsw_search_descend(so->search, meta.entry, meta.entry_level, 0);
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
			HnswSeen   *e = so->batch[so->pos++];

			scan->xs_heaptid = e->heaptid;
			scan->xs_recheck = false;
			scan->xs_recheckorderby = false;
			if (scan->numberOfOrderBys > 0)
			{
				scan->xs_orderbynulls[0] = so->null_query;
				scan->xs_orderbyvals[0] = so->null_query ? (Datum) 0 :
					Float8GetDatum(dllb_hnsw_distance_out(so->shape.metric, e->dist));
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
		else
		{
			so->nbatch = dllb_hnsw_search_exhaustive(so->search, &so->batch);
			so->exhaustive_done = true;
		}
		so->pos = 0;
	}
}

void
dllb_hnsw_endscan(IndexScanDesc scan)
{
	HnswScanState *so = (HnswScanState *) scan->opaque;

	MemoryContextDelete(so->cxt);
	pfree(so);
	scan->opaque = NULL;
}
