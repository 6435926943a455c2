/*-------------------------------------------------------------------------
 *
 * surql_init.c
 *	  Load-time setup of the surql layer (the SurrealQL-style dialect: lexer, parser, translator, executor).
 *
 * IDENTIFICATION
 *	  src/surql/surql_init.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "surql/surql.h"

/*
 * dllb_surql_init - register the layer's GUCs and hooks; called by _PG_init.
 */
void
dllb_surql_init(void)
{
}
