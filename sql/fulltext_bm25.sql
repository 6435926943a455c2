-- dllb_bm25: build, top-k against a brute-force BM25, query syntax, bitmap
-- scans with other indexes, the write buffer, VACUUM's exact statistics,
-- options and errors.

-- 3,000 documents over a 400-word vocabulary with a skewed distribution
CREATE TABLE bm_t (id int PRIMARY KEY, cat int, body text);
INSERT INTO bm_t
SELECT i, i % 100,
       (SELECT string_agg('w' || (floor(power(hashint4(i * 31 + j) / 4294967296.0 + 0.5, 3) * 400))::int, ' ')
        FROM generate_series(1, 4 + i % 17) j)
FROM generate_series(1, 3000) i;
UPDATE bm_t SET body = body || ' alpha beta gamma' WHERE id % 50 = 0;
UPDATE bm_t SET body = 'gamma delta alpha' WHERE id % 97 = 0;
CREATE INDEX bm_t_cat ON bm_t (cat);
CREATE INDEX bm_t_bm25 ON bm_t USING dllb_bm25 (body) WITH (analyzer = 'simple');
SELECT docs, total_length, segments, buffered_docs FROM dllb.bm25_stats('bm_t_bm25');
SELECT "check", ok FROM dllb.bm25_verify('bm_t_bm25');

-- brute force: Lucene BM25 over the table, in plain SQL
CREATE FUNCTION bm_brute(q text[], k int)
RETURNS TABLE(id int, score float8) LANGUAGE sql AS $$
  WITH tok AS (SELECT f.id, a.token FROM bm_t f, dllb.analyze('simple', f.body) a),
       dl AS (SELECT tok.id, count(*) AS dl FROM tok GROUP BY tok.id),
       st AS (SELECT count(*)::float8 AS n_docs, avg(dl)::float8 AS avgdl FROM dl),
       tf AS (SELECT tok.id, token, count(*) AS tf FROM tok WHERE token = ANY (q) GROUP BY 1, 2),
       df AS (SELECT token, count(*) AS n FROM tf GROUP BY token)
  SELECT tf.id, sum(ln(1 + (st.n_docs - df.n + 0.5) / (df.n + 0.5)) *
                    tf.tf * 2.2 / (tf.tf + 1.2 * (0.25 + 0.75 * dl.dl / st.avgdl)))
  FROM tf JOIN df USING (token) JOIN dl USING (id) CROSS JOIN st
  GROUP BY tf.id ORDER BY 2 DESC, (SELECT ctid FROM bm_t WHERE bm_t.id = tf.id) LIMIT k
$$;

-- the index's top-k, with its scores: the documented top-k query
CREATE FUNCTION bm_ranked(q text, k int)
RETURNS TABLE(id int, score float8) LANGUAGE plpgsql AS $$
BEGIN
  SET LOCAL enable_seqscan = off;
  RETURN QUERY SELECT f.id, -(f.body <@> q::dllb.bm25query) FROM bm_t f
               WHERE f.body @@@ q::dllb.bm25query
               ORDER BY f.body <@> q::dllb.bm25query LIMIT k;
END $$;

-- top-10 and top-100 agree with brute force: the scores rank by rank, and
-- each row's score is its brute-force score (to 1e-9: SQL sums in another
-- order, so exact ties may come out in either order there)
CREATE TABLE bm_queries (q text);
INSERT INTO bm_queries VALUES ('w0'), ('w1'), ('w3 w7'), ('w1 w2 w5 w9'), ('w200'), ('w399'),
  ('alpha'), ('gamma w0'), ('w10 w20 w30'), ('nothing_matches');
CREATE FUNCTION bm_agree(k int) RETURNS TABLE(q text, rows bigint, same boolean) LANGUAGE sql AS $$
  SELECT q.q, (SELECT count(*) FROM bm_ranked(q.q, k)),
         (SELECT coalesce(bool_and(abs(a.score - b.score) < 1e-9 * b.score), true)
            AND (SELECT count(*) FROM bm_ranked(q.q, k)) = (SELECT count(*) FROM bm_brute(string_to_array(q.q, ' '), k))
          FROM (SELECT row_number() OVER () AS r, * FROM bm_ranked(q.q, k)) a
          JOIN (SELECT row_number() OVER () AS r, * FROM bm_brute(string_to_array(q.q, ' '), k)) b USING (r))
         AND (SELECT coalesce(bool_and(abs(a.score - b.score) < 1e-9 * b.score), true)
              FROM bm_ranked(q.q, k) a
              LEFT JOIN bm_brute(string_to_array(q.q, ' '), 1000000) b USING (id))
  FROM bm_queries q
$$;
SELECT * FROM bm_agree(10);
SELECT q, same FROM bm_agree(100);

