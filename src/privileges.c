/*-------------------------------------------------------------------------
 *
 * privileges.c
 *	  The privilege checks of functions that read an index or a table
 *	  outside a query's own scans, shared by every layer.
 *
 * A query that scans a table is checked by PostgreSQL; a function that a
 * user calls with an index or table OID (dllb.score, the statistics and
 * verify functions, dllb.tableam_invalidate) must check for itself, as
 * PostgreSQL's own functions do.  The rules:
 *	- reading an index's statistics or scoring with them needs SELECT on
 *	  its table, or on every column the index covers (the statistics
 *	  describe the values of those columns in every row);
 *	- checking an index against its table (verify) or changing how a
 *	  table is handled needs ownership of the table, as VACUUM and REINDEX
 *	  do.
 * A bad OID is an ordinary "does not exist" error, never an internal one.
 *
 * IDENTIFICATION
 *	  src/privileges.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/relation.h"
#include "catalog/index.h"
#include "catalog/pg_class.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "nodes/bitmapset.h"
#include "optimizer/optimizer.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "dllb.h"

/*
 * dllb_open_index - open indexoid (AccessShareLock), which must be an
 * index of access method amname; clear errors otherwise
 */
Relation
dllb_open_index(Oid indexoid, const char *amname)
{
	Relation	irel = try_relation_open(indexoid, AccessShareLock);

	if (irel == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", indexoid)));
	if (irel->rd_rel->relkind != RELKIND_INDEX ||
		irel->rd_rel->relam != get_am_oid(amname, true))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a %s index", RelationGetRelationName(irel), amname)));
	return irel;
}

/*
 * dllb_check_index_readable - the current user may read what the index
 * holds: SELECT on its table, or on every column its key and predicate use
 */
void
dllb_check_index_readable(Relation index)
{
	Oid			heap = index->rd_index->indrelid;
	Oid			user = GetUserId();
	Bitmapset  *cols = NULL;
	List	   *exprs;
	int			i;

	if (pg_class_aclcheck(heap, user, ACL_SELECT) == ACLCHECK_OK)
		return;
	for (i = 0; i < index->rd_index->indnatts; i++)
		if (index->rd_index->indkey.values[i] != 0)
			cols = bms_add_member(cols, index->rd_index->indkey.values[i] -
								  FirstLowInvalidHeapAttributeNumber);
	exprs = list_concat(list_copy(RelationGetIndexExpressions(index)),
						RelationGetIndexPredicate(index));
	pull_varattnos((Node *) exprs, 1, &cols);
	i = -1;
	while ((i = bms_next_member(cols, i)) >= 0)
	{
		AttrNumber	att = i + FirstLowInvalidHeapAttributeNumber;

		if (att <= 0 || pg_attribute_aclcheck(heap, att, user, ACL_SELECT) != ACLCHECK_OK)
			aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_TABLE, get_rel_name(heap));
	}
}

/* dllb_check_owner - the current user owns the relation (or is a member of its owner) */
void
dllb_check_owner(Oid relid)
{
	if (!dllb_rel_ownercheck(relid, GetUserId()))
		aclcheck_error(ACLCHECK_NOT_OWNER,
					   get_relkind_objtype(get_rel_relkind(relid)),
					   get_rel_name(relid));
}
