/*
 * spool-run.c - the spool directory, metered one file at a time in slices.
 *
 * A spool file is metered as `flowprep pcap` meters it: packet time, an
 * engine of its own, every flow ended at its end, its records read and
 * decoded ahead on a helper thread (pipeline/decode-ahead.h; the loop waits
 * for a burst of 256 decoded packets at most, as it would for a read()). The work runs as a
 * low-priority event re-armed after each slice of FPD_SPOOL_BUDGET
 * packets, so live captures (higher priority) are served between slices.
 *
 *   idle -> feeding -> finishing -> publishing -> (retire | fail) -> idle
 *
 * The output stream opens with the first batch (its partition is the hour
 * of the capture's first packet, known by then) and is closed when the
 * last flow is out; only when the output thread reports the files
 * published does the spool file move to done/ (or get deleted), or to
 * failed/ with its reason when the capture was damaged (its flows up to
 * the damage are kept). If the output cannot be written, the file stays in
 * the spool and is tried again later: it is not the capture's fault.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "daemon/outputs.h"
#include "lib/log.h"
#include "pipeline/feed.h"
#include "source/spool.h"

#define OUTPUT_RETRY_SEC 30

enum phase { IDLE, FEEDING, FINISHING, PUBLISHING };

struct fpd_spool_run {
	struct fpd_daemon *d;
	struct fp_spool *spool;
	struct event *watch, *work, *retry;
	enum phase phase;
	char *name;				/* the file in progress */
	struct fp_source *src;
	struct fp_feeder feeder;		/* src, read and decoded ahead on a helper thread */
	struct fp_meter *meter;
	uint32_t stream;
	bool stream_open;
	bool waiting_room;			/* the meter's batches are all out */
	bool damaged;				/* the capture ended in an error: `reason` */
	char reason[FP_ERROR_MAX];
};

static void schedule(struct fpd_spool_run *s)
{
	if (!s->d->stopping)
		event_active(s->work, EV_TIMEOUT, 0);
}

static int emit(void *ctx, struct fp_batch *b, struct fp_error *err)
{
	struct fpd_spool_run *s = ctx;

	(void)err;
	if (!s->stream_open) {
		s->stream = fpd_output_open_spool(s->d, s->name, s->src->first_ts_ns);
		s->stream_open = true;
	}
	fpd_writer_write(s->d->writer, s->stream, b);
	return 0;
}

static void drop_job(struct fpd_spool_run *s)
{
	fp_feeder_stop(&s->feeder);
	if (s->meter != NULL) {
		fpd_count_meter(s->d, s->meter);
		fp_meter_free(s->meter);
	}
	fp_source_close(s->src);
	free(s->name);
	s->meter = NULL;
	s->src = NULL;
	s->name = NULL;
	s->stream_open = false;
	s->damaged = false;
	s->waiting_room = false;
	s->phase = IDLE;
}

/* Refuses `name` at once: it goes to failed/ with `why`. */
static void refuse(struct fpd_spool_run *s, const char *name, const char *why)
{
	struct fp_error err = { "" };

	fp_log(FP_LOG_WARNING, "spool: %s: %s", name, why);
	if (fp_spool_fail(s->spool, name, why, &err) < 0)
		fp_log(FP_LOG_ERR, "spool: %s", err.msg);
	s->d->counters.spool_failed++;
}

/* Takes the next ready file; false when there is none. */
static bool start_next(struct fpd_spool_run *s)
{
	struct fp_error err = { "" };
	const char *name = fp_spool_next(s->spool, &err);

	if (name == NULL) {
		if (err.msg[0] != '\0')
			fp_log(FP_LOG_ERR, "spool: %s", err.msg);
		return false;
	}
	if (fp_spool_classify(name) == FP_SPOOL_COMPRESSED) {
		refuse(s, name, "compressed capture: decompress it before dropping it into the spool");
		return true;
	}
	s->src = fp_source_open_file(fp_spool_path(s->spool, name), &err);
	if (s->src == NULL) {
		refuse(s, name, err.msg);
		return true;
	}
	s->name = strdup(name);
	s->meter = fpd_meter_new(s->d, emit, s, &err);
	if (s->name == NULL || s->meter == NULL) {
		fp_log(FP_LOG_ERR, "spool: %s: %s", name, err.msg[0] ? err.msg : "out of memory");
		fp_spool_forget(s->spool, name);
		drop_job(s);
		return false;
	}
	fp_feeder_start(&s->feeder, s->src, true);
	fp_log(FP_LOG_INFO, "spool: %s: metering", s->name);
	s->phase = FEEDING;
	return true;
}

static void feed(struct fpd_spool_run *s)
{
	struct fp_error err = { "" };
	enum fp_feed_status st = fp_feeder_feed(&s->feeder, s->meter, FPD_SPOOL_BUDGET, NULL, &err);

	switch (st) {
	case FP_FEED_BUDGET:
	case FP_FEED_IDLE:
		schedule(s);
		break;
	case FP_FEED_NOT_READY:
		s->waiting_room = true;
		break;
	case FP_FEED_INPUT_ERROR:
		s->damaged = true;
		snprintf(s->reason, sizeof(s->reason), "%s", err.msg);
		/* its flows so far are kept */
		__attribute__((fallthrough));
	case FP_FEED_END:
	case FP_FEED_OUTPUT_ERROR:
		fp_feeder_stop(&s->feeder);	/* the source is the loop's again */
		s->phase = FINISHING;
		schedule(s);
		break;
	}
}

