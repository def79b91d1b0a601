/*
 * flow-table-bench - how fast the flow engine takes packets when many flows
 * are alive at once, and what each live flow costs in memory.
 *
 *   flow-table-bench [--flows M] [--packets N] [--duration S] [--seed X] [--batch B]
 *
 * Feeds N synthetic packets over M concurrent flows (defaults: 1,000,000 x
 * 3,000,000 over 30 s, all alive with the 60 s idle timeout, like the
 * "many" capture of PERFORMANCE.md): the first M packets open every flow,
 * the rest go to flows chosen at random, in either direction. Packets are
 * built on the fly (no capture, no decoder); the time of building them
 * alone is measured and printed too, so the engine's share is visible.
 * --batch B (default 32) hands the engine B packets at a time through
 * fp_flow_engine_packets(); --batch 1 calls fp_flow_engine_packet() for each.
 * Prints one line of key=value pairs. Not run by make check.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "flow/flow-engine.h"

struct gen {
	uint64_t rng;
	uint64_t flows, packets, sent;
	int64_t duration_ns;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Packet number g->sent: flow `id`, client 10.a.b.c:port -> 172.16.x.y:443. */
static void next_packet(struct gen *g, struct fp_packet *p)
{
	uint64_t r = rng_next(&g->rng);
	uint64_t id = g->sent < g->flows ? g->sent : r % g->flows;
	int reverse = g->sent >= g->flows && ((r >> 62) & 1);
	uint8_t *client = reverse ? p->dst_addr : p->src_addr, *server = reverse ? p->src_addr : p->dst_addr;
	uint16_t cport = (uint16_t)(1024 + (id & 0x3fff)), sport = 443;

	p->ts_ns = (int64_t)((double)g->duration_ns * (double)g->sent / (double)g->packets);
	memset(p->src_addr, 0, 16);
	memset(p->dst_addr, 0, 16);
	client[0] = 10;
	client[1] = (uint8_t)(id >> 22);
	client[2] = (uint8_t)(id >> 14);
	client[3] = (uint8_t)(id >> 6);
	server[0] = 172;
	server[1] = 16;
	server[2] = (uint8_t)(id & 63);
	server[3] = 1;
	p->src_port = reverse ? sport : cport;
	p->dst_port = reverse ? cport : sport;
	p->tcp_flags = g->sent < g->flows ? FP_TCP_SYN : FP_TCP_ACK;
	p->ip_len = 40 + (uint32_t)(r >> 54);
	p->payload_len = p->ip_len - 40;
	p->wire_len = p->ip_len + 14;
	g->sent++;
}

/* CPU seconds (user + system) used so far: on a shared machine, wall time
 * also counts other processes. */
static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec / 1e6;
}

static void count_export(void *ctx, struct fp_flow *f, enum fp_flow_end why)
{
	uint64_t *pkts = ctx;

	(void)why;
	*pkts += f->pkts[0] + f->pkts[1];
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--flows M] [--packets N] [--duration SECONDS] [--seed X] [--batch B]\n", argv0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "flows", required_argument, NULL, 'f' },
		{ "packets", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gen g = { .rng = 4, .flows = 1000000, .packets = 3000000, .duration_ns = 30000000000LL };
	struct fp_flow_config cfg;
	struct fp_error err;
	struct fp_flow_engine *e;
	struct fp_packet p, *batch;
	size_t batch_size = 32;
	struct rusage ru;
	uint64_t exported = 0, seed;
	volatile uint64_t sink = 0;	/* keeps the generate-only loop from being optimized away */
	double t0, c0, c_gen, t_engine, c_engine, t_flush;
	size_t mem, live;
	int opt;

	while ((opt = getopt_long(argc, argv, "f:n:d:s:b:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': g.flows = strtoull(optarg, NULL, 10); break;
		case 'n': g.packets = strtoull(optarg, NULL, 10); break;
		case 'd': g.duration_ns = (int64_t)(strtod(optarg, NULL) * 1e9); break;
		case 's': g.rng = strtoull(optarg, NULL, 10) | 1; break;
		case 'b': batch_size = strtoull(optarg, NULL, 10); break;
		case 'h': usage(argv[0]); return 0;
		default: usage(argv[0]); return 1;
		}
	}
	if (g.flows == 0 || g.packets < g.flows || batch_size == 0 || batch_size > 4096) {
		fprintf(stderr, "%s: need 0 < flows <= packets and 0 < batch <= 4096\n", argv[0]);
		return 1;
	}
	batch = calloc(batch_size, sizeof(*batch));
	if (batch == NULL)
		return 1;
	seed = g.rng;
	memset(&p, 0, sizeof(p));
	p.ip_version = 4;
	p.proto = FP_PROTO_TCP;
	p.has_transport = true;
	p.ip_hdr_len = 20;
	p.l4_hdr_len = 20;

	/* Building the packets alone. */
	c0 = cpu_seconds();
	for (uint64_t i = 0; i < g.packets; i++) {
		next_packet(&g, &p);
		sink += p.src_addr[3] ^ p.ip_len;
	}
	c_gen = cpu_seconds() - c0;

	fp_flow_config_defaults(&cfg);
	e = fp_flow_engine_new(&cfg, count_export, &exported, &err);
	if (e == NULL) {
		fprintf(stderr, "%s: %s\n", argv[0], err.msg);
		return 1;
	}
	g.rng = seed;
	g.sent = 0;
	t0 = now();
	c0 = cpu_seconds();
	if (batch_size == 1) {
		for (uint64_t i = 0; i < g.packets; i++) {
			next_packet(&g, &p);
			fp_flow_engine_packet(e, &p);
		}
	} else {
		for (uint64_t i = 0; i < g.packets; i += batch_size) {
			size_t m = g.packets - i < batch_size ? g.packets - i : batch_size;

			for (size_t j = 0; j < m; j++) {
				batch[j] = p;
				next_packet(&g, &batch[j]);
			}
			fp_flow_engine_packets(e, batch, m, NULL);
		}
	}
	t_engine = now() - t0;
	c_engine = cpu_seconds() - c0;
	mem = fp_flow_engine_memory(e);
	live = fp_flow_engine_stats(e)->active_flows;
	t0 = now();
	fp_flow_engine_flush(e);
	t_flush = now() - t0;
	getrusage(RUSAGE_SELF, &ru);

	printf("batch=%zu packets=%llu flows=%llu live_flows=%zu wall_seconds=%.3f cpu_seconds=%.3f "
	       "generate_cpu_seconds=%.3f engine_cpu_pps=%.0f flush_seconds=%.3f engine_bytes=%zu "
	       "bytes_per_live_flow=%.1f max_rss_kb=%ld exported_packets=%llu\n",
	       batch_size, (unsigned long long)g.packets, (unsigned long long)g.flows, live, t_engine, c_engine,
	       c_gen, (double)g.packets / (c_engine - c_gen > 0 ? c_engine - c_gen : c_engine), t_flush, mem,
	       live ? (double)mem / (double)live : 0.0, ru.ru_maxrss, (unsigned long long)exported);
	fp_flow_engine_free(e);
	free(batch);
	return exported == g.packets ? 0 : 1;
}
