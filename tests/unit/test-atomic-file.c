/*
 * test-atomic-file.c - the atomic file publishes whole files or nothing:
 * commit publishes with the umask's mode, abort leaves nothing, and every
 * system call made to fail (write, fsync, close, rename, link, directory
 * fsync, mkstemp) leaves neither a temporary nor a final file and returns
 * an error naming the file. Failures are injected through the ops table,
 * so this runs as root too.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sink/atomic-file.h"
#include "tests/unit/test.h"

/* ------------------------------------------------------------ injected failures */

enum failing { FAIL_NONE, FAIL_MKSTEMP, FAIL_WRITE, FAIL_FSYNC, FAIL_CLOSE, FAIL_RENAME, FAIL_LINK, FAIL_FSYNC_DIR };

static _Atomic enum failing failing;	/* which call fails (test-only state; read on the write-behind thread) */

static int t_mkstemp(char *p)
{
	if (failing == FAIL_MKSTEMP) {
		errno = EMFILE;
		return -1;
	}
	return fp_file_ops_posix.mkstemp(p);
}
static ssize_t t_write(int fd, const void *b, size_t n)
{
	if (failing == FAIL_WRITE) {
		errno = ENOSPC;
		return -1;
	}
	return fp_file_ops_posix.write(fd, b, n);
}
static int t_fsync(int fd)
{
	if (failing == FAIL_FSYNC) {
		errno = EIO;
		return -1;
	}
	return fp_file_ops_posix.fsync(fd);
}
static int t_close(int fd)
{
	int rc = fp_file_ops_posix.close(fd);	/* the descriptor goes either way, as with close(2) */

	if (failing == FAIL_CLOSE) {
		errno = EIO;
		return -1;
	}
	return rc;
}
static int t_rename(const char *a, const char *b)
{
	if (failing == FAIL_RENAME) {
		errno = EXDEV;
		return -1;
	}
	return fp_file_ops_posix.rename(a, b);
}
static int t_link(const char *a, const char *b)
{
	if (failing == FAIL_LINK) {
		errno = EPERM;
		return -1;
	}
	return fp_file_ops_posix.link(a, b);
}
static int t_fsync_dir(const char *d)
{
	if (failing == FAIL_FSYNC_DIR) {
		errno = EIO;
		return -1;
	}
	return fp_file_ops_posix.fsync_dir(d);
}

static const struct fp_file_ops test_ops = {
	t_mkstemp, t_write, t_fsync, t_close, t_rename, t_link, unlink, t_fsync_dir,
};

/* ------------------------------------------------------------ helpers */

static char tmpdir[] = "/tmp/fp-test-atomic-XXXXXX";

