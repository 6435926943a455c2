/*-------------------------------------------------------------------------
 *
 * graph_edges.c
 *	  Which edge tables a traversal follows, and reading one step of them
 *	  for a whole frontier.
 *
 * An edge name is a dialect edge table on the search path (one registered
 * in dllb.tables with kind 'edge'), or '?' for every edge table.  A name
 * that is no table gives no edges (as reading a missing table gives no
 * rows); a relation that is not an edge table is an error.
 *
 * Each (table, direction) pair becomes one prepared statement
 *
 *	  SELECT "in", out FROM t WHERE "in" OPERATOR(pg_catalog.=) ANY ($1)   -- out
 *	  SELECT out, "in" FROM t WHERE out OPERATOR(pg_catalog.=) ANY ($1)    -- in
 *
 * which the ("in", out) and (out, "in") indexes of an edge table answer
 * with one index (usually index-only) scan per frontier.  Statements run
 * with read_only = true: the caller's snapshot, privileges and row-level
 * security decide which edges exist.
 *
 * The statements are prepared once per backend and kept (SPI_keepplan) in
 * a cache keyed by (table OID, direction), like PL/pgSQL keeps its plans:
 * the plan cache revalidates them after DDL, and a dropped table's OID is
 * never asked for again.  They are generic plans on purpose: a custom plan
 * would estimate the selectivity of every element of a frontier array of
 * tens of thousands of records, costing more than the scan itself.  The
 * cache holds no per-call data, so re-entry (a traversal inside a function
 * called by a traversal) is safe.
 *
 * Direct reads.  When the caller may SELECT the table and no row-level
 * security applies to it, a step skips SPI and the executor: it scans the
 * table's btree index on the frontier column itself, with the frontier as
 * one array scan key (the btree AM handles "= ANY" arrays natively) and
 * the caller's active snapshot, and reads each edge's far end from the
 * index tuple when the visibility map says the heap page is all-visible
 * (as an index-only scan does; the edge-table indexes are ("in", out) and
 * (out, "in")), from the heap tuple otherwise.  That
 * is exactly what the SPI statement would do, minus the executor's per-row
 * and per-statement work.  With RLS, or without table-level SELECT (column
 * privileges, or none), the step goes through SPI, which applies policies
 * and raises the same permission error a query would.
 *
 * IDENTIFICATION
 *	  src/model/graph_edges.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "executor/tuptable.h"
#include "access/amapi.h"
#include "access/visibilitymap.h"
#include "storage/bufmgr.h"
#include "access/htup_details.h"
#include "utils/acl.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/params.h"
#include "tcop/dest.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "dllb.h"
#include "model/graph.h"
#include "model/model.h"

/*
 * dllb_graph_direction - parse 'out', 'in' or 'both'.
 */
GraphDirection
dllb_graph_direction(text *direction)
{
	char	   *s = text_to_cstring(direction);

	if (pg_strcasecmp(s, "out") == 0)
		return GRAPH_OUT;
	if (pg_strcasecmp(s, "in") == 0)
		return GRAPH_IN;
	if (pg_strcasecmp(s, "both") == 0)
		return GRAPH_BOTH;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid direction \"%s\"", s),
			 errhint("The direction is 'out', 'in' or 'both'.")));
	return GRAPH_OUT;			/* keep compiler quiet */
}

/*
 * dllb_graph_reverse - the direction that walks the same edges backwards.
 */
GraphDirection
dllb_graph_reverse(GraphDirection dir)
{
	return dir == GRAPH_OUT ? GRAPH_IN : (dir == GRAPH_IN ? GRAPH_OUT : GRAPH_BOTH);
}

/* Backend-local cache of kept step plans. */
typedef struct StepKey
{
	Oid			rel;
	bool		outward;
} StepKey;

typedef struct StepEntry
{
	StepKey		key;
	SPIPlanPtr	plan;
	GraphStep	direct;			/* the index to read directly, if any */
	bool		direct_known;	/* has direct been worked out? */
} StepEntry;

static HTAB *step_plans = NULL;
static SPIPlanPtr tables_all_plan = NULL;

/* prepare (once per backend) and keep sql as a generic plan */
static SPIPlanPtr
keep_plan(const char *sql, int nargs, Oid *argtypes)
{
	SPIPlanPtr	plan = SPI_prepare_cursor(sql, nargs, argtypes, CURSOR_OPT_GENERIC_PLAN);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
			 SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	return plan;
}

/*
 * the kind ('document' or 'edge') dllb.tables records for rel, or NULL;
 * read through dllb.tables' primary key with the caller's snapshot (a
 * statement through SPI costs more than the rest of a small traversal)
 */
