/*
 * column-writer.c - gathering one column's rows and writing its column
 * chunk (see column-writer.h).
 *
 * Flushing a chunk:
 *   1. try a dictionary (not for BOOLEAN): kept if its PLAIN page stays
 *      under cfg->dict_max_bytes and the dictionary page plus bit-packed
 *      indices are smaller than the PLAIN values, else fall back to PLAIN;
 *   2. statistics (over the dictionary entries when there is one);
 *   3. the dictionary page, then data pages of about cfg->page_bytes of
 *      encoded values (or cfg->page_rows rows), each: definition levels
 *      (OPTIONAL only, RLE with a 4-byte length), then the values; each
 *      page compressed once and written with its header.
 * Offsets are counted by the writer (out->pos), not asked of the FILE, so
 * any stream works.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "format/parquet/codec-compress.h"
#include "format/parquet/column-dict.h"
#include "format/parquet/column-stats.h"
#include "format/parquet/column-writer.h"
#include "format/parquet/encode-rle.h"
#include "format/parquet/meta-encode.h"

struct pq_column_writer {
	const struct pq_column_desc *desc;
	const struct pq_write_config *cfg;
	size_t width;		/* bytes per stored value; 0 = byte array */

	size_t nrows;		/* rows gathered for this row group */
	size_t nvals;		/* non-null values among them */
	uint8_t *def;		/* OPTIONAL: one level per row, 1 = value present */
	size_t cap_rows;
	uint8_t *vals;		/* fixed width: nvals * width bytes */
	size_t *offs;		/* byte arrays: nvals + 1 offsets into data */
	size_t cap_vals;
	struct pq_buf data;

	struct pq_dict dict;
	struct pq_buf page;	/* the page being built, uncompressed */
	struct pq_buf min, max;	/* statistics bounds of the last chunk */
};

enum pq_type pq_physical_type(enum fp_type t)
{
	switch (t) {
	case FP_TYPE_BOOL:
		return PQ_BOOLEAN;
	case FP_TYPE_INT32:
		return PQ_INT32;
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP:
		return PQ_INT64;
	case FP_TYPE_DOUBLE:
		return PQ_DOUBLE;
	case FP_TYPE_STRING:
	case FP_TYPE_BINARY:
	default:
		return PQ_BYTE_ARRAY;
	}
}

static size_t value_width(enum fp_type t)
{
	switch (t) {
	case FP_TYPE_BOOL:
		return 1;
	case FP_TYPE_INT32:
		return 4;
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP:
	case FP_TYPE_DOUBLE:
		return 8;
	default:
		return 0;
	}
}

int pq_column_desc_init(struct pq_column_desc *desc, const struct fp_field *f, struct fp_error *err)
{
	memset(desc, 0, sizeof(*desc));
	desc->name = strdup(f->name ? f->name : "");
	if (desc->name == NULL)
		return fp_error_set(err, "out of memory copying column name");
	desc->ftype = f->type;
	desc->ptype = pq_physical_type(f->type);
	desc->time_unit = f->time_unit;
	desc->time_utc = f->time_utc;
	desc->optional = f->nullable;
	return 0;
}

void pq_column_desc_free(struct pq_column_desc *desc)
{
	free(desc->name);
	desc->name = NULL;
}

struct pq_column_writer *pq_column_writer_new(const struct pq_column_desc *desc, const struct pq_write_config *cfg,
					      struct fp_error *err)
{
	struct pq_column_writer *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		fp_error_set(err, "out of memory for Parquet column \"%s\"", desc->name);
		return NULL;
	}
	c->desc = desc;
	c->cfg = cfg;
	c->width = value_width(desc->ftype);
	/* Byte arrays: keep `data` allocated even if every value is empty,
	 * so its pointer is never NULL. */
	if (c->width == 0 && !pq_buf_reserve(&c->data, 4096)) {
		free(c);
		fp_error_set(err, "out of memory for Parquet column \"%s\"", desc->name);
		return NULL;
	}
	return c;
}

void pq_column_writer_free(struct pq_column_writer *c)
{
	if (c == NULL)
		return;
	free(c->def);
	free(c->vals);
	free(c->offs);
	pq_buf_free(&c->data);
	pq_dict_free(&c->dict);
	pq_buf_free(&c->page);
	pq_buf_free(&c->min);
	pq_buf_free(&c->max);
	free(c);
}

size_t pq_column_writer_rows(const struct pq_column_writer *c)
{
	return c->nrows;
}

/* ------------------------------------------------------------ gathering */

