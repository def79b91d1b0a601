/*
 * test-meter.c - the meter as the daemon will drive it: bounded work per
 * call, records that do not depend on how the work was sliced, batches
 * handed over by ownership with back-pressure, and a feature set whose
 * columns reach CSV and Parquet files unchanged.
 *
 * Packets are real Ethernet frames built by the fixture builder and go
 * through decode, so the whole path of a live packet is exercised.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flow/flow-features.h"
#include "format/table-reader.h"
#include "pipeline/meter.h"
#include "record/batch-pool.h"
#include "sink/sink.h"
#include "test.h"
#include "../fixtures/pcap-builder.h"

#define DLT_ETHERNET 1
#define SEC 1000000000LL

static struct fp_schema *canonical;

/* ------------------------------------------------------------ packets */

/* A UDP packet of flow `k` (distinct 5-tuples), from the initiator or back. */
static void udp_frame(unsigned k, bool reply, uint32_t payload, uint8_t *buf, uint32_t *len)
{
	struct pb_packet pk;
	char src[32], dst[32];

	snprintf(src, sizeof(src), "10.%u.%u.%u", (k >> 16) & 0xff, (k >> 8) & 0xff, k & 0xff);
	snprintf(dst, sizeof(dst), "192.168.%u.%u", (k >> 8) & 0xff, (k * 7) & 0xff);
	pb_udp(&pk, DLT_ETHERNET, src, (uint16_t)(1024 + k % 50000), dst, 53, payload);
	if (reply)
		pb_reverse(&pk);
	*len = pb_build(&pk, buf, PB_MAX_FRAME, NULL);
}

static int feed_udp(struct fp_meter *m, unsigned k, bool reply, uint32_t payload, int64_t ts)
{
	uint8_t buf[PB_MAX_FRAME];
	uint32_t len;

	udp_frame(k, reply, payload, buf, &len);
	return fp_meter_packet(m, buf, len, len, ts);
}

/* --------------------------------------------------- collecting rows */

/* Rows as text lines, so runs can be compared whatever their order. */
struct collected {
	char **rows;
	size_t n, cap;
	size_t batches;
	struct fp_batch *held[64];	/* batches not yet released (hand-off test) */
	size_t nheld;
	bool hold;
};

static void row_text(const struct fp_batch *b, size_t row, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t c = 0; c < b->schema->nfields && o < size; c++) {
		const struct fp_column *col = &b->cols[c];
		size_t len;
		const char *p;

		if (!fp_column_is_valid(col, row)) {
			o += (size_t)snprintf(out + o, size - o, "null|");
			continue;
		}
		switch (col->type) {
		case FP_TYPE_INT32: o += (size_t)snprintf(out + o, size - o, "%d|", col->v.i32[row]); break;
		case FP_TYPE_INT64:
		case FP_TYPE_TIMESTAMP: o += (size_t)snprintf(out + o, size - o, "%lld|", (long long)col->v.i64[row]); break;
		case FP_TYPE_DOUBLE: o += (size_t)snprintf(out + o, size - o, "%.17g|", col->v.f64[row]); break;
		case FP_TYPE_BOOL: o += (size_t)snprintf(out + o, size - o, "%d|", col->v.b[row]); break;
		case FP_TYPE_STRING:
		case FP_TYPE_BINARY:
			p = fp_column_bytes(col, row, &len);
			o += (size_t)snprintf(out + o, size - o, "%.*s|", (int)len, p);
			break;
		}
	}
}

static void collect_rows(struct collected *c, const struct fp_batch *b)
{
	char text[512];

	for (size_t r = 0; r < b->nrows; r++) {
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 1024;
			c->rows = realloc(c->rows, c->cap * sizeof(*c->rows));
		}
		row_text(b, r, text, sizeof(text));
		c->rows[c->n++] = strdup(text);
	}
}

static int collect(void *ctx, struct fp_batch *b, struct fp_error *err)
{
	struct collected *c = ctx;

	(void)err;
	collect_rows(c, b);
	c->batches++;
	if (c->hold && c->nheld < 64) {
		c->held[c->nheld++] = b;	/* a slow consumer: released later */
		return 0;
	}
	fp_batch_release(b);
	return 0;
}

