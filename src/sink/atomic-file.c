/*
 * atomic-file.c - hidden temporary name, fsync, rename (see atomic-file.h).
 *
 * The stdio stream handed to format writers is a cookie stream whose
 * writes go through the ops table, so a test can fail the Nth write as
 * surely as a full disk would; production code uses fp_file_ops_posix and
 * pays one indirect call per 1 MiB buffer.
 *
 * A temporary file's write() calls are made by a helper thread
 * (write-behind.h), whose buffers are then the stream's only buffer (stdio
 * writes through unbuffered): a failed write shows at a later write or at
 * commit, which then fails as it would have. Commit waits for the helper
 * before fsync. A streamed output (`direct`) is written by the caller: a FIFO's
 * reader sets the pace, and there is nothing to fsync.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sink/atomic-file.h"
#include "sink/write-behind.h"

#define ATOMIC_FILE_BUFFER (1u << 20)

/* ------------------------------------------------------------ the umask */

static pthread_once_t umask_once = PTHREAD_ONCE_INIT;
static mode_t process_umask;	/* written once under umask_once, then only read */

/* "Umask:\t0022" in /proc/self/status (Linux 4.7 and later). */
static int umask_from_proc(mode_t *mask)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	int rc = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *end;
		unsigned long v;

		if (strncmp(line, "Umask:", 6) != 0)
			continue;
		v = strtoul(line + 6, &end, 8);
		if (end != line + 6 && v <= 0777) {
			*mask = (mode_t)v;
			rc = 0;
		}
		break;
	}
	fclose(f);
	return rc;
}

static void read_umask_once(void)
{
	mode_t mask;

	if (umask_from_proc(&mask) == 0) {
		process_umask = mask;
		return;
	}
	/* No /proc: the only other way to read it is to set it, once. */
	mask = umask(022);
	umask(mask);
	process_umask = mask;
}

mode_t fp_new_file_mode(void)
{
	pthread_once(&umask_once, read_umask_once);
	return 0666 & ~process_umask;
}

/* ------------------------------------------------------------ real system calls */

static ssize_t posix_write(int fd, const void *buf, size_t n)
{
	return write(fd, buf, n);
}

static int posix_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc, saved;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

const struct fp_file_ops fp_file_ops_posix = {
	.mkstemp = mkstemp,
	.write = posix_write,
	.fsync = fsync,
	.close = close,
	.rename = rename,
	.link = link,
	.unlink = unlink,
	.fsync_dir = posix_fsync_dir,
};

/* ------------------------------------------------------------ the stream */

static ssize_t cookie_write(void *cookie, const char *buf, size_t size)
{
	struct fp_atomic_file *af = cookie;
	int error;

	if (af->discarding)
		return (ssize_t)size;	/* aborting: the bytes are going away with the file */
	if (af->behind != NULL)
		error = fp_write_behind_write(af->behind, buf, size) < 0 ? errno : 0;
	else
		error = fp_write_all(af->ops->write, af->fd, buf, size);
	if (error != 0) {
		if (af->write_errno == 0)
			af->write_errno = error;
		return -1;
	}
	return (ssize_t)size;
}

static int cookie_close(void *cookie)
{
	struct fp_atomic_file *af = cookie;
	int fd = af->fd;

	af->fd = -1;
	return af->ops->close(fd);
}

static FILE *open_stream(struct fp_atomic_file *af)
{
	cookie_io_functions_t io = { .read = NULL, .write = cookie_write, .seek = NULL, .close = cookie_close };
	FILE *fp = fopencookie(af, "w", io);

	if (fp == NULL)
		return NULL;
	if (af->behind != NULL)	/* its buffers gather the bytes: no second copy through stdio's */
		setvbuf(fp, NULL, _IONBF, 0);
	else
		setvbuf(fp, af->stdio_buf, _IOFBF, ATOMIC_FILE_BUFFER);
	return fp;
}

/* ------------------------------------------------------------ open, commit, abort */

static void atomic_file_release(struct fp_atomic_file *af)
{
	free(af->final_path);
	free(af->tmp_path);
	free(af->stdio_buf);
	memset(af, 0, sizeof(*af));
	af->fd = -1;
}

/* The longest prefix of `s` of at most `max` bytes that ends at a UTF-8
 * character boundary. */
static size_t utf8_cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* "dir/name" -> "dir/.name.tmp-XXXXXX", the name cut so the whole
 * component stays within NAME_MAX (a 255-byte output name must work). */
