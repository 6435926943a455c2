/*-------------------------------------------------------------------------
 *
 * hnsw_build.c
 *	  Building a dllb_hnsw index: load, link in memory, write pages.
 *
 * The heap scan copies every vector into memory (an array of elements,
 * each with its vector and neighbour slots holding array positions).  The
 * graph is then linked entirely in memory - no buffer locks, no page
 * reads, a dense visited array, on every core the build may use - and
 * finally written page by page, the positions turned into element ids,
 * and WAL-logged as whole pages.
 *
 * An index with quantization = sq8 keeps and links the 8-bit codes it
 * stores.  When the float vectors of an index without quantization would
 * outgrow maintenance_work_mem, the build keeps the same 8-bit codes of
 * them instead (a quarter of the memory), links the graph on the codes,
 * and writes the pages with the full vectors fetched from the table again
 * - a second pass, with a NOTICE.  Only when even the codes do not fit are
 * the remaining rows inserted one by one into the written graph.
 *
 * IDENTIFICATION
 *	  src/vector/hnsw_build.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "access/generic_xlog.h"
#include "access/tableam.h"
#include "access/xloginsert.h"
#include "catalog/index.h"
#include "executor/executor.h"
#include "commands/progress.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/bufmgr.h"
#include "utils/memutils.h"

#include "vector/hnsw.h"
#include "vector/hnsw_heap.h"

#define NO_SLOT ((uint32) 0xFFFFFFFF)

/*
 * In memory a list has room for half as many entries again as on disk, so
 * a full list is pruned (with the heuristic) once per several back links
 * rather than on every one; lists are cut to their disk size when written.
 */
#define MemSlotsAt(m, lc)		(HnswSlotsAt(m, lc) + HnswSlotsAt(m, lc) / 2)
#define MemSlotsStart(m, lc)	((lc) == 0 ? 0 : MemSlotsAt(m, 0) + ((lc) - 1) * MemSlotsAt(m, 1))
#define MemSlotsTotal(m, level) (MemSlotsAt(m, 0) + (level) * MemSlotsAt(m, 1))

typedef struct BuildElement
{
	ItemPointerData heaptid;
	uint8		level;
	bool		lock;			/* spinlock over slots, for the link threads */
	float		norm;
	void	   *vec;			/* the stored form: floats or a code */
	uint32		key;			/* filter key */
	bool		keynull;
	uint32	   *slots;			/* positions, NO_SLOT when empty */
	uint32		id;				/* on-disk id, set when written */
	uint32		parent;			/* position of its parent, or NO_SLOT */
} BuildElement;

/* most dimensions an element can have (it must fit on a page) */
#define HNSW_MAX_BUILD_DIM	(BLCKSZ / sizeof(float))

/* most candidates one selection sees */
#define MAX_CAND	Max(HNSW_MAX_EF_CONSTRUCTION, 3 * HNSW_MAX_M + 1)

struct BuildState;

/*
 * What one linking thread owns: its visited tags and heaps, sized so they
 * never grow, and scratch lists.  Nothing in the linking code allocates,
 * raises errors or touches PostgreSQL state, so it can run in threads.
 */
typedef struct LinkWorker
{
	struct BuildState *b;
	uint32	   *vtag;
	uint32		curtag;
	HnswHeap	cand;
	HnswHeap	res;
	uint32	   *found;
	float	   *fdist;
	uint32	   *list;
	pthread_t	thread;
	bool		started;
} LinkWorker;

/* a row to insert one by one once the graph is written */
typedef struct ExtraRow
{
	ItemPointerData tid;
	bool		keynull;
	uint32		key;
} ExtraRow;

typedef struct BuildState
{
	Relation	heap;
	Relation	index;
	IndexInfo  *indexInfo;
	HnswShape	shape;
	int			efc;
	MemoryContext cxt;

	BuildElement *elems;
	uint32		n;
	uint32		cap;
	Size		mem_used;
	Size		mem_limit;
	MemoryContext tmpcxt;		/* per-row memory of the heap scans */
	double		indtuples;

	/*
	 * Past maintenance_work_mem the vectors are kept as 8-bit codes (per
	 * dimension: min + code * scale); the graph is linked on the codes and
	 * the pages are written with the full vectors, read again from the
	 * table.  Past it even so, the remaining rows are inserted one by one
	 * once the graph is written.
	 */
	HnswShape	mshape;			/* of the vectors in memory */
	bool		quantized;		/* codes in memory, floats on disk */
	bool		full;
	ExtraRow   *extra;			/* rows to insert one by one */
	uint32		nextra;
	uint32		extracap;

	/* the entry point, under entry_lock while threads link */
	bool		entry_lock;
	uint32		entry;
	int			entry_level;

	/* shared by the linking threads */
	uint32		next;			/* next position to link (atomic) */
	uint32		done;			/* positions linked (atomic) */
	bool		stop;			/* set when the backend is interrupted */
} BuildState;

