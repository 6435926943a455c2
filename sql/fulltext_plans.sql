-- The same rows, with the same scores, under every plan: a few hundred
-- generated full-text queries, each run with sequential scans only, index
-- scans only, bitmap scans only and the planner's own choice, on a small
-- and a large table, with and without LIMIT; then dialect statements the
-- same way.  The index's analyzer (simple) differs from the default one
-- (english), so a plan that analyzed with the wrong one would show.

CREATE TABLE pl_small (id int PRIMARY KEY, body text);
CREATE TABLE pl_large (id int PRIMARY KEY, body text);
-- words that english stems or drops and simple keeps
CREATE TABLE pl_words (i int, w text);
INSERT INTO pl_words
SELECT i, (ARRAY['parse', 'parsing', 'parser', 'the', 'running', 'runs', 'lexer', 'token',
                 'tokens', 'state', 'apple', 'apples', 'red', 'green', 'quick', 'fox',
                 'brown', 'jumps', 'over', 'lazy', 'dog', 'dogs', 'http', 'request'])[i]
FROM generate_series(1, 24) i;
INSERT INTO pl_small
SELECT g, (SELECT string_agg(w, ' ' ORDER BY j) FROM generate_series(1, 2 + g % 5) j
           JOIN pl_words ON i = 1 + (hashint4(g * 7 + j) & 1023) % 24)
FROM generate_series(1, 60) g;
INSERT INTO pl_large
SELECT g, (SELECT string_agg(w, ' ' ORDER BY j) FROM generate_series(1, 3 + g % 11) j
           JOIN pl_words ON i = 1 + (hashint4(g * 13 + j) & 1023) % 24)
FROM generate_series(1, 4000) g;
CREATE INDEX pl_small_bm25 ON pl_small USING dllb_bm25 (body) WITH (analyzer = 'simple');
CREATE INDEX pl_large_bm25 ON pl_large USING dllb_bm25 (body) WITH (analyzer = 'simple');
ANALYZE pl_small, pl_large;

-- the queries: terms, pairs, required, excluded, phrases, prefixes
CREATE TABLE pl_queries AS
SELECT DISTINCT q FROM (
  SELECT w AS q FROM pl_words
  UNION ALL SELECT a.w || ' ' || b.w FROM pl_words a JOIN pl_words b ON b.i = 1 + (a.i * 5) % 24
  UNION ALL SELECT '+' || a.w || ' ' || b.w FROM pl_words a JOIN pl_words b ON b.i = 1 + (a.i * 7) % 24
  UNION ALL SELECT a.w || ' -' || b.w FROM pl_words a JOIN pl_words b ON b.i = 1 + (a.i * 11) % 24
  UNION ALL SELECT '"' || a.w || ' ' || b.w || '"' FROM pl_words a JOIN pl_words b ON b.i = 1 + a.i % 24
  UNION ALL SELECT left(w, 3) || '*' FROM pl_words
) s WHERE q <> '';
SELECT count(*) AS queries FROM pl_queries;

