/*-------------------------------------------------------------------------
 *
 * reactive_init.c
 *	  Load-time setup of the reactive layer: its GUC, the relcache callback
 *	  that forgets cached change feeds and live queries of a table, and the
 *	  transaction callbacks that end per-transaction state.
 *
 * IDENTIFICATION
 *	  src/reactive/reactive_init.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "utils/guc.h"
#include "utils/inval.h"

#include "reactive/reactive.h"

int			dllb_changefeed_prune_interval = 1000;

/* a table changed (or every table, relid InvalidOid): forget what is cached */
static void
reactive_relcache_callback(Datum arg, Oid relid)
{
	dllb_record_doc_forget(relid);
	dllb_changefeed_forget(relid);
	dllb_live_forget(relid);
}

static void
reactive_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			dllb_changefeed_xact_end();
			dllb_record_doc_xact_end();
			dllb_live_xact_end();
			dllb_event_depth = 0;
			break;
		default:
			break;
	}
}

static void
reactive_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						  SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_COMMIT_SUB)
		dllb_changefeed_subxact_end(mySubid, parentSubid, true);
	else if (event == SUBXACT_EVENT_ABORT_SUB)
		dllb_changefeed_subxact_end(mySubid, parentSubid, false);
}

void
dllb_reactive_init(void)
{
	DefineCustomIntVariable("dllb.changefeed_prune_interval",
							"Least time between two prunings of a change feed by one session.",
							"A commit that writes a change feed first deletes the changes older "
							"than the feed's retention, at most this often per session and table "
							"(0: at every commit).",
							&dllb_changefeed_prune_interval,
							1000, 0, 3600 * 1000,
							PGC_USERSET, GUC_UNIT_MS,
							NULL, NULL, NULL);
	CacheRegisterRelcacheCallback(reactive_relcache_callback, (Datum) 0);
	RegisterXactCallback(reactive_xact_callback, NULL);
	RegisterSubXactCallback(reactive_subxact_callback, NULL);
}
