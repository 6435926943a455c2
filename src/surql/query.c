/*-------------------------------------------------------------------------
 *
 * query.c
 *	  dllb.query(q, params): run the dialect's statements through SPI.
 *
 * The statements of q run in order in the caller's transaction and as the
 * caller (privileges and row-level security apply); an error in any of
 * them raises, and nothing of the call stays applied unless the caller
 * catches it.  Each result record comes back as one row (stmt, result):
 * the statement's 1-based index and the record as jsonb.  LET binds a
 * $param for the statements after it (a subquery binds the array of its
 * records).  BEGIN ... COMMIT | CANCEL runs its statements in a
 * subtransaction (rows of a cancelled block are dropped); IF evaluates its
 * condition once and runs one branch.  An error raised while a statement
 * is translated or run names the statement and where it starts in q (an
 * error context).
 *
 * IDENTIFICATION
 *	  src/surql/query.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "access/xact.h"
#include "utils/builtins.h"
#include "utils/array.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "common/hashfn.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/resowner.h"
#include "catalog/namespace.h"

#include "model/model.h"
#include "surql/surql.h"
#include "surql/translate.h"

PG_FUNCTION_INFO_V1(dllb_query);
PG_FUNCTION_INFO_V1(dllb_explain);

/*
 * The search path of a call.  Name resolution must not depend on the
 * caller's search_path: a schema on it that another role can write to
 * could otherwise hold an operator or function that a better argument
 * type match makes PostgreSQL prefer to pg_catalog's.  So while a call
 * translates and runs its statements, search_path is pinned to
 * PINNED_SEARCH_PATH (a GUC nest level, as a function's SET clause does;
 * an error restores it with the (sub)transaction), and the SQL the
 * translator writes names every table by its schema.  The schema in which
 * the dialect looks up and creates tables is the caller's current schema
 * when the outermost call began (the model layer keeps it:
 * dllb.dialect_schema()).
 */
#define PINNED_SEARCH_PATH "pg_catalog, pg_temp"

/*
 * The plan cache: translated SQL text -> a kept SPI plan, per backend.
 * Literals and $params are parameters, so a repeated statement translates
 * to the same text and is planned once; PostgreSQL's plan cache replans a
 * kept plan when the tables it uses change.  Past PLAN_CACHE_SIZE entries
 * the cache starts over.
 */
#define PLAN_CACHE_SIZE 512

typedef struct PlanEntry
{
	char		key[NAMEDATALEN];	/* hash key: see text_key */
	char	   *sql;
	int			nparams;
	SPIPlanPtr	plan;
} PlanEntry;

static HTAB *plan_cache = NULL;

/*
 * text_key - a text's hash, with n and its length, as a fixed-size key
 * (collisions are checked on the text itself)
 */
static void
text_key(const char *text, int len, int n, char *key)
{
	memset(key, 0, NAMEDATALEN);
	snprintf(key, NAMEDATALEN, "%08x:%d:%d",
			 (unsigned) hash_bytes((const unsigned char *) text, len), n, len);
}

/* a backend-lifetime hash table keyed by text_key */
static HTAB *
key_table(const char *name, Size entrysize)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = NAMEDATALEN;
	ctl.entrysize = entrysize;
	ctl.hcxt = TopMemoryContext;
	return hash_create(name, 64, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
}

static SPIPlanPtr
cached_plan(SurqlSql *sql)
{
	char		key[NAMEDATALEN];
	PlanEntry  *e;
	bool		found;
	Oid		   *types;
	SPIPlanPtr	plan;
	int			i;

	if (plan_cache == NULL || hash_get_num_entries(plan_cache) >= PLAN_CACHE_SIZE)
	{
		if (plan_cache != NULL)
		{
			HASH_SEQ_STATUS seq;

			hash_seq_init(&seq, plan_cache);
			while ((e = hash_seq_search(&seq)) != NULL)
			{
				SPI_freeplan(e->plan);
				pfree(e->sql);
			}
			hash_destroy(plan_cache);
		}
		plan_cache = key_table("dllb.query plans", sizeof(PlanEntry));
	}
	text_key(sql->sql.data, sql->sql.len, sql->nparams, key);
	e = hash_search(plan_cache, key, HASH_FIND, &found);
	if (found && e->nparams == sql->nparams && strcmp(e->sql, sql->sql.data) == 0)
		return e->plan;

	types = palloc(sizeof(Oid) * Max(sql->nparams, 1));
	for (i = 0; i < sql->nparams; i++)
		types[i] = TEXTOID;
	plan = SPI_prepare(sql->sql.data, sql->nparams, types);
	if (plan == NULL)
		elog(ERROR, "dllb.query: preparing the translated statement failed: %s",
			 SPI_result_code_string(SPI_result));
	if (found)
		return plan;			/* a hash collision: use it once, keep the first */
	if (SPI_keepplan(plan) != 0)
		return plan;
	e = hash_search(plan_cache, key, HASH_ENTER, &found);
	e->sql = MemoryContextStrdup(TopMemoryContext, sql->sql.data);
	e->nparams = sql->nparams;
	e->plan = plan;
	return plan;
}

/*
 * The parse cache: statement text -> its tree, per backend, so a repeated
 * call parses at most twice (the tree is read-only to the translator).  Each tree
 * lives in its own memory context; past PARSE_CACHE_SIZE entries, or for
 * texts longer than PARSE_CACHE_MAX_TEXT, the cache is not used or
 * starts over.  Texts that fail to parse are not kept.
 */
#define PARSE_CACHE_SIZE 256
#define PARSE_CACHE_MAX_TEXT 16384

typedef struct ParseEntry
{
	char		key[NAMEDATALEN];	/* hash key: see text_key */
	char	   *text;
	int			len;
	MemoryContext cxt;
	SurqlParse	res;
} ParseEntry;

static HTAB *parse_cache = NULL;

/* dllb.query calls running in this backend (one can run inside another) */
static int	running_calls = 0;

/*
 * Texts seen once, by key only: a text is kept on its second call, so
 * statements that are never repeated (a literal spliced into each one)
 * cost no cache work beyond a lookup
 */
typedef struct SeenEntry
{
	char		key[NAMEDATALEN];
} SeenEntry;

