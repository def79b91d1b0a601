/*
 * number-text.h - numbers as text, without printf on the common path: the
 * one formatter behind CSV, JSON lines and peek.
 *
 * Integers: decimal, two digits at a time from a table.
 *
 * Doubles: always the shortest digits that read back to the same double
 * (among equally short ones the nearest, ties to even), then laid out in
 * one of two ways:
 *   - fp_double_to_text(): Python's repr() layout, for data files. Fixed
 *     notation for 1e-4 <= |v| < 1e16 with ".0" on whole values ("40.0"),
 *     otherwise "1.4563091099262238e-05" / "1e+16"; NaN -> "NaN",
 *     infinities -> "Infinity" / "-Infinity" (what pandas, DuckDB, Polars,
 *     Python, Java and Spark all read back as numbers). The text equals
 *     repr() for every double whose last digit's decimal exponent is within
 *     +-27 (about 1e-11 .. 1e43 for 17 digits); outside, a rare last digit
 *     may differ from repr() but still reads back exactly. Every finite
 *     value's text is also a valid JSON number.
 *   - fp_double_to_text_g(): printf's "%.{n}g" with the fewest digits n
 *     that read back ("40" is "4e+01", "0.1", "1e-300", "inf", "-0"), the
 *     terminal layout `flowprep peek` has always used.
 *
 * Neither writes a terminating NUL; `out` needs FP_NUMBER_TEXT_MAX bytes.
 */
#ifndef FP_LIB_NUMBER_TEXT_H
#define FP_LIB_NUMBER_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Longest text any formatter here writes. */
#define FP_NUMBER_TEXT_MAX 32

size_t fp_u64_to_text(char *out, uint64_t v);
size_t fp_i64_to_text(char *out, int64_t v);
size_t fp_double_to_text(char *out, double v);
size_t fp_double_to_text_g(char *out, double v);

#endif
