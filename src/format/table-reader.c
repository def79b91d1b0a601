/*
 * table-reader.c - dispatch to the Parquet or the CSV reader by content
 * (see table-reader.h).
 *
 * Invariant: the input is opened exactly once. Up to SNIFF_BYTES are read
 * into `head`; the CSV reader then reads through a cookie stream that
 * gives `head` first and the rest of the file after it, so nothing is read
 * twice and nothing is lost on a pipe.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "format/csv/csv.h"
#include "format/json/jsonl-reader.h"
#include "format/table-reader.h"
#include "format/text/text-reader.h"
#include "format/zeek/zeek-reader.h"

#define SNIFF_BYTES (64u << 10)

struct fp_table_reader {
	enum fp_table_format format;
	struct fp_parquet_reader *parquet;
	struct fp_csv_reader *csv;
	FILE *raw;		/* the file as opened */
	FILE *replay;		/* head, then raw (CSV) */
	char *head;
	size_t head_len, head_pos;
	char delimiter;
	struct fp_text_reader *text;	/* text_as_strings: delimited text */
	struct fp_jsonl_reader *jsonl;	/* text_as_strings: JSON lines */
	struct fp_zeek_reader *zeek;	/* text_as_strings: Zeek ASCII log */
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

/* ------------------------------------------------------------ replaying the head */

static ssize_t replay_read(void *cookie, char *buf, size_t size)
{
	struct fp_table_reader *t = cookie;
	size_t n = t->head_len - t->head_pos;

	if (n == 0)
		return (ssize_t)fread(buf, 1, size, t->raw);
	if (n > size)
		n = size;
	memcpy(buf, t->head + t->head_pos, n);
	t->head_pos += n;
	return (ssize_t)n;
}

static FILE *replay_stream(struct fp_table_reader *t)
{
	cookie_io_functions_t io = { .read = replay_read, .write = NULL, .seek = NULL, .close = NULL };

	return fopencookie(t, "rb", io);
}

/* ------------------------------------------------------------ what the text is */

/* Counts `d` in the line starting at s (up to n bytes), outside quotes. */
static size_t count_in_line(const char *s, size_t n, char d, size_t *line_len)
{
	bool quoted = false;
	size_t count = 0, i;

	for (i = 0; i < n && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == d)
			count++;
	}
	*line_len = i;
	return count;
}

/* The delimiter of the first two lines: the candidate that appears in the
 * first line, as often in the second (when there is one), most often;
 * ties go to the earlier in ", ; tab |". 0 if none appears. */
static char detect_delimiter(const char *s, size_t n)
{
	static const char candidates[] = { ',', ';', '\t', '|' };
	size_t best = 0, len1, len2, skip;
	char chosen = 0;

	for (size_t c = 0; c < sizeof(candidates); c++) {
		size_t a = count_in_line(s, n, candidates[c], &len1), b;
		skip = len1 < n && s[len1] == '\r' ? len1 + 1 : len1;
		skip = skip < n && s[skip] == '\n' ? skip + 1 : skip;
		b = skip < n ? count_in_line(s + skip, n - skip, candidates[c], &len2) : a;
		if (a > best && (b == a || skip >= n || len2 == 0)) {
			best = a;
			chosen = candidates[c];
		}
	}
	return chosen;
}

/* Words separated by runs of spaces in the first line. */
static size_t space_words(const char *s, size_t n)
{
	size_t words = 0;
	bool in_word = false;

	for (size_t i = 0; i < n && s[i] != '\n'; i++) {
		bool space = s[i] == ' ';
		if (!space && !in_word)
			words++;
		in_word = !space;
	}
	return words;
}

/* A sentence naming the format when the text is plainly not CSV. */
static const char *not_csv(const char *s, size_t n, char delimiter)
{
	size_t i = 0;

	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;	/* a UTF-8 byte order mark */
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	if (i < n && (s[i] == '{' || s[i] == '['))
		return "JSON lines (or JSON), not CSV; flowprep peek reads CSV and Parquet";
	if (n - i >= 10 && memcmp(s + i, "#separator", 10) == 0)
		return "a Zeek log (its #separator header), not CSV; flowprep peek reads CSV and Parquet";
	if (n - i >= 4 && memcmp(s + i, "\xd4\xc3\xb2\xa1", 4) == 0)
		return "a pcap capture, not a table; turn it into one with flowprep pcap";
	if (n - i >= 4 && memcmp(s + i, "\x0a\x0d\x0d\x0a", 4) == 0)
		return "a pcapng capture, not a table; turn it into one with flowprep pcap";
	if (delimiter == 0 && space_words(s + i, n - i) > 2)
		return "space-separated text, not CSV (use --delimiter ' ' if its columns are single spaces)";
	return NULL;
}

/* ------------------------------------------------------------ open */

/* One buffered read of up to SNIFF_BYTES (a pipe may give them in pieces). */
static int read_head(struct fp_table_reader *t, const char *path, struct fp_error *err)
{
	size_t n;

	if ((t->head = malloc(SNIFF_BYTES)) == NULL)
		return fp_error_set(err, "%s: out of memory", path);
	while (t->head_len < SNIFF_BYTES && (n = fread(t->head + t->head_len, 1, SNIFF_BYTES - t->head_len, t->raw)) > 0)
		t->head_len += n;
	if (ferror(t->raw))
		return fp_error_errno(err, "%s: read failed", path);
	return 0;
}

