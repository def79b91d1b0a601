/*
 * csv-number.c - numbers read from CSV text (see csv-number.h for the
 * forms accepted; writing them is lib/number-text.c's job).
 *
 * Parsing decimals uses Clinger's fast path (a mantissa below 2^53 times
 * an exactly representable power of ten is one correctly rounded IEEE
 * operation) and falls back to strtod() for the rest, on a validated
 * C-locale string.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format/csv/csv-number.h"
#include "lib/number-text.h"

/* Powers of ten a double holds exactly (Clinger's fast path). */
static const double exact_pow10[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* ------------------------------------------------------------ parsing */

const char *fp_csv_trim(const char *s, size_t *len)
{
	size_t n = *len;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int fp_csv_parse_i64(const char *s, size_t len, int64_t *out)
{
	const char *end = s + len;
	bool neg = false;
	uint64_t limit, v = 0;

	if (s < end && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	if (s == end)
		return -1;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; s < end; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (d > 9)
			return -1;
		if (v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

static bool word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

/*
 * strtod() for what the fast path cannot do exactly. The text, already
 * validated as a decimal number, is rewritten as sign, digits and a
 * decimal exponent without a decimal point ("-12.5e3" -> "-125e2"), so a
 * program's LC_NUMERIC cannot change its meaning.
 */
static int slow_strtod(const char *s, size_t len, double *out)
{
	char small[128];
	char *copy = len + 24 <= sizeof(small) ? small : malloc(len + 24);
	const char *p = s, *end = s + len;
	long exp = 0, frac = 0;
	size_t n = 0;
	bool in_frac = false, exp_neg = false;

	if (copy == NULL)
		return -1;
	for (; p < end && *p != 'e' && *p != 'E'; p++) {
		if (*p == '.') {
			in_frac = true;
			continue;
		}
		copy[n++] = *p;
		frac += in_frac;
	}
	if (p < end) {	/* the exponent; huge ones saturate (inf or 0 anyway) */
		p++;
		if (*p == '-' || *p == '+')
			exp_neg = *p++ == '-';
		for (; p < end; p++)
			if (exp < 100000000)
				exp = exp * 10 + (*p - '0');
	}
	exp = (exp_neg ? -exp : exp) - frac;
	copy[n++] = 'e';
	n += fp_i64_to_text(copy + n, exp);
	copy[n] = '\0';
	*out = strtod(copy, NULL);	/* out of range: +-inf or +-0, like Python */
	if (copy != small)
		free(copy);
	return 0;
}

int fp_csv_parse_double(const char *s, size_t len, double *out)
{
	const char *p = s, *end = s + len;
	bool neg = false, exp_neg = false;
	uint64_t mant = 0;
	int sig = 0, dropped = 0, frac = 0, ndigits = 0;
	long exp = 0;

	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	if (p < end && !is_digit(*p) && *p != '.') {
		size_t n = (size_t)(end - p);
		if (word_is(p, n, "nan")) {
			*out = neg ? -NAN : NAN;
			return 0;
		}
		if (word_is(p, n, "inf") || word_is(p, n, "infinity")) {
			*out = neg ? -INFINITY : INFINITY;
			return 0;
		}
		return -1;
	}
	for (; p < end && is_digit(*p); p++, ndigits++) {
		if (sig < 19) {
			mant = mant * 10 + (uint64_t)(*p - '0');
			if (mant)
				sig++;
		} else {
			dropped++;
		}
	}
	if (p < end && *p == '.') {
		for (p++; p < end && is_digit(*p); p++, ndigits++) {
			if (sig < 19) {
				mant = mant * 10 + (uint64_t)(*p - '0');
				if (mant)
					sig++;
				frac++;
			} else if (*p != '0') {
				dropped++;
			}
		}
	}
	if (ndigits == 0)
		return -1;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '-' || *p == '+'))
			exp_neg = *p++ == '-';
		if (p == end || !is_digit(*p))
			return -1;
		for (; p < end && is_digit(*p); p++)
			if (exp < 100000)
				exp = exp * 10 + (*p - '0');
		if (exp_neg)
			exp = -exp;
	}
	if (p != end)
		return -1;
	exp -= frac;
	if (dropped == 0 && mant <= (1ULL << 53) && exp >= -22 && exp <= 22) {
		double d = (double)mant;
		d = exp < 0 ? d / exact_pow10[-exp] : d * exact_pow10[exp];
		*out = neg ? -d : d;
		return 0;
	}
	return slow_strtod(s, len, out);
}

int fp_csv_parse_bool(const char *s, size_t len, bool *out)
{
	if (word_is(s, len, "true"))
		*out = true;
	else if (word_is(s, len, "false"))
		*out = false;
	else
		return -1;
	return 0;
}
