/*
 * test-sink.c - sinks as destinations: the file sink writes row ranges of
 * any format and publishes only at close; a failure (injected, so this
 * runs as root too) leaves nothing and names the file; errors that arrive
 * late stay with the sink; the hour-partitioned sink files rows of
 * interleaved hours into the Hive layout, publishes an hour when tick()
 * passes its grace, never overwrites, and every row is read back exactly
 * once with the project's own table readers.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/table-reader.h"
#include "sink/file-sink.h"
#include "sink/sink.h"
#include "tests/unit/test.h"

#define HOUR_US ((int64_t)3600 * 1000000)
#define HOUR_NS ((int64_t)3600 * 1000000000)
/* 2026-01-02T10:00:00Z */
#define BASE_HOUR_US ((int64_t)1767348000 * 1000000)

static char root[] = "/tmp/fp-test-sink-XXXXXX";

/* ------------------------------------------------------------ helpers */

static struct fp_schema *test_schema(void)
{
	struct fp_schema *s = fp_schema_new("test", "v1");
	struct fp_field *f = fp_schema_add(s, "timestamp", FP_TYPE_TIMESTAMP, false);

	f->time_unit = FP_UNIT_MICROS;
	f->time_utc = true;
	fp_schema_add(s, "id", FP_TYPE_INT64, false);
	fp_schema_add(s, "name", FP_TYPE_STRING, true);
	return s;
}

static void put_row(struct fp_batch *b, int64_t ts_us, int64_t id)
{
	char name[32];

	snprintf(name, sizeof(name), "row \"%lld\"", (long long)id);
	fp_batch_put_i64(b, 0, ts_us);
	fp_batch_put_i64(b, 1, id);
	if (id % 5 == 0)
		fp_batch_put_null(b, 2);
	else
		fp_batch_put_bytes(b, 2, name, strlen(name));
	fp_batch_end_row(b);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (f == NULL)
		return NULL;
	do {
		if (cap - n < 4096 && (buf = realloc(buf, cap = cap * 2 + 4096)) == NULL)
			break;
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

/* Files under `dir`, recursively: published ones into names[] (if not
 * NULL), hidden ones counted. */
static void walk(const char *dir, char names[][512], size_t *nnames, size_t max, int *hidden)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[512];
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(path, names, nnames, max, hidden);
		} else if (e->d_name[0] == '.') {
			(*hidden)++;
		} else if (*nnames < max) {
			strcpy(names[(*nnames)++], path);
		}
	}
	closedir(d);
}

static void remove_tree(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_EQ_INT(system(cmd), 0);
}

/* ------------------------------------------------------------ the file sink */

static struct fp_batch *five_rows(const struct fp_schema *s)
{
	struct fp_batch *b = fp_batch_new(s, 8);

	for (int i = 0; i < 5; i++)
		put_row(b, BASE_HOUR_US + i, i);
	return b;
}

static void test_file_sink_row_ranges(void)
{
	static const char csv_head[] = "timestamp,id,name\n1767348000000000,0,\n1767348000000001,1,\"row \"\"1\"\"\"\n";
	struct fp_schema *s = test_schema();
	struct fp_batch *b = five_rows(s);
	struct fp_format_options fo;
	struct fp_error err = { "" };
	char whole[300], ranged[300], *a, *c;
	struct fp_sink *sink;

	fp_format_options_defaults(&fo);
	snprintf(whole, sizeof(whole), "%s/whole.csv", root);
	snprintf(ranged, sizeof(ranged), "%s/ranged.csv", root);
	sink = fp_file_sink_open(whole, s, &fo, &err);
	CHECK(sink != NULL && fp_sink_write(sink, b, &err) == 0 && fp_sink_close(sink, &err) == 0);
	sink = fp_file_sink_open(ranged, s, &fo, &err);
	CHECK(sink != NULL);
	CHECK_EQ_INT(fp_sink_write_rows(sink, b, 0, 2, &err), 0);
	CHECK_EQ_INT(fp_sink_write_rows(sink, b, 2, 0, &err), 0);
	CHECK_EQ_INT(fp_sink_write_rows(sink, b, 2, 3, &err), 0);
	CHECK_EQ_INT(sink->rows_written, 5);
	CHECK(access(ranged, F_OK) != 0);	/* nothing under the final name before close */
	CHECK_EQ_INT(fp_sink_flush(sink, &err), 0);
	CHECK_EQ_INT(fp_sink_tick(sink, 0, &err), 0);
	CHECK_EQ_INT(fp_sink_close(sink, &err), 0);
	a = slurp(whole);
	c = slurp(ranged);
	CHECK(a != NULL && c != NULL && strcmp(a, c) == 0);
	CHECK(a != NULL && strncmp(a, csv_head, strlen(csv_head)) == 0);
	free(a);
	free(c);
	unlink(whole);
	unlink(ranged);
	fp_batch_free(b);
	fp_schema_free(s);
}

