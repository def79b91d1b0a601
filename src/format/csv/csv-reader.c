/*
 * csv-reader.c - CSV files into record batches (the dialect is described
 * in csv.h, the tokenizer is csv-parse.c).
 *
 * Opening reads the header and then the first `infer_rows` records, which
 * decide each column's type: int64 if every non-empty value is an integer
 * that fits, else double if every one is a number (nan/inf forms included),
 * else bool if every one is true/false, else string; a column without any
 * value is a string. Those records are kept (one byte buffer and one field
 * array, nothing per value) and replayed by fp_csv_reader_next() before
 * the rest of the file is streamed, so the input is read exactly once and
 * memory stays bounded: the sample (SAMPLE_BUDGET bytes plus one record at
 * most) and the current record.
 *
 * Null: an empty field, or (in a typed column) one of only spaces/tabs. In
 * a string column a quoted empty field "" is an empty string. Numbers and
 * booleans may have surrounding spaces. A later value that does not fit the
 * inferred type is an error naming the file, the line and the column.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format/csv/csv-number.h"
#include "format/csv/csv-parse.h"
#include "format/csv/csv.h"
#include "lib/grow.h"
#include "lib/hash.h"
#include "lib/utf8.h"

#define MAX_RECORD_LIMIT (1u << 30)	/* field offsets are 32-bit */
#define SAMPLE_BUDGET (64u << 20)	/* sampling stops early past this many bytes */

struct sample_row {
	size_t bytes_off;	/* into sample_bytes */
	uint64_t line;
};

struct column_guess {
	bool seen, can_int, can_double, can_bool;
};

struct fp_csv_reader {
	struct fp_csv_parser parser;
	FILE *owned;		/* the file we opened, or NULL */
	char *name;
	struct fp_csv_read_options opt;
	struct fp_schema *schema;
	size_t ncols;

	/* the sampled records: fields[i * ncols + col] of row i */
	char *sample_bytes;
	size_t sample_len, sample_cap;
	struct fp_csv_field *sample_fields;
	struct sample_row *sample_rows;
	size_t sample_nrows, sample_next;

	size_t inferred_rows;	/* rows the types were inferred from */
	bool at_end, failed;
	uint64_t last_line;
	char *scratch;		/* U+FFFD-repaired strings */
	size_t scratch_cap;
};

void fp_csv_read_options_defaults(struct fp_csv_read_options *o)
{
	memset(o, 0, sizeof(*o));
	o->delimiter = ',';
	o->infer_rows = FP_CSV_DEFAULT_INFER_ROWS;
	o->max_record_bytes = FP_CSV_DEFAULT_MAX_RECORD;
}

/* ------------------------------------------------------------ UTF-8 */

/* Valid text as is; else (if allowed) a copy in r->scratch with every
 * byte of an invalid sequence replaced by U+FFFD. Returns 0, or -1 with
 * the offset of the first bad byte (*bad_at = SIZE_MAX: out of memory). */
static int utf8_text(struct fp_csv_reader *r, const char *s, const char **text, size_t *len, size_t *bad_at)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = *len, i = fp_utf8_valid_prefix(u, n), out = 0;

	*text = s;
	if (i == n)
		return 0;
	*bad_at = i;
	if (!r->opt.replace_invalid_utf8)
		return -1;
	if (r->scratch_cap < 3 * n) {
		char *sc = realloc(r->scratch, 3 * n);
		if (sc == NULL) {
			*bad_at = SIZE_MAX;
			return -1;
		}
		r->scratch = sc;
		r->scratch_cap = 3 * n;
	}
	i = 0;
	while (i < n) {
		size_t ok = fp_utf8_valid_prefix(u + i, n - i);

		memcpy(r->scratch + out, u + i, ok);
		out += ok;
		i += ok;
		if (i < n) {
			memcpy(r->scratch + out, FP_UTF8_REPLACEMENT, 3);
			out += 3;
			i++;
		}
	}
	*len = out;
	*text = r->scratch;
	return 0;
}

/* ------------------------------------------------------------ messages */

/* A value quoted for a message: at most ~40 bytes, unprintables escaped. */
static void excerpt(const char *s, size_t n, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i == 40) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\'')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
	}
	out[o] = '\0';
}

