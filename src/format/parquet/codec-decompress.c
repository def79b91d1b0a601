/*
 * codec-decompress.c - UNCOMPRESSED, SNAPPY (raw snappy), GZIP (zlib
 * inflate, gzip or zlib headers auto-detected, concatenated members),
 * ZSTD (one or more frames, with or without a content size), LZ4_RAW (an
 * LZ4 block) and the deprecated LZ4 (Hadoop framing, else a raw block, as
 * older parquet-cpp wrote it), BROTLI (libbrotlidec). LZO is refused by name.
 *
 * ZSTD is decompressed in one shot straight into the page buffer: that
 * works without a content size in the frame (it needs only the capacity,
 * which the page header gives) and allocates no window buffer, so memory
 * stays bounded by uncompressed_page_size.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <brotli/decode.h>
#include <lz4.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "format/parquet/codec-decompress.h"
#include "format/parquet/parquet-format.h"
#include "format/parquet/parquet-meta.h"
#include "format/parquet/parquet.h"

/* Largest expansion a codec can achieve (with some slack for headers). */
#define GZIP_MAX_RATIO 1100
#define LZ4_MAX_RATIO 256
#define ZSTD_MAX_RATIO 32768
#define BROTLI_MAX_RATIO (1 << 20)	/* brotli has no small worst case; the page size bound still holds */

struct pqz {
	ZSTD_DCtx *zstd;
};

struct pqz *pqz_new(void)
{
	return calloc(1, sizeof(struct pqz));
}

void pqz_free(struct pqz *z)
{
	if (z == NULL)
		return;
	ZSTD_freeDCtx(z->zstd);
	free(z);
}

bool pqz_supported(int codec)
{
	return codec == FP_CODEC_UNCOMPRESSED || codec == FP_CODEC_SNAPPY || codec == FP_CODEC_GZIP ||
	       codec == FP_CODEC_ZSTD || codec == FP_CODEC_LZ4_RAW || codec == FP_CODEC_LZ4 ||
	       codec == FP_CODEC_BROTLI;
}

static int too_large(const char *codec, size_t srclen, size_t dstlen, struct fp_error *err)
{
	return fp_error_set(err, "%zu bytes of %s data cannot expand to the %zu bytes the page header announces",
			    srclen, codec, dstlen);
}

int pqz_plausible(int codec, const uint8_t *src, size_t srclen, size_t dstlen, struct fp_error *err)
{
	size_t n;

	switch (codec) {
	case FP_CODEC_UNCOMPRESSED:
		if (srclen != dstlen)
			return fp_error_set(err, "uncompressed page of %zu bytes announces %zu bytes", srclen, dstlen);
		return 0;
	case FP_CODEC_SNAPPY:
		if (snappy_uncompressed_length((const char *)src, srclen, &n) != SNAPPY_OK)
			return fp_error_set(err, "SNAPPY data has a corrupt length header");
		if (n != dstlen)
			return fp_error_set(err, "SNAPPY data holds %zu bytes, the page header announces %zu", n,
					    dstlen);
		return 0;
	case FP_CODEC_GZIP:
		return dstlen / GZIP_MAX_RATIO > srclen ? too_large("GZIP", srclen, dstlen, err) : 0;
	case FP_CODEC_LZ4:
	case FP_CODEC_LZ4_RAW:
		return dstlen / LZ4_MAX_RATIO > srclen ? too_large("LZ4", srclen, dstlen, err) : 0;
	case FP_CODEC_BROTLI:
		return dstlen / BROTLI_MAX_RATIO > srclen ? too_large("BROTLI", srclen, dstlen, err) : 0;
	case FP_CODEC_ZSTD: {
		unsigned long long content = ZSTD_getFrameContentSize(src, srclen);
		size_t frame = ZSTD_findFrameCompressedSize(src, srclen);

		if (content == ZSTD_CONTENTSIZE_ERROR || ZSTD_isError(frame))
			return fp_error_set(err, "ZSTD data does not start with a valid frame");
		if (frame == srclen && content != ZSTD_CONTENTSIZE_UNKNOWN && content != dstlen)
			return fp_error_set(err, "ZSTD frame holds %llu bytes, the page header announces %zu", content,
					    dstlen);
		return dstlen / ZSTD_MAX_RATIO > srclen ? too_large("ZSTD", srclen, dstlen, err) : 0;
	}
	default:
		return fp_error_set(err, "codec %s (%d) is not supported by flowprep", pqm_codec_name(codec), codec);
	}
}

static int snappy_page(const uint8_t *src, size_t srclen, uint8_t *dst, size_t dstlen, struct fp_error *err)
{
	size_t n = 0;

	if (snappy_uncompressed_length((const char *)src, srclen, &n) != SNAPPY_OK || n != dstlen)
		return fp_error_set(err, "SNAPPY data holds %zu bytes, the page header announces %zu", n, dstlen);
	if (snappy_uncompress((const char *)src, srclen, (char *)dst, &n) != SNAPPY_OK || n != dstlen)
		return fp_error_set(err, "corrupt SNAPPY data");
	return 0;
}

