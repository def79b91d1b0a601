/*
 * cell-text.h - one value of a record batch as display text (peek).
 */
#ifndef FP_CLI_CELL_TEXT_H
#define FP_CLI_CELL_TEXT_H

#include <stddef.h>

#include "record/batch.h"

/* Writes the value of `row` in column `col` of `b` into buf (NUL-terminated,
 * cut to fit with "…"); returns the number of display columns it takes. */
size_t cell_text(const struct fp_batch *b, size_t col, size_t row, char *buf, size_t size);

/* Cuts text in place to at most 40 terminal columns, ending with "…". */
void fit_text(char *buf, size_t size);

/* Display width of UTF-8 text (terminal columns: wide CJK characters and emoji count 2, combining marks 0). */
size_t display_width(const char *s);

#endif
