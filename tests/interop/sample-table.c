/*
 * sample-table.c - the deterministic table `fp-parquet-tool write-sample`
 * writes: every type flowprep's writer has, required and optional columns,
 * edge values in the first rows (INT64_MIN, NaN, -0, 5e-324, empty and
 * non-ASCII strings...), nulls on fixed row patterns, one all-null column.
 *
 * A value depends only on (row, column), never on earlier rows, so the
 * row-group and batch sizes do not change the table and fewer rows give a
 * prefix. sample-head.expected holds the first rows as DuckDB reads them.
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "record/batch.h"
#include "record/schema.h"
#include "sample-table.h"

enum sample_kind { K_I32, K_I64, K_F64, K_STR, K_BOOL, K_TS_US_UTC, K_TS_MS, K_TS_NS, K_TS_NS_UTC, K_BIN, K_ALL_NULL };

struct sample_column {
	const char *name;
	enum sample_kind kind;
	bool nullable;
};

static const struct sample_column sample_columns[] = {
	{ "i32_req", K_I32, false },		{ "i32_opt", K_I32, true },
	{ "i64_req", K_I64, false },		{ "i64_opt", K_I64, true },
	{ "f64_req", K_F64, false },		{ "f64_opt", K_F64, true },
	{ "str_req", K_STR, false },		{ "str_opt", K_STR, true },
	{ "bool_req", K_BOOL, false },		{ "bool_opt", K_BOOL, true },
	{ "ts_req", K_TS_US_UTC, false },	{ "ts_opt", K_TS_US_UTC, true },
	{ "ts_ms_opt", K_TS_MS, true },		{ "ts_ns_opt", K_TS_NS, true },
	{ "ts_ns_utc_opt", K_TS_NS_UTC, true },
	{ "bin_opt", K_BIN, true },		{ "all_null", K_ALL_NULL, true },
};
#define SAMPLE_NCOLS (sizeof(sample_columns) / sizeof(sample_columns[0]))

static const int32_t i32_edges[] = { INT32_MIN, INT32_MAX, 0, -1, 1 };
static const int64_t i64_edges[] = { INT64_MIN, INT64_MAX, 0, -1, 9007199254740993LL, -9007199254740993LL,
				     (int64_t)INT32_MIN - 1 };
static const double f64_edges[] = { NAN, INFINITY, -INFINITY, -0.0, 0.0, 4.9406564584124654e-324,
				    DBL_MIN, DBL_MAX, 0.1, 1e21, 1e-7, 123456789.125, -1.5, 9007199254740993.0,
				    1e-6 / 3, 0x1p-1022 * 0x1p-30, 5e-7, 1e20, 123e-20 };
static const char *const str_edges[] = { "", "a", "h\xc3\xa9llo w\xc3\xb6rld", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
					 "\xf0\x9f\x99\x82 emoji", "tab\there", "quote \" and back\\slash",
					 "line1\nline2\r\n", "\x01\x1f\x7f\b\f", NULL /* long */ };
static const char *const protocols[] = { "tcp", "udp", "icmp", "gre", "sctp" };
static const int64_t ts_us_edges[] = { 0, -1, -86400000000LL, 1700000000123456LL, 4102444800000000LL };
static const int64_t ts_ms_edges[] = { 0, -1, 1700000000123LL, -2208988800000LL, 4102444800999LL };
static const int64_t ts_ns_edges[] = { 0, -1, 1700000000123456789LL, -2208988800000000001LL };

#define NEDGES(a) (sizeof(a) / sizeof(a[0]))

