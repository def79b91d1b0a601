/*
 * cic-values.c - a flow's corrected CICFlowMeter values from the state of
 * cic.c, once per flow when its row is made: every ratio is a real
 * division with its zero case stated (docs/features.md), standard
 * deviations are sample ones, and the both-directions length statistics
 * are the two directions' Welford states merged. Times stay in ns here
 * (fp_cic_row.times_ns): the column's unit divides them once, so a µs
 * value of a µs capture is a whole number, without rounding noise.
 */
#include "config.h"

#include <string.h>

#include "flow/features/cic.h"

#define NS 1e9

static double ratio(double a, double b) { return b != 0 ? a / b : 0.0; }

/* A rate per second, null when the flow lasted no time. */
static void rate(struct fp_cic_row *r, enum fp_cic_column c, double amount, double seconds)
{
	r->v[c] = seconds > 0 ? amount / seconds : 0.0;
	r->null[c] = !(seconds > 0);
}

static void span_values(double *v, int max, int min, int mean, int std, const struct fp_span_stats *s,
			uint64_t n)
{
	v[max] = n ? (double)s->max : 0.0;
	v[min] = n ? (double)s->min : 0.0;
	v[mean] = n ? s->w.mean : 0.0;
	v[std] = fp_welford_std(&s->w, n);
}

static void len_values(double *v, int max, int min, int mean, int std, const struct fp_len_stats *s, uint64_t n)
{
	v[max] = n ? s->max : 0;
	v[min] = n ? s->min : 0;
	v[mean] = n ? s->w.mean : 0.0;
	v[std] = fp_welford_std(&s->w, n);
}

static void length_values(const struct fp_cic_state *s, const struct fp_flow *flow, double *v)
{
	uint64_t nf = flow->pkts[0], nb = flow->pkts[1];
	const struct fp_len_stats *f = &s->dir[0].len, *b = &s->dir[1].len;
	struct fp_welford all = fp_welford_merge(&f->w, nf, &b->w, nb);

	len_values(v, FP_CIC_FWD_PKT_LEN_MAX, FP_CIC_FWD_PKT_LEN_MIN, FP_CIC_FWD_PKT_LEN_MEAN, FP_CIC_FWD_PKT_LEN_STD,
		   f, nf);
	len_values(v, FP_CIC_BWD_PKT_LEN_MAX, FP_CIC_BWD_PKT_LEN_MIN, FP_CIC_BWD_PKT_LEN_MEAN, FP_CIC_BWD_PKT_LEN_STD,
		   b, nb);
	v[FP_CIC_PKT_LEN_MAX] = nb == 0 ? f->max : nf == 0 ? b->max : (f->max > b->max ? f->max : b->max);
	v[FP_CIC_PKT_LEN_MIN] = nb == 0 ? f->min : nf == 0 ? b->min : (f->min < b->min ? f->min : b->min);
	v[FP_CIC_PKT_LEN_MEAN] = all.mean;
	v[FP_CIC_PKT_LEN_VAR] = fp_welford_var(&all, nf + nb);
	v[FP_CIC_PKT_LEN_STD] = fp_welford_std(&all, nf + nb);
}

static void time_values(const struct fp_cic_state *s, const struct fp_flow *flow, double *v)
{
	uint64_t n = flow->pkts[0] + flow->pkts[1];
	const struct fp_cic_dir *f = &s->dir[0], *b = &s->dir[1];

	span_values(v, FP_CIC_FLOW_IAT_MAX, FP_CIC_FLOW_IAT_MIN, FP_CIC_FLOW_IAT_MEAN, FP_CIC_FLOW_IAT_STD,
		    &s->flow_iat, n > 1 ? n - 1 : 0);
	span_values(v, FP_CIC_FWD_IAT_MAX, FP_CIC_FWD_IAT_MIN, FP_CIC_FWD_IAT_MEAN, FP_CIC_FWD_IAT_STD, &f->iat,
		    flow->pkts[0] > 1 ? flow->pkts[0] - 1 : 0);
	span_values(v, FP_CIC_BWD_IAT_MAX, FP_CIC_BWD_IAT_MIN, FP_CIC_BWD_IAT_MEAN, FP_CIC_BWD_IAT_STD, &b->iat,
		    flow->pkts[1] > 1 ? flow->pkts[1] - 1 : 0);
	v[FP_CIC_FWD_IAT_TOT] = flow->pkts[0] > 1 ? (double)(f->last_ns - f->first_ns) : 0.0;
	v[FP_CIC_BWD_IAT_TOT] = flow->pkts[1] > 1 ? (double)(b->last_ns - b->first_ns) : 0.0;
	span_values(v, FP_CIC_ACTIVE_MAX, FP_CIC_ACTIVE_MIN, FP_CIC_ACTIVE_MEAN, FP_CIC_ACTIVE_STD, &s->ai.active,
		    s->ai.nactive);
	span_values(v, FP_CIC_IDLE_MAX, FP_CIC_IDLE_MIN, FP_CIC_IDLE_MEAN, FP_CIC_IDLE_STD, &s->ai.idle, s->ai.nidle);
}