-- the plans: a top-k scan needs the match of its own query; ranking
-- without it ranks every row (those that do not match score 0), so it sorts
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM bm_t WHERE body @@@ 'w3 w7' ORDER BY body <@> 'w3 w7' LIMIT 10;
EXPLAIN (COSTS OFF) SELECT id FROM bm_t ORDER BY body <@> 'w3 w7' LIMIT 10;
SELECT count(*) AS rows, count(*) FILTER (WHERE body <@> 'nothing_matches' = 0) AS zero
FROM (SELECT body FROM bm_t ORDER BY body <@> 'nothing_matches' LIMIT 10) s;
EXPLAIN (COSTS OFF) SELECT id FROM bm_t WHERE body @@@ 'alpha' AND cat = 50;
EXPLAIN (COSTS OFF) SELECT id FROM bm_t WHERE body @@@ '+alpha' ORDER BY body <@> 'w1 gamma' LIMIT 5;
RESET enable_seqscan;

-- score in the target list equals the ordering value
SELECT count(*) AS rows, bool_and(s = -r) AS same
FROM (SELECT dllb.score(body, 'w3 w7') AS s, body <@> 'w3 w7' AS r FROM bm_t
      ORDER BY body <@> 'w3 w7' LIMIT 20) x;

-- query syntax: required, excluded, phrases, prefixes
SELECT count(*) FROM bm_t WHERE body @@@ 'alpha';
SELECT count(*) FROM bm_t WHERE body @@@ '+alpha +delta';
SELECT count(*) FROM bm_t WHERE body @@@ 'alpha -delta';
SELECT count(*) FROM bm_t WHERE body @@@ '"gamma delta"';
SELECT count(*) FROM bm_t WHERE body @@@ '"delta gamma"';
SELECT count(*) FROM bm_t WHERE body @@@ 'alph*';
SELECT count(*) FROM bm_t WHERE body @@@ 'w39*';
-- the same answers without the index (sequential scan, analyzer from the GUC)
SET dllb.bm25_default_analyzer = 'simple';
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT count(*) FROM bm_t WHERE body @@@ 'alpha';
SELECT count(*) FROM bm_t WHERE body @@@ '+alpha +delta';
SELECT count(*) FROM bm_t WHERE body @@@ 'alpha -delta';
SELECT count(*) FROM bm_t WHERE body @@@ '"gamma delta"';
SELECT count(*) FROM bm_t WHERE body @@@ 'w39*';
RESET enable_indexscan;
RESET enable_bitmapscan;
RESET dllb.bm25_default_analyzer;

-- match and rank together; a btree condition in the same query
SELECT count(*) AS rows, bool_and(body ~ 'alpha') AS all_alpha
FROM (SELECT body FROM bm_t WHERE body @@@ '+alpha' ORDER BY body <@> 'w1 gamma' LIMIT 50) x;
-- the same with the condition inside the ordered scan's top-k loop
CREATE TABLE bm_sorted AS
  SELECT id FROM bm_t WHERE body @@@ '+alpha' ORDER BY body <@> 'w1 gamma', ctid LIMIT 20;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM bm_t WHERE body @@@ '+alpha' ORDER BY body <@> 'w1 gamma' LIMIT 20;
SELECT array_agg(id) = (SELECT array_agg(id) FROM bm_sorted) AS same_top20
FROM (SELECT id FROM bm_t WHERE body @@@ '+alpha' ORDER BY body <@> 'w1 gamma', ctid LIMIT 20) x;
RESET enable_bitmapscan;
SELECT count(*) FROM bm_t WHERE body @@@ 'alpha' AND cat = 50;
SELECT array_agg(id ORDER BY id) FROM bm_t WHERE body @@@ 'alpha' AND cat < 3;

-- an unbounded ordered scan returns every match once, in order
SELECT count(*) AS rows, count(DISTINCT id) AS ids,
       bool_and(r >= lag) AS ordered
FROM (SELECT id, r, lag(r, 1, '-Infinity') OVER (ORDER BY n) AS lag
      FROM (SELECT id, body <@> 'w0 w1' AS r, row_number() OVER () AS n
            FROM (SELECT id, body FROM bm_t WHERE body @@@ 'w0 w1' ORDER BY body <@> 'w0 w1') o) y) z;
SELECT count(*) FROM bm_t WHERE body @@@ 'w0 w1';

-- inserts go to the write buffer, then (small buffer) into segments
SET dllb.bm25_buffer_kb = 16;
INSERT INTO bm_t
SELECT i, i % 100, 'fresh ' || (SELECT string_agg('w' || ((i * j) % 400), ' ') FROM generate_series(1, 6) j)
FROM generate_series(3001, 4000) i;
RESET dllb.bm25_buffer_kb;
SELECT docs, buffered_docs < 1000 AS flushed FROM dllb.bm25_stats('bm_t_bm25');
SELECT "check", ok FROM dllb.bm25_verify('bm_t_bm25');
SELECT count(*) FROM bm_t WHERE body @@@ 'fresh';
SELECT * FROM bm_agree(10);

-- VACUUM: delete half, and every score equals a fresh REINDEX's
DELETE FROM bm_t WHERE id % 2 = 0;
VACUUM bm_t;
SELECT docs FROM dllb.bm25_stats('bm_t_bm25');
SELECT "check", ok FROM dllb.bm25_verify('bm_t_bm25');
CREATE TABLE bm_after_vacuum AS
  SELECT q.q, r.* FROM bm_queries q, bm_ranked(q.q, 50) r;
