/*
 * extended.c - the `extended` set: the canonical columns plus what
 * operators ask for (end time and reason, IP version, VLAN, TCP flags,
 * per-direction length statistics, inter-arrival statistics, first TTL and
 * initial TCP window per direction).
 *
 * Stacked after the canonical set (not own_record) and leaves the flow
 * settings alone: end_reason says what the user's settings did (fin and
 * rst appear only with --tcp-close). State is fixed-size (~140 bytes);
 * counts come from the engine. Lengths are IP lengths from the header.
 */
#include "config.h"

#include <string.h>

#include "flow/feature-set.h"
#include "flow/features/welford.h"

struct ext_dir {
	struct fp_len_stats len;
	int64_t last_ns;
	int32_t init_win;		/* -1 until a TCP packet */
	uint8_t ttl;			/* first packet's TTL / hop limit */
};

struct ext_state {
	struct ext_dir dir[2];
	struct fp_span_stats iat;
	uint32_t syn, fin, rst;
	uint16_t vlan_id;
};

enum {
	EX_FLOW_END, EX_END_REASON, EX_IP_VERSION, EX_VLAN_ID, EX_FWD_FLAGS, EX_BWD_FLAGS, EX_SYN, EX_FIN, EX_RST,
	EX_FWD_LEN_MIN, EX_FWD_LEN_MAX, EX_FWD_LEN_MEAN, EX_FWD_LEN_STD,
	EX_BWD_LEN_MIN, EX_BWD_LEN_MAX, EX_BWD_LEN_MEAN, EX_BWD_LEN_STD,
	EX_IAT_MIN, EX_IAT_MAX, EX_IAT_MEAN, EX_IAT_STD, EX_FWD_TTL, EX_BWD_TTL, EX_FWD_WIN, EX_BWD_WIN,
};

static const struct fp_feature_field extended_fields[] = {
	{ "flow_end", FP_TYPE_TIMESTAMP, FP_UNIT_MICROS, false, "us", "Capture time of the flow's last packet." },
	{ "end_reason", FP_TYPE_STRING, 0, false, NULL,
	  "Why the record ended: idle, active (timeouts), fin (FIN both ways), rst, max_flows (table full), "
	  "end_of_input." },
	{ "ip_version", FP_TYPE_INT32, 0, false, NULL, "4 or 6." },
	{ "vlan_id", FP_TYPE_INT32, 0, false, NULL, "Outermost 802.1Q/802.1ad VLAN ID of the first packet; 0 untagged." },
	{ "fwd_tcp_flags", FP_TYPE_INT32, 0, false, NULL, "OR of the TCP flags of forward packets (FIN = 1 ... CWR = 128); 0 for other protocols." },
	{ "bwd_tcp_flags", FP_TYPE_INT32, 0, false, NULL, "OR of the TCP flags of backward packets." },
	{ "syn_count", FP_TYPE_INT64, 0, false, "packets", "TCP packets with SYN, both directions." },
	{ "fin_count", FP_TYPE_INT64, 0, false, "packets", "TCP packets with FIN, both directions." },
	{ "rst_count", FP_TYPE_INT64, 0, false, "packets", "TCP packets with RST, both directions." },
	{ "fwd_len_min", FP_TYPE_INT64, 0, true, "bytes", "Smallest forward IP length; null without forward packets." },
	{ "fwd_len_max", FP_TYPE_INT64, 0, true, "bytes", "Largest forward IP length; null without forward packets." },
	{ "fwd_len_mean", FP_TYPE_DOUBLE, 0, true, "bytes", "Mean forward IP length; null without forward packets." },
	{ "fwd_len_std", FP_TYPE_DOUBLE, 0, true, "bytes", "Sample standard deviation of forward IP lengths; null below 2 packets." },
	{ "bwd_len_min", FP_TYPE_INT64, 0, true, "bytes", "Smallest backward IP length; null without backward packets." },
	{ "bwd_len_max", FP_TYPE_INT64, 0, true, "bytes", "Largest backward IP length; null without backward packets." },
	{ "bwd_len_mean", FP_TYPE_DOUBLE, 0, true, "bytes", "Mean backward IP length; null without backward packets." },
	{ "bwd_len_std", FP_TYPE_DOUBLE, 0, true, "bytes", "Sample standard deviation of backward IP lengths; null below 2 packets." },
	{ "iat_min", FP_TYPE_DOUBLE, 0, true, "s", "Smallest time between consecutive packets of the flow; null below 2 packets." },
	{ "iat_max", FP_TYPE_DOUBLE, 0, true, "s", "Largest time between consecutive packets; null below 2 packets." },
	{ "iat_mean", FP_TYPE_DOUBLE, 0, true, "s", "Mean time between consecutive packets; null below 2 packets." },
	{ "iat_std", FP_TYPE_DOUBLE, 0, true, "s", "Sample standard deviation of inter-arrival times; null below 3 packets." },
	{ "fwd_first_ttl", FP_TYPE_INT32, 0, true, NULL, "TTL (IPv4) or hop limit (IPv6) of the first forward packet; null without one." },
	{ "bwd_first_ttl", FP_TYPE_INT32, 0, true, NULL, "TTL or hop limit of the first backward packet; null without one." },
	{ "fwd_init_win", FP_TYPE_INT32, 0, true, "bytes", "TCP window field (unscaled) of the first forward TCP packet; null without one." },
	{ "bwd_init_win", FP_TYPE_INT32, 0, true, "bytes", "TCP window field of the first backward TCP packet; null without one." },
};

