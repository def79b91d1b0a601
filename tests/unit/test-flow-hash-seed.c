/*
 * test-flow-hash-seed.c - the per-engine hash seed: keys crafted to share
 * one home slot under a known seed make one long probe run on an engine
 * with that seed (so the measure can fail), and stay short on an engine
 * with another seed or a random one (the default); the flows, their order
 * and their ends are the same whatever the seed.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "flow/flow-engine-ref.h"
#include "flow/flow-engine.h"
#include "flow/flow-key.h"
#include "flow/flow-table.h"
#include "test-flow-packets.h"

#define CRAFTED 300		/* keys in one home slot: well under the index's load limit */
#define INDEX_SLOTS 1024	/* the smallest index (what an engine starts with) */
#define SEARCH_LIMIT 4000000	/* candidates tried at most (about 300 * 1024 needed) */
#define SHORT_PROBE 32		/* a random layout at load 0.3 stays far below this */

/* The n-th candidate packet: a UDP flow from a distinct address and port. */
static struct fp_packet candidate(uint32_t n, int64_t ts)
{
	char src[32];

	snprintf(src, sizeof(src), "10.%u.%u.%u", (n >> 16) & 255, (n >> 8) & 255, n & 255);
	return udp(ts, src, (uint16_t)(1024 + (n >> 24)), "192.0.2.1", 53);
}

static uint32_t home_slot(const struct fp_packet *p, uint64_t seed)
{
	struct fp_flow_key k;
	struct fp_flow_key_side side;

	fp_flow_key_from_packet(p, false, &k, &side);
	return fp_flow_table_tag(fp_flow_key_hash(&k, seed)) & (INDEX_SLOTS - 1);
}

/* What an attacker who knew `seed` would send: CRAFTED flows whose keys
 * all hash to home slot 0 of the smallest index. Returns how many it found. */
static size_t craft_colliding(uint64_t seed, struct fp_packet *out)
{
	size_t found = 0;

	for (uint32_t n = 0; n < SEARCH_LIMIT && found < CRAFTED; n++) {
		struct fp_packet p = candidate(n, SEC);

		if (home_slot(&p, seed) == 0)
			out[found++] = p;
	}
	return found;
}

static struct fp_flow_config seeded(bool fixed, uint64_t seed)
{
	struct fp_flow_config cfg;

	fp_flow_config_defaults(&cfg);
	cfg.hash_seed_fixed = fixed;
	cfg.hash_seed = seed;
	return cfg;
}

/* Feeds every flow twice (the second packet must find its flow) and
 * returns the longest probe the table needs for them. */
static uint32_t probe_after_feeding(struct fp_flow_engine *e, struct fp_packet *pkts, size_t n)
{
	uint32_t longest;

	for (size_t i = 0; i < n; i++)
		feed(e, pkts[i]);
	longest = fp_flow_table_max_probe(fp_flow_engine_table(e));
	for (size_t i = 0; i < n; i++) {
		struct fp_packet reply = pkts[i];

		reply.ts_ns += SEC;
		memcpy(reply.src_addr, pkts[i].dst_addr, 16);
		memcpy(reply.dst_addr, pkts[i].src_addr, 16);
		reply.src_port = pkts[i].dst_port;
		reply.dst_port = pkts[i].src_port;
		feed(e, reply);
	}
	CHECK_EQ_INT(fp_flow_engine_stats(e)->flows_created, n);
	return longest;
}

