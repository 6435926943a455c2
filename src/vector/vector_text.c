/*-------------------------------------------------------------------------
 *
 * vector_text.c
 *	  Text form of dllb.vector: '[1,2.5,-3]', the same as pgvector's.
 *
 * Grammar: optional white space, '[', one or more numbers separated by
 * ',', ']', optional white space; white space is allowed around every
 * number.  A number is what strtof accepts, except that NaN and infinities
 * (and values that overflow float4) are rejected.  Output uses the
 * shortest decimal form that reads back to the same float4.  Pure
 * functions: errors are codes; the caller raises them.  Builds
 * frontend-style for test/fuzz/fuzz_vector.c.
 *
 * IDENTIFICATION
 *	  src/vector/vector_text.c
 *
 *-------------------------------------------------------------------------
 */
#include "vector/vector_type.h"

#include <errno.h>
#include <math.h>

#include "common/shortest_dec.h"

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * dllb_vector_parse - parse a NUL-terminated text form into out (room for
 * maxdim elements); *dim gets the dimension, *errpos the byte offset of
 * the problem on error.
 */
DllbVectorError
dllb_vector_parse(const char *str, float *out, int maxdim, int *dim, int *errpos)
{
	const char *p = str;
	int			n = 0;

	*dim = 0;
	*errpos = 0;
	while (is_space(*p))
		p++;
	if (*p != '[')
	{
		*errpos = p - str;
		return DLLB_VECTOR_NO_BRACKET;
	}
	p++;
	while (is_space(*p))
		p++;
	if (*p == ']')
	{
		*errpos = p - str;
		return DLLB_VECTOR_EMPTY;
	}
	for (;;)
	{
		char	   *end;
		float		v;

		while (is_space(*p))
			p++;
		if (*p == '\0')
		{
			*errpos = p - str;
			return DLLB_VECTOR_UNTERMINATED;
		}
		/* strtof would also accept hex, "nan" and "inf": decimal only */
		{
			const char *q = p;

			if (*q == '-' || *q == '+')
				q++;
			if (pg_strncasecmp(q, "nan", 3) == 0 || pg_strncasecmp(q, "inf", 3) == 0)
			{
				*errpos = p - str;
				return DLLB_VECTOR_NOT_FINITE;
			}
			if (!(*q == '.' || (*q >= '0' && *q <= '9')) ||
				(q[0] == '0' && (q[1] == 'x' || q[1] == 'X')))
			{
				*errpos = p - str;
				return DLLB_VECTOR_BAD_NUMBER;
			}
		}
		errno = 0;
		v = strtof(p, &end);
		if (end == p)
		{
			*errpos = p - str;
			return DLLB_VECTOR_BAD_NUMBER;
		}
		if (errno == ERANGE && (v == HUGE_VALF || v == -HUGE_VALF))
		{
			*errpos = p - str;
			return DLLB_VECTOR_NOT_FINITE;
		}
		if (isnan(v) || isinf(v))
		{
			*errpos = p - str;
			return DLLB_VECTOR_NOT_FINITE;
		}
		if (n >= maxdim)
		{
			*errpos = p - str;
			return DLLB_VECTOR_TOO_MANY;
		}
		/* underflow to zero or a denormal is fine: keep strtof's value */
		out[n++] = v;
		p = end;
		while (is_space(*p))
			p++;
		if (*p == ',')
		{
			p++;
			continue;
		}
		if (*p == ']')
		{
			p++;
			break;
		}
		*errpos = p - str;
		return *p == '\0' ? DLLB_VECTOR_UNTERMINATED : DLLB_VECTOR_BAD_NUMBER;
	}
	while (is_space(*p))
		p++;
	if (*p != '\0')
	{
		*errpos = p - str;
		return DLLB_VECTOR_TRAILING;
	}
	*dim = n;
	return DLLB_VECTOR_OK;
}

/*
 * dllb_vector_error_message - the user-facing text for a parse error.
 */
const char *
dllb_vector_error_message(DllbVectorError err)
{
	switch (err)
	{
		case DLLB_VECTOR_OK:
			return "no error";
		case DLLB_VECTOR_NO_BRACKET:
			return "a vector starts with \"[\"";
		case DLLB_VECTOR_EMPTY:
			return "a vector must have at least 1 dimension";
		case DLLB_VECTOR_BAD_NUMBER:
			return "expected a number";
		case DLLB_VECTOR_NOT_FINITE:
			return "NaN, infinity and values out of range for real are not allowed in a vector";
		case DLLB_VECTOR_TOO_MANY:
			return "a vector has at most 16000 dimensions";
		case DLLB_VECTOR_TRAILING:
			return "unexpected characters after \"]\"";
		case DLLB_VECTOR_UNTERMINATED:
			return "a vector ends with \"]\"";
	}
	return "unknown error";
}

/*
 * dllb_vector_format - append '[x1,x2,...]' to out, shortest round-trip
 * decimal form of each element.
 */
void
dllb_vector_format(const float *x, int dim, StringInfo out)
{
	char		buf[FLOAT_SHORTEST_DECIMAL_LEN];
	int			i;

	enlargeStringInfo(out, dim * (FLOAT_SHORTEST_DECIMAL_LEN + 1) + 2);
	appendStringInfoChar(out, '[');
	for (i = 0; i < dim; i++)
	{
		if (i > 0)
			appendStringInfoChar(out, ',');
		float_to_shortest_decimal_buf(x[i], buf);
		appendStringInfoString(out, buf);
	}
	appendStringInfoChar(out, ']');
}
