-- dllb.query: the edges of the standard library (translate_functions.c,
-- 45_stdlib.sql): results outside a function's domain, arguments it
-- refuses, and the less common functions and methods.

-- NaN and the infinities are the JSON strings "NaN", "Infinity" and
-- "-Infinity": a root of a negative number, an arc sine out of -1..1,
-- a logarithm of a negative number or of zero
SELECT * FROM dllb.query($$RETURN [math::sqrt(-4), math::sqrt(9), math::asin(1.5), math::acos(-3),
  math::acos(1), math::ln(-2), math::ln(0), math::log2(0), math::log10(-0.5), math::log10(1000),
  math::log(0, 2), math::log(-8, 2), math::log(8, 2)]$$);
-- the statistics of an empty array, and a percentile outside 0..100
SELECT * FROM dllb.query($$RETURN [math::mean([]), math::max([]), math::min([]), math::sum([]),
  math::variance([]), math::variance([4]), math::stddev([]), math::spread([]), math::mode([]),
  math::interquartile([]), math::midhinge([]), math::trimean([]), math::nearestrank([], 50),
  math::percentile([], 50), math::percentile([1, 2, 3], -5), math::percentile([1, 2, 3], 150),
  math::median([]), math::product([])]$$);
-- NONE stays NONE
SELECT * FROM dllb.query($$RETURN [math::mean(NONE), math::max(NONE), math::sqrt(NONE), math::variance(NONE)]$$);
-- the constants, compared and cast
SELECT * FROM dllb.query($$RETURN [math::inf, math::neg_inf, math::max([]) == math::neg_inf,
  math::min([]) == math::inf, <string> math::mean([]), math::log10(0) == math::neg_inf]$$);

-- arguments a function refuses: invalid_parameter_value (22023), naming
-- the function
\set VERBOSITY terse
SELECT * FROM dllb.query($$RETURN array::windows([1, 2, 3], 0)$$);
SELECT * FROM dllb.query($$RETURN array::clump([1, 2, 3], -2)$$);
SELECT * FROM dllb.query($$RETURN array::repeat('x', -1)$$);
SELECT * FROM dllb.query($$RETURN array::swap([1, 2, 3], 3, 0)$$);
SELECT * FROM dllb.query($$RETURN array::swap([1, 2, 3], 0, -4)$$);
SELECT * FROM dllb.query($$RETURN math::clamp(7, 9, 3)$$);
SELECT * FROM dllb.query($$RETURN math::fixed(3.14159, 0)$$);
SELECT * FROM dllb.query($$RETURN math::abs(-9223372036854775808)$$);
SELECT * FROM dllb.query($$RETURN rand::int(5)$$);
SELECT * FROM dllb.query($$RETURN { k: 1 }.remove(3)$$);
SELECT * FROM dllb.query($$RETURN <regex> '(unclosed'$$);
DO $$
BEGIN
	PERFORM * FROM dllb.query('RETURN math::fixed(1, -1)');
EXCEPTION WHEN invalid_parameter_value THEN
	RAISE NOTICE 'invalid_parameter_value: %', SQLERRM;
END $$;
\set VERBOSITY default
-- the same functions within bounds
SELECT * FROM dllb.query($$RETURN [array::windows([1, 2, 3], 2), array::clump([1, 2, 3], 2),
  array::repeat('x', 0), array::swap([1, 2, 3], -1, 0), math::clamp(7, 3, 9), math::clamp(1, 3, 3),
  math::fixed(3.14159, 3), math::abs(-9223372036854775807), rand::int(4, 4)]$$);

-- arrays: concat of nothing, fill and insert counting from the end,
-- insert past either end leaving the array as it is
SELECT * FROM dllb.query($$RETURN [array::concat(), array::fill([0, 0, 0, 0], 7, -3, -1),
  array::fill([0, 0, 0], 7, 1, 99999999999), array::fill([0, 0], 7, 2, 5),
  array::insert([0, 1], 9, -1), array::insert([0, 1], 9, 2), array::insert([0, 1], 9, 3),
  array::insert([0, 1], 9, -3)]$$);
