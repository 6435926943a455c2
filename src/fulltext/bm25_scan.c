/*-------------------------------------------------------------------------
 *
 * bm25_scan.c
 *	  dllb_bm25 index scans, and the operators @@@ and <@> and dllb.score.
 *
 * An ordered scan (ORDER BY body <@> q) hands out the top 10, best first,
 * by block-max WAND.  An executor that wants more (dead rows, a
 * selective condition the index cannot see, no LIMIT) gets every
 * remaining match (after the last (score, TID) handed out) scored in one
 * pass and handed out from a heap, best first: cheaper than ever bigger
 * top-k passes.  So rows come out exactly once, in order, however many
 * the executor pulls.  @@@ conditions on the same index scan filter
 * inside the top-k loop.  A bitmap scan (and an unordered index scan)
 * walks every match in TID order.
 *
 * The statistics a scan used are remembered for the transaction, by query
 * text and index: <@> and dllb.score over the text of a row the scan
 * returned give exactly the scan's value (they analyze the text, so they
 * do not need the index).  @@@ outside an index scan analyzes the text
 * with the analyzer of the transaction's scan of that query, or else with
 * dllb.bm25_default_analyzer.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_scan.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/relscan.h"
#include "access/table.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "commands/defrem.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteManip.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "storage/buf_internals.h"
#include "utils/relcache.h"
#include "access/xact.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "fulltext/bm25_query.h"

#define BM25_FIRST_BATCH	10
#define BM25_MAX_BATCH		(1 << 20)
/* past the first top-k batch, one pass ranks every match */
#define BM25_TOPK_BATCHES_UP_TO 10

typedef struct Bm25ScanOpaqueData
{
	MemoryContext cxt;			/* queries and results; reset by rescan */
	bool		prepared;
	Bm25Query  *rank;			/* the ORDER BY query, or NULL */
	Bm25Query **filters;		/* @@@ queries */
	int			nfilters;
	/* ordered: the current batch */
	Bm25Hit    *hits;
	int			nhits;
	int			next;
	int			k;
	bool		exhausted;
	bool		heap;			/* hits is a heap of every remaining match */
	bool		has_last;
	double		last_score;
	uint64		last_doc;
	/* unordered: every match */
	uint64	   *docs;
	int64		ndocs;
	int64		cap;
	/* where the ranking query is remembered */
	int			stash_slot;
	uint64		stash_serial;
	/* the scan keys as given */
	text	  **keyq;
	int			nkeyq;
	text	   *orderq;
} Bm25ScanOpaqueData;

typedef Bm25ScanOpaqueData *Bm25ScanOpaque;

/* ---- the transaction's remembered queries ------------------------------ */

/*
 * Each scan remembers its query's statistics here, by query text and
 * index, for the rest of the transaction (a cursor's FETCHes are separate
 * statements).  A scan that returns a row marks its entry as the latest,
 * so <@> over that row uses the statistics of the scan that returned it,
 * even when two indexes are searched for the same text in one statement.
 */
#define STASH_SIZE 16

typedef struct StashEntry
{
	MemoryContext cxt;			/* NULL when the slot is free */
	char	   *qtext;
	int			qlen;
	Oid			index;
	uint64		serial;			/* this filling of the slot */
	uint64		touched;		/* when a scan of it last returned a row */
	Bm25Query  *q;				/* lexemes, items and statistics; no cursors */
	/* the row a scan of it returned last, and its score */
	bool		has_last;
#if PG_VERSION_NUM >= 160000
	RelFileLocator last_heap;	/* the heap, as buffer tags name it */
#else
	RelFileNode last_heap;
#endif
	ItemPointerData last_tid;
	double		last_score;
} StashEntry;

static StashEntry stash[STASH_SIZE];
static LocalTransactionId stash_lxid = InvalidLocalTransactionId;
static uint64 stash_clock = 0;

