/*
 * metrics.c - Prometheus text exposition of the daemon's counters (see
 * metrics.h). Names follow Prometheus conventions: flowprep_ prefix,
 * _total for counters, a `source` label per interface, a `reason` label
 * for flow end reasons.
 */
#include "config.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "daemon/kafka-publisher.h"
#include "daemon/metrics.h"

struct fpd_metrics {
	struct fpd_daemon *d;
	struct evhttp *http;
};

/* A growing text buffer; on memory exhaustion it stays short, never wrong. */
struct text {
	char *s;
	size_t len, cap;
};

static void put(struct text *t, const char *fmt, ...) FP_PRINTF(2, 3);
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (int tries = 0; tries < 2; tries++) {
		va_start(ap, fmt);
		n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (t->s != NULL && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = (t->cap ? t->cap * 2 : 4096) + (size_t)n;
		char *grown = realloc(t->s, cap);
		if (grown == NULL)
			return;
		t->s = grown;
		t->cap = cap;
	}
}

static void counter(struct text *t, const char *name, const char *help, uint64_t v)
{
	put(t, "# HELP flowprep_%s %s\n# TYPE flowprep_%s counter\nflowprep_%s %" PRIu64 "\n", name, help, name, name, v);
}

static void per_capture(struct text *t, const struct fpd_daemon *d, const char *name, const char *type,
			const char *help, uint64_t (*get)(const struct fpd_capture_stats *))
{
	put(t, "# HELP flowprep_%s %s\n# TYPE flowprep_%s %s\n", name, help, name, type);
	for (size_t i = 0; i < d->ncaptures; i++) {
		struct fpd_capture_stats st;

		fpd_capture_metrics(d->captures[i], &st);
		put(t, "flowprep_%s{source=\"%s\"} %" PRIu64 "\n", name, st.name, get(&st));
	}
}

static uint64_t get_up(const struct fpd_capture_stats *s) { return s->up; }
static uint64_t get_packets(const struct fpd_capture_stats *s) { return s->packets; }
static uint64_t get_bytes(const struct fpd_capture_stats *s) { return s->bytes; }
static uint64_t get_kdrop(const struct fpd_capture_stats *s) { return s->kernel_dropped; }
static uint64_t get_ifdrop(const struct fpd_capture_stats *s) { return s->if_dropped; }
static uint64_t get_krecv(const struct fpd_capture_stats *s) { return s->kernel_received; }
static uint64_t get_paused(const struct fpd_capture_stats *s) { return s->paused; }
static uint64_t get_reopen(const struct fpd_capture_stats *s) { return s->reopened; }
static uint64_t get_live(const struct fpd_capture_stats *s) { return s->flows_live; }

static void gauge(struct text *t, const char *name, const char *help, uint64_t v)
{
	put(t, "# HELP flowprep_%s %s\n# TYPE flowprep_%s gauge\nflowprep_%s %" PRIu64 "\n", name, help, name, name, v);
}

static void kafka_metrics(struct text *t, const struct fpd_kafka *k)
{
	struct fp_kafka_stats st;

	fpd_kafka_stats(k, &st);
	counter(t, "kafka_records_produced_total", "records handed to the Kafka producer", st.produced);
	counter(t, "kafka_records_delivered_total", "records the Kafka broker acknowledged", st.delivered);
	counter(t, "kafka_records_failed_total", "records whose delivery failed (timeout, broker error)", st.failed);
	counter(t, "kafka_records_dropped_total", "records never queued: the producer queue was full (files keep them)",
		st.dropped);
	counter(t, "kafka_bytes_produced_total", "bytes of record values handed to the Kafka producer", st.bytes);
	gauge(t, "kafka_queued", "records waiting in the Kafka producer's queue", st.queued);
	gauge(t, "kafka_broker_up", "1 while the producer has a broker connection", st.broker_up);
}

