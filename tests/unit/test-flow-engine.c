/*
 * test-flow-engine.c - the flow engine's semantics with known answers:
 * direction, counting, every timeout at its exact boundary, TCP close,
 * eviction, ICMP, fragments, flush order and reuse after flush, configuration.
 * (Randomized properties are in test-flow-random.c.)
 */
#include "config.h"

#include "flow/flow-table.h"
#include "test-flow-packets.h"

static void test_handshake_direction(void)
{
	/* Initiator 10.0.0.9 sorts above 10.0.0.1: the key's "hi" side. */
	static const char *const clients[] = { "10.0.0.9", "10.0.0.0" };

	for (int i = 0; i < 2; i++) {
		struct fp_flow_config cfg;
		struct sink s;
		struct fp_flow_engine *e;
		const char *c = clients[i];

		fp_flow_config_defaults(&cfg);
		e = engine(&cfg, &s);
		feed(e, tcp(1 * SEC, c, 40000, "10.0.0.1", 80, FP_TCP_SYN));
		feed(e, tcp(2 * SEC, "10.0.0.1", 80, c, 40000, FP_TCP_SYN | FP_TCP_ACK));
		feed(e, tcp(3 * SEC, c, 40000, "10.0.0.1", 80, FP_TCP_ACK));
		feed(e, tcp(4 * SEC, c, 40000, "10.0.0.1", 80, FP_TCP_ACK | FP_TCP_PSH));
		fp_flow_engine_flush(e);
		CHECK_EQ_INT(s.n, 1);
		CHECK(src_is(&s.r[0].f, c));
		CHECK(dst_is(&s.r[0].f, "10.0.0.1"));
		CHECK_EQ_INT(fp_flow_src_port(&s.r[0].f), 40000);
		CHECK_EQ_INT(fp_flow_dst_port(&s.r[0].f), 80);
		CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 3);
		CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_BWD], 1);
		CHECK_EQ_INT(s.r[0].f.tcp_flags_or[FP_DIR_FWD], FP_TCP_SYN | FP_TCP_ACK | FP_TCP_PSH);
		CHECK_EQ_INT(s.r[0].f.tcp_flags_or[FP_DIR_BWD], FP_TCP_SYN | FP_TCP_ACK);
		CHECK_EQ_INT(s.r[0].f.first_ns, 1 * SEC);
		CHECK_EQ_INT(s.r[0].f.last_ns, 4 * SEC);
		CHECK_EQ_INT(s.r[0].why, FP_END_FLUSH);
		fp_flow_engine_free(e);
	}
}

static void test_synack_first_reverses(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;

	fp_flow_config_defaults(&cfg);
	e = engine(&cfg, &s);
	/* The capture starts after the SYN: the SYN+ACK's receiver opened. */
	feed(e, tcp(1 * SEC, "192.168.1.1", 443, "192.168.1.50", 51000, FP_TCP_SYN | FP_TCP_ACK));
	feed(e, tcp(2 * SEC, "192.168.1.50", 51000, "192.168.1.1", 443, FP_TCP_ACK));
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 1);
	CHECK(src_is(&s.r[0].f, "192.168.1.50"));
	CHECK_EQ_INT(fp_flow_src_port(&s.r[0].f), 51000);
	CHECK_EQ_INT(fp_flow_dst_port(&s.r[0].f), 443);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 1);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_BWD], 1);
	CHECK_EQ_INT(s.r[0].f.tcp_flags_or[FP_DIR_BWD], FP_TCP_SYN | FP_TCP_ACK);
	fp_flow_engine_free(e);
}

static void test_udp_first_sender(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;

	fp_flow_config_defaults(&cfg);
	e = engine(&cfg, &s);
	/* Whoever sends first is the source, even a server port. */
	feed(e, udp(1 * SEC, "10.1.1.1", 53, "10.0.0.5", 33333));
	feed(e, udp(2 * SEC, "10.0.0.5", 33333, "10.1.1.1", 53));
	feed(e, udp(3 * SEC, "10.0.0.5", 33333, "10.1.1.1", 53));
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 1);
	CHECK(src_is(&s.r[0].f, "10.1.1.1"));
	CHECK_EQ_INT(fp_flow_src_port(&s.r[0].f), 53);
	CHECK_EQ_INT(fp_flow_dst_port(&s.r[0].f), 33333);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 1);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_BWD], 2);
	CHECK_EQ_INT(s.r[0].f.key.proto, FP_PROTO_UDP);
	fp_flow_engine_free(e);
}

