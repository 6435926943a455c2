-- dllb in a database of many roles: the ordinary role dllb_app (this
-- suite's role) and another ordinary role make and drop dialect tables,
-- neither can touch the other's entries in dllb's catalog, functions that
-- read an index check the caller's privileges, internal functions are
-- refused, and bad OIDs are ordinary errors.
\c - dllb_admin
CREATE ROLE security_other LOGIN;
GRANT CREATE ON SCHEMA public TO security_other;
CREATE SCHEMA security_other AUTHORIZATION security_other;
\c - dllb_app

-- an ordinary role creates document and edge tables, through SQL and the
-- dialect, and drops what it owns (the drop trigger needs no privilege)
SELECT dllb.create_table('sec_doc');
SELECT dllb.tb(dllb.relate('sec_doc:a', 'sec_edge', 'sec_doc:b'));
SELECT * FROM dllb.query('DEFINE TABLE sec_def; CREATE sec_made:1 SET n = 1');
SELECT tbl, kind FROM dllb.tables WHERE tbl::text LIKE 'sec%' ORDER BY 1;
CREATE TEMP TABLE sec_temp (x int);
DROP TABLE sec_temp;
CREATE VIEW sec_view AS SELECT 1 AS one;
DROP VIEW sec_view;
CREATE FUNCTION sec_fn() RETURNS int LANGUAGE sql RETURN 1;
DROP FUNCTION sec_fn();
DROP TABLE sec_def, sec_made;
SELECT tbl, kind FROM dllb.tables WHERE tbl::text LIKE 'sec%' ORDER BY 1;

-- dllb's catalog is read-only for everyone but its owner
INSERT INTO dllb.tables VALUES ('sec_doc', 'edge', false);
UPDATE dllb.tables SET kind = 'edge' WHERE tbl = 'sec_doc'::regclass;
DELETE FROM dllb.tables WHERE tbl = 'sec_doc'::regclass;

-- another role: its own tables in its own schema, none of dllb_app's
\c - security_other
SET search_path = security_other;
SELECT dllb.create_table('other_doc');
SELECT * FROM dllb.query('CREATE other_doc:1 SET secret = 42');
SELECT dllb.register_table('public.sec_doc', 'edge');
SELECT dllb.register_table('other_doc', 'edge');   -- its own: allowed
SELECT dllb.register_table('other_doc', 'document');
SELECT dllb.tableam_invalidate('public.sec_doc');
CREATE INDEX other_body ON other_doc USING dllb_bm25 ((data->>'secret'));
GRANT USAGE ON SCHEMA security_other TO dllb_app;   -- the schema, not its tables
\c - dllb_app

-- what dllb_app may not read, no dllb function reads for it
SELECT dllb.score('42', '42', 'security_other.other_body');
SELECT * FROM dllb.bm25_stats('security_other.other_body');
SELECT * FROM dllb.bm25_verify('security_other.other_body');
SET search_path = security_other, public;
SELECT * FROM dllb.query('SELECT * FROM other_doc');
RESET search_path;
SELECT * FROM dllb.out('other_doc:1', '?');
SELECT dllb.tableam_invalidate('security_other.other_doc');
SELECT dllb.register_table('security_other.other_doc', 'edge');
-- a query bound to that index reveals nothing either
SELECT '42' <@> dllb.bm25query_bind('42', 'security_other.other_body');

-- bad OIDs are ordinary errors
SELECT dllb.score('a', 'a', 0);
SELECT dllb.score('a', 'a', 123456789);
SELECT dllb.score('a', 'a', 'sec_doc'::regclass);
SELECT dllb.tableam_invalidate(0);
SELECT dllb.register_table(0, 'document');
SELECT dllb.bm25query_bind('a', 0);
SELECT * FROM dllb.bm25_stats(0);
SELECT * FROM dllb.hnsw_verify(0);

-- dllb_app's own search_path may put a writable schema first: dllb.query
-- still runs only dllb's and pg_catalog's operators (the hostile role's
-- traps in public are checked by the test command after the suite)
SET search_path = public, pg_catalog;
SELECT * FROM dllb.query('CREATE sec_doc:c SET n = 3; SELECT VALUE id FROM sec_doc WHERE id = sec_doc:c');
SELECT * FROM dllb.query('SELECT VALUE ->sec_edge->sec_doc FROM sec_doc:a');
RESET search_path;

-- deleting a record deletes its edges, by SQL and by the dialect
INSERT INTO sec_doc (id) VALUES ('sec_doc:a'), ('sec_doc:b');
SELECT dllb.tb(dllb.relate('sec_doc:b', 'sec_edge', 'sec_doc:c'));
SELECT dllb.tb(dllb.relate('sec_doc:c', 'sec_edge', 'sec_doc:c'));
SELECT "in", out FROM sec_edge ORDER BY 1, 2;
DELETE FROM sec_doc WHERE id = 'sec_doc:b';
SELECT "in", out FROM sec_edge ORDER BY 1, 2;
SELECT * FROM dllb.query('DELETE sec_doc:c');
SELECT count(*) AS edges_left FROM sec_edge;

\c - security_other
DROP TABLE security_other.other_doc;
\c - dllb_admin
DROP SCHEMA security_other;
REVOKE CREATE ON SCHEMA public FROM security_other;
DROP ROLE security_other;
\c - dllb_app
DROP TABLE sec_doc, sec_edge;
SELECT count(*) AS left_behind FROM dllb.tables WHERE tbl::text LIKE 'sec%';

-- no SQL or PL/pgSQL function of dllb depends on the caller's search_path:
-- each pins it, or has a body bound at creation (BEGIN ATOMIC / RETURN)
SELECT p.oid::regprocedure AS unpinned
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'dllb'::regnamespace AND l.lanname IN ('sql', 'plpgsql')
  AND p.prosqlbody IS NULL
  AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)
ORDER BY 1;
-- and only the drop-tracking event triggers run as their owner
SELECT p.oid::regprocedure AS security_definer
FROM pg_proc p WHERE p.pronamespace = 'dllb'::regnamespace AND p.prosecdef ORDER BY 1;
