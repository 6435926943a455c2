/*-------------------------------------------------------------------------
 *
 * table_catalog.c
 *	  The dllb.tables catalog and what keeps it right under many roles:
 *	  registering a table, serializing the first write that creates a
 *	  table, and removing a record's edges when it is deleted.
 *
 * dllb.tables says which tables are document or edge tables.  Every role
 * may read it; no role may write it directly.  dllb.register_table writes
 * an entry for a table the calling role owns (as the catalog's owner, the
 * way a foreign key's trigger acts as the referencing table's owner), and
 * the sql_drop event trigger (SECURITY DEFINER, in the install script)
 * removes the entries of dropped tables.  So any role with CREATE on a
 * schema can make dialect tables there, and none can change another's.
 *
 * Two sessions writing first to the same new table both try to create it;
 * dllb.lock_name serializes them on the table's name (a transaction lock)
 * and makes the later one see the table the first one committed.
 *
 * A record's edges go with it: an AFTER DELETE statement trigger on every
 * dialect table deletes, from each edge table of the same schema, the
 * edges whose "in" or out is a deleted record, as that edge table's owner
 * (so a role that may delete a record may delete its edges, as ON DELETE
 * CASCADE does).
 *
 * IDENTIFICATION
 *	  src/model/table_catalog.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "model/model.h"

PG_FUNCTION_INFO_V1(dllb_dialect_schema);
PG_FUNCTION_INFO_V1(dllb_register_table);
PG_FUNCTION_INFO_V1(dllb_lock_name);
PG_FUNCTION_INFO_V1(dllb_delete_edges);

/* field4 of the advisory lock tags dllb.lock_name takes ("db") */
#define DLLB_NAME_LOCK_FIELD4 0x6462

/* the innermost dllb.query call's frame, or NULL outside any */
static DllbSchemaFrame *schema_frame = NULL;

/* the current schema (current_schema()), or NULL */
static char *
current_schema_name(void)
{
	List	   *path = fetch_search_path(false);
	char	   *name = NULL;

	if (path != NIL)
		name = get_namespace_name(linitial_oid(path));
	list_free(path);
	return name;
}

/*
 * dllb_dialect_schema_push - a dllb.query call begins: it keeps the
 * schema of the outermost call, else the current one (call before
 * pinning search_path)
 */
void
dllb_dialect_schema_push(DllbSchemaFrame *frame)
{
	frame->name = schema_frame ? schema_frame->name : current_schema_name();
	if (frame->name != NULL)
		frame->name = MemoryContextStrdup(TopTransactionContext, frame->name);
	frame->outer = schema_frame;
	schema_frame = frame;
}

/* dllb_dialect_schema_pop - the call ends (normally or by an error) */
void
dllb_dialect_schema_pop(DllbSchemaFrame *frame)
{
	schema_frame = frame->outer;
}

/* the schema dllb.dialect_schema() names, or NULL */
char *
dllb_dialect_schema_name(void)
{
	return schema_frame ? schema_frame->name : current_schema_name();
}

/* is a dllb.query call running? */
bool
dllb_dialect_schema_active(void)
{
	return schema_frame != NULL;
}

/* its namespace, or InvalidOid */
Oid
dllb_dialect_namespace(void)
{
	char	   *name = dllb_dialect_schema_name();

	return name ? get_namespace_oid(name, true) : InvalidOid;
}

/*
 * dllb.dialect_schema() - the schema in which the dialect looks up and
 * creates tables
 */
Datum
dllb_dialect_schema(PG_FUNCTION_ARGS)
{
	char	   *name = dllb_dialect_schema_name();

	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}

/* the owner of a relation */
static Oid
relation_owner(Oid relid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/*
 * run sql with args as role (SPI is connected), as a foreign key's
 * trigger runs its queries: a local user id change, row-level security
 * not forced on the role's own tables
 */
static void
run_as(Oid role, const char *sql, int nargs, Oid *types, Datum *values, int expect)
{
	Oid			save_user;
	int			save_sec;
	int			rc;

	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(role, save_sec | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_NOFORCE_RLS);
	PG_TRY();
	{
		rc = SPI_execute_with_args(sql, nargs, types, values, NULL, false, 0);
		if (rc != expect)
			elog(ERROR, "dllb: \"%s\" failed: %s", sql, SPI_result_code_string(rc));
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec);
	}
	PG_END_TRY();
}

/*
 * dllb.register_table(tbl regclass, kind text, schemafull bool): record a
 * table the current user owns as a dialect table of that kind
 */
Datum
dllb_register_table(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	char	   *kind = text_to_cstring(PG_GETARG_TEXT_PP(1));
	bool		schemafull = PG_GETARG_BOOL(2);
	Oid			catalog;
	Oid			types[3] = {OIDOID, TEXTOID, BOOLOID};
	Datum		values[3];

	(void) relation_owner(relid);
	if (strcmp(kind, "document") != 0 && strcmp(kind, "edge") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a dllb table is of kind \"document\" or \"edge\", not \"%s\"", kind)));
	if (get_rel_relkind(relid) != RELKIND_RELATION)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table", get_rel_name(relid))));
	dllb_check_owner(relid);

	catalog = get_relname_relid("tables", get_namespace_oid(DLLB_SCHEMA_NAME, false));
	if (!OidIsValid(catalog))
		elog(ERROR, "dllb.tables is missing");
	values[0] = ObjectIdGetDatum(relid);
	values[1] = PointerGetDatum(PG_GETARG_TEXT_PP(1));
	values[2] = BoolGetDatum(schemafull);
	SPI_connect();
	run_as(relation_owner(catalog),
		   "INSERT INTO dllb.tables AS t (tbl, kind, schemafull) VALUES ($1::pg_catalog.regclass, $2, $3) "
		   "ON CONFLICT (tbl) DO UPDATE SET kind = EXCLUDED.kind, schemafull = EXCLUDED.schemafull",
		   3, types, values, SPI_OK_INSERT);
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * dllb.lock_name(kind text, schema text, name text): take, until the end
 * of the transaction, a lock on the name of an object a dialect statement
 * may create (a table, an analyzer), then see every catalog change
 * committed before it was granted
 */
