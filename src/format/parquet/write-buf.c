/*
 * write-buf.c - growing a struct pq_buf (see write-buf.h): capacity
 * doubles, so appending n bytes one at a time costs O(n) overall.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "format/parquet/write-buf.h"

bool pq_buf_grow(struct pq_buf *b, size_t extra)
{
	size_t need, cap;
	uint8_t *p;

	if (b->failed)
		return false;
	if (extra > SIZE_MAX - b->len) {
		b->failed = true;
		return false;
	}
	need = b->len + extra;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->p, cap);
	if (p == NULL) {
		b->failed = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void pq_buf_free(struct pq_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->failed = false;
}
