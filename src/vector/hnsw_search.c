/*-------------------------------------------------------------------------
 *
 * hnsw_search.c
 *	  The walk over the on-disk graph that scans and inserts share.
 *
 * A search keeps, in its own memory context:
 *	- a visited set: open addressing over 4-byte element ids;
 *	- "seen" records, one per element whose distance was computed,
 *	  allocated in chunks so pointers to them stay valid;
 *	- C, a min-heap of elements to expand;
 *	- P, a min-heap of live elements seen but not yet handed out.
 *
 * dllb_hnsw_search_next_batch runs the HNSW layer search with a result
 * bound of ef, hands out the best ef elements it knows of, and can be
 * called again: a scan whose rows the executor filters away keeps
 * expanding the graph from where it stopped (C and P survive a batch)
 * instead of returning fewer rows than asked for.  Each batch comes out
 * sorted; a later batch can hold an element nearer than the last of an
 * earlier one, which is the approximation an iterative scan makes.  When
 * the graph has nothing more to give, or the visit budget
 * (dllb.hnsw_max_scan_tuples) is spent, dllb_hnsw_search_exhaustive reads
 * every element not yet handed out, so no row is ever lost.
 *
 * Filtered walk.  With a filter on the index's filter column, a neighbour
 * whose key (stored beside its id in the list) fails the filter is not
 * visited at all: no distance, no page read.  When an expansion finds
 * fewer than 2m neighbours that pass, it looks through the lists of the
 * ones that fail (the two-hop neighbourhood, as ACORN-1 does) for more,
 * so the walk keeps moving through regions where few elements match and
 * returns only matching elements, nearest first.  Where even two hops hold
 * fewer than FILTER_MIN_REACH matching elements, the failing neighbours
 * are walked through as well (distances computed, never results).  The
 * matching elements and their two-hop links form a sparser graph than the
 * whole one, so a filtered walk keeps more results than ef when the keys
 * it sees say the filter is selective (filtered_ef).
 *
 * Distances go straight to the kernels (no fmgr).  Reading an element
 * pins its page (ReadRecentBuffer on the buffer the block was last found
 * in, no buffer mapping lookup), share-locks it while the element is
 * read, and unpins it.  Searches used to keep every page they visited
 * pinned until they ended, but a walk rarely comes back to a page, and
 * past eight pins PostgreSQL tracks a backend's pins in a hash table, so
 * each new pin cost two hash operations and the scan's end one per page:
 * on 100,000 fastText vectors a query at ef_search 80 took a third more
 * CPU that way (see doc/vector.md).
 *
 * IDENTIFICATION
 *	  src/vector/hnsw_search.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "storage/buf_internals.h"
#include "storage/bufmgr.h"
#include "utils/memutils.h"

#include "vector/hnsw.h"
#include "vector/hnsw_heap.h"

#define SEEN_CHUNK 1024

/* matching elements within two hops below which a walk routes through others */
#define FILTER_MIN_REACH 3

struct HnswSearch
{
	Relation	index;
	HnswShape	shape;
	HnswQuery	q;
	bool		keep_vectors;
	bool		continuable;	/* keep every visited element expandable */
	const HnswFilter *filter;
	MemoryContext cxt;
	BlockNumber nblocks;

	/* visited set */
	uint32	   *hkeys;
	HnswSeen  **hvals;
	uint32		hcap;
	uint32		hcount;
	HnswSeen	marker;			/* value of ids known but not visited */

	/* seen records */
	HnswSeen  **chunks;
	int			nchunks;
	int			chunkcap;
	int			nseen;

	HnswHeap	cand;			/* C */
	HnswHeap	pend;			/* P */
	HnswHeap	round;			/* R, the current batch (max-heap) */

	uint32	   *nbuf;			/* neighbour list scratch */
	uint32	   *kbuf;
	uint32	   *todo;			/* ids to visit from one expansion */
	uint32	   *fail;			/* neighbours that failed the filter */
	bool		one_range;		/* the filter is one range lo..hi of keys */
	uint32		range_lo;
	uint32		range_span;		/* hi - lo */
	uint64		keys_seen;		/* neighbour keys a filtered walk looked at */
	uint64		keys_pass;		/* ... and those that passed */
	int			tuple_bytes;	/* header and vector of an element */
	int			list_bytes;		/* level-0 ids and keys of a level-0 element */
	HnswSeen  **out;			/* batch handed to the caller */
	int			outcap;
};

