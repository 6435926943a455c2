-- dllb.query: several targets, arrays of record ids, subqueries as a
-- source and as a value, nested SET, arrays and objects of computed values

SELECT count(*) FROM dllb.query($$
  CREATE tg_user:alice SET name = 'Alice', age = 30, addr.city = 'Paris', addr.geo.lat = 48.8;
  CREATE tg_user:bob SET name = 'Bob', age = 17;
  CREATE tg_user:cid SET name = 'Cid', age = 41;
  RELATE tg_user:alice->tg_knows->tg_user:bob;
  RELATE tg_user:bob->tg_knows->tg_user:cid;
  CREATE tg_post:1 SET title = 'hello'
$$);

-- SET a.b.c = v makes the objects on the way; UPDATE keeps the others
SELECT * FROM dllb.query('SELECT addr FROM tg_user:alice');
SELECT * FROM dllb.query($$UPDATE tg_user:alice SET addr.zip = '75001', addr.geo.lat = 49, name = 'Alice' RETURN DIFF$$);
SELECT * FROM dllb.query($$UPSERT tg_user:dan SET x.y.z = 1, age = 5; UPDATE tg_user:dan SET x = 7, x.w = 2$$);
SELECT * FROM dllb.query($$CREATE tg_user:eve SET id.key = 1$$);

-- several targets and arrays of record ids, in the order given; missing
-- records give nothing
SELECT * FROM dllb.query('SELECT VALUE name FROM [tg_user:cid, tg_user:alice, tg_user:nobody]');
SELECT * FROM dllb.query('SELECT VALUE name FROM tg_user:bob, tg_user:alice');
SELECT * FROM dllb.query('SELECT VALUE name FROM $r', '{"r": ["tg_user:bob", "tg_user:cid"]}');
SELECT * FROM dllb.query('SELECT VALUE name FROM $r WHERE age > 20', '{"r": ["tg_user:bob", "tg_user:cid"]}');
SELECT * FROM dllb.query('SELECT VALUE name FROM [tg_user:cid, tg_user:alice] ORDER BY name');
SELECT * FROM dllb.query('SELECT VALUE name FROM tg_user, tg_user:bob');
SELECT * FROM dllb.query('SELECT VALUE name FROM []');
SELECT * FROM dllb.query($$UPDATE [tg_user:bob, tg_user:cid] SET seen = true RETURN NONE;
  SELECT VALUE id FROM tg_user WHERE seen = true$$);
SELECT * FROM dllb.query('DELETE [tg_user:dan] RETURN BEFORE');
SELECT sql FROM dllb.explain('SELECT * FROM [tg_user:bob, tg_user:cid]');
-- CREATE of several records makes each
SELECT * FROM dllb.query('CREATE [tg_user:x, tg_user:y] SET a = 1');
-- errors: tables that differ, a target that is not a record id
SELECT * FROM dllb.query('SELECT * FROM tg_user:bob, tg_post:1');
SELECT * FROM dllb.query('SELECT * FROM tg_user, tg_knows');
SELECT * FROM dllb.query('SELECT * FROM [1, 2]');
SELECT * FROM dllb.query('SELECT * FROM $r', '{"r": [1]}');

-- a subquery as the source: its results are the rows, in its order
SELECT * FROM dllb.query('SELECT * FROM (SELECT name, age FROM tg_user WHERE age > 18) WHERE age < 40');
SELECT * FROM dllb.query('SELECT name FROM (SELECT * FROM tg_user ORDER BY age DESC) LIMIT 2');
SELECT * FROM dllb.query('SELECT name, ->tg_knows->tg_user.name AS knows FROM (SELECT * FROM tg_user WHERE age < 35)');
SELECT * FROM dllb.query('SELECT count() AS n, math::sum(age) AS s FROM (SELECT * FROM tg_user) GROUP ALL');
SELECT * FROM dllb.query('SELECT * FROM (SELECT VALUE name FROM tg_user WHERE age > $a)', '{"a": 20}');
SELECT * FROM dllb.query('SELECT * FROM (SELECT * FROM tg_nosuch)');
SELECT * FROM dllb.query('SELECT * FROM (DELETE tg_user)');
-- a subquery as a value: the array of its results
SELECT * FROM dllb.query('RETURN (SELECT VALUE name FROM tg_user WHERE age > 18 ORDER BY name)');
SELECT * FROM dllb.query('SELECT name, (SELECT VALUE name FROM tg_user WHERE age < 20) AS young FROM tg_user:alice');
SELECT * FROM dllb.query($$IF (SELECT VALUE name FROM tg_user) CONTAINS 'Bob' THEN RETURN 'yes' ELSE RETURN 'no' END$$);

-- arrays and objects of computed values
SELECT * FROM dllb.query($$RETURN [string::len('abc'), {a: math::abs(-2), b: [1, string::uppercase('x')]}, 1 > 0]$$);
SELECT * FROM dllb.query($$SELECT [name, age + 1] AS pair, {n: name} AS obj FROM tg_user:bob$$);

-- a write's target may be a record as a value (an object with an id, or
-- an array of them), as LET keeps what CREATE returned; LET of an ONLY
-- statement keeps the one record, not an array (NONE without one)
SELECT * FROM dllb.query($$LET $c = CREATE ONLY tg_user:cy SET name = 'Cy';
  LET $both = SELECT * FROM tg_user WHERE name IN ['Bob', 'Cy'];
  UPDATE $c SET age = 5;
  UPDATE $both SET seen = true RETURN VALUE id;
  LET $none = SELECT * FROM ONLY tg_user:nobody;
  RETURN [$c.name, $none];
  DELETE $c RETURN BEFORE$$);
