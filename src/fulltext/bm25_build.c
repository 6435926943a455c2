/*-------------------------------------------------------------------------
 *
 * bm25_build.c
 *	  CREATE INDEX for dllb_bm25: analyze every row, invert in memory (a
 *	  segment each time maintenance_work_mem fills), merge those into one.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_build.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/tableam.h"
#include "catalog/index.h"
#include "commands/progress.h"
#include "miscadmin.h"
#include "utils/backend_progress.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "fulltext/bm25.h"

/* build phases for pg_stat_progress_create_index */
#define BM25_PHASE_SCAN		2
#define BM25_PHASE_MERGE	3

typedef struct BuildState
{
	Relation	index;
	Bm25Config cfg;
	MemoryContext tmpcxt;		/* one row's analysis */
	MemoryContext doccxt;		/* the documents not yet written */
	Bm25Doc    *docs;
	int			ndocs;
	int			cap;
	Size		limit;
	Bm25Segment *segs;
	int			nsegs;
	int			segcap;
	double		indtuples;
	uint64		ndocs_all;
	uint64		sumdl_all;
} BuildState;

static void
write_pending(BuildState *bs)
{
	Bm25Segment seg;

	if (bs->ndocs == 0)
		return;
	dllb_bm25_write_docs(bs->index, bs->docs, bs->ndocs, bs->cfg.positions, &seg);
	if (seg.ndocs > 0)
	{
		if (bs->nsegs == bs->segcap)
		{
			bs->segcap *= 2;
			bs->segs = repalloc(bs->segs, sizeof(Bm25Segment) * bs->segcap);
		}
		bs->segs[bs->nsegs++] = seg;
	}
	MemoryContextReset(bs->doccxt);
	bs->docs = NULL;
	bs->ndocs = 0;
	bs->cap = 0;
}

/* a compact copy of d in the document context */
static void
keep_doc(BuildState *bs, const Bm25Doc *d)
{
	MemoryContext old = MemoryContextSwitchTo(bs->doccxt);
	Bm25Doc    *k;
	Size		bytes = 0;
	char	   *arena;
	int			i;

	if (bs->ndocs == bs->cap)
	{
		bs->cap = bs->cap ? bs->cap * 2 : 1024;
		bs->docs = bs->docs ? repalloc_huge(bs->docs, sizeof(Bm25Doc) * bs->cap)
			: palloc(sizeof(Bm25Doc) * bs->cap);
	}
	k = &bs->docs[bs->ndocs++];
	*k = *d;
	for (i = 0; i < d->nterms; i++)
		bytes += d->terms[i].len + (bs->cfg.positions ? sizeof(uint32) * d->terms[i].npos : 0);
	k->terms = palloc(sizeof(Bm25DocTerm) * d->nterms);
	arena = palloc(Max(bytes, 1));
	for (i = 0; i < d->nterms; i++)
	{
		k->terms[i] = d->terms[i];
		memcpy(arena, d->terms[i].term, d->terms[i].len);
		k->terms[i].term = arena;
		arena += d->terms[i].len;
		if (bs->cfg.positions)
		{
			memcpy(arena, d->terms[i].pos, sizeof(uint32) * d->terms[i].npos);
			k->terms[i].pos = (uint32 *) arena;
			arena += sizeof(uint32) * d->terms[i].npos;
		}
		else
		{
			k->terms[i].pos = NULL;
			k->terms[i].npos = 0;
		}
	}
	MemoryContextSwitchTo(old);
}

static void
build_callback(Relation index, ItemPointer tid, Datum *values, bool *isnull,
			   bool tupleIsAlive, void *state)
{
	BuildState *bs = (BuildState *) state;
	MemoryContext old;
	text	   *t;
	Bm25Doc		d;

	if (isnull[0])
		return;
	old = MemoryContextSwitchTo(bs->tmpcxt);
	t = DatumGetTextPP(values[0]);
	dllb_bm25_analyze_doc(&bs->cfg, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &d);
	d.doc = dllb_bm25_tid_doc(tid);
	MemoryContextSwitchTo(old);
	if (d.nterms > 0)
	{
		keep_doc(bs, &d);
		bs->ndocs_all++;
		bs->sumdl_all += d.dl;
	}
	MemoryContextReset(bs->tmpcxt);
	bs->indtuples += 1;
	if (MemoryContextMemAllocated(bs->doccxt, true) > bs->limit)
		write_pending(bs);
}

