/*-------------------------------------------------------------------------
 *
 * bm25_query.c
 *	  Full-text queries against a dllb_bm25 index: preparing a query (its
 *	  lexemes, their statistics and cursors), evaluating one document,
 *	  top-k by block-max WAND, and every match in document order.
 *
 * Scoring is Lucene's BM25 with exact statistics (see doc/fulltext.md):
 *	idf  = ln(1 + (N - n + 0.5) / (n + 0.5))
 *	part = tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl))
 * summed in query order over the positive items a document matches, so
 * the same document always gets the same bits.
 *
 * Top-k walks the positive lexemes' cursors in document order (WAND):
 * a document is looked at only when the bounds of the lists that can hold
 * it add up past the k-th best score so far, and then only when the
 * bounds of their current blocks (each block header has its largest tf
 * and smallest length) do too.  Ties go to the lower heap TID.
 *
 * IDENTIFICATION
 *	  src/fulltext/bm25_query.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include <math.h>

#include "catalog/pg_collation.h"
#include "utils/builtins.h"
#include "utils/formatting.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "fulltext/bm25_query.h"

/* bounds are made a little looser than the scores they bound */
#define BOUND_SLACK 1.000001

double
dllb_bm25_idf(double N, double n)
{
	return log(1.0 + (N - n + 0.5) / (n + 0.5));
}

static inline double
term_part(const Bm25Query *q, double tf, double dl)
{
	double		k1 = q->cfg.k1;

	if (q->surreal && tf > 0)
		tf = 1.0 + log(tf);		/* SurrealDB's lower-bounded term frequency */
	return tf * (k1 + 1.0) / (tf + k1 * (1.0 - q->cfg.b + q->cfg.b * dl / q->avgdl));
}

/* SurrealDB's idf: ln((N - n + 0.5) / (n + 0.5)), floored at 0 */
static double
surreal_idf(double N, double n)
{
	double		idf = log((N - n + 0.5) / (n + 0.5));

	return idf > 0 ? idf : 0;
}

/* ---- preparing ------------------------------------------------------------ */

static int
find_lexeme(Bm25Query *q, const char *term, int len)
{
	int			i;

	for (i = 0; i < q->nlex; i++)
		if (q->lex[i].len == len && memcmp(q->lex[i].term, term, len) == 0)
			return i;
	return -1;
}

static int
add_lexeme(Bm25Query *q, const char *term, int len)
{
	int			i = find_lexeme(q, term, len);
	Bm25Lexeme *l;

	if (i >= 0)
		return i;
	if (q->nlex == q->lexcap)
	{
		q->lexcap = q->lexcap ? q->lexcap * 2 : 16;
		q->lex = q->lex ? repalloc(q->lex, sizeof(Bm25Lexeme) * q->lexcap)
			: palloc(sizeof(Bm25Lexeme) * q->lexcap);
	}
	l = &q->lex[q->nlex];
	memset(l, 0, sizeof(Bm25Lexeme));
	l->term = pnstrdup(term, len);
	l->len = len;
	l->min_dl = PG_UINT32_MAX;
	l->at = BM25_DOC_END;
	if (q->nlex >= dllb_bm25_max_expansions + 64)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("full-text query has more than %d lexemes",
						dllb_bm25_max_expansions + 64),
				 errhint("Use a longer prefix, or raise dllb.bm25_max_expansions.")));
	return q->nlex++;
}

static void
item_add_lex(Bm25QItem *it, int lex, int qpos)
{
	it->lex = it->lex ? repalloc(it->lex, sizeof(int) * (it->nlex + 1)) : palloc(sizeof(int));
	it->qpos = it->qpos ? repalloc(it->qpos, sizeof(int) * (it->nlex + 1)) : palloc(sizeof(int));
	it->lex[it->nlex] = lex;
	it->qpos[it->nlex] = qpos;
	it->nlex++;
}

static bool
has_prefix(const char *term, int len, const char *prefix, int plen)
{
	return len >= plen && memcmp(term, prefix, plen) == 0;
}

/* the parsed items, with their lexemes as the analyzer makes them */
static void
query_items(Bm25Query *q, text *query, bool for_index)
{
	DllbQueryItem *items;
	int			n;
	int			errpos;
	int			i;

	if (dllb_bm25query_parse_datum(query, &items, &n, &errpos) != DLLB_QUERY_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid full-text query")));
	q->items = palloc0(sizeof(Bm25QItem) * Max(n, 1));
	q->nitems = n;
	for (i = 0; i < n; i++)
	{
		Bm25QItem  *it = &q->items[i];

		it->occur = items[i].occur;
		it->kind = items[i].kind;
		if (it->occur == DLLB_OCCUR_MUST)
			q->has_must = true;
		if (it->kind == DLLB_QUERY_PREFIX)
		{
			it->prefix = str_tolower(items[i].text, strlen(items[i].text), DEFAULT_COLLATION_OID);
			it->prefixlen = strlen(it->prefix);
		}
		else
		{
			DllbLexeme *lx;
			int			nl = dllb_analyze_query(&q->cfg.analyzer, items[i].text,
												strlen(items[i].text), &lx);
			int			j;

			if (it->kind == DLLB_QUERY_PHRASE && nl > 1 && for_index && !q->cfg.positions)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("dllb_bm25 index \"%s\" has no positions, so it cannot match the phrase \"%s\"",
								RelationGetRelationName(q->index), items[i].text),
						 errhint("Recreate the index WITH (positions = on).")));
			for (j = 0; j < nl; j++)
				if (lx[j].len > 0 && lx[j].len <= BM25_MAX_TERM_LEN)
					item_add_lex(it, add_lexeme(q, lx[j].text, lx[j].len), lx[j].position);
			if (it->kind == DLLB_QUERY_PHRASE && it->nlex > 1)
				q->needpos = true;
		}
	}
}

