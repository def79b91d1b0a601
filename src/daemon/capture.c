/*
 * capture.c - one live interface: a libpcap source read when its fd is
 * readable, a meter whose clock is the wall clock, and a rotating output
 * stream.
 *
 * The meter (so every live flow) outlives the source: when the interface
 * disappears or goes down, the source is closed and reopened with backoff
 * (1 s doubling to 60 s), the state change is logged once, and flows
 * continue across the gap (or end idle, as they would). Reading stops when
 * the meter has no batch room (the output thread is behind) and resumes
 * when a batch comes back; meanwhile the kernel buffers packets and counts
 * its drops, which is what the drop counters show.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "daemon/outputs.h"
#include "lib/log.h"
#include "pipeline/feed.h"

#define RETRY_MIN_NS 1000000000LL
#define RETRY_MAX_NS (60 * 1000000000LL)
#define DROP_LOG_EVERY_NS (60 * 1000000000LL)

struct fpd_capture {
	struct fpd_daemon *d;
	struct fpd_interface_config cfg;	/* strings owned */
	struct fp_source *src;			/* NULL while down */
	struct fp_meter *meter;
	uint32_t stream;
	struct event *readable, *retry;
	int64_t backoff_ns;
	bool up, paused;
	char last_error[FP_ERROR_MAX];		/* logged once per change */
	struct fp_live_stats kernel;		/* of the current source */
	struct fp_live_stats kernel_before;	/* of sources closed before */
	uint64_t packets_before;
	uint64_t paused_count, reopened;
	uint64_t drops_reported;		/* kernel + interface drops last logged */
	int64_t drops_logged_ns;		/* when */
};

static void on_readable(evutil_socket_t fd, short what, void *arg);
static void on_retry(evutil_socket_t fd, short what, void *arg);

static int emit(void *ctx, struct fp_batch *b, struct fp_error *err)
{
	struct fpd_capture *c = ctx;

	(void)err;
	fpd_writer_write(c->d->writer, c->stream, b);
	return 0;
}

static void copy_config(struct fpd_interface_config *to, const struct fpd_interface_config *from)
{
	*to = *from;
	to->name = strdup(from->name);
	to->filter = from->filter ? strdup(from->filter) : NULL;
}

/* Logs `msg` at `level` unless it is what was last said. */
static void say_once(struct fpd_capture *c, enum fp_log_level level, const char *msg)
{
	if (strcmp(c->last_error, msg) == 0)
		return;
	snprintf(c->last_error, sizeof(c->last_error), "%s", msg);
	fp_log(level, "%s", msg);
}

static void schedule_retry(struct fpd_capture *c)
{
	struct timeval tv = { (time_t)(c->backoff_ns / 1000000000), 0 };

	evtimer_add(c->retry, &tv);
	c->backoff_ns = c->backoff_ns * 2 > RETRY_MAX_NS ? RETRY_MAX_NS : c->backoff_ns * 2;
}

static void close_source(struct fpd_capture *c)
{
	if (c->src == NULL)
		return;
	c->kernel_before.received += c->kernel.received;
	c->kernel_before.dropped += c->kernel.dropped;
	c->kernel_before.if_dropped += c->kernel.if_dropped;
	memset(&c->kernel, 0, sizeof(c->kernel));
	c->packets_before += c->src->packets;
	if (c->readable != NULL) {
		event_free(c->readable);
		c->readable = NULL;
	}
	fp_source_close(c->src);
	c->src = NULL;
	c->up = false;
}

static void try_open(struct fpd_capture *c)
{
	struct fp_live_options o = { c->cfg.name, c->cfg.filter, c->cfg.snaplen, c->cfg.promiscuous,
				     (size_t)c->cfg.buffer_size, c->cfg.immediate };
	struct fp_error err = { "" };

	c->src = fp_source_open_live(&o, &err);
	if (c->src == NULL) {
		say_once(c, FP_LOG_WARNING, err.msg);
		schedule_retry(c);
		return;
	}
	c->readable = event_new(c->d->base, c->src->fd, EV_READ | EV_PERSIST, on_readable, c);
	if (c->readable == NULL || event_priority_set(c->readable, 0) < 0 || event_add(c->readable, NULL) < 0) {
		close_source(c);
		say_once(c, FP_LOG_ERR, "cannot watch the capture descriptor");
		schedule_retry(c);
		return;
	}
	if (c->last_error[0] != '\0' || c->reopened == 0)
		fp_log(FP_LOG_NOTICE, "%s: capturing (link type %d)", c->cfg.name, c->src->linktype);
	if (c->last_error[0] != '\0')
		c->reopened++;
	c->last_error[0] = '\0';
	c->backoff_ns = RETRY_MIN_NS;
	c->up = true;
	c->paused = false;
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	try_open(arg);
}

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct fpd_capture *c = arg;
	struct fp_error err = { "" };
	enum fp_feed_status st;

	(void)fd;
	(void)what;
	st = fp_meter_feed(c->meter, c->src, FPD_CAPTURE_BUDGET, NULL, &err);
	if (st == FP_FEED_NOT_READY) {
		/* the output is behind: let the kernel buffer (and count drops) */
		event_del(c->readable);
		c->paused = true;
		c->paused_count++;
	} else if (st == FP_FEED_INPUT_ERROR || st == FP_FEED_END) {
		close_source(c);
		say_once(c, FP_LOG_WARNING, err.msg[0] ? err.msg : "capture ended");
		schedule_retry(c);
	}
}

