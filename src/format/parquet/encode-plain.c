/*
 * encode-plain.c - PLAIN encoding (see encode-plain.h). On a
 * little-endian host fixed-width values are already in PLAIN layout and
 * are copied in one memcpy; elsewhere they are stored byte by byte.
 */
#include "config.h"

#include <string.h>

#include "format/parquet/encode-plain.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_IS_PLAIN 1
#else
#define HOST_IS_PLAIN 0
#endif

size_t pq_plain_size(const struct pq_values *v, size_t first, size_t n)
{
	if (v->type == PQ_BOOLEAN)
		return (n + 7) / 8;
	if (v->width)
		return n * v->width;
	return v->offs[first + n] - v->offs[first] + 4 * n;
}

bool pq_plain_in_place(const struct pq_values *v)
{
	return HOST_IS_PLAIN && v->width && v->type != PQ_BOOLEAN;
}

/* Stores one fixed-width value little-endian at p. */
static void store_fixed(uint8_t *p, const uint8_t *src, size_t width)
{
	if (HOST_IS_PLAIN) {
		memcpy(p, src, width);
	} else if (width == 4) {
		uint32_t x;

		memcpy(&x, src, 4);
		pq_store_le32(p, x);
	} else {
		uint64_t x;

		memcpy(&x, src, 8);
		pq_store_le64(p, x);
	}
}

static void put_fixed(struct pq_buf *b, const uint8_t *src, size_t n, size_t width)
{
	if (HOST_IS_PLAIN) {
		pq_buf_put(b, src, n * width);
		return;
	}
	if (!pq_buf_reserve(b, n * width))
		return;
	for (size_t i = 0; i < n; i++) {
		store_fixed(b->p + b->len, src + i * width, width);
		b->len += width;
	}
}

static void put_bools(struct pq_buf *b, const uint8_t *v, size_t n)
{
	size_t nbytes = (n + 7) / 8;
	uint8_t *p;

	if (!pq_buf_reserve(b, nbytes))
		return;
	p = b->p + b->len;
	memset(p, 0, nbytes);
	for (size_t i = 0; i < n; i++)
		p[i >> 3] |= (uint8_t)((v[i] != 0) << (i & 7));
	b->len += nbytes;
}

/* Room must have been reserved. */
static void put_byte_array(struct pq_buf *b, const struct pq_values *v, size_t i)
{
	size_t len = v->offs[i + 1] - v->offs[i];

	pq_store_le32(b->p + b->len, (uint32_t)len);
	if (len)
		memcpy(b->p + b->len + 4, v->data + v->offs[i], len);
	b->len += 4 + len;
}

void pq_encode_plain(struct pq_buf *b, const struct pq_values *v, size_t first, size_t n)
{
	if (v->type == PQ_BOOLEAN) {
		put_bools(b, v->fixed + first, n);
	} else if (v->width) {
		put_fixed(b, v->fixed + first * v->width, n, v->width);
	} else if (pq_buf_reserve(b, pq_plain_size(v, first, n))) {
		for (size_t i = first; i < first + n; i++)
			put_byte_array(b, v, i);
	}
}

void pq_encode_plain_picked(struct pq_buf *b, const struct pq_values *v, const uint32_t *pick, size_t n)
{
	size_t size = 0;

	if (v->width) {
		size = n * v->width;
	} else {
		for (size_t k = 0; k < n; k++)
			size += 4 + v->offs[pick[k] + 1] - v->offs[pick[k]];
	}
	if (!pq_buf_reserve(b, size))
		return;
	for (size_t k = 0; k < n; k++) {
		if (v->width) {
			store_fixed(b->p + b->len, v->fixed + (size_t)pick[k] * v->width, v->width);
			b->len += v->width;
		} else {
			put_byte_array(b, v, pick[k]);
		}
	}
}
