-- dllb.query: DEFINE FUNCTION and DEFINE PARAM (parsed, printed, kept in
-- dllb.db_definitions, called and read), REMOVE FUNCTION / PARAM, INFO FOR
-- DB, and who may write the definitions of a schema.
\set VERBOSITY terse

-- the grammar, as the printer writes it back
SELECT dllb.surql_parse($$DEFINE FUNCTION fn::area($w: number, $h: option<number>) -> number { LET $hh = $h ?? $w; RETURN $w * $hh; } COMMENT 'w by h' PERMISSIONS FULL;
  DEFINE FUNCTION IF NOT EXISTS fn::shop::Total() {}; DEFINE FUNCTION OVERWRITE fn::x($a: int | string) { $a } PERMISSIONS WHERE true;
  REMOVE FUNCTION fn::shop::Total(); REMOVE FUNCTION IF EXISTS fn::x;
  DEFINE PARAM $rate VALUE 0.25 COMMENT 'tax'; DEFINE PARAM OVERWRITE $tags VALUE ['a', 'b'] PERMISSIONS NONE;
  REMOVE PARAM $rate; REMOVE PARAM IF EXISTS $tags; RETURN fn::shop::Total() + fn::area(2, 3)$$);
SELECT dllb.surql_parse('DEFINE FUNCTION area() { 1 }');
SELECT dllb.surql_parse('DEFINE FUNCTION fn::f($a: int, $a: int) { 1 }');
SELECT dllb.surql_parse('DEFINE FUNCTION fn::f($a int) { 1 }');
SELECT dllb.surql_parse('DEFINE PARAM rate VALUE 1');
SELECT dllb.surql_parse('DEFINE PARAM $rate 1');
SELECT dllb.surql_parse('REMOVE FUNCTION fn::');

-- a function: RETURN gives its value; without one, its last statement does
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::full($first: string, $last: string) { RETURN $first + ' ' + $last; };
  RETURN fn::full('Ada', 'Lovelace'); fn::full('Alan', 'Turing')$$);
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::last() { 1 + 2; 3 + 4; }; DEFINE FUNCTION fn::empty() {};
  DEFINE FUNCTION fn::early() { { RETURN 'inner'; }; RETURN 'outer'; };
  RETURN [fn::last(), fn::empty(), fn::early()]$$);
-- LET, IF and FOR inside; a RETURN inside IF or FOR ends the function
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::first_big($xs: array, $min: int) {
    LET $found = NONE;
    FOR $x IN $xs { IF $x >= $min { RETURN $x; }; };
    RETURN 'none';
  };
  RETURN [fn::first_big([1, 5, 9], 4), fn::first_big([1, 2], 4)]$$);
-- names keep their case and may have several parts; the names of the
-- dialect's own functions are still any case
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::Geo::toKm($m: number) { $m / 1000 }; RETURN fn::Geo::toKm(2500) + MATH::abs(-1)$$);
SELECT * FROM dllb.query($$RETURN fn::geo::tokm(2500)$$);
-- recursion, up to a depth limit
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::fact($n: int) { IF $n <= 1 { RETURN 1; }; RETURN $n * fn::fact($n - 1); }; RETURN fn::fact(10)$$);
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::forever($n: int) { RETURN fn::forever($n + 1); }$$);
SELECT * FROM dllb.query($$RETURN fn::forever(0)$$);

-- statements of records: an array of them, one record with ONLY
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::add_item($name: string, $price: number) { RETURN CREATE ONLY item CONTENT { name: $name, price: $price } RETURN name, price; };
  DEFINE FUNCTION fn::cheap($max: number) { SELECT name FROM item WHERE price <= $max ORDER BY name };
  RETURN fn::add_item('pen', 2); RETURN fn::add_item('ink', 5); RETURN fn::add_item('pad', 9);
  RETURN fn::cheap(5); RETURN fn::cheap(0)$$);
-- a call is an expression like any other: over each row, in WHERE, in SET
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::with_tax($p: number) { $p * 1.5 };
  SELECT name, fn::with_tax(price) AS gross FROM item WHERE fn::with_tax(price) > 5 ORDER BY name;
  UPDATE item SET gross = fn::with_tax(price) WHERE name = 'pen' RETURN name, gross$$);