static int value_error(struct fp_csv_reader *r, uint64_t line, size_t col, const char *v, size_t n,
		       const char *what, struct fp_error *err)
{
	char text[200];

	excerpt(v, n, text, sizeof(text));
	return fp_error_set(err, "%s: line %" PRIu64 ", column '%s': '%s' %s (the column's type was inferred"
			    " from the first %zu rows)", r->name, line, r->schema->fields[col].name, text, what,
			    r->inferred_rows);
}

static int utf8_error(struct fp_csv_reader *r, uint64_t line, const char *where, size_t bad_at,
		      const char *value, struct fp_error *err)
{
	unsigned char byte;

	if (bad_at == SIZE_MAX)
		return fp_error_set(err, "%s: line %" PRIu64 ": out of memory", r->name, line);
	byte = (unsigned char)value[bad_at];
	return fp_error_set(err, "%s: line %" PRIu64 ", %s: invalid UTF-8 (byte 0x%02x at offset %zu); the file"
			    " may be Latin-1/CP1252 (invalid bytes can be replaced by U+FFFD)", r->name, line,
			    where, byte, bad_at);
}

static int width_error(struct fp_csv_reader *r, struct fp_error *err)
{
	const struct fp_csv_parser *p = &r->parser;

	return fp_error_set(err, "%s: line %" PRIu64 " has %zu field%s, but the header has %zu", r->name,
			    p->rec_line, p->nfields, p->nfields == 1 ? "" : "s", r->ncols);
}

/* ------------------------------------------------------------ header */

/*
 * The header's names so far, for making repeats unique in linear time even
 * for a hostile header of 100000 equal names: each entry remembers the
 * next suffix to try for names that repeat it.
 */
struct name_entry {
	const char *name;	/* owned by the schema */
	unsigned next_suffix;
};

struct name_set {
	struct name_entry *slots;
	size_t mask;
};

static uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a, then mixed */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return fp_mix64(h);
}

/* The entry for `name`, or the empty slot where it would go. */
static struct name_entry *name_slot(struct name_set *set, const char *name)
{
	size_t i = (size_t)name_hash(name) & set->mask;

	while (set->slots[i].name && strcmp(set->slots[i].name, name) != 0)
		i = (i + 1) & set->mask;
	return &set->slots[i];
}

/* Adds a column named after header field `i`: an empty name becomes
 * column_<i+1>, a repeated one gets .1, .2... like pandas. */
static int add_column(struct fp_csv_reader *r, struct name_set *set, size_t i, const char *text, size_t len,
		      struct fp_error *err)
{
	char where[64], *name = NULL, *unique = NULL;
	struct name_entry *e;
	struct fp_field *f = NULL;
	size_t bad_at = 0;
	const char *t;

	snprintf(where, sizeof(where), "header field %zu", i + 1);
	if (utf8_text(r, text, &t, &len, &bad_at) < 0)
		return utf8_error(r, r->parser.rec_line, where, bad_at, text, err);
	if (len > 0)
		name = strndup(t, len);
	else if (asprintf(&name, "column_%zu", i + 1) < 0)
		name = NULL;
	if (name == NULL)
		goto fail;
	e = name_slot(set, name);
	if (e->name) {
		struct name_entry *base = e;
		unsigned k = base->next_suffix ? base->next_suffix : 1;
		for (;; k++) {
			free(unique);
			if (asprintf(&unique, "%s.%u", name, k) < 0) {
				unique = NULL;
				goto fail;
			}
			e = name_slot(set, unique);
			if (e->name == NULL)
				break;
		}
		base->next_suffix = k + 1;
	}
	f = fp_schema_add(r->schema, unique ? unique : name, FP_TYPE_STRING, true);
	if (f == NULL)
		goto fail;
	e->name = f->name;
	e->next_suffix = 0;
	free(name);
	free(unique);
	return 0;
fail:
	free(name);
	free(unique);
	return fp_error_set(err, "%s: out of memory", r->name);
}

