/*
 * test-capture-reader.c - our capture reader on captures built here:
 * classic pcap in both byte orders, µs and ns; pcapng in both byte orders
 * with several interfaces (link types, if_tsresol in powers of 10 and 2,
 * if_tsoffset), SPB, the old PB, unknown blocks, a second section; records
 * straddling the read buffer's end and blocks larger than it; the same
 * files read from a pipe and from a stream; and a fuzz-style pass: random
 * mutations of real and built captures (bounded iterations, fixed seed)
 * read by both readers, which must agree as in test-two-readers.c.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "source/capture-reader.h"
#include "source/pcap-file.h"
#include "test.h"

static char dir[] = "/tmp/fp-test-capture-reader-XXXXXX";

/* ------------------------------------------------------------ building */

struct out {
	uint8_t *p;
	size_t len, cap;
	bool swap;	/* write in the other byte order */
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->len + n > o->cap) {
		o->cap = (o->len + n) * 2;
		o->p = realloc(o->p, o->cap);
	}
	memcpy(o->p + o->len, p, n);
	o->len += n;
}

static void u32(struct out *o, uint32_t v)
{
	v = o->swap ? __builtin_bswap32(v) : v;
	put(o, &v, 4);
}

static void u16(struct out *o, uint16_t v)
{
	v = o->swap ? __builtin_bswap16(v) : v;
	put(o, &v, 2);
}

/* Packet i's bytes: a pattern that tells packets and offsets apart. */
static uint8_t pattern(uint32_t i, uint32_t off)
{
	return (uint8_t)(i * 31 + off * 7 + (off >> 8));
}

static void payload(struct out *o, uint32_t i, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++) {
		uint8_t b = pattern(i, k);

		put(o, &b, 1);
	}
}

static void pcap_header(struct out *o, uint32_t magic, uint32_t snaplen, uint32_t linktype)
{
	u32(o, magic);
	u16(o, 2), u16(o, 4);
	u32(o, 0), u32(o, 0);
	u32(o, snaplen), u32(o, linktype);
}

static void pcap_record(struct out *o, uint32_t sec, uint32_t frac, uint32_t i, uint32_t caplen, uint32_t len)
{
	u32(o, sec), u32(o, frac), u32(o, caplen), u32(o, len);
	payload(o, i, caplen);
}

static const char *save(const char *name, const struct out *o)
{
	static char path[8][300];
	static int next;
	char *p = path[next++ % 8];
	FILE *f;

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	f = fopen(p, "wb");
	CHECK(f != NULL && fwrite(o->p, 1, o->len, f) == o->len);
	if (f != NULL)
		fclose(f);
	return p;
}

/* ------------------------------------------------------------ reading */

enum how { BY_PATH, BY_PIPE, BY_STREAM };

/* Opens `path` as asked: by path, through a pipe fed by a child process
 * (reads come short), or as a FILE *. */
static struct fp_capture_reader *open_how(const char *path, enum how how, struct fp_error *err)
{
	int fds[2];
	pid_t pid;

	if (how == BY_PATH)
		return fp_capture_reader_open(path, err);
	if (how == BY_STREAM)
		return fp_capture_reader_open_input(-1, fopen(path, "rb"), true, path, err);
	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		FILE *f = fopen(path, "rb");
		char buf[3000];	/* odd-sized writes: records straddle every read */
		size_t n;

		close(fds[0]);
		while (f != NULL && (n = fread(buf, 1, sizeof(buf), f)) > 0)
			if (write(fds[1], buf, n) != (ssize_t)n)
				break;
		_exit(0);
	}
	close(fds[1]);
	return fp_capture_reader_open_input(fds[0], NULL, true, path, err);
}

static void reap(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* ------------------------------------------------------------ tests */

static void check_classic(bool swap, bool nano, enum how how)
{
	struct out o = { .swap = swap };
	struct fp_capture_reader *r;
	struct fp_raw_packet p;
	struct fp_error err = { { 0 } };
	const uint32_t n = 3000;
	const char *path;

	pcap_header(&o, nano ? 0xa1b23c4d : 0xa1b2c3d4, 65535, 1);
	for (uint32_t i = 0; i < n; i++)	/* ~2.2 MB: records straddle the 1 MiB area */
		pcap_record(&o, 1700000000 + i, nano ? 999999999 - i : i, i, (i * 37) % 1500 + 1, 1600);
	path = save(swap ? "swapped.pcap" : "native.pcap", &o);
	r = open_how(path, how, &err);
	CHECK(r != NULL);
	if (r == NULL) {
		fprintf(stderr, "  %s\n", err.msg);
		free(o.p);
		return;
	}
	CHECK_EQ_INT(fp_capture_reader_linktype(r), 1);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len = (i * 37) % 1500 + 1;
		bool same = true;

		CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 1);
		CHECK_EQ_INT(p.ts_ns, (1700000000LL + i) * 1000000000 + (nano ? 999999999 - i : i * 1000LL));
		CHECK_EQ_INT(p.caplen, len);
		CHECK_EQ_INT(p.wirelen, 1600);
		for (uint32_t k = 0; k < len && same; k++)
			same = p.data[k] == pattern(i, k);
		CHECK(same);
	}
	CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 0);
	CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 0);
	CHECK_EQ_INT(fp_capture_reader_offset(r), o.len);
	CHECK_EQ_INT(fp_capture_reader_size(r), how == BY_PIPE ? 0 : o.len);
	fp_capture_reader_close(r);
	reap();
	free(o.p);
}

