/*
 * test-flow-table.c - the key builder, the entry pool and the hash index:
 * direction normalization, growth to a million flows and back, and
 * randomized insert/delete under heavy collisions against a plain array
 * as the reference model, clearing at once against deleting one by one
 * (fixed seeds, bounded loops).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow-engine.h"
#include "flow/flow-key.h"
#include "flow/flow-table.h"
#include "lib/hash.h"
#include "lib/prefault.h"
#include "test.h"

#define SEC 1000000000LL

static uint64_t rng_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static struct fp_flow_key key_of(uint32_t id)
{
	struct fp_flow_key k;

	memset(&k, 0, sizeof(k));
	k.lo_addr[0] = 10;
	memcpy(k.lo_addr + 1, &id, 3);
	k.hi_addr[0] = 192;
	k.hi_addr[1] = (uint8_t)(id >> 24);
	k.lo_port = 1000;
	k.hi_port = 80;
	k.proto = FP_PROTO_TCP;
	k.ip_version = 4;
	return k;
}

/* Every entry the index holds is reachable from its home slot without an
 * empty slot in between, and the index holds exactly `live` entries. */
static bool index_sound(const struct fp_flow_table *t)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i <= t->mask; i++) {
		uint64_t s = t->slots[i];
		uint32_t pos;

		if ((uint32_t)s == 0)
			continue;
		n++;
		if (fp_flow_table_get(t, (uint32_t)s - 1)->hash != (uint32_t)(s >> 32))
			return false;
		for (pos = (uint32_t)(s >> 32) & t->mask; pos != i; pos = (pos + 1) & t->mask)
			if ((uint32_t)t->slots[pos] == 0)
				return false;
	}
	return n == t->live;
}

/* ------------------------------------------------------------- keys */

static struct fp_packet packet(const uint8_t *src, uint16_t sport, const uint8_t *dst, uint16_t dport,
			       uint8_t proto)
{
	struct fp_packet p;

	memset(&p, 0, sizeof(p));
	p.ip_version = 4;
	p.proto = proto;
	memcpy(p.src_addr, src, 4);
	memcpy(p.dst_addr, dst, 4);
	p.src_port = sport;
	p.dst_port = dport;
	p.has_transport = true;
	return p;
}

