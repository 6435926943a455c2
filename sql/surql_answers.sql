-- dllb.query gives the answers SurrealQL gives, where it used to give
-- other ones without a word: output names, edge tables, RELATE's result,
-- ids in CONTENT, MERGE, the order of types, NONE and NULL, IN on
-- objects, integer arithmetic, subqueries of record ids, scores in the
-- call that made the index, and dialect errors instead of PostgreSQL's.

-- count() is named count, and function names take any case
SELECT * FROM dllb.query($$CREATE ans:1 SET n = 1, `value` = 'v', type = 't', `group` = 'g';
  CREATE ans:2 SET n = 2;
  SELECT count() FROM ans GROUP ALL;
  SELECT COUNT() AS c, Math::Sum(n) FROM ans GROUP ALL;
  SELECT VALUE String::UpperCase(type) FROM ans:1$$);
-- fields in backticks or named like keywords keep their plain names;
-- a path nests as in SurrealQL, and a NONE field is left out
SELECT * FROM dllb.query($$SELECT `value`, type, `group`, n FROM ans; SELECT id, o.a.b FROM ans:1$$);

-- edge tables read, change and delete by name; RELATE returns the edge
-- with in, out and its fields; an explicit edge id and a CONTENT id are used
SELECT * FROM dllb.query($$CREATE ans_p:a; CREATE ans_p:b;
  RELATE ans_p:a->ans_knows:k1->ans_p:b SET since = 2020;
  RELATE ans_p:b->ans_knows->ans_p:a CONTENT {id: 'k2', since: 2021};
  SELECT * FROM ans_knows;
  UPDATE ans_knows SET w = 1 WHERE since > 2020;
  DELETE ans_knows:k1;
  SELECT id, in, out, w FROM ans_knows$$);
-- RELATE from a record CREATE returned (held in a $param), to an array: one edge each
SELECT stmt, result - 'id' AS result FROM dllb.query($$LET $c = CREATE ans_p:c;
  RELATE $c->ans_knows->[ans_p:a, ans_p:b] RETURN NONE;
  SELECT out FROM ans_knows WHERE in = ans_p:c ORDER BY out$$);
SELECT * FROM dllb.query($$CREATE ans_doc CONTENT {id: 'x', v: 1}; CREATE ans_doc CONTENT {id: ans_doc:y}$$);

-- MERGE merges nested objects instead of replacing them
SELECT * FROM dllb.query($$UPDATE ans_doc:x MERGE {o: {a: 1, keep: {z: 1}}};
  UPDATE ans_doc:x MERGE {o: {b: 2, keep: {y: 2}}}$$);

-- SET f = NONE removes the field (also nested); += and -= add to and take from arrays and numbers, in order
SELECT * FROM dllb.query($$CREATE ans_doc:z SET a = 1, tags = ['x'], b = 2, o = {p: 1, q: 2};
  UPDATE ans_doc:z SET a += 2, tags += 'y', tags -= 'x', b = NONE, o.p = NONE;
  CREATE ans_doc:w SET n += 1, l += [1, 2]$$);

-- ORDER BY follows the order of types: NONE, NULL, bool, number, string, array, object
SELECT * FROM dllb.query($$CREATE ans_o:1 SET a = 1; CREATE ans_o:2 SET a = 'x'; CREATE ans_o:3;
  CREATE ans_o:4 SET a = NULL; CREATE ans_o:5 SET a = [1]; CREATE ans_o:6 SET a = true;
  CREATE ans_o:7 SET a = {b: 1}; CREATE ans_o:8 SET a = -5;
  SELECT VALUE id FROM ans_o ORDER BY a; SELECT VALUE id FROM ans_o ORDER BY a DESC$$)
WHERE stmt > 8;

-- NONE is not NULL; a string IN an object is one of its keys
SELECT * FROM dllb.query($$RETURN NONE = NULL; RETURN NULL = NULL; RETURN NONE = NONE;
  RETURN 'a' IN {a: 1}; RETURN 'b' IN {a: 1}; RETURN 1 IN {a: 1};
  SELECT VALUE id FROM ans_o WHERE a IS NONE; SELECT VALUE id FROM ans_o WHERE a = NULL$$);

-- integers stay integers: division truncates; a fraction makes a number that is not
SELECT * FROM dllb.query($$RETURN 7 / 2; RETURN -7 / 2; RETURN 7.0 / 2; RETURN 2 * 3 + 1; RETURN 'a' + 'b'$$);

-- SELECT * FROM (SELECT VALUE id ...): the records those ids name
SELECT * FROM dllb.query($$SELECT * FROM (SELECT VALUE id FROM ans WHERE n = 1)$$);

