/*-------------------------------------------------------------------------
 *
 * record_doc.c
 *	  A row of a dllb table as the dialect returns it: one JSON object.
 *
 * The object is the row's data, then its id as a string (table:key), an
 * edge's "in" and out as strings, and each typed column as to_jsonb makes
 * it (a dllb.vector as an array of numbers); a column wins over a key of
 * data with its name, as in the dialect's SELECT *.  Change feeds and
 * events build their records here, from trigger tuples, without a query.
 *
 * IDENTIFICATION
 *	  src/reactive/record_doc.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/jsonb.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "reactive/reactive.h"

typedef enum DocColumn
{
	DOC_SKIP,					/* dropped */
	DOC_DATA,					/* data: its keys */
	DOC_TEXT,					/* id, in, out: the output text, a string */
	DOC_VECTOR,					/* dllb.vector: its text is a JSON array */
	DOC_TO_JSONB				/* anything else: to_jsonb */
} DocColumn;

struct RecordDocState
{
	int			natts;
	DocColumn  *kind;
	FmgrInfo   *fn;				/* output function, or to_jsonb for the type */
};

/*
 * dllb_record_doc_state - how to turn rows of desc into documents; kept
 * in cxt (build it once per table and reuse it)
 */
RecordDocState *
dllb_record_doc_state(TupleDesc desc, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	RecordDocState *st = palloc0(sizeof(RecordDocState));
	Oid			vector = dllb_reactive_vector_type();
	int			i;

	st->natts = desc->natts;
	st->kind = palloc0(sizeof(DocColumn) * Max(desc->natts, 1));
	st->fn = palloc0(sizeof(FmgrInfo) * Max(desc->natts, 1));
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		const char *name = NameStr(att->attname);

		if (att->attisdropped)
			st->kind[i] = DOC_SKIP;
		else if (strcmp(name, "data") == 0 && att->atttypid == JSONBOID)
			st->kind[i] = DOC_DATA;
		else if (strcmp(name, "id") == 0 || strcmp(name, "in") == 0 ||
				 strcmp(name, "out") == 0 || att->atttypid == vector)
		{
			Oid			out;
			bool		varlena;

			st->kind[i] = att->atttypid == vector ? DOC_VECTOR : DOC_TEXT;
			getTypeOutputInfo(att->atttypid, &out, &varlena);
			fmgr_info_cxt(out, &st->fn[i], cxt);
		}
		else
		{
			/* to_jsonb needs the argument's type from its call expression */
			st->kind[i] = DOC_TO_JSONB;
			fmgr_info_cxt(F_TO_JSONB, &st->fn[i], cxt);
			st->fn[i].fn_expr = (Node *)
				makeFuncExpr(F_TO_JSONB, JSONBOID,
							 list_make1(makeNullConst(att->atttypid, att->atttypmod,
													  att->attcollation)),
							 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
		}
	}
	MemoryContextSwitchTo(old);
	return st;
}

/* push the root of a jsonb as one value (a scalar as itself) */
static void
push_jsonb(JsonbParseState **ps, Jsonb *j)
{
	JsonbValue	v;

	if (JB_ROOT_IS_SCALAR(j))
		JsonbExtractScalar(&j->root, &v);
	else
	{
		v.type = jbvBinary;
		v.val.binary.data = &j->root;
		v.val.binary.len = VARSIZE(j) - VARHDRSZ;
	}
	pushJsonbValue(ps, WJB_VALUE, &v);
}

static void
push_key(JsonbParseState **ps, const char *name)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) name;
	k.val.string.len = strlen(name);
	pushJsonbValue(ps, WJB_KEY, &k);
}

