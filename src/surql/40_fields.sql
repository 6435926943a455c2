-- src/surql/40_fields.sql: DEFINE FIELD ... DEFAULT / ASSERT and REMOVE FIELD.
--
-- A field's DEFAULT is a BEFORE INSERT trigger "<field> DEFAULT" that sets
-- the field when a new row lacks it (or holds null); its ASSERT is a CHECK
-- constraint "<field> ASSERT" over the row, so every write is checked,
-- plain SQL included.

CREATE FUNCTION dllb.field_default() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	f text := TG_ARGV[0];
	v jsonb;
	r jsonb := to_jsonb(NEW);
BEGIN
	IF f NOT IN ('id', 'data', 'in', 'out') AND r ? f THEN
		-- a typed column
		IF r -> f <> 'null'::jsonb THEN
			RETURN NEW;
		END IF;
	ELSIF coalesce(NEW.data -> f, 'null'::jsonb) <> 'null'::jsonb THEN
		RETURN NEW;
	END IF;
	IF TG_NARGS > 2 THEN
		-- a computed DEFAULT: the SQL the dialect made of it, run per row
		EXECUTE 'SELECT (' || TG_ARGV[2] || ')::jsonb' INTO v;
	ELSE
		v := TG_ARGV[1]::jsonb;
	END IF;
	IF f NOT IN ('id', 'data', 'in', 'out') AND r ? f THEN
		-- a typed column: a DEFAULT of another type is an error
		PERFORM dllb.surql_typed(v, format_type(a.atttypid, a.atttypmod), f)
		FROM pg_attribute a WHERE a.attrelid = TG_RELID AND a.attname = f;
		NEW := jsonb_populate_record(NEW, jsonb_build_object(f, v));
	ELSE
		NEW.data := coalesce(NEW.data, '{}'::jsonb) || jsonb_build_object(f, v);
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION dllb.field_default() IS 'trigger: set field TG_ARGV[0] of a new row, when it is missing or null, to TG_ARGV[1] (jsonb) or to the value of the SQL expression TG_ARGV[2]';

CREATE FUNCTION dllb.define_field_rules(tbl regclass, field text, type text,
										default_value jsonb, assert_check text,
										default_sql text DEFAULT NULL,
										value_sql text DEFAULT NULL,
										readonly boolean DEFAULT false,
										default_always boolean DEFAULT false,
										definition text DEFAULT NULL,
										computed text DEFAULT NULL,
										json_types text[] DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	dname text := field || ' DEFAULT';
	aname text := field || ' ASSERT';
	vname text := field || ' VALUE';
	rname text := field || ' READONLY';
	events text := CASE WHEN default_always THEN 'INSERT OR UPDATE' ELSE 'INSERT' END;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM dllb.tables t WHERE t.tbl = define_field_rules.tbl) THEN
		RAISE EXCEPTION 'table % is not a dllb table', tbl USING ERRCODE = 'wrong_object_type';
	END IF;
	-- one definition at a time: a second waits, then sees the first's work
	EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', tbl);
	IF octet_length(rname) >= 64 THEN
		RAISE EXCEPTION 'field name "%" is too long for a DEFAULT or ASSERT', field
			USING ERRCODE = 'name_too_long',
			      HINT = 'Field names with DEFAULT, VALUE, READONLY or ASSERT may have at most 54 bytes.';
	END IF;
	IF type IS NOT NULL THEN
		PERFORM dllb.define_field(tbl, field, type);
	END IF;
	-- a jsonb column of TYPE object, array, set, ...: the check "f TYPE"
	-- of its JSON type (a definition replaces it)
	IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = tbl AND conname = field || ' TYPE') THEN
		EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, field || ' TYPE');
	END IF;
	IF json_types IS NOT NULL AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = tbl
			AND attname = field AND atttypid = 'jsonb'::regtype AND attnum > 0 AND NOT attisdropped) THEN
		EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (dllb.surql_nested_ok(%I, ''{}''::text[], %L::text[]))',
					   tbl, field || ' TYPE', field, json_types);
	END IF;
	-- a definition replaces the field's earlier DEFAULT and ASSERT
	IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = dname) THEN
		EXECUTE format('DROP TRIGGER %I ON %s', dname, tbl);
	END IF;
	IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = tbl AND conname = aname) THEN
		EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, aname);
	END IF;
	IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = vname) THEN
		EXECUTE format('DROP TRIGGER %I ON %s', vname, tbl);
	END IF;
	IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = rname) THEN
		EXECUTE format('DROP TRIGGER %I ON %s', rname, tbl);
	END IF;
	IF default_sql IS NOT NULL THEN
		EXECUTE format('CREATE TRIGGER %I BEFORE %s ON %s FOR EACH ROW EXECUTE FUNCTION dllb.field_default(%L, %L, %L)',
					   dname, events, tbl, field, '', default_sql);
	ELSIF default_value IS NOT NULL AND default_value <> 'null'::jsonb THEN
		EXECUTE format('CREATE TRIGGER %I BEFORE %s ON %s FOR EACH ROW EXECUTE FUNCTION dllb.field_default(%L, %L)',
					   dname, events, tbl, field, default_value::text);
	END IF;
	-- (triggers fire in name order: a field's DEFAULT before its VALUE)
	IF value_sql IS NOT NULL THEN
		EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION dllb.field_value(%L, %L)',
					   vname, tbl, field, value_sql);
	END IF;
	IF readonly THEN
		EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION dllb.field_readonly(%L)',
					   rname, tbl, field);
	END IF;
	IF assert_check IS NOT NULL THEN
		EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%s)', tbl, aname, assert_check);
	END IF;
	-- what INFO FOR TABLE shows, and the expression of a COMPUTED field
	PERFORM dllb.set_definition(tbl, 'fields', field, definition);
	PERFORM dllb.set_definition(tbl, 'computed', field, computed);
