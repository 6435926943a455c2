-- document and edge tables: create_table, create_edge_table, dllb.tables,
-- define_field, relate, and their errors.

SELECT dllb.create_table('person');
SELECT dllb.create_table('person');          -- idempotent
SELECT dllb.create_edge_table('knows');
\d person
\d knows
SELECT tbl, kind, schemafull FROM dllb.tables ORDER BY tbl::text;
SELECT c.relname, a.amname FROM pg_class c JOIN pg_am a ON a.oid = c.relam
WHERE c.relname IN ('person', 'knows') ORDER BY 1;

-- record ids must belong to the table; data must be an object
INSERT INTO person VALUES ('person:alice', '{"name": "Alice", "age": 30}'),
                          ('person:bob', '{"name": "Bob", "age": "forty"}');
INSERT INTO person VALUES ('user:carol', '{}');
INSERT INTO person VALUES ('person:carol', '[1]');

-- define_field: a value that does not convert names its row; nothing moves
SELECT dllb.define_field('person', 'age', 'int');
SELECT id, data FROM person ORDER BY id;
UPDATE person SET data = jsonb_set(data, '{age}', '41') WHERE id = 'person:bob';
SELECT dllb.define_field('person', 'age', 'int');
SELECT id, age, data FROM person ORDER BY id;
SELECT dllb.define_field('person', 'age', 'int');   -- same type again: no-op
SELECT dllb.define_field('person', 'age', 'text');
SELECT dllb.define_field('person', 'tags', 'jsonb');
SELECT dllb.define_field('person', 'x', 'no_such_type');
SELECT dllb.define_field('person', 'id', 'int');
SELECT dllb.define_field('pg_class', 'x', 'int');

-- relate: returns the edge id, creates the edge table when missing
SELECT dllb.tb(dllb.relate('person:alice', 'knows', 'person:bob', '{"since": 2020}')) AS edge_table;
SELECT "in", out, data FROM knows;
SELECT dllb.tb(dllb.relate('person:bob', 'likes', 'person:alice')) AS new_edge_table;
SELECT tbl, kind FROM dllb.tables ORDER BY tbl::text;
SELECT dllb.relate('person:bob', 'person', 'person:alice');
SELECT dllb.relate('person:bob', 'bad name', 'person:alice');
SELECT dllb.create_table('1abc');
CREATE TABLE plain (x int);
SELECT dllb.create_table('plain');

-- dropping a table forgets it
DROP TABLE likes;
SELECT tbl, kind FROM dllb.tables ORDER BY tbl::text;

DROP TABLE person, knows, plain;
SELECT count(*) FROM dllb.tables;
