-- src/surql/40_analyzers.sql: DEFINE ANALYZER and REMOVE ANALYZER.
--
-- An analyzer is a Postgres text search configuration in the current
-- schema, so to_tsvector, \dF, privileges and pg_dump all know it.  Its
-- comment marks it as dllb's and says which tokenizer it uses: the words
-- of the configuration's own parser, or dllb's code tokenizer (which
-- splits camelCase and snake_case identifiers).  SEARCH ANALYZER a names
-- it, or any text search configuration (english, simple, ...) directly.

CREATE FUNCTION dllb.define_analyzer(schema text, name text, tokenizers jsonb,
									 filters jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	code boolean := false;
	base text := 'simple';
	tok text;
	f text;
	surreal boolean;
BEGIN
	IF schema IS NULL THEN
		RAISE EXCEPTION 'no schema has been selected to create the analyzer in'
			USING ERRCODE = 'invalid_schema_name';
	END IF;
	-- ascii, uppercase and n-gram filters: SurrealDB's own tokenizers and
	-- filters (dllb.surreal, analyzer.c), named in the comment
	-- (and an analyzer of SurrealDB's tokenizers without a lowercase or
	-- snowball filter: it keeps the case, as SurrealDB's does)
	surreal := EXISTS (SELECT 1 FROM jsonb_array_elements_text(filters) AS x(f)
					   WHERE x.f ~ '^(ascii|uppercase)$' OR x.f ~ '^(ngram|edgengram)\([0-9]+,[0-9]+\)$')
		OR (NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(filters) AS x(f)
						WHERE x.f = 'lowercase' OR x.f ~ '^snowball\(')
			AND jsonb_array_length(tokenizers) > 0
			AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(tokenizers) AS x(t)
							WHERE x.t NOT IN ('blank', 'class', 'camel', 'punct')));
	IF surreal THEN
		FOR tok IN SELECT jsonb_array_elements_text(tokenizers) LOOP
			IF tok NOT IN ('blank', 'class', 'camel', 'punct') THEN
				RAISE EXCEPTION 'unknown tokenizer "%"', tok
					USING ERRCODE = 'invalid_parameter_value',
						  HINT = 'Tokenizers are blank, class, camel and punct.';
			END IF;
		END LOOP;
		FOR f IN SELECT jsonb_array_elements_text(filters) LOOP
			IF f ~ '^(ngram|edgengram)\(([0-9]+),([0-9]+)\)$' THEN
				IF (regexp_match(f, '\(([0-9]+),'))[1]::int < 1
				   OR (regexp_match(f, ',([0-9]+)\)'))[1]::int < (regexp_match(f, '\(([0-9]+),'))[1]::int
				   OR (regexp_match(f, ',([0-9]+)\)'))[1]::int > 1000 THEN
					RAISE EXCEPTION 'the analyzer filter % needs 1 <= min <= max <= 1000', f
						USING ERRCODE = 'invalid_parameter_value';
				END IF;
			ELSIF f ~ '^snowball\([a-z_]+\)$' THEN
				IF NOT EXISTS (SELECT 1 FROM pg_ts_dict d WHERE d.dictnamespace = 'pg_catalog'::regnamespace
							   AND d.dictname = substring(f FROM '^snowball\(([a-z_]+)\)$') || '_stem') THEN
					RAISE EXCEPTION 'no snowball stemmer for language "%"', substring(f FROM '^snowball\(([a-z_]+)\)$')
						USING ERRCODE = 'undefined_object';
				END IF;
			ELSIF f NOT IN ('lowercase', 'uppercase', 'ascii') THEN
				RAISE EXCEPTION 'the analyzer filter % is not supported', f
					USING ERRCODE = 'feature_not_supported',
						  DETAIL = 'An analyzer with ascii, uppercase, ngram or edgengram filters has SurrealDB''s tokenizers and the filters lowercase, uppercase, ascii, ngram, edgengram and snowball(language).';
			END IF;
		END LOOP;
	END IF;
	FOR tok IN SELECT jsonb_array_elements_text(tokenizers) LOOP
		EXIT WHEN surreal;
		IF tok IN ('class', 'camel', 'code') THEN
			code := true;
		ELSIF tok NOT IN ('blank', 'punct') THEN
			RAISE EXCEPTION 'unknown tokenizer "%"', tok
				USING ERRCODE = 'invalid_parameter_value',
					  HINT = 'Tokenizers are blank and punct (words), class, camel and code (identifiers split by dllb''s code tokenizer).';
		END IF;
	END LOOP;
	FOR f IN SELECT jsonb_array_elements_text(filters) LOOP
		EXIT WHEN surreal;
		IF f = 'lowercase' THEN
			CONTINUE;			-- every configuration folds case
		ELSIF f ~ '^snowball\([a-z_]+\)$' THEN
			IF base <> 'simple' THEN
				RAISE EXCEPTION 'an analyzer has one snowball filter'
					USING ERRCODE = 'invalid_parameter_value';
			END IF;
			base := substring(f FROM '^snowball\(([a-z_]+)\)$');
			IF base = 'simple' OR NOT EXISTS (SELECT 1 FROM pg_ts_config c
											  WHERE c.cfgnamespace = 'pg_catalog'::regnamespace
											  AND c.cfgname = base) THEN
				RAISE EXCEPTION 'no snowball stemmer for language "%"', base
					USING ERRCODE = 'undefined_object',
						  HINT = 'The languages are those of Postgres''s text search configurations (\dF pg_catalog.*), such as english, french or german.';
			END IF;
		ELSIF f ~ '^(ascii|uppercase|edgengram|ngram|mapper)\M' THEN
			RAISE EXCEPTION 'the analyzer filter % is not supported', f
				USING ERRCODE = 'feature_not_supported',
					  DETAIL = 'An analyzer is a Postgres text search configuration; lowercase and snowball(language) map onto one.';
		ELSE
			RAISE EXCEPTION 'unknown analyzer filter "%"', f
				USING ERRCODE = 'invalid_parameter_value',
					  HINT = 'Filters are lowercase and snowball(language).';
		END IF;
	END LOOP;
	-- one definition of a name at a time (a second waits, then sees the first)
	PERFORM dllb.lock_name('analyzer', schema, name);
	IF EXISTS (SELECT 1 FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
			   WHERE n.nspname = schema AND c.cfgname = name) THEN
		RAISE EXCEPTION 'analyzer "%" already exists', name
			USING ERRCODE = 'duplicate_object',
				  HINT = format('REMOVE ANALYZER %s first.', name);
	END IF;
	EXECUTE format('CREATE TEXT SEARCH CONFIGURATION %I.%I (COPY = pg_catalog.%I)', schema, name, base);
	IF surreal THEN
		EXECUTE format('COMMENT ON TEXT SEARCH CONFIGURATION %I.%I IS %L', schema, name,
					   format('dllb analyzer: surreal tokenizers=%s filters=%s',
							  (SELECT string_agg(t, ',' ORDER BY o) FROM jsonb_array_elements_text(tokenizers) WITH ORDINALITY AS x(t, o)),
							  (SELECT string_agg(t, ',' ORDER BY o) FROM jsonb_array_elements_text(filters) WITH ORDINALITY AS x(t, o))));
		RETURN;
	END IF;
	EXECUTE format('COMMENT ON TEXT SEARCH CONFIGURATION %I.%I IS %L', schema, name,
				   format('dllb analyzer: %s tokenizer, %s', CASE WHEN code THEN 'code' ELSE 'word' END, base));