/* The rows_held of a file sink at root/name written with `fo` (the sink
 * is then aborted), or -1 if it cannot be opened. */
static long rows_held_of(const char *name, const struct fp_schema *s, const struct fp_format_options *fo)
{
	struct fp_error err = { "" };
	struct fp_sink *sink;
	char path[300];
	long held;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	if ((sink = fp_file_sink_open(path, s, fo, &err)) == NULL)
		return -1;
	held = (long)sink->rows_held;
	fp_sink_abort(sink);
	return held;
}

/* rows_held says what a writer thread must queue ahead: a Parquet file its
 * row group (the default or the one asked for), CSV and JSON lines
 * nothing, a tee the most of its sinks. */
static void test_rows_held(void)
{
	struct fp_schema *s = test_schema();
	struct fp_format_options fo;
	struct fp_error err = { "" };
	struct fp_sink *sinks[2], *tee;
	char path[2][300];

	fp_format_options_defaults(&fo);
	CHECK_EQ_INT(rows_held_of("held.csv", s, &fo), 0);
	CHECK_EQ_INT(rows_held_of("held.parquet", s, &fo), FP_PARQUET_DEFAULT_ROW_GROUP_ROWS);
	snprintf(path[0], sizeof(path[0]), "%s/tee.csv", root);
	snprintf(path[1], sizeof(path[1]), "%s/tee.parquet", root);
	sinks[0] = fp_file_sink_open(path[0], s, &fo, &err);
	sinks[1] = sinks[0] ? fp_file_sink_open(path[1], s, &fo, &err) : NULL;
	tee = sinks[1] ? fp_tee_sink_new(sinks, 2, &err) : NULL;	/* takes both, even when it fails */
	CHECK(tee != NULL);
	if (tee != NULL) {
		CHECK_EQ_INT(tee->rows_held, FP_PARQUET_DEFAULT_ROW_GROUP_ROWS);
		fp_sink_abort(tee);
	} else if (sinks[0] != NULL) {
		fp_sink_abort(sinks[0]);
	}
	fo.parquet.row_group_rows = 1000;
	CHECK_EQ_INT(rows_held_of("held2.parquet", s, &fo), 1000);
	fo.format = FP_FORMAT_JSONL;
	CHECK_EQ_INT(rows_held_of("held.jsonl", s, &fo), 0);
	fp_schema_free(s);
}

static void test_file_sink_jsonl(void)
{
	struct fp_schema *s = test_schema();
	struct fp_batch *b = five_rows(s);
	struct fp_format_options fo;
	struct fp_error err = { "" };
	char path[300], *text;
	struct fp_sink *sink;

	fp_format_options_defaults(&fo);
	snprintf(path, sizeof(path), "%s/rows.ndjson", root);
	sink = fp_file_sink_open(path, s, &fo, &err);
	CHECK(sink != NULL);
	CHECK_EQ_INT(fp_sink_write_rows(sink, b, 3, 2, &err), 0);
	CHECK_EQ_INT(fp_sink_close(sink, &err), 0);
	text = slurp(path);
	CHECK_EQ_STR(text, "{\"timestamp\":1767348000000003,\"id\":3,\"name\":\"row \\\"3\\\"\"}\n"
			   "{\"timestamp\":1767348000000004,\"id\":4,\"name\":\"row \\\"4\\\"\"}\n");
	free(text);
	unlink(path);
	fp_batch_free(b);
	fp_schema_free(s);
}

static int fail_writes;	/* test-only switch for failing_write */

static ssize_t failing_write(int fd, const void *buf, size_t n)
{
	if (fail_writes) {
		errno = EDQUOT;
		return -1;
	}
	return fp_file_ops_posix.write(fd, buf, n);
}

