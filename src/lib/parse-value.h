/*
 * parse-value.h - the values users type, read one way everywhere.
 *
 * The command line and the daemon's YAML loader both take durations,
 * sizes, counts, booleans and names from users. They parse them here, so
 * both accept the same spellings and say the same thing about a bad one.
 *
 * Every parser takes the whole text: it either fills *out and returns 0,
 * or leaves *out alone and returns -1 with `err` holding one sentence
 * about the value alone, e.g. "'5x' is not a duration (use e.g. 500ms, 60s,
 * 5m, 1h)". The caller knows where the value came from and puts that in
 * front (fp_error_prefix(err, "--idle-timeout")). Nothing is accepted
 * around the value: no sign, no blanks, no trailing text.
 *
 * This file knows no stage: a stage hands its own table of names
 * (struct fp_enum_name) for the enums it owns.
 */
#ifndef FP_LIB_PARSE_VALUE_H
#define FP_LIB_PARSE_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"

/* A duration in nanoseconds: a decimal number, fraction allowed, and a
 * unit: ns, us, ms, s, m (or min), h; a bare number is seconds ("1.5" =
 * 1.5 s). Digits finer than a nanosecond are dropped. Negative values and
 * values past INT64_MAX ns (about 292 years) are refused. */
int fp_parse_duration_ns(const char *text, int64_t *out, struct fp_error *err);

/* A size in bytes: a whole number and an optional binary multiple: k, K,
 * Ki, KiB (1024), M, Mi, MiB, G, Gi, GiB, T, Ti, TiB, or a B alone.
 * "64k" = "64KiB" = 65536. Overflow past 2^64 - 1 is refused. */
int fp_parse_size(const char *text, uint64_t *out, struct fp_error *err);

/* A count from `min` to `max` (inclusive): a whole number with an optional
 * decimal multiple k (1000), M (10^6), G (10^9), as people write "1M
 * flows". */
int fp_parse_count(const char *text, uint64_t min, uint64_t max, uint64_t *out, struct fp_error *err);

/* yes/no, true/false, on/off, 1/0, in any letter case. */
int fp_parse_bool(const char *text, bool *out, struct fp_error *err);

/* One name of an enum value. A table ends with { NULL, 0 }. A later entry
 * for a value already named is an alias: it is accepted but not offered
 * in messages, and fp_enum_name() gives the first name. */
struct fp_enum_name {
	const char *name;
	int value;
};

/* The value whose name is `text` (any letter case). */
int fp_parse_enum(const char *text, const struct fp_enum_name *table, int *out, struct fp_error *err);

/* The first name of `value` in `table`, or NULL. */
const char *fp_enum_name(const struct fp_enum_name *table, int value);

#endif
