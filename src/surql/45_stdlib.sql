-- src/surql/45_stdlib.sql: helpers of the dialect's standard library (the
-- function table is src/surql/translate_functions.c: one line a function).
-- Every helper takes and returns jsonb (NONE is SQL NULL) and pins its
-- search_path.  Numbers: a result written without a fraction is an
-- integer (dllb.surql_num makes a float keep one).

-- a float as a jsonb number that keeps a fraction (2.0, not 2); NaN and
-- the infinities as the strings "NaN", "Infinity" and "-Infinity", as
-- PostgreSQL's to_jsonb(float8) writes them (JSON has no such numbers)
CREATE FUNCTION dllb.surql_num(x float8) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN x = 'NaN'::float8 OR x IN ('Infinity'::float8, '-Infinity'::float8) THEN to_jsonb(x::text)
		WHEN x::text ~ '^-?[0-9]+$' THEN (x::text || '.0')::jsonb ELSE to_jsonb(x) END
$$;

-- math::sqrt/asin/acos/ln/log2/log10/log(x[, base]) as floats: outside
-- their domain NaN, a logarithm of 0 -Infinity (as SurrealDB answers);
-- every function below sees only an argument of its domain, so that no
-- branch can fail even when PostgreSQL folds it early
CREATE FUNCTION dllb.surql_m_float(what text, x jsonb, base jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT dllb.surql_num(CASE
		WHEN what = 'sqrt' AND f < 0 THEN 'NaN'::float8
		WHEN what IN ('asin', 'acos') AND abs(f) > 1 THEN 'NaN'::float8
		WHEN what IN ('ln', 'log2', 'log10', 'log') AND f < 0 THEN 'NaN'::float8
		WHEN what IN ('ln', 'log2', 'log10', 'log') AND f = 0 THEN '-Infinity'::float8
		ELSE CASE what
			WHEN 'sqrt' THEN sqrt(greatest(f, 0))
			WHEN 'asin' THEN asin(least(greatest(f, -1), 1))
			WHEN 'acos' THEN acos(least(greatest(f, -1), 1))
			WHEN 'ln' THEN ln(pos)::float8
			WHEN 'log2' THEN log(2, pos)::float8
			WHEN 'log10' THEN log(pos)::float8
			WHEN 'log' THEN log(b, pos)::float8 END END)
	FROM (SELECT n::float8 AS f, CASE WHEN n > 0 THEN n ELSE 1 END AS pos,
			coalesce((base::numeric), 10) AS b
		FROM (SELECT x::numeric AS n) AS q) AS p
	WHERE x IS NOT NULL AND (what <> 'log' OR base IS NOT NULL)
$$;

-- an argument a function refuses: 22023 naming the function.  VOLATILE,
-- so that PostgreSQL never folds a call in a branch not taken
CREATE FUNCTION dllb.surql_bad_args(fn text, msg text) RETURNS jsonb
LANGUAGE plpgsql VOLATILE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'incorrect arguments for function %(): %', fn, msg
		USING ERRCODE = 'invalid_parameter_value';
END $$;

-- the numbers of an array, in order (others left out)
CREATE FUNCTION dllb.surql_nums(a jsonb) RETURNS SETOF numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT e::numeric FROM jsonb_array_elements(a) AS x(e) WHERE jsonb_typeof(e) = 'number'
$$;

-- the elements of an array with their 1-based positions
CREATE FUNCTION dllb.surql_elems(a jsonb) RETURNS TABLE(e jsonb, i bigint)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT x.e, x.i FROM jsonb_array_elements(CASE WHEN jsonb_typeof(a) = 'array' THEN a ELSE '[]' END)
		WITH ORDINALITY AS x(e, i)
$$;

CREATE FUNCTION dllb.surql_agg(vals jsonb[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(v ORDER BY i), '[]'::jsonb) FROM unnest(vals) WITH ORDINALITY AS u(v, i)
$$;

-- strings
-- string::slice(s[, start[, end]]): the characters from start up to end
-- (left out); either counts from the end when negative
CREATE FUNCTION dllb.surql_s_slice(s jsonb, start jsonb, stop jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(substr(t, 1 + lo::int, greatest(hi - lo, 0)::int))
	FROM (SELECT t, greatest(least(CASE WHEN bn < 0 THEN n + bn ELSE bn END, n), 0) AS lo,
			greatest(least(CASE WHEN en IS NULL THEN n WHEN en < 0 THEN n + en ELSE en END, n), 0) AS hi
		FROM (SELECT s #>> '{}' AS t, char_length(s #>> '{}') AS n,
				coalesce(start::numeric, 0) AS bn, stop::numeric AS en) AS q) AS p
	WHERE s IS NOT NULL
$$;

-- arrays
CREATE FUNCTION dllb.surql_a_slice(a jsonb, start jsonb, len jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(e ORDER BY i), '[]'::jsonb)
	FROM (SELECT x.e, x.i, jsonb_array_length(a) AS n,
			coalesce((start::numeric)::int, 0) AS st FROM dllb.surql_elems(a) AS x) AS y
	WHERE i - 1 >= CASE WHEN st < 0 THEN greatest(n + st, 0) ELSE st END
	  AND (len IS NULL OR i - 1 < CASE WHEN st < 0 THEN greatest(n + st, 0) ELSE st END
			+ (len::numeric)::int)
$$;
-- array::slice(a[, start[, end]]): the elements from start up to end
-- (left out); either counts from the end when negative
CREATE FUNCTION dllb.surql_a_slice_end(a jsonb, start jsonb, stop jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(x.e ORDER BY x.i), '[]'::jsonb)
	FROM dllb.surql_elems(a) AS x(e, i),
		(SELECT CASE WHEN bn < 0 THEN n + bn ELSE bn END AS lo,
				CASE WHEN en IS NULL THEN n WHEN en < 0 THEN n + en ELSE en END AS hi
			FROM (SELECT jsonb_array_length(a) AS n, coalesce(start::numeric, 0) AS bn,
					stop::numeric AS en) AS q) AS p
	WHERE x.i - 1 >= p.lo AND x.i - 1 < p.hi
$$;
CREATE FUNCTION dllb.surql_a_at(a jsonb, i jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT a -> (i::numeric)::int
$$;
CREATE FUNCTION dllb.surql_a_join(a jsonb, sep jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(coalesce(string_agg(CASE WHEN jsonb_typeof(e) = 'string' THEN e #>> '{}' ELSE e::text END,
		sep #>> '{}' ORDER BY i), '')) FROM dllb.surql_elems(a)
$$;
CREATE FUNCTION dllb.surql_a_group(a jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT dllb.surql_array_distinct(dllb.surql_array_flatten(a))
$$;
CREATE FUNCTION dllb.surql_a_add(a jsonb, v jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT dllb.surql_array_distinct(a || CASE WHEN jsonb_typeof(v) = 'array' THEN v ELSE jsonb_build_array(v) END)
$$;
-- a position past either end (of -len .. len) leaves the array as it is
CREATE FUNCTION dllb.surql_a_insert(a jsonb, v jsonb, pos jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN pos IS NULL THEN a || jsonb_build_array(coalesce(v, 'null'))
		WHEN abs(pos::numeric) > jsonb_array_length(a) THEN a
		ELSE jsonb_insert(a, ARRAY[((pos::numeric)::int)::text], coalesce(v, 'null')) END
$$;
CREATE FUNCTION dllb.surql_a_remove(a jsonb, pos jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT a - ((pos::numeric)::int)
$$;
CREATE FUNCTION dllb.surql_a_union(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT dllb.surql_array_distinct(a || b)
$$;
CREATE FUNCTION dllb.surql_a_intersect(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT dllb.surql_array_distinct(coalesce(jsonb_agg(e ORDER BY i) FILTER (WHERE b @> jsonb_build_array(e)), '[]'))
	FROM dllb.surql_elems(a)
$$;
CREATE FUNCTION dllb.surql_a_complement(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(e ORDER BY i) FILTER (WHERE NOT b @> jsonb_build_array(e)), '[]')
	FROM dllb.surql_elems(a)
$$;
CREATE FUNCTION dllb.surql_a_difference(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT dllb.surql_a_complement(a, b) || dllb.surql_a_complement(b, a)
$$;
CREATE FUNCTION dllb.surql_a_sort(a jsonb, dir jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(CASE WHEN dir IN ('false'::jsonb, '"desc"'::jsonb)
		THEN jsonb_agg(e ORDER BY dllb.surql_rank(e) DESC, e DESC)
		ELSE jsonb_agg(e ORDER BY dllb.surql_rank(e), e) END, '[]')
	FROM dllb.surql_elems(a)
$$;
-- array::sort_natural / sort_lexical / sort_natural_lexical(a[, dir]):
-- strings by the key ORDER BY ... NUMERIC / COLLATE sorts by
CREATE FUNCTION dllb.surql_a_sort_by(a jsonb, dir jsonb, fold boolean, by_number boolean) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(CASE WHEN dir IN ('false'::jsonb, '"desc"'::jsonb)
		THEN jsonb_agg(e ORDER BY dllb.surql_rank(e) DESC, dllb.surql_order_key(e, fold, by_number) DESC,
			(e #>> '{}') COLLATE "C" DESC, e DESC)
		ELSE jsonb_agg(e ORDER BY dllb.surql_rank(e), dllb.surql_order_key(e, fold, by_number),
			(e #>> '{}') COLLATE "C", e) END, '[]')
	FROM dllb.surql_elems(a)
$$;
CREATE FUNCTION dllb.surql_a_reverse(a jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(e ORDER BY i DESC), '[]') FROM dllb.surql_elems(a)
$$;
CREATE FUNCTION dllb.surql_a_minmax(a jsonb, max boolean) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT e FROM dllb.surql_elems(a)
	ORDER BY CASE WHEN max THEN -dllb.surql_rank(e) ELSE dllb.surql_rank(e) END,
		CASE WHEN max THEN NULL ELSE e END, e DESC LIMIT 1
$$;
CREATE FUNCTION dllb.surql_a_windows(a jsonb, n jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN (n::numeric) < 1 OR (n::numeric) <> trunc(n::numeric)
		THEN dllb.surql_bad_args('array::windows', 'the second argument must be an integer greater than 0')
		ELSE (SELECT coalesce(jsonb_agg(dllb.surql_a_slice(a, to_jsonb(s - 1), n) ORDER BY s), '[]')
			FROM generate_series(1, jsonb_array_length(a) - (n::numeric)::int + 1) AS s) END
$$;
CREATE FUNCTION dllb.surql_a_clump(a jsonb, n jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN (n::numeric) < 1 OR (n::numeric) <> trunc(n::numeric)
		THEN dllb.surql_bad_args('array::clump', 'the second argument must be an integer greater than 0')
		ELSE (SELECT coalesce(jsonb_agg(dllb.surql_a_slice(a, to_jsonb(s), n) ORDER BY s), '[]')
			FROM generate_series(0, jsonb_array_length(a) - 1, greatest((n::numeric)::int, 1)) AS s) END
$$;
CREATE FUNCTION dllb.surql_a_combine(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(jsonb_build_array(x.e, y.e) ORDER BY x.i, y.i), '[]')
	FROM dllb.surql_elems(a) AS x, dllb.surql_elems(b) AS y
$$;
CREATE FUNCTION dllb.surql_a_transpose(a jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(col ORDER BY k), '[]') FROM (
		SELECT k, jsonb_agg(coalesce(r.e -> (k - 1)::int, 'null') ORDER BY r.i) AS col
		FROM dllb.surql_elems(a) AS r,
			generate_series(1, (SELECT max(jsonb_array_length(CASE WHEN jsonb_typeof(e) = 'array' THEN e ELSE '[]' END))
				FROM dllb.surql_elems(a))) AS k
		GROUP BY k) AS t
$$;
CREATE FUNCTION dllb.surql_a_sequence(start jsonb, n jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(to_jsonb(g) ORDER BY g), '[]') FROM (
		SELECT CASE WHEN n IS NULL THEN 0 ELSE (start::numeric)::int END AS s0,
			(coalesce(n, start)::numeric)::int AS cnt) AS p,
		generate_series(p.s0, p.s0 + p.cnt - 1) AS g
$$;
CREATE FUNCTION dllb.surql_a_repeat(v jsonb, n jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN (n::numeric) < 0
		THEN dllb.surql_bad_args('array::repeat', 'argument 2 must be a positive number')
		ELSE (SELECT coalesce(jsonb_agg(coalesce(v, 'null') ORDER BY g), '[]')
			FROM generate_series(1, (n::numeric)::int) AS g) END
$$;
CREATE FUNCTION dllb.surql_a_swap(a jsonb, x jsonb, y jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE
		WHEN (x::numeric) < -len OR (x::numeric) >= len THEN dllb.surql_bad_args('array::swap',
			format('argument 1 is out of range, expected a number between %s and %s', -len, len))
		WHEN (y::numeric) < -len OR (y::numeric) >= len THEN dllb.surql_bad_args('array::swap',
			format('argument 2 is out of range, expected a number between %s and %s', -len, len))
		ELSE jsonb_set(jsonb_set(a, ARRAY[((x::numeric)::int)::text], a -> (y::numeric)::int),
			ARRAY[((y::numeric)::int)::text], a -> (x::numeric)::int) END
	FROM (SELECT jsonb_array_length(a) AS len) AS p
$$;
CREATE FUNCTION dllb.surql_a_fill(a jsonb, v jsonb, s jsonb, e jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(CASE WHEN (s IS NULL OR i - 1 >= p.s0)
			AND (e IS NULL OR i - 1 < p.e0) THEN coalesce(v, 'null') ELSE x END ORDER BY i), '[]')
	FROM dllb.surql_elems(a) AS t(x, i),
		-- a negative start or end counts from the end
		(SELECT CASE WHEN (s::numeric) < 0 THEN jsonb_array_length(a) + (s::numeric) ELSE s::numeric END AS s0,
			CASE WHEN (e::numeric) < 0 THEN jsonb_array_length(a) + (e::numeric) ELSE e::numeric END AS e0) AS p
$$;
CREATE FUNCTION dllb.surql_a_bool(a jsonb, b jsonb, op text) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(to_jsonb(CASE op
			WHEN 'and' THEN dllb.surql_truthy(x.e) AND dllb.surql_truthy(y.e)
			WHEN 'or' THEN dllb.surql_truthy(x.e) OR dllb.surql_truthy(y.e)
			ELSE dllb.surql_truthy(x.e) <> dllb.surql_truthy(y.e) END) ORDER BY g), '[]')
	FROM generate_series(0, greatest(jsonb_array_length(a), jsonb_array_length(b)) - 1) AS g
		LEFT JOIN LATERAL (SELECT a -> g AS e) AS x ON true LEFT JOIN LATERAL (SELECT b -> g AS e) AS y ON true
$$;
-- array::boolean_not: each element's truth negated
CREATE FUNCTION dllb.surql_a_not(a jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(to_jsonb(NOT dllb.surql_truthy(e)) ORDER BY i), '[]') FROM dllb.surql_elems(a)
$$;
-- array::logical_and/or/xor: element by element as the operators && and
-- || pick a value (and for xor: the truthy one, false when both are,
-- else the first); an element past the end of the shorter array is NULL
CREATE FUNCTION dllb.surql_a_logical(a jsonb, b jsonb, op text) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(CASE op
			WHEN 'and' THEN CASE WHEN dllb.surql_truthy(x) THEN y ELSE x END
			WHEN 'or' THEN CASE WHEN dllb.surql_truthy(x) THEN x ELSE y END
			ELSE CASE WHEN dllb.surql_truthy(x) AND dllb.surql_truthy(y) THEN 'false'::jsonb
				WHEN dllb.surql_truthy(y) THEN y ELSE x END END ORDER BY g), '[]')
	FROM generate_series(0, greatest(jsonb_array_length(a), jsonb_array_length(b)) - 1) AS g,
		LATERAL (SELECT coalesce(a -> g, 'null') AS x, coalesce(b -> g, 'null') AS y) AS v
$$;
CREATE FUNCTION dllb.surql_a_matches(a jsonb, v jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(to_jsonb(e = v) ORDER BY i), '[]') FROM dllb.surql_elems(a)
$$;
CREATE FUNCTION dllb.surql_a_shuffle(a jsonb) RETURNS jsonb
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(e ORDER BY random()), '[]') FROM dllb.surql_elems(a)
$$;

-- math over arrays
CREATE FUNCTION dllb.surql_m_stat(a jsonb, what text, p jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE
		WHEN a IS NULL THEN NULL
		-- SurrealDB: NaN over no numbers, and for a percentile outside 0..100
		WHEN what IN ('percentile', 'nearestrank') AND p IS NOT NULL
			AND ((p::numeric) < 0 OR (p::numeric) > 100) THEN '"NaN"'::jsonb
		WHEN what IN ('variance', 'stddev', 'spread', 'interquartile', 'midhinge', 'trimean',
					  'mode', 'percentile', 'nearestrank')
			AND NOT EXISTS (SELECT FROM dllb.surql_nums(a)) THEN '"NaN"'::jsonb
		ELSE CASE what
		WHEN 'median' THEN (SELECT dllb.surql_num(percentile_cont(0.5) WITHIN GROUP (ORDER BY x)) FROM dllb.surql_nums(a) AS x)
		WHEN 'percentile' THEN (SELECT dllb.surql_num(percentile_cont(((p::numeric) / 100)::float8) WITHIN GROUP (ORDER BY x)) FROM dllb.surql_nums(a) AS x)
		WHEN 'nearestrank' THEN (SELECT to_jsonb(percentile_disc(((p::numeric) / 100)::float8) WITHIN GROUP (ORDER BY x)) FROM dllb.surql_nums(a) AS x)
		WHEN 'mode' THEN (SELECT to_jsonb(x) FROM dllb.surql_nums(a) AS x GROUP BY x ORDER BY count(*) DESC, x DESC LIMIT 1)
		WHEN 'product' THEN (SELECT to_jsonb(coalesce(exp(sum(ln(abs(x)))) * CASE WHEN count(*) FILTER (WHERE x < 0) % 2 = 1 THEN -1 ELSE 1 END, 1))
			FROM dllb.surql_nums(a) AS x)
		WHEN 'variance' THEN (SELECT dllb.surql_num(coalesce(var_samp(x), CASE WHEN count(x) = 1 THEN 0 ELSE 'NaN'::float8 END)) FROM dllb.surql_nums(a) AS x)
		WHEN 'stddev' THEN (SELECT dllb.surql_num(coalesce(stddev_samp(x), CASE WHEN count(x) = 1 THEN 0 ELSE 'NaN'::float8 END)) FROM dllb.surql_nums(a) AS x)
		WHEN 'spread' THEN (SELECT to_jsonb(max(x) - min(x)) FROM dllb.surql_nums(a) AS x)
		WHEN 'interquartile' THEN (SELECT dllb.surql_num(percentile_cont(0.75) WITHIN GROUP (ORDER BY x) - percentile_cont(0.25) WITHIN GROUP (ORDER BY x)) FROM dllb.surql_nums(a) AS x)
		WHEN 'midhinge' THEN (SELECT dllb.surql_num((percentile_cont(0.75) WITHIN GROUP (ORDER BY x) + percentile_cont(0.25) WITHIN GROUP (ORDER BY x)) / 2) FROM dllb.surql_nums(a) AS x)
		WHEN 'trimean' THEN (SELECT dllb.surql_num((percentile_cont(0.25) WITHIN GROUP (ORDER BY x) + 2 * percentile_cont(0.5) WITHIN GROUP (ORDER BY x) + percentile_cont(0.75) WITHIN GROUP (ORDER BY x)) / 4) FROM dllb.surql_nums(a) AS x)
		END END
$$;

-- math::clamp, math::fixed, math::lerpangle, math::sign
CREATE FUNCTION dllb.surql_m_clamp(x jsonb, lo jsonb, hi jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN (lo::numeric) > (hi::numeric)
		THEN dllb.surql_bad_args('math::clamp', 'the lower bound must not be greater than the upper bound')
		ELSE to_jsonb(greatest(least(x::numeric, hi::numeric), lo::numeric)) END
$$;
CREATE FUNCTION dllb.surql_m_fixed(x jsonb, p jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN (p::numeric) < 1 OR (p::numeric) <> trunc(p::numeric)
		THEN dllb.surql_bad_args('math::fixed', 'the second argument must be an integer greater than 0')
		ELSE to_jsonb(round(x::numeric, least((p::numeric), 1000)::int)) END
$$;
-- the angle a degrees turned by t of the shorter turn to b
CREATE FUNCTION dllb.surql_m_lerpangle(a jsonb, b jsonb, t jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT dllb.surql_num((a::numeric + CASE WHEN d > 180 THEN d - 360 WHEN d < -180 THEN d + 360 ELSE d END
		* t::numeric)::float8)
	FROM (SELECT mod(b::numeric - a::numeric, 360) AS d) AS p
$$;
-- a number's sign; Infinity and -Infinity (the strings) have one too
CREATE FUNCTION dllb.surql_m_sign(x jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN x = '"Infinity"' THEN '1.0'::jsonb WHEN x = '"-Infinity"' THEN '-1.0'::jsonb
		ELSE to_jsonb(sign(dllb.surql_expect(x, 'number', 'math::sign', 1)::numeric)::int) END
$$;

-- string::split(s, sep); by '' the characters, between two empty strings
-- (as SurrealDB splits)
CREATE FUNCTION dllb.surql_s_split(s jsonb, sep jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN sep #>> '{}' = ''
		THEN '[""]'::jsonb || coalesce((SELECT jsonb_agg(c ORDER BY i)
				FROM regexp_split_to_table(s #>> '{}', '') WITH ORDINALITY AS x(c, i)
				WHERE s #>> '{}' <> ''), '[]'::jsonb) || '[""]'::jsonb
		ELSE to_jsonb(string_to_array(s #>> '{}', sep #>> '{}')) END
$$;

-- string::is_email/domain/ip/ipv4/ipv6/latitude/longitude/semver(s)
CREATE FUNCTION dllb.surql_s_is(what text, s jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t text := s #>> '{}';
	-- a domain label: letters and digits of any script, hyphens inside
	lab text := '[^\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]([^\x01-\x2c\x2e\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]{0,61}[^\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f])?';
	v4 text := '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
	ok boolean;
BEGIN
	CASE what
	WHEN 'domain' THEN
		ok := t ~ ('^(' || lab || '\.)+' || lab || '$');
	WHEN 'email' THEN
		ok := t ~ ('^[A-Za-z0-9!#$%&''*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&''*+/=?^_`{|}~-]+)*@((' || lab
			|| '\.)*' || lab || '|\[[0-9A-Fa-f:.]+\])$');
	WHEN 'ipv4' THEN
		ok := t ~ ('^' || v4 || '$');
	WHEN 'ipv6', 'ip' THEN
		ok := what = 'ip' AND t ~ ('^' || v4 || '$');
		IF NOT ok AND t ~ '^[0-9A-Fa-f:.]+$' AND position(':' IN t) > 0 THEN
			BEGIN
				ok := family(t::inet) = 6;
			EXCEPTION WHEN invalid_text_representation THEN
				ok := false;
			END;
		END IF;
	WHEN 'latitude', 'longitude' THEN
		ok := t ~ '^[-+]?[0-9]{1,3}(\.[0-9]+)?$'
			AND abs(t::numeric) <= CASE WHEN what = 'latitude' THEN 90 ELSE 180 END;
	WHEN 'semver' THEN
		ok := t ~ '^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$';
	END CASE;
	RETURN to_jsonb(ok);
END $$;

-- string::replace(s, /re/, r): every match replaced (PostgreSQL's regular
-- expressions; $1 or ${1} in r is a group, other text as it is); at most
-- 1 MB of output, as SurrealDB
CREATE FUNCTION dllb.surql_s_replace_re(s jsonb, re text, r jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN octet_length(o) > 1048576
		THEN dllb.surql_bad_args('string::replace', 'the output must not exceed 1048576 bytes')
		ELSE to_jsonb(o) END
	FROM (SELECT regexp_replace(s #>> '{}', re,
		regexp_replace(replace(r #>> '{}', '\', '\\'), '\$\{?([0-9])\}?', '\\\1', 'g'),
		'g') AS o) AS p
$$;

-- string::capitalize: the first letter of every word (after white space)
-- upper case, the white space kept
CREATE FUNCTION dllb.surql_s_capitalize(s jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(coalesce(string_agg(CASE WHEN i = 1 OR prev ~ '\s' THEN upper(c) ELSE c END, '' ORDER BY i), ''))
	FROM (SELECT c, i, lag(c) OVER (ORDER BY i) AS prev
		FROM regexp_split_to_table(s #>> '{}', '') WITH ORDINALITY AS x(c, i)) AS y
$$;
-- string::html::encode: the characters that mean something in HTML as
-- entities
CREATE FUNCTION dllb.surql_s_html_encode(s jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(coalesce(string_agg(CASE c
		WHEN '<' THEN '&lt;' WHEN '>' THEN '&gt;' WHEN '"' THEN '&quot;' WHEN '''' THEN '&apos;'
		WHEN '`' THEN '&grave;' WHEN '/' THEN '&#47;' WHEN '&' THEN '&amp;' WHEN '=' THEN '&#61;'
		WHEN ' ' THEN '&#32;' WHEN E'\t' THEN '&#9;' WHEN E'\n' THEN '&#10;' WHEN E'\f' THEN '&#12;'
		WHEN E'\r' THEN '&#13;' ELSE c END, '' ORDER BY i), ''))
	FROM regexp_split_to_table(s #>> '{}', '') WITH ORDINALITY AS x(c, i)
$$;

-- object::remove(o, key | [keys]): keys are strings
CREATE FUNCTION dllb.surql_o_remove(o jsonb, k jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE
		WHEN jsonb_typeof(k) = 'string' THEN o - (k #>> '{}')
		WHEN jsonb_typeof(k) = 'array' AND NOT EXISTS (SELECT FROM jsonb_array_elements(k) AS e(v)
				WHERE jsonb_typeof(e.v) <> 'string')
			THEN o - ARRAY(SELECT e #>> '{}' FROM jsonb_array_elements(k) AS x(e))
		ELSE dllb.surql_bad_args('object::remove', format('%s cannot be used as a key, use a string', k)) END
$$;

-- a uuid v7: 48 bits of Unix milliseconds, then random bits
CREATE FUNCTION dllb.surql_uuid_v7() RETURNS jsonb
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(h, 14, 3) || '-'
		|| substr('89ab', 1 + floor(random() * 4)::int, 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12))
	FROM (SELECT lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
		|| replace(gen_random_uuid()::text, '-', '') AS h) AS p
$$;

-- type::record('t', t:k) (a record written out): that record, when it is
-- one of table t
CREATE FUNCTION dllb.surql_record_of_table(tb jsonb, rec jsonb, fn text) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN dllb.record_in_table((rec #>> '{}')::dllb.record, tb #>> '{}') THEN rec
		ELSE dllb.surql_bad_args(fn, format('the record %s is not of table %s', rec #>> '{}', tb #>> '{}')) END
$$;

-- type::is_uuid(v): a uuid is a string of its canonical text (u'...')
CREATE FUNCTION dllb.surql_is_uuid(v jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(coalesce(jsonb_typeof(v) = 'string' AND (v #>> '{}')
		~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', false))
$$;

-- ranges a..b where the dialect takes them: v IN a..b, arr[a..b],
-- <array> a..b.  after: a>..b (a left out); incl: a..=b (b kept); b NULL:
-- no end
CREATE FUNCTION dllb.surql_in_range(v jsonb, a jsonb, b jsonb, after boolean, incl boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN after THEN v > a ELSE v >= a END
		AND (b IS NULL OR CASE WHEN incl THEN v <= b ELSE v < b END)
$$;
CREATE FUNCTION dllb.surql_index_range(arr jsonb, a jsonb, b jsonb, after boolean, incl boolean) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(e ORDER BY i), '[]'::jsonb)
	FROM dllb.surql_elems(dllb.surql_expect(arr, 'array', 'a[i..j]', 1)) AS x(e, i)
	WHERE i - 1 >= (dllb.surql_expect(a, 'number', 'a[i..j]', 2)::numeric) + CASE WHEN after THEN 1 ELSE 0 END
	  AND (b IS NULL OR CASE WHEN incl THEN i - 1 <= (b::numeric) ELSE i - 1 < (b::numeric) END)
$$;
CREATE FUNCTION dllb.surql_range_array(a jsonb, b jsonb, after boolean, incl boolean) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	lo numeric := dllb.surql_expect(a, 'number', '<array> a..b', 1)::numeric;
	hi numeric := dllb.surql_expect(b, 'number', '<array> a..b', 2)::numeric;
BEGIN
	IF a IS NULL OR b IS NULL THEN
		RAISE EXCEPTION 'a range needs both ends to become an array' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF lo <> trunc(lo) OR hi <> trunc(hi) THEN
		RAISE EXCEPTION 'only a range of integers becomes an array' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT incl THEN
		hi := hi - 1;
	END IF;
	IF after THEN
		lo := lo + 1;
	END IF;
	IF hi - lo >= 1000000 THEN
		RAISE EXCEPTION 'a range of more than 1000000 integers does not become an array'
			USING ERRCODE = 'program_limit_exceeded';
	END IF;
	RETURN (SELECT coalesce(jsonb_agg(to_jsonb(g) ORDER BY g), '[]'::jsonb)
		FROM generate_series(lo::bigint, hi::bigint) AS g);
END $$;

-- rand::int() or rand::int(lo, hi), never one bound alone
CREATE FUNCTION dllb.surql_rand_int(lo jsonb, hi jsonb) RETURNS jsonb
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN (lo IS NULL) <> (hi IS NULL)
		THEN dllb.surql_bad_args('rand::int', 'it takes no arguments or two numbers')
		ELSE to_jsonb(floor(coalesce(lo::numeric, 0) + random()
			* (coalesce(hi::numeric, 2147483647) - coalesce(lo::numeric, 0) + 1))::bigint) END
$$;
-- math::abs: an integer stays within 64 bits, as SurrealDB's do
CREATE FUNCTION dllb.surql_m_abs(x jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN x::text = '-9223372036854775808' THEN dllb.surql_bad_args('math::abs',
			'the absolute value of -9223372036854775808 is not a 64-bit integer')
		ELSE to_jsonb(abs(x::numeric)) END
$$;

-- v = /re/ and string::matches(s, re): whether the string matches the
-- regex (PostgreSQL's regular expressions; anything but a string: false)
CREATE FUNCTION dllb.surql_regex_match(v jsonb, re text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_typeof(v) = 'string' AND (v #>> '{}') ~ re, false)
$$;
CREATE FUNCTION dllb.surql_s_matches(s jsonb, re jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb((s #>> '{}') ~ (re #>> '{}'))
$$;

-- math::top(a, c) / math::bottom(a, c): the c greatest / least numbers,
-- in the order SurrealDB returns them: the array of a binary heap that
-- keeps c of them (a min-heap for top, a max-heap for bottom), each number
-- pushed in turn and the root popped past c, as Rust's BinaryHeap does
CREATE FUNCTION dllb.surql_m_heap(a jsonb, c jsonb, top boolean) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	fn text := CASE WHEN top THEN 'math::top' ELSE 'math::bottom' END;
	h numeric[] := '{}';
	n int := 0;
	k numeric;
	x numeric;
	e jsonb;
	pos int;
	parent int;
	child int;
	hole int;
	elem numeric;
BEGIN
	k := c::numeric;
	IF k < 1 OR k <> trunc(k) THEN
		RETURN dllb.surql_bad_args(fn, 'the second argument must be an integer greater than 0');
	END IF;
	FOR e IN SELECT v FROM jsonb_array_elements(a) AS t(v) LOOP
		IF jsonb_typeof(e) <> 'number' THEN
			RETURN dllb.surql_bad_args(fn, format('argument 1 must be an array of numbers, not one with %s', e));
		END IF;
		x := e::numeric;
		-- push: at the end, then up while above its parent in the heap's order
		n := n + 1;
		h[n] := x;
		pos := n;
		WHILE pos > 1 LOOP
			parent := pos / 2;
			EXIT WHEN NOT (CASE WHEN top THEN x < h[parent] ELSE x > h[parent] END);
			h[pos] := h[parent];
			pos := parent;
		END LOOP;
		h[pos] := x;
		IF n > k THEN
			-- pop the root: the last element into the root's hole, sunk to the
			-- bottom by the larger child, then up again
			elem := h[n];
			n := n - 1;
			h := h[1:n];
			IF n > 0 THEN
				hole := 1;
				child := 2;
				WHILE child <= n - 1 LOOP
					IF NOT (CASE WHEN top THEN h[child] < h[child + 1] ELSE h[child] > h[child + 1] END) THEN
						child := child + 1;
					END IF;
					h[hole] := h[child];
					hole := child;
					child := 2 * hole;
				END LOOP;
				IF child = n THEN
					h[hole] := h[child];
					hole := child;
				END IF;
				pos := hole;
				WHILE pos > 1 LOOP
					parent := pos / 2;
					EXIT WHEN NOT (CASE WHEN top THEN elem < h[parent] ELSE elem > h[parent] END);
					h[pos] := h[parent];
					pos := parent;
				END LOOP;
				h[pos] := elem;
			END IF;
		END IF;
	END LOOP;
	RETURN (SELECT coalesce(jsonb_agg(to_jsonb(v) ORDER BY i), '[]'::jsonb)
		FROM unnest(h[1:n]) WITH ORDINALITY AS u(v, i));
END $$;

-- array::any(a[, v]), array::all(a[, v]): whether some (every) element
-- is truthy, or equal to v when v is given
CREATE FUNCTION dllb.surql_a_some(a jsonb, v jsonb, every boolean) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(CASE WHEN every
		THEN NOT EXISTS (SELECT 1 FROM jsonb_array_elements(a) AS e(x)
						 WHERE CASE WHEN v IS NULL THEN NOT dllb.surql_truthy(e.x) ELSE e.x IS DISTINCT FROM v END)
		ELSE EXISTS (SELECT 1 FROM jsonb_array_elements(a) AS e(x)
					 WHERE CASE WHEN v IS NULL THEN dllb.surql_truthy(e.x) ELSE e.x = v END) END)
$$;

-- type::record(t, k): the record t:k; type::record('t:k'): that text as a
-- record id
CREATE FUNCTION dllb.surql_type_record(t jsonb, k jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN k IS NULL THEN dllb.surql_cast('record', t)
		ELSE to_jsonb(dllb.record(t #>> '{}', k)::text) END
$$;

-- type::of(v): the dialect's name of v's type
CREATE FUNCTION dllb.surql_type_of(v jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(CASE WHEN v IS NULL THEN 'none' ELSE CASE jsonb_typeof(v)
		WHEN 'null' THEN 'null' WHEN 'boolean' THEN 'bool'
		WHEN 'number' THEN CASE WHEN v::text ~ '^-?[0-9]+$' THEN 'int' ELSE 'float' END
		WHEN 'string' THEN 'string' WHEN 'array' THEN 'array'
		ELSE CASE WHEN v ? 'coordinates' OR v ? 'geometries' THEN CASE v ->> 'type'
			WHEN 'Point' THEN 'geometry<point>' WHEN 'LineString' THEN 'geometry<line>'
			WHEN 'Polygon' THEN 'geometry<polygon>' WHEN 'MultiPoint' THEN 'geometry<multipoint>'
			WHEN 'MultiLineString' THEN 'geometry<multiline>'
			WHEN 'MultiPolygon' THEN 'geometry<multipolygon>'
			WHEN 'GeometryCollection' THEN 'geometry<collection>' ELSE 'object' END
			ELSE 'object' END END END)
$$;

-- type::of(v) when the translator knows v's type from its form (known:
-- d'...' a datetime, rand::uuid() a uuid; NULL when it does not)
CREATE FUNCTION dllb.surql_type_of_known(v jsonb, known text) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN v IS NULL THEN '"none"' WHEN v = 'null' THEN '"null"'
		WHEN known IS NOT NULL THEN to_jsonb(known) ELSE dllb.surql_type_of(v) END
$$;

-- type::is_x(v): whether v is of type x (number: int, float or decimal;
-- geometry: any geometry)
CREATE FUNCTION dllb.surql_type_is_known(v jsonb, known text, x text) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(t = x OR (x = 'number' AND t IN ('int', 'float', 'decimal'))
		OR (x = 'geometry' AND t LIKE 'geometry<%') OR (t = 'geometry<' || x || '>')
		OR (x = 'collection' AND t = 'geometry<collection>'))
	FROM (SELECT dllb.surql_type_of_known(v, known) #>> '{}') AS k(t)
$$;

-- objects
CREATE FUNCTION dllb.surql_o_entries(o jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(jsonb_build_array(k, v) ORDER BY k), '[]') FROM jsonb_each(o) AS e(k, v)
$$;
CREATE FUNCTION dllb.surql_o_from_entries(a jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_object_agg(e ->> 0, e -> 1), '{}') FROM dllb.surql_elems(a)
$$;
CREATE FUNCTION dllb.surql_o_keys(o jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(to_jsonb(k) ORDER BY k), '[]') FROM jsonb_object_keys(o) AS e(k)
$$;
CREATE FUNCTION dllb.surql_o_values(o jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(v ORDER BY k), '[]') FROM jsonb_each(o) AS e(k, v)
$$;

-- random
-- rand::time([a, b]): a datetime to the second between a and b (unix
-- seconds or datetimes, in either order; 1970 to 2100 when not given)
CREATE FUNCTION dllb.surql_rand_time(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT dllb.surql_datetime(to_timestamp(least(x, y) + floor(random() * (abs(x - y) + 1))))
	FROM (SELECT floor(CASE WHEN a IS NULL THEN 0 WHEN jsonb_typeof(a) = 'number' THEN a::text::numeric
				ELSE extract(epoch FROM (a #>> '{}')::timestamptz) END),
			floor(CASE WHEN b IS NULL THEN 4102444800 WHEN jsonb_typeof(b) = 'number' THEN b::text::numeric
				ELSE extract(epoch FROM (b #>> '{}')::timestamptz) END)) AS e(x, y)
$$;
-- rand::string([len]) or rand::string(min, max), rand::id(...): len (or
-- between min and max, else deflen) characters of alphabet; fn names the
-- function in an error
CREATE FUNCTION dllb.surql_rand_text(fn text, alphabet text, deflen int, len jsonb, hi jsonb)
RETURNS jsonb
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN len IS NULL AND hi IS NOT NULL
		THEN dllb.surql_bad_args(fn, 'argument 1 must be a number') ELSE
	(SELECT to_jsonb(coalesce(string_agg(substr(alphabet,
		1 + floor(random() * length(alphabet))::int, 1), ''), ''))
	FROM generate_series(1, CASE WHEN hi IS NULL THEN coalesce((len::numeric)::int, deflen)
		ELSE (len::numeric)::int + floor(random() * ((hi::numeric)::int - (len::numeric)::int + 1))::int END)) END
$$;
-- rand::enum(a, b, ...) or rand::enum([a, b, ...]): one of them
CREATE FUNCTION dllb.surql_rand_enum(args jsonb) RETURNS jsonb
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT c -> floor(random() * jsonb_array_length(c))::int
	FROM (SELECT CASE WHEN jsonb_array_length(args) = 1 AND jsonb_typeof(args -> 0) = 'array'
		THEN args -> 0 ELSE args END AS c) AS p
$$;

-- rand::ulid([datetime]): 10 characters of Unix milliseconds (of now, or
-- of the datetime) and 16 random ones, in Crockford's base 32
CREATE FUNCTION dllb.surql_ulid(t jsonb) RETURNS jsonb
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ',
		1 + CASE WHEN k < 10 THEN ((ms >> (5 * (9 - k))) & 31)::int ELSE floor(random() * 32)::int END, 1),
		'' ORDER BY k))
	FROM (SELECT (extract(epoch FROM coalesce((t #>> '{}')::timestamptz, clock_timestamp())) * 1000)::bigint
		AS ms) AS p, generate_series(0, 25) AS k
$$;
CREATE FUNCTION dllb.surql_m_lerp(a jsonb, b jsonb, t jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT dllb.surql_num((a::numeric + (b::numeric - a::numeric) * t::numeric)::float8)
$$;

-- a datetime as SurrealQL shows it: UTC, seconds' fraction without
-- trailing zeros, Z
CREATE FUNCTION dllb.surql_datetime(t timestamptz) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
RETURN to_jsonb(to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
				|| coalesce('.' || nullif(rtrim(to_char(t AT TIME ZONE 'UTC', 'US'), '0'), ''), '')
				|| 'Z');
COMMENT ON FUNCTION dllb.surql_datetime(timestamptz) IS 'a datetime as the dialect shows it (2024-01-01T08:00:00.5Z)';
