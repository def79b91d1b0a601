/*
 * number-text.c - integers and doubles as text (see number-text.h for the
 * forms written).
 *
 * Doubles are formatted with Florian Loitsch's Grisu2 ("Printing
 * Floating-Point Numbers Quickly and Accurately", PLDI 2010), following the
 * well-known structure of Milo Yip's implementation: the value and its
 * rounding boundaries are scaled by a cached power of ten into 64-bit
 * fixed point, digits are generated until the result is inside the
 * (conservatively narrowed) boundaries, and the last digit is nudged
 * towards the exact value. Because the boundaries are narrowed by one unit
 * of the 64-bit product, the digits always read back to the same double.
 * Grisu2 is not always shortest nor nearest, so two cheap passes follow:
 * shorten() drops digits while a neighbour still reads back (checked
 * exactly, mostly with Clinger's fast path), and nearest_last_digit()
 * moves the last digit when an exact 128-bit comparison says a neighbour
 * is nearer. Whole values below 1e16 skip all of it, and so do values that
 * are a whole number of nanoseconds below 2^22 s (nanosecond_digits()).
 * Integers are written two digits at a time in 32-bit arithmetic, eight
 * digits per 64-bit division.
 *
 * Invariant: shortest_digits() is the one place digits are chosen; the
 * layouts below only place them, so CSV, JSON and peek always agree on a
 * value's digits.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/number-text.h"

/* ------------------------------------------------------------ integers */

static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Digits of v < 10^8 (n of them, n from count) ending at out + n, two at a
 * time in 32-bit arithmetic (a 64-bit division by 100 per pair cost twice
 * as much; timestamps have 16 digits). */
static void put_u32_digits(char *out, uint32_t v, int n)
{
	char *p = out + n;

	while (v >= 100) {
		uint32_t pair = v % 100;

		v /= 100;
		p -= 2;
		memcpy(p, &digit_pairs[pair * 2], 2);
	}
	if (v >= 10)
		memcpy(p - 2, &digit_pairs[v * 2], 2);
	else
		p[-1] = (char)('0' + v);
}

/* Exactly 8 digits of v < 10^8, leading zeros included. */
static void put_8_digits(char *out, uint32_t v)
{
	uint32_t hi = v / 10000, lo = v % 10000;

	memcpy(out, &digit_pairs[hi / 100 * 2], 2);
	memcpy(out + 2, &digit_pairs[hi % 100 * 2], 2);
	memcpy(out + 4, &digit_pairs[lo / 100 * 2], 2);
	memcpy(out + 6, &digit_pairs[lo % 100 * 2], 2);
}

static int digits_u32(uint32_t v)
{
	return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6
	       : v < 10000000 ? 7 : 8;
}

size_t fp_u64_to_text(char *out, uint64_t v)
{
	uint32_t head;
	int n;

	if (v < 100000000) {
		n = digits_u32((uint32_t)v);
		put_u32_digits(out, (uint32_t)v, n);
		return (size_t)n;
	}
	if (v < 10000000000000000ULL) {		/* 9..16 digits: head, then 8 */
		head = (uint32_t)(v / 100000000);
		n = digits_u32(head);
		put_u32_digits(out, head, n);
		put_8_digits(out + n, (uint32_t)(v % 100000000));
		return (size_t)n + 8;
	}
	head = (uint32_t)(v / 10000000000000000ULL);	/* 17..20 digits: head < 2000, then 16 */
	v %= 10000000000000000ULL;
	n = digits_u32(head);
	put_u32_digits(out, head, n);
	put_8_digits(out + n, (uint32_t)(v / 100000000));
	put_8_digits(out + n + 8, (uint32_t)(v % 100000000));
	return (size_t)n + 16;
}

size_t fp_i64_to_text(char *out, int64_t v)
{
	if (v < 0) {
		*out = '-';
		/* negate in unsigned arithmetic: INT64_MIN has no positive twin */
		return 1 + fp_u64_to_text(out + 1, 0 - (uint64_t)v);
	}
	return fp_u64_to_text(out, (uint64_t)v);
}

/* ------------------------------------------------------------ Grisu2 */

struct diy_fp {
	uint64_t f;
	int e;
};

#define DP_SIGNIFICAND_MASK 0x000FFFFFFFFFFFFFULL
#define DP_HIDDEN_BIT 0x0010000000000000ULL
#define DP_EXPONENT_BIAS (0x3FF + 52)

