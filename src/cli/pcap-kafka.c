/*
 * pcap-kafka.c - `flowprep pcap --kafka` (see pcap-kafka.h).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/pcap-kafka.h"
#include "lib/log.h"
#include "lib/parse-value.h"

struct pcap_kafka {
	struct fp_kafka_producer *producer;
	char *topic;
};

void pcap_kafka_options_init(struct pcap_kafka_options *o)
{
	memset(o, 0, sizeof(*o));
	fp_kafka_options_defaults(&o->k);
	o->k.on_full = FP_KAFKA_WAIT;	/* a back-fill drops nothing */
}

void pcap_kafka_options_free(struct pcap_kafka_options *o)
{
	fp_kafka_options_free(&o->k);
	o->enabled = o->any = false;
}

static int set_text(char **slot, const char *arg)
{
	free(*slot);
	*slot = strdup(arg);
	return *slot ? 0 : -1;
}

/* --kafka-property NAME=VALUE, judged by librdkafka as it comes. */
static int add_property(struct pcap_kafka_options *o, const char *arg)
{
	struct fp_error err = { "" };
	const char *eq = strchr(arg, '=');
	char *name;
	int rc;

	if (eq == NULL || eq == arg) {
		fp_log_err("--kafka-property: '%s' is not NAME=VALUE (e.g. compression.type=lz4)", arg);
		return -1;
	}
	if ((name = strndup(arg, (size_t)(eq - arg))) == NULL) {
		fp_log_err("out of memory");
		return -1;
	}
	rc = fp_kafka_options_add_property(&o->k, name, eq + 1, &err);
	free(name);
	if (rc < 0)
		fp_log_err("--kafka-property: %s", err.msg);
	return rc;
}

int pcap_kafka_option(struct pcap_kafka_options *o, int c, const char *arg)
{
	struct fp_error err = { "" };
	int v;

	switch (c) {
	case OPT_KAFKA:
		o->enabled = true;
		return set_text(&o->k.brokers, arg) < 0 ? (fp_log_err("out of memory"), -1) : 0;
	case OPT_KAFKA_TOPIC:
		o->any = true;
		return set_text(&o->k.topic, arg) < 0 ? (fp_log_err("out of memory"), -1) : 0;
	case OPT_KAFKA_PROPERTY:
		o->any = true;
		return add_property(o, arg);
	case OPT_KAFKA_KEY:
		o->any = true;
		if (fp_parse_enum(arg, fp_kafka_key_names, &v, &err) < 0) {
			fp_log_err("--kafka-key: %s", err.msg);
			return -1;
		}
		o->k.key = (enum fp_kafka_key)v;
		return 0;
	case OPT_KAFKA_FLUSH_TIMEOUT:
		o->any = true;
		if (fp_parse_duration_ns(arg, &o->k.flush_timeout_ns, &err) < 0) {
			fp_log_err("--kafka-flush-timeout: %s", err.msg);
			return -1;
		}
		return 0;
	}
	return 1;
}

int pcap_kafka_check(const struct pcap_kafka_options *o)
{
	struct fp_error err = { "" };

	if (o->any && !o->enabled) {
		fp_log_err("--topic and the --kafka-* options need --kafka BROKERS");
		return -1;
	}
	if (!o->enabled)
		return 0;
	if (o->k.topic == NULL || o->k.topic[0] == '\0') {
		fp_log_err("--kafka needs --topic");
		return -1;
	}
	if (fp_kafka_options_check(&o->k, &err) < 0) {
		fp_log_err("%s", err.msg);
		return -1;
	}
	return 0;
}

struct pcap_kafka *pcap_kafka_start(const struct pcap_kafka_options *o, const struct fp_schema *schema,
				    struct fp_sink **sink, struct fp_error *err)
{
	struct pcap_kafka *pk = calloc(1, sizeof(*pk));

	if (pk == NULL || (pk->topic = strdup(o->k.topic)) == NULL) {
		free(pk);
		fp_error_set(err, "out of memory");
		return NULL;
	}
	pk->producer = fp_kafka_producer_new(&o->k, err);
	if (pk->producer != NULL && (*sink = fp_kafka_sink_open(pk->producer, schema, err)) != NULL)
		return pk;
	fp_kafka_producer_free(pk->producer);
	free(pk->topic);
	free(pk);
	return NULL;
}

int pcap_kafka_finish(struct pcap_kafka *pk, bool quiet, bool has_file, struct fp_kafka_stats *st)
{
	uint64_t lost;

	fp_kafka_producer_poll(pk->producer);
	fp_kafka_producer_stats(pk->producer, st);
	lost = st->failed + st->dropped + st->queued;
	if (!quiet)
		fprintf(stderr, "kafka: %" PRIu64 " records delivered to topic %s\n", st->delivered, pk->topic);
	if (lost > 0)
		fp_log_err("kafka: %" PRIu64 " of %" PRIu64 " records were not delivered to topic %s (%" PRIu64
			   " failed, %" PRIu64 " dropped, %" PRIu64 " still queued)%s",
			   lost, st->produced + st->dropped, pk->topic, st->failed, st->dropped, st->queued,
			   has_file ? "; the output file has them all" : "");
	fp_kafka_producer_free(pk->producer);
	free(pk->topic);
	free(pk);
	return lost > 0 ? -1 : 0;
}
