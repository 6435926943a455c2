-- dllb.query: DEFINE TABLE, DEFINE FIELD, REMOVE TABLE, INFO FOR TABLE/DB:
-- parsed, printed and run.

SELECT dllb.surql_parse($$DEFINE TABLE person SCHEMAFULL; DEFINE TABLE knows TYPE RELATION SCHEMALESS;
  DEFINE FIELD age ON TABLE person TYPE int; DEFINE FIELD emb ON doc TYPE vector<3> DEFAULT [0, 0, 0] ASSERT $value != NONE;
  DEFINE FIELD owner ON doc TYPE option<record<person>>; DEFINE FIELD `odd f` ON `odd t`;
  REMOVE TABLE person; REMOVE FIELD age ON TABLE person; INFO FOR TABLE person; INFO FOR DB; info for database$$);
SELECT dllb.surql_parse('DEFINE TABLE t TYPE SOMETIMES');
SELECT dllb.surql_parse('DEFINE FIELD f ON t TYPE vector<3');
SELECT dllb.surql_parse('DEFINE INDEX i ON t FIELDS f');
SELECT dllb.surql_parse('INFO FOR person');

-- DEFINE TABLE: a document table (SCHEMAFULL is recorded), an edge table
SELECT * FROM dllb.query('DEFINE TABLE person SCHEMAFULL; DEFINE TABLE knows TYPE RELATION; DEFINE TABLE note');
SELECT tbl, kind, schemafull FROM dllb.tables ORDER BY tbl::text;
-- defining it again is an error (also for a table a write made), IF NOT
-- EXISTS leaves it, OVERWRITE replaces its definition (SCHEMAFULL or not)
SELECT * FROM dllb.query('DEFINE TABLE person');
SELECT * FROM dllb.query('DEFINE TABLE person SCHEMALESS');
SELECT * FROM dllb.query('CREATE made:1; DEFINE TABLE made');
SELECT * FROM dllb.query('DEFINE TABLE IF NOT EXISTS person SCHEMALESS; DEFINE TABLE twice SCHEMAFULL; DEFINE TABLE OVERWRITE twice SCHEMALESS');
SELECT tbl, schemafull FROM dllb.tables WHERE tbl::text IN ('person', 'twice') ORDER BY tbl::text;
SELECT stmt, result -> 'tables' -> 'twice' AS twice FROM dllb.query('DEFINE TABLE OVERWRITE twice SCHEMAFULL; INFO FOR DB; REMOVE TABLE twice');
SELECT * FROM dllb.query('DEFINE TABLE OVERWRITE person TYPE RELATION');

-- DEFINE FIELD: a typed column (dllb.define_field); values are read and
-- written through it; existing values move into it
SELECT * FROM dllb.query($$CREATE note:1 SET n = '42', at = '2024-01-02T03:04:05Z', who = 'person:a'$$);
SELECT * FROM dllb.query($$DEFINE FIELD n ON note TYPE int; DEFINE FIELD at ON note TYPE datetime;
  DEFINE FIELD who ON TABLE note TYPE record<person>; DEFINE FIELD emb ON doc TYPE vector<2>;
  DEFINE FIELD tags ON note TYPE array<string>; DEFINE FIELD loose ON note$$);
SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid IN ('note'::regclass, 'doc'::regclass) AND attnum > 0 ORDER BY attrelid::regclass::text, attnum;
SELECT * FROM dllb.query($$CREATE note:2 SET n = 7, tags = ['a'], at = d'2025-05-05T00:00:00Z'; CREATE doc:1 SET emb = [1, 2];
  SELECT * FROM note ORDER BY id; SELECT VALUE emb FROM doc$$);
-- defining a field or an analyzer again is an error; IF NOT EXISTS leaves
-- it, OVERWRITE replaces it; REMOVE ... IF EXISTS of none does nothing
SELECT * FROM dllb.query($$DEFINE FIELD again ON redef TYPE int; DEFINE FIELD IF NOT EXISTS again ON redef TYPE string;
  DEFINE ANALYZER redef_an TOKENIZERS blank; DEFINE ANALYZER IF NOT EXISTS redef_an TOKENIZERS blank;
  DEFINE ANALYZER OVERWRITE redef_an TOKENIZERS blank FILTERS snowball(english);
  REMOVE FIELD IF EXISTS never ON redef; REMOVE ANALYZER IF EXISTS never_an; INFO FOR TABLE redef$$);
