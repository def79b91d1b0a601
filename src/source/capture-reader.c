/*
 * capture-reader.c - the capture reader's front (see capture-reader.h):
 * opening an input, telling pcap from pcapng by the first four bytes,
 * wording errors with the input's name and packet number, and turning the
 * formats' (sec, frac) into nanoseconds.
 *
 * Invariants: after -1 or 0 the reader stays there (the same answer, the
 * same message); a delivered packet has caplen <= wirelen (a record
 * claiming more captured than wire bytes is taken at its captured length,
 * as the libpcap reader does).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/capture-format.h"
#include "source/capture-reader.h"
#include "source/decompress.h"

/* A better sentence than the format parsers' for inputs that are plainly
 * not captures: empty, or compressed. */
static const char *describe_not_a_capture(const uint8_t *m, size_t n)
{
	if (n == 0)
		return "empty file (0 bytes)";
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

/* Reads the header (and pcapng's first interface); -1 with err set. */
static int open_format(struct fp_capture_reader *r, struct fp_error *err)
{
	struct fp_error why = { { 0 } };
	size_t got = fp_read_buffer_need(&r->in, 4);
	const uint8_t *m = fp_read_buffer_at(&r->in);
	const char *plain;
	int rc;

	if (got < 4)
		rc = r->in.error != 0 ? fp_error_set(&why, "error reading dump file: %s", strerror(r->in.error))
		     : fp_error_set(&why, "truncated dump file; tried to read 4 file header bytes, only got %zu", got);
	else if (fp_pcap_classic_magic(m))
		rc = fp_pcap_classic_open(r, &why);
	else if (fp_pcapng_magic(m))
		r->format = FP_FORMAT_PCAPNG, rc = fp_pcapng_open(r, &why);
	else
		rc = fp_error_set(&why, "unknown file format");
	if (rc == 0)
		return 0;
	/* nothing consumed yet: the input's first bytes are at the cursor */
	plain = fp_read_buffer_position(&r->in) != 0 ? NULL
		: describe_not_a_capture(fp_read_buffer_at(&r->in), r->in.end - r->in.pos);
	if (plain != NULL && r->in.error == 0)
		return fp_error_set(err, "%s: not a pcap or pcapng capture: %s", r->name, plain);
	return fp_error_set(err, "%s: not a readable pcap or pcapng capture: %s", r->name, why.msg);
}

struct fp_capture_reader *fp_capture_reader_open_input(int fd, FILE *fp, bool own, const char *name,
						       struct fp_error *err)
{
	struct fp_capture_reader *r = calloc(1, sizeof(*r));
	struct stat st;
	int in_fd = fp != NULL ? fileno(fp) : fd;

	if (r == NULL || (r->name = strdup(name)) == NULL ||
	    fp_read_buffer_init(&r->in, fp != NULL ? -1 : fd, fp, own, true) < 0) {
		fp_error_errno(err, "%s: cannot open", name);
		if (r != NULL)
			free(r->name);
		free(r);
		if (own && fp != NULL)
			fclose(fp);
		else if (own && fd >= 0)
			close(fd);
		return NULL;
	}
	if (in_fd >= 0 && fstat(in_fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			fp_error_set(err, "%s: is a directory, not a pcap or pcapng capture", name);
			goto fail;
		}
		if (S_ISREG(st.st_mode))
			r->size = (uint64_t)st.st_size;
	}
	r->status = 1;
	if (open_format(r, err) < 0)
		goto fail;
	return r;

fail:
	fp_capture_reader_close(r);
	return NULL;
}

struct fp_capture_reader *fp_capture_reader_open(const char *path, struct fp_error *err)
{
	struct fp_input_stream_info info;
	FILE *fp = fp_input_stream_open(path, &info, err);
	int fd;

	if (fp == NULL)
		return NULL;
	if (info.fd < 0)	/* standard input or a decompressed stream */
		return fp_capture_reader_open_input(-1, fp, true, path, err);
	/* a plain regular file: read() into our page-aligned buffer, no stdio */
	fd = dup(info.fd);
	fclose(fp);
	if (fd < 0) {
		fp_error_errno(err, "%s: cannot open", path);
		return NULL;
	}
	return fp_capture_reader_open_input(fd, NULL, true, path, err);
}

void fp_capture_reader_close(struct fp_capture_reader *r)
{
	if (r == NULL)
		return;
	fp_read_buffer_free(&r->in);
	free(r->ifaces);
	free(r->name);
	free(r);
}

static int failed(struct fp_capture_reader *r, const struct fp_error *why, struct fp_error *err)
{
	fp_error_set(&r->failure, "%s: packet %" PRIu64 ": %s", r->name, r->packets + 1, why->msg);
	r->status = -1;
	if (err != NULL)
		*err = r->failure;
	return -1;
}

int fp_capture_reader_next(struct fp_capture_reader *r, struct fp_raw_packet *out, struct fp_error *err)
{
	struct fp_error why;
	int rc;

	if (__builtin_expect(r->status != 1, 0)) {
		if (r->status < 0 && err != NULL)
			*err = r->failure;
		return r->status;
	}
	if (r->classic_fast && fp_pcap_classic_next_fast(r, out))
		rc = 1;
	else if (r->format == FP_FORMAT_PCAP)
		rc = fp_pcap_classic_next(r, out, &why);
	else
		rc = fp_pcapng_next(r, out, &why);
	if (__builtin_expect(rc != 1, 0)) {
		if (rc < 0)
			return failed(r, &why, err);
		r->status = 0;
		return 0;
	}
	r->packets++;
	out->ts_ns = fp_capture_time(&r->time, r->name, r->packets, r->sec, r->frac);
	if (out->wirelen < out->caplen)
		out->wirelen = out->caplen;
	return 1;
}

int fp_capture_reader_linktype(const struct fp_capture_reader *r)
{
	return r->linktype;
}

const char *fp_capture_reader_name(const struct fp_capture_reader *r)
{
	return r->name;
}

uint64_t fp_capture_reader_packet_number(const struct fp_capture_reader *r)
{
	return r->packets;
}

uint64_t fp_capture_reader_size(const struct fp_capture_reader *r)
{
	return r->size;
}

uint64_t fp_capture_reader_offset(const struct fp_capture_reader *r)
{
	return fp_read_buffer_position(&r->in);
}
