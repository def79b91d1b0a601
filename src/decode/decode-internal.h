/*
 * decode-internal.h - what the decode layers share, not part of the API.
 *
 * Each layer is a function `fp_decode_X(pkt, p, len)`: `p` points at the
 * layer's first byte and `len` is the number of captured bytes from there to
 * the end of the capture. A layer checks that its header lies inside `len`
 * before it reads it, fills its part of the packet view and hands the rest to
 * the next layer, so no layer can read past the capture. The missing bytes of
 * a snaplen-cut packet are always at its end, which lets a layer know how
 * many bytes were on the wire from its start (fp_wire_left) without carrying
 * a start pointer around.
 *
 * Multi-byte fields are loaded with memcpy: headers inside a capture buffer
 * have no alignment guarantee (an Ethernet header puts IP at offset 14).
 */
#ifndef FP_DECODE_DECODE_INTERNAL_H
#define FP_DECODE_DECODE_INTERNAL_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "decode/decode.h"
#include "decode/packet.h"

/* Link types as pcap_datalink() returns them (DLT_ values) together with
 * the LINKTYPE_ values that libpcap maps to them when it reads a file. */
#define FP_LINK_NULL 0			/* BSD loopback, host-endian AF_ value */
#define FP_LINK_ETHERNET 1
#define FP_LINK_PPP 9
#define FP_LINK_FDDI 10
#define FP_LINK_RAW_12 12		/* DLT_RAW on most systems */
#define FP_LINK_RAW_14 14		/* DLT_RAW on OpenBSD */
#define FP_LINK_PPP_SERIAL 50		/* PPP in HDLC-like framing, or Cisco HDLC */
#define FP_LINK_PPP_ETHER 51		/* PPPoE session header, no Ethernet */
#define FP_LINK_RAW 101			/* LINKTYPE_RAW */
#define FP_LINK_C_HDLC 104
#define FP_LINK_IEEE802_11 105		/* 802.11 frames, no radio header */
#define FP_LINK_LOOP 108		/* like NULL, network byte order */
#define FP_LINK_LINUX_SLL 113
#define FP_LINK_IEEE802_11_RADIOTAP 127
#define FP_LINK_PPI 192			/* Per-Packet Information header, then another link type */
#define FP_LINK_IPV4 228
#define FP_LINK_IPV6 229
#define FP_LINK_NFLOG 239
#define FP_LINK_LINUX_SLL2 276

/* EtherTypes flowprep looks at. */
#define FP_ETH_IPV4 0x0800
#define FP_ETH_IPV6 0x86dd
#define FP_ETH_VLAN 0x8100		/* 802.1Q */
#define FP_ETH_QINQ 0x88a8		/* 802.1ad service tag */
#define FP_ETH_QINQ_OLD 0x9100		/* pre-standard QinQ */
#define FP_ETH_QINQ_OLD2 0x9200
#define FP_ETH_VNTAG 0x8926		/* Cisco VN-Tag: 4 bytes, then an EtherType */
#define FP_ETH_MPLS_UC 0x8847
#define FP_ETH_MPLS_MC 0x8848
#define FP_ETH_PPPOE_SESSION 0x8864
#define FP_ETH_LLC 0x0000		/* "an 802.2 LLC header follows" (an 802.3 length) */
#define FP_ETH_MAX_LENGTH 1500		/* values up to here are 802.3 length fields */
#define FP_ETH_MIN_TYPE 0x0600		/* values from here are EtherTypes */

static inline uint16_t fp_be16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return ntohs(v);
}

static inline uint32_t fp_be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return ntohl(v);
}

static inline uint16_t fp_host16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t fp_host32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Bytes that were on the wire from a layer with `len` captured bytes on:
 * a snaplen cut removes bytes from the end only. A record claiming more
 * captured than wire bytes is taken at its captured length. */
static inline uint32_t fp_wire_left(const struct fp_packet *pkt, uint32_t len)
{
	if (pkt->wire_len > pkt->cap_len)
		return len + (pkt->wire_len - pkt->cap_len);
	return len;
}

