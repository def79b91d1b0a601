/*
 * timestamp.c - epoch numbers and datetime strings to epoch µs UTC (the
 * rules are in timestamp.h).
 *
 * The string parser is a cursor over the bytes with one small function per
 * part (number, date, clock, zone); each refuses rather than guesses, so a
 * cell either becomes the moment it names or an error that says why.
 * Calendar arithmetic is Howard Hinnant's days_from_civil, exact for every
 * proleptic Gregorian date without timegm() or the TZ variable.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "canon/timestamp.h"

#define US_PER_S 1000000LL

int64_t fp_canon_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

/* ------------------------------------------------------------ epoch numbers */

enum fp_canon_unit fp_canon_epoch_unit(double magnitude, enum fp_canon_unit unit)
{
	if (unit != FP_CANON_UNIT_NONE)
		return unit;
	magnitude = fabs(magnitude);
	if (magnitude < 1e11)
		return FP_CANON_UNIT_S;
	if (magnitude < 1e14)
		return FP_CANON_UNIT_MS;
	if (magnitude < 1e17)
		return FP_CANON_UNIT_US;
	return FP_CANON_UNIT_NS;
}

int fp_canon_epoch_i64_to_us(int64_t v, enum fp_canon_unit unit, int64_t *us, const char **why)
{
	int64_t per_s;

	if (v < 0) {
		*why = "is before 1970";
		return -1;
	}
	per_s = fp_canon_unit_per_second(fp_canon_epoch_unit((double)v, unit));
	if (per_s >= US_PER_S) {
		*us = v / (per_s / US_PER_S);	/* ns: whole µs, toward zero */
		return 0;
	}
	if (v > INT64_MAX / (US_PER_S / per_s)) {
		*why = "is too far in the future";
		return -1;
	}
	*us = v * (US_PER_S / per_s);
	return 0;
}

int fp_canon_epoch_f64_to_us(double v, enum fp_canon_unit unit, int64_t *us, const char **why)
{
	double per_s, x;

	if (!isfinite(v)) {
		*why = "is not a finite number";
		return -1;
	}
	if (v < 0) {
		*why = "is before 1970";
		return -1;
	}
	per_s = (double)fp_canon_unit_per_second(fp_canon_epoch_unit(v, unit));
	x = round(v * (1e6 / per_s));
	if (x >= 9.2e18) {
		*why = "is too far in the future";
		return -1;
	}
	*us = (int64_t)x;
	return 0;
}

/* ------------------------------------------------------------ datetime strings */

struct cursor {
	const char *p, *end;
};

