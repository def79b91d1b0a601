/*
 * parquet-reader.c - the reader half of parquet.h: open a file, check both
 * magics and the footer length, decode the footer, describe its columns as
 * a flat fp_schema, and fill record batches row group by row group.
 *
 * Each call to fp_parquet_reader_next() reads the same number of rows (at
 * most STEP_ROWS at a time) from every column (column-reader.c) and then
 * appends them row by row to the batch. After an error the reader stays
 * failed and repeats its message, because its columns may be at different
 * positions. A file without leaf columns yields no rows.
 *
 * Type mapping: INT96 -> TIMESTAMP (ns, Julian day + nanoseconds), INT64
 * TIMESTAMP(unit) or TIMESTAMP_MILLIS/MICROS -> TIMESTAMP, INT32 (DATE,
 * INT(8|16|32), UINT_8/16) -> INT32, UINT_32 -> INT64, UINT_64 -> INT64 (its
 * bit pattern), FLOAT -> DOUBLE,
 * BYTE_ARRAY with STRING/UTF8/ENUM/JSON -> STRING, other byte arrays ->
 * BINARY, DECIMAL -> its physical value (said in the column info).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/parquet/codec-decompress.h"
#include "format/parquet/column-reader.h"
#include "format/parquet/parquet-format.h"
#include "format/parquet/parquet-meta.h"
#include "format/parquet/parquet.h"

#define MAX_FOOTER ((uint32_t)256 << 20)
/* Rows decoded per column at a time: bounds the columns' scratch memory
 * whatever the batch capacity. */
#define STEP_ROWS 4096
#define LOGICAL_TEXT 80

struct fp_parquet_reader {
	char *path;
	struct pqm_file *meta;
	struct pqc_file file;
	struct fp_parquet_file_info info;
	struct fp_parquet_column_info *cols;
	char (*logical)[LOGICAL_TEXT];
	struct fp_schema *schema;
	struct pqc_column *columns;
	size_t *cursor;			/* emit_rows: value index and data offset per column */
	size_t next_rg;			/* next row group to start */
	int64_t rows_left;		/* in the current row group */
	bool failed;
	struct fp_error failure;	/* the error; repeated by every later call */
};

/* ------------------------------------------------------------ types */

struct mapped {
	enum fp_type type;
	enum fp_time_unit unit;
	bool utc;
};

static const char *unit_name(int unit)
{
	return unit == PQ_TU_MILLIS ? "MILLIS" : unit == PQ_TU_MICROS ? "MICROS" : unit == PQ_TU_NANOS ? "NANOS" : "?";
}

static const char *converted_name(int c)
{
	static const char *const names[] = {
		"UTF8", "MAP", "MAP_KEY_VALUE", "LIST", "ENUM", "DECIMAL", "DATE", "TIME_MILLIS",
		"TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8", "UINT_16", "UINT_32",
		"UINT_64", "INT_8", "INT_16", "INT_32", "INT_64", "JSON", "BSON", "INTERVAL",
	};

	return c >= 0 && c <= PQ_CT_INTERVAL ? names[c] : "";
}

static void logical_text(const struct pqm_element *e, char *buf, size_t size)
{
	const struct pqm_logical *lt = &e->logical;
	static const char *const simple[] = { [PQ_LT_STRING] = "STRING", [PQ_LT_MAP] = "MAP",
					      [PQ_LT_LIST] = "LIST", [PQ_LT_ENUM] = "ENUM",
					      [PQ_LT_DATE] = "DATE", [PQ_LT_UNKNOWN] = "UNKNOWN (always null)",
					      [PQ_LT_JSON] = "JSON", [PQ_LT_BSON] = "BSON",
					      [PQ_LT_UUID] = "UUID", [PQ_LT_FLOAT16] = "FLOAT16 (raw bytes)" };

	if (lt->id == PQ_LT_TIMESTAMP || lt->id == PQ_LT_TIME)
		snprintf(buf, size, "%s(%s%s)", lt->id == PQ_LT_TIME ? "TIME" : "TIMESTAMP", unit_name(lt->unit),
			 lt->utc ? ",utc" : "");
	else if (lt->id == PQ_LT_INTEGER)
		snprintf(buf, size, "INT(%d,%s)", lt->bit_width, lt->is_signed ? "signed" : "unsigned");
	else if (lt->id == PQ_LT_DECIMAL || e->converted == PQ_CT_DECIMAL)
		snprintf(buf, size, "DECIMAL(%d,%d), read as the unscaled physical value",
			 lt->id ? lt->precision : e->precision, lt->id ? lt->scale : e->scale);
	else if (lt->id > 0 && lt->id < (int)(sizeof(simple) / sizeof(simple[0])) && simple[lt->id])
		snprintf(buf, size, "%s", simple[lt->id]);
	else if (e->type == PQ_INT96)
		snprintf(buf, size, "INT96 timestamp, read as TIMESTAMP(NANOS)");
	else
		snprintf(buf, size, "%s", converted_name(e->converted));
}

