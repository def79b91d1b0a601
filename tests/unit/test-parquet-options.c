/*
 * test-parquet-options.c - the Parquet writer's options: what validation
 * refuses and says, that the writer refuses the same at open, that the
 * codec name tables agree with what the writer can produce, and the
 * default row group's size by the width of a row.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "format/parquet/codec-compress.h"
#include "format/parquet/parquet.h"
#include "lib/parse-value.h"
#include "test.h"

static void test_validate(void)
{
	struct fp_parquet_write_options o;
	struct fp_error err = { "" };

	fp_parquet_write_options_defaults(&o);
	CHECK(fp_parquet_write_options_validate(&o, &err) == 0);
	o.row_group_rows = 0;				/* the default */
	CHECK(fp_parquet_write_options_validate(&o, &err) == 0);
	o.row_group_rows = FP_PARQUET_MAX_ROW_GROUP_ROWS;
	CHECK(fp_parquet_write_options_validate(&o, &err) == 0);
	o.row_group_rows++;
	CHECK(fp_parquet_write_options_validate(&o, &err) < 0);
	CHECK_EQ_STR(err.msg, "row groups of 100000001 rows are too large (at most 100000000)");
	fp_parquet_write_options_defaults(&o);
	o.page_rows = (size_t)INT32_MAX + 1;
	CHECK(fp_parquet_write_options_validate(&o, &err) < 0);
	CHECK(strstr(err.msg, "pages of") != NULL);
	fp_parquet_write_options_defaults(&o);
	o.codec = FP_CODEC_LZO;
	CHECK(fp_parquet_write_options_validate(&o, &err) < 0);
	CHECK_EQ_STR(err.msg, "the Parquet writer cannot compress with codec \"lzo\"; use zstd, snappy, gzip or none");
}

/* The writer refuses at open what validation refuses, naming the file. */
static void test_open_refuses(void)
{
	struct fp_parquet_write_options o;
	struct fp_error err = { "" };
	struct fp_schema *schema = fp_schema_netflow_v1(&err);
	FILE *out = tmpfile();

	CHECK(schema != NULL && out != NULL);
	if (schema == NULL || out == NULL)
		return;
	fp_parquet_write_options_defaults(&o);
	o.codec = FP_CODEC_BROTLI;
	CHECK(fp_parquet_writer_open(out, "x.parquet", schema, &o, &err) == NULL);
	CHECK(strncmp(err.msg, "x.parquet: the Parquet writer cannot compress", 45) == 0);
	fclose(out);
	fp_schema_free(schema);
}

static void test_codec_tables(void)
{
	struct fp_error err = { "" };
	int v = -1;

	/* every name the writer offers is a codec it can write, spelled as
	 * the general table spells it */
	for (const struct fp_enum_name *n = fp_parquet_writer_codec_names; n->name != NULL; n++) {
		CHECK(pq_codec_writable(n->value));
		CHECK_EQ_INT(fp_parquet_codec_parse(n->name), n->value);
	}
	for (int c = FP_CODEC_UNCOMPRESSED; c <= FP_CODEC_LZ4_RAW; c++)
		CHECK(pq_codec_writable(c) == (fp_enum_name(fp_parquet_writer_codec_names, c) != NULL));
	CHECK(fp_parse_enum("lzo", fp_parquet_writer_codec_names, &v, &err) < 0);
	CHECK_EQ_STR(err.msg, "'lzo' is not one of zstd, snappy, gzip, none");
	CHECK(fp_parse_enum("Uncompressed", fp_parquet_writer_codec_names, &v, &err) == 0);
	CHECK_EQ_INT(v, FP_CODEC_UNCOMPRESSED);
	CHECK(fp_parse_enum("lz4-raw", fp_parquet_codec_names, &v, &err) == 0);
	CHECK_EQ_INT(v, FP_CODEC_LZ4_RAW);
	CHECK_EQ_STR(fp_enum_name(fp_parquet_codec_names, FP_CODEC_LZ4_RAW), "lz4_raw");
}

/* A schema of `n` columns of type `t`, nullable or not. */
static struct fp_schema *schema_of(size_t n, enum fp_type t, bool nullable)
{
	struct fp_schema *s = fp_schema_new("t", "v1");
	char name[32];

	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "c%zu", i);
		fp_schema_add(s, name, t, nullable);
	}
	return s;
}

/* The default row group: 131072 rows while that is at most 16 MiB of
 * values, else a multiple of 1024 rows under that, at least 1024; a size
 * asked for is kept whatever the width. */
static void test_row_group_rows(void)
{
	struct fp_parquet_write_options o;
	struct fp_schema *narrow = schema_of(11, FP_TYPE_INT64, false);	/* 88 B a row */
	struct fp_schema *wide = schema_of(100, FP_TYPE_DOUBLE, false);	/* 800 B */
	struct fp_schema *strings = schema_of(100, FP_TYPE_STRING, true);	/* 25 B each: 2500 B */
	struct fp_schema *huge = schema_of(5000, FP_TYPE_DOUBLE, true);	/* 45000 B */

	fp_parquet_write_options_defaults(&o);
	CHECK_EQ_INT(o.row_group_rows, 0);	/* by the schema */
	CHECK_EQ_INT(fp_parquet_row_group_rows(&o, narrow), FP_PARQUET_DEFAULT_ROW_GROUP_ROWS);
	CHECK_EQ_INT(fp_parquet_row_group_rows(&o, wide), 20480);	/* 16 MiB / 800 = 20971 */
	CHECK_EQ_INT(fp_parquet_row_group_rows(&o, strings), 6144);	/* 16 MiB / 2500 = 6710 */
	CHECK_EQ_INT(fp_parquet_row_group_rows(&o, huge), 1024);	/* 372, raised to the floor */
	o.row_group_rows = 300;
	CHECK_EQ_INT(fp_parquet_row_group_rows(&o, wide), 300);
	o.row_group_rows = 1000000;
	CHECK_EQ_INT(fp_parquet_row_group_rows(&o, narrow), 1000000);
	fp_schema_free(narrow);
	fp_schema_free(wide);
	fp_schema_free(strings);
	fp_schema_free(huge);
}

int main(void)
{
	RUN(test_validate);
	RUN(test_row_group_rows);
	RUN(test_open_refuses);
	RUN(test_codec_tables);
	return TEST_RESULT();
}
