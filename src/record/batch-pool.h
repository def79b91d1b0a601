/*
 * batch-pool.h - a small, bounded set of record batches handed from the
 * producer (a meter, a table reader) to the consumer (a sink, maybe on a
 * worker thread or a later event-loop turn) by ownership.
 *
 * The producer takes a cleared batch, fills it, and hands it over; whoever
 * holds it last gives it back with fp_batch_release(), from any thread. A
 * pool never blocks and never grows past its size: when every batch is
 * out, take returns NULL and the producer must wait for a release (an
 * event loop stops feeding; a thread waits with fp_batch_pool_wait()). So
 * memory is bounded by the pool size, and a slow consumer slows the
 * producer instead of piling rows up. Batches are made the first time they
 * are taken, so a pool sized for the worst case (a writer far behind)
 * holds only what was needed.
 */
#ifndef FP_RECORD_BATCH_POOL_H
#define FP_RECORD_BATCH_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "record/batch.h"
#include "record/schema.h"

struct fp_batch_pool;

/* Up to `nbatches` batches of `rows` rows of `schema` (borrowed: it must
 * outlive the pool): one is made now, the others the first time they are
 * taken. NULL when memory runs out. */
struct fp_batch_pool *fp_batch_pool_new(const struct fp_schema *schema, size_t rows, size_t nbatches);
/* Frees the pool now if every batch is back, else when the last one is
 * released (a consumer on another thread may still hold some: the
 * producer need not wait for it). */
void fp_batch_pool_free(struct fp_batch_pool *p);

/* A cleared batch, now owned by the caller, or NULL when all are out (or
 * one more cannot be made). */
struct fp_batch *fp_batch_pool_take(struct fp_batch_pool *p);
/* Waits until a batch is free (for a producer thread), then takes it;
 * NULL only when one more could not be made. */
struct fp_batch *fp_batch_pool_wait(struct fp_batch_pool *p);
/* Waits until more than `than` batches are in the pool (a producer
 * thread waiting for its consumer to give some back). */
void fp_batch_pool_wait_more(struct fp_batch_pool *p, size_t than);
/* How many batches can be taken now: the free ones and those not made yet. */
size_t fp_batch_pool_available(struct fp_batch_pool *p);

/* Gives `b` back to its pool (any thread); a batch from fp_batch_new()
 * (no pool) is freed. */
void fp_batch_release(struct fp_batch *b);

#endif
