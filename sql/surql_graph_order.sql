-- dllb.query: the order and multiplicity of what graph paths reach, as
-- SurrealDB gives them; @ as the current record; several edge tables in
-- one step; LIMIT and START on the edges; recursion options.

-- a small town: two roads into the square, a ring of streets, a dead end
SELECT count(*) FROM dllb.query($$
CREATE spot:square, spot:mill, spot:bridge, spot:well, spot:gate, spot:tower;
RELATE spot:square->road:r1->spot:mill; RELATE spot:square->road:r2->spot:gate;
RELATE spot:mill->road:r3->spot:bridge; RELATE spot:mill->road:r4->spot:well;
RELATE spot:bridge->road:r5->spot:square; RELATE spot:bridge->road:r6->spot:well;
RELATE spot:well->road:r7->spot:bridge;
RELATE spot:square->lane:l1->spot:tower; RELATE spot:tower->lane:l2->spot:mill
$$);

-- <-> reaches both ends of each edge, the edges coming in first
SELECT * FROM dllb.query('spot:mill<->road<->spot');
SELECT * FROM dllb.query('spot:mill<->road');
-- several edge tables in one step, in the order written
SELECT * FROM dllb.query('spot:square->(lane, road)->spot');
SELECT * FROM dllb.query('spot:square->(road, lane)');
SELECT * FROM dllb.query('spot:square->(road, nosuch, lane)->spot');
-- ? : every edge table, by name (edges coming in first for <->)
SELECT * FROM dllb.query('spot:square->?');
SELECT * FROM dllb.query('spot:mill<->?');
SELECT * FROM dllb.query('SELECT ->?->?.id AS ids, ->?->? AS recs FROM ONLY spot:square');
-- a SELECT over a record's edges, and the far ends of its results
SELECT count(*) FROM dllb.query('UPDATE road SET km = 3; UPDATE road:r2 SET km = 1');
SELECT * FROM dllb.query('SELECT ->(SELECT km, out FROM road ORDER BY km) AS by_km, ->(SELECT count() AS n, km FROM road GROUP BY km) AS per_km FROM ONLY spot:square');
SELECT * FROM dllb.query('SELECT ->(SELECT * FROM ONLY road WHERE km > 2) AS one FROM ONLY spot:square');
SELECT * FROM dllb.query('spot:mill<-(SELECT * FROM road)');
SELECT * FROM dllb.query('spot:square->(SELECT * FROM road WHERE km < 2)->spot');
SELECT * FROM dllb.query('SELECT <-(SELECT id FROM road) FROM spot:well');
-- FROM a range of the edges (or one of them), and .* after it
SELECT * FROM dllb.query('spot:mill->(SELECT id FROM road:r4..).*; spot:mill->(SELECT id FROM road:..r3).*; spot:mill->(SELECT id, km FROM road:r3..=r4 LIMIT 1).*; spot:mill->(SELECT id FROM road:r4)');
SELECT * FROM dllb.query('UPDATE spot:bridge SET name = ''Bridge''; spot:mill->road->spot.*; spot:mill->road.out.*; spot:bridge.*');
SELECT dllb.surql_parse('SELECT ->(SELECT id FROM e:1..=3).*, ->a->b.*, ->a.out.* FROM t');
-- destructuring: a field under another name, a path through record links
SELECT * FROM dllb.query('UPDATE spot:gate SET twin = spot:mill, name = ''Gate''; UPDATE spot:mill SET name = ''Mill''');
SELECT * FROM dllb.query('spot:square->road->spot.{id, twin_name: twin.name, own: name}');
SELECT dllb.surql_parse('SELECT a.{b, c: d.e} FROM t');
-- record links: a field of a record, and a field path repeated
SELECT count(*) FROM dllb.query($$
CREATE shelf:top SET name = 'Top'; CREATE shelf:mid SET name = 'Mid', up = shelf:top;
CREATE shelf:low SET name = 'Low', up = shelf:mid, kids = [];
UPDATE shelf:top SET kids = [shelf:mid]; UPDATE shelf:mid SET kids = [shelf:low]
$$);
SELECT * FROM dllb.query('shelf:low.up; shelf:low.up.name; shelf:top.kids; shelf:low.nothing');
SELECT * FROM dllb.query('shelf:low.{..}.up; shelf:low.{1}.up; shelf:low.{5}.up; shelf:top.{..}.kids');
SELECT * FROM dllb.query('shelf:low.{..}(.up).name; shelf:low.{..}(.up).{id, name}; shelf:top.{2}(.kids).name');
SELECT * FROM dllb.query('SELECT name, @.{..}(.up).name AS root FROM shelf ORDER BY name');
SELECT dllb.surql_parse('SELECT t:k.f.g, t:k.{..3}.up, t:k.{..}(.up.x).name FROM t');
SELECT * FROM dllb.query('shelf:low.{..+collect}.up');
-- a null link ends the chain as NONE does
SELECT * FROM dllb.query('CREATE shelf:lone SET up = NULL; shelf:lone.{3}.up; shelf:lone.{..}.up');
-- a destructuring repeated at each .@, to a depth (the records below it)
SELECT * FROM dllb.query('shelf:top.{..}.{name, below: kids.@}; shelf:top.{..1}.{id, below: kids.@}');
SELECT * FROM dllb.query('spot:square.{..2}.{id, next: ->road->spot.@}');
SELECT * FROM dllb.query('spot:mill.{..2}.{id, from: <-lane<-spot.@, by: <-road<-spot}');
SELECT dllb.surql_parse('SELECT a:b.{..3}.{x, y: ->e->t.@, z: f.g.@, w: h} FROM t');
SELECT * FROM dllb.query('spot:square.{..2}.{id, next: ->road[WHERE true]->spot.@}');
DROP TABLE shelf;
-- LIMIT and START over a record's edges
SELECT * FROM dllb.query('SELECT ->(road LIMIT 1) AS first, ->(road START 1) AS rest, ->(road WHERE out != spot:mill LIMIT 5 START 0) AS other FROM ONLY spot:square');
SELECT * FROM dllb.query('spot:square->(road LIMIT 1)->spot');
-- @ is the current record
SELECT * FROM dllb.query('SELECT id, @->road->spot AS next, @.{2}->road->spot AS two FROM spot:mill, spot:bridge');

