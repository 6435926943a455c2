/*-------------------------------------------------------------------------
 *
 * fuzz_surql.c
 *	  libFuzzer target for the dialect's front end: lexer, parser, printer.
 *
 * fuzz-sources: src/surql/lexer.c src/surql/parser.c src/surql/print.c
 *
 * Checks, for every input: no out-of-bounds access; a successful lex ends
 * with exactly one TK_EOF; token offsets never go backwards and lie within
 * the input; lines and columns are positive and lines never decrease; an
 * error position lies within the input.  The parser never reads past the
 * tokens and reports errors inside the input; whatever parses prints to a
 * canonical text that parses again and prints to the same text.
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_surql.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdlib.h>

#include "surql/ast.h"
#include "surql/lexer.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in;
	SurqlLexResult res;
	int			i;

	if (size > 16384)
		return 0;
	in = malloc(size ? size : 1);
	memcpy(in, data, size);
	dllb_surql_lex(in, (int) size, &res);
	if (res.error == SURQL_LEX_OK)
	{
		if (res.ntokens < 1 || res.tokens[res.ntokens - 1].kind != TK_EOF)
			abort();
		for (i = 0; i < res.ntokens; i++)
		{
			SurqlToken *t = &res.tokens[i];

			if (t->kind == TK_EOF && i != res.ntokens - 1)
				abort();
			if (t->offset < 0 || (size_t) t->offset > size || t->line < 1 || t->column < 1)
				abort();
			if (i > 0 && (t->offset < res.tokens[i - 1].offset ||
						  t->line < res.tokens[i - 1].line))
				abort();
			if (t->len < 0 || (t->text == NULL))
				abort();
		}
	}
	else if (res.err_offset < 0 || (size_t) res.err_offset > size ||
			 res.err_line < 1 || res.err_column < 1)
		abort();
	for (i = 0; i < res.ntokens; i++)
		pfree(res.tokens[i].text);
	if (res.tokens)
		pfree(res.tokens);

	/* the parser and the printer */
	{
		SurqlParse	pr,
					pr2;

		dllb_surql_parse(in, (int) size, &pr);
		if (pr.failed)
		{
			if (pr.err_offset < 0 || (size_t) pr.err_offset > size ||
				pr.err_line < 1 || pr.err_column < 1 || pr.message == NULL)
				abort();
		}
		else
		{
			char	   *once = dllb_surql_print(&pr);
			char	   *twice;

			dllb_surql_parse(once, (int) strlen(once), &pr2);
			if (pr2.failed && strstr(pr2.message, "nested more than") != NULL)
			{
				/*
				 * the canonical text parenthesises every operation, so an
				 * input near the depth limit may print deeper than it
				 * (!!!x is (NOT ((NOT (...))))); refusing that is right
				 */
				dllb_surql_parse_free(&pr2);
				pfree(once);
				dllb_surql_parse_free(&pr);
				free(in);
				return 0;
			}
			if (pr2.failed)
			{
				fprintf(stderr, "canonical text does not parse: %s\n%s\n", pr2.message, once);
				abort();
			}
			twice = dllb_surql_print(&pr2);
			if (strcmp(once, twice) != 0)
			{
				fprintf(stderr, "printing is not stable:\n%s\n%s\n", once, twice);
				abort();
			}
			pfree(twice);
			pfree(once);
			dllb_surql_parse_free(&pr2);
		}
		dllb_surql_parse_free(&pr);
	}
	free(in);
	return 0;
}
