/*
 * test-kafka-sink.c - the Kafka producer and sink against librdkafka's
 * mock cluster, in process: every row arrives once as its JSON line with
 * the documented key; a DROP producer never blocks and counts what did
 * not fit while the brokers are down, then delivers the queued ones when
 * they are up; options are judged by librdkafka; the key needs its
 * columns.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "format/json/jsonl.h"
#include "record/batch.h"
#include "record/schema.h"
#include "sink/kafka-sink.h"
#include "test.h"

#define MAX_MESSAGES 64

struct cluster {
	rd_kafka_t *rk;
	rd_kafka_mock_cluster_t *mc;
	char brokers[256];
};

static int cluster_start(struct cluster *c, const char *topic)
{
	char errstr[256];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();

	rd_kafka_conf_set(conf, "log_level", "0", NULL, 0);
	c->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
	if (c->rk == NULL)
		return -1;
	c->mc = rd_kafka_mock_cluster_new(c->rk, 1);
	if (c->mc == NULL || rd_kafka_mock_topic_create(c->mc, topic, 2, 1) != 0)
		return -1;
	snprintf(c->brokers, sizeof(c->brokers), "%s", rd_kafka_mock_cluster_bootstraps(c->mc));
	return 0;
}

static void cluster_stop(struct cluster *c)
{
	rd_kafka_mock_cluster_destroy(c->mc);
	rd_kafka_destroy(c->rk);
}

/* One message as the test sees it. */
struct message {
	char key[256];
	char value[1024];
};

/* Reads `topic` from the start until `want` messages or 10 s. */
static size_t consume(const char *brokers, const char *topic, struct message *out, size_t want)
{
	char errstr[256];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_t *rk;
	rd_kafka_topic_partition_list_t *topics;
	size_t n = 0;
	time_t end = time(NULL) + 10;

	rd_kafka_conf_set(conf, "bootstrap.servers", brokers, NULL, 0);
	rd_kafka_conf_set(conf, "group.id", "test-kafka-sink", NULL, 0);
	rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", NULL, 0);
	rd_kafka_conf_set(conf, "log_level", "0", NULL, 0);
	rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
	if (rk == NULL)
		return 0;
	rd_kafka_poll_set_consumer(rk);
	topics = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA);
	rd_kafka_subscribe(rk, topics);
	rd_kafka_topic_partition_list_destroy(topics);
	while (n < want && time(NULL) < end) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);

		if (m == NULL)
			continue;
		if (m->err == 0 && n < MAX_MESSAGES) {
			snprintf(out[n].key, sizeof(out[n].key), "%.*s", (int)m->key_len, m->key ? (char *)m->key : "");
			snprintf(out[n].value, sizeof(out[n].value), "%.*s", (int)m->len, (char *)m->payload);
			n++;
		}
		rd_kafka_message_destroy(m);
	}
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return n;
}

/* Canonical rows: a conversation's two directions, and IPv6. */
struct row {
	const char *src, *dst;
	int sport, dport, proto;
	const char *key;
};

