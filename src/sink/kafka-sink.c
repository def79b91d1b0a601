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
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#include "format/json/jsonl.h"
#include "lib/log.h"
#include "sink/kafka-key.h"
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

static bool same_text(const char *a, const char *b)
{
	return (a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0);
}

bool fp_kafka_options_equal(const struct fp_kafka_options *a, const struct fp_kafka_options *b)
{
	if (!same_text(a->brokers, b->brokers) || !same_text(a->topic, b->topic) || a->key != b->key ||
	    a->format != b->format || a->flush_timeout_ns != b->flush_timeout_ns || a->on_full != b->on_full ||
	    a->nproperties != b->nproperties)
		return false;
	for (size_t i = 0; i < a->nproperties; i++)
		if (!same_text(a->properties[i].name, b->properties[i].name) ||
		    !same_text(a->properties[i].value, b->properties[i].value))
			return false;
	return true;
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

const struct fp_enum_name fp_kafka_key_names[] = {
	{ "5tuple", FP_KAFKA_KEY_FIVE_TUPLE },
	{ "none", FP_KAFKA_KEY_NONE },
	{ NULL, 0 },
};

const struct fp_enum_name fp_kafka_format_names[] = {
	{ "json", FP_KAFKA_FORMAT_JSON },
	{ NULL, 0 },
};

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

/* Logs unless a line of the same kind went out less than LOG_INTERVAL_NS
 * ago; the text is formatted only when it is printed. */
static void log_limited(struct fp_kafka_producer *p, enum log_kind kind, const char *fmt, ...) FP_PRINTF(3, 4);
static void log_limited(struct fp_kafka_producer *p, enum log_kind kind, const char *fmt, ...)
{
	int64_t now = monotonic_ns();
	struct rate_log *l = &p->logs[kind];
	uint64_t suppressed = 0;
	bool print = false;
	char text[768];
	va_list ap;

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
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (suppressed > 0)
		fp_log_warn("kafka: %s (%llu similar messages suppressed)", text, (unsigned long long)suppressed);
	else
		fp_log_warn("kafka: %s", text);
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct fp_kafka_producer *p = opaque;

	(void)rk;
	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		atomic_fetch_add_explicit(&p->delivered, 1, memory_order_relaxed);
		atomic_store_explicit(&p->broker_up, true, memory_order_relaxed);
		return;
	}
	atomic_fetch_add_explicit(&p->failed, 1, memory_order_relaxed);
	log_limited(p, LOG_DELIVERY, "topic %s: a record was not delivered: %s", p->topic_name,
		    rd_kafka_err2str(m->err));
}

static void on_error(rd_kafka_t *rk, int code, const char *reason, void *opaque)
{
	struct fp_kafka_producer *p = opaque;

	(void)rk;
	if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || code == RD_KAFKA_RESP_ERR__TRANSPORT ||
	    code == RD_KAFKA_RESP_ERR__RESOLVE)
		atomic_store_explicit(&p->broker_up, false, memory_order_relaxed);
	log_limited(p, LOG_BROKER, "%s (%s)", reason, rd_kafka_err2name((rd_kafka_resp_err_t)code));
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

/* ------------------------------------------------------------ the sink */

#define CHUNK_ROWS 256		/* messages handed to librdkafka in one call */

struct kafka_sink {
	struct fp_sink base;
	struct fp_kafka_producer *producer;
	struct fp_jsonl_row_format *json;
	struct fp_kafka_key_columns key;
	char *arena;			/* a chunk's values and keys, grown as needed */
	size_t arena_size;
	rd_kafka_message_t msgs[CHUNK_ROWS];
	size_t value_at[CHUNK_ROWS], key_at[CHUNK_ROWS];	/* offsets: the arena may move */
};

/* Hands msgs[0, n) to librdkafka in one call (one lock per partition,
 * not per message). DROP: what does not fit is counted and let go; WAIT:
 * delivery reports are served until the queue takes the rest. */
