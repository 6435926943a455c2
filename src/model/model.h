/*-------------------------------------------------------------------------
 *
 * model.h
 *	  Public interface of the model layer: record ids, document and edge
 *	  tables, graph traversal.
 *
 * IDENTIFICATION
 *	  src/model/model.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_MODEL_H
#define DLLB_MODEL_H

#include "dllb.h"
#include "fmgr.h"

struct DllbRecord;

/* Fetch a dllb.record argument, detoasted to its 4-byte-header form. */
#define DatumGetDllbRecord(d)	((struct DllbRecord *) PG_DETOAST_DATUM(d))
#define PG_GETARG_DLLB_RECORD(n)	DatumGetDllbRecord(PG_GETARG_DATUM(n))

extern struct DllbRecord *dllb_record_from_cstring(const char *str);
extern char *dllb_record_to_cstring(const struct DllbRecord *rec);

#endif							/* DLLB_MODEL_H */
