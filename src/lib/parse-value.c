/*
 * parse-value.c - durations, sizes, counts, booleans and names (see
 * parse-value.h).
 *
 * Numbers are read with integer arithmetic only (no strtod: no locale,
 * no rounding surprises), and every multiplication is checked, so a value
 * is either exact (durations: to the nanosecond, finer digits dropped) or
 * refused; nothing wraps around.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/parse-value.h"

/* Messages quote the text the user gave, cut so the hint still fits. */
#define QUOTE "'%.80s'"

#define DURATION_HINT "(use e.g. 500ms, 60s, 5m, 1h)"
#define SIZE_HINT "(use e.g. 4096, 64k, 64KiB, 1M, 2G)"
#define COUNT_HINT "(use e.g. 100, 64k, 1M)"
#define BOOL_HINT "(use yes/no, true/false, on/off, 1/0)"

/* A run of decimal digits read as a whole number. */
struct digits {
	uint64_t value;
	int count;
	bool overflow;		/* the run does not fit 64 bits (value is then meaningless) */
};

/* Reads the digits at `s`; returns the first byte after them. */
static const char *scan_digits(const char *s, struct digits *d)
{
	d->value = 0;
	d->count = 0;
	d->overflow = false;
	for (; *s >= '0' && *s <= '9'; s++, d->count++)
		if (__builtin_mul_overflow(d->value, 10, &d->value) ||
		    __builtin_add_overflow(d->value, (uint64_t)(*s - '0'), &d->value))
			d->overflow = true;
	return s;
}

/* ------------------------------------------------------------ durations */

/* A unit is mult * 10^exp nanoseconds: a fraction of it can then be scaled
 * with integers that stay far from overflow (see fraction_ns()). */
struct duration_unit {
	const char *name;
	uint64_t mult;
	int exp;
};

static const struct duration_unit duration_units[] = {
	{ "", 1, 9 },		/* a bare number is seconds */
	{ "ns", 1, 0 },
	{ "us", 1, 3 },
	{ "ms", 1, 6 },
	{ "s", 1, 9 },
	{ "m", 6, 10 },
	{ "min", 6, 10 },
	{ "h", 36, 11 },
};

static const struct duration_unit *duration_unit(const char *name)
{
	for (size_t i = 0; i < sizeof(duration_units) / sizeof(duration_units[0]); i++)
		if (strcmp(name, duration_units[i].name) == 0)
			return &duration_units[i];
	return NULL;
}

/* Nanoseconds in the fraction `digits` (the characters after the point)
 * of one unit. The first exp + 2 digits are kept (below 10^13, so times
 * mult <= 36 cannot overflow); what they leave out is under a nanosecond. */
static uint64_t fraction_ns(const char *digits, int count, const struct duration_unit *u)
{
	uint64_t f = 0;

	for (int i = 0; i < u->exp + 2; i++)
		f = f * 10 + (uint64_t)(i < count ? digits[i] - '0' : 0);
	return f * u->mult / 100;
}

static uint64_t pow10_u64(int exp)
{
	uint64_t p = 1;

	while (exp-- > 0)
		p *= 10;
	return p;
}

int fp_parse_duration_ns(const char *text, int64_t *out, struct fp_error *err)
{
	struct digits whole, frac = { 0, 0, false };
	const char *s = text, *frac_start = NULL;
	const struct duration_unit *u;
	uint64_t ns;

	if (*s == '-')
		return fp_error_set(err, QUOTE " is not a duration: durations cannot be negative", text);
	s = scan_digits(s, &whole);
	if (*s == '.') {
		frac_start = s + 1;
		s = scan_digits(frac_start, &frac);
	}
	u = duration_unit(s);
	if (u == NULL || whole.count + frac.count == 0 || (frac_start != NULL && frac.count == 0))
		return fp_error_set(err, QUOTE " is not a duration " DURATION_HINT, text);
	if (whole.overflow || __builtin_mul_overflow(whole.value, u->mult * pow10_u64(u->exp), &ns) ||
	    __builtin_add_overflow(ns, frac_start ? fraction_ns(frac_start, frac.count, u) : 0, &ns) ||
	    ns > (uint64_t)INT64_MAX)
		return fp_error_set(err, QUOTE " is too long a duration (at most about 292 years)", text);
	*out = (int64_t)ns;
	return 0;
}

/* ---------------------------------------------------------------- sizes */