/* ---- visited set -------------------------------------------------------- */

static inline uint32
hash_id(uint32 id)
{
	/* Fibonacci hashing: ids of one page differ in the low byte only */
	return id * 2654435769u;
}

static HnswSeen *
visited_get(HnswSearch *s, uint32 id)
{
	uint32		mask = s->hcap - 1;
	uint32		i = hash_id(id) & mask;

	while (s->hkeys[i] != HNSW_INVALID_ID)
	{
		if (s->hkeys[i] == id)
			return s->hvals[i];
		i = (i + 1) & mask;
	}
	return NULL;
}

static void visited_put(HnswSearch *s, uint32 id, HnswSeen *seen);

static void
visited_grow(HnswSearch *s)
{
	uint32	   *oldkeys = s->hkeys;
	HnswSeen  **oldvals = s->hvals;
	uint32		oldcap = s->hcap;
	uint32		i;

	s->hcap *= 2;
	s->hkeys = MemoryContextAlloc(s->cxt, sizeof(uint32) * s->hcap);
	s->hvals = MemoryContextAlloc(s->cxt, sizeof(HnswSeen *) * s->hcap);
	memset(s->hkeys, 0xFF, sizeof(uint32) * s->hcap);
	s->hcount = 0;
	for (i = 0; i < oldcap; i++)
		if (oldkeys[i] != HNSW_INVALID_ID)
			visited_put(s, oldkeys[i], oldvals[i]);
	pfree(oldkeys);
	pfree(oldvals);
}

static void
visited_put(HnswSearch *s, uint32 id, HnswSeen *seen)
{
	uint32		mask;
	uint32		i;

	if ((s->hcount + 1) * 2 > s->hcap)
		visited_grow(s);
	mask = s->hcap - 1;
	i = hash_id(id) & mask;
	while (s->hkeys[i] != HNSW_INVALID_ID)
	{
		if (s->hkeys[i] == id)
		{
			s->hvals[i] = seen;
			return;
		}
		i = (i + 1) & mask;
	}
	s->hkeys[i] = id;
	s->hvals[i] = seen;
	s->hcount++;
}

/*
 * visited_mark - mark id known (not yet visited) unless the set has it:
 * one probe where visited_get and visited_put would take two.  True when
 * it was new.
 */
static inline bool
visited_mark(HnswSearch *s, uint32 id)
{
	uint32		mask;
	uint32		i;

	if ((s->hcount + 1) * 2 > s->hcap)
		visited_grow(s);
	mask = s->hcap - 1;
	i = hash_id(id) & mask;
	while (s->hkeys[i] != HNSW_INVALID_ID)
	{
		if (s->hkeys[i] == id)
			return false;
		i = (i + 1) & mask;
	}
	s->hkeys[i] = id;
	s->hvals[i] = &s->marker;
	s->hcount++;
	return true;
}

static void
visited_reset(HnswSearch *s)
{
	memset(s->hkeys, 0xFF, sizeof(uint32) * s->hcap);
	s->hcount = 0;
}

/* ---- reading elements --------------------------------------------------- */

/*
 * The buffer each block of the index was last found in, kept per backend
 * in the index's relcache entry (rd_amcache, freed with it on any
 * invalidation).  ReadRecentBuffer pins that buffer only if it still holds
 * the block, so a stale entry costs one failed check; a hit saves the
 * buffer mapping lookup.
 */
typedef struct HnswBufferCache
{
	BlockNumber nblocks;
	Buffer		bufs[FLEXIBLE_ARRAY_MEMBER];
} HnswBufferCache;

