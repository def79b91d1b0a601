/*
 * file-sink.h - the file sinks' constructors beyond sink.h's plain one:
 * with the atomic file's options (tests inject failing system calls), and
 * the hour-partitioned sink (partition-sink.c).
 */
#ifndef FP_SINK_FILE_SINK_H
#define FP_SINK_FILE_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "sink/atomic-file.h"
#include "sink/sink.h"

/* fp_file_sink_open() with the atomic file's options (NULL: defaults). */
struct fp_sink *fp_file_sink_open_with(const char *path, const struct fp_schema *schema,
				       const struct fp_format_options *opts, const struct fp_atomic_file_options *file,
				       struct fp_error *err);

/* ------------------------------------------------------------ partitioned by hour */

#define FP_PARTITION_DEFAULT_GRACE_NS ((int64_t)(3600 + 60) * 1000000000)
#define FP_PARTITION_DEFAULT_MAX_OPEN 8

struct fp_partition_sink_options {
	const char *dir;		/* the table's root directory (created if missing) */
	const char *prefix;		/* file name prefix (default "flows") */
	const char *time_field;		/* the TIMESTAMP field rows are routed by (default "timestamp") */
	struct fp_format_options format;	/* AUTO means Parquet */
	/* An hour's partition is closed (published) by tick(now) once
	 * now >= the hour's end + grace_ns: rows of an hour keep arriving
	 * after it, up to the flows' active timeout. */
	int64_t grace_ns;
	/* At most this many partitions open at once; a new hour beyond it
	 * closes the oldest hour first. */
	size_t max_open;
	const struct fp_file_ops *file_ops;	/* NULL: the real system calls */
};

void fp_partition_sink_options_defaults(struct fp_partition_sink_options *o);

/* Rows go to DIR/date=YYYY-MM-DD/hour=HH/PREFIX-<YYYYmmddTHH>-<seq>.<ext>
 * by the UTC hour of their time field. */
struct fp_sink *fp_partition_sink_open(const struct fp_schema *schema, const struct fp_partition_sink_options *o,
				       struct fp_error *err);

/* ------------------------------------------------------ rotating by wall clock */

struct fp_rotate_sink_options {
	const char *dir;		/* the table's root directory */
	const char *stem;		/* file name stem, e.g. "HOST_eth0" */
	struct fp_format_options format;	/* a definite format (not AUTO) */
	int64_t interval_ns;		/* rotation interval (aligned to the epoch, so to
					 * wall-clock boundaries when it divides a day) */
	const struct fp_file_ops *file_ops;	/* NULL: the real system calls */
	/* Called after each file is published (any thread the sink runs on). */
	void (*published)(void *ctx, const char *path, uint64_t rows);
	void *ctx;
};

/* Rows go to DIR/date=YYYY-MM-DD/hour=HH/STEM_YYYYmmddTHHMMSSZ[-N].EXT,
 * one file per interval, the interval of the latest `now` (this one, then
 * each tick's). */
struct fp_sink *fp_rotate_sink_open(const struct fp_schema *schema, const struct fp_rotate_sink_options *o,
				    int64_t now_ns, struct fp_error *err);

/* ------------------------------------------------------------------ tee */

/* The same rows to each of `sinks` (it owns them from now, also on failure). */
struct fp_sink *fp_tee_sink_new(struct fp_sink **sinks, size_t n, struct fp_error *err);

#endif
