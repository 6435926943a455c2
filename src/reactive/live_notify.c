/*-------------------------------------------------------------------------
 *
 * live_notify.c
 *	  The trigger of live queries: after each statement that changes a
 *	  table, evaluate its live queries for the changed records, as each
 *	  subscriber, and NOTIFY the matching changes.
 *
 * dllb.live_notify is an AFTER INSERT / UPDATE / DELETE FOR EACH STATEMENT
 * trigger with transition tables.  Its live queries come in groups of one
 * subscriber role and one set of custom settings; each group is one query,
 * planned once (a generic plan), run as that role with those settings (a
 * security-restricted operation), over the changed records of the table
 * itself (or over the transition tables, when they are exactly what the
 * role sees: see image_sql):
 *
 *	  SELECT t.id::text, m.v, ARRAY[CASE WHEN m.v[1] OR <asked for>
 *										 THEN <result 1> END, ...]
 *	  FROM <table> t, LATERAL (SELECT ARRAY[<condition 1>, ...] OFFSET 0) m(v)
 *	  WHERE t.id = ANY(<ids>)
 *
 * so PostgreSQL applies the role's privileges and row-level security: a
 * record the role may not see is no row, and a column it may not read is
 * an error.  The records after the change are read as usual (the trigger
 * runs after the statement); the records before it with the statement's
 * own snapshot, which does not see the statement's changes yet.  A change
 * notifies a live query when the record matched (was visible and met the
 * condition) before or after it:
 *
 *	  CREATE   matches after                    result after
 *	  UPDATE   matches before or after, and     result after
 *			   is visible after
 *	  UPDATE   matched before, invisible after  DELETE, result before
 *	  DELETE   matched before                   result before
 *
 * (DIFF: a JSON Patch from the result before - when it matched - to the
 * result after, dllb.json_diff.)  The payload is
 *	  {"id": <live query>, "action": ..., "record": "t:k", "result": ...,
 *	   "n": <the notification's number in the writing transaction>}
 * NOTIFY delivers it when the writer commits, in commit order, and never
 * for a rolled-back change; "n" keeps two identical changes of one
 * transaction two notifications (NOTIFY folds identical payloads).  A
 * payload of 8,000 bytes or more (NOTIFY's limit) is kept in
 * dllb.live_payloads and the notification carries "fetch": <key> instead
 * of the result; dllb.live_fetch hands it to the subscriber.
 *
 * A group's evaluation runs in a subtransaction: an error in it (a
 * privilege revoked since, a condition that fails on some record) never
 * fails the writer's statement.  Each live query of the group is then
 * evaluated on its own, so only the failing one misses the change (which
 * the server log records).
 *
 * IDENTIFICATION
 *	  src/reactive/live_notify.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "parser/analyze.h"
#include "parser/parser.h"
#include "rewrite/rewriteManip.h"
#include "parser/parse_func.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/tuplestore.h"

#include "nodes/parsenodes.h"
#include "reactive/reactive.h"
#include "reactive/live.h"

PG_FUNCTION_INFO_V1(dllb_live_notify);

/* NOTIFY's limit on a payload: shorter than this (BLCKSZ - NAMEDATALEN - 128) */
#define NOTIFY_PAYLOAD_LIMIT (BLCKSZ - NAMEDATALEN - 128)

typedef struct LiveQuery
{
	char		id[40];
	char		channel[NAMEDATALEN];
	bool		diff;
	char	   *cond;			/* its condition and result over t */
	char	   *proj;
} LiveQuery;

/* the live queries of one role and one set of settings on one table */
typedef struct LiveGroup
{
	Oid			role;
	int			nsettings;
	char	  **names;
	char	  **values;
	int			nq;
	LiveQuery  *q;
	char	   *sql;
	SPIPlanPtr	plan;			/* prepared as role, on first use */
	/* the same over the statement's transition tables (see image_sql) */
	char	   *img_sql[3];
	SPIPlanPtr	img_plan[3];
	/* or the conditions and results compiled (see compile_group) */
	struct LiveExprs *exprs;
	/* after a failure: each live query as a group of its own */
	struct LiveGroup *singles;
	MemoryContext cxt;			/* the table's */
	char	   *rel;			/* the table, qualified */
} LiveGroup;

typedef struct LiveTable
{
	Oid			relid;			/* hash key */
	bool		valid;
	MemoryContext cxt;			/* the groups; NULL when there are none */
	int			ngroups;
	LiveGroup  *groups;
} LiveTable;

static HTAB *live_cache = NULL;

/* groups replaced while a trigger may still use them: freed at transaction end */
typedef struct DeadGroups
{
	MemoryContext cxt;
	int			ngroups;
	LiveGroup  *groups;
} DeadGroups;

static List *dead_groups = NIL;

/* notifications sent by this transaction so far */
static int32 xact_notes = 0;

void
dllb_live_forget(Oid relid)
{
	HASH_SEQ_STATUS seq;
	LiveTable  *t;

	if (live_cache == NULL)
		return;
	hash_seq_init(&seq, live_cache);
	while ((t = hash_seq_search(&seq)) != NULL)
		if (relid == InvalidOid || t->relid == relid)
			t->valid = false;
}

static void
free_plans(LiveGroup *g)
{
	int			i;

	if (g->plan)
		SPI_freeplan(g->plan);
	for (i = 0; i < lengthof(g->img_plan); i++)
		if (g->img_plan[i])
			SPI_freeplan(g->img_plan[i]);
}

void
dllb_live_xact_end(void)
{
	ListCell   *lc;

	xact_notes = 0;
	foreach(lc, dead_groups)
	{
		DeadGroups *d = (DeadGroups *) lfirst(lc);
		int			i;

		for (i = 0; i < d->ngroups; i++)
		{
			LiveGroup  *g = &d->groups[i];
			int			k;

			free_plans(g);
			for (k = 0; g->singles && k < g->nq; k++)
				free_plans(&g->singles[k]);
		}
		MemoryContextDelete(d->cxt);
		pfree(d);
	}
	list_free(dead_groups);
	dead_groups = NIL;
}

