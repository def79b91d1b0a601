/*
 * json.c - recursive-descent JSON parser (RFC 8259) into a tree.
 *
 * The parser works on a bounded buffer, tracks line and column for its
 * messages, limits nesting to JSON_MAX_DEPTH so hostile input cannot
 * exhaust the stack, and decodes \u escapes (with surrogate pairs) to
 * UTF-8.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"

#define JSON_MAX_DEPTH 64

struct json_parser {
	const char *p, *end, *start;
	struct fp_error *err;
};

static int json_fail(struct json_parser *ps, const char *what)
{
	size_t line = 1, col = 1;

	for (const char *q = ps->start; q < ps->p && q < ps->end; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return fp_error_set(ps->err, "JSON line %zu, column %zu: %s", line, col, what);
}

static void skip_space(struct json_parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int parse_value(struct json_parser *ps, struct fp_json *out, int depth);

static int put_utf8(char *dst, uint32_t cp)
{
	if (cp < 0x80) {
		dst[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		dst[0] = (char)(0xc0 | (cp >> 6));
		dst[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		dst[0] = (char)(0xe0 | (cp >> 12));
		dst[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		dst[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	dst[0] = (char)(0xf0 | (cp >> 18));
	dst[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	dst[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	dst[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int parse_hex4(struct json_parser *ps, uint32_t *out)
{
	uint32_t v = 0;

	if (ps->end - ps->p < 4)
		return json_fail(ps, "truncated \\u escape");
	for (int i = 0; i < 4; i++) {
		char c = *ps->p++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return json_fail(ps, "bad \\u escape");
	}
	*out = v;
	return 0;
}

static int parse_escape(struct json_parser *ps, char *dst, size_t *n)
{
	uint32_t cp, lo;
	char c;

	if (ps->p >= ps->end)
		return json_fail(ps, "unterminated string");
	c = *ps->p++;
	switch (c) {
	case '"': case '\\': case '/': dst[(*n)++] = c; return 0;
	case 'b': dst[(*n)++] = '\b'; return 0;
	case 'f': dst[(*n)++] = '\f'; return 0;
	case 'n': dst[(*n)++] = '\n'; return 0;
	case 'r': dst[(*n)++] = '\r'; return 0;
	case 't': dst[(*n)++] = '\t'; return 0;
	case 'u': break;
	default: return json_fail(ps, "unknown escape");
	}
	if (parse_hex4(ps, &cp) < 0)
		return -1;
	if (cp >= 0xd800 && cp < 0xdc00) {
		if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u')
			return json_fail(ps, "lone surrogate in \\u escape");
		ps->p += 2;
		if (parse_hex4(ps, &lo) < 0)
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return json_fail(ps, "bad surrogate pair");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	*n += (size_t)put_utf8(dst + *n, cp);
	return 0;
}

/* Decoded text is never longer than the source, so one allocation of the
 * source length suffices. */
static int parse_string(struct json_parser *ps, char **text, size_t *len)
{
	const char *q = ps->p + 1;
	char *buf;
	size_t n = 0;

	while (q < ps->end && *q != '"') {
		if (*q == '\\')
			q++;
		q++;
	}
	if (q >= ps->end)
		return json_fail(ps, "unterminated string");
	buf = malloc((size_t)(q - ps->p) + 1);
	if (buf == NULL)
		return json_fail(ps, "out of memory");
	ps->p++;
	while (*ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p;
		if (c < 0x20) {
			free(buf);
			return json_fail(ps, "control character in string");
		}
		ps->p++;
		if (c == '\\') {
			if (parse_escape(ps, buf, &n) < 0) {
				free(buf);
				return -1;
			}
		} else {
			buf[n++] = (char)c;
		}
	}
	ps->p++;
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

static int parse_number(struct json_parser *ps, struct fp_json *out)
{
	const char *s = ps->p;

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p >= ps->end || !(*ps->p >= '0' && *ps->p <= '9'))
		return json_fail(ps, "bad number");
	while (ps->p < ps->end && strchr("0123456789.eE+-", *ps->p) != NULL)
		ps->p++;
	out->type = FP_JSON_NUMBER;
	out->len = (size_t)(ps->p - s);
	out->text = strndup(s, out->len);
	return out->text ? 0 : json_fail(ps, "out of memory");
}

