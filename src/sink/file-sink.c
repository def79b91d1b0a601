/*
 * file-sink.c - one file of any format, published atomically at close.
 *
 * The format writer writes into the atomic file's stdio stream; close
 * finishes the format (CSV flush, Parquet footer) and then commits the
 * file (fsync, rename), so the final name holds a whole file or nothing.
 * The sink never looks at the encoding: that is the format writer's job.
 * A path that is "-", a device or a FIFO is streamed instead (see
 * atomic-file.h); "-" has no extension, so it needs an explicit format.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sink/atomic-file.h"
#include "sink/file-sink.h"
#include "sink/sink.h"

struct file_sink {
	struct fp_sink base;	/* first: a struct fp_sink * is a struct file_sink * */
	struct fp_atomic_file file;
	struct fp_format_writer *writer;
};

static int file_sink_write(struct fp_sink *s, const struct fp_batch *b, size_t first_row, size_t nrows,
			   struct fp_error *err)
{
	struct file_sink *fs = (struct file_sink *)s;

	return fp_format_writer_write(fs->writer, b, first_row, nrows, err);
}

static int file_sink_close(struct fp_sink *s, struct fp_error *err)
{
	struct file_sink *fs = (struct file_sink *)s;
	int rc = fp_format_writer_finish(fs->writer, err);

	if (rc == 0)
		rc = fp_atomic_file_commit(&fs->file, err);
	else
		fp_atomic_file_abort(&fs->file);
	free(fs);
	return rc;
}

static void file_sink_abort(struct fp_sink *s)
{
	struct file_sink *fs = (struct file_sink *)s;

	fp_format_writer_abort(fs->writer);
	fp_atomic_file_abort(&fs->file);
	free(fs);
}

static const struct fp_sink_ops file_sink_ops = {
	.write = file_sink_write,
	.close = file_sink_close,
	.abort = file_sink_abort,
};

struct fp_sink *fp_file_sink_open_with(const char *path, const struct fp_schema *schema,
				       const struct fp_format_options *opts, const struct fp_atomic_file_options *file,
				       struct fp_error *err)
{
	struct fp_format_options chosen = *opts;
	struct file_sink *fs;

	if (chosen.format == FP_FORMAT_AUTO && strcmp(path, "-") == 0) {
		fp_error_set(err, "writing to standard output (-) needs a format: use --format csv, parquet or jsonl");
		return NULL;
	}
	if (chosen.format == FP_FORMAT_AUTO)
		chosen.format = fp_format_from_path(path);
	if (chosen.format == FP_FORMAT_AUTO) {
		fp_error_set(err, "%s: cannot tell the output format from the name (use .csv, .parquet or .jsonl, "
			     "or --format)", path);
		return NULL;
	}
	if ((fs = calloc(1, sizeof(*fs))) == NULL) {
		fp_error_set(err, "%s: out of memory", path);
		return NULL;
	}
	fs->base.ops = &file_sink_ops;
	if (fp_atomic_file_open(&fs->file, path, file, err) < 0) {
		free(fs);
		return NULL;
	}
	fs->writer = fp_format_writer_open(fs->file.fp, strcmp(path, "-") == 0 ? "standard output" : path, schema,
					   &chosen, err);
	fs->base.rows_held = fp_format_rows_held(&chosen, schema);
	if (fs->writer == NULL) {
		fp_atomic_file_abort(&fs->file);
		free(fs);
		return NULL;
	}
	return &fs->base;
}

struct fp_sink *fp_file_sink_open(const char *path, const struct fp_schema *schema,
				  const struct fp_format_options *opts, struct fp_error *err)
{
	return fp_file_sink_open_with(path, schema, opts, NULL, err);
}
