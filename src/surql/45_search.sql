-- src/surql/45_search.sql: the dialect's search:: functions that work on
-- values (search::score, highlight and offsets are in translate_search.c).

-- search::highlight(start, stop, N): the matches of query in the field's
-- value v between the tags - a string, or each string (number, bool) in an
-- array or object (its values in key order), flattened: NONE for none, the
-- string for one, else an array of them
CREATE FUNCTION dllb.surql_highlight(v jsonb, query dllb.bm25query, config text,
									 start_tag text, stop_tag text, partial boolean) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE count(*) WHEN 0 THEN NULL WHEN 1 THEN to_jsonb(min(h))
		   ELSE jsonb_agg(to_jsonb(h) ORDER BY o) END
	FROM (SELECT o, dllb.highlight(s, query, config, start_tag, stop_tag, 0, partial) AS h
		  FROM dllb.surql_search_strings(v) WITH ORDINALITY AS x(s, o)) AS y
$$;
COMMENT ON FUNCTION dllb.surql_highlight(jsonb, dllb.bm25query, text, text, text, boolean) IS 'the dialect''s search::highlight: the matches in a value''s strings between tags (one string, or an array of them)';

-- search::offsets(N): {"i": [{s, e}, ...]} for the i-th string of v (as
-- search::highlight numbers them) with matches, character offsets; NONE
-- when none matches
CREATE FUNCTION dllb.surql_offsets(v jsonb, query dllb.bm25query, config text, partial boolean) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT jsonb_object_agg((o - 1)::text, f)
	FROM (SELECT o, dllb.offsets(s, query, config, partial) AS f
		  FROM dllb.surql_search_strings(v) WITH ORDINALITY AS x(s, o)) AS y
	WHERE jsonb_array_length(f) > 0
$$;
COMMENT ON FUNCTION dllb.surql_offsets(jsonb, dllb.bm25query, text, boolean) IS 'the dialect''s search::offsets: the character offsets of the matches in each of a value''s strings, by its number';

-- the strings of a value, as search::highlight numbers them: a string,
-- number or bool as text; arrays and objects (values in key order) flattened
CREATE FUNCTION dllb.surql_search_strings(v jsonb) RETURNS SETOF text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	e jsonb;
BEGIN
	CASE jsonb_typeof(v)
		WHEN 'string' THEN RETURN NEXT v #>> '{}';
		WHEN 'number', 'boolean' THEN RETURN NEXT v::text;
		WHEN 'array' THEN
			FOR e IN SELECT x FROM jsonb_array_elements(v) WITH ORDINALITY AS a(x, o) ORDER BY o LOOP
				RETURN QUERY SELECT dllb.surql_search_strings(e);
			END LOOP;
		WHEN 'object' THEN
			FOR e IN SELECT x FROM jsonb_each(v) AS a(k, x) ORDER BY k COLLATE "C" LOOP
				RETURN QUERY SELECT dllb.surql_search_strings(e);
			END LOOP;
		ELSE
			NULL;
	END CASE;
END $$;
COMMENT ON FUNCTION dllb.surql_search_strings(jsonb) IS 'the strings of a value in the order search::highlight and search::offsets number them';

-- search::rrf(lists, limit[, k]): reciprocal rank fusion of result lists
-- (objects with an id): each id scores the sum of 1 / (k + rank) over the
-- lists it is in (rank from 1), its objects merged (later fields win);
-- the best limit of them, with rrf_score, best first (ties: first seen)
CREATE FUNCTION dllb.surql_rrf(results jsonb, lim jsonb, k jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF jsonb_typeof(lim) IS DISTINCT FROM 'number' OR lim::numeric < 1 THEN
		RAISE EXCEPTION 'Incorrect arguments for function search::rrf(). limit must be at least 1'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF jsonb_typeof(k) IS DISTINCT FROM 'number' OR k::numeric < 0 THEN
		RAISE EXCEPTION 'Incorrect arguments for function search::rrf(). RRF constant must be at least 0'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF jsonb_typeof(results) IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'Incorrect arguments for function search::rrf(). results must be an array of result lists'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN (
		SELECT coalesce(jsonb_agg(d.obj || jsonb_build_object('id', d.id, 'rrf_score', d.score)
								  ORDER BY d.score DESC, d.first), '[]'::jsonb)
		FROM (SELECT x.id, sum(1.0::float8 / (k::float8 + x.rank)) AS score, min(x.seq) AS first,
					 dllb.surql_merge_objects(x.obj ORDER BY x.seq) AS obj
			  FROM (SELECT doc -> 'id' AS id, doc - 'id' AS obj, r AS rank, l * 1000000000 + r AS seq
					FROM jsonb_array_elements(results) WITH ORDINALITY AS lists(list, l)
					CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(list) = 'array'
														   THEN list ELSE '[]' END)
						WITH ORDINALITY AS docs(doc, r)
					WHERE jsonb_typeof(doc) = 'object' AND doc ? 'id') AS x
			  GROUP BY x.id
			  ORDER BY score DESC, first
			  LIMIT lim::numeric::bigint) AS d);
END $$;
COMMENT ON FUNCTION dllb.surql_rrf(jsonb, jsonb, jsonb) IS 'the dialect''s search::rrf: reciprocal rank fusion of result lists';

