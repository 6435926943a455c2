-- demo/20_search.sql - full text over the functions' summaries, with the
-- source-code analyzer (parseStatement matches parse and statement).
-- Idempotent.
SET client_min_messages = warning;
UPDATE fn SET data = fn.data || jsonb_build_object('summary', v.s)
FROM (VALUES
	('fn:parse_statement', 'parseStatement reads one statement and reports syntax errors'),
	('fn:parse_expr', 'parseExpr parses an expression by precedence climbing'),
	('fn:parse_primary', 'parsePrimary parses literals, names and parenthesised expressions'),
	('fn:next_token', 'nextToken returns the next token from the lexer'),
	('fn:read_ident', 'readIdent reads an identifier or a keyword'),
	('fn:report_error', 'reportError prints a syntax error with its line and column')) v(id, s)
WHERE fn.id = v.id::dllb.record;
CREATE INDEX IF NOT EXISTS fn_summary_ft ON fn USING dllb_bm25 ((data ->> 'summary'))
	WITH (analyzer = 'dllb.code(english)');
RESET client_min_messages;
-- try:
--   SELECT * FROM dllb.query($$SELECT id, search::score(1) AS s FROM fn
--                              WHERE summary @1,OR@ 'syntax error' ORDER BY s DESC$$);
--   SELECT data ->> 'summary' FROM fn ORDER BY (data ->> 'summary') <@> 'parse' LIMIT 3;
