-- src/fulltext/10_analyzer.sql: analyzers.

CREATE FUNCTION dllb.analyze(config text, input text)
RETURNS TABLE(token text, "position" int)
	AS 'MODULE_PATHNAME', 'dllb_analyze' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.analyze(text, text) IS 'the tokens an analyzer (a text search configuration, or dllb.code[(configuration)]) makes of input, with positions';
