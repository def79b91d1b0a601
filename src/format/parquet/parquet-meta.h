/*
 * parquet-meta.h - the parts of parquet.thrift the reader needs, decoded:
 * FileMetaData (schema, row groups, column chunks) and page headers, plus
 * the flattening of the schema tree into leaf columns.
 *
 * Everything is parsed from a bounded buffer with thrift-decode; fields the
 * reader does not use (statistics, indexes, encryption...) are skipped.
 * Absent optional integers are -1. A file's metadata is owned by one
 * struct pqm_file and freed with pqm_file_free().
 */
#ifndef FP_FORMAT_PARQUET_PARQUET_META_H
#define FP_FORMAT_PARQUET_PARQUET_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

/* LogicalType, reduced to what the reader maps. id 0 = none (or unknown). */
struct pqm_logical {
	int id;			/* enum pq_logical_id */
	int unit;		/* TIMESTAMP/TIME: enum pq_time_unit_id */
	bool utc;		/* TIMESTAMP/TIME: isAdjustedToUTC */
	int bit_width;		/* INTEGER */
	bool is_signed;		/* INTEGER */
	int32_t scale, precision; /* DECIMAL */
};

struct pqm_element {
	char *name;
	int type;		/* enum pq_type, -1 for a group */
	int32_t type_length;
	int repetition;		/* enum pq_repetition, -1 when absent */
	int32_t num_children;	/* -1 when absent */
	int converted;		/* enum pq_converted_type, -1 when absent */
	int32_t scale, precision;
	struct pqm_logical logical;
};

struct pqm_column_meta {
	int type;
	int codec;
	char *path;		/* path_in_schema joined with '.' */
	int64_t num_values;
	int64_t total_uncompressed_size;
	int64_t total_compressed_size;
	int64_t data_page_offset;
	int64_t dictionary_page_offset;	/* -1 when absent */
};

struct pqm_chunk {
	bool has_meta;
	bool external;		/* file_path set: data lives in another file */
	bool encrypted;		/* crypto_metadata or encrypted_column_metadata */
	struct pqm_column_meta meta;
};

struct pqm_row_group {
	int64_t num_rows;
	size_t ncolumns;
	struct pqm_chunk *columns;
};

/* One leaf column of the schema tree. */
struct pqm_leaf {
	char *name;			/* top-level name, or dotted path when nested */
	const struct pqm_element *el;
	int max_def, max_rep;
	const char *unsupported;	/* NULL when the reader can decode it, else why not */
};

struct pqm_key_value {
	char *key, *value;
};

struct pqm_file {
	int32_t version;
	int64_t num_rows;
	char *created_by;		/* "" when absent */
	size_t nelements;
	struct pqm_element *elements;
	size_t nrow_groups;
	struct pqm_row_group *row_groups;
	size_t nkv;
	struct pqm_key_value *kv;
	size_t nleaves;
	struct pqm_leaf *leaves;
};

/* Parses a footer (the bytes between the data and the length + "PAR1")
 * and flattens its schema. Messages have no file prefix. */
struct pqm_file *pqm_file_parse(const void *buf, size_t len, struct fp_error *err);
void pqm_file_free(struct pqm_file *f);

struct pqm_page_header {
	int type;			/* enum pq_page_type */
	int32_t uncompressed_size;
	int32_t compressed_size;
	bool has_crc;
	uint32_t crc;
	int32_t num_values;		/* data v1/v2, dictionary */
	int encoding;			/* values encoding */
	int def_encoding, rep_encoding;	/* data v1 */
	int32_t num_nulls, num_rows;	/* data v2 */
	int32_t def_length, rep_length;	/* data v2 */
	bool is_compressed;		/* data v2 (default true) */
};

/* Parses one PageHeader from buf; *used gets its length. On failure
 * *truncated says whether more bytes might have helped. */
int pqm_page_header_parse(const void *buf, size_t len, struct pqm_page_header *h, size_t *used,
			  bool *truncated, struct fp_error *err);

/* Names for messages and column info. */
const char *pqm_type_name(int type);
const char *pqm_encoding_name(int encoding);
const char *pqm_codec_name(int codec);

#endif
