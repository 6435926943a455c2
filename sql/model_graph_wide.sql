-- Wide traversals: frontiers of hundreds of vertices (one array scan key
-- over the edge index for a whole level) in the compact numbering; answers
-- checked against recursive CTEs over the same edges, also with dead edges
-- in the index; at work_mem 256kB the numbering still holds the whole
-- component of some 3,000 vertices.

SELECT dllb.create_table('wv') IS NOT NULL AS created;
SELECT dllb.create_edge_table('we') IS NOT NULL AS created;
-- 3,000 vertices, 15,000 edges, skewed: low-numbered vertices are hubs
INSERT INTO we (id, "in", out)
SELECT dllb.record('we', g),
       dllb.record('wv', (hashint4(g) & 2147483647) % 3000),
       dllb.record('wv', ((hashint4(g * 7 + 1) & 2147483647) % 3000) * ((hashint4(g * 7 + 1) & 2147483647) % 3000) / 3000)
FROM generate_series(1, 15000) g;
ANALYZE we;

CREATE TABLE wv_start AS
SELECT dllb.record('wv', s) AS v FROM generate_series(0, 2990, 460) s;

-- the same sets as a recursive CTE finds them (UNION on (node, depth))
CREATE FUNCTION we_cte(s dllb.record, dir text, k int) RETURNS SETOF dllb.record
LANGUAGE sql STABLE AS $$
	WITH RECURSIVE r(node, depth) AS (
		SELECT s, 0
		UNION
		SELECT CASE WHEN dir = 'out' THEN e.out WHEN dir = 'in' THEN e."in"
		            WHEN e."in" = r.node THEN e.out ELSE e."in" END, r.depth + 1
		FROM r JOIN we e ON (dir IN ('out', 'both') AND e."in" = r.node)
		                 OR (dir IN ('in', 'both') AND e.out = r.node)
		WHERE r.depth < k)
	SELECT DISTINCT node FROM r WHERE node <> s
$$;

CREATE TABLE we_diff (v dllb.record, dir text, k int, dllb_n bigint, cte_n bigint, same bool);
INSERT INTO we_diff
SELECT s.v, d.dir, k.k,
       (SELECT count(*) FROM dllb.traverse(s.v, 'we', d.dir, 1, k.k)),
       (SELECT count(*) FROM we_cte(s.v, d.dir, k.k)),
       (SELECT pg_catalog.array_agg(node ORDER BY node) FROM dllb.traverse(s.v, 'we', d.dir, 1, k.k))
         IS NOT DISTINCT FROM (SELECT pg_catalog.array_agg(x ORDER BY x) FROM we_cte(s.v, d.dir, k.k) x)
FROM wv_start s, (VALUES ('out'), ('in'), ('both')) d(dir), (VALUES (1), (2), (3)) k(k);
SELECT dir, k, count(*) AS starts, sum(dllb_n) AS vertices, max(dllb_n) AS widest,
       count(*) FILTER (WHERE NOT same) AS different
FROM we_diff GROUP BY dir, k ORDER BY dir, k;

-- dead edges: their index entries stay until VACUUM, the walk skips them
DELETE FROM we WHERE dllb.key(id)::bigint % 3 = 0;
TRUNCATE we_diff;
INSERT INTO we_diff
SELECT s.v, d.dir, 3,
       (SELECT count(*) FROM dllb.traverse(s.v, 'we', d.dir, 1, 3)),
       (SELECT count(*) FROM we_cte(s.v, d.dir, 3)),
       (SELECT pg_catalog.array_agg(node ORDER BY node) FROM dllb.traverse(s.v, 'we', d.dir, 1, 3))
         IS NOT DISTINCT FROM (SELECT pg_catalog.array_agg(x ORDER BY x) FROM we_cte(s.v, d.dir, 3) x)
FROM wv_start s, (VALUES ('out'), ('in'), ('both')) d(dir);
SELECT dir, count(*) AS starts, sum(dllb_n) > 0 AS reached, count(*) FILTER (WHERE NOT same) AS different
FROM we_diff GROUP BY dir ORDER BY dir;

-- shortest paths over the wide frontiers: as long as the CTE's BFS says
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE coalesce(array_length(dllb.shortest_path(a.v, b.v, 'we', 'both', 16), 1) - 1, -1)
                        IS DISTINCT FROM
                        coalesce((WITH RECURSIVE r(node, depth) AS (
                                    SELECT a.v, 0 UNION
                                    SELECT CASE WHEN e."in" = r.node THEN e.out ELSE e."in" END, r.depth + 1
                                    FROM r JOIN we e ON e."in" = r.node OR e.out = r.node
                                    WHERE r.depth < 6)
                                  SELECT min(depth) FROM r WHERE node = b.v), -1)) AS different
FROM wv_start a JOIN wv_start b ON a.v < b.v
WHERE coalesce(array_length(dllb.shortest_path(a.v, b.v, 'we', 'both', 16), 1) - 1, -1) BETWEEN 0 AND 6;

-- the whole component, undirected, within a small work_mem
SET work_mem = '256kB';
SELECT count(*) > 1000 AS most_of_the_graph FROM dllb.traverse(dllb.record('wv', 0), 'we', 'both', 1, 50);
RESET work_mem;

DROP FUNCTION we_cte(dllb.record, text, int);
DROP TABLE we_diff, wv_start, we, wv;