static inline void
spin_lock(bool *lock)
{
	while (__atomic_test_and_set(lock, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(lock, __ATOMIC_RELAXED))
			;
}

static inline void
spin_unlock(bool *lock)
{
	__atomic_clear(lock, __ATOMIC_RELEASE);
}

static inline float
edist(BuildState *b, const BuildElement *a, const BuildElement *c)
{
	return dllb_hnsw_pdist(&b->mshape, a->vec, a->norm, c->vec, c->norm);
}

static inline int
slot_count(const uint32 *slots, int max)
{
	int			n = 0;

	while (n < max && slots[n] != NO_SLOT)
		n++;
	return n;
}

/* read_list - copy an element's list at lc under its lock */
static int
read_list(BuildState *b, BuildElement *e, int lc, uint32 *out)
{
	const uint32 *slots = e->slots + MemSlotsStart(b->shape.m, lc);
	int			cap = MemSlotsAt(b->shape.m, lc);
	int			n;

	spin_lock(&e->lock);
	for (n = 0; n < cap && slots[n] != NO_SLOT; n++)
		out[n] = slots[n];
	spin_unlock(&e->lock);
	return n;
}

/* prefetch_vec - start loading every cache line of a vector in memory */
static inline void
prefetch_vec(const BuildState *b, const void *vec)
{
	const char *p = (const char *) vec;
	int			off;

	for (off = 0; off < b->mshape.payload; off += 64)
		__builtin_prefetch(p + off);
	__builtin_prefetch(p + b->mshape.payload - 1);
}

/*
 * mem_search_layer - HNSW layer search over the in-memory graph: the ef
 * positions nearest to q at level lc, nearest first, in out[].
 */
static int
mem_search_layer(LinkWorker *w, BuildElement *q, const uint32 *eps, int neps,
				 int lc, int ef, uint32 *out, float *outdist)
{
	BuildState *b = w->b;
	HnswHeap   *C = &w->cand;
	HnswHeap   *W = &w->res;
	uint32		tag = ++w->curtag;
	int			i;
	int			n;

	C->n = 0;
	W->n = 0;

	/*
	 * q itself is never a result: with several threads linking, another
	 * element can already hold a link to q (q is linked level by level, top
	 * first, and others find it on the levels done), and q would otherwise
	 * find itself at distance 0 and end up in its own list.
	 */
	w->vtag[q - b->elems] = tag;
	for (i = 0; i < neps; i++)
	{
		BuildElement *e = &b->elems[eps[i]];
		float		d = edist(b, q, e);

		w->vtag[eps[i]] = tag;
		hnsw_heap_push(C, d, e);
		hnsw_heap_push(W, d, e);
	}
	while (C->n > 0)
	{
		BuildElement *c;
		int			nl;
		int			k;

		if (hnsw_heap_top_dist(C) > hnsw_heap_top_dist(W) && W->n >= ef)
			break;
		c = (BuildElement *) hnsw_heap_pop(C);
		nl = read_list(b, c, lc, w->list);
		/*
		 * Start loading every cache line of the unvisited ones' vectors
		 * before comparing any (their misses overlap): the first line
		 * alone left the kernel waiting on the other six of a
		 * 100-dimensional vector, 22% of the build's time.
		 */
		for (k = 0; k < nl; k++)
			if (w->vtag[w->list[k]] != tag)
				prefetch_vec(b, b->elems[w->list[k]].vec);
		for (k = 0; k < nl; k++)
		{
			uint32		p = w->list[k];
			BuildElement *e;
			float		d;

			if (w->vtag[p] == tag)
				continue;
			w->vtag[p] = tag;
			e = &b->elems[p];
			d = edist(b, q, e);
			if (W->n < ef || d < hnsw_heap_top_dist(W))
			{
				hnsw_heap_push(C, d, e);
				hnsw_heap_push(W, d, e);
				if (W->n > ef)
					(void) hnsw_heap_pop(W);
			}
		}
	}
	n = W->n;
	for (i = n - 1; i >= 0; i--)
	{
		outdist[i] = hnsw_heap_top_dist(W);
		out[i] = (uint32) ((BuildElement *) hnsw_heap_pop(W) - b->elems);
	}
	return n;
}

/*
 * mem_select - the heuristic over positions; chosen positions in out[].
 */
static int
mem_select(BuildState *b, const uint32 *cand, const float *cdist,
		   int ncand, int max, uint32 *out)
{
	const void *cvec[MAX_CAND];
	float		cnorm[MAX_CAND];
	int			chosen[2 * HNSW_MAX_M];
	int			order[MAX_CAND];
	int			n;
	int			i;

	for (i = 0; i < ncand; i++)
	{
		cvec[i] = b->elems[cand[i]].vec;
		cnorm[i] = b->elems[cand[i]].norm;
	}
	n = dllb_hnsw_select_neighbours(&b->mshape, cvec, cnorm, cdist, ncand, 0, max,
									chosen, order);
	for (i = 0; i < n; i++)
		out[i] = cand[chosen[i]];
	return n;
}

/*
 * mem_prune - cut a list (of capacity cap, plus extra when it is not
 * NO_SLOT) down to max entries with the heuristic.  The caller holds the
 * element's lock (or runs alone).
 */
static void
mem_prune(BuildState *b, BuildElement *e, uint32 *slots, int cap,
		  uint32 extra, int max)
{
	uint32		cand[3 * HNSW_MAX_M + 1];
	float		cdist[3 * HNSW_MAX_M + 1];
	int			n = slot_count(slots, cap);
	int			i;

	for (i = 0; i < n; i++)
	{
		cand[i] = slots[i];
		cdist[i] = edist(b, e, &b->elems[slots[i]]);
	}
	if (extra != NO_SLOT)
	{
		cand[n] = extra;
		cdist[n] = edist(b, e, &b->elems[extra]);
		n++;
	}
	n = mem_select(b, cand, cdist, n, max, slots);
	for (i = n; i < cap; i++)
		slots[i] = NO_SLOT;
}

/*
 * mem_add_link - add position q to the list of position p at lc.
 */
static void
mem_add_link(BuildState *b, uint32 p, int lc, uint32 q)
{
	BuildElement *e = &b->elems[p];
	uint32	   *slots = e->slots + MemSlotsStart(b->shape.m, lc);
	int			cap = MemSlotsAt(b->shape.m, lc);
	int			n;
	int			i;

	spin_lock(&e->lock);
	n = slot_count(slots, cap);
	/* p may have found q itself while both were being linked */
	for (i = 0; i < n; i++)
		if (slots[i] == q)
		{
			spin_unlock(&e->lock);
			return;
		}
	if (n < cap)
		slots[n] = q;
	else
		mem_prune(b, e, slots, cap, q, HnswSlotsAt(b->shape.m, lc));
	spin_unlock(&e->lock);
}

/*
 * set_own_list - give q its chosen neighbours at lc.  Other threads may
 * have put back links into q's list at lc already (they find q through
 * the levels above, linked first); those are kept after the chosen ones,
 * without repeats, and the list pruned if it overflows.
 */
static void
set_own_list(BuildState *b, BuildElement *q, int lc,
			 const uint32 *chosen, int n)
{
	uint32	   *slots = q->slots + MemSlotsStart(b->shape.m, lc);
	int			cap = MemSlotsAt(b->shape.m, lc);
	uint32		merged[MemSlotsAt(HNSW_MAX_M, 0) + 2 * HNSW_MAX_M];
	int			nm = n;
	int			i;
	int			j;

	spin_lock(&q->lock);
	memcpy(merged, chosen, sizeof(uint32) * n);
	for (i = 0; i < cap && slots[i] != NO_SLOT; i++)
	{
		bool		dup = false;

		for (j = 0; j < n && !dup; j++)
			dup = merged[j] == slots[i];
		if (!dup)
			merged[nm++] = slots[i];
	}
	if (nm <= cap)
	{
		memcpy(slots, merged, sizeof(uint32) * nm);
		for (i = nm; i < cap; i++)
			slots[i] = NO_SLOT;
	}
	else
	{
		/* more than fit: keep the best, by the heuristic */
		memcpy(slots, merged, sizeof(uint32) * cap);
		for (i = cap; i < nm; i++)
			mem_prune(b, q, slots, cap, merged[i], cap);
	}
	spin_unlock(&q->lock);
}

/*
 * mem_insert - link element position qi into the in-memory graph.
 */
static void
mem_insert(LinkWorker *w, uint32 qi)
{
	BuildState *b = w->b;
	BuildElement *q = &b->elems[qi];
	uint32		chosen[2 * HNSW_MAX_M];
	uint32		ep;
	int			entry_level;
	int			nfound;
	int			lc;
	int			i;

	spin_lock(&b->entry_lock);
	ep = b->entry;
	entry_level = b->entry_level;
	if (ep == NO_SLOT)
	{
		b->entry = qi;
		b->entry_level = q->level;
	}
	spin_unlock(&b->entry_lock);
	if (ep == NO_SLOT)
		return;

	/* greedy descent above the new element's level */
	for (lc = entry_level; lc > q->level; lc--)
	{
		float		epd = edist(b, q, &b->elems[ep]);
		bool		changed = true;

		while (changed)
		{
			int			nl = read_list(b, &b->elems[ep], lc, w->list);
			int			k;

			changed = false;
			for (k = 0; k < nl; k++)
			{
				float		d = edist(b, q, &b->elems[w->list[k]]);

				if (d < epd)
				{
					epd = d;
					ep = w->list[k];
					changed = true;
				}
			}
		}
	}

	w->found[0] = ep;
	nfound = 1;
	for (lc = Min(q->level, entry_level); lc >= 0; lc--)
	{
		int			max = HnswSlotsAt(b->shape.m, lc);
		int			n;

		nfound = mem_search_layer(w, q, w->found, nfound, lc, b->efc, w->found, w->fdist);
		n = mem_select(b, w->found, w->fdist, nfound, max, chosen);
		set_own_list(b, q, lc, chosen, n);
		for (i = 0; i < n; i++)
			mem_add_link(b, chosen[i], lc, qi);
	}

	if (q->level > entry_level)
	{
		spin_lock(&b->entry_lock);
		if (q->level > b->entry_level)
		{
			b->entry = qi;
			b->entry_level = q->level;
		}
		spin_unlock(&b->entry_lock);
	}
}

/* link_some - link positions until none are left or the build stops */
static void
link_some(LinkWorker *w, uint32 batch)
{
	BuildState *b = w->b;

	while (batch-- > 0 && !__atomic_load_n(&b->stop, __ATOMIC_RELAXED))
	{
		uint32		i = __atomic_fetch_add(&b->next, 1, __ATOMIC_RELAXED);

		if (i >= b->n)
			return;
		mem_insert(w, i);
		__atomic_fetch_add(&b->done, 1, __ATOMIC_RELAXED);
	}
}

static void *
link_thread(void *arg)
{
	link_some((LinkWorker *) arg, PG_UINT32_MAX);
	return NULL;
}

static void
worker_init(BuildState *b, LinkWorker *w)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
	w->vtag = MemoryContextAllocHuge(b->cxt, sizeof(uint32) * Max(b->n, 1));
	memset(w->vtag, 0, sizeof(uint32) * Max(b->n, 1));
	/* each element enters C at most once per search; W holds ef + 1 */
	w->cand.items = MemoryContextAllocHuge(b->cxt, sizeof(HnswHeapItem) * (b->n + 1));
	w->cand.cap = b->n + 1;
	w->cand.max = false;
	w->res.items = MemoryContextAlloc(b->cxt, sizeof(HnswHeapItem) * (b->efc + 2));
	w->res.cap = b->efc + 2;
	w->res.max = true;
	w->found = MemoryContextAlloc(b->cxt, sizeof(uint32) * b->efc);
	w->fdist = MemoryContextAlloc(b->cxt, sizeof(float) * b->efc);
	w->list = MemoryContextAlloc(b->cxt, sizeof(uint32) * MemSlotsAt(HNSW_MAX_M, 0));
}