static size_t grown(size_t cap, size_t need)
{
	size_t n = cap ? cap : 1024;

	while (n < need)
		n *= 2;
	return n;
}

static int reserve(struct pq_column_writer *c, size_t rows)
{
	if (c->desc->optional && rows > c->cap_rows) {
		size_t n = grown(c->cap_rows, rows);
		uint8_t *p = realloc(c->def, n);

		if (p == NULL)
			return -1;
		c->def = p;
		c->cap_rows = n;
	}
	/* Values never outnumber rows. */
	if (rows > c->cap_vals) {
		size_t n = grown(c->cap_vals, rows);

		if (c->width) {
			uint8_t *p = realloc(c->vals, n * c->width);

			if (p == NULL)
				return -1;
			c->vals = p;
		} else {
			size_t *p = realloc(c->offs, (n + 1) * sizeof(*p));

			if (p == NULL)
				return -1;
			p[0] = 0;
			c->offs = p;
		}
		c->cap_vals = n;
	}
	return 0;
}

static const void *column_values(const struct fp_column *col)
{
	switch (col->type) {
	case FP_TYPE_BOOL:
		return col->v.b;
	case FP_TYPE_INT32:
		return col->v.i32;
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP:
		return col->v.i64;
	case FP_TYPE_DOUBLE:
		return col->v.f64;
	default:
		return NULL;
	}
}

/* Appends the values of rows [row, row + n), all valid. */
static int append_values(struct pq_column_writer *c, const struct fp_column *col, size_t row, size_t n)
{
	if (c->width) {
		const uint8_t *src = column_values(col);

		memcpy(c->vals + c->nvals * c->width, src + row * c->width, n * c->width);
	} else {
		size_t start = col->offsets[row], base = c->data.len;
		size_t *offs = c->offs + c->nvals + 1;

		pq_buf_put(&c->data, col->data + start, col->offsets[row + n] - start);
		if (c->data.failed)
			return -1;
		for (size_t i = 0; i < n; i++)
			offs[i] = base + (col->offsets[row + i + 1] - start);
	}
	c->nvals += n;
	return 0;
}

int pq_column_writer_append(struct pq_column_writer *c, const struct fp_column *col, size_t first, size_t n,
			    struct fp_error *err)
{
	const bool optional = c->desc->optional;
	size_t i = 0;

	if (reserve(c, c->nrows + n) < 0)
		return fp_error_set(err, "out of memory gathering column \"%s\"", c->desc->name);
	/* Runs of valid rows are copied in bulk; nulls only set a level. */
	while (i < n) {
		size_t j = i;

		while (j < n && fp_column_is_valid(col, first + j))
			j++;
		if (j > i) {
			if (append_values(c, col, first + i, j - i) < 0)
				return fp_error_set(err, "out of memory gathering column \"%s\"", c->desc->name);
			if (optional)
				memset(c->def + c->nrows + i, 1, j - i);
		}
		if (j < n) {
			if (!optional)
				return fp_error_set(err, "column \"%s\" is not nullable but row %zu of the batch is null",
						    c->desc->name, first + j);
			c->def[c->nrows + j] = 0;
			j++;
		}
		i = j;
	}
	c->nrows += n;
	return 0;
}

/* ------------------------------------------------------------ encoding */

static size_t plain_size(const struct pq_column_writer *c)
{
	if (c->desc->ptype == PQ_BOOLEAN)
		return (c->nvals + 7) / 8;
	if (c->width)
		return c->nvals * c->width;
	return c->data.len + 4 * c->nvals;
}

static int index_width(const struct pq_dict *d)
{
	int w = pq_bit_width(d->nentries ? d->nentries - 1 : 0);

	/* Width 0 is legal but not every reader takes it; 1 costs nothing. */
	return w ? w : 1;
}

/* 1: use the dictionary just built; 0: write PLAIN; -1: out of memory. */
static int try_dictionary(struct pq_column_writer *c)
{
	size_t max = c->cfg->dict_max_bytes;
	int rc;

	if (c->width == 4)
		rc = pq_dict_build_u32(&c->dict, (const uint32_t *)(const void *)c->vals, c->nvals, max);
	else if (c->width == 8)
		rc = pq_dict_build_u64(&c->dict, (const uint64_t *)(const void *)c->vals, c->nvals, max);
	else
		rc = pq_dict_build_bytes(&c->dict, c->data.p, c->offs, c->nvals, max);
	if (rc <= 0)
		return rc;
	/* Worth it only if dictionary page + packed indices beat PLAIN. */
	return c->dict.page_bytes + (c->nvals * (size_t)index_width(&c->dict) + 7) / 8 < plain_size(c);
}

