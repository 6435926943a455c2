-- src/surql/50_results.sql: what RETURN DIFF and FETCH make of results.

-- the JSON Patch (RFC 6902) from one document to another, over their
-- top-level fields: add, remove, or replace the whole field (a field that
-- is null is NONE: missing)
CREATE FUNCTION dllb.json_diff(before jsonb, after jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(
		CASE WHEN a.key IS NULL THEN jsonb_build_object('op', 'remove', 'path', p)
			 WHEN b.key IS NULL THEN jsonb_build_object('op', 'add', 'path', p, 'value', a.value)
			 ELSE jsonb_build_object('op', 'replace', 'path', p, 'value', a.value) END
		ORDER BY coalesce(a.key, b.key)), '[]'::jsonb)
	FROM (SELECT * FROM jsonb_each(coalesce(before, '{}'::jsonb)) WHERE value <> 'null'::jsonb) b
	FULL JOIN (SELECT * FROM jsonb_each(coalesce(after, '{}'::jsonb)) WHERE value <> 'null'::jsonb) a
		ON a.key = b.key
	CROSS JOIN LATERAL (SELECT '/' || replace(replace(coalesce(a.key, b.key), '~', '~0'), '/', '~1')) AS x(p)
	WHERE a.key IS NULL OR b.key IS NULL OR a.value <> b.value
$$;
COMMENT ON FUNCTION dllb.json_diff(jsonb, jsonb) IS 'RETURN DIFF: a JSON Patch from before to after, one operation per top-level field that changed';