-- SELECT over values (not tables or records): one row per value, arrays
-- giving their elements and NONE / NULL none, in the order written; $this
-- is the current value (or record), a field of a value that is no object NONE
SELECT * FROM dllb.query($$SELECT * FROM [0, 1], [2, 3], 4 START 1 LIMIT 3;
  SELECT $this, $this * 2 AS twice FROM [1, 2] WHERE $this > 1;
  SELECT * FROM NONE, [NULL, NONE]; SELECT VALUE x FROM [{x: 1}, {x: 2}, 'y'] ORDER BY x DESC;
  SELECT VALUE $this FROM 'bob'; SELECT VALUE $this.name FROM tg_user WHERE age > 18 ORDER BY name;
  SELECT VALUE $this FROM $vals$$, '{"vals": [10, 20]}');
-- FROM ONLY: more than one result is an error (none gives no row);
-- RETURN SELECT ... is RETURN (SELECT ...), with ONLY its one result
SELECT * FROM dllb.query($$SELECT VALUE name FROM ONLY tg_user:bob; SELECT * FROM ONLY [1, 2] LIMIT 1;
  RETURN SELECT VALUE name FROM tg_user WHERE age > 18 ORDER BY name;
  RETURN SELECT name FROM ONLY tg_user:bob; RETURN (SELECT * FROM ONLY tg_user:nobody)$$);
SELECT * FROM dllb.query($$SELECT name FROM ONLY tg_user$$);
-- none is an error too, unless a record id (or a $param) was read
SELECT * FROM dllb.query($$SELECT * FROM ONLY []$$);
SELECT * FROM dllb.query($$SELECT * FROM ONLY tg_user WHERE age > 1000$$);
SELECT * FROM dllb.query($$RETURN SELECT VALUE name FROM ONLY tg_user$$);
-- a record inside an array of values is refused (it would not be read)
SELECT * FROM dllb.query($$SELECT * FROM [1, tg_user:bob]$$);
-- a field that is NONE in CONTENT or INSERT is not kept (nested objects
-- too, also in arrays, whose NONE elements stay); NULL is kept
SELECT * FROM dllb.query($$CREATE tg_none:1 CONTENT {a: NONE, b: {k: NONE, j: 1}, c: [NONE, {k: NONE}], d: NULL};
  UPSERT tg_none:2 CONTENT {x: NONE}; INSERT INTO tg_none {id: 3, w: {q: NONE}};
  REMOVE TABLE tg_none$$);
-- SET a['k'] = v is SET a.k = v
SELECT * FROM dllb.query($$UPSERT tg_user:sq SET opts['color'] = 'red', opts['size'].unit = 'cm'$$);
-- LET of an ONLY statement with several results is an error
SELECT * FROM dllb.query($$LET $two = SELECT * FROM ONLY tg_user$$);

SELECT count(*) FROM dllb.query('REMOVE TABLE tg_user; REMOVE TABLE tg_knows; REMOVE TABLE tg_post');

-- CREATE names a table once per new record: CREATE t, t makes two; the
-- mock targets |t:n| (n new records) and |t:a..b| (t:a up to b, b
-- excluded; ..= includes it)
SELECT * FROM dllb.query($$CREATE gadget, gadget, gadget:x SET kind = 'g' RETURN NONE;
  SELECT count() FROM gadget GROUP ALL;
  CREATE |gizmo:4| SET n = 1 RETURN NONE; SELECT count() FROM gizmo GROUP ALL;
  CREATE |widget:1..3| RETURN NONE; CREATE |widget:7..=8| RETURN NONE;
  SELECT VALUE id FROM |widget:0..50|; CREATE |widget:0| RETURN NONE$$);
SELECT dllb.surql_parse($$CREATE |gizmo:2|; SELECT * FROM |widget:1..=2|$$);
SELECT * FROM dllb.query($$CREATE |gizmo:10001|$$);
-- (and all of a statement's mock targets together expand to at most 512 kB of text)
SELECT * FROM dllb.query($$CREATE |gizmo:10000|, |gizmo:10000|, |gizmo:10000|, |gizmo:10000|$$);
-- SET id = v: only the record's own id or key (nothing to change)
SELECT * FROM dllb.query($$CREATE gadget:7 SET id = 7, n = 1; CREATE gadget:q SET id = gadget:q;
  UPDATE gadget:7 SET id = 7, n = 2$$);
SELECT * FROM dllb.query($$UPDATE gadget:7 SET id = 8$$);
SELECT * FROM dllb.query($$CREATE gadget:9 SET id = gadget:10$$);
-- UPSERT t CONTENT {id: t:k, ...} writes t:k (it made a new random id)
SELECT * FROM dllb.query($$LET $d = {id: gadget:keep, size: 3}; UPSERT gadget CONTENT $d;
  UPSERT gadget CONTENT {id: gadget:keep, size: 4}; SELECT * FROM gadget:keep;
  SELECT count() FROM gadget WHERE size != NONE GROUP ALL$$);
-- RELATE ... SET id = e:k (or k) names the new edge, as CREATE t SET id does
SELECT * FROM dllb.query($$CREATE gizmo:a; RELATE gizmo:a->gbought->gadget:keep SET id = gbought:1, how = 'card';
  RELATE gizmo:a->gbought->gadget:keep SET id = 2; SELECT id, how FROM gbought$$) WHERE stmt = 4;
-- a graph path as a target: the records it reaches
SELECT * FROM dllb.query($$SELECT * FROM gizmo:a->gbought->gadget; SELECT id FROM gizmo:a->gbought->gadget WHERE size = 4;
  SELECT * FROM gadget:keep->gbought->gizmo; SELECT id FROM gizmo:a->gbought:1..=2$$);
DROP TABLE gbought;
DROP TABLE gadget;
DROP TABLE gizmo;
DROP TABLE widget;
