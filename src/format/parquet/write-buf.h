/*
 * write-buf.h - the growable byte buffer every part of the Parquet writer
 * appends to (page bodies, page headers, the footer), with the few
 * primitive stores Parquet needs: ULEB128 varints, zigzag, little-endian
 * fixed-width integers.
 *
 * Invariant: a failed allocation sets `failed` and turns every later
 * append into a no-op, so encoders stay free of error plumbing and the
 * owner checks `failed` once before using the bytes. Memory is kept across
 * pq_buf_clear() so a buffer reused per page allocates nothing in steady
 * state.
 */
#ifndef FP_FORMAT_PARQUET_WRITE_BUF_H
#define FP_FORMAT_PARQUET_WRITE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct pq_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
	bool failed;
};

/* Makes room for `extra` more bytes; false (and `failed` set) if memory
 * ran out or the buffer had already failed. */
bool pq_buf_grow(struct pq_buf *b, size_t extra);
void pq_buf_free(struct pq_buf *b);

static inline bool pq_buf_reserve(struct pq_buf *b, size_t extra)
{
	if (b->cap - b->len >= extra && !b->failed)
		return true;
	return pq_buf_grow(b, extra);
}

static inline void pq_buf_clear(struct pq_buf *b)
{
	b->len = 0;
	b->failed = false;
}

static inline void pq_buf_put(struct pq_buf *b, const void *p, size_t n)
{
	if (n == 0 || !pq_buf_reserve(b, n))
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static inline void pq_buf_byte(struct pq_buf *b, uint8_t c)
{
	if (!pq_buf_reserve(b, 1))
		return;
	b->p[b->len++] = c;
}

/* ULEB128: 7 bits a byte, low bits first, high bit = more follows. */
static inline void pq_buf_uvarint(struct pq_buf *b, uint64_t v)
{
	if (!pq_buf_reserve(b, 10))
		return;
	while (v >= 0x80) {
		b->p[b->len++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b->p[b->len++] = (uint8_t)v;
}

/* Zigzag maps 0, -1, 1, -2... to 0, 1, 2, 3... (done unsigned: no UB). */
static inline uint64_t pq_zigzag64(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)-(int64_t)((uint64_t)v >> 63);
}

static inline void pq_buf_le32(struct pq_buf *b, uint32_t v)
{
	uint8_t t[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	pq_buf_put(b, t, 4);
}

static inline void pq_store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void pq_store_le64(uint8_t *p, uint64_t v)
{
	pq_store_le32(p, (uint32_t)v);
	pq_store_le32(p + 4, (uint32_t)(v >> 32));
}

#endif
