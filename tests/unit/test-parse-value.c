/*
 * test-parse-value.c - the values users type: every unit and suffix, the
 * edges of each range (largest value accepted, smallest refused), and the
 * message for each kind of bad value, which the CLI and the daemon show as
 * they are.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lib/parse-value.h"
#include "test.h"

#define NS 1LL
#define US 1000LL
#define MS 1000000LL
#define SEC 1000000000LL

static bool duration_is(const char *text, int64_t want)
{
	struct fp_error err = { "" };
	int64_t v = -12345;

	if (fp_parse_duration_ns(text, &v, &err) != 0) {
		fprintf(stderr, "  '%s' refused: %s\n", text, err.msg);
		return false;
	}
	if (v != want)
		fprintf(stderr, "  '%s' -> %lld, want %lld\n", text, (long long)v, (long long)want);
	return v == want;
}

/* Refused, *out untouched, and the message contains `want`. */
static bool duration_refused(const char *text, const char *want)
{
	struct fp_error err = { "" };
	int64_t v = -12345;

	if (fp_parse_duration_ns(text, &v, &err) == 0 || v != -12345) {
		fprintf(stderr, "  '%s' accepted\n", text);
		return false;
	}
	if (strstr(err.msg, want) == NULL)
		fprintf(stderr, "  '%s': message \"%s\" lacks \"%s\"\n", text, err.msg, want);
	return strstr(err.msg, want) != NULL;
}

static void test_duration_units(void)
{
	CHECK(duration_is("500ms", 500 * MS));
	CHECK(duration_is("60s", 60 * SEC));
	CHECK(duration_is("60", 60 * SEC));
	CHECK(duration_is("5m", 300 * SEC));
	CHECK(duration_is("5min", 300 * SEC));
	CHECK(duration_is("1h", 3600 * SEC));
	CHECK(duration_is("250us", 250 * US));
	CHECK(duration_is("7ns", 7 * NS));
	CHECK(duration_is("0", 0));
	CHECK(duration_is("0s", 0));
	CHECK(duration_is("007s", 7 * SEC));
}

static void test_duration_fractions(void)
{
	CHECK(duration_is("1.5s", 1500 * MS));
	CHECK(duration_is("1.5", 1500 * MS));
	CHECK(duration_is(".25s", 250 * MS));
	CHECK(duration_is("0.5m", 30 * SEC));
	CHECK(duration_is("1.25h", 4500 * SEC));
	CHECK(duration_is("1.5us", 1500 * NS));
	CHECK(duration_is("0.000000001", 1));		/* one nanosecond */
	CHECK(duration_is("0.0000000019", 1));		/* finer digits dropped, not rounded */
	CHECK(duration_is("1.123456789123456789s", SEC + 123456789));
	CHECK(duration_is("0.000000000001h", 3));	/* 3.6 ns: exact to the nanosecond */
	CHECK(duration_is("0.9ns", 0));
	CHECK(duration_is("2.000000000000000000000000000000s", 2 * SEC));
}

static void test_duration_limits(void)
{
	/* INT64_MAX ns = 9223372036.854775807 s */
	CHECK(duration_is("9223372036854775807ns", INT64_MAX));
	CHECK(duration_is("9223372036.854775807", INT64_MAX));
	CHECK(duration_refused("9223372036854775808ns", "too long"));
	CHECK(duration_refused("9223372036.854775808", "too long"));
	CHECK(duration_refused("2562048h", "too long"));	/* 2562047.79 h fit */
	CHECK(duration_is("2562047h", 2562047LL * 3600 * SEC));
	CHECK(duration_refused("99999999999999999999999s", "too long"));
	CHECK(duration_refused("18446744073709551616", "too long"));
}