static void test_key_normalization(void)
{
	static const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
	struct fp_flow_key k1, k2;
	struct fp_flow_key_side s1, s2;
	struct fp_packet p;

	/* Both directions, one key; the sender sides differ. */
	p = packet(b, 80, a, 5000, FP_PROTO_TCP);
	fp_flow_key_from_packet(&p, false, &k1, &s1);
	p = packet(a, 5000, b, 80, FP_PROTO_TCP);
	fp_flow_key_from_packet(&p, false, &k2, &s2);
	CHECK(fp_flow_key_equal(&k1, &k2));
	CHECK(fp_flow_key_hash(&k1, 0) == fp_flow_key_hash(&k2, 0));
	CHECK(s1.sender_is_hi && !s2.sender_is_hi);
	CHECK(memcmp(k1.lo_addr, a, 4) == 0);
	CHECK_EQ_INT(k1.lo_port, 5000);
	CHECK_EQ_INT(k1.hi_port, 80);

	/* Same address both ends: the port decides. */
	p = packet(a, 9, a, 7, FP_PROTO_UDP);
	fp_flow_key_from_packet(&p, false, &k1, &s1);
	p = packet(a, 7, a, 9, FP_PROTO_UDP);
	fp_flow_key_from_packet(&p, false, &k2, &s2);
	CHECK(fp_flow_key_equal(&k1, &k2));
	CHECK(s1.sender_is_hi && !s2.sender_is_hi);

	/* SYN+ACK opens reversed; SYN and ACK alone do not. */
	p = packet(a, 1, b, 2, FP_PROTO_TCP);
	p.tcp_flags = FP_TCP_SYN | FP_TCP_ACK | FP_TCP_ECE;
	fp_flow_key_from_packet(&p, false, &k1, &s1);
	CHECK(s1.opens_reversed);
	p.tcp_flags = FP_TCP_SYN;
	fp_flow_key_from_packet(&p, false, &k1, &s1);
	CHECK(!s1.opens_reversed);

	/* ICMP: a timestamp reply keys like its request; code kept. */
	p = packet(a, 13, b, 0, FP_PROTO_ICMP);
	fp_flow_key_from_packet(&p, false, &k1, &s1);
	p = packet(b, 14, a, 0, FP_PROTO_ICMP);
	fp_flow_key_from_packet(&p, false, &k2, &s2);
	CHECK(fp_flow_key_equal(&k1, &k2));
	CHECK_EQ_INT(k2.lo_port, 13);
	CHECK(!s1.opens_reversed && s2.opens_reversed);
	CHECK(!s1.sender_is_hi && s2.sender_is_hi);
	/* Equal addresses: the reply is the hi side. */
	p = packet(a, 8, a, 0, FP_PROTO_ICMP);
	fp_flow_key_from_packet(&p, false, &k1, &s1);
	p = packet(a, 0, a, 0, FP_PROTO_ICMP);
	fp_flow_key_from_packet(&p, false, &k2, &s2);
	CHECK(fp_flow_key_equal(&k1, &k2));
	CHECK(!s1.sender_is_hi && s2.sender_is_hi);
	CHECK_EQ_INT(fp_flow_icmp_request_of(FP_PROTO_ICMP, 0), 8);
	CHECK_EQ_INT(fp_flow_icmp_request_of(FP_PROTO_ICMP, 16), 15);
	CHECK_EQ_INT(fp_flow_icmp_request_of(FP_PROTO_ICMP, 18), 17);
	CHECK_EQ_INT(fp_flow_icmp_request_of(FP_PROTO_ICMP, 8), -1);
	CHECK_EQ_INT(fp_flow_icmp_request_of(FP_PROTO_ICMPV6, 129), 128);
	CHECK_EQ_INT(fp_flow_icmp_request_of(FP_PROTO_ICMPV6, 140), 139);
	CHECK_EQ_INT(fp_flow_icmp_request_of(FP_PROTO_ICMPV6, 0), -1);
	CHECK_EQ_INT(fp_flow_icmp_request_of(FP_PROTO_UDP, 0), -1);

	/* VLAN in the key only when asked. */
	p = packet(a, 1, b, 2, FP_PROTO_UDP);
	p.vlan_id = 42;
	fp_flow_key_from_packet(&p, false, &k1, &s1);
	CHECK_EQ_INT(k1.vlan_id, 0);
	fp_flow_key_from_packet(&p, true, &k1, &s1);
	CHECK_EQ_INT(k1.vlan_id, 42);
}

/* --------------------------------------------------- growth and shrink */

/* A million flows in, found, scattered out; with `pf`, fresh chunks are
 * faulted in by the helper while the table writes them (lib/prefault.h):
 * nothing may change. */
