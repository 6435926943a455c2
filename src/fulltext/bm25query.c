/*-------------------------------------------------------------------------
 *
 * bm25query.c
 *	  SQL-callable I/O of dllb.bm25query, and dllb.bm25query_items().
 *
 * A bm25query is stored as its canonical text (bm25query_parse.c): the
 * items are analyzed only when the query meets an index, with that index's
 * analyzer.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25query.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "fulltext/bm25query.h"

PG_FUNCTION_INFO_V1(dllb_bm25query_in);
PG_FUNCTION_INFO_V1(dllb_bm25query_out);
PG_FUNCTION_INFO_V1(dllb_bm25query_recv);
PG_FUNCTION_INFO_V1(dllb_bm25query_send);
PG_FUNCTION_INFO_V1(dllb_bm25query_items);

/* parse, raising the parse error; the canonical text as a datum */
static text *
canonical(const char *str, int len)
{
	DllbQueryItem *items;
	int			n;
	int			pos;
	DllbQueryError err = dllb_bm25query_parse(str, len, &items, &n, &pos);
	StringInfoData out;

	if (err != DLLB_QUERY_OK)
		ereport(ERROR,
				(errcode(err == DLLB_QUERY_TOO_LONG ? ERRCODE_PROGRAM_LIMIT_EXCEEDED :
						 ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid full-text query: %s", dllb_bm25query_error_message(err)),
				 errdetail("At character %d of \"%.*s\".",
						   pg_mbstrlen_with_len(str, pos) + 1,
						   pg_mbcliplen(str, len, Min(len, 200)), str),
				 errhint("A query is terms (any may match), +required and -excluded terms, \"quoted phrases\" and prefix*.")));
	initStringInfo(&out);
	dllb_bm25query_format(items, n, &out);
	return cstring_to_text_with_len(out.data, out.len);
}

/* dllb_bm25query_in - text input */
Datum
dllb_bm25query_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);

	PG_RETURN_TEXT_P(canonical(str, strlen(str)));
}

/* dllb_bm25query_out - text output (the canonical form) */
Datum
dllb_bm25query_out(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int			len;
	const char *body = dllb_bm25query_body(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &len, NULL);

	PG_RETURN_CSTRING(pnstrdup(body, len));
}

/* dllb_bm25query_recv - binary input: the query text, parsed again */
Datum
dllb_bm25query_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes;
	char	   *str = pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);

	PG_RETURN_TEXT_P(canonical(str, nbytes));
}

/* dllb_bm25query_send - binary output: the canonical text */
Datum
dllb_bm25query_send(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	StringInfoData buf;
	int			len;
	const char *body = dllb_bm25query_body(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &len, NULL);

	pq_begintypsend(&buf);
	pq_sendtext(&buf, body, len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * dllb_bm25query_items - dllb.bm25query_items(q)
 *	  RETURNS TABLE(occur text, kind text, item text)
 */
Datum
dllb_bm25query_items(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *t = PG_GETARG_TEXT_PP(0);
	DllbQueryItem *items;
	int			n;
	int			pos;
	int			i;
	int			len;
	const char *body = dllb_bm25query_body(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &len, NULL);
	static const char *const occurs[] = {"should", "must", "must_not"};
	static const char *const kinds[] = {"term", "phrase", "prefix"};

	if (dllb_bm25query_parse(body, len, &items, &n, &pos) != DLLB_QUERY_OK)
		elog(ERROR, "stored bm25query does not parse");
	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = CStringGetTextDatum(occurs[items[i].occur]);
		values[1] = CStringGetTextDatum(kinds[items[i].kind]);
		values[2] = CStringGetTextDatum(items[i].text);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * dllb_bm25query_bound - a bm25query datum: the text of query (bound or
 * not), bound to index
 */
text *
dllb_bm25query_bound(text *query, Oid index)
{
	int			len;
	const char *body = dllb_bm25query_body(VARDATA_ANY(query), VARSIZE_ANY_EXHDR(query),
										   &len, NULL);
	text	   *out = palloc(VARHDRSZ + DLLB_BM25QUERY_BOUND_HEADER + len);
	uint32		oid = index;

	SET_VARSIZE(out, VARHDRSZ + DLLB_BM25QUERY_BOUND_HEADER + len);
	VARDATA(out)[0] = '\0';
	memcpy(VARDATA(out) + 1, &oid, sizeof(uint32));
	memcpy(VARDATA(out) + DLLB_BM25QUERY_BOUND_HEADER, body, len);
	return out;
}
