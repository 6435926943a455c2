/*-------------------------------------------------------------------------
 *
 * analyzer.c
 *	  Analyzers, and dllb.analyze(config, input) for users tuning search.
 *
 * An analyzer name is either a PostgreSQL text search configuration
 * ('english', 'simple', 'german', 'public.my_config', ...: its parser, then
 * its dictionaries, Snowball stemmers and stop words included), or
 * 'dllb.code' / 'dllb.code(<configuration>)': the dllb.code tokenizer
 * (code_tokenizer.c), then each token through the configuration's
 * dictionaries ('simple' when none is named).  Positions are 1-based and
 * follow PostgreSQL's: a stop word takes its position and yields nothing.
 * 'dllb.surreal(<configuration>)' is a DEFINE ANALYZER analyzer with
 * SurrealDB's tokenizers and filters (the configuration's comment names
 * them): see surreal_terms.
 *
 * IDENTIFICATION
 *	  src/fulltext/analyzer.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_ts_config.h"
#include "commands/comment.h"
#include "common/unicode_norm.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "tsearch/ts_cache.h"
#include "tsearch/ts_public.h"
#include "tsearch/ts_utils.h"
#include "utils/builtins.h"
#include "utils/formatting.h"
#include "utils/regproc.h"

#include "fulltext/analyzer.h"
#include "fulltext/code_tokenizer.h"

PG_FUNCTION_INFO_V1(dllb_analyze);

/* the configuration called name, with a clear error when there is none */
static Oid
config_oid(const char *name)
{
	Oid			cfg = get_ts_config_oid(dllb_qualified_name_list(name), true);

	if (!OidIsValid(cfg))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("text search configuration \"%s\" does not exist", name),
				 errhint("An analyzer is a text search configuration (english, simple, ...; see \\dF) or dllb.code or dllb.code(<configuration>).")));
	return cfg;
}

/* ---- SurrealDB's tokenizers and filters (dllb.surreal analyzers) ---------- */

static void
bad_spec(Oid cfg)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("text search configuration %u is not a dllb.surreal analyzer", cfg),
			 errdetail("Its comment does not name SurrealDB tokenizers and filters, as DEFINE ANALYZER writes them.")));
}

/* a number of a filter's arguments at *p */
static int
spec_int(const char **p, Oid cfg)
{
	int			v = 0;

	if (**p < '0' || **p > '9')
		bad_spec(cfg);
	while (**p >= '0' && **p <= '9')
	{
		v = v * 10 + (**p - '0');
		if (v > 1000)
			bad_spec(cfg);
		(*p)++;
	}
	return v;
}

/*
 * the tokenizers and filters the configuration's comment names:
 * "dllb analyzer: surreal tokenizers=blank,class filters=lowercase,ngram(1,3)"
 */