static void release_held(struct collected *c)
{
	for (size_t i = 0; i < c->nheld; i++)
		fp_batch_release(c->held[i]);
	c->nheld = 0;
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collected_free(struct collected *c)
{
	release_held(c);
	for (size_t i = 0; i < c->n; i++)
		free(c->rows[i]);
	free(c->rows);
	memset(c, 0, sizeof(*c));
}

static struct fp_meter *new_meter(struct fp_flow_features *ff, size_t expire_per_packet, size_t batch_rows,
				  struct collected *c)
{
	struct fp_meter_config cfg;
	struct fp_error err = { "" };
	struct fp_meter *m;

	fp_meter_config_defaults(&cfg);
	cfg.features = ff;
	cfg.flow.expire_per_packet = expire_per_packet;
	cfg.batch_rows = batch_rows;
	m = fp_meter_new(&cfg, collect, c, &err);
	if (m == NULL)
		fprintf(stderr, "fp_meter_new: %s\n", err.msg);
	else
		fp_meter_set_linktype(m, DLT_ETHERNET);
	return m;
}

/* ------------------------------------------------- bounded work per call */

#define IDLE_FLOWS 20000

static void test_bounded_work_per_call(void)
{
	struct fp_error err = { "" };
	struct fp_flow_features *ff = fp_flow_features_new(canonical, NULL, &err);
	struct collected c = { 0 };
	struct fp_meter *m = new_meter(ff, 64, 1024, &c);
	uint64_t before, most = 0;
	long ended, most_advance = 0;
	bool more;
	int calls = 0;

	CHECK(m != NULL);
	if (m == NULL)
		return;
	for (unsigned k = 0; k < IDLE_FLOWS; k++)
		CHECK(feed_udp(m, k, false, 10, SEC + k) == 0);
	/* 62 s later every flow is idle: these packets must not end them all */
	for (unsigned k = 0; k < 100; k++) {
		before = fp_meter_records(m);
		CHECK(feed_udp(m, IDLE_FLOWS + k, false, 10, 63 * SEC + k) == 0);
		if (fp_meter_records(m) - before > most)
			most = fp_meter_records(m) - before;
	}
	CHECK(most > 0);
	CHECK(most <= fp_meter_max_rows_per_call(m));
	CHECK(fp_meter_max_rows_per_call(m) < IDLE_FLOWS / 4);
	/* the timer finishes the job in slices of at most 500 */
	do {
		ended = fp_meter_advance(m, 63 * SEC + 200, 500, &more);
		CHECK(ended >= 0 && ended <= 500);
		if (ended > most_advance)
			most_advance = ended;
	} while (more && ++calls < 1000);
	CHECK(most_advance == 500);
	CHECK_EQ_INT(fp_meter_flow_stats(m)->active_flows, 100);
	CHECK_EQ_INT(fp_meter_records(m), IDLE_FLOWS);
	CHECK(fp_meter_finish(m, 30, &more, &err) == 0);
	CHECK(more);	/* 100 live flows, 30 at a time */
	for (calls = 0; more && calls < 10; calls++)
		CHECK(fp_meter_finish(m, 30, &more, &err) == 0);
	CHECK_EQ_INT(c.n, IDLE_FLOWS + 100);
	CHECK_EQ_INT(fp_meter_overdrawn(m), 0);
	fp_meter_free(m);
	collected_free(&c);

	/* without the cap one packet ends all of them: the bound above is real */
	m = new_meter(ff, 0, 1024, &c);
	for (unsigned k = 0; k < IDLE_FLOWS; k++)
		feed_udp(m, k, false, 10, SEC + k);
	before = fp_meter_records(m);
	for (unsigned k = 0; k < FP_METER_PACKET_BURST; k++)
		feed_udp(m, IDLE_FLOWS + k, false, 10, 63 * SEC);
	CHECK_EQ_INT(fp_meter_records(m) - before, IDLE_FLOWS);
	fp_meter_free(m);
	collected_free(&c);
	fp_flow_features_free(ff);
}

/* ------------------------------------ the same records whatever the slicing */

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/* A random workload: bursts, pauses longer than the idle timeout, replies,
 * and timer ticks with budget `slice` (0 = no limit) between packets. */
static void run_workload(struct fp_meter *m, size_t slice)
{
	uint32_t seed = 12345;
	int64_t t = 1000 * SEC;
	struct fp_error err = { "" };
	bool more;

	for (int i = 0; i < 40000; i++) {
		uint32_t r = lcg(&seed);
		unsigned k = r % 3000;

		t += (r % 97 == 0) ? 70 * SEC : (int64_t)(lcg(&seed) % 20000000);
		feed_udp(m, k, (r >> 4) & 1, r % 900, t);
		if (slice != 0 && r % 53 == 0)
			do
				fp_meter_advance(m, t + 1, slice, &more);
			while (more);
	}
	do
		fp_meter_finish(m, slice, &more, &err);
	while (more);
}

static void test_same_records_whatever_the_slice(void)
{
	static const size_t caps[] = { 0, 1, 3, 64 };
	static const size_t slices[] = { 0, 1, 7, 100 };
	struct fp_error err = { "" };
	struct fp_flow_features *ff = fp_flow_features_new(canonical, NULL, &err);
	struct collected ref = { 0 };
	struct fp_meter *m = new_meter(ff, 0, 8192, &ref);

	run_workload(m, 0);
	fp_meter_free(m);
	qsort(ref.rows, ref.n, sizeof(*ref.rows), cmp_text);
	CHECK(ref.n > 3000);
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		for (size_t j = 0; j < sizeof(slices) / sizeof(slices[0]); j++) {
			struct collected c = { 0 };
			bool same;

			m = new_meter(ff, caps[i], 100, &c);
			run_workload(m, slices[j]);
			fp_meter_free(m);
			qsort(c.rows, c.n, sizeof(*c.rows), cmp_text);
			same = c.n == ref.n;
			for (size_t r = 0; same && r < c.n; r++)
				same = strcmp(c.rows[r], ref.rows[r]) == 0;
			if (!same)
				fprintf(stderr, "cap %zu slice %zu: %zu rows vs %zu\n", caps[i], slices[j], c.n, ref.n);
			CHECK(same);
			collected_free(&c);
		}
	}
	collected_free(&ref);
	fp_flow_features_free(ff);
}

