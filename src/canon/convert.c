/*
 * convert.c - cells to canonical values (convert.h).
 *
 * First the cell is read into a `struct cell` (what kind of thing it is:
 * integer, float, epoch timestamp in a known unit, or text), then one
 * function per target format judges it. Text that is a number is read as
 * that number, so a CSV column and a Parquet column of the same export
 * give the same values.
 */
#include "config.h"

#include <arpa/inet.h>
#include <math.h>
#include <string.h>

#include "canon/convert.h"
#include "canon/protocol.h"
#include "format/csv/csv-number.h"
#include "lib/ip-text.h"

enum cell_kind { CELL_INT, CELL_FLOAT, CELL_TIME, CELL_TEXT };

struct cell {
	enum cell_kind kind;
	int64_t i;		/* INT; TIME: in `time_unit` */
	double f;		/* FLOAT */
	enum fp_time_unit time_unit;
	bool time_utc;
	const char *p;		/* TEXT (trimmed) */
	size_t len;
};

static bool is_blank_word(const char *p, size_t n)
{
	return n == 0 || (n == 1 && p[0] == '-');
}

/* Reads the cell; false when it is null. */
static bool read_cell(const struct fp_column *c, const struct fp_field *f, size_t row, struct cell *cell)
{
	if (!fp_column_is_valid(c, row))
		return false;
	switch (c->type) {
	case FP_TYPE_BOOL: cell->kind = CELL_INT; cell->i = c->v.b[row]; return true;
	case FP_TYPE_INT32: cell->kind = CELL_INT; cell->i = c->v.i32[row]; return true;
	case FP_TYPE_INT64: cell->kind = CELL_INT; cell->i = c->v.i64[row]; return true;
	case FP_TYPE_DOUBLE: cell->kind = CELL_FLOAT; cell->f = c->v.f64[row]; return true;
	case FP_TYPE_TIMESTAMP:
		cell->kind = CELL_TIME;
		cell->i = c->v.i64[row];
		cell->time_unit = f->time_unit;
		cell->time_utc = f->time_utc;
		return true;
	case FP_TYPE_STRING:
	case FP_TYPE_BINARY:
		cell->kind = CELL_TEXT;
		cell->p = fp_csv_trim(fp_column_bytes(c, row, &cell->len), &cell->len);
		return !is_blank_word(cell->p, cell->len);
	}
	return false;
}

