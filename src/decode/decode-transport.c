/*
 * decode-transport.c - the header right after the IP header(s): TCP, UDP,
 * ICMP/ICMPv6, SCTP, and every other protocol as a port-less flow.
 *
 * Two lengths bound a transport header: `len`, the bytes captured, and
 * `ip_left`, the bytes the IP header says the datagram holds from here. A
 * header that does not fit in `ip_left` is malformed (BAD_TRANSPORT_HEADER);
 * one that fits there but not in `len` was cut by the snaplen (TRUNCATED).
 *
 * What must be captured: TCP's fixed 20 bytes (ports, flags, window) -- its
 * options may be cut off, since flows need nothing from them; UDP's 8 bytes;
 * ICMP's type, code and checksum; SCTP's 12-byte common header. ICMP type
 * and code go to src_port and dst_port, as flow tools do.
 *
 * Other protocols (GRE, ESP, OSPF, IP-in-IP...) decode OK with ports 0 and
 * has_transport true: the flow is keyed on the protocol, and tunnels are not
 * decapsulated (see decode.c).
 */
#include "config.h"

#include "decode/decode-internal.h"

#define TCP_MIN_HEADER_LEN 20
#define UDP_HEADER_LEN 8
#define ICMP_MIN_LEN 4			/* type, code, checksum */
#define ICMP_HEADER_LEN 8		/* ... and the 4 bytes of "rest of header" */
#define SCTP_HEADER_LEN 12

/* Why a header of `need` bytes cannot be read, or OK. */
static inline enum fp_skip_reason header_fits(uint32_t need, uint32_t len, uint32_t ip_left)
{
	if (ip_left < need)
		return FP_SKIP_BAD_TRANSPORT_HEADER;
	if (len < need)
		return FP_SKIP_TRUNCATED;
	return FP_DECODE_OK;
}

enum fp_skip_reason fp_decode_transport(struct fp_packet *pkt, uint8_t proto, const uint8_t *p, uint32_t len,
					uint32_t ip_left)
{
	enum fp_skip_reason r;
	uint32_t hdr_len;

	pkt->proto = proto;
	pkt->tcp_flags = 0;
	pkt->tcp_window = 0;

	switch (proto) {
	case FP_PROTO_TCP:
		if ((r = header_fits(TCP_MIN_HEADER_LEN, len, ip_left)) != FP_DECODE_OK)
			return r;
		hdr_len = (uint32_t)(p[12] >> 4) * 4;
		if (hdr_len < TCP_MIN_HEADER_LEN || hdr_len > ip_left)
			return FP_SKIP_BAD_TRANSPORT_HEADER;
		pkt->src_port = fp_be16(p);
		pkt->dst_port = fp_be16(p + 2);
		pkt->tcp_flags = p[13];
		pkt->tcp_window = fp_be16(p + 14);
		break;
	case FP_PROTO_UDP: {
		uint16_t udp_len;

		if ((r = header_fits(UDP_HEADER_LEN, len, ip_left)) != FP_DECODE_OK)
			return r;
		/* 0 is legal in jumbograms and offload super-frames. */
		udp_len = fp_be16(p + 4);
		if (udp_len != 0 && udp_len < UDP_HEADER_LEN)
			return FP_SKIP_BAD_TRANSPORT_HEADER;
		hdr_len = UDP_HEADER_LEN;
		pkt->src_port = fp_be16(p);
		pkt->dst_port = fp_be16(p + 2);
		break;
	}
	case FP_PROTO_ICMP:
	case FP_PROTO_ICMPV6:
		if ((r = header_fits(ICMP_MIN_LEN, len, ip_left)) != FP_DECODE_OK)
			return r;
		hdr_len = ip_left < ICMP_HEADER_LEN ? ip_left : ICMP_HEADER_LEN;
		pkt->src_port = p[0];
		pkt->dst_port = p[1];
		break;
	case FP_PROTO_SCTP:
		if ((r = header_fits(SCTP_HEADER_LEN, len, ip_left)) != FP_DECODE_OK)
			return r;
		hdr_len = SCTP_HEADER_LEN;
		pkt->src_port = fp_be16(p);
		pkt->dst_port = fp_be16(p + 2);
		break;
	default:
		hdr_len = 0;
		pkt->src_port = 0;
		pkt->dst_port = 0;
		break;
	}
	pkt->has_transport = true;
	pkt->l4 = p;
	pkt->l4_hdr_len = (uint16_t)hdr_len;
	pkt->payload_len = ip_left - hdr_len;
	return FP_DECODE_OK;
}

enum fp_skip_reason fp_decode_later_fragment(struct fp_packet *pkt, uint8_t proto, uint32_t ip_left)
{
	pkt->proto = proto;
	pkt->has_transport = false;
	pkt->l4 = NULL;
	pkt->l4_hdr_len = 0;
	pkt->src_port = 0;
	pkt->dst_port = 0;
	pkt->tcp_flags = 0;
	pkt->tcp_window = 0;
	pkt->payload_len = ip_left;
	return FP_DECODE_OK;
}
