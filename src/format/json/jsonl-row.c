/*
 * jsonl-row.c - one row of a record batch as one JSON object (the rules
 * are in jsonl.h).
 *
 * Rendering goes through a bounded cursor that counts every byte but
 * stores only what fits, so one pass both measures and writes: a caller
 * whose buffer was too small learns the exact size it needs. The keys,
 * with the '{' or ',' before them and the ':' after, are escaped once per
 * schema, so a row costs only its values.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/json/jsonl.h"
#include "lib/number-text.h"
#include "lib/utf8.h"

struct fp_jsonl_row_format {
	const struct fp_schema *schema;
	char **keys;		/* "{\"name\":" for field 0, ",\"name\":" after */
	size_t *key_lens;
};

/* Stores bytes while they fit in [0, size); counts all of them. */
struct cursor {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct cursor *c, const void *p, size_t n)
{
	if (c->len < c->size) {
		size_t room = c->size - c->len;
		memcpy(c->buf + c->len, p, n < room ? n : room);
	}
	c->len += n;
}

static void put_char(struct cursor *c, char ch)
{
	if (c->len < c->size)
		c->buf[c->len] = ch;
	c->len++;
}

static bool needs_escape(unsigned char ch)
{
	return ch < 0x20 || ch == '"' || ch == '\\';
}

/* Valid UTF-8: runs of plain bytes in one go, the rest escaped. */
static void put_escaped(struct cursor *c, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;

	while (i < n) {
		size_t run = i;

		while (run < n && !needs_escape(s[run]))
			run++;
		put(c, s + i, run - i);
		if (run == n)
			return;
		if (s[run] == '"' || s[run] == '\\') {
			char esc[2] = { '\\', (char)s[run] };
			put(c, esc, 2);
		} else {
			char esc[6] = { '\\', 'u', '0', '0', hex[s[run] >> 4], hex[s[run] & 15] };
			put(c, esc, 6);
		}
		i = run + 1;
	}
}

/* A JSON string; each byte that is not part of valid UTF-8 becomes U+FFFD. */
static void put_string(struct cursor *c, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;

	put_char(c, '"');
	while (i < n) {
		size_t ok = fp_utf8_valid_prefix(s + i, n - i);

		put_escaped(c, s + i, ok);
		i += ok;
		if (i < n) {
			put(c, FP_UTF8_REPLACEMENT, 3);
			i++;
		}
	}
	put_char(c, '"');
}

static void put_hex_string(struct cursor *c, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	put_char(c, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)p[i];
		char pair[2] = { hex[b >> 4], hex[b & 15] };
		put(c, pair, 2);
	}
	put_char(c, '"');
}

static void put_i64(struct cursor *c, int64_t v)
{
	char text[FP_NUMBER_TEXT_MAX];

	put(c, text, fp_i64_to_text(text, v));
}

static void put_double(struct cursor *c, double v)
{
	char text[FP_NUMBER_TEXT_MAX];

	if (!isfinite(v)) {
		put(c, "null", 4);	/* JSON has no NaN or infinity */
		return;
	}
	put(c, text, fp_double_to_text(text, v));
}

static void put_value(struct cursor *c, const struct fp_column *col, size_t row)
{
	const char *bytes;
	size_t n;

	if (!fp_column_is_valid(col, row)) {
		put(c, "null", 4);
		return;
	}
	switch (col->type) {
	case FP_TYPE_BOOL:
		if (col->v.b[row])
			put(c, "true", 4);
		else
			put(c, "false", 5);
		return;
	case FP_TYPE_INT32:
		put_i64(c, col->v.i32[row]);
		return;
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP:
		put_i64(c, col->v.i64[row]);
		return;
	case FP_TYPE_DOUBLE:
		put_double(c, col->v.f64[row]);
		return;
	case FP_TYPE_STRING:
		bytes = fp_column_bytes(col, row, &n);
		put_string(c, bytes, n);
		return;
	case FP_TYPE_BINARY:
		bytes = fp_column_bytes(col, row, &n);
		put_hex_string(c, bytes, n);
		return;
	}
}

size_t fp_jsonl_row_text(const struct fp_jsonl_row_format *f, const struct fp_batch *b, size_t row, char *buf,
			 size_t size)
{
	struct cursor c = { buf, size, 0 };
	size_t nfields = f->schema->nfields;

	if (nfields == 0) {
		put(&c, "{}", 2);
		return c.len;
	}
	for (size_t i = 0; i < nfields; i++) {
		put(&c, f->keys[i], f->key_lens[i]);
		put_value(&c, &b->cols[i], row);
	}
	put_char(&c, '}');
	return c.len;
}

/* "{" or "," then the escaped name and ":", measured and then written. */
static char *render_key(const char *name, bool first, size_t *len)
{
	struct cursor c = { NULL, 0, 0 };
	char *key;

	put_char(&c, first ? '{' : ',');
	put_string(&c, name, strlen(name));
	put_char(&c, ':');
	if ((key = malloc(c.len)) == NULL)
		return NULL;
	*len = c.len;
	c = (struct cursor){ key, *len, 0 };
	put_char(&c, first ? '{' : ',');
	put_string(&c, name, strlen(name));
	put_char(&c, ':');
	return key;
}

struct fp_jsonl_row_format *fp_jsonl_row_format_new(const struct fp_schema *schema, struct fp_error *err)
{
	struct fp_jsonl_row_format *f = calloc(1, sizeof(*f));
	size_t n = schema->nfields;

	if (f == NULL)
		goto no_memory;
	f->schema = schema;
	if ((f->keys = calloc(n ? n : 1, sizeof(*f->keys))) == NULL ||
	    (f->key_lens = calloc(n ? n : 1, sizeof(*f->key_lens))) == NULL)
		goto no_memory;
	for (size_t i = 0; i < n; i++)
		if ((f->keys[i] = render_key(schema->fields[i].name, i == 0, &f->key_lens[i])) == NULL)
			goto no_memory;
	return f;
no_memory:
	fp_jsonl_row_format_free(f);
	fp_error_set(err, "out of memory for the JSON keys");
	return NULL;
}

void fp_jsonl_row_format_free(struct fp_jsonl_row_format *f)
{
	if (f == NULL)
		return;
	if (f->keys != NULL)
		for (size_t i = 0; i < f->schema->nfields; i++)
			free(f->keys[i]);
	free(f->keys);
	free(f->key_lens);
	free(f);
}