static void
surreal_spec(DllbAnalyzer *an)
{
	char	   *c = GetComment(an->cfg, TSConfigRelationId, 0);
	const char *t;
	const char *f;
	const char *p;

	an->surreal = true;
	if (c == NULL || (t = strstr(c, "tokenizers=")) == NULL || (f = strstr(c, " filters=")) == NULL)
		bad_spec(an->cfg);
	for (p = t + 11; p < f;)
	{
		int			n = strcspn(p, ", ");

		if (n == 5 && strncmp(p, "blank", 5) == 0)
			an->tokenizers |= DLLB_TOK_BLANK;
		else if (n == 5 && strncmp(p, "class", 5) == 0)
			an->tokenizers |= DLLB_TOK_CLASS;
		else if (n == 5 && strncmp(p, "camel", 5) == 0)
			an->tokenizers |= DLLB_TOK_CAMEL;
		else if (n == 5 && strncmp(p, "punct", 5) == 0)
			an->tokenizers |= DLLB_TOK_PUNCT;
		else if (n > 0)
			bad_spec(an->cfg);
		p += n;
		if (*p == ',')
			p++;
		else
			break;
	}
	for (p = f + 9; *p;)
	{
		DllbFilter *fl;
		int			n = strcspn(p, ",(");

		if (an->nfilters == DLLB_MAX_FILTERS)
			bad_spec(an->cfg);
		fl = &an->filters[an->nfilters];
		memset(fl, 0, sizeof(DllbFilter));
		if (n == 9 && strncmp(p, "lowercase", 9) == 0)
			fl->kind = 'l';
		else if (n == 9 && strncmp(p, "uppercase", 9) == 0)
			fl->kind = 'u';
		else if (n == 5 && strncmp(p, "ascii", 5) == 0)
			fl->kind = 'a';
		else if ((n == 5 && strncmp(p, "ngram", 5) == 0) ||
				 (n == 9 && strncmp(p, "edgengram", 9) == 0))
		{
			fl->kind = n == 5 ? 'n' : 'e';
			p += n;
			if (*p++ != '(')
				bad_spec(an->cfg);
			fl->min = spec_int(&p, an->cfg);
			if (*p++ != ',')
				bad_spec(an->cfg);
			fl->max = spec_int(&p, an->cfg);
			if (*p++ != ')' || fl->min < 1 || fl->max < fl->min)
				bad_spec(an->cfg);
			n = 0;
		}
		else if (n == 8 && strncmp(p, "snowball", 8) == 0 && p[8] == '(')
		{
			int			m = strcspn(p + 9, ")");

			fl->kind = 's';
			fl->dict = get_ts_dict_oid(list_make2(makeString("pg_catalog"),
												  makeString(psprintf("%.*s_stem", m, p + 9))),
									   false);
			n = 9 + m + 1;
		}
		else if (n > 0)
			bad_spec(an->cfg);
		an->nfilters++;
		p += n;
		if (*p == ',')
			p++;
		else
			break;
	}
}

/* dllb_analyzer_surreal - an->cfg's dllb.surreal tokenizers and filters */
void
dllb_analyzer_surreal(DllbAnalyzer *an)
{
	Oid			cfg = an->cfg;

	memset(an, 0, sizeof(DllbAnalyzer));
	an->cfg = cfg;
	surreal_spec(an);
}

/* SurrealDB's classes of characters */
typedef enum CharClass
{
	CC_UNKNOWN,
	CC_WHITESPACE,
	CC_ALPHA_LOWER,
	CC_ALPHA_UPPER,
	CC_NUMERIC,
	CC_PUNCT,
	CC_OTHER
} CharClass;

/*
 * the class of code point u: ASCII exactly; beyond it, the usual white
 * space, general punctuation and symbols as other, Latin-1 capitals as
 * upper case, the rest as letters (an approximation of Unicode's classes)
 */
static CharClass
char_class(pg_wchar u)
{
	if (u < 0x80)
	{
		if (u == ' ' || (u >= '\t' && u <= '\r'))
			return CC_WHITESPACE;
		if (u >= 'a' && u <= 'z')
			return CC_ALPHA_LOWER;
		if (u >= 'A' && u <= 'Z')
			return CC_ALPHA_UPPER;
		if (u >= '0' && u <= '9')
			return CC_NUMERIC;
		if (u > ' ' && u < 0x7f)
			return CC_PUNCT;
		return CC_OTHER;
	}
	if (u == 0x85 || u == 0xa0 || u == 0x1680 || (u >= 0x2000 && u <= 0x200a) ||
		u == 0x2028 || u == 0x2029 || u == 0x202f || u == 0x205f || u == 0x3000)
		return CC_WHITESPACE;
	if (u < 0xc0 || u == 0xd7 || u == 0xf7 || (u >= 0x2000 && u <= 0x2bff) ||
		(u >= 0x3000 && u <= 0x303f) || (u >= 0xfe00 && u <= 0xfe0f) || u >= 0x1f000)
		return CC_OTHER;
	if (u >= 0xc0 && u <= 0xde)
		return CC_ALPHA_UPPER;
	return CC_ALPHA_LOWER;
}

#define CR_PART 0
#define CR_STARTS 1
#define CR_ISOLATED 2
#define CR_NOT 3

