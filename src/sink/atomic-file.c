/*
 * atomic-file.c - hidden temporary name, fsync, rename (see atomic-file.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sink/atomic-file.h"

#define ATOMIC_FILE_BUFFER (1u << 20)

static void atomic_file_release(struct fp_atomic_file *af)
{
	free(af->final_path);
	free(af->tmp_path);
	free(af->stdio_buf);
	memset(af, 0, sizeof(*af));
}

/* "dir/name" -> "dir/.name.tmp-XXXXXX" */
static char *temporary_name(const char *path)
{
	char *d = strdup(path), *b = strdup(path), *out = NULL;

	if (d && b) {
		const char *dir = dirname(d), *base = basename(b);
		size_t n = strlen(dir) + strlen(base) + 16;
		out = malloc(n);
		if (out)
			snprintf(out, n, "%s/.%s.tmp-XXXXXX", dir, base);
	}
	free(d);
	free(b);
	return out;
}

int fp_atomic_file_open(struct fp_atomic_file *af, const char *path, struct fp_error *err)
{
	int fd;

	memset(af, 0, sizeof(*af));
	af->final_path = strdup(path);
	af->tmp_path = temporary_name(path);
	af->stdio_buf = malloc(ATOMIC_FILE_BUFFER);
	if (af->final_path == NULL || af->tmp_path == NULL || af->stdio_buf == NULL) {
		atomic_file_release(af);
		return fp_error_set(err, "%s: out of memory", path);
	}
	fd = mkstemp(af->tmp_path);
	if (fd < 0) {
		fp_error_errno(err, "%s: cannot create a temporary file next to it", path);
		atomic_file_release(af);
		return -1;
	}
	/* mkstemp makes 0600; an output file gets the usual umask-based mode.
	 * Reading the umask means setting it: this is process-wide, harmless
	 * while one thread opens files, and the daemon should read it once at
	 * start-up instead. A failed fchmod is not fatal: the data matters. */
	mode_t mask = umask(0);
	umask(mask);
	(void)!fchmod(fd, 0666 & ~mask);
	af->fp = fdopen(fd, "w");
	if (af->fp == NULL) {
		fp_error_errno(err, "%s", path);
		close(fd);
		unlink(af->tmp_path);
		atomic_file_release(af);
		return -1;
	}
	setvbuf(af->fp, af->stdio_buf, _IOFBF, ATOMIC_FILE_BUFFER);
	return 0;
}

static int fsync_directory_of(const char *path)
{
	char *d = strdup(path);
	int fd, rc = 0;

	if (d == NULL)
		return -1;
	fd = open(dirname(d), O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(d);
	return rc;
}

int fp_atomic_file_commit(struct fp_atomic_file *af, struct fp_error *err)
{
	int rc = 0;

	if (fflush(af->fp) != 0 || ferror(af->fp))
		rc = fp_error_errno(err, "%s: write failed", af->final_path);
	else if (fsync(fileno(af->fp)) != 0)
		rc = fp_error_errno(err, "%s: fsync failed", af->final_path);
	if (fclose(af->fp) != 0 && rc == 0)
		rc = fp_error_errno(err, "%s: close failed", af->final_path);
	af->fp = NULL;
	if (rc == 0 && rename(af->tmp_path, af->final_path) != 0)
		rc = fp_error_errno(err, "%s: cannot rename the finished file into place", af->final_path);
	if (rc == 0)
		fsync_directory_of(af->final_path);
	else
		unlink(af->tmp_path);
	atomic_file_release(af);
	return rc;
}

void fp_atomic_file_abort(struct fp_atomic_file *af)
{
	if (af->fp) {
		fclose(af->fp);
		unlink(af->tmp_path);
	}
	atomic_file_release(af);
}
