/*
 * parquet.h - flowprep's own Parquet writer and reader (flat schemas).
 *
 * Written from the specification (apache/parquet-format: parquet.thrift,
 * Encodings.md, Compression.md); no C Parquet library exists in Debian.
 *
 * Writer: takes record batches of a schema, accumulates rows into a row
 * group of `row_group_rows`, then encodes every column (dictionary with
 * fallback to PLAIN, RLE/bit-packed definition levels, statistics),
 * compresses each page once and writes it. Memory is bounded by one row
 * group. The footer carries created_by "flowprep version X" and key/value
 * metadata with the schema's name and version.
 *
 * The writer is also a format writer (format/format-writer.h):
 * fp_parquet_format_writer_ops.
 *
 * Reader: reads flat files from pyarrow, arrow-rs, DuckDB, Spark...,
 * yielding record batches. Every length taken from the file is bounded; a
 * corrupt file gives an error naming file, row group, column and page.
 */
#ifndef FP_FORMAT_PARQUET_H
#define FP_FORMAT_PARQUET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/error.h"
#include "lib/parse-value.h"
#include "record/batch.h"
#include "record/schema.h"

/* Values are parquet.thrift's CompressionCodec. */
enum fp_parquet_codec {
	FP_CODEC_UNCOMPRESSED = 0,
	FP_CODEC_SNAPPY = 1,
	FP_CODEC_GZIP = 2,
	FP_CODEC_LZO = 3,
	FP_CODEC_BROTLI = 4,
	FP_CODEC_LZ4 = 5,
	FP_CODEC_ZSTD = 6,
	FP_CODEC_LZ4_RAW = 7,
};

/* The codecs' names ("none", "snappy", "zstd"...; "uncompressed" and
 * "lz4-raw" as aliases), for fp_parse_enum(). Every codec a file may use
 * is named, not only those the writer can produce: the writer's options
 * say which it takes (fp_parquet_write_options_validate()). */
extern const struct fp_enum_name fp_parquet_codec_names[];
/* The same names for the codecs the writer can produce, for options that
 * choose its codec (so a message offers only those). */
extern const struct fp_enum_name fp_parquet_writer_codec_names[];

/* "zstd" -> FP_CODEC_ZSTD ...; returns -1 for an unknown name. */
int fp_parquet_codec_parse(const char *name);
const char *fp_parquet_codec_name(int codec);

/* ------------------------------------------------------------ writer */

struct fp_parquet_write_options {
	enum fp_parquet_codec codec;	/* default ZSTD; UNCOMPRESSED, SNAPPY, GZIP, ZSTD supported */
	int compression_level;		/* 0 = codec default */
	size_t row_group_rows;		/* 0 (the default): fp_parquet_row_group_rows() */
	size_t page_rows;		/* rows per data page; 0 = default */
	bool dictionary;		/* try dictionary encoding (default true) */
	const char *created_by;		/* default "flowprep version <VERSION>" */
};

#define FP_PARQUET_DEFAULT_ROW_GROUP_ROWS 131072
/* By default a row group holds FP_PARQUET_DEFAULT_ROW_GROUP_ROWS rows, or
 * fewer when the rows are so wide that its values would pass about this
 * many bytes (a feature set of 80 columns: 20,480 rows). */
#define FP_PARQUET_ROW_GROUP_BYTES ((size_t)16 << 20)
/* A row group is held in memory until it is written: 100 M rows of the
 * canonical schema are already tens of GB. */
#define FP_PARQUET_MAX_ROW_GROUP_ROWS 100000000

void fp_parquet_write_options_defaults(struct fp_parquet_write_options *o);

/* The rows per row group a writer of `schema` with options `o` uses:
 * o->row_group_rows when set; else FP_PARQUET_DEFAULT_ROW_GROUP_ROWS,
 * fewer (a multiple of 1024, at least 1024) for rows wider than
 * FP_PARQUET_ROW_GROUP_BYTES / FP_PARQUET_DEFAULT_ROW_GROUP_ROWS bytes.
 * The row group is the writer's memory, and it is encoded only once full
 * or at the end: a smaller one for wide rows keeps both in bounds. */
size_t fp_parquet_row_group_rows(const struct fp_parquet_write_options *o, const struct fp_schema *schema);

/* Whether the writer can work with `o`: a codec it can compress with, row
 * groups of at most FP_PARQUET_MAX_ROW_GROUP_ROWS rows (0 = the default),
 * pages of at most INT32_MAX rows. One sentence in `err` about the first
 * fault, naming the setting; the caller says where it came from. */
int fp_parquet_write_options_validate(const struct fp_parquet_write_options *o, struct fp_error *err);

struct fp_parquet_writer;

/* Writes to `out` (already open; the caller owns it, e.g. the atomic file
 * of a sink). `name` is only for messages. */
struct fp_parquet_writer *fp_parquet_writer_open(FILE *out, const char *name, const struct fp_schema *schema,
						 const struct fp_parquet_write_options *opts, struct fp_error *err);
int fp_parquet_writer_write(struct fp_parquet_writer *w, const struct fp_batch *batch, struct fp_error *err);
/* Appends rows [first_row, first_row + nrows) of the batch. */
int fp_parquet_writer_write_rows(struct fp_parquet_writer *w, const struct fp_batch *batch, size_t first_row,
				 size_t nrows, struct fp_error *err);
/* Flushes the last row group and writes the footer. Frees `w` whatever
 * the result. Does not close `out`. */
int fp_parquet_writer_close(struct fp_parquet_writer *w, struct fp_error *err);
/* Frees without finishing (after an error). */
void fp_parquet_writer_abort(struct fp_parquet_writer *w);

/* ------------------------------------------------------------ reader */

struct fp_parquet_column_info {
	const char *name;		/* dotted path for nested columns */
	const char *physical;		/* "INT64", "BYTE_ARRAY"... */
	const char *logical;		/* "STRING", "TIMESTAMP(MICROS,utc)"... or "" */
	bool nullable;
	bool supported;			/* false: nested/repeated or a type flowprep cannot read */
};

struct fp_parquet_file_info {
	int64_t num_rows;
	size_t num_row_groups;
	size_t num_columns;		/* leaf columns */
	const char *created_by;		/* "" when absent */
	uint32_t codecs_used;		/* bit (1 << codec) for every codec a column chunk uses */
};

struct fp_parquet_reader;

/* Opens and validates the footer. Fails only if the file is not Parquet or
 * its footer is corrupt; nested columns are reported by info/schema and
 * make fp_parquet_reader_next() fail with a clear message. */
struct fp_parquet_reader *fp_parquet_reader_open(const char *path, struct fp_error *err);
void fp_parquet_reader_close(struct fp_parquet_reader *r);

const struct fp_parquet_file_info *fp_parquet_reader_info(const struct fp_parquet_reader *r);
const struct fp_parquet_column_info *fp_parquet_reader_column(const struct fp_parquet_reader *r, size_t i);
/* The flat schema of the leaf columns (INT96 -> TIMESTAMP nanos, FLOAT ->
 * DOUBLE, INT32 DATE/INT(8|16) -> INT32, FIXED_LEN_BYTE_ARRAY -> BINARY). */
const struct fp_schema *fp_parquet_reader_schema(const struct fp_parquet_reader *r);

/* Reads up to out->capacity rows into `out` (cleared first; its schema must
 * be fp_parquet_reader_schema()). Returns rows read, 0 at the end, -1 on
 * error. */
long fp_parquet_reader_next(struct fp_parquet_reader *r, struct fp_batch *out, struct fp_error *err);

#endif
