-- src/surql/40_functions.sql: helpers of the SQL the dialect's functions become.

CREATE FUNCTION dllb.surql_expect(v jsonb, type text, fn text, arg int4) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_surql_expect' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_expect(jsonb, text, text, int4) IS 'v when it is a JSON value of that type (string, number, array), else a type mismatch naming argument arg of the dialect''s function fn';
CREATE FUNCTION dllb.surql_contains(a jsonb, b jsonb) RETURNS boolean
	AS 'MODULE_PATHNAME', 'dllb_surql_contains' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_contains(jsonb, jsonb) IS 'the dialect''s a CONTAINS b: substring when both are strings, jsonb containment otherwise';

-- Helpers that hold a subquery: as functions, their arguments stay in the
-- calling query, so they may be GROUP BY keys there.  Not inlined (SET).
CREATE FUNCTION dllb.surql_contains_all(a jsonb, b jsonb) RETURNS boolean
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	AS $$SELECT CASE WHEN jsonb_typeof(a) = 'array' AND jsonb_typeof(b) = 'array'
		THEN NOT EXISTS (SELECT 1 FROM jsonb_array_elements(b) AS e(v) WHERE NOT a @> jsonb_build_array(e.v))
		WHEN jsonb_typeof(a) = 'string' AND jsonb_typeof(b) IN ('array', 'string')
		THEN NOT EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(b) = 'array' THEN b
				ELSE jsonb_build_array(b) END) AS e(v)
			WHERE jsonb_typeof(e.v) <> 'string' OR strpos(a #>> '{}', e.v #>> '{}') = 0)
		ELSE false END$$;
COMMENT ON FUNCTION dllb.surql_contains_all(jsonb, jsonb) IS 'the dialect''s a CONTAINSALL b: both arrays, and every element of b an element of a (a string: every string of b a substring of a)';
CREATE FUNCTION dllb.surql_contains_any(a jsonb, b jsonb) RETURNS boolean
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	AS $$SELECT CASE WHEN jsonb_typeof(a) = 'array' AND jsonb_typeof(b) = 'array'
		THEN EXISTS (SELECT 1 FROM jsonb_array_elements(b) AS e(v) WHERE a @> jsonb_build_array(e.v))
		WHEN jsonb_typeof(a) = 'string' AND jsonb_typeof(b) IN ('array', 'string')
		THEN EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(b) = 'array' THEN b
				ELSE jsonb_build_array(b) END) AS e(v)
			WHERE jsonb_typeof(e.v) = 'string' AND strpos(a #>> '{}', e.v #>> '{}') > 0)
		ELSE false END$$;
COMMENT ON FUNCTION dllb.surql_contains_any(jsonb, jsonb) IS 'the dialect''s a CONTAINSANY b: both arrays, and some element of b an element of a (a string: some string of b a substring of a)';
-- a set {a, b}: an array of its distinct elements in the dialect's order
CREATE FUNCTION dllb.surql_set(a jsonb) RETURNS jsonb
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	AS $$SELECT coalesce(jsonb_agg(d.v ORDER BY dllb.surql_rank(d.v), d.v), '[]'::jsonb)
		FROM (SELECT DISTINCT x.v FROM jsonb_array_elements(a) AS x(v)) AS d$$;
COMMENT ON FUNCTION dllb.surql_set(jsonb) IS 'the dialect''s set {a, b}: the distinct elements of a in the dialect''s order';
-- a *= b, a ?= b
CREATE FUNCTION dllb.surql_all_equal(a jsonb, b jsonb) RETURNS boolean
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	AS $$SELECT CASE WHEN jsonb_typeof(a) = 'array'
		THEN NOT EXISTS (SELECT 1 FROM jsonb_array_elements(a) AS e(v) WHERE e.v <> b) ELSE a = b END$$;
COMMENT ON FUNCTION dllb.surql_all_equal(jsonb, jsonb) IS 'the dialect''s a *= b: every element of the array a equals b';
CREATE FUNCTION dllb.surql_any_equal(a jsonb, b jsonb) RETURNS boolean
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	AS $$SELECT CASE WHEN jsonb_typeof(a) = 'array'
		THEN EXISTS (SELECT 1 FROM jsonb_array_elements(a) AS e(v) WHERE e.v = b) ELSE a = b END$$;
COMMENT ON FUNCTION dllb.surql_any_equal(jsonb, jsonb) IS 'the dialect''s a ?= b: some element of the array a equals b';
CREATE FUNCTION dllb.surql_array_distinct(a jsonb) RETURNS jsonb
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	AS $$SELECT coalesce(jsonb_agg(d.v ORDER BY d.o), '[]'::jsonb)
		FROM (SELECT DISTINCT ON (x.v) x.v, x.o FROM jsonb_array_elements(a) WITH ORDINALITY AS x(v, o)
			ORDER BY x.v, x.o) AS d$$;
COMMENT ON FUNCTION dllb.surql_array_distinct(jsonb) IS 'the dialect''s array::distinct(): the elements without repeats, each where it first occurs';
CREATE FUNCTION dllb.surql_array_flatten(a jsonb) RETURNS jsonb
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
	AS $$SELECT coalesce(jsonb_agg(y.v ORDER BY x.o, y.o), '[]'::jsonb)
		FROM jsonb_array_elements(a) WITH ORDINALITY AS x(v, o)
		CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(x.v) WHEN 'array' THEN x.v
			ELSE jsonb_build_array(x.v) END) WITH ORDINALITY AS y(v, o)$$;
COMMENT ON FUNCTION dllb.surql_array_flatten(jsonb) IS 'the dialect''s array::flatten(): the elements of the array''s arrays, one level, in order';