static void test_classic(void)
{
	for (int how = BY_PATH; how <= BY_STREAM; how++)
		for (int swap = 0; swap < 2; swap++)
			for (int nano = 0; nano < 2; nano++)
				check_classic(swap, nano, (enum how)how);
}

/* A pcap file cut in a record's data, read from a pipe: the packets
 * before, then libpcap's words and the packet number. */
static void test_truncated_pipe(void)
{
	struct out o = { 0 };
	struct fp_capture_reader *r;
	struct fp_raw_packet p;
	struct fp_error err = { { 0 } };

	pcap_header(&o, 0xa1b2c3d4, 65535, 1);
	pcap_record(&o, 1, 0, 0, 100, 100);
	pcap_record(&o, 2, 0, 1, 100, 100);
	o.len -= 40;
	r = open_how(save("cut.pcap", &o), BY_PIPE, &err);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 1);
		CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), -1);
		CHECK(strstr(err.msg, "cut.pcap: packet 2: truncated dump file; tried to read 100 captured bytes, "
				      "only got 60") != NULL);
		CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), -1);	/* stays failed */
	}
	fp_capture_reader_close(r);
	reap();
	free(o.p);
}

/* pcapng pieces */
static void block_start(struct out *o, uint32_t type, size_t *at)
{
	*at = o->len;
	u32(o, type), u32(o, 0);
}

static void block_end(struct out *o, size_t at)
{
	uint32_t total;

	while ((o->len - at) % 4 != 0)
		put(o, "", 1);
	total = (uint32_t)(o->len - at + 4);
	u32(o, total);
	total = o->swap ? __builtin_bswap32(total) : total;
	memcpy(o->p + at + 4, &total, 4);
}

static void shb(struct out *o)
{
	size_t at;

	block_start(o, 0x0a0d0d0a, &at);
	u32(o, 0x1a2b3c4d), u16(o, 1), u16(o, 0), u32(o, 0xffffffff), u32(o, 0xffffffff);
	block_end(o, at);
}

/* tsresol < 0: no option; tsoffset 0: no option. */
static void idb(struct out *o, uint16_t linktype, uint32_t snaplen, int tsresol, uint64_t tsoffset)
{
	size_t at;

	block_start(o, 1, &at);
	u16(o, linktype), u16(o, 0), u32(o, snaplen);
	u16(o, 2), u16(o, 3), put(o, "eth", 3), put(o, "", 1);	/* if_name: skipped */
	if (tsresol >= 0) {
		uint8_t v = (uint8_t)tsresol;

		u16(o, 9), u16(o, 1), put(o, &v, 1), put(o, "\0\0\0", 3);
	}
	if (tsoffset != 0) {
		u16(o, 14), u16(o, 8);
		u32(o, o->swap ? (uint32_t)(tsoffset >> 32) : (uint32_t)tsoffset);
		u32(o, o->swap ? (uint32_t)tsoffset : (uint32_t)(tsoffset >> 32));
	}
	u16(o, 0), u16(o, 0);
	block_end(o, at);
}

static void epb(struct out *o, uint32_t ifid, uint64_t t, uint32_t i, uint32_t caplen, uint32_t len,
		uint32_t option_bytes)
{
	size_t at;

	block_start(o, 6, &at);
	u32(o, ifid), u32(o, (uint32_t)(t >> 32)), u32(o, (uint32_t)t), u32(o, caplen), u32(o, len);
	payload(o, i, caplen);
	while ((o->len - at) % 4 != 0)
		put(o, "", 1);
	if (option_bytes > 0) {	/* one big comment */
		u16(o, 1), u16(o, (uint16_t)option_bytes);
		for (uint32_t k = 0; k < option_bytes; k++)
			put(o, "c", 1);
	}
	block_end(o, at);
}