-- search::linear(lists, weights, limit, norm): each id's score in each list
-- (1 / (1 + distance), ft_score, score, or 1 / (1 + its place among all
-- the lists' entries, from 0)), normalized per list over its positive
-- scores (minmax or zscore), weighted and summed; the best limit, with
-- linear_score, best first (ties: first seen)
CREATE FUNCTION dllb.surql_linear(results jsonb, weights jsonb, lim jsonb, norm jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	i int;
BEGIN
	IF jsonb_typeof(lim) IS DISTINCT FROM 'number' OR lim::numeric < 1 THEN
		RAISE EXCEPTION 'Incorrect arguments for function search::linear(). Limit must be at least 1'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF jsonb_typeof(results) IS DISTINCT FROM 'array' OR jsonb_typeof(weights) IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'Incorrect arguments for function search::linear(). The results and the weights must be arrays'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF jsonb_array_length(weights) <> jsonb_array_length(results) THEN
		RAISE EXCEPTION 'Incorrect arguments for function search::linear(). The results and the weights array should have the same length'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	FOR i IN 0 .. jsonb_array_length(weights) - 1 LOOP
		IF jsonb_typeof(weights -> i) IS DISTINCT FROM 'number' THEN
			RAISE EXCEPTION 'Incorrect arguments for function search::linear(). Weight at index % must be a number', i
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END LOOP;
	IF norm IS NULL OR norm NOT IN ('"minmax"'::jsonb, '"zscore"'::jsonb) THEN
		RAISE EXCEPTION 'Incorrect arguments for function search::linear(). Norm must be ''minmax'' or ''zscore'''
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN (
		WITH entries AS (
			SELECT doc -> 'id' AS id, doc - 'id' AS obj, l,
				   CASE WHEN jsonb_typeof(doc -> 'distance') = 'number' THEN 1.0 / (1.0 + (doc ->> 'distance')::float8)
						WHEN jsonb_typeof(doc -> 'ft_score') = 'number' THEN (doc ->> 'ft_score')::float8
						WHEN jsonb_typeof(doc -> 'score') = 'number' THEN (doc ->> 'score')::float8
						ELSE 1.0 / (1.0 + (row_number() OVER (ORDER BY l, r) - 1)) END AS score,
				   l * 1000000000 + r AS seq
			FROM jsonb_array_elements(results) WITH ORDINALITY AS lists(list, l)
			CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(list) = 'array' THEN list ELSE '[]' END)
				WITH ORDINALITY AS docs(doc, r)
			WHERE jsonb_typeof(doc) = 'object' AND doc ? 'id'),
		-- an id's last score in each list (as SurrealDB keeps it)
		per_list AS (
			SELECT DISTINCT ON (id, l) id, l, score FROM entries ORDER BY id, l, seq DESC),
		stats AS (
			SELECT l, min(score) AS lo, max(score) AS hi, avg(score) AS mean,
				   sqrt(avg(score * score) - avg(score) * avg(score)) AS sd
			FROM per_list WHERE score > 0 GROUP BY l),
		combined AS (
			SELECT p.id, sum((weights ->> (p.l::int - 1))::float8 *
							 CASE WHEN norm = '"minmax"'::jsonb
								  THEN (p.score - s.lo) / CASE WHEN s.hi - s.lo > 0 THEN s.hi - s.lo ELSE 1 END
								  ELSE (p.score - s.mean) / CASE WHEN s.sd > 0 THEN s.sd ELSE 1 END END)
						 FILTER (WHERE p.score > 0) AS score
			FROM per_list p JOIN stats s USING (l) GROUP BY p.id),
		docs AS (
			SELECT e.id, min(e.seq) AS first, dllb.surql_merge_objects(e.obj ORDER BY e.seq) AS obj
			FROM entries e GROUP BY e.id)
		SELECT coalesce(jsonb_agg(d.obj || jsonb_build_object('id', d.id, 'linear_score', coalesce(c.score, 0))
								  ORDER BY coalesce(c.score, 0) DESC, d.first), '[]'::jsonb)
		FROM (SELECT d.*, c.score FROM docs d LEFT JOIN combined c USING (id)
			  ORDER BY coalesce(c.score, 0) DESC, d.first LIMIT lim::numeric::bigint) AS d
		LEFT JOIN combined c USING (id));
END $$;
COMMENT ON FUNCTION dllb.surql_linear(jsonb, jsonb, jsonb, jsonb) IS 'the dialect''s search::linear: weighted linear fusion of normalized scores of result lists';

-- objects merged, later keys winning (an aggregate)
CREATE FUNCTION dllb.surql_merge_objects_step(acc jsonb, o jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(acc, '{}'::jsonb) || coalesce(o, '{}'::jsonb)
$$;
COMMENT ON FUNCTION dllb.surql_merge_objects_step(jsonb, jsonb) IS 'a step of dllb.surql_merge_objects';
CREATE AGGREGATE dllb.surql_merge_objects(jsonb) (SFUNC = dllb.surql_merge_objects_step, STYPE = jsonb);
COMMENT ON AGGREGATE dllb.surql_merge_objects(jsonb) IS 'objects merged in order, later keys winning';
