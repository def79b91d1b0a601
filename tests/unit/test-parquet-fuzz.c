/*
 * test-parquet-fuzz.c - damaged Parquet files: known damage gives a known
 * message, random damage never crashes the reader.
 *
 * Known damage (files built with tests/unit/parquet-build.c): one
 * corruption per file (a dictionary index out of range, a page with too
 * many values, a missing page, a CRC mismatch, short PLAIN data, a wrong
 * encoding, a chunk outside the file, broken ZSTD, ...) must fail with a
 * message naming the file, row group, column and page; files that are not
 * Parquet or have a damaged footer must fail to open, naming the file.
 *
 * Random damage: valid files (one built here, plus a few small files from
 * $SHARED_DIR/data/parquet-samples when present) are truncated and have
 * bits and bytes changed at random, with a fixed seed so a failure
 * reproduces. Every mutant is opened and read to the end. Under
 * --enable-sanitizers any out-of-bounds access, leak or undefined
 * behaviour aborts the test; without them it still checks that every
 * failure comes with a message naming the file, and that the mutants
 * exercised both the success and the error paths.
 *
 * PARQUET_FUZZ_SEED and PARQUET_FUZZ_SCALE (a multiplier of the mutant
 * counts) allow longer runs by hand; `make check` uses the fixed defaults.
 * PARQUET_TEST_VERBOSE=1 prints the message of each known damage.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/parquet/parquet-format.h"
#include "format/parquet/parquet.h"
#include "record/batch.h"
#include "tests/unit/parquet-build.h"
#include "tests/unit/test.h"

#define MUTANTS_PER_BUILT_SEED 1500
#define MUTANTS_PER_SAMPLE 150

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static size_t below(struct rng *r, size_t n)
{
	return n ? (size_t)(next(r) % n) : 0;
}

struct stats {
	int opened, open_failed, read_ok, read_failed, rows;
};

/* ------------------------------------------------------------ known damage */

/* ---- corrupt files: each names file, row group, column and page */

enum corruption {
	C_DICT_INDEX, C_TOO_MANY_VALUES, C_MISSING_PAGE, C_CRC, C_PLAIN_SHORT, C_WRONG_ENCODING,
	C_NO_DICTIONARY, C_CHUNK_OUTSIDE, C_ZSTD, C_V2_NULLS, C_CHUNK_VALUES, C_RLE_SHORT, C_DELTA_SHORT,
	C_COUNT
};

static const struct {
	const char *where, *what;
} corruption_error[C_COUNT] = {
	[C_DICT_INDEX] = { "page 2", "dictionary index 7 out of range (dictionary has 3 entries)" },
	[C_TOO_MANY_VALUES] = { "page 2", "page has 9 values but only 2 rows of the row group remain" },
	[C_MISSING_PAGE] = { "page 2", "no more pages but 2 of its rows are missing" },
	[C_CRC] = { "page 2", "page CRC mismatch" },
	[C_PLAIN_SHORT] = { "page 2", "PLAIN INT32 data too short" },
	[C_WRONG_ENCODING] = { "page 2", "encoding DELTA_LENGTH_BYTE_ARRAY (6) is not supported for INT32 values" },
	[C_NO_DICTIONARY] = { "page 0", "no dictionary page" },
	[C_CHUNK_OUTSIDE] = { "column 'x'", "lies outside the data of the file" },
	[C_ZSTD] = { "page 2", "ZSTD" },
	[C_V2_NULLS] = { "page 2", "DATA_PAGE_V2 announces 2 nulls but its levels hold 1" },
	[C_CHUNK_VALUES] = { "column 'x'", "column chunk holds 5 values but its row group has 4 rows" },
	[C_RLE_SHORT] = { "page 2", "RLE data ends after" },
	[C_DELTA_SHORT] = { "page 2", "DELTA_BINARY_PACKED" },
};

/* Two row groups of column x (OPTIONAL INT32, dictionary [5, 6, 7]); the
 * damage is in row group 1, page 2 (the dictionary is page 0). */
