/*-------------------------------------------------------------------------
 *
 * record.c
 *	  SQL-callable I/O, comparison and hashing of dllb.record.
 *
 * The btree and hash operator classes (src/model/record.sql) are built on
 * the functions here.  The value's bytes are canonical, so equality and
 * hashing need no parsing; ordering is dllb_record_compare().
 *
 * IDENTIFICATION
 *	  src/model/record.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "model/model.h"
#include "model/record.h"

PG_FUNCTION_INFO_V1(dllb_record_in);
PG_FUNCTION_INFO_V1(dllb_record_out);
PG_FUNCTION_INFO_V1(dllb_record_recv);
PG_FUNCTION_INFO_V1(dllb_record_send);
PG_FUNCTION_INFO_V1(dllb_record_eq);
PG_FUNCTION_INFO_V1(dllb_record_ne);
PG_FUNCTION_INFO_V1(dllb_record_lt);
PG_FUNCTION_INFO_V1(dllb_record_le);
PG_FUNCTION_INFO_V1(dllb_record_gt);
PG_FUNCTION_INFO_V1(dllb_record_ge);
PG_FUNCTION_INFO_V1(dllb_record_cmp);
PG_FUNCTION_INFO_V1(dllb_record_hash);
PG_FUNCTION_INFO_V1(dllb_record_hash_extended);

/*
 * dllb_record_from_cstring - parse text, raising the parse error if any.
 */
DllbRecord *
dllb_record_from_cstring(const char *str)
{
	DllbRecordParts parts;
	StringInfoData scratch;
	DllbRecordError err;
	DllbRecord *rec;

	initStringInfo(&scratch);
	err = dllb_record_parse(str, strlen(str), &parts, &scratch);
	if (err != DLLB_RECORD_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid record id: \"%s\"", str),
				 errdetail("%s", dllb_record_error_message(err)),
				 errhint("A record id is table:key, as in user:42, user:alice, user:⟨John Smith⟩ or user:u'8c4e...'.")));
	rec = dllb_record_build(&parts);
	pfree(scratch.data);
	return rec;
}

/*
 * dllb_record_to_cstring - the text form of rec.
 */
char *
dllb_record_to_cstring(const DllbRecord *rec)
{
	StringInfoData out;

	initStringInfo(&out);
	dllb_record_format(rec, &out, GetDatabaseEncoding() == PG_UTF8);
	return out.data;
}

/* dllb_record_in - text input. */
Datum
dllb_record_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(dllb_record_from_cstring(PG_GETARG_CSTRING(0)));
}

/* dllb_record_out - text output. */
Datum
dllb_record_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(dllb_record_to_cstring(PG_GETARG_DLLB_RECORD(0)));
}

/*
 * dllb_record_recv - binary input: kind byte, table name length byte,
 * table name, then an int8, the string key as text, or 16 uuid bytes
 * (an array or object key: its canonical text).
 */
Datum
dllb_record_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	DllbRecordParts parts;
	int			kind;
	char	   *table;
	char	   *str = NULL;

	memset(&parts, 0, sizeof(parts));
	kind = pq_getmsgbyte(buf);
	parts.tblen = pq_getmsgbyte(buf);
	table = (char *) pq_getmsgbytes(buf, parts.tblen);
	if (!dllb_record_valid_table(table, parts.tblen))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid table name in binary record id")));
	parts.table = table;
	switch (kind)
	{
		case DLLB_KEY_INT:
			parts.kind = DLLB_KEY_INT;
			parts.ival = pq_getmsgint64(buf);
			break;
		case DLLB_KEY_STRING:
			{
				int			nbytes;

				parts.kind = DLLB_KEY_STRING;
				str = pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);
				if (nbytes > DLLB_RECORD_MAX_KEY)
					ereport(ERROR,
							(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							 errmsg("string key is longer than 1 MB")));
				parts.str = str;
				parts.strlen = nbytes;
				break;
			}
		case DLLB_KEY_UUID:
			parts.kind = DLLB_KEY_UUID;
			memcpy(parts.uuid, pq_getmsgbytes(buf, 16), 16);
			break;
		case DLLB_KEY_ARRAY:
		case DLLB_KEY_OBJECT:
			{
				/* the key's text, parsed again (so made canonical) */
				int			nbytes;
				char	   *key = pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);
				char	   *whole = psprintf("%.*s:%s", parts.tblen, table, key);
				DllbRecord *rec = dllb_record_from_cstring(whole);

				if (rec->kind != kind)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
							 errmsg("binary record id key does not match its kind %d", kind)));
				PG_RETURN_POINTER(rec);
			}
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid key kind %d in binary record id", kind)));
	}
	PG_RETURN_POINTER(dllb_record_build(&parts));
}

