/*-------------------------------------------------------------------------
 *
 * hnsw_handler.c
 *	  The dllb_hnsw access method's handler, options, GUCs and cost model.
 *
 * IDENTIFICATION
 *	  src/vector/hnsw_handler.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/amapi.h"
#include "access/amvalidate.h"
#include "access/htup_details.h"
#include "catalog/pg_amop.h"
#include "catalog/pg_amproc.h"
#include "catalog/pg_opclass.h"
#include "catalog/pg_opfamily.h"
#include "catalog/pg_type.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "access/reloptions.h"
#include "commands/progress.h"
#include "commands/vacuum.h"
#include "utils/float.h"
#include "utils/guc.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/selfuncs.h"
#include "utils/typcache.h"

#include "vector/hnsw.h"

int			dllb_hnsw_ef_search = 40;
int			dllb_hnsw_max_scan_tuples = 20000;
bool		dllb_hnsw_debug_filter_widen = true;
int			dllb_hnsw_debug_vacuum_panic_after = 0;

/* set once at load, the same in every backend */
static relopt_kind hnsw_relopt_kind;

static relopt_enum_elt_def quant_values[] = {
	{"none", HNSW_QUANT_NONE},
	{"sq8", HNSW_QUANT_SQ8},
	{(const char *) NULL}
};

PG_FUNCTION_INFO_V1(dllb_hnsw_handler);

/*
 * dllb_hnsw_init - options and GUCs; called from the layer's init.
 */
