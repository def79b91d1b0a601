/*
 * decode-values.h - streaming decoders for the values and levels of one
 * Parquet page (Encodings.md), shared by decode-*.c and column-reader.c.
 *
 * A decoder is initialised over one page's bytes and then asked for the
 * next n values again and again; it keeps its cursor between calls, so a
 * page is never expanded in memory. Every read checks the bytes it needs
 * are inside the page; a decoder that runs out says how and stops.
 *
 * Values come out widened into a compact struct pqd_values (nulls take no
 * slot): every integer type (BOOLEAN, INT32, INT64, INT96 converted to
 * nanoseconds) in `i`, FLOAT and DOUBLE in `f`, byte arrays as lengths in
 * `len` plus their bytes appended to `data`.
 */
#ifndef FP_FORMAT_PARQUET_DECODE_VALUES_H
#define FP_FORMAT_PARQUET_DECODE_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/error.h"

/* String bytes one read may produce (the batch offsets are 32-bit). */
#define PQD_MAX_DATA ((size_t)1 << 31)

enum pqd_kind { PQD_INT, PQD_FLOAT, PQD_BYTES };

struct pqd_type {
	int physical;		/* enum pq_type */
	int32_t type_length;	/* FIXED_LEN_BYTE_ARRAY */
	bool zero_extend;	/* INT32 holding unsigned values (UINT_8/16/32) */
	enum pqd_kind kind;
};

struct pqd_values {
	size_t count, cap;
	int64_t *i;
	double *f;
	uint32_t *len;
	char *data;
	size_t data_len, data_cap;
};

struct pqd_dict {
	size_t n;
	struct pqd_values v;
	size_t *off;		/* PQD_BYTES: where entry k starts in v.data */
};

/* RLE / bit-packing hybrid (or, with `msb`, the deprecated BIT_PACKED). */
struct pqd_rle {
	const uint8_t *p, *end;
	int width;
	bool msb;
	bool packed;
	uint64_t left;		/* values left in the current run */
	uint32_t value;		/* RLE run */
	const uint8_t *run;	/* bit-packed run */
	uint64_t pos;
	uint64_t produced;
};

/* DELTA_BINARY_PACKED. */
struct pqd_delta {
	const uint8_t *p, *end;
	uint64_t per_mini, miniblocks;
	uint64_t total, produced;
	uint64_t last, min_delta;
	const uint8_t *widths;
	uint64_t mini;		/* next miniblock of the block */
	uint64_t mini_left;
	const uint8_t *mini_data;
	uint64_t mini_pos;
	int width;
};

struct pqd_decoder {
	const struct pqd_type *type;
	int encoding;
	const uint8_t *p, *end;		/* PLAIN, BYTE_STREAM_SPLIT, delta byte data */
	uint64_t bitpos;		/* PLAIN BOOLEAN */
	uint64_t bss_n, bss_pos;
	struct pqd_rle rle;		/* dictionary indices, RLE BOOLEAN */
	const struct pqd_dict *dict;
	struct pqd_delta delta;		/* values, or byte-array (suffix) lengths */
	struct pqd_delta prefix;	/* DELTA_BYTE_ARRAY prefix lengths */
	/* scratch kept across pages */
	uint32_t *idx;
	int64_t *lens, *plens;
	size_t scratch_cap;
	uint8_t *prev;
	size_t prev_len, prev_cap;
};

/* ---- little helpers for every decoder */

static inline uint32_t pqd_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t pqd_le64(const uint8_t *p)
{
	return (uint64_t)pqd_le32(p) | (uint64_t)pqd_le32(p + 4) << 32;
}

static inline int64_t pqd_unzigzag(uint64_t u)
{
	uint64_t v = (u >> 1) ^ (~(u & 1) + 1);
	int64_t s;

	memcpy(&s, &v, sizeof(s));
	return s;
}

static inline int64_t pqd_as_signed(uint64_t u)
{
	int64_t s;

	memcpy(&s, &u, sizeof(s));
	return s;
}

/* `width` (<= 64) bits starting at bit `bitpos`, least significant bit
 * first; the caller has checked the bytes exist. */
