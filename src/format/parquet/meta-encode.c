/*
 * meta-encode.c - PageHeader and footer structures in Thrift compact form
 * (see meta-encode.h). Field ids are those of parquet.thrift; each struct
 * is written by one function in the order of its ids.
 *
 * Annotations: STRING columns carry LogicalType STRING and ConvertedType
 * UTF8; timestamps carry LogicalType TIMESTAMP(unit, isAdjustedToUTC) and,
 * for MILLIS and MICROS, ConvertedType TIMESTAMP_MILLIS/MICROS as well
 * (older readers know only those; NANOS has no converted type). BINARY
 * columns are bare BYTE_ARRAY.
 */
#include "config.h"

#include <string.h>

#include "format/parquet/meta-encode.h"

/* PageHeader fields */
enum {
	PH_TYPE = 1, PH_UNCOMPRESSED = 2, PH_COMPRESSED = 3,
	PH_DATA_PAGE = 5, PH_DICTIONARY_PAGE = 7,
};

void pq_encode_page_header(struct pq_buf *out, enum pq_page_type type, size_t uncompressed, size_t compressed,
			   size_t num_values, enum pq_encoding encoding)
{
	struct tc_enc e;

	tc_enc_init(&e, out);
	tc_field_i32(&e, PH_TYPE, type);
	tc_field_i32(&e, PH_UNCOMPRESSED, (int32_t)uncompressed);
	tc_field_i32(&e, PH_COMPRESSED, (int32_t)compressed);
	if (type == PQ_PAGE_DICTIONARY) {
		tc_field_struct_begin(&e, PH_DICTIONARY_PAGE);
		tc_field_i32(&e, 1, (int32_t)num_values);	/* num_values */
		tc_field_i32(&e, 2, encoding);			/* encoding */
		tc_struct_end(&e);
	} else {
		tc_field_struct_begin(&e, PH_DATA_PAGE);
		tc_field_i32(&e, 1, (int32_t)num_values);	/* num_values */
		tc_field_i32(&e, 2, encoding);			/* encoding */
		tc_field_i32(&e, 3, PQ_ENC_RLE);		/* definition_level_encoding */
		tc_field_i32(&e, 4, PQ_ENC_RLE);		/* repetition_level_encoding */
		tc_struct_end(&e);
	}
	tc_struct_end(&e);
}

/* Statistics fields */
enum {
	ST_MAX = 1, ST_MIN = 2, ST_NULL_COUNT = 3, ST_MAX_VALUE = 5, ST_MIN_VALUE = 6,
	ST_IS_MAX_EXACT = 7, ST_IS_MIN_EXACT = 8, ST_NAN_COUNT = 9,
};

static void encode_statistics(struct tc_enc *e, int16_t id, const struct pq_chunk_info *info)
{
	tc_field_struct_begin(e, id);
	if (info->has_min_max && info->legacy_min_max) {
		tc_field_binary(e, ST_MAX, info->max, info->max_len);
		tc_field_binary(e, ST_MIN, info->min, info->min_len);
	}
	tc_field_i64(e, ST_NULL_COUNT, info->null_count);
	if (info->has_min_max) {
		tc_field_binary(e, ST_MAX_VALUE, info->max, info->max_len);
		tc_field_binary(e, ST_MIN_VALUE, info->min, info->min_len);
		tc_field_bool(e, ST_IS_MAX_EXACT, true);
		tc_field_bool(e, ST_IS_MIN_EXACT, true);
	}
	if (info->has_nan_count)
		tc_field_i64(e, ST_NAN_COUNT, info->nan_count);
	tc_struct_end(e);
}

/* ColumnMetaData fields */
enum {
	CM_TYPE = 1, CM_ENCODINGS = 2, CM_PATH = 3, CM_CODEC = 4, CM_NUM_VALUES = 5,
	CM_UNCOMPRESSED = 6, CM_COMPRESSED = 7, CM_DATA_PAGE_OFFSET = 9,
	CM_DICTIONARY_PAGE_OFFSET = 11, CM_STATISTICS = 12, CM_ENCODING_STATS = 13,
};

