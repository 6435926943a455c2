/*-------------------------------------------------------------------------
 *
 * bm25_page.c
 *	  dllb_bm25 pages: initialising, allocating, the meta page, the garbage
 *	  list and its recycling, and documents as the write buffer stores them.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_page.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "access/transam.h"
#include "storage/freespace.h"
#include "storage/indexfsm.h"
#include "storage/lmgr.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "fulltext/bm25.h"

/*
 * dllb_bm25_init_page - an empty page of the given kind.
 */
void
dllb_bm25_init_page(Page page, uint16 kind)
{
	Bm25PageOpaque op;

	PageInit(page, BLCKSZ, sizeof(Bm25PageOpaqueData));
	op = Bm25PageGetOpaque(page);
	op->kind = kind;
	op->unused = 0;
	op->next = InvalidBlockNumber;
}

/*
 * dllb_bm25_new_buffer - a page to write, exclusively locked: a free one
 * from the free space map when there is one, else a new one at the end.
 * The caller initialises it.
 */
Buffer
dllb_bm25_new_buffer(Relation index)
{
	Buffer		buf;

	for (;;)
	{
		BlockNumber blk = GetFreeIndexPage(index);
		Page		page;

		if (blk == InvalidBlockNumber)
			break;
		buf = ReadBuffer(index, blk);
		if (ConditionalLockBuffer(buf))
		{
			page = BufferGetPage(buf);
			if (PageIsNew(page) || Bm25PageKind(page) == BM25_PAGE_FREE)
				return buf;
			LockBuffer(buf, BUFFER_LOCK_UNLOCK);
		}
		ReleaseBuffer(buf);
	}

	LockRelationForExtension(index, ExclusiveLock);
	buf = ReadBufferExtended(index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	UnlockRelationForExtension(index, ExclusiveLock);
	return buf;
}

/*
 * dllb_bm25_read_meta - a copy of the meta page, with a clear error when
 * the relation is not a dllb_bm25 index of this version.
 */
void
dllb_bm25_read_meta(Relation index, Bm25MetaData *meta)
{
	Buffer		buf = ReadBuffer(index, BM25_META_BLKNO);
	Page		page;

	LockBuffer(buf, BUFFER_LOCK_SHARE);
	page = BufferGetPage(buf);
	memcpy(meta, Bm25PageGetMeta(page), sizeof(Bm25MetaData));
	UnlockReleaseBuffer(buf);
	if (meta->magic != BM25_MAGIC)
		ereport(ERROR,
				(errcode(ERRCODE_INDEX_CORRUPTED),
				 errmsg("index \"%s\" is not a dllb_bm25 index",
						RelationGetRelationName(index))));
	if (meta->version != BM25_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("dllb_bm25 index \"%s\" has format version %u; this build reads version %d",
						RelationGetRelationName(index), meta->version, BM25_VERSION),
				 errhint("REINDEX the index.")));
}

/*
 * dllb_bm25_add_garbage - put chains on the meta page's garbage list (the
 * caller holds the meta page for writing).  When the list is full the
 * pages are left alone: REINDEX gets them back.
 */
void
dllb_bm25_add_garbage(Bm25Meta meta, BlockNumber h0, BlockNumber h1, BlockNumber h2)
{
	Bm25Garbage *g;

	if (meta->ngarbage >= BM25_MAX_GARBAGE)
		return;
	g = &meta->garbage[meta->ngarbage++];
	g->heads[0] = h0;
	g->heads[1] = h1;
	g->heads[2] = h2;
	g->pad = 0;
	g->dropped = ReadNextFullTransactionId();
}

/* mark every page of a chain free, and tell the free space map */
static int
free_chain(Relation index, BlockNumber blk)
{
	int			n = 0;
	BlockNumber nblocks = RelationGetNumberOfBlocks(index);

	while (blk != InvalidBlockNumber && blk != BM25_META_BLKNO && blk < nblocks)
	{
		Buffer		buf = ReadBuffer(index, blk);
		GenericXLogState *state;
		Page		page;
		BlockNumber next;

		CHECK_FOR_INTERRUPTS();
		LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
		page = BufferGetPage(buf);
		if (PageIsNew(page) || Bm25PageKind(page) == BM25_PAGE_FREE ||
			Bm25PageKind(page) == BM25_PAGE_META)
		{
			UnlockReleaseBuffer(buf);
			break;
		}
		next = Bm25PageGetOpaque(page)->next;
		state = GenericXLogStart(index);
		page = GenericXLogRegisterBuffer(state, buf, GENERIC_XLOG_FULL_IMAGE);
		dllb_bm25_init_page(page, BM25_PAGE_FREE);
		GenericXLogFinish(state);
		UnlockReleaseBuffer(buf);
		RecordFreeIndexPage(index, blk);
		n++;
		blk = next;
	}
	return n;
}

