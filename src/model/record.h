/*-------------------------------------------------------------------------
 *
 * record.h
 *	  The dllb.record type: a record id "table:key".
 *
 * A record id names one row of a dialect table: the table's name and a key
 * that is an integer, a string, a uuid, an array or an object.  On disk it is a varlena:
 *
 *	  int32  varlena header
 *	  uint8  key kind (DllbRecordKeyKind)
 *	  uint8  length of the table name in bytes (1..NAMEDATALEN-1)
 *	  char   table name, not terminated
 *	  ...    key: int64 (8 bytes, native order, unaligned), the string's
 *	         bytes (the rest of the datum), or the uuid's 16 bytes
 *
 * The form is canonical (one byte string per value), so equality and
 * hashing work on the bytes; ordering is table name, then key kind
 * (integers before strings before uuids before arrays before objects),
 * then key.  An array or object key ([1, 'a'], { a: 1 }) is stored as its
 * canonical text (record_text.c) and compared as SurrealQL values.
 *
 * The text parser and printer in record_text.c are pure functions that
 * report errors as codes, so they also build frontend-style for the fuzz
 * target; the SQL-callable functions live in record.c and record_funcs.c.
 *
 * IDENTIFICATION
 *	  src/model/record.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_RECORD_H
#define DLLB_RECORD_H

#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

#include "lib/stringinfo.h"

#ifdef FRONTEND
/* The fuzz target builds without postgres.h: a 4-byte varlena header. */
#ifndef VARSIZE
#define VARSIZE(p)			(((const uint32 *) (p))[0] >> 2)
#define SET_VARSIZE(p, len)	(((uint32 *) (p))[0] = ((uint32) (len)) << 2)
#endif
#endif

/* Longest table name: a PostgreSQL identifier. */
#define DLLB_RECORD_MAX_TABLE 63

/* Longest string key, in bytes. */
#define DLLB_RECORD_MAX_KEY (1024 * 1024)

typedef enum DllbRecordKeyKind
{
	DLLB_KEY_INT = 0,
	DLLB_KEY_STRING = 1,
	DLLB_KEY_UUID = 2,
	DLLB_KEY_ARRAY = 3,			/* the key's canonical text, as for strings */
	DLLB_KEY_OBJECT = 4
} DllbRecordKeyKind;

typedef struct DllbRecord
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		kind;			/* DllbRecordKeyKind */
	uint8		tblen;			/* bytes of table name */
	char		data[FLEXIBLE_ARRAY_MEMBER];	/* table name, then key */
} DllbRecord;

#define DLLB_RECORD_HDRSZ offsetof(DllbRecord, data)

/* Accessors. */
#define DllbRecordTable(r)		((r)->data)
#define DllbRecordKey(r)		((r)->data + (r)->tblen)
#define DllbRecordKeyLen(r)		(VARSIZE(r) - DLLB_RECORD_HDRSZ - (r)->tblen)

/* A parsed record id, before it becomes a datum. */
typedef struct DllbRecordParts
{
	const char *table;			/* not terminated */
	int			tblen;
	DllbRecordKeyKind kind;
	int64		ival;			/* DLLB_KEY_INT */
	const char *str;			/* DLLB_KEY_STRING: bytes, not terminated */
	int			strlen;
	unsigned char uuid[16];		/* DLLB_KEY_UUID */
} DllbRecordParts;

/* What went wrong while parsing; DLLB_RECORD_OK when nothing did. */
typedef enum DllbRecordError
{
	DLLB_RECORD_OK = 0,
	DLLB_RECORD_EMPTY,
	DLLB_RECORD_NO_COLON,
	DLLB_RECORD_BAD_TABLE,
	DLLB_RECORD_TABLE_TOO_LONG,
	DLLB_RECORD_EMPTY_KEY,
	DLLB_RECORD_BAD_KEY,
	DLLB_RECORD_INT_RANGE,
	DLLB_RECORD_UNTERMINATED,
	DLLB_RECORD_BAD_UUID,
	DLLB_RECORD_TRAILING,
	DLLB_RECORD_KEY_TOO_LONG
} DllbRecordError;

extern DllbRecordError dllb_record_parse(const char *str, int len,
										 DllbRecordParts *parts,
										 StringInfo scratch);
extern const char *dllb_record_error_message(DllbRecordError err);
extern bool dllb_record_valid_table(const char *name, int len);
extern DllbRecord *dllb_record_build(const DllbRecordParts *parts);
extern void dllb_record_to_parts(const DllbRecord *rec, DllbRecordParts *parts);
extern void dllb_record_format(const DllbRecord *rec, StringInfo out,
							   bool utf8_brackets);
extern void dllb_record_format_key(const DllbRecord *rec, StringInfo out,
								   bool utf8_brackets);
extern int	dllb_record_compare(const DllbRecord *a, const DllbRecord *b);
extern DllbRecordError dllb_record_key_from_json(const char *s, int len, StringInfo out);
extern DllbRecordError dllb_record_key_to_json(const char *s, int len, StringInfo out);
extern int	dllb_record_compare_raw(const uint8 *a, int alen,
									const uint8 *b, int blen);

#endif							/* DLLB_RECORD_H */
