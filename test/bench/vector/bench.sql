-- test/bench/vector/bench.sql: build, size, recall and exact search for
-- dllb_hnsw with quantization none and sq8 (and pgvector's hnsw when
-- :has_pgvector is 1); after.sql measures inserts and filtered search.
-- Results go to bench_vector.results; report.sql prints them.
\set ON_ERROR_STOP on
SET search_path = bench_vector, public, dllb;
SET client_min_messages = warning;
CREATE TABLE results (what text, method text, value float8);

-- recall@10 of ORDER BY v <-> q LIMIT 10 over the 1000 queries
CREATE FUNCTION recall(tbl text, qtbl text, guc text, ef int) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE r record; hits bigint := 0; got int[];
BEGIN
	PERFORM set_config(guc, ef::text, true);
	PERFORM set_config('enable_seqscan', 'off', true);
	-- the query vector by qid: its type differs between dllb and pgvector,
	-- and a PL/pgSQL expression keeps the type it was first planned with
	FOR r IN EXECUTE format('SELECT qid FROM %I', qtbl) LOOP
		EXECUTE format('SELECT array_agg(id) FROM (SELECT id FROM %I ORDER BY v <-> (SELECT q FROM %I WHERE qid = $1) LIMIT 10) s', tbl, qtbl)
			INTO got USING r.qid;
		hits := hits + (SELECT count(*) FROM gt WHERE gt.qid = r.qid AND gt.id = ANY (got));
	END LOOP;
	RETURN hits / 10000.0;
END $$;

-- filtered search: rows returned, recall against exact filtered search,
-- median latency of the filtered and of the unfiltered query (ms)
CREATE FUNCTION filtered(tbl text, qtbl text, guc text, ef int, nq int)
RETURNS TABLE (rows_min int, recall float8, p50_filtered float8, p50_plain float8)
LANGUAGE plpgsql AS $$
DECLARE r record; exact int[]; got int[]; hits bigint := 0; minrows int := 1000;
	t0 timestamptz; tf float8[] := '{}'; tp float8[] := '{}';
BEGIN
	PERFORM set_config(guc, ef::text, true);
	FOR r IN EXECUTE format('SELECT qid FROM %I ORDER BY qid LIMIT %s', qtbl, nq) LOOP
		PERFORM set_config('enable_indexscan', 'off', true);
		PERFORM set_config('enable_seqscan', 'on', true);
		EXECUTE format('SELECT array_agg(id) FROM (SELECT id FROM %I WHERE cat = 7 ORDER BY v <-> (SELECT q FROM %I WHERE qid = $1) LIMIT 10) s', tbl, qtbl)
			INTO exact USING r.qid;
		PERFORM set_config('enable_indexscan', 'on', true);
		PERFORM set_config('enable_seqscan', 'off', true);
		t0 := clock_timestamp();
		EXECUTE format('SELECT array_agg(id) FROM (SELECT id FROM %I WHERE cat = 7 ORDER BY v <-> (SELECT q FROM %I WHERE qid = $1) LIMIT 10) s', tbl, qtbl)
			INTO got USING r.qid;
		tf := tf || extract(epoch FROM clock_timestamp() - t0) * 1000;
		t0 := clock_timestamp();
		EXECUTE format('SELECT count(*) FROM (SELECT id FROM %I ORDER BY v <-> (SELECT q FROM %I WHERE qid = $1) LIMIT 10) s', tbl, qtbl) USING r.qid;
		tp := tp || extract(epoch FROM clock_timestamp() - t0) * 1000;
		minrows := least(minrows, coalesce(array_length(got, 1), 0));
		hits := hits + (SELECT count(*) FROM unnest(got) g WHERE g = ANY (exact));
	END LOOP;
	RETURN QUERY SELECT minrows, (hits / (nq * 10.0))::float8,
		(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(tf) x),
		(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(tp) x);
END $$;

