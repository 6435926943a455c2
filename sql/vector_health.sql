-- dllb_hnsw graph health: dllb.hnsw_verify finds every index whole after
-- parallel builds (repeated), plain inserts into small indexes (piles of
-- duplicates included), VACUUM (the entry point deleted, everything
-- deleted), and heap pruning that left dead line pointers behind.

-- a helper: the checks that failed, or 'whole'
CREATE FUNCTION health(idx regclass) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg("check" || ': ' || detail, '; '), 'whole')
	FROM dllb.hnsw_verify(idx) WHERE NOT ok
$$;

-- parallel builds: 12,000 rows link on two threads; each build is checked
CREATE TABLE par (id int, v dllb.vector(24));
INSERT INTO par
SELECT i, (SELECT array_agg((hashint4(i * 24 + k) % 1000) / 1000.0)::real[]
           FROM generate_series(1, 24) k)::dllb.vector
FROM generate_series(1, 12000) i;
SET max_parallel_maintenance_workers = 1;
CREATE TABLE par_builds (build int, health text);
DO $$
BEGIN
	FOR b IN 1..6 LOOP
		CREATE INDEX par_v ON par USING dllb_hnsw (v) WITH (m = 8, ef_construction = 32);
		INSERT INTO par_builds VALUES (b, health('par_v'));
		DROP INDEX par_v;
	END LOOP;
END $$;
SELECT health, count(*) AS builds FROM par_builds GROUP BY health;
RESET max_parallel_maintenance_workers;
DROP TABLE par, par_builds;

-- plain inserts, one row at a time, into indexes built empty: short lists
-- and many duplicates (9 distinct points in 1,000 rows)
CREATE TABLE few (id int, v dllb.vector(2));
CREATE INDEX few_v ON few USING dllb_hnsw (v) WITH (m = 2, ef_construction = 4);
DO $$
BEGIN
	FOR i IN 1..1000 LOOP
		INSERT INTO few VALUES (i, ARRAY[hashint4(i) % 3, hashint4(-i) % 3]::real[]::dllb.vector);
	END LOOP;
END $$;
SELECT health('few_v') AS after_inserts;
-- every row comes back from an unbounded scan
SELECT count(*) FROM (SELECT id FROM few ORDER BY v <-> '[0,0]') s;

CREATE TABLE small (id int, v dllb.vector(3));
CREATE INDEX small_v ON small USING dllb_hnsw (v dllb.vector_cosine_ops);
INSERT INTO small SELECT i, ARRAY[1 + i % 5, 1 + i % 7, 1]::real[]::dllb.vector
FROM generate_series(1, 300) i;
SELECT health('small_v') AS after_inserts;

-- a build over piles of duplicates
CREATE TABLE dup (id int, v dllb.vector(2));
INSERT INTO dup SELECT i, ARRAY[hashint4(i) % 3, hashint4(-i) % 3]::real[]::dllb.vector
FROM generate_series(1, 2000) i;
CREATE INDEX dup_v ON dup USING dllb_hnsw (v) WITH (m = 4, ef_construction = 8);
SELECT health('dup_v') AS after_build;

-- VACUUM after deletes, twice, then inserts again
DELETE FROM dup WHERE id % 3 = 0;
VACUUM dup;
SELECT health('dup_v') AS after_vacuum;
INSERT INTO dup SELECT i, ARRAY[hashint4(i) % 3, hashint4(-i) % 3]::real[]::dllb.vector
FROM generate_series(2001, 2500) i;
DELETE FROM dup WHERE id % 3 = 1;
VACUUM dup;
SELECT health('dup_v') AS after_churn;
-- deleting 90% of the rows deletes the entry point too, most likely: it
-- stays as a tombstone the others hang from
DELETE FROM few WHERE id % 10 <> 0;
VACUUM few;
SELECT health('few_v') AS after_mass_delete;
SELECT count(*) FROM (SELECT id FROM few ORDER BY v <-> '[0,0]') s;
INSERT INTO few SELECT i, ARRAY[i % 4, i % 5]::real[]::dllb.vector FROM generate_series(1001, 1100) i;
SELECT health('few_v') AS after_refill;
-- everything deleted: an empty graph, which fills again
DELETE FROM few;
VACUUM few;
SELECT health('few_v') AS after_delete_all;
INSERT INTO few SELECT i, ARRAY[i % 4, i % 5]::real[]::dllb.vector FROM generate_series(1, 50) i;
SELECT health('few_v') AS after_refill;
SELECT count(*) FROM (SELECT id FROM few ORDER BY v <-> '[0,0]') s;

-- heap pruning: VACUUM without index cleanup leaves the heap's dead line
-- pointers and the index's elements for them; the graph is whole, and the
-- heap check does not count a dead line pointer as a missing row
CREATE TABLE pruned (id int, v dllb.vector(4)) WITH (autovacuum_enabled = off);
INSERT INTO pruned SELECT i, ARRAY[i % 11, i % 13, i % 17, 1]::real[]::dllb.vector
FROM generate_series(1, 2000) i;
CREATE INDEX pruned_v ON pruned USING dllb_hnsw (v);
DELETE FROM pruned WHERE id % 2 = 0;
VACUUM (INDEX_CLEANUP off) pruned;
SELECT health('pruned_v') AS after_pruning;
SELECT count(*) FROM (SELECT id FROM pruned ORDER BY v <-> '[1,1,1,1]') s;
VACUUM pruned;
SELECT health('pruned_v') AS after_vacuum;

DROP TABLE few, small, dup, pruned;
DROP FUNCTION health(regclass);

-- verify: an OID that is no relation, and a table the caller does not own
SELECT * FROM dllb.hnsw_verify(0);
SELECT * FROM dllb.hnsw_verify(4000000000::oid);
CREATE TABLE owned (v dllb.vector(2));
CREATE INDEX owned_v ON owned USING dllb_hnsw (v);
\c - dllb_admin
CREATE ROLE vector_health_other;
GRANT vector_health_other TO dllb_app;
\c - dllb_app
GRANT SELECT ON owned TO vector_health_other;
SET ROLE vector_health_other;
SELECT * FROM dllb.hnsw_verify('owned_v');
RESET ROLE;
DROP TABLE owned;
\c - dllb_admin
DROP ROLE vector_health_other;
\c - dllb_app
