/*-------------------------------------------------------------------------
 *
 * parse_funcs.c
 *	  dllb.surql_parse(q): how the dialect's parser reads q, as the
 *	  canonical text of each statement; and the parse-or-raise helper the
 *	  executor will use.
 *
 * IDENTIFICATION
 *	  src/surql/parse_funcs.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "surql/ast.h"
#include "surql/surql.h"

PG_FUNCTION_INFO_V1(dllb_surql_parse_text);

/*
 * dllb_surql_parse_or_error - parse, raising a syntax error that names
 * the line and column, what was expected and what was found, with the
 * line of the statement and a caret.
 */
void
dllb_surql_parse_or_error(const char *in, int len, SurqlParse *res)
{
	dllb_surql_parse(in, len, res);
	if (res->failed)
		ereport(ERROR,
				(errcode(res->lex.error == SURQL_LEX_TOO_LONG ? ERRCODE_PROGRAM_LIMIT_EXCEEDED :
						 ERRCODE_SYNTAX_ERROR),
				 errmsg("%s at line %d, column %d", res->message,
						res->err_line, res->err_column),
				 errdetail("%s", dllb_surql_excerpt(in, len, res->err_offset,
													res->err_column))));
}

/*
 * dllb.surql_parse(q text) returns text - the canonical text of the
 * statements of q, one a line.
 */
Datum
dllb_surql_parse_text(PG_FUNCTION_ARGS)
{
	text	   *q = PG_GETARG_TEXT_PP(0);
	SurqlParse	res;
	char	   *out;

	dllb_surql_parse_or_error(VARDATA_ANY(q), VARSIZE_ANY_EXHDR(q), &res);
	out = dllb_surql_print(&res);
	dllb_surql_parse_free(&res);
	PG_RETURN_TEXT_P(cstring_to_text(out));
}
