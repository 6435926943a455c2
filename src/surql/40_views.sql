-- src/surql/40_views.sql: DEFINE TABLE ... AS SELECT (views).
--
-- A view is a PostgreSQL view in the dialect's schema whose comment,
-- "dllb view: <SELECT>", keeps the SurrealQL SELECT it was defined with.
-- dllb.query reads it by translating that SELECT each time a statement
-- reads the view (translate_select.c), so its rows are always those of
-- its source now; the PostgreSQL view returns the same rows to plain SQL
-- (through dllb.query, naming the view in the caller's current schema).

-- the SELECT of view name in schema, or NULL when it is not a dllb view
CREATE FUNCTION dllb.view_text(schema text, name text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT substr(d.description, 12)
	FROM pg_class c
	JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass
		AND d.objsubid = 0
	WHERE c.oid = to_regclass(format('%I.%I', schema, name)) AND c.relkind = 'v'
	  AND d.description LIKE 'dllb view: %'
$$;
COMMENT ON FUNCTION dllb.view_text(text, text) IS 'the SurrealQL SELECT of a view that DEFINE TABLE ... AS SELECT made, or NULL';

-- DEFINE TABLE name AS surql: a view; an existing view with another
-- SELECT is replaced only when overwrite is true (an error otherwise),
-- and a table of that name is an error
CREATE FUNCTION dllb.define_view(schema text, name text, surql text, overwrite boolean,
								 if_not_exists boolean) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	old text;
BEGIN
	PERFORM dllb.check_table_name(name);
	PERFORM dllb.lock_name('table', schema, name);
	old := dllb.view_text(schema, name);
	IF old IS NULL AND to_regclass(format('%I.%I', schema, name)) IS NOT NULL THEN
		RAISE EXCEPTION 'table "%" already exists and is not a view', name
			USING ERRCODE = 'duplicate_table';
	END IF;
	IF old IS NOT NULL AND (old = surql OR if_not_exists) THEN
		RETURN;
	END IF;
	IF old IS NOT NULL AND NOT overwrite THEN
		RAISE EXCEPTION 'view "%" already exists with another SELECT', name
			USING ERRCODE = 'duplicate_table',
			      HINT = 'DEFINE TABLE OVERWRITE replaces it.';
	END IF;
	EXECUTE format('CREATE OR REPLACE VIEW %I.%I AS SELECT q.result FROM dllb.query(%L) AS q',
				   schema, name, 'SELECT * FROM ' || quote_ident(name));
	EXECUTE format('COMMENT ON VIEW %I.%I IS %L', schema, name, 'dllb view: ' || surql);
END $$;
COMMENT ON FUNCTION dllb.define_view(text, text, text, boolean, boolean) IS 'DEFINE TABLE ... AS SELECT: a view whose comment keeps its SurrealQL SELECT';

-- a SurrealQL literal of a value (strings quoted, record ids bare)
CREATE FUNCTION dllb.surql_literal(v jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE jsonb_typeof(v)
		WHEN 'string' THEN
			CASE WHEN v #>> '{}' ~ '^[A-Za-z_][A-Za-z0-9_]*:([A-Za-z0-9_]+|⟨.*⟩|\[.*\])$'
				 THEN v #>> '{}'
				 ELSE '''' || replace(replace(v #>> '{}', '\', '\\'), '''', '\''') || '''' END
		WHEN 'array' THEN
			'[' || coalesce((SELECT string_agg(dllb.surql_literal(e), ', ' ORDER BY i)
							 FROM jsonb_array_elements(v) WITH ORDINALITY AS x(e, i)), '') || ']'
		WHEN 'object' THEN
			'{ ' || coalesce((SELECT string_agg(quote_ident(k) || ': ' || dllb.surql_literal(e), ', ' ORDER BY k)
							  FROM jsonb_each(v) AS x(k, e)), '') || ' }'
		WHEN 'null' THEN 'NULL'
		ELSE v::text END
$$;
COMMENT ON FUNCTION dllb.surql_literal(jsonb) IS 'a value as a SurrealQL literal (a string that reads as a record id stays bare)';

-- the id of a view's row: view:[keys] (an array key), or view:key for
-- the key of a source record id
CREATE FUNCTION dllb.surql_view_id(tb text, key jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT tb || ':' || CASE
		WHEN jsonb_typeof(key) = 'string' AND strpos(key #>> '{}', ':') > 0
			THEN substr(key #>> '{}', strpos(key #>> '{}', ':') + 1)
		ELSE dllb.surql_literal(key) END
$$;
COMMENT ON FUNCTION dllb.surql_view_id(text, jsonb) IS 'the record id of a view''s row: table:[group keys] or table:key of its source record';
