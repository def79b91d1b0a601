/*
 * jsonl-reader.c - JSON lines into text columns (jsonl-reader.h).
 *
 * Each line is parsed into lib/json's tree and walked; a leaf's dotted path
 * is looked up in a hash of the columns. Memory: the sample (at most
 * FP_JSONL_SAMPLE_LINES lines and SAMPLE_BUDGET bytes), one line (at most
 * MAX_LINE) and its tree; nothing grows with the file.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format/json/jsonl-reader.h"
#include "format/text/line-reader.h"
#include "lib/grow.h"
#include "lib/hash.h"
#include "lib/json.h"

#define MAX_LINE (16u << 20)
#define SAMPLE_BUDGET (64u << 20)
#define MAX_COLUMNS 100000
#define MAX_PATH 1024

struct fp_jsonl_reader {
	struct fp_line_reader lines;
	FILE *in;
	char *name;
	struct fp_schema *schema;
	/* column lookup: open addressing over schema field indexes + 1 */
	uint32_t *slots;
	size_t mask;
	/* the sampled lines, replayed first */
	char *sample;
	size_t sample_len, sample_cap, sample_pos;
	uint64_t sample_first_line, sample_lines_left, sample_line;
	/* one row's cells */
	const char **cell;
	size_t *cell_len;
	uint64_t skipped, first_skipped_line, unknown;
};

bool fp_jsonl_looks_like(const char *head, size_t len)
{
	size_t i = len >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

	while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	return i < len && head[i] == '{';
}

/* ------------------------------------------------------------ columns */

static uint64_t key_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return fp_mix64(h);
}

/* The slot of column `path`, or the empty one where it would go. */
static uint32_t *slot(struct fp_jsonl_reader *r, const char *path, size_t n)
{
	size_t i = (size_t)key_hash(path, n) & r->mask;

	while (r->slots[i]) {
		const char *name = r->schema->fields[r->slots[i] - 1].name;
		if (strlen(name) == n && memcmp(name, path, n) == 0)
			break;
		i = (i + 1) & r->mask;
	}
	return &r->slots[i];
}

static int grow_slots(struct fp_jsonl_reader *r)
{
	size_t cap = (r->mask + 1) * 2;
	uint32_t *old = r->slots;
	size_t old_cap = r->mask + 1;

	r->slots = calloc(cap, sizeof(*r->slots));
	if (r->slots == NULL) {
		r->slots = old;
		return -1;
	}
	r->mask = cap - 1;
	for (size_t i = 0; i < old_cap; i++) {
		if (old[i]) {
			const char *name = r->schema->fields[old[i] - 1].name;
			*slot(r, name, strlen(name)) = old[i];
		}
	}
	free(old);
	return 0;
}

static int add_column(struct fp_jsonl_reader *r, const char *path, size_t n, struct fp_error *err)
{
	uint32_t *s = slot(r, path, n);
	char *name;

	if (*s)
		return 0;
	if (r->schema->nfields >= MAX_COLUMNS)
		return fp_error_set(err, "%s: more than %d distinct keys", r->name, MAX_COLUMNS);
	name = strndup(path, n);
	if (name == NULL || fp_schema_add(r->schema, name, FP_TYPE_STRING, true) == NULL) {
		free(name);
		return fp_error_set(err, "out of memory");
	}
	free(name);
	*s = (uint32_t)r->schema->nfields;
	if (2 * r->schema->nfields > r->mask && grow_slots(r) < 0)
		return fp_error_set(err, "out of memory");
	return 0;
}

/* ------------------------------------------------------------ walking a line */

struct walk {
	struct fp_jsonl_reader *r;
	bool learn;		/* sampling: add unseen paths as columns */
	char path[MAX_PATH];
	struct fp_error *err;
};

static int visit(struct walk *w, const struct fp_json *j, size_t plen);

