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

int fp_read_buffer_init(struct fp_read_buffer *b, int fd, FILE *fp, bool own)
{
	memset(b, 0, sizeof(*b));
	b->fd = fd;
	b->fp = fp;
	b->own = own;
	if (alloc_mem(b, HEAD_ROOM, READ_AREA) < 0)
		return -1;
	b->pos = b->end = b->head;
	return 0;
}

void fp_read_buffer_free(struct fp_read_buffer *b)
{
	free(b->mem);
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

size_t fp_read_buffer_fill(struct fp_read_buffer *b, size_t n)
{
	size_t have = b->end - b->pos;

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
