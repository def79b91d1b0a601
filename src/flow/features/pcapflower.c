/*
 * pcapflower.c - the `pcapflower` set: the 82 columns computed exactly as
 * pcapflower 1.1.0 computes them (github luiz-linkezio/pcapflower, commit
 * a76bc9e), quirks included, so a model trained on its output scores ours
 * unchanged. docs/features.md lists the quirks; cic.c has the corrected
 * definitions.
 *
 * Exactness means its arithmetic, not only its formulas: times are double
 * epoch seconds as dpkt 1.9.8 makes them (pcap: sec + usec / 1e6; pcapng:
 * ticks / 10^resol, which gives the same double), every difference and
 * Welford step is done on those doubles in its order, and lengths are the
 * captured IP bytes its parser saw. Its flow boundaries (first FIN or RST
 * ends a flow, 120 s idle, no active timeout) are asked of the engine
 * (flow_config); its direction (the first packet's sender is forward, even
 * a SYN+ACK) is kept here, as `flip` against the engine's direction.
 *
 * Packets pcapflower never sees (later IP fragments: dpkt leaves them
 * unparsed) are left out of every value. Flows it never makes (IPv6, ICMP,
 * link types it cannot read) are computed by the same rules: extra rows.
 *
 * Invariant: the state is fixed-size (about 800 bytes); nothing depends on
 * the packet count but the counters.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "flow/feature-set.h"
#include "flow/flow-engine.h"
#include "flow/features/cic-columns.h"

#define PF_FLOW_TIMEOUT_NS (120LL * 1000000000LL)
#define PF_ACTIVE_TIMEOUT 5.0
#define PF_CLUMP_TIMEOUT 1.0
#define PF_BULK_BOUND 4
#define PF_NO_ACTIVE_TIMEOUT_NS (100LL * 365 * 86400 * 1000000000LL)

/* pcapflower's RunningStats: Welford with its own count, total, min, max. */
struct pf_stats {
	uint64_t n;
	double mean, m2, total, min, max;
};

struct pf_bulk {
	uint64_t state_count, size_helper, packet_helper, total_size, total_pkts;
	double total_dur, start, last_ts;
};

struct pf_state {
	bool seen;			/* a packet pcapflower parses was accounted */
	bool flip;			/* its forward is the engine's backward */
	double start, latest;
	uint64_t pkts[2], bytes[2];
	struct pf_stats len[2], all_len, iat[2], flow_iat, active, idle;
	uint64_t header_bytes[2], fwd_seg_size_min, fwd_act_data_pkts;
	double last_time[2], last_pkt_time;
	uint32_t psh[2], urg[2];
	uint32_t fin, syn, rst, psh_all, ack, urg_all, ece, cwr;
	int32_t init_win[2];
	double last_active_start, last_activity_time;
	struct pf_bulk bulk[2];
	uint64_t subflow_count;
	double subflow_last_ts;
};

static void stats_update(struct pf_stats *s, double x)
{
	double delta;

	s->n++;
	s->total += x;
	if (x < s->min)
		s->min = x;
	if (x > s->max)
		s->max = x;
	delta = x - s->mean;
	s->mean += delta / (double)s->n;
	s->m2 += delta * (x - s->mean);
}

static double stats_var(const struct pf_stats *s) { return s->n > 1 ? s->m2 / (double)s->n : 0.0; }
static double stats_std(const struct pf_stats *s) { return pow(stats_var(s), 0.5); }
static double stats_min(const struct pf_stats *s) { return s->n > 0 ? s->min : 0.0; }
static double stats_max(const struct pf_stats *s) { return s->n > 0 ? s->max : 0.0; }
static double stats_mean(const struct pf_stats *s) { return s->n > 0 ? s->mean : 0.0; }

static void stats_init(struct pf_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->min = INFINITY;
	s->max = -INFINITY;
}

/* dpkt's timestamp: µs files give sec + usec / 1e6 (pcap) or us / 1e6
 * (pcapng), the same double; finer ones ticks / 1e9. */
static double pf_time(int64_t ns)
{
	if (ns % 1000 == 0)
		return (double)(ns / 1000000000) + (double)(ns % 1000000000 / 1000) / 1e6;
	return (double)ns / 1e9;
}

