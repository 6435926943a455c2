-- src/surql/40_udf.sql: DEFINE FUNCTION and DEFINE PARAM (src/surql/query.c
-- runs the functions and reads the params).
--
-- A definition belongs to a schema (the dialect's database: the caller's
-- current schema) and lives in dllb.db_definitions.  Every role that may
-- use the schema reads its definitions; only a member of the schema's
-- owner writes them (row-level security), so another role that may merely
-- create objects in the schema cannot plant a function or a param that the
-- schema's users would then run.  A function body runs with the rights of
-- whoever calls it.  Rows are written in the caller's transaction, so a
-- definition made in a block that is cancelled is gone with it.

CREATE TABLE dllb.db_definitions (
	nsp regnamespace NOT NULL,
	kind text NOT NULL CHECK (kind IN ('function', 'param')),
	name text NOT NULL,
	definition text NOT NULL,
	source text,
	value jsonb,
	owner regrole NOT NULL DEFAULT pg_catalog.to_regrole(pg_catalog.quote_ident(current_user)),
	PRIMARY KEY (nsp, kind, name)
);
COMMENT ON TABLE dllb.db_definitions IS 'DEFINE FUNCTION and DEFINE PARAM of each schema: the definition as INFO FOR DB shows it, a function''s canonical text (source), a param''s value (NULL: NONE)';
COMMENT ON COLUMN dllb.db_definitions.owner IS 'the role that wrote the definition';
SELECT pg_catalog.pg_extension_config_dump('dllb.db_definitions', '');
REVOKE ALL ON dllb.db_definitions FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON dllb.db_definitions TO PUBLIC;
ALTER TABLE dllb.db_definitions ENABLE ROW LEVEL SECURITY;
CREATE POLICY db_definitions_read ON dllb.db_definitions FOR SELECT
	USING (pg_catalog.has_schema_privilege(nsp::oid, 'USAGE'));
CREATE POLICY db_definitions_write ON dllb.db_definitions FOR ALL
	USING (pg_catalog.pg_has_role((SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.oid = nsp::oid), 'USAGE'))
	WITH CHECK (pg_catalog.pg_has_role((SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.oid = nsp::oid), 'USAGE')
				AND owner::oid OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user));

-- the namespace of the dialect's current schema
CREATE FUNCTION dllb.db_definitions_schema() RETURNS regnamespace
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s text := dllb.dialect_schema();
BEGIN
	IF s IS NULL THEN
		RAISE EXCEPTION 'no schema has been selected to keep the definition in'
			USING ERRCODE = 'invalid_schema_name';
	END IF;
	RETURN to_regnamespace(quote_ident(s));
END $$;
COMMENT ON FUNCTION dllb.db_definitions_schema() IS 'the schema whose DEFINE FUNCTION and DEFINE PARAM definitions the dialect reads and writes (dllb.dialect_schema())';

