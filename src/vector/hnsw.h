/*-------------------------------------------------------------------------
 *
 * hnsw.h
 *	  The dllb_hnsw index access method: page layout, element tuples and
 *	  the functions its files share.
 *
 * Layout.  Block 0 is the meta page.  Every other page holds element
 * tuples, one per indexed row:
 *	- a 16-byte header: flags, level, heap TID, parent, norm;
 *	- the vector, as the index's quantization stores it (HnswQuant): the
 *	  float4 elements, or an 8-bit code of them;
 *	- with a filter column (a second key column), the element's own
 *	  32-bit filter key;
 *	- fixed-size neighbour slots - 2m for level 0 and m for each level
 *	  above - filled from the front and ended by HNSW_INVALID_ID; with a
 *	  filter column, the neighbours' filter keys follow, slot by slot, so
 *	  a filtered search tests a neighbour without reading it.
 * Neighbours are 4-byte element ids, (block << 8) | offset, not 6-byte
 * TIDs; an element keeps its id for life because line pointers are never
 * renumbered (deletion uses PageIndexTupleDeleteNoCompact).
 *
 * Reachability.  Every element but the entry point has a parent: an
 * element whose list points at it and that no insert may take it out of.
 * Parents form a tree rooted at the entry point, so every element stays
 * reachable from it whatever pruning does to the other links.  The entry
 * point may be a deleted element (a tombstone), which stays until an
 * element of a higher level replaces it; other tombstones are freed by
 * VACUUM once no live list points at them.
 *
 * Concurrency.  Readers pin and share-lock one page at a time, while
 * they read one element.  Writers (inserts and
 * VACUUM) serialise on a heavyweight lock on the meta block, so neighbour
 * lists have one writer at a time; each change is one generic WAL record.
 * See doc/vector.md.
 *
 * IDENTIFICATION
 *	  src/vector/hnsw.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_HNSW_H
#define DLLB_HNSW_H

#include "postgres.h"

#include "access/amapi.h"
#include "access/genam.h"
#include "access/generic_xlog.h"
#include "access/itup.h"
#include "fmgr.h"
#include "nodes/execnodes.h"
#include "storage/bufpage.h"
#include "utils/rel.h"

#define HNSW_MAGIC			0x64484e57	/* "dHNW" */
#define HNSW_VERSION		3
#define HNSW_METAPAGE_BLKNO 0
#define HNSW_INVALID_ID		((uint32) 0xFFFFFFFF)
#define HNSW_MAX_LEVEL		15
#define HNSW_MAX_OFFSET		255		/* offsets fit in the id's low byte */
#define HNSW_MAX_BLOCK		((BlockNumber) 0x00FFFFFF)

#define HNSW_DEFAULT_M		16
#define HNSW_MIN_M			2
#define HNSW_MAX_M			100
#define HNSW_DEFAULT_EF_CONSTRUCTION 64
#define HNSW_MIN_EF_CONSTRUCTION 4
#define HNSW_MAX_EF_CONSTRUCTION 1000

#define HnswIdMake(blk, off)	((((uint32) (blk)) << 8) | (uint32) (off))
#define HnswIdBlock(id)			((BlockNumber) ((id) >> 8))
#define HnswIdOffset(id)		((OffsetNumber) ((id) & 0xFF))

/* Element flags */
#define HNSW_ELEMENT_DELETED	0x01
#define HNSW_ELEMENT_KEY_NULL	0x02	/* its filter column is NULL */

/* Page types, in the special space */
#define HNSW_PAGE_META		1
#define HNSW_PAGE_ELEMENTS	2

typedef struct HnswPageOpaqueData
{
	uint16		page_type;
	uint16		unused;
	uint32		magic;
} HnswPageOpaqueData;

#define HnswPageGetOpaque(page) ((HnswPageOpaqueData *) PageGetSpecialPointer(page))

/* How an element stores its vector */
typedef enum HnswQuant
{
	HNSW_QUANT_NONE = 0,		/* the float4 elements */
	HNSW_QUANT_SQ8 = 1			/* lo + step * code, one byte a dimension */
} HnswQuant;

/* How a filter column's value becomes a 32-bit key */
typedef enum HnswKeyKind
{
	HNSW_KEY_NONE = 0,			/* no filter column */
	HNSW_KEY_EXACT = 1,			/* the value itself, ordered (bool, int2, int4, date) */
	HNSW_KEY_HASH = 2			/* a hash of the value: equality only, rechecked */
} HnswKeyKind;

