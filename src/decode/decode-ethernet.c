/*
 * decode-ethernet.c - Ethernet II, 802.3 + LLC/SNAP, and the EtherType walk
 * shared by every link layer that names its payload by EtherType.
 *
 * fp_decode_ethertype() is the loop described in decode-internal.h: VLAN
 * tags (802.1Q 0x8100, 802.1ad 0x88a8, the older QinQ 0x9100/0x9200), Cisco
 * VN-Tags, LLC/SNAP, MPLS label stacks and PPPoE sessions are peeled as deep
 * as they are stacked until an IP header (or something flowprep does not
 * decode) is reached. The view keeps the outermost non-zero VLAN ID: a VID-0
 * tag is a priority tag and says "no VLAN".
 *
 * An EtherType field of 1500 or less is an 802.3 length; the payload then
 * starts with an 802.2 LLC header, and IP travels in it only behind SNAP
 * (AA-AA-03, OUI, EtherType) or, rarely, with SAP 0x06.
 */
#include "config.h"

#include "decode/decode-internal.h"

#define ETH_HEADER_LEN 14
#define VLAN_TAG_LEN 4
#define VNTAG_LEN 6

#define LLC_SAP_SNAP 0xaa
#define LLC_SAP_IP 0x06
#define LLC_CONTROL_UI 0x03
#define LLC_HEADER_LEN 3
#define SNAP_HEADER_LEN 8

enum fp_skip_reason fp_decode_ethernet(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	uint16_t type;

	if (len < ETH_HEADER_LEN)
		return FP_SKIP_TRUNCATED;
	type = fp_be16(p + 12);
	if (type == FP_ETH_IPV4)	/* the common case, straight through */
		return fp_decode_ipv4(pkt, p + ETH_HEADER_LEN, len - ETH_HEADER_LEN);
	return fp_decode_ethertype(pkt, type, p + ETH_HEADER_LEN, len - ETH_HEADER_LEN);
}

/* A VLAN tag: priority and VID, then the EtherType of what follows. */
static enum fp_skip_reason vlan_pop(struct fp_packet *pkt, struct fp_link_cursor *c)
{
	uint16_t vid;

	if (c->len < VLAN_TAG_LEN)
		return FP_SKIP_TRUNCATED;
	vid = fp_be16(c->p) & 0x0fff;
	if (pkt->vlan_id == 0)
		pkt->vlan_id = vid;
	c->type = fp_be16(c->p + 2);
	c->p += VLAN_TAG_LEN;
	c->len -= VLAN_TAG_LEN;
	return FP_DECODE_OK;
}

/* 802.2 LLC after an 802.3 length field. IPv4 with SAP 0x06 is turned into
 * EtherType 0x0800 so the walk handles both forms alike. */
static enum fp_skip_reason llc_pop(struct fp_link_cursor *c)
{
	const uint8_t *p = c->p;

	if (c->len < LLC_HEADER_LEN)
		return FP_SKIP_TRUNCATED;
	if (p[0] == LLC_SAP_SNAP && p[1] == LLC_SAP_SNAP && p[2] == LLC_CONTROL_UI) {
		if (c->len < SNAP_HEADER_LEN)
			return FP_SKIP_TRUNCATED;
		c->type = fp_be16(p + 6);
		/* Only real EtherTypes: a length here would mean LLC in LLC. */
		if (c->type < FP_ETH_MIN_TYPE)
			return FP_SKIP_NON_IP;
		c->p += SNAP_HEADER_LEN;
		c->len -= SNAP_HEADER_LEN;
		return FP_DECODE_OK;
	}
	if (p[0] == LLC_SAP_IP && p[1] == LLC_SAP_IP && p[2] == LLC_CONTROL_UI) {
		c->type = FP_ETH_IPV4;
		c->p += LLC_HEADER_LEN;
		c->len -= LLC_HEADER_LEN;
		return FP_DECODE_OK;
	}
	return FP_SKIP_NON_IP;	/* STP, NetBIOS, IPX... */
}

enum fp_skip_reason fp_decode_ethertype(struct fp_packet *pkt, uint16_t type, const uint8_t *p, uint32_t len)
{
	struct fp_link_cursor c = { .p = p, .len = len, .type = type };
	enum fp_skip_reason r;

	for (;;) {
		switch (c.type) {
		case FP_ETH_IPV4:
			return fp_decode_ipv4(pkt, c.p, c.len);
		case FP_ETH_IPV6:
			return fp_decode_ipv6(pkt, c.p, c.len);
		case FP_ETH_VLAN:
		case FP_ETH_QINQ:
		case FP_ETH_QINQ_OLD:
		case FP_ETH_QINQ_OLD2:
			r = vlan_pop(pkt, &c);
			break;
		case FP_ETH_VNTAG:
			if (c.len < VNTAG_LEN)
				return FP_SKIP_TRUNCATED;
			c.type = fp_be16(c.p + 4);
			c.p += VNTAG_LEN;
			c.len -= VNTAG_LEN;
			r = FP_DECODE_OK;
			break;
		case FP_ETH_MPLS_UC:
		case FP_ETH_MPLS_MC:
			r = fp_mpls_pop(&c);
			break;
		case FP_ETH_PPPOE_SESSION:
			r = fp_pppoe_pop(&c);
			break;
		default:
			if (c.type <= FP_ETH_MAX_LENGTH)
				r = llc_pop(&c);
			else if (c.type < FP_ETH_MIN_TYPE)
				return FP_SKIP_BAD_LINK_HEADER;
			else
				return FP_SKIP_NON_IP;	/* ARP, LLDP, 802.1X, MACsec... */
			break;
		}
		if (r != FP_DECODE_OK)
			return r;
	}
}
