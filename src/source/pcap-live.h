/*
 * pcap-live.h - a live interface as a source (source.h), through libpcap.
 *
 * The handle is made with pcap_create()/pcap_activate() so snap length,
 * promiscuous mode, kernel buffer size, immediate delivery and timestamp
 * precision can be set; it is non-blocking and offers its selectable fd,
 * so an event loop waits on it. next() returns 0 when nothing is buffered.
 * An error while reading (the interface went away or down) is returned
 * once as -1 and the source ends: the daemon reopens it with backoff.
 */
#ifndef FP_SOURCE_PCAP_LIVE_H
#define FP_SOURCE_PCAP_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "source/source.h"

struct fp_live_options {
	const char *interface;
	const char *filter;		/* BPF program text, or NULL/"" for everything */
	int snaplen;			/* 0: 262144 */
	bool promiscuous;
	size_t buffer_size;		/* kernel buffer bytes; 0: libpcap's default */
	bool immediate;			/* deliver each packet at once (else batches, 100 ms at most) */
};

struct fp_live_stats {
	uint64_t received;		/* packets the kernel saw for us */
	uint64_t dropped;		/* dropped by the kernel: our buffer was full */
	uint64_t if_dropped;		/* dropped by the interface or driver */
};

/* Opens and activates the capture. Errors name the interface and say why
 * (no such device, no permission: needs CAP_NET_RAW, bad filter...). */
struct fp_source *fp_source_open_live(const struct fp_live_options *o, struct fp_error *err);

/* The kernel's counters since the capture was opened (pcap_stats()),
 * widened to 64 bits across the 32-bit wraps of the kernel's counters when
 * called at least once per wrap. */
int fp_source_live_stats(struct fp_source *s, struct fp_live_stats *out, struct fp_error *err);

#endif
