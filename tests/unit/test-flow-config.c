/*
 * test-flow-config.c - the flow stage's configuration: what validation
 * refuses and why, byte mode names, which settings may change on a live
 * engine, and reconfiguring one: new timeouts reach the live flows too
 * and the expiry lists still find every due flow, a smaller max_flows is
 * reached in bounded slices, least recently seen first, and a refused
 * change leaves the engine as it was.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "flow/flow-engine.h"
#include "lib/parse-value.h"
#include "test-flow-packets.h"

static bool refused(const struct fp_flow_config *c, const char *want)
{
	struct fp_error err = { "" };

	if (fp_flow_config_validate(c, &err) == 0)
		return false;
	if (strstr(err.msg, want) == NULL)
		fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.msg, want);
	return strstr(err.msg, want) != NULL;
}

static void test_validate(void)
{
	struct fp_flow_config c;
	struct fp_error err = { "" };

	fp_flow_config_defaults(&c);
	CHECK(fp_flow_config_validate(&c, &err) == 0);
	c.idle_timeout_ns = 0;
	CHECK(refused(&c, "idle timeout must be more than 0"));
	fp_flow_config_defaults(&c);
	c.active_timeout_ns = -1;
	CHECK(refused(&c, "active timeout must be more than 0"));
	fp_flow_config_defaults(&c);
	c.tcp_close_linger_ns = -1;
	CHECK(refused(&c, "linger must not be negative"));
	fp_flow_config_defaults(&c);
	c.idle_timeout_ns = SEC / 2;		/* the default linger (1 s) is now too long */
	CHECK(refused(&c, "must not be longer than the idle timeout"));
	c.tcp_close_linger_ns = SEC / 2;
	CHECK(fp_flow_config_validate(&c, &err) == 0);
	fp_flow_config_defaults(&c);
	c.byte_mode = (enum fp_byte_mode)7;
	CHECK(refused(&c, "unknown byte mode 7"));
	fp_flow_config_defaults(&c);
	c.max_flows = FP_FLOW_MAX_FLOWS_LIMIT;
	CHECK(fp_flow_config_validate(&c, &err) == 0);
	c.max_flows++;
	CHECK(refused(&c, "max_flows"));
	fp_flow_config_defaults(&c);
	c.extra_state_bytes = FP_FLOW_EXTRA_STATE_MAX;
	CHECK(fp_flow_config_validate(&c, &err) == 0);
	c.extra_state_bytes++;
	CHECK(refused(&c, "extra state of 4097 bytes"));
	/* the engine refuses what validation refuses */
	CHECK(fp_flow_engine_new(&c, collect, NULL, &err) == NULL);
	CHECK(strstr(err.msg, "extra state") != NULL);
}

static void test_byte_mode_names(void)
{
	struct fp_error err = { "" };
	int v = -1;

	CHECK(fp_parse_enum("ip", fp_byte_mode_names, &v, &err) == 0 && v == FP_BYTES_IP);
	CHECK(fp_parse_enum("frame", fp_byte_mode_names, &v, &err) == 0 && v == FP_BYTES_FRAME);
	CHECK(fp_parse_enum("payload", fp_byte_mode_names, &v, &err) == 0 && v == FP_BYTES_PAYLOAD);
	CHECK(fp_parse_enum("bits", fp_byte_mode_names, &v, &err) < 0);
	CHECK_EQ_STR(err.msg, "'bits' is not one of ip, frame, payload");
	CHECK_EQ_STR(fp_enum_name(fp_byte_mode_names, FP_BYTES_PAYLOAD), "payload");
}

static bool change_refused(const struct fp_flow_config *to, const char *want)
{
	struct fp_flow_config from;
	struct fp_error err = { "" };

	fp_flow_config_defaults(&from);
	if (fp_flow_config_validate_change(&from, to, &err) == 0)
		return false;
	if (strstr(err.msg, want) == NULL)
		fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.msg, want);
	return strstr(err.msg, want) != NULL;
}

