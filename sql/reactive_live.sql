-- LIVE SELECT and KILL: parsing, what a live query may be, the registry,
-- and the errors.  The notifications themselves are checked from a real
-- client: test/client/live_notifications.py (TAP 100).
\set VERBOSITY terse
-- another role, which dllb_app may become
\c - dllb_admin
CREATE ROLE reactive_live_other;
GRANT reactive_live_other TO dllb_app;
GRANT USAGE ON SCHEMA public TO reactive_live_other;
\c - dllb_app
-- an error's SQLSTATE and message
CREATE FUNCTION public.reactive_live_err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

SELECT dllb.surql_parse($$LIVE SELECT * FROM person; LIVE SELECT DIFF FROM person WHERE age > 18;
  live select diff name, age FROM person WHERE name != NONE FETCH friend; LIVE SELECT VALUE name FROM person;
  KILL 'a6e57cb8-8f2c-4e45-9d2b-9a1a1d4e6a01'; KILL $id; SELECT live, kill, show FROM t$$);
SELECT dllb.surql_parse('LIVE person');
SELECT dllb.surql_parse('LIVE SELECT DIFF');
SELECT dllb.surql_parse('KILL');
-- KILL takes one id or $param, not an expression
SELECT dllb.surql_parse($$KILL 'a6c-41' ?? 'x'$$);

SELECT count(*) FROM dllb.query($$CREATE person:a SET name = 'Ann', age = 30, friend = person:b; CREATE person:b SET name = 'Bob', age = 20$$);

-- LIVE SELECT returns the live query's id; the session LISTENs for it
SELECT jsonb_typeof(result) AS id_type, length(result #>> '{}') AS id_length
FROM dllb.query($$LIVE SELECT name, age FROM person WHERE age > $min FETCH friend$$, '{"min": 18}');
SELECT * FROM dllb.query('LIVE SELECT DIFF FROM person') \gset live_
SELECT query, diff, tbl, pid = pg_backend_pid() AS this_session FROM dllb.live_list() ORDER BY created;
SELECT count(*) AS listening FROM pg_listening_channels() c
WHERE c IN (SELECT 'dllb_live_' || id FROM dllb.live_list());
-- the SQL a live query evaluates (its $params written in, as literals)
SELECT cond_sql, proj_sql FROM dllb.live_list() ORDER BY created;
-- plain SQL: dllb.live_select(query, params, diff)
SELECT dllb.live_select('SELECT VALUE name FROM person', '{}', true) IS NOT NULL AS started;
SELECT query, diff FROM dllb.live_list() ORDER BY created DESC LIMIT 1;
-- the live triggers, added by the first LIVE SELECT of a table
SELECT tgname FROM pg_trigger WHERE tgrelid = 'person'::regclass AND tgname LIKE 'dllb\_live%' ORDER BY tgname;
-- dllb.explain shows the SQL and starts nothing
SELECT stmt, sql FROM dllb.explain('LIVE SELECT * FROM person');
SELECT count(*) FROM dllb.live_list();

-- KILL ends a live query, and the session stops listening for it
SELECT :'live_result'::jsonb #>> '{}' AS killed \gset
SELECT * FROM dllb.query('KILL $id', pg_catalog.jsonb_build_object('id', :'killed'));
SELECT count(*) FROM dllb.live_list() WHERE id = :'killed'::uuid;
SELECT count(*) FROM pg_listening_channels() c WHERE c = 'dllb_live_' || :'killed';
-- a LIVE SELECT rolled back never started
BEGIN;
SELECT count(*) FROM dllb.query('LIVE SELECT * FROM person');
ROLLBACK;
SELECT count(*) FROM dllb.live_list();

-- what a live query may not be: each is 0A000, nothing started
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('LIVE SELECT * FROM person ORDER BY age')$$);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('LIVE SELECT * FROM person LIMIT 1')$$);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('LIVE SELECT count() FROM person GROUP ALL')$$);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('LIVE SELECT * FROM person:a')$$);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('LIVE SELECT * FROM person, pet')$$);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('LIVE SELECT * FROM (SELECT * FROM person)')$$);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('LIVE SELECT ->knows->person AS f FROM person')$$);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('LIVE SELECT * FROM person WHERE (SELECT VALUE age FROM person:a) CONTAINS 1')$$);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('LIVE SELECT * FROM person WHERE name @@ ''ann''')$$);
SELECT public.reactive_live_err($$SELECT dllb.live_select('SELECT * FROM person; SELECT * FROM person')$$);
SELECT public.reactive_live_err($$SELECT dllb.live_select('CREATE person')$$);
-- bad input: a missing table, a table the caller may not read, KILL of an
-- unknown or another role's live query, or of something not an id
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('LIVE SELECT * FROM nosuch')$$);
CREATE TABLE notdllb (id int);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('LIVE SELECT * FROM notdllb')$$);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('KILL ''a6e57cb8-8f2c-4e45-9d2b-9a1a1d4e6a01''')$$);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('KILL u''a6e57cb8-8f2c-4e45-9d2b-9a1a1d4e6a01''')$$);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('KILL ''not an id''')$$);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('KILL 42')$$);
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('KILL name')$$);
SELECT id AS mine FROM dllb.live_list() LIMIT 1 \gset
SET ROLE reactive_live_other;
SELECT public.reactive_live_err($$SELECT * FROM dllb.query('LIVE SELECT * FROM person')$$);
SELECT split_part(public.reactive_live_err(pg_catalog.format('SELECT dllb.live_kill(%L)', :'mine')), ' ', 1) AS sqlstate,
       public.reactive_live_err(pg_catalog.format('SELECT dllb.live_kill(%L)', :'mine')) LIKE '%belongs to another role' AS others;
SELECT count(*) AS others_seen FROM dllb.live_list();
SELECT public.reactive_live_err('SELECT count(*) FROM dllb.live_queries');
RESET ROLE;
SELECT count(*) AS mine FROM dllb.live_list();
SELECT public.reactive_live_err($$SELECT dllb.live_fetch('{"id": "x"}')$$);
SELECT public.reactive_live_err($$SELECT dllb.live_fetch('{"fetch": 12345}')$$);

-- REMOVE TABLE ends its live queries
SELECT * FROM dllb.query('REMOVE TABLE person');
SELECT count(*) FROM dllb.live_list();
DROP TABLE notdllb;
DROP FUNCTION public.reactive_live_err(text);
\c - dllb_admin
REVOKE USAGE ON SCHEMA public FROM reactive_live_other;
DROP ROLE reactive_live_other;
\c - dllb_app
