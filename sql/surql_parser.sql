-- The dialect's parser: dllb.surql_parse shows how each statement is read
-- (its canonical text: every binary operation parenthesised, keywords in
-- upper case, names quoted where needed), and syntax errors name the line,
-- the column, what was expected and what was found.

-- SELECT with every clause, graph paths, filters on steps, functions
SELECT dllb.surql_parse($$
SELECT id, name AS n, count(->knows->person) AS friends
FROM person:alice, person, $people
WHERE age > 30 AND ->knows->person[WHERE age < 3].name CONTAINS 'bob'
  AND NOT x IN [1, 2] AND y NOT IN $l AND z IS NOT NONE
GROUP BY city ORDER BY age DESC, name LIMIT 5 START 2 FETCH friend
$$);
SELECT dllb.surql_parse('SELECT VALUE name FROM person WHERE 1 + 2 * 3 - -4 / 2 >= 0 OR a == b GROUP ALL');
SELECT dllb.surql_parse($$SELECT * FROM ast WHERE <-contains<-module<-imports<-module[WHERE name CONTAINS 'tokio'] AND person:a<->knows<->?$$);
SELECT dllb.surql_parse('SELECT math::sum(x), type::string(y), time::now() FROM t');

-- the cross-model statement
SELECT dllb.surql_parse($$
SELECT id, name, vector::distance::knn() AS vec_score, search::score(1) AS ft_score
FROM ast_node
WHERE kind = 'function' AND embedding <|20,50|> $query_vec AND source_text @1@ 'async fn'
  AND ->calls->fn_node.module = 'core'
ORDER BY vec_score * 0.6 + ft_score * 0.4 DESC LIMIT 10
$$);
SELECT dllb.surql_parse($$SELECT * FROM d WHERE a @@ 'x' AND b @OR@ 'y' AND c @2,OR@ 'z' AND v <|5,COSINE|> $w AND u <|3|> $w$$);

-- writes
SELECT dllb.surql_parse($$CREATE user:⟨odd key⟩ SET a = 1, b.c = 'it\'s', d = d'2024-01-01'$$);
SELECT dllb.surql_parse($$CREATE user CONTENT {name: 'x', tags: ['a', 'b'], n: NULL, m: NONE, ok: true} RETURN NONE$$);
SELECT dllb.surql_parse($$INSERT INTO t [{a: 1}, {a: 2.5e3}]$$);
SELECT dllb.surql_parse($$UPDATE t SET x = -1 WHERE y IS NONE RETURN DIFF; UPSERT t:1 MERGE {a: 1} RETURN AFTER$$);
SELECT dllb.surql_parse($$DELETE t:1 RETURN BEFORE; DELETE FROM person WHERE age < 18$$);
SELECT dllb.surql_parse($$RELATE person:a->knows->person:b SET since = 2020; RELATE $x->likes->(SELECT id FROM post) CONTENT {w: 1}$$);

-- LET, RETURN, transactions; names that are keywords or not plain words
SELECT dllb.surql_parse($$LET $v = (SELECT VALUE v FROM t); LET $w = SELECT * FROM t; RETURN $v; BEGIN; COMMIT TRANSACTION; BEGIN TRANSACTION; CANCEL$$);
SELECT dllb.surql_parse('SELECT `value`, type, `odd name`.`x` FROM `my table` WHERE `select` = 1');

-- canonical text parses to itself
SELECT dllb.surql_parse(dllb.surql_parse($$SELECT a FROM t WHERE (NOT a) = b AND -(x + 1) < 2 AND ->e->t.f = 'k'$$))
     = dllb.surql_parse($$SELECT a FROM t WHERE (NOT a) = b AND -(x + 1) < 2 AND ->e->t.f = 'k'$$) AS stable;

