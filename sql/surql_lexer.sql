-- the dialect's lexer: every token kind, positions, escapes, comments,
-- and lexical errors with line, column and caret.

SELECT * FROM dllb.surql_tokens('SELECT name, ->knows->person.name AS friends FROM person:alice WHERE age >= 18;');
SELECT kind, token FROM dllb.surql_tokens(
	'select * from user:⟨John Smith⟩, user:`odd key`, user:42, user:12abc;');
SELECT kind, token FROM dllb.surql_tokens(
	$q$'it''s' "say \"hi\"\n" 'a\'b' d'2024-01-01T00:00:00Z' $param 1.5e3 1..3 3.25 99999999999999999999$q$);
SELECT kind, token FROM dllb.surql_tokens('a @@ ''x'' b @1@ ''y'' c @OR@ ''z'' d @2,OR@ ''w''');
SELECT kind, token FROM dllb.surql_tokens('v <|10,40|> $q; a <-> b <- c -> d == e != f :: g ? h { } [ ] ( )');
SELECT line, col, kind, token FROM dllb.surql_tokens(E'-- a comment\nSELECT /* block\n comment */ x # another\n// and another\nFROM t');
SELECT line, col, token FROM dllb.surql_tokens(E'SELECT ''größe'', x\n  FROM ⟨tbl⟩');
SELECT count(*) FROM dllb.surql_tokens('');

-- errors
SELECT * FROM dllb.surql_tokens(E'SELECT *\nFROM t WHERE a = ''open');
SELECT * FROM dllb.surql_tokens('SELECT /* never closed');
SELECT * FROM dllb.surql_tokens('SELECT ` unterminated');
SELECT * FROM dllb.surql_tokens(E'SELECT a,\n  b ^ c');
SELECT * FROM dllb.surql_tokens('a @1 b');
SELECT * FROM dllb.surql_tokens('a = $');
