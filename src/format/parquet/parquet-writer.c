/*
 * parquet-writer.c - the writer half of parquet.h: a file is the magic
 * "PAR1", row groups written as batches fill them, then the footer
 * (FileMetaData, its length, "PAR1" again).
 *
 * Memory is one row group: each column gathers up to row_group_rows rows,
 * then every column chunk is encoded and written, and only the encoded
 * RowGroup struct (a few hundred bytes) is kept for the footer. A file of
 * zero rows has no row groups and is still valid. After any failure the
 * writer refuses further work; close() then reports it and frees.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "format/format-writer.h"
#include "format/parquet/codec-compress.h"
#include "format/parquet/column-writer.h"
#include "format/parquet/meta-encode.h"
#include "format/parquet/parquet.h"
#include "format/parquet/thrift-encode.h"

#define DEFAULT_CREATED_BY "flowprep version " PACKAGE_VERSION
#define SCHEMA_KEY "flowprep.schema"
/* Pages of about 1 MiB of encoded values; dictionaries up to 1 MiB. */
#define DEFAULT_PAGE_BYTES (1u << 20)
#define DEFAULT_DICT_MAX_BYTES (1u << 20)
#define HUGE_PAGE_BYTES ((size_t)2 << 20)
#define ARENA_ROWS 16384

struct fp_parquet_writer {
	struct fp_format_writer base;	/* first: the format-writer interface */
	struct pq_output out;
	char *name;
	char *created_by;
	char *schema_tag;	/* "netflow/v1", or NULL */
	int codec;
	struct pq_write_config cfg;
	size_t row_group_rows;

	size_t ncols;
	struct pq_column_desc *descs;
	struct pq_column_writer **cols;
	uint8_t *arena;		/* the columns' row group buffers (lent to them) */
	bool arena_tried;

	size_t rg_rows;		/* rows gathered for the current row group */
	int64_t num_rows;	/* rows in finished row groups */
	size_t num_row_groups;
	struct pq_buf row_groups;	/* encoded RowGroup structs */
	bool failed;
};

void fp_parquet_write_options_defaults(struct fp_parquet_write_options *o)
{
	memset(o, 0, sizeof(*o));
	o->codec = FP_CODEC_ZSTD;
	o->compression_level = 0;
	o->row_group_rows = 0;	/* by the schema's width: fp_parquet_row_group_rows() */
	o->page_rows = 0;
	o->dictionary = true;
	o->created_by = NULL;
}

/* A string or binary value's guess in bytes for sizing row groups: its
 * offset and a dozen bytes of text (an address). */
#define BYTES_VALUE_GUESS 24

size_t fp_parquet_row_group_rows(const struct fp_parquet_write_options *o, const struct fp_schema *schema)
{
	size_t row_bytes = 0, rows;

	if (o->row_group_rows != 0)
		return o->row_group_rows;
	for (size_t i = 0; i < schema->nfields; i++) {
		enum fp_type t = schema->fields[i].type;

		row_bytes += (fp_type_is_bytes(t) ? BYTES_VALUE_GUESS : fp_type_width(t)) + schema->fields[i].nullable;
	}
	rows = row_bytes ? FP_PARQUET_ROW_GROUP_BYTES / row_bytes : FP_PARQUET_DEFAULT_ROW_GROUP_ROWS;
	if (rows >= FP_PARQUET_DEFAULT_ROW_GROUP_ROWS)
		return FP_PARQUET_DEFAULT_ROW_GROUP_ROWS;
	rows -= rows % 1024;
	return rows < 1024 ? 1024 : rows;
}

static void writer_free(struct fp_parquet_writer *w)
{
	if (w == NULL)
		return;
	for (size_t i = 0; i < w->ncols; i++) {
		if (w->cols)
			pq_column_writer_free(w->cols[i]);
		if (w->descs)
			pq_column_desc_free(&w->descs[i]);
	}
	free(w->cols);
	free(w->descs);
	free(w->arena);
	pq_compressor_free(w->out.comp);
	pq_output_free_scratch(&w->out);
	pq_buf_free(&w->row_groups);
	free(w->name);
	free(w->created_by);
	free(w->schema_tag);
	free(w);
}

int fp_parquet_write_options_validate(const struct fp_parquet_write_options *o, struct fp_error *err)
{
	if (!pq_codec_writable(o->codec))
		return fp_error_set(err, "the Parquet writer cannot compress with codec \"%s\"; "
				    "use zstd, snappy, gzip or none", fp_parquet_codec_name(o->codec));
	if (o->row_group_rows > FP_PARQUET_MAX_ROW_GROUP_ROWS)
		return fp_error_set(err, "row groups of %zu rows are too large (at most %d)", o->row_group_rows,
				    FP_PARQUET_MAX_ROW_GROUP_ROWS);
	if (o->page_rows > INT32_MAX)
		return fp_error_set(err, "pages of %zu rows are too large (at most %d)", o->page_rows, INT32_MAX);
	return 0;
}