static Buffer
read_block_cached(Relation index, BlockNumber blk)
{
	HnswBufferCache *c = (HnswBufferCache *) index->rd_amcache;
	Buffer		buf;

	if (c != NULL && blk < c->nblocks && BufferIsValid(c->bufs[blk]) &&
#if PG_VERSION_NUM >= 160000
		ReadRecentBuffer(index->rd_locator, MAIN_FORKNUM, blk, c->bufs[blk])
#else
		ReadRecentBuffer(index->rd_node, MAIN_FORKNUM, blk, c->bufs[blk])
#endif
		)
		return c->bufs[blk];

	buf = ReadBuffer(index, blk);
	if (c == NULL || blk >= c->nblocks)
	{
		BlockNumber n = Max(blk + 1, RelationGetNumberOfBlocks(index)) + 64;
		HnswBufferCache *nc = MemoryContextAllocZero(index->rd_indexcxt,
													 offsetof(HnswBufferCache, bufs) +
													 sizeof(Buffer) * n);

		nc->nblocks = n;
		if (c != NULL)
		{
			memcpy(nc->bufs, c->bufs, sizeof(Buffer) * c->nblocks);
			pfree(c);
		}
		index->rd_amcache = nc;
		c = nc;
	}
	c->bufs[blk] = buf;
	return buf;
}

/*
 * prefetch_element - start loading what visiting an element will touch
 * (its buffer header and the start of its page, with the line pointers)
 * so the visits of one candidate's neighbours overlap their cache misses.
 */
static inline void
prefetch_element(Relation index, uint32 id)
{
	HnswBufferCache *c = (HnswBufferCache *) index->rd_amcache;
	BlockNumber blk = HnswIdBlock(id);
	Buffer		buf;

	if (c == NULL || blk >= c->nblocks)
		return;
	buf = c->bufs[blk];
	if (buf <= 0)
		return;					/* unknown, or a local buffer */
	__builtin_prefetch(GetBufferDescriptor(buf - 1));
	__builtin_prefetch((char *) BufferGetBlock(buf) +
					   SizeOfPageHeaderData + sizeof(ItemIdData) * HnswIdOffset(id));
}

/*
 * prefetch_tuple - the second stage: with the line pointer (prefetched by
 * prefetch_element) now in cache, start loading the element tuple itself.
 * The line pointer is read without the page lock; a torn or stale value
 * only aims a prefetch at another spot inside the same buffer.
 */
static inline void
prefetch_tuple(Relation index, uint32 id, int start, int bytes)
{
	HnswBufferCache *c = (HnswBufferCache *) index->rd_amcache;
	BlockNumber blk = HnswIdBlock(id);
	Buffer		buf;
	char	   *page;
	ItemIdData	iid;
	int			off;

	if (c == NULL || blk >= c->nblocks)
		return;
	buf = c->bufs[blk];
	if (buf <= 0)
		return;
	page = (char *) BufferGetBlock(buf);
	iid = *(volatile ItemIdData *) (page + SizeOfPageHeaderData +
									sizeof(ItemIdData) * (HnswIdOffset(id) - 1));
	for (off = iid.lp_off + start; off < (int) iid.lp_off + start + bytes && off < BLCKSZ;
		 off += 64)
		__builtin_prefetch(page + off);
}

/* An element being read: its page, pinned and share-locked */
typedef struct ElementRef
{
	Buffer		buf;
} ElementRef;

static HnswElementTuple
lock_block_element(Relation index, BlockNumber *nblocks, uint32 id, ElementRef *ref)
{
	BlockNumber blk = HnswIdBlock(id);
	HnswElementTuple e;

	if (blk == HNSW_METAPAGE_BLKNO)
		return NULL;
	if (blk >= *nblocks)
	{
		*nblocks = RelationGetNumberOfBlocks(index);
		if (blk >= *nblocks)
			return NULL;
	}
	ref->buf = read_block_cached(index, blk);
	LockBuffer(ref->buf, BUFFER_LOCK_SHARE);
	e = dllb_hnsw_page_element(BufferGetPage(ref->buf), HnswIdOffset(id));
	if (e == NULL)
		UnlockReleaseBuffer(ref->buf);
	return e;
}

static inline void
unlock_element(ElementRef *ref)
{
	UnlockReleaseBuffer(ref->buf);
}

