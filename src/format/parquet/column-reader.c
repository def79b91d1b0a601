/*
 * column-reader.c - pages of one column chunk: header, CRC, dictionary,
 * decompression, definition levels and values (see column-reader.h).
 *
 * Every size read from the file is checked before use: a chunk must lie
 * between the leading magic and the footer, a page inside its chunk, a
 * page size below PQC_MAX_PAGE_SIZE and plausible for its codec, a page's
 * value count within the rows its row group has left, levels and values
 * inside their page. Data page v1 holds levels and values compressed
 * together; v2 keeps the levels uncompressed in front and may leave the
 * values uncompressed too (is_compressed).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "format/parquet/codec-decompress.h"
#include "format/parquet/column-reader.h"
#include "format/parquet/parquet-format.h"
#include "format/parquet/parquet.h"
#include "lib/grow.h"

/* Most page headers are a few dozen bytes; statistics can make them longer. */
#define HEADER_FIRST_READ ((size_t)1 << 10)

void pqc_type_of(const struct pqm_leaf *leaf, struct pqd_type *t)
{
	const struct pqm_element *e = leaf->el;

	memset(t, 0, sizeof(*t));
	t->physical = e->type;
	t->type_length = e->type_length;
	t->zero_extend = e->type == PQ_INT32 &&
			 (e->converted == PQ_CT_UINT_8 || e->converted == PQ_CT_UINT_16 ||
			  e->converted == PQ_CT_UINT_32 || (e->logical.id == PQ_LT_INTEGER && !e->logical.is_signed));
	switch (e->type) {
	case PQ_FLOAT:
	case PQ_DOUBLE:
		t->kind = PQD_FLOAT;
		break;
	case PQ_BYTE_ARRAY:
	case PQ_FIXED_LEN_BYTE_ARRAY:
		t->kind = PQD_BYTES;
		break;
	default:
		t->kind = PQD_INT;
		break;
	}
}

void pqc_init(struct pqc_column *c, const struct pqc_file *file, const struct pqm_leaf *leaf)
{
	memset(c, 0, sizeof(*c));
	c->file = file;
	c->leaf = leaf;
	pqc_type_of(leaf, &c->type);
}

void pqc_free(struct pqc_column *c)
{
	pqd_dict_free(&c->dict);
	pqd_decoder_free(&c->dec);
	pqd_values_free(&c->vals);
	free(c->hdr);
	free(c->raw);
	free(c->page);
	free(c->lv);
	free(c->valid);
	memset(c, 0, sizeof(*c));
}

static int chunk_error(const struct pqc_column *c, struct fp_error *err)
{
	return fp_error_prefix(err, "%s: row group %zu, column '%s'", c->file->path, c->rg, c->leaf->name);
}

static int page_error(const struct pqc_column *c, struct fp_error *err)
{
	return fp_error_prefix(err, "%s: row group %zu, column '%s', page %d", c->file->path, c->rg, c->leaf->name,
			       c->page_no);
}

static int ensure(void *bufp, size_t *cap, size_t need, size_t size, struct fp_error *err)
{
	if (fp_grow(bufp, cap, need, size, 256) < 0)
		return fp_error_set(err, "out of memory for %zu values of %zu bytes", need, size);
	return 0;
}

static int read_at(const struct pqc_file *f, void *buf, size_t len, int64_t off, struct fp_error *err)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(f->fd, (char *)buf + got, len - got, (off_t)(off + (int64_t)got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fp_error_errno(err, "cannot read at byte %lld", (long long)(off + (int64_t)got));
		if (n == 0)
			return fp_error_set(err, "file ends at byte %lld (truncated while reading?)",
					    (long long)(off + (int64_t)got));
		got += (size_t)n;
	}
	return 0;
}

int pqc_start_chunk(struct pqc_column *c, size_t rg, const struct pqm_chunk *chunk, int64_t rows,
		    struct fp_error *err)
{
	const struct pqm_column_meta *m = &chunk->meta;
	int64_t start;

