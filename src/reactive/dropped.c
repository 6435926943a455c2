/*-------------------------------------------------------------------------
 *
 * dropped.c
 *	  A dropped table takes its live queries and its change feed with it.
 *
 * dllb.reactive_forget_dropped is an sql_drop event trigger.  The role
 * that drops a table may not write dllb's own tables, so it deletes the
 * dropped tables' rows from them as the owner of schema dllb (a
 * security-restricted operation, as the rest of the layer does), not as a
 * SECURITY DEFINER function.
 *
 * IDENTIFICATION
 *	  src/reactive/dropped.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/event_trigger.h"
#include "fmgr.h"

#include "reactive/reactive.h"

PG_FUNCTION_INFO_V1(dllb_reactive_forget_dropped);

Datum
dllb_reactive_forget_dropped(PG_FUNCTION_ARGS)
{
	ReactiveAs	as;
	Oid			types[1] = {OIDARRAYOID};
	Datum		args[1];
	bool		isnull;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("dllb.reactive_forget_dropped() must be an event trigger")));
	SPI_connect();
	/* the dropped tables, read as the dropping role (the function needs it) */
	if (SPI_execute("SELECT pg_catalog.array_agg(d.objid) FROM pg_catalog.pg_event_trigger_dropped_objects() d "
					"WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass "
					"AND d.objsubid OPERATOR(pg_catalog.=) 0", true, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading the dropped objects failed");
	args[0] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull)
	{
		dllb_reactive_become(&as, dllb_reactive_owner());
		if (SPI_execute_with_args("WITH p AS (DELETE FROM dllb.live_payloads p USING dllb.live_queries q "
								  "  WHERE q.id OPERATOR(pg_catalog.=) p.lq AND q.tbl OPERATOR(pg_catalog.=) ANY ($1)), "
								  "l AS (DELETE FROM dllb.live_queries WHERE tbl OPERATOR(pg_catalog.=) ANY ($1)), "
								  "f AS (DELETE FROM dllb.changefeeds WHERE tbl::pg_catalog.oid OPERATOR(pg_catalog.=) ANY ($1)), "
								  "m AS (DELETE FROM dllb.change_commits WHERE tbl OPERATOR(pg_catalog.=) ANY ($1)) "
								  "DELETE FROM dllb.changes WHERE tbl OPERATOR(pg_catalog.=) ANY ($1)",
								  1, types, args, NULL, false, 0) != SPI_OK_DELETE)
			elog(ERROR, "forgetting dropped tables failed");
		dllb_reactive_unbecome(&as);
	}
	SPI_finish();
	PG_RETURN_VOID();
}
