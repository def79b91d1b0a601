/*
 * thrift-encode.c - Thrift compact protocol encoding (see thrift-encode.h).
 *
 * Wire rules used here: integers (i16/i32/i64) are zigzag ULEB128 varints;
 * binary is a varint length then the bytes; doubles are 8 bytes little
 * endian; a bool field has no value byte, its truth is the field type
 * (1 = true, 2 = false); a list header is one byte (size << 4 | type) for
 * sizes under 15, else 0xF0 | type followed by the size as a varint; a
 * struct ends with a 0 (STOP) byte and its field ids restart from 0.
 */
#include "config.h"

#include <string.h>

#include "format/parquet/thrift-encode.h"

void tc_enc_init(struct tc_enc *e, struct pq_buf *out)
{
	e->out = out;
	e->depth = 0;
	e->last_id[0] = 0;
}

static void field_header(struct tc_enc *e, int16_t id, enum tc_type type)
{
	int delta = (int)id - (int)e->last_id[e->depth];

	if (delta > 0 && delta <= 15) {
		pq_buf_byte(e->out, (uint8_t)(delta << 4 | type));
	} else {
		pq_buf_byte(e->out, (uint8_t)type);
		pq_buf_uvarint(e->out, pq_zigzag64(id));
	}
	e->last_id[e->depth] = id;
}

static void push(struct tc_enc *e)
{
	if (e->depth + 1 >= TC_MAX_DEPTH) {
		/* A programming error, not input: poison the output. */
		e->out->failed = true;
		return;
	}
	e->depth++;
	e->last_id[e->depth] = 0;
}

void tc_field_i32(struct tc_enc *e, int16_t id, int32_t v)
{
	field_header(e, id, TC_I32);
	pq_buf_uvarint(e->out, pq_zigzag64(v));
}

void tc_field_i64(struct tc_enc *e, int16_t id, int64_t v)
{
	field_header(e, id, TC_I64);
	pq_buf_uvarint(e->out, pq_zigzag64(v));
}

void tc_field_bool(struct tc_enc *e, int16_t id, bool v)
{
	field_header(e, id, v ? TC_BOOL_TRUE : TC_BOOL_FALSE);
}

void tc_field_double(struct tc_enc *e, int16_t id, double v)
{
	uint64_t bits;
	uint8_t le[8];

	memcpy(&bits, &v, sizeof(bits));
	pq_store_le64(le, bits);
	field_header(e, id, TC_DOUBLE);
	pq_buf_put(e->out, le, sizeof(le));
}

void tc_field_binary(struct tc_enc *e, int16_t id, const void *p, size_t n)
{
	field_header(e, id, TC_BINARY);
	tc_elem_binary(e, p, n);
}

void tc_field_string(struct tc_enc *e, int16_t id, const char *s)
{
	tc_field_binary(e, id, s, strlen(s));
}

void tc_field_struct_begin(struct tc_enc *e, int16_t id)
{
	field_header(e, id, TC_STRUCT);
	push(e);
}

void tc_struct_end(struct tc_enc *e)
{
	pq_buf_byte(e->out, TC_STOP);
	if (e->depth > 0)
		e->depth--;
}

void tc_field_empty_struct(struct tc_enc *e, int16_t id)
{
	tc_field_struct_begin(e, id);
	tc_struct_end(e);
}

void tc_field_list_begin(struct tc_enc *e, int16_t id, enum tc_type elem, size_t n)
{
	field_header(e, id, TC_LIST);
	if (n < 15) {
		pq_buf_byte(e->out, (uint8_t)(n << 4 | elem));
	} else {
		pq_buf_byte(e->out, (uint8_t)(0xF0 | elem));
		pq_buf_uvarint(e->out, n);
	}
}

void tc_elem_i32(struct tc_enc *e, int32_t v)
{
	pq_buf_uvarint(e->out, pq_zigzag64(v));
}

void tc_elem_i64(struct tc_enc *e, int64_t v)
{
	pq_buf_uvarint(e->out, pq_zigzag64(v));
}

void tc_elem_binary(struct tc_enc *e, const void *p, size_t n)
{
	pq_buf_uvarint(e->out, n);
	pq_buf_put(e->out, p, n);
}

void tc_elem_struct_begin(struct tc_enc *e)
{
	push(e);
}

void tc_raw(struct tc_enc *e, const void *p, size_t n)
{
	pq_buf_put(e->out, p, n);
}