static char *
table_kind(Oid rel)
{
	Oid			nsp = get_namespace_oid(DLLB_SCHEMA_NAME, false);
	Oid			tables = get_relname_relid("tables", nsp);
	Oid			pkey = get_relname_relid("tables_pkey", nsp);
	Relation	r;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	char	   *kind = NULL;

	if (!OidIsValid(tables) || !OidIsValid(pkey))
		elog(ERROR, "dllb.tables or its primary key is missing");
	r = table_open(tables, AccessShareLock);
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(rel));
	scan = systable_beginscan(r, pkey, true, GetActiveSnapshot(), 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, 2, RelationGetDescr(r), &isnull);

		if (!isnull)
			kind = TextDatumGetCString(d);
	}
	systable_endscan(scan);
	table_close(r, AccessShareLock);
	return kind;
}

/*
 * decide whether step may read rel's index directly (see the file header),
 * and find the index and its equality operator
 */
static void
find_direct_index(GraphStep *step, Oid rel, bool outward)
{
	Relation	heap;
	List	   *indexes;
	ListCell   *lc;
	AttrNumber	from_att,
				to_att;

	step->direct = false;
	from_att = get_attnum(rel, outward ? "in" : "out");
	to_att = get_attnum(rel, outward ? "out" : "in");
	if (from_att == InvalidAttrNumber || to_att == InvalidAttrNumber)
		return;

	heap = table_open(rel, AccessShareLock);
	indexes = RelationGetIndexList(heap);
	foreach(lc, indexes)
	{
		Relation	index = index_open(lfirst_oid(lc), AccessShareLock);
		bool		ok = index->rd_rel->relam == BTREE_AM_OID &&
			index->rd_index->indisvalid &&
			index->rd_index->indkey.values[0] == from_att;

		if (ok)
		{
			Oid			eq = get_opfamily_member(index->rd_opfamily[0],
												 index->rd_opcintype[0],
												 index->rd_opcintype[0],
												 BTEqualStrategyNumber);

			if (OidIsValid(eq))
			{
				step->index_only = index->rd_index->indnkeyatts >= 2 &&
					index->rd_index->indkey.values[1] == to_att &&
					index->rd_indam->amcanreturn != NULL;
				step->direct = true;
				step->relid = rel;
				step->indexid = lfirst_oid(lc);
				step->from_att = from_att;
				step->to_att = to_att;
				step->eq_proc = get_opcode(eq);
				step->collation = index->rd_indcollation[0];
			}
		}
		index_close(index, AccessShareLock);
		if (step->direct)
			break;
	}
	list_free(indexes);
	table_close(heap, AccessShareLock);
}

/*
 * relcache invalidation of a table (an index created or dropped, ...):
 * forget the index choices made for it (all of them when relid is 0)
 */
static void
step_plans_invalidate(Datum arg, Oid relid)
{
	HASH_SEQ_STATUS status;
	StepEntry  *entry;

	if (step_plans == NULL)
		return;
	hash_seq_init(&status, step_plans);
	while ((entry = hash_seq_search(&status)) != NULL)
		if (relid == InvalidOid || entry->key.rel == relid)
			entry->direct_known = false;
}

/*
 * per call: copy the cached index choice into step when this caller may
 * read the table directly (SELECT on it, no RLS); otherwise use SPI
 */
