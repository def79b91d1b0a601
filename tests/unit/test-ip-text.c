/*
 * test-ip-text.c - fp_ip_text() against the C library's inet_ntop, which
 * it replaced and whose text it must keep byte for byte: IPv4 edge values,
 * IPv6 edge cases (all zero, loopback, runs of zero groups of every length
 * and position, ties between runs, IPv4-mapped and -compatible forms), every
 * one of the 256 zero/non-zero group patterns with random group values,
 * and a million random addresses of mixed density (fixed seed).
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "lib/ip-text.h"
#include "test.h"

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	return test_xorshift(&state);
}

static int mismatches;

static void check6(const uint8_t a[16])
{
	char ours[FP_IP_TEXT_MAX], libc[INET6_ADDRSTRLEN];
	size_t n = fp_ip_text(a, 6, ours);

	if (inet_ntop(AF_INET6, a, libc, sizeof(libc)) == NULL)
		libc[0] = '\0';
	test_checks++;
	if (strcmp(ours, libc) != 0 || n != strlen(libc)) {
		test_failures++;
		if (mismatches++ < 10)
			fprintf(stderr, "  ipv6: ours \"%s\", inet_ntop \"%s\"\n", ours, libc);
	}
}

static void check4(const uint8_t a[4])
{
	char ours[FP_IP_TEXT_MAX], libc[INET_ADDRSTRLEN];
	size_t n = fp_ip_text(a, 4, ours);

	inet_ntop(AF_INET, a, libc, sizeof(libc));
	test_checks++;
	if (strcmp(ours, libc) != 0 || n != strlen(libc)) {
		test_failures++;
		if (mismatches++ < 10)
			fprintf(stderr, "  ipv4: ours \"%s\", inet_ntop \"%s\"\n", ours, libc);
	}
}

/* Groups: pattern bit i set = group i non-zero (value from `pick`). */
static void from_pattern(unsigned pattern, uint8_t a[16], int pick)
{
	for (int i = 0; i < 8; i++) {
		unsigned v = 0;

		if (pattern & (1u << i)) {
			switch (pick) {
			case 0: v = 1; break;
			case 1: v = 0xffff; break;
			case 2: v = (unsigned)(rnd() % 0xffff) + 1; break;
			default: v = 1u << (rnd() % 16); break;
			}
		}
		a[2 * i] = (uint8_t)(v >> 8);
		a[2 * i + 1] = (uint8_t)v;
	}
}

static void test_ipv4(void)
{
	static const uint8_t edges[][4] = { { 0, 0, 0, 0 }, { 255, 255, 255, 255 }, { 10, 0, 0, 1 },
					    { 1, 22, 133, 9 }, { 100, 99, 10, 9 } };

	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		check4(edges[i]);
	for (int i = 0; i < 100000; i++) {
		uint32_t v = (uint32_t)rnd();

		check4((const uint8_t *)&v);
	}
}

static void test_ipv6_edges(void)
{
	uint8_t a[16];

	memset(a, 0, 16);
	check6(a);				/* :: */
	a[15] = 1;
	check6(a);				/* ::1 */
	a[15] = 0, a[0] = 0x20, a[1] = 0x01;
	check6(a);				/* 2001:: */
	for (int v4 = 0; v4 < 4; v4++) {	/* ::a.b.c.d, ::ffff:a.b.c.d, ::ffff:0:..., ::1:... */
		memset(a, 0, 16);
		if (v4 == 1)
			a[10] = a[11] = 0xff;
		if (v4 == 2)
			a[8] = a[9] = 0xff;
		if (v4 == 3)
			a[11] = 1;
		for (int k = 0; k < 1000; k++) {
			uint32_t v = (uint32_t)rnd() >> (rnd() % 32);

			memcpy(a + 12, &v, 4);
			check6(a);
		}
	}
}

static void test_ipv6_patterns(void)
{
	uint8_t a[16];

	for (unsigned p = 0; p < 256; p++)
		for (int pick = 0; pick < 4; pick++)
			for (int k = 0; k < (pick >= 2 ? 50 : 1); k++) {
				from_pattern(p, a, pick);
				check6(a);
			}
}

static void test_ipv6_random(void)
{
	uint8_t a[16];

	for (int i = 0; i < 1000000; i++) {
		uint64_t hi = rnd(), lo = rnd();

		memcpy(a, &hi, 8);
		memcpy(a + 8, &lo, 8);
		if (i % 2)	/* half of them sparse: zero groups and short values */
			for (int g = 0; g < 8; g++) {
				if (rnd() % 3 == 0)
					a[2 * g] = a[2 * g + 1] = 0;
				else if (rnd() % 2)
					a[2 * g] = 0;
			}
		check6(a);
	}
}

int main(void)
{
	RUN(test_ipv4);
	RUN(test_ipv6_edges);
	RUN(test_ipv6_patterns);
	RUN(test_ipv6_random);
	return TEST_RESULT();
}