static void check_colliding_keys(uint64_t attacked_seed, uint64_t other_seed)
{
	static struct fp_packet pkts[CRAFTED];
	struct fp_flow_config cfg_attacked = seeded(true, attacked_seed);
	struct fp_flow_config cfg_other = seeded(true, other_seed);
	struct fp_flow_config cfg_random = seeded(false, 0);
	struct sink s_attacked, s_other, s_random;
	struct fp_flow_engine *attacked, *other, *random_seeded;
	uint32_t probe_attacked, probe_other, probe_random;

	CHECK_EQ_INT(craft_colliding(attacked_seed, pkts), CRAFTED);
	attacked = engine(&cfg_attacked, &s_attacked);
	other = engine(&cfg_other, &s_other);
	random_seeded = engine(&cfg_random, &s_random);

	probe_attacked = probe_after_feeding(attacked, pkts, CRAFTED);
	probe_other = probe_after_feeding(other, pkts, CRAFTED);
	probe_random = probe_after_feeding(random_seeded, pkts, CRAFTED);
	fprintf(stderr, "  seed %#llx: longest probe %u under it, %u under seed %#llx, %u under a random seed\n",
		(unsigned long long)attacked_seed, probe_attacked, probe_other, (unsigned long long)other_seed,
		probe_random);
	CHECK(probe_attacked >= CRAFTED);	/* the measure sees the pile-up */
	CHECK(probe_other <= SHORT_PROBE);
	CHECK(probe_random <= SHORT_PROBE);

	/* Same flows, same order, same ends, whatever the seed. */
	fp_flow_engine_flush(attacked);
	fp_flow_engine_flush(other);
	fp_flow_engine_flush(random_seeded);
	CHECK_EQ_INT(s_attacked.total, CRAFTED);
	CHECK_EQ_INT(s_other.total, CRAFTED);
	CHECK(s_attacked.digest == s_other.digest);
	CHECK(s_attacked.digest == s_random.digest);
	fp_flow_engine_free(attacked);
	fp_flow_engine_free(other);
	fp_flow_engine_free(random_seeded);
}

/* Seed 0 is the hash of versions before seeding: a default engine must not
 * use it (nor any other fixed seed). */
static void test_unseeded_collisions(void)
{
	check_colliding_keys(0, 0x9e3779b97f4a7c15ULL);
}

static void test_seeded_collisions(void)
{
	check_colliding_keys(0x0123456789abcdefULL, 1);
}

static void test_max_probe_measure(void)
{
	struct fp_error err = { "" };
	struct fp_flow_table *t = fp_flow_table_new(0, &err);
	struct fp_flow_key k;

	CHECK(t != NULL);
	if (t == NULL)
		return;
	CHECK_EQ_INT(fp_flow_table_max_probe(t), 0);
	memset(&k, 0, sizeof(k));
	/* three keys with the same home slot at the index's end: the run wraps */
	for (int i = 0; i < 3; i++) {
		k.lo_port = (uint16_t)i;
		CHECK(fp_flow_table_add(t, &k, (uint32_t)(INDEX_SLOTS - 1) | ((uint32_t)i << 20)) != FP_FLOW_NONE);
	}
	CHECK_EQ_INT(fp_flow_table_max_probe(t), 3);
	k.lo_port = 7;
	CHECK(fp_flow_table_add(t, &k, 500) != FP_FLOW_NONE);
	CHECK_EQ_INT(fp_flow_table_max_probe(t), 3);
	fp_flow_table_free(t);
}

/* Every seed gives a key a hash of its own, and the same seed the same one. */
static void test_seed_changes_every_hash(void)
{
	struct fp_packet p = candidate(12345, SEC);
	struct fp_flow_key k;
	struct fp_flow_key_side side;
	int same = 0;

	fp_flow_key_from_packet(&p, false, &k, &side);
	for (uint64_t seed = 1; seed <= 1000; seed++)
		same += fp_flow_key_hash(&k, seed) == fp_flow_key_hash(&k, 0);
	CHECK_EQ_INT(same, 0);
	CHECK(fp_flow_key_hash(&k, 42) == fp_flow_key_hash(&k, 42));
}

int main(void)
{
	RUN(test_max_probe_measure);
	RUN(test_seed_changes_every_hash);
	RUN(test_unseeded_collisions);
	RUN(test_seeded_collisions);
	return TEST_RESULT();
}