static int read_header(struct fp_csv_reader *r, struct fp_error *err)
{
	struct fp_csv_parser *p = &r->parser;
	struct name_set set;
	int rc;

	p->max_fields = FP_CSV_MAX_COLUMNS;
	rc = fp_csv_parser_next(p, err);
	if (rc <= 0) {
		r->at_end = true;	/* an empty file: no columns, no rows */
		return rc;
	}
	if (p->nfields > FP_CSV_MAX_COLUMNS)
		return fp_error_set(err, "%s: line %" PRIu64 ": %zu columns, more than flowprep's limit of %d",
				    r->name, p->rec_line, p->nfields, FP_CSV_MAX_COLUMNS);
	set.mask = 1;
	while (set.mask < 2 * p->nfields)
		set.mask <<= 1;
	set.slots = calloc(set.mask, sizeof(*set.slots));
	set.mask--;
	if (set.slots == NULL)
		return fp_error_set(err, "%s: out of memory", r->name);
	for (size_t i = 0; i < p->nfields; i++) {
		if (add_column(r, &set, i, p->rec + p->fields[i].off, p->fields[i].len, err) < 0) {
			free(set.slots);
			return -1;
		}
	}
	free(set.slots);
	r->ncols = p->nfields;
	p->max_fields = r->ncols;	/* a longer record is counted, not stored */
	r->last_line = p->rec_line;
	return 0;
}

/* ------------------------------------------------------------ inference */

static void guess_value(struct column_guess *g, const char *v, size_t n)
{
	int64_t i;
	double d;
	bool b;

	v = fp_csv_trim(v, &n);
	if (n == 0)
		return;		/* a null says nothing about the type */
	g->seen = true;
	if (g->can_int && fp_csv_parse_i64(v, n, &i) < 0)
		g->can_int = false;
	if (g->can_double && !g->can_int && fp_csv_parse_double(v, n, &d) < 0)
		g->can_double = false;
	if (g->can_bool && fp_csv_parse_bool(v, n, &b) < 0)
		g->can_bool = false;
}

static enum fp_type guessed_type(const struct column_guess *g)
{
	if (!g->seen)
		return FP_TYPE_STRING;
	if (g->can_int)
		return FP_TYPE_INT64;
	if (g->can_double)
		return FP_TYPE_DOUBLE;
	if (g->can_bool)
		return FP_TYPE_BOOL;
	return FP_TYPE_STRING;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	return fp_grow(p, cap, need, elem, 16);
}

/* Copies the parser's current record into the sample. */
static int keep_record(struct fp_csv_reader *r, size_t *rows_cap, size_t *fields_cap)
{
	const struct fp_csv_parser *p = &r->parser;
	size_t n = r->sample_nrows;

	/* + 1: never a NULL buffer, even for records of empty fields */
	if (grow((void **)&r->sample_bytes, &r->sample_cap, r->sample_len + p->rec_len + 1, 1) < 0 ||
	    grow((void **)&r->sample_rows, rows_cap, n + 1, sizeof(*r->sample_rows)) < 0 ||
	    grow((void **)&r->sample_fields, fields_cap, (n + 1) * r->ncols, sizeof(*r->sample_fields)) < 0)
		return -1;
	if (p->rec_len > 0)
		memcpy(r->sample_bytes + r->sample_len, p->rec, p->rec_len);
	memcpy(r->sample_fields + n * r->ncols, p->fields, r->ncols * sizeof(*p->fields));
	r->sample_rows[n].bytes_off = r->sample_len;
	r->sample_rows[n].line = p->rec_line;
	r->sample_len += p->rec_len;
	r->sample_nrows++;
	return 0;
}

static int infer_types(struct fp_csv_reader *r, struct fp_error *err)
{
	struct fp_csv_parser *p = &r->parser;
	struct column_guess *g = calloc(r->ncols, sizeof(*g));
	size_t rows_cap = 0, fields_cap = 0;
	int rc = -1;

	if (g == NULL)
		return fp_error_set(err, "%s: out of memory", r->name);
	for (size_t c = 0; c < r->ncols; c++)
		g[c].can_int = g[c].can_double = g[c].can_bool = true;
	while (r->sample_nrows < r->opt.infer_rows && r->sample_len < SAMPLE_BUDGET) {
		int got = fp_csv_parser_next(p, err);
		if (got < 0)
			goto out;
		if (got == 0) {
			r->at_end = true;
			break;
		}
		if (p->nfields != r->ncols) {
			width_error(r, err);
			goto out;
		}
		if (keep_record(r, &rows_cap, &fields_cap) < 0) {
			fp_error_set(err, "%s: out of memory", r->name);
			goto out;
		}
		for (size_t c = 0; c < r->ncols; c++)
			guess_value(&g[c], p->rec + p->fields[c].off, p->fields[c].len);
	}
	for (size_t c = 0; c < r->ncols; c++)
		r->schema->fields[c].type = guessed_type(&g[c]);
	r->inferred_rows = r->sample_nrows;
	rc = 0;
out:
	free(g);
	return rc;
}

