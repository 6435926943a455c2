-- dllb_bm25 scores of rows the index scan did not return: a row read from
-- the table (a sequential scan, a bitmap scan, an HNSW-like scan by
-- another index) is scored from the index's postings, filed under its
-- TID, without reading or analyzing its text; a text that is not a row's
-- column (a copy, a computed value) and a HOT-updated row (filed under its
-- chain's root) are analyzed.  Every path gives the same score, to the
-- bit, for short texts and for long ones stored compressed or out of line.

CREATE TABLE sr_t (id int PRIMARY KEY, note text, extra int, body text);
-- short texts, and long ones (20-60 kB: compressed, or stored out of line
-- when they do not compress) with rare and common words
INSERT INTO sr_t
SELECT i, 'n', 0,
       CASE WHEN i % 3 = 0
            THEN (SELECT pg_catalog.string_agg(pg_catalog.md5((i * 1000 + j)::text), ' ')
                  FROM generate_series(1, 600 + i % 7 * 100) j)
                 || ' common ' || CASE WHEN i % 9 = 0 THEN 'rareword ' ELSE '' END || 'tail'
            ELSE 'common words ' || CASE WHEN i % 9 = 1 THEN 'rareword' ELSE 'plain' END
                 || ' short text ' || i::text
       END
FROM generate_series(1, 300) i;
CREATE INDEX sr_t_bm25 ON sr_t USING dllb_bm25 (body) WITH (analyzer = 'simple');
CREATE INDEX sr_t_note ON sr_t (note);
ANALYZE sr_t;
SELECT count(*) FILTER (WHERE octet_length(body) > 8000) AS long_texts_out_of_line,
       count(*) FILTER (WHERE octet_length(body) < 100) AS short_texts
FROM sr_t;

-- the scores, four ways
CREATE TABLE sr_scores (how text, id int, score float8);
-- 1. the ranked index scan's own
INSERT INTO sr_scores
SELECT 'ranked', id, dllb.score(body, 'rareword common'::dllb.bm25query, 'sr_t_bm25'::regclass)
FROM (SELECT id, body FROM sr_t WHERE body @@@ 'rareword common'::dllb.bm25query
      ORDER BY body <@> 'rareword common'::dllb.bm25query LIMIT 1000) s;
-- 2. rows of a sequential scan: from the postings, by TID
SET enable_indexscan = off;
SET enable_bitmapscan = off;
INSERT INTO sr_scores
SELECT 'seqscan', id, dllb.score(body, 'rareword common'::dllb.bm25query, 'sr_t_bm25'::regclass)
FROM sr_t;
-- 3. rows of a bitmap scan of another index, in TID order
RESET enable_bitmapscan;
SET enable_seqscan = off;
INSERT INTO sr_scores
SELECT 'bitmap', id, dllb.score(body, 'rareword common'::dllb.bm25query, 'sr_t_bm25'::regclass)
FROM sr_t WHERE note = 'n';
RESET enable_seqscan;
RESET enable_indexscan;
-- 4. copies of the texts (not in a buffer): analyzed
INSERT INTO sr_scores
SELECT 'copy', id, dllb.score(body || '', 'rareword common'::dllb.bm25query, 'sr_t_bm25'::regclass)
FROM sr_t;

SELECT how, count(*) AS rows, count(*) FILTER (WHERE score > 0) AS matching
FROM sr_scores GROUP BY how ORDER BY how;
-- every way agrees with the analyzed copy, to the bit
SELECT a.how, count(*) AS compared,
       count(*) FILTER (WHERE a.score IS DISTINCT FROM c.score) AS different
FROM sr_scores a JOIN sr_scores c ON c.id = a.id AND c.how = 'copy'
WHERE a.how <> 'copy' GROUP BY a.how ORDER BY a.how;

-- a HOT update (the indexed text unchanged): the new version is filed
-- under its chain's root, so it is analyzed, and scores as its copy does
UPDATE sr_t SET extra = 1 WHERE id IN (9, 10, 18);
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT id, dllb.score(body, 'rareword common'::dllb.bm25query, 'sr_t_bm25'::regclass)
           = dllb.score(body || '', 'rareword common'::dllb.bm25query, 'sr_t_bm25'::regclass) AS same
FROM sr_t WHERE id IN (9, 10, 18) ORDER BY id;
-- a phrase: positions from the postings
SELECT count(*) AS compared,
       count(*) FILTER (WHERE dllb.score(body, '"common words"'::dllb.bm25query, 'sr_t_bm25'::regclass)
                        IS DISTINCT FROM
                        dllb.score(body || '', '"common words"'::dllb.bm25query, 'sr_t_bm25'::regclass)) AS different
FROM sr_t;
RESET enable_indexscan;
RESET enable_bitmapscan;

DROP TABLE sr_scores;
DROP TABLE sr_t;
