/*
 * csv-writer.c - record batches to RFC 4180 CSV (the dialect is described
 * in csv.h).
 *
 * Rows are formatted straight into one large buffer that goes to the
 * stream with a single fwrite() when it fills: no printf, no per-row
 * flush. A row is bounded before it is written: FIELD_RESERVE bytes per
 * field plus, for each string or binary value, twice its length and two
 * (every byte a doubled quote, or two hex digits, and the quotes around).
 * When that much is free (flushing first if need be), the row is written
 * with no bounds check at all (put_row()); only a row larger than the whole
 * buffer, a value of a megabyte, goes field by field through append(),
 * which flushes or bypasses the buffer as needed. Both ways write the same
 * bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/csv/csv.h"
#include "format/format-writer.h"
#include "lib/number-text.h"

#define WRITE_BUFFER (1u << 20)
/* the longest number plus a delimiter and a newline, with room to spare */
#define FIELD_RESERVE (FP_NUMBER_TEXT_MAX + 8)

struct fp_csv_writer {
	struct fp_format_writer base;	/* first: the format-writer interface */
	FILE *out;
	char *name;
	const struct fp_schema *schema;
	char *buf;
	size_t len;
	size_t row_fixed;	/* a row's bound before its strings: FIELD_RESERVE a field, + LF */
	size_t *bytes_cols;	/* the string and binary columns, whose values add to the bound */
	size_t nbytes_cols;
	bool failed;		/* a write failed: every later call fails too */
};

static int flush_buffer(struct fp_csv_writer *w, struct fp_error *err)
{
	if (w->len > 0 && fwrite(w->buf, 1, w->len, w->out) != w->len) {
		w->failed = true;
		return fp_error_errno(err, "%s: write failed", w->name);
	}
	w->len = 0;
	return 0;
}

static int reserve(struct fp_csv_writer *w, size_t n, struct fp_error *err)
{
	if (WRITE_BUFFER - w->len < n)
		return flush_buffer(w, err);
	return 0;
}

static int append(struct fp_csv_writer *w, const char *p, size_t n, struct fp_error *err)
{
	if (WRITE_BUFFER - w->len < n) {
		if (flush_buffer(w, err) < 0)
			return -1;
		if (n >= WRITE_BUFFER) {	/* a huge value: straight to the stream */
			if (fwrite(p, 1, n, w->out) != n) {
				w->failed = true;
				return fp_error_errno(err, "%s: write failed", w->name);
			}
			return 0;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	return 0;
}

/* Whether any byte of the 8 in `x` equals the byte in every lane of `c`
 * (the classic "has zero byte" test on x ^ c). */
static inline uint64_t has_byte(uint64_t x, uint64_t c)
{
	uint64_t y = x ^ c;

	return (y - 0x0101010101010101ULL) & ~y & 0x8080808080808080ULL;
}

/* A comma, quote, CR or LF makes a field quoted. Eight bytes at a time:
 * most fields are addresses and names of a dozen bytes. */
static bool needs_quotes(const char *p, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x;

		memcpy(&x, p + i, 8);
		if (has_byte(x, 0x2c2c2c2c2c2c2c2cULL) | has_byte(x, 0x2222222222222222ULL) |
		    has_byte(x, 0x0a0a0a0a0a0a0a0aULL) | has_byte(x, 0x0d0d0d0d0d0d0d0dULL))
			return true;
	}
	for (; i < n; i++) {
		char c = p[i];
		if (c == ',' || c == '"' || c == '\n' || c == '\r')
			return true;
	}
	return false;
}

/* A string field: bare when it can be, else quoted with quotes doubled. */
static int write_string(struct fp_csv_writer *w, const char *p, size_t n, struct fp_error *err)
{
	const char *end = p + n;

	if (n == 0)
		return append(w, "\"\"", 2, err);	/* "" is an empty string, nothing is null */
	if (!needs_quotes(p, n))
		return append(w, p, n, err);
	if (append(w, "\"", 1, err) < 0)
		return -1;
	while (p < end) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		size_t seg = q ? (size_t)(q - p) + 1 : (size_t)(end - p);

		/* the segment ends with its quote, which is then doubled */
		if (append(w, p, seg, err) < 0 || (q && append(w, "\"", 1, err) < 0))
			return -1;
		p += seg;
	}
	return append(w, "\"", 1, err);
}