static bool at(const struct cursor *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

static bool eat(struct cursor *c, char ch)
{
	if (!at(c, ch))
		return false;
	c->p++;
	return true;
}

static void skip_spaces(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* min..max decimal digits; returns the count read (0 = none). */
static int digits(struct cursor *c, int min, int max, unsigned *out)
{
	int n = 0;
	unsigned v = 0;

	while (n < max && c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		v = v * 10 + (unsigned)(*c->p++ - '0');
		n++;
	}
	*out = v;
	return n >= min ? n : 0;
}

struct civil {
	int64_t year;
	unsigned month, day, hour, min, sec;
	int64_t frac_us;
};

/* YYYY-MM-DD or YYYY/MM/DD */
static bool year_first_date(struct cursor *c, struct civil *t)
{
	unsigned y, m, d;
	char sep;

	if (digits(c, 4, 4, &y) == 0 || (!at(c, '-') && !at(c, '/')))
		return false;
	sep = *c->p++;
	if (digits(c, 1, 2, &m) == 0 || !eat(c, sep) || digits(c, 1, 2, &d) == 0)
		return false;
	t->year = y;
	t->month = m;
	t->day = d;
	return true;
}

/* D/M/YYYY (day first) or M/D/YYYY */
static bool slashed_date(struct cursor *c, bool month_first, struct civil *t)
{
	unsigned a, b, y;

	if (digits(c, 1, 2, &a) == 0 || !eat(c, '/') || digits(c, 1, 2, &b) == 0 || !eat(c, '/') ||
	    digits(c, 4, 4, &y) == 0)
		return false;
	t->year = y;
	t->day = month_first ? b : a;
	t->month = month_first ? a : b;
	return true;
}

/* HH:MM[:SS[.fraction]] */
static bool clock_time(struct cursor *c, struct civil *t)
{
	if (digits(c, 1, 2, &t->hour) == 0 || !eat(c, ':') || digits(c, 2, 2, &t->min) == 0)
		return false;
	if (!eat(c, ':'))
		return true;
	if (digits(c, 2, 2, &t->sec) == 0)
		return false;
	if (eat(c, '.') || eat(c, ',')) {
		int64_t scale = 100000;
		if (!(c->p < c->end && *c->p >= '0' && *c->p <= '9'))
			return false;
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
			t->frac_us += (*c->p++ - '0') * scale;	/* digits past µs are dropped */
			scale /= 10;
		}
	}
	return true;
}

/* AM/PM after a 12-hour clock. Returns false on a bad hour. */
static bool meridiem(struct cursor *c, struct civil *t)
{
	bool pm;

	if (c->end - c->p < 2 || (strncasecmp(c->p, "am", 2) != 0 && strncasecmp(c->p, "pm", 2) != 0))
		return true;
	pm = (c->p[0] | 0x20) == 'p';
	c->p += 2;
	if (t->hour < 1 || t->hour > 12)
		return false;
	t->hour = t->hour % 12 + (pm ? 12 : 0);
	return true;
}

/* Z, UTC, GMT, +HH, +HHMM, +HH:MM. *has_zone says whether one was there. */
static bool zone(struct cursor *c, bool *has_zone, int32_t *offset_s)
{
	unsigned h, m = 0;
	int sign;

	*has_zone = false;
	if (eat(c, 'Z') || eat(c, 'z')) {
		*has_zone = true;
		*offset_s = 0;
		return true;
	}
	if (c->end - c->p >= 3 && (strncasecmp(c->p, "UTC", 3) == 0 || strncasecmp(c->p, "GMT", 3) == 0)) {
		c->p += 3;
		*has_zone = true;
		*offset_s = 0;
		if (!at(c, '+') && !at(c, '-'))
			return true;
	}
	if (!at(c, '+') && !at(c, '-'))
		return true;
	sign = *c->p++ == '-' ? -1 : 1;
	if (digits(c, 2, 2, &h) == 0)
		return false;
	eat(c, ':');
	if (c->p < c->end && digits(c, 2, 2, &m) == 0)
		return false;
	if (h > 14 || m > 59)
		return false;
	*has_zone = true;
	*offset_s = sign * (int32_t)(h * 3600 + m * 60);
	return true;
}

static bool valid_civil(const struct civil *t, const char **why)
{
	if (t->month < 1 || t->month > 12) {
		*why = "has no such month";
		return false;
	}
	if (t->day < 1 || t->day > days_in_month(t->year, t->month)) {
		*why = "has no such day";
		return false;
	}
	if (t->hour > 23 || t->min > 59 || t->sec > 60) {
		*why = "has no such time of day";
		return false;
	}
	return true;
}

int fp_canon_parse_datetime(const char *s, size_t len, const struct fp_canon_time_options *o, int64_t *us,
			    const char **why)
{
	struct cursor c = { s, s + len };
	struct civil t = { 0 };
	bool has_zone = false;
	int32_t offset = o->tz_offset_s;
	int64_t secs;

	*why = "is not a date and time";
	skip_spaces(&c);
	if (!year_first_date(&c, &t)) {
		c.p = s;
		skip_spaces(&c);
		if (!slashed_date(&c, o->month_first, &t))
			return -1;
	}
	if (eat(&c, 'T') || eat(&c, ' ')) {
		skip_spaces(&c);
		if (!clock_time(&c, &t))
			return -1;
		skip_spaces(&c);
		if (!meridiem(&c, &t)) {
			*why = "has an AM/PM hour outside 1..12";
			return -1;
		}
	}
	skip_spaces(&c);
	if (!zone(&c, &has_zone, &offset))
		return -1;
	skip_spaces(&c);
	if (c.p != c.end || !valid_civil(&t, why))
		return -1;
	secs = fp_canon_days_from_civil(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.min * 60 + t.sec;
	secs -= has_zone ? offset : o->tz_offset_s;
	if (secs < 0) {
		*why = "is before 1970";
		return -1;
	}
	*us = secs * US_PER_S + t.frac_us;
	return 0;
}

int fp_canon_parse_tz_offset(const char *text, int32_t *offset_s)
{
	struct cursor c = { text, text + strlen(text) };
	bool has_zone;
	unsigned h;

	/* "+5" / "-3": whole hours, as people type them */
	if ((text[0] == '+' || text[0] == '-') && strlen(text) <= 3) {
		c.p++;
		if (digits(&c, 1, 2, &h) == 0 || c.p != c.end || h > 14)
			return -1;
		*offset_s = (text[0] == '-' ? -1 : 1) * (int32_t)h * 3600;
		return 0;
	}
	if (!zone(&c, &has_zone, offset_s) || !has_zone || c.p != c.end)
		return -1;
	return 0;
}
