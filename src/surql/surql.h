/*-------------------------------------------------------------------------
 *
 * surql.h
 *	  Public interface of the surql layer: the SurrealQL-style dialect.
 *
 * Built so far: the lexer (lexer.c) and dllb.surql_tokens.  The parser,
 * translator and executor (dllb.query, dllb.explain) come next.
 *
 * IDENTIFICATION
 *	  src/surql/surql.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_SURQL_H
#define DLLB_SURQL_H

#include "dllb.h"
#include "surql/lexer.h"

/* lex_tokens.c */
extern char *dllb_surql_excerpt(const char *in, int len, int off, int col);
extern void dllb_surql_lex_or_error(const char *in, int len, SurqlLexResult *res);

/* parse_funcs.c */
struct SurqlParse;
extern void dllb_surql_parse_or_error(const char *in, int len, struct SurqlParse *res);

#endif							/* DLLB_SURQL_H */