static int gzip_page(const uint8_t *src, size_t srclen, uint8_t *dst, size_t dstlen, struct fp_error *err)
{
	z_stream zs = { 0 };
	int ret;

	if (srclen > UINT_MAX || dstlen > UINT_MAX)
		return fp_error_set(err, "GZIP page too large");
	if (inflateInit2(&zs, 15 + 32) != Z_OK)	/* +32: gzip or zlib header */
		return fp_error_set(err, "cannot initialise zlib");
	zs.next_in = (Bytef *)src;
	zs.avail_in = (uInt)srclen;
	zs.next_out = dst;
	zs.avail_out = (uInt)dstlen;
	for (;;) {
		ret = inflate(&zs, Z_NO_FLUSH);
		if (ret == Z_STREAM_END) {
			if (zs.avail_in == 0)
				break;
			/* Another gzip member follows (Compression.md). */
			if (inflateReset2(&zs, 15 + 32) != Z_OK)
				break;
			continue;
		}
		if (ret == Z_OK)
			continue;
		break;
	}
	inflateEnd(&zs);
	if (ret != Z_STREAM_END) {
		if (ret == Z_BUF_ERROR && zs.avail_out == 0)
			return fp_error_set(err, "GZIP data expands beyond the %zu bytes the page header announces",
					    dstlen);
		if (ret == Z_BUF_ERROR)
			return fp_error_set(err, "GZIP data is truncated");
		return fp_error_set(err, "corrupt GZIP data (%s)", zs.msg ? zs.msg : "inflate failed");
	}
	if (zs.avail_out != 0)
		return fp_error_set(err, "GZIP data holds %zu bytes, the page header announces %zu",
				    dstlen - zs.avail_out, dstlen);
	return 0;
}

static int zstd_page(struct pqz *z, const uint8_t *src, size_t srclen, uint8_t *dst, size_t dstlen,
		     struct fp_error *err)
{
	uint8_t dummy;
	size_t n;

	if (z->zstd == NULL && (z->zstd = ZSTD_createDCtx()) == NULL)
		return fp_error_set(err, "out of memory for a ZSTD context");
	n = ZSTD_decompressDCtx(z->zstd, dstlen ? (void *)dst : &dummy, dstlen, src, srclen);
	if (ZSTD_isError(n))
		return fp_error_set(err, "corrupt ZSTD data (%s)", ZSTD_getErrorName(n));
	if (n != dstlen)
		return fp_error_set(err, "ZSTD data holds %zu bytes, the page header announces %zu", n, dstlen);
	return 0;
}

static int lz4_block(const uint8_t *src, size_t srclen, uint8_t *dst, size_t dstlen)
{
	if (srclen > INT_MAX || dstlen > INT_MAX)
		return -1;
	return LZ4_decompress_safe((const char *)src, (char *)dst, (int)srclen, (int)dstlen);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Hadoop framing: blocks of <uncompressed size BE32> then one or more
 * <compressed size BE32> <LZ4 block> until that size is produced. */
static bool lz4_hadoop(const uint8_t *src, size_t srclen, uint8_t *dst, size_t dstlen)
{
	size_t in = 0, out = 0;

	while (in < srclen) {
		size_t block, done = 0;

		if (srclen - in < 4)
			return false;
		block = be32(src + in);
		in += 4;
		if (block > dstlen - out)
			return false;
		while (done < block) {
			size_t clen;
			int n;

			if (srclen - in < 4)
				return false;
			clen = be32(src + in);
			in += 4;
			if (clen == 0 || clen > srclen - in)
				return false;
			n = lz4_block(src + in, clen, dst + out + done, block - done);
			if (n <= 0)
				return false;
			in += clen;
			done += (size_t)n;
		}
		out += block;
	}
	return out == dstlen;
}

int pqz_decompress(struct pqz *z, int codec, const uint8_t *src, size_t srclen, uint8_t *dst, size_t dstlen,
		   struct fp_error *err)
{
	int n;

	switch (codec) {
	case FP_CODEC_UNCOMPRESSED:
		if (srclen != dstlen)
			return fp_error_set(err, "uncompressed page of %zu bytes announces %zu bytes", srclen, dstlen);
		if (dstlen > 0)
			memcpy(dst, src, dstlen);
		return 0;
	case FP_CODEC_SNAPPY:
		return snappy_page(src, srclen, dst, dstlen, err);
	case FP_CODEC_GZIP:
		return gzip_page(src, srclen, dst, dstlen, err);
	case FP_CODEC_ZSTD:
		return zstd_page(z, src, srclen, dst, dstlen, err);
	case FP_CODEC_LZ4_RAW:
		n = lz4_block(src, srclen, dst, dstlen);
		if (n < 0)
			return fp_error_set(err, "corrupt LZ4_RAW data");
		if ((size_t)n != dstlen)
			return fp_error_set(err, "LZ4_RAW data holds %d bytes, the page header announces %zu", n,
					    dstlen);
		return 0;
	case FP_CODEC_BROTLI: {
		size_t got = dstlen;
		if (BrotliDecoderDecompress(srclen, src, &got, dst) != BROTLI_DECODER_RESULT_SUCCESS)
			return fp_error_set(err, "corrupt BROTLI data (or more than the %zu bytes the page header "
					    "announces)", dstlen);
		if (got != dstlen)
			return fp_error_set(err, "BROTLI data holds %zu bytes, the page header announces %zu", got,
					    dstlen);
		return 0;
	}
	case FP_CODEC_LZ4:
		if (lz4_hadoop(src, srclen, dst, dstlen))
			return 0;
		n = lz4_block(src, srclen, dst, dstlen);
		if (n < 0 || (size_t)n != dstlen)
			return fp_error_set(err, "corrupt LZ4 data (neither Hadoop-framed nor a raw LZ4 block of "
					    "%zu bytes)", dstlen);
		return 0;
	default:
		return fp_error_set(err, "codec %s (%d) is not supported by flowprep", pqm_codec_name(codec), codec);
	}
}