static void extended_packet(void *state, const struct fp_flow *flow, const struct fp_packet *p, enum fp_flow_dir dir)
{
	struct ext_state *s = state;
	struct ext_dir *d = &s->dir[dir];
	uint64_t n = flow->pkts[dir], total = flow->pkts[0] + flow->pkts[1];
	int64_t prev = INT64_MIN;

	for (int i = 0; i < 2; i++)
		if (flow->pkts[i] - (i == (int)dir) > 0 && s->dir[i].last_ns > prev)
			prev = s->dir[i].last_ns;
	if (total > 1)
		fp_span_stats_add(&s->iat, p->ts_ns - prev, total - 1);
	if (n == 1)
		d->ttl = p->ttl;
	d->last_ns = p->ts_ns;
	fp_len_stats_add(&d->len, p->ip_len, n);
	if (p->proto == 6 && p->has_transport) {
		s->syn += (p->tcp_flags & 0x02) != 0;
		s->fin += (p->tcp_flags & 0x01) != 0;
		s->rst += (p->tcp_flags & 0x04) != 0;
		if (d->init_win < 0)
			d->init_win = p->tcp_window;
	}
}

static void extended_init(void *state, const struct fp_flow *flow, const struct fp_packet *p, enum fp_flow_dir dir)
{
	struct ext_state *s = state;

	s->dir[0].init_win = s->dir[1].init_win = -1;
	s->vlan_id = p->vlan_id;
	extended_packet(state, flow, p, dir);
}

static const char *end_reason(const struct fp_flow *flow, enum fp_flow_end why)
{
	switch (why) {
	case FP_END_IDLE: return "idle";
	case FP_END_ACTIVE: return "active";
	case FP_END_TCP_CLOSE: return (flow->state & FP_FLOW_RST) ? "rst" : "fin";
	case FP_END_EVICTED: return "max_flows";
	default: return "end_of_input";
	}
}

static void put_opt_f64(struct fp_batch *b, size_t col, bool ok, double v)
{
	if (ok)
		fp_batch_put_f64(b, col, v);
	else
		fp_batch_put_null(b, col);
}

static void put_opt_i64(struct fp_batch *b, size_t col, bool ok, int64_t v)
{
	if (ok)
		fp_batch_put_i64(b, col, v);
	else
		fp_batch_put_null(b, col);
}

