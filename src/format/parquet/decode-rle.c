/*
 * decode-rle.c - the RLE / bit-packing hybrid (Encodings.md, RLE = 3) used
 * for definition levels, dictionary indices and RLE booleans, and the
 * deprecated BIT_PACKED level encoding.
 *
 * A run header is a ULEB128: low bit 0 = an RLE run of (header >> 1)
 * copies of one value stored in ceil(width / 8) little-endian bytes; low
 * bit 1 = (header >> 1) groups of 8 values bit-packed LSB first. A
 * bit-packed run may be cut short by the end of the data (the last one of
 * a page often is): only the values whose bits are present can be read.
 */
#include "config.h"

#include "format/parquet/decode-values.h"

void pqd_rle_init(struct pqd_rle *r, const uint8_t *p, size_t len, int width)
{
	memset(r, 0, sizeof(*r));
	r->p = p;
	r->end = p + len;
	r->width = width;
}

void pqd_bitpacked_init(struct pqd_rle *r, const uint8_t *p, size_t len, int width)
{
	pqd_rle_init(r, p, len, width);
	r->msb = true;
	r->packed = true;
	r->run = p;
	r->left = width ? (uint64_t)len * 8 / (uint64_t)width : UINT64_MAX;
	r->p = r->end;
}

static int next_run(struct pqd_rle *r, struct fp_error *err)
{
	uint64_t header, avail;

	if (r->p >= r->end)
		return fp_error_set(err, "RLE data ends after %llu values", (unsigned long long)r->produced);
	if (pqd_uleb(&r->p, r->end, &header) < 0 || header > UINT32_MAX)
		return fp_error_set(err, "bad RLE run header after %llu values", (unsigned long long)r->produced);
	if (header & 1) {
		uint64_t groups = header >> 1, bytes = groups * (uint64_t)r->width;

		avail = (uint64_t)(r->end - r->p);
		r->packed = true;
		r->run = r->p;
		r->pos = 0;
		r->left = groups * 8;
		if (bytes > avail) {
			r->left = avail * 8 / (uint64_t)r->width;
			bytes = avail;
		}
		r->p += bytes;
	} else {
		int nbytes = (r->width + 7) / 8;
		uint32_t v = 0;

		if (r->end - r->p < nbytes)
			return fp_error_set(err, "RLE run value truncated after %llu values",
					    (unsigned long long)r->produced);
		for (int i = 0; i < nbytes; i++)
			v |= (uint32_t)r->p[i] << (8 * i);
		r->p += nbytes;
		r->packed = false;
		r->value = r->width < 32 ? v & ((UINT32_C(1) << r->width) - 1) : v;
		r->left = header >> 1;
	}
	return 0;
}

/* The deprecated BIT_PACKED order: most significant bit first. */
static uint32_t bits_msb(const uint8_t *base, uint64_t bitpos, int width)
{
	uint32_t v = 0;

	for (int i = 0; i < width; i++, bitpos++)
		v = v << 1 | ((base[bitpos >> 3] >> (7 - (bitpos & 7))) & 1);
	return v;
}

int pqd_rle_read(struct pqd_rle *r, uint32_t *out, size_t n, struct fp_error *err)
{
	while (n > 0) {
		size_t k;

		if (r->left == 0) {
			if (r->msb)
				return fp_error_set(err, "BIT_PACKED levels end after %llu values",
						    (unsigned long long)r->produced);
			if (next_run(r, err) < 0)
				return -1;
			continue;
		}
		k = r->left < n ? (size_t)r->left : n;
		if (!r->packed) {
			for (size_t i = 0; i < k; i++)
				out[i] = r->value;
		} else if (r->msb) {
			for (size_t i = 0; i < k; i++, r->pos++)
				out[i] = bits_msb(r->run, r->pos * (uint64_t)r->width, r->width);
		} else {
			for (size_t i = 0; i < k; i++, r->pos++)
				out[i] = (uint32_t)pqd_bits(r->run, r->pos * (uint64_t)r->width, r->width);
		}
		r->left -= k;
		r->produced += k;
		out += k;
		n -= k;
	}
	return 0;
}
