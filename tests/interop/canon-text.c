/*
 * canon-text.c - the canonical text dump of a record batch, byte for byte
 * the form tests/interop/lib/canon.mjs defines for DuckDB and arrow-rs:
 * a '#' header of "name":type:nullable|required entries, then one
 * TAB-separated line per row; \N for null, doubles as ECMAScript's
 * Number::toString plus -0, strings as JSON.stringify, binary as 0x + hex,
 * timestamps as nanoseconds since the epoch.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/batch.h"
#include "record/schema.h"
#include "canon-text.h"

/* Splits "%.*e" output ("d.ddde+XX") into its digits as an integer and the
 * power of ten of the last digit. */
static void split_e_format(const char *buf, uint64_t *mant, int *pow10)
{
	const char *s;
	int ndigits = 0;

	*mant = 0;
	for (s = buf; *s != 'e'; s++) {
		if (*s != '.') {
			*mant = *mant * 10 + (uint64_t)(*s - '0');
			ndigits++;
		}
	}
	*pow10 = atoi(s + 1) - (ndigits - 1);
}

/* v = mant x 10^pow10 as digits without trailing zeros and exp10 such
 * that v = 0.d1d2... x 10^exp10. */
static void set_digits(uint64_t mant, int pow10, char *digits, size_t size, int *exp10)
{
	char full[24];
	size_t n;

	snprintf(full, sizeof(full), "%" PRIu64, mant);
	n = strlen(full);
	*exp10 = pow10 + (int)n;
	while (n > 1 && full[n - 1] == '0')
		n--;
	full[n] = '\0';
	snprintf(digits, size, "%s", full);
}

/* Shortest decimal digits of v > 0 (finite) that read back as v, as
 * ECMAScript picks them: the fewest digits, and of those the nearest. */
static void shortest_digits(double v, char *digits, size_t size, int *exp10)
{
	char buf[48];
	uint64_t mant;
	int pow10;

	for (int p = 1; p <= 17; p++) {
		snprintf(buf, sizeof(buf), "%.*e", p - 1, v);
		split_e_format(buf, &mant, &pow10);
		if (strtod(buf, NULL) == v) {
			set_digits(mant, pow10, digits, size, exp10);
			return;
		}
		/* At a power of two the gap below v is half the gap above: the
		 * nearest p-digit decimal (below) may miss while the next one
		 * up still reads back as v. */
		snprintf(buf, sizeof(buf), "%" PRIu64 "e%d", mant + 1, pow10);
		if (strtod(buf, NULL) == v) {
			set_digits(mant + 1, pow10, digits, size, exp10);
			return;
		}
	}
	/* 17 significant digits always read back; not reached */
	snprintf(buf, sizeof(buf), "%.16e", v);
	split_e_format(buf, &mant, &pow10);
	set_digits(mant, pow10, digits, size, exp10);
}

/* ECMAScript Number::toString(v) (radix 10), plus "-0" for negative zero.
 * `out` needs 32 bytes. */
void canon_format_double(double v, char out[32])
{
	char d[24];
	char *o = out;
	int n, k;

	if (isnan(v)) {
		strcpy(out, "NaN");
		return;
	}
	if (signbit(v))
		*o++ = '-';
	if (isinf(v)) {
		strcpy(o, "Infinity");
		return;
	}
	if (v == 0) {
		strcpy(o, "0");
		return;
	}
	shortest_digits(fabs(v), d, sizeof(d), &n);
	k = (int)strlen(d);
	if (k <= n && n <= 21) {		/* 123000 */
		o += sprintf(o, "%s", d);
		for (int i = k; i < n; i++)
			*o++ = '0';
		*o = '\0';
	} else if (0 < n && n <= 21) {		/* 123.25 */
		sprintf(o, "%.*s.%s", n, d, d + n);
	} else if (-6 < n && n <= 0) {		/* 0.00125 */
		o += sprintf(o, "0.");
		for (int i = n; i < 0; i++)
			*o++ = '0';
		strcpy(o, d);
	} else {				/* 1.25e+21, 5e-324 */
		int e = n - 1;
		if (k == 1)
			o += sprintf(o, "%s", d);
		else
			o += sprintf(o, "%c.%s", d[0], d + 1);
		sprintf(o, "e%c%d", e >= 0 ? '+' : '-', abs(e));
	}
}

