-- test/bench/fulltext/report.sql: print what run.sh measured as one table.
-- Ratios are "times better for dllb": the other engine's figure over
-- dllb's where lower is better (latency, build time, size), dllb's over the
-- other's where higher is better (queries/s, updates/s).
\set ON_ERROR_STOP on
SET search_path = bench_fulltext, public, dllb;
\pset footer off
\pset null '-'

SELECT count(*) > 0 AS have_errors FROM errors \gset
\if :have_errors
\echo
\echo == statements that failed
SELECT engine, step, error FROM errors ORDER BY engine, step;
\endif

CREATE TEMP TABLE summary (ord serial, metric text, lower_better bool,
	dllb float8, gin float8, rum float8, target text);
CREATE TEMP VIEW band_stats AS
SELECT engine, band,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95
FROM lat GROUP BY engine, band;
CREATE TEMP VIEW r AS
SELECT what, max(value) FILTER (WHERE engine = 'dllb') AS dllb,
       max(value) FILTER (WHERE engine = 'gin') AS gin,
       max(value) FILTER (WHERE engine = 'rum') AS rum
FROM results GROUP BY what;

INSERT INTO summary (metric, lower_better, dllb, gin, rum, target)
SELECT b.band || ' ' || s.stat || ' ms', true,
       max(CASE s.stat WHEN 'p50' THEN p50 ELSE p95 END) FILTER (WHERE engine = 'dllb'),
       max(CASE s.stat WHEN 'p50' THEN p50 ELSE p95 END) FILTER (WHERE engine = 'gin'),
       max(CASE s.stat WHEN 'p50' THEN p50 ELSE p95 END) FILTER (WHERE engine = 'rum'),
       CASE b.band || ' ' || s.stat
            WHEN 'common1 p50' THEN '>= 25x GIN, >= 4x RUM'
            WHEN 'multi4 p50' THEN '>= 15x GIN'
            WHEN 'rare1 p50' THEN 'never slower than GIN'
            WHEN 'rare1 p95' THEN 'never slower than GIN' END
FROM (VALUES (1, 'rare1'), (2, 'mid1'), (3, 'common1'), (4, 'multi2'), (5, 'multi3'), (6, 'multi4')) b(o, band)
CROSS JOIN (VALUES (1, 'p50'), (2, 'p95')) s(o, stat)
LEFT JOIN band_stats bs ON bs.band = b.band AND bs.engine IN ('dllb', 'gin', 'rum')
GROUP BY b.o, b.band, s.o, s.stat ORDER BY b.o, s.o;

-- per query against GIN: slower on a rare word, a different number of rows
-- (the three engines find the same matches, so the counts should agree)
CREATE TEMP VIEW vs_gin AS
SELECT e.engine,
       count(*) FILTER (WHERE e.band = 'rare1' AND e.ms > g.ms) AS rare_slower,
       count(*) FILTER (WHERE e.nrows <> g.nrows) AS rows_differ
FROM lat e JOIN lat g ON g.qid = e.qid AND g.engine = 'gin'
WHERE e.engine IN ('dllb', 'rum') GROUP BY e.engine;
INSERT INTO summary (metric, lower_better, dllb, gin, rum, target)
SELECT 'rare1 queries slower than GIN', NULL::bool,
       (SELECT rare_slower FROM vs_gin WHERE engine = 'dllb'), NULL::float8,
       (SELECT rare_slower FROM vs_gin WHERE engine = 'rum'), '0 (dllb)'
UNION ALL
SELECT 'queries returning fewer/more rows than GIN', NULL,
       (SELECT rows_differ FROM vs_gin WHERE engine = 'dllb'), NULL::float8,
       (SELECT rows_differ FROM vs_gin WHERE engine = 'rum'), '0 (same OR semantics)';

INSERT INTO summary (metric, lower_better, dllb, gin, rum, target)
SELECT 'queries/s, all 200, one client', false, dllb, gin, rum, '>= 600/s, >= 7x RUM'
FROM r WHERE what = 'qps'
UNION ALL
SELECT 'build s (dllb positions on)', true, dllb, gin, rum, '<= GIN expression build'
FROM r WHERE what = 'build s'
UNION ALL
SELECT 'build s (dllb positions off)', true, (SELECT dllb FROM r WHERE what = 'build s nopos'), gin, rum, NULL
FROM r WHERE what = 'build s'
UNION ALL
SELECT 'index MB (dllb positions off)', true, (SELECT dllb FROM r WHERE what = 'index MB nopos'), gin, rum, '<= GIN'
FROM r WHERE what = 'index MB'
UNION ALL
SELECT 'index MB (dllb positions on)', true, dllb, gin, rum, '<= RUM'
FROM r WHERE what = 'index MB'
UNION ALL
SELECT 'UPDATE rows/s, one client', false, dllb, gin, rum, '>= 0.5x GIN'
FROM r WHERE what = 'update/s'
UNION ALL
SELECT 'UPDATE rows/s with 16 readers', false, dllb, gin, rum, NULL
FROM r WHERE what = 'update/s with readers'
UNION ALL
SELECT 'writer rate with 16 readers, % of alone', false,
       100 * w.dllb / nullif(a.dllb, 0), 100 * w.gin / nullif(a.gin, 0), NULL, '>= 50% (dllb)'
FROM r w, r a WHERE w.what = 'update/s with readers' AND a.what = 'update/s'
UNION ALL
SELECT 'readers queries/s (16 clients, with the writer)', false, dllb, gin, rum, NULL
FROM r WHERE what = 'reader qps';

INSERT INTO summary (metric, lower_better, dllb, gin, rum, target)
SELECT 'common1 p50 ms, WHERE cat = 7 (1%)', true,
       (SELECT p50 FROM band_stats WHERE engine = 'dllb_cat'),
       (SELECT p50 FROM band_stats WHERE engine = 'gin_cat'), NULL::float8, NULL::text
UNION ALL
SELECT 'filtered p50 / unfiltered p50 (common1)', NULL,
       (SELECT p50 FROM band_stats WHERE engine = 'dllb_cat') /
       (SELECT p50 FROM band_stats WHERE engine = 'dllb' AND band = 'common1'),
       (SELECT p50 FROM band_stats WHERE engine = 'gin_cat') /
       (SELECT p50 FROM band_stats WHERE engine = 'gin' AND band = 'common1'),
       NULL, '<= 2 (dllb)'
UNION ALL
SELECT 'filtered: fewest rows returned of 10', NULL,
       (SELECT min(nrows) FROM lat WHERE engine = 'dllb_cat'),
       (SELECT min(nrows) FROM lat WHERE engine = 'gin_cat'), NULL, NULL;

\echo
\echo == summary (x GIN, x RUM: times better for dllb; targets printed, not checked)
SELECT metric,
       round(dllb::numeric, d) AS dllb, round(gin::numeric, d) AS gin, round(rum::numeric, d) AS rum,
       round((CASE WHEN lower_better THEN gin / nullif(dllb, 0) WHEN NOT lower_better THEN dllb / nullif(gin, 0) END)::numeric, 2) AS "x GIN",
       round((CASE WHEN lower_better THEN rum / nullif(dllb, 0) WHEN NOT lower_better THEN dllb / nullif(rum, 0) END)::numeric, 2) AS "x RUM",
       target
FROM summary,
     LATERAL (SELECT CASE WHEN metric LIKE '% ms%' OR metric LIKE '%/ unfiltered%' THEN 2
                          WHEN metric LIKE 'build s%' OR metric LIKE 'index MB%' THEN 1 ELSE 0 END AS d) p
ORDER BY ord;
