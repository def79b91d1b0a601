/*
 * daemon.c - flowprepd's loop: set-up, the one-second tick, the output
 * thread's events, signals (TERM/INT stop, HUP reload) and shutdown.
 *
 * Priorities: 0 live captures and timers, 1 spool slices. Shutdown stops
 * capturing, ends every flow, asks the output thread to publish every
 * stream, abandons (leaves in the spool) a spool file in progress, and
 * leaves the loop once every close has been confirmed.
 */
#include "config.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "daemon/kafka-publisher.h"
#include "daemon/metrics.h"
#include "daemon/notify.h"
#include "daemon/outputs.h"
#include "lib/log.h"
#include "lib/prefault.h"

static void on_writer_event(void *ctx, const struct fpd_writer_event *ev);

int64_t fpd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Rows the output thread holds before it encodes any: a Parquet row group
 * when Parquet files are written (fp_format_rows_held()). */
static size_t output_rows_held(const struct fpd_daemon *d)
{
	struct fp_format_options fo = d->cfg.output.format;

	if ((d->cfg.output.formats & (1u << FP_FORMAT_PARQUET)) == 0)
		return 0;
	fo.format = FP_FORMAT_PARQUET;
	return fp_format_rows_held(&fo, fp_flow_features_schema(d->features));
}

struct fp_meter *fpd_meter_new(struct fpd_daemon *d, fp_meter_emit_fn emit, void *ctx, struct fp_error *err)
{
	struct fp_meter_config mc;

	fp_meter_config_defaults(&mc);
	mc.flow = d->cfg.flow;
	mc.features = d->features;
	mc.prefault = d->prefault;
	mc.batches = fp_meter_batches_for(output_rows_held(d), mc.batch_rows);
	return fp_meter_new(&mc, emit, ctx, err);
}

void fpd_count_meter(struct fpd_daemon *d, const struct fp_meter *m)
{
	const struct fp_flow_stats *f = fp_meter_flow_stats(m);

	for (int r = 0; r < FP_END__COUNT; r++)
		d->counters.flows_ended[r] += f->flows_ended[r];
	d->counters.records += fp_meter_records(m);
}

void fpd_status_line(const struct fpd_daemon *d, char *buf, size_t size)
{
	uint64_t packets = 0, dropped = 0, live = 0;
	size_t up = 0;

	for (size_t i = 0; i < d->ncaptures; i++) {
		struct fpd_capture_stats st;

		fpd_capture_metrics(d->captures[i], &st);
		packets += st.packets;
		dropped += st.kernel_dropped + st.if_dropped;
		live += st.flows_live;
		up += st.up;
	}
	snprintf(buf, size,
		 "%zu/%zu interfaces up, %" PRIu64 " packets, %" PRIu64 " dropped, %" PRIu64 " live flows; "
		 "spool %" PRIu64 " done %" PRIu64 " failed; %" PRIu64 " files published",
		 up, d->ncaptures, packets, dropped, live, d->counters.spool_done, d->counters.spool_failed,
		 d->counters.files_published);
	if (d->kafka != NULL) {
		struct fp_kafka_stats k;
		size_t len = strlen(buf);

		fpd_kafka_stats(d->kafka, &k);
		snprintf(buf + len, size - len,
			 "; kafka %" PRIu64 " delivered %" PRIu64 " failed %" PRIu64 " dropped %" PRIu64 " queued",
			 k.delivered, k.failed, k.dropped, k.queued);
	}
}

/* ----------------------------------------------------------- the tick */

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct fpd_daemon *d = arg;
	int64_t now = fpd_now_ns();
	char status[512];

	(void)fd;
	(void)what;
	for (size_t i = 0; i < d->ncaptures; i++)
		fpd_capture_tick(d->captures[i], now);
	fpd_writer_tick(d->writer, now);
	fpd_status_line(d, status, sizeof(status));
	fpd_notify_status(status);
	if (fpd_notify_watchdog_usec() != 0)
		fpd_notify_watchdog();
}

/* ------------------------------------------------ the output thread says */

