/*-------------------------------------------------------------------------
 *
 * lexer.c
 *	  The dialect's lexer.
 *
 * Shaped like SQLite's tokenizer: one pass over the bytes, a switch on the
 * first character of each token, no backtracking beyond one character.
 * Produces every token up front (statements are short) with its byte
 * offset, line and column (columns count characters, UTF-8 aware), so the
 * parser can report "line 3, column 14: found ',' but expected ..." with
 * an excerpt and a caret.
 *
 *	  comments     -- ...  // ...  # ...  (to end of line), and C-style
 *	               block comments
 *	  identifiers  [A-Za-z_][A-Za-z0-9_]* (keywords: keywords.h, any case),
 *	               `quoted` and ⟨quoted⟩ (backslash escapes the closer)
 *	  numbers      123, 1.5, 1e3, 1.5e-3 (a '.' followed by '.' ends a
 *	               number, so 1..3 is 1 .. 3)
 *	  strings      'x' and "x" with backslash escapes \\ \' \" \n \t \r
 *	  datetimes    d'2024-01-01T00:00:00Z' (also d"...")
 *	  parameters   $name
 *	  operators    ( ) [ ] { } , ; : :: . .. ? = == != < <= > >= + - * /
 *	               % ** ! || && ?? ?: | -> <- <-> <| |> and the full-text
 *	               matches @@, @N@, @OR@, @AND@, @N,OR@, @N,AND@
 *
 * Pure function (errors are codes), frontend-buildable for the fuzz target.
 *
 * IDENTIFICATION
 *	  src/surql/lexer.c
 *
 *-------------------------------------------------------------------------
 */
#include "surql/lexer.h"

#include "lib/stringinfo.h"

static const char *const keyword_names[] = {
	"",
#define SURQL_KEYWORD(name) #name,
#include "surql/keywords.h"
#undef SURQL_KEYWORD
};

#define LBRACKET "\xe2\x9f\xa8"
#define RBRACKET "\xe2\x9f\xa9"

typedef struct Lexer
{
	const char *in;
	int			len;
	int			pos;
	int			line;
	int			line_start;		/* byte offset where the line starts */
	int			col_off;		/* column_of's last offset on this line ... */
	int			col;			/* ... and its column (0: none yet) */
	SurqlToken *tokens;
	int			n;
	int			cap;
} Lexer;

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

/*
 * dllb_surql_is_plain_word - whether s is a name the lexer reads bare:
 * a letter or _, then letters, digits and _ (keywords included).
 */
