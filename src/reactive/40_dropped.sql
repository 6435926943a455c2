-- src/reactive/40_dropped.sql: a dropped table takes its live queries and
-- its change feed with it.

-- runs as dllb's owner: the dropping role may not write dllb's tables
CREATE FUNCTION dllb.reactive_forget_dropped() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	gone oid[];
BEGIN
	SELECT array_agg(d.objid) INTO gone FROM pg_event_trigger_dropped_objects() d
	WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0;
	IF gone IS NULL THEN
		RETURN;
	END IF;
	DELETE FROM dllb.live_payloads p USING dllb.live_queries q
	WHERE q.id = p.lq AND q.tbl = ANY (gone);
	DELETE FROM dllb.live_queries WHERE tbl = ANY (gone);
	DELETE FROM dllb.changefeeds WHERE tbl::oid = ANY (gone);
	DELETE FROM dllb.change_commits WHERE tbl = ANY (gone);
	DELETE FROM dllb.changes WHERE tbl = ANY (gone);
END $$;
REVOKE ALL ON FUNCTION dllb.reactive_forget_dropped() FROM PUBLIC;
CREATE EVENT TRIGGER dllb_reactive_forget_dropped ON sql_drop
	EXECUTE FUNCTION dllb.reactive_forget_dropped();
