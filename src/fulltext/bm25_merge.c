/*-------------------------------------------------------------------------
 *
 * bm25_merge.c
 *	  Making segments: from documents in memory (CREATE INDEX, buffer
 *	  flushes) and from other segments (merges, VACUUM's rewrites), and the
 *	  flush of the write buffer with its merge policy.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_merge.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "storage/lmgr.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "fulltext/bm25.h"

/* ---- documents in memory -> a segment ------------------------------------ */

typedef struct TermRef
{
	const Bm25DocTerm *t;
	const Bm25Doc *d;
} TermRef;

static int
termref_cmp(const void *a, const void *b)
{
	const TermRef *x = a;
	const TermRef *y = b;
	int			c = dllb_bm25_term_cmp(x->t->term, x->t->len, y->t->term, y->t->len);

	if (c != 0)
		return c;
	return (x->d->doc > y->d->doc) - (x->d->doc < y->d->doc);
}

/*
 * dllb_bm25_write_docs - one segment of documents (any order, distinct
 * documents, none empty).  seg->ndocs stays 0 when nothing was written.
 */
void
dllb_bm25_write_docs(Relation index, Bm25Doc *docs, int ndocs, bool positions,
					 Bm25Segment *seg)
{
	Size		nrefs = 0;
	TermRef    *refs;
	Size		i;
	Size		j;
	int			d;
	Bm25SegmentWriter *w;
	Bm25TermPostings tp;
	uint64		sumdl = 0;
	int			cap = 0;

	memset(seg, 0, sizeof(Bm25Segment));
	for (d = 0; d < ndocs; d++)
		nrefs += docs[d].nterms;
	if (nrefs == 0)
		return;
	refs = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(TermRef) * nrefs);
	nrefs = 0;
	for (d = 0; d < ndocs; d++)
	{
		int			k;

		sumdl += docs[d].dl;
		for (k = 0; k < docs[d].nterms; k++)
		{
			refs[nrefs].t = &docs[d].terms[k];
			refs[nrefs].d = &docs[d];
			nrefs++;
		}
	}
	qsort(refs, nrefs, sizeof(TermRef), termref_cmp);

	w = dllb_bm25_writer_begin(index, positions);
	memset(&tp, 0, sizeof(tp));
	for (i = 0; i < nrefs; i = j)
	{
		int			n;

		CHECK_FOR_INTERRUPTS();
		for (j = i + 1; j < nrefs && dllb_bm25_term_cmp(refs[i].t->term, refs[i].t->len,
														refs[j].t->term, refs[j].t->len) == 0; j++)
			;
		n = (int) (j - i);
		dllb_bm25_postings_reserve(&tp, n, &cap);
		tp.term = refs[i].t->term;
		tp.len = refs[i].t->len;
		tp.n = n;
		for (d = 0; d < n; d++)
		{
			const TermRef *r = &refs[i + d];

			tp.postings[d].doc = r->d->doc;
			tp.postings[d].tf = r->t->tf;
			tp.postings[d].dl = r->d->dl;
			tp.npos[d] = positions ? r->t->npos : 0;
			tp.pos[d] = r->t->pos;
		}
		dllb_bm25_writer_add(w, &tp);
	}
	if (dllb_bm25_writer_finish(w, seg))
	{
		seg->ndocs = ndocs;
		seg->sumdl = sumdl;
	}
	pfree(refs);
}

/* ---- segments -> a segment ------------------------------------------------ */

typedef struct DeadDoc
{
	uint64		doc;
	uint32		dl;
} DeadDoc;

typedef struct MergeInput
{
	Bm25DictReader r;
	Bm25DictEntry e;
	bool		valid;
	Bm25TermPostings tp;
	int			at;				/* next posting of tp during the merge */
} MergeInput;

/*
 * dllb_bm25_merge - one segment of the documents of in[0..nin) that dead
 * (when given) does not call dead.  *out gets the new segment; returns
 * false when no document is left (then nothing was written).  The counts
 * of removed documents and their length go to *removed_docs and
 * *removed_sumdl.
 */
