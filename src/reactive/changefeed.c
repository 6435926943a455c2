/*-------------------------------------------------------------------------
 *
 * changefeed.c
 *	  Change feeds: every committed change of a table, in commit order,
 *	  each once, under a versionstamp a reader passes back to resume.
 *
 * Capture.  Statement-level AFTER triggers with transition tables
 * (dllb.changefeed_capture) turn each changed row into one change - a
 * create, update or delete with the record as the dialect returns it - and
 * insert them into dllb.changes under the writer's transaction id, in the
 * order they happened.  A rolled-back transaction or savepoint takes its
 * changes with it.
 *
 * Commit stamps.  Transaction ids are not in commit order, and a sequence
 * value taken at write time is not either: a reader that polls "after the
 * last number I saw" would skip a transaction that took a lower number but
 * committed later.  So the number is taken at commit: a deferred
 * constraint trigger (dllb.changefeed_stamp) fires when the transaction
 * commits, takes a transaction-scoped lock that every committing feed
 * writer takes, then the next versionstamp from a sequence, and records
 * (table, versionstamp, transaction id, time) in dllb.change_commits.  The
 * lock is released only after the commit is visible to new snapshots, so
 * a transaction that takes a later versionstamp commits later: a reader
 * whose snapshot sees versionstamp v sees every smaller one that will ever
 * commit.  The serialized part is a writer's commit, not its work (as
 * PostgreSQL serializes the commits of transactions that NOTIFY).  TRUNCATE
 * is recorded as one change, and stamps at once (it holds its table's
 * exclusive lock to commit anyway).
 *
 * Retention.  A commit that stamps a feed first deletes that feed's change
 * sets older than its retention (at most once per
 * dllb.changefeed_prune_interval per session and table, up to 10,000 sets,
 * skipping rows another session is deleting), and SHOW CHANGES never
 * returns one; dllb.changefeed_prune() prunes every feed at once.
 *
 * Reading.  dllb.show_changes checks the caller's privileges on the table
 * (SELECT on every column, no row-level security in force), then reads the
 * change sets as the owner of schema dllb.
 *
 * IDENTIFICATION
 *	  src/reactive/changefeed.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "reactive/reactive.h"

PG_FUNCTION_INFO_V1(dllb_changefeed_capture);
PG_FUNCTION_INFO_V1(dllb_changefeed_stamp);
PG_FUNCTION_INFO_V1(dllb_define_changefeed);
PG_FUNCTION_INFO_V1(dllb_remove_changefeed);
PG_FUNCTION_INFO_V1(dllb_show_changes);
PG_FUNCTION_INFO_V1(dllb_changefeed_prune);

/* the lock every committing feed writer takes: advisory, in this database */
#define FEED_LOCK_KEY1 0x646c6c62	/* "dllb" */
#define FEED_LOCK_KEY2 0x63686766	/* "chgf" */

/* change sets one pruning deletes at most */
#define PRUNE_BATCH 10000

/* ------------------------------------------------------------------------
 * Per-backend cache of feed definitions and record builders
 * ------------------------------------------------------------------------
 */
typedef struct FeedEntry
{
	Oid			relid;			/* hash key */
	bool		valid;
	bool		is_feed;
	bool		include_original;
	char		retention[64];	/* interval text */
	TimestampTz last_prune;
} FeedEntry;

static HTAB *feed_cache = NULL;

void
dllb_changefeed_forget(Oid relid)
{
	HASH_SEQ_STATUS seq;
	FeedEntry  *e;

	if (feed_cache == NULL)
		return;
	hash_seq_init(&seq, feed_cache);
	while ((e = hash_seq_search(&seq)) != NULL)
		if (relid == InvalidOid || e->relid == relid)
			e->valid = false;
}

