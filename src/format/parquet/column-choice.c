/*
 * column-choice.c - dictionary or PLAIN, judged compressed (see
 * column-choice.h).
 *
 * The sample is the first SAMPLE_VALUES values. Entries are numbered in
 * first-seen order, so the entries the sample introduces are a prefix of
 * the dictionary. Each part (PLAIN values, dictionary page, indices) is
 * compressed on its own, as the real pages will be, and its compression
 * ratio scaled up to the chunk's full raw size of that part.
 */
#include "config.h"

#include "format/parquet/column-choice.h"
#include "format/parquet/encode-rle.h"

#define SAMPLE_VALUES 32768

/* Compressed size of raw[0..len), as a ratio; 1 for nothing. */
static int ratio_of(struct pq_compressor *comp, const uint8_t *raw, size_t len, struct pq_buf *packed, double *r,
		    struct fp_error *err)
{
	if (len == 0) {
		*r = 1;
		return 0;
	}
	if (pq_compress(comp, raw, len, packed, err) < 0)
		return -1;
	*r = (double)packed->len / (double)len;
	return 0;
}

static int ratio(struct pq_compressor *comp, struct pq_buf *raw, struct pq_buf *packed, double *r,
		 struct fp_error *err)
{
	if (raw->failed)
		return fp_error_set(err, "out of memory sampling a column");
	return ratio_of(comp, raw->p, raw->len, packed, r, err);
}

int pq_dict_pays_compressed(const struct pq_values *v, const struct pq_dict *d, int index_bits,
			    struct pq_compressor *comp, struct pq_buf *raw, struct pq_buf *packed, bool *pays,
			    struct fp_error *err)
{
	size_t s = v->n < SAMPLE_VALUES ? v->n : SAMPLE_VALUES, entries = 0, idx_raw;
	double r_plain, r_dict, r_idx, plain, dict;

	/* Values already in PLAIN layout are compressed where they lie. */
	if (pq_plain_in_place(v)) {
		if (ratio_of(comp, v->fixed, s * v->width, packed, &r_plain, err) < 0)
			return -1;
	} else {
		pq_buf_clear(raw);
		pq_encode_plain(raw, v, 0, s);
		if (ratio(comp, raw, packed, &r_plain, err) < 0)
			return -1;
	}

	while (entries < d->nentries && d->first[entries] < s)
		entries++;
	pq_buf_clear(raw);
	pq_encode_plain_picked(raw, v, d->first, entries);
	if (ratio(comp, raw, packed, &r_dict, err) < 0)
		return -1;

	pq_buf_clear(raw);
	pq_rle_encode_u32(raw, d->indices, s, index_bits);
	idx_raw = raw->len;
	if (ratio(comp, raw, packed, &r_idx, err) < 0)
		return -1;

	plain = r_plain * (double)pq_plain_size(v, 0, v->n);
	dict = r_dict * (double)d->page_bytes + r_idx * (double)idx_raw * (double)v->n / (double)s;
	*pays = dict < plain;
	return 0;
}