-- exact search (sequential scan), 20 queries
CREATE FUNCTION exact_qps(tbl text, qtbl text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE r record; t0 timestamptz := clock_timestamp();
BEGIN
	PERFORM set_config('enable_indexscan', 'off', true);
	FOR r IN EXECUTE format('SELECT q FROM %I ORDER BY qid LIMIT 20', qtbl) LOOP
		EXECUTE format('SELECT count(*) FROM (SELECT id FROM %I ORDER BY v <-> $1 LIMIT 10) s', tbl) USING r.q;
	END LOOP;
	RETURN 20 / extract(epoch FROM clock_timestamp() - t0);
END $$;

SET maintenance_work_mem = '2GB';
SET max_parallel_maintenance_workers = 1;
INSERT INTO results SELECT 'raw MB', 'dllb', count(*) * 100 * 4 / 1048576.0 FROM base;
\echo == building dllb_hnsw (m = 16, ef_construction = 64, quantization = none)
SELECT clock_timestamp() AS t0 \gset
CREATE INDEX base_v ON base USING dllb_hnsw (v dllb.vector_l2_ops) WITH (m = 16, ef_construction = 64);
INSERT INTO results SELECT 'build s', 'dllb', extract(epoch FROM clock_timestamp() - :'t0');
INSERT INTO results SELECT 'index MB', 'dllb', pg_relation_size('base_v') / 1048576.0;
\echo == building dllb_hnsw (m = 16, ef_construction = 64, quantization = sq8) on a copy
CREATE TABLE base_sq8 (id int PRIMARY KEY, cat int NOT NULL, v dllb.vector(100));
INSERT INTO base_sq8 SELECT * FROM base;
VACUUM ANALYZE base_sq8;
SELECT clock_timestamp() AS t0 \gset
CREATE INDEX base_sq8_v ON base_sq8 USING dllb_hnsw (v dllb.vector_l2_ops)
	WITH (m = 16, ef_construction = 64, quantization = sq8);
INSERT INTO results SELECT 'build s', 'dllb_sq8', extract(epoch FROM clock_timestamp() - :'t0');
INSERT INTO results SELECT 'index MB', 'dllb_sq8', pg_relation_size('base_sq8_v') / 1048576.0;
\if :has_pgvector
\echo == building pgvector hnsw (m = 16, ef_construction = 64)
SELECT clock_timestamp() AS t0 \gset
CREATE INDEX pgv_base_v ON pgv_base USING hnsw (v vector_l2_ops) WITH (m = 16, ef_construction = 64);
INSERT INTO results SELECT 'build s', 'pgvector', extract(epoch FROM clock_timestamp() - :'t0');
INSERT INTO results SELECT 'index MB', 'pgvector', pg_relation_size('pgv_base_v') / 1048576.0;
\endif
-- with DLLB_BENCH_ROUNDS > 1, dllb (none) and pgvector are built once
-- more, alternating; the report takes each one's faster build
\if :rebuild
\echo == building dllb_hnsw (none) and pgvector hnsw once more
DROP INDEX base_v;
SELECT clock_timestamp() AS t0 \gset
CREATE INDEX base_v ON base USING dllb_hnsw (v dllb.vector_l2_ops) WITH (m = 16, ef_construction = 64);
INSERT INTO results SELECT 'build s', 'dllb', extract(epoch FROM clock_timestamp() - :'t0');
\if :has_pgvector
DROP INDEX pgv_base_v;
SELECT clock_timestamp() AS t0 \gset
CREATE INDEX pgv_base_v ON pgv_base USING hnsw (v vector_l2_ops) WITH (m = 16, ef_construction = 64);
INSERT INTO results SELECT 'build s', 'pgvector', extract(epoch FROM clock_timestamp() - :'t0');
\endif
\endif

\echo == recall@10 for ef_search 10..400
INSERT INTO results SELECT 'recall ef=' || ef, 'dllb', recall('base', 'queries', 'dllb.hnsw_ef_search', ef)
FROM unnest(ARRAY[10, 20, 40, 80, 120, 200, 400]) ef;
INSERT INTO results SELECT 'recall ef=' || ef, 'dllb_sq8', recall('base_sq8', 'queries', 'dllb.hnsw_ef_search', ef)
FROM unnest(ARRAY[10, 20, 40, 80, 120, 200, 400]) ef;
\if :has_pgvector
INSERT INTO results SELECT 'recall ef=' || ef, 'pgvector', recall('pgv_base', 'pgv_queries', 'hnsw.ef_search', ef)
FROM unnest(ARRAY[10, 20, 40, 80, 120, 200, 400]) ef;
\endif

\echo == exact search by sequential scan
INSERT INTO results SELECT 'exact qps', 'postgres', exact_qps('base', 'queries');