void fpd_capture_resume(struct fpd_capture *c)
{
	if (c->paused && c->src != NULL && fp_meter_ready(c->meter)) {
		c->paused = false;
		event_add(c->readable, NULL);
		event_active(c->readable, EV_READ, 0);	/* packets are waiting */
	}
}

/* Drops are logged at most once a minute, with how many since the last
 * report: a flood of lines would only add to the load that drops packets. */
static void report_drops(struct fpd_capture *c, int64_t now_ns)
{
	uint64_t drops = c->kernel_before.dropped + c->kernel.dropped + c->kernel_before.if_dropped +
			 c->kernel.if_dropped;

	if (drops == c->drops_reported || now_ns - c->drops_logged_ns < DROP_LOG_EVERY_NS)
		return;
	fp_log(FP_LOG_WARNING, "%s: %" PRIu64 " packets dropped since the last report (%" PRIu64 " in all); "
	       "a larger buffer_size may help", c->cfg.name, drops - c->drops_reported, drops);
	c->drops_reported = drops;
	c->drops_logged_ns = now_ns;
}

void fpd_capture_tick(struct fpd_capture *c, int64_t now_ns)
{
	size_t ended = 0;
	bool more = true;
	struct fp_error err = { "" };

	while (more && ended < FPD_ADVANCE_BUDGET && fp_meter_ready(c->meter)) {
		long n = fp_meter_advance(c->meter, now_ns - FPD_LIVE_GRACE_NS, 4096, &more);

		if (n < 0)
			break;
		ended += (size_t)n;
	}
	if (c->src != NULL && fp_source_live_stats(c->src, &c->kernel, &err) < 0)
		say_once(c, FP_LOG_WARNING, err.msg);
	report_drops(c, now_ns);
}

struct fpd_capture *fpd_capture_start(struct fpd_daemon *d, const struct fpd_interface_config *ic)
{
	struct fpd_capture *c = calloc(1, sizeof(*c));
	struct fp_error err = { "" };

	if (c == NULL)
		return NULL;
	c->d = d;
	copy_config(&c->cfg, ic);
	c->backoff_ns = RETRY_MIN_NS;
	c->meter = fpd_meter_new(d, emit, c, &err);
	c->retry = evtimer_new(d->base, on_retry, c);
	if (c->meter == NULL || c->retry == NULL || c->cfg.name == NULL) {
		fp_log(FP_LOG_ERR, "%s: cannot start: %s", ic->name, err.msg[0] ? err.msg : "out of memory");
		fp_meter_free(c->meter);
		if (c->retry)
			event_free(c->retry);
		free(c->cfg.name);
		free(c->cfg.filter);
		free(c);
		return NULL;
	}
	c->stream = fpd_output_open_live(d, c->cfg.name);
	try_open(c);
	return c;
}

void fpd_capture_reconfigure(struct fpd_capture *c, const struct fp_flow_config *flow)
{
	struct fp_error err = { "" };

	if (fp_meter_reconfigure(c->meter, flow, &err) < 0)
		fp_log(FP_LOG_WARNING, "%s: flow settings kept: %s", c->cfg.name, err.msg);
}

void fpd_capture_stop(struct fpd_capture *c)
{
	struct fp_error err = { "" };
	bool more = true;

	close_source(c);
	event_free(c->retry);
	/* shutdown or removal: every flow ends now, in as many slices as it takes */
	while (more && fp_meter_finish(c->meter, 0, &more, &err) == 0)
		;
	fpd_count_meter(c->d, c->meter);
	fp_meter_free(c->meter);
	fpd_writer_close(c->d->writer, c->stream, 0);
	c->d->pending_closes++;
	free(c->cfg.name);
	free(c->cfg.filter);
	free(c);
}

bool fpd_capture_owns_stream(const struct fpd_capture *c, uint32_t stream)
{
	return c->stream == stream;
}

const char *fpd_capture_name(const struct fpd_capture *c)
{
	return c->cfg.name;
}

void fpd_capture_metrics(const struct fpd_capture *c, struct fpd_capture_stats *out)
{
	const struct fp_flow_stats *f = fp_meter_flow_stats(c->meter);

	memset(out, 0, sizeof(*out));
	out->name = c->cfg.name;
	out->up = c->up;
	out->packets = c->packets_before + (c->src ? c->src->packets : 0);
	out->bytes = f->bytes;
	out->kernel_received = c->kernel_before.received + c->kernel.received;
	out->kernel_dropped = c->kernel_before.dropped + c->kernel.dropped;
	out->if_dropped = c->kernel_before.if_dropped + c->kernel.if_dropped;
	out->paused = c->paused_count;
	out->reopened = c->reopened;
	out->flows_live = f->active_flows;
	memcpy(out->flows_ended, f->flows_ended, sizeof(out->flows_ended));
}