/* the evaluation query of group g on table rel (qualified name) */
static char *
group_sql(const char *rel, LiveGroup *g)
{
	StringInfoData sql;
	int			i;

	/*
	 * The conditions are evaluated once per row (the LATERAL subquery,
	 * kept apart by OFFSET 0), and the results of the live queries that
	 * need one.  The query names only the columns the conditions and
	 * results read, so a role that may read only some columns can run it.
	 */
	initStringInfo(&sql);
	appendStringInfoString(&sql, "SELECT t.id::pg_catalog.text, m.v, ARRAY[");
	for (i = 0; i < g->nq; i++)
		appendStringInfo(&sql,
						 "%sCASE WHEN m.v[%d] OR (pg_catalog.cardinality($2) OPERATOR(pg_catalog.>) 0 "
						 "AND ('%d:' OPERATOR(pg_catalog.||) t.id::pg_catalog.text) OPERATOR(pg_catalog.=) ANY ($2)) "
						 "THEN (%s) END",
						 i ? ", " : "", i + 1, i + 1, g->q[i].proj);
	appendStringInfo(&sql, "]::pg_catalog.jsonb[] FROM %s t CROSS JOIN LATERAL (SELECT ARRAY[", rel);
	for (i = 0; i < g->nq; i++)
		appendStringInfo(&sql, "%sCOALESCE((%s), false)", i ? ", " : "", g->q[i].cond);
	appendStringInfoString(&sql, "]::pg_catalog.bool[] OFFSET 0) AS m(v) "
						   "WHERE t.id OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.text[]::dllb.record[])");
	return sql.data;
}

/* the statements image_sql reads the transition tables of */
#define IMG_INSERT 0
#define IMG_DELETE 1
#define IMG_UPDATE 2

/* an UPDATE of more rows than this is planned for its own size */
#define IMG_KEPT_ROWS 64

/*
 * image_sql - group g's query over the statement's transition tables
 * (dllb_new, dllb_old) instead of the table: for a role that may read the
 * whole table and that no row-level security policy restricts, what it
 * sees of a record before and after is exactly the old and new row.  An
 * INSERT or DELETE reads one transition table: (id, v, p); an UPDATE pairs
 * each new row with its old one: (id, v, v before, p, p before), the
 * result before only for DIFF queries (their patch starts there).
 */
static char *
image_sql(LiveGroup *g, int kind)
{
	StringInfoData sql;
	int			i;

	initStringInfo(&sql);
	if (kind != IMG_UPDATE)
	{
		appendStringInfoString(&sql, "SELECT t.id::pg_catalog.text, t.dllb_live_v_, ARRAY[");
		for (i = 0; i < g->nq; i++)
			appendStringInfo(&sql, "%sCASE WHEN t.dllb_live_v_[%d] THEN (%s) END",
							 i ? ", " : "", i + 1, g->q[i].proj);
		appendStringInfoString(&sql, "]::pg_catalog.jsonb[] FROM (SELECT t.*, ARRAY[");
		for (i = 0; i < g->nq; i++)
			appendStringInfo(&sql, "%sCOALESCE((%s), false)", i ? ", " : "", g->q[i].cond);
		appendStringInfo(&sql, "]::pg_catalog.bool[] AS dllb_live_v_ FROM %s t OFFSET 0) t",
						 kind == IMG_INSERT ? "dllb_new" : "dllb_old");
		return sql.data;
	}
	appendStringInfoString(&sql, "SELECT t.id::pg_catalog.text, t.dllb_live_v_, t.dllb_live_ov_, ARRAY[");
	for (i = 0; i < g->nq; i++)
		appendStringInfo(&sql, "%sCASE WHEN t.dllb_live_v_[%d] OR COALESCE(t.dllb_live_ov_[%d], false) "
						 "THEN (%s) END", i ? ", " : "", i + 1, i + 1, g->q[i].proj);
	appendStringInfoString(&sql, "]::pg_catalog.jsonb[], t.dllb_live_op_ FROM (SELECT x.*, o.dllb_live_ov_, "
						   "o.dllb_live_op_ FROM (SELECT t.*, ARRAY[");
	for (i = 0; i < g->nq; i++)
		appendStringInfo(&sql, "%sCOALESCE((%s), false)", i ? ", " : "", g->q[i].cond);
	appendStringInfoString(&sql, "]::pg_catalog.bool[] AS dllb_live_v_ FROM dllb_new t OFFSET 0) x "
						   "LEFT JOIN (SELECT t.id AS dllb_live_id_, ARRAY[");
	for (i = 0; i < g->nq; i++)
		appendStringInfo(&sql, "%sCOALESCE((%s), false)", i ? ", " : "", g->q[i].cond);
	appendStringInfoString(&sql, "]::pg_catalog.bool[] AS dllb_live_ov_, ARRAY[");
	for (i = 0; i < g->nq; i++)
	{
		if (g->q[i].diff)
			appendStringInfo(&sql, "%sCASE WHEN COALESCE((%s), false) THEN (%s) END",
							 i ? ", " : "", g->q[i].cond, g->q[i].proj);
		else
			appendStringInfo(&sql, "%sNULL::pg_catalog.jsonb", i ? ", " : "");
	}
	appendStringInfoString(&sql, "]::pg_catalog.jsonb[] AS dllb_live_op_ FROM dllb_old t OFFSET 0) o "
						   "ON o.dllb_live_id_ OPERATOR(pg_catalog.=) x.id OFFSET 0) t");
	return sql.data;
}

/* parse a settings object ({"name": "value", ...}) into g */
static void
group_settings(LiveGroup *g, const char *json)
{
	Jsonb	   *j = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
	JsonbIterator *it = JsonbIteratorInit(&j->root);
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			n = JB_ROOT_COUNT(j);

	g->names = palloc(sizeof(char *) * Max(n, 1));
	g->values = palloc(sizeof(char *) * Max(n, 1));
	g->nsettings = 0;
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			g->names[g->nsettings] = pnstrdup(v.val.string.val, v.val.string.len);
		else if (tok == WJB_VALUE && v.type == jbvString)
			g->values[g->nsettings++] = pnstrdup(v.val.string.val, v.val.string.len);
	}
}

/*
 * live_table - the live queries of rel, grouped; read from the registry
 * with the latest snapshot (as dllb's owner) after any change to it
 */
