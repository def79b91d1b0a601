/*
 * test-csv.c - the CSV writer (exact bytes), the reader (round trips,
 * tricky and hostile inputs, type inference, error messages) and, when
 * $SHARED_DIR/reference/pcapflower exists, every CSV Python's csv module
 * wrote there: row counts against MANIFEST.tsv and a byte-exact rewrite.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/csv/csv-number.h"
#include "format/csv/csv.h"
#include "lib/number-text.h"
#include "record/batch.h"
#include "record/schema.h"
#include "tests/unit/test.h"

/* ------------------------------------------------------------ helpers */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rng(void)
{
	return test_xorshift(&rng_state);
}

/* Writes `b` (all of it) with the CSV writer into a malloc'ed string. */
static char *write_csv(const struct fp_schema *s, struct fp_batch **batches, size_t nbatches, size_t *len)
{
	struct fp_error err = { "" };
	char *text = NULL;
	FILE *out = open_memstream(&text, len);
	struct fp_csv_writer *w = out ? fp_csv_writer_open(out, "mem.csv", s, &err) : NULL;
	int rc = w ? 0 : -1;

	for (size_t i = 0; rc == 0 && i < nbatches; i++)
		rc = fp_csv_writer_write(w, batches[i], &err);
	if (w && fp_csv_writer_close(w, &err) < 0)
		rc = -1;
	if (out)
		fclose(out);
	if (rc < 0) {
		fprintf(stderr, "write_csv: %s\n", err.msg);
		free(text);
		return NULL;
	}
	return text;
}

static struct fp_csv_reader *open_text(const char *text, size_t len, const struct fp_csv_read_options *o,
				       FILE **in, struct fp_error *err)
{
	struct fp_csv_reader *r;

	/* fmemopen() of zero bytes is not portable: /dev/null is empty */
	*in = len ? fmemopen((void *)text, len, "r") : fopen("/dev/null", "r");
	if (*in == NULL)
		return NULL;
	r = fp_csv_reader_open_stream(*in, "t.csv", o, err);
	if (r == NULL) {
		fclose(*in);
		*in = NULL;
	}
	return r;
}

static void cell_text(const struct fp_batch *b, size_t row, size_t col, char *buf, size_t size)
{
	const struct fp_column *c = &b->cols[col];
	const char *p;
	size_t n;

	if (!fp_column_is_valid(c, row)) {
		snprintf(buf, size, "~");
		return;
	}
	switch (c->type) {
	case FP_TYPE_BOOL: snprintf(buf, size, "%s", c->v.b[row] ? "T" : "F"); break;
	case FP_TYPE_INT32: snprintf(buf, size, "%d", c->v.i32[row]); break;
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP: snprintf(buf, size, "%" PRId64, c->v.i64[row]); break;
	case FP_TYPE_DOUBLE: snprintf(buf, size, "%.17g", c->v.f64[row]); break;
	case FP_TYPE_STRING:
	case FP_TYPE_BINARY:
		p = fp_column_bytes(c, row, &n);
		snprintf(buf, size, "<%.*s>", (int)n, p);
		break;
	}
}

/*
 * Reads CSV text into a compact description: "name:type name:type" then,
 * per row, " /" and the cells joined by '|' (null = ~, strings in <>).
 * Batches of 2 rows, so batch boundaries are crossed. Returns NULL on
 * error (message in err).
 */
static char *read_text(const char *text, size_t len, const struct fp_csv_read_options *o, struct fp_error *err)
{
	static char out[8192];
	FILE *in;
	struct fp_csv_reader *r = open_text(text, len, o, &in, err);
	const struct fp_schema *s;
	struct fp_batch *b;
	size_t used = 0;
	long got;

	if (r == NULL)
		return NULL;
	s = fp_csv_reader_schema(r);
	b = fp_batch_new(s, 2);
	out[0] = '\0';
	for (size_t i = 0; i < s->nfields; i++)
		used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s:%s", i ? " " : "", s->fields[i].name,
					 fp_type_name(s->fields[i].type));
	while ((got = fp_csv_reader_next(r, b, err)) > 0) {
		for (size_t row = 0; row < b->nrows; row++) {
			used += (size_t)snprintf(out + used, sizeof(out) - used, " /");
			for (size_t c = 0; c < s->nfields; c++) {
				char cell[512];
				cell_text(b, row, c, cell, sizeof(cell));
				used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s", c ? "|" : "", cell);
			}
		}
	}
	fp_batch_free(b);
	fp_csv_reader_close(r);
	fclose(in);
	return got < 0 ? NULL : out;
}

static bool has(const char *msg, const char *part)
{
	if (strstr(msg, part))
		return true;
	fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", msg, part);
	return false;
}

/* ------------------------------------------------------------ numbers */

