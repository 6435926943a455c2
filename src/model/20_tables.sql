-- src/model/20_tables.sql: document and edge tables, the dllb.tables
-- catalog, define_field and relate.

-- The schema the dialect looks up and creates tables in (table_catalog.c).
CREATE FUNCTION dllb.dialect_schema() RETURNS text
	AS 'MODULE_PATHNAME', 'dllb_dialect_schema' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION dllb.dialect_schema() IS 'the schema where the dialect looks up and creates tables: the caller''s current schema when the outermost dllb.query call began, otherwise current_schema()';

-- Which relations are dialect tables, and of what kind.  pg_dump keeps its
-- rows (pg_extension_config_dump); an event trigger forgets dropped tables.
-- Every role reads it; only dllb.register_table (C, for a table the caller
-- owns) and the event trigger write it (src/model/table_catalog.c).
CREATE TABLE dllb.tables (
	tbl regclass PRIMARY KEY,
	kind text NOT NULL CHECK (kind IN ('document', 'edge')),
	schemafull bool NOT NULL DEFAULT false
);
COMMENT ON TABLE dllb.tables IS 'dialect tables: document or edge, schemafull or not';
SELECT pg_catalog.pg_extension_config_dump('dllb.tables', '');
REVOKE ALL ON dllb.tables FROM PUBLIC;
GRANT SELECT ON dllb.tables TO PUBLIC;

CREATE FUNCTION dllb.register_table(tbl regclass, kind text, schemafull bool DEFAULT false)
RETURNS void
	AS 'MODULE_PATHNAME', 'dllb_register_table' LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION dllb.register_table(regclass, text, bool) IS 'record a table the caller owns in dllb.tables as a document or edge table';

CREATE FUNCTION dllb.lock_name(kind text, schema text, name text) RETURNS void
	AS 'MODULE_PATHNAME', 'dllb_lock_name' LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION dllb.lock_name(text, text, text) IS 'serialize the creation of a dialect object by name until the end of the transaction';

-- Runs for whichever role drops something, so it runs as the catalog's
-- owner; it only removes entries of tables this very command dropped.
CREATE FUNCTION dllb.tables_forget_dropped() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	DELETE FROM dllb.tables t
	USING pg_event_trigger_dropped_objects() d
	WHERE d.classid = 'pg_class'::regclass AND d.objid = t.tbl::oid
	  AND d.objsubid = 0;		-- the table, not one of its columns
END $$;
REVOKE ALL ON FUNCTION dllb.tables_forget_dropped() FROM PUBLIC;
CREATE EVENT TRIGGER dllb_tables_forget_dropped ON sql_drop
	EXECUTE FUNCTION dllb.tables_forget_dropped();

-- Deleting a record deletes its edges (table_catalog.c); every dialect
-- table has this trigger.
CREATE FUNCTION dllb.delete_edges() RETURNS trigger
	AS 'MODULE_PATHNAME', 'dllb_delete_edges' LANGUAGE C;
COMMENT ON FUNCTION dllb.delete_edges() IS 'trigger: delete the edges whose "in" or out is a deleted record (edge tables of the same schema)';