static void test_file_sink_failure_leaves_nothing(void)
{
	struct fp_schema *s = test_schema();
	struct fp_batch *b = five_rows(s);
	struct fp_file_ops ops = fp_file_ops_posix;
	struct fp_atomic_file_options file = { .ops = &ops };
	struct fp_format_options fo;
	struct fp_error err = { "" };
	char path[300];
	struct fp_sink *sink;
	int hidden = 0;
	size_t nfiles = 0;

	ops.write = failing_write;
	fp_format_options_defaults(&fo);
	for (enum fp_format f = FP_FORMAT_CSV; f <= FP_FORMAT_JSONL; f++) {
		snprintf(path, sizeof(path), "%s/failing.%s", root, fp_format_extension(f));
		sink = fp_file_sink_open_with(path, s, &fo, &file, &err);
		CHECK(sink != NULL);
		if (sink == NULL)
			continue;
		CHECK_EQ_INT(fp_sink_write(sink, b, &err), 0);
		fail_writes = 1;
		CHECK_EQ_INT(fp_sink_close(sink, &err), -1);
		fail_writes = 0;
		CHECK(strstr(err.msg, path) != NULL);
		CHECK(strstr(err.msg, "quota") != NULL);
	}
	walk(root, NULL, &nfiles, 0, &hidden);
	CHECK_EQ_INT(nfiles + hidden, 0);
	fp_batch_free(b);
	fp_schema_free(s);
}

/* ------------------------------------------------------------ late errors */

/* A stand-in for an asynchronous sink: its deliveries fail after two writes,
 * and it learns so only when polled. */
struct late_sink {
	struct fp_sink base;
	int writes;
	int *aborted;
};

static int late_write(struct fp_sink *s, const struct fp_batch *b, size_t first, size_t n, struct fp_error *err)
{
	((struct late_sink *)s)->writes++;
	return 0;
}
static void late_poll(struct fp_sink *s)
{
	struct fp_error why;

	if (((struct late_sink *)s)->writes >= 2) {
		fp_error_set(&why, "broker: message delivery failed");
		fp_sink_fail(s, &why);
	}
}
static int late_close(struct fp_sink *s, struct fp_error *err)
{
	free(s);
	return 0;
}
static void late_abort(struct fp_sink *s)
{
	(*((struct late_sink *)s)->aborted)++;
	free(s);
}

static const struct fp_sink_ops late_ops = {
	.write = late_write, .close = late_close, .abort = late_abort, .poll = late_poll,
};

static void test_late_errors_stick(void)
{
	struct fp_schema *s = test_schema();
	struct fp_batch *b = five_rows(s);
	struct late_sink *ls = calloc(1, sizeof(*ls));
	struct fp_error err = { "" };
	int aborted = 0;

	ls->base.ops = &late_ops;
	ls->aborted = &aborted;
	CHECK_EQ_INT(fp_sink_write(&ls->base, b, &err), 0);
	CHECK_EQ_INT(fp_sink_error(&ls->base, &err), 0);
	CHECK_EQ_INT(fp_sink_write(&ls->base, b, &err), 0);
	CHECK_EQ_INT(fp_sink_error(&ls->base, &err), -1);	/* learnt after the call returned */
	CHECK_EQ_STR(err.msg, "broker: message delivery failed");
	err.msg[0] = '\0';
	CHECK_EQ_INT(fp_sink_write(&ls->base, b, &err), -1);
	CHECK_EQ_STR(err.msg, "broker: message delivery failed");
	CHECK_EQ_INT(fp_sink_flush(&ls->base, &err), -1);
	CHECK_EQ_INT(fp_sink_tick(&ls->base, 1, &err), -1);
	CHECK_EQ_INT(ls->base.rows_written, 10);
	CHECK_EQ_INT(fp_sink_close(&ls->base, &err), -1);	/* a failed sink is discarded */
	CHECK_EQ_INT(aborted, 1);
	fp_batch_free(b);
	fp_schema_free(s);
}

/* ------------------------------------------------------------ the partitioned sink */

#define MAX_FILES 32

/* Reads every published file under dir back: each id must appear once in
 * total, in a file of its own hour. Returns the number of rows read. */
