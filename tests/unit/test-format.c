/*
 * test-format.c - the format registry (names, extensions) and the JSON
 * lines writer: exact bytes for every type, escaping and U+FFFD repair,
 * numbers that read back exactly, row ranges, one row into a caller's
 * buffer (too small, then large enough), rows longer than the writer's
 * buffer, and every line parsed again with lib/json.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/format-writer.h"
#include "format/json/jsonl.h"
#include "lib/json.h"
#include "tests/unit/test.h"

static void test_registry(void)
{
	CHECK_EQ_INT(fp_format_parse("csv"), FP_FORMAT_CSV);
	CHECK_EQ_INT(fp_format_parse("Parquet"), FP_FORMAT_PARQUET);
	CHECK_EQ_INT(fp_format_parse("jsonl"), FP_FORMAT_JSONL);
	CHECK_EQ_INT(fp_format_parse("ndjson"), FP_FORMAT_JSONL);
	CHECK_EQ_INT(fp_format_parse("xml"), -1);
	CHECK_EQ_INT(fp_format_from_path("a/b.csv"), FP_FORMAT_CSV);
	CHECK_EQ_INT(fp_format_from_path("b.PQ"), FP_FORMAT_PARQUET);
	CHECK_EQ_INT(fp_format_from_path("b.parquet"), FP_FORMAT_PARQUET);
	CHECK_EQ_INT(fp_format_from_path("out.jsonl"), FP_FORMAT_JSONL);
	CHECK_EQ_INT(fp_format_from_path("out.ndjson"), FP_FORMAT_JSONL);
	CHECK_EQ_INT(fp_format_from_path("out.json"), FP_FORMAT_AUTO);
	CHECK_EQ_INT(fp_format_from_path("dir.csv/out"), FP_FORMAT_AUTO);
	CHECK_EQ_STR(fp_format_name(FP_FORMAT_JSONL), "jsonl");
	CHECK_EQ_STR(fp_format_name(FP_FORMAT_AUTO), "auto");
	CHECK_EQ_STR(fp_format_extension(FP_FORMAT_PARQUET), "parquet");
	CHECK(fp_format_writer_ops(FP_FORMAT_CSV) == &fp_csv_format_writer_ops);
	CHECK(fp_format_writer_ops(FP_FORMAT_AUTO) == NULL);
}

/* Every type, with a name that needs escaping. */
static struct fp_schema *all_types(void)
{
	struct fp_schema *s = fp_schema_new("t", "v1");
	struct fp_field *ts;

	fp_schema_add(s, "b", FP_TYPE_BOOL, true);
	fp_schema_add(s, "i32", FP_TYPE_INT32, true);
	fp_schema_add(s, "i64", FP_TYPE_INT64, true);
	fp_schema_add(s, "d", FP_TYPE_DOUBLE, true);
	fp_schema_add(s, "s \"q\"", FP_TYPE_STRING, true);
	fp_schema_add(s, "bin", FP_TYPE_BINARY, true);
	ts = fp_schema_add(s, "ts", FP_TYPE_TIMESTAMP, true);
	ts->time_unit = FP_UNIT_NANOS;
	return s;
}

static void put_all(struct fp_batch *b, bool v, int32_t i32, int64_t i64, double d, const char *str, size_t slen,
		    const char *bin, size_t blen, int64_t ts)
{
	fp_batch_put_bool(b, 0, v);
	fp_batch_put_i32(b, 1, i32);
	fp_batch_put_i64(b, 2, i64);
	fp_batch_put_f64(b, 3, d);
	fp_batch_put_bytes(b, 4, str, slen);
	fp_batch_put_bytes(b, 5, bin, blen);
	fp_batch_put_i64(b, 6, ts);
	fp_batch_end_row(b);
}

static struct fp_batch *sample(const struct fp_schema *s)
{
	struct fp_batch *b = fp_batch_new(s, 8);

	put_all(b, true, INT32_MIN, INT64_MIN, 0.1, "plain", 5, "\x00\xff", 2, 1700000000123456789LL);
	put_all(b, false, 7, INT64_MAX, 40.0, "q\"b\\s/\n\t\x01\x1f\x7f", 11, "", 0, -1);
	put_all(b, true, 0, 0, NAN, "caf\xc3\xa9 \xff\xfe x\xe2\x82", 12, "a", 1, 0);
	put_all(b, false, 1, 1, INFINITY, "", 0, "", 0, 1);
	put_all(b, false, 1, 1, -0.0, "", 0, "", 0, 1);
	for (size_t c = 0; c < 7; c++)
		fp_batch_put_null(b, c);
	fp_batch_end_row(b);
	put_all(b, true, 2, 2, 1e-300, "e", 1, "", 0, 2);
	return b;
}