static void
setup_direct(GraphStep *step, StepEntry *entry, Oid rel, bool outward)
{
	SPIPlanPtr	plan = step->plan;

	if (!entry->direct_known)
	{
		find_direct_index(&entry->direct, rel, outward);
		entry->direct_known = true;
	}
	step->direct = false;
	if (!entry->direct.direct)
		return;
	if (check_enable_rls(rel, InvalidOid, true) == RLS_ENABLED)
		return;
	if (pg_class_aclcheck(rel, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
		return;
	*step = entry->direct;
	step->plan = plan;
}

/* prepare one step over table rel */
static void
add_step(GraphEdges *edges, List **steps, Oid rel, bool outward)
{
	StringInfoData sql;
	char	   *relname;
	char	   *nspname;
	Oid			argtype = edges->array_type;
	SPIPlanPtr	plan;
	GraphStep  *step;
	StepKey		key;
	StepEntry  *entry;
	bool		found;

	if (step_plans == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(StepKey);
		ctl.entrysize = sizeof(StepEntry);
		ctl.hcxt = TopMemoryContext;
		step_plans = hash_create("dllb traversal plans", 64, &ctl,
								 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		CacheRegisterRelcacheCallback(step_plans_invalidate, (Datum) 0);
	}
	memset(&key, 0, sizeof(key));
	key.rel = rel;
	key.outward = outward;
	entry = hash_search(step_plans, &key, HASH_FIND, &found);
	if (entry != NULL)
	{
		step = palloc0(sizeof(GraphStep));
		step->plan = entry->plan;
		setup_direct(step, entry, rel, outward);
		*steps = lappend(*steps, step);
		return;
	}

	relname = get_rel_name(rel);
	nspname = get_namespace_name(get_rel_namespace(rel));
	if (relname == NULL || nspname == NULL)
		return;					/* dropped concurrently */
	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT %s, %s FROM %s.%s WHERE %s OPERATOR(pg_catalog.=) ANY ($1)",
					 outward ? "\"in\"" : "out", outward ? "out" : "\"in\"",
					 quote_identifier(nspname), quote_identifier(relname),
					 outward ? "\"in\"" : "out");
	plan = keep_plan(sql.data, 1, &argtype);
	entry = hash_search(step_plans, &key, HASH_ENTER, &found);
	entry->plan = plan;
	entry->direct_known = false;
	step = palloc0(sizeof(GraphStep));
	step->plan = plan;
	setup_direct(step, entry, rel, outward);
	*steps = lappend(*steps, step);
}

/* add the steps of one edge table for direction dir */
static void
add_table(GraphEdges *edges, List **steps, Oid rel, GraphDirection dir)
{
	if (dir == GRAPH_OUT || dir == GRAPH_BOTH)
		add_step(edges, steps, rel, true);
	if (dir == GRAPH_IN || dir == GRAPH_BOTH)
		add_step(edges, steps, rel, false);
}

/*
 * dllb_graph_edges_open - resolve edge (a table name or '?') and prepare
 * the steps for direction dir.  The caller is connected to SPI.
 */
void
dllb_graph_edges_open(GraphEdges *edges, text *edge, GraphDirection dir,
					  Oid record_type)
{
	char	   *name = text_to_cstring(edge);
	List	   *steps = NIL;
	ListCell   *lc;
	int			i;

	memset(edges, 0, sizeof(*edges));
	edges->record_type = record_type;
	edges->array_type = get_array_type(record_type);
	get_typlenbyvalalign(record_type, &edges->typlen, &edges->typbyval,
						 &edges->typalign);

	if (strcmp(name, "?") == 0)
	{
		int			ret;
		uint64		n;
		Oid		   *rels;

		Oid			argtypes[1] = {OIDOID};
		Datum		args[1];

		/* every edge table of the dialect's schema */
		if (tables_all_plan == NULL)
			tables_all_plan = keep_plan("SELECT t.tbl::pg_catalog.oid FROM dllb.tables t "
										"JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) t.tbl "
										"WHERE t.kind OPERATOR(pg_catalog.=) 'edge' "
										"AND c.relnamespace OPERATOR(pg_catalog.=) $1 "
										"ORDER BY 1",
										1, argtypes);
		args[0] = ObjectIdGetDatum(dllb_dialect_namespace());
		ret = SPI_execute_plan(tables_all_plan, args, NULL, true, 0);

		if (ret != SPI_OK_SELECT)
			elog(ERROR, "reading dllb.tables failed: %s", SPI_result_code_string(ret));
		n = SPI_processed;
		rels = palloc(sizeof(Oid) * (n + 1));
		for (i = 0; i < (int) n; i++)
		{
			bool		isnull;

			rels[i] = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
													 SPI_tuptable->tupdesc, 1, &isnull));
		}
		SPI_freetuptable(SPI_tuptable);
		for (i = 0; i < (int) n; i++)
			add_table(edges, &steps, rels[i], dir);
	}
	else
	{
		/*
		 * a dialect table name, exactly as written: in a dllb.query call, of
		 * the dialect's schema; otherwise found on the search path
		 */
		Oid			rel = dllb_dialect_schema_active() ?
			get_relname_relid(name, dllb_dialect_namespace()) :
			RangeVarGetRelid(makeRangeVar(NULL, name, -1), NoLock, true);

		if (OidIsValid(rel))
		{
			char	   *kind = table_kind(rel);

			if (kind == NULL || strcmp(kind, "edge") != 0)
				ereport(ERROR,
						(errcode(ERRCODE_WRONG_OBJECT_TYPE),
						 errmsg("\"%s\" is not an edge table", name),
						 errhint("Edge tables are made by dllb.create_edge_table or dllb.relate.")));
			add_table(edges, &steps, rel, dir);
		}
	}

	edges->nsteps = list_length(steps);
	edges->steps = palloc(sizeof(GraphStep) * Max(edges->nsteps, 1));
	i = 0;
	foreach(lc, steps)
		edges->steps[i++] = *(GraphStep *) lfirst(lc);
}

/* A DestReceiver that hands each (from, to) row to the callback. */
typedef struct PairReceiver
{
	DestReceiver pub;
	GraphPairCallback callback;
	void	   *arg;
	uint64		rows;
} PairReceiver;