static bool is_text(const struct pqm_element *e)
{
	int lt = e->logical.id;

	return lt == PQ_LT_STRING || lt == PQ_LT_ENUM || lt == PQ_LT_JSON || e->converted == PQ_CT_UTF8 ||
	       e->converted == PQ_CT_ENUM || e->converted == PQ_CT_JSON;
}

static struct mapped map_type(const struct pqm_element *e)
{
	const struct pqm_logical *lt = &e->logical;
	struct mapped m = { FP_TYPE_INT64, FP_UNIT_MICROS, false };

	switch (e->type) {
	case PQ_BOOLEAN:
		m.type = FP_TYPE_BOOL;
		break;
	case PQ_INT32:
		/* Unsigned 32-bit values do not fit an int32. */
		m.type = e->converted == PQ_CT_UINT_32 ||
				 (lt->id == PQ_LT_INTEGER && !lt->is_signed && lt->bit_width == 32)
			 ? FP_TYPE_INT64 : FP_TYPE_INT32;
		break;
	case PQ_INT64:
		if (lt->id == PQ_LT_TIMESTAMP && lt->unit != 0) {
			m.type = FP_TYPE_TIMESTAMP;
			m.unit = lt->unit == PQ_TU_MILLIS ? FP_UNIT_MILLIS
				 : lt->unit == PQ_TU_MICROS ? FP_UNIT_MICROS : FP_UNIT_NANOS;
			m.utc = lt->utc;
		} else if (lt->id == 0 && (e->converted == PQ_CT_TIMESTAMP_MILLIS ||
					   e->converted == PQ_CT_TIMESTAMP_MICROS)) {
			/* The converted types mean isAdjustedToUTC = true. */
			m.type = FP_TYPE_TIMESTAMP;
			m.unit = e->converted == PQ_CT_TIMESTAMP_MILLIS ? FP_UNIT_MILLIS : FP_UNIT_MICROS;
			m.utc = true;
		}
		break;
	case PQ_INT96:
		m.type = FP_TYPE_TIMESTAMP;
		m.unit = FP_UNIT_NANOS;
		break;
	case PQ_FLOAT:
	case PQ_DOUBLE:
		m.type = FP_TYPE_DOUBLE;
		break;
	case PQ_BYTE_ARRAY:
		m.type = is_text(e) ? FP_TYPE_STRING : FP_TYPE_BINARY;
		break;
	default:
		m.type = FP_TYPE_BINARY;
		break;
	}
	return m;
}

/* ------------------------------------------------------------ open */

