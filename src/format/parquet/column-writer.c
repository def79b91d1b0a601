/*
 * column-writer.c - gathering one column's rows and writing its column
 * chunk (see column-writer.h).
 *
 * Gathering: values are copied once, from the batch into buffers sized
 * for a whole row group (lent by the writer from its arena once a file
 * is seen to be large, see pq_column_writer_lend()), and stay there until
 * their pages are compressed; a REQUIRED fixed-width PLAIN page is
 * compressed straight from them.
 *
 * Flushing a chunk:
 *   1. try a dictionary (not for BOOLEAN), built into the writer's shared
 *      struct pq_dict: kept if its PLAIN page stays under
 *      cfg->dict_max_bytes, the dictionary page plus bit-packed indices
 *      are smaller than the PLAIN values and, for a compressed file,
 *      still smaller once compressed (column-choice.c); else PLAIN. The
 *      build gives up early when the dictionary cannot pay
 *      (column-dict.h), and a verdict holds for a few chunks;
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
/*
 * When a dictionary build gives up on a projection (column-dict.h): the
 * projected dictionary page plus indices against the PLAIN size. Raw
 * sizes are the truth for an uncompressed file, so only a clear loss
 * stops the build there. Compressed, a dictionary that saves less than a
 * few percent raw loses: its bit-packed indices barely compress while
 * PLAIN values do (see column-choice.h).
 */
#define BAIL_RAW 1.05
#define BAIL_COMPRESSED 0.95
/* Rows a column plans room for at most (see upfront_rows()). */
#define UPFRONT_ROWS ((size_t)1 << 20)
/* Byte array data a column makes room for at once, at most (see
 * reserve_data()). */
#define UPFRONT_DATA ((size_t)64 << 20)

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
	bool def_lent, vals_lent;	/* lent by the writer (pq_column_writer_lend): not ours to free */
	struct pq_buf data;

	size_t dict_entries;	/* distinct values of the last dictionary built */
	unsigned plain_chunks_left;	/* chunks still to write PLAIN without asking */
	unsigned dict_chunks_left;	/* chunks still to write with a dictionary without a trial */
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
	if (!c->def_lent)
		free(c->def);
	if (!c->vals_lent) {
		free(c->vals);
		free(c->offs);
	}
	pq_buf_free(&c->data);
	pq_buf_free(&c->min);
	pq_buf_free(&c->max);
	free(c);
}

size_t pq_column_writer_rows(const struct pq_column_writer *c)
{
	return c->nrows;
}

void pq_output_free_scratch(struct pq_output *out)
{
	pq_buf_free(&out->page);
	pq_buf_free(&out->compressed);
	pq_buf_free(&out->header);
	pq_dict_free(&out->dict);
}

/* ------------------------------------------------------------ gathering */

/* Rows a column plans room for: a whole row group, up to UPFRONT_ROWS. */
static size_t upfront_rows(const struct pq_column_writer *c)
{
	size_t n = c->cfg->row_group_rows < UPFRONT_ROWS ? c->cfg->row_group_rows : UPFRONT_ROWS;

	return n < 1024 ? 1024 : n;
}

/* Until the writer lends the column a row group's worth of memory (or
 * when it could not), buffers grow by doubling. */
static size_t grown(size_t cap, size_t need)
{
	size_t n = cap ? cap : 1024;

	while (n < need)
		n *= 2;
	return n;
}

/* realloc(), for a buffer that may be lent (then copied, never freed). */
static void *regrow(void *p, bool *lent, size_t used, size_t bytes)
{
	void *q;

	if (!*lent)
		return realloc(p, bytes);
	q = malloc(bytes);
	if (q != NULL) {
		if (used > 0)
			memcpy(q, p, used);
		*lent = false;
	}
	return q;
}