-- DEFINE FUNCTION / DEFINE PARAM: mode is '' (an error when it exists),
-- 'if not exists' or 'overwrite'; shown as fn::name or $name in errors
CREATE FUNCTION dllb.db_define(kind text, name text, definition text, source text, value jsonb,
							   mode text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	ns regnamespace := dllb.db_definitions_schema();
	shown text := CASE kind WHEN 'function' THEN 'fn::' || name ELSE '$' || name END;
BEGIN
	IF NOT pg_has_role((SELECT n.nspowner FROM pg_namespace n WHERE n.oid = ns), 'USAGE') THEN
		RAISE EXCEPTION 'only the owner of schema % may define a % there', ns, kind
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	PERFORM dllb.lock_name(kind, ns::text, name);
	IF EXISTS (SELECT 1 FROM dllb.db_definitions d
			   WHERE d.nsp = ns AND d.kind = db_define.kind AND d.name = db_define.name) THEN
		IF mode = 'if not exists' THEN
			RETURN;
		ELSIF mode IS DISTINCT FROM 'overwrite' THEN
			RAISE EXCEPTION 'The % ''%'' already exists', kind, shown
				USING ERRCODE = CASE kind WHEN 'function' THEN 'duplicate_function' ELSE 'duplicate_object' END;
		END IF;
		DELETE FROM dllb.db_definitions d
		WHERE d.nsp = ns AND d.kind = db_define.kind AND d.name = db_define.name;
	END IF;
	INSERT INTO dllb.db_definitions AS d (nsp, kind, name, definition, source, value)
	VALUES (ns, db_define.kind, db_define.name, db_define.definition, db_define.source, db_define.value);
END $$;
COMMENT ON FUNCTION dllb.db_define(text, text, text, text, jsonb, text) IS 'DEFINE FUNCTION or DEFINE PARAM in the dialect''s current schema (mode: '''', ''if not exists'' or ''overwrite'')';

-- REMOVE FUNCTION / REMOVE PARAM [IF EXISTS]
CREATE FUNCTION dllb.db_remove(kind text, name text, if_exists boolean) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	ns regnamespace := dllb.db_definitions_schema();
BEGIN
	DELETE FROM dllb.db_definitions d
	WHERE d.nsp = ns AND d.kind = db_remove.kind AND d.name = db_remove.name;
	IF NOT FOUND AND NOT if_exists THEN
		RAISE EXCEPTION 'The % ''%'' does not exist', kind,
			CASE kind WHEN 'function' THEN 'fn::' || name ELSE '$' || name END
			USING ERRCODE = CASE kind WHEN 'function' THEN 'undefined_function' ELSE 'undefined_object' END;
	END IF;
END $$;
COMMENT ON FUNCTION dllb.db_remove(text, text, boolean) IS 'REMOVE FUNCTION or REMOVE PARAM in the dialect''s current schema';

-- the definitions of a kind as INFO FOR DB lists them (name: definition)
CREATE FUNCTION dllb.db_info(kind text) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_object_agg(d.name, d.definition ORDER BY d.name), '{}'::jsonb)
	FROM dllb.db_definitions d
	WHERE d.nsp = to_regnamespace(quote_ident(dllb.dialect_schema())) AND d.kind = db_info.kind
$$;
COMMENT ON FUNCTION dllb.db_info(text) IS 'INFO FOR DB: the functions or params of the dialect''s current schema and their definitions';

-- a function argument given to a DEFINE FUNCTION function, checked
-- against the type of its argument (NULL v: NONE)
CREATE FUNCTION dllb.surql_fn_arg(fn text, arg text, type text, v jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF dllb.surql_fn_type_ok(lower(btrim(type)), v) THEN
		RETURN v;
	END IF;
	RAISE EXCEPTION 'Incorrect arguments for function fn::%(). Failed to coerce argument `$%`: Expected `%` but found `%`',
		fn, arg, type,
		CASE WHEN v IS NULL THEN 'NONE' WHEN jsonb_typeof(v) = 'null' THEN 'NULL'
			 WHEN jsonb_typeof(v) = 'string' THEN quote_literal(v #>> '{}') ELSE v::text END
		USING ERRCODE = 'datatype_mismatch';
END $$;
COMMENT ON FUNCTION dllb.surql_fn_arg(text, text, text, jsonb) IS 'an argument of a DEFINE FUNCTION function: itself when it is of the argument''s type, else an error';

-- the value of a DEFINE FUNCTION function, checked against its -> type
CREATE FUNCTION dllb.surql_fn_return(fn text, type text, v jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF dllb.surql_fn_type_ok(lower(btrim(type)), v) THEN
		RETURN v;
	END IF;
	RAISE EXCEPTION 'Couldn''t coerce return value from function `fn::%`: Expected `%` but found `%`',
		fn, type,
		CASE WHEN v IS NULL THEN 'NONE' WHEN jsonb_typeof(v) = 'null' THEN 'NULL'
			 WHEN jsonb_typeof(v) = 'string' THEN quote_literal(v #>> '{}') ELSE v::text END
		USING ERRCODE = 'datatype_mismatch';
END $$;
COMMENT ON FUNCTION dllb.surql_fn_return(text, text, jsonb) IS 'the value of a DEFINE FUNCTION function: itself when it is of the function''s return type, else an error';

-- whether v (NULL: NONE) is of type t (lower case, as written)
CREATE FUNCTION dllb.surql_fn_type_ok(t text, v jsonb) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k text := jsonb_typeof(v);
	part text;
	depth int := 0;
	start int := 1;
	i int;
BEGIN
	t := btrim(t);
	IF t = 'any' THEN
		RETURN true;
	END IF;
	-- a union a | b: one of its types (bars inside <...> belong to the part)
	FOR i IN 1 .. length(t) LOOP
		CASE substr(t, i, 1)
			WHEN '<' THEN depth := depth + 1;
			WHEN '>' THEN depth := depth - 1;
			WHEN '|' THEN
				IF depth = 0 THEN
					IF dllb.surql_fn_type_ok(substr(t, start, i - start), v) THEN
						RETURN true;
					END IF;
					start := i + 1;
				END IF;
			ELSE NULL;
		END CASE;
	END LOOP;
	IF start > 1 THEN
		RETURN dllb.surql_fn_type_ok(substr(t, start), v);
	END IF;
	IF t LIKE 'option<%>' THEN
		RETURN v IS NULL OR dllb.surql_fn_type_ok(substr(t, 8, length(t) - 8), v);
	END IF;
	IF v IS NULL THEN
		RETURN t = 'none';
	END IF;
	RETURN CASE
		WHEN t = 'null' THEN k = 'null'
		WHEN t = 'bool' THEN k = 'boolean'
		WHEN t = 'int' THEN k = 'number' AND v::text !~ '[.eE]'
		WHEN t IN ('float', 'decimal', 'number') THEN k = 'number'
		WHEN t IN ('string', 'uuid', 'datetime', 'duration') THEN k = 'string'
		WHEN t = 'regex' THEN k = 'string' AND (v #>> '{}') ~ '^/.*/$'
		WHEN t = 'object' THEN k = 'object'
		WHEN t IN ('array', 'set') OR t LIKE 'array<%' OR t LIKE 'set<%' THEN k = 'array'
		WHEN t = 'record' THEN k = 'string' AND (v #>> '{}') ~ '^[^:]+:.'
		WHEN t LIKE 'record<%>' THEN k = 'string' AND split_part(v #>> '{}', ':', 1) = ANY (
			string_to_array(replace(substr(t, 8, length(t) - 8), ' ', ''), '|'))
		ELSE true
	END;
END $$;
COMMENT ON FUNCTION dllb.surql_fn_type_ok(text, jsonb) IS 'whether a value (NULL: NONE) is of a DEFINE FUNCTION argument''s type; types dllb does not tell apart pass';

CREATE FUNCTION dllb.surql_fn(name text, args jsonb[]) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_surql_fn' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION dllb.surql_fn(text, jsonb[]) IS 'a call fn::name(args) of a DEFINE FUNCTION function of the dialect''s current schema: its body run as the caller, its value (NULL: NONE)';

-- a dropped schema takes its definitions with it
CREATE FUNCTION dllb.db_definitions_forget_dropped() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	DELETE FROM dllb.db_definitions d
	USING pg_event_trigger_dropped_objects() x
	WHERE x.classid = 'pg_namespace'::regclass AND x.objid = d.nsp::oid;
END $$;
REVOKE ALL ON FUNCTION dllb.db_definitions_forget_dropped() FROM PUBLIC;
CREATE EVENT TRIGGER dllb_db_definitions_forget_dropped ON sql_drop
	EXECUTE FUNCTION dllb.db_definitions_forget_dropped();
