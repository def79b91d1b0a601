/*
 * yaml-walk.c - YAML text to a positioned tree (see yaml-walk.h).
 *
 * Built from libyaml's events with an explicit stack of open containers,
 * so nothing here recurses on the input except yw_free(), whose depth the
 * nesting limit bounds. Every node is attached to its parent the moment
 * it is made: on any error freeing the root frees everything.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "daemon/yaml-walk.h"

struct builder {
	const char *name;
	const char *text;
	size_t len;
	struct fp_error *err;
	struct yw_node *root;
	struct yw_node *open[YW_MAX_DEPTH];	/* containers not yet ended, outermost first */
	struct yw_node *last[YW_MAX_DEPTH];	/* the last child of each */
	int depth;
	size_t nodes;
	int documents;
};

FP_PRINTF(4, 5)
static int fail_at(struct builder *b, unsigned line, unsigned col, const char *fmt, ...)
{
	char msg[FP_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fp_error_set(b->err, "%s:%u:%u: %s", b->name, line, col, msg);
}

/* ------------------------------------------------------- syntax errors */

/* The line and column of byte `offset` (the reader reports only that). */
static void offset_position(const struct builder *b, size_t offset, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < offset && i < b->len; i++) {
		if (b->text[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)b->text[i] & 0xC0) != 0x80) {
			++*col;		/* count characters, not UTF-8 continuation bytes */
		}
	}
}

static int syntax_error(struct builder *b, const yaml_parser_t *p)
{
	unsigned line, col;

	if (p->error == YAML_MEMORY_ERROR)
		return fp_error_set(b->err, "%s: out of memory reading YAML", b->name);
	if (p->error == YAML_READER_ERROR) {
		offset_position(b, p->problem_offset, &line, &col);
		return fail_at(b, line, col, "%s", p->problem ? p->problem : "unreadable text");
	}
	if (p->context != NULL)
		return fail_at(b, (unsigned)p->problem_mark.line + 1, (unsigned)p->problem_mark.column + 1,
			       "%s (%s at line %u, column %u)", p->problem ? p->problem : "syntax error", p->context,
			       (unsigned)p->context_mark.line + 1, (unsigned)p->context_mark.column + 1);
	return fail_at(b, (unsigned)p->problem_mark.line + 1, (unsigned)p->problem_mark.column + 1, "%s",
		       p->problem ? p->problem : "syntax error");
}

/* ---------------------------------------------------------- the tree */

static struct yw_node *add_node(struct builder *b, enum yw_kind kind, const yaml_mark_t *mark)
{
	unsigned line = (unsigned)mark->line + 1, col = (unsigned)mark->column + 1;
	struct yw_node *n;

