/*-------------------------------------------------------------------------
 *
 * bm25_plan.c
 *	  How the planner meets the full-text operators: each query is bound
 *	  to the dllb_bm25 index whose analyzer and statistics it means, so
 *	  that every plan returns the same rows with the same scores.
 *
 * col @@@ q, col <@> q and dllb.score(col, q) mean "with the analyzer
 * (and, for scores, the statistics) of the dllb_bm25 index on col".  An
 * index scan knows its index; a sequential scan, a filter or a sort does
 * not.  So the functions behind those operators have a planner support
 * function: when the planner simplifies a call whose first argument is an
 * expression over one table, it looks for the dllb_bm25 indexes on that
 * table whose key is that expression, and binds the query to the one with
 * the lowest OID (bm25query.h: the index's OID travels in the query
 * value).  The operator is unchanged, so the planner can still match it
 * to the index; outside an index scan the functions read the binding.  A
 * call with no such index stays unbound: @@@ then uses the analyzer
 * dllb.bm25_default_analyzer names, and a score is an error.  A query the
 * user bound with dllb.bm25query_bind(q, index) keeps its binding, which
 * must name an index on that expression.
 *
 * Two rules keep index paths to the rows other plans return:
 *	- get_relation_info_hook removes from a table's index list the
 *	  dllb_bm25 indexes no query of the statement is bound to, so a second
 *	  index on the same column is never scanned for a query bound to the
 *	  first;
 *	- the cost estimate (bm25_handler.c) puts an ordered scan out of reach
 *	  unless the scan also has a @@@ condition with the ORDER BY's own
 *	  query: without it a sequential scan returns every row, the ones that
 *	  do not match with score 0, which an index cannot.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_plan.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/relation.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/pathnodes.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"
#include "optimizer/plancat.h"
#include "parser/parse_func.h"
#include "parser/parsetree.h"
#include "rewrite/rewriteManip.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/selfuncs.h"
#include "utils/syscache.h"

#include "fulltext/bm25_query.h"

PG_FUNCTION_INFO_V1(dllb_bm25_support);
PG_FUNCTION_INFO_V1(dllb_bm25query_bind);
PG_FUNCTION_INFO_V1(dllb_bm25_matchsel);

static get_relation_info_hook_type prev_get_relation_info = NULL;

/* the OID of access method dllb_bm25, or InvalidOid */
Oid
dllb_bm25_am_oid(void)
{
	return get_am_oid("dllb_bm25", true);
}

/* what the planner side looks up once per call: dllb's type and function */
typedef struct PlanOids
{
	Oid			qtype;			/* dllb.bm25query */
	Oid			bindfn;			/* dllb.bm25query_bind(dllb.bm25query, regclass) */
} PlanOids;

static void
plan_oids(PlanOids *o)
{
	Oid			nsp = get_namespace_oid(DLLB_SCHEMA_NAME, false);
	Oid			args[2];

	o->qtype = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
							   CStringGetDatum("bm25query"), ObjectIdGetDatum(nsp));
	args[0] = o->qtype;
	args[1] = REGCLASSOID;
	o->bindfn = LookupFuncName(list_make2(makeString(DLLB_SCHEMA_NAME),
										  makeString("bm25query_bind")),
							   2, args, false);
}

/* is indexoid a valid dllb_bm25 index?  (NoLock: the caller holds one) */
static bool
is_bm25_index(Relation irel)
{
	return irel->rd_rel->relkind == RELKIND_INDEX &&
		irel->rd_rel->relam == dllb_bm25_am_oid() &&
		irel->rd_index->indisvalid;
}

/*
 * dllb.bm25query_bind(q, index) - q bound to a dllb_bm25 index: its
 * operators use that index's analyzer and statistics
 */
Datum
dllb_bm25query_bind(PG_FUNCTION_ARGS)
{
	text	   *query = PG_GETARG_TEXT_PP(0);
	Oid			index = PG_GETARG_OID(1);
	Relation	irel = try_relation_open(index, AccessShareLock);
	bool		ok;

	if (irel == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("relation with OID %u does not exist", index)));
	ok = irel->rd_rel->relkind == RELKIND_INDEX &&
		irel->rd_rel->relam == dllb_bm25_am_oid();
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a dllb_bm25 index", RelationGetRelationName(irel))));
	relation_close(irel, AccessShareLock);
	PG_RETURN_TEXT_P(dllb_bm25query_bound(query, index));
}

/*
 * The index a query expression is bound to: a bound constant, or a call of
 * dllb.bm25query_bind with a constant index.  0 when it is not bound (or
 * the binding is not known before execution).
 */