static long read_back(const char *dir, int *seen, long nids, size_t *nfiles_out)
{
	static char names[MAX_FILES][512];
	size_t nfiles = 0;
	int hidden = 0;
	long rows = 0;

	walk(dir, names, &nfiles, MAX_FILES, &hidden);
	CHECK_EQ_INT(hidden, 0);
	for (size_t i = 0; i < nfiles; i++) {
		struct fp_error err = { "" };
		struct fp_table_reader *t = fp_table_open(names[i], &err);
		struct fp_batch *b;
		const struct fp_schema *s;
		int ts, id;
		long n;
		const char *hour_dir = strstr(names[i], "hour=");
		int want_hour = hour_dir ? atoi(hour_dir + 5) : -1;

		if (t == NULL) {
			fprintf(stderr, "  %s\n", err.msg);
			CHECK(0);
			continue;
		}
		s = fp_table_schema(t);
		ts = fp_schema_find(s, "timestamp");
		id = fp_schema_find(s, "id");
		CHECK(ts >= 0 && id >= 0);
		b = fp_batch_new(s, 64);
		while (ts >= 0 && id >= 0 && (n = fp_table_next(t, b, &err)) > 0) {
			for (long r = 0; r < n; r++) {
				int64_t v = b->cols[id].v.i64[r];
				int hour = (int)((b->cols[ts].v.i64[r] / HOUR_US) % 24);

				CHECK(v >= 0 && v < nids);
				if (v >= 0 && v < nids)
					seen[v]++;
				CHECK_EQ_INT(hour, want_hour);
			}
			rows += n;
		}
		fp_batch_free(b);
		fp_table_close(t);
	}
	if (nfiles_out)
		*nfiles_out = nfiles;
	return rows;
}

static void hour_file(char *out, size_t size, const char *dir, int hour, int seq, const char *ext)
{
	snprintf(out, size, "%s/date=2026-01-02/hour=%02d/flows-20260102T%02d-%04d.%s", dir, hour, hour, seq, ext);
}

/* Rows of hours 10, 11 and 12 interleaved, in batches; rows of hour 10
 * come again after its file was published. */
static void partition_run(enum fp_format format)
{
	enum { NIDS = 300 };
	struct fp_schema *s = test_schema();
	struct fp_batch *b = fp_batch_new(s, 100);
	struct fp_partition_sink_options o;
	struct fp_error err = { "" };
	const char *ext = fp_format_extension(format);
	char dir[300], path[600];
	int seen[NIDS] = { 0 };
	int64_t end10_ns = (BASE_HOUR_US / 1000000 + 3600) * 1000000000;
	struct fp_sink *sink;
	size_t nfiles = 0;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/table-%s", root, ext);
	fp_partition_sink_options_defaults(&o);
	o.dir = dir;
	o.format.format = format;
	o.format.parquet.row_group_rows = 16;	/* several row groups per file */
	sink = fp_partition_sink_open(s, &o, &err);
	CHECK(sink != NULL);
	if (sink == NULL)
		goto out;

	/* someone else's file for hour 11 is already there: it must survive */
	{
		char cmd[400];
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s/date=2026-01-02/hour=11'", dir);
		CHECK_EQ_INT(system(cmd), 0);
	}
	hour_file(path, sizeof(path), dir, 11, 0, ext);
	f = fopen(path, "w");
	fputs("not ours\n", f);
	fclose(f);

	for (int id = 0; id < 200; id++) {
		put_row(b, BASE_HOUR_US + (id % 3) * HOUR_US + id * 1000, id);
		if (fp_batch_full(b)) {
			CHECK_EQ_INT(fp_sink_write(sink, b, &err), 0);
			fp_batch_clear(b);
		}
	}
	CHECK_EQ_INT(fp_sink_tick(sink, end10_ns + o.grace_ns - 1, &err), 0);
	hour_file(path, sizeof(path), dir, 10, 0, ext);
	CHECK(access(path, F_OK) != 0);		/* within the grace: still open */
	CHECK_EQ_INT(fp_sink_tick(sink, end10_ns + o.grace_ns, &err), 0);
	CHECK(access(path, F_OK) == 0);		/* hour 10 published */
	hour_file(path, sizeof(path), dir, 11, 1, ext);
	CHECK(access(path, F_OK) != 0);		/* hour 11 still open, as seq 1 */

	for (int id = 200; id < NIDS; id++)	/* late rows of hour 10 among the others */
		put_row(b, BASE_HOUR_US + (id % 3) * HOUR_US + 5, id);
	CHECK_EQ_INT(fp_sink_write_rows(sink, b, 0, 60, &err), 0);
	CHECK_EQ_INT(fp_sink_write_rows(sink, b, 60, 40, &err), 0);
	CHECK_EQ_INT(fp_sink_close(sink, &err), 0);
	if (err.msg[0])
		fprintf(stderr, "  %s\n", err.msg);

	hour_file(path, sizeof(path), dir, 10, 1, ext);
	CHECK(access(path, F_OK) == 0);		/* hour 10's late rows: a new file */
	hour_file(path, sizeof(path), dir, 11, 1, ext);
	CHECK(access(path, F_OK) == 0);
	hour_file(path, sizeof(path), dir, 11, 0, ext);
	{
		char *text = slurp(path);
		CHECK_EQ_STR(text, "not ours\n");
		free(text);
		unlink(path);
	}
	CHECK_EQ_INT(read_back(dir, seen, NIDS, &nfiles), NIDS);
	CHECK_EQ_INT(nfiles, 4);	/* 10 (twice), 11, 12 */
	for (int id = 0; id < NIDS; id++)
		if (seen[id] != 1) {
			fprintf(stderr, "  id %d seen %d times\n", id, seen[id]);
			CHECK(0);
			break;
		}
out:
	fp_batch_free(b);
	fp_schema_free(s);
}

