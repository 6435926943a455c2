-- a graph path condition beside <|k|>: computed backwards once as a set of
-- ids (from its filtered last node table towards the row), which drives the
-- candidates when few (exact search), is checked by hash in the HNSW walk
-- when more, and is checked forward from each row when the set grows past
-- 10,000 records; every answer against the same question in plain SQL
SELECT count(*) FROM dllb.query($$
DEFINE TABLE gn SCHEMALESS;
DEFINE FIELD embedding ON gn TYPE vector<2>;
DEFINE FIELD kind ON gn TYPE string;
DEFINE TABLE gh SCHEMALESS;
DEFINE FIELD name ON gh TYPE string;
DEFINE TABLE gf SCHEMALESS;
DEFINE TABLE links TYPE RELATION;
DEFINE TABLE owns TYPE RELATION;
DEFINE TABLE uses TYPE RELATION;
$$);
-- 12,000 points scattered over the unit square, no two at one distance
-- from the query point below
INSERT INTO gn (id, kind, embedding)
SELECT ('gn:' || i)::dllb.record, CASE WHEN i % 3 = 0 THEN 'struct' ELSE 'function' END,
       ('[' || i / 12000.0 || ',' || (i * 7919) % 12007 / 12007.0 || ']')::dllb.vector
FROM generate_series(1, 12000) i;
INSERT INTO gh (id, name) VALUES ('gh:rare', 'rare.h'), ('gh:mid', 'mid.h'), ('gh:common', 'common.h'),
	('gh:none', 'none.h');
-- rare: 48 points link to it; mid: 6,000; common: 11,000
INSERT INTO links (id, "in", out)
SELECT ('links:' || i || '_' || h)::dllb.record, ('gn:' || i)::dllb.record, ('gh:' || h)::dllb.record
FROM generate_series(1, 12000) i, unnest(ARRAY['rare', 'mid', 'common']) h
WHERE (h = 'rare' AND i % 250 = 0) OR (h = 'mid' AND i % 2 = 0) OR (h = 'common' AND i % 12 <> 0);
-- two hops: 100 files own the points (point i: file i % 100), files 3 and
-- 7 use rare.h
INSERT INTO gf (id) SELECT ('gf:' || j)::dllb.record FROM generate_series(0, 99) j;
INSERT INTO owns (id, "in", out)
SELECT ('owns:' || i)::dllb.record, ('gf:' || i % 100)::dllb.record, ('gn:' || i)::dllb.record
FROM generate_series(1, 12000) i;
INSERT INTO uses (id, "in", out) VALUES ('uses:1', 'gf:3', 'gh:rare'), ('uses:2', 'gf:7', 'gh:rare');
SELECT count(*) FROM dllb.query($$DEFINE INDEX emb ON gn FIELDS embedding HNSW DIMENSION 2 DIST EUCLIDEAN$$);
ANALYZE gn;
ANALYZE gh;
ANALYZE links;
ANALYZE owns;

-- the 5 nearest functions to the query point that pass the path, from the
-- dialect and by brute force in SQL
CREATE FUNCTION pg_temp.knn_dialect(path text, h text) RETURNS text LANGUAGE sql AS $f$
	SELECT string_agg(result->>'id', ' ' ORDER BY ord) FROM dllb.query(
		'SELECT id, vector::distance::knn() AS d FROM gn WHERE kind = ''function'' AND embedding <|5,100|> $q AND '
		|| path || ' ORDER BY d LIMIT 5',
		jsonb_build_object('q', '[0.3141, 0.5926]'::jsonb, 'h', h)) WITH ORDINALITY AS x(stmt, result, ord)
$f$;
CREATE FUNCTION pg_temp.knn_exact(hop text, h text) RETURNS text LANGUAGE sql AS $f$
	SELECT string_agg(id::text, ' ' ORDER BY d) FROM (
		SELECT n.id, dllb.l2_distance(n.embedding, '[0.3141, 0.5926]') AS d FROM gn n
		WHERE n.kind = 'function' AND CASE hop
			WHEN 'links' THEN EXISTS (SELECT 1 FROM links e JOIN gh ON gh.id = e.out
			                          WHERE e."in" = n.id AND gh.name = h)
			ELSE EXISTS (SELECT 1 FROM owns o JOIN uses u ON u."in" = o."in" JOIN gh ON gh.id = u.out
			             WHERE o.out = n.id AND gh.name = h) END
		ORDER BY 2 LIMIT 5) x
$f$;
SELECT h, pg_temp.knn_dialect('->links->gh[WHERE name = $h]', h) AS dialect,
       pg_temp.knn_dialect('->links->gh[WHERE name = $h]', h) IS NOT DISTINCT FROM pg_temp.knn_exact('links', h) AS same
FROM unnest(ARRAY['rare.h', 'mid.h', 'common.h', 'none.h', 'nothing.h']) h;
SELECT pg_temp.knn_dialect('<-owns<-gf->uses->gh[WHERE name = $h]', 'rare.h') AS dialect,
       pg_temp.knn_dialect('<-owns<-gf->uses->gh[WHERE name = $h]', 'rare.h') IS NOT DISTINCT FROM pg_temp.knn_exact('owns', 'rare.h') AS same;
-- not a conjunct of the WHERE: checked forward from each row
SELECT pg_temp.knn_dialect('(->links->gh[WHERE name = $h] OR id = gn:1)', 'rare.h') AS dialect;

-- the plan: the backward set in a CTE (g1_), the candidates driven by it,
-- the HNSW scan beside them; a condition on a text column is the column's
-- own comparison (its btree index can serve it)
SELECT plan ~ 'CTE g1_' AS backward_set, plan ~ 'Index Scan using gn_emb' AS hnsw,
       sql ~ 'name OPERATOR\(pg_catalog.=\)' AS text_equality, uses_index
FROM dllb.explain($$SELECT id FROM gn WHERE kind = 'function' AND embedding <|5,100|> $q
  AND ->links->gh[WHERE name = 'rare.h']$$, '{"q": [0.3141, 0.5926]}');

SELECT count(*) FROM dllb.query($$REMOVE TABLE gn; REMOVE TABLE gh; REMOVE TABLE gf;
  REMOVE TABLE links; REMOVE TABLE owns; REMOVE TABLE uses;$$);
