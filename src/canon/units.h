/*
 * units.h - which time unit a column's numbers are in.
 *
 * A duration or an epoch timestamp is a bare number in most exports; its
 * unit is said, in order of trust, by
 *   1. the column's own name ("duration_ms", "flowStartMilliseconds",
 *      "time_flow_start_ns": a unit word as the name's last token),
 *   2. the schema's alias entry ({"name": "Flow Duration", "unit": "us"}),
 *   3. the canonical field's unit (flow_dur is in "s"),
 * and for epoch timestamps, when none of these says anything, by the
 * value's magnitude (timestamp.h). This file knows the words and factors;
 * it holds no state.
 */
#ifndef FP_CANON_UNITS_H
#define FP_CANON_UNITS_H

#include <stddef.h>
#include <stdint.h>

enum fp_canon_unit {
	FP_CANON_UNIT_NONE = 0,	/* nothing said: infer (timestamps) or the field's unit */
	FP_CANON_UNIT_S,
	FP_CANON_UNIT_MS,
	FP_CANON_UNIT_US,
	FP_CANON_UNIT_NS,
};

/* "s", "ms", "us", "µs", "ns" and their long forms ("seconds",
 * "milliseconds", "usec"...) in any letter case; NONE for anything else. */
enum fp_canon_unit fp_canon_unit_parse(const char *word, size_t len);

/* The unit a column name ends with: the last token after splitting at
 * non-alphanumerics and lower-to-upper case changes ("TimeFlowStartMs" ->
 * ms, "duration_s" -> s, "Flow Bytes/s" -> s). NONE when the last token is
 * no unit word. Callers use it only for duration and time fields. */
enum fp_canon_unit fp_canon_unit_from_name(const char *name);

/* Units per second: 1, 1e3, 1e6, 1e9 (NONE counts as seconds). */
int64_t fp_canon_unit_per_second(enum fp_canon_unit u);

/* "s", "ms", "us", "ns", or "auto" for NONE. */
const char *fp_canon_unit_name(enum fp_canon_unit u);

#endif
