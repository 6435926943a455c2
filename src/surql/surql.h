/*-------------------------------------------------------------------------
 *
 * surql.h
 *	  Public interface of the surql layer: the SurrealQL-style dialect: lexer, parser, translator, executor.
 *
 * IDENTIFICATION
 *	  src/surql/surql.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_SURQL_H
#define DLLB_SURQL_H

#include "dllb.h"

#endif							/* DLLB_SURQL_H */