	c->rg = rg;
	c->page_rows_left = 0;
	c->have_dict = false;
	c->seen_data_page = false;
	c->page_no = -1;
	pqd_dict_free(&c->dict);
	if (!chunk->has_meta)
		fp_error_set(err, "column chunk has no ColumnMetaData");
	else if (chunk->external)
		fp_error_set(err, "column chunk is stored in another file (file_path), which flowprep does not read");
	else if (chunk->encrypted)
		fp_error_set(err, "column chunk is encrypted, which flowprep does not read");
	else if (m->type != c->leaf->el->type)
		fp_error_set(err, "column chunk has type %s but the schema says %s", pqm_type_name(m->type),
			     pqm_type_name(c->leaf->el->type));
	else if (strcmp(m->path, c->leaf->name) != 0)
		fp_error_set(err, "column chunk is for path '%s', not for this column", m->path);
	else if (!pqz_supported(m->codec))
		fp_error_set(err, "codec %s (%d) is not supported by flowprep", pqm_codec_name(m->codec), m->codec);
	else if (m->num_values != rows)
		fp_error_set(err, "column chunk holds %lld values but its row group has %lld rows",
			     (long long)m->num_values, (long long)rows);
	else
		goto metadata_ok;
	return chunk_error(c, err);
metadata_ok:
	start = m->data_page_offset;
	/* dictionary_page_offset 0 is written by some writers for "none". */
	if (m->dictionary_page_offset > 0 && m->dictionary_page_offset < start)
		start = m->dictionary_page_offset;
	if (start < 4 || m->total_compressed_size > c->file->data_end - start) {
		fp_error_set(err, "column chunk of %lld bytes at byte %lld lies outside the data of the file "
			     "(bytes 4 to %lld)", (long long)m->total_compressed_size, (long long)start,
			     (long long)c->file->data_end);
		return chunk_error(c, err);
	}
	c->codec = m->codec;
	c->chunk_values = m->num_values;
	c->pos = start;
	c->end = start + m->total_compressed_size;
	c->rows_unpaged = rows;
	return 0;
}

/* Reads and parses the header at c->pos; leaves c->pos after the page. */
static int read_header(struct pqc_column *c, struct pqm_page_header *h, int64_t *body, struct fp_error *err)
{
	size_t avail = (size_t)(c->end - c->pos), want = avail < HEADER_FIRST_READ ? avail : HEADER_FIRST_READ;
	size_t used;
	bool truncated;

	for (;;) {
		if (ensure(&c->hdr, &c->hdr_cap, want ? want : 1, 1, err) < 0 ||
		    read_at(c->file, c->hdr, want, c->pos, err) < 0)
			return -1;
		if (pqm_page_header_parse(c->hdr, want, h, &used, &truncated, err) == 0)
			break;
		if (!truncated || want == avail || want >= PQC_MAX_HEADER_SIZE)
			return fp_error_prefix(err, "page header at byte %lld", (long long)c->pos);
		want = want * 8 < PQC_MAX_HEADER_SIZE ? want * 8 : PQC_MAX_HEADER_SIZE;
		if (want > avail)
			want = avail;
	}
	if (h->compressed_size > PQC_MAX_PAGE_SIZE || h->uncompressed_size > PQC_MAX_PAGE_SIZE)
		return fp_error_set(err, "page sizes %d/%d exceed the limit of %d bytes", h->compressed_size,
				    h->uncompressed_size, PQC_MAX_PAGE_SIZE);
	*body = c->pos + (int64_t)used;
	if (h->compressed_size > c->end - *body)
		return fp_error_set(err, "page of %d bytes at byte %lld runs past the end of its column chunk "
				    "(byte %lld)", h->compressed_size, (long long)*body, (long long)c->end);
	c->pos = *body + h->compressed_size;
	return 0;
}

/* The bytes of a page section: as stored, or decompressed into c->page. */
static int section(struct pqc_column *c, const uint8_t *src, size_t srclen, size_t dstlen, bool compressed,
		   const uint8_t **out, struct fp_error *err)
{
	if (!compressed || c->codec == FP_CODEC_UNCOMPRESSED || (srclen == 0 && dstlen == 0)) {
		if (srclen != dstlen)
			return fp_error_set(err, "page holds %zu bytes but announces %zu uncompressed", srclen, dstlen);
		*out = src;
		return 0;
	}
	if (pqz_plausible(c->codec, src, srclen, dstlen, err) < 0 ||
	    ensure(&c->page, &c->page_cap, dstlen ? dstlen : 1, 1, err) < 0 ||
	    pqz_decompress(c->file->z, c->codec, src, srclen, c->page, dstlen, err) < 0)
		return -1;
	*out = c->page;
	return 0;
}

