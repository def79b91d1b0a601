/*
 * kafka-sink.c - flow records as Kafka messages (see kafka-sink.h).
 *
 * One rd_kafka_t and one topic handle per producer. Messages are copied
 * into librdkafka (RD_KAFKA_MSG_F_COPY), so a batch can go back to its
 * pool as soon as the sink returns. Counters are updated with atomics: the
 * writer thread produces while the loop thread serves delivery reports.
 *
 * Why a sink never fails for the broker: Kafka is a second copy of what
 * the files hold. A broker that is away or slow must cost the files
 * nothing, so undeliverable records are counted and logged (at a rate
 * limit), never turned into the stream's sticky error.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#include "format/json/jsonl.h"
#include "lib/log.h"
#include "sink/kafka-sink.h"

#define DEFAULT_FLUSH_TIMEOUT_NS (10 * 1000000000LL)
#define LOG_INTERVAL_NS (10 * 1000000000LL)	/* at most one line per kind per 10 s */
#define WAIT_POLL_MS 100			/* WAIT: one poll while the queue is full */

/* ------------------------------------------------------------ options */

void fp_kafka_options_defaults(struct fp_kafka_options *o)
{
	memset(o, 0, sizeof *o);
	o->key = FP_KAFKA_KEY_FIVE_TUPLE;
	o->format = FP_KAFKA_FORMAT_JSON;
	o->flush_timeout_ns = DEFAULT_FLUSH_TIMEOUT_NS;
	o->on_full = FP_KAFKA_DROP;
}

void fp_kafka_options_free(struct fp_kafka_options *o)
{
	free(o->brokers);
	free(o->topic);
	for (size_t i = 0; i < o->nproperties; i++) {
		free(o->properties[i].name);
		free(o->properties[i].value);
	}
	free(o->properties);
	fp_kafka_options_defaults(o);
}

int fp_kafka_options_add_property(struct fp_kafka_options *o, const char *name, const char *value,
				  struct fp_error *err)
{
	struct fp_kafka_property *grown = realloc(o->properties, (o->nproperties + 1) * sizeof *grown);

	if (grown == NULL)
		return fp_error_set(err, "out of memory");
	o->properties = grown;
	grown[o->nproperties].name = strdup(name);
	grown[o->nproperties].value = strdup(value);
	if (grown[o->nproperties].name == NULL || grown[o->nproperties].value == NULL) {
		free(grown[o->nproperties].name);
		free(grown[o->nproperties].value);
		return fp_error_set(err, "out of memory");
	}
	o->nproperties++;
	return 0;
}

int fp_kafka_key_parse(const char *text)
{
	if (strcmp(text, "5tuple") == 0 || strcmp(text, "5-tuple") == 0)
		return FP_KAFKA_KEY_FIVE_TUPLE;
	if (strcmp(text, "none") == 0)
		return FP_KAFKA_KEY_NONE;
	return -1;
}

int fp_kafka_format_parse(const char *text)
{
	return strcmp(text, "json") == 0 ? FP_KAFKA_FORMAT_JSON : -1;
}

/* A librdkafka configuration from the options; NULL with librdkafka's own
 * words about the first property it refuses. */