static int reserve(struct pq_column_writer *c, size_t rows)
{
	if (c->desc->optional && rows > c->cap_rows) {
		size_t n = grown(c->cap_rows, rows);
		uint8_t *p = regrow(c->def, &c->def_lent, c->cap_rows, n);

		if (p == NULL)
			return -1;
		c->def = p;
		c->cap_rows = n;
	}
	/* Values never outnumber rows. */
	if (rows > c->cap_vals) {
		size_t n = grown(c->cap_vals, rows);

		if (c->width) {
			uint8_t *p = regrow(c->vals, &c->vals_lent, c->cap_vals * c->width, n * c->width);

			if (p == NULL)
				return -1;
			c->vals = p;
		} else {
			size_t used = c->cap_vals ? (c->cap_vals + 1) * sizeof(size_t) : 0;
			size_t *p = regrow(c->offs, &c->vals_lent, used, (n + 1) * sizeof(*p));

			if (p == NULL)
				return -1;
			p[0] = 0;
			c->offs = p;
		}
		c->cap_vals = n;
	}
	return 0;
}

static size_t align64(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

size_t pq_column_writer_upfront_bytes(const struct pq_column_writer *c)
{
	size_t rows = upfront_rows(c);

	return (c->desc->optional ? align64(rows) : 0) +
	       align64(c->width ? rows * c->width : (rows + 1) * sizeof(size_t));
}

void pq_column_writer_lend(struct pq_column_writer *c, uint8_t *mem)
{
	size_t rows = upfront_rows(c);

	if (c->def_lent || c->vals_lent || c->nrows > rows)
		return;
	/* What the column gathered so far moves over. */
	if (c->desc->optional) {
		if (c->nrows > 0)
			memcpy(mem, c->def, c->nrows);
		free(c->def);
		c->def = mem;
		c->def_lent = true;
		c->cap_rows = rows;
		mem += align64(rows);
	}
	if (c->width) {
		if (c->nvals > 0)
			memcpy(mem, c->vals, c->nvals * c->width);
		free(c->vals);
		c->vals = mem;
	} else {
		size_t *offs = (size_t *)(void *)mem;

		if (c->offs != NULL)
			memcpy(offs, c->offs, (c->nvals + 1) * sizeof(*offs));
		else
			offs[0] = 0;
		free(c->offs);
		c->offs = offs;
	}
	c->vals_lent = true;
	c->cap_vals = rows;
}

/*
 * Byte arrays, at the start of a row group: the first rows' average
 * length tells about how much data a whole row group holds; room for it
 * (and an eighth more) at once spares growing the data by doubling, each
 * step of which copies it and faults in fresh pages.
 */
static int reserve_data(struct pq_column_writer *c, const struct fp_column *col, size_t first, size_t n)
{
	size_t rows = c->cfg->row_group_rows < UPFRONT_ROWS ? c->cfg->row_group_rows : UPFRONT_ROWS;
	size_t avg, want;

	if (n == 0 || col->offsets == NULL)
		return 0;
	avg = (col->offsets[first + n] - col->offsets[first] + n - 1) / n;
	if (avg > UPFRONT_DATA / rows)
		avg = UPFRONT_DATA / rows;
	want = avg * rows + avg * rows / 8;
	if (want <= c->data.cap)
		return 0;
	return pq_buf_reserve(&c->data, want) ? 0 : -1;
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

	if (reserve(c, c->nrows + n) < 0 || (c->width == 0 && c->nrows == 0 && reserve_data(c, col, first, n) < 0))
		return fp_error_set(err, "out of memory gathering column \"%s\"", c->desc->name);
	/* Runs of valid rows are copied in bulk (all rows at once without a
	 * validity bitmap); nulls only set a level. */
	if (col->validity == NULL && n > 0) {
		if (append_values(c, col, first, n) < 0)
			return fp_error_set(err, "out of memory gathering column \"%s\"", c->desc->name);
		if (optional)
			memset(c->def + c->nrows, 1, n);
		i = n;
	}
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

/* 1: the dictionary just built into out->dict is smaller raw; 0: it is
 * not, or it grew past its limit; -1: out of memory. */
static int build_dictionary(struct pq_column_writer *c, const struct pq_values *v, struct pq_dict *d)
{
	size_t max = c->cfg->dict_max_bytes;
	int rc;

	d->hint = c->dict_entries;
	if (c->width == 4)
		rc = pq_dict_build_u32(d, (const uint32_t *)(const void *)c->vals, c->nvals, max);
	else if (c->width == 8)
		rc = pq_dict_build_u64(d, (const uint64_t *)(const void *)c->vals, c->nvals, max);
	else
		rc = pq_dict_build_bytes(d, c->data.p, c->offs, c->nvals, max);
	c->dict_entries = d->nentries;
	if (rc <= 0)
		return rc;
	return d->page_bytes + (c->nvals * (size_t)index_width(d) + 7) / 8 < pq_plain_size(v, 0, v->n);
}

/*
 * Dictionary or PLAIN for this chunk: 1, 0, or -1 on error. A verdict
 * holds for the next RECHECK_CHUNKS chunks of the column (its data keep
 * their character from one row group to the next), which spares building
 * a dictionary of unique values, or a trial compression, every time.
 * The build itself gives up early on a column whose distinct count
 * projects a dictionary that cannot pay (column-dict.h).
 */
static int choose_dictionary(struct pq_column_writer *c, const struct pq_values *v, struct pq_output *out,
			     struct fp_error *err)
{
	struct pq_dict *d = &out->dict;
	bool pays;
	int rc;

	if (!c->cfg->dictionary || c->desc->ptype == PQ_BOOLEAN || c->nvals == 0)
		return 0;
	if (c->plain_chunks_left > 0) {
		c->plain_chunks_left--;
		return 0;
	}
	/* No projection once the column has shown its dictionary pays. */
	d->bail_ratio = c->dict_chunks_left > 0 ? 0
			: pq_compressor_passthrough(out->comp) ? BAIL_RAW : BAIL_COMPRESSED;
	rc = build_dictionary(c, v, d);
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
	if (pq_dict_pays_compressed(v, d, index_width(d), out->comp, &out->page, &out->compressed, &pays, err) < 0)
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
	const struct pq_dict *d = &out->dict;
	struct pq_buf *page = &out->page;
	int index_bits = dict ? index_width(d) : 0;
	size_t r = 0, v = 0;
	/* No levels and values already in PLAIN layout: pages are taken
	 * from the column's buffer without a copy. */
	bool in_place = !dict && !c->desc->optional && pq_plain_in_place(values);

	info->data_page_offset = (int64_t)out->pos;
	info->data_encoding = dict ? PQ_ENC_RLE_DICTIONARY : PQ_ENC_PLAIN;
	while (r < c->nrows) {
		size_t rows, nv;

		page_extent(c, r, v, index_bits, &rows, &nv);
		pq_buf_clear(page);
		if (c->desc->optional)
			pq_rle_encode_levels(page, c->def + r, rows);
		if (dict) {
			pq_buf_byte(page, (uint8_t)index_bits);
			pq_rle_encode_u32(page, d->indices + v, nv, index_bits);
		} else if (!in_place) {
			pq_encode_plain(page, values, v, nv);
		}
		if (page->failed)
			return fp_error_set(err, "out of memory encoding a page of column \"%s\"", c->desc->name);
		if (write_page(out, in_place ? c->vals + v * c->width : page->p, in_place ? nv * c->width : page->len, PQ_PAGE_DATA, rows, info->data_encoding, info,
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
	const struct pq_dict *d = &out->dict;
	struct pq_buf *page = &out->page;

	info->dictionary_page_offset = (int64_t)out->pos;
	pq_buf_clear(page);
	pq_encode_plain_picked(page, values, d->first, d->nentries);
	if (page->failed)
		return fp_error_set(err, "out of memory encoding the dictionary of column \"%s\"", c->desc->name);
	if (write_page(out, page->p, page->len, PQ_PAGE_DICTIONARY, d->nentries, PQ_ENC_PLAIN, info,
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
	pq_chunk_stats(c->desc, &values, dict ? out->dict.first : NULL, dict ? out->dict.nentries : 0, &c->min, &c->max,
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