typedef struct HnswMetaPageData
{
	uint32		magic;
	uint32		version;
	uint32		dim;			/* 0 until the first vector is indexed */
	uint16		m;
	uint16		ef_construction;
	uint32		entry;			/* entry point, or HNSW_INVALID_ID */
	int32		entry_level;	/* -1 when the graph is empty */
	BlockNumber insert_page;	/* page new elements go to first */
	uint8		quant;			/* HnswQuant */
	uint8		keykind;		/* HnswKeyKind */
	uint16		unused;
} HnswMetaPageData;

#define HnswPageGetMeta(page) ((HnswMetaPageData *) PageGetContents(page))

typedef struct HnswElementTupleData
{
	uint8		flags;
	uint8		level;
	ItemPointerData heaptid;
	uint32		parent;			/* the element whose list must keep this one */
	float		norm;			/* L2 norm of the stored vector */
	char		data[FLEXIBLE_ARRAY_MEMBER];	/* vector, key, slots */
} HnswElementTupleData;

typedef HnswElementTupleData *HnswElementTuple;

#define HNSW_HEADER_SIZE	offsetof(HnswElementTupleData, data)

/* an 8-bit code: x[d] ~ lo + step * c[d] */
typedef struct HnswSq8
{
	float		lo;
	float		step;
	uint32		csum;			/* sum of c[] */
	uint8		c[FLEXIBLE_ARRAY_MEMBER];
} HnswSq8;

/* Neighbour slots of an element at each level */
#define HnswSlotsTotal(m, level)	(2 * (m) + (level) * (m))
#define HnswSlotsAt(m, lc)			((lc) == 0 ? 2 * (m) : (m))
#define HnswSlotsStart(m, lc)		((lc) == 0 ? 0 : 2 * (m) + ((lc) - 1) * (m))

/* Which distance the operator class computes */
typedef enum HnswMetric
{
	HNSW_L2,
	HNSW_COSINE,
	HNSW_IP
} HnswMetric;

/* Index options (WITH (m = ..., ef_construction = ..., quantization = ...)) */
typedef struct HnswOptions
{
	int32		vl_len_;
	int			m;
	int			ef_construction;
	int			quantization;	/* HnswQuant */
} HnswOptions;

/*
 * What the code needs to know of an index to read and write its
 * elements: metric, shape, and where the parts of an element lie.
 */
typedef struct HnswShape
{
	HnswMetric	metric;
	int			dim;
	int			m;
	HnswQuant	quant;
	HnswKeyKind keykind;
	int			payload;		/* bytes of the stored vector, a multiple of 4 */
	int			keyoff;			/* offset of the own filter key, or -1 */
	int			slotoff;		/* offset of the slots */
} HnswShape;

static inline bool
HnswFiltered(const HnswShape *s)
{
	return s->keykind != HNSW_KEY_NONE;
}

static inline Size
HnswElementSize(const HnswShape *s, int level)
{
	return MAXALIGN(s->slotoff + sizeof(uint32) * (HnswFiltered(s) ? 2 : 1) *
					HnswSlotsTotal(s->m, level));
}

static inline void *
HnswElementPayload(HnswElementTuple e)
{
	return e->data;
}

static inline uint32 *
HnswElementIds(HnswElementTuple e, const HnswShape *s)
{
	return (uint32 *) ((char *) e + s->slotoff);
}

/* the neighbours' filter keys, slot by slot (filtered indexes only) */
static inline uint32 *
HnswElementSlotKeys(HnswElementTuple e, const HnswShape *s)
{
	return HnswElementIds(e, s) + HnswSlotsTotal(s->m, e->level);
}

static inline uint32
HnswElementKey(HnswElementTuple e, const HnswShape *s)
{
	return s->keyoff >= 0 ? *(uint32 *) ((char *) e + s->keyoff) : 0;
}

/* What a search compares against: the query vector, its norm and sum */
typedef struct HnswQuery
{
	const float *x;
	float		norm;
	float		sum;
} HnswQuery;

/*
 * A scan's conditions on the filter column, on keys: each condition is a
 * range of exact keys or a set of keys (sorted); all must hold.
 */
