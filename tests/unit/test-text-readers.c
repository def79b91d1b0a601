/*
 * test-text-readers.c - the readers canonicalize uses for text formats:
 * the bounded line reader, delimited text as strings (delimiter sniffing,
 * ragged rows skipped and counted), Zeek ASCII logs and JSON lines
 * (flattening, the sample, bad lines), through the table reader's
 * detection by content.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/table-reader.h"
#include "format/text/line-reader.h"
#include "format/text/text-reader.h"
#include "test.h"

static char dir[] = "/tmp/fp-text-readers.XXXXXX";
static const char *const written[] = { "long.txt", "t.csv", "conn.log", "two.log", "eve.json", "late.jsonl" };

static const char *write_file(const char *name, const char *text, size_t len)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	fwrite(text, 1, len, f);
	fclose(f);
	return path;
}

/* The cell as text ("NULL" for a null), for comparisons. */
static const char *cell(const struct fp_batch *b, size_t row, size_t col)
{
	static char buf[256];
	size_t len;
	const char *p;

	if (!fp_column_is_valid(&b->cols[col], row))
		return "NULL";
	p = fp_column_bytes(&b->cols[col], row, &len);
	snprintf(buf, sizeof(buf), "%.*s", (int)len, p);
	return buf;
}

static struct fp_table_reader *open_text(const char *path)
{
	struct fp_table_open_options o = { .text_as_strings = true };
	struct fp_error err = { { 0 } };
	struct fp_table_reader *t = fp_table_open_with(path, &o, &err);

	if (t == NULL)
		fprintf(stderr, "%s\n", err.msg);
	return t;
}

static void test_sniff(void)
{
	CHECK_EQ_INT(fp_text_sniff_delimiter("a,b,c\n", 6), ',');
	CHECK_EQ_INT(fp_text_sniff_delimiter("a\tb\tc", 5), '\t');
	CHECK_EQ_INT(fp_text_sniff_delimiter("a;b;\"x,y,z\"\n", 12), ';');
	CHECK_EQ_INT(fp_text_sniff_delimiter(" Source IP, Source Port, Label\n", 31), ',');
	CHECK_EQ_INT(fp_text_sniff_delimiter("version account-id srcaddr\n", 27), ' ');
	CHECK_EQ_INT(fp_text_sniff_delimiter("single\n", 7), ',');
}

static void test_line_bound(void)
{
	char *big = malloc(5000);
	struct fp_line_reader r;
	struct fp_error err = { { 0 } };
	char *line;
	size_t len;
	FILE *f;

	memset(big, 'x', 5000);
	big[10] = '\n';
	f = fopen(write_file("long.txt", big, 5000), "rb");
	CHECK(fp_line_reader_init(&r, f, "long.txt", 1000, &err) == 0);
	CHECK(fp_line_reader_next(&r, &line, &len, &err) == 1 && len == 10);
	CHECK(fp_line_reader_next(&r, &line, &len, &err) == -1);
	CHECK(strstr(err.msg, "long.txt: line 2 is longer than 1000 bytes") != NULL);
	fp_line_reader_free(&r);
	fclose(f);
	free(big);
}

static void test_delimited(void)
{
	const char text[] = "\xef\xbb\xbf" "a;b;c\r\n1;;\"x;y\"\r\n2;3\r\n4;\"\";\xe9t\xe9\r\n";
	struct fp_table_reader *t = open_text(write_file("t.csv", text, sizeof(text) - 1));
	struct fp_batch *b;
	struct fp_error err = { { 0 } };
	uint64_t first = 0;

	CHECK(t != NULL);
	if (t == NULL)
		return;
	CHECK_EQ_INT(fp_table_format(t), FP_TABLE_CSV);
	CHECK_EQ_INT(fp_table_schema(t)->nfields, 3);
	CHECK_EQ_STR(fp_table_schema(t)->fields[0].name, "a");
	CHECK_EQ_INT(fp_table_schema(t)->fields[1].type, FP_TYPE_STRING);
	b = fp_batch_new(fp_table_schema(t), 16);
	CHECK_EQ_INT(fp_table_next(t, b, &err), 2);
	CHECK_EQ_STR(cell(b, 0, 1), "NULL");
	CHECK_EQ_STR(cell(b, 0, 2), "x;y");
	CHECK_EQ_STR(cell(b, 1, 1), "");	/* a quoted empty string is no null */
	CHECK_EQ_STR(cell(b, 1, 2), "\xef\xbf\xbdt\xef\xbf\xbd");
	CHECK_EQ_INT(fp_table_skipped(t, &first), 1);	/* "2;3" */
	CHECK_EQ_INT(first, 3);
	fp_batch_free(b);
	fp_table_close(t);
}

