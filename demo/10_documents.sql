-- demo/10_documents.sql - documents and a small call graph of source
-- functions (the showcase: a store for source code).  Idempotent.
SET client_min_messages = warning;
SELECT dllb.create_table('fn') \gset
SELECT dllb.create_table('file') \gset
INSERT INTO file VALUES
	('file:⟨src/parse.c⟩', '{"lines": 420}'),
	('file:⟨src/lex.c⟩', '{"lines": 310}')
ON CONFLICT (id) DO NOTHING;
INSERT INTO fn VALUES
	('fn:parse_statement', '{"file": "src/parse.c", "params": 2}'),
	('fn:parse_expr', '{"file": "src/parse.c", "params": 1}'),
	('fn:parse_primary', '{"file": "src/parse.c", "params": 1}'),
	('fn:next_token', '{"file": "src/lex.c", "params": 1}'),
	('fn:read_ident', '{"file": "src/lex.c", "params": 1}'),
	('fn:report_error', '{"file": "src/parse.c", "params": 3}')
ON CONFLICT (id) DO NOTHING;
SELECT dllb.create_edge_table('calls') \gset
INSERT INTO calls (id, "in", out)
SELECT dllb.record('calls', a || '_' || b), dllb.record('fn', a), dllb.record('fn', b)
FROM (VALUES ('parse_statement', 'parse_expr'), ('parse_expr', 'parse_primary'),
             ('parse_primary', 'parse_expr'), ('parse_primary', 'next_token'),
             ('next_token', 'read_ident'), ('parse_statement', 'report_error'),
             ('parse_primary', 'report_error')) e(a, b)
ON CONFLICT (id) DO NOTHING;
RESET client_min_messages;
-- try:
--   SELECT * FROM dllb.traverse('fn:parse_statement', 'calls', 'out', 1, 3);
--   SELECT dllb.shortest_path('fn:parse_statement', 'fn:read_ident', 'calls');
