-- test/bench/codeintel/bench.sql: the two showcase queries of
-- doc/codeintel.md over 100 start functions, timed in one session.
--   q1: functions like the start that mention a word of its name and call
--       one of its callees, ranked by 0.6 similarity + 0.4 BM25
--   q2: functions like the start in files that include one of the headers
--       its file includes
-- Each through dllb.query, and the same question in hand-written SQL over
-- the same indexes; the exact answer (no HNSW) gives the recall.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE TEMP TABLE starts AS
SELECT n.id, n.name, n.embedding::text::jsonb AS vec,
	(SELECT lower(m[1]) FROM regexp_matches(n.name, '([A-Za-z]{3,})', 'g') m LIMIT 1) AS word,
	(SELECT t.name FROM calls c JOIN ast_node t ON t.id = c.out WHERE c."in" = n.id
	 ORDER BY md5(t.name) LIMIT 1) AS callee,
	(SELECT h.qname FROM contains c JOIN includes i ON i."in" = c."in" JOIN ast_node h ON h.id = i.out
	 WHERE c.out = n.id ORDER BY md5(h.qname) LIMIT 1) AS header
FROM ast_node n
WHERE n.kind = 'function' AND n.embedding IS NOT NULL
ORDER BY md5(n.id::text);
DELETE FROM starts WHERE word IS NULL OR callee IS NULL OR header IS NULL;
DELETE FROM starts WHERE id NOT IN (SELECT id FROM starts ORDER BY md5(id::text) LIMIT 100);

CREATE TEMP TABLE results (q text, how text, start dllb.record, ms float8, rows int, names text[]);

CREATE FUNCTION pg_temp.timed(how text, q text, s starts) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	names text[];
	params jsonb := jsonb_build_object('v', s.vec, 'w', s.word, 'c', s.callee, 'h', s.header);
BEGIN
	t0 := clock_timestamp();
	IF how = 'dialect' THEN
		SELECT array_agg(result->>'name') INTO names FROM dllb.query(
			CASE q WHEN 'q1' THEN $q$
				SELECT name, 1 - vector::distance::knn() AS similarity, search::score(1) AS ft_score
				FROM ast_node
				WHERE kind = 'function' AND embedding <|20,100|> $v
				  AND source_text @1@ $w AND ->calls->ast_node[WHERE name = $c]
				ORDER BY similarity * 0.6 + ft_score * 0.4 DESC LIMIT 10$q$
			ELSE $q$
				SELECT name, 1 - vector::distance::knn() AS similarity
				FROM ast_node
				WHERE kind = 'function' AND embedding <|20,100|> $v
				  AND <-contains<-ast_node->includes->ast_node[WHERE qname = $h]
				ORDER BY similarity DESC LIMIT 10$q$ END, params);
	ELSIF how = 'sql' THEN
		-- the same question by hand over the same indexes
		IF q = 'q1' THEN
			-- the 20 nearest, the best 10 of them by the mix (as the statement)
			SELECT (array_agg(name ORDER BY (1 - d) * 0.6 + dllb.score(source_text, s.word::dllb.bm25query, 'ast_node_source_text'::regclass) * 0.4 DESC))[1:10]
			INTO names FROM (
				SELECT n.name, n.source_text, n.embedding <=> s.vec::text::dllb.vector AS d
				FROM ast_node n
				WHERE n.kind = 'function' AND n.source_text @@@ s.word::dllb.bm25query
				  AND EXISTS (SELECT 1 FROM calls c JOIN ast_node t ON t.id = c.out
				              WHERE c."in" = n.id AND t.name = s.callee)
				ORDER BY n.embedding <=> s.vec::text::dllb.vector LIMIT 20) x;
		ELSE
			SELECT array_agg(name ORDER BY d) INTO names FROM (
				SELECT n.name, n.embedding <=> s.vec::text::dllb.vector AS d
				FROM ast_node n
				WHERE n.kind = 'function'
				  AND EXISTS (SELECT 1 FROM contains c JOIN includes i ON i."in" = c."in"
				              JOIN ast_node h ON h.id = i.out
				              WHERE c.out = n.id AND h.qname = s.header)
				ORDER BY n.embedding <=> s.vec::text::dllb.vector LIMIT 10) x;
		END IF;
	ELSIF how = 'exact' THEN
		-- the exact answer: every function that passes, by the distance
		-- function (which no index serves), found from the callee's callers
		-- or the header's includers
		IF q = 'q1' THEN
			SELECT (array_agg(name ORDER BY (1 - d) * 0.6 + dllb.score(source_text, s.word::dllb.bm25query, 'ast_node_source_text'::regclass) * 0.4 DESC))[1:10]
			INTO names FROM (
				SELECT n.name, n.source_text, dllb.cosine_distance(n.embedding, s.vec::text::dllb.vector) AS d
				FROM ast_node n
				WHERE n.kind = 'function' AND n.source_text @@@ s.word::dllb.bm25query
				  AND n.id IN (SELECT c."in" FROM ast_node t JOIN calls c ON c.out = t.id WHERE t.name = s.callee)
				ORDER BY 3, n.id LIMIT 20) x;
		ELSE
			SELECT array_agg(name ORDER BY d) INTO names FROM (
				SELECT n.name, dllb.cosine_distance(n.embedding, s.vec::text::dllb.vector) AS d
				FROM ast_node n
				WHERE n.kind = 'function'
				  AND n.id IN (SELECT c.out FROM ast_node h JOIN includes i ON i.out = h.id
				               JOIN contains c ON c."in" = i."in" WHERE h.qname = s.header)
				ORDER BY 2, n.id LIMIT 10) x;
		END IF;
	END IF;
	INSERT INTO results VALUES (q, how, s.id, extract(epoch FROM clock_timestamp() - t0) * 1000,
								coalesce(array_length(names, 1), 0), names);
