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

/*
 * A dllb.bm25query datum is the query's canonical text, or, when the
 * planner has bound the query to the dllb_bm25 index whose analyzer and
 * statistics its operators use (bm25_plan.c), a NUL byte and that index's
 * OID (4 bytes, unaligned) before the text.  The text of a query is never
 * empty and holds no NUL, so the two cannot be confused.  The text form
 * and the binary send form carry the text only.
 */
#define DLLB_BM25QUERY_BOUND_HEADER (1 + (int) sizeof(uint32))

static inline bool
dllb_bm25query_is_bound(const char *data, int len)
{
	return len > DLLB_BM25QUERY_BOUND_HEADER && data[0] == '\0';
}

/* the query text of a datum's data (VARDATA_ANY) of len bytes */
static inline const char *
dllb_bm25query_body(const char *data, int len, int *bodylen, uint32 *index)
{
	if (dllb_bm25query_is_bound(data, len))
	{
		if (index)
			memcpy(index, data + 1, sizeof(uint32));
		*bodylen = len - DLLB_BM25QUERY_BOUND_HEADER;
		return data + DLLB_BM25QUERY_BOUND_HEADER;
	}
	if (index)
		*index = 0;
	*bodylen = len;
	return data;
}

#ifndef FRONTEND
extern text *dllb_bm25query_bound(text *query, Oid index);

/* parse a bm25query datum's text (bound or not) */
#define dllb_bm25query_parse_datum(query, items, nitems, errpos) \
	dllb_bm25query_parse_body(VARDATA_ANY(query), VARSIZE_ANY_EXHDR(query), \
							  (items), (nitems), (errpos))

static inline DllbQueryError
dllb_bm25query_parse_body(const char *data, int len, DllbQueryItem **items,
						  int *nitems, int *errpos)
{
	int			bodylen;
	const char *body = dllb_bm25query_body(data, len, &bodylen, NULL);

	return dllb_bm25query_parse(body, bodylen, items, nitems, errpos);
}
#endif
extern const char *dllb_bm25query_error_message(DllbQueryError err);
extern void dllb_bm25query_format(const DllbQueryItem *items, int nitems,
								  StringInfo out);

#endif							/* DLLB_BM25QUERY_H */
