/*-------------------------------------------------------------------------
 *
 * translate_search.c
 *	  Full-text matches (@N@, search::score) and nearest neighbours (<|k|>).
 *
 * IDENTIFICATION
 *	  src/surql/translate_search.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/memutils.h"

#include "surql/translate.h"

/* ---- full text ------------------------------------------------------------- */

/*
 * A match field @N@ query (or @@, @OR@, @N,OR@) becomes
 *	text @@@ dllb.surql_match_query(query, all)
 * where text is the field's text (a typed column, or data ->> 'field'), so
 * a dllb_bm25 index on that expression (DEFINE INDEX ... SEARCH ANALYZER
 * a BM25 makes one) serves it; @@ and @N@ need every query word, the OR
 * forms any.  search::score(N), search::highlight(start, stop, N) and
 * search::offsets(N) read match N: the score with that index's
 * statistics (dllb.score(text, query, index), 0 where the row does not
 * match); highlighting with its analyzer.  The statement runs with
 * dllb.bm25_default_analyzer set to the index's analyzer, so the match is
 * the same whichever plan the planner picks.  Without an index on the
 * field, @@ is an exact scan with the english analyzer and search::score
 * is an error.
 */

/* the dllb_bm25 index on expression expect (pg_get_indexdef form) of rel */
static void
find_bm25_index(const char *rel, const char *expect, char **index, char **analyzer)
{
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		values[2];
	char	   *key = psprintf("bm25|%s|%s", rel, expect);
	char	   *cached;

	*index = NULL;
	*analyzer = pstrdup("english");
	if (dllb_surql_index_cache_get(key, &cached))
	{
		/* index, a tab, analyzer */
		if (cached)
		{
			char	   *tab = strchr(cached, '\t');

			*tab = '\0';
			*index = cached;
			*analyzer = tab + 1;
		}
		return;
	}
	values[0] = CStringGetTextDatum(rel);
	values[1] = CStringGetTextDatum(expect);
	if (SPI_execute_with_args("SELECT i.indexrelid::regclass::text, "
							  "coalesce((SELECT option_value FROM pg_options_to_table(c.reloptions) "
							  "          WHERE option_name = 'analyzer'), 'english') "
							  "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
							  "JOIN pg_am a ON a.oid = c.relam "
							  "WHERE i.indrelid = $1::regclass AND a.amname = 'dllb_bm25' "
							  "AND i.indisvalid AND i.indpred IS NULL "
							  "AND pg_get_indexdef(i.indexrelid, 1, false) = $2 "
							  "ORDER BY c.oid LIMIT 1",
							  2, types, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "looking up full-text indexes failed");
	if (SPI_processed == 1)
	{
		*index = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		*analyzer = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
		dllb_surql_index_cache_put(key, psprintf("%s\t%s", *index, *analyzer));
	}
	else
		dllb_surql_index_cache_put(key, NULL);
}

/*
 * the text of field f of the row (t), and the form pg_get_indexdef gives
 * an index on it
 */
void
dllb_surql_field_text(const TableInfo *ti, const SurqlNode *f, const char *alias, char **sql,
					  char **indexdef)
{
	int			c;

	if (f->kind != SN_FIELD || f->nitems != 1)
		dllb_surql_unsupported("a full-text match on anything but a field");
	c = dllb_surql_column_of(ti, f->keys[0]);
	if (c >= 0 && !ti->is_json[c] && !ti->is_vector[c])
	{
		*sql = psprintf("(%s.%s)::text", alias, quote_identifier(ti->cols[c]));
		*indexdef = strcmp(ti->types[c], "text") == 0 ?
			pstrdup(quote_identifier(ti->cols[c])) :
			psprintf("((%s)::text)", quote_identifier(ti->cols[c]));
		if (strcmp(ti->types[c], "text") == 0)
			*sql = psprintf("%s.%s", alias, quote_identifier(ti->cols[c]));
	}
	else if (c >= 0)
		dllb_surql_unsupported("a full-text match on a field that is not text");
	else
	{
		*sql = psprintf("(%s.data ->> %s)", alias, quote_literal_cstr(f->keys[0]));
		*indexdef = psprintf("((data ->> %s::text))", quote_literal_cstr(f->keys[0]));
	}
}

/*
 * whether two matches are the same field, query and operator (SurrealDB
 * lets one number stand for both: the same match written twice)
 */
static bool
same_match(const SurqlNode *a, const SurqlNode *b)
{
	StringInfoData x;
	StringInfoData y;

	initStringInfo(&x);
	initStringInfo(&y);
	dllb_surql_print_expr(&x, a);
	dllb_surql_print_expr(&y, b);
	return strcmp(x.data, y.data) == 0;
}

/* collect the matches of where (outside graph filters), in order */
static void
prepare_matches(const SurqlNode *n, Jsonb *params, SurqlSql *out, const TableInfo *ti)
{
	SurqlMatch *m;
	char	   *indexdef;
	char	   *text;
	int			mark;
	int			i;

	if (n == NULL)
		return;
	if (n->kind == SN_BINARY || n->kind == SN_UNARY)
	{
		prepare_matches(n->a, params, out, ti);
		prepare_matches(n->b, params, out, ti);
		return;
	}
	if (n->kind != SN_MATCH)
		return;
	if (out->nmatches == SURQL_MAX_MATCHES)
		dllb_surql_unsupported(psprintf("more than %d full-text matches in one statement", SURQL_MAX_MATCHES));
	for (i = 0; i < out->nmatches; i++)
		if (n->ival > 0 && out->matches[i].num == n->ival && !same_match(out->matches[i].node, n))
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("two full-text matches are numbered %lld", (long long) n->ival),
					 errhint("Number each @N@ differently (the same match may repeat its number); search::score(N) reads match N.")));
	m = &out->matches[out->nmatches++];
	m->node = n;
	m->num = n->ival;
	dllb_surql_field_text(ti, n->a, "t", &m->text_sql, &indexdef);
	{
		int			c = dllb_surql_column_of(ti, n->a->keys[0]);

		m->json_sql = c >= 0 ? psprintf("to_jsonb(t.%s)", quote_identifier(ti->cols[c])) :
			psprintf("(t.data -> %s)", quote_literal_cstr(n->a->keys[0]));
	}
	mark = out->sql.len;
	dllb_surql_value_sql(n->b, params, out, NULL);
	m->query_sql = psprintf("dllb.surql_match_query((%s) #>> '{}', %s)",
							out->sql.data + mark, n->flag ? "false" : "true");
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	if (ti->is_subquery)
	{
		m->index = NULL;
		m->analyzer = "english";
	}
	else
		find_bm25_index(ti->rel, indexdef, &m->index, &m->analyzer);
	dllb_surql_field_text(ti, n->a, "m_", &text, &indexdef);
	m->ids_sql = psprintf("SELECT m_.id FROM %s m_ WHERE %s OPERATOR(pg_catalog.@@@) %s",
						  ti->rel, text, m->query_sql);
	if (m->index && out->bm25_analyzer == NULL)
		out->bm25_analyzer = m->analyzer;
}

