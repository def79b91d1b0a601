/*
 * decode-ipv4.c - the IPv4 header (RFC 791), and the choice of IP version
 * for link types that do not name it (raw IP, MPLS payloads, NFLOG).
 *
 * Rules, in order: 20 bytes captured or TRUNCATED; version 4 and IHL >= 5 or
 * BAD_IP_HEADER; the total length must hold the header or BAD_IP_HEADER;
 * the whole header with its options captured or TRUNCATED. A total length
 * of 0 is what NICs doing TCP segmentation offload write into captured
 * super-frames: the datagram is then what was on the wire.
 *
 * A total length larger than the captured bytes but within what was on the
 * wire is a snaplen cut, not an error: byte counts come from the header.
 *
 * A total length larger than what was on the wire is a datagram that was
 * cut and its record rewritten (wire length = captured length, the header
 * still saying 1500): the bytes are gone and so is the evidence of how many
 * there were, so the datagram is taken to end with the frame -- ip_len is
 * the bytes from the IP header to the end of the frame, which keeps
 * `--bytes ip` <= `--bytes frame` -- and the packet is noted
 * FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE, not skipped: its addresses and the
 * ports present still key its flow (Wireshark too dissects it, with an
 * "IPv4 total length exceeds packet length" warning). The transport layer
 * then needs only the ports (see decode-transport.c).
 *
 * Fragments: a first fragment (offset 0, MF set) is decoded like any packet
 * and marked is_fragment; a later one (offset > 0) has no transport header,
 * so it comes back OK with has_transport false, ports 0 and its IP
 * identification in frag_id, for the flow engine to attribute.
 */
#include "config.h"

#include "decode/decode-internal.h"

#define IPV4_MIN_HEADER_LEN 20
#define IPV4_FLAG_MF 0x2000
#define IPV4_OFFSET_MASK 0x1fff

enum fp_skip_reason fp_decode_ip(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	if (len < 1)
		return FP_SKIP_TRUNCATED;
	switch (p[0] >> 4) {
	case 4:
		return fp_decode_ipv4(pkt, p, len);
	case 6:
		return fp_decode_ipv6(pkt, p, len);
	default:
		return FP_SKIP_BAD_IP_HEADER;
	}
}

enum fp_skip_reason fp_decode_ipv4(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	uint32_t hdr_len, total_len, wire_len;
	uint16_t frag;

	if (len < IPV4_MIN_HEADER_LEN)
		return FP_SKIP_TRUNCATED;
	if ((p[0] >> 4) != 4)
		return FP_SKIP_BAD_IP_HEADER;
	hdr_len = (uint32_t)(p[0] & 0x0f) * 4;
	if (hdr_len < IPV4_MIN_HEADER_LEN)
		return FP_SKIP_BAD_IP_HEADER;
	total_len = fp_be16(p + 2);
	wire_len = fp_wire_left(pkt, len);
	if (total_len == 0)
		total_len = wire_len;	/* TSO super-frame */
	if (total_len < hdr_len)
		return FP_SKIP_BAD_IP_HEADER;
	if (total_len > wire_len) {
		total_len = wire_len;	/* a cut datagram, see above */
		pkt->notes |= 1u << FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE;
	}
	if (len < hdr_len)
		return FP_SKIP_TRUNCATED;	/* also when the frame ends inside the header: len <= wire_len */

	pkt->ip_version = 4;
	pkt->ttl = p[8];
	memcpy(pkt->src_addr, p + 12, 4);
	memset(pkt->src_addr + 4, 0, 12);
	memcpy(pkt->dst_addr, p + 16, 4);
	memset(pkt->dst_addr + 4, 0, 12);
	pkt->ip_len = total_len;
	pkt->ip_hdr_len = (uint16_t)hdr_len;
	pkt->l3 = p;
	pkt->l3_cap_len = len;

	frag = fp_be16(p + 6);
	if (frag & (IPV4_FLAG_MF | IPV4_OFFSET_MASK)) {
		pkt->is_fragment = true;
		pkt->frag_id = fp_be16(p + 4);
		pkt->frag_offset = (uint16_t)((frag & IPV4_OFFSET_MASK) << 3);
		if (pkt->frag_offset != 0)
			return fp_decode_later_fragment(pkt, p[9], total_len - hdr_len);
	} else {
		pkt->is_fragment = false;
		pkt->frag_id = 0;
		pkt->frag_offset = 0;
	}
	return fp_decode_transport(pkt, p[9], p + hdr_len, len - hdr_len, total_len - hdr_len);
}
