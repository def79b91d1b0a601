/*
 * line-reader.c - bounded lines (line-reader.h).
 *
 * One buffer of max_line + 64 KiB: lines are returned in place; when the
 * unread tail reaches the buffer's end it is moved to the front and the
 * buffer refilled.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format/text/line-reader.h"

#define CHUNK (64u << 10)

int fp_line_reader_init(struct fp_line_reader *r, FILE *in, const char *name, size_t max_line,
			struct fp_error *err)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->name = name;
	r->max_line = max_line;
	r->cap = max_line + CHUNK;
	r->buf = malloc(r->cap + 1);
	if (r->buf == NULL)
		return fp_error_set(err, "%s: out of memory", name);
	return 0;
}

void fp_line_reader_free(struct fp_line_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* Moves the unread bytes to the front and reads more; false at the end. */
static int refill(struct fp_line_reader *r, struct fp_error *err)
{
	size_t n;

	memmove(r->buf, r->buf + r->start, r->end - r->start);
	r->end -= r->start;
	r->start = 0;
	if (r->eof || r->end == r->cap)
		return 0;
	n = fread(r->buf + r->end, 1, r->cap - r->end, r->in);
	if (n == 0) {
		if (ferror(r->in))
			return fp_error_errno(err, "%s: read failed", r->name);
		r->eof = true;
	}
	r->end += n;
	return n > 0;
}

int fp_line_reader_next(struct fp_line_reader *r, char **line, size_t *len, struct fp_error *err)
{
	size_t scanned = 0;

	for (;;) {
		char *nl = memchr(r->buf + r->start + scanned, '\n', r->end - r->start - scanned);
		size_t n;
		int got;

		if (nl != NULL || (r->eof && r->end > r->start)) {
			n = nl ? (size_t)(nl - (r->buf + r->start)) : r->end - r->start;
			*line = r->buf + r->start;
			r->start += n + (nl != NULL);
			if (n > 0 && (*line)[n - 1] == '\r')
				n--;
			if (n > r->max_line)
				return fp_error_set(err, "%s: line %" PRIu64 " is longer than %zu bytes", r->name,
						    r->line + 1, r->max_line);
			(*line)[n] = '\0';
			*len = n;
			r->line++;
			return 1;
		}
		if (r->eof)
			return 0;
		scanned = r->end - r->start;
		if (scanned > r->max_line)
			return fp_error_set(err, "%s: line %" PRIu64 " is longer than %zu bytes", r->name, r->line + 1,
					    r->max_line);
		got = refill(r, err);
		if (got < 0)
			return -1;
	}
}