/* dllb_record_send - binary output, the layout dllb_record_recv reads. */
Datum
dllb_record_send(PG_FUNCTION_ARGS)
{
	DllbRecord *rec = PG_GETARG_DLLB_RECORD(0);
	DllbRecordParts parts;
	StringInfoData buf;

	dllb_record_to_parts(rec, &parts);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, rec->kind);
	pq_sendbyte(&buf, rec->tblen);
	pq_sendbytes(&buf, rec->data, rec->tblen);
	switch (parts.kind)
	{
		case DLLB_KEY_INT:
			pq_sendint64(&buf, parts.ival);
			break;
		case DLLB_KEY_STRING:
		case DLLB_KEY_ARRAY:
		case DLLB_KEY_OBJECT:
			pq_sendtext(&buf, parts.str, parts.strlen);
			break;
		case DLLB_KEY_UUID:
			pq_sendbytes(&buf, (const char *) parts.uuid, 16);
			break;
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * compare two arguments without copying: values read from disk have short
 * (1-byte) headers, and widening them for every btree comparison would
 * cost two pallocs a comparison
 */
static int
record_cmp_args(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_VARLENA_PP(0);
	struct varlena *b = PG_GETARG_VARLENA_PP(1);
	int			c = dllb_record_compare_raw((const uint8 *) VARDATA_ANY(a),
											VARSIZE_ANY_EXHDR(a),
											(const uint8 *) VARDATA_ANY(b),
											VARSIZE_ANY_EXHDR(b));

	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return c;
}

/* dllb_record_eq - = */
Datum
dllb_record_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(record_cmp_args(fcinfo) == 0);
}

/* dllb_record_ne - <> */
Datum
dllb_record_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(record_cmp_args(fcinfo) != 0);
}

/* dllb_record_lt - < */
Datum
dllb_record_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(record_cmp_args(fcinfo) < 0);
}

/* dllb_record_le - <= */
Datum
dllb_record_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(record_cmp_args(fcinfo) <= 0);
}

/* dllb_record_gt - > */
Datum
dllb_record_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(record_cmp_args(fcinfo) > 0);
}

/* dllb_record_ge - >= */
Datum
dllb_record_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(record_cmp_args(fcinfo) >= 0);
}

/* dllb_record_cmp - btree support function 1 */
Datum
dllb_record_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(record_cmp_args(fcinfo));
}

/* dllb_record_hash - hash support function 1: hash of the canonical bytes */
Datum
dllb_record_hash(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_GETARG_VARLENA_PP(0);
	Datum		h = hash_any((unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));

	PG_FREE_IF_COPY(v, 0);
	return h;
}

/* dllb_record_hash_extended - hash support function 2 */
Datum
dllb_record_hash_extended(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_GETARG_VARLENA_PP(0);
	Datum		h = hash_any_extended((unsigned char *) VARDATA_ANY(v),
									  VARSIZE_ANY_EXHDR(v), PG_GETARG_INT64(1));

	PG_FREE_IF_COPY(v, 0);
	return h;
}
