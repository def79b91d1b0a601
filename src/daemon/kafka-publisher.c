/*
 * kafka-publisher.c - the daemon's Kafka producer (see kafka-publisher.h).
 *
 * Invariant: only the loop thread polls (the timer) and only after the
 * loop has ended does stop flush, so delivery reports are never served by
 * the output thread, which only produces.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>

#include "daemon/kafka-publisher.h"
#include "lib/log.h"

struct fpd_kafka {
	struct fp_kafka_producer *producer;
	struct event *poll;
	int64_t flush_timeout_ns;
};

static void on_poll(evutil_socket_t fd, short what, void *arg)
{
	struct fpd_kafka *k = arg;

	(void)fd;
	(void)what;
	fp_kafka_producer_poll(k->producer);
}

static void free_kafka(struct fpd_kafka *k)
{
	if (k->poll != NULL)
		event_free(k->poll);
	fp_kafka_producer_free(k->producer);
	free(k);
}

struct fpd_kafka *fpd_kafka_start(struct event_base *base, const struct fp_kafka_options *o, struct fp_error *err)
{
	struct timeval every = { 0, FPD_KAFKA_POLL_MS * 1000 };
	struct fp_kafka_options dropping = *o;	/* shallow: the producer copies what it keeps */
	struct fpd_kafka *k = calloc(1, sizeof(*k));

	if (k == NULL)
		return fp_error_set(err, "out of memory"), NULL;
	dropping.on_full = FP_KAFKA_DROP;	/* a daemon never waits for a broker */
	k->flush_timeout_ns = o->flush_timeout_ns;
	k->producer = fp_kafka_producer_new(&dropping, err);
	if (k->producer == NULL)
		goto fail;
	k->poll = event_new(base, -1, EV_PERSIST, on_poll, k);
	if (k->poll == NULL || event_add(k->poll, &every) < 0) {
		fp_error_set(err, "kafka: cannot set up the delivery report timer");
		goto fail;
	}
	fp_log(FP_LOG_NOTICE, "kafka: publishing to topic %s on %s", o->topic, o->brokers);
	return k;
fail:
	free_kafka(k);
	return NULL;
}

struct fp_kafka_producer *fpd_kafka_producer(struct fpd_kafka *k)
{
	return k->producer;
}

void fpd_kafka_stats(const struct fpd_kafka *k, struct fp_kafka_stats *out)
{
	fp_kafka_producer_stats(k->producer, out);
}

void fpd_kafka_stop(struct fpd_kafka *k)
{
	struct fp_kafka_stats st;
	struct fp_error err = { "" };

	if (k == NULL)
		return;
	event_del(k->poll);
	if (fp_kafka_producer_flush(k->producer, k->flush_timeout_ns, &err) < 0)
		fp_log(FP_LOG_WARNING, "%s; they are in the output files", err.msg);
	fp_kafka_producer_stats(k->producer, &st);
	fp_log(FP_LOG_NOTICE,
	       "kafka: %" PRIu64 " records delivered, %" PRIu64 " failed, %" PRIu64 " dropped, %" PRIu64
	       " left undelivered at shutdown",
	       st.delivered, st.failed, st.dropped, st.queued);
	free_kafka(k);
}
