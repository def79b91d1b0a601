/*
 * decompress.c - gzip/zstd/xz captures through fopencookie (see
 * decompress.h).
 *
 * The first bytes are read to recognise the format. A regular file that is
 * not compressed is rewound and returned as is (the fast path: no copy).
 * Anything else becomes a cookie stream whose read decodes from an input
 * buffer that starts with the bytes already read, so nothing is lost on a
 * pipe: for a pipe that is not compressed the "decoder" is a plain copy.
 *
 * Invariant: `in_pos <= in_len <= IN_BUFFER`; the decoder only consumes
 * from inbuf[in_pos, in_len) and refill() moves what is left to the front.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "source/decompress.h"

#define IN_BUFFER (256u << 10)
#define SNIFF 6

enum codec { CODEC_NONE, CODEC_GZIP, CODEC_ZSTD, CODEC_XZ };

struct dstream {
	FILE *in;
	enum codec codec;
	unsigned char *inbuf;
	size_t in_len, in_pos;
	bool in_eof;
	bool frame_open;	/* inside a compressed frame/member: EOF here means cut short */
	bool out_full;		/* the decoder filled the last output: it may hold more */
	bool failed;
	z_stream z;
	ZSTD_DStream *zs;
	lzma_stream x;
};

static enum codec codec_of(const unsigned char *m, size_t n)
{
	if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)
		return CODEC_GZIP;
	if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
		return CODEC_ZSTD;
	if (n >= 6 && memcmp(m, "\xfd" "7zXZ\0", 6) == 0)
		return CODEC_XZ;
	return CODEC_NONE;
}

static const char *codec_name(enum codec c)
{
	static const char *const names[] = { NULL, "gzip", "zstd", "xz" };

	return names[c];
}

/* More input at inbuf[in_len]; the unread rest moved to the front first. */
static void refill(struct dstream *d)
{
	size_t n;

	if (d->in_eof)
		return;
	if (d->in_pos > 0) {
		memmove(d->inbuf, d->inbuf + d->in_pos, d->in_len - d->in_pos);
		d->in_len -= d->in_pos;
		d->in_pos = 0;
	}
	if (d->in_len == IN_BUFFER)
		return;	/* full: the caller judges a decoder that cannot use it */
	n = fread(d->inbuf + d->in_len, 1, IN_BUFFER - d->in_len, d->in);
	d->in_len += n;
	if (n == 0)
		d->in_eof = true;	/* end, or an error: either way no more input */
}

/* ------------------------------------------------------------ one step per codec */

/* Each decodes into out[0, size) from the input buffer and returns the
 * bytes produced, or -1 on corrupt data. */

static ssize_t step_copy(struct dstream *d, char *out, size_t size)
{
	size_t n = d->in_len - d->in_pos;

	if (n == 0) {	/* past the replayed bytes: read straight into the caller's buffer */
		n = fread(out, 1, size, d->in);
		if (n == 0)
			d->in_eof = true;
		return (ssize_t)n;
	}
	if (n > size)
		n = size;
	memcpy(out, d->inbuf + d->in_pos, n);
	d->in_pos += n;
	return (ssize_t)n;
}

static ssize_t step_gzip(struct dstream *d, char *out, size_t size)
{
	int rc;

	if (!d->frame_open) {	/* a new member (gzip files may be concatenated) */
		if (d->in_pos == d->in_len)
			return 0;
		if (inflateReset(&d->z) != Z_OK)
			return -1;
		d->frame_open = true;
	}
	d->z.next_in = d->inbuf + d->in_pos;
	d->z.avail_in = (uInt)(d->in_len - d->in_pos);
	d->z.next_out = (Bytef *)out;
	d->z.avail_out = (uInt)size;
	rc = inflate(&d->z, Z_NO_FLUSH);
	d->in_pos = d->in_len - d->z.avail_in;
	if (rc == Z_STREAM_END)
		d->frame_open = false;
	else if (rc != Z_OK && rc != Z_BUF_ERROR)
		return -1;
	return (ssize_t)(size - d->z.avail_out);
}

static ssize_t step_zstd(struct dstream *d, char *out, size_t size)
{
	ZSTD_inBuffer in = { d->inbuf, d->in_len, d->in_pos };
	ZSTD_outBuffer o = { out, size, 0 };
	size_t rc;

	if (in.pos == in.size && !d->out_full)
		return 0;	/* nothing to decode; and between frames, no frame is open */
	rc = ZSTD_decompressStream(d->zs, &o, &in);
	if (ZSTD_isError(rc))
		return -1;
	d->in_pos = in.pos;
	d->out_full = o.pos == o.size;
	d->frame_open = rc != 0;
	return (ssize_t)o.pos;
}

static ssize_t step_xz(struct dstream *d, char *out, size_t size)
{
	lzma_ret rc;

	d->x.next_in = d->inbuf + d->in_pos;
	d->x.avail_in = d->in_len - d->in_pos;
	d->x.next_out = (uint8_t *)out;
	d->x.avail_out = size;
	rc = lzma_code(&d->x, d->in_eof ? LZMA_FINISH : LZMA_RUN);
	d->in_pos = d->in_len - d->x.avail_in;
	d->frame_open = rc != LZMA_STREAM_END;
	if (rc != LZMA_OK && rc != LZMA_STREAM_END && rc != LZMA_BUF_ERROR)
		return -1;
	return (ssize_t)(size - d->x.avail_out);
}