static void on_writer_event(void *ctx, const struct fpd_writer_event *ev)
{
	struct fpd_daemon *d = ctx;

	switch (ev->kind) {
	case FPD_WRITER_RELEASED:
		for (size_t i = 0; i < d->ncaptures; i++)
			fpd_capture_resume(d->captures[i]);
		if (d->spool != NULL)
			fpd_spool_run_resume(d->spool);
		break;
	case FPD_WRITER_PUBLISHED:
		d->counters.files_published++;
		d->counters.rows_published += ev->rows;
		fp_log(FP_LOG_INFO, "published %s (%" PRIu64 " flows)", ev->path, ev->rows);
		break;
	case FPD_WRITER_FAILED:
		d->counters.output_errors++;
		fp_log(FP_LOG_ERR, "output: %s", ev->error.msg);
		break;
	case FPD_WRITER_CLOSED:
		if (d->spool != NULL && fpd_spool_run_closed(d->spool, ev)) {
			if (ev->ok)
				d->counters.files_published += (uint64_t)__builtin_popcount(d->cfg.output.formats);
			break;
		}
		if (!ev->ok)
			fp_log(FP_LOG_ERR, "output: %s", ev->error.msg);
		if (d->pending_closes > 0 && --d->pending_closes == 0 && d->stopping)
			event_base_loopexit(d->base, NULL);
		break;
	}
}

/* ------------------------------------------------------------- reload */

static bool same_interface(const struct fpd_interface_config *a, const struct fpd_interface_config *b)
{
	return strcmp(a->name, b->name) == 0 && (a->filter == NULL) == (b->filter == NULL) &&
	       (a->filter == NULL || strcmp(a->filter, b->filter) == 0) && a->snaplen == b->snaplen &&
	       a->promiscuous == b->promiscuous && a->buffer_size == b->buffer_size && a->immediate == b->immediate;
}

static const struct fpd_interface_config *find_interface(const struct fpd_config *c,
							 const struct fpd_interface_config *want)
{
	for (size_t i = 0; i < c->ninterfaces; i++)
		if (same_interface(&c->interfaces[i], want))
			return &c->interfaces[i];
	return NULL;
}

/* What a reload cannot change while running. */
static int reload_refused(const struct fpd_config *old, const struct fpd_config *new, struct fp_error *err)
{
	struct fp_flow_config probe = new->flow;

	if (strcmp(old->features ? old->features : "canonical", new->features ? new->features : "canonical") != 0)
		return fp_error_set(err, "flow.features cannot change on reload (the record schema would): restart");
	probe.hash_seed_fixed = old->flow.hash_seed_fixed;
	probe.hash_seed = old->flow.hash_seed;
	return fp_flow_config_validate_change(&old->flow, &probe, err);
}

/* Interfaces: stop those gone or changed, start the new ones. */
static void apply_interfaces(struct fpd_daemon *d, const struct fpd_config *new)
{
	size_t kept = 0;

	for (size_t i = 0; i < d->ncaptures; i++) {
		const struct fpd_interface_config *old = &d->cfg.interfaces[i];

		if (find_interface(new, old) != NULL) {
			d->captures[kept++] = d->captures[i];
		} else {
			fp_log(FP_LOG_NOTICE, "%s: removed from the configuration", fpd_capture_name(d->captures[i]));
			fpd_capture_stop(d->captures[i]);
		}
	}
	d->ncaptures = kept;
	for (size_t i = 0; i < new->ninterfaces; i++) {
		bool running = false;

		for (size_t k = 0; k < d->ncaptures; k++)
			running |= strcmp(fpd_capture_name(d->captures[k]), new->interfaces[i].name) == 0 &&
				   find_interface(&d->cfg, &new->interfaces[i]) != NULL;
		if (!running) {
			struct fpd_capture *c = fpd_capture_start(d, &new->interfaces[i]);
			if (c != NULL)
				d->captures[d->ncaptures++] = c;
		}
	}
}

/* The producer is never swapped while streams publish through it: the
 * running kafka: settings stay until the next start, and the log says so
 * if the file changed them. */