/* ------------------------------------------- hand-off and back-pressure */

static void test_hand_off_back_pressure(void)
{
	struct fp_error err = { "" };
	struct fp_flow_features *ff = fp_flow_features_new(canonical, NULL, &err);
	struct collected c = { .hold = true };
	struct fp_meter *m = new_meter(ff, 2, 64, &c);
	unsigned k = 0, refused = 0;
	bool more;

	/* every packet 70 s after the last: each ends the flow before it */
	while (k < 3000 && c.nheld < 60) {
		if (!fp_meter_ready(m)) {
			refused++;
			release_held(&c);	/* the consumer catches up */
			continue;
		}
		feed_udp(m, k, false, 10, (int64_t)(k + 1) * 70 * SEC);
		k++;
	}
	CHECK(refused > 0);
	CHECK_EQ_INT(fp_meter_overdrawn(m), 0);
	/* a caller that ignores readiness still loses nothing */
	for (unsigned i = 0; i < 2000; i++, k++)
		feed_udp(m, k, false, 10, (int64_t)(k + 1) * 70 * SEC);
	CHECK(fp_meter_overdrawn(m) > 0);
	CHECK(fp_meter_finish(m, 0, &more, &err) == 0);
	CHECK_EQ_INT(c.n, k);
	CHECK_EQ_INT(fp_meter_records(m), k);
	release_held(&c);
	fp_meter_free(m);
	collected_free(&c);
	fp_flow_features_free(ff);
}

/* ------------------------------------------ a feature set adds columns */

/* A test-only set: per flow, the packets its hooks saw, the largest IP
 * length, the end reason's name, and a nullable mean of reply lengths. */
struct probe_state {
	uint64_t hooked;
	uint32_t max_ip_len;
	uint64_t reply_bytes, replies;
	int ended;
};

static const struct fp_feature_field probe_fields[] = {
	{ "probe_packets", FP_TYPE_INT64, FP_UNIT_MICROS, false, "packets", "packets the hooks saw" },
	{ "probe_max_ip_len", FP_TYPE_INT32, FP_UNIT_MICROS, false, "bytes", "largest IP datagram" },
	{ "probe_end", FP_TYPE_STRING, FP_UNIT_MICROS, false, NULL, "why the flow ended" },
	{ "probe_reply_mean", FP_TYPE_DOUBLE, FP_UNIT_MICROS, true, "bytes", "mean reply length; null without replies" },
};

static void probe_update(void *state, const struct fp_flow *flow, const struct fp_packet *p, enum fp_flow_dir dir)
{
	struct probe_state *s = state;

	(void)flow;
	s->hooked++;
	if (p->ip_len > s->max_ip_len)
		s->max_ip_len = p->ip_len;
	if (dir == FP_DIR_BWD) {
		s->reply_bytes += p->ip_len;
		s->replies++;
	}
}

