/*-------------------------------------------------------------------------
 *
 * live.h
 *	  Live queries: what live_registry.c and live_notify.c share.
 *
 * IDENTIFICATION
 *	  src/reactive/live.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_REACTIVE_LIVE_H
#define DLLB_REACTIVE_LIVE_H

#include "utils/guc_tables.h"

/* a live query's channel: this prefix and its id (uuid text) */
#define DLLB_LIVE_CHANNEL_PREFIX "dllb_live_"

/* live_registry.c */
extern void dllb_live_channel(const char *id, char *channel);
extern char *dllb_live_register(Oid relid, const char *query, const char *cond_sql,
								const char *proj_sql, bool diff);

/* every GUC variable of the session, and how many */
static inline struct config_generic **
dllb_guc_variables(int *n)
{
#if PG_VERSION_NUM >= 160000
	return get_guc_variables(n);
#else
	*n = GetNumConfigOptions();
	return get_guc_variables();
#endif
}

#endif							/* DLLB_REACTIVE_LIVE_H */