SELECT * FROM dllb.query($$DEFINE FIELD again ON redef TYPE int$$);
SELECT * FROM dllb.query($$DEFINE ANALYZER redef_an TOKENIZERS blank$$);
SELECT * FROM dllb.query($$DEFINE FIELD OVERWRITE again ON redef TYPE int ASSERT $value > 0; REMOVE ANALYZER redef_an;
  REMOVE ANALYZER IF EXISTS redef_an; INFO FOR TABLE redef; REMOVE TABLE redef$$);
-- on a SCHEMAFULL table an index names defined fields only; array<any>
-- shows as array
SELECT * FROM dllb.query($$DEFINE TABLE sf_idx SCHEMAFULL; DEFINE FIELD a ON sf_idx TYPE array<any>;
  DEFINE INDEX by_a ON sf_idx FIELDS a; INFO FOR TABLE sf_idx$$);
SELECT * FROM dllb.query($$DEFINE INDEX by_b ON sf_idx FIELDS b$$);
SELECT count(*) FROM dllb.query($$REMOVE TABLE sf_idx$$);
-- a value of another type is an error, not converted: a number for a
-- string, a string for an int or a bool, a DEFAULT of the wrong type
SELECT * FROM dllb.query($$DEFINE FIELD label ON typed TYPE string; DEFINE FIELD k ON typed TYPE int;
  DEFINE FIELD ok ON typed TYPE bool; DEFINE FIELD d ON typed TYPE string DEFAULT 0;
  CREATE typed:1 SET label = 'a', k = 1, ok = true, d = 'x'$$);
SELECT * FROM dllb.query($$CREATE typed:2 SET label = 1$$);
SELECT * FROM dllb.query($$CREATE typed:3 SET k = '1'$$);
SELECT * FROM dllb.query($$UPDATE typed:1 SET ok = 'true'$$);
SELECT * FROM dllb.query($$CREATE typed:4$$);
SELECT count(*) FROM dllb.query($$REMOVE TABLE typed$$);
-- a nested field (a.b, a.*, a[*].b) with a TYPE: every value there is of
-- that type or NONE (a check constraint "a.b TYPE"); INFO FOR TABLE shows
-- it, REMOVE FIELD drops it; FLEXIBLE needs a SCHEMAFULL table
SELECT * FROM dllb.query($$DEFINE TABLE nest SCHEMAFULL; DEFINE FIELD a ON nest TYPE object FLEXIBLE;
  DEFINE FIELD a.b ON nest TYPE number; DEFINE FIELD items ON nest TYPE array<object>;
  DEFINE FIELD items[*].id ON nest TYPE option<int | string>; DEFINE FIELD tags ON nest TYPE array;
  DEFINE FIELD tags.* ON nest TYPE any;
  CREATE nest:1 SET a = {b: 1, c: 'extra'}, items = [{id: 1}, {id: 'x', more: true}, {}], tags = [[1]];
  INFO FOR TABLE nest$$);
SELECT * FROM dllb.query($$CREATE nest:2 SET a = {b: 'one'}$$);
SELECT * FROM dllb.query($$CREATE nest:3 SET items = [{id: 1}, {id: true}]$$);
SELECT * FROM dllb.query($$REMOVE FIELD a.b ON nest; CREATE nest:2 SET a = {b: 'one'} RETURN VALUE a.b$$);
SELECT * FROM dllb.query($$DEFINE FIELD loose ON nest_less TYPE object FLEXIBLE$$);
SELECT * FROM dllb.query($$DEFINE FIELD a.b ON nest DEFAULT 1$$);
-- TYPE RELATION IN a OUT b | c: an edge's ends must be records of those
-- tables (the check constraints "in TYPE", "out TYPE"), as DEFINE FIELD
-- in | out ... TYPE record<a | b> says; REMOVE FIELD out drops the check;
-- a SCHEMAFULL edge table takes only its defined fields
SELECT * FROM dllb.query($$DEFINE TABLE rel_e TYPE RELATION IN rel_a OUT rel_b | rel_c SCHEMAFULL;
  DEFINE FIELD w ON rel_e TYPE int;
  RELATE rel_a:1->rel_e->rel_b:1 SET w = 1 RETURN VALUE [in, out, w]; RELATE rel_a:1->rel_e->rel_c:1 RETURN VALUE out$$);
