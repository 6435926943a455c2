-- test/bench/graph/load.sql: build the benchmark tables from
-- bench_graph.edges_raw(src text, dst text), all in one random arrival
-- order (setseed), so heap and dllb tables see the same insert stream.
--   bench_graph.heap_edge  plain heap table, btree (src, dst), (dst, src):
--                          what the recursive CTE and plpgsql BFS read
--   bench_graph.bench_e    dllb edge table (dllb.create_edge_table: USING
--                          dllb, clustered on "in")
--   bench_graph.bench_e_heap  the same edge table on heap, for placement
\set ON_ERROR_STOP on
SET search_path = bench_graph, public, dllb;
SET client_min_messages = warning;
SELECT setseed(0.42);
CREATE TABLE arrival AS SELECT src, dst, random() AS r FROM edges_raw;
CREATE TABLE heap_edge (src text NOT NULL, dst text NOT NULL);
INSERT INTO heap_edge SELECT src, dst FROM arrival ORDER BY r;
CREATE INDEX heap_edge_src_dst ON heap_edge (src, dst);
CREATE INDEX heap_edge_dst_src ON heap_edge (dst, src);

SELECT dllb.create_table('v');
SELECT dllb.create_edge_table('bench_e');
\timing on
INSERT INTO bench_e (id, "in", out)
SELECT dllb.record('bench_e', row_number() OVER (ORDER BY r)),
       dllb.record('v', src), dllb.record('v', dst)
FROM arrival ORDER BY r;
\timing off
CREATE TABLE bench_e_heap (LIKE bench_e INCLUDING ALL) USING heap;
INSERT INTO bench_e_heap SELECT * FROM bench_e ORDER BY dllb.key(id)::bigint;
VACUUM ANALYZE heap_edge;
VACUUM ANALYZE bench_e;
VACUUM ANALYZE bench_e_heap;
SELECT (SELECT count(*) FROM heap_edge) AS edges,
       (SELECT count(DISTINCT src) FROM (SELECT src FROM heap_edge UNION SELECT dst FROM heap_edge) s) AS vertices,
       pg_size_pretty(pg_relation_size('bench_e')) AS dllb_table,
       pg_size_pretty(pg_relation_size('bench_e_heap')) AS heap_table;
