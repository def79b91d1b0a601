/*
 * decode-delta.c - DELTA_BINARY_PACKED (INT32/INT64), and the byte-array
 * encodings built on it: DELTA_LENGTH_BYTE_ARRAY (lengths stream, then the
 * bytes back to back) and DELTA_BYTE_ARRAY (prefix lengths stream, suffix
 * lengths stream, then the suffix bytes).
 *
 * A DELTA_BINARY_PACKED stream is a header <block size> <miniblocks per
 * block> <total values> <first value (zigzag)>, then blocks of <min delta
 * (zigzag)> <one bit width byte per miniblock> <miniblocks>. Arithmetic is
 * unsigned so overflowing deltas wrap as the spec requires. The byte-array
 * encodings need to know where a lengths stream ends before the first
 * value can be read, so a copy of the decoder is run to the end first
 * (walking block headers only).
 */
#include "config.h"

#include <stdlib.h>

#include "format/parquet/decode-values.h"
#include "format/parquet/parquet-format.h"

#define DELTA_MAX_BLOCK (1u << 20)

int pqd_delta_init(struct pqd_delta *d, const uint8_t *p, const uint8_t *end, struct fp_error *err)
{
	uint64_t block, first;

	memset(d, 0, sizeof(*d));
	if (pqd_uleb(&p, end, &block) < 0 || pqd_uleb(&p, end, &d->miniblocks) < 0 ||
	    pqd_uleb(&p, end, &d->total) < 0 || pqd_uleb(&p, end, &first) < 0)
		return fp_error_set(err, "DELTA_BINARY_PACKED header truncated");
	if (block == 0 || block % 128 != 0 || block > DELTA_MAX_BLOCK)
		return fp_error_set(err, "DELTA_BINARY_PACKED block size %llu is not a multiple of 128 up to %u",
				    (unsigned long long)block, DELTA_MAX_BLOCK);
	if (d->miniblocks == 0 || block % d->miniblocks != 0 || (block / d->miniblocks) % 32 != 0)
		return fp_error_set(err, "DELTA_BINARY_PACKED block of %llu values cannot hold %llu miniblocks",
				    (unsigned long long)block, (unsigned long long)d->miniblocks);
	d->per_mini = block / d->miniblocks;
	d->last = (uint64_t)pqd_unzigzag(first);
	d->mini = d->miniblocks;	/* the first delta starts a block */
	d->p = p;
	d->end = end;
	return 0;
}

static int next_miniblock(struct pqd_delta *d, struct fp_error *err)
{
	uint64_t need, size, need_bytes, avail;

	if (d->mini == d->miniblocks) {
		uint64_t u;

		if (pqd_uleb(&d->p, d->end, &u) < 0)
			return fp_error_set(err, "DELTA_BINARY_PACKED block header truncated after %llu values",
					    (unsigned long long)d->produced);
		d->min_delta = (uint64_t)pqd_unzigzag(u);
		if ((uint64_t)(d->end - d->p) < d->miniblocks)
			return fp_error_set(err, "DELTA_BINARY_PACKED bit widths truncated after %llu values",
					    (unsigned long long)d->produced);
		d->widths = d->p;
		d->p += d->miniblocks;
		d->mini = 0;
	}
	d->width = d->widths[d->mini++];
	if (d->width > 64)
		return fp_error_set(err, "DELTA_BINARY_PACKED bit width %d is larger than 64", d->width);
	need = d->total - d->produced;
	if (need > d->per_mini)
		need = d->per_mini;
	size = d->per_mini * (uint64_t)d->width / 8;
	need_bytes = (need * (uint64_t)d->width + 7) / 8;
	avail = (uint64_t)(d->end - d->p);
	if (need_bytes > avail)
		return fp_error_set(err, "DELTA_BINARY_PACKED miniblock truncated after %llu values",
				    (unsigned long long)d->produced);
	d->mini_data = d->p;
	d->mini_pos = 0;
	d->mini_left = need;
	/* A short last miniblock is tolerated: its values are all present. */
	d->p += size < avail ? size : avail;
	return 0;
}

int pqd_delta_read(struct pqd_delta *d, int64_t *out, size_t n, struct fp_error *err)
{
	for (size_t i = 0; i < n; i++) {
		if (d->produced >= d->total)
			return fp_error_set(err, "DELTA_BINARY_PACKED stream holds only %llu values",
					    (unsigned long long)d->total);
		if (d->produced > 0) {
			if (d->mini_left == 0 && next_miniblock(d, err) < 0)
				return -1;
			d->last += d->min_delta + pqd_bits(d->mini_data, d->mini_pos * (uint64_t)d->width, d->width);
			d->mini_pos++;
			d->mini_left--;
		}
		d->produced++;
		out[i] = pqd_as_signed(d->last);
	}
	return 0;
}

