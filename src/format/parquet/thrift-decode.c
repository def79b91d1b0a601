/*
 * thrift-decode.c - Thrift compact protocol decoding (see thrift-decode.h).
 *
 * The compact protocol in brief: a struct is a sequence of field headers
 * (one byte: id delta in the high nibble, type in the low nibble; delta 0
 * means a zigzag varint id follows) ended by a 0 byte. Integers are zigzag
 * ULEB128 varints, except BYTE which is one raw byte; binaries are a varint
 * length then bytes; lists have a one-byte header (size in the high nibble,
 * 15 meaning a varint size follows) and maps a varint size then a key/value
 * type byte. Bool fields carry their value in the type nibble (1 = true,
 * 2 = false); bool list elements are one byte each.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "format/parquet/parquet-format.h"
#include "format/parquet/thrift-decode.h"

void tcd_init(struct tcd *t, const void *buf, size_t len, struct fp_error *err)
{
	t->start = buf;
	t->p = buf;
	t->end = t->start + len;
	t->depth = 0;
	t->truncated = false;
	t->err = err;
}

static size_t left(const struct tcd *t)
{
	return (size_t)(t->end - t->p);
}

static int truncated(struct tcd *t, const char *what)
{
	t->truncated = true;
	return fp_error_set(t->err, "Thrift: data ends inside %s at offset %zu", what, tcd_offset(t));
}

static int read_byte(struct tcd *t, uint8_t *b, const char *what)
{
	if (t->p >= t->end) {
		*b = 0;	/* defined even on failure: callers' flow analysis cannot see -1 */
		return truncated(t, what);
	}
	*b = *t->p++;
	return 0;
}

static int read_varint(struct tcd *t, uint64_t *out, const char *what)
{
	uint64_t v = 0;

	for (int shift = 0; shift < 70; shift += 7) {
		uint8_t b;

		if (read_byte(t, &b, what) < 0)
			return -1;
		if (shift == 63 && b > 1)
			break;
		v |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0) {
			*out = v;
			return 0;
		}
	}
	return fp_error_set(t->err, "Thrift: varint longer than 64 bits in %s at offset %zu", what,
			    tcd_offset(t));
}

static int64_t unzigzag(uint64_t u)
{
	uint64_t v = (u >> 1) ^ (~(u & 1) + 1);
	int64_t s;

	memcpy(&s, &v, sizeof(s));
	return s;
}

int tcd_struct_begin(struct tcd *t)
{
	if (t->depth >= TCD_MAX_DEPTH)
		return fp_error_set(t->err, "Thrift: structures nested deeper than %d at offset %zu",
				    TCD_MAX_DEPTH, tcd_offset(t));
	t->depth++;
	return 0;
}

void tcd_struct_end(struct tcd *t)
{
	if (t->depth > 0)
		t->depth--;
}

static bool valid_type(int type)
{
	return type >= TC_BOOL_TRUE && type <= TC_STRUCT;
}

int tcd_field(struct tcd *t, int16_t *last_id, int *type, int16_t *id)
{
	uint8_t b;

	if (read_byte(t, &b, "a field header") < 0)
		return -1;
	if (b == TC_STOP)
		return 0;
	*type = b & 0x0f;
	if (!valid_type(*type))
		return fp_error_set(t->err, "Thrift: unknown field type %d at offset %zu", *type,
				    tcd_offset(t) - 1);
	if (b >> 4) {
		*id = (int16_t)(*last_id + (b >> 4));
	} else {
		uint64_t u;
		int64_t v;

		if (read_varint(t, &u, "a field id") < 0)
			return -1;
		v = unzigzag(u);
		if (v < INT16_MIN || v > INT16_MAX)
			return fp_error_set(t->err, "Thrift: field id %lld out of range at offset %zu",
					    (long long)v, tcd_offset(t));
		*id = (int16_t)v;
	}
	*last_id = *id;
	return 1;
}

static int skip_bytes(struct tcd *t, uint64_t n, const char *what)
{
	if (n > left(t))
		return truncated(t, what);
	t->p += n;
	return 0;
}

static int skip_struct(struct tcd *t)
{
	int16_t last = 0, id;
	int type, rc;

	if (tcd_struct_begin(t) < 0)
		return -1;
	while ((rc = tcd_field(t, &last, &type, &id)) > 0) {
		if (tcd_skip(t, type, false) < 0)
			return -1;
	}
	tcd_struct_end(t);
	return rc;
}

static int skip_map(struct tcd *t)
{
	uint64_t n;
	uint8_t kv;

	if (read_varint(t, &n, "a map size") < 0)
		return -1;
	if (n == 0)
		return 0;
	if (read_byte(t, &kv, "a map header") < 0)
		return -1;
	if (!valid_type(kv >> 4) || !valid_type(kv & 0x0f))
		return fp_error_set(t->err, "Thrift: bad map types 0x%02x at offset %zu", kv, tcd_offset(t));
	if (n > left(t) / 2)
		return truncated(t, "a map");
	if (tcd_struct_begin(t) < 0)
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		if (tcd_skip(t, kv >> 4, true) < 0 || tcd_skip(t, kv & 0x0f, true) < 0)
			return -1;
	}
	tcd_struct_end(t);
	return 0;
}

