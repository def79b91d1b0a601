/*
 * decode-linux.c - the link types Linux capture produces beside Ethernet:
 * "cooked" captures (any-interface, PPP, tunnels) in their two versions, and
 * NFLOG (packets logged by netfilter).
 *
 * SLL (DLT 113) has a 16-byte header ending in the protocol; SLL2 (DLT 276)
 * a 20-byte one starting with it. The protocol is an EtherType, or a small
 * number for frames with no EtherType: 4 means an 802.2 LLC frame (which the
 * EtherType walk handles as 802.3 does), 7 a PPP frame in HDLC framing, and
 * the rest (802.3 raw, CAN...) carry no IP. The ARPHRD type matters only
 * where the protocol is not an EtherType at all: netlink (protocol is a
 * netlink family) and 802.11 (frames with their own header).
 *
 * NFLOG (DLT 239): a 4-byte header (address family, version 0, resource
 * ID), then TLVs whose length and type are in the capturing host's byte
 * order (libpcap swaps them when it reads a file of the other byte order,
 * so here they are in ours). The packet is the NFULA_PAYLOAD TLV, starting
 * at its IP header. TLV lengths include their 4-byte header and are padded
 * to 4 bytes.
 */
#include "config.h"

#include "decode/decode-internal.h"

#define SLL_HEADER_LEN 16
#define SLL2_HEADER_LEN 20

#define SLL_P_802_2 0x0004
#define SLL_P_PPPHDLC 0x0007

#define ARPHRD_IEEE80211 801
#define ARPHRD_IEEE80211_PRISM 802
#define ARPHRD_IEEE80211_RADIOTAP 803
#define ARPHRD_NETLINK 824

#define NFLOG_HEADER_LEN 4
#define NFLOG_TLV_HEADER_LEN 4
#define NFLOG_TLV_TYPE_MASK 0x3fff	/* without the netlink nested/byte-order flags */
#define NFULA_PAYLOAD 9
#define NFLOG_AF_INET 2
#define NFLOG_AF_INET6 10

static enum fp_skip_reason cooked_payload(struct fp_packet *pkt, uint16_t hatype, uint16_t proto, const uint8_t *p,
					  uint32_t len)
{
	switch (hatype) {
	case ARPHRD_NETLINK:
	case ARPHRD_IEEE80211:
	case ARPHRD_IEEE80211_PRISM:
	case ARPHRD_IEEE80211_RADIOTAP:
		return FP_SKIP_NON_IP;
	default:
		break;
	}
	if (proto == SLL_P_PPPHDLC)
		return fp_decode_ppp(pkt, p, len);
	if (proto < FP_ETH_MIN_TYPE && proto != SLL_P_802_2)
		return FP_SKIP_NON_IP;
	return fp_decode_ethertype(pkt, proto, p, len);
}

enum fp_skip_reason fp_decode_sll(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	if (len < SLL_HEADER_LEN)
		return FP_SKIP_TRUNCATED;
	return cooked_payload(pkt, fp_be16(p + 2), fp_be16(p + 14), p + SLL_HEADER_LEN, len - SLL_HEADER_LEN);
}

enum fp_skip_reason fp_decode_sll2(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	if (len < SLL2_HEADER_LEN)
		return FP_SKIP_TRUNCATED;
	return cooked_payload(pkt, fp_be16(p + 8), fp_be16(p), p + SLL2_HEADER_LEN, len - SLL2_HEADER_LEN);
}

enum fp_skip_reason fp_decode_nflog(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	uint32_t off = NFLOG_HEADER_LEN;

	if (len < NFLOG_HEADER_LEN)
		return FP_SKIP_TRUNCATED;
	if (p[1] != 0)
		return FP_SKIP_BAD_LINK_HEADER;
	while (len - off >= NFLOG_TLV_HEADER_LEN) {
		uint32_t tlv_len = fp_host16(p + off);
		uint32_t tlv_type = fp_host16(p + off + 2) & NFLOG_TLV_TYPE_MASK;

		if (tlv_len < NFLOG_TLV_HEADER_LEN)
			return FP_SKIP_BAD_LINK_HEADER;
		if (tlv_type == NFULA_PAYLOAD) {
			const uint8_t *payload = p + off + NFLOG_TLV_HEADER_LEN;
			uint32_t plen = len - off - NFLOG_TLV_HEADER_LEN;

			if (p[0] == NFLOG_AF_INET)
				return fp_decode_ipv4(pkt, payload, plen);
			if (p[0] == NFLOG_AF_INET6)
				return fp_decode_ipv6(pkt, payload, plen);
			return fp_decode_ip(pkt, payload, plen);
		}
		tlv_len = (tlv_len + 3) & ~3u;
		if (tlv_len > len - off)
			break;
		off += tlv_len;
	}
	return pkt->wire_len > pkt->cap_len ? FP_SKIP_TRUNCATED : FP_SKIP_NON_IP;
}
