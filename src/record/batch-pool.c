/*
 * batch-pool.c - batches handed over by ownership (see batch-pool.h).
 *
 * The free batches form a stack under a mutex; a batch knows its pool
 * (b->pool), so a consumer releases it without being told where it came
 * from. The lock is taken twice per batch of thousands of rows, never per
 * row.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "record/batch-pool.h"

struct fp_batch_pool {
	pthread_mutex_t lock;
	pthread_cond_t released;
	struct fp_batch **free;		/* stack of free batches */
	size_t nfree;
	size_t nbatches;
	struct fp_batch **all;		/* every batch, for freeing */
	bool closed;			/* freed by its owner: the last release frees it */
};

struct fp_batch_pool *fp_batch_pool_new(const struct fp_schema *schema, size_t rows, size_t nbatches)
{
	struct fp_batch_pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	if (nbatches == 0)
		nbatches = 1;
	p->free = calloc(nbatches, sizeof(*p->free));
	p->all = calloc(nbatches, sizeof(*p->all));
	if (p->free == NULL || p->all == NULL)
		goto fail;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->released, NULL);
	for (; p->nbatches < nbatches; p->nbatches++) {
		struct fp_batch *b = fp_batch_new(schema, rows);

		if (b == NULL) {
			fp_batch_pool_free(p);
			return NULL;
		}
		b->pool = p;
		p->all[p->nbatches] = b;
		p->free[p->nfree++] = b;
	}
	return p;
fail:
	free(p->free);
	free(p->all);
	free(p);
	return NULL;
}

static void pool_destroy(struct fp_batch_pool *p)
{
	for (size_t i = 0; i < p->nbatches; i++)
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
	all_back = p->nfree == p->nbatches;
	pthread_mutex_unlock(&p->lock);
	if (all_back)
		pool_destroy(p);
}

struct fp_batch *fp_batch_pool_take(struct fp_batch_pool *p)
{
	struct fp_batch *b = NULL;

	pthread_mutex_lock(&p->lock);
	if (p->nfree > 0)
		b = p->free[__atomic_sub_fetch(&p->nfree, 1, __ATOMIC_RELAXED)];
	pthread_mutex_unlock(&p->lock);
	return b;
}

struct fp_batch *fp_batch_pool_wait(struct fp_batch_pool *p)
{
	struct fp_batch *b;

	pthread_mutex_lock(&p->lock);
	while (p->nfree == 0)
		pthread_cond_wait(&p->released, &p->lock);
	b = p->free[__atomic_sub_fetch(&p->nfree, 1, __ATOMIC_RELAXED)];
	pthread_mutex_unlock(&p->lock);
	return b;
}

void fp_batch_pool_wait_more(struct fp_batch_pool *p, size_t than)
{
	pthread_mutex_lock(&p->lock);
	while (p->nfree <= than && p->nfree < p->nbatches)
		pthread_cond_wait(&p->released, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

size_t fp_batch_pool_available(struct fp_batch_pool *p)
{
	/* a hint read without the lock: the producer asks before every packet */
	return __atomic_load_n(&p->nfree, __ATOMIC_RELAXED);
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
	p->free[p->nfree] = b;
	__atomic_add_fetch(&p->nfree, 1, __ATOMIC_RELAXED);
	last = p->closed && p->nfree == p->nbatches;
	pthread_cond_signal(&p->released);
	pthread_mutex_unlock(&p->lock);
	if (last)
		pool_destroy(p);	/* its owner is gone and this was the last one out */
}
