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

/* Each byte value's decimal digits, left-aligned in 4 bytes and padded
 * with spaces (the next bytes written cover them, or they lie past the
 * end): an octet is one 4-byte copy and a length, not divisions. */
static const char octet_text[256 * 4 + 1] =
	"0   1   2   3   4   5   6   7   8   9   10  11  12  13  14  15  "
	"16  17  18  19  20  21  22  23  24  25  26  27  28  29  30  31  "
	"32  33  34  35  36  37  38  39  40  41  42  43  44  45  46  47  "
	"48  49  50  51  52  53  54  55  56  57  58  59  60  61  62  63  "
	"64  65  66  67  68  69  70  71  72  73  74  75  76  77  78  79  "
	"80  81  82  83  84  85  86  87  88  89  90  91  92  93  94  95  "
	"96  97  98  99  100 101 102 103 104 105 106 107 108 109 110 111 "
	"112 113 114 115 116 117 118 119 120 121 122 123 124 125 126 127 "
	"128 129 130 131 132 133 134 135 136 137 138 139 140 141 142 143 "
	"144 145 146 147 148 149 150 151 152 153 154 155 156 157 158 159 "
	"160 161 162 163 164 165 166 167 168 169 170 171 172 173 174 175 "
	"176 177 178 179 180 181 182 183 184 185 186 187 188 189 190 191 "
	"192 193 194 195 196 197 198 199 200 201 202 203 204 205 206 207 "
	"208 209 210 211 212 213 214 215 216 217 218 219 220 221 222 223 "
	"224 225 226 227 228 229 230 231 232 233 234 235 236 237 238 239 "
	"240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 ";

static size_t put_ipv4(const uint8_t *addr, char *buf)
{
	size_t n = 0;

	for (int i = 0; i < 4; i++) {
		unsigned v = addr[i];

		memcpy(buf + n, &octet_text[v * 4], 4);	/* buf has room: 4 * 4 + 3 < FP_IP_TEXT_MAX */
		n += v >= 100 ? 3 : v >= 10 ? 2 : 1;
		buf[n++] = '.';
	}
	return n - 1;
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