static int load_dictionary(struct pqc_column *c, const struct pqm_page_header *h, struct fp_error *err)
{
	const uint8_t *data;

	if (c->seen_data_page || c->have_dict)
		return fp_error_set(err, "unexpected dictionary page (%s)",
				    c->have_dict ? "a second one" : "after data pages");
	if (h->encoding != PQ_ENC_PLAIN && h->encoding != PQ_ENC_PLAIN_DICTIONARY)
		return fp_error_set(err, "dictionary page in encoding %s is not supported",
				    pqm_encoding_name(h->encoding));
	if (h->num_values > c->chunk_values)
		return fp_error_set(err, "dictionary of %d entries for a column chunk of %lld values", h->num_values,
				    (long long)c->chunk_values);
	if (section(c, c->raw, (size_t)h->compressed_size, (size_t)h->uncompressed_size, true, &data, err) < 0)
		return -1;
	if (pqd_dict_build(&c->dict, &c->type, data, (size_t)h->uncompressed_size, (size_t)h->num_values, err) < 0)
		return -1;
	c->have_dict = true;
	return 0;
}

static int claim_rows(struct pqc_column *c, int32_t n, struct fp_error *err)
{
	if (n > c->rows_unpaged)
		return fp_error_set(err, "page has %d values but only %lld rows of the row group remain", n,
				    (long long)c->rows_unpaged);
	c->rows_unpaged -= n;
	c->page_rows_left = n;
	c->seen_data_page = true;
	return 0;
}

static int start_values(struct pqc_column *c, int encoding, const uint8_t *p, size_t len, struct fp_error *err)
{
	if (pqd_decoder_init(&c->dec, &c->type, encoding, p, len, c->have_dict ? &c->dict : NULL, err) < 0)
		return fp_error_prefix(err, "values");
	return 0;
}

static int setup_v1(struct pqc_column *c, const struct pqm_page_header *h, struct fp_error *err)
{
	const uint8_t *q, *end;
	int width = pqd_bit_width((uint64_t)c->leaf->max_def);

	c->page_v2 = false;
	c->has_levels = false;
	if (claim_rows(c, h->num_values, err) < 0)
		return -1;
	if (h->num_values == 0)
		return 0;
	if (section(c, c->raw, (size_t)h->compressed_size, (size_t)h->uncompressed_size, true, &q, err) < 0)
		return -1;
	end = q + h->uncompressed_size;
	if (c->leaf->max_def > 0) {
		size_t len;

		if (h->def_encoding == PQ_ENC_RLE) {
			if (end - q < 4 || pqd_le32(q) > (size_t)(end - q - 4))
				return fp_error_set(err, "definition levels run past the end of the page");
			len = pqd_le32(q);
			pqd_rle_init(&c->levels, q + 4, len, width);
			q += 4 + len;
		} else if (h->def_encoding == PQ_ENC_BIT_PACKED) {
			len = ((size_t)h->num_values * (size_t)width + 7) / 8;
			if (len > (size_t)(end - q))
				return fp_error_set(err, "BIT_PACKED definition levels run past the end of the page");
			pqd_bitpacked_init(&c->levels, q, len, width);
			q += len;
		} else {
			return fp_error_set(err, "definition levels in encoding %s are not supported",
					    pqm_encoding_name(h->def_encoding));
		}
		c->has_levels = true;
	}
	return start_values(c, h->encoding, q, (size_t)(end - q), err);
}

static int setup_v2(struct pqc_column *c, const struct pqm_page_header *h, struct fp_error *err)
{
	int64_t lev = (int64_t)h->rep_length + h->def_length;
	const uint8_t *values;

	c->page_v2 = true;
	c->has_levels = false;
	c->page_nulls = h->num_nulls;
	c->page_nulls_seen = 0;
	if (h->num_rows != h->num_values)
		return fp_error_set(err, "DATA_PAGE_V2 has %d values for %d rows in a flat column", h->num_values,
				    h->num_rows);
	if (h->num_nulls > h->num_values || (c->leaf->max_def == 0 && h->num_nulls > 0))
		return fp_error_set(err, "DATA_PAGE_V2 announces %d nulls among %d values%s", h->num_nulls,
				    h->num_values, c->leaf->max_def == 0 ? " of a required column" : "");
	if (lev > h->compressed_size || lev > h->uncompressed_size)
		return fp_error_set(err, "DATA_PAGE_V2 levels of %lld bytes do not fit in the page", (long long)lev);
	if (claim_rows(c, h->num_values, err) < 0)
		return -1;
	if (h->num_values == 0)
		return 0;
	/* A page without nulls may omit the definition levels. */
	if (c->leaf->max_def > 0 && (h->def_length > 0 || h->num_nulls > 0)) {
		pqd_rle_init(&c->levels, c->raw + h->rep_length, (size_t)h->def_length,
			     pqd_bit_width((uint64_t)c->leaf->max_def));
		c->has_levels = true;
	}
	if (section(c, c->raw + lev, (size_t)(h->compressed_size - lev), (size_t)(h->uncompressed_size - lev),
		    h->is_compressed, &values, err) < 0)
		return -1;
	return start_values(c, h->encoding, values, (size_t)(h->uncompressed_size - lev), err);
}

