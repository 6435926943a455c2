-- dllb.query: UPDATE / UPSERT ... RETURN BEFORE | DIFF, DELETE ... RETURN
-- BEFORE, and SELECT ... FETCH

SELECT count(*) FROM dllb.query($$
  CREATE person:a SET name = 'Ann', age = 30, friends = [person:b, person:c, person:gone], best = person:b;
  CREATE person:b SET name = 'Bob', age = 25;
  CREATE person:c SET name = 'Cid', age = 40;
  DEFINE FIELD age ON person TYPE int
$$);

-- RETURN BEFORE: the record as it was; RETURN DIFF: a JSON Patch from it
-- to the record after, one operation per top-level field
SELECT * FROM dllb.query($$
  UPDATE person:a SET age = 31, name = NONE, nick = 'A' RETURN BEFORE;
  UPDATE person:b SET age = age + 1, nick = 'B' RETURN DIFF;
  UPDATE person SET seen = true WHERE age > 35 RETURN DIFF;
  UPDATE person:a MERGE {name: 'Ann'} RETURN AFTER;
  UPDATE person:nobody SET age = 1 RETURN BEFORE
$$);
-- UPSERT: BEFORE is NONE (null) for a record it creates, and DIFF adds every field
SELECT * FROM dllb.query($$
  UPSERT person:b SET age = 20 RETURN BEFORE;
  UPSERT person:b SET age = 21 RETURN DIFF;
  UPSERT person:d SET name = 'Dee' RETURN BEFORE;
  UPSERT person:e SET name = 'Eve' RETURN DIFF;
  SELECT VALUE id FROM person
$$);
-- CREATE: BEFORE is NONE (SQL NULL), DIFF replaces the whole document
SELECT stmt, result, result IS NULL AS is_none FROM dllb.query($$CREATE person:f SET name = 'Fay' RETURN BEFORE; CREATE person:g SET name = 'Gil' RETURN DIFF; DELETE person:f; DELETE person:g$$);
-- RELATE: a new edge's BEFORE is NONE and its DIFF replaces the whole edge
SELECT stmt, result, result IS NULL AS is_none FROM dllb.query($$RELATE person:a->rf_e:1->person:b RETURN BEFORE;
  RELATE person:a->rf_e:2->person:b SET w = 1 RETURN DIFF; REMOVE TABLE rf_e$$);
-- $before and $after in RETURN VALUE e and RETURN f, ...: the record as
-- it was (NONE for a new one) and as it is (NONE once deleted); a path
-- of a closure parameter reads that path
SELECT * FROM dllb.query($$CREATE ba:t SET age = 18 RETURN VALUE [$before, $after.age];
  UPDATE ba:t SET age = 25 RETURN VALUE $before;
  UPDATE ba:t SET age = 30 RETURN VALUE {old_age: $before.age, new_age: $after.age};
  UPSERT ba:t SET age = 31 RETURN VALUE [$before.age, $after.age];
  UPSERT ba SET age = 40 WHERE age = 31 RETURN VALUE [$before.age, $after.age];
  INSERT INTO ba {id: 'n', age: 2} RETURN VALUE [$before, $after.age];
  DELETE ba:t RETURN VALUE [$before.age, $after];
  RETURN array::map([{a: 1}, {a: 2}], |$v| $v.a); REMOVE TABLE ba$$);
-- RETURN NULL: NULL (JSON null), not NONE
SELECT stmt, result, result IS NULL AS is_none FROM dllb.query($$CREATE person:h RETURN NULL; DELETE person:h$$);
-- a field name that JSON Pointer escapes
SELECT * FROM dllb.query($$UPDATE person:e CONTENT {`a/b~c`: 1} RETURN DIFF$$);
-- DELETE ... RETURN BEFORE: the deleted records; without it, no rows
SELECT * FROM dllb.query('DELETE person:e RETURN BEFORE; DELETE person:d; SELECT VALUE id FROM person');
-- DIFF and BEFORE inside a cancelled block are not returned
SELECT * FROM dllb.query('BEGIN; UPDATE person:a SET age = 0 RETURN BEFORE; CANCEL; SELECT VALUE age FROM person:a');

-- FETCH f: the record ids in field f of each result replaced by their
-- records (an array of them element by element; a record that does not
-- exist, or whose table is not dllb's, is null)
SELECT * FROM dllb.query('SELECT name, best, friends FROM person:a FETCH friends, best');
-- FETCH names fields of the result (an alias), nested paths too
SELECT * FROM dllb.query($$CREATE team:x SET lead = {who: person:c}, size = 2;
  SELECT lead.who AS boss, size FROM team FETCH boss; SELECT * FROM team FETCH lead.who, size, nothing$$);
-- SELECT VALUE f FETCH f fetches the values themselves
SELECT * FROM dllb.query('SELECT VALUE best FROM person WHERE best IS NOT NONE FETCH best');
SELECT * FROM dllb.query('SELECT VALUE friends FROM person:a FETCH friends');
-- a string that only looks like a record id is kept; a table that is not dllb's reads as missing
CREATE TABLE plain (id int);
SELECT * FROM dllb.query($$CREATE note:1 SET r = 'no colon', s = 'plain:1', t = 'person:b'; SELECT r, s, t FROM note FETCH r, s, t$$);
DROP TABLE plain;
-- refused
SELECT * FROM dllb.query('SELECT VALUE name FROM person FETCH best');
SELECT * FROM dllb.query('SELECT * FROM person FETCH count()');

DROP TABLE person, team, note;

-- FETCH a.b fetches a and then a's b, whatever the order of the paths,
-- over each element of an array on the way
SELECT * FROM dllb.query($$CREATE fplace:1 SET city = 'Oslo'; CREATE fco:1 SET name = 'Acme', place = fplace:1;
  CREATE fwriter:1 SET name = 'Ida', company = fco:1; CREATE fpost:1 SET author = fwriter:1, sponsors = [fco:1];
  SELECT * FROM fpost FETCH author.company, author; SELECT * FROM fpost FETCH author.company.place;
  SELECT * FROM fpost FETCH author.name; SELECT * FROM fpost FETCH sponsors.place$$) WHERE stmt > 4;
SELECT count(*) FROM dllb.query('REMOVE TABLE fplace; REMOVE TABLE fco; REMOVE TABLE fwriter; REMOVE TABLE fpost');
