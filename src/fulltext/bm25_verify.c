/*-------------------------------------------------------------------------
 *
 * bm25_verify.c
 *	  dllb.bm25_verify(index): checks a dllb_bm25 index's structure and its
 *	  agreement with the table; dllb.bm25_stats(index): its statistics.
 *
 * Checks, one row each:
 *	meta		magic, version, segment and garbage counts
 *	segments	each dictionary strictly ascending; every posting block
 *				decodes, ascending documents; df, the tf and length
 *				bounds and the directory agree with the postings; a
 *				document has one length everywhere
 *	documents	no document in two places; the meta page's documents and
 *				total length equal the segments' and the buffer's
 *	heap		every live row with lexemes is indexed, with the length
 *				and lexemes the analyzer gives its text now
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_verify.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "access/tableam.h"
#include "catalog/index.h"
#include "catalog/pg_class.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "fulltext/bm25.h"

PG_FUNCTION_INFO_V1(dllb_bm25_verify);
PG_FUNCTION_INFO_V1(dllb_bm25_stats);

typedef struct VDoc
{
	uint64		doc;
	uint32		dl;
	uint32		nterms;			/* postings seen */
	int			where;			/* segment index, or -1 for the buffer */
} VDoc;

typedef struct VerifyState
{
	Relation	index;
	Bm25Config	cfg;
	HTAB	   *docs;
	int64		problems;
	char	   *first;
	int64		missing;
	int64		wrong;
	char	   *first_heap;
} VerifyState;

static void
problem(VerifyState *v, char **first, const char *fmt,...) pg_attribute_printf(3, 4);

static void
problem(VerifyState *v, char **first, const char *fmt,...)
{
	if (*first == NULL)
	{
		va_list		ap;
		StringInfoData s;

		initStringInfo(&s);
		for (;;)
		{
			int			need;

			va_start(ap, fmt);
			need = appendStringInfoVA(&s, fmt, ap);
			va_end(ap);
			if (need == 0)
				break;
			enlargeStringInfo(&s, need);
		}
		*first = s.data;
	}
}

/* register a posting of doc; false when it is inconsistent */
static void
see_doc(VerifyState *v, uint64 doc, uint32 dl, int where)
{
	bool		found;
	VDoc	   *d = hash_search(v->docs, &doc, HASH_ENTER, &found);

	if (!found)
	{
		d->dl = dl;
		d->nterms = 1;
		d->where = where;
		return;
	}
	d->nterms++;
	if (d->dl != dl)
	{
		v->problems++;
		problem(v, &v->first, "document (%u,%u) has lengths %u and %u",
				(unsigned) (doc >> 16), (unsigned) (doc & 0xFFFF), d->dl, dl);
	}
	if (d->where != where)
	{
		v->problems++;
		problem(v, &v->first, "document (%u,%u) is in two segments (or a segment and the buffer)",
				(unsigned) (doc >> 16), (unsigned) (doc & 0xFFFF));
	}
}

static void
verify_segment(VerifyState *v, const Bm25Segment *seg, int si, uint64 *ndocs_out,
			   uint64 *sumdl_out)
{
	Bm25DictReader r;
	Bm25DictEntry e;
	char	   *prev = NULL;
	int			prevlen = 0;
	uint32		nterms = 0;
	HASH_SEQ_STATUS hs;
	VDoc	   *d;
	uint64		ndocs = 0;
	uint64		sumdl = 0;

	memset(&r, 0, sizeof(r));
	dllb_bm25_dict_begin(&r, v->index, seg->dict_head);
	while (dllb_bm25_dict_next(&r, &e))
	{
		Bm25TermPostings tp;
		int			i;
		uint32		maxtf = 0;
		uint32		mindl = PG_UINT32_MAX;
		Bm25DictEntry found;

		CHECK_FOR_INTERRUPTS();
		nterms++;
		if (prev && dllb_bm25_term_cmp(prev, prevlen, e.term, e.len) >= 0)
		{
			v->problems++;
			problem(v, &v->first, "segment %u: terms out of order at \"%.*s\"", seg->id,
					e.len, e.term);
		}
		if (prev)
			pfree(prev);
		prev = pnstrdup(e.term, e.len);
		prevlen = e.len;

		dllb_bm25_read_term(v->index, &e, v->cfg.positions, &tp);
		if ((uint32) tp.n != e.df)
		{
			v->problems++;
			problem(v, &v->first, "segment %u: term \"%s\" has df %u but %d postings",
					seg->id, prev, e.df, tp.n);
		}
		for (i = 0; i < tp.n; i++)
		{
			if (i > 0 && tp.postings[i].doc <= tp.postings[i - 1].doc)
			{
				v->problems++;
				problem(v, &v->first, "segment %u: term \"%s\": documents not ascending",
						seg->id, prev);
			}
			maxtf = Max(maxtf, tp.postings[i].tf);
			mindl = Min(mindl, tp.postings[i].dl);
			see_doc(v, tp.postings[i].doc, tp.postings[i].dl, si);
		}
		if (tp.n > 0 && !e.inl && (maxtf > e.max_tf || mindl < e.min_dl))
		{
			v->problems++;
			problem(v, &v->first, "segment %u: term \"%s\": bounds in the dictionary do not hold",
					seg->id, prev);
		}
		/* the directory finds it */
		if (!dllb_bm25_dict_lookup(v->index, seg, prev, prevlen, &found, NULL) ||
			found.df != e.df)
		{
			v->problems++;
			problem(v, &v->first, "segment %u: lookup of term \"%s\" fails", seg->id, prev);
		}
		pfree(tp.postings);
		if (tp.npos)
		{
			for (i = 0; i < tp.n; i++)
				if (tp.pos[i])
					pfree(tp.pos[i]);
			pfree(tp.npos);
			pfree(tp.pos);
		}
	}
	if (nterms != seg->nterms)
	{
		v->problems++;
		problem(v, &v->first, "segment %u: %u terms, the meta page says %u", seg->id,
				nterms, seg->nterms);
	}
	hash_seq_init(&hs, v->docs);
	while ((d = hash_seq_search(&hs)) != NULL)
		if (d->where == si)
		{
			ndocs++;
			sumdl += d->dl;
		}
	if (ndocs != seg->ndocs || sumdl != seg->sumdl)
	{
		v->problems++;
		problem(v, &v->first, "segment %u: %llu documents of total length %llu, the meta page says %llu and %llu",
				seg->id, (unsigned long long) ndocs, (unsigned long long) sumdl,
				(unsigned long long) seg->ndocs, (unsigned long long) seg->sumdl);
	}
	*ndocs_out = ndocs;
	*sumdl_out = sumdl;
}