static char *schema_tag(const struct fp_schema *s)
{
	size_t n;
	char *t;

	if (s->name == NULL || s->name[0] == '\0')
		return NULL;
	n = strlen(s->name) + (s->version ? strlen(s->version) + 1 : 0) + 1;
	t = malloc(n);
	if (t != NULL)
		snprintf(t, n, "%s%s%s", s->name, s->version ? "/" : "", s->version ? s->version : "");
	return t;
}

static int setup_columns(struct fp_parquet_writer *w, const struct fp_schema *schema, struct fp_error *err)
{
	w->descs = calloc(schema->nfields ? schema->nfields : 1, sizeof(*w->descs));
	w->cols = calloc(schema->nfields ? schema->nfields : 1, sizeof(*w->cols));
	if (w->descs == NULL || w->cols == NULL)
		return fp_error_set(err, "%s: out of memory for the Parquet writer", w->name);
	for (size_t i = 0; i < schema->nfields; i++) {
		w->ncols = i + 1;
		if (pq_column_desc_init(&w->descs[i], &schema->fields[i], err) < 0)
			return fp_error_prefix(err, "%s", w->name);
		w->cols[i] = pq_column_writer_new(&w->descs[i], &w->cfg, err);
		if (w->cols[i] == NULL)
			return fp_error_prefix(err, "%s", w->name);
	}
	return 0;
}

struct fp_parquet_writer *fp_parquet_writer_open(FILE *out, const char *name, const struct fp_schema *schema,
						 const struct fp_parquet_write_options *opts, struct fp_error *err)
{
	struct fp_parquet_write_options defaults;
	struct fp_parquet_writer *w;

	if (name == NULL)
		name = "(parquet output)";
	if (opts == NULL) {
		fp_parquet_write_options_defaults(&defaults);
		opts = &defaults;
	}
	if (fp_parquet_write_options_validate(opts, err) < 0) {
		fp_error_prefix(err, "%s", name);
		return NULL;
	}
	if (schema->nfields == 0) {
		fp_error_set(err, "%s: a Parquet file needs at least one column", name);
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		fp_error_set(err, "%s: out of memory for the Parquet writer", name);
		return NULL;
	}
	w->name = strdup(name);
	w->created_by = strdup(opts->created_by ? opts->created_by : DEFAULT_CREATED_BY);
	if (w->name == NULL || w->created_by == NULL) {
		fp_error_set(err, "%s: out of memory for the Parquet writer", name);
		goto fail;
	}
	if (schema->name != NULL && (w->schema_tag = schema_tag(schema)) == NULL) {
		fp_error_set(err, "%s: out of memory for the Parquet writer", name);
		goto fail;
	}
	w->codec = opts->codec;
	w->row_group_rows = fp_parquet_row_group_rows(opts, schema);
	w->cfg.row_group_rows = w->row_group_rows;
	w->cfg.page_rows = opts->page_rows;
	w->cfg.page_bytes = DEFAULT_PAGE_BYTES;
	w->cfg.dict_max_bytes = DEFAULT_DICT_MAX_BYTES;
	w->cfg.dictionary = opts->dictionary;
	w->base.ops = &fp_parquet_format_writer_ops;
	w->out.f = out;
	w->out.comp = pq_compressor_new(opts->codec, opts->compression_level, err);
	if (w->out.comp == NULL) {
		fp_error_prefix(err, "%s", name);
		goto fail;
	}
	if (setup_columns(w, schema, err) < 0)
		goto fail;
	if (fwrite(PQ_MAGIC, 1, 4, out) != 4) {
		fp_error_errno(err, "%s: writing the Parquet header", name);
		goto fail;
	}
	w->out.pos = 4;
	return w;
fail:
	writer_free(w);
	return NULL;
}