static rd_kafka_conf_t *conf_from_options(const struct fp_kafka_options *o, struct fp_error *err)
{
	char errstr[512];
	rd_kafka_conf_t *conf;

	if (o->brokers == NULL || o->brokers[0] == '\0') {
		fp_error_set(err, "kafka: no brokers given");
		return NULL;
	}
	if (o->topic == NULL || o->topic[0] == '\0') {
		fp_error_set(err, "kafka: no topic given");
		return NULL;
	}
	conf = rd_kafka_conf_new();
	if (conf == NULL) {
		fp_error_set(err, "kafka: out of memory");
		return NULL;
	}
	if (rd_kafka_conf_set(conf, "client.id", "flowprep", errstr, sizeof errstr) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "bootstrap.servers", o->brokers, errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
		fp_error_set(err, "kafka: brokers '%s': %s", o->brokers, errstr);
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	for (size_t i = 0; i < o->nproperties; i++) {
		const struct fp_kafka_property *p = &o->properties[i];

		if (rd_kafka_conf_set(conf, p->name, p->value, errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
			fp_error_set(err, "kafka: property %s=%s: %s", p->name, p->value, errstr);
			rd_kafka_conf_destroy(conf);
			return NULL;
		}
	}
	return conf;
}

int fp_kafka_options_check(const struct fp_kafka_options *o, struct fp_error *err)
{
	rd_kafka_conf_t *conf = conf_from_options(o, err);

	if (conf == NULL)
		return -1;
	rd_kafka_conf_destroy(conf);
	return 0;
}

/* ------------------------------------------------------------ producer */

/* A log line at most once per LOG_INTERVAL_NS per kind, with a count of
 * what was kept quiet meanwhile. */
struct rate_log {
	int64_t last_ns;
	uint64_t suppressed;
};

enum log_kind { LOG_BROKER, LOG_DELIVERY, LOG_DROP, LOG__COUNT };

struct fp_kafka_producer {
	rd_kafka_t *rk;
	rd_kafka_topic_t *topic;
	char *topic_name;
	enum fp_kafka_key key;
	enum fp_kafka_on_full on_full;
	int64_t flush_timeout_ns;

	atomic_uint_fast64_t produced, delivered, failed, dropped, bytes;
	atomic_bool broker_up;

	pthread_mutex_t log_lock;	/* the rate limiter: callbacks and produce may race */
	struct rate_log logs[LOG__COUNT];
};

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Logs `text` unless a line of the same kind went out less than
 * LOG_INTERVAL_NS ago. */
static void log_limited(struct fp_kafka_producer *p, enum log_kind kind, const char *text)
{
	int64_t now = monotonic_ns();
	struct rate_log *l = &p->logs[kind];
	uint64_t suppressed = 0;
	bool print = false;

	pthread_mutex_lock(&p->log_lock);
	if (l->last_ns == 0 || now - l->last_ns >= LOG_INTERVAL_NS) {
		print = true;
		suppressed = l->suppressed;
		l->suppressed = 0;
		l->last_ns = now;
	} else {
		l->suppressed++;
	}
	pthread_mutex_unlock(&p->log_lock);
	if (!print)
		return;
	if (suppressed > 0)
		fp_log_warn("kafka: %s (%llu similar messages suppressed)", text, (unsigned long long)suppressed);
	else
		fp_log_warn("kafka: %s", text);
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct fp_kafka_producer *p = opaque;
	char text[512];

	(void)rk;
	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		atomic_fetch_add_explicit(&p->delivered, 1, memory_order_relaxed);
		atomic_store_explicit(&p->broker_up, true, memory_order_relaxed);
		return;
	}
	atomic_fetch_add_explicit(&p->failed, 1, memory_order_relaxed);
	snprintf(text, sizeof text, "topic %s: a record was not delivered: %s", p->topic_name,
		 rd_kafka_err2str(m->err));
	log_limited(p, LOG_DELIVERY, text);
}

static void on_error(rd_kafka_t *rk, int code, const char *reason, void *opaque)
{
	struct fp_kafka_producer *p = opaque;
	char text[768];

	(void)rk;
	if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || code == RD_KAFKA_RESP_ERR__TRANSPORT ||
	    code == RD_KAFKA_RESP_ERR__RESOLVE)
		atomic_store_explicit(&p->broker_up, false, memory_order_relaxed);
	snprintf(text, sizeof text, "%s (%s)", reason, rd_kafka_err2name((rd_kafka_resp_err_t)code));
	log_limited(p, LOG_BROKER, text);
}

/* librdkafka's own log lines (FAIL, connection errors at level 3)
 * duplicate what error events say, rate-limited; only worse ones pass. */
static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	if (level <= 2)
		fp_log_warn("kafka: %s: %s", fac, buf);
}

struct fp_kafka_producer *fp_kafka_producer_new(const struct fp_kafka_options *o, struct fp_error *err)
{
	char errstr[512];
	struct fp_kafka_producer *p;
	rd_kafka_conf_t *conf = conf_from_options(o, err);