static void test_zeek(void)
{
	const char text[] = "#separator \\x09\n#unset_field\t-\n#empty_field\t(empty)\n#fields\tts\tid.orig_h\tservice\n"
			    "#types\ttime\taddr\tstring\n1.5\t10.0.0.1\t-\n2.5\t10.0.0.2\t(empty)\n3.5\tshort\n"
			    "#close\tx\n#separator \\x09\n#fields\tts\tid.orig_h\tservice\n4.5\t::1\tdns\n";
	struct fp_table_reader *t = open_text(write_file("conn.log", text, sizeof(text) - 1));
	struct fp_batch *b;
	struct fp_error err = { { 0 } };
	uint64_t first = 0;

	CHECK(t != NULL);
	if (t == NULL)
		return;
	CHECK_EQ_INT(fp_table_format(t), FP_TABLE_ZEEK);
	CHECK_EQ_INT(fp_table_schema(t)->nfields, 3);
	CHECK_EQ_STR(fp_table_schema(t)->fields[1].name, "id.orig_h");
	b = fp_batch_new(fp_table_schema(t), 2);
	CHECK_EQ_INT(fp_table_next(t, b, &err), 2);
	CHECK_EQ_STR(cell(b, 0, 2), "NULL");
	CHECK_EQ_STR(cell(b, 1, 2), "");
	CHECK_EQ_INT(fp_table_next(t, b, &err), 1);	/* a concatenated log with the same fields */
	CHECK_EQ_STR(cell(b, 0, 1), "::1");
	CHECK_EQ_INT(fp_table_next(t, b, &err), 0);
	CHECK_EQ_INT(fp_table_skipped(t, &first), 1);
	CHECK_EQ_INT(first, 8);
	fp_batch_free(b);
	fp_table_close(t);

	/* another set of fields later is an error, not a silent misreading */
	const char other[] = "#separator \\x09\n#fields\ta\tb\n1\t2\n#fields\tb\ta\n2\t1\n";
	t = open_text(write_file("two.log", other, sizeof(other) - 1));
	CHECK(t != NULL);
	if (t == NULL)
		return;
	b = fp_batch_new(fp_table_schema(t), 8);
	CHECK_EQ_INT(fp_table_next(t, b, &err), -1);
	CHECK(strstr(err.msg, "line 4: another #fields") != NULL);
	fp_batch_free(b);
	fp_table_close(t);
}

static void test_jsonl(void)
{
	const char text[] = "\n{\"a\":1,\"flow\":{\"start\":\"x\",\"pkts\":12345678901234567890},\"id.orig_h\":\"10.0.0.1\"}\n"
			    "{\"a\":null,\"b\":true,\"arr\":[1,2]}\n"
			    "not json\n"
			    "[1,2]\n"
			    "{\"a\":\"s\\u00e9\",\"flow\":{\"start\":\"y\"}}\n";
	struct fp_table_reader *t = open_text(write_file("eve.json", text, sizeof(text) - 1));
	const struct fp_schema *s;
	struct fp_batch *b;
	struct fp_error err = { { 0 } };
	uint64_t first = 0;

	CHECK(t != NULL);
	if (t == NULL)
		return;
	CHECK_EQ_INT(fp_table_format(t), FP_TABLE_JSONL);
	s = fp_table_schema(t);
	CHECK_EQ_INT(s->nfields, 5);
	if (s->nfields == 5) {
		CHECK_EQ_STR(s->fields[0].name, "a");
		CHECK_EQ_STR(s->fields[1].name, "flow.start");
		CHECK_EQ_STR(s->fields[2].name, "flow.pkts");
		CHECK_EQ_STR(s->fields[3].name, "id.orig_h");
		CHECK_EQ_STR(s->fields[4].name, "b");
	}
	b = fp_batch_new(s, 16);
	CHECK_EQ_INT(fp_table_next(t, b, &err), 3);
	CHECK_EQ_STR(cell(b, 0, 2), "12345678901234567890");	/* numbers keep their text */
	CHECK_EQ_STR(cell(b, 1, 0), "NULL");
	CHECK_EQ_STR(cell(b, 1, 4), "true");
	CHECK_EQ_STR(cell(b, 2, 0), "s\xc3\xa9");
	CHECK_EQ_STR(cell(b, 2, 1), "y");
	CHECK_EQ_INT(fp_table_skipped(t, &first), 2);
	CHECK_EQ_INT(first, 4);
	fp_batch_free(b);
	fp_table_close(t);
}

/* Keys first seen after the sample are counted, not columns. */
static void test_jsonl_late_keys(void)
{
	size_t cap = 64 * 1100, len = 0;
	char *text = malloc(cap);
	struct fp_table_reader *t;
	struct fp_batch *b;
	struct fp_error err = { { 0 } };
	long n, total = 0;

	for (int i = 0; i < 1000; i++)
		len += (size_t)snprintf(text + len, cap - len, "{\"a\":%d}\n", i);
	len += (size_t)snprintf(text + len, cap - len, "{\"a\":1,\"late\":2}\n");
	t = open_text(write_file("late.jsonl", text, len));
	free(text);
	CHECK(t != NULL);
	if (t == NULL)
		return;
	CHECK_EQ_INT(fp_table_schema(t)->nfields, 1);
	b = fp_batch_new(fp_table_schema(t), 300);
	while ((n = fp_table_next(t, b, &err)) > 0)
		total += n;
	CHECK_EQ_INT(total, 1001);
	CHECK_EQ_INT(fp_table_unknown_keys(t), 1);
	fp_batch_free(b);
	fp_table_close(t);
}

int main(void)
{
	int rc;

	if (mkdtemp(dir) == NULL)
		return 99;
	RUN(test_sniff);
	RUN(test_line_bound);
	RUN(test_delimited);
	RUN(test_zeek);
	RUN(test_jsonl);
	RUN(test_jsonl_late_keys);
	rc = TEST_RESULT();
	for (size_t i = 0; i < sizeof(written) / sizeof(written[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s", dir, written[i]);
		unlink(path);
	}
	rmdir(dir);
	return rc;
}
