/*
 * ip-text.c - addresses as text (see ip-text.h), by hand, without
 * inet_ntop: glibc's goes through sprintf for every group and cost ~570
 * instructions an IPv6 address, the largest part of turning a flow into a
 * row (design/PERFORMANCE.md: record conversion was 13 % at 1 M flows).
 *
 * IPv6 follows RFC 5952 exactly as glibc's inet_ntop writes it, so output
 * stays byte-identical (tests/unit/test-ip-text.c compares the two on
 * edge cases and a million random addresses): lowercase hex without
 * leading zeros; the longest run of two or more zero groups (the first of
 * equal runs) becomes "::"; and an address whose first 96 bits are zero
 * (a run of exactly six zero groups from the start) or which is IPv4-mapped
 * (five zero groups, then ffff) ends in dotted-quad form.
 */
#include "config.h"

#include <string.h>

#include "lib/ip-text.h"

static size_t put_decimal(char *p, unsigned v)
{
	if (v >= 100) {
		p[0] = (char)('0' + v / 100);
		p[1] = (char)('0' + v / 10 % 10);
		p[2] = (char)('0' + v % 10);
		return 3;
	}
	if (v >= 10) {
		p[0] = (char)('0' + v / 10);
		p[1] = (char)('0' + v % 10);
		return 2;
	}
	p[0] = (char)('0' + v);
	return 1;
}

static size_t put_ipv4(const uint8_t *addr, char *buf)
{
	size_t n = 0;

	for (int i = 0; i < 4; i++) {
		if (i)
			buf[n++] = '.';
		n += put_decimal(buf + n, addr[i]);
	}
	return n;
}

/* A 16-bit group in lowercase hex without leading zeros. */
static size_t put_hex(char *p, unsigned v)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = v >= 0x1000 ? 4 : v >= 0x100 ? 3 : v >= 0x10 ? 2 : 1;

	for (size_t i = n; i-- > 0; v >>= 4)
		p[i] = digits[v & 15];
	return n;
}

/* The longest run of zero groups (the first of equal ones) into *base and
 * *len; *base = -1 if no run is two groups or longer. */
static void longest_zero_run(const unsigned w[8], int *base, int *len)
{
	int best = -1, best_len = 0, cur = -1, cur_len = 0;

	for (int i = 0; i <= 8; i++) {
		if (i < 8 && w[i] == 0) {
			if (cur < 0)
				cur = i, cur_len = 0;
			cur_len++;
		} else if (cur >= 0) {
			if (cur_len > best_len)
				best = cur, best_len = cur_len;
			cur = -1;
		}
	}
	*base = best_len >= 2 ? best : -1;
	*len = best_len;
}

static size_t put_ipv6(const uint8_t *a, char *buf)
{
	unsigned w[8];
	int base, len;
	size_t n = 0;

	for (int i = 0; i < 8; i++)
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	longest_zero_run(w, &base, &len);
	for (int i = 0; i < 8; i++) {
		if (base >= 0 && i >= base && i < base + len) {
			if (i == base)
				buf[n++] = ':';
			continue;
		}
		if (i != 0)
			buf[n++] = ':';
		if (i == 6 && base == 0 && (len == 6 || (len == 5 && w[5] == 0xffff)))
			return n + put_ipv4(a + 12, buf + n);
		n += put_hex(buf + n, w[i]);
	}
	if (base >= 0 && base + len == 8)
		buf[n++] = ':';
	return n;
}

size_t fp_ip_text(const uint8_t *addr, int ip_version, char *buf)
{
	size_t n = ip_version == 4 ? put_ipv4(addr, buf) : put_ipv6(addr, buf);

	buf[n] = '\0';
	return n;
}
