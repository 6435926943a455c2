-- A dllb_bm25 index's analyzer is resolved once, when the index is built,
-- and kept by identity: no session's search_path changes how the index
-- analyzes, the configuration cannot be dropped from under it, and an
-- analyzer outside pg_catalog is named with its schema (so pg_dump's
-- output restores it).
CREATE SCHEMA ana_s;
CREATE TEXT SEARCH CONFIGURATION ana_s.words (COPY = pg_catalog.simple);
CREATE TABLE ana_t (id int, body text);
INSERT INTO ana_t VALUES (1, 'Parsing parsers'), (2, 'the running man');

-- an unqualified name is a configuration of pg_catalog
CREATE INDEX ana_bad ON ana_t USING dllb_bm25 (body) WITH (analyzer = 'words');
CREATE INDEX ana_idx ON ana_t USING dllb_bm25 (body) WITH (analyzer = 'ana_s.words');
SELECT pg_get_indexdef('ana_idx'::regclass);

-- sessions with other search paths write and read it the same way
SET search_path = ana_s, public;
INSERT INTO ana_t VALUES (3, 'parsing again');
SET search_path = pg_catalog;
INSERT INTO public.ana_t VALUES (4, 'the parsing');
RESET search_path;
SELECT "check", ok FROM dllb.bm25_verify('ana_idx');
SELECT id FROM ana_t WHERE body @@@ 'parsing' ORDER BY id;
SET enable_seqscan = off;
SELECT id FROM ana_t WHERE body @@@ 'parsing' ORDER BY id;
SELECT id FROM ana_t WHERE body @@@ 'the' ORDER BY id;
RESET enable_seqscan;

-- the configuration stays while the index uses it
DROP TEXT SEARCH CONFIGURATION ana_s.words;
-- a renamed configuration is still the index's: it analyzes by identity
ALTER TEXT SEARCH CONFIGURATION ana_s.words RENAME TO words2;
INSERT INTO ana_t VALUES (5, 'parsing once more');
SELECT "check", ok FROM dllb.bm25_verify('ana_idx');
SELECT count(*) FROM ana_t WHERE body @@@ 'parsing';

-- REINDEX resolves the option again
ALTER INDEX ana_idx SET (analyzer = 'ana_s.words2');
REINDEX INDEX ana_idx;
SELECT "check", ok FROM dllb.bm25_verify('ana_idx');

DROP TABLE ana_t;
DROP SCHEMA ana_s CASCADE;