/* the feed definition of rel, read as dllb's owner when not cached */
static FeedEntry *
feed_entry(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	FeedEntry  *e;
	bool		found;
	static SPIPlanPtr plan = NULL;
	Oid			types[1] = {OIDOID};
	Datum		args[1];
	ReactiveAs	as;

	if (feed_cache == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(FeedEntry);
		ctl.hcxt = TopMemoryContext;
		feed_cache = hash_create("dllb change feeds", 16, &ctl,
								 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	e = hash_search(feed_cache, &relid, HASH_ENTER, &found);
	if (found && e->valid)
		return e;
	if (!found)
		e->last_prune = 0;
	e->is_feed = false;
	e->retention[0] = '\0';

	SPI_connect();
	dllb_reactive_become(&as, dllb_reactive_owner());
	args[0] = ObjectIdGetDatum(relid);
	if (SPI_execute_plan(dllb_reactive_plan(&plan,
											"SELECT include_original, retention::text FROM dllb.changefeeds "
											"WHERE tbl OPERATOR(pg_catalog.=) $1::regclass",
											1, types),
						 args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading dllb.changefeeds failed");
	dllb_reactive_unbecome(&as);
	if (SPI_processed == 1)
	{
		bool		isnull;

		e->is_feed = true;
		e->include_original = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
														 SPI_tuptable->tupdesc, 1, &isnull));
		strlcpy(e->retention, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2),
				sizeof(e->retention));
	}
	SPI_finish();
	e->valid = true;
	return e;
}

/* ------------------------------------------------------------------------
 * Per-transaction state: the versionstamp, the tables stamped, the order
 * of changes
 * ------------------------------------------------------------------------
 */
typedef struct Stamped
{
	Oid			relid;
	SubTransactionId subid;		/* where the commit row was written */
} Stamped;

static int64 xact_vs = 0;		/* 0: no versionstamp yet */
static SubTransactionId xact_vs_subid = InvalidSubTransactionId;
static int32 xact_next_change = 1;
static Stamped *stamped = NULL;
static int	nstamped = 0;
static int	maxstamped = 0;

void
dllb_changefeed_xact_end(void)
{
	xact_vs = 0;
	xact_vs_subid = InvalidSubTransactionId;
	xact_next_change = 1;
	nstamped = 0;
}

/*
 * A savepoint ends: what it stamped moves to its parent (commit) or is
 * gone with it (abort: the commit rows are rolled back, and the lock,
 * taken in it, released).
 */
void
dllb_changefeed_subxact_end(SubTransactionId mySubid, SubTransactionId parentSubid,
							bool commit)
{
	int			i;
	int			k = 0;

	if (xact_vs != 0 && xact_vs_subid == mySubid)
	{
		if (commit)
			xact_vs_subid = parentSubid;
		else
		{
			xact_vs = 0;
			xact_vs_subid = InvalidSubTransactionId;
		}
	}
	for (i = 0; i < nstamped; i++)
	{
		if (stamped[i].subid == mySubid)
		{
			if (!commit)
				continue;
			stamped[i].subid = parentSubid;
		}
		stamped[k++] = stamped[i];
	}
	nstamped = k;
}

static bool
is_stamped(Oid relid)
{
	int			i;

	for (i = 0; i < nstamped; i++)
		if (stamped[i].relid == relid)
			return true;
	return false;
}

static void
add_stamped(Oid relid)
{
	if (nstamped == maxstamped)
	{
		maxstamped = Max(8, maxstamped * 2);
		stamped = stamped == NULL ?
			MemoryContextAlloc(TopMemoryContext, sizeof(Stamped) * maxstamped) :
			repalloc(stamped, sizeof(Stamped) * maxstamped);
	}
	stamped[nstamped].relid = relid;
	stamped[nstamped].subid = GetCurrentSubTransactionId();
	nstamped++;
}

/* ------------------------------------------------------------------------
 * Retention
 * ------------------------------------------------------------------------
 */

/*
 * prune - delete up to PRUNE_BATCH change sets of relid older than
 * retention, skipping rows other sessions hold; inside SPI, as dllb's
 * owner.  Returns the number of change sets deleted.
 */
static uint64
prune(Oid relid, const char *retention)
{
	static SPIPlanPtr plan = NULL;
	Oid			types[2] = {OIDOID, INTERVALOID};
	Datum		args[2];
	bool		isnull;

	args[0] = ObjectIdGetDatum(relid);
	args[1] = DirectFunctionCall3(interval_in, CStringGetDatum(retention),
								  ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	/*
	 * The first change set young enough to keep bounds the range deleted
	 * (versionstamps and commit times grow together); the scan for it reads
	 * only the expired ones, which pruning keeps few.
	 */
	if (SPI_execute_plan(dllb_reactive_plan(&plan,
											"WITH keep AS (SELECT coalesce((SELECT m.vs FROM dllb.change_commits m "
											"  WHERE m.tbl OPERATOR(pg_catalog.=) $1 "
											"  AND m.at OPERATOR(pg_catalog.>=) (pg_catalog.clock_timestamp() OPERATOR(pg_catalog.-) $2) "
											"  ORDER BY m.vs LIMIT 1), 9223372036854775807) AS vs), "
											"old AS (SELECT m.tbl, m.vs FROM dllb.change_commits m, keep "
											"  WHERE m.tbl OPERATOR(pg_catalog.=) $1 AND m.vs OPERATOR(pg_catalog.<) keep.vs "
											"  ORDER BY m.vs LIMIT " CppAsString2(PRUNE_BATCH) " FOR UPDATE OF m SKIP LOCKED), "
											"gone AS (DELETE FROM dllb.change_commits m USING old "
											"  WHERE m.tbl OPERATOR(pg_catalog.=) old.tbl AND m.vs OPERATOR(pg_catalog.=) old.vs "
											"  RETURNING m.tbl, m.xid), "
											"changes AS (DELETE FROM dllb.changes c USING gone "
											"  WHERE c.tbl OPERATOR(pg_catalog.=) gone.tbl AND c.xid OPERATOR(pg_catalog.=) gone.xid) "
											"SELECT pg_catalog.count(*) FROM gone",
											2, types),
						 args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "pruning a change feed failed");
	return (uint64) DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
												SPI_tuptable->tupdesc, 1, &isnull));
}

/* prune relid when this session has not done so for the prune interval */
static void
prune_if_due(FeedEntry *e)
{
	TimestampTz now = GetCurrentTimestamp();

	if (e->retention[0] == '\0' ||
		!TimestampDifferenceExceeds(e->last_prune, now, dllb_changefeed_prune_interval - 1))
		return;
	e->last_prune = now;
	(void) prune(e->relid, e->retention);
}

/* ------------------------------------------------------------------------
 * Stamping
 * ------------------------------------------------------------------------
 */

/*
 * stamp - record relid's changes of this transaction under its
 * versionstamp, taking the lock and the versionstamp if this is the
 * transaction's first stamp.  Inside SPI, as dllb's owner.
 */
static void
stamp(FeedEntry *e, Oid relid)
{
	static SPIPlanPtr vs_plan = NULL;
	static SPIPlanPtr commit_plan = NULL;
	Oid			types[2] = {OIDOID, INT8OID};
	Datum		args[2];
	bool		isnull;

	if (xact_vs == 0)
	{
		LOCKTAG		tag;

		if (e)
			prune_if_due(e);
		SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, FEED_LOCK_KEY1, FEED_LOCK_KEY2, 2);
		(void) LockAcquire(&tag, ExclusiveLock, false, false);
		if (SPI_execute_plan(dllb_reactive_plan(&vs_plan,
												"SELECT pg_catalog.nextval('dllb.changefeed_versionstamp'::pg_catalog.regclass)",
												0, NULL),
							 NULL, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "taking a versionstamp failed");
		xact_vs = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
											  &isnull));
		xact_vs_subid = GetCurrentSubTransactionId();
	}
	else if (e)
		prune_if_due(e);
	args[0] = ObjectIdGetDatum(relid);
	args[1] = Int64GetDatum(xact_vs);
	if (SPI_execute_plan(dllb_reactive_plan(&commit_plan,
											"INSERT INTO dllb.change_commits (tbl, vs, xid, at) "
											"VALUES ($1, $2, pg_catalog.pg_current_xact_id(), pg_catalog.clock_timestamp())",
											2, types),
						 args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "recording a change feed commit failed");
	add_stamped(relid);
}