static Oid
expr_binding(const PlanOids *o, Node *expr)
{
	if (expr == NULL)
		return InvalidOid;
	if (IsA(expr, Const))
	{
		Const	   *c = (Const *) expr;
		text	   *t;
		uint32		index;
		int			len;

		if (c->constisnull || c->consttype != o->qtype)
			return InvalidOid;
		t = DatumGetTextPP(c->constvalue);
		(void) dllb_bm25query_body(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &len, &index);
		return index;
	}
	if (IsA(expr, FuncExpr) && ((FuncExpr *) expr)->funcid == o->bindfn &&
		list_length(((FuncExpr *) expr)->args) == 2)
	{
		Node	   *arg = lsecond(((FuncExpr *) expr)->args);

		if (IsA(arg, Const) && !((Const *) arg)->constisnull)
			return DatumGetObjectId(((Const *) arg)->constvalue);
	}
	return InvalidOid;
}

/* every Var of a (planner) expression, of any query level; true on a sublink */
static bool
collect_vars(Node *node, List **vars)
{
	if (node == NULL)
		return false;
	if (IsA(node, Var))
	{
		*vars = lappend(*vars, node);
		return false;
	}
	if (IsA(node, Query) || IsA(node, SubLink) || IsA(node, SubPlan) ||
		IsA(node, PlaceHolderVar) || IsA(node, Aggref))
	{
		/* not a plain expression of one row: never bound */
		*vars = lappend(*vars, makeNullConst(INT4OID, -1, InvalidOid));
		return true;
	}
	return expression_tree_walker(node, collect_vars, vars);
}

/*
 * The relation the expression is over: every Var of it is of one range
 * table entry of one query level, a plain table.  A lone Var of a
 * subquery in FROM is followed to the column of a table it selects.  Sets
 * *expr (to the expression in that table's query level), *levelsup and
 * *varno; InvalidOid when it is not so.
 */
static Oid
expr_relation(PlannerInfo *root, Node **expr, int *levelsup, int *varno)
{
	List	   *vars;
	ListCell   *lc;
	int			up = -1;
	int			no = 0;
	PlannerInfo *r = root;
	List	   *rtable;
	RangeTblEntry *rte;
	Node	   *e = *expr;

	while (IsA(e, RelabelType))
		e = (Node *) ((RelabelType *) e)->arg;
	vars = NIL;
	(void) collect_vars(e, &vars);
	foreach(lc, vars)
	{
		Var		   *v = (Var *) lfirst(lc);

		if (!IsA(v, Var) || v->varattno < 0 ||
			(no != 0 && (v->varno != no || (int) v->varlevelsup != up)))
			return InvalidOid;
		no = v->varno;
		up = v->varlevelsup;
	}
	if (no == 0)
		return InvalidOid;
	*levelsup = up;
	for (; up > 0; up--)
	{
		r = r->parent_root;
		if (r == NULL)
			return InvalidOid;
	}
	rtable = r->parse->rtable;
	for (;;)
	{
		CHECK_FOR_INTERRUPTS();
		if (no > list_length(rtable))
			return InvalidOid;
		rte = rt_fetch(no, rtable);
		if (rte->rtekind == RTE_SUBQUERY && IsA(e, Var) && ((Var *) e)->varattno > 0 &&
			((Var *) e)->varattno <= list_length(rte->subquery->targetList))
		{
			/* a column of a subquery: what it selects */
			TargetEntry *te = list_nth(rte->subquery->targetList, ((Var *) e)->varattno - 1);
			Node	   *inner = (Node *) te->expr;

			while (IsA(inner, RelabelType))
				inner = (Node *) ((RelabelType *) inner)->arg;
			if (!IsA(inner, Var) || ((Var *) inner)->varlevelsup != 0)
				return InvalidOid;
			e = inner;
			no = ((Var *) e)->varno;
			rtable = rte->subquery->rtable;
			*levelsup = 0;
			continue;
		}
		break;
	}
	if (rte->rtekind != RTE_RELATION ||
		(rte->relkind != RELKIND_RELATION && rte->relkind != RELKIND_MATVIEW))
		return InvalidOid;
	*varno = no;
	*expr = e;
	return rte->relid;
}

/* is the index's key the expression (Vars of varno, levelsup up)? */
static bool
index_on_expr(Relation irel, Node *expr, int varno, int levelsup)
{
	Node	   *e = expr;

	while (IsA(e, RelabelType))
		e = (Node *) ((RelabelType *) e)->arg;
	if (irel->rd_index->indnatts != 1)
		return false;
	if (irel->rd_index->indkey.values[0] != 0)
		return IsA(e, Var) && ((Var *) e)->varattno == irel->rd_index->indkey.values[0];
	e = copyObject(e);
	if (levelsup > 0)
		IncrementVarSublevelsUp(e, -levelsup, 0);
	if (varno != 1)
		ChangeVarNodes(e, varno, 1, 0);
	return equal(linitial(RelationGetIndexExpressions(irel)), e);
}

