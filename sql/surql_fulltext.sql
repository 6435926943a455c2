-- dllb.query full text: @@, @N@, @OR@, @N,OR@ over a dllb_bm25 index made by
-- DEFINE INDEX ... SEARCH ANALYZER ... BM25; search::score, highlight,
-- offsets; ordering by score; the cross-model statement; errors.

SELECT count(*) FROM dllb.query($$
CREATE article:1 SET title = 'Rust async', body = 'async fn in Rust returns a future';
CREATE article:2 SET title = 'Go', body = 'goroutines are not async functions';
CREATE article:3 SET title = 'Python', body = 'async def coroutines and await; async everywhere';
CREATE article:4 SET title = 'C', body = 'threads and locks';
DEFINE INDEX body_ft ON article FIELDS body SEARCH ANALYZER english BM25;
$$);
SELECT indexrelid::regclass, pg_get_indexdef(indexrelid)
FROM pg_index WHERE indrelid = 'article'::regclass AND NOT indisprimary;

-- every word (@@, @N@) or any word (@OR@, @N,OR@); scores from the index
SELECT * FROM dllb.query($$SELECT VALUE id FROM article WHERE body @@ 'async fn'$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM article WHERE body @1@ 'async functions'$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM article WHERE body @OR@ 'locks coroutines'$$);
SELECT * FROM dllb.query($$SELECT id, search::score(1) > 0 AS scored FROM article
                           WHERE body @1,OR@ 'async coroutines' ORDER BY search::score(1) DESC$$);
-- the score is SurrealDB's variant of BM25 with the index's statistics
-- (dllb.surql_score: idf floored at 0, 1 + ln(tf)), a float4 as there
SELECT (r.result ->> 's')::float8 = (SELECT dllb.surql_score(data ->> 'body', '+"coroutines"', 'article_body_ft') FROM article WHERE id = 'article:3')
  AS same, (r.result ->> 's')::float8 > 0 AS positive
FROM dllb.query($$SELECT search::score(1) AS s FROM article:3 WHERE body @1@ 'coroutines'$$) r;
-- a word in most rows scores 0 (its idf is floored at 0), as in SurrealDB
SELECT * FROM dllb.query($$SELECT id, search::score(1) AS s FROM article WHERE body @1@ 'async' ORDER BY id$$);
-- 0 where a row does not match (a match inside OR)
SELECT * FROM dllb.query($$SELECT id, search::score(1) AS s FROM article
                           WHERE body @1@ 'threads' OR title = 'Go' ORDER BY id$$);
SELECT * FROM dllb.query($$SELECT search::highlight('<b>', '</b>', 1) AS h, search::offsets(1) AS o
                           FROM article WHERE body @1@ 'future'$$);
-- words come from $params too, and no word is query syntax
SELECT * FROM dllb.query($$SELECT VALUE id FROM article WHERE body @1@ $q$$, '{"q": "\"async\" -rust"}');
SELECT * FROM dllb.query($$SELECT VALUE id FROM article WHERE body @1@ $q$$, '{"q": "await"}');

