/*
 * sink.h - where record batches go.
 *
 * A sink is opened for a schema, receives batches, and is closed (the
 * output is published) or aborted (nothing is left behind). Errors are
 * returned, never hidden. Every sink derives its columns from the schema.
 *
 * The file sink writes one CSV or Parquet file through an atomic file
 * (hidden temporary name, fsync, rename on close). The daemon's rotating,
 * hour-partitioned sink and the Kafka sink will implement the same ops.
 */
#ifndef FP_SINK_SINK_H
#define FP_SINK_SINK_H

#include "format/parquet/parquet.h"
#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

enum fp_format { FP_FORMAT_AUTO = 0, FP_FORMAT_CSV, FP_FORMAT_PARQUET };

/* "csv" / "parquet" -> format; -1 if unknown. */
int fp_format_parse(const char *name);
/* From the file name's extension (.csv, .parquet, .pq); FP_FORMAT_AUTO if unknown. */
enum fp_format fp_format_from_path(const char *path);
const char *fp_format_name(enum fp_format f);

struct fp_sink_options {
	enum fp_format format;			/* AUTO: from the extension */
	struct fp_parquet_write_options parquet;
};

void fp_sink_options_defaults(struct fp_sink_options *o);

struct fp_sink;

struct fp_sink_ops {
	int (*write)(struct fp_sink *s, const struct fp_batch *b, struct fp_error *err);
	int (*close)(struct fp_sink *s, struct fp_error *err);	/* publish; frees s */
	void (*abort)(struct fp_sink *s);				/* discard; frees s */
};

struct fp_sink {
	const struct fp_sink_ops *ops;
	uint64_t rows_written;
};

struct fp_sink *fp_file_sink_open(const char *path, const struct fp_schema *schema,
				  const struct fp_sink_options *opts, struct fp_error *err);

static inline int fp_sink_write(struct fp_sink *s, const struct fp_batch *b, struct fp_error *err)
{
	int rc = s->ops->write(s, b, err);
	if (rc == 0)
		s->rows_written += b->nrows;
	return rc;
}
static inline int fp_sink_close(struct fp_sink *s, struct fp_error *err) { return s->ops->close(s, err); }
static inline void fp_sink_abort(struct fp_sink *s) { s->ops->abort(s); }

#endif
