/*
 * test-parquet-write.c - the Parquet writer's encoders against answers
 * computed by hand from the specification (Thrift compact protocol,
 * Encodings.md, Compression.md), and the bytes of whole small files.
 *
 * Expected byte strings carry comments naming each field, so a failure
 * points at the rule that broke. Files are written to memory streams.
 */
#include "config.h"

#include <math.h>
#include <snappy-c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "format/parquet/codec-compress.h"
#include "format/parquet/column-dict.h"
#include "format/parquet/column-stats.h"
#include "format/parquet/encode-plain.h"
#include "format/parquet/encode-rle.h"
#include "format/parquet/parquet.h"
#include "format/parquet/thrift-encode.h"
#include "format/parquet/write-buf.h"
#include "record/batch.h"
#include "record/schema.h"
#include "test.h"

/* Compares a buffer with an expected byte string, printing both on failure. */
static void check_bytes(const char *what, const uint8_t *got, size_t got_len, const uint8_t *want, size_t want_len)
{
	test_checks++;
	if (got_len == want_len && (want_len == 0 || memcmp(got, want, want_len) == 0))
		return;
	test_failures++;
	fprintf(stderr, "%s: bytes differ (got %zu, want %zu)\n  got: ", what, got_len, want_len);
	for (size_t i = 0; i < got_len && i < 96; i++)
		fprintf(stderr, "%02x ", got[i]);
	fprintf(stderr, "\n want: ");
	for (size_t i = 0; i < want_len && i < 96; i++)
		fprintf(stderr, "%02x ", want[i]);
	fprintf(stderr, "\n");
	for (size_t i = 0; i < got_len && i < want_len; i++) {
		if (got[i] != want[i]) {
			fprintf(stderr, "  first difference at byte %zu\n", i);
			break;
		}
	}
}

#define CHECK_BUF(what, buf, ...)                                                            \
	do {                                                                                 \
		static const uint8_t want_[] = { __VA_ARGS__ };                              \
		check_bytes(what, (buf)->p, (buf)->len, want_, sizeof(want_));               \
	} while (0)

/* ------------------------------------------------------------ primitives */

