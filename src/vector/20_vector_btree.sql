-- src/vector/20_vector_btree.sql: comparison of vectors (element by
-- element), so DISTINCT, GROUP BY, UNIQUE and ORDER BY work on them.

CREATE FUNCTION dllb.vector_cmp(dllb.vector, dllb.vector) RETURNS int4
	AS 'MODULE_PATHNAME', 'dllb_vector_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_eq(dllb.vector, dllb.vector) RETURNS bool
	AS 'MODULE_PATHNAME', 'dllb_vector_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_ne(dllb.vector, dllb.vector) RETURNS bool
	AS 'MODULE_PATHNAME', 'dllb_vector_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_lt(dllb.vector, dllb.vector) RETURNS bool
	AS 'MODULE_PATHNAME', 'dllb_vector_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_le(dllb.vector, dllb.vector) RETURNS bool
	AS 'MODULE_PATHNAME', 'dllb_vector_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_gt(dllb.vector, dllb.vector) RETURNS bool
	AS 'MODULE_PATHNAME', 'dllb_vector_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_ge(dllb.vector, dllb.vector) RETURNS bool
	AS 'MODULE_PATHNAME', 'dllb_vector_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR pg_catalog.= (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_eq, COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, MERGES);
CREATE OPERATOR pg_catalog.<> (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_ne, COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=),
	RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR pg_catalog.< (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_lt, COMMUTATOR = OPERATOR(pg_catalog.>), NEGATOR = OPERATOR(pg_catalog.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR pg_catalog.<= (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_le, COMMUTATOR = OPERATOR(pg_catalog.>=), NEGATOR = OPERATOR(pg_catalog.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR pg_catalog.> (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_gt, COMMUTATOR = OPERATOR(pg_catalog.<), NEGATOR = OPERATOR(pg_catalog.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR pg_catalog.>= (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_ge, COMMUTATOR = OPERATOR(pg_catalog.<=), NEGATOR = OPERATOR(pg_catalog.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS dllb.vector_ops DEFAULT FOR TYPE dllb.vector USING btree AS
	OPERATOR 1 pg_catalog.<,
	OPERATOR 2 pg_catalog.<=,
	OPERATOR 3 pg_catalog.=,
	OPERATOR 4 pg_catalog.>=,
	OPERATOR 5 pg_catalog.>,
	FUNCTION 1 dllb.vector_cmp(dllb.vector, dllb.vector);