static HTAB *seen_texts = NULL;

/* whether the text of key was seen before; notes it if not */
static bool
seen_before(const char *key)
{
	bool		found;

	if (seen_texts != NULL && hash_get_num_entries(seen_texts) >= 4 * PARSE_CACHE_SIZE)
	{
		hash_destroy(seen_texts);
		seen_texts = NULL;
	}
	if (seen_texts == NULL)
		seen_texts = key_table("dllb.query texts seen", sizeof(SeenEntry));
	hash_search(seen_texts, key, HASH_ENTER, &found);
	return found;
}

static void
forget_parses(void)
{
	HASH_SEQ_STATUS seq;
	ParseEntry *e;

	hash_seq_init(&seq, parse_cache);
	while ((e = hash_seq_search(&seq)) != NULL)
		MemoryContextDelete(e->cxt);
	hash_destroy(parse_cache);
	parse_cache = NULL;
}

/*
 * cached_parse - the tree of in[0..len); *cached tells whether it is the
 * cache's (not to be freed); a syntax error raises
 */
static void
cached_parse(const char *in, int len, SurqlParse *res, bool *cached)
{
	char		key[NAMEDATALEN];
	ParseEntry *e;
	bool		found;
	MemoryContext cxt;
	MemoryContext old;

	*cached = false;
	if (len > PARSE_CACHE_MAX_TEXT)
	{
		dllb_surql_parse_or_error(in, len, res);
		return;
	}
	if (parse_cache != NULL && hash_get_num_entries(parse_cache) >= PARSE_CACHE_SIZE)
	{
		/* full: start over, unless a call running now uses a kept tree */
		if (running_calls > 0)
		{
			dllb_surql_parse_or_error(in, len, res);
			return;
		}
		forget_parses();
	}
	if (parse_cache == NULL)
		parse_cache = key_table("dllb.query parses", sizeof(ParseEntry));
	text_key(in, len, 0, key);
	e = hash_search(parse_cache, key, HASH_FIND, &found);
	if (found && e->len == len && memcmp(e->text, in, len) == 0)
	{
		*res = e->res;
		*cached = true;
		return;
	}
	if (found || !seen_before(key))
	{
		/* a hash collision, or the first call of this text: not kept */
		dllb_surql_parse_or_error(in, len, res);
		return;
	}
	cxt = AllocSetContextCreate(TopMemoryContext, "dllb.query parse", ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(cxt);
	dllb_surql_parse(in, len, res);
	MemoryContextSwitchTo(old);
	if (res->failed)
	{
		/* report it from a parse of its own */
		MemoryContextDelete(cxt);
		dllb_surql_parse_or_error(in, len, res);
		return;
	}
	e = hash_search(parse_cache, key, HASH_ENTER, &found);
	e->text = MemoryContextAlloc(cxt, len);
	memcpy(e->text, in, len);
	e->len = len;
	e->cxt = cxt;
	e->res = *res;
	*cached = true;
}

/*
 * field_constraint - the length of the field name when constraint name is
 * "<field><suffix>" (the check constraints DEFINE FIELD makes), else -1
 */
static int
field_constraint(const char *constraint_name, const char *suffix)
{
	size_t		len = constraint_name ? strlen(constraint_name) : 0;
	size_t		slen = strlen(suffix);

	if (len <= slen || strcmp(constraint_name + len - slen, suffix) != 0)
		return -1;
	return (int) (len - slen);
}

/*
 * execute_plan - SPI_execute_plan of the statement's plan; a failed ASSERT
 * or TYPE of DEFINE FIELD (a check constraint named "<field> ASSERT" or
 * "<field> TYPE": TYPE object, array, a.b TYPE ...) is raised again naming
 * the field
 */
static int
execute_plan(SurqlSql *sql, Datum *values)
{
	MemoryContext cxt = CurrentMemoryContext;
	int			rc = 0;

	PG_TRY();
	{
		rc = SPI_execute_plan(cached_plan(sql), values, NULL, false, 0);
	}
	PG_CATCH();
	{
		ErrorData  *edata;
		int			type_len = -1;
		int			assert_len = -1;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode == ERRCODE_CHECK_VIOLATION)
		{
			type_len = field_constraint(edata->constraint_name, " TYPE");
			assert_len = field_constraint(edata->constraint_name, " ASSERT");
		}
		if (type_len < 0 && assert_len < 0)
		{
			FreeErrorData(edata);
			PG_RE_THROW();
		}
		FlushErrorState();
		ereport(ERROR,
				(errcode(type_len >= 0 ? ERRCODE_DATATYPE_MISMATCH : ERRCODE_CHECK_VIOLATION),
				 type_len >= 0 ?
				 errmsg("field \"%.*s\" of table \"%s\" does not hold a value of its TYPE",
						type_len, edata->constraint_name,
						edata->table_name ? edata->table_name : "?") :
				 errmsg("field \"%.*s\" of table \"%s\" fails its ASSERT",
						assert_len, edata->constraint_name,
						edata->table_name ? edata->table_name : "?"),
				 errdetail("%s", edata->message),
				 err_generic_string(PG_DIAG_SCHEMA_NAME, edata->schema_name),
				 err_generic_string(PG_DIAG_TABLE_NAME, edata->table_name),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, edata->constraint_name)));
	}
	PG_END_TRY();
	return rc;
}

/* run translated SQL; its rows' first column, one call of emit each */
static void
run_sql(SurqlSql *sql, void (*emit) (Datum value, bool isnull, void *arg), void *arg)
{
	Datum	   *values = palloc(sizeof(Datum) * Max(sql->nparams, 1));
	int			rc;
	uint64		i;

	for (i = 0; i < (uint64) sql->nparams; i++)
		values[i] = CStringGetTextDatum(sql->params[i]);
	rc = execute_plan(sql, values);
	if (rc < 0)
		elog(ERROR, "dllb.query: running the translated statement failed: %s",
			 SPI_result_code_string(rc));
	if (emit == NULL || SPI_tuptable == NULL)
		return;
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		v = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);

		emit(v, isnull, arg);
	}
}

