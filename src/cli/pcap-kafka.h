/*
 * pcap-kafka.h - `flowprep pcap --kafka BROKERS --topic T`: publishing a
 * run's flow records to Kafka, beside or instead of an output file (to
 * back-fill a topic from archived captures).
 *
 * The options are read here (pcap-options.c hands them over), judged
 * before any input is read (librdkafka checks every --kafka-property), and
 * the run's Kafka sink is teed with the file sink, so both get the same
 * record batches. The producer waits for room when librdkafka's queue is
 * full (FP_KAFKA_WAIT): a back-fill drops nothing. At the end the sink's
 * close flushes for at most --kafka-flush-timeout, and any record not
 * delivered makes the run fail (status 1) after the file was published.
 */
#ifndef FP_CLI_PCAP_KAFKA_H
#define FP_CLI_PCAP_KAFKA_H

#include <stdbool.h>

#include "lib/error.h"
#include "record/schema.h"
#include "sink/kafka-sink.h"

enum {
	OPT_KAFKA = 512, OPT_KAFKA_TOPIC, OPT_KAFKA_PROPERTY, OPT_KAFKA_KEY, OPT_KAFKA_FLUSH_TIMEOUT,
};

/* getopt_long entries, in the form of struct option initializers. */
#define PCAP_KAFKA_LONG_OPTIONS                                                                   \
	{ "kafka", required_argument, NULL, OPT_KAFKA },                                          \
	{ "topic", required_argument, NULL, OPT_KAFKA_TOPIC },                                    \
	{ "kafka-property", required_argument, NULL, OPT_KAFKA_PROPERTY },                        \
	{ "kafka-key", required_argument, NULL, OPT_KAFKA_KEY },                                  \
	{ "kafka-flush-timeout", required_argument, NULL, OPT_KAFKA_FLUSH_TIMEOUT }

/* The lines of --help about them. */
#define PCAP_KAFKA_HELP                                                                           \
	"      --kafka BROKERS     also publish every record to Kafka (host:port,...), one JSON\n"  \
	"                          object per flow keyed by the 5-tuple; OUTPUT is optional then\n" \
	"      --topic T           the Kafka topic (needed with --kafka)\n"                         \
	"      --kafka-property NAME=VALUE  a librdkafka setting (compression.type=lz4,\n"        \
	"                          linger.ms=50, security.protocol=ssl...); repeatable\n"           \
	"      --kafka-key K       5tuple (default: both directions in one partition) or none\n"    \
	"      --kafka-flush-timeout T  how long to wait for deliveries at the end (default 10s)\n"

struct pcap_kafka_options {
	bool enabled;		/* --kafka given */
	bool any;		/* any Kafka option given (they need --kafka) */
	struct fp_kafka_options k;
};

void pcap_kafka_options_init(struct pcap_kafka_options *o);
void pcap_kafka_options_free(struct pcap_kafka_options *o);

/* Takes option `c`: 0 done, -1 refused (message printed), 1 not a Kafka
 * option. */
int pcap_kafka_option(struct pcap_kafka_options *o, int c, const char *arg);

/* After all options: the combination, and librdkafka's word on every
 * property. -1 with a message printed. */
int pcap_kafka_check(const struct pcap_kafka_options *o);

/* A run's producer and its sink for records of `schema`. */
struct pcap_kafka;
struct pcap_kafka *pcap_kafka_start(const struct pcap_kafka_options *o, const struct fp_schema *schema,
				    struct fp_sink **sink, struct fp_error *err);
/* After the sink was closed (it flushed) or aborted: reports what was
 * delivered (a line unless quiet; JSON figures in *stats); 0 if every
 * record was delivered, else -1 with a message printed. Frees `pk`. */
int pcap_kafka_finish(struct pcap_kafka *pk, bool quiet, bool has_file, struct fp_kafka_stats *stats);

#endif
