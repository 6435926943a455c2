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
	char	   *json_sql;		/* the field's value (jsonb) */
	char	   *query_sql;		/* the dllb.bm25query */
	char	   *index;			/* the dllb_bm25 index on the field, or NULL */
	char	   *analyzer;		/* its analyzer (english without an index) */
	char	   *ids_sql;		/* SELECT of the ids of the matching rows */
} SurqlMatch;

#define SURQL_MAX_MATCHES 8
#define SURQL_MAX_LOCALS 16
#define SURQL_MAX_GRAPH_IDS 4

/*
 * A graph path condition of a nearest-neighbour statement (a conjunct of
 * its WHERE) that is also computed backwards, once, as a set of ids: the
 * CTE cte_ holds one dllb.record[] (NULL when the set grew too large)
 */
typedef struct SurqlGraphIds
{
	const SurqlNode *node;
	char	   *cte;			/* the CTE's name */
	char	   *ids_sql;		/* SQL of its one value */
} SurqlGraphIds;

/* how bool_sql writes a path condition that has a SurqlGraphIds */
typedef enum SurqlGraphMode
{
	SURQL_GRAPH_FORWARD,		/* from the row, as any path */
	SURQL_GRAPH_BY_ID,			/* the row's id in the set, when there is one */
	SURQL_GRAPH_DRIVEN,			/* the first: true (the rows come from its set) */
	SURQL_GRAPH_UNDRIVEN		/* the first: from the row (its set is too large) */
} SurqlGraphMode;

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
	SurqlGraphIds graph_ids[SURQL_MAX_GRAPH_IDS];
	int			ngraph_ids;
	SurqlGraphMode graph_mode;
	bool		filtering;		/* bool_sql is in a WHERE, not under NOT: null is false */
	const char *alias;			/* the current row's alias (NULL: t) */
	int			naliases;		/* aliases made so far (e1, n2, ...) */
	bool		utility;		/* not a query: dllb.explain shows no plan */
	bool		view_rows;		/* a view's SELECT: GROUP ALL of no rows is no row */
	bool		plain_paths;	/* ORDER BY: field paths do not follow record links */
	/* GROUP: expressions outside aggregates must be group keys */
	bool		grouping;
	int			ngroup;
	char	  **group_text;		/* the canonical text of each key */
	char	  **group_sql;		/* and its SQL */
	/* closure parameters in scope ($v of |$v| ...): their SQL */
	int			nlocals;
	const char *local_names[SURQL_MAX_LOCALS];
	const char *local_sql[SURQL_MAX_LOCALS];
	/* ->(SELECT ... FROM e): the SELECT reads these rows of e instead */
	const SurqlStmt *edge_select;
	struct TableInfo *edge_rows;
} SurqlSql;

/* translate.c (runs inside an SPI connection: it looks tables up) */
extern void dllb_surql_translate(const SurqlStmt *s, Jsonb *params, SurqlSql *out);
extern char *dllb_surql_literal_json(const SurqlNode *n, Jsonb *params);
extern char *dllb_surql_eval_json(const SurqlNode *n, Jsonb *params);
extern char *dllb_surql_record_text(const SurqlNode *n, Jsonb *params, bool range_end);
extern bool dllb_surql_is_literal(const SurqlNode *n);
extern SurqlNode *dllb_surql_field_call(const SurqlNode *n, Jsonb *params);
extern const SurqlStmt *dllb_surql_resolve_field_calls(const SurqlStmt *s, Jsonb *params);
extern void dllb_surql_translate_condition(const SurqlNode *cond, Jsonb *params,
										   SurqlSql *out);

/* translate_functions.c: the dialect's functions */
typedef char *(*SurqlArgSql) (const SurqlNode *arg, void *cx);
extern void dllb_surql_function_sql(const SurqlNode *n, StringInfo sql, SurqlArgSql arg_sql,
									void *cx);
extern bool dllb_surql_function_exists(const char *name);


/*
 * A dllb table as a statement sees it: its regclass (SQL text) and the
 * typed columns dllb.define_field made of some fields.
 */