void
dllb_hnsw_init(void)
{
	hnsw_relopt_kind = add_reloption_kind();
	add_int_reloption(hnsw_relopt_kind, "m",
					  "Most neighbours of an element on the levels above 0 (2m on level 0)",
					  HNSW_DEFAULT_M, HNSW_MIN_M, HNSW_MAX_M, AccessExclusiveLock);
	add_int_reloption(hnsw_relopt_kind, "ef_construction",
					  "Candidates kept while looking for an element's neighbours",
					  HNSW_DEFAULT_EF_CONSTRUCTION, HNSW_MIN_EF_CONSTRUCTION,
					  HNSW_MAX_EF_CONSTRUCTION, AccessExclusiveLock);
	add_enum_reloption(hnsw_relopt_kind, "quantization",
					   "How elements store their vectors: none (float4) or sq8 (8-bit codes, re-ranked from the table)",
					   quant_values, HNSW_QUANT_NONE,
					   "Valid values are \"none\" and \"sq8\".", AccessExclusiveLock);

	DefineCustomIntVariable("dllb.hnsw_ef_search",
							"Candidates a dllb_hnsw index scan keeps per round (higher: better recall, slower).",
							NULL, &dllb_hnsw_ef_search, 40, 1, 1000,
							PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("dllb.hnsw_max_scan_tuples",
							"Elements a dllb_hnsw scan visits through the graph before it reads the rest of the index exhaustively.",
							NULL, &dllb_hnsw_max_scan_tuples, 20000, 1, INT_MAX,
							PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("dllb.hnsw_debug_vacuum_panic_after",
							"For crash tests only: a dllb_hnsw VACUUM stops the server (PANIC) right after this many WAL records; 0 is off.",
							NULL, &dllb_hnsw_debug_vacuum_panic_after, 0, 0, INT_MAX,
							PGC_SUSET, GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE, NULL, NULL, NULL);
	DefineCustomBoolVariable("dllb.hnsw_debug_filter_widen",
							 "For measurements only: a filtered dllb_hnsw scan widens its ef when few neighbour keys pass the filter.",
							 NULL, &dllb_hnsw_debug_filter_widen, true,
							 PGC_USERSET, GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE, NULL, NULL, NULL);
}

static bytea *
hnsw_options(Datum reloptions, bool validate)
{
	static const relopt_parse_elt tab[] = {
		{"m", RELOPT_TYPE_INT, offsetof(HnswOptions, m)},
		{"ef_construction", RELOPT_TYPE_INT, offsetof(HnswOptions, ef_construction)},
		{"quantization", RELOPT_TYPE_ENUM, offsetof(HnswOptions, quantization)},
	};

	return (bytea *) build_reloptions(reloptions, validate, hnsw_relopt_kind,
									  sizeof(HnswOptions), tab, lengthof(tab));
}

int
dllb_hnsw_get_m(Relation index)
{
	HnswOptions *opts = (HnswOptions *) index->rd_options;

	return opts ? opts->m : HNSW_DEFAULT_M;
}

int
dllb_hnsw_get_ef_construction(Relation index)
{
	HnswOptions *opts = (HnswOptions *) index->rd_options;

	return opts ? opts->ef_construction : HNSW_DEFAULT_EF_CONSTRUCTION;
}

HnswQuant
dllb_hnsw_get_quantization(Relation index)
{
	HnswOptions *opts = (HnswOptions *) index->rd_options;

	return opts ? (HnswQuant) opts->quantization : HNSW_QUANT_NONE;
}

const char *
dllb_hnsw_quant_name(HnswQuant q)
{
	return q == HNSW_QUANT_SQ8 ? "sq8" : "none";
}

/*
 * dllb_hnsw_keykind - how the index's filter column (its second key
 * column, if any) becomes keys: types of at most 32 bits whose order is
 * their integer order are the key itself; others are hashed.
 */
HnswKeyKind
dllb_hnsw_keykind(Relation index)
{
	if (IndexRelationGetNumberOfKeyAttributes(index) < 2)
		return HNSW_KEY_NONE;
	switch (TupleDescAttr(RelationGetDescr(index), 1)->atttypid)
	{
		case BOOLOID:
		case INT2OID:
		case INT4OID:
		case DATEOID:
			return HNSW_KEY_EXACT;
		default:
			return HNSW_KEY_HASH;
	}
}

/*
 * dllb_hnsw_key - the key of a filter column value (never NULL).  Exact
 * keys flip the sign bit, so unsigned order is the values' order.
 */
uint32
dllb_hnsw_key(Relation index, Datum value)
{
	Oid			typid = TupleDescAttr(RelationGetDescr(index), 1)->atttypid;
	int32		v;
	TypeCacheEntry *tc;

	switch (typid)
	{
		case BOOLOID:
			v = DatumGetBool(value) ? 1 : 0;
			break;
		case INT2OID:
			v = DatumGetInt16(value);
			break;
		case INT4OID:
			v = DatumGetInt32(value);
			break;
		case DATEOID:
			v = DatumGetDateADT(value);
			break;
		default:
			tc = lookup_type_cache(typid, TYPECACHE_HASH_PROC_FINFO);
			if (!OidIsValid(tc->hash_proc))
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("dllb_hnsw cannot filter on type %s", format_type_be(typid))));
			return DatumGetUInt32(FunctionCall1Coll(&tc->hash_proc_finfo,
													index->rd_indcollation[1], value));
	}
	return ((uint32) v) ^ 0x80000000u;
}

/*
 * dllb_hnsw_metric - which distance the index's operator class orders by.
 *
 * Support function 1 is the distance function; we recognise it by its C
 * entry point and then call the kernels directly, never through fmgr.
 */
HnswMetric
dllb_hnsw_metric(Relation index)
{
	FmgrInfo   *proc = index_getprocinfo(index, 1, 1);

	if (proc->fn_addr == dllb_vector_l2_distance)
		return HNSW_L2;
	if (proc->fn_addr == dllb_vector_cosine_distance)
		return HNSW_COSINE;
	if (proc->fn_addr == dllb_vector_negative_inner_product)
		return HNSW_IP;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("dllb_hnsw does not support the distance function of index \"%s\"",
					RelationGetRelationName(index)),
			 errhint("Use dllb.vector_l2_ops, dllb.vector_cosine_ops or dllb.vector_ip_ops.")));
	return HNSW_L2;				/* keep the compiler quiet */
}

/*
 * hnsw_costestimate - an ordered scan reads a small part of the index
 * before its first row; without ORDER BY the index is useless.
 */
