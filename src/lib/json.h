/*
 * json.h - a small JSON reader for flowprep's own data files (the schema,
 * later the alias tables) and for tests that read expected values.
 *
 * Parses a whole document into a tree. Numbers keep their source text so
 * 64-bit integers survive exactly. Depth and sizes are bounded; an error
 * names the line and column.
 */
#ifndef FP_LIB_JSON_H
#define FP_LIB_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

enum fp_json_type { FP_JSON_NULL, FP_JSON_BOOL, FP_JSON_NUMBER, FP_JSON_STRING, FP_JSON_ARRAY, FP_JSON_OBJECT };

struct fp_json {
	enum fp_json_type type;
	bool boolean;
	char *text;		/* STRING: decoded UTF-8 (NUL-terminated); NUMBER: source text */
	size_t len;		/* STRING: bytes in text (may contain NUL) */
	size_t n;		/* ARRAY/OBJECT: number of items */
	struct fp_json *items;	/* ARRAY/OBJECT values */
	char **keys;		/* OBJECT: keys, parallel to items */
};

struct fp_json *fp_json_parse(const char *text, size_t len, struct fp_error *err);
void fp_json_free(struct fp_json *j);

/* Member of an object by key (first match), or NULL. */
const struct fp_json *fp_json_get(const struct fp_json *obj, const char *key);
/* Convenience: the string member `key`, or `fallback`. */
const char *fp_json_get_string(const struct fp_json *obj, const char *key, const char *fallback);
bool fp_json_get_bool(const struct fp_json *obj, const char *key, bool fallback);
/* A NUMBER as int64 (exact for integer text) / double. */
int fp_json_int64(const struct fp_json *j, int64_t *out);
double fp_json_double(const struct fp_json *j);

#endif