/* Reads pages until a data page with rows is ready to decode. */
static int load_page(struct pqc_column *c, struct fp_error *err)
{
	for (;;) {
		struct pqm_page_header h;
		int64_t body = 0;	/* set by read_header; initialised for -Wmaybe-uninitialized */

		c->page_no++;
		if (c->pos >= c->end)
			return fp_error_set(err, "the column chunk has no more pages but %lld of its rows are missing",
					    (long long)(c->rows_unpaged + c->page_rows_left));
		if (read_header(c, &h, &body, err) < 0)
			return -1;
		if (h.type == PQ_PAGE_INDEX)
			continue;
		if (ensure(&c->raw, &c->raw_cap, h.compressed_size ? (size_t)h.compressed_size : 1, 1, err) < 0 ||
		    read_at(c->file, c->raw, (size_t)h.compressed_size, body, err) < 0)
			return -1;
		if (h.has_crc) {
			uint32_t crc = (uint32_t)crc32(0L, c->raw, (uInt)h.compressed_size);

			if (crc != h.crc)
				return fp_error_set(err, "page CRC mismatch (stored 0x%08x, computed 0x%08x)", h.crc,
						    crc);
		}
		switch (h.type) {
		case PQ_PAGE_DICTIONARY:
			if (load_dictionary(c, &h, err) < 0)
				return -1;
			continue;
		case PQ_PAGE_DATA:
			if (setup_v1(c, &h, err) < 0)
				return -1;
			break;
		case PQ_PAGE_DATA_V2:
			if (setup_v2(c, &h, err) < 0)
				return -1;
			break;
		default:
			return fp_error_set(err, "unknown page type %d", h.type);
		}
		if (c->page_rows_left > 0)
			return 0;
	}
}

/* Definition levels of the next k rows into c->valid[at...]; returns the
 * number of non-null rows or -1. */
static long read_levels(struct pqc_column *c, size_t at, size_t k, struct fp_error *err)
{
	uint32_t max = (uint32_t)c->leaf->max_def;
	long present = 0;

	if (!c->has_levels) {
		memset(c->valid + at, 1, k);
		return (long)k;
	}
	if (pqd_rle_read(&c->levels, c->lv, k, err) < 0) {
		fp_error_prefix(err, "definition levels");
		return -1;
	}
	for (size_t i = 0; i < k; i++) {
		if (c->lv[i] > max)
			return fp_error_set(err, "definition level %u exceeds the maximum %u", c->lv[i], max);
		c->valid[at + i] = c->lv[i] == max;
		present += c->valid[at + i];
	}
	return present;
}

int pqc_read(struct pqc_column *c, size_t n, struct fp_error *err)
{
	size_t done = 0;

	c->vals.count = 0;
	c->vals.data_len = 0;
	if (ensure(&c->valid, &c->valid_cap, n ? n : 1, 1, err) < 0 ||
	    ensure(&c->lv, &c->lv_cap, n ? n : 1, sizeof(*c->lv), err) < 0)
		return page_error(c, err);
	while (done < n) {
		size_t k;
		long present;

		if (c->page_rows_left == 0 && load_page(c, err) < 0)
			return page_error(c, err);
		k = (size_t)c->page_rows_left < n - done ? (size_t)c->page_rows_left : n - done;
		present = read_levels(c, done, k, err);
		if (present < 0 || pqd_decode(&c->dec, &c->vals, (size_t)present, err) < 0)
			return page_error(c, err);
		c->page_rows_left -= (int64_t)k;
		done += k;
		if (c->page_v2) {
			c->page_nulls_seen += (int64_t)k - present;
			if (c->page_rows_left == 0 && c->page_nulls_seen != c->page_nulls) {
				fp_error_set(err, "DATA_PAGE_V2 announces %lld nulls but its levels hold %lld",
					     (long long)c->page_nulls, (long long)c->page_nulls_seen);
				return page_error(c, err);
			}
		}
	}
	return 0;
}
