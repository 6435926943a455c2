/*-------------------------------------------------------------------------
 *
 * translate_tables.c
 *	  dllb's tables as statements see them, and the targets of statements.
 *
 * lookup_table finds a registered table of the current schema with its
 * typed columns (cached per backend, forgotten on any relcache
 * invalidation, as are the index lookups of translate_search.c);
 * target_of reads a statement's targets (tables, record ids, arrays of
 * them, $params holding them).
 *
 * IDENTIFICATION
 *	  src/surql/translate_tables.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/memutils.h"

#include "model/model.h"
#include "surql/translate.h"

/* table_info - a registered table's regclass text and typed columns */
static TableInfo *
table_info(const char *rel)
{
	TableInfo  *ti = palloc0(sizeof(TableInfo));
	Datum		arg[1];
	Oid			types[1] = {TEXTOID};
	uint64		i;

	ti->rel = pstrdup(rel);
	arg[0] = CStringGetTextDatum(rel);
	if (SPI_execute_with_args("SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), "
							  "a.atttypid = 'dllb.vector'::regtype, "
							  "a.atttypid IN ('json'::regtype, 'jsonb'::regtype) "
							  "FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 "
							  "AND NOT a.attisdropped AND a.attname NOT IN ('id', 'data', 'in', 'out') "
							  "ORDER BY a.attnum",
							  1, types, arg, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading the columns of a dllb table failed");
	ti->ncols = (int) SPI_processed;
	ti->cols = palloc(sizeof(char *) * Max(ti->ncols, 1));
	ti->types = palloc(sizeof(char *) * Max(ti->ncols, 1));
	ti->is_vector = palloc(sizeof(bool) * Max(ti->ncols, 1));
	ti->is_json = palloc(sizeof(bool) * Max(ti->ncols, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		ti->cols[i] = SPI_getvalue(tup, desc, 1);
		ti->types[i] = SPI_getvalue(tup, desc, 2);
		ti->is_vector[i] = strcmp(SPI_getvalue(tup, desc, 3), "t") == 0;
		ti->is_json[i] = strcmp(SPI_getvalue(tup, desc, 4), "t") == 0;
	}
	/* the COMPUTED fields DEFINE FIELD kept (definitions.c) */
	if (SPI_execute_with_args("SELECT c.key, c.value FROM jsonb_each_text(dllb.definitions($1::regclass) -> 'computed') AS c "
							  "ORDER BY c.key",
							  1, types, arg, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading the computed fields of a dllb table failed");
	ti->ncomputed = (int) SPI_processed;
	ti->computed_names = palloc(sizeof(char *) * Max(ti->ncomputed, 1));
	ti->computed_exprs = palloc(sizeof(char *) * Max(ti->ncomputed, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		ti->computed_names[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		ti->computed_exprs[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
	}
	return ti;
}

/*
 * Found tables are cached per backend, keyed by schema, name and kind;
 * any relcache invalidation (a table created, altered - define_field adds
 * a column - or dropped) empties the cache.  Tables not found are not
 * cached.  Regclass text is schema-qualified, so a cached entry means the
 * same table under any search_path.
 */
typedef struct TableKey
{
	Oid			nsp;
	char		kind;
	char		name[NAMEDATALEN];
} TableKey;

typedef struct TableEntry
{
	TableKey	key;
	TableInfo  *ti;				/* in table_cxt */
} TableEntry;

static HTAB *table_cache = NULL;
static MemoryContext table_cxt = NULL;

/*
 * The index lookups of translation (the dllb_bm25 index on a field, an
 * HNSW index on a column), cached beside the tables and forgotten with
 * them; key: the lookup's kind and arguments, value: its answer
 */
#define INDEX_KEY_LEN 256

typedef struct IndexEntry
{
	char		key[INDEX_KEY_LEN];
	char	   *value;			/* in table_cxt; NULL: none */
} IndexEntry;

static HTAB *index_cache = NULL;

static void
forget_tables(Datum arg, Oid relid)
{
	if (table_cache != NULL || index_cache != NULL)
	{
		table_cache = NULL;
		index_cache = NULL;
		MemoryContextReset(table_cxt);
	}
}

static void
ensure_table_cxt(void)
{
	if (table_cxt == NULL)
	{
		table_cxt = AllocSetContextCreate(CacheMemoryContext, "dllb.query tables",
										  ALLOCSET_SMALL_SIZES);
		CacheRegisterRelcacheCallback(forget_tables, (Datum) 0);
	}
}

/* a cached index lookup: true and *value (NULL: none) when key is known */
bool
dllb_surql_index_cache_get(const char *key, char **value)
{
	IndexEntry *e;

	if (index_cache == NULL || strlen(key) >= INDEX_KEY_LEN)
		return false;
	e = hash_search(index_cache, key, HASH_FIND, NULL);
	if (e == NULL)
		return false;
	*value = e->value ? pstrdup(e->value) : NULL;
	return true;
}

void
dllb_surql_index_cache_put(const char *key, const char *value)
{
	IndexEntry *e;
	bool		found;

	if (strlen(key) >= INDEX_KEY_LEN)
		return;
	ensure_table_cxt();
	if (index_cache == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = INDEX_KEY_LEN;
		ctl.entrysize = sizeof(IndexEntry);
		ctl.hcxt = table_cxt;
		index_cache = hash_create("dllb.query indexes", 16, &ctl,
								  HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
	e = hash_search(index_cache, key, HASH_ENTER, &found);
	e->value = value ? MemoryContextStrdup(table_cxt, value) : NULL;
}

static TableInfo *
copy_table_info(const TableInfo *ti, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	TableInfo  *c = palloc(sizeof(TableInfo));
	int			i;

	c->rel = pstrdup(ti->rel);
	c->ncols = ti->ncols;
	c->cols = palloc(sizeof(char *) * Max(ti->ncols, 1));
	c->types = palloc(sizeof(char *) * Max(ti->ncols, 1));
	c->is_vector = palloc(sizeof(bool) * Max(ti->ncols, 1));
	c->is_json = palloc(sizeof(bool) * Max(ti->ncols, 1));
	c->is_edge = ti->is_edge;
	c->schemafull = ti->schemafull;
	c->is_subquery = false;
	c->name = ti->name ? pstrdup(ti->name) : NULL;
	c->ncomputed = ti->ncomputed;
	c->computed_names = palloc(sizeof(char *) * Max(ti->ncomputed, 1));
	c->computed_exprs = palloc(sizeof(char *) * Max(ti->ncomputed, 1));
	for (i = 0; i < ti->ncomputed; i++)
	{
		c->computed_names[i] = pstrdup(ti->computed_names[i]);
		c->computed_exprs[i] = pstrdup(ti->computed_exprs[i]);
	}
	for (i = 0; i < ti->ncols; i++)
	{
		c->cols[i] = pstrdup(ti->cols[i]);
		c->types[i] = pstrdup(ti->types[i]);
		c->is_vector[i] = ti->is_vector[i];
		c->is_json[i] = ti->is_json[i];
	}
	MemoryContextSwitchTo(old);
	return c;
}

/*
 * lookup_table - the table name of this kind in the current schema, or
 * NULL: the dialect sees no other relation.
 */
TableInfo *
dllb_surql_lookup_table(const char *name, const char *kind)
{
	Datum		arg[2];
	Oid			types[2] = {TEXTOID, TEXTOID};
	TableKey	key;
	TableEntry *e;
	bool		found;
	TableInfo  *ti;
	int			rc;
	bool		schemafull;

	if (strlen(name) >= NAMEDATALEN)
		return NULL;
	if (table_cache == NULL)
	{
		HASHCTL		ctl;

		ensure_table_cxt();
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(TableKey);
		ctl.entrysize = sizeof(TableEntry);
		ctl.hcxt = table_cxt;
		table_cache = hash_create("dllb.query tables", 64, &ctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	memset(&key, 0, sizeof(key));
	key.nsp = dllb_dialect_namespace();
	key.kind = kind[0];
	strlcpy(key.name, name, NAMEDATALEN);
	e = hash_search(table_cache, &key, HASH_FIND, &found);
	if (found)
	{
		/*
		 * a copy: translation runs SPI queries after this, and an
		 * invalidation they let in empties the cache
		 */
		return copy_table_info(e->ti, CurrentMemoryContext);
	}

	arg[0] = CStringGetTextDatum(name);
	arg[1] = CStringGetTextDatum(kind);
	rc = SPI_execute_with_args("SELECT format('%I.%I', n.nspname, c.relname), t.schemafull "
							   "FROM dllb.tables t JOIN pg_class c ON c.oid = t.tbl "
							   "JOIN pg_namespace n ON n.oid = c.relnamespace "
							   "WHERE t.tbl = to_regclass(format('%I.%I', dllb.dialect_schema(), $1)) "
							   "AND t.kind = $2",
							   2, types, arg, NULL, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "looking up a dllb table failed");
	if (SPI_processed == 0)
		return NULL;
	schemafull = strcmp(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2), "t") == 0;
	ti = table_info(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	ti->is_edge = kind[0] == 'e';
	ti->schemafull = schemafull;
	ti->name = pstrdup(name);
	if (table_cache != NULL && OidIsValid(key.nsp))
	{
		e = hash_search(table_cache, &key, HASH_ENTER, &found);
		e->ti = copy_table_info(ti, table_cxt);
	}
	return ti;
}

/* create_table - the document table, created when missing */
TableInfo *
dllb_surql_create_table(const char *name)
{
	Datum		arg[1];
	Oid			types[1] = {TEXTOID};
	TableInfo  *ti = dllb_surql_lookup_table(name, "document");

	if (ti)
		return ti;
	arg[0] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT dllb.create_table($1)::text", 1, types, arg, NULL,
							  false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "creating a dllb table failed");
	return table_info(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
}

/* dllb_surql_create_edge_table - the edge table, created when missing */
TableInfo *
dllb_surql_create_edge_table(const char *name)
{
	Datum		arg[1];
	Oid			types[1] = {TEXTOID};
	TableInfo  *ti = dllb_surql_lookup_table(name, "edge");

	if (ti)
		return ti;
	arg[0] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT dllb.create_edge_table($1)::text", 1, types, arg, NULL,
							  false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "creating a dllb edge table failed");
	ti = table_info(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	ti->is_edge = true;
	ti->name = pstrdup(name);
	return ti;
}

/*
 * one_target - the table of a table name or record id given as text (a
 * table name has no colon: the first one ends it); *is_record tells which
 */
static char *
one_target(const char *str, bool *is_record)
{
	char	   *t = pstrdup(str);
	char	   *colon = strchr(t, ':');

	*is_record = colon != NULL;
	if (colon)
		*colon = '\0';
	return t;
}

/*
 * add_targets - the tables and record ids of one FROM item: a table name,
 * a record id, an array of record ids, or a $param holding any of these
 * (or, when writes, records - objects with an id - or an array of them);
 * records are appended to recs as JSON strings, and *all set when the
 * item is a whole table
 */
static void
add_targets(const SurqlNode *n, Jsonb *params, List **tables, StringInfo recs, bool *all,
			bool *several, bool writes, bool creates)
{
	char	   *json;
	Jsonb	   *jb;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	bool		is_record;
	int			i;

	if (creates && n->kind == SN_FIELD && n->nitems == 1)
	{
		/* CREATE t, t, t:1: a new record of t each time t is named */
		*tables = lappend(*tables, pstrdup(n->keys[0]));
		appendStringInfoString(recs, recs->len > 1 ? ", {\"new\": " : "{\"new\": ");
		escape_json(recs, n->keys[0]);
		appendStringInfoChar(recs, '}');
		return;
	}
	if ((n->kind == SN_FIELD && n->nitems == 1) || (n->kind == SN_RECORD && n->flag))
	{
		/* a table, or a range of its records (WHERE narrows it: where_sql) */
		*tables = lappend(*tables, pstrdup(n->kind == SN_FIELD ? n->keys[0] : n->str));
		*all = true;
		if (n->kind == SN_RECORD)
			*several = true;
		return;
	}
	if (n->kind == SN_ARRAY)
	{
		for (i = 0; i < n->nitems; i++)
		{
			if (n->items[i]->kind != SN_RECORD && n->items[i]->kind != SN_PARAM &&
				!(creates && n->items[i]->kind == SN_FIELD))
				dllb_surql_unsupported("an array target of anything but record ids");
			add_targets(n->items[i], params, tables, recs, all, several, writes, creates);
		}
		*several = true;
		return;
	}
	if ((n->kind == SN_CALL && !n->flag) || (n->kind == SN_GRAPH && n->a && n->b == NULL))
		json = dllb_surql_eval_json(n, params);	/* type::thing('t', 1), t:1->e->u */
	else if (n->kind != SN_RECORD && n->kind != SN_PARAM)
		dllb_surql_unsupported("this target");
	else
		json = dllb_surql_literal_json(n, params);
	jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
	if (writes && JB_ROOT_IS_OBJECT(jb))
	{
		/* a record (an object with an id, as CREATE returned it): that id */
		JsonbValue *id = getKeyJsonValueFromContainer(&jb->root, "id", 2, NULL);

		if (id && id->type == jbvString)
			jb = JsonbValueToJsonb(id);
	}
	if (!JB_ROOT_IS_SCALAR(jb))
		*several = true;
	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *str;

		if (tok != WJB_ELEM && tok != WJB_VALUE)
			continue;
		if ((writes || n->kind == SN_GRAPH) && tok == WJB_ELEM && v.type == jbvBinary &&
			JsonContainerIsObject(v.val.binary.data))
		{
			/* an array of records (or the edges ->e:a..b reaches): their ids */
			JsonbValue *id = getKeyJsonValueFromContainer(v.val.binary.data, "id", 2, NULL);

			if (id && id->type == jbvString)
				v = *id;
		}
		if (v.type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 n->kind == SN_PARAM ?
					 errmsg("parameter $%s is neither a table name nor a record id", n->str) :
					 errmsg("a target is neither a table name nor a record id"),
					 errdetail("Its value is %s.", json)));
		str = pnstrdup(v.val.string.val, v.val.string.len);
		*tables = lappend(*tables, one_target(str, &is_record));
		if (!is_record)
		{
			*all = true;
			continue;
		}
		appendStringInfoString(recs, recs->len > 1 ? ", " : "");
		escape_json(recs, str);
	}
}

/*
 * target - the table of a statement's targets: a table name, a record
 * id, an array of record ids, a $param holding the text of any of these,
 * or several of them, all in one table.  *record receives NULL (the whole
 * table), one record's JSON text, or a JSON array of records when there
 * are several (only where many is true; in a CREATE of several targets a
 * table name is {"new": "t"}, a new record of t).
 */
const char *
dllb_surql_target_of(const SurqlStmt *s, Jsonb *params, char **record, bool many)
{
	List	   *tables = NIL;
	StringInfoData recs;
	bool		all = false;
	bool		several = s->nfrom > 1;
	ListCell   *lc;
	const char *name;
	int			i;

	initStringInfo(&recs);
	appendStringInfoChar(&recs, '[');
	for (i = 0; i < s->nfrom; i++)
		add_targets(s->from[i], params, &tables, &recs, &all, &several,
					s->kind != SS_SELECT && s->kind != SS_LIVE,
					s->kind == SS_CREATE && (several || s->from[i]->kind == SN_ARRAY));
	appendStringInfoChar(&recs, ']');
	if (tables == NIL)
	{
		/* an empty array: no rows */
		if (!many)
			dllb_surql_unsupported("an empty target");
		*record = NULL;
		return NULL;
	}
	name = linitial(tables);
	foreach(lc, tables)
		if (strcmp((const char *) lfirst(lc), name) != 0)
			dllb_surql_unsupported("targets in more than one table");
	*record = NULL;
	if (all)
		return name;
	if (!several)
	{
		/* one record id: the JSON string itself */
		*record = pnstrdup(recs.data + 1, recs.len - 2);
		return name;
	}
	if (!many)
		dllb_surql_unsupported("several record ids as the target of this statement");
	*record = recs.data;
	return name;
}

const char *
dllb_surql_target(const SurqlStmt *s, Jsonb *params, char **record)
{
	return dllb_surql_target_of(s, params, record, false);
}

/* the table of name, of either kind, or NULL */
TableInfo *
dllb_surql_lookup_any_table(const char *name)
{
	TableInfo  *ti = dllb_surql_lookup_table(name, "document");

	return ti ? ti : dllb_surql_lookup_table(name, "edge");
}

/*
 * view_text - the SurrealQL SELECT of the view called name in the
 * dialect's schema (DEFINE TABLE ... AS SELECT), or NULL
 */
char *
dllb_surql_view_text(const char *name)
{
	Datum		arg[1];
	Oid			types[1] = {TEXTOID};
	bool		isnull;
	Datum		d;

	if (strlen(name) >= NAMEDATALEN)
		return NULL;
	arg[0] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT dllb.view_text(dllb.dialect_schema(), $1)", 1, types, arg,
							  NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "looking up a view failed");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		return NULL;
	return TextDatumGetCString(d);
}
