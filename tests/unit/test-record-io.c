/*
 * test-record-io.c - batches moving between owners and through files: the
 * batch pool (hand-off across threads), the spill file (round trip, nulls,
 * strings, truncation) and the table reader (CSV and Parquet read back in
 * small batches, by content not by name, with clear errors).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/table-reader.h"
#include "record/batch-pool.h"
#include "record/spill.h"
#include "sink/sink.h"
#include "test.h"

static struct fp_schema *small_schema(void)
{
	struct fp_schema *s = fp_schema_new("t", "v1");

	fp_schema_add(s, "n", FP_TYPE_INT64, false);
	fp_schema_add(s, "name", FP_TYPE_STRING, true);
	fp_schema_add(s, "x", FP_TYPE_DOUBLE, true);
	fp_schema_add(s, "port", FP_TYPE_INT32, false);
	return s;
}

/* Row i: n = i, name = "row-i" (null every 5th), x = i / 4 (null every 7th), port = i % 65536. */
static void put_row(struct fp_batch *b, long i)
{
	char name[32];
	int len = snprintf(name, sizeof(name), "row-%ld", i);

	fp_batch_put_i64(b, 0, i);
	if (i % 5 == 0)
		fp_batch_put_null(b, 1);
	else
		fp_batch_put_bytes(b, 1, name, (size_t)len);
	if (i % 7 == 0)
		fp_batch_put_null(b, 2);
	else
		fp_batch_put_f64(b, 2, (double)i / 4);
	fp_batch_put_i32(b, 3, (int32_t)(i % 65536));
	fp_batch_end_row(b);
}

/* Checks row `r` of `b` holds row i's values; returns false if not. */
static bool row_is(const struct fp_batch *b, size_t r, long i)
{
	char name[32];
	int len = snprintf(name, sizeof(name), "row-%ld", i);
	size_t got;
	const char *p;
	int64_t n = b->cols[0].type == FP_TYPE_INT32 ? b->cols[0].v.i32[r] : b->cols[0].v.i64[r];
	int64_t port = b->cols[3].type == FP_TYPE_INT32 ? b->cols[3].v.i32[r] : b->cols[3].v.i64[r];

	if (n != i || port != i % 65536)
		return false;
	if ((i % 5 == 0) != !fp_column_is_valid(&b->cols[1], r))
		return false;
	if (i % 5 != 0) {
		p = fp_column_bytes(&b->cols[1], r, &got);
		if (got != (size_t)len || memcmp(p, name, got) != 0)
			return false;
	}
	if ((i % 7 == 0) != !fp_column_is_valid(&b->cols[2], r))
		return false;
	return i % 7 == 0 || b->cols[2].v.f64[r] == (double)i / 4;
}

/* ------------------------------------------------------------ batch pool */

struct pool_run {
	struct fp_batch_pool *pool;
	struct fp_batch *queue[8];
	size_t head, tail;
	bool done;
	long rows_seen;
	bool order_ok;
	pthread_mutex_t lock;
	pthread_cond_t changed;
};

/* The consumer thread: checks each batch's rows, then releases it. */
static void *consume(void *arg)
{
	struct pool_run *r = arg;
	long next = 0;

	for (;;) {
		struct fp_batch *b;

		pthread_mutex_lock(&r->lock);
		while (r->head == r->tail && !r->done)
			pthread_cond_wait(&r->changed, &r->lock);
		if (r->head == r->tail) {
			pthread_mutex_unlock(&r->lock);
			break;
		}
		b = r->queue[r->head++ % 8];
		pthread_mutex_unlock(&r->lock);
		for (size_t i = 0; i < b->nrows; i++)
			if (!row_is(b, i, next++))
				r->order_ok = false;
		fp_batch_release(b);
	}
	r->rows_seen = next;
	return NULL;
}

