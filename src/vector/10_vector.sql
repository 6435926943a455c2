-- src/vector/10_vector.sql: the dllb.vector type, distances, aggregates.

CREATE TYPE dllb.vector;

CREATE FUNCTION dllb.vector_in(cstring, oid, int4) RETURNS dllb.vector
	AS 'MODULE_PATHNAME', 'dllb_vector_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_out(dllb.vector) RETURNS cstring
	AS 'MODULE_PATHNAME', 'dllb_vector_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_typmod_in(cstring[]) RETURNS int4
	AS 'MODULE_PATHNAME', 'dllb_vector_typmod_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_typmod_out(int4) RETURNS cstring
	AS 'MODULE_PATHNAME', 'dllb_vector_typmod_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_recv(internal, oid, int4) RETURNS dllb.vector
	AS 'MODULE_PATHNAME', 'dllb_vector_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_send(dllb.vector) RETURNS bytea
	AS 'MODULE_PATHNAME', 'dllb_vector_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE dllb.vector (
	INPUT = dllb.vector_in,
	OUTPUT = dllb.vector_out,
	TYPMOD_IN = dllb.vector_typmod_in,
	TYPMOD_OUT = dllb.vector_typmod_out,
	RECEIVE = dllb.vector_recv,
	SEND = dllb.vector_send,
	STORAGE = external
);
COMMENT ON TYPE dllb.vector IS 'vector of float4; vector(n) has n dimensions (up to 16000)';

-- typmod coercion and casts
CREATE FUNCTION dllb.vector(dllb.vector, int4, bool) RETURNS dllb.vector
	AS 'MODULE_PATHNAME', 'dllb_vector_coerce' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.array_to_vector(int4[], int4, bool) RETURNS dllb.vector
	AS 'MODULE_PATHNAME', 'dllb_array_to_vector' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.array_to_vector(real[], int4, bool) RETURNS dllb.vector
	AS 'MODULE_PATHNAME', 'dllb_array_to_vector' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.array_to_vector(double precision[], int4, bool) RETURNS dllb.vector
	AS 'MODULE_PATHNAME', 'dllb_array_to_vector' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.array_to_vector(numeric[], int4, bool) RETURNS dllb.vector
	AS 'MODULE_PATHNAME', 'dllb_array_to_vector' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_to_float4(dllb.vector, int4, bool) RETURNS real[]
	AS 'MODULE_PATHNAME', 'dllb_vector_to_float4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (dllb.vector AS dllb.vector) WITH FUNCTION dllb.vector(dllb.vector, int4, bool) AS IMPLICIT;
CREATE CAST (int4[] AS dllb.vector) WITH FUNCTION dllb.array_to_vector(int4[], int4, bool) AS ASSIGNMENT;
CREATE CAST (real[] AS dllb.vector) WITH FUNCTION dllb.array_to_vector(real[], int4, bool) AS ASSIGNMENT;
CREATE CAST (double precision[] AS dllb.vector) WITH FUNCTION dllb.array_to_vector(double precision[], int4, bool) AS ASSIGNMENT;
CREATE CAST (numeric[] AS dllb.vector) WITH FUNCTION dllb.array_to_vector(numeric[], int4, bool) AS ASSIGNMENT;
CREATE CAST (dllb.vector AS real[]) WITH FUNCTION dllb.vector_to_float4(dllb.vector, int4, bool) AS IMPLICIT;

-- functions
CREATE FUNCTION dllb.dims(dllb.vector) RETURNS int4
	AS 'MODULE_PATHNAME', 'dllb_vector_dims' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.l2_norm(dllb.vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_vector_norm' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.l2_normalize(dllb.vector) RETURNS dllb.vector
	AS 'MODULE_PATHNAME', 'dllb_vector_normalize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.l2_distance(dllb.vector, dllb.vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_vector_l2_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.cosine_distance(dllb.vector, dllb.vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_vector_cosine_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.inner_product(dllb.vector, dllb.vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_vector_inner_product' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.negative_inner_product(dllb.vector, dllb.vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_vector_negative_inner_product' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.l1_distance(dllb.vector, dllb.vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_vector_l1_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_add(dllb.vector, dllb.vector) RETURNS dllb.vector
	AS 'MODULE_PATHNAME', 'dllb_vector_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_sub(dllb.vector, dllb.vector) RETURNS dllb.vector
	AS 'MODULE_PATHNAME', 'dllb_vector_sub' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_kernel() RETURNS text
	AS 'MODULE_PATHNAME', 'dllb_vector_kernel' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.vector_kernel() IS 'which SIMD clone of the distance kernels this CPU runs';
CREATE FUNCTION dllb.vector_kernel_check(dllb.vector, dllb.vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_vector_kernel_check' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.vector_kernel_check(dllb.vector, dllb.vector) IS 'largest relative difference between the SIMD and the scalar kernels (testing)';

-- operators
CREATE OPERATOR pg_catalog.<-> (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.l2_distance, COMMUTATOR = OPERATOR(pg_catalog.<->));
CREATE OPERATOR pg_catalog.<=> (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.cosine_distance, COMMUTATOR = OPERATOR(pg_catalog.<=>));
CREATE OPERATOR pg_catalog.<#> (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.negative_inner_product, COMMUTATOR = OPERATOR(pg_catalog.<#>));
CREATE OPERATOR pg_catalog.+ (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_add, COMMUTATOR = OPERATOR(pg_catalog.+));
CREATE OPERATOR pg_catalog.- (LEFTARG = dllb.vector, RIGHTARG = dllb.vector,
	FUNCTION = dllb.vector_sub);

-- aggregates
CREATE FUNCTION dllb.vector_accum(float8[], dllb.vector) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'dllb_vector_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_combine(float8[], float8[]) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'dllb_vector_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_avg(float8[]) RETURNS dllb.vector
	AS 'MODULE_PATHNAME', 'dllb_vector_avg' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.vector_sum(float8[]) RETURNS dllb.vector
	AS 'MODULE_PATHNAME', 'dllb_vector_sum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE dllb.avg(dllb.vector) (
	SFUNC = dllb.vector_accum, STYPE = float8[], FINALFUNC = dllb.vector_avg,
	COMBINEFUNC = dllb.vector_combine, INITCOND = '{0}', PARALLEL = SAFE);
CREATE AGGREGATE dllb.sum(dllb.vector) (
	SFUNC = dllb.vector_accum, STYPE = float8[], FINALFUNC = dllb.vector_sum,
	COMBINEFUNC = dllb.vector_combine, INITCOND = '{0}', PARALLEL = SAFE);
