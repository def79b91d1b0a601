/*
 * partition-sink.c - rows routed into hourly files by event time, in the
 * Hive-style layout Spark, DuckDB and Athena read directly:
 *
 *   DIR/date=YYYY-MM-DD/hour=HH/PREFIX-<YYYYmmddTHH>-<seq>.<ext>   (UTC)
 *
 * A flow's row arrives when the flow ends, up to the active timeout after
 * its start (the time it is filed under), so several hours are open at
 * once. Each open hour is one atomic file and one format writer. An hour
 * is closed (published) when tick() says its end is more than the grace
 * before now, when more than max_open hours would be open (the oldest goes
 * first), at flush and at close. A row for an hour already published goes
 * to a new file of that hour.
 *
 * Invariants: at most one open file per hour; a file never replaces
 * another (the sequence number starts past every file of that hour already
 * in the directory, and publishing links without replacing); rows keep
 * their order within each file.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sink/directories.h"
#include "sink/file-sink.h"

#define NS_PER_HOUR ((int64_t)3600 * 1000000000)

struct partition {
	int64_t hour;			/* hours since the epoch, UTC */
	struct fp_atomic_file file;
	struct fp_format_writer *writer;
};

struct partition_sink {
	struct fp_sink base;		/* first: a struct fp_sink * is a struct partition_sink * */
	const struct fp_schema *schema;
	size_t time_col;
	int64_t time_per_second;	/* the time field's units in a second */
	char *dir;
	char *prefix;
	struct fp_format_options format;
	int64_t grace_ns;
	size_t max_open;
	struct fp_atomic_file_options file_opts;
	/* max_open slots, nopen in use, unordered; each partition is its own
	 * allocation because its atomic file's stream points back at it */
	struct partition **parts;
	size_t nopen;
};

void fp_partition_sink_options_defaults(struct fp_partition_sink_options *o)
{
	memset(o, 0, sizeof(*o));
	o->dir = ".";
	o->prefix = "flows";
	o->time_field = "timestamp";
	fp_format_options_defaults(&o->format);
	o->format.format = FP_FORMAT_PARQUET;
	o->grace_ns = FP_PARTITION_DEFAULT_GRACE_NS;
	o->max_open = FP_PARTITION_DEFAULT_MAX_OPEN;
}

/* ------------------------------------------------------------ time */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t hour_of(const struct partition_sink *ps, int64_t t)
{
	return floor_div(floor_div(t, ps->time_per_second), 3600);
}

static int64_t hour_end_ns(int64_t hour)
{
	return (hour + 1) * NS_PER_HOUR;
}

static void hour_tm(int64_t hour, struct tm *tm)
{
	time_t t = (time_t)(hour * 3600);

	gmtime_r(&t, tm);
}

/* ------------------------------------------------------------ names */

/* The sequence number after every "STEM<digits>.EXT" in `dir`. */
static unsigned next_free_seq(const char *dir, const char *stem, const char *ext)
{
	size_t stem_len = strlen(stem), ext_len = strlen(ext);
	unsigned next = 0;
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		char *end;
		unsigned long seq;

		if (strncmp(name, stem, stem_len) != 0 || name[stem_len] < '0' || name[stem_len] > '9')
			continue;
		seq = strtoul(name + stem_len, &end, 10);
		if (*end == '.' && strncmp(end + 1, ext, ext_len) == 0 && end[1 + ext_len] == '\0' &&
		    seq < 99999999 && seq + 1 > next)
			next = (unsigned)seq + 1;
	}
	closedir(d);
	return next;
}

/* Creates the hour's directory and returns the path of its next new file. */
static char *new_file_path(struct partition_sink *ps, int64_t hour, struct fp_error *err)
{
	const char *ext = fp_format_extension(ps->format.format);
	size_t n = strlen(ps->dir) + strlen(ps->prefix) + strlen(ext) + 96;
	char *dir = malloc(n), *path = malloc(n), stem[128];
	struct tm tm;

	if (dir == NULL || path == NULL) {
		fp_error_set(err, "%s: out of memory", ps->dir);
		goto fail;
	}
	hour_tm(hour, &tm);
	snprintf(dir, n, "%s/date=%04d-%02d-%02d/hour=%02d", ps->dir, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour);
	if (fp_make_directories(dir, ps->file_opts.ops, err) < 0)
		goto fail;
	snprintf(stem, sizeof(stem), "%s-%04d%02d%02dT%02d-", ps->prefix, tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour);
	snprintf(path, n, "%s/%s%04u.%s", dir, stem, next_free_seq(dir, stem, ext), ext);
	free(dir);
	return path;
fail:
	free(dir);
	free(path);
	return NULL;
}