	if (++b->nodes > YW_MAX_NODES) {
		fail_at(b, line, col, "more than %d values: too large for a configuration", YW_MAX_NODES);
		return NULL;
	}
	if (kind != YW_SCALAR && b->depth == YW_MAX_DEPTH) {
		fail_at(b, line, col, "nested deeper than %d levels", YW_MAX_DEPTH);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (n == NULL) {
		fp_error_set(b->err, "%s: out of memory reading YAML", b->name);
		return NULL;
	}
	n->kind = kind;
	n->line = line;
	n->col = col;
	if (b->depth == 0) {
		b->root = n;
	} else {
		struct yw_node *parent = b->open[b->depth - 1];

		if (b->last[b->depth - 1] != NULL)
			b->last[b->depth - 1]->next = n;
		else
			parent->child = n;
		b->last[b->depth - 1] = n;
		parent->count++;
	}
	if (kind != YW_SCALAR) {
		b->open[b->depth] = n;
		b->last[b->depth] = NULL;
		b->depth++;
	}
	return n;
}

static int add_scalar(struct builder *b, const yaml_event_t *ev)
{
	const char *value = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct yw_node *n;

	if (memchr(value, '\0', len) != NULL)
		return fail_at(b, (unsigned)ev->start_mark.line + 1, (unsigned)ev->start_mark.column + 1,
			       "a value may not contain a NUL character");
	n = add_node(b, YW_SCALAR, &ev->start_mark);
	if (n == NULL)
		return -1;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->text = malloc(len + 1);
	if (n->text == NULL)
		return fp_error_set(b->err, "%s: out of memory reading YAML", b->name);
	memcpy(n->text, value, len);
	n->text[len] = '\0';
	return 0;
}

/* Anchors and aliases let a small text stand for a huge tree; a
 * configuration never needs them. */
static int refuse_anchor(struct builder *b, const yaml_event_t *ev, const yaml_char_t *anchor)
{
	if (anchor == NULL)
		return 0;
	return fail_at(b, (unsigned)ev->start_mark.line + 1, (unsigned)ev->start_mark.column + 1,
		       "anchors (&%.40s) are not allowed in the configuration", (const char *)anchor);
}

/* Applies one event; returns 1 at the end of the stream, -1 on error. */
static int apply_event(struct builder *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (++b->documents > 1)
			return fail_at(b, (unsigned)ev->start_mark.line + 1, (unsigned)ev->start_mark.column + 1,
				       "a second YAML document starts here; the configuration is one document");
		return 0;
	case YAML_ALIAS_EVENT:
		return fail_at(b, (unsigned)ev->start_mark.line + 1, (unsigned)ev->start_mark.column + 1,
			       "aliases (*%.40s) are not allowed in the configuration",
			       (const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		if (refuse_anchor(b, ev, ev->data.scalar.anchor) < 0)
			return -1;
		return add_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		if (refuse_anchor(b, ev, ev->data.sequence_start.anchor) < 0)
			return -1;
		return add_node(b, YW_LIST, &ev->start_mark) ? 0 : -1;
	case YAML_MAPPING_START_EVENT:
		if (refuse_anchor(b, ev, ev->data.mapping_start.anchor) < 0)
			return -1;
		return add_node(b, YW_MAPPING, &ev->start_mark) ? 0 : -1;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		b->depth--;
		return 0;
	default:
		return 0;
	}
}

int yw_load(const char *text, size_t len, const char *name, struct yw_node **root, struct fp_error *err)
{
	struct builder b = { .name = name, .text = text, .len = len, .err = err };
	yaml_parser_t parser;
	int rc = 0;

	*root = NULL;
	if (len > YW_MAX_BYTES)
		return fp_error_set(err, "%s: %zu bytes is too large for a configuration (at most %d)", name, len,
				    YW_MAX_BYTES);
	if (!yaml_parser_initialize(&parser))
		return fp_error_set(err, "%s: out of memory reading YAML", name);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (rc == 0) {
		yaml_event_t ev;

		if (!yaml_parser_parse(&parser, &ev)) {
			rc = syntax_error(&b, &parser);
			break;
		}
		rc = apply_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (rc < 0) {
		yw_free(b.root);
		return -1;
	}
	*root = b.root;
	return 0;
}

void yw_free(struct yw_node *n)
{
	while (n != NULL) {
		struct yw_node *next = n->next;

		yw_free(n->child);
		free(n->text);
		free(n);
		n = next;
	}
}

const char *yw_kind_name(enum yw_kind kind)
{
	switch (kind) {
	case YW_SCALAR:
		return "a scalar";
	case YW_LIST:
		return "a list";
	case YW_MAPPING:
		return "a mapping";
	}
	return "a node";
}

bool yw_is_null(const struct yw_node *n)
{
	return n->kind == YW_SCALAR && n->plain &&
	       (n->text[0] == '\0' || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0 ||
		strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0);
}

const struct yw_node *yw_get(const struct yw_node *map, const char *key)
{
	if (map == NULL || map->kind != YW_MAPPING)
		return NULL;
	for (const struct yw_node *k = map->child; k != NULL && k->next != NULL; k = k->next->next)
		if (k->kind == YW_SCALAR && strcmp(k->text, key) == 0)
			return k->next;
	return NULL;
}
