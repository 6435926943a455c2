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

-- Operator classes of a filter column, the second key column of a dllb_hnsw
-- index: conditions on it are evaluated inside the graph walk.  Values of
-- bool, int2, int4 and date are their own keys (comparisons work); other
-- types are hashed (equality, rechecked on the row).
CREATE OPERATOR CLASS dllb.bool_filter_ops DEFAULT FOR TYPE bool USING dllb_hnsw AS
	OPERATOR 3 pg_catalog.= (bool, bool);
CREATE OPERATOR CLASS dllb.int2_filter_ops DEFAULT FOR TYPE int2 USING dllb_hnsw AS
	OPERATOR 1 pg_catalog.< (int2, int2), OPERATOR 2 pg_catalog.<= (int2, int2),
	OPERATOR 3 pg_catalog.= (int2, int2), OPERATOR 4 pg_catalog.>= (int2, int2),
	OPERATOR 5 pg_catalog.> (int2, int2);
CREATE OPERATOR CLASS dllb.int4_filter_ops DEFAULT FOR TYPE int4 USING dllb_hnsw AS
	OPERATOR 1 pg_catalog.< (int4, int4), OPERATOR 2 pg_catalog.<= (int4, int4),
	OPERATOR 3 pg_catalog.= (int4, int4), OPERATOR 4 pg_catalog.>= (int4, int4),
	OPERATOR 5 pg_catalog.> (int4, int4);
CREATE OPERATOR CLASS dllb.date_filter_ops DEFAULT FOR TYPE date USING dllb_hnsw AS
	OPERATOR 1 pg_catalog.< (date, date), OPERATOR 2 pg_catalog.<= (date, date),
	OPERATOR 3 pg_catalog.= (date, date), OPERATOR 4 pg_catalog.>= (date, date),
	OPERATOR 5 pg_catalog.> (date, date);
CREATE OPERATOR CLASS dllb.int8_filter_ops DEFAULT FOR TYPE int8 USING dllb_hnsw AS
	OPERATOR 3 pg_catalog.= (int8, int8);
CREATE OPERATOR CLASS dllb.text_filter_ops DEFAULT FOR TYPE text USING dllb_hnsw AS
	OPERATOR 3 pg_catalog.= (text, text);
CREATE OPERATOR CLASS dllb.uuid_filter_ops DEFAULT FOR TYPE uuid USING dllb_hnsw AS
	OPERATOR 3 pg_catalog.= (uuid, uuid);
