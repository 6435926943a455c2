/*-------------------------------------------------------------------------
 *
 * translate.h
 *	  Parsed statements to SQL text with bound parameters.
 *
 * IDENTIFICATION
 *	  src/surql/translate.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_SURQL_TRANSLATE_H
#define DLLB_SURQL_TRANSLATE_H

#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/jsonb.h"

#include "surql/ast.h"

#define SURQL_MAX_PARAMS 1000

/*
 * One SQL statement whose rows have one jsonb column, the results; the
 * parameters are all text (the SQL casts them).
 */
/* a full-text match of a statement: field @N@ query */
typedef struct SurqlMatch
{
	const SurqlNode *node;
	int64		num;			/* N of @N@ (0 for @@) */
	char	   *text_sql;		/* the field's text */
	char	   *query_sql;		/* the dllb.bm25query */
	char	   *index;			/* the dllb_bm25 index on the field, or NULL */
	char	   *analyzer;		/* its analyzer (english without an index) */
	char	   *ids_sql;		/* SELECT of the ids of the matching rows */
} SurqlMatch;

#define SURQL_MAX_MATCHES 8

typedef struct SurqlSql
{
	StringInfoData sql;
	int			nparams;
	char	   *params[SURQL_MAX_PARAMS];
	bool		no_rows;		/* nothing to run: the statement yields no rows */
	bool		discard;		/* run it, but return no rows (RETURN NONE) */
	int			ef_search;		/* > 0: run with dllb.hnsw_ef_search set to it */
	const char *bm25_analyzer;	/* run with dllb.bm25_default_analyzer set to it */
	bool		ranked_scan;	/* ORDER BY text <@> query: only the index can */
	bool		knn_scan;		/* <|k|> on an HNSW-indexed field: the index's scan */
	SurqlMatch	matches[SURQL_MAX_MATCHES];
	int			nmatches;
	bool		matches_ready;	/* the WHERE's matches are collected */
	bool		explain;		/* set by the caller: only show, create nothing */
	const SurqlNode *knn;		/* the statement's nearest-neighbour condition */
	bool		match_by_id;	/* matches as id IN (the index's matches) */
	bool		filtering;		/* bool_sql is in a WHERE, not under NOT: null is false */
	const char *alias;			/* the current row's alias (NULL: t) */
	int			naliases;		/* aliases made so far (e1, n2, ...) */
	bool		utility;		/* not a query: dllb.explain shows no plan */
	/* GROUP: expressions outside aggregates must be group keys */
	bool		grouping;
	int			ngroup;
	char	  **group_text;		/* the canonical text of each key */
	char	  **group_sql;		/* and its SQL */
} SurqlSql;

/* translate.c (runs inside an SPI connection: it looks tables up) */
extern void dllb_surql_translate(const SurqlStmt *s, Jsonb *params, SurqlSql *out);
extern char *dllb_surql_literal_json(const SurqlNode *n, Jsonb *params);
extern bool dllb_surql_is_literal(const SurqlNode *n);
extern void dllb_surql_translate_condition(const SurqlNode *cond, Jsonb *params,
										   SurqlSql *out);

/* translate_functions.c: the dialect's functions */
typedef char *(*SurqlArgSql) (const SurqlNode *arg, void *cx);
extern void dllb_surql_function_sql(const SurqlNode *n, StringInfo sql, SurqlArgSql arg_sql,
									void *cx);

#endif							/* DLLB_SURQL_TRANSLATE_H */
