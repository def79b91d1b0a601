/*
 * kafka-sink.h - flow records as Kafka messages, through librdkafka.
 *
 * Two parts:
 *   - a producer (one rd_kafka_t for a process): made from options whose
 *     `properties` go to librdkafka as they are, so TLS, SASL, compression
 *     and batching need no code of ours; it counts what happened to every
 *     message (delivered, failed, dropped) from librdkafka's delivery
 *     reports, which are served only by fp_kafka_producer_poll(), called by
 *     the owner (the daemon's event loop on a timer; the CLI between
 *     batches);
 *   - a sink (sink/sink.h) per output stream, on that producer: each row of
 *     a record batch becomes one message, its value the row as one JSON
 *     object (format/json/jsonl.h: the columns of the batch's schema, so the
 *     feature set chosen for files is what Kafka carries), its key the
 *     direction-normalized 5-tuple, so both directions of a conversation and
 *     all its records land in one partition.
 *
 * Back-pressure is the producer's choice (on_full):
 *   - FP_KAFKA_DROP (the daemon): produce never waits. When librdkafka's
 *     queue is at its bound (queue.buffering.max.messages / .kbytes), the
 *     message is counted as dropped and the sink goes on: files keep every
 *     record and capture is never slowed by a slow or absent broker;
 *   - FP_KAFKA_WAIT (the CLI back-filling a topic): produce serves delivery
 *     reports until there is room, so nothing is dropped; a broker that
 *     stays away makes the run wait (bounded by message.timeout.ms, after
 *     which librdkafka fails the queued messages and room appears).
 * A Kafka sink never fails because of the broker: undeliverable records
 * are counted (failed, dropped), not errors of the stream, so a file output
 * tee'd with it is never stopped by Kafka.
 *
 * Thread use: the producer may be shared by sinks written on another
 * thread (the daemon's writer) while its owner polls; librdkafka's produce
 * and poll are thread-safe and our counters are atomic. A sink is used by
 * one thread at a time, like every sink.
 *
 * Invariant: every message handed to librdkafka ends up counted exactly
 * once as delivered or failed (by the time fp_kafka_producer_flush()
 * returns with nothing left, or the producer is freed: what is left then is
 * counted as failed); every row a sink took is counted as produced or
 * dropped.
 */
#ifndef FP_SINK_KAFKA_SINK_H
#define FP_SINK_KAFKA_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/parse-value.h"
#include "record/schema.h"
#include "sink/sink.h"

enum fp_kafka_key {
	FP_KAFKA_KEY_FIVE_TUPLE = 0,	/* "5tuple" (default): direction-normalized */
	FP_KAFKA_KEY_NONE,		/* "none": no key, librdkafka's partitioner spreads them */
};

enum fp_kafka_format {
	FP_KAFKA_FORMAT_JSON = 0,	/* "json" (default): one object per record */
};

enum fp_kafka_on_full { FP_KAFKA_DROP = 0, FP_KAFKA_WAIT };

struct fp_kafka_property {
	char *name;
	char *value;
};

struct fp_kafka_options {
	char *brokers;			/* "host:port,host:port" (bootstrap.servers); required */
	char *topic;			/* required */
	enum fp_kafka_key key;
	enum fp_kafka_format format;
	struct fp_kafka_property *properties;	/* passed to librdkafka in order */
	size_t nproperties;
	int64_t flush_timeout_ns;	/* at shutdown; default 10 s */
	enum fp_kafka_on_full on_full;
};

/* Defaults; everything NULL/empty. */
void fp_kafka_options_defaults(struct fp_kafka_options *o);
/* Frees the strings and the property array; leaves `o` at defaults. */
void fp_kafka_options_free(struct fp_kafka_options *o);
/* Whether two option sets say the same (properties in the same order). */
bool fp_kafka_options_equal(const struct fp_kafka_options *a, const struct fp_kafka_options *b);
/* Appends a property (copied). -1 when memory runs out. */
int fp_kafka_options_add_property(struct fp_kafka_options *o, const char *name, const char *value,
				  struct fp_error *err);
/* Their names ("5tuple", "none"; "json"), one table for the CLI and the
 * daemon's configuration (read with fp_parse_enum()). */
extern const struct fp_enum_name fp_kafka_key_names[];
extern const struct fp_enum_name fp_kafka_format_names[];

/* Checks the options without connecting: brokers and topic set, and every
 * property accepted by librdkafka (an unknown name or a bad value gives
 * librdkafka's own text, naming the property). */
int fp_kafka_options_check(const struct fp_kafka_options *o, struct fp_error *err);

/* ------------------------------------------------------------ producer */

struct fp_kafka_producer;

/* What happened to the messages so far (monotonic counters, except
 * `queued`, librdkafka's current queue length). */
struct fp_kafka_stats {
	uint64_t produced;	/* handed to librdkafka */
	uint64_t delivered;	/* acknowledged by the broker */
	uint64_t failed;	/* delivery failed (timeout, broker error), or left at free */
	uint64_t dropped;	/* never handed over: queue full (DROP), or too large */
	uint64_t queued;	/* in librdkafka now (produced, not yet reported) */
	uint64_t bytes;		/* value bytes of the produced messages */
	bool broker_up;		/* librdkafka had a broker connection at the last poll */
};

/* Makes the producer: checks the options (as above) and starts librdkafka,
 * which connects in the background (an unreachable broker is not an error
 * here: messages wait in the queue and are reported later). */
struct fp_kafka_producer *fp_kafka_producer_new(const struct fp_kafka_options *o, struct fp_error *err);

/* Serves delivery reports and error events without waiting. Returns the
 * number of events served. Errors librdkafka reports (broker down, all
 * brokers down, message failures) are logged at most once per 10 s per
 * kind, with a count of those suppressed. */
int fp_kafka_producer_poll(struct fp_kafka_producer *p);

/* Waits up to `timeout_ns` for every queued message to be reported.
 * Returns 0 if nothing is left, else -1 with err saying how many were left
 * (the stats still count them as queued until free). */
int fp_kafka_producer_flush(struct fp_kafka_producer *p, int64_t timeout_ns, struct fp_error *err);

void fp_kafka_producer_stats(const struct fp_kafka_producer *p, struct fp_kafka_stats *out);

/* Purges what is left (counted as failed) and frees. */
void fp_kafka_producer_free(struct fp_kafka_producer *p);

/* ------------------------------------------------------------ sink */

/* A sink publishing rows of `schema` (borrowed; it must outlive the sink)
 * to the producer's topic. Refuses a schema without the key's columns when
 * the key is the 5-tuple (src_ip, dest_ip or dst_ip, src_port, dest_port or
 * dst_port, protocol). The key is the text
 *   "PROTOCOL LOW_ADDR LOW_PORT HIGH_ADDR HIGH_PORT"    e.g. "6 10.0.0.1 80 10.0.0.2 51234"
 * whose lower endpoint comes first (addresses compared as numbers, IPv4
 * before IPv6, then ports), so it is the same for either direction
 * (sink/kafka-key.h).
 * With a WAIT producer, flush and close wait for deliveries (up to the
 * flush timeout); with DROP they return at once (the owner flushes the
 * producer at shutdown), so a daemon's hourly close is never held back by
 * a broker. Neither fails for what was left: it is counted. The producer
 * must outlive the sink. */
struct fp_sink *fp_kafka_sink_open(struct fp_kafka_producer *p, const struct fp_schema *schema,
				   struct fp_error *err);

#endif