/* "0x" and 1 to 15 hex digits: UNSW-NB15 writes some ports this way. */
static bool parse_hex(const char *p, size_t n, int64_t *out)
{
	int64_t v = 0;

	if (n < 3 || n > 17 || p[0] != '0' || (p[1] | 0x20) != 'x')
		return false;
	for (size_t i = 2; i < n; i++) {
		char c = (char)(p[i] | 0x20);
		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

/* Text that is a number becomes an INT or FLOAT cell. */
static void number_from_text(struct cell *cell)
{
	if (cell->kind != CELL_TEXT)
		return;
	if (fp_csv_parse_i64(cell->p, cell->len, &cell->i) == 0 || parse_hex(cell->p, cell->len, &cell->i))
		cell->kind = CELL_INT;
	else if (fp_csv_parse_double(cell->p, cell->len, &cell->f) == 0)
		cell->kind = CELL_FLOAT;
}

/* ------------------------------------------------------------ integers */

static enum fp_canon_result to_integer(const struct cell *cell, int64_t min, int64_t max, int64_t *out,
				       const char **why)
{
	if (cell->kind == CELL_FLOAT) {
		if (!isfinite(cell->f)) {
			*why = "is not a finite number";
			return FP_CANON_BAD;
		}
		if (cell->f != floor(cell->f) || fabs(cell->f) > 9e15) {
			*why = "is not a whole number";
			return FP_CANON_BAD;
		}
		*out = (int64_t)cell->f;
	} else if (cell->kind == CELL_INT) {
		*out = cell->i;
	} else {
		*why = cell->kind == CELL_TIME ? "is a timestamp, not a number" : "is not a number";
		return FP_CANON_BAD;
	}
	if (*out < min) {
		*why = *out < 0 && min == 0 ? "is negative" : "is out of range";
		return FP_CANON_BAD;
	}
	if (*out > max) {
		*why = "is out of range";
		return FP_CANON_BAD;
	}
	return FP_CANON_VALUE;
}

static enum fp_canon_result to_protocol(struct cell *cell, int64_t *out, const char **why)
{
	if (cell->kind == CELL_TEXT) {
		int n = fp_canon_protocol_number(cell->p, cell->len);
		if (n < 0) {
			*why = "is not an IP protocol number or name";
			return FP_CANON_BAD;
		}
		*out = n;
		return FP_CANON_VALUE;
	}
	return to_integer(cell, 0, 255, out, why);
}

/* ------------------------------------------------------------ addresses */

/* Is the text already an IPv4 address as RFC 5952 / inet_ntop write it
 * (four decimal octets, no leading zeros)? Then it is its own canonical
 * text, and the common case costs one scan. */
static bool canonical_ipv4(const char *p, size_t n)
{
	size_t i = 0;

	for (int octet = 0; octet < 4; octet++) {
		unsigned v = 0, digits = 0;
		if (octet > 0 && (i >= n || p[i++] != '.'))
			return false;
		while (i < n && p[i] >= '0' && p[i] <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(p[i++] - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && p[i - digits] == '0'))
			return false;
	}
	return i == n;
}

static enum fp_canon_result to_ip(const struct cell *cell, struct fp_canon_value *v, const char **why)
{
	uint8_t addr[16];
	char text[FP_CANON_TEXT_MAX];

	if (cell->kind == CELL_INT) {
		/* some datasets store an IPv4 address as its 32-bit number */
		if (cell->i < 0 || cell->i > UINT32_MAX) {
			*why = "is not an IPv4 address as a number";
			return FP_CANON_BAD;
		}
		for (int k = 0; k < 4; k++)
			addr[k] = (uint8_t)(cell->i >> (24 - 8 * k));
		v->len = fp_ip_text(addr, 4, v->text);
		v->p = v->text;
		return FP_CANON_VALUE;
	}
	if (cell->kind != CELL_TEXT || cell->len >= sizeof(text)) {
		*why = "is not an IP address";
		return FP_CANON_BAD;
	}
	if (canonical_ipv4(cell->p, cell->len)) {
		v->p = cell->p;
		v->len = cell->len;
		return FP_CANON_VALUE;
	}
	memcpy(text, cell->p, cell->len);
	text[cell->len] = '\0';
	if (inet_pton(AF_INET, text, addr) == 1)
		v->len = fp_ip_text(addr, 4, v->text);
	else if (inet_pton(AF_INET6, text, addr) == 1)
		v->len = fp_ip_text(addr, 6, v->text);
	else {
		*why = "is not an IP address";
		return FP_CANON_BAD;
	}
	v->p = v->text;
	return FP_CANON_VALUE;
}

/* ------------------------------------------------------------ time */

static enum fp_canon_result to_duration(const struct cell *cell, enum fp_canon_unit unit, double *out,
					const char **why)
{
	double v;

	if (cell->kind == CELL_INT)
		v = (double)cell->i;
	else if (cell->kind == CELL_FLOAT)
		v = cell->f;
	else {
		*why = cell->kind == CELL_TIME ? "is a timestamp, not a duration" : "is not a number";
		return FP_CANON_BAD;
	}
	if (!isfinite(v)) {
		*why = "is not a finite number";
		return FP_CANON_BAD;
	}
	if (v < 0) {
		*why = "is negative";
		return FP_CANON_BAD;
	}
	*out = v / (double)fp_canon_unit_per_second(unit);
	return FP_CANON_VALUE;
}

static int typed_time_to_us(const struct cell *cell, const struct fp_canon_time_options *o, int64_t *us,
			    const char **why)
{
	int64_t v = cell->i;

	switch (cell->time_unit) {
	case FP_UNIT_MILLIS:
		if (v > INT64_MAX / 1000 || v < INT64_MIN / 1000) {
			*why = "is out of range";
			return -1;
		}
		v *= 1000;
		break;
	case FP_UNIT_MICROS: break;
	case FP_UNIT_NANOS: v = v >= 0 ? v / 1000 : -((-v + 999) / 1000); break;
	}
	if (!cell->time_utc)	/* naive: wall-clock time at --timezone */
		v -= (int64_t)o->tz_offset_s * 1000000;
	if (v < 0) {
		*why = "is before 1970";
		return -1;
	}
	*us = v;
	return 0;
}

static enum fp_canon_result to_time(const struct cell *cell, enum fp_canon_unit unit,
				    const struct fp_canon_time_options *o, int64_t *us, const char **why)
{
	int rc;

	switch (cell->kind) {
	case CELL_TIME: rc = typed_time_to_us(cell, o, us, why); break;
	case CELL_INT: rc = fp_canon_epoch_i64_to_us(cell->i, unit, us, why); break;
	case CELL_FLOAT: rc = fp_canon_epoch_f64_to_us(cell->f, unit, us, why); break;
	case CELL_TEXT: rc = fp_canon_parse_datetime(cell->p, cell->len, o, us, why); break;
	default: rc = -1; break;
	}
	return rc < 0 ? FP_CANON_BAD : FP_CANON_VALUE;
}

/* ------------------------------------------------------------ plain */

static enum fp_canon_result to_plain(const struct fp_canon_target *t, const struct cell *cell,
				     struct fp_canon_value *v, const char **why)
{
	switch (t->field->type) {
	case FP_TYPE_STRING:
	case FP_TYPE_BINARY:
		if (cell->kind != CELL_TEXT) {
			*why = "is not text";
			return FP_CANON_BAD;
		}
		v->p = cell->p;
		v->len = cell->len;
		return FP_CANON_VALUE;
	case FP_TYPE_DOUBLE:
		if (cell->kind == CELL_INT)
			v->f = (double)cell->i;
		else if (cell->kind == CELL_FLOAT)
			v->f = cell->f;
		else {
			*why = "is not a number";
			return FP_CANON_BAD;
		}
		return FP_CANON_VALUE;
	case FP_TYPE_BOOL: return to_integer(cell, 0, 1, &v->i, why);
	case FP_TYPE_INT32: return to_integer(cell, INT32_MIN, INT32_MAX, &v->i, why);
	case FP_TYPE_INT64: return to_integer(cell, INT64_MIN, INT64_MAX, &v->i, why);
	case FP_TYPE_TIMESTAMP: break;
	}
	*why = "cannot be converted";
	return FP_CANON_BAD;
}

/* The integer range of an integer format, or false. */
static bool int_range(const struct fp_canon_target *t, int64_t *lo, int64_t *hi)
{
	switch (t->format) {
	case FP_CANON_PORT: *lo = 0; *hi = 65535; return true;
	case FP_CANON_IP_PROTOCOL: *lo = 0; *hi = 255; return true;
	case FP_CANON_COUNT: *lo = 0; *hi = INT64_MAX; return true;
	case FP_CANON_PLAIN:
		if (t->field->type == FP_TYPE_INT32) {
			*lo = INT32_MIN;
			*hi = INT32_MAX;
			return true;
		}
		if (t->field->type == FP_TYPE_INT64) {
			*lo = INT64_MIN;
			*hi = INT64_MAX;
			return true;
		}
		return false;
	default: return false;
	}
}

void fp_canon_source_prepare(const struct fp_canon_target *t, struct fp_canon_source *s)
{
	enum fp_type in = s->field->type;

	s->fast = FP_CANON_FAST_NONE;
	if ((in == FP_TYPE_INT32 || in == FP_TYPE_INT64) && int_range(t, &s->lo, &s->hi))
		s->fast = FP_CANON_FAST_INT;
	else if (in == FP_TYPE_DOUBLE && t->format == FP_CANON_DURATION && s->unit == FP_CANON_UNIT_S)
		s->fast = FP_CANON_FAST_SECONDS;
}

enum fp_canon_result fp_canon_convert(const struct fp_canon_target *t, const struct fp_canon_source *s,
				      const struct fp_column *col, size_t row, const struct fp_canon_time_options *time,
				      struct fp_canon_value *out, const char **why)
{
	struct cell cell;

	if (!read_cell(col, s->field, row, &cell))
		return FP_CANON_NULL;
	if (t->format == FP_CANON_TIME) {
		if (cell.kind == CELL_TEXT && (cell.p[0] >= '0' && cell.p[0] <= '9') && cell.len <= 20 &&
		    memchr(cell.p, '-', cell.len) == NULL && memchr(cell.p, '/', cell.len) == NULL &&
		    memchr(cell.p, ':', cell.len) == NULL)
			number_from_text(&cell);
		return to_time(&cell, s->unit, time, &out->i, why);
	}
	if (t->format == FP_CANON_IP) {
		if (cell.kind == CELL_TEXT && memchr(cell.p, '.', cell.len) == NULL &&
		    memchr(cell.p, ':', cell.len) == NULL)
			number_from_text(&cell);
		return to_ip(&cell, out, why);
	}
	if (t->format != FP_CANON_PLAIN || t->field->type != FP_TYPE_STRING)
		number_from_text(&cell);
	switch (t->format) {
	case FP_CANON_PORT: return to_integer(&cell, 0, 65535, &out->i, why);
	case FP_CANON_IP_PROTOCOL: return to_protocol(&cell, &out->i, why);
	case FP_CANON_COUNT: return to_integer(&cell, 0, INT64_MAX, &out->i, why);
	case FP_CANON_DURATION: return to_duration(&cell, s->unit, &out->f, why);
	default: return to_plain(t, &cell, out, why);
	}
}
