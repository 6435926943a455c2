/*-------------------------------------------------------------------------
 *
 * records.c
 *	  Writing the record stream: buffers, COPY escaping, node ids and the
 *	  embedding tokens (codeintel/extract_py.py has the same rules).
 *
 * IDENTIFICATION
 *	  codeintel/records.c
 *
 *-------------------------------------------------------------------------
 */
#include "records.h"
#include "sha256.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
buf_reserve(Buf *b, size_t more)
{
	if (b->len + more + 1 > b->cap)
	{
		size_t		cap = b->cap ? b->cap : 256;

		while (cap < b->len + more + 1)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (b->data == NULL)
		{
			fprintf(stderr, "dllb-extract-c: out of memory\n");
			exit(2);
		}
		b->cap = cap;
	}
}

void
buf_put(Buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(Buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void
buf_putc(Buf *b, char c)
{
	buf_put(b, &c, 1);
}

void
buf_printf(Buf *b, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_reserve(b, (size_t) n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t) n;
}

void
buf_null(Buf *b)
{
	buf_put(b, "\\N", 2);
}

/* length of a valid UTF-8 sequence at s (at most n bytes), 0 when invalid */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t		len,
				i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0)
	{
		len = 2;
		cp = s[0] & 0x1F;
	}
	else if ((s[0] & 0xF0) == 0xE0)
	{
		len = 3;
		cp = s[0] & 0x0F;
	}
	else if ((s[0] & 0xF8) == 0xF0)
	{
		len = 4;
		cp = s[0] & 0x07;
	}
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		(len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		(cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

void
buf_field(Buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = 0;

	buf_reserve(b, n + n / 8 + 8);
	while (i < n)
	{
		unsigned char c = p[i];
		size_t		len;

		switch (c)
		{
			case '\0':
				i++;
				continue;
			case '\\':
				buf_put(b, "\\\\", 2);
				i++;
				continue;
			case '\t':
				buf_put(b, "\\t", 2);
				i++;
				continue;
			case '\n':
				buf_put(b, "\\n", 2);
				i++;
				continue;
			case '\r':
				buf_put(b, "\\r", 2);
				i++;
				continue;
			default:
				break;
		}
		len = utf8_len(p + i, n - i);
		if (len == 0)
		{
			buf_put(b, "\xEF\xBF\xBD", 3);	/* U+FFFD */
			i++;
		}
		else
		{
			buf_put(b, s + i, len);
			i += len;
		}
	}
}

int64_t
node_id(const char *path, const char *kind, const char *qname, int ordinal)
{
	Sha256		s;
	unsigned char d[32];
	char		ord[16];
	uint64_t	v = 0;
	int			i;

	sha256_init(&s);
	sha256_update(&s, path, strlen(path) + 1);
	sha256_update(&s, kind, strlen(kind) + 1);
	sha256_update(&s, qname, strlen(qname) + 1);
	snprintf(ord, sizeof(ord), "%d", ordinal);
	sha256_update(&s, ord, strlen(ord));
	sha256_final(&s, d);
	for (i = 0; i < 8; i++)
		v = (v << 8) | d[i];
	return (int64_t) (v & UINT64_C(0x7FFFFFFFFFFFFFFF));
}

/*
 * Words that say nothing about what code does: C and Python keywords, type
 * words and a few English stop words.  Sorted, for bsearch.
 */
static const char *const stop_words[] = {
	"alignas", "alignof", "an", "and", "are", "as", "asm", "assert", "async",
	"at", "attribute", "auto", "await", "be", "bool", "break", "by", "case",
	"char", "class", "const", "continue", "def", "default", "define", "del",
	"do", "double", "elif", "else", "endif", "enum", "except", "extern",
	"false", "finally", "float", "for", "from", "global", "goto", "if",
	"ifdef", "ifndef", "import", "in", "include", "inline", "int", "is",
	"it", "lambda", "long", "none", "nonlocal", "not", "null", "of", "on",
	"or", "pass", "raise", "register", "restrict", "return", "self",
	"short", "signed", "sizeof", "static", "struct", "switch", "that", "the",
	"this", "to", "true", "try", "typedef", "typeof", "union", "unsigned",
	"void", "volatile", "while", "with", "yield"
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static void
emit_token(Buf *out, const char *s, size_t n)
{
	char		w[64];
	const char *key = w;
	size_t		i;

	if (n < 2 || n >= sizeof(w))
		return;
	for (i = 0; i < n; i++)
		w[i] = (char) tolower((unsigned char) s[i]);
	w[n] = '\0';
	if (isdigit((unsigned char) w[0]))
		return;
	if (bsearch(&key, stop_words, sizeof(stop_words) / sizeof(stop_words[0]),
				sizeof(stop_words[0]), cmp_str))
		return;
	if (out->len > 0 && out->data[out->len - 1] != ' ')
		buf_putc(out, ' ');
	buf_put(out, w, n);
}

/*
 * Parts of identifiers and words, as the regular expression
 *   [A-Z]+(?=[A-Z][a-z]) | [A-Z]?[a-z]+ | [A-Z]+ | [0-9]+
 * finds them left to right (ASCII only): HTTPServer -> HTTP, Server;
 * parse_http2 -> parse, http, 2.  Then lowercased; parts shorter than two
 * characters, numbers and stop words are dropped.
 */
void
embed_tokens(Buf *out, const char *s, size_t n)
{
	size_t		i = 0;

	while (i < n)
	{
		unsigned char c = (unsigned char) s[i];
		size_t		j;

		if (isupper(c))
		{
			j = i;
			while (j < n && isupper((unsigned char) s[j]))
				j++;
			if (j - i >= 2 && j < n && islower((unsigned char) s[j]))
			{
				/* capitals followed by Capital+lower: all but the last */
				emit_token(out, s + i, j - 1 - i);
				i = j - 1;
				continue;
			}
			if (j - i == 1 && j < n && islower((unsigned char) s[j]))
			{
				while (j < n && islower((unsigned char) s[j]))
					j++;
				emit_token(out, s + i, j - i);
				i = j;
				continue;
			}
			emit_token(out, s + i, j - i);
			i = j;
		}
		else if (islower(c))
		{
			j = i;
			while (j < n && islower((unsigned char) s[j]))
				j++;
			emit_token(out, s + i, j - i);
			i = j;
		}
		else if (isdigit(c))
		{
			j = i;
			while (j < n && isdigit((unsigned char) s[j]))
				j++;
			i = j;				/* numbers are dropped */
		}
		else
			i++;
	}
}
