/*
 * decode-values.c - choosing the decoder for a page's encoding, and the
 * growable value arrays all decoders append to.
 *
 * Which encodings are valid for which physical types follows the table in
 * Encodings.md; anything else is refused by name rather than decoded as
 * garbage.
 */
#include "config.h"

#include <stdlib.h>

#include "format/parquet/decode-values.h"
#include "format/parquet/parquet-format.h"
#include "format/parquet/parquet-meta.h"

int pqd_uleb(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
	uint64_t v = 0;
	const uint8_t *q = *p;

	for (int shift = 0; shift < 64; shift += 7) {
		uint8_t b;

		if (q >= end)
			return -1;
		b = *q++;
		if (shift == 63 && b > 1)
			return -1;
		v |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0) {
			*p = q;
			*out = v;
			return 0;
		}
	}
	return -1;
}

int pqd_bit_width(uint64_t max)
{
	int w = 0;

	while (max) {
		w++;
		max >>= 1;
	}
	return w;
}

/* ------------------------------------------------------------ values */

static int grow(void **arr, size_t *cap, size_t need, size_t size, struct fp_error *err)
{
	size_t n = *cap ? *cap : 64;
	void *p;

	while (n < need)
		n *= 2;
	p = realloc(*arr, n * size);
	if (p == NULL)
		return fp_error_set(err, "out of memory decoding %zu values", need);
	*arr = p;
	*cap = n;
	return 0;
}

int pqd_values_reserve(struct pqd_values *v, enum pqd_kind kind, size_t more, struct fp_error *err)
{
	size_t need = v->count + more, cap = v->cap;

	if (need <= v->cap)
		return 0;
	/* Only the array of this kind is used; keep its capacity in step. */
	if (kind == PQD_INT && grow((void **)&v->i, &cap, need, sizeof(*v->i), err) < 0)
		return -1;
	if (kind == PQD_FLOAT && grow((void **)&v->f, &cap, need, sizeof(*v->f), err) < 0)
		return -1;
	if (kind == PQD_BYTES && grow((void **)&v->len, &cap, need, sizeof(*v->len), err) < 0)
		return -1;
	v->cap = cap;
	return 0;
}

int pqd_values_add_bytes(struct pqd_values *v, const void *p, size_t len, struct fp_error *err)
{
	if (len > PQD_MAX_DATA - v->data_len)
		return fp_error_set(err, "more than %zu bytes of byte-array data in one batch", PQD_MAX_DATA);
	if (v->data_len + len > v->data_cap) {
		size_t cap = v->data_cap ? v->data_cap : 256;
		char *d;

		while (cap < v->data_len + len)
			cap *= 2;
		d = realloc(v->data, cap);
		if (d == NULL)
			return fp_error_set(err, "out of memory decoding %zu bytes of byte arrays", v->data_len + len);
		v->data = d;
		v->data_cap = cap;
	}
	if (len > 0)
		memcpy(v->data + v->data_len, p, len);
	v->data_len += len;
	v->len[v->count++] = (uint32_t)len;
	return 0;
}

void pqd_values_free(struct pqd_values *v)
{
	free(v->i);
	free(v->f);
	free(v->len);
	free(v->data);
	memset(v, 0, sizeof(*v));
}

/* ------------------------------------------------------------ dispatch */

static bool encoding_fits(int encoding, int physical)
{
	switch (encoding) {
	case PQ_ENC_PLAIN:
	case PQ_ENC_PLAIN_DICTIONARY:
	case PQ_ENC_RLE_DICTIONARY:
		return true;
	case PQ_ENC_RLE:
		return physical == PQ_BOOLEAN;
	case PQ_ENC_DELTA_BINARY_PACKED:
		return physical == PQ_INT32 || physical == PQ_INT64;
	case PQ_ENC_DELTA_LENGTH_BYTE_ARRAY:
		return physical == PQ_BYTE_ARRAY;
	case PQ_ENC_DELTA_BYTE_ARRAY:
		return physical == PQ_BYTE_ARRAY || physical == PQ_FIXED_LEN_BYTE_ARRAY;
	case PQ_ENC_BYTE_STREAM_SPLIT:
		return physical == PQ_INT32 || physical == PQ_INT64 || physical == PQ_FLOAT ||
		       physical == PQ_DOUBLE || physical == PQ_FIXED_LEN_BYTE_ARRAY;
	default:
		return false;
	}
}

