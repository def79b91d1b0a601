/*
 * pcap-run.c - capture files -> meters -> one sink, in input order.
 *
 * Sequential mode meters each file in turn on the calling thread, and an
 * output thread writes the records to the sink meanwhile. Parallel mode
 * (jobs > 1 and several inputs) starts workers that take the next input,
 * meter it into a spill file, and mark it done; the calling thread waits
 * for input 0, 1, 2... in turn and replays each spill into the sink,
 * redrawing the progress line while it waits. Workers stay at most
 * 2 x jobs inputs ahead of the writer, so open spill files (and their disk
 * space) are bounded however many inputs there are; after a write failure
 * they stop taking inputs.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/interrupt.h"
#include "cli/merge-source.h"
#include "cli/pcap-run.h"
#include "pipeline/feed.h"
#include "pipeline/meter.h"
#include "pipeline/write-thread.h"
#include "record/batch-pool.h"
#include "record/spill.h"
#include "source/source.h"

#define PROGRESS_EVERY 8192	/* packets between progress updates */

/* One input of a parallel run: metered by a worker into a spill file,
 * then replayed into the sink by the calling thread. */
struct input_job {
	bool done;			/* the worker is finished with it */
	struct fp_spill spill;
	struct fp_decode_stats decode;
	struct fp_flow_stats flows;
	uint64_t records;
	struct fp_error error;		/* the worker's failure (spill, memory), or "" */
};

/* Shared by the workers and the calling thread; every field but `run` and
 * `jobs[i]` of a job a worker owns is guarded by `lock`. */
struct parallel_state {
	struct pcap_run *run;
	struct input_job *jobs;
	size_t next_input;		/* the next input a worker takes */
	size_t replayed;		/* inputs already written to the sink */
	size_t lookahead;		/* how far workers may run ahead of the writer */
	bool stop;			/* writing failed: take no more inputs */
	pthread_mutex_t lock;
	pthread_cond_t changed;		/* a job finished, one was replayed, or stop */
};

/* What progress this input has reported so far. */
struct input_progress {
	uint64_t bytes, packets;
	int64_t active;
};

static int write_to_sink(struct pcap_run *run, const struct fp_batch *b, struct fp_error *err)
{
	int rc = fp_sink_write(run->sink, b, err);

	atomic_fetch_add_explicit(&run->progress->flows_written, b->nrows, memory_order_relaxed);
	return rc;
}

/* The output thread's write (pipeline/write-thread.h). */
static int write_batch(void *ctx, const struct fp_batch *b, struct fp_error *err)
{
	return write_to_sink(ctx, b, err);
}

static int emit_to_spill(void *ctx, struct fp_batch *b, struct fp_error *err)
{
	int rc = fp_spill_write(ctx, b, err);

	fp_batch_release(b);
	return rc;
}

static void merge_stats(struct pcap_run *run, const struct fp_decode_stats *d, const struct fp_flow_stats *f,
			uint64_t records)
{
	fp_decode_stats_add(&run->decode, d);
	fp_flow_stats_add(&run->flows, f);
	run->records += records;
}

/* Moves this input's progress from what was reported to `now_*`. */
static void report_progress(struct progress *p, struct input_progress *r, uint64_t bytes, uint64_t packets,
			    int64_t active)
{
	atomic_fetch_add_explicit(&p->bytes_done, bytes - r->bytes, memory_order_relaxed);
	atomic_fetch_add_explicit(&p->packets, packets - r->packets, memory_order_relaxed);
	atomic_fetch_add_explicit(&p->active_flows, active - r->active, memory_order_relaxed);
	r->bytes = bytes;
	r->packets = packets;
	r->active = active;
}

/* The packets the next feed may take: a slice, less what -c leaves. */
static size_t feed_budget(const struct pcap_run *run)
{
	uint64_t left;

	if (run->max_packets == 0)
		return PROGRESS_EVERY;
	left = run->max_packets > run->fed ? run->max_packets - run->fed : 0;
	return left < PROGRESS_EVERY ? (size_t)left : PROGRESS_EVERY;
}

/* The run stops here: a signal came, or -c was reached. (Workers call
 * this too: it only reads; `fed` moves only when -c runs one input at a
 * time.) */
static bool run_stopping(const struct pcap_run *run)
{
	return interrupt_pending() || (run->max_packets && run->fed >= run->max_packets);
}

