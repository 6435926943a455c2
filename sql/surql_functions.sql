-- dllb.query: the operators CONTAINSALL and CONTAINSANY (with the others
-- they sit beside), and the dialect's functions (translate_functions.c).

-- the parser reads every operator and prints it back
SELECT dllb.surql_parse($$SELECT * FROM t WHERE a = 1 AND b != 2 OR c == 3 AND NOT d < 4
  AND e <= 5 AND f > 6 AND g >= 7 AND h CONTAINS 1 AND i CONTAINSNOT 2 AND j CONTAINSALL [1, 2]
  AND k CONTAINSANY [3] AND l INSIDE [4] AND m IN [5] AND n NOT IN [6] AND o IS NONE
  AND p IS NOT NONE AND q + 1 - 2 * 3 / 4 > 0$$);
SELECT dllb.surql_parse($$RETURN string::concat(string::lowercase(a), type::string(1)); RETURN vector::similarity::cosine([1, 2], $v); RETURN time::now()$$);

SELECT count(*) FROM dllb.query($$
CREATE fnp:a SET name = 'Alice', tags = ['x', 'y', 'x'], age = 31, score = -2.5, nested = [[1], [2, 3], 4];
CREATE fnp:b SET name = 'bob', tags = ['z'], age = 25, score = 7.5;
CREATE fnp:c SET tags = ['x', 'z'], score = NULL
$$);

-- operators: = != == < <= > >= AND OR NOT, CONTAINS ..., IN, IS [NOT] NONE, + - * /
SELECT * FROM dllb.query($$RETURN 1 + 2 * 3 - 4 / 2; RETURN 1 = 1 AND 1 != 2 AND 2 == 2 AND 1 < 2 AND 2 <= 2 AND 3 > 2 AND 3 >= 3; RETURN NOT (1 > 2) OR false$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM fnp WHERE tags CONTAINSALL ['x', 'z']$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM fnp WHERE tags CONTAINSANY ['y', 'z'] AND name IS NOT NONE$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM fnp WHERE tags CONTAINS 'x' AND tags CONTAINSNOT 'y'; SELECT VALUE id FROM fnp WHERE age INSIDE [25, 40] OR name NOT IN ['Alice', 'bob']$$);
-- between strings, CONTAINS and INSIDE are substring tests
SELECT * FROM dllb.query($$RETURN 'hello' CONTAINS 'ell'; RETURN 'ell' INSIDE 'hello'; RETURN 'hello' CONTAINSNOT 'x'; RETURN 'x' NOT IN 'hello'; RETURN {a: 1, b: 2} CONTAINS {a: 1}; RETURN 'héllo' CONTAINS ''$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM fnp WHERE name CONTAINS 'li'$$);
-- an empty right side: CONTAINSALL holds, CONTAINSANY does not; NONE or a
-- value that is not an array on either side is false (but a string on the
-- left holds substrings: 'ab' CONTAINSANY ['a'])
SELECT * FROM dllb.query($$RETURN [1, 2] CONTAINSALL []; RETURN [1, 2] CONTAINSANY []; RETURN NONE CONTAINSALL [1]; RETURN [1] CONTAINSANY NONE; RETURN 'ab' CONTAINSANY ['a']; RETURN [[1], 2] CONTAINSANY [[1]]$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM fnp WHERE nosuch CONTAINSALL ['x'] OR NOT (nosuch CONTAINSANY ['x'])$$);
SELECT * FROM dllb.query($$SELECT VALUE age * 2 + 1 FROM fnp; SELECT VALUE score IS NONE FROM fnp$$);
-- = NONE is IS NONE (a missing field; null is a value); = NULL matches null only
SELECT * FROM dllb.query($$SELECT VALUE id FROM fnp WHERE name = NONE; SELECT VALUE id FROM fnp WHERE score != NONE; SELECT VALUE id FROM fnp WHERE score = NULL; RETURN NONE == NONE$$);

