/*
 * sink.h - where record batches go: destinations, not encodings.
 *
 * A sink is opened (by its own constructor) for a schema, receives row
 * ranges of batches, and ends either closed (everything published) or
 * aborted (nothing left behind). Encodings are format writers
 * (format/format-writer.h) that file sinks hold; a sink knows only where
 * bytes go and when they are durable.
 *
 *   write(batch, first_row, nrows)  rows, in order
 *   tick(now_ns)                    time passes without rows: a sink that
 *                                   closes files by time (an hour's
 *                                   partition) does it here
 *   flush                           make what was written durable or
 *                                   published where the sink can (Kafka:
 *                                   wait for deliveries; one file: no-op,
 *                                   it appears only at close)
 *   close                           publish everything; frees the sink
 *   abort                           discard; frees the sink
 *
 * Errors are returned, never hidden. An asynchronous sink (Kafka) learns
 * of some failures after the call that caused them returned: it records
 * them with fp_sink_fail(), every later op then returns that error, and
 * fp_sink_error() polls for it between writes. Invariant: once a sink has
 * failed it stays failed; only abort (or close, which then fails and
 * discards) ends it. Ops are called from one thread at a time.
 */
#ifndef FP_SINK_SINK_H
#define FP_SINK_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include "format/format-writer.h"
#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

struct fp_sink;

struct fp_sink_ops {
	int (*write)(struct fp_sink *s, const struct fp_batch *b, size_t first_row, size_t nrows,
		     struct fp_error *err);
	int (*tick)(struct fp_sink *s, int64_t now_ns, struct fp_error *err);	/* NULL: nothing timed */
	int (*flush)(struct fp_sink *s, struct fp_error *err);			/* NULL: nothing to do */
	int (*close)(struct fp_sink *s, struct fp_error *err);			/* publish; frees s */
	void (*abort)(struct fp_sink *s);					/* discard; frees s */
	/* Collects errors that arrived since (delivery reports); NULL: none can. */
	void (*poll)(struct fp_sink *s);
};

struct fp_sink {
	const struct fp_sink_ops *ops;
	uint64_t rows_written;		/* rows accepted by write */
	size_t rows_held;		/* rows it may hold before encoding any (fp_format_rows_held()) */
	bool failed;			/* sticky: `error` says why */
	struct fp_error error;
};

/* For sink implementations: records a failure (the first one wins) and
 * returns -1. */
int fp_sink_fail(struct fp_sink *s, const struct fp_error *why);

/* 0 if the sink is well, else -1 with the error it failed with, now or
 * earlier (an asynchronous sink is polled first). */
int fp_sink_error(struct fp_sink *s, struct fp_error *err);

int fp_sink_write_rows(struct fp_sink *s, const struct fp_batch *b, size_t first_row, size_t nrows,
		       struct fp_error *err);
/* All of the batch's rows. */
int fp_sink_write(struct fp_sink *s, const struct fp_batch *b, struct fp_error *err);
int fp_sink_tick(struct fp_sink *s, int64_t now_ns, struct fp_error *err);
int fp_sink_flush(struct fp_sink *s, struct fp_error *err);
/* Publishes and frees; if the sink failed before, discards and returns
 * that error. */
int fp_sink_close(struct fp_sink *s, struct fp_error *err);
void fp_sink_abort(struct fp_sink *s);

/* ------------------------------------------------------------ file sinks */

/* One file, published atomically at close. The format is opts->format, or
 * from the name's extension when that is FP_FORMAT_AUTO. */
struct fp_sink *fp_file_sink_open(const char *path, const struct fp_schema *schema,
				  const struct fp_format_options *opts, struct fp_error *err);

#endif
