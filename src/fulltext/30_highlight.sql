-- src/fulltext/30_highlight.sql: where a query matches a text.

CREATE FUNCTION dllb.highlight(body text, query dllb.bm25query, config text,
							   start_tag text DEFAULT '<b>', stop_tag text DEFAULT '</b>',
							   fragment_words int DEFAULT 0)
RETURNS text
	AS 'MODULE_PATHNAME', 'dllb_highlight' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.highlight(text, dllb.bm25query, text, text, text, int) IS 'body with the query''s matches between tags; fragment_words > 0 returns the best excerpt of that many words';

CREATE FUNCTION dllb.offsets(body text, query dllb.bm25query, config text)
RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_offsets' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.offsets(text, dllb.bm25query, text) IS 'character offsets [{"s": start, "e": end}] of the query''s matches in body';

-- the same, with partial: for an analyzer with n-gram filters (DEFINE
-- ANALYZER ... ngram/edgengram), only the matching n-gram's characters
-- of a word rather than the whole word
CREATE FUNCTION dllb.highlight(body text, query dllb.bm25query, config text,
							   start_tag text, stop_tag text, fragment_words int, partial boolean)
RETURNS text
	AS 'MODULE_PATHNAME', 'dllb_highlight' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.highlight(text, dllb.bm25query, text, text, text, int, boolean) IS 'body with the query''s matches between tags; partial: only the matching n-grams';

CREATE FUNCTION dllb.offsets(body text, query dllb.bm25query, config text, partial boolean)
RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_offsets' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.offsets(text, dllb.bm25query, text, boolean) IS 'character offsets of the query''s matches in body; partial: only the matching n-grams';
