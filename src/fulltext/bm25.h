/*-------------------------------------------------------------------------
 *
 * bm25.h
 *	  The dllb_bm25 index access method: pages, segments, the write
 *	  buffer, queries and scans.
 *
 * An index is a meta page (block 0), a write buffer and up to
 * BM25_MAX_SEGMENTS immutable segments.
 *
 *	- A segment is a sorted term dictionary and the posting lists of its
 *	  terms, in three page chains: directory (the first term of every
 *	  dictionary page), dictionary (one entry a term: df, bounds, where its
 *	  postings start) and postings (one item a compressed block of at most
 *	  128 postings, see postings.h, then the block's positions).  A
 *	  segment is written once, front to back, by the segment writer
 *	  (bm25_segment_write.c) and never changed: CREATE INDEX, a flush of
 *	  the write buffer, a merge and VACUUM all write new segments and
 *	  swap them into the meta page in one WAL record.
 *	- The write buffer is a chain of pages of whole documents (heap TID,
 *	  length, sorted lexemes with tf and positions).  INSERT appends to it;
 *	  when it passes dllb.bm25_buffer_kb it is flushed into a new segment,
 *	  and small segments are merged (bm25_insert.c).
 *	- Pages of segments and buffers that were replaced go on the meta
 *	  page's garbage list with the next transaction id; VACUUM returns them
 *	  to the free space map once no snapshot can still be reading them.
 *
 * Statistics (documents, total length, per-term df) count the index's
 * entries; VACUUM removes the dead ones and corrects them exactly.
 *
 * Every page change is WAL-logged with generic WAL records.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_BM25_H
#define DLLB_BM25_H

#include "postgres.h"

#include "access/amapi.h"
#include "access/generic_xlog.h"
#include "access/transam.h"
#include "nodes/tidbitmap.h"
#include "storage/bufmgr.h"
#include "utils/relcache.h"

#include "fulltext/analyzer.h"
#include "fulltext/bm25query.h"
#include "fulltext/postings.h"

/* ---- options ----------------------------------------------------------- */

#define BM25_DEFAULT_K1			1.2
#define BM25_DEFAULT_B			0.75

typedef struct Bm25Options
{
	int32		vl_len_;
	int			analyzer_offset;	/* string option */
	double		k1;
	double		b;
	bool		positions;
} Bm25Options;

/* What an index was built with (from its options) */
typedef struct Bm25Config
{
	DllbAnalyzer analyzer;
	double		k1;
	double		b;
	bool		positions;
} Bm25Config;

extern void dllb_bm25_config(Relation index, Bm25Config *cfg);
extern void dllb_bm25_config_from_options(Relation index, Bm25Config *cfg);
extern void dllb_bm25_init(void);

/* bm25_plan.c */
extern Oid	dllb_bm25_am_oid(void);
extern Oid	dllb_bm25_operator_of(Oid funcid, Oid qtype);
extern void dllb_bm25_plan_init(void);

/* GUCs */
extern int	dllb_bm25_buffer_kb;
extern int	dllb_bm25_max_expansions;
extern char *dllb_bm25_default_analyzer;

/* ---- pages ------------------------------------------------------------- */

#define BM25_META_BLKNO		0
#define BM25_MAGIC			0x444C4232	/* "DLB2" */
#define BM25_VERSION		2

/* page kinds */
#define BM25_PAGE_META		1
#define BM25_PAGE_BUFFER	2
#define BM25_PAGE_DIR		3
#define BM25_PAGE_DICT		4
#define BM25_PAGE_POSTINGS	5
#define BM25_PAGE_FREE		6

typedef struct Bm25PageOpaqueData
{
	uint16		kind;
	uint16		unused;
	BlockNumber next;			/* next page of the chain, or Invalid */
} Bm25PageOpaqueData;

typedef Bm25PageOpaqueData *Bm25PageOpaque;

#define Bm25PageGetOpaque(page) ((Bm25PageOpaque) PageGetSpecialPointer(page))
#define Bm25PageKind(page) (Bm25PageGetOpaque(page)->kind)

/* A segment, as the meta page lists it */
typedef struct Bm25Segment
{
	BlockNumber dir_head;
	BlockNumber dict_head;
	BlockNumber post_head;
	uint32		npages;
	uint32		id;
	uint32		nterms;
	uint64		ndocs;
	uint64		sumdl;
} Bm25Segment;

/* Chains to be freed once no scan can read them */
typedef struct Bm25Garbage
{
	BlockNumber heads[3];
	uint32		pad;
	FullTransactionId dropped;	/* next xid when they were dropped */
} Bm25Garbage;

#define BM25_MAX_SEGMENTS	48
#define BM25_MAX_GARBAGE	96

