/*
 * parquet-build.h - assembling small Parquet files byte by byte for the
 * reader's tests, straight from parquet.thrift and Encodings.md.
 *
 * Deliberately independent of flowprep's writer (src/format/parquet), so
 * the reader is checked against a second, minimal reading of the spec and
 * corrupt files can be made by changing one field. Nothing here is
 * clever: values are encoded the simplest valid way. Files built here
 * are read back as text with pb_read_texts().
 */
#ifndef FP_TESTS_PARQUET_BUILD_H
#define FP_TESTS_PARQUET_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record/schema.h"

struct pb_buf {
	uint8_t *p;
	size_t len, cap;
};

void pb_free(struct pb_buf *b);
void pb_bytes(struct pb_buf *b, const void *p, size_t n);
void pb_u8(struct pb_buf *b, uint8_t v);
void pb_le32(struct pb_buf *b, uint32_t v);
void pb_le64(struct pb_buf *b, uint64_t v);
void pb_uleb(struct pb_buf *b, uint64_t v);
void pb_zigzag(struct pb_buf *b, int64_t v);

/* ---- value and level encodings */
void pb_rle_run(struct pb_buf *b, uint32_t value, uint32_t count, int width);
/* One bit-packed run of n values (padded with zeros to a multiple of 8). */
void pb_packed_run(struct pb_buf *b, const uint32_t *v, size_t n, int width);
/* Definition levels (max 1) from validity flags as one bit-packed run;
 * `length` prepends the 4-byte length (data page v1). */
void pb_def_levels(struct pb_buf *b, const bool *valid, size_t n, bool length);
void pb_delta(struct pb_buf *b, const int64_t *v, size_t n);
void pb_delta_length(struct pb_buf *b, const char *const *s, size_t n);
void pb_delta_bytes(struct pb_buf *b, const char *const *s, size_t n);
void pb_byte_stream_split(struct pb_buf *b, const void *values, size_t n, size_t width);
void pb_plain_string(struct pb_buf *b, const char *s);

/* ---- pages */
struct pb_page {
	int type;		/* PQ_PAGE_DATA, PQ_PAGE_DATA_V2, PQ_PAGE_DICTIONARY */
	int num_values, num_nulls, num_rows;
	int encoding;
	const struct pb_buf *levels;	/* v2: definition levels (no length) */
	const struct pb_buf *body;	/* v1: levels + values; v2: values; dictionary: entries */
	bool uncompressed_v2;		/* v2 is_compressed = false */
	bool crc;
	int def_encoding;		/* v1; 0 means RLE */
	size_t header_padding;		/* > 0: an unknown binary field of this size in the header */
};

/* ---- files */
struct pb_leaf {
	const char *name;
	int type;
	int repetition;
	int converted;		/* 0 = none, else PB_CT(enum pq_converted_type) */
	int logical;		/* 0 = none, else enum pq_logical_id, or 99 = an unknown member */
	int unit;		/* TIMESTAMP: enum pq_time_unit_id */
	bool utc;
	int bit_width;		/* INTEGER */
	bool is_signed;
	int type_length;	/* FIXED_LEN_BYTE_ARRAY */
	const char *parent;	/* non-NULL: the leaf sits in a group of this name */
	int parent_repetition;
};

#define PB_CT(converted) ((converted) + 1)

struct pb_chunk {
	int64_t start, dict_offset, data_offset, num_values;
	int64_t size;
	int codec;
	int64_t patch_num_values;	/* >= 0: write this num_values in the footer instead */
};

#define PB_MAX_COLS 16
#define PB_MAX_GROUPS 8

struct pb_file {
	struct pb_buf b;
	struct pb_leaf leaves[PB_MAX_COLS];
	size_t nleaves;
	struct pb_chunk chunks[PB_MAX_GROUPS][PB_MAX_COLS];
	int64_t rg_rows[PB_MAX_GROUPS];
	size_t nrg;
	size_t col;		/* chunks started in the current row group */
	int64_t num_rows;	/* footer value; -1 = the sum of the row groups */
	bool unknown_fields;	/* add a field of every Thrift type unknown to readers */
};

void pb_file_init(struct pb_file *f);
void pb_file_leaf(struct pb_file *f, const struct pb_leaf *leaf);
void pb_file_row_group(struct pb_file *f, int64_t rows);
void pb_file_chunk(struct pb_file *f, int codec);
void pb_file_page(struct pb_file *f, const struct pb_page *page);
/* Appends the footer, its length and the magic. */
void pb_file_finish(struct pb_file *f);
void pb_file_free(struct pb_file *f);

/* Writes bytes to a new temporary file; returns its malloc'ed path. */
char *pb_write_temp(const void *p, size_t len);
/* Finishes, writes to a temporary file and frees the file being built. */
char *pb_file_write_temp(struct pb_file *f);
/* Unlinks and frees a path from pb_write_temp / pb_file_write_temp. */
void pb_remove_temp(char *path);

/* ---- conveniences */
void pb_data_page(struct pb_file *f, int encoding, int n, const struct pb_buf *body);
void pb_dict_page(struct pb_file *f, int n, const struct pb_buf *body);
/* One byte of bit width, then the indices as one RLE run (all equal to
 * idx[0]) or one bit-packed run. */
void pb_dict_indices(struct pb_buf *b, const uint32_t *idx, size_t n, int width, bool rle);

/* ---- reading back, through flowprep's reader */

/* Every column as text ("null", integers, %.17g doubles, t/f, raw bytes),
 * values joined by ','. */
struct pb_texts {
	bool ok;
	char error[512];
	bool error_repeats;		/* after an error, next() failed again the same way */
	struct fp_schema *schema;	/* a copy */
	struct pb_buf *col;
};

void pb_read_texts(const char *path, size_t batch_rows, struct pb_texts *t);
const char *pb_text_of(const struct pb_texts *t, const char *name);
void pb_texts_free(struct pb_texts *t);

#endif