static void test_byte_modes(void)
{
	static const enum fp_byte_mode modes[] = { FP_BYTES_IP, FP_BYTES_FRAME, FP_BYTES_PAYLOAD };
	/* fwd: 1000 + 60 bytes IP; bwd: 500. UDP: 28 bytes of headers. */
	static const uint64_t want_fwd[] = { 1060, 1060 + 28, 1060 - 56 };
	static const uint64_t want_bwd[] = { 500, 514, 472 };

	for (int i = 0; i < 3; i++) {
		struct fp_flow_config cfg;
		struct sink s;
		struct fp_flow_engine *e;

		fp_flow_config_defaults(&cfg);
		cfg.byte_mode = modes[i];
		e = engine(&cfg, &s);
		feed(e, pkt(1, "10.0.0.1", 1000, "10.0.0.2", 2000, FP_PROTO_UDP, 0, 1000));
		feed(e, pkt(2, "10.0.0.1", 1000, "10.0.0.2", 2000, FP_PROTO_UDP, 0, 60));
		feed(e, pkt(3, "10.0.0.2", 2000, "10.0.0.1", 1000, FP_PROTO_UDP, 0, 500));
		CHECK_EQ_INT(fp_flow_engine_stats(e)->bytes, want_fwd[i] + want_bwd[i]);
		fp_flow_engine_flush(e);
		CHECK_EQ_INT(s.n, 1);
		CHECK_EQ_INT(s.r[0].f.bytes[FP_DIR_FWD], want_fwd[i]);
		CHECK_EQ_INT(s.r[0].f.bytes[FP_DIR_BWD], want_bwd[i]);
		CHECK_EQ_INT(fp_flow_engine_stats(e)->packets, 3);
		fp_flow_engine_free(e);
	}
}

static void test_idle_boundary(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;

	fp_flow_config_defaults(&cfg);
	/* Exactly 60 s apart: still one flow. */
	e = engine(&cfg, &s);
	feed(e, udp(0, "10.0.0.1", 1, "10.0.0.2", 2));
	feed(e, udp(60 * SEC, "10.0.0.2", 2, "10.0.0.1", 1));
	CHECK_EQ_INT(s.total, 0);
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 1);
	CHECK_EQ_INT(s.r[0].f.pkts[0] + s.r[0].f.pkts[1], 2);
	fp_flow_engine_free(e);

	/* 60 s + 1 ns: the first flow ends (idle) before the second packet. */
	e = engine(&cfg, &s);
	feed(e, udp(0, "10.0.0.1", 1, "10.0.0.2", 2));
	feed(e, udp(60 * SEC + 1, "10.0.0.2", 2, "10.0.0.1", 1));
	CHECK_EQ_INT(s.total, 1);
	CHECK_EQ_INT(s.r[0].why, FP_END_IDLE);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 1);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_BWD], 0);
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 2);
	CHECK_EQ_INT(s.r[1].why, FP_END_FLUSH);
	CHECK(src_is(&s.r[1].f, "10.0.0.2"));	/* a new flow, new initiator */
	CHECK_EQ_INT(fp_flow_engine_stats(e)->flows_ended[FP_END_IDLE], 1);
	fp_flow_engine_free(e);
}

static void test_active_split(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;

	fp_flow_config_defaults(&cfg);	/* idle 60 s, active 3600 s */
	e = engine(&cfg, &s);
	for (int64_t t = 0; t <= 7200; t += 30)
		feed(e, udp(t * SEC, "10.0.0.1", 5000, "10.0.0.2", 6000));
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 2);
	/* 0..3600 (3600 - 0 is not more than 3600), then 3630..7200. */
	CHECK_EQ_INT(s.r[0].why, FP_END_ACTIVE);
	CHECK_EQ_INT(s.r[0].f.first_ns, 0);
	CHECK_EQ_INT(s.r[0].f.last_ns, 3600 * SEC);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 121);
	CHECK_EQ_INT(s.r[1].why, FP_END_FLUSH);
	CHECK_EQ_INT(s.r[1].f.first_ns, 3630 * SEC);
	CHECK_EQ_INT(s.r[1].f.pkts[FP_DIR_FWD], 120);
	fp_flow_engine_free(e);
}

