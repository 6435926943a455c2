-- src/surql/30_query.sql: running the dialect's statements.

CREATE FUNCTION dllb.query(q text, params jsonb DEFAULT '{}')
RETURNS TABLE(stmt int, result jsonb)
	AS 'MODULE_PATHNAME', 'dllb_query' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION dllb.query(text, jsonb) IS 'run the dialect''s ;-separated statements; one row per result record, tagged with its statement''s index';

CREATE FUNCTION dllb.explain(q text, params jsonb DEFAULT '{}')
RETURNS TABLE(stmt int, sql text, plan text, uses_index boolean)
	AS 'MODULE_PATHNAME', 'dllb_explain' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION dllb.explain(text, jsonb) IS 'the SQL each of q''s statements becomes, its plan, and whether an index serves it (LET statements run; nothing else does)';
