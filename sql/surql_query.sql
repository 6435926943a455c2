-- dllb.query: the dialect's statements run on dllb's document tables
-- (first slice: SELECT, CREATE, UPDATE, DELETE, RELATE, LET, RETURN), with
-- $params, and every value bound as a parameter.

SELECT * FROM dllb.query($$
CREATE person:alice SET name = 'Alice', age = 31;
CREATE person:bob CONTENT {name: 'Bob', age: 25, tags: ['x', 'y']};
CREATE person:carol CONTENT {name: 'Carol', age: 40, address: {city: 'Oslo'}}
$$);

-- SELECT: *, fields with AS, VALUE, WHERE, ORDER BY, LIMIT, START
SELECT * FROM dllb.query('SELECT * FROM person WHERE age > 28');
SELECT * FROM dllb.query('SELECT name, age + 1 AS next, address.city FROM person ORDER BY age DESC');
SELECT * FROM dllb.query('SELECT VALUE name FROM person ORDER BY name LIMIT 2 START 1');
SELECT * FROM dllb.query($$SELECT VALUE name FROM person WHERE tags CONTAINS 'x' OR address.city = 'Oslo'$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM person WHERE age IN [25, 40] AND NOT name = 'Bob'$$);
SELECT * FROM dllb.query('SELECT VALUE name FROM person WHERE address IS NONE ORDER BY name');
SELECT * FROM dllb.query('SELECT * FROM person:bob');

-- params, and LET
SELECT * FROM dllb.query('SELECT VALUE name FROM person WHERE age >= $min ORDER BY name', '{"min": 31}');
SELECT * FROM dllb.query($$LET $a = 30; LET $names = (SELECT VALUE name FROM person WHERE age > $a); RETURN $names$$);
-- an unbound $param is an error, never NONE
SELECT * FROM dllb.query('SELECT * FROM person WHERE age > $typo');
SELECT * FROM dllb.query('SELECT 1 FROM person', '[1]');

-- UPDATE, RELATE, DELETE
SELECT * FROM dllb.query('UPDATE person:bob SET age = age + 1; UPDATE person MERGE {checked: true} WHERE age > 30 RETURN NONE');
SELECT * FROM dllb.query('SELECT VALUE checked FROM person ORDER BY name');
SELECT stmt, result ? 'id' AS has_id FROM dllb.query('RELATE person:alice->knows->person:bob SET since = 2020');
SELECT "in", out, data FROM knows;
SELECT * FROM dllb.query('DELETE person:carol RETURN BEFORE; DELETE person WHERE age > 100; SELECT VALUE id FROM person');

-- graph paths: the records reached (or a field of them), as conditions
-- (true when they reach anything), in comparisons (true when any value
-- reached satisfies it), counted, chained, both ways, from a record
SELECT count(*) FROM dllb.query($$
CREATE person:c SET name = 'Cid'; CREATE post:p1 SET title = 'T1';
RELATE person:bob->knows->person:c; RELATE person:c->likes->post:p1
$$);
SELECT * FROM dllb.query('SELECT name, ->knows->person AS friends, count(->knows->person) AS n, ->knows->person.name AS names FROM person ORDER BY name');
SELECT * FROM dllb.query($$SELECT VALUE name FROM person WHERE ->knows->person; SELECT VALUE name FROM person WHERE ->knows->person.name = 'Cid'; SELECT VALUE name FROM person WHERE <-knows<-person ORDER BY name$$);
SELECT * FROM dllb.query('SELECT ->knows->person->likes->post.title AS titles, array::sort(<->knows<->person) AS both FROM person:bob');
SELECT * FROM dllb.query('SELECT person:alice->knows->person->knows->? AS two FROM person:alice; SELECT ->nosuch->person AS none FROM person:alice');

-- typed columns (dllb.define_field), and the k nearest neighbours among
-- the rows that pass the other conditions, served by dllb_hnsw
SELECT dllb.create_table('doc');
SELECT dllb.define_field('doc', 'emb', 'dllb.vector(3)');
INSERT INTO doc SELECT dllb.record('doc', g),
	jsonb_build_object('kind', CASE WHEN g % 10 = 0 THEN 'fn' ELSE 'other' END, 'n', g),
	ARRAY[(hashint4(g) % 1000) / 100.0, (hashint4(g + 7) % 1000) / 100.0, g % 7]::real[]::dllb.vector
