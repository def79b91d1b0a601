/*
 * parquet-build.c - a minimal Parquet file assembler for the reader's
 * tests (see parquet-build.h): Thrift compact encoding of the footer and
 * page headers, the value encodings of Encodings.md done the plainest
 * valid way, and page compression through the codec libraries.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lz4.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>


#include "format/parquet/parquet-format.h"
#include "format/parquet/parquet.h"
#include "record/batch.h"
#include "tests/unit/parquet-build.h"

/* ------------------------------------------------------------ buffers */

void pb_free(struct pb_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void pb_bytes(struct pb_buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (b->p == NULL)
			abort();
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

void pb_u8(struct pb_buf *b, uint8_t v)
{
	pb_bytes(b, &v, 1);
}

void pb_le32(struct pb_buf *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		pb_u8(b, (uint8_t)(v >> (8 * i)));
}

void pb_le64(struct pb_buf *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		pb_u8(b, (uint8_t)(v >> (8 * i)));
}

void pb_uleb(struct pb_buf *b, uint64_t v)
{
	while (v >= 0x80) {
		pb_u8(b, (uint8_t)(v | 0x80));
		v >>= 7;
	}
	pb_u8(b, (uint8_t)v);
}

void pb_zigzag(struct pb_buf *b, int64_t v)
{
	pb_uleb(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

/* ------------------------------------------------------------ encodings */

/* LSB-first bit writer. */
struct bits {
	struct pb_buf *b;
	uint64_t acc;
	int n;
};

static void bits_put(struct bits *w, uint64_t v, int width)
{
	for (int i = 0; i < width; i++) {
		w->acc |= ((v >> i) & 1) << w->n;
		if (++w->n == 8) {
			pb_u8(w->b, (uint8_t)w->acc);
			w->acc = 0;
			w->n = 0;
		}
	}
}

static void bits_flush(struct bits *w)
{
	if (w->n > 0)
		pb_u8(w->b, (uint8_t)w->acc);
	w->acc = 0;
	w->n = 0;
}

void pb_rle_run(struct pb_buf *b, uint32_t value, uint32_t count, int width)
{
	pb_uleb(b, (uint64_t)count << 1);
	for (int i = 0; i < (width + 7) / 8; i++)
		pb_u8(b, (uint8_t)(value >> (8 * i)));
}

void pb_packed_run(struct pb_buf *b, const uint32_t *v, size_t n, int width)
{
	size_t groups = (n + 7) / 8;
	struct bits w = { b, 0, 0 };

	pb_uleb(b, (uint64_t)groups << 1 | 1);
	for (size_t i = 0; i < groups * 8; i++)
		bits_put(&w, i < n ? v[i] : 0, width);
	bits_flush(&w);
}

void pb_def_levels(struct pb_buf *b, const bool *valid, size_t n, bool length)
{
	struct pb_buf runs = { 0 };
	uint32_t *v = calloc(n ? n : 1, sizeof(*v));

	for (size_t i = 0; i < n; i++)
		v[i] = valid[i];
	pb_packed_run(&runs, v, n, 1);
	if (length)
		pb_le32(b, (uint32_t)runs.len);
	pb_bytes(b, runs.p, runs.len);
	pb_free(&runs);
	free(v);
}

static int width_of(uint64_t v)
{
	int w = 0;

	while (v) {
		w++;
		v >>= 1;
	}
	return w;
}

/* Block of 128 values in 4 miniblocks of 32. */
void pb_delta(struct pb_buf *b, const int64_t *v, size_t n)
{
	pb_uleb(b, 128);
	pb_uleb(b, 4);
	pb_uleb(b, n);
	pb_zigzag(b, n ? v[0] : 0);
	for (size_t start = 1; start < n; start += 128) {
		size_t count = n - start < 128 ? n - start : 128;
		uint64_t rel[128];
		int64_t min = INT64_MAX;
		int widths[4] = { 0 };
		struct bits w = { b, 0, 0 };

		for (size_t i = 0; i < count; i++) {
			int64_t d = (int64_t)((uint64_t)v[start + i] - (uint64_t)v[start + i - 1]);

			if (d < min)
				min = d;
		}
		for (size_t i = 0; i < count; i++) {
			rel[i] = (uint64_t)v[start + i] - (uint64_t)v[start + i - 1] - (uint64_t)min;
			if (width_of(rel[i]) > widths[i / 32])
				widths[i / 32] = width_of(rel[i]);
		}
		pb_zigzag(b, min);
		for (int m = 0; m < 4; m++)
			pb_u8(b, (uint8_t)widths[m]);
		for (size_t m = 0; m * 32 < count; m++) {
			for (size_t i = m * 32; i < m * 32 + 32; i++)
				bits_put(&w, i < count ? rel[i] : 0, widths[m]);
			bits_flush(&w);
		}
	}
}

void pb_delta_length(struct pb_buf *b, const char *const *s, size_t n)
{
	int64_t *len = calloc(n ? n : 1, sizeof(*len));

	for (size_t i = 0; i < n; i++)
		len[i] = (int64_t)strlen(s[i]);
	pb_delta(b, len, n);
	for (size_t i = 0; i < n; i++)
		pb_bytes(b, s[i], strlen(s[i]));
	free(len);
}

void pb_delta_bytes(struct pb_buf *b, const char *const *s, size_t n)
{
	int64_t *prefix = calloc(n ? n : 1, sizeof(*prefix));
	const char **suffix = calloc(n ? n : 1, sizeof(*suffix));

	for (size_t i = 0; i < n; i++) {
		size_t p = 0;

		while (i > 0 && s[i][p] && s[i - 1][p] == s[i][p])
			p++;
		prefix[i] = (int64_t)p;
		suffix[i] = s[i] + p;
	}
	pb_delta(b, prefix, n);
	pb_delta_length(b, suffix, n);
	free(prefix);
	free(suffix);
}

void pb_byte_stream_split(struct pb_buf *b, const void *values, size_t n, size_t width)
{
	const uint8_t *v = values;

	for (size_t k = 0; k < width; k++) {
		for (size_t i = 0; i < n; i++)
			pb_u8(b, v[i * width + k]);
	}
}

void pb_plain_string(struct pb_buf *b, const char *s)
{
	pb_le32(b, (uint32_t)strlen(s));
	pb_bytes(b, s, strlen(s));
}

/* ------------------------------------------------------------ thrift */

struct th {
	struct pb_buf *b;
	int16_t last[16];
	int depth;
};

static void th_field(struct th *t, int id, int type)
{
	int16_t last = t->last[t->depth];

	if (id > last && id - last <= 15) {
		pb_u8(t->b, (uint8_t)((id - last) << 4 | type));
	} else {
		pb_u8(t->b, (uint8_t)type);
		pb_zigzag(t->b, id);
	}
	t->last[t->depth] = (int16_t)id;
}

static void th_i32(struct th *t, int id, int32_t v)
{
	th_field(t, id, TC_I32);
	pb_zigzag(t->b, v);
}

static void th_i64(struct th *t, int id, int64_t v)
{
	th_field(t, id, TC_I64);
	pb_zigzag(t->b, v);
}

static void th_bool(struct th *t, int id, bool v)
{
	th_field(t, id, v ? TC_BOOL_TRUE : TC_BOOL_FALSE);
}

static void th_string(struct th *t, int id, const char *s)
{
	th_field(t, id, TC_BINARY);
	pb_uleb(t->b, strlen(s));
	pb_bytes(t->b, s, strlen(s));
}

static void th_begin(struct th *t, int id)
{
	th_field(t, id, TC_STRUCT);
	t->last[++t->depth] = 0;
}

static void th_elem_begin(struct th *t)
{
	t->last[++t->depth] = 0;
}

static void th_end(struct th *t)
{
	pb_u8(t->b, TC_STOP);
	t->depth--;
}

static void th_list(struct th *t, int id, int elem, size_t n)
{
	th_field(t, id, TC_LIST);
	if (n < 15) {
		pb_u8(t->b, (uint8_t)(n << 4 | (size_t)elem));
	} else {
		pb_u8(t->b, (uint8_t)(0xf0 | elem));
		pb_uleb(t->b, n);
	}
}

/* ------------------------------------------------------------ pages */

static void pb_compress(int codec, const struct pb_buf *in, struct pb_buf *out)
{
	size_t n;

	switch (codec) {
	case FP_CODEC_SNAPPY:
		n = snappy_max_compressed_length(in->len);
		out->p = malloc(n);
		snappy_compress((const char *)in->p, in->len, (char *)out->p, &n);
		out->len = out->cap = n;
		return;
	case FP_CODEC_GZIP: {
		z_stream zs = { 0 };

		n = deflateBound(&zs, in->len) + 64;
		out->p = malloc(n);
		deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
		zs.next_in = in->p;
		zs.avail_in = (uInt)in->len;
		zs.next_out = out->p;
		zs.avail_out = (uInt)n;
		deflate(&zs, Z_FINISH);
		out->len = out->cap = n - zs.avail_out;
		deflateEnd(&zs);
		return;
	}
	case FP_CODEC_ZSTD:
		n = ZSTD_compressBound(in->len);
		out->p = malloc(n);
		out->len = out->cap = ZSTD_compress(out->p, n, in->p, in->len, 3);
		return;
	case FP_CODEC_LZ4_RAW:
		n = (size_t)LZ4_compressBound((int)in->len);
		out->p = malloc(n ? n : 1);
		out->len = out->cap = (size_t)LZ4_compress_default((const char *)in->p, (char *)out->p, (int)in->len,
								   (int)n);
		return;
	default:
		pb_bytes(out, in->p, in->len);
		return;
	}
}

static struct pb_chunk *current_chunk(struct pb_file *f)
{
	return &f->chunks[f->nrg - 1][f->col - 1];
}

void pb_file_page(struct pb_file *f, const struct pb_page *pg)
{
	struct pb_chunk *c = current_chunk(f);
	struct pb_buf data = { 0 }, hdr = { 0 };
	struct th t = { &hdr, { 0 }, 0 };
	size_t usize;
	int64_t at = (int64_t)f->b.len;

	if (pg->type == PQ_PAGE_DATA_V2) {
		struct pb_buf values = { 0 };

		pb_bytes(&data, pg->levels ? pg->levels->p : NULL, pg->levels ? pg->levels->len : 0);
		pb_compress(pg->uncompressed_v2 ? 0 : c->codec, pg->body, &values);
		pb_bytes(&data, values.p, values.len);
		pb_free(&values);
		usize = (pg->levels ? pg->levels->len : 0) + pg->body->len;
	} else {
		pb_compress(c->codec, pg->body, &data);
		usize = pg->body->len;
	}
	th_i32(&t, 1, pg->type);
	th_i32(&t, 2, (int32_t)usize);
	th_i32(&t, 3, (int32_t)data.len);
	if (pg->crc)
		th_i32(&t, 4, (int32_t)crc32(0L, data.p, (uInt)data.len));
	if (pg->type == PQ_PAGE_DATA) {
		th_begin(&t, 5);
		th_i32(&t, 1, pg->num_values);
		th_i32(&t, 2, pg->encoding);
		th_i32(&t, 3, pg->def_encoding ? pg->def_encoding : PQ_ENC_RLE);
		th_i32(&t, 4, PQ_ENC_RLE);
		th_end(&t);
	} else if (pg->type == PQ_PAGE_DICTIONARY) {
		th_begin(&t, 7);
		th_i32(&t, 1, pg->num_values);
		th_i32(&t, 2, pg->encoding);
		th_end(&t);
	} else {
		th_begin(&t, 8);
		th_i32(&t, 1, pg->num_values);
		th_i32(&t, 2, pg->num_nulls);
		th_i32(&t, 3, pg->num_rows);
		th_i32(&t, 4, pg->encoding);
		th_i32(&t, 5, pg->levels ? (int32_t)pg->levels->len : 0);
		th_i32(&t, 6, 0);
		if (pg->uncompressed_v2)
			th_bool(&t, 7, false);
		th_end(&t);
	}
	if (pg->header_padding > 0) {
		th_field(&t, 99, TC_BINARY);
		pb_uleb(&hdr, pg->header_padding);
		for (size_t i = 0; i < pg->header_padding; i++)
			pb_u8(&hdr, (uint8_t)i);
	}
	pb_u8(&hdr, TC_STOP);
	pb_bytes(&f->b, hdr.p, hdr.len);
	pb_bytes(&f->b, data.p, data.len);
	if (pg->type == PQ_PAGE_DICTIONARY && c->dict_offset < 0)
		c->dict_offset = at;
	if (pg->type != PQ_PAGE_DICTIONARY) {
		if (c->data_offset < 0)
			c->data_offset = at;
		c->num_values += pg->num_values;
	}
	c->size = (int64_t)f->b.len - c->start;
	pb_free(&hdr);
	pb_free(&data);
}

/* ------------------------------------------------------------ files */

void pb_file_init(struct pb_file *f)
{
	memset(f, 0, sizeof(*f));
	f->num_rows = -1;
	pb_bytes(&f->b, PQ_MAGIC, 4);
}

void pb_file_leaf(struct pb_file *f, const struct pb_leaf *leaf)
{
	f->leaves[f->nleaves++] = *leaf;
}

void pb_file_row_group(struct pb_file *f, int64_t rows)
{
	f->rg_rows[f->nrg++] = rows;
	f->col = 0;
}

void pb_file_chunk(struct pb_file *f, int codec)
{
	struct pb_chunk *c;

	f->col++;
	c = current_chunk(f);
	memset(c, 0, sizeof(*c));
	c->start = (int64_t)f->b.len;
	c->dict_offset = c->data_offset = -1;
	c->codec = codec;
	c->patch_num_values = -1;
}

static void write_logical(struct th *t, const struct pb_leaf *l)
{
	th_begin(t, 10);
	th_begin(t, l->logical);
	if (l->logical == PQ_LT_TIMESTAMP) {
		th_bool(t, 1, l->utc);
		th_begin(t, 2);
		th_begin(t, l->unit);
		th_end(t);
		th_end(t);
	} else if (l->logical == PQ_LT_INTEGER) {
		th_field(t, 1, TC_BYTE);
		pb_u8(t->b, (uint8_t)l->bit_width);
		th_bool(t, 2, l->is_signed);
	} else if (l->logical == PQ_LT_DECIMAL) {
		th_i32(t, 1, 2);
		th_i32(t, 2, 9);
	}
	th_end(t);
	th_end(t);
}

static void write_schema(struct th *t, const struct pb_file *f)
{
	size_t n = 1;

	for (size_t i = 0; i < f->nleaves; i++)
		n += f->leaves[i].parent ? 2 : 1;
	th_list(t, 2, TC_STRUCT, n);
	th_elem_begin(t);
	th_string(t, 4, "schema");
	th_i32(t, 5, (int32_t)f->nleaves);
	th_end(t);
	for (size_t i = 0; i < f->nleaves; i++) {
		const struct pb_leaf *l = &f->leaves[i];

		if (l->parent) {
			th_elem_begin(t);
			th_i32(t, 3, l->parent_repetition);
			th_string(t, 4, l->parent);
			th_i32(t, 5, 1);
			th_end(t);
		}
		th_elem_begin(t);
		th_i32(t, 1, l->type);
		if (l->type == PQ_FIXED_LEN_BYTE_ARRAY)
			th_i32(t, 2, l->type_length);
		th_i32(t, 3, l->repetition);
		th_string(t, 4, l->name);
		if (l->converted > 0)
			th_i32(t, 6, l->converted - 1);
		if (l->logical)
			write_logical(t, l);
		th_end(t);
	}
}

static void write_chunk(struct th *t, const struct pb_leaf *l, const struct pb_chunk *c)
{
	th_elem_begin(t);
	th_i64(t, 2, c->start);
	th_begin(t, 3);
	th_i32(t, 1, l->type);
	th_list(t, 2, TC_I32, 1);
	pb_zigzag(t->b, PQ_ENC_PLAIN);
	th_list(t, 3, TC_BINARY, l->parent ? 2 : 1);
	if (l->parent) {
		pb_uleb(t->b, strlen(l->parent));
		pb_bytes(t->b, l->parent, strlen(l->parent));
	}
	pb_uleb(t->b, strlen(l->name));
	pb_bytes(t->b, l->name, strlen(l->name));
	th_i32(t, 4, c->codec);
	th_i64(t, 5, c->patch_num_values >= 0 ? c->patch_num_values : c->num_values);
	th_i64(t, 6, c->size);
	th_i64(t, 7, c->size);
	th_i64(t, 9, c->data_offset >= 0 ? c->data_offset : c->start);
	if (c->dict_offset >= 0)
		th_i64(t, 11, c->dict_offset);
	th_end(t);
	th_end(t);
}

/* A struct with one field of every Thrift type, as a future writer might
 * add: a reader must skip it. */
static void write_unknown(struct th *t, int id)
{
	th_begin(t, id);
	th_field(t, 1, TC_I16);
	pb_zigzag(t->b, -300);
	th_field(t, 2, TC_BYTE);
	pb_u8(t->b, 0x80);
	th_field(t, 3, TC_DOUBLE);
	pb_le64(t->b, 0x400921fb54442d18u);
	th_bool(t, 4, true);
	th_string(t, 5, "future");
	th_list(t, 6, TC_BOOL_TRUE, 2);
	pb_u8(t->b, TC_BOOL_TRUE);
	pb_u8(t->b, TC_BOOL_FALSE);
	th_field(t, 7, TC_SET);
	pb_u8(t->b, 1 << 4 | TC_I32);
	pb_zigzag(t->b, 1);
	th_field(t, 8, TC_MAP);
	pb_uleb(t->b, 1);
	pb_u8(t->b, TC_BINARY << 4 | TC_I64);
	pb_uleb(t->b, 1);
	pb_u8(t->b, 'k');
	pb_zigzag(t->b, 5);
	th_field(t, 9, TC_MAP);
	pb_uleb(t->b, 0);
	th_list(t, 10, TC_STRUCT, 1);
	th_elem_begin(t);
	th_i32(t, 1, 7);
	th_end(t);
	th_list(t, 300, TC_I64, 20);
	for (int i = 0; i < 20; i++)
		pb_zigzag(t->b, i);
	th_end(t);
}

void pb_file_finish(struct pb_file *f)
{
	struct pb_buf meta = { 0 };
	struct th t = { &meta, { 0 }, 0 };
	int64_t rows = 0;

	for (size_t g = 0; g < f->nrg; g++)
		rows += f->rg_rows[g];
	th_i32(&t, 1, 1);
	write_schema(&t, f);
	th_i64(&t, 3, f->num_rows >= 0 ? f->num_rows : rows);
	th_list(&t, 4, TC_STRUCT, f->nrg);
	for (size_t g = 0; g < f->nrg; g++) {
		th_elem_begin(&t);
		th_list(&t, 1, TC_STRUCT, f->nleaves);
		for (size_t i = 0; i < f->nleaves; i++)
			write_chunk(&t, &f->leaves[i], &f->chunks[g][i]);
		th_i64(&t, 2, 0);
		th_i64(&t, 3, f->rg_rows[g]);
		th_end(&t);
	}
	th_string(&t, 6, "parquet-build (flowprep tests)");
	if (f->unknown_fields)
		write_unknown(&t, 42);
	pb_u8(&meta, TC_STOP);
	pb_bytes(&f->b, meta.p, meta.len);
	pb_le32(&f->b, (uint32_t)meta.len);
	pb_bytes(&f->b, PQ_MAGIC, 4);
	pb_free(&meta);
}

void pb_file_free(struct pb_file *f)
{
	pb_free(&f->b);
}

char *pb_write_temp(const void *p, size_t len)
{
	const char *dir = getenv("TMPDIR");
	char *path = malloc(4096);
	int fd;

	snprintf(path, 4096, "%s/fp-parquet-test-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, p, len) != (ssize_t)len) {
		perror("pb_write_temp");
		abort();
	}
	close(fd);
	return path;
}

/* ------------------------------------------------------------ conveniences */

void pb_dict_indices(struct pb_buf *b, const uint32_t *idx, size_t n, int width, bool rle)
{
	pb_u8(b, (uint8_t)width);
	if (rle)
		pb_rle_run(b, idx[0], (uint32_t)n, width);
	else
		pb_packed_run(b, idx, n, width);
}

void pb_texts_free(struct pb_texts *t)
{
	for (size_t i = 0; t->schema && i < t->schema->nfields; i++)
		pb_free(&t->col[i]);
	free(t->col);
	fp_schema_free(t->schema);
	memset(t, 0, sizeof(*t));
}

static void text_value(struct pb_buf *out, const struct fp_column *c, size_t row)
{
	char buf[64];
	size_t len;
	const char *p;

	pb_u8(out, ',');	/* pb_text_of() skips the first */
	if (!fp_column_is_valid(c, row)) {
		pb_bytes(out, "null", 4);
		return;
	}
	switch (c->type) {
	case FP_TYPE_BOOL: snprintf(buf, sizeof(buf), "%s", c->v.b[row] ? "t" : "f"); break;
	case FP_TYPE_INT32: snprintf(buf, sizeof(buf), "%" PRId32, c->v.i32[row]); break;
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP: snprintf(buf, sizeof(buf), "%" PRId64, c->v.i64[row]); break;
	case FP_TYPE_DOUBLE: snprintf(buf, sizeof(buf), "%.17g", c->v.f64[row]); break;
	default:
		p = fp_column_bytes(c, row, &len);
		pb_bytes(out, p, len);
		return;
	}
	pb_bytes(out, buf, strlen(buf));
}

void pb_read_texts(const char *path, size_t batch_rows, struct pb_texts *t)
{
	struct fp_error err = { "" };
	struct fp_parquet_reader *r = fp_parquet_reader_open(path, &err);
	struct fp_batch *b;
	long n;

	memset(t, 0, sizeof(*t));
	if (r == NULL) {
		snprintf(t->error, sizeof(t->error), "%s", err.msg);
		return;
	}
	t->schema = fp_schema_clone(fp_parquet_reader_schema(r));
	t->col = calloc(t->schema->nfields + 1, sizeof(*t->col));
	b = fp_batch_new(fp_parquet_reader_schema(r), batch_rows);
	while ((n = fp_parquet_reader_next(r, b, &err)) > 0) {
		for (size_t i = 0; i < t->schema->nfields; i++) {
			for (size_t row = 0; row < b->nrows; row++)
				text_value(&t->col[i], &b->cols[i], row);
		}
	}
	if (n < 0) {
		snprintf(t->error, sizeof(t->error), "%s", err.msg);
		/* A failed reader keeps failing with the same message. */
		t->error_repeats = fp_parquet_reader_next(r, b, &err) == -1 && strcmp(err.msg, t->error) == 0;
	} else {
		t->ok = true;
	}
	for (size_t i = 0; i < t->schema->nfields; i++)
		pb_u8(&t->col[i], '\0');
	fp_batch_free(b);
	fp_parquet_reader_close(r);
}

const char *pb_text_of(const struct pb_texts *t, const char *name)
{
	int i = t->schema ? fp_schema_find(t->schema, name) : -1;

	if (i < 0 || t->col[i].p == NULL)
		return "(missing)";
	return t->col[i].len > 1 ? (const char *)t->col[i].p + 1 : "";
}

char *pb_file_write_temp(struct pb_file *f)
{
	char *path;

	pb_file_finish(f);
	path = pb_write_temp(f->b.p, f->b.len);
	pb_file_free(f);
	return path;
}

void pb_remove_temp(char *path)
{
	unlink(path);
	free(path);
}

void pb_data_page(struct pb_file *f, int encoding, int n, const struct pb_buf *body)
{
	struct pb_page pg = { .type = PQ_PAGE_DATA, .num_values = n, .encoding = encoding, .body = body };

	pb_file_page(f, &pg);
}

void pb_dict_page(struct pb_file *f, int n, const struct pb_buf *body)
{
	struct pb_page pg = { .type = PQ_PAGE_DICTIONARY, .num_values = n, .encoding = PQ_ENC_PLAIN, .body = body };

	pb_file_page(f, &pg);
}