/* Opens input `index` with its filter; NULL (res->error set) if it cannot. */
static struct fp_source *open_input(struct pcap_run *run, size_t index)
{
	struct input_result *res = &run->results[index];
	struct fp_source *src = fp_source_open_file(run->inputs[index], &res->error);

	if (src != NULL && run->filter != NULL)
		src = input_filter_wrap(src, run->filter, &res->filtered, &res->error);
	if (src == NULL) {
		res->failed = true;
		return NULL;
	}
	res->linktype = src->linktype;
	res->unsupported_link = !fp_decode_link_supported(res->linktype);
	return src;
}

/* Reads a source into `m`, PROGRESS_EVERY packets at a time, until it
 * ends or the run stops; `helper`: it may be decoded ahead (fp_feeder, not
 * with -c, which stops at an exact packet).
 * Input problems are recorded in `res`; returns -1 only when emitting
 * records failed. */
static int meter_source(struct pcap_run *run, struct fp_meter *m, struct fp_source *src, struct input_result *res,
			const char *name, bool draw, bool helper)
{
	struct input_progress reported = { 0 };
	enum fp_feed_status status = FP_FEED_END;
	size_t budget, fed;
	struct fp_feeder feeder;
	uint64_t bytes, packets;

	fp_feeder_start(&feeder, src, helper && run->max_packets == 0);
	while (!run_stopping(run) && (budget = feed_budget(run)) > 0) {
		status = fp_feeder_feed(&feeder, m, budget, &fed, &res->error);
		if (run->max_packets)
			run->fed += fed;
		fp_feeder_progress(&feeder, &bytes, &packets);
		report_progress(run->progress, &reported, bytes, packets, (int64_t)fp_meter_flow_stats(m)->active_flows);
		if (draw)
			progress_draw(run->progress, false);
		if (status == FP_FEED_NOT_READY) {	/* the output thread holds the batches */
			fp_meter_wait_ready(m);
			if (fp_meter_ready(m))
				continue;
		}
		if (status != FP_FEED_BUDGET)
			break;
	}
	fp_feeder_stop(&feeder);	/* the source is ours again */
	/* a read cut short by the signal is not a damaged input */
	if (status == FP_FEED_INPUT_ERROR && !interrupt_pending())
		res->failed = true;
	if (status == FP_FEED_NOT_READY && !fp_meter_ready(m)) {	/* a pool too small for one call */
		fp_error_set(&res->error, "%s: internal error: the meter ran out of batches", name);
		res->failed = true;
	}
	/* the input is done: count all of it, and its flows no longer */
	report_progress(run->progress, &reported, res->size > reported.bytes ? res->size : reported.bytes,
			src->packets, 0);
	if (draw)
		progress_draw(run->progress, false);
	return status == FP_FEED_OUTPUT_ERROR || fp_meter_failed(m) ? -1 : 0;
}

static int meter_one_file(struct pcap_run *run, struct fp_meter *m, size_t index, bool draw)
{
	struct fp_source *src;
	int rc;

	if (run->results[index].failed)
		return 0;	/* found unreadable before the run, and reported then */
	if ((src = open_input(run, index)) == NULL)
		return 0;
	/* only the calling thread takes a helper: workers run side by side already */
	rc = meter_source(run, m, src, &run->results[index], run->inputs[index], draw, draw);
	fp_source_close(src);
	return rc;
}

/* Meters input `index` with a fresh meter emitting to emit/ctx. */
static int meter_input(struct pcap_run *run, size_t index, fp_meter_emit_fn emit, void *ctx, bool draw,
		       struct fp_decode_stats *decode, struct fp_flow_stats *flows, uint64_t *records,
		       struct fp_error *err)
{
	struct fp_meter *m = fp_meter_new(run->meter, emit, ctx, err);
	bool more;
	int rc;

	if (m == NULL)
		return -1;
	rc = meter_one_file(run, m, index, draw);
	if (rc == 0 && (!interrupt_pending() || run->publish_on_interrupt))
		rc = fp_meter_finish(m, 0, &more, err);
	else
		*err = *fp_meter_error(m);
	*decode = *fp_meter_decode_stats(m);
	*flows = *fp_meter_flow_stats(m);
	*records = fp_meter_records(m);
	fp_meter_free(m);
	return rc;
}

/* Ends the output thread after its last write; a write that failed fails
 * the run (it failed the meter too, with the same error, unless the run
 * had failed already). */
static int finish_output(struct pcap_run *run, struct fp_write_thread *out, int rc)
{
	struct fp_error write_error;

	if (fp_write_thread_finish(out, &write_error) < 0 && rc == 0) {
		run->sink_error = write_error;
		return -1;
	}
	return rc;
}