static void test_number_format(void)
{
	static const struct {
		double v;
		const char *text;
	} cases[] = {
		{ 0.1, "0.1" }, { 1e-300, "1e-300" }, { 123456789.123, "123456789.123" }, { 40.0, "40.0" },
		{ -0.0, "-0.0" }, { 0.0, "0.0" }, { 1e16, "1e+16" }, { 1e15, "1000000000000000.0" },
		{ 0.0001, "0.0001" }, { 1e-5, "1e-05" }, { 5e-324, "5e-324" },
		{ 1.7976931348623157e308, "1.7976931348623157e+308" }, { 0.49254512786865234, "0.49254512786865234" },
		{ 79.810454, "79.810454" }, { 1.4563091099262238e-05, "1.4563091099262238e-05" },
		{ -2.5, "-2.5" }, { 1.0 / 3, "0.3333333333333333" }, { 2.0 / 3, "0.6666666666666666" },
		{ 9007199254740993.0, "9007199254740992.0" }, { 1e22, "1e+22" }, { 1e23, "1e+23" },
		{ NAN, "NaN" }, { INFINITY, "Infinity" }, { -INFINITY, "-Infinity" },
	};
	char buf[FP_NUMBER_TEXT_MAX + 1];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf[fp_double_to_text(buf, cases[i].v)] = '\0';
		CHECK_EQ_STR(buf, cases[i].text);
	}
	buf[fp_i64_to_text(buf, INT64_MIN)] = '\0';
	CHECK_EQ_STR(buf, "-9223372036854775808");
	buf[fp_i64_to_text(buf, INT64_MAX)] = '\0';
	CHECK_EQ_STR(buf, "9223372036854775807");
	buf[fp_i64_to_text(buf, 0)] = '\0';
	CHECK_EQ_STR(buf, "0");
	buf[fp_i64_to_text(buf, -7)] = '\0';
	CHECK_EQ_STR(buf, "-7");
}

/* Every double written must read back bit for bit, and not be longer than
 * printf's 17 digits; 200k random bit patterns and 200k "decimal" ones. */
