/*
 * csv-number.h - numbers from CSV text: exact and locale-independent,
 * without strtod on the common path. (Writing numbers is shared with the
 * other formats: lib/number-text.h.)
 *
 * Parsing: exact and locale-independent for the forms a CSV reader meets;
 * surrounding spaces/tabs are the caller's business (fp_csv_trim()).
 */
#ifndef FP_FORMAT_CSV_NUMBER_H
#define FP_FORMAT_CSV_NUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* [+-]?[0-9]+ that fits an int64. Returns 0, or -1 if not. */
int fp_csv_parse_i64(const char *s, size_t len, int64_t *out);
/* A decimal number ([+-]?(d+[.d*]|.d+)([eE][+-]?d+)?) or nan/inf/infinity
 * in any case with an optional sign. Hex floats are refused. Returns 0/-1. */
int fp_csv_parse_double(const char *s, size_t len, double *out);
/* true/false in any case. Returns 0/-1. */
int fp_csv_parse_bool(const char *s, size_t len, bool *out);

/* Drops leading and trailing spaces and tabs. */
const char *fp_csv_trim(const char *s, size_t *len);

#endif