static Bm25Cursor *
new_cursor(Bm25Query *q, int lex)
{
	Bm25Cursor *c;

	if (q->ncur == q->curcap)
	{
		q->curcap = q->curcap ? q->curcap * 2 : 16;
		q->cur = q->cur ? repalloc(q->cur, sizeof(Bm25Cursor) * q->curcap)
			: palloc(sizeof(Bm25Cursor) * q->curcap);
	}
	c = &q->cur[q->ncur++];
	memset(c, 0, sizeof(Bm25Cursor));
	c->lex = lex;
	return c;
}

/* a document's entry for term, or NULL (its terms are sorted) */
static const Bm25DocTerm *
doc_term(const Bm25Doc *doc, const char *term, int len)
{
	int			lo = 0;
	int			hi = doc->nterms - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		const Bm25DocTerm *t = &doc->terms[mid];
		int			c = dllb_bm25_term_cmp(t->term, t->len, term, len);

		if (c == 0)
			return t;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* the write buffer's documents, as cursors of the query's lexemes */
static void
buffer_cursors(Bm25Query *q, const Bm25MetaData *meta)
{
	Bm25Doc    *docs;
	int			ndocs = dllb_bm25_read_buffer(q->index, meta->buf_head, &docs);
	int			i;
	int			d;
	int			nlex_before;

	if (ndocs == 0)
		return;

	/* prefix expansions among the buffered documents' lexemes */
	for (i = 0; i < q->nitems; i++)
	{
		Bm25QItem  *it = &q->items[i];

		if (it->kind != DLLB_QUERY_PREFIX)
			continue;
		for (d = 0; d < ndocs; d++)
		{
			int			k;

			for (k = 0; k < docs[d].nterms; k++)
				if (has_prefix(docs[d].terms[k].term, docs[d].terms[k].len,
							   it->prefix, it->prefixlen) &&
					find_lexeme(q, docs[d].terms[k].term, docs[d].terms[k].len) < 0)
					add_lexeme(q, docs[d].terms[k].term, docs[d].terms[k].len);
		}
	}

	/* documents ascending, then one memory cursor per lexeme present */
	for (d = 1; d < ndocs; d++)
	{
		Bm25Doc		v = docs[d];
		int			m = d - 1;

		while (m >= 0 && docs[m].doc > v.doc)
		{
			docs[m + 1] = docs[m];
			m--;
		}
		docs[m + 1] = v;
	}
	nlex_before = q->nlex;
	for (i = 0; i < nlex_before; i++)
	{
		Bm25Lexeme *l = &q->lex[i];
		Bm25Cursor *c = NULL;

		for (d = 0; d < ndocs; d++)
		{
			const Bm25DocTerm *t = doc_term(&docs[d], l->term, l->len);

			if (t == NULL)
				continue;
			if (c == NULL)
			{
				c = new_cursor(q, i);
				c->mpost = palloc(sizeof(DllbPosting) * ndocs);
				c->mnpos = palloc(sizeof(int) * ndocs);
				c->mpos = palloc(sizeof(uint32 *) * ndocs);
			}
			c->mpost[c->mn].doc = docs[d].doc;
			c->mpost[c->mn].tf = t->tf;
			c->mpost[c->mn].dl = docs[d].dl;
			c->mnpos[c->mn] = t->npos;
			c->mpos[c->mn] = t->pos;
			c->mn++;
			l->n++;
			l->max_tf = Max(l->max_tf, t->tf);
			l->min_dl = Min(l->min_dl, docs[d].dl);
		}
	}
}

/* a segment's cursors: exact lexemes and prefix expansions */
static void
segment_cursors(Bm25Query *q, const Bm25Segment *seg)
{
	int			i;
	int			nexact = q->nlex;

	/* prefix items first: they can add lexemes */
	for (i = 0; i < q->nitems; i++)
	{
		Bm25QItem  *it = &q->items[i];
		Bm25DictReader r;
		Bm25DictEntry e;

		if (it->kind != DLLB_QUERY_PREFIX)
			continue;
		memset(&r, 0, sizeof(r));
		dllb_bm25_dict_begin(&r, q->index,
							 dllb_bm25_dict_find_page(q->index, seg, it->prefix, it->prefixlen));
		while (dllb_bm25_dict_next(&r, &e))
		{
			int			c = dllb_bm25_term_cmp(e.term, e.len, it->prefix, it->prefixlen);

			if (c < 0)
				continue;
			if (!has_prefix(e.term, e.len, it->prefix, it->prefixlen))
				break;
			if (e.df > 0 && find_lexeme(q, e.term, e.len) < 0)
				add_lexeme(q, e.term, e.len);
		}
		pfree(r.page);
	}
	(void) nexact;

	for (i = 0; i < q->nlex; i++)
	{
		Bm25Lexeme *l = &q->lex[i];
		Bm25DictEntry e;
		Bm25Cursor *c;

		if (!dllb_bm25_dict_lookup(q->index, seg, l->term, l->len, &e, NULL) || e.df == 0)
			continue;
		c = new_cursor(q, i);
		c->entry = e;
		l->n += e.df;
		if (e.inl)
		{
			/* a short list: in memory, like the write buffer's */
			Bm25TermPostings tp;
			int			k;

			dllb_bm25_read_term(q->index, &e, q->cfg.positions, &tp);
			c->mpost = tp.postings;
			c->mn = tp.n;
			c->mnpos = tp.npos;
			c->mpos = tp.pos;
			for (k = 0; k < tp.n; k++)
			{
				l->max_tf = Max(l->max_tf, tp.postings[k].tf);
				l->min_dl = Min(l->min_dl, tp.postings[k].dl);
			}
		}
		else
		{
			l->max_tf = Max(l->max_tf, e.max_tf);
			l->min_dl = Min(l->min_dl, e.min_dl);
		}
	}
}

/* prefix items: their lexemes are every expansion found */
static void
expand_prefixes(Bm25Query *q)
{
	int			i;
	int			j;

	for (i = 0; i < q->nitems; i++)
	{
		Bm25QItem  *it = &q->items[i];

		if (it->kind != DLLB_QUERY_PREFIX)
			continue;
		for (j = 0; j < q->nlex; j++)
			if (has_prefix(q->lex[j].term, q->lex[j].len, it->prefix, it->prefixlen))
				item_add_lex(it, j, 0);
	}
}

/* idf and bounds once n is known */
static void
finish_idf(Bm25Query *q)
{
	int			i;

	for (i = 0; i < q->nlex; i++)
		q->lex[i].idf = q->surreal ? surreal_idf(q->N, (double) q->lex[i].n) :
			dllb_bm25_idf(q->N, (double) q->lex[i].n);
	for (i = 0; i < q->ncur; i++)
	{
		Bm25Cursor *c = &q->cur[i];
		Bm25Lexeme *l = &q->lex[c->lex];

		c->negative = (l->weight == 0);
		c->ub = l->weight * l->idf * term_part(q, l->max_tf, l->min_dl) * BOUND_SLACK;
	}
}

/*
 * dllb_bm25_query_surreal - score q as SurrealDB does (the dialect's
 * search::score): idf = ln((N - n + 0.5) / (n + 0.5)) floored at 0, and
 * 1 + ln(tf) in place of tf
 */
void
dllb_bm25_query_surreal(Bm25Query *q)
{
	q->surreal = true;
	finish_idf(q);
}

/* weights, idf and bounds once n is known */
static void
finish_lexemes(Bm25Query *q)
{
	int			i;
	int			j;

	for (i = 0; i < q->nitems; i++)
		if (q->items[i].occur != DLLB_OCCUR_MUST_NOT)
			for (j = 0; j < q->items[i].nlex; j++)
				q->lex[q->items[i].lex[j]].weight++;
	finish_idf(q);
}

/*
 * dllb_bm25_query_prepare - query against index: statistics as of now,
 * cursors over every segment and the write buffer.
 */
Bm25Query *
dllb_bm25_query_prepare(Relation index, text *query)
{
	Bm25Query  *q = palloc0(sizeof(Bm25Query));
	Bm25MetaData *meta = palloc(sizeof(Bm25MetaData));
	int			s;

	q->index = index;
	dllb_bm25_config(index, &q->cfg);
	query_items(q, query, true);
	dllb_bm25_read_meta(index, meta);
	q->N = (double) meta->ndocs;
	q->avgdl = meta->ndocs > 0 ? (double) meta->sumdl / (double) meta->ndocs : 1.0;
	if (q->avgdl <= 0)
		q->avgdl = 1.0;
	q->blockcxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_bm25 block positions",
										ALLOCSET_SMALL_SIZES);
	buffer_cursors(q, meta);
	for (s = 0; s < (int) meta->nsegments; s++)
		segment_cursors(q, &meta->segments[s]);
	/* buffer cursors for expansions found only in segments are not needed:
	 * buffer expansions were collected before the segments were read */
	expand_prefixes(q);
	finish_lexemes(q);
	pfree(meta);
	return q;
}

