/*-------------------------------------------------------------------------
 *
 * record_funcs.c
 *	  Building and taking apart record ids: dllb.tb, dllb.key, dllb.record.
 *
 * IDENTIFICATION
 *	  src/model/record_funcs.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/uuid.h"

#include "model/model.h"
#include "model/record.h"

PG_FUNCTION_INFO_V1(dllb_record_tb);
PG_FUNCTION_INFO_V1(dllb_record_in_table);
PG_FUNCTION_INFO_V1(dllb_record_key);
PG_FUNCTION_INFO_V1(dllb_record_make_jsonb);
PG_FUNCTION_INFO_V1(dllb_record_make_text);
PG_FUNCTION_INFO_V1(dllb_record_make_int8);
PG_FUNCTION_INFO_V1(dllb_record_make_uuid);

/* dllb_record_tb - the table part of a record id. */
Datum
dllb_record_tb(PG_FUNCTION_ARGS)
{
	DllbRecord *rec = PG_GETARG_DLLB_RECORD(0);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(rec->data, rec->tblen));
}

/*
 * dllb_record_in_table - whether a record id is of table t: the bytes
 * compared in place, without copying the record or making text (graph
 * steps check every edge's far end with it)
 */
Datum
dllb_record_in_table(PG_FUNCTION_ARGS)
{
	struct varlena *rec = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	text	   *t = PG_GETARG_TEXT_PP(1);
	const uint8 *r = (const uint8 *) VARDATA_ANY(rec);
	int			rlen = VARSIZE_ANY_EXHDR(rec);
	int			tlen = VARSIZE_ANY_EXHDR(t);

	/* the bytes after the header: kind, table length, table, key */
	PG_RETURN_BOOL(rlen >= 2 && r[1] == tlen && rlen >= 2 + tlen &&
				   memcmp(r + 2, VARDATA_ANY(t), tlen) == 0);
}

/*
 * dllb_record_key - the key as jsonb: a number for integer keys, a string
 * for string keys and for uuids (in their canonical text form).
 */
Datum
dllb_record_key(PG_FUNCTION_ARGS)
{
	DllbRecord *rec = PG_GETARG_DLLB_RECORD(0);
	DllbRecordParts parts;
	JsonbValue	v;

	dllb_record_to_parts(rec, &parts);
	switch (parts.kind)
	{
		case DLLB_KEY_INT:
			v.type = jbvNumeric;
			v.val.numeric = int64_to_numeric(parts.ival);
			break;
		case DLLB_KEY_UUID:
			{
				pg_uuid_t	u;

				memcpy(u.data, parts.uuid, 16);
				v.type = jbvString;
				v.val.string.val = DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(&u)));
				v.val.string.len = strlen(v.val.string.val);
				break;
			}
		case DLLB_KEY_ARRAY:
		case DLLB_KEY_OBJECT:
			{
				/* an array or object of JSON values (records are their strings) */
				StringInfoData json;

				initStringInfo(&json);
				if (dllb_record_key_to_json(parts.str, parts.strlen, &json) != DLLB_RECORD_OK)
					elog(ERROR, "record key is not canonical text");
				PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(json.data)));
			}
		default:
			v.type = jbvString;
			v.val.string.val = (char *) parts.str;
			v.val.string.len = parts.strlen;
			break;
	}
	PG_RETURN_JSONB_P(JsonbValueToJsonb(&v));
}

/* check and point parts at a table name given as text */
static void
set_table(DllbRecordParts *parts, text *tb)
{
	char	   *name = VARDATA_ANY(tb);
	int			len = VARSIZE_ANY_EXHDR(tb);

	if (!dllb_record_valid_table(name, len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid table name \"%s\" for a record id",
						text_to_cstring(tb)),
				 errdetail("A table name has 1 to 63 letters, digits or underscores and does not start with a digit.")));
	parts->table = name;
	parts->tblen = len;
}

/*
 * dllb_record_make_jsonb - dllb.record(tb text, key jsonb): an integral
 * number makes an integer key, a string a string key.
 */
