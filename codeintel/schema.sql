-- codeintel/schema.sql: the MetaAST schema dllb-index-code loads into
-- (doc/codeintel.md).  Run by the loader at the start of every run; every
-- statement is idempotent.  Tables go to the current schema (the first of
-- search_path), as dllb.create_table does for the dialect.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

-- nodes: one document per file, module and declaration
SELECT dllb.create_table('ast_node');
SELECT dllb.define_field('ast_node', f, t) FROM (VALUES
	('kind', 'text'),			-- the MetaAST kind: file, function, struct, ...
	('name', 'text'),			-- the declared name (a file: its base name)
	('qname', 'text'),			-- qualified name: point::x, Store.load, a file's path
	('language', 'text'),		-- c, python
	('file_path', 'text'),		-- path below the indexed folder (NULL for a module)
	('start_line', 'integer'),
	('end_line', 'integer'),
	('signature', 'text'),		-- a function's or macro's declaration text
	('doc_comment', 'text'),	-- the comment or docstring that documents it
	('source_text', 'text'),	-- its lines of source (NULL for files and modules)
	('content_hash', 'text'),	-- sha256 of the file (files) or of source_text
	('usr', 'text'),			-- linkage key: clang's USR, or py:dotted.name
	('is_static', 'boolean'),	-- C: file-local (static) declaration
	('parse_errors', 'integer')	-- files: how many parse errors the extractor met
) AS f(f, t);

-- edges: "in" -> out, as RELATE writes them
SELECT dllb.create_edge_table(e) FROM (VALUES ('contains'), ('calls'), ('includes'),
	('imports'), ('references_type'), ('declares')) AS e(e);
SELECT dllb.define_field('calls', 'lines', 'integer[]');
SELECT dllb.define_field('references_type', 'lines', 'integer[]');
SELECT dllb.define_field('includes', 'line', 'integer');
SELECT dllb.define_field('includes', 'spelled', 'text');
SELECT dllb.define_field('imports', 'line', 'integer');
SELECT dllb.define_field('imports', 'spelled', 'text');

CREATE INDEX IF NOT EXISTS ast_node_kind ON ast_node (kind);
CREATE INDEX IF NOT EXISTS ast_node_name ON ast_node (name);
CREATE INDEX IF NOT EXISTS ast_node_qname ON ast_node (qname);
CREATE INDEX IF NOT EXISTS ast_node_file_path ON ast_node (file_path);
CREATE INDEX IF NOT EXISTS ast_node_usr ON ast_node (usr);
-- ast_node is stored as plain heap: node ids are hashes, so dllb's
-- key-clustered placement would cost a probe per row and cluster nothing,
-- and clustered on file_path the loader's COPY of a file's many rows got
-- a page each (placement does not see the rows of the COPY batch before
-- it); a new, empty table is switched once
DO $$
BEGIN
	IF (SELECT a.amname FROM pg_class c JOIN pg_am a ON a.oid = c.relam
		WHERE c.oid = 'ast_node'::regclass) = 'dllb'
	   AND NOT EXISTS (SELECT 1 FROM ast_node) THEN
		ALTER TABLE ast_node SET ACCESS METHOD heap;
	END IF;
END $$;

-- the references as the extractors found them, by linkage key; the calls,
-- references_type, includes, imports and declares edges are resolved from
-- these and ast_node.usr (so a file indexed later links up with earlier ones)
CREATE TABLE IF NOT EXISTS code_ref (
	src dllb.record NOT NULL,	-- the node that refers
	kind text NOT NULL,			-- calls, references_type, includes, imports
	target text NOT NULL,		-- a usr, or file:PATH / module:NAME
	target_name text,			-- the name as written
	lines integer[] NOT NULL,
	PRIMARY KEY (src, kind, target)
);
CREATE INDEX IF NOT EXISTS code_ref_target ON code_ref (target);

-- the loader's own state: embedder, dimension, the default model
CREATE TABLE IF NOT EXISTS code_index_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS code_embedding_model (name text PRIMARY KEY, model oid NOT NULL);  -- a large object