static const char *const expected_lines[] = {
	"{\"b\":true,\"i32\":-2147483648,\"i64\":-9223372036854775808,\"d\":0.1,\"s \\\"q\\\"\":\"plain\","
	"\"bin\":\"00ff\",\"ts\":1700000000123456789}",
	"{\"b\":false,\"i32\":7,\"i64\":9223372036854775807,\"d\":40.0,"
	"\"s \\\"q\\\"\":\"q\\\"b\\\\s/\\u000a\\u0009\\u0001\\u001f\x7f\",\"bin\":\"\",\"ts\":-1}",
	"{\"b\":true,\"i32\":0,\"i64\":0,\"d\":null,\"s \\\"q\\\"\":\"caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd x\xef\xbf\xbd\xef\xbf\xbd\","
	"\"bin\":\"61\",\"ts\":0}",
	"{\"b\":false,\"i32\":1,\"i64\":1,\"d\":null,\"s \\\"q\\\"\":\"\",\"bin\":\"\",\"ts\":1}",
	"{\"b\":false,\"i32\":1,\"i64\":1,\"d\":-0.0,\"s \\\"q\\\"\":\"\",\"bin\":\"\",\"ts\":1}",
	"{\"b\":null,\"i32\":null,\"i64\":null,\"d\":null,\"s \\\"q\\\"\":null,\"bin\":null,\"ts\":null}",
	"{\"b\":true,\"i32\":2,\"i64\":2,\"d\":1e-300,\"s \\\"q\\\"\":\"e\",\"bin\":\"\",\"ts\":2}",
};

/* Writes rows [first, first + n) through the format-writer interface. */
static char *write_jsonl(const struct fp_schema *s, const struct fp_batch *b, size_t first, size_t n, size_t *len)
{
	struct fp_format_options o;
	struct fp_error err = { "" };
	char *text = NULL;
	FILE *out = open_memstream(&text, len);
	struct fp_format_writer *w;
	int rc;

	fp_format_options_defaults(&o);
	o.format = FP_FORMAT_JSONL;
	w = fp_format_writer_open(out, "mem.jsonl", s, &o, &err);
	rc = w ? fp_format_writer_write(w, b, first, n, &err) : -1;
	if (w && fp_format_writer_finish(w, &err) < 0)
		rc = -1;
	fclose(out);
	if (rc < 0) {
		fprintf(stderr, "  %s\n", err.msg);
		free(text);
		return NULL;
	}
	return text;
}

static void test_jsonl_exact(void)
{
	struct fp_schema *s = all_types();
	struct fp_batch *b = sample(s);
	size_t len, at = 0;
	char *text = write_jsonl(s, b, 0, b->nrows, &len);

	CHECK(text != NULL);
	for (size_t i = 0; text && i < sizeof(expected_lines) / sizeof(expected_lines[0]); i++) {
		size_t n = strlen(expected_lines[i]);
		if (at + n >= len || memcmp(text + at, expected_lines[i], n) != 0 || text[at + n] != '\n') {
			fprintf(stderr, "  line %zu: want %s\n  got  %.*s\n", i, expected_lines[i], (int)n,
				at < len ? text + at : "");
			CHECK(0);
			break;
		}
		at += n + 1;
	}
	CHECK_EQ_INT(at, len);
	free(text);
	/* a row range: rows 1 and 2 only */
	text = write_jsonl(s, b, 1, 2, &len);
	CHECK_EQ_INT(len, strlen(expected_lines[1]) + strlen(expected_lines[2]) + 2);
	CHECK(text && strncmp(text, expected_lines[1], strlen(expected_lines[1])) == 0);
	free(text);
	/* past the batch's end: refused */
	CHECK(write_jsonl(s, b, 5, 3, &len) == NULL);
	fp_batch_free(b);
	fp_schema_free(s);
}