/* 10^k for k = -348, -340, ..., 340, normalized to 64 bits (rounded to
 * nearest): 10^k ~= f * 2^e. Generated with exact rational arithmetic. */
static const struct diy_fp cached_powers[] = {
	{ 0xfa8fd5a0081c0288ULL, -1220 },	/* 1e-348 */
	{ 0xbaaee17fa23ebf76ULL, -1193 },	/* 1e-340 */
	{ 0x8b16fb203055ac76ULL, -1166 },	/* 1e-332 */
	{ 0xcf42894a5dce35eaULL, -1140 },	/* 1e-324 */
	{ 0x9a6bb0aa55653b2dULL, -1113 },	/* 1e-316 */
	{ 0xe61acf033d1a45dfULL, -1087 },	/* 1e-308 */
	{ 0xab70fe17c79ac6caULL, -1060 },	/* 1e-300 */
	{ 0xff77b1fcbebcdc4fULL, -1034 },	/* 1e-292 */
	{ 0xbe5691ef416bd60cULL, -1007 },	/* 1e-284 */
	{ 0x8dd01fad907ffc3cULL, -980 },	/* 1e-276 */
	{ 0xd3515c2831559a83ULL, -954 },	/* 1e-268 */
	{ 0x9d71ac8fada6c9b5ULL, -927 },	/* 1e-260 */
	{ 0xea9c227723ee8bcbULL, -901 },	/* 1e-252 */
	{ 0xaecc49914078536dULL, -874 },	/* 1e-244 */
	{ 0x823c12795db6ce57ULL, -847 },	/* 1e-236 */
	{ 0xc21094364dfb5637ULL, -821 },	/* 1e-228 */
	{ 0x9096ea6f3848984fULL, -794 },	/* 1e-220 */
	{ 0xd77485cb25823ac7ULL, -768 },	/* 1e-212 */
	{ 0xa086cfcd97bf97f4ULL, -741 },	/* 1e-204 */
	{ 0xef340a98172aace5ULL, -715 },	/* 1e-196 */
	{ 0xb23867fb2a35b28eULL, -688 },	/* 1e-188 */
	{ 0x84c8d4dfd2c63f3bULL, -661 },	/* 1e-180 */
	{ 0xc5dd44271ad3cdbaULL, -635 },	/* 1e-172 */
	{ 0x936b9fcebb25c996ULL, -608 },	/* 1e-164 */
	{ 0xdbac6c247d62a584ULL, -582 },	/* 1e-156 */
	{ 0xa3ab66580d5fdaf6ULL, -555 },	/* 1e-148 */
	{ 0xf3e2f893dec3f126ULL, -529 },	/* 1e-140 */
	{ 0xb5b5ada8aaff80b8ULL, -502 },	/* 1e-132 */
	{ 0x87625f056c7c4a8bULL, -475 },	/* 1e-124 */
	{ 0xc9bcff6034c13053ULL, -449 },	/* 1e-116 */
	{ 0x964e858c91ba2655ULL, -422 },	/* 1e-108 */
	{ 0xdff9772470297ebdULL, -396 },	/* 1e-100 */
	{ 0xa6dfbd9fb8e5b88fULL, -369 },	/* 1e-92 */
	{ 0xf8a95fcf88747d94ULL, -343 },	/* 1e-84 */
	{ 0xb94470938fa89bcfULL, -316 },	/* 1e-76 */
	{ 0x8a08f0f8bf0f156bULL, -289 },	/* 1e-68 */
	{ 0xcdb02555653131b6ULL, -263 },	/* 1e-60 */
	{ 0x993fe2c6d07b7facULL, -236 },	/* 1e-52 */
	{ 0xe45c10c42a2b3b06ULL, -210 },	/* 1e-44 */
	{ 0xaa242499697392d3ULL, -183 },	/* 1e-36 */
	{ 0xfd87b5f28300ca0eULL, -157 },	/* 1e-28 */
	{ 0xbce5086492111aebULL, -130 },	/* 1e-20 */
	{ 0x8cbccc096f5088ccULL, -103 },	/* 1e-12 */
	{ 0xd1b71758e219652cULL, -77 },	/* 1e-4 */
	{ 0x9c40000000000000ULL, -50 },	/* 1e4 */
	{ 0xe8d4a51000000000ULL, -24 },	/* 1e12 */
	{ 0xad78ebc5ac620000ULL, 3 },	/* 1e20 */
	{ 0x813f3978f8940984ULL, 30 },	/* 1e28 */
	{ 0xc097ce7bc90715b3ULL, 56 },	/* 1e36 */
	{ 0x8f7e32ce7bea5c70ULL, 83 },	/* 1e44 */
	{ 0xd5d238a4abe98068ULL, 109 },	/* 1e52 */
	{ 0x9f4f2726179a2245ULL, 136 },	/* 1e60 */
	{ 0xed63a231d4c4fb27ULL, 162 },	/* 1e68 */
	{ 0xb0de65388cc8ada8ULL, 189 },	/* 1e76 */
	{ 0x83c7088e1aab65dbULL, 216 },	/* 1e84 */
	{ 0xc45d1df942711d9aULL, 242 },	/* 1e92 */
	{ 0x924d692ca61be758ULL, 269 },	/* 1e100 */
	{ 0xda01ee641a708deaULL, 295 },	/* 1e108 */
	{ 0xa26da3999aef774aULL, 322 },	/* 1e116 */
	{ 0xf209787bb47d6b85ULL, 348 },	/* 1e124 */
	{ 0xb454e4a179dd1877ULL, 375 },	/* 1e132 */
	{ 0x865b86925b9bc5c2ULL, 402 },	/* 1e140 */
	{ 0xc83553c5c8965d3dULL, 428 },	/* 1e148 */
	{ 0x952ab45cfa97a0b3ULL, 455 },	/* 1e156 */
	{ 0xde469fbd99a05fe3ULL, 481 },	/* 1e164 */
	{ 0xa59bc234db398c25ULL, 508 },	/* 1e172 */
	{ 0xf6c69a72a3989f5cULL, 534 },	/* 1e180 */
	{ 0xb7dcbf5354e9beceULL, 561 },	/* 1e188 */
	{ 0x88fcf317f22241e2ULL, 588 },	/* 1e196 */
	{ 0xcc20ce9bd35c78a5ULL, 614 },	/* 1e204 */
	{ 0x98165af37b2153dfULL, 641 },	/* 1e212 */
	{ 0xe2a0b5dc971f303aULL, 667 },	/* 1e220 */
	{ 0xa8d9d1535ce3b396ULL, 694 },	/* 1e228 */
	{ 0xfb9b7cd9a4a7443cULL, 720 },	/* 1e236 */
	{ 0xbb764c4ca7a44410ULL, 747 },	/* 1e244 */
	{ 0x8bab8eefb6409c1aULL, 774 },	/* 1e252 */
	{ 0xd01fef10a657842cULL, 800 },	/* 1e260 */
	{ 0x9b10a4e5e9913129ULL, 827 },	/* 1e268 */
	{ 0xe7109bfba19c0c9dULL, 853 },	/* 1e276 */
	{ 0xac2820d9623bf429ULL, 880 },	/* 1e284 */
	{ 0x80444b5e7aa7cf85ULL, 907 },	/* 1e292 */
	{ 0xbf21e44003acdd2dULL, 933 },	/* 1e300 */
	{ 0x8e679c2f5e44ff8fULL, 960 },	/* 1e308 */
	{ 0xd433179d9c8cb841ULL, 986 },	/* 1e316 */
	{ 0x9e19db92b4e31ba9ULL, 1013 },	/* 1e324 */
	{ 0xeb96bf6ebadf77d9ULL, 1039 },	/* 1e332 */
	{ 0xaf87023b9bf0ee6bULL, 1066 },	/* 1e340 */
};

