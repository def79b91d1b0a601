/*
 * canon-text.h - flowprep's reading of a Parquet file as the interop suite's
 * canonical text dump (see canon-text.c and lib/canon.mjs).
 */
#ifndef FP_TESTS_INTEROP_CANON_TEXT_H
#define FP_TESTS_INTEROP_CANON_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "record/batch.h"
#include "record/schema.h"

/* The header line: '#' and one "name":type:nullable|required a column. */
void canon_put_header(FILE *out, const struct fp_schema *s);
/* One row of a batch, TAB-separated, with its newline. */
void canon_put_row(FILE *out, const struct fp_batch *b, size_t row);
/* ECMAScript Number::toString(v), plus "-0" for negative zero. */
void canon_format_double(double v, char out[32]);

#endif
