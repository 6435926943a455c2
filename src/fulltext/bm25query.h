/*-------------------------------------------------------------------------
 *
 * bm25query.h
 *	  The dllb.bm25query type: parsed full-text queries.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25query.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_BM25QUERY_H
#define DLLB_BM25QUERY_H

#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

#include "lib/stringinfo.h"

typedef enum DllbQueryOccur
{
	DLLB_OCCUR_SHOULD = 0,		/* plain term: OR, ranked */
	DLLB_OCCUR_MUST,			/* +term */
	DLLB_OCCUR_MUST_NOT			/* -term */
} DllbQueryOccur;

typedef enum DllbQueryKind
{
	DLLB_QUERY_TERM = 0,
	DLLB_QUERY_PHRASE,			/* "quoted words" */
	DLLB_QUERY_PREFIX			/* term* */
} DllbQueryKind;

typedef struct DllbQueryItem
{
	DllbQueryOccur occur;
	DllbQueryKind kind;
	char	   *text;			/* palloc'd, NUL-terminated, unescaped */
} DllbQueryItem;

typedef enum DllbQueryError
{
	DLLB_QUERY_OK = 0,
	DLLB_QUERY_EMPTY,
	DLLB_QUERY_UNTERMINATED,
	DLLB_QUERY_EMPTY_PHRASE,
	DLLB_QUERY_LONE_OPERATOR,
	DLLB_QUERY_LONE_STAR,
	DLLB_QUERY_ONLY_EXCLUDED,
	DLLB_QUERY_TOO_LONG
} DllbQueryError;

/* Longest query text, in bytes. */
#define DLLB_QUERY_MAX_LEN (64 * 1024)

extern DllbQueryError dllb_bm25query_parse(const char *in, int len,
										   DllbQueryItem **items, int *nitems,
										   int *errpos);
extern const char *dllb_bm25query_error_message(DllbQueryError err);
extern void dllb_bm25query_format(const DllbQueryItem *items, int nitems,
								  StringInfo out);

#endif							/* DLLB_BM25QUERY_H */