END $$;
COMMENT ON FUNCTION dllb.define_field_rules(regclass, text, text, jsonb, text, text, text, boolean, boolean, text, text, text[]) IS 'DEFINE FIELD: the typed column (when type is given), the DEFAULT trigger (a value, or the SQL of a computed one; ALWAYS: on updates too), the VALUE and READONLY triggers, the ASSERT check constraint and the definition INFO FOR shows (and a COMPUTED expression), replacing earlier ones';

CREATE FUNCTION dllb.remove_field(tbl regclass, field text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	dname text := field || ' DEFAULT';
	aname text := field || ' ASSERT';
	typ regtype;
	found bool := false;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM dllb.tables t WHERE t.tbl = remove_field.tbl) THEN
		RAISE EXCEPTION 'table % is not a dllb table', tbl USING ERRCODE = 'wrong_object_type';
	END IF;
	IF field IN ('in', 'out') AND EXISTS (SELECT 1 FROM dllb.tables t
			WHERE t.tbl = remove_field.tbl AND t.kind = 'edge') THEN
		-- an edge's in or out: its definition and the check of its tables (every edge has both)
		PERFORM dllb.define_edge_end(tbl, field, NULL);
		PERFORM dllb.set_definition(tbl, 'fields', field, NULL);
		RETURN;
	END IF;
	IF field IN ('id', 'data', 'in', 'out') THEN
		RAISE EXCEPTION 'field "%" is reserved', field USING ERRCODE = 'reserved_name';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = tbl AND conname = field || ' TYPE') THEN
		-- a nested field's type
		EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, field || ' TYPE');
		found := true;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = dname) THEN
		EXECUTE format('DROP TRIGGER %I ON %s', dname, tbl);
		found := true;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = tbl AND conname = aname) THEN
		EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, aname);
		found := true;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = field || ' VALUE') THEN
		EXECUTE format('DROP TRIGGER %I ON %s', field || ' VALUE', tbl);
		found := true;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = field || ' READONLY') THEN
		EXECUTE format('DROP TRIGGER %I ON %s', field || ' READONLY', tbl);
		found := true;
	END IF;
	IF dllb.definitions(tbl) -> 'fields' ? field THEN
		found := true;
	END IF;
	SELECT atttypid::regtype INTO typ FROM pg_attribute
	WHERE attrelid = tbl AND attname = field AND attnum > 0 AND NOT attisdropped;
	IF typ IS NOT NULL THEN
		-- the values go back into data, as the field was before DEFINE FIELD ... TYPE
		EXECUTE format('UPDATE %s SET data = data || jsonb_build_object(%L, %s) WHERE %I IS NOT NULL',
					   tbl, field,
					   CASE WHEN typ = 'dllb.vector'::regtype THEN format('to_jsonb(%I::real[])', field)
							ELSE format('to_jsonb(%I)', field) END,
					   field);
		EXECUTE format('ALTER TABLE %s DROP COLUMN %I', tbl, field);
		found := true;
	END IF;
	IF NOT found THEN
		RAISE EXCEPTION 'field "%" is not defined on %', field, tbl USING ERRCODE = 'undefined_column';
	END IF;
	PERFORM dllb.set_definition(tbl, 'fields', field, NULL);
	PERFORM dllb.set_definition(tbl, 'computed', field, NULL);
