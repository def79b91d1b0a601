/*
 * test-parquet-read.c - flowprep's Parquet reader against known answers.
 *
 * Part 1 (always): small files assembled byte by byte in the test
 * (tests/unit/parquet-build.c, independent of flowprep's writer) cover
 * PLAIN for every physical type, dictionaries, data page v1 and v2,
 * OPTIONAL columns with nulls, several row groups and pages, the delta
 * encodings, BYTE_STREAM_SPLIT, RLE booleans, compressed pages, INT96,
 * the type mapping and nested columns. (Damaged files are the business of
 * test-parquet-fuzz.c.)
 *
 * Part 2 (when $SHARED_DIR/data/parquet-samples exists): every file listed
 * in its EXPECTED.json is read completely and compared with the expected
 * row and row group counts and, per flat column, nulls, min, max, first,
 * last and the FNV-1a 64 checksum of all values in row order (defined in
 * shared/tools/parquet-check/lib/summary.mjs). Files that must not be read
 * (see `refused` below, each with its reason) must fail cleanly.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/parquet/parquet-format.h"
#include "format/parquet/parquet.h"
#include "lib/json.h"
#include "record/batch.h"
#include "tests/unit/parquet-build.h"
#include "tests/unit/test.h"

/* ------------------------------------------------------------ summaries */

/* One value as the summary sees it. */
struct val {
	bool null;
	int64_t i;
	double f;
	bool b;
	char *bytes;
	size_t len;
};

struct summary {
	enum fp_type type;
	int64_t nulls, rows;
	uint64_t fnv;
	struct val first, last, min, max;
	bool have_min;
};

static void fnv_bytes(uint64_t *h, const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++) {
		*h ^= b[i];
		*h *= UINT64_C(0x100000001b3);
	}
}

static void fnv_le64(uint64_t *h, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	fnv_bytes(h, b, 8);
}

static void val_set(struct val *dst, const struct val *src)
{
	free(dst->bytes);
	*dst = *src;
	dst->bytes = NULL;
	if (src->bytes != NULL) {
		dst->bytes = malloc(src->len ? src->len : 1);
		if (dst->bytes)
			memcpy(dst->bytes, src->bytes, src->len);
	}
}

static int val_cmp(enum fp_type t, const struct val *a, const struct val *b)
{
	switch (t) {
	case FP_TYPE_BOOL: return (int)a->b - (int)b->b;
	case FP_TYPE_DOUBLE: return a->f < b->f ? -1 : a->f > b->f;
	case FP_TYPE_STRING:
	case FP_TYPE_BINARY: {
		size_t n = a->len < b->len ? a->len : b->len;
		int c = n ? memcmp(a->bytes, b->bytes, n) : 0;

		return c ? c : (a->len < b->len ? -1 : a->len > b->len);
	}
	default: return a->i < b->i ? -1 : a->i > b->i;
	}
}

static void summary_init(struct summary *s, enum fp_type type)
{
	memset(s, 0, sizeof(*s));
	s->type = type;
	s->fnv = UINT64_C(0xcbf29ce484222325);
	s->first.null = s->last.null = true;	/* no rows: the summary says null */
}

static void summary_free(struct summary *s)
{
	free(s->first.bytes);
	free(s->last.bytes);
	free(s->min.bytes);
	free(s->max.bytes);
}

static void summary_add(struct summary *s, const struct fp_column *c, size_t row)
{
	struct val v = { 0 };
	uint8_t one = 1, zero = 0;

	if (!fp_column_is_valid(c, row)) {
		v.null = true;
		s->nulls++;
		fnv_bytes(&s->fnv, &zero, 1);
	} else {
		fnv_bytes(&s->fnv, &one, 1);
		switch (s->type) {
		case FP_TYPE_BOOL:
			v.b = c->v.b[row] != 0;
			fnv_bytes(&s->fnv, v.b ? &one : &zero, 1);
			break;
		case FP_TYPE_INT32: v.i = c->v.i32[row]; fnv_le64(&s->fnv, (uint64_t)v.i); break;
		case FP_TYPE_INT64:
		case FP_TYPE_TIMESTAMP: v.i = c->v.i64[row]; fnv_le64(&s->fnv, (uint64_t)v.i); break;
		case FP_TYPE_DOUBLE: {
			uint64_t u;

			v.f = c->v.f64[row];
			memcpy(&u, &v.f, 8);
			fnv_le64(&s->fnv, u);
			break;
		}
		case FP_TYPE_STRING:
		case FP_TYPE_BINARY: {
			uint8_t len[4];

			v.bytes = (char *)fp_column_bytes(c, row, &v.len);
			for (int i = 0; i < 4; i++)
				len[i] = (uint8_t)(v.len >> (8 * i));
			fnv_bytes(&s->fnv, len, 4);
			fnv_bytes(&s->fnv, v.bytes, v.len);
			break;
		}
		}
		if (!(s->type == FP_TYPE_DOUBLE && isnan(v.f))) {
			if (!s->have_min || val_cmp(s->type, &v, &s->min) < 0)
				val_set(&s->min, &v);
			if (!s->have_min || val_cmp(s->type, &v, &s->max) > 0)
				val_set(&s->max, &v);
			s->have_min = true;
		}
	}
	if (s->rows == 0)
		val_set(&s->first, &v);
	val_set(&s->last, &v);
	s->rows++;
}

