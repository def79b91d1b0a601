/*
 * test-features.c - the feature sets on hand-built captures, every column
 * against a value computed by hand (docs/features.md has the definitions).
 *
 * Each scenario is a handful of Ethernet frames made by the fixture
 * builder, fed through the meter (decode, flow engine, the set's hooks and
 * flow settings) into batches. An expectation lists the columns whose
 * value is not 0; every other column of the set is asserted to be 0, so
 * every column of every row is checked. Numbers agree exactly or to 1e-9
 * relative; the expected values are written as the arithmetic that gives
 * them (sqrt(2000.0) is the standard deviation of 40, 40, 140, 40, 40).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow-features.h"
#include "pipeline/meter.h"
#include "record/batch-pool.h"
#include "test.h"
#include "../fixtures/pcap-builder.h"

#define DLT_ETHERNET 1
#define SEC 1000000000LL
#define MS 1000000LL
#define T0 (1700000000LL * SEC)
#define T0_US 1700000000000000LL

/* ------------------------------------------------------------ frames */

struct frame {
	int64_t ts;			/* ns after T0 */
	bool reply;			/* from the responder */
	uint8_t flags;			/* TCP flags */
	uint32_t payload;
	uint16_t window;		/* 0: builder default */
};

struct scenario {
	int proto;			/* 6 or 17 */
	const char *client, *server;
	uint16_t cport, sport;
	uint8_t tcp_opt_len;		/* client's TCP options */
	const struct frame *frames;
	size_t n;
};

static void feed(struct fp_meter *m, const struct scenario *sc)
{
	uint8_t buf[PB_MAX_FRAME];

	for (size_t i = 0; i < sc->n; i++) {
		const struct frame *f = &sc->frames[i];
		struct pb_packet pk;
		uint32_t len;

		if (sc->proto == 6) {
			pb_tcp(&pk, DLT_ETHERNET, sc->client, sc->cport, sc->server, sc->sport, f->flags, f->payload);
			pk.window = f->window;
			if (!f->reply)
				pk.tcp_opt_len = sc->tcp_opt_len;
		} else {
			pb_udp(&pk, DLT_ETHERNET, sc->client, sc->cport, sc->server, sc->sport, f->payload);
		}
		if (f->reply)
			pb_reverse(&pk);
		len = pb_build(&pk, buf, sizeof(buf), NULL);
		CHECK(len > 0);
		fp_meter_packet(m, buf, len, len, T0 + f->ts);
	}
}

/* ------------------------------------------------------- running sets */

/* A run's rows, and what they belong to (the batches come from the
 * meter's pool and carry the features' schema): freed together. */
struct rows {
	struct fp_batch *batches[8];
	size_t nbatches;
	struct fp_meter *meter;
	struct fp_flow_features *ff;
	struct fp_schema *canonical;
};

static int keep_batch(void *ctx, struct fp_batch *b, struct fp_error *err)
{
	struct rows *r = ctx;

	(void)err;
	if (r->nbatches == 8) {
		fp_batch_release(b);
		return -1;
	}
	r->batches[r->nbatches++] = b;
	return 0;
}

static void rows_free(struct rows *r)
{
	for (size_t i = 0; i < r->nbatches; i++)
		fp_batch_release(r->batches[i]);
	fp_meter_free(r->meter);
	fp_flow_features_free(r->ff);
	fp_schema_free(r->canonical);
	memset(r, 0, sizeof(*r));
}

/* Meters `sc` with `set` (and tcp_close if asked) into r; returns the
 * rows made (all in r->batches[0]). */
static size_t run_set(const char *set, const struct scenario *sc, bool tcp_close, struct rows *r)
{
	struct fp_error err = { "" };
	struct fp_meter_config cfg;
	bool more;

	r->canonical = fp_schema_netflow_v1(&err);
	r->ff = fp_flow_features_new(r->canonical, fp_feature_set_find(set), &err);
	CHECK(r->ff != NULL);
	if (r->ff == NULL) {
		fprintf(stderr, "%s: %s\n", set, err.msg);
		return 0;
	}
	fp_meter_config_defaults(&cfg);
	cfg.features = r->ff;
	cfg.flow.tcp_close = tcp_close;
	r->meter = fp_meter_new(&cfg, keep_batch, r, &err);
	fp_meter_set_linktype(r->meter, DLT_ETHERNET);
	feed(r->meter, sc);
	CHECK(fp_meter_finish(r->meter, 0, &more, &err) == 0);
	CHECK(r->nbatches == 1);
	return r->nbatches ? r->batches[0]->nrows : 0;
}

/* ------------------------------------------------------ expectations */

struct expect {
	const char *name;
	double v;			/* numbers (timestamps in the column's µs) */
	const char *s;			/* strings */
	bool null;
};
#define N(name, v) { name, (double)(v), NULL, false }
#define S(name, s) { name, 0, s, false }
#define NUL(name) { name, 0, NULL, true }
#define END { NULL, 0, NULL, false }