/* forget everything when the transaction has changed */
static void
stash_check_xact(void)
{
	int			i;

	if (stash_lxid == MyProc->lxid)
		return;
	for (i = 0; i < STASH_SIZE; i++)
		if (stash[i].cxt)
		{
			MemoryContextDelete(stash[i].cxt);
			stash[i].cxt = NULL;
		}
	stash_lxid = MyProc->lxid;
}

static Bm25Query *
stash_copy(const Bm25Query *src)
{
	Bm25Query  *q = palloc0(sizeof(Bm25Query));
	int			i;

	q->cfg = src->cfg;
	q->N = src->N;
	q->avgdl = src->avgdl;
	q->has_must = src->has_must;
	q->needpos = src->needpos;
	q->nlex = q->lexcap = src->nlex;
	q->lex = palloc(sizeof(Bm25Lexeme) * Max(src->nlex, 1));
	for (i = 0; i < src->nlex; i++)
	{
		q->lex[i] = src->lex[i];
		q->lex[i].term = pnstrdup(src->lex[i].term, src->lex[i].len);
	}
	q->nitems = src->nitems;
	q->items = palloc(sizeof(Bm25QItem) * Max(src->nitems, 1));
	for (i = 0; i < src->nitems; i++)
	{
		const Bm25QItem *s = &src->items[i];
		Bm25QItem  *d = &q->items[i];

		*d = *s;
		d->lex = palloc(sizeof(int) * Max(s->nlex, 1));
		d->qpos = palloc(sizeof(int) * Max(s->nlex, 1));
		if (s->nlex > 0)
		{
			memcpy(d->lex, s->lex, sizeof(int) * s->nlex);
			memcpy(d->qpos, s->qpos, sizeof(int) * s->nlex);
		}
		d->prefix = s->prefix ? pstrdup(s->prefix) : NULL;
	}
	return q;
}

static bool
stash_same_text(const StashEntry *e, text *query)
{
	return e->cxt && e->qlen == (int) VARSIZE_ANY_EXHDR(query) &&
		memcmp(e->qtext, VARDATA_ANY(query), e->qlen) == 0;
}