struct read_result {
	bool ok;
	char error[FP_ERROR_MAX];
	int64_t rows;
	size_t row_groups;
	size_t ncols;
	struct fp_schema *schema;	/* a copy */
	struct summary *cols;
};

static void result_free(struct read_result *r)
{
	for (size_t i = 0; r->cols && i < r->ncols; i++)
		summary_free(&r->cols[i]);
	free(r->cols);
	fp_schema_free(r->schema);
	memset(r, 0, sizeof(*r));
}

/* Opens and reads a whole file in batches of `batch_rows`. */
static void read_all(const char *path, size_t batch_rows, struct read_result *res)
{
	struct fp_error err = { "" };
	struct fp_parquet_reader *r = fp_parquet_reader_open(path, &err);
	struct fp_batch *b;
	long n;

	memset(res, 0, sizeof(*res));
	if (r == NULL) {
		snprintf(res->error, sizeof(res->error), "%s", err.msg);
		return;
	}
	res->row_groups = fp_parquet_reader_info(r)->num_row_groups;
	res->schema = fp_schema_clone(fp_parquet_reader_schema(r));
	res->ncols = res->schema->nfields;
	res->cols = calloc(res->ncols ? res->ncols : 1, sizeof(*res->cols));
	for (size_t i = 0; i < res->ncols; i++)
		summary_init(&res->cols[i], res->schema->fields[i].type);
	b = fp_batch_new(fp_parquet_reader_schema(r), batch_rows);
	while ((n = fp_parquet_reader_next(r, b, &err)) > 0) {
		for (size_t i = 0; i < res->ncols; i++) {
			for (size_t row = 0; row < b->nrows; row++)
				summary_add(&res->cols[i], &b->cols[i], row);
		}
		res->rows += n;
	}
	if (n < 0)
		snprintf(res->error, sizeof(res->error), "%s", err.msg);
	else
		res->ok = true;
	fp_batch_free(b);
	fp_parquet_reader_close(r);
}

static int find_col(const struct read_result *r, const char *name)
{
	return r->schema ? fp_schema_find(r->schema, name) : -1;
}

/* ------------------------------------------------------------ part 1 */

/* ---- every physical type in PLAIN, and the schema they map to */

static void test_plain_types(void)
{
	static const int32_t i32[] = { -1, 0, INT32_MAX, INT32_MIN, 7 };
	static const int64_t i64[] = { INT64_MIN, -1, 0, 1, INT64_MAX };
	static const float f32[] = { 1.5f, -0.25f, 0.0f, 1048576.5f, 0.125f };
	static const double f64[] = { 0.1, -2.5, 1e300, 0.0, -1e-300 };
	static const char *str[] = { "", "a", "hello", "\xc3\xbcn\xc3\xaf", "x y" };
	static const char *types[] = { "bool", "int32", "int64", "float64", "float64", "string", "binary", "binary",
				       "timestamp" };
	struct pb_buf col[9] = { { 0 } };
	struct pb_file f;
	struct pb_texts t;
	char *path;

	pb_u8(&col[0], 0x0d);	/* 1,0,1,1,0 LSB first */
	for (int i = 0; i < 5; i++) {
		pb_le32(&col[1], (uint32_t)i32[i]);
		pb_le64(&col[2], (uint64_t)i64[i]);
		pb_bytes(&col[3], &f32[i], 4);
		pb_bytes(&col[4], &f64[i], 8);
		pb_plain_string(&col[5], str[i]);
		pb_plain_string(&col[6], str[4 - i]);
		pb_bytes(&col[7], "abcdefghijklmno" + 3 * i, 3);
		/* INT96: nanoseconds of the day, Julian day (2440588 = 1970-01-01) */
		pb_le64(&col[8], (uint64_t)i * 1000);
		pb_le32(&col[8], 2440588 + (uint32_t)i - 1);
	}
	pb_file_init(&f);
	f.unknown_fields = true;	/* must be skipped */
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "b", .type = PQ_BOOLEAN, .repetition = PQ_REQUIRED });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "i32", .type = PQ_INT32, .repetition = PQ_REQUIRED });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "i64", .type = PQ_INT64, .repetition = PQ_REQUIRED });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "f32", .type = PQ_FLOAT, .repetition = PQ_REQUIRED });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "f64", .type = PQ_DOUBLE, .repetition = PQ_REQUIRED });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "s", .type = PQ_BYTE_ARRAY, .repetition = PQ_REQUIRED,
					    .logical = PQ_LT_STRING });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "bin", .type = PQ_BYTE_ARRAY, .repetition = PQ_REQUIRED });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "fl", .type = PQ_FIXED_LEN_BYTE_ARRAY, .repetition = PQ_REQUIRED,
					    .type_length = 3 });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "ts", .type = PQ_INT96, .repetition = PQ_REQUIRED });
	pb_file_row_group(&f, 5);
	for (int c = 0; c < 9; c++) {
		pb_file_chunk(&f, FP_CODEC_UNCOMPRESSED);
		/* one header longer than the reader's first read of 1 KiB */
		pb_file_page(&f, &(struct pb_page){ .type = PQ_PAGE_DATA, .num_values = 5, .encoding = PQ_ENC_PLAIN,
						    .body = &col[c], .header_padding = c == 4 ? 5000 : 0 });
		pb_free(&col[c]);
	}
	path = pb_file_write_temp(&f);
	pb_read_texts(path, 2, &t);
	CHECK(t.ok);
	if (!t.ok)
		fprintf(stderr, "  %s\n", t.error);
	for (size_t i = 0; t.schema && i < 9; i++)
		CHECK_EQ_STR(fp_type_name(t.schema->fields[i].type), types[i]);
	CHECK_EQ_STR(pb_text_of(&t, "b"), "t,f,t,t,f");
	CHECK_EQ_STR(pb_text_of(&t, "i32"), "-1,0,2147483647,-2147483648,7");
	CHECK_EQ_STR(pb_text_of(&t, "i64"), "-9223372036854775808,-1,0,1,9223372036854775807");
	CHECK_EQ_STR(pb_text_of(&t, "f32"), "1.5,-0.25,0,1048576.5,0.125");
	CHECK_EQ_STR(pb_text_of(&t, "f64"), "0.10000000000000001,-2.5,1.0000000000000001e+300,0,-1e-300");
	CHECK_EQ_STR(pb_text_of(&t, "s"), ",a,hello,\xc3\xbcn\xc3\xaf,x y");
	CHECK_EQ_STR(pb_text_of(&t, "bin"), "x y,\xc3\xbcn\xc3\xaf,hello,a,");
	CHECK_EQ_STR(pb_text_of(&t, "fl"), "abc,def,ghi,jkl,mno");
	CHECK_EQ_STR(pb_text_of(&t, "ts"), "-86400000000000,1000,86400000002000,172800000003000,259200000004000");
	pb_texts_free(&t);
	pb_remove_temp(path);
}

