/*-------------------------------------------------------------------------
 *
 * bm25_query.h
 *	  A full-text query prepared against one dllb_bm25 index: its items,
 *	  its lexemes with their statistics, and cursors over their postings.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_query.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_BM25_QUERY_H
#define DLLB_BM25_QUERY_H

#include "fulltext/bm25.h"

#define BM25_DOC_END	PG_UINT64_MAX

typedef struct Bm25Lexeme
{
	char	   *term;
	int			len;
	uint64		n;				/* documents with it */
	double		idf;
	int			weight;			/* times positive items use it */
	uint32		max_tf;			/* bounds over all its postings */
	uint32		min_dl;
	/* the document being evaluated */
	uint64		at;				/* == that document when present */
	uint32		tf;
	int			npos;
	uint32	   *pos;
} Bm25Lexeme;

typedef struct Bm25QItem
{
	DllbQueryOccur occur;
	DllbQueryKind kind;
	int			nlex;
	int		   *lex;			/* lexeme indexes */
	int		   *qpos;			/* phrase: analyzer positions */
	char	   *prefix;			/* prefix: lowercased */
	int			prefixlen;
} Bm25QItem;

/* one lexeme's postings in one segment, or in the write buffer */
typedef struct Bm25Cursor
{
	int			lex;
	bool		negative;		/* of a -item: checked, never scored */
	/* where the postings are */
	Bm25DictEntry entry;		/* segment (entry.nitems > 0) */
	DllbPosting *mpost;			/* or the write buffer's, in memory */
	int		   *mnpos;
	uint32	  **mpos;
	int			mn;
	/* position */
	Bm25ItemReader reader;
	DllbBlockInfo info;
	const uint8 *block;
	Size		blocklen;
	Size		itemlen;
	bool		decoded;
	bool		posdecoded;
	DllbPosting *post;
	int			npost;
	int			i;
	int		   *npos;
	uint32	  **pos;
	uint64		doc;
	double		ub;				/* bound of its score over the list */
	double		blockub;		/* ... over the current block */
} Bm25Cursor;

typedef struct Bm25Query
{
	Relation	index;
	Bm25Config	cfg;
	double		N;
	double		avgdl;
	Bm25Lexeme *lex;
	int			nlex;
	int			lexcap;
	Bm25QItem  *items;
	int			nitems;
	bool		has_must;
	bool		needpos;		/* a phrase: positions are looked at */
	Bm25Cursor *cur;
	int			ncur;
	int			curcap;
	uint64		eval_dl;
	MemoryContext blockcxt;		/* decoded positions of current blocks */
	bool		started;		/* eval_at_doc: the cursors have been reset once */
	bool		surreal;		/* SurrealDB's variant: idf floored at 0, 1 + ln(tf) */
} Bm25Query;

typedef struct Bm25Hit
{
	uint64		doc;
	double		score;
} Bm25Hit;

extern Bm25Query *dllb_bm25_query_prepare(Relation index, text *query);
extern void dllb_bm25_query_surreal(Bm25Query *q);
extern Bm25Query *dllb_bm25_query_for_text(const Bm25Config *cfg, text *query,
										   const Bm25Doc *doc);
extern void dllb_bm25_query_eval_doc(Bm25Query *q, const Bm25Doc *doc,
									 bool *match, double *score);
extern void dllb_bm25_query_eval_at_doc(Bm25Query *q, Relation index, uint64 doc,
										bool *match, double *score);
extern int	dllb_bm25_topk(Bm25Query *q, Bm25Query **filters, int nfilters, int k,
						   bool bounded, double bound_score, uint64 bound_doc,
						   Bm25Hit *out);
extern void dllb_bm25_hits_heapify(Bm25Hit *h, int n);
extern Bm25Hit dllb_bm25_hits_pop(Bm25Hit *h, int n);
extern int64 dllb_bm25_ranked_all(Bm25Query *q, Bm25Query **filters, int nfilters,
								  bool bounded, double bound_score, uint64 bound_doc,
								  Bm25Hit **out);
extern int64 dllb_bm25_matches(Bm25Query *q, Bm25Query **filters, int nfilters,
							   void (*emit) (uint64 doc, void *arg), void *arg);
extern double dllb_bm25_idf(double N, double n);
extern double dllb_bm25_query_selectivity(const Bm25Query *q);

#endif							/* DLLB_BM25_QUERY_H */
