/*-------------------------------------------------------------------------
 *
 * definitions.c
 *	  What DEFINE statements said about a table, kept in its comment.
 *
 * A dialect table's comment is "dllb definitions: " followed by a JSON
 * object of sections: "table" (the DEFINE TABLE text INFO FOR DB shows),
 * "fields" and "indexes" (name: the DEFINE text INFO FOR TABLE shows) and
 * "computed" (field: the canonical text of its COMPUTED expression, which
 * reads of the table evaluate).  Setting it invalidates the table's
 * relcache entry, so every backend's table lookups (translate_tables.c)
 * read it again.
 *
 * IDENTIFICATION
 *	  src/surql/definitions.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/inval.h"

PG_FUNCTION_INFO_V1(dllb_set_definition);

/*
 * dllb.set_definition(tbl regclass, section text, name text, def text):
 * keep def under section.name in the table's definitions (def NULL:
 * forget it; section "table" keeps def as the whole section).  COMMENT ON
 * TABLE runs as the caller, who must own the table.
 */
Datum
dllb_set_definition(PG_FUNCTION_ARGS)
{
	Oid			relid;
	Oid			types[4] = {OIDOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_VOID();
	relid = PG_GETARG_OID(0);
	values[0] = ObjectIdGetDatum(relid);
	values[1] = PG_GETARG_DATUM(1);
	values[2] = PG_GETARG_DATUM(2);
	if (PG_ARGISNULL(3))
		nulls[3] = 'n';
	else
		values[3] = PG_GETARG_DATUM(3);
	SPI_connect();
	if (SPI_execute_with_args(
							  "SELECT pg_catalog.format('COMMENT ON TABLE %s IS %L', $1::pg_catalog.regclass, "
							  "'dllb definitions: ' OPERATOR(pg_catalog.||) (CASE "
							  "WHEN $2 OPERATOR(pg_catalog.=) 'table' THEN "
							  "  pg_catalog.jsonb_set(d, '{table}', coalesce(pg_catalog.to_jsonb($4), 'null'::pg_catalog.jsonb)) "
							  "WHEN $4 IS NULL THEN "
							  "  d OPERATOR(pg_catalog.#-) ARRAY[$2, $3] "
							  "ELSE pg_catalog.jsonb_set(d, ARRAY[$2], coalesce(d OPERATOR(pg_catalog.->) $2, '{}'::pg_catalog.jsonb) "
							  "  OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object($3, $4)) END)::pg_catalog.text) "
							  "FROM (SELECT CASE WHEN c LIKE 'dllb definitions: %' "
							  "THEN pg_catalog.substr(c, 19)::pg_catalog.jsonb ELSE '{}'::pg_catalog.jsonb END AS d "
							  "FROM (SELECT pg_catalog.obj_description($1, 'pg_class') AS c) AS x) AS y",
							  4, types, values, nulls, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "reading the definitions of a table failed");
	if (SPI_execute(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), false, 0) !=
		SPI_OK_UTILITY)
		elog(ERROR, "keeping a definition of a table failed");
	SPI_finish();
	CacheInvalidateRelcacheByRelid(relid);
	PG_RETURN_VOID();
}
