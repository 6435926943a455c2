-- src/vector/15_quantize.sql: compact codes of a vector for two-stage
-- searches (vector_quantize.c).  Functions only: operators on bit or
-- bytea in pg_catalog would take over other extensions' operators there.

CREATE FUNCTION dllb.binary_quantize(dllb.vector) RETURNS bit
	AS 'MODULE_PATHNAME', 'dllb_vector_binary_quantize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.binary_quantize(dllb.vector) IS 'one bit a dimension, 1 where the element is positive';
CREATE FUNCTION dllb.hamming_distance(bit, bit) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_bit_hamming_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.jaccard_distance(bit, bit) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_bit_jaccard_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.sq8(dllb.vector) RETURNS bytea
	AS 'MODULE_PATHNAME', 'dllb_vector_sq8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dllb.sq8(dllb.vector) IS '8-bit scalar code: lo, step (float4, network order), one byte a dimension';
CREATE FUNCTION dllb.sq8_decode(bytea) RETURNS dllb.vector
	AS 'MODULE_PATHNAME', 'dllb_sq8_decode' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.sq8_l2_distance(bytea, dllb.vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_sq8_l2_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.sq8_cosine_distance(bytea, dllb.vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_sq8_cosine_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dllb.sq8_negative_inner_product(bytea, dllb.vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'dllb_sq8_negative_inner_product' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
