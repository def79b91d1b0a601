/*
 * csv-number.h - numbers as CSV text, both ways, without printf/strtod on
 * the common path.
 *
 * Formatting: integers with a two-digits-at-a-time table; doubles in the
 * shortest text that reads back to the same double, laid out like Python's
 * repr(): fixed notation for 1e-4 <= |v| < 1e16 with ".0" on whole values
 * ("40.0"), otherwise "1.4563091099262238e-05" / "1e+16"; NaN -> "NaN",
 * infinities -> "Infinity" / "-Infinity" (what pandas, DuckDB, Polars,
 * Python, Java and Spark all read back as numbers). Among equally short
 * candidates the one nearest to the value is chosen (ties to even), so the
 * text equals repr() for every double whose last digit's decimal exponent
 * is within +-27 (about 1e-11 .. 1e43 for 17 digits); outside, a rare last
 * digit may differ from repr() but still reads back exactly. A double
 * column never looks like an integer column, so readers infer it back as
 * floating point.
 *
 * Parsing: exact and locale-independent for the forms a CSV reader meets;
 * surrounding spaces/tabs are the caller's business (fp_csv_trim()).
 */
#ifndef FP_FORMAT_CSV_NUMBER_H
#define FP_FORMAT_CSV_NUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest text either formatter writes (no terminating NUL is written). */
#define FP_CSV_NUMBER_MAX 32

size_t fp_csv_format_u64(char *out, uint64_t v);
size_t fp_csv_format_i64(char *out, int64_t v);
size_t fp_csv_format_double(char *out, double v);

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