static void
verify_buffer(VerifyState *v, const Bm25MetaData *meta, uint64 *ndocs, uint64 *sumdl)
{
	BlockNumber blk = meta->buf_head;
	int			pages = 0;

	*ndocs = 0;
	*sumdl = 0;
	while (blk != InvalidBlockNumber)
	{
		Buffer		b = ReadBuffer(v->index, blk);
		Page		p;
		OffsetNumber off;

		CHECK_FOR_INTERRUPTS();
		LockBuffer(b, BUFFER_LOCK_SHARE);
		p = BufferGetPage(b);
		if (Bm25PageKind(p) != BM25_PAGE_BUFFER)
		{
			v->problems++;
			problem(v, &v->first, "write buffer block %u is not a buffer page", blk);
			UnlockReleaseBuffer(b);
			break;
		}
		for (off = FirstOffsetNumber; off <= PageGetMaxOffsetNumber(p); off++)
		{
			ItemId		iid = PageGetItemId(p, off);
			Bm25Doc		doc;
			int			i;

			if (!ItemIdIsUsed(iid))
				continue;
			dllb_bm25_doc_decode(PageGetItem(p, iid), ItemIdGetLength(iid), &doc);
			for (i = 0; i < doc.nterms; i++)
				see_doc(v, doc.doc, doc.dl, -1);
			(*ndocs)++;
			*sumdl += doc.dl;
		}
		blk = Bm25PageGetOpaque(p)->next;
		UnlockReleaseBuffer(b);
		pages++;
	}
	if (pages != (int) meta->buf_pages)
	{
		v->problems++;
		problem(v, &v->first, "write buffer has %d pages, the meta page says %u",
				pages, meta->buf_pages);
	}
}

static void
heap_callback(Relation index, ItemPointer tid, Datum *values, bool *isnull,
			  bool tupleIsAlive, void *state)
{
	VerifyState *v = (VerifyState *) state;
	text	   *t;
	Bm25Doc		doc;
	uint64		key;
	VDoc	   *d;

	if (isnull[0] || !tupleIsAlive)
		return;
	t = DatumGetTextPP(values[0]);
	dllb_bm25_analyze_doc(&v->cfg, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &doc);
	if (doc.nterms == 0)
		return;
	key = dllb_bm25_tid_doc(tid);
	d = hash_search(v->docs, &key, HASH_FIND, NULL);
	if (d == NULL)
	{
		v->missing++;
		problem(v, &v->first_heap, "row (%u,%u) is not indexed",
				ItemPointerGetBlockNumber(tid), ItemPointerGetOffsetNumber(tid));
	}
	else if (d->dl != doc.dl || d->nterms != (uint32) doc.nterms)
	{
		v->wrong++;
		problem(v, &v->first_heap, "row (%u,%u): indexed with length %u and %u lexemes, its text has %u and %d",
				ItemPointerGetBlockNumber(tid), ItemPointerGetOffsetNumber(tid),
				d->dl, d->nterms, doc.dl, doc.nterms);
	}
}

