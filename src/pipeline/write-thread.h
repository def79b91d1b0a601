/*
 * write-thread.h - a meter's record batches written on a second thread.
 *
 * Written where they are made, the encoding of a batch (CSV text, Parquet
 * pages and their compression) and the write() calls take the metering
 * thread's time; at a million flows that is a third of it. Handed to this
 * thread instead, they overlap with metering.
 *
 * fp_write_thread_emit() is a meter's emit function: it takes the batch
 * by ownership, queues it, and the thread calls `write` on it and gives it
 * back to its pool. The queue holds at most `depth` batches, the one being
 * written included, and emit waits while it is full, so the batches out at
 * once are the queue's and the one being filled: a meter whose pool has
 * depth + 1 batches never makes one beyond its pool, and one waiting for
 * its pool (fp_meter_wait_ready()) is always woken by the thread giving one
 * back.
 *
 * Batches are written in the order emitted. The first failed write is kept;
 * from then on batches are given back unwritten and every emit fails with
 * that error, so the meter stops. `write` is called on the thread only,
 * so what it writes to (a sink) must not be touched by anyone else until
 * fp_write_thread_finish() returned.
 */
#ifndef FP_PIPELINE_WRITE_THREAD_H
#define FP_PIPELINE_WRITE_THREAD_H

#include <stddef.h>

#include "lib/error.h"
#include "record/batch.h"

typedef int (*fp_write_fn)(void *ctx, const struct fp_batch *b, struct fp_error *err);

struct fp_write_thread;

/* NULL (err set) if the thread cannot be started. */
struct fp_write_thread *fp_write_thread_start(fp_write_fn write, void *ctx, size_t depth, struct fp_error *err);

/* An fp_meter_emit_fn (ctx: the write thread). */
int fp_write_thread_emit(void *thread, struct fp_batch *b, struct fp_error *err);

/* Waits for every queued batch to be written, ends the thread and frees
 * it. Returns -1 (err set) if a write failed. */
int fp_write_thread_finish(struct fp_write_thread *t, struct fp_error *err);

#endif