/* remember q (query prepared against indexoid); returns its slot */
static int
stash_put(text *query, const Bm25Query *q, Oid indexoid)
{
	MemoryContext old;
	int			slot = -1;
	int			i;
	StashEntry *e;

	stash_check_xact();
	for (i = 0; i < STASH_SIZE && slot < 0; i++)
		if (stash_same_text(&stash[i], query) && stash[i].index == indexoid)
			slot = i;			/* a new scan of it: its statistics now */
	for (i = 0; i < STASH_SIZE && slot < 0; i++)
		if (stash[i].cxt == NULL)
			slot = i;
	if (slot < 0)
	{
		/* the least recently used */
		slot = 0;
		for (i = 1; i < STASH_SIZE; i++)
			if (stash[i].touched < stash[slot].touched)
				slot = i;
	}
	e = &stash[slot];
	if (e->cxt)
		MemoryContextDelete(e->cxt);
	e->cxt = AllocSetContextCreate(TopMemoryContext, "dllb_bm25 remembered query",
								   ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(e->cxt);
	e->qlen = VARSIZE_ANY_EXHDR(query);
	e->qtext = pnstrdup(VARDATA_ANY(query), e->qlen);
	e->index = indexoid;
	e->q = stash_copy(q);
	e->serial = ++stash_clock;
	e->touched = ++stash_clock;
	MemoryContextSwitchTo(old);
	return slot;
}

/* a scan returned a row: its entry is the latest of its text */
static void
stash_touch(int slot, uint64 serial, Relation heap, ItemPointer tid, double score)
{
	if (slot >= 0 && stash_lxid == MyProc->lxid && stash[slot].cxt &&
		stash[slot].serial == serial)
	{
		StashEntry *e = &stash[slot];

		e->touched = ++stash_clock;
		e->has_last = heap != NULL;
		if (heap)
		{
#if PG_VERSION_NUM >= 160000
			e->last_heap = heap->rd_locator;
#else
			e->last_heap = heap->rd_node;
#endif
			e->last_tid = *tid;
			e->last_score = score;
		}
	}
}

/*
 * Is ptr inside the heap tuple the scan of e returned last, in its shared
 * buffer?  Then a text datum at ptr is that row's column, as a scan slot
 * holds it (pinned, so the buffer's tag is stable): the score of the row
 * the scan just returned needs no analysis.  Anything else (a detoasted
 * copy, a HOT chain's later version, another row) is analyzed as usual.
 */
static bool
datum_is_row(const void *ptr, const StashEntry *e)
{
	const char *p = (const char *) ptr;
	int			buf_id;
	BufferDesc *hdr;
	bool		same;
	Page		page;
	ItemId		iid;
	const ItemPointerData *tid = &e->last_tid;
	OffsetNumber off = ItemPointerGetOffsetNumber(tid);

	if (p < BufferBlocks || p >= BufferBlocks + (Size) NBuffers * BLCKSZ)
		return false;
	buf_id = (p - BufferBlocks) / BLCKSZ;
	hdr = GetBufferDescriptor(buf_id);
#if PG_VERSION_NUM >= 160000
	same = BufTagMatchesRelFileLocator(&hdr->tag, &e->last_heap);
#else
	same = RelFileNodeEquals(hdr->tag.rnode, e->last_heap);
#endif
	if (!same || hdr->tag.forkNum != MAIN_FORKNUM ||
		hdr->tag.blockNum != ItemPointerGetBlockNumber(tid))
		return false;
	page = (Page) (BufferBlocks + (Size) buf_id * BLCKSZ);
	if (off < FirstOffsetNumber || off > PageGetMaxOffsetNumber(page))
		return false;
	iid = PageGetItemId(page, off);
	if (!ItemIdIsNormal(iid))
		return false;
	return p >= (const char *) page + ItemIdGetOffset(iid) &&
		p < (const char *) page + ItemIdGetOffset(iid) + ItemIdGetLength(iid);
}

/*
 * Is ptr inside a heap tuple of the relation heap_node, in its shared
 * buffer?  Then the tuple's TID, as the document number the index files
 * it under, is *doc: a column datum the executor hands over points into
 * the tuple of a row it read from the table, pinned in the scan's slot
 * (so the page cannot be pruned meanwhile).  A heap-only tuple (a HOT
 * update) is filed under its chain's root, which is not looked for: the
 * caller analyzes its text instead, as it does for any datum that is not
 * in a buffer (a copy, a detoasted value, a computed text).
 */
static bool
#if PG_VERSION_NUM >= 160000
datum_doc(const void *ptr, const RelFileLocator *heap_node, uint64 *doc)
#else
datum_doc(const void *ptr, const RelFileNode *heap_node, uint64 *doc)
#endif
{
	const char *p = (const char *) ptr;
	int			buf_id;
	BufferDesc *hdr;
	bool		same;
	Page		page;
	OffsetNumber off,
				max;

	if (p < BufferBlocks || p >= BufferBlocks + (Size) NBuffers * BLCKSZ)
		return false;
	buf_id = (p - BufferBlocks) / BLCKSZ;
	hdr = GetBufferDescriptor(buf_id);
#if PG_VERSION_NUM >= 160000
	same = BufTagMatchesRelFileLocator(&hdr->tag, heap_node);
#else
	same = RelFileNodeEquals(hdr->tag.rnode, *heap_node);
#endif
	if (!same || hdr->tag.forkNum != MAIN_FORKNUM)
		return false;
	page = (Page) (BufferBlocks + (Size) buf_id * BLCKSZ);
	max = PageGetMaxOffsetNumber(page);
	for (off = FirstOffsetNumber; off <= max; off++)
	{
		ItemId		iid = PageGetItemId(page, off);
		const char *tup;

		if (!ItemIdIsNormal(iid))
			continue;
		tup = (const char *) page + ItemIdGetOffset(iid);
		if (p >= tup && p < tup + ItemIdGetLength(iid))
		{
			ItemPointerData tid;

			if (HeapTupleHeaderIsHeapOnly((HeapTupleHeader) tup))
				return false;
			ItemPointerSet(&tid, hdr->tag.blockNum, off);
			*doc = dllb_bm25_tid_doc(&tid);
			return true;
		}
	}
	return false;
}

/* ---- scans ----------------------------------------------------------------- */

IndexScanDesc
dllb_bm25_beginscan(Relation index, int nkeys, int norderbys)
{
	IndexScanDesc scan = RelationGetIndexScan(index, nkeys, norderbys);
	Bm25ScanOpaque so = palloc0(sizeof(Bm25ScanOpaqueData));

	so->cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_bm25 scan",
									ALLOCSET_DEFAULT_SIZES);
	if (norderbys > 0)
	{
		scan->xs_orderbyvals = palloc0(sizeof(Datum) * norderbys);
		scan->xs_orderbynulls = palloc(sizeof(bool) * norderbys);
		memset(scan->xs_orderbynulls, true, sizeof(bool) * norderbys);
	}
	scan->opaque = so;
	return scan;
}