/*
 * dllb_bm25_query_selectivity - the fraction of the index's documents the
 * prepared query matches, from its lexemes' document counts, taking the
 * items as independent: required items all, else any of the others, and
 * none of the excluded.  A phrase or a term the analyzer splits counts as
 * its rarest lexeme; a prefix as the sum of its expansions.
 */
double
dllb_bm25_query_selectivity(const Bm25Query *q)
{
	double		N = Max(q->N, 1.0);
	double		must = 1.0;
	double		none = 1.0;
	double		excluded = 1.0;
	bool		any = false;
	double		sel;
	int			i;
	int			j;

	for (i = 0; i < q->nitems; i++)
	{
		const Bm25QItem *it = &q->items[i];
		double		p;

		if (it->nlex == 0)
			p = 0;
		else if (it->kind == DLLB_QUERY_PREFIX)
		{
			p = 0;
			for (j = 0; j < it->nlex; j++)
				p += (double) q->lex[it->lex[j]].n / N;
		}
		else
		{
			p = 1.0;
			for (j = 0; j < it->nlex; j++)
				p = Min(p, (double) q->lex[it->lex[j]].n / N);
		}
		p = Min(p, 1.0);
		if (it->occur == DLLB_OCCUR_MUST)
			must *= p;
		else if (it->occur == DLLB_OCCUR_SHOULD)
		{
			none *= 1.0 - p;
			any = true;
		}
		else
			excluded *= 1.0 - p;
	}
	sel = q->has_must ? must : (any ? 1.0 - none : 0.0);
	return sel * excluded;
}

