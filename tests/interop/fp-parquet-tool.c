/*
 * fp-parquet-tool.c - flowprep's side of the Parquet interoperability suite.
 *
 *   fp-parquet-tool dump FILE
 *	prints flowprep's reader's view of FILE in the canonical text dump of
 *	tests/interop/lib/canon.mjs (header line, then one TAB-separated line
 *	per row), so it can be compared byte for byte with what DuckDB and
 *	arrow-rs read.
 *   fp-parquet-tool write-sample OUT --codec zstd|snappy|gzip|none
 *		[--rows N] [--row-group-rows N] [--page-rows N] [--no-dictionary]
 *	writes a deterministic table of every type flowprep's writer supports
 *	(required and optional columns, nulls, edge values) with our writer.
 *
 * The dump's text is canon-text.c's, the table is sample-table.c's; this
 * file is the command line and the reader/writer loops.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/parquet/parquet.h"
#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"
#include "canon-text.h"
#include "sample-table.h"

#define READ_BATCH_ROWS 1024
#define WRITE_BATCH_ROWS 700	/* not a divisor of typical row-group sizes */

/* ------------------------------------------------------------ dump */

static int dump(const char *path)
{
	struct fp_error err = { { 0 } };
	struct fp_parquet_reader *r;
	struct fp_batch *b = NULL;
	const struct fp_schema *s;
	long n;
	int rc = 1;

	r = fp_parquet_reader_open(path, &err);
	if (r == NULL)
		goto out;
	s = fp_parquet_reader_schema(r);
	b = fp_batch_new(s, READ_BATCH_ROWS);
	if (b == NULL) {
		fp_error_set(&err, "%s: out of memory", path);
		goto out;
	}
	canon_put_header(stdout, s);
	while ((n = fp_parquet_reader_next(r, b, &err)) > 0) {
		for (size_t row = 0; row < b->nrows; row++)
			canon_put_row(stdout, b, row);
	}
	if (n == 0)
		rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "fp-parquet-tool: %s\n", err.msg);
	fp_batch_free(b);
	if (r != NULL)
		fp_parquet_reader_close(r);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "fp-parquet-tool: writing the dump: %s\n", strerror(errno));
		rc = 1;
	}
	return rc;
}

/* ------------------------------------------------------------ write-sample */

struct sample_options {
	const char *out;
	struct fp_parquet_write_options w;
	size_t rows;
};

static int write_rows(struct fp_parquet_writer *w, struct fp_batch *b, size_t rows, struct fp_error *err)
{
	for (size_t row = 0; row < rows; row++) {
		if (sample_put_row(b, row) < 0)
			return fp_error_set(err, "sample row %zu: out of memory", row);
		if (fp_batch_full(b) || row + 1 == rows) {
			if (fp_parquet_writer_write(w, b, err) < 0)
				return -1;
			fp_batch_clear(b);
		}
	}
	return 0;
}

static int write_sample(const struct sample_options *o)
{
	struct fp_error err = { { 0 } };
	struct fp_schema *s = sample_schema();
	struct fp_batch *b = s ? fp_batch_new(s, WRITE_BATCH_ROWS) : NULL;
	struct fp_parquet_writer *w = NULL;
	FILE *f = NULL;
	int rc = -1;

	if (b == NULL) {
		fp_error_set(&err, "out of memory");
		goto out;
	}
	f = fopen(o->out, "wb");
	if (f == NULL) {
		fp_error_errno(&err, "%s", o->out);
		goto out;
	}
	w = fp_parquet_writer_open(f, o->out, s, &o->w, &err);
	if (w == NULL)
		goto out;
	if (write_rows(w, b, o->rows, &err) < 0) {
		fp_parquet_writer_abort(w);
		goto out;
	}
	rc = fp_parquet_writer_close(w, &err);
out:
	if (f != NULL && fclose(f) != 0 && rc == 0)
		rc = fp_error_errno(&err, "%s", o->out);
	if (rc != 0)
		fprintf(stderr, "fp-parquet-tool: %s\n", err.msg);
	fp_batch_free(b);
	fp_schema_free(s);
	return rc == 0 ? 0 : 1;
}

/* ------------------------------------------------------------ main */

static int usage(void)
{
	fputs("usage: fp-parquet-tool dump FILE\n"
	      "       fp-parquet-tool write-sample OUT --codec zstd|snappy|gzip|none [--rows N]\n"
	      "                       [--row-group-rows N] [--page-rows N] [--no-dictionary]\n", stderr);
	return 2;
}

static bool parse_count(const char *s, size_t *v)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-')
		return false;
	*v = (size_t)n;
	return true;
}

static int parse_sample_args(int argc, char **argv, struct sample_options *o)
{
	bool have_codec = false;

	fp_parquet_write_options_defaults(&o->w);
	o->rows = 1000;
	o->out = argv[2];
	for (int i = 3; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--no-dictionary") == 0) {
			o->w.dictionary = false;
			continue;
		}
		if (v == NULL)
			return -1;
		i++;
		if (strcmp(a, "--codec") == 0) {
			int c = fp_parquet_codec_parse(v);
			if (c < 0) {
				fprintf(stderr, "fp-parquet-tool: unknown codec %s\n", v);
				return -1;
			}
			o->w.codec = (enum fp_parquet_codec)c;
			have_codec = true;
		} else if (strcmp(a, "--rows") == 0) {
			if (!parse_count(v, &o->rows))
				return -1;
		} else if (strcmp(a, "--row-group-rows") == 0) {
			if (!parse_count(v, &o->w.row_group_rows) || o->w.row_group_rows == 0)
				return -1;
		} else if (strcmp(a, "--page-rows") == 0) {
			if (!parse_count(v, &o->w.page_rows))
				return -1;
		} else {
			return -1;
		}
	}
	return have_codec ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct sample_options o;

	if (argc == 3 && strcmp(argv[1], "dump") == 0)
		return dump(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "write-sample") == 0) {
		if (parse_sample_args(argc, argv, &o) < 0)
			return usage();
		return write_sample(&o);
	}
	return usage();
}