void
dllb_bm25_rescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys,
				 int norderbys)
{
	Bm25ScanOpaque so = (Bm25ScanOpaque) scan->opaque;
	MemoryContext old;
	int			i;

	if (keys && scan->numberOfKeys > 0)
		memmove(scan->keyData, keys, scan->numberOfKeys * sizeof(ScanKeyData));
	if (orderbys && scan->numberOfOrderBys > 0)
		memmove(scan->orderByData, orderbys, scan->numberOfOrderBys * sizeof(ScanKeyData));

	MemoryContextReset(so->cxt);
	so->prepared = false;
	so->rank = NULL;
	so->filters = NULL;
	so->nfilters = 0;
	so->hits = NULL;
	so->nhits = so->next = so->k = 0;
	so->exhausted = false;
	so->heap = false;
	so->has_last = false;
	so->docs = NULL;
	so->ndocs = so->cap = 0;
	so->stash_slot = -1;

	old = MemoryContextSwitchTo(so->cxt);
	so->keyq = palloc(sizeof(text *) * Max(scan->numberOfKeys, 1));
	so->nkeyq = 0;
	so->orderq = NULL;
	for (i = 0; i < scan->numberOfKeys; i++)
	{
		ScanKey		k = &scan->keyData[i];

		if (k->sk_flags & SK_ISNULL)
		{
			so->exhausted = true;	/* x @@@ NULL matches nothing */
			continue;
		}
		so->keyq[so->nkeyq++] = DatumGetTextPCopy(k->sk_argument);
	}
	if (scan->numberOfOrderBys > 0)
	{
		ScanKey		k = &scan->orderByData[0];

		if (k->sk_flags & SK_ISNULL)
			so->exhausted = true;
		else
			so->orderq = DatumGetTextPCopy(k->sk_argument);
	}
	MemoryContextSwitchTo(old);
}

/* prepare the queries against the index (first use after a rescan) */
static void
prepare(IndexScanDesc scan)
{
	Bm25ScanOpaque so = (Bm25ScanOpaque) scan->opaque;
	MemoryContext old = MemoryContextSwitchTo(so->cxt);
	int			i;

	so->filters = palloc(sizeof(Bm25Query *) * Max(so->nkeyq, 1));
	for (i = 0; i < so->nkeyq; i++)
	{
		/* a condition with the ORDER BY's own query adds nothing */
		if (so->orderq && VARSIZE_ANY(so->orderq) == VARSIZE_ANY(so->keyq[i]) &&
			memcmp(so->orderq, so->keyq[i], VARSIZE_ANY(so->orderq)) == 0)
			continue;
		so->filters[so->nfilters++] = dllb_bm25_query_prepare(scan->indexRelation, so->keyq[i]);
		stash_put(so->keyq[i], so->filters[so->nfilters - 1],
				  RelationGetRelid(scan->indexRelation));
	}
	if (so->orderq)
	{
		so->rank = dllb_bm25_query_prepare(scan->indexRelation, so->orderq);
		so->stash_slot = stash_put(so->orderq, so->rank, RelationGetRelid(scan->indexRelation));
		so->stash_serial = stash[so->stash_slot].serial;
	}
	so->prepared = true;
	MemoryContextSwitchTo(old);
	pgstat_count_index_scan(scan->indexRelation);
}

