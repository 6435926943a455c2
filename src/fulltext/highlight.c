/*-------------------------------------------------------------------------
 *
 * highlight.c
 *	  dllb.highlight and dllb.offsets: where a query matches a text.
 *
 * The text is cut into spans (byte ranges of the input) with the lexemes
 * the analyzer makes of each: for a text search configuration, its
 * parser's tokens (only token types the configuration indexes), each run
 * through the configuration's dictionaries; for dllb.code, the code
 * tokenizer's tokens (a part, or the whole identifier) through the
 * dictionaries.  The query's words go through the same analyzer.  A span
 * matches when one of its lexemes equals a lexeme of a term or phrase that
 * is not excluded, or starts with a prefix item's (lowercased) text.
 * Phrases are matched word by word here (each word of a phrase is
 * highlighted wherever it occurs), which is what a reader wants to see.
 * Overlapping spans (the parser's hyphenated words and their parts, an
 * identifier and its parts) are marked once: the smallest that matches.
 *
 * IDENTIFICATION
 *	  src/fulltext/highlight.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "catalog/pg_collation.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "mb/pg_wchar.h"
#include "tsearch/ts_cache.h"
#include "tsearch/ts_utils.h"
#include "utils/builtins.h"
#include "utils/formatting.h"
#include "utils/jsonb.h"

#include "fulltext/analyzer.h"
#include "fulltext/bm25query.h"
#include "fulltext/code_tokenizer.h"

PG_FUNCTION_INFO_V1(dllb_highlight);
PG_FUNCTION_INFO_V1(dllb_offsets);

typedef struct Span
{
	int			start;			/* byte offsets in the text */
	int			end;
	bool		match;
} Span;

typedef struct QueryWords
{
	List	   *exact;			/* char * lexemes */
	List	   *prefixes;		/* char * lowercased prefixes */
} QueryWords;

/* the lexemes the analyzer's dictionaries make of one token */
static List *
token_lexemes(const DllbAnalyzer *an, const char *tok, int len)
{
	ParsedText	prs;
	List	   *out = NIL;
	int			i;

	prs.lenwords = 4;
	prs.curwords = 0;
	prs.pos = 0;
	prs.words = palloc(sizeof(ParsedWord) * prs.lenwords);
	parsetext(an->cfg, &prs, pnstrdup(tok, len), len);
	for (i = 0; i < prs.curwords; i++)
		out = lappend(out, pnstrdup(prs.words[i].word, prs.words[i].len));
	return out;
}

/* does one of lexemes match the query? */
static bool
lexemes_match(List *lexemes, const QueryWords *q)
{
	ListCell   *a,
			   *b;

	foreach(a, lexemes)
	{
		const char *lx = lfirst(a);

		foreach(b, q->exact)
			if (strcmp(lx, (char *) lfirst(b)) == 0)
				return true;
		foreach(b, q->prefixes)
			if (strncmp(lx, (char *) lfirst(b), strlen((char *) lfirst(b))) == 0)
				return true;
	}
	return false;
}

/* the query's words, analyzed */
static void
query_words(const DllbAnalyzer *an, text *query, QueryWords *q)
{
	DllbQueryItem *items;
	int			n;
	int			pos;
	int			i;

	q->exact = NIL;
	q->prefixes = NIL;
	if (dllb_bm25query_parse_datum(query, &items, &n, &pos) != DLLB_QUERY_OK)
		elog(ERROR, "stored bm25query does not parse");
	for (i = 0; i < n; i++)
	{
		if (items[i].occur == DLLB_OCCUR_MUST_NOT)
			continue;
		if (items[i].kind == DLLB_QUERY_PREFIX)
		{
			char	   *p = str_tolower(items[i].text, strlen(items[i].text),
										DEFAULT_COLLATION_OID);

			if (*p)
				q->prefixes = lappend(q->prefixes, p);
		}
		else
		{
			DllbLexeme *lex;
			int			k;
			int			nl = dllb_analyze_query(an, items[i].text,
												strlen(items[i].text), &lex);

			for (k = 0; k < nl; k++)
				q->exact = lappend(q->exact, pnstrdup(lex[k].text, lex[k].len));
		}
	}
}