static char *corrupt_file(enum corruption what)
{
	static const bool valid[] = { 1, 0 };
	static const uint32_t idx[] = { 1, 2 };
	struct pb_buf b = { 0 }, dict = { 0 }, lev = { 0 };
	struct pb_file f;
	int codec = what == C_ZSTD ? FP_CODEC_ZSTD : FP_CODEC_UNCOMPRESSED;
	size_t crc_at = 0;

	for (int i = 5; i <= 7; i++)
		pb_le32(&dict, (uint32_t)i);
	pb_file_init(&f);
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "x", .type = PQ_INT32, .repetition = PQ_OPTIONAL });
	for (int g = 0; g < 2; g++) {
		bool bad = g == 1;

		pb_file_row_group(&f, 4);
		pb_file_chunk(&f, codec);
		if (!(bad && what == C_NO_DICTIONARY))
			pb_dict_page(&f, 3, &dict);
		b.len = 0;
		pb_def_levels(&b, valid, 2, true);
		pb_dict_indices(&b, idx, 1, 2, false);
		pb_data_page(&f, PQ_ENC_RLE_DICTIONARY, 2, &b);
		if (bad && (what == C_MISSING_PAGE || what == C_TOO_MANY_VALUES))
			f.chunks[1][0].patch_num_values = 4;	/* the footer agrees with the rows */
		if (bad && what == C_MISSING_PAGE)
			continue;
		b.len = 0;
		pb_def_levels(&b, valid, 2, true);
		if (bad && what == C_DICT_INDEX) {
			pb_dict_indices(&b, (const uint32_t[]){ 7 }, 1, 3, false);
		} else if (bad && what == C_PLAIN_SHORT) {
			pb_u8(&b, 1);
		} else if (bad && what == C_RLE_SHORT) {
			pb_u8(&b, 2);	/* bit width, then no runs */
		} else if (bad && what == C_DELTA_SHORT) {
			pb_uleb(&b, 128);
			pb_uleb(&b, 4);
			pb_uleb(&b, 1);	/* holds 1 value... */
		} else {
			pb_dict_indices(&b, idx, 1, 2, false);
		}
		if (bad && what == C_V2_NULLS) {
			lev.len = 0;
			pb_def_levels(&lev, valid, 2, false);
			b.len = 0;
			pb_dict_indices(&b, idx, 1, 2, false);
			pb_file_page(&f, &(struct pb_page){ .type = PQ_PAGE_DATA_V2, .num_values = 2, .num_nulls = 2,
							    .num_rows = 2, .encoding = PQ_ENC_RLE_DICTIONARY,
							    .levels = &lev, .body = &b });
			continue;
		}
		if (bad && what == C_CRC)
			crc_at = f.b.len;
		pb_file_page(&f, &(struct pb_page){
			.type = PQ_PAGE_DATA,
			.num_values = bad && what == C_TOO_MANY_VALUES ? 9 : 2,
			.encoding = bad && (what == C_PLAIN_SHORT)	 ? PQ_ENC_PLAIN
				    : bad && what == C_WRONG_ENCODING	 ? PQ_ENC_DELTA_LENGTH_BYTE_ARRAY
				    : bad && what == C_DELTA_SHORT	 ? PQ_ENC_DELTA_BINARY_PACKED
									 : PQ_ENC_RLE_DICTIONARY,
			.body = &b, .crc = bad && what == C_CRC });
		if (bad && what == C_ZSTD) {
			/* break the magic of the page's zstd frame */
			for (size_t i = f.b.len - 4; i > 0; i--) {
				if (memcmp(f.b.p + i, "\x28\xb5\x2f\xfd", 4) == 0) {
					f.b.p[i] ^= 0x55;
					break;
				}
			}
		}
		if (bad && what == C_CHUNK_OUTSIDE)
			f.chunks[1][0].size = 1 << 20;
		if (bad && what == C_CHUNK_VALUES)
			f.chunks[1][0].patch_num_values = 5;
	}
	if (crc_at)
		f.b.p[f.b.len - 1] ^= 1;	/* the page's last byte, after its header */
	pb_free(&b);
	pb_free(&dict);
	pb_free(&lev);
	return pb_file_write_temp(&f);
}

static void test_corrupt_pages(void)
{
	for (int c = 0; c < C_COUNT; c++) {
		char *path = corrupt_file((enum corruption)c), where[4200];
		struct pb_texts t;

		snprintf(where, sizeof(where), "%s: row group 1, column 'x'", path);
		pb_read_texts(path, 3, &t);
		if (getenv("PARQUET_TEST_VERBOSE"))
			fprintf(stderr, "  corruption %d: %s\n", c, t.error);
		CHECK(!t.ok && t.error_repeats);
		if (t.ok || strstr(t.error, where) == NULL || strstr(t.error, corruption_error[c].where) == NULL ||
		    strstr(t.error, corruption_error[c].what) == NULL) {
			fprintf(stderr, "  corruption %d: got \"%s\"\n", c, t.error);
			CHECK(false);
		}
		/* Batches of 3 rows: what came before the damage came out. */
		CHECK_EQ_STR(pb_text_of(&t, "x"),
			     strcmp(corruption_error[c].where, "page 2") == 0 ? "6,null,6,null,6,null" : "6,null,6");
		pb_texts_free(&t);
		pb_remove_temp(path);
	}
}

