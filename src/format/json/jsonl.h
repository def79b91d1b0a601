/*
 * jsonl.h - record batches as JSON lines (one JSON object per row, one row
 * per line; also called NDJSON), for users and for the Kafka sink.
 *
 * Each object has the schema's field names as keys, in schema order:
 *   - bool: true/false; int32, int64: exact integers; timestamp: the
 *     integer in the field's unit (the canonical `timestamp` is epoch
 *     microseconds), as in CSV;
 *   - double: the shortest text that reads back to the same double (the
 *     layout of lib/number-text.h, "0.1", "40.0", "1e-300"); NaN and
 *     infinities, which JSON cannot spell, are null;
 *   - string: RFC 8259 escaping (", \ and every control character as
 *     \u00XX); each byte of invalid UTF-8 becomes U+FFFD, since JSON text
 *     is UTF-8;
 *   - binary: a string of lowercase hex digits, as in CSV;
 *   - null: null.
 * Lines end with LF; there is no header, and no trailing comma anywhere.
 *
 * Two ways in: the streaming writer (a format writer, see
 * format/format-writer.h: fp_jsonl_format_writer_ops) and
 * fp_jsonl_row_text(), which renders one row into a caller's buffer (one
 * Kafka message per row).
 */
#ifndef FP_FORMAT_JSON_JSONL_H
#define FP_FORMAT_JSON_JSONL_H

#include <stddef.h>
#include <stdio.h>

#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

/* ------------------------------------------------------------ one row */

/* What rows of one schema share: the keys, escaped once. */
struct fp_jsonl_row_format;

/* The schema is borrowed and must outlive the format. */
struct fp_jsonl_row_format *fp_jsonl_row_format_new(const struct fp_schema *schema, struct fp_error *err);
void fp_jsonl_row_format_free(struct fp_jsonl_row_format *f);

/* Renders `row` of `b` (whose schema is the format's) as one JSON object,
 * without a newline or a NUL, into buf[0, size). Returns the length of the
 * whole text, like snprintf: if it is larger than `size`, only `size`
 * bytes were written, and the caller retries with a larger buffer. */
size_t fp_jsonl_row_text(const struct fp_jsonl_row_format *f, const struct fp_batch *b, size_t row, char *buf,
			 size_t size);

/* ------------------------------------------------------------ writer */

struct fp_jsonl_writer;

/* Writes to `out` (already open; the caller owns it). `name` is only for
 * messages. The schema is borrowed and must outlive the writer. */
struct fp_jsonl_writer *fp_jsonl_writer_open(FILE *out, const char *name, const struct fp_schema *schema,
					     struct fp_error *err);
/* Appends rows [first_row, first_row + nrows) of the batch, one line each. */
int fp_jsonl_writer_write_rows(struct fp_jsonl_writer *w, const struct fp_batch *batch, size_t first_row,
			       size_t nrows, struct fp_error *err);
/* Flushes into `out` and checks it for errors. Frees `w` whatever the
 * result. Does not close `out`. */
int fp_jsonl_writer_close(struct fp_jsonl_writer *w, struct fp_error *err);
/* Frees without flushing (after an error). */
void fp_jsonl_writer_abort(struct fp_jsonl_writer *w);

#endif
