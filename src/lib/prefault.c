/*
 * prefault.c - the prefaulting helper (see prefault.h). Requests are rare
 * (one per few MB of memory mapped), so a small queue under a mutex does:
 * the helper sleeps on a condition until a request or the end comes.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "lib/prefault.h"
#include "lib/thread.h"

#define QUEUE 16

struct range {
	void *addr;
	size_t len;
};

struct fp_prefault {
	struct range queue[QUEUE];
	unsigned head, count;
	bool ending;
	pthread_mutex_t lock;
	pthread_cond_t queued;
	pthread_t thread;
};

static void populate(const struct range *r)
{
#ifdef MADV_POPULATE_WRITE
	(void)madvise(r->addr, r->len, MADV_POPULATE_WRITE);	/* a hint: failures change nothing */
#else
	(void)r;
#endif
}

static void *prefault_main(void *arg)
{
	struct fp_prefault *pf = arg;

	pthread_mutex_lock(&pf->lock);
	for (;;) {
		struct range r;

		while (pf->count == 0 && !pf->ending)
			pthread_cond_wait(&pf->queued, &pf->lock);
		if (pf->ending)
			break;
		r = pf->queue[pf->head];
		pf->head = (pf->head + 1) % QUEUE;
		pf->count--;
		pthread_mutex_unlock(&pf->lock);
		populate(&r);
		pthread_mutex_lock(&pf->lock);
	}
	pthread_mutex_unlock(&pf->lock);
	return NULL;
}

struct fp_prefault *fp_prefault_start(void)
{
	struct fp_prefault *pf = calloc(1, sizeof(*pf));

	if (pf == NULL)
		return NULL;
	pthread_mutex_init(&pf->lock, NULL);
	pthread_cond_init(&pf->queued, NULL);
	if (fp_thread_start(&pf->thread, prefault_main, pf) != 0) {
		pthread_mutex_destroy(&pf->lock);
		pthread_cond_destroy(&pf->queued);
		free(pf);
		return NULL;
	}
	return pf;
}

void fp_prefault_request(struct fp_prefault *pf, void *addr, size_t len)
{
	pthread_mutex_lock(&pf->lock);
	if (pf->count < QUEUE) {
		pf->queue[(pf->head + pf->count) % QUEUE] = (struct range){ addr, len };
		pf->count++;
		pthread_cond_signal(&pf->queued);
	}
	pthread_mutex_unlock(&pf->lock);
}

void fp_prefault_free(struct fp_prefault *pf)
{
	if (pf == NULL)
		return;
	pthread_mutex_lock(&pf->lock);
	pf->ending = true;
	pthread_cond_signal(&pf->queued);
	pthread_mutex_unlock(&pf->lock);
	pthread_join(pf->thread, NULL);
	pthread_mutex_destroy(&pf->lock);
	pthread_cond_destroy(&pf->queued);
	free(pf);
}
