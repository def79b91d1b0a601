/*
 * column-reader.h - reading one flat column, row group by row group, page
 * by page, into compact value arrays.
 *
 * A column reader holds at most one page (compressed and decompressed) and
 * the chunk's dictionary: memory is bounded by the largest page, never by
 * the chunk or the file. pqc_read(n) yields exactly n rows (crossing pages
 * as needed) as a validity flag per row plus the non-null values, copied,
 * so nothing points into a page buffer that the next page reuses.
 *
 * Errors name the file, row group, column and page; row groups and pages
 * are numbered from 0, pages counting every page of the chunk (dictionary
 * and index pages too).
 */
#ifndef FP_FORMAT_PARQUET_COLUMN_READER_H
#define FP_FORMAT_PARQUET_COLUMN_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/parquet/decode-values.h"
#include "format/parquet/parquet-meta.h"
#include "lib/error.h"

struct pqz;

/* Limits on sizes announced by a file, before anything is allocated. */
#define PQC_MAX_PAGE_SIZE ((int32_t)1 << 30)
#define PQC_MAX_HEADER_SIZE ((size_t)16 << 20)

struct pqc_file {
	const char *path;	/* for messages */
	int fd;
	int64_t data_end;	/* where the footer starts: chunks end before it */
	struct pqz *z;
};

struct pqc_column {
	const struct pqc_file *file;
	const struct pqm_leaf *leaf;
	struct pqd_type type;

	/* the current chunk */
	size_t rg;
	int codec;
	int64_t chunk_values;	/* ColumnMetaData.num_values */
	int64_t pos, end;	/* next page header; end of the chunk */
	int64_t rows_unpaged;	/* rows of the row group no page has claimed yet */
	int page_no;		/* index of the page being decoded */
	bool seen_data_page;
	bool have_dict;
	struct pqd_dict dict;

	/* the current data page */
	int64_t page_rows_left;
	bool page_v2;
	int64_t page_nulls, page_nulls_seen;
	bool has_levels;
	struct pqd_rle levels;
	struct pqd_decoder dec;

	/* buffers kept across pages */
	uint8_t *hdr, *raw, *page;
	size_t hdr_cap, raw_cap, page_cap;
	uint32_t *lv;
	size_t lv_cap;

	/* the result of the last pqc_read */
	uint8_t *valid;		/* one flag per row */
	size_t valid_cap;
	struct pqd_values vals;	/* non-null values only */
};

void pqc_init(struct pqc_column *c, const struct pqc_file *file, const struct pqm_leaf *leaf);
void pqc_free(struct pqc_column *c);

/* Positions the column at its chunk of row group `rg`, checking the chunk
 * metadata against the leaf, the row count and the file size. */
int pqc_start_chunk(struct pqc_column *c, size_t rg, const struct pqm_chunk *chunk, int64_t rows,
		    struct fp_error *err);

/* Reads the next n rows of the chunk into c->valid and c->vals. */
int pqc_read(struct pqc_column *c, size_t n, struct fp_error *err);

/* The in-memory type this column decodes to. */
void pqc_type_of(const struct pqm_leaf *leaf, struct pqd_type *t);

#endif