/* Entries of the test directory (hidden ones included), "." and ".." aside. */
static int count_entries(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static char *read_all(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void path_in_dir(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", tmpdir, name);
}

/* ------------------------------------------------------------ tests */

static void test_commit_publishes(void)
{
	struct fp_atomic_file af;
	struct fp_error err = { "" };
	char path[256];
	struct stat st;
	mode_t mask = umask(022);

	umask(mask);
	path_in_dir(path, sizeof(path), "out.txt");
	CHECK_EQ_INT(fp_atomic_file_open(&af, path, NULL, &err), 0);
	fputs("hello\n", af.fp);
	CHECK_EQ_INT(count_entries(), 1);	/* only the hidden temporary file */
	CHECK(access(path, F_OK) != 0);
	CHECK_EQ_INT(fp_atomic_file_commit(&af, &err), 0);
	CHECK_EQ_STR(read_all(path), "hello\n");
	CHECK_EQ_INT(count_entries(), 1);	/* the final file, no temporary */
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == (0666 & ~mask));
	CHECK_EQ_INT(fp_new_file_mode(), 0666 & ~mask);
	unlink(path);
}

static void test_abort_leaves_nothing(void)
{
	struct fp_atomic_file af;
	struct fp_error err = { "" };
	char path[256];

	path_in_dir(path, sizeof(path), "aborted.txt");
	CHECK_EQ_INT(fp_atomic_file_open(&af, path, NULL, &err), 0);
	fputs("never seen\n", af.fp);
	fp_atomic_file_abort(&af);
	CHECK_EQ_INT(count_entries(), 0);
}

static void test_commit_replaces_by_default(void)
{
	struct fp_atomic_file af;
	struct fp_error err = { "" };
	char path[256];
	FILE *f;

	path_in_dir(path, sizeof(path), "again.txt");
	f = fopen(path, "w");
	fputs("old\n", f);
	fclose(f);
	CHECK_EQ_INT(fp_atomic_file_open(&af, path, NULL, &err), 0);
	fputs("new\n", af.fp);
	CHECK_EQ_INT(fp_atomic_file_commit(&af, &err), 0);
	CHECK_EQ_STR(read_all(path), "new\n");
	unlink(path);
}

static void test_no_replace_keeps_existing(void)
{
	struct fp_atomic_file_options opts = { .ops = &test_ops, .no_replace = true };
	struct fp_atomic_file af;
	struct fp_error err = { "" };
	char path[256];
	FILE *f;

	failing = FAIL_NONE;
	path_in_dir(path, sizeof(path), "taken.txt");
	f = fopen(path, "w");
	fputs("first\n", f);
	fclose(f);
	CHECK_EQ_INT(fp_atomic_file_open(&af, path, &opts, &err), 0);
	fputs("second\n", af.fp);
	CHECK_EQ_INT(fp_atomic_file_commit(&af, &err), -1);
	CHECK(strstr(err.msg, path) != NULL && strstr(err.msg, "exists") != NULL);
	CHECK_EQ_STR(read_all(path), "first\n");
	CHECK_EQ_INT(count_entries(), 1);	/* no temporary left */
	unlink(path);

	/* and a free name is published */
	CHECK_EQ_INT(fp_atomic_file_open(&af, path, &opts, &err), 0);
	fputs("third\n", af.fp);
	CHECK_EQ_INT(fp_atomic_file_commit(&af, &err), 0);
	CHECK_EQ_STR(read_all(path), "third\n");
	CHECK_EQ_INT(count_entries(), 1);
	unlink(path);
}

/* One failing call: commit (or open) fails, names the file and the step,
 * and leaves the directory empty. */
static void expect_failure(enum failing which, bool no_replace, const char *step)
{
	struct fp_atomic_file_options opts = { .ops = &test_ops, .no_replace = no_replace };
	struct fp_atomic_file af;
	struct fp_error err = { "" };
	char path[256];
	int rc;

	path_in_dir(path, sizeof(path), "failing.csv");
	failing = which;
	rc = fp_atomic_file_open(&af, path, &opts, &err);
	if (rc == 0) {
		for (int i = 0; i < 100000; i++)	/* more than the stdio buffer: writes happen */
			fputs("some row of data\n", af.fp);
		rc = fp_atomic_file_commit(&af, &err);
	}
	failing = FAIL_NONE;
	CHECK_EQ_INT(rc, -1);
	if (strstr(err.msg, path) == NULL || strstr(err.msg, step) == NULL) {
		fprintf(stderr, "  failing call %d: message \"%s\" lacks the path or \"%s\"\n", which, err.msg, step);
		CHECK(0);
	}
	CHECK_EQ_INT(count_entries(), 0);
}

static void test_injected_failures(void)
{
	expect_failure(FAIL_MKSTEMP, false, "temporary");
	expect_failure(FAIL_WRITE, false, "No space left");
	expect_failure(FAIL_FSYNC, false, "fsync failed");
	expect_failure(FAIL_CLOSE, false, "close failed");
	expect_failure(FAIL_RENAME, false, "rename");
	expect_failure(FAIL_FSYNC_DIR, false, "directory");
	expect_failure(FAIL_LINK, true, "link");
	expect_failure(FAIL_FSYNC_DIR, true, "directory");
}

/* A write that fails on the write-behind thread shows at a later write,
 * not only at commit: the stream errs while there is still data to go,
 * and commit then fails and leaves nothing. */
static void test_failed_write_shows_before_commit(void)
{
	struct fp_atomic_file_options opts = { .ops = &test_ops };
	struct fp_atomic_file af;
	struct fp_error err = { "" };
	static char chunk[65536];
	char path[256];
	int i, erred_at = -1;

	memset(chunk, 'x', sizeof(chunk));
	path_in_dir(path, sizeof(path), "late.csv");
	CHECK_EQ_INT(fp_atomic_file_open(&af, path, &opts, &err), 0);
	failing = FAIL_WRITE;
	for (i = 0; i < 128 && erred_at < 0; i++)	/* 8 MiB: eight stdio buffers */
		if (fwrite(chunk, 1, sizeof(chunk), af.fp) != sizeof(chunk) || ferror(af.fp))
			erred_at = i;
	CHECK(erred_at >= 0 && erred_at < 127);
	CHECK_EQ_INT(fp_atomic_file_commit(&af, &err), -1);
	failing = FAIL_NONE;
	CHECK(strstr(err.msg, "No space left") != NULL);
	CHECK_EQ_INT(count_entries(), 0);
}

int main(void)
{
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_commit_publishes);
	RUN(test_abort_leaves_nothing);
	RUN(test_commit_replaces_by_default);
	RUN(test_no_replace_keeps_existing);
	RUN(test_injected_failures);
	RUN(test_failed_write_shows_before_commit);
	rmdir(tmpdir);
	return TEST_RESULT();
}