/* append a span */
static void
add_span(Span **spans, int *n, int *cap, int start, int end, bool match)
{
	if (*n == *cap)
	{
		*cap = *cap ? *cap * 2 : 32;
		*spans = *spans ? repalloc(*spans, sizeof(Span) * *cap) : palloc(sizeof(Span) * *cap);
	}
	(*spans)[*n].start = start;
	(*spans)[*n].end = end;
	(*spans)[*n].match = match;
	(*n)++;
}

/*
 * the text's spans, in order, each marked when it matches the query.  For
 * a dllb.surreal analyzer, a term that matches marks its whole token, or
 * with partial, the term's own characters in it (an n-gram's).
 */
static int
text_spans(const DllbAnalyzer *an, const char *buf, int len, const QueryWords *q,
		   bool partial, Span **spans)
{
	int			n = 0;
	int			cap = 0;

	*spans = NULL;
	if (an->surreal)
	{
		DllbSurrealTerm *t;
		int			nt = dllb_surreal_terms(an, buf, len, false, &t);
		int			i;

		for (i = 0; i < nt; i++)
		{
			List	   *one = list_make1(pnstrdup(t[i].text, t[i].len));
			bool		m = lexemes_match(one, q);
			int			s = t[i].tstart;
			int			e = t[i].tend;

			if (m && partial)
			{
				/* the term's characters, from where it starts in the token */
				int			k;
				int			tl = pg_mbstrlen_with_len(t[i].text, t[i].len);

				for (k = 0; k < t[i].gen_start && s < t[i].tend; k++)
					s += pg_utf_mblen((const unsigned char *) buf + s);
				e = s;
				for (k = 0; k < tl && e < t[i].tend; k++)
					e += pg_utf_mblen((const unsigned char *) buf + e);
			}
			add_span(spans, &n, &cap, s, e, m);
		}
		return n;
	}
	if (an->code)
	{
		DllbCodeToken *tokens;
		int			nt = dllb_code_tokenize(buf, len, &tokens);
		int			i;

		for (i = 0; i < nt; i++)
			add_span(spans, &n, &cap, tokens[i].offset,
					 tokens[i].offset + tokens[i].srclen,
					 lexemes_match(token_lexemes(an, tokens[i].text, tokens[i].len), q));
	}
	else
	{
		TSConfigCacheEntry *cfg = lookup_ts_config_cache(an->cfg);
		TSParserCacheEntry *prs = lookup_ts_parser_cache(cfg->prsId);
		char	   *copy = pnstrdup(buf, len);
		void	   *state;
		char	   *tok = NULL;
		int			toklen = 0;
		int			type;

		state = DatumGetPointer(FunctionCall2(&prs->prsstart, PointerGetDatum(copy),
											  Int32GetDatum(len)));
		while ((type = DatumGetInt32(FunctionCall3(&prs->prstoken, PointerGetDatum(state),
												   PointerGetDatum(&tok),
												   PointerGetDatum(&toklen)))) > 0)
		{
			CHECK_FOR_INTERRUPTS();
			if (type >= cfg->lenmap || cfg->map[type].len == 0 || toklen <= 0)
				continue;		/* a token type the configuration skips */
			add_span(spans, &n, &cap, tok - copy, tok - copy + toklen,
					 lexemes_match(token_lexemes(an, tok, toklen), q));
		}
		FunctionCall1(&prs->prsend, PointerGetDatum(state));
	}
	return n;
}

/*
 * the matching spans without overlaps: a matching span inside the one
 * chosen last replaces it (a compound's matching part is marked, not the
 * whole compound); any other overlap is skipped
 */
static int
matched(Span *spans, int n, Span **out)
{
	int			i;
	int			m = 0;

	*out = palloc(sizeof(Span) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		if (!spans[i].match)
			continue;
		if (m > 0 && spans[i].start < (*out)[m - 1].end)
		{
			if (spans[i].start >= (*out)[m - 1].start &&
				spans[i].end <= (*out)[m - 1].end &&
				(spans[i].start > (*out)[m - 1].start || spans[i].end < (*out)[m - 1].end))
				(*out)[m - 1] = spans[i];
			continue;
		}
		(*out)[m++] = spans[i];
	}
	return m;
}

