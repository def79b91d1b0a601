/*
 * bulk.h - CICFlowMeter's bulk transfers, per direction, in fixed space.
 *
 * A bulk is a run of at least FP_BULK_MIN_PKTS packets with transport
 * payload in one direction, each within 1 s of the previous, with no
 * payload packet from the other direction since the run began (packets
 * without payload neither extend nor break a run). It is counted the
 * moment it reaches FP_BULK_MIN_PKTS, and grows while the run goes on, so
 * a run still open when the flow ends is counted (pcapflower drops it).
 * This is BasicFlow.updateForwardBulk of CICFlowMeter 4, with its
 * timestamps in ns.
 */
#ifndef FP_FLOW_FEATURES_BULK_H
#define FP_FLOW_FEATURES_BULK_H

#include <stdint.h>

#define FP_BULK_MIN_PKTS 4
#define FP_BULK_MAX_GAP_NS 1000000000LL

struct fp_bulk {
	int64_t run_start, run_last;	/* the current run; run_last = last payload packet of this direction */
	uint64_t run_bytes;
	uint32_t run_pkts;		/* 0: no run */
	uint32_t count;			/* bulks */
	uint64_t pkts, bytes;		/* in bulks */
	int64_t dur_ns;			/* summed bulk durations */
};

/* A packet of this direction with `payload` bytes at `t`; `other` is the
 * other direction's bulk state (its last payload packet breaks our run). */
void fp_bulk_packet(struct fp_bulk *b, const struct fp_bulk *other, uint32_t payload, int64_t t);

#endif