static void test_continuous_expiry(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;
	char host[32];

	fp_flow_config_defaults(&cfg);
	e = engine(&cfg, &s);
	/* Another flow's packet moves the clock and ends flow A. */
	feed(e, udp(0, "10.0.0.1", 1, "10.0.0.2", 2));
	feed(e, udp(30 * SEC, "10.0.0.3", 1, "10.0.0.4", 2));
	CHECK_EQ_INT(s.total, 0);
	feed(e, udp(61 * SEC, "10.0.0.3", 1, "10.0.0.4", 2));
	CHECK_EQ_INT(s.total, 1);
	CHECK(src_is(&s.r[0].f, "10.0.0.1"));
	CHECK_EQ_INT(s.r[0].why, FP_END_IDLE);
	CHECK_EQ_INT(fp_flow_engine_stats(e)->active_flows, 1);
	fp_flow_engine_free(e);

	/* fp_flow_engine_advance() in slices of 3, in last-seen order. */
	e = engine(&cfg, &s);
	for (int i = 0; i < 10; i++) {
		snprintf(host, sizeof(host), "10.0.1.%d", i);
		feed(e, udp(i * SEC, host, 1, "10.9.9.9", 2));
	}
	CHECK_EQ_INT(fp_flow_engine_advance(e, 60 * SEC, 0), 0);
	CHECK_EQ_INT(fp_flow_engine_advance(e, 100 * SEC, 3), 3);
	CHECK_EQ_INT(fp_flow_engine_clock(e), 100 * SEC);
	CHECK_EQ_INT(s.total, 3);
	CHECK_EQ_INT(fp_flow_engine_advance(e, 100 * SEC, 3), 3);
	CHECK_EQ_INT(fp_flow_engine_advance(e, 90 * SEC, 3), 3);	/* never back */
	CHECK_EQ_INT(fp_flow_engine_clock(e), 100 * SEC);
	CHECK_EQ_INT(fp_flow_engine_advance(e, 100 * SEC, 3), 1);
	CHECK_EQ_INT(fp_flow_engine_advance(e, 100 * SEC, 3), 0);
	CHECK_EQ_INT(s.total, 10);
	for (int i = 0; i < 10; i++) {
		snprintf(host, sizeof(host), "10.0.1.%d", i);
		CHECK(src_is(&s.r[i].f, host));
		CHECK_EQ_INT(s.r[i].why, FP_END_IDLE);
	}
	CHECK_EQ_INT(fp_flow_engine_stats(e)->active_flows, 0);
	fp_flow_engine_free(e);

	/* Flows 0..4 are due at 64 s + 1 ns, 5..9 are not: advance stops at 5. */
	e = engine(&cfg, &s);
	for (int i = 0; i < 10; i++) {
		snprintf(host, sizeof(host), "10.0.1.%d", i);
		feed(e, udp(i * SEC, host, 1, "10.9.9.9", 2));
	}
	CHECK_EQ_INT(fp_flow_engine_advance(e, 64 * SEC + 1, 100), 5);
	fp_flow_engine_free(e);
}

/* SYN, SYN+ACK, ACK, FIN, ACK, FIN, ACK from 10.0.0.1:1111 to 10.0.0.2:80. */
static void close_handshake(struct fp_flow_engine *e, int64_t t0)
{
	const char *a = "10.0.0.1", *b = "10.0.0.2";

	feed(e, tcp(t0 + 0, a, 1111, b, 80, FP_TCP_SYN));
	feed(e, tcp(t0 + 1000, b, 80, a, 1111, FP_TCP_SYN | FP_TCP_ACK));
	feed(e, tcp(t0 + 2000, a, 1111, b, 80, FP_TCP_ACK));
	feed(e, tcp(t0 + 3000, a, 1111, b, 80, FP_TCP_FIN | FP_TCP_ACK));
	feed(e, tcp(t0 + 4000, b, 80, a, 1111, FP_TCP_ACK));
	feed(e, tcp(t0 + 5000, b, 80, a, 1111, FP_TCP_FIN | FP_TCP_ACK));
	feed(e, tcp(t0 + 6000, a, 1111, b, 80, FP_TCP_ACK));	/* the final ACK, after close */
}