/*
 * link_graph - link every loaded element.  With more than one core (and
 * max_parallel_maintenance_workers above 0) the backend starts threads
 * that link elements side by side with it; they block every signal, and
 * the backend alone looks at interrupts, stopping and joining them before
 * it acts on one.  Small builds (under 10,000 rows) link in one thread, so
 * their graphs are the same every time.
 */
static void
link_graph(BuildState *b)
{
	long		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int			nthreads = Max(1, Min((long) max_parallel_maintenance_workers + 1, ncpu));
	LinkWorker *workers;
	sigset_t	all;
	sigset_t	old;
	int			t;

	if (b->n < 10000)
		nthreads = 1;
	workers = MemoryContextAllocZero(b->cxt, sizeof(LinkWorker) * nthreads);
	for (t = 0; t < nthreads; t++)
		worker_init(b, &workers[t]);

	/* the first element is the entry point */
	b->next = 1;
	b->done = 1;
	mem_insert(&workers[0], 0);

	/*
	 * Link with the threads until every element is linked.  An interrupt
	 * (a cancel, but also a harmless catch-up or barrier signal) stops the
	 * threads first; if handling it does not end the build, they restart.
	 */
	while (__atomic_load_n(&b->next, __ATOMIC_RELAXED) < b->n)
	{
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		for (t = 1; t < nthreads; t++)
			workers[t].started = pthread_create(&workers[t].thread, NULL, link_thread,
												&workers[t]) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);

		while (__atomic_load_n(&b->next, __ATOMIC_RELAXED) < b->n)
		{
			link_some(&workers[0], 256);
			pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE,
										 __atomic_load_n(&b->done, __ATOMIC_RELAXED));
			if (InterruptPending)
			{
				__atomic_store_n(&b->stop, true, __ATOMIC_RELAXED);
				break;
			}
		}
		for (t = 1; t < nthreads; t++)
			if (workers[t].started)
				pthread_join(workers[t].thread, NULL);
		__atomic_store_n(&b->stop, false, __ATOMIC_RELAXED);
		CHECK_FOR_INTERRUPTS();
	}
	pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, b->n);
}

