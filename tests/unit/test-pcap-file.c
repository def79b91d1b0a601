/*
 * test-pcap-file.c - the pcap/pcapng file source on captures written here.
 *
 * Timestamps in µs and ns files, pcapng, snaplen-cut records, files cut in
 * a record's header or data (the packets before, then an error naming the
 * file and the packet), files that are not captures (an open error naming
 * the file). Then, when MAKE_FIXTURES names the fixture program (make check
 * sets it), every fixture is read and decoded and its packet and skip
 * counts are compared with the fixture's own answer.
 */
#include "config.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode/decode.h"
#include "source/pcap-file.h"
#include "../fixtures/pcap-builder.h"
#include "test.h"

#define T0 1700000000000000000LL

static char dir[256];

static const char *tmp_path(const char *name)
{
	static char path[4][1024];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK(fwrite(data, 1, len, f) == len);
	fclose(f);
}

static uint64_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* Three UDP packets with the given timestamps; returns their lengths. */
static void write_three(const char *path, bool nano, uint32_t snaplen, const int64_t ts[3], uint32_t len[3])
{
	struct pb_writer *w = pb_writer_open(path, PB_LINK_ETHERNET, nano, snaplen);
	uint8_t frame[PB_MAX_FRAME];
	struct pb_packet pk;

	CHECK(w != NULL);
	if (w == NULL)
		return;
	for (int i = 0; i < 3; i++) {
		pb_udp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 5000, "10.0.0.2", (uint16_t)(53 + i), 100u * (uint32_t)i);
		len[i] = pb_build(&pk, frame, sizeof(frame), NULL);
		pb_writer_frame(w, ts[i], frame, len[i]);
	}
	CHECK_EQ_INT(pb_writer_close(w), 0);
}

static void test_micro_and_nano(void)
{
	const int64_t ts[3] = { T0, T0 + 123456000, T0 + 2000000001 };
	struct fp_pcap_file *us, *ns;
	struct fp_raw_packet a, b;
	struct fp_error err = { { 0 } };
	uint32_t len[3];

	write_three(tmp_path("us.pcap"), false, 65535, ts, len);
	write_three(tmp_path("ns.pcap"), true, 65535, ts, len);
	us = fp_pcap_file_open(tmp_path("us.pcap"), &err);
	ns = fp_pcap_file_open(tmp_path("ns.pcap"), &err);
	CHECK(us != NULL && ns != NULL);
	if (us == NULL || ns == NULL)
		return;
	CHECK_EQ_INT(fp_pcap_file_linktype(us), 1);
	CHECK_EQ_INT(fp_pcap_file_size(us), file_size(tmp_path("us.pcap")));
	CHECK_EQ_STR(fp_pcap_file_path(us), tmp_path("us.pcap"));
	for (int i = 0; i < 3; i++) {
		CHECK_EQ_INT(fp_pcap_file_next(us, &a, &err), 1);
		CHECK_EQ_INT(fp_pcap_file_next(ns, &b, &err), 1);
		CHECK_EQ_INT(fp_pcap_file_packet_number(us), i + 1);
		CHECK_EQ_INT(b.ts_ns, ts[i]);
		CHECK_EQ_INT(a.ts_ns, ts[i] / 1000 * 1000);	/* µs files lose the ns */
		CHECK_EQ_INT(a.caplen, len[i]);
		CHECK_EQ_INT(a.wirelen, len[i]);
		CHECK(memcmp(a.data, b.data, len[i]) == 0);
	}
	CHECK_EQ_INT(fp_pcap_file_next(us, &a, &err), 0);
	CHECK_EQ_INT(fp_pcap_file_next(us, &a, &err), 0);	/* EOF stays EOF */
	CHECK_EQ_INT(fp_pcap_file_offset(us), fp_pcap_file_size(us));
	fp_pcap_file_close(us);
	fp_pcap_file_close(ns);
}

static void test_snaplen(void)
{
	const int64_t ts[3] = { T0, T0 + 1000, T0 + 2000 };
	struct fp_pcap_file *f;
	struct fp_raw_packet r;
	struct fp_error err = { { 0 } };
	uint32_t len[3];

	write_three(tmp_path("snap.pcap"), false, 64, ts, len);
	f = fp_pcap_file_open(tmp_path("snap.pcap"), &err);
	CHECK(f != NULL);
	if (f == NULL)
		return;
	for (int i = 0; i < 3; i++) {
		CHECK_EQ_INT(fp_pcap_file_next(f, &r, &err), 1);
		CHECK_EQ_INT(r.caplen, len[i] < 64 ? len[i] : 64);
		CHECK_EQ_INT(r.wirelen, len[i]);
	}
	fp_pcap_file_close(f);
}