/*
 * dllb_bm25_query_for_text - the query's items over a single document (no
 * index): prefix items expand to the document's lexemes.  Statistics are
 * the caller's.
 */
Bm25Query *
dllb_bm25_query_for_text(const Bm25Config *cfg, text *query, const Bm25Doc *doc)
{
	Bm25Query  *q = palloc0(sizeof(Bm25Query));
	int			i;
	int			k;

	q->cfg = *cfg;
	q->N = 1;
	q->avgdl = 1;
	query_items(q, query, false);
	for (i = 0; i < q->nitems; i++)
		if (q->items[i].kind == DLLB_QUERY_PREFIX)
			for (k = 0; k < doc->nterms; k++)
				if (has_prefix(doc->terms[k].term, doc->terms[k].len,
							   q->items[i].prefix, q->items[i].prefixlen))
					add_lexeme(q, doc->terms[k].term, doc->terms[k].len);
	expand_prefixes(q);
	finish_lexemes(q);
	return q;
}

/* ---- evaluating one document ------------------------------------------------ */

/* do the lexemes of a phrase item occur at consecutive positions? */
static bool
phrase_matches(const Bm25Query *q, const Bm25QItem *it)
{
	const Bm25Lexeme *first = &q->lex[it->lex[0]];
	int			a;
	int			j;

	for (a = 0; a < first->npos; a++)
	{
		bool		all = true;

		for (j = 1; j < it->nlex && all; j++)
		{
			const Bm25Lexeme *l = &q->lex[it->lex[j]];
			uint32		want = first->pos[a] + (it->qpos[j] - it->qpos[0]);
			int			b;

			all = false;
			for (b = 0; b < l->npos; b++)
			{
				if (l->pos[b] == want)
				{
					all = true;
					break;
				}
				if (l->pos[b] > want)
					break;
			}
		}
		if (all)
			return true;
	}
	return false;
}

/*
 * the items over document doc, whose lexemes have their at/tf/npos/pos set
 * and whose length is dl
 */
static void
eval_items(const Bm25Query *q, uint64 doc, double dl, bool *match, double *score)
{
	double		sum = 0;
	bool		any = false;
	int			i;
	int			j;

	*match = false;
	*score = 0;
	for (i = 0; i < q->nitems; i++)
	{
		const Bm25QItem *it = &q->items[i];
		bool		hit;
		double		s = 0;

		if (it->nlex == 0)
		{
			if (it->occur == DLLB_OCCUR_MUST && it->kind == DLLB_QUERY_PREFIX)
				return;			/* a required prefix nothing has */
			continue;			/* stop words only: no constraint */
		}
		if (it->kind == DLLB_QUERY_PHRASE && it->nlex > 1)
		{
			hit = true;
			for (j = 0; j < it->nlex && hit; j++)
				hit = (q->lex[it->lex[j]].at == doc);
			if (hit)
				hit = phrase_matches(q, it);
		}
		else
		{
			hit = false;
			for (j = 0; j < it->nlex; j++)
				if (q->lex[it->lex[j]].at == doc)
					hit = true;
		}
		if (it->occur == DLLB_OCCUR_MUST_NOT)
		{
			if (hit)
				return;
			continue;
		}
		if (!hit)
		{
			if (it->occur == DLLB_OCCUR_MUST)
				return;
			continue;
		}
		for (j = 0; j < it->nlex; j++)
		{
			const Bm25Lexeme *l = &q->lex[it->lex[j]];

			if (l->at == doc)
				s += l->idf * term_part(q, l->tf, dl);
		}
		sum += s;
		any = true;
	}
	*match = any;
	*score = sum;
}

