/*-------------------------------------------------------------------------
 *
 * compat.h
 *	  Every PG_VERSION_NUM branch dllb needs, in one place.
 *
 * dllb runs on PostgreSQL 15 and must compile on 16 and 17.  Code outside
 * this header never tests PG_VERSION_NUM: it uses the *_compat names below.
 *
 * IDENTIFICATION
 *	  src/compat.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_COMPAT_H
#define DLLB_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "dllb needs PostgreSQL 15 or later"
#endif

/*
 * Table AM: relation_set_new_filenode (15) became relation_set_new_filelocator
 * (16), taking a RelFileLocator instead of a RelFileNode.
 */
#if PG_VERSION_NUM >= 160000
#define DLLB_RELFILE_TYPE RelFileLocator
#else
#define DLLB_RELFILE_TYPE RelFileNode
#endif

/* stringToQualifiedNameList grew an escontext argument in 16. */
#if PG_VERSION_NUM >= 160000
#define dllb_qualified_name_list(s) stringToQualifiedNameList((s), NULL)
#else
#define dllb_qualified_name_list(s) stringToQualifiedNameList(s)
#endif

/* pg_class_ownercheck became object_ownercheck in 16. */
#if PG_VERSION_NUM >= 160000
#define dllb_rel_ownercheck(relid, role) object_ownercheck(RelationRelationId, (relid), (role))
#else
#define dllb_rel_ownercheck(relid, role) pg_class_ownercheck((relid), (role))
#endif

/* Soft input errors (escontext) exist from 16 on. */
#if PG_VERSION_NUM >= 160000
#define DLLB_HAVE_SOFT_ERRORS 1
#endif

#endif							/* DLLB_COMPAT_H */