static LiveTable *
live_table(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	LiveTable  *t;
	bool		found;
	static SPIPlanPtr plan = NULL;
	Oid			types[1] = {OIDOID};
	Datum		args[1];
	ReactiveAs	as;
	uint64		i;
	uint64		n;
	MemoryContext old;
	char	   *qualified;
	SPITupleTable *tt;

	if (live_cache == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(LiveTable);
		ctl.hcxt = TopMemoryContext;
		live_cache = hash_create("dllb live queries", 16, &ctl,
								 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	t = hash_search(live_cache, &relid, HASH_ENTER, &found);
	if (found && t->valid)
		return t;
	if (found && t->cxt != NULL)
	{
		DeadGroups *d = MemoryContextAlloc(TopMemoryContext, sizeof(DeadGroups));

		d->cxt = t->cxt;
		d->ngroups = t->ngroups;
		d->groups = t->groups;
		old = MemoryContextSwitchTo(TopMemoryContext);
		dead_groups = lappend(dead_groups, d);
		MemoryContextSwitchTo(old);
	}
	t->cxt = NULL;
	t->ngroups = 0;
	t->groups = NULL;
	t->valid = false;

	SPI_connect();
	dllb_reactive_become(&as, dllb_reactive_owner());
	args[0] = ObjectIdGetDatum(relid);
	if (SPI_execute_snapshot(dllb_reactive_plan(&plan,
												"SELECT id::text, role, settings::text, diff, cond_sql, proj_sql "
												"FROM dllb.live_queries WHERE tbl OPERATOR(pg_catalog.=) $1 "
												"ORDER BY role, settings::text, created, id",
												1, types),
							 args, NULL, GetLatestSnapshot(), InvalidSnapshot, true, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading dllb.live_queries failed");
	dllb_reactive_unbecome(&as);
	tt = SPI_tuptable;
	n = SPI_processed;
	if (n > 0)
	{
		qualified = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
											   RelationGetRelationName(rel));
		t->cxt = AllocSetContextCreate(TopMemoryContext, "dllb live queries of a table",
									   ALLOCSET_SMALL_SIZES);
		old = MemoryContextSwitchTo(t->cxt);
		t->groups = palloc0(sizeof(LiveGroup) * n);
		qualified = pstrdup(qualified);
		for (i = 0; i < n; i++)
		{
			HeapTuple	tup = tt->vals[i];
			bool		isnull;
			Oid			role = DatumGetObjectId(SPI_getbinval(tup, tt->tupdesc, 2, &isnull));
			char	   *settings = SPI_getvalue(tup, tt->tupdesc, 3);
			LiveGroup  *g = t->ngroups > 0 ? &t->groups[t->ngroups - 1] : NULL;
			LiveQuery  *q;

			if (g == NULL || g->role != role ||
				strcmp(settings, SPI_getvalue(tt->vals[i - 1], tt->tupdesc, 3)) != 0)
			{
				/* the group before is complete */
				if (g != NULL)
					g->sql = group_sql(qualified, g);
				g = &t->groups[t->ngroups++];
				g->role = role;
				g->cxt = t->cxt;
				g->rel = qualified;
				group_settings(g, settings);
				g->q = palloc0(sizeof(LiveQuery) * n);
			}
			q = &g->q[g->nq++];
			strlcpy(q->id, SPI_getvalue(tup, tt->tupdesc, 1), sizeof(q->id));
			dllb_live_channel(q->id, q->channel);
			q->diff = DatumGetBool(SPI_getbinval(tup, tt->tupdesc, 4, &isnull));
			q->cond = SPI_getvalue(tup, tt->tupdesc, 5);
			q->proj = SPI_getvalue(tup, tt->tupdesc, 6);
		}
		t->groups[t->ngroups - 1].sql = group_sql(qualified, &t->groups[t->ngroups - 1]);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	t->valid = true;
	return t;
}

/* ------------------------------------------------------------------------
 * Evaluation
 * ------------------------------------------------------------------------
 */

/* one changed record as a group sees it: visible (a row), matches, results */
typedef struct LiveRow
{
	char	   *id;
	bool	   *v;				/* per live query of the group */
	Jsonb	  **p;				/* NULL where not computed */
	bool		paired;			/* an after row found this before row */
} LiveRow;

typedef struct LiveRows
{
	int			n;
	LiveRow    *rows;
	LiveRow   **sorted;			/* by id, made when needed (find_row) */
} LiveRows;

/* the ids of a transition table's rows */
static List *
transition_ids(Tuplestorestate *ts, TupleDesc desc)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	int			ptr = tuplestore_alloc_read_pointer(ts, EXEC_FLAG_REWIND);
	List	   *ids = NIL;

	tuplestore_select_read_pointer(ts, ptr);
	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		bool		should_free;
		HeapTuple	tup = ExecFetchSlotHeapTuple(slot, false, &should_free);
		char	   *id = dllb_record_id_text(desc, tup);

		CHECK_FOR_INTERRUPTS();
		if (id)
			ids = lappend(ids, id);
		if (should_free)
			heap_freetuple(tup);
	}
	tuplestore_select_read_pointer(ts, 0);
	ExecDropSingleTupleTableSlot(slot);
	return ids;
}

/*
 * The conditions and results of a group compiled into expressions over the
 * table's row, evaluated on the transition tables' rows without a query
 * (the cheapest way, for the role use_images allows).  Identical
 * conditions or results (many live queries are SELECT *) are evaluated
 * once.
 */
typedef struct LiveExprs
{
	bool		usable;			/* false: a subquery in them; queries instead */
	MemoryContext cxt;
	int			ncond;
	ExprState **cond;
	int		   *cond_of;		/* per live query: its condition */
	int			nproj;
	ExprState **proj;
	int		   *proj_of;
} LiveExprs;

/* index of text in texts[0..*n), added when missing */
static int
distinct_text(char **texts, int *n, const char *text)
{
	int			i;

	for (i = 0; i < *n; i++)
		if (strcmp(texts[i], text) == 0)
			return i;
	texts[*n] = (char *) text;
	return (*n)++;
}

/*
 * compile_group - g's conditions and results as expressions over rel's
 * row (Vars of range table entry 1), compiled as g's role (EXECUTE of the
 * functions they call is checked then)
 */
static LiveExprs *
compile_group(LiveGroup *g, Relation rel)
{
	LiveExprs  *e = MemoryContextAllocZero(g->cxt, sizeof(LiveExprs));
	MemoryContext old;
	char	  **conds;
	char	  **projs;
	StringInfoData sql;
	List	   *raw;
	Query	   *q;
	ListCell   *lc;
	int			i;
	ReactiveAs	as;

	e->cxt = AllocSetContextCreate(g->cxt, "dllb live query expressions", ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(e->cxt);
	conds = palloc(sizeof(char *) * g->nq);
	projs = palloc(sizeof(char *) * g->nq);
	e->cond_of = palloc(sizeof(int) * g->nq);
	e->proj_of = palloc(sizeof(int) * g->nq);
	for (i = 0; i < g->nq; i++)
	{
		e->cond_of[i] = distinct_text(conds, &e->ncond, g->q[i].cond);
		e->proj_of[i] = distinct_text(projs, &e->nproj, g->q[i].proj);
	}
	initStringInfo(&sql);
	appendStringInfoString(&sql, "SELECT ");
	for (i = 0; i < e->ncond; i++)
		appendStringInfo(&sql, "%sCOALESCE((%s), false)", i ? ", " : "", conds[i]);
	for (i = 0; i < e->nproj; i++)
		appendStringInfo(&sql, ", (%s)", projs[i]);
	appendStringInfo(&sql, " FROM %s t", g->rel);

	dllb_reactive_become(&as, g->role);
	raw = raw_parser(sql.data, RAW_PARSE_DEFAULT);
	q = parse_analyze_fixedparams(linitial_node(RawStmt, raw), sql.data, NULL, 0, NULL);
	e->usable = list_length(q->rtable) == 1 && !checkExprHasSubLink((Node *) q->targetList);
	if (e->usable)
	{
		e->cond = palloc(sizeof(ExprState *) * e->ncond);
		e->proj = palloc(sizeof(ExprState *) * e->nproj);
		i = 0;
		foreach(lc, q->targetList)
		{
			Expr	   *expr = ((TargetEntry *) lfirst(lc))->expr;

			fix_opfuncids((Node *) expr);
			if (i < e->ncond)
				e->cond[i] = ExecInitExpr(expr, NULL);
			else
				e->proj[i - e->ncond] = ExecInitExpr(expr, NULL);
			i++;
		}
	}
	dllb_reactive_unbecome(&as);
	MemoryContextSwitchTo(old);
	return e;
}

/* one row of a transition table, as a group's compiled expressions see it */
static void
eval_row(LiveGroup *g, ExprContext *econtext, TupleTableSlot *slot, const char *id,
		 const bool *want_proj, LiveRow *r, MemoryContext cxt)
{
	LiveExprs  *e = g->exprs;
	bool	   *cond = palloc(sizeof(bool) * e->ncond);
	Datum	   *proj = palloc0(sizeof(Datum) * e->nproj);
	bool	   *done = palloc0(sizeof(bool) * e->nproj);
	int			k;

	econtext->ecxt_scantuple = slot;
	for (k = 0; k < e->ncond; k++)
	{
		bool		isnull;
		Datum		d = ExecEvalExprSwitchContext(e->cond[k], econtext, &isnull);

		cond[k] = !isnull && DatumGetBool(d);
	}
	r->id = MemoryContextStrdup(cxt, id);
	r->v = MemoryContextAlloc(cxt, sizeof(bool) * g->nq);
	r->p = MemoryContextAllocZero(cxt, sizeof(Jsonb *) * g->nq);
	for (k = 0; k < g->nq; k++)
	{
		int			j = e->proj_of[k];

		r->v[k] = cond[e->cond_of[k]];
		if (!r->v[k] && !(want_proj && want_proj[k]))
			continue;
		if (!done[j])
		{
			bool		isnull;
			Datum		d = ExecEvalExprSwitchContext(e->proj[j], econtext, &isnull);
			MemoryContext old = MemoryContextSwitchTo(cxt);

			proj[j] = isnull ? (Datum) 0 : PointerGetDatum(DatumGetJsonbPCopy(d));
			MemoryContextSwitchTo(old);
			done[j] = true;
		}
		r->p[k] = (Jsonb *) DatumGetPointer(proj[j]);
	}
	ResetExprContext(econtext);
}

/* the rows of a transition table, each a copy, with their ids */
typedef struct ImageRow
{
	char	   *id;
	MinimalTuple tup;
} ImageRow;

static ImageRow *
image_rows(Tuplestorestate *ts, TupleDesc desc, int *n)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	int			ptr = tuplestore_alloc_read_pointer(ts, EXEC_FLAG_REWIND);
	int			max = 16;
	ImageRow   *rows = palloc(sizeof(ImageRow) * max);

	*n = 0;
	tuplestore_select_read_pointer(ts, ptr);
	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		bool		should_free;
		HeapTuple	tup = ExecFetchSlotHeapTuple(slot, false, &should_free);

		CHECK_FOR_INTERRUPTS();
		if (*n == max)
		{
			max *= 2;
			rows = repalloc(rows, sizeof(ImageRow) * max);
		}
		rows[*n].id = dllb_record_id_text(desc, tup);
		rows[*n].tup = ExecCopySlotMinimalTuple(slot);
		if (should_free)
			heap_freetuple(tup);
		if (rows[*n].id)
			(*n)++;
	}
	tuplestore_select_read_pointer(ts, 0);
	ExecDropSingleTupleTableSlot(slot);
	return rows;
}

/*
 * evaluate_compiled - group g's rows from the statement's transition
 * tables, by its compiled expressions, as its role: the new rows are the
 * records after, the old ones before (an UPDATE pairs them by id; an old
 * row without a new one is a record gone)
 */
static void
evaluate_compiled(LiveGroup *g, TriggerData *td, TupleDesc desc, LiveRows *before,
				  LiveRows *after, MemoryContext cxt)
{
	ExprContext *econtext = CreateStandaloneExprContext();
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	ImageRow   *olds = NULL;
	ImageRow   *news = NULL;
	int			nold = 0;
	int			nnew = 0;
	bool	   *paired;
	bool	   *want;
	Oid			saved_user;
	int			saved_sec;
	int			i;
	int			k;

	if (td->tg_oldtable && !TRIGGER_FIRED_BY_INSERT(td->tg_event))
		olds = image_rows(td->tg_oldtable, desc, &nold);
	if (td->tg_newtable && !TRIGGER_FIRED_BY_DELETE(td->tg_event))
		news = image_rows(td->tg_newtable, desc, &nnew);
	paired = palloc0(sizeof(bool) * Max(nold, 1));
	want = palloc(sizeof(bool) * g->nq);
	before->rows = MemoryContextAllocZero(cxt, sizeof(LiveRow) * Max(nold, 1));
	after->rows = MemoryContextAllocZero(cxt, sizeof(LiveRow) * Max(nnew, 1));
	before->n = after->n = 0;

	GetUserIdAndSecContext(&saved_user, &saved_sec);
	SetUserIdAndSecContext(g->role, saved_sec | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	for (i = 0; i < nnew; i++)
	{
		int			j = -1;
		int			m;

		CHECK_FOR_INTERRUPTS();
		/* the old row of the same id: at the same place, unless ids changed */
		for (m = 0; m < nold && j < 0; m++)
		{
			int			c = (i + m) % nold;

			if (!paired[c] && strcmp(olds[c].id, news[i].id) == 0)
				j = c;
		}
		if (j >= 0)
		{
			LiveRow    *b = &before->rows[before->n++];

			paired[j] = true;
			ExecStoreMinimalTuple(olds[j].tup, slot, false);
			for (k = 0; k < g->nq; k++)
				want[k] = g->q[k].diff;
			eval_row(g, econtext, slot, olds[j].id, want, b, cxt);
			/* a record that matched before needs its result after */
			for (k = 0; k < g->nq; k++)
				want[k] = b->v[k];
		}
		else
			memset(want, 0, sizeof(bool) * g->nq);
		ExecStoreMinimalTuple(news[i].tup, slot, false);
		eval_row(g, econtext, slot, news[i].id, want, &after->rows[after->n++], cxt);
	}
	for (i = 0; i < nold; i++)
	{
		if (paired[i])
			continue;
		ExecStoreMinimalTuple(olds[i].tup, slot, false);
		eval_row(g, econtext, slot, olds[i].id, NULL, &before->rows[before->n++], cxt);
	}
	SetUserIdAndSecContext(saved_user, saved_sec);
	ExecDropSingleTupleTableSlot(slot);
	FreeExprContext(econtext, true);
}

/*
 * exec_as - run a query of group g as its role, with its settings (and
 * row-level security on): the plan in *slot (prepared, generic and kept,
 * the first time; NULL slot: planned for this run only).  read_only: with
 * the statement's own snapshot, which does not see its changes.
 */
static void
exec_as(LiveGroup *g, SPIPlanPtr *slot, const char *sql, int nargs, Oid *types,
		Datum *args, bool read_only)
{
	ReactiveAs	as;
	int			s;
	int			rc;

	dllb_reactive_become(&as, g->role);
	(void) set_config_option("row_security", "on", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	for (s = 0; s < g->nsettings; s++)
		(void) set_config_option(g->names[s], g->values[s], PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	if (slot == NULL)
		rc = SPI_execute_with_args(sql, nargs, types, args, NULL, read_only, 0);
	else
	{
		if (*slot == NULL)
		{
			/* a generic plan: planned once, not at each statement */
			SPIPlanPtr	plan = SPI_prepare_cursor(sql, nargs, types, CURSOR_OPT_GENERIC_PLAN);

			if (plan == NULL)
				elog(ERROR, "preparing a live query failed: %s",
					 SPI_result_code_string(SPI_result));
			if (SPI_keepplan(plan) != 0)
				elog(ERROR, "keeping a live query's plan failed");
			*slot = plan;
		}
		rc = SPI_execute_plan(*slot, args, NULL, read_only, 0);
	}
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "evaluating live queries failed: %s", SPI_result_code_string(rc));
	dllb_reactive_unbecome(&as);
}

/* the bool[] v and jsonb[] p of column vcol and pcol into a row of g */
static void
take_arrays(LiveGroup *g, HeapTuple tup, TupleDesc desc, int vcol, int pcol, LiveRow *r)
{
	bool		isnull;
	Datum	   *vs;
	bool	   *vnulls;
	Datum	   *ps;
	bool	   *pnulls;
	int			nv;
	int			np;
	int			k;

	deconstruct_array(DatumGetArrayTypeP(SPI_getbinval(tup, desc, vcol, &isnull)),
					  BOOLOID, 1, true, TYPALIGN_CHAR, &vs, &vnulls, &nv);
	deconstruct_array(DatumGetArrayTypeP(SPI_getbinval(tup, desc, pcol, &isnull)),
					  JSONBOID, -1, false, TYPALIGN_INT, &ps, &pnulls, &np);
	if (nv != g->nq || np != g->nq)
		elog(ERROR, "live query evaluation returned %d results for %d queries", nv, g->nq);
	r->v = palloc(sizeof(bool) * g->nq);
	r->p = palloc0(sizeof(Jsonb *) * g->nq);
	for (k = 0; k < g->nq; k++)
	{
		r->v[k] = !vnulls[k] && DatumGetBool(vs[k]);
		if (!pnulls[k])
			r->p[k] = DatumGetJsonbPCopy(ps[k]);
	}
}

/*
 * the rows of the last query into cxt: (id, v, p), and for an UPDATE of
 * the transition tables (id, v, v before, p, p before) with the rows
 * before in *before
 */
static LiveRows
take_rows(LiveGroup *g, MemoryContext cxt, LiveRows *before)
{
	LiveRows	res = {0, NULL, NULL};
	TupleDesc	desc = SPI_tuptable->tupdesc;
	bool		update = desc->natts == 5;
	uint64		i;
	MemoryContext old = MemoryContextSwitchTo(cxt);

	res.n = (int) SPI_processed;
	res.rows = palloc0(sizeof(LiveRow) * Max(res.n, 1));
	if (update)
	{
		before->n = 0;
		before->rows = palloc0(sizeof(LiveRow) * Max(res.n, 1));
	}
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		bool		isnull;

		res.rows[i].id = SPI_getvalue(tup, desc, 1);
		take_arrays(g, tup, desc, 2, update ? 4 : 3, &res.rows[i]);
		if (update)
		{
			(void) SPI_getbinval(tup, desc, 3, &isnull);
			if (isnull)
				continue;		/* a new id: no row before */
			before->rows[before->n].id = res.rows[i].id;
			take_arrays(g, tup, desc, 3, 5, &before->rows[before->n]);
			before->n++;
		}
	}
	MemoryContextSwitchTo(old);
	return res;
}

/*
 * run_group - group g's query over the table's records ids (text[]);
 * keys (text[]) are "<query number>:<id>" of those whose result is needed
 * even though the query does not match them (they matched before).
 * before: read with the statement's own snapshot (the records before its
 * changes).  The rows are copied into cxt.
 */
static LiveRows
run_group(LiveGroup *g, Datum ids, Datum keys, bool before, MemoryContext cxt)
{
	Oid			types[2] = {TEXTARRAYOID, TEXTARRAYOID};
	Datum		args[2];

	args[0] = ids;
	args[1] = keys;
	exec_as(g, &g->plan, g->sql, 2, types, args, before);
	return take_rows(g, cxt, NULL);
}

/* group g's query kind (IMG_*) over the transition tables of nrows rows */
static LiveRows
run_image(LiveGroup *g, int kind, int nrows, MemoryContext cxt, LiveRows *before)
{
	if (g->img_sql[kind] == NULL)
		g->img_sql[kind] = MemoryContextStrdup(g->cxt, image_sql(g, kind));
	exec_as(g, kind == IMG_UPDATE && nrows > IMG_KEPT_ROWS ? NULL : &g->img_plan[kind],
			g->img_sql[kind], 0, NULL, NULL, true);
	return take_rows(g, cxt, before);
}

/* ------------------------------------------------------------------------
 * Notifications
 * ------------------------------------------------------------------------
 */

/*
 * the whole payload of one notification; result: the result's JSON text
 * (NULL: none; with fetch > 0, the payload names it instead)
 */
static char *
payload(const LiveQuery *q, const char *action, const char *record, const char *result,
		int32 n, int64 fetch)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"id\": \"%s\", \"action\": \"%s\", \"record\": ", q->id, action);
	escape_json(&buf, record);
	if (fetch > 0)
		appendStringInfo(&buf, ", \"fetch\": " INT64_FORMAT, fetch);
	else
		appendStringInfo(&buf, ", \"result\": %s", result ? result : "null");
	appendStringInfo(&buf, ", \"n\": %d}", n);
	return buf.data;
}