/* Writes the gathered rows as one row group and keeps its RowGroup struct. */
static int flush_row_group(struct fp_parquet_writer *w, struct fp_error *err)
{
	int64_t start = (int64_t)w->out.pos, uncompressed = 0, compressed = 0;
	struct tc_enc e;

	tc_enc_init(&e, &w->row_groups);
	tc_field_list_begin(&e, 1, TC_STRUCT, w->ncols);	/* columns */
	for (size_t i = 0; i < w->ncols; i++) {
		struct pq_chunk_info info;

		if (pq_column_writer_flush(w->cols[i], &w->out, &info, err) < 0)
			return fp_error_prefix(err, "%s: row group %zu", w->name, w->num_row_groups);
		pq_encode_column_chunk(&e, &w->descs[i], w->codec, &info);
		uncompressed += info.total_uncompressed;
		compressed += info.total_compressed;
	}
	tc_field_i64(&e, 2, uncompressed);		/* total_byte_size */
	tc_field_i64(&e, 3, (int64_t)w->rg_rows);	/* num_rows */
	tc_field_i64(&e, 5, start);			/* file_offset */
	tc_field_i64(&e, 6, compressed);		/* total_compressed_size */
	tc_struct_end(&e);
	if (w->row_groups.failed)
		return fp_error_set(err, "%s: out of memory keeping row group metadata", w->name);
	w->num_rows += (int64_t)w->rg_rows;
	w->num_row_groups++;
	w->rg_rows = 0;
	return 0;
}

static const char *type_name(enum fp_type t)
{
	static const char *const names[] = {
		[FP_TYPE_BOOL] = "bool", [FP_TYPE_INT32] = "int32", [FP_TYPE_INT64] = "int64",
		[FP_TYPE_DOUBLE] = "double", [FP_TYPE_STRING] = "string", [FP_TYPE_BINARY] = "binary",
		[FP_TYPE_TIMESTAMP] = "timestamp",
	};

	return (size_t)t < sizeof(names) / sizeof(names[0]) && names[t] ? names[t] : "unknown";
}

static int check_batch(const struct fp_parquet_writer *w, const struct fp_batch *b, struct fp_error *err)
{
	if (b->schema == NULL || b->schema->nfields != w->ncols)
		return fp_error_set(err, "%s: batch has %zu columns, the Parquet file %zu", w->name,
				    b->schema ? b->schema->nfields : 0, w->ncols);
	for (size_t i = 0; i < w->ncols; i++)
		if (b->cols[i].type != w->descs[i].ftype)
			return fp_error_set(err, "%s: column \"%s\" of the batch is %s, the Parquet file expects %s",
					    w->name, w->descs[i].name, type_name(b->cols[i].type),
					    type_name(w->descs[i].ftype));
	return 0;
}

/*
 * One block for every column's row group buffers, lent to the columns
 * once the file reaches ARENA_ROWS rows (or a row group, if smaller):
 * before that, columns grow small buffers of their own, so a small file
 * never touches the block. A block of megabytes is aligned on, and asks
 * the kernel for, huge pages: filling a row group then faults in a few
 * 2 MiB pages instead of thousands of 4 KiB ones (each fault, more than
 * the zeroing, is the cost, and a large one in a virtual machine).
 * Without the block (out of memory), the columns keep growing their own.
 */
static void lend_arena(struct fp_parquet_writer *w)
{
	size_t total = 0, at = 0;

	w->arena_tried = true;
	for (size_t i = 0; i < w->ncols; i++)
		total += pq_column_writer_upfront_bytes(w->cols[i]);
	if (total >= HUGE_PAGE_BYTES) {
		size_t n = (total + HUGE_PAGE_BYTES - 1) & ~(HUGE_PAGE_BYTES - 1);
		void *p;

		if (posix_memalign(&p, HUGE_PAGE_BYTES, n) != 0)
			return;
#ifdef MADV_HUGEPAGE
		(void)madvise(p, n, MADV_HUGEPAGE);	/* a hint: failure costs only speed */
#endif
		w->arena = p;
	} else if ((w->arena = malloc(total ? total : 1)) == NULL) {
		return;
	}
	for (size_t i = 0; i < w->ncols; i++) {
		pq_column_writer_lend(w->cols[i], w->arena + at);
		at += pq_column_writer_upfront_bytes(w->cols[i]);
	}
}

/* True once the file, with `more` rows, reaches ARENA_ROWS or a row group. */
static bool arena_due(const struct fp_parquet_writer *w, size_t more)
{
	size_t due = w->row_group_rows < ARENA_ROWS ? w->row_group_rows : ARENA_ROWS;

	return (size_t)w->num_rows + w->rg_rows + more >= due;
}

static int write_rows(struct fp_parquet_writer *w, const struct fp_batch *b, size_t first_row, size_t nrows,
		      struct fp_error *err)
{
	size_t done = first_row, end = first_row + nrows;

