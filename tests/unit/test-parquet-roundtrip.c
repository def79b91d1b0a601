/*
 * test-parquet-roundtrip.c - files written by flowprep's Parquet writer,
 * read back by flowprep's Parquet reader (only through parquet.h), must
 * give back every value: every type, nulls, NaN and -0.0, empty and long
 * strings, every codec, with and without dictionaries, empty tables, one
 * row, many row groups and pages.
 *
 * Values come from a deterministic function of (row, column), so the
 * check needs no copy of what was written. Set FP_PARQUET_KEEP_DIR to keep
 * the files (e.g. to run an external checker on them).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/parquet/parquet.h"
#include "record/batch.h"
#include "record/schema.h"
#include "test.h"

enum col {
	C_FLAG,		/* bool, nullable */
	C_PORT,		/* int32, required, low cardinality */
	C_I32,		/* int32, nullable, full range */
	C_I64,		/* int64, required, unique */
	C_COUNT,	/* int64, nullable, few values */
	C_DUR,		/* double, nullable: NaN, infinities, -0.0 */
	C_IP,		/* string, required, repeats (dictionary) */
	C_NOTE,		/* string, nullable: empty, long, non-ASCII */
	C_BLOB,		/* binary, nullable, with zero bytes */
	C_TS_US,	/* timestamp us UTC, required */
	C_TS_MS,	/* timestamp ms local, nullable */
	C_TS_NS,	/* timestamp ns UTC, required */
	C_ALLNULL,	/* int64, nullable, always null */
	NCOLS
};

static struct fp_schema *make_schema(void)
{
	struct fp_schema *s = fp_schema_new("roundtrip", "v1");
	struct fp_field *f;

	fp_schema_add(s, "flag", FP_TYPE_BOOL, true);
	fp_schema_add(s, "port", FP_TYPE_INT32, false);
	fp_schema_add(s, "i32", FP_TYPE_INT32, true);
	fp_schema_add(s, "i64", FP_TYPE_INT64, false);
	fp_schema_add(s, "count", FP_TYPE_INT64, true);
	fp_schema_add(s, "dur", FP_TYPE_DOUBLE, true);
	fp_schema_add(s, "ip", FP_TYPE_STRING, false);
	fp_schema_add(s, "note", FP_TYPE_STRING, true);
	fp_schema_add(s, "blob", FP_TYPE_BINARY, true);
	f = fp_schema_add(s, "ts_us", FP_TYPE_TIMESTAMP, false);
	f->time_unit = FP_UNIT_MICROS;
	f->time_utc = true;
	f = fp_schema_add(s, "ts_ms", FP_TYPE_TIMESTAMP, true);
	f->time_unit = FP_UNIT_MILLIS;
	f->time_utc = false;
	f = fp_schema_add(s, "ts_ns", FP_TYPE_TIMESTAMP, false);
	f->time_unit = FP_UNIT_NANOS;
	f->time_utc = true;
	fp_schema_add(s, "allnull", FP_TYPE_INT64, true);
	return s;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 31;
	x *= 0x9e3779b97f4a7c15ULL;
	x ^= x >> 29;
	return x;
}

static bool is_null(size_t row, int col)
{
	uint64_t h = mix(row * 131 + (uint64_t)col);

	switch (col) {
	case C_FLAG:
	case C_I32:
	case C_COUNT:
	case C_DUR:
	case C_BLOB:
		return h % 7 == 0;
	case C_NOTE:
		return h % 3 == 0;
	case C_TS_MS:
		return (row / 100) % 2 == 1;	/* long runs of nulls */
	case C_ALLNULL:
		return true;
	default:
		return false;
	}
}

static int64_t int_value(size_t row, int col)
{
	uint64_t h = mix(row * 977 + (uint64_t)col);

	switch (col) {
	case C_FLAG:
		return (int64_t)(h & 1);
	case C_PORT:
		return (int32_t)((const int[]){ 443, 80, 53, 22, -1 })[h % 5];
	case C_I32:
		return row == 1 ? INT32_MIN : row == 2 ? INT32_MAX : (int32_t)(uint32_t)h;
	case C_I64:
		return row == 3 ? INT64_MIN : row == 4 ? INT64_MAX : (int64_t)h;
	case C_COUNT:
		return (int64_t)(h % 9) - 4;
	case C_TS_US:
		return 1700000000000000LL + (int64_t)row * 1234;
	case C_TS_MS:
		return -86400000LL + (int64_t)row * 1000;
	case C_TS_NS:
		return 1700000000000000000LL + (int64_t)(h % 1000000000);
	default:
		return 0;
	}
}

static double double_value(size_t row)
{
	static const double special[] = { NAN, INFINITY, -INFINITY, -0.0, 0.0, 1e-300, -1.5 };

	if (row % 11 == 0)
		return special[(row / 11) % 7];
	return (double)(int64_t)mix(row) / 1e6;
}

