/*
 * decode-dict.c - data pages that hold RLE/bit-packed integers:
 * dictionary indices (PLAIN_DICTIONARY, RLE_DICTIONARY: one byte of bit
 * width, then the hybrid runs to the end of the page) and RLE booleans (a
 * 4-byte length, then runs of bit width 1).
 *
 * Every index is checked against the dictionary size before it is used.
 */
#include "config.h"

#include "format/parquet/decode-values.h"

int pqd_dict_init(struct pqd_decoder *d, const uint8_t *p, const uint8_t *end, struct fp_error *err)
{
	int width;

	if (p >= end) {
		/* A page of nulls only may carry no index data at all. */
		pqd_rle_init(&d->rle, p, 0, 0);
		return 0;
	}
	width = *p++;
	if (width > 32)
		return fp_error_set(err, "dictionary index bit width %d is larger than 32", width);
	pqd_rle_init(&d->rle, p, (size_t)(end - p), width);
	return 0;
}

int pqd_dict_read(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err)
{
	const struct pqd_dict *dict = d->dict;

	if (pqd_scratch(d, n, err) < 0)
		return -1;
	if (pqd_rle_read(&d->rle, d->idx, n, err) < 0) {
		fp_error_prefix(err, "dictionary indices");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t k = d->idx[i];

		if (k >= dict->n)
			return fp_error_set(err, "dictionary index %u out of range (dictionary has %zu entries)", k,
					    dict->n);
		switch (d->type->kind) {
		case PQD_INT:
			out->i[out->count++] = dict->v.i[k];
			break;
		case PQD_FLOAT:
			out->f[out->count++] = dict->v.f[k];
			break;
		case PQD_BYTES:
			if (pqd_values_add_bytes(out, dict->v.data + dict->off[k], dict->v.len[k], err) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

int pqd_rle_bool_init(struct pqd_decoder *d, const uint8_t *p, const uint8_t *end, struct fp_error *err)
{
	uint32_t len;

	if (end - p < 4) {
		pqd_rle_init(&d->rle, p, 0, 1);
		return 0;	/* checked when a value is asked for */
	}
	len = pqd_le32(p);
	p += 4;
	if (len > (size_t)(end - p))
		return fp_error_set(err, "RLE boolean data of %u bytes but the page has %zu left", len,
				    (size_t)(end - p));
	pqd_rle_init(&d->rle, p, len, 1);
	return 0;
}

int pqd_rle_bool_read(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err)
{
	if (pqd_scratch(d, n, err) < 0)
		return -1;
	if (pqd_rle_read(&d->rle, d->idx, n, err) < 0) {
		fp_error_prefix(err, "RLE booleans");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		out->i[out->count++] = d->idx[i] != 0;
	return 0;
}