static void test_tcp_close(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;

	/* tcp_close off: FIN changes nothing; the flow ends at flush. */
	fp_flow_config_defaults(&cfg);
	e = engine(&cfg, &s);
	close_handshake(e, 0);
	CHECK_EQ_INT(fp_flow_engine_advance(e, 10 * SEC, 0), 0);
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 1);
	CHECK_EQ_INT(s.r[0].why, FP_END_FLUSH);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 4);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_BWD], 3);
	CHECK_EQ_INT(s.r[0].f.state & (FP_FLOW_FIN_FWD | FP_FLOW_FIN_BWD | FP_FLOW_CLOSED),
		     FP_FLOW_FIN_FWD | FP_FLOW_FIN_BWD);
	fp_flow_engine_free(e);

	/* tcp_close on: the trailing ACK stays in the record, which ends once
	 * the clock passes the last packet + linger (1 s). */
	cfg.tcp_close = true;
	e = engine(&cfg, &s);
	close_handshake(e, 0);
	CHECK_EQ_INT(fp_flow_engine_advance(e, 6000 + 1 * SEC, 0), 0);
	CHECK_EQ_INT(s.total, 0);
	CHECK_EQ_INT(fp_flow_engine_advance(e, 6000 + 1 * SEC + 1, 0), 1);
	CHECK_EQ_INT(s.n, 1);
	CHECK_EQ_INT(s.r[0].why, FP_END_TCP_CLOSE);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 4);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_BWD], 3);
	CHECK(s.r[0].f.state & FP_FLOW_CLOSED);
	CHECK_EQ_INT(fp_flow_engine_stats(e)->flows_ended[FP_END_TCP_CLOSE], 1);
	fp_flow_engine_free(e);

	/* RST: closed at once; a packet within linger joins, a later one
	 * starts a new flow (the closed one ended by expiry first). */
	e = engine(&cfg, &s);
	feed(e, tcp(0, "10.0.0.1", 1111, "10.0.0.2", 80, FP_TCP_SYN));
	feed(e, tcp(SEC / 10, "10.0.0.2", 80, "10.0.0.1", 1111, FP_TCP_RST | FP_TCP_ACK));
	feed(e, tcp(SEC / 2, "10.0.0.1", 1111, "10.0.0.2", 80, FP_TCP_ACK));
	CHECK_EQ_INT(s.total, 0);
	feed(e, tcp(3 * SEC, "10.0.0.1", 1111, "10.0.0.2", 80, FP_TCP_ACK));
	CHECK_EQ_INT(s.total, 1);
	CHECK_EQ_INT(s.r[0].why, FP_END_TCP_CLOSE);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 2);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_BWD], 1);
	CHECK(s.r[0].f.state & FP_FLOW_RST);
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 2);
	CHECK_EQ_INT(s.r[1].f.pkts[FP_DIR_FWD], 1);
	CHECK_EQ_INT(s.r[1].why, FP_END_FLUSH);
	fp_flow_engine_free(e);

	/* A SYN (no ACK) for a closed flow ends it and opens a new one at once. */
	e = engine(&cfg, &s);
	close_handshake(e, 0);
	feed(e, tcp(SEC / 10, "10.0.0.1", 1111, "10.0.0.2", 80, FP_TCP_SYN));
	CHECK_EQ_INT(s.total, 1);
	CHECK_EQ_INT(s.r[0].why, FP_END_TCP_CLOSE);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD] + s.r[0].f.pkts[FP_DIR_BWD], 7);
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 2);
	CHECK_EQ_INT(s.r[1].f.pkts[FP_DIR_FWD], 1);
	CHECK_EQ_INT(s.r[1].f.first_ns, SEC / 10);
	CHECK_EQ_INT(s.r[1].f.tcp_flags_or[FP_DIR_FWD], FP_TCP_SYN);
	fp_flow_engine_free(e);

	/* The timeout that passed first names the end, however late the clock
	 * looks: active at 10 s beats the linger of a close at 9.5 s, and the
	 * linger of a close at 8 s beats active. */
	cfg.active_timeout_ns = 10 * SEC;
	for (int i = 0; i < 2; i++) {
		int64_t fin = i == 0 ? 9 * SEC + SEC / 2 : 8 * SEC;

		e = engine(&cfg, &s);
		feed(e, tcp(0, "10.0.0.1", 1111, "10.0.0.2", 80, FP_TCP_SYN));
		feed(e, tcp(fin, "10.0.0.1", 1111, "10.0.0.2", 80, FP_TCP_FIN | FP_TCP_ACK));
		feed(e, tcp(fin, "10.0.0.2", 80, "10.0.0.1", 1111, FP_TCP_FIN | FP_TCP_ACK));
		CHECK_EQ_INT(fp_flow_engine_advance(e, 11 * SEC, 0), 1);
		CHECK_EQ_INT(s.r[0].why, i == 0 ? FP_END_ACTIVE : FP_END_TCP_CLOSE);
		fp_flow_engine_free(e);
	}
	cfg.active_timeout_ns = 3600 * SEC;

	/* A SYN retransmitted in a live (not closed) flow changes nothing. */
	e = engine(&cfg, &s);
	feed(e, tcp(0, "10.0.0.1", 1111, "10.0.0.2", 80, FP_TCP_SYN));
	feed(e, tcp(SEC, "10.0.0.1", 1111, "10.0.0.2", 80, FP_TCP_SYN));
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 1);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 2);
	fp_flow_engine_free(e);
}