static void test_partition_csv(void)
{
	partition_run(FP_FORMAT_CSV);
}

static void test_partition_parquet(void)
{
	partition_run(FP_FORMAT_PARQUET);
}

static void test_partition_max_open_and_abort(void)
{
	struct fp_schema *s = test_schema();
	struct fp_batch *b = fp_batch_new(s, 16);
	struct fp_partition_sink_options o;
	struct fp_error err = { "" };
	char dir[300], path[600];
	struct fp_sink *sink;
	int hidden = 0;
	size_t nfiles = 0;

	snprintf(dir, sizeof(dir), "%s/bounded", root);
	fp_partition_sink_options_defaults(&o);
	o.dir = dir;
	o.format.format = FP_FORMAT_CSV;
	o.max_open = 2;
	sink = fp_partition_sink_open(s, &o, &err);
	CHECK(sink != NULL);
	put_row(b, BASE_HOUR_US + 2 * HOUR_US, 0);	/* hour 12 */
	put_row(b, BASE_HOUR_US, 1);			/* hour 10: the oldest */
	put_row(b, BASE_HOUR_US + HOUR_US, 2);		/* hour 11: one too many */
	CHECK_EQ_INT(fp_sink_write(sink, b, &err), 0);
	hour_file(path, sizeof(path), dir, 10, 0, "csv");
	CHECK(access(path, F_OK) == 0);			/* the oldest was closed first */
	hour_file(path, sizeof(path), dir, 12, 0, "csv");
	CHECK(access(path, F_OK) != 0);
	fp_sink_abort(sink);				/* the open hours vanish */
	walk(dir, NULL, &nfiles, 0, &hidden);
	CHECK_EQ_INT(hidden, 0);

	/* a null time cannot be filed */
	sink = fp_partition_sink_open(s, &o, &err);
	fp_batch_clear(b);
	fp_batch_put_null(b, 0);
	fp_batch_put_i64(b, 1, 7);
	fp_batch_put_null(b, 2);
	fp_batch_end_row(b);
	CHECK_EQ_INT(fp_sink_write(sink, b, &err), -1);
	CHECK(strstr(err.msg, "timestamp") != NULL);
	CHECK_EQ_INT(fp_sink_close(sink, &err), -1);

	/* a schema without the time field is refused at open */
	o.time_field = "start";
	CHECK(fp_partition_sink_open(s, &o, &err) == NULL);
	CHECK(strstr(err.msg, "start") != NULL);
	fp_batch_free(b);
	fp_schema_free(s);
}

int main(void)
{
	if (mkdtemp(root) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_rows_held);
	RUN(test_file_sink_row_ranges);
	RUN(test_file_sink_jsonl);
	RUN(test_file_sink_failure_leaves_nothing);
	RUN(test_late_errors_stick);
	RUN(test_partition_csv);
	RUN(test_partition_parquet);
	RUN(test_partition_max_open_and_abort);
	remove_tree(root);
	return TEST_RESULT();
}
