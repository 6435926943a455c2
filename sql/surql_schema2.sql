-- dllb.query: DEFINE FIELD ... DEFAULT / ASSERT and REMOVE FIELD

-- DEFAULT: set on a new record that lacks the field (or holds NONE);
-- ASSERT: checked on every write, $value is the field
SELECT * FROM dllb.query($$
  DEFINE FIELD age ON person TYPE int DEFAULT 18 ASSERT $value >= 0 AND $value < $max;
  DEFINE FIELD role ON person DEFAULT 'user' ASSERT $value IN ['user', 'admin'];
  CREATE person:a;
  CREATE person:b SET age = 40, role = 'admin';
  CREATE person:c CONTENT {age: 5, role: NONE};
  INSERT INTO person [{id: 'd', name: 'Dee'}]
$$, '{"max": 150}');
-- a failed ASSERT names the field (SQLSTATE 23514), and nothing of the call stays
SELECT * FROM dllb.query('CREATE person:e SET age = 3; CREATE person:f SET age = -1');
DO $$
BEGIN
  PERFORM * FROM dllb.query('CREATE person:f SET age = -1');
EXCEPTION WHEN check_violation THEN
  RAISE NOTICE '% %', SQLSTATE, SQLERRM;
END
$$;
SELECT * FROM dllb.query($$CREATE person:f SET role = 'boss'$$);
SELECT * FROM dllb.query('UPDATE person:a SET age = 200');
SELECT * FROM dllb.query('UPSERT person:g SET age = 151');
-- plain SQL writes are checked too
INSERT INTO person (id, data, age) VALUES ('person:h', '{}', -5);
SELECT * FROM dllb.query('SELECT VALUE id FROM person');
-- an UPSERT that creates the record gets the defaults
SELECT * FROM dllb.query('UPSERT person:g SET name = "Gee"');
-- an ASSERT that rows already break is refused when defined
SELECT * FROM dllb.query('DEFINE FIELD OVERWRITE age ON person TYPE int ASSERT $value > 18');
-- defining the field again (OVERWRITE) replaces its DEFAULT and ASSERT
SELECT * FROM dllb.query('DEFINE FIELD OVERWRITE age ON person TYPE int ASSERT $value != NONE; CREATE person:i SET age = 1000');
SELECT * FROM dllb.query('CREATE person:j');
-- an edge table's field
SELECT count(*) FROM dllb.query($$DEFINE TABLE knows TYPE RELATION; DEFINE FIELD since ON knows DEFAULT 2000 ASSERT $value >= 1900;
  RELATE person:a->knows->person:b; RELATE person:a->knows->person:c SET since = 2020$$);
SELECT * FROM dllb.query('SELECT VALUE ->knows[WHERE since < 2010].since FROM person:a; SELECT VALUE ->knows[WHERE since >= 2010].since FROM person:a');
SELECT * FROM dllb.query('RELATE person:b->knows->person:c SET since = 1800');
-- defaults of typed fields: a vector, a record
SELECT * FROM dllb.query($$DEFINE FIELD emb ON vd TYPE vector<3> DEFAULT [0, 0, 1] ASSERT $value != NONE;
  DEFINE FIELD owner ON vd TYPE record<person> DEFAULT person:x; CREATE vd:1; CREATE vd:2 SET emb = [1, 2, 3]$$);
-- a computed DEFAULT is evaluated for each new record (its $params when
-- defined); one that reads the record's fields is refused
SELECT * FROM dllb.query($$DEFINE FIELD created ON evt DEFAULT time::now(); DEFINE FIELD label ON evt DEFAULT string::uppercase($p);
  DEFINE FIELD n ON evt TYPE int DEFAULT math::abs(-3) + 1$$, '{"p": "x''y"}');
SELECT * FROM dllb.query($$CREATE evt:1 SET a = 1 RETURN NONE; CREATE evt:2 SET label = 'mine', n = 9 RETURN NONE;
  SELECT VALUE [created > d'2020-01-01T00:00:00Z', label, n] FROM evt$$);
SELECT (SELECT count(DISTINCT data->>'created') FROM evt) = 1 AS same_transaction_time;
DROP TABLE evt;
SELECT * FROM dllb.query('DEFINE FIELD n ON person DEFAULT age + 1');
-- refused: an ASSERT over another table (a graph path)
SELECT * FROM dllb.query('DEFINE FIELD n ON person ASSERT ->knows->person');
SELECT * FROM dllb.query('DEFINE FIELD n ON person ASSERT $unbound = 1');
-- dllb.explain shows the SQL (the ASSERT as a check, with its values written in)
SELECT stmt, sql FROM dllb.explain($$DEFINE FIELD nick ON person TYPE string DEFAULT 'x' ASSERT $value != 'bad'$$);

-- REMOVE FIELD drops the field's DEFAULT and ASSERT and turns its typed
-- column back into a document field: the values stay
SELECT * FROM dllb.query($$
  REMOVE FIELD role ON person;
  REMOVE FIELD age ON person;
  CREATE person:k SET age = -7, role = 'anyone';
  SELECT id, age, role FROM person ORDER BY id
$$);
SELECT column_name FROM information_schema.columns WHERE table_name = 'person' ORDER BY ordinal_position;
-- a field that is not defined, a table that does not exist, a reserved name
SELECT * FROM dllb.query('REMOVE FIELD role ON person');
SELECT * FROM dllb.query('REMOVE FIELD x ON nosuch');
SELECT * FROM dllb.query('REMOVE FIELD id ON person');

DROP TABLE person, knows, vd;
