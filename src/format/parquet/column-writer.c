/*
 * column-writer.c - gathering one column's rows and writing its column
 * chunk (see column-writer.h).
 *
 * Flushing a chunk:
 *   1. try a dictionary (not for BOOLEAN): kept if its PLAIN page stays
 *      under cfg->dict_max_bytes, the dictionary page plus bit-packed
 *      indices are smaller than the PLAIN values and, for a compressed
 *      file, still smaller once compressed (column-choice.c); else PLAIN;
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
#include "format/parquet/column-choice.h"
#include "format/parquet/column-dict.h"
#include "format/parquet/column-stats.h"
#include "format/parquet/column-writer.h"
#include "format/parquet/encode-plain.h"
#include "format/parquet/encode-rle.h"
#include "format/parquet/meta-encode.h"

/* How many chunks a dictionary-or-PLAIN verdict holds for. */
#define RECHECK_CHUNKS 7

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
	unsigned plain_chunks_left;	/* chunks still to write PLAIN without asking */
	unsigned dict_chunks_left;	/* chunks still to write with a dictionary without a trial */
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

static struct pq_values chunk_values(const struct pq_column_writer *c)
{
	struct pq_values v = {
		.type = c->desc->ptype,
		.width = c->width,
		.fixed = c->vals,
		.data = c->data.p,
		.offs = c->offs,
		.n = c->nvals,
	};

	return v;
}

static int index_width(const struct pq_dict *d)
{
	int w = pq_bit_width(d->nentries ? d->nentries - 1 : 0);

	/* Width 0 is legal but not every reader takes it; 1 costs nothing. */
	return w ? w : 1;
}

/* 1: the dictionary just built is smaller raw; 0: it is not, or it grew
 * past its limit; -1: out of memory. */
static int build_dictionary(struct pq_column_writer *c, const struct pq_values *v)
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
	return c->dict.page_bytes + (c->nvals * (size_t)index_width(&c->dict) + 7) / 8 <
	       pq_plain_size(v, 0, v->n);
}

/*
 * Dictionary or PLAIN for this chunk: 1, 0, or -1 on error. A verdict
 * holds for the next RECHECK_CHUNKS chunks of the column (its data keep
 * their character from one row group to the next), which spares building
 * a dictionary of unique values, or a trial compression, every time.
 */
static int choose_dictionary(struct pq_column_writer *c, const struct pq_values *v, struct pq_output *out,
			     struct fp_error *err)
{
	bool pays;
	int rc;

	if (!c->cfg->dictionary || c->desc->ptype == PQ_BOOLEAN || c->nvals == 0)
		return 0;
	if (c->plain_chunks_left > 0) {
		c->plain_chunks_left--;
		return 0;
	}
	rc = build_dictionary(c, v);
	if (rc < 0)
		return fp_error_set(err, "out of memory building the dictionary of column \"%s\"", c->desc->name);
	if (rc == 0 || pq_compressor_passthrough(out->comp)) {
		c->plain_chunks_left = rc ? 0 : RECHECK_CHUNKS;
		return rc;
	}
	if (c->dict_chunks_left > 0) {
		c->dict_chunks_left--;
		return 1;
	}
	if (pq_dict_pays_compressed(v, &c->dict, index_width(&c->dict), out->comp, &c->page, &out->compressed,
				    &pays, err) < 0)
		return fp_error_prefix(err, "column \"%s\"", c->desc->name);
	if (pays)
		c->dict_chunks_left = RECHECK_CHUNKS;
	else
		c->plain_chunks_left = RECHECK_CHUNKS;
	return pays;
}

/* ------------------------------------------------------------ pages */

/* Compresses the page body[0..size) and writes it after its header. */
static int write_page(struct pq_output *out, const uint8_t *body, size_t size, enum pq_page_type type,
		      size_t num_values, enum pq_encoding encoding, struct pq_chunk_info *info, const char *column,
		      struct fp_error *err)
{
	const uint8_t *payload = body;
	size_t len = size;

