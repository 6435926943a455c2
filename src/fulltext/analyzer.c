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
 *
 * IDENTIFICATION
 *	  src/fulltext/analyzer.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "fmgr.h"
#include "funcapi.h"
#include "tsearch/ts_utils.h"
#include "utils/builtins.h"
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

/*
 * dllb_analyzer_resolve - parse an analyzer name.
 */
void
dllb_analyzer_resolve(const char *name, DllbAnalyzer *an)
{
	size_t		len = strlen(name);

	an->code = false;
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

	an->code = false;
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
