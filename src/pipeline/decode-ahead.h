/*
 * decode-ahead.h - a capture file read and decoded on a helper thread.
 *
 * Metering a packet is reading its record, decoding its headers, and
 * accounting it in the flow table; the first two are a fifth of the time
 * and need nothing from the table. A helper thread does them for the
 * packets ahead, in bursts of FP_DECODE_AHEAD_BURST, while the caller's
 * thread accounts the bursts before (fp_meter_feed_ahead() in feed.h).
 * Nothing changes in what is metered: the same packets, in order, decoded
 * by the same fp_decode(), counted the same way.
 *
 * The source is the helper's from start to fp_decode_ahead_free(): the
 * caller reads its progress (position, packets) from the bursts instead.
 * Only for sources that never block (a regular file): the helper is told
 * to stop between packets, and a read() waiting on a pipe would hold that
 * up for as long as the pipe stays silent.
 *
 * Memory: FP_DECODE_AHEAD_BURSTS bursts of decoded packets (~100 bytes a
 * packet), whatever the file's size.
 */
#ifndef FP_PIPELINE_DECODE_AHEAD_H
#define FP_PIPELINE_DECODE_AHEAD_H

#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"
#include "lib/error.h"
#include "source/source.h"

#define FP_DECODE_AHEAD_BURST 256
/* Packets read for one burst at most: a stretch of packets that do not
 * decode (ARP, a foreign link type) still comes in bursts, so the caller
 * (the daemon's loop) never waits on more than this many reads. */
#define FP_DECODE_AHEAD_READ_MAX 4096
#define FP_DECODE_AHEAD_BURSTS 32

struct fp_decoded_burst {
	struct fp_packet pkts[FP_DECODE_AHEAD_BURST];
	size_t n;			/* decoded packets in pkts[] */
	uint64_t skipped[FP_SKIP__COUNT];	/* packets read that did not decode, by reason */
	uint64_t read;			/* packets read for this burst: n + the skipped */
	uint64_t position;		/* the source's position after them (progress) */
	uint64_t packets;		/* the source's packet count after them */
	int status;			/* 1: more follow; 0: the source ended; -1: it broke (`error`) */
	struct fp_error error;
};

struct fp_decode_ahead;

/* Starts the helper on `src`; NULL (err set) if no thread can be had. */
struct fp_decode_ahead *fp_decode_ahead_start(struct fp_source *src, struct fp_error *err);

/* The packets of the current burst not taken yet (*n of them). When it
 * has none left, it is given back and the next one waited for: *fresh then
 * points to the new burst, whose skipped packets the caller counts (and *n
 * may be 0: a burst of packets that all failed to decode), else *fresh is
 * NULL. NULL when the source has ended or broken: see
 * fp_decode_ahead_status(). */
const struct fp_packet *fp_decode_ahead_packets(struct fp_decode_ahead *da, size_t *n,
						const struct fp_decoded_burst **fresh);
/* Takes the first `k` of those packets. */
void fp_decode_ahead_take(struct fp_decode_ahead *da, size_t k);

/* 1: more may come; 0: the source ended; -1: it broke (err says where;
 * the packets before were all handed out). */
int fp_decode_ahead_status(const struct fp_decode_ahead *da, struct fp_error *err);
/* The source's position and packet count after the bursts handed out. */
uint64_t fp_decode_ahead_position(const struct fp_decode_ahead *da);
uint64_t fp_decode_ahead_source_packets(const struct fp_decode_ahead *da);

/* Stops the helper (after the packet it is on) and frees it; the source
 * is the caller's again, positioned after the last packet the helper read. */
void fp_decode_ahead_free(struct fp_decode_ahead *da);

#endif
