-- test/bench/vector/report.sql: print what bench.sql, run.sh and after.sql
-- measured: dllb_hnsw with quantization none (dllb) and sq8 (dllb_sq8), and
-- pgvector's hnsw when it was installed.
\set ON_ERROR_STOP on
SET search_path = bench_vector, public, dllb;
\pset footer off

\echo
\echo == recall@10 and queries per second, by ef_search
SELECT q.ef,
       round(r.value::numeric, 3) AS recall, round(q.qps::numeric) AS qps,
       round(rs.value::numeric, 3) AS sq8_recall, round(qs.qps::numeric) AS sq8_qps,
       round(rp.value::numeric, 3) AS pgvector_recall, round(qp.qps::numeric) AS pgvector_qps
FROM qps q
JOIN results r ON r.method = 'dllb' AND r.what = 'recall ef=' || q.ef
LEFT JOIN results rs ON rs.method = 'dllb_sq8' AND rs.what = 'recall ef=' || q.ef
LEFT JOIN qps qs ON qs.method = 'dllb_sq8' AND qs.ef = q.ef
LEFT JOIN results rp ON rp.method = 'pgvector' AND rp.what = 'recall ef=' || q.ef
LEFT JOIN qps qp ON qp.method = 'pgvector' AND qp.ef = q.ef
WHERE q.method = 'dllb' ORDER BY q.ef;

-- queries per second at a recall target: the fastest setting reaching it
CREATE TEMP VIEW at_recall AS
SELECT t.target, q.method, max(q.qps) AS qps
FROM (VALUES (0.95), (0.99)) t(target)
JOIN qps q ON true
JOIN results r ON r.method = q.method AND r.what = 'recall ef=' || q.ef
WHERE r.value >= t.target
GROUP BY 1, 2;

\echo == summary (x_pgvector: how many times better than pgvector, measured in this run; first query: median of 5 new sessions)
WITH m AS (
	SELECT 'qps at recall ' || target AS what, method, qps AS value FROM at_recall
	UNION ALL SELECT what, method, value FROM results
	WHERE what IN ('index MB', 'inserts/s')
	UNION ALL SELECT what, method, min(value) FROM results
	WHERE what = 'build s' GROUP BY 1, 2
	UNION ALL SELECT what, method, percentile_cont(0.5) WITHIN GROUP (ORDER BY value)
	FROM results WHERE what IN ('first query ms', 'second query ms') GROUP BY 1, 2
	UNION ALL SELECT 'index / raw vectors', i.method, i.value / r.value
	FROM results i JOIN results r ON r.what = 'raw MB' WHERE i.what = 'index MB'
)
SELECT what,
       round(max(value) FILTER (WHERE method = 'dllb')::numeric, 2) AS dllb,
       round(max(value) FILTER (WHERE method = 'dllb_sq8')::numeric, 2) AS dllb_sq8,
       round(max(value) FILTER (WHERE method = 'pgvector')::numeric, 2) AS pgvector,
       round((CASE WHEN what LIKE 'qps%' OR what = 'inserts/s'
                   THEN max(value) FILTER (WHERE method = 'dllb') / max(value) FILTER (WHERE method = 'pgvector')
                   ELSE max(value) FILTER (WHERE method = 'pgvector') / max(value) FILTER (WHERE method = 'dllb') END)::numeric, 2) AS x_pgvector,
       round((CASE WHEN what LIKE 'qps%' OR what = 'inserts/s'
                   THEN max(value) FILTER (WHERE method = 'dllb_sq8') / max(value) FILTER (WHERE method = 'pgvector')
                   ELSE max(value) FILTER (WHERE method = 'pgvector') / max(value) FILTER (WHERE method = 'dllb_sq8') END)::numeric, 2) AS sq8_x_pgvector
FROM m GROUP BY what ORDER BY what;

\echo == exact search by sequential scan
SELECT round((SELECT value FROM results WHERE what = 'exact qps')::numeric, 1) AS seqscan_qps,
       round((SELECT value FROM results WHERE what = 'raw MB')::numeric, 1) AS raw_vector_mb,
       round(((SELECT max(qps) FROM at_recall WHERE method = 'dllb' AND target = 0.95) /
              (SELECT value FROM results WHERE what = 'exact qps'))::numeric) AS x_seqscan_at_095;

\echo == filtered search, 1% of rows (dllb: cat as the filter column of its index; pgvector: iterative scan)
SELECT method,
       max(value) FILTER (WHERE what = 'filtered min rows') AS min_rows_of_10,
       round(max(value) FILTER (WHERE what = 'filtered recall')::numeric, 3) AS recall,
       round(max(value) FILTER (WHERE what = 'filtered p50 ms')::numeric, 2) AS p50_ms,
       round(max(value) FILTER (WHERE what = 'filtered plain p50 ms')::numeric, 2) AS unfiltered_p50_ms,
       round((max(value) FILTER (WHERE what = 'filtered p50 ms') /
              max(value) FILTER (WHERE what = 'filtered plain p50 ms'))::numeric, 2) AS x_unfiltered
FROM results WHERE what LIKE 'filtered%' GROUP BY method ORDER BY method;
SELECT what, round(value::numeric, 1) AS dllb FROM results
WHERE what LIKE '% (filter column)' ORDER BY what;