-- syntax errors
SELECT dllb.surql_parse('SELECT * person');
SELECT dllb.surql_parse('SELECT * FROM person WHERE');
SELECT dllb.surql_parse(E'SELECT *\nFROM person\nWHERE age >> 3');
SELECT dllb.surql_parse('FETCH x');
SELECT dllb.surql_parse('CREATE t SET = 1');
SELECT dllb.surql_parse('SELECT * FROM t WHERE v <|x|> $q');
SELECT dllb.surql_parse('SELECT * FROM t WHERE a IS 3');
SELECT dllb.surql_parse('RELATE a:1->b:2');
SELECT dllb.surql_parse('UPDATE t RETURN EVERYTHING');
SELECT dllb.surql_parse('SELECT * FROM t; SELECT');
SELECT dllb.surql_parse('SELECT `odd name`::x() FROM t');
SELECT dllb.surql_parse('SELECT ''unterminated FROM t');
SELECT dllb.surql_parse('SELECT ' || repeat('(', 300) || '1' || repeat(')', 300) || ' FROM t');
SELECT dllb.surql_parse('');
-- THROW of an expression that starts with a name prints in parentheses
-- (THROW L alone is no THROW statement): the fuzzer's round trip
SELECT dllb.surql_parse($$THROW {L}; THROW 'x'; THROW (a.b + 1); THROW (err)$$);
-- a recursion's repeated path is a field path: a.{1}.f() is refused (it
-- printed as a.{1}(.).f(), which reads back as an error: the fuzzer's
-- round trip), a.{1}.f.g() is the path f then the method g
SELECT dllb.surql_parse($$RETURN a.{1}.f.g()$$);
SELECT dllb.surql_parse($$RETURN a.{1}.f()$$);
-- a quoted name that starts with a digit is a name, not a number word
-- (<-6e:[1] printed as `6e`, which read back as a bad duration: the third
-- fuzz run's round trip)
SELECT dllb.surql_parse($$SELECT <-6e:[1] FROM b:1; SELECT * FROM `6e`:1; RETURN [`1h`, 1h]$$);
-- a / after a.b.*, ->? or an open range of records t:1.. divides: they end
-- a value (a.b.* / x ... / y on one line read as the regex / x ... /: the
-- fifth fuzz run's round trip)
SELECT dllb.surql_parse($$RETURN (a.b.* / 2) + (c / 3); RETURN a->? / 2 / 3; RETURN [2 * /b/];
  RETURN t:1.. / 2 / 3$$);
-- DEFINE FIELD a.b[*][*].c keeps both [*] (it printed as a.b[*]``[*].c:
-- the sixth fuzz run's round trip); a part that is empty or holds . or [
-- is refused, as the name is kept as the text a.b[*] (`x.y` would read
-- back as the path x.y, and `b[*` printed without end)
SELECT dllb.surql_parse($$DEFINE FIELD a.b[*][*].c ON r; REMOVE FIELD a.*[*].`in` ON r$$);
SELECT dllb.surql_parse($$DEFINE FIELD `x.y` ON r$$);
SELECT dllb.surql_parse($$DEFINE FIELD a.`` ON r$$);
SELECT dllb.surql_parse($$DEFINE FIELD a.`b[*` ON r$$);
-- a path's * prints as `*` (the same path): E.`*` printed as E.*, which is
-- no path alone, nor in SET, OMIT or UNSET (the seventh fuzz run's round
-- trip); DEFINE FIELD `*` stays quoted
SELECT dllb.surql_parse($$RETURN E.`*`; UPDATE t SET a.`*`.b = 1; SELECT * OMIT a.`*` FROM t ORDER BY a.*.b;
  DEFINE FIELD `*` ON r; DEFINE FIELD a.* ON r$$);
-- a call named by a statement word or NOT prints quoted, `insert`(x): after
-- ( it read back as the statement INSERT x (the eighth fuzz run's round
-- trip)
SELECT dllb.surql_parse($$INSERT (-iNSERT(-i)); RETURN [-select(1), 1 + not(2), count(3)]$$);
