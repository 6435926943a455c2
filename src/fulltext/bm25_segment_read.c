/*-------------------------------------------------------------------------
 *
 * bm25_segment_read.c
 *	  Reading segments: the directory, dictionary lookups and walks, and a
 *	  term's posting items.
 *
 * Readers copy a page under a share lock and work on the copy: segments
 * never change once written, and their pages are recycled only after
 * every snapshot that could have seen them is gone.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_segment_read.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "utils/rel.h"

#include "fulltext/bm25.h"

/* copy block blk into page, checking its kind */
static void
load_page(Relation index, BlockNumber blk, char *page, uint16 kind)
{
	Buffer		buf;

	if (blk == InvalidBlockNumber || blk >= RelationGetNumberOfBlocks(index))
		ereport(ERROR,
				(errcode(ERRCODE_INDEX_CORRUPTED),
				 errmsg("dllb_bm25 index \"%s\" links to block %u, past its end",
						RelationGetRelationName(index), blk)));
	buf = ReadBuffer(index, blk);
	LockBuffer(buf, BUFFER_LOCK_SHARE);
	memcpy(page, BufferGetPage(buf), BLCKSZ);
	UnlockReleaseBuffer(buf);
	if (PageIsNew(page) || Bm25PageKind(page) != kind)
		ereport(ERROR,
				(errcode(ERRCODE_INDEX_CORRUPTED),
				 errmsg("dllb_bm25 index \"%s\": block %u is not a page of the expected kind",
						RelationGetRelationName(index), blk)));
}

/*
 * dllb_bm25_dict_find_page - the dictionary page where term is, or would
 * be, in segment seg.
 */
BlockNumber
dllb_bm25_dict_find_page(Relation index, const Bm25Segment *seg, const char *term, int len)
{
	PGAlignedBlock page;
	BlockNumber blk = seg->dir_head;
	BlockNumber found = seg->dict_head;

	while (blk != InvalidBlockNumber)
	{
		OffsetNumber maxoff;
		OffsetNumber lo;
		OffsetNumber hi;

		load_page(index, blk, page.data, BM25_PAGE_DIR);
		maxoff = PageGetMaxOffsetNumber(page.data);
		if (maxoff == InvalidOffsetNumber)
			break;
		/* the last entry whose first term is <= term */
		lo = FirstOffsetNumber;
		hi = maxoff;
		{
			Bm25DirTuple *d = (Bm25DirTuple *) PageGetItem(page.data, PageGetItemId(page.data, lo));

			if (dllb_bm25_term_cmp(d->term, d->len, term, len) > 0)
				break;			/* before this page's first: keep found */
		}
		while (lo < hi)
		{
			OffsetNumber mid = lo + (hi - lo + 1) / 2;
			Bm25DirTuple *d = (Bm25DirTuple *) PageGetItem(page.data, PageGetItemId(page.data, mid));

			if (dllb_bm25_term_cmp(d->term, d->len, term, len) <= 0)
				lo = mid;
			else
				hi = mid - 1;
		}
		found = ((Bm25DirTuple *) PageGetItem(page.data, PageGetItemId(page.data, lo)))->blk;
		if (lo < maxoff)
			break;				/* the next entry is past term */
		blk = Bm25PageGetOpaque(page.data)->next;
	}
	return found;
}

static void
entry_from_tuple(const Bm25DictTuple *t, Bm25DictEntry *e)
{
	e->df = t->df;
	e->max_tf = t->max_tf;
	e->min_dl = t->min_dl;
	e->post_blk = t->post_blk;
	e->post_off = t->post_off;
	e->nitems = t->nitems;
	e->len = t->len;
	e->term = t->term;
}

/*
 * dllb_bm25_dict_lookup - term's entry in segment seg; false when the
 * segment does not have it.  e->term points into *termcopy (palloc'd) when
 * termcopy is given, else it is not set.
 */
