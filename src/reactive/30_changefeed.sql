-- src/reactive/30_changefeed.sql: change feeds (src/reactive/changefeed.c).
--
-- dllb.changefeeds says which tables have a feed; dllb.changes holds each
-- committed change under its writer's transaction id, dllb.change_commits
-- the versionstamp each transaction took when it committed.  Only dllb's
-- own functions, as the owner of schema dllb, read or write the last two:
-- they hold the records of every feed's table.

CREATE TABLE dllb.changefeeds (
	tbl regclass PRIMARY KEY,
	retention interval NOT NULL,
	include_original boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE dllb.changefeeds IS 'tables with a change feed (DEFINE TABLE ... CHANGEFEED): how long changes are kept, and whether updates carry the record before';
SELECT pg_catalog.pg_extension_config_dump('dllb.changefeeds', '');
GRANT SELECT ON dllb.changefeeds TO PUBLIC;

-- versionstamps, taken at commit under the change feeds' lock
CREATE SEQUENCE dllb.changefeed_versionstamp;

CREATE TABLE dllb.change_commits (
	tbl oid NOT NULL,
	vs bigint NOT NULL,
	xid xid8 NOT NULL,
	at timestamptz NOT NULL,
	PRIMARY KEY (tbl, vs)
);
COMMENT ON TABLE dllb.change_commits IS 'one row per table and committed transaction that changed it: its versionstamp and commit time';

CREATE TABLE dllb.changes (
	tbl oid NOT NULL,
	xid xid8 NOT NULL,
	n int4 NOT NULL,
	change jsonb NOT NULL,
	PRIMARY KEY (tbl, xid, n)
);
COMMENT ON TABLE dllb.changes IS 'the changes of change feeds, by writer transaction, in the order they happened';

CREATE FUNCTION dllb.changefeed_capture() RETURNS trigger
	AS 'MODULE_PATHNAME', 'dllb_changefeed_capture' LANGUAGE C;
COMMENT ON FUNCTION dllb.changefeed_capture() IS 'trigger of a change feed: a statement''s changes into dllb.changes';
CREATE FUNCTION dllb.changefeed_stamp() RETURNS trigger
	AS 'MODULE_PATHNAME', 'dllb_changefeed_stamp' LANGUAGE C;
COMMENT ON FUNCTION dllb.changefeed_stamp() IS 'deferred trigger of a change feed: at commit, the transaction''s versionstamp';

CREATE FUNCTION dllb.define_changefeed(tbl regclass, retention interval,
									   include_original boolean DEFAULT false) RETURNS void
	AS 'MODULE_PATHNAME', 'dllb_define_changefeed' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION dllb.define_changefeed(regclass, interval, boolean) IS 'DEFINE TABLE t CHANGEFEED d [INCLUDE ORIGINAL]: keep every committed change of a dllb table for the retention';
CREATE FUNCTION dllb.remove_changefeed(tbl regclass) RETURNS void
	AS 'MODULE_PATHNAME', 'dllb_remove_changefeed' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION dllb.remove_changefeed(regclass) IS 'drop the change feed of a table, with its changes';
CREATE FUNCTION dllb.show_changes(tbl regclass, since bigint DEFAULT NULL,
								  since_time timestamptz DEFAULT NULL,
								  max_sets int4 DEFAULT 100) RETURNS SETOF jsonb
	AS 'MODULE_PATHNAME', 'dllb_show_changes' LANGUAGE C STABLE;
COMMENT ON FUNCTION dllb.show_changes(regclass, bigint, timestamptz, int4) IS 'SHOW CHANGES FOR TABLE t SINCE v [LIMIT n]: committed change sets from versionstamp since (or since_time), oldest first';
CREATE FUNCTION dllb.changefeed_prune() RETURNS bigint
	AS 'MODULE_PATHNAME', 'dllb_changefeed_prune' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION dllb.changefeed_prune() IS 'delete every change feed''s change sets older than its retention; returns how many';

-- an interval as a dialect duration: 3d, 1h30m, 50ms (a month counts 30 days)
CREATE FUNCTION dllb.duration_text(d interval) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE WHEN t.s = '' THEN '0s' ELSE t.s END
	FROM (SELECT concat(nullif(p.days, 0) || 'd', nullif(p.us / 3600000000, 0) || 'h',
						nullif(p.us / 60000000 % 60, 0) || 'm', nullif(p.us / 1000000 % 60, 0) || 's',
						nullif(p.us / 1000 % 1000, 0) || 'ms', nullif(p.us % 1000, 0) || 'us') AS s
		  FROM (SELECT (extract(year FROM d) * 360 + extract(month FROM d) * 30 + extract(day FROM d))::bigint AS days,
					   (extract(epoch FROM d - date_trunc('day', d)) * 1000000)::bigint AS us) p) t
$$;
COMMENT ON FUNCTION dllb.duration_text(interval) IS 'an interval as the dialect writes a duration (3d, 1h30m, 50ms)';
