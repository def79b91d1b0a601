/*
 * csv-parse.c - the CSV tokenizer (see csv-parse.h).
 *
 * A small state machine over a fixed read buffer. The common case, a run of
 * ordinary bytes inside a field, is copied in one memcpy after a table
 * scan; only delimiters, quotes, CR, LF and NUL are looked at one by one.
 * Unescaped field bytes accumulate in `rec`, which never grows past
 * max_record plus one read buffer, because the record's input size is
 * checked on every turn of the loop.
 *
 * Leniency, chosen to match Python's csv module (which wrote most CSVs
 * flowprep will meet): a quote inside an unquoted field is an ordinary
 * character. Strictness where data would silently go wrong: anything but a
 * delimiter or a line end after a closing quote, an unterminated quote at
 * the end of the input, and NUL bytes (binary data) are errors.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format/csv/csv-parse.h"

#define READ_BUFFER (1u << 20)

enum parse_state {
	FIELD_START,		/* nothing of the field seen yet */
	BARE,			/* inside an unquoted field */
	QUOTED,			/* inside "..." */
	QUOTE_SEEN,		/* a '"' inside "...": closing, or the first of "" */
};

static int fill(struct fp_csv_parser *p, size_t want, struct fp_error *err)
{
	/* appends to the buffer until it holds `want` bytes or the input ends */
	while (!p->eof && p->end < want) {
		size_t n = fread(p->buf + p->end, 1, READ_BUFFER - p->end, p->in);
		if (n == 0) {
			if (ferror(p->in))
				return fp_error_errno(err, "%s: read failed", p->name);
			p->eof = true;
		}
		p->end += n;
	}
	return 0;
}

/* A fresh buffer: 1 if there are bytes, 0 at the end, -1 on error. */
static int refill(struct fp_csv_parser *p, struct fp_error *err)
{
	p->pos = p->end = 0;
	if (fill(p, 1, err) < 0)
		return -1;
	return p->end > 0;
}

int fp_csv_parser_init(struct fp_csv_parser *p, FILE *in, const char *name, char delimiter, size_t max_record,
		       struct fp_error *err)
{
	memset(p, 0, sizeof(*p));
	p->in = in;
	p->name = name;
	p->delimiter = delimiter;
	p->max_record = max_record;
	p->max_fields = SIZE_MAX;
	p->line = 1;
	p->special_bare[(unsigned char)delimiter] = true;
	p->special_bare['\r'] = p->special_bare['\n'] = p->special_bare['\0'] = true;
	p->special_quoted['"'] = true;
	p->special_quoted['\r'] = p->special_quoted['\n'] = p->special_quoted['\0'] = true;
	p->buf = malloc(READ_BUFFER);
	p->rec_cap = 4096;
	p->rec = malloc(p->rec_cap);
	p->fields_cap = 64;
	p->fields = malloc(p->fields_cap * sizeof(*p->fields));
	if (p->buf == NULL || p->rec == NULL || p->fields == NULL) {
		fp_csv_parser_free(p);
		return fp_error_set(err, "%s: out of memory", name);
	}
	if (fill(p, 3, err) < 0) {
		fp_csv_parser_free(p);
		return -1;
	}
	if (p->end >= 3 && memcmp(p->buf, "\xef\xbb\xbf", 3) == 0)
		p->pos = 3;	/* UTF-8 byte order mark */
	return 0;
}

void fp_csv_parser_free(struct fp_csv_parser *p)
{
	free(p->buf);
	free(p->rec);
	free(p->fields);
	p->buf = NULL;
	p->rec = NULL;
	p->fields = NULL;
}

static int append(struct fp_csv_parser *p, const void *src, size_t n, struct fp_error *err)
{
	if (p->rec_cap - p->rec_len < n) {
		size_t cap = p->rec_cap;
		char *rec;

		while (cap - p->rec_len < n)
			cap *= 2;
		rec = realloc(p->rec, cap);
		if (rec == NULL)
			return fp_error_set(err, "%s: line %" PRIu64 ": out of memory", p->name, p->rec_line);
		p->rec = rec;
		p->rec_cap = cap;
	}
	memcpy(p->rec + p->rec_len, src, n);
	p->rec_len += n;
	return 0;
}

static int begin_field(struct fp_csv_parser *p, struct fp_error *err)
{
	struct fp_csv_field *f;

	if (p->nfields >= p->max_fields)
		return 0;	/* counted at end_field(), not stored */
	if (p->nfields == p->fields_cap) {
		struct fp_csv_field *nf = realloc(p->fields, 2 * p->fields_cap * sizeof(*nf));
		if (nf == NULL)
			return fp_error_set(err, "%s: line %" PRIu64 ": out of memory", p->name, p->rec_line);
		p->fields = nf;
		p->fields_cap *= 2;
	}
	f = &p->fields[p->nfields];
	f->off = (uint32_t)p->rec_len;
	f->len = 0;
	f->quoted = false;
	return 0;
}

static void end_field(struct fp_csv_parser *p)
{
	if (p->nfields < p->max_fields)
		p->fields[p->nfields].len = (uint32_t)(p->rec_len - p->fields[p->nfields].off);
	p->nfields++;
}

static void mark_quoted(struct fp_csv_parser *p)
{
	if (p->nfields < p->max_fields)
		p->fields[p->nfields].quoted = true;
}

