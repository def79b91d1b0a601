/*
 * text-reader.c - delimited text as string columns (text-reader.h).
 *
 * Invariants: one record in memory at a time (the tokenizer's, bounded by
 * FP_CSV_DEFAULT_MAX_RECORD), the batch's string data grows only with the
 * batch's rows, and a header is at most FP_CSV_MAX_COLUMNS wide.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format/csv/csv-parse.h"
#include "format/csv/csv.h"
#include "format/text/text-reader.h"
#include "lib/utf8.h"

struct fp_text_reader {
	struct fp_csv_parser parser;
	FILE *in;
	char *name;
	struct fp_schema *schema;
	size_t ncols;
	uint64_t skipped, first_skipped_line;
	char *scratch;		/* U+FFFD-repaired text */
	size_t scratch_cap;
};

char fp_text_sniff_delimiter(const char *head, size_t len)
{
	static const char candidates[] = { ',', '\t', ';', '|', ' ' };
	size_t count[5] = { 0 }, best = 0;
	bool quoted = false;

	for (size_t i = 0; i < len && (quoted || (head[i] != '\n' && head[i] != '\r')); i++) {
		if (head[i] == '"')
			quoted = !quoted;
		for (size_t k = 0; k < 5 && !quoted; k++)
			count[k] += head[i] == candidates[k];
	}
	for (size_t k = 1; k < 4; k++)
		if (count[k] > count[best])
			best = k;
	/* a space separates only when nothing else does (AWS VPC flow logs):
	 * CIC's header has more spaces than commas */
	if (count[best] == 0 && count[4] > 0)
		best = 4;
	return count[best] ? candidates[best] : ',';
}

/* Valid UTF-8 as is, else a repaired copy in r->scratch (NULL: no memory). */
static const char *utf8_text(struct fp_text_reader *r, const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = *len, i = fp_utf8_valid_prefix(u, n), out = 0;

	if (i == n)
		return s;
	if (r->scratch_cap < 3 * n) {
		char *sc = realloc(r->scratch, 3 * n);
		if (sc == NULL)
			return NULL;
		r->scratch = sc;
		r->scratch_cap = 3 * n;
	}
	for (i = 0; i < n;) {
		size_t ok = fp_utf8_valid_prefix(u + i, n - i);
		memcpy(r->scratch + out, u + i, ok);
		out += ok;
		i += ok;
		if (i < n) {
			memcpy(r->scratch + out, FP_UTF8_REPLACEMENT, 3);
			out += 3;
			i++;
		}
	}
	*len = out;
	return r->scratch;
}

static int read_header(struct fp_text_reader *r, struct fp_error *err)
{
	struct fp_csv_parser *p = &r->parser;
	int rc;

	p->max_fields = FP_CSV_MAX_COLUMNS;
	rc = fp_csv_parser_next(p, err);
	if (rc <= 0)
		return rc;
	if (p->nfields > FP_CSV_MAX_COLUMNS)
		return fp_error_set(err, "%s: line %" PRIu64 ": %zu columns, more than flowprep's limit of %d",
				    r->name, p->rec_line, p->nfields, FP_CSV_MAX_COLUMNS);
	for (size_t i = 0; i < p->nfields; i++) {
		size_t len = p->fields[i].len;
		const char *t = utf8_text(r, p->rec + p->fields[i].off, &len);
		char *name = NULL;

		if (t == NULL)
			return fp_error_set(err, "%s: out of memory", r->name);
		if (len > 0)
			name = strndup(t, len);
		else if (asprintf(&name, "column_%zu", i + 1) < 0)
			name = NULL;
		if (name == NULL || fp_schema_add(r->schema, name, FP_TYPE_STRING, true) == NULL) {
			free(name);
			return fp_error_set(err, "%s: out of memory", r->name);
		}
		free(name);
	}
	r->ncols = p->nfields;
	p->max_fields = r->ncols;
	return 0;
}

struct fp_text_reader *fp_text_reader_open(const char *path, char delimiter, struct fp_error *err)
{
	struct fp_text_reader *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->name = strdup(path)) == NULL) {
		free(r);
		fp_error_set(err, "out of memory");
		return NULL;
	}
	r->in = fopen(path, "rb");
	if (r->in == NULL) {
		fp_error_errno(err, "%s", path);
		goto fail;
	}
	r->schema = fp_schema_new("", "");
	if (r->schema == NULL) {
		fp_error_set(err, "out of memory");
		goto fail;
	}
	if (fp_csv_parser_init(&r->parser, r->in, r->name, delimiter, FP_CSV_DEFAULT_MAX_RECORD, err) < 0) {
		r->parser.buf = NULL;
		goto fail;
	}
	if (read_header(r, err) < 0)
		goto fail;
	return r;
fail:
	fp_text_reader_close(r);
	return NULL;
}

void fp_text_reader_close(struct fp_text_reader *r)
{
	if (r == NULL)
		return;
	if (r->parser.buf || r->parser.rec || r->parser.fields)
		fp_csv_parser_free(&r->parser);
	if (r->in)
		fclose(r->in);
	fp_schema_free(r->schema);
	free(r->scratch);
	free(r->name);
	free(r);
}

const struct fp_schema *fp_text_reader_schema(const struct fp_text_reader *r)
{
	return r->schema;
}

uint64_t fp_text_reader_skipped(const struct fp_text_reader *r, uint64_t *first_line)
{
	*first_line = r->first_skipped_line;
	return r->skipped;
}

static int put_record(struct fp_text_reader *r, struct fp_batch *out, struct fp_error *err)
{
	const struct fp_csv_parser *p = &r->parser;

	for (size_t c = 0; c < r->ncols; c++) {
		const struct fp_csv_field *f = &p->fields[c];
		size_t len = f->len;
		const char *t;

		if (len == 0 && !f->quoted) {
			fp_batch_put_null(out, c);
			continue;
		}
		t = utf8_text(r, p->rec + f->off, &len);
		if (t == NULL || fp_batch_put_bytes(out, c, t, len) < 0)
			return fp_error_set(err, "%s: line %" PRIu64 ": out of memory", r->name, p->rec_line);
	}
	fp_batch_end_row(out);
	return 0;
}

long fp_text_reader_next(struct fp_text_reader *r, struct fp_batch *out, struct fp_error *err)
{
	fp_batch_clear(out);
	while (!fp_batch_full(out)) {
		int rc = r->ncols ? fp_csv_parser_next(&r->parser, err) : 0;

		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		if (r->parser.nfields != r->ncols) {
			if (r->skipped++ == 0)
				r->first_skipped_line = r->parser.rec_line;
			continue;
		}
		if (put_record(r, out, err) < 0)
			return -1;
	}
	return (long)out->nrows;
}
