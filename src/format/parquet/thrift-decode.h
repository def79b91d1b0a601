/*
 * thrift-decode.h - a Thrift compact protocol reader over one bounded
 * buffer, for the Parquet footer and page headers.
 *
 * Invariants: the cursor never leaves [start, end); every varint is at most
 * 10 bytes; every string length and list/map size is checked against the
 * bytes that remain before anything is allocated; struct/list nesting is
 * limited to TCD_MAX_DEPTH. Unknown fields of any type are skipped, so
 * newer writers (new LogicalType members, statistics, encryption...) are
 * tolerated. Running past the end sets `truncated`, so a caller that read
 * only part of a page header can retry with more bytes.
 *
 * Messages are short ("Thrift: list of 4000 items in 12 bytes at offset
 * 33"); the caller prefixes them with the structure and file position.
 */
#ifndef FP_FORMAT_PARQUET_THRIFT_DECODE_H
#define FP_FORMAT_PARQUET_THRIFT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

#define TCD_MAX_DEPTH 32

struct tcd {
	const uint8_t *start, *p, *end;
	int depth;
	bool truncated;		/* an error came from reaching `end` */
	struct fp_error *err;
};

void tcd_init(struct tcd *t, const void *buf, size_t len, struct fp_error *err);
static inline size_t tcd_offset(const struct tcd *t) { return (size_t)(t->p - t->start); }

/* Struct walking: begin, then tcd_field() until it returns 0 (STOP) or -1,
 * then tcd_struct_end(). `last_id` holds the previous field id (start 0). */
int tcd_struct_begin(struct tcd *t);
void tcd_struct_end(struct tcd *t);
int tcd_field(struct tcd *t, int16_t *last_id, int *type, int16_t *id);

/* Skips one value of `type`; `in_list` because a bool costs a byte inside
 * a list or map but nothing as a struct field. */
int tcd_skip(struct tcd *t, int type, bool in_list);

/* Readers of one value of the field's `type`. tcd_int accepts any integer
 * type (BYTE, I16, I32, I64) and checks [min, max]; `what` names the field
 * for messages. */
int tcd_int(struct tcd *t, int type, int64_t min, int64_t max, int64_t *out, const char *what);
int tcd_bool(struct tcd *t, int type, bool in_list, bool *out, const char *what);
int tcd_binary(struct tcd *t, int type, const uint8_t **p, size_t *len, const char *what);
/* A malloc'ed NUL-terminated copy of a BINARY value. */
int tcd_string(struct tcd *t, int type, char **out, const char *what);
/* A LIST (or SET) header: element type and count (count <= bytes left). */
int tcd_list(struct tcd *t, int type, int *elem_type, size_t *n, const char *what);

#endif
