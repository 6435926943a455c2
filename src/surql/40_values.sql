-- src/surql/40_values.sql: helpers the translated statements call on values
-- (src/surql/surql_values.c).  NONE is SQL NULL, NULL is JSON null.

CREATE FUNCTION dllb.surql_object(keys text[], VARIADIC vals jsonb[]) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_surql_object' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_object(text[], jsonb[]) IS 'the dialect''s object: the pairs whose value is not NONE (SQL NULL)';
CREATE FUNCTION dllb.surql_rank(v jsonb) RETURNS int4
	AS 'MODULE_PATHNAME', 'dllb_surql_rank' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_rank(jsonb) IS 'the rank of a value''s type in the dialect''s order: NONE, NULL, bool, number, string, array, object';
CREATE FUNCTION dllb.surql_merge(a jsonb, b jsonb) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_surql_merge' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_merge(jsonb, jsonb) IS 'the dialect''s MERGE: b''s fields over a''s, objects merged field by field';

-- CONTENT / MERGE v: v when it is an object (NONE is {}), else a type mismatch
CREATE FUNCTION dllb.surql_content(v jsonb, clause text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
BEGIN
	IF v IS NULL THEN
		RETURN '{}';
	END IF;
	IF jsonb_typeof(v) <> 'object' THEN
		RAISE EXCEPTION '% takes an object, not % %', clause,
			CASE WHEN jsonb_typeof(v) = 'array' THEN 'an' ELSE 'a' END, jsonb_typeof(v)
			USING ERRCODE = 'datatype_mismatch', DETAIL = format('The value is %s.', v);
	END IF;
	RETURN v;
END $$;
COMMENT ON FUNCTION dllb.surql_content(jsonb, text) IS 'the dialect''s CONTENT or MERGE value: an object (NONE is {}), else a type mismatch';

-- the id of a new record of table tb whose content has id (NONE: a random key)
CREATE FUNCTION dllb.surql_record_id(tb text, id jsonb) RETURNS dllb.record
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = pg_catalog AS $$
	SELECT CASE WHEN id IS NULL OR id = 'null'::jsonb THEN dllb.record(tb, dllb.random_key())
		WHEN jsonb_typeof(id) = 'string' AND starts_with(id #>> '{}', tb || ':')
		THEN (id #>> '{}')::dllb.record
		ELSE dllb.record(tb, id) END
$$;
COMMENT ON FUNCTION dllb.surql_record_id(text, jsonb) IS 'the id of a new record of table tb: the content''s id (a key, or a record of tb), or a random key';

-- the record ids a RELATE end stands for: a record id, a record (its id),
-- or an array of them; anything else is a type mismatch
CREATE FUNCTION dllb.surql_records(v jsonb, what text) RETURNS SETOF dllb.record
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
DECLARE
	e jsonb;
BEGIN
	IF jsonb_typeof(v) = 'array' THEN
		FOR e IN SELECT x FROM jsonb_array_elements(v) AS a(x) LOOP
			RETURN QUERY SELECT dllb.surql_records(e, what);
		END LOOP;
		RETURN;
	END IF;
	IF jsonb_typeof(v) = 'object' AND jsonb_typeof(v -> 'id') = 'string' THEN
		v := v -> 'id';
	END IF;
	IF jsonb_typeof(v) = 'string' AND position(':' IN v #>> '{}') > 0 THEN
		RETURN NEXT (v #>> '{}')::dllb.record;
		RETURN;
	END IF;
	RAISE EXCEPTION '% must be a record id, a record or an array of them, not %', what,
		coalesce(v::text, 'NONE')
		USING ERRCODE = 'datatype_mismatch';
END $$;
COMMENT ON FUNCTION dllb.surql_records(jsonb, text) IS 'the record ids a RELATE end stands for: a record id, a record (its id), or an array of them';
CREATE FUNCTION dllb.surql_arith(op text, a jsonb, b jsonb) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_surql_arith' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_arith(text, jsonb, jsonb) IS 'the dialect''s + - * / % **: integers stay integers (division truncates), + joins strings, NONE gives NONE';

-- the dialect's truth of a value: NONE, NULL, false, 0, '', [] and {} are false
CREATE FUNCTION dllb.surql_truthy(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
	SELECT CASE jsonb_typeof(v) WHEN 'boolean' THEN v = 'true'::jsonb
		WHEN 'number' THEN v <> '0'::jsonb WHEN 'string' THEN v <> '""'::jsonb
		WHEN 'array' THEN v <> '[]'::jsonb WHEN 'object' THEN v <> '{}'::jsonb
		ELSE false END
$$;
COMMENT ON FUNCTION dllb.surql_truthy(jsonb) IS 'the dialect''s truth of a value: NONE, NULL, false, 0, empty strings, arrays and objects are false';

-- count(v) outside GROUP: an array's length, else 1 for a true value, 0 for a false one
CREATE FUNCTION dllb.surql_count(v jsonb) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
	SELECT CASE WHEN jsonb_typeof(v) = 'array' THEN jsonb_array_length(v)
		WHEN dllb.surql_truthy(v) THEN 1 ELSE 0 END
$$;
COMMENT ON FUNCTION dllb.surql_count(jsonb) IS 'the dialect''s count(v): the length of an array, else 1 for a true value and 0 for a false one';
CREATE FUNCTION dllb.surql_recursion_guard(depth int4) RETURNS boolean
	AS 'MODULE_PATHNAME', 'dllb_surql_recursion_guard' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION dllb.surql_recursion_guard(int4) IS 'true, until the graph recursion it is called in has made more records than work_mem holds: then an error (54000)';
CREATE FUNCTION dllb.surql_patch(doc jsonb, keys text[], VARIADIC vals jsonb[]) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_surql_patch' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_patch(jsonb, text[], jsonb[]) IS 'the dialect''s SET: doc with those fields set, or removed where the value is NONE';

-- SET f += v / f -= v: an array gains v (each element of an array v) or
-- loses every element equal to it; otherwise + and -, NONE counting as v
CREATE FUNCTION dllb.surql_compound(op text, cur jsonb, v jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
	SELECT CASE
		WHEN jsonb_typeof(cur) = 'array' AND op = '+' THEN
			cur || CASE WHEN jsonb_typeof(v) = 'array' THEN v ELSE jsonb_build_array(v) END
		WHEN jsonb_typeof(cur) = 'array' THEN
			(SELECT coalesce(jsonb_agg(e.x ORDER BY e.i), '[]'::jsonb)
			 FROM jsonb_array_elements(cur) WITH ORDINALITY AS e(x, i)
			 WHERE NOT (CASE WHEN jsonb_typeof(v) = 'array' THEN v @> jsonb_build_array(e.x)
					   ELSE e.x = v END))
		WHEN cur IS NULL OR cur = 'null'::jsonb THEN
			CASE WHEN op = '+' THEN v ELSE dllb.surql_arith('*', v, '-1') END
		ELSE dllb.surql_arith(op, cur, v) END
$$;
COMMENT ON FUNCTION dllb.surql_compound(text, jsonb, jsonb) IS 'the dialect''s SET f += v and f -= v: arrays gain or lose elements, numbers add or subtract, NONE counts as v';
