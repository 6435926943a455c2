/*-------------------------------------------------------------------------
 *
 * hnsw_verify.c
 *	  dllb.hnsw_verify(regclass): check a dllb_hnsw index's structure and
 *	  its agreement with the table.
 *
 * Returns one row per check (check, ok, detail):
 *	meta        the meta page is ours; the entry point is an element whose
 *	            level is the meta page's, and no live element is higher
 *	neighbours  every entry of a live element's lists (and the entry
 *	            point's) is an element of at least that level, not the
 *	            element itself, not twice in one list
 *	parents     every live element but the entry point has a parent that
 *	            lists it, and parents lead to the entry point
 *	reachable   every live element is reachable from the entry point
 *	heap        every live element's heap TID points at a line pointer in
 *	            use (a row version, or one that pruning marked dead and
 *	            VACUUM has not removed yet)
 *	complete    every live row with an indexable vector has an element
 *
 * Deleted elements that VACUUM has not freed yet (tombstones) are part of
 * the graph: searches walk through them, lists may point at them, and a
 * deleted entry point stays until replaced (see hnsw_vacuum.c); an
 * immediate stop during VACUUM leaves such a graph, which is whole.
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
#include "access/heapam.h"
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
	uint32		parent;
	uint32		key;
	Size		first;			/* index of its first slot in slots[] */
} VerifyElement;

