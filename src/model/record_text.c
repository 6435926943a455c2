/*-------------------------------------------------------------------------
 *
 * record_text.c
 *	  Text form of record ids: parser, printer, builder and comparison.
 *
 * Grammar (surrounding white space is ignored):
 *
 *	  record  := table ':' key
 *	  table   := [A-Za-z_][A-Za-z0-9_]*             (at most 63 bytes)
 *	  key     := '-'? [0-9]+                         integer (int64)
 *	           | [A-Za-z0-9_]+ (not all digits)      string
 *	           | '⟨' chars '⟩'  |  '`' chars '`'     string; '\' escapes
 *	                                                 the closing bracket
 *	                                                 and itself
 *	           | 'u' ( "'" uuid "'" | '"' uuid '"' ) uuid
 *	           | '[' ... ']'  |  '{' ... '}'        array or object key (below)
 *
 * The printer emits the shortest form that parses back to the same value:
 * a bare identifier when the string is one, otherwise ⟨…⟩ (or `…` when the
 * database encoding is not UTF-8).  Everything here is a pure function:
 * errors are returned as codes and turned into ereport by the caller, so
 * the file also compiles frontend-style for test/fuzz/fuzz_record.c.
 *
 * IDENTIFICATION
 *	  src/model/record_text.c
 *
 *-------------------------------------------------------------------------
 */
#include "model/record.h"

#include <limits.h>

/* UTF-8 encodings of U+27E8 and U+27E9, the SurrealQL id brackets. */
#define LBRACKET "\xe2\x9f\xa8"
#define RBRACKET "\xe2\x9f\xa9"
#define BRACKET_LEN 3