static void test_max_flows_eviction(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;

	fp_flow_config_defaults(&cfg);
	cfg.max_flows = 3;
	e = engine(&cfg, &s);
	feed(e, udp(0 * SEC, "10.0.0.1", 1, "10.9.9.9", 9));
	feed(e, udp(1 * SEC, "10.0.0.2", 1, "10.9.9.9", 9));
	feed(e, udp(2 * SEC, "10.0.0.3", 1, "10.9.9.9", 9));
	feed(e, udp(3 * SEC, "10.9.9.9", 9, "10.0.0.1", 1));	/* .1 is now the most recent */
	CHECK_EQ_INT(s.total, 0);
	feed(e, udp(4 * SEC, "10.0.0.4", 1, "10.9.9.9", 9));
	CHECK_EQ_INT(s.total, 1);
	CHECK(src_is(&s.r[0].f, "10.0.0.2"));
	CHECK_EQ_INT(s.r[0].why, FP_END_EVICTED);
	feed(e, udp(5 * SEC, "10.0.0.5", 1, "10.9.9.9", 9));
	CHECK_EQ_INT(s.total, 2);
	CHECK(src_is(&s.r[1].f, "10.0.0.3"));
	CHECK_EQ_INT(fp_flow_engine_stats(e)->flows_ended[FP_END_EVICTED], 2);
	CHECK_EQ_INT(fp_flow_engine_stats(e)->active_flows, 3);
	CHECK_EQ_INT(fp_flow_engine_stats(e)->max_active_flows, 3);
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 5);
	CHECK(src_is(&s.r[2].f, "10.0.0.1"));
	CHECK_EQ_INT(s.r[2].f.pkts[FP_DIR_BWD], 1);
	CHECK(src_is(&s.r[3].f, "10.0.0.4"));
	CHECK(src_is(&s.r[4].f, "10.0.0.5"));
	fp_flow_engine_free(e);

	/* A closed flow lingering is given up before a live one. */
	cfg.tcp_close = true;
	e = engine(&cfg, &s);
	feed(e, udp(0, "10.0.0.1", 1, "10.9.9.9", 9));
	close_handshake(e, 1000);
	feed(e, udp(10000, "10.0.0.3", 1, "10.9.9.9", 9));
	feed(e, udp(20000, "10.0.0.4", 1, "10.9.9.9", 9));
	CHECK_EQ_INT(s.total, 1);
	CHECK_EQ_INT(s.r[0].why, FP_END_TCP_CLOSE);
	CHECK_EQ_INT(s.r[0].f.key.proto, FP_PROTO_TCP);
	CHECK_EQ_INT(fp_flow_engine_stats(e)->flows_ended[FP_END_EVICTED], 0);
	fp_flow_engine_free(e);
}

static void test_out_of_order(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;

	fp_flow_config_defaults(&cfg);
	e = engine(&cfg, &s);
	feed(e, udp(10 * SEC, "10.0.0.1", 1, "10.0.0.2", 2));
	feed(e, udp(5 * SEC, "10.0.0.2", 2, "10.0.0.1", 1));
	feed(e, udp(10 * SEC, "10.0.0.1", 1, "10.0.0.2", 2));	/* equal to the clock: in order */
	CHECK_EQ_INT(fp_flow_engine_stats(e)->out_of_order, 1);
	CHECK_EQ_INT(fp_flow_engine_clock(e), 10 * SEC);
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 1);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 2);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_BWD], 1);
	CHECK_EQ_INT(s.r[0].f.first_ns, 5 * SEC);
	CHECK_EQ_INT(s.r[0].f.last_ns, 10 * SEC);
	fp_flow_engine_free(e);
}

static void test_icmp_echo(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;

	fp_flow_config_defaults(&cfg);
	e = engine(&cfg, &s);
	/* Requester has the higher address; then a second pair, reply first. */
	feed(e, icmp(1, "10.0.0.2", "10.0.0.1", FP_PROTO_ICMP, 8, 0));
	feed(e, icmp(2, "10.0.0.1", "10.0.0.2", FP_PROTO_ICMP, 0, 0));
	feed(e, icmp(3, "10.0.0.2", "10.0.0.1", FP_PROTO_ICMP, 8, 0));
	feed(e, icmp(4, "10.5.0.1", "10.5.0.9", FP_PROTO_ICMP, 0, 0));
	feed(e, icmp(5, "10.5.0.9", "10.5.0.1", FP_PROTO_ICMP, 8, 0));
	feed(e, icmp(6, "2001:db8::1", "2001:db8::2", FP_PROTO_ICMPV6, 128, 0));
	feed(e, icmp(7, "2001:db8::2", "2001:db8::1", FP_PROTO_ICMPV6, 129, 0));
	/* Destination unreachable is not a reply: its own flow, as sent. */
	feed(e, icmp(8, "10.0.0.1", "10.0.0.2", FP_PROTO_ICMP, 3, 1));
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 4);
	CHECK(src_is(&s.r[0].f, "10.0.0.2"));
	CHECK_EQ_INT(fp_flow_src_port(&s.r[0].f), 8);
	CHECK_EQ_INT(fp_flow_dst_port(&s.r[0].f), 0);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 2);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_BWD], 1);

	CHECK(src_is(&s.r[1].f, "10.5.0.9"));	/* receiver of the reply asked */
	CHECK_EQ_INT(fp_flow_src_port(&s.r[1].f), 8);
	CHECK_EQ_INT(s.r[1].f.pkts[FP_DIR_FWD], 1);
	CHECK_EQ_INT(s.r[1].f.pkts[FP_DIR_BWD], 1);

	CHECK(src_is(&s.r[2].f, "2001:db8::1"));
	CHECK_EQ_INT(s.r[2].f.key.ip_version, 6);
	CHECK_EQ_INT(fp_flow_src_port(&s.r[2].f), 128);
	CHECK_EQ_INT(s.r[2].f.pkts[FP_DIR_BWD], 1);

	CHECK(src_is(&s.r[3].f, "10.0.0.1"));
	CHECK_EQ_INT(fp_flow_src_port(&s.r[3].f), 3);
	CHECK_EQ_INT(fp_flow_dst_port(&s.r[3].f), 1);
	fp_flow_engine_free(e);
}

