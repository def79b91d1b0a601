/*
 * cic.h - the corrected CICFlowMeter measurements of a flow: the state the
 * `cic` set keeps and the hooks that keep it, shared with `cic2017` (the
 * same values under CIC-IDS-2017's names and units).
 *
 * Invariant: fixed-size state under 512 bytes per flow (checked at build
 * time), whatever the packet count: Welford statistics whose counts come
 * from the engine, extremes, running sums, one bulk run per direction,
 * one active period. Forward is the engine's (initiator's) direction.
 */
#ifndef FP_FLOW_FEATURES_CIC_H
#define FP_FLOW_FEATURES_CIC_H

#include "flow/feature-set.h"
#include "flow/features/active-idle.h"
#include "flow/features/bulk.h"
#include "flow/features/cic-columns.h"
#include "flow/features/welford.h"

/* One direction's measurements. */
struct fp_cic_dir {
	struct fp_len_stats len;	/* IP lengths; count = the engine's packets */
	struct fp_span_stats iat;	/* count = packets - 1 */
	int64_t first_ns, last_ns;
	uint64_t payload_bytes, header_bytes;
	struct fp_bulk bulk;
	uint32_t psh, urg;
	int32_t init_win;		/* -1 until a TCP packet */
	uint32_t header_min;		/* smallest transport header */
	uint32_t data_pkts;		/* packets with payload */
};

struct fp_cic_state {
	struct fp_cic_dir dir[2];
	struct fp_span_stats flow_iat;
	int64_t prev_ns;		/* the flow's previous packet, in capture order */
	struct fp_active_idle ai;
	uint32_t flags[8];		/* packets with each TCP flag bit, FIN first */
	uint32_t subflows;
};

void fp_cic_init(void *state, const struct fp_flow *flow, const struct fp_packet *p, enum fp_flow_dir dir);
void fp_cic_packet(void *state, const struct fp_flow *flow, const struct fp_packet *p, enum fp_flow_dir dir);
void fp_cic_end(void *state, const struct fp_flow *flow, enum fp_flow_end why);
/* TCP flows end at FIN both ways (plus the engine's linger) or RST;
 * lengths are IP lengths. */
void fp_cic_flow_config(struct fp_flow_config *c);

/* Every value of the 82 columns, cic's units (seconds). */
void fp_cic_values(const struct fp_cic_state *s, const struct fp_flow *flow, struct fp_cic_row *r);

#endif
