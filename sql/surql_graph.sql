-- dllb.query: graph paths with [WHERE] filters on their steps (edge and
-- node fields), paths that end on an edge, and ? as an edge table.

SELECT count(*) FROM dllb.query($$
CREATE person:a SET name = 'Ann', age = 30;
CREATE person:b SET name = 'Ben', age = 20;
CREATE person:c SET name = 'Cat', age = 40;
CREATE person:d SET name = 'Dan', age = 50;
CREATE post:p SET title = 'Hello';
CREATE crate:tokio SET name = 'tokio';
CREATE module:m1 SET name = 'net';
CREATE module:m2 SET name = 'app';
RELATE person:a->knows->person:b SET since = 2015;
RELATE person:a->knows->person:c SET since = 2021;
RELATE person:c->knows->person:d SET since = 2022;
RELATE person:b->likes->post:p SET stars = 5;
RELATE module:m1->imports->crate:tokio;
RELATE module:m2->imports->module:m1
$$);

-- a filter on the edge's fields, on the target's fields, and on both
SELECT * FROM dllb.query('SELECT name, ->knows[WHERE since > 2020]->person AS recent FROM person ORDER BY name');
SELECT * FROM dllb.query('SELECT VALUE ->knows->person[WHERE age >= 40].name FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE ->knows[WHERE since < 2020]->person[WHERE age < 25] FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE ->knows[WHERE since < 2020]->person[WHERE age > 25] FROM person:a');
-- ->(edge WHERE ...) is the same as ->edge[WHERE ...]
SELECT dllb.surql_parse('SELECT ->(knows WHERE since > 2020)->(person WHERE age > 1), <-(?)<-person FROM person');
SELECT * FROM dllb.query('SELECT VALUE ->(knows WHERE since > 2020)->person.name FROM person:a');
SELECT dllb.surql_parse('SELECT ->(knows since)->person FROM person');
-- in a WHERE, in count(), and backwards
SELECT * FROM dllb.query('SELECT VALUE name FROM person WHERE ->knows[WHERE since > 2021]->person ORDER BY name');
SELECT * FROM dllb.query('SELECT name, count(<-knows[WHERE since >= 2015]<-person[WHERE age = 30]) AS n FROM person ORDER BY name');
SELECT * FROM dllb.query($$SELECT VALUE name FROM crate WHERE <-imports<-module<-imports<-module[WHERE name CONTAINS 'app']$$);
SELECT * FROM dllb.query($$SELECT VALUE name FROM person WHERE ->knows->person[WHERE ->likes->post[WHERE title = 'Hello']]$$);
-- edge fields: a path that ends on the edge table; the edge's in and out
SELECT * FROM dllb.query('SELECT math::min(->knows.since) AS lo, math::max(->knows.since) AS hi FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE count(->knows) FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE ->knows[WHERE out = person:c].since FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE <-knows[WHERE in = person:a].out FROM person:c');
-- ? as the edge table: every edge table
SELECT * FROM dllb.query('SELECT VALUE ->?->? FROM person:b; SELECT VALUE <-?<-module FROM crate:tokio');
-- values in filters are parameters
SELECT * FROM dllb.query('SELECT VALUE ->knows[WHERE since > $y]->person.name FROM person:a', '{"y": 2020}');
SELECT stmt, sql FROM dllb.explain($$SELECT VALUE ->knows[WHERE since > 2020]->person[WHERE name != 'x'] FROM person:a$$);
-- a filter on a table that does not exist reaches nothing; some forms are refused
SELECT * FROM dllb.query('SELECT VALUE ->knows->nosuch[WHERE a = 1] FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE ->knows->?[WHERE a = 1] FROM person:a');
SELECT * FROM dllb.query('SELECT VALUE ->?[WHERE a = 1]->person FROM person:a');

DROP TABLE person, post, crate, module, knows, likes, imports;
