/*-------------------------------------------------------------------------
 *
 * live_registry.c
 *	  LIVE SELECT and KILL: the registry of live queries, and their end
 *	  with the session that started them.
 *
 * dllb_live_register records a live query in dllb.live_queries: its
 * table, its subscriber - the current role, this session (pid and start
 * time, so a later session with the same pid is another one) and the
 * session's custom settings (names with a dot, such as request.jwt.claims,
 * that row-level security policies often read) - and the SQL of its
 * condition and result over the table's row alias t.  The session then
 * LISTENs on channel dllb_live_<id>.  Before that it
 *	  - checks that the subscriber may read what the query reads (the SQL is
 *		run once as the caller over no rows: a missing privilege is the usual
 *		"permission denied" error);
 *	  - adds the table's live triggers if they are missing (as the table's
 *		owner, as dllb's own machinery);
 *	  - holds a SHARE lock on the table to its commit, so a write in flight
 *		finishes before the live query starts and every write that commits
 *		after it sees it (writers re-read the registry on the relcache
 *		invalidation this sends).
 *
 * A live query ends with KILL (dllb.live_kill, by its role) or with its
 * session: the session deletes its live queries on its way out (a
 * before_shmem_exit callback, as temporary tables are dropped), and a
 * crash restart empties the UNLOGGED registry.  LIVE SELECT also deletes
 * the live queries of sessions that no longer exist.
 *
 * IDENTIFICATION
 *	  src/reactive/live_registry.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/guc_tables.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "reactive/reactive.h"
#include "reactive/live.h"
#include "surql/ast.h"
#include "surql/surql.h"
#include "surql/translate.h"

PG_FUNCTION_INFO_V1(dllb_live_select);
PG_FUNCTION_INFO_V1(dllb_live_kill);
PG_FUNCTION_INFO_V1(dllb_live_fetch);
PG_FUNCTION_INFO_V1(dllb_live_list);

static bool exit_callback_set = false;

/* dllb_live_channel - the channel of live query id (36-character uuid text) */
void
dllb_live_channel(const char *id, char *channel)
{
	snprintf(channel, NAMEDATALEN, "%s%s", DLLB_LIVE_CHANNEL_PREFIX, id);
}

/* a new random (version 4) uuid, as text */
static char *
new_uuid(void)
{
	pg_uuid_t  *u = palloc(sizeof(pg_uuid_t));

	if (!pg_strong_random(u->data, UUID_LEN))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate random values")));
	u->data[6] = (u->data[6] & 0x0f) | 0x40;
	u->data[8] = (u->data[8] & 0x3f) | 0x80;
	return DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(u)));
}

/*
 * the session's custom settings (a dot in the name, set by the session,
 * its role or its database, settable by anyone; not dllb's own), as a
 * JSON object
 */
