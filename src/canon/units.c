/*
 * units.c - unit words and the unit a column name implies (units.h).
 *
 * The name rule looks only at the last token so that "ms_since_start" or
 * "seconds_active_count" say nothing, while "duration_ms" does.
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "canon/units.h"

static const struct {
	const char *word;
	enum fp_canon_unit unit;
} unit_words[] = {
	{ "s", FP_CANON_UNIT_S }, { "sec", FP_CANON_UNIT_S }, { "secs", FP_CANON_UNIT_S },
	{ "second", FP_CANON_UNIT_S }, { "seconds", FP_CANON_UNIT_S },
	{ "ms", FP_CANON_UNIT_MS }, { "msec", FP_CANON_UNIT_MS }, { "msecs", FP_CANON_UNIT_MS },
	{ "millis", FP_CANON_UNIT_MS }, { "millisecond", FP_CANON_UNIT_MS }, { "milliseconds", FP_CANON_UNIT_MS },
	{ "us", FP_CANON_UNIT_US }, { "usec", FP_CANON_UNIT_US }, { "usecs", FP_CANON_UNIT_US },
	{ "\xc2\xb5s", FP_CANON_UNIT_US }, { "micros", FP_CANON_UNIT_US }, { "microsecond", FP_CANON_UNIT_US },
	{ "microseconds", FP_CANON_UNIT_US },
	{ "ns", FP_CANON_UNIT_NS }, { "nsec", FP_CANON_UNIT_NS }, { "nsecs", FP_CANON_UNIT_NS },
	{ "nanos", FP_CANON_UNIT_NS }, { "nanosecond", FP_CANON_UNIT_NS }, { "nanoseconds", FP_CANON_UNIT_NS },
};

enum fp_canon_unit fp_canon_unit_parse(const char *word, size_t len)
{
	for (size_t i = 0; i < sizeof(unit_words) / sizeof(unit_words[0]); i++)
		if (strlen(unit_words[i].word) == len && strncasecmp(unit_words[i].word, word, len) == 0)
			return unit_words[i].unit;
	return FP_CANON_UNIT_NONE;
}

/* A token starts after a separator or where a lower-case letter or digit
 * is followed by an upper-case one ("TimeFlowStartMs"). µ (0xc2 0xb5)
 * counts as a letter so "µs" stays one token. */
static bool is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

enum fp_canon_unit fp_canon_unit_from_name(const char *name)
{
	size_t n = strlen(name), end, start;

	while (n > 0 && !is_word_byte((unsigned char)name[n - 1]))
		n--;
	end = n;
	start = end;
	while (start > 0 && is_word_byte((unsigned char)name[start - 1])) {
		unsigned char c = (unsigned char)name[start - 1];
		start--;
		if (isupper(c) && start > 0 && (islower((unsigned char)name[start - 1]) ||
						isdigit((unsigned char)name[start - 1])))
			break;
	}
	if (start == end)
		return FP_CANON_UNIT_NONE;
	return fp_canon_unit_parse(name + start, end - start);
}

int64_t fp_canon_unit_per_second(enum fp_canon_unit u)
{
	switch (u) {
	case FP_CANON_UNIT_MS: return 1000;
	case FP_CANON_UNIT_US: return 1000000;
	case FP_CANON_UNIT_NS: return 1000000000;
	case FP_CANON_UNIT_NONE:
	case FP_CANON_UNIT_S: break;
	}
	return 1;
}

const char *fp_canon_unit_name(enum fp_canon_unit u)
{
	static const char *names[] = { "auto", "s", "ms", "us", "ns" };

	return names[u];
}
