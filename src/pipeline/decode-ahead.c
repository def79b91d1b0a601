/*
 * decode-ahead.c - the decoding helper and its bursts (see
 * decode-ahead.h). The bursts are the slots of a ring (lib/ring.h): the
 * helper fills one, pushes it, and reserves the next; the last burst it
 * makes carries the source's end or error, and then it ends the ring.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/ring.h"
#include "lib/thread.h"
#include "pipeline/decode-ahead.h"

struct fp_decode_ahead {
	struct fp_source *src;
	struct fp_ring ring;
	struct fp_decoded_burst bursts[FP_DECODE_AHEAD_BURSTS];
	pthread_t thread;
	/* the caller's side */
	const struct fp_decoded_burst *cur;	/* the burst being taken (the ring's oldest), or NULL */
	size_t used;				/* its packets taken */
	int status;				/* the last burst's status, once handed out */
	struct fp_error error;
	uint64_t position, packets;		/* after the bursts handed out */
};

/* Reads and decodes into `b` until it is full, FP_DECODE_AHEAD_READ_MAX
 * packets were read, or the source ends or breaks. */
static void fill_burst(struct fp_source *src, struct fp_decoded_burst *b)
{
	b->n = 0;
	b->read = 0;
	b->status = 1;
	memset(b->skipped, 0, sizeof(b->skipped));
	while (b->n < FP_DECODE_AHEAD_BURST && b->read < FP_DECODE_AHEAD_READ_MAX) {
		struct fp_raw_packet raw;
		enum fp_skip_reason r;
		int rc = fp_source_next(src, &raw, &b->error);

		if (rc <= 0) {
			b->status = rc;	/* a file source never says "nothing now": 0 is its end */
			break;
		}
		b->read++;
		r = fp_decode(raw.linktype, raw.data, raw.caplen, raw.wirelen, raw.ts_ns, &b->pkts[b->n]);
		if (r == FP_DECODE_OK)
			b->n++;
		else
			b->skipped[r]++;
	}
	b->position = fp_source_position(src);
	b->packets = src->packets;
}

static void *decode_ahead_main(void *arg)
{
	struct fp_decode_ahead *da = arg;
	int slot;

	while ((slot = fp_ring_reserve(&da->ring)) >= 0) {
		struct fp_decoded_burst *b = &da->bursts[slot];

		fill_burst(da->src, b);
		fp_ring_push(&da->ring);
		if (b->status != 1)
			break;
	}
	fp_ring_end(&da->ring);
	return NULL;
}

struct fp_decode_ahead *fp_decode_ahead_start(struct fp_source *src, struct fp_error *err)
{
	struct fp_decode_ahead *da = malloc(sizeof(*da));

	if (da == NULL) {
		fp_error_set(err, "%s: out of memory", src->name);
		return NULL;
	}
	da->src = src;
	da->cur = NULL;
	da->used = 0;
	da->status = 1;
	da->position = fp_source_position(src);
	da->packets = src->packets;
	fp_ring_init(&da->ring, FP_DECODE_AHEAD_BURSTS, FP_DECODE_AHEAD_BURSTS / 4, 2);
	if (fp_thread_start(&da->thread, decode_ahead_main, da) != 0) {
		fp_ring_destroy(&da->ring);
		free(da);
		fp_error_set(err, "%s: cannot start the decoding thread", src->name);
		return NULL;
	}
	return da;
}

/* Gives the current burst back and waits for the next; false when there
 * is none (the last one handed out said why). */
static bool next_burst(struct fp_decode_ahead *da)
{
	int slot;

	if (da->cur != NULL) {
		fp_ring_pop(&da->ring);
		da->cur = NULL;
	}
	if (da->status != 1 || (slot = fp_ring_wait_full(&da->ring, 0)) < 0)
		return false;
	da->cur = &da->bursts[slot];
	da->used = 0;
	da->status = da->cur->status;
	if (da->status < 0)
		da->error = da->cur->error;
	da->position = da->cur->position;
	da->packets = da->cur->packets;
	return true;
}

const struct fp_packet *fp_decode_ahead_packets(struct fp_decode_ahead *da, size_t *n,
						const struct fp_decoded_burst **fresh)
{
	*fresh = NULL;
	if (da->cur == NULL || da->used == da->cur->n) {
		if (!next_burst(da))
			return NULL;
		*fresh = da->cur;
	}
	*n = da->cur->n - da->used;
	return &da->cur->pkts[da->used];
}

void fp_decode_ahead_take(struct fp_decode_ahead *da, size_t k)
{
	da->used += k;
}

int fp_decode_ahead_status(const struct fp_decode_ahead *da, struct fp_error *err)
{
	if (da->status < 0 && err != NULL)
		*err = da->error;
	return da->cur == NULL ? da->status : 1;	/* the last burst's packets are still to be taken */
}

uint64_t fp_decode_ahead_position(const struct fp_decode_ahead *da)
{
	return da->position;
}

uint64_t fp_decode_ahead_source_packets(const struct fp_decode_ahead *da)
{
	return da->packets;
}

void fp_decode_ahead_free(struct fp_decode_ahead *da)
{
	if (da == NULL)
		return;
	fp_ring_stop(&da->ring);
	pthread_join(da->thread, NULL);
	fp_ring_destroy(&da->ring);
	free(da);
}