/* stamp relid now, unless done in this transaction */
static void
stamp_once(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	FeedEntry  *e;
	ReactiveAs	as;

	if (is_stamped(relid))
		return;
	e = feed_entry(rel);
	SPI_connect();
	dllb_reactive_become(&as, dllb_reactive_owner());
	stamp(e->is_feed ? e : NULL, relid);
	dllb_reactive_unbecome(&as);
	SPI_finish();
}

/*
 * dllb.changefeed_stamp() - deferred constraint trigger, FOR EACH ROW: at
 * commit, the transaction's changes of the table get its versionstamp
 * (once; the other rows' events find it done)
 */
Datum
dllb_changefeed_stamp(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("dllb.changefeed_stamp() must be an AFTER ... FOR EACH ROW trigger")));
	stamp_once(td->tg_relation);
	return PointerGetDatum(NULL);
}

/* ------------------------------------------------------------------------
 * Capture
 * ------------------------------------------------------------------------
 */

/* {"<action>": record} */
static Jsonb *
change_of(const char *action, Jsonb *record, const char *extra_key, Jsonb *extra)
{
	JsonbParseState *ps = NULL;
	JsonbValue	k;
	JsonbValue	v;
	JsonbValue *res;

	pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	k.type = jbvString;
	k.val.string.val = (char *) action;
	k.val.string.len = strlen(action);
	pushJsonbValue(&ps, WJB_KEY, &k);
	v.type = jbvBinary;
	v.val.binary.data = &record->root;
	v.val.binary.len = VARSIZE(record) - VARHDRSZ;
	pushJsonbValue(&ps, WJB_VALUE, &v);
	if (extra_key)
	{
		k.val.string.val = (char *) extra_key;
		k.val.string.len = strlen(extra_key);
		pushJsonbValue(&ps, WJB_KEY, &k);
		v.val.binary.data = &extra->root;
		v.val.binary.len = VARSIZE(extra) - VARHDRSZ;
		pushJsonbValue(&ps, WJB_VALUE, &v);
	}
	res = pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}