typedef struct TableInfo
{
	char	   *rel;
	int			ncols;
	char	  **cols;
	char	  **types;			/* format_type() */
	bool	   *is_vector;
	bool	   *is_json;
	bool		is_edge;		/* "in" and out are columns */
	bool		schemafull;		/* only typed fields may be written */
	char	   *name;			/* the dialect's name of it (NULL: unknown) */
	bool		is_subquery;	/* rel is (SELECT data, id, ord_ ...) of a subquery's results */
	int			ncomputed;		/* DEFINE FIELD ... COMPUTED: evaluated by reads */
	char	  **computed_names;
	char	  **computed_exprs;	/* the canonical text of each expression */
} TableInfo;

/* the alias of the current row in the SQL being written */
#define ROW_ALIAS(out) ((out)->alias ? (out)->alias : "t")

/* NOT IN, as the parser marks it (beside -KW_x for keyword operators) */
#define SURQL_OP_NOT_IN 10000

/*
 * The translator's files share these (one file per statement family; see
 * translate.c).
 */

/* translate_expr.c */
extern pg_attribute_noreturn() void dllb_surql_unsupported(const char *what);
extern int dllb_surql_add_param(SurqlSql *out, const char *value);
extern int dllb_surql_column_of(const TableInfo *ti, const char *name);
extern void dllb_surql_path_json(const TableInfo *ti, const char *alias, char **keys, int n,
								 SurqlSql *out);
extern void dllb_surql_row_json(StringInfo sql, const TableInfo *ti, const char *alias);
extern void dllb_surql_cast_to_column(StringInfo sql, const TableInfo *ti, int c,
									  const char *json);
extern char *dllb_surql_capture_bool(const SurqlNode *n, Jsonb *params, SurqlSql *out,
									 const TableInfo *ti, const char *alias);
extern char *dllb_surql_new_alias(SurqlSql *out, char letter);
extern int dllb_surql_math_agg(const char *name);
extern void dllb_surql_value_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out,
								 const TableInfo *row);
extern void dllb_surql_bool_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out,
								const TableInfo *row);
extern char *dllb_surql_json_string_array(char **items, int n);
extern SurqlNode *dllb_surql_this_as_row(const SurqlNode *n);
extern int	dllb_surql_computed_of(const TableInfo *ti, const char *name);
extern void dllb_surql_computed_sql(const TableInfo *ti, int k, const char *alias, SurqlSql *out);
extern void dllb_surql_object_sql(SurqlSql *out, char **keys, SurqlNode **values, int n,
								  Jsonb *params, const TableInfo *row);

/* translate_tables.c */
extern bool dllb_surql_index_cache_get(const char *key, char **value);
extern void dllb_surql_index_cache_put(const char *key, const char *value);
extern TableInfo *dllb_surql_lookup_table(const char *name, const char *kind);
extern TableInfo *dllb_surql_create_table(const char *name);
extern TableInfo *dllb_surql_create_edge_table(const char *name);
extern const char *dllb_surql_target_of(const SurqlStmt *s, Jsonb *params, char **record,
										bool many);
extern const char *dllb_surql_target(const SurqlStmt *s, Jsonb *params, char **record);
extern TableInfo *dllb_surql_lookup_any_table(const char *name);
extern char *dllb_surql_view_text(const char *name);

/* translate_select.c */
extern void dllb_surql_where_sql(const SurqlStmt *s, Jsonb *params, SurqlSql *out,
								 const char *record, const TableInfo *ti);
extern const SurqlNode *dllb_surql_aliased(const SurqlStmt *s, const SurqlNode *n);
extern char *dllb_surql_subquery_sql(const SurqlStmt *sub, Jsonb *params, SurqlSql *out);
extern SurqlSql *dllb_surql_inner_select(const SurqlStmt *sub, Jsonb *params, SurqlSql *out,
										 struct TableInfo *edge_rows, bool view);
extern void dllb_surql_translate_select(const SurqlStmt *s, Jsonb *params, SurqlSql *out);
extern void dllb_surql_fetch_wrap(const SurqlStmt *s, SurqlSql *out);

/* translate_write.c */
extern void dllb_surql_write_values(const SurqlStmt *s, Jsonb *params, SurqlSql *out,
									const TableInfo *ti, const TableInfo *row,
									const char *stmt, StringInfo data, char **cols);
extern void dllb_surql_returning_old(const SurqlStmt *s, SurqlSql *out, const TableInfo *ti,
									 const char *before);
extern void dllb_surql_return_row(const SurqlStmt *s, Jsonb *params, SurqlSql *out,
								  const TableInfo *ti);
extern char *dllb_surql_set_id(const SurqlStmt **sp, Jsonb *params, SurqlSql *out,
							   const char *table);
