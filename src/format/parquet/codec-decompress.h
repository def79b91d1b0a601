/*
 * codec-decompress.h - page decompression for the reader (Compression.md).
 *
 * Every call decompresses one page into a buffer of exactly the size the
 * page header announces, and fails unless the codec produces exactly that
 * many bytes: no codec can write past `dst`, and a page that is shorter or
 * longer than announced is an error, not a silent truncation.
 */
#ifndef FP_FORMAT_PARQUET_CODEC_DECOMPRESS_H
#define FP_FORMAT_PARQUET_CODEC_DECOMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

/* Reusable state (a zstd context), one per reader: no global state. */
struct pqz;

struct pqz *pqz_new(void);
void pqz_free(struct pqz *z);

/* Whether this build can read pages of `codec`. */
bool pqz_supported(int codec);

/* Before allocating dstlen bytes: can srclen bytes of `codec` plausibly
 * expand to dstlen (format headers that state the size must agree, and
 * no codec expands beyond its maximum ratio)? */
int pqz_plausible(int codec, const uint8_t *src, size_t srclen, size_t dstlen, struct fp_error *err);

int pqz_decompress(struct pqz *z, int codec, const uint8_t *src, size_t srclen, uint8_t *dst, size_t dstlen,
		   struct fp_error *err);

#endif
