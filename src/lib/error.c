/*
 * error.c - filling a struct fp_error (see error.h for the convention).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/error.h"

/* err->msg = "<head>: <tail>", cut at the end if too long. */
static void join_message(struct fp_error *err, const char *head, const char *tail)
{
	size_t n = strnlen(head, FP_ERROR_MAX - 1);

	memcpy(err->msg, head, n);
	if (n + 2 < FP_ERROR_MAX) {
		memcpy(err->msg + n, ": ", 2);
		n += 2;
	}
	size_t m = strnlen(tail, FP_ERROR_MAX - 1 - n);
	memcpy(err->msg + n, tail, m);
	err->msg[n + m] = '\0';
}

int fp_error_set(struct fp_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int fp_error_prefix(struct fp_error *err, const char *fmt, ...)
{
	char prefix[FP_ERROR_MAX], old[FP_ERROR_MAX];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	old[sizeof(old) - 1] = '\0';
	join_message(err, prefix, old);
	return -1;
}

int fp_error_errno(struct fp_error *err, const char *fmt, ...)
{
	char prefix[FP_ERROR_MAX];
	int saved = errno;
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	join_message(err, prefix, strerror(saved));
	errno = saved;
	return -1;
}
