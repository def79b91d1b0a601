/*
 * test-flow-packets.h - what the flow engine tests share: packets built as
 * struct fp_packet (no pcap, no decoder), an export sink that keeps the
 * records, and a seeded random packet stream.
 */
#ifndef FP_TESTS_TEST_FLOW_PACKETS_H
#define FP_TESTS_TEST_FLOW_PACKETS_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow-engine.h"
#include "test.h"

#define SEC 1000000000LL

struct rec {
	struct fp_flow f;
	enum fp_flow_end why;
};

struct sink {
	struct rec r[512];
	size_t n;			/* records kept */
	size_t total;			/* all exports */
	uint64_t digest;		/* rolling hash of every export */
};

static inline void collect(void *ctx, struct fp_flow *f, enum fp_flow_end why)
{
	struct sink *s = ctx;
	struct fp_flow copy = *f;
	uint64_t w[14];

	/* The index tag comes from the engine's hash seed (random unless
	 * fixed), not from the flow: what the flow is must not depend on it. */
	copy.hash = 0;
	memcpy(w, &copy, sizeof(w));
	for (int i = 0; i < 14; i++)
		s->digest = (s->digest ^ w[i]) * 0x100000001b3ULL;
	s->digest = (s->digest ^ (uint64_t)why) * 0x100000001b3ULL;
	if (s->n < sizeof(s->r) / sizeof(s->r[0])) {
		s->r[s->n].f = *f;
		s->r[s->n].why = why;
		s->n++;
	}
	s->total++;
}

static inline void addr(uint8_t out[16], const char *text)
{
	memset(out, 0, 16);
	if (strchr(text, ':') != NULL)
		CHECK(inet_pton(AF_INET6, text, out) == 1);
	else
		CHECK(inet_pton(AF_INET, text, out) == 1);
}

/* A packet with transport header; ip_len is the IP datagram length. */
static inline struct fp_packet pkt(int64_t ts, const char *src, uint16_t sport, const char *dst,
				   uint16_t dport, uint8_t proto, uint8_t flags, uint32_t ip_len)
{
	struct fp_packet p;

	memset(&p, 0, sizeof(p));
	p.ts_ns = ts;
	p.ip_version = strchr(src, ':') ? 6 : 4;
	p.proto = proto;
	addr(p.src_addr, src);
	addr(p.dst_addr, dst);
	p.src_port = sport;
	p.dst_port = dport;
	p.ip_len = ip_len;
	p.ip_hdr_len = p.ip_version == 6 ? 40 : 20;
	p.l4_hdr_len = proto == FP_PROTO_TCP ? 20 : 8;
	p.payload_len = ip_len > (uint32_t)p.ip_hdr_len + p.l4_hdr_len ? ip_len - p.ip_hdr_len - p.l4_hdr_len : 0;
	p.wire_len = ip_len + 14;
	p.cap_len = p.wire_len;
	p.tcp_flags = flags;
	p.has_transport = true;
	return p;
}

static inline struct fp_packet tcp(int64_t ts, const char *src, uint16_t sport, const char *dst,
				   uint16_t dport, uint8_t flags)
{
	return pkt(ts, src, sport, dst, dport, FP_PROTO_TCP, flags, 40);
}

static inline struct fp_packet udp(int64_t ts, const char *src, uint16_t sport, const char *dst,
				   uint16_t dport)
{
	return pkt(ts, src, sport, dst, dport, FP_PROTO_UDP, 0, 100);
}

static inline struct fp_flow_engine *engine(const struct fp_flow_config *cfg, struct sink *s)
{
	struct fp_error err = { "" };
	struct fp_flow_engine *e;

	memset(s, 0, sizeof(*s));
	e = fp_flow_engine_new(cfg, collect, s, &err);
	if (e == NULL) {
		fprintf(stderr, "engine: %s\n", err.msg);
		exit(1);
	}
	return e;
}

static inline bool src_is(const struct fp_flow *f, const char *text)
{
	uint8_t a[16];

	addr(a, text);
	return memcmp(fp_flow_src_addr(f), a, 16) == 0;
}

static inline bool dst_is(const struct fp_flow *f, const char *text)
{
	uint8_t a[16];

	addr(a, text);
	return memcmp(fp_flow_dst_addr(f), a, 16) == 0;
}

static inline void feed(struct fp_flow_engine *e, struct fp_packet p)
{
	CHECK_EQ_INT(fp_flow_engine_packet(e, &p), FP_DECODE_OK);
}

static inline struct fp_packet icmp(int64_t ts, const char *src, const char *dst, uint8_t proto,
				    uint8_t type, uint8_t code)
{
	return pkt(ts, src, type, dst, code, proto, 0, 84);
}

/* A later fragment: no transport header, no ports. */
static inline struct fp_packet frag_later(int64_t ts, const char *src, const char *dst, uint8_t proto,
					  uint32_t id, uint16_t offset, uint32_t ip_len)
{
	struct fp_packet p = pkt(ts, src, 0, dst, 0, proto, 0, ip_len);

	p.has_transport = false;
	p.is_fragment = true;
	p.frag_id = id;
	p.frag_offset = offset;
	p.l4_hdr_len = 0;
	p.payload_len = ip_len - p.ip_hdr_len;
	return p;
}

static inline struct fp_packet frag_first(int64_t ts, const char *src, uint16_t sport, const char *dst,
					  uint16_t dport, uint32_t id, uint32_t ip_len)
{
	struct fp_packet p = pkt(ts, src, sport, dst, dport, FP_PROTO_UDP, 0, ip_len);

	p.is_fragment = true;
	p.frag_id = id;
	return p;
}

static inline uint64_t rng_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A mixed random stream: TCP with flags, UDP, ICMP, fragments, out of
 * order packets, gaps that cross the timeouts. */
static inline struct fp_packet random_packet(uint64_t *rng, int64_t *t)
{
	char a[32], b[32];
	uint64_t r = rng_next(rng);
	/* Half the packets go to 10 busy flows (which live long enough for the
	 * active timeout), half to 290 others (idle expiry, eviction). */
	int fl = (r & 1) ? (int)((r >> 1) % 10) : 10 + (int)((r >> 1) % 290);
	bool rev = (r >> 40) & 1;
	struct fp_packet p;

	*t += (int64_t)(rng_next(rng) % (SEC / 5));
	if (((r >> 53) & 2047) == 0)
		*t += 100 * SEC;	/* a quiet spell: everything goes idle */
	snprintf(a, sizeof(a), "10.0.%d.%d", fl / 100, fl % 100);
	snprintf(b, sizeof(b), "10.1.0.%d", fl % 7);
	switch (fl % 4) {
	case 0:
		p = tcp(*t, rev ? b : a, rev ? 80 : 1024 + fl, rev ? a : b, rev ? 1024 + fl : 80,
			(uint8_t)(rng_next(rng) & 0x17));
		break;
	case 1:
		p = icmp(*t, rev ? b : a, rev ? a : b, FP_PROTO_ICMP, rev ? 0 : 8, 0);
		break;
	case 2:
		p = frag_first(*t, rev ? b : a, 53, rev ? a : b, 53, (uint32_t)fl, 1500);
		if ((r >> 41) & 1)
			p = frag_later(*t, rev ? b : a, rev ? a : b, FP_PROTO_UDP, (uint32_t)fl, 1480, 300);
		break;
	default:
		p = udp(*t, rev ? b : a, 5353, rev ? a : b, 5353);
		break;
	}
	if (((r >> 50) & 31) == 0)
		p.ts_ns -= 3 * SEC;	/* out of order */
	return p;
}

#endif