/* dllb_record_doc - the document of one row of desc */
Jsonb *
dllb_record_doc(RecordDocState *st, TupleDesc desc, HeapTuple tup)
{
	JsonbParseState *ps = NULL;
	JsonbValue *res;
	int			pass;
	int			i;

	Assert(st->natts == desc->natts);
	pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	/* data's keys first, then the columns, so a column wins a clash */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < st->natts; i++)
		{
			Datum		d;
			bool		isnull;

			if (st->kind[i] == DOC_SKIP || (st->kind[i] == DOC_DATA) != (pass == 0))
				continue;
			d = heap_getattr(tup, i + 1, desc, &isnull);
			if (st->kind[i] == DOC_DATA)
			{
				JsonbIterator *it;
				JsonbValue	v;
				JsonbIteratorToken tok;
				Jsonb	   *data;

				if (isnull)
					continue;
				data = DatumGetJsonbP(d);
				if (!JB_ROOT_IS_OBJECT(data))
					continue;
				it = JsonbIteratorInit(&data->root);
				while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
					if (tok == WJB_KEY || tok == WJB_VALUE)
						pushJsonbValue(&ps, tok, &v);
				continue;
			}
			push_key(&ps, NameStr(TupleDescAttr(desc, i)->attname));
			if (isnull)
			{
				JsonbValue	v;

				v.type = jbvNull;
				pushJsonbValue(&ps, WJB_VALUE, &v);
			}
			else if (st->kind[i] == DOC_TEXT)
			{
				JsonbValue	v;

				v.type = jbvString;
				v.val.string.val = OutputFunctionCall(&st->fn[i], d);
				v.val.string.len = strlen(v.val.string.val);
				pushJsonbValue(&ps, WJB_VALUE, &v);
			}
			else if (st->kind[i] == DOC_VECTOR)
				push_jsonb(&ps, DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
																   CStringGetDatum(OutputFunctionCall(&st->fn[i], d)))));
			else
				push_jsonb(&ps, DatumGetJsonbP(FunctionCall1(&st->fn[i], d)));
		}
	res = pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}

/* dllb_record_id_text - the row's id as text (table:key), or NULL */
char *
dllb_record_id_text(TupleDesc desc, HeapTuple tup)
{
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		Oid			out;
		bool		varlena;
		bool		isnull;
		Datum		d;

		if (att->attisdropped || strcmp(NameStr(att->attname), "id") != 0)
			continue;
		d = heap_getattr(tup, i + 1, desc, &isnull);
		if (isnull)
			return NULL;
		getTypeOutputInfo(att->atttypid, &out, &varlena);
		return OidOutputFunctionCall(out, d);
	}
	return NULL;
}

/*
 * The builders of the tables seen, per backend; a relcache invalidation of
 * a table (a column added, say) drops its builder.  A dropped builder's
 * memory lives until the transaction ends: a caller may still hold it.
 */
typedef struct DocEntry
{
	Oid			relid;			/* hash key */
	MemoryContext cxt;
	RecordDocState *st;
} DocEntry;

static HTAB *doc_cache = NULL;
static List *dead_doc_contexts = NIL;

/* dllb_record_doc_for - the cached builder of rel's rows */
RecordDocState *
dllb_record_doc_for(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	DocEntry   *e;
	bool		found;

	if (doc_cache == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(DocEntry);
		ctl.hcxt = TopMemoryContext;
		doc_cache = hash_create("dllb record builders", 16, &ctl,
								HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	e = hash_search(doc_cache, &relid, HASH_ENTER, &found);
	if (!found || e->st == NULL)
	{
		e->cxt = AllocSetContextCreate(TopMemoryContext, "dllb record builder",
									   ALLOCSET_SMALL_SIZES);
		e->st = dllb_record_doc_state(RelationGetDescr(rel), e->cxt);
	}
	return e->st;
}

void
dllb_record_doc_forget(Oid relid)
{
	HASH_SEQ_STATUS seq;
	DocEntry   *e;

	if (doc_cache == NULL)
		return;
	hash_seq_init(&seq, doc_cache);
	while ((e = hash_seq_search(&seq)) != NULL)
		if ((relid == InvalidOid || e->relid == relid) && e->st != NULL)
		{
			MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

			dead_doc_contexts = lappend(dead_doc_contexts, e->cxt);
			MemoryContextSwitchTo(old);
			e->st = NULL;
			e->cxt = NULL;
		}
}

/* the transaction ended: nobody holds a dropped builder any more */
void
dllb_record_doc_xact_end(void)
{
	ListCell   *lc;

	foreach(lc, dead_doc_contexts)
		MemoryContextDelete((MemoryContext) lfirst(lc));
	list_free(dead_doc_contexts);
	dead_doc_contexts = NIL;
}
