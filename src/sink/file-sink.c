/*
 * file-sink.c - one CSV or Parquet file, published atomically.
 *
 * The format comes from the options or from the file name's extension;
 * the format writer writes into the atomic file's stdio stream, and close
 * finishes the format (CSV flush, Parquet footer) before the rename.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format/csv/csv.h"
#include "format/parquet/parquet.h"
#include "sink/atomic-file.h"
#include "sink/sink.h"

struct file_sink {
	struct fp_sink base;	/* first: a struct fp_sink * is a struct file_sink * */
	enum fp_format format;
	struct fp_atomic_file file;
	struct fp_csv_writer *csv;
	struct fp_parquet_writer *parquet;
};

int fp_format_parse(const char *name)
{
	if (strcasecmp(name, "csv") == 0)
		return FP_FORMAT_CSV;
	if (strcasecmp(name, "parquet") == 0)
		return FP_FORMAT_PARQUET;
	return -1;
}

enum fp_format fp_format_from_path(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL || strchr(dot, '/') != NULL)
		return FP_FORMAT_AUTO;
	if (strcasecmp(dot, ".csv") == 0)
		return FP_FORMAT_CSV;
	if (strcasecmp(dot, ".parquet") == 0 || strcasecmp(dot, ".pq") == 0)
		return FP_FORMAT_PARQUET;
	return FP_FORMAT_AUTO;
}

const char *fp_format_name(enum fp_format f)
{
	switch (f) {
	case FP_FORMAT_CSV: return "csv";
	case FP_FORMAT_PARQUET: return "parquet";
	default: return "auto";
	}
}

void fp_sink_options_defaults(struct fp_sink_options *o)
{
	memset(o, 0, sizeof(*o));
	o->format = FP_FORMAT_AUTO;
	fp_parquet_write_options_defaults(&o->parquet);
}

static int file_sink_write(struct fp_sink *s, const struct fp_batch *b, struct fp_error *err)
{
	struct file_sink *fs = (struct file_sink *)s;

	if (fs->format == FP_FORMAT_CSV)
		return fp_csv_writer_write(fs->csv, b, err);
	return fp_parquet_writer_write(fs->parquet, b, err);
}

static int file_sink_close(struct fp_sink *s, struct fp_error *err)
{
	struct file_sink *fs = (struct file_sink *)s;
	int rc;

	if (fs->format == FP_FORMAT_CSV)
		rc = fp_csv_writer_close(fs->csv, err);
	else
		rc = fp_parquet_writer_close(fs->parquet, err);
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

	if (fs->format == FP_FORMAT_CSV) {
		fp_csv_writer_abort(fs->csv);
	} else {
		fp_parquet_writer_abort(fs->parquet);
	}
	fp_atomic_file_abort(&fs->file);
	free(fs);
}

static const struct fp_sink_ops file_sink_ops = { file_sink_write, file_sink_close, file_sink_abort };

struct fp_sink *fp_file_sink_open(const char *path, const struct fp_schema *schema,
				  const struct fp_sink_options *opts, struct fp_error *err)
{
	struct file_sink *fs = calloc(1, sizeof(*fs));
	enum fp_format format = opts->format != FP_FORMAT_AUTO ? opts->format : fp_format_from_path(path);

	if (fs == NULL) {
		fp_error_set(err, "out of memory");
		return NULL;
	}
	if (format == FP_FORMAT_AUTO) {
		fp_error_set(err, "%s: cannot tell the output format from the name (use .csv or .parquet, or --format)", path);
		free(fs);
		return NULL;
	}
	fs->base.ops = &file_sink_ops;
	fs->format = format;
	if (fp_atomic_file_open(&fs->file, path, err) < 0) {
		free(fs);
		return NULL;
	}
	if (format == FP_FORMAT_CSV)
		fs->csv = fp_csv_writer_open(fs->file.fp, path, schema, err);
	else
		fs->parquet = fp_parquet_writer_open(fs->file.fp, path, schema, &opts->parquet, err);
	if (fs->csv == NULL && fs->parquet == NULL) {
		fp_atomic_file_abort(&fs->file);
		free(fs);
		return NULL;
	}
	return &fs->base;
}
