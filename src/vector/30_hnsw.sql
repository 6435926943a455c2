-- dllb_hnsw: the HNSW index access method for dllb.vector (see doc/vector.md).

CREATE FUNCTION dllb.hnsw_handler(internal) RETURNS index_am_handler
	AS 'MODULE_PATHNAME', 'dllb_hnsw_handler' LANGUAGE C;
CREATE ACCESS METHOD dllb_hnsw TYPE INDEX HANDLER dllb.hnsw_handler;
COMMENT ON ACCESS METHOD dllb_hnsw IS 'HNSW graph index for nearest-neighbour search on dllb.vector';

CREATE OPERATOR CLASS dllb.vector_l2_ops DEFAULT FOR TYPE dllb.vector USING dllb_hnsw AS
	OPERATOR 1 pg_catalog.<-> (dllb.vector, dllb.vector) FOR ORDER BY pg_catalog.float_ops,
	FUNCTION 1 dllb.l2_distance(dllb.vector, dllb.vector);
CREATE OPERATOR CLASS dllb.vector_cosine_ops FOR TYPE dllb.vector USING dllb_hnsw AS
	OPERATOR 1 pg_catalog.<=> (dllb.vector, dllb.vector) FOR ORDER BY pg_catalog.float_ops,
	FUNCTION 1 dllb.cosine_distance(dllb.vector, dllb.vector);
CREATE OPERATOR CLASS dllb.vector_ip_ops FOR TYPE dllb.vector USING dllb_hnsw AS
	OPERATOR 1 pg_catalog.<#> (dllb.vector, dllb.vector) FOR ORDER BY pg_catalog.float_ops,
	FUNCTION 1 dllb.negative_inner_product(dllb.vector, dllb.vector);

CREATE FUNCTION dllb.hnsw_verify(index regclass,
	OUT "check" text, OUT ok boolean, OUT detail text) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'dllb_hnsw_verify' LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION dllb.hnsw_verify(regclass) IS 'check a dllb_hnsw index''s graph and its agreement with the table';
