/*
 * atomic-file.h - an output file that appears under its final name only
 * when complete.
 *
 * Data goes to a hidden temporary file in the same directory
 * (".NAME.tmp-XXXXXX"); commit flushes it, fsyncs it, renames it over
 * the final name (or, with `no_replace`, links it there only if the name
 * is free) and fsyncs the directory, so a reader (or a crash) sees either
 * nothing or the whole file. Abort removes the temporary file.
 *
 * Invariants: after a failed open, commit or abort, neither the temporary
 * file nor (for a commit that failed) the final file is left behind, and
 * the error names the final file. The mode of a new file is 0666 less the
 * process umask, which is read once per process (never set: changing it
 * is process-wide and would race with other threads opening files).
 *
 * The stream refers to the struct: it must stay where it is (not be
 * copied or moved) from open to commit or abort.
 *
 * What the path names decides how it is written (a device must never be
 * replaced by a regular file, least of all by root):
 *   - a new name or a regular file: atomically, as above; a file replaced
 *     keeps its permission bits;
 *   - a symbolic link to a regular file: the target is replaced (the link
 *     stays a link) and keeps its mode;
 *   - "-" (standard output), a character device (/dev/null, a terminal) or
 *     a FIFO, directly or through a symbolic link: streamed, with no
 *     temporary file and nothing to rename (`direct`);
 *   - a directory, a block device, a socket or a dangling link: an error
 *     at open, before any work is done.
 *
 * The temporary name is ".NAME.tmp-XXXXXX" with NAME cut (at a UTF-8
 * boundary) so the whole stays within NAME_MAX, so the longest legal name
 * still works.
 *
 * Every system call goes through `struct fp_file_ops`, so tests can make
 * any step fail (including as root, where permissions cannot).
 */
#ifndef FP_SINK_ATOMIC_FILE_H
#define FP_SINK_ATOMIC_FILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "lib/error.h"

struct fp_write_behind;

/* The system calls an atomic file makes; each sets errno on failure. */
struct fp_file_ops {
	int (*mkstemp)(char *path_template);
	ssize_t (*write)(int fd, const void *buf, size_t n);
	int (*fsync)(int fd);
	int (*close)(int fd);
	int (*rename)(const char *from, const char *to);
	int (*link)(const char *from, const char *to);
	int (*unlink)(const char *path);
	int (*fsync_dir)(const char *dir);
};

/* The real ones. */
extern const struct fp_file_ops fp_file_ops_posix;

struct fp_atomic_file_options {
	const struct fp_file_ops *ops;	/* NULL: fp_file_ops_posix */
	bool no_replace;		/* commit fails (EEXIST) rather than replace a file */
};

struct fp_atomic_file {
	char *final_path;
	char *tmp_path;
	FILE *fp;		/* write here */
	int fd;			/* under fp */
	char *stdio_buf;	/* our 1 MiB buffer for fp */
	const struct fp_file_ops *ops;
	bool no_replace;
	int write_errno;	/* the first failed write's errno (stdio may lose it) */
	struct fp_write_behind *behind;	/* the helper making the write() calls, or NULL */
	bool discarding;	/* aborting: buffered bytes are dropped, not written */
	bool direct;		/* streamed to a device, FIFO or stdout: no temporary, no rename */
	bool keep_mode;		/* replacing a file: give the new one `mode` */
	mode_t mode;
};

/* `opts` may be NULL: the real system calls, replacing any old file. */
int fp_atomic_file_open(struct fp_atomic_file *af, const char *path, const struct fp_atomic_file_options *opts,
			struct fp_error *err);
int fp_atomic_file_commit(struct fp_atomic_file *af, struct fp_error *err);
void fp_atomic_file_abort(struct fp_atomic_file *af);

/* The hidden temporary name the atomic file would use for `path`
 * (malloc'd; "XXXXXX" not yet filled in), or NULL when out of memory. */
char *fp_atomic_file_temporary_name(const char *path);

/* 0666 less the process umask, read once (from /proc/self/status where it
 * is there, else with a one-time umask() round trip). */
mode_t fp_new_file_mode(void);

#endif
