-- test/bench/vector/report.sql: print what bench.sql and run.sh measured.
\set ON_ERROR_STOP on
SET search_path = bench_vector, public, dllb;
\pset footer off

\echo
\echo == recall@10 and queries per second
SELECT q.ef, round(r.value::numeric, 3) AS recall, round(q.qps::numeric) AS qps,
       round(rp.value::numeric, 3) AS pgvector_recall, round(qp.qps::numeric) AS pgvector_qps
FROM qps q
JOIN results r ON r.method = 'dllb' AND r.what = 'recall ef=' || q.ef
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

\echo == summary: pgvector measured in this run when installed, else the figures of issue 3 for pgvector 0.8 on this data set
WITH ref(what, value) AS (VALUES ('qps at recall 0.95', 750.0), ('qps at recall 0.99', 190.0),
                                 ('build s', 82.0), ('index MB', 213.0), ('inserts/s', 500.0)),
d AS (
	SELECT 'qps at recall ' || target AS what, qps AS dllb FROM at_recall WHERE method = 'dllb'
	UNION ALL SELECT what, value FROM results WHERE method = 'dllb' AND what IN ('build s', 'index MB', 'inserts/s')
),
p AS (
	SELECT 'qps at recall ' || target AS what, qps AS pgv FROM at_recall WHERE method = 'pgvector'
	UNION ALL SELECT what, value FROM results WHERE method = 'pgvector' AND what IN ('build s', 'index MB', 'inserts/s')
)
SELECT d.what, round(d.dllb::numeric, 1) AS dllb,
       round(coalesce(p.pgv, ref.value)::numeric, 1) AS pgvector,
       CASE WHEN p.pgv IS NULL THEN 'issue figures' ELSE 'this run' END AS pgvector_source,
       round((CASE WHEN d.what IN ('build s', 'index MB') THEN coalesce(p.pgv, ref.value) / d.dllb
                   ELSE d.dllb / coalesce(p.pgv, ref.value) END)::numeric, 2) AS x_better
FROM d LEFT JOIN p USING (what) LEFT JOIN ref USING (what)
ORDER BY 1;

\echo == index size against the raw vectors, exact search, filtered search
SELECT round((SELECT value FROM results WHERE what = 'index MB' AND method = 'dllb')::numeric, 1) AS index_mb,
       round((SELECT value FROM results WHERE what = 'raw MB')::numeric, 1) AS raw_vector_mb,
       round(((SELECT value FROM results WHERE what = 'index MB' AND method = 'dllb') /
              (SELECT value FROM results WHERE what = 'raw MB'))::numeric, 2) AS x_raw,
       round((SELECT value FROM results WHERE what = 'exact qps')::numeric, 1) AS seqscan_qps,
       round(((SELECT max(qps) FROM at_recall WHERE method = 'dllb' AND target = 0.95) /
              (SELECT value FROM results WHERE what = 'exact qps'))::numeric) AS x_seqscan_at_095;
SELECT method,
       max(value) FILTER (WHERE what = 'filtered min rows') AS min_rows_of_10,
       round(max(value) FILTER (WHERE what = 'filtered recall')::numeric, 3) AS recall,
       round(max(value) FILTER (WHERE what = 'filtered p50 ms')::numeric, 2) AS p50_ms,
       round(max(value) FILTER (WHERE what = 'filtered plain p50 ms')::numeric, 2) AS unfiltered_p50_ms,
       round((max(value) FILTER (WHERE what = 'filtered p50 ms') /
              max(value) FILTER (WHERE what = 'filtered plain p50 ms'))::numeric, 2) AS x_unfiltered
FROM results WHERE what LIKE 'filtered%' GROUP BY method ORDER BY method;
