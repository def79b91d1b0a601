/*
 * timestamp.h - the moment a cell names, as epoch microseconds UTC.
 *
 * Two kinds of cell name a moment:
 *
 * Epoch numbers. The unit is the column's (units.h) or, when nothing says,
 * inferred from the magnitude of the value v:
 *        |v| < 1e11   seconds       (up to year 5138)
 *        |v| < 1e14   milliseconds  (1973-03-03 .. 5138)
 *        |v| < 1e17   microseconds
 *        otherwise    nanoseconds
 * so a millisecond timestamp before March 1973 would be read as seconds;
 * flow exports from then do not exist. Fractions (Zeek's 1300475167.096535)
 * are kept to the microsecond, rounded to nearest.
 *
 * Datetime strings:
 *   ISO 8601 and its common relatives: YYYY-MM-DD, then 'T' or ' ', then
 *   HH:MM[:SS[.fraction]], then optionally 'Z', "UTC", or an offset
 *   +HH, +HHMM, +HH:MM (Suricata writes +0000);
 *   slashed dates D/M/YYYY or DD/MM/YYYY with H:MM[:SS[.f]] and an optional
 *   AM/PM (CIC-IDS-2017 "7/7/2017 8:59", "07/07/2017 08:59:50 AM",
 *   CSE-CIC-IDS2018 "14/02/2018 08:31:01"). Slashed dates are day-first,
 *   as CIC writes them, unless month_first is set; a day-first date whose
 *   month is past 12 is an error, never silently swapped.
 *   A string without a zone is wall-clock time at `tz_offset_s` (seconds
 *   east of UTC; --timezone).
 *
 * Nothing here allocates or keeps state.
 */
#ifndef FP_CANON_TIMESTAMP_H
#define FP_CANON_TIMESTAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canon/units.h"

struct fp_canon_time_options {
	int32_t tz_offset_s;	/* zone-less strings: seconds east of UTC */
	bool month_first;	/* slashed dates are M/D/Y */
};

/* The unit a bare epoch number is in: `unit`, or by magnitude for NONE. */
enum fp_canon_unit fp_canon_epoch_unit(double magnitude, enum fp_canon_unit unit);

/* An epoch integer / number in `unit` (NONE: by magnitude) to µs. Returns
 * 0, or -1 with *why set when it overflows or is negative (a flow before
 * 1970 is a wrong cell, not a flow). */
int fp_canon_epoch_i64_to_us(int64_t v, enum fp_canon_unit unit, int64_t *us, const char **why);
int fp_canon_epoch_f64_to_us(double v, enum fp_canon_unit unit, int64_t *us, const char **why);

/* A datetime string (not a number) to µs. Returns 0, or -1 with *why. */
int fp_canon_parse_datetime(const char *s, size_t len, const struct fp_canon_time_options *o, int64_t *us,
			    const char **why);

/* Parses a --timezone value: "UTC", "Z", "+02:00", "-0300", "+5"; returns
 * 0 or -1. Named zones are not read (no tz database dependency). */
int fp_canon_parse_tz_offset(const char *text, int32_t *offset_s);

/* Days since 1970-01-01 of a proleptic Gregorian date (any valid date). */
int64_t fp_canon_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
