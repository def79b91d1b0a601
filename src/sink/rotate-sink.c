/*
 * rotate-sink.c - one file per wall-clock interval (the daemon's live
 * output): DIR/date=YYYY-MM-DD/hour=HH/STEM_YYYYmmddTHHMMSSZ.EXT, named by
 * the start of the interval it covers.
 *
 * The sink's clock is the caller's: the interval rows go to is the one
 * holding the latest `now` given (at open, then by tick). tick() moving
 * into a new interval closes (publishes) the current file; the next write
 * opens the next one, so an interval without rows leaves no file. Names
 * never collide with a file already there (a restart within the interval,
 * another sensor with the same stem): the next free "-N" suffix is taken
 * and the file is published with no_replace.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sink/directories.h"
#include "sink/file-sink.h"

#define MAX_SUFFIX 10000

struct rotate_sink {
	struct fp_sink base;	/* first: a struct fp_sink * is a struct rotate_sink * */
	const struct fp_schema *schema;
	struct fp_rotate_sink_options o;
	char *dir, *stem;
	int64_t interval;	/* start of the interval `now` is in */
	struct fp_sink *file;	/* open file of `interval`, or NULL */
	char *file_path;
	uint64_t file_rows;
};

static int64_t interval_start(int64_t t, int64_t len)
{
	int64_t q = t / len;

	if (t % len != 0 && t < 0)
		q--;
	return q * len;
}

/* The first free name for the current interval's file. */
static char *free_name(struct rotate_sink *rs, struct fp_error *err)
{
	char dir[4096], path[4200], stamp[32];
	time_t sec = (time_t)(rs->interval / 1000000000);
	struct tm tm;
	const char *ext = fp_format_extension(rs->o.format.format);

	if (fp_hive_hour_dir(dir, sizeof(dir), rs->dir, rs->interval) < 0 || gmtime_r(&sec, &tm) == NULL)
		return fp_error_set(err, "%s: output path too long", rs->dir), NULL;
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	if (fp_make_directories(dir, rs->o.file_ops, err) < 0)
		return NULL;
	for (int n = 0; n < MAX_SUFFIX; n++) {
		struct stat st;
		int len = n == 0 ? snprintf(path, sizeof(path), "%s/%s_%s.%s", dir, rs->stem, stamp, ext)
				 : snprintf(path, sizeof(path), "%s/%s_%s-%d.%s", dir, rs->stem, stamp, n, ext);

		if (len < 0 || (size_t)len >= sizeof(path))
			return fp_error_set(err, "%s: output path too long", dir), NULL;
		if (stat(path, &st) < 0 && errno == ENOENT)
			return strdup(path);
	}
	return fp_error_set(err, "%s: no free name for %s_%s", dir, rs->stem, stamp), NULL;
}

static int open_file(struct rotate_sink *rs, struct fp_error *err)
{
	struct fp_atomic_file_options fo = { rs->o.file_ops, true };

	rs->file_path = free_name(rs, err);
	if (rs->file_path == NULL)
		return -1;
	rs->file = fp_file_sink_open_with(rs->file_path, rs->schema, &rs->o.format, &fo, err);
	if (rs->file == NULL) {
		free(rs->file_path);
		rs->file_path = NULL;
		return -1;
	}
	rs->file_rows = 0;
	return 0;
}

/* Publishes the open file, if any. */
static int close_file(struct rotate_sink *rs, struct fp_error *err)
{
	int rc;

	if (rs->file == NULL)
		return 0;
	rc = fp_sink_close(rs->file, err);
	if (rc == 0 && rs->o.published != NULL)
		rs->o.published(rs->o.ctx, rs->file_path, rs->file_rows);
	rs->file = NULL;
	free(rs->file_path);
	rs->file_path = NULL;
	return rc;
}

static int rotate_write(struct fp_sink *s, const struct fp_batch *b, size_t first, size_t nrows, struct fp_error *err)
{
	struct rotate_sink *rs = (struct rotate_sink *)s;

	if (rs->file == NULL && open_file(rs, err) < 0)
		return -1;
	if (fp_sink_write_rows(rs->file, b, first, nrows, err) < 0)
		return -1;
	rs->file_rows += nrows;
	return 0;
}

static int rotate_tick(struct fp_sink *s, int64_t now_ns, struct fp_error *err)
{
	struct rotate_sink *rs = (struct rotate_sink *)s;
	int64_t interval = interval_start(now_ns, rs->o.interval_ns);

	if (interval == rs->interval)
		return 0;
	rs->interval = interval;
	return close_file(rs, err);
}

static void rotate_free(struct rotate_sink *rs)
{
	free(rs->dir);
	free(rs->stem);
	free(rs);
}

static int rotate_close(struct fp_sink *s, struct fp_error *err)
{
	struct rotate_sink *rs = (struct rotate_sink *)s;
	int rc = close_file(rs, err);

	rotate_free(rs);
	return rc;
}

static void rotate_abort(struct fp_sink *s)
{
	struct rotate_sink *rs = (struct rotate_sink *)s;

	if (rs->file != NULL)
		fp_sink_abort(rs->file);
	free(rs->file_path);
	rotate_free(rs);
}

static const struct fp_sink_ops rotate_sink_ops = { rotate_write, rotate_tick, NULL, rotate_close, rotate_abort, NULL };

struct fp_sink *fp_rotate_sink_open(const struct fp_schema *schema, const struct fp_rotate_sink_options *o,
				    int64_t now_ns, struct fp_error *err)
{
	struct rotate_sink *rs;

	if (o->interval_ns <= 0 || o->format.format == FP_FORMAT_AUTO || o->dir == NULL || o->stem == NULL) {
		fp_error_set(err, "rotating sink: needs a directory, a file stem, a format and an interval");
		return NULL;
	}
	rs = calloc(1, sizeof(*rs));
	if (rs == NULL || (rs->dir = strdup(o->dir)) == NULL || (rs->stem = strdup(o->stem)) == NULL) {
		if (rs != NULL)
			rotate_free(rs);
		fp_error_set(err, "out of memory");
		return NULL;
	}
	rs->base.ops = &rotate_sink_ops;
	rs->schema = schema;
	rs->o = *o;
	rs->o.dir = rs->o.stem = NULL;	/* ours are rs->dir, rs->stem */
	rs->interval = interval_start(now_ns, o->interval_ns);
	return &rs->base;
}
