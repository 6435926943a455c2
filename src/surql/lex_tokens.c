/*-------------------------------------------------------------------------
 *
 * lex_tokens.c
 *	  dllb.surql_tokens(q): the lexer's tokens, for debugging and tests;
 *	  and the lexer's error report (line, column, excerpt, caret).
 *
 * IDENTIFICATION
 *	  src/surql/lex_tokens.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "surql/lexer.h"
#include "surql/surql.h"

PG_FUNCTION_INFO_V1(dllb_surql_tokens);

/*
 * dllb_surql_excerpt - the line holding byte offset off, and a caret line
 * under column col (for errdetail)
 */
char *
dllb_surql_excerpt(const char *in, int len, int off, int col)
{
	int			ls = off,
				le = off;
	StringInfoData out;
	int			i;

	while (ls > 0 && in[ls - 1] != '\n')
		ls--;
	while (le < len && in[le] != '\n')
		le++;
	initStringInfo(&out);
	appendBinaryStringInfo(&out, in + ls, Min(le - ls, 200));
	appendStringInfoChar(&out, '\n');
	for (i = 1; i < col && i < 200; i++)
		appendStringInfoChar(&out, ' ');
	appendStringInfoChar(&out, '^');
	return out.data;
}

/*
 * dllb_surql_lex_or_error - tokenize, raising a syntax error on failure.
 */
void
dllb_surql_lex_or_error(const char *in, int len, SurqlLexResult *res)
{
	dllb_surql_lex(in, len, res);
	if (res->error != SURQL_LEX_OK)
		ereport(ERROR,
				(errcode(res->error == SURQL_LEX_TOO_LONG ? ERRCODE_PROGRAM_LIMIT_EXCEEDED :
						 ERRCODE_SYNTAX_ERROR),
				 errmsg("%s at line %d, column %d",
						dllb_surql_lex_error_message(res->error),
						res->err_line, res->err_column),
				 errdetail("%s", dllb_surql_excerpt(in, len, res->err_offset,
													res->err_column))));
}

/*
 * dllb_surql_tokens - dllb.surql_tokens(q text)
 *	  RETURNS TABLE(line int, col int, kind text, token text)
 */
Datum
dllb_surql_tokens(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *q = PG_GETARG_TEXT_PP(0);
	SurqlLexResult res;
	int			i;

	dllb_surql_lex_or_error(VARDATA_ANY(q), VARSIZE_ANY_EXHDR(q), &res);
	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < res.ntokens; i++)
	{
		SurqlToken *t = &res.tokens[i];
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		const char *kind;

		if (t->kind == TK_EOF)
			break;
		if (t->kind == TK_KEYWORD)
			kind = "keyword";
		else
			kind = dllb_surql_token_name(t->kind);
		values[0] = Int32GetDatum(t->line);
		values[1] = Int32GetDatum(t->column);
		values[2] = CStringGetTextDatum(kind);
		if (t->kind == TK_KEYWORD)
			values[3] = CStringGetTextDatum(dllb_surql_keyword_name(t->keyword));
		else if (t->kind == TK_MATCH)
			values[3] = CStringGetTextDatum(psprintf("@%s%s%s@",
													 t->ival ? psprintf(INT64_FORMAT, t->ival) : "",
													 t->ival && t->flag ? "," : "",
													 t->flag ? "OR" : ""));
		else
			values[3] = PointerGetDatum(cstring_to_text_with_len(t->text, t->len));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