static void check_pcapng(bool swap, enum how how)
{
	struct out o = { .swap = swap };
	struct fp_capture_reader *r;
	struct fp_raw_packet p;
	struct fp_error err = { { 0 } };
	size_t at;
	const char *path;

	shb(&o);
	block_start(&o, 0x0bad, &at), u32(&o, 42), block_end(&o, at);	/* unknown: skipped */
	idb(&o, 1, 0, -1, 0);				/* ethernet, µs */
	idb(&o, 101, 128, 3, 1000);			/* raw IP, ms, +1000 s */
	idb(&o, 113, 65535, 0x80 | 10, 0);		/* Linux cooked, 2^-10 s */
	epb(&o, 0, 1700000000123456ull, 0, 60, 60, 0);
	epb(&o, 1, 5250, 1, 100, 120, 0);		/* 5.250 s + 1000 s */
	epb(&o, 2, (7ull << 10) | 512, 2, 40, 40, 0);	/* 7.5 s */
	block_start(&o, 3, &at), u32(&o, 200), payload(&o, 3, 200), block_end(&o, at);	/* SPB: iface 0 */
	block_start(&o, 2, &at), u16(&o, 1), u16(&o, 0), u32(&o, 0), u32(&o, 7000), u32(&o, 20), u32(&o, 20);
	payload(&o, 4, 20), block_end(&o, at);		/* obsolete PB on iface 1 */
	epb(&o, 0, 1, 5, 1500, 1500, 60000);		/* a 61 KiB block */
	for (uint32_t i = 0; i < 40; i++)		/* 2.4 MB of blocks that straddle */
		epb(&o, 0, 1700000001000000ull + i, 6 + i, 1400, 1400, 60000 + i * 3);
	shb(&o);					/* a new section forgets interfaces */
	idb(&o, 1, 0, 9, 0);				/* ns */
	epb(&o, 0, 1700000002000000001ull, 46, 10, 10, 0);
	path = save(swap ? "swapped.pcapng" : "native.pcapng", &o);
	r = open_how(path, how, &err);
	CHECK(r != NULL);
	if (r == NULL) {
		fprintf(stderr, "  %s\n", err.msg);
		free(o.p);
		return;
	}
	CHECK_EQ_INT(fp_capture_reader_linktype(r), 1);
	CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 1);
	CHECK_EQ_INT(p.ts_ns, 1700000000123456000LL);
	CHECK_EQ_INT(p.linktype, 1);
	CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 1);
	CHECK_EQ_INT(p.ts_ns, 1005250000000LL);
	CHECK_EQ_INT(p.linktype, 12);			/* LINKTYPE_RAW is DLT_RAW */
	CHECK_EQ_INT(p.caplen, 100);
	CHECK_EQ_INT(p.wirelen, 120);
	CHECK_EQ_INT(p.data[99], pattern(1, 99));
	CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 1);
	CHECK_EQ_INT(p.ts_ns, 7500000000LL);
	CHECK_EQ_INT(p.linktype, 113);
	CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 1);	/* SPB */
	CHECK_EQ_INT(p.caplen, 200);
	CHECK_EQ_INT(p.ts_ns, 0);
	CHECK_EQ_INT(p.data[199], pattern(3, 199));
	CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 1);	/* PB */
	CHECK_EQ_INT(p.ts_ns, 1007000000000LL);
	CHECK_EQ_INT(p.linktype, 12);
	for (uint32_t i = 5; i < 46; i++) {
		CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 1);
		CHECK_EQ_INT(p.data[p.caplen - 1], pattern(i, p.caplen - 1));
	}
	CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 1);
	CHECK_EQ_INT(p.ts_ns, 1700000002000000001LL);
	CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 0);
	CHECK_EQ_INT(fp_capture_reader_offset(r), o.len);
	fp_capture_reader_close(r);
	reap();
	free(o.p);
}

static void test_pcapng(void)
{
	for (int how = BY_PATH; how <= BY_STREAM; how++)
		for (int swap = 0; swap < 2; swap++)
			check_pcapng(swap, (enum how)how);
}

/* A pcapng block larger than the whole buffer (head room + read area). */
static void test_big_block(void)
{
	struct out o = { 0 };
	struct fp_capture_reader *r;
	struct fp_raw_packet p;
	struct fp_error err = { { 0 } };
	size_t at;

	shb(&o);
	idb(&o, 1, 0, -1, 0);
	block_start(&o, 0x0bad, &at);
	for (int i = 0; i < 3 * 1024 * 1024 / 4; i++)
		u32(&o, (uint32_t)i);
	block_end(&o, at);
	epb(&o, 0, 5, 9, 64, 64, 0);
	r = open_how(save("big.pcapng", &o), BY_PIPE, &err);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 1);
		CHECK_EQ_INT(p.data[63], pattern(9, 63));
		CHECK_EQ_INT(fp_capture_reader_next(r, &p, &err), 0);
	}
	fp_capture_reader_close(r);
	reap();
	free(o.p);
}

/* ------------------------------------------------------------ fuzz */