/* ---- OPTIONAL columns, dictionaries, several pages and row groups */

static void test_dictionary_nulls(void)
{
	static const bool v0[] = { 1, 0, 1, 1 }, v1[] = { 0, 1, 1 }, v2[] = { 1, 1, 0 };
	static const bool n0[] = { 1, 1, 0, 1, 0, 1, 1 }, none[] = { 0, 0, 0 };
	static const uint32_t i0[] = { 2, 0, 1 }, i1[] = { 2, 2 }, in[] = { 0, 1, 1, 0, 0 };
	struct pb_buf b = { 0 };
	struct pb_file f;
	struct pb_texts t;
	char *path;

	pb_file_init(&f);
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "s", .type = PQ_BYTE_ARRAY, .repetition = PQ_OPTIONAL,
					    .converted = PB_CT(PQ_CT_UTF8) });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "n", .type = PQ_INT64, .repetition = PQ_OPTIONAL });
	/* row group 0: 7 rows, SNAPPY, dictionaries */
	pb_file_row_group(&f, 7);
	pb_file_chunk(&f, FP_CODEC_SNAPPY);
	pb_plain_string(&b, "red");
	pb_plain_string(&b, "green");
	pb_plain_string(&b, "blue");
	pb_dict_page(&f, 3, &b);
	b.len = 0;
	pb_def_levels(&b, v0, 4, true);
	pb_dict_indices(&b, i0, 3, 2, false);
	pb_data_page(&f, PQ_ENC_RLE_DICTIONARY, 4, &b);
	b.len = 0;
	pb_def_levels(&b, v1, 3, true);
	pb_dict_indices(&b, i1, 2, 2, true);
	pb_data_page(&f, PQ_ENC_PLAIN_DICTIONARY, 3, &b);
	pb_file_chunk(&f, FP_CODEC_SNAPPY);
	b.len = 0;
	pb_le64(&b, 10);
	pb_le64(&b, (uint64_t)-20);
	pb_dict_page(&f, 2, &b);
	b.len = 0;
	pb_def_levels(&b, n0, 7, true);
	pb_dict_indices(&b, in, 5, 1, false);
	pb_data_page(&f, PQ_ENC_PLAIN_DICTIONARY, 7, &b);
	/* row group 1: 3 rows, GZIP, PLAIN, one column all null */
	pb_file_row_group(&f, 3);
	pb_file_chunk(&f, FP_CODEC_GZIP);
	b.len = 0;
	pb_def_levels(&b, v2, 3, true);
	pb_plain_string(&b, "x");
	pb_plain_string(&b, "y");
	pb_data_page(&f, PQ_ENC_PLAIN, 3, &b);
	pb_file_chunk(&f, FP_CODEC_GZIP);
	b.len = 0;
	pb_def_levels(&b, none, 3, true);
	pb_data_page(&f, PQ_ENC_PLAIN, 3, &b);
	pb_free(&b);
	path = pb_file_write_temp(&f);
	for (size_t batch = 1; batch <= 11; batch += 2) {
		pb_read_texts(path, batch, &t);
		CHECK(t.ok);
		CHECK(t.schema && t.schema->fields[0].type == FP_TYPE_STRING && t.schema->fields[0].nullable);
		CHECK_EQ_STR(pb_text_of(&t, "s"), "blue,null,red,green,null,blue,blue,x,y,null");
		CHECK_EQ_STR(pb_text_of(&t, "n"), "10,-20,null,-20,null,10,10,null,null,null");
		pb_texts_free(&t);
	}
	pb_remove_temp(path);
}