SELECT * FROM dllb.query($$RELATE rel_a:1->rel_e:bad1->rel_d:1$$);
SELECT * FROM dllb.query($$RELATE rel_b:1->rel_e:bad2->rel_c:1$$);
SELECT * FROM dllb.query($$RELATE rel_a:1->rel_e->rel_c:2 SET note = 'x'$$);
SELECT * FROM dllb.query($$REMOVE FIELD out ON rel_e; DEFINE FIELD OVERWRITE in ON rel_e TYPE record<rel_a | rel_b>;
  RELATE rel_b:1->rel_e->rel_d:1 RETURN VALUE [in, out]; REMOVE TABLE rel_e$$);
-- a nested field of a COMPUTED field, and a COMPUTED field with nested
-- fields, are errors; a SCHEMAFULL table takes a field defined without a
-- TYPE (kept in data)
SELECT * FROM dllb.query($$DEFINE FIELD c ON nest_c COMPUTED {x: 1}; DEFINE FIELD c.x ON nest_c TYPE int$$);
SELECT * FROM dllb.query($$DEFINE FIELD d.x ON nest_c TYPE int; DEFINE FIELD d ON nest_c COMPUTED {x: 1}$$);
SELECT * FROM dllb.query($$DEFINE TABLE nest_v SCHEMAFULL; DEFINE FIELD f ON nest_v VALUE '1';
  DEFINE FIELD g ON nest_v; CREATE nest_v:1 SET f = '2', g = [1]; REMOVE TABLE nest_v$$);
-- REMOVE FIELD in (or out) of an edge table forgets its definition
SELECT * FROM dllb.query($$DEFINE TABLE nest_e TYPE RELATION IN nest OUT nest; REMOVE FIELD out ON nest_e;
  INFO FOR TABLE nest_e$$);
SELECT count(*) FROM dllb.query($$REMOVE TABLE nest; REMOVE TABLE nest_e$$);
-- a typed field of an edge table: RELATE writes it, paths read it
SELECT count(*) FROM dllb.query('DEFINE FIELD since ON knows TYPE int; CREATE person:a; CREATE person:b; RELATE person:a->knows->person:b SET since = 2020, how = $h', '{"h": "work"}');
SELECT "in", out, since, data FROM knows;
SELECT * FROM dllb.query('SELECT VALUE ->knows[WHERE since > 2000 AND how = $h].since FROM person:a', '{"h": "work"}');
-- errors: an unknown type, a value that does not convert, a reserved name
SELECT * FROM dllb.query('DEFINE FIELD x ON note TYPE colour');
SELECT * FROM dllb.query('DEFINE FIELD x ON note TYPE vector<0>');
SELECT * FROM dllb.query($$CREATE note:3 SET y = 'abc'; DEFINE FIELD y ON note TYPE int$$);
SELECT * FROM dllb.query('DEFINE FIELD id ON note TYPE int');

-- a SCHEMAFULL table takes only the fields defined on it
SELECT * FROM dllb.query($$CREATE person:x SET name = 'X'$$);
SELECT * FROM dllb.query($$CREATE person:x CONTENT {name: 'X'}$$);
SELECT * FROM dllb.query($$INSERT INTO person [{id: 'x', name: 'X'}]$$);
SELECT * FROM dllb.query($$DEFINE FIELD name ON person TYPE string; CREATE person:x SET name = 'X';
  INSERT INTO person {id: 'y', name: 'Y'}; UPDATE person:x MERGE {name: 'X2'}; UPSERT person:z CONTENT {name: 'Z'}$$);
SELECT * FROM dllb.query($$UPDATE person:x MERGE {name: 'X3', age: 3}$$);
SELECT * FROM dllb.query($$UPSERT person:x SET nick = 'x'$$);
SELECT * FROM dllb.query($$UPDATE person:x CONTENT $c$$, '{"c": {"name": "X4", "extra": 1}}');
SELECT * FROM dllb.query('SELECT VALUE name FROM person ORDER BY id');

-- INFO FOR TABLE and INFO FOR DB
SELECT * FROM dllb.query('INFO FOR TABLE note; INFO FOR TABLE knows; INFO FOR TABLE nosuch');
SELECT * FROM dllb.query('INFO FOR DB');

-- DEFINE INDEX: UNIQUE (a btree index t_i), HNSW on a vector field; REMOVE INDEX
SELECT dllb.surql_parse($$DEFINE INDEX email ON TABLE user COLUMNS email UNIQUE; DEFINE INDEX ft ON doc FIELDS body SEARCH ANALYZER english BM25;
  DEFINE INDEX v ON doc FIELDS emb HNSW DIMENSION 3 DIST COSINE; DEFINE INDEX ab ON t FIELDS a.b, c; REMOVE INDEX v ON TABLE doc$$);
