/*
 * csv-parse.h - the CSV tokenizer: a stream of bytes in, one record (a
 * list of unescaped fields) at a time out. Internal to src/format/csv.
 *
 * It knows nothing of headers or types; it owns the RFC 4180 rules (quoted
 * fields, doubled quotes, delimiters and newlines inside quotes, LF / CRLF /
 * lone CR line ends, a UTF-8 BOM at the start), blank lines (skipped), and
 * the limits that keep memory bounded whatever the input: a record longer
 * than max_record bytes, or NUL bytes, are errors, and fields past
 * `max_fields` are counted but not stored.
 */
#ifndef FP_FORMAT_CSV_PARSE_H
#define FP_FORMAT_CSV_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/error.h"

/* One field of the current record: bytes rec[off, off + len). */
struct fp_csv_field {
	uint32_t off;
	uint32_t len;
	bool quoted;		/* it was written "..." (so "" is an empty string, not a null) */
};

struct fp_csv_parser {
	FILE *in;
	const char *name;	/* borrowed, for messages */
	char delimiter;
	size_t max_record;
	size_t max_fields;	/* fields stored per record; more are only counted */
	bool special_bare[256];	/* bytes that end a run inside an unquoted field */
	bool special_quoted[256];	/* ... inside a quoted field */

	unsigned char *buf;
	size_t pos, end;
	bool eof;
	bool swallow_lf;	/* the last record ended with CR: skip one LF */
	uint64_t line;		/* line of the next byte, from 1 */

	/* the record just read */
	char *rec;
	size_t rec_len, rec_cap;
	struct fp_csv_field *fields;
	size_t nfields;		/* fields in the record (may exceed max_fields) */
	size_t fields_cap;
	uint64_t rec_line;	/* line where it starts */
	uint64_t quote_line;	/* line of the last opening quote */
	size_t raw;		/* input bytes it took */
};

int fp_csv_parser_init(struct fp_csv_parser *p, FILE *in, const char *name, char delimiter, size_t max_record,
		       struct fp_error *err);
void fp_csv_parser_free(struct fp_csv_parser *p);

/* Reads the next record that is not a blank line. Returns 1, 0 at the end
 * of the input, or -1 on error (message names the file and line). */
int fp_csv_parser_next(struct fp_csv_parser *p, struct fp_error *err);

#endif