extern char *dllb_surql_content_id(const SurqlStmt *s, Jsonb *params, SurqlSql *out,
								   const char *name);
extern void dllb_surql_translate_create(const SurqlStmt *s, Jsonb *params, SurqlSql *out);
extern void dllb_surql_translate_update(const SurqlStmt *s, Jsonb *params, SurqlSql *out);
extern void dllb_surql_translate_delete(const SurqlStmt *s, Jsonb *params, SurqlSql *out);
extern void dllb_surql_translate_insert(const SurqlStmt *s, Jsonb *params, SurqlSql *out);
extern void dllb_surql_translate_upsert(const SurqlStmt *s, Jsonb *params, SurqlSql *out);

/* translate_relate.c */
extern void dllb_surql_translate_relate(const SurqlStmt *s, Jsonb *params, SurqlSql *out);

/* translate_graph.c */
extern char *dllb_surql_graph_ids_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out,
									  int max);
extern void dllb_surql_graph_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out,
								 const TableInfo *row, bool count);
extern void dllb_surql_graph_exists_sql(const SurqlNode *g, Jsonb *params, SurqlSql *out,
										const TableInfo *row);

/* translate_search.c */
extern void dllb_surql_field_text(const TableInfo *ti, const SurqlNode *f,
								  const char *alias, char **sql, char **indexdef);
extern void dllb_surql_statement_matches(const SurqlStmt *s, Jsonb *params, SurqlSql *out,
										 const TableInfo *ti);
extern const SurqlMatch *dllb_surql_match_of(const SurqlSql *out, const SurqlNode *n);
extern bool dllb_surql_search_call_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out);
extern const SurqlNode *dllb_surql_find_knn(const SurqlNode *n);
extern void dllb_surql_knn_source(const SurqlStmt *s, Jsonb *params, SurqlSql *out,
								  const TableInfo *ti, const char *record);

/* translate_define.c */
extern void dllb_surql_translate_define_table(const SurqlStmt *s, SurqlSql *out);
extern void dllb_surql_translate_define_field(const SurqlStmt *s, Jsonb *params,
											  SurqlSql *out);
extern void dllb_surql_translate_remove_field(const SurqlStmt *s, SurqlSql *out);
extern void dllb_surql_translate_remove_table(const SurqlStmt *s, SurqlSql *out);
extern void dllb_surql_translate_define_analyzer(const SurqlStmt *s, SurqlSql *out);
extern void dllb_surql_translate_remove_analyzer(const SurqlStmt *s, SurqlSql *out);
extern void dllb_surql_translate_define_index(const SurqlStmt *s, SurqlSql *out);
extern void dllb_surql_translate_remove_index(const SurqlStmt *s, SurqlSql *out);
extern void dllb_surql_translate_info(const SurqlStmt *s, SurqlSql *out);
extern char *dllb_surql_inline_params(const SurqlSql *sql);

/* translate_live.c */
extern void dllb_surql_translate_live(const SurqlStmt *s, Jsonb *params, SurqlSql *out);
extern void dllb_surql_translate_kill(const SurqlStmt *s, Jsonb *params, SurqlSql *out);
extern Oid	dllb_surql_live_sql(const SurqlStmt *s, Jsonb *params, char **cond_sql,
								char **proj_sql);

/* translate_event.c */
extern void dllb_surql_translate_define_event(const SurqlStmt *s, SurqlSql *out);
extern void dllb_surql_translate_remove_event(const SurqlStmt *s, SurqlSql *out);

/* translate_udf.c */
extern void dllb_surql_translate_define_function(const SurqlStmt *s, SurqlSql *out);
extern void dllb_surql_translate_define_param(const SurqlStmt *s, Jsonb *params, SurqlSql *out);
extern void dllb_surql_translate_remove_udf(const SurqlStmt *s, SurqlSql *out);
extern void dllb_surql_udf_call_sql(const SurqlNode *n, StringInfo sql, SurqlArgSql arg_sql,
									void *cx);

/* translate_changefeed.c */
extern char *dllb_surql_duration_interval(const char *d);
extern void dllb_surql_translate_changefeed(const SurqlStmt *s, SurqlSql *out);
extern void dllb_surql_translate_show_changes(const SurqlStmt *s, Jsonb *params,
											  SurqlSql *out);

#endif							/* DLLB_SURQL_TRANSLATE_H */
