/*
 * read-buffer.h - bytes of an input (a file, a pipe, a decompressed
 * stream) in one page-aligned buffer, handed out in place.
 *
 * The idea: the kernel copies the file into a page-aligned read area
 * (design/PERFORMANCE.md: an unaligned destination makes that copy ~60 %
 * slower), and a caller asks "are the next n bytes here?" and reads them
 * where they lie. Only the bytes of a record that straddles the end of the
 * read area are copied, once, into the head room just before it, so the
 * record ends up contiguous and the next read still lands on a page
 * boundary.
 *
 * Layout: mem = [ head room | read area ]; both are page multiples. The
 * unread bytes are [pos, end) and always lie inside mem. A request larger
 * than the buffer grows it (the caller bounds every request: no length
 * read from a file reaches here unchecked).
 *
 * Invariant: position() = bytes taken from the input - (end - pos), the
 * offset in the input of the next unread byte.
 *
 * A regular file may be read ahead by a second thread (read-ahead.h):
 * then `mem` is the block being read, and moving to the next block copies
 * the unread tail into that block's head room, as a refill would. A
 * request that no block can hold (a record larger than the read area, or a
 * tail larger than the head room) stops the thread and goes on with plain
 * reads, from exactly the same byte.
 */
#ifndef FP_SOURCE_READ_BUFFER_H
#define FP_SOURCE_READ_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "source/read-ahead.h"

struct fp_read_buffer {
	uint8_t *mem;
	size_t head;		/* bytes of head room before the read area */
	size_t area;		/* bytes of the read area */
	size_t pos, end;	/* unread bytes: mem[pos, end) */
	uint64_t taken;		/* bytes taken from the input so far */
	int fd;			/* the input, or -1 when reading through `fp` */
	FILE *fp;
	bool own;		/* close fd / fp at the end */
	bool eof;		/* the input said end of file */
	int error;		/* errno of a failed read, 0 if none */
	struct fp_read_ahead *ahead;	/* the read-ahead thread, or NULL */
	struct fp_read_ahead_block *held;	/* its block that `mem` is, or NULL */
};

/* Sets `b` up on an open fd or stream (exactly one of them: fd >= 0 or fp
 * != NULL); `own` hands it over to be closed by fp_read_buffer_free().
 * With `read_ahead`, a regular file is read by a second thread. Returns -1
 * (errno set) if the buffer cannot be had. */
int fp_read_buffer_init(struct fp_read_buffer *b, int fd, FILE *fp, bool own, bool read_ahead);
void fp_read_buffer_free(struct fp_read_buffer *b);

/* The slow path of fp_read_buffer_need(). */
size_t fp_read_buffer_fill(struct fp_read_buffer *b, size_t n);

/* Makes the next `n` bytes contiguous at fp_read_buffer_at(); returns how
 * many bytes are available there: n, or fewer at the end of the input or
 * after a read error (b->error), or if memory for n bytes cannot be had. */
static inline size_t fp_read_buffer_need(struct fp_read_buffer *b, size_t n)
{
	if (__builtin_expect(b->end - b->pos >= n, 1))
		return n;
	return fp_read_buffer_fill(b, n);
}

static inline uint8_t *fp_read_buffer_at(const struct fp_read_buffer *b)
{
	return b->mem + b->pos;
}

/* Consumes `n` bytes (no more than fp_read_buffer_need() said are there). */
static inline void fp_read_buffer_skip(struct fp_read_buffer *b, size_t n)
{
	b->pos += n;
}

static inline uint64_t fp_read_buffer_position(const struct fp_read_buffer *b)
{
	return b->taken - (b->end - b->pos);
}

#endif