/*
 * link_from - put x in y's level-0 list: in a free slot, else in place of
 * y's farthest entry that other lists point at too (indeg counts them).
 */
static void
link_from(BuildState *b, uint32 y_pos, uint32 x, uint8 *indeg)
{
	int			max0 = HnswSlotsAt(b->shape.m, 0);
	BuildElement *y = &b->elems[y_pos];
	int			ny = slot_count(y->slots, max0);
	int			victim = -1;
	float		vd = 0;
	int			j;

	if (ny < max0)
		y->slots[ny] = x;
	else
	{
		for (j = 0; j < ny; j++)
		{
			float		d;

			if (indeg[y->slots[j]] <= 1)
				continue;
			d = edist(b, y, &b->elems[y->slots[j]]);
			if (victim < 0 || d > vd)
			{
				victim = j;
				vd = d;
			}
		}
		if (victim < 0)
			return;
		indeg[y->slots[victim]]--;
		y->slots[victim] = x;
	}
	if (indeg[x] < 255)
		indeg[x]++;
}

/* can_link_from - whether y's level-0 list has room or a shared entry */
static bool
can_link_from(BuildState *b, uint32 y_pos, const uint8 *indeg)
{
	int			max0 = HnswSlotsAt(b->shape.m, 0);
	BuildElement *y = &b->elems[y_pos];
	int			ny = slot_count(y->slots, max0);
	int			j;

	if (ny < max0)
		return true;
	for (j = 0; j < ny; j++)
		if (indeg[y->slots[j]] > 1)
			return true;
	return false;
}

/*
 * adopt - put x into y's level-0 list: in a free slot, else in place of
 * y's farthest entry that y is not the parent of (that entry stays
 * reachable through its own parent).  False when y's list holds only its
 * children.
 */
static bool
adopt(BuildState *b, uint32 y_pos, uint32 x)
{
	int			max0 = HnswSlotsAt(b->shape.m, 0);
	BuildElement *y = &b->elems[y_pos];
	int			ny = slot_count(y->slots, max0);
	int			victim = -1;
	float		vd = 0;
	int			j;

	if (ny < max0)
	{
		y->slots[ny] = x;
		return true;
	}
	for (j = 0; j < ny; j++)
	{
		float		d;

		if (b->elems[y->slots[j]].parent == y_pos)
			continue;
		d = edist(b, y, &b->elems[y->slots[j]]);
		if (victim < 0 || d > vd)
		{
			victim = j;
			vd = d;
		}
	}
	if (victim < 0)
		return false;
	y->slots[victim] = x;
	return true;
}

/*
 * set_parents - the tree of parents (see hnsw.h): a breadth-first walk
 * over level-0 lists from the entry point makes the first list that
 * reaches an element its parent.  An element the walk does not reach
 * (pruning can cut a group off, a pile of duplicates most easily) is
 * linked from the nearest of its own neighbours that is reached, else
 * from any reached element with room, and the walk goes on from there.
 */