/*
 * The JSON text of the results of one record's notifications: live queries
 * with the same result (many are SELECT *) share one value, converted once
 */
typedef struct ResultText
{
	Jsonb	   *result;
	char	   *text;
} ResultText;

static char *
result_text(ResultText *cache, Jsonb *result)
{
	if (result == NULL)
		return NULL;
	if (cache->result != result)
	{
		cache->result = result;
		cache->text = JsonbToCString(NULL, &result->root, VARSIZE(result));
	}
	return cache->text;
}

/* keep a payload too long for NOTIFY; its key */
static int64
keep_payload(const LiveQuery *q, const char *text)
{
	static SPIPlanPtr plan = NULL;
	Oid			types[2] = {UUIDOID, TEXTOID};
	Datum		args[2];
	ReactiveAs	as;
	bool		isnull;
	int64		key;

	SPI_connect();
	dllb_reactive_become(&as, dllb_reactive_owner());
	args[0] = DirectFunctionCall1(uuid_in, CStringGetDatum(q->id));
	args[1] = CStringGetTextDatum(text);
	if (SPI_execute_plan(dllb_reactive_plan(&plan,
											"INSERT INTO dllb.live_payloads (lq, payload) VALUES ($1, $2::jsonb) RETURNING id",
											2, types),
						 args, NULL, false, 0) != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "keeping a live query's notification failed");
	key = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	dllb_reactive_unbecome(&as);
	SPI_finish();
	return key;
}

