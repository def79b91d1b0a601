/*
 * csv.h - flowprep's CSV writer and reader, speaking record batches.
 *
 * The dialect written (and preferred when read):
 *   - RFC 4180 quoting: a field is quoted only when it contains the
 *     delimiter, '"', CR or LF; quotes inside are doubled. An empty string
 *     is written as "" so it stays distinct from a null, which is an empty
 *     field.
 *   - Lines end with LF (what pandas, DuckDB, Polars and Python's csv module
 *     with lineterminator='\n' write; every reader accepts it). The reader
 *     takes LF, CRLF and lone CR.
 *   - The header row holds the field names; UTF-8, no BOM.
 *   - bool: true/false; int32/int64: decimal; timestamp: the integer in the
 *     field's unit (the canonical `timestamp` is epoch microseconds); double:
 *     the shortest text that reads back to the same double, Python-repr
 *     layout ("0.1", "40.0", "1e-300"), NaN as NaN and infinities as
 *     Infinity / -Infinity (pandas, DuckDB, Polars, Spark, Python and Java
 *     all read these); binary: lowercase hex digits.
 *
 * The writer is also a format writer (format/format-writer.h):
 * fp_csv_format_writer_ops.
 *
 * Reading: types are inferred from the first `infer_rows` rows (see
 * fp_csv_read_options); an inferred column is always nullable. CSV has no
 * integer width, so int32 and timestamp columns read back as int64.
 */
#ifndef FP_FORMAT_CSV_H
#define FP_FORMAT_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

/* ------------------------------------------------------------ writer */

struct fp_csv_writer;

/* Writes the header to `out` (already open; the caller owns it). `name` is
 * only for messages. The schema is borrowed and must outlive the writer. */
struct fp_csv_writer *fp_csv_writer_open(FILE *out, const char *name, const struct fp_schema *schema,
					 struct fp_error *err);
/* Appends the batch's rows (its schema must have the writer's columns). */
int fp_csv_writer_write(struct fp_csv_writer *w, const struct fp_batch *batch, struct fp_error *err);
/* Appends rows [first_row, first_row + nrows) of the batch. */
int fp_csv_writer_write_rows(struct fp_csv_writer *w, const struct fp_batch *batch, size_t first_row, size_t nrows,
			     struct fp_error *err);
/* Flushes and checks the stream for errors. Frees `w` whatever the result.
 * Does not close `out`. */
int fp_csv_writer_close(struct fp_csv_writer *w, struct fp_error *err);
/* Frees without flushing (after an error). */
void fp_csv_writer_abort(struct fp_csv_writer *w);

/* ------------------------------------------------------------ reader */

#define FP_CSV_DEFAULT_INFER_ROWS 1000
#define FP_CSV_DEFAULT_MAX_RECORD (16u << 20)
#define FP_CSV_MAX_COLUMNS 100000

struct fp_csv_read_options {
	char delimiter;			/* default ',' */
	size_t infer_rows;		/* rows sampled to infer types (default 1000; 0 = default;
					 * fewer if they pass 64 MiB) */
	size_t max_record_bytes;	/* longest record, quotes and newlines included (default 16 MiB) */
	/* Invalid UTF-8 in a string value or a column name is an error unless
	 * this is set; then each bad byte becomes U+FFFD (for Latin-1/CP1252
	 * exports such as CIC-IDS2017's "Web Attack \x96 Brute Force"). */
	bool replace_invalid_utf8;
};

void fp_csv_read_options_defaults(struct fp_csv_read_options *o);

struct fp_csv_reader;

/* Opens `path` ("-" = stdin), reads the header and the rows used for type
 * inference (they are kept and replayed, so the input is never rewound and
 * may be a pipe). An empty file (or one with only blank lines) has zero
 * columns and zero rows. `opts` may be NULL for the defaults. */
struct fp_csv_reader *fp_csv_reader_open(const char *path, const struct fp_csv_read_options *opts,
					 struct fp_error *err);
/* The same on an open stream (not closed by the reader); `name` is for
 * messages. */
struct fp_csv_reader *fp_csv_reader_open_stream(FILE *in, const char *name, const struct fp_csv_read_options *opts,
						struct fp_error *err);
void fp_csv_reader_close(struct fp_csv_reader *r);

/* The inferred schema: header names (an empty name becomes "column_N",
 * N counted from 1; a repeated name gets ".1", ".2"... like pandas), types
 * int64, double, bool or string, all nullable. */
const struct fp_schema *fp_csv_reader_schema(const struct fp_csv_reader *r);

/* Reads up to out->capacity rows into `out` (cleared first; its schema must
 * be fp_csv_reader_schema()). Returns rows read, 0 at the end, -1 on error
 * (the batch's contents are then undefined, and further calls fail). */
long fp_csv_reader_next(struct fp_csv_reader *r, struct fp_batch *out, struct fp_error *err);

/* The line (1 = first line of the file) where the last row returned
 * starts; before any row, the header's line. */
uint64_t fp_csv_reader_line(const struct fp_csv_reader *r);

#endif
