/*
 * test-flow-random.c - the flow engine on seeded random packet streams
 * (TCP with random flags, ICMP, fragments, out-of-order packets, quiet
 * spells): the same input gives the same exports; when expiry runs does not
 * change the records; a batch equals single packets; the packet hook and
 * the extra state see every packet; two engines are independent; the fast
 * flush equals ending each flow the ordinary way.
 */
#include "config.h"

#include "flow/flow-engine-ref.h"
#include "flow/flow-table.h"
#include "test-flow-packets.h"

static void run_random(struct fp_flow_engine *e, uint64_t seed, int n)
{
	int64_t t = 0;

	for (int i = 0; i < n; i++) {
		struct fp_packet p = random_packet(&seed, &t);

		(void)fp_flow_engine_packet(e, &p);
		if (i % 1000 == 999)
			(void)fp_flow_engine_advance(e, t, 5);
	}
	fp_flow_engine_flush(e);
}

static void test_determinism(void)
{
	struct fp_flow_config cfg;
	struct sink s1, s2;
	struct fp_flow_engine *e1, *e2;

	fp_flow_config_defaults(&cfg);
	cfg.idle_timeout_ns = 40 * SEC;
	cfg.active_timeout_ns = 60 * SEC;
	cfg.tcp_close = true;
	cfg.max_flows = 100;
	e1 = engine(&cfg, &s1);
	e2 = engine(&cfg, &s2);
	run_random(e1, 42, 30000);
	run_random(e2, 42, 30000);
	CHECK(s1.total > 1000);
	CHECK_EQ_INT(s1.total, s2.total);
	CHECK(s1.digest == s2.digest);
	CHECK(memcmp(fp_flow_engine_stats(e1), fp_flow_engine_stats(e2), sizeof(struct fp_flow_stats)) == 0);
	/* Every kind of end happened, and the books balance. */
	for (int w = 0; w < FP_END__COUNT; w++) {
		if (fp_flow_engine_stats(e1)->flows_ended[w] == 0)
			fprintf(stderr, "  no flow ended by %s\n", fp_flow_end_name((enum fp_flow_end)w));
		CHECK(fp_flow_engine_stats(e1)->flows_ended[w] > 0);
	}
	{
		const struct fp_flow_stats *st = fp_flow_engine_stats(e1);
		uint64_t ended = 0;

		for (int w = 0; w < FP_END__COUNT; w++)
			ended += st->flows_ended[w];
		fprintf(stderr, "  %llu flows: idle %llu, active %llu, tcp-close %llu, evicted %llu, flush %llu; "
			"fragments %llu/%llu, out of order %llu\n", (unsigned long long)st->flows_created,
			(unsigned long long)st->flows_ended[FP_END_IDLE], (unsigned long long)st->flows_ended[FP_END_ACTIVE],
			(unsigned long long)st->flows_ended[FP_END_TCP_CLOSE],
			(unsigned long long)st->flows_ended[FP_END_EVICTED], (unsigned long long)st->flows_ended[FP_END_FLUSH],
			(unsigned long long)st->fragments_attributed, (unsigned long long)st->fragments_unmatched,
			(unsigned long long)st->out_of_order);
		CHECK_EQ_INT(ended, st->flows_created);
		CHECK_EQ_INT(st->active_flows, 0);
		CHECK(st->out_of_order > 0);
		CHECK(st->fragments_attributed > 0);
		CHECK_EQ_INT(st->max_active_flows, 100);
	}
	fp_flow_engine_free(e1);
	fp_flow_engine_free(e2);
}

/* What a record says, without the engine's bookkeeping (list links,
 * entry numbers), hashed so that a set of records can be summed. */