/* the JSON Patch from before to after (dllb.json_diff) */
static Jsonb *
diff_of(Jsonb *before, Jsonb *after)
{
	Oid			argtypes[2] = {JSONBOID, JSONBOID};
	Oid			fn = LookupFuncName(list_make2(makeString(DLLB_SCHEMA_NAME), makeString("json_diff")),
									2, argtypes, false);
	Datum		empty = DirectFunctionCall1(jsonb_in, CStringGetDatum("{}"));

	return DatumGetJsonbP(OidFunctionCall2(fn, before ? JsonbPGetDatum(before) : empty,
										   after ? JsonbPGetDatum(after) : empty));
}

static void
notify(const LiveQuery *q, const char *action, const char *record, Jsonb *before, Jsonb *after,
	   ResultText *cache)
{
	char	   *result;
	char	   *text;
	int32		n = ++xact_notes;

	if (q->diff)
	{
		Jsonb	   *d = diff_of(before, after);

		result = JsonbToCString(NULL, &d->root, VARSIZE(d));
	}
	else
		result = result_text(cache, after ? after : before);
	text = payload(q, action, record, result, n, 0);
	if (strlen(text) >= NOTIFY_PAYLOAD_LIMIT)
		text = payload(q, action, record, NULL, n, keep_payload(q, text));
	Async_Notify(q->channel, text);
}

