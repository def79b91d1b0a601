/*
 * test-decode-ahead.c - metering through the decoding helper thread
 * (pipeline/decode-ahead.h) gives exactly what metering on one thread
 * gives: for every capture of the shared corpus and its damaged ones, the
 * same records byte for byte (CSV), the same decode counts, the same
 * packets read and the same error; also when fed in small slices, and
 * when the helper is freed halfway (an interrupted run); a burst never
 * waits on more than FP_DECODE_AHEAD_READ_MAX reads. And the ring under
 * it (lib/ring.h): every slot arrives once, in order, whatever the pace of
 * either side, and a stop wakes a producer waiting for room.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flow/flow-features.h"
#include "lib/ring.h"
#include "lib/thread.h"
#include "pipeline/feed.h"
#include "pipeline/meter.h"
#include "record/batch-pool.h"
#include "sink/sink.h"
#include "test.h"

static struct fp_schema *canonical;
static struct fp_flow_features *features;
static char out_dir[] = "/tmp/fp-test-decode-ahead-XXXXXX";
static int files_compared;

/* ------------------------------------------------------------ the ring */

#define RING_SLOTS 5
#define RING_ITEMS 20000

struct ring_test {
	struct fp_ring ring;
	unsigned slots[RING_SLOTS];
	unsigned produced;
};

static void pause_a_little(unsigned i)
{
	if (i % 97 == 0)
		usleep(50);
}

static void *ring_producer(void *arg)
{
	struct ring_test *t = arg;
	int slot;

	while (t->produced < RING_ITEMS && (slot = fp_ring_reserve(&t->ring)) >= 0) {
		t->slots[slot] = t->produced++;
		pause_a_little(t->produced * 7);
		fp_ring_push(&t->ring);
	}
	fp_ring_end(&t->ring);
	return NULL;
}

static void test_ring_order(void)
{
	for (unsigned low = 0; low < RING_SLOTS; low += 2) {
		struct ring_test t = { .produced = 0 };
		pthread_t th;
		unsigned next = 0, bad = 0;
		int slot;

		fp_ring_init(&t.ring, RING_SLOTS, low, RING_SLOTS - low);
		CHECK(fp_thread_start(&th, ring_producer, &t) == 0);
		while ((slot = fp_ring_wait_full(&t.ring, 0)) >= 0) {
			bad += t.slots[slot] != next++;
			pause_a_little(next);
			fp_ring_pop(&t.ring);
		}
		pthread_join(th, NULL);
		CHECK_EQ_INT(bad, 0);
		CHECK_EQ_INT(next, RING_ITEMS);
		fp_ring_destroy(&t.ring);
	}
}

/* A consumer that stops early: the producer, waiting for room, ends. */
static void test_ring_stop(void)
{
	struct ring_test t = { .produced = 0 };
	pthread_t th;

	fp_ring_init(&t.ring, RING_SLOTS, 1, 1);
	CHECK(fp_thread_start(&th, ring_producer, &t) == 0);
	CHECK(fp_ring_wait_full(&t.ring, 2) >= 0);	/* looks two ahead without taking */
	fp_ring_pop(&t.ring);
	fp_ring_stop(&t.ring);
	pthread_join(th, NULL);
	CHECK(t.produced < RING_ITEMS);
	fp_ring_destroy(&t.ring);
}

/* ------------------------------------------------------------ metering */

struct result {
	struct fp_decode_stats decode;
	uint64_t records, source_packets;
	int status;		/* the last feed status */
	struct fp_error error;
};

static int emit_to_sink(void *ctx, struct fp_batch *b, struct fp_error *err)
{
	int rc = fp_sink_write(ctx, b, err);

	fp_batch_release(b);
	return rc;
}

/* Meters `path` into CSV file `out`, `slice` packets per feed call (0:
 * all at once), with or without the helper; with `stop_after`, the helper
 * is freed after that many packets and nothing more is fed. */
static void meter_file(const char *path, const char *out, bool ahead, size_t slice, uint64_t stop_after,
		       struct result *res)
{
	struct fp_error err = { "" };
	struct fp_format_options opts;
	struct fp_meter_config cfg;
	struct fp_source *src = fp_source_open_file(path, &err);
	struct fp_decode_ahead *da = NULL;
	struct fp_sink *sink;
	struct fp_meter *m;
	uint64_t fed_total = 0;
	bool more;