SELECT dllb.surql_parse('DEFINE INDEX v ON doc FIELDS emb HNSW DIMENSION 0');
SELECT * FROM dllb.query($$CREATE note:u1 SET email = 'a@x', addr = {zip: '0150'};
  DEFINE INDEX email ON note FIELDS email UNIQUE; DEFINE INDEX when ON note FIELDS at, addr.zip$$);
SELECT * FROM dllb.query($$CREATE note:u2 SET email = 'a@x'$$);
-- the dialect's comparisons use such indexes
SET enable_seqscan = off;
SELECT plan ~ 'Index Scan using note_email' AS email_index
FROM dllb.explain($$SELECT * FROM note WHERE email = $e$$, '{"e": "a@x"}');
SELECT * FROM dllb.query('DEFINE INDEX zip ON note FIELDS addr.zip');
SELECT plan ~ 'note_zip' AS path_index FROM dllb.explain($$SELECT * FROM note WHERE addr.zip = 1 AND n > 0$$);
SELECT * FROM dllb.query('REMOVE INDEX zip ON note');
RESET enable_seqscan;
SELECT * FROM dllb.query($$CREATE note:u3 SET email = 'b@x'; INFO FOR TABLE note$$);
SELECT * FROM dllb.query($$CREATE vec:1 SET emb = [1, 0]; DEFINE FIELD emb ON vec TYPE vector<2>;
  DEFINE INDEX near ON vec FIELDS emb HNSW DIMENSION 2 DIST COSINE$$);
SELECT indexdef FROM pg_indexes WHERE indexname = 'vec_near';
-- <|k|> orders by the distance of the field's index: cosine here
SELECT sql ~ 'OPERATOR\(pg_catalog.<=>\)' AS cosine FROM dllb.explain('SELECT id FROM vec WHERE emb <|1|> $q', '{"q": [1, 0]}');
SELECT * FROM dllb.query('DEFINE INDEX bad ON vec FIELDS emb HNSW DIMENSION 3');
SELECT * FROM dllb.query('DEFINE INDEX bad ON note FIELDS n HNSW DIMENSION 3');
SELECT * FROM dllb.query('DEFINE INDEX bad ON vec FIELDS emb HNSW DIMENSION 2 DIST MANHATTAN');
-- HNSW on a field without a type (as SurrealDB indexes) makes it a
-- vector<n> field first; a value that is no such vector is an error
SELECT * FROM dllb.query($$CREATE hnsw_pt:1 SET p = [1, 2], tag = 'a'; CREATE hnsw_pt:2 SET p = [3, 4];
  DEFINE INDEX pn ON hnsw_pt FIELDS p HNSW DIMENSION 2 DIST EUCLIDEAN HASHED_VECTOR;
  SELECT id, p, vector::distance::knn() AS d FROM hnsw_pt WHERE p <|1|> [3, 3]$$);
SELECT indexdef FROM pg_indexes WHERE indexname = 'hnsw_pt_pn';
SELECT * FROM dllb.query($$CREATE hnsw_pt2:1 SET p = [1, 2, 3]; DEFINE INDEX pn ON hnsw_pt2 FIELDS p HNSW DIMENSION 2$$);
SELECT count(*) FROM dllb.query('REMOVE TABLE hnsw_pt');
SELECT * FROM dllb.query('DEFINE INDEX ft ON note FIELDS body SEARCH ANALYZER english BM25');
SELECT stmt, result -> 'indexes' AS indexes FROM dllb.query('DEFINE INDEX x ON idx_made FIELDS a; INFO FOR TABLE idx_made');
SELECT * FROM dllb.query('DEFINE INDEX email ON note FIELDS email');
SELECT stmt, sql, plan IS NULL AS no_plan FROM dllb.explain($$DEFINE INDEX x ON note FIELDS `it's`$$);
SELECT * FROM dllb.query('REMOVE INDEX email ON note; REMOVE INDEX near ON vec; CREATE note:u4 SET email = $e', '{"e": "a@x"}');
SELECT * FROM dllb.query('REMOVE INDEX pkey ON note');
SELECT * FROM dllb.query('REMOVE INDEX in_out ON knows');
SELECT * FROM dllb.query('REMOVE INDEX nosuch ON note');
SELECT indexname FROM pg_indexes WHERE tablename IN ('note', 'vec') ORDER BY 1;
DROP TABLE vec;

