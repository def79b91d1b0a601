/*
 * tee-sink.c - the same rows to several sinks (Parquet and CSV of one
 * stream, later Kafka beside them). It owns its sinks: close closes every
 * one (all are tried, the first error is returned) and abort aborts every
 * one. A write that fails in one sink fails the tee; the caller then aborts.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sink/file-sink.h"

struct tee_sink {
	struct fp_sink base;	/* first: a struct fp_sink * is a struct tee_sink * */
	size_t n;
	struct fp_sink *sinks[];
};

static int tee_write(struct fp_sink *s, const struct fp_batch *b, size_t first, size_t nrows, struct fp_error *err)
{
	struct tee_sink *t = (struct tee_sink *)s;

	for (size_t i = 0; i < t->n; i++)
		if (fp_sink_write_rows(t->sinks[i], b, first, nrows, err) < 0)
			return -1;
	return 0;
}

static int tee_tick(struct fp_sink *s, int64_t now_ns, struct fp_error *err)
{
	struct tee_sink *t = (struct tee_sink *)s;
	struct fp_error e;
	int rc = 0;	/* failures so far: the first one's error is kept */

	for (size_t i = 0; i < t->n; i++)
		if (fp_sink_tick(t->sinks[i], now_ns, &e) < 0 && rc++ == 0)
			*err = e;
	return rc ? -1 : 0;
}

static int tee_flush(struct fp_sink *s, struct fp_error *err)
{
	struct tee_sink *t = (struct tee_sink *)s;
	struct fp_error e;
	int rc = 0;	/* failures so far: the first one's error is kept */

	for (size_t i = 0; i < t->n; i++)
		if (fp_sink_flush(t->sinks[i], &e) < 0 && rc++ == 0)
			*err = e;
	return rc ? -1 : 0;
}

static int tee_close(struct fp_sink *s, struct fp_error *err)
{
	struct tee_sink *t = (struct tee_sink *)s;
	struct fp_error e;
	int rc = 0;	/* failures so far: the first one's error is kept */

	for (size_t i = 0; i < t->n; i++)
		if (fp_sink_close(t->sinks[i], &e) < 0 && rc++ == 0)
			*err = e;
	free(t);
	return rc ? -1 : 0;
}

static void tee_abort(struct fp_sink *s)
{
	struct tee_sink *t = (struct tee_sink *)s;

	for (size_t i = 0; i < t->n; i++)
		fp_sink_abort(t->sinks[i]);
	free(t);
}

static void tee_poll(struct fp_sink *s)
{
	struct tee_sink *t = (struct tee_sink *)s;
	struct fp_error err;

	for (size_t i = 0; i < t->n && !s->failed; i++)
		if (fp_sink_error(t->sinks[i], &err) < 0)
			fp_sink_fail(s, &err);
}

static const struct fp_sink_ops tee_sink_ops = { tee_write, tee_tick, tee_flush, tee_close, tee_abort, tee_poll };

struct fp_sink *fp_tee_sink_new(struct fp_sink **sinks, size_t n, struct fp_error *err)
{
	struct tee_sink *t = calloc(1, sizeof(*t) + n * sizeof(t->sinks[0]));

	if (t == NULL) {
		for (size_t i = 0; i < n; i++)
			fp_sink_abort(sinks[i]);
		fp_error_set(err, "out of memory");
		return NULL;
	}
	t->base.ops = &tee_sink_ops;
	t->n = n;
	memcpy(t->sinks, sinks, n * sizeof(t->sinks[0]));
	for (size_t i = 0; i < n; i++)
		if (sinks[i]->rows_held > t->base.rows_held)
			t->base.rows_held = sinks[i]->rows_held;
	return &t->base;
}