static void probe_end(void *state, const struct fp_flow *flow, enum fp_flow_end why)
{
	(void)flow;
	((struct probe_state *)state)->ended = 1 + (int)why;
}

static int probe_append(const void *plan, const struct fp_feature_row *row, const struct fp_flow *flow,
			const void *state, enum fp_flow_end why)
{
	const struct probe_state *s = state;
	const char *name = fp_flow_end_name(why);

	(void)plan;
	(void)flow;
	if (row->nfields != 4 || s->ended != 1 + (int)why)
		return -1;
	fp_batch_put_i64(row->batch, row->first, (int64_t)s->hooked);
	fp_batch_put_i32(row->batch, row->first + 1, (int32_t)s->max_ip_len);
	if (fp_batch_put_bytes(row->batch, row->first + 2, name, strlen(name)) < 0)
		return -1;
	if (s->replies)
		fp_batch_put_f64(row->batch, row->first + 3, (double)s->reply_bytes / (double)s->replies);
	else
		fp_batch_put_null(row->batch, row->first + 3);
	return 0;
}

static const struct fp_feature_set probe_set = {
	.name = "probe",
	.description = "test-only",
	.state_size = sizeof(struct probe_state),
	.fields = probe_fields,
	.nfields = sizeof(probe_fields) / sizeof(probe_fields[0]),
	.init = probe_update,
	.packet = probe_update,
	.end = probe_end,
	.append = probe_append,
};

struct sink_ctx {
	struct fp_sink *sink;
};

static int emit_to_sink(void *ctx, struct fp_batch *b, struct fp_error *err)
{
	int rc = fp_sink_write(((struct sink_ctx *)ctx)->sink, b, err);

	fp_batch_release(b);
	return rc;
}

/* Meters two flows into `path` through the file sink. */
static int meter_to_file(const struct fp_flow_features *ff, const char *path)
{
	struct fp_error err = { "" };
	struct fp_format_options opts;
	struct sink_ctx sc;
	struct fp_meter_config cfg;
	struct fp_meter *m;
	bool more;

	fp_format_options_defaults(&opts);
	sc.sink = fp_file_sink_open(path, fp_flow_features_schema(ff), &opts, &err);
	if (sc.sink == NULL)
		return -1;
	fp_meter_config_defaults(&cfg);
	cfg.features = ff;
	m = fp_meter_new(&cfg, emit_to_sink, &sc, &err);
	fp_meter_set_linktype(m, DLT_ETHERNET);
	feed_udp(m, 1, false, 100, 10 * SEC);	/* ip_len 128 */
	feed_udp(m, 1, true, 300, 11 * SEC);	/* 328 */
	feed_udp(m, 1, true, 200, 12 * SEC);	/* 228 */
	feed_udp(m, 2, false, 50, 13 * SEC);	/* 78, no reply */
	feed_udp(m, 2, false, 50, 80 * SEC);	/* both flows ended idle; flow 2 starts again */
	fp_meter_finish(m, 0, &more, &err);
	fp_meter_free(m);
	return fp_sink_close(sc.sink, &err);
}

/* An integer cell, whatever width the reader gave it (CSV infers int64). */
static int64_t int_at(const struct fp_batch *b, int col, size_t row)
{
	return b->cols[col].type == FP_TYPE_INT32 ? b->cols[col].v.i32[row] : b->cols[col].v.i64[row];
}

