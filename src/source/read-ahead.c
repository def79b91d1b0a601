/*
 * read-ahead.c - the read-ahead thread and its ring of blocks (see
 * read-ahead.h).
 *
 * One mutex guards every block's state and the two flags; the thread
 * drops it while it is inside read(), so the caller is never held up by a
 * copy. The ring has BLOCKS blocks: the caller holds one (two while it
 * moves a tail across), which leaves the thread at least one to fill ahead.
 * The thread fills blocks in ring order and the caller takes them in the
 * same order, so order needs no sequence numbers: a block is taken only
 * when READY, and it is READY only once per fill.
 *
 * The thread blocks every signal (lib/thread.h).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/thread.h"
#include "source/read-ahead.h"

#define BLOCKS 3
#define PAGE 4096u

enum block_state { BLOCK_FREE, BLOCK_READY, BLOCK_HELD };

struct slot {
	struct fp_read_ahead_block block;	/* first: a block pointer is its slot's */
	enum block_state state;
};

struct fp_read_ahead {
	int fd;
	size_t head, area;
	struct slot slots[BLOCKS];
	unsigned fill_next;	/* the thread's next slot (thread only) */
	unsigned take_next;	/* the caller's next slot (caller only) */
	bool stop;		/* the caller asks the thread to end */
	bool done;		/* the thread has ended: eof, error or stop */
	bool finished;		/* the caller took the eof/error block */
	bool started;		/* the thread exists (to be joined) */
	pthread_mutex_t lock;
	pthread_cond_t changed;	/* a block became READY or FREE, or stop/done */
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

	pthread_mutex_lock(&ra->lock);
	for (;;) {
		struct slot *s = &ra->slots[ra->fill_next];
		struct fp_read_ahead_block *b = &s->block;

		while (s->state != BLOCK_FREE && !ra->stop)
			pthread_cond_wait(&ra->changed, &ra->lock);
		if (ra->stop)
			break;
		pthread_mutex_unlock(&ra->lock);
		b->eof = false;
		b->error = 0;
		b->len = read_full(ra->fd, b->mem + ra->head, ra->area, b);
		pthread_mutex_lock(&ra->lock);
		s->state = BLOCK_READY;
		ra->fill_next = (ra->fill_next + 1) % BLOCKS;
		pthread_cond_broadcast(&ra->changed);
		if (b->eof || b->error != 0)
			break;
	}
	ra->done = true;
	pthread_cond_broadcast(&ra->changed);
	pthread_mutex_unlock(&ra->lock);
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
	pthread_mutex_init(&ra->lock, NULL);
	pthread_cond_init(&ra->changed, NULL);
	for (unsigned i = 0; i < BLOCKS; i++) {
		void *mem;

		if (posix_memalign(&mem, PAGE, head + area) != 0) {
			fp_read_ahead_free(ra);
			return NULL;
		}
		ra->slots[i].block.mem = mem;
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
	struct slot *s = &ra->slots[ra->take_next];

	if (ra->finished)
		return NULL;
	pthread_mutex_lock(&ra->lock);
	while (s->state != BLOCK_READY && !ra->done)
		pthread_cond_wait(&ra->changed, &ra->lock);
	if (s->state != BLOCK_READY) {	/* stopped, every filled block taken */
		pthread_mutex_unlock(&ra->lock);
		return NULL;
	}
	s->state = BLOCK_HELD;
	pthread_mutex_unlock(&ra->lock);
	ra->take_next = (ra->take_next + 1) % BLOCKS;
	if (s->block.eof || s->block.error != 0)
		ra->finished = true;
	return &s->block;
}

void fp_read_ahead_release(struct fp_read_ahead *ra, struct fp_read_ahead_block *b)
{
	struct slot *s = (struct slot *)b;

	pthread_mutex_lock(&ra->lock);
	s->state = BLOCK_FREE;
	pthread_cond_broadcast(&ra->changed);
	pthread_mutex_unlock(&ra->lock);
}

void fp_read_ahead_stop(struct fp_read_ahead *ra)
{
	if (!ra->started)
		return;
	pthread_mutex_lock(&ra->lock);
	ra->stop = true;
	pthread_cond_broadcast(&ra->changed);
	pthread_mutex_unlock(&ra->lock);
	pthread_join(ra->thread, NULL);
	ra->started = false;
}

void fp_read_ahead_free(struct fp_read_ahead *ra)
{
	if (ra == NULL)
		return;
	fp_read_ahead_stop(ra);
	pthread_mutex_destroy(&ra->lock);
	pthread_cond_destroy(&ra->changed);
	for (unsigned i = 0; i < BLOCKS; i++)
		free(ra->slots[i].block.mem);
	free(ra);
}