/*
 * dllb_bm25_query_eval_doc - does doc match q (prepared by query_for_text or
 * against an index), and its score with q's statistics.
 */
void
dllb_bm25_query_eval_doc(Bm25Query *q, const Bm25Doc *doc, bool *match, double *score)
{
	int			i;

	for (i = 0; i < q->nlex; i++)
	{
		Bm25Lexeme *l = &q->lex[i];
		const Bm25DocTerm *t = doc_term(doc, l->term, l->len);

		l->at = BM25_DOC_END;
		if (t)
		{
			l->at = 0;
			l->tf = t->tf;
			l->npos = t->npos;
			l->pos = t->pos;
		}
	}
	eval_items(q, 0, doc->dl, match, score);
}

/* ---- cursors ------------------------------------------------------------------- */

static void
cursor_corrupt(Bm25Query *q, DllbPostingsError err)
{
	ereport(ERROR,
			(errcode(ERRCODE_INDEX_CORRUPTED),
			 errmsg("dllb_bm25 index \"%s\": %s",
					RelationGetRelationName(q->index), dllb_postings_error(err))));
}

static void
block_bound(Bm25Query *q, Bm25Cursor *c)
{
	Bm25Lexeme *l = &q->lex[c->lex];

	c->blockub = l->weight * l->idf * term_part(q, c->info.max_tf, c->info.min_dl) * BOUND_SLACK;
}

/*
 * the next block's header; the cursor is then at its first document (not
 * yet decoded).  False, and doc END, when there is none.
 */
static bool
cursor_next_block(Bm25Query *q, Bm25Cursor *c)
{
	DllbPostingsError err;

	c->decoded = false;
	c->posdecoded = false;
	if (c->mpost || !dllb_bm25_items_next(&c->reader, &c->block, &c->itemlen))
	{
		c->doc = BM25_DOC_END;
		c->info.last_doc = BM25_DOC_END;
		c->info.first_doc = BM25_DOC_END;
		return false;
	}
	err = dllb_postings_info(c->block, c->itemlen, &c->info, &c->blocklen);
	if (err != DLLB_POSTINGS_OK)
		cursor_corrupt(q, err);
	block_bound(q, c);
	c->doc = c->info.first_doc;
	return true;
}

static void
cursor_decode(Bm25Query *q, Bm25Cursor *c)
{
	DllbPostingsError err;

	if (c->decoded)
		return;
	err = dllb_postings_decode(c->block, c->blocklen, c->post, &c->npost);
	if (err != DLLB_POSTINGS_OK || c->npost == 0 || c->post[0].doc != c->info.first_doc)
		cursor_corrupt(q, err == DLLB_POSTINGS_OK ? DLLB_POSTINGS_CORRUPT : err);
	c->decoded = true;
	c->i = 0;
}

/* start (again) at the first posting */
static void
cursor_reset(Bm25Query *q, Bm25Cursor *c)
{
	c->posdecoded = false;
	if (c->mpost)
	{
		int			k;

		c->post = c->mpost;
		c->npost = c->mn;
		c->decoded = true;
		c->i = 0;
		c->info.first_doc = c->mpost[0].doc;
		c->info.last_doc = c->mpost[c->mn - 1].doc;
		c->info.max_tf = 0;
		c->info.min_dl = PG_UINT32_MAX;
		for (k = 0; k < c->mn; k++)
		{
			c->info.max_tf = Max(c->info.max_tf, c->mpost[k].tf);
			c->info.min_dl = Min(c->info.min_dl, c->mpost[k].dl);
		}
		block_bound(q, c);
		c->doc = c->mpost[0].doc;
		return;
	}
	if (c->post == NULL)
	{
		c->post = palloc(sizeof(DllbPosting) * DLLB_POSTINGS_PER_BLOCK);
		c->npos = palloc(sizeof(int) * DLLB_POSTINGS_PER_BLOCK);
		c->pos = palloc(sizeof(uint32 *) * DLLB_POSTINGS_PER_BLOCK);
	}
	dllb_bm25_items_begin(&c->reader, q->index, &c->entry);
	cursor_next_block(q, c);
}

/* the first posting >= target */
static void
cursor_seek(Bm25Query *q, Bm25Cursor *c, uint64 target)
{
	while (c->doc < target)
	{
		if (c->info.last_doc < target)
		{
			if (!cursor_next_block(q, c))
				return;
			continue;
		}
		cursor_decode(q, c);
		while (c->i < c->npost && c->post[c->i].doc < target)
			c->i++;
		if (c->i < c->npost)
		{
			c->doc = c->post[c->i].doc;
			return;
		}
		if (!cursor_next_block(q, c))
			return;
	}
}

static void
cursor_next(Bm25Query *q, Bm25Cursor *c)
{
	if (c->doc == BM25_DOC_END)
		return;
	cursor_decode(q, c);
	c->i++;
	if (c->i < c->npost)
		c->doc = c->post[c->i].doc;
	else
		cursor_next_block(q, c);
}

