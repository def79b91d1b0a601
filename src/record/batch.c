/*
 * batch.c - the columnar record batch (see batch.h for the contract).
 *
 * Fixed-width columns are allocated for `capacity` rows up front; string
 * data starts at 32 bytes a row and doubles when a row does not fit. The
 * validity bitmap is allocated at the first null, with every earlier row
 * marked valid, so tables without nulls never pay for it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "record/batch.h"

static int column_init(struct fp_column *c, enum fp_type type, size_t capacity)
{
	c->type = type;
	if (fp_type_is_bytes(type)) {
		c->offsets = calloc(capacity + 1, sizeof(uint32_t));
		c->data_cap = capacity * 32 + 64;
		c->data = malloc(c->data_cap);
		return (c->offsets && c->data) ? 0 : -1;
	}
	/* all union members alias the same pointer */
	c->v.i64 = calloc(capacity ? capacity : 1, fp_type_width(type));
	return c->v.i64 ? 0 : -1;
}

struct fp_batch *fp_batch_new(const struct fp_schema *schema, size_t capacity)
{
	struct fp_batch *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	b->schema = schema;
	b->capacity = capacity ? capacity : 1;
	b->cols = calloc(schema->nfields ? schema->nfields : 1, sizeof(*b->cols));
	if (b->cols == NULL) {
		free(b);
		return NULL;
	}
	for (size_t i = 0; i < schema->nfields; i++) {
		if (column_init(&b->cols[i], schema->fields[i].type, b->capacity) < 0) {
			fp_batch_free(b);
			return NULL;
		}
	}
	return b;
}

void fp_batch_free(struct fp_batch *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->schema->nfields; i++) {
		struct fp_column *c = &b->cols[i];
		free(c->validity);
		free(c->v.i64);
		free(c->offsets);
		free(c->data);
	}
	free(b->cols);
	free(b);
}

void fp_batch_clear(struct fp_batch *b)
{
	for (size_t i = 0; i < b->schema->nfields; i++) {
		struct fp_column *c = &b->cols[i];
		/* keep the bitmap's memory but forget the nulls */
		if (c->validity)
			memset(c->validity, 0xff, (b->capacity + 7) / 8);
	}
	b->nrows = 0;
}

/* The slow half of fp_batch_put_bytes(): string data grows to fit. */
int fp_batch_grow_bytes(struct fp_column *c, size_t need)
{
	size_t ncap = c->data_cap * 2;
	char *nd;

	if (need > UINT32_MAX)
		return -1;
	while (ncap < need)
		ncap *= 2;
	nd = realloc(c->data, ncap);
	if (nd == NULL)
		return -1;
	c->data = nd;
	c->data_cap = ncap;
	return 0;
}

void fp_batch_put_null(struct fp_batch *b, size_t col)
{
	struct fp_column *c = &b->cols[col];
	size_t row = b->nrows;

	if (c->validity == NULL) {
		size_t nbytes = (b->capacity + 7) / 8;
		c->validity = malloc(nbytes);
		if (c->validity == NULL)
			abort();	/* a few bytes: nothing sensible to do without them */
		memset(c->validity, 0xff, nbytes);
	}
	fp_column_set_valid(c, row, false);
	if (fp_type_is_bytes(c->type))
		c->offsets[row + 1] = c->offsets[row];
	else if (c->type == FP_TYPE_BOOL)
		c->v.b[row] = 0;
	else if (c->type == FP_TYPE_INT32)
		c->v.i32[row] = 0;
	else
		c->v.i64[row] = 0;	/* int64, timestamp, and double's bytes */
}
