-- dllb.query: array and object record keys (rk:[1, 'a'], rk:{ a: 1 }) as
-- targets, values, RELATE edge ids and range ends; their text, equality and
-- order (also of the dllb.record type itself)

-- the type: one canonical text, whatever the spacing and quoting
SELECT 'rk:[1,"a" , rk_p:x,[2,{b:1,a:''x''}],none,..]'::dllb.record;
SELECT 'rk:{ b: 1, ''a b'': [1,2] }'::dllb.record, 'rk:{}'::dllb.record, 'rk:[]'::dllb.record;
SELECT 'rk:[1,2]'::dllb.record = 'rk:[1, 2]'::dllb.record AS same,
       'rk:[1, 2]'::dllb.record = 'rk:[2, 1]'::dllb.record AS swapped;
SELECT 'rk:[1, 2'::dllb.record;
SELECT 'rk:{a: 1, a: 2}'::dllb.record;
SELECT 'rk:[1 2]'::dllb.record;
-- order: integer, string and uuid keys first, then arrays (element by
-- element, shorter first; NONE < NULL < bool < number < string < array <
-- object < record < ..), then objects
SELECT x FROM (VALUES ('rk:[10]'::dllb.record), ('rk:[9]'), ('rk:[1, NONE]'), ('rk:[1]'),
  ('rk:[1, 2]'), ('rk:5'), ('rk:[''a'']'), ('rk:{a: 1}'), ('rk:[rk_p:a]'), ('rk:[..]'),
  ('rk:[1.5]'), ('rk:[NULL]'), ('rk:[true]'), ('rk:[false]'), ('rk:[[1]]'), ('rk:zed'),
  ('rk:[-3]'), ('rk:[{}]')) v(x) ORDER BY x;
-- the key as jsonb (records as their strings), and back
SELECT dllb.key('rk:[1, ''a'', rk_p:x, {a: NONE}]');
SELECT dllb.record('rk', '[1, "a", "rk_p:x", {"z": null}]'::jsonb);
SELECT dllb.record('rk', '{"k": [true]}'::jsonb);
-- binary output: the canonical key
SELECT dllb.record_send('rk:[1, ''a'']') = dllb.record_send('rk:[1,"a"]') AS same_bytes;

-- targets: CREATE, UPSERT, UPDATE, DELETE, SELECT; keys of expressions,
-- evaluated when the statement runs
SELECT * FROM dllb.query($$
  CREATE rk_t:[1, 'a'] SET v = 1;
  CREATE rk_t:[1, 'b'] SET v = 2;
  CREATE rk_t:[2, 'a'] SET v = 3;
  CREATE rk_t:[10] SET v = 4;
  LET $i = 5;
  CREATE rk_t:[$i, rk_p:tobie] SET v = 5;
  UPSERT rk_t:[$i, rk_p:tobie] SET w = 6;
  CREATE rk_t:{ city: 'Paris', n: $i * 2 } SET v = 7;
  SELECT * FROM rk_t:[1, 'a'];
  SELECT VALUE v FROM rk_t:{ n: 10, city: 'Paris' }
$$);
-- the same key twice is the same record
SELECT * FROM dllb.query($$CREATE rk_t:[1,"a"]$$);
-- ORDER BY id follows the record order (rk_t:[2, 'a'] before rk_t:[10])
SELECT * FROM dllb.query('SELECT VALUE id FROM rk_t ORDER BY id');
SELECT * FROM dllb.query('SELECT VALUE id FROM rk_t ORDER BY id DESC LIMIT 2');
-- ranges: NONE is the least value and a bare .. the greatest
SELECT * FROM dllb.query('SELECT VALUE id FROM rk_t:[1, NONE]..[1, ..]');
SELECT * FROM dllb.query('SELECT VALUE id FROM rk_t:[1]..=[5, ..]');
SELECT * FROM dllb.query('SELECT VALUE id FROM rk_t:[2].. LIMIT 2');
SELECT * FROM dllb.query('SELECT VALUE id FROM rk_t:..[2]');
SELECT * FROM dllb.query('SELECT count() FROM rk_t:[1, NONE].. GROUP ALL');
SELECT * FROM dllb.query($$UPDATE rk_t:[2, 'a'] SET v = 33 RETURN AFTER; DELETE rk_t:[10] RETURN BEFORE;
  SELECT VALUE id FROM rk_t WHERE id = rk_t:[2, 'a']$$);
-- values: printed as SurrealQL prints them, made at run time from row values
SELECT * FROM dllb.query($$LET $k = 3; RETURN [rk_t:[$k + 1, 'x'], rk_t:{b: 2, a: [NONE]}, rk_t:['rk_p:x']]$$);
SELECT * FROM dllb.query('SELECT VALUE rk_u:[v, id] FROM rk_t WHERE v < 3 ORDER BY v');
SELECT * FROM dllb.query($$RETURN record::id(rk_t:[1, 'a']); RETURN record::tb(rk_t:[1, 'a']); RETURN type::record('rk_t', [7, 'z'])$$);
-- id[i]: an element (or field) of the record's array (or object) key
SELECT * FROM dllb.query($$UPSERT rk_t:[50.0, 51.5] SET p = [id[0], id[1], id[5]];
  RETURN rk_t:{a: 2}['a']; RETURN 'rk_t:[1'[0]$$);
-- a bare .. is no key of a record
SELECT * FROM dllb.query('CREATE rk_t:[..]');
SELECT * FROM dllb.query('SELECT * FROM rk_t:[1, ..]');
-- RELATE with an edge id of expressions; graph steps by edge id or range
SELECT * FROM dllb.query($$
  CREATE rk_p:a, rk_p:b;
  LET $n = 10;
  RELATE rk_p:a->rk_knows:[rk_p:a, $n - 5]->rk_p:b;
  RELATE rk_p:a->rk_knows:[rk_p:a, $n - 4]->rk_p:b;
  RELATE rk_p:a->rk_knows:[rk_p:a, $n - 3]->rk_p:b;
  SELECT VALUE id FROM rk_knows:[rk_p:a, NONE]..[rk_p:a, ..];
  SELECT ->rk_knows:[rk_p:a, 5]->rk_p AS one, ->rk_knows:[rk_p:a, 6]..=[rk_p:a, $n - 3] AS two FROM rk_p:a
$$);
-- UPSERT of an edge updates it (an edge is made by RELATE only)
SELECT * FROM dllb.query($$UPSERT rk_knows:[rk_p:a, 5] SET strength = 'strong';
  UPSERT rk_knows:[rk_p:a, 99] SET strength = 'none';
  SELECT VALUE strength FROM rk_knows$$);
-- FROM <array>a..b: the numbers as values, with LIMIT and START
SELECT * FROM dllb.query('SELECT * FROM <array>0..10 LIMIT 2 START 8; SELECT VALUE $this * 2 FROM <array>1..=3 LIMIT 0');
SELECT * FROM dllb.query('SELECT VALUE $this FROM <array>1..=3 START 1');
SELECT dllb.surql_parse($$SELECT * FROM rk:[1, NONE]..=[1, ..]; RELATE a:1->e:[a:1, $x]->b:2; SELECT ->e:[1]..[2] FROM a:1; SELECT * FROM t:1.. LIMIT 3$$);

SELECT count(*) FROM dllb.query('REMOVE TABLE rk_t; REMOVE TABLE rk_p; REMOVE TABLE rk_knows');