/* ---- files that are not Parquet, or whose footer is damaged */

static void expect_open_error(const void *bytes, size_t len, const char *what)
{
	char *path = pb_write_temp(bytes, len);
	struct fp_error err = { "" };
	struct fp_parquet_reader *r = fp_parquet_reader_open(path, &err);

	CHECK(r == NULL);
	if (r != NULL) {
		fp_parquet_reader_close(r);
	} else if (strstr(err.msg, path) == NULL || strstr(err.msg, what) == NULL) {
		fprintf(stderr, "  expected \"%s\", got \"%s\"\n", what, err.msg);
		CHECK(false);
	}
	pb_remove_temp(path);
}

static void test_bad_files(void)
{
	struct pb_buf b = { 0 };
	struct pb_file f;
	struct fp_error err = { "" };
	size_t footer_len;
	uint8_t *good;
	size_t good_len;

	expect_open_error("", 0, "not a Parquet file (only 0 bytes)");
	expect_open_error("PAR1xxxxxxxxxxxxPAR1", 20, "does not fit");
	expect_open_error("PARQxxxxxxxxxxxxPAR1", 20, "no PAR1 magic at the start");
	expect_open_error("PAR1\x02\0\0\0PARE", 12, "encrypted");
	CHECK(fp_parquet_reader_open("/nonexistent/x.parquet", &err) == NULL &&
	      strstr(err.msg, "/nonexistent/x.parquet") != NULL);

	pb_file_init(&f);
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "x", .type = PQ_INT32, .repetition = PQ_REQUIRED });
	pb_file_row_group(&f, 1);
	pb_file_chunk(&f, FP_CODEC_UNCOMPRESSED);
	pb_le32(&b, 42);
	pb_data_page(&f, PQ_ENC_PLAIN, 1, &b);
	pb_free(&b);
	pb_file_finish(&f);
	good = f.b.p;
	good_len = f.b.len;
	footer_len = (size_t)good[good_len - 8] | (size_t)good[good_len - 7] << 8;
	/* truncated: the end magic is gone */
	expect_open_error(good, good_len - 3, "no PAR1 magic at the end");
	/* footer bytes garbled: Thrift errors name the footer */
	b.len = 0;
	pb_bytes(&b, good, good_len);
	memset(b.p + good_len - 8 - footer_len, 0xff, 6);
	expect_open_error(b.p, b.len, "footer");
	/* footer cut short (length field shrunk) */
	b.len = 0;
	pb_bytes(&b, good, good_len);
	b.p[good_len - 8] = (uint8_t)(footer_len - 10);
	expect_open_error(b.p, b.len, "footer");
	pb_free(&b);
	pb_file_free(&f);
}

/* ------------------------------------------------------------ seeds */

static void page(struct pb_file *f, int type, int encoding, int n, int nulls, const struct pb_buf *levels,
		 const struct pb_buf *body, bool crc)
{
	struct pb_page pg = { .type = type, .num_values = n, .num_nulls = nulls, .num_rows = n, .encoding = encoding,
			      .levels = levels, .body = body, .crc = crc };

	pb_file_page(f, &pg);
}

/* One column of each kind the reader decodes, two row groups of 24 rows
 * in two pages each, under every codec. */
