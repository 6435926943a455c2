/*-------------------------------------------------------------------------
 *
 * dllb.h
 *	  Definitions shared by every layer of dllb.
 *
 * dllb is one shared library with five layers, each in its own folder
 * under src/ (see doc/architecture.md): surql (the dialect), model (record
 * ids, documents, edges, traversal), vector (vector type and dllb_hnsw),
 * fulltext (analyzers and dllb_bm25) and tableam (the dllb table access
 * method).  Each layer exposes one header named after it and an init
 * function that _PG_init calls once when the library is loaded.
 *
 * Naming rule: PostgreSQL 15 exports every global symbol of a loaded
 * library, so every function or variable that is not static carries the
 * prefix "dllb_" (SQL-callable C functions included), and pgvector or any
 * other extension in the same backend can never take over one of our calls.
 * The test command checks this with nm.
 *
 * IDENTIFICATION
 *	  src/dllb.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_H
#define DLLB_H

#include "compat.h"
#include "utils/relcache.h"

#ifndef DLLB_VERSION
#error "DLLB_VERSION must be defined by the build (read from dllb.control)"
#endif

/* Schema that holds every SQL object of the extension. */
#define DLLB_SCHEMA_NAME "dllb"

/* Prefix of every GUC; reserved at load so typos get a warning. */
#define DLLB_GUC_PREFIX "dllb"

/* Per-layer initialisation, called from _PG_init in src/dllb.c. */
extern void dllb_tableam_init(void);
extern void dllb_model_init(void);
extern void dllb_vector_init(void);
extern void dllb_fulltext_init(void);
extern void dllb_surql_init(void);

/*
 * Privilege checks of functions that read an index or table themselves
 * (src/privileges.c).
 */
extern Relation dllb_open_index(Oid indexoid, const char *amname);
extern void dllb_check_index_readable(Relation index);
extern void dllb_check_owner(Oid relid);

/*
 * One row (check text, ok boolean, detail text) of an index AM's verify
 * function: dllb.hnsw_verify and dllb.bm25_verify report alike.
 */
struct ReturnSetInfo;
extern void dllb_verify_row(struct ReturnSetInfo *rsinfo, const char *check, bool ok,
							const char *detail);

#endif							/* DLLB_H */