/* ---- the deprecated BIT_PACKED definition levels (most significant bit
 * first, no length) */

static void test_bit_packed_levels(void)
{
	static const bool valid[10] = { 1, 1, 0, 1, 0, 0, 1, 1, 1, 0 };
	uint8_t packed[2] = { 0, 0 };
	struct pb_buf b = { 0 };
	struct pb_file f;
	struct pb_texts t;
	char *path;

	for (int i = 0; i < 10; i++)
		packed[i / 8] |= (uint8_t)(valid[i] ? 0x80 >> (i % 8) : 0);
	pb_bytes(&b, packed, 2);
	for (int i = 0; i < 10; i++) {
		if (valid[i])
			pb_le32(&b, (uint32_t)(100 + i));
	}
	pb_file_init(&f);
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "x", .type = PQ_INT32, .repetition = PQ_OPTIONAL });
	pb_file_row_group(&f, 10);
	pb_file_chunk(&f, FP_CODEC_GZIP);
	pb_file_page(&f, &(struct pb_page){ .type = PQ_PAGE_DATA, .num_values = 10, .encoding = PQ_ENC_PLAIN,
					    .body = &b, .def_encoding = PQ_ENC_BIT_PACKED });
	pb_free(&b);
	path = pb_file_write_temp(&f);
	pb_read_texts(path, 4, &t);
	CHECK(t.ok);
	CHECK_EQ_STR(pb_text_of(&t, "x"), "100,101,null,103,null,null,106,107,108,null");
	pb_texts_free(&t);
	pb_remove_temp(path);
}

/* ---- data page v2: levels outside the compression, empty and
 * uncompressed pages, RLE booleans, CRCs */

static void v2_page(struct pb_file *f, int encoding, int n, int nulls, const struct pb_buf *levels,
		    const struct pb_buf *body, bool uncompressed)
{
	struct pb_page pg = { .type = PQ_PAGE_DATA_V2, .num_values = n, .num_nulls = nulls, .num_rows = n,
			      .encoding = encoding, .levels = levels, .body = body, .uncompressed_v2 = uncompressed,
			      .crc = true };

	pb_file_page(f, &pg);
}

static void test_v2_pages(void)
{
	static const bool valid[] = { 1, 1, 0, 1, 1 };
	static const uint32_t bools[] = { 1, 0, 1, 1 };
	struct pb_buf lev = { 0 }, body = { 0 }, runs = { 0 }, empty = { 0 };
	struct pb_file f;
	struct pb_texts t;
	char *path;

	pb_file_init(&f);
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "flag", .type = PQ_BOOLEAN, .repetition = PQ_OPTIONAL });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "v", .type = PQ_INT32, .repetition = PQ_REQUIRED });
	pb_file_row_group(&f, 8);
	pb_file_chunk(&f, FP_CODEC_ZSTD);
	pb_def_levels(&lev, valid, 5, false);
	pb_packed_run(&runs, bools, 4, 1);
	pb_le32(&body, (uint32_t)runs.len);
	pb_bytes(&body, runs.p, runs.len);
	v2_page(&f, PQ_ENC_RLE, 5, 1, &lev, &body, false);
	v2_page(&f, PQ_ENC_RLE, 0, 0, NULL, &empty, false);
	body.len = runs.len = 0;
	pb_rle_run(&runs, 0, 3, 1);
	pb_le32(&body, (uint32_t)runs.len);
	pb_bytes(&body, runs.p, runs.len);
	/* no nulls: this writer leaves out the levels; values stored raw */
	v2_page(&f, PQ_ENC_RLE, 3, 0, NULL, &body, true);
	pb_file_chunk(&f, FP_CODEC_ZSTD);
	body.len = 0;
	for (int i = 0; i < 5; i++)
		pb_le32(&body, (uint32_t)(i * 11));
	v2_page(&f, PQ_ENC_PLAIN, 5, 0, NULL, &body, false);
	body.len = 0;
	for (int i = 5; i < 8; i++)
		pb_le32(&body, (uint32_t)(i * 11));
	v2_page(&f, PQ_ENC_PLAIN, 3, 0, NULL, &body, false);
	pb_free(&lev);
	pb_free(&body);
	pb_free(&runs);
	path = pb_file_write_temp(&f);
	pb_read_texts(path, 4, &t);
	CHECK(t.ok);
	if (!t.ok)
		fprintf(stderr, "  %s\n", t.error);
	CHECK_EQ_STR(pb_text_of(&t, "flag"), "t,f,null,t,t,f,f,f");
	CHECK_EQ_STR(pb_text_of(&t, "v"), "0,11,22,33,44,55,66,77");
	pb_texts_free(&t);
	pb_remove_temp(path);
}

/* ---- DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY,
 * BYTE_STREAM_SPLIT, under LZ4_RAW */

#define NDELTA 300