-- arguments: counted, trailing option<T> and any ones may be left out,
-- and each is checked against its type
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::opt($a: bool, $b: option<bool>) { [$a, $b ?? 'unset'] };
  DEFINE FUNCTION fn::mid($a: bool, $b: option<bool>, $c: bool) { [$a, $c] };
  DEFINE FUNCTION fn::none_arg() { 'none' }; DEFINE FUNCTION fn::anything($v: any) { $v ?? 'nothing' };
  RETURN [fn::opt(true), fn::opt(true, false), fn::mid(true, NONE, false), fn::anything(), fn::anything(3)]$$);
SELECT * FROM dllb.query($$RETURN fn::opt()$$);
SELECT * FROM dllb.query($$RETURN fn::opt(true, true, true)$$);
SELECT * FROM dllb.query($$RETURN fn::mid(true, false)$$);
SELECT * FROM dllb.query($$RETURN fn::none_arg(1)$$);
SELECT * FROM dllb.query($$RETURN fn::opt('yes')$$);
SELECT * FROM dllb.query($$RETURN fn::full('Ada', 1)$$);
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::typed($i: int, $r: record<item>, $l: array<int>, $o: object, $u: int | string) { 'ok' };
  RETURN fn::typed(1, item:x, [1], {}, 'u'); RETURN fn::typed(1, item:x, [1], {}, 2)$$);
SELECT * FROM dllb.query($$RETURN fn::typed(1.5, item:x, [1], {}, 'u')$$);
SELECT * FROM dllb.query($$RETURN fn::typed(1, other:x, [1], {}, 'u')$$);
SELECT * FROM dllb.query($$RETURN fn::typed(1, item:x, [1], {}, true)$$);
-- the -> type checks the value
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::label($n: int) -> string { RETURN 'n' + <string> $n; };
  DEFINE FUNCTION fn::wrong($n: int) -> string { RETURN $n; }; RETURN fn::label(4)$$);
SELECT * FROM dllb.query($$RETURN fn::wrong(4)$$);
-- unknown functions, BREAK outside a loop of the body
SELECT * FROM dllb.query($$RETURN fn::missing(1)$$);
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::brk() { BREAK; }$$);
SELECT * FROM dllb.query($$FOR $i IN [1, 2] { fn::brk(); }$$);

-- a function body sees its arguments and the defined params, not the
-- caller's LET or params
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::peek() { $outer }$$);
SELECT * FROM dllb.query($$LET $outer = 1; RETURN fn::peek()$$);
SELECT * FROM dllb.query($$RETURN fn::peek()$$, '{"outer": 2}');

-- DEFINE PARAM: its value, evaluated once, is read by later statements
-- and later calls; a LET or a param of the call hides it
SELECT * FROM dllb.query($$DEFINE PARAM $rate VALUE 0.5 * 2; RETURN $rate; LET $rate = 7; RETURN $rate$$);
SELECT * FROM dllb.query($$RETURN $rate + 1$$);
SELECT * FROM dllb.query($$RETURN $rate$$, '{"rate": 100}');
SELECT * FROM dllb.query($$DEFINE PARAM $cheap VALUE (SELECT VALUE name FROM item WHERE price < 3); RETURN $cheap$$);
SELECT * FROM dllb.query($$SELECT name FROM item WHERE name INSIDE $cheap$$);
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::scaled($x: number) { $x * $rate }; RETURN fn::scaled(3)$$);
-- OVERWRITE: the new value from the next statement on
SELECT * FROM dllb.query($$DEFINE PARAM OVERWRITE $rate VALUE 2; RETURN $rate; RETURN fn::scaled(3)$$);

-- defining twice is an error; IF NOT EXISTS leaves it; REMOVE ... IF EXISTS
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::last() { 0 }$$);
SELECT * FROM dllb.query($$DEFINE PARAM $rate VALUE 3$$);
SELECT * FROM dllb.query($$DEFINE FUNCTION IF NOT EXISTS fn::last() { 0 }; DEFINE PARAM IF NOT EXISTS $rate VALUE 3;
  RETURN [fn::last(), $rate]$$);
SELECT * FROM dllb.query($$DEFINE FUNCTION OVERWRITE fn::last() { 0 }; RETURN fn::last()$$);
SELECT * FROM dllb.query($$REMOVE FUNCTION fn::last(); REMOVE FUNCTION IF EXISTS fn::last; REMOVE PARAM $cheap; REMOVE PARAM IF EXISTS $cheap$$);
SELECT * FROM dllb.query($$REMOVE FUNCTION fn::last$$);
SELECT * FROM dllb.query($$REMOVE PARAM $cheap$$);
SELECT * FROM dllb.query($$RETURN fn::last()$$);
SELECT * FROM dllb.query($$DEFINE PARAM $gone VALUE 1; REMOVE PARAM $gone; RETURN $gone$$);