static bool
pair_receive(TupleTableSlot *slot, DestReceiver *self)
{
	PairReceiver *r = (PairReceiver *) self;
	bool		n1,
				n2;
	Datum		from = slot_getattr(slot, 1, &n1);
	Datum		to = slot_getattr(slot, 2, &n2);

	if ((++r->rows & 1023) == 0)
		CHECK_FOR_INTERRUPTS();
	if (!n1 && !n2)
		r->callback(r->arg, from, to);
	return true;
}

static void
pair_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
pair_shutdown(DestReceiver *self)
{
}

static void
pair_destroy(DestReceiver *self)
{
}

/*
 * one step read directly: a btree scan with the frontier as an array key,
 * under the caller's active snapshot
 */
static void
expand_direct(GraphStep *step, Datum array, Oid elemtype,
			  GraphPairCallback callback, void *arg)
{
	Relation	heap = table_open(step->relid, AccessShareLock);
	Relation	index = index_open(step->indexid, AccessShareLock);
	TupleTableSlot *slot = table_slot_create(heap, NULL);
	ScanKeyData skey;
	IndexScanDesc scan;
	uint64		rows = 0;
	Buffer		vmbuffer = InvalidBuffer;

	ScanKeyEntryInitialize(&skey, SK_SEARCHARRAY, 1, BTEqualStrategyNumber,
						   elemtype, step->collation, step->eq_proc, array);
	scan = index_beginscan(heap, index, GetActiveSnapshot(), 1, 0);
	scan->xs_want_itup = step->index_only;
	index_rescan(scan, &skey, 1, NULL, 0);
	for (;;)
	{
		ItemPointer tid = index_getnext_tid(scan, ForwardScanDirection);
		bool		n1,
					n2;
		Datum		from,
					to;

		if (tid == NULL)
			break;
		if ((++rows & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (step->index_only &&
			VM_ALL_VISIBLE(heap, ItemPointerGetBlockNumber(tid), &vmbuffer))
		{
			/* as an index-only scan does: all-visible page, trust the index */
			from = index_getattr(scan->xs_itup, 1, scan->xs_itupdesc, &n1);
			to = index_getattr(scan->xs_itup, 2, scan->xs_itupdesc, &n2);
		}
		else
		{
			if (!index_fetch_heap(scan, slot))
				continue;		/* not visible to the snapshot */
			from = slot_getattr(slot, step->from_att, &n1);
			to = slot_getattr(slot, step->to_att, &n2);
		}
		if (!n1 && !n2)
			callback(arg, from, to);
	}
	if (BufferIsValid(vmbuffer))
		ReleaseBuffer(vmbuffer);
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);
}

/*
 * dllb_graph_expand - run every step for the frontier ids and call back
 * with each (from, to) pair as the executor produces it (no result set is
 * materialised).  The datums are valid only during the callback.
 */
void
dllb_graph_expand(GraphEdges *edges, GraphNodes *nodes, const int32 *ids,
				  int32 count, GraphPairCallback callback, void *arg)
{
	Datum	   *elems;
	ArrayType  *array;
	ParamListInfo params;
	SPIExecuteOptions options;
	PairReceiver receiver;
	int			s;
	int32		i;

	if (count == 0 || edges->nsteps == 0)
		return;
	elems = palloc(sizeof(Datum) * count);
	for (i = 0; i < count; i++)
		elems[i] = PointerGetDatum(nodes->nodes[ids[i]].rec);
	array = construct_array(elems, count, edges->record_type, edges->typlen,
							edges->typbyval, edges->typalign);
	params = makeParamList(1);
	params->params[0].value = PointerGetDatum(array);
	params->params[0].isnull = false;
	params->params[0].pflags = PARAM_FLAG_CONST;
	params->params[0].ptype = edges->array_type;

	memset(&receiver, 0, sizeof(receiver));
	receiver.pub.receiveSlot = pair_receive;
	receiver.pub.rStartup = pair_startup;
	receiver.pub.rShutdown = pair_shutdown;
	receiver.pub.rDestroy = pair_destroy;
	receiver.pub.mydest = DestNone;
	receiver.callback = callback;
	receiver.arg = arg;

	memset(&options, 0, sizeof(options));
	options.params = params;
	options.read_only = true;
	options.dest = (DestReceiver *) &receiver;

	for (s = 0; s < edges->nsteps; s++)
	{
		int			ret;

		CHECK_FOR_INTERRUPTS();
		if (edges->steps[s].direct)
		{
			expand_direct(&edges->steps[s], PointerGetDatum(array),
						  edges->record_type, callback, arg);
			continue;
		}
		ret = SPI_execute_plan_extended(edges->steps[s].plan, &options);
		/* with a DestReceiver of ours, SPI reports a SELECT as a utility */
		if (ret != SPI_OK_SELECT && ret != SPI_OK_UTILITY)
			elog(ERROR, "traversal step failed: %s", SPI_result_code_string(ret));
	}
	pfree(params);
	pfree(array);
	pfree(elems);
}