/*
 * The dllb_bm25 index a call on expr binds to: the valid one with the
 * lowest OID whose key is that expression of its table; InvalidOid when
 * there is none.  With want valid: want, if it is such an index.
 */
static Oid
index_for_expr(PlannerInfo *root, Node *expr, Oid want)
{
	int			levelsup = 0;
	int			varno = 0;
	Oid			relid = expr_relation(root, &expr, &levelsup, &varno);
	Relation	rel;
	List	   *indexes;
	ListCell   *lc;
	Oid			found = InvalidOid;

	if (!OidIsValid(relid))
		return InvalidOid;
	rel = table_open(relid, AccessShareLock);
	indexes = RelationGetIndexList(rel);
	foreach(lc, indexes)
	{
		Oid			indexoid = lfirst_oid(lc);
		Relation	irel;

		if (OidIsValid(want) ? indexoid != want :
			(OidIsValid(found) && indexoid > found))
			continue;
		irel = index_open(indexoid, AccessShareLock);
		if (is_bm25_index(irel) && index_on_expr(irel, expr, varno, levelsup))
			found = indexoid;
		index_close(irel, AccessShareLock);
	}
	list_free(indexes);
	table_close(rel, AccessShareLock);
	return found;
}

/*
 * bind_call - SupportRequestSimplify for @@@, <@> and dllb.score(text,
 * dllb.bm25query): the same call with its query bound, or NULL
 */
static Node *
bind_call(PlannerInfo *root, FuncExpr *call)
{
	Node	   *body;
	Node	   *query;
	Oid			index;
	Oid			already;
	Node	   *bound;
	Oid			opno;
	PlanOids	o;

	if (root == NULL || list_length(call->args) != 2)
		return NULL;
	plan_oids(&o);
	body = linitial(call->args);
	query = lsecond(call->args);
	already = expr_binding(&o, query);
	if (OidIsValid(already) ||
		(IsA(query, FuncExpr) && ((FuncExpr *) query)->funcid == o.bindfn))
	{
		/*
		 * a binding the user made: when the expression is over a table, to
		 * an index on it
		 */
		if (OidIsValid(already) && !OidIsValid(index_for_expr(root, body, already)) &&
			OidIsValid(index_for_expr(root, body, InvalidOid)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the full-text query is bound to index \"%s\", which is not on this expression",
							get_rel_name(already)),
					 errhint("Bind it to a dllb_bm25 index of the same table and expression, or do not bind it.")));
		return NULL;
	}
	index = index_for_expr(root, body, InvalidOid);
	if (!OidIsValid(index))
		return NULL;

	if (IsA(query, Const))
	{
		Const	   *c = (Const *) query;

		if (c->constisnull)
			return NULL;
		bound = (Node *) makeConst(c->consttype, c->consttypmod, c->constcollid, -1,
								   PointerGetDatum(dllb_bm25query_bound(DatumGetTextPP(c->constvalue), index)),
								   false, false);
	}
	else
		bound = (Node *) makeFuncExpr(o.bindfn, exprType(query),
									  list_make2(query, makeConst(REGCLASSOID, -1, InvalidOid,
																  sizeof(Oid), ObjectIdGetDatum(index),
																  false, true)),
									  InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);

	/* an operator stays the operator, so the index can still serve it */
	opno = dllb_bm25_operator_of(call->funcid, o.qtype);
	if (OidIsValid(opno))
		return (Node *) make_opclause(opno, call->funcresulttype, false,
									  (Expr *) body, (Expr *) bound,
									  call->funccollid, call->inputcollid);
	return (Node *) makeFuncExpr(call->funcid, call->funcresulttype,
								 list_make2(body, bound), call->funccollid,
								 call->inputcollid, call->funcformat);
}

/*
 * dllb_bm25_operator_of - the operator (pg_catalog.@@@ or pg_catalog.<@>
 * on text and dllb.bm25query) that funcid implements, or InvalidOid
 */
Oid
dllb_bm25_operator_of(Oid funcid, Oid qtype)
{
	const char *names[] = {"@@@", "<@>"};
	int			i;

	for (i = 0; i < lengthof(names); i++)
	{
		Oid			opno = OpernameGetOprid(list_make2(makeString("pg_catalog"),
													   makeString(unconstify(char *, names[i]))),
											TEXTOID, qtype);

		if (OidIsValid(opno) && get_opcode(opno) == funcid)
			return opno;
	}
	return InvalidOid;
}