int pqd_delta_skip_all(struct pqd_delta *d, struct fp_error *err)
{
	if (d->produced == 0 && d->total > 0)
		d->produced = 1;
	while (d->produced < d->total) {
		if (d->mini_left == 0 && next_miniblock(d, err) < 0)
			return -1;
		d->produced += d->mini_left;
		d->mini_left = 0;
	}
	return 0;
}

int pqd_delta_ints(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err)
{
	int64_t *v = out->i + out->count;

	if (pqd_delta_read(&d->delta, v, n, err) < 0)
		return -1;
	if (d->type->physical == PQ_INT32) {
		/* 32-bit values wrap at 32 bits. */
		for (size_t i = 0; i < n; i++) {
			uint32_t u = (uint32_t)(uint64_t)v[i];

			v[i] = d->type->zero_extend ? (int64_t)u : (int64_t)(int32_t)u;
		}
	}
	out->count += n;
	return 0;
}

/* Initialises `lengths` at p and returns where its stream ends. */
static int lengths_stream(struct pqd_delta *lengths, const uint8_t *p, const uint8_t *end, const uint8_t **after,
			  const char *what, struct fp_error *err)
{
	struct pqd_delta walk;

	if (pqd_delta_init(lengths, p, end, err) < 0)
		goto fail;
	walk = *lengths;
	if (pqd_delta_skip_all(&walk, err) < 0)
		goto fail;
	*after = walk.p;
	return 0;
fail:
	fp_error_prefix(err, "%s", what);
	return -1;
}

static int check_length(int64_t len, int64_t max, const char *what, struct fp_error *err)
{
	if (len < 0 || len > max)
		return fp_error_set(err, "%s %lld out of range (%lld bytes left)", what, (long long)len,
				    (long long)max);
	return 0;
}

int pqd_delta_length_init(struct pqd_decoder *d, const uint8_t *p, const uint8_t *end, struct fp_error *err)
{
	if (lengths_stream(&d->delta, p, end, &d->p, "DELTA_LENGTH_BYTE_ARRAY lengths", err) < 0)
		return -1;
	d->end = end;
	return 0;
}

int pqd_delta_length_read(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err)
{
	if (pqd_scratch(d, n, err) < 0 || pqd_delta_read(&d->delta, d->lens, n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int64_t len = d->lens[i];

		if (check_length(len, d->end - d->p, "DELTA_LENGTH_BYTE_ARRAY length", err) < 0)
			return -1;
		if (pqd_values_add_bytes(out, d->p, (size_t)len, err) < 0)
			return -1;
		d->p += len;
	}
	return 0;
}

int pqd_delta_bytes_init(struct pqd_decoder *d, const uint8_t *p, const uint8_t *end, struct fp_error *err)
{
	const uint8_t *suffixes;

	if (lengths_stream(&d->prefix, p, end, &suffixes, "DELTA_BYTE_ARRAY prefix lengths", err) < 0)
		return -1;
	if (lengths_stream(&d->delta, suffixes, end, &d->p, "DELTA_BYTE_ARRAY suffix lengths", err) < 0)
		return -1;
	d->end = end;
	d->prev_len = 0;
	return 0;
}

static int keep_prev(struct pqd_decoder *d, size_t len, struct fp_error *err)
{
	size_t cap = d->prev_cap ? d->prev_cap : 64;
	uint8_t *p;

	if (len <= d->prev_cap)
		return 0;
	while (cap < len)
		cap *= 2;
	p = realloc(d->prev, cap);
	if (p == NULL)
		return fp_error_set(err, "out of memory for a DELTA_BYTE_ARRAY value of %zu bytes", len);
	d->prev = p;
	d->prev_cap = cap;
	return 0;
}

int pqd_delta_bytes_read(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err)
{
	const struct pqd_type *t = d->type;

	if (pqd_scratch(d, n, err) < 0 || pqd_delta_read(&d->prefix, d->plens, n, err) < 0 ||
	    pqd_delta_read(&d->delta, d->lens, n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int64_t prefix = d->plens[i], suffix = d->lens[i];
		size_t len;

		if (check_length(prefix, (int64_t)d->prev_len, "DELTA_BYTE_ARRAY prefix length", err) < 0 ||
		    check_length(suffix, d->end - d->p, "DELTA_BYTE_ARRAY suffix length", err) < 0)
			return -1;
		len = (size_t)prefix + (size_t)suffix;
		if (t->physical == PQ_FIXED_LEN_BYTE_ARRAY && len != (size_t)t->type_length)
			return fp_error_set(err, "DELTA_BYTE_ARRAY value of %zu bytes in a "
					    "FIXED_LEN_BYTE_ARRAY(%d) column", len, t->type_length);
		if (keep_prev(d, len, err) < 0)
			return -1;
		if (suffix > 0)
			memcpy(d->prev + prefix, d->p, (size_t)suffix);
		d->p += suffix;
		d->prev_len = len;
		if (pqd_values_add_bytes(out, d->prev, len, err) < 0)
			return -1;
	}
	return 0;
}
