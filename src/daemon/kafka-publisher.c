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
#include <string.h>

#include "daemon/kafka-publisher.h"
#include "lib/log.h"

struct fpd_kafka {
	struct fp_kafka_producer *producer;
	struct event *poll;
	struct fp_kafka_options options;	/* a copy, for reload comparison */
	int64_t flush_timeout_ns;
};

static void on_poll(evutil_socket_t fd, short what, void *arg)
{
	struct fpd_kafka *k = arg;

	(void)fd;
	(void)what;
	fp_kafka_producer_poll(k->producer);
}

static int copy_options(struct fp_kafka_options *to, const struct fp_kafka_options *from, struct fp_error *err)
{
	fp_kafka_options_defaults(to);
	to->key = from->key;
	to->format = from->format;
	to->flush_timeout_ns = from->flush_timeout_ns;
	to->on_full = from->on_full;
	to->brokers = strdup(from->brokers);
	to->topic = strdup(from->topic);
	if (to->brokers == NULL || to->topic == NULL)
		return fp_error_set(err, "out of memory");
	for (size_t i = 0; i < from->nproperties; i++)
		if (fp_kafka_options_add_property(to, from->properties[i].name, from->properties[i].value, err) < 0)
			return -1;
	return 0;
}

static void free_kafka(struct fpd_kafka *k)
{
	if (k->poll != NULL)
		event_free(k->poll);
	fp_kafka_producer_free(k->producer);
	fp_kafka_options_free(&k->options);
	free(k);
}

struct fpd_kafka *fpd_kafka_start(struct event_base *base, const struct fp_kafka_options *o, struct fp_error *err)
{
	struct timeval every = { 0, FPD_KAFKA_POLL_MS * 1000 };
	struct fpd_kafka *k = calloc(1, sizeof(*k));

	if (k == NULL)
		return fp_error_set(err, "out of memory"), NULL;
	if (copy_options(&k->options, o, err) < 0)
		goto fail;
	k->options.on_full = FP_KAFKA_DROP;	/* a daemon never waits for a broker */
	k->flush_timeout_ns = o->flush_timeout_ns;
	k->producer = fp_kafka_producer_new(&k->options, err);
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

static bool same_text(const char *a, const char *b)
{
	return (a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0);
}

bool fpd_kafka_same_options(const struct fpd_kafka *k, const struct fp_kafka_options *o)
{
	const struct fp_kafka_options *r = &k->options;

	if (!same_text(r->brokers, o->brokers) || !same_text(r->topic, o->topic) || r->key != o->key ||
	    r->format != o->format || r->flush_timeout_ns != o->flush_timeout_ns || r->nproperties != o->nproperties)
		return false;
	for (size_t i = 0; i < r->nproperties; i++)
		if (!same_text(r->properties[i].name, o->properties[i].name) ||
		    !same_text(r->properties[i].value, o->properties[i].value))
			return false;
	return true;
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
