-- src/model/20_tables.sql: document and edge tables, the dllb.tables
-- catalog, define_field and relate.

-- Which relations are dialect tables, and of what kind.  pg_dump keeps its
-- rows (pg_extension_config_dump); an event trigger forgets dropped tables.
CREATE TABLE dllb.tables (
	tbl regclass PRIMARY KEY,
	kind text NOT NULL CHECK (kind IN ('document', 'edge')),
	schemafull bool NOT NULL DEFAULT false
);
COMMENT ON TABLE dllb.tables IS 'dialect tables: document or edge, schemafull or not';
SELECT pg_catalog.pg_extension_config_dump('dllb.tables', '');
GRANT SELECT ON dllb.tables TO PUBLIC;

CREATE FUNCTION dllb.tables_forget_dropped() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	DELETE FROM dllb.tables t
	USING pg_event_trigger_dropped_objects() d
	WHERE d.classid = 'pg_class'::regclass AND d.objid = t.tbl::oid
	  AND d.objsubid = 0;		-- the table, not one of its columns
END $$;
CREATE EVENT TRIGGER dllb_tables_forget_dropped ON sql_drop
	EXECUTE FUNCTION dllb.tables_forget_dropped();

-- check a name for a dialect table (it becomes the table part of record ids)
CREATE FUNCTION dllb.check_table_name(name text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
BEGIN
	IF name IS NULL OR name !~ '^[A-Za-z_][A-Za-z0-9_]{0,62}$' THEN
		RAISE EXCEPTION 'invalid table name "%"', name
			USING ERRCODE = 'invalid_name',
			      DETAIL = 'A dialect table name has 1 to 63 letters, digits or underscores and does not start with a digit; it is the table part of its record ids.';
	END IF;
END $$;

-- the registered dialect table called name in the current schema, or NULL;
-- an error when name cannot be a dialect table's, or is some other relation
CREATE FUNCTION dllb.find_table(name text, want_kind text) RETURNS regclass
-- (no SET search_path: current_schema() must be the caller's)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	rel regclass;
	k text;
BEGIN
	PERFORM dllb.check_table_name(name);
	rel := to_regclass(format('%I.%I', current_schema(), name));
	IF rel IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT kind INTO k FROM dllb.tables WHERE tbl = rel;
	IF k IS NULL THEN
		RAISE EXCEPTION 'relation "%" already exists and is not a dllb table', name
			USING ERRCODE = 'duplicate_table';
	END IF;
	IF k <> want_kind THEN
		RAISE EXCEPTION 'table "%" is a % table, not an % table', name, k,
			CASE want_kind WHEN 'edge' THEN 'edge' ELSE 'document' END
			USING ERRCODE = 'wrong_object_type';
	END IF;
	RETURN rel;
END $$;

-- create and register a dialect table in the current schema: id, the
-- kind's own columns, data
CREATE FUNCTION dllb.make_table(name text, kind text, schemafull bool, columns text)
RETURNS regclass
LANGUAGE plpgsql AS $$
DECLARE
	rel regclass;
BEGIN
	IF current_schema() IS NULL THEN
		RAISE EXCEPTION 'no schema has been selected to create in'
			USING ERRCODE = 'invalid_schema_name';
	END IF;
	EXECUTE format(
		'CREATE TABLE %I.%I ('
		'  id dllb.record PRIMARY KEY CHECK (dllb.tb(id) OPERATOR(pg_catalog.=) %L),'
		'  %s'
		'  data jsonb NOT NULL DEFAULT ''{}'' CHECK (jsonb_typeof(data) OPERATOR(pg_catalog.=) ''object'')'
		') USING dllb', current_schema(), name, name, columns);
	rel := format('%I.%I', current_schema(), name)::regclass;
	INSERT INTO dllb.tables VALUES (rel, kind, schemafull);
	RETURN rel;
END $$;

CREATE FUNCTION dllb.create_table(name text, schemafull bool DEFAULT false)
RETURNS regclass
LANGUAGE plpgsql AS $$
BEGIN
	RETURN coalesce(dllb.find_table(name, 'document'),
					dllb.make_table(name, 'document', schemafull, ''));
END $$;
COMMENT ON FUNCTION dllb.create_table(text, bool) IS 'create (or return) a document table: id dllb.record, data jsonb';

CREATE FUNCTION dllb.create_edge_table(name text) RETURNS regclass
LANGUAGE plpgsql AS $$
DECLARE
	rel regclass := dllb.find_table(name, 'edge');
BEGIN
	IF rel IS NOT NULL THEN
		RETURN rel;
	END IF;
	rel := dllb.make_table(name, 'edge', false,
						   '"in" dllb.record NOT NULL, out dllb.record NOT NULL,');
	EXECUTE format('CREATE INDEX %I ON %s ("in", out)', name || '_in_out', rel);
	EXECUTE format('CREATE INDEX %I ON %s (out, "in")', name || '_out_in', rel);
	PERFORM dllb.cluster_by(rel, 'in');
	RETURN rel;
END $$;
COMMENT ON FUNCTION dllb.create_edge_table(text) IS 'create (or return) an edge table: id, "in", out, data, indexed both ways';

CREATE FUNCTION dllb.define_field(tbl regclass, field text, type text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
	typ regtype := to_regtype(type);
	existing regtype;
	is_json bool;
	r record;
	msg text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM dllb.tables t WHERE t.tbl = define_field.tbl) THEN
		RAISE EXCEPTION 'table % is not a dllb table', tbl
			USING ERRCODE = 'wrong_object_type',
			      HINT = 'Create it with dllb.create_table or dllb.create_edge_table.';
	END IF;
	IF typ IS NULL THEN
		RAISE EXCEPTION 'type "%" does not exist', type USING ERRCODE = 'undefined_object';
	END IF;
	IF field IN ('id', 'data', 'in', 'out') THEN
		RAISE EXCEPTION 'field "%" is reserved', field USING ERRCODE = 'reserved_name';
	END IF;
	SELECT atttypid::regtype INTO existing FROM pg_attribute
	WHERE attrelid = tbl AND attname = field AND attnum > 0 AND NOT attisdropped;
	IF existing IS NOT NULL THEN
		IF existing = typ THEN
			RETURN;
		END IF;
		RAISE EXCEPTION 'field "%" of % is already defined as %', field, tbl, existing
			USING ERRCODE = 'duplicate_column';
	END IF;
	is_json := typ IN ('jsonb'::regtype, 'json'::regtype);
	EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', tbl, field, typ);
	BEGIN
		EXECUTE format('UPDATE %s SET %I = ((data -> %L)%s)::%s, data = data - %L WHERE data ? %L',
					   tbl, field, field, CASE WHEN is_json THEN '' ELSE ' #>> ''{}''' END,
					   typ, field, field);
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
		-- find the first row whose value does not convert, to name it
		FOR r IN EXECUTE format('SELECT id, data -> %L AS v FROM %s WHERE data ? %L ORDER BY id',
								field, tbl, field)
		LOOP
			BEGIN
				EXECUTE format('SELECT (($1)%s)::%s', CASE WHEN is_json THEN '' ELSE ' #>> ''{}''' END, typ)
					USING r.v;
			EXCEPTION WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
				RAISE EXCEPTION 'value of field "%" in row % does not convert to %', field, r.id, typ
					USING ERRCODE = 'invalid_text_representation',
					      DETAIL = format('The value is %s: %s', r.v, msg),
					      HINT = 'Fix or remove the value, then define the field again.';
			END;
		END LOOP;
		RAISE EXCEPTION 'field "%" could not be moved into a column of type %: %', field, typ, msg
			USING ERRCODE = 'invalid_text_representation';
	END;
END $$;
COMMENT ON FUNCTION dllb.define_field(regclass, text, text) IS 'turn a jsonb field into a typed column, moving existing values';

-- a new random key for an edge id: 20 characters of [0-9a-z]
CREATE FUNCTION dllb.random_key() RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = pg_catalog AS $$
	SELECT string_agg(substr('0123456789abcdefghijklmnopqrstuvwxyz', 1 + floor(random() * 36)::int, 1), '')
	FROM generate_series(1, 20)
$$;

CREATE FUNCTION dllb.relate(from_ dllb.record, edge text, to_ dllb.record,
							data jsonb DEFAULT '{}')
RETURNS dllb.record
LANGUAGE plpgsql AS $$
DECLARE
	rel regclass;
	id dllb.record;
BEGIN
	rel := dllb.find_table(edge, 'edge');
	IF rel IS NULL THEN
		rel := dllb.create_edge_table(edge);
	END IF;
	EXECUTE format('INSERT INTO %s (id, "in", out, data) VALUES (dllb.record(%L, dllb.random_key()), $1, $2, $3) RETURNING id',
				   rel, edge)
		INTO id USING from_, to_, coalesce(data, '{}');
	RETURN id;
END $$;
COMMENT ON FUNCTION dllb.relate(dllb.record, text, dllb.record, jsonb) IS 'insert an edge from_ -> edge -> to_ (creating the edge table if missing); returns its id';
