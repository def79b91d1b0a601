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
 * A header the datagram does not hold whole, because it goes on in the
 * next fragment (a first fragment with 8 or 16 bytes of TCP: tiny-fragment
 * evasion looks exactly so) or because the datagram was cut to the frame
 * (FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE, see decode-ipv4.c), still keys its
 * flow: such a packet needs only the ports (4 bytes), and every header byte
 * the datagram does hold, captured; flags and window are read only if they
 * are among them (0 otherwise), the TCP data offset and UDP length checked
 * only then. A first fragment so split is noted
 * FP_NOTE_TRANSPORT_HEADER_SPLIT. l4_hdr_len is then the header bytes this
 * packet holds, so the payload counts none of the header; the header bytes
 * a later fragment carries count as its payload (later fragments are not
 * parsed).
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
#define PORTS_LEN 4			/* source and destination port */
#define TCP_OFFSET_END 13		/* bytes up to and with the data offset */
#define TCP_FLAGS_END 14
#define TCP_WINDOW_END 16

/* Why a header of `need` bytes cannot be read, or OK. In a datagram cut
 * to the frame, bytes missing before ip_left's end were cut, not absent. */
static inline enum fp_skip_reason header_fits(const struct fp_packet *pkt, uint32_t need, uint32_t len,
					      uint32_t ip_left)
{
	if (ip_left < need)
		return (pkt->notes & (1u << FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE)) ? FP_SKIP_TRUNCATED
										  : FP_SKIP_BAD_TRANSPORT_HEADER;
	if (len < need)
		return FP_SKIP_TRUNCATED;
	return FP_DECODE_OK;
}

/* True if the datagram's header may go on past this packet: a first
 * fragment (later ones never get here) or a datagram cut to the frame. */
static inline bool header_may_continue(const struct fp_packet *pkt)
{
	return pkt->is_fragment || (pkt->notes & (1u << FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE));
}

/* A header that goes on past this packet: a first fragment says so with a
 * note of its own (a cut datagram already has one). */
static inline void note_split(struct fp_packet *pkt)
{
	if (pkt->is_fragment)
		pkt->notes |= 1u << FP_NOTE_TRANSPORT_HEADER_SPLIT;
}

/* How many bytes of a `full`-byte header with ports must be read: all of
 * it, or -- when the header may continue past this packet -- what this
 * packet holds of it, at least the ports (then noted as split). */
static uint32_t header_need(struct fp_packet *pkt, uint32_t full, uint32_t ip_left)
{
	if (ip_left >= full || !header_may_continue(pkt))
		return full;
	note_split(pkt);
	return ip_left > PORTS_LEN ? ip_left : PORTS_LEN;
}

/* TCP: ports always, the rest where `have` bytes of the header reach. */
static enum fp_skip_reason decode_tcp(struct fp_packet *pkt, const uint8_t *p, uint32_t have, uint32_t ip_left,
				      uint32_t *hdr_len)
{
	*hdr_len = have;
	if (have >= TCP_OFFSET_END) {
		*hdr_len = (uint32_t)(p[12] >> 4) * 4;
		if (*hdr_len < TCP_MIN_HEADER_LEN)
			return FP_SKIP_BAD_TRANSPORT_HEADER;
		if (*hdr_len > ip_left) {
			if (!header_may_continue(pkt))
				return FP_SKIP_BAD_TRANSPORT_HEADER;
			note_split(pkt);
			*hdr_len = ip_left;	/* the rest is in the next fragment, or was cut */
		}
	}
	if (have >= TCP_FLAGS_END)
		pkt->tcp_flags = p[13];
	if (have >= TCP_WINDOW_END)
		pkt->tcp_window = fp_be16(p + 14);
	pkt->src_port = fp_be16(p);
	pkt->dst_port = fp_be16(p + 2);
	return FP_DECODE_OK;
}

enum fp_skip_reason fp_decode_transport(struct fp_packet *pkt, uint8_t proto, const uint8_t *p, uint32_t len,
					uint32_t ip_left)
{
	enum fp_skip_reason r;
	uint32_t hdr_len, need;

	pkt->proto = proto;
	pkt->tcp_flags = 0;
	pkt->tcp_window = 0;

	switch (proto) {
	case FP_PROTO_TCP:
		need = header_need(pkt, TCP_MIN_HEADER_LEN, ip_left);
		if ((r = header_fits(pkt, need, len, ip_left)) != FP_DECODE_OK)
			return r;
		if ((r = decode_tcp(pkt, p, need, ip_left, &hdr_len)) != FP_DECODE_OK)
			return r;
		break;
	case FP_PROTO_UDP:
		need = header_need(pkt, UDP_HEADER_LEN, ip_left);
		if ((r = header_fits(pkt, need, len, ip_left)) != FP_DECODE_OK)
			return r;
		/* 0 is legal in jumbograms and offload super-frames. */
		if (need >= UDP_HEADER_LEN && fp_be16(p + 4) != 0 && fp_be16(p + 4) < UDP_HEADER_LEN)
			return FP_SKIP_BAD_TRANSPORT_HEADER;
		hdr_len = need;
		pkt->src_port = fp_be16(p);
		pkt->dst_port = fp_be16(p + 2);
		break;
	case FP_PROTO_ICMP:
	case FP_PROTO_ICMPV6:
		if ((r = header_fits(pkt, ICMP_MIN_LEN, len, ip_left)) != FP_DECODE_OK)
			return r;
		hdr_len = ip_left < ICMP_HEADER_LEN ? ip_left : ICMP_HEADER_LEN;
		pkt->src_port = p[0];
		pkt->dst_port = p[1];
		break;
	case FP_PROTO_SCTP:
		need = header_need(pkt, SCTP_HEADER_LEN, ip_left);
		if ((r = header_fits(pkt, need, len, ip_left)) != FP_DECODE_OK)
			return r;
		hdr_len = need;
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