static int
cmp_row_ptr(const void *a, const void *b)
{
	return strcmp((*(LiveRow *const *) a)->id, (*(LiveRow *const *) b)->id);
}

/*
 * the row of id in rows, or NULL: where hint says (the rows of a
 * statement mostly come in the same order), else by binary search in the
 * rows sorted by id (made once)
 */
static LiveRow *
find_row(LiveRows *rows, const char *id, int hint)
{
	LiveRow		key;
	LiveRow    *keyp = &key;
	LiveRow   **hit;
	int			k;

	if (rows->n == 0)
		return NULL;
	if (strcmp(rows->rows[hint % rows->n].id, id) == 0)
		return &rows->rows[hint % rows->n];
	if (rows->n <= 8)
	{
		for (k = 0; k < rows->n; k++)
			if (strcmp(rows->rows[k].id, id) == 0)
				return &rows->rows[k];
		return NULL;
	}
	if (rows->sorted == NULL)
	{
		rows->sorted = palloc(sizeof(LiveRow *) * rows->n);
		for (k = 0; k < rows->n; k++)
			rows->sorted[k] = &rows->rows[k];
		qsort(rows->sorted, rows->n, sizeof(LiveRow *), cmp_row_ptr);
	}
	key.id = (char *) id;
	hit = bsearch(&keyp, rows->sorted, rows->n, sizeof(LiveRow *), cmp_row_ptr);
	return hit ? *hit : NULL;
}

