/*
 * writer.h - the daemon's output thread: every sink is opened, written,
 * ticked and closed there, so Parquet encoding, compression and fsync
 * never run on the event loop.
 *
 * The loop hands work over in order through one FIFO of jobs: open a
 * stream (a sink made by a constructor that runs on the writer thread),
 * write a batch to it (the batch's ownership moves with the job; the
 * writer releases it to its pool when written), tick every stream, close
 * (publish) or abort one. The writer answers with events, delivered on the
 * loop thread through an eventfd: a batch was released (producers that
 * waited for room can go on), a stream was closed (ok or not), a stream
 * failed, a file was published.
 *
 * The hand-off is bounded without a limit of its own: every WRITE carries
 * a batch from a producer's fixed pool, so at most the pools' batches are
 * ever queued; control jobs are few.
 */
#ifndef FP_DAEMON_WRITER_H
#define FP_DAEMON_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>

#include "lib/error.h"
#include "record/batch.h"
#include "sink/sink.h"

enum fpd_writer_event_kind {
	FPD_WRITER_RELEASED,	/* a batch of `stream` went back to its pool */
	FPD_WRITER_CLOSED,	/* close of `stream` done: ok, or `error` */
	FPD_WRITER_FAILED,	/* `stream` failed (write/tick): its rows are lost from here */
	FPD_WRITER_PUBLISHED,	/* a file `path` of `rows` rows appeared under its final name */
};

struct fpd_writer_event {
	enum fpd_writer_event_kind kind;
	uint32_t stream;
	uint64_t token;		/* CLOSED: the caller's */
	bool ok;
	uint64_t rows;		/* CLOSED: rows the stream took; PUBLISHED: rows of the file */
	char path[1024];	/* PUBLISHED */
	struct fp_error error;	/* CLOSED (not ok), FAILED */
};

typedef void (*fpd_writer_event_fn)(void *ctx, const struct fpd_writer_event *ev);

/* Makes a stream's sink, on the writer thread. `publish` reports files
 * the sink publishes by itself (rotation); call it from the sink. */
struct fpd_publish {
	void (*fn)(void *ctx, const char *path, uint64_t rows);
	void *ctx;
};
typedef struct fp_sink *(*fpd_sink_factory)(void *arg, const struct fpd_publish *publish, struct fp_error *err);

struct fpd_writer;

struct fpd_writer *fpd_writer_new(struct event_base *base, fpd_writer_event_fn fn, void *ctx, struct fp_error *err);
/* Finishes every queued job, stops the thread, aborts streams left open. */
void fpd_writer_free(struct fpd_writer *w);

/* A new stream id; its sink is made by factory(arg) on the writer thread,
 * then arg is given to free_arg. */
uint32_t fpd_writer_open(struct fpd_writer *w, fpd_sink_factory factory, void *arg, void (*free_arg)(void *));
void fpd_writer_write(struct fpd_writer *w, uint32_t stream, struct fp_batch *b);
void fpd_writer_tick(struct fpd_writer *w, int64_t now_ns);
void fpd_writer_close(struct fpd_writer *w, uint32_t stream, uint64_t token);
void fpd_writer_abort(struct fpd_writer *w, uint32_t stream);

/* Jobs queued and not yet done (metrics; a sign of a slow disk). */
uint64_t fpd_writer_backlog(struct fpd_writer *w);

#endif
