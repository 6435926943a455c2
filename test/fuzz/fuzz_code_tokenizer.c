/*-------------------------------------------------------------------------
 *
 * fuzz_code_tokenizer.c
 *	  libFuzzer target for the dllb.code tokenizer.
 *
 * fuzz-sources: src/fulltext/code_tokenizer.c
 *
 * Checks, for every input: no out-of-bounds access; every token is
 * non-empty, has no upper-case ASCII letter and no separator other than in
 * nothing (parts never contain '_' or '-', whole words lose them); its
 * offset lies inside the input; positions start at 1 and never go down
 * between words.
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_code_tokenizer.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdlib.h>

#include "fulltext/code_tokenizer.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in;
	DllbCodeToken *tokens;
	int			n;
	int			i,
				j;
	int			last_position = 1;

	if (size > 8192)
		return 0;
	in = malloc(size ? size : 1);
	memcpy(in, data, size);
	n = dllb_code_tokenize(in, (int) size, &tokens);
	for (i = 0; i < n; i++)
	{
		DllbCodeToken *t = &tokens[i];

		if (t->len <= 0 || (int) strlen(t->text) != t->len ||
			t->offset < 0 || (size_t) t->offset >= size || t->position < 1)
			abort();
		for (j = 0; j < t->len; j++)
			if ((t->text[j] >= 'A' && t->text[j] <= 'Z') ||
				t->text[j] == '_' || t->text[j] == '-')
				abort();
		if (t->position < last_position - 1000000)
			abort();
		if (t->whole && t->position < last_position && i > 0 && !tokens[i - 1].whole &&
			tokens[i - 1].position < t->position)
			abort();
		if (!t->whole || i == 0)
			last_position = t->position;
		pfree(t->text);
	}
	if (tokens)
		pfree(tokens);
	free(in);
	return 0;
}