/*
 * The state of one dllb.query or dllb.explain call.  Inside BEGIN ...
 * COMMIT the rows are held back (copied into fn_cxt) until COMMIT hands
 * them over; CANCEL drops them.
 */
typedef struct Runner
{
	ReturnSetInfo *rsinfo;
	bool		explain;
	MemoryContext fn_cxt;
	Jsonb	   *params;
	bool		in_block;		/* inside BEGIN: a subtransaction is open */
	List	   *held;			/* HeldRow, the rows of the block so far */
	Jsonb	   *block_params;	/* params at BEGIN, back in force at CANCEL */
	MemoryContext block_cxt;	/* memory context and resource owner at BEGIN */
	ResourceOwner block_owner;
	int			depth;			/* inside how many IF, FOR and blocks */
	bool		returned;		/* a RETURN inside them ran: the rest is skipped */
	bool		ret_emit;		/* whether the outermost of them emits rows */
	int			ret_index;		/* and with which index */
	int			loops;			/* inside how many FOR */
	int			jump;			/* 1: a BREAK ran, 2: a CONTINUE ran (rest skipped) */
	bool		ret_seen;		/* a RETURN inside IF, FOR or a block ran (a
								 * function's body reads and clears it) */
} Runner;

typedef struct HeldRow
{
	int			stmt;
	Datum		value;
	bool		isnull;
} HeldRow;

typedef struct Emitter
{
	Runner	   *r;
	int			stmt;
} Emitter;