/* one tokenizer's say on a character of class cl (state: its last class) */
static int
splitter_role(int tok, CharClass cl, CharClass *state)
{
	bool		alpha = cl == CC_ALPHA_LOWER || cl == CC_ALPHA_UPPER;
	bool		was_alpha = *state == CC_ALPHA_LOWER || *state == CC_ALPHA_UPPER;
	int			r;

	switch (tok)
	{
		case DLLB_TOK_BLANK:
			return cl == CC_WHITESPACE ? CR_NOT : CR_PART;
		case DLLB_TOK_PUNCT:
			if (cl == CC_PUNCT)
				return CR_ISOLATED;
			return cl == CC_OTHER ? CR_NOT : CR_PART;
		case DLLB_TOK_CLASS:
			if ((alpha && was_alpha) || (cl == CC_NUMERIC && *state == CC_NUMERIC) ||
				(cl == CC_PUNCT && *state == CC_PUNCT))
				r = CR_PART;
			else if (cl == CC_OTHER || cl == CC_WHITESPACE)
				r = CR_NOT;
			else
				r = CR_STARTS;
			*state = cl;
			return r;
		default:				/* camel */
			if (alpha)
				r = was_alpha ? (cl == CC_ALPHA_UPPER && *state == CC_ALPHA_LOWER ? CR_STARTS : CR_PART) : CR_STARTS;
			else if (cl == CC_NUMERIC || cl == CC_PUNCT)
				r = CR_PART;
			else
				r = CR_NOT;
			*state = cl;
			return r;
	}
}

/* a term being filtered */
typedef struct STerm
{
	char	   *text;
	int			len;
	int			tstart;
	int			tend;
	int			gen;			/* chars into the token */
	int			token;
} STerm;

static void
push_term(STerm **out, int *n, int *cap, const STerm *t)
{
	if (*n == *cap)
	{
		*cap = *cap ? *cap * 2 : 16;
		*out = *out ? repalloc(*out, sizeof(STerm) * *cap) : palloc(sizeof(STerm) * *cap);
	}
	(*out)[(*n)++] = *t;
}

