/*
 * directories.c - mkdir -p with parent fsyncs (see directories.h).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "sink/directories.h"

/* fsyncs the directory that holds `path`'s last component. */
static int sync_parent(const struct fp_file_ops *ops, char *path, struct fp_error *err)
{
	char *slash = strrchr(path, '/');
	int rc, saved;

	if (slash == NULL)
		return ops->fsync_dir(".") != 0 && errno != EINVAL && errno != ENOTSUP
			       ? fp_error_errno(err, "%s: fsync of its folder failed", path)
			       : 0;
	*slash = '\0';
	rc = ops->fsync_dir(slash == path ? "/" : path);
	saved = errno;
	*slash = '/';
	errno = saved;
	if (rc != 0 && errno != EINVAL && errno != ENOTSUP)
		return fp_error_errno(err, "%s: fsync of its folder failed", path);
	return 0;
}

int fp_make_directories(const char *path, const struct fp_file_ops *ops, struct fp_error *err)
{
	char *copy = strdup(path);
	int rc = 0;

	if (copy == NULL)
		return fp_error_set(err, "%s: out of memory", path);
	if (copy[0] == '\0') {
		free(copy);
		return fp_error_set(err, "an empty directory name");
	}
	if (ops == NULL)
		ops = &fp_file_ops_posix;
	for (char *p = copy + 1; rc == 0; p++) {
		bool last = *p == '\0';

		if (*p != '/' && !last)
			continue;
		*p = '\0';
		if (mkdir(copy, 0777) == 0)
			rc = sync_parent(ops, copy, err);
		else if (errno != EEXIST)
			rc = fp_error_errno(err, "%s: cannot create the directory", copy);
		if (last)
			break;
		*p = '/';
	}
	free(copy);
	return rc;
}

int fp_hive_hour_dir(char *buf, size_t size, const char *dir, int64_t t_ns)
{
	/* floor, so times before 1970 land in the hour that holds them */
	time_t sec = (time_t)(t_ns / 1000000000 - (t_ns % 1000000000 < 0 ? 1 : 0));
	struct tm tm;
	int n;

	if (gmtime_r(&sec, &tm) == NULL)
		return -1;
	n = snprintf(buf, size, "%s/date=%04d-%02d-%02d/hour=%02d", dir, tm.tm_year + 1900, tm.tm_mon + 1,
		     tm.tm_mday, tm.tm_hour);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}