static int skip_list(struct tcd *t, int type)
{
	int elem;
	size_t n;

	if (tcd_list(t, type, &elem, &n, "a list") < 0)
		return -1;
	if (tcd_struct_begin(t) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (tcd_skip(t, elem, true) < 0)
			return -1;
	}
	tcd_struct_end(t);
	return 0;
}

int tcd_skip(struct tcd *t, int type, bool in_list)
{
	uint64_t u;

	switch (type) {
	case TC_BOOL_TRUE:
	case TC_BOOL_FALSE:
		return in_list ? skip_bytes(t, 1, "a bool") : 0;
	case TC_BYTE:
		return skip_bytes(t, 1, "a byte");
	case TC_I16:
	case TC_I32:
	case TC_I64:
		return read_varint(t, &u, "an integer");
	case TC_DOUBLE:
		return skip_bytes(t, 8, "a double");
	case TC_BINARY:
		if (read_varint(t, &u, "a binary length") < 0)
			return -1;
		return skip_bytes(t, u, "a binary");
	case TC_LIST:
	case TC_SET:
		return skip_list(t, type);
	case TC_MAP:
		return skip_map(t);
	case TC_STRUCT:
		return skip_struct(t);
	default:
		return fp_error_set(t->err, "Thrift: unknown type %d at offset %zu", type, tcd_offset(t));
	}
}

static int wrong_type(struct tcd *t, int type, const char *what)
{
	return fp_error_set(t->err, "Thrift: field %s has unexpected type %d at offset %zu", what, type,
			    tcd_offset(t));
}

int tcd_int(struct tcd *t, int type, int64_t min, int64_t max, int64_t *out, const char *what)
{
	int64_t v;

	if (type == TC_BYTE) {
		uint8_t b;

		if (read_byte(t, &b, what) < 0)
			return -1;
		v = (int8_t)b;
	} else if (type == TC_I16 || type == TC_I32 || type == TC_I64) {
		uint64_t u;

		if (read_varint(t, &u, what) < 0)
			return -1;
		v = unzigzag(u);
	} else {
		return wrong_type(t, type, what);
	}
	if (v < min || v > max)
		return fp_error_set(t->err, "Thrift: %s = %lld is out of range [%lld, %lld]", what, (long long)v,
				    (long long)min, (long long)max);
	*out = v;
	return 0;
}

int tcd_bool(struct tcd *t, int type, bool in_list, bool *out, const char *what)
{
	uint8_t b;

	if (type != TC_BOOL_TRUE && type != TC_BOOL_FALSE)
		return wrong_type(t, type, what);
	if (!in_list) {
		*out = type == TC_BOOL_TRUE;
		return 0;
	}
	if (read_byte(t, &b, what) < 0)
		return -1;
	*out = b == TC_BOOL_TRUE;
	return 0;
}

int tcd_binary(struct tcd *t, int type, const uint8_t **p, size_t *len, const char *what)
{
	uint64_t n;

	if (type != TC_BINARY)
		return wrong_type(t, type, what);
	if (read_varint(t, &n, what) < 0)
		return -1;
	if (n > left(t))
		return truncated(t, what);
	*p = t->p;
	*len = (size_t)n;
	t->p += n;
	return 0;
}

int tcd_string(struct tcd *t, int type, char **out, const char *what)
{
	const uint8_t *p;
	size_t len;
	char *s;

	if (tcd_binary(t, type, &p, &len, what) < 0)
		return -1;
	s = malloc(len + 1);
	if (s == NULL)
		return fp_error_set(t->err, "out of memory reading %s", what);
	memcpy(s, p, len);
	s[len] = '\0';
	free(*out);
	*out = s;
	return 0;
}

int tcd_list(struct tcd *t, int type, int *elem_type, size_t *n, const char *what)
{
	uint8_t b;
	uint64_t size;

	if (type != TC_LIST && type != TC_SET)
		return wrong_type(t, type, what);
	if (read_byte(t, &b, what) < 0)
		return -1;
	*elem_type = b & 0x0f;
	size = b >> 4;
	if (size == 15 && read_varint(t, &size, what) < 0)
		return -1;
	if (size > 0 && !valid_type(*elem_type))
		return fp_error_set(t->err, "Thrift: %s has unknown element type %d at offset %zu", what,
				    *elem_type, tcd_offset(t));
	/* Every element takes at least one byte: this bounds allocations. */
	if (size > left(t))
		return truncated(t, what);
	*n = (size_t)size;
	return 0;
}