static void
set_parents(BuildState *b)
{
	int			max0 = HnswSlotsAt(b->shape.m, 0);
	uint32	   *queue = MemoryContextAllocHuge(b->cxt, sizeof(uint32) * Max(b->n, 1));
	uint32		head = 0;
	uint32		tail = 0;
	uint32		x;

	for (x = 0; x < b->n; x++)
		b->elems[x].parent = NO_SLOT;
	b->elems[b->entry].parent = b->entry;
	queue[tail++] = b->entry;
	x = 0;
	for (;;)
	{
		while (head < tail)
		{
			uint32		p = queue[head++];
			const uint32 *ms = b->elems[p].slots;
			int			k;

			for (k = 0; k < max0 && ms[k] != NO_SLOT; k++)
				if (b->elems[ms[k]].parent == NO_SLOT)
				{
					b->elems[ms[k]].parent = p;
					queue[tail++] = ms[k];
				}
		}
		for (; x < b->n; x++)
		{
			BuildElement *e = &b->elems[x];
			uint32		y = NO_SLOT;
			bool		tried[2 * HNSW_MAX_M];
			int			n;
			int			k;

			if (e->parent != NO_SLOT)
				continue;
			CHECK_FOR_INTERRUPTS();
			n = slot_count(e->slots, max0);
			memset(tried, 0, sizeof(tried));
			for (;;)
			{
				/* the nearest reached neighbour not yet tried */
				float		bestd = 0;
				int			best = -1;

				for (k = 0; k < n; k++)
				{
					float		d;

					if (tried[k] || b->elems[e->slots[k]].parent == NO_SLOT)
						continue;
					d = edist(b, e, &b->elems[e->slots[k]]);
					if (best < 0 || d < bestd)
					{
						best = k;
						bestd = d;
					}
				}
				if (best < 0)
					break;
				if (adopt(b, e->slots[best], x))
				{
					y = e->slots[best];
					break;
				}
				/* full of its children: do not try it again */
				tried[best] = true;
			}
			for (k = 0; y == NO_SLOT && k < (int) tail; k++)
				if (adopt(b, queue[k], x))
					y = queue[k];
			if (y == NO_SLOT)
				elog(ERROR, "dllb_hnsw build found no element to link element %u from", x);
			e->parent = y;
			queue[tail++] = x;
			break;
		}
		if (x >= b->n)
			break;
	}
	b->elems[b->entry].parent = NO_SLOT;
	pfree(queue);
}

/*
 * finish_lists - cut every list to its size on disk, then give each
 * element that no level-0 list points at (pruning can orphan one) a link
 * from the nearest of its own neighbours, taking the place of that
 * neighbour's farthest entry that others point at too.
 */
static void
finish_lists(BuildState *b)
{
	int			max0 = HnswSlotsAt(b->shape.m, 0);
	uint8	   *indeg = MemoryContextAllocHuge(b->cxt, Max(b->n, 1));
	uint32		i;
	int			lc;
	int			k;

	memset(indeg, 0, Max(b->n, 1));
	for (i = 0; i < b->n; i++)
	{
		BuildElement *e = &b->elems[i];
		uint32	   *ms;

		CHECK_FOR_INTERRUPTS();
		for (lc = 0; lc <= e->level; lc++)
		{
			ms = e->slots + MemSlotsStart(b->shape.m, lc);
			if (slot_count(ms, MemSlotsAt(b->shape.m, lc)) > HnswSlotsAt(b->shape.m, lc))
				mem_prune(b, e, ms, MemSlotsAt(b->shape.m, lc), NO_SLOT,
						  HnswSlotsAt(b->shape.m, lc));
		}
		ms = e->slots;
		for (k = 0; k < max0 && ms[k] != NO_SLOT; k++)
			if (indeg[ms[k]] < 255)
				indeg[ms[k]]++;
	}

	for (i = 0; i < b->n; i++)
	{
		BuildElement *x = &b->elems[i];
		int			nx = slot_count(x->slots, max0);
		uint32		best = NO_SLOT;
		float		bestd = 0;

		if (indeg[i] > 0 || i == b->entry)
			continue;
		CHECK_FOR_INTERRUPTS();
		/* the nearest neighbour whose list has room or a shared entry */
		for (k = 0; k < nx; k++)
		{
			float		d;

			if (!can_link_from(b, x->slots[k], indeg))
				continue;
			d = edist(b, x, &b->elems[x->slots[k]]);
			if (best == NO_SLOT || d < bestd)
			{
				best = x->slots[k];
				bestd = d;
			}
		}
		if (best != NO_SLOT)
			link_from(b, best, i, indeg);
	}

	pfree(indeg);

	/* then the parents, linking anything out of reach of the entry point */
	set_parents(b);
}

/*
 * assign_ids - the page and offset of every element, in position order.
 */
static void
assign_ids(BuildState *b)
{
	Size		avail = BLCKSZ - MAXALIGN(SizeOfPageHeaderData) -
		MAXALIGN(sizeof(HnswPageOpaqueData));
	BlockNumber blk = HNSW_METAPAGE_BLKNO + 1;
	Size		used = 0;
	int			nitems = 0;
	uint32		i;

	for (i = 0; i < b->n; i++)
	{
		Size		size = HnswElementSize(&b->shape, b->elems[i].level);

		if (used + size + sizeof(ItemIdData) > avail || nitems >= HNSW_MAX_OFFSET)
		{
			blk++;
			used = 0;
			nitems = 0;
		}
		used += size + sizeof(ItemIdData);
		nitems++;
		b->elems[i].id = HnswIdMake(blk, nitems);
	}
	if (blk > HNSW_MAX_BLOCK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("dllb_hnsw index \"%s\" would be larger than its largest size",
						RelationGetRelationName(b->index))));
}

