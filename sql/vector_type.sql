-- dllb.vector: text and binary I/O, typmod, casts, functions, distances,
-- aggregates, SIMD against scalar kernels, and every bad input.

SELECT '[1,2.5,-3]'::dllb.vector, ' [ 1 , 2 , 3 ] '::dllb.vector, '[1e-3,3.4e38,-0]'::dllb.vector;
SELECT '[0.1,0.2,0.3]'::dllb.vector(3);
SELECT dllb.dims('[1,2,3]'), dllb.l2_norm('[3,4]'), dllb.l2_normalize('[3,4]'), dllb.l2_normalize('[0,0]');
SELECT '[1,2,3]'::dllb.vector + '[4,5,6]', '[1,2,3]'::dllb.vector - '[4,5,6]';

-- distances (same values as pgvector gives)
SELECT '[1,2,3]'::dllb.vector <-> '[3,2,1]' AS l2,
       '[1,2,3]'::dllb.vector <=> '[3,2,1]' AS cosine,
       '[1,2,3]'::dllb.vector <#> '[3,2,1]' AS neg_ip,
       dllb.inner_product('[1,2,3]', '[3,2,1]') AS ip,
       dllb.l1_distance('[1,2,3]', '[3,2,1]') AS l1,
       dllb.l2_distance('[1,2,3]', '[1,2,3]') AS zero;
SELECT '[1,1]'::dllb.vector <=> '[-1,-1]' AS opposite, '[0,0]'::dllb.vector <=> '[1,1]' AS undefined;

-- SIMD clones agree with the scalar kernels within float rounding, for every
-- length around the 8-lane blocks
SELECT max(dllb.vector_kernel_check(a, b)) < 1e-5 AS simd_matches_scalar
FROM (SELECT (SELECT array_agg(sin(i * n + 0.5)::real) FROM generate_series(1, n) i)::dllb.vector AS a,
             (SELECT array_agg(cos(i * n * 0.7)::real) FROM generate_series(1, n) i)::dllb.vector AS b
      FROM generate_series(1, 70) n) s;
SELECT dllb.vector_kernel() IN ('avx512', 'avx2+fma', 'scalar') AS kernel_known;

-- casts
SELECT ARRAY[1,2,3]::dllb.vector, ARRAY[1.5,2.5]::real[]::dllb.vector,
       ARRAY[1.25,2]::double precision[]::dllb.vector, ARRAY[1.5,2]::numeric[]::dllb.vector;
SELECT '[1,2,3]'::dllb.vector::real[];
CREATE TABLE vec_t (id int, v dllb.vector(3));
INSERT INTO vec_t VALUES (1, '[1,2,3]'), (2, ARRAY[4,5,6]), (3, '[7,8,9]');
SELECT * FROM vec_t ORDER BY v <-> '[4,5,5]';

-- comparison: DISTINCT, GROUP BY, UNIQUE, ORDER BY
INSERT INTO vec_t VALUES (4, '[1,2,3]');
SELECT v, count(*) FROM vec_t GROUP BY v ORDER BY v;
SELECT count(DISTINCT v) FROM vec_t;
SELECT '[1,2]'::dllb.vector < '[1,2,0]', '[1,3]'::dllb.vector > '[1,2,9]', '[0.5]'::dllb.vector = '[0.5]';
CREATE UNIQUE INDEX vec_t_v ON vec_t (v) WHERE id < 4;
DELETE FROM vec_t WHERE id = 4;

-- aggregates
SELECT dllb.avg(v), dllb.sum(v) FROM vec_t;
SELECT dllb.avg(v) IS NULL AS empty_avg FROM vec_t WHERE false;

-- binary round trip
-- (psql's \copy: a client-side file, which any role may use, in the
-- folder the test command runs the suite in)
\copy vec_t TO 'vector_type.bin' (FORMAT binary)
CREATE TEMP TABLE vec_t2 (id int, v dllb.vector(3));
\copy vec_t2 FROM 'vector_type.bin' (FORMAT binary)
SELECT a.id, a.v::text = b.v::text AS same FROM vec_t a JOIN vec_t2 b USING (id) ORDER BY 1;
SELECT dllb.vector_send('[1,-2]');

-- errors
SELECT '[1,2]'::dllb.vector(3);
INSERT INTO vec_t VALUES (4, '[1,2]');
SELECT '[1,2]'::dllb.vector <-> '[1,2,3]';
SELECT '[1,2]'::dllb.vector + '[1,2,3]';
SELECT '[NaN,1]'::dllb.vector;
SELECT '[1,Infinity]'::dllb.vector;
SELECT '[1,1e39]'::dllb.vector;
SELECT '[]'::dllb.vector;
SELECT ''::dllb.vector;
SELECT '1,2'::dllb.vector;
SELECT '[1,,2]'::dllb.vector;
SELECT '[1,2'::dllb.vector;
SELECT '[1,2]x'::dllb.vector;
SELECT '[1 2]'::dllb.vector;
SELECT '[0x10]'::dllb.vector;
SELECT ('[' || repeat('1,', 16000) || '1]')::dllb.vector;
SELECT ARRAY[1,NULL]::int[]::dllb.vector;
SELECT ARRAY[[1,2],[3,4]]::int[]::dllb.vector;
SELECT '{}'::real[]::dllb.vector;
SELECT ARRAY[1e300]::double precision[]::dllb.vector;
SELECT ARRAY['NaN']::real[]::dllb.vector;
CREATE TABLE vec_bad (v dllb.vector(0));
CREATE TABLE vec_bad (v dllb.vector(16001));
CREATE TABLE vec_bad (v dllb.vector(2,3));
SELECT '[3e38]'::dllb.vector + '[3e38]';
SELECT dllb.avg(v) FROM (VALUES ('[1,2]'::dllb.vector), ('[1,2,3]')) s(v);

DROP TABLE vec_t;
