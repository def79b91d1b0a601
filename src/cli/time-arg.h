/*
 * time-arg.h - a point in time given on the command line (--since, --until).
 */
#ifndef FP_CLI_TIME_ARG_H
#define FP_CLI_TIME_ARG_H

#include <stdint.h>

#include "lib/error.h"

/* Accepts seconds since the epoch ("1700000000", "1700000000.25") or an
 * ISO 8601 / RFC 3339 date-time, UTC unless an offset is given:
 * "2024-03-01", "2024-03-01T12:00", "2024-03-01 12:00:05.5", "...Z",
 * "...+02:00". Writes nanoseconds since the epoch. */
int parse_time_arg(const char *text, int64_t *ns, struct fp_error *err);

#endif