static void keep_kafka(struct fpd_daemon *d, struct fpd_config *new)
{
	bool same = d->cfg.kafka_enabled == new->kafka_enabled && fp_kafka_options_equal(&d->cfg.kafka, &new->kafka);

	if (!same)
		fp_log(FP_LOG_NOTICE, "kafka: changed settings take effect at the next start");
	fp_kafka_options_free(&new->kafka);
	new->kafka = d->cfg.kafka;
	new->kafka_enabled = d->cfg.kafka_enabled;
	fp_kafka_options_defaults(&d->cfg.kafka);	/* moved to `new`, not freed */
}

static void reload(struct fpd_daemon *d)
{
	struct fpd_config new;
	struct fp_error err = { "" };
	struct fpd_capture **grown;

	fpd_notify_reloading();
	if (fpd_config_load(d->cfg.path, &new, &err) < 0 || reload_refused(&d->cfg, &new, &err) < 0) {
		fp_log(FP_LOG_ERR, "reload refused, the running configuration stays: %s", err.msg);
		d->counters.reload_failures++;
		fpd_config_free(&new);
		fpd_notify_ready("reload refused");
		return;
	}
	new.flow.hash_seed_fixed = d->cfg.flow.hash_seed_fixed;
	new.flow.hash_seed = d->cfg.flow.hash_seed;
	grown = realloc(d->captures, (d->ncaptures + new.ninterfaces + 1) * sizeof(*grown));
	if (grown == NULL) {
		fp_log(FP_LOG_ERR, "reload refused: out of memory");
		fpd_config_free(&new);
		return;
	}
	d->captures = grown;
	for (size_t i = 0; i < d->ncaptures; i++)
		fpd_capture_reconfigure(d->captures[i], &new.flow);
	apply_interfaces(d, &new);
	if (strcmp(new.metrics.listen ? new.metrics.listen : "", d->cfg.metrics.listen ? d->cfg.metrics.listen : "")) {
		fpd_metrics_stop(d->metrics);
		d->metrics = NULL;
		if (new.metrics.listen && *new.metrics.listen &&
		    (d->metrics = fpd_metrics_start(d, new.metrics.listen, &err)) == NULL)
			fp_log(FP_LOG_ERR, "%s", err.msg);
	}
	keep_kafka(d, &new);
	/* output settings apply from the next file; the spool directory from
	 * the next start (a file may be in progress) */
	fpd_config_free(&d->cfg);
	d->cfg = new;
	d->counters.reloads++;
	fp_log(FP_LOG_NOTICE, "configuration reloaded from %s", d->cfg.path);
	fpd_notify_ready("reloaded");
}

/* ------------------------------------------------------------- signals */

static void stop(struct fpd_daemon *d)
{
	if (d->stopping)
		return;
	d->stopping = true;
	fpd_notify_stopping();
	fp_log(FP_LOG_NOTICE, "stopping: ending every flow and publishing every file");
	fpd_spool_run_stop(d->spool);
	d->spool = NULL;
	for (size_t i = 0; i < d->ncaptures; i++)
		fpd_capture_stop(d->captures[i]);
	d->ncaptures = 0;
	evtimer_del(d->tick);
	if (d->pending_closes == 0)
		event_base_loopexit(d->base, NULL);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct fpd_daemon *d = arg;

	(void)what;
	if (sig == SIGHUP)
		reload(d);
	else
		stop(d);
}

/* --------------------------------------------------------------- set-up */

static int make_features(struct fpd_daemon *d, struct fp_error *err)
{
	const char *name = d->cfg.features ? d->cfg.features : "canonical";
	const struct fp_feature_set *set = fp_feature_set_find(name);

	if (set == NULL)
		return fp_error_set(err, "flow.features: unknown feature set '%s'", name);
	d->canonical = fp_schema_netflow_v1(err);
	if (d->canonical == NULL)
		return -1;
	d->features = fp_flow_features_new(d->canonical, set, err);
	return d->features ? 0 : -1;
}

