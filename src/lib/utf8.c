/*
 * utf8.c - UTF-8 validation (see utf8.h): one table-free state walk that
 * refuses overlong forms, surrogates and code points past U+10FFFF, as
 * RFC 3629 says a decoder must.
 */
#include "config.h"

#include "lib/utf8.h"

size_t fp_utf8_valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t need;
		unsigned lo = 0x80, hi = 0xBF;	/* range of the first continuation byte */

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;	/* no overlong forms */
			else if (c == 0xED)
				hi = 0x9F;	/* no surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;	/* nothing past U+10FFFF */
		} else {
			return i;
		}
		if (n - i <= need || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= need; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
		i += need + 1;
	}
	return n;
}