typedef struct HnswCond
{
	uint32		lo;
	uint32		hi;
	uint32	   *set;			/* NULL for a range */
	int			nset;
} HnswCond;

typedef struct HnswFilter
{
	int			nconds;
	bool		nothing;		/* a condition no value meets (= NULL, empty set) */
	HnswCond   *conds;
} HnswFilter;

/* A neighbour as lists carry it */
typedef struct HnswLink
{
	uint32		id;
	uint32		key;
} HnswLink;

/* The header fields of an element, and its filter key */
typedef struct HnswElemInfo
{
	uint8		flags;
	uint8		level;
	ItemPointerData heaptid;
	uint32		parent;
	float		norm;
	uint32		key;
} HnswElemInfo;

/* GUCs */
extern int	dllb_hnsw_ef_search;
extern int	dllb_hnsw_max_scan_tuples;
extern bool dllb_hnsw_debug_filter_widen;
extern int	dllb_hnsw_debug_vacuum_panic_after;

/* hnsw_handler.c */
extern void dllb_hnsw_init(void);
extern int	dllb_hnsw_get_m(Relation index);
extern int	dllb_hnsw_get_ef_construction(Relation index);
extern HnswQuant dllb_hnsw_get_quantization(Relation index);
extern HnswMetric dllb_hnsw_metric(Relation index);
extern HnswKeyKind dllb_hnsw_keykind(Relation index);
extern uint32 dllb_hnsw_key(Relation index, Datum value);
extern const char *dllb_hnsw_quant_name(HnswQuant q);

/* hnsw_page.c */
extern void dllb_hnsw_shape_init(HnswShape *s, HnswMetric metric, int dim, int m,
								 HnswQuant quant, HnswKeyKind keykind);
extern void dllb_hnsw_shape_from_meta(HnswShape *s, Relation index,
									  const HnswMetaPageData *meta);
extern void dllb_hnsw_encode(const HnswShape *s, const float *x, void *payload,
							 float *norm);
extern void dllb_hnsw_decode(const HnswShape *s, const void *payload, float *out);
extern void dllb_hnsw_query_init(HnswQuery *q, const float *x, int dim);
extern float dllb_hnsw_qdist(const HnswShape *s, const HnswQuery *q,
							 const void *payload, float norm);
extern float dllb_hnsw_pdist(const HnswShape *s, const void *a, float anorm,
							 const void *b, float bnorm);
extern double dllb_hnsw_distance_out(HnswMetric metric, float d);
extern float dllb_hnsw_exact(HnswMetric metric, const float *q, float qnorm,
							 const float *x, int dim);
extern int	dllb_hnsw_random_level(int m, ItemPointer tid);
extern void dllb_hnsw_init_page(Page page, uint16 type);
extern void dllb_hnsw_read_meta(Relation index, HnswMetaPageData *meta);
extern void dllb_hnsw_write_meta(Relation index, const HnswMetaPageData *meta);
extern void dllb_hnsw_fault_arm(bool on);
extern XLogRecPtr dllb_hnsw_wal_finish(GenericXLogState *state);
extern int	dllb_hnsw_wal_count(void);
extern HnswElementTuple dllb_hnsw_page_element(Page page, OffsetNumber off);
extern int	dllb_hnsw_get_list(HnswElementTuple e, const HnswShape *s, int lc,
							   uint32 *ids, uint32 *keys);
extern void dllb_hnsw_put_list(HnswElementTuple e, const HnswShape *s, int lc,
							   const uint32 *ids, const uint32 *keys, int n);
extern void dllb_hnsw_check_dim(Relation index, const HnswShape *s);
extern float *dllb_hnsw_datum_vector(Datum value, int *dim);
extern bool dllb_hnsw_indexable(HnswMetric metric, const float *x, int dim,
								float *norm);
extern int	dllb_hnsw_select_neighbours(const HnswShape *shape,
										const void *const *cvec,
										const float *cnorm,
										const float *cdist, int ncand,
										int nkeep, int max, int *chosen,
										int *order);
extern bool dllb_hnsw_filter_pass(const HnswFilter *f, uint32 key);