END $$;
COMMENT ON FUNCTION dllb.remove_field(regclass, text) IS 'REMOVE FIELD: drop the field''s DEFAULT and ASSERT, and turn its typed column back into a jsonb field';

-- What DEFINE statements said about a table, kept in its comment
-- ("dllb definitions: {json}", src/surql/definitions.c): the text INFO FOR
-- shows, and the expressions of COMPUTED fields.
CREATE FUNCTION dllb.set_definition(tbl regclass, section text, name text, def text)
RETURNS void
	AS 'MODULE_PATHNAME', 'dllb_set_definition' LANGUAGE C VOLATILE
	SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dllb.set_definition(regclass, text, text, text) IS 'keep (def NULL: forget) a definition of a dialect table in its comment, as INFO FOR shows it';

CREATE FUNCTION dllb.definitions(tbl regclass) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN c LIKE 'dllb definitions: %' THEN substr(c, 19)::jsonb ELSE '{}'::jsonb END
	FROM (SELECT obj_description(tbl, 'pg_class') AS c) AS x
$$;
COMMENT ON FUNCTION dllb.definitions(regclass) IS 'the definitions DEFINE statements keep for a dialect table';

-- DEFINE FIELD ... VALUE e: a BEFORE INSERT OR UPDATE trigger "<field>
-- VALUE" sets the field to e (TG_ARGV[1], SQL over the new row as t) on
-- every write
CREATE FUNCTION dllb.field_value() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	f text := TG_ARGV[0];
	v jsonb;
BEGIN
	EXECUTE 'SELECT (' || TG_ARGV[1] || ')::jsonb FROM (SELECT ($1).*) AS t' INTO v USING NEW;
	IF f NOT IN ('id', 'data', 'in', 'out') AND to_jsonb(NEW) ? f THEN
		NEW := jsonb_populate_record(NEW, jsonb_build_object(f, v));
	ELSIF v IS NULL THEN
		NEW.data := NEW.data - f;
	ELSE
		NEW.data := coalesce(NEW.data, '{}'::jsonb) || jsonb_build_object(f, v);
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION dllb.field_value() IS 'trigger: set field TG_ARGV[0] of a written row to the value of the SQL expression TG_ARGV[1] over it';

-- DEFINE FIELD ... READONLY: "<field> READONLY" refuses an update that
-- changes the field
CREATE FUNCTION dllb.field_readonly() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	f text := TG_ARGV[0];
BEGIN
	IF (to_jsonb(OLD) -> f IS DISTINCT FROM to_jsonb(NEW) -> f) OR
	   (OLD.data -> f IS DISTINCT FROM NEW.data -> f) THEN
		RAISE EXCEPTION 'field "%" of record % is READONLY', f, NEW.id
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION dllb.field_readonly() IS 'trigger: refuse an update that changes the READONLY field TG_ARGV[0]';