/* text with accents and ligatures folded to ASCII where Latin (the ascii filter) */
static char *
fold_ascii(const char *text, int len, int *outlen)
{
	pg_wchar   *w = palloc(sizeof(pg_wchar) * (len + 1));
	pg_wchar   *d;
	StringInfoData out;
	int			n = 0;
	const unsigned char *p = (const unsigned char *) text;
	const unsigned char *end = p + len;
	int			i;

	while (p < end)
	{
		int			l = pg_utf_mblen(p);

		w[n++] = utf8_to_unicode(p);
		p += l;
	}
	w[n] = 0;
	d = unicode_normalize(UNICODE_NFKD, w);
	if (d == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	initStringInfo(&out);
	for (i = 0; d[i]; i++)
	{
		pg_wchar	u = d[i];
		unsigned char buf[8];
		const char *sub = NULL;

		if ((u >= 0x300 && u <= 0x36f) || (u >= 0x1ab0 && u <= 0x1aff) ||
			(u >= 0x1dc0 && u <= 0x1dff) || (u >= 0x20d0 && u <= 0x20ff) ||
			(u >= 0xfe20 && u <= 0xfe2f))
			continue;			/* a combining mark */
		switch (u)
		{
			case 0xdf: sub = "ss"; break;
			case 0xe6: sub = "ae"; break;
			case 0xc6: sub = "AE"; break;
			case 0xf8: sub = "o"; break;
			case 0xd8: sub = "O"; break;
			case 0x111: sub = "d"; break;
			case 0x110: sub = "D"; break;
			case 0x142: sub = "l"; break;
			case 0x141: sub = "L"; break;
			case 0x153: sub = "oe"; break;
			case 0x152: sub = "OE"; break;
			case 0xfe: sub = "th"; break;
			case 0xde: sub = "TH"; break;
			case 0xf0: sub = "d"; break;
			case 0xd0: sub = "D"; break;
			default: break;
		}
		if (sub)
			appendStringInfoString(&out, sub);
		else
		{
			unicode_to_utf8(u, buf);
			appendBinaryStringInfo(&out, (char *) buf, pg_utf_mblen(buf));
		}
	}
	pfree(w);
	pfree(d);
	*outlen = out.len;
	return out.data;
}

/* the char offsets of text's characters: byte offset of each char, and the count */
static int
char_starts(const char *text, int len, int **starts)
{
	int			n = 0;
	int			i = 0;

	*starts = palloc(sizeof(int) * (len + 1));
	while (i < len)
	{
		(*starts)[n++] = i;
		i += pg_utf_mblen((const unsigned char *) text + i);
	}
	(*starts)[n] = len;
	return n;
}

/* apply one filter to every term of in */
static STerm *
apply_filter(const DllbFilter *f, STerm *in, int nin, int *nout)
{
	STerm	   *out = NULL;
	int			n = 0;
	int			cap = 0;
	int			i;

	for (i = 0; i < nin; i++)
	{
		STerm		t = in[i];

		CHECK_FOR_INTERRUPTS();
		if (t.len == 0)
			continue;
		if (f->kind == 'l' || f->kind == 'u')
		{
			t.text = f->kind == 'l' ? str_tolower(t.text, t.len, DEFAULT_COLLATION_OID) :
				str_toupper(t.text, t.len, DEFAULT_COLLATION_OID);
			t.len = strlen(t.text);
			if (t.len > 0)
				push_term(&out, &n, &cap, &t);
		}
		else if (f->kind == 'a')
		{
			t.text = fold_ascii(t.text, t.len, &t.len);
			if (t.len > 0)
				push_term(&out, &n, &cap, &t);
		}
		else if (f->kind == 's')
		{
			TSDictionaryCacheEntry *dict = lookup_ts_dictionary_cache(f->dict);
			char	   *low = str_tolower(t.text, t.len, DEFAULT_COLLATION_OID);
			DictSubState dstate = {false, false, NULL};
			TSLexeme   *res;

			res = (TSLexeme *) DatumGetPointer(FunctionCall4(&dict->lexize,
															 PointerGetDatum(dict->dictData),
															 PointerGetDatum(low),
															 Int32GetDatum(strlen(low)),
															 PointerGetDatum(&dstate)));
			/* a stop word stays as it is (SurrealDB's stemmers have none) */
			t.text = res && res[0].lexeme ? res[0].lexeme : low;
			t.len = strlen(t.text);
			if (t.len > 0)
				push_term(&out, &n, &cap, &t);
		}
		else
		{
			/* ngram(min, max), edgengram(min, max): over characters */
			int		   *cs;
			int			l = char_starts(t.text, t.len, &cs);
			int			st;
			int			p;

			if (l < f->min)
				continue;
			for (st = 0; st <= (f->kind == 'n' ? l - f->min : 0); st++)
			{
				int			e = Min(st + f->max, l);

				for (p = st + f->min; p <= e; p++)
				{
					STerm		g = t;

					g.text = pnstrdup(t.text + cs[st], cs[p] - cs[st]);
					g.len = cs[p] - cs[st];
					g.gen = t.gen + st;
					push_term(&out, &n, &cap, &g);
				}
			}
		}
	}
	*nout = n;
	return out;
}

/*
 * dllb_surreal_terms - the terms a dllb.surreal analyzer makes of text, as
 * SurrealDB's do: the tokenizers cut the text (blank at white space, class
 * where letters, digits and punctuation meet, camel before a capital after
 * a small letter, punct around each punctuation mark; no tokenizer: the
 * whole text is one token; characters that are none of those always cut
 * and are dropped), then each filter in turn maps the terms: lowercase,
 * uppercase, ascii (accents off), snowball(language) (Postgres's stemmer
 * of that language), ngram(min, max) and edgengram(min, max) - those two
 * not when analyzing a query.  Returns how many.
 */
int
dllb_surreal_terms(const DllbAnalyzer *an, const char *text, int len, bool query,
				   DllbSurrealTerm **terms)
{
	STerm	   *cur = NULL;
	int			n = 0;
	int			cap = 0;
	CharClass	state[4] = {CC_UNKNOWN, CC_UNKNOWN, CC_UNKNOWN, CC_UNKNOWN};
	int			prev_role = CR_PART;
	int			last = 0;
	int			pos = 0;
	int			ntok = 0;
	int			i;

	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a dllb.surreal analyzer needs a UTF8 database")));
	while (pos < len)
	{
		int			l = pg_utf_mblen((const unsigned char *) text + pos);
		pg_wchar	u = utf8_to_unicode((const unsigned char *) text + pos);
		CharClass	cl = char_class(u);
		int			role = CR_PART;
		int			k;

		if (cl == CC_OTHER)
			role = CR_NOT;
		else
			for (k = 0; k < 4; k++)
			{
				int			r;

				if (!(an->tokenizers & (1 << k)))
					continue;
				r = splitter_role(1 << k, cl, &state[k]);
				if (r == CR_ISOLATED || r == CR_NOT)
				{
					role = r;
					break;
				}
				if (r == CR_STARTS)
					role = CR_STARTS;
			}
		if (role != CR_PART || prev_role == CR_ISOLATED)
		{
			if (last < pos)
			{
				STerm		t = {pnstrdup(text + last, pos - last), pos - last, last, pos, 0, ntok++};

				push_term(&cur, &n, &cap, &t);
			}
			last = pos;
			if (role == CR_NOT)
				last = pos + l;
		}
		prev_role = role;
		pos += l;
	}
	if (last < len)
	{
		STerm		t = {pnstrdup(text + last, len - last), len - last, last, len, 0, ntok++};

		push_term(&cur, &n, &cap, &t);
	}
	for (i = 0; i < an->nfilters; i++)
	{
		if (query && (an->filters[i].kind == 'n' || an->filters[i].kind == 'e'))
			continue;
		cur = apply_filter(&an->filters[i], cur, n, &n);
	}
	*terms = palloc(sizeof(DllbSurrealTerm) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		(*terms)[i].text = cur[i].text;
		(*terms)[i].len = cur[i].len;
		(*terms)[i].tstart = cur[i].tstart;
		(*terms)[i].tend = cur[i].tend;
		(*terms)[i].gen_start = cur[i].gen;
		(*terms)[i].token = cur[i].token;
	}
	return n;
}

/* the lexemes of a dllb.surreal analyzer: its terms, at their tokens' positions */
static int
surreal_lexemes(const DllbAnalyzer *an, const char *text, int len, bool query,
				DllbLexeme **lexemes)
{
	DllbSurrealTerm *t;
	int			n = dllb_surreal_terms(an, text, len, query, &t);
	int			i;

	*lexemes = palloc(sizeof(DllbLexeme) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		(*lexemes)[i].text = t[i].text;
		(*lexemes)[i].len = t[i].len;
		(*lexemes)[i].position = t[i].token + 1;
	}
	return n;
}

/*
 * dllb_analyzer_resolve - parse an analyzer name.
 */
void
dllb_analyzer_resolve(const char *name, DllbAnalyzer *an)
{
	size_t		len = strlen(name);

	memset(an, 0, sizeof(DllbAnalyzer));
	if (pg_strncasecmp(name, "dllb.surreal(", 13) == 0 && name[len - 1] == ')')
	{
		an->cfg = config_oid(pnstrdup(name + 13, len - 14));
		surreal_spec(an);
		return;
	}
	if (pg_strncasecmp(name, "dllb.code", 9) == 0 &&
		(len == 9 || (name[9] == '(' && name[len - 1] == ')')))
	{
		an->code = true;
		if (len == 9)
			an->cfg = config_oid("pg_catalog.simple");
		else
			an->cfg = config_oid(pnstrdup(name + 10, len - 11));
		return;
	}
	an->cfg = config_oid(name);
}

/*
 * the configuration an index option names: unqualified, one of pg_catalog
 * (english, simple, ...); any other written with its schema.  Resolved
 * the same in every session, whatever its search_path.
 */
static Oid
option_config_oid(const char *name)
{
	List	   *names = dllb_qualified_name_list(name);
	Oid			cfg;

	if (list_length(names) == 1)
		names = lcons(makeString("pg_catalog"), names);
	cfg = get_ts_config_oid(names, true);
	if (!OidIsValid(cfg))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("text search configuration \"%s\" does not exist",
						NameListToString(names)),
				 errhint("An index's analyzer is a configuration of pg_catalog (english, simple, ...; see \\dF) or a schema-qualified one (public.my_config), alone or in dllb.code(...).")));
	return cfg;
}