/* hnsw_search.c: the on-disk graph walk shared by scans and inserts */
typedef struct HnswSeen
{
	float		dist;
	uint32		id;
	ItemPointerData heaptid;
	uint8		level;
	uint8		flags;
	bool		emitted;
	bool		eligible;		/* live, and passes the scan's filter */
	uint32		parent;
	uint32		key;
	float		norm;
	void	   *vec;			/* copy of the stored vector, when kept */
} HnswSeen;

typedef struct HnswSearch HnswSearch;

extern HnswSearch *dllb_hnsw_search_begin(Relation index, const HnswShape *shape,
										  const HnswQuery *q, bool keep_vectors,
										  const HnswFilter *filter);
extern void dllb_hnsw_search_descend(HnswSearch *s, uint32 entry,
									 int entry_level, int to_level);
extern int	dllb_hnsw_search_layer(HnswSearch *s, int level, int ef,
								   HnswSeen ***result);
extern int	dllb_hnsw_search_next_batch(HnswSearch *s, int ef,
										HnswSeen ***result);
extern void dllb_hnsw_search_restart(HnswSearch *s, HnswSeen **starts, int n);
extern void dllb_hnsw_search_end(HnswSearch *s);
extern HnswSeen *dllb_hnsw_search_lookup(HnswSearch *s, uint32 id);
extern int	dllb_hnsw_search_exhaustive(HnswSearch *s, HnswSeen ***result);
extern bool dllb_hnsw_read_element(Relation index, const HnswShape *shape,
								   BlockNumber *nblocks, uint32 id,
								   HnswElemInfo *info, void *payload, int lc,
								   uint32 *ids, uint32 *keys, int *n);

/* hnsw_build.c */
extern IndexBuildResult *dllb_hnsw_build(Relation heap, Relation index,
										 IndexInfo *indexInfo);
extern void dllb_hnsw_buildempty(Relation index);

/* hnsw_insert.c */
extern bool dllb_hnsw_insert(Relation index, Datum *values, bool *isnull,
							 ItemPointer heap_tid, Relation heap,
							 IndexUniqueCheck checkUnique,
							 bool indexUnchanged, IndexInfo *indexInfo);
extern void dllb_hnsw_insert_vector(Relation index, const HnswShape *shape,
									const float *x, uint32 key, bool keynull,
									ItemPointer heaptid);
extern void dllb_hnsw_set_neighbours(Relation index, const HnswShape *shape,
									 uint32 id, int lc, const uint32 *ids,
									 const uint32 *keys, int n);
extern int	dllb_hnsw_prune(Relation index, const HnswShape *shape,
							const void *bvec, float bnorm, const uint32 *cand,
							int ncand, int nkeep, int max, uint32 *out,
							uint32 *outkeys);

/* hnsw_heapfetch.c: the indexed vector of a table row, by TID */
typedef struct HnswRowFetcher HnswRowFetcher;

extern HnswRowFetcher *dllb_hnsw_fetcher_begin(Relation heap, Relation index,
											   IndexInfo *indexInfo);
extern bool dllb_hnsw_fetch_vector(HnswRowFetcher *f, ItemPointer tid, int dim,
								   float *out);
extern void dllb_hnsw_fetcher_end(HnswRowFetcher *f);

/* hnsw_scan.c */
extern IndexScanDesc dllb_hnsw_beginscan(Relation index, int nkeys, int norderbys);
extern void dllb_hnsw_rescan(IndexScanDesc scan, ScanKey keys, int nkeys,
							 ScanKey orderbys, int norderbys);
extern bool dllb_hnsw_gettuple(IndexScanDesc scan, ScanDirection dir);
extern void dllb_hnsw_endscan(IndexScanDesc scan);

/* hnsw_vacuum.c */
extern IndexBulkDeleteResult *dllb_hnsw_bulkdelete(IndexVacuumInfo *info,
												   IndexBulkDeleteResult *stats,
												   IndexBulkDeleteCallback callback,
												   void *callback_state);
extern IndexBulkDeleteResult *dllb_hnsw_vacuumcleanup(IndexVacuumInfo *info,
													  IndexBulkDeleteResult *stats);

/* the distance functions the operator classes name (vector_distance.c) */
extern Datum dllb_vector_l2_distance(PG_FUNCTION_ARGS);
extern Datum dllb_vector_cosine_distance(PG_FUNCTION_ARGS);
extern Datum dllb_vector_negative_inner_product(PG_FUNCTION_ARGS);

#endif							/* DLLB_HNSW_H */
