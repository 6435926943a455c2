/*-------------------------------------------------------------------------
 *
 * bm25_scan.c
 *	  dllb_bm25 index scans, and the operators @@@ and <@> and dllb.score.
 *
 * An ordered scan (ORDER BY body <@> q) hands out the top k, best first,
 * k = 10 first and four times more each time the executor wants more than
 * the last batch had; each new batch starts where the last ended (after
 * its last (score, TID)), so rows come out exactly once, in order, however
 * many the executor pulls.  @@@ conditions on the same index scan filter
 * inside the top-k loop.  A bitmap scan (and an unordered index scan)
 * walks every match in TID order.
 *
 * The score of a row the scan returned is remembered for the statement, by
 * query text, with the statistics the scan used: <@> and dllb.score over
 * that row's text give exactly the scan's value (they analyze the text,
 * so they do not need the index).  @@@ outside an index scan analyzes the
 * text with the analyzer of the statement's scan of that query, or else
 * with dllb.bm25_default_analyzer.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_scan.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/relscan.h"
#include "access/xact.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "fulltext/bm25_query.h"

#define BM25_FIRST_BATCH	10
#define BM25_MAX_BATCH		(1 << 20)

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
	bool		has_last;
	double		last_score;
	uint64		last_doc;
	/* unordered: every match */
	uint64	   *docs;
	int64		ndocs;
	int64		cap;
	/* the scan keys as given */
	text	  **keyq;
	int			nkeyq;
	text	   *orderq;
} Bm25ScanOpaqueData;

typedef Bm25ScanOpaqueData *Bm25ScanOpaque;

/* ---- the statement's remembered queries ---------------------------------- */

#define STASH_SIZE 8

typedef struct StashEntry
{
	char	   *qtext;
	int			qlen;
	Bm25Query  *q;				/* lexemes, items and statistics; no cursors */
} StashEntry;

static MemoryContext stash_cxt = NULL;
static StashEntry stash[STASH_SIZE];
static int	stash_n = 0;
static TimestampTz stash_stmt = 0;
static LocalTransactionId stash_lxid = InvalidLocalTransactionId;