	if (conf == NULL)
		return NULL;
	p = calloc(1, sizeof *p);
	if (p == NULL || (p->topic_name = strdup(o->topic)) == NULL) {
		free(p);
		rd_kafka_conf_destroy(conf);
		fp_error_set(err, "kafka: out of memory");
		return NULL;
	}
	pthread_mutex_init(&p->log_lock, NULL);
	p->key = o->key;
	p->on_full = o->on_full;
	p->flush_timeout_ns = o->flush_timeout_ns > 0 ? o->flush_timeout_ns : DEFAULT_FLUSH_TIMEOUT_NS;
	rd_kafka_conf_set_opaque(conf, p);
	rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
	rd_kafka_conf_set_error_cb(conf, on_error);
	rd_kafka_conf_set_log_cb(conf, on_log);
	p->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
	if (p->rk == NULL) {
		rd_kafka_conf_destroy(conf);
		fp_error_set(err, "kafka: %s", errstr);
		goto fail;
	}
	p->topic = rd_kafka_topic_new(p->rk, o->topic, NULL);
	if (p->topic == NULL) {
		fp_error_set(err, "kafka: topic %s: %s", o->topic, rd_kafka_err2str(rd_kafka_last_error()));
		goto fail;
	}
	return p;
fail:
	if (p->rk != NULL)
		rd_kafka_destroy(p->rk);
	pthread_mutex_destroy(&p->log_lock);
	free(p->topic_name);
	free(p);
	return NULL;
}

int fp_kafka_producer_poll(struct fp_kafka_producer *p)
{
	return rd_kafka_poll(p->rk, 0);
}

int fp_kafka_producer_flush(struct fp_kafka_producer *p, int64_t timeout_ns, struct fp_error *err)
{
	int ms = timeout_ns <= 0 ? 0 : timeout_ns / 1000000 > 3600000 ? 3600000 : (int)(timeout_ns / 1000000);
	int left;

	rd_kafka_flush(p->rk, ms);
	left = rd_kafka_outq_len(p->rk);
	if (left > 0)
		return fp_error_set(err, "kafka: %d records not delivered within %d ms", left, ms);
	return 0;
}

void fp_kafka_producer_stats(const struct fp_kafka_producer *p, struct fp_kafka_stats *out)
{
	struct fp_kafka_producer *q = (struct fp_kafka_producer *)p;	/* atomics load through non-const */
	int len = rd_kafka_outq_len(p->rk);

	out->produced = atomic_load_explicit(&q->produced, memory_order_relaxed);
	out->delivered = atomic_load_explicit(&q->delivered, memory_order_relaxed);
	out->failed = atomic_load_explicit(&q->failed, memory_order_relaxed);
	out->dropped = atomic_load_explicit(&q->dropped, memory_order_relaxed);
	out->bytes = atomic_load_explicit(&q->bytes, memory_order_relaxed);
	out->queued = len > 0 ? (uint64_t)len : 0;
	out->broker_up = atomic_load_explicit(&q->broker_up, memory_order_relaxed);
}