/*
 * dllb_highlight - dllb.highlight(body, query, config, start_tag, stop_tag,
 * fragment_words): the text with every match between the tags; with
 * fragment_words > 0, only the window of that many words holding the most
 * matches, with "..." where text was cut.
 */
Datum
dllb_highlight(PG_FUNCTION_ARGS)
{
	text	   *body = PG_GETARG_TEXT_PP(0);
	text	   *query = PG_GETARG_TEXT_PP(1);
	char	   *start_tag = text_to_cstring(PG_GETARG_TEXT_PP(3));
	char	   *stop_tag = text_to_cstring(PG_GETARG_TEXT_PP(4));
	int32		words = PG_GETARG_INT32(5);
	const char *buf = VARDATA_ANY(body);
	int			len = VARSIZE_ANY_EXHDR(body);
	DllbAnalyzer an;
	QueryWords	q;
	Span	   *spans,
			   *hits;
	int			n,
				nh,
				i;
	int			from = 0,
				to = len;
	int			last;
	StringInfoData out;

	if (words < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fragment_words must not be negative")));
	dllb_analyzer_resolve(text_to_cstring(PG_GETARG_TEXT_PP(2)), &an);
	query_words(&an, query, &q);
	n = text_spans(&an, buf, len, &q, PG_NARGS() > 6 && PG_GETARG_BOOL(6), &spans);

	if (words > 0 && n > 0)
	{
		/* the window of `words` spans with the most matches (first best) */
		int			best = 0,
					best_at = 0,
					count = 0;

		for (i = 0; i < n; i++)
		{
			count += spans[i].match ? 1 : 0;
			if (i >= words)
				count -= spans[i - words].match ? 1 : 0;
			if (i >= Min(words, n) - 1 && count > best)
			{
				best = count;
				best_at = i - Min(words, n) + 1;
			}
		}
		from = spans[best_at].start;
		to = spans[Min(best_at + words, n) - 1].end;
	}

	nh = matched(spans, n, &hits);
	initStringInfo(&out);
	if (from > 0)
		appendStringInfoString(&out, "...");
	last = from;
	for (i = 0; i < nh; i++)
	{
		if (hits[i].start < from || hits[i].end > to)
			continue;
		appendBinaryStringInfo(&out, buf + last, hits[i].start - last);
		appendStringInfoString(&out, start_tag);
		appendBinaryStringInfo(&out, buf + hits[i].start, hits[i].end - hits[i].start);
		appendStringInfoString(&out, stop_tag);
		last = hits[i].end;
	}
	appendBinaryStringInfo(&out, buf + last, to - last);
	if (to < len)
		appendStringInfoString(&out, "...");
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}

/*
 * dllb_offsets - dllb.offsets(body, query, config): the matches as a jsonb
 * array of {"s": start, "e": end} character offsets (end exclusive).
 */
Datum
dllb_offsets(PG_FUNCTION_ARGS)
{
	text	   *body = PG_GETARG_TEXT_PP(0);
	text	   *query = PG_GETARG_TEXT_PP(1);
	const char *buf = VARDATA_ANY(body);
	int			len = VARSIZE_ANY_EXHDR(body);
	DllbAnalyzer an;
	QueryWords	q;
	Span	   *spans,
			   *hits;
	int			n,
				nh,
				i;
	StringInfoData out;

	dllb_analyzer_resolve(text_to_cstring(PG_GETARG_TEXT_PP(2)), &an);
	query_words(&an, query, &q);
	n = text_spans(&an, buf, len, &q, PG_NARGS() > 3 && PG_GETARG_BOOL(3), &spans);
	nh = matched(spans, n, &hits);
	initStringInfo(&out);
	appendStringInfoChar(&out, '[');
	for (i = 0; i < nh; i++)
	{
		int			s = pg_mbstrlen_with_len(buf, hits[i].start);
		int			e = s + pg_mbstrlen_with_len(buf + hits[i].start,
												 hits[i].end - hits[i].start);

		appendStringInfo(&out, "%s{\"s\": %d, \"e\": %d}", i ? ", " : "", s, e);
	}
	appendStringInfoChar(&out, ']');
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(out.data)));
}