static void
collect_doc(uint64 doc, void *arg)
{
	Bm25ScanOpaque so = (Bm25ScanOpaque) arg;

	if (so->ndocs == so->cap)
	{
		MemoryContext old = MemoryContextSwitchTo(so->cxt);

		so->cap = so->cap ? so->cap * 2 : 1024;
		so->docs = so->docs ? repalloc_huge(so->docs, sizeof(uint64) * so->cap)
			: palloc(sizeof(uint64) * so->cap);
		MemoryContextSwitchTo(old);
	}
	so->docs[so->ndocs++] = doc;
}

bool
dllb_bm25_gettuple(IndexScanDesc scan, ScanDirection dir)
{
	Bm25ScanOpaque so = (Bm25ScanOpaque) scan->opaque;
	MemoryContext old;

	if (!so->prepared)
	{
		if (so->exhausted)
			return false;
		prepare(scan);
		if (so->rank == NULL)
		{
			if (so->nfilters == 0)
				return false;
			old = MemoryContextSwitchTo(so->cxt);
			dllb_bm25_matches(so->filters[0], so->filters + 1, so->nfilters - 1,
							  collect_doc, so);
			MemoryContextSwitchTo(old);
			so->next = 0;
		}
	}
	scan->xs_recheck = false;
	scan->xs_recheckorderby = false;

	if (so->rank == NULL)
	{
		if (so->next >= so->ndocs)
			return false;
		dllb_bm25_doc_tid(so->docs[so->next++], &scan->xs_heaptid);
		return true;
	}

	if (so->next >= so->nhits)
	{
		if (so->exhausted)
			return false;
		old = MemoryContextSwitchTo(so->cxt);
		if (so->hits)
			pfree(so->hits);
		so->k = so->k == 0 ? BM25_FIRST_BATCH : Min(so->k * 4, BM25_MAX_BATCH);
		if (so->k > BM25_TOPK_BATCHES_UP_TO)
		{
			/* the executor keeps wanting more: rank every match once */
			so->nhits = (int) dllb_bm25_ranked_all(so->rank, so->filters, so->nfilters,
												   so->has_last, so->last_score,
												   so->last_doc, &so->hits);
			so->exhausted = true;
			/* a heap, best on top: a few pops cost less than a full sort */
			so->heap = true;
			dllb_bm25_hits_heapify(so->hits, so->nhits);
		}
		else
		{
			so->hits = palloc(sizeof(Bm25Hit) * so->k);
			so->nhits = dllb_bm25_topk(so->rank, so->filters, so->nfilters, so->k,
									   so->has_last, so->last_score, so->last_doc,
									   so->hits);
			if (so->nhits < so->k)
				so->exhausted = true;
		}
		MemoryContextSwitchTo(old);
		so->next = 0;
		if (so->nhits == 0)
			return false;
	}
	{
		Bm25Hit    *h;
		Bm25Hit		top;

		if (so->heap)
		{
			top = dllb_bm25_hits_pop(so->hits, so->nhits - so->next);
			so->next++;
			h = &top;
		}
		else
			h = &so->hits[so->next++];

		dllb_bm25_doc_tid(h->doc, &scan->xs_heaptid);
		so->has_last = true;
		so->last_score = h->score;
		so->last_doc = h->doc;
		scan->xs_orderbyvals[0] = Float8GetDatum(-h->score);
		scan->xs_orderbynulls[0] = false;
		stash_touch(so->stash_slot, so->stash_serial, scan->heapRelation,
					&scan->xs_heaptid, h->score);
	}
	return true;
}