static void
put_row(ReturnSetInfo *rsinfo, int stmt, Datum value, bool isnull)
{
	Datum		values[2];
	bool		nulls[2] = {false, isnull};

	values[0] = Int32GetDatum(stmt);
	values[1] = value;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

static void
emit_row(Datum value, bool isnull, void *arg)
{
	Emitter    *e = (Emitter *) arg;
	MemoryContext old;
	HeldRow    *h;

	if (!e->r->in_block)
	{
		put_row(e->r->rsinfo, e->stmt, value, isnull);
		return;
	}
	old = MemoryContextSwitchTo(e->r->fn_cxt);
	h = palloc(sizeof(HeldRow));
	h->stmt = e->stmt;
	h->isnull = isnull;
	h->value = isnull ? (Datum) 0 : datumCopy(value, false, -1);
	e->r->held = lappend(e->r->held, h);
	MemoryContextSwitchTo(old);
}

typedef struct Capture
{
	MemoryContext cxt;
	Datum		value;
	bool		isnull;
	bool		seen;
} Capture;

static void
capture_value(Datum value, bool isnull, void *arg)
{
	Capture    *c = (Capture *) arg;
	MemoryContext old = MemoryContextSwitchTo(c->cxt);

	c->isnull = isnull;
	c->value = isnull ? (Datum) 0 : datumCopy(value, false, -1);
	c->seen = true;
	MemoryContextSwitchTo(old);
}

/* LET $name = value: params || {name: value}, in cxt */
static Jsonb *
bind_param(Jsonb *params, const char *name, Datum value, bool isnull, MemoryContext cxt)
{
	Capture		c = {cxt, 0, false, false};
	Oid			types[3] = {JSONBOID, TEXTOID, JSONBOID};
	Datum		args[3];
	char		nulls[3] = {' ', ' ', isnull ? 'n' : ' '};

	args[0] = JsonbPGetDatum(params);
	args[1] = CStringGetTextDatum(name);
	args[2] = value;
	if (SPI_execute_with_args("SELECT $1 || jsonb_build_object($2, coalesce($3, 'null'::jsonb))",
							  3, types, args, nulls, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "dllb.query: binding $%s failed", name);
	capture_value(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &c.isnull),
				  false, &c);
	return DatumGetJsonbP(c.value);
}

static void
run_statement(SurqlSql *sql, Runner *r, int index, bool emit)
{
	if (sql->discard || !emit)
		run_sql(sql, NULL, NULL);
	else
	{
		Emitter		e = {r, index};

		run_sql(sql, emit_row, &e);
	}
}

/*
 * explain_statement - the SQL a statement became, its plan, and whether
 * an index serves it: one row (stmt, sql, plan, uses_index).
 */
static void
explain_statement(SurqlSql *sql, ReturnSetInfo *rsinfo, int index)
{
	Oid		   *types = palloc(sizeof(Oid) * Max(sql->nparams, 1));
	Datum	   *args = palloc(sizeof(Datum) * Max(sql->nparams, 1));
	StringInfoData plan;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	uint64		i;

	for (i = 0; i < (uint64) sql->nparams; i++)
	{
		types[i] = TEXTOID;
		args[i] = CStringGetTextDatum(sql->params[i]);
	}
	if (sql->utility)
	{
		/* DDL (REMOVE TABLE): shown, not run, no plan */
		values[0] = Int32GetDatum(index);
		values[1] = CStringGetTextDatum(sql->sql.data);
		nulls[2] = true;
		values[3] = BoolGetDatum(false);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		return;
	}
	if (SPI_execute_with_args(psprintf("EXPLAIN (COSTS OFF) %s", sql->sql.data), sql->nparams,
							  types, args, NULL, false, 0) < 0)
		elog(ERROR, "dllb.explain: EXPLAIN failed");
	initStringInfo(&plan);
	for (i = 0; i < SPI_processed; i++)
	{
		if (i > 0)
			appendStringInfoChar(&plan, '\n');
		appendStringInfoString(&plan, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
	}
	values[0] = Int32GetDatum(index);
	values[1] = CStringGetTextDatum(sql->sql.data);
	values[2] = CStringGetTextDatum(plan.data);
	values[3] = BoolGetDatum(strstr(plan.data, "Index Scan") != NULL ||
							 strstr(plan.data, "Index Only Scan") != NULL);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/* where a statement starts, for the error context of what it runs */
typedef struct StmtPosition
{
	const char *in;
	int			len;
	int			index;			/* 1-based */
	int			offset;
} StmtPosition;

/*
 * statement_context - "dialect statement N at line L, column C" under any
 * error raised while statement N is translated or run (columns count
 * characters, not bytes)
 */
static void
statement_context(void *arg)
{
	StmtPosition *pos = (StmtPosition *) arg;
	int			line = 1;
	int			col = 1;
	int			i;

	for (i = 0; i < pos->offset && i < pos->len; i++)
	{
		if (pos->in[i] == '\n')
		{
			line++;
			col = 1;
		}
		else if ((pos->in[i] & 0xC0) != 0x80)
			col++;
	}
	errcontext("dialect statement %d at line %d, column %d", pos->index, line, col);
}

static void run_one(Runner *r, SurqlStmt *s, int index, bool emit);

/*
 * defined_params - the params of DEFINE PARAM in the dialect's schema,
 * with params over them (a param bound by the call or a LET hides a
 * defined one); in cxt
 */
static Jsonb *
defined_params(Jsonb *params, MemoryContext cxt)
{
	Capture		c = {cxt, 0, false, false};
	Oid			types[2] = {JSONBOID, OIDOID};
	Datum		args[2];
	Oid			nsp = dllb_dialect_namespace();

	if (!OidIsValid(nsp))
		return params;
	args[0] = JsonbPGetDatum(params);
	args[1] = ObjectIdGetDatum(nsp);
	if (SPI_execute_with_args("SELECT coalesce((SELECT jsonb_object_agg(d.name, coalesce(d.value, 'null'::jsonb)) "
							  "FROM dllb.db_definitions d WHERE d.nsp = $2::regnamespace "
							  "AND d.kind = 'param'), '{}'::jsonb) || $1",
							  2, types, args, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "dllb.query: reading the defined params failed");
	capture_value(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &c.isnull),
				  false, &c);
	return DatumGetJsonbP(c.value);
}

/*
 * rebind_defined_param - params with $name as DEFINE PARAM now has it
 * (without it once it is removed)
 */
static Jsonb *
rebind_defined_param(Jsonb *params, const char *name, MemoryContext cxt)
{
	Capture		c = {cxt, 0, false, false};
	Oid			types[3] = {JSONBOID, OIDOID, TEXTOID};
	Datum		args[3];

	args[0] = JsonbPGetDatum(params);
	args[1] = ObjectIdGetDatum(dllb_dialect_namespace());
	args[2] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT CASE WHEN d.name IS NULL THEN $1 - $3 "
							  "ELSE $1 || jsonb_build_object($3, coalesce(d.value, 'null'::jsonb)) END "
							  "FROM (SELECT 1) AS one LEFT JOIN dllb.db_definitions d "
							  "ON d.nsp = $2::regnamespace AND d.kind = 'param' AND d.name = $3",
							  3, types, args, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "dllb.query: reading a defined param failed");
	capture_value(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &c.isnull),
				  false, &c);
	return DatumGetJsonbP(c.value);
}

/*
 * run_if - IF: the condition, evaluated once, then the statements of the
 * branch it picks, in order.  The IF's rows are those of the branch's last
 * statement, tagged with the IF's index (or those of a RETURN inside, which
 * ends it); a LET inside a branch binds only for the rest of that branch.
 */
static void
run_if(Runner *r, SurqlStmt *s, int index, bool emit)
{
	SurqlSql	sql;
	Capture		c = {CurrentMemoryContext, 0, false, false};
	bool		holds;
	SurqlStmt **stmts;
	int			n;
	int			i;
	Jsonb	   *saved = r->params;

	sql.explain = r->explain;
	dllb_surql_translate_condition(s->where, r->params, &sql);
	run_sql(&sql, capture_value, &c);
	holds = c.seen && !c.isnull &&
		DatumGetBool(DirectFunctionCall1(jsonb_bool, c.value));
	stmts = holds ? s->body : s->else_body;
	n = holds ? s->nbody : s->nelse;
	for (i = 0; i < n && !r->returned && !r->jump; i++)
	{
		CHECK_FOR_INTERRUPTS();
		run_one(r, stmts[i], index, emit && (r->explain || i == n - 1));
	}
	r->params = saved;
}

/* the jsonb value of expression e, evaluated outside any table */
static Jsonb *
expr_value(Runner *r, SurqlNode *e, bool *isnull)
{
	SurqlStmt	ret;
	SurqlSql	sql;
	Capture		c = {CurrentMemoryContext, 0, false, false};

	memset(&ret, 0, sizeof(ret));
	ret.kind = SS_RETURN;
	ret.expr = e;
	ret.offset = e->offset;
	sql.explain = r->explain;
	dllb_surql_translate(&ret, r->params, &sql);
	run_sql(&sql, capture_value, &c);
	*isnull = !c.seen || c.isnull;
	return *isnull ? NULL : DatumGetJsonbP(c.value);
}

/*
 * run_for - FOR $x IN e { ... }: the statements of the body run once for
 * each element of the array e (or each integer of the range a..b, b left
 * out unless ..=), in order, with $x bound to it; a LET inside binds for
 * the rest of that pass.  A FOR returns no rows, unless a RETURN inside
 * runs: its value, and the loop ends.
 */
static void
run_for(Runner *r, SurqlStmt *s)
{
	Jsonb	   *saved = r->params;
	Jsonb	   *items;
	bool		isnull;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			i;

	items = expr_value(r, s->expr, &isnull);
	if (s->where)
	{
		/* a..b: the integers from a up to b */
		bool		endnull;
		Jsonb	   *end = expr_value(r, s->where, &endnull);
		Oid			types[2] = {JSONBOID, JSONBOID};
		Datum		args[2];
		Capture		c = {CurrentMemoryContext, 0, false, false};

		if (isnull || endnull || !JB_ROOT_IS_SCALAR(items) || !JB_ROOT_IS_SCALAR(end))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("a FOR range needs two integers")));
		args[0] = JsonbPGetDatum(items);
		args[1] = JsonbPGetDatum(end);
		if (SPI_execute_with_args(psprintf("SELECT coalesce(jsonb_agg(g), '[]'::jsonb) FROM "
										   "generate_series(($1 #>> '{}')::numeric::bigint, "
										   "($2 #>> '{}')::numeric::bigint%s) AS g",
										   s->value ? "" : " - 1"),
								  2, types, args, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "dllb.query: a FOR range failed");
		capture_value(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &c.isnull),
					  false, &c);
		items = DatumGetJsonbP(c.value);
	}
	else if (isnull)
		return;
	if (!JB_ROOT_IS_ARRAY(items) || JB_ROOT_IS_SCALAR(items))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("FOR iterates over an array or a range")));
	it = JsonbIteratorInit(&items->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		Jsonb	   *elem;

		if (tok != WJB_ELEM)
			continue;
		CHECK_FOR_INTERRUPTS();
		elem = JsonbValueToJsonb(&v);
		r->params = bind_param(saved, s->name, JsonbPGetDatum(elem), false, r->fn_cxt);
		r->loops++;
		for (i = 0; i < s->nbody && !r->returned && !r->jump; i++)
			run_one(r, s->body[i], 0, false);
		r->loops--;
		if (r->jump == 2)
			r->jump = 0;		/* CONTINUE: the next pass */
		else if (r->jump == 1)
		{
			r->jump = 0;		/* BREAK: the loop ends */
			break;
		}
		if (r->returned)
			break;
	}
	r->params = saved;
}