FROM generate_series(1, 2000) g;
CREATE INDEX doc_emb ON doc USING dllb_hnsw (emb);
ANALYZE doc;
SELECT * FROM dllb.query($$CREATE doc:new SET emb = [1, 2, 3], kind = 'fn'; SELECT * FROM doc:new; UPDATE doc:new MERGE {emb: [3, 2, 1]}; SELECT VALUE emb FROM doc:new; DELETE doc:new$$);
-- the 5 nearest among the rows with kind = 'fn', equal to plain SQL's
SELECT array_agg(r->>'id' ORDER BY r->>'d') = (SELECT array_agg(id::text ORDER BY d) FROM (
	SELECT id, emb <-> '[0.5, 0.5, 3]' AS d FROM doc WHERE data->>'kind' = 'fn' ORDER BY emb <-> '[0.5, 0.5, 3]' LIMIT 5) e) AS same_as_sql,
	count(*)
FROM (SELECT result || pg_catalog.jsonb_build_object('d', to_char((result->>'d')::float8, '0.000000')) AS r
      FROM dllb.query($$SELECT id, vector::distance::knn() AS d FROM doc WHERE kind = 'fn' AND emb <|5,40|> $q$$,
                      '{"q": [0.5, 0.5, 3]}')) s;
SELECT count(*) FROM dllb.query('SELECT VALUE id FROM doc WHERE emb <|3,COSINE|> $q ORDER BY n DESC', '{"q": [1, 1, 1]}');
-- dllb.explain: the SQL, its plan, and whether an index serves it
SELECT stmt, uses_index, plan ~ 'Index Scan using doc_emb' AS hnsw
FROM dllb.explain($$SELECT id FROM doc WHERE kind = 'fn' AND emb <|5,77|> $q; SELECT * FROM doc:5; CREATE nosuch:1$$,
                  '{"q": [0.5, 0.5, 3]}');
-- an explicit metric is exact search by it: no index serves it
SELECT stmt, uses_index, sql ~ 'dllb.l2_distance' AS by_function
FROM dllb.explain($$SELECT id FROM doc WHERE emb <|3,EUCLIDEAN|> $q; SELECT id FROM doc WHERE emb <|3,40|> $q$$,
                  '{"q": [0.5, 0.5, 3]}');
SELECT array_agg(result ORDER BY ord) = (SELECT array_agg(pg_catalog.to_jsonb(id::text) ORDER BY dllb.l1_distance(emb, '[0.5, 0.5, 3]'), id)
                                          FROM (SELECT id, emb FROM doc ORDER BY dllb.l1_distance(emb, '[0.5, 0.5, 3]'), id LIMIT 4) e)
       AS manhattan_exact
FROM dllb.query($$SELECT VALUE id FROM doc WHERE emb <|4,MANHATTAN|> $q$$, '{"q": [0.5, 0.5, 3]}') WITH ORDINALITY AS r(stmt, result, ord);
-- <|k,ef|> set ef_search for its statement only
SHOW dllb.hnsw_ef_search;
SELECT * FROM dllb.query('SELECT * FROM doc WHERE emb <|2|> $q AND emb <|3|> $q', '{"q": [1, 1, 1]}');
SELECT * FROM dllb.query('SELECT * FROM doc WHERE emb <|2|> $q OR n = 1', '{"q": [1, 1, 1]}');
SELECT * FROM dllb.query('SELECT vector::distance::knn() FROM doc');
DROP TABLE doc;

-- a table that does not exist, or is not dllb's, has no rows
SELECT * FROM dllb.query('SELECT * FROM nosuch; SELECT * FROM pg_authid; UPDATE nosuch SET a = 1; DELETE nosuch');
CREATE TABLE plain (id int);
SELECT * FROM dllb.query('SELECT * FROM plain');
-- values never become SQL: quotes and SQL in strings and params stay data
SELECT * FROM dllb.query($$CREATE note:1 SET body = 'it\'s\'); DROP TABLE plain; --', owner = $o$$,
                         '{"o": "x\"); DROP TABLE plain; --"}');