-- ORDER BY search::score(N) DESC sorts by those scores (not the index's
-- ranked scan, whose BM25 is not SurrealDB's)
SELECT stmt, sql ~ 'ORDER BY \(t.data ->> ''body''\) OPERATOR\(pg_catalog.<@>\)' AS ranked_scan
FROM dllb.explain($$SELECT id FROM article WHERE body @1,OR@ 'coroutines future' ORDER BY search::score(1) DESC LIMIT 2$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM article WHERE body @1,OR@ 'coroutines future functions' ORDER BY search::score(1) DESC LIMIT 2$$);
-- an output name in ORDER BY stands for its expression, also inside arithmetic
SELECT * FROM dllb.query($$SELECT id, search::score(1) AS s FROM article WHERE body @1,OR@ 'coroutines locks future'
                           ORDER BY 0 - s DESC$$);

-- UPDATE and DELETE with a match
SELECT * FROM dllb.query($$UPDATE article SET hot = true WHERE body @1@ 'future' RETURN NONE;
                           SELECT VALUE id FROM article WHERE hot = true$$);
SELECT * FROM dllb.query($$DELETE article WHERE body @@ 'locks'; SELECT VALUE count() FROM article GROUP ALL$$);

-- the cross-model statement: nearest neighbours, full text and a graph path
SELECT count(*) FROM dllb.query($$
DEFINE TABLE ast_node SCHEMALESS;
DEFINE FIELD embedding ON ast_node TYPE vector<3>;
DEFINE FIELD source_text ON ast_node TYPE string;
CREATE ast_node:f1 SET name = 'spawn', kind = 'function', embedding = [1,0,0], source_text = 'async fn spawn the task';
CREATE ast_node:f2 SET name = 'block', kind = 'function', embedding = [0.9,0.1,0], source_text = 'fn block_on runs a future';
CREATE ast_node:f3 SET name = 'poll', kind = 'function', embedding = [0,1,0], source_text = 'async fn poll the future';
CREATE ast_node:s1 SET name = 'Task', kind = 'struct', embedding = [1,0,0], source_text = 'async fn in a struct doc';
CREATE fn_node:c1 SET name = 'core_fn', module = 'core';
RELATE ast_node:f1->calls->fn_node:c1;
RELATE ast_node:f3->calls->fn_node:c1;
RELATE ast_node:s1->calls->fn_node:c1;
DEFINE INDEX emb ON ast_node FIELDS embedding HNSW DIMENSION 3 DIST EUCLIDEAN;
DEFINE INDEX src ON ast_node FIELDS source_text SEARCH ANALYZER english BM25;
$$);
SELECT * FROM dllb.query($$SELECT id, name, vector::distance::knn() AS vec_score, search::score(1) AS ft_score
  FROM ast_node WHERE kind = 'function' AND embedding <|20,50|> $query_vec AND source_text @1@ 'async fn'
  AND ->calls->fn_node.module = 'core' ORDER BY vec_score * 0.6 + ft_score * 0.4 DESC LIMIT 10$$,
  '{"query_vec": [1,0,0]}');
-- on a table of realistic size the plan uses both indexes: the HNSW scan
-- in distance order, checked against the ids the BM25 index matches
INSERT INTO ast_node (id, data, embedding, source_text)
SELECT ('ast_node:z' || i)::dllb.record,
       jsonb_build_object('name', 'z' || i, 'kind', CASE WHEN i % 2 = 0 THEN 'function' ELSE 'struct' END),
       ('[' || (i % 97) / 97.0 || ',' || (i % 89) / 89.0 || ',' || (i % 83) / 83.0 || ']')::dllb.vector,
       CASE WHEN i % 10 = 0 THEN 'async fn filler' ELSE 'plain filler text' END
FROM generate_series(1, 5000) i;
ANALYZE ast_node;
SELECT plan ~ 'Index Scan using ast_node_emb on ast_node' AS hnsw,
       plan ~ 'Index Scan on ast_node_src' AS bm25,
       plan ~ 'hashed SubPlan' AS hashed, uses_index
FROM dllb.explain($$SELECT id, name, vector::distance::knn() AS vec_score, search::score(1) AS ft_score
  FROM ast_node WHERE kind = 'function' AND embedding <|20,50|> $query_vec AND source_text @1@ 'async fn'
  AND ->calls->fn_node.module = 'core' ORDER BY vec_score * 0.6 + ft_score * 0.4 DESC LIMIT 10$$,
  '{"query_vec": [1,0,0]}');
SELECT * FROM dllb.query($$SELECT id, name, vector::distance::knn() AS vec_score, search::score(1) AS ft_score
  FROM ast_node WHERE kind = 'function' AND embedding <|20,50|> $query_vec AND source_text @1@ 'async fn'
  AND ->calls->fn_node.module = 'core' ORDER BY vec_score * 0.6 + ft_score * 0.4 DESC LIMIT 10$$,
  '{"query_vec": [1,0,0]}');

-- the same match may repeat its number (as SurrealDB allows)
SELECT * FROM dllb.query($$SELECT VALUE id FROM article WHERE (body @1@ 'future' AND title = 'Rust async')
                           OR (body @1@ 'future' AND title = 'x')$$);
-- highlight and offsets over an array or object field: each string, in
-- order (an object's values by key); offsets by the string's number; the
-- partial flag (true or false) changes nothing without n-gram filters
SELECT count(*) FROM dllb.query($$CREATE note:1 SET lines = ['red apple', 'green pear', 'red wine'],
  meta = {b: 'pear tart', a: 'apple pie'}, n = 'plain'$$);
SELECT * FROM dllb.query($$SELECT search::highlight('[', ']', 1) AS h, search::offsets(1) AS o,
  search::highlight('[', ']', 1, true) AS hp, search::offsets(1, false) AS op FROM note WHERE lines @1@ 'red'$$);
SELECT * FROM dllb.query($$SELECT search::highlight('[', ']', 1) AS h, search::offsets(1) AS o FROM note WHERE meta @1@ 'apple'$$);
SELECT * FROM dllb.query($$SELECT search::highlight('[', ']', 1) AS h, search::offsets(1) AS o FROM note WHERE lines @1@ 'wine' OR n = 'plain'$$);
SELECT * FROM dllb.query($$SELECT search::highlight('[', ']', 1, 'yes') FROM note WHERE lines @1@ 'red'$$);
-- search::rrf and search::linear fuse result lists by id
SELECT * FROM dllb.query($$RETURN search::rrf([[{id: k:1, a: 1}, {id: k:2}], [{id: k:2, b: 2}, {id: k:3}]], 2, 1)$$);
SELECT * FROM dllb.query($$RETURN search::rrf([[{id: k:1}, {id: k:2}]], 5)$$);
SELECT * FROM dllb.query($$RETURN search::linear([[{id: k:1, score: 4}, {id: k:2, score: 2}], [{id: k:2, distance: 0}, {id: k:3, distance: 3}]],
  [1, 2], 3, 'minmax')$$);
SELECT * FROM dllb.query($$RETURN search::linear([[{id: k:1, score: 4}, {id: k:2, score: 2}, {id: k:3, score: 3}]], [1], 2, 'zscore')$$);
SELECT * FROM dllb.query($$RETURN search::rrf([], 1); RETURN search::linear([], [], 1, 'minmax')$$);
\set VERBOSITY terse
SELECT * FROM dllb.query($$RETURN search::rrf([], 0)$$);
SELECT * FROM dllb.query($$RETURN search::rrf([], 1, -1)$$);
SELECT * FROM dllb.query($$RETURN search::linear([[]], ['a'], 1, 'zscore')$$);
SELECT * FROM dllb.query($$RETURN search::linear([], [1], 1, 'zscore')$$);
SELECT * FROM dllb.query($$RETURN search::linear([], [], 1, 'other')$$);
\set VERBOSITY default

-- errors
SELECT * FROM dllb.query($$SELECT search::score(2) FROM article WHERE body @1@ 'async'$$);
SELECT * FROM dllb.query($$SELECT id FROM article WHERE body @1@ 'async' AND title @1@ 'go'$$);
SELECT * FROM dllb.query($$SELECT search::score(1) FROM article WHERE title @1@ 'go'$$);
SELECT * FROM dllb.query($$SELECT search::score('x') FROM article WHERE body @1@ 'go'$$);
SELECT * FROM dllb.query($$SELECT search::nothing(1) FROM article WHERE body @1@ 'go'$$);
SELECT * FROM dllb.query($$SELECT id FROM article WHERE body @1@ ''$$);
-- without an index the match is an exact scan (english analyzer)
SELECT * FROM dllb.query($$SELECT VALUE id FROM article WHERE title @1@ 'pythons'$$);

-- SurrealDB's tokenizers and filters: an analyzer with ascii, uppercase,
-- ngram or edgengram filters cuts and maps words as SurrealDB does; a
-- query's words are not cut into n-grams; partial marks the n-gram only
SELECT * FROM dllb.query($$DEFINE ANALYZER grams TOKENIZERS blank, class FILTERS lowercase, ascii, edgengram(2, 6);
  DEFINE ANALYZER whole FILTERS uppercase, ngram(2, 3);
  DEFINE ANALYZER parts TOKENIZERS camel, punct FILTERS ascii$$);
SELECT dllb.analyzer_option('grams'), obj_description('grams'::regconfig, 'pg_ts_config');
SELECT string_agg(token || '@' || position, ' ') FROM dllb.analyze('dllb.surreal(public.grams)', 'Crème brûlée, 2x!');
SELECT string_agg(token || '@' || position, ' ') FROM dllb.analyze('dllb.surreal(public.whole)', 'ab c');
SELECT string_agg(token || '@' || position, ' ') FROM dllb.analyze('dllb.surreal(public.parts)', 'parseHTTPRequest(x), naïveCode');
SELECT count(*) FROM dllb.query($$CREATE dish:1 SET name = 'Crème brûlée'; CREATE dish:2 SET name = 'Brunch Crepes';
  CREATE dish:3 SET name = 'Tarte Tatin';
  DEFINE INDEX dish_name ON dish FIELDS name FULLTEXT ANALYZER grams BM25 HIGHLIGHTS$$);
SELECT * FROM dllb.query($$SELECT id, search::highlight('<', '>', 1) AS h, search::highlight('<', '>', 1, true) AS hp,
  search::offsets(1, true) AS op FROM dish WHERE name @1@ 'BRU' ORDER BY id$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM dish WHERE name @@ 'creme' ORDER BY id$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM dish WHERE name @@ 'rème' ORDER BY id$$);
SELECT * FROM dllb.query('REMOVE ANALYZER grams');

SELECT count(*) FROM dllb.query($$REMOVE TABLE article; REMOVE TABLE ast_node; REMOVE TABLE fn_node; REMOVE TABLE calls;
  REMOVE TABLE note; REMOVE TABLE dish; REMOVE ANALYZER grams; REMOVE ANALYZER whole; REMOVE ANALYZER parts$$);

-- an analyzer of SurrealDB's tokenizers without lowercase keeps the case:
-- 'Hello' does not match 'hello', and the score is SurrealDB's BM25
SELECT * FROM dllb.query($$CREATE ftcase:1 SET t = 'Hello World!'; CREATE ftcase:2 SET t = 'Yet Another World!';
  CREATE ftcase:3 SET t = 'again hello'; DEFINE ANALYZER keepcase TOKENIZERS blank, class;
  DEFINE INDEX ftcase_t ON ftcase FIELDS t FULLTEXT ANALYZER keepcase BM25;
  SELECT search::highlight('{', '}', 1) AS title, search::score(1) AS score FROM ftcase WHERE t @1@ 'Hello'$$)
  WHERE stmt > 5;
SELECT count(*) FROM dllb.query('REMOVE TABLE ftcase; REMOVE ANALYZER keepcase');