/* Each input metered in turn on this thread; the records are encoded and
 * written by the output thread meanwhile. */
static int run_sequential(struct pcap_run *run)
{
	struct fp_write_thread *out = fp_write_thread_start(write_batch, run, run->output_queue, &run->sink_error);
	int rc = 0;

	if (out == NULL)
		return -1;
	for (size_t i = 0; i < run->ninputs && !run_stopping(run); i++) {
		struct fp_decode_stats d;
		struct fp_flow_stats f;
		uint64_t records;

		if (meter_input(run, i, fp_write_thread_emit, out, true, &d, &f, &records, &run->sink_error) < 0) {
			rc = -1;
			break;
		}
		merge_stats(run, &d, &f, records);
	}
	return finish_output(run, out, rc);
}

/* Takes the next input, unless it is too far ahead of the writer (so open
 * spill files and their disk space stay bounded by the lookahead) or the
 * run is stopping. Returns the input index, or SIZE_MAX when done. */
static size_t take_input(struct parallel_state *ps)
{
	size_t i = SIZE_MAX;

	pthread_mutex_lock(&ps->lock);
	while (!ps->stop && !interrupt_pending() && ps->next_input < ps->run->ninputs &&
	       ps->next_input >= ps->replayed + ps->lookahead)
		pthread_cond_wait(&ps->changed, &ps->lock);
	if (!ps->stop && !interrupt_pending() && ps->next_input < ps->run->ninputs)
		i = ps->next_input++;
	pthread_mutex_unlock(&ps->lock);
	return i;
}

static void *parallel_worker(void *arg)
{
	struct parallel_state *ps = arg;
	struct pcap_run *run = ps->run;
	size_t i;

	while ((i = take_input(ps)) != SIZE_MAX) {
		struct input_job *job = &ps->jobs[i];
		int rc = fp_spill_open(&job->spill, run->spill_dir, &job->error);

		if (rc == 0)
			rc = meter_input(run, i, emit_to_spill, &job->spill, false, &job->decode, &job->flows,
					 &job->records, &job->error);
		if (rc == 0)
			fp_spill_rewind(&job->spill, &job->error);
		pthread_mutex_lock(&ps->lock);
		job->done = true;
		pthread_cond_broadcast(&ps->changed);
		pthread_mutex_unlock(&ps->lock);
	}
	return NULL;
}

/* Waits for input i's worker, redrawing the progress line meanwhile;
 * false if no worker will take it (a signal stopped the run). */
static bool wait_for_input(struct parallel_state *ps, size_t i)
{
	bool done;

	pthread_mutex_lock(&ps->lock);
	while (!ps->jobs[i].done && !(interrupt_pending() && i >= ps->next_input)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&ps->changed, &ps->lock, &ts);
		pthread_mutex_unlock(&ps->lock);
		progress_draw(ps->run->progress, false);
		pthread_mutex_lock(&ps->lock);
	}
	done = ps->jobs[i].done;
	pthread_mutex_unlock(&ps->lock);
	return done;
}

/* Writes input i's records into the sink. Only the calling thread touches
 * run->sink_error, and the first failing input in order names the error. */
static int replay_input(struct parallel_state *ps, size_t i, struct fp_batch *b)
{
	struct pcap_run *run = ps->run;
	struct input_job *job = &ps->jobs[i];
	long n;

	if (job->error.msg[0] != '\0') {
		run->sink_error = job->error;
		return -1;
	}
	while ((n = fp_spill_read(&job->spill, b, &run->sink_error)) > 0)
		if (write_to_sink(run, b, &run->sink_error) < 0)
			return -1;
	return n < 0 ? -1 : 0;
}

/* Marks input i as written (and the run as stopping after a failure). */
static void input_replayed(struct parallel_state *ps, size_t i, bool failed)
{
	pthread_mutex_lock(&ps->lock);
	ps->replayed = i + 1;
	if (failed)
		ps->stop = true;
	pthread_cond_broadcast(&ps->changed);
	pthread_mutex_unlock(&ps->lock);
}

