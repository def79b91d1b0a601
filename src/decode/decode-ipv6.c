/*
 * decode-ipv6.c - the IPv6 header (RFC 8200) and its extension header chain.
 *
 * The chain is walked to the first header that is not an extension header
 * flowprep steps over: hop-by-hop (0, only right after the fixed header),
 * routing (43), fragment (44), destination options (60) and AH (51). What
 * ends the chain is the flow's protocol: TCP, UDP, ICMPv6..., but also ESP
 * (50), mobility (135) and "no next header" (59), which become port-less
 * flows. At most FP_IPV6_MAX_EXTENSIONS headers are walked; a longer chain,
 * an extension header that does not fit in the payload length, or a
 * hop-by-hop header out of place is BAD_IPV6_EXTENSION. One that fits in
 * the payload but not in the captured bytes is TRUNCATED.
 *
 * Lengths: ip_len is 40 + payload length. A payload length of 0 with a next
 * header other than 59 is a jumbogram (RFC 2675; the hop-by-hop Jumbo
 * Payload option holds the length) or a segmentation-offload super-frame
 * (the datagram is then what was on the wire). A payload length (or jumbo
 * length) beyond what was on the wire is a cut datagram, as for IPv4 (see
 * decode-ipv4.c): the datagram is taken to end with the frame and the
 * packet is noted FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE; an extension header
 * that then runs past the frame is TRUNCATED, since the header claimed the
 * bytes were there.
 *
 * Fragments mirror IPv4: the first fragment is decoded through its transport
 * header, a later one returns OK without one, with the 32-bit fragment
 * identification in frag_id. An atomic fragment (offset 0, M clear,
 * RFC 6946) is a whole datagram and not marked as a fragment.
 */
#include "config.h"

#include "decode/decode-internal.h"

#define IPV6_HEADER_LEN 40
#define FP_IPV6_MAX_EXTENSIONS 16

#define IP6_HOPOPTS 0
#define IP6_ROUTING 43
#define IP6_FRAGMENT 44
#define IP6_AH 51
#define IP6_NONE 59
#define IP6_DSTOPTS 60

#define IP6_FRAG_HEADER_LEN 8
#define IP6_FRAG_OFFSET_MASK 0xfff8
#define IP6_FRAG_MORE 0x0001

#define IP6_OPT_PAD1 0x00
#define IP6_OPT_JUMBO 0xc2
#define IP6_OPT_JUMBO_LEN 4

/* The Jumbo Payload option's value in a hop-by-hop header of `len` bytes,
 * or 0 if it has none. */
static uint32_t jumbo_payload_len(const uint8_t *hbh, uint32_t len)
{
	uint32_t off = 2;

	while (off < len) {
		if (hbh[off] == IP6_OPT_PAD1) {
			off++;
			continue;
		}
		if (len - off < 2)
			break;
		if (hbh[off] == IP6_OPT_JUMBO && hbh[off + 1] == IP6_OPT_JUMBO_LEN && len - off >= 6)
			return fp_be32(hbh + off + 2);
		off += 2 + (uint32_t)hbh[off + 1];
	}
	return 0;
}

/* The datagram length: `claimed`, or the bytes to the end of the frame
 * (noted) when the claim runs past what was on the wire. */
static uint32_t cut_to_wire(struct fp_packet *pkt, uint64_t claimed, uint32_t wire_len)
{
	if (claimed <= wire_len)
		return (uint32_t)claimed;
	pkt->notes |= 1u << FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE;
	return wire_len;
}

/* An extension header that runs past the datagram: malformed, unless the
 * datagram was cut to the frame (its header said the bytes were there). */
static enum fp_skip_reason beyond_datagram(const struct fp_packet *pkt)
{
	if (pkt->notes & (1u << FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE))
		return FP_SKIP_TRUNCATED;
	return FP_SKIP_BAD_IPV6_EXTENSION;
}

enum fp_skip_reason fp_decode_ipv6(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	uint32_t payload_len, wire_len, ip_len, off, ext_len, n;
	uint8_t next;

	if (len < IPV6_HEADER_LEN)
		return FP_SKIP_TRUNCATED;
	if ((p[0] >> 4) != 6)
		return FP_SKIP_BAD_IP_HEADER;
	payload_len = fp_be16(p + 4);
	next = p[6];
	wire_len = fp_wire_left(pkt, len);
	if (payload_len == 0 && next != IP6_NONE) {
		ip_len = wire_len;	/* jumbogram or offload super-frame; see above */
	} else {
		ip_len = cut_to_wire(pkt, IPV6_HEADER_LEN + payload_len, wire_len);
	}

	pkt->ip_version = 6;
	pkt->ttl = p[7];
	memcpy(pkt->src_addr, p + 8, 16);
	memcpy(pkt->dst_addr, p + 24, 16);
	pkt->l3 = p;
	pkt->l3_cap_len = len;
	pkt->is_fragment = false;
	pkt->frag_id = 0;
	pkt->frag_offset = 0;

	/* Invariant: off <= len and off <= ip_len. */
	off = IPV6_HEADER_LEN;
	for (n = 0;; n++) {
		switch (next) {
		case IP6_HOPOPTS:
			if (n != 0)
				return FP_SKIP_BAD_IPV6_EXTENSION;
			/* fall through */
		case IP6_ROUTING:
		case IP6_DSTOPTS:
		case IP6_AH:
			if (ip_len - off < 2)
				return beyond_datagram(pkt);
			if (len - off < 2)
				return FP_SKIP_TRUNCATED;
			if (next == IP6_AH)
				ext_len = ((uint32_t)p[off + 1] + 2) * 4;
			else
				ext_len = ((uint32_t)p[off + 1] + 1) * 8;
			break;
		case IP6_FRAGMENT:
			ext_len = IP6_FRAG_HEADER_LEN;
			break;
		default:
			goto transport;
		}
		if (n >= FP_IPV6_MAX_EXTENSIONS)
			return FP_SKIP_BAD_IPV6_EXTENSION;
		if (ext_len > ip_len - off)
			return beyond_datagram(pkt);
		if (ext_len > len - off)
			return FP_SKIP_TRUNCATED;

		if (next == IP6_HOPOPTS && payload_len == 0) {
			uint32_t jumbo = jumbo_payload_len(p + off, ext_len);

			if (jumbo != 0) {
				if (jumbo < ext_len)
					return FP_SKIP_BAD_IPV6_EXTENSION;
				ip_len = cut_to_wire(pkt, IPV6_HEADER_LEN + (uint64_t)jumbo, wire_len);
			}
		} else if (next == IP6_FRAGMENT) {
			uint16_t frag = fp_be16(p + off + 2);

			if (frag & (IP6_FRAG_OFFSET_MASK | IP6_FRAG_MORE)) {
				pkt->is_fragment = true;
				pkt->frag_id = fp_be32(p + off + 4);
				pkt->frag_offset = frag & IP6_FRAG_OFFSET_MASK;
			}
		}
		next = p[off];
		off += ext_len;
		if (pkt->frag_offset != 0) {
			pkt->ip_len = ip_len;
			pkt->ip_hdr_len = (uint16_t)off;
			return fp_decode_later_fragment(pkt, next, ip_len - off);
		}
	}

transport:
	pkt->ip_len = ip_len;
	pkt->ip_hdr_len = (uint16_t)off;
	return fp_decode_transport(pkt, next, p + off, len - off, ip_len - off);
}