/* One packet with a wildly wrong timestamp (years ahead) throws the clock
 * forward; the packets after it, older than the clock, must still join
 * their flow rather than each become a flow of its own. */
static void test_bogus_timestamp(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;

	fp_flow_config_defaults(&cfg);
	e = engine(&cfg, &s);
	for (int i = 0; i < 10; i++)
		feed(e, udp(i * SEC, "10.0.0.1", 5000, "10.0.0.2", 53));
	feed(e, udp(1000000000 * SEC, "10.0.0.1", 5000, "10.0.0.2", 53));
	for (int i = 10; i < 20; i++)
		feed(e, udp(i * SEC, "10.0.0.1", 5000, "10.0.0.2", 53));
	CHECK_EQ_INT(fp_flow_engine_stats(e)->out_of_order, 10);
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 2);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 10);
	CHECK_EQ_INT(s.r[1].f.pkts[FP_DIR_FWD], 11);
	fp_flow_engine_free(e);
}

static void test_fragments(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;
	struct fp_packet p;
	const struct fp_flow_stats *st;

	fp_flow_config_defaults(&cfg);
	e = engine(&cfg, &s);
	st = fp_flow_engine_stats(e);
	/* IPv4: client sends a 3-fragment datagram; server answers with 2. */
	feed(e, udp(0, "10.0.0.1", 5000, "10.0.0.2", 53));
	feed(e, frag_first(1, "10.0.0.1", 5000, "10.0.0.2", 53, 77, 1500));
	feed(e, frag_later(2, "10.0.0.1", "10.0.0.2", FP_PROTO_UDP, 77, 1480, 1500));
	feed(e, frag_later(3, "10.0.0.1", "10.0.0.2", FP_PROTO_UDP, 77, 2960, 200));
	feed(e, frag_first(4, "10.0.0.2", 53, "10.0.0.1", 5000, 78, 1500));
	feed(e, frag_later(5, "10.0.0.2", "10.0.0.1", FP_PROTO_UDP, 78, 1480, 600));
	/* IPv6, other flow. A later fragment's "protocol" is what follows its
	 * Fragment header, here Destination Options (60): IPv6 identifies the
	 * datagram without it. */
	feed(e, frag_first(6, "2001:db8::1", 7000, "2001:db8::2", 8000, 0x12345678, 1280));
	feed(e, frag_later(7, "2001:db8::1", "2001:db8::2", FP_PROTO_UDP, 0x12345678, 1232, 500));
	feed(e, frag_later(7, "2001:db8::1", "2001:db8::2", 60, 0x12345678, 1696, 300));
	CHECK_EQ_INT(st->fragments_attributed, 5);
	CHECK_EQ_INT(st->fragments_unmatched, 0);

	/* Orphans: unknown ID, wrong protocol, wrong direction of addresses. */
	p = frag_later(8, "10.0.0.1", "10.0.0.2", FP_PROTO_UDP, 99, 1480, 500);
	CHECK_EQ_INT(fp_flow_engine_packet(e, &p), FP_SKIP_FRAGMENT_UNMATCHED);
	p = frag_later(9, "10.0.0.1", "10.0.0.2", FP_PROTO_TCP, 77, 1480, 500);
	CHECK_EQ_INT(fp_flow_engine_packet(e, &p), FP_SKIP_FRAGMENT_UNMATCHED);
	p = frag_later(10, "10.0.0.2", "10.0.0.1", FP_PROTO_UDP, 77, 1480, 500);
	CHECK_EQ_INT(fp_flow_engine_packet(e, &p), FP_SKIP_FRAGMENT_UNMATCHED);
	/* Stale: more than 30 s after its first fragment. */
	p = frag_later(31 * SEC + 1, "2001:db8::1", "2001:db8::2", FP_PROTO_UDP, 0x12345678, 2464, 500);
	CHECK_EQ_INT(fp_flow_engine_packet(e, &p), FP_SKIP_FRAGMENT_UNMATCHED);
	CHECK_EQ_INT(st->fragments_unmatched, 4);
	CHECK_EQ_INT(st->packets, 9);

	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 2);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 4);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_BWD], 2);
	CHECK_EQ_INT(s.r[0].f.bytes[FP_DIR_FWD], 100 + 1500 + 1500 + 200);
	CHECK_EQ_INT(s.r[0].f.bytes[FP_DIR_BWD], 1500 + 600);
	CHECK_EQ_INT(s.r[0].f.last_ns, 5);
	CHECK_EQ_INT(s.r[1].f.pkts[FP_DIR_FWD], 3);
	CHECK_EQ_INT(s.r[1].f.bytes[FP_DIR_FWD], 1280 + 500 + 300);
	fp_flow_engine_free(e);

	/* The flow ended meanwhile (idle): its later fragment is unmatched. */
	e = engine(&cfg, &s);
	st = fp_flow_engine_stats(e);
	feed(e, frag_first(0, "10.0.0.1", 5000, "10.0.0.2", 53, 5, 1500));
	p = frag_later(SEC / 2, "10.0.0.1", "10.0.0.2", FP_PROTO_UDP, 5, 1480, 500);
	CHECK_EQ_INT(fp_flow_engine_packet(e, &p), FP_DECODE_OK);
	fp_flow_engine_flush(e);
	p = frag_later(SEC, "10.0.0.1", "10.0.0.2", FP_PROTO_UDP, 5, 2960, 500);
	CHECK_EQ_INT(fp_flow_engine_packet(e, &p), FP_SKIP_FRAGMENT_UNMATCHED);
	CHECK_EQ_INT(st->fragments_attributed, 1);
	CHECK_EQ_INT(st->fragments_unmatched, 1);
	CHECK_EQ_INT(st->flows_created, 1);
	fp_flow_engine_free(e);
}