static void build_seed(struct pb_buf *out)
{
	enum { ROWS = 12 };
	static const char *words[] = { "alpha", "beta", "gamma" };
	struct pb_buf b = { 0 }, lev = { 0 }, runs = { 0 };
	bool valid[ROWS];
	const char *strs[ROWS];
	int64_t ints[ROWS];
	double dbl[ROWS];
	uint32_t idx[ROWS], bits[ROWS];
	struct pb_file f;
	size_t present;

	pb_file_init(&f);
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "s", .type = PQ_BYTE_ARRAY, .repetition = PQ_OPTIONAL,
					    .converted = PB_CT(PQ_CT_UTF8) });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "n", .type = PQ_INT64, .repetition = PQ_OPTIONAL });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "d", .type = PQ_DOUBLE, .repetition = PQ_REQUIRED });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "k", .type = PQ_BYTE_ARRAY, .repetition = PQ_OPTIONAL });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "b", .type = PQ_BOOLEAN, .repetition = PQ_REQUIRED });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "t", .type = PQ_INT96, .repetition = PQ_REQUIRED });
	pb_file_leaf(&f, &(struct pb_leaf){ .name = "i", .type = PQ_INT32, .repetition = PQ_OPTIONAL,
					    .logical = PQ_LT_INTEGER, .bit_width = 16 });
	for (int g = 0; g < 2; g++) {
		pb_file_row_group(&f, 2 * ROWS);
		/* s: dictionary, v1, SNAPPY */
		pb_file_chunk(&f, FP_CODEC_SNAPPY);
		b.len = 0;
		for (int i = 0; i < 3; i++)
			pb_plain_string(&b, words[i]);
		page(&f, PQ_PAGE_DICTIONARY, PQ_ENC_PLAIN, 3, 0, NULL, &b, false);
		for (int p = 0; p < 2; p++) {
			present = 0;
			for (int i = 0; i < ROWS; i++) {
				valid[i] = (i + p + g) % 4 != 0;
				if (valid[i])
					idx[present++] = (uint32_t)(i % 3);
			}
			b.len = 0;
			pb_def_levels(&b, valid, ROWS, true);
			pb_u8(&b, 2);
			pb_packed_run(&b, idx, present, 2);
			page(&f, PQ_PAGE_DATA, PQ_ENC_RLE_DICTIONARY, ROWS, 0, NULL, &b, false);
		}
		/* n: delta, v2, ZSTD */
		pb_file_chunk(&f, FP_CODEC_ZSTD);
		for (int p = 0; p < 2; p++) {
			present = 0;
			for (int i = 0; i < ROWS; i++) {
				valid[i] = i % 5 != 1;
				if (valid[i])
					ints[present++] = (int64_t)(i * i * 1000003) - 77 * g;
			}
			lev.len = b.len = 0;
			pb_def_levels(&lev, valid, ROWS, false);
			pb_delta(&b, ints, present);
			page(&f, PQ_PAGE_DATA_V2, PQ_ENC_DELTA_BINARY_PACKED, ROWS, ROWS - (int)present, &lev, &b,
			     true);
		}
		/* d: byte stream split, GZIP */
		pb_file_chunk(&f, FP_CODEC_GZIP);
		for (int p = 0; p < 2; p++) {
			for (int i = 0; i < ROWS; i++)
				dbl[i] = i * 1.25 - p;
			b.len = 0;
			pb_byte_stream_split(&b, dbl, ROWS, 8);
			page(&f, PQ_PAGE_DATA, PQ_ENC_BYTE_STREAM_SPLIT, ROWS, 0, NULL, &b, false);
		}
		/* k: delta byte array, uncompressed, then delta length */
		pb_file_chunk(&f, FP_CODEC_UNCOMPRESSED);
		for (int p = 0; p < 2; p++) {
			present = 0;
			for (int i = 0; i < ROWS; i++) {
				valid[i] = i % 3 != 2;
				if (valid[i])
					strs[present++] = words[(i / 2) % 3];
			}
			b.len = 0;
			pb_def_levels(&b, valid, ROWS, true);
			if (p == 0)
				pb_delta_bytes(&b, strs, present);
			else
				pb_delta_length(&b, strs, present);
			page(&f, PQ_PAGE_DATA, p ? PQ_ENC_DELTA_LENGTH_BYTE_ARRAY : PQ_ENC_DELTA_BYTE_ARRAY, ROWS, 0,
			     NULL, &b, false);
		}
		/* b: RLE booleans, v2, LZ4_RAW */
		pb_file_chunk(&f, FP_CODEC_LZ4_RAW);
		for (int p = 0; p < 2; p++) {
			for (int i = 0; i < ROWS; i++)
				bits[i] = (uint32_t)((i * 7 + p) % 3 == 0);
			runs.len = b.len = 0;
			pb_packed_run(&runs, bits, ROWS, 1);
			pb_le32(&b, (uint32_t)runs.len);
			pb_bytes(&b, runs.p, runs.len);
			page(&f, PQ_PAGE_DATA_V2, PQ_ENC_RLE, ROWS, 0, NULL, &b, false);
		}
		/* t: INT96 PLAIN, uncompressed */
		pb_file_chunk(&f, FP_CODEC_UNCOMPRESSED);
		for (int p = 0; p < 2; p++) {
			b.len = 0;
			for (int i = 0; i < ROWS; i++) {
				pb_le64(&b, (uint64_t)i * 3600000000000u);
				pb_le32(&b, 2460000 + (uint32_t)i);
			}
			page(&f, PQ_PAGE_DATA, PQ_ENC_PLAIN, ROWS, 0, NULL, &b, false);
		}
		/* i: PLAIN_DICTIONARY with CRCs, uncompressed */
		pb_file_chunk(&f, FP_CODEC_UNCOMPRESSED);
		b.len = 0;
		pb_le32(&b, 65535);
		pb_le32(&b, 7);
		page(&f, PQ_PAGE_DICTIONARY, PQ_ENC_PLAIN_DICTIONARY, 2, 0, NULL, &b, true);
		for (int p = 0; p < 2; p++) {
			present = 0;
			for (int i = 0; i < ROWS; i++) {
				valid[i] = i % 2 == 0;
				if (valid[i])
					idx[present++] = (uint32_t)((i / 2) % 2);
			}
			b.len = 0;
			pb_def_levels(&b, valid, ROWS, true);
			pb_u8(&b, 1);
			pb_rle_run(&b, idx[0], (uint32_t)present, 1);
			page(&f, PQ_PAGE_DATA, PQ_ENC_PLAIN_DICTIONARY, ROWS, 0, NULL, &b, true);
		}
	}
	pb_free(&b);
	pb_free(&lev);
	pb_free(&runs);
	pb_file_finish(&f);
	*out = f.b;
}