/* Appends n fixed-width values as little-endian PLAIN. */
static void put_fixed(struct pq_buf *b, const uint8_t *src, size_t n, size_t width)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	pq_buf_put(b, src, n * width);
#else
	if (!pq_buf_reserve(b, n * width))
		return;
	for (size_t i = 0; i < n; i++, src += width) {
		if (width == 4) {
			uint32_t x;

			memcpy(&x, src, 4);
			pq_store_le32(b->p + b->len, x);
		} else {
			uint64_t x;

			memcpy(&x, src, 8);
			pq_store_le64(b->p + b->len, x);
		}
		b->len += width;
	}
#endif
}

/* PLAIN BOOLEAN: one bit per value, least significant bit first. */
static void put_bools(struct pq_buf *b, const uint8_t *v, size_t n)
{
	size_t nbytes = (n + 7) / 8;
	uint8_t *p;

	if (!pq_buf_reserve(b, nbytes))
		return;
	p = b->p + b->len;
	memset(p, 0, nbytes);
	for (size_t i = 0; i < n; i++)
		p[i >> 3] |= (uint8_t)((v[i] != 0) << (i & 7));
	b->len += nbytes;
}

/* PLAIN BYTE_ARRAY: a 4-byte little-endian length, then the bytes. */
static void put_byte_array(struct pq_buf *b, const struct pq_column_writer *c, size_t i)
{
	size_t len = c->offs[i + 1] - c->offs[i];

	pq_store_le32(b->p + b->len, (uint32_t)len);
	memcpy(b->p + b->len + 4, c->data.p + c->offs[i], len);
	b->len += 4 + len;
}

static void plain_values(struct pq_buf *b, const struct pq_column_writer *c, size_t v, size_t n)
{
	if (c->desc->ptype == PQ_BOOLEAN) {
		put_bools(b, c->vals + v, n);
	} else if (c->width) {
		put_fixed(b, c->vals + v * c->width, n, c->width);
	} else if (pq_buf_reserve(b, c->offs[v + n] - c->offs[v] + 4 * n)) {
		for (size_t i = v; i < v + n; i++)
			put_byte_array(b, c, i);
	}
}

/* The dictionary page body: each entry's first value, PLAIN. */
static void plain_dictionary(struct pq_buf *b, const struct pq_column_writer *c)
{
	const struct pq_dict *d = &c->dict;

	if (!pq_buf_reserve(b, d->page_bytes))
		return;
	for (size_t k = 0; k < d->nentries; k++) {
		if (c->width)
			put_fixed(b, c->vals + (size_t)d->first[k] * c->width, 1, c->width);
		else
			put_byte_array(b, c, d->first[k]);
	}
}

/* ------------------------------------------------------------ pages */

/* Compresses `body` and writes it after its header. */
static int write_page(struct pq_output *out, const struct pq_buf *body, enum pq_page_type type, size_t num_values,
		      enum pq_encoding encoding, struct pq_chunk_info *info, const char *column, struct fp_error *err)
{
	const uint8_t *payload = body->p;
	size_t len = body->len;

	if (body->failed)
		return fp_error_set(err, "%s: out of memory encoding a page of column \"%s\"", out->name, column);
	if (body->len > INT32_MAX)
		return fp_error_set(err, "%s: a page of column \"%s\" would hold %zu bytes, more than Parquet allows",
				    out->name, column, body->len);
	if (!pq_compressor_passthrough(out->comp)) {
		if (pq_compress(out->comp, body->p, body->len, &out->compressed, err) < 0)
			return fp_error_prefix(err, "%s: column \"%s\"", out->name, column);
		payload = out->compressed.p;
		len = out->compressed.len;
		if (len > INT32_MAX)
			return fp_error_set(err, "%s: a compressed page of column \"%s\" is too large", out->name,
					    column);
	}
	pq_buf_clear(&out->header);
	pq_encode_page_header(&out->header, type, body->len, len, num_values, encoding);
	if (out->header.failed)
		return fp_error_set(err, "%s: out of memory encoding a page header", out->name);
	if (fwrite(out->header.p, 1, out->header.len, out->f) != out->header.len ||
	    (len > 0 && fwrite(payload, 1, len, out->f) != len))
		return fp_error_errno(err, "%s: writing column \"%s\"", out->name, column);
	info->total_uncompressed += (int64_t)(out->header.len + body->len);
	info->total_compressed += (int64_t)(out->header.len + len);
	out->pos += out->header.len + len;
	return 0;
}

