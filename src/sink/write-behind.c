/*
 * write-behind.c - the helper thread and its buffers (see write-behind.h).
 *
 * BUFFERS buffers in a ring under one mutex: the caller fills them in ring
 * order and the helper writes them in the same order, so `queued` (filled,
 * not yet written) is all the state there is; the helper drops the lock
 * while inside write(). The helper blocks every signal (lib/thread.h) and
 * retries a write() cut short, as the caller would have.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/thread.h"
#include "sink/write-behind.h"

#define BUFFERS 2
#define BUFFER_BYTES ((size_t)1 << 20)

struct fp_write_behind {
	int fd;
	ssize_t (*write)(int fd, const void *buf, size_t n);
	uint8_t *buf[BUFFERS];
	size_t len[BUFFERS];
	unsigned fill;		/* the caller's next buffer */
	unsigned drain;		/* the helper's next buffer */
	unsigned queued;	/* filled and not yet written (nor dropped) */
	bool ending;		/* finish or discard: no more buffers will come */
	bool dropping;		/* discard: give queued buffers up unwritten */
	int error;		/* errno of the first failed write, 0 if none */
	pthread_mutex_t lock;
	pthread_cond_t changed;	/* queued went up or down, or ending */
	pthread_t thread;
};

/* All `n` bytes, or the errno of the write that failed. */
static int write_all(struct fp_write_behind *wb, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = wb->write(wb->fd, p, n);

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

	pthread_mutex_lock(&wb->lock);
	for (;;) {
		unsigned i = wb->drain;
		int rc = 0;

		while (wb->queued == 0 && !wb->ending)
			pthread_cond_wait(&wb->changed, &wb->lock);
		if (wb->queued == 0)
			break;
		if (wb->error == 0 && !wb->dropping) {
			pthread_mutex_unlock(&wb->lock);
			rc = write_all(wb, wb->buf[i], wb->len[i]);
			pthread_mutex_lock(&wb->lock);
		}
		if (rc != 0 && wb->error == 0)
			wb->error = rc;
		wb->drain = (i + 1) % BUFFERS;
		wb->queued--;
		pthread_cond_broadcast(&wb->changed);
	}
	pthread_mutex_unlock(&wb->lock);
	return NULL;
}

static void free_buffers(struct fp_write_behind *wb)
{
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
	for (unsigned i = 0; i < BUFFERS; i++) {
		if ((wb->buf[i] = malloc(BUFFER_BYTES)) == NULL) {
			free_buffers(wb);
			return NULL;
		}
	}
	pthread_mutex_init(&wb->lock, NULL);
	pthread_cond_init(&wb->changed, NULL);
	if (fp_thread_start(&wb->thread, write_behind_main, wb) != 0) {
		pthread_mutex_destroy(&wb->lock);
		pthread_cond_destroy(&wb->changed);
		free_buffers(wb);
		return NULL;
	}
	return wb;
}

int fp_write_behind_write(struct fp_write_behind *wb, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	while (n > 0) {
		size_t take = n < BUFFER_BYTES ? n : BUFFER_BYTES;
		unsigned i;

		pthread_mutex_lock(&wb->lock);
		while (wb->queued == BUFFERS && wb->error == 0)
			pthread_cond_wait(&wb->changed, &wb->lock);
		if (wb->error != 0) {
			errno = wb->error;
			pthread_mutex_unlock(&wb->lock);
			return -1;
		}
		i = wb->fill;
		pthread_mutex_unlock(&wb->lock);
		memcpy(wb->buf[i], p, take);	/* buffer i is the caller's until queued */
		wb->len[i] = take;
		pthread_mutex_lock(&wb->lock);
		wb->fill = (i + 1) % BUFFERS;
		wb->queued++;
		pthread_cond_broadcast(&wb->changed);
		pthread_mutex_unlock(&wb->lock);
		p += take;
		n -= take;
	}
	return 0;
}

/* Ends the helper (after it wrote, or dropped, what is queued) and frees. */
static int end_helper(struct fp_write_behind *wb, bool drop)
{
	int error;

	pthread_mutex_lock(&wb->lock);
	wb->ending = true;
	wb->dropping = drop;
	pthread_cond_broadcast(&wb->changed);
	pthread_mutex_unlock(&wb->lock);
	pthread_join(wb->thread, NULL);
	error = wb->error;
	pthread_mutex_destroy(&wb->lock);
	pthread_cond_destroy(&wb->changed);
	free_buffers(wb);
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
