/*
 * util.c - number parsing and formatting for the command line.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

int parse_count(const char *text, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t scale = 1;

	if (*text == '-' || *text == '\0')
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (end == text || errno != 0)
		return -1;
	if (*end == 'k' || *end == 'K')
		scale = 1000;
	else if (*end == 'M')
		scale = 1000000;
	else if (*end == 'G')
		scale = 1000000000;
	else if (*end != '\0')
		return -1;
	if (scale != 1 && end[1] != '\0')
		return -1;
	if (v > UINT64_MAX / scale)
		return -1;
	*out = v * scale;
	return 0;
}

char *format_thousands(uint64_t v, char *buf, size_t size)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
	size_t o = 0;

	for (int i = 0; i < n && o + 2 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

char *format_bytes(uint64_t v, char *buf, size_t size)
{
	static const char *units[] = { "B", "kB", "MB", "GB", "TB" };
	double d = (double)v;
	int u = 0;

	while (d >= 1000.0 && u < 4) {
		d /= 1000.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, size, "%llu B", (unsigned long long)v);
	else
		snprintf(buf, size, "%.1f %s", d, units[u]);
	return buf;
}

double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
