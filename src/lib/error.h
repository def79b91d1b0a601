/*
 * error.h - how every stage reports failure.
 *
 * A function that can fail takes a `struct fp_error *` and returns -1 (or
 * NULL) after filling it with one human-readable sentence that names the
 * file and the position (packet number, row group, column, page, line...).
 * Callers add context with fp_error_prefix() instead of logging twice, so a
 * message reaches the user exactly once, at the front end.
 */
#ifndef FP_LIB_ERROR_H
#define FP_LIB_ERROR_H

#include <stddef.h>

#define FP_ERROR_MAX 512

struct fp_error {
	char msg[FP_ERROR_MAX];
};

#if defined(__GNUC__)
#define FP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FP_PRINTF(a, b)
#endif

/* Sets the message (printf-style). Always returns -1 so callers can
 * `return fp_error_set(err, ...)`. `err` may be NULL. */
int fp_error_set(struct fp_error *err, const char *fmt, ...) FP_PRINTF(2, 3);

/* Puts "<prefix>: " in front of the existing message. Returns -1. */
int fp_error_prefix(struct fp_error *err, const char *fmt, ...) FP_PRINTF(2, 3);

/* Sets the message to "<prefix>: strerror(errno)". Returns -1. */
int fp_error_errno(struct fp_error *err, const char *fmt, ...) FP_PRINTF(2, 3);

#endif