char *fpd_metrics_text(const struct fpd_daemon *d)
{
	struct text t = { 0 };
	uint64_t ended[FP_END__COUNT];

	memcpy(ended, d->counters.flows_ended, sizeof(ended));
	for (size_t i = 0; i < d->ncaptures; i++) {
		struct fpd_capture_stats st;

		fpd_capture_metrics(d->captures[i], &st);
		for (int r = 0; r < FP_END__COUNT; r++)
			ended[r] += st.flows_ended[r];
	}
	per_capture(&t, d, "interface_up", "gauge", "1 while the interface is being captured", get_up);
	per_capture(&t, d, "packets_total", "counter", "packets read from the interface", get_packets);
	per_capture(&t, d, "bytes_total", "counter", "bytes of those packets in the configured accounting", get_bytes);
	per_capture(&t, d, "kernel_received_total", "counter", "packets the kernel delivered to the capture", get_krecv);
	per_capture(&t, d, "kernel_dropped_total", "counter", "packets the kernel dropped: the capture buffer was full",
		    get_kdrop);
	per_capture(&t, d, "interface_dropped_total", "counter", "packets dropped by the interface or driver",
		    get_ifdrop);
	per_capture(&t, d, "capture_paused_total", "counter", "times reading stopped because output was behind",
		    get_paused);
	per_capture(&t, d, "interface_reopened_total", "counter", "times the interface came back after a loss",
		    get_reopen);
	per_capture(&t, d, "flows_live", "gauge", "flows in memory", get_live);
	put(&t, "# HELP flowprep_flows_ended_total flows ended, by reason\n# TYPE flowprep_flows_ended_total counter\n");
	for (int r = 0; r < FP_END__COUNT; r++)
		put(&t, "flowprep_flows_ended_total{reason=\"%s\"} %" PRIu64 "\n", fp_flow_end_name((enum fp_flow_end)r),
		    ended[r]);
	counter(&t, "files_published_total", "output files published under their final name",
		d->counters.files_published);
	counter(&t, "spool_done_total", "spool files metered and retired", d->counters.spool_done);
	counter(&t, "spool_failed_total", "spool files moved to failed/", d->counters.spool_failed);
	counter(&t, "output_errors_total", "output streams that failed", d->counters.output_errors);
	counter(&t, "reloads_total", "configuration reloads applied", d->counters.reloads);
	counter(&t, "reload_failures_total", "configuration reloads refused", d->counters.reload_failures);
	put(&t, "# HELP flowprep_output_backlog jobs queued for the output thread\n"
		"# TYPE flowprep_output_backlog gauge\nflowprep_output_backlog %" PRIu64 "\n",
	    fpd_writer_backlog(d->writer));
	if (d->kafka != NULL)
		kafka_metrics(&t, d->kafka);
	return t.s;
}

static void on_request(struct evhttp_request *req, void *arg)
{
	struct fpd_metrics *m = arg;
	struct evbuffer *body;
	char *text;

	if (strcmp(evhttp_request_get_uri(req), "/metrics") != 0) {
		evhttp_send_error(req, HTTP_NOTFOUND, "only /metrics is served");
		return;
	}
	body = evbuffer_new();
	text = fpd_metrics_text(m->d);
	if (body == NULL || text == NULL) {
		evhttp_send_error(req, HTTP_INTERNAL, "out of memory");
	} else {
		evbuffer_add(body, text, strlen(text));
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
				  "text/plain; version=0.0.4; charset=utf-8");
		evhttp_send_reply(req, HTTP_OK, "OK", body);
	}
	if (body != NULL)
		evbuffer_free(body);
	free(text);
}

struct fpd_metrics *fpd_metrics_start(struct fpd_daemon *d, const char *listen, struct fp_error *err)
{
	struct fpd_metrics *m;
	struct fpd_listen_addr addr;

	if (fpd_listen_parse(listen, &addr, err) < 0)
		return fp_error_prefix(err, "metrics.listen"), NULL;
	m = calloc(1, sizeof(*m));
	if (m == NULL) {
		fp_error_set(err, "out of memory");
		return NULL;
	}
	m->d = d;
	m->http = evhttp_new(d->base);
	if (m->http == NULL || evhttp_bind_socket(m->http, addr.host, addr.port) < 0) {
		fp_error_errno(err, "metrics: cannot listen on %s", listen);
		fpd_metrics_stop(m);
		return NULL;
	}
	evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET);
	evhttp_set_gencb(m->http, on_request, m);
	return m;
}

void fpd_metrics_stop(struct fpd_metrics *m)
{
	if (m == NULL)
		return;
	if (m->http != NULL)
		evhttp_free(m->http);
	free(m);
}
