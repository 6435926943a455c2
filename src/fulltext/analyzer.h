/*-------------------------------------------------------------------------
 *
 * analyzer.h
 *	  Analyzers: text -> (lexeme, position) with a PostgreSQL text search
 *	  configuration, or with the dllb.code tokenizer followed by one.
 *
 * IDENTIFICATION
 *	  src/fulltext/analyzer.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_ANALYZER_H
#define DLLB_ANALYZER_H

#include "postgres.h"

#include "dllb.h"

/* A resolved analyzer name. */
typedef struct DllbAnalyzer
{
	Oid			cfg;			/* text search configuration */
	bool		code;			/* split with the dllb.code tokenizer first */
} DllbAnalyzer;

typedef struct DllbLexeme
{
	char	   *text;
	int			len;
	int			position;		/* 1-based */
} DllbLexeme;

extern void dllb_analyzer_resolve(const char *name, DllbAnalyzer *an);
extern void dllb_analyzer_resolve_option(const char *name, DllbAnalyzer *an);
extern int	dllb_analyze_text(const DllbAnalyzer *an, const char *text, int len,
							  DllbLexeme **lexemes);

#endif							/* DLLB_ANALYZER_H */