/* {"id": "t:k"} */
static Jsonb *
id_only(const char *id)
{
	JsonbParseState *ps = NULL;
	JsonbValue	k;
	JsonbValue	v;

	pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	k.type = jbvString;
	k.val.string.val = "id";
	k.val.string.len = 2;
	pushJsonbValue(&ps, WJB_KEY, &k);
	if (id)
	{
		v.type = jbvString;
		v.val.string.val = (char *) id;
		v.val.string.len = strlen(id);
	}
	else
		v.type = jbvNull;
	pushJsonbValue(&ps, WJB_VALUE, &v);
	return JsonbValueToJsonb(pushJsonbValue(&ps, WJB_END_OBJECT, NULL));
}

typedef struct ChangeList
{
	Datum	   *items;
	int			n;
	int			max;
} ChangeList;

static void
add_change(ChangeList *l, Jsonb *change)
{
	if (l->n == l->max)
	{
		l->max = Max(16, l->max * 2);
		l->items = l->items ? repalloc(l->items, sizeof(Datum) * l->max) :
			palloc(sizeof(Datum) * l->max);
	}
	l->items[l->n++] = JsonbPGetDatum(change);
}

/* an old row of an UPDATE, until a new row with its id pairs with it */
typedef struct OldRow
{
	char	   *id;
	HeapTuple	tup;
	bool		paired;
} OldRow;

/* the rows of a transition table, each copied */
static List *
transition_rows(Tuplestorestate *ts, TupleDesc desc)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	int			ptr = tuplestore_alloc_read_pointer(ts, EXEC_FLAG_REWIND);
	int			saved = 0;
	List	   *rows = NIL;

	tuplestore_select_read_pointer(ts, ptr);
	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		CHECK_FOR_INTERRUPTS();
		rows = lappend(rows, ExecCopySlotHeapTuple(slot));
	}
	tuplestore_select_read_pointer(ts, saved);
	ExecDropSingleTupleTableSlot(slot);
	return rows;
}

/* the changes of an UPDATE: pairs of old and new rows by id */
static void
update_changes(FeedEntry *e, RecordDocState *doc, TupleDesc desc, List *olds, List *news, ChangeList *out)
{
	ListCell   *lc;
	int			nold = list_length(olds);
	OldRow	   *old = palloc0(sizeof(OldRow) * Max(nold, 1));
	int			i = 0;

	foreach(lc, olds)
	{
		old[i].tup = (HeapTuple) lfirst(lc);
		old[i].id = dllb_record_id_text(desc, old[i].tup);
		i++;
	}
	foreach(lc, news)
	{
		HeapTuple	ntup = (HeapTuple) lfirst(lc);
		char	   *id = dllb_record_id_text(desc, ntup);
		Jsonb	   *after = dllb_record_doc(doc, desc, ntup);
		int			match = -1;
		int			k;

		CHECK_FOR_INTERRUPTS();
		/* the rows of an UPDATE come in the same order, so look there first */
		for (k = 0; k < nold && match < 0; k++)
		{
			int			j = (foreach_current_index(lc) + k) % nold;

			if (!old[j].paired && id && old[j].id && strcmp(old[j].id, id) == 0)
				match = j;
		}
		if (match < 0)
		{
			/* a new id: the record is new */
			add_change(out, change_of("create", after, NULL, NULL));
			continue;
		}
		old[match].paired = true;
		if (e->include_original)
			add_change(out, change_of("update", after, "original",
									  dllb_record_doc(doc, desc, old[match].tup)));
		else
			add_change(out, change_of("update", after, NULL, NULL));
	}
	/* old ids no new row kept: those records are gone */
	for (i = 0; i < nold; i++)
		if (!old[i].paired)
			add_change(out, change_of("delete", e->include_original ?
									  dllb_record_doc(doc, desc, old[i].tup) :
									  id_only(old[i].id), NULL, NULL));
}