/*
 * dllb_analyzer_resolve_option - an index's analyzer option: as
 * dllb_analyzer_resolve, but an unqualified configuration name is one of
 * pg_catalog, never found through the search_path
 */
void
dllb_analyzer_resolve_option(const char *name, DllbAnalyzer *an)
{
	size_t		len = strlen(name);

	memset(an, 0, sizeof(DllbAnalyzer));
	if (pg_strncasecmp(name, "dllb.surreal(", 13) == 0 && name[len - 1] == ')')
	{
		an->cfg = option_config_oid(pnstrdup(name + 13, len - 14));
		surreal_spec(an);
		return;
	}
	if (pg_strncasecmp(name, "dllb.code", 9) == 0 &&
		(len == 9 || (name[9] == '(' && name[len - 1] == ')')))
	{
		an->code = true;
		an->cfg = option_config_oid(len == 9 ? "simple" : pnstrdup(name + 10, len - 11));
		return;
	}
	an->cfg = option_config_oid(name);
}

/* append the lexemes the configuration makes of buf, at position base+pos */
static void
lexize(Oid cfg, char *buf, int len, int fixed_position, DllbLexeme **out,
	   int *n, int *cap)
{
	ParsedText	prs;
	int			i;

	prs.lenwords = 4 + len / 4;
	prs.curwords = 0;
	prs.pos = 0;
	prs.words = palloc(sizeof(ParsedWord) * prs.lenwords);
	parsetext(cfg, &prs, buf, len);
	for (i = 0; i < prs.curwords; i++)
	{
		if (*n == *cap)
		{
			*cap = *cap ? *cap * 2 : 16;
			*out = *out ? repalloc(*out, sizeof(DllbLexeme) * *cap)
				: palloc(sizeof(DllbLexeme) * *cap);
		}
		(*out)[*n].text = prs.words[i].word;
		(*out)[*n].len = prs.words[i].len;
		(*out)[*n].position = fixed_position > 0 ? fixed_position : prs.words[i].pos.pos;
		(*n)++;
	}
	pfree(prs.words);
}