-- what one query gives under the current settings, as one text
CREATE FUNCTION pl_answers(tbl text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	matches text;
	top text;
	scores text;
	ranked_all text;
	unmatched text;
	top_scores text;
BEGIN
	EXECUTE pg_catalog.format('SELECT pg_catalog.array_agg(id ORDER BY id)::text FROM %I WHERE body @@@ $1::dllb.bm25query', tbl)
		INTO matches USING q;
	EXECUTE pg_catalog.format('SELECT pg_catalog.array_agg(id::text || '':'' || round(s::numeric, 9) ORDER BY n)::text
		FROM (SELECT id, -(body <@> $1::dllb.bm25query) AS s, row_number() OVER () AS n
		      FROM (SELECT id, body FROM %I WHERE body @@@ $1::dllb.bm25query ORDER BY body <@> $1::dllb.bm25query, id LIMIT 10) o) x', tbl)
		INTO top USING q;
	EXECUTE pg_catalog.format('SELECT pg_catalog.array_agg(id::text || '':'' || round(dllb.score(body, $1::dllb.bm25query)::numeric, 9) ORDER BY id)::text
		FROM %I WHERE body @@@ $1::dllb.bm25query', tbl)
		INTO scores USING q;
	EXECUTE pg_catalog.format('SELECT count(*)::text || '' '' || coalesce(round(sum(-(body <@> $1::dllb.bm25query))::numeric, 6), 0)::text
		FROM (SELECT body FROM %I WHERE body @@@ $1::dllb.bm25query ORDER BY body <@> $1::dllb.bm25query) o', tbl)
		INTO ranked_all USING q;
	-- the ordered top-k scan (no tie-break: the scores, not the ids, are fixed)
	EXECUTE pg_catalog.format('SELECT pg_catalog.array_agg(round(s::numeric, 9) ORDER BY n)::text
		FROM (SELECT -(body <@> $1::dllb.bm25query) AS s, row_number() OVER () AS n
		      FROM (SELECT body FROM %I WHERE body @@@ $1::dllb.bm25query ORDER BY body <@> $1::dllb.bm25query LIMIT 10) o) x', tbl)
		INTO top_scores USING q;
	-- ranking without the match ranks every row; those that miss score 0
	EXECUTE pg_catalog.format('SELECT pg_catalog.array_agg(id ORDER BY n)::text
		FROM (SELECT id, row_number() OVER () AS n
		      FROM (SELECT id FROM %I ORDER BY body <@> $1::dllb.bm25query, id LIMIT 70) o) x', tbl)
		INTO unmatched USING q;
	RETURN concat_ws(' | ', matches, top, top_scores, scores, ranked_all, unmatched);
END $$;

-- each plan shape, then compare: the number of (table, query) pairs whose
-- answers differ between shapes must be 0
CREATE TABLE pl_results (shape text, tbl text, q text, answers text);
CREATE FUNCTION pl_run(shape text, seq bool, idx bool, bitmap bool) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_catalog.set_config('enable_seqscan', CASE WHEN seq THEN 'on' ELSE 'off' END, true);
	PERFORM pg_catalog.set_config('enable_indexscan', CASE WHEN idx THEN 'on' ELSE 'off' END, true);
	PERFORM pg_catalog.set_config('enable_bitmapscan', CASE WHEN bitmap THEN 'on' ELSE 'off' END, true);
	INSERT INTO pl_results
	SELECT shape, t.tbl, q.q, pl_answers(t.tbl, q.q)
	FROM pl_queries q, (VALUES ('pl_small'), ('pl_large')) t(tbl);
END $$;
BEGIN;
SELECT pl_run('seqscan', true, false, false);
SELECT pl_run('indexscan', false, true, false);
SELECT pl_run('bitmapscan', false, false, true);
SELECT pl_run('planner', true, true, true);
COMMIT;
SELECT shape, count(*) AS answers FROM pl_results GROUP BY shape ORDER BY shape;
SELECT count(*) AS differing
FROM (SELECT tbl, q FROM pl_results GROUP BY tbl, q HAVING count(DISTINCT answers) > 1) d;
-- (the first few, if any)
SELECT tbl, q, shape, left(answers, 200) FROM pl_results
WHERE (tbl, q) IN (SELECT tbl, q FROM pl_results GROUP BY tbl, q HAVING count(DISTINCT answers) > 1 LIMIT 3)
ORDER BY 1, 2, 3;
-- and the shapes are real: each setting gives its plan
SET enable_indexscan = off; SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM pl_large WHERE body @@@ 'parse' ORDER BY body <@> 'parse', id LIMIT 10;
RESET enable_indexscan; RESET enable_bitmapscan;
SET enable_seqscan = off; SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM pl_large WHERE body @@@ 'parse' ORDER BY body <@> 'parse', id LIMIT 10;
RESET enable_seqscan; RESET enable_bitmapscan;
SET enable_seqscan = off; SET enable_indexscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM pl_large WHERE body @@@ 'parse' ORDER BY body <@> 'parse', id LIMIT 10;
RESET enable_seqscan; RESET enable_indexscan;
SET enable_seqscan = off; SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM pl_large WHERE body @@@ 'parse' ORDER BY body <@> 'parse' LIMIT 10;
RESET enable_seqscan; RESET enable_bitmapscan;

-- a second dllb_bm25 index on the same column (another analyzer) changes
-- nothing: queries stay bound to the first, in every plan
CREATE INDEX pl_large_bm25_english ON pl_large USING dllb_bm25 (body) WITH (analyzer = 'english');
DELETE FROM pl_results;
BEGIN;
SELECT pl_run('seqscan', true, false, false);
SELECT pl_run('indexscan', false, true, false);
SELECT pl_run('planner', true, true, true);
COMMIT;
SELECT count(*) AS differing_with_two_indexes
FROM (SELECT tbl, q FROM pl_results GROUP BY tbl, q HAVING count(DISTINCT answers) > 1) d;
-- a query bound to the second index uses its analyzer: 'parsing' stems to
-- 'pars' under english and matches every parse* word
SELECT count(*) AS simple_matches FROM pl_large WHERE body @@@ 'parsing';
SELECT count(*) AS english_matches FROM pl_large
WHERE body @@@ dllb.bm25query_bind('parsing', 'pl_large_bm25_english');
SET enable_seqscan = off;
SELECT count(*) AS english_matches_index FROM pl_large
WHERE body @@@ dllb.bm25query_bind('parsing', 'pl_large_bm25_english');
RESET enable_seqscan;
-- bound to an index of another expression: refused
SELECT count(*) FROM pl_small WHERE body @@@ dllb.bm25query_bind('parsing', 'pl_large_bm25');
DROP INDEX pl_large_bm25_english;

-- a table with no dllb_bm25 index: @@@ uses dllb.bm25_default_analyzer,
-- and a score is an error, never another table's statistics
CREATE TABLE pl_plain AS SELECT * FROM pl_small;
SELECT count(*) AS english_default FROM pl_plain WHERE body @@@ 'parsing';
SET dllb.bm25_default_analyzer = 'simple';
SELECT count(*) AS simple_default FROM pl_plain WHERE body @@@ 'parsing';
RESET dllb.bm25_default_analyzer;
SELECT body <@> 'parse' FROM pl_plain LIMIT 1;
SELECT dllb.score(body, 'parse') FROM pl_plain LIMIT 1;

-- scores within a transaction follow the index after inserts
BEGIN;
SELECT round(dllb.score('parse parse', 'parse', 'pl_small_bm25')::numeric, 6) AS before
FROM pl_small WHERE id = 1;
INSERT INTO pl_small SELECT 1000 + g, 'parse' FROM generate_series(1, 50) g;
SELECT round(dllb.score('parse parse', 'parse', 'pl_small_bm25')::numeric, 6) AS after,
       (SELECT round(-(body <@> 'parse')::numeric, 6) FROM pl_small
        WHERE body @@@ 'parse' AND id = 1001) AS scan_of_1001,
       (SELECT round(dllb.score(body, 'parse')::numeric, 6) FROM pl_small WHERE id = 1001) AS score_of_1001
FROM pl_small WHERE id = 1;
ROLLBACK;

-- the dialect: the same statements under every plan shape
CREATE TABLE pl_dialect (shape text, stmt text, answers text);
SELECT count(*) FROM dllb.query($$DEFINE TABLE pl_art; DEFINE FIELD body ON pl_art TYPE string;
  DEFINE FIELD emb ON pl_art TYPE vector<3>;
  DEFINE INDEX pl_art_body ON pl_art FIELDS body SEARCH ANALYZER simple BM25;
  DEFINE INDEX pl_art_emb ON pl_art FIELDS emb HNSW DIMENSION 3 DIST COSINE$$);
INSERT INTO pl_art (id, body, emb, data)
SELECT dllb.record('pl_art', g::bigint),
       (SELECT w FROM pl_words WHERE i = 1 + g % 24) || ' ' || (SELECT w FROM pl_words WHERE i = 1 + (g * 7) % 24),
       ('[' || round(sin(g)::numeric, 4) || ',' || round(cos(g)::numeric, 4) || ',' || (g % 10) / 10.0 || ']')::dllb.vector,
       pg_catalog.jsonb_build_object('kind', CASE WHEN g % 3 = 0 THEN 'a' ELSE 'b' END)
FROM generate_series(1, 200) g;
-- statements: matches, ranked matches, matches beside a filter, KNN with
-- and without a full-text condition, counts
CREATE TABLE pl_dstmts AS
SELECT 'SELECT VALUE id FROM pl_art WHERE body @@ ''' || w || ''' ORDER BY id' AS stmt FROM pl_words
UNION ALL
SELECT 'SELECT id, search::score(1) AS s FROM pl_art WHERE body @1@ ''' || a.w || ' ' || b.w ||
       ''' ORDER BY s DESC, id LIMIT 5' FROM pl_words a JOIN pl_words b ON b.i = 1 + (a.i * 5) % 24
UNION ALL
SELECT 'SELECT VALUE id FROM pl_art WHERE body @@ ''' || w || ''' AND kind = ''a'' ORDER BY id' FROM pl_words
UNION ALL
SELECT 'SELECT id, vector::distance::knn() AS d FROM pl_art WHERE emb <|5,40|> [' ||
       round(sin(g * 3)::numeric, 3) || ', ' || round(cos(g * 5)::numeric, 3) || ', 0.5]'
FROM generate_series(1, 20) g
UNION ALL
SELECT 'SELECT VALUE id FROM pl_art WHERE emb <|5,40|> [' || round(sin(g)::numeric, 3) || ', 1, 0.2] AND body @@ ''' ||
       (SELECT w FROM pl_words WHERE i = 1 + g % 24) || '''' FROM generate_series(1, 20) g
UNION ALL
SELECT 'SELECT count() FROM pl_art WHERE body @@ ''' || w || ''' GROUP ALL' FROM pl_words;
SELECT count(*) AS dialect_statements FROM pl_dstmts;
CREATE FUNCTION pl_dialect_run(shape text, seq bool, idx bool, bitmap bool) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	s text;
BEGIN
	PERFORM pg_catalog.set_config('enable_seqscan', CASE WHEN seq THEN 'on' ELSE 'off' END, true);
	PERFORM pg_catalog.set_config('enable_indexscan', CASE WHEN idx THEN 'on' ELSE 'off' END, true);
	PERFORM pg_catalog.set_config('enable_bitmapscan', CASE WHEN bitmap THEN 'on' ELSE 'off' END, true);
	FOR s IN SELECT stmt FROM pl_dstmts
	LOOP
		INSERT INTO pl_dialect
		SELECT shape, s, pg_catalog.jsonb_agg(result ORDER BY n)::text
		FROM dllb.query(s) WITH ORDINALITY AS r(stmt, result, n);
	END LOOP;
END $$;
BEGIN;
SELECT pl_dialect_run('seqscan', true, false, false);
SELECT pl_dialect_run('indexscan', false, true, false);
SELECT pl_dialect_run('bitmapscan', false, false, true);
SELECT pl_dialect_run('planner', true, true, true);
COMMIT;
SELECT count(*) AS statements_run,
       count(*) FILTER (WHERE n > 1) AS differing
FROM (SELECT stmt, count(DISTINCT answers) AS n FROM pl_dialect GROUP BY stmt) d;
SELECT stmt, shape, left(answers, 160) FROM pl_dialect
WHERE stmt IN (SELECT stmt FROM pl_dialect GROUP BY stmt HAVING count(DISTINCT answers) > 1)
ORDER BY 1, 2;

DROP TABLE pl_small, pl_large, pl_words, pl_queries, pl_results, pl_plain, pl_dialect, pl_dstmts, pl_art;
DROP FUNCTION pl_answers(text, text), pl_run(text, bool, bool, bool),
  pl_dialect_run(text, bool, bool, bool);