static int nul_error(struct fp_csv_parser *p, struct fp_error *err)
{
	return fp_error_set(err, "%s: line %" PRIu64 ": a NUL byte: this is binary data, not CSV text", p->name,
			    p->line);
}

/* The input ended inside a record. */
static int finish_at_eof(struct fp_csv_parser *p, enum parse_state st, struct fp_error *err)
{
	if (st == QUOTED)
		return fp_error_set(err, "%s: line %" PRIu64 ": the quoted field started on line %" PRIu64
				    " is not closed at the end of the file", p->name, p->line, p->quote_line);
	end_field(p);
	return 1;
}

/* A line end outside quotes: the record is complete. */
static int end_record(struct fp_csv_parser *p, unsigned char c)
{
	p->line++;
	p->swallow_lf = c == '\r';
	end_field(p);
	return 1;
}

#define RUN_MORE (-1)		/* the buffer ran out first */
#define RUN_ERROR (-2)

/* Scans and copies a run of bytes that are not special in `table`.
 * Returns the byte that stopped it (consumed), RUN_MORE or RUN_ERROR. */
static int take_run(struct fp_csv_parser *p, const bool *table, struct fp_error *err)
{
	const unsigned char *b = p->buf + p->pos;
	size_t avail = p->end - p->pos, n = 0;

	while (n < avail && !table[b[n]])
		n++;
	if (n > 0 && append(p, b, n, err) < 0)
		return RUN_ERROR;
	p->raw += n;
	if (n == avail) {
		p->pos = p->end;
		return RUN_MORE;
	}
	p->pos += n + 1;
	p->raw++;
	return b[n];
}

static int read_record(struct fp_csv_parser *p, struct fp_error *err)
{
	enum parse_state st = FIELD_START;
	bool started = false, cr_in_quotes = false;
	int c;

	p->rec_len = 0;
	p->nfields = 0;
	p->raw = 0;
	for (;;) {
		if (p->raw > p->max_record)
			return fp_error_set(err, "%s: line %" PRIu64 ": a record longer than %zu bytes (an unclosed"
					    " quote, or not a CSV file?)", p->name, p->rec_line, p->max_record);
		if (p->pos == p->end) {
			int rc = refill(p, err);
			if (rc < 0)
				return -1;
			if (rc == 0)
				return started ? finish_at_eof(p, st, err) : 0;
		}
		if (p->swallow_lf) {	/* the LF of a CRLF that ended the last record */
			p->swallow_lf = false;
			if (p->buf[p->pos] == '\n') {
				p->pos++;
				continue;
			}
		}
		if (!started) {
			started = true;
			p->rec_line = p->line;
			if (begin_field(p, err) < 0)
				return -1;
		}
		switch (st) {
		case FIELD_START:
			if (p->buf[p->pos] == '"') {
				p->pos++;
				p->raw++;
				mark_quoted(p);
				p->quote_line = p->line;
				st = QUOTED;
				continue;
			}
			st = BARE;
			continue;
		case BARE:
			c = take_run(p, p->special_bare, err);
			if (c == RUN_ERROR)
				return -1;
			if (c == RUN_MORE)
				continue;
			if (c == '\n' || c == '\r')
				return end_record(p, (unsigned char)c);
			if (c == '\0')
				return nul_error(p, err);
			/* the delimiter */
			end_field(p);
			if (begin_field(p, err) < 0)
				return -1;
			st = FIELD_START;
			continue;
		case QUOTED: {
			size_t before = p->rec_len;
			unsigned char ch;

			c = take_run(p, p->special_quoted, err);
			if (c == RUN_ERROR)
				return -1;
			if (p->rec_len != before)
				cr_in_quotes = false;
			if (c == RUN_MORE)
				continue;
			if (c == '"') {
				st = QUOTE_SEEN;
				continue;
			}
			if (c == '\0')
				return nul_error(p, err);
			/* a line end inside quotes is data; CRLF counts as one line */
			if (c == '\r' || !cr_in_quotes)
				p->line++;
			cr_in_quotes = c == '\r';
			ch = (unsigned char)c;
			if (append(p, &ch, 1, err) < 0)
				return -1;
			continue;
		}
		case QUOTE_SEEN:
			c = p->buf[p->pos++];
			p->raw++;
			if (c == '"') {
				char q = '"';
				if (append(p, &q, 1, err) < 0)
					return -1;
				cr_in_quotes = false;
				st = QUOTED;
				continue;
			}
			if (c == '\n' || c == '\r')
				return end_record(p, (unsigned char)c);
			if (c == '\0')
				return nul_error(p, err);
			if (c != (unsigned char)p->delimiter)
				return fp_error_set(err, "%s: line %" PRIu64 ": unexpected character after the closing"
						    " quote of field %zu (a quote inside a quoted field must be"
						    " doubled)", p->name, p->line, p->nfields + 1);
			end_field(p);
			if (begin_field(p, err) < 0)
				return -1;
			st = FIELD_START;
			continue;
		}
	}
}

int fp_csv_parser_next(struct fp_csv_parser *p, struct fp_error *err)
{
	for (;;) {
		int rc = read_record(p, err);

		if (rc <= 0)
			return rc;
		/* a blank line: one empty, unquoted field */
		if (p->nfields == 1 && p->max_fields > 0 && p->fields[0].len == 0 && !p->fields[0].quoted)
			continue;
		return 1;
	}
}
