-- the dllb table access method: heap semantics, every index type, TOAST,
-- vacuum, key-clustered placement, cluster_by and its errors.

CREATE TABLE am_t (id int PRIMARY KEY, grp int, body text, tags int[], span int4range) USING dllb;
SELECT amname FROM pg_am a JOIN pg_class c ON c.relam = a.oid WHERE c.relname = 'am_t';
SELECT dllb.cluster_by('am_t', 'grp');
\d am_t

-- random arrival order; placement keeps each group on few pages
INSERT INTO am_t
SELECT g, (g * 7919) % 50, repeat('x', 200), ARRAY[g % 10], int4range(g, g + 10)
FROM generate_series(1, 5000) g;
CREATE TABLE heap_t AS SELECT * FROM am_t ORDER BY id;
SELECT (SELECT count(DISTINCT (ctid::text::point)[0]) FROM am_t WHERE grp = 7) AS dllb_pages,
       (SELECT count(DISTINCT (ctid::text::point)[0]) FROM heap_t WHERE grp = 7) AS heap_pages,
       (SELECT count(*) FROM am_t WHERE grp = 7) AS rows;
SELECT round(avg(n), 1) AS avg_pages_per_group
FROM (SELECT grp, count(DISTINCT (ctid::text::point)[0]) n FROM am_t GROUP BY grp) s;

-- every index type builds and answers (CREATE INDEX CONCURRENTLY too)
CREATE INDEX am_t_hash ON am_t USING hash (grp);
CREATE INDEX am_t_gin ON am_t USING gin (tags);
CREATE INDEX am_t_gist ON am_t USING gist (span);
CREATE INDEX am_t_brin ON am_t USING brin (id);
CREATE INDEX CONCURRENTLY am_t_id_grp ON am_t (id, grp);
SET enable_seqscan = off;
SELECT count(*) FROM am_t WHERE grp = 7;
SELECT count(*) FROM am_t WHERE tags @> ARRAY[3];
SELECT count(*) FROM am_t WHERE span @> 4242;
SELECT count(*) FROM am_t WHERE id BETWEEN 100 AND 199;
RESET enable_seqscan;

-- MVCC, update, delete, vacuum, TOAST
UPDATE am_t SET body = repeat('y', 200) WHERE grp = 3;
DELETE FROM am_t WHERE grp = 4;
VACUUM am_t;
SELECT count(*), count(*) FILTER (WHERE body LIKE 'y%') FROM am_t;
INSERT INTO am_t VALUES (100000, 1, (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 2000) g));
SELECT length(body) FROM am_t WHERE id = 100000;
SELECT reltoastrelid <> 0 AS has_toast FROM pg_class WHERE relname = 'am_t';
VACUUM FULL am_t;
SELECT count(*) FROM am_t;

-- COPY goes through placement too
COPY am_t (id, grp, body) FROM stdin;
200001	7	copied
200002	7	copied
\.
SELECT count(*) FROM am_t WHERE grp = 7 AND body = 'copied';

-- ON CONFLICT
INSERT INTO am_t (id, grp, body) VALUES (200001, 7, 'again') ON CONFLICT (id) DO UPDATE SET body = 'updated';
SELECT body FROM am_t WHERE id = 200001;

-- errors
SELECT dllb.cluster_by('heap_t', 'grp');
SELECT dllb.cluster_by('am_t', 'no_such_column');

-- a clustering column without an index gets one
CREATE TABLE am_u (a int, b int) USING dllb;
SELECT dllb.cluster_by('am_u', 'b');
\d am_u

-- COPY (a batch insert: the batch's index entries come after its rows)
-- keeps a key's rows together too, and fills its pages: keys in random
-- order, 20,000 rows, about 80 to a page
CREATE TABLE am_copy (id int, fp text, body text) USING dllb;
SELECT dllb.cluster_by('am_copy', 'fp');
\copy am_copy FROM PROGRAM 'seq 1 20000 | awk ''BEGIN { srand(7) } { print $1 "\tfile" int(rand() * 50) "\tsome body text of a moderate length, xxxxxxxxxxxxxxxxxxxxxx" }'''
CREATE TABLE am_copy_heap AS SELECT * FROM am_copy ORDER BY id;
SELECT pg_relation_size('am_copy') <= 1.3 * pg_relation_size('am_copy_heap') AS pages_filled,
       (SELECT avg(p) < 40 FROM (SELECT count(DISTINCT (ctid::text::point)[0]) AS p
                                  FROM am_copy GROUP BY fp) s) AS keys_together,
       (SELECT avg(p) > 150 FROM (SELECT count(DISTINCT (ctid::text::point)[0]) AS p
                                   FROM am_copy_heap GROUP BY fp) s) AS heap_scatters;

DROP TABLE am_t, heap_t, am_u, am_copy, am_copy_heap;
