/*-------------------------------------------------------------------------
 *
 * lexer.h
 *	  The dialect's lexer: text -> tokens with line and column.
 *
 * IDENTIFICATION
 *	  src/surql/lexer.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_SURQL_LEXER_H
#define DLLB_SURQL_LEXER_H

#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

typedef enum SurqlKeyword
{
	KW_NONE_ = 0,
#define SURQL_KEYWORD(name) KW_##name,
#include "surql/keywords.h"
#undef SURQL_KEYWORD
	KW_COUNT_
} SurqlKeyword;

typedef enum SurqlTokenKind
{
	TK_EOF = 0,
	TK_IDENT,					/* name, or `quoted` / ⟨quoted⟩ (text unescaped) */
	TK_KEYWORD,					/* keyword set */
	TK_INTEGER,
	TK_FLOAT,
	TK_STRING,					/* 'x' or "x", text unescaped */
	TK_DATETIME,				/* d'...', text is the inside */
	TK_PARAM,					/* $name, text is the name */
	TK_LPAREN, TK_RPAREN, TK_LBRACKET, TK_RBRACKET, TK_LBRACE, TK_RBRACE,
	TK_COMMA, TK_SEMICOLON, TK_COLON, TK_DOT, TK_DOTDOT, TK_QUESTION,
	TK_EQ,						/* = */
	TK_EQEQ,					/* == */
	TK_NE,						/* != */
	TK_LT, TK_LE, TK_GT, TK_GE,
	TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH,
	TK_ARROW_OUT,				/* -> */
	TK_ARROW_IN,				/* <- */
	TK_ARROW_BOTH,				/* <-> */
	TK_KNN_OPEN,				/* <| */
	TK_KNN_CLOSE,				/* |> */
	TK_MATCH,					/* @@, @N@, @OR@, @N,OR@: ival = N (0 none), flag = OR */
	TK_DOUBLECOLON,				/* :: */
	TK_PERCENT,					/* % */
	TK_POW,						/* ** */
	TK_BANG,					/* ! */
	TK_OROR,					/* || */
	TK_ANDAND,					/* && */
	TK_QQ,						/* ?? */
	TK_QCOLON,					/* ?: */
	TK_PIPE,					/* | (closures: |$a| ...) */
	TK_REGEX,					/* /pattern/ where a value starts; text: the
								 * pattern, \/ unescaped */
	TK_AT						/* @ alone: the current record (@->e->t, @.{..}) */
} SurqlTokenKind;

typedef struct SurqlToken
{
	SurqlTokenKind kind;
	SurqlKeyword keyword;		/* TK_KEYWORD */
	char	   *text;			/* palloc'd; source text or unescaped value */
	int			len;
	int64		ival;			/* TK_INTEGER, TK_MATCH */
	bool		flag;			/* TK_MATCH: OR; TK_STRING: u'...'; TK_IDENT:
								 * quoted (`a`, ⟨a⟩) */
	int			offset;			/* byte offset of the token */
	int			line;			/* 1-based */
	int			column;			/* 1-based, in characters */
} SurqlToken;

typedef enum SurqlLexError
{
	SURQL_LEX_OK = 0,
	SURQL_LEX_UNTERMINATED_STRING,
	SURQL_LEX_UNTERMINATED_COMMENT,
	SURQL_LEX_UNTERMINATED_IDENT,
	SURQL_LEX_BAD_CHAR,
	SURQL_LEX_BAD_NUMBER,
	SURQL_LEX_BAD_MATCH,
	SURQL_LEX_BAD_PARAM,
	SURQL_LEX_TOO_LONG
} SurqlLexError;

/* Longest statement text, in bytes. */
#define SURQL_MAX_LEN (1024 * 1024)

typedef struct SurqlLexResult
{
	SurqlToken *tokens;			/* ends with TK_EOF */
	int			ntokens;
	SurqlLexError error;
	int			err_offset;
	int			err_line;
	int			err_column;
} SurqlLexResult;

extern void dllb_surql_lex(const char *in, int len, SurqlLexResult *res);
extern const char *dllb_surql_lex_error_message(SurqlLexError err);
extern const char *dllb_surql_token_name(SurqlTokenKind kind);
extern const char *dllb_surql_keyword_name(SurqlKeyword kw);
extern bool dllb_surql_is_plain_word(const char *s);

#endif							/* DLLB_SURQL_LEXER_H */
