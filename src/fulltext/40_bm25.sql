-- src/fulltext/40_bm25.sql: the dllb_bm25 index access method (see doc/fulltext.md).

-- The planner binds each full-text query to the dllb_bm25 index on the
-- expression it searches (src/fulltext/bm25_plan.c), so every plan uses
-- that index's analyzer and statistics.
CREATE FUNCTION dllb.bm25_support(internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'dllb_bm25_support' LANGUAGE C STRICT;
COMMENT ON FUNCTION dllb.bm25_support(internal) IS 'planner support of @@@, <@> and dllb.score: binds the query to the dllb_bm25 index on the expression';
CREATE FUNCTION dllb.bm25query_bind(query dllb.bm25query, index regclass) RETURNS dllb.bm25query
	AS 'MODULE_PATHNAME', 'dllb_bm25query_bind' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.bm25query_bind(dllb.bm25query, regclass) IS 'the query bound to a dllb_bm25 index: its operators use that index''s analyzer and statistics';

CREATE FUNCTION dllb.bm25_match(text, dllb.bm25query) RETURNS boolean
	AS 'MODULE_PATHNAME', 'dllb_bm25_match' LANGUAGE C STABLE STRICT PARALLEL SAFE
	SUPPORT dllb.bm25_support;
COMMENT ON FUNCTION dllb.bm25_match(text, dllb.bm25query) IS 'does the text match the full-text query, with the analyzer of the dllb_bm25 index on the expression (the @@@ operator)';
CREATE FUNCTION dllb.bm25_rank(text, dllb.bm25query) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_bm25_rank' LANGUAGE C STABLE STRICT PARALLEL SAFE
	SUPPORT dllb.bm25_support;
COMMENT ON FUNCTION dllb.bm25_rank(text, dllb.bm25query) IS 'minus the BM25 score, with the statistics of the dllb_bm25 index on the expression (the <@> operator)';
CREATE FUNCTION dllb.score(body text, query dllb.bm25query) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_bm25_score' LANGUAGE C STABLE STRICT PARALLEL SAFE
	SUPPORT dllb.bm25_support;
COMMENT ON FUNCTION dllb.score(text, dllb.bm25query) IS 'the BM25 score, with the statistics of the dllb_bm25 index on the expression';

CREATE FUNCTION dllb.score(body text, query dllb.bm25query, index regclass) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_bm25_score_index' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.score(text, dllb.bm25query, regclass) IS 'the BM25 score of the text with the statistics of a dllb_bm25 index, in any plan (0 when it does not match)';

CREATE FUNCTION dllb.surql_score(body text, query dllb.bm25query, index regclass) RETURNS float4
	AS 'MODULE_PATHNAME', 'dllb_bm25_score_surreal' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_score(text, dllb.bm25query, regclass) IS 'the dialect''s search::score: SurrealDB''s BM25 variant (idf floored at 0, 1 + ln(tf)) with the statistics of a dllb_bm25 index, as a float4 (0 when it does not match)';

CREATE FUNCTION dllb.bm25_matchsel(internal, oid, internal, integer) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_bm25_matchsel' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.bm25_matchsel(internal, oid, internal, integer) IS 'selectivity of @@@: the share of the index''s documents the query matches';
CREATE OPERATOR pg_catalog.@@@ (
	LEFTARG = text, RIGHTARG = dllb.bm25query, FUNCTION = dllb.bm25_match,
	RESTRICT = dllb.bm25_matchsel, JOIN = contjoinsel
);
COMMENT ON OPERATOR pg_catalog.@@@ (text, dllb.bm25query) IS 'full-text match';
CREATE OPERATOR pg_catalog.<@> (
	LEFTARG = text, RIGHTARG = dllb.bm25query, FUNCTION = dllb.bm25_rank
);
COMMENT ON OPERATOR pg_catalog.<@> (text, dllb.bm25query) IS 'minus the BM25 score: ORDER BY body <@> query is best first';

CREATE FUNCTION dllb.bm25_handler(internal) RETURNS index_am_handler
	AS 'MODULE_PATHNAME', 'dllb_bm25_handler' LANGUAGE C;
CREATE ACCESS METHOD dllb_bm25 TYPE INDEX HANDLER dllb.bm25_handler;
COMMENT ON ACCESS METHOD dllb_bm25 IS 'BM25 full-text index with top-k scans';

CREATE OPERATOR CLASS dllb.bm25_text_ops DEFAULT FOR TYPE text USING dllb_bm25 AS
	OPERATOR 1 pg_catalog.@@@ (text, dllb.bm25query),
	OPERATOR 2 pg_catalog.<@> (text, dllb.bm25query) FOR ORDER BY pg_catalog.float_ops;

CREATE FUNCTION dllb.bm25_verify(index regclass,
	OUT "check" text, OUT ok boolean, OUT detail text) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'dllb_bm25_verify' LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION dllb.bm25_verify(regclass) IS 'check a dllb_bm25 index''s segments, write buffer and statistics, and its agreement with the table';

CREATE FUNCTION dllb.bm25_stats(index regclass,
	OUT docs bigint, OUT total_length bigint, OUT avgdl float8, OUT segments int,
	OUT buffered_docs bigint, OUT terms bigint, OUT garbage int) RETURNS record
	AS 'MODULE_PATHNAME', 'dllb_bm25_stats' LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION dllb.bm25_stats(regclass) IS 'a dllb_bm25 index''s statistics: documents, total length, segments, buffered documents';