Datum
dllb_record_make_jsonb(PG_FUNCTION_ARGS)
{
	text	   *tb = PG_GETARG_TEXT_PP(0);
	Jsonb	   *key = PG_GETARG_JSONB_P(1);
	DllbRecordParts parts;
	JsonbValue	v;

	memset(&parts, 0, sizeof(parts));
	set_table(&parts, tb);
	if (!JB_ROOT_IS_SCALAR(key))
	{
		/* an array or object key */
		char	   *text = JsonbToCString(NULL, &key->root, VARSIZE(key));
		StringInfoData canon;
		DllbRecordError err;

		initStringInfo(&canon);
		err = dllb_record_key_from_json(text, strlen(text), &canon);
		if (err != DLLB_RECORD_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid record key %s", text),
					 errdetail("%s", dllb_record_error_message(err))));
		parts.kind = JB_ROOT_IS_ARRAY(key) ? DLLB_KEY_ARRAY : DLLB_KEY_OBJECT;
		parts.str = canon.data;
		parts.strlen = canon.len;
		PG_RETURN_POINTER(dllb_record_build(&parts));
	}
	if (!JsonbExtractScalar(&key->root, &v) ||
		(v.type != jbvNumeric && v.type != jbvString))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("record key must be a jsonb integer, string, array or object")));
	if (v.type == jbvString)
	{
		if (v.val.string.len > DLLB_RECORD_MAX_KEY)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("string key is longer than 1 MB")));
		parts.kind = DLLB_KEY_STRING;
		parts.str = v.val.string.val;
		parts.strlen = v.val.string.len;
	}
	else
	{
		Datum		num = NumericGetDatum(v.val.numeric);
		Datum		trunc = DirectFunctionCall2(numeric_trunc, num, Int32GetDatum(0));

		if (!DatumGetBool(DirectFunctionCall2(numeric_eq, num, trunc)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("record key %s is not an integer",
							DatumGetCString(DirectFunctionCall1(numeric_out, num)))));
		parts.kind = DLLB_KEY_INT;
		parts.ival = DatumGetInt64(DirectFunctionCall1(numeric_int8, num));
	}
	PG_RETURN_POINTER(dllb_record_build(&parts));
}

/* dllb_record_make_text - dllb.record(tb text, key text): a string key. */
Datum
dllb_record_make_text(PG_FUNCTION_ARGS)
{
	text	   *tb = PG_GETARG_TEXT_PP(0);
	text	   *key = PG_GETARG_TEXT_PP(1);
	DllbRecordParts parts;

	memset(&parts, 0, sizeof(parts));
	set_table(&parts, tb);
	if (VARSIZE_ANY_EXHDR(key) > DLLB_RECORD_MAX_KEY)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("string key is longer than 1 MB")));
	parts.kind = DLLB_KEY_STRING;
	parts.str = VARDATA_ANY(key);
	parts.strlen = VARSIZE_ANY_EXHDR(key);
	PG_RETURN_POINTER(dllb_record_build(&parts));
}

/* dllb_record_make_int8 - dllb.record(tb text, key bigint). */
Datum
dllb_record_make_int8(PG_FUNCTION_ARGS)
{
	DllbRecordParts parts;

	memset(&parts, 0, sizeof(parts));
	set_table(&parts, PG_GETARG_TEXT_PP(0));
	parts.kind = DLLB_KEY_INT;
	parts.ival = PG_GETARG_INT64(1);
	PG_RETURN_POINTER(dllb_record_build(&parts));
}

/* dllb_record_make_uuid - dllb.record(tb text, key uuid). */
Datum
dllb_record_make_uuid(PG_FUNCTION_ARGS)
{
	DllbRecordParts parts;

	memset(&parts, 0, sizeof(parts));
	set_table(&parts, PG_GETARG_TEXT_PP(0));
	parts.kind = DLLB_KEY_UUID;
	memcpy(parts.uuid, PG_GETARG_UUID_P(1)->data, 16);
	PG_RETURN_POINTER(dllb_record_build(&parts));
}