static int parse_literal(struct json_parser *ps, const char *word, struct fp_json *out,
			 enum fp_json_type type, bool value)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return json_fail(ps, "unexpected character");
	ps->p += n;
	out->type = type;
	out->boolean = value;
	return 0;
}

static int grow_items(struct json_parser *ps, struct fp_json *out, size_t *cap, bool keys)
{
	size_t ncap = *cap ? *cap * 2 : 8;
	struct fp_json *items;

	if (out->n < *cap)
		return 0;
	items = realloc(out->items, ncap * sizeof(*items));
	if (items == NULL)
		return json_fail(ps, "out of memory");
	out->items = items;
	if (keys) {
		char **k = realloc(out->keys, ncap * sizeof(*k));
		if (k == NULL)
			return json_fail(ps, "out of memory");
		out->keys = k;
	}
	*cap = ncap;
	return 0;
}

static int parse_container(struct json_parser *ps, struct fp_json *out, int depth, bool object)
{
	char close = object ? '}' : ']';
	size_t cap = 0;

	out->type = object ? FP_JSON_OBJECT : FP_JSON_ARRAY;
	ps->p++;
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		size_t keylen;

		if (grow_items(ps, out, &cap, object) < 0)
			return -1;
		skip_space(ps);
		if (object) {
			if (ps->p >= ps->end || *ps->p != '"')
				return json_fail(ps, "expected a string key");
			if (parse_string(ps, &key, &keylen) < 0)
				return -1;
			skip_space(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				free(key);
				return json_fail(ps, "expected ':'");
			}
			ps->p++;
			out->keys[out->n] = key;
		}
		memset(&out->items[out->n], 0, sizeof(out->items[0]));
		out->n++;
		if (parse_value(ps, &out->items[out->n - 1], depth + 1) < 0)
			return -1;
		skip_space(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return 0;
		}
		return json_fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int parse_value(struct json_parser *ps, struct fp_json *out, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return json_fail(ps, "nesting too deep");
	skip_space(ps);
	if (ps->p >= ps->end)
		return json_fail(ps, "unexpected end of input");
	switch (*ps->p) {
	case '{': return parse_container(ps, out, depth, true);
	case '[': return parse_container(ps, out, depth, false);
	case '"':
		out->type = FP_JSON_STRING;
		return parse_string(ps, &out->text, &out->len);
	case 't': return parse_literal(ps, "true", out, FP_JSON_BOOL, true);
	case 'f': return parse_literal(ps, "false", out, FP_JSON_BOOL, false);
	case 'n': return parse_literal(ps, "null", out, FP_JSON_NULL, false);
	default: return parse_number(ps, out);
	}
}

static void json_free_contents(struct fp_json *j)
{
	for (size_t i = 0; i < j->n; i++) {
		json_free_contents(&j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->text);
}

struct fp_json *fp_json_parse(const char *text, size_t len, struct fp_error *err)
{
	struct json_parser ps = { text, text + len, text, err };
	struct fp_json *root = calloc(1, sizeof(*root));

	if (root == NULL) {
		fp_error_set(err, "out of memory");
		return NULL;
	}
	if (parse_value(&ps, root, 0) == 0) {
		skip_space(&ps);
		if (ps.p == ps.end)
			return root;
		json_fail(&ps, "trailing characters after the document");
	}
	fp_json_free(root);
	return NULL;
}

void fp_json_free(struct fp_json *j)
{
	if (j == NULL)
		return;
	json_free_contents(j);
	free(j);
}

const struct fp_json *fp_json_get(const struct fp_json *obj, const char *key)
{
	if (obj == NULL || obj->type != FP_JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}

const char *fp_json_get_string(const struct fp_json *obj, const char *key, const char *fallback)
{
	const struct fp_json *v = fp_json_get(obj, key);

	return (v && v->type == FP_JSON_STRING) ? v->text : fallback;
}

bool fp_json_get_bool(const struct fp_json *obj, const char *key, bool fallback)
{
	const struct fp_json *v = fp_json_get(obj, key);

	return (v && v->type == FP_JSON_BOOL) ? v->boolean : fallback;
}

int fp_json_int64(const struct fp_json *j, int64_t *out)
{
	char *end;
	long long v;

	if (j == NULL || j->type != FP_JSON_NUMBER)
		return -1;
	errno = 0;
	v = strtoll(j->text, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

double fp_json_double(const struct fp_json *j)
{
	return (j && j->type == FP_JSON_NUMBER) ? strtod(j->text, NULL) : 0.0;
}