static void test_delta_and_split(void)
{
	static char keys[NDELTA][16];
	static const char *kp[NDELTA];
	int64_t i32[NDELTA], i64[NDELTA];
	double dbl[NDELTA];
	int32_t bi[NDELTA];
	bool valid[NDELTA];
	struct pb_buf b = { 0 }, want[6] = { { 0 } };
	const char *present[NDELTA];
	size_t npresent = 0;
	struct pb_file f;
	struct pb_texts t;
	char *path, num[64];

	for (int i = 0; i < NDELTA; i++) {
		i32[i] = (int32_t)((uint32_t)i * 2654435761u);
		i64[i] = i % 7 == 0 ? INT64_MIN : i % 7 == 1 ? INT64_MAX : (int64_t)i * -1234567890123LL;
		dbl[i] = i * 0.5 - 7;
		bi[i] = -i * 1000;
		snprintf(keys[i], sizeof(keys[i]), "key-%05d", i * 7);
		kp[i] = keys[i];
		valid[i] = i % 5 != 2;
		if (valid[i])
			present[npresent++] = keys[i];
	}
	pb_file_init(&f);
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "di", .type = PQ_INT32, .repetition = PQ_REQUIRED });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "dl", .type = PQ_INT64, .repetition = PQ_REQUIRED });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "sl", .type = PQ_BYTE_ARRAY, .repetition = PQ_OPTIONAL,
					    .converted = PB_CT(PQ_CT_UTF8) });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "sb", .type = PQ_BYTE_ARRAY, .repetition = PQ_REQUIRED,
					    .converted = PB_CT(PQ_CT_UTF8) });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "bd", .type = PQ_DOUBLE, .repetition = PQ_REQUIRED });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "bi", .type = PQ_INT32, .repetition = PQ_REQUIRED });
	pb_file_row_group(&f, NDELTA);
	pb_file_chunk(&f, FP_CODEC_LZ4_RAW);
	pb_delta(&b, i32, NDELTA);
	pb_data_page(&f, PQ_ENC_DELTA_BINARY_PACKED, NDELTA, &b);
	pb_file_chunk(&f, FP_CODEC_LZ4_RAW);
	b.len = 0;
	pb_delta(&b, i64, NDELTA);
	pb_data_page(&f, PQ_ENC_DELTA_BINARY_PACKED, NDELTA, &b);
	pb_file_chunk(&f, FP_CODEC_LZ4_RAW);
	b.len = 0;
	pb_def_levels(&b, valid, NDELTA, true);
	pb_delta_length(&b, present, npresent);
	pb_data_page(&f, PQ_ENC_DELTA_LENGTH_BYTE_ARRAY, NDELTA, &b);
	pb_file_chunk(&f, FP_CODEC_LZ4_RAW);
	b.len = 0;
	pb_delta_bytes(&b, kp, NDELTA);
	pb_data_page(&f, PQ_ENC_DELTA_BYTE_ARRAY, NDELTA, &b);
	pb_file_chunk(&f, FP_CODEC_LZ4_RAW);
	b.len = 0;
	pb_byte_stream_split(&b, dbl, NDELTA, 8);
	pb_data_page(&f, PQ_ENC_BYTE_STREAM_SPLIT, NDELTA, &b);
	pb_file_chunk(&f, FP_CODEC_LZ4_RAW);
	b.len = 0;
	pb_byte_stream_split(&b, bi, NDELTA, 4);
	pb_data_page(&f, PQ_ENC_BYTE_STREAM_SPLIT, NDELTA, &b);
	pb_free(&b);
	path = pb_file_write_temp(&f);
	for (int i = 0; i < NDELTA; i++) {
		const char *sep = i ? "," : "";

		snprintf(num, sizeof(num), "%s%" PRId64, sep, i32[i]);
		pb_bytes(&want[0], num, strlen(num));
		snprintf(num, sizeof(num), "%s%" PRId64, sep, i64[i]);
		pb_bytes(&want[1], num, strlen(num));
		snprintf(num, sizeof(num), "%s%s", sep, valid[i] ? keys[i] : "null");
		pb_bytes(&want[2], num, strlen(num));
		snprintf(num, sizeof(num), "%s%s", sep, keys[i]);
		pb_bytes(&want[3], num, strlen(num));
		snprintf(num, sizeof(num), "%s%.17g", sep, dbl[i]);
		pb_bytes(&want[4], num, strlen(num));
		snprintf(num, sizeof(num), "%s%" PRId32, sep, bi[i]);
		pb_bytes(&want[5], num, strlen(num));
	}
	pb_read_texts(path, 64, &t);
	CHECK(t.ok);
	if (!t.ok)
		fprintf(stderr, "  %s\n", t.error);
	for (int c = 0; c < 6; c++) {
		pb_u8(&want[c], '\0');
		CHECK_EQ_STR(pb_text_of(&t, t.schema ? t.schema->fields[c].name : ""), (const char *)want[c].p);
		pb_free(&want[c]);
	}
	pb_texts_free(&t);
	pb_remove_temp(path);
}

/* ---- logical and converted types */

