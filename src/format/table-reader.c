/*
 * table-reader.c - dispatch to the reader of a table's format, recognised
 * by its first bytes (table-reader.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/csv/csv.h"
#include "format/json/jsonl-reader.h"
#include "format/table-reader.h"
#include "format/text/text-reader.h"
#include "format/zeek/zeek-reader.h"

#define HEAD_BYTES 65536	/* enough for a header line of any real export */

struct fp_table_reader {
	enum fp_table_format format;
	struct fp_parquet_reader *parquet;
	struct fp_csv_reader *csv;
	struct fp_text_reader *text;
	struct fp_jsonl_reader *jsonl;
	struct fp_zeek_reader *zeek;
};

const char *fp_table_format_name(enum fp_table_format f)
{
	switch (f) {
	case FP_TABLE_PARQUET: return "parquet";
	case FP_TABLE_CSV: return "csv";
	case FP_TABLE_JSONL: return "jsonl";
	case FP_TABLE_ZEEK: return "zeek";
	}
	return "?";
}

/* The file's first bytes (at most HEAD_BYTES); -1 if it cannot be read. */
static long read_head(const char *path, char *head)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(head, 1, HEAD_BYTES, f);
	fclose(f);
	return (long)n;
}

static enum fp_table_format detect(const char *head, size_t n)
{
	if (n >= 4 && memcmp(head, "PAR1", 4) == 0)
		return FP_TABLE_PARQUET;
	if (fp_zeek_looks_like(head, n))
		return FP_TABLE_ZEEK;
	if (fp_jsonl_looks_like(head, n))
		return FP_TABLE_JSONL;
	return FP_TABLE_CSV;
}

static void open_csv(struct fp_table_reader *t, const char *path, const char *head, size_t n,
		     const struct fp_table_options *o, struct fp_error *err)
{
	struct fp_csv_read_options co;

	if (o->text_as_strings) {
		size_t bom = n >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		t->text = fp_text_reader_open(path, fp_text_sniff_delimiter(head + bom, n - bom), err);
		return;
	}
	/* The typed reader (peek) keeps its comma. Tables from other tools
	 * often carry stray non-UTF-8 bytes (CIC-IDS2017's labels have a
	 * CP1252 dash): show them as U+FFFD rather than refusing the file. */
	fp_csv_read_options_defaults(&co);
	co.replace_invalid_utf8 = true;
	t->csv = fp_csv_reader_open(path, &co, err);
}

struct fp_table_reader *fp_table_open_with(const char *path, const struct fp_table_options *o, struct fp_error *err)
{
	struct fp_table_reader *t = calloc(1, sizeof(*t));
	char *head = malloc(HEAD_BYTES);
	long n;

	if (t == NULL || head == NULL) {
		free(t);
		free(head);
		fp_error_set(err, "out of memory");
		return NULL;
	}
	n = read_head(path, head);
	if (n < 0) {
		fp_error_errno(err, "%s", path);
		goto fail;
	}
	t->format = detect(head, (size_t)n);
	switch (t->format) {
	case FP_TABLE_PARQUET: t->parquet = fp_parquet_reader_open(path, err); break;
	case FP_TABLE_ZEEK: t->zeek = fp_zeek_reader_open(path, err); break;
	case FP_TABLE_JSONL: t->jsonl = fp_jsonl_reader_open(path, err); break;
	case FP_TABLE_CSV: open_csv(t, path, head, (size_t)n, o, err); break;
	}
	if (t->parquet || t->csv || t->text || t->jsonl || t->zeek) {
		free(head);
		return t;
	}
fail:
	free(head);
	free(t);
	return NULL;
}

struct fp_table_reader *fp_table_open(const char *path, struct fp_error *err)
{
	struct fp_table_options o = { false };

	return fp_table_open_with(path, &o, err);
}

void fp_table_close(struct fp_table_reader *t)
{
	if (t == NULL)
		return;
	if (t->parquet)
		fp_parquet_reader_close(t->parquet);
	if (t->csv)
		fp_csv_reader_close(t->csv);
	fp_text_reader_close(t->text);
	fp_jsonl_reader_close(t->jsonl);
	fp_zeek_reader_close(t->zeek);
	free(t);
}

enum fp_table_format fp_table_format(const struct fp_table_reader *t)
{
	return t->format;
}

const struct fp_schema *fp_table_schema(const struct fp_table_reader *t)
{
	if (t->parquet)
		return fp_parquet_reader_schema(t->parquet);
	if (t->csv)
		return fp_csv_reader_schema(t->csv);
	if (t->text)
		return fp_text_reader_schema(t->text);
	if (t->jsonl)
		return fp_jsonl_reader_schema(t->jsonl);
	return fp_zeek_reader_schema(t->zeek);
}

struct fp_parquet_reader *fp_table_parquet(struct fp_table_reader *t)
{
	return t->parquet;
}

long fp_table_next(struct fp_table_reader *t, struct fp_batch *b, struct fp_error *err)
{
	if (t->parquet)
		return fp_parquet_reader_next(t->parquet, b, err);
	if (t->csv)
		return fp_csv_reader_next(t->csv, b, err);
	if (t->text)
		return fp_text_reader_next(t->text, b, err);
	if (t->jsonl)
		return fp_jsonl_reader_next(t->jsonl, b, err);
	return fp_zeek_reader_next(t->zeek, b, err);
}

uint64_t fp_table_skipped(const struct fp_table_reader *t, uint64_t *first_line)
{
	*first_line = 0;
	if (t->text)
		return fp_text_reader_skipped(t->text, first_line);
	if (t->jsonl)
		return fp_jsonl_reader_skipped(t->jsonl, first_line);
	if (t->zeek)
		return fp_zeek_reader_skipped(t->zeek, first_line);
	return 0;
}

uint64_t fp_table_unknown_keys(const struct fp_table_reader *t)
{
	return t->jsonl ? fp_jsonl_reader_unknown_keys(t->jsonl) : 0;
}