-- logical_and/or/xor pick values element by element as && and || do; the
-- shorter array runs out as NULL
SELECT * FROM dllb.query($$RETURN [array::logical_and([3, 0, 'a'], [false, 'b', 2]),
  array::logical_or([3, 0, ''], [false, 'b', 0]), array::logical_xor([1, 1, 0, 0], [2, 0, 5, ''])]$$);
SELECT * FROM dllb.query($$RETURN [array::logical_and([7], []), array::logical_or([], [0]), array::logical_xor([0, 9], [])]$$);
SELECT * FROM dllb.query($$RETURN array::boolean_not([false, 1, 0, '', 'x', [], [0], {}, { a: 1 }, NULL])$$);

-- math::top / math::bottom: the c greatest / least numbers in the order
-- of the heap that keeps them (SurrealDB's order)
SELECT * FROM dllb.query($$RETURN [math::top([5, 1, 4, 2, 3], 3), math::top([3, 2, 1], 3), math::top([7], 5),
  math::bottom([5, 1, 4, 2, 3], 3), math::bottom([1, 2, 3], 3), math::bottom([], 2), math::top([0.5, 2.5], 1)]$$);
\set VERBOSITY terse
SELECT * FROM dllb.query($$RETURN math::top([1, 2], 0)$$);
SELECT * FROM dllb.query($$RETURN math::bottom([1, 'a'], 1)$$);
\set VERBOSITY default
-- numbers: lerpangle takes the shorter turn, sign of the infinities
SELECT * FROM dllb.query($$RETURN [math::lerpangle(10, 350, 0.5), math::lerpangle(0, 90, 2),
  math::lerpangle(-30, 30, 0.25), math::sign(math::inf), math::sign(math::neg_inf), math::sign(-0.5),
  math::infinity, math::neg_infinity]$$);

-- strings: capitalize after any white space, HTML entities, slice to an
-- end counted from the end, matches (a string or a regex pattern)
SELECT * FROM dllb.query($$RETURN [string::capitalize("one\ttwo\nthree  four"),
  string::html::encode("<p class='x'>a & b</p>"), string::slice("abcdef", 1, -2),
  string::slice("abcdef"), string::slice("abcdef", -3), string::matches("xyz", "^x"),
  string::matches("xyz", /z$/), string::matches("xyz", /^y/)]$$);
-- string::replace with a regex: every match, $1 a group; at most 1 MB out
SELECT * FROM dllb.query($$RETURN [string::replace('a-b--c', /-+/, '+'), string::replace('k=v', /(\w)=(\w)/, '$2=${1}&\\'),
  'x.y'.replace('.', '!')]$$);
\set VERBOSITY terse
SELECT * FROM dllb.query($$RETURN string::replace(string::repeat('a', 2000), /()/, string::repeat('b', 1000))$$);
\set VERBOSITY default
-- objects
SELECT * FROM dllb.query($$RETURN [{ a: 1, b: 2 }.extend({ b: 3, c: 4 }), object::extend({}, { z: 0 }),
  { a: 1, b: 2, c: 3 }.remove('b'), { a: 1, b: 2, c: 3 }.remove(['a', 'c', 'x'])]$$);
-- <string> of NONE and NULL
SELECT * FROM dllb.query($$RETURN [<string> NONE, <string> NULL, <string> 12]$$);

-- uuids and ulids: their shapes (the values are random)
SELECT * FROM dllb.query($$RETURN [type::is_uuid(rand::uuid::v7()), type::is_uuid(rand::uuid::v4()),
  type::is_uuid('not-a-uuid'), type::is_uuid(42), string::slice(rand::uuid::v7(), 14, 15),
  rand::ulid() = /^[0-9A-HJKMNP-TV-Z]{26}$/, string::slice(rand::ulid(d'2024-01-01T00:00:00Z'), 0, 10),
  rand::ulid(d'2020-05-01T00:00:00Z') < rand::ulid(d'2021-05-01T00:00:00Z'),
  string::len(rand::string(2, 2)), string::len(rand::string(0))]$$);
SELECT * FROM dllb.query($$LET $l = (<array> 0..50).map(|$_| string::len(rand::string(3, 5)));
  RETURN [$l.all(|$n| $n >= 3 AND $n <= 5), array::len($l)]$$);

-- number literals may group digits with underscores
SELECT * FROM dllb.query($$RETURN [1_000_000, 9_223_372_036_854_775_807, 2_5.0_1, 1_0 + 1]$$);
SELECT dllb.surql_parse($$RETURN 1_000 + 2$$);

-- ranges: a..b (b left out), a..=b, a>..b (a left out), a.. (no end), in
-- IN / NOT IN, an index, <array>, FOR
SELECT * FROM dllb.query($$RETURN [3 IN 1..3, 3 IN 1..=3, 1 IN 1>..3, 2 IN 1>..3, 'b' IN 'a'..'c',
  50 IN 10.., 4 NOT IN 1..4, 0 INSIDE 0..1]$$);
SELECT * FROM dllb.query($$LET $a = ['a', 'b', 'c', 'd', 'e']; LET $n = 2;
  RETURN [$a[1..3], $a[1..=3], $a[1>..3], $a[$n..], $a[0..$n].len(), array::min([5, 3, 9][1..])]$$);
SELECT * FROM dllb.query($$RETURN [<array> 0..4, <array> 2..=4, <array> 1>..4, <array> 3..3,
  (<array> 1..4).map(|$v| $v * 10)]$$);
SELECT * FROM dllb.query($$FOR $i IN 1..(1 + 2) { CREATE rng SET v = $i }; FOR $i IN 5..=5 { CREATE rng SET v = $i };
  SELECT VALUE v FROM rng ORDER BY v$$);
-- printed back with each end in parentheses
SELECT dllb.surql_parse($$RETURN [1..2, 1..=$b, 0>..x, (t:1)..5, a.., <array> 0..$n + 1, 1 > 0]$$);
-- elsewhere a range is refused, and so is <array> of a range that is not
-- one of integers or has no end
\set VERBOSITY terse
SELECT * FROM dllb.query($$RETURN 1..2$$);
SELECT * FROM dllb.query($$RETURN <array> 1..$$);
SELECT * FROM dllb.query($$RETURN <array> 1.5..3$$);
SELECT * FROM dllb.query($$RETURN <string> 1..3$$);
\set VERBOSITY default
SELECT * FROM dllb.query($$FOR $i IN 1.. { RETURN $i }$$);

-- regexes /re/, where a value starts (after an operator, an opening
-- bracket, a comma, RETURN, WHERE ...); elsewhere / divides
SELECT * FROM dllb.query($$RETURN ['abc' = /b/, 'abc' == /^b/, /c$/ = 'abc', 'abc' != /z/,
  12 = /1/, NONE = /x/, 'a/b' = /a\/b/, 8 / 2 / 2]$$);
SELECT * FROM dllb.query($$CREATE rx:1 SET name = 'Ann'; CREATE rx:2 SET name = 'Bob';
  SELECT VALUE id FROM rx WHERE name = /^A/; SELECT VALUE id FROM rx WHERE name != /^A/$$);
-- as a value, a regex is the string of its text
SELECT * FROM dllb.query($$RETURN [/a+b/, <regex> 'x/y', <regex> /q/, string::concat('<', /z/, '>'),
  array::boolean_and([/1/, 0], [1, /2/])]$$);
SELECT dllb.surql_parse($$SELECT * FROM t WHERE a = /x\/y/ AND b / 2 > 1; RETURN [/a/, (/b/)]$$);

-- slices end before an index (counted from the end when negative), far
-- bounds are clamped; array::range(a, b) and array::range(a..b) are the
-- integers from a up to b
SELECT * FROM dllb.query($$RETURN [array::slice([5, 6, 7, 8, 9], 1, 3), array::slice([5, 6, 7, 8, 9], 1, -1),
  array::slice([5, 6, 7, 8, 9], -2), array::slice([5, 6, 7, 8, 9], 2, 99999999999999),
  array::slice([5, 6, 7, 8, 9], 99999999999999), array::slice([5, 6, 7, 8, 9], 4, 1),
  string::slice('abcdef', 2, 4), string::slice('abcdef', -4, -1), string::slice('abcdef', 3, 99999999999999)]$$);
SELECT * FROM dllb.query($$RETURN [array::range(2, 5), array::range(2..5), array::range(2..=5), array::range(2>..5),
  array::range(5, 2), array::range(-2, 1)]$$);
\set VERBOSITY terse
SELECT * FROM dllb.query($$RETURN array::range(0, 99999999999)$$);
SELECT * FROM dllb.query($$RETURN rand::string(NONE, 4)$$);
\set VERBOSITY default
-- more constants
SELECT * FROM dllb.query($$RETURN [math::frac_1_pi, math::frac_pi_4, math::frac_1_sqrt_2, math::log2_e, math::log10_2]$$);

-- a closure's body may be a block of one expression or one RETURN; other
-- blocks (LET, IF, break, continue ...) are refused when parsed
SELECT * FROM dllb.query($$RETURN [[1, 2, 3].filter(|$v| { RETURN $v > 1 }), [1, 2].map(|$v, $i| { $v * 10 + $i }),
  array::filter([1, 2, 3], |$v| { return '' }), array::filter([1, 2], |$v| { return { a: 1 } })]$$);
SELECT * FROM dllb.query($$RETURN [1].map(|$v| { break; })$$);
SELECT * FROM dllb.query($$RETURN [1].map(|$v| { LET $w = $v; $w })$$);
SELECT dllb.surql_parse($$RETURN [1].map(|$v| { RETURN $v + 1 })$$);

-- sets {a, b, ...}: arrays of their distinct elements in the dialect's
-- order (also at the start of a statement, where a comma outside brackets
-- tells a set from a block); {} stays an empty object
SELECT * FROM dllb.query($$RETURN [{3, 1, 'x', 1, NULL}, {[2], [1], [2]}, {5,}, <array> {2, 2, 1}, {}];
  {1, 2} ALLINSIDE {1, 2, 3}; { 7 }; { RETURN 8 }$$);
-- inside an expression, a block { e } or { RETURN e } is e
SELECT * FROM dllb.query($$RETURN [{ 1 }, {{ 'k': 'v' }}, { RETURN [2] }, { if false { 3 } else { 4 } }]$$);
SELECT * FROM dllb.query($$RETURN { LET $a = 1; $a }$$);
SELECT * FROM dllb.query($$RETURN [1].map(|$v| { if $v { 'yes' } })$$);
SELECT * FROM dllb.query($$RETURN { break }$$);
-- a *= b: every element of the array a equals b; a ?= b: some does
SELECT * FROM dllb.query($$RETURN [[4, 4] *= 4, [4, 5] *= 4, [] *= 4, [[1], [1]] *= [1], {4, 4} *= 4,
  [4, 5] ?= 5, [4, 5] ?= 6, [] ?= 1, [[1], 2] ?= [1], 3 *= 3, 3 ?= 4, 2*3]$$);
-- ALLINSIDE / ANYINSIDE a string: substrings
SELECT * FROM dllb.query($$RETURN [['ab', 'cd'] ALLINSIDE 'abcd', ['ab', 'x'] ALLINSIDE 'abcd',
  ['ab', 'x'] ANYINSIDE 'abcd', 'bc' ALLINSIDE 'abcd', 'x' ANYINSIDE 'abcd', [1] ANYINSIDE '1',
  'abcd' CONTAINSALL ['a', 'd']]$$);
SELECT dllb.surql_parse($$RETURN [{1, 'a'}, {x:1,}, a *= b, c ?= d, e * f]; {1, 2} ANYINSIDE $s; {$a, $b}$$);

-- a point (x, y) is the GeoJSON object SurrealQL takes for one; <point>
-- makes one of [x, y]
SELECT * FROM dllb.query($$RETURN [(1, 2), (0.5, -3 + 1), <point> [4.0, 5.0], <geometry<point>> (6, 7), (8)]$$);
\set VERBOSITY terse
SELECT * FROM dllb.query($$RETURN <point> [1, 2, 3]$$);
\set VERBOSITY default
SELECT dllb.surql_parse($$RETURN (1, $y)$$);
-- a ?? b with a value written out: b is not evaluated (here a range,
-- which is no value)
SELECT * FROM dllb.query($$RETURN [1 ?? 1..2, 'x' ?? 0, NULL ?? 4, NONE ?? 5]$$);

-- fold and reduce: the closure |$acc, $v[, $i]| over each element in turn
SELECT * FROM dllb.query($$RETURN [array::fold([1, 2, 3], 10, |$acc, $v| $acc + $v),
  [1, 2, 3].fold([], |$acc, $v, $i| array::concat($acc, [$v * $i])), [].fold('none', |$acc, $v| $v),
  array::reduce([1, 2, 3, 4], |$acc, $v| $acc * $v), ['a', 'b', 'c'].reduce(|$acc, $v, $i| $acc + $v + <string> $i),
  [7].reduce(|$acc, $v| 0), [].reduce(|$acc, $v| 0)]$$);
-- string::split by '' splits into characters
SELECT * FROM dllb.query($$RETURN ['abc'.split(''), ''.split(''), 'a-b'.split('-')]$$);
-- IF as a value, with one expression in each branch
SELECT * FROM dllb.query($$RETURN [if 1 { 'one' } else { 'none' }, 10 + IF false { 1 } ELSE IF true { 2 } ELSE { 3 },
  IF 0 THEN 'x' END, [true, false, true].fold(0, |$n, $b| $n + if $b { 1 } else { 0 })]$$);
SELECT * FROM dllb.query($$RETURN if true { LET $a = 1; $a }$$);
SELECT dllb.surql_parse($$RETURN [if a { 1 } else if b { 2 } else { if c { 3 } }, 1 + IF d THEN 4 END]$$);
-- a record key may be a uuid; type::record('t', t:k) is that record
SELECT * FROM dllb.query($$RETURN [thing:u'0189d6e3-8eac-703a-9a48-d9faa78b44b9',
  type::record('thing', thing:u'0189d6e3-8eac-703a-9a48-d9faa78b44b9'), type::thing('thing', thing:7)]$$);
\set VERBOSITY terse
SELECT * FROM dllb.query($$RETURN type::record('thing', other:7)$$);
\set VERBOSITY default

-- <table> and <table<a | b>>: a table is the string of its name
SELECT * FROM dllb.query($$LET $t: table<acct | log> = 'log';
  RETURN [<table> 'acct', <table<acct>> 'acct', $t, type::table('acct') = <table> 'acct']$$);
\set VERBOSITY terse
SELECT * FROM dllb.query($$RETURN <table<acct | log>> 'other'$$);
\set VERBOSITY default

-- type::field(p) and type::fields([p, ...]): the fields the strings name
-- (a $param or written out), as if written there; in a projection they
-- are named as those fields
SELECT * FROM dllb.query($$CREATE fld:1 SET title = 'Dr', name.first = 'Ada', name.last = 'L';
  LET $p = 'name.first'; LET $ps = ['name.last', 'title'];
  SELECT type::field($p), type::field('title') FROM fld;
  SELECT type::fields($ps), type::field($p) AS f FROM fld;
  SELECT VALUE [type::field($p), type::fields($ps)] FROM fld$$);
-- and so in a write's RETURN (it was named "type::field")
SELECT * FROM dllb.query($$LET $f = 'title'; LET $ps = ['title', 'id'];
  UPDATE fld:1 SET title = 'Prof' RETURN type::field($f);
  UPDATE fld:1 SET n = 1 RETURN type::fields($ps), type::field('n') AS m$$);
\set VERBOSITY terse
SELECT * FROM dllb.query($$SELECT type::field('a..b') FROM fld$$);
SELECT * FROM dllb.query($$SELECT type::fields('title') FROM fld$$);
SELECT * FROM dllb.query($$SELECT type::field(title) FROM fld$$);
\set VERBOSITY default

-- string::is_*: shapes of text
SELECT * FROM dllb.query($$RETURN [string::is_ascii(''), string::is_ascii('abc'), string::is_domain('dllb.example.org'),
  string::is_domain('bad-.org'), string::is_domain('例え.テスト'), string::is_email('a.b+c@mail.example.org'),
  string::is_email('a..b@example.org'), string::is_email('x@[::1]'), string::is_ip('10.1.2.3'),
  string::is_ip('10.1.2'), string::is_ipv4('256.1.1.1'), string::is_ipv6('fe80::1'), string::is_ipv6('10.1.2.3'),
  string::is_latitude('89.9'), string::is_latitude('90.1'), string::is_longitude('-179.5'),
  string::is_longitude('181'), string::is_semver('2.10.0-rc.1+b5'), string::is_semver('2.10'),
  string::is::semver('01.0.0')]$$);

-- < <= > >= as a value order values across types as SurrealQL does; as
-- a condition (a WHERE) two types compare as jsonb orders them
SELECT * FROM dllb.query($$RETURN [NONE < NULL, NULL < false, true < 0, 99 < 'a', 'z' < [], [9] < {},
  'b' >= 'a', 2 <= 1, NONE > 0, [1, 2].map(|$v| $v > '1')]$$);
SELECT * FROM dllb.query($$CREATE cmp:1 SET v = 5; CREATE cmp:2 SET v = 'x';
  SELECT VALUE id FROM cmp WHERE v > 3; SELECT VALUE v > 3 FROM cmp ORDER BY id$$);

-- sort_natural (runs of digits by value), sort_lexical (case and accents
-- folded), both, ascending or 'desc'
SELECT * FROM dllb.query($$LET $w = ['b10', 'B2', 'á1', 'a2', 'b2'];
  RETURN [$w.sort_natural(), $w.sort_lexical(), $w.sort_natural_lexical(), $w.sort_natural_lexical('desc'),
  array::sort_lexical([3, 'x', 1])]$$);
-- rand::id and rand::enum: shapes (the values are random)
SELECT * FROM dllb.query($$RETURN [rand::id() = /^[a-z0-9]{20}$/, string::len(rand::id(5)),
  string::len(rand::id(7, 7)), rand::enum('q') = 'q', rand::enum(['r']) = 'r',
  rand::enum(1, 2) IN [1, 2]]$$);
\set VERBOSITY terse
SELECT * FROM dllb.query($$RETURN rand::id(NONE, 3)$$);
\set VERBOSITY default

DROP TABLE cmp;
DROP TABLE fld;
DROP TABLE rng;
DROP TABLE rx;

-- type::of() and type::is_x() know the types jsonb cannot show from the
-- expression's form; as methods too; NONE and NULL are themselves
SELECT * FROM dllb.query($$RETURN [type::of(NONE), NULL.type_of(), type::of(d'2024-05-01T10:00:00Z'),
  (2h15m).type_of(), type::of(u'0190f3a2-7c1e-7d4a-9b2f-3c4d5e6f7a8b'), type::of(2.5dec),
  type::of(item:7), type::of(/x+/), type::of({3, 1}), type::of(type::table('item')),
  type::of(|$v| $v), type::of(4..9), type::of(<datetime> '2024-05-01T10:00:00Z'),
  (1.5, 2.5).type_of(), type::of('2024-05-01T10:00:00Z'), type::of(rand::uuid())]$$);
SELECT * FROM dllb.query($$RETURN [type::is_set({,}), type::is_set(type::set([2, 2, 1])), type::is_set([1]),
  {,}.is_set(), type::set([2, 2, 1]), rand::time(1000, 1000), rand::time(60, 0).is_datetime(),
  type::is_datetime('2024-05-01T10:00:00Z'), type::is_string(d'2024-05-01'), type::is_number(1dec),
  type::is_none(NONE), type::is_null(NULL), type::is_null(NONE), type::is_geometry((1, 2)),
  type::is_point((1, 2)), type::is_uuid('0190f3a2-7c1e-7d4a-9b2f-3c4d5e6f7a8b')]$$);
SELECT * FROM dllb.query($$CREATE typed_at:1 SET at = d'2024-05-01T10:00:00Z';
  SELECT VALUE type::of(at) FROM typed_at$$);
DROP TABLE typed_at;
-- the variance and deviation of one number are 0 (of none NaN)
SELECT * FROM dllb.query($$RETURN [math::variance([3]), math::stddev([4.5]), math::variance([]), math::stddev([1, 3])]$$);
-- array::any/all with a value: some (every) element equal to it;
-- type::record of one string: that record id
SELECT * FROM dllb.query($$RETURN [array::all(['ok', 'ok'], 'ok'), array::all(['ok', 'no'], 'ok'),
  array::any([1, 2], 2), array::any([1, 2], 3), array::all([1, NONE]), array::any([0, 'x']),
  type::record('knows:ann'), type::record('knows', 'ann')]$$);
