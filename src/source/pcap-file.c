/*
 * pcap-file.c - packets from a pcap or pcapng file, through libpcap.
 *
 * libpcap reads savefiles through stdio; left alone, its FILE reads 4 KiB at
 * a time, which costs nearly half of the reading time (design/PERFORMANCE.md).
 * So the file is opened here, given a 1 MiB buffer of our own (glibc ignores
 * the size when the buffer is NULL) and handed to libpcap, which then owns
 * the FILE (pcap_close() closes it); the buffer must outlive it.
 *
 * Timestamps are asked for in nanoseconds, so microsecond files are scaled
 * by libpcap and nanosecond ones (pcap "a1b23c4d", pcapng if_tsresol) keep
 * their precision. A record claiming more captured bytes than were on the
 * wire is taken at its captured length (wirelen is raised to caplen) so that
 * every later stage can rely on caplen <= wirelen.
 *
 * Times are int64 nanoseconds since the epoch downstream, which hold the
 * years 1678 to 2262. pcapng times are 64-bit, and a corrupt or byte-swapped
 * file can say year 150000; capping such times would give every packet the
 * same instant, erase the idle gaps and print a fake date. So when the
 * file's first packet is out of that range, the whole file's times are
 * taken relative to it (ts_base_sec is subtracted from every time: the
 * first packet is at 1970-01-01 00:00:00 and order and gaps are kept, as
 * far as the file's own values go). A packet still out of range after that
 * (a lone wild time) is capped to the nearest end, as before. Either is
 * warned about once per file, naming the file and the packet number; no
 * state is shared between files.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/log.h"
#include "source/decompress.h"
#include "source/pcap-file.h"

#define STDIO_BUFFER_SIZE (1u << 20)
#define NS_PER_SEC INT64_C(1000000000)
#define SEC_PER_YEAR INT64_C(31556952)		/* 365.2425 days */

struct fp_pcap_file {
	pcap_t *pcap;
	FILE *fp;		/* owned by pcap once pcap is open */
	char *buf;		/* the FILE's buffer */
	char *path;
	int linktype;
	uint64_t packets;
	uint64_t size;
	int64_t ts_base_sec;	/* subtracted from every time (see above); 0 normally */
	bool warned_rebased;	/* the file's times were made relative */
	bool warned_capped;	/* a time was capped */
};

