/*
 * pcap-run.h - metering a list of capture files into one sink.
 *
 * Each input is metered on its own (flows do not span files) and its
 * records are written in input order. With jobs > 1, worker threads meter
 * inputs in parallel into spill files that the calling thread replays in
 * order, so the output is byte-identical whatever the number of jobs.
 */
#ifndef FP_CLI_PCAP_RUN_H
#define FP_CLI_PCAP_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/progress.h"
#include "decode/decode.h"
#include "flow/flow-engine.h"
#include "lib/error.h"
#include "pipeline/meter.h"
#include "sink/sink.h"

struct input_result {
	uint64_t size;			/* file size */
	bool failed;			/* unreadable or cut short */
	bool unsupported_link;
	int linktype;
	struct fp_error error;
};

struct pcap_run {
	/* set by the caller */
	const struct fp_meter_config *meter;	/* every input's meter (and the record schema) */
	char **inputs;
	size_t ninputs;
	int jobs;
	const char *spill_dir;
	struct fp_sink *sink;
	struct progress *progress;

	/* results */
	struct input_result *results;	/* ninputs entries, allocated by pcap_run() */
	struct fp_decode_stats decode;
	struct fp_flow_stats flows;	/* summed over inputs; max_active_flows is the largest */
	uint64_t records;
	struct fp_error sink_error;	/* set when writing the output failed (fatal) */
};

/* Returns 0, or -1 if the output could not be written (run->sink_error). */
int pcap_run(struct pcap_run *run);

#endif