int pqd_decoder_init(struct pqd_decoder *d, const struct pqd_type *t, int encoding, const uint8_t *p,
		     size_t len, const struct pqd_dict *dict, struct fp_error *err)
{
	const uint8_t *end = p + len;

	d->type = t;
	d->encoding = encoding;
	d->p = p;
	d->end = end;
	d->bitpos = 0;
	d->dict = dict;
	if (!encoding_fits(encoding, t->physical))
		return fp_error_set(err, "encoding %s (%d) is not supported for %s values", pqm_encoding_name(encoding),
				    encoding, pqm_type_name(t->physical));
	switch (encoding) {
	case PQ_ENC_PLAIN_DICTIONARY:
	case PQ_ENC_RLE_DICTIONARY:
		if (dict == NULL)
			return fp_error_set(err, "page is dictionary-encoded but the column chunk has no "
					    "dictionary page");
		return pqd_dict_init(d, p, end, err);
	case PQ_ENC_RLE:
		return pqd_rle_bool_init(d, p, end, err);
	case PQ_ENC_DELTA_BINARY_PACKED:
		return pqd_delta_init(&d->delta, p, end, err);
	case PQ_ENC_DELTA_LENGTH_BYTE_ARRAY:
		return pqd_delta_length_init(d, p, end, err);
	case PQ_ENC_DELTA_BYTE_ARRAY:
		return pqd_delta_bytes_init(d, p, end, err);
	case PQ_ENC_BYTE_STREAM_SPLIT:
		return pqd_bss_init(d, p, end, err);
	default:
		return 0;
	}
}

int pqd_decode(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err)
{
	if (n == 0)
		return 0;
	if (pqd_values_reserve(out, d->type->kind, n, err) < 0)
		return -1;
	switch (d->encoding) {
	case PQ_ENC_PLAIN:
		return pqd_plain_read(d, out, n, err);
	case PQ_ENC_PLAIN_DICTIONARY:
	case PQ_ENC_RLE_DICTIONARY:
		return pqd_dict_read(d, out, n, err);
	case PQ_ENC_RLE:
		return pqd_rle_bool_read(d, out, n, err);
	case PQ_ENC_DELTA_BINARY_PACKED:
		return pqd_delta_ints(d, out, n, err);
	case PQ_ENC_DELTA_LENGTH_BYTE_ARRAY:
		return pqd_delta_length_read(d, out, n, err);
	case PQ_ENC_DELTA_BYTE_ARRAY:
		return pqd_delta_bytes_read(d, out, n, err);
	case PQ_ENC_BYTE_STREAM_SPLIT:
		return pqd_bss_read(d, out, n, err);
	default:
		return fp_error_set(err, "encoding %d cannot be decoded", d->encoding);
	}
}

int pqd_scratch(struct pqd_decoder *d, size_t n, struct fp_error *err)
{
	size_t cap = d->scratch_cap;
	uint32_t *idx;
	int64_t *lens, *plens;

	if (n <= cap)
		return 0;
	cap = cap ? cap : 256;
	while (cap < n)
		cap *= 2;
	idx = realloc(d->idx, cap * sizeof(*idx));
	if (idx != NULL)
		d->idx = idx;
	lens = realloc(d->lens, cap * sizeof(*lens));
	if (lens != NULL)
		d->lens = lens;
	plens = realloc(d->plens, cap * sizeof(*plens));
	if (plens != NULL)
		d->plens = plens;
	if (idx == NULL || lens == NULL || plens == NULL)
		return fp_error_set(err, "out of memory decoding %zu values", n);
	d->scratch_cap = cap;
	return 0;
}

void pqd_decoder_free(struct pqd_decoder *d)
{
	free(d->idx);
	free(d->lens);
	free(d->plens);
	free(d->prev);
	memset(d, 0, sizeof(*d));
}