/* insert the changes of a statement into dllb.changes, as dllb's owner */
static void
insert_changes(Oid relid, ChangeList *l)
{
	static SPIPlanPtr plan = NULL;
	Oid			types[3] = {OIDOID, INT4OID, JSONBARRAYOID};
	Datum		args[3];
	ReactiveAs	as;

	if (l->n == 0)
		return;
	args[0] = ObjectIdGetDatum(relid);
	args[1] = Int32GetDatum(xact_next_change);
	args[2] = PointerGetDatum(construct_array(l->items, l->n, JSONBOID, -1, false, TYPALIGN_INT));
	xact_next_change += l->n;
	SPI_connect();
	dllb_reactive_become(&as, dllb_reactive_owner());
	if (SPI_execute_plan(dllb_reactive_plan(&plan,
											"INSERT INTO dllb.changes (tbl, xid, n, change) "
											"SELECT $1, pg_catalog.pg_current_xact_id(), ($2 OPERATOR(pg_catalog.+) (u.o OPERATOR(pg_catalog.-) 1))::int4, u.c "
											"FROM pg_catalog.unnest($3) WITH ORDINALITY AS u(c, o)",
											3, types),
						 args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "recording changes failed");
	dllb_reactive_unbecome(&as);
	SPI_finish();
}

/*
 * dllb.changefeed_capture() - AFTER INSERT, UPDATE, DELETE (FOR EACH
 * STATEMENT, with transition tables) and TRUNCATE: the statement's changes
 * into dllb.changes
 */
Datum
dllb_changefeed_capture(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	desc;
	FeedEntry  *e;
	RecordDocState *doc;
	ChangeList	changes = {NULL, 0, 0};
	ListCell   *lc;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("dllb.changefeed_capture() must be an AFTER ... FOR EACH STATEMENT trigger")));
	rel = td->tg_relation;
	desc = RelationGetDescr(rel);
	e = feed_entry(rel);
	if (!e->is_feed)
		return PointerGetDatum(NULL);
	doc = dllb_record_doc_for(rel);
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
	{
		JsonbParseState *ps = NULL;
		JsonbValue	k;
		JsonbValue	v;

		pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
		k.type = jbvString;
		k.val.string.val = "table";
		k.val.string.len = 5;
		pushJsonbValue(&ps, WJB_KEY, &k);
		v.type = jbvString;
		v.val.string.val = RelationGetRelationName(rel);
		v.val.string.len = strlen(v.val.string.val);
		pushJsonbValue(&ps, WJB_VALUE, &v);
		add_change(&changes, change_of("truncate",
									   JsonbValueToJsonb(pushJsonbValue(&ps, WJB_END_OBJECT, NULL)),
									   NULL, NULL));
		insert_changes(RelationGetRelid(rel), &changes);
		/* no row events queue a stamp: stamp now (TRUNCATE holds its lock to commit) */
		stamp_once(rel);
		return PointerGetDatum(NULL);
	}
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		if (td->tg_newtable == NULL)
			elog(ERROR, "dllb.changefeed_capture() needs REFERENCING NEW TABLE");
		foreach(lc, transition_rows(td->tg_newtable, desc))
			add_change(&changes, change_of("create",
										   dllb_record_doc(doc, desc, (HeapTuple) lfirst(lc)),
										   NULL, NULL));
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		if (td->tg_oldtable == NULL)
			elog(ERROR, "dllb.changefeed_capture() needs REFERENCING OLD TABLE");
		foreach(lc, transition_rows(td->tg_oldtable, desc))
		{
			HeapTuple	tup = (HeapTuple) lfirst(lc);

			add_change(&changes, change_of("delete", e->include_original ?
										   dllb_record_doc(doc, desc, tup) :
										   id_only(dllb_record_id_text(desc, tup)), NULL, NULL));
		}
	}
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		if (td->tg_oldtable == NULL || td->tg_newtable == NULL)
			elog(ERROR, "dllb.changefeed_capture() needs REFERENCING OLD TABLE and NEW TABLE");
		update_changes(e, doc, desc, transition_rows(td->tg_oldtable, desc),
					   transition_rows(td->tg_newtable, desc), &changes);
	}
	insert_changes(RelationGetRelid(rel), &changes);
	return PointerGetDatum(NULL);
}