static uint64_t rng_state = 0x1234567887654321ull;

static uint64_t rnd(void)
{
	return test_xorshift(&rng_state);
}

static bool libpcap_limit(const char *msg)
{
	return strstr(msg, "an interface has a type") != NULL ||
	       strstr(msg, "an interface has a snapshot length") != NULL;
}

/* Both readers on one file; returns false (and says why) if they disagree. */
static bool agree(const char *path)
{
	struct fp_error ea = { { 0 } }, eb = { { 0 } };
	struct fp_pcap_file *lib = fp_pcap_file_open(path, &ea);
	struct fp_capture_reader *ours = fp_capture_reader_open(path, &eb);
	struct fp_raw_packet a, b;
	bool ok = (lib == NULL) == (ours == NULL);
	int ra = 0, rb = 0;

	if (lib == NULL || ours == NULL) {
		ok = ok && strcmp(ea.msg, eb.msg) == 0;
		goto done;
	}
	for (;;) {
		ra = fp_pcap_file_next(lib, &a, &ea);
		if (ra < 0 && libpcap_limit(ea.msg))
			goto done;
		rb = fp_capture_reader_next(ours, &b, &eb);
		if (ra != rb || ra != 1)
			break;
		if (a.ts_ns != b.ts_ns || a.caplen != b.caplen || a.wirelen != b.wirelen ||
		    memcmp(a.data, b.data, a.caplen) != 0) {
			ok = false;
			break;
		}
		if (b.caplen > b.wirelen)
			ok = false;
	}
	ok = ok && ra == rb && (ra >= 0 || strcmp(ea.msg, eb.msg) == 0);
done:
	if (!ok)
		fprintf(stderr, "  %s: libpcap %d \"%s\" / ours %d \"%s\"\n", path, ra, ea.msg, rb, eb.msg);
	fp_pcap_file_close(lib);
	fp_capture_reader_close(ours);
	return ok;
}

/* One mutation: flip bytes, overwrite a 32-bit word with a boundary value
 * (lengths!), or cut the file. */
static void mutate(struct out *o)
{
	static const uint32_t words[] = { 0, 1, 3, 12, 0xffff, 0x10000, 0x40000, 0x40001, 0x7fffffff, 0xffffffff,
					  0x1000000, 28, 8 };
	size_t at = o->len > 0 ? rnd() % o->len : 0;

	switch (rnd() % 4) {
	case 0:
		o->p[at] ^= (uint8_t)(1u << (rnd() % 8));
		break;
	case 1:
		o->p[at] = (uint8_t)rnd();
		break;
	case 2:
		if (at + 4 <= o->len) {
			uint32_t w = words[rnd() % (sizeof(words) / sizeof(words[0]))];

			memcpy(o->p + at - at % 4, &w, 4);
		}
		break;
	default:
		o->len = at;
		break;
	}
}

static bool read_whole(const char *path, struct out *o)
{
	FILE *f = fopen(path, "rb");
	uint8_t buf[65536];
	size_t n;

	if (f == NULL)
		return false;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		put(o, buf, n);
	fclose(f);
	return true;
}

static void test_fuzz(void)
{
	const char *shared = getenv("SHARED_DIR");
	static const char *const seeds[] = { "corpus/tcpdump__tcp-handshake-nano.pcap",
					     "corpus/zeek__pcapng-multi-interface.pcapng",
					     "corpus/tcpdump__icmp-length-zero.pcapng", "corpus/zeek__dns53.pcap",
					     "corpus/tcpdump__nflog.pcap" };
	char path[4096];
	int iterations = 0, disagreements = 0;

	for (size_t s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		struct out seed = { 0 };

		snprintf(path, sizeof(path), "%s/%s", shared != NULL ? shared : "../shared", seeds[s]);
		if (!read_whole(path, &seed) || seed.len > 200000) {
			free(seed.p);
			continue;
		}
		for (int i = 0; i < 300; i++) {
			struct out m = { 0 };
			int k = 1 + (int)(rnd() % 4);

			put(&m, seed.p, seed.len);
			while (k-- > 0)
				mutate(&m);
			if (!agree(save("fuzz.bin", &m)))
				disagreements++;
			iterations++;
			free(m.p);
		}
		free(seed.p);
	}
	fprintf(stderr, "  %d mutated captures, %d disagreements\n", iterations, disagreements);
	CHECK_EQ_INT(disagreements, 0);
}

static void cleanup(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

int main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_classic);
	RUN(test_truncated_pipe);
	RUN(test_pcapng);
	RUN(test_big_block);
	fp_log_setup("test-capture-reader", FP_LOG_STYLE_CLI, FP_LOG_ERR);	/* mutated times warn a lot */
	RUN(test_fuzz);
	cleanup();
	return TEST_RESULT();
}