/*
 * The link-layer walk. Encapsulations that name their payload by EtherType
 * (VLAN tags, LLC/SNAP, MPLS, PPPoE) are peeled in one loop in
 * fp_decode_ethertype(), not by recursion: hostile input can nest them as
 * deep as the capture is long, and every round consumes at least four bytes,
 * so the loop ends. A "pop" helper checks one such header at the cursor,
 * advances past it and sets the EtherType of what follows; it returns
 * FP_DECODE_OK to go on, or the reason to stop.
 */
struct fp_link_cursor {
	const uint8_t *p;
	uint32_t len;		/* captured bytes from p */
	uint16_t type;		/* EtherType of the header at p */
};

enum fp_skip_reason fp_mpls_pop(struct fp_link_cursor *c);		/* decode-mpls.c */
enum fp_skip_reason fp_pppoe_pop(struct fp_link_cursor *c);		/* decode-ppp.c */
enum fp_skip_reason fp_ppp_protocol_pop(struct fp_link_cursor *c);	/* decode-ppp.c */

/* The link layer `linktype` (any supported one but PPI) from `p` on (decode.c). */
enum fp_skip_reason fp_decode_link(struct fp_packet *pkt, int linktype, const uint8_t *p, uint32_t len);

/* Link layers (decode-ethernet.c, decode-ppp.c, decode-linux.c,
 * decode-loopback.c, decode-fddi.c, decode-ieee80211.c). */
enum fp_skip_reason fp_decode_ethernet(struct fp_packet *pkt, const uint8_t *p, uint32_t len);
enum fp_skip_reason fp_decode_ethertype(struct fp_packet *pkt, uint16_t type, const uint8_t *p, uint32_t len);
enum fp_skip_reason fp_decode_ppp(struct fp_packet *pkt, const uint8_t *p, uint32_t len);
enum fp_skip_reason fp_decode_ppp_serial(struct fp_packet *pkt, const uint8_t *p, uint32_t len);
enum fp_skip_reason fp_decode_ppp_ether(struct fp_packet *pkt, const uint8_t *p, uint32_t len);
enum fp_skip_reason fp_decode_chdlc(struct fp_packet *pkt, const uint8_t *p, uint32_t len);
enum fp_skip_reason fp_decode_sll(struct fp_packet *pkt, const uint8_t *p, uint32_t len);
enum fp_skip_reason fp_decode_sll2(struct fp_packet *pkt, const uint8_t *p, uint32_t len);
enum fp_skip_reason fp_decode_nflog(struct fp_packet *pkt, const uint8_t *p, uint32_t len);
enum fp_skip_reason fp_decode_null(struct fp_packet *pkt, const uint8_t *p, uint32_t len, int linktype);
enum fp_skip_reason fp_decode_fddi(struct fp_packet *pkt, const uint8_t *p, uint32_t len);
enum fp_skip_reason fp_decode_ieee80211(struct fp_packet *pkt, const uint8_t *p, uint32_t len, int datapad);
enum fp_skip_reason fp_decode_radiotap(struct fp_packet *pkt, const uint8_t *p, uint32_t len);
enum fp_skip_reason fp_decode_ppi(struct fp_packet *pkt, const uint8_t *p, uint32_t len);	/* decode-ppi.c */

/* Network layer (decode-ipv4.c, decode-ipv6.c); fp_decode_ip picks the
 * version from the first nibble (raw IP, MPLS payloads). */
enum fp_skip_reason fp_decode_ip(struct fp_packet *pkt, const uint8_t *p, uint32_t len);
enum fp_skip_reason fp_decode_ipv4(struct fp_packet *pkt, const uint8_t *p, uint32_t len);
enum fp_skip_reason fp_decode_ipv6(struct fp_packet *pkt, const uint8_t *p, uint32_t len);

/* Transport layer (decode-transport.c). `len` is the captured bytes from
 * `p`, `ip_left` what the IP header says the datagram holds from `p`. */
enum fp_skip_reason fp_decode_transport(struct fp_packet *pkt, uint8_t proto, const uint8_t *p, uint32_t len,
					uint32_t ip_left);

/* A later fragment: no transport header, attributed by frag_id. */
enum fp_skip_reason fp_decode_later_fragment(struct fp_packet *pkt, uint8_t proto, uint32_t ip_left);

#endif
