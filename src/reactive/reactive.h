/*-------------------------------------------------------------------------
 *
 * reactive.h
 *	  Public interface of the reactive layer: LIVE SELECT, DEFINE EVENT and
 *	  change feeds, on PostgreSQL's triggers and LISTEN/NOTIFY.
 *
 * The layer sits above the dialect (src/surql): a live query is a dialect
 * SELECT that this layer has translated into SQL over one table, an event
 * runs dialect statements, and the dialect's LIVE, KILL, DEFINE EVENT and
 * SHOW CHANGES statements become calls of this layer's SQL functions.
 * doc/reactivity.md says why triggers and NOTIFY rather than logical
 * decoding, and what each feature guarantees.
 *
 * Files:
 *	  reactive_init.c	GUCs and the transaction callbacks
 *	  reactive_exec.c	running dllb's own SQL as the extension's owner
 *	  record_doc.c		a row as the dialect returns it (jsonb)
 *	  changefeed.c		change feeds: capture, commit stamps, SHOW CHANGES,
 *						retention
 *	  event.c			DEFINE EVENT's trigger
 *	  live_registry.c	LIVE SELECT and KILL: the registry of live queries,
 *						and their end with the session
 *	  live_notify.c		the trigger that evaluates live queries for each
 *						change and sends the notifications
 *	  dropped.c			a dropped table's live queries and feed go with it
 *
 * IDENTIFICATION
 *	  src/reactive/reactive.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_REACTIVE_H
#define DLLB_REACTIVE_H

#include "dllb.h"

#include "access/htup.h"
#include "access/tupdesc.h"
#include "executor/spi.h"
#include "utils/jsonb.h"

/* reactive_init.c */
extern int	dllb_changefeed_prune_interval;	/* ms; GUC */

/* reactive_exec.c: dllb's own SQL, run as the owner of schema dllb */
typedef struct ReactiveAs
{
	Oid			saved_user;
	int			saved_sec;
	int			nestlevel;
} ReactiveAs;

extern Oid	dllb_reactive_owner(void);
extern Oid	dllb_reactive_rel_owner(Oid relid);
extern void dllb_reactive_become(ReactiveAs *as, Oid role);
extern void dllb_reactive_unbecome(ReactiveAs *as);
extern SPIPlanPtr dllb_reactive_plan(SPIPlanPtr *slot, const char *sql, int nargs,
									 const Oid *types);
extern Oid	dllb_reactive_vector_type(void);

/* record_doc.c */
typedef struct RecordDocState RecordDocState;
extern RecordDocState *dllb_record_doc_state(TupleDesc desc, MemoryContext cxt);
extern Jsonb *dllb_record_doc(RecordDocState *st, TupleDesc desc, HeapTuple tup);
extern char *dllb_record_id_text(TupleDesc desc, HeapTuple tup);
struct RelationData;
extern RecordDocState *dllb_record_doc_for(struct RelationData *rel);
extern void dllb_record_doc_forget(Oid relid);
extern void dllb_record_doc_xact_end(void);

/* changefeed.c */
extern void dllb_changefeed_xact_end(void);
extern void dllb_changefeed_subxact_end(SubTransactionId mySubid,
										SubTransactionId parentSubid, bool commit);
extern void dllb_changefeed_forget(Oid relid);

/* event.c */
extern int	dllb_event_depth;	/* events running now, one inside another */

#define DLLB_EVENT_MAX_DEPTH 16

/* live_registry.c and live_notify.c */
extern void dllb_live_forget(Oid relid);
extern void dllb_live_xact_end(void);

#endif							/* DLLB_REACTIVE_H */