/* the statement's matches, collected once */
void
dllb_surql_statement_matches(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const TableInfo *ti)
{
	if (out->matches_ready)
		return;
	out->matches_ready = true;
	prepare_matches(s->where, params, out, ti);
}

const SurqlMatch *
dllb_surql_match_of(const SurqlSql *out, const SurqlNode *n)
{
	int			i;

	for (i = 0; i < out->nmatches; i++)
		if (out->matches[i].node == n)
			return &out->matches[i];
	return NULL;
}

/* match N of the statement, with a clear error when there is none */
static const SurqlMatch *
match_numbered(const SurqlSql *out, const char *fn, const SurqlNode *arg)
{
	int			i;

	if (arg->kind != SN_INT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s() takes the number of a match, as in @1@", fn)));
	for (i = 0; i < out->nmatches; i++)
		if (out->matches[i].num == arg->ival)
			return &out->matches[i];
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("%s(%lld): the statement has no match @%lld@", fn,
					(long long) arg->ival, (long long) arg->ival),
			 errhint("Number the match in the WHERE clause: field @%lld@ 'words'.",
					 (long long) arg->ival)));
	return NULL;
}

/* a jsonb value as text */
static char *
text_of(const SurqlNode *n, Jsonb *params, SurqlSql *out)
{
	int			mark = out->sql.len;
	char	   *r;

	dllb_surql_value_sql(n, params, out, NULL);
	r = psprintf("((%s) #>> '{}')", out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	return r;
}

/*
 * the partial argument of search::highlight and search::offsets: true or
 * false (true: only the matching n-grams of an analyzer with n-gram
 * filters, not the whole words)
 */
static bool
check_partial(const SurqlNode *a)
{
	if (a->kind != SN_BOOL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the partial argument of search::highlight and search::offsets is true or false")));
	return a->ival != 0;
}

/* search::score(N), search::highlight(start, stop, N), search::offsets(N) */
bool
dllb_surql_search_call_sql(const SurqlNode *n, Jsonb *params, SurqlSql *out)
{
	const SurqlMatch *m;

	if (strncmp(n->str, "search::", 8) != 0)
		return false;
	if (strcmp(n->str, "search::score") == 0 && n->nitems == 1)
	{
		m = match_numbered(out, n->str, n->items[0]);
		if (m->index == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("search::score(%lld) needs a full-text index on the matched field",
							(long long) m->num),
					 errdetail("BM25 scores use the index's statistics."),
					 errhint("DEFINE INDEX name ON table FIELDS field SEARCH ANALYZER english BM25")));
		appendStringInfo(&out->sql, "to_jsonb(dllb.surql_score(%s, %s, %s::regclass)::float8)",
						 m->text_sql, m->query_sql, quote_literal_cstr(m->index));
		return true;
	}
	if (strcmp(n->str, "search::highlight") == 0 && (n->nitems == 3 || n->nitems == 4))
	{
		char	   *start = text_of(n->items[0], params, out);
		char	   *stop = text_of(n->items[1], params, out);

		bool		partial = n->nitems == 4 && check_partial(n->items[3]);

		m = match_numbered(out, n->str, n->items[2]);
		appendStringInfo(&out->sql, "dllb.surql_highlight(%s, %s, %s, %s, %s, %s)",
						 m->json_sql, m->query_sql, quote_literal_cstr(m->analyzer),
						 start, stop, partial ? "true" : "false");
		return true;
	}
	if (strcmp(n->str, "search::offsets") == 0 && (n->nitems == 1 || n->nitems == 2))
	{
		bool		partial = n->nitems == 2 && check_partial(n->items[1]);

		m = match_numbered(out, n->str, n->items[0]);
		appendStringInfo(&out->sql, "dllb.surql_offsets(%s, %s, %s, %s)",
						 m->json_sql, m->query_sql, quote_literal_cstr(m->analyzer),
						 partial ? "true" : "false");
		return true;
	}
	if (strcmp(n->str, "search::rrf") == 0 && (n->nitems == 2 || n->nitems == 3))
	{
		appendStringInfoString(&out->sql, "dllb.surql_rrf(");
		dllb_surql_value_sql(n->items[0], params, out, NULL);
		appendStringInfoString(&out->sql, ", ");
		dllb_surql_value_sql(n->items[1], params, out, NULL);
		appendStringInfoString(&out->sql, ", ");
		if (n->nitems == 3)
			dllb_surql_value_sql(n->items[2], params, out, NULL);
		else
			appendStringInfoString(&out->sql, "'60'::jsonb");
		appendStringInfoChar(&out->sql, ')');
		return true;
	}
	if (strcmp(n->str, "search::linear") == 0 && n->nitems == 4)
	{
		int			i;

		appendStringInfoString(&out->sql, "dllb.surql_linear(");
		for (i = 0; i < 4; i++)
		{
			if (i > 0)
				appendStringInfoString(&out->sql, ", ");
			dllb_surql_value_sql(n->items[i], params, out, NULL);
		}
		appendStringInfoChar(&out->sql, ')');
		return true;
	}
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_FUNCTION),
			 errmsg("function %s() with %d arguments does not exist", n->str, n->nitems),
			 errhint("search::score(N), search::highlight(start, stop, N[, partial]) and search::offsets(N[, partial]) read the match @N@; search::rrf(lists, limit[, k]) and search::linear(lists, weights, limit, norm) fuse result lists.")));
	return false;
}

