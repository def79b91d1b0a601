/*
 * encode-rle.c - RLE / bit-packing hybrid runs (see encode-rle.h).
 *
 * One pass finds the runs of at least MIN_RLE_RUN equal values (testing
 * aligned blocks of 4, see next_long_run()). Each such run ends the
 * pending literals: they are bit-packed, first borrowing
 * values from the front of the run to fill their last group of 8 (the
 * borrowed values are equal, so the literals stay correct and no group is
 * padded in the middle of the data), and the rest of the run is written as
 * an RLE run. A short run that ends the input with no literals pending is
 * also written as RLE: it is smaller than a padded group.
 *
 * Bit-packing order (Encodings.md): values fill each byte from its least
 * significant bit, so a 64-bit accumulator shifted left by the bits
 * already held and drained 32 bits at a time, little endian, produces it
 * directly.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

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

/*
 * Bit-packs count values as whole groups of 8. Values gather in a 64-bit
 * accumulator and leave it 32 bits at a time (bit_width <= 32, so a value
 * shifted by fewer than 32 bits still fits); the padding of the last
 * group is zeros. The 8 bytes of slack reserved let the last store run
 * past the end without a check.
 */
static inline __attribute__((always_inline)) void put_packed(struct pq_buf *out, const void *v, size_t start,
							     size_t count, int bit_width, size_t size)
{
	size_t groups = (count + 7) / 8, bytes = groups * (size_t)bit_width;
	unsigned bw = (unsigned)bit_width, nbits = 0;
	uint64_t acc = 0;
	uint8_t *p, *end;

	pq_buf_uvarint(out, (uint64_t)groups << 1 | 1);
	if (!pq_buf_reserve(out, bytes + 8))
		return;
	p = out->p + out->len;
	end = p + bytes;
	for (size_t i = 0; i < count; i++) {
		acc |= (uint64_t)get(v, start + i, size) << nbits;
		nbits += bw;
		if (nbits >= 32) {
			pq_store_le32(p, (uint32_t)acc);
			p += 4;
			acc >>= 32;
			nbits -= 32;
		}
	}
	/* What is left (under 32 bits), then zeros to the end of the group. */
	memset(p, 0, (size_t)(end - p) + 4);
	pq_store_le32(p, (uint32_t)acc);
	out->len += bytes;
}

/*
 * The next maximal run of at least MIN_RLE_RUN equal values starting at
 * or after `from` (where the value changes, or 0): [*start, *end), or
 * false. Such a run holds a whole block of 4 values aligned on 4, so only
 * blocks are tested, one mostly predictable branch per 4 values, and a
 * block of equal values is widened to its run.
 */
static inline __attribute__((always_inline)) bool next_long_run(const void *v, size_t from, size_t n,
								  size_t size, size_t *start, size_t *end)
{
	size_t b = (from + 3) & ~(size_t)3;

	while (b + 4 <= n) {
		uint32_t x = get(v, b, size);
		size_t lo, hi;

		if (((get(v, b + 1, size) ^ x) | (get(v, b + 2, size) ^ x) | (get(v, b + 3, size) ^ x)) != 0) {
			b += 4;
			continue;
		}
		for (lo = b; lo > from && get(v, lo - 1, size) == x; lo--)
			;
		for (hi = b + 4; hi < n && get(v, hi, size) == x; hi++)
			;
		if (hi - lo >= MIN_RLE_RUN) {
			*start = lo;
			*end = hi;
			return true;
		}
		b = (hi + 3) & ~(size_t)3;
	}
	return false;
}

static inline __attribute__((always_inline)) void encode(struct pq_buf *out, const void *v, size_t n,
							 int bit_width, size_t size)
{
	size_t lit = 0, start, end;	/* lit: first value not yet written */

	while (next_long_run(v, lit, n, size, &start, &end)) {
		if (lit < start) {
			/* Borrow the front of the run to fill the last group. */
			start += (8 - (start - lit) % 8) % 8;
			put_packed(out, v, lit, start - lit, bit_width, size);
		}
		if (end > start)
			put_rle_run(out, get(v, start, size), end - start, bit_width);
		lit = end;
	}
	if (lit < n) {
		uint32_t x = get(v, n - 1, size);

		for (start = n - 1; start > lit && get(v, start - 1, size) == x; start--)
			;
		if (start == lit)
			put_rle_run(out, x, n - lit, bit_width);
		else
			put_packed(out, v, lit, n - lit, bit_width, size);
	}
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
