-- src/surql/40_functions.sql: helpers of the SQL the dialect's functions become.

CREATE FUNCTION dllb.surql_expect(v jsonb, type text, fn text, arg int4) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_surql_expect' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_expect(jsonb, text, text, int4) IS 'v when it is a JSON value of that type (string, number, array), else a type mismatch naming argument arg of the dialect''s function fn';
CREATE FUNCTION dllb.surql_contains(a jsonb, b jsonb) RETURNS boolean
	AS 'MODULE_PATHNAME', 'dllb_surql_contains' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_contains(jsonb, jsonb) IS 'the dialect''s a CONTAINS b: substring when both are strings, jsonb containment otherwise';
