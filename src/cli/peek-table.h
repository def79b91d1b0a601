/*
 * peek-table.h - rows of a table reader drawn as a box table (or one
 * record per block with --vertical) that fits the terminal.
 *
 * Memory is bounded by what is shown: only the columns that can be shown
 * are kept as text, each cell cut to 40 columns; widths are taken from the
 * first rows (at most WIDTH_SAMPLE, fewer when there are many columns) and
 * later rows are streamed through with those widths; --tail keeps a ring
 * of its N rows. Nothing is printed before the first rows were read, so a
 * file that fails at once shows only its error.
 */
#ifndef FP_CLI_PEEK_TABLE_H
#define FP_CLI_PEEK_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/table-reader.h"
#include "lib/error.h"

struct peek_options {
	uint64_t rows;		/* rows from the top (UINT64_MAX: all) */
	uint64_t tail;		/* if > 0: the last `tail` rows instead */
	bool vertical;
	size_t width;		/* terminal columns; 0: no limit */
	const char *columns;	/* "a,b,c" or NULL for all */
};

/* Draws; returns 0, 1 (a usage problem such as an unknown column, err set)
 * or 2 (the input failed, err set). *printed says whether any table text
 * was written. */
int peek_table(struct fp_table_reader *t, const struct peek_options *o, bool *printed, struct fp_error *err);

#endif