static void test_batch_pool_hand_off(void)
{
	struct fp_schema *s = small_schema();
	struct pool_run r = { .order_ok = true };
	pthread_t t;
	long row = 0;

	r.pool = fp_batch_pool_new(s, 100, 3);
	CHECK(r.pool != NULL);
	CHECK_EQ_INT(fp_batch_pool_available(r.pool), 3);
	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.changed, NULL);
	CHECK(pthread_create(&t, NULL, consume, &r) == 0);
	for (int k = 0; k < 200; k++) {
		struct fp_batch *b = fp_batch_pool_wait(r.pool);	/* at most 3 out at once */

		CHECK(b->nrows == 0);
		for (int i = 0; i < 100; i++)
			put_row(b, row++);
		pthread_mutex_lock(&r.lock);
		r.queue[r.tail++ % 8] = b;
		pthread_cond_signal(&r.changed);
		pthread_mutex_unlock(&r.lock);
	}
	pthread_mutex_lock(&r.lock);
	r.done = true;
	pthread_cond_signal(&r.changed);
	pthread_mutex_unlock(&r.lock);
	pthread_join(t, NULL);
	CHECK_EQ_INT(r.rows_seen, 20000);
	CHECK(r.order_ok);
	CHECK_EQ_INT(fp_batch_pool_available(r.pool), 3);
	/* all out: take says so instead of blocking or growing */
	struct fp_batch *a = fp_batch_pool_take(r.pool), *b = fp_batch_pool_take(r.pool),
			*c = fp_batch_pool_take(r.pool);
	CHECK(a && b && c && fp_batch_pool_take(r.pool) == NULL);
	CHECK(a != b && b != c && a != c);
	CHECK_EQ_INT(fp_batch_pool_available(r.pool), 0);
	fp_batch_release(a);
	fp_batch_release(b);
	fp_batch_release(c);
	pthread_mutex_destroy(&r.lock);
	pthread_cond_destroy(&r.changed);
	/* the owner frees the pool while a consumer still holds a batch: the
	 * batch stays usable and the last release frees the pool (ASan checks) */
	a = fp_batch_pool_take(r.pool);
	fp_batch_pool_free(r.pool);
	put_row(a, 42);
	CHECK(row_is(a, 0, 42));
	fp_batch_release(a);
	fp_schema_free(s);
}

/* Batches are made as they are first taken, up to the pool's size: a
 * pool of 6 has 6 to give from the start, gives 6 distinct batches (the
 * later ones made then), then none; released ones come back cleared. */
static void test_batch_pool_made_when_taken(void)
{
	struct fp_schema *s = small_schema();
	struct fp_batch_pool *pool = fp_batch_pool_new(s, 10, 6);
	struct fp_batch *got[6];

	CHECK(pool != NULL);
	if (pool == NULL) {
		fp_schema_free(s);
		return;
	}
	CHECK_EQ_INT(fp_batch_pool_available(pool), 6);
	for (int i = 0; i < 6; i++) {
		got[i] = fp_batch_pool_take(pool);
		CHECK(got[i] != NULL);
		if (got[i] == NULL)
			return;
		for (int k = 0; k < i; k++)
			CHECK(got[k] != got[i]);
		put_row(got[i], i);
		CHECK_EQ_INT(fp_batch_pool_available(pool), 5 - i);
	}
	CHECK(fp_batch_pool_take(pool) == NULL);
	fp_batch_release(got[3]);
	CHECK_EQ_INT(fp_batch_pool_available(pool), 1);
	got[3] = fp_batch_pool_wait(pool);	/* one is back: no waiting */
	CHECK(got[3] != NULL && got[3]->nrows == 0);
	for (int i = 0; i < 6; i++)
		fp_batch_release(got[i]);
	CHECK_EQ_INT(fp_batch_pool_available(pool), 6);
	fp_batch_pool_free(pool);
	fp_schema_free(s);
}

/* ------------------------------------------------------------------ spill */

static void test_spill_round_trip(void)
{
	struct fp_schema *s = small_schema();
	struct fp_batch *b = fp_batch_new(s, 64);
	struct fp_error err = { "" };
	struct fp_spill sp;
	long row = 0, n, back = 0;
	bool ok = true;

	CHECK(fp_spill_open(&sp, "/tmp", &err) == 0);
	for (int k = 0; k < 10; k++) {
		fp_batch_clear(b);
		for (int i = 0; i < 1 + k * 7 && i < 64; i++)
			put_row(b, row++);
		CHECK(fp_spill_write(&sp, b, &err) == 0);
	}
	CHECK(fp_spill_rewind(&sp, &err) == 0);
	while ((n = fp_spill_read(&sp, b, &err)) > 0)
		for (long i = 0; i < n; i++)
			ok = ok && row_is(b, (size_t)i, back++);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(back, row);
	CHECK(ok);
	fp_spill_close(&sp);

	/* a spill cut short is an error, not rows of garbage */
	CHECK(fp_spill_open(&sp, "/tmp", &err) == 0);
	fp_batch_clear(b);
	for (int i = 0; i < 50; i++)
		put_row(b, i);
	fp_spill_write(&sp, b, &err);
	fflush(sp.fp);
	CHECK(ftruncate(fileno(sp.fp), ftell(sp.fp) - 20) == 0);
	CHECK(fp_spill_rewind(&sp, &err) == 0);
	err.msg[0] = '\0';
	CHECK(fp_spill_read(&sp, b, &err) < 0);
	CHECK(err.msg[0] != '\0');
	fp_spill_close(&sp);

	/* a directory that does not exist */
	CHECK(fp_spill_open(&sp, "/nonexistent-dir-of-flowprep", &err) < 0);
	CHECK(strstr(err.msg, "/nonexistent-dir-of-flowprep") != NULL);
	fp_batch_free(b);
	fp_schema_free(s);
}

