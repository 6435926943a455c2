/*-------------------------------------------------------------------------
 *
 * reactive_exec.c
 *	  Running dllb's own SQL under an identity of dllb's choosing.
 *
 * The reactive layer keeps its state in tables of schema dllb that no
 * other role may read or write (live queries hold their subscribers'
 * settings; change feeds hold the records of every feed's table).  A
 * writer's trigger, or a reader's SHOW CHANGES, reaches them as the owner
 * of schema dllb (the role that created the extension), after checking
 * the caller's own privileges; a live query is evaluated as its
 * subscriber.  Either way the identity change is a security-restricted
 * operation (as a REFRESH MATERIALIZED VIEW runs as the view's owner), and
 * search_path is pinned to pg_catalog, pg_temp for its duration, so no
 * object a caller planted can stand in for one dllb names.
 *
 * IDENTIFICATION
 *	  src/reactive/reactive_exec.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/syscache.h"

#include "nodes/parsenodes.h"
#include "reactive/reactive.h"

/* dllb_reactive_owner - the owner of schema dllb */
Oid
dllb_reactive_owner(void)
{
	Oid			nsp = get_namespace_oid(DLLB_SCHEMA_NAME, false);
	HeapTuple	tup = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nsp));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for schema %u", nsp);
	owner = ((Form_pg_namespace) GETSTRUCT(tup))->nspowner;
	ReleaseSysCache(tup);
	return owner;
}

/* dllb_reactive_rel_owner - the owner of a relation */
Oid
dllb_reactive_rel_owner(Oid relid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/*
 * dllb_reactive_become - act as role until dllb_reactive_unbecome: a
 * security-restricted operation with search_path pg_catalog, pg_temp.
 * An error in between undoes both (the transaction or subtransaction
 * abort restores the user and the settings).
 */
void
dllb_reactive_become(ReactiveAs *as, Oid role)
{
	GetUserIdAndSecContext(&as->saved_user, &as->saved_sec);
	SetUserIdAndSecContext(role, as->saved_sec | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	as->nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
}

void
dllb_reactive_unbecome(ReactiveAs *as)
{
	AtEOXact_GUC(true, as->nestlevel);
	SetUserIdAndSecContext(as->saved_user, as->saved_sec);
}

/*
 * dllb_reactive_plan - the kept plan in *slot, prepared from sql the first
 * time (inside an SPI connection, as the current identity)
 */
SPIPlanPtr
dllb_reactive_plan(SPIPlanPtr *slot, const char *sql, int nargs, const Oid *types)
{
	SPIPlanPtr	plan;

	if (*slot != NULL)
		return *slot;
	plan = SPI_prepare_cursor(sql, nargs, (Oid *) types, CURSOR_OPT_GENERIC_PLAN);
	if (plan == NULL)
		elog(ERROR, "dllb: preparing \"%s\" failed: %s", sql,
			 SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "dllb: keeping a plan failed");
	*slot = plan;
	return plan;
}

/* dllb_reactive_vector_type - the oid of type dllb.vector */
Oid
dllb_reactive_vector_type(void)
{
	Oid			nsp = get_namespace_oid(DLLB_SCHEMA_NAME, false);

	return GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("vector"),
						   ObjectIdGetDatum(nsp));
}