/* ------------------------------------------------------------------------
 * Defining and removing feeds
 * ------------------------------------------------------------------------
 */

/* rel must be a dllb table the caller owns */
static void
check_feed_table(Oid relid)
{
	Oid			types[1] = {OIDOID};
	Datum		args[1];

	args[0] = ObjectIdGetDatum(relid);
	/* (not read-only: a table created earlier in the statement is seen) */
	if (SPI_execute_with_args("SELECT 1 FROM dllb.tables t WHERE t.tbl OPERATOR(pg_catalog.=) $1::regclass",
							  1, types, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading dllb.tables failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("table %s is not a dllb table", get_rel_name(relid)),
				 errhint("Change feeds are for tables of dllb.create_table or the dialect.")));
	if (!dllb_table_ownercheck(relid, GetUserId()))
		aclcheck_error(ACLCHECK_NOT_OWNER, OBJECT_TABLE, get_rel_name(relid));
}

/* the capture and stamp triggers of a feed */
static const char *const feed_triggers[][2] = {
	{"dllb_changefeed_insert",
	"CREATE TRIGGER dllb_changefeed_insert AFTER INSERT ON %s "
	"REFERENCING NEW TABLE AS dllb_new FOR EACH STATEMENT EXECUTE FUNCTION dllb.changefeed_capture()"},
	{"dllb_changefeed_update",
	"CREATE TRIGGER dllb_changefeed_update AFTER UPDATE ON %s "
	"REFERENCING OLD TABLE AS dllb_old NEW TABLE AS dllb_new FOR EACH STATEMENT "
	"EXECUTE FUNCTION dllb.changefeed_capture()"},
	{"dllb_changefeed_delete",
	"CREATE TRIGGER dllb_changefeed_delete AFTER DELETE ON %s "
	"REFERENCING OLD TABLE AS dllb_old FOR EACH STATEMENT EXECUTE FUNCTION dllb.changefeed_capture()"},
	{"dllb_changefeed_truncate",
	"CREATE TRIGGER dllb_changefeed_truncate AFTER TRUNCATE ON %s "
	"FOR EACH STATEMENT EXECUTE FUNCTION dllb.changefeed_capture()"},
	{"dllb_changefeed_commit",
	"CREATE CONSTRAINT TRIGGER dllb_changefeed_commit AFTER INSERT OR UPDATE OR DELETE ON %s "
	"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dllb.changefeed_stamp()"},
};

static bool
has_trigger(Oid relid, const char *name)
{
	Oid			types[2] = {OIDOID, TEXTOID};
	Datum		args[2];

	args[0] = ObjectIdGetDatum(relid);
	args[1] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid OPERATOR(pg_catalog.=) $1 "
							  "AND tgname OPERATOR(pg_catalog.=) $2::name",
							  2, types, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading pg_trigger failed");
	return SPI_processed > 0;
}

/*
 * dllb.define_changefeed(tbl, retention, include_original) - DEFINE TABLE t
 * CHANGEFEED <duration> [INCLUDE ORIGINAL]: record the feed (or change its
 * retention), and add its triggers
 */