static void
hnsw_costestimate(PlannerInfo *root, IndexPath *path, double loop_count,
				  Cost *indexStartupCost, Cost *indexTotalCost,
				  Selectivity *indexSelectivity, double *indexCorrelation,
				  double *indexPages)
{
	GenericCosts costs;
	double		ntuples;
	double		visit;
	double		ratio;
	int			m;
	Relation	index;

	if (path->indexorderbys == NIL)
	{
		*indexStartupCost = get_float8_infinity();
		*indexTotalCost = get_float8_infinity();
		*indexSelectivity = 0;
		*indexCorrelation = 0;
		*indexPages = 0;
		return;
	}

	MemSet(&costs, 0, sizeof(costs));
	genericcostestimate(root, path, loop_count, &costs);

	index = index_open(path->indexinfo->indexoid, NoLock);
	m = dllb_hnsw_get_m(index);
	index_close(index, NoLock);

	ntuples = Max(path->indexinfo->tuples, 1);
	/*
	 * A search reads the lists of about ef elements on level 0 (2m entries
	 * each, many already visited) and a few elements on each level above.
	 */
	visit = dllb_hnsw_ef_search * m + m * log(ntuples) / log(Max(m, 2));

	/*
	 * A filter on the second column reads the lists of neighbours that do
	 * not match as well (but visits only those that do).
	 */
	if (path->indexclauses != NIL)
		visit *= 2;
	ratio = Min(1.0, visit / ntuples);

	*indexStartupCost = costs.indexTotalCost * ratio;
	*indexTotalCost = costs.indexTotalCost;
	*indexSelectivity = costs.indexSelectivity;
	*indexCorrelation = 0;
	*indexPages = costs.numIndexPages * ratio;
}

/*
 * hnsw_validate - an operator class of dllb_hnsw for vectors has one
 * ordering operator (strategy 1, ordered by float8) and one support
 * function (1, the distance: (type, type) -> float8); one for a filter
 * column has comparison operators only.
 */
static bool
hnsw_validate(Oid opclassoid)
{
	HeapTuple	classtup = SearchSysCache1(CLAOID, ObjectIdGetDatum(opclassoid));
	Form_pg_opclass classform;
	CatCList   *oprlist;
	CatCList   *proclist;
	bool		result = true;
	bool		has_op = false;
	bool		has_proc = false;
	bool		is_filter = false;
	char	   *opclassname;
	int			i;

	if (!HeapTupleIsValid(classtup))
		elog(ERROR, "cache lookup failed for operator class %u", opclassoid);
	classform = (Form_pg_opclass) GETSTRUCT(classtup);
	opclassname = NameStr(classform->opcname);

	oprlist = SearchSysCacheList1(AMOPSTRATEGY, ObjectIdGetDatum(classform->opcfamily));
	proclist = SearchSysCacheList1(AMPROCNUM, ObjectIdGetDatum(classform->opcfamily));

	/*
	 * A filter column's operator class: comparison operators (the btree
	 * strategies 1 to 5) and no support function.
	 */
	for (i = 0; i < oprlist->n_members; i++)
		if (((Form_pg_amop) GETSTRUCT(&oprlist->members[i]->tuple))->amoppurpose == AMOP_SEARCH)
			is_filter = true;
	if (is_filter)
	{
		for (i = 0; i < oprlist->n_members; i++)
		{
			Form_pg_amop op = (Form_pg_amop) GETSTRUCT(&oprlist->members[i]->tuple);

			if (op->amoppurpose != AMOP_SEARCH || op->amopstrategy < 1 || op->amopstrategy > 5 ||
				!check_amop_signature(op->amopopr, BOOLOID, op->amoplefttype, op->amoprighttype))
			{
				ereport(INFO,
						(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
						 errmsg("operator class \"%s\" of access method dllb_hnsw has a filter operator that is not a comparison of strategy 1 to 5",
								opclassname)));
				result = false;
			}
		}
		if (proclist->n_members > 0)
		{
			ereport(INFO,
					(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
					 errmsg("operator class \"%s\" of access method dllb_hnsw is a filter operator class with a support function",
							opclassname)));
			result = false;
		}
		ReleaseCatCacheList(proclist);
		ReleaseCatCacheList(oprlist);
		ReleaseSysCache(classtup);
		return result;
	}

	for (i = 0; i < oprlist->n_members; i++)
	{
		Form_pg_amop op = (Form_pg_amop) GETSTRUCT(&oprlist->members[i]->tuple);

		if (op->amopstrategy != 1 || op->amoppurpose != AMOP_ORDER ||
			op->amopsortfamily != get_opclass_family(FLOAT8_BTREE_OPS_OID))
		{
			ereport(INFO,
					(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
					 errmsg("operator class \"%s\" of access method dllb_hnsw has an operator that is not strategy 1 ordering by float8",
							opclassname)));
			result = false;
		}
		else
			has_op = true;
	}
	for (i = 0; i < proclist->n_members; i++)
	{
		Form_pg_amproc proc = (Form_pg_amproc) GETSTRUCT(&proclist->members[i]->tuple);

		if (proc->amprocnum != 1 ||
			!check_amproc_signature(proc->amproc, FLOAT8OID, true, 2, 2,
									classform->opcintype, classform->opcintype))
		{
			ereport(INFO,
					(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
					 errmsg("operator class \"%s\" of access method dllb_hnsw has a support function that is not 1: (type, type) -> float8",
							opclassname)));
			result = false;
		}
		else
			has_proc = true;
	}
	if (!has_op || !has_proc)
	{
		ereport(INFO,
				(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
				 errmsg("operator class \"%s\" of access method dllb_hnsw lacks its ordering operator or distance function",
						opclassname)));
		result = false;
	}
	ReleaseCatCacheList(proclist);
	ReleaseCatCacheList(oprlist);
	ReleaseSysCache(classtup);
	return result;
}