static void
element_info(HnswElementTuple e, const HnswShape *shape, HnswElemInfo *info)
{
	info->flags = e->flags;
	info->level = e->level;
	info->heaptid = e->heaptid;
	info->parent = e->parent;
	info->norm = e->norm;
	info->key = HnswElementKey(e, shape);
}

/*
 * dllb_hnsw_read_element - copy what the caller asks for of one element
 * (its header fields, its stored vector, its list at lc with the
 * neighbours' keys); false when it is gone.  Any output pointer may be
 * NULL.  *nblocks is the caller's cache of the index size (0 when not
 * known yet).
 */
bool
dllb_hnsw_read_element(Relation index, const HnswShape *shape,
					   BlockNumber *nblocks, uint32 id,
					   HnswElemInfo *info, void *payload, int lc,
					   uint32 *ids, uint32 *keys, int *n)
{
	ElementRef	ref;
	HnswElementTuple e = lock_block_element(index, nblocks, id, &ref);

	if (e == NULL)
		return false;
	if (info)
		element_info(e, shape, info);
	if (payload)
		memcpy(payload, HnswElementPayload(e), shape->payload);
	if (ids)
		*n = dllb_hnsw_get_list(e, shape, lc, ids, keys);
	unlock_element(&ref);
	return true;
}

/* ---- the search --------------------------------------------------------- */

HnswSearch *
dllb_hnsw_search_begin(Relation index, const HnswShape *shape, const HnswQuery *q,
					   bool keep_vectors, const HnswFilter *filter)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "dllb_hnsw search",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	HnswSearch *s = palloc0(sizeof(HnswSearch));
	int			max0 = HnswSlotsAt(shape->m, 0);

	s->index = index;
	s->shape = *shape;
	s->q = *q;
	s->keep_vectors = keep_vectors;
	s->filter = filter;
	if (filter != NULL && !filter->nothing && filter->nconds == 1)
	{
		const HnswCond *c = &filter->conds[0];

		if (c->set == NULL && c->lo <= c->hi)
		{
			s->one_range = true;
			s->range_lo = c->lo;
			s->range_span = c->hi - c->lo;
		}
		else if (c->set != NULL && c->nset == 1)
		{
			s->one_range = true;
			s->range_lo = c->set[0];
			s->range_span = 0;
		}
	}
	s->cxt = cxt;
	s->nblocks = RelationGetNumberOfBlocks(index);
	s->hcap = 4096;				/* a scan at ef_search 80 visits ~1,500 */
	s->hkeys = palloc(sizeof(uint32) * s->hcap);
	s->hvals = palloc(sizeof(HnswSeen *) * s->hcap);
	visited_reset(s);
	s->chunkcap = 16;
	s->chunks = palloc(sizeof(HnswSeen *) * s->chunkcap);
	hnsw_heap_init(&s->cand, 256, false);
	hnsw_heap_init(&s->pend, 256, false);
	hnsw_heap_init(&s->round, 64, true);
	s->nbuf = palloc(sizeof(uint32) * max0);
	s->kbuf = palloc(sizeof(uint32) * max0);
	s->todo = palloc(sizeof(uint32) * (max0 + 2 * max0));
	s->fail = palloc(sizeof(uint32) * max0);
	s->tuple_bytes = HNSW_HEADER_SIZE + shape->payload;
	s->list_bytes = sizeof(uint32) * 2 * max0;
	s->outcap = 64;
	s->out = palloc(sizeof(HnswSeen *) * s->outcap);
	MemoryContextSwitchTo(old);
	return s;
}

static HnswSeen *
new_seen(HnswSearch *s)
{
	int			chunk = s->nseen / SEEN_CHUNK;

	if (chunk == s->nchunks)
	{
		if (s->nchunks == s->chunkcap)
		{
			s->chunkcap *= 2;
			s->chunks = repalloc(s->chunks, sizeof(HnswSeen *) * s->chunkcap);
		}
		s->chunks[s->nchunks++] = MemoryContextAlloc(s->cxt, sizeof(HnswSeen) * SEEN_CHUNK);
	}
	return &s->chunks[chunk][s->nseen++ % SEEN_CHUNK];
}