/* Writes the bytes of (row, col) into buf; returns their length. */
static size_t bytes_value(size_t row, int col, char *buf)
{
	uint64_t h = mix(row * 31 + (uint64_t)col);

	if (col == C_IP)
		return (size_t)sprintf(buf, "10.%u.%u.%u", (unsigned)(h % 3), (unsigned)(h >> 8) % 4,
				       (unsigned)(h >> 16) % 50);
	if (col == C_NOTE) {
		switch (h % 5) {
		case 0:
			return 0;
		case 1:
			memset(buf, 'x', 300);
			buf[299] = (char)('a' + row % 26);
			return 300;
		case 2:
			return (size_t)sprintf(buf, "r\xc3\xa9sum\xc3\xa9 %zu", row);
		default:
			return (size_t)sprintf(buf, "note %u", (unsigned)(h % 40));
		}
	}
	/* C_BLOB */
	for (size_t i = 0; i < h % 9; i++)
		buf[i] = (char)(i == 1 ? 0 : (h >> (i * 7)) & 0xff);
	return h % 9;
}

static void fill(struct fp_batch *b, size_t first, size_t n)
{
	char buf[512];

	fp_batch_clear(b);
	for (size_t row = first; row < first + n; row++) {
		for (int c = 0; c < NCOLS; c++) {
			if (is_null(row, c)) {
				fp_batch_put_null(b, (size_t)c);
				continue;
			}
			switch (b->schema->fields[c].type) {
			case FP_TYPE_BOOL:
				fp_batch_put_bool(b, (size_t)c, int_value(row, c) != 0);
				break;
			case FP_TYPE_INT32:
				fp_batch_put_i32(b, (size_t)c, (int32_t)int_value(row, c));
				break;
			case FP_TYPE_DOUBLE:
				fp_batch_put_f64(b, (size_t)c, double_value(row));
				break;
			case FP_TYPE_STRING:
			case FP_TYPE_BINARY:
				fp_batch_put_bytes(b, (size_t)c, buf, bytes_value(row, c, buf));
				break;
			default:
				fp_batch_put_i64(b, (size_t)c, int_value(row, c));
				break;
			}
		}
		fp_batch_end_row(b);
	}
}

/* Compares one read value with what was written; counts mismatches. */
static int check_value(const struct fp_batch *b, size_t i, size_t row, int c)
{
	const struct fp_column *col = &b->cols[c];
	char buf[512];
	size_t len, want;
	const char *p;

	if (is_null(row, c))
		return fp_column_is_valid(col, i) ? 1 : 0;
	if (!fp_column_is_valid(col, i))
		return 1;
	switch (col->type) {
	case FP_TYPE_BOOL:
		return (col->v.b[i] != 0) != (int_value(row, c) != 0);
	case FP_TYPE_INT32:
		return col->v.i32[i] != (int32_t)int_value(row, c);
	case FP_TYPE_DOUBLE: {
		double d = double_value(row);

		/* Bit for bit: NaN stays NaN, -0.0 keeps its sign. */
		return memcmp(&col->v.f64[i], &d, sizeof(d)) != 0;
	}
	case FP_TYPE_STRING:
	case FP_TYPE_BINARY:
		p = fp_column_bytes(col, i, &len);
		want = bytes_value(row, c, buf);
		return len != want || (len && memcmp(p, buf, len) != 0);
	default:
		return col->v.i64[i] != int_value(row, c);
	}
}

struct scenario {
	const char *name;
	int codec;
	size_t rows;
	size_t batch_rows;
	size_t row_group_rows;
	size_t page_rows;
	bool dictionary;
};

static void temp_path(char *buf, size_t size, const struct scenario *sc)
{
	const char *keep = getenv("FP_PARQUET_KEEP_DIR");

	if (keep != NULL)
		snprintf(buf, size, "%s/%s-%s.parquet", keep, sc->name, fp_parquet_codec_name(sc->codec));
	else
		snprintf(buf, size, "%s/fp-roundtrip-%ld-%s-%s.parquet", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
			 (long)getpid(), sc->name, fp_parquet_codec_name(sc->codec));
}

