/*-------------------------------------------------------------------------
 *
 * hnsw_verify.c
 *	  dllb.hnsw_verify(regclass): check a dllb_hnsw index's structure and
 *	  its agreement with the table.
 *
 * Returns one row per check (check, ok, detail):
 *	meta        the meta page is ours; the entry point is a live element
 *	            of the top level
 *	neighbours  every list entry is a live element of at least that level,
 *	            not the element itself, not twice in one list
 *	reachable   every live element is reachable from the entry point
 *	heap        every live element's heap TID holds a row version
 *	complete    every live row with an indexable vector has an element
 *
 * The table is locked in SHARE mode while it runs (writers wait).
 *
 * IDENTIFICATION
 *	  src/vector/hnsw_verify.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/index.h"
#include "catalog/pg_class.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"

#include "dllb.h"
#include "vector/hnsw.h"

PG_FUNCTION_INFO_V1(dllb_hnsw_verify);

typedef struct VerifyElement
{
	uint32		id;
	uint8		level;
	uint8		flags;
	ItemPointerData heaptid;
	uint32		first;			/* index of its first slot in slots[] */
} VerifyElement;

typedef struct VerifyState
{
	HnswShape	shape;
	VerifyElement *elems;
	int			n;
	int			cap;
	uint32	   *slots;
	Size		nslots;
	Size		slotcap;
	ItemPointerData *tids;		/* live elements' heap TIDs, sorted */
	int			ntids;
	int64		missing;		/* live rows without an element */
	ItemPointerData first_missing;
} VerifyState;

static int
cmp_tid(const void *a, const void *b)
{
	return ItemPointerCompare((ItemPointer) a, (ItemPointer) b);
}