static void test_varint_zigzag(void)
{
	struct pq_buf b = { 0 };

	pq_buf_uvarint(&b, 0);
	pq_buf_uvarint(&b, 1);
	pq_buf_uvarint(&b, 127);
	pq_buf_uvarint(&b, 128);
	pq_buf_uvarint(&b, 300);
	CHECK_BUF("uvarint", &b, 0x00, 0x01, 0x7f, 0x80, 0x01, 0xac, 0x02);
	pq_buf_clear(&b);
	pq_buf_uvarint(&b, UINT64_MAX);
	CHECK_BUF("uvarint max", &b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
	CHECK_EQ_INT(pq_zigzag64(0), 0);
	CHECK_EQ_INT(pq_zigzag64(-1), 1);
	CHECK_EQ_INT(pq_zigzag64(1), 2);
	CHECK_EQ_INT(pq_zigzag64(-2), 3);
	CHECK_EQ_INT(pq_zigzag64(2147483647), 4294967294LL);
	CHECK(pq_zigzag64(INT64_MAX) == UINT64_MAX - 1);
	CHECK(pq_zigzag64(INT64_MIN) == UINT64_MAX);
	CHECK_EQ_INT(pq_bit_width(0), 0);
	CHECK_EQ_INT(pq_bit_width(1), 1);
	CHECK_EQ_INT(pq_bit_width(2), 2);
	CHECK_EQ_INT(pq_bit_width(255), 8);
	CHECK_EQ_INT(pq_bit_width(256), 9);
	pq_buf_free(&b);
}

static void test_thrift_fields(void)
{
	struct pq_buf b = { 0 };
	struct tc_enc e;

	tc_enc_init(&e, &b);
	tc_field_i32(&e, 1, 5);		/* delta 1, type 5: 0x15, zigzag 10 */
	tc_field_i32(&e, 2, -1);	/* 0x15, zigzag 1 */
	tc_field_i64(&e, 4, 300);	/* delta 2, type 6: 0x26, zigzag 600 = d8 04 */
	tc_field_bool(&e, 5, true);	/* 0x11: the type carries the value */
	tc_field_bool(&e, 6, false);	/* 0x12 */
	tc_field_binary(&e, 7, "ab", 2);	/* 0x18, length 2, bytes */
	tc_field_i32(&e, 30, 1);	/* delta 23 > 15: type byte 0x05, zigzag id 60 = 0x3c */
	tc_field_i32(&e, 31, 1);	/* back to short form: 0x15 */
	tc_field_double(&e, 32, 1.0);	/* 0x17, 8 bytes little endian */
	tc_struct_end(&e);
	CHECK_BUF("thrift fields", &b,
		  0x15, 0x0a,
		  0x15, 0x01,
		  0x26, 0xd8, 0x04,
		  0x11,
		  0x12,
		  0x18, 0x02, 'a', 'b',
		  0x05, 0x3c, 0x02,
		  0x15, 0x02,
		  0x17, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f,
		  0x00);
	pq_buf_free(&b);
}

static void test_thrift_nesting_and_lists(void)
{
	struct pq_buf b = { 0 };
	struct tc_enc e;

	tc_enc_init(&e, &b);
	tc_field_struct_begin(&e, 1);		/* 0x1c */
	tc_field_i32(&e, 3, 1);			/* ids restart inside: delta 3 -> 0x35 0x02 */
	tc_struct_end(&e);			/* 0x00 */
	tc_field_i32(&e, 2, 2);			/* outer last id is 1 again: 0x15 0x04 */
	tc_field_list_begin(&e, 3, TC_I32, 3);	/* 0x19, 3 << 4 | 5 = 0x35 */
	tc_elem_i32(&e, 0);
	tc_elem_i32(&e, 3);
	tc_elem_i32(&e, 8);
	tc_field_list_begin(&e, 4, TC_STRUCT, 1);	/* 0x19, 0x1c */
	tc_elem_struct_begin(&e);
	tc_field_empty_struct(&e, 1);		/* 0x1c 0x00 */
	tc_struct_end(&e);			/* 0x00 */
	tc_field_list_begin(&e, 5, TC_BINARY, 1);	/* 0x19, 0x18 */
	tc_elem_binary(&e, "x", 1);
	tc_struct_end(&e);
	CHECK_BUF("thrift nesting", &b,
		  0x1c, 0x35, 0x02, 0x00,
		  0x15, 0x04,
		  0x19, 0x35, 0x00, 0x06, 0x10,
		  0x19, 0x1c, 0x1c, 0x00, 0x00,
		  0x19, 0x18, 0x01, 'x',
		  0x00);

	/* 15 elements or more: 0xf0 | type, then the size as a varint. */
	pq_buf_clear(&b);
	tc_enc_init(&e, &b);
	tc_field_list_begin(&e, 1, TC_I64, 20);
	CHECK_BUF("thrift long list", &b, 0x19, 0xf6, 0x14);
	pq_buf_free(&b);
}

/* ------------------------------------------------------------ RLE / bit-packing */

static void test_rle_spec_example(void)
{
	/* Encodings.md: 0..7 at width 3 pack to 10001000 11000110 11111010. */
	static const uint32_t v[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	struct pq_buf b = { 0 };

	pq_rle_encode_u32(&b, v, 8, 3);
	CHECK_BUF("spec bit-packing", &b, 0x03, 0x88, 0xc6, 0xfa);
	pq_buf_free(&b);
}

static void test_rle_runs(void)
{
	uint8_t ones[100], mixed[13];
	static const uint8_t borrow[] = { 0, 1, 0, 1, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2 };
	static const uint8_t tail_run[] = { 3, 3, 3 };
	uint32_t wide[10];
	struct pq_buf b = { 0 };

	memset(ones, 1, sizeof(ones));
	pq_rle_encode_u8(&b, ones, 100, 1);
	CHECK_BUF("one RLE run", &b, 0xc8, 0x01, 0x01);	/* header 100 << 1 = 200 */

	/* 10 ones then 0 1 0: an RLE run, then one padded bit-packed group. */
	memset(mixed, 1, 10);
	mixed[10] = 0;
	mixed[11] = 1;
	mixed[12] = 0;
	pq_buf_clear(&b);
	pq_rle_encode_u8(&b, mixed, 13, 1);
	CHECK_BUF("run then literals", &b, 0x14, 0x01, 0x03, 0x02);

	/* 5 literals before a run of 10: 3 values are borrowed from the run to
	 * complete the group of 8, the other 7 stay a run. Width 2:
	 * 0 1 0 1 -> 0x44, 0 2 2 2 -> 0xa8. */
	pq_buf_clear(&b);
	pq_rle_encode_u8(&b, borrow, sizeof(borrow), 2);
	CHECK_BUF("borrowed padding", &b, 0x03, 0x44, 0xa8, 0x0e, 0x02);

	/* A short run alone is still a run: smaller than a padded group. */
	pq_buf_clear(&b);
	pq_rle_encode_u8(&b, tail_run, 3, 2);
	CHECK_BUF("short run", &b, 0x06, 0x03);

	/* Run values take ceil(width / 8) bytes, little endian. */
	for (int i = 0; i < 10; i++)
		wide[i] = 300;
	pq_buf_clear(&b);
	pq_rle_encode_u32(&b, wide, 10, 9);
	CHECK_BUF("wide run", &b, 0x14, 0x2c, 0x01);

	/* Definition levels of a v1 page: 4-byte length first. */
	pq_buf_clear(&b);
	pq_rle_encode_levels(&b, ones, 12);
	CHECK_BUF("levels", &b, 0x02, 0x00, 0x00, 0x00, 0x18, 0x01);
	pq_buf_clear(&b);
	pq_rle_encode_levels(&b, (const uint8_t[]){ 1, 0, 1 }, 3);
	CHECK_BUF("levels with nulls", &b, 0x02, 0x00, 0x00, 0x00, 0x03, 0x05);
	pq_buf_free(&b);
}

/* An independent decoder of the hybrid encoding, for random round trips. */
static size_t rle_decode(const uint8_t *p, size_t len, int width, uint32_t *out, size_t n)
{
	size_t at = 0, got = 0;

	while (got < n && at < len) {
		uint64_t h = 0;
		int shift = 0;

		while (at < len) {
			h |= (uint64_t)(p[at] & 0x7f) << shift;
			shift += 7;
			if (!(p[at++] & 0x80))
				break;
		}
		if (h & 1) {
			size_t count = (size_t)(h >> 1) * 8;

			for (size_t i = 0; i < count; i++) {
				uint32_t x = 0;

				for (int k = 0; k < width; k++) {
					size_t bit = i * (size_t)width + (size_t)k;

					if (at + bit / 8 < len && (p[at + bit / 8] >> (bit % 8)) & 1)
						x |= 1u << k;
				}
				if (got < n)
					out[got++] = x;
			}
			at += (size_t)(h >> 1) * (size_t)width;
		} else {
			uint32_t x = 0;

			for (int k = 0; k < (width + 7) / 8; k++)
				x |= (uint32_t)p[at++] << (8 * k);
			for (size_t i = 0; i < (size_t)(h >> 1) && got < n; i++)
				out[got++] = x;
		}
	}
	return got;
}

static void test_rle_random_roundtrip(void)
{
	enum { N = 5000 };
	uint32_t *v = malloc(N * sizeof(*v)), *back = malloc(N * sizeof(*back));
	uint64_t seed = 42;
	struct pq_buf b = { 0 };

	for (int width = 1; width <= 32; width += (width < 4 ? 1 : 7)) {
		size_t n = N - (size_t)width * 37;
		uint32_t mask = width == 32 ? UINT32_MAX : (1u << width) - 1;

		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			/* Stretches of runs and of noise. */
			v[i] = ((i / 50) % 2 && i > 0) ? v[i - 1] : (uint32_t)(seed >> 29) & mask;
		}
		pq_buf_clear(&b);
		pq_rle_encode_u32(&b, v, n, width);
		memset(back, 0xab, N * sizeof(*back));
		CHECK_EQ_INT(rle_decode(b.p, b.len, width, back, n), n);
		CHECK(memcmp(v, back, n * sizeof(*v)) == 0);
	}
	pq_buf_free(&b);
	free(v);
	free(back);
}

/* ------------------------------------------------------------ PLAIN, dictionary, statistics */

static void test_plain(void)
{
	static const uint8_t bools[] = { 1, 0, 1, 1, 0, 0, 0, 0, 1 };
	static const int32_t ints[] = { 1, -2 };
	static const char data[] = "abxyz";
	static const size_t offs[] = { 0, 2, 2, 5 };
	struct pq_values bv = { .type = PQ_BOOLEAN, .width = 1, .fixed = bools, .n = 9 };
	struct pq_values iv = { .type = PQ_INT32, .width = 4, .fixed = (const uint8_t *)ints, .n = 2 };
	struct pq_values sv = { .type = PQ_BYTE_ARRAY, .data = (const uint8_t *)data, .offs = offs, .n = 3 };
	static const uint32_t pick[] = { 2, 0 };
	struct pq_buf b = { 0 };

	pq_encode_plain(&b, &bv, 0, 9);
	CHECK_BUF("plain booleans", &b, 0x0d, 0x01);	/* LSB first: 1011 0000 | 1 */
	pq_buf_clear(&b);
	pq_encode_plain(&b, &iv, 0, 2);
	CHECK_BUF("plain int32", &b, 0x01, 0x00, 0x00, 0x00, 0xfe, 0xff, 0xff, 0xff);
	pq_buf_clear(&b);
	pq_encode_plain(&b, &sv, 0, 3);
	CHECK_BUF("plain byte arrays", &b, 2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0, 3, 0, 0, 0, 'x', 'y', 'z');
	CHECK_EQ_INT(pq_plain_size(&sv, 1, 2), 11);
	pq_buf_clear(&b);
	pq_encode_plain_picked(&b, &sv, pick, 2);
	CHECK_BUF("picked byte arrays", &b, 3, 0, 0, 0, 'x', 'y', 'z', 2, 0, 0, 0, 'a', 'b');
	pq_buf_free(&b);
}

static void test_dictionary(void)
{
	static const uint64_t v64[] = { 5, 5, 7, 5, 9, 7 };
	static const char data[] = "10.0.0.110.0.0.2";
	static const size_t offs[] = { 0, 8, 16, 24, 24 };	/* a, b, a (copy), "" */
	uint8_t strings[32];
	uint32_t *many;
	struct pq_dict d = { 0 };

	CHECK_EQ_INT(pq_dict_build_u64(&d, v64, 6, 1 << 20), 1);
	CHECK_EQ_INT(d.nentries, 3);
	CHECK_EQ_INT(d.page_bytes, 24);
	CHECK(d.indices[0] == 0 && d.indices[1] == 0 && d.indices[2] == 1 && d.indices[3] == 0 &&
	      d.indices[4] == 2 && d.indices[5] == 1);
	CHECK(d.first[0] == 0 && d.first[1] == 2 && d.first[2] == 4);
	/* The limit is on the PLAIN dictionary page: 16 bytes hold 2 entries. */
	CHECK_EQ_INT(pq_dict_build_u64(&d, v64, 6, 16), 0);

	memcpy(strings, data, 16);
	memcpy(strings + 16, data, 8);
	CHECK_EQ_INT(pq_dict_build_bytes(&d, strings, offs, 4, 1 << 20), 1);
	CHECK_EQ_INT(d.nentries, 3);
	CHECK_EQ_INT(d.page_bytes, 4 + 8 + 4 + 8 + 4);
	CHECK(d.indices[0] == 0 && d.indices[1] == 1 && d.indices[2] == 0 && d.indices[3] == 2);

	/* Enough entries to grow the table several times. */
	many = malloc(100000 * sizeof(*many));
	for (uint32_t i = 0; i < 100000; i++)
		many[i] = (i * 7919u) % 30011u;
	CHECK_EQ_INT(pq_dict_build_u32(&d, many, 100000, 1 << 20), 1);
	CHECK_EQ_INT(d.nentries, 30011);
	{
		int bad = 0;

		for (uint32_t i = 0; i < 100000; i++)
			bad += many[d.first[d.indices[i]]] != many[i];
		CHECK_EQ_INT(bad, 0);
	}
	free(many);
	pq_dict_free(&d);
}

/* Byte arrays are keyed by their length and two words when short, by
 * their bytes when long: values alike in every byte the key holds must
 * still be told apart, and equal ones found again. */
static void test_dictionary_byte_keys(void)
{
	static const char *const distinct[] = {
		"", "a", "ab", "abc", "abcd", "abcdefg", "abcdefgh", "aaaaaaaaa", "aaaaaaaaaa",
		"aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaa", "10.0.0.1", "10.0.0.10", "192.168.100.200",
		"0123456789abXdef0123456789", "0123456789abYdef0123456789",	/* differ mid-way only */
		"fe80::1ff:fe23:4567:890a/64-and-then-some-more-text-to-pass-32-bytes",
		"fe80::1ff:fe23:4567:890a/64-and-then-some-more-text-to-pass-32-byteZ",
	};
	enum { NDISTINCT = sizeof(distinct) / sizeof(distinct[0]), N = 5 * NDISTINCT, MANY = 20000 };
	uint8_t data[2048];
	size_t offs[N + 1], at = 0, bad = 0;
	struct pq_dict d = { 0 };
	char *big;
	size_t *boffs;

	/* Every value five times, in an order that is not sorted. */
	offs[0] = 0;
	for (size_t i = 0; i < N; i++) {
		const char *v = distinct[(i * 7) % NDISTINCT];

		memcpy(data + at, v, strlen(v));
		at += strlen(v);
		offs[i + 1] = at;
	}
	CHECK_EQ_INT(pq_dict_build_bytes(&d, data, offs, N, 1 << 20), 1);
	CHECK_EQ_INT(d.nentries, NDISTINCT);
	for (size_t i = 0; i < N; i++) {
		size_t f = d.first[d.indices[i]], len = offs[i + 1] - offs[i];

		bad += d.indices[i] >= d.nentries || offs[f + 1] - offs[f] != len ||
		       memcmp(data + offs[f], data + offs[i], len) != 0;
	}
	CHECK_EQ_INT(bad, 0);

	/* Enough short values to grow the table several times. */
	big = malloc(MANY * 16);
	boffs = malloc((MANY + 1) * sizeof(*boffs));
	boffs[0] = at = 0;
	for (size_t i = 0; i < MANY; i++) {
		at += (size_t)sprintf(big + at, "10.%zu.%zu.%zu", (i * 31) % 4001 / 256, (i * 31) % 4001 % 256, i % 3);
		boffs[i + 1] = at;
	}
	d.hint = 0;
	CHECK_EQ_INT(pq_dict_build_bytes(&d, (const uint8_t *)big, boffs, MANY, 1 << 20), 1);
	CHECK_EQ_INT(d.nentries, 4001 * 3 < MANY ? 4001 * 3 : MANY);
	bad = 0;
	for (size_t i = 0; i < MANY; i++) {
		size_t f = d.first[d.indices[i]], len = boffs[i + 1] - boffs[i];

		bad += boffs[f + 1] - boffs[f] != len || memcmp(big + boffs[f], big + boffs[i], len) != 0;
	}
	CHECK_EQ_INT(bad, 0);
	free(big);
	free(boffs);
	pq_dict_free(&d);
}

/* A dictionary stops being built as soon as it cannot pay: for certain
 * (its page plus indices reach the PLAIN size), or, when asked, on a
 * projection from the distinct count a part of the way in. */
static void test_dictionary_gives_up(void)
{
	enum { N = 65536 };
	uint64_t *v = malloc(N * sizeof(*v));
	uint32_t *w = malloc(N * sizeof(*w));
	struct pq_dict d = { 0 };

	for (size_t i = 0; i < N; i++) {
		v[i] = (uint64_t)i * 2654435761u;
		w[i] = (uint32_t)((i * 7919) % 4000);
	}
	/* Unique values, no projection: stops once 8k + 1000 * 10 / 8 bytes
	 * reach the 8000 of PLAIN, at k = 844, not after all 1000. */
	CHECK_EQ_INT(pq_dict_build_u64(&d, v, 1000, 1 << 20), 0);
	CHECK_EQ_INT(d.nentries, 844);
	/* With a projection: stops at an eighth of the chunk. */
	d.bail_ratio = 0.95;
	CHECK_EQ_INT(pq_dict_build_u64(&d, v, N, 1 << 20), 0);
	CHECK_EQ_INT(d.nentries, N / 8);
	/* 4000 values repeated: the projection sees them saturate and lets
	 * the dictionary be built. */
	CHECK_EQ_INT(pq_dict_build_u32(&d, w, N, 1 << 20), 1);
	CHECK_EQ_INT(d.nentries, 4000);
	free(v);
	free(w);
	pq_dict_free(&d);
}

static void stats_of(enum fp_type t, const void *fixed, const uint8_t *data, const size_t *offs, size_t n,
		     struct pq_buf *min, struct pq_buf *max, struct pq_chunk_info *info)
{
	struct pq_column_desc desc = { .name = (char *)"c", .ftype = t, .ptype = pq_physical_type(t) };
	struct pq_values v = { .type = desc.ptype, .fixed = fixed, .data = data, .offs = offs, .n = n };

	v.width = t == FP_TYPE_INT32 ? 4 : t == FP_TYPE_BOOL ? 1 : (t == FP_TYPE_STRING ? 0 : 8);
	memset(info, 0, sizeof(*info));
	pq_chunk_stats(&desc, &v, NULL, 0, min, max, info);
}

static void test_statistics(void)
{
	static const int32_t ints[] = { 3, -7, 12, 0 };
	static const double dbl[] = { NAN, 2.5, -0.0, 0.0, NAN };
	static const double zeros[] = { 0.0, -0.0 };
	static const double nans[] = { NAN, NAN };
	static const uint8_t sdata[] = { 'a', 'b', 0xff, 'a', 'a', 'b', 'c' };
	static const size_t soffs[] = { 0, 2, 3, 4, 7 };	/* "ab" "\xff" "a" "abc" */
	struct pq_buf min = { 0 }, max = { 0 };
	struct pq_chunk_info info;
	double d;

	stats_of(FP_TYPE_INT32, ints, NULL, NULL, 4, &min, &max, &info);
	CHECK(info.has_min_max && info.legacy_min_max && !info.has_nan_count);
	CHECK_BUF("int32 min", &min, 0xf9, 0xff, 0xff, 0xff);
	CHECK_BUF("int32 max", &max, 0x0c, 0x00, 0x00, 0x00);

	/* NaNs are counted, never bounds; zeros: min -0.0, max +0.0. */
	stats_of(FP_TYPE_DOUBLE, dbl, NULL, NULL, 5, &min, &max, &info);
	CHECK(info.has_min_max && info.has_nan_count && info.nan_count == 2);
	memcpy(&d, info.min, 8);
	CHECK(d == 0 && signbit(d));
	memcpy(&d, info.max, 8);
	CHECK(d == 2.5);
	stats_of(FP_TYPE_DOUBLE, zeros, NULL, NULL, 2, &min, &max, &info);
	memcpy(&d, info.max, 8);
	CHECK(d == 0 && !signbit(d));
	stats_of(FP_TYPE_DOUBLE, nans, NULL, NULL, 2, &min, &max, &info);
	CHECK(!info.has_min_max && info.nan_count == 2);

	/* Unsigned byte order: "\xff" sorts last; "a" before "ab". */
	stats_of(FP_TYPE_STRING, NULL, sdata, soffs, 4, &min, &max, &info);
	CHECK(info.has_min_max && !info.legacy_min_max);
	CHECK_BUF("string min", &min, 'a');
	CHECK_BUF("string max", &max, 0xff);

	/* A bound longer than PQ_STATS_MAX_BOUND is left out, with its pair. */
	{
		uint8_t *big = malloc(PQ_STATS_MAX_BOUND + 2);
		size_t boffs[] = { 0, 1, PQ_STATS_MAX_BOUND + 2 };

		memset(big, 'z', PQ_STATS_MAX_BOUND + 2);
		stats_of(FP_TYPE_STRING, NULL, big, boffs, 2, &min, &max, &info);
		CHECK(!info.has_min_max);
		free(big);
	}

	stats_of(FP_TYPE_BOOL, (const uint8_t[]){ 1, 1 }, NULL, NULL, 2, &min, &max, &info);
	CHECK_BUF("bool min", &min, 0x01);
	CHECK_BUF("bool max", &max, 0x01);
	pq_buf_free(&min);
	pq_buf_free(&max);
}

/* ------------------------------------------------------------ codecs */

static void test_codec_names(void)
{
	CHECK_EQ_INT(fp_parquet_codec_parse("zstd"), FP_CODEC_ZSTD);
	CHECK_EQ_INT(fp_parquet_codec_parse("SNAPPY"), FP_CODEC_SNAPPY);
	CHECK_EQ_INT(fp_parquet_codec_parse("none"), FP_CODEC_UNCOMPRESSED);
	CHECK_EQ_INT(fp_parquet_codec_parse("uncompressed"), FP_CODEC_UNCOMPRESSED);
	CHECK_EQ_INT(fp_parquet_codec_parse("lz4_raw"), FP_CODEC_LZ4_RAW);
	CHECK_EQ_INT(fp_parquet_codec_parse("bogus"), -1);
	CHECK_EQ_INT(fp_parquet_codec_parse(NULL), -1);
	for (int c = FP_CODEC_UNCOMPRESSED; c <= FP_CODEC_LZ4_RAW; c++)
		CHECK_EQ_INT(fp_parquet_codec_parse(fp_parquet_codec_name(c)), c);
	CHECK_EQ_STR(fp_parquet_codec_name(FP_CODEC_GZIP), "gzip");
}

static void test_codecs(void)
{
	static const int codecs[] = { FP_CODEC_SNAPPY, FP_CODEC_GZIP, FP_CODEC_ZSTD };
	size_t n = 100000;
	uint8_t *src = malloc(n), *back = malloc(n);
	struct pq_buf out = { 0 };
	struct fp_error err;

	for (size_t i = 0; i < n; i++)
		src[i] = (uint8_t)("flowprep"[i % 8] + (i / 4096) % 3 + (i % 97 == 0));
	for (size_t k = 0; k < sizeof(codecs) / sizeof(codecs[0]); k++) {
		struct pq_compressor *c = pq_compressor_new(codecs[k], 0, &err);

		CHECK(c != NULL);
		if (c == NULL)
			continue;
		/* Twice through the same context: contexts are reused per page. */
		for (int round = 0; round < 2; round++) {
			size_t got = 0;

			CHECK_EQ_INT(pq_compress(c, src, n - (size_t)round * 1000, &out, &err), 0);
			CHECK(out.len < n / 2);
			memset(back, 0, n);
			if (codecs[k] == FP_CODEC_SNAPPY) {
				got = n;
				CHECK(snappy_uncompress((const char *)out.p, out.len, (char *)back, &got) == SNAPPY_OK);
			} else if (codecs[k] == FP_CODEC_GZIP) {
				z_stream z = { 0 };

				CHECK(out.p[0] == 0x1f && out.p[1] == 0x8b);	/* gzip, not zlib */
				inflateInit2(&z, 15 + 16);
				z.next_in = out.p;
				z.avail_in = (uInt)out.len;
				z.next_out = back;
				z.avail_out = (uInt)n;
				CHECK(inflate(&z, Z_FINISH) == Z_STREAM_END);
				got = z.total_out;
				inflateEnd(&z);
			} else {
				CHECK(ZSTD_getFrameContentSize(out.p, out.len) == n - (size_t)round * 1000);
				got = ZSTD_decompress(back, n, out.p, out.len);
			}
			CHECK_EQ_INT(got, n - (size_t)round * 1000);
			CHECK(memcmp(src, back, n - (size_t)round * 1000) == 0);
		}
		pq_compressor_free(c);
	}
	CHECK(pq_compressor_new(FP_CODEC_LZ4_RAW, 0, &err) == NULL);
	CHECK(strstr(err.msg, "lz4_raw") != NULL);
	CHECK(pq_compressor_new(FP_CODEC_ZSTD, 99, &err) == NULL);
	pq_buf_free(&out);
	free(src);
	free(back);
}

/* ------------------------------------------------------------ whole files */

struct memfile {
	char *p;
	size_t len;
	FILE *f;
};

static void mem_open(struct memfile *m)
{
	m->p = NULL;
	m->len = 0;
	m->f = open_memstream(&m->p, &m->len);
}

static void mem_close(struct memfile *m)
{
	fclose(m->f);
}

static struct fp_schema *one_int_schema(bool nullable)
{
	struct fp_schema *s = fp_schema_new("t", "v1");

	fp_schema_add(s, "x", FP_TYPE_INT32, nullable);
	return s;
}

static void plain_options(struct fp_parquet_write_options *o)
{
	fp_parquet_write_options_defaults(o);
	o->codec = FP_CODEC_UNCOMPRESSED;
	o->dictionary = false;
	o->created_by = "t version 1";
}

/* Footer bytes shared by the two files below, from the schema on. */
#define SCHEMA_X_INT32_REQUIRED                                                              \
	0x19, 0x2c,			/* 2: schema, list of 2 structs */                   \
	0x48, 0x06, 's', 'c', 'h', 'e', 'm', 'a',	/* root: 4 name */                   \
	0x15, 0x02, 0x00,		/* 5 num_children 1, stop */                         \
	0x15, 0x02,			/* leaf: 1 type INT32 */                             \
	0x25, 0x00,			/* 3 repetition REQUIRED */                          \
	0x18, 0x01, 'x', 0x00		/* 4 name, stop */

#define FOOTER_TAIL                                                                          \
	0x19, 0x1c,			/* 5: key_value_metadata, 1 struct */                \
	0x18, 0x0f, 'f', 'l', 'o', 'w', 'p', 'r', 'e', 'p', '.', 's', 'c', 'h', 'e', 'm', 'a', \
	0x18, 0x04, 't', '/', 'v', '1', 0x00,                                                \
	0x18, 0x0b, 't', ' ', 'v', 'e', 'r', 's', 'i', 'o', 'n', ' ', '1',	/* 6 created_by */ \
	0x19, 0x1c, 0x1c, 0x00, 0x00,	/* 7: column_orders: TYPE_ORDER {} */                \
	0x00

static void test_empty_file(void)
{
	static const uint8_t want[] = {
		'P', 'A', 'R', '1',
		0x15, 0x02,			/* 1: version 1 */
		SCHEMA_X_INT32_REQUIRED,
		0x16, 0x00,			/* 3: num_rows 0 */
		0x19, 0x0c,			/* 4: row_groups, empty list */
		FOOTER_TAIL,
		72, 0, 0, 0, 'P', 'A', 'R', '1',
	};
	struct fp_schema *s = one_int_schema(false);
	struct fp_parquet_write_options o;
	struct fp_parquet_writer *w;
	struct fp_error err;
	struct memfile m;

	plain_options(&o);
	mem_open(&m);
	w = fp_parquet_writer_open(m.f, "empty", s, &o, &err);
	CHECK(w != NULL);
	CHECK_EQ_INT(fp_parquet_writer_close(w, &err), 0);
	mem_close(&m);
	check_bytes("empty file", (const uint8_t *)m.p, m.len, want, sizeof(want));
	free(m.p);
	fp_schema_free(s);
}

static void test_one_row_file(void)
{
	static const uint8_t want[] = {
		'P', 'A', 'R', '1',
		/* offset 4: PageHeader */
		0x15, 0x00,			/* 1 type DATA_PAGE */
		0x15, 0x08,			/* 2 uncompressed_page_size 4 */
		0x15, 0x08,			/* 3 compressed_page_size 4 */
		0x2c,				/* 5 data_page_header */
		0x15, 0x02,			/*   num_values 1 */
		0x15, 0x00,			/*   encoding PLAIN */
		0x15, 0x06, 0x15, 0x06,		/*   level encodings RLE */
		0x00, 0x00,
		0x07, 0x00, 0x00, 0x00,		/* offset 21: the value 7 */
		/* offset 25: FileMetaData */
		0x15, 0x02,			/* 1 version */
		SCHEMA_X_INT32_REQUIRED,
		0x16, 0x02,			/* 3 num_rows 1 */
		0x19, 0x1c,			/* 4 row_groups: 1 RowGroup */
		0x19, 0x1c,			/*   1 columns: 1 ColumnChunk */
		0x26, 0x00,			/*     2 file_offset 0 */
		0x1c,				/*     3 meta_data */
		0x15, 0x02,			/*       1 type INT32 */
		0x19, 0x25, 0x00, 0x06,		/*       2 encodings [PLAIN, RLE] */
		0x19, 0x18, 0x01, 'x',		/*       3 path_in_schema ["x"] */
		0x15, 0x00,			/*       4 codec UNCOMPRESSED */
		0x16, 0x02,			/*       5 num_values 1 */
		0x16, 0x2a, 0x16, 0x2a,		/*       6, 7 sizes 21 (header 17 + 4) */
		0x26, 0x08,			/*       9 data_page_offset 4 */
		0x3c,				/*       12 statistics */
		0x18, 0x04, 7, 0, 0, 0,		/*         1 max (deprecated) */
		0x18, 0x04, 7, 0, 0, 0,		/*         2 min (deprecated) */
		0x16, 0x00,			/*         3 null_count 0 */
		0x28, 0x04, 7, 0, 0, 0,		/*         5 max_value */
		0x18, 0x04, 7, 0, 0, 0,		/*         6 min_value */
		0x11, 0x11,			/*         7, 8 exact: true */
		0x00,
		0x19, 0x1c,			/*       13 encoding_stats: 1 */
		0x15, 0x00, 0x15, 0x00, 0x15, 0x02, 0x00,	/* DATA_PAGE PLAIN 1 */
		0x00, 0x00,			/*     end meta_data, ColumnChunk */
		0x16, 0x2a,			/*   2 total_byte_size 21 */
		0x16, 0x02,			/*   3 num_rows 1 */
		0x26, 0x08,			/*   5 file_offset 4 */
		0x16, 0x2a,			/*   6 total_compressed_size 21 */
		0x00,
		FOOTER_TAIL,
		147, 0, 0, 0, 'P', 'A', 'R', '1',
	};
	struct fp_schema *s = one_int_schema(false);
	struct fp_batch *b = fp_batch_new(s, 4);
	struct fp_parquet_write_options o;
	struct fp_parquet_writer *w;
	struct fp_error err;
	struct memfile m;

	fp_batch_put_i32(b, 0, 7);
	fp_batch_end_row(b);
	plain_options(&o);
	mem_open(&m);
	w = fp_parquet_writer_open(m.f, "one", s, &o, &err);
	CHECK(w != NULL);
	CHECK_EQ_INT(fp_parquet_writer_write(w, b, &err), 0);
	CHECK_EQ_INT(fp_parquet_writer_close(w, &err), 0);
	mem_close(&m);
	check_bytes("one-row file", (const uint8_t *)m.p, m.len, want, sizeof(want));
	free(m.p);
	fp_batch_free(b);
	fp_schema_free(s);
}

/* The first pages of a dictionary-encoded OPTIONAL string column. */
static void test_dictionary_pages(void)
{
	static const uint8_t want[] = {
		'P', 'A', 'R', '1',
		/* offset 4: dictionary page, 2 entries */
		0x15, 0x04,			/* type DICTIONARY_PAGE */
		0x15, 0x14, 0x15, 0x14,		/* sizes 10 */
		0x4c, 0x15, 0x04, 0x15, 0x00, 0x00,	/* 7 dictionary_page_header: 2, PLAIN */
		0x00,
		1, 0, 0, 0, 'a', 1, 0, 0, 0, 'b',
		/* data page: 5 rows, one null */
		0x15, 0x00,
		0x15, 0x12, 0x15, 0x12,		/* sizes 9 */
		0x2c, 0x15, 0x0a, 0x15, 0x10, 0x15, 0x06, 0x15, 0x06, 0x00,	/* 5 values, RLE_DICTIONARY */
		0x00,
		0x02, 0x00, 0x00, 0x00, 0x03, 0x1b,	/* levels 1 1 0 1 1 */
		0x01,				/* index bit width */
		0x03, 0x02,			/* indices 0 1 0 0 */
	};
	struct fp_schema *s = fp_schema_new("t", "v1");
	struct fp_batch *b;
	struct fp_parquet_write_options o;
	struct fp_parquet_writer *w;
	struct fp_error err;
	struct memfile m;
	static const char *vals[] = { "a", "b", NULL, "a", "a" };

	fp_schema_add(s, "s", FP_TYPE_STRING, true);
	b = fp_batch_new(s, 8);
	for (int i = 0; i < 5; i++) {
		if (vals[i])
			fp_batch_put_bytes(b, 0, vals[i], 1);
		else
			fp_batch_put_null(b, 0);
		fp_batch_end_row(b);
	}
	plain_options(&o);
	o.dictionary = true;
	mem_open(&m);
	w = fp_parquet_writer_open(m.f, "dict", s, &o, &err);
	CHECK_EQ_INT(fp_parquet_writer_write(w, b, &err), 0);
	CHECK_EQ_INT(fp_parquet_writer_close(w, &err), 0);
	mem_close(&m);
	CHECK(m.len > sizeof(want));
	check_bytes("dictionary pages", (const uint8_t *)m.p, m.len > sizeof(want) ? sizeof(want) : m.len, want,
		    sizeof(want));
	free(m.p);
	fp_batch_free(b);
	fp_schema_free(s);
}

/* ------------------------------------------------------------ file structure */

/* Reads a ULEB128 varint from p[*at..len). */
static uint64_t read_varint(const uint8_t *p, size_t len, size_t *at)
{
	uint64_t v = 0;
	int shift = 0;

	while (*at < len && shift < 64) {
		uint8_t c = p[(*at)++];

		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			break;
		shift += 7;
	}
	return v;
}

/* Finds, in a FileMetaData, the top-level i64 field `id` (num_rows) and
 * counts the row_groups list; returns the list size. A tiny skipper that
 * knows only the types the writer uses. */
static void skip_value(const uint8_t *p, size_t len, size_t *at, int type);

static void skip_struct(const uint8_t *p, size_t len, size_t *at)
{
	while (*at < len) {
		uint8_t h = p[(*at)++];
		int type = h & 0x0f;

		if (h == 0)
			return;
		if ((h >> 4) == 0)
			read_varint(p, len, at);
		skip_value(p, len, at, type);
	}
}

static void skip_value(const uint8_t *p, size_t len, size_t *at, int type)
{
	switch (type) {
	case TC_BOOL_TRUE:
	case TC_BOOL_FALSE:
		break;
	case TC_I32:
	case TC_I64:
		read_varint(p, len, at);
		break;
	case TC_DOUBLE:
		*at += 8;
		break;
	case TC_BINARY:
		*at += read_varint(p, len, at);
		break;
	case TC_LIST: {
		uint8_t h = p[(*at)++];
		uint64_t n = h >> 4;

		if (n == 15)
			n = read_varint(p, len, at);
		for (uint64_t i = 0; i < n && *at < len; i++)
			skip_value(p, len, at, h & 0x0f);
		break;
	}
	case TC_STRUCT:
		skip_struct(p, len, at);
		break;
	default:
		*at = len;
	}
}

static void footer_summary(const uint8_t *p, size_t len, int64_t *num_rows, uint64_t *row_groups)
{
	size_t at = 0;
	int id = 0;

	*num_rows = -1;
	*row_groups = 0;
	while (at < len) {
		uint8_t h = p[at++];
		int type = h & 0x0f;

		if (h == 0)
			break;
		id += h >> 4;
		if (id == 3 && type == TC_I64) {
			uint64_t z = read_varint(p, len, &at);

			*num_rows = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
		} else if (id == 4 && type == TC_LIST) {
			size_t save = at;
			uint8_t lh = p[at];

			*row_groups = lh >> 4 == 15 ? (at++, read_varint(p, len, &at)) : (uint64_t)(lh >> 4);
			at = save;
			skip_value(p, len, &at, type);
		} else {
			skip_value(p, len, &at, type);
		}
	}
}

static void test_row_groups_structure(void)
{
	struct fp_schema *s = fp_schema_new("t", "v1");
	struct fp_batch *b;
	struct fp_parquet_write_options o;
	struct fp_parquet_writer *w;
	struct fp_error err;
	struct memfile m;
	uint32_t flen;
	int64_t rows;
	uint64_t groups;

	fp_schema_add(s, "n", FP_TYPE_INT64, false);
	fp_schema_add(s, "s", FP_TYPE_STRING, true);
	b = fp_batch_new(s, 1000);
	for (int i = 0; i < 1000; i++) {
		char t[16];
		int n = snprintf(t, sizeof(t), "v%d", i % 17);

		fp_batch_put_i64(b, 0, i);
		if (i % 5)
			fp_batch_put_bytes(b, 1, t, (size_t)n);
		else
			fp_batch_put_null(b, 1);
		fp_batch_end_row(b);
	}
	fp_parquet_write_options_defaults(&o);
	o.row_group_rows = 300;
	mem_open(&m);
	w = fp_parquet_writer_open(m.f, "groups", s, &o, &err);
	CHECK_EQ_INT(fp_parquet_writer_write(w, b, &err), 0);
	CHECK_EQ_INT(fp_parquet_writer_write(w, b, &err), 0);
	CHECK_EQ_INT(fp_parquet_writer_close(w, &err), 0);
	mem_close(&m);
	CHECK(m.len > 12 && memcmp(m.p, "PAR1", 4) == 0 && memcmp(m.p + m.len - 4, "PAR1", 4) == 0);
	memcpy(&flen, m.p + m.len - 8, 4);	/* little-endian host in the test */
	CHECK(flen < m.len - 12);
	footer_summary((const uint8_t *)m.p + m.len - 8 - flen, flen, &rows, &groups);
	CHECK_EQ_INT(rows, 2000);
	CHECK_EQ_INT(groups, 7);	/* 6 x 300 + 200 */
	free(m.p);
	fp_batch_free(b);
	fp_schema_free(s);
}

/* ------------------------------------------------------------ errors */

static void test_errors(void)
{
	struct fp_schema *s = one_int_schema(false);
	struct fp_schema *other = fp_schema_new("t", "v1");
	struct fp_batch *b = fp_batch_new(s, 4), *wrong;
	struct fp_parquet_write_options o;
	struct fp_parquet_writer *w;
	struct fp_error err;
	struct memfile m;

	fp_parquet_write_options_defaults(&o);
	CHECK_EQ_INT(o.codec, FP_CODEC_ZSTD);
	CHECK_EQ_INT(o.row_group_rows, 0);	/* by the schema: fp_parquet_row_group_rows() */
	CHECK(o.dictionary);
	mem_open(&m);
	o.codec = FP_CODEC_BROTLI;
	CHECK(fp_parquet_writer_open(m.f, "bad.parquet", s, &o, &err) == NULL);
	CHECK(strstr(err.msg, "bad.parquet") != NULL && strstr(err.msg, "brotli") != NULL);

	/* A null in a column that is not nullable. */
	o.codec = FP_CODEC_SNAPPY;
	w = fp_parquet_writer_open(m.f, "null.parquet", s, &o, &err);
	CHECK(w != NULL);
	fp_batch_put_i32(b, 0, 1);
	fp_batch_end_row(b);
	fp_batch_put_null(b, 0);
	fp_batch_end_row(b);
	CHECK_EQ_INT(fp_parquet_writer_write(w, b, &err), -1);
	CHECK(strstr(err.msg, "\"x\"") != NULL && strstr(err.msg, "row 1") != NULL);
	CHECK_EQ_INT(fp_parquet_writer_write(w, b, &err), -1);	/* stays failed */
	CHECK_EQ_INT(fp_parquet_writer_close(w, &err), -1);

	/* A batch of another schema. */
	fp_schema_add(other, "x", FP_TYPE_STRING, false);
	wrong = fp_batch_new(other, 4);
	w = fp_parquet_writer_open(m.f, "types.parquet", s, &o, &err);
	CHECK_EQ_INT(fp_parquet_writer_write(w, wrong, &err), -1);
	CHECK(strstr(err.msg, "string") != NULL);
	fp_parquet_writer_abort(w);
	mem_close(&m);
	free(m.p);
	fp_batch_free(b);
	fp_batch_free(wrong);
	fp_schema_free(s);
	fp_schema_free(other);
}

int main(void)
{
	RUN(test_varint_zigzag);
	RUN(test_thrift_fields);
	RUN(test_thrift_nesting_and_lists);
	RUN(test_rle_spec_example);
	RUN(test_rle_runs);
	RUN(test_rle_random_roundtrip);
	RUN(test_plain);
	RUN(test_dictionary);
	RUN(test_dictionary_byte_keys);
	RUN(test_dictionary_gives_up);
	RUN(test_statistics);
	RUN(test_codec_names);
	RUN(test_codecs);
	RUN(test_empty_file);
	RUN(test_one_row_file);
	RUN(test_dictionary_pages);
	RUN(test_row_groups_structure);
	RUN(test_errors);
	return TEST_RESULT();
}
