-- dllb.query: INSERT INTO table {...} | [{...}, ...] and UPSERT of a
-- record id (SET, MERGE, CONTENT), with typed columns and $params.

-- INSERT: one row per object; the table is created on first write; an id
-- is a key or a record of the table, and random when missing
SELECT * FROM dllb.query($$INSERT INTO person [{id: 'ann', name: 'Ann', age: 30}, {id: 7, name: 'Sev'}, {id: person:bo, name: 'Bo'}]$$);
SELECT stmt, result - 'id' AS result, result->>'id' ~ '^person:[0-9a-z]{20}$' AS random_id
FROM dllb.query($$INSERT INTO person {name: 'Anon'}$$);
SELECT * FROM dllb.query('INSERT INTO person $rows', '{"rows": [{"id": "p1", "name": "From a param", "tags": ["x"]}]}');
SELECT * FROM dllb.query($$SELECT VALUE id FROM person WHERE name != 'Anon' ORDER BY id$$);
-- typed columns get their values
SELECT dllb.define_field('person'::regclass, 'age', 'bigint');
SELECT * FROM dllb.query($$INSERT INTO person {id: 'typed', age: 41, city: 'Oslo'}; SELECT VALUE age FROM person:typed$$);
SELECT id, age, data FROM person WHERE id = 'person:typed';
-- errors: not objects, a duplicate id, a value that does not convert, not a literal
SELECT * FROM dllb.query('INSERT INTO person [1, 2]');
SELECT * FROM dllb.query('INSERT INTO person $v', '{"v": "text"}');
SELECT * FROM dllb.query($$INSERT INTO person {id: 'ann'}$$);
SELECT * FROM dllb.query($$INSERT INTO person {id: 'bad', age: 'old'}$$);
SELECT * FROM dllb.query('INSERT INTO person {name: name}');
SELECT * FROM dllb.query('SELECT count() FROM person GROUP ALL');
-- (f, ...) VALUES (v, ...), ...; RETURN as other writes; IGNORE leaves
-- out a record whose id or UNIQUE field is taken; without INTO the table
-- is that of the records' ids
SELECT * FROM dllb.query($$INSERT INTO ins_v (id, name, n) VALUES ('a', 'A', 1), ('b', 'B', 2) RETURN name;
  INSERT INTO ins_v {id: 'c', name: 'C'} RETURN NONE;
  INSERT INTO ins_v {id: 'd', name: 'D'} RETURN NULL;
  INSERT INTO ins_v {id: 'e', name: 'E'} RETURN BEFORE;
  INSERT INTO ins_v {id: 'f', name: 'F'} RETURN DIFF;
  DEFINE INDEX ins_name ON ins_v FIELDS name UNIQUE;
  INSERT IGNORE INTO ins_v [{id: 'a', name: 'other'}, {id: 'g', name: 'B'}, {id: 'h', name: 'H'}];
  INSERT IGNORE INTO ins_v {id: 'a'} ON DUPLICATE KEY UPDATE name = 'never';
  INSERT [{id: ins_v:i, name: 'I'}, {id: ins_v:j}];
  SELECT VALUE name FROM ins_v ORDER BY id$$);
SELECT * FROM dllb.query($$INSERT INTO ins_v {id: 'a'} ON DUPLICATE KEY UPDATE name = 'x'$$);
SELECT * FROM dllb.query($$INSERT {name: 'no id'}$$);
SELECT * FROM dllb.query($$INSERT [{id: ins_v:k}, {id: ins_w:k}]$$);
SELECT * FROM dllb.query($$INSERT INTO ins_v (id, name) VALUES ('k')$$);
-- INSERT RELATION: edges, each with its in and out
SELECT * FROM dllb.query($$INSERT RELATION INTO ins_e [{id: 1, in: ins_v:a, out: ins_v:b, w: 2}];
  INSERT RELATION INTO ins_e (in, out) VALUES (ins_v:b, ins_v:c) RETURN VALUE out;
  SELECT VALUE ->ins_e->ins_v.name FROM ins_v:a$$);