/* Every line is JSON that lib/json reads, with the same values. */
static void test_jsonl_parses_back(void)
{
	struct fp_schema *s = all_types();
	struct fp_batch *b = sample(s);
	size_t len;
	char *text = write_jsonl(s, b, 0, b->nrows, &len), *line = text;
	int lines = 0;

	while (line && line < text + len) {
		char *nl = memchr(line, '\n', (size_t)(text + len - line));
		struct fp_error err = { "" };
		struct fp_json *j = fp_json_parse(line, (size_t)(nl - line), &err);
		int64_t v;

		CHECK(j != NULL && j->type == FP_JSON_OBJECT && j->n == 7);
		if (j && lines == 0) {
			CHECK(fp_json_int64(fp_json_get(j, "i64"), &v) == 0 && v == INT64_MIN);
			CHECK(fp_json_double(fp_json_get(j, "d")) == 0.1);
			CHECK(fp_json_int64(fp_json_get(j, "ts"), &v) == 0 && v == 1700000000123456789LL);
		}
		if (j && lines == 1)
			CHECK_EQ_STR(fp_json_get_string(j, "s \"q\"", NULL), "q\"b\\s/\n\t\x01\x1f\x7f");
		fp_json_free(j);
		line = nl + 1;
		lines++;
	}
	CHECK_EQ_INT(lines, 7);
	free(text);
	fp_batch_free(b);
	fp_schema_free(s);
}

static void test_row_into_callers_buffer(void)
{
	struct fp_schema *s = all_types();
	struct fp_batch *b = sample(s);
	struct fp_error err = { "" };
	struct fp_jsonl_row_format *f = fp_jsonl_row_format_new(s, &err);
	char small[16], *big;
	size_t need = fp_jsonl_row_text(f, b, 1, small, sizeof(small));

	CHECK_EQ_INT(need, strlen(expected_lines[1]));
	CHECK(memcmp(small, expected_lines[1], sizeof(small)) == 0);	/* what fits is right */
	big = malloc(need);
	CHECK_EQ_INT(fp_jsonl_row_text(f, b, 1, big, need), need);
	CHECK(memcmp(big, expected_lines[1], need) == 0);
	free(big);
	fp_jsonl_row_format_free(f);
	fp_batch_free(b);
	fp_schema_free(s);
}

/* A 3 MiB string: longer than the writer's 1 MiB buffer. */
static void test_long_row(void)
{
	struct fp_schema *s = fp_schema_new("t", "v1");
	struct fp_batch *b;
	size_t big = 3u << 20, len;
	char *value = malloc(big), *text;

	fp_schema_add(s, "s", FP_TYPE_STRING, false);
	b = fp_batch_new(s, 4);
	memset(value, 'x', big);
	fp_batch_put_bytes(b, 0, "a", 1);
	fp_batch_end_row(b);
	fp_batch_put_bytes(b, 0, value, big);
	fp_batch_end_row(b);
	fp_batch_put_bytes(b, 0, "z", 1);
	fp_batch_end_row(b);
	text = write_jsonl(s, b, 0, 3, &len);
	CHECK_EQ_INT(len, 10 + (6 + big + 3) + 10);
	CHECK(text && strncmp(text, "{\"s\":\"a\"}\n{\"s\":\"xxx", 18) == 0);
	CHECK(text && strcmp(text + len - 17, "xxxx\"}\n{\"s\":\"z\"}\n") == 0);
	free(text);
	free(value);
	fp_batch_free(b);
	fp_schema_free(s);
}

/* 16-byte lines fill the 1 MiB buffer exactly: the next row must not
 * write past it. */
static void test_buffer_exactly_full(void)
{
	struct fp_schema *s = fp_schema_new("t", "v1");
	size_t rows = (1u << 20) / 16 + 3, len;
	struct fp_batch *b;
	char *text;

	fp_schema_add(s, "s", FP_TYPE_STRING, false);
	b = fp_batch_new(s, rows);
	for (size_t i = 0; i < rows; i++) {
		fp_batch_put_bytes(b, 0, "xxxxxxx", 7);	/* {"s":"xxxxxxx"} + LF = 16 */
		fp_batch_end_row(b);
	}
	text = write_jsonl(s, b, 0, rows, &len);
	CHECK_EQ_INT(len, rows * 16);
	CHECK(text && memcmp(text + len - 16, "{\"s\":\"xxxxxxx\"}\n", 16) == 0);
	free(text);
	fp_batch_free(b);
	fp_schema_free(s);
}

int main(void)
{
	RUN(test_registry);
	RUN(test_jsonl_exact);
	RUN(test_jsonl_parses_back);
	RUN(test_row_into_callers_buffer);
	RUN(test_long_row);
	RUN(test_buffer_exactly_full);
	return TEST_RESULT();
}