/* seen_element - a new seen record for element e (id): its distance */
static HnswSeen *
seen_element(HnswSearch *s, uint32 id, HnswElementTuple e)
{
	HnswSeen   *seen = new_seen(s);

	seen->dist = dllb_hnsw_qdist(&s->shape, &s->q, HnswElementPayload(e), e->norm);
	seen->id = id;
	seen->heaptid = e->heaptid;
	seen->level = e->level;
	seen->flags = e->flags;
	seen->parent = e->parent;
	seen->key = HnswElementKey(e, &s->shape);
	seen->emitted = false;
	seen->eligible = !(e->flags & HNSW_ELEMENT_DELETED) &&
		(s->filter == NULL ||
		 (!(e->flags & HNSW_ELEMENT_KEY_NULL) && dllb_hnsw_filter_pass(s->filter, seen->key)));
	seen->norm = e->norm;
	seen->vec = NULL;
	return seen;
}

/*
 * visit - compute the distance of an element to the query and remember
 * it; NULL when the element is gone.
 */
static HnswSeen *
visit(HnswSearch *s, uint32 id)
{
	ElementRef	ref;
	HnswElementTuple e = lock_block_element(s->index, &s->nblocks, id, &ref);
	HnswSeen   *seen;

	if (e == NULL)
		return NULL;
	seen = seen_element(s, id, e);
	if (s->keep_vectors)
	{
		seen->vec = MemoryContextAlloc(s->cxt, s->shape.payload);
		memcpy(seen->vec, HnswElementPayload(e), s->shape.payload);
	}
	unlock_element(&ref);
	visited_put(s, id, seen);
	return seen;
}

/* read_neighbours - an element's list at lc into s->nbuf (keys in s->kbuf) */
static int
read_neighbours(HnswSearch *s, uint32 id, int lc)
{
	ElementRef	ref;
	HnswElementTuple e = lock_block_element(s->index, &s->nblocks, id, &ref);
	int			n;

	if (e == NULL)
		return 0;
	n = dllb_hnsw_get_list(e, &s->shape, lc, s->nbuf, s->filter ? s->kbuf : NULL);
	unlock_element(&ref);
	return n;
}

/*
 * dllb_hnsw_search_descend - greedy walk from the entry point down to the
 * level above to_level; afterwards the search holds one start element for
 * dllb_hnsw_search_layer / _next_batch.  The filter plays no part here.
 */
void
dllb_hnsw_search_descend(HnswSearch *s, uint32 entry, int entry_level, int to_level)
{
	MemoryContext old = MemoryContextSwitchTo(s->cxt);
	HnswSeen   *cur = visit(s, entry);
	int			lc;

	MemoryContextSwitchTo(old);
	if (cur == NULL)
		return;
	for (lc = entry_level; lc > to_level; lc--)
	{
		bool		changed = true;

		while (changed)
		{
			int			n;
			int			i;

			CHECK_FOR_INTERRUPTS();
			changed = false;
			n = read_neighbours(s, cur->id, lc);
			for (i = 0; i < n; i++)
			{
				HnswSeen   *nb = visited_get(s, s->nbuf[i]);

				if (nb == NULL)
				{
					old = MemoryContextSwitchTo(s->cxt);
					nb = visit(s, s->nbuf[i]);
					MemoryContextSwitchTo(old);
				}
				if (nb != NULL && nb->dist < cur->dist)
				{
					cur = nb;
					changed = true;
				}
			}
		}
	}

	/* start the layer search at cur, with a fresh visited set */
	visited_reset(s);
	visited_put(s, cur->id, cur);
	s->cand.n = 0;
	s->pend.n = 0;
	hnsw_heap_push(&s->cand, cur->dist, cur);
	if (cur->eligible)
		hnsw_heap_push(&s->pend, cur->dist, cur);
}

static void
ensure_out(HnswSearch *s, int n)
{
	if (n > s->outcap)
	{
		s->outcap = Max(n, s->outcap * 2);
		s->out = repalloc(s->out, sizeof(HnswSeen *) * s->outcap);
	}
}

/*
 * key_passes - dllb_hnsw_filter_pass, with the common case of one range
 * (= 7, or BETWEEN) inline: the two-hop expansion tests every key of up
 * to 2m lists.
 */
