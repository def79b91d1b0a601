/*
 * test-number-text.c - the shared number formatter: peek's %g layout is
 * what the old printf loop printed, for special values and for a million
 * random bit patterns; the repr layout reads back exactly; the fast path
 * for whole nanoseconds (m / 1e9 below 2^22) gives printf's shortest digits
 * on millions of values; integers are snprintf's "%llu" / "%lld".
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/number-text.h"
#include "tests/unit/test.h"

/* What `flowprep peek` printed before the formatter was shared. */
static void old_peek_double(double v, char *buf, size_t size)
{
	if (isnan(v)) {
		snprintf(buf, size, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(buf, size, v > 0 ? "inf" : "-inf");
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static int g_matches_old(double v)
{
	char old[64], now[FP_NUMBER_TEXT_MAX + 1];

	old_peek_double(v, old, sizeof(old));
	now[fp_double_to_text_g(now, v)] = '\0';
	if (strcmp(old, now) != 0) {
		fprintf(stderr, "  %a: old \"%s\", new \"%s\"\n", v, old, now);
		return 0;
	}
	return 1;
}

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* 10^n for 0 <= n <= 19; 10^20 and up saturate to UINT64_MAX. */
static uint64_t pow10_for_test(int n)
{
	uint64_t p = 1;

	for (int i = 0; i < n && i < 20; i++)
		p = i == 19 ? UINT64_MAX : p * 10;
	return p;
}

static void test_g_layout_special(void)
{
	const double cases[] = { 0.0, -0.0, 1.0, -1.0, 40.0, 100.0, 0.1, 0.5, 1e-5, 1e-4, 123456.0, 1e16, 1e15,
				 1e21, 1e22, 1.5e300, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
				 79.810454, 0.30000000000000004, 9007199254740993.0, 1234567890123456789.0,
				 NAN, -NAN, INFINITY, -INFINITY, 0x1p-1000, 0x1p100, 0x1p60 };
	char buf[FP_NUMBER_TEXT_MAX + 1];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(g_matches_old(cases[i]));
	buf[fp_double_to_text_g(buf, 40.0)] = '\0';
	CHECK_EQ_STR(buf, "4e+01");
	buf[fp_double_to_text_g(buf, -0.001)] = '\0';
	CHECK_EQ_STR(buf, "-0.001");
}

static void test_g_layout_random(void)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	int bad = 0;

	for (int i = 0; i < 300000 && bad < 10; i++) {
		uint64_t bits = next_random(&s);
		double v;

		memcpy(&v, &bits, sizeof(v));
		bad += !g_matches_old(v);
		/* and values like the flow statistics: small ratios and means */
		bad += !g_matches_old((double)(bits % 100000) / (double)(bits % 997 + 1));
		/* 17 significant digits anywhere from 1e-12 to 1e45 */
		bad += !g_matches_old(ldexp(1.0 + (double)(bits >> 12) / 4503599627370496.0, (int)(bits % 190) - 40));
	}
	for (int e = -1074; e <= 1023; e++)	/* every power of two, the lopsided case */
		bad += !g_matches_old(ldexp(1.0, e));
	CHECK_EQ_INT(bad, 0);
}

static void test_repr_reads_back(void)
{
	uint64_t s = 12345;
	char buf[FP_NUMBER_TEXT_MAX + 1];
	int bad = 0;

	for (int i = 0; i < 200000; i++) {
		uint64_t bits = next_random(&s);
		double v;

		memcpy(&v, &bits, sizeof(v));
		if (!isfinite(v))
			continue;
		buf[fp_double_to_text(buf, v)] = '\0';
		bad += strtod(buf, NULL) != v || (signbit(strtod(buf, NULL)) != signbit(v));
	}
	CHECK_EQ_INT(bad, 0);
	buf[fp_double_to_text(buf, 40.0)] = '\0';
	CHECK_EQ_STR(buf, "40.0");
	buf[fp_double_to_text(buf, 1e16)] = '\0';
	CHECK_EQ_STR(buf, "1e+16");
	buf[fp_double_to_text(buf, 1.4563091099262238e-05)] = '\0';
	CHECK_EQ_STR(buf, "1.4563091099262238e-05");
	buf[fp_i64_to_text(buf, INT64_MIN)] = '\0';
	CHECK_EQ_STR(buf, "-9223372036854775808");
}

/* Durations as the flow records make them: whole nanoseconds / 1e9,
 * across every digit count, and the edges of the fast path's range. */
static void test_nanosecond_values(void)
{
	uint64_t s = 0x243f6a8885a308d3ULL;
	int bad = 0;

	for (int i = 0; i < 300000 && bad < 10; i++) {
		uint64_t r = next_random(&s);
		uint64_t m = r % pow10_for_test((int)(r >> 58) % 17 + 1);

		bad += !g_matches_old((double)(int64_t)m / 1e9);
		bad += !g_matches_old((double)(int64_t)(m % 4194304000000000ULL) / 1e9);
	}
	for (uint64_t m = 4194303999999000ULL; m < 4194304000001000ULL; m++)	/* around 2^22 s */
		bad += !g_matches_old((double)m / 1e9);
	for (uint64_t m = 1; m < 100000; m++)
		bad += !g_matches_old((double)m / 1e9) + !g_matches_old(nextafter((double)m / 1e9, 1.0));
	CHECK_EQ_INT(bad, 0);
}

static void test_integers(void)
{
	uint64_t s = 77;
	char want[32], got[32];
	int bad = 0;

	for (int i = 0; i < 1000000; i++) {
		uint64_t r = next_random(&s);
		uint64_t v = r >> (r % 64);

		if (i < 64)
			v = i < 21 ? pow10_for_test(i) - 1 : i < 42 ? pow10_for_test(i - 21) : UINT64_MAX - (uint64_t)i;
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
		got[fp_u64_to_text(got, v)] = '\0';
		bad += strcmp(want, got) != 0;
		snprintf(want, sizeof(want), "%lld", (long long)(int64_t)v);
		got[fp_i64_to_text(got, (int64_t)v)] = '\0';
		bad += strcmp(want, got) != 0;
	}
	CHECK_EQ_INT(bad, 0);
}

int main(void)
{
	RUN(test_nanosecond_values);
	RUN(test_integers);
	RUN(test_g_layout_special);
	RUN(test_g_layout_random);
	RUN(test_repr_reads_back);
	return TEST_RESULT();
}
