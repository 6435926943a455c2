-- dllb_hnsw: options, EXPLAIN, results against exact search for each
-- operator class, ef_search, filtered (iterative) scans, inserts, VACUUM
-- with neighbour repair, hnsw_verify, and every bad input.

-- deterministic pseudo-random points in 8 dimensions
CREATE TABLE pts (id int PRIMARY KEY, cat int, v dllb.vector(8));
INSERT INTO pts
SELECT i, i % 100,
       (SELECT array_agg((hashint4(i * 8 + k) % 10000) / 10000.0)::real[]
        FROM generate_series(1, 8) k)::dllb.vector
FROM generate_series(1, 3000) i;
CREATE TABLE queries (qid int, q dllb.vector(8));
INSERT INTO queries
SELECT j, (SELECT array_agg((hashint4(-j * 8 - k) % 10000) / 10000.0)::real[]
           FROM generate_series(1, 8) k)::dllb.vector
FROM generate_series(1, 20) j;

-- options
CREATE INDEX pts_bad ON pts USING dllb_hnsw (v) WITH (m = 1);
CREATE INDEX pts_bad ON pts USING dllb_hnsw (v) WITH (m = 16, ef_construction = 20);
CREATE INDEX pts_bad ON pts USING dllb_hnsw (v) WITH (ef_construction = 5000);
CREATE INDEX pts_bad ON pts USING dllb_hnsw (v) WITH (colour = 1);
CREATE INDEX pts_bad ON pts USING dllb_hnsw (v dllb.vector_ops);
CREATE INDEX pts_l2 ON pts USING dllb_hnsw (v dllb.vector_l2_ops) WITH (m = 8, ef_construction = 40);
SELECT "check", ok FROM dllb.hnsw_verify('pts_l2');

-- the ORDER BY ... LIMIT is an index scan
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM pts ORDER BY v <-> '[0,0,0,0,0,0,0,0]' LIMIT 10;