bool
dllb_surql_is_plain_word(const char *s)
{
	int			i;

	if (!is_ident_start((unsigned char) s[0]))
		return false;
	for (i = 1; s[i]; i++)
		if (!is_ident_char((unsigned char) s[i]))
			return false;
	return true;
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/*
 * column (1-based, in characters) of byte offset off on the current line;
 * counted on from the last one asked for on the line, so that a long line
 * costs linear time, not quadratic
 */
static int
column_of(Lexer *lx, int off)
{
	int			col = 1;
	int			i = lx->line_start;

	if (lx->col > 0 && lx->col_off >= lx->line_start && lx->col_off <= off)
	{
		col = lx->col;
		i = lx->col_off;
	}
	for (; i < off; i++)
		if (((unsigned char) lx->in[i] & 0xC0) != 0x80)
			col++;
	lx->col_off = off;
	lx->col = col;
	return col;
}

/* advance over one byte, keeping line counts */
static void
advance(Lexer *lx)
{
	if (lx->in[lx->pos] == '\n')
	{
		lx->line++;
		lx->line_start = lx->pos + 1;
	}
	lx->pos++;
}

static SurqlToken *
push(Lexer *lx, SurqlTokenKind kind, int start, int line, int col)
{
	SurqlToken *t;

	if (lx->n == lx->cap)
	{
		lx->cap = lx->cap ? lx->cap * 2 : 64;
		lx->tokens = lx->tokens ? repalloc(lx->tokens, sizeof(SurqlToken) * lx->cap)
			: palloc(sizeof(SurqlToken) * lx->cap);
	}
	t = &lx->tokens[lx->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->offset = start;
	t->line = line;
	t->column = col;
	t->text = pnstrdup(lx->in + start, lx->pos - start);
	t->len = lx->pos - start;
	return t;
}

static SurqlKeyword
keyword_lookup(const char *s, int len)
{
	int			k;

	for (k = 1; k < KW_COUNT_; k++)
		if ((int) strlen(keyword_names[k]) == len &&
			pg_strncasecmp(keyword_names[k], s, len) == 0)
			return (SurqlKeyword) k;
	return KW_NONE_;
}

/*
 * read a quoted body from lx->pos (just past the opener) up to close;
 * backslash escapes; returns false when unterminated
 */
static bool
read_quoted(Lexer *lx, const char *close, int closelen, bool c_escapes,
			StringInfo out)
{
	while (lx->pos < lx->len)
	{
		char		c = lx->in[lx->pos];

		if (c == '\\' && lx->pos + 1 < lx->len)
		{
			char		e = lx->in[lx->pos + 1];

			advance(lx);
			if (c_escapes && e == 'n')
				appendStringInfoChar(out, '\n');
			else if (c_escapes && e == 't')
				appendStringInfoChar(out, '\t');
			else if (c_escapes && e == 'r')
				appendStringInfoChar(out, '\r');
			else if (lx->pos + closelen <= lx->len &&
					 memcmp(lx->in + lx->pos, close, closelen) == 0)
			{
				appendBinaryStringInfo(out, close, closelen);
				lx->pos += closelen - 1;
			}
			else
				appendStringInfoChar(out, e);
			advance(lx);
			continue;
		}
		if (lx->pos + closelen <= lx->len && memcmp(lx->in + lx->pos, close, closelen) == 0)
		{
			lx->pos += closelen;
			return true;
		}
		if (c == '\0')
			return false;
		appendStringInfoChar(out, c);
		advance(lx);
	}
	return false;
}

static void
fail(Lexer *lx, SurqlLexResult *res, SurqlLexError err, int off, int line, int col)
{
	res->error = err;
	res->err_offset = off;
	res->err_line = line;
	res->err_column = col;
	res->tokens = lx->tokens;
	res->ntokens = lx->n;
}

/*
 * regex_may_start - whether a / after the tokens so far starts a regex
 * /pattern/ (where a value starts: at the start, after an operator or an
 * opening bracket, or after one of a few keywords) rather than dividing.
 * A * after a dot (a.*), a ? after an arrow (->?) and .. (the open
 * range of records t:1..) end a value: a / after them divides.
 */
static bool
regex_may_start(const Lexer *lx)
{
	const SurqlToken *t;
	SurqlTokenKind before;

	if (lx->n == 0)
		return true;
	t = &lx->tokens[lx->n - 1];
	before = lx->n > 1 ? lx->tokens[lx->n - 2].kind : TK_EOF;
	switch (t->kind)
	{
		case TK_STAR:
			return before != TK_DOT;
		case TK_QUESTION:
			return before != TK_ARROW_OUT && before != TK_ARROW_IN &&
				before != TK_ARROW_BOTH;
		case TK_DOTDOT:
			return false;
		case TK_IDENT:
		case TK_INTEGER:
		case TK_FLOAT:
		case TK_STRING:
		case TK_DATETIME:
		case TK_PARAM:
		case TK_RPAREN:
		case TK_RBRACKET:
		case TK_RBRACE:
		case TK_REGEX:
			return false;
		case TK_KEYWORD:
			switch (t->keyword)
			{
				case KW_AND:
				case KW_OR:
				case KW_NOT:
				case KW_IN:
				case KW_INSIDE:
				case KW_IS:
				case KW_CONTAINS:
				case KW_CONTAINSALL:
				case KW_CONTAINSANY:
				case KW_CONTAINSNOT:
				case KW_RETURN:
				case KW_WHERE:
				case KW_SELECT:
				case KW_THEN:
				case KW_ELSE:
				case KW_IF:
					return true;
				default:
					return false;
			}
		default:
			return true;
	}
}

/*
 * dllb_surql_lex - tokenize in[0..len).  On success res->tokens ends with
 * TK_EOF; on error res->error says what and where.
 */
void
dllb_surql_lex(const char *in, int len, SurqlLexResult *res)
{
	Lexer		lx;

	memset(res, 0, sizeof(*res));
	memset(&lx, 0, sizeof(lx));
	lx.in = in;
	lx.len = len;
	lx.line = 1;
	if (len > SURQL_MAX_LEN)
	{
		fail(&lx, res, SURQL_LEX_TOO_LONG, 0, 1, 1);
		return;
	}

	for (;;)
	{
		int			start;
		int			line;
		int			col;
		unsigned char c;

		/* white space and comments */
		while (lx.pos < len)
		{
			c = (unsigned char) in[lx.pos];
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
				advance(&lx);
			else if ((c == '-' && lx.pos + 1 < len && in[lx.pos + 1] == '-') ||
					 (c == '/' && lx.pos + 1 < len && in[lx.pos + 1] == '/') ||
					 c == '#')
			{
				while (lx.pos < len && in[lx.pos] != '\n')
					lx.pos++;
			}
			else if (c == '/' && lx.pos + 1 < len && in[lx.pos + 1] == '*')
			{
				int			cstart = lx.pos,
							cline = lx.line,
							ccol = column_of(&lx, lx.pos);

				lx.pos += 2;
				while (lx.pos + 1 < len && !(in[lx.pos] == '*' && in[lx.pos + 1] == '/'))
					advance(&lx);
				if (lx.pos + 1 >= len)
				{
					fail(&lx, res, SURQL_LEX_UNTERMINATED_COMMENT, cstart, cline, ccol);
					return;
				}
				lx.pos += 2;
			}
			else
				break;
		}
		start = lx.pos;
		line = lx.line;
		col = column_of(&lx, lx.pos);
		if (lx.pos >= len)
		{
			push(&lx, TK_EOF, start, line, col);
			break;
		}
		c = (unsigned char) in[lx.pos];

		/* d'...': a datetime; u'...': a uuid, a string (KILL u'...') */
		if ((c == 'd' || c == 'u') && lx.pos + 1 < len &&
			(in[lx.pos + 1] == '\'' || in[lx.pos + 1] == '"'))
		{
			StringInfoData buf;
			char		q[2] = {in[lx.pos + 1], '\0'};
			SurqlToken *t;

			lx.pos += 2;
			initStringInfo(&buf);
			if (!read_quoted(&lx, q, 1, false, &buf))
			{
				pfree(buf.data);
				fail(&lx, res, SURQL_LEX_UNTERMINATED_STRING, start, line, col);
				return;
			}
			t = push(&lx, c == 'd' ? TK_DATETIME : TK_STRING, start, line, col);
			pfree(t->text);
			t->text = buf.data;
			t->len = buf.len;
			t->flag = (c == 'u');	/* a uuid literal */
			continue;
		}
		if (is_ident_start(c))
		{
			SurqlToken *t;
			SurqlKeyword kw;

			while (lx.pos < len && is_ident_char((unsigned char) in[lx.pos]))
				lx.pos++;
			kw = keyword_lookup(in + start, lx.pos - start);
			t = push(&lx, kw ? TK_KEYWORD : TK_IDENT, start, line, col);
			t->keyword = kw;
			continue;
		}
		if (is_digit(c))
		{
			SurqlToken *t;
			bool		is_float = false;
			int64		v = 0;
			bool		overflow = false;

			/* digits, an underscore between two of them: 1_000_000 */
			while (lx.pos < len && (is_digit((unsigned char) in[lx.pos]) ||
									(in[lx.pos] == '_' && lx.pos + 1 < len &&
									 is_digit((unsigned char) in[lx.pos + 1]))))
				lx.pos++;
			if (lx.pos + 1 < len && in[lx.pos] == '.' && is_digit((unsigned char) in[lx.pos + 1]))
			{
				is_float = true;
				lx.pos++;
				while (lx.pos < len && (is_digit((unsigned char) in[lx.pos]) ||
										(in[lx.pos] == '_' && lx.pos + 1 < len &&
										 is_digit((unsigned char) in[lx.pos + 1]))))
					lx.pos++;
			}
			if (lx.pos < len && (in[lx.pos] == 'e' || in[lx.pos] == 'E'))
			{
				int			save = lx.pos;

				lx.pos++;
				if (lx.pos < len && (in[lx.pos] == '+' || in[lx.pos] == '-'))
					lx.pos++;
				if (lx.pos < len && is_digit((unsigned char) in[lx.pos]))
				{
					is_float = true;
					while (lx.pos < len && is_digit((unsigned char) in[lx.pos]))
						lx.pos++;
				}
				else
					lx.pos = save;
			}
			if (lx.pos < len && is_ident_start((unsigned char) in[lx.pos]))
			{
				/* 12abc: a record key, not a number; let the parser see an ident */
				while (lx.pos < len && is_ident_char((unsigned char) in[lx.pos]))
					lx.pos++;
				push(&lx, TK_IDENT, start, line, col);
				continue;
			}
			t = push(&lx, is_float ? TK_FLOAT : TK_INTEGER, start, line, col);
			if (memchr(t->text, '_', t->len) != NULL)
			{
				/* the number's text without its underscores */
				int			i,
							j = 0;

				for (i = 0; i < t->len; i++)
					if (t->text[i] != '_')
						t->text[j++] = t->text[i];
				t->text[j] = '\0';
				t->len = j;
			}
			if (!is_float)
			{
				int			i;

				for (i = start; i < lx.pos; i++)
				{
					int			d = in[i] - '0';

					if (in[i] == '_')
						continue;

					if (v > (PG_INT64_MAX - d) / 10)
						overflow = true;
					else
						v = v * 10 + d;
				}
				if (overflow)
					t->kind = TK_FLOAT;	/* too big for int64: a number anyway */
				t->ival = v;
			}
			continue;
		}
		if (c == '\'' || c == '"' || c == '`' ||
			(lx.pos + 3 <= len && memcmp(in + lx.pos, LBRACKET, 3) == 0))
		{
			StringInfoData buf;
			SurqlToken *t;
			bool		ok;
			SurqlTokenKind kind;

			initStringInfo(&buf);
			if (c == '`')
			{
				lx.pos++;
				ok = read_quoted(&lx, "`", 1, false, &buf);
				kind = TK_IDENT;
			}
			else if (c == 0xe2)
			{
				lx.pos += 3;
				ok = read_quoted(&lx, RBRACKET, 3, false, &buf);
				kind = TK_IDENT;
			}
			else
			{
				char		q[2] = {(char) c, '\0'};

				lx.pos++;
				ok = read_quoted(&lx, q, 1, true, &buf);
				kind = TK_STRING;
			}
			if (!ok)
			{
				pfree(buf.data);
				fail(&lx, res, kind == TK_STRING ? SURQL_LEX_UNTERMINATED_STRING :
					 SURQL_LEX_UNTERMINATED_IDENT, start, line, col);
				return;
			}
			t = push(&lx, kind, start, line, col);
			pfree(t->text);
			t->text = buf.data;
			t->len = buf.len;
			t->flag = (kind == TK_IDENT);	/* a quoted name */
			continue;
		}
		if (c == '$')
		{
			SurqlToken *t;

			lx.pos++;
			if (lx.pos >= len || !is_ident_start((unsigned char) in[lx.pos]))
			{
				fail(&lx, res, SURQL_LEX_BAD_PARAM, start, line, col);
				return;
			}
			while (lx.pos < len && is_ident_char((unsigned char) in[lx.pos]))
				lx.pos++;
			t = push(&lx, TK_PARAM, start, line, col);
			pfree(t->text);
			t->text = pnstrdup(in + start + 1, lx.pos - start - 1);
			t->len = lx.pos - start - 1;
			continue;
		}
		if (c == '@')
		{
			/* @@, @N@, @OR@, @N,OR@ */
			SurqlToken *t;
			int64		num = 0;
			bool		or_flag = false;
			int			digits = 0;

			lx.pos++;
			if (lx.pos >= len || (in[lx.pos] != '@' && !is_digit((unsigned char) in[lx.pos]) &&
								  !((in[lx.pos] | 0x20) >= 'a' && (in[lx.pos] | 0x20) <= 'z')))
			{
				/* @ alone (before ->, <-, <-> or .{): the current record */
				push(&lx, TK_AT, start, line, col);
				continue;
			}
			while (lx.pos < len && is_digit((unsigned char) in[lx.pos]) && digits < 9)
			{
				num = num * 10 + (in[lx.pos] - '0');
				lx.pos++;
				digits++;
			}
			if (lx.pos < len && in[lx.pos] == ',' && digits > 0)
				lx.pos++;
			if (lx.pos + 2 <= len && pg_strncasecmp(in + lx.pos, "OR", 2) == 0 &&
				(digits == 0 || in[lx.pos - 1] == ','))
			{
				or_flag = true;
				lx.pos += 2;
			}
			else if (lx.pos + 3 <= len && pg_strncasecmp(in + lx.pos, "AND", 3) == 0 &&
					 (digits == 0 || in[lx.pos - 1] == ','))
				lx.pos += 3;	/* @AND@: every word, as @@ */
			else if (digits > 0 && in[lx.pos - 1] == ',')
			{
				fail(&lx, res, SURQL_LEX_BAD_MATCH, start, line, col);
				return;
			}
			if (lx.pos >= len || in[lx.pos] != '@')
			{
				fail(&lx, res, SURQL_LEX_BAD_MATCH, start, line, col);
				return;
			}
			lx.pos++;
			t = push(&lx, TK_MATCH, start, line, col);
			t->ival = num;
			t->flag = or_flag;
			continue;
		}

		/* /pattern/: a regex, where a value starts and it ends on its line (no NUL) */
		if (c == '/' && regex_may_start(&lx))
		{
			int			end = lx.pos + 1;

			while (end < len && in[end] != '/' && in[end] != '\n' && in[end] != '\0')
				end += (in[end] == '\\' && end + 1 < len && in[end + 1] != '\n' &&
						in[end + 1] != '\0') ? 2 : 1;
			if (end < len && in[end] == '/' && end > lx.pos + 1)
			{
				SurqlToken *t;
				int			i,
							j = 0;

				lx.pos = end + 1;
				t = push(&lx, TK_REGEX, start, line, col);
				/* the text between the slashes, \/ as / */
				pfree(t->text);
				t->text = palloc(end - start + 1);
				for (i = start + 1; i < end; i++)
				{
					if (in[i] == '\\' && in[i + 1] == '/')
						i++;
					else if (in[i] == '\\')
						t->text[j++] = in[i++];
					t->text[j++] = in[i];
				}
				t->text[j] = '\0';
				t->len = j;
				continue;
			}
		}

		/* punctuation and operators, longest first */
		{
			SurqlTokenKind kind;
			const char *s = in + lx.pos;
			int			rest = len - lx.pos;

#define MATCH3(a,b,c3) (rest >= 3 && s[0] == (a) && s[1] == (b) && s[2] == (c3))
#define MATCH2(a,b) (rest >= 2 && s[0] == (a) && s[1] == (b))
			if (MATCH3('<', '-', '>'))
			{
				kind = TK_ARROW_BOTH;
				lx.pos += 3;
			}
			else if (MATCH2('-', '>'))
				kind = TK_ARROW_OUT, lx.pos += 2;
			else if (MATCH2('<', '-'))
				kind = TK_ARROW_IN, lx.pos += 2;
			else if (MATCH2('<', '|'))
				kind = TK_KNN_OPEN, lx.pos += 2;
			else if (MATCH2('|', '>'))
				kind = TK_KNN_CLOSE, lx.pos += 2;
			else if (MATCH2('<', '='))
				kind = TK_LE, lx.pos += 2;
			else if (MATCH2('>', '='))
				kind = TK_GE, lx.pos += 2;
			else if (MATCH2('=', '='))
				kind = TK_EQEQ, lx.pos += 2;
			else if (MATCH2('!', '='))
				kind = TK_NE, lx.pos += 2;
			else if (MATCH2('.', '.'))
				kind = TK_DOTDOT, lx.pos += 2;
			else if (MATCH2(':', ':'))
				kind = TK_DOUBLECOLON, lx.pos += 2;
			else if (MATCH2('*', '*'))
				kind = TK_POW, lx.pos += 2;
			else if (MATCH2('|', '|'))
				kind = TK_OROR, lx.pos += 2;
			else if (MATCH2('&', '&'))
				kind = TK_ANDAND, lx.pos += 2;
			else if (MATCH2('?', '?'))
				kind = TK_QQ, lx.pos += 2;
			else if (MATCH2('?', ':'))
				kind = TK_QCOLON, lx.pos += 2;
			else
			{
				lx.pos++;
				switch (c)
				{
					case '(': kind = TK_LPAREN; break;
					case ')': kind = TK_RPAREN; break;
					case '[': kind = TK_LBRACKET; break;
					case ']': kind = TK_RBRACKET; break;
					case '{': kind = TK_LBRACE; break;
					case '}': kind = TK_RBRACE; break;
					case ',': kind = TK_COMMA; break;
					case ';': kind = TK_SEMICOLON; break;
					case ':': kind = TK_COLON; break;
					case '.': kind = TK_DOT; break;
					case '?': kind = TK_QUESTION; break;
					case '=': kind = TK_EQ; break;
					case '<': kind = TK_LT; break;
					case '>': kind = TK_GT; break;
					case '+': kind = TK_PLUS; break;
					case '-': kind = TK_MINUS; break;
					case '*': kind = TK_STAR; break;
					case '/': kind = TK_SLASH; break;
					case '%': kind = TK_PERCENT; break;
					case '!': kind = TK_BANG; break;
					case '|': kind = TK_PIPE; break;
					default:
						fail(&lx, res, SURQL_LEX_BAD_CHAR, start, line, col);
						return;
				}
			}
#undef MATCH2
#undef MATCH3
			push(&lx, kind, start, line, col);
		}
	}
	res->tokens = lx.tokens;
	res->ntokens = lx.n;
	res->error = SURQL_LEX_OK;
}

/*
 * dllb_surql_lex_error_message - the user-facing text for a lexer error.
 */
const char *
dllb_surql_lex_error_message(SurqlLexError err)
{
	switch (err)
	{
		case SURQL_LEX_OK:
			return "no error";
		case SURQL_LEX_UNTERMINATED_STRING:
			return "unterminated string";
		case SURQL_LEX_UNTERMINATED_COMMENT:
			return "unterminated /* comment";
		case SURQL_LEX_UNTERMINATED_IDENT:
			return "unterminated quoted identifier";
		case SURQL_LEX_BAD_CHAR:
			return "unexpected character";
		case SURQL_LEX_BAD_NUMBER:
			return "malformed number";
		case SURQL_LEX_BAD_MATCH:
			return "malformed match operator (expected @@, @N@, @OR@ or @N,OR@)";
		case SURQL_LEX_BAD_PARAM:
			return "\"$\" must be followed by a parameter name";
		case SURQL_LEX_TOO_LONG:
			return "statement text is longer than 1 MB";
	}
	return "unknown error";
}

/*
 * dllb_surql_token_name - a token kind as users see it in messages.
 */
const char *
dllb_surql_token_name(SurqlTokenKind kind)
{
	switch (kind)
	{
		case TK_EOF: return "end of input";
		case TK_IDENT: return "identifier";
		case TK_KEYWORD: return "keyword";
		case TK_INTEGER: return "integer";
		case TK_FLOAT: return "number";
		case TK_STRING: return "string";
		case TK_DATETIME: return "datetime";
		case TK_PARAM: return "parameter";
		case TK_LPAREN: return "(";
		case TK_RPAREN: return ")";
		case TK_LBRACKET: return "[";
		case TK_RBRACKET: return "]";
		case TK_LBRACE: return "{";
		case TK_RBRACE: return "}";
		case TK_COMMA: return ",";
		case TK_SEMICOLON: return ";";
		case TK_COLON: return ":";
		case TK_DOT: return ".";
		case TK_DOTDOT: return "..";
		case TK_QUESTION: return "?";
		case TK_EQ: return "=";
		case TK_EQEQ: return "==";
		case TK_NE: return "!=";
		case TK_LT: return "<";
		case TK_LE: return "<=";
		case TK_GT: return ">";
		case TK_GE: return ">=";
		case TK_PLUS: return "+";
		case TK_MINUS: return "-";
		case TK_STAR: return "*";
		case TK_SLASH: return "/";
		case TK_ARROW_OUT: return "->";
		case TK_ARROW_IN: return "<-";
		case TK_ARROW_BOTH: return "<->";
		case TK_KNN_OPEN: return "<|";
		case TK_KNN_CLOSE: return "|>";
		case TK_MATCH: return "match operator";
		case TK_DOUBLECOLON: return "::";
		case TK_PERCENT: return "%";
		case TK_POW: return "**";
		case TK_BANG: return "!";
		case TK_OROR: return "||";
		case TK_REGEX: return "regex";
		case TK_ANDAND: return "&&";
		case TK_QQ: return "??";
		case TK_QCOLON: return "?:";
		case TK_PIPE: return "|";
		case TK_AT: return "@";
	}
	return "token";
}

/*
 * dllb_surql_keyword_name - a keyword's name in upper case.
 */
const char *
dllb_surql_keyword_name(SurqlKeyword kw)
{
	if (kw <= KW_NONE_ || kw >= KW_COUNT_)
		return "";
	return keyword_names[kw];
}