-- strings
SELECT * FROM dllb.query($$RETURN string::lowercase('HeLLo'); RETURN string::uppercase('straße'); RETURN string::len('héllo'); RETURN string::concat('a', 1, NONE, true, 'b', [1]); RETURN string::concat(); RETURN string::contains('hello', 'ell'); RETURN string::contains('hello', 'x'); RETURN string::starts_with('hello', 'he')$$);
SELECT * FROM dllb.query($$SELECT name, string::uppercase(name) AS up, string::len(name) AS n FROM fnp$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM fnp WHERE string::starts_with(string::lowercase(name), 'a') OR string::contains(name, 'o')$$);
SELECT * FROM dllb.query($$SELECT VALUE string::concat(name, ' (', age, ')') FROM fnp$$);
SELECT * FROM dllb.query($$RETURN string::concat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 'x')$$);
-- NONE and null in, NONE out
SELECT * FROM dllb.query($$RETURN string::len(NONE); RETURN string::lowercase(NULL); RETURN string::contains(NONE, 'a')$$);
-- a value of another type is a type mismatch (42804) that names the
-- function and the argument
SELECT * FROM dllb.query('RETURN string::len(123)');
SELECT * FROM dllb.query($$SELECT VALUE string::starts_with(name, age) FROM fnp$$);

-- arrays
SELECT * FROM dllb.query($$RETURN array::len([1, 2, 3]); RETURN array::distinct([3, 1, 3, 2, 1, 'a', 'a']); RETURN array::flatten([[1, 2], [3], 4, [[5]]]); RETURN array::flatten([]); RETURN array::distinct(NONE); RETURN array::len(NULL)$$);
SELECT * FROM dllb.query($$SELECT id, array::distinct(tags) AS d, array::len(array::distinct(tags)) AS nd, array::flatten(nested) AS f FROM fnp$$);
-- array::any / array::all of an array's own values: whether some / every one is truthy
SELECT * FROM dllb.query($$RETURN [array::any([]), array::any([0, NONE, '']), array::any([[], 'x']), array::all([]), array::all([1, 'a']), array::all([1, 0])]$$);
SELECT * FROM dllb.query($$RETURN array::any('text')$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM fnp WHERE array::len(tags) > $n$$, '{"n": 1}');
SELECT * FROM dllb.query($$RETURN array::len('x')$$);

-- numbers
SELECT * FROM dllb.query($$RETURN math::abs(-3.5); RETURN math::abs(4); RETURN math::round(2.5); RETURN math::round(-2.5); RETURN math::round(2.4); RETURN math::abs(NONE)$$);
SELECT * FROM dllb.query($$SELECT VALUE math::abs(score) FROM fnp; SELECT VALUE math::round(math::mean(age)) FROM fnp GROUP ALL$$);
SELECT * FROM dllb.query($$RETURN math::abs('x')$$);

-- conversions
SELECT * FROM dllb.query($$RETURN type::string(42); RETURN type::string('s'); RETURN type::string([1, 'a']); RETURN type::int('42'); RETURN type::int(3.9); RETURN type::int(-3.9); RETURN type::float('1.5'); RETURN type::float(2); RETURN type::thing('fnp', 'bob'); RETURN type::thing('fnp', 7); RETURN type::int(NONE)$$);
SELECT * FROM dllb.query($$SELECT VALUE type::thing('fnp', name) FROM fnp WHERE name IS NOT NONE$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM fnp WHERE type::thing('fnp', 'b') = id$$);
SELECT * FROM dllb.query($$RETURN type::int('forty')$$);

-- vectors: over literals, params and a vector<n> field
SELECT * FROM dllb.query($$RETURN vector::similarity::cosine([1, 0], [0, 1]); RETURN vector::similarity::cosine([1, 2], [2, 4]); RETURN vector::distance::euclidean([0, 0], [3, 4]); RETURN vector::distance::euclidean(NONE, [1])$$);
SELECT * FROM dllb.query($$DEFINE FIELD emb ON fnv TYPE vector<2>; CREATE fnv:1 SET emb = [1, 0]; CREATE fnv:2 SET emb = [3, 4];
  SELECT id, vector::similarity::cosine(emb, $q) AS sim, vector::distance::euclidean(emb, [0, 0]) AS dist FROM fnv$$, '{"q": [0, 1]}');