/* Bits the value at index v takes in a data page. */
static size_t value_bits(const struct pq_column_writer *c, size_t v, int index_bits)
{
	if (index_bits)
		return (size_t)index_bits;
	if (c->desc->ptype == PQ_BOOLEAN)
		return 1;
	if (c->width)
		return c->width * 8;
	return (4 + c->offs[v + 1] - c->offs[v]) * 8;
}

/*
 * Where the page starting at row r (value v) ends: about cfg->page_bytes
 * of encoded values, at least one value, at most cfg->page_rows rows.
 */
static void page_extent(const struct pq_column_writer *c, size_t r, size_t v, int index_bits, size_t *rows,
			size_t *vals)
{
	size_t budget = c->cfg->page_bytes * 8, bits = 0, max_rows = c->nrows - r, n = 0, nv = 0;

	if (c->cfg->page_rows && c->cfg->page_rows < max_rows)
		max_rows = c->cfg->page_rows;
	if (!c->desc->optional && (index_bits || c->width)) {
		/* One value a row, all the same size: no need to walk. */
		size_t per = budget / value_bits(c, v, index_bits);

		n = per < 1 ? 1 : per;
		*rows = *vals = n < max_rows ? n : max_rows;
		return;
	}
	for (; n < max_rows; n++) {
		size_t cost;

		if (c->desc->optional && !c->def[r + n])
			continue;
		cost = value_bits(c, v + nv, index_bits);
		if (nv > 0 && bits + cost > budget)
			break;
		bits += cost;
		nv++;
	}
	*rows = n;
	*vals = nv;
}

static int write_data_pages(struct pq_column_writer *c, struct pq_output *out, bool dict,
			    struct pq_chunk_info *info, struct fp_error *err)
{
	int index_bits = dict ? index_width(&c->dict) : 0;
	size_t r = 0, v = 0;

	info->data_page_offset = (int64_t)out->pos;
	info->data_encoding = dict ? PQ_ENC_RLE_DICTIONARY : PQ_ENC_PLAIN;
	while (r < c->nrows) {
		size_t rows, nv;

		page_extent(c, r, v, index_bits, &rows, &nv);
		pq_buf_clear(&c->page);
		if (c->desc->optional)
			pq_rle_encode_levels(&c->page, c->def + r, rows);
		if (dict) {
			pq_buf_byte(&c->page, (uint8_t)index_bits);
			pq_rle_encode_u32(&c->page, c->dict.indices + v, nv, index_bits);
		} else {
			plain_values(&c->page, c, v, nv);
		}
		if (write_page(out, &c->page, PQ_PAGE_DATA, rows, info->data_encoding, info, c->desc->name, err) < 0)
			return -1;
		info->data_pages++;
		r += rows;
		v += nv;
	}
	return 0;
}

static int write_dictionary_page(struct pq_column_writer *c, struct pq_output *out, struct pq_chunk_info *info,
				 struct fp_error *err)
{
	info->dictionary_page_offset = (int64_t)out->pos;
	pq_buf_clear(&c->page);
	plain_dictionary(&c->page, c);
	if (write_page(out, &c->page, PQ_PAGE_DICTIONARY, c->dict.nentries, PQ_ENC_PLAIN, info, c->desc->name,
		       err) < 0)
		return -1;
	info->dictionary_pages = 1;
	return 0;
}

int pq_column_writer_flush(struct pq_column_writer *c, struct pq_output *out, struct pq_chunk_info *info,
			   struct fp_error *err)
{
	struct pq_values values = {
		.fixed = c->vals,
		.data = c->data.p,
		.offs = c->offs,
		.n = c->nvals,
	};
	int dict = 0;

	memset(info, 0, sizeof(*info));
	info->num_values = (int64_t)c->nrows;
	info->null_count = (int64_t)(c->nrows - c->nvals);
	info->dictionary_page_offset = -1;
	if (c->cfg->dictionary && c->desc->ptype != PQ_BOOLEAN && c->nvals > 0) {
		dict = try_dictionary(c);
		if (dict < 0)
			return fp_error_set(err, "%s: out of memory building the dictionary of column \"%s\"",
					    out->name, c->desc->name);
	}
	pq_chunk_stats(c->desc, &values, dict ? c->dict.first : NULL, dict ? c->dict.nentries : 0, &c->min, &c->max,
		       info);
	if (dict && write_dictionary_page(c, out, info, err) < 0)
		return -1;
	if (write_data_pages(c, out, dict, info, err) < 0)
		return -1;
	c->nrows = 0;
	c->nvals = 0;
	pq_buf_clear(&c->data);
	return 0;
}