typedef struct Bm25MetaData
{
	uint32		magic;
	uint32		version;
	uint64		ndocs;			/* documents in segments and buffer */
	uint64		sumdl;			/* their total length */
	uint32		nsegments;
	uint32		next_segment_id;
	BlockNumber buf_head;		/* write buffer chain */
	BlockNumber buf_tail;
	uint32		buf_docs;
	uint32		buf_pages;
	uint64		buf_sumdl;
	uint32		ngarbage;
	uint32		pad;
	/* what the index was built with: its options, resolved once at build */
	Oid			analyzer_cfg;	/* text search configuration */
	uint8		analyzer_code;	/* 1: split with the dllb.code tokenizer first;
								 * 2: a dllb.surreal analyzer */
	uint8		positions;
	uint16		pad2;
	double		k1;
	double		b;
	Bm25Segment segments[BM25_MAX_SEGMENTS];
	Bm25Garbage garbage[BM25_MAX_GARBAGE];
} Bm25MetaData;

typedef Bm25MetaData *Bm25Meta;

/*
 * A dictionary page item: this header, then (unless the postings are
 * inline) a Bm25DictRef, then the term, then (inline) the postings as
 * varints: per posting the document gap (the first absolute), tf and
 * length, and with positions their count and deltas.  A term in few
 * documents keeps them inline: no posting item, no block header.
 */
typedef struct Bm25DictTuple
{
	uint16		len;			/* of the term */
	uint16		flags;
	uint32		df;				/* documents */
} Bm25DictTuple;

#define BM25_DICT_INLINE	0x0001

typedef struct Bm25DictRef
{
	uint32		max_tf;			/* bounds over the term's postings */
	uint32		min_dl;
	uint32		nitems;			/* posting items */
	BlockNumber post_blk;		/* the first of them */
	uint16		post_off;
	uint16		pad;
} Bm25DictRef;

/* inline postings take at most this many bytes */
#define BM25_INLINE_MAX		96

/* a directory page item: the first term of a dictionary page */
typedef struct Bm25DirTuple
{
	BlockNumber blk;
	uint16		len;
	char		term[FLEXIBLE_ARRAY_MEMBER];
} Bm25DirTuple;

#define Bm25PageGetMeta(page) ((Bm25Meta) PageGetContents(page))

/* heavyweight page locks used as index-wide locks (not real pages) */
#define BM25_LOCK_BUFFER	((BlockNumber) 0xFFFFFFF0)	/* appends, flush */
#define BM25_LOCK_SEGMENTS	((BlockNumber) 0xFFFFFFF1)	/* segment swaps */

/* Lexemes longer than this are not indexed (PostgreSQL's own limit is 2K) */
#define BM25_MAX_TERM_LEN	1024
/* Positions kept per posting; phrases look only at these */
#define BM25_MAX_POSITIONS	256
/* A posting item's most bytes (block and positions) */
#define BM25_MAX_ITEM		2400

extern void dllb_bm25_init_page(Page page, uint16 kind);
extern Buffer dllb_bm25_new_buffer(Relation index);
extern void dllb_bm25_read_meta(Relation index, Bm25MetaData *meta);
extern void dllb_bm25_add_garbage(Bm25Meta meta, BlockNumber h0, BlockNumber h1,
								  BlockNumber h2);
extern int	dllb_bm25_recycle(Relation index, bool all);
extern int	dllb_bm25_term_cmp(const char *a, int alen, const char *b, int blen);

/* ---- documents: what the analyzer made of one row ---------------------- */

typedef struct Bm25DocTerm
{
	char	   *term;
	int			len;
	uint32		tf;
	int			npos;			/* positions kept (at most BM25_MAX_POSITIONS) */
	uint32	   *pos;
} Bm25DocTerm;

typedef struct Bm25Doc
{
	uint64		doc;			/* heap TID as block << 16 | offset */
	uint32		dl;
	int			nterms;
	Bm25DocTerm *terms;			/* sorted by dllb_bm25_term_cmp */
} Bm25Doc;

static inline uint64
dllb_bm25_tid_doc(ItemPointer tid)
{
	return ((uint64) ItemPointerGetBlockNumber(tid) << 16) |
		ItemPointerGetOffsetNumber(tid);
}

static inline void
dllb_bm25_doc_tid(uint64 doc, ItemPointer tid)
{
	ItemPointerSet(tid, (BlockNumber) (doc >> 16), (OffsetNumber) (doc & 0xFFFF));
}

extern void dllb_bm25_analyze_doc(const Bm25Config *cfg, const char *text, int len,
								  Bm25Doc *doc);

extern int	dllb_bm25_read_buffer(Relation index, BlockNumber head, Bm25Doc **docs);

/* buffer entries */
extern Size dllb_bm25_doc_size(const Bm25Doc *doc, bool positions);
extern void dllb_bm25_doc_encode(const Bm25Doc *doc, bool positions, char *out);
extern void dllb_bm25_doc_decode(const char *in, Size len, Bm25Doc *doc);

/* ---- segments ---------------------------------------------------------- */

/* One term's postings, as the writer takes them and the merger makes them */
typedef struct Bm25TermPostings
{
	const char *term;
	int			len;
	int			n;
	DllbPosting *postings;		/* ascending doc */
	int		   *npos;			/* per posting, or NULL without positions */
	uint32	  **pos;
} Bm25TermPostings;