-- a recursion: level after level, each record of a level in turn, a record
-- as often as paths reach it; the last level before a dead end
SELECT * FROM dllb.query('spot:square.{1}->road->spot');
SELECT * FROM dllb.query('spot:square.{2}->road->spot');
SELECT * FROM dllb.query('spot:square.{..3}->road->spot');
SELECT * FROM dllb.query('spot:gate.{..3}->road->spot');
SELECT * FROM dllb.query('spot:square.{..}->lane->spot');
-- +collect, +path, +shortest and +inclusive (the start first)
SELECT * FROM dllb.query('spot:square.{..+collect}->road->spot');
SELECT * FROM dllb.query('spot:square.{2..+collect+inclusive}->road->spot');
SELECT * FROM dllb.query('spot:square.{..3+path}->road->spot');
SELECT * FROM dllb.query('spot:square.{..3+path+inclusive}->road->spot');
SELECT * FROM dllb.query('spot:square.{..+shortest=spot:well+inclusive}->road->spot');
SELECT * FROM dllb.query('spot:square.{..1+shortest=spot:well}->road->spot');
SELECT * FROM dllb.query('spot:tower.{..+shortest=spot:gate}->road->spot');
-- the steps in parentheses, and a field after them
SELECT * FROM dllb.query('spot:square.{..+collect}(->road->spot).id');
SELECT * FROM dllb.query('SELECT id, @.{..2}(->lane->spot) AS far FROM spot:square');
-- printed as they parse
SELECT dllb.surql_parse('SELECT @.{..2+collect+inclusive}(->a->b).c, ->(a, b)->c, ->(a WHERE x LIMIT 2 START 1) FROM t');
SELECT dllb.surql_parse('SELECT ->(SELECT * FROM a ORDER BY x) FROM t');
-- refused
SELECT * FROM dllb.query('SELECT ->(SELECT * FROM road)->spot->road AS r FROM spot:square');
SELECT * FROM dllb.query('SELECT <->(SELECT * FROM road) AS r FROM spot:square');
SELECT * FROM dllb.query('spot:square->(road LIMIT $n)');
SELECT dllb.surql_parse('SELECT @ FROM t');
SELECT dllb.surql_parse('SELECT .{..+collect+deep}->a->b FROM t');

DROP TABLE spot, road, lane;