/* dllb.bm25_support(internal): the planner support function */
Datum
dllb_bm25_support(PG_FUNCTION_ARGS)
{
	Node	   *req = (Node *) PG_GETARG_POINTER(0);

	if (IsA(req, SupportRequestSimplify))
	{
		SupportRequestSimplify *r = (SupportRequestSimplify *) req;

		PG_RETURN_POINTER(bind_call(r->root, r->fcall));
	}
	PG_RETURN_POINTER(NULL);
}

/*
 * dllb.bm25_matchsel - restriction selectivity of @@@: with the statistics
 * of the index the query is bound to, the fraction of its documents the
 * query matches (bm25_query.c); a planner that knows how many rows match
 * can tell a top-k scan from a bitmap scan and sort.
 */
#define BM25_DEFAULT_MATCH_SEL 0.005

Datum
dllb_bm25_matchsel(PG_FUNCTION_ARGS)
{
	PlannerInfo *root = (PlannerInfo *) PG_GETARG_POINTER(0);
	List	   *args = (List *) PG_GETARG_POINTER(2);
	Node	   *rhs;
	PlanOids	o;
	Oid			index;
	Relation	irel;
	Bm25Query  *q;
	double		sel;

	if (list_length(args) != 2)
		PG_RETURN_FLOAT8(BM25_DEFAULT_MATCH_SEL);
	rhs = estimate_expression_value(root, lsecond(args));
	if (!IsA(rhs, Const) || ((Const *) rhs)->constisnull)
		PG_RETURN_FLOAT8(BM25_DEFAULT_MATCH_SEL);
	plan_oids(&o);
	index = expr_binding(&o, rhs);
	if (!OidIsValid(index))
		PG_RETURN_FLOAT8(BM25_DEFAULT_MATCH_SEL);
	irel = index_open(index, AccessShareLock);
	q = dllb_bm25_query_prepare(irel, DatumGetTextPP(((Const *) rhs)->constvalue));
	sel = dllb_bm25_query_selectivity(q);
	index_close(irel, AccessShareLock);
	CLAMP_PROBABILITY(sel);
	PG_RETURN_FLOAT8(sel);
}

/* ---- the index list ------------------------------------------------------ */

typedef struct Bindings
{
	PlanOids	o;
	List	   *indexes;		/* OIDs queries are bound to */
	bool		unknown;		/* a binding only known at execution */
} Bindings;

static bool
collect_bindings(Node *node, Bindings *b)
{
	Oid			index;

	if (node == NULL)
		return false;
	index = expr_binding(&b->o, node);
	if (OidIsValid(index))
	{
		b->indexes = list_append_unique_oid(b->indexes, index);
		return false;
	}
	if (IsA(node, FuncExpr) && ((FuncExpr *) node)->funcid == b->o.bindfn)
		b->unknown = true;
	if (IsA(node, Query))
		return query_tree_walker((Query *) node, collect_bindings, b, 0);
	return expression_tree_walker(node, collect_bindings, b);
}

/*
 * keep_bound_indexes - get_relation_info_hook: the table's dllb_bm25
 * indexes that no query of the statement is bound to leave its index list
 */
static void
keep_bound_indexes(PlannerInfo *root, Oid relid, bool inhparent, RelOptInfo *rel)
{
	Oid			am;
	ListCell   *lc;
	bool		any = false;
	Bindings	b;
	List	   *keep = NIL;

	if (prev_get_relation_info)
		prev_get_relation_info(root, relid, inhparent, rel);
	am = dllb_bm25_am_oid();
	if (!OidIsValid(am))
		return;
	foreach(lc, rel->indexlist)
		if (((IndexOptInfo *) lfirst(lc))->relam == am)
			any = true;
	if (!any)
		return;
	plan_oids(&b.o);
	b.indexes = NIL;
	b.unknown = false;
	(void) query_tree_walker(root->parse, collect_bindings, &b, 0);
	if (b.unknown)
		return;
	foreach(lc, rel->indexlist)
	{
		IndexOptInfo *info = (IndexOptInfo *) lfirst(lc);

		if (info->relam != am || list_member_oid(b.indexes, info->indexoid))
			keep = lappend(keep, info);
	}
	rel->indexlist = keep;
}

/* dllb_bm25_plan_init - install the hook; called at load */
void
dllb_bm25_plan_init(void)
{
	prev_get_relation_info = get_relation_info_hook;
	get_relation_info_hook = keep_bound_indexes;
}