char *fp_atomic_file_temporary_name(const char *path)
{
	static const char suffix[] = ".tmp-XXXXXX";
	char *d = strdup(path), *b = strdup(path), *out = NULL;

	if (d && b) {
		const char *dir = dirname(d), *base = basename(b);
		size_t keep = utf8_cut(base, NAME_MAX - 1 - (sizeof(suffix) - 1));
		size_t n = strlen(dir) + keep + sizeof(suffix) + 3;
		out = malloc(n);
		if (out)
			snprintf(out, n, "%s/.%.*s%s", dir, (int)keep, base, suffix);
	}
	free(d);
	free(b);
	return out;
}

/* ------------------------------------------------------------ what the path names */

enum path_kind { PATH_NEW, PATH_REGULAR, PATH_STREAM, PATH_REFUSED };

/* Decides how `path` is written (see atomic-file.h). For a symbolic link
 * to a regular file, *target gets the file's real path (malloc'd). */
static enum path_kind classify_path(const char *path, char **target, struct stat *st, struct fp_error *err)
{
	struct stat lst;

	*target = NULL;
	if (lstat(path, &lst) != 0) {
		if (errno == ENOENT)
			return PATH_NEW;
		fp_error_errno(err, "%s", path);
		return PATH_REFUSED;
	}
	*st = lst;
	if (S_ISLNK(lst.st_mode) && stat(path, st) != 0) {
		fp_error_set(err, "%s: is a symbolic link to a missing file; write to the target's name instead", path);
		return PATH_REFUSED;
	}
	if (S_ISCHR(st->st_mode) || S_ISFIFO(st->st_mode))
		return PATH_STREAM;
	if (S_ISDIR(st->st_mode)) {
		fp_error_set(err, "%s: is a directory (give a file name inside it)", path);
		return PATH_REFUSED;
	}
	if (!S_ISREG(st->st_mode)) {
		fp_error_set(err, "%s: is a %s; flowprep writes regular files, character devices, FIFOs and - "
			     "(standard output)", path, S_ISBLK(st->st_mode) ? "block device" : "socket");
		return PATH_REFUSED;
	}
	if (S_ISLNK(lst.st_mode) && (*target = realpath(path, NULL)) == NULL) {
		fp_error_errno(err, "%s: cannot resolve the symbolic link", path);
		return PATH_REFUSED;
	}
	return PATH_REGULAR;
}

/* A device, FIFO or standard output: written as it comes, nothing to
 * rename; the fd is ours (stdout is duplicated) so closing it is safe. */
static int open_direct(struct fp_atomic_file *af, const char *path, struct fp_error *err)
{
	bool std = strcmp(path, "-") == 0;

	af->direct = true;
	af->fd = std ? fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3) : open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (af->fd < 0)
		return fp_error_errno(err, "%s: cannot open for writing", std ? "standard output" : path);
	return 0;
}

/* The hidden temporary file next to the final name, with the mode the
 * final file will have. */
static int open_temporary(struct fp_atomic_file *af, const char *path, struct fp_error *err)
{
	af->tmp_path = fp_atomic_file_temporary_name(af->final_path);
	if (af->tmp_path == NULL)
		return fp_error_set(err, "%s: out of memory", path);
	af->fd = af->ops->mkstemp(af->tmp_path);
	if (af->fd < 0)
		return fp_error_errno(err, "%s: cannot create a temporary file next to it", path);
	/* mkstemp makes 0600; an output file gets the usual umask-based mode,
	 * or the mode of the file it replaces. A failed fchmod is not fatal:
	 * the data matters more. */
	(void)!fchmod(af->fd, af->keep_mode ? af->mode : fp_new_file_mode());
	return 0;
}

int fp_atomic_file_open(struct fp_atomic_file *af, const char *path, const struct fp_atomic_file_options *opts,
			struct fp_error *err)
{
	struct stat st;
	char *target = NULL;
	enum path_kind kind = strcmp(path, "-") == 0 ? PATH_STREAM : classify_path(path, &target, &st, err);
	int rc;

