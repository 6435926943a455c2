/*-------------------------------------------------------------------------
 *
 * dllb.c
 *	  Library entry point: module magic, _PG_init, dllb.version().
 *
 * _PG_init reserves the "dllb" GUC prefix and lets each layer register its
 * GUCs, hooks and kernels.  It runs once per backend that loads the library.
 *
 * IDENTIFICATION
 *	  src/dllb.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "dllb.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/*
 * _PG_init - load-time setup of every layer, lowest layer first.
 */
void
_PG_init(void)
{
	dllb_tableam_init();
	dllb_model_init();
	dllb_vector_init();
	dllb_fulltext_init();
	dllb_surql_init();
	dllb_reactive_init();

	MarkGUCPrefixReserved(DLLB_GUC_PREFIX);
}

PG_FUNCTION_INFO_V1(dllb_version);

/*
 * dllb.version() - the version compiled into the library.
 *
 * sql/extension.sql checks that it equals pg_extension.extversion, so a
 * library and an install script from different builds cannot go unnoticed.
 */
Datum
dllb_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(DLLB_VERSION));
}

/* dllb_verify_row - a row of a verify function's result (see dllb.h) */
void
dllb_verify_row(ReturnSetInfo *rsinfo, const char *check, bool ok, const char *detail)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	values[0] = CStringGetTextDatum(check);
	values[1] = BoolGetDatum(ok);
	values[2] = CStringGetTextDatum(detail);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}