static void test_type_mapping(void)
{
	static const struct {
		struct pb_leaf leaf;
		uint64_t value;
		const char *type, *logical, *text;
	} cols[] = {
		{ { .name = "ts_ms", .type = PQ_INT64, .logical = PQ_LT_TIMESTAMP, .unit = PQ_TU_MILLIS, .utc = true },
		  1700000000123, "timestamp[ms, UTC]", "TIMESTAMP(MILLIS,utc)", "1700000000123" },
		{ { .name = "ts_us", .type = PQ_INT64, .converted = PB_CT(PQ_CT_TIMESTAMP_MICROS) },
		  5, "timestamp[us, UTC]", "TIMESTAMP_MICROS", "5" },
		{ { .name = "ts_ns", .type = PQ_INT64, .logical = PQ_LT_TIMESTAMP, .unit = PQ_TU_NANOS },
		  7, "timestamp[ns]", "TIMESTAMP(NANOS)", "7" },
		{ { .name = "date", .type = PQ_INT32, .converted = PB_CT(PQ_CT_DATE), .logical = PQ_LT_DATE },
		  19000, "int32", "DATE", "19000" },
		{ { .name = "u32", .type = PQ_INT32, .converted = PB_CT(PQ_CT_UINT_32) },
		  0xffffffff, "int64", "UINT_32", "4294967295" },
		{ { .name = "u16", .type = PQ_INT32, .logical = PQ_LT_INTEGER, .bit_width = 16 },
		  65535, "int32", "INT(16,unsigned)", "65535" },
		{ { .name = "i8", .type = PQ_INT32, .logical = PQ_LT_INTEGER, .bit_width = 8, .is_signed = true },
		  0xffffff80, "int32", "INT(8,signed)", "-128" },
		{ { .name = "dec", .type = PQ_INT64, .converted = PB_CT(PQ_CT_DECIMAL), .logical = PQ_LT_DECIMAL },
		  12345, "int64", "DECIMAL(9,2), read as the unscaled physical value", "12345" },
		{ { .name = "unk", .type = PQ_BYTE_ARRAY, .logical = 99 /* unknown to the reader */ },
		  0, "binary", "", "abc" },
		{ { .name = "en", .type = PQ_BYTE_ARRAY, .converted = PB_CT(PQ_CT_ENUM) },
		  0, "string", "ENUM", "abc" },
	};	/* all REQUIRED (repetition 0) */
	size_t n = sizeof(cols) / sizeof(cols[0]);
	struct fp_error err = { "" };
	struct fp_parquet_reader *r;
	struct pb_buf b = { 0 };
	struct pb_file f;
	struct pb_texts t;
	char *path;

	pb_file_init(&f);
	for (size_t i = 0; i < n; i++)
		pb_file_leaf(&f, &cols[i].leaf);
	pb_file_row_group(&f, 1);
	for (size_t i = 0; i < n; i++) {
		b.len = 0;
		if (cols[i].leaf.type == PQ_INT32)
			pb_le32(&b, (uint32_t)cols[i].value);
		else if (cols[i].leaf.type == PQ_INT64)
			pb_le64(&b, cols[i].value);
		else
			pb_plain_string(&b, "abc");
		pb_file_chunk(&f, FP_CODEC_UNCOMPRESSED);
		pb_data_page(&f, PQ_ENC_PLAIN, 1, &b);
	}
	pb_free(&b);
	path = pb_file_write_temp(&f);
	r = fp_parquet_reader_open(path, &err);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_EQ_INT(fp_parquet_reader_info(r)->num_columns, n);
		CHECK_EQ_INT(fp_parquet_reader_info(r)->num_rows, 1);
		CHECK_EQ_STR(fp_parquet_reader_info(r)->created_by, "parquet-build (flowprep tests)");
		CHECK_EQ_INT(fp_parquet_reader_info(r)->codecs_used, 1);
		for (size_t i = 0; i < n; i++) {
			char type[64];

			fp_field_type_text(&fp_parquet_reader_schema(r)->fields[i], type, sizeof(type));
			CHECK_EQ_STR(type, cols[i].type);
			CHECK_EQ_STR(fp_parquet_reader_column(r, i)->logical, cols[i].logical);
			CHECK(fp_parquet_reader_column(r, i)->supported);
		}
		CHECK(fp_parquet_reader_column(r, n) == NULL);
		fp_parquet_reader_close(r);
	}
	pb_read_texts(path, 10, &t);
	CHECK(t.ok);
	for (size_t i = 0; i < n; i++)
		CHECK_EQ_STR(pb_text_of(&t, cols[i].leaf.name), cols[i].text);
	pb_texts_free(&t);
	pb_remove_temp(path);
}

/* ---- nested and repeated columns are described but not read */