/* ------------------------------------------------------------ rows */

static int put_string(struct fp_csv_reader *r, struct fp_batch *b, size_t col, const char *v, size_t n,
		      uint64_t line, struct fp_error *err)
{
	size_t bad_at = 0;
	const char *t;

	if (utf8_text(r, v, &t, &n, &bad_at) < 0) {
		char where[FP_ERROR_MAX / 2];
		snprintf(where, sizeof(where), "column '%s'", r->schema->fields[col].name);
		return utf8_error(r, line, where, bad_at, v, err);
	}
	if (fp_batch_put_bytes(b, col, t, n) < 0)
		return fp_error_set(err, "%s: line %" PRIu64 ": out of memory for column '%s'", r->name, line,
				    r->schema->fields[col].name);
	return 0;
}

static int put_field(struct fp_csv_reader *r, struct fp_batch *b, size_t col, const char *v,
		     const struct fp_csv_field *f, uint64_t line, struct fp_error *err)
{
	enum fp_type type = r->schema->fields[col].type;
	size_t n = f->len;
	const char *t;
	int64_t i;
	double d;
	bool flag;

	if (type == FP_TYPE_STRING) {
		if (n == 0 && !f->quoted) {
			fp_batch_put_null(b, col);
			return 0;
		}
		return put_string(r, b, col, v, n, line, err);
	}
	t = fp_csv_trim(v, &n);
	if (n == 0) {
		fp_batch_put_null(b, col);
		return 0;
	}
	switch (type) {
	case FP_TYPE_INT64:
		if (fp_csv_parse_i64(t, n, &i) < 0)
			return value_error(r, line, col, v, f->len, "is not an integer that fits int64", err);
		fp_batch_put_i64(b, col, i);
		return 0;
	case FP_TYPE_DOUBLE:
		if (fp_csv_parse_double(t, n, &d) < 0)
			return value_error(r, line, col, v, f->len, "is not a number", err);
		fp_batch_put_f64(b, col, d);
		return 0;
	case FP_TYPE_BOOL:
		if (fp_csv_parse_bool(t, n, &flag) < 0)
			return value_error(r, line, col, v, f->len, "is not true or false", err);
		fp_batch_put_bool(b, col, flag);
		return 0;
	default:
		return fp_error_set(err, "%s: column '%s' has a type the CSV reader does not produce", r->name,
				    r->schema->fields[col].name);
	}
}

static int put_row(struct fp_csv_reader *r, struct fp_batch *b, const char *bytes, const struct fp_csv_field *f,
		   uint64_t line, struct fp_error *err)
{
	for (size_t c = 0; c < r->ncols; c++)
		if (put_field(r, b, c, bytes + f[c].off, &f[c], line, err) < 0)
			return -1;
	fp_batch_end_row(b);
	r->last_line = line;
	return 0;
}

static void drop_sample(struct fp_csv_reader *r)
{
	free(r->sample_bytes);
	free(r->sample_fields);
	free(r->sample_rows);
	r->sample_bytes = NULL;
	r->sample_fields = NULL;
	r->sample_rows = NULL;
	r->sample_nrows = r->sample_next = 0;
}

/* One row into `b`: 1, 0 at the end, -1 on error. */
static int next_row(struct fp_csv_reader *r, struct fp_batch *b, struct fp_error *err)
{
	struct fp_csv_parser *p = &r->parser;
	int got;

	if (r->sample_next < r->sample_nrows) {
		const struct sample_row *s = &r->sample_rows[r->sample_next];
		const struct fp_csv_field *f = r->sample_fields + r->sample_next * r->ncols;

		if (put_row(r, b, r->sample_bytes + s->bytes_off, f, s->line, err) < 0)
			return -1;
		if (++r->sample_next == r->sample_nrows)
			drop_sample(r);
		return 1;
	}
	if (r->at_end)
		return 0;
	got = fp_csv_parser_next(p, err);
	if (got <= 0) {
		r->at_end = true;
		return got;
	}
	if (p->nfields != r->ncols)
		return width_error(r, err);
	return put_row(r, b, p->rec, p->fields, p->rec_line, err) < 0 ? -1 : 1;
}