REINDEX INDEX bm_t_bm25;
SELECT count(*) AS rows,
       max(abs(a.score - r.score)) < 1e-6 AS same_scores,
       bool_and(a.id = r.id) AS same_ids
FROM (SELECT row_number() OVER (PARTITION BY q) AS n, * FROM bm_after_vacuum) a
JOIN (SELECT row_number() OVER (PARTITION BY q.q) AS n, q.q, r.* FROM bm_queries q, bm_ranked(q.q, 50) r) r
  USING (q, n);
SELECT * FROM bm_agree(10);

-- rows of aborted transactions never show, and leave with VACUUM
BEGIN;
INSERT INTO bm_t VALUES (9001, 1, 'zebra zebra'), (9002, 1, 'zebra');
ROLLBACK;
SELECT count(*) FROM bm_t WHERE body @@@ 'zebra';
SELECT id FROM bm_t WHERE body @@@ 'zebra' ORDER BY body <@> 'zebra' LIMIT 5;
VACUUM bm_t;
SELECT docs = (SELECT count(*) FROM bm_t) AS exact FROM dllb.bm25_stats('bm_t_bm25');

-- NULLs, empty and stop-word-only texts are not indexed
INSERT INTO bm_t VALUES (9003, 1, NULL), (9004, 1, ''), (9005, 1, '   ');
SELECT docs = (SELECT count(*) FROM bm_t WHERE body ~ '\w') AS exact FROM dllb.bm25_stats('bm_t_bm25');

-- positions = off, other analyzers, options
CREATE TABLE bm_t2 (id int, body text);
INSERT INTO bm_t2 VALUES (1, 'parseHttpRequest handles HTTP'), (2, 'the requests were parsed'),
  (3, 'http_request_parser'), (4, 'Running runners ran');
CREATE INDEX ft2_code ON bm_t2 USING dllb_bm25 (body) WITH (analyzer = 'dllb.code(english)', positions = off, k1 = 2.0, b = 0.5);
SET enable_seqscan = off;
SELECT id FROM bm_t2 WHERE body @@@ 'request' ORDER BY id;
SELECT id FROM bm_t2 WHERE body @@@ 'parsehttprequest' ORDER BY id;
SELECT id FROM bm_t2 WHERE body @@@ 'http parse' ORDER BY body <@> 'http parse' LIMIT 3;
SELECT id FROM bm_t2 WHERE body @@@ '"http request"';
DROP INDEX ft2_code;
CREATE INDEX ft2_en ON bm_t2 USING dllb_bm25 ((lower(body))) WITH (analyzer = 'english');
SELECT id FROM bm_t2 WHERE lower(body) @@@ 'run' ORDER BY id;
RESET enable_seqscan;
CREATE INDEX ft2_bad ON bm_t2 USING dllb_bm25 (body) WITH (analyzer = 'klingon');
CREATE INDEX ft2_bad ON bm_t2 USING dllb_bm25 (body) WITH (k1 = -1);
CREATE INDEX ft2_bad ON bm_t2 USING dllb_bm25 (body) WITH (b = 2);
CREATE INDEX ft2_bad ON bm_t2 USING dllb_bm25 (id);

-- a small table ranks by a sequential scan and sort: <@> then finds the
-- one dllb_bm25 index on its expression and uses its statistics
CREATE TABLE bm_small (id int, body text);
INSERT INTO bm_small VALUES (1, 'red apple'), (2, 'green apple pie'), (3, 'red red wine');
CREATE INDEX bm_small_bm25 ON bm_small USING dllb_bm25 (body) WITH (analyzer = 'simple');
EXPLAIN (COSTS OFF) SELECT id FROM bm_small WHERE body @@@ 'red apple' ORDER BY body <@> 'red apple' LIMIT 2;
SELECT id, round(dllb.score(body, 'red apple')::numeric, 6) AS score
FROM bm_small WHERE body @@@ 'red apple' ORDER BY body <@> 'red apple' LIMIT 3;
SET enable_seqscan = off;
SELECT id, round(dllb.score(body, 'red apple')::numeric, 6) AS score
FROM bm_small WHERE body @@@ 'red apple' ORDER BY body <@> 'red apple' LIMIT 3;
RESET enable_seqscan;
DROP TABLE bm_small;
-- ranking without an index scan is an error, with a hint
SELECT body <@> 'http' FROM bm_t2 LIMIT 1;
SELECT dllb.score(body, 'http') FROM bm_t2 LIMIT 1;
-- malformed queries
SELECT count(*) FROM bm_t WHERE body @@@ '"unterminated';
SELECT count(*) FROM bm_t WHERE body @@@ '-only -excluded';
-- not a dllb_bm25 index
SELECT * FROM dllb.bm25_verify('bm_t_cat');

DROP TABLE bm_t, bm_t2, bm_queries, bm_after_vacuum, bm_sorted;
DROP FUNCTION bm_brute(text[], int), bm_ranked(text, int), bm_agree(int);