static void test_validate_change(void)
{
	struct fp_flow_config from, to;
	struct fp_error err = { "" };

	fp_flow_config_defaults(&from);
	to = from;
	to.idle_timeout_ns = 5 * SEC;
	to.active_timeout_ns = 30 * SEC;
	to.tcp_close = true;
	to.tcp_close_linger_ns = 2 * SEC;
	to.max_flows = 10;
	CHECK(fp_flow_config_validate_change(&from, &to, &err) == 0);
	to.tcp_close_linger_ns = 6 * SEC;
	CHECK(change_refused(&to, "linger"));		/* the new config must be valid itself */
	to = from;
	to.key_vlan = true;
	CHECK(change_refused(&to, "VLAN"));
	to = from;
	to.byte_mode = FP_BYTES_FRAME;
	CHECK(change_refused(&to, "byte mode cannot change while flows live (it is ip)"));
	to = from;
	to.extra_state_bytes = 8;
	CHECK(change_refused(&to, "extra state cannot change size"));
	to = from;
	to.hash_seed_fixed = true;
	CHECK(change_refused(&to, "hash seed"));
	from.hash_seed_fixed = to.hash_seed_fixed = true;
	from.hash_seed = 1;
	to.hash_seed = 2;
	CHECK(fp_flow_config_validate_change(&from, &to, &err) < 0);
	to.hash_seed = 1;
	CHECK(fp_flow_config_validate_change(&from, &to, &err) == 0);
}

static struct fp_packet flow_packet(int id, int64_t ts)
{
	char src[32];

	snprintf(src, sizeof(src), "10.0.%d.%d", id / 250, id % 250 + 1);
	return udp(ts, src, 5000, "192.0.2.1", 53);
}

static bool is_flow(const struct fp_flow *f, int id)
{
	struct fp_packet p = flow_packet(id, 0);

	return memcmp(fp_flow_src_addr(f), p.src_addr, 16) == 0;
}

/* A shorter idle timeout ends the live flows that it makes due, at the next
 * advance, oldest first; the others live on; a refused change alters
 * nothing. */
static void test_reconfigure_shorter_idle(void)
{
	struct fp_flow_config cfg, next;
	struct fp_error err = { "" };
	struct sink s;
	struct fp_flow_engine *e;

	fp_flow_config_defaults(&cfg);
	e = engine(&cfg, &s);
	for (int i = 0; i < 10; i++)
		feed(e, flow_packet(i, i * SEC));	/* flow i last seen at i s */
	next = cfg;
	next.idle_timeout_ns = 5 * SEC;
	next.key_vlan = true;
	CHECK(fp_flow_engine_reconfigure(e, &next, &err) < 0);
	CHECK(strstr(err.msg, "VLAN") != NULL);
	CHECK_EQ_INT(fp_flow_engine_advance(e, 20 * SEC, 0), 0);	/* still 60 s idle */
	next.key_vlan = false;
	CHECK(fp_flow_engine_reconfigure(e, &next, &err) == 0);
	CHECK_EQ_INT(s.total, 0);			/* reconfiguring ends nothing */
	CHECK_EQ_INT(fp_flow_engine_stats(e)->active_flows, 10);
	/* at 20 s, flows last seen before 15 s are due: all ten */
	CHECK_EQ_INT(fp_flow_engine_advance(e, 20 * SEC, 4), 4);	/* in slices */
	CHECK_EQ_INT(fp_flow_engine_advance(e, 20 * SEC, 0), 6);
	for (int i = 0; i < 10; i++) {
		CHECK(is_flow(&s.r[i].f, i));
		CHECK_EQ_INT(s.r[i].why, FP_END_IDLE);
	}
	fp_flow_engine_free(e);
}

/* A longer idle timeout keeps a live flow that the old one would have
 * ended: its next packet joins it. */
static void test_reconfigure_longer_idle(void)
{
	struct fp_flow_config cfg, next;
	struct fp_error err = { "" };
	struct sink s;
	struct fp_flow_engine *e;

	fp_flow_config_defaults(&cfg);
	cfg.idle_timeout_ns = 10 * SEC;
	e = engine(&cfg, &s);
	feed(e, flow_packet(1, 0));
	next = cfg;
	next.idle_timeout_ns = 100 * SEC;
	CHECK(fp_flow_engine_reconfigure(e, &next, &err) == 0);
	feed(e, flow_packet(1, 50 * SEC));
	CHECK_EQ_INT(fp_flow_engine_stats(e)->flows_created, 1);
	CHECK_EQ_INT(s.total, 0);
	fp_flow_engine_flush(e);
	CHECK_EQ_INT(s.r[0].f.pkts[FP_DIR_FWD], 2);
	CHECK_EQ_INT(s.r[0].why, FP_END_FLUSH);
	fp_flow_engine_free(e);
}

