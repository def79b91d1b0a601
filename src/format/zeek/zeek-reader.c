/*
 * zeek-reader.c - Zeek ASCII logs (zeek-reader.h).
 *
 * Header directives are read until the first record; the separator's
 * "\x09" escape is decoded (it is the only escape Zeek writes there).
 * Records are split in place on the line reader's buffer, so a record
 * costs no allocation beyond the batch's string data.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format/text/line-reader.h"
#include "format/zeek/zeek-reader.h"

#define MAX_LINE (16u << 20)
#define MAX_COLUMNS 100000

struct fp_zeek_reader {
	struct fp_line_reader lines;
	FILE *in;
	char *name;
	struct fp_schema *schema;
	char sep;
	char unset[32], empty[32];
	char *fields_line;	/* the #fields directive, to compare a repeated one */
	char *pending;		/* a record read while looking for the header */
	size_t pending_len;
	bool have_pending;
	uint64_t skipped, first_skipped_line;
	const char **cells;	/* one record's fields */
	size_t *cell_len;
};

bool fp_zeek_looks_like(const char *head, size_t len)
{
	return len >= 11 && memcmp(head, "#separator ", 11) == 0;
}

/* "\x09" -> tab; anything else: its first byte. */
static char decode_separator(const char *s)
{
	if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3])
		return (char)strtol((char[]){ s[2], s[3], '\0' }, NULL, 16);
	return s[0];
}

static void copy_word(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

static int add_fields(struct fp_zeek_reader *r, char *line, struct fp_error *err)
{
	char *p = line;

	if (r->fields_line != NULL)
		return strcmp(r->fields_line, line) == 0 ? 0 : fp_error_set(err, "%s: line %" PRIu64 ": another"
				" #fields than the first; split the log into one file per field set", r->name,
				r->lines.line);
	if ((r->fields_line = strdup(line)) == NULL)
		return fp_error_set(err, "out of memory");
	while (p != NULL) {
		char *next = strchr(p, r->sep);
		if (next)
			*next++ = '\0';
		if (r->schema->nfields >= MAX_COLUMNS)
			return fp_error_set(err, "%s: more than %d fields", r->name, MAX_COLUMNS);
		if (fp_schema_add(r->schema, p, FP_TYPE_STRING, true) == NULL)
			return fp_error_set(err, "out of memory");
		p = next;
	}
	return 0;
}

/* One '#' line: a directive we use, or one we skip. */
static int directive(struct fp_zeek_reader *r, char *line, struct fp_error *err)
{
	if (strncmp(line, "#separator ", 11) == 0) {
		r->sep = decode_separator(line + 11);
		return 0;
	}
	if (strncmp(line, "#fields", 7) == 0 && line[7] == r->sep)
		return add_fields(r, line + 8, err);
	if (strncmp(line, "#unset_field", 12) == 0 && line[12] == r->sep)
		copy_word(r->unset, sizeof(r->unset), line + 13);
	else if (strncmp(line, "#empty_field", 12) == 0 && line[12] == r->sep)
		copy_word(r->empty, sizeof(r->empty), line + 13);
	return 0;
}

static int read_header(struct fp_zeek_reader *r, struct fp_error *err)
{
	char *line;
	size_t len;
	int rc;

	while ((rc = fp_line_reader_next(&r->lines, &line, &len, err)) > 0) {
		if (line[0] != '#') {
			r->pending = line;	/* stays valid until the next read */
			r->pending_len = len;
			r->have_pending = true;
			break;
		}
		if (directive(r, line, err) < 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	if (r->schema->nfields == 0)
		return fp_error_set(err, "%s: a Zeek log without a #fields line", r->name);
	r->cells = calloc(r->schema->nfields, sizeof(*r->cells));
	r->cell_len = calloc(r->schema->nfields, sizeof(*r->cell_len));
	if (r->cells == NULL || r->cell_len == NULL)
		return fp_error_set(err, "out of memory");
	return 0;
}

struct fp_zeek_reader *fp_zeek_reader_open(const char *path, struct fp_error *err)
{
	struct fp_zeek_reader *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->name = strdup(path)) == NULL) {
		free(r);
		fp_error_set(err, "out of memory");
		return NULL;
	}
	r->sep = '\t';
	strcpy(r->unset, "-");
	strcpy(r->empty, "(empty)");
	if ((r->in = fopen(path, "rb")) == NULL) {
		fp_error_errno(err, "%s", path);
		goto fail;
	}
	if ((r->schema = fp_schema_new("zeek", "")) == NULL) {
		fp_error_set(err, "out of memory");
		goto fail;
	}
	if (fp_line_reader_init(&r->lines, r->in, r->name, MAX_LINE, err) < 0 || read_header(r, err) < 0)
		goto fail;
	return r;
fail:
	fp_zeek_reader_close(r);
	return NULL;
}

void fp_zeek_reader_close(struct fp_zeek_reader *r)
{
	if (r == NULL)
		return;
	fp_line_reader_free(&r->lines);
	if (r->in)
		fclose(r->in);
	fp_schema_free(r->schema);
	free(r->fields_line);
	free(r->cells);
	free(r->cell_len);
	free(r->name);
	free(r);
}

const struct fp_schema *fp_zeek_reader_schema(const struct fp_zeek_reader *r)
{
	return r->schema;
}

uint64_t fp_zeek_reader_skipped(const struct fp_zeek_reader *r, uint64_t *first_line)
{
	*first_line = r->first_skipped_line;
	return r->skipped;
}

/* Splits a record; false when its width is not the header's. */
static bool split(struct fp_zeek_reader *r, char *line, size_t len)
{
	size_t n = 0, ncols = r->schema->nfields;
	char *p = line, *end = line + len;

	for (;;) {
		char *next = memchr(p, r->sep, (size_t)(end - p));
		if (n == ncols)
			return false;
		r->cells[n] = p;
		r->cell_len[n++] = next ? (size_t)(next - p) : (size_t)(end - p);
		if (next == NULL)
			break;
		p = next + 1;
	}
	return n == ncols;
}

static int put_record(struct fp_zeek_reader *r, struct fp_batch *out, struct fp_error *err)
{
	size_t ul = strlen(r->unset), el = strlen(r->empty);

	for (size_t c = 0; c < r->schema->nfields; c++) {
		const char *s = r->cells[c];
		size_t n = r->cell_len[c];

		if (n == ul && memcmp(s, r->unset, n) == 0)
			fp_batch_put_null(out, c);
		else if (fp_batch_put_bytes(out, c, s, n == el && memcmp(s, r->empty, n) == 0 ? 0 : n) < 0)
			return fp_error_set(err, "%s: line %" PRIu64 ": out of memory", r->name, r->lines.line);
	}
	fp_batch_end_row(out);
	return 0;
}

long fp_zeek_reader_next(struct fp_zeek_reader *r, struct fp_batch *out, struct fp_error *err)
{
	fp_batch_clear(out);
	while (!fp_batch_full(out)) {
		char *line;
		size_t len;

		if (r->have_pending) {
			line = r->pending;
			len = r->pending_len;
			r->have_pending = false;
		} else {
			int rc = fp_line_reader_next(&r->lines, &line, &len, err);
			if (rc < 0)
				return -1;
			if (rc == 0)
				break;
		}
		if (len == 0)
			continue;
		if (line[0] == '#') {
			if (directive(r, line, err) < 0)
				return -1;
			continue;
		}
		if (!split(r, line, len)) {
			if (r->skipped++ == 0)
				r->first_skipped_line = r->lines.line;
			continue;
		}
		if (put_record(r, out, err) < 0)
			return -1;
	}
	return (long)out->nrows;
}
