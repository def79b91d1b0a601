/*
 * decode.h - from captured bytes to a packet view.
 *
 * fp_decode() walks link layer -> IP -> transport for one packet and
 * returns FP_DECODE_OK or the reason the packet cannot become a flow update.
 * Every reason has a stable name used in summaries and metrics; callers
 * count them in a struct fp_decode_stats. Decoding is stateless, never
 * allocates and never reads past `caplen`.
 */
#ifndef FP_DECODE_DECODE_H
#define FP_DECODE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"

/* Why a packet was not turned into a flow update. Order is the order of
 * the summary; keep FP_DECODE_OK first and FP_SKIP__COUNT last. */
enum fp_skip_reason {
	FP_DECODE_OK = 0,
	FP_SKIP_TRUNCATED,		/* captured bytes end inside a header */
	FP_SKIP_UNSUPPORTED_LINK,	/* link type flowprep does not decode */
	FP_SKIP_NON_IP,			/* ARP, LLDP, STP... no IP inside */
	FP_SKIP_BAD_LINK_HEADER,	/* malformed link/VLAN/MPLS/PPPoE header */
	FP_SKIP_BAD_IP_HEADER,		/* IHL < 5, version mismatch, lengths inconsistent */
	FP_SKIP_BAD_IPV6_EXTENSION,	/* malformed or too long extension header chain */
	FP_SKIP_BAD_TRANSPORT_HEADER,	/* TCP data offset < 5, UDP length < 8... */
	FP_SKIP_FRAGMENT_UNMATCHED,	/* later fragment whose first fragment was not seen (flow engine) */
	FP_SKIP__COUNT
};

const char *fp_skip_reason_name(enum fp_skip_reason r);

/* Something odd about a packet that was still turned into a flow update
 * ("accepted with a note"). A note never makes a packet skipped: a packet
 * is either decoded or skipped, and a decoded one may carry any number of
 * notes (bits of fp_packet.notes), each counted on its own. Order is the
 * order of the summary; keep FP_NOTE__COUNT last. */
enum fp_note {
	FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE,	/* IP length beyond the frame: a cut datagram, see decode-ipv4.c */
	FP_NOTE_TRANSPORT_HEADER_SPLIT,		/* first fragment without the whole transport header */
	FP_NOTE__COUNT
};

const char *fp_note_name(enum fp_note n);

struct fp_decode_stats {
	uint64_t packets;		/* every packet offered */
	uint64_t decoded;		/* FP_DECODE_OK */
	uint64_t skipped[FP_SKIP__COUNT];
	uint64_t noted[FP_NOTE__COUNT];	/* decoded packets with each note */
};

/* Adds b's counters to a's (summing per-input statistics). */
void fp_decode_stats_add(struct fp_decode_stats *a, const struct fp_decode_stats *b);

/* Counts a packet that became a flow update: decoded, and its notes. */
void fp_decode_stats_count_ok(struct fp_decode_stats *s, const struct fp_packet *p);

/* True if fp_decode() understands this pcap link type (DLT_/LINKTYPE_ value). */
bool fp_decode_link_supported(int linktype);

/* Decodes one captured packet. `ts_ns`, `caplen` and `wirelen` are copied
 * into the view. On any non-OK result the view's contents are unspecified. */
enum fp_skip_reason fp_decode(int linktype, const uint8_t *data, uint32_t caplen,
			      uint32_t wirelen, int64_t ts_ns, struct fp_packet *out);

#endif
