-- src/surql/45_stdlib.sql: helpers of the dialect's standard library (the
-- function table is src/surql/translate_functions.c: one line a function).
-- Every helper takes and returns jsonb (NONE is SQL NULL) and pins its
-- search_path.  Numbers: a result written without a fraction is an
-- integer (dllb.surql_num makes a float keep one).

-- a float as a jsonb number that keeps a fraction (2.0, not 2), NaN as NONE
CREATE FUNCTION dllb.surql_num(x float8) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN x = 'NaN'::float8 OR x IN ('Infinity'::float8, '-Infinity'::float8) THEN NULL
		WHEN x::text ~ '^-?[0-9]+$' THEN (x::text || '.0')::jsonb ELSE to_jsonb(x) END
$$;

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
CREATE FUNCTION dllb.surql_s_slice(s jsonb, start jsonb, len jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(substr(s #>> '{}', 1 + CASE WHEN st < 0 THEN greatest(n + st, 0) ELSE st END,
		CASE WHEN len IS NULL THEN n ELSE greatest((len::numeric)::int, 0) END))
	FROM (SELECT coalesce((start::numeric)::int, 0) AS st, char_length(s #>> '{}') AS n) AS p
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
CREATE FUNCTION dllb.surql_a_insert(a jsonb, v jsonb, pos jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN pos IS NULL THEN a || jsonb_build_array(v)
		ELSE jsonb_insert(a, ARRAY[((pos::numeric)::int)::text], v) END
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
	SELECT coalesce(jsonb_agg(dllb.surql_a_slice(a, to_jsonb(s - 1), n) ORDER BY s), '[]')
	FROM generate_series(1, jsonb_array_length(a) - (n::numeric)::int + 1) AS s
$$;
CREATE FUNCTION dllb.surql_a_clump(a jsonb, n jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(dllb.surql_a_slice(a, to_jsonb(s), n) ORDER BY s), '[]')
	FROM generate_series(0, jsonb_array_length(a) - 1, greatest((n::numeric)::int, 1)) AS s
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
CREATE FUNCTION dllb.surql_a_range(start jsonb, n jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(to_jsonb(g) ORDER BY g), '[]')
	FROM generate_series((start::numeric)::int, (start::numeric)::int + (n::numeric)::int - 1) AS g
$$;
CREATE FUNCTION dllb.surql_a_repeat(v jsonb, n jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(coalesce(v, 'null') ORDER BY g), '[]') FROM generate_series(1, (n::numeric)::int) AS g
$$;
CREATE FUNCTION dllb.surql_a_swap(a jsonb, x jsonb, y jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT jsonb_set(jsonb_set(a, ARRAY[((x::numeric)::int)::text], a -> (y::numeric)::int),
		ARRAY[((y::numeric)::int)::text], a -> (x::numeric)::int)
$$;
CREATE FUNCTION dllb.surql_a_fill(a jsonb, v jsonb, s jsonb, e jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(jsonb_agg(CASE WHEN (s IS NULL OR i - 1 >= (s::numeric)::int)
			AND (e IS NULL OR i - 1 < (e::numeric)::int) THEN coalesce(v, 'null') ELSE x END ORDER BY i), '[]')
	FROM dllb.surql_elems(a) AS t(x, i)
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
	SELECT CASE what
		WHEN 'median' THEN (SELECT dllb.surql_num(percentile_cont(0.5) WITHIN GROUP (ORDER BY x)) FROM dllb.surql_nums(a) AS x)
		WHEN 'percentile' THEN (SELECT dllb.surql_num(percentile_cont(((p::numeric) / 100)::float8) WITHIN GROUP (ORDER BY x)) FROM dllb.surql_nums(a) AS x)
		WHEN 'nearestrank' THEN (SELECT to_jsonb(percentile_disc(((p::numeric) / 100)::float8) WITHIN GROUP (ORDER BY x)) FROM dllb.surql_nums(a) AS x)
		WHEN 'mode' THEN (SELECT to_jsonb(x) FROM dllb.surql_nums(a) AS x GROUP BY x ORDER BY count(*) DESC, x DESC LIMIT 1)
		WHEN 'product' THEN (SELECT to_jsonb(coalesce(exp(sum(ln(abs(x)))) * CASE WHEN count(*) FILTER (WHERE x < 0) % 2 = 1 THEN -1 ELSE 1 END, 1))
			FROM dllb.surql_nums(a) AS x)
		WHEN 'variance' THEN (SELECT dllb.surql_num(var_samp(x)) FROM dllb.surql_nums(a) AS x)
		WHEN 'stddev' THEN (SELECT dllb.surql_num(stddev_samp(x)) FROM dllb.surql_nums(a) AS x)
		WHEN 'spread' THEN (SELECT to_jsonb(max(x) - min(x)) FROM dllb.surql_nums(a) AS x)
		WHEN 'interquartile' THEN (SELECT dllb.surql_num(percentile_cont(0.75) WITHIN GROUP (ORDER BY x) - percentile_cont(0.25) WITHIN GROUP (ORDER BY x)) FROM dllb.surql_nums(a) AS x)
		WHEN 'midhinge' THEN (SELECT dllb.surql_num((percentile_cont(0.75) WITHIN GROUP (ORDER BY x) + percentile_cont(0.25) WITHIN GROUP (ORDER BY x)) / 2) FROM dllb.surql_nums(a) AS x)
		WHEN 'trimean' THEN (SELECT dllb.surql_num((percentile_cont(0.25) WITHIN GROUP (ORDER BY x) + 2 * percentile_cont(0.5) WITHIN GROUP (ORDER BY x) + percentile_cont(0.75) WITHIN GROUP (ORDER BY x)) / 4) FROM dllb.surql_nums(a) AS x)
		WHEN 'top' THEN (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x DESC), '[]') FROM (SELECT x FROM dllb.surql_nums(a) AS x ORDER BY x DESC LIMIT (p::numeric)::int) AS t)
		WHEN 'bottom' THEN (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x), '[]') FROM (SELECT x FROM dllb.surql_nums(a) AS x ORDER BY x LIMIT (p::numeric)::int) AS t)
		END
$$;

-- type::of(v): the dialect's name of v's type
CREATE FUNCTION dllb.surql_type_of(v jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(CASE WHEN v IS NULL THEN 'none' ELSE CASE jsonb_typeof(v)
		WHEN 'null' THEN 'null' WHEN 'boolean' THEN 'bool'
		WHEN 'number' THEN CASE WHEN v::text ~ '^-?[0-9]+$' THEN 'int' ELSE 'float' END
		WHEN 'string' THEN 'string' WHEN 'array' THEN 'array' ELSE 'object' END END)
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
CREATE FUNCTION dllb.surql_rand_string(len jsonb) RETURNS jsonb
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(string_agg(substr('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
		1 + floor(random() * 62)::int, 1), ''))
	FROM generate_series(1, coalesce((len::numeric)::int, 32))
$$;
CREATE FUNCTION dllb.surql_s_capitalize(s jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT to_jsonb(coalesce(string_agg(upper(left(w, 1)) || substr(w, 2), ' ' ORDER BY i), ''))
	FROM regexp_split_to_table(s #>> '{}', ' ') WITH ORDINALITY AS x(w, i)
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