static void test_nested(void)
{
	struct pb_buf b = { 0 };
	struct fp_error err = { "" };
	struct fp_parquet_reader *r;
	struct pb_file f;
	struct pb_texts t;
	char *path;

	pb_file_init(&f);
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "a", .type = PQ_INT32, .repetition = PQ_REQUIRED });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "b", .type = PQ_INT32, .repetition = PQ_REQUIRED,
					    .parent = "g", .parent_repetition = PQ_OPTIONAL });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "c", .type = PQ_INT32, .repetition = PQ_OPTIONAL,
					    .parent = "lst", .parent_repetition = PQ_REPEATED });
	pb_file_row_group(&f, 1);
	pb_le32(&b, 1);
	for (int i = 0; i < 3; i++) {
		pb_file_chunk(&f, FP_CODEC_UNCOMPRESSED);
		pb_data_page(&f, PQ_ENC_PLAIN, 1, &b);
	}
	pb_free(&b);
	path = pb_file_write_temp(&f);
	r = fp_parquet_reader_open(path, &err);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK(fp_parquet_reader_column(r, 0)->supported);
		CHECK(!fp_parquet_reader_column(r, 1)->supported);
		CHECK(!fp_parquet_reader_column(r, 2)->supported);
		CHECK_EQ_STR(fp_parquet_reader_column(r, 1)->name, "g.b");
		CHECK_EQ_STR(fp_parquet_reader_column(r, 2)->name, "lst.c");
		fp_parquet_reader_close(r);
	}
	pb_read_texts(path, 10, &t);
	CHECK(!t.ok && strstr(t.error, "column 'g.b': column nested in a group") != NULL);
	pb_texts_free(&t);
	pb_remove_temp(path);
}
static void run_built_tests(void)
{
	RUN(test_plain_types);
	RUN(test_dictionary_nulls);
	RUN(test_bit_packed_levels);
	RUN(test_v2_pages);
	RUN(test_delta_and_split);
	RUN(test_type_mapping);
	RUN(test_nested);
}

/* ------------------------------------------------------------ part 2 */

/* Files flowprep refuses, with the text its error must contain. Files the
 * manifest marks FAIL but flowprep reads, and checks against EXPECTED.json:
 * the LZ4 files (Hadoop framing, or a raw block as old parquet-cpp wrote
 * it, are both decoded); datapage_v1-*-checksum (only their column index
 * is bogus, and flowprep does not use it); column_chunk_key_value_metadata
 * (0 rows: nothing to read); dict-page-offset-zero (offset 0 means none);
 * datapage_v2_empty_datapage (no expected values: it must just read);
 * int96_from_spark (INT96 is not summarized; nulls are compared, values
 * out of the int64 nanosecond range wrap as in arrow-rs). The bad_data
 * file ARROW-GH-43605 is readable (dictionary indices of bit width 0) and
 * every reader agrees on its values, so it is compared too. */
static const struct {
	const char *file, *error, *why;
} refused[] = {
	{ "parquet-testing/data/datapage_v1-corrupt-checksum.parquet", "CRC", "page CRCs do not match" },
	{ "parquet-testing/data/rle-dict-uncompressed-corrupt-checksum.parquet", "CRC", "page CRCs do not match" },
	{ "parquet-testing/data/nation.dict-malformed.parquet", "past the end of its column chunk",
	  "a page runs past total_compressed_size" },
	{ "parquet-testing/data/datapage_v2.snappy.parquet", "flat columns only", "has a list column" },
	{ "parquet-testing/data/nested_structs.rust.parquet", "flat columns only", "nested structs" },
	{ "parquet-testing/data/nulls.snappy.parquet", "flat columns only", "struct column" },
	{ "parquet-testing/data/repeated_no_annotation.parquet", "flat columns only", "repeated group" },
	{ "parquet-testing/bad_data/ARROW-GH-41317.parquet", "flat columns only",
	  "list columns; its chunks also disagree on their number of values" },
	{ "parquet-testing/bad_data/ARROW-GH-45185.parquet", "flat columns only", "list column, bad levels" },
	{ "parquet-testing/bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet", "outside the data of the file",
	  "a chunk runs into the footer; its dictionary page has negative num_values" },
	{ "parquet-testing/bad_data/ARROW-RS-GH-6229-LEVELS.parquet", "flat columns only", "list column, bad levels" },
	{ "parquet-testing/bad_data/PARQUET-1481.parquet", "invalid physical type", "corrupt physical type" },
};

static const char *refusal(const char *file, const char **why)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (strcmp(refused[i].file, file) == 0) {
			*why = refused[i].why;
			return refused[i].error;
		}
	}
	return NULL;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Does our value print as the summary's text (null, bool, integer,
 * shortest double, UTF-8 text or 0x<hex>)? */
static bool val_matches(enum fp_type t, const struct val *v, const struct fp_json *j)
{
	if (j == NULL)
		return false;
	if (j->type == FP_JSON_NULL || v->null)
		return j->type == FP_JSON_NULL && v->null;
	switch (t) {
	case FP_TYPE_BOOL:
		return j->type == FP_JSON_BOOL && j->boolean == v->b;
	case FP_TYPE_DOUBLE: {
		double e = strtod(j->text, NULL);

		return (isnan(e) && isnan(v->f)) || (e == v->f && signbit(e) == signbit(v->f));
	}
	case FP_TYPE_STRING:
		return j->type == FP_JSON_STRING && j->len == v->len && memcmp(j->text, v->bytes, v->len) == 0;
	case FP_TYPE_BINARY:
		if (j->type != FP_JSON_STRING || j->len != 2 + 2 * v->len || strncmp(j->text, "0x", 2) != 0)
			return false;
		for (size_t i = 0; i < v->len; i++) {
			if (hexval(j->text[2 + 2 * i]) * 16 + hexval(j->text[3 + 2 * i]) != (uint8_t)v->bytes[i])
				return false;
		}
		return true;
	default: {
		char buf[32];

		snprintf(buf, sizeof(buf), "%" PRId64, v->i);
		return j->type == FP_JSON_STRING && strcmp(j->text, buf) == 0;
	}
	}
}