/* JSON.stringify of a string whose bytes are UTF-8. */
static void put_json_string(FILE *out, const char *s, size_t len)
{
	putc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (c < 0x20)
				fprintf(out, "\\u%04x", c);
			else
				putc(c, out);
		}
	}
	putc('"', out);
}

static void put_hex(FILE *out, const char *s, size_t len)
{
	static const char digit[] = "0123456789abcdef";

	fputs("0x", out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		putc(digit[c >> 4], out);
		putc(digit[c & 15], out);
	}
}

/* Nanoseconds since the epoch, exactly: scaling by appending zeros cannot
 * overflow as multiplying an int64 would. */
static void put_timestamp_ns(FILE *out, int64_t v, enum fp_time_unit unit)
{
	fprintf(out, "%" PRId64, v);
	if (v == 0)
		return;
	if (unit == FP_UNIT_MILLIS)
		fputs("000000", out);
	else if (unit == FP_UNIT_MICROS)
		fputs("000", out);
}

static void put_cell(FILE *out, const struct fp_field *f, const struct fp_column *c, size_t row)
{
	char num[32];
	const char *p;
	size_t len;

	if (!fp_column_is_valid(c, row)) {
		fputs("\\N", out);
		return;
	}
	switch (f->type) {
	case FP_TYPE_BOOL:
		fputs(c->v.b[row] ? "true" : "false", out);
		break;
	case FP_TYPE_INT32:
		fprintf(out, "%" PRId32, c->v.i32[row]);
		break;
	case FP_TYPE_INT64:
		fprintf(out, "%" PRId64, c->v.i64[row]);
		break;
	case FP_TYPE_DOUBLE:
		canon_format_double(c->v.f64[row], num);
		fputs(num, out);
		break;
	case FP_TYPE_STRING:
		p = fp_column_bytes(c, row, &len);
		put_json_string(out, p, len);
		break;
	case FP_TYPE_BINARY:
		p = fp_column_bytes(c, row, &len);
		put_hex(out, p, len);
		break;
	case FP_TYPE_TIMESTAMP:
		put_timestamp_ns(out, c->v.i64[row], f->time_unit);
		break;
	}
}

static const char *canonical_type(const struct fp_field *f, char *buf, size_t size)
{
	static const char *const unit[] = {
		[FP_UNIT_MILLIS] = "ms", [FP_UNIT_MICROS] = "us", [FP_UNIT_NANOS] = "ns",
	};

	switch (f->type) {
	case FP_TYPE_BOOL: return "bool";
	case FP_TYPE_INT32: return "int32";
	case FP_TYPE_INT64: return "int64";
	case FP_TYPE_DOUBLE: return "double";
	case FP_TYPE_STRING: return "string";
	case FP_TYPE_BINARY: return "binary";
	case FP_TYPE_TIMESTAMP:
		snprintf(buf, size, "timestamp[%s%s]", unit[f->time_unit], f->time_utc ? ",UTC" : "");
		return buf;
	}
	return "unsupported(?)";
}

void canon_put_header(FILE *out, const struct fp_schema *s)
{
	char buf[32];

	putc('#', out);
	for (size_t i = 0; i < s->nfields; i++) {
		const struct fp_field *f = &s->fields[i];
		if (i > 0)
			putc('\t', out);
		put_json_string(out, f->name, strlen(f->name));
		fprintf(out, ":%s:%s", canonical_type(f, buf, sizeof(buf)), f->nullable ? "nullable" : "required");
	}
	putc('\n', out);
}

void canon_put_row(FILE *out, const struct fp_batch *b, size_t row)
{
	const struct fp_schema *s = b->schema;

	for (size_t j = 0; j < s->nfields; j++) {
		if (j > 0)
			putc('\t', out);
		put_cell(out, &s->fields[j], &b->cols[j], row);
	}
	putc('\n', out);
}