static void check_probe_table(const char *path, size_t ncanonical)
{
	struct fp_error err = { "" };
	struct fp_table_reader *t = fp_table_open(path, &err);
	const struct fp_schema *s;
	struct fp_batch *b;
	int packets, max_len, end, mean;

	CHECK(t != NULL);
	if (t == NULL) {
		fprintf(stderr, "%s: %s\n", path, err.msg);
		return;
	}
	s = fp_table_schema(t);
	CHECK_EQ_INT(s->nfields, ncanonical + 4);
	packets = fp_schema_find(s, "probe_packets");
	max_len = fp_schema_find(s, "probe_max_ip_len");
	end = fp_schema_find(s, "probe_end");
	mean = fp_schema_find(s, "probe_reply_mean");
	CHECK_EQ_INT(packets, (int)ncanonical);
	CHECK_EQ_INT(mean, (int)ncanonical + 3);
	b = fp_batch_new(s, 16);
	CHECK_EQ_INT(fp_table_next(t, b, &err), 3);
	if (b->nrows == 3 && packets >= 0 && max_len >= 0 && end >= 0 && mean >= 0) {
		size_t len;
		const char *p = fp_column_bytes(&b->cols[end], 1, &len);

		/* rows: flow 1 (3 packets, idle), flow 2 (1, idle), flow 2 again (1, end of input) */
		CHECK_EQ_INT(int_at(b, packets, 0), 3);
		CHECK_EQ_INT(int_at(b, packets, 1), 1);
		CHECK_EQ_INT(int_at(b, packets, 2), 1);
		CHECK_EQ_INT(int_at(b, max_len, 0), 328);
		CHECK_EQ_INT(int_at(b, max_len, 1), 78);
		CHECK(len == strlen(fp_flow_end_name(FP_END_IDLE)) && memcmp(p, fp_flow_end_name(FP_END_IDLE), len) == 0);
		p = fp_column_bytes(&b->cols[end], 2, &len);
		CHECK(len == strlen(fp_flow_end_name(FP_END_FLUSH)) && memcmp(p, fp_flow_end_name(FP_END_FLUSH), len) == 0);
		CHECK(fp_column_is_valid(&b->cols[mean], 0) && b->cols[mean].v.f64[0] == 278.0);
		CHECK(!fp_column_is_valid(&b->cols[mean], 1));
		CHECK(!fp_column_is_valid(&b->cols[mean], 2));
	}
	fp_batch_free(b);
	fp_table_close(t);
}

static void test_feature_set_columns_reach_files(void)
{
	struct fp_error err = { "" };
	struct fp_flow_features *ff = fp_flow_features_new(canonical, &probe_set, &err);
	char dir[] = "/tmp/fp-test-meter-XXXXXX", csv[64], parquet[64];

	CHECK(ff != NULL);
	if (ff == NULL || mkdtemp(dir) == NULL)
		return;
	CHECK_EQ_INT(fp_flow_features_schema(ff)->nfields, canonical->nfields + 4);
	CHECK(fp_flow_features_state_size(ff) >= sizeof(struct probe_state));
	snprintf(csv, sizeof(csv), "%s/f.csv", dir);
	snprintf(parquet, sizeof(parquet), "%s/f.parquet", dir);
	CHECK(meter_to_file(ff, csv) == 0);
	CHECK(meter_to_file(ff, parquet) == 0);
	check_probe_table(csv, canonical->nfields);
	check_probe_table(parquet, canonical->nfields);
	unlink(csv);
	unlink(parquet);
	rmdir(dir);
	fp_flow_features_free(ff);

	/* a set may not reuse a canonical column's name */
	{
		static const struct fp_feature_field dup[] = { { "src_ip", FP_TYPE_STRING, FP_UNIT_MICROS, false, NULL, NULL } };
		struct fp_feature_set bad = probe_set;

		bad.fields = dup;
		bad.nfields = 1;
		CHECK(fp_flow_features_new(canonical, &bad, &err) == NULL);
		CHECK(strstr(err.msg, "src_ip") != NULL);
	}
}

/* A meter writing to a writer that holds a row group gets room for it:
 * the default pool with none, a row group's batches besides, a bound. */
static void test_batches_for_writer(void)
{
	CHECK_EQ_INT(fp_meter_batches_for(0, 8192), FP_METER_DEFAULT_BATCHES);
	CHECK_EQ_INT(fp_meter_batches_for(8191, 8192), FP_METER_DEFAULT_BATCHES);
	CHECK_EQ_INT(fp_meter_batches_for(131072, 8192), 16 + FP_METER_DEFAULT_BATCHES - 1);
	CHECK_EQ_INT(fp_meter_batches_for(20480, 8192), 2 + FP_METER_DEFAULT_BATCHES - 1);
	CHECK_EQ_INT(fp_meter_batches_for(100000000, 8192), FP_METER_MAX_BATCHES);
	CHECK_EQ_INT(fp_meter_batches_for(131072, 0), FP_METER_DEFAULT_BATCHES);
}

int main(void)
{
	struct fp_error err = { "" };

	canonical = fp_schema_netflow_v1(&err);
	if (canonical == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	RUN(test_bounded_work_per_call);
	RUN(test_same_records_whatever_the_slice);
	RUN(test_hand_off_back_pressure);
	RUN(test_batches_for_writer);
	RUN(test_feature_set_columns_reach_files);
	fp_schema_free(canonical);
	return TEST_RESULT();
}