/* A capture cut at `size`: `readable` packets, then an error naming the
 * file and packet readable+1. */
static void check_cut(const char *name, uint64_t size, int readable)
{
	struct fp_pcap_file *f;
	struct fp_raw_packet r;
	struct fp_error err = { { 0 } };
	char want[64];

	CHECK(truncate(tmp_path(name), (off_t)size) == 0);
	f = fp_pcap_file_open(tmp_path(name), &err);
	CHECK(f != NULL);
	if (f == NULL)
		return;
	for (int i = 0; i < readable; i++)
		CHECK_EQ_INT(fp_pcap_file_next(f, &r, &err), 1);
	CHECK_EQ_INT(fp_pcap_file_next(f, &r, &err), -1);
	snprintf(want, sizeof(want), "packet %d: ", readable + 1);
	CHECK(strstr(err.msg, tmp_path(name)) == err.msg);
	CHECK(strstr(err.msg, want) != NULL);
	CHECK(strstr(err.msg, "truncated") != NULL);
	fprintf(stderr, "  (message: %s)\n", err.msg);
	fp_pcap_file_close(f);
}

static void test_truncated_files(void)
{
	const int64_t ts[3] = { T0, T0 + 1000, T0 + 2000 };
	uint32_t len[3];

	/* in the data of record 3 */
	write_three(tmp_path("cut-data.pcap"), false, 65535, ts, len);
	check_cut("cut-data.pcap", file_size(tmp_path("cut-data.pcap")) - len[2] / 2, 2);
	/* 7 bytes into the header of record 2 */
	write_three(tmp_path("cut-hdr.pcap"), false, 65535, ts, len);
	check_cut("cut-hdr.pcap", 24 + 16 + len[0] + 7, 1);
}

static void check_open_error(const char *name, const char *also)
{
	struct fp_error err = { { 0 } };
	struct fp_pcap_file *f = fp_pcap_file_open(tmp_path(name), &err);

	CHECK(f == NULL);
	fp_pcap_file_close(f);
	CHECK(strstr(err.msg, tmp_path(name)) == err.msg);
	if (also != NULL && strstr(err.msg, also) == NULL)
		fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.msg, also);
	CHECK(also == NULL || strstr(err.msg, also) != NULL);
}

static void test_not_captures(void)
{
	static const uint8_t gzip[] = { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4 };
	static const uint8_t short_header[] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0 };
	static const char text[] = "this is not a capture, just a text file with a .pcap name\n";

	write_bytes(tmp_path("empty.pcap"), "", 0);
	check_open_error("empty.pcap", "empty");
	write_bytes(tmp_path("text.pcap"), text, sizeof(text) - 1);
	check_open_error("text.pcap", "not a readable pcap");
	write_bytes(tmp_path("x.pcap.gz"), gzip, sizeof(gzip));
	check_open_error("x.pcap.gz", "gzip");
	write_bytes(tmp_path("short.pcap"), short_header, sizeof(short_header));
	check_open_error("short.pcap", "truncated");
	check_open_error("does-not-exist.pcap", "No such file");
	CHECK(mkdir(tmp_path("a-directory"), 0700) == 0);
	check_open_error("a-directory", "directory");
}

/* pcap and pcapng files are written in the writer's byte order: ours. */
static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

/* A record claiming more captured bytes than were on the wire. */
static void test_caplen_over_wirelen(void)
{
	uint8_t file[24 + 16 + 100];
	struct fp_pcap_file *f;
	struct fp_raw_packet r;
	struct fp_error err = { { 0 } };

	memset(file, 0, sizeof(file));
	put32(file, 0xa1b2c3d4);
	put16(file + 4, 2);	/* version 2.4 */
	put16(file + 6, 4);
	put32(file + 16, 65535);
	put32(file + 20, 1);
	put32(file + 24, 1700000000);
	put32(file + 32, 100);	/* caplen */
	put32(file + 36, 60);		/* len */
	write_bytes(tmp_path("caplen.pcap"), file, sizeof(file));
	f = fp_pcap_file_open(tmp_path("caplen.pcap"), &err);
	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK_EQ_INT(fp_pcap_file_next(f, &r, &err), 1);
	CHECK_EQ_INT(r.caplen, 100);
	CHECK_EQ_INT(r.wirelen, 100);
	CHECK_EQ_INT(r.ts_ns, 1700000000LL * 1000000000);
	fp_pcap_file_close(f);
}

/* Writes a pcapng file: section header, one interface with if_tsresol 9
 * (ns), two enhanced packet blocks at times ts[0], ts[1] (64-bit ns). */