/* run_one - one statement (not BEGIN, COMMIT or CANCEL), its rows tagged index */
static void
run_one(Runner *r, SurqlStmt *s, int index, bool emit)
{
	SurqlSql	sql;

	sql.explain = r->explain;
	if (s->kind == SS_IF || s->kind == SS_FOR)
	{
		/*
		 * a RETURN inside (at any depth) gives the value of the outermost
		 * IF, FOR or block, and ends it
		 */
		if (r->depth == 0)
		{
			r->ret_emit = emit;
			r->ret_index = index;
		}
		r->depth++;
		if (s->kind == SS_IF)
			run_if(r, s, index, emit);
		else
			run_for(r, s);
		r->depth--;
		if (r->depth == 0)
			r->returned = false;
		return;
	}
	if (s->kind == SS_BREAK || s->kind == SS_CONTINUE)
	{
		if (r->loops == 0)
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("%s outside a FOR loop", s->kind == SS_BREAK ? "BREAK" : "CONTINUE")));
		r->jump = s->kind == SS_BREAK ? 1 : 2;
		return;
	}
	if (s->kind == SS_RETURN && r->depth > 0)
	{
		/* rows of the outermost IF, FOR or block, whose rest is skipped */
		emit = r->ret_emit || r->explain;
		index = r->ret_index;
		r->returned = true;
		r->ret_seen = true;
	}
	if (s->kind == SS_BEGIN || s->kind == SS_COMMIT || s->kind == SS_CANCEL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("BEGIN, COMMIT and CANCEL inside IF, FOR or a block are not supported by dllb.query"),
				 errhint("Put the whole IF inside BEGIN ... COMMIT.")));
	if (s->kind == SS_LET)
	{
		Capture		c = {r->fn_cxt, 0, false, false};

		if (s->expr->kind == SN_SUBQUERY)
		{
			SurqlSql	inner;

			inner.explain = r->explain;
			dllb_surql_translate(s->expr->stmt, r->params, &inner);
			memset(&sql, 0, sizeof(sql));
			initStringInfo(&sql.sql);
			if ((inner.no_rows || (r->explain && s->expr->stmt->kind != SS_SELECT)) &&
				s->expr->stmt->only)
				appendStringInfoString(&sql.sql, "SELECT NULL::jsonb");
			else if (inner.no_rows || (r->explain && s->expr->stmt->kind != SS_SELECT))
				appendStringInfoString(&sql.sql, "SELECT '[]'::jsonb");
			else if (s->expr->stmt->only)
			{
				/* LET $x = CREATE ONLY ...: the one record (NONE without one) */
				appendStringInfo(&sql.sql,
								 "WITH x(r) AS (%s) SELECT CASE WHEN count(*) > 1 THEN "
								 "dllb.surql_throw(to_jsonb('ONLY expected one result, the statement gave '"
								 " || count(*))) ELSE (array_agg(r))[1] END FROM x",
								 inner.sql.data);
			}
			else
				appendStringInfo(&sql.sql,
								 "WITH x(r) AS (%s) SELECT coalesce(jsonb_agg(r), '[]'::jsonb) FROM x",
								 inner.sql.data);
			memcpy(sql.params, inner.params, sizeof(char *) * inner.nparams);
			sql.nparams = inner.nparams;
		}
		else
			dllb_surql_translate(s, r->params, &sql);
		run_sql(&sql, capture_value, &c);
		r->params = bind_param(r->params, s->name, c.value, c.isnull || !c.seen, r->fn_cxt);
		return;
	}
	dllb_surql_translate(s, r->params, &sql);
	if (sql.no_rows)
		return;
	if ((s->kind == SS_DEFINE_PARAM || s->kind == SS_REMOVE_PARAM) && !r->explain)
	{
		/* the statements after it read the param as it now is */
		run_statement(&sql, r, index, emit);
		r->params = rebind_defined_param(r->params, s->name, r->fn_cxt);
		return;
	}
	if (sql.ef_search > 0 || sql.bm25_analyzer || sql.ranked_scan || sql.knn_scan)
	{
		/*
		 * <|k,ef|>: this statement's ef_search; a full-text match: its
		 * index's analyzer for matches outside the index; the caller's
		 * settings after
		 */
		char	   *saved_ef = pstrdup(GetConfigOption("dllb.hnsw_ef_search", false, false));
		char	   *saved_an = pstrdup(GetConfigOption("dllb.bm25_default_analyzer", false, false));
		char	   *saved_seq = pstrdup(GetConfigOption("enable_seqscan", false, false));
		char	   *saved_bmp = pstrdup(GetConfigOption("enable_bitmapscan", false, false));
		char	   *saved_sort = pstrdup(GetConfigOption("enable_sort", false, false));

		if (sql.ef_search > 0)
			SetConfigOption("dllb.hnsw_ef_search", psprintf("%d", sql.ef_search),
							PGC_USERSET, PGC_S_SESSION);
		if (sql.bm25_analyzer)
			SetConfigOption("dllb.bm25_default_analyzer", sql.bm25_analyzer,
							PGC_USERSET, PGC_S_SESSION);
		if (sql.knn_scan)
		{
			/*
			 * <|k|> on an HNSW-indexed field is the index's filtered
			 * search, as documented, whatever the planner estimates of the
			 * filter: no sequential scan and sort of the table instead
			 */
			SetConfigOption("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION);
			SetConfigOption("enable_sort", "off", PGC_USERSET, PGC_S_SESSION);
		}
		if (sql.ranked_scan)
		{
			/* ranking by BM25 is the dllb_bm25 index's ordered scan */
			SetConfigOption("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION);
			SetConfigOption("enable_bitmapscan", "off", PGC_USERSET, PGC_S_SESSION);
		}
		PG_TRY();
		{
			if (r->explain)
				explain_statement(&sql, r->rsinfo, index);
			else
				run_statement(&sql, r, index, emit);
		}
		PG_FINALLY();
		{
			SetConfigOption("dllb.hnsw_ef_search", saved_ef, PGC_USERSET, PGC_S_SESSION);
			SetConfigOption("dllb.bm25_default_analyzer", saved_an, PGC_USERSET, PGC_S_SESSION);
			SetConfigOption("enable_seqscan", saved_seq, PGC_USERSET, PGC_S_SESSION);
			SetConfigOption("enable_bitmapscan", saved_bmp, PGC_USERSET, PGC_S_SESSION);
			SetConfigOption("enable_sort", saved_sort, PGC_USERSET, PGC_S_SESSION);
		}
		PG_END_TRY();
	}
	else if (r->explain)
	{
		if (emit)
			explain_statement(&sql, r->rsinfo, index);
	}
	else
		run_statement(&sql, r, index, emit);
}

/*
 * check_blocks - BEGIN ... COMMIT | CANCEL pair up and do not nest;
 * checked before anything runs
 */
static void
check_blocks(SurqlParse *res, StmtPosition *pos)
{
	int			open = 0;
	int			i;

	for (i = 0; i < res->nstmts; i++)
	{
		SurqlStmtKind k = res->stmts[i]->kind;

		pos->index = i + 1;
		pos->offset = res->stmts[i]->offset;
		if (k == SS_BEGIN && open)
			ereport(ERROR,
					(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
					 errmsg("BEGIN inside a transaction block"),
					 errdetail("Transaction blocks of dllb.query do not nest.")));
		if ((k == SS_COMMIT || k == SS_CANCEL) && !open)
			ereport(ERROR,
					(errcode(ERRCODE_NO_ACTIVE_SQL_TRANSACTION),
					 errmsg("%s without BEGIN", k == SS_COMMIT ? "COMMIT" : "CANCEL")));
		if (k == SS_BEGIN)
			open = i + 1;
		else if (k == SS_COMMIT || k == SS_CANCEL)
			open = 0;
	}
	if (open)
	{
		pos->index = open;
		pos->offset = res->stmts[open - 1]->offset;
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TRANSACTION_STATE),
				 errmsg("BEGIN without COMMIT or CANCEL"),
				 errhint("End the transaction block with COMMIT or CANCEL in the same call.")));
	}
}