/* Parquet is read from its end: a pipe is copied to an unlinked
 * temporary file, which is then read through /proc/self/fd. */
static int open_parquet(struct fp_table_reader *t, const char *path, bool seekable, struct fp_error *err)
{
	char fdpath[64];
	FILE *copy;
	char buf[65536];
	size_t n;

	t->format = FP_TABLE_PARQUET;
	if (seekable) {
		t->parquet = fp_parquet_reader_open(path, err);
		return t->parquet ? 0 : -1;
	}
	if ((copy = tmpfile()) == NULL)
		return fp_error_errno(err, "%s: cannot make a temporary copy of the Parquet stream", path);
	fwrite(t->head, 1, t->head_len, copy);
	while ((n = fread(buf, 1, sizeof(buf), t->raw)) > 0)
		fwrite(buf, 1, n, copy);
	if (fflush(copy) != 0 || ferror(copy)) {
		fclose(copy);
		return fp_error_errno(err, "%s: cannot make a temporary copy of the Parquet stream", path);
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fileno(copy));
	t->parquet = fp_parquet_reader_open(fdpath, err);
	fclose(copy);	/* the reader holds its own descriptor, or failed */
	if (t->parquet == NULL)
		fp_error_prefix(err, "%s", path);
	return t->parquet ? 0 : -1;
}

static int open_csv(struct fp_table_reader *t, const char *path, const struct fp_table_open_options *o,
		    struct fp_error *err)
{
	struct fp_csv_read_options co;
	const char *why;
	char d = o && o->delimiter ? o->delimiter : detect_delimiter(t->head, t->head_len);

	if ((why = not_csv(t->head, t->head_len, d)) != NULL)
		return fp_error_set(err, "%s: %s", path, why);
	/* Tables from other tools often carry stray non-UTF-8 bytes
	 * (CIC-IDS2017's labels have a CP1252 dash): show them as U+FFFD
	 * rather than refusing the file. */
	fp_csv_read_options_defaults(&co);
	co.replace_invalid_utf8 = true;
	co.delimiter = d ? d : ',';
	t->delimiter = co.delimiter;
	t->format = FP_TABLE_CSV;
	if ((t->replay = replay_stream(t)) == NULL)
		return fp_error_errno(err, "%s", path);
	t->csv = fp_csv_reader_open_stream(t->replay, strcmp(path, "-") == 0 ? "(stdin)" : path, &co, err);
	return t->csv ? 0 : -1;
}

/* canonicalize's readers of text as strings, by path (they open the file
 * themselves): JSON lines, Zeek logs, delimited text. */
static int open_text(struct fp_table_reader *t, const char *path, const struct fp_table_open_options *o,
		     bool std, struct fp_error *err)
{
	size_t bom = t->head_len >= 3 && memcmp(t->head, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

	if (std)
		return fp_error_set(err, "-: read this table from a file, not standard input");
	if (fp_zeek_looks_like(t->head, t->head_len)) {
		t->format = FP_TABLE_ZEEK;
		t->zeek = fp_zeek_reader_open(path, err);
		return t->zeek ? 0 : -1;
	}
	if (fp_jsonl_looks_like(t->head, t->head_len)) {
		t->format = FP_TABLE_JSONL;
		t->jsonl = fp_jsonl_reader_open(path, err);
		return t->jsonl ? 0 : -1;
	}
	t->format = FP_TABLE_CSV;
	t->delimiter = o->delimiter ? o->delimiter : fp_text_sniff_delimiter(t->head + bom, t->head_len - bom);
	t->text = fp_text_reader_open(path, t->delimiter, err);
	return t->text ? 0 : -1;
}

struct fp_table_reader *fp_table_open_with(const char *path, const struct fp_table_open_options *o,
					   struct fp_error *err)
{
	struct fp_table_reader *t = calloc(1, sizeof(*t));
	bool std = strcmp(path, "-") == 0;
	struct stat st;
	int rc;

	if (t == NULL) {
		fp_error_set(err, "out of memory");
		return NULL;
	}
	t->raw = std ? stdin : fopen(path, "rb");
	if (t->raw == NULL) {
		fp_error_errno(err, "%s", path);
		free(t);
		return NULL;
	}
	if (fstat(fileno(t->raw), &st) == 0 && S_ISDIR(st.st_mode)) {
		fp_error_set(err, "%s: is a directory", path);
		rc = -1;
	} else if ((rc = read_head(t, path, err)) == 0) {
		if (t->head_len >= 4 && memcmp(t->head, "PAR1", 4) == 0)
			rc = open_parquet(t, path, !std && S_ISREG(st.st_mode), err);
		else if (o != NULL && o->text_as_strings)
			rc = open_text(t, path, o, std, err);
		else
			rc = open_csv(t, path, o, err);
	}
	if (rc < 0) {
		fp_table_close(t);
		return NULL;
	}
	return t;
}

struct fp_table_reader *fp_table_open(const char *path, struct fp_error *err)
{
	return fp_table_open_with(path, NULL, err);
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
	if (t->replay)
		fclose(t->replay);
	if (t->raw && t->raw != stdin)
		fclose(t->raw);
	free(t->head);
	free(t);
}

enum fp_table_format fp_table_format(const struct fp_table_reader *t)
{
	return t->format;
}

char fp_table_delimiter(const struct fp_table_reader *t)
{
	return t->delimiter;
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
