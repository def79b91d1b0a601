/*
 * cell-text.c - values as text for the terminal: integers as they are,
 * doubles in their shortest round-trip form, timestamps as UTC date-times
 * in their stored precision, strings with control characters escaped,
 * binary as hex, null as NULL.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cell-text.h"
#include "lib/number-text.h"

#define CELL_MAX_WIDTH 40

size_t display_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
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

/* Cuts text to CELL_MAX_WIDTH code points, ending with "…". */
static void cut_to_width(char *buf, size_t size)
{
	size_t w = 0, i;

	for (i = 0; buf[i]; i++) {
		if (((unsigned char)buf[i] & 0xc0) != 0x80 && ++w == CELL_MAX_WIDTH)
			break;
	}
	if (buf[i] == '\0' || i + 4 > size)
		return;
	/* i is the first byte of the 40th code point: replace it and the rest */
	if (display_width(buf + i) > 1)
		memcpy(buf + i, "\xe2\x80\xa6", 4);
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