static int make_events(struct fpd_daemon *d, struct fp_error *err)
{
	struct timeval second = { 1, 0 };

	d->tick = event_new(d->base, -1, EV_PERSIST, on_tick, d);
	d->sig_term = evsignal_new(d->base, SIGTERM, on_signal, d);
	d->sig_int = evsignal_new(d->base, SIGINT, on_signal, d);
	d->sig_hup = evsignal_new(d->base, SIGHUP, on_signal, d);
	if (d->tick == NULL || d->sig_term == NULL || d->sig_int == NULL || d->sig_hup == NULL ||
	    event_add(d->tick, &second) < 0 || event_add(d->sig_term, NULL) < 0 || event_add(d->sig_int, NULL) < 0 ||
	    event_add(d->sig_hup, NULL) < 0)
		return fp_error_set(err, "cannot set up the event loop's timers and signals");
	return 0;
}

static void host_name(struct fpd_daemon *d)
{
	if (gethostname(d->host, sizeof(d->host)) < 0 || d->host[0] == '\0')
		snprintf(d->host, sizeof(d->host), "localhost");
	d->host[sizeof(d->host) - 1] = '\0';
	for (char *p = d->host; *p; p++)	/* a file name part: no separators */
		if (*p == '/' || *p == '_' || *p == '.')
			*p = '-';
}

int fpd_daemon_init(struct fpd_daemon *d, struct fpd_config *cfg, struct fp_error *err)
{
	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	memset(cfg, 0, sizeof(*cfg));
	host_name(d);
	d->base = event_base_new();
	if (d->base == NULL || event_base_priority_init(d->base, 2) < 0)
		return fp_error_set(err, "cannot create the event loop");
	if (make_features(d, err) < 0 || make_events(d, err) < 0)
		return -1;
	fpd_output_sweep(d);
	d->writer = fpd_writer_new(d->base, on_writer_event, d, err);
	if (d->writer == NULL)
		return -1;
	if (d->cfg.metrics.listen && *d->cfg.metrics.listen &&
	    (d->metrics = fpd_metrics_start(d, d->cfg.metrics.listen, err)) == NULL)
		return -1;
	if (d->cfg.kafka_enabled && (d->kafka = fpd_kafka_start(d->base, &d->cfg.kafka, err)) == NULL)
		return -1;
	d->prefault = fp_prefault_start();	/* none to be had: each meter faults its own memory in */
	if (d->cfg.spool.directory != NULL && (d->spool = fpd_spool_run_start(d, err)) == NULL)
		return -1;
	d->captures = calloc(d->cfg.ninterfaces + 1, sizeof(*d->captures));
	if (d->captures == NULL)
		return fp_error_set(err, "out of memory");
	for (size_t i = 0; i < d->cfg.ninterfaces; i++) {
		struct fpd_capture *c = fpd_capture_start(d, &d->cfg.interfaces[i]);
		if (c != NULL)
			d->captures[d->ncaptures++] = c;
	}
	return 0;
}

int fpd_daemon_run(struct fpd_daemon *d)
{
	char status[512];

	fpd_status_line(d, status, sizeof(status));
	fpd_notify_ready(status);
	fp_log(FP_LOG_NOTICE, "running: %zu interface%s, spool %s, output %s", d->cfg.ninterfaces,
	       d->cfg.ninterfaces == 1 ? "" : "s", d->cfg.spool.directory ? d->cfg.spool.directory : "off",
	       d->cfg.output.directory);
	event_base_dispatch(d->base);
	return d->exit_code;
}

void fpd_daemon_fini(struct fpd_daemon *d)
{
	fpd_spool_run_stop(d->spool);
	for (size_t i = 0; i < d->ncaptures; i++)
		fpd_capture_stop(d->captures[i]);
	free(d->captures);
	fp_prefault_free(d->prefault);	/* every meter is gone */
	fpd_writer_free(d->writer);	/* finishes what is queued */
	fpd_kafka_stop(d->kafka);	/* after its last sink closed: flushes within the timeout */
	fpd_metrics_stop(d->metrics);
	if (d->tick)
		event_free(d->tick);
	if (d->sig_term)
		event_free(d->sig_term);
	if (d->sig_int)
		event_free(d->sig_int);
	if (d->sig_hup)
		event_free(d->sig_hup);
	fp_flow_features_free(d->features);
	fp_schema_free(d->canonical);
	if (d->base)
		event_base_free(d->base);
	fpd_config_free(&d->cfg);
}