Datum
dllb_lock_name(PG_FUNCTION_ARGS)
{
	text	   *kind = PG_GETARG_TEXT_PP(0);
	text	   *nsp = PG_GETARG_TEXT_PP(1);
	text	   *name = PG_GETARG_TEXT_PP(2);
	uint32		h1;
	uint32		h2;
	LOCKTAG		tag;

	h1 = hash_bytes((const unsigned char *) VARDATA_ANY(kind), VARSIZE_ANY_EXHDR(kind)) ^
		hash_bytes((const unsigned char *) VARDATA_ANY(nsp), VARSIZE_ANY_EXHDR(nsp));
	h2 = hash_bytes((const unsigned char *) VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, h1, h2, DLLB_NAME_LOCK_FIELD4);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
	AcceptInvalidationMessages();
	PG_RETURN_VOID();
}

/* the column number of "id" in rel's rows */
static int
id_column(TupleDesc desc)
{
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (!a->attisdropped && strcmp(NameStr(a->attname), "id") == 0)
			return i + 1;
	}
	return 0;
}

/*
 * dllb.delete_edges() - AFTER DELETE ... FOR EACH STATEMENT REFERENCING
 * OLD TABLE on a dialect table: delete the edges of the deleted records
 */
Datum
dllb_delete_edges(PG_FUNCTION_ARGS)
{
	TriggerData *trig = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	desc;
	TupleTableSlot *slot;
	int			idcol;
	Datum	   *ids;
	int			nids = 0;
	int			cap = 64;
	Oid			record_type;
	ArrayType  *arr;
	Oid			types[1];
	Datum		values[1];
	Oid			nsptypes[1] = {OIDOID};
	Datum		nspvalues[1];
	uint64		i;
	SPITupleTable *edges;
	uint64		nedges;
	int			rc;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BY_DELETE(trig->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(trig->tg_event) || trig->tg_oldtable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("dllb.delete_edges() runs only as an AFTER DELETE statement trigger with an OLD TABLE")));
	rel = trig->tg_relation;
	desc = RelationGetDescr(rel);
	idcol = id_column(desc);
	if (idcol == 0)
		return PointerGetDatum(NULL);
	record_type = TupleDescAttr(desc, idcol - 1)->atttypid;

	/* the deleted records' ids */
	ids = palloc(sizeof(Datum) * cap);
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	tuplestore_rescan(trig->tg_oldtable);
	while (tuplestore_gettupleslot(trig->tg_oldtable, true, false, slot))
	{
		bool		isnull;
		Datum		d = slot_getattr(slot, idcol, &isnull);

		CHECK_FOR_INTERRUPTS();
		if (isnull)
			continue;
		if (nids == cap)
		{
			cap *= 2;
			ids = repalloc_huge(ids, sizeof(Datum) * cap);
		}
		ids[nids++] = datumCopy(d, false, -1);
	}
	ExecDropSingleTupleTableSlot(slot);
	if (nids == 0)
		return PointerGetDatum(NULL);
	{
		int16		typlen;
		bool		typbyval;
		char		typalign;

		get_typlenbyvalalign(record_type, &typlen, &typbyval, &typalign);
		arr = construct_array(ids, nids, record_type, typlen, typbyval, typalign);
	}
	types[0] = get_array_type(record_type);
	values[0] = PointerGetDatum(arr);

	SPI_connect();
	nspvalues[0] = ObjectIdGetDatum(RelationGetNamespace(rel));
	rc = SPI_execute_with_args("SELECT pg_catalog.quote_ident(n.nspname), pg_catalog.quote_ident(c.relname), c.relowner "
							   "FROM dllb.tables t JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) t.tbl "
							   "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
							   "WHERE t.kind OPERATOR(pg_catalog.=) 'edge' AND c.relnamespace OPERATOR(pg_catalog.=) $1",
							   1, nsptypes, nspvalues, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "dllb: reading dllb.tables failed: %s", SPI_result_code_string(rc));
	edges = SPI_tuptable;
	nedges = SPI_processed;
	for (i = 0; i < nedges; i++)
	{
		HeapTuple	tup = edges->vals[i];
		char	   *nsp = SPI_getvalue(tup, edges->tupdesc, 1);
		char	   *name = SPI_getvalue(tup, edges->tupdesc, 2);
		bool		isnull;
		Oid			owner = DatumGetObjectId(SPI_getbinval(tup, edges->tupdesc, 3, &isnull));

		CHECK_FOR_INTERRUPTS();
		run_as(owner,
			   psprintf("DELETE FROM ONLY %s.%s WHERE \"in\" OPERATOR(pg_catalog.=) ANY ($1) "
						"OR out OPERATOR(pg_catalog.=) ANY ($1)", nsp, name),
			   1, types, values, SPI_OK_DELETE);
	}
	SPI_finish();
	return PointerGetDatum(NULL);
}