static void table_million(struct fp_prefault *pf)
{
	const uint32_t n = 1000000;
	struct fp_error err;
	struct fp_flow_table *t = fp_flow_table_new(0, &err);
	size_t empty_mem, peak_mem;
	uint32_t *idx = malloc(n * sizeof(*idx));
	bool all_found = true, gone = true;

	CHECK(t != NULL && idx != NULL);
	if (t == NULL || idx == NULL)
		return;
	fp_flow_table_set_prefault(t, pf);
	empty_mem = fp_flow_table_memory(t);
	for (uint32_t i = 0; i < n; i++) {
		struct fp_flow_key k = key_of(i);

		idx[i] = fp_flow_table_add(t, &k, fp_flow_table_tag(fp_flow_key_hash(&k, 0)));
		if (idx[i] == FP_FLOW_NONE)
			all_found = false;
	}
	CHECK_EQ_INT(fp_flow_table_live(t), n);
	/* The index doubled many times: every flow is still found. */
	for (uint32_t i = 0; i < n; i++) {
		struct fp_flow_key k = key_of(i);

		if (fp_flow_table_find(t, &k, fp_flow_table_tag(fp_flow_key_hash(&k, 0))) != idx[i])
			all_found = false;
	}
	CHECK(all_found);
	CHECK(index_sound(t));
	peak_mem = fp_flow_table_memory(t);
	fprintf(stderr, "  1M flows: %zu bytes, %.1f bytes/flow, index %u slots\n", peak_mem,
		(double)peak_mem / n, t->mask + 1);
	CHECK(peak_mem / n < 160);
	CHECK(t->mask + 1 == (1u << 21));

	/* Delete in a scattered order (7919 is prime to n): memory returns. */
	for (uint64_t j = 0; j < n; j++) {
		uint32_t i = (uint32_t)((j * 7919) % n);

		fp_flow_table_del(t, idx[i]);
		if (j == n / 2) {
			CHECK(index_sound(t));
			CHECK(fp_flow_table_memory(t) <= peak_mem);
		}
	}
	CHECK_EQ_INT(fp_flow_table_live(t), 0);
	for (uint32_t i = 0; i < n; i += 997) {
		struct fp_flow_key k = key_of(i);

		if (fp_flow_table_find(t, &k, fp_flow_table_tag(fp_flow_key_hash(&k, 0))) != FP_FLOW_NONE)
			gone = false;
	}
	CHECK(gone);
	CHECK_EQ_INT(t->mask + 1, 1024);
	CHECK(t->chunks_held <= 1);
	fprintf(stderr, "  after deleting all: %zu bytes (empty table %zu)\n", fp_flow_table_memory(t), empty_mem);
	CHECK(fp_flow_table_memory(t) <= empty_mem + FP_FLOW_CHUNK_ENTRIES * t->stride + 16384);
	fp_flow_table_free(t);
	free(idx);
}

static void test_table_million(void)
{
	table_million(NULL);
}

static void test_table_million_prefaulted(void)
{
	struct fp_prefault *pf = fp_prefault_start();

	CHECK(pf != NULL);
	table_million(pf);
	fp_prefault_free(pf);
}

static void count_export(void *ctx, struct fp_flow *f, enum fp_flow_end why)
{
	uint64_t *n = ctx;

	n[why]++;
	n[FP_END__COUNT] += f->pkts[0] + f->pkts[1];
}

static void test_engine_million_expire(void)
{
	const uint32_t n = 1000000;
	struct fp_flow_config cfg;
	struct fp_error err;
	uint64_t ended[FP_END__COUNT + 1] = { 0 };
	struct fp_flow_engine *e;
	size_t empty_mem, peak_mem;
	struct fp_packet p;

	fp_flow_config_defaults(&cfg);
	e = fp_flow_engine_new(&cfg, count_export, ended, &err);
	CHECK(e != NULL);
	if (e == NULL)
		return;
	empty_mem = fp_flow_engine_memory(e);
	memset(&p, 0, sizeof(p));
	p.ip_version = 4;
	p.proto = FP_PROTO_UDP;
	p.has_transport = true;
	p.ip_len = 100;
	p.src_addr[0] = 10;
	p.dst_addr[0] = 172;
	p.dst_port = 53;
	/* Two passes over 1M flows within 20 s: every flow stays alive. */
	for (uint32_t pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < n; i++) {
			p.ts_ns = (int64_t)(pass * n + i) * 10000;
			memcpy(p.src_addr + 1, &i, 3);
			p.src_port = (uint16_t)(1024 + (i >> 24));
			fp_flow_engine_packet(e, &p);
		}
	}
	CHECK_EQ_INT(fp_flow_engine_stats(e)->active_flows, n);
	CHECK_EQ_INT(fp_flow_engine_stats(e)->flows_created, n);
	peak_mem = fp_flow_engine_memory(e);
	fprintf(stderr, "  engine, 1M live flows: %.1f bytes/flow\n", (double)peak_mem / n);
	CHECK(peak_mem / n < 256);
	/* The oldest last packet is at 10 s: nothing is due at 70 s, one flow
	 * at 70 s + 1 ns; then all end (idle), in slices as an event loop would. */
	CHECK_EQ_INT(fp_flow_engine_advance(e, 70 * SEC, 0), 0);
	CHECK_EQ_INT(fp_flow_engine_advance(e, 70 * SEC + 1, 0), 1);
	for (int64_t t = 20 * SEC; t <= 81 * SEC; t += SEC / 4)
		while (fp_flow_engine_advance(e, t, 50000) == 50000)
			;
	CHECK_EQ_INT(ended[FP_END_IDLE], n);
	CHECK_EQ_INT(ended[FP_END__COUNT], 2 * (uint64_t)n);
	CHECK_EQ_INT(fp_flow_engine_stats(e)->active_flows, 0);
	fprintf(stderr, "  engine, after expiry: %zu bytes (empty %zu)\n", fp_flow_engine_memory(e), empty_mem);
	/* What is left: the empty table plus the one spare chunk it keeps. */
	CHECK(fp_flow_engine_memory(e) < empty_mem + (size_t)FP_FLOW_CHUNK_ENTRIES * 128 + 64 * 1024);
	fp_flow_engine_free(e);
}

