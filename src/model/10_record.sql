-- src/model/10_record.sql: the dllb.record type (record ids "table:key").

CREATE TYPE dllb.record;

CREATE FUNCTION dllb.record_in(cstring) RETURNS dllb.record
	AS 'MODULE_PATHNAME', 'dllb_record_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.record_out(dllb.record) RETURNS cstring
	AS 'MODULE_PATHNAME', 'dllb_record_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.record_recv(internal) RETURNS dllb.record
	AS 'MODULE_PATHNAME', 'dllb_record_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.record_send(dllb.record) RETURNS bytea
	AS 'MODULE_PATHNAME', 'dllb_record_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE dllb.record (
	INPUT = dllb.record_in,
	OUTPUT = dllb.record_out,
	RECEIVE = dllb.record_recv,
	SEND = dllb.record_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = main,
	CATEGORY = 'U'
);
COMMENT ON TYPE dllb.record IS 'record id table:key (integer, string, uuid, array or object key)';

-- comparison
CREATE FUNCTION dllb.record_eq(dllb.record, dllb.record) RETURNS bool
	AS 'MODULE_PATHNAME', 'dllb_record_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION dllb.record_ne(dllb.record, dllb.record) RETURNS bool
	AS 'MODULE_PATHNAME', 'dllb_record_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION dllb.record_lt(dllb.record, dllb.record) RETURNS bool
	AS 'MODULE_PATHNAME', 'dllb_record_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION dllb.record_le(dllb.record, dllb.record) RETURNS bool
	AS 'MODULE_PATHNAME', 'dllb_record_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION dllb.record_gt(dllb.record, dllb.record) RETURNS bool
	AS 'MODULE_PATHNAME', 'dllb_record_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION dllb.record_ge(dllb.record, dllb.record) RETURNS bool
	AS 'MODULE_PATHNAME', 'dllb_record_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION dllb.record_cmp(dllb.record, dllb.record) RETURNS int4
	AS 'MODULE_PATHNAME', 'dllb_record_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION dllb.record_hash(dllb.record) RETURNS int4
	AS 'MODULE_PATHNAME', 'dllb_record_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION dllb.record_hash_extended(dllb.record, int8) RETURNS int8
	AS 'MODULE_PATHNAME', 'dllb_record_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR pg_catalog.= (
	LEFTARG = dllb.record, RIGHTARG = dllb.record, FUNCTION = dllb.record_eq,
	COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR pg_catalog.<> (
	LEFTARG = dllb.record, RIGHTARG = dllb.record, FUNCTION = dllb.record_ne,
	COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR pg_catalog.< (
	LEFTARG = dllb.record, RIGHTARG = dllb.record, FUNCTION = dllb.record_lt,
	COMMUTATOR = OPERATOR(pg_catalog.>), NEGATOR = OPERATOR(pg_catalog.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR pg_catalog.<= (
	LEFTARG = dllb.record, RIGHTARG = dllb.record, FUNCTION = dllb.record_le,
	COMMUTATOR = OPERATOR(pg_catalog.>=), NEGATOR = OPERATOR(pg_catalog.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR pg_catalog.> (
	LEFTARG = dllb.record, RIGHTARG = dllb.record, FUNCTION = dllb.record_gt,
	COMMUTATOR = OPERATOR(pg_catalog.<), NEGATOR = OPERATOR(pg_catalog.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR pg_catalog.>= (
	LEFTARG = dllb.record, RIGHTARG = dllb.record, FUNCTION = dllb.record_ge,
	COMMUTATOR = OPERATOR(pg_catalog.<=), NEGATOR = OPERATOR(pg_catalog.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS dllb.record_ops DEFAULT FOR TYPE dllb.record USING btree AS
	OPERATOR 1 pg_catalog.<,
	OPERATOR 2 pg_catalog.<=,
	OPERATOR 3 pg_catalog.=,
	OPERATOR 4 pg_catalog.>=,
	OPERATOR 5 pg_catalog.>,
	FUNCTION 1 dllb.record_cmp(dllb.record, dllb.record);

CREATE OPERATOR CLASS dllb.record_hash_ops DEFAULT FOR TYPE dllb.record USING hash AS
	OPERATOR 1 pg_catalog.=,
	FUNCTION 1 dllb.record_hash(dllb.record),
	FUNCTION 2 dllb.record_hash_extended(dllb.record, int8);

-- parts and constructors
CREATE FUNCTION dllb.tb(dllb.record) RETURNS text
	AS 'MODULE_PATHNAME', 'dllb_record_tb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.tb(dllb.record) IS 'table part of a record id';
CREATE FUNCTION dllb.record_in_table(dllb.record, text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'dllb_record_in_table' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.record_in_table(dllb.record, text) IS 'whether a record id is of that table (tb(r) = t without making text)';
CREATE FUNCTION dllb.key(dllb.record) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'dllb_record_key' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.key(dllb.record) IS 'key part of a record id as jsonb (number, string, array or object)';
CREATE FUNCTION dllb.record(tb text, key jsonb) RETURNS dllb.record
	AS 'MODULE_PATHNAME', 'dllb_record_make_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.record(text, jsonb) IS 'record id from a table name and a jsonb integer, string, array or object key';
CREATE FUNCTION dllb.record(tb text, key text) RETURNS dllb.record
	AS 'MODULE_PATHNAME', 'dllb_record_make_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.record(text, text) IS 'record id with a string key';
CREATE FUNCTION dllb.record(tb text, key bigint) RETURNS dllb.record
	AS 'MODULE_PATHNAME', 'dllb_record_make_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.record(text, bigint) IS 'record id with an integer key';
CREATE FUNCTION dllb.record(tb text, key uuid) RETURNS dllb.record
	AS 'MODULE_PATHNAME', 'dllb_record_make_uuid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.record(text, uuid) IS 'record id with a uuid key';

-- text converts to a record id on assignment and when cast explicitly
CREATE CAST (text AS dllb.record) WITH INOUT AS ASSIGNMENT;
CREATE CAST (dllb.record AS text) WITH INOUT;

-- min() and max() by the btree order
CREATE FUNCTION dllb.record_smaller(dllb.record, dllb.record) RETURNS dllb.record
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN $1 OPERATOR(pg_catalog.<=) $2 THEN $1 ELSE $2 END;
CREATE FUNCTION dllb.record_larger(dllb.record, dllb.record) RETURNS dllb.record
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN $1 OPERATOR(pg_catalog.>=) $2 THEN $1 ELSE $2 END;
CREATE AGGREGATE dllb.min(dllb.record) (
	SFUNC = dllb.record_smaller, STYPE = dllb.record,
	COMBINEFUNC = dllb.record_smaller, SORTOP = OPERATOR(pg_catalog.<), PARALLEL = SAFE);
CREATE AGGREGATE dllb.max(dllb.record) (
	SFUNC = dllb.record_larger, STYPE = dllb.record,
	COMBINEFUNC = dllb.record_larger, SORTOP = OPERATOR(pg_catalog.>), PARALLEL = SAFE);
