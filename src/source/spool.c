/*
 * spool.c - the spool directory watcher (see spool.h).
 *
 * Ready names wait in a FIFO queue; names handed out and not yet retired
 * are remembered in `taken`, so an inotify event for a file being worked on
 * (or the start-up scan racing an event) does not queue it twice. When the
 * kernel's event queue overflows (IN_Q_OVERFLOW), events were lost: the
 * directory is scanned again, which finds everything still there.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/spool.h"

struct name_list {
	char **names;
	size_t n, cap;
};

struct fp_spool {
	char *dir;
	int dir_fd;
	int inotify_fd;
	struct name_list ready;		/* FIFO: ready[0] is next */
	struct name_list taken;		/* handed out, not yet retired */
	char path[PATH_MAX];
};

static const char *const capture_ext[] = { ".pcap", ".pcapng", ".cap" };
static const char *const compressed_ext[] = { ".gz", ".bz2", ".xz", ".zst", ".lz4" };

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcasecmp(s + n - k, suffix) == 0;
}

enum fp_spool_name fp_spool_classify(const char *name)
{
	if (name[0] == '.' || name[0] == '\0')
		return FP_SPOOL_IGNORE;
	for (size_t i = 0; i < sizeof(capture_ext) / sizeof(capture_ext[0]); i++)
		if (ends_with(name, capture_ext[i]))
			return FP_SPOOL_CAPTURE;
	for (size_t i = 0; i < sizeof(compressed_ext) / sizeof(compressed_ext[0]); i++) {
		size_t n = strlen(name), k = strlen(compressed_ext[i]);

		if (!ends_with(name, compressed_ext[i]))
			continue;
		for (size_t j = 0; j < sizeof(capture_ext) / sizeof(capture_ext[0]); j++) {
			size_t e = strlen(capture_ext[j]);

			if (n > k + e && strncasecmp(name + n - k - e, capture_ext[j], e) == 0)
				return FP_SPOOL_COMPRESSED;
		}
	}
	return FP_SPOOL_IGNORE;
}

/* ---------------------------------------------------------- name lists */

static ssize_t list_find(const struct name_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->names[i], name) == 0)
			return (ssize_t)i;
	return -1;
}

static int list_add(struct name_list *l, const char *name)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **grown = realloc(l->names, cap * sizeof(*grown));
		if (grown == NULL)
			return -1;
		l->names = grown;
		l->cap = cap;
	}
	if ((l->names[l->n] = strdup(name)) == NULL)
		return -1;
	l->n++;
	return 0;
}

static void list_remove(struct name_list *l, size_t i)
{
	free(l->names[i]);
	memmove(l->names + i, l->names + i + 1, (l->n - i - 1) * sizeof(*l->names));
	l->n--;
}

static void list_free(struct name_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	memset(l, 0, sizeof(*l));
}

/* Queues `name` unless it is not wanted or already queued or taken. */
static int offer(struct fp_spool *s, const char *name)
{
	if (fp_spool_classify(name) == FP_SPOOL_IGNORE)
		return 0;
	if (list_find(&s->ready, name) >= 0 || list_find(&s->taken, name) >= 0)
		return 0;
	return list_add(&s->ready, name);
}

/* ------------------------------------------------------------ watching */

static int make_subdir(struct fp_spool *s, const char *sub, struct fp_error *err)
{
	if (mkdirat(s->dir_fd, sub, 0755) < 0 && errno != EEXIST)
		return fp_error_errno(err, "%s/%s: cannot create", s->dir, sub);
	return 0;
}

/* Queues every regular file already in the directory, in name order so a
 * restart processes them in a predictable order. */
static int scan(struct fp_spool *s, struct fp_error *err)
{
	struct dirent **entries;
	int n = scandir(s->dir, &entries, NULL, alphasort);
	int rc = 0;

	if (n < 0)
		return fp_error_errno(err, "%s: cannot list the spool", s->dir);
	for (int i = 0; i < n; i++) {
		struct stat st;

		if (rc == 0 && fstatat(s->dir_fd, entries[i]->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && offer(s, entries[i]->d_name) < 0)
			rc = fp_error_set(err, "%s: out of memory", s->dir);
		free(entries[i]);
	}
	free(entries);
	return rc;
}

struct fp_spool *fp_spool_open(const char *dir, struct fp_error *err)
{
	struct fp_spool *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->dir = strdup(dir)) == NULL) {
		free(s);
		fp_error_set(err, "%s: out of memory", dir);
		return NULL;
	}
	s->inotify_fd = -1;
	s->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dir_fd < 0) {
		fp_error_errno(err, "spool %s", dir);
		goto fail;
	}
	if (make_subdir(s, "done", err) < 0 || make_subdir(s, "failed", err) < 0)
		goto fail;
	s->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (s->inotify_fd < 0 || inotify_add_watch(s->inotify_fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR) < 0) {
		fp_error_errno(err, "spool %s: cannot watch", dir);
		goto fail;
	}
	if (scan(s, err) < 0)	/* after the watch: nothing written meanwhile is missed */
		goto fail;
	return s;
fail:
	fp_spool_close(s);
	return NULL;
}

void fp_spool_close(struct fp_spool *s)
{
	if (s == NULL)
		return;
	if (s->inotify_fd >= 0)
		close(s->inotify_fd);
	if (s->dir_fd >= 0)
		close(s->dir_fd);
	list_free(&s->ready);
	list_free(&s->taken);
	free(s->dir);
	free(s);
}