/* What pcapflower's parser gets from a packet. */
struct pf_packet {
	double ts;
	int64_t pkt_len, header_len, payload_len;
	int flags, window;
};

static bool pf_parse(const struct fp_packet *p, struct pf_packet *out)
{
	int64_t ip_bytes = p->l3_cap_len < p->ip_len ? p->l3_cap_len : p->ip_len;

	if (!p->has_transport)
		return false;	/* later fragment: dpkt leaves it unparsed */
	out->ts = pf_time(p->ts_ns);
	out->pkt_len = ip_bytes;
	out->flags = 0;
	out->window = -1;
	out->header_len = 0;
	if (p->proto == FP_PROTO_TCP) {
		out->flags = p->tcp_flags;
		out->window = p->tcp_window;
		/* header_len stays 0: pcapflower's (off & 0xF0) >> 2 on dpkt's 4-bit offset */
		out->payload_len = ip_bytes - p->ip_hdr_len - p->l4_hdr_len;
	} else {
		if (p->proto == FP_PROTO_UDP)
			out->header_len = 8;
		out->payload_len = ip_bytes - p->ip_hdr_len - p->l4_hdr_len;
	}
	if (out->payload_len < 0)
		out->payload_len = 0;
	return true;
}

static void pf_start(struct pf_state *s, double ts, bool flip)
{
	int d;

	s->seen = true;
	s->flip = flip;
	s->start = s->latest = ts;
	for (d = 0; d < 2; d++) {
		stats_init(&s->len[d]);
		stats_init(&s->iat[d]);
		s->init_win[d] = -1;
	}
	stats_init(&s->all_len);
	stats_init(&s->flow_iat);
	stats_init(&s->active);
	stats_init(&s->idle);
	s->fwd_seg_size_min = 0xFFFF;
	s->last_active_start = s->last_activity_time = ts;
	s->subflow_count = 1;
	s->subflow_last_ts = -1.0;
}

static void pf_active_idle(struct pf_state *s, double ts)
{
	double gap;

	if (s->last_activity_time == 0.0) {
		s->last_activity_time = s->last_active_start = ts;
		return;
	}
	gap = ts - s->last_activity_time;
	if (gap > PF_ACTIVE_TIMEOUT) {
		double active = s->last_activity_time - s->last_active_start;

		if (active > 0)
			stats_update(&s->active, active);
		stats_update(&s->idle, gap);
		s->last_active_start = ts;
	}
	s->last_activity_time = ts;
}

static void pf_subflow(struct pf_state *s, double ts)
{
	if (s->subflow_last_ts < 0.0) {
		s->subflow_last_ts = ts;
		return;
	}
	if (ts - s->subflow_last_ts > PF_CLUMP_TIMEOUT)
		s->subflow_count++;
	s->subflow_last_ts = ts;
}

static void pf_bulk(struct pf_bulk *b, int64_t payload_len, double ts)
{
	if (payload_len == 0) {
		if (b->packet_helper > PF_BULK_BOUND) {
			b->state_count++;
			b->total_size += b->size_helper;
			b->total_pkts += b->packet_helper;
			b->total_dur += b->last_ts - b->start;
		}
		b->size_helper = b->packet_helper = 0;
		b->start = 0.0;
		return;
	}
	if (b->start == 0.0)
		b->start = ts;
	b->packet_helper++;
	b->size_helper += (uint64_t)payload_len;
	b->last_ts = ts;
}

static void pf_flags(struct pf_state *s, int flags, int d)
{
	if (flags & FP_TCP_PSH)
		s->psh[d]++;
	if (flags & FP_TCP_URG)
		s->urg[d]++;
	s->fin += (flags & FP_TCP_FIN) != 0;
	s->syn += (flags & FP_TCP_SYN) != 0;
	s->rst += (flags & FP_TCP_RST) != 0;
	s->psh_all += (flags & FP_TCP_PSH) != 0;
	s->ack += (flags & FP_TCP_ACK) != 0;
	s->urg_all += (flags & FP_TCP_URG) != 0;
	s->ece += (flags & FP_TCP_ECE) != 0;
	s->cwr += (flags & FP_TCP_CWR) != 0;
}