typedef struct BitmapArg
{
	TIDBitmap  *tbm;
} BitmapArg;

static void
bitmap_doc(uint64 doc, void *arg)
{
	BitmapArg  *b = (BitmapArg *) arg;
	ItemPointerData tid;

	dllb_bm25_doc_tid(doc, &tid);
	tbm_add_tuples(b->tbm, &tid, 1, false);
}

int64
dllb_bm25_getbitmap(IndexScanDesc scan, TIDBitmap *tbm)
{
	Bm25ScanOpaque so = (Bm25ScanOpaque) scan->opaque;
	BitmapArg	b;
	int64		n;

	if (so->exhausted)
		return 0;
	if (!so->prepared)
		prepare(scan);
	if (so->nfilters == 0)
		return 0;
	b.tbm = tbm;
	n = dllb_bm25_matches(so->filters[0], so->filters + 1, so->nfilters - 1, bitmap_doc, &b);
	so->exhausted = true;
	return n;
}

void
dllb_bm25_endscan(IndexScanDesc scan)
{
	Bm25ScanOpaque so = (Bm25ScanOpaque) scan->opaque;

	MemoryContextDelete(so->cxt);
	pfree(so);
	scan->opaque = NULL;
}

/* ---- operators --------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(dllb_bm25_match);
PG_FUNCTION_INFO_V1(dllb_bm25_rank);
PG_FUNCTION_INFO_V1(dllb_bm25_score);
PG_FUNCTION_INFO_V1(dllb_bm25_score_index);
PG_FUNCTION_INFO_V1(dllb_bm25_score_surreal);

/*
 * the score the latest scan of query on index gave the row body is in,
 * when that scan returned it last
 */
static bool
last_row_score(const void *body, text *query, Oid index, double *score)
{
	int			best = -1;
	int			i;

	if (stash_lxid != MyProc->lxid)
		return false;
	for (i = 0; i < STASH_SIZE; i++)
		if (stash_same_text(&stash[i], query) && stash[i].index == index &&
			(best < 0 || stash[i].touched > stash[best].touched))
			best = i;
	if (best < 0 || !stash[best].has_last ||
		!datum_is_row(body, &stash[best]))
		return false;
	*score = stash[best].last_score;
	return true;
}

/*
 * What one call site of an operator or of dllb.score keeps for the rest
 * of its statement (fn_extra, in the statement's memory): the index its
 * queries are bound to, that index's configuration and, for scores, the
 * query last prepared against it, with the index's statistics as they were
 * when the statement first needed them.
 */
typedef struct Bm25Call
{
	Oid			index;			/* InvalidOid: nothing looked up yet */
	Bm25Config	cfg;
	bool		readable;		/* the caller may read the index's table */
	text	   *qtext;			/* the query q was prepared for */
	Bm25Query  *q;				/* with its cursors, for scores by document */
	bool		have_heap;		/* heap_node is the index's table */
#if PG_VERSION_NUM >= 160000
	RelFileLocator heap_node;
#else
	RelFileNode heap_node;
#endif
} Bm25Call;

/*
 * the call site's state for index; scoring: the caller reads the index's
 * statistics, so it must be able to read its table
 */
static Bm25Call *
call_state(FmgrInfo *flinfo, Oid index, bool scoring)
{
	Bm25Call   *c = (Bm25Call *) flinfo->fn_extra;
	Relation	irel;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(Bm25Call));
		flinfo->fn_extra = c;
	}
	if (c->index == index && (c->readable || !scoring))
		return c;
	irel = dllb_open_index(index, "dllb_bm25");
	if (scoring)
		dllb_check_index_readable(irel);
	dllb_bm25_config(irel, &c->cfg);
	relation_close(irel, AccessShareLock);
	if (c->index != index)
	{
		c->qtext = NULL;
		c->q = NULL;
		c->have_heap = false;
	}
	c->index = index;
	c->readable = scoring;
	return c;
}

