/*
 * thrift-encode.h - a Thrift compact protocol encoder, just enough for
 * the structures of parquet.thrift that the writer emits.
 *
 * Fields are written in the order the caller gives them; a field header
 * carries the id as a delta from the previous field of the same struct
 * when it is 1..15, else as a zigzag varint after the type byte. Structs
 * nest (the enclosing struct's last id is kept on a small stack); a list
 * of structs is written with tc_list_begin() then tc_elem_struct_begin()
 * / tc_struct_end() per element. The top-level struct is closed with
 * tc_struct_end() too. Errors (out of memory, nesting too deep) are
 * sticky in the underlying buffer: check `out->failed` at the end.
 */
#ifndef FP_FORMAT_PARQUET_THRIFT_ENCODE_H
#define FP_FORMAT_PARQUET_THRIFT_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/parquet/parquet-format.h"
#include "format/parquet/write-buf.h"

#define TC_MAX_DEPTH 16

struct tc_enc {
	struct pq_buf *out;
	int depth;
	int16_t last_id[TC_MAX_DEPTH];
};

/* Starts a top-level struct appended to `out`. */
void tc_enc_init(struct tc_enc *e, struct pq_buf *out);

void tc_field_i32(struct tc_enc *e, int16_t id, int32_t v);
void tc_field_i64(struct tc_enc *e, int16_t id, int64_t v);
void tc_field_bool(struct tc_enc *e, int16_t id, bool v);
void tc_field_double(struct tc_enc *e, int16_t id, double v);
void tc_field_binary(struct tc_enc *e, int16_t id, const void *p, size_t n);
void tc_field_string(struct tc_enc *e, int16_t id, const char *s);

/* A struct-typed field: write its fields, then tc_struct_end(). */
void tc_field_struct_begin(struct tc_enc *e, int16_t id);
/* Writes the STOP byte and returns to the enclosing struct. */
void tc_struct_end(struct tc_enc *e);
/* An empty struct field (TypeDefinedOrder, StringType, MicroSeconds...). */
void tc_field_empty_struct(struct tc_enc *e, int16_t id);

/* A list-typed field of `n` elements of `elem` type (enum tc_type);
 * then write exactly n elements with the tc_elem_* calls. */
void tc_field_list_begin(struct tc_enc *e, int16_t id, enum tc_type elem, size_t n);
void tc_elem_i32(struct tc_enc *e, int32_t v);
void tc_elem_i64(struct tc_enc *e, int64_t v);
void tc_elem_binary(struct tc_enc *e, const void *p, size_t n);
void tc_elem_struct_begin(struct tc_enc *e);

/* Bytes already encoded elsewhere (e.g. whole RowGroup structs written
 * as row groups were flushed), spliced in as list elements. */
void tc_raw(struct tc_enc *e, const void *p, size_t n);

#endif