SELECT * FROM dllb.query($$RETURN vector::distance::euclidean([1], [1, 2])$$);
SELECT * FROM dllb.query($$RETURN vector::similarity::cosine([1, 2], 'x')$$);
SELECT * FROM dllb.query($$RETURN type::thing(1, 2)$$);
SELECT * FROM dllb.query($$RETURN array::flatten({a: 1})$$);

-- in GROUP: over keys and aggregates
SELECT * FROM dllb.query($$SELECT tags, array::distinct(tags) AS d, tags CONTAINSANY ['x'] AS has_x, math::abs(math::sum(score)) AS s, count() AS n FROM fnp GROUP BY tags$$);
-- (a field outside aggregates is the array of its values: not a string)
SELECT * FROM dllb.query($$SELECT string::uppercase(name) AS up FROM fnp GROUP ALL$$);
SELECT * FROM dllb.query($$SELECT array::join(name, '+') AS names FROM fnp GROUP ALL$$);

-- in writes, LET and arithmetic
SELECT * FROM dllb.query($$CREATE fnw:1 SET n = string::lowercase('AbC'), tags = array::distinct(['a', 'a']); UPDATE fnw:1 SET n = string::uppercase(n), k = type::thing('fnw', 2); UPSERT fnw:2 SET c = string::len(n); LET $x = array::flatten([[1], [2]]); RETURN $x; RETURN math::abs(-1) + 1$$);

-- the examples of doc/dialect.md
SELECT * FROM dllb.query($$RETURN string::concat('a', 1, NONE, true, 'b', [1]); RETURN array::distinct([3, 1, 3, 2, 1, 'a', 'a']); RETURN array::flatten([[1, 2], [3], 4, [[5]]]); RETURN math::round(-2.5); RETURN type::thing('fnp', 7)$$);

-- time
SELECT jsonb_typeof(result), (result #>> '{}')::timestamptz = now() AS is_now FROM dllb.query('RETURN time::now()');
SELECT * FROM dllb.query($$SELECT VALUE id FROM fnp WHERE time::now() > d'2020-01-01T00:00:00Z' AND name = 'bob'$$);

-- literals reach SQL as parameters; one plan serves every value
SELECT stmt, sql FROM dllb.explain($$SELECT VALUE string::concat(name, '!') FROM fnp WHERE string::starts_with(name, 'A') AND tags CONTAINSANY ['x']$$);
SELECT * FROM dllb.query($$SELECT VALUE id FROM fnp WHERE string::contains(name, $s)$$, '{"s": "'') OR true; --"}');

-- errors: an unknown function, a wrong number of arguments
SELECT * FROM dllb.query('RETURN nosuch::fn(1)');
SELECT * FROM dllb.query('SELECT string::nosuch(name) FROM fnp');
SELECT * FROM dllb.query('RETURN string::len(1, 2)');
SELECT * FROM dllb.query('RETURN string::contains(1)');
SELECT * FROM dllb.query('RETURN time::now(1)');
SELECT * FROM dllb.query('RETURN count(1, 2)');
SELECT * FROM dllb.query('RETURN type::thing()');
-- their SQLSTATE: undefined_function (42883)
DO $$
BEGIN
	PERFORM * FROM dllb.query('RETURN nosuch(1)');
EXCEPTION WHEN undefined_function THEN
	RAISE NOTICE 'undefined_function: %', SQLERRM;
END $$;
DO $$
BEGIN
	PERFORM * FROM dllb.query('RETURN array::len()');
EXCEPTION WHEN undefined_function THEN
	RAISE NOTICE 'undefined_function: %', SQLERRM;
END $$;

DROP TABLE fnp;
DROP TABLE fnv;
DROP TABLE fnw;