-- recall@10 over 20 queries against exact search (sequential scan)
CREATE FUNCTION recall(op text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
	hits int := 0;
	exact int[];
	found int;
	r record;
BEGIN
	FOR r IN SELECT qid, q FROM queries LOOP
		SET LOCAL enable_indexscan = off;
		SET LOCAL enable_seqscan = on;
		EXECUTE pg_catalog.format('SELECT array_agg(id) FROM (SELECT id FROM pts ORDER BY v %s $1 LIMIT 10) s', op)
			INTO exact USING r.q;
		SET LOCAL enable_indexscan = on;
		SET LOCAL enable_seqscan = off;
		EXECUTE pg_catalog.format('SELECT count(*) FROM (SELECT id FROM pts ORDER BY v %s $1 LIMIT 10) a
		                WHERE id = ANY ($2)', op) INTO found USING r.q, exact;
		hits := hits + found;
	END LOOP;
	RETURN hits / 200.0;
END $$;
SELECT recall('<->') >= 0.95 AS l2_recall_ok;

-- results come out best first with the operator's own value
SELECT bool_and(d >= prev) AS sorted, count(*)
FROM (SELECT d, lag(d, 1, 0::float8) OVER () AS prev
      FROM (SELECT v <-> '[0.1,0.2,0,0,0,0,0,0]' AS d FROM pts
            ORDER BY v <-> '[0.1,0.2,0,0,0,0,0,0]' LIMIT 40) s) t;

-- ef_search: SET and SET LOCAL, bounds
SET dllb.hnsw_ef_search = 200;
SELECT recall('<->') >= 0.99 AS l2_recall_ef200;
BEGIN;
SET LOCAL dllb.hnsw_ef_search = 10;
SHOW dllb.hnsw_ef_search;
COMMIT;
SHOW dllb.hnsw_ef_search;
SET dllb.hnsw_ef_search = 0;
SET dllb.hnsw_ef_search = 1001;
RESET dllb.hnsw_ef_search;

-- a filter keeping 1% of the rows still gets its LIMIT, and the same rows
-- as exact search
CREATE TABLE filtered AS
SELECT id FROM pts WHERE cat = 7 ORDER BY v <-> '[0.3,0.1,0,0.2,0,0,0,0]' LIMIT 10;
SELECT count(*) AS filtered_rows FROM filtered;
SET enable_indexscan = off;
SET enable_seqscan = on;
SELECT count(*) AS filtered_exact_matches
FROM (SELECT id FROM pts WHERE cat = 7 ORDER BY v <-> '[0.3,0.1,0,0.2,0,0,0,0]' LIMIT 10) e
WHERE id IN (SELECT id FROM filtered);
RESET enable_indexscan;
SET enable_seqscan = off;
-- even with a tiny visit budget the scan falls back to reading everything
SET dllb.hnsw_max_scan_tuples = 50;
SELECT count(*) AS tiny_budget_rows
FROM (SELECT id FROM pts WHERE cat = 7 ORDER BY v <-> '[0.3,0.1,0,0.2,0,0,0,0]' LIMIT 10) s;
RESET dllb.hnsw_max_scan_tuples;
-- an unbounded ordered scan returns every row exactly once
SELECT count(*), count(DISTINCT id) FROM (SELECT id FROM pts ORDER BY v <-> '[0,0,0,0,0,0,0,0]') s;

-- the other operator classes
CREATE INDEX pts_cos ON pts USING dllb_hnsw (v dllb.vector_cosine_ops);
CREATE INDEX pts_ip ON pts USING dllb_hnsw (v dllb.vector_ip_ops);
EXPLAIN (COSTS OFF) SELECT id FROM pts ORDER BY v <=> '[1,0,0,0,0,0,0,0]' LIMIT 10;
EXPLAIN (COSTS OFF) SELECT id FROM pts ORDER BY v <#> '[1,0,0,0,0,0,0,0]' LIMIT 10;
SELECT recall('<=>') >= 0.95 AS cosine_recall_ok, recall('<#>') >= 0.9 AS ip_recall_ok;
DROP INDEX pts_cos, pts_ip;

-- inserts after the build, deletes, VACUUM: the graph is repaired
INSERT INTO pts
SELECT i, i % 100,
       (SELECT array_agg((hashint4(i * 8 + k) % 10000) / 10000.0)::real[]
        FROM generate_series(1, 8) k)::dllb.vector
FROM generate_series(3001, 4000) i;
SELECT recall('<->') >= 0.95 AS recall_after_inserts;
DELETE FROM pts WHERE id % 2 = 0;
VACUUM pts;
SELECT "check", ok FROM dllb.hnsw_verify('pts_l2');
SELECT recall('<->') >= 0.95 AS recall_after_churn;
-- no deleted row comes back
SELECT count(*) FILTER (WHERE id % 2 = 0) AS deleted_seen, count(*)
FROM (SELECT id FROM pts ORDER BY v <-> '[0,0,0,0,0,0,0,0]') s;
DELETE FROM pts;
VACUUM pts;
SELECT "check", ok FROM dllb.hnsw_verify('pts_l2');
SELECT count(*) FROM (SELECT id FROM pts ORDER BY v <-> '[0,0,0,0,0,0,0,0]' LIMIT 5) s;
INSERT INTO pts VALUES (1, 1, '[1,2,3,4,5,6,7,8]'), (2, 1, '[1,2,3,4,5,6,7,9]');
SELECT id FROM pts ORDER BY v <-> '[1,2,3,4,5,6,7,9]' LIMIT 5;

-- NULL vectors are not indexed; a NULL query returns every row
INSERT INTO pts VALUES (3, 1, NULL);
SELECT count(*) FROM (SELECT id FROM pts ORDER BY v <-> NULL) s;
SELECT id FROM pts ORDER BY v <-> '[1,2,3,4,5,6,7,8]' LIMIT 5;

-- wrong dimensions
SELECT id FROM pts ORDER BY v <-> '[1,2,3]' LIMIT 1;
CREATE TABLE free_dims (v dllb.vector);
CREATE INDEX ON free_dims USING dllb_hnsw (v);
INSERT INTO free_dims VALUES ('[1,2,3]');
INSERT INTO free_dims VALUES ('[1,2]');
CREATE TABLE mixed_dims (v dllb.vector);
INSERT INTO mixed_dims VALUES ('[1,2,3]'), ('[1,2]');
CREATE INDEX ON mixed_dims USING dllb_hnsw (v);
CREATE TABLE wide (v dllb.vector(4000));
CREATE INDEX ON wide USING dllb_hnsw (v);

-- cosine leaves zero vectors out (their distance is undefined)
CREATE TABLE zeros (id int, v dllb.vector(2));
INSERT INTO zeros VALUES (1, '[0,0]'), (2, '[1,0]'), (3, '[0,1]');
CREATE INDEX ON zeros USING dllb_hnsw (v dllb.vector_cosine_ops);
INSERT INTO zeros VALUES (4, '[0,0]'), (5, '[1,1]');
SELECT id FROM zeros ORDER BY v <=> '[1,0.1]' LIMIT 3;

-- an index built on an empty table, then filled; an unlogged table
CREATE TABLE later (id int, v dllb.vector(2));
CREATE INDEX later_v ON later USING dllb_hnsw (v);
INSERT INTO later SELECT i, ARRAY[i, i % 7]::real[]::dllb.vector FROM generate_series(1, 300) i;
SELECT id FROM later ORDER BY v <-> '[150,3]' LIMIT 3;
SELECT bool_and(ok) FROM dllb.hnsw_verify('later_v');
CREATE UNLOGGED TABLE scratch (id int, v dllb.vector(2));
CREATE INDEX ON scratch USING dllb_hnsw (v);
INSERT INTO scratch VALUES (1, '[1,1]'), (2, '[2,2]');
SELECT id FROM scratch ORDER BY v <-> '[2,2]' LIMIT 1;

-- builds that outgrow maintenance_work_mem: 8-bit codes in memory and the
-- full vectors on disk, and past that the rest inserted one by one
CREATE TABLE big (id int PRIMARY KEY, v dllb.vector(64));
INSERT INTO big
SELECT i, (SELECT array_agg((hashint4(i * 64 + k) % 10000) / 10000.0)::real[]
           FROM generate_series(1, 64) k)::dllb.vector
FROM generate_series(1, 6000) i;
SET maintenance_work_mem = '1MB';
CREATE INDEX big_v ON big USING dllb_hnsw (v) WITH (m = 8, ef_construction = 32);
RESET maintenance_work_mem;
-- rows inserted one by one can be left without incoming links by pruning;
-- VACUUM links them
VACUUM big;
SELECT "check", ok FROM dllb.hnsw_verify('big_v');
SELECT count(*), count(DISTINCT id) FROM (SELECT id FROM big ORDER BY v <-> (SELECT v FROM big WHERE id = 1)) s;
-- each row's own vector finds that row first: the index holds the full
-- vectors, not the codes
SET dllb.hnsw_ef_search = 400;
SELECT count(*) AS found_itself
FROM big b
WHERE b.id <= 100
  AND (SELECT id FROM big ORDER BY v <-> b.v LIMIT 1) = b.id;
RESET dllb.hnsw_ef_search;
DROP TABLE big;

-- hnsw_verify refuses what is not a dllb_hnsw index
SELECT * FROM dllb.hnsw_verify('pts_pkey');
SELECT * FROM dllb.hnsw_verify('pts');

-- the operator classes pass amvalidate; a distance dllb_hnsw has no kernel
-- for is refused when the index is built
SELECT opcname, amvalidate(oid) FROM pg_opclass
WHERE opcmethod = (SELECT oid FROM pg_am WHERE amname = 'dllb_hnsw') ORDER BY 1;
\c - dllb_admin
CREATE OPERATOR CLASS l1_ops FOR TYPE dllb.vector USING dllb_hnsw AS
	OPERATOR 1 pg_catalog.<-> (dllb.vector, dllb.vector) FOR ORDER BY float_ops,
	FUNCTION 1 dllb.l1_distance(dllb.vector, dllb.vector);
SELECT amvalidate(oid) FROM pg_opclass WHERE opcname = 'l1_ops';
CREATE TABLE l1 (v dllb.vector(2));
CREATE INDEX ON l1 USING dllb_hnsw (v l1_ops);
DROP TABLE l1;
DROP OPERATOR CLASS l1_ops USING dllb_hnsw;
DROP OPERATOR FAMILY l1_ops USING dllb_hnsw;
\c - dllb_app

-- progress phases have names
SELECT amname, pg_indexam_progress_phasename(oid, 3) FROM pg_am WHERE amname = 'dllb_hnsw';

DROP TABLE pts, queries, filtered, free_dims, mixed_dims, wide, zeros, later, scratch;
DROP FUNCTION recall(text);