-- check a name for a dialect table (it becomes the table part of record ids)
CREATE FUNCTION dllb.check_table_name(name text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF name IS NULL OR name !~ '^[A-Za-z_][A-Za-z0-9_]{0,62}$' THEN
		RAISE EXCEPTION 'invalid table name "%"', name
			USING ERRCODE = 'invalid_name',
			      DETAIL = 'A dialect table name has 1 to 63 letters, digits or underscores and does not start with a digit; it is the table part of its record ids.';
	END IF;
END $$;

-- the registered dialect table called name in schema, or NULL; an error
-- when name cannot be a dialect table's, or is some other relation
CREATE FUNCTION dllb.find_table(name text, want_kind text, schema text DEFAULT dllb.dialect_schema())
RETURNS regclass
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	rel regclass;
	k text;
BEGIN
	PERFORM dllb.check_table_name(name);
	IF schema IS NULL THEN
		RETURN NULL;
	END IF;
	rel := to_regclass(format('%I.%I', schema, name));
	IF rel IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT t.kind INTO k FROM dllb.tables t WHERE t.tbl = rel;
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

-- the dialect table called name in schema, created (id, the kind's own
-- columns, data; registered; its record's edges go with it) when missing.
-- Creations of one name are serialized, so two sessions writing first to
-- a new table both succeed.
CREATE FUNCTION dllb.make_table(schema text, name text, kind text, schemafull bool, columns text)
RETURNS regclass
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	rel regclass;
BEGIN
	IF schema IS NULL THEN
		RAISE EXCEPTION 'no schema has been selected to create in'
			USING ERRCODE = 'invalid_schema_name';
	END IF;
	rel := dllb.find_table(name, kind, schema);
	IF rel IS NOT NULL THEN
		RETURN rel;
	END IF;
	PERFORM dllb.lock_name('table', schema, name);
	rel := dllb.find_table(name, kind, schema);		-- made while we waited
	IF rel IS NOT NULL THEN
		RETURN rel;
	END IF;
	EXECUTE format(
		'CREATE TABLE %I.%I ('
		'  id dllb.record PRIMARY KEY CHECK (dllb.tb(id) OPERATOR(pg_catalog.=) %L),'
		'  %s'
		'  data pg_catalog.jsonb NOT NULL DEFAULT ''{}'' CHECK (pg_catalog.jsonb_typeof(data) OPERATOR(pg_catalog.=) ''object'')'
		') USING dllb', schema, name, name, columns);
	rel := format('%I.%I', schema, name)::regclass;
	PERFORM dllb.register_table(rel, kind, schemafull);
	EXECUTE format('CREATE TRIGGER dllb_delete_edges AFTER DELETE ON %s '
				   'REFERENCING OLD TABLE AS dllb_deleted FOR EACH STATEMENT '
				   'EXECUTE FUNCTION dllb.delete_edges()', rel);
	IF kind = 'edge' THEN
		EXECUTE format('CREATE INDEX %I ON %s ("in", out)', name || '_in_out', rel);
		EXECUTE format('CREATE INDEX %I ON %s (out, "in")', name || '_out_in', rel);
		PERFORM dllb.cluster_by(rel, 'in');
	END IF;
	RETURN rel;
END $$;

CREATE FUNCTION dllb.create_table(name text, schemafull bool DEFAULT false,
								  schema text DEFAULT dllb.dialect_schema())
RETURNS regclass
LANGUAGE sql SET search_path = pg_catalog, pg_temp
RETURN dllb.make_table(schema, name, 'document', schemafull, '');
COMMENT ON FUNCTION dllb.create_table(text, bool, text) IS 'create (or return) a document table: id dllb.record, data jsonb (in the current schema unless given)';

CREATE FUNCTION dllb.create_edge_table(name text, schema text DEFAULT dllb.dialect_schema())
RETURNS regclass
LANGUAGE sql SET search_path = pg_catalog, pg_temp
RETURN dllb.make_table(schema, name, 'edge', false,
					   '"in" dllb.record NOT NULL, out dllb.record NOT NULL,');
COMMENT ON FUNCTION dllb.create_edge_table(text, text) IS 'create (or return) an edge table: id, "in", out, data, indexed both ways (in the current schema unless given)';

CREATE FUNCTION dllb.define_field(tbl regclass, field text, type text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
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
	IF existing IS NULL THEN
		-- one definition at a time: a second waits, then sees the first's column
		EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', tbl);
		SELECT atttypid::regtype INTO existing FROM pg_attribute
		WHERE attrelid = tbl AND attname = field AND attnum > 0 AND NOT attisdropped;
	END IF;
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

-- a new random key for a record id: 20 characters of [0-9a-z], the first
-- 11 the microseconds since 1970 in base 36, so that keys made later sort
-- later (graph paths over such edges come in the order they were made),
-- the other 9 random
CREATE FUNCTION dllb.random_key() RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	digits constant text := '0123456789abcdefghijklmnopqrstuvwxyz';
	t bigint := floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
	k text := '';
BEGIN
	FOR i IN 1..11 LOOP
		k := substr(digits, 1 + (t % 36)::int, 1) || k;
		t := t / 36;
	END LOOP;
	FOR i IN 1..9 LOOP
		k := k || substr(digits, 1 + floor(random() * 36)::int, 1);
	END LOOP;
	RETURN k;
END $$;

CREATE FUNCTION dllb.relate(from_ dllb.record, edge text, to_ dllb.record,
							data jsonb DEFAULT '{}', schema text DEFAULT dllb.dialect_schema())
RETURNS dllb.record
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	rel regclass := dllb.create_edge_table(edge, schema);
	id dllb.record;
BEGIN
	EXECUTE format('INSERT INTO %s (id, "in", out, data) VALUES (dllb.record(%L, dllb.random_key()), $1, $2, $3) RETURNING id',
				   rel, edge)
		INTO id USING from_, to_, coalesce(data, '{}');
	RETURN id;
END $$;
COMMENT ON FUNCTION dllb.relate(dllb.record, text, dllb.record, jsonb, text) IS 'insert an edge from_ -> edge -> to_ (creating the edge table if missing); returns its id';
