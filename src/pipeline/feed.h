/*
 * feed.h - a source's packets into a meter, a bounded number per call.
 *
 * The read loop that every front end needs, in one place: the CLI calls it
 * until the file ends; the daemon calls it from a loop turn with a small
 * budget so spool files and live interfaces share the loop fairly.
 */
#ifndef FP_PIPELINE_FEED_H
#define FP_PIPELINE_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "pipeline/decode-ahead.h"
#include "pipeline/meter.h"
#include "source/source.h"

enum fp_feed_status {
	FP_FEED_BUDGET,		/* fed `max_packets`: more may be waiting */
	FP_FEED_IDLE,		/* the source has nothing now (live): wait on its fd */
	FP_FEED_END,		/* the source ended cleanly */
	FP_FEED_NOT_READY,	/* the meter's batches are all out: release some first */
	FP_FEED_INPUT_ERROR,	/* the source is broken (err): what came before was metered */
	FP_FEED_OUTPUT_ERROR,	/* emitting records failed (fp_meter_error()) */
};

/* Feeds up to `max_packets` packets (0 = until the source ends or stops)
 * of `src` into `m`, which takes the source's link type. *fed (if not NULL)
 * gets the number of packets fed. */
enum fp_feed_status fp_meter_feed(struct fp_meter *m, struct fp_source *src, size_t max_packets, size_t *fed,
				  struct fp_error *err);

/* fp_meter_feed() for a source read and decoded by a helper thread
 * (decode-ahead.h): the same statuses; FP_FEED_IDLE never happens. Read
 * the progress from the decode-ahead, not from its source. */
enum fp_feed_status fp_meter_feed_ahead(struct fp_meter *m, struct fp_decode_ahead *da, size_t max_packets,
					size_t *fed, struct fp_error *err);

/*
 * A feeder: a source and, where one suits, the helper thread that reads
 * and decodes it ahead, behind one feed call, so a front end never chooses
 * between the two read loops itself. A helper is taken only when asked for
 * and the source is a regular file (it never blocks, so the helper stops
 * as soon as told); without a thread to be had, the caller reads.
 */
struct fp_feeder {
	struct fp_source *src;
	struct fp_decode_ahead *ahead;	/* NULL: the caller's thread reads src */
};

void fp_feeder_start(struct fp_feeder *f, struct fp_source *src, bool helper);
enum fp_feed_status fp_feeder_feed(struct fp_feeder *f, struct fp_meter *m, size_t max_packets, size_t *fed,
				   struct fp_error *err);
/* Bytes and packets of the source taken so far (progress). */
void fp_feeder_progress(const struct fp_feeder *f, uint64_t *bytes, uint64_t *packets);
/* Ends the helper, if any: the source is the caller's alone again. */
void fp_feeder_stop(struct fp_feeder *f);

#endif
