/*
 * encode-rle.h - the RLE / bit-packing hybrid encoder (Encodings.md,
 * "RLE = 3") for definition levels and dictionary indices.
 *
 * A run of 8 or more equal values becomes an RLE run; everything between
 * such runs is bit-packed in groups of 8 (the last group padded with
 * zeros: readers stop at the page's value count). The output is
 * deterministic, so tests can compare it byte for byte.
 */
#ifndef FP_FORMAT_PARQUET_ENCODE_RLE_H
#define FP_FORMAT_PARQUET_ENCODE_RLE_H

#include <stddef.h>
#include <stdint.h>

#include "format/parquet/write-buf.h"

/* Bits needed to store values 0..max_value (0 for 0). */
int pq_bit_width(uint64_t max_value);

/* Appends the hybrid runs of v[0..n), each value < 2^bit_width, with no
 * length prefix (dictionary indices follow their bit-width byte). */
void pq_rle_encode_u32(struct pq_buf *out, const uint32_t *v, size_t n, int bit_width);
void pq_rle_encode_u8(struct pq_buf *out, const uint8_t *v, size_t n, int bit_width);

/* Definition levels of a v1 data page (max level 1): a 4-byte little
 * endian length, then the runs at bit width 1. */
void pq_rle_encode_levels(struct pq_buf *out, const uint8_t *levels, size_t n);

#endif
