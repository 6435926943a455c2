/*-------------------------------------------------------------------------
 *
 * bm25_handler.c
 *	  The dllb_bm25 access method: its routine, options, GUCs, cost
 *	  estimate and operator class check.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_handler.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>

#include "access/amvalidate.h"
#include "access/htup_details.h"
#include "access/reloptions.h"
#include "catalog/pg_amop.h"
#include "catalog/pg_opclass.h"
#include "catalog/pg_type.h"
#include "commands/progress.h"
#include "commands/vacuum.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/selfuncs.h"
#include "utils/syscache.h"

#include "fulltext/bm25.h"

int			dllb_bm25_buffer_kb = 256;
int			dllb_bm25_max_expansions = 1000;
char	   *dllb_bm25_default_analyzer = NULL;

/* set once at load, the same in every backend */
static relopt_kind bm25_relopt_kind;

PG_FUNCTION_INFO_V1(dllb_bm25_handler);

static void
validate_analyzer(const char *value)
{
	DllbAnalyzer an;

	if (value == NULL)
		return;
	dllb_analyzer_resolve_option(value, &an);
}

/*
 * dllb_bm25_init - register the options and GUCs; called at load.
 */
void
dllb_bm25_init(void)
{
	bm25_relopt_kind = add_reloption_kind();
	add_string_reloption(bm25_relopt_kind, "analyzer",
						 "Analyzer: a text search configuration, or dllb.code[(configuration)]",
						 "english", validate_analyzer, AccessExclusiveLock);
	add_real_reloption(bm25_relopt_kind, "k1", "BM25 term frequency saturation",
					   BM25_DEFAULT_K1, 0.0, 100.0, AccessExclusiveLock);
	add_real_reloption(bm25_relopt_kind, "b", "BM25 document length normalisation",
					   BM25_DEFAULT_B, 0.0, 1.0, AccessExclusiveLock);
	add_bool_reloption(bm25_relopt_kind, "positions",
					   "Store positions (needed for \"phrase\" queries)",
					   true, AccessExclusiveLock);

	DefineCustomIntVariable("dllb.bm25_buffer_kb",
							"Size the write buffer of a dllb_bm25 index reaches before it is turned into a segment.",
							NULL, &dllb_bm25_buffer_kb, 256, 16, 1024 * 1024,
							PGC_USERSET, GUC_UNIT_KB, NULL, NULL, NULL);
	DefineCustomIntVariable("dllb.bm25_max_expansions",
							"Most index lexemes a prefix* query term may stand for.",
							NULL, &dllb_bm25_max_expansions, 1000, 1, 1000000,
							PGC_USERSET, 0, NULL, NULL, NULL);
	dllb_bm25_plan_init();
	DefineCustomStringVariable("dllb.bm25_default_analyzer",
							   "Analyzer @@@ uses on an expression that has no dllb_bm25 index.",
							   NULL, &dllb_bm25_default_analyzer, "english",
							   PGC_USERSET, 0, NULL, NULL, NULL);
}

static bytea *
bm25_options(Datum reloptions, bool validate)
{
	static const relopt_parse_elt tab[] = {
		{"analyzer", RELOPT_TYPE_STRING, offsetof(Bm25Options, analyzer_offset)},
		{"k1", RELOPT_TYPE_REAL, offsetof(Bm25Options, k1)},
		{"b", RELOPT_TYPE_REAL, offsetof(Bm25Options, b)},
		{"positions", RELOPT_TYPE_BOOL, offsetof(Bm25Options, positions)},
	};

	return (bytea *) build_reloptions(reloptions, validate, bm25_relopt_kind,
									  sizeof(Bm25Options), tab, lengthof(tab));
}

/*
 * dllb_bm25_config_from_options - what the index's options say, the
 * analyzer resolved now (the build stores the result in the meta page)
 */
void
dllb_bm25_config_from_options(Relation index, Bm25Config *cfg)
{
	Bm25Options *opts = (Bm25Options *) index->rd_options;

	memset(cfg, 0, sizeof(Bm25Config));
	if (opts && opts->analyzer_offset > 0)
		dllb_analyzer_resolve_option((char *) opts + opts->analyzer_offset, &cfg->analyzer);
	else
		dllb_analyzer_resolve_option("english", &cfg->analyzer);
	cfg->k1 = opts ? opts->k1 : BM25_DEFAULT_K1;
	cfg->b = opts ? opts->b : BM25_DEFAULT_B;
	cfg->positions = opts ? opts->positions : true;
}