/* ------------------------------------------- collisions vs a reference */

/* Random insert/delete of keys whose tags are built to collide: `tag_of`
 * gives many keys the same home slot (and often the same tag). */
static void churn(uint32_t n_keys, uint32_t (*tag_of)(uint32_t), uint64_t seed, int ops, const char *what)
{
	struct fp_error err;
	struct fp_flow_table *t = fp_flow_table_new(24, &err);
	uint32_t *ref = malloc(n_keys * sizeof(*ref));
	bool ok = true;
	uint32_t live = 0;

	CHECK(t != NULL && ref != NULL);
	if (t == NULL || ref == NULL)
		return;
	for (uint32_t i = 0; i < n_keys; i++)
		ref[i] = FP_FLOW_NONE;
	for (int op = 0; op < ops && ok; op++) {
		uint64_t r = rng_next(&seed);
		uint32_t id = (uint32_t)(r % n_keys);
		struct fp_flow_key k = key_of(id);
		uint32_t tag = tag_of(id);
		/* Drift between filling and draining, so the index grows and shrinks. */
		bool want_add = ((r >> 32) % 100) < (uint64_t)((op / 20000) % 2 ? 30 : 70);

		if (ref[id] == FP_FLOW_NONE && want_add) {
			ref[id] = fp_flow_table_add(t, &k, tag);
			live++;
			ok = ref[id] != FP_FLOW_NONE && fp_flow_table_get(t, ref[id])->hash == tag;
			memset(fp_flow_extra(fp_flow_table_get(t, ref[id])), 0xab, 24);
		} else if (ref[id] != FP_FLOW_NONE && !want_add) {
			ok = fp_flow_table_find(t, &k, tag) == ref[id];
			fp_flow_table_del(t, ref[id]);
			ref[id] = FP_FLOW_NONE;
			live--;
			ok = ok && fp_flow_table_find(t, &k, tag) == FP_FLOW_NONE;
		}
		if (op % 4096 == 0 || op == ops - 1) {
			ok = ok && index_sound(t) && fp_flow_table_live(t) == live;
			for (uint32_t i = 0; i < n_keys && ok; i++) {
				struct fp_flow_key ki = key_of(i);

				ok = fp_flow_table_find(t, &ki, tag_of(i)) == ref[i];
				if (ok && ref[i] != FP_FLOW_NONE)
					ok = fp_flow_key_equal(&fp_flow_table_get(t, ref[i])->key, &ki);
			}
		}
	}
	if (!ok)
		fprintf(stderr, "  churn %s: table and reference disagree\n", what);
	CHECK(ok);
	fp_flow_table_free(t);
	free(ref);
}

/* Seven home slots, at both ends of a 1024-slot index (clusters wrap), and
 * only 4 distinct tags per home: the key comparison has to decide. */