static void test_duration_refused(void)
{
	struct fp_error err = { "" };
	int64_t v;

	CHECK(fp_parse_duration_ns("5x", &v, &err) < 0);
	CHECK_EQ_STR(err.msg, "'5x' is not a duration (use e.g. 500ms, 60s, 5m, 1h)");
	CHECK(duration_refused("-5", "cannot be negative"));
	CHECK(duration_refused("-0.5s", "cannot be negative"));
	CHECK(duration_refused("", "'' is not a duration"));
	CHECK(duration_refused("s", "is not a duration"));
	CHECK(duration_refused(".s", "is not a duration"));
	CHECK(duration_refused("5.", "is not a duration"));
	CHECK(duration_refused("5.s", "is not a duration"));
	CHECK(duration_refused("1.2.3s", "is not a duration"));
	CHECK(duration_refused("60s ", "is not a duration"));
	CHECK(duration_refused(" 60s", "is not a duration"));
	CHECK(duration_refused("+5s", "is not a duration"));
	CHECK(duration_refused("5S", "is not a duration"));
	CHECK(duration_refused("5sec", "is not a duration"));
	CHECK(duration_refused("1e3", "is not a duration"));
	CHECK(duration_refused("5y", "is not a duration"));
	CHECK(duration_refused("0x10", "is not a duration"));
}

static bool size_is(const char *text, uint64_t want)
{
	struct fp_error err = { "" };
	uint64_t v = 12345;

	return fp_parse_size(text, &v, &err) == 0 && v == want;
}

static bool size_refused(const char *text, const char *want)
{
	struct fp_error err = { "" };
	uint64_t v = 12345;

	return fp_parse_size(text, &v, &err) < 0 && v == 12345 && strstr(err.msg, want) != NULL;
}

static void test_sizes(void)
{
	CHECK(size_is("4096", 4096));
	CHECK(size_is("4096B", 4096));
	CHECK(size_is("0", 0));
	CHECK(size_is("64k", 65536));
	CHECK(size_is("64K", 65536));
	CHECK(size_is("64Ki", 65536));
	CHECK(size_is("64KiB", 65536));
	CHECK(size_is("1M", 1 << 20));
	CHECK(size_is("1MiB", 1 << 20));
	CHECK(size_is("2G", 2ULL << 30));
	CHECK(size_is("2GiB", 2ULL << 30));
	CHECK(size_is("3T", 3ULL << 40));
	CHECK(size_is("18446744073709551615", UINT64_MAX));
	CHECK(size_is("16777215T", 16777215ULL << 40));		/* the largest T that fits */
	CHECK(size_refused("16777216T", "too large"));
	CHECK(size_refused("18446744073709551616", "too large"));
	CHECK(size_refused("17179869184G", "too large"));
	CHECK(size_refused("", "'' is not a size (use e.g. 4096, 64k, 64KiB, 1M, 2G)"));
	CHECK(size_refused("k", "is not a size"));
	CHECK(size_refused("-1k", "is not a size"));
	CHECK(size_refused("1.5M", "is not a size"));
	CHECK(size_refused("64kb", "is not a size"));
	CHECK(size_refused("64 KiB", "is not a size"));
	CHECK(size_refused("64KiBs", "is not a size"));
}

static bool count_is(const char *text, uint64_t min, uint64_t max, uint64_t want)
{
	struct fp_error err = { "" };
	uint64_t v = 12345;

	return fp_parse_count(text, min, max, &v, &err) == 0 && v == want;
}

static bool count_refused(const char *text, uint64_t min, uint64_t max, const char *want)
{
	struct fp_error err = { "" };
	uint64_t v = 12345;

	return fp_parse_count(text, min, max, &v, &err) < 0 && v == 12345 && strstr(err.msg, want) != NULL;
}