/*
 * write_graph - write the linked elements after the meta page; fills in
 * the meta page fields it knows.  The full vectors of a build that kept
 * codes for an index without quantization come from the table again (see
 * hnsw_heapfetch.c); a row that is gone meanwhile gets its decoded code,
 * and VACUUM removes its element anyway.
 */
static void
write_graph(BuildState *b, HnswMetaPageData *meta)
{
	char	   *tupbuf = palloc(HnswElementSize(&b->shape, HNSW_MAX_LEVEL));
	float	   *vecbuf = palloc(sizeof(float) * b->shape.dim);
	uint32	   *ids = palloc(sizeof(uint32) * HnswSlotsAt(b->shape.m, 0));
	uint32	   *keys = palloc(sizeof(uint32) * HnswSlotsAt(b->shape.m, 0));
	HnswRowFetcher *f = NULL;
	Buffer		buf = InvalidBuffer;
	Page		page = NULL;
	BlockNumber pageblk = InvalidBlockNumber;
	uint32		i;

	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, 4);
	assign_ids(b);
	if (b->quantized)
		f = dllb_hnsw_fetcher_begin(b->heap, b->index, b->indexInfo);

	for (i = 0; i < b->n; i++)
	{
		BuildElement *e = &b->elems[i];
		HnswElementTuple tup = (HnswElementTuple) tupbuf;
		Size		size = HnswElementSize(&b->shape, e->level);
		int			k;
		int			lc;

		if (HnswIdBlock(e->id) != pageblk)
		{
			if (BufferIsValid(buf))
			{
				MarkBufferDirty(buf);
				UnlockReleaseBuffer(buf);
			}
			CHECK_FOR_INTERRUPTS();
			pageblk = HnswIdBlock(e->id);
			buf = ReadBufferExtended(b->index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
			Assert(BufferGetBlockNumber(buf) == pageblk);
			LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
			page = BufferGetPage(buf);
			dllb_hnsw_init_page(page, HNSW_PAGE_ELEMENTS);
		}

		memset(tupbuf, 0, size);
		tup->level = e->level;
		tup->flags = e->keynull ? HNSW_ELEMENT_KEY_NULL : 0;
		tup->heaptid = e->heaptid;
		tup->parent = e->parent == NO_SLOT ? HNSW_INVALID_ID : b->elems[e->parent].id;
		if (b->quantized)
		{
			if (!dllb_hnsw_fetch_vector(f, &e->heaptid, b->shape.dim, vecbuf))
				dllb_hnsw_decode(&b->mshape, e->vec, vecbuf);
			dllb_hnsw_encode(&b->shape, vecbuf, HnswElementPayload(tup), &tup->norm);
		}
		else
		{
			memcpy(HnswElementPayload(tup), e->vec, b->shape.payload);
			tup->norm = e->norm;
		}
		if (b->shape.keyoff >= 0)
			*(uint32 *) ((char *) tup + b->shape.keyoff) = e->key;
		memset(HnswElementIds(tup, &b->shape), 0xFF,
			   sizeof(uint32) * HnswSlotsTotal(b->shape.m, e->level));
		for (lc = 0; lc <= e->level; lc++)
		{
			uint32	   *ms = e->slots + MemSlotsStart(b->shape.m, lc);
			int			n = slot_count(ms, HnswSlotsAt(b->shape.m, lc));

			for (k = 0; k < n; k++)
			{
				ids[k] = b->elems[ms[k]].id;
				keys[k] = b->elems[ms[k]].key;
			}
			dllb_hnsw_put_list(tup, &b->shape, lc, ids, keys, n);
		}
		if (PageAddItem(page, (Item) tup, size, InvalidOffsetNumber, false, false) !=
			HnswIdOffset(e->id))
			elog(ERROR, "could not place element %u on page %u", i, pageblk);
	}
	if (BufferIsValid(buf))
	{
		MarkBufferDirty(buf);
		UnlockReleaseBuffer(buf);
	}
	if (f != NULL)
		dllb_hnsw_fetcher_end(f);
	pfree(tupbuf);
	pfree(vecbuf);

	meta->dim = b->shape.dim;
	if (b->entry != NO_SLOT)
	{
		meta->entry = b->elems[b->entry].id;
		meta->entry_level = b->entry_level;
	}
	meta->insert_page = b->n > 0 ? HnswIdBlock(b->elems[b->n - 1].id) : InvalidBlockNumber;
}

/*
 * link_and_write - link the loaded elements, write them, and write the
 * meta page; WAL-logs everything as whole pages.
 */
static void
link_and_write(BuildState *b)
{
	HnswMetaPageData meta;
	Buffer		metabuf;

	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, 3);
	pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_TOTAL, b->n);
	if (b->n > 0)
	{
		link_graph(b);
		finish_lists(b);
	}

	/* meta page first, so it is block 0 */
	metabuf = ReadBufferExtended(b->index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
	Assert(BufferGetBlockNumber(metabuf) == HNSW_METAPAGE_BLKNO);
	memset(&meta, 0, sizeof(meta));
	meta.magic = HNSW_MAGIC;
	meta.version = HNSW_VERSION;
	meta.dim = b->shape.dim;
	meta.m = b->shape.m;
	meta.ef_construction = b->efc;
	meta.entry = HNSW_INVALID_ID;
	meta.entry_level = -1;
	meta.insert_page = InvalidBlockNumber;
	meta.quant = b->shape.quant;
	meta.keykind = b->shape.keykind;
	if (b->n > 0)
		write_graph(b, &meta);

	LockBuffer(metabuf, BUFFER_LOCK_EXCLUSIVE);
	dllb_hnsw_init_page(BufferGetPage(metabuf), HNSW_PAGE_META);
	memcpy(HnswPageGetMeta(BufferGetPage(metabuf)), &meta, sizeof(meta));
	((PageHeader) BufferGetPage(metabuf))->pd_lower =
		((char *) HnswPageGetMeta(BufferGetPage(metabuf)) + sizeof(meta)) -
		(char *) BufferGetPage(metabuf);
	MarkBufferDirty(metabuf);
	UnlockReleaseBuffer(metabuf);

	if (RelationNeedsWAL(b->index))
		log_newpage_range(b->index, MAIN_FORKNUM, 0,
						  RelationGetNumberOfBlocks(b->index), true);
}