static void encode_page_encoding_stats(struct tc_enc *e, enum pq_page_type type, enum pq_encoding enc, int count)
{
	tc_elem_struct_begin(e);
	tc_field_i32(e, 1, type);	/* page_type */
	tc_field_i32(e, 2, enc);	/* encoding */
	tc_field_i32(e, 3, count);	/* count */
	tc_struct_end(e);
}

static void encode_column_meta(struct tc_enc *e, const struct pq_column_desc *desc, int codec,
			       const struct pq_chunk_info *info)
{
	bool dict = info->dictionary_pages > 0;

	tc_field_struct_begin(e, 3);	/* ColumnChunk.meta_data */
	tc_field_i32(e, CM_TYPE, desc->ptype);
	/* Every encoding used: values, levels (RLE) and the dictionary page's PLAIN. */
	if (dict) {
		tc_field_list_begin(e, CM_ENCODINGS, TC_I32, 3);
		tc_elem_i32(e, PQ_ENC_PLAIN);
		tc_elem_i32(e, PQ_ENC_RLE);
		tc_elem_i32(e, PQ_ENC_RLE_DICTIONARY);
	} else {
		tc_field_list_begin(e, CM_ENCODINGS, TC_I32, 2);
		tc_elem_i32(e, PQ_ENC_PLAIN);
		tc_elem_i32(e, PQ_ENC_RLE);
	}
	tc_field_list_begin(e, CM_PATH, TC_BINARY, 1);
	tc_elem_binary(e, desc->name, strlen(desc->name));
	tc_field_i32(e, CM_CODEC, codec);
	tc_field_i64(e, CM_NUM_VALUES, info->num_values);
	tc_field_i64(e, CM_UNCOMPRESSED, info->total_uncompressed);
	tc_field_i64(e, CM_COMPRESSED, info->total_compressed);
	tc_field_i64(e, CM_DATA_PAGE_OFFSET, info->data_page_offset);
	if (dict)
		tc_field_i64(e, CM_DICTIONARY_PAGE_OFFSET, info->dictionary_page_offset);
	encode_statistics(e, CM_STATISTICS, info);
	tc_field_list_begin(e, CM_ENCODING_STATS, TC_STRUCT, dict ? 2 : 1);
	if (dict)
		encode_page_encoding_stats(e, PQ_PAGE_DICTIONARY, PQ_ENC_PLAIN, info->dictionary_pages);
	encode_page_encoding_stats(e, PQ_PAGE_DATA, info->data_encoding, info->data_pages);
	tc_struct_end(e);
}

void pq_encode_column_chunk(struct tc_enc *e, const struct pq_column_desc *desc, int codec,
			    const struct pq_chunk_info *info)
{
	tc_elem_struct_begin(e);
	/* file_offset: deprecated; 0 = no ColumnMetaData outside the footer. */
	tc_field_i64(e, 2, 0);
	encode_column_meta(e, desc, codec, info);
	tc_struct_end(e);
}

/* SchemaElement fields */
enum {
	SE_TYPE = 1, SE_REPETITION = 3, SE_NAME = 4, SE_NUM_CHILDREN = 5, SE_CONVERTED = 6,
	SE_LOGICAL = 10,
};

static void encode_logical_type(struct tc_enc *e, const struct pq_column_desc *d)
{
	static const int16_t unit_ids[] = {
		[FP_UNIT_MILLIS] = PQ_TU_MILLIS, [FP_UNIT_MICROS] = PQ_TU_MICROS, [FP_UNIT_NANOS] = PQ_TU_NANOS,
	};

	if (d->ftype == FP_TYPE_STRING) {
		tc_field_struct_begin(e, SE_LOGICAL);
		tc_field_empty_struct(e, PQ_LT_STRING);
		tc_struct_end(e);
	} else if (d->ftype == FP_TYPE_TIMESTAMP) {
		tc_field_struct_begin(e, SE_LOGICAL);
		tc_field_struct_begin(e, PQ_LT_TIMESTAMP);
		tc_field_bool(e, 1, d->time_utc);	/* isAdjustedToUTC */
		tc_field_struct_begin(e, 2);		/* unit: TimeUnit union */
		tc_field_empty_struct(e, unit_ids[d->time_unit]);
		tc_struct_end(e);
		tc_struct_end(e);
		tc_struct_end(e);
	}
}