void fp_kafka_producer_free(struct fp_kafka_producer *p)
{
	if (p == NULL)
		return;
	/* What is still queued fails now and is counted by its delivery
	 * report (ERR__PURGE_QUEUE / _INFLIGHT), served by the last poll. */
	rd_kafka_purge(p->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
	rd_kafka_poll(p->rk, 0);
	rd_kafka_topic_destroy(p->topic);
	rd_kafka_destroy(p->rk);
	pthread_mutex_destroy(&p->log_lock);
	free(p->topic_name);
	free(p);
}

/* ------------------------------------------------------------ the key */

/* Columns of the 5-tuple in the record's schema. */
struct key_columns {
	int src_ip, dst_ip, src_port, dst_port, protocol;
};

static int find_either(const struct fp_schema *s, const char *a, const char *b)
{
	int i = fp_schema_find(s, a);

	return i >= 0 ? i : fp_schema_find(s, b);
}

static int key_columns_find(const struct fp_schema *s, struct key_columns *k, struct fp_error *err)
{
	k->src_ip = fp_schema_find(s, "src_ip");
	k->dst_ip = find_either(s, "dest_ip", "dst_ip");
	k->src_port = fp_schema_find(s, "src_port");
	k->dst_port = find_either(s, "dest_port", "dst_port");
	k->protocol = fp_schema_find(s, "protocol");
	if (k->src_ip < 0 || k->dst_ip < 0 || k->src_port < 0 || k->dst_port < 0 || k->protocol < 0)
		return fp_error_set(err, "kafka: key 5tuple: the records lack a 5-tuple column "
				    "(src_ip, dest_ip, src_port, dest_port, protocol); use key: none");
	return 0;
}

/* A cell as short text: strings as they are, numbers in decimal, null
 * as nothing. */
static size_t cell_text(const struct fp_batch *b, int col, size_t row, char *buf, size_t size)
{
	const struct fp_column *c = &b->cols[col];
	size_t len;
	const char *bytes;
	int n;

	if (!fp_column_is_valid(c, row))
		return 0;
	switch (c->type) {
	case FP_TYPE_STRING:
	case FP_TYPE_BINARY:
		bytes = fp_column_bytes(c, row, &len);
		if (len >= size)
			len = size - 1;
		memcpy(buf, bytes, len);
		return len;
	case FP_TYPE_INT32:
		n = snprintf(buf, size, "%d", (int)c->v.i32[row]);
		break;
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP:
		n = snprintf(buf, size, "%lld", (long long)c->v.i64[row]);
		break;
	default:
		n = 0;
		break;
	}
	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

/* An endpoint for ordering: the address as bytes when it parses (so
 * 9.0.0.1 sorts before 10.0.0.1 and IPv4 before IPv6), else as text. */
struct endpoint {
	char addr[64];
	size_t addr_len;
	unsigned char bin[16];
	int bin_len;
	long port;
};

static void endpoint_load(struct endpoint *e, const struct fp_batch *b, int addr_col, int port_col, size_t row)
{
	char port[24];

	e->addr_len = cell_text(b, addr_col, row, e->addr, sizeof e->addr);
	e->addr[e->addr_len] = '\0';
	e->bin_len = inet_pton(AF_INET, e->addr, e->bin) == 1 ? 4 : inet_pton(AF_INET6, e->addr, e->bin) == 1 ? 16 : 0;
	port[cell_text(b, port_col, row, port, sizeof port)] = '\0';
	e->port = strtol(port, NULL, 10);
}

static int endpoint_compare(const struct endpoint *a, const struct endpoint *b)
{
	int c;

	if (a->bin_len != b->bin_len)
		return a->bin_len < b->bin_len ? -1 : 1;
	c = a->bin_len > 0 ? memcmp(a->bin, b->bin, (size_t)a->bin_len) : strcmp(a->addr, b->addr);
	if (c != 0)
		return c;
	return a->port < b->port ? -1 : a->port > b->port;
}

/* "PROTOCOL LOW_ADDR LOW_PORT HIGH_ADDR HIGH_PORT", the lower endpoint
 * first, so a conversation's records share one key whoever started it. */
static size_t key_text(const struct key_columns *k, const struct fp_batch *b, size_t row, char *buf, size_t size)
{
	struct endpoint src, dst;
	const struct endpoint *lo, *hi;
	char proto[24];
	int n;

	endpoint_load(&src, b, k->src_ip, k->src_port, row);
	endpoint_load(&dst, b, k->dst_ip, k->dst_port, row);
	proto[cell_text(b, k->protocol, row, proto, sizeof proto)] = '\0';
	lo = endpoint_compare(&src, &dst) <= 0 ? &src : &dst;
	hi = lo == &src ? &dst : &src;
	n = snprintf(buf, size, "%s %s %ld %s %ld", proto, lo->addr, lo->port, hi->addr, hi->port);
	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

/* ------------------------------------------------------------ the sink */

struct kafka_sink {
	struct fp_sink base;
	struct fp_kafka_producer *producer;
	struct fp_jsonl_row_format *json;
	struct key_columns key;
	char *value;			/* one row's JSON, grown as needed */
	size_t value_size;
};

/* Hands one message to librdkafka. DROP: never waits; WAIT: serves
 * delivery reports until the queue has room. */
static void produce_one(struct fp_kafka_producer *p, const char *value, size_t len, const char *key, size_t key_len)
{
	char text[512];

	for (;;) {
		rd_kafka_resp_err_t e = rd_kafka_producev(
			p->rk, RD_KAFKA_V_RKT(p->topic), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
			RD_KAFKA_V_VALUE((void *)value, len), RD_KAFKA_V_KEY(key, key_len), RD_KAFKA_V_END);

		if (e == RD_KAFKA_RESP_ERR_NO_ERROR) {
			atomic_fetch_add_explicit(&p->produced, 1, memory_order_relaxed);
			atomic_fetch_add_explicit(&p->bytes, len, memory_order_relaxed);
			return;
		}
		if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL && p->on_full == FP_KAFKA_WAIT) {
			rd_kafka_poll(p->rk, WAIT_POLL_MS);
			continue;
		}
		atomic_fetch_add_explicit(&p->dropped, 1, memory_order_relaxed);
		snprintf(text, sizeof text, "topic %s: records dropped: %s%s", p->topic_name, rd_kafka_err2str(e),
			 e == RD_KAFKA_RESP_ERR__QUEUE_FULL ? " (the broker is away or slow; files keep them)" : "");
		log_limited(p, LOG_DROP, text);
		return;
	}
}

/* One row's JSON into s->value, grown to fit; its length, or -1. */
static long row_json(struct kafka_sink *s, const struct fp_batch *b, size_t row)
{
	size_t len = fp_jsonl_row_text(s->json, b, row, s->value, s->value_size);

	if (len >= s->value_size) {
		size_t size = len + 1 > 2 * s->value_size ? len + 1 : 2 * s->value_size;
		char *grown = realloc(s->value, size);

		if (grown == NULL)
			return -1;
		s->value = grown;
		s->value_size = size;
		len = fp_jsonl_row_text(s->json, b, row, s->value, s->value_size);
	}
	return (long)len;
}

static int kafka_write(struct fp_sink *base, const struct fp_batch *b, size_t first_row, size_t nrows,
		       struct fp_error *err)
{
	struct kafka_sink *s = (struct kafka_sink *)base;
	char key[256];

	for (size_t row = first_row; row < first_row + nrows; row++) {
		long len = row_json(s, b, row);
		size_t key_len = 0;

		if (len < 0)
			return fp_error_set(err, "kafka: out of memory");
		if (s->producer->key == FP_KAFKA_KEY_FIVE_TUPLE)
			key_len = key_text(&s->key, b, row, key, sizeof key);
		produce_one(s->producer, s->value, (size_t)len, key_len > 0 ? key : NULL, key_len);
	}
	/* WAIT (the CLI) has no event loop: serve reports as we go. */
	if (s->producer->on_full == FP_KAFKA_WAIT)
		rd_kafka_poll(s->producer->rk, 0);
	return 0;
}

/* Only a WAIT producer waits for deliveries: a daemon's stream closing at
 * rotation must not hold its files back for a broker that is away. What is
 * left is counted, not an error of the stream. */
static int kafka_flush(struct fp_sink *base, struct fp_error *err)
{
	struct kafka_sink *s = (struct kafka_sink *)base;
	struct fp_error ignored;

	(void)err;
	if (s->producer->on_full == FP_KAFKA_WAIT &&
	    fp_kafka_producer_flush(s->producer, s->producer->flush_timeout_ns, &ignored) < 0)
		log_limited(s->producer, LOG_DELIVERY, ignored.msg + strlen("kafka: "));
	return 0;
}

static void kafka_free(struct kafka_sink *s)
{
	fp_jsonl_row_format_free(s->json);
	free(s->value);
	free(s);
}

static int kafka_close(struct fp_sink *base, struct fp_error *err)
{
	kafka_flush(base, err);
	kafka_free((struct kafka_sink *)base);
	return 0;
}

static void kafka_abort(struct fp_sink *base)
{
	kafka_free((struct kafka_sink *)base);
}

static const struct fp_sink_ops kafka_sink_ops = {
	.write = kafka_write,
	.flush = kafka_flush,
	.close = kafka_close,
	.abort = kafka_abort,
};

struct fp_sink *fp_kafka_sink_open(struct fp_kafka_producer *p, const struct fp_schema *schema,
				   struct fp_error *err)
{
	struct kafka_sink *s = calloc(1, sizeof *s);

	if (s == NULL) {
		fp_error_set(err, "kafka: out of memory");
		return NULL;
	}
	s->base.ops = &kafka_sink_ops;
	s->producer = p;
	if (p->key == FP_KAFKA_KEY_FIVE_TUPLE && key_columns_find(schema, &s->key, err) < 0)
		goto fail;
	s->json = fp_jsonl_row_format_new(schema, err);
	if (s->json == NULL)
		goto fail;
	s->value_size = 1024;
	s->value = malloc(s->value_size);
	if (s->value == NULL) {
		fp_error_set(err, "kafka: out of memory");
		goto fail;
	}
	return &s->base;
fail:
	if (s->json != NULL)
		fp_jsonl_row_format_free(s->json);
	free(s);
	return NULL;
}
