/*-------------------------------------------------------------------------
 *
 * event.c
 *	  DEFINE EVENT: dialect statements run after each change of a table.
 *
 * An event is an AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW trigger
 * named "<event> EVENT" (dllb.define_event makes it), so plain SQL writes
 * fire it as dialect ones do.  dllb.event_fire runs its statements through
 * dllb.query, in the writer's transaction and as the writer, with the
 * table's schema as the search path, and with
 *	  $event   'CREATE', 'UPDATE' or 'DELETE'
 *	  $before  the record before the change (NONE for CREATE)
 *	  $after   the record after it (NONE for DELETE)
 *	  $value   $after, or $before for DELETE
 * as SurrealQL binds them.  Table names in the statements are those of
 * the event's table's schema.  An error in the statements aborts the
 * write.
 *
 * An event that writes its own table fires itself again.  Events nest at
 * most DLLB_EVENT_MAX_DEPTH (16) deep, one inside another: deeper is an
 * error (statement_too_complex, 54001) that names the event, so such a
 * loop fails at once rather than exhausting the stack.
 *
 * IDENTIFICATION
 *	  src/reactive/event.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "model/model.h"
#include "reactive/reactive.h"

PG_FUNCTION_INFO_V1(dllb_event_fire);

int			dllb_event_depth = 0;

/* the error context of an event's statements */
static void
event_context(void *arg)
{
	TriggerData *td = (TriggerData *) arg;

	errcontext("event \"%s\" on table \"%s\"", td->tg_trigger->tgargs[0],
			   RelationGetRelationName(td->tg_relation));
}

/* key: value in an object being built (a NULL value is NONE: null) */
static void
push_pair(JsonbParseState **ps, const char *key, Jsonb *value, const char *string)
{
	JsonbValue	k;
	JsonbValue	v;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(ps, WJB_KEY, &k);
	if (string)
	{
		v.type = jbvString;
		v.val.string.val = (char *) string;
		v.val.string.len = strlen(string);
	}
	else if (value)
	{
		v.type = jbvBinary;
		v.val.binary.data = &value->root;
		v.val.binary.len = VARSIZE(value) - VARHDRSZ;
	}
	else
		v.type = jbvNull;
	pushJsonbValue(ps, WJB_VALUE, &v);
}

/*
 * dllb.event_fire(name, statements) - trigger of DEFINE EVENT: run the
 * event's dialect statements with $event, $before, $after and $value
 */
Datum
dllb_event_fire(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	desc;
	RecordDocState *doc;
	Jsonb	   *before = NULL;
	Jsonb	   *after = NULL;
	const char *event;
	JsonbParseState *ps = NULL;
	Jsonb	   *params;
	static SPIPlanPtr plan = NULL;
	Oid			types[2] = {TEXTOID, JSONBOID};
	Datum		args[2];
	ErrorContextCallback errcb;
	DllbSchemaFrame frame;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || td->tg_trigger->tgnargs != 2)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("dllb.event_fire(name, statements) must be an AFTER ... FOR EACH ROW trigger")));
	rel = td->tg_relation;
	if (dllb_event_depth >= DLLB_EVENT_MAX_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_STATEMENT_TOO_COMPLEX),
				 errmsg("event \"%s\" on table \"%s\" nested more than %d deep",
						td->tg_trigger->tgargs[0], RelationGetRelationName(rel),
						DLLB_EVENT_MAX_DEPTH),
				 errdetail("Each change an event makes can fire events in turn; an event that writes its own table fires itself again."),
				 errhint("Give the event a WHEN condition that its own write does not meet.")));

	desc = RelationGetDescr(rel);
	doc = dllb_record_doc_for(rel);
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		event = "CREATE";
		after = dllb_record_doc(doc, desc, td->tg_trigtuple);
	}
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		event = "UPDATE";
		before = dllb_record_doc(doc, desc, td->tg_trigtuple);
		after = dllb_record_doc(doc, desc, td->tg_newtuple);
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		event = "DELETE";
		before = dllb_record_doc(doc, desc, td->tg_trigtuple);
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("dllb.event_fire() fires for INSERT, UPDATE and DELETE")));
	pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	push_pair(&ps, "event", NULL, event);
	push_pair(&ps, "before", before, NULL);
	push_pair(&ps, "after", after, NULL);
	push_pair(&ps, "value", after ? after : before, NULL);
	params = JsonbValueToJsonb(pushJsonbValue(&ps, WJB_END_OBJECT, NULL));

	errcb.callback = event_context;
	errcb.arg = td;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	dllb_event_depth++;
	/* the statements name tables of the event's table's schema */
	dllb_dialect_schema_push(&frame);
	frame.name = MemoryContextStrdup(TopTransactionContext,
									 get_namespace_name(RelationGetNamespace(rel)));
	PG_TRY();
	{
		SPI_connect();
		args[0] = CStringGetTextDatum(td->tg_trigger->tgargs[1]);
		args[1] = JsonbPGetDatum(params);
		if (SPI_execute_plan(dllb_reactive_plan(&plan,
												"SELECT pg_catalog.count(*) FROM dllb.query($1, $2)",
												2, types),
							 args, NULL, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "running an event failed");
		SPI_finish();
	}
	PG_FINALLY();
	{
		dllb_dialect_schema_pop(&frame);
		dllb_event_depth--;
	}
	PG_END_TRY();
	error_context_stack = errcb.previous;
	return PointerGetDatum(NULL);
}