static void test_flush_creation_order(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;

	fp_flow_config_defaults(&cfg);
	e = engine(&cfg, &s);
	feed(e, udp(1, "10.0.0.3", 1, "10.9.9.9", 9));
	feed(e, udp(2, "10.0.0.1", 1, "10.9.9.9", 9));
	feed(e, udp(3, "10.0.0.2", 1, "10.9.9.9", 9));
	feed(e, udp(4, "10.0.0.3", 1, "10.9.9.9", 9));	/* recency changes, creation does not */
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 3);
	CHECK(src_is(&s.r[0].f, "10.0.0.3"));
	CHECK(src_is(&s.r[1].f, "10.0.0.1"));
	CHECK(src_is(&s.r[2].f, "10.0.0.2"));
	for (int i = 0; i < 3; i++)
		CHECK_EQ_INT(s.r[i].why, FP_END_FLUSH);
	CHECK_EQ_INT(fp_flow_engine_stats(e)->flows_ended[FP_END_FLUSH], 3);
	CHECK_EQ_INT(fp_flow_engine_stats(e)->active_flows, 0);
	fp_flow_engine_free(e);
}

/* Flush empties the engine at once; it then takes packets like a new one.
 * Round 1 also has a flow already due at flush (an advance that ended one
 * flow only), round 2 a closed connection still lingering. */
static void test_flush_then_reuse(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;
	const struct fp_flow_stats *st;
	size_t empty_mem, mem1;

	fp_flow_config_defaults(&cfg);
	cfg.tcp_close = true;
	e = engine(&cfg, &s);
	st = fp_flow_engine_stats(e);
	empty_mem = fp_flow_engine_memory(e);
	feed(e, udp(0, "10.0.0.1", 1, "10.9.9.9", 9));
	feed(e, udp(30 * SEC, "10.0.0.3", 1, "10.9.9.9", 9));
	feed(e, udp(40 * SEC, "10.0.0.4", 1, "10.9.9.9", 9));
	/* At 95 s the first two are idle; a slice of one ends only the first. */
	CHECK_EQ_INT(fp_flow_engine_advance(e, 95 * SEC, 1), 1);
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 3);
	CHECK(src_is(&s.r[0].f, "10.0.0.1"));
	CHECK_EQ_INT(s.r[0].why, FP_END_IDLE);
	CHECK(src_is(&s.r[1].f, "10.0.0.3"));
	CHECK_EQ_INT(s.r[1].why, FP_END_IDLE);	/* due already: not "flush" */
	CHECK(src_is(&s.r[2].f, "10.0.0.4"));
	CHECK_EQ_INT(s.r[2].why, FP_END_FLUSH);
	CHECK_EQ_INT(st->active_flows, 0);
	mem1 = fp_flow_engine_memory(e);
	/* Back to the empty table plus its one spare chunk. */
	CHECK(mem1 <= empty_mem + (size_t)FP_FLOW_CHUNK_ENTRIES * 128 + 4096);
	fp_flow_engine_flush(e);	/* nothing left: nothing happens */
	CHECK_EQ_INT(s.n, 3);

	/* Round 2: known keys again are new flows, found again by their
	 * second packet; flush order is creation order once more. */
	feed(e, udp(100 * SEC, "10.0.0.1", 1, "10.9.9.9", 9));
	close_handshake(e, 101 * SEC);
	feed(e, udp(101 * SEC + SEC / 2, "10.0.0.3", 1, "10.9.9.9", 9));
	feed(e, udp(101 * SEC + SEC / 2, "10.9.9.9", 9, "10.0.0.1", 1));
	CHECK_EQ_INT(st->flows_created, 6);
	CHECK_EQ_INT(st->active_flows, 3);
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.n, 6);
	CHECK(src_is(&s.r[3].f, "10.0.0.1"));
	CHECK_EQ_INT(s.r[3].f.pkts[FP_DIR_FWD], 1);
	CHECK_EQ_INT(s.r[3].f.pkts[FP_DIR_BWD], 1);
	CHECK_EQ_INT(s.r[3].f.first_ns, 100 * SEC);
	CHECK_EQ_INT(s.r[3].why, FP_END_FLUSH);
	CHECK(src_is(&s.r[4].f, "10.0.0.1"));
	CHECK_EQ_INT(s.r[4].f.pkts[FP_DIR_FWD] + s.r[4].f.pkts[FP_DIR_BWD], 7);
	CHECK_EQ_INT(s.r[4].why, FP_END_TCP_CLOSE);	/* closed, linger not over */
	CHECK(src_is(&s.r[5].f, "10.0.0.3"));
	CHECK_EQ_INT(s.r[5].why, FP_END_FLUSH);
	CHECK_EQ_INT(st->flows_ended[FP_END_IDLE], 2);
	CHECK_EQ_INT(st->flows_ended[FP_END_FLUSH], 3);
	CHECK_EQ_INT(st->flows_ended[FP_END_TCP_CLOSE], 1);
	CHECK_EQ_INT(st->active_flows, 0);
	CHECK_EQ_INT(st->max_active_flows, 3);
	CHECK_EQ_INT(fp_flow_engine_memory(e), mem1);
	fp_flow_engine_free(e);
}