static int write_hex(struct fp_csv_writer *w, const uint8_t *p, size_t n, struct fp_error *err)
{
	static const char hex[] = "0123456789abcdef";
	char chunk[512];

	while (n > 0) {
		size_t take = n < sizeof(chunk) / 2 ? n : sizeof(chunk) / 2;
		for (size_t i = 0; i < take; i++) {
			chunk[2 * i] = hex[p[i] >> 4];
			chunk[2 * i + 1] = hex[p[i] & 15];
		}
		if (append(w, chunk, 2 * take, err) < 0)
			return -1;
		p += take;
		n -= take;
	}
	return 0;
}

/* ------------------------------------------------------------ rows with room */

/* n bytes from p to out; most strings are addresses of 7 to 15 bytes, which
 * two overlapping 8-byte moves copy without a call. */
static inline void copy_bytes(char *out, const char *p, size_t n)
{
	if (n >= 8 && n <= 16) {
		uint64_t head, tail;

		memcpy(&head, p, 8);
		memcpy(&tail, p + n - 8, 8);
		memcpy(out, &head, 8);
		memcpy(out + n - 8, &tail, 8);
	} else {
		memcpy(out, p, n);
	}
}

/* write_string() into room for 2n + 2 bytes; returns the bytes written. */
static size_t put_string(char *out, const char *p, size_t n)
{
	char *at = out;

	if (n == 0) {
		memcpy(at, "\"\"", 2);
		return 2;
	}
	if (!needs_quotes(p, n)) {
		copy_bytes(at, p, n);
		return n;
	}
	*at++ = '"';
	for (size_t i = 0; i < n; i++) {
		*at++ = p[i];
		if (p[i] == '"')
			*at++ = '"';
	}
	*at++ = '"';
	return (size_t)(at - out);
}

static size_t put_hex(char *out, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
	return 2 * n;
}

/* write_value() into room for the value's bound; returns the bytes written. */
static size_t put_value(char *out, const struct fp_column *c, size_t row)
{
	const char *bytes;
	size_t n;

	switch (c->type) {
	case FP_TYPE_BOOL:
		if (c->v.b[row]) {
			memcpy(out, "true", 4);
			return 4;
		}
		memcpy(out, "false", 5);
		return 5;
	case FP_TYPE_INT32:
		return fp_i64_to_text(out, c->v.i32[row]);
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP:
		return fp_i64_to_text(out, c->v.i64[row]);
	case FP_TYPE_DOUBLE:
		return fp_double_to_text(out, c->v.f64[row]);
	case FP_TYPE_STRING:
		bytes = fp_column_bytes(c, row, &n);
		return put_string(out, bytes, n);
	case FP_TYPE_BINARY:
		bytes = fp_column_bytes(c, row, &n);
		return put_hex(out, (const uint8_t *)bytes, n);
	}
	return 0;
}

/* The most bytes row `row` can take (see the top of the file). */
static size_t row_bound(const struct fp_csv_writer *w, const struct fp_batch *b, size_t row)
{
	size_t bound = w->row_fixed;

	for (size_t i = 0; i < w->nbytes_cols; i++) {
		const struct fp_column *c = &b->cols[w->bytes_cols[i]];

		bound += 2 * (size_t)(c->offsets[row + 1] - c->offsets[row]) + 2;
	}
	return bound;
}

