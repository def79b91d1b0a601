/*
 * table-reader.h - any supported table file (Parquet or CSV) as a schema
 * and a stream of record batches.
 *
 * The format is recognised by content (Parquet's "PAR1" magic), not by
 * the name, so a misnamed file still reads. This is what `flowprep peek`
 * and, later, `flowprep canonicalize` read through.
 *
 * The file is opened once and its first bytes come from one buffered
 * read, which is replayed to the CSV reader: a pipe (/dev/stdin,
 * <(zcat ...)) loses nothing and is never reopened. A Parquet file on a
 * pipe is copied to an unlinked temporary file first (Parquet is read from
 * its end). Text that is not CSV is refused with a message naming what it
 * looks like (JSON lines, a Zeek log, space-separated columns); the CSV
 * delimiter is detected among , ; tab | unless given.
 */
#ifndef FP_FORMAT_TABLE_READER_H
#define FP_FORMAT_TABLE_READER_H

#include "format/parquet/parquet.h"
#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

enum fp_table_format { FP_TABLE_PARQUET, FP_TABLE_CSV, FP_TABLE_JSONL, FP_TABLE_ZEEK };

struct fp_table_reader;

struct fp_table_open_options {
	char delimiter;		/* CSV delimiter; 0: detect among , ; tab | */
	/* Text formats as string columns, typed by no one: delimited text
	 * through format/text/text-reader.h instead of the typed CSV reader,
	 * and JSON lines and Zeek logs read (peek refuses them by name). For
	 * readers that judge every cell themselves (canonicalize); these read
	 * a file by its path, not a pipe. */
	bool text_as_strings;
};

struct fp_table_reader *fp_table_open(const char *path, struct fp_error *err);
/* `o` may be NULL (the defaults). */
struct fp_table_reader *fp_table_open_with(const char *path, const struct fp_table_open_options *o,
					   struct fp_error *err);
/* The CSV delimiter in use ('\0' for Parquet). */
char fp_table_delimiter(const struct fp_table_reader *t);
void fp_table_close(struct fp_table_reader *t);

enum fp_table_format fp_table_format(const struct fp_table_reader *t);
const struct fp_schema *fp_table_schema(const struct fp_table_reader *t);
/* The Parquet reader behind the table, for its footer details; NULL for CSV. */
struct fp_parquet_reader *fp_table_parquet(struct fp_table_reader *t);

/* Fills `b` (made with fp_table_schema()) with the next rows: returns the
 * number of rows, 0 at the end, -1 on error. */
long fp_table_next(struct fp_table_reader *t, struct fp_batch *b, struct fp_error *err);

/* Text formats: records skipped because they were no table row (another
 * width than the header, a line that is no JSON object), and the line of
 * the first; 0 for the others. */
uint64_t fp_table_skipped(const struct fp_table_reader *t, uint64_t *first_line);
/* JSON lines: values whose key was no column (first seen after the
 * sample); 0 for the others. */
uint64_t fp_table_unknown_keys(const struct fp_table_reader *t);
/* "parquet", "csv", "jsonl", "zeek". */
const char *fp_table_format_name(enum fp_table_format f);

#endif