/* splitmix64: the value of (row, column) without any state. */
static uint64_t cell_hash(uint64_t row, uint64_t col)
{
	uint64_t z = row * 0x9e3779b97f4a7c15ULL + col * 0xbf58476d1ce4e5b9ULL + 0x632be59bd9b4e5f5ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool sample_is_null(const struct sample_column *sc, size_t row, size_t col, size_t nedges)
{
	if (sc->kind == K_ALL_NULL)
		return true;
	if (!sc->nullable || row < nedges)
		return false;
	return row % (5 + col % 7) == 3;
}

static double sample_double(size_t row, uint64_t h)
{
	double d;

	if (row < NEDGES(f64_edges))
		return f64_edges[row];
	if (row % 2) {
		memcpy(&d, &h, sizeof(d));	/* any bit pattern: every exponent */
		return d;
	}
	return (double)(int64_t)(h >> 20) / 1000.0;
}

static int put_sample_string(struct fp_batch *b, size_t j, size_t row, uint64_t h, bool required)
{
	char buf[1200];

	if (!required && row < NEDGES(str_edges)) {
		const char *s = str_edges[row];
		if (s == NULL) {	/* the long one */
			memset(buf, 'x', 1100);
			snprintf(buf + 1100, 20, "-%zu", row);
			s = buf;
		}
		return fp_batch_put_bytes(b, j, s, strlen(s));
	}
	if (h % 10 < 7)		/* mostly a few values: dictionary-friendly */
		return fp_batch_put_bytes(b, j, protocols[h % 5], strlen(protocols[h % 5]));
	if (h % 97 == 0) {	/* now and then a long one */
		memset(buf, 'a' + (int)(h % 26), 300);
		return fp_batch_put_bytes(b, j, buf, 300);
	}
	snprintf(buf, sizeof(buf), "host-%u.example", (unsigned)(h % 1000));
	return fp_batch_put_bytes(b, j, buf, strlen(buf));
}

static size_t kind_edges(enum sample_kind k)
{
	switch (k) {
	case K_I32: return NEDGES(i32_edges);
	case K_I64: return NEDGES(i64_edges);
	case K_F64: return NEDGES(f64_edges);
	case K_STR: return NEDGES(str_edges);
	case K_TS_US_UTC: return NEDGES(ts_us_edges);
	case K_TS_MS: return NEDGES(ts_ms_edges);
	case K_TS_NS:
	case K_TS_NS_UTC: return NEDGES(ts_ns_edges);
	default: return 2;
	}
}

static int put_sample_cell(struct fp_batch *b, size_t j, size_t row)
{
	const struct sample_column *sc = &sample_columns[j];
	uint64_t h = cell_hash(row, j);
	size_t ne = kind_edges(sc->kind);
	bool edge = row < ne;

	if (sample_is_null(sc, row, j, ne)) {
		fp_batch_put_null(b, j);
		return 0;
	}
	switch (sc->kind) {
	case K_I32:
		fp_batch_put_i32(b, j, edge ? i32_edges[row] : (int32_t)(uint32_t)h);
		break;
	case K_I64:
		fp_batch_put_i64(b, j, edge ? i64_edges[row] : (int64_t)h);
		break;
	case K_F64:
		fp_batch_put_f64(b, j, sample_double(row, h));
		break;
	case K_STR:
		return put_sample_string(b, j, row, h, !sc->nullable);
	case K_BOOL:
		fp_batch_put_bool(b, j, (h >> 7) & 1);
		break;
	case K_TS_US_UTC:
		fp_batch_put_i64(b, j, edge ? ts_us_edges[row] : 1700000000000000LL + (int64_t)row * 1234567 + (int64_t)(h % 1000));
		break;
	case K_TS_MS:
		fp_batch_put_i64(b, j, edge ? ts_ms_edges[row] : 1600000000000LL + (int64_t)row * 60001 + (int64_t)(h % 1000));
		break;
	case K_TS_NS:
		fp_batch_put_i64(b, j, edge ? ts_ns_edges[row] : 1700000000000000000LL + (int64_t)row * 1000000007 + (int64_t)(h % 1000000000));
		break;
	case K_TS_NS_UTC:	/* before 1970 too, where truncation and floor differ */
		fp_batch_put_i64(b, j, edge ? -ts_ns_edges[row] - 1 : 1600000000000000000LL - (int64_t)row * 999999937 - (int64_t)(h % 1000000000));
		break;
	case K_BIN: {
		unsigned char bytes[16];
		size_t len = row % 6 == 0 ? 0 : 1 + h % 12;
		for (size_t k = 0; k < len; k++)
			bytes[k] = (unsigned char)(cell_hash(row, j + 100 + k) & 0xff);
		return fp_batch_put_bytes(b, j, bytes, len);
	}
	case K_ALL_NULL:
		break;
	}
	return 0;
}

struct fp_schema *sample_schema(void)
{
	struct fp_schema *s = fp_schema_new("interop-sample", "v1");

	if (s == NULL)
		return NULL;
	for (size_t j = 0; j < SAMPLE_NCOLS; j++) {
		const struct sample_column *sc = &sample_columns[j];
		static const enum fp_type types[] = {
			[K_I32] = FP_TYPE_INT32, [K_I64] = FP_TYPE_INT64, [K_F64] = FP_TYPE_DOUBLE,
			[K_STR] = FP_TYPE_STRING, [K_BOOL] = FP_TYPE_BOOL, [K_TS_US_UTC] = FP_TYPE_TIMESTAMP,
			[K_TS_MS] = FP_TYPE_TIMESTAMP, [K_TS_NS] = FP_TYPE_TIMESTAMP, [K_TS_NS_UTC] = FP_TYPE_TIMESTAMP,
			[K_BIN] = FP_TYPE_BINARY,
			[K_ALL_NULL] = FP_TYPE_INT64,
		};
		struct fp_field *f = fp_schema_add(s, sc->name, types[sc->kind], sc->nullable);
		if (f == NULL) {
			fp_schema_free(s);
			return NULL;
		}
		if (sc->kind == K_TS_MS)
			f->time_unit = FP_UNIT_MILLIS;
		if (sc->kind == K_TS_NS || sc->kind == K_TS_NS_UTC)
			f->time_unit = FP_UNIT_NANOS;
		/* local time too: it is written without isAdjustedToUTC */
		f->time_utc = sc->kind == K_TS_US_UTC || sc->kind == K_TS_NS_UTC;
	}
	return s;
}

int sample_put_row(struct fp_batch *b, size_t row)
{
	for (size_t j = 0; j < SAMPLE_NCOLS; j++) {
		if (put_sample_cell(b, j, row) < 0)
			return -1;
	}
	fp_batch_end_row(b);
	return 0;
}