/* Row `row` at `out`, which has room for row_bound() bytes. */
static size_t put_row(char *out, const struct fp_batch *b, size_t ncols, size_t row)
{
	char *at = out;

	for (size_t col = 0; col < ncols; col++) {
		const struct fp_column *c = &b->cols[col];

		if (col > 0)
			*at++ = ',';
		if (fp_column_is_valid(c, row))
			at += put_value(at, c, row);
	}
	*at++ = '\n';
	return (size_t)(at - out);
}

/* ------------------------------------------------------------ rows field by field */

/* One value, not null: strings and binary through append(), which makes
 * room as it goes; fixed-width values rely on FIELD_RESERVE. */
static int write_value(struct fp_csv_writer *w, const struct fp_column *c, size_t row, struct fp_error *err)
{
	const char *bytes;
	size_t n;

	switch (c->type) {
	case FP_TYPE_STRING:
		bytes = fp_column_bytes(c, row, &n);
		return write_string(w, bytes, n, err);
	case FP_TYPE_BINARY:
		bytes = fp_column_bytes(c, row, &n);
		return write_hex(w, (const uint8_t *)bytes, n, err);
	default:
		w->len += put_value(w->buf + w->len, c, row);
		return 0;
	}
}

/* A row too large for the buffer: each field makes its own room. */
static int write_row_in_pieces(struct fp_csv_writer *w, const struct fp_batch *b, size_t row, struct fp_error *err)
{
	for (size_t col = 0; col < w->schema->nfields; col++) {
		const struct fp_column *c = &b->cols[col];

		if (reserve(w, FIELD_RESERVE, err) < 0)
			return -1;
		if (col > 0)
			w->buf[w->len++] = ',';
		if (fp_column_is_valid(c, row) && write_value(w, c, row, err) < 0)
			return -1;
	}
	if (reserve(w, 1, err) < 0)
		return -1;
	w->buf[w->len++] = '\n';
	return 0;
}

static int write_rows(struct fp_csv_writer *w, const struct fp_batch *b, size_t first_row, size_t nrows,
		      struct fp_error *err)
{
	size_t ncols = w->schema->nfields;

	for (size_t row = first_row; row < first_row + nrows; row++) {
		size_t bound = row_bound(w, b, row);

		if (WRITE_BUFFER - w->len < bound && flush_buffer(w, err) < 0)
			return -1;
		if (bound <= WRITE_BUFFER)
			w->len += put_row(w->buf + w->len, b, ncols, row);
		else if (write_row_in_pieces(w, b, row, err) < 0)
			return -1;
	}
	return 0;
}

static int check_batch(const struct fp_csv_writer *w, const struct fp_batch *b, struct fp_error *err)
{
	const struct fp_schema *s = b->schema;

	if (s->nfields != w->schema->nfields)
		return fp_error_set(err, "%s: a batch of %zu columns for a CSV of %zu", w->name, s->nfields,
				    w->schema->nfields);
	for (size_t i = 0; i < s->nfields; i++)
		if (b->cols[i].type != w->schema->fields[i].type)
			return fp_error_set(err, "%s: column '%s' is %s in the batch but %s in the CSV schema",
					    w->name, w->schema->fields[i].name, fp_type_name(b->cols[i].type),
					    fp_type_name(w->schema->fields[i].type));
	return 0;
}

static int write_header(struct fp_csv_writer *w, struct fp_error *err)
{
	const struct fp_schema *s = w->schema;

	if (s->nfields == 0)
		return 0;	/* nothing to write: no line can hold zero fields */
	for (size_t i = 0; i < s->nfields; i++) {
		if (i > 0 && append(w, ",", 1, err) < 0)
			return -1;
		if (write_string(w, s->fields[i].name, strlen(s->fields[i].name), err) < 0)
			return -1;
	}
	return append(w, "\n", 1, err);
}

struct fp_csv_writer *fp_csv_writer_open(FILE *out, const char *name, const struct fp_schema *schema,
					 struct fp_error *err)
{
	struct fp_csv_writer *w = calloc(1, sizeof(*w));

