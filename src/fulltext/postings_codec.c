/*-------------------------------------------------------------------------
 *
 * postings_codec.c
 *	  Encode and decode compressed posting blocks (format in postings.h).
 *
 * Widths are the fewest bits that hold the largest value of each stream;
 * the decoder checks every field against the others (sizes, the last
 * document, the block maximum and minimum), so a damaged block is
 * reported, never read past its end.
 *
 * IDENTIFICATION
 *	  src/fulltext/postings_codec.c
 *
 *-------------------------------------------------------------------------
 */
#include "fulltext/postings.h"

/* ---- bit streams ------------------------------------------------------- */

typedef struct BitWriter
{
	uint8	   *out;
	Size		cap;
	Size		pos;
	uint64		acc;
	int			nacc;
	bool		overflow;
} BitWriter;

static void
bits_put(BitWriter *w, uint64 value, int width)
{
	int			done = 0;

	/* in chunks of at most 32 bits, so acc never holds more than 39 */
	while (done < width)
	{
		int			chunk = Min(32, width - done);
		uint64		part = (value >> done) & ((UINT64CONST(1) << chunk) - 1);

		w->acc |= part << w->nacc;
		w->nacc += chunk;
		done += chunk;
		while (w->nacc >= 8)
		{
			if (w->pos >= w->cap)
				w->overflow = true;
			else
				w->out[w->pos] = (uint8) (w->acc & 0xFF);
			w->pos++;
			w->acc >>= 8;
			w->nacc -= 8;
		}
	}
}

static void
bits_flush(BitWriter *w)
{
	if (w->nacc > 0)
		bits_put(w, 0, 8 - w->nacc);
}

typedef struct BitReader
{
	const uint8 *in;
	Size		len;
	Size		bitpos;
} BitReader;

/*
 * the caller has checked that the bits are there; widths are at most 48,
 * so with the bit offset in the first byte they fit one 64-bit word
 */
static inline uint64
bits_get(BitReader *r, int width)
{
	Size		byte = r->bitpos >> 3;
	uint64		w = 0;

	if (width == 0)
		return 0;
	if (byte + 8 <= r->len)
	{
#ifdef WORDS_BIGENDIAN
		int			k;

		for (k = 0; k < 8; k++)
			w |= (uint64) r->in[byte + k] << (8 * k);
#else
		memcpy(&w, r->in + byte, 8);
#endif
	}
	else
	{
		int			k;

		for (k = 0; k < 8 && byte + k < r->len; k++)
			w |= (uint64) r->in[byte + k] << (8 * k);
	}
	w >>= (r->bitpos & 7);
	r->bitpos += width;
	return w & ((UINT64CONST(1) << width) - 1);
}

static int
width_of(uint64 v)
{
	int			w = 0;

	while (v != 0)
	{
		w++;
		v >>= 1;
	}
	return w;
}

static void
put_le(uint8 *p, uint64 v, int bytes)
{
	int			i;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8) (v >> (8 * i));
}

static uint64
get_le(const uint8 *p, int bytes)
{
	uint64		v = 0;
	int			i;

	for (i = 0; i < bytes; i++)
		v |= (uint64) p[i] << (8 * i);
	return v;
}

static Size
payload_bits(int n, int gw, int tw, int dw)
{
	return (Size) (n - 1) * gw + (Size) n * tw + (Size) n * dw;
}

/* ---- the codec --------------------------------------------------------- */

/*
 * dllb_postings_encode - encode n postings into out (cap bytes); *len
 * receives the block's size.
 */
DllbPostingsError
dllb_postings_encode(const DllbPosting *p, int n, uint8 *out, Size cap, Size *len)
{
	uint64		maxgap = 0;
	uint32		maxtf = 0;
	uint32		maxdl = 0;
	uint32		mindl = PG_UINT32_MAX;
	int			gw,
				tw,
				dw;
	Size		size;
	BitWriter	w;
	int			i;

	if (n < 1 || n > DLLB_POSTINGS_PER_BLOCK)
		return DLLB_POSTINGS_BAD_COUNT;
	for (i = 0; i < n; i++)
	{
		if (p[i].doc > DLLB_POSTINGS_MAX_DOC || p[i].tf == 0)
			return DLLB_POSTINGS_BAD_VALUE;
		if (i > 0)
		{
			if (p[i].doc <= p[i - 1].doc)
				return DLLB_POSTINGS_NOT_ASCENDING;
			maxgap = Max(maxgap, p[i].doc - p[i - 1].doc - 1);
		}
		maxtf = Max(maxtf, p[i].tf);
		maxdl = Max(maxdl, p[i].dl);
		mindl = Min(mindl, p[i].dl);
	}
	gw = width_of(maxgap);
	tw = width_of(maxtf - 1);
	dw = width_of(maxdl);
	size = DLLB_POSTINGS_HEADER + (payload_bits(n, gw, tw, dw) + 7) / 8;
	if (size > cap)
		return DLLB_POSTINGS_NO_ROOM;

	out[0] = (uint8) n;
	out[1] = (uint8) gw;
	out[2] = (uint8) tw;
	out[3] = (uint8) dw;
	put_le(out + 4, p[0].doc, 6);
	put_le(out + 10, p[n - 1].doc, 6);
	put_le(out + 16, maxtf, 4);
	put_le(out + 20, mindl, 4);

	w.out = out + DLLB_POSTINGS_HEADER;
	w.cap = cap - DLLB_POSTINGS_HEADER;
	w.pos = 0;
	w.acc = 0;
	w.nacc = 0;
	w.overflow = false;
	for (i = 1; i < n; i++)
		bits_put(&w, p[i].doc - p[i - 1].doc - 1, gw);
	for (i = 0; i < n; i++)
		bits_put(&w, p[i].tf - 1, tw);
	for (i = 0; i < n; i++)
		bits_put(&w, p[i].dl, dw);
	bits_flush(&w);
	if (w.overflow || DLLB_POSTINGS_HEADER + w.pos != size)
		return DLLB_POSTINGS_NO_ROOM;
	*len = size;
	return DLLB_POSTINGS_OK;
}