static const struct expect *find_expect(const struct expect *e, const char *name)
{
	for (; e->name != NULL; e++)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

static bool close_enough(double got, double want)
{
	return got == want || fabs(got - want) <= 1e-9 * fmax(fabs(got), fabs(want));
}

static double number_at(const struct fp_column *c, size_t row)
{
	switch (c->type) {
	case FP_TYPE_INT32: return c->v.i32[row];
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP: return (double)c->v.i64[row];
	case FP_TYPE_DOUBLE: return c->v.f64[row];
	default: return NAN;
	}
}

/* Every column of the set's part of row `row` (columns from `first`):
 * as listed, or 0. Names listed must exist. */
static void check_row(const char *what, const struct fp_batch *b, size_t row, size_t first,
		      const struct expect *want)
{
	const struct fp_schema *s = b->schema;

	for (const struct expect *e = want; e->name != NULL; e++) {
		CHECK(fp_schema_find(s, e->name) >= (int)first);
		if (fp_schema_find(s, e->name) < (int)first)
			fprintf(stderr, "  %s: no column %s\n", what, e->name);
	}
	for (size_t c = first; c < s->nfields; c++) {
		const struct fp_column *col = &b->cols[c];
		const struct expect *e = find_expect(want, s->fields[c].name);
		bool valid = fp_column_is_valid(col, row);

		if (e != NULL && e->null) {
			CHECK(!valid);
			if (valid)
				fprintf(stderr, "  %s: %s should be null\n", what, s->fields[c].name);
		} else if (e != NULL && e->s != NULL) {
			size_t len;
			const char *p = fp_column_bytes(col, row, &len);
			char text[128];

			snprintf(text, sizeof(text), "%.*s", (int)len, p);
			CHECK(valid);
			CHECK_EQ_STR(text, e->s);
		} else {
			double want_v = e ? e->v : 0.0, got = valid ? number_at(col, row) : NAN;

			CHECK(valid && close_enough(got, want_v));
			if (!(valid && close_enough(got, want_v)))
				fprintf(stderr, "  %s: %s = %.17g, want %.17g%s\n", what, s->fields[c].name, got, want_v,
					valid ? "" : " (null)");
		}
	}
}

/* --------------------------------------------------------- scenarios */

/* A TCP connection: handshake, 100 bytes up, 300 down, FIN both ways, last
 * ACK. IPv4, 20-byte IP and TCP headers: lengths 40 + payload. */
static const struct frame tcp_frames[] = {
	{ 0 * MS, false, FP_TCP_SYN, 0, 1000 },
	{ 10 * MS, true, FP_TCP_SYN | FP_TCP_ACK, 0, 2000 },
	{ 20 * MS, false, FP_TCP_ACK, 0, 1000 },
	{ 30 * MS, false, FP_TCP_PSH | FP_TCP_ACK, 100, 1000 },
	{ 50 * MS, true, FP_TCP_PSH | FP_TCP_ACK, 300, 2000 },
	{ 60 * MS, false, FP_TCP_FIN | FP_TCP_ACK, 0, 1000 },
	{ 70 * MS, true, FP_TCP_FIN | FP_TCP_ACK, 0, 2000 },
	{ 80 * MS, false, FP_TCP_ACK, 0, 1000 },
};
static const struct scenario tcp_conn = { 6, "10.0.0.1", "10.0.0.2", 40000, 80, 0, tcp_frames, 8 };

/* fwd lengths 40 40 140 40 40, bwd 40 340 40; times fwd 0 20 30 60 80 ms,
 * bwd 10 50 70 ms; flow gaps 10 10 10 20 10 10 10 ms. */
static const struct expect cic_tcp[] = {
	S("src_ip", "10.0.0.1"), S("dst_ip", "10.0.0.2"), N("src_port", 40000), N("dst_port", 80), N("protocol", 6),
	N("timestamp", T0_US), N("flow_duration", 0.08),
	N("flow_byts_s", 720 / 0.08), N("flow_pkts_s", 8 / 0.08), N("fwd_pkts_s", 5 / 0.08), N("bwd_pkts_s", 3 / 0.08),
	N("tot_fwd_pkts", 5), N("tot_bwd_pkts", 3), N("totlen_fwd_pkts", 300), N("totlen_bwd_pkts", 420),
	N("fwd_pkt_len_max", 140), N("fwd_pkt_len_min", 40), N("fwd_pkt_len_mean", 60), N("fwd_pkt_len_std", sqrt(2000.0)),
	N("bwd_pkt_len_max", 340), N("bwd_pkt_len_min", 40), N("bwd_pkt_len_mean", 140),
	N("bwd_pkt_len_std", sqrt(30000.0)),
	N("pkt_len_max", 340), N("pkt_len_min", 40), N("pkt_len_mean", 90), N("pkt_len_std", sqrt(80000.0 / 7)),
	N("pkt_len_var", 80000.0 / 7),
	N("fwd_header_len", 100), N("bwd_header_len", 60), N("fwd_seg_size_min", 20), N("fwd_act_data_pkts", 1),
	N("flow_iat_mean", 0.08 / 7), N("flow_iat_max", 0.02), N("flow_iat_min", 0.01),
	N("flow_iat_std", 0.01 / sqrt(7.0)),
	N("fwd_iat_tot", 0.08), N("fwd_iat_max", 0.03), N("fwd_iat_min", 0.01), N("fwd_iat_mean", 0.02),
	N("fwd_iat_std", sqrt(0.0002 / 3)),
	N("bwd_iat_tot", 0.06), N("bwd_iat_max", 0.04), N("bwd_iat_min", 0.02), N("bwd_iat_mean", 0.03),
	N("bwd_iat_std", sqrt(0.0002)),
	N("fwd_psh_flags", 1), N("bwd_psh_flags", 1), N("fin_flag_cnt", 2), N("syn_flag_cnt", 2),
	N("psh_flag_cnt", 2), N("ack_flag_cnt", 7),
	N("down_up_ratio", 0.6), N("pkt_size_avg", 90), N("fwd_seg_size_avg", 20), N("bwd_seg_size_avg", 100),
	N("subflow_fwd_pkts", 5), N("subflow_fwd_byts", 300), N("subflow_bwd_pkts", 3), N("subflow_bwd_byts", 420),
	N("init_fwd_win_byts", 1000), N("init_bwd_win_byts", 2000),
	N("active_max", 0.08), N("active_min", 0.08), N("active_mean", 0.08),
	END,
};

/* Bulks both ways: 5 forward payload packets 100 ms apart (a bulk of 500
 * bytes over 0.4 s), 4 backward (800 bytes over 0.3 s) that end the
 * forward run, 3 forward (no bulk: too few), a forward ACK (no payload:
 * neither extends nor breaks), a backward packet, and after a 1.7 s gap a
 * last forward packet (a second subflow). */
static const struct frame bulk_frames[] = {
	{ 0 * MS, false, FP_TCP_PSH | FP_TCP_ACK, 100, 500 },
	{ 100 * MS, false, FP_TCP_ACK, 100, 500 },
	{ 200 * MS, false, FP_TCP_ACK, 100, 500 },
	{ 300 * MS, false, FP_TCP_ACK, 100, 500 },
	{ 400 * MS, false, FP_TCP_ACK, 100, 500 },
	{ 500 * MS, true, FP_TCP_ACK, 200, 600 },
	{ 600 * MS, true, FP_TCP_ACK, 200, 600 },
	{ 700 * MS, true, FP_TCP_ACK, 200, 600 },
	{ 800 * MS, true, FP_TCP_ACK, 200, 600 },
	{ 900 * MS, false, FP_TCP_ACK, 50, 500 },
	{ 1000 * MS, false, FP_TCP_ACK, 50, 500 },
	{ 1100 * MS, false, FP_TCP_ACK, 50, 500 },
	{ 1200 * MS, false, FP_TCP_ACK, 0, 500 },
	{ 1300 * MS, true, FP_TCP_ACK, 200, 600 },
	{ 3000 * MS, false, FP_TCP_ACK, 10, 500 },
};
static const struct scenario bulk_conn = { 6, "10.0.0.3", "10.0.0.4", 40001, 443, 0, bulk_frames, 15 };

/* fwd: 10 packets, lengths 140 x5, 90 x3, 40, 50 = 1060; bwd: 5 x 240 =
 * 1200. Gaps: 100 ms x 13, then 1700 ms. */
static const struct expect cic_bulk[] = {
	S("src_ip", "10.0.0.3"), S("dst_ip", "10.0.0.4"), N("src_port", 40001), N("dst_port", 443), N("protocol", 6),
	N("timestamp", T0_US), N("flow_duration", 3.0),
	N("flow_byts_s", 2260 / 3.0), N("flow_pkts_s", 15 / 3.0), N("fwd_pkts_s", 10 / 3.0), N("bwd_pkts_s", 5 / 3.0),
	N("tot_fwd_pkts", 10), N("tot_bwd_pkts", 5), N("totlen_fwd_pkts", 1060), N("totlen_bwd_pkts", 1200),
	N("fwd_pkt_len_max", 140), N("fwd_pkt_len_min", 40), N("fwd_pkt_len_mean", 106),
	/* deviations from 106: 34 x5, -16 x3, -66, -56: 5780 + 768 + 4356 + 3136 = 14040 */
	N("fwd_pkt_len_std", sqrt(14040.0 / 9)),
	N("bwd_pkt_len_max", 240), N("bwd_pkt_len_min", 240), N("bwd_pkt_len_mean", 240),
	N("pkt_len_max", 240), N("pkt_len_min", 40), N("pkt_len_mean", 2260 / 15.0),
	/* sum of squares 140^2*5 + 90^2*3 + 40^2 + 50^2 + 240^2*5 = 414400; minus 15 mean^2 */
	N("pkt_len_std", sqrt((414400.0 - 2260.0 * 2260.0 / 15) / 14)),
	N("pkt_len_var", (414400.0 - 2260.0 * 2260.0 / 15) / 14),
	N("fwd_header_len", 200), N("bwd_header_len", 100), N("fwd_seg_size_min", 20), N("fwd_act_data_pkts", 9),
	N("flow_iat_mean", 3.0 / 14), N("flow_iat_max", 1.7), N("flow_iat_min", 0.1),
	/* 13 gaps of 0.1 and one of 1.7: sum of squares 0.13 + 2.89 = 3.02 */
	N("flow_iat_std", sqrt((3.02 - 9.0 / 14) / 13)),
	/* fwd times 0 .1 .2 .3 .4 .9 1 1.1 1.2 3: gaps .1 .1 .1 .1 .5 .1 .1 .1 1.8 */
	N("fwd_iat_tot", 3.0), N("fwd_iat_max", 1.8), N("fwd_iat_min", 0.1), N("fwd_iat_mean", 3.0 / 9),
	N("fwd_iat_std", sqrt((0.07 + 0.25 + 3.24 - 1.0) / 8)),
	/* bwd times .5 .6 .7 .8 1.3: gaps .1 .1 .1 .5 */
	N("bwd_iat_tot", 0.8), N("bwd_iat_max", 0.5), N("bwd_iat_min", 0.1), N("bwd_iat_mean", 0.2),
	N("bwd_iat_std", sqrt((0.03 + 0.25 - 0.16) / 3)),
	N("fwd_psh_flags", 1), N("psh_flag_cnt", 1), N("ack_flag_cnt", 15),
	N("down_up_ratio", 0.5), N("pkt_size_avg", 2260 / 15.0), N("fwd_seg_size_avg", 66), N("bwd_seg_size_avg", 200),
	N("fwd_byts_b_avg", 500), N("fwd_pkts_b_avg", 5), N("fwd_blk_rate_avg", 500 / 0.4),
	N("bwd_byts_b_avg", 800), N("bwd_pkts_b_avg", 4), N("bwd_blk_rate_avg", 800 / 0.3),
	N("subflow_fwd_pkts", 5), N("subflow_fwd_byts", 530), N("subflow_bwd_pkts", 2.5), N("subflow_bwd_byts", 600),
	N("init_fwd_win_byts", 500), N("init_bwd_win_byts", 600),
	N("active_max", 3.0), N("active_min", 3.0), N("active_mean", 3.0),
	END,
};

/* A long UDP flow, 20-byte payloads (length 48), one way: active periods
 * [0,2], [10,11], [20] (length 0: not counted), [30,33] (the last, counted
 * at the end); idle gaps 8, 9, 10 s. The 1 s gaps are not > 1 s: 30..33 is
 * one bulk of 4 packets. */
static const struct frame long_frames[] = {
	{ 0 * SEC, false, 0, 20, 0 }, { 1 * SEC, false, 0, 20, 0 }, { 2 * SEC, false, 0, 20, 0 },
	{ 10 * SEC, false, 0, 20, 0 }, { 11 * SEC, false, 0, 20, 0 }, { 20 * SEC, false, 0, 20, 0 },
	{ 30 * SEC, false, 0, 20, 0 }, { 31 * SEC, false, 0, 20, 0 }, { 32 * SEC, false, 0, 20, 0 },
	{ 33 * SEC, false, 0, 20, 0 },
};
static const struct scenario long_udp = { 17, "10.0.0.5", "10.0.0.6", 5000, 9000, 0, long_frames, 10 };

/* gaps 1 1 8 1 9 10 1 1 1: sum 33, sum of squares 251 */
static const struct expect cic_long[] = {
	S("src_ip", "10.0.0.5"), S("dst_ip", "10.0.0.6"), N("src_port", 5000), N("dst_port", 9000), N("protocol", 17),
	N("timestamp", T0_US), N("flow_duration", 33),
	N("flow_byts_s", 480 / 33.0), N("flow_pkts_s", 10 / 33.0), N("fwd_pkts_s", 10 / 33.0),
	N("tot_fwd_pkts", 10), N("totlen_fwd_pkts", 480),
	N("fwd_pkt_len_max", 48), N("fwd_pkt_len_min", 48), N("fwd_pkt_len_mean", 48),
	N("pkt_len_max", 48), N("pkt_len_min", 48), N("pkt_len_mean", 48),
	N("fwd_header_len", 80), N("fwd_seg_size_min", 8), N("fwd_act_data_pkts", 10),
	N("flow_iat_mean", 33 / 9.0), N("flow_iat_max", 10), N("flow_iat_min", 1), N("flow_iat_std", sqrt(130 / 8.0)),
	N("fwd_iat_tot", 33), N("fwd_iat_max", 10), N("fwd_iat_min", 1), N("fwd_iat_mean", 33 / 9.0),
	N("fwd_iat_std", sqrt(130 / 8.0)),
	N("pkt_size_avg", 48), N("fwd_seg_size_avg", 20),
	N("fwd_byts_b_avg", 80), N("fwd_pkts_b_avg", 4), N("fwd_blk_rate_avg", 80 / 3.0),
	N("subflow_fwd_pkts", 2.5), N("subflow_fwd_byts", 120),
	N("init_fwd_win_byts", -1), N("init_bwd_win_byts", -1),
	N("active_max", 3), N("active_min", 1), N("active_mean", 2), N("active_std", 1),
	N("idle_max", 10), N("idle_min", 8), N("idle_mean", 9), N("idle_std", 1),
	END,
};

/* One UDP packet of 50 bytes: no duration, so no rates (null). */
static const struct frame one_frame[] = { { 0, false, 0, 50, 0 } };
static const struct scenario one_udp = { 17, "10.0.0.7", "10.0.0.8", 5353, 53, 0, one_frame, 1 };

static const struct expect cic_one[] = {
	S("src_ip", "10.0.0.7"), S("dst_ip", "10.0.0.8"), N("src_port", 5353), N("dst_port", 53), N("protocol", 17),
	N("timestamp", T0_US), NUL("flow_byts_s"), NUL("flow_pkts_s"), NUL("fwd_pkts_s"), NUL("bwd_pkts_s"),
	N("tot_fwd_pkts", 1), N("totlen_fwd_pkts", 78),
	N("fwd_pkt_len_max", 78), N("fwd_pkt_len_min", 78), N("fwd_pkt_len_mean", 78),
	N("pkt_len_max", 78), N("pkt_len_min", 78), N("pkt_len_mean", 78),
	N("fwd_header_len", 8), N("fwd_seg_size_min", 8), N("fwd_act_data_pkts", 1),
	N("pkt_size_avg", 78), N("fwd_seg_size_avg", 50),
	N("subflow_fwd_pkts", 1), N("subflow_fwd_byts", 78),
	N("init_fwd_win_byts", -1), N("init_bwd_win_byts", -1),
	END,
};

/* IPv6: a SYN with 12 bytes of TCP options (length 40 + 32), refused by a
 * RST (40 + 20) half a second later. */
static const struct frame v6_frames[] = {
	{ 0, false, FP_TCP_SYN, 0, 1000 },
	{ 500 * MS, true, FP_TCP_RST, 0, 77 },
};
static const struct scenario v6_refused = { 6, "2001:db8::1", "2001:db8::2", 5000, 443, 12, v6_frames, 2 };

static const struct expect cic_v6[] = {
	S("src_ip", "2001:db8::1"), S("dst_ip", "2001:db8::2"), N("src_port", 5000), N("dst_port", 443),
	N("protocol", 6), N("timestamp", T0_US), N("flow_duration", 0.5),
	N("flow_byts_s", 132 / 0.5), N("flow_pkts_s", 4), N("fwd_pkts_s", 2), N("bwd_pkts_s", 2),
	N("tot_fwd_pkts", 1), N("tot_bwd_pkts", 1), N("totlen_fwd_pkts", 72), N("totlen_bwd_pkts", 60),
	N("fwd_pkt_len_max", 72), N("fwd_pkt_len_min", 72), N("fwd_pkt_len_mean", 72),
	N("bwd_pkt_len_max", 60), N("bwd_pkt_len_min", 60), N("bwd_pkt_len_mean", 60),
	N("pkt_len_max", 72), N("pkt_len_min", 60), N("pkt_len_mean", 66), N("pkt_len_std", sqrt(72.0)),
	N("pkt_len_var", 72),
	N("fwd_header_len", 32), N("bwd_header_len", 20), N("fwd_seg_size_min", 32),
	N("flow_iat_mean", 0.5), N("flow_iat_max", 0.5), N("flow_iat_min", 0.5),
	N("syn_flag_cnt", 1), N("rst_flag_cnt", 1),
	N("down_up_ratio", 1), N("pkt_size_avg", 66),
	N("subflow_fwd_pkts", 1), N("subflow_fwd_byts", 72), N("subflow_bwd_pkts", 1), N("subflow_bwd_byts", 60),
	N("init_fwd_win_byts", 1000), N("init_bwd_win_byts", 77),
	N("active_max", 0.5), N("active_min", 0.5), N("active_mean", 0.5),
	END,
};

static void check_cic(const char *what, const struct scenario *sc, const struct expect *want)
{
	struct rows r = { { NULL }, 0, NULL, NULL, NULL };

	CHECK_EQ_INT(run_set("cic", sc, false, &r), 1);
	if (r.nbatches == 1 && r.batches[0]->nrows == 1) {
		CHECK_EQ_INT(r.batches[0]->schema->nfields, 82);
		check_row(what, r.batches[0], 0, 0, want);
	}
	rows_free(&r);
}

static void test_cic_tcp_connection(void) { check_cic("cic tcp", &tcp_conn, cic_tcp); }
static void test_cic_bulk_both_ways(void) { check_cic("cic bulk", &bulk_conn, cic_bulk); }
static void test_cic_long_udp_active_idle(void) { check_cic("cic long", &long_udp, cic_long); }
static void test_cic_one_packet(void) { check_cic("cic one", &one_udp, cic_one); }
static void test_cic_ipv6_rst(void) { check_cic("cic ipv6", &v6_refused, cic_v6); }

/* cic ends TCP flows at FIN both ways: a new connection on the same ports
 * a second later (past the linger) is a row of its own, whatever the
 * user's tcp_close; and the engine's counts end at the flow's own end. */
static void test_cic_ends_on_fin(void)
{
	struct frame twice[16];
	struct scenario sc = tcp_conn;
	struct rows r = { { NULL }, 0, NULL, NULL, NULL };

	memcpy(twice, tcp_frames, sizeof(tcp_frames));
	memcpy(twice + 8, tcp_frames, sizeof(tcp_frames));
	for (int i = 8; i < 16; i++)
		twice[i].ts += 5 * SEC;
	sc.frames = twice;
	sc.n = 16;
	CHECK_EQ_INT(run_set("cic", &sc, false, &r), 2);
	if (r.nbatches == 1 && r.batches[0]->nrows == 2) {
		check_row("cic fin 1", r.batches[0], 0, 0, cic_tcp);
		/* the second row is the same connection 5 s later */
		CHECK_EQ_INT(r.batches[0]->cols[5].v.i64[1], T0_US + 5000000);
	}
	rows_free(&r);
}

/* cic2017: cic's values under the dataset's names, times in µs. */
static void test_cic2017_names_and_units(void)
{
	static const struct expect want[] = {
		N(" Destination Port", 80), N(" Flow Duration", 80000),
		N(" Total Fwd Packets", 5), N(" Total Backward Packets", 3),
		N("Total Length of Fwd Packets", 300), N(" Total Length of Bwd Packets", 420),
		N(" Fwd Packet Length Max", 140), N(" Fwd Packet Length Min", 40), N(" Fwd Packet Length Mean", 60),
		N(" Fwd Packet Length Std", sqrt(2000.0)), N("Bwd Packet Length Max", 340),
		N(" Bwd Packet Length Min", 40), N(" Bwd Packet Length Mean", 140),
		N(" Bwd Packet Length Std", sqrt(30000.0)), N("Flow Bytes/s", 9000), N(" Flow Packets/s", 100),
		N(" Flow IAT Mean", 80000 / 7.0), N(" Flow IAT Std", 10000 / sqrt(7.0)), N(" Flow IAT Max", 20000),
		N(" Flow IAT Min", 10000), N("Fwd IAT Total", 80000), N(" Fwd IAT Mean", 20000),
		N(" Fwd IAT Std", sqrt(200000000.0 / 3)), N(" Fwd IAT Max", 30000), N(" Fwd IAT Min", 10000),
		N("Bwd IAT Total", 60000), N(" Bwd IAT Mean", 30000), N(" Bwd IAT Std", sqrt(200000000.0)),
		N(" Bwd IAT Max", 40000), N(" Bwd IAT Min", 20000), N("Fwd PSH Flags", 1), N(" Bwd PSH Flags", 1),
		N(" Fwd Header Length", 100), N(" Bwd Header Length", 60), N("Fwd Packets/s", 62.5),
		N(" Bwd Packets/s", 37.5), N(" Min Packet Length", 40), N(" Max Packet Length", 340),
		N(" Packet Length Mean", 90), N(" Packet Length Std", sqrt(80000.0 / 7)),
		N(" Packet Length Variance", 80000.0 / 7), N("FIN Flag Count", 2), N(" SYN Flag Count", 2),
		N(" PSH Flag Count", 2), N(" ACK Flag Count", 7), N(" Down/Up Ratio", 0.6),
		N(" Average Packet Size", 90), N(" Avg Fwd Segment Size", 20), N(" Avg Bwd Segment Size", 100),
		N(" Fwd Header Length.1", 100), N("Subflow Fwd Packets", 5), N(" Subflow Fwd Bytes", 300),
		N(" Subflow Bwd Packets", 3), N(" Subflow Bwd Bytes", 420), N("Init_Win_bytes_forward", 1000),
		N(" Init_Win_bytes_backward", 2000), N(" act_data_pkt_fwd", 1), N(" min_seg_size_forward", 20),
		N("Active Mean", 80000), N(" Active Max", 80000), N(" Active Min", 80000),
		END,
	};
	struct rows r = { { NULL }, 0, NULL, NULL, NULL };

	CHECK_EQ_INT(run_set("cic2017", &tcp_conn, false, &r), 1);
	if (r.nbatches == 1 && r.batches[0]->nrows == 1) {
		CHECK_EQ_INT(r.batches[0]->schema->nfields, 78);
		check_row("cic2017", r.batches[0], 0, 0, want);
	}
	rows_free(&r);
}

/* extended: canonical columns, then its own, with the user's settings:
 * without tcp_close the connection ends at end of input, with it on FIN. */
static void test_extended(void)
{
	static const struct expect want[] = {
		N("flow_end", T0_US + 80000), S("end_reason", "end_of_input"), N("ip_version", 4),
		N("fwd_tcp_flags", FP_TCP_SYN | FP_TCP_ACK | FP_TCP_PSH | FP_TCP_FIN),
		N("bwd_tcp_flags", FP_TCP_SYN | FP_TCP_ACK | FP_TCP_PSH | FP_TCP_FIN),
		N("syn_count", 2), N("fin_count", 2),
		N("fwd_len_min", 40), N("fwd_len_max", 140), N("fwd_len_mean", 60), N("fwd_len_std", sqrt(2000.0)),
		N("bwd_len_min", 40), N("bwd_len_max", 340), N("bwd_len_mean", 140), N("bwd_len_std", sqrt(30000.0)),
		N("iat_min", 0.01), N("iat_max", 0.02), N("iat_mean", 0.08 / 7), N("iat_std", 0.01 / sqrt(7.0)),
		N("fwd_first_ttl", 64), N("bwd_first_ttl", 64), N("fwd_init_win", 1000), N("bwd_init_win", 2000),
		END,
	};
	static const struct expect one[] = {
		N("flow_end", T0_US), S("end_reason", "end_of_input"), N("ip_version", 4),
		N("fwd_len_min", 78), N("fwd_len_max", 78), N("fwd_len_mean", 78), NUL("fwd_len_std"),
		NUL("bwd_len_min"), NUL("bwd_len_max"), NUL("bwd_len_mean"), NUL("bwd_len_std"),
		NUL("iat_min"), NUL("iat_max"), NUL("iat_mean"), NUL("iat_std"),
		N("fwd_first_ttl", 64), NUL("bwd_first_ttl"), NUL("fwd_init_win"), NUL("bwd_init_win"),
		END,
	};
	struct rows r = { { NULL }, 0, NULL, NULL, NULL };
	int first;

	CHECK_EQ_INT(run_set("extended", &tcp_conn, false, &r), 1);
	if (r.nbatches == 1 && r.batches[0]->nrows == 1) {
		first = fp_schema_find(r.batches[0]->schema, "flow_end");
		CHECK_EQ_INT(first, 11);	/* after schema.json's 11 */
		check_row("extended", r.batches[0], 0, (size_t)first, want);
	}
	rows_free(&r);
	CHECK_EQ_INT(run_set("extended", &tcp_conn, true, &r), 1);
	if (r.nbatches == 1 && r.batches[0]->nrows == 1) {
		int c = fp_schema_find(r.batches[0]->schema, "end_reason");
		size_t len;
		const char *p = fp_column_bytes(&r.batches[0]->cols[c], 0, &len);

		CHECK(len == 3 && memcmp(p, "fin", 3) == 0);
	}
	rows_free(&r);
	CHECK_EQ_INT(run_set("extended", &one_udp, false, &r), 1);
	if (r.nbatches == 1 && r.batches[0]->nrows == 1)
		check_row("extended one", r.batches[0], 0, 11, one);
	rows_free(&r);
}

/* pcapflower's time: double epoch seconds, sec + usec / 1e6, as dpkt. */
#define PFT(ms) (1700000000.0 + (double)(ms) / 1000.0)

/* Population statistics of x[0..n), as pcapflower reports them. */
struct pop { double sum, mean, std, max, min; };
static struct pop pop_of(const double *x, int n)
{
	struct pop p = { 0, 0, 0, x[0], x[0] };
	double ss = 0;

	for (int i = 0; i < n; i++) {
		p.sum += x[i];
		p.max = fmax(p.max, x[i]);
		p.min = fmin(p.min, x[i]);
	}
	p.mean = p.sum / n;
	for (int i = 0; i < n; i++)
		ss += (x[i] - p.mean) * (x[i] - p.mean);
	p.std = sqrt(ss / n);
	return p;
}

static const char *text_at(const struct fp_batch *b, const char *name, size_t row, char *buf, size_t size)
{
	size_t len;
	const char *p = fp_column_bytes(&b->cols[fp_schema_find(b->schema, name)], row, &len);

	snprintf(buf, size, "%.*s", (int)len, p);
	return buf;
}

static int64_t int_at(const struct fp_batch *b, const char *name, size_t row)
{
	return b->cols[fp_schema_find(b->schema, name)].v.i64[row];
}

/* pcapflower: the first FIN ends the flow; the rest of the teardown makes
 * two one-packet flows, each forward from its own sender; TCP header
 * length 0; population standard deviation; times as differences of
 * double epoch seconds (so 60 ms is 0.059999942779541016 s). First flow:
 * packets at 0 10 20 30 50 60 ms, fwd 0 20 30 60 (40 40 140 40 bytes),
 * bwd 10 50 (40 340). */
static void test_pcapflower_first_fin(void)
{
	double dur = PFT(60) - PFT(0);
	double g[5] = { PFT(10) - PFT(0), PFT(20) - PFT(10), PFT(30) - PFT(20), PFT(50) - PFT(30), PFT(60) - PFT(50) };
	double f[3] = { PFT(20) - PFT(0), PFT(30) - PFT(20), PFT(60) - PFT(30) };
	double bw = PFT(50) - PFT(10);
	struct pop fl = pop_of(g, 5), fw = pop_of(f, 3);
	const struct expect first[] = {
		S("src_ip", "10.0.0.1"), S("dst_ip", "10.0.0.2"), N("src_port", 40000), N("dst_port", 80),
		N("protocol", 6), N("timestamp", 1700000000.0), N("flow_duration", dur),
		N("flow_byts_s", 640 / dur), N("flow_pkts_s", 6 / dur), N("fwd_pkts_s", 4 / dur),
		N("bwd_pkts_s", 2 / dur), N("tot_fwd_pkts", 4), N("tot_bwd_pkts", 2), N("totlen_fwd_pkts", 260),
		N("totlen_bwd_pkts", 380), N("fwd_pkt_len_max", 140), N("fwd_pkt_len_min", 40),
		N("fwd_pkt_len_mean", 65), N("fwd_pkt_len_std", sqrt(7500.0 / 4)), N("bwd_pkt_len_max", 340),
		N("bwd_pkt_len_min", 40), N("bwd_pkt_len_mean", 190), N("bwd_pkt_len_std", 150),
		N("pkt_len_max", 340), N("pkt_len_min", 40), N("pkt_len_mean", 640 / 6.0),
		/* 40 x4, 140, 340: sum of squares 141600, minus 6 mean^2 */
		N("pkt_len_std", sqrt((141600 - 640.0 * 640 / 6) / 6)), N("pkt_len_var", (141600 - 640.0 * 640 / 6) / 6),
		N("fwd_act_data_pkts", 1),
		N("flow_iat_mean", fl.mean), N("flow_iat_max", fl.max), N("flow_iat_min", fl.min),
		N("flow_iat_std", fl.std), N("fwd_iat_tot", fw.sum), N("fwd_iat_max", fw.max), N("fwd_iat_min", fw.min),
		N("fwd_iat_mean", fw.mean), N("fwd_iat_std", fw.std), N("bwd_iat_tot", bw), N("bwd_iat_max", bw),
		N("bwd_iat_min", bw), N("bwd_iat_mean", bw),
		N("fwd_psh_flags", 1), N("bwd_psh_flags", 1), N("fin_flag_cnt", 1), N("syn_flag_cnt", 2),
		N("psh_flag_cnt", 2), N("ack_flag_cnt", 5), N("down_up_ratio", 0.5), N("pkt_size_avg", 640 / 6.0),
		N("fwd_seg_size_avg", 65), N("bwd_seg_size_avg", 190), N("subflow_fwd_pkts", 4),
		N("subflow_fwd_byts", 260), N("subflow_bwd_pkts", 2), N("subflow_bwd_byts", 380),
		N("init_fwd_win_byts", 1000), N("init_bwd_win_byts", 2000),
		END,
	};
	struct rows r = { { NULL }, 0, NULL, NULL, NULL };
	char buf[64];

	CHECK(fabs(dur - 0.06) > 1e-9);	/* pcapflower's rounding is really there */
	CHECK_EQ_INT(run_set("pcapflower", &tcp_conn, false, &r), 3);
	if (r.nbatches == 1 && r.batches[0]->nrows == 3) {
		const struct fp_batch *b = r.batches[0];

		check_row("pcapflower", b, 0, 0, first);
		/* the server's FIN+ACK: a flow of its own, the server forward */
		CHECK_EQ_STR(text_at(b, "src_ip", 1, buf, sizeof(buf)), "10.0.0.2");
		CHECK_EQ_INT(int_at(b, "tot_fwd_pkts", 1), 1);
		CHECK_EQ_INT(int_at(b, "fin_flag_cnt", 1), 1);
		CHECK_EQ_INT(int_at(b, "init_fwd_win_byts", 1), 2000);
		CHECK_EQ_INT(int_at(b, "init_bwd_win_byts", 1), -1);
		/* the last ACK: the client forward again */
		CHECK_EQ_STR(text_at(b, "src_ip", 2, buf, sizeof(buf)), "10.0.0.1");
		CHECK_EQ_INT(int_at(b, "tot_fwd_pkts", 2), 1);
		CHECK_EQ_INT(int_at(b, "ack_flag_cnt", 2), 1);
	}
	rows_free(&r);
}

/* The interface's promises: every set is found by name, its state is
 * within bounds, and cic keeps under 512 bytes per flow. */
static void test_sets_registered(void)
{
	static const char *const names[] = { "canonical", "extended", "cic", "pcapflower", "cic2017" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct fp_feature_set *s = fp_feature_set_find(names[i]);

		CHECK(s != NULL && strcmp(s->name, names[i]) == 0);
	}
	CHECK(fp_feature_set_find("nosuch") == NULL);
	CHECK(fp_feature_set_find("cic")->state_size < 512);
	CHECK(fp_feature_set_find("cic2017")->state_size < 512);
}

int main(void)
{
	RUN(test_sets_registered);
	RUN(test_cic_tcp_connection);
	RUN(test_cic_bulk_both_ways);
	RUN(test_cic_long_udp_active_idle);
	RUN(test_cic_one_packet);
	RUN(test_cic_ipv6_rst);
	RUN(test_cic_ends_on_fin);
	RUN(test_cic2017_names_and_units);
	RUN(test_extended);
	RUN(test_pcapflower_first_fin);
	return TEST_RESULT();
}