bool
dllb_bm25_merge(Relation index, const Bm25Segment *in, int nin, bool positions,
				Bm25DeadFn dead, void *arg, Bm25Segment *out,
				uint64 *removed_docs, uint64 *removed_sumdl)
{
	MergeInput *inputs = palloc0(sizeof(MergeInput) * nin);
	Bm25SegmentWriter *w = dllb_bm25_writer_begin(index, positions);
	MemoryContext termcxt = AllocSetContextCreate(CurrentMemoryContext,
												  "dllb_bm25 merge term",
												  ALLOCSET_DEFAULT_SIZES);
	HTAB	   *deadset = NULL;
	uint64		ndocs = 0;
	uint64		sumdl = 0;
	uint64		rdocs = 0;
	uint64		rsumdl = 0;
	int			i;
	Bm25TermPostings tp;
	int			cap = 0;
	bool		ok;

	if (dead)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(uint64);
		ctl.entrysize = sizeof(DeadDoc);
		ctl.hcxt = CurrentMemoryContext;
		deadset = hash_create("dllb_bm25 dead documents", 1024, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	for (i = 0; i < nin; i++)
	{
		dllb_bm25_dict_begin(&inputs[i].r, index, in[i].dict_head);
		inputs[i].valid = dllb_bm25_dict_next(&inputs[i].r, &inputs[i].e);
		ndocs += in[i].ndocs;
		sumdl += in[i].sumdl;
	}
	memset(&tp, 0, sizeof(tp));

	for (;;)
	{
		int			least = -1;
		int			total = 0;
		int			n = 0;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		for (i = 0; i < nin; i++)
			if (inputs[i].valid &&
				(least < 0 || dllb_bm25_term_cmp(inputs[i].e.term, inputs[i].e.len,
												 inputs[least].e.term, inputs[least].e.len) < 0))
				least = i;
		if (least < 0)
			break;

		old = MemoryContextSwitchTo(termcxt);
		tp.term = pnstrdup(inputs[least].e.term, inputs[least].e.len);
		tp.len = inputs[least].e.len;
		for (i = 0; i < nin; i++)
		{
			inputs[i].tp.n = 0;
			inputs[i].at = 0;
			if (i != least && (!inputs[i].valid ||
							   dllb_bm25_term_cmp(inputs[i].e.term, inputs[i].e.len,
												  tp.term, tp.len) != 0))
				continue;
			dllb_bm25_read_term(index, &inputs[i].e, positions, &inputs[i].tp);
			total += inputs[i].tp.n;
		}
		MemoryContextSwitchTo(old);

		dllb_bm25_postings_reserve(&tp, total, &cap);

		/* merge by document, dropping the dead */
		for (;;)
		{
			int			best = -1;
			MergeInput *m;
			DllbPosting *p;

			for (i = 0; i < nin; i++)
				if (inputs[i].at < inputs[i].tp.n &&
					(best < 0 || inputs[i].tp.postings[inputs[i].at].doc <
					 inputs[best].tp.postings[inputs[best].at].doc))
					best = i;
			if (best < 0)
				break;
			m = &inputs[best];
			p = &m->tp.postings[m->at];
			if (dead && dead(p->doc, arg))
			{
				bool		found;
				DeadDoc    *dd = hash_search(deadset, &p->doc, HASH_ENTER, &found);

				if (!found)
				{
					dd->dl = p->dl;
					rdocs++;
					rsumdl += p->dl;
				}
			}
			else
			{
				tp.postings[n] = *p;
				tp.npos[n] = positions ? m->tp.npos[m->at] : 0;
				tp.pos[n] = positions ? m->tp.pos[m->at] : NULL;
				n++;
			}
			m->at++;
		}
		if (n > 0)
		{
			tp.n = n;
			dllb_bm25_writer_add(w, &tp);
		}
		MemoryContextReset(termcxt);

		/* advance the inputs that had this term */
		for (i = 0; i < nin; i++)
			if (inputs[i].tp.n > 0 || i == least)
				inputs[i].valid = dllb_bm25_dict_next(&inputs[i].r, &inputs[i].e);
	}

	ok = dllb_bm25_writer_finish(w, out);
	if (ok)
	{
		out->ndocs = ndocs - rdocs;
		out->sumdl = sumdl - rsumdl;
	}
	*removed_docs = rdocs;
	*removed_sumdl = rsumdl;
	if (deadset)
		hash_destroy(deadset);
	MemoryContextDelete(termcxt);
	return ok;
}

/* ---- the write buffer's flush ---------------------------------------------- */

/*
 * dllb_bm25_merge_policy - merge the newest segments while the newest is at
 * least a quarter of the one before it (sizes then grow geometrically), or
 * while there are too many.  The caller holds the segment lock.
 */
void
dllb_bm25_merge_policy(Relation index, bool positions)
{
	for (;;)
	{
		Bm25MetaData meta;
		Bm25Segment out;
		uint64		rd;
		uint64		rs;
		int			n;
		bool		ok;
		Buffer		buf;
		GenericXLogState *state;
		Page		page;
		Bm25Meta	m;
		int			i;
		int			at;

		CHECK_FOR_INTERRUPTS();
		dllb_bm25_read_meta(index, &meta);
		n = meta.nsegments;
		if (n < 2)
			return;
		if (meta.segments[n - 1].ndocs * 4 < meta.segments[n - 2].ndocs &&
			n < BM25_MAX_SEGMENTS - 8)
			return;
		ok = dllb_bm25_merge(index, &meta.segments[n - 2], 2, positions, NULL, NULL,
							 &out, &rd, &rs);

		buf = ReadBuffer(index, BM25_META_BLKNO);
		LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
		state = GenericXLogStart(index);
		page = GenericXLogRegisterBuffer(state, buf, 0);
		m = Bm25PageGetMeta(page);
		/* the two inputs are the last two still: only we change the list */
		at = m->nsegments - 2;
		for (i = at; i < (int) m->nsegments; i++)
			dllb_bm25_add_garbage(m, m->segments[i].dir_head, m->segments[i].dict_head,
								  m->segments[i].post_head);
		m->nsegments = at;
		if (ok)
		{
			out.id = m->next_segment_id++;
			m->segments[m->nsegments++] = out;
		}
		GenericXLogFinish(state);
		UnlockReleaseBuffer(buf);
	}
}

/*
 * dllb_bm25_flush - turn the write buffer into a segment.  The caller holds
 * the buffer lock; the segment lock is taken here, and when somebody else
 * holds it (VACUUM, a merge) the flush is left for later: returns false.
 */
bool
dllb_bm25_flush(Relation index, bool positions)
{
	Bm25MetaData meta;
	Bm25Doc    *docs;
	int			ndocs;
	Bm25Segment seg;
	Buffer		newbuf;
	BlockNumber newhead;
	Buffer		buf;
	GenericXLogState *state;
	Page		page;
	Bm25Meta	m;
	MemoryContext cxt;
	MemoryContext old;

	if (!ConditionalLockPage(index, BM25_LOCK_SEGMENTS, ExclusiveLock))
		return false;
	cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_bm25 flush",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	dllb_bm25_read_meta(index, &meta);
	ndocs = dllb_bm25_read_buffer(index, meta.buf_head, &docs);

	dllb_bm25_write_docs(index, docs, ndocs, positions, &seg);

	/* a fresh, empty buffer */
	newbuf = dllb_bm25_new_buffer(index);
	newhead = BufferGetBlockNumber(newbuf);
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, newbuf, GENERIC_XLOG_FULL_IMAGE);
	dllb_bm25_init_page(page, BM25_PAGE_BUFFER);
	GenericXLogFinish(state);
	UnlockReleaseBuffer(newbuf);

	buf = ReadBuffer(index, BM25_META_BLKNO);
	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, 0);
	m = Bm25PageGetMeta(page);
	dllb_bm25_add_garbage(m, m->buf_head, InvalidBlockNumber, InvalidBlockNumber);
	if (seg.ndocs > 0)
	{
		if (m->nsegments >= BM25_MAX_SEGMENTS)
			elog(ERROR, "dllb_bm25 index \"%s\" has too many segments",
				 RelationGetRelationName(index));
		seg.id = m->next_segment_id++;
		m->segments[m->nsegments++] = seg;
	}
	m->buf_head = newhead;
	m->buf_tail = newhead;
	m->buf_docs = 0;
	m->buf_pages = 1;
	m->buf_sumdl = 0;
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);

	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	UnlockPage(index, BM25_LOCK_SEGMENTS, ExclusiveLock);
	return true;
}
