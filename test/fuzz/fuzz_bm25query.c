/*-------------------------------------------------------------------------
 *
 * fuzz_bm25query.c
 *	  libFuzzer target for the dllb.bm25query parser and printer.
 *
 * fuzz-sources: src/fulltext/bm25query_parse.c
 *
 * Checks, for every input: no out-of-bounds access; the error position
 * lies inside the input; whatever parses prints to a canonical text that
 * parses to the same items, and printing that again gives the same text.
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_bm25query.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdlib.h>

#include "fulltext/bm25query.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
free_items(DllbQueryItem *items, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		pfree(items[i].text);
	if (items)
		pfree(items);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in;
	DllbQueryItem *items,
			   *again;
	int			n,
				n2,
				pos,
				i;
	StringInfoData out,
				out2;

	if (size > 4096)
		return 0;
	in = malloc(size ? size : 1);
	memcpy(in, data, size);
	if (dllb_bm25query_parse(in, (int) size, &items, &n, &pos) == DLLB_QUERY_OK)
	{
		initStringInfo(&out);
		dllb_bm25query_format(items, n, &out);
		if (dllb_bm25query_parse(out.data, out.len, &again, &n2, &pos) != DLLB_QUERY_OK ||
			n2 != n)
		{
			fprintf(stderr, "canonical form does not parse back: %s\n", out.data);
			abort();
		}
		for (i = 0; i < n; i++)
			if (items[i].occur != again[i].occur || items[i].kind != again[i].kind ||
				strcmp(items[i].text, again[i].text) != 0)
			{
				fprintf(stderr, "item %d changed: %s\n", i, out.data);
				abort();
			}
		initStringInfo(&out2);
		dllb_bm25query_format(again, n2, &out2);
		if (strcmp(out.data, out2.data) != 0)
			abort();
		pfree(out.data);
		pfree(out2.data);
		free_items(again, n2);
	}
	else if (pos < 0 || (size_t) pos > size)
		abort();
	free_items(items, n);
	free(in);
	return 0;
}