static inline uint64_t pqd_bits(const uint8_t *base, uint64_t bitpos, int width)
{
	uint64_t v = 0;
	const uint8_t *q = base + (bitpos >> 3);
	int off = (int)(bitpos & 7), got = 0;

	while (got < width) {
		v |= (uint64_t)(*q++ >> off) << got;
		got += 8 - off;
		off = 0;
	}
	return width < 64 ? v & ((UINT64_C(1) << width) - 1) : v;
}

/* ULEB128 into *out; -1 if it is truncated or longer than 64 bits. */
int pqd_uleb(const uint8_t **p, const uint8_t *end, uint64_t *out);
/* Bits needed for values up to max (0 for 0). */
int pqd_bit_width(uint64_t max);

/* ---- pqd_values */
int pqd_values_reserve(struct pqd_values *v, enum pqd_kind kind, size_t more, struct fp_error *err);
int pqd_values_add_bytes(struct pqd_values *v, const void *p, size_t len, struct fp_error *err);
/* Bytes of one value of a fixed-width physical type (0: not fixed-width). */
size_t pqd_fixed_size(const struct pqd_type *t);
/* Appends one little-endian INT32/INT64/INT96/FLOAT/DOUBLE value at p
 * (room reserved by the caller). Shared by PLAIN and BYTE_STREAM_SPLIT. */
void pqd_fixed_value(const struct pqd_type *t, const uint8_t *p, struct pqd_values *out);
void pqd_values_free(struct pqd_values *v);

/* ---- decode-rle.c */
void pqd_rle_init(struct pqd_rle *r, const uint8_t *p, size_t len, int width);
void pqd_bitpacked_init(struct pqd_rle *r, const uint8_t *p, size_t len, int width);
int pqd_rle_read(struct pqd_rle *r, uint32_t *out, size_t n, struct fp_error *err);

/* ---- decode-delta.c */
int pqd_delta_init(struct pqd_delta *d, const uint8_t *p, const uint8_t *end, struct fp_error *err);
int pqd_delta_read(struct pqd_delta *d, int64_t *out, size_t n, struct fp_error *err);
/* Consumes the rest of the stream; d->p is then just past it. */
int pqd_delta_skip_all(struct pqd_delta *d, struct fp_error *err);
int pqd_delta_ints(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err);
int pqd_delta_length_init(struct pqd_decoder *d, const uint8_t *p, const uint8_t *end, struct fp_error *err);
int pqd_delta_length_read(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err);
int pqd_delta_bytes_init(struct pqd_decoder *d, const uint8_t *p, const uint8_t *end, struct fp_error *err);
int pqd_delta_bytes_read(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err);

/* ---- decode-plain.c */
int pqd_plain_read(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err);
/* Decodes a dictionary page of n PLAIN entries. */
int pqd_dict_build(struct pqd_dict *dict, const struct pqd_type *t, const uint8_t *p, size_t len, size_t n,
		   struct fp_error *err);
void pqd_dict_free(struct pqd_dict *dict);

/* ---- decode-dict.c: dictionary indices and RLE booleans */
int pqd_dict_init(struct pqd_decoder *d, const uint8_t *p, const uint8_t *end, struct fp_error *err);
int pqd_dict_read(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err);
int pqd_rle_bool_init(struct pqd_decoder *d, const uint8_t *p, const uint8_t *end, struct fp_error *err);
int pqd_rle_bool_read(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err);

/* ---- decode-bss.c */
int pqd_bss_init(struct pqd_decoder *d, const uint8_t *p, const uint8_t *end, struct fp_error *err);
int pqd_bss_read(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err);

/* ---- decode-values.c: dispatch on the page's encoding */
int pqd_decoder_init(struct pqd_decoder *d, const struct pqd_type *t, int encoding, const uint8_t *p,
		     size_t len, const struct pqd_dict *dict, struct fp_error *err);
int pqd_decode(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err);
/* Makes sure the decoder's scratch arrays hold n entries. */
int pqd_scratch(struct pqd_decoder *d, size_t n, struct fp_error *err);
void pqd_decoder_free(struct pqd_decoder *d);

#endif
