/*
 * decode-ppp.c - PPP in its framings, PPPoE sessions and Cisco HDLC.
 *
 * A PPP protocol field names the payload (RFC 1661): 0x0021 IPv4, 0x0057
 * IPv6, 0x0281/0x0283 MPLS; anything else is a control protocol (LCP, IPCP,
 * CHAP...) or compressed data with no IP header to read. The field is one
 * byte when protocol-field compression is on: a first byte with its low bit
 * set is the whole field. The protocol is turned into the matching
 * EtherType and the walk of decode-ethernet.c goes on from there.
 *
 * Framings: DLT_PPP may start with the HDLC address/control bytes FF 03,
 * or be Cisco HDLC after all (first byte 0x0F unicast, 0x8F broadcast:
 * routers' captures often are, and Wireshark's PPP-in-HDLC dissector hands
 * such frames to Cisco HDLC; as a compressed PPP protocol field those
 * bytes would name protocols 0x0f/0x8f, which are not assigned);
 * DLT_PPP_SERIAL (50) is likewise FF 03 or Cisco HDLC; DLT_PPP_ETHER (51)
 * is a PPPoE header without Ethernet.
 * Cisco HDLC (DLT_C_HDLC, 104) is address, control, then an EtherType.
 */
#include "config.h"

#include "decode/decode-internal.h"

#define PPP_ADDRESS 0xff
#define PPP_CONTROL 0x03
#define PPP_PROTO_IPV4 0x0021
#define PPP_PROTO_IPV6 0x0057
#define PPP_PROTO_MPLS_UC 0x0281
#define PPP_PROTO_MPLS_MC 0x0283

#define PPPOE_VER_TYPE 0x11
#define PPPOE_CODE_SESSION 0x00
#define PPPOE_HEADER_LEN 6

#define CHDLC_UNICAST 0x0f
#define CHDLC_BROADCAST 0x8f
#define CHDLC_HEADER_LEN 4

enum fp_skip_reason fp_ppp_protocol_pop(struct fp_link_cursor *c)
{
	uint16_t proto;
	uint32_t field_len;

	if (c->len < 1)
		return FP_SKIP_TRUNCATED;
	if (c->p[0] & 1) {
		proto = c->p[0];
		field_len = 1;
	} else {
		if (c->len < 2)
			return FP_SKIP_TRUNCATED;
		proto = fp_be16(c->p);
		field_len = 2;
	}
	switch (proto) {
	case PPP_PROTO_IPV4:
		c->type = FP_ETH_IPV4;
		break;
	case PPP_PROTO_IPV6:
		c->type = FP_ETH_IPV6;
		break;
	case PPP_PROTO_MPLS_UC:
		c->type = FP_ETH_MPLS_UC;
		break;
	case PPP_PROTO_MPLS_MC:
		c->type = FP_ETH_MPLS_MC;
		break;
	default:
		return FP_SKIP_NON_IP;
	}
	c->p += field_len;
	c->len -= field_len;
	return FP_DECODE_OK;
}

/* PPPoE session stage (RFC 2516): version/type 0x11, code 0, session ID,
 * length, then a PPP protocol field. The discovery stage (0x8863) is not IP
 * and never reaches here. */
enum fp_skip_reason fp_pppoe_pop(struct fp_link_cursor *c)
{
	if (c->len < PPPOE_HEADER_LEN)
		return FP_SKIP_TRUNCATED;
	if (c->p[0] != PPPOE_VER_TYPE || c->p[1] != PPPOE_CODE_SESSION)
		return FP_SKIP_BAD_LINK_HEADER;
	c->p += PPPOE_HEADER_LEN;
	c->len -= PPPOE_HEADER_LEN;
	return fp_ppp_protocol_pop(c);
}

/* Finishes a PPP frame whose protocol field is at `c`. */
static enum fp_skip_reason ppp_payload(struct fp_packet *pkt, struct fp_link_cursor *c)
{
	enum fp_skip_reason r = fp_ppp_protocol_pop(c);

	if (r != FP_DECODE_OK)
		return r;
	return fp_decode_ethertype(pkt, c->type, c->p, c->len);
}

enum fp_skip_reason fp_decode_ppp(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	struct fp_link_cursor c = { .p = p, .len = len };

	if (len >= 1 && (p[0] == CHDLC_UNICAST || p[0] == CHDLC_BROADCAST))
		return fp_decode_chdlc(pkt, p, len);
	if (len == 1 && p[0] == PPP_ADDRESS)
		return FP_SKIP_TRUNCATED;	/* the control byte was cut off */
	if (len >= 2 && p[0] == PPP_ADDRESS && p[1] == PPP_CONTROL) {
		c.p += 2;
		c.len -= 2;
	}
	return ppp_payload(pkt, &c);
}

enum fp_skip_reason fp_decode_ppp_serial(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	struct fp_link_cursor c = { .p = p, .len = len };

	if (len < 1)
		return FP_SKIP_TRUNCATED;
	switch (p[0]) {
	case CHDLC_UNICAST:
	case CHDLC_BROADCAST:
		return fp_decode_chdlc(pkt, p, len);
	case PPP_ADDRESS:
		if (len < 2)
			return FP_SKIP_TRUNCATED;
		if (p[1] != PPP_CONTROL)
			return FP_SKIP_BAD_LINK_HEADER;
		c.p += 2;
		c.len -= 2;
		break;
	default:
		break;	/* address and control omitted (RFC 1662 ACFC) */
	}
	return ppp_payload(pkt, &c);
}

enum fp_skip_reason fp_decode_ppp_ether(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	struct fp_link_cursor c = { .p = p, .len = len };
	enum fp_skip_reason r = fp_pppoe_pop(&c);

	if (r != FP_DECODE_OK)
		return r;
	return fp_decode_ethertype(pkt, c.type, c.p, c.len);
}

enum fp_skip_reason fp_decode_chdlc(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	if (len < CHDLC_HEADER_LEN)
		return FP_SKIP_TRUNCATED;
	return fp_decode_ethertype(pkt, fp_be16(p + 2), p + CHDLC_HEADER_LEN, len - CHDLC_HEADER_LEN);
}
