/*
 * kafka-publisher.h - the daemon's Kafka producer: made at start when the
 * configuration has a kafka: section, served from the event loop, flushed
 * at shutdown.
 *
 * Every output stream (outputs.c) tees a Kafka sink on this producer
 * beside its files, on the output thread; the producer never waits
 * (FP_KAFKA_DROP), so a broker that is away or slow costs capture and
 * files nothing: past librdkafka's queue bound records are counted as
 * dropped. Delivery reports are served on the loop thread by a timer
 * every FPD_KAFKA_POLL_MS; shutdown, after the output thread has closed
 * every stream, waits at most kafka.flush_timeout for what is queued and
 * logs what was left.
 *
 * A reload does not touch the producer: kafka: changes take effect at the
 * next start (the daemon says so in its log).
 */
#ifndef FP_DAEMON_KAFKA_PUBLISHER_H
#define FP_DAEMON_KAFKA_PUBLISHER_H

#include <stdbool.h>

#include <event2/event.h>

#include "lib/error.h"
#include "sink/kafka-sink.h"

#define FPD_KAFKA_POLL_MS 100

struct fpd_kafka;

/* Makes the producer and its poll timer. An unreachable broker is not an
 * error: librdkafka keeps trying. The options are not kept: the daemon's
 * configuration keeps the running ones across reloads. */
struct fpd_kafka *fpd_kafka_start(struct event_base *base, const struct fp_kafka_options *o, struct fp_error *err);

/* For sinks; lives until fpd_kafka_stop(). */
struct fp_kafka_producer *fpd_kafka_producer(struct fpd_kafka *k);

void fpd_kafka_stats(const struct fpd_kafka *k, struct fp_kafka_stats *out);

/* Flushes within the flush timeout, logs the totals and what was left,
 * frees. Call after every sink on the producer is closed. NULL is fine. */
void fpd_kafka_stop(struct fpd_kafka *k);

#endif