/*
 * dllb_bm25_recycle - free the garbage no snapshot can still read (all:
 * every entry, for when nothing else can be using the index).  Takes the
 * segment lock.  Returns the number of pages freed.
 */
int
dllb_bm25_recycle(Relation index, bool all)
{
	Bm25MetaData meta;
	int			freed = 0;
	int			i;
	int			kept;
	Buffer		buf;
	GenericXLogState *state;
	Page		page;
	Bm25Meta	m;
	bool		done[BM25_MAX_GARBAGE];

	LockPage(index, BM25_LOCK_SEGMENTS, ExclusiveLock);
	dllb_bm25_read_meta(index, &meta);
	for (i = 0; i < (int) meta.ngarbage; i++)
	{
		Bm25Garbage *g = &meta.garbage[i];
		int			h;

		done[i] = false;
		if (!all && !GlobalVisCheckRemovableFullXid(NULL, g->dropped))
			continue;
		for (h = 0; h < 3; h++)
			freed += free_chain(index, g->heads[h]);
		done[i] = true;
	}

	/* drop the freed entries; writers may have added some meanwhile */
	buf = ReadBuffer(index, BM25_META_BLKNO);
	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, 0);
	m = Bm25PageGetMeta(page);
	kept = 0;
	for (i = 0; i < (int) m->ngarbage; i++)
	{
		if (i < (int) meta.ngarbage && done[i])
			continue;
		m->garbage[kept++] = m->garbage[i];
	}
	m->ngarbage = kept;
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);
	UnlockPage(index, BM25_LOCK_SEGMENTS, ExclusiveLock);
	if (freed > 0)
		IndexFreeSpaceMapVacuum(index);
	return freed;
}

/*
 * dllb_bm25_term_cmp - the order of terms everywhere: bytes, then length
 * (so all terms with a given prefix are together).
 */
