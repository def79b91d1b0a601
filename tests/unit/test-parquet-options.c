/*
 * test-parquet-options.c - the Parquet writer's options: what validation
 * refuses and says, that the writer refuses the same at open, and that
 * the codec name tables agree with what the writer can produce.
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

int main(void)
{
	RUN(test_validate);
	RUN(test_open_refuses);
	RUN(test_codec_tables);
	return TEST_RESULT();
}
