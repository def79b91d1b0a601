/*
 * write-behind.c - the helper thread and its buffers (see write-behind.h).
 *
 * BUFFERS buffers are the slots of a ring (lib/ring.h): the caller fills
 * the next free one, across as many calls as it takes, and pushes it when
 * full (or at finish); the helper writes the oldest and pops it. No lock is held inside write(). The helper blocks every signal
 * (lib/thread.h) and retries a write() cut short, as the caller would
 * have.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ring.h"
#include "lib/thread.h"
#include "sink/write-behind.h"

#define BUFFERS 2
#define BUFFER_BYTES ((size_t)1 << 20)

struct fp_write_behind {
	int fd;
	ssize_t (*write)(int fd, const void *buf, size_t n);
	struct fp_ring ring;	/* slots: buffers filled, the oldest being written */
	uint8_t *buf[BUFFERS];
	size_t len[BUFFERS];
	int filling;		/* the caller's reserved buffer, not yet pushed, or -1 */
	_Atomic int error;	/* errno of the first failed write, 0 if none */
	_Atomic bool dropping;	/* discard: give queued buffers up unwritten */
	pthread_t thread;
};

int fp_write_all(ssize_t (*write)(int fd, const void *buf, size_t n), int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 && errno != 0 ? errno : EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void *write_behind_main(void *arg)
{
	struct fp_write_behind *wb = arg;
	int slot;

	while ((slot = fp_ring_wait_full(&wb->ring, 0)) >= 0) {
		if (atomic_load(&wb->error) == 0 && !atomic_load(&wb->dropping)) {
			int rc = fp_write_all(wb->write, wb->fd, wb->buf[slot], wb->len[slot]);

			if (rc != 0)
				atomic_store(&wb->error, rc);
		}
		fp_ring_pop(&wb->ring);
	}
	return NULL;
}

static void free_all(struct fp_write_behind *wb)
{
	fp_ring_destroy(&wb->ring);
	for (unsigned i = 0; i < BUFFERS; i++)
		free(wb->buf[i]);
	free(wb);
}

struct fp_write_behind *fp_write_behind_start(int fd, ssize_t (*write)(int fd, const void *buf, size_t n))
{
	struct fp_write_behind *wb = calloc(1, sizeof(*wb));

	if (wb == NULL)
		return NULL;
	wb->fd = fd;
	wb->write = write;
	wb->filling = -1;
	atomic_init(&wb->error, 0);
	atomic_init(&wb->dropping, false);
	fp_ring_init(&wb->ring, BUFFERS, BUFFERS - 1, 1);
	for (unsigned i = 0; i < BUFFERS; i++) {
		if ((wb->buf[i] = malloc(BUFFER_BYTES)) == NULL) {
			free_all(wb);
			return NULL;
		}
	}
	if (fp_thread_start(&wb->thread, write_behind_main, wb) != 0) {
		free_all(wb);
		return NULL;
	}
	return wb;
}

int fp_write_behind_write(struct fp_write_behind *wb, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	while (n > 0) {
		int error = atomic_load(&wb->error);
		size_t take;

		if (error != 0) {
			errno = error;
			return -1;
		}
		if (wb->filling < 0) {
			wb->filling = fp_ring_reserve(&wb->ring);	/* never stopped: the helper drains what comes */
			wb->len[wb->filling] = 0;
		}
		take = BUFFER_BYTES - wb->len[wb->filling];
		take = n < take ? n : take;
		memcpy(wb->buf[wb->filling] + wb->len[wb->filling], p, take);	/* the caller's until pushed */
		wb->len[wb->filling] += take;
		if (wb->len[wb->filling] == BUFFER_BYTES) {
			fp_ring_push(&wb->ring);
			wb->filling = -1;
		}
		p += take;
		n -= take;
	}
	return 0;
}

/* Ends the helper (after it wrote, or dropped, what is queued) and frees. */
static int end_helper(struct fp_write_behind *wb, bool drop)
{
	int error;

	if (!drop && wb->filling >= 0 && wb->len[wb->filling] > 0)
		fp_ring_push(&wb->ring);	/* the last, partly filled buffer */
	atomic_store(&wb->dropping, drop);
	fp_ring_end(&wb->ring);
	pthread_join(wb->thread, NULL);
	error = atomic_load(&wb->error);
	free_all(wb);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

int fp_write_behind_finish(struct fp_write_behind *wb)
{
	return end_helper(wb, false);
}

void fp_write_behind_discard(struct fp_write_behind *wb)
{
	(void)end_helper(wb, true);
}
