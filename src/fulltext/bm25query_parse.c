/*-------------------------------------------------------------------------
 *
 * bm25query_parse.c
 *	  Parser and printer for the dllb.bm25query syntax.
 *
 *	  query  := item (space item)*        (surrounding space ignored)
 *	  item   := ['+' | '-'] ( '"' chars '"' | word ['*'] )
 *	  word   := a run of characters other than space and '"'
 *
 * A plain item is OR'ed and ranked, '+' makes it required, '-' excludes
 * rows that match it.  A quoted phrase matches its words at consecutive
 * positions; inside quotes a backslash escapes '"' and itself.  A word
 * ending in '*' matches every term it is a prefix of.  A query must have
 * at least one item that is not excluded.  Words are analyzed later, with
 * the index's analyzer, so "Parsers" and "parser" may end up the same.
 *
 * The printer writes the canonical form (one space between items, phrases
 * quoted and escaped), which parses back to the same items.  Pure
 * functions: errors are codes; builds frontend-style for the fuzz target.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25query_parse.c
 *
 *-------------------------------------------------------------------------
 */
#include "fulltext/bm25query.h"

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* append an item */
static void
add_item(DllbQueryItem **items, int *n, int *cap, DllbQueryOccur occur,
		 DllbQueryKind kind, char *text)
{
	if (*n == *cap)
	{
		*cap = *cap ? *cap * 2 : 8;
		*items = *items ? repalloc(*items, sizeof(DllbQueryItem) * *cap)
			: palloc(sizeof(DllbQueryItem) * *cap);
	}
	(*items)[*n].occur = occur;
	(*items)[*n].kind = kind;
	(*items)[*n].text = text;
	(*n)++;
}

/*
 * dllb_bm25query_parse - parse in[0..len) into a palloc'd item array.
 * On error *errpos is the byte offset of the problem, and *items and *nitems
 * still describe the items parsed so far (so a caller without memory
 * contexts can free them).
 */
DllbQueryError
dllb_bm25query_parse(const char *in, int len, DllbQueryItem **items,
					 int *nitems, int *errpos)
{
	int			i = 0;
	int			n = 0;
	int			cap = 0;
	bool		any_positive = false;

	*items = NULL;
	*nitems = 0;
	*errpos = 0;
	if (len > DLLB_QUERY_MAX_LEN)
		return DLLB_QUERY_TOO_LONG;
	for (;;)
	{
		DllbQueryOccur occur = DLLB_OCCUR_SHOULD;
		int			start;

		while (i < len && is_space(in[i]))
			i++;
		if (i >= len)
			break;
		start = i;
		if (in[i] == '+' || in[i] == '-')
		{
			occur = in[i] == '+' ? DLLB_OCCUR_MUST : DLLB_OCCUR_MUST_NOT;
			i++;
			if (i >= len || is_space(in[i]))
			{
				*errpos = start;
				*nitems = n;
				return DLLB_QUERY_LONE_OPERATOR;
			}
		}
		if (in[i] == '"')
		{
			StringInfoData buf;
			bool		has_word = false;
			int			k;

			initStringInfo(&buf);
			i++;
			while (i < len && in[i] != '"')
			{
				if (in[i] == '\\' && i + 1 < len && (in[i + 1] == '"' || in[i + 1] == '\\'))
					i++;
				if (in[i] == '\0')
				{
					pfree(buf.data);
					*errpos = i;
					*nitems = n;
					return DLLB_QUERY_UNTERMINATED;
				}
				appendStringInfoChar(&buf, in[i]);
				i++;
			}
			if (i >= len)
			{
				pfree(buf.data);
				*errpos = start;
				*nitems = n;
				return DLLB_QUERY_UNTERMINATED;
			}
			i++;				/* closing quote */
			for (k = 0; k < buf.len; k++)
				if (!is_space(buf.data[k]))
					has_word = true;
			if (!has_word)
			{
				pfree(buf.data);
				*errpos = start;
				*nitems = n;
				return DLLB_QUERY_EMPTY_PHRASE;
			}
			add_item(items, &n, &cap, occur, DLLB_QUERY_PHRASE, buf.data);
		}
		else
		{
			int			wstart = i;
			int			wend;
			char	   *word;

			while (i < len && !is_space(in[i]) && in[i] != '"' && in[i] != '\0')
				i++;
			if (i < len && in[i] == '\0')
			{
				*errpos = i;
				*nitems = n;
				return DLLB_QUERY_UNTERMINATED;
			}
			wend = i;
			if (wend - wstart == 1 && in[wstart] == '*')
			{
				*errpos = wstart;
				*nitems = n;
				return DLLB_QUERY_LONE_STAR;
			}
			if (in[wend - 1] == '*')
			{
				word = pnstrdup(in + wstart, wend - 1 - wstart);
				add_item(items, &n, &cap, occur, DLLB_QUERY_PREFIX, word);
			}
			else
			{
				word = pnstrdup(in + wstart, wend - wstart);
				add_item(items, &n, &cap, occur, DLLB_QUERY_TERM, word);
			}
		}
		if (occur != DLLB_OCCUR_MUST_NOT)
			any_positive = true;
	}
	*nitems = n;
	if (n == 0)
		return DLLB_QUERY_EMPTY;
	if (!any_positive)
		return DLLB_QUERY_ONLY_EXCLUDED;
	return DLLB_QUERY_OK;
}

/*
 * dllb_bm25query_error_message - the user-facing text for a parse error.
 */
const char *
dllb_bm25query_error_message(DllbQueryError err)
{
	switch (err)
	{
		case DLLB_QUERY_OK:
			return "no error";
		case DLLB_QUERY_EMPTY:
			return "the query has no terms";
		case DLLB_QUERY_UNTERMINATED:
			return "a quoted phrase has no closing quote";
		case DLLB_QUERY_EMPTY_PHRASE:
			return "a quoted phrase has no words";
		case DLLB_QUERY_LONE_OPERATOR:
			return "\"+\" or \"-\" must be followed by a term or a phrase";
		case DLLB_QUERY_LONE_STAR:
			return "\"*\" must follow the prefix of a term";
		case DLLB_QUERY_ONLY_EXCLUDED:
			return "every term is excluded; a query needs at least one term that is not";
		case DLLB_QUERY_TOO_LONG:
			return "the query is longer than 64 kB";
	}
	return "unknown error";
}

/*
 * dllb_bm25query_format - the canonical text of items.
 */
void
dllb_bm25query_format(const DllbQueryItem *items, int nitems, StringInfo out)
{
	int			i;
	const char *p;

	for (i = 0; i < nitems; i++)
	{
		if (i > 0)
			appendStringInfoChar(out, ' ');
		if (items[i].occur == DLLB_OCCUR_MUST)
			appendStringInfoChar(out, '+');
		else if (items[i].occur == DLLB_OCCUR_MUST_NOT)
			appendStringInfoChar(out, '-');
		if (items[i].kind == DLLB_QUERY_PHRASE)
		{
			appendStringInfoChar(out, '"');
			for (p = items[i].text; *p; p++)
			{
				if (*p == '"' || *p == '\\')
					appendStringInfoChar(out, '\\');
				appendStringInfoChar(out, *p);
			}
			appendStringInfoChar(out, '"');
		}
		else
		{
			appendStringInfoString(out, items[i].text);
			if (items[i].kind == DLLB_QUERY_PREFIX)
				appendStringInfoChar(out, '*');
		}
	}
}
