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

CREATE OPERATOR dllb.= (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_eq, COMMUTATOR = OPERATOR(dllb.=), NEGATOR = OPERATOR(dllb.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, MERGES);
CREATE OPERATOR dllb.<> (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_ne, COMMUTATOR = OPERATOR(dllb.<>), NEGATOR = OPERATOR(dllb.=),
	RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR dllb.< (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_lt, COMMUTATOR = OPERATOR(dllb.>), NEGATOR = OPERATOR(dllb.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR dllb.<= (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_le, COMMUTATOR = OPERATOR(dllb.>=), NEGATOR = OPERATOR(dllb.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR dllb.> (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_gt, COMMUTATOR = OPERATOR(dllb.<), NEGATOR = OPERATOR(dllb.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR dllb.>= (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_ge, COMMUTATOR = OPERATOR(dllb.<=), NEGATOR = OPERATOR(dllb.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS dllb.vector_ops DEFAULT FOR TYPE dllb.vector USING btree AS
	OPERATOR 1 dllb.<,
	OPERATOR 2 dllb.<=,
	OPERATOR 3 dllb.=,
	OPERATOR 4 dllb.>=,
	OPERATOR 5 dllb.>,
	FUNCTION 1 dllb.vector_cmp(dllb.vector, dllb.vector);