static char *
custom_settings(void)
{
	StringInfoData buf;
	int			n;
	struct config_generic **vars = dllb_guc_variables(&n);
	int			i;
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < n; i++)
	{
		struct config_generic *v = vars[i];
		const char *value;

		if (strchr(v->name, '.') == NULL || strncmp(v->name, "dllb.", 5) == 0 ||
			v->context != PGC_USERSET || v->source < PGC_S_DATABASE)
			continue;
		value = GetConfigOption(v->name, true, false);
		if (value == NULL)
			continue;
		if (!first)
			appendStringInfoString(&buf, ", ");
		first = false;
		escape_json(&buf, v->name);
		appendStringInfoString(&buf, ": ");
		escape_json(&buf, value);
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/* delete this session's live queries (mine), or those of sessions gone; as dllb's owner, in SPI */
static void
delete_sessions(bool mine)
{
	Oid			types[2] = {INT4OID, TIMESTAMPTZOID};
	Datum		args[2];
	uint64		i;
	uint64		n;
	SPITupleTable *tt;
	int			rc;

	if (mine)
	{
		args[0] = Int32GetDatum(MyProcPid);
		args[1] = TimestampTzGetDatum(MyStartTimestamp);
		rc = SPI_execute_with_args("DELETE FROM dllb.live_queries WHERE pid OPERATOR(pg_catalog.=) $1 "
								   "AND session_start OPERATOR(pg_catalog.=) $2 RETURNING tbl",
								   2, types, args, NULL, false, 0);
	}
	else
		/* (a session whose start dllb's owner may not see is kept) */
		rc = SPI_execute("DELETE FROM dllb.live_queries q WHERE NOT EXISTS "
						 "(SELECT 1 FROM pg_catalog.pg_stat_get_activity(q.pid) a "
						 " WHERE a.backend_start IS NULL "
						 " OR a.backend_start OPERATOR(pg_catalog.=) q.session_start) RETURNING tbl",
						 false, 0);
	if (rc != SPI_OK_DELETE_RETURNING)
		elog(ERROR, "deleting live queries failed");
	tt = SPI_tuptable;
	n = SPI_processed;
	/* and the payloads kept for live queries that ended */
	if (SPI_execute("DELETE FROM dllb.live_payloads p WHERE NOT EXISTS "
					"(SELECT 1 FROM dllb.live_queries q WHERE q.id OPERATOR(pg_catalog.=) p.lq)",
					false, 0) != SPI_OK_DELETE)
		elog(ERROR, "deleting notifications of ended live queries failed");
	for (i = 0; i < n; i++)
	{
		bool		isnull;

		CacheInvalidateRelcacheByRelid(DatumGetObjectId(SPI_getbinval(tt->vals[i], tt->tupdesc, 1,
																	  &isnull)));
	}
}

/*
 * live_on_exit - before_shmem_exit: the session ends, and its live
 * queries with it
 */
static void
live_on_exit(int code, Datum arg)
{
	PG_TRY();
	{
		ReactiveAs	as;

		AbortOutOfAnyTransaction();
		StartTransactionCommand();
		PushActiveSnapshot(GetTransactionSnapshot());
		SPI_connect();
		dllb_reactive_become(&as, dllb_reactive_owner());
		delete_sessions(true);
		dllb_reactive_unbecome(&as);
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
	}
	PG_CATCH();
	{
		/* the schema may be gone (DROP EXTENSION); nothing is left then */
		EmitErrorReport();
		FlushErrorState();
		AbortOutOfAnyTransaction();
	}
	PG_END_TRY();
}

/* the live triggers of a table */
static const char *const live_triggers[][2] = {
	{"dllb_live_insert",
	"CREATE TRIGGER dllb_live_insert AFTER INSERT ON %s "
	"REFERENCING NEW TABLE AS dllb_new FOR EACH STATEMENT EXECUTE FUNCTION dllb.live_notify()"},
	{"dllb_live_update",
	"CREATE TRIGGER dllb_live_update AFTER UPDATE ON %s "
	"REFERENCING OLD TABLE AS dllb_old NEW TABLE AS dllb_new FOR EACH STATEMENT "
	"EXECUTE FUNCTION dllb.live_notify()"},
	{"dllb_live_delete",
	"CREATE TRIGGER dllb_live_delete AFTER DELETE ON %s "
	"REFERENCING OLD TABLE AS dllb_old FOR EACH STATEMENT EXECUTE FUNCTION dllb.live_notify()"},
};

static int
missing_triggers(Oid relid)
{
	Oid			types[1] = {OIDOID};
	Datum		args[1];
	bool		isnull;

	args[0] = ObjectIdGetDatum(relid);
	if (SPI_execute_with_args("SELECT pg_catalog.count(*) FROM pg_catalog.pg_trigger "
							  "WHERE tgrelid OPERATOR(pg_catalog.=) $1 "
							  "AND tgname OPERATOR(pg_catalog.~) '^dllb_live_(insert|update|delete)$'",
							  1, types, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading pg_trigger failed");
	return lengthof(live_triggers) -
		(int) DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/* add the missing live triggers, as the table's owner (inside SPI) */
static void
ensure_triggers(Oid relid)
{
	char	   *qualified;
	ReactiveAs	as;
	int			i;

	if (missing_triggers(relid) == 0)
		return;
	/* self-conflicting, so two first LIVE SELECTs of a table take turns */
	LockRelationOid(relid, ShareRowExclusiveLock);
	if (missing_triggers(relid) == 0)
		return;
	qualified = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
										   get_rel_name(relid));
	dllb_reactive_become(&as, dllb_reactive_rel_owner(relid));
	for (i = 0; i < lengthof(live_triggers); i++)
	{
		Oid			types[2] = {OIDOID, TEXTOID};
		Datum		args[2];

		args[0] = ObjectIdGetDatum(relid);
		args[1] = CStringGetTextDatum(live_triggers[i][0]);
		if (SPI_execute_with_args("SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid OPERATOR(pg_catalog.=) $1 "
								  "AND tgname OPERATOR(pg_catalog.=) $2::name",
								  2, types, args, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "reading pg_trigger failed");
		if (SPI_processed == 0 &&
			SPI_execute(psprintf(live_triggers[i][1], qualified), false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "creating trigger %s failed", live_triggers[i][0]);
	}
	dllb_reactive_unbecome(&as);
}

/*
 * dllb_live_register - start a live query of this session on table relid:
 * cond_sql and proj_sql are its condition and result over the row alias t
 * (literals written in); query is its text, for dllb.live_list.  Returns
 * its id.  Inside SPI.
 */
char *
dllb_live_register(Oid relid, const char *query, const char *cond_sql,
				   const char *proj_sql, bool diff)
{
	char	   *id;
	char		channel[NAMEDATALEN];
	char	   *qualified;
	Oid			subscriber = GetUserId();
	char	   *settings;
	ReactiveAs	as;
	Oid			types[10] = {UUIDOID, OIDOID, OIDOID, INT4OID, TIMESTAMPTZOID,
	BOOLOID, TEXTOID, TEXTOID, TEXTOID, JSONBOID};
	Datum		args[10];

	if (InSecurityRestrictedOperation())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("cannot start a live query within a security-restricted operation")));
	if (dllb_event_depth > 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot start a live query inside an event"),
				 errdetail("An event runs in the writer's session, which would be the live query's subscriber.")));
	if (IsInParallelMode())
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TRANSACTION_STATE),
				 errmsg("cannot start a live query during a parallel operation")));
	if (RecoveryInProgress())
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("cannot start a live query during recovery"),
				 errhint("Live queries run on the primary, where the writes happen.")));
	PreventCommandIfReadOnly("LIVE SELECT");

	/* the subscriber must be able to read what the query reads */
	qualified = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
										   get_rel_name(relid));
	dllb_reactive_become(&as, subscriber);
	if (SPI_execute(psprintf("SELECT (%s), (%s) FROM %s t WHERE false", cond_sql, proj_sql, qualified),
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "checking a live query failed");
	dllb_reactive_unbecome(&as);

	ensure_triggers(relid);
	/* writes in flight end first; later ones see the live query */
	LockRelationOid(relid, ShareLock);

	id = new_uuid();
	settings = custom_settings();
	dllb_reactive_become(&as, dllb_reactive_owner());
	delete_sessions(false);
	args[0] = DirectFunctionCall1(uuid_in, CStringGetDatum(id));
	args[1] = ObjectIdGetDatum(relid);
	args[2] = ObjectIdGetDatum(subscriber);
	args[3] = Int32GetDatum(MyProcPid);
	args[4] = TimestampTzGetDatum(MyStartTimestamp);
	args[5] = BoolGetDatum(diff);
	args[6] = CStringGetTextDatum(query);
	args[7] = CStringGetTextDatum(cond_sql);
	args[8] = CStringGetTextDatum(proj_sql);
	args[9] = DirectFunctionCall1(jsonb_in, CStringGetDatum(settings));
	if (SPI_execute_with_args("INSERT INTO dllb.live_queries (id, tbl, role, pid, session_start, diff, "
							  "query, cond_sql, proj_sql, settings) "
							  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
							  10, types, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "recording a live query failed");
	dllb_reactive_unbecome(&as);

	if (!exit_callback_set)
	{
		before_shmem_exit(live_on_exit, (Datum) 0);
		exit_callback_set = true;
	}
	dllb_live_channel(id, channel);
	Async_Listen(channel);
	CacheInvalidateRelcacheByRelid(relid);
	return id;
}

/* dllb.live_kill(id) - KILL: end a live query of the caller's role */
Datum
dllb_live_kill(PG_FUNCTION_ARGS)
{
	Datum		id = PG_GETARG_DATUM(0);
	char	   *idtext = DatumGetCString(DirectFunctionCall1(uuid_out, id));
	Oid			user = GetUserId();
	Oid			types[1] = {UUIDOID};
	Datum		args[1];
	ReactiveAs	as;
	bool		isnull;
	Oid			role;
	Oid			relid;
	int32		pid;
	TimestampTz start;

	SPI_connect();
	dllb_reactive_become(&as, dllb_reactive_owner());
	args[0] = id;
	if (SPI_execute_with_args("SELECT role, tbl, pid, session_start FROM dllb.live_queries "
							  "WHERE id OPERATOR(pg_catalog.=) $1 FOR UPDATE",
							  1, types, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading dllb.live_queries failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("live query %s does not exist", idtext)));
	role = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	relid = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	pid = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	start = DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull));
	if (!has_privs_of_role(user, role))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("live query %s belongs to another role", idtext),
				 errdetail("Only its role (or a member of it) may kill a live query.")));
	if (SPI_execute_with_args("WITH p AS (DELETE FROM dllb.live_payloads WHERE lq OPERATOR(pg_catalog.=) $1) "
							  "DELETE FROM dllb.live_queries WHERE id OPERATOR(pg_catalog.=) $1",
							  1, types, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "deleting a live query failed");
	dllb_reactive_unbecome(&as);
	SPI_finish();
	CacheInvalidateRelcacheByRelid(relid);
	if (pid == MyProcPid && start == MyStartTimestamp)
	{
		char		channel[NAMEDATALEN];

		dllb_live_channel(idtext, channel);
		Async_Unlisten(channel);
	}
	PG_RETURN_VOID();
}

