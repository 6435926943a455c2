-- dllb.query: recursive graph paths, start.{m..n}->edge->table, with
-- +collect and +shortest=target; parsed, printed and run.

-- how the parser reads them (the canonical text parses to itself)
SELECT dllb.surql_parse($$SELECT person:a.{1..3}->knows->person, person:a.{2}->knows->?, $p.{..4}->e->t,
  .{..+collect}<-e<-t.name, a.b.{3..}->e->t, person:a.{..+shortest=person:z}->knows->?,
  x.{1..2+path}<->e<->t[WHERE w > 1] FROM t$$);
SELECT dllb.surql_parse(dllb.surql_parse('SELECT .{..3+collect}->knows->person AS f FROM person'))
     = dllb.surql_parse('SELECT .{..3+collect}->knows->person AS f FROM person') AS stable;
SELECT dllb.surql_parse('SELECT person:a.{0}->knows->person FROM t');
SELECT dllb.surql_parse('SELECT person:a.{3..2}->knows->person FROM t');
SELECT dllb.surql_parse('SELECT person:a.{1..999}->knows->person FROM t');
SELECT dllb.surql_parse('SELECT person:a.{}->knows->person FROM t');
SELECT dllb.surql_parse('SELECT person:a.{2+all}->knows->person FROM t');
-- a field after the braces repeats that field (record links), in parentheses when printed
SELECT dllb.surql_parse('SELECT person:a.{2}.name FROM t');
SELECT dllb.surql_parse('SELECT person:a.{2}(->knows FROM t');

-- a chain a -> b -> c -> d -> e with a cycle d -> b, and a shortcut a -> d
SELECT count(*) FROM dllb.query($$
CREATE person:a SET name = 'A'; CREATE person:b SET name = 'B'; CREATE person:c SET name = 'C';
CREATE person:d SET name = 'D'; CREATE person:e SET name = 'E'; CREATE robot:r SET name = 'R';
RELATE person:a->knows->person:b; RELATE person:b->knows->person:c; RELATE person:c->knows->person:d;
RELATE person:d->knows->person:e; RELATE person:d->knows->person:b; RELATE person:a->knows->person:d;
RELATE person:e->knows->robot:r
$$);

-- exactly n repetitions, and a range: the last level reached, level by
-- level in SurrealDB's order (a record as often as paths reach it)
SELECT * FROM dllb.query('SELECT VALUE person:a.{1}->knows->person FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE person:a.{2}->knows->person FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE person:a.{1..3}->knows->person.name FROM person:a');
-- the cycle b -> c -> d -> b never ends: at the depth bound, or an error without one
SELECT * FROM dllb.query('SELECT VALUE count(person:a.{..40}->knows->person) FROM person:a');
\set VERBOSITY terse
SELECT * FROM dllb.query('SELECT VALUE count(person:a.{..}->knows->person) FROM person:a');
\set VERBOSITY default
-- +collect: breadth first, every record the first time it is reached, from
-- the minimum depth on (the start too when a cycle leads back to it)
SELECT * FROM dllb.query('SELECT VALUE person:a.{..+collect}->knows->person FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE person:c.{2..3+collect}->knows->person FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE person:a.{..+collect}->knows->? FROM person:a');
-- from the current row (.{...} or id.{...}), backwards, with a filter on the steps
SELECT * FROM dllb.query('SELECT name, .{..2+collect}->knows->person AS near FROM person ORDER BY name');
SELECT * FROM dllb.query($$SELECT VALUE name FROM person WHERE id.{1..2+collect}<-knows<-person[WHERE name = 'A'] ORDER BY name$$);
-- +shortest: the records of one shortest path after the start, in order;
-- when the maximum depth comes first, the paths to the last level reached,
-- and NONE when the target cannot be reached
SELECT * FROM dllb.query('SELECT VALUE person:a.{..+shortest=person:e}->knows->? FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE person:a.{..2+shortest=person:e}->knows->? FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE person:a.{3..+shortest=person:e}->knows->? FROM person:a; SELECT VALUE person:a.{..1+shortest=person:e}->knows->? FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE person:a.{..+shortest=$to}->knows->? FROM person:a', '{"to": "robot:r"}');
-- over a named node table, or filtered steps
SELECT * FROM dllb.query('SELECT VALUE person:a.{..+shortest=person:e}->knows->person FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE person:a.{..+shortest=robot:r}->knows->person FROM person:a');
SELECT * FROM dllb.query($$SELECT VALUE person:a.{..+shortest=person:c}->knows->person[WHERE name != 'B'] FROM person:a$$);
-- +path: every path (the start left out), followed to its end or the
-- maximum depth, round cycles too: those that end first, shortest first
SELECT * FROM dllb.query('SELECT VALUE person:a.{..4+path}->knows->person FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE person:a.{..2+path}->knows->? FROM person:a');
SELECT * FROM dllb.query('SELECT name, count(.{3..5+path}->knows->?) AS long_paths FROM person ORDER BY name');
-- a table that does not exist reaches nothing
SELECT * FROM dllb.query('SELECT VALUE person:a.{1..3}->nosuch->person FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE person:a.{1..3+path}->nosuch->person FROM person:a');
-- refused
SELECT * FROM dllb.query('SELECT VALUE person:a.{1..3+path}->knows->person.name FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE person:a.{..+shortest=name}->knows->person FROM person:a');

DROP TABLE person, robot, knows;