int fp_spool_fd(const struct fp_spool *s)
{
	return s->inotify_fd;
}

/* Reads every pending inotify event. */
static int read_events(struct fp_spool *s, struct fp_error *err)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));

	for (;;) {
		ssize_t len = read(s->inotify_fd, buf, sizeof(buf));

		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0 && errno == EAGAIN)
			return 0;
		if (len <= 0)
			return fp_error_errno(err, "spool %s: reading events", s->dir);
		for (char *p = buf; p < buf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			if (ev->mask & IN_Q_OVERFLOW) {
				if (scan(s, err) < 0)
					return -1;
			} else if (ev->len > 0 && !(ev->mask & IN_ISDIR) && offer(s, ev->name) < 0) {
				return fp_error_set(err, "%s: out of memory", s->dir);
			}
			p += sizeof(*ev) + ev->len;
		}
	}
}

const char *fp_spool_next(struct fp_spool *s, struct fp_error *err)
{
	if (read_events(s, err) < 0)
		return NULL;
	while (s->ready.n > 0) {
		char *name = s->ready.names[0];
		struct stat st;

		memmove(s->ready.names, s->ready.names + 1, (s->ready.n - 1) * sizeof(*s->ready.names));
		s->ready.n--;
		/* gone meanwhile (renamed away, deleted): nothing to do */
		if (fstatat(s->dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)) {
			free(name);
			continue;
		}
		if (list_add(&s->taken, name) < 0) {
			free(name);
			fp_error_set(err, "%s: out of memory", s->dir);
			return NULL;
		}
		free(name);
		return s->taken.names[s->taken.n - 1];
	}
	return NULL;
}

const char *fp_spool_path(struct fp_spool *s, const char *name)
{
	snprintf(s->path, sizeof(s->path), "%s/%s", s->dir, name);
	return s->path;
}

static void untake(struct fp_spool *s, const char *name)
{
	ssize_t i = list_find(&s->taken, name);

	if (i >= 0)
		list_remove(&s->taken, (size_t)i);
}

void fp_spool_forget(struct fp_spool *s, const char *name)
{
	untake(s, name);
}

static int sync_dir(int fd, const char *what, struct fp_error *err)
{
	if (fsync(fd) < 0)
		return fp_error_errno(err, "%s: fsync", what);
	return 0;
}

static int move_into(struct fp_spool *s, const char *name, const char *sub, struct fp_error *err)
{
	char target[PATH_MAX];
	int sub_fd;

	if ((size_t)snprintf(target, sizeof(target), "%s/%s", sub, name) >= sizeof(target))
		return fp_error_set(err, "%s/%s: name too long", s->dir, name);
	if (renameat(s->dir_fd, name, s->dir_fd, target) < 0)
		return fp_error_errno(err, "%s/%s: cannot move to %s/", s->dir, name, sub);
	sub_fd = openat(s->dir_fd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sub_fd >= 0) {
		int rc = sync_dir(sub_fd, sub, err);
		close(sub_fd);
		if (rc < 0)
			return -1;
	}
	return sync_dir(s->dir_fd, s->dir, err);
}

int fp_spool_retire(struct fp_spool *s, const char *name, enum fp_spool_after after, struct fp_error *err)
{
	char *copy = strdup(name);	/* `name` may be the taken entry freed below */
	int rc;

	if (copy == NULL)
		return fp_error_set(err, "out of memory");
	if (after == FP_SPOOL_MOVE) {
		rc = move_into(s, copy, "done", err);
	} else {
		rc = unlinkat(s->dir_fd, copy, 0) < 0 ? fp_error_errno(err, "%s/%s: cannot delete", s->dir, copy)
						      : sync_dir(s->dir_fd, s->dir, err);
	}
	untake(s, copy);
	free(copy);
	return rc;
}

/* failed/NAME.reason, written whole under a hidden name first. */
static int write_reason(struct fp_spool *s, const char *name, const char *reason, struct fp_error *err)
{
	char tmp[PATH_MAX], final[PATH_MAX];
	int fd;
	size_t len = strlen(reason);

	if ((size_t)snprintf(final, sizeof(final), "failed/%s.reason", name) >= sizeof(final) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "failed/.%s.reason.tmp", name) >= sizeof(tmp))
		return fp_error_set(err, "%s/%s: name too long", s->dir, name);
	fd = openat(s->dir_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return fp_error_errno(err, "%s/%s: cannot write", s->dir, tmp);
	if (write(fd, reason, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd) < 0) {
		close(fd);
		unlinkat(s->dir_fd, tmp, 0);
		return fp_error_errno(err, "%s/%s: cannot write", s->dir, tmp);
	}
	close(fd);
	if (renameat(s->dir_fd, tmp, s->dir_fd, final) < 0)
		return fp_error_errno(err, "%s/%s: cannot rename", s->dir, final);
	return 0;
}

int fp_spool_fail(struct fp_spool *s, const char *name, const char *reason, struct fp_error *err)
{
	char *copy = strdup(name);
	int rc;

	if (copy == NULL)
		return fp_error_set(err, "out of memory");
	rc = write_reason(s, copy, reason, err);
	if (rc == 0)
		rc = move_into(s, copy, "failed", err);
	untake(s, copy);
	free(copy);
	return rc;
}