static void bulk_values(const struct fp_bulk *b, double *v, int bytes, int pkts, int rate_col)
{
	v[bytes] = ratio((double)b->bytes, b->count);
	v[pkts] = ratio((double)b->pkts, b->count);
	v[rate_col] = ratio((double)b->bytes, (double)b->dur_ns / NS);
}

static void count_values(const struct fp_cic_state *s, const struct fp_flow *flow, struct fp_cic_row *r)
{
	double *v = r->v, dur = (double)(flow->last_ns - flow->first_ns) / NS;
	double nf = (double)flow->pkts[0], nb = (double)flow->pkts[1];
	double bf = (double)flow->bytes[0], bb = (double)flow->bytes[1];
	static const int flag_col[8] = { FP_CIC_FIN_FLAG_CNT, FP_CIC_SYN_FLAG_CNT, FP_CIC_RST_FLAG_CNT,
					 FP_CIC_PSH_FLAG_CNT, FP_CIC_ACK_FLAG_CNT, FP_CIC_URG_FLAG_CNT,
					 FP_CIC_ECE_FLAG_CNT, FP_CIC_CWR_FLAG_COUNT };

	v[FP_CIC_FLOW_DURATION] = (double)(flow->last_ns - flow->first_ns);
	rate(r, FP_CIC_FLOW_BYTS_S, bf + bb, dur);
	rate(r, FP_CIC_FLOW_PKTS_S, nf + nb, dur);
	rate(r, FP_CIC_FWD_PKTS_S, nf, dur);
	rate(r, FP_CIC_BWD_PKTS_S, nb, dur);
	v[FP_CIC_TOT_FWD_PKTS] = nf;
	v[FP_CIC_TOT_BWD_PKTS] = nb;
	v[FP_CIC_TOTLEN_FWD_PKTS] = bf;
	v[FP_CIC_TOTLEN_BWD_PKTS] = bb;
	v[FP_CIC_FWD_HEADER_LEN] = (double)s->dir[0].header_bytes;
	v[FP_CIC_BWD_HEADER_LEN] = (double)s->dir[1].header_bytes;
	v[FP_CIC_FWD_SEG_SIZE_MIN] = nf > 0 ? s->dir[0].header_min : 0;
	v[FP_CIC_FWD_ACT_DATA_PKTS] = s->dir[0].data_pkts;
	for (int bit = 0; bit < 8; bit++)
		v[flag_col[bit]] = s->flags[bit];
	v[FP_CIC_FWD_PSH_FLAGS] = s->dir[0].psh;
	v[FP_CIC_BWD_PSH_FLAGS] = s->dir[1].psh;
	v[FP_CIC_FWD_URG_FLAGS] = s->dir[0].urg;
	v[FP_CIC_BWD_URG_FLAGS] = s->dir[1].urg;
	v[FP_CIC_DOWN_UP_RATIO] = ratio(nb, nf);
	v[FP_CIC_PKT_SIZE_AVG] = ratio(bf + bb, nf + nb);
	v[FP_CIC_FWD_SEG_SIZE_AVG] = ratio((double)s->dir[0].payload_bytes, nf);
	v[FP_CIC_BWD_SEG_SIZE_AVG] = ratio((double)s->dir[1].payload_bytes, nb);
	v[FP_CIC_SUBFLOW_FWD_PKTS] = nf / s->subflows;
	v[FP_CIC_SUBFLOW_FWD_BYTS] = bf / s->subflows;
	v[FP_CIC_SUBFLOW_BWD_PKTS] = nb / s->subflows;
	v[FP_CIC_SUBFLOW_BWD_BYTS] = bb / s->subflows;
	v[FP_CIC_INIT_FWD_WIN_BYTS] = s->dir[0].init_win;
	v[FP_CIC_INIT_BWD_WIN_BYTS] = s->dir[1].init_win;
}

void fp_cic_values(const struct fp_cic_state *s, const struct fp_flow *flow, struct fp_cic_row *r)
{
	memset(r, 0, sizeof(*r));
	r->times_ns = true;
	r->ip_version = flow->key.ip_version;
	r->src_addr = fp_flow_src_addr(flow);
	r->dst_addr = fp_flow_dst_addr(flow);
	r->first_ns = flow->first_ns;
	r->v[FP_CIC_SRC_PORT] = fp_flow_src_port(flow);
	r->v[FP_CIC_DST_PORT] = fp_flow_dst_port(flow);
	r->v[FP_CIC_PROTOCOL] = flow->key.proto;
	count_values(s, flow, r);
	length_values(s, flow, r->v);
	time_values(s, flow, r->v);
	bulk_values(&s->dir[0].bulk, r->v, FP_CIC_FWD_BYTS_B_AVG, FP_CIC_FWD_PKTS_B_AVG, FP_CIC_FWD_BLK_RATE_AVG);
	bulk_values(&s->dir[1].bulk, r->v, FP_CIC_BWD_BYTS_B_AVG, FP_CIC_BWD_PKTS_B_AVG, FP_CIC_BWD_BLK_RATE_AVG);
}
