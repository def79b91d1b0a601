/*
 * time-arg.c - parsing --since/--until values (see time-arg.h). Every
 * field is range-checked, so "2024-13-45" is an error, not a date in 2025.
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/time-arg.h"

#define NS INT64_C(1000000000)

/* Reads exactly `n` digits. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* ".123456789" -> nanoseconds (extra digits beyond 9 are ignored). */
static int64_t fraction(const char **p)
{
	int64_t ns = 0, scale = NS / 10;

	if (**p != '.')
		return 0;
	for ((*p)++; isdigit((unsigned char)**p); (*p)++, scale /= 10)
		ns += (**p - '0') * scale;
	return ns;
}

static bool epoch_seconds(const char *text, int64_t *ns)
{
	const char *p = text;
	int64_t s = 0;

	if (!isdigit((unsigned char)*p))
		return false;
	for (; isdigit((unsigned char)*p); p++) {
		if (s > (INT64_MAX / NS) / 10)
			return false;
		s = s * 10 + (*p - '0');
	}
	if (p - text < 5 && *p != '.' && *p != '\0')
		return false;
	int64_t f = fraction(&p);
	if (*p != '\0')
		return false;
	*ns = s * NS + f;
	return true;
}

/* "Z", "+HH:MM", "-HHMM" or nothing (UTC) -> seconds east of UTC. */
static bool utc_offset(const char **p, int *east)
{
	int sign, h, m;

	*east = 0;
	if (**p == '\0')
		return true;
	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		return true;
	}
	if (**p != '+' && **p != '-')
		return false;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (!digits(p, 2, &h))
		return false;
	if (**p == ':')
		(*p)++;
	if (!digits(p, 2, &m) || h > 23 || m > 59)
		return false;
	*east = sign * (h * 3600 + m * 60);
	return true;
}

static bool date_time(const char *text, int64_t *ns)
{
	const char *p = text;
	int y, mo, d, h = 0, mi = 0, s = 0, east;
	int64_t frac = 0;
	struct tm tm;

	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' || !digits(&p, 2, &d))
		return false;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			return false;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &s))
				return false;
			frac = fraction(&p);
		}
	}
	if (!utc_offset(&p, &east) || *p != '\0')
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	time_t t = timegm(&tm);
	if (tm.tm_mday != d)	/* Feb 30 was normalised into March */
		return false;
	*ns = ((int64_t)t - east) * NS + frac;
	return true;
}

int parse_time_arg(const char *text, int64_t *ns, struct fp_error *err)
{
	if (epoch_seconds(text, ns) || date_time(text, ns))
		return 0;
	return fp_error_set(err, "'%s' is not a time (use e.g. 2024-03-01T12:00:00Z, 2024-03-01 12:00+02:00 or "
			    "seconds since 1970)", text);
}