static ssize_t step(struct dstream *d, char *out, size_t size)
{
	switch (d->codec) {
	case CODEC_GZIP: return step_gzip(d, out, size);
	case CODEC_ZSTD: return step_zstd(d, out, size);
	case CODEC_XZ: return step_xz(d, out, size);
	default: return step_copy(d, out, size);
	}
}

/* ------------------------------------------------------------ the stream */

static ssize_t dstream_read(void *cookie, char *out, size_t size)
{
	struct dstream *d = cookie;

	if (d->failed)
		goto corrupt;
	if (d->codec == CODEC_NONE)
		return step_copy(d, out, size);
	for (;;) {
		size_t before;
		ssize_t n;

		if (d->in_pos == d->in_len)
			refill(d);
		before = d->in_pos;
		n = step(d, out, size);
		if (n < 0)
			goto corrupt;
		if (n > 0)
			return n;
		if (d->in_pos == d->in_len && d->in_eof) {
			if (d->frame_open)
				goto corrupt;	/* the compressed data stops in mid-frame */
			return 0;
		}
		if (d->in_pos == before) {	/* no progress: the decoder needs more bytes */
			if (d->in_eof || (before == 0 && d->in_len == IN_BUFFER))
				goto corrupt;
			refill(d);
		}
	}
corrupt:
	d->failed = true;
	errno = EBADMSG;
	return -1;
}

static int dstream_close(void *cookie)
{
	struct dstream *d = cookie;
	int rc = fclose(d->in);

	if (d->codec == CODEC_GZIP)
		inflateEnd(&d->z);
	ZSTD_freeDStream(d->zs);
	if (d->codec == CODEC_XZ)
		lzma_end(&d->x);
	free(d->inbuf);
	free(d);
	return rc;
}

static int decoder_init(struct dstream *d)
{
	switch (d->codec) {
	case CODEC_GZIP:
		d->frame_open = true;
		return inflateInit2(&d->z, 15 + 32) == Z_OK ? 0 : -1;	/* +32: gzip or zlib header */
	case CODEC_ZSTD:
		d->frame_open = true;
		return (d->zs = ZSTD_createDStream()) != NULL && !ZSTD_isError(ZSTD_initDStream(d->zs)) ? 0 : -1;
	case CODEC_XZ:
		d->frame_open = true;
		d->x = (lzma_stream)LZMA_STREAM_INIT;
		return lzma_stream_decoder(&d->x, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK ? 0 : -1;
	default:
		return 0;
	}
}

/* A cookie stream over `in`, whose first `n` bytes (already read) are m. */
static FILE *wrap(FILE *in, enum codec codec, const unsigned char *m, size_t n)
{
	cookie_io_functions_t io = { .read = dstream_read, .write = NULL, .seek = NULL, .close = dstream_close };
	struct dstream *d = calloc(1, sizeof(*d));
	FILE *fp;

	if (d == NULL || (d->inbuf = malloc(IN_BUFFER)) == NULL) {
		free(d);
		return NULL;
	}
	d->in = in;
	d->codec = codec;
	memcpy(d->inbuf, m, n);
	d->in_len = n;
	d->in_eof = n < SNIFF && feof(in);
	if (decoder_init(d) < 0 || (fp = fopencookie(d, "rb", io)) == NULL) {
		d->in = NULL;
		free(d->inbuf);
		ZSTD_freeDStream(d->zs);
		free(d);
		return NULL;
	}
	return fp;
}

static FILE *open_raw(const char *path, struct stat *st, struct fp_error *err)
{
	bool std = strcmp(path, "-") == 0;
	int fd = std ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3) : open(path, O_RDONLY | O_CLOEXEC);
	FILE *f;

	if (fd < 0) {
		fp_error_errno(err, "%s: cannot open", std ? "standard input" : path);
		return NULL;
	}
	if (fstat(fd, st) == 0 && S_ISDIR(st->st_mode)) {
		close(fd);
		fp_error_set(err, "%s: is a directory, not a pcap or pcapng capture", path);
		return NULL;
	}
	if ((f = fdopen(fd, "rb")) == NULL) {
		fp_error_errno(err, "%s: cannot open", path);
		close(fd);
	}
	return f;
}

FILE *fp_input_stream_open(const char *path, struct fp_input_stream_info *info, struct fp_error *err)
{
	unsigned char m[SNIFF];
	struct stat st;
	FILE *in = open_raw(path, &st, err), *out;
	size_t n;
	enum codec codec;

	memset(info, 0, sizeof(*info));
	info->fd = -1;
	if (in == NULL)
		return NULL;
	if (S_ISREG(st.st_mode))
		info->size = (uint64_t)st.st_size;
	n = fread(m, 1, sizeof(m), in);
	codec = codec_of(m, n);
	info->codec = codec_name(codec);
	if (codec == CODEC_NONE && S_ISREG(st.st_mode) && fseek(in, 0, SEEK_SET) == 0) {
		info->fd = fileno(in);
		return in;	/* the fast path: libpcap reads the file itself */
	}
	if ((out = wrap(in, codec, m, n)) == NULL) {
		fclose(in);
		fp_error_set(err, "%s: out of memory", path);
	}
	return out;
}
