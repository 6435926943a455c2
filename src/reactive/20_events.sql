-- src/reactive/20_events.sql: DEFINE EVENT (src/reactive/event.c).
--
-- An event is a row trigger named "<event> EVENT" that runs dialect
-- statements through dllb.query; the trigger's comment is the event's
-- definition, as INFO FOR TABLE shows it.

CREATE FUNCTION dllb.event_fire() RETURNS trigger
	AS 'MODULE_PATHNAME', 'dllb_event_fire' LANGUAGE C;
COMMENT ON FUNCTION dllb.event_fire() IS 'trigger of DEFINE EVENT: runs the event''s dialect statements with $event, $before, $after and $value';

-- DEFINE EVENT name ON t [WHEN cond] THEN { statements }: when_ and then_
-- are dialect text (a condition; ;-separated statements)
CREATE FUNCTION dllb.define_event(tbl regclass, name text, when_ text, then_ text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	trig text := name || ' EVENT';
	run text;
	def text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM dllb.tables t WHERE t.tbl = define_event.tbl) THEN
		RAISE EXCEPTION 'table % is not a dllb table', tbl
			USING ERRCODE = 'wrong_object_type';
	END IF;
	IF name IS NULL OR name !~ '^[A-Za-z_][A-Za-z0-9_]{0,56}$' THEN
		RAISE EXCEPTION 'invalid event name "%"', name
			USING ERRCODE = 'invalid_name',
				  DETAIL = 'An event name has 1 to 57 letters, digits or underscores and does not start with a digit.';
	END IF;
	IF then_ IS NULL OR btrim(then_) = '' THEN
		RAISE EXCEPTION 'event "%" has no statements', name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF when_ IS NOT NULL AND dllb.surql_parse('RETURN ' || when_) !~ E'^[^\n]*\n$' THEN
		RAISE EXCEPTION 'the WHEN of event "%" is not one condition', name
			USING ERRCODE = 'syntax_error';
	END IF;
	run := CASE WHEN when_ IS NULL THEN then_ ELSE format('IF %s { %s }', when_, then_) END;
	PERFORM dllb.surql_parse(run);		-- a syntax error is raised now, not at the first write
	def := format('DEFINE EVENT %s ON %s%s THEN { %s }', name, quote_ident(relname), coalesce(' WHEN ' || when_, ''), then_)
		FROM pg_class WHERE oid = tbl;
	IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = trig) THEN
		EXECUTE format('DROP TRIGGER %I ON %s', trig, tbl);
	END IF;
	EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION dllb.event_fire(%L, %L)',
				   trig, tbl, name, run);
	EXECUTE format('COMMENT ON TRIGGER %I ON %s IS %L', trig, tbl, def);
END $$;
COMMENT ON FUNCTION dllb.define_event(regclass, text, text, text) IS 'DEFINE EVENT: a row trigger that runs dialect statements after each change of the table (replacing an event of that name)';

CREATE FUNCTION dllb.remove_event(tbl regclass, name text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = name || ' EVENT'
				   AND tgfoid = 'dllb.event_fire'::regproc) THEN
		RAISE EXCEPTION 'event "%" is not defined on table "%"', name,
			(SELECT relname FROM pg_class WHERE oid = tbl)
			USING ERRCODE = 'undefined_object';
	END IF;
	EXECUTE format('DROP TRIGGER %I ON %s', name || ' EVENT', tbl);
END $$;
COMMENT ON FUNCTION dllb.remove_event(regclass, text) IS 'REMOVE EVENT name ON t';

CREATE FUNCTION dllb.table_events(tbl regclass) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_object_agg(t.tgargs_name, obj_description(t.oid, 'pg_trigger')
					ORDER BY t.tgargs_name), '{}'::jsonb)
	FROM (SELECT oid, substr(tgname, 1, length(tgname) - 6) AS tgargs_name FROM pg_trigger
		  WHERE tgrelid = tbl AND tgfoid = 'dllb.event_fire'::regproc) t
$$;
COMMENT ON FUNCTION dllb.table_events(regclass) IS 'the events of a table and their definitions, as INFO FOR TABLE lists them';
