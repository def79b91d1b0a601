/*
 * pcap-options.h - the options and arguments of `flowprep pcap`.
 *
 * Parsing only records what was asked; judging the combination (does the
 * output's extension agree with -f?) is cmd-pcap.c's, and each stage
 * validates its own values as they are set (see pcap-options.c).
 */
#ifndef FP_CLI_PCAP_OPTIONS_H
#define FP_CLI_PCAP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/pcap-kafka.h"
#include "pipeline/meter.h"
#include "sink/sink.h"

enum summary_style { SUMMARY_AUTO, SUMMARY_LINES, SUMMARY_LINE };

struct pcap_options {
	struct fp_flow_config flow;
	struct fp_format_options sink;
	int jobs;
	bool quiet;
	size_t batch_rows;
	bool compression_set;		/* --compression was given */
	bool merge;			/* inputs as one stream in time order */
	char *filter;			/* BPF expression (malloc'd), or NULL */
	uint64_t max_packets;		/* -c: 0 = no limit */
	bool has_since, has_until;
	int64_t since_ns, until_ns;	/* [since, until) */
	enum summary_style summary;
	const char *json_summary;	/* --json-summary FILE, or NULL */
	bool publish_on_interrupt;
	const struct fp_feature_set *features;	/* --features; NULL: canonical */
	struct pcap_kafka_options kafka;	/* --kafka, --topic, --kafka-* */

	/* the arguments */
	char **inputs;
	size_t ninputs;
	const char *output;		/* NULL: none (only with --kafka) */
};

enum { PCAP_PARSE_RUN, PCAP_PARSE_EXIT_OK, PCAP_PARSE_USAGE_ERROR };

/* Fills `o` from argv; returns one of the above (messages are printed). */
int pcap_options_parse(struct pcap_options *o, int argc, char **argv);
void pcap_options_free(struct pcap_options *o);

#endif
