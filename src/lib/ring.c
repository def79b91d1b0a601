/*
 * ring.c - the producer/consumer ring (see ring.h). The count of full
 * slots is atomic; each index is one side's own. The mutex and a condition
 * per side are only for sleeping: a side about to sleep raises its flag,
 * and a step of the other side that makes its wait end wakes it if the
 * flag is up. One thread per side, so a signal (not a broadcast) is enough.
 */
#include "config.h"

#include "lib/ring.h"

void fp_ring_init(struct fp_ring *r, unsigned n, unsigned low_water, unsigned high_water)
{
	r->n = n;
	r->low_water = low_water < n ? low_water : n - 1;
	r->high_water = high_water < 1 ? 1 : high_water > n ? n : high_water;
	r->head = 0;
	r->tail = 0;
	atomic_init(&r->full, 0);
	atomic_init(&r->ended, false);
	atomic_init(&r->stopped, false);
	atomic_init(&r->producer_waits, false);
	atomic_init(&r->consumer_waits, false);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->room, NULL);
	pthread_cond_init(&r->data, NULL);
}

void fp_ring_destroy(struct fp_ring *r)
{
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->room);
	pthread_cond_destroy(&r->data);
}

/* Wakes a side that sleeps on `cond`. Its flag is read after the change it
 * waits for was stored (both sequentially consistent), and a sleeper sets
 * its flag before looking at the state once more under the lock, so either
 * it sees the change or we see its flag: no wake-up is lost. */
static void wake(struct fp_ring *r, _Atomic bool *waits, pthread_cond_t *cond)
{
	if (!atomic_load(waits))
		return;
	pthread_mutex_lock(&r->lock);
	atomic_store(waits, false);
	pthread_cond_signal(cond);
	pthread_mutex_unlock(&r->lock);
}

static bool room_for_producer(struct fp_ring *r, unsigned at_most)
{
	return atomic_load(&r->full) <= at_most || atomic_load(&r->stopped);
}

int fp_ring_reserve(struct fp_ring *r)
{
	if (!room_for_producer(r, r->n - 1)) {
		pthread_mutex_lock(&r->lock);
		atomic_store(&r->producer_waits, true);
		while (!room_for_producer(r, r->low_water)) {
			pthread_cond_wait(&r->room, &r->lock);
			atomic_store(&r->producer_waits, true);
		}
		atomic_store(&r->producer_waits, false);
		pthread_mutex_unlock(&r->lock);
	}
	return atomic_load(&r->stopped) ? -1 : (int)r->tail;
}

void fp_ring_push(struct fp_ring *r)
{
	r->tail = (r->tail + 1) % r->n;
	if (atomic_fetch_add(&r->full, 1) + 1 >= r->high_water)
		wake(r, &r->consumer_waits, &r->data);
}

void fp_ring_end(struct fp_ring *r)
{
	atomic_store(&r->ended, true);
	wake(r, &r->consumer_waits, &r->data);
}

static bool data_for_consumer(struct fp_ring *r, unsigned ahead)
{
	return atomic_load(&r->full) > ahead || atomic_load(&r->ended);
}

int fp_ring_wait_full(struct fp_ring *r, unsigned ahead)
{
	if (!data_for_consumer(r, ahead)) {
		unsigned enough = ahead + 1 > r->high_water ? ahead + 1 : r->high_water;

		pthread_mutex_lock(&r->lock);
		atomic_store(&r->consumer_waits, true);
		while (!data_for_consumer(r, enough - 1)) {
			pthread_cond_wait(&r->data, &r->lock);
			atomic_store(&r->consumer_waits, true);
		}
		atomic_store(&r->consumer_waits, false);
		pthread_mutex_unlock(&r->lock);
	}
	return atomic_load(&r->full) > ahead ? (int)((r->head + ahead) % r->n) : -1;
}

void fp_ring_pop(struct fp_ring *r)
{
	r->head = (r->head + 1) % r->n;
	if (atomic_fetch_sub(&r->full, 1) - 1 <= r->low_water)
		wake(r, &r->producer_waits, &r->room);
}

void fp_ring_stop(struct fp_ring *r)
{
	atomic_store(&r->stopped, true);
	wake(r, &r->producer_waits, &r->room);
}
