-- src/surql/10_lexer.sql: the dialect's lexer, visible for debugging.

CREATE FUNCTION dllb.surql_tokens(q text)
RETURNS TABLE(line int, col int, kind text, token text)
	AS 'MODULE_PATHNAME', 'dllb_surql_tokens' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_tokens(text) IS 'the tokens the dialect''s lexer makes of q (debugging)';