/* BEGIN: a subtransaction, as PL/pgSQL opens one for a block with EXCEPTION */
static void
begin_block(Runner *r)
{
	r->block_cxt = CurrentMemoryContext;
	r->block_owner = CurrentResourceOwner;
	r->block_params = r->params;
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(r->block_cxt);
	r->in_block = true;
	r->held = NIL;
}

/* COMMIT (keep the block's work and hand over its rows) or CANCEL (undo both) */
static void
end_block(Runner *r, bool commit)
{
	ListCell   *lc;

	if (commit)
		ReleaseCurrentSubTransaction();
	else
	{
		RollbackAndReleaseCurrentSubTransaction();
		r->params = r->block_params;
	}
	MemoryContextSwitchTo(r->block_cxt);
	CurrentResourceOwner = r->block_owner;
	r->in_block = false;
	if (commit)
		foreach(lc, r->held)
		{
			HeldRow    *h = (HeldRow *) lfirst(lc);

			put_row(r->rsinfo, h->stmt, h->value, h->isnull);
		}
	r->held = NIL;
}

/*
 * run_all - the statements of q, run (dllb.query) or explained
 * (dllb.explain).  LET runs in both, so later statements see its value;
 * dllb.explain opens no transaction blocks.  An error inside BEGIN ...
 * COMMIT rolls the subtransaction back and raises: the caller's
 * transaction then undoes the rest of the call.
 */
static Datum
run_all(FunctionCallInfo fcinfo, bool explain)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *q;
	Jsonb	   *params;
	SurqlParse	res;
	bool		cached;
	int			i;
	StmtPosition pos;
	ErrorContextCallback errcb;
	Runner		r;
	DllbSchemaFrame frame;
	int			guc_level;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	q = PG_GETARG_TEXT_PP(0);
	params = PG_NARGS() < 2 || PG_ARGISNULL(1) ?
		DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}"))) :
		PG_GETARG_JSONB_P(1);
	if (!JB_ROOT_IS_OBJECT(params))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("params of dllb.query must be a JSON object")));
	memset(&r, 0, sizeof(r));
	r.rsinfo = rsinfo;
	r.explain = explain;
	r.fn_cxt = CurrentMemoryContext;
	r.params = params;

	cached_parse(VARDATA_ANY(q), VARSIZE_ANY_EXHDR(q), &res, &cached);
	SPI_connect();
	pos.in = VARDATA_ANY(q);
	pos.len = VARSIZE_ANY_EXHDR(q);
	errcb.callback = statement_context;
	errcb.arg = &pos;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	check_blocks(&res, &pos);

	/* the caller's schema, then the pinned search path */
	dllb_dialect_schema_push(&frame);
	guc_level = NewGUCNestLevel();
	(void) set_config_option("search_path", PINNED_SEARCH_PATH,
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);

	running_calls++;
	PG_TRY();
	{
		/* DEFINE PARAM's params, when the text may read one */
		if (memchr(VARDATA_ANY(q), '$', VARSIZE_ANY_EXHDR(q)) != NULL)
			r.params = defined_params(r.params, r.fn_cxt);
		for (i = 0; i < res.nstmts; i++)
		{
			SurqlStmt  *s = res.stmts[i];

			CHECK_FOR_INTERRUPTS();
			pos.index = i + 1;
			pos.offset = s->offset;
			if (s->kind == SS_BEGIN || s->kind == SS_COMMIT || s->kind == SS_CANCEL)
			{
				if (explain)
					continue;
				if (s->kind == SS_BEGIN)
					begin_block(&r);
				else
					end_block(&r, s->kind == SS_COMMIT);
				continue;
			}
			run_one(&r, s, i + 1, true);
		}
	}
	PG_CATCH();
	{
		running_calls--;
		dllb_dialect_schema_pop(&frame);
		/* search_path comes back with the (sub)transaction's abort */
		if (r.in_block)
		{
			ErrorData  *edata;

			/* undo the block, as PL/pgSQL does on an error in a block */
			MemoryContextSwitchTo(r.block_cxt);
			edata = CopyErrorData();
			FlushErrorState();
			RollbackAndReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(r.block_cxt);
			CurrentResourceOwner = r.block_owner;
			r.in_block = false;
			ReThrowError(edata);
		}
		PG_RE_THROW();
	}
	PG_END_TRY();
	running_calls--;
	AtEOXact_GUC(true, guc_level);
	dllb_dialect_schema_pop(&frame);
	error_context_stack = errcb.previous;
	SPI_finish();
	if (!cached)
		dllb_surql_parse_free(&res);
	return (Datum) 0;
}