static void produce_chunk(struct fp_kafka_producer *p, rd_kafka_message_t *msgs, int n)
{
	while (n > 0) {
		int queued = rd_kafka_produce_batch(p->topic, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, msgs, n);
		int retry = 0;
		uint64_t bytes = 0, dropped = 0;
		rd_kafka_resp_err_t why = RD_KAFKA_RESP_ERR_NO_ERROR;

		for (int i = 0; i < n; i++) {
			if (msgs[i].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
				bytes += msgs[i].len;
			} else if (msgs[i].err == RD_KAFKA_RESP_ERR__QUEUE_FULL && p->on_full == FP_KAFKA_WAIT) {
				msgs[retry++] = msgs[i];	/* in order: retry <= i */
			} else {
				dropped++;
				why = msgs[i].err;
			}
		}
		atomic_fetch_add_explicit(&p->produced, (uint64_t)queued, memory_order_relaxed);
		atomic_fetch_add_explicit(&p->bytes, bytes, memory_order_relaxed);
		if (dropped > 0) {	/* one count and one (rate-limited) line per chunk */
			atomic_fetch_add_explicit(&p->dropped, dropped, memory_order_relaxed);
			log_limited(p, LOG_DROP, "topic %s: records dropped: %s%s", p->topic_name, rd_kafka_err2str(why),
				    why == RD_KAFKA_RESP_ERR__QUEUE_FULL ? " (the broker is away or slow; files keep them)"
									 : "");
		}
		if (retry > 0)
			rd_kafka_poll(p->rk, WAIT_POLL_MS);
		n = retry;
	}
}

/* Room for `need` more bytes after `used` in the arena. */
static int arena_reserve(struct kafka_sink *s, size_t used, size_t need)
{
	size_t size = s->arena_size;
	char *grown;

	if (used + need <= size)
		return 0;
	while (size < used + need)
		size *= 2;
	if ((grown = realloc(s->arena, size)) == NULL)
		return -1;
	s->arena = grown;
	s->arena_size = size;
	return 0;
}

/* Row `row`'s value (and key) appended to the arena at *used, noted as
 * message `i`. */
static int render_row(struct kafka_sink *s, const struct fp_batch *b, size_t row, int i, size_t *used)
{
	size_t len = fp_jsonl_row_text(s->json, b, row, s->arena + *used, s->arena_size - *used);

	if (len >= s->arena_size - *used) {	/* did not fit: grow, render again */
		if (arena_reserve(s, *used, len + 1) < 0)
			return -1;
		len = fp_jsonl_row_text(s->json, b, row, s->arena + *used, s->arena_size - *used);
	}
	s->value_at[i] = *used;
	memset(&s->msgs[i], 0, sizeof(s->msgs[i]));
	s->msgs[i].len = len;
	*used += len;
	if (s->producer->key != FP_KAFKA_KEY_FIVE_TUPLE)
		return 0;
	if (arena_reserve(s, *used, FP_KAFKA_KEY_MAX) < 0)
		return -1;
	s->key_at[i] = *used;
	s->msgs[i].key_len = fp_kafka_key_text(&s->key, b, row, s->arena + *used);
	*used += s->msgs[i].key_len;
	return 0;
}

static int kafka_write(struct fp_sink *base, const struct fp_batch *b, size_t first_row, size_t nrows,
		       struct fp_error *err)
{
	struct kafka_sink *s = (struct kafka_sink *)base;

	for (size_t done = 0; done < nrows;) {
		int n = nrows - done < CHUNK_ROWS ? (int)(nrows - done) : CHUNK_ROWS;
		size_t used = 0;

		for (int i = 0; i < n; i++)
			if (render_row(s, b, first_row + done + (size_t)i, i, &used) < 0)
				return fp_error_set(err, "kafka: out of memory");
		for (int i = 0; i < n; i++) {	/* pointers only now: the arena has stopped moving */
			s->msgs[i].payload = s->arena + s->value_at[i];
			s->msgs[i].key = s->msgs[i].key_len > 0 ? s->arena + s->key_at[i] : NULL;
		}
		produce_chunk(s->producer, s->msgs, n);
		done += (size_t)n;
	}
	/* WAIT (the CLI) has no event loop: serve reports as we go. */
	if (s->producer->on_full == FP_KAFKA_WAIT)
		rd_kafka_poll(s->producer->rk, 0);
	return 0;
}

/* Only a WAIT producer waits for deliveries: a daemon's stream closing at
 * rotation must not hold its files back for a broker that is away. What is
 * left is counted (the stats' queued), not an error of the stream; the
 * owner reports it. */
static int kafka_flush(struct fp_sink *base, struct fp_error *err)
{
	struct kafka_sink *s = (struct kafka_sink *)base;
	struct fp_error left;

	(void)err;
	if (s->producer->on_full == FP_KAFKA_WAIT)
		(void)fp_kafka_producer_flush(s->producer, s->producer->flush_timeout_ns, &left);
	return 0;
}

static void kafka_free(struct kafka_sink *s)
{
	fp_jsonl_row_format_free(s->json);
	free(s->arena);
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
	if (p->key == FP_KAFKA_KEY_FIVE_TUPLE && fp_kafka_key_columns_find(schema, &s->key, err) < 0)
		goto fail;
	s->json = fp_jsonl_row_format_new(schema, err);
	if (s->json == NULL)
		goto fail;
	s->arena_size = 64 * 1024;
	s->arena = malloc(s->arena_size);
	if (s->arena == NULL) {
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