	if (check_batch(w, b, err) < 0)
		return -1;
	if (first_row > b->nrows || nrows > b->nrows - first_row)
		return fp_error_set(err, "%s: rows %zu..%zu of a batch of %zu", w->name, first_row, end, b->nrows);
	if (!w->arena_tried && arena_due(w, nrows))
		lend_arena(w);
	while (done < end) {
		size_t n = end - done, room = w->row_group_rows - w->rg_rows;

		if (n > room)
			n = room;
		for (size_t i = 0; i < w->ncols; i++)
			if (pq_column_writer_append(w->cols[i], &b->cols[i], done, n, err) < 0)
				return fp_error_prefix(err, "%s", w->name);
		w->rg_rows += n;
		done += n;
		if (w->rg_rows == w->row_group_rows && flush_row_group(w, err) < 0)
			return -1;
	}
	return 0;
}

int fp_parquet_writer_write_rows(struct fp_parquet_writer *w, const struct fp_batch *batch, size_t first_row,
				 size_t nrows, struct fp_error *err)
{
	if (w->failed)
		return fp_error_set(err, "%s: the Parquet writer already failed", w->name);
	if (write_rows(w, batch, first_row, nrows, err) < 0) {
		w->failed = true;
		return -1;
	}
	return 0;
}

int fp_parquet_writer_write(struct fp_parquet_writer *w, const struct fp_batch *batch, struct fp_error *err)
{
	return fp_parquet_writer_write_rows(w, batch, 0, batch->nrows, err);
}

static int write_footer(struct fp_parquet_writer *w, struct fp_error *err)
{
	struct pq_file_meta m = {
		.cols = w->descs,
		.ncols = w->ncols,
		.num_rows = w->num_rows,
		.num_row_groups = w->num_row_groups,
		.row_groups = w->row_groups.p,
		.row_groups_len = w->row_groups.len,
		.created_by = w->created_by,
		.schema_key = w->schema_tag ? SCHEMA_KEY : NULL,
		.schema_value = w->schema_tag,
	};
	struct pq_buf *footer = &w->out.header;	/* pages are done: reuse */
	uint8_t tail[8];

	pq_buf_clear(footer);
	pq_encode_file_meta(footer, &m);
	if (footer->failed)
		return fp_error_set(err, "%s: out of memory encoding the Parquet footer", w->name);
	if (footer->len > UINT32_MAX)
		return fp_error_set(err, "%s: the Parquet footer is too large", w->name);
	pq_store_le32(tail, (uint32_t)footer->len);
	memcpy(tail + 4, PQ_MAGIC, 4);
	if (fwrite(footer->p, 1, footer->len, w->out.f) != footer->len ||
	    fwrite(tail, 1, sizeof(tail), w->out.f) != sizeof(tail) || fflush(w->out.f) != 0 ||
	    ferror(w->out.f))
		return fp_error_errno(err, "%s: writing the Parquet footer", w->name);
	w->out.pos += footer->len + sizeof(tail);
	return 0;
}

int fp_parquet_writer_close(struct fp_parquet_writer *w, struct fp_error *err)
{
	int rc = 0;

	if (w == NULL)
		return 0;
	if (w->failed)
		rc = fp_error_set(err, "%s: the Parquet writer failed earlier; the file is incomplete", w->name);
	else if (w->rg_rows > 0 && flush_row_group(w, err) < 0)
		rc = -1;
	else if (write_footer(w, err) < 0)
		rc = -1;
	writer_free(w);
	return rc;
}

void fp_parquet_writer_abort(struct fp_parquet_writer *w)
{
	writer_free(w);
}

/* ------------------------------------------------------------ as a format writer */

static struct fp_format_writer *parquet_format_open(FILE *out, const char *name, const struct fp_schema *schema,
						    const struct fp_format_options *opts, struct fp_error *err)
{
	struct fp_parquet_writer *w = fp_parquet_writer_open(out, name, schema, &opts->parquet, err);

	return w ? &w->base : NULL;
}

static int parquet_format_write(struct fp_format_writer *w, const struct fp_batch *b, size_t first_row,
				size_t nrows, struct fp_error *err)
{
	return fp_parquet_writer_write_rows((struct fp_parquet_writer *)w, b, first_row, nrows, err);
}

static int parquet_format_finish(struct fp_format_writer *w, struct fp_error *err)
{
	return fp_parquet_writer_close((struct fp_parquet_writer *)w, err);
}

static void parquet_format_abort(struct fp_format_writer *w)
{
	fp_parquet_writer_abort((struct fp_parquet_writer *)w);
}

const struct fp_format_writer_ops fp_parquet_format_writer_ops = {
	parquet_format_open, parquet_format_write, parquet_format_finish, parquet_format_abort,
};
