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

enum fp_canon_result fp_canon_convert(const struct fp_canon_target *t, const struct fp_canon_source *s,
				      const struct fp_column *col, size_t row, const struct fp_canon_time_options *time,
				      struct fp_canon_value *out, const char **why);

#endif