/*
 * dllb_bm25_config - what the index was built with, as its meta page
 * records it (so no session's search_path or later ALTER INDEX ... SET
 * changes how it analyzes); cached in rd_amcache.
 */
void
dllb_bm25_config(Relation index, Bm25Config *cfg)
{
	Bm25Config *c;
	Bm25MetaData meta;

	if (index->rd_amcache)
	{
		*cfg = *(Bm25Config *) index->rd_amcache;
		return;
	}
	dllb_bm25_read_meta(index, &meta);
	c = MemoryContextAllocZero(index->rd_indexcxt, sizeof(Bm25Config));
	c->analyzer.cfg = meta.analyzer_cfg;
	c->analyzer.code = meta.analyzer_code == 1;
	if (meta.analyzer_code == 2)
		dllb_analyzer_surreal(&c->analyzer);	/* its tokenizers and filters */
	c->k1 = meta.k1;
	c->b = meta.b;
	c->positions = meta.positions != 0;
	index->rd_amcache = c;
	*cfg = *c;
}

/*
 * Does the ordered scan's @@@ condition carry the ORDER BY's own query?
 * Then both return the matches of that query, and only them.
 */
static bool
orders_matches(IndexPath *path)
{
	Expr	   *ob = linitial(path->indexorderbys);
	Node	   *oq;
	ListCell   *lc;

	if (!IsA(ob, OpExpr) || list_length(((OpExpr *) ob)->args) != 2)
		return false;
	oq = lsecond(((OpExpr *) ob)->args);
	foreach(lc, path->indexclauses)
	{
		IndexClause *ic = (IndexClause *) lfirst(lc);
		ListCell   *lc2;

		foreach(lc2, ic->indexquals)
		{
			Expr	   *clause = ((RestrictInfo *) lfirst(lc2))->clause;

			if (IsA(clause, OpExpr) && list_length(((OpExpr *) clause)->args) == 2 &&
				equal(lsecond(((OpExpr *) clause)->args), oq))
				return true;
		}
	}
	return false;
}

static void
bm25_costestimate(PlannerInfo *root, IndexPath *path, double loop_count,
				  Cost *indexStartupCost, Cost *indexTotalCost,
				  Selectivity *indexSelectivity, double *indexCorrelation,
				  double *indexPages)
{
	GenericCosts costs;

	MemSet(&costs, 0, sizeof(costs));
	genericcostestimate(root, path, loop_count, &costs);
	if (path->indexorderbys != NIL)
	{
		/*
		 * A top-k scan reads a few blocks of each query term; the rest of the
		 * ranking is never computed.  Only the index can rank, so make it
		 * the plan.
		 */
		*indexStartupCost = 0;
		*indexTotalCost = costs.indexTotalCost * 0.01;
		*indexPages = Max(costs.numIndexPages * 0.01, 1);
	}
	else
	{
		*indexStartupCost = costs.indexTotalCost * 0.5;
		*indexTotalCost = costs.indexTotalCost;
		*indexPages = costs.numIndexPages;
	}
	*indexSelectivity = costs.indexSelectivity;
	*indexCorrelation = 0;
	if (path->indexorderbys != NIL && !orders_matches(path))
	{
		/*
		 * Ranking without a @@@ condition of the same query: a sequential
		 * scan and sort returns every row the conditions let through, those
		 * that do not match the ranking query with score 0; an ordered
		 * index scan would return only the matches.  With other @@@
		 * conditions the path becomes an unordered scan of them (a sort
		 * ranks above it); without any it is put out of reach.
		 */
		if (path->indexclauses != NIL)
		{
			path->indexorderbys = NIL;
			path->indexorderbycols = NIL;
			path->path.pathkeys = NIL;
			*indexStartupCost = costs.indexTotalCost * 0.5;
			*indexTotalCost = costs.indexTotalCost;
			*indexPages = costs.numIndexPages;
		}
		else
			*indexStartupCost = *indexTotalCost = 1.0e20;
	}
}

