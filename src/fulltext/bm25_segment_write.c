/*-------------------------------------------------------------------------
 *
 * bm25_segment_write.c
 *	  The segment writer: terms in ascending order in, the three page
 *	  chains of a segment out (see bm25.h).
 *
 * Pages are filled in local memory and each is written once, with a full
 * page image in a generic WAL record, when the next one of its chain is
 * allocated (so it knows its successor).  A segment is invisible until the
 * caller puts it on the meta page, so a crash part way leaves only
 * unreferenced pages.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_segment_write.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "lib/stringinfo.h"
#include "utils/memutils.h"

#include "fulltext/bm25.h"

/* one chain being written */
typedef struct ChainWriter
{
	uint16		kind;
	BlockNumber head;
	Buffer		buf;			/* the page being filled, locked */
	PGAlignedBlock image;
} ChainWriter;

typedef struct DirEntry
{
	BlockNumber blk;
	int			len;
	char	   *term;
} DirEntry;

struct Bm25SegmentWriter
{
	Relation	index;
	bool		positions;
	ChainWriter dict;
	ChainWriter post;
	DirEntry   *dir;
	int			ndir;
	int			dircap;
	uint32		npages;
	uint32		nterms;
	uint8	   *blockbuf;		/* one encoded item */
	MemoryContext cxt;
};

static void
chain_start(Bm25SegmentWriter *w, ChainWriter *c, uint16 kind)
{
	c->kind = kind;
	c->buf = dllb_bm25_new_buffer(w->index);
	c->head = BufferGetBlockNumber(c->buf);
	dllb_bm25_init_page(c->image.data, kind);
	w->npages++;
}

/* write the current page with next as its successor */
static void
chain_write(Bm25SegmentWriter *w, ChainWriter *c, BlockNumber next)
{
	GenericXLogState *state = GenericXLogStart(w->index);
	Page		page = GenericXLogRegisterBuffer(state, c->buf, GENERIC_XLOG_FULL_IMAGE);

	Bm25PageGetOpaque(c->image.data)->next = next;
	memcpy(page, c->image.data, BLCKSZ);
	GenericXLogFinish(state);
	UnlockReleaseBuffer(c->buf);
	c->buf = InvalidBuffer;
}

/*
 * room for an item of size bytes on the current page, else move to a new
 * page; true when it moved
 */
static bool
chain_room(Bm25SegmentWriter *w, ChainWriter *c, Size size)
{
	Buffer		next;

	if (PageGetFreeSpace(c->image.data) >= MAXALIGN(size))
		return false;
	next = dllb_bm25_new_buffer(w->index);
	chain_write(w, c, BufferGetBlockNumber(next));
	c->buf = next;
	dllb_bm25_init_page(c->image.data, c->kind);
	w->npages++;
	return true;
}

static OffsetNumber
chain_add(ChainWriter *c, const void *item, Size size)
{
	OffsetNumber off = PageAddItem(c->image.data, (Item) item, size,
								   InvalidOffsetNumber, false, false);

	if (off == InvalidOffsetNumber)
		elog(ERROR, "dllb_bm25: could not add an item of %zu bytes to a page", size);
	return off;
}

/*
 * dllb_bm25_writer_begin - a writer for a new segment of index.
 */
Bm25SegmentWriter *
dllb_bm25_writer_begin(Relation index, bool positions)
{
	Bm25SegmentWriter *w = palloc0(sizeof(Bm25SegmentWriter));

	w->index = index;
	w->positions = positions;
	w->dict.buf = InvalidBuffer;
	w->post.buf = InvalidBuffer;
	w->blockbuf = palloc(BM25_MAX_ITEM + DLLB_POSTINGS_MAX_SIZE(DLLB_POSTINGS_PER_BLOCK));
	w->cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_bm25 segment writer",
								   ALLOCSET_DEFAULT_SIZES);
	return w;
}

static void
put_varint(StringInfo s, uint32 v)
{
	while (v >= 0x80)
	{
		appendStringInfoChar(s, (char) ((v & 0x7F) | 0x80));
		v >>= 7;
	}
	appendStringInfoChar(s, (char) v);
}

/* bytes the positions of posting i take */
static Size
positions_size(const Bm25TermPostings *tp, int i)
{
	int			n = tp->npos ? Min(tp->npos[i], BM25_MAX_POSITIONS) : 0;

	return 5 + 5 * (Size) n;
}

/*
 * dllb_bm25_writer_add - one term and its postings (ascending documents,
 * n >= 1), after every term less than it.
 */