	memset(af, 0, sizeof(*af));
	af->fd = -1;
	af->ops = opts && opts->ops ? opts->ops : &fp_file_ops_posix;
	af->no_replace = opts && opts->no_replace;
	if (kind == PATH_REFUSED)
		return -1;
	af->final_path = target ? target : strdup(path);
	af->stdio_buf = malloc(ATOMIC_FILE_BUFFER);
	if (af->final_path == NULL || af->stdio_buf == NULL) {
		atomic_file_release(af);
		return fp_error_set(err, "%s: out of memory", path);
	}
	if (kind == PATH_REGULAR) {
		af->keep_mode = true;
		af->mode = st.st_mode & 07777;
	}
	rc = kind == PATH_STREAM ? open_direct(af, path, err) : open_temporary(af, path, err);
	if (rc < 0) {
		atomic_file_release(af);
		return -1;
	}
	if (!af->direct)	/* no helper to be had: the caller's own write() calls */
		af->behind = fp_write_behind_start(af->fd, af->ops->write);
	af->fp = open_stream(af);
	if (af->fp == NULL) {
		fp_error_errno(err, "%s", path);
		if (af->behind != NULL)
			fp_write_behind_discard(af->behind);
		af->ops->close(af->fd);
		if (!af->direct)
			af->ops->unlink(af->tmp_path);
		atomic_file_release(af);
		return -1;
	}
	return 0;
}

/* errno for a failed stream: the failed write's own, if stdio lost it. */
static int stream_errno(const struct fp_atomic_file *af)
{
	return af->write_errno ? af->write_errno : errno;
}

/* Waits for the helper's last write (before fsync: fsync must see every
 * byte); false if a write failed. */
static bool write_behind_done(struct fp_atomic_file *af)
{
	struct fp_write_behind *wb = af->behind;

	af->behind = NULL;
	if (wb == NULL || fp_write_behind_finish(wb) == 0)
		return true;
	if (af->write_errno == 0)
		af->write_errno = errno;
	return false;
}

/* Flush, fsync and close the stream; the stream is gone afterwards. */
static int finish_stream(struct fp_atomic_file *af, struct fp_error *err)
{
	int rc = 0;

	if (fflush(af->fp) != 0 || ferror(af->fp) || !write_behind_done(af)) {
		errno = stream_errno(af);
		rc = fp_error_errno(err, "%s: write failed", af->final_path);
	} else if (!af->direct && af->ops->fsync(af->fd) != 0) {
		rc = fp_error_errno(err, "%s: fsync failed", af->final_path);
	}
	if (af->behind != NULL) {	/* flushing failed first: what it queued goes */
		fp_write_behind_discard(af->behind);
		af->behind = NULL;
	}
	if (fclose(af->fp) != 0 && rc == 0) {
		errno = stream_errno(af);
		rc = fp_error_errno(err, "%s: close failed", af->final_path);
	}
	af->fp = NULL;
	return rc;
}

/* The temporary file under its final name; with no_replace, only if that
 * name is free (link fails with EEXIST), then the temporary name goes. */
static int publish(struct fp_atomic_file *af, struct fp_error *err)
{
	if (!af->no_replace) {
		if (af->ops->rename(af->tmp_path, af->final_path) != 0)
			return fp_error_errno(err, "%s: cannot rename the finished file into place", af->final_path);
		return 0;
	}
	if (af->ops->link(af->tmp_path, af->final_path) != 0)
		return fp_error_errno(err, "%s: cannot link the finished file into place", af->final_path);
	if (af->ops->unlink(af->tmp_path) != 0) {
		fp_error_errno(err, "%s: cannot remove the temporary name of the finished file", af->final_path);
		af->ops->unlink(af->final_path);
		return -1;
	}
	return 0;
}

/* The rename is durable only once the directory is synced. Filesystems
 * that cannot sync a directory say EINVAL or ENOTSUP: nothing to do. */
static int sync_directory(struct fp_atomic_file *af, struct fp_error *err)
{
	char *d = strdup(af->final_path);
	int rc = 0;

	if (d == NULL)
		return fp_error_set(err, "%s: out of memory", af->final_path);
	if (af->ops->fsync_dir(dirname(d)) != 0 && errno != EINVAL && errno != ENOTSUP)
		rc = fp_error_errno(err, "%s: fsync of its directory failed", af->final_path);
	free(d);
	return rc;
}

int fp_atomic_file_commit(struct fp_atomic_file *af, struct fp_error *err)
{
	int rc = finish_stream(af, err);

	if (af->direct) {
		atomic_file_release(af);
		return rc;
	}
	if (rc == 0 && (rc = publish(af, err)) == 0 && (rc = sync_directory(af, err)) < 0)
		af->ops->unlink(af->final_path);	/* not known to be durable: not published */
	if (rc < 0)
		af->ops->unlink(af->tmp_path);
	atomic_file_release(af);
	return rc;
}

void fp_atomic_file_abort(struct fp_atomic_file *af)
{
	if (af->fp) {
		af->discarding = true;
		if (af->behind != NULL)
			fp_write_behind_discard(af->behind);
		af->behind = NULL;
		fclose(af->fp);
		if (!af->direct)
			af->ops->unlink(af->tmp_path);
	}
	atomic_file_release(af);
}
