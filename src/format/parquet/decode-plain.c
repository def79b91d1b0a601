/*
 * decode-plain.c - the PLAIN encoding for every physical type, and
 * dictionary pages (which are PLAIN-encoded entries).
 *
 * PLAIN values are back to back, little endian: BOOLEAN bit-packed LSB
 * first, INT32/FLOAT 4 bytes, INT64/DOUBLE 8, INT96 12 (nanoseconds of the
 * day, then the Julian day), BYTE_ARRAY a 4-byte length then the bytes,
 * FIXED_LEN_BYTE_ARRAY exactly type_length bytes.
 */
#include "config.h"

#include <stdlib.h>

#include "format/parquet/decode-values.h"
#include "format/parquet/parquet-format.h"
#include "format/parquet/parquet-meta.h"

/* Julian day number of 1970-01-01. */
#define JULIAN_UNIX_EPOCH 2440588
#define NANOS_PER_DAY UINT64_C(86400000000000)

static int64_t int96_to_nanos(const uint8_t *p)
{
	uint64_t nanos = pqd_le64(p);
	int64_t days = (int32_t)pqd_le32(p + 8);

	/* Unsigned arithmetic: out-of-range values wrap instead of being UB. */
	return pqd_as_signed((uint64_t)(days - JULIAN_UNIX_EPOCH) * NANOS_PER_DAY + nanos);
}

size_t pqd_fixed_size(const struct pqd_type *t)
{
	switch (t->physical) {
	case PQ_INT32:
	case PQ_FLOAT:
		return 4;
	case PQ_INT64:
	case PQ_DOUBLE:
		return 8;
	case PQ_INT96:
		return 12;
	case PQ_FIXED_LEN_BYTE_ARRAY:
		return (size_t)t->type_length;
	default:
		return 0;
	}
}

static int short_data(const struct pqd_type *t, size_t n, size_t left, struct fp_error *err)
{
	return fp_error_set(err, "PLAIN %s data too short: %zu more values, %zu bytes left",
			    pqm_type_name(t->physical), n, left);
}

static int plain_booleans(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err)
{
	uint64_t bits = (uint64_t)(d->end - d->p) * 8;

	if (d->bitpos + n > bits)
		return fp_error_set(err, "PLAIN BOOLEAN data too short: %zu more values, %llu bits left", n,
				    (unsigned long long)(bits - d->bitpos));
	for (size_t i = 0; i < n; i++, d->bitpos++)
		out->i[out->count++] = (d->p[d->bitpos >> 3] >> (d->bitpos & 7)) & 1;
	return 0;
}

static int plain_byte_arrays(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t len;

		if (d->end - d->p < 4)
			return short_data(d->type, n - i, (size_t)(d->end - d->p), err);
		len = pqd_le32(d->p);
		d->p += 4;
		if (len > (size_t)(d->end - d->p))
			return fp_error_set(err, "PLAIN BYTE_ARRAY value of %u bytes but only %zu bytes left", len,
					    (size_t)(d->end - d->p));
		if (pqd_values_add_bytes(out, d->p, len, err) < 0)
			return -1;
		d->p += len;
	}
	return 0;
}

void pqd_fixed_value(const struct pqd_type *t, const uint8_t *p, struct pqd_values *out)
{
	switch (t->physical) {
	case PQ_INT32:
		out->i[out->count++] = t->zero_extend ? (int64_t)pqd_le32(p) : (int64_t)(int32_t)pqd_le32(p);
		break;
	case PQ_INT64:
		out->i[out->count++] = pqd_as_signed(pqd_le64(p));
		break;
	case PQ_INT96:
		out->i[out->count++] = int96_to_nanos(p);
		break;
	case PQ_FLOAT: {
		uint32_t u = pqd_le32(p);
		float f;

		memcpy(&f, &u, sizeof(f));
		out->f[out->count++] = f;
		break;
	}
	case PQ_DOUBLE: {
		uint64_t u = pqd_le64(p);
		double f;

		memcpy(&f, &u, sizeof(f));
		out->f[out->count++] = f;
		break;
	}
	default:
		break;
	}
}

int pqd_plain_read(struct pqd_decoder *d, struct pqd_values *out, size_t n, struct fp_error *err)
{
	const struct pqd_type *t = d->type;
	size_t size = pqd_fixed_size(t), left = (size_t)(d->end - d->p);

	if (t->physical == PQ_BOOLEAN)
		return plain_booleans(d, out, n, err);
	if (t->physical == PQ_BYTE_ARRAY)
		return plain_byte_arrays(d, out, n, err);
	if (size == 0 || n > left / size)
		return short_data(t, n, left, err);
	for (size_t i = 0; i < n; i++, d->p += size) {
		if (t->physical == PQ_FIXED_LEN_BYTE_ARRAY) {
			if (pqd_values_add_bytes(out, d->p, size, err) < 0)
				return -1;
		} else {
			pqd_fixed_value(t, d->p, out);
		}
	}
	return 0;
}

/* ------------------------------------------------------------ dictionary */

/* Smallest number of bits one PLAIN entry can take. */
static uint64_t min_entry_bits(const struct pqd_type *t)
{
	if (t->physical == PQ_BOOLEAN)
		return 1;
	if (t->physical == PQ_BYTE_ARRAY)
		return 32;
	return (uint64_t)pqd_fixed_size(t) * 8;
}

int pqd_dict_build(struct pqd_dict *dict, const struct pqd_type *t, const uint8_t *p, size_t len, size_t n,
		   struct fp_error *err)
{
	struct pqd_decoder d = { 0 };
	size_t pos = 0;

	pqd_dict_free(dict);
	if (n > (uint64_t)len * 8 / min_entry_bits(t))
		return fp_error_set(err, "dictionary page claims %zu entries but holds only %zu bytes", n, len);
	d.type = t;
	d.encoding = PQ_ENC_PLAIN;
	d.p = p;
	d.end = p + len;
	if (pqd_decode(&d, &dict->v, n, err) < 0) {
		fp_error_prefix(err, "dictionary page");
		return -1;
	}
	if (t->kind == PQD_BYTES) {
		dict->off = malloc((n ? n : 1) * sizeof(*dict->off));
		if (dict->off == NULL)
			return fp_error_set(err, "out of memory for a dictionary of %zu entries", n);
		for (size_t i = 0; i < n; i++) {
			dict->off[i] = pos;
			pos += dict->v.len[i];
		}
	}
	dict->n = n;
	return 0;
}

void pqd_dict_free(struct pqd_dict *dict)
{
	pqd_values_free(&dict->v);
	free(dict->off);
	dict->off = NULL;
	dict->n = 0;
}
