-- src/tableam/10_tableam.sql: the dllb table access method.

CREATE FUNCTION dllb.tableam_handler(internal) RETURNS table_am_handler
	AS 'MODULE_PATHNAME', 'dllb_tableam_handler' LANGUAGE C STRICT;
CREATE ACCESS METHOD dllb TYPE TABLE HANDLER dllb.tableam_handler;
COMMENT ON ACCESS METHOD dllb IS 'heap storage with key-clustered placement of new tuples';

CREATE FUNCTION dllb.tableam_invalidate(regclass) RETURNS void
	AS 'MODULE_PATHNAME', 'dllb_tableam_invalidate' LANGUAGE C STRICT;
COMMENT ON FUNCTION dllb.tableam_invalidate(regclass) IS 'internal (dllb.cluster_by): every backend re-reads the table''s clustering index; only for the table''s owner';

-- Declare the clustering column of a table: new tuples go next to the
-- tuple with the nearest key in this column.  Uses (or creates) a btree
-- index whose first column is col and marks it with ALTER TABLE ... CLUSTER
-- ON, which pg_dump keeps.
CREATE FUNCTION dllb.cluster_by(tbl regclass, col name) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	att int2;
	idx regclass;
BEGIN
	IF (SELECT a.amname FROM pg_class c JOIN pg_am a ON a.oid = c.relam
	    WHERE c.oid = tbl) IS DISTINCT FROM 'dllb' THEN
		RAISE EXCEPTION 'table % does not use the dllb access method', tbl
			USING ERRCODE = 'wrong_object_type',
			      HINT = 'Create it with CREATE TABLE ... USING dllb, or ALTER TABLE ... SET ACCESS METHOD dllb.';
	END IF;
	SELECT attnum INTO att FROM pg_attribute
	WHERE attrelid = tbl AND attname = col AND attnum > 0 AND NOT attisdropped;
	IF att IS NULL THEN
		RAISE EXCEPTION 'column "%" of table % does not exist', col, tbl
			USING ERRCODE = 'undefined_column';
	END IF;
	SELECT i.indexrelid::regclass INTO idx
	FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
	WHERE i.indrelid = tbl AND i.indkey[0] = att AND i.indisvalid
	  AND c.relam = (SELECT oid FROM pg_am WHERE amname = 'btree')
	ORDER BY i.indnatts, i.indexrelid
	LIMIT 1;
	IF idx IS NULL THEN
		EXECUTE format('CREATE INDEX ON %s (%I)', tbl, col);
		SELECT i.indexrelid::regclass INTO idx
		FROM pg_index i WHERE i.indrelid = tbl AND i.indkey[0] = att
		ORDER BY i.indexrelid DESC LIMIT 1;
	END IF;
	EXECUTE format('ALTER TABLE %s CLUSTER ON %I', tbl,
				   (SELECT relname FROM pg_class WHERE oid = idx));
	PERFORM dllb.tableam_invalidate(tbl);
END $$;
COMMENT ON FUNCTION dllb.cluster_by(regclass, name) IS 'declare the column whose key neighbours new tuples are placed next to';
