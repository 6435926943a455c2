-- src/reactive/10_live.sql: LIVE SELECT and KILL (src/reactive/live_*.c).
--
-- dllb.live_queries is the registry of live queries: which table, which
-- subscriber (role and session), and the SQL the dialect made of the
-- query.  It is UNLOGGED: a crash restart empties it, as it ends every
-- session; a session that ends otherwise deletes its own live queries on
-- its way out.  Only dllb's functions, as the owner of schema dllb, read
-- or write it (it holds the subscribers' settings); dllb.live_list() shows
-- a role its own.

CREATE UNLOGGED TABLE dllb.live_queries (
	id uuid PRIMARY KEY,
	tbl oid NOT NULL,
	role oid NOT NULL,
	pid int4 NOT NULL,
	session_start timestamptz NOT NULL,
	diff boolean NOT NULL,
	query text NOT NULL,
	cond_sql text NOT NULL,
	proj_sql text NOT NULL,
	settings jsonb NOT NULL,
	created timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX live_queries_tbl ON dllb.live_queries (tbl);
COMMENT ON TABLE dllb.live_queries IS 'live queries: table, subscriber (role, session, custom settings) and the SQL of their condition and result';

-- a notification's whole payload, when it is longer than NOTIFY takes
CREATE UNLOGGED TABLE dllb.live_payloads (
	id bigserial PRIMARY KEY,
	lq uuid NOT NULL,
	payload jsonb NOT NULL
);
CREATE INDEX live_payloads_lq ON dllb.live_payloads (lq);
COMMENT ON TABLE dllb.live_payloads IS 'notifications of live queries too long for NOTIFY, until dllb.live_fetch hands them over (or the live query ends)';

CREATE FUNCTION dllb.live_select(query text, params jsonb DEFAULT '{}', diff boolean DEFAULT false)
RETURNS uuid
	AS 'MODULE_PATHNAME', 'dllb_live_select' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION dllb.live_select(text, jsonb, boolean) IS 'LIVE SELECT: start a live query (a dialect SELECT over one table) of this session; it LISTENs on channel dllb_live_<id>';

CREATE FUNCTION dllb.live_kill(id uuid) RETURNS void
	AS 'MODULE_PATHNAME', 'dllb_live_kill' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION dllb.live_kill(uuid) IS 'KILL: end a live query of the caller''s role';

CREATE FUNCTION dllb.live_fetch(notification jsonb) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_live_fetch' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION dllb.live_fetch(jsonb) IS 'the whole notification that a payload with "fetch" stands for (once)';

CREATE FUNCTION dllb.live_list() RETURNS TABLE(id uuid, tbl regclass, query text, diff boolean,
											  pid int4, created timestamptz, cond_sql text,
											  proj_sql text)
	AS 'MODULE_PATHNAME', 'dllb_live_list' LANGUAGE C STABLE;
COMMENT ON FUNCTION dllb.live_list() IS 'the live queries of the caller''s role, with the SQL of their condition and result';

CREATE FUNCTION dllb.live_notify() RETURNS trigger
	AS 'MODULE_PATHNAME', 'dllb_live_notify' LANGUAGE C;
COMMENT ON FUNCTION dllb.live_notify() IS 'trigger of live queries: evaluates them for a statement''s changes and notifies their subscribers';
