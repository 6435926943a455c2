/*-------------------------------------------------------------------------
 *
 * code_tokenizer.c
 *	  The dllb.code tokenizer: source-code identifiers split into words.
 *
 * A word is a maximal run of letters, digits and '_' (bytes >= 0x80 count
 * as letters, so UTF-8 text stays whole), where a '-' between two such
 * characters joins the run too (kebab-case).  Each word is split into
 * parts at '_' and '-', at a lower-to-upper change (parseHttp -> parse,
 * Http), before the last capital of a capital run followed by a lower case
 * letter (HTTPRequest -> HTTP, Request) and between letters and digits
 * (utf8Decode -> utf, 8, decode).  Parts are lowercased (ASCII; the
 * dictionaries lowercase the rest).
 *
 * A plural 's' after a capital run stays with it (getURLs -> get, urls).
 *
 * Positions: the parts of a word take consecutive positions, so a phrase
 * "parse http" matches parseHttpRequest; the whole word, lowercased and
 * without its '_' and '-', is also emitted at the position of its first
 * part (like a synonym), so parsehttprequest matches too (and
 * max_retry_count gives maxretrycount).  A word with one part is emitted once.
 * The next word starts after the last part of the previous one.
 *
 * Pure function (no ereport), frontend-buildable for the fuzz target.
 *
 * IDENTIFICATION
 *	  src/fulltext/code_tokenizer.c
 *
 *-------------------------------------------------------------------------
 */
#include "fulltext/code_tokenizer.h"

/* character classes */
#define C_OTHER 0
#define C_LOWER 1
#define C_UPPER 2
#define C_DIGIT 3
#define C_UNDER 4				/* '_' */
#define C_HIGH	5				/* byte >= 0x80: a letter without case */

static int
char_class(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return C_LOWER;
	if (c >= 'A' && c <= 'Z')
		return C_UPPER;
	if (c >= '0' && c <= '9')
		return C_DIGIT;
	if (c == '_')
		return C_UNDER;
	if (c >= 0x80)
		return C_HIGH;
	return C_OTHER;
}

static bool
is_word_char(unsigned char c)
{
	return char_class(c) != C_OTHER;
}

/* append a lowercased copy of in[start..end) as a token */
static void
emit(DllbCodeToken **tokens, int *n, int *cap, const char *in, int start,
	 int end, int position, bool whole)
{
	DllbCodeToken *t;
	int			i;

	if (*n == *cap)
	{
		*cap = *cap ? *cap * 2 : 16;
		*tokens = *tokens ? repalloc(*tokens, sizeof(DllbCodeToken) * *cap)
			: palloc(sizeof(DllbCodeToken) * *cap);
	}
	t = &(*tokens)[(*n)++];
	t->text = palloc(end - start + 1);
	t->len = 0;
	for (i = start; i < end; i++)
	{
		unsigned char c = (unsigned char) in[i];

		/* the whole identifier loses its separators: max_retry -> maxretry */
		if (whole && (c == '_' || c == '-'))
			continue;
		t->text[t->len++] = (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : (char) c;
	}
	t->text[t->len] = '\0';
	t->position = position;
	t->offset = start;
	t->srclen = end - start;
	t->whole = whole;
}

/*
 * dllb_code_tokenize - tokenize in[0..len); *tokens gets a palloc'd array
 * (NULL when there is none); returns the number of tokens.
 */
int
dllb_code_tokenize(const char *in, int len, DllbCodeToken **tokens)
{
	int			n = 0;
	int			cap = 0;
	int			position = 1;
	int			i = 0;

	*tokens = NULL;
	while (i < len)
	{
		int			wstart,
					wend;
		int			nparts = 0;
		int			first_index;
		int			p;

		/* find the next word */
		while (i < len && !is_word_char((unsigned char) in[i]))
			i++;
		if (i >= len)
			break;
		wstart = i;
		while (i < len)
		{
			if (is_word_char((unsigned char) in[i]))
				i++;
			else if (in[i] == '-' && i + 1 < len && i > wstart &&
					 is_word_char((unsigned char) in[i + 1]) &&
					 in[i - 1] != '_' && in[i + 1] != '_')
				i++;
			else
				break;
		}
		wend = i;

		/* its parts */
		first_index = n;
		p = wstart;
		while (p < wend)
		{
			int			pstart;

			while (p < wend && (in[p] == '_' || in[p] == '-'))
				p++;
			if (p >= wend)
				break;
			pstart = p;
			p++;
			while (p < wend)
			{
				int			c = char_class((unsigned char) in[p]);
				int			prev = char_class((unsigned char) in[p - 1]);

				if (in[p] == '_' || in[p] == '-')
					break;
				if ((c == C_DIGIT) != (prev == C_DIGIT))
					break;		/* letters | digits */
				if (c == C_UPPER && (prev == C_LOWER || prev == C_HIGH))
					break;		/* camelCase */
				if (c == C_LOWER && prev == C_UPPER && p - pstart >= 2 &&
					char_class((unsigned char) in[p - 2]) == C_UPPER &&
					!(in[p] == 's' && (p + 1 == wend ||
									   char_class((unsigned char) in[p + 1]) != C_LOWER)))
				{
					/* HTTPRequest: the last capital starts the next part */
					p--;
					break;
				}
				p++;
			}
			emit(tokens, &n, &cap, in, pstart, p, position + nparts, false);
			nparts++;
		}
		if (nparts == 0)
			continue;			/* a word of only separators */
		if (nparts > 1)
			emit(tokens, &n, &cap, in, wstart, wend, position, true);
		else
			(*tokens)[first_index].whole = true;
		position += nparts;
	}
	return n;
}