END $$;

-- the passes: dialect and sql twice (the first a warm-up), exact once;
-- psql -v hows=dialect,dialect,exact leaves out the hand-written SQL
\if :{?hows}
\else
\set hows dialect,sql,dialect,sql,exact
\endif
SELECT set_config('bench.hows', :'hows', false);
\echo == showcase queries: 100 start functions, warm-up pass then timed pass
SELECT count(*) AS starts, count(DISTINCT header) AS headers, count(DISTINCT callee) AS callees FROM starts;
DO $$
DECLARE s starts; q text; how text;
BEGIN
	FOREACH how IN ARRAY string_to_array(current_setting('bench.hows'), ',') LOOP
		FOREACH q IN ARRAY ARRAY['q1', 'q2'] LOOP
			FOR s IN SELECT * FROM starts ORDER BY id LOOP
				PERFORM pg_temp.timed(how, q, s);
			END LOOP;
		END LOOP;
	END LOOP;
END $$;
-- the first pass of each was the warm-up
DELETE FROM results r WHERE r.how IN ('dialect', 'sql') AND r.ctid IN (
	SELECT DISTINCT ON (q, how, start) ctid FROM results WHERE how IN ('dialect', 'sql') ORDER BY q, how, start, ctid);

SELECT q, how, count(*) AS n,
	round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS median_ms,
	round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS p95_ms,
	round(max(ms)::numeric, 1) AS max_ms,
	round(avg(rows), 1) AS avg_rows
FROM results GROUP BY 1, 2 ORDER BY 1, 2;

\echo == recall of the rows dllb.query returns against the exact answer, and lists identical to it
SELECT d.q,
	round(avg(CASE WHEN e.rows = 0 THEN 1 ELSE
		(SELECT count(*) FROM unnest(d.names) x WHERE x = ANY (e.names))::numeric / e.rows END), 3) AS recall,
	count(*) FILTER (WHERE d.names IS NOT DISTINCT FROM e.names) AS identical_lists
FROM results d JOIN results e ON e.q = d.q AND e.start = d.start AND e.how = 'exact'
WHERE d.how = 'dialect' GROUP BY 1 ORDER BY 1;

\echo == targets: median <= 50 ms and p95 <= 200 ms for both (dialect)
SELECT q, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) <= 50 AS median_ok,
	percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) <= 200 AS p95_ok
FROM results WHERE how = 'dialect' GROUP BY 1 ORDER BY 1;

SELECT kind, count(*) FROM ast_node GROUP BY 1 ORDER BY 2 DESC;
SELECT (SELECT count(*) FROM calls) AS calls, (SELECT count(*) FROM includes) AS includes,
	(SELECT count(*) FROM references_type) AS references_type, (SELECT count(*) FROM contains) AS contains,
	(SELECT count(*) FROM declares) AS declares,
	pg_size_pretty(pg_total_relation_size('ast_node')) AS ast_node_size;