/* ------------------------------------------------------------ reading */

/* Reads everything; returns rows, or -1 after an error (checked). */
static long read_file(const char *path, size_t batch_rows, struct stats *st)
{
	struct fp_error err = { "" };
	struct fp_parquet_reader *r = fp_parquet_reader_open(path, &err);
	const struct fp_parquet_file_info *info;
	struct fp_batch *b;
	long n, total = 0;

	if (r == NULL) {
		st->open_failed++;
		CHECK(err.msg[0] != '\0' && strstr(err.msg, path) != NULL);
		return -1;
	}
	st->opened++;
	info = fp_parquet_reader_info(r);
	for (size_t i = 0; i < info->num_columns; i++) {
		const struct fp_parquet_column_info *c = fp_parquet_reader_column(r, i);

		CHECK(c != NULL && c->name != NULL && c->physical != NULL && c->logical != NULL);
	}
	CHECK(fp_parquet_reader_schema(r)->nfields == info->num_columns);
	b = fp_batch_new(fp_parquet_reader_schema(r), batch_rows);
	err.msg[0] = '\0';
	while ((n = fp_parquet_reader_next(r, b, &err)) > 0) {
		CHECK((size_t)n == b->nrows && b->nrows <= b->capacity);
		total += n;
	}
	if (n < 0) {
		st->read_failed++;
		CHECK(err.msg[0] != '\0' && strstr(err.msg, path) != NULL);
		if (err.msg[0] == '\0' || strstr(err.msg, path) == NULL)
			fprintf(stderr, "  bad message: \"%s\"\n", err.msg);
	} else {
		st->read_ok++;
		st->rows += (int)total;
	}
	fp_batch_free(b);
	fp_parquet_reader_close(r);
	return n < 0 ? -1 : total;
}

static void put_file(const char *path, const uint8_t *p, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	if (fd < 0 || write(fd, p, len) != (ssize_t)len) {
		perror(path);
		abort();
	}
	close(fd);
}

/* Changes one to four things: truncation, bit flips, random or extreme
 * bytes, a third of the time aimed at the footer where the structure is. */
static size_t mutate(struct rng *r, uint8_t *p, size_t len)
{
	uint32_t footer = len >= 8 ? (uint32_t)p[len - 8] | (uint32_t)p[len - 7] << 8 : 0;
	int changes = 1 + (int)below(r, 4);

	for (int c = 0; c < changes && len > 0; c++) {
		size_t at = below(r, len);

		if (footer + 8 < len && below(r, 3) == 0)
			at = len - 8 - below(r, footer + 8);
		switch (below(r, 6)) {
		case 0:
			if (below(r, 4) == 0)
				len = at;	/* truncate */
			else
				p[at] ^= (uint8_t)(1u << below(r, 8));
			break;
		case 1:
		case 2:
			p[at] ^= (uint8_t)(1u << below(r, 8));
			break;
		case 3:
			p[at] = (uint8_t)next(r);
			break;
		default: {
			static const uint8_t extreme[] = { 0x00, 0xff, 0x7f, 0x80, 0x01, 0x0f, 0xf0 };

			p[at] = extreme[below(r, sizeof(extreme))];
			break;
		}
		}
	}
	return len;
}

