-- src/surql/40_values.sql: helpers the translated statements call on values
-- (src/surql/surql_values.c).  NONE is SQL NULL, NULL is JSON null.

CREATE FUNCTION dllb.surql_object(keys text[], VARIADIC vals jsonb[]) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_surql_object' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_object(text[], jsonb[]) IS 'the dialect''s object: the pairs whose value is not NONE (SQL NULL)';
CREATE FUNCTION dllb.surql_rank(v jsonb) RETURNS int4
	AS 'MODULE_PATHNAME', 'dllb_surql_rank' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dllb.surql_cmp(a jsonb, b jsonb) RETURNS int4
	AS 'MODULE_PATHNAME', 'dllb_surql_cmp' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_cmp(jsonb, jsonb) IS 'the dialect''s order of two values: -1, 0 or 1, by type first (NONE < NULL < bool < number < string < array < object)';
COMMENT ON FUNCTION dllb.surql_rank(jsonb) IS 'the rank of a value''s type in the dialect''s order: NONE, NULL, bool, number, string, array, object';
CREATE FUNCTION dllb.surql_merge(a jsonb, b jsonb) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_surql_merge' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_merge(jsonb, jsonb) IS 'the dialect''s MERGE: b''s fields over a''s, objects merged field by field';

-- CONTENT / MERGE v: v when it is an object (NONE is {}), else a type mismatch
CREATE FUNCTION dllb.surql_content(v jsonb, clause text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
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
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN id IS NULL OR id = 'null'::jsonb THEN dllb.record(tb, dllb.random_key())
		WHEN jsonb_typeof(id) = 'string' AND starts_with(id #>> '{}', tb || ':')
		THEN (id #>> '{}')::dllb.record
		ELSE dllb.record(tb, id) END
$$;
COMMENT ON FUNCTION dllb.surql_record_id(text, jsonb) IS 'the id of a new record of table tb: the content''s id (a key, or a record of tb), or a random key';

-- the record ids a RELATE end stands for: a record id, a record (its id),
-- or an array of them; anything else is a type mismatch
CREATE FUNCTION dllb.surql_records(v jsonb, what text) RETURNS SETOF dllb.record
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
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
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE jsonb_typeof(v) WHEN 'boolean' THEN v = 'true'::jsonb
		WHEN 'number' THEN v <> '0'::jsonb WHEN 'string' THEN v <> '""'::jsonb
		WHEN 'array' THEN v <> '[]'::jsonb WHEN 'object' THEN v <> '{}'::jsonb
		ELSE false END
$$;
COMMENT ON FUNCTION dllb.surql_truthy(jsonb) IS 'the dialect''s truth of a value: NONE, NULL, false, 0, empty strings, arrays and objects are false';

-- count(v) outside GROUP: an array's length, else 1 for a true value, 0 for a false one
CREATE FUNCTION dllb.surql_count(v jsonb) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN jsonb_typeof(v) = 'array' THEN jsonb_array_length(v)
		WHEN dllb.surql_truthy(v) THEN 1 ELSE 0 END
$$;
COMMENT ON FUNCTION dllb.surql_count(jsonb) IS 'the dialect''s count(v): the length of an array, else 1 for a true value and 0 for a false one';
CREATE FUNCTION dllb.surql_recursion_guard(depth int4) RETURNS boolean
	AS 'MODULE_PATHNAME', 'dllb_surql_recursion_guard' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION dllb.surql_recursion_guard(int4) IS 'true, until the graph recursion it is called in has made more records than work_mem holds: then an error (54000)';
-- a recursion without a maximum depth that went levels deep without ending
CREATE FUNCTION dllb.surql_recursion_limit(levels int4) RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'graph recursion went % levels deep without ending', levels
		USING ERRCODE = 'program_limit_exceeded',
		HINT = 'Give the recursion a maximum depth, as in .{..10}, or use +collect, which visits each record once.';
END $$;
COMMENT ON FUNCTION dllb.surql_recursion_limit(int4) IS 'an error (54000): a graph recursion without a maximum depth went that many levels deep without ending';
CREATE FUNCTION dllb.surql_patch(doc jsonb, keys text[], VARIADIC vals jsonb[]) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_surql_patch' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dllb.surql_patch(jsonb, text[], jsonb[]) IS 'the dialect''s SET: doc with those fields set, or removed where the value is NONE';

-- SET f += v / f -= v: an array gains v (each element of an array v) or
-- loses every element equal to it; otherwise + and -, NONE counting as v
CREATE FUNCTION dllb.surql_compound(op text, cur jsonb, v jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
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

-- THROW v: an error (P0001) whose message is v (a string as itself)
CREATE FUNCTION dllb.surql_throw(v jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'An error occurred: %', coalesce(v #>> '{}', 'NONE') USING ERRCODE = 'raise_exception';
END $$;
COMMENT ON FUNCTION dllb.surql_throw(jsonb) IS 'the dialect''s THROW: an error whose message is the value';

-- <type> v: v converted to the type (NONE stays NONE), or an error
CREATE FUNCTION dllb.surql_cast(type text, v jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t text := lower(btrim(type));
	k text := jsonb_typeof(v);
	n numeric;
	r text;
BEGIN
	IF v IS NULL THEN
		-- <string> NONE is the text 'NONE' (as <string> NULL is 'NULL')
		RETURN CASE WHEN t = 'string' THEN '"NONE"'::jsonb END;
	END IF;
	IF t LIKE 'option<%>' THEN
		RETURN dllb.surql_cast(substr(t, 8, length(t) - 8), v);
	END IF;
	IF position('|' IN t) > 0 AND t NOT LIKE 'record<%' AND t NOT LIKE 'table<%' THEN
		-- a union: the first of its types the value converts to
		FOR r IN SELECT btrim(x) FROM unnest(string_to_array(t, '|')) AS u(x) LOOP
			BEGIN
				RETURN dllb.surql_cast(r, v);
			EXCEPTION WHEN invalid_text_representation THEN
				NULL;
			END;
		END LOOP;
		RAISE EXCEPTION 'cannot cast % to <%>', v, type USING ERRCODE = 'invalid_text_representation';
	END IF;
	BEGIN
		CASE
		WHEN t = 'any' THEN
			RETURN v;
		WHEN t IN ('int', 'float', 'decimal', 'number') THEN
			IF k = 'number' THEN
				n := v::numeric;
			ELSIF k = 'string' THEN
				n := (v #>> '{}')::numeric;
			ELSE
				RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation';
			END IF;
			IF t = 'int' THEN
				RETURN to_jsonb(trunc(n)::int8);
			ELSIF t = 'float' THEN
				r := n::float8::text;
				RETURN (CASE WHEN r ~ '^-?[0-9]+$' THEN r || '.0' ELSE r END)::jsonb;
			END IF;
			RETURN to_jsonb(n);
		WHEN t = 'string' THEN
			RETURN to_jsonb(CASE WHEN k = 'string' THEN v #>> '{}' WHEN k = 'null' THEN 'NULL' ELSE v::text END);
		WHEN t = 'bool' THEN
			IF k = 'boolean' THEN
				RETURN v;
			ELSIF k = 'string' AND lower(v #>> '{}') IN ('true', 'false') THEN
				RETURN to_jsonb(lower(v #>> '{}') = 'true');
			END IF;
		WHEN t = 'array' OR t LIKE 'array<%' THEN
			IF k = 'array' THEN
				RETURN v;
			END IF;
		WHEN t = 'object' THEN
			IF k = 'object' THEN
				RETURN v;
			END IF;
		WHEN t IN ('point', 'geometry<point>', 'geometry') THEN
			-- a point is the GeoJSON object SurrealQL takes for one
			IF k = 'array' AND jsonb_array_length(v) = 2 AND jsonb_typeof(v -> 0) = 'number'
					AND jsonb_typeof(v -> 1) = 'number' THEN
				RETURN jsonb_build_object('type', 'Point', 'coordinates', v);
			ELSIF k = 'object' AND v ->> 'type' = 'Point' THEN
				RETURN v;
			ELSIF k = 'object' AND t = 'geometry' AND v ->> 'type' IN ('LineString', 'Polygon',
					'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection') THEN
				RETURN v;
			END IF;
		WHEN t = 'table' OR t LIKE 'table<%>' THEN
			-- a table is the string of its name (as type::table gives it)
			IF k = 'string' AND (t = 'table' OR (v #>> '{}') = ANY (string_to_array(
					replace(substr(t, 7, length(t) - 7), ' ', ''), '|'))) THEN
				RETURN v;
			END IF;
		WHEN t = 'regex' THEN
			-- a regex is the string of its text, /pattern/ (checked to compile)
			IF k = 'string' THEN
				PERFORM '' ~ (v #>> '{}');
				RETURN to_jsonb('/' || replace(v #>> '{}', '/', '\/') || '/');
			END IF;
		WHEN t = 'datetime' THEN
			IF k = 'string' THEN
				RETURN dllb.surql_datetime((v #>> '{}')::timestamptz);
			END IF;
		WHEN t = 'record' OR t LIKE 'record<%>' THEN
			IF k = 'string' THEN
				r := ((v #>> '{}')::dllb.record)::text;
				IF t = 'record' OR split_part(r, ':', 1) = ANY (string_to_array(
						replace(substr(t, 8, length(t) - 8), ' ', ''), '|')) THEN
					RETURN to_jsonb(r);
				END IF;
			END IF;
		ELSE
			RAISE EXCEPTION 'unknown type <%> in a cast', type USING ERRCODE = 'undefined_object';
		END CASE;
	EXCEPTION
		WHEN invalid_text_representation OR numeric_value_out_of_range OR datetime_field_overflow
			OR invalid_datetime_format OR data_exception THEN
			NULL;
	END;
	RAISE EXCEPTION 'cannot cast % to <%>', v, type USING ERRCODE = 'invalid_text_representation';
END $$;
COMMENT ON FUNCTION dllb.surql_cast(text, jsonb) IS 'the dialect''s <type> v: v converted to int, float, decimal, number, string, bool, array, object, datetime, record or record<t> (NONE stays NONE), else an error';

-- the value at path in v, a record id on the way standing for its record
-- (read from schema nsp), an array on the way for the value in each of
-- its elements, a key * for the whole value; NULL (NONE) where there is none
CREATE FUNCTION dllb.surql_walk(v jsonb, path text[], nsp text) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	res jsonb;
BEGIN
	IF cardinality(path) IS NULL OR cardinality(path) = 0 OR v IS NULL THEN
		RETURN v;
	END IF;
	IF jsonb_typeof(v) = 'array' THEN
		SELECT coalesce(jsonb_agg(coalesce(dllb.surql_walk(e, path, nsp), 'null'::jsonb) ORDER BY o), '[]'::jsonb)
		INTO res FROM jsonb_array_elements(v) WITH ORDINALITY AS x(e, o);
		RETURN res;
	END IF;
	IF jsonb_typeof(v) = 'string' THEN
		v := dllb.fetch_value(v, nsp);
	END IF;
	IF path[1] = '*' THEN
		RETURN dllb.surql_walk(v, path[2:], nsp);	-- every field: the record itself
	END IF;
	IF jsonb_typeof(v) IS DISTINCT FROM 'object' THEN
		RETURN NULL;
	END IF;
	RETURN dllb.surql_walk(v -> path[1], path[2:], nsp);
END $$;
COMMENT ON FUNCTION dllb.surql_walk(jsonb, text[], text) IS 'the dialect''s v.f.g: the value at a path, through record links and arrays';

-- v.{f, h: g.x}: each name of keys with the value at its path of paths (a
-- jsonb array of arrays of keys; f's is [f]) in v (of each element of an
-- array; a record id stands for its record, read from schema nsp)
CREATE FUNCTION dllb.surql_pick(v jsonb, keys text[], paths jsonb, nsp text) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	res jsonb := '{}';
	cur jsonb;
	i int;
BEGIN
	IF jsonb_typeof(v) = 'array' THEN
		SELECT coalesce(jsonb_agg(dllb.surql_pick(e, keys, paths, nsp) ORDER BY o), '[]'::jsonb) INTO res
		FROM jsonb_array_elements(v) WITH ORDINALITY AS x(e, o);
		RETURN res;
	END IF;
	IF jsonb_typeof(v) = 'string' THEN
		v := dllb.fetch_value(v, nsp);
	END IF;
	IF jsonb_typeof(v) IS DISTINCT FROM 'object' THEN
		RETURN NULL;
	END IF;
	FOR i IN 1 .. coalesce(cardinality(keys), 0) LOOP
		cur := dllb.surql_walk(v, ARRAY(SELECT jsonb_array_elements_text(paths -> (i - 1))), nsp);
		IF cur IS NOT NULL THEN
			res := res || jsonb_build_object(keys[i], cur);
		END IF;
	END LOOP;
	RETURN res;
END $$;
COMMENT ON FUNCTION dllb.surql_pick(jsonb, text[], jsonb, text) IS 'the dialect''s v.{f, g, h: g.x}: an object of each name with the value at its path (each element of an array; record ids on the way read their records)';

-- start.{..max}.{f, g: path.@}: the fields of record rec (a record id) as
-- an object, keys[i] read by specs[i]: null (the field), {"path": [...]}
-- (a field path, through record links) or {"rel", "near", "far", "node"}
-- (the far ends of the edges of table rel whose near end is rec, in id
-- order, those in table node unless it is ?); with "recurse", each record
-- the path gives becomes the same object, one level deeper, while depth <
-- max_depth (NULL: no bound, but 256 levels is an error)
CREATE FUNCTION dllb.surql_recurse_destructure(rec jsonb, depth int, max_depth int, keys text[],
											   specs jsonb, nsp text) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	doc jsonb := dllb.fetch_value(rec, nsp);
	res jsonb := '{}';
	sp jsonb;
	v jsonb;
	i int;
BEGIN
	IF jsonb_typeof(doc) IS DISTINCT FROM 'object' THEN
		RETURN NULL;
	END IF;
	IF max_depth IS NULL AND depth >= 256 THEN
		PERFORM dllb.surql_recursion_limit(256);
	END IF;
	FOR i IN 1 .. coalesce(cardinality(keys), 0) LOOP
		sp := specs -> (i - 1);
		IF sp IS NULL OR sp = 'null'::jsonb THEN
			v := doc -> keys[i];
		ELSIF sp ? 'path' THEN
			v := dllb.surql_walk(doc, ARRAY(SELECT jsonb_array_elements_text(sp -> 'path')), nsp);
		ELSIF sp ->> 'rel' = '' THEN
			v := '[]';
		ELSE
			EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(e.%I::text) ORDER BY e.id), ''[]'') FROM %s e '
						   'WHERE e.%I OPERATOR(pg_catalog.=) ($1 #>> ''{}'')::dllb.record '
						   'AND ($2 = ''?'' OR dllb.record_in_table(e.%I, $2))',
						   sp ->> 'far', sp ->> 'rel', sp ->> 'near', sp ->> 'far')
				INTO v USING rec, sp ->> 'node';
		END IF;
		IF v IS NOT NULL AND (sp ->> 'recurse')::boolean AND (max_depth IS NULL OR depth < max_depth) THEN
			IF jsonb_typeof(v) = 'array' THEN
				SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(e) = 'string'
											   THEN coalesce(dllb.surql_recurse_destructure(e, depth + 1, max_depth, keys, specs, nsp), e)
											   ELSE e END ORDER BY o), '[]'::jsonb)
				INTO v FROM jsonb_array_elements(v) WITH ORDINALITY AS x(e, o);
			ELSIF jsonb_typeof(v) = 'string' THEN
				v := coalesce(dllb.surql_recurse_destructure(v, depth + 1, max_depth, keys, specs, nsp), v);
			END IF;
		END IF;
		IF v IS NOT NULL THEN
			res := res || jsonb_build_object(keys[i], v);
		END IF;
	END LOOP;
	RETURN res;
END $$;
COMMENT ON FUNCTION dllb.surql_recurse_destructure(jsonb, int, int, text[], jsonb, text) IS 'the dialect''s start.{..n}.{f, g: path.@}: a record''s fields, recursing at each .@';

-- start.{min..max}.f.g: repeat the path f.g from start (through record
-- links), as SurrealDB does without an option: each time the path's value
-- of the value before (an array: flattened, without its NONE elements),
-- until max times (NULL: no bound, but 256 is an error), or a dead end
-- (NONE, null, an empty array) or the same value again: then the value
-- before it when more than min steps were taken, else NONE ([] for an
-- array)
CREATE FUNCTION dllb.surql_recurse_walk(start jsonb, path text[], min_depth int, max_depth int, nsp text)
RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cur jsonb := start;
	v jsonb;
	i int := 0;
BEGIN
	LOOP
		i := i + 1;
		v := dllb.surql_walk(cur, path, nsp);
		IF jsonb_typeof(v) = 'array' THEN
			-- the dead ends out, one level of arrays flattened
			SELECT coalesce(jsonb_agg(f ORDER BY o, p), '[]'::jsonb) INTO v
			FROM jsonb_array_elements(v) WITH ORDINALITY AS x(e, o)
			CROSS JOIN LATERAL (SELECT e AS f, 1 AS p WHERE jsonb_typeof(e) IS DISTINCT FROM 'array'
								UNION ALL
								SELECT y.f, y.p FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e) = 'array' THEN e ELSE '[]' END)
									WITH ORDINALITY AS y(f, p)) AS z
			WHERE f IS NOT NULL AND f <> 'null'::jsonb;
		END IF;
		IF v IS NULL OR v = 'null'::jsonb OR v = '[]'::jsonb OR v = cur THEN
			IF i > min_depth THEN
				RETURN cur;
			END IF;
			-- (a null link reads as NONE: an option<record> field keeps NONE as null)
			RETURN CASE WHEN jsonb_typeof(v) = 'array' THEN '[]'::jsonb END;
		END IF;
		cur := v;
		IF max_depth IS NOT NULL AND i >= max_depth THEN
			RETURN cur;
		END IF;
		IF max_depth IS NULL AND i >= 256 THEN
			PERFORM dllb.surql_recursion_limit(256);
		END IF;
	END LOOP;
END $$;
COMMENT ON FUNCTION dllb.surql_recurse_walk(jsonb, text[], int, int, text) IS 'the dialect''s start.{m..n}.f: a field path (record links) repeated, as SurrealDB repeats it';

-- a[i]: element i of an array (from the end when negative), field i of an
-- object; of a record id with an array or object key, of that key
CREATE FUNCTION dllb.surql_index(a jsonb, i jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN jsonb_typeof(a) = 'array' AND jsonb_typeof(i) = 'number'
		THEN a -> (i::numeric)::int
		WHEN jsonb_typeof(a) = 'object' AND jsonb_typeof(i) = 'string' THEN a -> (i #>> '{}')
		WHEN jsonb_typeof(a) = 'string' AND jsonb_typeof(i) = 'number'
			AND (a #>> '{}') ~ '^[A-Za-z_][A-Za-z0-9_]*:\[.*\]$'
		THEN dllb.key((a #>> '{}')::dllb.record) -> (i::numeric)::int
		WHEN jsonb_typeof(a) = 'string' AND jsonb_typeof(i) = 'string'
			AND (a #>> '{}') ~ '^[A-Za-z_][A-Za-z0-9_]*:\{.*\}$'
		THEN dllb.key((a #>> '{}')::dllb.record) -> (i #>> '{}')
		END
$$;
COMMENT ON FUNCTION dllb.surql_index(jsonb, jsonb) IS 'the dialect''s a[i]: an element of an array (negative: from the end), a field of an object, or of the array or object key of a record id; NONE otherwise';

-- ORDER BY e COLLATE / NUMERIC: the key a string sorts by (NULL for
-- other values; ties go by the string's bytes).  COLLATE: lower case with
-- the accents and ligatures of the Latin scripts folded (a and à alike, æ
-- as ae, ß as ss), as SurrealQL folds them; text in other scripts is
-- refused (0A000), since SurrealQL orders it by a transliteration dllb
-- does not have.  NUMERIC: runs of digits compare by value.
CREATE FUNCTION dllb.surql_order_key(v jsonb, fold boolean, by_number boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t text;
BEGIN
	IF jsonb_typeof(v) IS DISTINCT FROM 'string' THEN
		RETURN NULL;
	END IF;
	t := v #>> '{}';
	IF fold THEN
		IF t ~ '[^\x01-\u024f\u1e00-\u1eff\u2000-\u206f]' THEN
			RAISE EXCEPTION 'ORDER BY ... COLLATE of text outside the Latin scripts is not supported by dllb.query yet'
				USING ERRCODE = 'feature_not_supported';
		END IF;
		t := lower(t);
		t := replace(replace(replace(replace(replace(replace(t, 'æ', 'ae'), 'œ', 'oe'), 'ß', 'ss'),
									 'þ', 'th'), 'ĳ', 'ij'), 'ŉ', 'n');
		t := translate(t,
			'àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĸĺļľŀłñńņňŋòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżžſ',
			'aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijkklllllnnnnnooooooooorrrsssstttuuuuuuuuuuwyyyzzzs');
	END IF;
	IF by_number THEN
		SELECT string_agg(CASE WHEN m[1] ~ '^[0-9]+$' THEN lpad(ltrim(m[1], '0'), 40, '0') ELSE m[1] END, '' ORDER BY n)
		INTO t FROM regexp_matches(t, '([0-9]+|[^0-9]+)', 'g') WITH ORDINALITY AS x(m, n);
	END IF;
	RETURN coalesce(t, '');
END $$;
COMMENT ON FUNCTION dllb.surql_order_key(jsonb, boolean, boolean) IS 'the key of a string under ORDER BY ... COLLATE (Latin accents and case folded) and NUMERIC (digit runs by value); NULL for other values';