/*
 * dllb_postings_info - read and check a block's header; *blocklen
 * receives the whole block's size (the next block starts there).
 */
DllbPostingsError
dllb_postings_info(const uint8 *in, Size len, DllbBlockInfo *info, Size *blocklen)
{
	int			n,
				gw,
				tw,
				dw;
	Size		size;

	if (len < DLLB_POSTINGS_HEADER)
		return DLLB_POSTINGS_TRUNCATED;
	n = in[0];
	gw = in[1];
	tw = in[2];
	dw = in[3];
	if (n < 1 || n > DLLB_POSTINGS_PER_BLOCK)
		return DLLB_POSTINGS_BAD_COUNT;
	if (gw > 48 || tw > 32 || dw > 32)
		return DLLB_POSTINGS_CORRUPT;
	size = DLLB_POSTINGS_HEADER + (payload_bits(n, gw, tw, dw) + 7) / 8;
	if (size > len)
		return DLLB_POSTINGS_TRUNCATED;
	info->n = n;
	info->first_doc = get_le(in + 4, 6);
	info->last_doc = get_le(in + 10, 6);
	info->max_tf = (uint32) get_le(in + 16, 4);
	info->min_dl = (uint32) get_le(in + 20, 4);
	if (info->last_doc < info->first_doc || (n == 1) != (info->last_doc == info->first_doc) ||
		info->max_tf == 0)
		return DLLB_POSTINGS_CORRUPT;
	*blocklen = size;
	return DLLB_POSTINGS_OK;
}

/*
 * dllb_postings_decode - decode a whole block into out (room for 128);
 * *n receives the count.
 */
DllbPostingsError
dllb_postings_decode(const uint8 *in, Size len, DllbPosting *out, int *n)
{
	DllbBlockInfo info;
	DllbPostingsError err;
	Size		size;
	BitReader	r;
	uint32		maxtf = 0;
	uint32		mindl = PG_UINT32_MAX;
	int			gw,
				tw,
				dw;
	int			i;

	err = dllb_postings_info(in, len, &info, &size);
	if (err != DLLB_POSTINGS_OK)
		return err;
	gw = in[1];
	tw = in[2];
	dw = in[3];
	r.in = in + DLLB_POSTINGS_HEADER;
	r.len = size - DLLB_POSTINGS_HEADER;
	r.bitpos = 0;

	out[0].doc = info.first_doc;
	for (i = 1; i < info.n; i++)
	{
		uint64		gap = bits_get(&r, gw);

		if (gap >= DLLB_POSTINGS_MAX_DOC - out[i - 1].doc)
			return DLLB_POSTINGS_CORRUPT;
		out[i].doc = out[i - 1].doc + gap + 1;
	}
	for (i = 0; i < info.n; i++)
	{
		uint64		tf1 = bits_get(&r, tw);

		if (tf1 >= PG_UINT32_MAX)
			return DLLB_POSTINGS_CORRUPT;
		out[i].tf = (uint32) tf1 + 1;
		maxtf = Max(maxtf, out[i].tf);
	}
	for (i = 0; i < info.n; i++)
	{
		out[i].dl = (uint32) bits_get(&r, dw);
		mindl = Min(mindl, out[i].dl);
	}
	if (out[info.n - 1].doc != info.last_doc || maxtf != info.max_tf ||
		mindl != info.min_dl)
		return DLLB_POSTINGS_CORRUPT;
	*n = info.n;
	return DLLB_POSTINGS_OK;
}

const char *
dllb_postings_error(DllbPostingsError err)
{
	switch (err)
	{
		case DLLB_POSTINGS_OK:
			return "no error";
		case DLLB_POSTINGS_BAD_COUNT:
			return "a posting block holds 1 to 128 postings";
		case DLLB_POSTINGS_NOT_ASCENDING:
			return "the documents of a posting block are not strictly ascending";
		case DLLB_POSTINGS_BAD_VALUE:
			return "a posting has a document beyond 48 bits or a term frequency of 0";
		case DLLB_POSTINGS_NO_ROOM:
			return "no room for the posting block";
		case DLLB_POSTINGS_TRUNCATED:
			return "the posting block is truncated";
		case DLLB_POSTINGS_CORRUPT:
			return "the posting block's header disagrees with its contents";
	}
	return "unknown error";
}
