/*
 * cic.c - the `cic` set: pcapflower's 82 columns (names and order), with
 * corrected definitions (docs/features.md says which defect each fixes):
 * Welford statistics, sample standard deviations, real transport header
 * lengths, IP lengths from the header, CICFlowMeter's bulk (bulk.c), the
 * last active period counted (active-idle.c), real divisions, IPv6 and
 * every link type, TCP flows ending at FIN both ways or RST. Times are in
 * seconds; the start time is a timestamp column (µs).
 *
 * The per-packet hook only accumulates; every ratio and every combined
 * statistic is made once, when the flow's row is (fp_cic_values).
 */
#include "config.h"

#include <string.h>

#include "flow/flow-engine.h"
#include "flow/features/cic.h"

_Static_assert(sizeof(struct fp_cic_state) <= 512, "cic keeps under 512 bytes per flow");

void fp_cic_flow_config(struct fp_flow_config *c)
{
	c->tcp_close = true;
	c->tcp_close_first = false;
	c->byte_mode = FP_BYTES_IP;	/* totlen_* are the engine's byte counts */
}

void fp_cic_init(void *state, const struct fp_flow *flow, const struct fp_packet *p, enum fp_flow_dir dir)
{
	struct fp_cic_state *s = state;

	s->dir[0].init_win = s->dir[1].init_win = -1;
	s->subflows = 1;
	fp_active_idle_start(&s->ai, p->ts_ns);
	fp_cic_packet(state, flow, p, dir);
}

/* Time between this packet and the flow's previous one (capture order:
 * an out-of-order packet gives a negative gap): IAT, subflows, active and
 * idle periods. */
static void flow_gap(struct fp_cic_state *s, const struct fp_flow *flow, int64_t t)
{
	uint64_t total = flow->pkts[0] + flow->pkts[1];
	int64_t prev = s->prev_ns;

	s->prev_ns = t;
	if (total < 2)
		return;
	fp_span_stats_add(&s->flow_iat, t - prev, total - 1);
	if (t - prev > 1000000000LL)
		s->subflows++;
	fp_active_idle_packet(&s->ai, prev, t);
}

static void tcp_flags(struct fp_cic_state *s, struct fp_cic_dir *d, const struct fp_packet *p)
{
	for (int bit = 0; bit < 8; bit++)
		s->flags[bit] += (p->tcp_flags >> bit) & 1;
	d->psh += (p->tcp_flags & FP_TCP_PSH) != 0;
	d->urg += (p->tcp_flags & FP_TCP_URG) != 0;
	if (d->init_win < 0)
		d->init_win = p->tcp_window;
}

void fp_cic_packet(void *state, const struct fp_flow *flow, const struct fp_packet *p, enum fp_flow_dir dir)
{
	struct fp_cic_state *s = state;
	struct fp_cic_dir *d = &s->dir[dir];
	uint64_t n = flow->pkts[dir];
	uint32_t header = p->has_transport ? p->l4_hdr_len : 0;
	int64_t t = p->ts_ns;

	flow_gap(s, flow, t);
	if (n > 1)
		fp_span_stats_add(&d->iat, t - d->last_ns, n - 1);
	else
		d->first_ns = t;
	d->last_ns = t;
	fp_len_stats_add(&d->len, p->ip_len, n);
	d->payload_bytes += p->payload_len;
	d->header_bytes += header;
	if (n == 1 || header < d->header_min)
		d->header_min = header;
	d->data_pkts += p->payload_len > 0;
	if (p->proto == FP_PROTO_TCP && p->has_transport)
		tcp_flags(s, d, p);
	fp_bulk_packet(&d->bulk, &s->dir[!dir].bulk, p->payload_len, t);
}

void fp_cic_end(void *state, const struct fp_flow *flow, enum fp_flow_end why)
{
	struct fp_cic_state *s = state;

	(void)why;
	(void)flow;
	fp_active_idle_end(&s->ai, s->prev_ns);	/* the last packet in capture order */
}

static int cic_append(const void *plan, const struct fp_feature_row *row, const struct fp_flow *flow,
		      const void *state, enum fp_flow_end why)
{
	struct fp_cic_row r;

	(void)plan;
	(void)why;
	fp_cic_values(state, flow, &r);
	return fp_cic_put(row, &r, NULL);
}

static const struct fp_feature_field cic_fields[] = {
#define CIC_FIELD(id, name, ct, pt, unit, desc, pf) \
	{ name, FP_TYPE_##ct, FP_UNIT_MICROS, fp_cic_nullable_id(FP_CIC_##id), unit, desc },
	FP_CIC_COLUMNS(CIC_FIELD)
#undef CIC_FIELD
};

const struct fp_feature_set fp_features_cic = {
	.name = "cic",
	.description = "pcapflower's 82 CICFlowMeter columns with corrected definitions",
	.state_size = sizeof(struct fp_cic_state),
	.own_record = true,
	.flow_config = fp_cic_flow_config,
	.fields = cic_fields,
	.nfields = sizeof(cic_fields) / sizeof(cic_fields[0]),
	.init = fp_cic_init,
	.packet = fp_cic_packet,
	.end = fp_cic_end,
	.append = cic_append,
};
