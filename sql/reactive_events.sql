-- DEFINE EVENT: a row trigger that runs dialect statements after each
-- change, with $event, $before, $after and $value; plain SQL writes fire it
-- too; an error in it aborts the write; REMOVE EVENT; INFO FOR TABLE lists
-- events; an event that keeps writing its own table stops at depth 16.
\set VERBOSITY terse

SELECT dllb.surql_parse($$DEFINE EVENT audit ON TABLE acct WHEN $event = 'UPDATE' AND $before.bal != $after.bal
  THEN { CREATE audit SET who = $after.id, was = $before.bal, now = $value.bal; UPDATE stats:1 SET n = n + 1 };
  DEFINE EVENT one ON acct THEN CREATE log SET e = $event; DEFINE EVENT two ON acct THEN (CREATE log SET e = 2); DEFINE EVENT three ON acct THEN 'x';
  REMOVE EVENT audit ON TABLE acct$$);
SELECT dllb.surql_parse('DEFINE EVENT e ON acct WHEN true');
SELECT dllb.surql_parse('DEFINE EVENT e ON acct THEN { }');
SELECT dllb.surql_parse('REMOVE EVENT e');

SELECT count(*) FROM dllb.query($$CREATE acct:a SET bal = 10; CREATE acct:b SET bal = 5; CREATE evlog:0 SET kind = 'start'$$);
SELECT * FROM dllb.query($$
  DEFINE EVENT every ON acct THEN CREATE evlog SET kind = $event, before = $before, after = $after, value = $value;
  DEFINE EVENT moved ON TABLE acct WHEN $event = 'UPDATE' AND $before.bal != $after.bal
    THEN { CREATE evlog SET kind = 'moved', who = $after.id, delta = $after.bal - $before.bal };
  INFO FOR TABLE acct$$);

-- dialect writes and plain SQL writes fire the events alike
SELECT * FROM dllb.query($$UPDATE acct:a SET bal = 12; UPDATE acct:b SET note = 'n'; CREATE acct:c SET bal = 1$$);
UPDATE acct SET data = data || '{"bal": 2}' WHERE id = 'acct:c';
DELETE FROM acct WHERE id = 'acct:b';
SELECT data - 'id' AS entry FROM evlog WHERE id <> 'evlog:0'
ORDER BY data ->> 'kind', data -> 'after' ->> 'id', data -> 'before' ->> 'id', data ->> 'who';

-- an error in an event aborts the write (and the event's own writes)
SELECT * FROM dllb.query($$DEFINE EVENT strict ON acct WHEN $after.bal < 0 THEN RETURN math::abs('negative')$$);
SELECT * FROM dllb.query($$UPDATE acct:a SET bal = -1$$);
UPDATE acct SET data = '{"bal": -5}' WHERE id = 'acct:c';
SELECT id, data FROM acct ORDER BY id;
SELECT count(*) AS log_entries FROM evlog;

-- REMOVE EVENT: the trigger is gone; an unknown event or table is an error
SELECT * FROM dllb.query('REMOVE EVENT strict ON acct; REMOVE EVENT every ON acct');
SELECT tgname FROM pg_trigger WHERE tgrelid = 'acct'::regclass AND tgname LIKE '% EVENT' ORDER BY tgname;
SELECT * FROM dllb.query($$UPDATE acct:a SET bal = -1$$);
SELECT * FROM dllb.query('REMOVE EVENT strict ON acct');
SELECT * FROM dllb.query('REMOVE EVENT e ON nosuch');
-- (DEFINE EVENT makes its table, as SurrealQL does)
SELECT count(*) FROM dllb.query('DEFINE EVENT e ON made_by_event THEN RETURN 1');
SELECT dllb.table_events('made_by_event');
DROP TABLE made_by_event;
-- the statements are checked when the event is defined
SELECT dllb.define_event('acct', 'broken', NULL, 'CREATE evlog SET');
SELECT dllb.define_event('acct', '1bad', NULL, 'RETURN 1');
SELECT dllb.define_event('acct', 'w', 'true; DELETE acct', 'RETURN 1');
-- redefining an event replaces it
SELECT * FROM dllb.query($$DEFINE EVENT moved ON acct THEN CREATE evlog SET kind = 'moved again'; INFO FOR TABLE acct$$);

-- an event that writes its own table: a clear error at depth 16
SELECT * FROM dllb.query($$DEFINE EVENT again ON acct WHEN $event = 'CREATE' THEN CREATE acct SET bal = 0$$);
SELECT * FROM dllb.query($$CREATE acct:loop SET bal = 0$$);
SELECT count(*) AS accounts FROM acct;
-- one that stops itself is fine
SELECT * FROM dllb.query($$DEFINE EVENT again ON acct WHEN $event = 'CREATE' AND $after.depth < 3
  THEN CREATE acct SET bal = 0, depth = $after.depth + 1; CREATE acct:chain SET bal = 0, depth = 0$$);
SELECT count(*) AS chained FROM acct WHERE data ? 'depth';

-- an event cannot start a live query (its session is the writer's)
SELECT * FROM dllb.query($$DEFINE EVENT watch ON evlog THEN LIVE SELECT * FROM acct; CREATE evlog:x SET kind = 'x'$$);

DROP TABLE acct, evlog;
