/*
 * table-reader.c - dispatch to the Parquet or the CSV reader by content.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/csv/csv.h"
#include "format/table-reader.h"

struct fp_table_reader {
	enum fp_table_format format;
	struct fp_parquet_reader *parquet;
	struct fp_csv_reader *csv;
};

static int has_parquet_magic(const char *path)
{
	char magic[4];
	FILE *f = fopen(path, "rb");
	int yes;

	if (f == NULL)
		return 0;
	yes = fread(magic, 1, 4, f) == 4 && memcmp(magic, "PAR1", 4) == 0;
	fclose(f);
	return yes;
}

struct fp_table_reader *fp_table_open(const char *path, struct fp_error *err)
{
	struct fp_table_reader *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		fp_error_set(err, "out of memory");
		return NULL;
	}
	if (has_parquet_magic(path)) {
		t->format = FP_TABLE_PARQUET;
		t->parquet = fp_parquet_reader_open(path, err);
	} else {
		/* Tables from other tools often carry stray non-UTF-8 bytes
		 * (CIC-IDS2017's labels have a CP1252 dash): show them as U+FFFD
		 * rather than refusing the file. */
		struct fp_csv_read_options o;
		fp_csv_read_options_defaults(&o);
		o.replace_invalid_utf8 = true;
		t->format = FP_TABLE_CSV;
		t->csv = fp_csv_reader_open(path, &o, err);
	}
	if (t->parquet == NULL && t->csv == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void fp_table_close(struct fp_table_reader *t)
{
	if (t == NULL)
		return;
	if (t->parquet)
		fp_parquet_reader_close(t->parquet);
	if (t->csv)
		fp_csv_reader_close(t->csv);
	free(t);
}

enum fp_table_format fp_table_format(const struct fp_table_reader *t)
{
	return t->format;
}

const struct fp_schema *fp_table_schema(const struct fp_table_reader *t)
{
	return t->parquet ? fp_parquet_reader_schema(t->parquet) : fp_csv_reader_schema(t->csv);
}

struct fp_parquet_reader *fp_table_parquet(struct fp_table_reader *t)
{
	return t->parquet;
}

long fp_table_next(struct fp_table_reader *t, struct fp_batch *b, struct fp_error *err)
{
	if (t->parquet)
		return fp_parquet_reader_next(t->parquet, b, err);
	return fp_csv_reader_next(t->csv, b, err);
}