static Relation
open_bm25(Oid indexoid, LOCKMODE heaplock, Relation *heap)
{
	Oid			heapoid = IndexGetRelation(indexoid, true);
	Relation	index;

	if (get_rel_name(indexoid) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", indexoid)));
	if (!OidIsValid(heapoid))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not an index", get_rel_name(indexoid))));
#if PG_VERSION_NUM >= 160000
	if (!object_ownercheck(RelationRelationId, heapoid, GetUserId()))
#else
	if (!pg_class_ownercheck(heapoid, GetUserId()))
#endif
		aclcheck_error(ACLCHECK_NOT_OWNER, OBJECT_TABLE, get_rel_name(heapoid));
	*heap = table_open(heapoid, heaplock);
	index = index_open(indexoid, AccessShareLock);
	if (index->rd_indam->amgettuple != dllb_bm25_gettuple)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a dllb_bm25 index", RelationGetRelationName(index))));
	return index;
}

Datum
dllb_bm25_verify(PG_FUNCTION_ARGS)
{
	Oid			indexoid = PG_GETARG_OID(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Relation	heap;
	Relation	index;
	Bm25MetaData meta;
	VerifyState v;
	HASHCTL		ctl;
	uint64		ndocs = 0;
	uint64		sumdl = 0;
	uint64		bd;
	uint64		bs;
	int			i;
	bool		meta_ok;

	InitMaterializedSRF(fcinfo, 0);
	/* ShareLock: no writer changes the table or the index meanwhile */
	index = open_bm25(indexoid, ShareLock, &heap);
	memset(&v, 0, sizeof(v));
	v.index = index;
	dllb_bm25_config(index, &v.cfg);
	dllb_bm25_read_meta(index, &meta);

	meta_ok = meta.nsegments <= BM25_MAX_SEGMENTS && meta.ngarbage <= BM25_MAX_GARBAGE;
	dllb_verify_row(rsinfo, "meta", meta_ok,
			psprintf("%u segments, %llu documents, total length %llu, %u buffered, %u garbage entries",
					 meta.nsegments, (unsigned long long) meta.ndocs,
					 (unsigned long long) meta.sumdl, meta.buf_docs, meta.ngarbage));
	if (!meta_ok)
	{
		index_close(index, AccessShareLock);
		table_close(heap, ShareLock);
		return (Datum) 0;
	}

	ctl.keysize = sizeof(uint64);
	ctl.entrysize = sizeof(VDoc);
	ctl.hcxt = CurrentMemoryContext;
	v.docs = hash_create("dllb_bm25 verify", 4096, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);

	verify_buffer(&v, &meta, &bd, &bs);
	for (i = 0; i < (int) meta.nsegments; i++)
	{
		uint64		d;
		uint64		s;

		verify_segment(&v, &meta.segments[i], i, &d, &s);
		ndocs += d;
		sumdl += s;
	}
	dllb_verify_row(rsinfo, "segments", v.problems == 0,
			v.problems == 0 ? psprintf("%u segments and the write buffer (%llu documents) read back consistently",
									   meta.nsegments, (unsigned long long) bd)
			: psprintf("%lld problems, first: %s", (long long) v.problems, v.first));

	ndocs += bd;
	sumdl += bs;
	dllb_verify_row(rsinfo, "statistics", ndocs == meta.ndocs && sumdl == meta.sumdl &&
			bd == meta.buf_docs && bs == meta.buf_sumdl,
			psprintf("postings hold %llu documents of total length %llu (%llu and %llu buffered); the meta page says %llu and %llu (%u and %llu)",
					 (unsigned long long) ndocs, (unsigned long long) sumdl,
					 (unsigned long long) bd, (unsigned long long) bs,
					 (unsigned long long) meta.ndocs, (unsigned long long) meta.sumdl,
					 meta.buf_docs, (unsigned long long) meta.buf_sumdl));

	{
		IndexInfo  *indexInfo = BuildIndexInfo(index);

		table_index_build_scan(heap, index, indexInfo, true, false,
							   heap_callback, (void *) &v, NULL);
		dllb_verify_row(rsinfo, "heap", v.missing == 0 && v.wrong == 0,
				v.missing == 0 && v.wrong == 0 ?
				"every live row with lexemes is indexed, with the length and lexemes of its text" :
				psprintf("%lld rows not indexed, %lld indexed differently; first: %s",
						 (long long) v.missing, (long long) v.wrong, v.first_heap));
	}

	index_close(index, AccessShareLock);
	table_close(heap, ShareLock);
	return (Datum) 0;
}

Datum
dllb_bm25_stats(PG_FUNCTION_ARGS)
{
	Oid			indexoid = PG_GETARG_OID(0);
	Relation	heap;
	Relation	index = open_bm25(indexoid, AccessShareLock, &heap);
	Bm25MetaData meta;
	TupleDesc	desc;
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};
	uint64		terms = 0;
	int			i;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	dllb_bm25_read_meta(index, &meta);
	for (i = 0; i < (int) meta.nsegments; i++)
		terms += meta.segments[i].nterms;
	values[0] = Int64GetDatum((int64) meta.ndocs);
	values[1] = Int64GetDatum((int64) meta.sumdl);
	values[2] = Float8GetDatum(meta.ndocs > 0 ? (double) meta.sumdl / meta.ndocs : 0);
	values[3] = Int32GetDatum(meta.nsegments);
	values[4] = Int64GetDatum(meta.buf_docs);
	values[5] = Int64GetDatum((int64) terms);
	values[6] = Int32GetDatum(meta.ngarbage);
	index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