static void put_opt_i32(struct fp_batch *b, size_t col, bool ok, int32_t v)
{
	if (ok)
		fp_batch_put_i32(b, col, v);
	else
		fp_batch_put_null(b, col);
}

static void put_lengths(struct fp_batch *b, size_t col, const struct ext_dir *d, uint64_t n)
{
	put_opt_i64(b, col, n > 0, d->len.min);
	put_opt_i64(b, col + 1, n > 0, d->len.max);
	put_opt_f64(b, col + 2, n > 0, d->len.w.mean);
	put_opt_f64(b, col + 3, n > 1, fp_welford_std(&d->len.w, n));
}

static int extended_append(const void *plan, const struct fp_feature_row *row, const struct fp_flow *flow,
			   const void *state, enum fp_flow_end why)
{
	const struct ext_state *s = state;
	struct fp_batch *b = row->batch;
	size_t c = row->first;
	uint64_t n = flow->pkts[0] + flow->pkts[1];
	int64_t per = row->fields[EX_FLOW_END].time_unit == FP_UNIT_MILLIS ? 1000000
		      : row->fields[EX_FLOW_END].time_unit == FP_UNIT_MICROS ? 1000 : 1;
	const char *reason = end_reason(flow, why);

	(void)plan;
	fp_batch_put_i64(b, c + EX_FLOW_END, flow->last_ns / per - (flow->last_ns % per < 0));
	if (fp_batch_put_bytes(b, c + EX_END_REASON, reason, strlen(reason)) < 0)
		return -1;
	fp_batch_put_i32(b, c + EX_IP_VERSION, flow->key.ip_version);
	fp_batch_put_i32(b, c + EX_VLAN_ID, s->vlan_id);
	fp_batch_put_i32(b, c + EX_FWD_FLAGS, flow->tcp_flags_or[0]);
	fp_batch_put_i32(b, c + EX_BWD_FLAGS, flow->tcp_flags_or[1]);
	fp_batch_put_i64(b, c + EX_SYN, s->syn);
	fp_batch_put_i64(b, c + EX_FIN, s->fin);
	fp_batch_put_i64(b, c + EX_RST, s->rst);
	put_lengths(b, c + EX_FWD_LEN_MIN, &s->dir[0], flow->pkts[0]);
	put_lengths(b, c + EX_BWD_LEN_MIN, &s->dir[1], flow->pkts[1]);
	put_opt_f64(b, c + EX_IAT_MIN, n > 1, (double)s->iat.min / 1e9);
	put_opt_f64(b, c + EX_IAT_MAX, n > 1, (double)s->iat.max / 1e9);
	put_opt_f64(b, c + EX_IAT_MEAN, n > 1, s->iat.w.mean / 1e9);	/* span stats are in ns */
	put_opt_f64(b, c + EX_IAT_STD, n > 2, fp_welford_std(&s->iat.w, n - 1) / 1e9);
	put_opt_i32(b, c + EX_FWD_TTL, flow->pkts[0] > 0, s->dir[0].ttl);
	put_opt_i32(b, c + EX_BWD_TTL, flow->pkts[1] > 0, s->dir[1].ttl);
	put_opt_i32(b, c + EX_FWD_WIN, s->dir[0].init_win >= 0, s->dir[0].init_win);
	put_opt_i32(b, c + EX_BWD_WIN, s->dir[1].init_win >= 0, s->dir[1].init_win);
	return 0;
}

const struct fp_feature_set fp_features_extended = {
	.name = "extended",
	.description = "canonical plus end time and reason, IP version, VLAN, TCP flags, length and IAT statistics, "
		       "first TTL, initial window",
	.state_size = sizeof(struct ext_state),
	.fields = extended_fields,
	.nfields = sizeof(extended_fields) / sizeof(extended_fields[0]),
	.init = extended_init,
	.packet = extended_packet,
	.append = extended_append,
};