/* A better sentence than libpcap's for files that are plainly not captures. */
static const char *describe_not_a_capture(FILE *fp, uint64_t size)
{
	unsigned char m[4] = { 0 };
	size_t n;

	if (size == 0)
		return "empty file (0 bytes)";
	if (fseek(fp, 0, SEEK_SET) != 0)
		return NULL;
	n = fread(m, 1, sizeof(m), fp);
	if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)
		return "gzip-compressed data; decompress it first (gunzip)";
	if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
		return "zstd-compressed data; decompress it first (unzstd)";
	if (n >= 4 && m[0] == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X')
		return "xz-compressed data; decompress it first (unxz)";
	if (n >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h')
		return "bzip2-compressed data; decompress it first (bunzip2)";
	return NULL;
}

struct fp_pcap_file *fp_pcap_file_open(const char *path, struct fp_error *err)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct fp_pcap_file *f;
	struct fp_input_stream_info in;
	const char *why;

	f = calloc(1, sizeof(*f));
	if (f == NULL || (f->path = strdup(path)) == NULL || (f->buf = malloc(STDIO_BUFFER_SIZE)) == NULL) {
		fp_error_errno(err, "%s: cannot open", path);
		goto fail;
	}
	/* "-" is standard input; gzip, zstd and xz are decompressed on the fly */
	f->fp = fp_input_stream_open(path, &in, err);
	if (f->fp == NULL)
		goto fail;
	f->size = in.codec ? 0 : in.size;	/* progress counts the bytes libpcap reads */
	if (setvbuf(f->fp, f->buf, _IOFBF, STDIO_BUFFER_SIZE) != 0) {
		fp_error_errno(err, "%s: cannot set up reading", path);
		goto fail;
	}

	errbuf[0] = '\0';
	f->pcap = pcap_fopen_offline_with_tstamp_precision(f->fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (f->pcap == NULL) {
		why = in.fd >= 0 ? describe_not_a_capture(f->fp, f->size) : NULL;
		if (why != NULL)
			fp_error_set(err, "%s: not a pcap or pcapng capture: %s", path, why);
		else if (in.codec != NULL)
			fp_error_set(err, "%s: not a readable pcap or pcapng capture inside the %s-compressed data: %s",
				     path, in.codec, errbuf);
		else
			fp_error_set(err, "%s: not a readable pcap or pcapng capture: %s", path, errbuf);
		goto fail;
	}
	f->linktype = pcap_datalink(f->pcap);
	return f;

fail:
	fp_pcap_file_close(f);
	return NULL;
}

void fp_pcap_file_close(struct fp_pcap_file *f)
{
	if (f == NULL)
		return;
	if (f->pcap != NULL)
		pcap_close(f->pcap);	/* closes f->fp too */
	else if (f->fp != NULL)
		fclose(f->fp);
	free(f->buf);
	free(f->path);
	free(f);
}

/* sec.frac as ns into *ns; false if that does not fit in int64. */
static bool to_ns(int64_t sec, int64_t frac, int64_t *ns)
{
	return !__builtin_mul_overflow(sec, NS_PER_SEC, ns) && !__builtin_add_overflow(*ns, frac, ns);
}

/* The time of the packet just read (f->packets is its number), in ns since
 * the epoch less the file's base; see the top of the file. */
static int64_t packet_time(struct fp_pcap_file *f, const struct timeval *tv)
{
	int64_t sec = (int64_t)tv->tv_sec, frac = (int64_t)tv->tv_usec;	/* ns: nano precision */
	int64_t ns;

	if (f->packets == 1 && !to_ns(sec, frac, &ns)) {
		f->ts_base_sec = sec;
		f->warned_rebased = true;
		fp_log_warn("%s: packet 1: time %" PRId64 " s since 1970 (about year %" PRId64 ") is beyond the "
			    "years 1678-2262 that flowprep's nanosecond times hold (a corrupt or byte-swapped "
			    "capture?); this file's times are written relative to its first packet, from "
			    "1970-01-01 00:00:00, keeping their order and gaps",
			    f->path, sec, (int64_t)(1970 + sec / SEC_PER_YEAR));
	}
	if (!__builtin_sub_overflow(sec, f->ts_base_sec, &sec) && to_ns(sec, frac, &ns))
		return ns;
	if (!f->warned_capped) {
		f->warned_capped = true;
		fp_log_warn("%s: packet %" PRIu64 ": time %" PRId64 " s since 1970%s is beyond the years 1678-2262 "
			    "that flowprep's nanosecond times hold; such packets are given the nearest time it "
			    "can hold: check the capture", f->path, f->packets, (int64_t)tv->tv_sec,
			    f->warned_rebased ? " (before making times relative)" : "");
	}
	return sec < 0 ? INT64_MIN : INT64_MAX;
}

int fp_pcap_file_next(struct fp_pcap_file *f, struct fp_raw_packet *out, struct fp_error *err)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc;

	rc = pcap_next_ex(f->pcap, &hdr, &data);
	if (rc == 1) {
		f->packets++;
		out->ts_ns = packet_time(f, &hdr->ts);
		out->caplen = hdr->caplen;
		out->wirelen = hdr->len > hdr->caplen ? hdr->len : hdr->caplen;
		out->data = data;
		return 1;
	}
	if (rc == PCAP_ERROR_BREAK)
		return 0;	/* end of file */
	return fp_error_set(err, "%s: packet %" PRIu64 ": %s", f->path, f->packets + 1, pcap_geterr(f->pcap));
}

int fp_pcap_file_linktype(const struct fp_pcap_file *f)
{
	return f->linktype;
}

const char *fp_pcap_file_path(const struct fp_pcap_file *f)
{
	return f->path;
}

uint64_t fp_pcap_file_packet_number(const struct fp_pcap_file *f)
{
	return f->packets;
}

uint64_t fp_pcap_file_size(const struct fp_pcap_file *f)
{
	return f->size;
}

uint64_t fp_pcap_file_offset(const struct fp_pcap_file *f)
{
	long off = ftell(f->fp);

	return off < 0 ? 0 : (uint64_t)off;
}