static int compare_column(const char *file, const char *name, const struct summary *s, const struct fp_json *e)
{
	const struct fp_json *fnv = fp_json_get(e, "fnv1a64");
	char hex[17];
	int64_t nulls = -1;
	int bad = 0;

	fp_json_int64(fp_json_get(e, "nulls"), &nulls);
	if (nulls != s->nulls) {
		fprintf(stderr, "  %s: column '%s': %" PRId64 " nulls, expected %" PRId64 "\n", file, name, s->nulls,
			nulls);
		bad++;
	}
	if (fnv == NULL)	/* a type the summary does not cover (INT96, DECIMAL) */
		return bad;
	snprintf(hex, sizeof(hex), "%016" PRIx64, s->fnv);
	if (strcmp(hex, fnv->text) != 0) {
		fprintf(stderr, "  %s: column '%s': checksum %s, expected %s\n", file, name, hex, fnv->text);
		bad++;
	}
	if (!val_matches(s->type, &s->first, fp_json_get(e, "first")) ||
	    !val_matches(s->type, &s->last, fp_json_get(e, "last"))) {
		fprintf(stderr, "  %s: column '%s': first/last differ\n", file, name);
		bad++;
	}
	if (s->have_min ? !val_matches(s->type, &s->min, fp_json_get(e, "min")) ||
				  !val_matches(s->type, &s->max, fp_json_get(e, "max"))
			: fp_json_get(e, "min")->type != FP_JSON_NULL) {
		fprintf(stderr, "  %s: column '%s': min/max differ\n", file, name);
		bad++;
	}
	return bad;
}

static void check_sample(const char *dir, const char *file, const struct fp_json *exp)
{
	const struct fp_json *cols = fp_json_get(exp, "columns");
	const char *why = NULL, *must_fail = refusal(file, &why);
	struct read_result res;
	char path[8192];
	int64_t rows = -1, groups = -1;
	int bad = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	/* Odd batch sizes cross page and row group boundaries mid-batch. */
	read_all(path, 1000, &res);
	if (must_fail != NULL) {
		CHECK(!res.ok && strstr(res.error, must_fail) != NULL && strstr(res.error, path) != NULL);
		fprintf(stderr, "  refused  %s (%s): %s\n", file, why, res.ok ? "READ?!" : res.error);
		result_free(&res);
		return;
	}
	if (!res.ok) {
		fprintf(stderr, "  FAILED   %s: %s\n", file, res.error);
		CHECK(res.ok);
		result_free(&res);
		return;
	}
	if (fp_json_int64(fp_json_get(exp, "num_rows"), &rows) == 0 && rows != res.rows) {
		/* repeated_no_annotation says 0 but holds 6; it is refused above. */
		fprintf(stderr, "  %s: %" PRId64 " rows, expected %" PRId64 "\n", file, res.rows, rows);
		bad++;
	}
	if (fp_json_int64(fp_json_get(exp, "num_row_groups"), &groups) == 0 && (size_t)groups != res.row_groups) {
		fprintf(stderr, "  %s: %zu row groups, expected %" PRId64 "\n", file, res.row_groups, groups);
		bad++;
	}
	for (size_t i = 0; cols != NULL && i < cols->n; i++) {
		int c = find_col(&res, cols->keys[i]);

		if (c < 0) {
			fprintf(stderr, "  %s: column '%s' missing\n", file, cols->keys[i]);
			bad++;
			continue;
		}
		bad += compare_column(file, cols->keys[i], &res.cols[c], &cols->items[i]);
	}
	CHECK_EQ_INT(bad, 0);
	fprintf(stderr, "  %s %s: %" PRId64 " rows, %zu columns\n", bad ? "WRONG " : "ok      ", file, res.rows,
		res.ncols);
	result_free(&res);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* Returns false when the samples are absent. */
static bool test_samples(void)
{
	const char *shared = getenv("SHARED_DIR");
	char dir[4096], path[4200];
	struct fp_error err = { "" };
	struct fp_json *exp;
	struct stat st;
	char *text;
	size_t len = 0;

	if (shared == NULL)
		return false;
	snprintf(dir, sizeof(dir), "%s/data/parquet-samples", shared);
	snprintf(path, sizeof(path), "%s/EXPECTED.json", dir);
	if (stat(path, &st) != 0)
		return false;
	text = slurp(path, &len);
	CHECK(text != NULL);
	if (text == NULL)
		return true;
	exp = fp_json_parse(text, len, &err);
	CHECK(exp != NULL && exp->type == FP_JSON_OBJECT);
	for (size_t i = 0; exp != NULL && i < exp->n; i++)
		check_sample(dir, exp->keys[i], &exp->items[i]);
	fp_json_free(exp);
	free(text);
	return true;
}

int main(void)
{
	bool samples;

	run_built_tests();
	samples = test_samples();
	if (!samples)
		fprintf(stderr, "SHARED_DIR/data/parquet-samples not found: sample files skipped "
				"(the built-in files were tested)\n");
	else
		fprintf(stderr, "ok   test_samples\n");
	return TEST_RESULT();
}
