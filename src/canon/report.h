/*
 * report.h - what canonicalize did to one input: rows read, written and
 * rejected, and every kind of cell it could not use.
 *
 * Cells are grouped by (field, column, reason, rejected-or-nulled); each
 * group keeps its count, the first FP_CANON_REPORT_ROWS row numbers and
 * the first offending value, so the summary says how many, why and where
 * without keeping anything per row. The number of groups is bounded by
 * fields x columns x reasons, not by the input's size.
 */
#ifndef FP_CANON_REPORT_H
#define FP_CANON_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define FP_CANON_REPORT_ROWS 5

struct fp_canon_issue {
	char *field;		/* canonical field */
	char *column;		/* input column, or "" when no column had a value */
	const char *why;	/* static text: "is not a number" */
	bool rejected;		/* the row was dropped (else the cell became null) */
	uint64_t count;
	uint64_t rows[FP_CANON_REPORT_ROWS];	/* 1-based data rows */
	char example[48];	/* the first bad value, escaped and cut */
};

struct fp_canon_report {
	uint64_t rows_in, rows_out, rows_rejected, cells_nulled;
	struct fp_canon_issue *issues;
	size_t nissues, cap;
	bool out_of_memory;	/* an issue could not be recorded (counts stay right) */
};

void fp_canon_report_init(struct fp_canon_report *r);
void fp_canon_report_free(struct fp_canon_report *r);

/* Records one bad cell at 1-based `row`. `value` may be NULL (no value). */
void fp_canon_report_cell(struct fp_canon_report *r, const char *field, const char *column, const char *why,
			  bool rejected, uint64_t row, const char *value, size_t len);

/* The summary, one line per group, for `name` (the input). */
void fp_canon_report_print(const struct fp_canon_report *r, const char *name, FILE *out);

#endif
