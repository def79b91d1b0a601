/*
 * ring.h - the hand-off between a producer thread and a consumer thread:
 * a fixed ring of slots, filled in order and emptied in order.
 *
 * The ring holds no data, only which slots are full: the caller keeps its
 * own array of n slots and uses the indexes handed out here. A slot is the
 * producer's from reserve until push, then the consumer's from wait_full
 * until pop; nobody else touches it meanwhile, so the slot's contents need
 * no lock (the atomic count of full slots orders the hand-over).
 *
 * Either side can end it: the producer with fp_ring_end() (the consumer
 * drains what is full, then gets -1), the consumer with fp_ring_stop() (the
 * producer's next reserve gets -1). Every wait is on a condition that the
 * other side's next step, or an end or stop, makes true.
 *
 * Waking a thread costs a system call and, on the VMs this runs on, an
 * interrupt to the other CPU: tens of microseconds, as much as a burst of
 * packets takes to meter. So a side is woken only when it waits, a
 * producer waiting for room only once the consumer has emptied the ring
 * down to `low_water` full slots, and a consumer waiting for data only
 * once `high_water` slots are full: each then has several slots to work
 * on per wake-up instead of one. A step that wakes nobody takes no lock.
 */
#ifndef FP_LIB_RING_H
#define FP_LIB_RING_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

struct fp_ring {
	unsigned n;		/* slots */
	unsigned low_water;	/* a waiting producer is woken at this many full slots */
	unsigned high_water;	/* a waiting consumer is woken at this many */
	unsigned head;		/* the oldest full slot (the consumer's) */
	unsigned tail;		/* the next slot to fill (the producer's) */
	_Atomic unsigned full;	/* full slots: head, head + 1, ... */
	_Atomic bool ended;	/* the producer will push no more */
	_Atomic bool stopped;	/* the consumer takes no more */
	_Atomic bool producer_waits, consumer_waits;
	pthread_mutex_t lock;	/* only for sleeping and waking */
	pthread_cond_t room;	/* for the producer */
	pthread_cond_t data;	/* for the consumer */
};

/* n slots; a producer waiting for room is woken when at most `low_water`
 * (< n) are full, a consumer waiting for a slot when at least `high_water`
 * (>= 1) are (or at the end). */
void fp_ring_init(struct fp_ring *r, unsigned n, unsigned low_water, unsigned high_water);
void fp_ring_destroy(struct fp_ring *r);

/* Producer: the next slot to fill, once it is empty; -1 if stopped. */
int fp_ring_reserve(struct fp_ring *r);
/* Producer: the reserved slot is full. */
void fp_ring_push(struct fp_ring *r);
/* Producer: nothing more will come. */
void fp_ring_end(struct fp_ring *r);

/* Consumer: the full slot `ahead` places after the oldest (0: the oldest),
 * once it is full; -1 when the producer ended before filling it.
 * `ahead` < n. */
int fp_ring_wait_full(struct fp_ring *r, unsigned ahead);
/* Consumer: the oldest full slot is empty again. */
void fp_ring_pop(struct fp_ring *r);
/* Consumer: take no more; a producer waiting for room is woken. */
void fp_ring_stop(struct fp_ring *r);

#endif