static inline bool
key_passes(const HnswSearch *s, uint32 key)
{
	if (s->one_range)
		return key - s->range_lo <= s->range_span;
	return dllb_hnsw_filter_pass(s->filter, key);
}

/*
 * expand - the ids to visit from candidate c at level lc, in s->todo:
 * its unvisited neighbours, or with a filter those whose keys pass, and
 * when those are few, the passing neighbours of the ones that fail (and
 * the failing ones themselves when even those are too few, or when the
 * walk is starving: nothing else to expand and fewer results than ef).
 * Each is marked known, so it is visited once.
 */
static int
expand(HnswSearch *s, uint32 c, int lc, bool starving)
{
	int			max0 = HnswSlotsAt(s->shape.m, 0);
	int			nn = read_neighbours(s, c, lc);
	int			ntodo = 0;
	int			nfail = 0;
	int			reach = 0;
	int			i;

	for (i = 0; i < nn; i++)
		prefetch_element(s->index, s->nbuf[i]);
	for (i = 0; i < nn; i++)
	{
		uint32		id = s->nbuf[i];

		if (s->filter != NULL && key_passes(s, s->kbuf[i]))
			reach++;
		if (!visited_mark(s, id))
			continue;
		if (s->filter == NULL || key_passes(s, s->kbuf[i]))
			s->todo[ntodo++] = id;
		else
			s->fail[nfail++] = id;
	}
	if (s->filter != NULL)
	{
		s->keys_seen += nn;
		s->keys_pass += reach;
	}
	if (s->filter != NULL && ntodo < max0)
	{
		int			f;

		for (f = 0; f < nfail; f++)
			prefetch_element(s->index, s->fail[f]);
		/*
		 * and their lists (ids and keys), as the tuples of the elements
		 * to visit are: reading up to 2m lists one after the other left
		 * each waiting on its own cache misses (a fifth less latency for a
		 * 1% filter on 100,000 fastText vectors)
		 */
		if (lc == 0)
			for (f = 0; f < nfail; f++)
				prefetch_tuple(s->index, s->fail[f], s->shape.slotoff, s->list_bytes);
		for (f = 0; f < nfail && ntodo < 2 * max0; f++)
		{
			CHECK_FOR_INTERRUPTS();
			nn = read_neighbours(s, s->fail[f], lc);
			for (i = 0; i < nn && ntodo < 3 * max0; i++)
			{
				uint32		id = s->nbuf[i];

				if (!key_passes(s, s->kbuf[i]))
					continue;
				reach++;
				if (!visited_mark(s, id))
					continue;
				s->todo[ntodo++] = id;
			}
		}

		/*
		 * Fewer than FILTER_MIN_REACH matching elements within two hops
		 * (visited or not: a small m, a very selective filter), or nothing
		 * new and nothing else to expand (a tight cluster without matching
		 * elements): walk on through the neighbours that fail as well, as
		 * plain elements (their distance is computed, they are never
		 * results, the usual bound on C stops them), instead of getting
		 * stuck or reading the whole index.
		 */
		if (reach < FILTER_MIN_REACH || (ntodo == 0 && starving))
		{
			for (f = 0; f < nfail; f++)
				s->todo[ntodo++] = s->fail[f];
		}
	}
	return ntodo;
}

/*
 * filtered_ef - the result bound of a filtered scan's walk: ef, widened
 * when few of the neighbour keys seen so far pass the filter.  The walk
 * over matching elements only (and their two-hop links) is a sparser
 * graph than the whole one, so it needs more results kept to reach the
 * same recall; the estimate of the filter's selectivity comes from the
 * keys beside the neighbour ids, which cost nothing to look at (with a
 * prior of 10% worth one list, so the first few keys do not swing it).
 * With a selectivity s below 10% the bound is ef * (1 + 0.75 log10(0.1 /
 * s)), at most 4 ef: 1.75 ef at 1%, 2.5 ef at 0.1%.  Measured on 100,000
 * fastText vectors with a 1% filter at ef 40: recall 0.916 -> 0.962 (see
 * doc/vector.md).  Queries without a filter, or with one most elements
 * pass, keep ef.
 */
