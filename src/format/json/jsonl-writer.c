/*
 * jsonl-writer.c - record batches to a JSON lines stream (the rules are in
 * jsonl.h), as a format writer.
 *
 * Rows are rendered straight into one large buffer that goes to the
 * stream with a single fwrite() when it fills. A row that does not fit in
 * what is left is rendered again after a flush; one longer than the whole
 * buffer is rendered into a buffer of its own. After a failed write every
 * later call fails, so a half-written stream is never finished.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "format/format-writer.h"
#include "format/json/jsonl.h"

#define WRITE_BUFFER (1u << 20)

struct fp_jsonl_writer {
	struct fp_format_writer base;	/* first: the format-writer interface */
	FILE *out;
	char *name;
	const struct fp_schema *schema;
	struct fp_jsonl_row_format *rows;
	char *buf;
	size_t len;
	bool failed;
};

static int write_out(struct fp_jsonl_writer *w, const char *p, size_t n, struct fp_error *err)
{
	if (n > 0 && fwrite(p, 1, n, w->out) != n) {
		w->failed = true;
		return fp_error_errno(err, "%s: write failed", w->name);
	}
	return 0;
}

static int flush_buffer(struct fp_jsonl_writer *w, struct fp_error *err)
{
	int rc = write_out(w, w->buf, w->len, err);

	w->len = 0;
	return rc;
}

/* A row longer than the buffer: rendered on its own and written through. */
static int write_long_row(struct fp_jsonl_writer *w, const struct fp_batch *b, size_t row, size_t need,
			  struct fp_error *err)
{
	char *line = malloc(need + 1);
	int rc;

	if (line == NULL) {
		w->failed = true;
		return fp_error_set(err, "%s: out of memory for a row of %zu bytes", w->name, need);
	}
	fp_jsonl_row_text(w->rows, b, row, line, need);
	line[need] = '\n';
	rc = write_out(w, line, need + 1, err);
	free(line);
	return rc;
}

static int write_row(struct fp_jsonl_writer *w, const struct fp_batch *b, size_t row, struct fp_error *err)
{
	size_t need;

	/* a full buffer (an exact fit is possible) leaves no room for a byte */
	if (WRITE_BUFFER - w->len < 2 && flush_buffer(w, err) < 0)
		return -1;
	/* one byte is kept back for the newline */
	need = fp_jsonl_row_text(w->rows, b, row, w->buf + w->len, WRITE_BUFFER - w->len - 1);

	if (need < WRITE_BUFFER - w->len) {
		w->len += need;
		w->buf[w->len++] = '\n';
		return 0;
	}
	if (flush_buffer(w, err) < 0)
		return -1;
	if (need >= WRITE_BUFFER)
		return write_long_row(w, b, row, need, err);
	w->len = fp_jsonl_row_text(w->rows, b, row, w->buf, WRITE_BUFFER - 1);
	w->buf[w->len++] = '\n';
	return 0;
}

static int check_batch(const struct fp_jsonl_writer *w, const struct fp_batch *b, size_t first_row, size_t nrows,
		       struct fp_error *err)
{
	const struct fp_schema *s = b->schema;

	if (s->nfields != w->schema->nfields)
		return fp_error_set(err, "%s: a batch of %zu columns for JSON lines of %zu", w->name, s->nfields,
				    w->schema->nfields);
	for (size_t i = 0; i < s->nfields; i++)
		if (b->cols[i].type != w->schema->fields[i].type)
			return fp_error_set(err, "%s: column '%s' is %s in the batch but %s in the schema", w->name,
					    w->schema->fields[i].name, fp_type_name(b->cols[i].type),
					    fp_type_name(w->schema->fields[i].type));
	if (first_row > b->nrows || nrows > b->nrows - first_row)
		return fp_error_set(err, "%s: rows %zu..%zu of a batch of %zu", w->name, first_row,
				    first_row + nrows, b->nrows);
	return 0;
}

int fp_jsonl_writer_write_rows(struct fp_jsonl_writer *w, const struct fp_batch *batch, size_t first_row,
			       size_t nrows, struct fp_error *err)
{
	if (w->failed)
		return fp_error_set(err, "%s: an earlier write failed", w->name);
	if (check_batch(w, batch, first_row, nrows, err) < 0)
		return -1;
	for (size_t row = first_row; row < first_row + nrows; row++)
		if (write_row(w, batch, row, err) < 0)
			return -1;
	return 0;
}

struct fp_jsonl_writer *fp_jsonl_writer_open(FILE *out, const char *name, const struct fp_schema *schema,
					     struct fp_error *err)
{
	struct fp_jsonl_writer *w = calloc(1, sizeof(*w));

	if (name == NULL)
		name = "(jsonl)";
	if (w == NULL || (w->name = strdup(name)) == NULL || (w->buf = malloc(WRITE_BUFFER)) == NULL) {
		fp_jsonl_writer_abort(w);
		fp_error_set(err, "%s: out of memory", name);
		return NULL;
	}
	if ((w->rows = fp_jsonl_row_format_new(schema, err)) == NULL) {
		fp_error_prefix(err, "%s", name);
		fp_jsonl_writer_abort(w);
		return NULL;
	}
	w->base.ops = &fp_jsonl_format_writer_ops;
	w->out = out;
	w->schema = schema;
	return w;
}

int fp_jsonl_writer_close(struct fp_jsonl_writer *w, struct fp_error *err)
{
	int rc = 0;

	if (w->failed)
		rc = fp_error_set(err, "%s: an earlier write failed", w->name);
	else if (flush_buffer(w, err) < 0)
		rc = -1;
	else if (fflush(w->out) != 0 || ferror(w->out))
		rc = fp_error_errno(err, "%s: write failed", w->name);
	fp_jsonl_writer_abort(w);
	return rc;
}

void fp_jsonl_writer_abort(struct fp_jsonl_writer *w)
{
	if (w == NULL)
		return;
	fp_jsonl_row_format_free(w->rows);
	free(w->buf);
	free(w->name);
	free(w);
}

/* ------------------------------------------------------------ as a format writer */

static struct fp_format_writer *jsonl_format_open(FILE *out, const char *name, const struct fp_schema *schema,
						  const struct fp_format_options *opts, struct fp_error *err)
{
	struct fp_jsonl_writer *w = fp_jsonl_writer_open(out, name, schema, err);

	return w ? &w->base : NULL;
}

static int jsonl_format_write(struct fp_format_writer *w, const struct fp_batch *b, size_t first_row, size_t nrows,
			      struct fp_error *err)
{
	return fp_jsonl_writer_write_rows((struct fp_jsonl_writer *)w, b, first_row, nrows, err);
}

static int jsonl_format_finish(struct fp_format_writer *w, struct fp_error *err)
{
	return fp_jsonl_writer_close((struct fp_jsonl_writer *)w, err);
}

static void jsonl_format_abort(struct fp_format_writer *w)
{
	fp_jsonl_writer_abort((struct fp_jsonl_writer *)w);
}

const struct fp_format_writer_ops fp_jsonl_format_writer_ops = {
	jsonl_format_open, jsonl_format_write, jsonl_format_finish, jsonl_format_abort,
};
