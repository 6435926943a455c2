-- graph traversal: out/in/both, traverse, dfs, shortest_path, reachable,
-- snapshot visibility, privileges and row-level security, limits, errors.

SELECT dllb.create_table('v');
SELECT count(dllb.relate(a::dllb.record, 'e', b::dllb.record))
FROM (VALUES ('v:a', 'v:b'), ('v:b', 'v:c'), ('v:c', 'v:a'), ('v:c', 'v:d'),
             ('v:a', 'v:e'), ('v:e', 'v:d'), ('v:d', 'v:f'), ('v:g', 'v:a')) x(a, b);
SELECT count(dllb.relate('v:a', 'f', 'v:z'));

-- one step
SELECT * FROM dllb.out('v:a', 'e') ORDER BY 1;
SELECT * FROM dllb.in('v:a', 'e') ORDER BY 1;
SELECT * FROM dllb.both('v:a', 'e') ORDER BY 1;
SELECT * FROM dllb.out('v:a', '?') ORDER BY 1;
SELECT * FROM dllb.out('v:a', 'no_such_table');
SELECT * FROM dllb.out('v:zz', 'e');

-- breadth-first: each vertex once at its smallest depth, cycles are safe
SELECT * FROM dllb.traverse('v:a', 'e', 'out', 0, 10);
SELECT node, depth FROM dllb.traverse('v:a', 'e', 'out', 2, 2);
SELECT node, depth FROM dllb.traverse('v:d', 'e', 'in', 1, 2) ORDER BY depth, node;
SELECT count(*) FROM dllb.traverse('v:a', '?', 'both', 1, 10);

-- in the target list and in LATERAL, as well as in FROM
SELECT dllb.traverse('v:a', 'e', 'out', 1, 1) ORDER BY 1;
SELECT s.id, t.node FROM (VALUES ('v:a'::dllb.record), ('v:c')) s(id), LATERAL dllb.traverse(s.id, 'e', 'out', 1, 1) t ORDER BY 1, 2;

-- depth-first: same vertices, preorder
SELECT * FROM dllb.dfs('v:a', 'e', 'out', 0, 10);
SELECT (SELECT pg_catalog.array_agg(node ORDER BY node) FROM dllb.dfs('v:g', 'e', 'out', 1, 3)) =
       (SELECT pg_catalog.array_agg(node ORDER BY node) FROM dllb.traverse('v:g', 'e', 'out', 1, 3)) AS same_vertices;

-- shortest paths
SELECT dllb.shortest_path('v:a', 'v:f', 'e');
SELECT dllb.shortest_path('v:f', 'v:a', 'e', 'in');
SELECT dllb.shortest_path('v:f', 'v:a', 'e', 'out') IS NULL AS unreachable;
SELECT dllb.shortest_path('v:f', 'v:g', 'e', 'both');
SELECT dllb.shortest_path('v:a', 'v:a', 'e');
SELECT dllb.shortest_path('v:g', 'v:f', 'e', 'out', 3) IS NULL AS too_far,
       dllb.shortest_path('v:g', 'v:f', 'e', 'out', 4) AS just_right;
SELECT dllb.reachable('v:a', 'v:f', 'e', 'out', 2), dllb.reachable('v:a', 'v:f', 'e', 'out', 3);

-- the caller's snapshot decides: uncommitted deletes by us are seen, and a
-- rolled-back edge never was
BEGIN;
DELETE FROM e WHERE "in" = 'v:e';
SELECT dllb.shortest_path('v:a', 'v:f', 'e');
ROLLBACK;
BEGIN;
SELECT dllb.relate('v:a', 'e', 'v:f') IS NOT NULL AS related;
SELECT dllb.shortest_path('v:a', 'v:f', 'e');
ROLLBACK;
SELECT dllb.shortest_path('v:a', 'v:f', 'e');

-- privileges and row-level security on the edge table apply
\c - dllb_admin
CREATE ROLE dllb_graph_reader;
GRANT dllb_graph_reader TO dllb_app;
\c - dllb_app
SET ROLE dllb_graph_reader;
SELECT * FROM dllb.out('v:a', 'e');
RESET ROLE;
GRANT SELECT ON e TO dllb_graph_reader;
ALTER TABLE e ENABLE ROW LEVEL SECURITY;
CREATE POLICY hide_e ON e FOR SELECT USING ("in" OPERATOR(pg_catalog.<>) 'v:e');
SET ROLE dllb_graph_reader;
SELECT * FROM dllb.out('v:a', 'e') ORDER BY 1;
SELECT dllb.shortest_path('v:a', 'v:f', 'e');
RESET ROLE;
DROP POLICY hide_e ON e;
ALTER TABLE e DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON e FROM dllb_graph_reader;
\c - dllb_admin
DROP ROLE dllb_graph_reader;
\c - dllb_app

-- work_mem bounds a traversal, with a clear error
CREATE TABLE chain_src AS SELECT g FROM generate_series(1, 20000) g;
INSERT INTO e (id, "in", out)
SELECT dllb.record('e', 'c' || g), dllb.record('v', 'n' || g), dllb.record('v', 'n' || (g + 1))
FROM chain_src;
SET work_mem = 64;
\set VERBOSITY terse
SELECT count(*) FROM dllb.traverse('v:n1', 'e', 'out', 1, 100000);
\set VERBOSITY default
RESET work_mem;
SELECT count(*), max(depth) FROM dllb.traverse('v:n1', 'e', 'out', 1, 100000);
SELECT array_length(dllb.shortest_path('v:n1', 'v:n20001', 'e', 'out', 100000), 1);

-- the edge indexes change under a session that has traversed already
SELECT count(*) FROM dllb.out('v:a', 'e');
DROP INDEX e_in_out;
SELECT count(*) FROM dllb.out('v:a', 'e');
CREATE INDEX e_in_out ON e ("in", out);
SELECT count(*) FROM dllb.out('v:a', 'e');

-- errors
SELECT * FROM dllb.traverse('v:a', 'e', 'sideways', 1, 2);
SELECT * FROM dllb.traverse('v:a', 'e', 'out', 3, 2);
SELECT * FROM dllb.traverse('v:a', 'e', 'out', -1, 2);
SELECT * FROM dllb.out('v:a', 'v');
SELECT dllb.shortest_path('v:a', 'v:f', 'e', 'out', -1);

DROP TABLE v, e, f, chain_src;