END $$;
COMMENT ON FUNCTION dllb.define_analyzer(text, text, jsonb, jsonb) IS 'DEFINE ANALYZER: a text search configuration in the schema, copied from the snowball filter''s language (simple without one), marked as a dllb analyzer';

CREATE FUNCTION dllb.analyzer_option(name text, schema text DEFAULT dllb.dialect_schema())
RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cfg oid;
	q text;
BEGIN
	IF lower(name) = 'code' THEN
		RETURN 'dllb.code(english)';
	END IF;
	-- a configuration of the schema, else of pg_catalog; as written, else lowercase
	SELECT c.oid INTO cfg
	  FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
	 WHERE n.nspname IN (schema, 'pg_catalog') AND c.cfgname IN (name, lower(name))
	 ORDER BY n.nspname = 'pg_catalog', c.cfgname <> name
	 LIMIT 1;
	IF cfg IS NULL THEN
		RAISE EXCEPTION 'analyzer "%" does not exist', name
			USING ERRCODE = 'undefined_object',
				  HINT = 'DEFINE ANALYZER it, or name a text search configuration such as english or simple (\dF lists them).';
	END IF;
	-- an index option names a configuration outside pg_catalog with its schema
	SELECT CASE WHEN n.nspname = 'pg_catalog' THEN quote_ident(c.cfgname::text)
				ELSE quote_ident(n.nspname::text) || '.' || quote_ident(c.cfgname::text) END
	  INTO q
	  FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
	 WHERE c.oid = cfg;
	IF obj_description(cfg, 'pg_ts_config') LIKE 'dllb analyzer: code tokenizer%' THEN
		RETURN 'dllb.code(' || q || ')';
	END IF;
	IF obj_description(cfg, 'pg_ts_config') LIKE 'dllb analyzer: surreal %' THEN
		RETURN 'dllb.surreal(' || q || ')';
	END IF;
	RETURN q;
END $$;
COMMENT ON FUNCTION dllb.analyzer_option(text, text) IS 'SEARCH ANALYZER name: the dllb_bm25 analyzer option it stands for (code, a DEFINE ANALYZER analyzer, or any text search configuration)';

CREATE FUNCTION dllb.remove_analyzer(schema text, name text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	cfg oid;
	q text;
	idx text;
BEGIN
	SELECT c.oid INTO cfg FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
	 WHERE n.nspname = schema AND c.cfgname = name
	   AND obj_description(c.oid, 'pg_ts_config') LIKE 'dllb analyzer:%';
	IF cfg IS NULL THEN
		RAISE EXCEPTION 'analyzer "%" does not exist', name USING ERRCODE = 'undefined_object';
	END IF;
	q := quote_ident(schema) || '.' || quote_ident(name);
	SELECT i.indexrelid::regclass::text INTO idx
	  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
	 WHERE a.amname = 'dllb_bm25'
	   AND EXISTS (SELECT 1 FROM pg_options_to_table(c.reloptions) o
				   WHERE o.option_name = 'analyzer' AND o.option_value IN (q, 'dllb.code(' || q || ')', 'dllb.surreal(' || q || ')'))
	 LIMIT 1;
	IF idx IS NOT NULL THEN
		RAISE EXCEPTION 'analyzer "%" is used by index %', name, idx
			USING ERRCODE = 'dependent_objects_still_exist',
				  HINT = 'REMOVE INDEX it first.';
	END IF;
	EXECUTE format('DROP TEXT SEARCH CONFIGURATION %s', q);
END $$;
COMMENT ON FUNCTION dllb.remove_analyzer(text, text) IS 'REMOVE ANALYZER: drop a DEFINE ANALYZER analyzer of the schema, unless a full-text index uses it';