static bool
bm25_validate(Oid opclassoid)
{
	HeapTuple	classtup = SearchSysCache1(CLAOID, ObjectIdGetDatum(opclassoid));
	Form_pg_opclass classform;
	CatCList   *oprlist;
	bool		result = true;
	bool		has_match = false;
	bool		has_rank = false;
	int			i;

	if (!HeapTupleIsValid(classtup))
		elog(ERROR, "cache lookup failed for operator class %u", opclassoid);
	classform = (Form_pg_opclass) GETSTRUCT(classtup);
	oprlist = SearchSysCacheList1(AMOPSTRATEGY, ObjectIdGetDatum(classform->opcfamily));
	for (i = 0; i < oprlist->n_members; i++)
	{
		Form_pg_amop op = (Form_pg_amop) GETSTRUCT(&oprlist->members[i]->tuple);

		if (op->amopstrategy == 1 && op->amoppurpose == AMOP_SEARCH)
			has_match = true;
		else if (op->amopstrategy == 2 && op->amoppurpose == AMOP_ORDER &&
				 op->amopsortfamily == get_opclass_family(FLOAT8_BTREE_OPS_OID))
			has_rank = true;
		else
		{
			ereport(INFO,
					(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
					 errmsg("operator class \"%s\" of access method dllb_bm25 has an operator that is neither strategy 1 (match) nor strategy 2 (order by float8)",
							NameStr(classform->opcname))));
			result = false;
		}
	}
	if (!has_match || !has_rank)
	{
		ereport(INFO,
				(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
				 errmsg("operator class \"%s\" of access method dllb_bm25 lacks its match or ranking operator",
						NameStr(classform->opcname))));
		result = false;
	}
	ReleaseCatCacheList(oprlist);
	ReleaseSysCache(classtup);
	return result;
}

static char *
bm25_buildphasename(int64 phase)
{
	switch (phase)
	{
		case PROGRESS_CREATEIDX_SUBPHASE_INITIALIZE:
			return "initializing";
		case 2:
			return "analyzing rows";
		case 3:
			return "merging segments";
		default:
			return NULL;
	}
}

Datum
dllb_bm25_handler(PG_FUNCTION_ARGS)
{
	IndexAmRoutine *am = makeNode(IndexAmRoutine);

	am->amstrategies = 2;
	am->amsupport = 0;
	am->amoptsprocnum = 0;
	am->amcanorder = false;
	am->amcanorderbyop = true;
	am->amcanbackward = false;
	am->amcanunique = false;
	am->amcanmulticol = false;
	am->amoptionalkey = true;
	am->amsearcharray = false;
	am->amsearchnulls = false;
	am->amstorage = false;
	am->amclusterable = false;
	am->ampredlocks = false;
	am->amcanparallel = false;
#if PG_VERSION_NUM >= 170000
	am->amcanbuildparallel = false;
#endif
	am->amcaninclude = false;
	am->amusemaintenanceworkmem = true;
#if PG_VERSION_NUM >= 160000
	am->amsummarizing = false;
#endif
	am->amparallelvacuumoptions = VACUUM_OPTION_PARALLEL_BULKDEL;
	am->amkeytype = InvalidOid;

	am->ambuild = dllb_bm25_build;
	am->ambuildempty = dllb_bm25_buildempty;
	am->aminsert = dllb_bm25_insert;
#if PG_VERSION_NUM >= 170000
	am->aminsertcleanup = NULL;
#endif
	am->ambulkdelete = dllb_bm25_bulkdelete;
	am->amvacuumcleanup = dllb_bm25_vacuumcleanup;
	am->amcanreturn = NULL;
	am->amcostestimate = bm25_costestimate;
	am->amoptions = bm25_options;
	am->amproperty = NULL;
	am->ambuildphasename = bm25_buildphasename;
	am->amvalidate = bm25_validate;
	am->amadjustmembers = NULL;
	am->ambeginscan = dllb_bm25_beginscan;
	am->amrescan = dllb_bm25_rescan;
	am->amgettuple = dllb_bm25_gettuple;
	am->amgetbitmap = dllb_bm25_getbitmap;
	am->amendscan = dllb_bm25_endscan;
	am->ammarkpos = NULL;
	am->amrestrpos = NULL;
	am->amestimateparallelscan = NULL;
	am->aminitparallelscan = NULL;
	am->amparallelrescan = NULL;

	PG_RETURN_POINTER(am);
}
