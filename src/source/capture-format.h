/*
 * capture-format.h - inside the capture reader: the state the format
 * parsers (pcap-classic.c, pcapng.c) share with capture-reader.c.
 *
 * A parser's open() runs with the file's first 4 bytes available and not
 * consumed; it reads its header (and, for pcapng, blocks up to the first
 * interface) and returns 0 or -1 with a reason in `why` (no name: the
 * reader words the open error). Its next() returns 1/0/-1 as
 * fp_capture_reader_next(), with the bare reason in `why` for -1.
 * A packet's time is handed back as (sec, frac ns) in r->sec/r->frac,
 * already in libpcap's arithmetic, and capture-reader.c makes it ns.
 */
#ifndef FP_SOURCE_CAPTURE_FORMAT_H
#define FP_SOURCE_CAPTURE_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"
#include "source/capture-time.h"
#include "source/read-buffer.h"
#include "source/source.h"

/* One pcapng interface (IDB). */
struct fp_pcapng_iface {
	int dlt;
	uint32_t snaplen;	/* adjusted: 0 became the maximum */
	uint64_t tsresol;	/* units per second */
	uint64_t tsoffset;	/* seconds added */
	uint8_t scale;		/* enum in pcapng.c */
	uint64_t scale_factor;
};

enum fp_capture_format { FP_FORMAT_PCAP, FP_FORMAT_PCAPNG };

struct fp_capture_reader {
	struct fp_read_buffer in;
	char *name;
	enum fp_capture_format format;
	int linktype;		/* DLT_ of the file (pcap) or of its first interface */
	bool swapped;		/* written in the other byte order */
	uint64_t size;
	uint64_t packets;	/* delivered */
	int status;		/* 1 reading; 0 ended; -1 failed (the error is kept in `failure`) */
	struct fp_error failure;
	struct fp_capture_time time;
	int64_t sec, frac;	/* the time of the packet being delivered */

	/* classic pcap */
	uint32_t hdrsize;	/* 16, or 24 for the patched format */
	uint32_t snapshot;
	uint32_t max_caplen;
	uint8_t lengths_swapped;	/* enum in pcap-classic.c */
	bool nsec;
	bool classic_fast;	/* fp_pcap_classic_next_fast() applies: our byte order,
				 * 16-byte headers, lengths in their usual places */

	/* pcapng */
	struct fp_pcapng_iface *ifaces;
	uint32_t nifaces, ifaces_cap;
	uint32_t max_block;
};

/* Whether the input's first 4 bytes are the format's magic. */
bool fp_pcap_classic_magic(const uint8_t *p);
bool fp_pcapng_magic(const uint8_t *p);

int fp_pcap_classic_open(struct fp_capture_reader *r, struct fp_error *why);
int fp_pcap_classic_next(struct fp_capture_reader *r, struct fp_raw_packet *out, struct fp_error *why);
int fp_pcapng_open(struct fp_capture_reader *r, struct fp_error *why);
int fp_pcapng_next(struct fp_capture_reader *r, struct fp_raw_packet *out, struct fp_error *why);

/* Byte order of the file. */
static inline uint32_t fp_cap_u32(const struct fp_capture_reader *r, const uint8_t *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, 4);
	return r->swapped ? __builtin_bswap32(v) : v;
}

static inline uint16_t fp_cap_u16(const struct fp_capture_reader *r, const uint8_t *p)
{
	uint16_t v;

	__builtin_memcpy(&v, p, 2);
	return r->swapped ? __builtin_bswap16(v) : v;
}

/*
 * The common classic record, inline in the reader's next(): a file in our
 * byte order whose record header and data are already in the buffer and
 * whose captured length is within the snapshot length (so within the link
 * type's maximum). Anything else (a refill, a long or odd record, an error)
 * answers false and goes the full way, fp_pcap_classic_next(), which gives
 * the same result for these records. Sets out's data, lengths and link
 * type and r->sec/r->frac.
 */
static inline bool fp_pcap_classic_next_fast(struct fp_capture_reader *r, struct fp_raw_packet *out)
{
	struct fp_read_buffer *in = &r->in;
	size_t avail = in->end - in->pos;
	const uint8_t *h = in->mem + in->pos;
	uint32_t w[4];

	if (avail < 16)
		return false;
	__builtin_memcpy(w, h, 16);
	if (w[2] > r->snapshot || w[2] > avail - 16 || (r->lengths_swapped != 0 && w[2] > w[3]))
		return false;
	in->pos += 16 + w[2];
	__builtin_prefetch(h + 16 + w[2]);	/* the next record: see pcap-classic.c */
	__builtin_prefetch(h + 16 + w[2] + 64);
	r->sec = (int32_t)w[0];
	r->frac = r->nsec ? (int64_t)(int32_t)w[1] : (int64_t)(int32_t)w[1] * 1000;
	out->data = h + 16;
	out->caplen = w[2];
	out->wirelen = w[3];
	out->linktype = r->linktype;
	return true;
}

#endif