static VerifyElement *
find_element(VerifyState *v, uint32 id)
{
	int			lo = 0;
	int			hi = v->n - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;

		if (v->elems[mid].id == id)
			return &v->elems[mid];
		if (v->elems[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static void
load_elements(Relation index, VerifyState *v)
{
	BlockNumber nblocks = RelationGetNumberOfBlocks(index);
	BlockNumber blk;

	v->cap = 1024;
	v->elems = palloc_extended(sizeof(VerifyElement) * v->cap, MCXT_ALLOC_HUGE);
	v->slotcap = 16384;
	v->slots = palloc_extended(sizeof(uint32) * v->slotcap, MCXT_ALLOC_HUGE);
	for (blk = HNSW_METAPAGE_BLKNO + 1; blk < nblocks; blk++)
	{
		Buffer		buf = ReadBuffer(index, blk);
		Page		page;
		OffsetNumber off;
		OffsetNumber maxoff;

		CHECK_FOR_INTERRUPTS();
		LockBuffer(buf, BUFFER_LOCK_SHARE);
		page = BufferGetPage(buf);
		maxoff = PageIsNew(page) ? 0 : PageGetMaxOffsetNumber(page);
		for (off = FirstOffsetNumber; off <= maxoff; off++)
		{
			HnswElementTuple e = dllb_hnsw_page_element(page, off);
			int			total;

			if (e == NULL)
				continue;
			total = HnswSlotsTotal(v->shape.m, e->level);
			if (v->n == v->cap)
			{
				v->cap *= 2;
				v->elems = repalloc_huge(v->elems, sizeof(VerifyElement) * v->cap);
			}
			while (v->nslots + total > v->slotcap)
			{
				v->slotcap *= 2;
				v->slots = repalloc_huge(v->slots, sizeof(uint32) * v->slotcap);
			}
			v->elems[v->n].id = HnswIdMake(blk, off);
			v->elems[v->n].level = e->level;
			v->elems[v->n].flags = e->flags;
			v->elems[v->n].heaptid = e->heaptid;
			v->elems[v->n].first = v->nslots;
			memcpy(v->slots + v->nslots, HnswElementSlots(e, v->shape.dim),
				   sizeof(uint32) * total);
			v->nslots += total;
			v->n++;
		}
		UnlockReleaseBuffer(buf);
	}
}

static void
complete_callback(Relation index, ItemPointer tid, Datum *values, bool *isnull,
				  bool tupleIsAlive, void *state)
{
	VerifyState *v = (VerifyState *) state;
	float	   *x;
	float		norm;
	int			dim;

	if (isnull[0] || !tupleIsAlive)
		return;
	x = dllb_hnsw_datum_vector(values[0], &dim);
	if (!dllb_hnsw_indexable(v->shape.metric, x, dim, &norm))
		return;
	if (v->ntids == 0 ||
		bsearch(tid, v->tids, v->ntids, sizeof(ItemPointerData), cmp_tid) == NULL)
	{
		if (v->missing == 0)
			v->first_missing = *tid;
		v->missing++;
	}
}

Datum
dllb_hnsw_verify(PG_FUNCTION_ARGS)
{
	Oid			indexoid = PG_GETARG_OID(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			heapoid;
	Relation	heap;
	Relation	index;
	HnswMetaPageData meta;
	VerifyState v;
	int64		bad_links = 0;
	int64		nlive = 0;
	int64		unreachable = 0;
	int64		no_row = 0;
	char	   *first_bad = NULL;
	int			i;

	InitMaterializedSRF(fcinfo, 0);

	heapoid = IndexGetRelation(indexoid, true);
	if (!OidIsValid(heapoid))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not an index", get_rel_name(indexoid) ? get_rel_name(indexoid) : "?")));
#if PG_VERSION_NUM >= 160000
	if (!object_ownercheck(RelationRelationId, heapoid, GetUserId()))
#else
	if (!pg_class_ownercheck(heapoid, GetUserId()))
#endif
		aclcheck_error(ACLCHECK_NOT_OWNER, OBJECT_TABLE, get_rel_name(heapoid));

	heap = table_open(heapoid, ShareLock);
	index = index_open(indexoid, AccessShareLock);
	if (index->rd_indam->amgettuple != dllb_hnsw_gettuple)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a dllb_hnsw index", RelationGetRelationName(index))));

	dllb_hnsw_read_meta(index, &meta);
	memset(&v, 0, sizeof(v));
	v.shape.metric = dllb_hnsw_metric(index);
	v.shape.dim = meta.dim;
	v.shape.m = meta.m;
	load_elements(index, &v);

	/* neighbours */
	for (i = 0; i < v.n; i++)
	{
		VerifyElement *e = &v.elems[i];
		int			lc;

		if (e->flags & HNSW_ELEMENT_DELETED)
			continue;
		nlive++;
		for (lc = 0; lc <= e->level; lc++)
		{
			const uint32 *slots = v.slots + e->first + HnswSlotsStart(v.shape.m, lc);
			int			max = HnswSlotsAt(v.shape.m, lc);
			int			k;
			int			j;

			for (k = 0; k < max && slots[k] != HNSW_INVALID_ID; k++)
			{
				VerifyElement *nb = find_element(&v, slots[k]);
				const char *why = NULL;

				if (nb == NULL)
					why = "a missing element";
				else if (nb->flags & HNSW_ELEMENT_DELETED)
					why = "a deleted element";
				else if (nb->level < lc)
					why = "an element of a lower level";
				else if (nb->id == e->id)
					why = "itself";
				for (j = 0; j < k && why == NULL; j++)
					if (slots[j] == slots[k])
						why = "the same element twice";
				if (why != NULL)
				{
					if (bad_links == 0)
						first_bad = psprintf("first: element (%u,%u) level %d points at %s (%u,%u)",
											 HnswIdBlock(e->id), HnswIdOffset(e->id), lc, why,
											 HnswIdBlock(slots[k]), HnswIdOffset(slots[k]));
					bad_links++;
				}
			}
		}
	}

	/* meta */
	{
		VerifyElement *entry = meta.entry == HNSW_INVALID_ID ? NULL : find_element(&v, meta.entry);
		int			top = -1;
		bool		ok;

		for (i = 0; i < v.n; i++)
			if (!(v.elems[i].flags & HNSW_ELEMENT_DELETED))
				top = Max(top, v.elems[i].level);
		if (nlive == 0)
			ok = true;
		else
			ok = entry != NULL && !(entry->flags & HNSW_ELEMENT_DELETED) &&
				entry->level == top && meta.entry_level == top;
		dllb_verify_row(rsinfo, "meta", ok,
				psprintf("%u dimensions, m = %u, ef_construction = %u, %lld live elements, entry point %s at level %d (top level %d)",
						 meta.dim, meta.m, meta.ef_construction, (long long) nlive,
						 entry ? psprintf("(%u,%u)", HnswIdBlock(meta.entry), HnswIdOffset(meta.entry)) : "none",
						 meta.entry_level, top));
	}
	dllb_verify_row(rsinfo, "neighbours", bad_links == 0,
			bad_links == 0 ? psprintf("%lld list entries checked", (long long) (v.nslots)) :
			psprintf("%lld bad list entries; %s", (long long) bad_links, first_bad));

	/* reachable: breadth-first over every level's lists */
	{
		bool	   *seen = palloc_extended(Max(v.n, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
		int		   *queue = palloc_extended(sizeof(int) * Max(v.n, 1), MCXT_ALLOC_HUGE);
		int			head = 0;
		int			tail = 0;
		VerifyElement *entry = meta.entry == HNSW_INVALID_ID ? NULL : find_element(&v, meta.entry);

		if (entry)
		{
			seen[entry - v.elems] = true;
			queue[tail++] = entry - v.elems;
		}
		while (head < tail)
		{
			VerifyElement *e = &v.elems[queue[head++]];
			int			total = HnswSlotsTotal(v.shape.m, e->level);
			int			k;

			CHECK_FOR_INTERRUPTS();
			for (k = 0; k < total; k++)
			{
				VerifyElement *nb;

				if (v.slots[e->first + k] == HNSW_INVALID_ID)
					continue;
				nb = find_element(&v, v.slots[e->first + k]);
				if (nb != NULL && !seen[nb - v.elems])
				{
					seen[nb - v.elems] = true;
					queue[tail++] = nb - v.elems;
				}
			}
		}
		for (i = 0; i < v.n; i++)
			if (!seen[i] && !(v.elems[i].flags & HNSW_ELEMENT_DELETED))
				unreachable++;
		dllb_verify_row(rsinfo, "reachable", unreachable == 0,
				psprintf("%lld of %lld live elements unreachable from the entry point",
						 (long long) unreachable, (long long) nlive));
	}

	/* heap: each live element's row version exists */
	{
		IndexFetchTableData *fetch = table_index_fetch_begin(heap);
		TupleTableSlot *slot = table_slot_create(heap, NULL);

		v.tids = palloc_extended(sizeof(ItemPointerData) * Max(nlive, 1), MCXT_ALLOC_HUGE);
		for (i = 0; i < v.n; i++)
		{
			bool		call_again = false;
			bool		all_dead = false;
			ItemPointerData tid = v.elems[i].heaptid;

			if (v.elems[i].flags & HNSW_ELEMENT_DELETED)
				continue;
			CHECK_FOR_INTERRUPTS();
			v.tids[v.ntids++] = tid;
			if (!table_index_fetch_tuple(fetch, &tid, SnapshotAny, slot,
										 &call_again, &all_dead))
				no_row++;
		}
		ExecDropSingleTupleTableSlot(slot);
		table_index_fetch_end(fetch);
		dllb_verify_row(rsinfo, "heap", no_row == 0,
				psprintf("%lld of %lld live elements point at no row version",
						 (long long) no_row, (long long) nlive));
	}

	/* complete: every live row is indexed */
	{
		IndexInfo  *indexInfo = BuildIndexInfo(index);

		qsort(v.tids, v.ntids, sizeof(ItemPointerData), cmp_tid);
		table_index_build_scan(heap, index, indexInfo, true, false,
							   complete_callback, (void *) &v, NULL);
		dllb_verify_row(rsinfo, "complete", v.missing == 0,
				v.missing == 0 ? "every live row with an indexable vector has an element" :
				psprintf("%lld live rows have no element, first (%u,%u)",
						 (long long) v.missing,
						 ItemPointerGetBlockNumber(&v.first_missing),
						 ItemPointerGetOffsetNumber(&v.first_missing)));
	}

	index_close(index, AccessShareLock);
	table_close(heap, ShareLock);
	return (Datum) 0;
}