static int run_parallel(struct pcap_run *run)
{
	struct parallel_state ps = { .run = run };
	size_t nworkers = (size_t)run->jobs < run->ninputs ? (size_t)run->jobs : run->ninputs;
	pthread_t *threads = calloc(nworkers, sizeof(*threads));
	struct fp_batch *b = fp_batch_new(fp_flow_features_schema(run->meter->features), run->meter->batch_rows);
	size_t started = 0, i;
	int rc = 0;

	ps.jobs = calloc(run->ninputs, sizeof(*ps.jobs));
	ps.lookahead = 2 * nworkers;
	if (threads == NULL || b == NULL || ps.jobs == NULL) {
		rc = fp_error_set(&run->sink_error, "out of memory");
		goto out;
	}
	pthread_mutex_init(&ps.lock, NULL);
	pthread_cond_init(&ps.changed, NULL);
	for (size_t t = 0; t < nworkers; t++)
		if (pthread_create(&threads[started], NULL, parallel_worker, &ps) == 0)
			started++;
	if (started == 0) {
		/* no thread could start (process limits): do the work here */
		rc = run_sequential(run);
		goto destroy;
	}
	for (i = 0; i < run->ninputs && rc == 0; i++) {
		if (!wait_for_input(&ps, i)) {
			input_replayed(&ps, i, true);
			break;
		}
		rc = replay_input(&ps, i, b);
		fp_spill_close(&ps.jobs[i].spill);
		merge_stats(run, &ps.jobs[i].decode, &ps.jobs[i].flows, ps.jobs[i].records);
		input_replayed(&ps, i, rc < 0);
	}
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	for (; i < run->ninputs; i++)	/* after a failure: inputs metered but not written */
		fp_spill_close(&ps.jobs[i].spill);
destroy:
	pthread_mutex_destroy(&ps.lock);
	pthread_cond_destroy(&ps.changed);
out:
	fp_batch_free(b);
	free(threads);
	free(ps.jobs);
	return rc;
}

/* --merge: report an input that broke in the middle of the stream. */
static void merged_input_failed(void *ctx, size_t i, const struct fp_error *err)
{
	struct pcap_run *run = ctx;

	if (interrupt_pending())
		return;	/* the read was cut by the signal */
	run->results[i].failed = true;
	run->results[i].error = *err;
}

/* All inputs as one time-ordered stream into one meter. */
static int run_merged(struct pcap_run *run)
{
	struct fp_source **srcs = calloc(run->ninputs, sizeof(*srcs));
	struct input_result merged = { 0 };
	struct fp_source *src;
	struct fp_write_thread *out;
	struct fp_meter *m;
	bool more;
	int rc;

	if (srcs == NULL)
		return fp_error_set(&run->sink_error, "out of memory");
	for (size_t i = 0; i < run->ninputs; i++) {
		srcs[i] = run->results[i].failed ? NULL : open_input(run, i);
		merged.size += run->results[i].size;
	}
	src = merge_source_new(srcs, run->ninputs, merged_input_failed, run, &run->sink_error);
	free(srcs);
	if (src == NULL)
		return -1;
	if ((out = fp_write_thread_start(write_batch, run, run->output_queue, &run->sink_error)) == NULL) {
		fp_source_close(src);
		return -1;
	}
	if ((m = fp_meter_new(run->meter, fp_write_thread_emit, out, &run->sink_error)) == NULL) {
		fp_source_close(src);
		return finish_output(run, out, -1);
	}
	rc = meter_source(run, m, src, &merged, "(merged inputs)", true, false);
	if (merged.failed && rc == 0)
		rc = fp_error_set(&run->sink_error, "%s", merged.error.msg);
	if (rc == 0 && (!interrupt_pending() || run->publish_on_interrupt))
		rc = fp_meter_finish(m, 0, &more, &run->sink_error);
	else if (rc < 0 && fp_meter_failed(m))
		run->sink_error = *fp_meter_error(m);
	merge_stats(run, fp_meter_decode_stats(m), fp_meter_flow_stats(m), fp_meter_records(m));
	fp_meter_free(m);
	fp_source_close(src);
	return finish_output(run, out, rc);
}

int pcap_run(struct pcap_run *run)
{
	uint64_t total = 0;
	int rc;

	for (size_t i = 0; i < run->ninputs; i++) {
		struct stat st;
		if (stat(run->inputs[i], &st) == 0 && S_ISREG(st.st_mode)) {
			run->results[i].size = (uint64_t)st.st_size;
			total += run->results[i].size;
		}
	}
	run->progress->total_bytes = total;
	if (run->merge)
		rc = run_merged(run);
	else if (run->jobs > 1 && run->ninputs > 1 && run->max_packets == 0)
		rc = run_parallel(run);
	else
		rc = run_sequential(run);
	run->interrupted = interrupt_pending() != 0;
	return rc;
}
