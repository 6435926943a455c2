-- Change feeds: DEFINE TABLE ... CHANGEFEED, SHOW CHANGES; one change set
-- per committed transaction, in commit order, with a versionstamp to
-- resume from; INCLUDE ORIGINAL; retention.  (Concurrent writers:
-- test/isolation/specs/reactive_changefeed.spec and TAP 101.)
\set VERBOSITY terse
-- another role, which dllb_app may become
\c - dllb_admin
CREATE ROLE reactive_changefeed_reader;
GRANT reactive_changefeed_reader TO dllb_app;
GRANT USAGE ON SCHEMA public TO reactive_changefeed_reader;
\c - dllb_app
-- an error's SQLSTATE and message
CREATE FUNCTION public.reactive_changefeed_err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

SELECT dllb.surql_parse($$DEFINE TABLE reading CHANGEFEED 3d; DEFINE TABLE r2 SCHEMAFULL CHANGEFEED 1h30m INCLUDE ORIGINAL;
  SHOW CHANGES FOR TABLE reading SINCE 1; SHOW CHANGES FOR TABLE reading SINCE d'2024-01-01T00:00:00Z' LIMIT 10;
  SHOW CHANGES FOR TABLE reading SINCE $vs LIMIT $n$$);
SELECT dllb.surql_parse('DEFINE TABLE t CHANGEFEED 3');
SELECT dllb.surql_parse('DEFINE TABLE t CHANGEFEED 3 days');
SELECT dllb.surql_parse('DEFINE TABLE t CHANGEFEED 1d INCLUDE');
SELECT dllb.surql_parse('SHOW CHANGES FOR reading SINCE 1');

-- every committed transaction, in commit order; nothing of a rolled-back one
SELECT stmt, result -> 'tables' -> 'reading' AS reading FROM dllb.query('DEFINE TABLE reading CHANGEFEED 3d; INFO FOR DB');
SELECT * FROM dllb.query($$CREATE reading:1 SET story = 'Once upon a time'; CREATE reading:2 SET story = 'there was'$$);
BEGIN;
SELECT * FROM dllb.query($$UPDATE reading:1 SET story = 'Once'; DELETE reading:2$$);
-- this transaction's changes are not in the feed before it commits (one change set so far)
SELECT count(*) FROM dllb.show_changes('reading', 0);
COMMIT;
BEGIN;
SELECT count(*) FROM dllb.query($$CREATE reading:3 SET story = 'never'$$);
ROLLBACK;
INSERT INTO reading (id, data) VALUES ('reading:4', '{"story": "plain SQL"}');
SELECT r - 'versionstamp' AS change_set FROM dllb.query('SHOW CHANGES FOR TABLE reading SINCE 0') q(s, r);
-- versionstamps grow; SINCE is where the reader resumes (inclusive); LIMIT counts change sets
SELECT bool_and(v > lag) AS growing FROM (
  SELECT (c ->> 'versionstamp')::bigint AS v, lag((c ->> 'versionstamp')::bigint, 1, 0::bigint) OVER () AS lag
  FROM dllb.show_changes('reading', 0) c) s;
SELECT count(*) AS after_second FROM dllb.show_changes('reading',
  (SELECT (c ->> 'versionstamp')::bigint + 1 FROM dllb.show_changes('reading', 0, NULL, 2) c OFFSET 1));
SELECT count(*) AS limited FROM dllb.query('SHOW CHANGES FOR TABLE reading SINCE 0 LIMIT 2');
SELECT count(*) AS since_now FROM dllb.query('SHOW CHANGES FOR TABLE reading SINCE $t', pg_catalog.jsonb_build_object('t', clock_timestamp()));
SELECT count(*) AS since_long_ago FROM dllb.query($$SHOW CHANGES FOR TABLE reading SINCE d'2000-01-01T00:00:00Z'$$);

-- INCLUDE ORIGINAL: updates carry the record before, deletes the whole record
SELECT * FROM dllb.query($$DEFINE TABLE orig CHANGEFEED 1h INCLUDE ORIGINAL; CREATE orig:a SET n = 1, keep = true$$);
SELECT count(*) FROM dllb.query($$UPDATE orig:a SET n = 2; DELETE orig:a$$);
TRUNCATE orig;
SELECT r - 'versionstamp' AS change_set FROM dllb.query('SHOW CHANGES FOR TABLE orig SINCE 0') q(s, r);
-- typed fields and edges appear as SELECT * shows them (edges with in and out)
SELECT count(*) FROM dllb.query($$DEFINE TABLE typed CHANGEFEED 1d; DEFINE FIELD n ON typed TYPE int;
  DEFINE FIELD v ON typed TYPE vector<2>; DEFINE TABLE link TYPE RELATION; CREATE typed:1 SET n = 5, v = [1, 2], x = 'y'$$);