static int check_batch(const struct fp_csv_reader *r, const struct fp_batch *b, struct fp_error *err)
{
	if (b->schema->nfields != r->ncols)
		return fp_error_set(err, "%s: a batch of %zu columns for a CSV of %zu", r->name,
				    b->schema->nfields, r->ncols);
	for (size_t c = 0; c < r->ncols; c++)
		if (b->cols[c].type != r->schema->fields[c].type)
			return fp_error_set(err, "%s: column '%s' is %s in the batch but %s in the file", r->name,
					    r->schema->fields[c].name, fp_type_name(b->cols[c].type),
					    fp_type_name(r->schema->fields[c].type));
	return 0;
}

long fp_csv_reader_next(struct fp_csv_reader *r, struct fp_batch *out, struct fp_error *err)
{
	if (r->failed)
		return fp_error_set(err, "%s: reading stopped at an earlier error", r->name);
	if (check_batch(r, out, err) < 0)
		return -1;
	fp_batch_clear(out);
	while (!fp_batch_full(out)) {
		int got = next_row(r, out, err);
		if (got < 0) {
			r->failed = true;
			return -1;
		}
		if (got == 0)
			break;
	}
	return (long)out->nrows;
}

/* ------------------------------------------------------------ open/close */

static int check_options(const struct fp_csv_read_options *o, const char *name, struct fp_error *err)
{
	char d = o->delimiter;

	if (d == '"' || d == '\r' || d == '\n' || d == '\0' || (unsigned char)d >= 0x80)
		return fp_error_set(err, "%s: the delimiter must be a single ASCII character other than a quote or"
				    " a line end", name);
	return 0;
}

struct fp_csv_reader *fp_csv_reader_open_stream(FILE *in, const char *name, const struct fp_csv_read_options *opts,
						struct fp_error *err)
{
	struct fp_csv_reader *r = calloc(1, sizeof(*r));

	if (name == NULL)
		name = "(csv)";
	if (r == NULL || (r->name = strdup(name)) == NULL || (r->schema = fp_schema_new("csv", "")) == NULL) {
		fp_error_set(err, "%s: out of memory", name);
		goto fail;
	}
	if (opts)
		r->opt = *opts;
	else
		fp_csv_read_options_defaults(&r->opt);
	if (r->opt.infer_rows == 0)
		r->opt.infer_rows = FP_CSV_DEFAULT_INFER_ROWS;
	if (r->opt.max_record_bytes == 0)
		r->opt.max_record_bytes = FP_CSV_DEFAULT_MAX_RECORD;
	if (r->opt.max_record_bytes > MAX_RECORD_LIMIT)
		r->opt.max_record_bytes = MAX_RECORD_LIMIT;
	if (check_options(&r->opt, name, err) < 0)
		goto fail;
	if (fp_csv_parser_init(&r->parser, in, r->name, r->opt.delimiter, r->opt.max_record_bytes, err) < 0)
		goto fail;
	if (read_header(r, err) < 0 || (!r->at_end && infer_types(r, err) < 0))
		goto fail;
	return r;
fail:
	fp_csv_reader_close(r);
	return NULL;
}

struct fp_csv_reader *fp_csv_reader_open(const char *path, const struct fp_csv_read_options *opts,
					 struct fp_error *err)
{
	bool std = strcmp(path, "-") == 0;
	FILE *in = std ? stdin : fopen(path, "rb");
	struct fp_csv_reader *r;

	if (in == NULL) {
		fp_error_errno(err, "%s", path);
		return NULL;
	}
	r = fp_csv_reader_open_stream(in, std ? "(stdin)" : path, opts, err);
	if (r == NULL) {
		if (!std)
			fclose(in);
		return NULL;
	}
	if (!std)
		r->owned = in;
	return r;
}

void fp_csv_reader_close(struct fp_csv_reader *r)
{
	if (r == NULL)
		return;
	fp_csv_parser_free(&r->parser);
	if (r->owned)
		fclose(r->owned);
	drop_sample(r);
	fp_schema_free(r->schema);
	free(r->scratch);
	free(r->name);
	free(r);
}

const struct fp_schema *fp_csv_reader_schema(const struct fp_csv_reader *r)
{
	return r->schema;
}

uint64_t fp_csv_reader_line(const struct fp_csv_reader *r)
{
	return r->last_line;
}