/* write an empty index's meta page and buffer page into fork */
static void
write_empty(Relation index, ForkNumber fork)
{
	Buffer		metabuf = ReadBufferExtended(index, fork, P_NEW, RBM_NORMAL, NULL);
	Buffer		bufbuf;
	GenericXLogState *state;
	Page		page;
	Bm25Meta	m;

	LockBuffer(metabuf, BUFFER_LOCK_EXCLUSIVE);
	bufbuf = ReadBufferExtended(index, fork, P_NEW, RBM_NORMAL, NULL);
	LockBuffer(bufbuf, BUFFER_LOCK_EXCLUSIVE);
	Assert(BufferGetBlockNumber(metabuf) == BM25_META_BLKNO);

	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, metabuf, GENERIC_XLOG_FULL_IMAGE);
	dllb_bm25_init_page(page, BM25_PAGE_META);
	m = Bm25PageGetMeta(page);
	memset(m, 0, sizeof(Bm25MetaData));
	m->magic = BM25_MAGIC;
	m->version = BM25_VERSION;
	m->buf_head = BufferGetBlockNumber(bufbuf);
	m->buf_tail = m->buf_head;
	m->buf_pages = 1;
	((PageHeader) page)->pd_lower = ((char *) m + sizeof(Bm25MetaData)) - (char *) page;
	page = GenericXLogRegisterBuffer(state, bufbuf, GENERIC_XLOG_FULL_IMAGE);
	dllb_bm25_init_page(page, BM25_PAGE_BUFFER);
	GenericXLogFinish(state);
	UnlockReleaseBuffer(bufbuf);
	UnlockReleaseBuffer(metabuf);
}

IndexBuildResult *
dllb_bm25_build(Relation heap, Relation index, IndexInfo *indexInfo)
{
	BuildState	bs;
	IndexBuildResult *result;
	double		reltuples;
	Bm25Segment final;
	bool		have = false;
	Buffer		buf;
	GenericXLogState *state;
	Page		page;
	Bm25Meta	m;

	if (RelationGetNumberOfBlocks(index) != 0)
		elog(ERROR, "index \"%s\" already contains data", RelationGetRelationName(index));

	memset(&bs, 0, sizeof(bs));
	bs.index = index;
	dllb_bm25_config(index, &bs.cfg);
	bs.tmpcxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_bm25 build row",
									  ALLOCSET_DEFAULT_SIZES);
	bs.doccxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_bm25 build documents",
									  ALLOCSET_DEFAULT_SIZES);
	bs.limit = (Size) maintenance_work_mem * 1024;
	bs.segcap = 8;
	bs.segs = palloc(sizeof(Bm25Segment) * bs.segcap);

	write_empty(index, MAIN_FORKNUM);

	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, BM25_PHASE_SCAN);
	reltuples = table_index_build_scan(heap, index, indexInfo, true, true,
									   build_callback, &bs, NULL);
	write_pending(&bs);

	/* merge the spills, at most 16 at a time */
	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, BM25_PHASE_MERGE);
	while (bs.nsegs > 1)
	{
		int			take = Min(bs.nsegs, 16);
		Bm25Segment out;
		uint64		rd;
		uint64		rs;
		int			i;

		if (!dllb_bm25_merge(index, bs.segs, take, bs.cfg.positions, NULL, NULL,
							 &out, &rd, &rs))
			elog(ERROR, "dllb_bm25: a merge lost every document");
		/* the inputs' pages are written; free them now, nobody reads them */
		{
			Bm25MetaData tmp;

			memset(&tmp, 0, sizeof(tmp));
			for (i = 0; i < take; i++)
				dllb_bm25_add_garbage(&tmp, bs.segs[i].dir_head, bs.segs[i].dict_head,
									  bs.segs[i].post_head);
			/* recorded on the meta page below; recycled by VACUUM */
			buf = ReadBuffer(index, BM25_META_BLKNO);
			LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
			state = GenericXLogStart(index);
			page = GenericXLogRegisterBuffer(state, buf, 0);
			m = Bm25PageGetMeta(page);
			for (i = 0; i < (int) tmp.ngarbage; i++)
				if (m->ngarbage < BM25_MAX_GARBAGE)
					m->garbage[m->ngarbage++] = tmp.garbage[i];
			GenericXLogFinish(state);
			UnlockReleaseBuffer(buf);
		}
		memmove(bs.segs, bs.segs + take, sizeof(Bm25Segment) * (bs.nsegs - take));
		bs.nsegs -= take;
		bs.segs[bs.nsegs++] = out;
	}
	if (bs.nsegs == 1)
	{
		final = bs.segs[0];
		have = true;
	}

	buf = ReadBuffer(index, BM25_META_BLKNO);
	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, 0);
	m = Bm25PageGetMeta(page);
	m->ndocs = bs.ndocs_all;
	m->sumdl = bs.sumdl_all;
	if (have)
	{
		final.id = m->next_segment_id++;
		m->segments[m->nsegments++] = final;
	}
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);

	/* spills merged during the build can go at once */
	dllb_bm25_recycle(index, true);

	MemoryContextDelete(bs.tmpcxt);
	MemoryContextDelete(bs.doccxt);
	result = palloc(sizeof(IndexBuildResult));
	result->heap_tuples = reltuples;
	result->index_tuples = bs.indtuples;
	return result;
}

void
dllb_bm25_buildempty(Relation index)
{
	write_empty(index, INIT_FORKNUM);
}