/* ------------------------------------------------------------ partitions */

static struct partition *find_partition(struct partition_sink *ps, int64_t hour)
{
	for (size_t i = 0; i < ps->nopen; i++)
		if (ps->parts[i]->hour == hour)
			return ps->parts[i];
	return NULL;
}

/* Frees slot i and takes it out of the open set (the last slot moves into it). */
static void forget_partition(struct partition_sink *ps, size_t i)
{
	free(ps->parts[i]);
	ps->parts[i] = ps->parts[--ps->nopen];
}

/* Finishes the format and publishes the file. */
static int close_partition(struct partition_sink *ps, size_t i, struct fp_error *err)
{
	struct partition *p = ps->parts[i];
	int rc = fp_format_writer_finish(p->writer, err);

	if (rc == 0)
		rc = fp_atomic_file_commit(&p->file, err);
	else
		fp_atomic_file_abort(&p->file);
	forget_partition(ps, i);
	return rc;
}

static void abort_partition(struct partition_sink *ps, size_t i)
{
	fp_format_writer_abort(ps->parts[i]->writer);
	fp_atomic_file_abort(&ps->parts[i]->file);
	forget_partition(ps, i);
}

static int close_oldest(struct partition_sink *ps, struct fp_error *err)
{
	size_t oldest = 0;

	for (size_t i = 1; i < ps->nopen; i++)
		if (ps->parts[i]->hour < ps->parts[oldest]->hour)
			oldest = i;
	return close_partition(ps, oldest, err);
}

static struct partition *open_partition(struct partition_sink *ps, int64_t hour, struct fp_error *err)
{
	struct partition *p;
	char *path;
	int rc;

	if (ps->nopen == ps->max_open && close_oldest(ps, err) < 0)
		return NULL;
	if ((path = new_file_path(ps, hour, err)) == NULL)
		return NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		fp_error_set(err, "%s: out of memory", path);
		free(path);
		return NULL;
	}
	p->hour = hour;
	rc = fp_atomic_file_open(&p->file, path, &ps->file_opts, err);
	if (rc == 0 && (p->writer = fp_format_writer_open(p->file.fp, path, ps->schema, &ps->format, err)) == NULL) {
		fp_atomic_file_abort(&p->file);
		rc = -1;
	}
	free(path);
	if (rc < 0) {
		free(p);
		return NULL;
	}
	ps->parts[ps->nopen++] = p;
	return p;
}

/* ------------------------------------------------------------ the sink */

/* The hour of `row`, or -1 with an error if its time is null. */
static int row_hour(const struct partition_sink *ps, const struct fp_batch *b, size_t row, int64_t *hour,
		    struct fp_error *err)
{
	const struct fp_column *c = &b->cols[ps->time_col];

	if (!fp_column_is_valid(c, row))
		return fp_error_set(err, "%s: row %zu has no %s to file it under", ps->dir, row,
				    ps->schema->fields[ps->time_col].name);
	*hour = hour_of(ps, c->v.i64[row]);
	return 0;
}

/* Rows go in runs of one hour, each run one write to its partition. */
static int partition_write(struct fp_sink *s, const struct fp_batch *b, size_t first_row, size_t nrows,
			   struct fp_error *err)
{
	struct partition_sink *ps = (struct partition_sink *)s;
	size_t row = first_row, end = first_row + nrows;

	while (row < end) {
		int64_t hour, next_hour;
		size_t run = row + 1;
		struct partition *p;

		if (row_hour(ps, b, row, &hour, err) < 0)
			return -1;
		for (; run < end; run++) {
			if (row_hour(ps, b, run, &next_hour, err) < 0)
				return -1;
			if (next_hour != hour)
				break;
		}
		p = find_partition(ps, hour);
		if (p == NULL && (p = open_partition(ps, hour, err)) == NULL)
			return -1;
		if (fp_format_writer_write(p->writer, b, row, run - row, err) < 0)
			return -1;
		row = run;
	}
	return 0;
}