/* Flow.add_packet, step for step. */
static void pf_add(struct pf_state *s, const struct pf_packet *k, int d)
{
	s->latest = k->ts;
	pf_subflow(s, k->ts);
	pf_active_idle(s, k->ts);
	if (s->last_pkt_time > 0.0)
		stats_update(&s->flow_iat, k->ts - s->last_pkt_time);
	s->last_pkt_time = k->ts;
	s->pkts[d]++;
	s->bytes[d] += (uint64_t)k->pkt_len;
	stats_update(&s->len[d], (double)k->pkt_len);
	stats_update(&s->all_len, (double)k->pkt_len);
	s->header_bytes[d] += (uint64_t)k->header_len;
	if (d == 0) {
		if ((uint64_t)k->header_len < s->fwd_seg_size_min)
			s->fwd_seg_size_min = (uint64_t)k->header_len;
		if (k->payload_len > 0)
			s->fwd_act_data_pkts++;
	}
	if (s->last_time[d] > 0.0)
		stats_update(&s->iat[d], k->ts - s->last_time[d]);
	s->last_time[d] = k->ts;
	if (s->init_win[d] == -1 && k->window >= 0)
		s->init_win[d] = k->window;
	pf_flags(s, k->flags, d);
	pf_bulk(&s->bulk[d], k->payload_len, k->ts);
}

static void pcapflower_packet(void *state, const struct fp_flow *flow, const struct fp_packet *p,
			      enum fp_flow_dir dir)
{
	struct pf_state *s = state;
	struct pf_packet k;

	(void)flow;
	if (!pf_parse(p, &k))
		return;
	if (!s->seen)
		pf_start(s, k.ts, dir == FP_DIR_BWD);
	pf_add(s, &k, (int)dir ^ (int)s->flip);
}

static void pcapflower_flow_config(struct fp_flow_config *c)
{
	c->idle_timeout_ns = PF_FLOW_TIMEOUT_NS;
	c->active_timeout_ns = PF_NO_ACTIVE_TIMEOUT_NS;
	c->tcp_close = true;
	c->tcp_close_first = true;
	c->key_vlan = false;
	if (c->tcp_close_linger_ns > c->idle_timeout_ns)
		c->tcp_close_linger_ns = c->idle_timeout_ns;
}

static double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

static void pf_values_stats(const struct pf_state *s, double *v)
{
	v[FP_CIC_FWD_PKT_LEN_MAX] = stats_max(&s->len[0]);
	v[FP_CIC_FWD_PKT_LEN_MIN] = stats_min(&s->len[0]);
	v[FP_CIC_FWD_PKT_LEN_MEAN] = stats_mean(&s->len[0]);
	v[FP_CIC_FWD_PKT_LEN_STD] = stats_std(&s->len[0]);
	v[FP_CIC_BWD_PKT_LEN_MAX] = stats_max(&s->len[1]);
	v[FP_CIC_BWD_PKT_LEN_MIN] = stats_min(&s->len[1]);
	v[FP_CIC_BWD_PKT_LEN_MEAN] = stats_mean(&s->len[1]);
	v[FP_CIC_BWD_PKT_LEN_STD] = stats_std(&s->len[1]);
	v[FP_CIC_PKT_LEN_MAX] = stats_max(&s->all_len);
	v[FP_CIC_PKT_LEN_MIN] = stats_min(&s->all_len);
	v[FP_CIC_PKT_LEN_MEAN] = stats_mean(&s->all_len);
	v[FP_CIC_PKT_LEN_STD] = stats_std(&s->all_len);
	v[FP_CIC_PKT_LEN_VAR] = stats_var(&s->all_len);
	v[FP_CIC_FLOW_IAT_MEAN] = stats_mean(&s->flow_iat);
	v[FP_CIC_FLOW_IAT_MAX] = stats_max(&s->flow_iat);
	v[FP_CIC_FLOW_IAT_MIN] = stats_min(&s->flow_iat);
	v[FP_CIC_FLOW_IAT_STD] = stats_std(&s->flow_iat);
	v[FP_CIC_FWD_IAT_TOT] = s->iat[0].total;
	v[FP_CIC_FWD_IAT_MAX] = stats_max(&s->iat[0]);
	v[FP_CIC_FWD_IAT_MIN] = stats_min(&s->iat[0]);
	v[FP_CIC_FWD_IAT_MEAN] = stats_mean(&s->iat[0]);
	v[FP_CIC_FWD_IAT_STD] = stats_std(&s->iat[0]);
	v[FP_CIC_BWD_IAT_TOT] = s->iat[1].total;
	v[FP_CIC_BWD_IAT_MAX] = stats_max(&s->iat[1]);
	v[FP_CIC_BWD_IAT_MIN] = stats_min(&s->iat[1]);
	v[FP_CIC_BWD_IAT_MEAN] = stats_mean(&s->iat[1]);
	v[FP_CIC_BWD_IAT_STD] = stats_std(&s->iat[1]);
	v[FP_CIC_ACTIVE_MAX] = stats_max(&s->active);
	v[FP_CIC_ACTIVE_MIN] = stats_min(&s->active);
	v[FP_CIC_ACTIVE_MEAN] = stats_mean(&s->active);
	v[FP_CIC_ACTIVE_STD] = stats_std(&s->active);
	v[FP_CIC_IDLE_MAX] = stats_max(&s->idle);
	v[FP_CIC_IDLE_MIN] = stats_min(&s->idle);
	v[FP_CIC_IDLE_MEAN] = stats_mean(&s->idle);
	v[FP_CIC_IDLE_STD] = stats_std(&s->idle);
}