/*
 * dllb.live_fetch(notification) - the whole notification a payload with
 * "fetch" stands for, once, to a member of the live query's role
 */
Datum
dllb_live_fetch(PG_FUNCTION_ARGS)
{
	Jsonb	   *note = PG_GETARG_JSONB_P(0);
	JsonbValue *key;
	Oid			types[1] = {INT8OID};
	Datum		args[1];
	ReactiveAs	as;
	bool		isnull;
	Oid			role;
	Jsonb	   *payload;
	int64		k;

	key = JB_ROOT_IS_OBJECT(note) ?
		getKeyJsonValueFromContainer(&note->root, "fetch", 5, NULL) : NULL;
	if (key == NULL || key->type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the notification has no \"fetch\" key"),
				 errhint("Pass the payload of a notification that has one.")));
	k = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(key->val.numeric)));
	SPI_connect();
	dllb_reactive_become(&as, dllb_reactive_owner());
	args[0] = Int64GetDatum(k);
	if (SPI_execute_with_args("SELECT q.role, p.payload FROM dllb.live_payloads p "
							  "JOIN dllb.live_queries q ON q.id OPERATOR(pg_catalog.=) p.lq "
							  "WHERE p.id OPERATOR(pg_catalog.=) $1 FOR UPDATE OF p",
							  1, types, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading dllb.live_payloads failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("notification %lld is gone", (long long) k),
				 errdetail("It was fetched already, or its live query ended.")));
	role = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	dllb_reactive_unbecome(&as);
	if (!has_privs_of_role(GetUserId(), role))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("notification %lld belongs to another role's live query", (long long) k)));
	payload = DatumGetJsonbPCopy(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	dllb_reactive_become(&as, dllb_reactive_owner());
	if (SPI_execute_with_args("DELETE FROM dllb.live_payloads WHERE id OPERATOR(pg_catalog.=) $1",
							  1, types, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "deleting a notification failed");
	dllb_reactive_unbecome(&as);
	payload = (Jsonb *) SPI_datumTransfer(JsonbPGetDatum(payload), false, -1);
	SPI_finish();
	PG_RETURN_JSONB_P(payload);
}

/*
 * dllb.live_list() - the live queries of the caller's role (and of roles it
 * is a member of), with the SQL of their condition and result
 */
Datum
dllb_live_list(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			user = GetUserId();
	ReactiveAs	as;
	uint64		i;

	InitMaterializedSRF(fcinfo, 0);
	SPI_connect();
	dllb_reactive_become(&as, dllb_reactive_owner());
	if (SPI_execute("SELECT id, tbl::pg_catalog.regclass, query, diff, pid, created, cond_sql, proj_sql, role "
					"FROM dllb.live_queries ORDER BY created, id", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading dllb.live_queries failed");
	dllb_reactive_unbecome(&as);
	for (i = 0; i < SPI_processed; i++)
	{
		Datum		values[9];
		bool		nulls[9];
		int			c;

		for (c = 0; c < 9; c++)
			values[c] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, c + 1, &nulls[c]);
		if (!has_privs_of_role(user, DatumGetObjectId(values[8])))
			continue;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	SPI_finish();
	return (Datum) 0;
}

/*
 * dllb.live_select(query, params, diff) - LIVE SELECT [DIFF]: query is a
 * dialect SELECT over one table (or the LIVE SELECT itself); its $params
 * are taken from params now.  Returns the live query's id.
 */
Datum
dllb_live_select(PG_FUNCTION_ARGS)
{
	text	   *q;
	Jsonb	   *params;
	bool		diff = !PG_ARGISNULL(2) && PG_GETARG_BOOL(2);
	SurqlParse	res;
	SurqlStmt  *stmt;
	char	   *cond;
	char	   *proj;
	char	   *canon;
	char	   *id;
	Oid			relid;
	size_t		len;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("LIVE SELECT needs a query")));
	q = PG_GETARG_TEXT_PP(0);
	params = PG_ARGISNULL(1) ?
		DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}"))) :
		PG_GETARG_JSONB_P(1);
	if (!JB_ROOT_IS_OBJECT(params))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("params of a live query must be a JSON object")));
	dllb_surql_parse_or_error(VARDATA_ANY(q), VARSIZE_ANY_EXHDR(q), &res);
	if (res.nstmts != 1 || (res.stmts[0]->kind != SS_SELECT && res.stmts[0]->kind != SS_LIVE))
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("a live query is one SELECT statement")));
	stmt = res.stmts[0];
	diff |= stmt->diff;
	/* its text, as LIVE SELECT [DIFF] */
	stmt->kind = SS_LIVE;
	stmt->diff = diff;
	canon = dllb_surql_print(&res);
	len = strlen(canon);
	if (len >= 2 && strcmp(canon + len - 2, ";\n") == 0)
		canon[len - 2] = '\0';
	stmt->kind = SS_SELECT;

	SPI_connect();
	relid = dllb_surql_live_sql(stmt, params, &cond, &proj);
	id = dllb_live_register(relid, canon, cond, proj, diff);
	id = SPI_palloc(strlen(id) + 1) ? strcpy(SPI_palloc(strlen(id) + 1), id) : NULL;
	SPI_finish();
	dllb_surql_parse_free(&res);
	PG_RETURN_DATUM(DirectFunctionCall1(uuid_in, CStringGetDatum(id)));
}