static int
filtered_ef(HnswSearch *s, int ef)
{
	double		sel;
	double		widen;

	if (s->filter == NULL || !s->continuable || s->keys_seen == 0 ||
		!dllb_hnsw_debug_filter_widen)
		return ef;
	sel = (s->keys_pass + 3.2) / (s->keys_seen + 32.0);
	if (sel >= 0.1)
		return ef;
	widen = Min(4.0, 1.0 + 0.75 * log10(0.1 / sel));
	return (int) Min((double) (INT_MAX / 8), ef * widen);
}

/*
 * run_round - the layer search, bounded by ef results (widened for a
 * selective filter, see filtered_ef).
 */
static int
run_round(HnswSearch *s, int lc, int ef_asked, HnswSeen ***result)
{
	HnswHeap   *R = &s->round;
	MemoryContext old = MemoryContextSwitchTo(s->cxt);
	int			ef = filtered_ef(s, ef_asked);
	int			n;
	int			i;

	R->n = 0;
	while (s->pend.n > 0 && R->n < ef)
	{
		HnswSeen   *p = (HnswSeen *) hnsw_heap_pop(&s->pend);

		hnsw_heap_push(R, p->dist, p);
	}

	while (s->cand.n > 0)
	{
		HnswSeen   *c;
		int			ntodo;

		ef = filtered_ef(s, ef_asked);
		if (R->n >= ef && s->cand.items[0].dist > R->items[0].dist)
			break;
		if (s->continuable && s->hcount > (uint32) dllb_hnsw_max_scan_tuples)
			break;
		CHECK_FOR_INTERRUPTS();
		c = (HnswSeen *) hnsw_heap_pop(&s->cand);
		ntodo = expand(s, c->id, lc, s->cand.n == 0 && R->n < ef);

		/*
		 * The line pointers of all were prefetched; now the tuples.  (All
		 * at once: prefetching each a few ahead of its visit instead took
		 * 9% more CPU.)
		 */
		for (i = 0; i < ntodo; i++)
			prefetch_tuple(s->index, s->todo[i], 0, s->tuple_bytes);
		for (i = 0; i < ntodo; i++)
		{
			HnswSeen   *e;
			bool		enters;

			e = visit(s, s->todo[i]);
			if (e == NULL)
				continue;
			enters = R->n < ef || e->dist < R->items[0].dist;
			if (enters || s->continuable)
				hnsw_heap_push(&s->cand, e->dist, e);
			if (!e->eligible)
				continue;
			if (enters)
			{
				if (R->n >= ef)
				{
					HnswSeen   *worst = (HnswSeen *) hnsw_heap_pop(R);

					if (s->continuable)
						hnsw_heap_push(&s->pend, worst->dist, worst);
				}
				hnsw_heap_push(R, e->dist, e);
			}
			else if (s->continuable)
				hnsw_heap_push(&s->pend, e->dist, e);
		}
	}

	/*
	 * A filtered walk that ran dry before it found ef matching elements
	 * has no good claim that those it found are the nearest (the matching
	 * part of the graph it could reach was small or badly linked, as on
	 * data along a curve): hand out none, so the scan reads the index and
	 * sorts every matching element instead.
	 */
	if (s->continuable && s->filter != NULL && s->cand.n == 0 && R->n < ef)
	{
		while (R->n > 0)
		{
			HnswSeen   *p = (HnswSeen *) hnsw_heap_pop(R);

			hnsw_heap_push(&s->pend, p->dist, p);
		}
		MemoryContextSwitchTo(old);
		*result = s->out;
		return 0;
	}

	/* R, nearest first */
	n = R->n;
	ensure_out(s, n);
	for (i = n - 1; i >= 0; i--)
	{
		s->out[i] = (HnswSeen *) hnsw_heap_pop(R);
		s->out[i]->emitted = true;
	}
	MemoryContextSwitchTo(old);
	*result = s->out;
	return n;
}

/*
 * dllb_hnsw_search_layer - one layer search at level lc from the start
 * elements given (the previous layer's result) for inserts: returns up to
 * ef live elements nearest first.
 */