/*
 * dllb_analyze_text - the lexemes of text[0..len) with their positions;
 * *lexemes gets a palloc'd array; returns how many.
 */
int
dllb_analyze_text(const DllbAnalyzer *an, const char *text, int len,
				  DllbLexeme **lexemes)
{
	int			n = 0;
	int			cap = 0;

	*lexemes = NULL;
	if (an->surreal)
		return surreal_lexemes(an, text, len, false, lexemes);
	if (!an->code)
	{
		lexize(an->cfg, (char *) text, len, 0, lexemes, &n, &cap);
		return n;
	}
	else
	{
		DllbCodeToken *tokens;
		int			ntok = dllb_code_tokenize(text, len, &tokens);
		int			i;

		for (i = 0; i < ntok; i++)
			lexize(an->cfg, tokens[i].text, tokens[i].len, tokens[i].position,
				   lexemes, &n, &cap);
		return n;
	}
}

/*
 * dllb_analyze_query - the lexemes of a query's words: as
 * dllb_analyze_text, without a dllb.surreal analyzer's n-gram filters
 */
int
dllb_analyze_query(const DllbAnalyzer *an, const char *text, int len,
				   DllbLexeme **lexemes)
{
	if (an->surreal)
		return surreal_lexemes(an, text, len, true, lexemes);
	return dllb_analyze_text(an, text, len, lexemes);
}

/*
 * dllb_analyze - dllb.analyze(config text, input text)
 *	  RETURNS TABLE(token text, position int)
 */
Datum
dllb_analyze(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *input = PG_GETARG_TEXT_PP(1);
	DllbAnalyzer an;
	DllbLexeme *lex;
	int			n;
	int			i;

	dllb_analyzer_resolve(text_to_cstring(PG_GETARG_TEXT_PP(0)), &an);
	InitMaterializedSRF(fcinfo, 0);
	n = dllb_analyze_text(&an, VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input), &lex);
	for (i = 0; i < n; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = PointerGetDatum(cstring_to_text_with_len(lex[i].text, lex[i].len));
		values[1] = Int32GetDatum(lex[i].position);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
