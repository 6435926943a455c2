-- test/bench/fulltext/load.sql: load the corpus and the queries into schema
-- bench_fulltext, one table per engine with the same rows, and define the
-- timing functions.  Variables: data (folder of corpus.tsv, queries.tsv),
-- limit (load only ids <= limit; 0 = all).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench_fulltext CASCADE;
CREATE SCHEMA bench_fulltext;
SET search_path = bench_fulltext, public, dllb;

CREATE TABLE raw (id int, src text, title text, body text);
CREATE TABLE raw_queries (qid int, band text, qtext text);
\set corpus :data/corpus.tsv
\set qfile :data/queries.tsv
COPY raw FROM :'corpus';
COPY raw_queries FROM :'qfile';

-- the indexed text, the same for the three engines: title || ' ' || body;
-- cat (id % 100) is the 1%-selective filter column
CREATE TABLE src (id int PRIMARY KEY, cat int NOT NULL, doc text NOT NULL);
INSERT INTO src SELECT id, id % 100, title || ' ' || body FROM raw
	WHERE :limit = 0 OR id <= :limit;
DROP TABLE raw;
CREATE TABLE ft_dllb (LIKE src INCLUDING ALL);
CREATE TABLE ft_gin (LIKE src INCLUDING ALL);
CREATE TABLE ft_rum (LIKE src INCLUDING ALL);
INSERT INTO ft_dllb SELECT * FROM src;
INSERT INTO ft_gin SELECT * FROM src;
INSERT INTO ft_rum SELECT * FROM src;
CREATE INDEX ON ft_dllb (cat);
CREATE INDEX ON ft_gin (cat);
CREATE INDEX ON ft_rum (cat);

-- tsq: the OR of the query's lexemes, for GIN and RUM (plainto_tsquery's
-- text with & replaced by |, cast back without stemming again); qtext is
-- given to dllb as it is (a bm25query of plain terms is their OR)
CREATE TABLE queries (qid int PRIMARY KEY, band text NOT NULL, qtext text NOT NULL, tsq tsquery NOT NULL);
INSERT INTO queries
SELECT qid, band, qtext, replace(plainto_tsquery('english', qtext)::text, ' & ', ' | ')::tsquery
FROM raw_queries;
DROP TABLE raw_queries;

-- what the bench measured: results (one figure each), lat (per query, ms,
-- median of 3 timed runs after one warm-up run, and rows returned) and the
-- statements that failed
CREATE TABLE results (what text, engine text, value float8, PRIMARY KEY (what, engine));
CREATE TABLE lat (engine text, qid int, band text, ms float8, nrows int, PRIMARY KEY (engine, qid));
CREATE TABLE errors (engine text, step text, error text);

-- time_query(engine, qid, cat): one query (with WHERE cat = $cat when cat
-- is given) once to warm up, then 3 timed runs; lat gets the median of the
-- 3.  engine: dllb, gin, rum.  The statements are static, so their plans
-- are cached as with prepared statements.  run.sh calls it once per query,
-- each call a statement of its own.
CREATE FUNCTION time_query(engine text, q int, fcat int DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	r record; t0 timestamptz; ms float8[] := '{}'; n int;
	tag text := CASE WHEN fcat IS NULL THEN engine ELSE engine || '_cat' END;
BEGIN
	SELECT qid, band, qtext, tsq INTO STRICT r FROM queries WHERE qid = q;
	FOR i IN 0..3 LOOP
		t0 := clock_timestamp();
		IF engine = 'dllb' AND fcat IS NULL THEN
			SELECT count(*) INTO n FROM (SELECT id FROM ft_dllb
				WHERE doc @@@ r.qtext::dllb.bm25query
				ORDER BY doc <@> r.qtext::dllb.bm25query LIMIT 10) s;
		ELSIF engine = 'dllb' THEN
			SELECT count(*) INTO n FROM (SELECT id FROM ft_dllb WHERE cat = fcat
				AND doc @@@ r.qtext::dllb.bm25query
				ORDER BY doc <@> r.qtext::dllb.bm25query LIMIT 10) s;
		ELSIF engine = 'gin' AND fcat IS NULL THEN
			SELECT count(*) INTO n FROM (SELECT id FROM ft_gin
				WHERE to_tsvector('english', doc) @@ r.tsq
				ORDER BY ts_rank(to_tsvector('english', doc), r.tsq) DESC LIMIT 10) s;
		ELSIF engine = 'gin' THEN
			SELECT count(*) INTO n FROM (SELECT id FROM ft_gin
				WHERE cat = fcat AND to_tsvector('english', doc) @@ r.tsq
				ORDER BY ts_rank(to_tsvector('english', doc), r.tsq) DESC LIMIT 10) s;
		ELSIF engine = 'rum' AND fcat IS NULL THEN
			SELECT count(*) INTO n FROM (SELECT id FROM ft_rum
				WHERE to_tsvector('english', doc) @@ r.tsq
				ORDER BY to_tsvector('english', doc) <=> r.tsq LIMIT 10) s;
		ELSE
			RAISE EXCEPTION 'time_query: no statement for %', tag;
		END IF;
		IF i > 0 THEN
			ms := ms || extract(epoch FROM clock_timestamp() - t0) * 1000;
		END IF;
	END LOOP;
	INSERT INTO lat VALUES (tag, r.qid, r.band,
		(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(ms) x), n);
END $$;

VACUUM ANALYZE src;
VACUUM ANALYZE ft_dllb;
VACUUM ANALYZE ft_gin;
VACUUM ANALYZE ft_rum;
VACUUM ANALYZE queries;
SELECT count(*) AS documents, pg_size_pretty(sum(octet_length(doc))) AS text,
       round(avg(array_length(regexp_split_to_array(doc, '\s+'), 1))) AS words_per_doc
FROM src;
