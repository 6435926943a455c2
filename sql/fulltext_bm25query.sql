-- dllb.bm25query: syntax, canonical form, items, binary I/O, errors.

SELECT q::dllb.bm25query AS canonical
FROM (VALUES ('parser'), ('  parse   http  request '), ('+parse -lexer tokens'),
             ('"quoted phrase" +"must have" -"never this"'), ('pars* +tok*'),
             ('"say \"hi\" \\ there"'), ('a"b c"'), ('C++ -x'), ('+-odd')) v(q);

SELECT * FROM dllb.bm25query_items('+parse -"lexer state" tok* plain "two  words"');

-- canonical text parses back to the same items
SELECT q::dllb.bm25query::text::dllb.bm25query::text = q::dllb.bm25query::text AS stable
FROM (VALUES ('"say \"hi\" \\ there" x*'), ('  +a  -b ')) v(q);

-- binary round trip
CREATE TABLE q_t (q dllb.bm25query);
INSERT INTO q_t VALUES ('+parse -"lexer state" tok*'), ('x');
-- (psql's \copy: a client-side file, which any role may use, in the
-- folder the test command runs the suite in)
\copy q_t TO 'fulltext_bm25query.bin' (FORMAT binary)
CREATE TEMP TABLE q_t2 (q dllb.bm25query);
\copy q_t2 FROM 'fulltext_bm25query.bin' (FORMAT binary)
SELECT q FROM q_t2 ORDER BY q::text;
DROP TABLE q_t;

-- errors
SELECT ''::dllb.bm25query;
SELECT '   '::dllb.bm25query;
SELECT '"unterminated'::dllb.bm25query;
SELECT 'a ""'::dllb.bm25query;
SELECT 'a + b'::dllb.bm25query;
SELECT 'a -'::dllb.bm25query;
SELECT 'a *'::dllb.bm25query;
SELECT '-a -"b c"'::dllb.bm25query;
SELECT repeat('a ', 40000)::dllb.bm25query;
