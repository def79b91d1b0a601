/*
 * spool.h - a drop-in directory of capture files, watched with inotify.
 *
 * Users (or a capture tool) write a capture under a hidden or temporary
 * name and rename it into the spool, or write it in place and close it.
 * A file becomes ready when it is closed after writing (IN_CLOSE_WRITE) or
 * renamed in (IN_MOVED_TO), and at start-up every file already there is
 * ready (a restart reprocesses whatever is still in the spool). Only names
 * that are not hidden and end in .pcap, .pcapng or .cap are taken; a
 * compressed capture (.pcap.gz...) is ready too, so that it can be refused
 * with a reason instead of lying there unexplained.
 *
 * A file leaves the spool only through fp_spool_retire() (to done/ or
 * deleted) or fp_spool_fail() (to failed/, next to NAME.reason); the caller
 * calls them once the file's flows are durable.
 */
#ifndef FP_SOURCE_SPOOL_H
#define FP_SOURCE_SPOOL_H

#include <stdbool.h>

#include "lib/error.h"

enum fp_spool_after { FP_SPOOL_MOVE, FP_SPOOL_DELETE };

enum fp_spool_name {
	FP_SPOOL_IGNORE,	/* hidden, or not a capture's name */
	FP_SPOOL_CAPTURE,	/* .pcap, .pcapng, .cap */
	FP_SPOOL_COMPRESSED,	/* .pcap.gz and friends: refused with a reason */
};

struct fp_spool;

/* Watches `dir` (which must exist), making done/ and failed/ in it. */
struct fp_spool *fp_spool_open(const char *dir, struct fp_error *err);
void fp_spool_close(struct fp_spool *s);

/* The inotify descriptor: readable when names may be ready. */
int fp_spool_fd(const struct fp_spool *s);

/* The next ready file's name (in the spool directory, no path), or NULL
 * when none is ready now. Reads pending inotify events without blocking.
 * A name is handed out once until it is retired, failed or forgotten. */
const char *fp_spool_next(struct fp_spool *s, struct fp_error *err);

/* The full path of a name in the spool (valid until the next call). */
const char *fp_spool_path(struct fp_spool *s, const char *name);

/* Takes `name` out of the spool: to done/ (replacing an older file of the
 * same name) or deleted; the directory is fsynced either way. */
int fp_spool_retire(struct fp_spool *s, const char *name, enum fp_spool_after after, struct fp_error *err);

/* Moves `name` to failed/ and writes failed/NAME.reason (one line). */
int fp_spool_fail(struct fp_spool *s, const char *name, const char *reason, struct fp_error *err);

/* Forgets a handed-out name without moving it (it is picked up again when
 * the directory is rescanned, e.g. at the next start). */
void fp_spool_forget(struct fp_spool *s, const char *name);

/* How a spool treats a file name. */
enum fp_spool_name fp_spool_classify(const char *name);

#endif
