/*-------------------------------------------------------------------------
 *
 * postings.h
 *	  Compressed posting blocks for the dllb_bm25 index (the codec).
 *
 * A block holds 1..128 postings of one term, documents strictly
 * ascending.  A document is a 48-bit number (the heap TID as block << 16 |
 * offset).  Layout, little-endian:
 *
 *	byte  0		n, the number of postings (1..128)
 *	byte  1		bit width of the document gaps (0..48)
 *	byte  2		bit width of tf - 1 (0..32)
 *	byte  3		bit width of the document lengths (0..32)
 *	bytes 4-9	first document
 *	bytes 10-15 last document
 *	bytes 16-19 largest tf in the block
 *	bytes 20-23 smallest document length in the block
 *	then, bit-packed LSB first: n - 1 gaps (next - previous - 1), n values
 *	of tf - 1, n document lengths
 *
 * The header alone answers "can this block hold documents in [a, b]" and
 * bounds its best BM25 term score, since the term part
 * tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)) grows with tf and falls
 * with dl: block-max WAND skips a block on its header.  Document lengths
 * are exact (not Lucene's one-byte norms), so scores are exact.
 *
 * Pure C without PostgreSQL's memory or error machinery, so the fuzz
 * target builds it on its own.
 *
 * IDENTIFICATION
 *	  src/fulltext/postings.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_POSTINGS_H
#define DLLB_POSTINGS_H

#ifdef FRONTEND
#include "postgres_fe.h"
#else
#include "postgres.h"
#endif

#define DLLB_POSTINGS_PER_BLOCK 128
#define DLLB_POSTINGS_HEADER	24
#define DLLB_POSTINGS_MAX_DOC	((UINT64CONST(1) << 48) - 1)

typedef struct DllbPosting
{
	uint64		doc;			/* 48 bits */
	uint32		tf;				/* >= 1 */
	uint32		dl;				/* tokens in the document */
} DllbPosting;

/* What a block's header says */
typedef struct DllbBlockInfo
{
	int			n;
	uint64		first_doc;
	uint64		last_doc;
	uint32		max_tf;
	uint32		min_dl;
} DllbBlockInfo;

typedef enum DllbPostingsError
{
	DLLB_POSTINGS_OK = 0,
	DLLB_POSTINGS_BAD_COUNT,	/* n outside 1..128 */
	DLLB_POSTINGS_NOT_ASCENDING,	/* documents not strictly ascending */
	DLLB_POSTINGS_BAD_VALUE,	/* document beyond 48 bits, or tf 0 */
	DLLB_POSTINGS_NO_ROOM,		/* output buffer too small */
	DLLB_POSTINGS_TRUNCATED,	/* input shorter than its header says */
	DLLB_POSTINGS_CORRUPT		/* header and contents disagree */
} DllbPostingsError;

/* bytes a block of n postings takes at most */
#define DLLB_POSTINGS_MAX_SIZE(n) \
	(DLLB_POSTINGS_HEADER + (((Size) (n) * (48 + 32 + 32)) + 7) / 8)

extern DllbPostingsError dllb_postings_encode(const DllbPosting *p, int n,
											  uint8 *out, Size cap, Size *len);
extern DllbPostingsError dllb_postings_info(const uint8 *in, Size len,
											DllbBlockInfo *info, Size *blocklen);
extern DllbPostingsError dllb_postings_decode(const uint8 *in, Size len,
											  DllbPosting *out, int *n);
extern const char *dllb_postings_error(DllbPostingsError err);

#endif							/* DLLB_POSTINGS_H */