extern void dllb_bm25_postings_reserve(Bm25TermPostings *tp, int n, int *cap);

typedef struct Bm25SegmentWriter Bm25SegmentWriter;

extern Bm25SegmentWriter *dllb_bm25_writer_begin(Relation index, bool positions);
extern void dllb_bm25_writer_add(Bm25SegmentWriter *w, const Bm25TermPostings *tp);
extern bool dllb_bm25_writer_finish(Bm25SegmentWriter *w, Bm25Segment *seg);

/* A dictionary entry, as read */
typedef struct Bm25DictEntry
{
	bool		inl;			/* postings inline, in inl_data */
	const uint8 *inl_data;
	Size		inl_len;
	uint32		df;
	uint32		max_tf;			/* (not set for inline postings) */
	uint32		min_dl;
	BlockNumber post_blk;
	OffsetNumber post_off;
	uint32		nitems;
	int			len;
	const char *term;			/* points into the page copy */
} Bm25DictEntry;

/* Reading a segment's dictionary in term order */
typedef struct Bm25DictReader
{
	Relation	index;
	BlockNumber next;
	OffsetNumber off;
	OffsetNumber maxoff;
	char	   *page;			/* copy of the current dictionary page */
	bool		done;
} Bm25DictReader;

extern void dllb_bm25_dict_begin(Bm25DictReader *r, Relation index,
								 BlockNumber start_blk);
extern bool dllb_bm25_dict_next(Bm25DictReader *r, Bm25DictEntry *e);
extern BlockNumber dllb_bm25_dict_find_page(Relation index, const Bm25Segment *seg,
											const char *term, int len);
extern bool dllb_bm25_dict_lookup(Relation index, const Bm25Segment *seg,
								  const char *term, int len, Bm25DictEntry *e,
								  char **termcopy);

/* Reading a term's posting items */
typedef struct Bm25ItemReader
{
	Relation	index;
	BlockNumber blk;
	OffsetNumber off;
	uint32		left;			/* items still to read */
	char	   *page;			/* copy of the current postings page */
	BlockNumber loaded;
} Bm25ItemReader;

extern void dllb_bm25_items_begin(Bm25ItemReader *r, Relation index,
								  const Bm25DictEntry *e);
extern bool dllb_bm25_items_next(Bm25ItemReader *r, const uint8 **data, Size *len);
extern void dllb_bm25_items_end(Bm25ItemReader *r);

extern void dllb_bm25_item_positions(const uint8 *pos, Size len, int n,
									 int *npos, uint32 **positions);
extern int	dllb_bm25_read_term(Relation index, const Bm25DictEntry *e,
								bool positions, Bm25TermPostings *tp);

/* ---- merging and flushing ---------------------------------------------- */

typedef bool (*Bm25DeadFn) (uint64 doc, void *arg);

extern bool dllb_bm25_merge(Relation index, const Bm25Segment *in, int nin,
							bool positions, Bm25DeadFn dead, void *arg,
							Bm25Segment *out, uint64 *removed_docs,
							uint64 *removed_sumdl);
extern bool dllb_bm25_flush(Relation index, bool positions);
extern void dllb_bm25_merge_policy(Relation index, bool positions);
extern void dllb_bm25_write_docs(Relation index, Bm25Doc *docs, int ndocs,
								 bool positions, Bm25Segment *seg);

/* ---- AM callbacks -------------------------------------------------------- */

extern IndexBuildResult *dllb_bm25_build(Relation heap, Relation index,
										 struct IndexInfo *indexInfo);
extern void dllb_bm25_buildempty(Relation index);
extern bool dllb_bm25_insert(Relation index, Datum *values, bool *isnull,
							 ItemPointer heap_tid, Relation heap,
							 IndexUniqueCheck checkUnique,
#if PG_VERSION_NUM >= 140000
							 bool indexUnchanged,
#endif
							 struct IndexInfo *indexInfo);
extern IndexBulkDeleteResult *dllb_bm25_bulkdelete(IndexVacuumInfo *info,
												   IndexBulkDeleteResult *stats,
												   IndexBulkDeleteCallback callback,
												   void *callback_state);
extern IndexBulkDeleteResult *dllb_bm25_vacuumcleanup(IndexVacuumInfo *info,
													  IndexBulkDeleteResult *stats);
extern IndexScanDesc dllb_bm25_beginscan(Relation index, int nkeys, int norderbys);
extern void dllb_bm25_rescan(IndexScanDesc scan, ScanKey keys, int nkeys,
							 ScanKey orderbys, int norderbys);
extern bool dllb_bm25_gettuple(IndexScanDesc scan, ScanDirection dir);
extern int64 dllb_bm25_getbitmap(IndexScanDesc scan, TIDBitmap *tbm);
extern void dllb_bm25_endscan(IndexScanDesc scan);

#endif							/* DLLB_BM25_H */