/* Whatever the timeouts change to, the heads of the expiry lists find every
 * due flow: after an advance with no cap, flush finds none due (it would
 * report it as idle or active). Many flows, uneven activity, several
 * changes up and down. */
static void test_reconfigure_lists_stay_ordered(void)
{
	static const int64_t idle[] = { 60, 3, 30, 1, 45, 2 };
	static const int64_t active[] = { 3600, 20, 7, 50, 4, 100 };
	struct fp_flow_config cfg, next;
	struct fp_error err = { "" };
	struct sink s;
	struct fp_flow_engine *e;
	uint64_t rng = 7;
	int64_t t = 0;

	fp_flow_config_defaults(&cfg);
	e = engine(&cfg, &s);
	for (int round = 0; round < 6; round++) {
		for (int i = 0; i < 2000; i++) {
			t += (int64_t)(rng_next(&rng) % (SEC / 50));
			feed(e, flow_packet((int)(rng_next(&rng) % 400), t));
		}
		next = cfg;
		next.idle_timeout_ns = idle[round] * SEC;
		next.active_timeout_ns = active[round] * SEC;
		next.tcp_close_linger_ns = 0;
		CHECK(fp_flow_engine_reconfigure(e, &next, &err) == 0);
		fp_flow_engine_advance(e, t, 0);
		s.n = 0;
		fp_flow_engine_flush(e);
		for (size_t i = 0; i < s.n; i++)
			CHECK_EQ_INT(s.r[i].why, FP_END_FLUSH);
	}
	CHECK(fp_flow_engine_stats(e)->flows_ended[FP_END_IDLE] > 0);
	CHECK(fp_flow_engine_stats(e)->flows_ended[FP_END_ACTIVE] > 0);
	fp_flow_engine_free(e);
}

/* A smaller max_flows: each advance ends at most its cap, least recently
 * seen first, until max_flows remain; each new flow meanwhile ends two. */
static void test_reconfigure_shrink_max_flows(void)
{
	struct fp_flow_config cfg, next;
	struct fp_error err = { "" };
	struct sink s;
	struct fp_flow_engine *e;
	size_t rounds = 0;

	fp_flow_config_defaults(&cfg);
	cfg.max_flows = 100;
	e = engine(&cfg, &s);
	for (int i = 0; i < 100; i++)
		feed(e, flow_packet(i, SEC + i));
	feed(e, flow_packet(0, 2 * SEC));		/* flow 0 is now the most recent */
	next = cfg;
	next.max_flows = 10;
	CHECK(fp_flow_engine_reconfigure(e, &next, &err) == 0);
	CHECK_EQ_INT(fp_flow_engine_stats(e)->active_flows, 100);	/* nothing ended yet */

	feed(e, flow_packet(200, 3 * SEC));	/* a new flow while over: two go */
	CHECK_EQ_INT(fp_flow_engine_stats(e)->active_flows, 99);
	CHECK(is_flow(&s.r[0].f, 1) && is_flow(&s.r[1].f, 2));

	while (fp_flow_engine_advance(e, 3 * SEC, 7) == 7)
		rounds++;
	CHECK_EQ_INT(rounds, 12);			/* 89 = 12 * 7 + 5 */
	CHECK_EQ_INT(fp_flow_engine_stats(e)->active_flows, 10);
	CHECK_EQ_INT(fp_flow_engine_stats(e)->flows_ended[FP_END_EVICTED], 91);
	for (int i = 0; i < 91; i++)		/* least recently seen first: 1, 2, ... 91 */
		CHECK(is_flow(&s.r[i].f, i + 1));
	CHECK_EQ_INT(fp_flow_engine_advance(e, 3 * SEC, 7), 0);
	/* at the limit again: a new flow ends exactly one, as before */
	feed(e, flow_packet(201, 4 * SEC));
	CHECK_EQ_INT(fp_flow_engine_stats(e)->active_flows, 10);
	CHECK(is_flow(&s.r[91].f, 92));
	fp_flow_engine_free(e);
}

int main(void)
{
	RUN(test_validate);
	RUN(test_byte_mode_names);
	RUN(test_validate_change);
	RUN(test_reconfigure_shorter_idle);
	RUN(test_reconfigure_longer_idle);
	RUN(test_reconfigure_lists_stay_ordered);
	RUN(test_reconfigure_shrink_max_flows);
	return TEST_RESULT();
}
