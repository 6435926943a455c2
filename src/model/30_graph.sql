-- src/model/30_graph.sql: graph traversal over edge tables (C, src/model/traverse.c
-- and shortest_path.c).  edge is an edge table name or '?' for all of them;
-- direction is 'out' ("in" -> out), 'in' (out -> "in") or 'both'.

CREATE FUNCTION dllb.out(from_ dllb.record, edge text) RETURNS SETOF dllb.record
	AS 'MODULE_PATHNAME', 'dllb_graph_out' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION dllb.out(dllb.record, text) IS 'targets of the edges leaving from_ (one row per edge)';
CREATE FUNCTION dllb."in"(from_ dllb.record, edge text) RETURNS SETOF dllb.record
	AS 'MODULE_PATHNAME', 'dllb_graph_in' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION dllb."in"(dllb.record, text) IS 'sources of the edges entering from_ (one row per edge)';
CREATE FUNCTION dllb.both(from_ dllb.record, edge text) RETURNS SETOF dllb.record
	AS 'MODULE_PATHNAME', 'dllb_graph_both' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION dllb.both(dllb.record, text) IS 'neighbours of from_ over edges in either direction (one row per edge)';

CREATE FUNCTION dllb.traverse(from_ dllb.record, edge text, direction text DEFAULT 'out',
							  min_depth int DEFAULT 1, max_depth int DEFAULT 1)
RETURNS TABLE(node dllb.record, depth int, path dllb.record[])
	AS 'MODULE_PATHNAME', 'dllb_graph_traverse' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED
	ROWS 100;
COMMENT ON FUNCTION dllb.traverse(dllb.record, text, text, int, int) IS 'breadth-first traversal: each vertex once, at its smallest depth, with a path';

CREATE FUNCTION dllb.dfs(from_ dllb.record, edge text, direction text DEFAULT 'out',
						 min_depth int DEFAULT 1, max_depth int DEFAULT 1)
RETURNS TABLE(node dllb.record, depth int, path dllb.record[])
	AS 'MODULE_PATHNAME', 'dllb_graph_dfs' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED
	ROWS 100;
COMMENT ON FUNCTION dllb.dfs(dllb.record, text, text, int, int) IS 'depth-first traversal in preorder: each vertex once';

CREATE FUNCTION dllb.shortest_path(from_ dllb.record, to_ dllb.record, edge text,
								   direction text DEFAULT 'out', max_depth int DEFAULT 64)
RETURNS dllb.record[]
	AS 'MODULE_PATHNAME', 'dllb_graph_shortest_path' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION dllb.shortest_path(dllb.record, dllb.record, text, text, int) IS 'vertices of one shortest path (bidirectional BFS), NULL when unreachable within max_depth';

CREATE FUNCTION dllb.reachable(from_ dllb.record, to_ dllb.record, edge text,
							   direction text DEFAULT 'out', max_depth int DEFAULT 64)
RETURNS bool
	AS 'MODULE_PATHNAME', 'dllb_graph_reachable' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION dllb.reachable(dllb.record, dllb.record, text, text, int) IS 'is to_ reachable from from_ within max_depth edges';