/* ----------------------------------------------------------- table reader */

/* Writes `rows` rows to `path` through the file sink (format by name). */
static int write_table(const char *path, const struct fp_schema *s, long rows)
{
	struct fp_error err = { "" };
	struct fp_format_options o;
	struct fp_sink *sink;
	struct fp_batch *b = fp_batch_new(s, 1000);
	long row = 0;

	fp_format_options_defaults(&o);
	o.parquet.row_group_rows = 700;	/* several row groups */
	sink = fp_file_sink_open(path, s, &o, &err);
	if (sink == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		fp_batch_free(b);
		return -1;
	}
	while (row < rows) {
		fp_batch_clear(b);
		while (row < rows && !fp_batch_full(b))
			put_row(b, row++);
		fp_sink_write(sink, b, &err);
	}
	fp_batch_free(b);
	return fp_sink_close(sink, &err);
}

static void read_back(const char *path, long rows, enum fp_table_format format)
{
	struct fp_error err = { "" };
	struct fp_table_reader *t = fp_table_open(path, &err);
	struct fp_batch *b;
	long n, seen = 0;
	bool ok = true;

	CHECK(t != NULL);
	if (t == NULL) {
		fprintf(stderr, "%s: %s\n", path, err.msg);
		return;
	}
	CHECK_EQ_INT(fp_table_format(t), format);
	CHECK_EQ_INT(fp_table_schema(t)->nfields, 4);
	CHECK_EQ_STR(fp_table_schema(t)->fields[1].name, "name");
	b = fp_batch_new(fp_table_schema(t), 333);	/* not a divisor of anything written */
	while ((n = fp_table_next(t, b, &err)) > 0)
		for (long i = 0; i < n; i++)
			ok = ok && row_is(b, (size_t)i, seen++);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(seen, rows);
	CHECK(ok);
	fp_batch_free(b);
	fp_table_close(t);
}

static void test_table_reader(void)
{
	char dir[] = "/tmp/fp-test-io-XXXXXX", csv[64], pq[64], misnamed[64], junk[64];
	struct fp_schema *s = small_schema();
	struct fp_error err = { "" };
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(csv, sizeof(csv), "%s/t.csv", dir);
	snprintf(pq, sizeof(pq), "%s/t.parquet", dir);
	snprintf(misnamed, sizeof(misnamed), "%s/really-parquet.csv", dir);
	snprintf(junk, sizeof(junk), "%s/junk.parquet", dir);
	CHECK(write_table(csv, s, 2500) == 0);
	CHECK(write_table(pq, s, 2500) == 0);
	read_back(csv, 2500, FP_TABLE_CSV);
	read_back(pq, 2500, FP_TABLE_PARQUET);
	/* by content, not by name */
	CHECK(rename(pq, misnamed) == 0);
	read_back(misnamed, 2500, FP_TABLE_PARQUET);
	/* errors name the file */
	CHECK(fp_table_open("/nonexistent.parquet", &err) == NULL);
	CHECK(strstr(err.msg, "/nonexistent.parquet") != NULL);
	f = fopen(junk, "w");
	fputs("PAR1 this is not really a parquet file", f);
	fclose(f);
	CHECK(fp_table_open(junk, &err) == NULL);
	CHECK(strstr(err.msg, "junk.parquet") != NULL);
	unlink(csv);
	unlink(misnamed);
	unlink(junk);
	rmdir(dir);
	fp_schema_free(s);
}

int main(void)
{
	RUN(test_batch_pool_hand_off);
	RUN(test_batch_pool_made_when_taken);
	RUN(test_spill_round_trip);
	RUN(test_table_reader);
	return TEST_RESULT();
}