static uint64_t record_hash(const struct fp_flow *f, enum fp_flow_end why)
{
	uint64_t w[5], h = 0xcbf29ce484222325ULL;
	uint64_t v[] = { (uint64_t)f->first_ns, (uint64_t)f->last_ns, f->pkts[0], f->pkts[1], f->bytes[0],
			 f->bytes[1], f->state, f->tcp_flags_or[0], f->tcp_flags_or[1], (uint64_t)why };

	memcpy(w, &f->key, sizeof(w));
	for (int i = 0; i < 5; i++)
		h = (h ^ w[i]) * 0x100000001b3ULL;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		h = (h ^ v[i]) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

struct set_sink {
	uint64_t sum, n;
	uint64_t ended[FP_END__COUNT];
};

static void sum_records(void *ctx, struct fp_flow *f, enum fp_flow_end why)
{
	struct set_sink *s = ctx;

	s->sum += record_hash(f, why);
	s->n++;
	s->ended[why]++;
}

/* The same packets, once with fp_flow_engine_advance() called between
 * packets (at times in between, sometimes in slices of one) and once without:
 * the same set of records, reasons included; only export order may differ. */
static void test_expiry_timing_independent(void)
{
	struct fp_flow_config cfg;
	struct fp_error err;
	struct set_sink sa, sb;
	struct fp_flow_engine *a, *b;
	uint64_t seed = 99;
	int64_t t = 0, prev = 0;

	fp_flow_config_defaults(&cfg);
	cfg.idle_timeout_ns = 40 * SEC;
	cfg.active_timeout_ns = 60 * SEC;
	cfg.tcp_close = true;
	cfg.max_flows = 100;
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	a = fp_flow_engine_new(&cfg, sum_records, &sa, &err);
	b = fp_flow_engine_new(&cfg, sum_records, &sb, &err);
	CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		return;
	for (int i = 0; i < 30000; i++) {
		struct fp_packet p = random_packet(&seed, &t);

		/* Eight looks at the clock between packets, the first in a slice of one. */
		for (int k = 1; k <= 8 && p.ts_ns > prev; k++)
			(void)fp_flow_engine_advance(a, prev + (p.ts_ns - prev) * k / 8, k == 1 ? 1 : 0);
		(void)fp_flow_engine_packet(a, &p);
		(void)fp_flow_engine_packet(b, &p);
		if (p.ts_ns > prev)
			prev = p.ts_ns;
	}
	fp_flow_engine_flush(a);
	fp_flow_engine_flush(b);
	CHECK(sa.n > 1000);
	CHECK_EQ_INT(sa.n, sb.n);
	CHECK(sa.sum == sb.sum);
	for (int w = 0; w < FP_END__COUNT; w++)
		CHECK_EQ_INT(sa.ended[w], sb.ended[w]);
	fp_flow_engine_free(a);
	fp_flow_engine_free(b);
}

/* fp_flow_engine_packets() is n calls of fp_flow_engine_packet(): same
 * exports in the same order, same results, same statistics. */
static void test_batch_equals_single(void)
{
	enum { N = 20000, B = 37 };
	struct fp_flow_config cfg;
	struct sink s1, s2;
	struct fp_flow_engine *e1, *e2;
	struct fp_packet *pkts = malloc(N * sizeof(*pkts));
	enum fp_skip_reason *r1 = malloc(N * sizeof(*r1)), *r2 = malloc(N * sizeof(*r2));
	uint64_t seed = 5;
	int64_t t = 0;
	int unmatched = 0;

	CHECK(pkts != NULL && r1 != NULL && r2 != NULL);
	if (pkts == NULL || r1 == NULL || r2 == NULL)
		return;
	for (int i = 0; i < N; i++)
		pkts[i] = random_packet(&seed, &t);
	fp_flow_config_defaults(&cfg);
	cfg.idle_timeout_ns = 40 * SEC;
	cfg.active_timeout_ns = 60 * SEC;
	cfg.tcp_close = true;
	cfg.max_flows = 100;
	e1 = engine(&cfg, &s1);
	e2 = engine(&cfg, &s2);
	for (int i = 0; i < N; i++)
		r1[i] = fp_flow_engine_packet(e1, &pkts[i]);
	for (int i = 0; i < N; i += B)
		fp_flow_engine_packets(e2, pkts + i, N - i < B ? (size_t)(N - i) : B, r2 + i);
	fp_flow_engine_flush(e1);
	fp_flow_engine_flush(e2);
	CHECK(s1.total > 1000);
	CHECK_EQ_INT(s1.total, s2.total);
	CHECK(s1.digest == s2.digest);
	CHECK(memcmp(r1, r2, N * sizeof(*r1)) == 0);
	for (int i = 0; i < N; i++)
		unmatched += r1[i] == FP_SKIP_FRAGMENT_UNMATCHED;
	CHECK(unmatched > 0);
	CHECK_EQ_INT(unmatched, fp_flow_engine_stats(e2)->fragments_unmatched);
	CHECK(memcmp(fp_flow_engine_stats(e1), fp_flow_engine_stats(e2), sizeof(struct fp_flow_stats)) == 0);
	fp_flow_engine_packets(e2, pkts, 0, NULL);	/* nothing: fine */
	fp_flow_engine_free(e1);
	fp_flow_engine_free(e2);
	free(pkts);
	free(r1);
	free(r2);
}

static void test_two_engines(void)
{
	struct fp_flow_config c1, c2;
	struct sink s1, s2;
	struct fp_flow_engine *e1, *e2;

	fp_flow_config_defaults(&c1);
	fp_flow_config_defaults(&c2);
	c2.idle_timeout_ns = 5 * SEC;
	c2.byte_mode = FP_BYTES_FRAME;
	e1 = engine(&c1, &s1);
	e2 = engine(&c2, &s2);
	for (int i = 0; i < 10; i++) {
		feed(e1, udp(i * 10 * SEC, "10.0.0.1", 1, "10.0.0.2", 2));
		feed(e2, udp(i * 10 * SEC, "10.0.0.1", 1, "10.0.0.2", 2));
	}
	CHECK_EQ_INT(s1.total, 0);
	CHECK_EQ_INT(s2.total, 9);
	CHECK_EQ_INT(fp_flow_engine_stats(e1)->flows_created, 1);
	CHECK_EQ_INT(fp_flow_engine_stats(e2)->flows_created, 10);
	fp_flow_engine_free(e2);	/* freeing one leaves the other whole */
	feed(e1, udp(100 * SEC, "10.0.0.2", 2, "10.0.0.1", 1));
	fp_flow_engine_flush(e1);
	CHECK_EQ_INT(s1.n, 1);
	CHECK_EQ_INT(s1.r[0].f.pkts[FP_DIR_FWD], 10);
	CHECK_EQ_INT(s1.r[0].f.pkts[FP_DIR_BWD], 1);
	CHECK_EQ_INT(s1.r[0].f.bytes[FP_DIR_FWD], 1000);
	fp_flow_engine_free(e1);
}

struct hook_state {
	uint64_t calls;
};

static void count_hook(void *ctx, struct fp_flow *f, const struct fp_packet *p, enum fp_flow_dir dir)
{
	uint64_t *per_flow = fp_flow_extra(f);

	((struct hook_state *)ctx)->calls++;
	per_flow[dir]++;
	per_flow[2] += p->ip_len;
}

static uint64_t hook_mismatch;

static void check_extra(void *ctx, struct fp_flow *f, enum fp_flow_end why)
{
	const uint64_t *per_flow = fp_flow_extra(f);

	if (per_flow[0] != f->pkts[0] || per_flow[1] != f->pkts[1] || per_flow[2] != f->bytes[0] + f->bytes[1])
		hook_mismatch++;
	collect(ctx, f, why);
}

static void test_packet_hook_and_extra_state(void)
{
	struct fp_flow_config cfg;
	struct fp_error err;
	struct sink s;
	struct hook_state h = { 0 };
	struct fp_flow_engine *e;
	uint64_t seed = 7;
	int64_t t = 0;

	fp_flow_config_defaults(&cfg);
	cfg.extra_state_bytes = 3 * sizeof(uint64_t);
	cfg.idle_timeout_ns = 20 * SEC;
	memset(&s, 0, sizeof(s));
	hook_mismatch = 0;
	e = fp_flow_engine_new(&cfg, check_extra, &s, &err);
	CHECK(e != NULL);
	fp_flow_engine_set_hooks(e, &(struct fp_flow_hooks){ count_hook, count_hook, &h });
	for (int i = 0; i < 5000; i++) {
		struct fp_packet p = random_packet(&seed, &t);

		(void)fp_flow_engine_packet(e, &p);
	}
	fp_flow_engine_flush(e);
	CHECK(s.total > 100);
	CHECK_EQ_INT(hook_mismatch, 0);
	CHECK_EQ_INT(h.calls, fp_flow_engine_stats(e)->packets);
	fp_flow_engine_free(e);
}

/* ------------------------------------------ flush against flush_each */

/* An ordered digest of records (what they say, reasons, extra state). */
struct flush_sink {
	uint64_t digest, n;
	uint64_t ended[FP_END__COUNT];
	bool extra_ok;
};

static void flush_record(void *ctx, struct fp_flow *f, enum fp_flow_end why)
{
	struct flush_sink *s = ctx;
	const uint64_t *per_flow = fp_flow_extra(f);

	s->digest = (s->digest ^ record_hash(f, why)) * 0x100000001b3ULL;
	s->digest = (s->digest ^ per_flow[0] ^ (per_flow[2] << 20)) * 0x100000001b3ULL;
	if (per_flow[0] + per_flow[1] != f->pkts[0] + f->pkts[1])
		s->extra_ok = false;
	s->n++;
	s->ended[why]++;
}

/* One packet of a churning crowd of `crowd` flows: mostly UDP, a third TCP
 * with handshakes, FINs and RSTs (so some flows close and linger), both
 * directions, ~1 ms apart, now and then 3 s out of order. */
static struct fp_packet crowd_packet(uint64_t *rng, int64_t *t, uint32_t crowd)
{
	uint64_t r = rng_next(rng);
	uint32_t id = (uint32_t)(r % crowd);
	bool rev = (r >> 40) & 1;
	struct fp_packet p;
	static const uint8_t tcp_flags[8] = { FP_TCP_SYN, FP_TCP_SYN | FP_TCP_ACK, FP_TCP_ACK, FP_TCP_ACK,
					      FP_TCP_ACK, FP_TCP_FIN | FP_TCP_ACK, FP_TCP_FIN, FP_TCP_RST };

	*t += (int64_t)(rng_next(rng) % 2000000);
	memset(&p, 0, sizeof(p));
	p.ts_ns = ((r >> 50) & 63) == 0 ? *t - 3 * SEC : *t;
	p.ip_version = 4;
	p.proto = id % 3 == 0 ? FP_PROTO_TCP : FP_PROTO_UDP;
	p.src_addr[0] = 10;
	memcpy(p.src_addr + 1, &id, 3);
	p.dst_addr[0] = 172;
	p.dst_addr[3] = (uint8_t)(id % 5);
	p.src_port = (uint16_t)(1024 + id % 50000);
	p.dst_port = p.proto == FP_PROTO_TCP ? 443 : 53;
	if (rev) {
		uint8_t a[16];
		uint16_t port = p.src_port;

		memcpy(a, p.src_addr, 16);
		memcpy(p.src_addr, p.dst_addr, 16);
		memcpy(p.dst_addr, a, 16);
		p.src_port = p.dst_port;
		p.dst_port = port;
	}
	p.tcp_flags = p.proto == FP_PROTO_TCP ? tcp_flags[(r >> 44) % 8] : 0;
	p.ip_len = 60 + (uint32_t)((r >> 20) % 1400);
	p.ip_hdr_len = 20;
	p.l4_hdr_len = p.proto == FP_PROTO_TCP ? 20 : 8;
	p.payload_len = p.ip_len - 20 - p.l4_hdr_len;
	p.wire_len = p.ip_len + 14;
	p.has_transport = true;
	return p;
}

/* The fast flush (export along the creation list, then clear the table at
 * once) against ending each flow the ordinary way, after heavy churn with
 * tens of thousands of live flows over several chunks: same records in the
 * same order with the same reasons (flush, tcp-close for closed flows, and
 * idle/active for flows already due, left by an advance in a slice of
 * one), same statistics, same memory; and both engines go on alike. */
static void test_flush_matches_flush_each(void)
{
	enum { ROUNDS = 3, PER_ROUND = 150000, CROWD = 200000 };
	struct fp_flow_config cfg;
	struct fp_error err;
	struct flush_sink sa, sb;
	struct hook_state ha = { 0 }, hb = { 0 };
	struct fp_flow_engine *a, *b;
	uint64_t seed = 2024;
	int64_t t = 0;
	uint64_t flushed_reasons[FP_END__COUNT] = { 0 };

	fp_flow_config_defaults(&cfg);
	cfg.idle_timeout_ns = 40 * SEC;
	cfg.active_timeout_ns = 100 * SEC;
	cfg.tcp_close = true;
	cfg.extra_state_bytes = 200;	/* stride 320: prefetch covers part of it */
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	sa.extra_ok = sb.extra_ok = true;
	a = fp_flow_engine_new(&cfg, flush_record, &sa, &err);
	b = fp_flow_engine_new(&cfg, flush_record, &sb, &err);
	CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		return;
	fp_flow_engine_set_hooks(a, &(struct fp_flow_hooks){ count_hook, count_hook, &ha });
	fp_flow_engine_set_hooks(b, &(struct fp_flow_hooks){ count_hook, count_hook, &hb });
	for (int round = 0; round < ROUNDS; round++) {
		uint64_t before, live;

		for (int i = 0; i < PER_ROUND; i++) {
			struct fp_packet p = crowd_packet(&seed, &t, CROWD);

			(void)fp_flow_engine_packet(a, &p);
			(void)fp_flow_engine_packet(b, &p);
		}
		CHECK(fp_flow_engine_stats(a)->active_flows > FP_FLOW_CHUNK_ENTRIES);
		/* Rounds 1 and 2: the clock jumps on but only one flow is ended,
		 * so flush finds flows already due. */
		if (round > 0) {
			t += round * 30 * SEC;
			(void)fp_flow_engine_advance(a, t, 1);
			(void)fp_flow_engine_advance(b, t, 1);
		}
		live = fp_flow_engine_stats(a)->active_flows;
		before = sa.n;
		for (int w = 0; w < FP_END__COUNT; w++)
			flushed_reasons[w] -= sa.ended[w];
		fp_flow_engine_flush(a);
		fp_flow_engine_flush_each(b);
		for (int w = 0; w < FP_END__COUNT; w++)
			flushed_reasons[w] += sa.ended[w];
		fprintf(stderr, "  round %d: %llu live flows flushed\n", round, (unsigned long long)(sa.n - before));
		CHECK_EQ_INT(sa.n - before, live);
		CHECK_EQ_INT(sa.n, sb.n);
		CHECK(sa.digest == sb.digest);
		CHECK(memcmp(fp_flow_engine_stats(a), fp_flow_engine_stats(b), sizeof(struct fp_flow_stats)) == 0);
		CHECK_EQ_INT(fp_flow_engine_stats(a)->active_flows, 0);
		CHECK_EQ_INT(fp_flow_engine_memory(a), fp_flow_engine_memory(b));
		t += SEC;
	}
	fprintf(stderr, "  flushed: flush %llu, tcp-close %llu, idle %llu, active %llu\n",
		(unsigned long long)flushed_reasons[FP_END_FLUSH], (unsigned long long)flushed_reasons[FP_END_TCP_CLOSE],
		(unsigned long long)flushed_reasons[FP_END_IDLE], (unsigned long long)flushed_reasons[FP_END_ACTIVE]);
	CHECK(flushed_reasons[FP_END_FLUSH] > 0);
	CHECK(flushed_reasons[FP_END_TCP_CLOSE] > 0);
	CHECK(flushed_reasons[FP_END_IDLE] > 0);
	CHECK(flushed_reasons[FP_END_ACTIVE] > 0);
	CHECK(sa.extra_ok && sb.extra_ok);
	CHECK_EQ_INT(ha.calls, hb.calls);
	fp_flow_engine_free(a);
	fp_flow_engine_free(b);
}

int main(void)
{
	RUN(test_determinism);
	RUN(test_expiry_timing_independent);
	RUN(test_batch_equals_single);
	RUN(test_two_engines);
	RUN(test_packet_hook_and_extra_state);
	RUN(test_flush_matches_flush_each);
	return TEST_RESULT();
}
