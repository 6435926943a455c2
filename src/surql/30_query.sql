-- src/surql/30_query.sql: running the dialect's statements.

CREATE FUNCTION dllb.query(q text, params jsonb DEFAULT '{}')
RETURNS TABLE(stmt int, result jsonb)
	AS 'MODULE_PATHNAME', 'dllb_query' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION dllb.query(text, jsonb) IS 'run the dialect''s ;-separated statements; one row per result record, tagged with its statement''s index';
