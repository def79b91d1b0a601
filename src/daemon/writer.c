/*
 * writer.c - the output thread (see writer.h).
 *
 * Jobs and events are singly linked FIFOs under one mutex each. The thread
 * sleeps on a condition variable while it has no job; the loop sleeps in
 * libevent and is woken by a write to the eventfd when events are queued.
 * Streams live only on the writer thread (a small array searched by id:
 * a daemon has a handful at once), so sinks need no locking.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "daemon/writer.h"
#include "record/batch-pool.h"

enum job_kind { JOB_OPEN, JOB_WRITE, JOB_TICK, JOB_CLOSE, JOB_ABORT, JOB_STOP };

struct job {
	struct job *next;
	enum job_kind kind;
	uint32_t stream;
	struct fp_batch *batch;		/* WRITE */
	int64_t now_ns;			/* TICK */
	uint64_t token;			/* CLOSE */
	fpd_sink_factory factory;	/* OPEN */
	void *arg;
	void (*free_arg)(void *);
};

struct event_node {
	struct event_node *next;
	struct fpd_writer_event ev;
};

struct stream {
	uint32_t id;
	struct fp_sink *sink;		/* NULL once failed to open */
	bool failed;			/* reported already */
	struct fp_error error;
};

struct fpd_writer {
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;		/* jobs, backlog */
	pthread_cond_t have_job;
	struct job *head, *tail;
	uint64_t backlog;
	pthread_mutex_t ev_lock;	/* events */
	struct event_node *ev_head, *ev_tail;
	int efd;
	struct event *wake;		/* on the loop: efd readable */
	fpd_writer_event_fn fn;
	void *ctx;
	uint32_t next_id;		/* loop thread only */
	struct stream *streams;		/* writer thread only */
	size_t nstreams, cap;
	struct fpd_publish publish;	/* handed to factories */
};

/* ---------------------------------------------------- writer -> loop */

