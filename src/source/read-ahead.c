/*
 * read-ahead.c - the read-ahead thread and its ring of blocks (see
 * read-ahead.h).
 *
 * The blocks are the slots of a ring (lib/ring.h): the thread fills the
 * next free block with one read_full() and pushes it; the caller's held
 * block is the ring's oldest full slot, so taking the next one is waiting
 * for the slot after it, and releasing is popping. The thread never holds
 * a lock inside read(), and it stops at the end of the file, on an error,
 * or when the caller stops the ring; it blocks every signal (lib/thread.h).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/ring.h"
#include "lib/thread.h"
#include "source/read-ahead.h"

#define BLOCKS FP_READ_AHEAD_BLOCKS
#define PAGE 4096u

struct fp_read_ahead {
	int fd;
	size_t head, area;
	struct fp_read_ahead_block blocks[BLOCKS];
	struct fp_ring ring;
	unsigned held;		/* blocks the caller holds: 0, 1, or 2 while moving on */
	bool finished;		/* the caller took the eof/error block */
	bool started;		/* the thread exists (to be joined) */
	pthread_t thread;
};

/* Fills `len` bytes at most: stops early only at the end of the file or
 * on an error (which it notes in `b`). */
static size_t read_full(int fd, uint8_t *at, size_t len, struct fp_read_ahead_block *b)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = read(fd, at + got, len - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			b->error = errno != 0 ? errno : EIO;
			break;
		}
		if (r == 0) {
			b->eof = true;
			break;
		}
		got += (size_t)r;
	}
	return got;
}

static void *read_ahead_main(void *arg)
{
	struct fp_read_ahead *ra = arg;
	int slot;

	while ((slot = fp_ring_reserve(&ra->ring)) >= 0) {
		struct fp_read_ahead_block *b = &ra->blocks[slot];

		b->eof = false;
		b->error = 0;
		b->len = read_full(ra->fd, b->mem + ra->head, ra->area, b);
		fp_ring_push(&ra->ring);
		if (b->eof || b->error != 0)
			break;
	}
	fp_ring_end(&ra->ring);
	return NULL;
}

struct fp_read_ahead *fp_read_ahead_start(int fd, size_t head, size_t area)
{
	struct fp_read_ahead *ra;
	struct stat st;

	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	ra = calloc(1, sizeof(*ra));
	if (ra == NULL)
		return NULL;
	ra->fd = fd;
	ra->head = head;
	ra->area = area;
	/* the thread refills once the caller is down to its own block and one
	 * more; a caller waiting for the next block is woken when it is there */
	fp_ring_init(&ra->ring, BLOCKS, 2, 2);
	for (unsigned i = 0; i < BLOCKS; i++) {
		void *mem;

		if (posix_memalign(&mem, PAGE, head + area) != 0) {
			fp_read_ahead_free(ra);
			return NULL;
		}
		ra->blocks[i].mem = mem;
	}
	if (fp_thread_start(&ra->thread, read_ahead_main, ra) != 0) {
		fp_read_ahead_free(ra);
		return NULL;
	}
	ra->started = true;
	return ra;
}

struct fp_read_ahead_block *fp_read_ahead_take(struct fp_read_ahead *ra)
{
	struct fp_read_ahead_block *b;
	int slot;

	if (ra->finished || (slot = fp_ring_wait_full(&ra->ring, ra->held)) < 0)
		return NULL;
	ra->held++;
	b = &ra->blocks[slot];
	if (b->eof || b->error != 0)
		ra->finished = true;
	return b;
}

void fp_read_ahead_release(struct fp_read_ahead *ra, struct fp_read_ahead_block *b)
{
	(void)b;	/* always the oldest held: blocks are released in the order taken */
	ra->held--;
	fp_ring_pop(&ra->ring);
}

void fp_read_ahead_stop(struct fp_read_ahead *ra)
{
	if (!ra->started)
		return;
	fp_ring_stop(&ra->ring);
	pthread_join(ra->thread, NULL);
	ra->started = false;
}

void fp_read_ahead_free(struct fp_read_ahead *ra)
{
	if (ra == NULL)
		return;
	fp_read_ahead_stop(ra);
	fp_ring_destroy(&ra->ring);
	for (unsigned i = 0; i < BLOCKS; i++)
		free(ra->blocks[i].mem);
	free(ra);
}
