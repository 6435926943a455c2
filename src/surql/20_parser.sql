-- src/surql/20_parser.sql: the dialect's parser, visible for debugging.

CREATE FUNCTION dllb.surql_parse(q text) RETURNS text
	AS 'MODULE_PATHNAME', 'dllb_surql_parse_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_parse(text) IS 'how the dialect''s parser reads q: each statement''s canonical text (debugging)';