-- the record a record id (a string table:key) points to, as the dialect
-- returns it; null when its table is not a dllb table of schema nsp (the
-- caller's current schema) or the record does not exist; any other value
-- unchanged
CREATE FUNCTION dllb.fetch_value(v jsonb, nsp text) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	rec dllb.record;
	rel regclass;
	cols text := '';
	a record;
	res jsonb;
BEGIN
	IF jsonb_typeof(v) = 'array' THEN
		SELECT coalesce(jsonb_agg(dllb.fetch_value(e, nsp) ORDER BY i), '[]'::jsonb) INTO res
		FROM jsonb_array_elements(v) WITH ORDINALITY AS x(e, i);
		RETURN res;
	END IF;
	IF jsonb_typeof(v) IS DISTINCT FROM 'string' OR position(':' IN v #>> '{}') = 0 THEN
		RETURN v;
	END IF;
	BEGIN
		rec := (v #>> '{}')::dllb.record;
	EXCEPTION WHEN OTHERS THEN
		RETURN v;
	END;
	SELECT t.tbl INTO rel FROM dllb.tables t
	WHERE t.tbl = to_regclass(format('%I.%I', nsp, dllb.tb(rec)));
	IF rel IS NULL THEN
		RETURN NULL;
	END IF;
	FOR a IN SELECT attname, atttypid FROM pg_attribute
		WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped AND attname NOT IN ('id', 'data')
		ORDER BY attnum
	LOOP
		cols := cols || format(', %L, to_jsonb(t.%I%s)', a.attname, a.attname,
							   CASE WHEN a.atttypid = 'dllb.vector'::regtype THEN '::real[]'
									WHEN a.attname IN ('in', 'out') THEN '::text' ELSE '' END);
	END LOOP;
	EXECUTE format('SELECT t.data || jsonb_build_object(''id'', t.id::text%s) FROM %s t WHERE t.id OPERATOR(pg_catalog.=) $1',
				   cols, rel)
		INTO res USING rec;
	RETURN res;
END $$;
COMMENT ON FUNCTION dllb.fetch_value(jsonb, text) IS 'FETCH: the record a record id points to (each one, for an array of them)';

-- FETCH f, ...: each path of paths (an array of arrays of keys) in doc
-- with its record ids replaced by their records (of tables in schema nsp)
CREATE FUNCTION dllb.fetch_fields(doc jsonb, paths jsonb, nsp text) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	p text[];
	v jsonb;
BEGIN
	IF jsonb_typeof(doc) IS DISTINCT FROM 'object' THEN
		RETURN doc;
	END IF;
	FOR p IN SELECT ARRAY(SELECT jsonb_array_elements_text(x)) FROM jsonb_array_elements(paths) AS y(x)
	LOOP
		doc := dllb.fetch_path(doc, p, nsp);
	END LOOP;
	RETURN doc;
END $$;
COMMENT ON FUNCTION dllb.fetch_fields(jsonb, jsonb, text) IS 'FETCH: the fields at paths of a result with their record ids replaced by the records';

-- FETCH a.b.c on v: every record id on the path (a, then a's b, then
-- c) replaced by its record, over each element of an array on the way
-- (FETCH author.company fetches the author and its company)
CREATE FUNCTION dllb.fetch_path(v jsonb, keys text[], nsp text) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	res jsonb;
BEGIN
	IF coalesce(cardinality(keys), 0) = 0 OR jsonb_typeof(v) = 'string' THEN
		v := coalesce(dllb.fetch_value(v, nsp), 'null'::jsonb);
	END IF;
	IF coalesce(cardinality(keys), 0) = 0 THEN
		RETURN v;
	END IF;
	IF jsonb_typeof(v) = 'array' THEN
		SELECT coalesce(jsonb_agg(dllb.fetch_path(e, keys, nsp) ORDER BY i), '[]'::jsonb) INTO res
		FROM jsonb_array_elements(v) WITH ORDINALITY AS x(e, i);
		RETURN res;
	END IF;
	IF jsonb_typeof(v) = 'object' AND v ? keys[1] AND v -> keys[1] <> 'null'::jsonb THEN
		RETURN v || jsonb_build_object(keys[1], dllb.fetch_path(v -> keys[1], keys[2:], nsp));
	END IF;
	RETURN v;
END $$;
COMMENT ON FUNCTION dllb.fetch_path(jsonb, text[], text) IS 'FETCH a.b: v with each record id on the path replaced by its record';

CREATE FUNCTION dllb.json_set_path(doc jsonb, path text[], value jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF coalesce(array_ndims(path), 0) <> 1 THEN
		RAISE EXCEPTION 'the path of dllb.json_set_path must be a non-empty one-dimensional array of keys'
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Give the keys from the outermost field in: ARRAY[''a'', ''b''].';
	END IF;
	IF jsonb_typeof(doc) IS DISTINCT FROM 'object' THEN
		doc := '{}';
	END IF;
	IF cardinality(path) = 1 THEN
		-- NONE (SQL NULL) removes the field, as SET a.b = NONE does
		RETURN CASE WHEN value IS NULL THEN doc - path[1]
			   ELSE doc || jsonb_build_object(path[1], value) END;
	END IF;
	RETURN doc || jsonb_build_object(path[1], dllb.json_set_path(doc -> path[1], path[2:], value));
END $$;
COMMENT ON FUNCTION dllb.json_set_path(jsonb, text[], jsonb) IS 'SET a.b.c = v: doc with the value at that path (removed when v is NONE, SQL NULL), objects made on the way (a field that is not an object becomes one)';

-- a field path through record links and arrays, as SurrealQL reads
-- a.b.c: a record id on the way stands for its record (of a table in
-- schema nsp), an array maps the rest of the path over its elements;
-- anything else ends it (NONE)
CREATE FUNCTION dllb.surql_follow(v jsonb, keys text[], nsp text) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r jsonb;
BEGIN
	FOR i IN 1 .. coalesce(array_length(keys, 1), 0) LOOP
		IF jsonb_typeof(v) = 'string' AND position(':' IN v #>> '{}') > 0 THEN
			v := dllb.fetch_value(v, nsp);
		END IF;
		IF keys[i] = '*' AND jsonb_typeof(v) IN ('array', 'object') THEN
			-- a.*.b: the rest of the path over each element (or value) of a
			SELECT coalesce(jsonb_agg(dllb.surql_follow(e, keys[i + 1:], nsp) ORDER BY n), '[]'::jsonb)
			INTO r FROM (SELECT e, n FROM jsonb_array_elements(CASE WHEN jsonb_typeof(v) = 'array'
							THEN v ELSE '[]'::jsonb END) WITH ORDINALITY AS x(e, n)
						 UNION ALL
						 SELECT e, n FROM jsonb_each(CASE WHEN jsonb_typeof(v) = 'object'
							THEN v ELSE '{}'::jsonb END) WITH ORDINALITY AS y(k, e, n)) AS z;
			RETURN r;
		ELSIF keys[i] = '*' THEN
			RETURN NULL;
		ELSIF jsonb_typeof(v) = 'object' THEN
			v := v -> keys[i];
		ELSIF jsonb_typeof(v) = 'array' THEN
			SELECT coalesce(jsonb_agg(dllb.surql_follow(e, keys[i:], nsp) ORDER BY n), '[]'::jsonb)
			INTO r FROM jsonb_array_elements(v) WITH ORDINALITY AS x(e, n);
			RETURN r;
		ELSE
			RETURN NULL;
		END IF;
	END LOOP;
	RETURN v;
END $$;
COMMENT ON FUNCTION dllb.surql_follow(jsonb, text[], text) IS 'a field path read through record links (a record id stands for its record) and arrays (the rest of the path over each element; a key * over each element or value)';

-- SELECT ... SPLIT f: doc once for each element of its field at path (in
-- order; none for an empty array), or doc itself when that is no array
CREATE FUNCTION dllb.surql_split(doc jsonb, path text[]) RETURNS SETOF jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT jsonb_set(doc, path, e.v)
	FROM jsonb_array_elements(CASE WHEN jsonb_typeof(doc #> path) = 'array'
		THEN doc #> path ELSE '[]'::jsonb END) WITH ORDINALITY AS e(v, n)
	UNION ALL
	SELECT doc WHERE jsonb_typeof(doc #> path) IS DISTINCT FROM 'array'
$$;
COMMENT ON FUNCTION dllb.surql_split(jsonb, text[]) IS 'the dialect''s SPLIT: a document once per element of an array field';
