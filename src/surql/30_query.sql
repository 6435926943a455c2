-- src/surql/30_query.sql: running the dialect's statements.

CREATE FUNCTION dllb.query(q text, params jsonb DEFAULT '{}')
RETURNS TABLE(stmt int, result jsonb)
	AS 'MODULE_PATHNAME', 'dllb_query' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION dllb.query(text, jsonb) IS 'run the dialect''s ;-separated statements; one row per result record, tagged with its statement''s index';

CREATE FUNCTION dllb.explain(q text, params jsonb DEFAULT '{}')
RETURNS TABLE(stmt int, sql text, plan text, uses_index boolean)
	AS 'MODULE_PATHNAME', 'dllb_explain' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION dllb.explain(text, jsonb) IS 'the SQL each of q''s statements becomes, its plan, and whether an index serves it (LET statements run; nothing else does)';

-- field @@ 'words' / @OR@: the query words as a dllb.bm25query, every word
-- required (all) or any; each word quoted, so nothing in it is syntax
CREATE FUNCTION dllb.surql_match_query(words text, all_words boolean) RETURNS dllb.bm25query
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	q text;
BEGIN
	SELECT string_agg(CASE WHEN all_words THEN '+' ELSE '' END || '"' ||
	                  replace(replace(w, '\', '\\'), '"', '\"') || '"', ' ')
	INTO q
	FROM regexp_split_to_table(btrim(words), '\s+') w
	WHERE w <> '';
	IF q IS NULL THEN
		RAISE EXCEPTION 'full-text search words are empty'
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Give at least one word: field @1@ ''words''.';
	END IF;
	RETURN q::dllb.bm25query;
END
$$;
COMMENT ON FUNCTION dllb.surql_match_query(text, boolean) IS 'the dialect''s full-text words as a dllb.bm25query: all words required, or any';