/*
 * quantize - switch the build to 8-bit codes in memory: codes for the
 * vectors loaded so far, the float copies freed.
 */
static void
quantize(BuildState *b)
{
	uint32		i;

	dllb_hnsw_shape_init(&b->mshape, b->shape.metric, b->shape.dim, b->shape.m,
						 HNSW_QUANT_SQ8, HNSW_KEY_NONE);
	b->quantized = true;
	for (i = 0; i < b->n; i++)
	{
		BuildElement *e = &b->elems[i];
		void	   *code = MemoryContextAlloc(b->cxt, b->mshape.payload);

		CHECK_FOR_INTERRUPTS();
		dllb_hnsw_encode(&b->mshape, e->vec, code, &e->norm);
		pfree(e->vec);
		e->vec = code;
		b->mem_used -= b->shape.payload - b->mshape.payload;
	}
}

static void
build_callback(Relation index, ItemPointer tid, Datum *values, bool *isnull,
			   bool tupleIsAlive, void *state)
{
	BuildState *b = (BuildState *) state;
	MemoryContext old;
	float	   *x;
	float		norm;
	int			dim;
	int			level;
	Size		need;
	BuildElement *e;
	uint32		key = 0;
	bool		keynull = false;

	if (isnull[0])
		return;

	old = MemoryContextSwitchTo(b->tmpcxt);
	x = dllb_hnsw_datum_vector(values[0], &dim);
	if (b->shape.dim == 0)
	{
		dllb_hnsw_shape_init(&b->shape, b->shape.metric, dim, b->shape.m, b->shape.quant,
							 b->shape.keykind);
		dllb_hnsw_check_dim(index, &b->shape);
		dllb_hnsw_shape_init(&b->mshape, b->shape.metric, dim, b->shape.m, b->shape.quant,
							 HNSW_KEY_NONE);
	}
	else if (dim != b->shape.dim)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("expected %d dimensions, not %d", b->shape.dim, dim),
				 errdetail("Every vector in a dllb_hnsw index has the same number of dimensions.")));
	if (HnswFiltered(&b->shape))
	{
		keynull = isnull[1];
		if (!keynull)
			key = dllb_hnsw_key(index, values[1]);
	}
	MemoryContextSwitchTo(b->cxt);
	if (!dllb_hnsw_indexable(b->shape.metric, x, dim, &norm))
		goto done;
	b->indtuples++;

	if (b->full)
	{
		/* inserted one by one once the graph is written */
		if (b->nextra == b->extracap)
		{
			b->extracap = Max(1024, b->extracap * 2);
			b->extra = b->extra ? repalloc_huge(b->extra, sizeof(ExtraRow) * b->extracap) :
				MemoryContextAllocHuge(b->cxt, sizeof(ExtraRow) * b->extracap);
		}
		b->extra[b->nextra].tid = *tid;
		b->extra[b->nextra].key = key;
		b->extra[b->nextra].keynull = keynull;
		b->nextra++;
		goto done;
	}

	level = dllb_hnsw_random_level(b->shape.m, tid);
	need = sizeof(BuildElement) + b->mshape.payload +
		sizeof(uint32) * MemSlotsTotal(b->shape.m, level) + 32;
	if (b->mem_used + need > b->mem_limit && b->n > 0 && b->mshape.quant == HNSW_QUANT_NONE)
	{
		ereport(NOTICE,
				(errmsg("dllb_hnsw build keeps 8-bit codes of the vectors in memory after %u rows", b->n),
				 errdetail("The vectors no longer fit in maintenance_work_mem; the graph is linked on the codes and the index stores the full vectors."),
				 errhint("Increase maintenance_work_mem for a graph linked on the full vectors.")));
		quantize(b);
		need = sizeof(BuildElement) + b->mshape.payload +
			sizeof(uint32) * MemSlotsTotal(b->shape.m, level) + 32;
	}
	if (b->mem_used + need > b->mem_limit && b->n > 0)
	{
		ereport(NOTICE,
				(errmsg("dllb_hnsw graph no longer fits in maintenance_work_mem after %u rows", b->n),
				 errdetail("The rest of the rows are inserted into the written graph one by one, which is slower."),
				 errhint("Increase maintenance_work_mem to build faster.")));
		b->full = true;
		b->extracap = 1024;
		b->extra = MemoryContextAllocHuge(b->cxt, sizeof(ExtraRow) * b->extracap);
		b->extra[0].tid = *tid;
		b->extra[0].key = key;
		b->extra[0].keynull = keynull;
		b->nextra = 1;
		goto done;
	}

	if (b->n == b->cap)
	{
		b->cap *= 2;
		b->elems = repalloc_huge(b->elems, sizeof(BuildElement) * b->cap);
	}
	e = &b->elems[b->n++];
	e->heaptid = *tid;
	e->level = level;
	e->lock = false;
	e->key = key;
	e->keynull = keynull;
	e->vec = palloc(b->mshape.payload);
	dllb_hnsw_encode(&b->mshape, x, e->vec, &e->norm);
	e->slots = palloc(sizeof(uint32) * MemSlotsTotal(b->shape.m, level));
	memset(e->slots, 0xFF, sizeof(uint32) * MemSlotsTotal(b->shape.m, level));
	b->mem_used += need;

