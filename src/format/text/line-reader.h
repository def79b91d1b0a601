/*
 * line-reader.h - a text file one line at a time, with a bound on the
 * line's length, for the line-oriented readers (Zeek logs, JSON lines).
 *
 * getline() grows its buffer to whatever the file holds; a file that is one
 * 10 GB line would take 10 GB. This reader keeps one buffer of at most
 * max_line bytes and reports a longer line as an error naming the line.
 * LF and CRLF end lines; a final line without LF counts.
 */
#ifndef FP_FORMAT_TEXT_LINE_READER_H
#define FP_FORMAT_TEXT_LINE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/error.h"

struct fp_line_reader {
	FILE *in;
	const char *name;	/* borrowed, for messages */
	size_t max_line;
	char *buf;
	size_t start, end, cap;
	bool eof;
	uint64_t line;		/* the line last returned, from 1 */
};

int fp_line_reader_init(struct fp_line_reader *r, FILE *in, const char *name, size_t max_line,
			struct fp_error *err);
void fp_line_reader_free(struct fp_line_reader *r);

/* The next line (without its end) in *line / *len, valid until the next
 * call. Returns 1, 0 at the end, -1 on error. */
int fp_line_reader_next(struct fp_line_reader *r, char **line, size_t *len, struct fp_error *err);

#endif