static void finish(struct fpd_spool_run *s)
{
	struct fp_error err = { "" };
	bool more = false;

	if (!fp_meter_ready(s->meter)) {
		s->waiting_room = true;
		return;
	}
	fp_meter_finish(s->meter, FPD_SPOOL_BUDGET, &more, &err);
	if (more) {
		schedule(s);
		return;
	}
	s->phase = PUBLISHING;
	if (s->stream_open) {
		fpd_writer_close(s->d->writer, s->stream, 0);
	} else {
		struct fpd_writer_event none = { .kind = FPD_WRITER_CLOSED, .ok = true };	/* no flows: nothing to publish */

		s->stream_open = true;
		s->stream = 0;
		fpd_spool_run_closed(s, &none);
	}
}

static void on_work(evutil_socket_t fd, short what, void *arg)
{
	struct fpd_spool_run *s = arg;

	(void)fd;
	(void)what;
	if (s->d->stopping)
		return;
	if (s->phase == IDLE && start_next(s))
		schedule(s);
	else if (s->phase == FEEDING)
		feed(s);
	else if (s->phase == FINISHING)
		finish(s);
}

static void on_watch(evutil_socket_t fd, short what, void *arg)
{
	struct fpd_spool_run *s = arg;

	(void)fd;
	(void)what;
	if (s->phase == IDLE)
		schedule(s);
}

void fpd_spool_run_resume(struct fpd_spool_run *s)
{
	if (s->waiting_room && fp_meter_ready(s->meter)) {
		s->waiting_room = false;
		schedule(s);
	}
}

/* The output of the file in progress is published (or failed). */
bool fpd_spool_run_closed(struct fpd_spool_run *s, const struct fpd_writer_event *ev)
{
	struct fp_error err = { "" };

	if (s->phase != PUBLISHING || !s->stream_open || ev->stream != s->stream)
		return false;
	if (!ev->ok) {
		fp_log(FP_LOG_ERR, "spool: %s: output failed (%s); it stays in the spool, tried again in %d s", s->name,
		       ev->error.msg, OUTPUT_RETRY_SEC);
		s->d->counters.output_errors++;
		fp_spool_forget(s->spool, s->name);
		drop_job(s);
		struct timeval later = { OUTPUT_RETRY_SEC, 0 };

		evtimer_add(s->retry, &later);
		return true;
	}
	if (s->damaged) {
		refuse(s, s->name, s->reason);
	} else if (fp_spool_retire(s->spool, s->name, s->d->cfg.spool.after, &err) < 0) {
		fp_log(FP_LOG_ERR, "spool: %s", err.msg);
	} else {
		s->d->counters.spool_done++;
		fp_log(FP_LOG_INFO, "spool: %s: done, %" PRIu64 " flows", s->name, fp_meter_records(s->meter));
	}
	drop_job(s);
	schedule(s);
	return true;
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
	struct fp_error err = { "" };
	struct fpd_spool_run *s = arg;

	(void)fd;
	(void)what;
	/* names forgotten after an output failure come back with a scan */
	fp_spool_close(s->spool);
	s->spool = fp_spool_open(s->d->cfg.spool.directory, &err);
	if (s->spool == NULL) {
		fp_log(FP_LOG_ERR, "spool: %s", err.msg);
		return;
	}
	event_del(s->watch);
	event_assign(s->watch, s->d->base, fp_spool_fd(s->spool), EV_READ | EV_PERSIST, on_watch, s);
	event_add(s->watch, NULL);
	schedule(s);
}

struct fpd_spool_run *fpd_spool_run_start(struct fpd_daemon *d, struct fp_error *err)
{
	struct fpd_spool_run *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		fp_error_set(err, "out of memory");
		return NULL;
	}
	s->d = d;
	s->spool = fp_spool_open(d->cfg.spool.directory, err);
	if (s->spool == NULL) {
		free(s);
		return NULL;
	}
	s->watch = event_new(d->base, fp_spool_fd(s->spool), EV_READ | EV_PERSIST, on_watch, s);
	s->work = event_new(d->base, -1, 0, on_work, s);
	s->retry = evtimer_new(d->base, on_retry, s);
	if (s->watch == NULL || s->work == NULL || s->retry == NULL || event_priority_set(s->work, 1) < 0 ||
	    event_add(s->watch, NULL) < 0) {
		fp_error_set(err, "spool: cannot set up its events");
		fpd_spool_run_stop(s);
		return NULL;
	}
	schedule(s);	/* the files already there */
	return s;
}

void fpd_spool_run_stop(struct fpd_spool_run *s)
{
	if (s == NULL)
		return;
	if (s->name != NULL) {
		/* abandoned: its output is discarded and it stays in the spool */
		if (s->stream_open && s->stream != 0)
			fpd_writer_abort(s->d->writer, s->stream);
		fp_log(FP_LOG_NOTICE, "spool: %s: stopped; it stays in the spool for the next start", s->name);
		fp_spool_forget(s->spool, s->name);
		fp_meter_free(s->meter);	/* its flows were not written: not counted */
		s->meter = NULL;
		drop_job(s);
	}
	if (s->watch)
		event_free(s->watch);
	if (s->work)
		event_free(s->work);
	if (s->retry)
		event_free(s->retry);
	fp_spool_close(s->spool);
	free(s);
}
