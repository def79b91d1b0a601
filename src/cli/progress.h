/*
 * progress.h - the progress line `flowprep pcap` keeps on a terminal.
 *
 * Workers add to relaxed atomic counters every few thousand packets; one
 * thread redraws the line at most four times a second. Disabled (and
 * silent) when stderr is not a terminal or with -q.
 */
#ifndef FP_CLI_PROGRESS_H
#define FP_CLI_PROGRESS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct progress {
	bool enabled;
	uint64_t total_bytes;		/* sum of input sizes (0 if unknown) */
	double start;
	double last_draw;
	_Atomic uint64_t bytes_done;
	_Atomic uint64_t packets;
	_Atomic int64_t active_flows;
	_Atomic uint64_t flows_written;
};

void progress_init(struct progress *p, bool enabled, uint64_t total_bytes);
/* Redraws the line if enough time passed (or `force`). */
void progress_draw(struct progress *p, bool force);
/* Erases the line before other output. */
void progress_clear(struct progress *p);

#endif
