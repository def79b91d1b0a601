/*
 * column-writer.h - one column of a Parquet file being written: it
 * gathers the column's values for the current row group, then encodes
 * the column chunk (dictionary or PLAIN, definition levels, pages),
 * compresses each page once and writes it, reporting what the footer
 * needs in a struct pq_chunk_info.
 *
 * Values are stored densely (nulls take no value slot; an OPTIONAL column
 * keeps one definition level byte per row), in the physical layout PLAIN
 * wants, so on a little-endian host a PLAIN page of a REQUIRED fixed-width
 * column is compressed straight from the column's buffer.
 *
 * Error messages name the column; the caller adds file and row group.
 */
#ifndef FP_FORMAT_PARQUET_COLUMN_WRITER_H
#define FP_FORMAT_PARQUET_COLUMN_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "format/parquet/column-dict.h"
#include "format/parquet/parquet-format.h"
#include "format/parquet/write-buf.h"
#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

struct pq_compressor;

/* What the writer keeps of a schema field (its own copy of the name). */
struct pq_column_desc {
	char *name;
	enum fp_type ftype;
	enum pq_type ptype;
	enum fp_time_unit time_unit;
	bool time_utc;
	bool optional;
};

/* Settings shared by every column of one writer. */
struct pq_write_config {
	size_t row_group_rows;	/* columns are sized for this many rows up front */
	size_t page_rows;	/* rows per data page; 0 = split by page_bytes */
	size_t page_bytes;	/* target encoded value bytes per data page */
	size_t dict_max_bytes;	/* fall back to PLAIN past this dictionary page size */
	bool dictionary;
};

/* The file being written: every page goes through here. Its scratch
 * space is shared by all columns, which are flushed one after the other,
 * so it is sized by the largest column once and then reused. */
struct pq_output {
	FILE *f;
	uint64_t pos;		/* file offset of the next byte written */
	struct pq_compressor *comp;
	struct pq_buf page;		/* scratch: one page, uncompressed */
	struct pq_buf compressed;	/* scratch: one compressed page */
	struct pq_buf header;		/* scratch: one page header */
	struct pq_dict dict;		/* scratch: the dictionary of the chunk being flushed */
};

/* Frees the scratch space of `out` (not its FILE or compressor). */
void pq_output_free_scratch(struct pq_output *out);

/* A written column chunk, as ColumnMetaData describes it. */
struct pq_chunk_info {
	int64_t num_values;		/* rows, nulls included */
	int64_t total_uncompressed;	/* page headers included */
	int64_t total_compressed;	/* page headers included */
	int64_t data_page_offset;
	int64_t dictionary_page_offset;	/* -1: none */
	int dictionary_pages;
	int data_pages;
	enum pq_encoding data_encoding;	/* PLAIN or RLE_DICTIONARY */

	int64_t null_count;
	bool has_nan_count;		/* DOUBLE columns */
	int64_t nan_count;
	bool has_min_max;		/* false: all null (or all NaN), or bounds too long */
	bool legacy_min_max;		/* also write the deprecated min/max (numeric types) */
	const uint8_t *min;		/* PLAIN bytes without length prefix; valid until */
	size_t min_len;			/* the next append to this column */
	const uint8_t *max;
	size_t max_len;
};

/* The Parquet physical type for an in-memory type. */
enum pq_type pq_physical_type(enum fp_type t);

/* Fills `desc` from `f` (copying the name); -1 if out of memory. */
int pq_column_desc_init(struct pq_column_desc *desc, const struct fp_field *f, struct fp_error *err);
void pq_column_desc_free(struct pq_column_desc *desc);

struct pq_column_writer;

/* `desc` and `cfg` are borrowed and must outlive the column writer. */
struct pq_column_writer *pq_column_writer_new(const struct pq_column_desc *desc, const struct pq_write_config *cfg,
					      struct fp_error *err);
void pq_column_writer_free(struct pq_column_writer *c);

/*
 * Memory for a whole row group: a column asks for
 * pq_column_writer_upfront_bytes(), and the writer may lend it that much
 * (64-byte aligned, from one arena for all columns, so that it can sit on
 * huge pages) once a file is seen to be large. The column moves what it
 * gathered so far there, uses it for its level and value buffers and
 * never frees it; past it (a row group larger than the column planned
 * for), the column allocates its own again.
 */
size_t pq_column_writer_upfront_bytes(const struct pq_column_writer *c);
void pq_column_writer_lend(struct pq_column_writer *c, uint8_t *mem);

/* Appends rows [first, first + n) of `col`. Fails if a REQUIRED column
 * gets a null, or memory runs out. */
int pq_column_writer_append(struct pq_column_writer *c, const struct fp_column *col, size_t first, size_t n,
			    struct fp_error *err);
size_t pq_column_writer_rows(const struct pq_column_writer *c);

/* Writes the gathered rows as one column chunk at out->pos, fills `info`
 * and empties the column for the next row group. */
int pq_column_writer_flush(struct pq_column_writer *c, struct pq_output *out, struct pq_chunk_info *info,
			   struct fp_error *err);

#endif