static void write_ns_pcapng(const char *path, const uint64_t ts[2])
{
	uint8_t buf[512], pkt[64];
	uint32_t off = 0, blen;

	memset(buf, 0, sizeof(buf));
	/* SHB: type, length 28, byte-order magic, version 1.0, section length -1 */
	put32(buf, 0x0a0d0d0a), put32(buf + 4, 28), put32(buf + 8, 0x1a2b3c4d);
	put16(buf + 12, 1), put16(buf + 14, 0);
	memset(buf + 16, 0xff, 8);
	put32(buf + 24, 28);
	off = 28;
	/* IDB: linktype 1, snaplen 0, option if_tsresol (9) = 9, end of options */
	blen = 20 + 8 + 4;
	put32(buf + off, 1), put32(buf + off + 4, blen);
	put16(buf + off + 8, 1);
	put16(buf + off + 16, 9), put16(buf + off + 18, 1), buf[off + 20] = 9;	/* code 9, length 1, value 9 */
	put32(buf + off + blen - 4, blen);
	off += blen;
	for (int i = 0; i < 2; i++) {
		for (int j = 0; j < 64; j++)
			pkt[j] = (uint8_t)(i * 64 + j);
		blen = 28 + 64 + 4;
		put32(buf + off, 6), put32(buf + off + 4, blen);
		put32(buf + off + 12, (uint32_t)(ts[i] >> 32));
		put32(buf + off + 16, (uint32_t)ts[i]);
		put32(buf + off + 20, 64), put32(buf + off + 24, 80);
		memcpy(buf + off + 28, pkt, 64);
		put32(buf + off + blen - 4, blen);
		off += blen;
	}
	write_bytes(path, buf, off);
}

static void test_pcapng(void)
{
	struct fp_pcap_file *f;
	struct fp_raw_packet r;
	struct fp_error err = { { 0 } };
	const uint64_t ts[2] = { 1700000000123456789ull, 1700000001000000001ull };

	write_ns_pcapng(tmp_path("ns.pcapng"), ts);
	f = fp_pcap_file_open(tmp_path("ns.pcapng"), &err);
	CHECK(f != NULL);
	if (f == NULL) {
		fprintf(stderr, "  %s\n", err.msg);
		return;
	}
	CHECK_EQ_INT(fp_pcap_file_linktype(f), 1);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ_INT(fp_pcap_file_next(f, &r, &err), 1);
		CHECK_EQ_INT(r.ts_ns, (int64_t)ts[i]);
		CHECK_EQ_INT(r.caplen, 64);
		CHECK_EQ_INT(r.wirelen, 80);
		CHECK_EQ_INT(r.data[63], (uint8_t)(i * 64 + 63));
	}
	CHECK_EQ_INT(fp_pcap_file_next(f, &r, &err), 0);
	fp_pcap_file_close(f);
}

/* 64-bit pcapng times beyond int64 ns (years past 2262): a file that
 * starts there is made relative to its first packet, keeping the gap; a
 * lone wild time after normal ones is capped. */
static void test_far_times(void)
{
	const uint64_t wild = 0xf000000000000000ull;	/* about year 2500 in ns */
	const uint64_t from_wild[2] = { wild, wild + 1500000001ull };
	const uint64_t to_wild[2] = { 1700000000000000000ull, wild };
	struct fp_pcap_file *f;
	struct fp_raw_packet r;
	struct fp_error err = { { 0 } };

	write_ns_pcapng(tmp_path("far.pcapng"), from_wild);
	f = fp_pcap_file_open(tmp_path("far.pcapng"), &err);
	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK_EQ_INT(fp_pcap_file_next(f, &r, &err), 1);
	CHECK_EQ_INT(r.ts_ns, (int64_t)(wild % 1000000000ull));	/* whole seconds removed */
	CHECK_EQ_INT(fp_pcap_file_next(f, &r, &err), 1);
	CHECK_EQ_INT(r.ts_ns, (int64_t)(wild % 1000000000ull) + 1500000001);
	fp_pcap_file_close(f);

	write_ns_pcapng(tmp_path("far2.pcapng"), to_wild);
	f = fp_pcap_file_open(tmp_path("far2.pcapng"), &err);
	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK_EQ_INT(fp_pcap_file_next(f, &r, &err), 1);
	CHECK_EQ_INT(r.ts_ns, 1700000000000000000LL);
	CHECK_EQ_INT(fp_pcap_file_next(f, &r, &err), 1);
	CHECK_EQ_INT(r.ts_ns, INT64_MAX);
	fp_pcap_file_close(f);
}

/* What a fixture's .expect file says. */
struct expect {
	uint64_t packets, records, rec_packets, rec_bytes;
	uint64_t skipped[FP_SKIP__COUNT];
	uint64_t unmatched, file_truncated;
};