static int partition_tick(struct fp_sink *s, int64_t now_ns, struct fp_error *err)
{
	struct partition_sink *ps = (struct partition_sink *)s;
	size_t i = 0;

	while (i < ps->nopen) {
		if (now_ns >= hour_end_ns(ps->parts[i]->hour) + ps->grace_ns) {
			if (close_partition(ps, i, err) < 0)
				return -1;
		} else {
			i++;	/* a closed slot was refilled from the end: look at i again */
		}
	}
	return 0;
}

/* Publishes every open hour; later rows of those hours start new files. */
static int partition_flush(struct fp_sink *s, struct fp_error *err)
{
	struct partition_sink *ps = (struct partition_sink *)s;

	while (ps->nopen > 0)
		if (close_oldest(ps, err) < 0)
			return -1;
	return 0;
}

static void partition_sink_free(struct partition_sink *ps)
{
	free(ps->parts);
	free(ps->dir);
	free(ps->prefix);
	free(ps);
}

static void partition_abort(struct fp_sink *s)
{
	struct partition_sink *ps = (struct partition_sink *)s;

	while (ps->nopen > 0)
		abort_partition(ps, ps->nopen - 1);
	partition_sink_free(ps);
}

static int partition_close(struct fp_sink *s, struct fp_error *err)
{
	struct partition_sink *ps = (struct partition_sink *)s;
	int rc = partition_flush(s, err);

	if (rc < 0) {
		partition_abort(s);	/* what is still open is discarded */
		return -1;
	}
	partition_sink_free(ps);
	return 0;
}

static const struct fp_sink_ops partition_sink_ops = {
	.write = partition_write,
	.tick = partition_tick,
	.flush = partition_flush,
	.close = partition_close,
	.abort = partition_abort,
};

static int check_options(const struct fp_schema *schema, const struct fp_partition_sink_options *o, int *time_col,
			 struct fp_error *err)
{
	if (o->dir == NULL || o->dir[0] == '\0' || o->prefix == NULL || strchr(o->prefix, '/') != NULL ||
	    strlen(o->prefix) > 64)
		return fp_error_set(err, "partitioned output: a directory and a prefix (up to 64 bytes, no '/') "
				    "are needed");
	if (o->max_open < 1)
		return fp_error_set(err, "%s: at least one partition must be allowed open", o->dir);
	if (o->grace_ns < 0)
		return fp_error_set(err, "%s: the grace period cannot be negative", o->dir);
	*time_col = fp_schema_find(schema, o->time_field ? o->time_field : "timestamp");
	if (*time_col < 0 || schema->fields[*time_col].type != FP_TYPE_TIMESTAMP)
		return fp_error_set(err, "%s: the schema has no timestamp field '%s' to partition by", o->dir,
				    o->time_field ? o->time_field : "timestamp");
	return 0;
}

struct fp_sink *fp_partition_sink_open(const struct fp_schema *schema, const struct fp_partition_sink_options *o,
				       struct fp_error *err)
{
	static const int64_t per_second[] = { 1000, 1000000, 1000000000 };
	struct partition_sink *ps;
	int time_col = -1;

	if (check_options(schema, o, &time_col, err) < 0)
		return NULL;
	if ((ps = calloc(1, sizeof(*ps))) == NULL || (ps->parts = calloc(o->max_open, sizeof(*ps->parts))) == NULL ||
	    (ps->dir = strdup(o->dir)) == NULL || (ps->prefix = strdup(o->prefix)) == NULL) {
		if (ps)
			partition_sink_free(ps);
		fp_error_set(err, "%s: out of memory", o->dir);
		return NULL;
	}
	ps->base.ops = &partition_sink_ops;
	ps->schema = schema;
	ps->time_col = (size_t)time_col;
	ps->time_per_second = per_second[schema->fields[time_col].time_unit];
	ps->format = o->format;
	if (ps->format.format == FP_FORMAT_AUTO)
		ps->format.format = FP_FORMAT_PARQUET;
	ps->grace_ns = o->grace_ns;
	ps->max_open = o->max_open;
	ps->file_opts.ops = o->file_ops ? o->file_ops : &fp_file_ops_posix;
	ps->file_opts.no_replace = true;
	return &ps->base;
}