Datum
dllb_define_changefeed(PG_FUNCTION_ARGS)
{
	Oid			relid;
	Interval   *retention;
	bool		include_original = PG_ARGISNULL(2) ? false : PG_GETARG_BOOL(2);
	Oid			types[3] = {OIDOID, INTERVALOID, BOOLOID};
	Datum		args[3];
	ReactiveAs	as;
	char	   *qualified;
	int			i;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a change feed needs a table and a retention")));
	relid = PG_GETARG_OID(0);
	retention = PG_GETARG_INTERVAL_P(1);
	if (retention->month < 0 || retention->day < 0 || retention->time < 0 ||
		(retention->month == 0 && retention->day == 0 && retention->time == 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the retention of a change feed must be positive")));
	SPI_connect();
	check_feed_table(relid);
	/* the table's lock first, so writers see the feed whole or not at all */
	LockRelationOid(relid, ShareRowExclusiveLock);

	dllb_reactive_become(&as, dllb_reactive_owner());
	args[0] = ObjectIdGetDatum(relid);
	args[1] = IntervalPGetDatum(retention);
	args[2] = BoolGetDatum(include_original);
	if (SPI_execute_with_args("INSERT INTO dllb.changefeeds (tbl, retention, include_original) "
							  "VALUES ($1::regclass, $2, $3) ON CONFLICT (tbl) DO UPDATE "
							  "SET retention = EXCLUDED.retention, include_original = EXCLUDED.include_original",
							  3, types, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "recording a change feed failed");
	dllb_reactive_unbecome(&as);

	/* the triggers, as the caller (the table's owner) */
	qualified = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
										   get_rel_name(relid));
	dllb_reactive_become(&as, GetUserId());
	for (i = 0; i < lengthof(feed_triggers); i++)
		if (!has_trigger(relid, feed_triggers[i][0]))
			if (SPI_execute(psprintf(feed_triggers[i][1], qualified), false, 0) != SPI_OK_UTILITY)
				elog(ERROR, "creating trigger %s failed", feed_triggers[i][0]);
	dllb_reactive_unbecome(&as);
	SPI_finish();
	CacheInvalidateRelcacheByRelid(relid);
	PG_RETURN_VOID();
}

/*
 * dllb.remove_changefeed(tbl) - drop a table's feed: its triggers, its
 * definition and its changes
 */
Datum
dllb_remove_changefeed(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	Oid			types[1] = {OIDOID};
	Datum		args[1];
	ReactiveAs	as;
	char	   *qualified;
	int			i;

	SPI_connect();
	check_feed_table(relid);
	LockRelationOid(relid, ShareRowExclusiveLock);
	qualified = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
										   get_rel_name(relid));
	dllb_reactive_become(&as, GetUserId());
	for (i = 0; i < lengthof(feed_triggers); i++)
		if (SPI_execute(psprintf("DROP TRIGGER IF EXISTS %s ON %s",
								 feed_triggers[i][0], qualified), false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "dropping trigger %s failed", feed_triggers[i][0]);
	dllb_reactive_unbecome(&as);
	dllb_reactive_become(&as, dllb_reactive_owner());
	args[0] = ObjectIdGetDatum(relid);
	if (SPI_execute_with_args("WITH d AS (DELETE FROM dllb.changefeeds WHERE tbl OPERATOR(pg_catalog.=) $1::regclass), "
							  "c AS (DELETE FROM dllb.change_commits WHERE tbl OPERATOR(pg_catalog.=) $1) "
							  "DELETE FROM dllb.changes WHERE tbl OPERATOR(pg_catalog.=) $1",
							  1, types, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "removing a change feed failed");
	dllb_reactive_unbecome(&as);
	SPI_finish();
	CacheInvalidateRelcacheByRelid(relid);
	PG_RETURN_VOID();
}

/* ------------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------------
 */

/*
 * dllb.show_changes(tbl, since, since_time, max_sets) - SHOW CHANGES FOR
 * TABLE t SINCE <versionstamp | datetime> [LIMIT n]: the change sets of
 * committed transactions from versionstamp since (or committed at or after
 * since_time), oldest first, each {"versionstamp": v, "changes": [...]}
 */
Datum
dllb_show_changes(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			relid;
	int64		since = PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1);
	int64		max_sets = PG_ARGISNULL(3) ? 100 : PG_GETARG_INT32(3);
	Oid			user = GetUserId();
	Oid			types[4] = {OIDOID, INT8OID, TIMESTAMPTZOID, INT8OID};
	Datum		args[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};
	ReactiveAs	as;
	uint64		i;
	int64		last;
	bool		is_called;
	bool		isnull;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("SHOW CHANGES needs a table")));
	relid = PG_GETARG_OID(0);
	if (PG_ARGISNULL(1) && PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("SHOW CHANGES needs SINCE a versionstamp or a datetime")));
	if (since < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("versionstamp %lld is negative", (long long) since)));
	if (max_sets < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("LIMIT of SHOW CHANGES must not be negative")));

	/* the records are the table's: every column of them, every row */
	if (pg_class_aclcheck(relid, user, ACL_SELECT) != ACLCHECK_OK &&
		pg_attribute_aclcheck_all(relid, user, ACL_SELECT, ACLMASK_ALL) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_TABLE, get_rel_name(relid));
	if (check_enable_rls(relid, InvalidOid, true) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("the change feed of table \"%s\" is not readable under row-level security",
						get_rel_name(relid)),
				 errdetail("A change feed holds every row's changes; only a role that row-level security does not restrict on the table (its owner, or a role with BYPASSRLS) may read it.")));

	SPI_connect();
	dllb_reactive_become(&as, dllb_reactive_owner());
	args[0] = ObjectIdGetDatum(relid);
	if (SPI_execute_with_args("SELECT retention::text FROM dllb.changefeeds WHERE tbl OPERATOR(pg_catalog.=) $1::regclass",
							  1, types, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading dllb.changefeeds failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table \"%s\" has no change feed", get_rel_name(relid)),
				 errhint("Define one with DEFINE TABLE %s CHANGEFEED <duration>.",
						 quote_identifier(get_rel_name(relid)))));
	if (SPI_execute("SELECT last_value, is_called FROM dllb.changefeed_versionstamp",
					true, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading the versionstamp sequence failed");
	last = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	is_called = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	if (!is_called)
		last = 0;
	if (since > last + 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("versionstamp %lld is in the future", (long long) since),
				 errdetail("The latest versionstamp is %lld.", (long long) last),
				 errhint("Resume from the last versionstamp read plus one.")));

	args[1] = Int64GetDatum(since);
	if (PG_ARGISNULL(2))
		nulls[2] = 'n';
	else
		args[2] = PG_GETARG_DATUM(2);
	args[3] = Int64GetDatum(max_sets);
	if (SPI_execute_with_args("SELECT pg_catalog.jsonb_build_object('versionstamp', m.vs, 'changes', x.changes) "
							  "FROM dllb.change_commits m, dllb.changefeeds f, "
							  "LATERAL (SELECT pg_catalog.jsonb_agg(c.change ORDER BY c.n) AS changes "
							  "  FROM dllb.changes c WHERE c.tbl OPERATOR(pg_catalog.=) m.tbl "
							  "  AND c.xid OPERATOR(pg_catalog.=) m.xid) x "
							  "WHERE m.tbl OPERATOR(pg_catalog.=) $1 AND f.tbl OPERATOR(pg_catalog.=) $1::regclass "
							  "AND m.vs OPERATOR(pg_catalog.>=) $2 "
							  "AND m.at OPERATOR(pg_catalog.>=) (pg_catalog.clock_timestamp() OPERATOR(pg_catalog.-) f.retention) "
							  "AND ($3 IS NULL OR m.at OPERATOR(pg_catalog.>=) $3) "
							  "AND x.changes IS NOT NULL "
							  "ORDER BY m.vs LIMIT $4",
							  4, types, args, nulls, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading a change feed failed");
	dllb_reactive_unbecome(&as);
	for (i = 0; i < SPI_processed; i++)
	{
		Datum		v = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &v, &isnull);
	}
	SPI_finish();
	return (Datum) 0;
}

/*
 * dllb.changefeed_prune() - delete every feed's change sets older than its
 * retention; returns how many were deleted
 */
Datum
dllb_changefeed_prune(PG_FUNCTION_ARGS)
{
	ReactiveAs	as;
	uint64		total = 0;
	uint64		i;
	SPITupleTable *feeds;
	uint64		nfeeds;

	SPI_connect();
	dllb_reactive_become(&as, dllb_reactive_owner());
	if (SPI_execute("SELECT tbl::oid, retention::text FROM dllb.changefeeds", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading dllb.changefeeds failed");
	feeds = SPI_tuptable;
	nfeeds = SPI_processed;
	for (i = 0; i < nfeeds; i++)
	{
		bool		isnull;
		Oid			relid = DatumGetObjectId(SPI_getbinval(feeds->vals[i], feeds->tupdesc, 1, &isnull));
		char	   *retention = SPI_getvalue(feeds->vals[i], feeds->tupdesc, 2);
		uint64		n;

		do
		{
			CHECK_FOR_INTERRUPTS();
			n = prune(relid, retention);
			total += n;
		} while (n == PRUNE_BATCH);
	}
	dllb_reactive_unbecome(&as);
	SPI_finish();
	PG_RETURN_INT64((int64) total);
}