typedef struct VerifyState
{
	HnswShape	shape;
	VerifyElement *elems;
	int			n;
	int			cap;
	uint32	   *slots;
	uint32	   *slotkeys;		/* filtered indexes: the keys beside them */
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
	v->slotkeys = palloc_extended(sizeof(uint32) * v->slotcap, MCXT_ALLOC_HUGE);
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
				v->slotkeys = repalloc_huge(v->slotkeys, sizeof(uint32) * v->slotcap);
			}
			v->elems[v->n].id = HnswIdMake(blk, off);
			v->elems[v->n].level = e->level;
			v->elems[v->n].flags = e->flags;
			v->elems[v->n].heaptid = e->heaptid;
			v->elems[v->n].parent = e->parent;
			v->elems[v->n].key = HnswElementKey(e, &v->shape);
			v->elems[v->n].first = v->nslots;
			memcpy(v->slots + v->nslots, HnswElementIds(e, &v->shape), sizeof(uint32) * total);
			if (HnswFiltered(&v->shape))
				memcpy(v->slotkeys + v->nslots, HnswElementSlotKeys(e, &v->shape),
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
	VerifyElement *entry;
	int			i;

	InitMaterializedSRF(fcinfo, 0);

	if (get_rel_name(indexoid) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", indexoid)));
	heapoid = IndexGetRelation(indexoid, true);
	if (!OidIsValid(heapoid))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not an index", get_rel_name(indexoid))));
	/* checking an index against its table: the table's owner, as REINDEX */
	dllb_check_owner(heapoid);

	heap = table_open(heapoid, ShareLock);
	index = index_open(indexoid, AccessShareLock);
	if (index->rd_indam->amgettuple != dllb_hnsw_gettuple)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a dllb_hnsw index", RelationGetRelationName(index))));

	dllb_hnsw_read_meta(index, &meta);
	memset(&v, 0, sizeof(v));
	dllb_hnsw_shape_from_meta(&v.shape, index, &meta);
	load_elements(index, &v);

	entry = meta.entry == HNSW_INVALID_ID ? NULL : find_element(&v, meta.entry);

	/* neighbours: of live elements and of the entry point */
	for (i = 0; i < v.n; i++)
	{
		VerifyElement *e = &v.elems[i];
		int			lc;

		if (!(e->flags & HNSW_ELEMENT_DELETED))
			nlive++;
		else if (e != entry)
			continue;
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
				else if (nb->level < lc)
					why = "an element of a lower level";
				else if (nb->id == e->id)
					why = "itself";
				else if (HnswFiltered(&v.shape) &&
						 v.slotkeys[slots - v.slots + k] != nb->key)
					why = "a wrong filter key for";
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
		int			top = -1;
		bool		ok;

		for (i = 0; i < v.n; i++)
			if (!(v.elems[i].flags & HNSW_ELEMENT_DELETED))
				top = Max(top, v.elems[i].level);
		if (entry == NULL)
			ok = nlive == 0 && meta.entry == HNSW_INVALID_ID && meta.entry_level == -1;
		else
			ok = entry->level == meta.entry_level && top <= meta.entry_level;
		dllb_verify_row(rsinfo, "meta", ok,
				psprintf("%u dimensions, m = %u, ef_construction = %u, %lld live elements, entry point %s at level %d%s (top live level %d)",
						 meta.dim, meta.m, meta.ef_construction, (long long) nlive,
						 meta.entry == HNSW_INVALID_ID ? "none" :
						 psprintf("(%u,%u)", HnswIdBlock(meta.entry), HnswIdOffset(meta.entry)),
						 meta.entry_level,
						 entry == NULL ? (meta.entry == HNSW_INVALID_ID ? "" : " (missing)") :
						 (entry->flags & HNSW_ELEMENT_DELETED) ? " (deleted)" : "",
						 top));
	}
	dllb_verify_row(rsinfo, "neighbours", bad_links == 0,
			bad_links == 0 ? psprintf("%lld list entries checked", (long long) (v.nslots)) :
			psprintf("%lld bad list entries; %s", (long long) bad_links, first_bad));

	/*
	 * parents: each live element's parent lists it and the chain of parents
	 * ends at the entry point (a walk longer than the number of elements is
	 * a cycle).
	 */
	{
		int64		bad_parents = 0;
		char	   *first_parent = NULL;

		for (i = 0; i < v.n; i++)
		{
			VerifyElement *e = &v.elems[i];
			VerifyElement *c = e;
			const char *why = NULL;
			int			steps = 0;

			if ((e->flags & HNSW_ELEMENT_DELETED) || e == entry)
				continue;
			CHECK_FOR_INTERRUPTS();
			while (c != entry && why == NULL)
			{
				VerifyElement *p = c->parent == HNSW_INVALID_ID ? NULL :
					find_element(&v, c->parent);
				int			total;
				int			k;

				if (p == NULL)
				{
					why = c->parent == HNSW_INVALID_ID ? "no parent" : "a missing parent";
					break;
				}
				total = HnswSlotsTotal(v.shape.m, p->level);
				for (k = 0; k < total; k++)
					if (v.slots[p->first + k] == c->id)
						break;
				if (k == total)
					why = "a parent that does not list it";
				else if (++steps > v.n)
					why = "a cycle of parents";
				c = p;
			}
			if (why != NULL)
			{
				if (bad_parents == 0)
					first_parent = psprintf("first: element (%u,%u) has %s%s",
											HnswIdBlock(e->id), HnswIdOffset(e->id), why,
											c == e ? "" :
											psprintf(" at (%u,%u) up its chain",
													 HnswIdBlock(c->id), HnswIdOffset(c->id)));
				bad_parents++;
			}
		}
		dllb_verify_row(rsinfo, "parents", bad_parents == 0,
				bad_parents == 0 ? "every live element's parents lead to the entry point" :
				psprintf("%lld live elements whose parents do not lead to the entry point; %s",
						 (long long) bad_parents, first_parent));
	}

	/* reachable: breadth-first over every level's lists */
	{
		bool	   *seen = palloc_extended(Max(v.n, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
		int		   *queue = palloc_extended(sizeof(int) * Max(v.n, 1), MCXT_ALLOC_HUGE);
		int			head = 0;
		int			tail = 0;

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

	/*
	 * heap: each live element's TID points at a line pointer in use.  Heap
	 * pruning turns the line pointers of dead rows into dead ones that
	 * only VACUUM, after it has removed the index entries, marks unused;
	 * so an unused (or absent) line pointer is an element VACUUM missed,
	 * while a dead one is normal.  Tables that do not store heap pages are
	 * asked through the table access method instead.
	 */
	{
		bool		heap_pages = heap->rd_tableam->index_fetch_tuple ==
			GetHeapamTableAmRoutine()->index_fetch_tuple;
		IndexFetchTableData *fetch = heap_pages ? NULL : table_index_fetch_begin(heap);
		TupleTableSlot *slot = heap_pages ? NULL : table_slot_create(heap, NULL);
		BlockNumber heap_blocks = RelationGetNumberOfBlocks(heap);
		Buffer		hbuf = InvalidBuffer;

		v.tids = palloc_extended(sizeof(ItemPointerData) * Max(nlive, 1), MCXT_ALLOC_HUGE);
		for (i = 0; i < v.n; i++)
			if (!(v.elems[i].flags & HNSW_ELEMENT_DELETED))
				v.tids[v.ntids++] = v.elems[i].heaptid;
		qsort(v.tids, v.ntids, sizeof(ItemPointerData), cmp_tid);
		for (i = 0; i < v.ntids; i++)
		{
			ItemPointerData tid = v.tids[i];
			BlockNumber blk = ItemPointerGetBlockNumber(&tid);
			OffsetNumber off = ItemPointerGetOffsetNumber(&tid);

			CHECK_FOR_INTERRUPTS();
			if (!heap_pages)
			{
				bool		call_again = false;
				bool		all_dead = false;

				if (!table_index_fetch_tuple(fetch, &tid, SnapshotAny, slot,
											 &call_again, &all_dead))
					no_row++;
				continue;
			}
			if (blk >= heap_blocks)
			{
				no_row++;
				continue;
			}
			if (!BufferIsValid(hbuf) || BufferGetBlockNumber(hbuf) != blk)
			{
				if (BufferIsValid(hbuf))
					UnlockReleaseBuffer(hbuf);
				hbuf = ReadBuffer(heap, blk);
				LockBuffer(hbuf, BUFFER_LOCK_SHARE);
			}
			{
				Page		hpage = BufferGetPage(hbuf);

				if (PageIsNew(hpage) || off < FirstOffsetNumber ||
					off > PageGetMaxOffsetNumber(hpage) ||
					!ItemIdIsUsed(PageGetItemId(hpage, off)))
					no_row++;
			}
		}
		if (BufferIsValid(hbuf))
			UnlockReleaseBuffer(hbuf);
		if (!heap_pages)
		{
			ExecDropSingleTupleTableSlot(slot);
			table_index_fetch_end(fetch);
		}
		dllb_verify_row(rsinfo, "heap", no_row == 0,
				psprintf("%lld of %lld live elements point at no row version",
						 (long long) no_row, (long long) nlive));
	}

	/* complete: every live row is indexed */
	{
		IndexInfo  *indexInfo = BuildIndexInfo(index);

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