static int read_expect(const char *path, struct expect *e)
{
	char line[512], name[64];
	unsigned long long n;
	FILE *f = fopen(path, "r");

	memset(e, 0, sizeof(*e));
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long long fp, fb, bp, bb;

		if (sscanf(line, "# packets %llu", &n) == 1) {
			e->packets = n;
		} else if (sscanf(line, "# records %llu", &n) == 1) {
			e->records = n;
		} else if (sscanf(line, "# skipped %63s %llu", name, &n) == 2) {
			if (strcmp(name, "fragment-unmatched") == 0)
				e->unmatched = n;
			else if (strcmp(name, "file-truncated") == 0)
				e->file_truncated = n;
			for (int r = 1; r < FP_SKIP__COUNT; r++)
				if (strcmp(name, fp_skip_reason_name((enum fp_skip_reason)r)) == 0)
					e->skipped[r] = n;
		} else if (sscanf(line, "%*u %*s %*u %*s %*u %llu %llu %llu %llu", &fp, &fb, &bp, &bb) == 4) {
			e->rec_packets += fp + bp;
			e->rec_bytes += fb + bb;
		}
	}
	fclose(f);
	return 0;
}

/* Reads and decodes fixture `name` and compares with its answer. */
static void check_fixture(const char *name)
{
	char pcap[300], exp[300];
	struct fp_decode_stats st = { 0 };
	struct fp_pcap_file *f;
	struct fp_raw_packet r;
	struct fp_error err = { { 0 } };
	struct fp_packet p;
	struct expect e;
	uint64_t ok_bytes = 0;
	int rc, before = test_failures;

	snprintf(pcap, sizeof(pcap), "fixtures/%s.pcap", name);
	snprintf(exp, sizeof(exp), "fixtures/%s.expect", name);
	CHECK_EQ_INT(read_expect(tmp_path(exp), &e), 0);
	f = fp_pcap_file_open(tmp_path(pcap), &err);
	CHECK(f != NULL);
	if (f == NULL)
		return;
	while ((rc = fp_pcap_file_next(f, &r, &err)) == 1) {
		enum fp_skip_reason why = fp_decode(fp_pcap_file_linktype(f), r.data, r.caplen, r.wirelen, r.ts_ns, &p);

		st.packets++;
		st.skipped[why]++;
		if (why == FP_DECODE_OK)
			ok_bytes += p.ip_len;
	}
	CHECK_EQ_INT(rc, e.file_truncated ? -1 : 0);
	CHECK_EQ_INT(st.packets, e.packets - e.file_truncated);
	for (int k = 1; k < FP_SKIP__COUNT; k++) {
		if (k != FP_SKIP_FRAGMENT_UNMATCHED)
			CHECK_EQ_INT(st.skipped[k], e.skipped[k]);
	}
	/* every decoded packet is in a record, except orphan fragments */
	CHECK_EQ_INT(st.skipped[FP_DECODE_OK] - e.unmatched, e.rec_packets);
	if (e.unmatched == 0)
		CHECK_EQ_INT(ok_bytes, e.rec_bytes);
	CHECK(e.records > 0);
	fp_pcap_file_close(f);
	if (test_failures != before)
		fprintf(stderr, "  (fixture %s)\n", name);
}

static void test_fixtures(void)
{
	const char *prog = getenv("MAKE_FIXTURES");
	char cmd[1024];
	struct dirent *d;
	DIR *dh;
	int n = 0;

	if (prog == NULL || access(prog, X_OK) != 0) {
		fprintf(stderr, "  MAKE_FIXTURES not set or not built: fixture cross-check skipped\n");
		return;
	}
	snprintf(cmd, sizeof(cmd), "'%s' --all '%s'", prog, tmp_path("fixtures"));
	CHECK_EQ_INT(system(cmd), 0);
	dh = opendir(tmp_path("fixtures"));
	CHECK(dh != NULL);
	if (dh == NULL)
		return;
	while ((d = readdir(dh)) != NULL) {
		size_t len = strlen(d->d_name);
		char name[256];

		if (len > 7 && strcmp(d->d_name + len - 7, ".expect") == 0 && len - 7 < sizeof(name)) {
			memcpy(name, d->d_name, len - 7);
			name[len - 7] = '\0';
			check_fixture(name);
			n++;
		}
	}
	closedir(dh);
	CHECK(n >= 20);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/fp-test-pcap-file-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_micro_and_nano);
	RUN(test_snaplen);
	RUN(test_truncated_files);
	RUN(test_not_captures);
	RUN(test_caplen_over_wirelen);
	RUN(test_pcapng);
	RUN(test_far_times);
	RUN(test_fixtures);
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return TEST_RESULT();
}
