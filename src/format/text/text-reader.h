/*
 * text-reader.h - a delimited text table (CSV, TSV, semicolon- or
 * pipe-separated) as columns of text, for readers that judge each cell
 * themselves (flowprep canonicalize).
 *
 * Unlike the CSV reader (format/csv), nothing is inferred: every column is
 * a nullable string, so a cell that would not fit a type inferred from the
 * first rows cannot stop the file; the consumer decides, cell by cell. The
 * tokenizer is the CSV reader's (quoting, CRLF, BOM, bounded records).
 *
 * A data row with more or fewer fields than the header is not a table row:
 * it is skipped and counted (fp_text_reader_skipped), never padded or cut.
 * Invalid UTF-8 bytes become U+FFFD (exports of Latin-1/CP1252 text).
 */
#ifndef FP_FORMAT_TEXT_TEXT_READER_H
#define FP_FORMAT_TEXT_TEXT_READER_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

/* The delimiter a table's first line suggests: the most frequent of
 * ',', '\t', ';', '|' outside quotes in `head` up to its first line end;
 * else ' ' if the line has spaces (AWS VPC flow logs); else ','. */
char fp_text_sniff_delimiter(const char *head, size_t len);

struct fp_text_reader;

struct fp_text_reader *fp_text_reader_open(const char *path, char delimiter, struct fp_error *err);
void fp_text_reader_close(struct fp_text_reader *r);
const struct fp_schema *fp_text_reader_schema(const struct fp_text_reader *r);
/* Up to out->capacity rows (out cleared first); 0 at the end, -1 on error. */
long fp_text_reader_next(struct fp_text_reader *r, struct fp_batch *out, struct fp_error *err);
/* Rows skipped for their width, and the line of the first. */
uint64_t fp_text_reader_skipped(const struct fp_text_reader *r, uint64_t *first_line);

#endif
