/*
 * read-buffer.c - the page-aligned input buffer (see read-buffer.h).
 *
 * Reading fills the read area from its start, so the kernel always copies
 * to a page boundary; the unread tail of the previous fill (at most one
 * partial record) is first copied to just before the read area. When the
 * tail does not fit in the head room, or a request exceeds head room plus
 * read area, the buffer is replaced by a larger one (page multiples).
 *
 * A pipe or a stream delivers less than asked: reads repeat until the
 * request is met or the input ends. A stream (FILE *) is asked for at least
 * 64 KiB beyond what is needed, not for the whole area, so a slow producer
 * (a live capture written to a pipe) is not waited on for a whole MiB.
 *
 * With read-ahead the same layout holds per block: the first block is
 * taken at init (so `mem` is never NULL), and each later one receives the
 * unread tail in its head room before the block left is given back.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/read-buffer.h"

#define PAGE 4096u
#define HEAD_ROOM (256u * 1024)		/* a partial record of up to this many bytes moves without regrowing */
#define READ_AREA (1024u * 1024)
#define STREAM_CHUNK (64u * 1024)

static size_t round_page(size_t n)
{
	return (n + PAGE - 1) / PAGE * PAGE;
}

static int alloc_mem(struct fp_read_buffer *b, size_t head, size_t area)
{
	void *mem;

	if (posix_memalign(&mem, PAGE, head + area) != 0) {
		errno = ENOMEM;
		return -1;
	}
	b->mem = mem;
	b->head = head;
	b->area = area;
	return 0;
}

/* Moves to the read-ahead's next block, carrying the unread tail over.
 * false: there is no next block (the end of input was already reached). */
static bool next_block(struct fp_read_buffer *b)
{
	struct fp_read_ahead_block *next = fp_read_ahead_take(b->ahead);
	size_t tail = b->end - b->pos;

	if (next == NULL)
		return false;
	if (tail > 0)
		memcpy(next->mem + b->head - tail, b->mem + b->pos, tail);
	if (b->held != NULL)
		fp_read_ahead_release(b->ahead, b->held);
	b->held = next;
	b->mem = next->mem;
	b->pos = b->head - tail;
	b->end = b->head + next->len;
	b->taken += next->len;
	b->eof = next->eof;
	b->error = next->error;
	return true;
}

static void start_read_ahead(struct fp_read_buffer *b)
{
	b->ahead = fp_read_ahead_start(b->fd, HEAD_ROOM, READ_AREA);
	if (b->ahead == NULL)
		return;
	b->head = HEAD_ROOM;
	b->area = READ_AREA;
	b->pos = b->end = b->head;
	if (!next_block(b))	/* cannot happen: the first take always has a block */
		b->eof = true;
}

int fp_read_buffer_init(struct fp_read_buffer *b, int fd, FILE *fp, bool own, bool read_ahead)
{
	memset(b, 0, sizeof(*b));
	b->fd = fd;
	b->fp = fp;
	b->own = own;
	if (read_ahead && fd >= 0) {
		start_read_ahead(b);
		if (b->ahead != NULL)
			return 0;
	}
	if (alloc_mem(b, HEAD_ROOM, READ_AREA) < 0)
		return -1;
	b->pos = b->end = b->head;
	return 0;
}

void fp_read_buffer_free(struct fp_read_buffer *b)
{
	if (b->ahead != NULL)
		fp_read_ahead_free(b->ahead);	/* frees the held block, mem */
	else
		free(b->mem);
	b->ahead = NULL;
	b->held = NULL;
	b->mem = NULL;
	if (b->own) {
		if (b->fp != NULL)
			fclose(b->fp);
		else if (b->fd >= 0)
			close(b->fd);
	}
	b->fp = NULL;
	b->fd = -1;
}

/* Moves the `tail` unread bytes to end at the read area's start, growing
 * the buffer when the tail or the request (`n` bytes from the tail's
 * start) does not fit. false: no memory. */