SELECT * FROM dllb.query($$INSERT RELATION INTO ins_e {in: ins_v:a}$$);
SELECT * FROM dllb.query($$INSERT INTO ins_e {in: ins_v:a, out: ins_v:b}$$);
SELECT count(*) FROM dllb.query($$REMOVE TABLE ins_v; REMOVE TABLE ins_e$$);

-- UPSERT: creates the record when missing, updates it when present
SELECT * FROM dllb.query($$UPSERT person:zed SET name = 'Zed', age = 20$$);
SELECT * FROM dllb.query($$UPSERT person:zed SET age = age + 1, seen = true$$);
SELECT * FROM dllb.query($$UPSERT person:zed MERGE {city: 'Rome'}; UPSERT person:new MERGE {city: 'Paris', age: 5}$$);
SELECT * FROM dllb.query($$UPSERT person:zed CONTENT {name: 'Zed 2'} RETURN NONE; SELECT * FROM person:zed$$);
SELECT * FROM dllb.query($$UPSERT counter:home SET visits = $n; UPSERT counter:home SET visits = visits + $n$$, '{"n": 1}');
-- a $param as the target: a record id or a table name
SELECT * FROM dllb.query($$UPSERT $who SET visits = 5; SELECT VALUE visits FROM $who; SELECT VALUE id FROM $tb$$,
                         '{"who": "counter:⟨a:b⟩", "tb": "counter"}');
SELECT * FROM dllb.query('DELETE $who RETURN BEFORE', '{"who": "counter:home"}');
-- (a $param holding a number is a value: SELECT reads it as it is, a write refuses it)
SELECT * FROM dllb.query('SELECT * FROM $who', '{"who": 42}');
SELECT * FROM dllb.query('DELETE $who', '{"who": 42}');
SELECT * FROM dllb.query('SELECT * FROM $who', '{"who": "pg_authid"}');
SELECT * FROM dllb.query('SELECT * FROM $who', '{"who": "x\"; DROP TABLE counter; --:1"}');
-- UPSERT of a table: the records WHERE selects (all without WHERE)
-- updated, or one new record when there are none
SELECT stmt, result - 'id' AS result, result ? 'id' AS has_id FROM dllb.query($$UPSERT tally SET n = 1, tag = 'first'$$);
SELECT * FROM dllb.query($$UPSERT tally SET n = n + 1 RETURN NONE; SELECT n, tag FROM tally$$);
SELECT * FROM dllb.query($$UPSERT tally SET n = 100 WHERE n > 50 RETURN NONE; SELECT n, tag FROM tally ORDER BY n$$);
SELECT * FROM dllb.query($$UPSERT tally SET n = 0 WHERE tag = 'first' RETURN NONE; SELECT n, tag FROM tally ORDER BY n$$);
-- UPSERT of a record with WHERE: created when missing; when present,
-- changed only where the condition holds
SELECT * FROM dllb.query($$UPSERT tally:k SET n = 5; UPSERT tally:k SET n = 6 WHERE n > 10;
  UPSERT tally:k SET n = 7 WHERE n < 10; UPSERT tally:z SET n = 1 WHERE n > 10$$);
-- RETURN BEFORE and DIFF of a whole table: each updated record as it
-- was, and NONE (a DIFF that replaces the whole document) for one created
SELECT * FROM dllb.query($$UPSERT tally SET n = n + 1 WHERE n >= 5 AND n < 50 RETURN BEFORE$$);
SELECT * FROM dllb.query($$UPSERT tally SET n = 0 WHERE n > 1000 RETURN BEFORE$$);
SELECT stmt, jsonb_array_length(result) AS ops, result -> 0 -> 'op' AS op
FROM dllb.query($$UPSERT tally SET n = 1, tag = 'x' WHERE n > 2000 RETURN DIFF$$);
SELECT * FROM dllb.query($$UPSERT tally SET n = n * 2 WHERE n = 8 RETURN DIFF$$);
-- refused: the id cannot be set
SELECT * FROM dllb.query('UPSERT person:zed SET id = 1');
DROP TABLE tally;
-- one plan for every value
SELECT stmt, sql FROM dllb.explain($$UPSERT person:zed SET age = 3$$);

DROP TABLE person, counter;
