/*
 * sample-table.h - the deterministic table of `fp-parquet-tool write-sample`
 * (see sample-table.c).
 */
#ifndef FP_TESTS_INTEROP_SAMPLE_TABLE_H
#define FP_TESTS_INTEROP_SAMPLE_TABLE_H

#include <stddef.h>

#include "record/batch.h"
#include "record/schema.h"

/* A new schema (the caller frees it with fp_schema_free), or NULL. */
struct fp_schema *sample_schema(void);
/* Appends row number `row` of the table to `b` (not full; schema from
 * sample_schema()). Returns -1 only if memory runs out. */
int sample_put_row(struct fp_batch *b, size_t row);

#endif