/* the index a query value is bound to, or InvalidOid */
static Oid
query_index(text *query)
{
	uint32		index;
	int			len;

	(void) dllb_bm25query_body(VARDATA_ANY(query), VARSIZE_ANY_EXHDR(query), &len, &index);
	return (Oid) index;
}

/*
 * q's BM25 score of the text datum body_datum with the statistics of index
 * (0 when it does not match).  The caller must be able to read the index's
 * table: the statistics describe every row of it.
 *
 * The datum is looked at as the executor hands it over, before any
 * detoasting: a long text stored compressed or out of line is, in the row
 * the scan just returned, a pointer into that row in its buffer, so its
 * score is the scan's own, and the text is neither read nor analyzed.
 * Only another row's text is detoasted and analyzed.
 */
static double
index_score(FmgrInfo *flinfo, Datum body_datum, text *query, Oid index, bool surreal)
{
	Bm25Call   *c;
	Bm25Doc		doc;
	bool		match;
	double		score;
	text	   *body;

	if (!surreal && last_row_score(DatumGetPointer(body_datum), query, index, &score))
		return score;
	c = call_state(flinfo, index, true);
	if (c->q == NULL || VARSIZE_ANY(c->qtext) != VARSIZE_ANY(query) ||
		memcmp(c->qtext, query, VARSIZE_ANY(query)) != 0)
	{
		/* prepared once per call site and query, cursors and all */
		MemoryContext old = MemoryContextSwitchTo(flinfo->fn_mcxt);
		Relation	irel = index_open(index, AccessShareLock);

		c->q = dllb_bm25_query_prepare(irel, query);
		if (surreal)
			dllb_bm25_query_surreal(c->q);
		index_close(irel, AccessShareLock);
		c->qtext = (text *) DatumGetPointer(datumCopy(PointerGetDatum(query), false, -1));
		MemoryContextSwitchTo(old);
	}
	if (!c->have_heap)
	{
		Relation	irel = index_open(index, AccessShareLock);
		Relation	heap = table_open(irel->rd_index->indrelid, AccessShareLock);

#if PG_VERSION_NUM >= 160000
		c->heap_node = heap->rd_locator;
#else
		c->heap_node = heap->rd_node;
#endif
		table_close(heap, AccessShareLock);
		index_close(irel, AccessShareLock);
		c->have_heap = true;
	}
	{
		uint64		docno;

		if (datum_doc(DatumGetPointer(body_datum), &c->heap_node, &docno))
		{
			/*
			 * the row is in a buffer of the index's table: its postings
			 * (the cursors' arrays live as long as the query, in fn_mcxt)
			 */
			Relation	irel = index_open(index, AccessShareLock);
			MemoryContext old = MemoryContextSwitchTo(flinfo->fn_mcxt);

			dllb_bm25_query_eval_at_doc(c->q, irel, docno, &match, &score);
			MemoryContextSwitchTo(old);
			index_close(irel, AccessShareLock);
			return score;
		}
	}
	body = DatumGetTextPP(body_datum);
	dllb_bm25_analyze_doc(&c->q->cfg, VARDATA_ANY(body), VARSIZE_ANY_EXHDR(body), &doc);
	dllb_bm25_query_eval_doc(c->q, &doc, &match, &score);
	return match ? score : 0;
}

/* a score needs an index: the error when the query is not bound to one */
static void
no_index_for_score(text *query)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("a BM25 score needs a dllb_bm25 index on the expression it ranks"),
			 errdetail("No dllb_bm25 index of the table is on that expression, so there are no statistics to score the query \"%s\" with.",
					   text_to_cstring(query)),
			 errhint("CREATE INDEX ... USING dllb_bm25 on the column, or use dllb.score(text, query, index).")));
}

