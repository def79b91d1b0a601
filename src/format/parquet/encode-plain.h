/*
 * encode-plain.h - PLAIN encoding (Encodings.md, "PLAIN = 0") of a
 * column chunk's values: little-endian fixed-width values, booleans one
 * bit each from the least significant bit, byte arrays as a 4-byte
 * little-endian length then the bytes.
 *
 * struct pq_values is how the column writer holds a chunk's non-null
 * values; the encoders, the statistics and the dictionary choice all read
 * it.
 */
#ifndef FP_FORMAT_PARQUET_ENCODE_PLAIN_H
#define FP_FORMAT_PARQUET_ENCODE_PLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/parquet/parquet-format.h"
#include "format/parquet/write-buf.h"

struct pq_values {
	enum pq_type type;
	size_t width;		/* bytes per value in memory; 0 = byte array (BOOLEAN: 1) */
	const uint8_t *fixed;	/* fixed-width types: n values of `width` bytes */
	const uint8_t *data;	/* byte arrays: value i = data[offs[i] .. offs[i + 1]) */
	const size_t *offs;
	size_t n;
};

/* Bytes values [first, first + n) take PLAIN-encoded. */
size_t pq_plain_size(const struct pq_values *v, size_t first, size_t n);

/* True when PLAIN bytes are the values' bytes in memory (fixed width,
 * not BOOLEAN, little-endian host): a page can then be taken in place. */
bool pq_plain_in_place(const struct pq_values *v);

/* Appends values [first, first + n). */
void pq_encode_plain(struct pq_buf *b, const struct pq_values *v, size_t first, size_t n);

/* Appends the values at positions pick[0..n) (a dictionary page). Not
 * for BOOLEAN. */
void pq_encode_plain_picked(struct pq_buf *b, const struct pq_values *v, const uint32_t *pick, size_t n);

#endif