static void post(struct fpd_writer *w, const struct fpd_writer_event *ev)
{
	struct event_node *n = malloc(sizeof(*n));
	uint64_t one = 1;

	if (n == NULL)
		return;	/* an event lost to memory exhaustion: the loop's counters lag */
	n->next = NULL;
	n->ev = *ev;
	pthread_mutex_lock(&w->ev_lock);
	if (w->ev_tail != NULL)
		w->ev_tail->next = n;
	else
		w->ev_head = n;
	w->ev_tail = n;
	pthread_mutex_unlock(&w->ev_lock);
	if (write(w->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		return;	/* the counter is saturated: the loop is already woken */
}

static void published(void *ctx, const char *path, uint64_t rows)
{
	struct fpd_writer_event ev = { .kind = FPD_WRITER_PUBLISHED, .ok = true, .rows = rows };

	strncpy(ev.path, path, sizeof(ev.path) - 1);
	post(ctx, &ev);
}

/* The loop's side: delivers every queued event. */
static void on_wake(evutil_socket_t fd, short what, void *arg)
{
	struct fpd_writer *w = arg;
	struct event_node *list;
	uint64_t n;

	(void)what;
	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&w->ev_lock);
	list = w->ev_head;
	w->ev_head = w->ev_tail = NULL;
	pthread_mutex_unlock(&w->ev_lock);
	while (list != NULL) {
		struct event_node *next = list->next;

		w->fn(w->ctx, &list->ev);
		free(list);
		list = next;
	}
}

/* ---------------------------------------------------- streams (writer) */

static struct stream *find(struct fpd_writer *w, uint32_t id)
{
	for (size_t i = 0; i < w->nstreams; i++)
		if (w->streams[i].id == id)
			return &w->streams[i];
	return NULL;
}

static void forget(struct fpd_writer *w, struct stream *s)
{
	*s = w->streams[--w->nstreams];
}

static void stream_failed(struct fpd_writer *w, struct stream *s, const struct fp_error *err)
{
	struct fpd_writer_event ev = { .kind = FPD_WRITER_FAILED, .stream = s->id, .error = *err };

	if (s->failed)
		return;
	s->failed = true;
	s->error = *err;
	post(w, &ev);
}

static void do_open(struct fpd_writer *w, struct job *j)
{
	struct stream *s;
	struct fp_error err = { "" };

	if (w->nstreams == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		struct stream *grown = realloc(w->streams, cap * sizeof(*grown));
		if (grown == NULL)
			return;
		w->streams = grown;
		w->cap = cap;
	}
	s = &w->streams[w->nstreams++];
	memset(s, 0, sizeof(*s));
	s->id = j->stream;
	s->sink = j->factory(j->arg, &w->publish, &err);
	if (s->sink == NULL)
		stream_failed(w, s, &err);
}

static void do_write(struct fpd_writer *w, struct job *j)
{
	struct stream *s = find(w, j->stream);
	struct fpd_writer_event ev = { .kind = FPD_WRITER_RELEASED, .stream = j->stream, .ok = true };
	struct fp_error err = { "" };

	if (s != NULL && s->sink != NULL && !s->failed && fp_sink_write(s->sink, j->batch, &err) < 0)
		stream_failed(w, s, &err);
	fp_batch_release(j->batch);
	post(w, &ev);
}

static void do_tick(struct fpd_writer *w, int64_t now_ns)
{
	for (size_t i = 0; i < w->nstreams; i++) {
		struct stream *s = &w->streams[i];
		struct fp_error err = { "" };

		if (s->sink != NULL && !s->failed && fp_sink_tick(s->sink, now_ns, &err) < 0)
			stream_failed(w, s, &err);
	}
}

static void do_close(struct fpd_writer *w, struct job *j)
{
	struct stream *s = find(w, j->stream);
	struct fpd_writer_event ev = { .kind = FPD_WRITER_CLOSED, .stream = j->stream, .token = j->token, .ok = true };

	if (s == NULL) {
		ev.ok = false;
		fp_error_set(&ev.error, "output stream %u is not open", j->stream);
	} else if (s->failed || s->sink == NULL) {
		ev.ok = false;
		ev.error = s->error;
		if (s->sink != NULL)
			fp_sink_abort(s->sink);
	} else {
		ev.rows = s->sink->rows_written;
		ev.ok = fp_sink_close(s->sink, &ev.error) == 0;
	}
	if (s != NULL)
		forget(w, s);
	post(w, &ev);
}

static void do_abort(struct fpd_writer *w, struct job *j)
{
	struct stream *s = find(w, j->stream);

	if (s == NULL)
		return;
	if (s->sink != NULL)
		fp_sink_abort(s->sink);
	forget(w, s);
}

/* Runs one job; false when it was STOP. */
static bool run_job(struct fpd_writer *w, struct job *j)
{
	switch (j->kind) {
	case JOB_OPEN:
		do_open(w, j);
		if (j->free_arg != NULL)
			j->free_arg(j->arg);
		break;
	case JOB_WRITE: do_write(w, j); break;
	case JOB_TICK: do_tick(w, j->now_ns); break;
	case JOB_CLOSE: do_close(w, j); break;
	case JOB_ABORT: do_abort(w, j); break;
	case JOB_STOP: return false;
	}
	return true;
}

static void *writer_main(void *arg)
{
	struct fpd_writer *w = arg;
	bool go = true;

	while (go) {
		struct job *j;

		pthread_mutex_lock(&w->lock);
		while (w->head == NULL)
			pthread_cond_wait(&w->have_job, &w->lock);
		j = w->head;
		w->head = j->next;
		if (w->head == NULL)
			w->tail = NULL;
		pthread_mutex_unlock(&w->lock);
		go = run_job(w, j);
		pthread_mutex_lock(&w->lock);
		w->backlog--;
		pthread_mutex_unlock(&w->lock);
		free(j);
	}
	return NULL;
}

/* ------------------------------------------------------ loop -> writer */

static void enqueue(struct fpd_writer *w, struct job *j)
{
	pthread_mutex_lock(&w->lock);
	j->next = NULL;
	if (w->tail != NULL)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	w->backlog++;
	pthread_cond_signal(&w->have_job);
	pthread_mutex_unlock(&w->lock);
}

/* A job, or NULL when memory is out (the caller then drops the work and
 * says so through the same event as a failed stream). */
static struct job *new_job(enum job_kind kind, uint32_t stream)
{
	struct job *j = calloc(1, sizeof(*j));

	if (j != NULL) {
		j->kind = kind;
		j->stream = stream;
	}
	return j;
}

uint32_t fpd_writer_open(struct fpd_writer *w, fpd_sink_factory factory, void *arg, void (*free_arg)(void *))
{
	uint32_t id = ++w->next_id;
	struct job *j = new_job(JOB_OPEN, id);

	if (j == NULL) {
		if (free_arg != NULL)
			free_arg(arg);
		return id;	/* writes to it are dropped; its close reports the failure */
	}
	j->factory = factory;
	j->arg = arg;
	j->free_arg = free_arg;
	enqueue(w, j);	/* the writer may run and free j from here on */
	return id;
}

void fpd_writer_write(struct fpd_writer *w, uint32_t stream, struct fp_batch *b)
{
	struct job *j = new_job(JOB_WRITE, stream);

	if (j == NULL) {
		fp_batch_release(b);
		return;
	}
	j->batch = b;
	enqueue(w, j);
}

void fpd_writer_tick(struct fpd_writer *w, int64_t now_ns)
{
	struct job *j = new_job(JOB_TICK, 0);

	if (j != NULL) {
		j->now_ns = now_ns;
		enqueue(w, j);
	}
}

void fpd_writer_close(struct fpd_writer *w, uint32_t stream, uint64_t token)
{
	struct job *j = new_job(JOB_CLOSE, stream);

	if (j != NULL) {
		j->token = token;
		enqueue(w, j);
	}
}

void fpd_writer_abort(struct fpd_writer *w, uint32_t stream)
{
	struct job *j = new_job(JOB_ABORT, stream);

	if (j != NULL)
		enqueue(w, j);
}

uint64_t fpd_writer_backlog(struct fpd_writer *w)
{
	uint64_t n;

	pthread_mutex_lock(&w->lock);
	n = w->backlog;
	pthread_mutex_unlock(&w->lock);
	return n;
}

struct fpd_writer *fpd_writer_new(struct event_base *base, fpd_writer_event_fn fn, void *ctx, struct fp_error *err)
{
	struct fpd_writer *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		fp_error_set(err, "out of memory");
		return NULL;
	}
	w->efd = -1;
	w->fn = fn;
	w->ctx = ctx;
	w->publish.fn = published;
	w->publish.ctx = w;
	pthread_mutex_init(&w->lock, NULL);
	pthread_mutex_init(&w->ev_lock, NULL);
	pthread_cond_init(&w->have_job, NULL);
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->efd < 0) {
		fp_error_errno(err, "output thread: eventfd");
		goto fail;
	}
	w->wake = event_new(base, w->efd, EV_READ | EV_PERSIST, on_wake, w);
	if (w->wake == NULL || event_add(w->wake, NULL) < 0) {
		fp_error_set(err, "output thread: cannot watch its eventfd");
		goto fail;
	}
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		fp_error_set(err, "output thread: cannot start it");
		goto fail;
	}
	w->started = true;
	return w;
fail:
	fpd_writer_free(w);
	return NULL;
}

void fpd_writer_free(struct fpd_writer *w)
{
	struct event_node *n;

	if (w == NULL)
		return;
	if (w->started) {
		struct job *stop = new_job(JOB_STOP, 0);

		if (stop != NULL) {
			enqueue(w, stop);
			pthread_join(w->thread, NULL);
		}
	}
	for (size_t i = 0; i < w->nstreams; i++)
		if (w->streams[i].sink != NULL)
			fp_sink_abort(w->streams[i].sink);
	free(w->streams);
	while ((n = w->ev_head) != NULL) {
		w->ev_head = n->next;
		free(n);
	}
	if (w->wake != NULL)
		event_free(w->wake);
	if (w->efd >= 0)
		close(w->efd);
	pthread_mutex_destroy(&w->lock);
	pthread_mutex_destroy(&w->ev_lock);
	pthread_cond_destroy(&w->have_job);
	free(w);
}
