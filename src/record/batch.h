/*
 * batch.h - the columnar record batch: the one contract between whatever
 * produces rows (the flow engine, a table reader, canonicalize) and whatever
 * consumes them (CSV, Parquet, Kafka sinks, peek).
 *
 * A batch holds up to `capacity` rows of a schema, column by column. Rows
 * are appended in order: for row `b->nrows`, set every column exactly once
 * with the fp_batch_put_* calls (strings are appended to the column's data
 * buffer, so they must be put in row order), then fp_batch_end_row(). A
 * column that never had a null has `validity == NULL`; the first null
 * allocates the bitmap (bit set = value present).
 *
 * Memory is allocated at creation (and for string data, grown when a long
 * value arrives); fp_batch_clear() keeps it, so a producer that reuses one
 * batch allocates nothing in steady state.
 */
#ifndef FP_RECORD_BATCH_H
#define FP_RECORD_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "record/schema.h"

struct fp_column {
	enum fp_type type;
	uint8_t *validity;	/* NULL: all rows valid; else bit i set = row i valid */
	union {
		uint8_t *b;	/* FP_TYPE_BOOL */
		int32_t *i32;	/* FP_TYPE_INT32 */
		int64_t *i64;	/* FP_TYPE_INT64, FP_TYPE_TIMESTAMP */
		double *f64;	/* FP_TYPE_DOUBLE */
	} v;
	uint32_t *offsets;	/* STRING/BINARY: capacity + 1 entries, offsets[0] = 0 */
	char *data;		/* STRING/BINARY bytes */
	size_t data_cap;
};

struct fp_batch_pool;

struct fp_batch {
	const struct fp_schema *schema;	/* borrowed: must outlive the batch */
	struct fp_batch_pool *pool;	/* the pool it returns to (batch-pool.h), or NULL */
	size_t nrows;
	size_t capacity;
	struct fp_column *cols;		/* schema->nfields entries */
};

struct fp_batch *fp_batch_new(const struct fp_schema *schema, size_t capacity);
void fp_batch_free(struct fp_batch *b);
void fp_batch_clear(struct fp_batch *b);

static inline bool fp_batch_full(const struct fp_batch *b) { return b->nrows >= b->capacity; }

static inline void fp_column_set_valid(struct fp_column *c, size_t row, bool valid)
{
	if (c->validity == NULL)
		return;
	if (valid)
		c->validity[row >> 3] |= (uint8_t)(1u << (row & 7));
	else
		c->validity[row >> 3] &= (uint8_t)~(1u << (row & 7));
}

/* Setters for the row being built (b->nrows). Column index = schema field
 * index. They are inline: a flow record is a dozen of them, at a million
 * records a second. */
static inline void fp_batch_put_bool(struct fp_batch *b, size_t col, bool v)
{
	b->cols[col].v.b[b->nrows] = v ? 1 : 0;
	fp_column_set_valid(&b->cols[col], b->nrows, true);
}

static inline void fp_batch_put_i32(struct fp_batch *b, size_t col, int32_t v)
{
	b->cols[col].v.i32[b->nrows] = v;
	fp_column_set_valid(&b->cols[col], b->nrows, true);
}

static inline void fp_batch_put_i64(struct fp_batch *b, size_t col, int64_t v)
{
	b->cols[col].v.i64[b->nrows] = v;
	fp_column_set_valid(&b->cols[col], b->nrows, true);
}

static inline void fp_batch_put_f64(struct fp_batch *b, size_t col, double v)
{
	b->cols[col].v.f64[b->nrows] = v;
	fp_column_set_valid(&b->cols[col], b->nrows, true);
}

/* Grows c's string data to hold `need` bytes; -1 without memory or past
 * 4 GiB (offsets are 32-bit). For fp_batch_put_bytes(). */
int fp_batch_grow_bytes(struct fp_column *c, size_t need);

/* Returns -1 only if memory runs out (string data cannot grow). */
static inline int fp_batch_put_bytes(struct fp_batch *b, size_t col, const void *p, size_t len)
{
	struct fp_column *c = &b->cols[col];
	size_t row = b->nrows;
	size_t used = c->offsets[row];

	if ((used + len > c->data_cap || used + len > UINT32_MAX) && fp_batch_grow_bytes(c, used + len) < 0)
		return -1;
	if (len)
		memcpy(c->data + used, p, len);
	c->offsets[row + 1] = (uint32_t)(used + len);
	fp_column_set_valid(c, row, true);
	return 0;
}

/* A string made in place: fp_batch_reserve_bytes() returns room for up to
 * `max` bytes of column `col`'s value in the row being built (NULL when
 * memory runs out), the caller writes the value there, and
 * fp_batch_commit_bytes() puts its `len` (<= max) bytes, as
 * fp_batch_put_bytes() would have. Saves a copy for values formatted
 * straight into the batch (addresses). */
static inline char *fp_batch_reserve_bytes(struct fp_batch *b, size_t col, size_t max)
{
	struct fp_column *c = &b->cols[col];
	size_t used = c->offsets[b->nrows];

	if ((used + max > c->data_cap || used + max > UINT32_MAX) && fp_batch_grow_bytes(c, used + max) < 0)
		return NULL;
	return c->data + used;
}

static inline void fp_batch_commit_bytes(struct fp_batch *b, size_t col, size_t len)
{
	struct fp_column *c = &b->cols[col];
	size_t row = b->nrows;

	c->offsets[row + 1] = c->offsets[row] + (uint32_t)len;
	fp_column_set_valid(c, row, true);
}

void fp_batch_put_null(struct fp_batch *b, size_t col);

static inline void fp_batch_end_row(struct fp_batch *b)
{
	b->nrows++;
}

/* Readers of a finished batch. */
static inline bool fp_column_is_valid(const struct fp_column *c, size_t row)
{
	return c->validity == NULL || (c->validity[row >> 3] >> (row & 7)) & 1;
}
static inline const char *fp_column_bytes(const struct fp_column *c, size_t row, size_t *len)
{
	*len = c->offsets[row + 1] - c->offsets[row];
	return c->data + c->offsets[row];
}

#endif