/* move to the block that may hold target, reading headers only */
static void
cursor_shallow(Bm25Query *q, Bm25Cursor *c, uint64 target)
{
	while (c->info.last_doc < target)
		if (!cursor_next_block(q, c))
			return;
}

/* this cursor's posting at its document into its lexeme's scratch */
static void
cursor_publish(Bm25Query *q, Bm25Cursor *c, uint64 doc)
{
	Bm25Lexeme *l = &q->lex[c->lex];
	DllbPosting *p;

	cursor_decode(q, c);
	p = &c->post[c->i];
	Assert(p->doc == doc);
	l->at = doc;
	l->tf = p->tf;
	q->eval_dl = p->dl;
	l->npos = 0;
	l->pos = NULL;
	if (!q->needpos)
		return;
	if (c->mpost)
	{
		l->npos = c->mnpos[c->i];
		l->pos = c->mpos[c->i];
		return;
	}
	if (!c->posdecoded)
	{
		MemoryContext old = MemoryContextSwitchTo(q->blockcxt);

		dllb_bm25_item_positions(c->block + c->blocklen, c->itemlen - c->blocklen,
								 c->npost, c->npos, c->pos);
		MemoryContextSwitchTo(old);
		c->posdecoded = true;
	}
	l->npos = c->npos[c->i];
	l->pos = c->pos[c->i];
}

/* free decoded positions now and then (they are decoded again on demand) */
static void
trim_positions(Bm25Query *q)
{
	int			i;

	if (!q->needpos)
		return;
	MemoryContextReset(q->blockcxt);
	for (i = 0; i < q->ncur; i++)
		q->cur[i].posdecoded = false;
}

/* evaluate q at doc: move every cursor still before it there first */
static void
eval_at(Bm25Query *q, uint64 doc, bool *match, double *score)
{
	int			i;

	for (i = 0; i < q->nlex; i++)
		q->lex[i].at = BM25_DOC_END;
	q->eval_dl = 0;
	for (i = 0; i < q->ncur; i++)
	{
		Bm25Cursor *c = &q->cur[i];

		if (c->doc < doc)
			cursor_seek(q, c, doc);
		if (c->doc == doc)
			cursor_publish(q, c, doc);
	}
	if (q->eval_dl == 0)
	{
		*match = false;
		*score = 0;
		return;
	}
	eval_items(q, doc, (double) q->eval_dl, match, score);
}

static bool
filters_match(Bm25Query **filters, int nfilters, uint64 doc)
{
	int			f;

	for (f = 0; f < nfilters; f++)
	{
		bool		m;
		double		s;

		eval_at(filters[f], doc, &m, &s);
		if (!m)
			return false;
	}
	return true;
}

static void
reset_all(Bm25Query *q)
{
	int			i;

	trim_positions(q);
	for (i = 0; i < q->ncur; i++)
		cursor_reset(q, &q->cur[i]);
}

/*
 * dllb_bm25_query_eval_at_doc - q's match and score of the indexed document
 * doc, read from the postings rather than from its text: each cursor moves
 * forward to doc, and one already past it starts again from its first
 * posting, so documents asked for in increasing order cost one pass over
 * the lists.  index is the open index q was prepared against (it may be
 * another Relation pointer than at the last call: the cursors only read
 * copies of pages, and take it anew).
 */
void
dllb_bm25_query_eval_at_doc(Bm25Query *q, Relation index, uint64 doc,
							bool *match, double *score)
{
	int			i;

	q->index = index;
	if (!q->started)
	{
		reset_all(q);
		q->started = true;
	}
	else
		trim_positions(q);		/* positions decoded for earlier documents */
	for (i = 0; i < q->ncur; i++)
	{
		Bm25Cursor *c = &q->cur[i];

		c->reader.index = index;
		if (c->doc > doc && (c->mpost || c->entry.nitems > 0))
		{
			c->posdecoded = false;
			cursor_reset(q, c);
		}
	}
	eval_at(q, doc, match, score);
	if (!*match)
		*score = 0;
}

/* ---- top-k ---------------------------------------------------------------------- */

/* is a worse than b (lower score, or equal score and higher document)? */
static inline bool
hit_worse(const Bm25Hit *a, const Bm25Hit *b)
{
	return a->score < b->score || (a->score == b->score && a->doc > b->doc);
}

/*
 * heaps of hits: top-k keeps the worst on top (to replace it), a scan
 * handing out every match keeps the best on top (to pop it)
 */
static inline bool
hit_above(const Bm25Hit *a, const Bm25Hit *b, bool best_on_top)
{
	return best_on_top ? hit_worse(b, a) : hit_worse(a, b);
}

static void
heap_sift_down(Bm25Hit *h, int n, int i, bool best_on_top)
{
	for (;;)
	{
		int			l = 2 * i + 1;
		int			r = l + 1;
		int			w = i;
		Bm25Hit		t;

		if (l < n && hit_above(&h[l], &h[w], best_on_top))
			w = l;
		if (r < n && hit_above(&h[r], &h[w], best_on_top))
			w = r;
		if (w == i)
			return;
		t = h[i];
		h[i] = h[w];
		h[w] = t;
		i = w;
	}
}

