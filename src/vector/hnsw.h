/*-------------------------------------------------------------------------
 *
 * hnsw.h
 *	  The dllb_hnsw index access method: page layout, element tuples and
 *	  the functions its files share.
 *
 * Layout.  Block 0 is the meta page.  Every other page holds element
 * tuples, one per indexed row: a 16-byte header (flags, level, heap TID,
 * the vector's L2 norm), the vector's float4 elements, then fixed-size
 * neighbour slots - 2m for level 0 and m for each level above - filled
 * from the front and ended by HNSW_INVALID_ID.  Neighbours are 4-byte
 * element ids, (block << 8) | offset, not 6-byte TIDs; an element keeps
 * its id for life because line pointers are never renumbered (deletion
 * uses PageIndexTupleDeleteNoCompact).
 *
 * Reachability.  Every element but the entry point has a parent: an
 * element whose list points at it and that no insert may take it out of.
 * Parents form a tree rooted at the entry point, so every element stays
 * reachable from it whatever pruning does to the other links.  The entry
 * point may be a deleted element (a tombstone), which stays until an
 * element of a higher level replaces it; other tombstones are freed by
 * VACUUM once no live list points at them.
 *
 * Concurrency.  Readers take one buffer share lock at a time.  Writers
 * (inserts and VACUUM) serialise on a heavyweight lock on the meta
 * block, so neighbour lists have one writer at a time; each page change
 * is one generic WAL record.  See doc/vector.md.
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
#include "access/itup.h"
#include "fmgr.h"
#include "nodes/execnodes.h"
#include "storage/bufpage.h"
#include "utils/rel.h"

#define HNSW_MAGIC			0x64484e57	/* "dHNW" */
#define HNSW_VERSION		2
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
} HnswMetaPageData;

#define HnswPageGetMeta(page) ((HnswMetaPageData *) PageGetContents(page))

typedef struct HnswElementTupleData
{
	uint8		flags;
	uint8		level;
	ItemPointerData heaptid;
	uint32		parent;			/* the element whose list must keep this one */
	float		norm;			/* L2 norm of the vector */
	float		x[FLEXIBLE_ARRAY_MEMBER];	/* dim floats, then the slots */
} HnswElementTupleData;

typedef HnswElementTupleData *HnswElementTuple;

/* Neighbour slots of an element at each level */
#define HnswSlotsTotal(m, level)	(2 * (m) + (level) * (m))
#define HnswSlotsAt(m, lc)			((lc) == 0 ? 2 * (m) : (m))
#define HnswSlotsStart(m, lc)		((lc) == 0 ? 0 : 2 * (m) + ((lc) - 1) * (m))
#define HnswElementSize(dim, m, level) \
	MAXALIGN(offsetof(HnswElementTupleData, x) + sizeof(float) * (dim) + \
			 sizeof(uint32) * HnswSlotsTotal(m, level))
#define HnswElementSlots(e, dim)	((uint32 *) ((e)->x + (dim)))

/* Which distance the operator class computes */
typedef enum HnswMetric
{
	HNSW_L2,
	HNSW_COSINE,
	HNSW_IP
} HnswMetric;

/* Index options (WITH (m = ..., ef_construction = ...)) */
typedef struct HnswOptions
{
	int32		vl_len_;
	int			m;
	int			ef_construction;
} HnswOptions;

/*
 * What one search needs to know of the index: metric, shape, and the
 * query vector with its norm.
 */
typedef struct HnswShape
{
	HnswMetric	metric;
	int			dim;
	int			m;
} HnswShape;

/* GUCs */
extern int	dllb_hnsw_ef_search;
extern int	dllb_hnsw_max_scan_tuples;

/* hnsw_handler.c */
extern void dllb_hnsw_init(void);
extern int	dllb_hnsw_get_m(Relation index);
extern int	dllb_hnsw_get_ef_construction(Relation index);
extern HnswMetric dllb_hnsw_metric(Relation index);

/* hnsw_page.c */
extern float dllb_hnsw_distance(const HnswShape *shape, const float *q,
								float qnorm, const float *x, float xnorm);
extern double dllb_hnsw_distance_out(HnswMetric metric, float d);
extern int	dllb_hnsw_random_level(int m, ItemPointer tid);
extern void dllb_hnsw_init_page(Page page, uint16 type);
extern void dllb_hnsw_read_meta(Relation index, HnswMetaPageData *meta);
extern void dllb_hnsw_write_meta(Relation index, const HnswMetaPageData *meta);
extern HnswElementTuple dllb_hnsw_page_element(Page page, OffsetNumber off);
extern void dllb_hnsw_check_dim(Relation index, int dim, int m);
extern float *dllb_hnsw_datum_vector(Datum value, int *dim);
extern bool dllb_hnsw_indexable(HnswMetric metric, const float *x, int dim,
								float *norm);
extern int	dllb_hnsw_select_neighbours(const HnswShape *shape,
										const float *const *cvec,
										const float *cnorm,
										const float *cdist, int ncand,
										int nkeep, int max, int *chosen,
										int *order);

/* hnsw_search.c: the on-disk graph walk shared by scans and inserts */
typedef struct HnswSeen
{
	float		dist;
	uint32		id;
	ItemPointerData heaptid;
	uint8		level;
	uint8		flags;
	bool		emitted;
	uint32		parent;
	float	   *vec;			/* copy of the vector, when kept */
	float		norm;
} HnswSeen;

typedef struct HnswSearch HnswSearch;

extern HnswSearch *dllb_hnsw_search_begin(Relation index, const HnswShape *shape,
										  const float *q, float qnorm,
										  bool keep_vectors);
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
								   HnswElementTupleData *hdr, float *vec, int lc,
								   uint32 *neighbours, int *nneighbours);

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
									const float *x, float norm,
									ItemPointer heaptid);
extern void dllb_hnsw_set_neighbours(Relation index, const HnswShape *shape,
									 uint32 id, int lc, const uint32 *ids, int n);
extern int	dllb_hnsw_prune(Relation index, const HnswShape *shape,
							const float *bvec, float bnorm, const uint32 *cand,
							int ncand, int nkeep, int max, uint32 *out);

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