-- search::score reads the index DEFINE INDEX made earlier in the same call
SELECT * FROM dllb.query($$CREATE ans_t:1 SET body = 'hello world'; CREATE ans_t:2 SET body = 'other words';
  CREATE ans_t:3 SET body = 'more words';
  DEFINE INDEX ans_t_body ON ans_t FIELDS body SEARCH ANALYZER english BM25;
  SELECT id, search::score(1) > 0 AS scored FROM ans_t WHERE body @1@ 'hello'$$);

-- the dialect's errors, not PostgreSQL's
\set VERBOSITY terse
SELECT * FROM dllb.query($$RETURN count(NONE); RETURN count([1, 2]); RETURN count('x')$$);
SELECT * FROM dllb.query($$UPDATE ans:1 CONTENT 'str'$$);
SELECT * FROM dllb.query($$RETURN [1, 2, 3] + 1$$);
SELECT * FROM dllb.query($$RETURN 9223372036854775807 + 1$$);
SELECT * FROM dllb.query($$RETURN 1 / 0$$);
SELECT * FROM dllb.query($$LET $c = {name: 'no id'}; RELATE $c->ans_knows->ans_p:a$$);
\set VERBOSITY default

-- issue 13: a typed vector field can be set to NONE (and NULL)
SELECT * FROM dllb.query($$DEFINE FIELD emb ON ans_v TYPE vector<2>; CREATE ans_v:1 SET emb = [1, 2];
  UPDATE ans_v:1 SET emb = NONE; CREATE ans_v:2 SET emb = NULL; CREATE ans_v:3 CONTENT {emb: NONE}$$);
-- dllb.json_set_path with an empty path is an error, not a stack overflow
SELECT dllb.json_set_path('{"a": 1}', '{}', '2');
SELECT dllb.json_set_path('{"a": 1}', '{b,c}', '2');
-- a recursion that outgrows work_mem fails with 54000, naming the limit
SELECT dllb.create_table('ans_n');
SELECT dllb.create_edge_table('ans_e');
INSERT INTO ans_n SELECT dllb.record('ans_n', g), '{}' FROM generate_series(1, 200) g;
INSERT INTO ans_e (id, "in", out, data)
SELECT dllb.record('ans_e', g), dllb.record('ans_n', 1 + g % 200),
       dllb.record('ans_n', 1 + abs(hashint4(g)) % 200), '{}'
FROM generate_series(1, 2000) g;
SET work_mem = '64kB';
SELECT * FROM dllb.query($$RETURN ans_n:1.{1..256}->ans_e->ans_n$$);
RESET work_mem;
SELECT jsonb_array_length(result) FROM dllb.query($$RETURN ans_n:1.{1..256+collect}->ans_e->ans_n$$);

-- a table named like a keyword reads and writes by its name; an id given
-- as another table's record id keeps that key, in the table created in
SELECT * FROM dllb.query($$CREATE `group`:1 SET n = 1; SELECT * FROM `group`:1; SELECT count() FROM `group` GROUP ALL;
  CREATE ans_doc CONTENT {id: other:42, v: 2}; CREATE ans_doc SET id = other:z9, v = 3;
  SELECT id, v FROM ans_doc WHERE v > 1$$);
SELECT * FROM dllb.query($$REMOVE TABLE `group`$$);

-- a field path reads through record links and maps over arrays
-- (author.name, tags.name); in WHERE too, unless a DEFINE INDEX is on
-- that path (then the index's expression, which serves it); ORDER BY a
-- path orders by the rows as they are (links not followed, as SurrealQL
-- orders before FETCH), by an output name as it is output
SELECT * FROM dllb.query($$CREATE ans_co:acme SET name = 'Acme';
  CREATE ans_au:jo SET name = 'Jo', company = ans_co:acme;
  CREATE ans_tag:a SET name = 'A'; CREATE ans_tag:b SET name = 'B';
  CREATE ans_art:1 SET author = ans_au:jo, tags = [ans_tag:a, ans_tag:b], meta = {by: ans_au:jo};
  SELECT author.name, author.company.name AS co, tags.name, meta.by.name AS by, author.missing FROM ans_art;
  SELECT VALUE id FROM ans_art WHERE author.company.name = 'Acme' AND tags.name CONTAINS 'B';
  CREATE ans_au:al SET name = 'Al'; CREATE ans_art:2 SET author = ans_au:al;
  SELECT VALUE id FROM ans_art ORDER BY author.name, id;
  SELECT id, author.name AS who FROM ans_art ORDER BY who$$) WHERE stmt >= 6;
SELECT * FROM dllb.query($$REMOVE TABLE ans_co; REMOVE TABLE ans_au; REMOVE TABLE ans_tag; REMOVE TABLE ans_art$$);

DROP TABLE ans, ans_p, ans_knows, ans_doc, ans_o, ans_t, ans_v, ans_n, ans_e;