static const uint64_t pow10_u64[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
	1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
	1000000000000000000ULL, 10000000000000000000ULL,
};

static const double exact_pow10[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* The product rounded to the upper 64 bits. */
static struct diy_fp diy_mul(struct diy_fp x, struct diy_fp y)
{
	const uint64_t m32 = 0xFFFFFFFFULL;
	uint64_t a = x.f >> 32, b = x.f & m32, c = y.f >> 32, d = y.f & m32;
	uint64_t ac = a * c, bc = b * c, ad = a * d, bd = b * d;
	uint64_t mid = (bd >> 32) + (ad & m32) + (bc & m32) + (1ULL << 31);
	struct diy_fp r = { ac + (ad >> 32) + (bc >> 32) + (mid >> 32), x.e + y.e + 64 };

	return r;
}

static struct diy_fp diy_normalize(struct diy_fp x)
{
	int shift = __builtin_clzll(x.f);

	x.f <<= shift;
	x.e -= shift;
	return x;
}

/* A positive finite double as f * 2^e (f without normalization). */
static struct diy_fp diy_from_double(double v)
{
	uint64_t bits;
	struct diy_fp r;
	int biased;

	memcpy(&bits, &v, sizeof(bits));
	biased = (int)((bits >> 52) & 0x7FF);
	r.f = bits & DP_SIGNIFICAND_MASK;
	if (biased != 0) {
		r.f += DP_HIDDEN_BIT;
		r.e = biased - DP_EXPONENT_BIAS;
	} else {
		r.e = 1 - DP_EXPONENT_BIAS;	/* subnormal */
	}
	return r;
}

/* The halfway points to the neighbouring doubles, with a common exponent. */
static void diy_boundaries(struct diy_fp v, struct diy_fp *minus, struct diy_fp *plus)
{
	struct diy_fp pl = { (v.f << 1) + 1, v.e - 1 };
	struct diy_fp mi;

	pl = diy_normalize(pl);
	if (v.f == DP_HIDDEN_BIT) {	/* the next lower double is closer */
		mi.f = (v.f << 2) - 1;
		mi.e = v.e - 2;
	} else {
		mi.f = (v.f << 1) - 1;
		mi.e = v.e - 1;
	}
	mi.f <<= mi.e - pl.e;
	mi.e = pl.e;
	*minus = mi;
	*plus = pl;
}

/* A cached power c such that e + c.e + 64 lies in [-60, -32]; *k is minus
 * its decimal exponent. */
static struct diy_fp cached_power(int e, int *k)
{
	double dk = (-61 - e) * 0.30102999566398114 + 347;
	int ik = (int)dk;
	unsigned index;

	if (dk - ik > 0.0)
		ik++;
	index = (unsigned)((ik >> 3) + 1);
	*k = -(-348 + (int)(index << 3));
	return cached_powers[index];
}

static int count_digits32(uint32_t n)
{
	int d = 1;

	while (d < 10 && n >= pow10_u64[d])
		d++;
	return d;
}

/* Moves the last digit towards the exact value while staying inside. */
static void grisu_round(char *buf, int len, uint64_t delta, uint64_t rest, uint64_t ten_kappa, uint64_t wp_w)
{
	while (rest < wp_w && delta - rest >= ten_kappa &&
	       (rest + ten_kappa < wp_w || wp_w - rest > rest + ten_kappa - wp_w)) {
		buf[len - 1]--;
		rest += ten_kappa;
	}
}

static void digit_gen(struct diy_fp w, struct diy_fp mp, uint64_t delta, char *buf, int *len, int *k)
{
	const int shift = -mp.e;
	const uint64_t one = 1ULL << shift;
	const uint64_t wp_w = mp.f - w.f;
	uint32_t p1 = (uint32_t)(mp.f >> shift);
	uint64_t p2 = mp.f & (one - 1);
	int kappa = count_digits32(p1);

	*len = 0;
	while (kappa > 0) {
		uint32_t div = (uint32_t)pow10_u64[kappa - 1];
		uint32_t d = p1 / div;
		uint64_t rest;

		p1 %= div;
		if (d || *len)
			buf[(*len)++] = (char)('0' + d);
		kappa--;
		rest = ((uint64_t)p1 << shift) + p2;
		if (rest <= delta) {
			*k += kappa;
			grisu_round(buf, *len, delta, rest, pow10_u64[kappa] << shift, wp_w);
			return;
		}
	}
	for (;;) {
		char d;

		p2 *= 10;
		delta *= 10;
		d = (char)(p2 >> shift);
		if (d || *len)
			buf[(*len)++] = (char)('0' + d);
		p2 &= one - 1;
		kappa--;
		if (p2 < delta) {
			int index = -kappa;
			*k += kappa;
			grisu_round(buf, *len, delta, p2, one, wp_w * (index < 20 ? pow10_u64[index] : 0));
			return;
		}
	}
}

/* Digits of a positive finite double: value = digits * 10^k. */
static void grisu2(double value, char *buf, int *len, int *k)
{
	struct diy_fp v = diy_from_double(value);
	struct diy_fp wm, wp, c, w;

	diy_boundaries(v, &wm, &wp);
	c = cached_power(wp.e, k);
	w = diy_mul(diy_normalize(v), c);
	wp = diy_mul(wp, c);
	wm = diy_mul(wm, c);
	wm.f++;
	wp.f--;
	digit_gen(w, wp, wp.f - wm.f, buf, len, k);
}

/* Lays digits out like Python's repr(): `point` is the decimal exponent of
 * the first digit. */
static size_t repr_layout(char *out, const char *d, int n, int point)
{
	char *p = out;

	if (point >= -4 && point < 16) {
		if (point < 0) {
			*p++ = '0';
			*p++ = '.';
			for (int i = point + 1; i < 0; i++)
				*p++ = '0';
			memcpy(p, d, (size_t)n);
			p += n;
		} else if (point + 1 >= n) {
			memcpy(p, d, (size_t)n);
			p += n;
			for (int i = n; i <= point; i++)
				*p++ = '0';
			*p++ = '.';
			*p++ = '0';
		} else {
			memcpy(p, d, (size_t)point + 1);
			p += point + 1;
			*p++ = '.';
			memcpy(p, d + point + 1, (size_t)(n - point - 1));
			p += n - point - 1;
		}
		return (size_t)(p - out);
	}
	*p++ = d[0];
	if (n > 1) {
		*p++ = '.';
		memcpy(p, d + 1, (size_t)n - 1);
		p += n - 1;
	}
	*p++ = 'e';
	*p++ = point < 0 ? '-' : '+';
	if (point < 0)
		point = -point;
	if (point < 10)
		*p++ = '0';
	p += fp_u64_to_text(p, (uint64_t)point);
	return (size_t)(p - out);
}

/* Whether m * 10^e reads back as v (exact: Clinger's fast path, else a
 * correctly rounding strtod()). */
static bool reads_back(uint64_t m, int e, double v)
{
	char text[48];
	size_t n;

	if (m <= (1ULL << 53) && e >= -22 && e <= 22)
		return (e < 0 ? (double)m / exact_pow10[-e] : (double)m * exact_pow10[e]) == v;
	n = fp_u64_to_text(text, m);
	text[n++] = 'e';
	n += fp_i64_to_text(text + n, e);
	text[n] = '\0';
	return strtod(text, NULL) == v;
}

static int count_digits64(uint64_t m)
{
	int d = 1;

	while (d < 20 && m >= pow10_u64[d])
		d++;
	return d;
}

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;

static int bit_length(u128 x)
{
	uint64_t hi = (uint64_t)(x >> 64), lo = (uint64_t)x;

	if (hi)
		return 128 - __builtin_clzll(hi);
	return lo ? 64 - __builtin_clzll(lo) : 0;
}

static int compare_u128(u128 a, u128 b)
{
	return a < b ? -1 : a > b;
}

/* a * 2^s against b (a, b < 2^127), exactly. */
static int compare_scaled(u128 a, int s, u128 b)
{
	if (s >= 0)
		return bit_length(a) + s > 127 ? 1 : compare_u128(a << s, b);
	return bit_length(b) - s > 127 ? -1 : compare_u128(a, b << -s);
}
#endif

/* Compares the positive finite v with m * 10^e exactly: -1, 0, 1, or 2
 * when it cannot tell (no 128-bit integers, or 5^|e| too large). */
static int compare_exact(double v, uint64_t m, int e)
{
#ifdef __SIZEOF_INT128__
	struct diy_fp d = diy_from_double(v);
	int n = e < 0 ? -e : e;
	u128 pow5;

	if (n > 27)	/* 5^27 is the largest power of 5 below 2^63 */
		return 2;
	pow5 = pow10_u64[n > 19 ? 19 : n] >> (n > 19 ? 19 : n);	/* 10^i / 2^i = 5^i */
	for (int i = 19; i < n; i++)
		pow5 *= 5;
	if (e < 0)	/* f 2^q 10^n against m: f 5^n 2^(q+n) against m */
		return compare_scaled((u128)d.f * pow5, d.e + n, m);
	/* f 2^q against m 5^e 2^e: f 2^(q-e) against m 5^e */
	return compare_scaled(d.f, d.e - e, (u128)m * pow5);
#else
	(void)v;
	(void)m;
	(void)e;
	return 2;
#endif
}

/*
 * Grisu2 sometimes stops one or more digits late (79.81045399999999 for
 * 79.810454). Any decimal inside the rounding interval of v has a shorter
 * neighbour inside it too if a shorter one exists at all, so dropping one
 * digit at a time, trying the neighbour nearer to v first, and stopping at
 * the first length where neither reads back finds the shortest form. The
 * dropped digit tells which neighbour is nearer unless it is a 5; then v is
 * compared exactly with the midpoint, and an exact tie goes to the even
 * neighbour, as in Python's repr().
 */
static void shorten(uint64_t *mant, int *k, double v)
{
	uint64_t m = *mant;
	int e = *k;

	for (;;) {
		while (m % 10 == 0 && m != 0) {
			m /= 10;
			e++;
		}
		if (m < 10)
			break;
		uint64_t down = m / 10, up = down + 1;
		int side = m % 10 < 5 ? -1 : m % 10 > 5 ? 1 : compare_exact(v, m, e);
		bool up_first = side == 1 || side == 2 || (side == 0 && down % 2 == 1);
		uint64_t first = up_first ? up : down, second = up_first ? down : up;

		if (reads_back(first, e + 1, v))
			m = first;
		else if (reads_back(second, e + 1, v))
			m = second;
		else
			break;
		e++;
	}
	*mant = m;
	*k = e;
}

/*
 * At 16 or 17 digits several decimals of the same length can read back, and
 * Grisu2's last digit is not always the nearest one. A neighbour replaces it
 * if it reads back and v is past the midpoint towards it, or exactly on the
 * midpoint and the neighbour is even (Python's repr() again).
 */
static void nearest_last_digit(uint64_t *mant, int k, double v)
{
	uint64_t m = *mant;
	int above, below;

	if (m < 1000000000000000ULL || m > UINT64_MAX / 10 - 10)
		return;
	above = compare_exact(v, m * 10 + 5, k - 1);
	if ((above == 1 || (above == 0 && m % 2 == 1)) && reads_back(m + 1, k, v)) {
		*mant = m + 1;
		return;
	}
	below = compare_exact(v, m * 10 - 5, k - 1);
	if ((below == -1 || (below == 0 && m % 2 == 1)) && reads_back(m - 1, k, v))
		*mant = m - 1;
}

/* The shortest digits of a positive finite double that read back to it
 * (the nearest such, ties to even): value = 0.d1d2...dn * 10^(point + 1).
 * Returns n; `digits` gets n characters (no NUL), at most 20. */
/*
 * Durations and rates are mostly a whole number of nanoseconds divided by
 * 1e9. When 0 < v < 2^22 and v is the double nearest to m / 10^9 for an
 * integer m, the shortest nearest digits are m's without its trailing
 * zeros: below 2^22 doubles are less than 10^-9 apart, so no other decimal
 * of at most 9 fractional digits reads back to v, and one with more
 * fractional digits has more significant digits. So Grisu and its checks
 * are skipped (tests/unit/test-number-text.c compares both on millions of
 * values).
 */
static bool nanosecond_digits(double v, uint64_t *mant, int *k)
{
	double scaled;
	uint64_t m;

	if (!(v > 0 && v < 4194304.0))
		return false;
	scaled = v * 1e9;
	m = (uint64_t)(scaled + 0.5);
	for (uint64_t c = m > 0 ? m - 1 : 0; c <= m + 1; c++) {
		if ((double)c / 1e9 == v) {
			*mant = c;
			*k = -9;
			while (*mant % 10 == 0) {
				*mant /= 10;
				(*k)++;
			}
			return true;
		}
	}
	return false;
}

static int shortest_digits(double v, char *digits, int *point)
{
	uint64_t mant = 0;
	int n, k = 0;

	if (v < 1e16 && v == (double)(uint64_t)v) {	/* whole: counts, sizes */
		mant = (uint64_t)v;
		while (mant % 10 == 0) {
			mant /= 10;
			k++;
		}
	} else if (!nanosecond_digits(v, &mant, &k)) {
		grisu2(v, digits, &n, &k);
		for (int i = 0; i < n; i++)
			mant = mant * 10 + (uint64_t)(digits[i] - '0');
		shorten(&mant, &k, v);
		nearest_last_digit(&mant, k, v);
	}
	n = count_digits64(mant);
	fp_u64_to_text(digits, mant);
	*point = n + k - 1;
	return n;
}

size_t fp_double_to_text(char *out, double v)
{
	char digits[24];
	size_t neg = 0;
	int n, point;

	if (isnan(v)) {
		memcpy(out, "NaN", 3);
		return 3;
	}
	if (signbit(v)) {
		*out++ = '-';
		neg = 1;
		v = -v;
	}
	if (isinf(v)) {
		memcpy(out, "Infinity", 8);
		return neg + 8;
	}
	if (v == 0.0) {
		memcpy(out, "0.0", 3);
		return neg + 3;
	}
	n = shortest_digits(v, digits, &point);
	return neg + repr_layout(out, digits, n, point);
}

/* printf's %.{n}e of the digits: "d[.ddd]e+XX". */
static size_t g_exponent_layout(char *out, const char *d, int n, int point)
{
	char *p = out;

	*p++ = d[0];
	if (n > 1) {
		*p++ = '.';
		memcpy(p, d + 1, (size_t)n - 1);
		p += n - 1;
	}
	*p++ = 'e';
	*p++ = point < 0 ? '-' : '+';
	if (point < 0)
		point = -point;
	if (point < 10)
		*p++ = '0';
	p += fp_u64_to_text(p, (uint64_t)point);
	return (size_t)(p - out);
}

/* printf's %.{n}g of n digits (which end in a non-zero digit). */
static size_t g_layout(char *out, const char *d, int n, int point)
{
	char *p = out;

	if (point < -4 || point >= n)
		return g_exponent_layout(out, d, n, point);
	if (point < 0) {
		*p++ = '0';
		*p++ = '.';
		for (int i = point + 1; i < 0; i++)
			*p++ = '0';
		memcpy(p, d, (size_t)n);
		return (size_t)(p + n - out);
	}
	memcpy(p, d, (size_t)point + 1);
	p += point + 1;
	if (n > point + 1) {
		*p++ = '.';
		memcpy(p, d + point + 1, (size_t)(n - point - 1));
		p += n - point - 1;
	}
	return (size_t)(p - out);
}

/* Whether v is an exact power of two (an all-zero significand field). */
static bool is_power_of_two(double v)
{
	uint64_t bits;

	memcpy(&bits, &v, sizeof(bits));
	return (bits & DP_SIGNIFICAND_MASK) == 0 && ((bits >> 52) & 0x7FF) != 0;
}

/*
 * peek has always shown the correctly rounded %g text with the fewest
 * digits that read back. The shortest digits are that text except where
 * "nearest" could not be proven: past the exact comparison's reach (the
 * last digit's decimal exponent beyond +-26, values below ~1e-11 or above
 * ~1e43) and at an exact power of two, whose lopsided rounding interval
 * can hold a farther n-digit decimal but not the nearest. There, and only
 * there, printf decides as it always did, starting at the shortest length.
 */
static bool digits_need_printf(double v, int n, int point)
{
	int last = point - n + 1;

	return last < -26 || last > 26 || is_power_of_two(v);
}

static size_t g_by_printf(char *out, double v, int n)
{
	char buf[40];

	for (int prec = n; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	memcpy(out, buf, strlen(buf));
	return strlen(buf);
}

size_t fp_double_to_text_g(char *out, double v)
{
	char digits[24];
	size_t neg = 0;
	int n, point;

	if (isnan(v)) {
		memcpy(out, "NaN", 3);
		return 3;
	}
	if (isinf(v)) {
		memcpy(out, v > 0 ? "inf" : "-inf", v > 0 ? 3 : 4);
		return v > 0 ? 3 : 4;
	}
	if (v == 0.0) {
		memcpy(out, signbit(v) ? "-0" : "0", signbit(v) ? 2 : 1);
		return signbit(v) ? 2 : 1;
	}
	n = shortest_digits(fabs(v), digits, &point);
	if (digits_need_printf(fabs(v), n, point))
		return g_by_printf(out, v, n);
	if (v < 0) {
		*out++ = '-';
		neg = 1;
	}
	return neg + g_layout(out, digits, n, point);
}