-- INFO FOR DB lists them as SurrealDB shows them
SELECT * FROM dllb.query($$DEFINE FUNCTION OVERWRITE fn::empty() {} COMMENT 'does nothing' PERMISSIONS NONE;
  DEFINE PARAM $note VALUE NONE COMMENT 'empty'$$);
SELECT jsonb_pretty(result -> 'functions') AS functions, jsonb_pretty(result -> 'params') AS params
FROM dllb.query('INFO FOR DB');

-- definitions are transactional: a cancelled block takes them back
SELECT * FROM dllb.query($$BEGIN; DEFINE FUNCTION fn::undone() { 1 }; DEFINE PARAM $undone VALUE 1; REMOVE PARAM $rate; CANCEL;
  RETURN $rate$$);
SELECT kind, name FROM dllb.db_definitions WHERE name LIKE 'undone%';

-- only members of the schema's owner write its definitions: another role
-- that may create objects in the schema can neither add, change nor
-- remove them; every role that uses the schema reads them
\c - dllb_hostile
SET search_path = public;
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::planted() { 'owned' }$$);
SELECT * FROM dllb.query($$DEFINE FUNCTION OVERWRITE fn::full($a: any, $b: any) { 'owned' }$$);
SELECT * FROM dllb.query($$DEFINE PARAM OVERWRITE $rate VALUE 'owned'$$);
SELECT * FROM dllb.query($$REMOVE FUNCTION fn::full$$);
INSERT INTO dllb.db_definitions (nsp, kind, name, definition, source)
VALUES ('public', 'function', 'planted', 'x', 'DEFINE FUNCTION fn::planted() { ''owned'' }');
UPDATE dllb.db_definitions SET source = 'DEFINE FUNCTION fn::full() { ''owned'' }' WHERE name = 'full';
DELETE FROM dllb.db_definitions WHERE name = 'full';
SELECT * FROM dllb.query($$RETURN fn::full('Ada', 'Lovelace')$$);
-- in its own schema it defines its own
RESET search_path;
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::full($a: any, $b: any) { 'own' }; RETURN fn::full(1, 2)$$);
SELECT nsp, kind, name, owner FROM dllb.db_definitions WHERE nsp = 'dllb_hostile'::regnamespace;
SELECT * FROM dllb.query($$REMOVE FUNCTION fn::full$$);
\c - dllb_app
SELECT * FROM dllb.query($$RETURN fn::full('Ada', 'Lovelace')$$);
SELECT nsp, kind, name, owner FROM dllb.db_definitions ORDER BY nsp::text, kind, name;

-- each schema has its own; dropping a schema drops its definitions
CREATE SCHEMA udf_other;
SET search_path = udf_other;
SELECT * FROM dllb.query($$DEFINE FUNCTION fn::full() { 'other schema' }; DEFINE PARAM $rate VALUE -1; RETURN [fn::full(), $rate]$$);
RESET search_path;
SELECT * FROM dllb.query($$RETURN [fn::full('Ada', 'Lovelace'), $rate]$$);
SELECT count(*) FROM dllb.db_definitions WHERE nsp::oid = 'udf_other'::regnamespace::oid;
DROP SCHEMA udf_other;
SELECT count(*) FROM dllb.db_definitions WHERE nsp::text NOT IN ('public', 'dllb_hostile');

-- clean up
SELECT * FROM dllb.query($$REMOVE FUNCTION fn::full; REMOVE FUNCTION fn::empty; REMOVE FUNCTION fn::early; REMOVE FUNCTION fn::first_big;
  REMOVE FUNCTION fn::Geo::toKm; REMOVE FUNCTION fn::fact; REMOVE FUNCTION fn::forever; REMOVE FUNCTION fn::add_item;
  REMOVE FUNCTION fn::cheap; REMOVE FUNCTION fn::with_tax; REMOVE FUNCTION fn::opt; REMOVE FUNCTION fn::mid;
  REMOVE FUNCTION fn::none_arg; REMOVE FUNCTION fn::anything; REMOVE FUNCTION fn::typed; REMOVE FUNCTION fn::label;
  REMOVE FUNCTION fn::wrong; REMOVE FUNCTION fn::brk; REMOVE FUNCTION fn::peek; REMOVE FUNCTION fn::scaled;
  REMOVE PARAM $rate; REMOVE PARAM $note; REMOVE TABLE item$$);
SELECT nsp, kind, name FROM dllb.db_definitions WHERE nsp = 'public'::regnamespace;
