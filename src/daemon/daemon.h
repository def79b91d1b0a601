/*
 * daemon.h - flowprepd's state: one libevent base driving live captures,
 * the spool, the output thread, signals, systemd notification and metrics.
 *
 * Everything here runs on the loop thread except the sinks (writer.c).
 * Work is sliced: a capture is fed at most CAPTURE_BUDGET packets per
 * wake-up, a spool file SPOOL_BUDGET packets per loop turn (at a lower
 * priority than captures), and the meters' timer advances end at most
 * ADVANCE_BUDGET flows per source per tick, so no callback runs long.
 */
#ifndef FP_DAEMON_DAEMON_H
#define FP_DAEMON_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>

#include "daemon/daemon-config.h"
#include "daemon/writer.h"
#include "flow/flow-features.h"
#include "pipeline/meter.h"
#include "source/pcap-live.h"

#define FPD_CAPTURE_BUDGET 4096		/* packets per readable event */
#define FPD_SPOOL_BUDGET 16384		/* packets per spool slice */
#define FPD_ADVANCE_BUDGET 16384	/* flows ended per source per tick */
#define FPD_LIVE_GRACE_NS 1000000000LL	/* the timer clock trails the wall clock by this,
					 * so packets still in kernel buffers are not late */

struct fpd_daemon;
struct fpd_capture;
struct fpd_spool_run;
struct fpd_metrics;
struct fpd_kafka;

/* One live interface's figures (metrics, STATUS). */
struct fpd_capture_stats {
	const char *name;
	bool up;
	uint64_t packets;			/* read from the interface */
	uint64_t bytes;				/* in the configured accounting */
	uint64_t kernel_received, kernel_dropped, if_dropped;
	uint64_t paused;			/* times reading stopped for lack of batch room */
	uint64_t reopened;
	uint64_t flows_live;
	uint64_t flows_ended[FP_END__COUNT];
};

/* Counters of everything the daemon did, for STATUS and metrics. */
struct fpd_counters {
	uint64_t flows_ended[FP_END__COUNT];	/* finished meters, summed */
	uint64_t records;			/* finished meters, summed */
	uint64_t files_published;
	uint64_t rows_published;
	uint64_t spool_done, spool_failed;
	uint64_t output_errors;
	uint64_t reloads, reload_failures;
};

struct fp_prefault;

struct fpd_daemon {
	struct event_base *base;
	struct fpd_config cfg;
	char host[64];				/* in file names */
	struct fp_schema *canonical;
	struct fp_flow_features *features;	/* record layout of every meter */
	struct fpd_writer *writer;

	struct fpd_capture **captures;
	size_t ncaptures;
	struct fpd_spool_run *spool;
	struct fpd_metrics *metrics;
	struct fpd_kafka *kafka;			/* kafka: section; NULL = no Kafka */
	struct fp_prefault *prefault;		/* faults every meter's fresh flow memory in, or NULL */

	struct event *tick, *sig_term, *sig_int, *sig_hup;
	bool stopping;
	int exit_code;
	uint64_t pending_closes;		/* streams closing at shutdown */
	struct fpd_counters counters;
};

/* Sets the daemon up from a validated configuration (taken over). */
int fpd_daemon_init(struct fpd_daemon *d, struct fpd_config *cfg, struct fp_error *err);
/* Runs the loop until a stop has finished; returns the exit code. */
int fpd_daemon_run(struct fpd_daemon *d);
void fpd_daemon_fini(struct fpd_daemon *d);

/* For the parts: the wall clock in ns; a meter for this daemon's record
 * layout with `flow` settings; the status line. */
int64_t fpd_now_ns(void);
struct fp_meter *fpd_meter_new(struct fpd_daemon *d, fp_meter_emit_fn emit, void *ctx, struct fp_error *err);
void fpd_count_meter(struct fpd_daemon *d, const struct fp_meter *m);
void fpd_status_line(const struct fpd_daemon *d, char *buf, size_t size);

/* capture.c: one live interface. */
struct fpd_capture *fpd_capture_start(struct fpd_daemon *d, const struct fpd_interface_config *ic);
void fpd_capture_tick(struct fpd_capture *c, int64_t now_ns);
void fpd_capture_resume(struct fpd_capture *c);		/* a batch came back */
bool fpd_capture_owns_stream(const struct fpd_capture *c, uint32_t stream);
/* Stops capturing, ends every flow, closes its output (CLOSED event with
 * the daemon as token owner); frees it. */
void fpd_capture_stop(struct fpd_capture *c);
void fpd_capture_reconfigure(struct fpd_capture *c, const struct fp_flow_config *flow);
const char *fpd_capture_name(const struct fpd_capture *c);
void fpd_capture_metrics(const struct fpd_capture *c, struct fpd_capture_stats *out);

/* spool-run.c: the spool directory, one file at a time. */
struct fpd_spool_run *fpd_spool_run_start(struct fpd_daemon *d, struct fp_error *err);
void fpd_spool_run_resume(struct fpd_spool_run *s);	/* a batch came back */
bool fpd_spool_run_closed(struct fpd_spool_run *s, const struct fpd_writer_event *ev);	/* its stream? */
void fpd_spool_run_stop(struct fpd_spool_run *s);	/* abandons the file in progress */

#endif