	memset(res, 0, sizeof(*res));
	if (src == NULL) {
		res->status = -1;
		res->error = err;
		return;
	}
	fp_format_options_defaults(&opts);
	sink = fp_file_sink_open(out, canonical, &opts, &err);
	fp_meter_config_defaults(&cfg);
	cfg.features = features;
	m = fp_meter_new(&cfg, emit_to_sink, sink, &err);
	if (ahead)
		da = fp_decode_ahead_start(src, &err);
	CHECK(sink != NULL && m != NULL && (!ahead || da != NULL));
	for (;;) {
		size_t fed = 0;
		enum fp_feed_status st = da ? fp_meter_feed_ahead(m, da, slice, &fed, &res->error)
					    : fp_meter_feed(m, src, slice, &fed, &res->error);

		res->status = (int)st;
		fed_total += fed;
		if (st != FP_FEED_BUDGET || (stop_after && fed_total >= stop_after))
			break;
	}
	fp_decode_ahead_free(da);
	if (!stop_after)
		CHECK(fp_meter_finish(m, 0, &more, &err) == 0);
	res->decode = *fp_meter_decode_stats(m);
	res->records = fp_meter_records(m);
	res->source_packets = src->packets;
	fp_meter_free(m);
	CHECK(fp_sink_close(sink, &err) == 0);
	fp_source_close(src);
}

static bool same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	bool same = fa != NULL && fb != NULL;
	int ca, cb;

	while (same && ((ca = getc(fa)) != EOF) | ((cb = getc(fb)) != EOF))
		same = ca == cb;
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

static void compare_file(const char *path)
{
	static const size_t slices[] = { 0, 1000, 37 };
	char plain_out[4200], ahead_out[4200];
	struct result plain, ahead;

	snprintf(plain_out, sizeof(plain_out), "%s/plain.csv", out_dir);
	meter_file(path, plain_out, false, 0, 0, &plain);
	for (size_t i = 0; i < sizeof(slices) / sizeof(slices[0]); i++) {
		int before = test_failures;

		snprintf(ahead_out, sizeof(ahead_out), "%s/ahead.csv", out_dir);
		meter_file(path, ahead_out, true, slices[i], 0, &ahead);
		CHECK_EQ_INT(ahead.status, plain.status);
		CHECK_EQ_STR(ahead.error.msg, plain.error.msg);
		CHECK_EQ_INT(ahead.records, plain.records);
		CHECK_EQ_INT(ahead.decode.packets, plain.decode.packets);
		CHECK_EQ_INT(ahead.decode.decoded, plain.decode.decoded);
		CHECK(memcmp(ahead.decode.skipped, plain.decode.skipped, sizeof(plain.decode.skipped)) == 0);
		CHECK(memcmp(ahead.decode.noted, plain.decode.noted, sizeof(plain.decode.noted)) == 0);
		CHECK_EQ_INT(ahead.source_packets, plain.source_packets);
		if (plain.status != FP_FEED_INPUT_ERROR || plain.source_packets > 0)
			CHECK(same_file(plain_out, ahead_out));
		if (test_failures != before)
			fprintf(stderr, "  %s (slice %zu) differs\n", path, slices[i]);
	}
	/* interrupted: freed with bursts in flight, it stops and leaks nothing */
	if (plain.decode.packets > 2000) {
		meter_file(path, ahead_out, true, 500, 1000, &ahead);
		CHECK(ahead.decode.packets >= 1000 && ahead.decode.packets < plain.decode.packets);
	}
	files_compared++;
}

static void compare_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	if (n < 0)
		return;	/* no corpus here */
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		size_t len = strlen(nm);
		char path[4096];

		if (nm[0] != '.' && strcmp(nm, "bad") != 0 && !(len > 3 && strcmp(nm + len - 3, ".md") == 0) &&
		    !(len > 4 && strcmp(nm + len - 4, ".tsv") == 0)) {
			snprintf(path, sizeof(path), "%s/%s", dir, nm);
			compare_file(path);
		}
		free(names[i]);
	}
	free(names);
}

/* ------------------------------------------------------------ bounded bursts */

static void put_le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	fwrite(b, 1, 4, f);
}

/* One Ethernet frame in a classic pcap record: ARP when `arp`, else IPv4
 * UDP of flow `k`. */
