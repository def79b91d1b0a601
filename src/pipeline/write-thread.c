/*
 * write-thread.c - the output thread and its bounded queue (see
 * write-thread.h).
 *
 * The queue is a ring (lib/ring.h) of `depth` batch pointers; the batch
 * being written stays in its slot until it is written and given back, so
 * the batches out at once are at most depth + 1 (the ring's and the one
 * the meter fills). No lock is held while writing.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "lib/ring.h"
#include "lib/thread.h"
#include "pipeline/write-thread.h"
#include "record/batch-pool.h"

struct fp_write_thread {
	fp_write_fn write;
	void *ctx;
	struct fp_ring ring;		/* slots: queued batches, the oldest being written */
	struct fp_batch **slots;
	_Atomic bool failed;		/* a write failed: `error` (written before) says why */
	struct fp_error error;
	pthread_t thread;
};

static void *write_thread_main(void *arg)
{
	struct fp_write_thread *t = arg;
	int slot;

	while ((slot = fp_ring_wait_full(&t->ring, 0)) >= 0) {
		struct fp_batch *b = t->slots[slot];
		struct fp_error why;

		if (!atomic_load(&t->failed) && t->write(t->ctx, b, &why) < 0) {
			t->error = why;
			atomic_store(&t->failed, true);
		}
		fp_batch_release(b);
		fp_ring_pop(&t->ring);
	}
	return NULL;
}

static void write_thread_free(struct fp_write_thread *t)
{
	fp_ring_destroy(&t->ring);
	free(t->slots);
	free(t);
}

struct fp_write_thread *fp_write_thread_start(fp_write_fn write, void *ctx, size_t depth, struct fp_error *err)
{
	struct fp_write_thread *t = calloc(1, sizeof(*t));

	if (depth == 0)
		depth = 1;
	if (t == NULL || (t->slots = calloc(depth, sizeof(*t->slots))) == NULL) {
		free(t);
		fp_error_set(err, "out of memory starting the output thread");
		return NULL;
	}
	t->write = write;
	t->ctx = ctx;
	atomic_init(&t->failed, false);
	fp_ring_init(&t->ring, (unsigned)depth, (unsigned)depth - 1, 1);
	if (fp_thread_start(&t->thread, write_thread_main, t) != 0) {
		fp_error_set(err, "cannot start the output thread");
		write_thread_free(t);
		return NULL;
	}
	return t;
}

int fp_write_thread_emit(void *thread, struct fp_batch *b, struct fp_error *err)
{
	struct fp_write_thread *t = thread;
	int slot;

	if (atomic_load(&t->failed)) {
		*err = t->error;
		fp_batch_release(b);
		return -1;
	}
	slot = fp_ring_reserve(&t->ring);	/* never stopped: the thread drains even after a failure */
	t->slots[slot] = b;
	fp_ring_push(&t->ring);
	return 0;
}

int fp_write_thread_finish(struct fp_write_thread *t, struct fp_error *err)
{
	int rc = 0;

	fp_ring_end(&t->ring);
	pthread_join(t->thread, NULL);
	if (atomic_load(&t->failed)) {
		*err = t->error;
		rc = -1;
	}
	write_thread_free(t);
	return rc;
}
