/*-------------------------------------------------------------------------
 *
 * fuzz_record.c
 *	  libFuzzer target for the record id text parser and printer.
 *
 * fuzz-sources: src/model/record_text.c
 *
 * Checks, for every input: the parser never reads out of bounds; whatever
 * parses prints to a text form that parses again to the same value (in
 * both the UTF-8 and the backtick bracket styles).
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_record.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdlib.h>

#include "model/record.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_roundtrip(const DllbRecord *rec, bool utf8)
{
	StringInfoData text;
	StringInfoData scratch;
	DllbRecordParts parts;
	DllbRecord *again;

	initStringInfo(&text);
	initStringInfo(&scratch);
	dllb_record_format(rec, &text, utf8);
	if (dllb_record_parse(text.data, text.len, &parts, &scratch) != DLLB_RECORD_OK)
	{
		fprintf(stderr, "printed form does not parse: %s\n", text.data);
		abort();
	}
	again = dllb_record_build(&parts);
	if (VARSIZE(again) != VARSIZE(rec) || memcmp(again, rec, VARSIZE(rec)) != 0 ||
		dllb_record_compare(again, rec) != 0)
	{
		fprintf(stderr, "round trip changed the value: %s\n", text.data);
		abort();
	}
	pfree(again);
	pfree(text.data);
	pfree(scratch.data);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	StringInfoData scratch;
	DllbRecordParts parts;
	char	   *copy;

	if (size > 4096)
		return 0;
	/* the parser gets exactly size bytes, no terminator, as in the server */
	copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	initStringInfo(&scratch);
	if (dllb_record_parse(copy, (int) size, &parts, &scratch) == DLLB_RECORD_OK)
	{
		DllbRecord *rec = dllb_record_build(&parts);

		check_roundtrip(rec, true);
		check_roundtrip(rec, false);
		pfree(rec);
	}
	pfree(scratch.data);
	free(copy);
	return 0;
}
