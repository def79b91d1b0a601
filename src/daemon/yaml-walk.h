/*
 * yaml-walk.h - a YAML text read into a small tree whose every node knows
 * its line and column, for loaders that report errors by position.
 *
 * libyaml's event parser does the reading; this file only keeps what a
 * configuration needs: mappings, lists and scalars (as text), each with
 * the 1-based line and column where it starts. The tree is bounded so that
 * a hostile file cannot make the loader spend much: the text may be at
 * most YW_MAX_BYTES, nesting at most YW_MAX_DEPTH levels, at most
 * YW_MAX_NODES nodes, and anchors and aliases are refused outright (no
 * "billion laughs": a node is never shared, so the tree is as large as the
 * text). One document per text; a text with none (empty, or only comments)
 * gives a NULL root.
 *
 * Scalars are NUL-terminated and never contain a NUL (refused), so they
 * can be handed to C string functions as they are. A mapping's children
 * alternate key, value.
 */
#ifndef FP_DAEMON_YAML_WALK_H
#define FP_DAEMON_YAML_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/error.h"

#define YW_MAX_BYTES (1024 * 1024)
#define YW_MAX_DEPTH 16
#define YW_MAX_NODES 65536

enum yw_kind { YW_SCALAR, YW_LIST, YW_MAPPING };

struct yw_node {
	enum yw_kind kind;
	unsigned line, col;		/* 1-based start of the node */
	char *text;			/* scalars: the value */
	bool plain;			/* scalars: written without quotes (so ~ and null mean null) */
	struct yw_node *child;		/* lists, mappings: the first child */
	struct yw_node *next;		/* the next sibling */
	size_t count;			/* children (a mapping: twice its pairs) */
};

/* Reads `text` (len bytes; `name` stands for it in messages) into *root
 * (NULL for an empty document). Errors read "NAME:LINE:COL: message" with
 * libyaml's own words for syntax errors. */
int yw_load(const char *text, size_t len, const char *name, struct yw_node **root, struct fp_error *err);

void yw_free(struct yw_node *n);

/* "a mapping", "a list", "a scalar" (for "expected X, found Y"). */
const char *yw_kind_name(enum yw_kind kind);

/* Whether `n` is YAML's null: a plain ~, null (any case), or nothing. */
bool yw_is_null(const struct yw_node *n);

/* The value of `key` in mapping `map`, or NULL. */
const struct yw_node *yw_get(const struct yw_node *map, const char *key);

#endif
