/*
 * active-idle.h - a flow's active and idle periods, in fixed space.
 *
 * A gap of more than FP_ACTIVE_GAP_NS (5 s, CICFlowMeter's activity
 * timeout) between consecutive packets of the flow is an idle period; the
 * packets between such gaps form active periods, first to last packet.
 * Active periods of length 0 (a lone packet) are not counted, as in
 * CICFlowMeter; the last active period is counted when the flow ends
 * (fp_active_idle_end), which pcapflower never does.
 */
#ifndef FP_FLOW_FEATURES_ACTIVE_IDLE_H
#define FP_FLOW_FEATURES_ACTIVE_IDLE_H

#include <stdint.h>

#include "flow/features/welford.h"

#define FP_ACTIVE_GAP_NS 5000000000LL

struct fp_active_idle {
	int64_t active_start;		/* first packet of the current active period */
	uint32_t nactive, nidle;
	struct fp_span_stats active, idle;
};

/* The flow's first packet. */
void fp_active_idle_start(struct fp_active_idle *a, int64_t t);
/* A later packet at `t`, the previous one at `prev`. */
void fp_active_idle_packet(struct fp_active_idle *a, int64_t prev, int64_t t);
/* The flow ends; `last` is its last packet. */
void fp_active_idle_end(struct fp_active_idle *a, int64_t last);

#endif