static int write_file(const char *path, const struct fp_schema *s, const struct scenario *sc)
{
	struct fp_parquet_write_options o;
	struct fp_parquet_writer *w;
	struct fp_batch *b = fp_batch_new(s, sc->batch_rows);
	struct fp_error err;
	FILE *f = fopen(path, "wb");
	int rc = 0;

	if (f == NULL || b == NULL) {
		fprintf(stderr, "cannot create %s\n", path);
		if (f)
			fclose(f);
		fp_batch_free(b);
		return -1;
	}
	fp_parquet_write_options_defaults(&o);
	o.codec = sc->codec;
	o.row_group_rows = sc->row_group_rows;
	o.page_rows = sc->page_rows;
	o.dictionary = sc->dictionary;
	w = fp_parquet_writer_open(f, path, s, &o, &err);
	if (w == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		rc = -1;
	}
	for (size_t done = 0; rc == 0 && done < sc->rows; done += sc->batch_rows) {
		size_t n = sc->rows - done < sc->batch_rows ? sc->rows - done : sc->batch_rows;

		fill(b, done, n);
		if (fp_parquet_writer_write(w, b, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			rc = -1;
		}
	}
	if (w != NULL && fp_parquet_writer_close(w, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		rc = -1;
	}
	if (fclose(f) != 0)
		rc = -1;
	fp_batch_free(b);
	return rc;
}

static void check_schema(const struct fp_schema *got, const struct fp_schema *want)
{
	CHECK_EQ_INT(got->nfields, want->nfields);
	for (size_t i = 0; i < got->nfields && i < want->nfields; i++) {
		const struct fp_field *g = &got->fields[i], *w = &want->fields[i];

		CHECK_EQ_STR(g->name, w->name);
		CHECK_EQ_INT(g->type, w->type);
		CHECK_EQ_INT(g->nullable, w->nullable);
		if (w->type == FP_TYPE_TIMESTAMP) {
			CHECK_EQ_INT(g->time_unit, w->time_unit);
			CHECK_EQ_INT(g->time_utc, w->time_utc);
		}
	}
}

static void read_back(const char *path, const struct fp_schema *s, const struct scenario *sc)
{
	struct fp_error err;
	struct fp_parquet_reader *r = fp_parquet_reader_open(path, &err);
	const struct fp_parquet_file_info *info;
	struct fp_batch *b;
	size_t row = 0, bad = 0;
	long n;

	if (r == NULL) {
		fprintf(stderr, "%s: %s\n", sc->name, err.msg);
		CHECK(r != NULL);
		return;
	}
	info = fp_parquet_reader_info(r);
	CHECK_EQ_INT(info->num_rows, sc->rows);
	CHECK_EQ_INT(info->num_row_groups, (sc->rows + sc->row_group_rows - 1) / sc->row_group_rows);
	CHECK_EQ_INT(info->num_columns, NCOLS);
	CHECK(strncmp(info->created_by, "flowprep version ", 17) == 0);
	if (sc->rows > 0)
		CHECK_EQ_INT(info->codecs_used, 1u << sc->codec);
	check_schema(fp_parquet_reader_schema(r), s);
	b = fp_batch_new(fp_parquet_reader_schema(r), 1000);
	while ((n = fp_parquet_reader_next(r, b, &err)) > 0) {
		for (size_t i = 0; i < (size_t)n; i++, row++)
			for (int c = 0; c < NCOLS; c++)
				if (check_value(b, i, row, c) && bad++ < 5)
					fprintf(stderr, "%s/%s: row %zu column %d differs\n", sc->name,
						fp_parquet_codec_name(sc->codec), row, c);
	}
	if (n < 0)
		fprintf(stderr, "%s: %s\n", sc->name, err.msg);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(row, sc->rows);
	CHECK_EQ_INT(bad, 0);
	fp_batch_free(b);
	fp_parquet_reader_close(r);
}

static void run_scenario(const struct scenario *sc)
{
	struct fp_schema *s = make_schema();
	char path[4096];

	temp_path(path, sizeof(path), sc);
	CHECK_EQ_INT(write_file(path, s, sc), 0);
	read_back(path, s, sc);
	if (getenv("FP_PARQUET_KEEP_DIR") == NULL)
		unlink(path);
	fp_schema_free(s);
}

static const int codecs[] = { FP_CODEC_UNCOMPRESSED, FP_CODEC_SNAPPY, FP_CODEC_GZIP, FP_CODEC_ZSTD };

static void run_all(const struct scenario *base)
{
	for (size_t k = 0; k < sizeof(codecs) / sizeof(codecs[0]); k++) {
		struct scenario sc = *base;

		sc.codec = codecs[k];
		run_scenario(&sc);
	}
}

static void test_empty_table(void)
{
	run_all(&(struct scenario){ "empty", 0, 0, 100, 1000, 0, true });
}

static void test_one_row(void)
{
	run_all(&(struct scenario){ "one-row", 0, 1, 100, 1000, 0, true });
}

static void test_many_row_groups(void)
{
	/* Batches of 777 rows straddle row groups of 1000; pages of 300 rows. */
	run_all(&(struct scenario){ "row-groups", 0, 5000, 777, 1000, 300, true });
}

static void test_plain_only(void)
{
	run_all(&(struct scenario){ "no-dictionary", 0, 3000, 1024, 2048, 0, false });
}

static void test_default_layout(void)
{
	/* Default page splitting, one row group exactly full. */
	run_all(&(struct scenario){ "full-group", 0, 4096, 4096, 4096, 0, true });
}

static void test_large_row_groups(void)
{
	/* Row groups large enough for the writer's huge-page arena and for
	 * the dictionary projection (unique i64 and timestamps give up on
	 * their dictionaries part of the way in), the second one partial. */
	run_all(&(struct scenario){ "large-groups", 0, 70000, 8192, 65536, 0, true });
}

int main(void)
{
	RUN(test_empty_table);
	RUN(test_one_row);
	RUN(test_many_row_groups);
	RUN(test_plain_only);
	RUN(test_default_layout);
	RUN(test_large_row_groups);
	return TEST_RESULT();
}
