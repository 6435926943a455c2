/*-------------------------------------------------------------------------
 *
 * fuzz_postings.c
 *	  libFuzzer target for the posting block codec of dllb_bm25.
 *
 * fuzz-sources: src/fulltext/postings_codec.c
 *
 * Checks, for every input:
 *	- decoding arbitrary bytes never reads past them, and a block that
 *	  decodes encodes again to a block that decodes to the same postings;
 *	- postings made from the input (strictly ascending documents, tf >= 1)
 *	  encode within DLLB_POSTINGS_MAX_SIZE, and decode back equal, with
 *	  the header's first and last document, largest tf and smallest
 *	  document length right.
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_postings.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdlib.h>

#include "fulltext/postings.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what)
{
	fprintf(stderr, "%s\n", what);
	abort();
}

static void
check_same(const DllbPosting *a, int na, const DllbPosting *b, int nb)
{
	int			i;

	if (na != nb)
		fail("different counts");
	for (i = 0; i < na; i++)
		if (a[i].doc != b[i].doc || a[i].tf != b[i].tf || a[i].dl != b[i].dl)
			fail("different postings");
}

static uint64
take(const uint8_t **data, size_t *size, int bytes)
{
	uint64		v = 0;
	int			i;

	for (i = 0; i < bytes && *size > 0; i++)
	{
		v |= (uint64) **data << (8 * i);
		(*data)++;
		(*size)--;
	}
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	DllbPosting in[DLLB_POSTINGS_PER_BLOCK];
	DllbPosting out[DLLB_POSTINGS_PER_BLOCK];
	DllbPosting again[DLLB_POSTINGS_PER_BLOCK];
	uint8		buf[DLLB_POSTINGS_MAX_SIZE(DLLB_POSTINGS_PER_BLOCK)];
	uint8	   *copy;
	Size		len;
	DllbBlockInfo info;
	int			n,
				n2,
				i;
	uint64		doc;

	/* 1: arbitrary bytes as a block (copied so reads past them are caught) */
	copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	if (dllb_postings_decode(copy, size, out, &n) == DLLB_POSTINGS_OK)
	{
		if (dllb_postings_encode(out, n, buf, sizeof(buf), &len) != DLLB_POSTINGS_OK)
			fail("a decoded block does not encode");
		if (dllb_postings_decode(buf, len, again, &n2) != DLLB_POSTINGS_OK)
			fail("a re-encoded block does not decode");
		check_same(out, n, again, n2);
	}
	free(copy);

	/* 2: postings from the bytes */
	n = 1 + (int) (take(&data, &size, 1) % DLLB_POSTINGS_PER_BLOCK);
	doc = take(&data, &size, 6) & DLLB_POSTINGS_MAX_DOC;
	for (i = 0; i < n; i++)
	{
		uint64		gap = take(&data, &size, 1) & 0x80 ? take(&data, &size, 5) : take(&data, &size, 1);

		if (i > 0)
		{
			if (DLLB_POSTINGS_MAX_DOC - doc <= gap)
				break;
			doc += gap + 1;
		}
		in[i].doc = doc;
		in[i].tf = 1 + (uint32) take(&data, &size, 2);
		in[i].dl = (uint32) take(&data, &size, 2) << (take(&data, &size, 1) & 15);
	}
	n = i;
	if (dllb_postings_encode(in, n, buf, sizeof(buf), &len) != DLLB_POSTINGS_OK)
		fail("valid postings do not encode");
	if (len > DLLB_POSTINGS_MAX_SIZE(n))
		fail("block larger than its bound");
	if (dllb_postings_decode(buf, len, out, &n2) != DLLB_POSTINGS_OK)
		fail("an encoded block does not decode");
	check_same(in, n, out, n2);
	if (dllb_postings_info(buf, len, &info, &len) != DLLB_POSTINGS_OK ||
		info.first_doc != in[0].doc || info.last_doc != in[n - 1].doc)
		fail("header documents wrong");
	for (i = 0; i < n; i++)
		if (in[i].tf > info.max_tf || in[i].dl < info.min_dl)
			fail("header bounds wrong");
	/* a truncated block is refused */
	if (len > 0 && dllb_postings_decode(buf, len - 1, out, &n2) == DLLB_POSTINGS_OK)
		fail("a truncated block decodes");
	return 0;
}
