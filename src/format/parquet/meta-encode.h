/*
 * meta-encode.h - the parquet.thrift structures the writer emits, in
 * Thrift compact form: PageHeader, and the footer's pieces (SchemaElement,
 * ColumnChunk with its ColumnMetaData and Statistics, RowGroup totals,
 * FileMetaData).
 *
 * Fields are written in increasing id order; optional fields are left out
 * when they carry nothing.
 */
#ifndef FP_FORMAT_PARQUET_META_ENCODE_H
#define FP_FORMAT_PARQUET_META_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "format/parquet/column-writer.h"
#include "format/parquet/thrift-encode.h"
#include "format/parquet/write-buf.h"

/* Appends a PageHeader for a DATA_PAGE (v1, levels RLE) or a
 * DICTIONARY_PAGE (PLAIN). */
void pq_encode_page_header(struct pq_buf *out, enum pq_page_type type, size_t uncompressed, size_t compressed,
			   size_t num_values, enum pq_encoding encoding);

/* One ColumnChunk as an element of RowGroup.columns. */
void pq_encode_column_chunk(struct tc_enc *e, const struct pq_column_desc *desc, int codec,
			    const struct pq_chunk_info *info);

/* What FileMetaData holds besides the row groups. */
struct pq_file_meta {
	const struct pq_column_desc *cols;
	size_t ncols;
	int64_t num_rows;
	size_t num_row_groups;
	const uint8_t *row_groups;	/* the RowGroup structs, already encoded */
	size_t row_groups_len;
	const char *created_by;
	const char *schema_key;		/* key_value_metadata entry, or NULL */
	const char *schema_value;
};

/* Appends the whole FileMetaData struct. */
void pq_encode_file_meta(struct pq_buf *out, const struct pq_file_meta *m);

#endif