static void pf_values_counts(const struct pf_state *s, double *v)
{
	double dur = s->latest - s->start, pkts = (double)(s->pkts[0] + s->pkts[1]);
	double bytes = (double)(s->bytes[0] + s->bytes[1]);
	uint64_t sf = s->subflow_count > 0 ? s->subflow_count : 1;

	v[FP_CIC_FLOW_DURATION] = dur;
	v[FP_CIC_FLOW_BYTS_S] = dur > 0 ? bytes / dur : 0.0;
	v[FP_CIC_FLOW_PKTS_S] = dur > 0 ? pkts / dur : 0.0;
	v[FP_CIC_FWD_PKTS_S] = dur > 0 ? (double)s->pkts[0] / dur : 0.0;
	v[FP_CIC_BWD_PKTS_S] = dur > 0 ? (double)s->pkts[1] / dur : 0.0;
	v[FP_CIC_TOT_FWD_PKTS] = (double)s->pkts[0];
	v[FP_CIC_TOT_BWD_PKTS] = (double)s->pkts[1];
	v[FP_CIC_TOTLEN_FWD_PKTS] = (double)s->bytes[0];
	v[FP_CIC_TOTLEN_BWD_PKTS] = (double)s->bytes[1];
	v[FP_CIC_FWD_HEADER_LEN] = (double)s->header_bytes[0];
	v[FP_CIC_BWD_HEADER_LEN] = (double)s->header_bytes[1];
	v[FP_CIC_FWD_SEG_SIZE_MIN] = s->fwd_seg_size_min < 0xFFFF ? (double)s->fwd_seg_size_min : 0.0;
	v[FP_CIC_FWD_ACT_DATA_PKTS] = (double)s->fwd_act_data_pkts;
	v[FP_CIC_DOWN_UP_RATIO] = ratio((double)s->pkts[1], (double)s->pkts[0]);
	v[FP_CIC_PKT_SIZE_AVG] = ratio(bytes, pkts);
	v[FP_CIC_FWD_SEG_SIZE_AVG] = ratio((double)s->bytes[0], (double)s->pkts[0]);
	v[FP_CIC_BWD_SEG_SIZE_AVG] = ratio((double)s->bytes[1], (double)s->pkts[1]);
	v[FP_CIC_SUBFLOW_FWD_PKTS] = (double)(s->pkts[0] / sf);
	v[FP_CIC_SUBFLOW_FWD_BYTS] = (double)(s->bytes[0] / sf);
	v[FP_CIC_SUBFLOW_BWD_PKTS] = (double)(s->pkts[1] / sf);
	v[FP_CIC_SUBFLOW_BWD_BYTS] = (double)(s->bytes[1] / sf);
	v[FP_CIC_INIT_FWD_WIN_BYTS] = s->init_win[0];
	v[FP_CIC_INIT_BWD_WIN_BYTS] = s->init_win[1];
}