static const struct {
	const char *name;
	int shift;
} size_units[] = {
	{ "", 0 }, { "B", 0 },
	{ "k", 10 }, { "K", 10 }, { "Ki", 10 }, { "KiB", 10 },
	{ "m", 20 }, { "M", 20 }, { "Mi", 20 }, { "MiB", 20 },
	{ "g", 30 }, { "G", 30 }, { "Gi", 30 }, { "GiB", 30 },
	{ "t", 40 }, { "T", 40 }, { "Ti", 40 }, { "TiB", 40 },
};

int fp_parse_size(const char *text, uint64_t *out, struct fp_error *err)
{
	struct digits d;
	const char *s = scan_digits(text, &d);

	if (d.count == 0)
		return fp_error_set(err, QUOTE " is not a size " SIZE_HINT, text);
	for (size_t i = 0; i < sizeof(size_units) / sizeof(size_units[0]); i++) {
		int shift = size_units[i].shift;

		if (strcmp(s, size_units[i].name) != 0)
			continue;
		if (d.overflow || d.value > (UINT64_MAX >> shift))
			return fp_error_set(err, QUOTE " is too large a size (at most 16 EiB)", text);
		*out = d.value << shift;
		return 0;
	}
	return fp_error_set(err, QUOTE " is not a size " SIZE_HINT, text);
}

/* --------------------------------------------------------------- counts */

static const struct {
	const char *name;
	uint64_t mult;
} count_units[] = {
	{ "", 1 }, { "k", 1000 }, { "K", 1000 }, { "M", 1000000 }, { "G", 1000000000 },
};

static int count_out_of_range(const char *text, uint64_t min, uint64_t max, struct fp_error *err)
{
	return fp_error_set(err, QUOTE " is out of range (use %llu to %llu)", text, (unsigned long long)min,
			    (unsigned long long)max);
}

int fp_parse_count(const char *text, uint64_t min, uint64_t max, uint64_t *out, struct fp_error *err)
{
	struct digits d;
	const char *s;

	if (text[0] == '-' && text[1] >= '0' && text[1] <= '9')
		return count_out_of_range(text, min, max, err);
	s = scan_digits(text, &d);
	if (d.count == 0)
		return fp_error_set(err, QUOTE " is not a count " COUNT_HINT, text);
	for (size_t i = 0; i < sizeof(count_units) / sizeof(count_units[0]); i++) {
		uint64_t v;

		if (strcmp(s, count_units[i].name) != 0)
			continue;
		if (d.overflow || __builtin_mul_overflow(d.value, count_units[i].mult, &v) || v < min || v > max)
			return count_out_of_range(text, min, max, err);
		*out = v;
		return 0;
	}
	return fp_error_set(err, QUOTE " is not a count " COUNT_HINT, text);
}

/* ------------------------------------------------------------- booleans */

static const struct fp_enum_name bool_names[] = {
	{ "yes", 1 }, { "no", 0 }, { "true", 1 }, { "false", 0 },
	{ "on", 1 }, { "off", 0 }, { "1", 1 }, { "0", 0 },
	{ NULL, 0 },
};

int fp_parse_bool(const char *text, bool *out, struct fp_error *err)
{
	for (const struct fp_enum_name *n = bool_names; n->name != NULL; n++) {
		if (strcasecmp(text, n->name) == 0) {
			*out = n->value != 0;
			return 0;
		}
	}
	return fp_error_set(err, QUOTE " is not a boolean " BOOL_HINT, text);
}

/* ---------------------------------------------------------------- enums */

/* Whether table[i] names a value an earlier entry named already. */
static bool is_alias(const struct fp_enum_name *table, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (table[j].value == table[i].value)
			return true;
	return false;
}

int fp_parse_enum(const char *text, const struct fp_enum_name *table, int *out, struct fp_error *err)
{
	char names[FP_ERROR_MAX] = "";
	size_t len = 0;

	for (const struct fp_enum_name *n = table; n->name != NULL; n++) {
		if (strcasecmp(text, n->name) == 0) {
			*out = n->value;
			return 0;
		}
	}
	for (size_t i = 0; table[i].name != NULL && len < sizeof(names); i++)
		if (!is_alias(table, i))
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", len ? ", " : "",
						table[i].name);
	return fp_error_set(err, QUOTE " is not one of %s", text, names);
}

const char *fp_enum_name(const struct fp_enum_name *table, int value)
{
	for (const struct fp_enum_name *n = table; n->name != NULL; n++)
		if (n->value == value)
			return n->name;
	return NULL;
}