Datum
dllb_query(PG_FUNCTION_ARGS)
{
	return run_all(fcinfo, false);
}

Datum
dllb_explain(PG_FUNCTION_ARGS)
{
	return run_all(fcinfo, true);
}

/*
 * Calls of DEFINE FUNCTION functions: fn::name(args) is
 * dllb.surql_fn('name', args), which runs the body's statements as a
 * dllb.query call would, with $params of the arguments (and the defined
 * params), and returns the body's value: that of the RETURN that ran, else
 * that of its last statement (NONE when that gives no value).  Calls nest
 * at most SURQL_FN_MAX_DEPTH deep.
 */
#define SURQL_FN_MAX_DEPTH 64

static int	fn_depth = 0;

PG_FUNCTION_INFO_V1(dllb_surql_fn);

/* whether an argument of this type may be left out (option<T>, any) */
static bool
optional_type(const char *type)
{
	return type == NULL || pg_strcasecmp(type, "any") == 0 ||
		pg_strncasecmp(type, "option<", 7) == 0;
}

/* "function fn::name" under errors raised in the body */
static void
function_context(void *arg)
{
	errcontext("function fn::%s", (const char *) arg);
}

/*
 * run_body - the statements of function f with params; its value in
 * *value (NULL: NONE)
 */
static Jsonb *
run_body(const SurqlStmt *f, Jsonb *params)
{
	Runner		r;
	ReturnSetInfo rsinfo;
	TupleDesc	desc;
	TupleTableSlot *slot;
	int			decided = 0;
	bool		record_rows = false;
	List	   *values = NIL;
	int			i;

	desc = CreateTemplateTupleDesc(2);
	TupleDescInitEntry(desc, (AttrNumber) 1, "stmt", INT4OID, -1, 0);
	TupleDescInitEntry(desc, (AttrNumber) 2, "result", JSONBOID, -1, 0);
	memset(&rsinfo, 0, sizeof(rsinfo));
	rsinfo.type = T_ReturnSetInfo;
	rsinfo.setDesc = desc;
	rsinfo.setResult = tuplestore_begin_heap(false, false, work_mem);

	memset(&r, 0, sizeof(r));
	r.rsinfo = &rsinfo;
	r.fn_cxt = CurrentMemoryContext;
	r.params = params;
	for (i = 0; i < f->nbody; i++)
	{
		SurqlStmt  *s = f->body[i];
		bool		last = i == f->nbody - 1;
		bool		control = s->kind == SS_IF || s->kind == SS_FOR;

		CHECK_FOR_INTERRUPTS();
		/* RETURN CREATE ...: the statement's records (or record, ONLY) */
		if (s->kind == SS_RETURN && s->expr->kind == SN_SUBQUERY &&
			s->expr->stmt->kind != SS_SELECT)
			s = s->expr->stmt;
		r.ret_seen = false;
		run_one(&r, s, i + 1, last || control || f->body[i]->kind == SS_RETURN);
		if (f->body[i]->kind == SS_RETURN)
		{
			decided = i + 1;
			record_rows = s->kind != SS_RETURN && !s->only;
			break;
		}
		if ((control && r.ret_seen) || last)
		{
			decided = i + 1;
			/* a statement of records gives an array of them */
			record_rows = !s->only && (s->kind == SS_SELECT || s->kind == SS_CREATE ||
									   s->kind == SS_UPDATE || s->kind == SS_UPSERT ||
									   s->kind == SS_DELETE || s->kind == SS_RELATE ||
									   s->kind == SS_INSERT);
			break;
		}
	}

	slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	while (tuplestore_gettupleslot(rsinfo.setResult, true, false, slot))
	{
		bool		isnull;
		Datum		stmt = slot_getattr(slot, 1, &isnull);
		Datum		v;

		if (DatumGetInt32(stmt) != decided)
			continue;
		v = slot_getattr(slot, 2, &isnull);
		values = lappend(values, isnull ? NULL : DatumGetJsonbPCopy(v));
	}
	ExecDropSingleTupleTableSlot(slot);
	tuplestore_end(rsinfo.setResult);

	if (!record_rows && list_length(values) <= 1)
		return values == NIL ? NULL : (Jsonb *) linitial(values);
	{
		/* an array of the values (NONE as null) */
		JsonbParseState *state = NULL;
		ListCell   *lc;
		JsonbValue *res;

		pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
		foreach(lc, values)
		{
			Jsonb	   *e = (Jsonb *) lfirst(lc);
			JsonbValue	jv;

			if (e == NULL)
			{
				jv.type = jbvNull;
				pushJsonbValue(&state, WJB_ELEM, &jv);
			}
			else if (JB_ROOT_IS_SCALAR(e))
			{
				JsonbExtractScalar(&e->root, &jv);
				pushJsonbValue(&state, WJB_ELEM, &jv);
			}
			else
			{
				jv.type = jbvBinary;
				jv.val.binary.data = &e->root;
				jv.val.binary.len = VARSIZE(e) - VARHDRSZ;
				pushJsonbValue(&state, WJB_ELEM, &jv);
			}
		}
		res = pushJsonbValue(&state, WJB_END_ARRAY, NULL);
		return JsonbValueToJsonb(res);
	}
}