/*
 * text @@@ dllb.bm25query: does the text match, with the analyzer of the
 * index the query is bound to (dllb.bm25_default_analyzer's when it is not
 * bound: the planner found no dllb_bm25 index on the expression)
 */
Datum
dllb_bm25_match(PG_FUNCTION_ARGS)
{
	text	   *body = PG_GETARG_TEXT_PP(0);
	text	   *query = PG_GETARG_TEXT_PP(1);
	Oid			index = query_index(query);
	Bm25Config	cfg;
	Bm25Doc		doc;
	Bm25Query  *q;
	bool		match;
	double		score;

	if (OidIsValid(index))
		cfg = call_state(fcinfo->flinfo, index, false)->cfg;
	else
	{
		memset(&cfg, 0, sizeof(cfg));
		dllb_analyzer_resolve(dllb_bm25_default_analyzer, &cfg.analyzer);
		cfg.k1 = BM25_DEFAULT_K1;
		cfg.b = BM25_DEFAULT_B;
		cfg.positions = true;
	}
	dllb_bm25_analyze_doc(&cfg, VARDATA_ANY(body), VARSIZE_ANY_EXHDR(body), &doc);
	q = dllb_bm25_query_for_text(&cfg, query, &doc);
	dllb_bm25_query_eval_doc(q, &doc, &match, &score);
	PG_RETURN_BOOL(match);
}

/* text <@> dllb.bm25query: minus the BM25 score */
Datum
dllb_bm25_rank(PG_FUNCTION_ARGS)
{
	Datum		body = PG_GETARG_DATUM(0);	/* not detoasted: see index_score */
	text	   *query = PG_GETARG_TEXT_PP(1);
	Oid			index = query_index(query);
	double		score;

	if (!OidIsValid(index))
		no_index_for_score(query);
	score = index_score(fcinfo->flinfo, body, query, index, false);
	PG_RETURN_FLOAT8(score == 0 ? 0 : -score);
}

/* dllb.score(text, dllb.bm25query): the BM25 score */
Datum
dllb_bm25_score(PG_FUNCTION_ARGS)
{
	Datum		body = PG_GETARG_DATUM(0);	/* not detoasted: see index_score */
	text	   *query = PG_GETARG_TEXT_PP(1);
	Oid			index = query_index(query);

	if (!OidIsValid(index))
		no_index_for_score(query);
	PG_RETURN_FLOAT8(index_score(fcinfo->flinfo, body, query, index, false));
}

/*
 * dllb.score(text, dllb.bm25query, index regclass): the BM25 score with
 * that index's statistics, in any plan (the dialect's search::score)
 */
Datum
dllb_bm25_score_index(PG_FUNCTION_ARGS)
{
	Datum		body = PG_GETARG_DATUM(0);	/* not detoasted: see index_score */
	text	   *query = PG_GETARG_TEXT_PP(1);
	Oid			index = PG_GETARG_OID(2);

	if (query_index(query) != index)
		query = dllb_bm25query_bound(query, index);	/* the same query, on that index */
	PG_RETURN_FLOAT8(index_score(fcinfo->flinfo, body, query, index, false));
}

/*
 * dllb.surql_score(text, dllb.bm25query, index regclass): the score as
 * SurrealDB computes it (dllb_bm25_query_surreal), with that index's
 * statistics, as a float4 as SurrealDB keeps it (the dialect's
 * search::score)
 */
Datum
dllb_bm25_score_surreal(PG_FUNCTION_ARGS)
{
	Datum		body = PG_GETARG_DATUM(0);	/* not detoasted: see index_score */
	text	   *query = PG_GETARG_TEXT_PP(1);
	Oid			index = PG_GETARG_OID(2);

	if (query_index(query) != index)
		query = dllb_bm25query_bound(query, index);
	PG_RETURN_FLOAT4((float4) index_score(fcinfo->flinfo, body, query, index, true));
}