static void encode_schema_leaf(struct tc_enc *e, const struct pq_column_desc *d)
{
	tc_elem_struct_begin(e);
	tc_field_i32(e, SE_TYPE, d->ptype);
	tc_field_i32(e, SE_REPETITION, d->optional ? PQ_OPTIONAL : PQ_REQUIRED);
	tc_field_string(e, SE_NAME, d->name);
	if (d->ftype == FP_TYPE_STRING)
		tc_field_i32(e, SE_CONVERTED, PQ_CT_UTF8);
	else if (d->ftype == FP_TYPE_TIMESTAMP && d->time_unit == FP_UNIT_MILLIS)
		tc_field_i32(e, SE_CONVERTED, PQ_CT_TIMESTAMP_MILLIS);
	else if (d->ftype == FP_TYPE_TIMESTAMP && d->time_unit == FP_UNIT_MICROS)
		tc_field_i32(e, SE_CONVERTED, PQ_CT_TIMESTAMP_MICROS);
	encode_logical_type(e, d);
	tc_struct_end(e);
}

/* FileMetaData fields */
enum {
	FM_VERSION = 1, FM_SCHEMA = 2, FM_NUM_ROWS = 3, FM_ROW_GROUPS = 4, FM_KEY_VALUE = 5,
	FM_CREATED_BY = 6, FM_COLUMN_ORDERS = 7,
};

void pq_encode_file_meta(struct pq_buf *out, const struct pq_file_meta *m)
{
	struct tc_enc e;

	tc_enc_init(&e, out);
	/* parquet.thrift: writers should write 1 for the widest compatibility. */
	tc_field_i32(&e, FM_VERSION, 1);
	tc_field_list_begin(&e, FM_SCHEMA, TC_STRUCT, m->ncols + 1);
	tc_elem_struct_begin(&e);	/* the root: a group of all columns */
	tc_field_string(&e, SE_NAME, "schema");
	tc_field_i32(&e, SE_NUM_CHILDREN, (int32_t)m->ncols);
	tc_struct_end(&e);
	for (size_t i = 0; i < m->ncols; i++)
		encode_schema_leaf(&e, &m->cols[i]);
	tc_field_i64(&e, FM_NUM_ROWS, m->num_rows);
	tc_field_list_begin(&e, FM_ROW_GROUPS, TC_STRUCT, m->num_row_groups);
	tc_raw(&e, m->row_groups, m->row_groups_len);
	if (m->schema_key != NULL && m->schema_value != NULL) {
		tc_field_list_begin(&e, FM_KEY_VALUE, TC_STRUCT, 1);
		tc_elem_struct_begin(&e);
		tc_field_string(&e, 1, m->schema_key);		/* key */
		tc_field_string(&e, 2, m->schema_value);	/* value */
		tc_struct_end(&e);
	}
	tc_field_string(&e, FM_CREATED_BY, m->created_by);
	/* TypeDefinedOrder for every leaf: min_value/max_value are then in
	 * the order the column's type defines. */
	tc_field_list_begin(&e, FM_COLUMN_ORDERS, TC_STRUCT, m->ncols);
	for (size_t i = 0; i < m->ncols; i++) {
		tc_elem_struct_begin(&e);
		tc_field_empty_struct(&e, 1);	/* TYPE_ORDER */
		tc_struct_end(&e);
	}
	tc_struct_end(&e);
}