void
dllb_bm25_writer_add(Bm25SegmentWriter *w, const Bm25TermPostings *tp)
{
	int			i = 0;
	uint32		nitems = 0;
	uint32		max_tf = 0;
	uint32		min_dl = PG_UINT32_MAX;
	BlockNumber first_blk = InvalidBlockNumber;
	OffsetNumber first_off = InvalidOffsetNumber;
	Bm25DictTuple *dt;
	Size		dtsize;
	StringInfoData pos;
	MemoryContext old = MemoryContextSwitchTo(w->cxt);

	Assert(tp->n > 0);
	if (w->post.buf == InvalidBuffer)
	{
		chain_start(w, &w->post, BM25_PAGE_POSTINGS);
		chain_start(w, &w->dict, BM25_PAGE_DICT);
	}
	initStringInfo(&pos);

	while (i < tp->n)
	{
		int			n = 0;
		Size		est = DLLB_POSTINGS_HEADER;
		Size		blen;
		DllbPostingsError err;
		OffsetNumber off;
		int			k;

		CHECK_FOR_INTERRUPTS();
		/* as many postings as fit the block and the item size */
		while (i + n < tp->n && n < DLLB_POSTINGS_PER_BLOCK)
		{
			Size		more = 14 + (w->positions ? positions_size(tp, i + n) : 0);

			if (n > 0 && est + more > BM25_MAX_ITEM)
				break;
			est += more;
			n++;
		}
		for (k = i; k < i + n; k++)
		{
			max_tf = Max(max_tf, tp->postings[k].tf);
			min_dl = Min(min_dl, tp->postings[k].dl);
		}
		err = dllb_postings_encode(tp->postings + i, n, w->blockbuf,
								   DLLB_POSTINGS_MAX_SIZE(n), &blen);
		if (err != DLLB_POSTINGS_OK)
			elog(ERROR, "dllb_bm25: could not encode postings: %s",
				 dllb_postings_error(err));
		if (w->positions)
		{
			resetStringInfo(&pos);
			for (k = i; k < i + n; k++)
			{
				int			np = tp->npos ? Min(tp->npos[k], BM25_MAX_POSITIONS) : 0;
				uint32		prev = 0;
				int			j;

				/* a single posting with very many positions keeps fewer */
				while (np > 0 && blen + pos.len + 5 + 5 * (Size) np > BM25_MAX_ITEM)
					np /= 2;
				put_varint(&pos, np);
				for (j = 0; j < np; j++)
				{
					put_varint(&pos, tp->pos[k][j] - prev);
					prev = tp->pos[k][j];
				}
			}
			memcpy(w->blockbuf + blen, pos.data, pos.len);
			blen += pos.len;
		}
		chain_room(w, &w->post, blen);
		off = chain_add(&w->post, w->blockbuf, blen);
		if (first_blk == InvalidBlockNumber)
		{
			first_blk = BufferGetBlockNumber(w->post.buf);
			first_off = off;
		}
		nitems++;
		i += n;
	}

	dtsize = offsetof(Bm25DictTuple, term) + tp->len;
	dt = palloc(dtsize);
	dt->df = tp->n;
	dt->max_tf = max_tf;
	dt->min_dl = min_dl;
	dt->nitems = nitems;
	dt->post_blk = first_blk;
	dt->post_off = first_off;
	dt->len = tp->len;
	memcpy(dt->term, tp->term, tp->len);
	{
		bool		newpage = PageGetMaxOffsetNumber(w->dict.image.data) == 0;

		if (chain_room(w, &w->dict, dtsize))
			newpage = true;
		if (newpage)
		{
			MemoryContextSwitchTo(old);
			if (w->ndir == w->dircap)
			{
				w->dircap = w->dircap ? w->dircap * 2 : 64;
				w->dir = w->dir ? repalloc(w->dir, sizeof(DirEntry) * w->dircap)
					: palloc(sizeof(DirEntry) * w->dircap);
			}
			w->dir[w->ndir].blk = BufferGetBlockNumber(w->dict.buf);
			w->dir[w->ndir].len = tp->len;
			w->dir[w->ndir].term = pnstrdup(tp->term, tp->len);
			w->ndir++;
			MemoryContextSwitchTo(w->cxt);
		}
		chain_add(&w->dict, dt, dtsize);
	}
	w->nterms++;
	MemoryContextSwitchTo(old);
	MemoryContextReset(w->cxt);
}

/*
 * dllb_bm25_writer_finish - write the last pages and the directory; fill
 * *seg's chains, npages and nterms (documents are the caller's).  Returns
 * false, having written nothing, when no term was added.
 */
bool
dllb_bm25_writer_finish(Bm25SegmentWriter *w, Bm25Segment *seg)
{
	ChainWriter dir;
	int			i;

	memset(seg, 0, sizeof(Bm25Segment));
	if (w->nterms == 0)
		return false;
	chain_write(w, &w->post, InvalidBlockNumber);
	chain_write(w, &w->dict, InvalidBlockNumber);
	chain_start(w, &dir, BM25_PAGE_DIR);
	for (i = 0; i < w->ndir; i++)
	{
		Size		size = offsetof(Bm25DirTuple, term) + w->dir[i].len;
		Bm25DirTuple *d = palloc(size);

		d->blk = w->dir[i].blk;
		d->len = w->dir[i].len;
		memcpy(d->term, w->dir[i].term, d->len);
		chain_room(w, &dir, size);
		chain_add(&dir, d, size);
		pfree(d);
	}
	chain_write(w, &dir, InvalidBlockNumber);
	seg->dir_head = dir.head;
	seg->dict_head = w->dict.head;
	seg->post_head = w->post.head;
	seg->npages = w->npages;
	seg->nterms = w->nterms;
	MemoryContextDelete(w->cxt);
	return true;
}
