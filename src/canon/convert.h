/*
 * convert.h - one input cell to one canonical value.
 *
 * A cell is read by what it is (an integer, a float, a typed Parquet
 * timestamp, or text) and judged by the target's format (spec.h). The
 * result is a value, a null (the cell is empty), or a refusal with a short
 * reason ("is not a number", "is negative"...): a number is never clamped,
 * truncated or guessed into range.
 *
 * Text is trimmed of spaces and tabs; an empty or blank cell is null, and
 * so are the words Zeek and friends use for "no value" ("-" alone).
 */
#ifndef FP_CANON_CONVERT_H
#define FP_CANON_CONVERT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "canon/spec.h"
#include "canon/timestamp.h"
#include "record/batch.h"

/* Where a value comes from: one input column and the unit its bare
 * numbers are in (units.h: name, then alias, then field; NONE for a time
 * field = by magnitude). */
struct fp_canon_source {
	size_t col;
	const struct fp_field *field;	/* the input column's description */
	size_t alias;			/* which alias matched (its priority) */
	enum fp_canon_unit unit;
	const char *unit_from;		/* "name", "alias", "field", "magnitude": for --explain */
	/* The typed shortcut (fp_canon_source_prepare): an integer column into
	 * an integer range, or a float64 column already in seconds. */
	enum { FP_CANON_FAST_NONE, FP_CANON_FAST_INT, FP_CANON_FAST_SECONDS } fast;
	int64_t lo, hi;			/* FAST_INT: the range */
};

#define FP_CANON_TEXT_MAX 64	/* an address as text, with room to spare */

struct fp_canon_value {
	int64_t i;		/* INT32, INT64, TIMESTAMP, BOOL */
	double f;		/* DOUBLE */
	const char *p;		/* STRING: the text (in `text` or in the input batch) */
	size_t len;
	char text[FP_CANON_TEXT_MAX];
};

enum fp_canon_result { FP_CANON_BAD = -1, FP_CANON_NULL = 0, FP_CANON_VALUE = 1 };

/* Decides s->fast for target t (once, when the plan is made). */
void fp_canon_source_prepare(const struct fp_canon_target *t, struct fp_canon_source *s);

/* The shortcut: the same result as fp_canon_convert() for the sources it
 * covers (s->fast != NONE), without reading the cell generically; the
 * reasons are the same words. */
static inline enum fp_canon_result fp_canon_convert_fast(const struct fp_canon_source *s, const struct fp_column *col,
							 size_t row, struct fp_canon_value *out, const char **why)
{
	if (!fp_column_is_valid(col, row))
		return FP_CANON_NULL;
	if (s->fast == FP_CANON_FAST_SECONDS) {
		double v = col->v.f64[row];
		if (!isfinite(v) || v < 0) {
			*why = isfinite(v) ? "is negative" : "is not a finite number";
			return FP_CANON_BAD;
		}
		out->f = v;
		return FP_CANON_VALUE;
	}
	out->i = col->type == FP_TYPE_INT32 ? col->v.i32[row] : col->v.i64[row];
	if (out->i < s->lo || out->i > s->hi) {
		*why = out->i < 0 && s->lo == 0 ? "is negative" : "is out of range";
		return FP_CANON_BAD;
	}
	return FP_CANON_VALUE;
}

enum fp_canon_result fp_canon_convert(const struct fp_canon_target *t, const struct fp_canon_source *s,
				      const struct fp_column *col, size_t row, const struct fp_canon_time_options *time,
				      struct fp_canon_value *out, const char **why);

#endif
