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

/*
 * The schema dialect tables are looked up and created in (table_catalog.c):
 * while a dllb.query call runs, the caller's current schema when the
 * outermost call began (the call pushes a frame); otherwise the current
 * schema.
 */
typedef struct DllbSchemaFrame
{
	char	   *name;			/* NULL when no schema of the path exists */
	struct DllbSchemaFrame *outer;
} DllbSchemaFrame;

extern void dllb_dialect_schema_push(DllbSchemaFrame *frame);
extern void dllb_dialect_schema_pop(DllbSchemaFrame *frame);
extern char *dllb_dialect_schema_name(void);
extern Oid	dllb_dialect_namespace(void);
extern bool dllb_dialect_schema_active(void);

#endif							/* DLLB_MODEL_H */