static void test_config_and_names(void)
{
	struct fp_flow_config cfg;
	struct fp_error err = { "" };

	fp_flow_config_defaults(&cfg);
	CHECK_EQ_INT(cfg.idle_timeout_ns, 60 * SEC);
	CHECK_EQ_INT(cfg.active_timeout_ns, 3600 * SEC);
	CHECK_EQ_INT(cfg.tcp_close_linger_ns, SEC);
	CHECK(!cfg.tcp_close);
	CHECK_EQ_INT(cfg.byte_mode, FP_BYTES_IP);
	cfg.idle_timeout_ns = -1;
	CHECK(fp_flow_engine_new(&cfg, collect, NULL, &err) == NULL);
	CHECK(strstr(err.msg, "idle timeout must be more than 0") != NULL);
	fp_flow_config_defaults(&cfg);
	CHECK(fp_flow_engine_new(&cfg, NULL, NULL, &err) == NULL);
	CHECK_EQ_STR(fp_flow_end_name(FP_END_IDLE), "idle");
	CHECK_EQ_STR(fp_flow_end_name(FP_END_ACTIVE), "active");
	CHECK_EQ_STR(fp_flow_end_name(FP_END_TCP_CLOSE), "tcp-close");
	CHECK_EQ_STR(fp_flow_end_name(FP_END_EVICTED), "evicted");
	CHECK_EQ_STR(fp_flow_end_name(FP_END_FLUSH), "flush");
}

static void test_vlan_key(void)
{
	struct fp_flow_config cfg;
	struct sink s;
	struct fp_flow_engine *e;
	struct fp_packet p1 = udp(1, "10.0.0.1", 1, "10.0.0.2", 2), p2 = p1;

	p1.vlan_id = 10;
	p2.vlan_id = 20;
	fp_flow_config_defaults(&cfg);
	e = engine(&cfg, &s);
	feed(e, p1);
	feed(e, p2);
	CHECK_EQ_INT(fp_flow_engine_stats(e)->flows_created, 1);
	fp_flow_engine_free(e);
	cfg.key_vlan = true;
	e = engine(&cfg, &s);
	feed(e, p1);
	feed(e, p2);
	CHECK_EQ_INT(fp_flow_engine_stats(e)->flows_created, 2);
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.r[0].f.key.vlan_id, 10);
	CHECK_EQ_INT(s.r[1].f.key.vlan_id, 20);
	fp_flow_engine_free(e);
}

int main(void)
{
	RUN(test_handshake_direction);
	RUN(test_synack_first_reverses);
	RUN(test_udp_first_sender);
	RUN(test_byte_modes);
	RUN(test_idle_boundary);
	RUN(test_active_split);
	RUN(test_continuous_expiry);
	RUN(test_tcp_close);
	RUN(test_max_flows_eviction);
	RUN(test_out_of_order);
	RUN(test_icmp_echo);
	RUN(test_fragments);
	RUN(test_bogus_timestamp);
	RUN(test_flush_creation_order);
	RUN(test_flush_then_reuse);
	RUN(test_config_and_names);
	RUN(test_vlan_key);
	return TEST_RESULT();
}
