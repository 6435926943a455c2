/*-------------------------------------------------------------------------
 *
 * bm25_vacuum.c
 *	  VACUUM for dllb_bm25: dead documents leave the write buffer and every
 *	  segment that has them, and the statistics (documents, total length,
 *	  each term's df) drop by exactly what left.
 *
 * A segment with dead documents is rewritten without them (a merge of one
 * segment, bm25_merge.c) and swapped in; the old pages wait on the garbage
 * list until no snapshot can read them, and the cleanup pass recycles
 * them.  The cleanup pass also flushes the write buffer, so insert-only
 * tables reach compressed segments without a delete.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_vacuum.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "commands/vacuum.h"
#include "storage/lmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "fulltext/bm25.h"

typedef struct DeadArg
{
	IndexBulkDeleteCallback callback;
	void	   *state;
} DeadArg;

static bool
is_dead(uint64 doc, void *arg)
{
	DeadArg    *d = (DeadArg *) arg;
	ItemPointerData tid;

	dllb_bm25_doc_tid(doc, &tid);
	return d->callback(&tid, d->state);
}

/* does segment seg hold a document dead calls dead? */
static bool
segment_has_dead(Relation index, const Bm25Segment *seg, DeadArg *arg)
{
	Bm25DictReader r;
	Bm25DictEntry e;
	Bm25ItemReader ir;
	DllbPosting post[DLLB_POSTINGS_PER_BLOCK];
	bool		found = false;

	memset(&r, 0, sizeof(r));
	memset(&ir, 0, sizeof(ir));
	dllb_bm25_dict_begin(&r, index, seg->dict_head);
	while (!found && dllb_bm25_dict_next(&r, &e))
	{
		const uint8 *data;
		Size		len;

		dllb_bm25_items_begin(&ir, index, &e);
		while (!found && dllb_bm25_items_next(&ir, &data, &len))
		{
			DllbBlockInfo info;
			Size		blen;
			int			n;
			int			i;

			CHECK_FOR_INTERRUPTS();
			if (dllb_postings_info(data, len, &info, &blen) != DLLB_POSTINGS_OK ||
				dllb_postings_decode(data, blen, post, &n) != DLLB_POSTINGS_OK)
				ereport(ERROR,
						(errcode(ERRCODE_INDEX_CORRUPTED),
						 errmsg("dllb_bm25 index \"%s\" has a corrupt posting block",
								RelationGetRelationName(index))));
			for (i = 0; i < n && !found; i++)
				found = is_dead(post[i].doc, arg);
		}
	}
	pfree(r.page);
	dllb_bm25_items_end(&ir);
	return found;
}

/* drop the dead documents of the write buffer */
static int64
vacuum_buffer(Relation index, DeadArg *arg)
{
	Bm25MetaData meta;
	BlockNumber blk;
	int64		removed = 0;

	LockPage(index, BM25_LOCK_BUFFER, ExclusiveLock);
	dllb_bm25_read_meta(index, &meta);
	blk = meta.buf_head;
	while (blk != InvalidBlockNumber)
	{
		Buffer		buf = ReadBuffer(index, blk);
		Page		page;
		OffsetNumber dead[MaxOffsetNumber];
		int			ndead = 0;
		uint64		deadsumdl = 0;
		OffsetNumber off;
		OffsetNumber maxoff;
		BlockNumber next;

		CHECK_FOR_INTERRUPTS();
		LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
		page = BufferGetPage(buf);
		maxoff = PageGetMaxOffsetNumber(page);
		for (off = FirstOffsetNumber; off <= maxoff; off++)
		{
			ItemId		iid = PageGetItemId(page, off);
			uint64		doc;
			uint32		dl;

			if (!ItemIdIsUsed(iid) || ItemIdGetLength(iid) < 16)
				continue;
			memcpy(&doc, PageGetItem(page, iid), 8);
			memcpy(&dl, (char *) PageGetItem(page, iid) + 8, 4);
			if (is_dead(doc, arg))
			{
				dead[ndead++] = off;
				deadsumdl += dl;
			}
		}
		next = Bm25PageGetOpaque(page)->next;
		if (ndead > 0)
		{
			Buffer		metabuf = ReadBuffer(index, BM25_META_BLKNO);
			GenericXLogState *state;
			Page		p;
			Bm25Meta	m;

			LockBuffer(metabuf, BUFFER_LOCK_EXCLUSIVE);
			state = GenericXLogStart(index);
			p = GenericXLogRegisterBuffer(state, buf, 0);
			PageIndexMultiDelete(p, dead, ndead);
			p = GenericXLogRegisterBuffer(state, metabuf, 0);
			m = Bm25PageGetMeta(p);
			m->ndocs -= ndead;
			m->sumdl -= deadsumdl;
			m->buf_docs -= ndead;
			m->buf_sumdl -= deadsumdl;
			GenericXLogFinish(state);
			UnlockReleaseBuffer(metabuf);
			removed += ndead;
		}
		UnlockReleaseBuffer(buf);
		blk = next;
	}
	UnlockPage(index, BM25_LOCK_BUFFER, ExclusiveLock);
	return removed;
}