int
dllb_hnsw_search_layer(HnswSearch *s, int lc, int ef, HnswSeen ***result)
{
	s->continuable = false;
	return run_round(s, lc, ef, result);
}

/*
 * dllb_hnsw_search_next_batch - the next batch of a scan at level 0;
 * 0 when the graph walk has nothing more (graph done or budget spent).
 */
int
dllb_hnsw_search_next_batch(HnswSearch *s, int ef, HnswSeen ***result)
{
	s->continuable = true;
	return run_round(s, 0, ef, result);
}

static int
cmp_seen(const void *a, const void *b)
{
	float		da = (*(HnswSeen *const *) a)->dist;
	float		db = (*(HnswSeen *const *) b)->dist;

	return (da > db) - (da < db);
}

/*
 * dllb_hnsw_search_exhaustive - every live element (that passes the
 * filter) not yet handed out, nearest first, read page by page.
 */
int
dllb_hnsw_search_exhaustive(HnswSearch *s, HnswSeen ***result)
{
	MemoryContext old = MemoryContextSwitchTo(s->cxt);
	BlockNumber nblocks = RelationGetNumberOfBlocks(s->index);
	BlockNumber blk;
	int			n = 0;

	for (blk = HNSW_METAPAGE_BLKNO + 1; blk < nblocks; blk++)
	{
		Buffer		buf;
		Page		page;
		OffsetNumber off;
		OffsetNumber maxoff;

		CHECK_FOR_INTERRUPTS();
		buf = ReadBuffer(s->index, blk);
		LockBuffer(buf, BUFFER_LOCK_SHARE);
		page = BufferGetPage(buf);
		maxoff = PageIsNew(page) ? 0 : PageGetMaxOffsetNumber(page);
		for (off = FirstOffsetNumber; off <= maxoff; off++)
		{
			HnswElementTuple e = dllb_hnsw_page_element(page, off);
			uint32		id = HnswIdMake(blk, off);
			HnswSeen   *seen;

			if (e == NULL || (e->flags & HNSW_ELEMENT_DELETED))
				continue;
			if (s->filter != NULL &&
				((e->flags & HNSW_ELEMENT_KEY_NULL) ||
				 !dllb_hnsw_filter_pass(s->filter, HnswElementKey(e, &s->shape))))
				continue;
			seen = visited_get(s, id);
			if (seen == &s->marker)
				seen = NULL;
			if (seen != NULL && seen->emitted)
				continue;
			if (seen == NULL)
			{
				seen = seen_element(s, id, e);
				visited_put(s, id, seen);
			}
			seen->emitted = true;
			ensure_out(s, n + 1);
			s->out[n++] = seen;
		}
		UnlockReleaseBuffer(buf);
	}
	qsort(s->out, n, sizeof(HnswSeen *), cmp_seen);
	s->pend.n = 0;
	s->cand.n = 0;
	MemoryContextSwitchTo(old);
	*result = s->out;
	return n;
}

/*
 * dllb_hnsw_search_lookup - what the search knows of an element it visited
 * since its last restart, or NULL.
 */
HnswSeen *
dllb_hnsw_search_lookup(HnswSearch *s, uint32 id)
{
	HnswSeen   *seen = visited_get(s, id);

	return seen == &s->marker ? NULL : seen;
}

/* dllb_hnsw_search_end - free everything */
void
dllb_hnsw_search_end(HnswSearch *s)
{
	MemoryContextDelete(s->cxt);
}

/*
 * dllb_hnsw_search_restart - start the next layer search of an insert at
 * the previous layer's result: a fresh visited set, those as start.
 */
void
dllb_hnsw_search_restart(HnswSearch *s, HnswSeen **starts, int n)
{
	int			i;

	visited_reset(s);
	s->cand.n = 0;
	s->pend.n = 0;
	for (i = 0; i < n; i++)
	{
		visited_put(s, starts[i]->id, starts[i]);
		hnsw_heap_push(&s->cand, starts[i]->dist, starts[i]);
		hnsw_heap_push(&s->pend, starts[i]->dist, starts[i]);
	}
}
