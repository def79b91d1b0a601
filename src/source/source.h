/*
 * source.h - where packets come from, as one interface: a capture file now;
 * a live interface and spool files for the daemon.
 *
 * A source hands out one raw packet at a time and never blocks: a live
 * source with nothing to read says so (0 with `ended` false) and offers a
 * selectable fd to wait on; a file is always ready (fd -1) until it ends.
 * The packet's bytes are valid until the next call. The pipeline feeds a
 * meter from a source a bounded number of packets at a time
 * (fp_meter_feed() in pipeline/feed.h), so a front end decides how long
 * any one source may run.
 */
#ifndef FP_SOURCE_SOURCE_H
#define FP_SOURCE_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/error.h"

struct fp_raw_packet {
	int64_t ts_ns;
	uint32_t caplen;
	uint32_t wirelen;	/* >= caplen */
	const uint8_t *data;	/* valid until the next call */
	int linktype;		/* DLT_ of this packet: a pcapng file's interfaces may differ */
};

struct fp_source;

struct fp_source_ops {
	/* 1: a packet; 0: none (s->ended says whether for good); -1: the
	 * input is broken (err names it and the position; what came before
	 * was delivered). */
	int (*next)(struct fp_source *s, struct fp_raw_packet *pkt, struct fp_error *err);
	/* Bytes of the input consumed so far (progress), 0 if unknown. */
	uint64_t (*position)(const struct fp_source *s);
	void (*close)(struct fp_source *s);
};

struct fp_source {
	const struct fp_source_ops *ops;
	const char *name;	/* the file's path or the interface's name */
	int linktype;		/* DLT_ of its (first interface's) packets */
	int fd;			/* wait for readability here; -1: always ready */
	uint64_t size;		/* bytes of input, 0 if unknown (progress) */
	uint64_t packets;	/* packets delivered */
	bool ended;		/* no packet will follow */
	int64_t first_ts_ns;	/* the first packet's time (set with packets >= 1) */
};

/* A pcap or pcapng capture file (source/source-file.c). */
struct fp_source *fp_source_open_file(const char *path, struct fp_error *err);

/* A pcap or pcapng capture read from a stream (a pipe, stdin, a
 * decompressor's output); `name` names it in messages. The source owns
 * `fp` from then on (closed with the source, or at once on failure). */
struct fp_source *fp_source_open_stream(FILE *fp, const char *name, struct fp_error *err);

static inline int fp_source_next(struct fp_source *s, struct fp_raw_packet *pkt, struct fp_error *err)
{
	int rc = s->ops->next(s, pkt, err);

	if (rc == 1 && s->packets == 1)
		s->first_ts_ns = pkt->ts_ns;
	return rc;
}
static inline uint64_t fp_source_position(const struct fp_source *s) { return s->ops->position(s); }
static inline void fp_source_close(struct fp_source *s)
{
	if (s != NULL)
		s->ops->close(s);
}

#endif