static char *
hnsw_buildphasename(int64 phase)
{
	switch (phase)
	{
		case PROGRESS_CREATEIDX_SUBPHASE_INITIALIZE:
			return "initializing";
		case 2:
			return "loading tuples";
		case 3:
			return "building graph";
		case 4:
			return "writing pages";
		default:
			return NULL;
	}
}

Datum
dllb_hnsw_handler(PG_FUNCTION_ARGS)
{
	IndexAmRoutine *am = makeNode(IndexAmRoutine);

	am->amstrategies = 0;
	am->amsupport = 1;
	am->amoptsprocnum = 0;
	am->amcanorder = false;
	am->amcanorderbyop = true;
	am->amcanbackward = false;
	am->amcanunique = false;
	am->amcanmulticol = true;
	am->amoptionalkey = true;
	am->amsearcharray = true;
	am->amsearchnulls = false;
	am->amstorage = false;
	am->amclusterable = false;
	am->ampredlocks = false;
	am->amcanparallel = false;
#if PG_VERSION_NUM >= 170000
	am->amcanbuildparallel = false;
#endif
	am->amcaninclude = false;
	am->amusemaintenanceworkmem = false;
#if PG_VERSION_NUM >= 160000
	am->amsummarizing = false;
#endif
	am->amparallelvacuumoptions = VACUUM_OPTION_PARALLEL_BULKDEL;
	am->amkeytype = InvalidOid;

	am->ambuild = dllb_hnsw_build;
	am->ambuildempty = dllb_hnsw_buildempty;
	am->aminsert = dllb_hnsw_insert;
#if PG_VERSION_NUM >= 170000
	am->aminsertcleanup = NULL;
#endif
	am->ambulkdelete = dllb_hnsw_bulkdelete;
	am->amvacuumcleanup = dllb_hnsw_vacuumcleanup;
	am->amcanreturn = NULL;
	am->amcostestimate = hnsw_costestimate;
	am->amoptions = hnsw_options;
	am->amproperty = NULL;
	am->ambuildphasename = hnsw_buildphasename;
	am->amvalidate = hnsw_validate;
	am->amadjustmembers = NULL;
	am->ambeginscan = dllb_hnsw_beginscan;
	am->amrescan = dllb_hnsw_rescan;
	am->amgettuple = dllb_hnsw_gettuple;
	am->amgetbitmap = NULL;
	am->amendscan = dllb_hnsw_endscan;
	am->ammarkpos = NULL;
	am->amrestrpos = NULL;
	am->amestimateparallelscan = NULL;
	am->aminitparallelscan = NULL;
	am->amparallelrescan = NULL;

	PG_RETURN_POINTER(am);
}