static int
cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* a list of ids, sorted, to look ids up in (has_id) */
typedef struct IdSet
{
	int			n;
	char	  **ids;
} IdSet;

static IdSet *
id_set(List *ids)
{
	IdSet	   *set = palloc(sizeof(IdSet));
	ListCell   *lc;

	set->n = 0;
	set->ids = palloc(sizeof(char *) * Max(list_length(ids), 1));
	foreach(lc, ids)
		set->ids[set->n++] = (char *) lfirst(lc);
	qsort(set->ids, set->n, sizeof(char *), cmp_str_ptr);
	return set;
}

/* whether id is in the set */
static bool
has_id(IdSet *set, const char *id)
{
	return set != NULL && bsearch(&id, set->ids, set->n, sizeof(char *), cmp_str_ptr) != NULL;
}

/* the notifications of group g for one statement's changes */
static void
notify_group(LiveGroup *g, LiveRows *before, LiveRows *after, IdSet *old_ids, bool insert)
{
	int			i;
	int			k;

	for (i = 0; after && i < after->n; i++)
	{
		LiveRow    *a = &after->rows[i];
		LiveRow    *b = before ? find_row(before, a->id, i) : NULL;
		const char *action = insert ? "CREATE" :
			(b || has_id(old_ids, a->id)) ? "UPDATE" : "CREATE";

		ResultText	cache = {NULL, NULL};

		if (b)
			b->paired = true;
		for (k = 0; k < g->nq; k++)
		{
			bool		mb = b && b->v[k];

			if (a->v[k] || mb)
				notify(&g->q[k], action, a->id, mb ? b->p[k] : NULL, a->p[k], &cache);
		}
	}
	/* records that matched before and cannot be seen after: gone */
	for (i = 0; before && i < before->n; i++)
	{
		LiveRow    *b = &before->rows[i];
		ResultText	cache = {NULL, NULL};

		if (b->paired)
			continue;
		for (k = 0; k < g->nq; k++)
			if (b->v[k])
				notify(&g->q[k], "DELETE", b->id, b->p[k], NULL, &cache);
	}
}

/* the row of id in rows, or NULL */
static LiveRow *
row_of(LiveRows *rows, const char *id)
{
	return rows ? find_row(rows, id, 0) : NULL;
}

