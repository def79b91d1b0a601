/*
 * format-writer.h - one interface for every table encoding flowprep
 * writes (CSV, Parquet, JSON lines), apart from where the bytes go.
 *
 * A format writer is opened on a stdio stream the caller owns (an atomic
 * file, a pipe, a memory stream) for one schema, takes row ranges of
 * record batches of that schema, and is finished (footer written, buffers
 * flushed into the stream) or aborted. It never closes, syncs or renames
 * the stream: durability and publishing are the sink's business.
 *
 * Invariants: a writer derives every column from the schema (no format
 * has its own column list); `write` appends rows [first_row, first_row +
 * nrows) in order; after any failure every later call fails; `finish` and
 * `abort` free the writer whatever happens.
 *
 * The registry maps names and file extensions to formats, so the CLI, the
 * file sinks and the daemon's configuration say the same things.
 */
#ifndef FP_FORMAT_FORMAT_WRITER_H
#define FP_FORMAT_FORMAT_WRITER_H

#include <stddef.h>
#include <stdio.h>

#include "format/parquet/parquet.h"
#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

enum fp_format { FP_FORMAT_AUTO = 0, FP_FORMAT_CSV, FP_FORMAT_PARQUET, FP_FORMAT_JSONL };

/* "csv", "parquet", "jsonl" (or "ndjson") -> format; -1 if unknown. */
int fp_format_parse(const char *name);
/* From the file name's extension (.csv, .parquet, .pq, .jsonl, .ndjson);
 * FP_FORMAT_AUTO if unknown. */
enum fp_format fp_format_from_path(const char *path);
/* "csv", "parquet", "jsonl"; "auto" for FP_FORMAT_AUTO. */
const char *fp_format_name(enum fp_format f);
/* The extension a new file of the format gets, without the dot. */
const char *fp_format_extension(enum fp_format f);
/* The names fp_format_parse() accepts, for messages: "csv, parquet or jsonl". */
#define FP_FORMAT_NAMES "csv, parquet or jsonl"

/* What a writer needs besides the schema. */
struct fp_format_options {
	enum fp_format format;			/* AUTO: the sink decides (from a file name) */
	struct fp_parquet_write_options parquet;
};

void fp_format_options_defaults(struct fp_format_options *o);

struct fp_format_writer;

struct fp_format_writer_ops {
	/* Writes any header to `out`. `name` is only for messages. The schema
	 * is borrowed and must outlive the writer. */
	struct fp_format_writer *(*open)(FILE *out, const char *name, const struct fp_schema *schema,
					 const struct fp_format_options *opts, struct fp_error *err);
	int (*write)(struct fp_format_writer *w, const struct fp_batch *b, size_t first_row, size_t nrows,
		     struct fp_error *err);
	/* Writes the footer and flushes into the stream; frees w. */
	int (*finish)(struct fp_format_writer *w, struct fp_error *err);
	/* Frees w without finishing (after an error). */
	void (*abort)(struct fp_format_writer *w);
};

/* Every writer starts with this, so a writer is reached through its ops. */
struct fp_format_writer {
	const struct fp_format_writer_ops *ops;
};

/* The writers, each defined next to its format. */
extern const struct fp_format_writer_ops fp_csv_format_writer_ops;
extern const struct fp_format_writer_ops fp_parquet_format_writer_ops;
extern const struct fp_format_writer_ops fp_jsonl_format_writer_ops;

/* The writer of `format` (not AUTO), or NULL. */
const struct fp_format_writer_ops *fp_format_writer_ops(enum fp_format format);

/* The rows a writer of opts->format (not AUTO) for `schema` holds before
 * it encodes any: a Parquet row group; 0 for formats that encode each batch as it
 * comes. Whoever hands it batches from another thread queues that many
 * ahead, so that producing rows need not wait while they are encoded. */
size_t fp_format_rows_held(const struct fp_format_options *opts, const struct fp_schema *schema);

/* Opens the writer of opts->format (not AUTO) on `out`. */
struct fp_format_writer *fp_format_writer_open(FILE *out, const char *name, const struct fp_schema *schema,
					       const struct fp_format_options *opts, struct fp_error *err);

static inline int fp_format_writer_write(struct fp_format_writer *w, const struct fp_batch *b, size_t first_row,
					 size_t nrows, struct fp_error *err)
{
	return w->ops->write(w, b, first_row, nrows, err);
}
static inline int fp_format_writer_finish(struct fp_format_writer *w, struct fp_error *err)
{
	return w->ops->finish(w, err);
}
static inline void fp_format_writer_abort(struct fp_format_writer *w)
{
	if (w != NULL)
		w->ops->abort(w);
}

#endif
