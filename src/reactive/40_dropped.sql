-- src/reactive/40_dropped.sql: a dropped table takes its live queries and
-- its change feed with it (src/reactive/dropped.c).

CREATE FUNCTION dllb.reactive_forget_dropped() RETURNS event_trigger
	AS 'MODULE_PATHNAME', 'dllb_reactive_forget_dropped' LANGUAGE C;
COMMENT ON FUNCTION dllb.reactive_forget_dropped() IS 'sql_drop event trigger: the live queries, change feed and changes of dropped tables go';
CREATE EVENT TRIGGER dllb_reactive_forget_dropped ON sql_drop
	EXECUTE FUNCTION dllb.reactive_forget_dropped();
