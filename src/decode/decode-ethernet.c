/*
 * decode-ethernet.c - Ethernet II, 802.3 + LLC/SNAP, and the EtherType
 * dispatch shared by every link layer that names its payload by EtherType.
 *
 * VLAN tags (802.1Q 0x8100, 802.1ad 0x88a8, the older QinQ 0x9100/0x9200)
 * and Cisco VN-Tags are peeled in a loop, as deep as they are stacked: each
 * round consumes at least four captured bytes, so the loop ends. The view
 * keeps the outermost non-zero VLAN ID (a VID-0 tag is a priority tag and
 * says "no VLAN").
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

enum fp_skip_reason fp_decode_ethertype(struct fp_packet *pkt, uint16_t type, const uint8_t *p, uint32_t len)
{
	uint16_t vid;

	for (;;) {
		switch (type) {
		case FP_ETH_IPV4:
			return fp_decode_ipv4(pkt, p, len);
		case FP_ETH_IPV6:
			return fp_decode_ipv6(pkt, p, len);
		case FP_ETH_VLAN:
		case FP_ETH_QINQ:
		case FP_ETH_QINQ_OLD:
		case FP_ETH_QINQ_OLD2:
			if (len < VLAN_TAG_LEN)
				return FP_SKIP_TRUNCATED;
			vid = fp_be16(p) & 0x0fff;
			if (pkt->vlan_id == 0)
				pkt->vlan_id = vid;
			type = fp_be16(p + 2);
			p += VLAN_TAG_LEN;
			len -= VLAN_TAG_LEN;
			break;
		case FP_ETH_VNTAG:
			if (len < VNTAG_LEN)
				return FP_SKIP_TRUNCATED;
			type = fp_be16(p + 4);
			p += VNTAG_LEN;
			len -= VNTAG_LEN;
			break;
		case FP_ETH_MPLS_UC:
		case FP_ETH_MPLS_MC:
			return fp_decode_mpls(pkt, p, len);
		case FP_ETH_PPPOE_SESSION:
			return fp_decode_pppoe_session(pkt, p, len);
		default:
			if (type <= FP_ETH_MAX_LENGTH)
				return fp_decode_llc(pkt, p, len);
			if (type < FP_ETH_MIN_TYPE)
				return FP_SKIP_BAD_LINK_HEADER;
			return FP_SKIP_NON_IP;
		}
	}
}

enum fp_skip_reason fp_decode_llc(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	if (len < LLC_HEADER_LEN)
		return FP_SKIP_TRUNCATED;
	if (p[0] == LLC_SAP_SNAP && p[1] == LLC_SAP_SNAP && p[2] == LLC_CONTROL_UI) {
		uint16_t type;

		if (len < SNAP_HEADER_LEN)
			return FP_SKIP_TRUNCATED;
		type = fp_be16(p + 6);
		/* Only real EtherTypes: an 802.3 length here would loop back into LLC. */
		if (type < FP_ETH_MIN_TYPE)
			return FP_SKIP_NON_IP;
		return fp_decode_ethertype(pkt, type, p + SNAP_HEADER_LEN, len - SNAP_HEADER_LEN);
	}
	if (p[0] == LLC_SAP_IP && p[1] == LLC_SAP_IP && p[2] == LLC_CONTROL_UI)
		return fp_decode_ipv4(pkt, p + LLC_HEADER_LEN, len - LLC_HEADER_LEN);
	return FP_SKIP_NON_IP;	/* STP, NetBIOS, IPX... */
}