static void test_counts(void)
{
	CHECK(count_is("1", 1, 256, 1));
	CHECK(count_is("256", 1, 256, 256));
	CHECK(count_is("64k", 0, UINT64_MAX, 64000));
	CHECK(count_is("64K", 0, UINT64_MAX, 64000));
	CHECK(count_is("1M", 0, UINT64_MAX, 1000000));
	CHECK(count_is("1G", 1, 1000000000, 1000000000));
	CHECK(count_is("18446744073709551615", 0, UINT64_MAX, UINT64_MAX));
	CHECK(count_refused("0", 1, 256, "'0' is out of range (use 1 to 256)"));
	CHECK(count_refused("257", 1, 256, "out of range"));
	CHECK(count_refused("2G", 1, 1000000000, "out of range"));
	CHECK(count_refused("-1", 1, 256, "out of range"));
	CHECK(count_refused("18446744073709551616", 0, UINT64_MAX, "out of range"));
	CHECK(count_refused("18446744073709552G", 0, UINT64_MAX, "out of range"));
	CHECK(count_refused("", 1, 256, "'' is not a count (use e.g. 100, 64k, 1M)"));
	CHECK(count_refused("lots", 1, 256, "is not a count"));
	CHECK(count_refused("1.5", 1, 256, "is not a count"));
	CHECK(count_refused("10x", 1, 256, "is not a count"));
	CHECK(count_refused("1Mi", 1, UINT64_MAX, "is not a count"));
	CHECK(count_refused("-x", 1, 256, "is not a count"));
}

static void test_booleans(void)
{
	static const char *yes[] = { "yes", "true", "on", "1", "YES", "True", "On" };
	static const char *no[] = { "no", "false", "off", "0", "NO", "False", "OFF" };
	struct fp_error err = { "" };
	bool v;

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		v = false;
		CHECK(fp_parse_bool(yes[i], &v, &err) == 0 && v);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		v = true;
		CHECK(fp_parse_bool(no[i], &v, &err) == 0 && !v);
	}
	v = true;
	CHECK(fp_parse_bool("maybe", &v, &err) < 0 && v);
	CHECK_EQ_STR(err.msg, "'maybe' is not a boolean (use yes/no, true/false, on/off, 1/0)");
	CHECK(fp_parse_bool("", &v, &err) < 0);
	CHECK(fp_parse_bool("yes ", &v, &err) < 0);
	CHECK(fp_parse_bool("2", &v, &err) < 0);
}

enum colour { RED = 3, GREEN = 7, BLUE = 11 };

static const struct fp_enum_name colour_names[] = {
	{ "red", RED },
	{ "green", GREEN },
	{ "blue", BLUE },
	{ "crimson", RED },	/* alias: accepted, not offered */
	{ NULL, 0 },
};

static void test_enums(void)
{
	struct fp_error err = { "" };
	int v = -1;

	CHECK(fp_parse_enum("green", colour_names, &v, &err) == 0 && v == GREEN);
	CHECK(fp_parse_enum("BLUE", colour_names, &v, &err) == 0 && v == BLUE);
	CHECK(fp_parse_enum("crimson", colour_names, &v, &err) == 0 && v == RED);
	v = -1;
	CHECK(fp_parse_enum("mauve", colour_names, &v, &err) < 0 && v == -1);
	CHECK_EQ_STR(err.msg, "'mauve' is not one of red, green, blue");
	CHECK(fp_parse_enum("", colour_names, &v, &err) < 0);
	CHECK(fp_parse_enum("re", colour_names, &v, &err) < 0);
	CHECK_EQ_STR(fp_enum_name(colour_names, RED), "red");
	CHECK_EQ_STR(fp_enum_name(colour_names, BLUE), "blue");
	CHECK(fp_enum_name(colour_names, 99) == NULL);
}

/* A quoted value is cut, so a long one cannot push the hint out. */
static void test_long_value(void)
{
	char text[2000];
	struct fp_error err = { "" };
	int64_t v;

	memset(text, '7', sizeof(text) - 2);
	text[sizeof(text) - 2] = 'x';
	text[sizeof(text) - 1] = '\0';
	CHECK(fp_parse_duration_ns(text, &v, &err) < 0);
	CHECK(strstr(err.msg, "(use e.g. 500ms") != NULL);
}

int main(void)
{
	RUN(test_duration_units);
	RUN(test_duration_fractions);
	RUN(test_duration_limits);
	RUN(test_duration_refused);
	RUN(test_sizes);
	RUN(test_counts);
	RUN(test_booleans);
	RUN(test_enums);
	RUN(test_long_value);
	return TEST_RESULT();
}
