-- test/bench/graph/bench.sql: k-hop expansion and shortest path, dllb's C
-- traversal against a recursive CTE and a plpgsql BFS (visited set in
-- arrays) over plain heap tables with btree indexes, all in one session,
-- answers compared.
-- psql variables: starts (a SQL query returning the start vertex names).
\set ON_ERROR_STOP on
SET search_path = bench_graph, public, dllb;
SET client_min_messages = warning;
SET work_mem = '256MB';

-- plpgsql BFS with its visited set in arrays (no temp table): each level is
-- one statement over the btree (src = ANY (frontier)), the new vertices
-- found by a hashed EXCEPT against the visited array.  The number of
-- vertices within k hops.
CREATE OR REPLACE FUNCTION bfs_count(s text, dir text, k int) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	visited text[] := ARRAY[s];
	frontier text[] := ARRAY[s];
	d int := 0;
BEGIN
	WHILE d < k AND cardinality(frontier) > 0 LOOP
		IF dir = 'out' THEN
			SELECT coalesce(array_agg(x), '{}') INTO frontier FROM (
				SELECT e.dst AS x FROM heap_edge e WHERE e.src = ANY (frontier)
				EXCEPT SELECT unnest(visited)) n;
		ELSE
			SELECT coalesce(array_agg(x), '{}') INTO frontier FROM (
				SELECT e.src AS x FROM heap_edge e WHERE e.dst = ANY (frontier)
				EXCEPT SELECT unnest(visited)) n;
		END IF;
		visited := visited || frontier;
		d := d + 1;
	END LOOP;
	RETURN cardinality(visited) - 1;
END $$;

-- the same BFS, undirected, until it meets t: the shortest path's length,
-- -1 when unreachable within maxd
CREATE OR REPLACE FUNCTION bfs_path_len(s text, t text, maxd int) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
	visited text[] := ARRAY[s];
	frontier text[] := ARRAY[s];
	d int := 0;
BEGIN
	IF s = t THEN RETURN 0; END IF;
	WHILE d < maxd AND cardinality(frontier) > 0 LOOP
		SELECT coalesce(array_agg(x), '{}') INTO frontier FROM (
			SELECT e.dst AS x FROM heap_edge e WHERE e.src = ANY (frontier)
			UNION SELECT e.src FROM heap_edge e WHERE e.dst = ANY (frontier)
			EXCEPT SELECT unnest(visited)) n;
		d := d + 1;
		IF t = ANY (frontier) THEN RETURN d; END IF;
		visited := visited || frontier;
	END LOOP;
	RETURN -1;
END $$;

CREATE TABLE IF NOT EXISTS results (method text, what text, vertex text, ms float8, answer bigint);
TRUNCATE results;

CREATE OR REPLACE FUNCTION timed(q text, s text, OUT ms float8, OUT answer bigint)
LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz;
BEGIN
	t0 := clock_timestamp();
	EXECUTE q INTO answer USING s;
	ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
END $$;

