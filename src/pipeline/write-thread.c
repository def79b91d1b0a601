/*
 * write-thread.c - the output thread and its bounded queue (see
 * write-thread.h).
 *
 * A ring of `depth` batch pointers under one mutex, with one condition
 * for each side (something to write; room to queue). The lock is taken a
 * few times per batch of thousands of rows, never per row, and never held
 * while writing.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "lib/thread.h"
#include "pipeline/write-thread.h"
#include "record/batch-pool.h"

struct fp_write_thread {
	fp_write_fn write;
	void *ctx;
	struct fp_batch **ring;
	size_t depth, head, count;	/* queued: ring[head], ... count of them */
	bool closing;			/* finish() was called: write what is queued, then end */
	bool failed;			/* a write failed: `error` says why */
	struct fp_error error;
	pthread_mutex_t lock;
	pthread_cond_t queued;		/* count went up, or closing */
	pthread_cond_t room;		/* count went down */
	pthread_t thread;
};

/* The next batch to write, or NULL when closing and nothing is left. */
static struct fp_batch *next_batch(struct fp_write_thread *t, bool *failed)
{
	struct fp_batch *b = NULL;

	pthread_mutex_lock(&t->lock);
	while (t->count == 0 && !t->closing)
		pthread_cond_wait(&t->queued, &t->lock);
	if (t->count > 0) {
		b = t->ring[t->head];
		t->head = (t->head + 1) % t->depth;
		t->count--;
		pthread_cond_signal(&t->room);
	}
	*failed = t->failed;
	pthread_mutex_unlock(&t->lock);
	return b;
}

static void *write_thread_main(void *arg)
{
	struct fp_write_thread *t = arg;
	struct fp_batch *b;
	bool failed;

	while ((b = next_batch(t, &failed)) != NULL) {
		struct fp_error why;

		if (!failed && t->write(t->ctx, b, &why) < 0) {
			pthread_mutex_lock(&t->lock);
			t->failed = true;
			t->error = why;
			pthread_mutex_unlock(&t->lock);
		}
		fp_batch_release(b);
	}
	return NULL;
}

struct fp_write_thread *fp_write_thread_start(fp_write_fn write, void *ctx, size_t depth, struct fp_error *err)
{
	struct fp_write_thread *t = calloc(1, sizeof(*t));

	if (t == NULL || (t->ring = calloc(depth ? depth : 1, sizeof(*t->ring))) == NULL) {
		free(t);
		fp_error_set(err, "out of memory starting the output thread");
		return NULL;
	}
	t->write = write;
	t->ctx = ctx;
	t->depth = depth ? depth : 1;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->queued, NULL);
	pthread_cond_init(&t->room, NULL);
	if (fp_thread_start(&t->thread, write_thread_main, t) != 0) {
		fp_error_set(err, "cannot start the output thread");
		pthread_mutex_destroy(&t->lock);
		pthread_cond_destroy(&t->queued);
		pthread_cond_destroy(&t->room);
		free(t->ring);
		free(t);
		return NULL;
	}
	return t;
}

int fp_write_thread_emit(void *thread, struct fp_batch *b, struct fp_error *err)
{
	struct fp_write_thread *t = thread;

	pthread_mutex_lock(&t->lock);
	while (t->count == t->depth && !t->failed)
		pthread_cond_wait(&t->room, &t->lock);
	if (t->failed) {
		*err = t->error;
		pthread_mutex_unlock(&t->lock);
		fp_batch_release(b);
		return -1;
	}
	t->ring[(t->head + t->count) % t->depth] = b;
	t->count++;
	pthread_cond_signal(&t->queued);
	pthread_mutex_unlock(&t->lock);
	return 0;
}

int fp_write_thread_finish(struct fp_write_thread *t, struct fp_error *err)
{
	int rc;

	pthread_mutex_lock(&t->lock);
	t->closing = true;
	pthread_cond_signal(&t->queued);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	rc = t->failed ? -1 : 0;
	if (t->failed)
		*err = t->error;
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->queued);
	pthread_cond_destroy(&t->room);
	free(t->ring);
	free(t);
	return rc;
}