bool
dllb_bm25_dict_lookup(Relation index, const Bm25Segment *seg, const char *term,
					  int len, Bm25DictEntry *e, char **termcopy)
{
	PGAlignedBlock page;
	BlockNumber blk = dllb_bm25_dict_find_page(index, seg, term, len);
	OffsetNumber lo;
	OffsetNumber hi;

	load_page(index, blk, page.data, BM25_PAGE_DICT);
	lo = FirstOffsetNumber;
	hi = PageGetMaxOffsetNumber(page.data);
	while (lo <= hi)
	{
		OffsetNumber mid = lo + (hi - lo) / 2;
		Bm25DictTuple *t = (Bm25DictTuple *) PageGetItem(page.data, PageGetItemId(page.data, mid));
		int			c = dllb_bm25_term_cmp(t->term, t->len, term, len);

		if (c == 0)
		{
			entry_from_tuple(t, e);
			if (termcopy)
			{
				*termcopy = pnstrdup(t->term, t->len);
				e->term = *termcopy;
			}
			else
				e->term = NULL;
			return true;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

/*
 * dllb_bm25_dict_begin - walk a dictionary chain from start_blk.
 */
void
dllb_bm25_dict_begin(Bm25DictReader *r, Relation index, BlockNumber start_blk)
{
	r->index = index;
	r->next = start_blk;
	r->off = FirstOffsetNumber;
	r->maxoff = InvalidOffsetNumber;
	if (r->page == NULL)
		r->page = palloc(BLCKSZ);
	r->done = (start_blk == InvalidBlockNumber);
}

/* the next entry; e->term points into the reader's page copy */
bool
dllb_bm25_dict_next(Bm25DictReader *r, Bm25DictEntry *e)
{
	while (!r->done)
	{
		if (r->off <= r->maxoff)
		{
			Bm25DictTuple *t = (Bm25DictTuple *) PageGetItem(r->page, PageGetItemId(r->page, r->off));

			entry_from_tuple(t, e);
			r->off++;
			return true;
		}
		if (r->next == InvalidBlockNumber)
		{
			r->done = true;
			break;
		}
		CHECK_FOR_INTERRUPTS();
		load_page(r->index, r->next, r->page, BM25_PAGE_DICT);
		r->next = Bm25PageGetOpaque(r->page)->next;
		r->off = FirstOffsetNumber;
		r->maxoff = PageGetMaxOffsetNumber(r->page);
	}
	return false;
}

/*
 * dllb_bm25_items_begin - read the posting items of dictionary entry e.
 */
void
dllb_bm25_items_begin(Bm25ItemReader *r, Relation index, const Bm25DictEntry *e)
{
	r->index = index;
	r->blk = e->post_blk;
	r->off = e->post_off;
	r->left = e->nitems;
	if (r->page == NULL)
	{
		r->page = palloc(BLCKSZ);
		r->loaded = InvalidBlockNumber;
	}
}

/* the next item's bytes (in the reader's page copy) */
bool
dllb_bm25_items_next(Bm25ItemReader *r, const uint8 **data, Size *len)
{
	ItemId		iid;

	if (r->left == 0)
		return false;
	for (;;)
	{
		if (r->loaded != r->blk)
		{
			load_page(r->index, r->blk, r->page, BM25_PAGE_POSTINGS);
			r->loaded = r->blk;
		}
		if (r->off <= PageGetMaxOffsetNumber(r->page))
			break;
		r->blk = Bm25PageGetOpaque(r->page)->next;
		r->off = FirstOffsetNumber;
		if (r->blk == InvalidBlockNumber)
			ereport(ERROR,
					(errcode(ERRCODE_INDEX_CORRUPTED),
					 errmsg("dllb_bm25 index \"%s\": a posting list ends early",
							RelationGetRelationName(r->index))));
	}
	iid = PageGetItemId(r->page, r->off);
	*data = (const uint8 *) PageGetItem(r->page, iid);
	*len = ItemIdGetLength(iid);
	r->off++;
	r->left--;
	return true;
}

void
dllb_bm25_items_end(Bm25ItemReader *r)
{
	if (r->page)
		pfree(r->page);
	r->page = NULL;
}

static bool
get_varint(const uint8 **p, const uint8 *end, uint32 *v)
{
	uint32		out = 0;
	int			shift = 0;

	while (*p < end && shift < 35)
	{
		uint8		c = *(*p)++;

		out |= (uint32) (c & 0x7F) << shift;
		if ((c & 0x80) == 0)
		{
			*v = out;
			return true;
		}
		shift += 7;
	}
	return false;
}

/*
 * dllb_bm25_item_positions - decode the positions part of an item holding n
 * postings: npos[i] and positions[i] (palloc'd) for each.
 */
void
dllb_bm25_item_positions(const uint8 *pos, Size len, int n, int *npos, uint32 **positions)
{
	const uint8 *end = pos + len;
	int			i;

	for (i = 0; i < n; i++)
	{
		uint32		np;
		uint32		j;
		uint32		prev = 0;

		if (!get_varint(&pos, end, &np) || np > BM25_MAX_POSITIONS)
			ereport(ERROR,
					(errcode(ERRCODE_INDEX_CORRUPTED),
					 errmsg("dllb_bm25: corrupt positions in a posting item")));
		npos[i] = np;
		positions[i] = np ? palloc(sizeof(uint32) * np) : NULL;
		for (j = 0; j < np; j++)
		{
			uint32		d;

			if (!get_varint(&pos, end, &d))
				ereport(ERROR,
						(errcode(ERRCODE_INDEX_CORRUPTED),
						 errmsg("dllb_bm25: corrupt positions in a posting item")));
			prev += d;
			positions[i][j] = prev;
		}
	}
}

/*
 * dllb_bm25_read_term - every posting of dictionary entry e (and their
 * positions when asked) into tp, palloc'd.  Returns the count.
 */
int
dllb_bm25_read_term(Relation index, const Bm25DictEntry *e, bool positions,
					Bm25TermPostings *tp)
{
	Bm25ItemReader r;
	const uint8 *data;
	Size		len;
	int			cap = Max(e->df, 1);
	int			n = 0;

	memset(&r, 0, sizeof(r));
	tp->postings = palloc(sizeof(DllbPosting) * cap);
	tp->npos = positions ? palloc(sizeof(int) * cap) : NULL;
	tp->pos = positions ? palloc(sizeof(uint32 *) * cap) : NULL;
	dllb_bm25_items_begin(&r, index, e);
	while (dllb_bm25_items_next(&r, &data, &len))
	{
		DllbBlockInfo info;
		Size		blen;
		int			got;
		DllbPostingsError err = dllb_postings_info(data, len, &info, &blen);

		if (err == DLLB_POSTINGS_OK && n + info.n > cap)
		{
			cap = Max(cap * 2, n + info.n);
			tp->postings = repalloc(tp->postings, sizeof(DllbPosting) * cap);
			if (positions)
			{
				tp->npos = repalloc(tp->npos, sizeof(int) * cap);
				tp->pos = repalloc(tp->pos, sizeof(uint32 *) * cap);
			}
		}
		if (err == DLLB_POSTINGS_OK)
			err = dllb_postings_decode(data, blen, tp->postings + n, &got);
		if (err != DLLB_POSTINGS_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INDEX_CORRUPTED),
					 errmsg("dllb_bm25 index \"%s\": %s",
							RelationGetRelationName(index), dllb_postings_error(err))));
		if (positions)
			dllb_bm25_item_positions(data + blen, len - blen, got, tp->npos + n, tp->pos + n);
		n += got;
	}
	dllb_bm25_items_end(&r);
	tp->n = n;
	return n;
}
