-- src/fulltext/20_bm25query.sql: the dllb.bm25query type.

CREATE TYPE dllb.bm25query;
CREATE FUNCTION dllb.bm25query_in(cstring) RETURNS dllb.bm25query
	AS 'MODULE_PATHNAME', 'dllb_bm25query_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.bm25query_out(dllb.bm25query) RETURNS cstring
	AS 'MODULE_PATHNAME', 'dllb_bm25query_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.bm25query_recv(internal) RETURNS dllb.bm25query
	AS 'MODULE_PATHNAME', 'dllb_bm25query_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.bm25query_send(dllb.bm25query) RETURNS bytea
	AS 'MODULE_PATHNAME', 'dllb_bm25query_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE dllb.bm25query (
	INPUT = dllb.bm25query_in,
	OUTPUT = dllb.bm25query_out,
	RECEIVE = dllb.bm25query_recv,
	SEND = dllb.bm25query_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = extended,
	CATEGORY = 'U'
);
COMMENT ON TYPE dllb.bm25query IS 'full-text query: terms, +required, -excluded, "phrases", prefix*';

CREATE CAST (text AS dllb.bm25query) WITH INOUT AS ASSIGNMENT;
CREATE CAST (dllb.bm25query AS text) WITH INOUT;

CREATE FUNCTION dllb.bm25query_items(q dllb.bm25query)
RETURNS TABLE(occur text, kind text, item text)
	AS 'MODULE_PATHNAME', 'dllb_bm25query_items' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.bm25query_items(dllb.bm25query) IS 'the items of a full-text query, as parsed';