/*
 * call_function - the value of fn::name(args) (NULL: NONE), inside an SPI
 * connection with the search path pinned
 */
static Jsonb *
call_function(const char *name, Datum *args, bool *argnulls, int nargs)
{
	Oid			types[2] = {OIDOID, TEXTOID};
	Datum		values[2];
	char	   *source;
	SurqlParse	res;
	bool		cached;
	const SurqlStmt *f;
	Jsonb	   *params;
	Jsonb	   *value;
	int			min = 0;
	int			i;
	ErrorContextCallback errcb;

	values[0] = ObjectIdGetDatum(dllb_dialect_namespace());
	values[1] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT d.source FROM dllb.db_definitions d WHERE d.nsp = $1::regnamespace "
							  "AND d.kind = 'function' AND d.name = $2",
							  2, types, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "dllb.query: reading the definition of fn::%s failed", name);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("The function 'fn::%s' does not exist", name)));
	source = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	cached_parse(source, strlen(source), &res, &cached);
	if (res.nstmts != 1 || res.stmts[0]->kind != SS_DEFINE_FUNCTION)
		elog(ERROR, "dllb.query: the definition of fn::%s is not a DEFINE FUNCTION", name);
	f = res.stmts[0];

	/* trailing arguments of type option<T> or any may be left out */
	for (i = 0; i < f->nargs; i++)
		if (!optional_type(f->arg_types[i]))
			min = i + 1;
	if (nargs < min || nargs > f->nargs)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("Incorrect arguments for function fn::%s(). The function expects %s.", name,
						min == f->nargs ?
						psprintf("%d argument%s", min, min == 1 ? "" : "s") :
						psprintf("%d to %d arguments", min, f->nargs))));

	params = defined_params(DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}"))),
							CurrentMemoryContext);
	for (i = 0; i < f->nargs; i++)
	{
		bool		isnull = i >= nargs || argnulls[i];
		Datum		v = isnull ? (Datum) 0 : args[i];

		if (f->arg_types[i] && pg_strcasecmp(f->arg_types[i], "any") != 0)
		{
			Oid			ctypes[4] = {TEXTOID, TEXTOID, TEXTOID, JSONBOID};
			Datum		cargs[4];
			char		cnulls[4] = {' ', ' ', ' ', isnull ? 'n' : ' '};

			cargs[0] = CStringGetTextDatum(name);
			cargs[1] = CStringGetTextDatum(f->arg_names[i]);
			cargs[2] = CStringGetTextDatum(f->arg_types[i]);
			cargs[3] = v;
			if (SPI_execute_with_args("SELECT dllb.surql_fn_arg($1, $2, $3, $4)", 4, ctypes, cargs,
									  cnulls, false, 1) != SPI_OK_SELECT)
				elog(ERROR, "dllb.query: checking an argument of fn::%s failed", name);
		}
		params = bind_param(params, f->arg_names[i], v, isnull, CurrentMemoryContext);
	}

	errcb.callback = function_context;
	errcb.arg = (void *) name;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	value = run_body(f, params);
	error_context_stack = errcb.previous;
	if (f->ftype && pg_strcasecmp(f->ftype, "any") != 0)
	{
		Oid			rtypes[3] = {TEXTOID, TEXTOID, JSONBOID};
		Datum		rargs[3];
		char		rnulls[3] = {' ', ' ', value == NULL ? 'n' : ' '};

		rargs[0] = CStringGetTextDatum(name);
		rargs[1] = CStringGetTextDatum(f->ftype);
		rargs[2] = value == NULL ? (Datum) 0 : JsonbPGetDatum(value);
		if (SPI_execute_with_args("SELECT dllb.surql_fn_return($1, $2, $3)", 3, rtypes, rargs,
								  rnulls, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "dllb.query: checking the value of fn::%s failed", name);
	}
	if (!cached)
		dllb_surql_parse_free(&res);
	return value;
}

/*
 * dllb.surql_fn(name text, args jsonb[]) - a call fn::name(args) (an SQL
 * NULL argument is NONE); its value, NULL for NONE
 */
Datum
dllb_surql_fn(PG_FUNCTION_ARGS)
{
	MemoryContext caller = CurrentMemoryContext;
	char	   *name;
	Datum	   *args = NULL;
	bool	   *argnulls = NULL;
	int			nargs = 0;
	Jsonb	   *value = NULL;
	DllbSchemaFrame frame;
	int			guc_level;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (!PG_ARGISNULL(1))
		deconstruct_array(PG_GETARG_ARRAYTYPE_P(1), JSONBOID, -1, false, TYPALIGN_INT,
						  &args, &argnulls, &nargs);
	if (fn_depth >= SURQL_FN_MAX_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("Reached excessive computation depth due to functions, subqueries, or computed values"),
				 errdetail("Calls of DEFINE FUNCTION functions nest at most %d deep.",
						   SURQL_FN_MAX_DEPTH)));
	check_stack_depth();

	SPI_connect();
	dllb_dialect_schema_push(&frame);
	guc_level = NewGUCNestLevel();
	(void) set_config_option("search_path", PINNED_SEARCH_PATH,
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	fn_depth++;
	running_calls++;
	PG_TRY();
	{
		Jsonb	   *v = call_function(name, args, argnulls, nargs);

		if (v != NULL)
		{
			MemoryContext old = MemoryContextSwitchTo(caller);

			value = DatumGetJsonbPCopy(JsonbPGetDatum(v));
			MemoryContextSwitchTo(old);
		}
	}
	PG_FINALLY();
	{
		fn_depth--;
		running_calls--;
		dllb_dialect_schema_pop(&frame);
	}
	PG_END_TRY();
	AtEOXact_GUC(true, guc_level);
	SPI_finish();
	if (value == NULL)
		PG_RETURN_NULL();
	PG_RETURN_JSONB_P(value);
}