-- a value written to a field of TYPE string, int, float, number, decimal
-- or bool (a typed column of that SQL type): itself when it is of that
-- type (or NONE), else an error, as SurrealQL does not convert it
CREATE FUNCTION dllb.surql_typed(v jsonb, sqltype text, field text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	want text := CASE WHEN sqltype = 'text' THEN 'string'
					  WHEN sqltype IN ('bigint', 'numeric', 'double precision') THEN 'number'
					  WHEN sqltype = 'boolean' THEN 'boolean' END;
BEGIN
	IF v IS NULL OR v = 'null'::jsonb OR want IS NULL OR jsonb_typeof(v) = want THEN
		RETURN v;
	END IF;
	RAISE EXCEPTION 'field "%" holds a % and cannot take %', field,
		CASE want WHEN 'string' THEN 'string' WHEN 'number' THEN 'number' ELSE 'bool' END, v
		USING ERRCODE = 'datatype_mismatch';
END $$;
COMMENT ON FUNCTION dllb.surql_typed(jsonb, text, text) IS 'the dialect''s typed fields: a value of the field''s type (string, number, bool) as it is, anything else an error';

-- DEFINE FIELD a.b ON t TYPE T (a nested field): whether every value at
-- path inside v (* for each element of an array or value of an object) is
-- NONE, null or of one of the JSON types (types NULL: any)
CREATE FUNCTION dllb.surql_nested_ok(v jsonb, path text[], types text[]) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	e jsonb;
BEGIN
	IF v IS NULL OR v = 'null'::jsonb OR types IS NULL THEN
		RETURN true;
	END IF;
	IF cardinality(path) = 0 THEN
		RETURN jsonb_typeof(v) = ANY (types);
	END IF;
	IF path[1] = '*' THEN
		IF jsonb_typeof(v) = 'array' THEN
			FOR e IN SELECT x FROM jsonb_array_elements(v) AS x LOOP
				IF NOT dllb.surql_nested_ok(e, path[2:], types) THEN
					RETURN false;
				END IF;
			END LOOP;
		ELSIF jsonb_typeof(v) = 'object' THEN
			FOR e IN SELECT x FROM jsonb_each(v) AS y(k, x) LOOP
				IF NOT dllb.surql_nested_ok(e, path[2:], types) THEN
					RETURN false;
				END IF;
			END LOOP;
		END IF;
		RETURN true;
	END IF;
	IF jsonb_typeof(v) <> 'object' THEN
		RETURN true;
	END IF;
	RETURN dllb.surql_nested_ok(v -> path[1], path[2:], types);
END $$;
COMMENT ON FUNCTION dllb.surql_nested_ok(jsonb, text[], text[]) IS 'the dialect''s nested field types: every value at the path (* for each element) NONE or of one of the JSON types';

-- DEFINE FIELD a.b ON t [TYPE T]: the check constraint "a.b TYPE" (when
-- types is not NULL) over the top-level field a (its typed column, or
-- data), and the definition INFO FOR TABLE shows
CREATE FUNCTION dllb.define_nested_field(tbl regclass, field text, path text[], types text[],
										 definition text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cname text := field || ' TYPE';
	base text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM dllb.tables t WHERE t.tbl = define_nested_field.tbl) THEN
		RAISE EXCEPTION 'table % is not a dllb table', tbl USING ERRCODE = 'wrong_object_type';
	END IF;
	EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', tbl);
	IF octet_length(cname) >= 64 THEN
		RAISE EXCEPTION 'field name "%" is too long for a nested field', field
			USING ERRCODE = 'name_too_long';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = tbl AND conname = cname) THEN
		EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, cname);
	END IF;
	IF types IS NOT NULL THEN
		IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = tbl AND attname = path[1]
				   AND attnum > 0 AND NOT attisdropped) THEN
			base := format('dllb.surql_nested_ok(to_jsonb(%I), %L::text[], %L::text[])',
						   path[1], path[2:], types);
		ELSE
			base := format('dllb.surql_nested_ok(data, %L::text[], %L::text[])', path, types);
		END IF;
		EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%s)', tbl, cname, base);
	END IF;
	PERFORM dllb.set_definition(tbl, 'fields', field, definition);
END $$;
COMMENT ON FUNCTION dllb.define_nested_field(regclass, text, text[], text[], text) IS 'DEFINE FIELD of a nested field (a.b, a.*, a[*].b): the check of its type and the definition INFO FOR shows';

-- DEFINE TABLE e TYPE RELATION IN a | b OUT c (or DEFINE FIELD in | out
-- ON e TYPE record<a | b>): the check constraint "in TYPE" ("out TYPE")
-- that the edge's end is a record of one of those tables; NULL tables:
-- any (the constraint dropped)
CREATE FUNCTION dllb.define_edge_end(tbl regclass, field text, tables text[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cname text := field || ' TYPE';
BEGIN
	IF field NOT IN ('in', 'out') OR NOT EXISTS (SELECT 1 FROM dllb.tables t
			WHERE t.tbl = define_edge_end.tbl AND t.kind = 'edge') THEN
		RAISE EXCEPTION '% is not an end of an edge table', field USING ERRCODE = 'wrong_object_type';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = tbl AND conname = cname) THEN
		EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, cname);
	END IF;
	IF tables IS NOT NULL THEN
		EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (dllb.tb(%I) = ANY (%L::text[]))',
					   tbl, cname, field, tables);
	END IF;
END $$;
COMMENT ON FUNCTION dllb.define_edge_end(regclass, text, text[]) IS 'TYPE RELATION IN a OUT b: the check that an edge''s in (or out) is a record of one of the tables';
