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
#include "catalog/dependency.h"
#include "catalog/index.h"
#include "catalog/pg_class.h"
#include "catalog/pg_ts_config.h"
#include "commands/progress.h"
#include "miscadmin.h"
#include "utils/backend_progress.h"
#include "common/hashfn.h"
#include "storage/buffile.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "fulltext/bm25.h"

/* build phases for pg_stat_progress_create_index */
#define BM25_PHASE_SCAN		2
#define BM25_PHASE_MERGE	3

/*
 * One term's postings while building, varint-packed (a few bytes each, so
 * a big table's postings fit maintenance_work_mem and need no spill):
 * per posting zigzag(doc - previous doc), tf, dl, and with positions
 * their count and deltas.  Documents come in heap order, so they are
 * sorted at the end only when a HOT chain's root put one out of order.
 */
typedef struct TermAcc
{
	char	   *term;
	int			len;
	uint32		hash;
	int			n;
	uint64		lastdoc;
	bool		sorted;
	uint8	   *buf;
	Size		blen;
	Size		bcap;
} TermAcc;

typedef struct BuildState
{
	Relation	index;
	Bm25Config	cfg;
	MemoryContext tmpcxt;		/* one row's analysis */
	MemoryContext acccxt;		/* the postings not yet written */
	MemoryContext termcxt;		/* one term's postings, decoded */
	/* open-addressing table of the terms */
	TermAcc   **slots;
	uint32		nslots;
	uint32		nterms;
	Size		bytes;			/* what the postings take, roughly */
	Size		limit;
	uint64		seg_docs;
	uint64		seg_sumdl;
	BufFile   **runs;			/* spilled runs, when memory filled */
	int			nruns;
	int			runcap;
	Bm25Segment seg;			/* the result */
	bool		have_seg;
	double		indtuples;
	uint64		ndocs_all;
	uint64		sumdl_all;
} BuildState;

static void
table_init(BuildState *bs)
{
	bs->nslots = 1 << 16;
	bs->nterms = 0;
	bs->slots = MemoryContextAllocZero(bs->acccxt, sizeof(TermAcc *) * bs->nslots);
	bs->bytes = sizeof(TermAcc *) * bs->nslots;
	bs->seg_docs = 0;
	bs->seg_sumdl = 0;
}