static uint32_t tag_wrap(uint32_t id)
{
	static const uint32_t homes[] = { 1020, 1021, 1023, 0, 1, 3, 512 };

	return homes[id % 7] | (((id / 7) % 4) << 10);
}

/* Hashed, but with bits 4..11 cleared: clusters of 256 home slots collapse
 * into one at every index size. */
static uint32_t tag_clumped(uint32_t id)
{
	return (uint32_t)fp_mix64(id) & ~0xff0u;
}

static void test_collisions(void)
{
	churn(700, tag_wrap, 1, 200000, "wrap");
	churn(6000, tag_clumped, 2, 160000, "clumped");
}

/* ----------------------------------------------------------- the pool */

static void test_pool(void)
{
	struct fp_error err;
	struct fp_flow_table *t = fp_flow_table_new(5, &err);
	const uint32_t n = 3 * FP_FLOW_CHUNK_ENTRIES + 5;
	uint32_t *idx = malloc(n * sizeof(*idx));
	uint32_t max_idx = 0;

	CHECK(t != NULL && idx != NULL);
	if (t == NULL || idx == NULL)
		return;
	CHECK_EQ_INT(t->stride, 128);	/* 112 + 5, rounded to 64 */
	for (uint32_t i = 0; i < n; i++) {
		struct fp_flow_key k = key_of(i);

		idx[i] = fp_flow_table_add(t, &k, (uint32_t)fp_mix64(i));
	}
	CHECK_EQ_INT(t->chunks_held, 4);
	/* A new entry is zeroed, key and hash set. */
	CHECK_EQ_INT(fp_flow_table_get(t, idx[3])->pkts[0], 0);
	CHECK_EQ_INT(fp_flow_table_get(t, idx[3])->hash, (uint32_t)fp_mix64(3));
	for (uint32_t i = 0; i < n; i++)
		fp_flow_table_del(t, idx[i]);
	CHECK_EQ_INT(t->chunks_held, 1);
	/* Refill a little: entries come from the lowest chunk again. */
	for (uint32_t i = 0; i < 100; i++) {
		struct fp_flow_key k = key_of(i);
		uint32_t j = fp_flow_table_add(t, &k, (uint32_t)fp_mix64(i));

		if (j > max_idx)
			max_idx = j;
	}
	CHECK(max_idx < FP_FLOW_CHUNK_ENTRIES);
	CHECK_EQ_INT(t->chunks_held, 1);
	fp_flow_table_free(t);
	free(idx);
}

/* Clearing a table leaves it as deleting every entry one by one does: the
 * same chunks held, spare, pool bookkeeping, room bits, index size, memory;
 * and it takes the same entries afterwards. */
static bool same_table_state(const struct fp_flow_table *a, const struct fp_flow_table *b)
{
	if (a->n_chunks != b->n_chunks || a->chunks_held != b->chunks_held || a->spare != b->spare ||
	    a->live != b->live || a->mask != b->mask || a->room_words != b->room_words ||
	    fp_flow_table_memory(a) != fp_flow_table_memory(b))
		return false;
	for (uint32_t c = 0; c < a->n_chunks; c++) {
		const struct fp_flow_chunk *x = &a->chunks[c], *y = &b->chunks[c];

		if ((x->mem == NULL) != (y->mem == NULL) || x->live != y->live)
			return false;
		if (x->mem != NULL && (x->fresh != y->fresh || x->free_head != y->free_head))
			return false;
	}
	return memcmp(a->room, b->room, a->room_words * sizeof(a->room[0])) == 0;
}

