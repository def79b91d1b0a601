/*
 * batch-pool.c - batches handed over by ownership (see batch-pool.h).
 *
 * The free batches form a stack under a mutex; a batch knows its pool
 * (b->pool), so a consumer releases it without being told where it came
 * from. The lock is taken twice per batch of thousands of rows, never per
 * row. Batches are made when first taken, up to the pool's size, so a pool
 * sized for the worst case (a writer far behind) costs memory only when
 * that case comes. Invariant: avail = nfree + (cap - made), kept under the
 * lock and read without it as a hint.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "record/batch-pool.h"

struct fp_batch_pool {
	pthread_mutex_t lock;
	pthread_cond_t released;
	const struct fp_schema *schema;
	size_t rows;			/* per batch */
	size_t cap;			/* batches at most */
	size_t made;			/* batches made so far: all[0..made) */
	struct fp_batch **all;		/* every batch made, for freeing */
	struct fp_batch **free;		/* stack of free batches */
	size_t nfree;
	size_t avail;			/* free + not made yet (atomic: read as a hint) */
	bool closed;			/* freed by its owner: the last release frees it */
};

/* A batch from the stack, or a new one while fewer than cap exist; NULL
 * when neither can be had. Under the lock. */
static struct fp_batch *take_locked(struct fp_batch_pool *p)
{
	struct fp_batch *b;

	if (p->nfree > 0) {
		b = p->free[--p->nfree];
	} else if (p->made < p->cap && (b = fp_batch_new(p->schema, p->rows)) != NULL) {
		b->pool = p;
		p->all[p->made++] = b;
	} else {
		return NULL;
	}
	__atomic_sub_fetch(&p->avail, 1, __ATOMIC_RELAXED);
	return b;
}

struct fp_batch_pool *fp_batch_pool_new(const struct fp_schema *schema, size_t rows, size_t nbatches)
{
	struct fp_batch_pool *p = calloc(1, sizeof(*p));
	struct fp_batch *first;

	if (p == NULL)
		return NULL;
	p->schema = schema;
	p->rows = rows;
	p->cap = nbatches ? nbatches : 1;
	p->avail = p->cap;
	p->free = calloc(p->cap, sizeof(*p->free));
	p->all = calloc(p->cap, sizeof(*p->all));
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->released, NULL);
	/* one batch now: a pool that cannot make even one is no pool */
	if (p->free == NULL || p->all == NULL || (first = take_locked(p)) == NULL) {
		fp_batch_pool_free(p);
		return NULL;
	}
	p->free[p->nfree++] = first;
	p->avail++;
	return p;
}

static void pool_destroy(struct fp_batch_pool *p)
{
	for (size_t i = 0; i < p->made; i++)
		fp_batch_free(p->all[i]);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->released);
	free(p->free);
	free(p->all);
	free(p);
}

void fp_batch_pool_free(struct fp_batch_pool *p)
{
	bool all_back;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->closed = true;
	all_back = p->nfree == p->made;
	pthread_mutex_unlock(&p->lock);
	if (all_back)
		pool_destroy(p);
}

struct fp_batch *fp_batch_pool_take(struct fp_batch_pool *p)
{
	struct fp_batch *b;

	pthread_mutex_lock(&p->lock);
	b = take_locked(p);
	pthread_mutex_unlock(&p->lock);
	return b;
}

struct fp_batch *fp_batch_pool_wait(struct fp_batch_pool *p)
{
	struct fp_batch *b;

	pthread_mutex_lock(&p->lock);
	while ((b = take_locked(p)) == NULL && p->made == p->cap)
		pthread_cond_wait(&p->released, &p->lock);
	pthread_mutex_unlock(&p->lock);
	return b;	/* NULL: a batch could not be made */
}

void fp_batch_pool_wait_more(struct fp_batch_pool *p, size_t than)
{
	pthread_mutex_lock(&p->lock);
	while (p->avail <= than && p->nfree < p->made)
		pthread_cond_wait(&p->released, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

size_t fp_batch_pool_available(struct fp_batch_pool *p)
{
	/* a hint read without the lock: the producer asks before every packet */
	return __atomic_load_n(&p->avail, __ATOMIC_RELAXED);
}

void fp_batch_release(struct fp_batch *b)
{
	struct fp_batch_pool *p;
	bool last;

	if (b == NULL)
		return;
	p = b->pool;
	if (p == NULL) {
		fp_batch_free(b);
		return;
	}
	fp_batch_clear(b);
	pthread_mutex_lock(&p->lock);
	p->free[p->nfree++] = b;
	__atomic_add_fetch(&p->avail, 1, __ATOMIC_RELAXED);
	last = p->closed && p->nfree == p->made;
	pthread_cond_signal(&p->released);
	pthread_mutex_unlock(&p->lock);
	if (last)
		pool_destroy(p);	/* its owner is gone and this was the last one out */
}