/* dllb_bm25_hits_heapify - order h[0..n) as a heap, the best on top */
void
dllb_bm25_hits_heapify(Bm25Hit *h, int n)
{
	int			i;

	for (i = n / 2 - 1; i >= 0; i--)
		heap_sift_down(h, n, i, true);
}

/* dllb_bm25_hits_pop - the best of the n in the heap; it then holds n - 1 */
Bm25Hit
dllb_bm25_hits_pop(Bm25Hit *h, int n)
{
	Bm25Hit		top = h[0];

	h[0] = h[n - 1];
	heap_sift_down(h, n - 1, 0, true);
	return top;
}

static void
heap_sift_up(Bm25Hit *h, int i)
{
	while (i > 0)
	{
		int			p = (i - 1) / 2;
		Bm25Hit		t;

		if (!hit_worse(&h[i], &h[p]))
			return;
		t = h[i];
		h[i] = h[p];
		h[p] = t;
		i = p;
	}
}

static int
hit_order(const void *a, const void *b)
{
	const Bm25Hit *x = a;
	const Bm25Hit *y = b;

	if (hit_worse(x, y))
		return 1;
	if (hit_worse(y, x))
		return -1;
	return 0;
}

/*
 * dllb_bm25_topk - the best k matches of q (that every filter matches too),
 * best first, into out; with bounded, only documents ranked after
 * (bound_score, bound_doc).  Returns how many.
 */
int
dllb_bm25_topk(Bm25Query *q, Bm25Query **filters, int nfilters, int k, bool bounded,
			   double bound_score, uint64 bound_doc, Bm25Hit *out)
{
	Bm25Cursor **P;
	int			np = 0;
	int			nheap = 0;
	double		theta = -1;
	int			i;
	int			f;
	uint32		rounds = 0;

	reset_all(q);
	for (f = 0; f < nfilters; f++)
		reset_all(filters[f]);
	P = palloc(sizeof(Bm25Cursor *) * Max(q->ncur, 1));
	for (i = 0; i < q->ncur; i++)
		if (!q->cur[i].negative)
			P[np++] = &q->cur[i];

	for (;;)
	{
		int			pivot = -1;
		double		acc = 0;
		uint64		p;
		double		bsum;
		uint64		next;

		CHECK_FOR_INTERRUPTS();
		if ((++rounds & 4095) == 0)
			trim_positions(q);
		/* by document (insertion sort: mostly in order already) */
		for (i = 1; i < np; i++)
		{
			Bm25Cursor *v = P[i];
			int			m = i - 1;

			while (m >= 0 && P[m]->doc > v->doc)
			{
				P[m + 1] = P[m];
				m--;
			}
			P[m + 1] = v;
		}
		for (i = 0; i < np && P[i]->doc != BM25_DOC_END; i++)
		{
			acc += P[i]->ub;
			if (acc > theta)
			{
				pivot = i;
				break;
			}
		}
		if (pivot < 0)
			break;
		p = P[pivot]->doc;
		while (pivot + 1 < np && P[pivot + 1]->doc == p)
			pivot++;

		/* the current blocks' bounds */
		bsum = 0;
		next = (pivot + 1 < np) ? P[pivot + 1]->doc : BM25_DOC_END;
		for (i = 0; i <= pivot; i++)
		{
			cursor_shallow(q, P[i], p);
			if (P[i]->info.first_doc == BM25_DOC_END && P[i]->info.last_doc == BM25_DOC_END)
				continue;
			if (P[i]->info.first_doc <= p)
			{
				bsum += P[i]->blockub;
				next = Min(next, P[i]->info.last_doc + 1);
			}
			else
				next = Min(next, P[i]->info.first_doc);
		}
		if (bsum <= theta)
		{
			for (i = 0; i <= pivot; i++)
				cursor_seek(q, P[i], next);
			continue;
		}
		if (P[0]->doc == p)
		{
			bool		match;
			double		score;

			eval_at(q, p, &match, &score);
			if (match && (!bounded || score < bound_score ||
						  (score == bound_score && p > bound_doc)) &&
				(nheap < k || score > theta) &&
				(nfilters == 0 || filters_match(filters, nfilters, p)))
			{
				Bm25Hit		h;

				h.doc = p;
				h.score = score;
				if (nheap < k)
				{
					out[nheap] = h;
					heap_sift_up(out, nheap);
					nheap++;
				}
				else
				{
					out[0] = h;
					heap_sift_down(out, nheap, 0, false);
				}
				if (nheap == k)
					theta = out[0].score;
			}
			for (i = 0; i <= pivot; i++)
				cursor_next(q, P[i]);
		}
		else
		{
			for (i = 0; i < pivot && P[i]->doc < p; i++)
				cursor_seek(q, P[i], p);
		}
	}
	pfree(P);
	qsort(out, nheap, sizeof(Bm25Hit), hit_order);
	return nheap;
}

/*
 * walk_matches - every document q and all filters match, ascending, with
 * its score, to take; returns how many.
 */
