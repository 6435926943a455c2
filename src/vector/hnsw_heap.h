/*-------------------------------------------------------------------------
 *
 * hnsw_heap.h
 *	  A binary heap of (distance, pointer) pairs, min- or max-ordered,
 *	  for the candidate and result sets of graph searches.
 *
 * IDENTIFICATION
 *	  src/vector/hnsw_heap.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_HNSW_HEAP_H
#define DLLB_HNSW_HEAP_H

#include "postgres.h"

typedef struct HnswHeapItem
{
	float		dist;
	void	   *ptr;
} HnswHeapItem;

typedef struct HnswHeap
{
	HnswHeapItem *items;
	int			n;
	int			cap;
	bool		max;			/* largest distance on top when true */
} HnswHeap;

static inline void
hnsw_heap_init(HnswHeap *h, int cap, bool max)
{
	h->items = palloc(sizeof(HnswHeapItem) * cap);
	h->n = 0;
	h->cap = cap;
	h->max = max;
}

static inline bool
hnsw_heap_before(const HnswHeap *h, float a, float b)
{
	return h->max ? a > b : a < b;
}

static inline void
hnsw_heap_push(HnswHeap *h, float dist, void *ptr)
{
	int			i;

	if (h->n == h->cap)
	{
		h->cap *= 2;
		h->items = repalloc(h->items, sizeof(HnswHeapItem) * h->cap);
	}
	i = h->n++;
	while (i > 0)
	{
		int			parent = (i - 1) / 2;

		if (!hnsw_heap_before(h, dist, h->items[parent].dist))
			break;
		h->items[i] = h->items[parent];
		i = parent;
	}
	h->items[i].dist = dist;
	h->items[i].ptr = ptr;
}

static inline void *
hnsw_heap_pop(HnswHeap *h)
{
	void	   *top = h->items[0].ptr;
	HnswHeapItem last = h->items[--h->n];
	int			i = 0;

	for (;;)
	{
		int			child = 2 * i + 1;

		if (child >= h->n)
			break;
		if (child + 1 < h->n &&
			hnsw_heap_before(h, h->items[child + 1].dist, h->items[child].dist))
			child++;
		if (!hnsw_heap_before(h, h->items[child].dist, last.dist))
			break;
		h->items[i] = h->items[child];
		i = child;
	}
	if (h->n > 0)
		h->items[i] = last;
	return top;
}

/* distance of the top item */
#define hnsw_heap_top_dist(h) ((h)->items[0].dist)

#endif							/* DLLB_HNSW_HEAP_H */
