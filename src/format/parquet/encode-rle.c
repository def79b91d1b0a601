/*
 * encode-rle.c - RLE / bit-packing hybrid runs (see encode-rle.h).
 *
 * One pass finds runs of equal values. A run of at least MIN_RLE_RUN
 * values ends the pending literals: they are bit-packed, first borrowing
 * values from the front of the run to fill their last group of 8 (the
 * borrowed values are equal, so the literals stay correct and no group is
 * padded in the middle of the data), and the rest of the run is written as
 * an RLE run. A short run that ends the input with no literals pending is
 * also written as RLE: it is smaller than a padded group.
 *
 * Bit-packing order (Encodings.md): values fill each byte from its least
 * significant bit, so a 64-bit accumulator shifted left by the bits
 * already held and drained a byte at a time produces it directly.
 */
#include "config.h"

#include "format/parquet/encode-rle.h"

#define MIN_RLE_RUN 8

int pq_bit_width(uint64_t max_value)
{
	int w = 0;

	while (max_value) {
		w++;
		max_value >>= 1;
	}
	return w;
}

/* Values come from a uint8_t or uint32_t array; `size` is a constant at
 * every call site, so the compiler specialises these always-inlined
 * helpers per element type. */
static inline __attribute__((always_inline)) uint32_t get(const void *v, size_t i, size_t size)
{
	return size == 1 ? ((const uint8_t *)v)[i] : ((const uint32_t *)v)[i];
}

static void put_rle_run(struct pq_buf *out, uint32_t value, size_t count, int bit_width)
{
	int nbytes = (bit_width + 7) / 8;

	pq_buf_uvarint(out, (uint64_t)count << 1);
	for (int k = 0; k < nbytes; k++)
		pq_buf_byte(out, (uint8_t)(value >> (8 * k)));
}

static inline __attribute__((always_inline)) void put_packed(struct pq_buf *out, const void *v, size_t start,
							     size_t count, int bit_width, size_t size)
{
	size_t groups = (count + 7) / 8, total = groups * 8;
	uint64_t acc = 0;
	unsigned nbits = 0;
	uint8_t *p;

	pq_buf_uvarint(out, (uint64_t)groups << 1 | 1);
	if (!pq_buf_reserve(out, groups * (size_t)bit_width))
		return;
	p = out->p + out->len;
	for (size_t i = 0; i < total; i++) {
		/* Only the last group can run past the values: zeros pad it. */
		uint64_t x = i < count ? get(v, start + i, size) : 0;

		acc |= x << nbits;
		nbits += (unsigned)bit_width;
		while (nbits >= 8) {
			*p++ = (uint8_t)acc;
			acc >>= 8;
			nbits -= 8;
		}
	}
	out->len = (size_t)(p - out->p);
}

static inline __attribute__((always_inline)) void encode(struct pq_buf *out, const void *v, size_t n,
							 int bit_width, size_t size)
{
	size_t i = 0, lit = 0;	/* lit: first value not yet written */

	while (i < n) {
		uint32_t x = get(v, i, size);
		size_t j = i + 1;

		while (j < n && get(v, j, size) == x)
			j++;
		if (j - i >= MIN_RLE_RUN || (j == n && lit == i)) {
			if (lit < i) {
				size_t pad = (8 - (i - lit) % 8) % 8;

				if (pad > j - i)
					pad = j - i;
				i += pad;
				put_packed(out, v, lit, i - lit, bit_width, size);
			}
			if (j > i)
				put_rle_run(out, x, j - i, bit_width);
			lit = j;
		}
		i = j;
	}
	if (lit < n)
		put_packed(out, v, lit, n - lit, bit_width, size);
}

void pq_rle_encode_u32(struct pq_buf *out, const uint32_t *v, size_t n, int bit_width)
{
	encode(out, v, n, bit_width, sizeof(uint32_t));
}

void pq_rle_encode_u8(struct pq_buf *out, const uint8_t *v, size_t n, int bit_width)
{
	encode(out, v, n, bit_width, sizeof(uint8_t));
}

void pq_rle_encode_levels(struct pq_buf *out, const uint8_t *levels, size_t n)
{
	size_t at = out->len;

	pq_buf_le32(out, 0);
	pq_rle_encode_u8(out, levels, n, 1);
	if (!out->failed)
		pq_store_le32(out->p + at, (uint32_t)(out->len - at - 4));
}