IndexBulkDeleteResult *
dllb_bm25_bulkdelete(IndexVacuumInfo *info, IndexBulkDeleteResult *stats,
					 IndexBulkDeleteCallback callback, void *callback_state)
{
	Relation	index = info->index;
	Bm25Config	cfg;
	Bm25MetaData meta;
	DeadArg		arg;
	int			i;
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_bm25 vacuum",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);

	if (stats == NULL)
		stats = MemoryContextAllocZero(old, sizeof(IndexBulkDeleteResult));
	dllb_bm25_config(index, &cfg);
	arg.callback = callback;
	arg.state = callback_state;

	LockPage(index, BM25_LOCK_SEGMENTS, ExclusiveLock);
	stats->tuples_removed += vacuum_buffer(index, &arg);

	dllb_bm25_read_meta(index, &meta);
	for (i = 0; i < (int) meta.nsegments; i++)
	{
		Bm25Segment *seg = &meta.segments[i];
		Bm25Segment out;
		uint64		rdocs;
		uint64		rsumdl;
		bool		ok;
		Buffer		buf;
		GenericXLogState *state;
		Page		page;
		Bm25Meta	m;
		int			j;

		if (!segment_has_dead(index, seg, &arg))
			continue;
		ok = dllb_bm25_merge(index, seg, 1, cfg.positions, is_dead, &arg, &out,
							 &rdocs, &rsumdl);
		buf = ReadBuffer(index, BM25_META_BLKNO);
		LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
		state = GenericXLogStart(index);
		page = GenericXLogRegisterBuffer(state, buf, 0);
		m = Bm25PageGetMeta(page);
		for (j = 0; j < (int) m->nsegments; j++)
			if (m->segments[j].id == seg->id)
				break;
		if (j == (int) m->nsegments)
			elog(ERROR, "dllb_bm25: segment %u vanished during VACUUM", seg->id);
		dllb_bm25_add_garbage(m, seg->dir_head, seg->dict_head, seg->post_head);
		if (ok)
		{
			out.id = m->next_segment_id++;
			m->segments[j] = out;
		}
		else
		{
			memmove(&m->segments[j], &m->segments[j + 1],
					sizeof(Bm25Segment) * (m->nsegments - j - 1));
			m->nsegments--;
		}
		m->ndocs -= rdocs;
		m->sumdl -= rsumdl;
		GenericXLogFinish(state);
		UnlockReleaseBuffer(buf);
		stats->tuples_removed += rdocs;
		MemoryContextReset(cxt);
	}
	UnlockPage(index, BM25_LOCK_SEGMENTS, ExclusiveLock);

	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return stats;
}

IndexBulkDeleteResult *
dllb_bm25_vacuumcleanup(IndexVacuumInfo *info, IndexBulkDeleteResult *stats)
{
	Relation	index = info->index;
	Bm25Config	cfg;
	Bm25MetaData meta;

	if (info->analyze_only)
		return stats;
	if (stats == NULL)
		stats = palloc0(sizeof(IndexBulkDeleteResult));
	dllb_bm25_config(index, &cfg);

	/* the write buffer into a segment, then the usual merges */
	LockPage(index, BM25_LOCK_BUFFER, ExclusiveLock);
	dllb_bm25_read_meta(index, &meta);
	if (meta.buf_docs > 0 && dllb_bm25_flush(index, cfg.positions))
	{
		UnlockPage(index, BM25_LOCK_BUFFER, ExclusiveLock);
		LockPage(index, BM25_LOCK_SEGMENTS, ExclusiveLock);
		dllb_bm25_merge_policy(index, cfg.positions);
		UnlockPage(index, BM25_LOCK_SEGMENTS, ExclusiveLock);
	}
	else
		UnlockPage(index, BM25_LOCK_BUFFER, ExclusiveLock);

	stats->pages_free += dllb_bm25_recycle(index, false);
	dllb_bm25_read_meta(index, &meta);
	stats->num_pages = RelationGetNumberOfBlocks(index);
	stats->num_index_tuples = (double) meta.ndocs;
	stats->estimated_count = false;
	return stats;
}
