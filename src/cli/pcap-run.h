/*
 * pcap-run.h - metering a list of capture files into one sink.
 *
 * Each input is metered on its own (flows do not span files) and its
 * records are written in input order. With jobs > 1, worker threads meter
 * inputs in parallel into spill files that the calling thread replays in
 * order, so the output is byte-identical whatever the number of jobs.
 * With `merge`, the inputs are one stream (merge-source.h) into one meter.
 * Inputs go through the filter (input-filter.h); the run stops early at
 * `max_packets` or when a signal arrives (interrupt.h).
 */
#ifndef FP_CLI_PCAP_RUN_H
#define FP_CLI_PCAP_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/input-filter.h"
#include "cli/progress.h"
#include "decode/decode.h"
#include "flow/flow-engine.h"
#include "lib/error.h"
#include "pipeline/meter.h"
#include "sink/sink.h"

struct input_result {
	uint64_t size;			/* file size */
	bool failed;			/* unreadable or cut short (set before the run: skipped) */
	uint64_t filtered;		/* packets dropped by the filter or the time window */
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
	const struct input_filter_config *filter;
	uint64_t max_packets;		/* -c: 0 = no limit (forces one input at a time) */
	bool merge;			/* all inputs as one stream, one meter */
	bool publish_on_interrupt;	/* on a signal, still end the flows and emit them */
	size_t output_queue;		/* batches queued for the output thread: the meters'
					 * pool but the one being filled */

	/* results */
	struct input_result *results;	/* ninputs entries, allocated by the caller */
	struct fp_decode_stats decode;
	struct fp_flow_stats flows;	/* summed over inputs; max_active_flows is the largest */
	uint64_t records;
	uint64_t fed;			/* packets given to meters (what -c counts) */
	bool interrupted;		/* stopped by SIGINT/SIGTERM */
	struct fp_error sink_error;	/* set when writing the output failed (fatal) */
};

/* Returns 0, or -1 if the output could not be written (run->sink_error). */
int pcap_run(struct pcap_run *run);

#endif
