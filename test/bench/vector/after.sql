-- test/bench/vector/after.sql: what bench.sql and the queries-per-second
-- runs leave to measure last, because it changes the tables: single-row
-- inserts, then filtered search with the filter column in the index.
\set ON_ERROR_STOP on
SET search_path = bench_vector, public, dllb;
SET client_min_messages = warning;
SET maintenance_work_mem = '2GB';
SET max_parallel_maintenance_workers = 1;

\echo == single-row inserts (the 1000 held-out queries, one commit each)
CREATE PROCEDURE insert_rows(tbl text, qtbl text) LANGUAGE plpgsql AS $$
DECLARE r record; t0 timestamptz := clock_timestamp();
BEGIN
	FOR r IN EXECUTE format('SELECT qid FROM %I', qtbl) LOOP
		EXECUTE format('INSERT INTO %I SELECT 10000000 + qid, 0, q FROM %I WHERE qid = $1', tbl, qtbl) USING r.qid;
		COMMIT;
	END LOOP;
	INSERT INTO results VALUES ('inserts/s', CASE tbl WHEN 'base' THEN 'dllb' WHEN 'base_sq8' THEN 'dllb_sq8' ELSE 'pgvector' END,
		1000 / extract(epoch FROM clock_timestamp() - t0));
	COMMIT;
END $$;
CALL insert_rows('base', 'queries');
CALL insert_rows('base_sq8', 'queries');
\if :has_pgvector
CALL insert_rows('pgv_base', 'pgv_queries');
DELETE FROM pgv_base WHERE id >= 10000000;
\endif
DELETE FROM base WHERE id >= 10000000;
DELETE FROM base_sq8 WHERE id >= 10000000;
VACUUM base;
VACUUM base_sq8;
SELECT 'base_v' AS index, "check", ok, detail FROM dllb.hnsw_verify('base_v') WHERE NOT ok;
SELECT 'base_sq8_v' AS index, "check", ok, detail FROM dllb.hnsw_verify('base_sq8_v') WHERE NOT ok;

\echo == filtered search, 1% of rows match (100 queries): dllb with cat as the filter column of its index
DROP INDEX base_v;
SELECT clock_timestamp() AS t0 \gset
CREATE INDEX base_vf ON base USING dllb_hnsw (v dllb.vector_l2_ops, cat) WITH (m = 16, ef_construction = 64);
INSERT INTO results SELECT 'build s (filter column)', 'dllb', extract(epoch FROM clock_timestamp() - :'t0');
INSERT INTO results SELECT 'index MB (filter column)', 'dllb', pg_relation_size('base_vf') / 1048576.0;
ANALYZE base;
INSERT INTO results SELECT 'filtered ' || k, 'dllb', v
FROM filtered('base', 'queries', 'dllb.hnsw_ef_search', 40, 100) f,
     LATERAL (VALUES ('min rows', f.rows_min::float8), ('recall', f.recall),
                     ('p50 ms', f.p50_filtered), ('plain p50 ms', f.p50_plain)) AS x(k, v);
-- the same walk without widening its bound for a selective filter (as
-- before issue 14's adaptive ef): what the widening buys and costs
SET dllb.hnsw_debug_filter_widen = off;
INSERT INTO results SELECT 'filtered ' || k, 'dllb_fixed_ef', v
FROM filtered('base', 'queries', 'dllb.hnsw_ef_search', 40, 100) f,
     LATERAL (VALUES ('min rows', f.rows_min::float8), ('recall', f.recall),
                     ('p50 ms', f.p50_filtered), ('plain p50 ms', f.p50_plain)) AS x(k, v);
RESET dllb.hnsw_debug_filter_widen;
\if :has_pgvector
SET hnsw.iterative_scan = relaxed_order;
INSERT INTO results SELECT 'filtered ' || k, 'pgvector', v
FROM filtered('pgv_base', 'pgv_queries', 'hnsw.ef_search', 40, 100) f,
     LATERAL (VALUES ('min rows', f.rows_min::float8), ('recall', f.recall),
                     ('p50 ms', f.p50_filtered), ('plain p50 ms', f.p50_plain)) AS x(k, v);
RESET hnsw.iterative_scan;
\endif