static const struct row rows[] = {
	{ "10.0.0.2", "10.0.0.1", 51234, 80, 6, "6 10.0.0.1 80 10.0.0.2 51234" },
	{ "10.0.0.1", "10.0.0.2", 80, 51234, 6, "6 10.0.0.1 80 10.0.0.2 51234" },
	{ "9.0.0.1", "10.0.0.1", 53, 53, 17, "17 9.0.0.1 53 10.0.0.1 53" },	/* numeric, not text, order */
	{ "2001:db8::2", "2001:db8::1", 5, 7, 58, "58 2001:db8::1 7 2001:db8::2 5" },
	{ "10.0.0.1", "2001:db8::1", 1, 2, 17, "17 10.0.0.1 1 2001:db8::1 2" },	/* IPv4 before IPv6 */
	{ "10.0.0.1", "10.0.0.1", 9, 8, 17, "17 10.0.0.1 8 10.0.0.1 9" },		/* then ports */
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

static struct fp_batch *make_batch(const struct fp_schema *s)
{
	struct fp_batch *b = fp_batch_new(s, NROWS);

	for (size_t i = 0; i < NROWS; i++) {
		fp_batch_put_i64(b, 0, 1700000000000000LL + (int64_t)i);
		fp_batch_put_bytes(b, 1, rows[i].src, strlen(rows[i].src));
		fp_batch_put_bytes(b, 2, rows[i].dst, strlen(rows[i].dst));
		fp_batch_put_i32(b, 3, rows[i].sport);
		fp_batch_put_i32(b, 4, rows[i].dport);
		fp_batch_put_i64(b, 5, 100 + (int64_t)i);
		fp_batch_put_i64(b, 6, 200);
		fp_batch_put_i64(b, 7, 1);
		fp_batch_put_i64(b, 8, 2);
		fp_batch_put_f64(b, 9, 0.25 * (double)i);
		fp_batch_put_i32(b, 10, rows[i].proto);
		fp_batch_end_row(b);
	}
	return b;
}

static void options(struct fp_kafka_options *o, const char *brokers, const char *topic, enum fp_kafka_on_full full)
{
	fp_kafka_options_defaults(o);
	o->brokers = strdup(brokers);
	o->topic = strdup(topic);
	o->on_full = full;
	o->flush_timeout_ns = 10 * 1000000000LL;
	fp_kafka_options_add_property(o, "linger.ms", "5", NULL);
}

static void test_rows_arrive_with_keys(void)
{
	struct cluster c;
	struct fp_error err = { "" };
	struct fp_schema *s = fp_schema_netflow_v1(&err);
	struct fp_kafka_options o;
	struct fp_kafka_stats st;
	struct message got[MAX_MESSAGES];
	struct fp_jsonl_row_format *json = fp_jsonl_row_format_new(s, &err);

	CHECK(s != NULL && json != NULL);
	if (cluster_start(&c, "rows") < 0) {
		CHECK(0);
		return;
	}
	options(&o, c.brokers, "rows", FP_KAFKA_WAIT);
	struct fp_kafka_producer *p = fp_kafka_producer_new(&o, &err);
	struct fp_sink *sink = p ? fp_kafka_sink_open(p, s, &err) : NULL;
	struct fp_batch *b = make_batch(s);

	CHECK(sink != NULL);
	CHECK_EQ_INT(fp_sink_write(sink, b, &err), 0);
	CHECK_EQ_INT(fp_sink_close(sink, &err), 0);	/* WAIT: flushes */
	fp_kafka_producer_stats(p, &st);
	CHECK_EQ_INT(st.produced, NROWS);
	CHECK_EQ_INT(st.delivered, NROWS);
	CHECK_EQ_INT(st.failed + st.dropped + st.queued, 0);
	size_t n = consume(c.brokers, "rows", got, NROWS);
	CHECK_EQ_INT(n, NROWS);
	for (size_t i = 0; i < NROWS; i++) {	/* each row exactly once, keyed as documented */
		char want[1024];
		size_t found = 0;
		size_t len = fp_jsonl_row_text(json, b, i, want, sizeof(want) - 1);

		want[len < sizeof(want) - 1 ? len : 0] = '\0';	/* the text has no NUL of its own */
		for (size_t j = 0; j < n; j++)
			if (strcmp(got[j].value, want) == 0) {
				found++;
				CHECK_EQ_STR(got[j].key, rows[i].key);
			}
		if (found != 1)
			fprintf(stderr, "  not found once: %s\n", want);
		CHECK_EQ_INT(found, 1);
	}
	fp_batch_free(b);
	fp_kafka_producer_free(p);
	fp_kafka_options_free(&o);
	fp_jsonl_row_format_free(json);
	fp_schema_free(s);
	cluster_stop(&c);
}

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* DROP: with the brokers down and a queue of 4, writing 5 batches of 6
 * rows returns at once, 4 are queued and 26 dropped; up again, the 4 are
 * delivered. */
static void test_drop_when_full(void)
{
	struct cluster c;
	struct fp_error err = { "" };
	struct fp_schema *s = fp_schema_netflow_v1(&err);
	struct fp_kafka_options o;
	struct fp_kafka_stats st;

	if (cluster_start(&c, "drops") < 0) {
		CHECK(0);
		return;
	}
	options(&o, c.brokers, "drops", FP_KAFKA_DROP);
	fp_kafka_options_add_property(&o, "queue.buffering.max.messages", "4", NULL);
	rd_kafka_mock_broker_set_down(c.mc, 1);
	struct fp_kafka_producer *p = fp_kafka_producer_new(&o, &err);
	struct fp_sink *sink = p ? fp_kafka_sink_open(p, s, &err) : NULL;
	struct fp_batch *b = make_batch(s);
	double t0 = seconds_now();

	CHECK(sink != NULL);
	for (int i = 0; i < 5; i++)
		CHECK_EQ_INT(fp_sink_write(sink, b, &err), 0);
	CHECK_EQ_INT(fp_sink_close(sink, &err), 0);	/* DROP: does not wait */
	CHECK(seconds_now() - t0 < 1.0);
	fp_kafka_producer_stats(p, &st);
	CHECK_EQ_INT(st.produced, 4);
	CHECK_EQ_INT(st.dropped, 5 * NROWS - 4);
	CHECK_EQ_INT(st.delivered, 0);
	rd_kafka_mock_broker_set_up(c.mc, 1);
	CHECK_EQ_INT(fp_kafka_producer_flush(p, 20 * 1000000000LL, &err), 0);
	fp_kafka_producer_stats(p, &st);
	CHECK_EQ_INT(st.delivered, 4);
	CHECK_EQ_INT(st.failed + st.queued, 0);
	fp_batch_free(b);
	fp_kafka_producer_free(p);
	fp_kafka_options_free(&o);
	fp_schema_free(s);
	cluster_stop(&c);
}

/* What is left at free is counted as failed. */
static void test_left_at_free_counts_as_failed(void)
{
	struct fp_error err = { "" };
	struct fp_schema *s = fp_schema_netflow_v1(&err);
	struct fp_kafka_options o;
	struct fp_kafka_stats st;

	options(&o, "127.0.0.1:1", "nowhere", FP_KAFKA_DROP);
	struct fp_kafka_producer *p = fp_kafka_producer_new(&o, &err);
	struct fp_sink *sink = p ? fp_kafka_sink_open(p, s, &err) : NULL;
	struct fp_batch *b = make_batch(s);

	CHECK(sink != NULL);
	CHECK_EQ_INT(fp_sink_write(sink, b, &err), 0);
	fp_sink_close(sink, &err);
	CHECK(fp_kafka_producer_flush(p, 200 * 1000000LL, &err) < 0);
	CHECK(strstr(err.msg, "6 records not delivered") != NULL);
	fp_kafka_producer_stats(p, &st);
	CHECK_EQ_INT(st.produced, NROWS);
	CHECK_EQ_INT(st.queued, NROWS);
	fp_batch_free(b);
	fp_kafka_producer_free(p);
	fp_kafka_options_free(&o);
	fp_schema_free(s);
}

static void test_options_checked_by_librdkafka(void)
{
	struct fp_kafka_options o;
	struct fp_error err = { "" };

	options(&o, "localhost:9092", "t", FP_KAFKA_DROP);
	CHECK_EQ_INT(fp_kafka_options_check(&o, &err), 0);
	{	/* equality, as a reload judges it */
		struct fp_kafka_options same;

		options(&same, "localhost:9092", "t", FP_KAFKA_DROP);
		CHECK(fp_kafka_options_equal(&o, &same));
		fp_kafka_options_add_property(&same, "linger.ms", "6", NULL);
		CHECK(!fp_kafka_options_equal(&o, &same));
		fp_kafka_options_free(&same);
	}
	fp_kafka_options_add_property(&o, "compression.type", "nope", NULL);
	CHECK(fp_kafka_options_check(&o, &err) < 0);
	CHECK(strstr(err.msg, "compression.type=nope") != NULL && strstr(err.msg, "Invalid value") != NULL);
	fp_kafka_options_free(&o);
	options(&o, "localhost:9092", "t", FP_KAFKA_DROP);
	fp_kafka_options_add_property(&o, "no.such.property", "1", NULL);
	CHECK(fp_kafka_options_check(&o, &err) < 0);
	CHECK(strstr(err.msg, "No such configuration property") != NULL);
	fp_kafka_options_free(&o);
	options(&o, "localhost:9092", "", FP_KAFKA_DROP);
	CHECK(fp_kafka_options_check(&o, &err) < 0);
	CHECK(strstr(err.msg, "no topic") != NULL);
	fp_kafka_options_free(&o);
	int v = -1;

	CHECK(fp_parse_enum("5tuple", fp_kafka_key_names, &v, &err) == 0 && v == FP_KAFKA_KEY_FIVE_TUPLE);
	CHECK(fp_parse_enum("none", fp_kafka_key_names, &v, &err) == 0 && v == FP_KAFKA_KEY_NONE);
	CHECK(fp_parse_enum("src", fp_kafka_key_names, &v, &err) < 0);
	CHECK(fp_parse_enum("avro", fp_kafka_format_names, &v, &err) < 0);
}

static void test_key_needs_its_columns(void)
{
	struct fp_error err = { "" };
	struct fp_schema *s = fp_schema_new("other", "v1");
	struct fp_kafka_options o;

	fp_schema_add(s, "src_ip", FP_TYPE_STRING, false);
	fp_schema_add(s, "bytes", FP_TYPE_INT64, false);
	options(&o, "127.0.0.1:1", "t", FP_KAFKA_DROP);
	struct fp_kafka_producer *p = fp_kafka_producer_new(&o, &err);
	struct fp_sink *sink = fp_kafka_sink_open(p, s, &err);

	CHECK(sink == NULL);
	CHECK(strstr(err.msg, "key: none") != NULL);
	fp_kafka_producer_free(p);
	fp_kafka_options_free(&o);
	options(&o, "127.0.0.1:1", "t", FP_KAFKA_DROP);
	o.key = FP_KAFKA_KEY_NONE;
	p = fp_kafka_producer_new(&o, &err);
	sink = fp_kafka_sink_open(p, s, &err);
	CHECK(sink != NULL);
	if (sink)
		fp_sink_abort(sink);
	fp_kafka_producer_free(p);
	fp_kafka_options_free(&o);
	fp_schema_free(s);
}

int main(void)
{
	RUN(test_options_checked_by_librdkafka);
	RUN(test_key_needs_its_columns);
	RUN(test_rows_arrive_with_keys);
	RUN(test_drop_when_full);
	RUN(test_left_at_free_counts_as_failed);
	return TEST_RESULT();
}
