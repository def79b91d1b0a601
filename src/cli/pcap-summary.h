/*
 * pcap-summary.h - what `flowprep pcap` says when it is done: a few short
 * lines on a terminal, one line otherwise (for logs and scripts that grep),
 * and a JSON document for programs (--json-summary).
 */
#ifndef FP_CLI_PCAP_SUMMARY_H
#define FP_CLI_PCAP_SUMMARY_H

#include <stdbool.h>

#include "cli/pcap-options.h"
#include "cli/pcap-run.h"

struct pcap_outcome {
	const struct pcap_run *run;
	const char *output;
	double seconds;
	int exit_status;
	bool published;		/* the output holds the records */
	const struct fp_kafka_stats *kafka;	/* --kafka: what was delivered; else NULL */
};

void print_summary(const struct pcap_outcome *o, enum summary_style style);
/* Writes the JSON summary to `path` ("-": stdout), atomically. */
int write_json_summary(const struct pcap_outcome *o, const char *path);
/* Warnings that hold even with -q. */
void warn_about_flows(const struct pcap_run *run);
/* Reports unreadable inputs (each once); returns how many there were. */
int report_inputs(const struct pcap_run *run, bool *reported);

#endif
