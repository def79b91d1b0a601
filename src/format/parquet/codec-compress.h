/*
 * codec-compress.h - page compression for the writer (Compression.md):
 * UNCOMPRESSED, SNAPPY (raw block, not framed), GZIP (RFC 1952 member,
 * not zlib) and ZSTD (one frame with its content size).
 *
 * A compressor belongs to one writer and keeps its library contexts for
 * the writer's life, so compressing a page allocates nothing once the
 * output buffer has grown; no state is shared between writers.
 */
#ifndef FP_FORMAT_PARQUET_CODEC_COMPRESS_H
#define FP_FORMAT_PARQUET_CODEC_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "format/parquet/write-buf.h"
#include "lib/error.h"

struct pq_compressor;

/* Whether the writer can produce `codec` (enum fp_parquet_codec). */
bool pq_codec_writable(int codec);

/* level 0 = the codec's default. Fails for a codec it cannot write. */
struct pq_compressor *pq_compressor_new(int codec, int level, struct fp_error *err);
void pq_compressor_free(struct pq_compressor *c);

/* Replaces `out`'s contents with src[0..n) compressed. For UNCOMPRESSED
 * nothing is copied: callers use the source bytes (see pq_compressor_passthrough). */
int pq_compress(struct pq_compressor *c, const void *src, size_t n, struct pq_buf *out, struct fp_error *err);
bool pq_compressor_passthrough(const struct pq_compressor *c);

#endif
