/*
 * decompress.h - a capture file as a stdio stream, decompressed on the fly
 * when it is gzip, zstd or xz (recognised by its first bytes, not by its
 * name), and read from standard input for "-".
 *
 * Any reader that takes a FILE (libpcap, or a reader of our own) can use
 * it. The input is read once from start to end and never seeked, so a
 * pipe works: the bytes read to recognise the format are replayed, not
 * re-read. Memory is bounded: one input buffer and the decoder's window
 * (at most 128 MiB for zstd frames that ask for more is refused by the
 * decoder's default limit).
 */
#ifndef FP_SOURCE_DECOMPRESS_H
#define FP_SOURCE_DECOMPRESS_H

#include <stdint.h>
#include <stdio.h>

#include "lib/error.h"

struct fp_input_stream_info {
	const char *codec;	/* "gzip", "zstd", "xz", or NULL when not compressed */
	uint64_t size;		/* bytes of a regular file (compressed size), 0 otherwise */
	int fd;			/* the file's descriptor (to fstat), -1 when behind a decoder */
};

/* Opens `path` ("-": standard input) for reading as described above.
 * Returns NULL with err naming the file when it cannot be opened or is a
 * directory. The stream reports a corrupt or cut compressed input as a
 * read error (errno EBADMSG). */
FILE *fp_input_stream_open(const char *path, struct fp_input_stream_info *info, struct fp_error *err);

#endif