static void
table_grow(BuildState *bs)
{
	uint32		n = bs->nslots * 2;
	TermAcc   **slots = MemoryContextAllocExtended(bs->acccxt, sizeof(TermAcc *) * n,
												   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	uint32		i;

	for (i = 0; i < bs->nslots; i++)
	{
		TermAcc    *t = bs->slots[i];
		uint32		h;

		if (t == NULL)
			continue;
		for (h = t->hash & (n - 1); slots[h]; h = (h + 1) & (n - 1))
			;
		slots[h] = t;
	}
	pfree(bs->slots);
	bs->bytes += sizeof(TermAcc *) * (n - bs->nslots);
	bs->slots = slots;
	bs->nslots = n;
}

static TermAcc *
table_term(BuildState *bs, const char *term, int len)
{
	uint32		hash = hash_bytes((const unsigned char *) term, len);
	uint32		h;
	TermAcc    *t;

	for (h = hash & (bs->nslots - 1); (t = bs->slots[h]) != NULL; h = (h + 1) & (bs->nslots - 1))
		if (t->hash == hash && t->len == len && memcmp(t->term, term, len) == 0)
			return t;
	t = MemoryContextAllocZero(bs->acccxt, sizeof(TermAcc) + len);
	t->term = (char *) (t + 1);
	memcpy(t->term, term, len);
	t->len = len;
	t->hash = hash;
	t->sorted = true;
	bs->slots[h] = t;
	bs->nterms++;
	bs->bytes += sizeof(TermAcc) + len + 16;
	if (bs->nterms * 2 > bs->nslots)
		table_grow(bs);
	return t;
}

static inline uint8 *
put_varint(uint8 *p, uint64 v)
{
	while (v >= 0x80)
	{
		*p++ = (uint8) ((v & 0x7F) | 0x80);
		v >>= 7;
	}
	*p++ = (uint8) v;
	return p;
}

static inline const uint8 *
get_varint(const uint8 *p, uint64 *v)
{
	uint64		out = 0;
	int			shift = 0;

	for (;;)
	{
		uint8		c = *p++;

		out |= (uint64) (c & 0x7F) << shift;
		if ((c & 0x80) == 0)
			break;
		shift += 7;
	}
	*v = out;
	return p;
}

static void
term_add(BuildState *bs, TermAcc *t, uint64 doc, const Bm25DocTerm *dt, uint32 dl)
{
	int			npos = bs->cfg.positions ? dt->npos : 0;
	Size		need = 10 * 4 + 5 * (Size) npos;
	int64		delta = (int64) doc - (int64) t->lastdoc;
	uint8	   *p;
	uint32		prev = 0;
	int			k;

	if (t->blen + need > t->bcap)
	{
		Size		cap = Max(t->bcap * 2, t->blen + need);

		cap = Max(cap, 16);
		t->buf = t->buf ? repalloc_huge(t->buf, cap) : MemoryContextAlloc(bs->acccxt, cap);
		bs->bytes += cap - t->bcap;
		t->bcap = cap;
	}
	if (t->n > 0 && doc < t->lastdoc)
		t->sorted = false;
	p = t->buf + t->blen;
	p = put_varint(p, delta >= 0 ? (uint64) delta << 1 : (((uint64) (-delta)) << 1) | 1);
	p = put_varint(p, dt->tf);
	p = put_varint(p, dl);
	if (bs->cfg.positions)
	{
		p = put_varint(p, npos);
		for (k = 0; k < npos; k++)
		{
			p = put_varint(p, dt->pos[k] - prev);
			prev = dt->pos[k];
		}
	}
	t->blen = p - t->buf;
	t->lastdoc = doc;
	t->n++;
}

static int
termacc_cmp(const void *a, const void *b)
{
	const TermAcc *x = *(TermAcc *const *) a;
	const TermAcc *y = *(TermAcc *const *) b;

	return dllb_bm25_term_cmp(x->term, x->len, y->term, y->len);
}

typedef struct PostingOrder
{
	DllbPosting p;
	int			npos;
	uint32	   *pos;
} PostingOrder;

static int
postingorder_cmp(const void *a, const void *b)
{
	const PostingOrder *x = a;
	const PostingOrder *y = b;

	return (x->p.doc > y->p.doc) - (x->p.doc < y->p.doc);
}

/* decode a term's postings into tp (in the term context) */
static void
term_decode(BuildState *bs, TermAcc *t, Bm25TermPostings *tp)
{
	const uint8 *p = t->buf;
	uint64		doc = 0;
	int			k;
	uint32	   *arena = NULL;

	tp->term = t->term;
	tp->len = t->len;
	tp->n = t->n;
	tp->postings = palloc(sizeof(DllbPosting) * t->n);
	tp->npos = NULL;
	tp->pos = NULL;
	if (bs->cfg.positions)
	{
		tp->npos = palloc(sizeof(int) * t->n);
		tp->pos = palloc(sizeof(uint32 *) * t->n);
		arena = palloc(sizeof(uint32) * (t->blen + 1));
	}
	for (k = 0; k < t->n; k++)
	{
		uint64		v;

		p = get_varint(p, &v);
		doc = (v & 1) ? doc - (v >> 1) : doc + (v >> 1);
		tp->postings[k].doc = doc;
		p = get_varint(p, &v);
		tp->postings[k].tf = (uint32) v;
		p = get_varint(p, &v);
		tp->postings[k].dl = (uint32) v;
		if (bs->cfg.positions)
		{
			uint64		np;
			uint32		prev = 0;
			uint64		j;

			p = get_varint(p, &np);
			tp->npos[k] = (int) np;
			tp->pos[k] = arena;
			for (j = 0; j < np; j++)
			{
				p = get_varint(p, &v);
				prev += (uint32) v;
				*arena++ = prev;
			}
		}
	}
	if (!t->sorted)
	{
		PostingOrder *o = palloc(sizeof(PostingOrder) * t->n);

		for (k = 0; k < t->n; k++)
		{
			o[k].p = tp->postings[k];
			o[k].npos = tp->npos ? tp->npos[k] : 0;
			o[k].pos = tp->pos ? tp->pos[k] : NULL;
		}
		qsort(o, t->n, sizeof(PostingOrder), postingorder_cmp);
		for (k = 0; k < t->n; k++)
		{
			tp->postings[k] = o[k].p;
			if (tp->npos)
			{
				tp->npos[k] = o[k].npos;
				tp->pos[k] = o[k].pos;
			}
		}
	}
}

/* the accumulated terms, sorted */
static TermAcc **
sorted_terms(BuildState *bs, uint32 *n)
{
	TermAcc   **terms = MemoryContextAllocHuge(bs->acccxt, sizeof(TermAcc *) * Max(bs->nterms, 1));
	uint32		i;

	*n = 0;
	for (i = 0; i < bs->nslots; i++)
		if (bs->slots[i])
			terms[(*n)++] = bs->slots[i];
	qsort(terms, *n, sizeof(TermAcc *), termacc_cmp);
	return terms;
}

/* the accumulated postings as the index's one segment */
static void
write_segment(BuildState *bs)
{
	uint32		n;
	uint32		i;
	TermAcc   **terms = sorted_terms(bs, &n);
	Bm25SegmentWriter *w = dllb_bm25_writer_begin(bs->index, bs->cfg.positions);

	for (i = 0; i < n; i++)
	{
		Bm25TermPostings tp;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(bs->termcxt);
		term_decode(bs, terms[i], &tp);
		MemoryContextSwitchTo(old);
		dllb_bm25_writer_add(w, &tp);
		MemoryContextReset(bs->termcxt);
	}
	bs->have_seg = dllb_bm25_writer_finish(w, &bs->seg);
}

/*
 * memory is full: the accumulated postings go to a temporary file as a
 * run (per term, sorted: length, term, count, sorted flag, byte length,
 * the packed postings), to be merged at the end
 */
static void
spill_run(BuildState *bs)
{
	uint32		n;
	uint32		i;
	TermAcc   **terms;
	BufFile    *f;

	if (bs->nterms == 0)
		return;
	terms = sorted_terms(bs, &n);
	f = BufFileCreateTemp(false);
	for (i = 0; i < n; i++)
	{
		TermAcc    *t = terms[i];
		uint32		hdr[4];

		CHECK_FOR_INTERRUPTS();
		hdr[0] = t->len;
		hdr[1] = t->n;
		hdr[2] = t->sorted;
		hdr[3] = (uint32) t->blen;
		BufFileWrite(f, hdr, sizeof(hdr));
		BufFileWrite(f, t->term, t->len);
		BufFileWrite(f, t->buf, t->blen);
	}
	if (BufFileSeek(f, 0, 0, SEEK_SET) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not rewind a dllb_bm25 build's temporary file")));
	if (bs->nruns == bs->runcap)
	{
		bs->runcap = bs->runcap ? bs->runcap * 2 : 8;
		bs->runs = bs->runs ? repalloc(bs->runs, sizeof(BufFile *) * bs->runcap)
			: palloc(sizeof(BufFile *) * bs->runcap);
	}
	bs->runs[bs->nruns++] = f;
	MemoryContextReset(bs->acccxt);
	table_init(bs);
}

typedef struct RunReader
{
	BufFile    *f;
	bool		valid;
	TermAcc		t;				/* the current term (buf in cxt) */
	MemoryContext cxt;
} RunReader;

static void
read_exact(BufFile *f, void *buf, size_t len)
{
	if (len > 0 && BufFileRead(f, buf, len) != len)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read a dllb_bm25 build's temporary file")));
}

static void
run_next(RunReader *r)
{
	uint32		hdr[4];

	MemoryContextReset(r->cxt);
	if (BufFileRead(r->f, hdr, sizeof(hdr)) != sizeof(hdr))
	{
		r->valid = false;
		return;
	}
	r->t.len = hdr[0];
	r->t.n = hdr[1];
	r->t.sorted = hdr[2] != 0;
	r->t.blen = hdr[3];
	r->t.term = MemoryContextAlloc(r->cxt, r->t.len + 1);
	r->t.buf = MemoryContextAllocHuge(r->cxt, r->t.blen + 1);
	read_exact(r->f, r->t.term, r->t.len);
	read_exact(r->f, r->t.buf, r->t.blen);
	r->valid = true;
}

/* merge the runs into the index's one segment */
static void
merge_runs(BuildState *bs)
{
	RunReader  *rd = palloc0(sizeof(RunReader) * bs->nruns);
	Bm25SegmentWriter *w = dllb_bm25_writer_begin(bs->index, bs->cfg.positions);
	int			i;

	for (i = 0; i < bs->nruns; i++)
	{
		rd[i].f = bs->runs[i];
		rd[i].cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_bm25 build run",
										  ALLOCSET_DEFAULT_SIZES);
		run_next(&rd[i]);
	}
	for (;;)
	{
		int			least = -1;
		Bm25TermPostings all;
		int			total = 0;
		bool		sorted = true;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		for (i = 0; i < bs->nruns; i++)
			if (rd[i].valid &&
				(least < 0 || dllb_bm25_term_cmp(rd[i].t.term, rd[i].t.len,
												 rd[least].t.term, rd[least].t.len) < 0))
				least = i;
		if (least < 0)
			break;
		for (i = 0; i < bs->nruns; i++)
			if (rd[i].valid && dllb_bm25_term_cmp(rd[i].t.term, rd[i].t.len,
												  rd[least].t.term, rd[least].t.len) == 0)
				total += rd[i].t.n;

		/* runs are in heap order: their postings concatenate in order */
		old = MemoryContextSwitchTo(bs->termcxt);
		memset(&all, 0, sizeof(all));
		all.term = pnstrdup(rd[least].t.term, rd[least].t.len);
		all.len = rd[least].t.len;
		all.postings = palloc(sizeof(DllbPosting) * total);
		if (bs->cfg.positions)
		{
			all.npos = palloc(sizeof(int) * total);
			all.pos = palloc(sizeof(uint32 *) * total);
		}
		for (i = 0; i < bs->nruns; i++)
		{
			Bm25TermPostings tp;

			if (!rd[i].valid || dllb_bm25_term_cmp(rd[i].t.term, rd[i].t.len,
												   all.term, all.len) != 0)
				continue;
			term_decode(bs, &rd[i].t, &tp);
			if (all.n > 0 && tp.postings[0].doc <= all.postings[all.n - 1].doc)
				sorted = false;
			memcpy(all.postings + all.n, tp.postings, sizeof(DllbPosting) * tp.n);
			if (bs->cfg.positions)
			{
				memcpy(all.npos + all.n, tp.npos, sizeof(int) * tp.n);
				memcpy(all.pos + all.n, tp.pos, sizeof(uint32 *) * tp.n);
			}
			all.n += tp.n;
		}
		if (!sorted)
		{
			PostingOrder *o = palloc(sizeof(PostingOrder) * all.n);
			int			k;

			for (k = 0; k < all.n; k++)
			{
				o[k].p = all.postings[k];
				o[k].npos = all.npos ? all.npos[k] : 0;
				o[k].pos = all.pos ? all.pos[k] : NULL;
			}
			qsort(o, all.n, sizeof(PostingOrder), postingorder_cmp);
			for (k = 0; k < all.n; k++)
			{
				all.postings[k] = o[k].p;
				if (all.npos)
				{
					all.npos[k] = o[k].npos;
					all.pos[k] = o[k].pos;
				}
			}
		}
		MemoryContextSwitchTo(old);
		dllb_bm25_writer_add(w, &all);
		MemoryContextReset(bs->termcxt);
		for (i = 0; i < bs->nruns; i++)
			if (rd[i].valid && dllb_bm25_term_cmp(rd[i].t.term, rd[i].t.len,
												  rd[least].t.term, rd[least].t.len) == 0 &&
				i != least)
				run_next(&rd[i]);
		run_next(&rd[least]);
	}
	for (i = 0; i < bs->nruns; i++)
	{
		BufFileClose(rd[i].f);
		MemoryContextDelete(rd[i].cxt);
	}
	bs->have_seg = dllb_bm25_writer_finish(w, &bs->seg);
}

static void
build_callback(Relation index, ItemPointer tid, Datum *values, bool *isnull,
			   bool tupleIsAlive, void *state)
{
	BuildState *bs = (BuildState *) state;
	MemoryContext old;
	text	   *t;
	Bm25Doc		d;
	uint64		doc;
	int			i;

	if (isnull[0])
		return;
	old = MemoryContextSwitchTo(bs->tmpcxt);
	t = DatumGetTextPP(values[0]);
	dllb_bm25_analyze_doc(&bs->cfg, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &d);
	MemoryContextSwitchTo(old);
	doc = dllb_bm25_tid_doc(tid);
	if (d.nterms > 0)
	{
		for (i = 0; i < d.nterms; i++)
			term_add(bs, table_term(bs, d.terms[i].term, d.terms[i].len), doc,
					 &d.terms[i], d.dl);
		bs->ndocs_all++;
		bs->sumdl_all += d.dl;
		bs->seg_docs++;
		bs->seg_sumdl += d.dl;
	}
	MemoryContextReset(bs->tmpcxt);
	bs->indtuples += 1;
	if (bs->bytes > bs->limit)
		spill_run(bs);
}

/*
 * write an empty index's meta page (with the configuration cfg, resolved
 * from the options once, here) and buffer page into fork
 */
static void
write_empty(Relation index, ForkNumber fork, const Bm25Config *cfg)
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
	m->analyzer_cfg = cfg->analyzer.cfg;
	m->analyzer_code = cfg->analyzer.surreal ? 2 : cfg->analyzer.code ? 1 : 0;
	m->positions = cfg->positions ? 1 : 0;
	m->k1 = cfg->k1;
	m->b = cfg->b;
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

/*
 * The index depends on its analyzer's text search configuration, as an
 * index depends on its operator class: DROP TEXT SEARCH CONFIGURATION
 * fails while the index uses it (CASCADE drops the index), and pg_dump
 * creates the configuration first.  A rebuild records it again.
 */
static void
depend_on_analyzer(Relation index, const Bm25Config *cfg)
{
	ObjectAddress idx;
	ObjectAddress ts;

	ObjectAddressSet(idx, RelationRelationId, RelationGetRelid(index));
	ObjectAddressSet(ts, TSConfigRelationId, cfg->analyzer.cfg);
	deleteDependencyRecordsForClass(RelationRelationId, RelationGetRelid(index),
									TSConfigRelationId, DEPENDENCY_NORMAL);
	recordDependencyOn(&idx, &ts, DEPENDENCY_NORMAL);
}

IndexBuildResult *
dllb_bm25_build(Relation heap, Relation index, IndexInfo *indexInfo)
{
	BuildState	bs;
	IndexBuildResult *result;
	double		reltuples;
	Buffer		buf;
	GenericXLogState *state;
	Page		page;
	Bm25Meta	m;

	if (RelationGetNumberOfBlocks(index) != 0)
		elog(ERROR, "index \"%s\" already contains data", RelationGetRelationName(index));

	memset(&bs, 0, sizeof(bs));
	bs.index = index;
	dllb_bm25_config_from_options(index, &bs.cfg);
	depend_on_analyzer(index, &bs.cfg);
	bs.tmpcxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_bm25 build row",
									  ALLOCSET_DEFAULT_SIZES);
	bs.acccxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_bm25 build postings",
									  ALLOCSET_DEFAULT_SIZES);
	bs.termcxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_bm25 build term",
									   ALLOCSET_DEFAULT_SIZES);
	table_init(&bs);
	bs.limit = (Size) maintenance_work_mem * 1024;

	write_empty(index, MAIN_FORKNUM, &bs.cfg);

	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, BM25_PHASE_SCAN);
	/* no synchronized scan: documents then come in heap order */
	reltuples = table_index_build_scan(heap, index, indexInfo, false, true,
									   build_callback, &bs, NULL);
	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, BM25_PHASE_MERGE);
	if (bs.nruns == 0)
		write_segment(&bs);
	else
	{
		spill_run(&bs);
		merge_runs(&bs);
	}

	buf = ReadBuffer(index, BM25_META_BLKNO);
	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, 0);
	m = Bm25PageGetMeta(page);
	m->ndocs = bs.ndocs_all;
	m->sumdl = bs.sumdl_all;
	if (bs.have_seg)
	{
		bs.seg.ndocs = bs.ndocs_all;
		bs.seg.sumdl = bs.sumdl_all;
		bs.seg.id = m->next_segment_id++;
		m->segments[m->nsegments++] = bs.seg;
	}
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);

	MemoryContextDelete(bs.tmpcxt);
	MemoryContextDelete(bs.acccxt);
	MemoryContextDelete(bs.termcxt);
	result = palloc(sizeof(IndexBuildResult));
	result->heap_tuples = reltuples;
	result->index_tuples = bs.indtuples;
	return result;
}

void
dllb_bm25_buildempty(Relation index)
{
	Bm25Config	cfg;

	dllb_bm25_config_from_options(index, &cfg);
	write_empty(index, INIT_FORKNUM, &cfg);
}