static bool make_room(struct fp_read_buffer *b, size_t n)
{
	size_t tail = b->end - b->pos;
	uint8_t *old = b->mem;
	size_t head = b->head, area = b->area;

	if (tail > head)
		head = round_page(tail);
	if (n - tail > area)
		area = round_page(n - tail);
	if (head != b->head || area != b->area) {
		if (alloc_mem(b, head, area) < 0) {
			b->mem = old;	/* keep what is there; the caller gets less */
			return false;
		}
		memcpy(b->mem + head - tail, old + b->pos, tail);
		free(old);
	} else if (tail > 0) {
		memmove(b->mem + head - tail, b->mem + b->pos, tail);
	}
	b->pos = head - tail;
	b->end = head;
	return true;
}

/* One read of up to `max` bytes into the area's free part; 0 at the end
 * of input or on error (b->eof / b->error). */
static size_t read_some(struct fp_read_buffer *b, size_t want)
{
	size_t room = b->head + b->area - b->end;
	ssize_t r;

	if (b->fp != NULL) {
		size_t ask = want + STREAM_CHUNK < room ? want + STREAM_CHUNK : room;
		size_t got = fread(b->mem + b->end, 1, ask, b->fp);

		if (got < ask) {
			if (ferror(b->fp))
				b->error = errno != 0 ? errno : EIO;
			else
				b->eof = true;
		}
		return got;
	}
	do
		r = read(b->fd, b->mem + b->end, room);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		b->error = errno;
	else if (r == 0)
		b->eof = true;
	return r > 0 ? (size_t)r : 0;
}

/* Stops the read-ahead and goes on with plain reads: the unread bytes and
 * every block the thread filled move into a buffer of our own, and the fd
 * stands just after them. false: no memory (read-ahead goes on). */
static bool leave_read_ahead(struct fp_read_buffer *b)
{
	struct fp_read_ahead_block *blk;
	size_t tail = b->end - b->pos, at;
	size_t area = round_page(tail + (FP_READ_AHEAD_BLOCKS - 1) * (size_t)READ_AREA);	/* tail + every block ahead */
	void *mem;

	if (posix_memalign(&mem, PAGE, HEAD_ROOM + area) != 0)
		return false;
	fp_read_ahead_stop(b->ahead);
	memcpy((uint8_t *)mem + HEAD_ROOM, b->mem + b->pos, tail);
	at = HEAD_ROOM + tail;
	while (!b->eof && b->error == 0 && (blk = fp_read_ahead_take(b->ahead)) != NULL) {
		memcpy((uint8_t *)mem + at, blk->mem + b->head, blk->len);
		at += blk->len;
		b->taken += blk->len;
		b->eof = blk->eof;
		b->error = blk->error;
		fp_read_ahead_release(b->ahead, blk);
	}
	fp_read_ahead_free(b->ahead);
	b->ahead = NULL;
	b->held = NULL;
	b->mem = mem;
	b->head = HEAD_ROOM;
	b->area = area;
	b->pos = HEAD_ROOM;
	b->end = at;
	return true;
}

/* fill() while a read-ahead thread reads: block after block, until `n`
 * bytes are there or a request no block can hold sends us back to plain
 * reads. */
static size_t fill_ahead(struct fp_read_buffer *b, size_t n)
{
	while (b->end - b->pos < n && !b->eof && b->error == 0) {
		size_t tail = b->end - b->pos;

		if (tail > b->head || n - tail > b->area) {
			if (!leave_read_ahead(b))
				break;
			return fp_read_buffer_fill(b, n);
		}
		if (!next_block(b))
			b->eof = true;
	}
	return b->end - b->pos < n ? b->end - b->pos : n;
}

size_t fp_read_buffer_fill(struct fp_read_buffer *b, size_t n)
{
	size_t have = b->end - b->pos;

	if (b->ahead != NULL)
		return fill_ahead(b, n);

	if (b->eof || b->error != 0)
		return have;
	if (b->pos + n > b->head + b->area && !make_room(b, n))
		return b->end - b->pos;
	while (b->end - b->pos < n && !b->eof && b->error == 0) {
		size_t got = read_some(b, n - (b->end - b->pos));

		b->end += got;
		b->taken += got;
	}
	have = b->end - b->pos;
	return have < n ? have : n;
}
