-- Quantization: the SQL functions that make compact codes of a vector
-- (binary and 8-bit, with their distances), and dllb_hnsw with
-- quantization = none and sq8 for every operator class, with and without
-- a filter column: recall against exact search, rows in true-distance
-- order, hnsw_verify after the build, inserts and VACUUM.

-- binary codes: one bit a dimension, 1 where the element is positive
SELECT dllb.binary_quantize('[1,-2,0,3.5,-0.1,7,8,-9,10]');
SELECT dllb.hamming_distance(dllb.binary_quantize('[1,-2,3]'), dllb.binary_quantize('[1,2,-3]'));
SELECT dllb.jaccard_distance(B'1100', B'1010'), dllb.jaccard_distance(B'0000', B'0000');
SELECT dllb.hamming_distance(B'101', B'1010');
-- longer than 64 bits: the word loop and the byte tail agree with bit_count
SELECT dllb.hamming_distance(a, b) = bit_count(a # b) AS same_count
FROM (SELECT dllb.binary_quantize(x) AS a, dllb.binary_quantize(y) AS b
      FROM (SELECT (SELECT array_agg((hashint4(k) % 100) / 100.0)::real[] FROM generate_series(1, 150) k)::dllb.vector AS x,
                   (SELECT array_agg((hashint4(-k) % 100) / 100.0)::real[] FROM generate_series(1, 150) k)::dllb.vector AS y) s) t;

-- 8-bit codes: 8 bytes (lo, step) and a byte a dimension
SELECT dllb.sq8('[0,1,2,3]'), length(dllb.sq8('[0,1,2,3]'));
SELECT dllb.sq8_decode(dllb.sq8('[0,255,51,-10]'));
SELECT dllb.sq8_decode(dllb.sq8('[5,5,5]'));
-- the distances of a code to a full vector are those of its decoded vector
SELECT abs(dllb.sq8_l2_distance(c, q) - (dllb.sq8_decode(c) <-> q)) < 1e-4 AS l2,
       abs(dllb.sq8_cosine_distance(c, q) - (dllb.sq8_decode(c) <=> q)) < 1e-5 AS cosine,
       abs(dllb.sq8_negative_inner_product(c, q) - (dllb.sq8_decode(c) <#> q)) < 1e-3 AS ip
FROM (SELECT dllb.sq8('[0.3,-1.2,4.5,2,0.01,-3]') AS c, '[1,2,3,-1,0.5,2]'::dllb.vector AS q) s;
SELECT dllb.sq8_cosine_distance(dllb.sq8('[0,0]'), '[1,1]');
-- errors
SELECT dllb.sq8_l2_distance(dllb.sq8('[1,2,3]'), '[1,2]');
SELECT dllb.sq8_decode('\x0001'::bytea);
SELECT dllb.sq8_decode('\x7fc00000000000000102'::bytea);

-- deterministic pseudo-random points in 16 dimensions, 20 queries
CREATE TABLE qpts (id int PRIMARY KEY, cat int, v dllb.vector(16));
INSERT INTO qpts
SELECT i, i % 10,
       (SELECT array_agg((hashint4(i * 16 + k) % 10000) / 10000.0)::real[]
        FROM generate_series(1, 16) k)::dllb.vector
FROM generate_series(1, 2000) i;
CREATE TABLE qq (qid int, q dllb.vector(16));
INSERT INTO qq
SELECT j, (SELECT array_agg((hashint4(-j * 16 - k) % 10000) / 10000.0)::real[]
           FROM generate_series(1, 16) k)::dllb.vector
FROM generate_series(1, 20) j;

-- a two-stage search by hand: the 50 nearest by codes, re-ranked exactly
ALTER TABLE qpts ADD COLUMN code bytea;
UPDATE qpts SET code = dllb.sq8(v);
SELECT count(*) AS same_top10 FROM
	(SELECT id FROM (SELECT id, v FROM qpts ORDER BY dllb.sq8_l2_distance(code, (SELECT q FROM qq WHERE qid = 1)) LIMIT 50) s
	 ORDER BY v <-> (SELECT q FROM qq WHERE qid = 1) LIMIT 10) a
	JOIN (SELECT id FROM qpts ORDER BY v <-> (SELECT q FROM qq WHERE qid = 1) LIMIT 10) e USING (id);
ALTER TABLE qpts DROP COLUMN code;

-- recall@10 of the index for op (with a filter cat = 3 when filtered),
-- against exact search; and whether every result list is in true order
CREATE FUNCTION qrecall(op text, filtered bool, OUT recall numeric, OUT ordered bool)
LANGUAGE plpgsql AS $$
DECLARE
	hits int := 0;
	exact int[];
	found int;
	sorted bool;
	w text := CASE WHEN filtered THEN 'WHERE cat = 3' ELSE '' END;
	r record;
BEGIN
	ordered := true;
	FOR r IN SELECT qid, q FROM qq LOOP
		SET LOCAL enable_indexscan = off;
		SET LOCAL enable_seqscan = on;
		EXECUTE pg_catalog.format('SELECT array_agg(id) FROM (SELECT id FROM qpts %s ORDER BY v %s $1 LIMIT 10) s', w, op)
			INTO exact USING r.q;
		SET LOCAL enable_indexscan = on;
		SET LOCAL enable_seqscan = off;
		EXECUTE pg_catalog.format('SELECT count(*) FILTER (WHERE id = ANY ($2)), bool_and(d >= prev)
			FROM (SELECT id, d, lag(d, 1, ''-infinity'') OVER (ORDER BY n) AS prev
			      FROM (SELECT id, v %s $1 AS d, row_number() OVER () AS n
			            FROM (SELECT id, v FROM qpts %s ORDER BY v %s $1 LIMIT 10) a) b) c',
			op, w, op) INTO found, sorted USING r.q, exact;
		hits := hits + found;
		ordered := ordered AND sorted;
	END LOOP;
	recall := hits / 200.0;
END $$;

-- every operator class x quantization x filter column
CREATE TABLE qresults (opclass text, quant text, filtered bool, recall_ok bool,
	ordered bool, health text);
CREATE FUNCTION qhealth(idx regclass) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg("check" || ': ' || detail, '; '), 'whole')
	FROM dllb.hnsw_verify(idx) WHERE NOT ok
$$;
DO $$
DECLARE
	oc record;
	quant text;
	filtered bool;
	res record;
BEGIN
	FOR oc IN SELECT * FROM (VALUES ('vector_l2_ops', '<->'), ('vector_cosine_ops', '<=>'),
	                                ('vector_ip_ops', '<#>')) x(name, op) LOOP
		FOREACH quant IN ARRAY ARRAY['none', 'sq8'] LOOP
			FOREACH filtered IN ARRAY ARRAY[false, true] LOOP
				EXECUTE pg_catalog.format('CREATE INDEX qidx ON qpts USING dllb_hnsw (v dllb.%s%s)
					WITH (m = 8, ef_construction = 40, quantization = %s)',
					oc.name, CASE WHEN filtered THEN ', cat' ELSE '' END, quant);
				res := qrecall(oc.op, filtered);
				INSERT INTO qresults VALUES (oc.name, quant, filtered,
					res.recall >= CASE WHEN oc.name = 'vector_ip_ops' THEN 0.85 ELSE 0.95 END,
					res.ordered, qhealth('qidx'));
				DROP INDEX qidx;
			END LOOP;
		END LOOP;
	END LOOP;
END $$;
SELECT * FROM qresults ORDER BY 1, 2, 3;

-- a quantized index with a filter column through inserts, deletes and
-- VACUUM: whole, and the recall holds
CREATE INDEX qpts_sq8 ON qpts USING dllb_hnsw (v, cat) WITH (m = 8, ef_construction = 40, quantization = sq8);
INSERT INTO qpts
SELECT i, i % 10,
       (SELECT array_agg((hashint4(i * 16 + k) % 10000) / 10000.0)::real[]
        FROM generate_series(1, 16) k)::dllb.vector
FROM generate_series(2001, 2600) i;
SELECT qhealth('qpts_sq8') AS after_inserts, (qrecall('<->', true)).recall >= 0.95 AS recall_ok;
DELETE FROM qpts WHERE id % 3 = 0;
VACUUM qpts;
SELECT qhealth('qpts_sq8') AS after_vacuum, (qrecall('<->', true)).recall >= 0.95 AS recall_ok,
       (qrecall('<->', false)).recall >= 0.95 AS unfiltered_recall_ok;

-- a 1% filter on the filter column: every query gets its 10 rows, at
-- recall >= 0.95 against exact filtered search with the default ef_search
-- (the walk keeps more results when few neighbour keys pass the filter,
-- and walks through non-matching elements where two hops hold too few
-- matching ones); serial build, so the graph is the same every run
SET max_parallel_maintenance_workers = 0;
CREATE TABLE fpts (id int PRIMARY KEY, cat int, v dllb.vector(8));
INSERT INTO fpts
SELECT i, i % 100,
       (SELECT array_agg((hashint4(i * 8 + k) % 10000) / 10000.0)::real[]
        FROM generate_series(1, 8) k)::dllb.vector
FROM generate_series(1, 10000) i;
CREATE TABLE fq (qid int, q dllb.vector(8));
INSERT INTO fq
SELECT j, (SELECT array_agg((hashint4(-j * 8 - k) % 10000) / 10000.0)::real[]
           FROM generate_series(1, 8) k)::dllb.vector
FROM generate_series(1, 20) j;
CREATE INDEX fpts_v ON fpts USING dllb_hnsw (v, cat);
CREATE FUNCTION frecall(OUT min_rows int, OUT recall numeric)
LANGUAGE plpgsql AS $$
DECLARE got int[]; exact int[]; hits int := 0;
BEGIN
	min_rows := 10;
	FOR j IN 1..20 LOOP
		PERFORM pg_catalog.set_config('enable_indexscan', 'off', true);
		SELECT array_agg(id) INTO exact FROM (SELECT id FROM fpts WHERE cat = 7
			ORDER BY v <-> (SELECT q FROM fq WHERE qid = j) LIMIT 10) s;
		PERFORM pg_catalog.set_config('enable_indexscan', 'on', true);
		PERFORM pg_catalog.set_config('enable_seqscan', 'off', true);
		SELECT array_agg(id) INTO got FROM (SELECT id FROM fpts WHERE cat = 7
			ORDER BY v <-> (SELECT q FROM fq WHERE qid = j) LIMIT 10) s;
		PERFORM pg_catalog.set_config('enable_seqscan', 'on', true);
		min_rows := least(min_rows, coalesce(array_length(got, 1), 0));
		hits := hits + (SELECT count(*) FROM unnest(got) g WHERE g = ANY (exact));
	END LOOP;
	recall := hits / 200.0;
END $$;
SELECT min_rows, recall >= 0.95 AS recall_ok FROM frecall();
RESET max_parallel_maintenance_workers;
DROP TABLE fpts, fq;
DROP FUNCTION frecall();

DROP TABLE qpts, qq, qresults;
DROP FUNCTION qrecall(text, bool), qhealth(regclass);