static void fuzz_seed(const char *name, const uint8_t *seed, size_t len, int mutants, struct rng *r,
		      const char *path)
{
	struct stats st = { 0 };
	uint8_t *buf = malloc(len ? len : 1);
	static const size_t batches[] = { 1, 5, 64, 1000 };

	put_file(path, seed, len);
	CHECK(read_file(path, 100, &st) >= 0);	/* the seed itself is fine */
	memset(&st, 0, sizeof(st));
	for (int i = 0; i < mutants; i++) {
		size_t n;

		memcpy(buf, seed, len);
		n = mutate(r, buf, len);
		put_file(path, buf, n);
		read_file(path, batches[below(r, 4)], &st);
	}
	fprintf(stderr, "  %-45s %d mutants: %d open errors, %d read errors, %d read to the end\n", name, mutants,
		st.open_failed, st.read_failed, st.read_ok);
	/* Both paths were taken: the mutations are neither all fatal nor all harmless. */
	CHECK(st.open_failed > 0 && st.read_ok > 0);
	free(buf);
}

static bool slurp(const char *path, struct pb_buf *out)
{
	FILE *f = fopen(path, "rb");
	uint8_t chunk[4096];
	size_t n;

	if (f == NULL)
		return false;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		pb_bytes(out, chunk, n);
	fclose(f);
	return true;
}

static void test_fuzz(void)
{
	static const char *samples[] = {
		"parquet-testing/data/alltypes_plain.parquet",
		"parquet-testing/data/alltypes_dictionary.parquet",
		"parquet-testing/data/alltypes_plain.snappy.parquet",
		"parquet-testing/data/concatenated_gzip_members.parquet",
		"parquet-testing/data/delta_length_byte_array.parquet",
		"parquet-testing/data/byte_stream_split.zstd.parquet",
		"parquet-testing/data/rle_boolean_encoding.parquet",
		"parquet-testing/data/hadoop_lz4_compressed.parquet",
		"parquet-testing/data/lz4_raw_compressed.parquet",
		"parquet-testing/data/rle-dict-snappy-checksum.parquet",
		"parquet-testing/data/page_v2_empty_compressed.parquet",
		"parquet-testing/data/datapage_v2_empty_datapage.snappy.parquet",
		"parquet-testing/data/dict-page-offset-zero.parquet",
		"parquet-testing/bad_data/ARROW-GH-43605.parquet",
	};
	struct rng r = { 0x243f6a8885a308d3u };
	const char *shared = getenv("SHARED_DIR");
	const char *seed_env = getenv("PARQUET_FUZZ_SEED"), *scale_env = getenv("PARQUET_FUZZ_SCALE");
	int scale = scale_env ? atoi(scale_env) : 1;
	struct pb_buf seed = { 0 };
	char *path;

	if (seed_env != NULL)
		r.s = strtoull(seed_env, NULL, 0) | 1;
	if (scale < 1)
		scale = 1;
	build_seed(&seed);
	path = pb_write_temp(seed.p, seed.len);
	fuzz_seed("(built) seven columns, two row groups", seed.p, seed.len, MUTANTS_PER_BUILT_SEED * scale, &r, path);
	pb_free(&seed);
	for (size_t i = 0; shared != NULL && i < sizeof(samples) / sizeof(samples[0]); i++) {
		char file[4096];

		snprintf(file, sizeof(file), "%s/data/parquet-samples/%s", shared, samples[i]);
		seed.len = 0;
		if (!slurp(file, &seed))
			continue;
		fuzz_seed(samples[i], seed.p, seed.len, MUTANTS_PER_SAMPLE * scale, &r, path);
	}
	if (shared == NULL)
		fprintf(stderr, "  SHARED_DIR not set: only the built seed was mutated\n");
	pb_free(&seed);
	unlink(path);
	free(path);
}

int main(void)
{
	RUN(test_corrupt_pages);
	RUN(test_bad_files);
	RUN(test_fuzz);
	return TEST_RESULT();
}