	if (w == NULL || (w->name = strdup(name ? name : "(csv)")) == NULL ||
	    (w->buf = malloc(WRITE_BUFFER)) == NULL) {
		fp_csv_writer_abort(w);
		fp_error_set(err, "%s: out of memory", name ? name : "(csv)");
		return NULL;
	}
	w->base.ops = &fp_csv_format_writer_ops;
	w->out = out;
	w->schema = schema;
	w->row_fixed = schema->nfields * FIELD_RESERVE + 1;
	w->bytes_cols = malloc((schema->nfields ? schema->nfields : 1) * sizeof(*w->bytes_cols));
	if (w->bytes_cols == NULL) {
		fp_csv_writer_abort(w);
		fp_error_set(err, "%s: out of memory", name ? name : "(csv)");
		return NULL;
	}
	for (size_t i = 0; i < schema->nfields; i++)
		if (fp_type_is_bytes(schema->fields[i].type))
			w->bytes_cols[w->nbytes_cols++] = i;
	if (write_header(w, err) < 0) {
		fp_csv_writer_abort(w);
		return NULL;
	}
	return w;
}

int fp_csv_writer_write_rows(struct fp_csv_writer *w, const struct fp_batch *batch, size_t first_row, size_t nrows,
			     struct fp_error *err)
{
	if (w->failed)
		return fp_error_set(err, "%s: an earlier write failed", w->name);
	if (check_batch(w, batch, err) < 0)
		return -1;
	if (first_row > batch->nrows || nrows > batch->nrows - first_row)
		return fp_error_set(err, "%s: rows %zu..%zu of a batch of %zu", w->name, first_row,
				    first_row + nrows, batch->nrows);
	if (w->schema->nfields == 0)
		return 0;
	return write_rows(w, batch, first_row, nrows, err);
}

int fp_csv_writer_write(struct fp_csv_writer *w, const struct fp_batch *batch, struct fp_error *err)
{
	return fp_csv_writer_write_rows(w, batch, 0, batch->nrows, err);
}

int fp_csv_writer_close(struct fp_csv_writer *w, struct fp_error *err)
{
	int rc = 0;

	if (w->failed)
		rc = fp_error_set(err, "%s: an earlier write failed", w->name);
	else if (flush_buffer(w, err) < 0)
		rc = -1;
	else if (fflush(w->out) != 0 || ferror(w->out))
		rc = fp_error_errno(err, "%s: write failed", w->name);
	fp_csv_writer_abort(w);
	return rc;
}

void fp_csv_writer_abort(struct fp_csv_writer *w)
{
	if (w == NULL)
		return;
	free(w->buf);
	free(w->bytes_cols);
	free(w->name);
	free(w);
}

/* ------------------------------------------------------------ as a format writer */

static struct fp_format_writer *csv_format_open(FILE *out, const char *name, const struct fp_schema *schema,
						const struct fp_format_options *opts, struct fp_error *err)
{
	struct fp_csv_writer *w = fp_csv_writer_open(out, name, schema, err);

	return w ? &w->base : NULL;
}

static int csv_format_write(struct fp_format_writer *w, const struct fp_batch *b, size_t first_row, size_t nrows,
			    struct fp_error *err)
{
	return fp_csv_writer_write_rows((struct fp_csv_writer *)w, b, first_row, nrows, err);
}

static int csv_format_finish(struct fp_format_writer *w, struct fp_error *err)
{
	return fp_csv_writer_close((struct fp_csv_writer *)w, err);
}

static void csv_format_abort(struct fp_format_writer *w)
{
	fp_csv_writer_abort((struct fp_csv_writer *)w);
}

const struct fp_format_writer_ops fp_csv_format_writer_ops = {
	csv_format_open, csv_format_write, csv_format_finish, csv_format_abort,
};
