/*-------------------------------------------------------------------------
 *
 * fuzz_vector.c
 *	  libFuzzer target for the dllb.vector text parser and printer.
 *
 * fuzz-sources: src/vector/vector_text.c
 *
 * Checks, for every input: the parser never reads or writes out of bounds
 * (the output buffer holds exactly maxdim floats); whatever parses has
 * 1..maxdim finite elements and prints to a text form that parses again to
 * the same floats, bit for bit.
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_vector.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <math.h>
#include <stdlib.h>

#include "vector/vector_type.h"

#define FUZZ_MAXDIM 64

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text;
	float	   *out;
	float	   *again;
	int			dim,
				dim2,
				pos,
				i;
	StringInfoData buf;

	if (size > 8192)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	out = malloc(sizeof(float) * FUZZ_MAXDIM);
	if (dllb_vector_parse(text, out, FUZZ_MAXDIM, &dim, &pos) == DLLB_VECTOR_OK)
	{
		if (dim < 1 || dim > FUZZ_MAXDIM)
			abort();
		for (i = 0; i < dim; i++)
			if (isnan(out[i]) || isinf(out[i]))
				abort();
		initStringInfo(&buf);
		dllb_vector_format(out, dim, &buf);
		again = malloc(sizeof(float) * FUZZ_MAXDIM);
		if (dllb_vector_parse(buf.data, again, FUZZ_MAXDIM, &dim2, &pos) != DLLB_VECTOR_OK ||
			dim2 != dim || memcmp(out, again, sizeof(float) * dim) != 0)
		{
			fprintf(stderr, "round trip failed: %s\n", buf.data);
			abort();
		}
		free(again);
		pfree(buf.data);
	}
	else if (pos < 0 || (size_t) pos > size)
		abort();
	free(out);
	free(text);
	return 0;
}