SELECT * FROM dllb.query($$SELECT VALUE body FROM note WHERE owner = $o$$, '{"o": "x\"); DROP TABLE plain; --"}');
SELECT count(*) FROM plain;
-- names are checked: no SQL through a table name
SELECT * FROM dllb.query('CREATE `x"; DROP TABLE plain; --` SET a = 1');
SELECT * FROM dllb.query('CREATE plain SET a = 1');
-- nor through a field name, a nested field, a record key or an analyzer name
SELECT * FROM dllb.query($$CREATE note:⟨k'); DROP TABLE plain; --⟩ SET `f'); DROP TABLE plain; --` = 1,
  `g"`.`h'` = 2 RETURN NONE; SELECT VALUE id FROM note:⟨k'); DROP TABLE plain; --⟩;
  SELECT `f'); DROP TABLE plain; --` AS f, `g"`.`h'` AS h FROM note WHERE `f'); DROP TABLE plain; --` = 1$$);
SELECT * FROM dllb.query($$DEFINE ANALYZER ⟨a"; DROP TABLE plain; --⟩ FILTERS lowercase$$);
SELECT cfgname FROM pg_ts_config WHERE cfgname LIKE 'a"%';
SELECT * FROM dllb.query($$REMOVE ANALYZER ⟨a"; DROP TABLE plain; --⟩$$);
SELECT * FROM dllb.query('UPDATE person SET id = 1');

-- statements run as the caller: privileges and row-level security apply
\c - dllb_admin
CREATE ROLE regress_dllb_reader;
GRANT regress_dllb_reader TO dllb_app;
\c - dllb_app
SELECT dllb.create_table('secret');
SELECT count(*) FROM dllb.query($$CREATE secret:1 SET owner = 'regress_dllb_reader', v = 1; CREATE secret:2 SET owner = 'someone', v = 2$$);
GRANT USAGE ON SCHEMA public TO regress_dllb_reader;
SET ROLE regress_dllb_reader;
SELECT * FROM dllb.query('SELECT * FROM secret');
RESET ROLE;
GRANT SELECT ON secret TO regress_dllb_reader;
ALTER TABLE secret ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON secret FOR SELECT USING (data->>'owner' = current_user);
SET ROLE regress_dllb_reader;
SELECT * FROM dllb.query('SELECT VALUE v FROM secret');
SELECT * FROM dllb.query('DELETE secret');
RESET ROLE;
DROP TABLE secret;
REVOKE USAGE ON SCHEMA public FROM regress_dllb_reader;
\c - dllb_admin
DROP ROLE regress_dllb_reader;
\c - dllb_app

-- an error undoes the whole call
SELECT * FROM dllb.query('CREATE gone:1 SET a = 1; SELECT * FROM gone WHERE a = $missing');
SELECT * FROM dllb.query('SELECT * FROM gone');

-- what this slice does not translate yet is refused, not misread
SELECT * FROM dllb.query($$SELECT * FROM person WHERE name @@ 'x'$$);
SELECT * FROM dllb.query('SELECT string::len(name) FROM person');
SELECT * FROM dllb.query('SELECT * FROM person, knows');
SELECT * FROM dllb.query('REMOVE FIELD name ON person');
SELECT * FROM dllb.query('BEGIN; COMMIT');
-- syntax errors come from the parser
SELECT * FROM dllb.query('SELECT * FROM');

-- a repeated statement's tree is kept from its second call on, one per
-- text; a text run once is not kept
-- (reading pg_backend_memory_contexts takes a superuser)
\c - dllb_admin
CREATE TEMP TABLE parses AS
  SELECT count(*) AS n FROM pg_backend_memory_contexts WHERE name = 'dllb.query parse';
SELECT * FROM dllb.query('RETURN 41 + 1 /* parse me once */');
SELECT * FROM dllb.query('RETURN 41 + 1 /* parse me once */');
SELECT * FROM dllb.query('RETURN 41 + 1 /* parse me once */');
SELECT * FROM dllb.query('RETURN 41 + 1 /* parse me once */ ');
SELECT (SELECT count(*) FROM pg_backend_memory_contexts WHERE name = 'dllb.query parse') - n AS new_trees
FROM parses;
\c - dllb_app

DROP TABLE person, knows, likes, post, note, plain;