static bool
is_ident_start(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool
is_ident_char(unsigned char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * dllb_record_valid_table - is name a table name a record id can carry?
 */
bool
dllb_record_valid_table(const char *name, int len)
{
	int			i;

	if (len <= 0 || len > DLLB_RECORD_MAX_TABLE)
		return false;
	if (!is_ident_start((unsigned char) name[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!is_ident_char((unsigned char) name[i]))
			return false;
	return true;
}

/*
 * parse_uuid - 32 hex digits, dashes allowed at the standard places only.
 */
static bool
parse_uuid(const char *s, int len, unsigned char *out)
{
	int			i;
	int			n = 0;

	if (len != 36)
		return false;
	for (i = 0; i < len; i++)
	{
		int			hi,
					lo;

		if (i == 8 || i == 13 || i == 18 || i == 23)
		{
			if (s[i] != '-')
				return false;
			continue;
		}
		if (i + 1 >= len)
			return false;
		hi = hex_value((unsigned char) s[i]);
		lo = hex_value((unsigned char) s[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[n++] = (unsigned char) (hi << 4 | lo);
		i++;
	}
	return n == 16;
}

/*
 * parse_bracketed - a string key between open and close delimiters, with
 * '\' escaping the close delimiter and itself.  *pos is just past the open
 * delimiter; on success it is left just past the close one.
 */
static DllbRecordError
parse_bracketed(const char *s, int len, int *pos, const char *close,
				int closelen, StringInfo scratch)
{
	int			i = *pos;

	while (i < len)
	{
		if (s[i] == '\\' && i + 1 < len)
		{
			if (s[i + 1] == '\\')
			{
				appendStringInfoChar(scratch, '\\');
				i += 2;
				continue;
			}
			if (i + 1 + closelen <= len && memcmp(s + i + 1, close, closelen) == 0)
			{
				appendBinaryStringInfo(scratch, close, closelen);
				i += 1 + closelen;
				continue;
			}
		}
		if (i + closelen <= len && memcmp(s + i, close, closelen) == 0)
		{
			*pos = i + closelen;
			if (scratch->len > DLLB_RECORD_MAX_KEY)
				return DLLB_RECORD_KEY_TOO_LONG;
			return DLLB_RECORD_OK;
		}
		if (s[i] == '\0')
			return DLLB_RECORD_BAD_KEY;
		appendStringInfoChar(scratch, s[i]);
		i++;
	}
	return DLLB_RECORD_UNTERMINATED;
}

static DllbRecordError dllb_record_parse_depth(const char *str, int len, DllbRecordParts *parts,
											   StringInfo scratch, int depth);

/* ---- array and object keys ------------------------------------------------ */

/*
 * An array or object key is kept as its canonical text, which the parser
 * below writes from any text it accepts:
 *
 *	  value   := NONE | NULL | true | false | number | string | '..'
 *	           | '[' (value (', ' value)*)? ']'
 *	           | '{' (name ': ' value (', ' name ': ' value)*)? '}'
 *	           | record                          (table:key, printed as above)
 *	  number  := '-'? digits ('.' digits)? (('e'|'E') ('+'|'-')? digits)?
 *	  string  := "'" chars "'"                   ('\' escapes ' and itself)
 *	  name    := a plain word, or a string       (keys in byte order)
 *
 * so that equal keys have equal bytes.  Input may also use "..." strings
 * with JSON's escapes, u'...', d'...' and r'...' (strings here), a number
 * suffix f or dec (dropped), and spaces anywhere between tokens.  A bare
 * .. is the greatest value (an open end of a range over array keys).  In
 * JSON input (dllb_record_key_from_json) a string that is a record id is
 * that record, as record ids are JSON strings in dllb.  Keys compare as
 * SurrealQL orders values: NONE < NULL < booleans < numbers < strings <
 * arrays (element by element, then the shorter first) < objects < records
 * < .., which the canonical text is parsed again to do.
 */
#define KEY_MAX_DEPTH 32

typedef struct KeyScan
{
	const char *s;
	int			len;
	int			pos;
	int			depth;
	bool		json;			/* "..." strings that are record ids are records */
	bool		to_json;		/* write JSON rather than the canonical text */
} KeyScan;

static DllbRecordError key_value(KeyScan *k, StringInfo out);

static void
key_ws(KeyScan *k)
{
	while (k->pos < k->len && is_space((unsigned char) k->s[k->pos]))
		k->pos++;
}

static bool
key_at(KeyScan *k, char c)
{
	key_ws(k);
	return k->pos < k->len && k->s[k->pos] == c;
}

/* append a string's bytes as canonical text or as JSON */
static void
key_put_string(StringInfo out, const char *s, int len, bool to_json)
{
	int			i;

	appendStringInfoChar(out, to_json ? '"' : '\'');
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (!to_json)
		{
			if (c == '\\' || c == '\'')
				appendStringInfoChar(out, '\\');
			appendStringInfoChar(out, (char) c);
		}
		else if (c == '"' || c == '\\')
		{
			appendStringInfoChar(out, '\\');
			appendStringInfoChar(out, (char) c);
		}
		else if (c < 0x20)
			appendStringInfo(out, "\\u%04x", c);
		else
			appendStringInfoChar(out, (char) c);
	}
	appendStringInfoChar(out, to_json ? '"' : '\'');
}

/* a quoted string (k->pos at the quote), its bytes decoded into buf */
static DllbRecordError
key_string(KeyScan *k, StringInfo buf)
{
	char		q = k->s[k->pos++];

	while (k->pos < k->len)
	{
		char		c = k->s[k->pos++];

		if (c == q)
			return DLLB_RECORD_OK;
		if (c == '\0')
			return DLLB_RECORD_BAD_KEY;
		if (c != '\\')
		{
			appendStringInfoChar(buf, c);
			continue;
		}
		if (k->pos >= k->len)
			break;
		c = k->s[k->pos++];
		switch (c)
		{
			case 'n':
				appendStringInfoChar(buf, '\n');
				break;
			case 't':
				appendStringInfoChar(buf, '\t');
				break;
			case 'r':
				appendStringInfoChar(buf, '\r');
				break;
			case 'b':
				appendStringInfoChar(buf, '\b');
				break;
			case 'f':
				appendStringInfoChar(buf, '\f');
				break;
			case 'u':
				{
					int			v = 0;
					int			i;

					for (i = 0; i < 4; i++)
					{
						int			h = k->pos < k->len ? hex_value((unsigned char) k->s[k->pos]) : -1;

						if (h < 0)
							return DLLB_RECORD_BAD_KEY;
						v = v * 16 + h;
						k->pos++;
					}
					if (v == 0 || (v >= 0xD800 && v <= 0xDFFF))
						return DLLB_RECORD_BAD_KEY;
					if (v < 0x80)
						appendStringInfoChar(buf, (char) v);
					else if (v < 0x800)
					{
						appendStringInfoChar(buf, (char) (0xC0 | (v >> 6)));
						appendStringInfoChar(buf, (char) (0x80 | (v & 0x3F)));
					}
					else
					{
						appendStringInfoChar(buf, (char) (0xE0 | (v >> 12)));
						appendStringInfoChar(buf, (char) (0x80 | ((v >> 6) & 0x3F)));
						appendStringInfoChar(buf, (char) (0x80 | (v & 0x3F)));
					}
					break;
				}
			case '\0':
				return DLLB_RECORD_BAD_KEY;
			default:
				appendStringInfoChar(buf, c);
				break;
		}
		if (buf->len > DLLB_RECORD_MAX_KEY)
			return DLLB_RECORD_KEY_TOO_LONG;
	}
	return DLLB_RECORD_UNTERMINATED;
}

/* the end of a record id's key that starts at pos (after table:) */
static int
key_record_end(const char *s, int len, int pos)
{
	int			depth = 0;
	char		q = 0;

	if (pos + BRACKET_LEN <= len && memcmp(s + pos, LBRACKET, BRACKET_LEN) == 0)
	{
		for (pos += BRACKET_LEN; pos < len; pos++)
		{
			if (s[pos] == '\\' && pos + 1 < len)
				pos++;
			else if (pos + BRACKET_LEN <= len && memcmp(s + pos, RBRACKET, BRACKET_LEN) == 0)
				return pos + BRACKET_LEN;
		}
		return len;
	}
	if (s[pos] == '`')
	{
		for (pos++; pos < len; pos++)
		{
			if (s[pos] == '\\' && pos + 1 < len)
				pos++;
			else if (s[pos] == '`')
				return pos + 1;
		}
		return len;
	}
	if (s[pos] == 'u' && pos + 1 < len && (s[pos + 1] == '\'' || s[pos + 1] == '"'))
	{
		q = s[pos + 1];
		for (pos += 2; pos < len && s[pos] != q; pos++)
			;
		return pos < len ? pos + 1 : len;
	}
	if (s[pos] == '[' || s[pos] == '{')
	{
		for (; pos < len; pos++)
		{
			char		c = s[pos];

			if (q)
			{
				if (c == '\\' && pos + 1 < len)
					pos++;
				else if (c == q)
					q = 0;
			}
			else if (c == '\'' || c == '"' || c == '`')
				q = c;
			else if (pos + BRACKET_LEN <= len && memcmp(s + pos, LBRACKET, BRACKET_LEN) == 0)
			{
				/* a ⟨key⟩ of a record inside: to its closing bracket */
				for (pos += BRACKET_LEN; pos < len; pos++)
				{
					if (s[pos] == '\\' && pos + 1 < len)
						pos++;
					else if (pos + BRACKET_LEN <= len && memcmp(s + pos, RBRACKET, BRACKET_LEN) == 0)
					{
						pos += BRACKET_LEN - 1;
						break;
					}
				}
			}
			else if (c == '[' || c == '{')
				depth++;
			else if ((c == ']' || c == '}') && --depth == 0)
				return pos + 1;
		}
		return len;
	}
	if (s[pos] == '-')
		pos++;
	while (pos < len && is_ident_char((unsigned char) s[pos]))
		pos++;
	return pos;
}

/* a record id's text (s, len) in canonical form, or as a JSON string */
static DllbRecordError
key_record(KeyScan *k, const char *s, int len, StringInfo out)
{
	StringInfoData scratch;
	StringInfoData text;
	DllbRecordParts parts;
	DllbRecordError err;
	DllbRecord *rec;

	if (k->depth >= KEY_MAX_DEPTH)
		return DLLB_RECORD_BAD_KEY;
	initStringInfo(&scratch);
	err = dllb_record_parse_depth(s, len, &parts, &scratch, k->depth + 1);
	if (err == DLLB_RECORD_OK)
	{
		rec = dllb_record_build(&parts);
		initStringInfo(&text);
		dllb_record_format(rec, &text, true);
		if (k->to_json)
			key_put_string(out, text.data, text.len, true);
		else
			appendBinaryStringInfo(out, text.data, text.len);
		pfree(text.data);
		pfree(rec);
	}
	pfree(scratch.data);
	return err;
}

typedef struct KeyEntry
{
	char	   *name;
	int			namelen;
	char	   *value;
	int			valuelen;
} KeyEntry;

static int
key_entry_cmp(const void *a, const void *b)
{
	const KeyEntry *x = (const KeyEntry *) a;
	const KeyEntry *y = (const KeyEntry *) b;
	int			c = memcmp(x->name, y->name, Min(x->namelen, y->namelen));

	if (c != 0)
		return c;
	return x->namelen < y->namelen ? -1 : (x->namelen > y->namelen ? 1 : 0);
}

static bool
plain_name(const char *s, int len)
{
	int			i;

	if (len == 0 || !is_ident_start((unsigned char) s[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!is_ident_char((unsigned char) s[i]))
			return false;
	return true;
}

static DllbRecordError
key_object(KeyScan *k, StringInfo out)
{
	KeyEntry   *e = NULL;
	int			n = 0;
	int			cap = 0;
	int			i;
	DllbRecordError err = DLLB_RECORD_OK;

	k->pos++;					/* { */
	for (;;)
	{
		StringInfoData name;
		StringInfoData value;

		if (key_at(k, '}'))
		{
			k->pos++;
			break;
		}
		if (n > 0)
		{
			if (!key_at(k, ','))
			{
				err = DLLB_RECORD_BAD_KEY;
				goto done;
			}
			k->pos++;
			if (key_at(k, '}'))
			{
				k->pos++;
				break;
			}
		}
		key_ws(k);
		if (k->pos >= k->len)
		{
			err = DLLB_RECORD_UNTERMINATED;
			goto done;
		}
		initStringInfo(&name);
		if (k->s[k->pos] == '\'' || k->s[k->pos] == '"')
			err = key_string(k, &name);
		else
		{
			while (k->pos < k->len && is_ident_char((unsigned char) k->s[k->pos]))
				appendStringInfoChar(&name, k->s[k->pos++]);
			if (name.len == 0)
				err = DLLB_RECORD_BAD_KEY;
		}
		if (err == DLLB_RECORD_OK && !key_at(k, ':'))
			err = DLLB_RECORD_BAD_KEY;
		if (err != DLLB_RECORD_OK)
		{
			pfree(name.data);
			goto done;
		}
		k->pos++;
		initStringInfo(&value);
		err = key_value(k, &value);
		if (err != DLLB_RECORD_OK)
		{
			pfree(name.data);
			pfree(value.data);
			goto done;
		}
		if (n == cap)
		{
			cap = cap ? cap * 2 : 4;
			e = e ? repalloc(e, sizeof(KeyEntry) * cap) : palloc(sizeof(KeyEntry) * cap);
		}
		e[n].name = name.data;
		e[n].namelen = name.len;
		e[n].value = value.data;
		e[n].valuelen = value.len;
		n++;
	}
	if (n > 1)
		qsort(e, n, sizeof(KeyEntry), key_entry_cmp);
	appendStringInfoChar(out, '{');
	for (i = 0; i < n; i++)
	{
		if (i > 0 && key_entry_cmp(&e[i - 1], &e[i]) == 0)
		{
			err = DLLB_RECORD_BAD_KEY;	/* a name twice */
			goto done;
		}
		appendStringInfoString(out, i > 0 ? ", " : (k->to_json ? "" : " "));
		if (!k->to_json && plain_name(e[i].name, e[i].namelen))
			appendBinaryStringInfo(out, e[i].name, e[i].namelen);
		else
			key_put_string(out, e[i].name, e[i].namelen, k->to_json);
		appendStringInfoString(out, ": ");
		appendBinaryStringInfo(out, e[i].value, e[i].valuelen);
	}
	appendStringInfoString(out, n > 0 && !k->to_json ? " }" : "}");
done:
	for (i = 0; i < n; i++)
	{
		pfree(e[i].name);
		pfree(e[i].value);
	}
	if (e)
		pfree(e);
	return err;
}

static DllbRecordError
key_value(KeyScan *k, StringInfo out)
{
	const char *s = k->s;
	char		c;
	DllbRecordError err = DLLB_RECORD_OK;

	key_ws(k);
	if (k->pos >= k->len)
		return DLLB_RECORD_UNTERMINATED;
	if (out->len > DLLB_RECORD_MAX_KEY)
		return DLLB_RECORD_KEY_TOO_LONG;
	c = s[k->pos];
	if (c == '[' || c == '{')
	{
		if (++k->depth > KEY_MAX_DEPTH)
			return DLLB_RECORD_BAD_KEY;
		if (c == '{')
			err = key_object(k, out);
		else
		{
			int			n = 0;

			k->pos++;
			appendStringInfoChar(out, '[');
			for (;;)
			{
				if (key_at(k, ']'))
				{
					k->pos++;
					break;
				}
				if (n > 0)
				{
					if (!key_at(k, ','))
						return DLLB_RECORD_BAD_KEY;
					k->pos++;
					if (key_at(k, ']'))
					{
						k->pos++;
						break;
					}
					appendStringInfoString(out, ", ");
				}
				err = key_value(k, out);
				if (err != DLLB_RECORD_OK)
					return err;
				n++;
			}
			appendStringInfoChar(out, ']');
		}
		k->depth--;
		return err;
	}
	if (c == '.' && k->pos + 1 < k->len && s[k->pos + 1] == '.')
	{
		k->pos += 2;
		appendStringInfoString(out, k->to_json ? "null" : "..");
		return DLLB_RECORD_OK;
	}
	if (c == '\'' || c == '"' ||
		((c == 'u' || c == 'd' || c == 'r') && k->pos + 1 < k->len &&
		 (s[k->pos + 1] == '\'' || s[k->pos + 1] == '"')))
	{
		StringInfoData str;
		bool		json_string = k->json && c == '"';

		if (c != '\'' && c != '"')
			k->pos++;
		initStringInfo(&str);
		err = key_string(k, &str);
		if (err == DLLB_RECORD_OK)
		{
			int			colon = 0;

			while (colon < str.len && str.data[colon] != ':')
				colon++;
			if (json_string && colon < str.len && dllb_record_valid_table(str.data, colon) &&
				key_record(k, str.data, str.len, out) == DLLB_RECORD_OK)
				;				/* a record id */
			else
				key_put_string(out, str.data, str.len, k->to_json);
		}
		pfree(str.data);
		return err;
	}
	if (c == '-' || (c >= '0' && c <= '9'))
	{
		int			start = k->pos;
		int			digits = 0;

		if (c == '-')
			k->pos++;
		while (k->pos < k->len && s[k->pos] >= '0' && s[k->pos] <= '9')
			k->pos++, digits++;
		if (digits == 0)
			return DLLB_RECORD_BAD_KEY;
		if (k->pos + 1 < k->len && s[k->pos] == '.' && s[k->pos + 1] >= '0' && s[k->pos + 1] <= '9')
		{
			k->pos++;
			while (k->pos < k->len && s[k->pos] >= '0' && s[k->pos] <= '9')
				k->pos++;
		}
		if (k->pos < k->len && (s[k->pos] == 'e' || s[k->pos] == 'E'))
		{
			int			save = k->pos;

			k->pos++;
			if (k->pos < k->len && (s[k->pos] == '+' || s[k->pos] == '-'))
				k->pos++;
			digits = 0;
			while (k->pos < k->len && s[k->pos] >= '0' && s[k->pos] <= '9')
				k->pos++, digits++;
			if (digits == 0)
				k->pos = save;
		}
		appendBinaryStringInfo(out, s + start, k->pos - start);
		if (k->len - k->pos >= 3 && memcmp(s + k->pos, "dec", 3) == 0)
			k->pos += 3;
		else if (k->pos < k->len && s[k->pos] == 'f')
			k->pos++;
		if (k->pos < k->len && is_ident_char((unsigned char) s[k->pos]))
			return DLLB_RECORD_BAD_KEY;
		return DLLB_RECORD_OK;
	}
	if (is_ident_start((unsigned char) c))
	{
		int			start = k->pos;
		int			wlen;

		while (k->pos < k->len && is_ident_char((unsigned char) s[k->pos]))
			k->pos++;
		wlen = k->pos - start;
		if (k->pos < k->len && s[k->pos] == ':' && wlen <= DLLB_RECORD_MAX_TABLE)
		{
			int			end = k->pos + 1 < k->len ? key_record_end(s, k->len, k->pos + 1) : k->len;

			err = key_record(k, s + start, end - start, out);
			k->pos = end;
			return err;
		}
		if (wlen == 4 && pg_strncasecmp(s + start, "none", 4) == 0)
			appendStringInfoString(out, k->to_json ? "null" : "NONE");
		else if (wlen == 4 && pg_strncasecmp(s + start, "null", 4) == 0)
			appendStringInfoString(out, k->to_json ? "null" : "NULL");
		else if (wlen == 4 && pg_strncasecmp(s + start, "true", 4) == 0)
			appendStringInfoString(out, "true");
		else if (wlen == 5 && pg_strncasecmp(s + start, "false", 5) == 0)
			appendStringInfoString(out, "false");
		else
			return DLLB_RECORD_BAD_KEY;
		return DLLB_RECORD_OK;
	}
	return DLLB_RECORD_BAD_KEY;
}

/*
 * key_canon - the canonical text (or JSON) of the array or object key
 * s[0..len), which must hold exactly one value
 */
static DllbRecordError
key_canon(const char *s, int len, int depth, bool json, bool to_json, StringInfo out)
{
	KeyScan		k;
	DllbRecordError err;

	k.s = s;
	k.len = len;
	k.pos = 0;
	k.depth = depth;
	k.json = json;
	k.to_json = to_json;
	key_ws(&k);
	if (k.pos >= len || (s[k.pos] != '[' && s[k.pos] != '{'))
		return DLLB_RECORD_BAD_KEY;
	err = key_value(&k, out);
	if (err != DLLB_RECORD_OK)
		return err;
	key_ws(&k);
	if (k.pos != len)
		return DLLB_RECORD_TRAILING;
	if (out->len > DLLB_RECORD_MAX_KEY)
		return DLLB_RECORD_KEY_TOO_LONG;
	return DLLB_RECORD_OK;
}

/*
 * dllb_record_key_from_json - the canonical key text of JSON text holding
 * an array or an object (strings that are record ids become records)
 */
DllbRecordError
dllb_record_key_from_json(const char *s, int len, StringInfo out)
{
	return key_canon(s, len, 0, true, false, out);
}

/* dllb_record_key_to_json - an array or object key's canonical text as JSON */
DllbRecordError
dllb_record_key_to_json(const char *s, int len, StringInfo out)
{
	return key_canon(s, len, 0, false, true, out);
}

/* ---- comparing canonical keys ---- */

static int
key_rank(KeyScan *k, int *wlen)
{
	const char *s = k->s + k->pos;
	int			n = k->len - k->pos;
	int			i = 0;

	*wlen = 0;
	if (n <= 0)
		return -1;
	switch (s[0])
	{
		case '[':
			return 8;
		case '{':
			return 9;
		case '\'':
			return 4;
		case '.':
			return 100;
		default:
			break;
	}
	if (s[0] == '-' || (s[0] >= '0' && s[0] <= '9'))
		return 3;
	while (i < n && is_ident_char((unsigned char) s[i]))
		i++;
	*wlen = i;
	if (i < n && s[i] == ':')
		return 12;
	if (i == 4 && memcmp(s, "NONE", 4) == 0)
		return 0;
	if (i == 4 && memcmp(s, "NULL", 4) == 0)
		return 1;
	return 2;
}

static int
key_cmp_value(KeyScan *a, KeyScan *b)
{
	int			alen,
				blen;
	int			ra = key_rank(a, &alen);
	int			rb = key_rank(b, &blen);
	int			c = 0;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	switch (ra)
	{
		case 0:
		case 1:
			a->pos += 4;
			b->pos += 4;
			return 0;
		case 2:
			c = (alen == 4) - (blen == 4);	/* true (4 letters) after false */
			a->pos += alen;
			b->pos += blen;
			return c;
		case 3:
			{
				char		abuf[64],
							bbuf[64];
				int			as = a->pos,
							bs = b->pos;
				bool		aint = true,
							bint = true;
				double		x,
							y;

				a->pos++;
				while (a->pos < a->len && strchr("0123456789.eE+-", a->s[a->pos]))
				{
					if (!(a->s[a->pos] >= '0' && a->s[a->pos] <= '9'))
						aint = false;
					a->pos++;
				}
				b->pos++;
				while (b->pos < b->len && strchr("0123456789.eE+-", b->s[b->pos]))
				{
					if (!(b->s[b->pos] >= '0' && b->s[b->pos] <= '9'))
						bint = false;
					b->pos++;
				}
				snprintf(abuf, sizeof(abuf), "%.*s", Min(a->pos - as, 63), a->s + as);
				snprintf(bbuf, sizeof(bbuf), "%.*s", Min(b->pos - bs, 63), b->s + bs);
				if (aint && bint && a->pos - as < 19 && b->pos - bs < 19)
				{
					long long	xi = strtoll(abuf, NULL, 10);
					long long	yi = strtoll(bbuf, NULL, 10);

					return xi < yi ? -1 : (xi > yi ? 1 : 0);
				}
				x = strtod(abuf, NULL);
				y = strtod(bbuf, NULL);
				return x < y ? -1 : (x > y ? 1 : 0);
			}
		case 4:
			{
				StringInfoData x,
							y;

				initStringInfo(&x);
				initStringInfo(&y);
				(void) key_string(a, &x);
				(void) key_string(b, &y);
				c = memcmp(x.data, y.data, Min(x.len, y.len));
				c = c != 0 ? (c < 0 ? -1 : 1) : (x.len < y.len ? -1 : (x.len > y.len ? 1 : 0));
				pfree(x.data);
				pfree(y.data);
				return c;
			}
		case 8:
		case 9:
			{
				char		close = ra == 8 ? ']' : '}';

				a->pos++;
				b->pos++;
				for (;;)
				{
					bool		aend,
								bend;

					key_ws(a);
					key_ws(b);
					if (a->pos < a->len && a->s[a->pos] == ',')
						a->pos++, key_ws(a);
					if (b->pos < b->len && b->s[b->pos] == ',')
						b->pos++, key_ws(b);
					aend = a->pos >= a->len || a->s[a->pos] == close;
					bend = b->pos >= b->len || b->s[b->pos] == close;
					if (aend || bend)
					{
						if (aend && bend)
						{
							a->pos++;
							b->pos++;
							return 0;
						}
						return aend ? -1 : 1;
					}
					if (ra == 9)
					{
						/* a name, then its value */
						StringInfoData x,
									y;
						int			sa = a->pos,
									sb = b->pos;

						initStringInfo(&x);
						initStringInfo(&y);
						if (a->s[a->pos] == '\'')
							(void) key_string(a, &x);
						else
							while (a->pos < a->len && is_ident_char((unsigned char) a->s[a->pos]))
								appendStringInfoChar(&x, a->s[a->pos++]);
						if (b->s[b->pos] == '\'')
							(void) key_string(b, &y);
						else
							while (b->pos < b->len && is_ident_char((unsigned char) b->s[b->pos]))
								appendStringInfoChar(&y, b->s[b->pos++]);
						c = memcmp(x.data, y.data, Min(x.len, y.len));
						c = c != 0 ? (c < 0 ? -1 : 1) : (x.len < y.len ? -1 : (x.len > y.len ? 1 : 0));
						pfree(x.data);
						pfree(y.data);
						if (c != 0)
							return c;
						if (a->pos == sa || b->pos == sb)
							return 0;	/* not canonical text */
						key_ws(a);
						key_ws(b);
						if (a->pos < a->len && a->s[a->pos] == ':')
							a->pos++;
						if (b->pos < b->len && b->s[b->pos] == ':')
							b->pos++;
						key_ws(a);
						key_ws(b);
					}
					c = key_cmp_value(a, b);
					if (c != 0)
						return c;
				}
			}
		case 12:
			{
				int			ae = key_record_end(a->s, a->len, a->pos + alen + 1);
				int			be = key_record_end(b->s, b->len, b->pos + blen + 1);
				StringInfoData x,
							y;
				DllbRecordParts px,
							py;

				initStringInfo(&x);
				initStringInfo(&y);
				if (dllb_record_parse(a->s + a->pos, ae - a->pos, &px, &x) == DLLB_RECORD_OK &&
					dllb_record_parse(b->s + b->pos, be - b->pos, &py, &y) == DLLB_RECORD_OK)
				{
					DllbRecord *rx = dllb_record_build(&px);
					DllbRecord *ry = dllb_record_build(&py);

					c = dllb_record_compare(rx, ry);
					pfree(rx);
					pfree(ry);
				}
				pfree(x.data);
				pfree(y.data);
				a->pos = ae;
				b->pos = be;
				return c;
			}
		case 100:
			a->pos += 2;
			b->pos += 2;
			return 0;
		default:
			return 0;
	}
}

/* compare two canonical array or object keys */
static int
key_compare(const char *a, int alen, const char *b, int blen)
{
	KeyScan		x,
				y;

	memset(&x, 0, sizeof(x));
	memset(&y, 0, sizeof(y));
	x.s = a;
	x.len = alen;
	y.s = b;
	y.len = blen;
	return key_cmp_value(&x, &y);
}

/*
 * dllb_record_parse - parse the text form of a record id into parts.
 *
 * String keys that needed unescaping are written to scratch (which the
 * caller initialised) and parts->str points into it; otherwise parts->str
 * points into str.  Nothing is allocated except in scratch.
 */
DllbRecordError
dllb_record_parse(const char *str, int len, DllbRecordParts *parts,
				  StringInfo scratch)
{
	return dllb_record_parse_depth(str, len, parts, scratch, 0);
}

/* dllb_record_parse inside depth array or object keys */
static DllbRecordError
dllb_record_parse_depth(const char *str, int len, DllbRecordParts *parts,
						StringInfo scratch, int depth)
{
	int			start = 0;
	int			end = len;
	int			i;
	int			keystart;
	DllbRecordError err;

	memset(parts, 0, sizeof(*parts));
	while (start < end && is_space((unsigned char) str[start]))
		start++;
	while (end > start && is_space((unsigned char) str[end - 1]))
		end--;
	if (start == end)
		return DLLB_RECORD_EMPTY;

	/* table */
	i = start;
	while (i < end && str[i] != ':')
		i++;
	if (i == end)
		return DLLB_RECORD_NO_COLON;
	if (i - start > DLLB_RECORD_MAX_TABLE)
		return DLLB_RECORD_TABLE_TOO_LONG;
	if (!dllb_record_valid_table(str + start, i - start))
		return DLLB_RECORD_BAD_TABLE;
	parts->table = str + start;
	parts->tblen = i - start;

	/* key */
	keystart = i + 1;
	i = keystart;
	if (i == end)
		return DLLB_RECORD_EMPTY_KEY;

	if (end - i >= BRACKET_LEN && memcmp(str + i, LBRACKET, BRACKET_LEN) == 0)
	{
		i += BRACKET_LEN;
		resetStringInfo(scratch);
		err = parse_bracketed(str, end, &i, RBRACKET, BRACKET_LEN, scratch);
		if (err != DLLB_RECORD_OK)
			return err;
		if (i != end)
			return DLLB_RECORD_TRAILING;
		parts->kind = DLLB_KEY_STRING;
		parts->str = scratch->data;
		parts->strlen = scratch->len;
		return DLLB_RECORD_OK;
	}
	if (str[i] == '[' || str[i] == '{')
	{
		/* an array or object key, kept as its canonical text */
		resetStringInfo(scratch);
		err = key_canon(str + i, end - i, depth, false, false, scratch);
		if (err != DLLB_RECORD_OK)
			return err;
		parts->kind = str[i] == '[' ? DLLB_KEY_ARRAY : DLLB_KEY_OBJECT;
		parts->str = scratch->data;
		parts->strlen = scratch->len;
		return DLLB_RECORD_OK;
	}
	if (str[i] == '`')
	{
		i++;
		resetStringInfo(scratch);
		err = parse_bracketed(str, end, &i, "`", 1, scratch);
		if (err != DLLB_RECORD_OK)
			return err;
		if (i != end)
			return DLLB_RECORD_TRAILING;
		parts->kind = DLLB_KEY_STRING;
		parts->str = scratch->data;
		parts->strlen = scratch->len;
		return DLLB_RECORD_OK;
	}
	if (str[i] == 'u' && i + 1 < end && (str[i + 1] == '\'' || str[i + 1] == '"'))
	{
		char		q = str[i + 1];

		if (end - i < 3 || str[end - 1] != q)
			return DLLB_RECORD_UNTERMINATED;
		if (!parse_uuid(str + i + 2, end - i - 3, parts->uuid))
			return DLLB_RECORD_BAD_UUID;
		parts->kind = DLLB_KEY_UUID;
		return DLLB_RECORD_OK;
	}

	/* integer or bare identifier */
	{
		bool		neg = false;
		bool		alldigits = true;
		int			j = i;

		if (str[j] == '-')
		{
			neg = true;
			j++;
			if (j == end)
				return DLLB_RECORD_BAD_KEY;
		}
		for (; j < end; j++)
		{
			unsigned char c = (unsigned char) str[j];

			if (!is_ident_char(c))
				return (c == ' ' || c == '\t') ? DLLB_RECORD_TRAILING : DLLB_RECORD_BAD_KEY;
			if (c < '0' || c > '9')
				alldigits = false;
		}
		if (neg && !alldigits)
			return DLLB_RECORD_BAD_KEY;
		if (alldigits)
		{
			/* accumulate negatively so INT64_MIN fits */
			int64		v = 0;

			for (j = neg ? i + 1 : i; j < end; j++)
			{
				int			d = str[j] - '0';

				if (v < (PG_INT64_MIN + d) / 10)
					return DLLB_RECORD_INT_RANGE;
				v = v * 10 - d;
			}
			if (!neg)
			{
				if (v == PG_INT64_MIN)
					return DLLB_RECORD_INT_RANGE;
				v = -v;
			}
			parts->kind = DLLB_KEY_INT;
			parts->ival = v;
			return DLLB_RECORD_OK;
		}
		if (end - i > DLLB_RECORD_MAX_KEY)
			return DLLB_RECORD_KEY_TOO_LONG;
		parts->kind = DLLB_KEY_STRING;
		parts->str = str + i;
		parts->strlen = end - i;
		return DLLB_RECORD_OK;
	}
}

/*
 * dllb_record_error_message - the user-facing text for a parse error.
 */
const char *
dllb_record_error_message(DllbRecordError err)
{
	switch (err)
	{
		case DLLB_RECORD_OK:
			return "no error";
		case DLLB_RECORD_EMPTY:
			return "record id is empty";
		case DLLB_RECORD_NO_COLON:
			return "record id has no \":\" between table and key";
		case DLLB_RECORD_BAD_TABLE:
			return "table name must be an identifier (letters, digits and _, not starting with a digit)";
		case DLLB_RECORD_TABLE_TOO_LONG:
			return "table name is longer than 63 bytes";
		case DLLB_RECORD_EMPTY_KEY:
			return "record id has an empty key";
		case DLLB_RECORD_BAD_KEY:
			return "key must be an integer, an identifier, a string in ⟨⟩ or ``, a uuid u'...', an array [...] or an object {...}";
		case DLLB_RECORD_INT_RANGE:
			return "integer key is out of range for a 64-bit integer";
		case DLLB_RECORD_UNTERMINATED:
			return "key has no closing bracket or quote";
		case DLLB_RECORD_BAD_UUID:
			return "uuid key is not of the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
		case DLLB_RECORD_TRAILING:
			return "unexpected characters after the key";
		case DLLB_RECORD_KEY_TOO_LONG:
			return "string key is longer than 1 MB";
	}
	return "unknown error";
}

/*
 * dllb_record_build - a palloc'd datum for parts.
 */
DllbRecord *
dllb_record_build(const DllbRecordParts *parts)
{
	int			keylen;
	Size		size;
	DllbRecord *rec;

	switch (parts->kind)
	{
		case DLLB_KEY_INT:
			keylen = sizeof(int64);
			break;
		case DLLB_KEY_UUID:
			keylen = 16;
			break;
		default:
			keylen = parts->strlen;
			break;
	}
	size = DLLB_RECORD_HDRSZ + parts->tblen + keylen;
	rec = (DllbRecord *) palloc0(size);
	SET_VARSIZE(rec, size);
	rec->kind = (uint8) parts->kind;
	rec->tblen = (uint8) parts->tblen;
	memcpy(rec->data, parts->table, parts->tblen);
	switch (parts->kind)
	{
		case DLLB_KEY_INT:
			memcpy(rec->data + parts->tblen, &parts->ival, sizeof(int64));
			break;
		case DLLB_KEY_UUID:
			memcpy(rec->data + parts->tblen, parts->uuid, 16);
			break;
		default:
			if (keylen > 0)
				memcpy(rec->data + parts->tblen, parts->str, keylen);
			break;
	}
	return rec;
}

/*
 * dllb_record_to_parts - split a datum into parts (pointing into rec).
 */
void
dllb_record_to_parts(const DllbRecord *rec, DllbRecordParts *parts)
{
	memset(parts, 0, sizeof(*parts));
	parts->table = rec->data;
	parts->tblen = rec->tblen;
	parts->kind = (DllbRecordKeyKind) rec->kind;
	switch (parts->kind)
	{
		case DLLB_KEY_INT:
			memcpy(&parts->ival, DllbRecordKey(rec), sizeof(int64));
			break;
		case DLLB_KEY_UUID:
			memcpy(parts->uuid, DllbRecordKey(rec), 16);
			break;
		default:
			parts->str = DllbRecordKey(rec);
			parts->strlen = DllbRecordKeyLen(rec);
			break;
	}
}

/*
 * dllb_record_format_key - append the key's text form to out.
 */
void
dllb_record_format_key(const DllbRecord *rec, StringInfo out, bool utf8_brackets)
{
	DllbRecordParts p;
	int			i;

	dllb_record_to_parts(rec, &p);
	switch (p.kind)
	{
		case DLLB_KEY_INT:
			appendStringInfo(out, INT64_FORMAT, p.ival);
			return;
		case DLLB_KEY_UUID:
			appendStringInfoString(out, "u'");
			for (i = 0; i < 16; i++)
			{
				appendStringInfo(out, "%02x", p.uuid[i]);
				if (i == 3 || i == 5 || i == 7 || i == 9)
					appendStringInfoChar(out, '-');
			}
			appendStringInfoChar(out, '\'');
			return;
		case DLLB_KEY_ARRAY:
		case DLLB_KEY_OBJECT:
			appendBinaryStringInfo(out, p.str, p.strlen);
			return;
		case DLLB_KEY_STRING:
			{
				bool		bare = p.strlen > 0;
				bool		alldigits = true;

				for (i = 0; i < p.strlen && bare; i++)
				{
					unsigned char c = (unsigned char) p.str[i];

					if (!is_ident_char(c))
						bare = false;
					else if (c < '0' || c > '9')
						alldigits = false;
				}
				if (bare && !alldigits)
				{
					appendBinaryStringInfo(out, p.str, p.strlen);
					return;
				}
				appendStringInfoString(out, utf8_brackets ? LBRACKET : "`");
				for (i = 0; i < p.strlen; i++)
				{
					if (p.str[i] == '\\')
						appendStringInfoString(out, "\\\\");
					else if (utf8_brackets && i + BRACKET_LEN <= p.strlen &&
							 memcmp(p.str + i, RBRACKET, BRACKET_LEN) == 0)
					{
						appendStringInfoString(out, "\\" RBRACKET);
						i += BRACKET_LEN - 1;
					}
					else if (!utf8_brackets && p.str[i] == '`')
						appendStringInfoString(out, "\\`");
					else
						appendStringInfoChar(out, p.str[i]);
				}
				appendStringInfoString(out, utf8_brackets ? RBRACKET : "`");
				return;
			}
	}
}

/*
 * dllb_record_format - append "table:key" to out.
 */
void
dllb_record_format(const DllbRecord *rec, StringInfo out, bool utf8_brackets)
{
	appendBinaryStringInfo(out, rec->data, rec->tblen);
	appendStringInfoChar(out, ':');
	dllb_record_format_key(rec, out, utf8_brackets);
}

/*
 * dllb_record_compare_raw - dllb_record_compare over the bytes after the
 * varlena header (kind, tblen, table, key) of two records.
 */
int
dllb_record_compare_raw(const uint8 *a, int alen, const uint8 *b, int blen)
{
	int			c;
	int			atb = a[1],
				btb = b[1];
	int			akey = alen - 2 - atb,
				bkey = blen - 2 - btb;

	c = memcmp(a + 2, b + 2, Min(atb, btb));
	if (c != 0)
		return c < 0 ? -1 : 1;
	if (atb != btb)
		return atb < btb ? -1 : 1;
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	if (a[0] == DLLB_KEY_INT)
	{
		int64		x,
					y;

		memcpy(&x, a + 2 + atb, sizeof(int64));
		memcpy(&y, b + 2 + btb, sizeof(int64));
		return x < y ? -1 : (x > y ? 1 : 0);
	}
	if (a[0] == DLLB_KEY_ARRAY || a[0] == DLLB_KEY_OBJECT)
		return key_compare((const char *) a + 2 + atb, akey, (const char *) b + 2 + btb, bkey);
	c = memcmp(a + 2 + atb, b + 2 + btb, Min(akey, bkey));
	if (c != 0)
		return c < 0 ? -1 : 1;
	return akey < bkey ? -1 : (akey > bkey ? 1 : 0);
}

/*
 * dllb_record_compare - order by table, then key kind, then key.
 */
int
dllb_record_compare(const DllbRecord *a, const DllbRecord *b)
{
	return dllb_record_compare_raw((const uint8 *) a + VARHDRSZ, VARSIZE(a) - VARHDRSZ,
								   (const uint8 *) b + VARHDRSZ, VARSIZE(b) - VARHDRSZ);
}