	if (size > INT32_MAX)
		return fp_error_set(err, "a page of column \"%s\" would hold %zu bytes, more than Parquet allows",
				    column, size);
	if (!pq_compressor_passthrough(out->comp)) {
		if (pq_compress(out->comp, body, size, &out->compressed, err) < 0)
			return fp_error_prefix(err, "column \"%s\"", column);
		payload = out->compressed.p;
		len = out->compressed.len;
		if (len > INT32_MAX)
			return fp_error_set(err, "a compressed page of column \"%s\" is too large", column);
	}
	pq_buf_clear(&out->header);
	pq_encode_page_header(&out->header, type, size, len, num_values, encoding);
	if (out->header.failed)
		return fp_error_set(err, "out of memory encoding a page header");
	if (fwrite(out->header.p, 1, out->header.len, out->f) != out->header.len ||
	    (len > 0 && fwrite(payload, 1, len, out->f) != len))
		return fp_error_errno(err, "writing column \"%s\"", column);
	info->total_uncompressed += (int64_t)(out->header.len + size);
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

static int write_data_pages(struct pq_column_writer *c, const struct pq_values *values, struct pq_output *out,
			    bool dict, struct pq_chunk_info *info, struct fp_error *err)
{
	int index_bits = dict ? index_width(&c->dict) : 0;
	size_t r = 0, v = 0;
	/* No levels and values already in PLAIN layout: pages are taken
	 * from the column's buffer without a copy. */
	bool in_place = !dict && !c->desc->optional && pq_plain_in_place(values);

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
		} else if (!in_place) {
			pq_encode_plain(&c->page, values, v, nv);
		}
		if (c->page.failed)
			return fp_error_set(err, "out of memory encoding a page of column \"%s\"", c->desc->name);
		if (write_page(out, in_place ? c->vals + v * c->width : c->page.p,
			       in_place ? nv * c->width : c->page.len, PQ_PAGE_DATA, rows, info->data_encoding, info,
			       c->desc->name, err) < 0)
			return -1;
		info->data_pages++;
		r += rows;
		v += nv;
	}
	return 0;
}

static int write_dictionary_page(struct pq_column_writer *c, const struct pq_values *values, struct pq_output *out,
				 struct pq_chunk_info *info, struct fp_error *err)
{
	info->dictionary_page_offset = (int64_t)out->pos;
	pq_buf_clear(&c->page);
	pq_encode_plain_picked(&c->page, values, c->dict.first, c->dict.nentries);
	if (c->page.failed)
		return fp_error_set(err, "out of memory encoding the dictionary of column \"%s\"", c->desc->name);
	if (write_page(out, c->page.p, c->page.len, PQ_PAGE_DICTIONARY, c->dict.nentries, PQ_ENC_PLAIN, info,
		       c->desc->name, err) < 0)
		return -1;
	info->dictionary_pages = 1;
	return 0;
}

int pq_column_writer_flush(struct pq_column_writer *c, struct pq_output *out, struct pq_chunk_info *info,
			   struct fp_error *err)
{
	struct pq_values values = chunk_values(c);
	int dict;

	memset(info, 0, sizeof(*info));
	info->num_values = (int64_t)c->nrows;
	info->null_count = (int64_t)(c->nrows - c->nvals);
	info->dictionary_page_offset = -1;
	dict = choose_dictionary(c, &values, out, err);
	if (dict < 0)
		return -1;
	pq_chunk_stats(c->desc, &values, dict ? c->dict.first : NULL, dict ? c->dict.nentries : 0, &c->min, &c->max,
		       info);
	if (dict && write_dictionary_page(c, &values, out, info, err) < 0)
		return -1;
	if (write_data_pages(c, &values, out, dict, info, err) < 0)
		return -1;
	c->nrows = 0;
	c->nvals = 0;
	pq_buf_clear(&c->data);
	return 0;
}