static int read_exact(int fd, void *buf, size_t len, off_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got, off + (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* Checks both magics and returns the footer bytes. */
static uint8_t *read_footer(struct fp_parquet_reader *r, int64_t size, uint32_t *len, struct fp_error *err)
{
	uint8_t head[4], tail[8], *buf;

	if (size < 12) {
		fp_error_set(err, "%s: not a Parquet file (only %lld bytes)", r->path, (long long)size);
		return NULL;
	}
	if (read_exact(r->file.fd, head, 4, 0) < 0 || read_exact(r->file.fd, tail, 8, (off_t)(size - 8)) < 0) {
		fp_error_errno(err, "%s: cannot read", r->path);
		return NULL;
	}
	if (memcmp(head, PQ_MAGIC, 4) != 0) {
		fp_error_set(err, "%s: not a Parquet file (no PAR1 magic at the start)", r->path);
		return NULL;
	}
	if (memcmp(tail + 4, "PARE", 4) == 0) {
		fp_error_set(err, "%s: the footer is encrypted, which flowprep does not read", r->path);
		return NULL;
	}
	if (memcmp(tail + 4, PQ_MAGIC, 4) != 0) {
		fp_error_set(err, "%s: no PAR1 magic at the end: truncated or not a Parquet file", r->path);
		return NULL;
	}
	*len = pqd_le32(tail);
	if (*len > (uint64_t)size - 12 || *len > MAX_FOOTER || *len == 0) {
		fp_error_set(err, "%s: footer length %u does not fit in a file of %lld bytes", r->path, *len,
			     (long long)size);
		return NULL;
	}
	buf = malloc(*len);
	if (buf == NULL) {
		fp_error_set(err, "%s: out of memory for a footer of %u bytes", r->path, *len);
		return NULL;
	}
	if (read_exact(r->file.fd, buf, *len, (off_t)(size - 8 - *len)) < 0) {
		fp_error_errno(err, "%s: cannot read the footer", r->path);
		free(buf);
		return NULL;
	}
	return buf;
}

static int check_row_groups(struct fp_parquet_reader *r, struct fp_error *err)
{
	const struct pqm_file *m = r->meta;

	for (size_t i = 0; i < m->nrow_groups; i++) {
		const struct pqm_row_group *g = &m->row_groups[i];

		if (g->ncolumns != m->nleaves)
			return fp_error_set(err, "%s: footer: row group %zu has %zu column chunks for %zu schema "
					    "columns", r->path, i, g->ncolumns, m->nleaves);
		for (size_t j = 0; j < g->ncolumns; j++) {
			int codec = g->columns[j].meta.codec;

			if (g->columns[j].has_meta && codec >= 0 && codec < 32)
				r->info.codecs_used |= UINT32_C(1) << codec;
		}
	}
	return 0;
}

static int describe(struct fp_parquet_reader *r, struct fp_error *err)
{
	const struct pqm_file *m = r->meta;
	size_t n = m->nleaves;

	r->cols = calloc(n ? n : 1, sizeof(*r->cols));
	r->logical = calloc(n ? n : 1, sizeof(*r->logical));
	r->columns = calloc(n ? n : 1, sizeof(*r->columns));
	r->cursor = calloc(n ? 2 * n : 1, sizeof(*r->cursor));
	r->schema = fp_schema_new("parquet", "");
	if (r->cols == NULL || r->logical == NULL || r->columns == NULL || r->cursor == NULL || r->schema == NULL)
		return fp_error_set(err, "%s: out of memory", r->path);
	for (size_t i = 0; i < n; i++) {
		const struct pqm_leaf *leaf = &m->leaves[i];
		struct mapped t = map_type(leaf->el);
		struct fp_field *f;

		logical_text(leaf->el, r->logical[i], LOGICAL_TEXT);
		r->cols[i].name = leaf->name;
		r->cols[i].physical = pqm_type_name(leaf->el->type);
		r->cols[i].logical = r->logical[i];
		r->cols[i].nullable = leaf->max_def > 0;
		r->cols[i].supported = leaf->unsupported == NULL;
		f = fp_schema_add(r->schema, leaf->name, t.type, leaf->max_def > 0);
		if (f == NULL)
			return fp_error_set(err, "%s: out of memory", r->path);
		f->time_unit = t.unit;
		f->time_utc = t.utc;
		pqc_init(&r->columns[i], &r->file, leaf);
	}
	r->info.num_rows = m->num_rows;
	r->info.num_row_groups = m->nrow_groups;
	r->info.num_columns = n;
	r->info.created_by = m->created_by;
	return 0;
}

struct fp_parquet_reader *fp_parquet_reader_open(const char *path, struct fp_error *err)
{
	struct fp_parquet_reader *r = calloc(1, sizeof(*r));
	struct stat st;
	uint8_t *footer;
	uint32_t len;

	if (r == NULL || (r->path = strdup(path)) == NULL) {
		fp_error_set(err, "%s: out of memory", path);
		free(r);
		return NULL;
	}
	r->file.path = r->path;
	r->file.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->file.fd < 0) {
		fp_error_errno(err, "%s", path);
		goto fail;
	}
	if (fstat(r->file.fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fp_error_set(err, "%s: not a regular file", path);
		goto fail;
	}
	footer = read_footer(r, (int64_t)st.st_size, &len, err);
	if (footer == NULL)
		goto fail;
	r->meta = pqm_file_parse(footer, len, err);
	free(footer);
	if (r->meta == NULL) {
		fp_error_prefix(err, "%s: footer", path);
		goto fail;
	}
	r->file.data_end = (int64_t)st.st_size - 8 - (int64_t)len;
	r->file.z = pqz_new();
	if (r->file.z == NULL) {
		fp_error_set(err, "%s: out of memory", path);
		goto fail;
	}
	if (check_row_groups(r, err) < 0 || describe(r, err) < 0)
		goto fail;
	return r;
fail:
	fp_parquet_reader_close(r);
	return NULL;
}

void fp_parquet_reader_close(struct fp_parquet_reader *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; r->columns != NULL && i < r->info.num_columns; i++)
		pqc_free(&r->columns[i]);
	free(r->columns);
	free(r->cursor);
	if (r->schema != NULL)
		fp_schema_free(r->schema);
	free(r->cols);
	free(r->logical);
	pqm_file_free(r->meta);
	pqz_free(r->file.z);
	if (r->file.fd >= 0)
		close(r->file.fd);
	free(r->path);
	free(r);
}

const struct fp_parquet_file_info *fp_parquet_reader_info(const struct fp_parquet_reader *r)
{
	return &r->info;
}

const struct fp_parquet_column_info *fp_parquet_reader_column(const struct fp_parquet_reader *r, size_t i)
{
	return i < r->info.num_columns ? &r->cols[i] : NULL;
}

const struct fp_schema *fp_parquet_reader_schema(const struct fp_parquet_reader *r)
{
	return r->schema;
}

/* ------------------------------------------------------------ rows */

/* Starts the next row group that has rows; 0 when there is none. */
static int start_row_group(struct fp_parquet_reader *r, struct fp_error *err)
{
	const struct pqm_file *m = r->meta;

	while (r->next_rg < m->nrow_groups) {
		const struct pqm_row_group *g = &m->row_groups[r->next_rg++];

		if (g->num_rows == 0)
			continue;
		for (size_t i = 0; i < r->info.num_columns; i++) {
			if (pqc_start_chunk(&r->columns[i], r->next_rg - 1, &g->columns[i], g->num_rows, err) < 0)
				return -1;
		}
		r->rows_left = g->num_rows;
		return 1;
	}
	return 0;
}

/* Appends n rows: the batch API fills one row (every column) at a time. */
static int emit_rows(struct fp_parquet_reader *r, struct fp_batch *out, size_t n, struct fp_error *err)
{
	size_t ncols = r->info.num_columns;
	size_t *v = r->cursor, *off = r->cursor + ncols;

	memset(r->cursor, 0, 2 * ncols * sizeof(*r->cursor));
	for (size_t row = 0; row < n; row++) {
		for (size_t col = 0; col < ncols; col++) {
			const struct pqc_column *c = &r->columns[col];

			if (!c->valid[row]) {
				fp_batch_put_null(out, col);
				continue;
			}
			switch (out->schema->fields[col].type) {
			case FP_TYPE_BOOL: fp_batch_put_bool(out, col, c->vals.i[v[col]] != 0); break;
			case FP_TYPE_INT32: fp_batch_put_i32(out, col, (int32_t)c->vals.i[v[col]]); break;
			case FP_TYPE_INT64:
			case FP_TYPE_TIMESTAMP: fp_batch_put_i64(out, col, c->vals.i[v[col]]); break;
			case FP_TYPE_DOUBLE: fp_batch_put_f64(out, col, c->vals.f[v[col]]); break;
			case FP_TYPE_STRING:
			case FP_TYPE_BINARY:
				if (fp_batch_put_bytes(out, col, c->vals.data + off[col], c->vals.len[v[col]]) < 0)
					return fp_error_set(err, "%s: column '%s': out of memory for string data",
							    r->path, c->leaf->name);
				off[col] += c->vals.len[v[col]];
				break;
			}
			v[col]++;
		}
		fp_batch_end_row(out);
	}
	return 0;
}

static int check_batch(const struct fp_parquet_reader *r, const struct fp_batch *out, struct fp_error *err)
{
	const struct fp_schema *s = out->schema;

	for (size_t i = 0; i < r->info.num_columns; i++) {
		if (r->meta->leaves[i].unsupported != NULL)
			return fp_error_set(err, "%s: column '%s': %s", r->path, r->meta->leaves[i].name,
					    r->meta->leaves[i].unsupported);
	}
	if (s == NULL || s->nfields != r->schema->nfields)
		return fp_error_set(err, "%s: the batch's schema is not the reader's", r->path);
	for (size_t i = 0; i < s->nfields; i++) {
		if (s->fields[i].type != r->schema->fields[i].type)
			return fp_error_set(err, "%s: the batch's schema is not the reader's (column %zu)", r->path, i);
	}
	if (out->capacity == 0)
		return fp_error_set(err, "%s: the batch has no room for rows", r->path);
	return 0;
}

/* Fills `out`; errors go to r->failure. */
static long next_rows(struct fp_parquet_reader *r, struct fp_batch *out)
{
	struct fp_error *err = &r->failure;

	if (check_batch(r, out, err) < 0)
		return -1;
	fp_batch_clear(out);
	/* A table without columns has nothing to yield, whatever its row count. */
	while (out->nrows < out->capacity && r->info.num_columns > 0) {
		size_t n = out->capacity - out->nrows;

		if (r->rows_left == 0) {
			int rc = start_row_group(r, err);

			if (rc < 0)
				return -1;
			if (rc == 0)
				break;
		}
		if ((int64_t)n > r->rows_left)
			n = (size_t)r->rows_left;
		if (n > STEP_ROWS)
			n = STEP_ROWS;
		for (size_t i = 0; i < r->info.num_columns; i++) {
			if (pqc_read(&r->columns[i], n, err) < 0)
				return -1;
		}
		if (emit_rows(r, out, n, err) < 0)
			return -1;
		r->rows_left -= (int64_t)n;
	}
	return (long)out->nrows;
}

long fp_parquet_reader_next(struct fp_parquet_reader *r, struct fp_batch *out, struct fp_error *err)
{
	long n = r->failed ? -1 : next_rows(r, out);

	if (n < 0) {
		r->failed = true;
		if (err != NULL)
			*err = r->failure;
	}
	return n;
}
