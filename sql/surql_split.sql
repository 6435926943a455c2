-- dllb.query: SELECT ... SPLIT f (one row per element of an array field),
-- GROUP f without BY, output names of expressions, and the SELECT
-- clauses that are refused with a clear error (VERSION, EXPLAIN)

SELECT count(*) FROM dllb.query($$
  CREATE sp_t:1 SET tags = ['x', 'y'], n = [1, 2], kind = 'a';
  CREATE sp_t:2 SET tags = ['z'], n = 7, kind = 'b';
  CREATE sp_t:3 SET tags = [], kind = 'a';
  CREATE sp_t:4 SET kind = 'b'
$$);

-- each element its own row, in record order; a field that is no array
-- (or missing) keeps its record as it is; an empty array gives no row
SELECT * FROM dllb.query($$SELECT id, tags FROM sp_t SPLIT tags$$);
-- two fields: every combination, the first field outermost
SELECT * FROM dllb.query($$SELECT tags, n FROM sp_t:1 SPLIT tags, n$$);
SELECT * FROM dllb.query($$SELECT tags, n FROM sp_t:1 SPLIT ON n, tags$$);
-- WHERE filters records before the split; ORDER BY, LIMIT and GROUP apply
-- to the split rows
SELECT * FROM dllb.query($$SELECT VALUE tags FROM sp_t WHERE kind = 'a' SPLIT tags ORDER BY tags DESC$$);
SELECT * FROM dllb.query($$SELECT tags, count() AS c FROM sp_t SPLIT tags GROUP BY tags ORDER BY tags LIMIT 2$$);
-- TEMPFILES and PARALLEL are hints, read and not kept
SELECT * FROM dllb.query($$SELECT VALUE tags FROM sp_t SPLIT tags ORDER BY tags TEMPFILES PARALLEL$$);

-- GROUP f is GROUP BY f; an expression field is named by its text
SELECT * FROM dllb.query($$SELECT kind, count() + 1, (count() * 2) FROM sp_t GROUP kind$$);

-- refused: SPLIT of an expression, VERSION, EXPLAIN
SELECT * FROM dllb.query($$SELECT * FROM sp_t SPLIT tags[0]$$);
SELECT * FROM dllb.query($$SELECT * FROM sp_t VERSION d'2024-01-01T00:00:00Z'$$);
SELECT * FROM dllb.query($$SELECT * FROM sp_t EXPLAIN FULL$$);
SELECT dllb.surql_parse($$SELECT a FROM t WHERE b SPLIT a, c.d GROUP a LIMIT 1 VERSION $v EXPLAIN$$);

SELECT count(*) FROM dllb.query($$REMOVE TABLE sp_t$$);