-- REMOVE TABLE drops a dllb table; others do not exist for it
CREATE TABLE plain (id int);
SELECT * FROM dllb.query('REMOVE TABLE doc; REMOVE TABLE knows; INFO FOR DB');
SELECT * FROM dllb.query('REMOVE TABLE plain');
SELECT * FROM dllb.query('REMOVE TABLE nosuch');
SELECT * FROM dllb.query('REMOVE FIELD n ON note');
SELECT stmt, sql, plan IS NULL AS no_plan FROM dllb.explain('REMOVE TABLE note; DEFINE TABLE x');
SELECT to_regclass('x') IS NULL AS not_created;

-- DEFINE ANALYZER: a text search configuration in the current schema that
-- SEARCH ANALYZER names; the code tokenizer splits identifiers
SELECT * FROM dllb.query($$DEFINE ANALYZER code_en TOKENIZERS class, blank FILTERS lowercase, snowball(english);
  DEFINE ANALYZER words_simple TOKENIZERS blank FILTERS lowercase$$);
SELECT cfgname, obj_description(oid, 'pg_ts_config') FROM pg_ts_config
 WHERE cfgnamespace = 'public'::regnamespace ORDER BY 1;
SELECT * FROM dllb.query('INFO FOR DB');
SELECT * FROM dllb.query($$CREATE src_an:1 SET body = 'fn parseHttpRequest(req) handles the requests';
  CREATE src_an:2 SET body = 'http_server starts listening'; CREATE src_an:3 SET body = 'nothing here';
  DEFINE INDEX body_code ON src_an FIELDS body SEARCH ANALYZER code_en BM25$$);
SELECT indexdef FROM pg_indexes WHERE indexname = 'src_an_body_code';
SELECT * FROM dllb.query($$SELECT id FROM src_an WHERE body @1@ 'http request' ORDER BY search::score(1) DESC$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM src_an WHERE body @@ 'http' ORDER BY id$$);
-- errors: unknown parts, unsupported filters, a second definition, an
-- analyzer that does not exist, one still used by an index
SELECT * FROM dllb.query('DEFINE ANALYZER bad TOKENIZERS whitespace');
SELECT * FROM dllb.query('DEFINE ANALYZER bad FILTERS ascii, rot13');
SELECT * FROM dllb.query('DEFINE ANALYZER bad FILTERS edgengram(3, 2)');
SELECT * FROM dllb.query('DEFINE ANALYZER bad TOKENIZERS code FILTERS ngram(1, 2)');
SELECT * FROM dllb.query('DEFINE ANALYZER bad FILTERS snowball(klingon)');
SELECT * FROM dllb.query('DEFINE ANALYZER bad FILTERS snowball(english), snowball(german)');
SELECT * FROM dllb.query('DEFINE ANALYZER bad FILTERS rot13');
SELECT * FROM dllb.query('DEFINE ANALYZER code_en');
SELECT * FROM dllb.query('DEFINE ANALYZER bad TOKENIZERS `not plain`');
SELECT * FROM dllb.query('DEFINE INDEX b2 ON src_an FIELDS body SEARCH ANALYZER nosuch BM25');
SELECT * FROM dllb.query('REMOVE ANALYZER code_en');
SELECT * FROM dllb.query('REMOVE ANALYZER nosuch');
SELECT * FROM dllb.query('REMOVE ANALYZER english');
SELECT stmt, sql, plan IS NULL AS no_plan FROM dllb.explain('DEFINE ANALYZER x FILTERS snowball(french); REMOVE ANALYZER x');
-- REMOVE in order; an error later in the call leaves both in place
SELECT * FROM dllb.query('REMOVE INDEX body_code ON src_an; REMOVE ANALYZER code_en; REMOVE ANALYZER nosuch');
SELECT count(*) FROM pg_indexes WHERE indexname = 'src_an_body_code';
SELECT * FROM dllb.query('REMOVE INDEX body_code ON src_an; REMOVE ANALYZER code_en; REMOVE ANALYZER words_simple');
SELECT count(*) FROM pg_ts_config WHERE cfgnamespace = 'public'::regnamespace;
DROP TABLE src_an;

DROP TABLE person, note, plain, idx_made;