static void test_number_round_trip(void)
{
	char buf[FP_NUMBER_TEXT_MAX + 1];
	int bad = 0, longer = 0;

	for (int i = 0; i < 400000; i++) {
		uint64_t bits = rng();
		double v, back;
		size_t n;

		if (i & 1)
			memcpy(&v, &bits, sizeof(v));
		else
			v = (double)(bits % 100000000000ULL) / 1e6 * ((bits >> 60) & 1 ? -1 : 1);
		if (isnan(v))
			continue;
		n = fp_double_to_text(buf, v);
		buf[n] = '\0';
		if (fp_csv_parse_double(buf, n, &back) < 0 || memcmp(&back, &v, sizeof(v)) != 0 ||
		    strtod(buf, NULL) != v) {
			if (bad++ < 5)
				fprintf(stderr, "  %a written as %s\n", v, buf);
		}
		if (n > 24)
			longer++;
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(longer, 0);
}

static void test_number_parse(void)
{
	static const char *doubles[] = { "0", "-0.5", "+.5", "5.", "1e3", "1E-3", "nan", "NaN", "-inf", "Infinity",
					 "-INFINITY", "1e400", "0.1000000000000000055511151231257827",
					 "123456789012345678901234567890" };
	static const char *not_doubles[] = { "", ".", "-", "e5", "1e", "1e+", "0x10", "1.2.3", "1,5", "inf1",
					     "nana", "1 2", "--1" };
	static const char *not_ints[] = { "", "-", "+", "1.0", "9223372036854775808", "-9223372036854775809",
					  "1e3", "0x1", " 1" };
	double d;
	int64_t i;
	bool b;

	for (size_t k = 0; k < sizeof(doubles) / sizeof(doubles[0]); k++) {
		CHECK(fp_csv_parse_double(doubles[k], strlen(doubles[k]), &d) == 0);
		if (k != 6 && k != 7)
			CHECK(d == strtod(doubles[k], NULL));
	}
	for (size_t k = 0; k < sizeof(not_doubles) / sizeof(not_doubles[0]); k++)
		CHECK(fp_csv_parse_double(not_doubles[k], strlen(not_doubles[k]), &d) < 0);
	for (size_t k = 0; k < sizeof(not_ints) / sizeof(not_ints[0]); k++)
		CHECK(fp_csv_parse_i64(not_ints[k], strlen(not_ints[k]), &i) < 0);
	CHECK(fp_csv_parse_i64("-9223372036854775808", 20, &i) == 0 && i == INT64_MIN);
	CHECK(fp_csv_parse_i64("+9223372036854775807", 20, &i) == 0 && i == INT64_MAX);
	CHECK(fp_csv_parse_i64("007", 3, &i) == 0 && i == 7);
	CHECK(fp_csv_parse_bool("TRUE", 4, &b) == 0 && b);
	CHECK(fp_csv_parse_bool("False", 5, &b) == 0 && !b);
	CHECK(fp_csv_parse_bool("yes", 3, &b) < 0);
	CHECK(fp_csv_parse_double("nan", 3, &d) == 0 && isnan(d));
}

/* ------------------------------------------------------------ writer */

static struct fp_schema *every_type_schema(void)
{
	struct fp_schema *s = fp_schema_new("t", "v1");

	fp_schema_add(s, "flag", FP_TYPE_BOOL, true);
	fp_schema_add(s, "small", FP_TYPE_INT32, true);
	fp_schema_add(s, "big", FP_TYPE_INT64, true);
	fp_schema_add(s, "real", FP_TYPE_DOUBLE, true);
	fp_schema_add(s, "text \"q\", too", FP_TYPE_STRING, true);
	fp_schema_add(s, "timestamp", FP_TYPE_TIMESTAMP, true);
	return s;
}

/* Rows of every_type_schema(): one with each special case. */
static struct fp_batch *every_type_batch(const struct fp_schema *s)
{
	static const char *texts[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "", "cr\r", "\xc3\xa9t\xc3\xa9",
				       " spaced " };
	static const double reals[] = { 0.1, 1e-300, 123456789.123, NAN, INFINITY, -INFINITY, -0.0, -2.5 };
	static const int64_t bigs[] = { INT64_MIN, INT64_MAX, 0, -1, 42, 1, -42, 1000000 };
	struct fp_batch *b = fp_batch_new(s, 16);

	for (size_t i = 0; i < 8; i++) {
		fp_batch_put_bool(b, 0, i % 2 == 0);
		fp_batch_put_i32(b, 1, i == 0 ? INT32_MIN : i == 1 ? INT32_MAX : (int32_t)i - 3);
		fp_batch_put_i64(b, 2, bigs[i]);
		fp_batch_put_f64(b, 3, reals[i]);
		fp_batch_put_bytes(b, 4, texts[i], strlen(texts[i]));
		fp_batch_put_i64(b, 5, 1700000000123456 + (int64_t)i);
		fp_batch_end_row(b);
	}
	for (size_t c = 0; c < 6; c++)	/* a row of nulls */
		fp_batch_put_null(b, c);
	fp_batch_end_row(b);
	return b;
}

static const char every_type_csv[] =
	"flag,small,big,real,\"text \"\"q\"\", too\",timestamp\n"
	"true,-2147483648,-9223372036854775808,0.1,plain,1700000000123456\n"
	"false,2147483647,9223372036854775807,1e-300,\"a,b\",1700000000123457\n"
	"true,-1,0,123456789.123,\"say \"\"hi\"\"\",1700000000123458\n"
	"false,0,-1,NaN,\"two\nlines\",1700000000123459\n"
	"true,1,42,Infinity,\"\",1700000000123460\n"
	"false,2,1,-Infinity,\"cr\r\",1700000000123461\n"
	"true,3,-42,-0.0,\xc3\xa9t\xc3\xa9,1700000000123462\n"
	"false,4,1000000,-2.5, spaced ,1700000000123463\n"
	",,,,,\n";

static void test_writer_bytes(void)
{
	struct fp_schema *s = every_type_schema();
	struct fp_batch *b = every_type_batch(s);
	size_t len = 0;
	char *text = write_csv(s, &b, 1, &len);

	CHECK(text != NULL);
	if (text) {
		CHECK_EQ_INT(len, strlen(every_type_csv));
		CHECK_EQ_STR(text, every_type_csv);
	}
	free(text);
	fp_batch_free(b);
	fp_schema_free(s);
}

static void test_writer_binary_and_empty(void)
{
	struct fp_schema *s = fp_schema_new("t", "v1");
	struct fp_batch *b;
	size_t len = 0;
	char *text;

	fp_schema_add(s, "blob", FP_TYPE_BINARY, true);
	b = fp_batch_new(s, 4);
	fp_batch_put_bytes(b, 0, "\x00\xff\x10", 3);
	fp_batch_end_row(b);
	text = write_csv(s, &b, 1, &len);
	CHECK_EQ_STR(text, "blob\n00ff10\n");
	free(text);
	/* a batch of the wrong shape is refused */
	{
		struct fp_schema *other = every_type_schema();
		struct fp_batch *ob = fp_batch_new(other, 1);
		struct fp_error err = { "" };
		char *t2 = NULL;
		size_t l2;
		FILE *out = open_memstream(&t2, &l2);
		struct fp_csv_writer *w = fp_csv_writer_open(out, "x.csv", s, &err);
		CHECK(fp_csv_writer_write(w, ob, &err) < 0);
		CHECK(has(err.msg, "x.csv: a batch of 6 columns for a CSV of 1"));
		fp_csv_writer_abort(w);
		fclose(out);
		free(t2);
		fp_batch_free(ob);
		fp_schema_free(other);
	}
	fp_batch_free(b);
	fp_schema_free(s);
}

/* A stream that fails: the error comes out at close, naming the file. */
static void test_writer_error(void)
{
	struct fp_schema *s = every_type_schema();
	struct fp_batch *b = every_type_batch(s);
	struct fp_error err = { "" };
	FILE *out = fopen("/dev/full", "w");
	struct fp_csv_writer *w;
	int rc = 0;

	if (out == NULL) {
		fprintf(stderr, "  (no /dev/full: skipped)\n");
		goto out;
	}
	w = fp_csv_writer_open(out, "full.csv", s, &err);
	CHECK(w != NULL);
	for (int i = 0; i < 1000 && rc == 0; i++)	/* > 1 MiB: a buffer flush fails */
		rc = fp_csv_writer_write(w, b, &err);
	if (fp_csv_writer_close(w, &err) < 0)
		rc = -1;
	CHECK(rc < 0);
	CHECK(has(err.msg, "full.csv: write failed"));
	fclose(out);
out:
	fp_batch_free(b);
	fp_schema_free(s);
}

/* ------------------------------------------------------------ round trips */

static void test_round_trip_every_type(void)
{
	struct fp_error err = { "" };
	const char *got = read_text(every_type_csv, strlen(every_type_csv), NULL, &err);

	CHECK(got != NULL);
	if (got == NULL) {
		fprintf(stderr, "  %s\n", err.msg);
		return;
	}
	CHECK_EQ_STR(got,
		     "flag:bool small:int64 big:int64 real:float64 text \"q\", too:string timestamp:int64"
		     " /T|-2147483648|-9223372036854775808|0.10000000000000001|<plain>|1700000000123456"
		     " /F|2147483647|9223372036854775807|1e-300|<a,b>|1700000000123457"
		     " /T|-1|0|123456789.123|<say \"hi\">|1700000000123458"
		     " /F|0|-1|nan|<two\nlines>|1700000000123459"
		     " /T|1|42|inf|<>|1700000000123460"
		     " /F|2|1|-inf|<cr\r>|1700000000123461"
		     " /T|3|-42|-0|<\xc3\xa9t\xc3\xa9>|1700000000123462"
		     " /F|4|1000000|-2.5|< spaced >|1700000000123463"
		     " /~|~|~|~|~|~");
}

/* Random tables through writer and reader: every value equal, across the
 * end of the inference sample, many batches, a string > 1 MiB (a row
 * written field by field) and rows that meet the end of the 1 MiB write
 * buffer (about 2.5 MB of rows with room checked per row). */
static void test_round_trip_random(void)
{
	enum { ROWS = 30000, CAP = 97 };
	static const char *alphabet[] = { "a", "b", ",", "\"", "\n", "\r", " ", "\xc3\xa9", ";", "\t", "0" };
	struct fp_schema *s = fp_schema_new("r", "v1");
	struct fp_batch *batches[ROWS / CAP + 1];
	size_t nb = 0, len = 0, row_total = 0;
	struct fp_error err = { "" };
	char *text, *big = malloc(3u << 20);
	struct fp_csv_reader *r;
	struct fp_batch *in;
	FILE *f;
	long got;
	int mismatches = 0;

	fp_schema_add(s, "i", FP_TYPE_INT64, true);
	fp_schema_add(s, "d", FP_TYPE_DOUBLE, true);
	fp_schema_add(s, "s", FP_TYPE_STRING, true);
	fp_schema_add(s, "b", FP_TYPE_BOOL, true);
	for (size_t i = 0; i < (3u << 20); i++)
		big[i] = "q\"\n,"[i % 4];
	for (size_t row = 0; row < ROWS; row++) {
		struct fp_batch *b;
		uint64_t x = rng();
		double d;
		char str[80];
		size_t n = 0, pieces = rng() % 40;

		if (nb == 0 || fp_batch_full(batches[nb - 1]))
			batches[nb++] = fp_batch_new(s, CAP);
		b = batches[nb - 1];
		if (x % 17 == 0)
			fp_batch_put_null(b, 0);
		else
			fp_batch_put_i64(b, 0, (int64_t)rng());
		memcpy(&d, &x, sizeof(d));
		if (isnan(d) || x % 13 == 0)
			fp_batch_put_null(b, 1);
		else
			fp_batch_put_f64(b, 1, d);
		for (size_t k = 0; k < pieces; k++) {
			const char *piece = alphabet[rng() % (sizeof(alphabet) / sizeof(alphabet[0]))];
			memcpy(str + n, piece, strlen(piece));
			n += strlen(piece);
		}
		if (row == 3000)
			fp_batch_put_bytes(b, 2, big, 3u << 20);
		else if (x % 11 == 0)
			fp_batch_put_null(b, 2);
		else
			fp_batch_put_bytes(b, 2, str, n);
		if (x % 7 == 0)
			fp_batch_put_null(b, 3);
		else
			fp_batch_put_bool(b, 3, x & 1);
		fp_batch_end_row(b);
	}
	text = write_csv(s, batches, nb, &len);
	CHECK(text != NULL);
	f = text ? fmemopen(text, len, "r") : NULL;
	r = f ? fp_csv_reader_open_stream(f, "random.csv", NULL, &err) : NULL;
	CHECK(r != NULL);
	if (r == NULL) {
		fprintf(stderr, "  %s\n", err.msg);
		goto out;
	}
	for (size_t c = 0; c < 4; c++)
		CHECK_EQ_INT(fp_csv_reader_schema(r)->fields[c].type, s->fields[c].type);
	in = fp_batch_new(fp_csv_reader_schema(r), 61);
	while ((got = fp_csv_reader_next(r, in, &err)) > 0) {
		for (size_t k = 0; k < in->nrows; k++, row_total++) {
			const struct fp_batch *ob = batches[row_total / CAP];
			size_t orow = row_total % CAP;
			for (size_t c = 0; c < 4; c++) {
				const struct fp_column *a = &ob->cols[c], *bc = &in->cols[c];
				bool va = fp_column_is_valid(a, orow), vb = fp_column_is_valid(bc, k);
				bool same = va == vb;
				if (same && va) {
					const char *pa, *pb;
					size_t la, lb;
					switch (c) {
					case 0: same = a->v.i64[orow] == bc->v.i64[k]; break;
					case 1: same = memcmp(&a->v.f64[orow], &bc->v.f64[k], 8) == 0; break;
					case 2:
						pa = fp_column_bytes(a, orow, &la);
						pb = fp_column_bytes(bc, k, &lb);
						same = la == lb && memcmp(pa, pb, la) == 0;
						break;
					default: same = a->v.b[orow] == bc->v.b[k]; break;
					}
				}
				if (!same && mismatches++ < 5)
					fprintf(stderr, "  row %zu column %zu differs\n", row_total, c);
			}
		}
	}
	CHECK(got == 0);
	if (got < 0)
		fprintf(stderr, "  %s\n", err.msg);
	CHECK_EQ_INT(row_total, ROWS);
	CHECK_EQ_INT(mismatches, 0);
	fp_batch_free(in);
	fp_csv_reader_close(r);
out:
	if (f)
		fclose(f);
	free(text);
	free(big);
	for (size_t i = 0; i < nb; i++)
		fp_batch_free(batches[i]);
	fp_schema_free(s);
}

/* ------------------------------------------------------------ reader */

static void expect_read(const char *text, size_t len, const struct fp_csv_read_options *o, const char *want)
{
	struct fp_error err = { "" };
	const char *got = read_text(text, len, o, &err);

	CHECK(got != NULL);
	if (got == NULL) {
		fprintf(stderr, "  reading \"%s\": %s\n", text, err.msg);
		return;
	}
	CHECK_EQ_STR(got, want);
}

static void expect_error(const char *text, size_t len, const struct fp_csv_read_options *o, const char *part)
{
	struct fp_error err = { "" };

	CHECK(read_text(text, len, o, &err) == NULL);
	CHECK(has(err.msg, part));
}

#define EXPECT_READ(text, want) expect_read(text, sizeof(text) - 1, NULL, want)
#define EXPECT_ERROR(text, part) expect_error(text, sizeof(text) - 1, NULL, part)
#define EXPECT_READ_O(text, o, want) expect_read(text, sizeof(text) - 1, o, want)
#define EXPECT_ERROR_O(text, o, part) expect_error(text, sizeof(text) - 1, o, part)

static void test_reader_rfc4180(void)
{
	/* BOM, CRLF, quoted commas, doubled quotes, a CRLF inside quotes,
	 * trailing blank line */
	EXPECT_READ("\xef\xbb\xbfid,name\r\n1,\"a,b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"multi\r\nline\"\r\n4,plain\r\n\r\n",
		    "id:int64 name:string /1|<a,b> /2|<say \"hi\"> /3|<multi\r\nline> /4|<plain>");
	/* LF, no newline at the end, blank lines skipped, a quote inside a bare field */
	EXPECT_READ("a,b\n\n1,x\"y\n\n2,z", "a:int64 b:string /1|<x\"y> /2|<z>");
	/* lone CR line ends */
	EXPECT_READ("a,b\r1,2\r3,4\r", "a:int64 b:int64 /1|2 /3|4");
	/* empty fields are nulls, "" is an empty string, one column */
	EXPECT_READ("s\nx\n\"\"\n\"\"\"\"\n", "s:string /<x> /<> /<\">");
	EXPECT_READ("s\n\"\"\n", "s:string /<>");	/* a sample of no bytes at all */
	EXPECT_READ("a,b,c\n,,\n\"\",,1\n", "a:string b:string c:int64 /~|~|~ /<>|~|1");
	/* a quoted field of only a line end */
	EXPECT_READ("a,b\n\"\n\",1\n", "a:string b:int64 /<\n>|1");
}

static void test_reader_empty_inputs(void)
{
	struct fp_error err = { "" };
	struct fp_csv_reader *r;
	struct fp_batch *b;

	expect_read("", 0, NULL, "");
	EXPECT_READ("\xef\xbb\xbf", "");
	EXPECT_READ("\n\n\r\n", "");
	EXPECT_READ("a,b\n", "a:string b:string");
	EXPECT_READ("a,b", "a:string b:string");
	/* a real (empty) file through fp_csv_reader_open */
	r = fp_csv_reader_open("/dev/null", NULL, &err);
	CHECK(r != NULL);
	if (r) {
		CHECK_EQ_INT(fp_csv_reader_schema(r)->nfields, 0);
		b = fp_batch_new(fp_csv_reader_schema(r), 4);
		CHECK_EQ_INT(fp_csv_reader_next(r, b, &err), 0);
		fp_batch_free(b);
		fp_csv_reader_close(r);
	}
	CHECK(fp_csv_reader_open("/nonexistent/x.csv", NULL, &err) == NULL);
	CHECK(has(err.msg, "/nonexistent/x.csv: No such file"));
}

static void test_reader_inference(void)
{
	EXPECT_READ("i,d,b,s,n,w\n1,1,true,1,,\" 5 \"\n-2,2.5,FALSE,x,,\n 3 ,nan,True,2,,7\n,-Infinity,,,,\n",
		    "i:int64 d:float64 b:bool s:string n:string w:int64"
		    " /1|1|T|<1>|~|5 /-2|2.5|F|<x>|~|~ /3|nan|T|<2>|~|7 /~|-inf|~|~|~|~");
	/* too big for int64: double; 0/1 are integers, not booleans */
	EXPECT_READ("a,b\n9223372036854775808,0\n1,1\n", "a:float64 b:int64 /9.2233720368547758e+18|0 /1|1");
	/* header names: empty ones numbered, repeats suffixed like pandas */
	EXPECT_READ("a,,a,a,a.1\n1,2,3,4,5\n", "a:int64 column_2:int64 a.1:int64 a.2:int64 a.1.1:int64 /1|2|3|4|5");
}

static void test_reader_options(void)
{
	struct fp_csv_read_options o;

	fp_csv_read_options_defaults(&o);
	o.delimiter = ';';
	EXPECT_READ_O("a;b\n1,5;\"x;y\"\n", &o, "a:string b:string /<1,5>|<x;y>");
	o.delimiter = '"';
	EXPECT_ERROR_O("a\n", &o, "delimiter");
	/* an invalid UTF-8 byte (CP1252 en dash): an error, or U+FFFD */
	fp_csv_read_options_defaults(&o);
	EXPECT_ERROR_O("label\nWeb Attack \x96 Brute Force\n", &o,
		     "t.csv: line 2, column 'label': invalid UTF-8 (byte 0x96 at offset 11)");
	o.replace_invalid_utf8 = true;
	EXPECT_READ_O("label\nWeb Attack \x96 Brute Force\n", &o,
		    "label:string /<Web Attack \xef\xbf\xbd Brute Force>");
	fp_csv_read_options_defaults(&o);
	EXPECT_ERROR_O("l\xe9\n1\n", &o, "line 1, header field 1: invalid UTF-8");
	/* a type that stops fitting after the sample */
	o.infer_rows = 2;
	EXPECT_ERROR_O("n,fwd_bytes\n1,1\n2,2\n3,3\n4,abc\n", &o,
		     "t.csv: line 5, column 'fwd_bytes': 'abc' is not an integer");
	EXPECT_ERROR_O("d\n1.5\n2\nx\n", &o, "line 4, column 'd': 'x' is not a number");
	EXPECT_ERROR_O("b\ntrue\nfalse\n1\n", &o, "line 4, column 'b': '1' is not true or false");
	/* a ragged row after the sample names its line */
	EXPECT_ERROR_O("a,b\n1,2\n3,4\n5,6,7\n", &o, "t.csv: line 4 has 3 fields, but the header has 2");
	/* a record over the size limit */
	o.max_record_bytes = 100;
	{
		char text[400];
		memset(text, 'x', sizeof(text));
		memcpy(text, "a,b\n1,", 6);
		expect_error(text, sizeof(text), &o, "t.csv: line 2: a record longer than 100 bytes");
		memcpy(text, "a,b\n1,\"", 7);
		expect_error(text, sizeof(text), &o, "t.csv: line 2: a record longer than 100 bytes");
	}
}

static void test_reader_errors(void)
{
	EXPECT_ERROR("a,b\n1,2\n3\n", "t.csv: line 3 has 1 field, but the header has 2");
	EXPECT_ERROR("a,b\n1,2\n\"x\nyz\",2,3\n", "t.csv: line 3 has 3 fields, but the header has 2");
	EXPECT_ERROR("a,b\n1,\"abc\n\n", "t.csv: line 4: the quoted field started on line 2 is not closed");
	EXPECT_ERROR("a,b\n1,\"abc\"x\n", "t.csv: line 2: unexpected character after the closing quote of field 2");
	EXPECT_ERROR("\xd4\xc3\xb2\xa1\x02\x00\x04\x00", "t.csv: line 1: a NUL byte");
	EXPECT_ERROR("a,b\n1,\"x\x00\"\n", "t.csv: line 2: a NUL byte");
}

/* Too many columns are refused; many equal names become unique (in linear
 * time: 5000 here, as fp_schema_add() grows its array one field at a time,
 * which is slow under ASan). */
static void test_reader_wide_header(void)
{
	size_t n = FP_CSV_MAX_COLUMNS + 1, len = 2 * n, wide = 5000;
	char *text = malloc(len);
	struct fp_error err = { "" };
	struct fp_csv_reader *r;
	FILE *in;

	for (size_t i = 0; i < n; i++) {
		text[2 * i] = 'a';
		text[2 * i + 1] = ',';
	}
	text[len - 1] = '\n';
	r = open_text(text, len, NULL, &in, &err);
	CHECK(r == NULL);
	CHECK(has(err.msg, "t.csv: line 1: 100001 columns, more than flowprep's limit of 100000"));
	text[2 * wide - 1] = '\n';
	r = open_text(text, 2 * wide, NULL, &in, &err);
	CHECK(r != NULL);
	if (r) {
		const struct fp_schema *s = fp_csv_reader_schema(r);
		CHECK_EQ_INT(s->nfields, wide);
		CHECK_EQ_STR(s->fields[1].name, "a.1");
		CHECK_EQ_STR(s->fields[wide - 1].name, "a.4999");
		fp_csv_reader_close(r);
		fclose(in);
	}
	free(text);
}

/* After an error, the reader keeps failing instead of resuming mid-file. */
static void test_reader_stays_failed(void)
{
	static const char text[] = "a\n1\n2\nx\n4\n";
	struct fp_csv_read_options o;
	struct fp_error err = { "" };
	FILE *in;
	struct fp_csv_reader *r;
	struct fp_batch *b;

	fp_csv_read_options_defaults(&o);
	o.infer_rows = 1;
	r = open_text(text, sizeof(text) - 1, &o, &in, &err);
	CHECK(r != NULL);
	if (r == NULL)
		return;
	b = fp_batch_new(fp_csv_reader_schema(r), 1);
	CHECK_EQ_INT(fp_csv_reader_line(r), 1);
	CHECK_EQ_INT(fp_csv_reader_next(r, b, &err), 1);
	CHECK_EQ_INT(fp_csv_reader_line(r), 2);
	CHECK_EQ_INT(fp_csv_reader_next(r, b, &err), 1);
	CHECK_EQ_INT(fp_csv_reader_line(r), 3);
	CHECK_EQ_INT(fp_csv_reader_next(r, b, &err), -1);
	CHECK(has(err.msg, "line 4"));
	CHECK_EQ_INT(fp_csv_reader_next(r, b, &err), -1);
	fp_batch_free(b);
	fp_csv_reader_close(r);
	fclose(in);
}

/* Positions: fp_csv_reader_line() counts CRLF once and newlines inside
 * quotes; CR+LF, a doubled quote and a closing quote split across the 1 MiB
 * read buffer are still one token each. */
static void test_reader_lines_and_buffer_edges(void)
{
	enum { EDGE = 1u << 20 };
	static const char small[] = "\xef\xbb\xbfid,name\r\n1,\"a\r\nb\"\r\n\r\n2,\"c\nd\ne\"\n3,x\r\n";
	static const uint64_t small_lines[] = { 2, 5, 8 };
	struct fp_error err = { "" };
	char *text = malloc(EDGE + 64);
	size_t at;
	FILE *in;
	struct fp_csv_reader *r = open_text(small, sizeof(small) - 1, NULL, &in, &err);
	struct fp_batch *b;

	CHECK(r != NULL);
	if (r) {
		b = fp_batch_new(fp_csv_reader_schema(r), 1);
		for (size_t i = 0; i < 3; i++) {
			CHECK_EQ_INT(fp_csv_reader_next(r, b, &err), 1);
			CHECK_EQ_INT(fp_csv_reader_line(r), small_lines[i]);
		}
		CHECK_EQ_INT(fp_csv_reader_next(r, b, &err), 0);
		fp_batch_free(b);
		fp_csv_reader_close(r);
		fclose(in);
	}
	/* the byte at EDGE - 1 is the last of the first buffer */
	for (int variant = 0; variant < 3; variant++) {
		static const char *tails[] = { "\r\n2,\"q\"\r\n", "\"\"z\"\r\n2,q\r\n", "z\"\r\n2,q\r\n" };
		size_t pad, n0 = 0, n1 = 0;
		const char *v0 = NULL, *v1 = NULL;

		memcpy(text, "a,b\r\n1,", 7);
		at = 7;
		if (variant > 0)
			text[at++] = '"';
		pad = EDGE - 1 - at - (variant == 2);	/* CR | LF, " | ", z" | CR */
		memset(text + at, 'p', pad);
		at += pad;
		memcpy(text + at, tails[variant], strlen(tails[variant]));
		at += strlen(tails[variant]);
		r = open_text(text, at, NULL, &in, &err);
		CHECK(r != NULL);
		if (r == NULL) {
			fprintf(stderr, "  variant %d: %s\n", variant, err.msg);
			continue;
		}
		b = fp_batch_new(fp_csv_reader_schema(r), 4);
		CHECK_EQ_INT(fp_csv_reader_next(r, b, &err), 2);
		if (b->nrows == 2) {
			v0 = fp_column_bytes(&b->cols[1], 0, &n0);
			v1 = fp_column_bytes(&b->cols[1], 1, &n1);
		}
		CHECK_EQ_INT(n0, pad + (variant == 1 ? 2 : variant == 2 ? 1 : 0));	/* "z, z */
		CHECK(v0 && v0[0] == 'p' && (variant == 0 ? v0[n0 - 1] == 'p' : memcmp(v0 + n0 - 2, variant == 1 ? "\"z" : "pz", 2) == 0));
		CHECK(n1 == 1 && v1[0] == 'q');
		CHECK_EQ_INT(fp_csv_reader_line(r), 3);
		fp_batch_free(b);
		fp_csv_reader_close(r);
		fclose(in);
	}
	free(text);
}

/* Random bytes, heavy in CSV's special characters: any outcome but a crash
 * (ASan/UBSan make a bad read or overflow fatal). */
static void test_reader_garbage(void)
{
	static const char pieces[] = "\",\r\n ax1.\xef\xbb\xbf\x96\xc3";
	char text[3000];
	int opened = 0;

	for (int round = 0; round < 600; round++) {
		size_t len = 1 + rng() % sizeof(text);
		struct fp_csv_read_options o;
		struct fp_error err = { "" };

		for (size_t i = 0; i < len; i++)
			text[i] = round % 5 == 0 ? (char)rng() : pieces[rng() % (sizeof(pieces) - 1)];
		fp_csv_read_options_defaults(&o);
		o.infer_rows = 1 + rng() % 5;
		o.max_record_bytes = 1 + rng() % 4000;
		o.replace_invalid_utf8 = round & 1;
		if (read_text(text, len, &o, &err) != NULL)
			opened++;
		else
			CHECK(has(err.msg, "t.csv"));
	}
	CHECK(opened > 0);
}

/* ------------------------------------------------------------ reference */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (f == NULL)
		return NULL;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			buf = realloc(buf, cap + 1);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Reads a whole CSV; optionally rewrites it with the writer. Returns rows
 * or -1. */
static long read_reference(const char *path, char **rewritten, size_t *rewritten_len, struct fp_error *err)
{
	struct fp_csv_reader *r = fp_csv_reader_open(path, NULL, err);
	struct fp_csv_writer *w = NULL;
	struct fp_batch *b;
	FILE *out = NULL;
	long rows = 0, got;

	if (r == NULL)
		return -1;
	b = fp_batch_new(fp_csv_reader_schema(r), 1000);
	if (rewritten) {
		out = open_memstream(rewritten, rewritten_len);
		w = fp_csv_writer_open(out, "rewrite.csv", fp_csv_reader_schema(r), err);
	}
	while ((got = fp_csv_reader_next(r, b, err)) > 0) {
		rows += got;
		if (w && fp_csv_writer_write(w, b, err) < 0)
			got = -1;
	}
	if (w && fp_csv_writer_close(w, err) < 0)
		got = -1;
	if (out)
		fclose(out);
	if (got == 0 && fp_csv_reader_schema(r)->nfields > 0) {
		const struct fp_schema *s = fp_csv_reader_schema(r);
		CHECK_EQ_INT(s->nfields, 82);
		CHECK_EQ_INT(s->fields[fp_schema_find(s, "src_port")].type, FP_TYPE_INT64);
		CHECK_EQ_INT(s->fields[fp_schema_find(s, "src_ip")].type, FP_TYPE_STRING);
		CHECK_EQ_INT(s->fields[fp_schema_find(s, "timestamp")].type, FP_TYPE_DOUBLE);
	}
	fp_batch_free(b);
	fp_csv_reader_close(r);
	return got < 0 ? -1 : rows;
}

/* Python's csv module writes CRLF; ours LF. Otherwise the same numbers
 * (Python's repr is the shortest round-trip form, as is ours), except
 * that pcapflower mixes ints and floats in bwd_pkt_len_max/min ("52" and
 * "0.0"): the column reads as double and every value is rewritten "52.0". */
static void compare_rewrite(const char *path, const char *mine, size_t mine_len)
{
	size_t len = 0, i = 0, j = 0, widened = 0;
	char *orig = slurp(path, &len);
	bool same = orig != NULL;

	while (same && i < len) {
		if (orig[i] == '\r' && i + 1 < len && orig[i + 1] == '\n') {
			i++;
			continue;
		}
		if (j < mine_len && mine[j] == orig[i]) {
			i++;
			j++;
			continue;
		}
		same = j + 2 <= mine_len && memcmp(mine + j, ".0", 2) == 0 && (orig[i] == ',' || orig[i] == '\r');
		j += 2;
		widened++;
	}
	if (!same || j != mine_len)
		fprintf(stderr, "  %s: rewrite differs at byte %zu\n", path, i);
	CHECK(same && j == mine_len);
	CHECK(widened < len / 100);
	free(orig);
}

static void test_reference_pcapflower(void)
{
	const char *shared = getenv("SHARED_DIR");
	char dir[4096], path[8192];
	char *manifest, *line, *save = NULL;
	size_t len;
	int files = 0, nonempty = 0;

	snprintf(dir, sizeof(dir), "%s/reference/pcapflower", shared ? shared : "");
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", dir);
	if (shared == NULL || access(path, R_OK) != 0) {
		fprintf(stderr, "  SHARED_DIR/reference/pcapflower not found: reference CSVs skipped\n");
		return;
	}
	manifest = slurp(path, &len);
	CHECK(manifest != NULL);
	if (manifest == NULL)
		return;
	for (line = strtok_r(manifest, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char file[1024], status[32];
		long rows, got;
		struct fp_error err = { "" };
		char *mine = NULL;
		size_t mine_len = 0;
		bool generated;

		if (sscanf(line, "%1023[^\t]\t%31[^\t]\t%ld", file, status, &rows) != 3 || strcmp(status, "ok") != 0)
			continue;	/* the header, and failed runs (no CSV kept) */
		generated = strncmp(file, "inputs/", 7) == 0;
		if (generated)	/* inputs/gen-a.pcap -> gen-a.csv */
			snprintf(path, sizeof(path), "%s/%.*s.csv", dir, (int)strcspn(file + 7, "."), file + 7);
		else
			snprintf(path, sizeof(path), "%s/corpus/%s.csv", dir, file);
		got = read_reference(path, generated ? &mine : NULL, &mine_len, &err);
		if (got != rows)
			fprintf(stderr, "  %s: %ld rows, MANIFEST says %ld (%s)\n", path, got, rows, err.msg);
		CHECK_EQ_INT(got, rows);
		if (generated && got >= 0)
			compare_rewrite(path, mine, mine_len);
		free(mine);
		files++;
		nonempty += rows > 0;
	}
	fprintf(stderr, "  %d reference CSVs read (%d with rows)\n", files, nonempty);
	CHECK(files >= 100);
	free(manifest);
}

int main(void)
{
	RUN(test_number_format);
	RUN(test_number_round_trip);
	RUN(test_number_parse);
	RUN(test_writer_bytes);
	RUN(test_writer_binary_and_empty);
	RUN(test_writer_error);
	RUN(test_round_trip_every_type);
	RUN(test_round_trip_random);
	RUN(test_reader_rfc4180);
	RUN(test_reader_empty_inputs);
	RUN(test_reader_inference);
	RUN(test_reader_options);
	RUN(test_reader_errors);
	RUN(test_reader_wide_header);
	RUN(test_reader_stays_failed);
	RUN(test_reader_lines_and_buffer_edges);
	RUN(test_reader_garbage);
	RUN(test_reference_pcapflower);
	return TEST_RESULT();
}