static void pf_values_flags_bulk(const struct pf_state *s, double *v)
{
	const struct pf_bulk *f = &s->bulk[0], *b = &s->bulk[1];

	v[FP_CIC_FWD_PSH_FLAGS] = s->psh[0];
	v[FP_CIC_BWD_PSH_FLAGS] = s->psh[1];
	v[FP_CIC_FWD_URG_FLAGS] = s->urg[0];
	v[FP_CIC_BWD_URG_FLAGS] = s->urg[1];
	v[FP_CIC_FIN_FLAG_CNT] = s->fin;
	v[FP_CIC_SYN_FLAG_CNT] = s->syn;
	v[FP_CIC_RST_FLAG_CNT] = s->rst;
	v[FP_CIC_PSH_FLAG_CNT] = s->psh_all;
	v[FP_CIC_ACK_FLAG_CNT] = s->ack;
	v[FP_CIC_URG_FLAG_CNT] = s->urg_all;
	v[FP_CIC_ECE_FLAG_CNT] = s->ece;
	v[FP_CIC_CWR_FLAG_COUNT] = s->cwr;
	v[FP_CIC_FWD_BYTS_B_AVG] = ratio((double)f->total_size, (double)f->state_count);
	v[FP_CIC_FWD_PKTS_B_AVG] = ratio((double)f->total_pkts, (double)f->state_count);
	v[FP_CIC_FWD_BLK_RATE_AVG] = ratio((double)f->total_size, f->total_dur);
	v[FP_CIC_BWD_BYTS_B_AVG] = ratio((double)b->total_size, (double)b->state_count);
	v[FP_CIC_BWD_PKTS_B_AVG] = ratio((double)b->total_pkts, (double)b->state_count);
	v[FP_CIC_BWD_BLK_RATE_AVG] = ratio((double)b->total_size, b->total_dur);
}

static int pcapflower_append(const void *plan, const struct fp_feature_row *row, const struct fp_flow *flow,
			     const void *state, enum fp_flow_end why)
{
	const struct pf_state *s = state;
	struct fp_cic_row r;

	(void)plan;
	(void)why;
	memset(&r, 0, sizeof(r));
	r.ip_version = flow->key.ip_version;
	r.src_addr = s->flip ? fp_flow_dst_addr(flow) : fp_flow_src_addr(flow);
	r.dst_addr = s->flip ? fp_flow_src_addr(flow) : fp_flow_dst_addr(flow);
	r.v[FP_CIC_SRC_PORT] = s->flip ? fp_flow_dst_port(flow) : fp_flow_src_port(flow);
	r.v[FP_CIC_DST_PORT] = s->flip ? fp_flow_src_port(flow) : fp_flow_dst_port(flow);
	r.v[FP_CIC_PROTOCOL] = flow->key.proto;
	r.v[FP_CIC_TIMESTAMP] = s->seen ? s->start : pf_time(flow->first_ns);
	r.first_ns = flow->first_ns;
	if (s->seen) {
		pf_values_counts(s, r.v);
		pf_values_stats(s, r.v);
		pf_values_flags_bulk(s, r.v);
	}
	return fp_cic_put(row, &r, NULL);
}

static const struct fp_feature_field pcapflower_fields[] = {
#define PF_FIELD(id, name, ct, pt, unit, desc, pf) \
	{ name, FP_TYPE_##pt, FP_UNIT_MICROS, false, unit, desc pf },
	FP_CIC_COLUMNS(PF_FIELD)
#undef PF_FIELD
};

const struct fp_feature_set fp_features_pcapflower = {
	.name = "pcapflower",
	.description = "pcapflower 1.1.0's 82 columns with its values, quirks included",
	.state_size = sizeof(struct pf_state),
	.own_record = true,
	.flow_config = pcapflower_flow_config,
	.fields = pcapflower_fields,
	.nfields = sizeof(pcapflower_fields) / sizeof(pcapflower_fields[0]),
	.init = pcapflower_packet,
	.packet = pcapflower_packet,
	.append = pcapflower_append,
};