/*
 * Is q a plain OR of words (each a single lexeme, no +, -, phrase or
 * prefix)?  Then a document matches exactly when some cursor holds it,
 * and its matches need no evaluation (a bitmap wants no scores).
 */
static bool
union_query(const Bm25Query *q)
{
	int			i;

	if (q->has_must || q->needpos || q->nitems == 0)
		return false;
	for (i = 0; i < q->nitems; i++)
		if (q->items[i].occur != DLLB_OCCUR_SHOULD || q->items[i].kind != DLLB_QUERY_TERM ||
			q->items[i].nlex != 1)
			return false;
	for (i = 0; i < q->ncur; i++)
		if (q->cur[i].negative)
			return false;
	return true;
}

/* every document of a union query, once each, in order */
static int64
walk_union(Bm25Query *q, void (*emit) (uint64 doc, void *arg), void *arg)
{
	int64		n = 0;

	reset_all(q);
	for (;;)
	{
		uint64		d = BM25_DOC_END;
		int			i;

		for (i = 0; i < q->ncur; i++)
			if (q->cur[i].doc < d)
				d = q->cur[i].doc;
		if (d == BM25_DOC_END)
			break;
		if ((++n & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		emit(d, arg);
		for (i = 0; i < q->ncur; i++)
			if (q->cur[i].doc == d)
				cursor_next(q, &q->cur[i]);
	}
	return n;
}

static int64
walk_matches(Bm25Query *q, Bm25Query **filters, int nfilters,
			 void (*take) (uint64 doc, double score, void *arg), void *arg)
{
	int64		n = 0;
	int			f;

	reset_all(q);
	for (f = 0; f < nfilters; f++)
		reset_all(filters[f]);
	for (;;)
	{
		uint64		d = BM25_DOC_END;
		int			i;
		bool		match;
		double		score;

		CHECK_FOR_INTERRUPTS();
		for (i = 0; i < q->ncur; i++)
			if (!q->cur[i].negative && q->cur[i].doc < d)
				d = q->cur[i].doc;
		if (d == BM25_DOC_END)
			break;
		eval_at(q, d, &match, &score);
		if (match && (nfilters == 0 || filters_match(filters, nfilters, d)))
		{
			take(d, score, arg);
			n++;
		}
		for (i = 0; i < q->ncur; i++)
			if (!q->cur[i].negative && q->cur[i].doc == d)
				cursor_next(q, &q->cur[i]);
		if ((n & 1023) == 0)
			trim_positions(q);
	}
	return n;
}

typedef struct EmitArg
{
	void		(*emit) (uint64 doc, void *arg);
	void	   *arg;
} EmitArg;

static void
take_emit(uint64 doc, double score, void *arg)
{
	EmitArg    *e = (EmitArg *) arg;

	e->emit(doc, e->arg);
}

/*
 * dllb_bm25_matches - every document q and all filters match, ascending,
 * to emit.  Returns how many.
 */
int64
dllb_bm25_matches(Bm25Query *q, Bm25Query **filters, int nfilters,
				  void (*emit) (uint64 doc, void *arg), void *arg)
{
	EmitArg		e;

	if (nfilters == 0 && union_query(q))
		return walk_union(q, emit, arg);
	e.emit = emit;
	e.arg = arg;
	return walk_matches(q, filters, nfilters, take_emit, &e);
}

typedef struct RankedArg
{
	bool		bounded;
	double		bound_score;
	uint64		bound_doc;
	Bm25Hit    *hits;
	int64		n;
	int64		cap;
} RankedArg;

static void
take_ranked(uint64 doc, double score, void *arg)
{
	RankedArg  *r = (RankedArg *) arg;

	if (r->bounded && !(score < r->bound_score ||
						(score == r->bound_score && doc > r->bound_doc)))
		return;
	if (r->n == r->cap)
	{
		r->cap *= 2;
		r->hits = repalloc_huge(r->hits, sizeof(Bm25Hit) * r->cap);
	}
	r->hits[r->n].doc = doc;
	r->hits[r->n].score = score;
	r->n++;
}

/*
 * dllb_bm25_ranked_all - every match of q (and the filters) ranked after
 * (bound_score, bound_doc) when bounded, in *out (palloc'd, in document
 * order: the caller orders what it hands out).  For a scan whose executor
 * keeps wanting more (a selective condition outside the index): one pass
 * that scores every match costs less than ever bigger top-k passes.
 */
int64
dllb_bm25_ranked_all(Bm25Query *q, Bm25Query **filters, int nfilters, bool bounded,
					 double bound_score, uint64 bound_doc, Bm25Hit **out)
{
	RankedArg	r;

	r.bounded = bounded;
	r.bound_score = bound_score;
	r.bound_doc = bound_doc;
	r.n = 0;
	r.cap = 1024;
	r.hits = palloc(sizeof(Bm25Hit) * r.cap);
	walk_matches(q, filters, nfilters, take_ranked, &r);
	*out = r.hits;
	return r.n;
}
