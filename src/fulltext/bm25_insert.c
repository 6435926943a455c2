/*-------------------------------------------------------------------------
 *
 * bm25_insert.c
 *	  INSERT into a dllb_bm25 index: the row's document goes to the write
 *	  buffer; a full buffer is flushed into a segment and the segments are
 *	  merged by the policy (bm25_merge.c).
 *
 * Appends take the buffer lock (a heavyweight lock on a pseudo page, so
 * appends are serial but short) and change the buffer's tail page and the
 * meta page in one WAL record.  Readers never take it.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_insert.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "nodes/execnodes.h"
#include "storage/lmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "fulltext/bm25.h"

/* a document too big for a buffer page becomes a segment of its own */
static void
insert_as_segment(Relation index, Bm25Doc *doc, bool positions)
{
	Bm25Segment seg;
	Buffer		buf;
	GenericXLogState *state;
	Page		page;
	Bm25Meta	m;

	LockPage(index, BM25_LOCK_SEGMENTS, ExclusiveLock);
	dllb_bm25_write_docs(index, doc, 1, positions, &seg);
	buf = ReadBuffer(index, BM25_META_BLKNO);
	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, 0);
	m = Bm25PageGetMeta(page);
	if (m->nsegments >= BM25_MAX_SEGMENTS)
		elog(ERROR, "dllb_bm25 index \"%s\" has too many segments",
			 RelationGetRelationName(index));
	seg.id = m->next_segment_id++;
	m->segments[m->nsegments++] = seg;
	m->ndocs++;
	m->sumdl += doc->dl;
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);
	dllb_bm25_merge_policy(index, positions);
	UnlockPage(index, BM25_LOCK_SEGMENTS, ExclusiveLock);
}

bool
dllb_bm25_insert(Relation index, Datum *values, bool *isnull, ItemPointer heap_tid,
				 Relation heap, IndexUniqueCheck checkUnique,
#if PG_VERSION_NUM >= 140000
				 bool indexUnchanged,
#endif
				 IndexInfo *indexInfo)
{
	MemoryContext cxt;
	MemoryContext old;
	Bm25Config	cfg;
	text	   *t;
	Bm25Doc		doc;
	Size		size;
	char	   *entry;
	Buffer		metabuf;
	Buffer		tailbuf;
	Buffer		newbuf = InvalidBuffer;
	GenericXLogState *state;
	Page		metapage;
	Page		tail;
	Bm25Meta	m;
	bool		flush;

	if (isnull[0])
		return false;
	cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_bm25 insert",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	dllb_bm25_config(index, &cfg);
	t = DatumGetTextPP(values[0]);
	dllb_bm25_analyze_doc(&cfg, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &doc);
	doc.doc = dllb_bm25_tid_doc(heap_tid);
	if (doc.nterms == 0)
		goto done;				/* nothing to find it by */

	size = dllb_bm25_doc_size(&doc, cfg.positions);
	if (size > BLCKSZ / 2)
	{
		insert_as_segment(index, &doc, cfg.positions);
		goto done;
	}
	entry = palloc(size);
	dllb_bm25_doc_encode(&doc, cfg.positions, entry);

	LockPage(index, BM25_LOCK_BUFFER, ExclusiveLock);
	metabuf = ReadBuffer(index, BM25_META_BLKNO);
	LockBuffer(metabuf, BUFFER_LOCK_EXCLUSIVE);
	m = Bm25PageGetMeta(BufferGetPage(metabuf));
	if (m->magic != BM25_MAGIC)
		elog(ERROR, "index \"%s\" is not a dllb_bm25 index", RelationGetRelationName(index));
	tailbuf = ReadBuffer(index, m->buf_tail);
	LockBuffer(tailbuf, BUFFER_LOCK_EXCLUSIVE);
	if (PageGetFreeSpace(BufferGetPage(tailbuf)) < MAXALIGN(size))
		newbuf = dllb_bm25_new_buffer(index);

	state = GenericXLogStart(index);
	metapage = GenericXLogRegisterBuffer(state, metabuf, 0);
	m = Bm25PageGetMeta(metapage);
	tail = GenericXLogRegisterBuffer(state, tailbuf, 0);
	if (BufferIsValid(newbuf))
	{
		Page		np = GenericXLogRegisterBuffer(state, newbuf, GENERIC_XLOG_FULL_IMAGE);

		dllb_bm25_init_page(np, BM25_PAGE_BUFFER);
		Bm25PageGetOpaque(tail)->next = BufferGetBlockNumber(newbuf);
		m->buf_tail = BufferGetBlockNumber(newbuf);
		m->buf_pages++;
		tail = np;
	}
	if (PageAddItem(tail, (Item) entry, size, InvalidOffsetNumber, false, false) == InvalidOffsetNumber)
		elog(ERROR, "dllb_bm25: could not add a document to the write buffer");
	m->ndocs++;
	m->sumdl += doc.dl;
	m->buf_docs++;
	m->buf_sumdl += doc.dl;
	flush = (uint64) m->buf_pages * BLCKSZ > (uint64) dllb_bm25_buffer_kb * 1024;
	GenericXLogFinish(state);
	if (BufferIsValid(newbuf))
		UnlockReleaseBuffer(newbuf);
	UnlockReleaseBuffer(tailbuf);
	UnlockReleaseBuffer(metabuf);

	if (flush)
		flush = dllb_bm25_flush(index, cfg.positions);
	UnlockPage(index, BM25_LOCK_BUFFER, ExclusiveLock);
	if (flush && ConditionalLockPage(index, BM25_LOCK_SEGMENTS, ExclusiveLock))
	{
		dllb_bm25_merge_policy(index, cfg.positions);
		UnlockPage(index, BM25_LOCK_SEGMENTS, ExclusiveLock);
	}

done:
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return false;
}