static int visit_object(struct walk *w, const struct fp_json *obj, size_t plen)
{
	for (size_t i = 0; i < obj->n; i++) {
		size_t klen = strlen(obj->keys[i]), at = plen ? plen + 1 : 0;
		if (at + klen >= MAX_PATH) {
			w->r->unknown++;	/* a path this long is no flow field */
			continue;
		}
		if (plen)
			w->path[plen] = '.';
		memcpy(w->path + at, obj->keys[i], klen);
		if (visit(w, &obj->items[i], at + klen) < 0)
			return -1;
	}
	return 0;
}

static int visit(struct walk *w, const struct fp_json *j, size_t plen)
{
	struct fp_jsonl_reader *r = w->r;
	uint32_t *s;

	if (j->type == FP_JSON_OBJECT)
		return visit_object(w, j, plen);
	if (j->type == FP_JSON_ARRAY)
		return 0;
	if (w->learn && add_column(r, w->path, plen, w->err) < 0)
		return -1;
	if (w->learn)
		return 0;
	s = slot(r, w->path, plen);
	if (*s == 0) {
		r->unknown++;
		return 0;
	}
	switch (j->type) {
	case FP_JSON_NULL: r->cell[*s - 1] = NULL; break;
	case FP_JSON_BOOL:
		r->cell[*s - 1] = j->boolean ? "true" : "false";
		r->cell_len[*s - 1] = j->boolean ? 4 : 5;
		break;
	case FP_JSON_NUMBER:
		r->cell[*s - 1] = j->text;
		r->cell_len[*s - 1] = strlen(j->text);
		break;
	default:
		r->cell[*s - 1] = j->text;
		r->cell_len[*s - 1] = j->len;
		break;
	}
	return 0;
}

/* Parses a line; NULL (and counted) when it is not an object. */
static struct fp_json *parse_line(struct fp_jsonl_reader *r, const char *line, size_t len, uint64_t lineno)
{
	struct fp_error ignored;
	struct fp_json *j = fp_json_parse(line, len, &ignored);

	if (j != NULL && j->type == FP_JSON_OBJECT)
		return j;
	fp_json_free(j);
	if (r->skipped++ == 0)
		r->first_skipped_line = lineno;
	return NULL;
}

static bool blank(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return false;
	return true;
}

/* ------------------------------------------------------------ sampling */

static int keep_line(struct fp_jsonl_reader *r, const char *line, size_t len)
{
	if (fp_grow(&r->sample, &r->sample_cap, r->sample_len + len + 1, 1, 4096) < 0)
		return -1;
	memcpy(r->sample + r->sample_len, line, len);
	r->sample[r->sample_len + len] = '\n';
	r->sample_len += len + 1;
	return 0;
}

static int learn_columns(struct fp_jsonl_reader *r, struct fp_error *err)
{
	struct walk w = { .r = r, .learn = true, .err = err };
	uint64_t kept = 0;
	char *line;
	size_t len;
	int rc = 0;

	while (kept < FP_JSONL_SAMPLE_LINES && r->sample_len < SAMPLE_BUDGET &&
	       (rc = fp_line_reader_next(&r->lines, &line, &len, err)) > 0) {
		struct fp_json *j;
		if (kept == 0)
			r->sample_first_line = r->lines.line;
		if (keep_line(r, line, len) < 0)
			return fp_error_set(err, "out of memory");
		kept++;
		if (blank(line, len))
			continue;
		j = fp_json_parse(line, len, err);
		if (j != NULL && j->type == FP_JSON_OBJECT && visit(&w, j, 0) < 0) {
			fp_json_free(j);
			return -1;
		}
		fp_json_free(j);
	}
	if (rc < 0)
		return -1;
	r->sample_lines_left = kept;
	r->sample_line = r->sample_first_line;
	r->cell = calloc(r->schema->nfields + 1, sizeof(*r->cell));
	r->cell_len = calloc(r->schema->nfields + 1, sizeof(*r->cell_len));
	if (r->cell == NULL || r->cell_len == NULL)
		return fp_error_set(err, "out of memory");
	return 0;
}