SELECT dllb.define_changefeed('link', '1 day');
SELECT count(*) FROM dllb.query('RELATE typed:1->link->typed:2 SET w = 1');
SELECT r -> 'changes' AS changes FROM dllb.query('SHOW CHANGES FOR TABLE typed SINCE 0') q(s, r);
SELECT jsonb_path_query(r, '$.changes[0].create') - 'id' AS edge FROM dllb.query('SHOW CHANGES FOR TABLE link SINCE 0') q(s, r);

-- errors, each with nothing changed
SELECT public.reactive_changefeed_err($$SELECT * FROM dllb.query('SHOW CHANGES FOR TABLE nosuch SINCE 0')$$);
SELECT public.reactive_changefeed_err($$SELECT * FROM dllb.query('DEFINE TABLE plainfeed; SHOW CHANGES FOR TABLE plainfeed SINCE 0')$$);
SELECT public.reactive_changefeed_err($$SELECT * FROM dllb.query('SHOW CHANGES FOR TABLE reading SINCE 999999999')$$);
SELECT public.reactive_changefeed_err($$SELECT * FROM dllb.query('SHOW CHANGES FOR TABLE reading SINCE ''soon''')$$);
SELECT public.reactive_changefeed_err($$SELECT * FROM dllb.query('SHOW CHANGES FOR TABLE reading SINCE 0 LIMIT 1.5')$$);
SELECT public.reactive_changefeed_err($$SELECT * FROM dllb.show_changes('reading', -1)$$);
SELECT public.reactive_changefeed_err($$SELECT * FROM dllb.show_changes('reading')$$);
SELECT public.reactive_changefeed_err($$SELECT dllb.define_changefeed('reading', '-1 day')$$);
CREATE TABLE notdllb (id int);
SELECT public.reactive_changefeed_err($$SELECT dllb.define_changefeed('notdllb', '1 day')$$);
-- a role that may not read the table, or that row-level security restricts, may not read its feed
GRANT SELECT ON reading TO reactive_changefeed_reader;
SET ROLE reactive_changefeed_reader;
SELECT count(*) FROM dllb.show_changes('reading', 0);
SELECT public.reactive_changefeed_err($$SELECT * FROM dllb.show_changes('orig', 0)$$);
SELECT public.reactive_changefeed_err($$SELECT dllb.define_changefeed('reading', '1 day')$$);
RESET ROLE;
ALTER TABLE reading ENABLE ROW LEVEL SECURITY;
SET ROLE reactive_changefeed_reader;
SELECT public.reactive_changefeed_err($$SELECT * FROM dllb.show_changes('reading', 0)$$);
RESET ROLE;
ALTER TABLE reading DISABLE ROW LEVEL SECURITY;

-- retention: change sets older than it are never returned, and a commit to
-- the feed deletes them (here at every commit); dllb.changefeed_prune()
-- deletes those of every feed.  (Counting what is kept needs dllb's owner.)
SELECT dllb.define_changefeed('orig', '50 milliseconds');
\c - dllb_admin
SELECT count(*) AS kept FROM dllb.change_commits WHERE tbl = 'orig'::regclass;
\c - dllb_app
SELECT pg_sleep(0.1);
SELECT count(*) AS returned FROM dllb.show_changes('orig', 0);
SET dllb.changefeed_prune_interval = 0;
INSERT INTO orig (id) VALUES ('orig:new');
\c - dllb_admin
SELECT count(*) AS kept, (SELECT count(*) FROM dllb.changes c WHERE c.tbl = 'orig'::regclass) AS changes
FROM dllb.change_commits WHERE tbl = 'orig'::regclass;
\c - dllb_app
SELECT pg_sleep(0.1);
SELECT dllb.changefeed_prune() >= 1 AS pruned;
\c - dllb_admin
SELECT count(*) AS kept FROM dllb.change_commits WHERE tbl = 'orig'::regclass;
\c - dllb_app

-- REMOVE TABLE and dllb.remove_changefeed take the feed and its changes with them
SELECT dllb.remove_changefeed('typed');
SELECT public.reactive_changefeed_err($$SELECT * FROM dllb.show_changes('typed', 0)$$);
SELECT tgname FROM pg_trigger WHERE tgrelid = 'typed'::regclass AND tgname LIKE 'dllb\_changefeed%';
SELECT 'reading'::regclass::oid AS reading_oid, 'typed'::regclass::oid AS typed_oid \gset
SELECT * FROM dllb.query('REMOVE TABLE reading');
SELECT count(*) FROM dllb.changefeeds WHERE tbl::oid IN (:reading_oid, :typed_oid);
\c - dllb_admin
SELECT count(*) FROM dllb.changes WHERE tbl IN (:reading_oid, :typed_oid);
SELECT count(*) FROM dllb.change_commits WHERE tbl IN (:reading_oid, :typed_oid);
\c - dllb_app

DROP TABLE orig, typed, link, notdllb;
DROP FUNCTION public.reactive_changefeed_err(text);
\c - dllb_admin
REVOKE USAGE ON SCHEMA public FROM reactive_changefeed_reader;
DROP ROLE reactive_changefeed_reader;
\c - dllb_app
