/*
 * cell-text.c - values as text for the terminal: integers as they are,
 * doubles in their shortest round-trip form, timestamps as UTC date-times
 * in their stored precision, strings with control characters escaped,
 * binary as hex, null as NULL.
 */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cell-text.h"
#include "lib/number-text.h"

#define CELL_MAX_WIDTH 40

/* The code point at s (advancing *len bytes); invalid bytes count as one
 * column each (the CSV reader has replaced them already). */
static uint32_t next_code_point(const unsigned char *s, size_t *len)
{
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0 && (s[1] & 0xc0) == 0x80) {
		*len = 2;
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	}
	if ((s[0] & 0xf0) == 0xe0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		*len = 3;
		return (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	}
	if ((s[0] & 0xf8) == 0xf0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80) {
		*len = 4;
		return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 | (uint32_t)(s[2] & 0x3f) << 6 |
		       (s[3] & 0x3f);
	}
	*len = 1;
	return 0xfffd;
}

/* Terminal columns of a code point: 0 for combining marks and joiners, 2
 * for East Asian wide and full-width characters and emoji, else 1 (the
 * ranges of Unicode's EastAsianWidth W/F and the common emoji blocks;
 * independent of the locale, so the layout is the same everywhere). */
static int code_point_width(uint32_t c)
{
	static const uint32_t zero[][2] = {
		{ 0x0300, 0x036f }, { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff }, { 0x200b, 0x200f },
		{ 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f }, { 0xe0100, 0xe01ef },
	};
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a }, { 0x23e9, 0x23ec }, { 0x25fd, 0x25fe },
		{ 0x2614, 0x2615 }, { 0x2648, 0x2653 }, { 0x26aa, 0x26ab }, { 0x26bd, 0x26be }, { 0x26c4, 0x26c5 },
		{ 0x2705, 0x2705 }, { 0x270a, 0x270b }, { 0x2728, 0x2728 }, { 0x274c, 0x274c }, { 0x2753, 0x2755 },
		{ 0x2757, 0x2757 }, { 0x2795, 0x2797 }, { 0x2b1b, 0x2b1c }, { 0x2b50, 0x2b50 }, { 0x2b55, 0x2b55 },
		{ 0x2e80, 0x303e }, { 0x3041, 0x33ff }, { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
		{ 0xa960, 0xa97f }, { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe10, 0xfe19 }, { 0xfe30, 0xfe6f },
		{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x16fe0, 0x18cff }, { 0x1b000, 0x1b2ff }, { 0x1f004, 0x1f004 },
		{ 0x1f0cf, 0x1f0cf }, { 0x1f18e, 0x1f18e }, { 0x1f191, 0x1f19a }, { 0x1f200, 0x1f251 },
		{ 0x1f300, 0x1f64f }, { 0x1f680, 0x1f6ff }, { 0x1f7e0, 0x1f7eb }, { 0x1f90c, 0x1f9ff },
		{ 0x1fa70, 0x1faff }, { 0x20000, 0x3fffd },
	};

	if (c == 0x200d)
		return 0;
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (c >= zero[i][0] && c <= zero[i][1])
			return 0;
	if (c < 0x1100)
		return 1;
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (c >= wide[i][0] && c <= wide[i][1])
			return 2;
	return 1;
}

size_t display_width(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t w = 0, len;

	while (*u) {
		w += (size_t)code_point_width(next_code_point(u, &len));
		for (size_t i = 0; i < len && *u; i++)
			u++;
	}
	return w;
}

/* The fewest %g digits that read back (the shared formatter, peek's layout). */
static void shortest_double(double v, char *buf, size_t size)
{
	char text[FP_NUMBER_TEXT_MAX];
	size_t n = fp_double_to_text_g(text, v);

	snprintf(buf, size, "%.*s", (int)n, text);
}

static void timestamp_text(int64_t v, enum fp_time_unit unit, char *buf, size_t size)
{
	static const int64_t per_second[] = { 1000, 1000000, 1000000000 };
	static const int digits[] = { 3, 6, 9 };
	int64_t scale = per_second[unit];
	int64_t secs = v / scale, frac = v % scale;
	struct tm tm;
	time_t t;
	char date[32];

	if (frac < 0) {
		frac += scale;
		secs--;
	}
	t = (time_t)secs;
	if (gmtime_r(&t, &tm) == NULL || strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm) == 0) {
		snprintf(buf, size, "%" PRId64, v);
		return;
	}
	snprintf(buf, size, "%s.%0*" PRId64, date, digits[unit], frac);
}

/* Copies bytes as printable text: control characters become \n, \t, \xNN. */
static void escaped_text(const char *p, size_t len, char *buf, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 5 < size; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else if (c == '\t') {
			buf[o++] = '\\';
			buf[o++] = 't';
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		} else {
			buf[o++] = (char)c;
		}
	}
	buf[o] = '\0';
}

static void hex_text(const char *p, size_t len, char *buf, size_t size)
{
	size_t o = (size_t)snprintf(buf, size, "0x");

	for (size_t i = 0; i < len && o + 3 < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%02x", (unsigned char)p[i]);
}

/* Cuts text to at most CELL_MAX_WIDTH terminal columns, ending with "…"
 * when something was cut (a wide character is never split). */
static void cut_to_width(char *buf, size_t size)
{
	const unsigned char *u = (const unsigned char *)buf;
	size_t w = 0, i = 0, keep = 0, len;

	if (display_width(buf) <= CELL_MAX_WIDTH)
		return;
	while (u[i]) {
		size_t cw = (size_t)code_point_width(next_code_point(u + i, &len));
		if (w + cw > CELL_MAX_WIDTH - 1)
			break;
		w += cw;
		for (size_t k = 0; k < len && u[i]; k++)
			i++;
		keep = i;
	}
	if (keep + 4 <= size)
		memcpy(buf + keep, "\xe2\x80\xa6", 4);
}

void fit_text(char *buf, size_t size)
{
	cut_to_width(buf, size);
}

size_t cell_text(const struct fp_batch *b, size_t col, size_t row, char *buf, size_t size)
{
	const struct fp_column *c = &b->cols[col];
	const struct fp_field *f = &b->schema->fields[col];
	const char *p;
	size_t len;

	if (!fp_column_is_valid(c, row)) {
		snprintf(buf, size, "NULL");
		return 4;
	}
	switch (c->type) {
	case FP_TYPE_BOOL: snprintf(buf, size, "%s", c->v.b[row] ? "true" : "false"); break;
	case FP_TYPE_INT32: snprintf(buf, size, "%" PRId32, c->v.i32[row]); break;
	case FP_TYPE_INT64: snprintf(buf, size, "%" PRId64, c->v.i64[row]); break;
	case FP_TYPE_DOUBLE: shortest_double(c->v.f64[row], buf, size); break;
	case FP_TYPE_TIMESTAMP: timestamp_text(c->v.i64[row], f->time_unit, buf, size); break;
	case FP_TYPE_STRING:
		p = fp_column_bytes(c, row, &len);
		escaped_text(p, len, buf, size);
		break;
	case FP_TYPE_BINARY:
		p = fp_column_bytes(c, row, &len);
		hex_text(p, len, buf, size);
		break;
	}
	cut_to_width(buf, size);
	return display_width(buf);
}
