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

/* SurrealDB's tokenizers (bits) and filters, for dllb.surreal(...) analyzers */
#define DLLB_TOK_BLANK 1
#define DLLB_TOK_CLASS 2
#define DLLB_TOK_CAMEL 4
#define DLLB_TOK_PUNCT 8
#define DLLB_MAX_FILTERS 8

typedef struct DllbFilter
{
	char		kind;			/* l lowercase, u uppercase, a ascii, n ngram,
								 * e edgengram, s snowball */
	int			min;			/* n-grams: lengths */
	int			max;
	Oid			dict;			/* snowball: its dictionary */
} DllbFilter;

/* A resolved analyzer name. */
typedef struct DllbAnalyzer
{
	Oid			cfg;			/* text search configuration */
	bool		code;			/* split with the dllb.code tokenizer first */
	bool		surreal;		/* SurrealDB's tokenizers and filters below */
	int			tokenizers;		/* DLLB_TOK_* bits (0: the text is one token) */
	int			nfilters;
	DllbFilter	filters[DLLB_MAX_FILTERS];
} DllbAnalyzer;

typedef struct DllbLexeme
{
	char	   *text;
	int			len;
	int			position;		/* 1-based */
} DllbLexeme;

/* a term a dllb.surreal analyzer made, with where its token is */
typedef struct DllbSurrealTerm
{
	char	   *text;
	int			len;
	int			tstart;			/* its token's byte range in the input */
	int			tend;
	int			gen_start;		/* chars into the token where the term starts (n-grams) */
	int			token;			/* the token's number, from 0 */
} DllbSurrealTerm;

extern void dllb_analyzer_resolve(const char *name, DllbAnalyzer *an);
extern void dllb_analyzer_resolve_option(const char *name, DllbAnalyzer *an);
extern void dllb_analyzer_surreal(DllbAnalyzer *an);
extern int	dllb_analyze_text(const DllbAnalyzer *an, const char *text, int len,
							  DllbLexeme **lexemes);
extern int	dllb_analyze_query(const DllbAnalyzer *an, const char *text, int len,
							   DllbLexeme **lexemes);
extern int	dllb_surreal_terms(const DllbAnalyzer *an, const char *text, int len,
							   bool query, DllbSurrealTerm **terms);

#endif							/* DLLB_ANALYZER_H */
