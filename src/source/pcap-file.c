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
 * Times become int64 nanoseconds through capture-time.h, which the file
 * reader of our own (capture-reader.c) shares, so both give the same
 * times, warnings included. This reader stays for live-like uses and as
 * the independent check of ours (tests/unit/test-two-readers.c).
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
#include "source/capture-time.h"
#include "source/pcap-file.h"

#define STDIO_BUFFER_SIZE (1u << 20)

struct fp_pcap_file {
	pcap_t *pcap;
	FILE *fp;		/* owned by pcap once pcap is open */
	char *buf;		/* the FILE's buffer */
	char *path;
	int linktype;
	uint64_t packets;
	uint64_t size;
	struct fp_capture_time time;	/* out-of-range times (capture-time.h) */
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

int fp_pcap_file_next(struct fp_pcap_file *f, struct fp_raw_packet *out, struct fp_error *err)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc;

	rc = pcap_next_ex(f->pcap, &hdr, &data);
	if (rc == 1) {
		f->packets++;
		out->ts_ns = fp_capture_time(&f->time, f->path, f->packets, (int64_t)hdr->ts.tv_sec,
					     (int64_t)hdr->ts.tv_usec);	/* ns: nano precision */
		out->caplen = hdr->caplen;
		out->wirelen = hdr->len > hdr->caplen ? hdr->len : hdr->caplen;
		out->data = data;
		out->linktype = f->linktype;
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