done:
	MemoryContextSwitchTo(old);
	MemoryContextReset(b->tmpcxt);
}

/*
 * insert_extra - the rows that did not fit, one by one into the written
 * graph.
 */
static void
insert_extra(BuildState *b)
{
	HnswRowFetcher *f = dllb_hnsw_fetcher_begin(b->heap, b->index, b->indexInfo);
	float	   *vec = palloc(sizeof(float) * b->shape.dim);
	uint32		i;

	for (i = 0; i < b->nextra; i++)
	{
		float		norm;

		CHECK_FOR_INTERRUPTS();
		if (dllb_hnsw_fetch_vector(f, &b->extra[i].tid, b->shape.dim, vec) &&
			dllb_hnsw_indexable(b->shape.metric, vec, b->shape.dim, &norm))
			dllb_hnsw_insert_vector(b->index, &b->shape, vec, b->extra[i].key,
									b->extra[i].keynull, &b->extra[i].tid);
		MemoryContextReset(b->tmpcxt);
	}
	dllb_hnsw_fetcher_end(f);
	pfree(vec);
}

/*
 * dllb_hnsw_build - ambuild.
 */
IndexBuildResult *
dllb_hnsw_build(Relation heap, Relation index, IndexInfo *indexInfo)
{
	IndexBuildResult *result;
	BuildState	b;
	double		reltuples;
	int32		typmod = TupleDescAttr(RelationGetDescr(index), 0)->atttypmod;
	int			m = dllb_hnsw_get_m(index);
	HnswQuant	quant = dllb_hnsw_get_quantization(index);

	if (RelationGetNumberOfBlocks(index) != 0)
		elog(ERROR, "index \"%s\" already contains data", RelationGetRelationName(index));
	if (IndexRelationGetNumberOfKeyAttributes(index) > 2)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a dllb_hnsw index has a vector column and at most one filter column")));

	memset(&b, 0, sizeof(b));
	b.heap = heap;
	b.index = index;
	b.indexInfo = indexInfo;
	dllb_hnsw_shape_init(&b.shape, dllb_hnsw_metric(index), typmod > 0 ? typmod : 0, m,
						 quant, dllb_hnsw_keykind(index));
	dllb_hnsw_shape_init(&b.mshape, b.shape.metric, b.shape.dim, m, quant, HNSW_KEY_NONE);
	b.efc = dllb_hnsw_get_ef_construction(index);
	if (b.efc < 2 * m)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ef_construction must be at least 2 * m"),
				 errdetail("m is %d and ef_construction is %d.", m, b.efc)));
	if (b.shape.dim > 0)
		dllb_hnsw_check_dim(index, &b.shape);
	b.cxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_hnsw build",
								  ALLOCSET_DEFAULT_SIZES);
	b.tmpcxt = AllocSetContextCreate(CurrentMemoryContext, "dllb_hnsw build row",
									 ALLOCSET_DEFAULT_SIZES);
	b.mem_limit = (Size) maintenance_work_mem * 1024;
	b.cap = 1024;
	b.elems = MemoryContextAllocHuge(b.cxt, sizeof(BuildElement) * b.cap);
	b.entry = NO_SLOT;
	b.entry_level = -1;

	pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, 2);
	reltuples = table_index_build_scan(heap, index, indexInfo, true, true,
									   build_callback, (void *) &b, NULL);
	link_and_write(&b);
	if (b.nextra > 0)
		insert_extra(&b);

	MemoryContextDelete(b.tmpcxt);
	MemoryContextDelete(b.cxt);

	result = palloc(sizeof(IndexBuildResult));
	result->heap_tuples = reltuples;
	result->index_tuples = b.indtuples;
	return result;
}

/*
 * dllb_hnsw_buildempty - the init fork of an unlogged index: a meta page.
 */
void
dllb_hnsw_buildempty(Relation index)
{
	Buffer		buf = ReadBufferExtended(index, INIT_FORKNUM, P_NEW, RBM_NORMAL, NULL);
	GenericXLogState *state;
	Page		page;
	HnswMetaPageData *meta;
	int32		typmod = TupleDescAttr(RelationGetDescr(index), 0)->atttypmod;

	LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
	state = GenericXLogStart(index);
	page = GenericXLogRegisterBuffer(state, buf, GENERIC_XLOG_FULL_IMAGE);
	dllb_hnsw_init_page(page, HNSW_PAGE_META);
	meta = HnswPageGetMeta(page);
	memset(meta, 0, sizeof(*meta));
	meta->magic = HNSW_MAGIC;
	meta->version = HNSW_VERSION;
	meta->dim = typmod > 0 ? typmod : 0;
	meta->m = dllb_hnsw_get_m(index);
	meta->ef_construction = dllb_hnsw_get_ef_construction(index);
	meta->entry = HNSW_INVALID_ID;
	meta->entry_level = -1;
	meta->insert_page = InvalidBlockNumber;
	meta->quant = dllb_hnsw_get_quantization(index);
	meta->keykind = dllb_hnsw_keykind(index);
	((PageHeader) page)->pd_lower = ((char *) meta + sizeof(*meta)) - (char *) page;
	GenericXLogFinish(state);
	UnlockReleaseBuffer(buf);
}