/* text[] of a list of strings */
static Datum
text_array(List *items)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(list_length(items), 1));
	ListCell   *lc;
	int			n = 0;

	foreach(lc, items)
		d[n++] = CStringGetTextDatum((char *) lfirst(lc));
	return PointerGetDatum(construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * the records of an UPDATE whose state before matters: every one for a
 * DIFF query (the patch starts there), else those that some live query
 * does not match after (did it match before?) or that are not visible
 * after
 */
static List *
before_needed(LiveGroup *g, List *old_ids, LiveRows *after)
{
	List	   *need = NIL;
	ListCell   *lc;
	bool		diff = false;
	int			k;

	for (k = 0; k < g->nq; k++)
		diff |= g->q[k].diff;
	foreach(lc, old_ids)
	{
		char	   *id = (char *) lfirst(lc);
		LiveRow    *a = row_of(after, id);
		bool		needed = diff || a == NULL;

		for (k = 0; k < g->nq && !needed; k++)
			needed = !a->v[k];
		if (needed)
			need = lappend(need, id);
	}
	return need;
}

/*
 * the records that matched before, are visible after but do not match:
 * their results after ("<query number>:<id>" keys), and ids
 */
static Datum
leaving_keys(LiveGroup *g, LiveRows *before, LiveRows *after, List **ids)
{
	List	   *keys = NIL;
	int			i;
	int			k;

	*ids = NIL;
	for (i = 0; before && i < before->n; i++)
	{
		LiveRow    *b = &before->rows[i];
		LiveRow    *a = row_of(after, b->id);
		bool		any = false;

		for (k = 0; a && k < g->nq; k++)
			if (b->v[k] && !a->v[k])
			{
				keys = lappend(keys, psprintf("%d:%s", k + 1, b->id));
				any = true;
			}
		if (any)
			*ids = lappend(*ids, b->id);
	}
	return keys ? text_array(keys) : (Datum) 0;
}

/*
 * whether what role sees of the table's records is exactly its rows: it
 * may read the whole table, and no row-level security policy applies to it
 */
static bool
use_images(Oid relid, Oid role)
{
	return pg_class_aclcheck(relid, role, ACL_SELECT) == ACLCHECK_OK &&
		check_enable_rls(relid, role, true) != RLS_ENABLED;
}

/* the rows of group g from the statement's transition tables (use_images) */
static void
evaluate_images(LiveGroup *g, List *old_ids, List *new_ids, LiveRows *before,
				LiveRows *after, MemoryContext cxt)
{
	List	   *gone = NIL;
	IdSet	   *news;
	ListCell   *lc;

	if (old_ids == NIL)
	{
		*after = run_image(g, IMG_INSERT, list_length(new_ids), cxt, NULL);
		return;
	}
	if (new_ids == NIL)
	{
		*before = run_image(g, IMG_DELETE, list_length(old_ids), cxt, NULL);
		return;
	}
	*after = run_image(g, IMG_UPDATE, list_length(new_ids), cxt, before);
	/* an UPDATE that changed ids: the old ids are records gone */
	news = id_set(new_ids);
	foreach(lc, old_ids)
		if (!has_id(news, (char *) lfirst(lc)))
			gone = lappend(gone, lfirst(lc));
	if (gone != NIL)
	{
		LiveRows	d = run_image(g, IMG_DELETE, list_length(old_ids), cxt, NULL);
		LiveRow    *rows = MemoryContextAllocZero(cxt, sizeof(LiveRow) * (before->n + d.n + 1));
		IdSet	   *gones = id_set(gone);
		int			i;

		memcpy(rows, before->rows, sizeof(LiveRow) * before->n);
		for (i = 0; i < d.n; i++)
			if (has_id(gones, d.rows[i].id))
				rows[before->n++] = d.rows[i];
		before->rows = rows;
		before->sorted = NULL;
	}
}

/*
 * whether group g's rows come from its compiled expressions (no query):
 * the transition tables are what its role sees, and its expressions,
 * compiled (by evaluate_group, the first time), have no subquery
 */
static bool
compiled(LiveGroup *g, Relation rel)
{
	return g->exprs != NULL && g->exprs->usable && use_images(RelationGetRelid(rel), g->role);
}

/*
 * evaluate_group - the rows group g sees of the records before and after
 * the statement, in a subtransaction; false (and a log message) when the
 * evaluation failed.  From the transition tables when they are what the
 * role sees (evaluate_images); else from the table: an INSERT reads the
 * records after, a DELETE before; an UPDATE reads after, then before only
 * what needs it (usually nothing when every live query matches), then the
 * results after of records that left a condition.
 */
static bool
evaluate_group(Relation rel, TriggerData *td, LiveGroup *g, List *old_ids, List *new_ids,
			   LiveRows *before, LiveRows *after)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	volatile bool ok = true;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		Datum		none = PointerGetDatum(construct_empty_array(TEXTOID));

		if (use_images(RelationGetRelid(rel), g->role))
		{
			if (g->exprs == NULL)
				g->exprs = compile_group(g, rel);
			if (g->exprs->usable)
				evaluate_compiled(g, td, RelationGetDescr(rel), before, after, cxt);
			else
				evaluate_images(g, old_ids, new_ids, before, after, cxt);
		}
		else if (new_ids != NIL)
			*after = run_group(g, text_array(new_ids), none, false, cxt);
		if (old_ids != NIL && !use_images(RelationGetRelid(rel), g->role))
		{
			List	   *need = new_ids == NIL ? old_ids : before_needed(g, old_ids, after);

			if (need != NIL)
				*before = run_group(g, text_array(need), none, true, cxt);
		}
		if (new_ids != NIL && old_ids != NIL && !use_images(RelationGetRelid(rel), g->role))
		{
			List	   *ids;
			Datum		keys = leaving_keys(g, before, after, &ids);

			if (keys != (Datum) 0)
			{
				LiveRows	again = run_group(g, text_array(ids), keys, false, cxt);
				int			i;
				int			k;

				for (i = 0; i < again.n; i++)
				{
					LiveRow    *a = row_of(after, again.rows[i].id);

					for (k = 0; a && k < g->nq; k++)
						if (a->p[k] == NULL)
							a->p[k] = again.rows[i].p[k];
				}
			}
		}
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		ereport(LOG,
				(errmsg("live queries of role \"%s\" on table \"%s\" skipped a change: %s",
						GetUserNameFromId(g->role, true), RelationGetRelationName(rel),
						edata->message)));
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/* the live queries of g as groups of one each (in the table's context) */
static LiveGroup *
single_groups(LiveGroup *g)
{
	MemoryContext old = MemoryContextSwitchTo(g->cxt);
	LiveGroup  *singles = palloc0(sizeof(LiveGroup) * g->nq);
	int			k;

	for (k = 0; k < g->nq; k++)
	{
		LiveGroup  *one = &singles[k];

		*one = *g;
		one->nq = 1;
		one->q = &g->q[k];
		one->plan = NULL;
		memset(one->img_sql, 0, sizeof(one->img_sql));
		memset(one->img_plan, 0, sizeof(one->img_plan));
		one->exprs = NULL;
		one->singles = NULL;
		one->sql = group_sql(g->rel, one);
	}
	MemoryContextSwitchTo(old);
	return singles;
}

/*
 * dllb.live_notify() - AFTER INSERT, UPDATE or DELETE FOR EACH STATEMENT,
 * with transition tables: notify the live queries of the table that the
 * statement's changes match
 */
Datum
dllb_live_notify(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	desc;
	LiveTable  *t;
	List	   *old_list = NIL;
	List	   *new_list = NIL;
	IdSet	   *old_set = NULL;
	bool		have_ids = false;
	bool		connected = false;
	bool		insert;
	Oid			relid;
	int			i;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("dllb.live_notify() must be an AFTER ... FOR EACH STATEMENT trigger")));
	rel = td->tg_relation;
	relid = RelationGetRelid(rel);
	desc = RelationGetDescr(rel);
	insert = TRIGGER_FIRED_BY_INSERT(td->tg_event);
	t = live_table(rel);
	for (i = 0; i < t->ngroups; i++)
	{
		LiveGroup  *g = &t->groups[i];
		LiveRows	before = {0, NULL, NULL};
		LiveRows	after = {0, NULL, NULL};

		CHECK_FOR_INTERRUPTS();
		/* a role that may read nothing of the table sees no change */
		if (pg_class_aclcheck(relid, g->role, ACL_SELECT) != ACLCHECK_OK &&
			pg_attribute_aclcheck_all(relid, g->role, ACL_SELECT, ACLMASK_ANY) != ACLCHECK_OK)
			continue;
		/* the ids and queries, unless the compiled expressions do it all */
		if (!have_ids && !compiled(g, rel))
		{
			if (td->tg_oldtable && !insert)
				old_list = transition_ids(td->tg_oldtable, desc);
			if (td->tg_newtable && !TRIGGER_FIRED_BY_DELETE(td->tg_event))
				new_list = transition_ids(td->tg_newtable, desc);
			old_set = old_list ? id_set(old_list) : NULL;
			have_ids = true;
		}
		if (!connected && !compiled(g, rel))
		{
			SPI_connect();
			/* dllb_old and dllb_new, for the queries over the transition tables */
			if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
				elog(ERROR, "registering the transition tables failed");
			connected = true;
		}
		if (evaluate_group(rel, td, g, old_list, new_list, &before, &after))
			notify_group(g, &before, &after, old_set, insert);
		else if (g->nq > 1)
		{
			/* one live query failed: the others, each on its own */
			int			k;

			if (g->singles == NULL)
				g->singles = single_groups(g);
			for (k = 0; k < g->nq; k++)
			{
				LiveRows	b1 = {0, NULL, NULL};
				LiveRows	a1 = {0, NULL, NULL};

				if (evaluate_group(rel, td, &g->singles[k], old_list, new_list, &b1, &a1))
					notify_group(&g->singles[k], &b1, &a1, old_set, insert);
			}
		}
	}
	if (connected)
		SPI_finish();
	return PointerGetDatum(NULL);
}