/* find_knn - the <|k|> condition among the top-level ANDs of where */
const SurqlNode *
dllb_surql_find_knn(const SurqlNode *n)
{
	const SurqlNode *a;
	const SurqlNode *b;

	if (n == NULL)
		return NULL;
	if (n->kind == SN_KNN)
		return n;
	if (n->kind != SN_BINARY || n->op != -(int) KW_AND)
		return NULL;
	a = dllb_surql_find_knn(n->a);
	b = dllb_surql_find_knn(n->b);
	if (a && b)
		dllb_surql_unsupported("two nearest-neighbour conditions in one statement");
	return a ? a : b;
}

/* whether column col of the table has a dllb_hnsw index of operator class opclass */
static bool
has_hnsw_index(const TableInfo *ti, const char *col, const char *opclass)
{
	Oid			types[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		values[3];

	char	   *key;
	char	   *cached;

	if (opclass == NULL || ti->is_subquery)
		return false;
	key = psprintf("hnsw|%s|%s|%s", ti->rel, col, opclass);
	if (dllb_surql_index_cache_get(key, &cached))
		return cached != NULL;
	values[0] = CStringGetTextDatum(ti->rel);
	values[1] = CStringGetTextDatum(col);
	values[2] = CStringGetTextDatum(opclass);
	if (SPI_execute_with_args("SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
							  "JOIN pg_am a ON a.oid = c.relam "
							  "JOIN pg_opclass o ON o.oid = i.indclass[0] "
							  "JOIN pg_attribute t ON t.attrelid = i.indrelid AND t.attnum = i.indkey[0] "
							  "WHERE i.indrelid = $1::regclass AND a.amname = 'dllb_hnsw' "
							  "AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL "
							  "AND t.attname = $2 AND o.opcname = $3",
							  3, types, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "looking up vector indexes failed");
	dllb_surql_index_cache_put(key, SPI_processed > 0 ? "t" : NULL);
	return SPI_processed > 0;
}

/*
 * Beside a full-text match, <|k|> first counts the rows that pass every
 * condition, with the match driven by its dllb_bm25 index, up to this
 * many: when there are no more, the k nearest of them are found exactly
 * (their distances computed and sorted: a few milliseconds); otherwise
 * the HNSW index's filtered search walks the graph, and at least this
 * many rows pass the filter, so the walk ends soon.  A selective match no
 * longer sends the walk through most of the graph.
 */
#define KNN_EXACT_MAX 4000

/* a full-text match served by a dllb_bm25 index among the statement's */
static bool
has_indexed_match(const SurqlSql *out)
{
	int			i;

	for (i = 0; i < out->nmatches; i++)
		if (out->matches[i].index)
			return true;
	return false;
}

/*
 * the distance of the HNSW index's operator (dist_sql) as a function no
 * index serves, for the exact branch (rhs: the query vector, computed once)
 */
static char *
exact_distance(const SurqlSql *out, const StringInfoData *dist, const char *lhs, const char *rhs)
{
	(void) out;
	if (strstr(dist->data, "OPERATOR(pg_catalog.<=>)"))
		return psprintf("dllb.cosine_distance(%s, %s)", lhs, rhs);
	if (strstr(dist->data, "OPERATOR(pg_catalog.<#>)"))
		return psprintf("dllb.negative_inner_product(%s, %s)", lhs, rhs);
	return psprintf("dllb.l2_distance(%s, %s)", lhs, rhs);
}

/*
 * A graph path condition beside <|k|> is also computed backwards as a set
 * of ids (dllb_surql_graph_ids_sql), each hop's set up to this many
 * records; past it the set is not used and the path is checked forward
 * from each row, as before.
 */
#define KNN_GRAPH_IDS_MAX 10000

/*
 * collect_graph_ids - the graph path conditions among the conjuncts of
 * where that can be computed backwards, each as a CTE of out
 */
static void
collect_graph_ids(const SurqlNode *n, Jsonb *params, SurqlSql *out)
{
	char	   *ids;

	if (n == NULL)
		return;
	if (n->kind == SN_BINARY && n->op == -(int) KW_AND)
	{
		collect_graph_ids(n->a, params, out);
		collect_graph_ids(n->b, params, out);
		return;
	}
	if (n->kind != SN_GRAPH || out->ngraph_ids == SURQL_MAX_GRAPH_IDS)
		return;
	ids = dllb_surql_graph_ids_sql(n, params, out, KNN_GRAPH_IDS_MAX);
	if (ids == NULL)
		return;
	out->graph_ids[out->ngraph_ids].node = n;
	out->graph_ids[out->ngraph_ids].cte = psprintf("g%d_", out->ngraph_ids + 1);
	out->graph_ids[out->ngraph_ids].ids_sql = ids;
	out->ngraph_ids++;
}

/*
 * knn_adaptive - <|k|> on an HNSW-indexed field beside an indexed match
 * or a graph path computed backwards (g1_, ...):
 *
 *	(WITH g1_ AS MATERIALIZED (SELECT <the path's ids, or NULL> AS a),
 *	 c_ AS MATERIALIZED (<the candidates: up to max + 1 ids, their exact distance d_>)
 *	 (SELECT t.*, c_.d_ AS knn_distance_ FROM (SELECT id, d_ FROM c_ WHERE <few>
 *	  ORDER BY d_, id LIMIT k) c_ JOIN rel t ON t.id = c_.id)
 *	 UNION ALL
 *	 (SELECT t.*, op AS knn_distance_ FROM rel t WHERE <where, match by id,
 *	  paths by id> AND NOT <few> ORDER BY op LIMIT k)) t
 *
 * With a match, the candidates are the match's rows (through its index)
 * that pass the other conditions, the paths checked against their sets;
 * without one, the rows of the first path's set that pass the others (and
 * none when that set was too large to compute).  <few>: there are at most
 * max candidates (and, without a match, the first path's set is there).
 * The one-time conditions run one branch: few candidates, exactly; many,
 * the index's filtered walk.  Both compute the same distance.
 */
static void
knn_adaptive(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const TableInfo *ti,
			 const char *record, const char *op_dist, const char *exact_dist)
{
	const SurqlNode *k = out->knn;
	bool		match = has_indexed_match(out);
	const char *g1 = out->ngraph_ids > 0 ? out->graph_ids[0].cte : NULL;
	char	   *few;
	int			i;

	appendStringInfoString(&out->sql, "(WITH ");
	for (i = 0; i < out->ngraph_ids; i++)
		appendStringInfo(&out->sql, "%s AS MATERIALIZED (SELECT %s AS a), ",
						 out->graph_ids[i].cte, out->graph_ids[i].ids_sql);
	if (match)
	{
		appendStringInfo(&out->sql, "c_ AS MATERIALIZED (SELECT t.id, %s AS d_ FROM %s t", exact_dist, ti->rel);
		out->graph_mode = SURQL_GRAPH_BY_ID;
		few = psprintf("(SELECT pg_catalog.count(*) FROM c_) OPERATOR(pg_catalog.<=) %d", KNN_EXACT_MAX);
	}
	else
	{
		/* the distinct ids of the first path's set, then their rows */
		appendStringInfo(&out->sql, "c_ AS MATERIALIZED (SELECT t.id, %s AS d_ FROM (SELECT DISTINCT u_.x FROM "
						 "pg_catalog.unnest((SELECT %s.a FROM %s)) AS u_(x)) AS u_ JOIN %s t "
						 "ON t.id OPERATOR(pg_catalog.=) u_.x", exact_dist, g1, g1, ti->rel);
		out->graph_mode = SURQL_GRAPH_DRIVEN;
		few = psprintf("(SELECT pg_catalog.count(*) FROM c_) OPERATOR(pg_catalog.<=) %d "
					   "AND (SELECT %s.a FROM %s) IS NOT NULL", KNN_EXACT_MAX, g1, g1);
	}
	dllb_surql_where_sql(s, params, out, record, ti);
	out->graph_mode = SURQL_GRAPH_FORWARD;
	appendStringInfo(&out->sql, " LIMIT %d) (SELECT t.*, c_.d_ AS knn_distance_ FROM "
					 "(SELECT c_.id, c_.d_ FROM c_ WHERE %s ORDER BY c_.d_, c_.id LIMIT %lld) AS c_ "
					 "JOIN %s t ON t.id OPERATOR(pg_catalog.=) c_.id) UNION ALL (SELECT t.*, %s AS knn_distance_ FROM %s t",
					 KNN_EXACT_MAX + 1, few, (long long) k->ival, ti->rel, op_dist, ti->rel);
	out->match_by_id = true;
	out->knn_scan = true;
	out->graph_mode = SURQL_GRAPH_BY_ID;
	dllb_surql_where_sql(s, params, out, record, ti);
	out->graph_mode = SURQL_GRAPH_FORWARD;
	out->match_by_id = false;
	appendStringInfo(&out->sql, " AND NOT (%s) ORDER BY %s LIMIT %lld)) t",
					 few, op_dist, (long long) k->ival);
}

/*
 * knn_source - the k rows nearest to the query vector among those that
 * pass the other conditions, as a subquery aliased t with their distance
 * in knn_distance_.  <|k|> and <|k,ef|> on a dllb.vector column with a
 * dllb_hnsw index order by that index's distance operator (<->, <=> or
 * <#>), ORDER BY col op q LIMIT k, which the index serves as a filtered
 * search (the scan keeps going until k rows pass); without an index they
 * are exact, by euclidean distance.  <|k,EUCLIDEAN|>, COSINE and
 * MANHATTAN are exact by that metric: the distance functions, which no
 * index serves.
 */
void
dllb_surql_knn_source(const SurqlStmt *s, Jsonb *params, SurqlSql *out, const TableInfo *ti,
					  const char *record)
{
	const SurqlNode *k = out->knn;
	StringInfoData lhs;
	StringInfoData rhs;
	StringInfoData dist;
	int			mark;
	int			c;
	bool		indexed;

	if (k->a->kind != SN_FIELD)
		dllb_surql_unsupported("<|k|> on anything but a field");
	c = dllb_surql_column_of(ti, k->a->keys[0]);
	initStringInfo(&lhs);
	initStringInfo(&rhs);
	initStringInfo(&dist);
	if (c >= 0 && k->a->nitems == 1 && ti->is_vector[c])
		appendStringInfo(&lhs, "t.%s", quote_identifier(ti->cols[c]));
	else
	{
		mark = out->sql.len;
		dllb_surql_value_sql(k->a, params, out, ti);
		appendStringInfo(&lhs, "((%s)::text)::dllb.vector", out->sql.data + mark);
		out->sql.len = mark;
		out->sql.data[mark] = '\0';
	}
	mark = out->sql.len;
	dllb_surql_value_sql(k->b, params, out, NULL);
	appendStringInfo(&rhs, "((%s)::text)::dllb.vector", out->sql.data + mark);
	out->sql.len = mark;
	out->sql.data[mark] = '\0';
	indexed = c >= 0 && k->a->nitems == 1 && ti->is_vector[c] && k->op == 0;
	if (k->op == KW_COSINE)
		appendStringInfo(&dist, "dllb.cosine_distance(%s, %s)", lhs.data, rhs.data);
	else if (k->op == KW_MANHATTAN)
		appendStringInfo(&dist, "dllb.l1_distance(%s, %s)", lhs.data, rhs.data);
	else if (k->op == KW_EUCLIDEAN)
		appendStringInfo(&dist, "dllb.l2_distance(%s, %s)", lhs.data, rhs.data);
	else if (indexed && has_hnsw_index(ti, ti->cols[c], "vector_l2_ops"))
		appendStringInfo(&dist, "(%s) OPERATOR(pg_catalog.<->) (%s)", lhs.data, rhs.data);
	else if (indexed && has_hnsw_index(ti, ti->cols[c], "vector_cosine_ops"))
		appendStringInfo(&dist, "(%s) OPERATOR(pg_catalog.<=>) (%s)", lhs.data, rhs.data);
	else if (indexed && has_hnsw_index(ti, ti->cols[c], "vector_ip_ops"))
		appendStringInfo(&dist, "(%s) OPERATOR(pg_catalog.<#>) (%s)", lhs.data, rhs.data);
	else
	{
		/* no index: exact, by euclidean distance */
		indexed = false;
		appendStringInfo(&dist, "(%s) OPERATOR(pg_catalog.<->) (%s)", lhs.data, rhs.data);
	}

	if (indexed)
		collect_graph_ids(s->where, params, out);
	if (indexed && (has_indexed_match(out) || out->ngraph_ids > 0))
	{
		knn_adaptive(s, params, out, ti, record, dist.data,
					 exact_distance(out, &dist, lhs.data, psprintf("(SELECT %s)", rhs.data)));
		if (k->ival2 > 0)
			out->ef_search = (int) k->ival2;
		return;
	}
	appendStringInfo(&out->sql, "(SELECT t.*, %s AS knn_distance_ FROM %s t", dist.data, ti->rel);
	out->match_by_id = indexed;
	out->knn_scan |= indexed;
	dllb_surql_where_sql(s, params, out, record, ti);
	out->match_by_id = false;
	/* exact search breaks ties by id, so its answer is one */
	appendStringInfo(&out->sql, " ORDER BY %s%s LIMIT %lld) t", dist.data,
					 indexed ? "" : ", t.id", (long long) k->ival);
	if (k->ival2 > 0)
		out->ef_search = (int) k->ival2;
}