CREATE OR REPLACE FUNCTION run_expansions(starts text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE s text; dir text; k int; r record; what text;
BEGIN
	FOREACH s IN ARRAY starts LOOP
		FOREACH dir IN ARRAY ARRAY['out', 'in'] LOOP
			FOR k IN 1..3 LOOP
				what := k || '-hop ' || dir;
				r := timed(format('SELECT count(*) FROM dllb.traverse(dllb.record(''v'', $1), ''bench_e'', %L, 1, %s)', dir, k), s);
				INSERT INTO results VALUES ('dllb', what, s, r.ms, r.answer);
				r := timed(format(
					'WITH RECURSIVE r(node, depth) AS (SELECT $1, 0 UNION '
					'SELECT e.%1$s, r.depth + 1 FROM r JOIN heap_edge e ON e.%2$s = r.node WHERE r.depth < %3$s) '
					'SELECT count(DISTINCT node) FROM r WHERE node <> $1',
					CASE dir WHEN 'out' THEN 'dst' ELSE 'src' END,
					CASE dir WHEN 'out' THEN 'src' ELSE 'dst' END, k), s);
				INSERT INTO results VALUES ('cte', what, s, r.ms, r.answer);
				r := timed(format('SELECT bfs_count($1, %L, %s)', dir, k), s);
				INSERT INTO results VALUES ('plpgsql', what, s, r.ms, r.answer);
			END LOOP;
		END LOOP;
	END LOOP;
END $$;

CREATE OR REPLACE FUNCTION run_paths(starts text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE i int; s text; t text; r record; len bigint;
BEGIN
	FOR i IN 1..array_length(starts, 1) LOOP
		s := starts[i];
		t := starts[i % array_length(starts, 1) + 1];
		r := timed(format('SELECT coalesce(array_length(dllb.shortest_path(dllb.record(''v'', $1), dllb.record(''v'', %L), ''bench_e'', ''both'', 32), 1) - 1, -1)', t), s);
		INSERT INTO results VALUES ('dllb', 'shortest path', s, r.ms, r.answer);
		len := r.answer;
		r := timed(format('SELECT bfs_path_len($1, %L, 32)', t), s);
		INSERT INTO results VALUES ('plpgsql', 'shortest path', s, r.ms, r.answer);
		-- the CTE is told the answer's depth (so it terminates): generous to it
		IF len BETWEEN 1 AND 4 THEN
			r := timed(format(
				'WITH RECURSIVE r(node, depth) AS (SELECT $1, 0 UNION '
				'SELECT x, r.depth + 1 FROM r CROSS JOIN LATERAL ('
				'SELECT e.dst AS x FROM heap_edge e WHERE e.src = r.node UNION ALL '
				'SELECT e.src FROM heap_edge e WHERE e.dst = r.node) n WHERE r.depth < %s) '
				'SELECT coalesce(min(depth), -1) FROM r WHERE node = %L', len, t), s);
			INSERT INTO results VALUES ('cte', 'shortest path', s, r.ms, r.answer);
		END IF;
	END LOOP;
END $$;

-- the harness's own cost: the same EXECUTE of a trivial query
CREATE OR REPLACE FUNCTION run_floor(starts text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE s text; r record;
BEGIN
	FOREACH s IN ARRAY starts LOOP
		r := timed('SELECT count(*) FROM (SELECT $1) x', s);
		INSERT INTO results VALUES ('floor', 'harness floor', s, r.ms, r.answer);
	END LOOP;
END $$;

\echo running expansions (200 starts x out/in x 1..3 hops x 3 methods) ...
SELECT run_floor(ARRAY(:starts));
SELECT run_expansions(ARRAY(:starts));
\echo running shortest paths (200 pairs, both directions) ...
SELECT run_paths(ARRAY(:starts));

\echo
\echo == answers: rows where a method disagrees with dllb (must be 0)
SELECT b.method, b.what, count(*) AS mismatches
FROM results a JOIN results b USING (what, vertex)
WHERE a.method = 'dllb' AND b.method <> 'dllb' AND a.answer <> b.answer
GROUP BY 1, 2 ORDER BY 2, 1;

\echo == the harness alone (EXECUTE of a trivial query, ms): part of every figure below
SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 3) AS floor_median
FROM results WHERE method = 'floor';

\echo == per query (ms): median and p95 per method, and how many times faster dllb is
SELECT what,
       count(*) FILTER (WHERE method = 'dllb') AS n,
       round(avg(answer) FILTER (WHERE method = 'dllb'), 1) AS avg_answer,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE method = 'dllb')::numeric, 3) AS dllb_med,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE method = 'cte')::numeric, 3) AS cte_med,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE method = 'plpgsql')::numeric, 3) AS plpgsql_med,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) FILTER (WHERE method = 'dllb')::numeric, 3) AS dllb_p95,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) FILTER (WHERE method = 'cte')::numeric, 3) AS cte_p95,
       round((sum(ms) FILTER (WHERE method = 'cte' AND vertex IN (SELECT vertex FROM results WHERE method = 'cte' AND what = r.what)) /
              nullif(sum(ms) FILTER (WHERE method = 'dllb' AND vertex IN (SELECT vertex FROM results WHERE method = 'cte' AND what = r.what)), 0))::numeric, 1) AS x_vs_cte_total,
       round((sum(ms) FILTER (WHERE method = 'plpgsql') / nullif(sum(ms) FILTER (WHERE method = 'dllb'), 0))::numeric, 1) AS x_vs_plpgsql_total
FROM results r WHERE method <> 'floor' GROUP BY what ORDER BY what;

\echo == per query: the worst and the median of (CTE time / dllb time) over the start vertices
SELECT a.what,
       round(min(b.ms / a.ms)::numeric, 1) AS worst_x_vs_cte,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms / a.ms))::numeric, 1) AS median_x_vs_cte
FROM results a JOIN results b USING (what, vertex)
WHERE a.method = 'dllb' AND b.method = 'cte'
GROUP BY 1 ORDER BY 1;