static void put_frame(FILE *f, uint32_t sec, bool arp, unsigned k)
{
	uint8_t fr[42] = { 0 };

	if (arp) {
		fr[12] = 0x08, fr[13] = 0x06;
	} else {
		fr[12] = 0x08, fr[13] = 0x00;
		fr[14] = 0x45, fr[17] = 28, fr[22] = 64, fr[23] = 17;	/* IPv4, total length 28, TTL, UDP */
		fr[26] = 10, fr[29] = 1, fr[30] = 10, fr[32] = (uint8_t)(k >> 8), fr[33] = (uint8_t)k;
		fr[34] = 0x30, fr[35] = 0x39, fr[36] = 0x00, fr[37] = 53, fr[39] = 8;	/* ports 12345 -> 53, length 8 */
	}
	put_le32(f, sec);
	put_le32(f, 0);
	put_le32(f, sizeof(fr));
	put_le32(f, sizeof(fr));
	fwrite(fr, 1, sizeof(fr), f);
}

/* 20,000 ARP packets, then 1,000 UDP ones: every burst the helper makes
 * has read at most FP_DECODE_AHEAD_READ_MAX packets (the daemon's loop
 * waits on one burst), and the counts are right. */
static void test_bursts_bounded_by_reads(void)
{
	char path[4200];
	struct fp_error err = { "" };
	struct fp_source *src;
	struct fp_decode_ahead *da;
	const struct fp_decoded_burst *fresh;
	const struct fp_packet *p;
	uint64_t read = 0, decoded = 0, arp = 0;
	size_t n, bursts = 0, too_big = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/arp.pcap", out_dir);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	put_le32(f, 0xa1b2c3d4);
	put_le32(f, 2 | 4u << 16);	/* version 2.4 */
	put_le32(f, 0);
	put_le32(f, 0);
	put_le32(f, 65535);
	put_le32(f, 1);		/* Ethernet */
	for (unsigned i = 0; i < 21000; i++)
		put_frame(f, 1700000000 + i / 1000, i < 20000, i);
	fclose(f);
	src = fp_source_open_file(path, &err);
	CHECK(src != NULL);
	da = src ? fp_decode_ahead_start(src, &err) : NULL;
	while (da != NULL && (p = fp_decode_ahead_packets(da, &n, &fresh)) != NULL) {
		if (fresh != NULL) {
			bursts++;
			too_big += fresh->read > FP_DECODE_AHEAD_READ_MAX;
			read += fresh->read;
			arp += fresh->skipped[FP_SKIP_NON_IP];
		}
		decoded += n;
		fp_decode_ahead_take(da, n);
	}
	CHECK(da != NULL && fp_decode_ahead_status(da, NULL) == 0);
	fp_decode_ahead_free(da);
	fp_source_close(src);
	CHECK_EQ_INT(too_big, 0);
	CHECK(bursts >= 20000 / FP_DECODE_AHEAD_READ_MAX);
	CHECK_EQ_INT(read, 21000);
	CHECK_EQ_INT(arp, 20000);
	CHECK_EQ_INT(decoded, 1000);
	compare_file(path);	/* and the same records and counts as without the helper */
	unlink(path);
}

static void test_corpus_same_with_helper(void)
{
	const char *shared = getenv("SHARED_DIR");
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/corpus", shared ? shared : "../shared");
	compare_dir(dir);
	snprintf(dir, sizeof(dir), "%s/corpus/bad", shared ? shared : "../shared");
	compare_dir(dir);
}

int main(void)
{
	struct fp_error err = { "" };
	char path[4200];

	canonical = fp_schema_netflow_v1(&err);
	features = canonical ? fp_flow_features_new(canonical, NULL, &err) : NULL;
	if (features == NULL || mkdtemp(out_dir) == NULL) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return 1;
	}
	RUN(test_ring_order);
	RUN(test_ring_stop);
	RUN(test_bursts_bounded_by_reads);
	RUN(test_corpus_same_with_helper);
	snprintf(path, sizeof(path), "%s/plain.csv", out_dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/ahead.csv", out_dir);
	unlink(path);
	rmdir(out_dir);
	fp_flow_features_free(features);
	fp_schema_free(canonical);
	if (files_compared == 1) {	/* only the one built here */
		fprintf(stderr, "SKIP: no captures in ../shared/corpus (set SHARED_DIR); the ring and the bounded bursts were tested\n");
		return test_failures ? 1 : 77;
	}
	fprintf(stderr, "%d captures metered the same with and without the decoding thread\n", files_compared);
	return TEST_RESULT();
}
