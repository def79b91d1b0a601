/*
 * metrics.h - the daemon's counters as Prometheus text on
 * http://LISTEN/metrics (libevent's evhttp, on the loop: a scrape only
 * reads counters, so it is quick). Only loopback addresses unless the
 * configuration allows others (metrics.allow_remote).
 */
#ifndef FP_DAEMON_METRICS_H
#define FP_DAEMON_METRICS_H

#include "lib/error.h"

struct fpd_daemon;
struct fpd_metrics;

/* NULL with err set when the address cannot be served. */
struct fpd_metrics *fpd_metrics_start(struct fpd_daemon *d, const char *listen, struct fp_error *err);
void fpd_metrics_stop(struct fpd_metrics *m);

/* The whole exposition text (tests and the HTTP handler); caller frees. */
char *fpd_metrics_text(const struct fpd_daemon *d);

#endif
