/*
 * capture-reader.h - packets from a pcap or pcapng capture, read by
 * flowprep itself (no libpcap): from a file, an fd or a stream.
 *
 * Bytes are read into a page-aligned buffer (read-buffer.h) and packets
 * are handed out where they lie: a packet's data is valid until the next
 * call. Classic pcap in both byte orders with µs or ns times (and the
 * "patched" 0xa1b2cd34 variant), pcapng with any number of sections and
 * interfaces, each with its own link type, snapshot length, if_tsresol
 * and if_tsoffset. Timestamps come in nanoseconds (capture-time.h).
 *
 * It answers as libpcap 1.10 does: the same packets, times and lengths,
 * the same refusals (messages worded as libpcap's), except where libpcap
 * refuses what the format allows: a pcapng interface whose link type or
 * snapshot length differs from the first one's is read here (each packet
 * carries its interface's link type). tests/unit/test-two-readers.c holds
 * both readers to that on every capture of the shared corpus.
 *
 * Every length from the input is bounded before use: a record's captured
 * length by its link type's maximum, a pcapng block by 16 MiB (or more for
 * link types allowing larger packets), options by their block.
 *
 * Errors: an open error says "NAME: not a (readable) pcap or pcapng
 * capture: REASON"; a damaged record says "NAME: packet N: REASON", N being
 * the packet that could not be read, after the packets before it.
 */
#ifndef FP_SOURCE_CAPTURE_READER_H
#define FP_SOURCE_CAPTURE_READER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/error.h"
#include "source/source.h"

struct fp_capture_reader;

/* Opens `path`: "-" is standard input; gzip, zstd and xz are decompressed
 * on the fly (source/decompress.h); a plain file is read with read(). */
struct fp_capture_reader *fp_capture_reader_open(const char *path, struct fp_error *err);

/* Reads from an open fd or stream (exactly one: fd >= 0 or fp != NULL);
 * `name` names the input in messages. With `own`, the reader closes it
 * (also when opening fails). */
struct fp_capture_reader *fp_capture_reader_open_input(int fd, FILE *fp, bool own, const char *name,
						       struct fp_error *err);

void fp_capture_reader_close(struct fp_capture_reader *r);

/* 1: a packet, 0: end of input, -1: the input is truncated or corrupt (err
 * says where; the packets before it were delivered). After -1 or 0 it
 * keeps returning the same. */
int fp_capture_reader_next(struct fp_capture_reader *r, struct fp_raw_packet *out, struct fp_error *err);

int fp_capture_reader_linktype(const struct fp_capture_reader *r);	/* the first interface's DLT_ */
const char *fp_capture_reader_name(const struct fp_capture_reader *r);
uint64_t fp_capture_reader_packet_number(const struct fp_capture_reader *r);	/* packets read so far */
uint64_t fp_capture_reader_size(const struct fp_capture_reader *r);	/* bytes, 0 if unknown (a pipe) */
uint64_t fp_capture_reader_offset(const struct fp_capture_reader *r);	/* bytes consumed, for progress */

#endif
