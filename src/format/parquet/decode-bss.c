/*
 * decode-bss.c - BYTE_STREAM_SPLIT: the K bytes of each of N values are
 * scattered into K streams of N bytes, stored one after the other, so byte
 * k of value i is at k * N + i. N is the values' bytes divided by K (the
 * streams end with the page), for FLOAT, DOUBLE, INT32, INT64 and
 * FIXED_LEN_BYTE_ARRAY.
 */
#include "config.h"

#include "format/parquet/decode-values.h"
#include "format/parquet/parquet-format.h"

#define BSS_MAX_WIDTH 64

/* BYTE_STREAM_SPLIT covers the fixed-width types except INT96. */
static size_t bss_width(const struct pqd_type *t)
{
	return t->physical == PQ_INT96 ? 0 : pqd_fixed_size(t);
}

int pqd_bss_init(struct pqd_decoder *d, const uint8_t *p, const uint8_t *end, struct fp_error *err)
{
	size_t k = bss_width(d->type), len = (size_t)(end - p);

	if (k == 0 || k > BSS_MAX_WIDTH)
		return fp_error_set(err, "BYTE_STREAM_SPLIT of %zu-byte values is not supported", k);
	if (len % k != 0)
		return fp_error_set(err, "BYTE_STREAM_SPLIT data of %zu bytes is not a multiple of %zu", len, k);
	d->bss_n = len / k;
	d->bss_pos = 0;
	return 0;
}

int pqd_bss_read(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err)
{
	const struct pqd_type *t = d->type;
	size_t k = bss_width(t);
	uint8_t b[BSS_MAX_WIDTH];

	if (n > d->bss_n - d->bss_pos)
		return fp_error_set(err, "BYTE_STREAM_SPLIT data holds %llu values, %zu more wanted after %llu",
				    (unsigned long long)d->bss_n, n, (unsigned long long)d->bss_pos);
	for (size_t i = 0; i < n; i++, d->bss_pos++) {
		for (size_t j = 0; j < k; j++)
			b[j] = d->p[j * d->bss_n + d->bss_pos];
		if (t->physical == PQ_FIXED_LEN_BYTE_ARRAY) {
			if (pqd_values_add_bytes(out, b, k, err) < 0)
				return -1;
		} else {
			pqd_fixed_value(t, b, out);
		}
	}
	return 0;
}
