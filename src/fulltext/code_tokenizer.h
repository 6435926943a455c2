/*-------------------------------------------------------------------------
 *
 * code_tokenizer.h
 *	  The dllb.code tokenizer: identifiers split into their words.
 *
 * IDENTIFICATION
 *	  src/fulltext/code_tokenizer.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_CODE_TOKENIZER_H
#define DLLB_CODE_TOKENIZER_H

#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

/* One token: lowercased text (palloc'd, NUL-terminated) and its position. */
typedef struct DllbCodeToken
{
	char	   *text;
	int			len;
	int			position;		/* 1-based, as PostgreSQL's tsvector */
	int			offset;			/* byte offset in the input */
	int			srclen;			/* bytes of the input it covers */
	bool		whole;			/* the whole identifier (not one of its parts) */
} DllbCodeToken;

extern int	dllb_code_tokenize(const char *in, int len, DllbCodeToken **tokens);

#endif							/* DLLB_CODE_TOKENIZER_H */
