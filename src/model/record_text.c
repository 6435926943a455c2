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
			return "key must be an integer, an identifier, a string in ⟨⟩ or ``, or a uuid u'...'";
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