struct fp_jsonl_reader *fp_jsonl_reader_open(const char *path, struct fp_error *err)
{
	struct fp_jsonl_reader *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->name = strdup(path)) == NULL) {
		free(r);
		fp_error_set(err, "out of memory");
		return NULL;
	}
	r->mask = 63;
	r->slots = calloc(r->mask + 1, sizeof(*r->slots));
	r->schema = fp_schema_new("jsonl", "");
	if (r->slots == NULL || r->schema == NULL) {
		fp_error_set(err, "out of memory");
		goto fail;
	}
	if ((r->in = fopen(path, "rb")) == NULL) {
		fp_error_errno(err, "%s", path);
		goto fail;
	}
	if (fp_line_reader_init(&r->lines, r->in, r->name, MAX_LINE, err) < 0 || learn_columns(r, err) < 0)
		goto fail;
	return r;
fail:
	fp_jsonl_reader_close(r);
	return NULL;
}

void fp_jsonl_reader_close(struct fp_jsonl_reader *r)
{
	if (r == NULL)
		return;
	fp_line_reader_free(&r->lines);
	if (r->in)
		fclose(r->in);
	fp_schema_free(r->schema);
	free(r->slots);
	free(r->sample);
	free(r->cell);
	free(r->cell_len);
	free(r->name);
	free(r);
}

const struct fp_schema *fp_jsonl_reader_schema(const struct fp_jsonl_reader *r)
{
	return r->schema;
}

uint64_t fp_jsonl_reader_skipped(const struct fp_jsonl_reader *r, uint64_t *first_line)
{
	*first_line = r->first_skipped_line;
	return r->skipped;
}

uint64_t fp_jsonl_reader_unknown_keys(const struct fp_jsonl_reader *r)
{
	return r->unknown;
}

/* ------------------------------------------------------------ rows */

/* The next line: from the sample first, then the file. 1, 0 at end, -1. */
static int next_line(struct fp_jsonl_reader *r, char **line, size_t *len, uint64_t *lineno, struct fp_error *err)
{
	if (r->sample_lines_left > 0) {
		char *start = r->sample + r->sample_pos, *nl = memchr(start, '\n', r->sample_len - r->sample_pos);
		*line = start;
		*len = (size_t)(nl - start);
		*nl = '\0';
		r->sample_pos += *len + 1;
		r->sample_lines_left--;
		*lineno = r->sample_line++;
		return 1;
	}
	*lineno = r->lines.line + 1;
	return fp_line_reader_next(&r->lines, line, len, err);
}

static int put_row(struct fp_jsonl_reader *r, struct fp_batch *out, uint64_t lineno, struct fp_error *err)
{
	for (size_t c = 0; c < r->schema->nfields; c++) {
		if (r->cell[c] == NULL)
			fp_batch_put_null(out, c);
		else if (fp_batch_put_bytes(out, c, r->cell[c], r->cell_len[c]) < 0)
			return fp_error_set(err, "%s: line %" PRIu64 ": out of memory", r->name, lineno);
	}
	fp_batch_end_row(out);
	return 0;
}

long fp_jsonl_reader_next(struct fp_jsonl_reader *r, struct fp_batch *out, struct fp_error *err)
{
	struct walk w = { .r = r, .learn = false, .err = err };

	fp_batch_clear(out);
	while (!fp_batch_full(out)) {
		char *line;
		size_t len;
		uint64_t lineno;
		struct fp_json *j;
		int rc = next_line(r, &line, &len, &lineno, err);

		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		if (blank(line, len) || (j = parse_line(r, line, len, lineno)) == NULL)
			continue;
		memset(r->cell, 0, r->schema->nfields * sizeof(*r->cell));
		rc = visit(&w, j, 0) < 0 ? -1 : put_row(r, out, lineno, err);
		fp_json_free(j);
		if (rc < 0)
			return -1;
	}
	return (long)out->nrows;
}
