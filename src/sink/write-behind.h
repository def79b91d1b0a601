/*
 * write-behind.h - a file's write() calls made by a helper thread.
 *
 * An output file's bytes are made (formatted, compressed) on one thread
 * and copied into the kernel's page cache by write(); at a million CSV
 * rows the copy is half of the writing thread's time. Queued here, the
 * write() runs on a helper thread while the next megabyte is being made.
 *
 * fp_write_behind_write() copies the bytes into one of a few 1 MiB
 * buffers and returns; a buffer goes to the helper when full, so the
 * caller's stream needs no buffer of its own (small writes are gathered
 * here), and a call waits only when every buffer is queued. The
 * helper writes the buffers in the order queued, through the file's ops
 * table (so a test's failing write fails here too). The first failed write
 * is kept: every later call returns -1 with its errno, and later buffers
 * are dropped unwritten. So an error shows at the next write or at finish,
 * never lost; the caller's file is failed either way.
 */
#ifndef FP_SINK_WRITE_BEHIND_H
#define FP_SINK_WRITE_BEHIND_H

#include <stddef.h>
#include <sys/types.h>

struct fp_write_behind;

/* A helper writing to `fd` with `write`; NULL when no thread or memory can
 * be had (the caller writes by itself then). */
struct fp_write_behind *fp_write_behind_start(int fd, ssize_t (*write)(int fd, const void *buf, size_t n));

/* Queues a copy of buf[0, n). 0, or -1 with errno of an earlier failed write. */
int fp_write_behind_write(struct fp_write_behind *wb, const void *buf, size_t n);

/* Waits until everything queued is written, ends the helper and frees it.
 * 0, or -1 with errno of the first failed write. */
int fp_write_behind_finish(struct fp_write_behind *wb);

/* Ends the helper without writing what is still queued, and frees it. */
void fp_write_behind_discard(struct fp_write_behind *wb);

/* All n bytes with `write` (retrying short and interrupted writes): 0, or
 * the errno of the write that failed (EIO for one that wrote nothing).
 * What the helper does with each buffer, and what a caller without a
 * helper does itself. */
int fp_write_all(ssize_t (*write)(int fd, const void *buf, size_t n), int fd, const void *buf, size_t n);

#endif
