/*
 * canonicalize.h - input batches to canonical batches, row by row, under a
 * plan (plan.h), counting what could not be used (report.h).
 *
 * The rules for a cell that cannot be used (empty, "NaN", "Infinity", a
 * negative count, an address that is no address...):
 *   - in a nullable output column the cell becomes null, and is counted;
 *   - in a required column (every canonical field, unless --allow-missing)
 *     the whole row is rejected: it is not written, and it is counted under
 *     the first such field, with its row number and value.
 * A null in a required field's column is "has no value", treated the same.
 * No value is ever clamped or replaced by a made-up one.
 *
 * Memory: the output batch has the input batch's capacity; nothing grows
 * with the number of rows.
 */
#ifndef FP_CANON_CANONICALIZE_H
#define FP_CANON_CANONICALIZE_H

#include <stdint.h>

#include "canon/plan.h"
#include "canon/report.h"
#include "lib/error.h"
#include "record/batch.h"

/* Converts the rows of `in` (whose first row is data row first_row + 1 of
 * its input) into `out` (made for plan->out, capacity >= in->nrows;
 * cleared first). Returns the rows written, or -1 (memory only). */
long fp_canon_run(struct fp_canon_plan *p, const struct fp_batch *in, uint64_t first_row, struct fp_batch *out,
		  struct fp_canon_report *rep, struct fp_error *err);

#endif