int
dllb_bm25_term_cmp(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

/* ---- documents ----------------------------------------------------------- */

static int
doc_term_cmp(const void *a, const void *b)
{
	const Bm25DocTerm *x = a;
	const Bm25DocTerm *y = b;

	return dllb_bm25_term_cmp(x->term, x->len, y->term, y->len);
}

/*
 * dllb_bm25_analyze_doc - a row's text as a document: its lexemes sorted,
 * with tf and (the first BM25_MAX_POSITIONS) positions.  doc->doc is left
 * for the caller.
 */
void
dllb_bm25_analyze_doc(const Bm25Config *cfg, const char *text, int len, Bm25Doc *doc)
{
	DllbLexeme *lex;
	int			n = dllb_analyze_text(&cfg->analyzer, text, len, &lex);
	Bm25DocTerm *t = palloc(sizeof(Bm25DocTerm) * Max(n, 1));
	int			nt = 0;
	int			i;

	doc->dl = n;
	for (i = 0; i < n; i++)
	{
		if (lex[i].len > BM25_MAX_TERM_LEN || lex[i].len == 0)
			continue;
		t[nt].term = lex[i].text;
		t[nt].len = lex[i].len;
		t[nt].tf = 1;
		t[nt].npos = 1;
		t[nt].pos = (uint32 *) (intptr_t) i;	/* index of its first lexeme, for now */
		nt++;
	}
	if (nt > 1)
		qsort(t, nt, sizeof(Bm25DocTerm), doc_term_cmp);
	/* collapse equal terms, collecting their positions in order */
	{
		int			out = 0;
		int			j;

		for (i = 0; i < nt; i = j)
		{
			int			k;
			int			keep;

			for (j = i + 1; j < nt && doc_term_cmp(&t[i], &t[j]) == 0; j++)
				;
			keep = Min(j - i, BM25_MAX_POSITIONS);
			t[out].term = t[i].term;
			t[out].len = t[i].len;
			t[out].tf = j - i;
			t[out].npos = 0;
			{
				uint32	   *pos = palloc(sizeof(uint32) * (j - i));

				for (k = i; k < j; k++)
					pos[k - i] = lex[(intptr_t) t[k].pos].position;
				/* positions ascending */
				for (k = 1; k < j - i; k++)
				{
					uint32		v = pos[k];
					int			m = k - 1;

					while (m >= 0 && pos[m] > v)
					{
						pos[m + 1] = pos[m];
						m--;
					}
					pos[m + 1] = v;
				}
				t[out].pos = pos;
				t[out].npos = keep;
			}
			out++;
		}
		nt = out;
	}
	doc->terms = t;
	doc->nterms = nt;
}

/*
 * Buffer entry layout (unaligned, read with memcpy):
 *	uint64 doc, uint32 dl, uint32 nterms, then per term
 *	uint16 len, uint32 tf, uint16 npos, len bytes, npos uint32 positions
 */
Size
dllb_bm25_doc_size(const Bm25Doc *doc, bool positions)
{
	Size		s = 16;
	int			i;

	for (i = 0; i < doc->nterms; i++)
		s += 8 + doc->terms[i].len + (positions ? 4 * doc->terms[i].npos : 0);
	return s;
}

void
dllb_bm25_doc_encode(const Bm25Doc *doc, bool positions, char *out)
{
	uint32		nterms = doc->nterms;
	int			i;

	memcpy(out, &doc->doc, 8);
	memcpy(out + 8, &doc->dl, 4);
	memcpy(out + 12, &nterms, 4);
	out += 16;
	for (i = 0; i < doc->nterms; i++)
	{
		const Bm25DocTerm *t = &doc->terms[i];
		uint16		len = t->len;
		uint16		npos = positions ? t->npos : 0;

		memcpy(out, &len, 2);
		memcpy(out + 2, &t->tf, 4);
		memcpy(out + 6, &npos, 2);
		memcpy(out + 8, t->term, len);
		out += 8 + len;
		if (npos > 0)
		{
			memcpy(out, t->pos, 4 * npos);
			out += 4 * npos;
		}
	}
}

/* the inverse; term texts and positions point into in */
void
dllb_bm25_doc_decode(const char *in, Size len, Bm25Doc *doc)
{
	const char *end = in + len;
	uint32		nterms;
	uint32		i;

	if (len < 16)
		elog(ERROR, "dllb_bm25 buffer entry too short");
	memcpy(&doc->doc, in, 8);
	memcpy(&doc->dl, in + 8, 4);
	memcpy(&nterms, in + 12, 4);
	in += 16;
	if (nterms > len)
		elog(ERROR, "dllb_bm25 buffer entry corrupt");
	doc->nterms = nterms;
	doc->terms = palloc(sizeof(Bm25DocTerm) * Max(nterms, 1));
	for (i = 0; i < nterms; i++)
	{
		Bm25DocTerm *t = &doc->terms[i];
		uint16		tlen;
		uint16		npos;

		if (in + 8 > end)
			elog(ERROR, "dllb_bm25 buffer entry corrupt");
		memcpy(&tlen, in, 2);
		memcpy(&t->tf, in + 2, 4);
		memcpy(&npos, in + 6, 2);
		in += 8;
		if (in + tlen + 4 * (Size) npos > end)
			elog(ERROR, "dllb_bm25 buffer entry corrupt");
		t->term = (char *) in;
		t->len = tlen;
		in += tlen;
		t->npos = npos;
		if (npos > 0)
		{
			t->pos = palloc(sizeof(uint32) * npos);
			memcpy(t->pos, in, 4 * npos);
			in += 4 * npos;
		}
		else
			t->pos = NULL;
	}
}

/*
 * dllb_bm25_read_buffer - the documents of the write buffer chain from
 * head (copies, palloc'd); returns how many, the array in *docs.
 */
int
dllb_bm25_read_buffer(Relation index, BlockNumber head, Bm25Doc **docs)
{
	BlockNumber blk = head;
	int			ndocs = 0;
	int			cap = 64;

	*docs = palloc(sizeof(Bm25Doc) * cap);
	while (blk != InvalidBlockNumber)
	{
		Buffer		b = ReadBuffer(index, blk);
		Page		p;
		OffsetNumber off;
		OffsetNumber maxoff;

		CHECK_FOR_INTERRUPTS();
		LockBuffer(b, BUFFER_LOCK_SHARE);
		p = BufferGetPage(b);
		maxoff = PageGetMaxOffsetNumber(p);
		for (off = FirstOffsetNumber; off <= maxoff; off++)
		{
			ItemId		iid = PageGetItemId(p, off);
			char	   *copy;

			if (!ItemIdIsUsed(iid))
				continue;
			if (ndocs == cap)
			{
				cap *= 2;
				*docs = repalloc(*docs, sizeof(Bm25Doc) * cap);
			}
			copy = palloc(ItemIdGetLength(iid));
			memcpy(copy, PageGetItem(p, iid), ItemIdGetLength(iid));
			dllb_bm25_doc_decode(copy, ItemIdGetLength(iid), &(*docs)[ndocs++]);
		}
		blk = Bm25PageGetOpaque(p)->next;
		UnlockReleaseBuffer(b);
	}
	return ndocs;
}

/*
 * dllb_bm25_postings_reserve - room for n postings (and their positions)
 * in tp, whose arrays hold *cap now
 */
void
dllb_bm25_postings_reserve(Bm25TermPostings *tp, int n, int *cap)
{
	if (n <= *cap)
		return;
	*cap = Max(n, *cap * 2);
	if (tp->postings)
	{
		pfree(tp->postings);
		pfree(tp->npos);
		pfree(tp->pos);
	}
	tp->postings = palloc(sizeof(DllbPosting) * *cap);
	tp->npos = palloc(sizeof(int) * *cap);
	tp->pos = palloc(sizeof(uint32 *) * *cap);
}