static void test_clear(void)
{
	const uint32_t n = 4 * FP_FLOW_CHUNK_ENTRIES + 100;
	struct fp_error err;
	struct fp_flow_table *a = fp_flow_table_new(40, &err), *b = fp_flow_table_new(40, &err);
	uint32_t *idx = malloc(n * sizeof(*idx));
	size_t empty_mem;
	bool same = true, gone = true;
	uint64_t seed = 11;

	CHECK(a != NULL && b != NULL && idx != NULL);
	if (a == NULL || b == NULL || idx == NULL)
		return;
	/* Clearing a table that never held anything changes nothing. */
	empty_mem = fp_flow_table_memory(b);
	fp_flow_table_clear(b);
	CHECK_EQ_INT(fp_flow_table_memory(b), empty_mem);
	CHECK_EQ_INT(b->chunks_held, 0);
	/* Five chunks, then churn: chunk 1 drained (it becomes the spare),
	 * scattered holes everywhere else, some refilled (in chunk 0). */
	for (uint32_t i = 0; i < n; i++) {
		struct fp_flow_key k = key_of(i);
		uint32_t tag = fp_flow_table_tag(fp_flow_key_hash(&k, 0));
		uint32_t ia = fp_flow_table_add(a, &k, tag), ib = fp_flow_table_add(b, &k, tag);

		same = same && ia == ib;
		idx[i] = ia;
	}
	for (uint32_t i = 0; i < n; i++) {
		bool drop = (idx[i] >> FP_FLOW_CHUNK_SHIFT) == 1 || rng_next(&seed) % 3 == 0;

		if (drop) {
			fp_flow_table_del(a, idx[i]);
			fp_flow_table_del(b, idx[i]);
			idx[i] = FP_FLOW_NONE;
		}
	}
	for (uint32_t i = n; i < n + 5000; i++) {
		struct fp_flow_key k = key_of(i);
		uint32_t tag = fp_flow_table_tag(fp_flow_key_hash(&k, 0));

		same = same && fp_flow_table_add(a, &k, tag) == fp_flow_table_add(b, &k, tag);
	}
	CHECK(same);
	CHECK_EQ_INT(a->chunks_held, 5);
	CHECK_EQ_INT(a->spare, 1);

	/* a: one by one (in creation order, as flush did); b: at once. */
	for (uint32_t c = 0; c < a->n_chunks; c++) {
		for (uint32_t i = 0; a->chunks[c].mem != NULL && i < FP_FLOW_CHUNK_ENTRIES; i++) {
			uint32_t j = (c << FP_FLOW_CHUNK_SHIFT) | i;
			struct fp_flow *f = fp_flow_table_get(a, j);
			struct fp_flow_key k = f->key;

			if (fp_flow_table_find(a, &k, f->hash) == j)
				fp_flow_table_del(a, j);
		}
	}
	CHECK_EQ_INT(fp_flow_table_live(a), 0);
	fp_flow_table_clear(b);
	CHECK_EQ_INT(fp_flow_table_live(b), 0);
	CHECK(same_table_state(a, b));
	CHECK_EQ_INT(b->mask + 1, 1024);
	CHECK_EQ_INT(b->chunks_held, 1);
	CHECK(index_sound(b));
	for (uint32_t i = 0; i < n; i += 101) {
		struct fp_flow_key k = key_of(i);

		if (fp_flow_table_find(b, &k, fp_flow_table_tag(fp_flow_key_hash(&k, 0))) != FP_FLOW_NONE)
			gone = false;
	}
	CHECK(gone);

	/* Both take the same entries again, and find them. */
	same = true;
	for (uint32_t i = 0; i < 2 * FP_FLOW_CHUNK_ENTRIES; i++) {
		struct fp_flow_key k = key_of(i + 7);
		uint32_t tag = fp_flow_table_tag(fp_flow_key_hash(&k, 0));
		uint32_t ia = fp_flow_table_add(a, &k, tag), ib = fp_flow_table_add(b, &k, tag);

		same = same && ia == ib && ib != FP_FLOW_NONE && fp_flow_table_find(b, &k, tag) == ib;
	}
	CHECK(same);
	CHECK(same_table_state(a, b));
	CHECK(index_sound(b));
	fp_flow_table_free(a);
	fp_flow_table_free(b);
	free(idx);
}

int main(void)
{
	RUN(test_key_normalization);
	RUN(test_pool);
	RUN(test_clear);
	RUN(test_collisions);
	RUN(test_table_million);
	RUN(test_table_million_prefaulted);
	RUN(test_engine_million_expire);
	return TEST_RESULT();
}