static bool
stash_current(void)
{
	return stash_n > 0 && stash_stmt == GetCurrentStatementStartTimestamp() &&
		stash_lxid == MyProc->lxid;
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

static void
stash_put(text *query, const Bm25Query *q)
{
	MemoryContext old;
	int			i;

	if (stash_cxt == NULL)
		stash_cxt = AllocSetContextCreate(TopMemoryContext, "dllb_bm25 scores",
										  ALLOCSET_SMALL_SIZES);
	if (!stash_current())
	{
		MemoryContextReset(stash_cxt);
		stash_n = 0;
		stash_stmt = GetCurrentStatementStartTimestamp();
		stash_lxid = MyProc->lxid;
	}
	for (i = 0; i < stash_n; i++)
		if (stash[i].qlen == (int) VARSIZE_ANY_EXHDR(query) &&
			memcmp(stash[i].qtext, VARDATA_ANY(query), stash[i].qlen) == 0)
			return;				/* the first scan of it wins */
	if (stash_n == STASH_SIZE)
		return;
	old = MemoryContextSwitchTo(stash_cxt);
	stash[stash_n].qlen = VARSIZE_ANY_EXHDR(query);
	stash[stash_n].qtext = pnstrdup(VARDATA_ANY(query), stash[stash_n].qlen);
	stash[stash_n].q = stash_copy(q);
	stash_n++;
	MemoryContextSwitchTo(old);
}

static Bm25Query *
stash_get(text *query)
{
	int			i;

	if (!stash_current())
		return NULL;
	for (i = 0; i < stash_n; i++)
		if (stash[i].qlen == (int) VARSIZE_ANY_EXHDR(query) &&
			memcmp(stash[i].qtext, VARDATA_ANY(query), stash[i].qlen) == 0)
			return stash[i].q;
	return NULL;
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
	so->has_last = false;
	so->docs = NULL;
	so->ndocs = so->cap = 0;

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
		stash_put(so->keyq[i], so->filters[so->nfilters - 1]);
	}
	if (so->orderq)
	{
		so->rank = dllb_bm25_query_prepare(scan->indexRelation, so->orderq);
		stash_put(so->orderq, so->rank);
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
		so->k = so->k == 0 ? BM25_FIRST_BATCH : Min(so->k * 4, BM25_MAX_BATCH);
		old = MemoryContextSwitchTo(so->cxt);
		if (so->hits)
			pfree(so->hits);
		so->hits = palloc(sizeof(Bm25Hit) * so->k);
		so->nhits = dllb_bm25_topk(so->rank, so->filters, so->nfilters, so->k,
								   so->has_last, so->last_score, so->last_doc, so->hits);
		MemoryContextSwitchTo(old);
		so->next = 0;
		if (so->nhits < so->k)
			so->exhausted = true;
		if (so->nhits == 0)
			return false;
	}
	{
		Bm25Hit    *h = &so->hits[so->next++];

		dllb_bm25_doc_tid(h->doc, &scan->xs_heaptid);
		so->has_last = true;
		so->last_score = h->score;
		so->last_doc = h->doc;
		scan->xs_orderbyvals[0] = Float8GetDatum(-h->score);
		scan->xs_orderbynulls[0] = false;
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

/* q's score of body, with the statement's scan statistics */
static bool
score_text(text *body, text *query, bool need_scan, double *score)
{
	Bm25Query  *q = stash_get(query);
	Bm25Config	cfg;
	Bm25Doc		doc;
	bool		match;

	if (q == NULL)
	{
		if (need_scan)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("BM25 scores come from a dllb_bm25 index scan"),
					 errdetail("No dllb_bm25 index scan of the query \"%s\" ran in this statement.",
							   text_to_cstring(query)),
					 errhint("Create a dllb_bm25 index on the column and order by column <@> query with a LIMIT; the score of a row that scan returns is then available in the same statement.")));
		memset(&cfg, 0, sizeof(cfg));
		dllb_analyzer_resolve(dllb_bm25_default_analyzer, &cfg.analyzer);
		cfg.k1 = BM25_DEFAULT_K1;
		cfg.b = BM25_DEFAULT_B;
		cfg.positions = true;
		dllb_bm25_analyze_doc(&cfg, VARDATA_ANY(body), VARSIZE_ANY_EXHDR(body), &doc);
		q = dllb_bm25_query_for_text(&cfg, query, &doc);
	}
	else
		dllb_bm25_analyze_doc(&q->cfg, VARDATA_ANY(body), VARSIZE_ANY_EXHDR(body), &doc);
	dllb_bm25_query_eval_doc(q, &doc, &match, score);
	if (!match)
		*score = 0;
	return match;
}

/* text @@@ dllb.bm25query: does the row match */
Datum
dllb_bm25_match(PG_FUNCTION_ARGS)
{
	text	   *body = PG_GETARG_TEXT_PP(0);
	text	   *query = PG_GETARG_TEXT_PP(1);
	double		score;

	PG_RETURN_BOOL(score_text(body, query, false, &score));
}

/* text <@> dllb.bm25query: minus the BM25 score */
Datum
dllb_bm25_rank(PG_FUNCTION_ARGS)
{
	text	   *body = PG_GETARG_TEXT_PP(0);
	text	   *query = PG_GETARG_TEXT_PP(1);
	double		score;

	score_text(body, query, true, &score);
	PG_RETURN_FLOAT8(score == 0 ? 0 : -score);
}

/* dllb.score(text, dllb.bm25query): the BM25 score */
Datum
dllb_bm25_score(PG_FUNCTION_ARGS)
{
	text	   *body = PG_GETARG_TEXT_PP(0);
	text	   *query = PG_GETARG_TEXT_PP(1);
	double		score;

	score_text(body, query, true, &score);
	PG_RETURN_FLOAT8(score);
}
