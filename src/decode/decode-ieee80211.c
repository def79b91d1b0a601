/*
 * decode-ieee80211.c - 802.11 data frames (DLT 105) and the radiotap header
 * that Wi-Fi monitor captures put in front of them (DLT 127).
 *
 * Only data frames carry IP: management and control frames, data subtypes
 * without a body ("null"), protected frames (the body is encrypted) and
 * A-MSDU aggregates are NON_IP. The MAC header is 24 bytes, 30 with four
 * addresses (to-DS and from-DS both set), plus 2 for QoS data and 4 more
 * for an HT control field (QoS with the order bit). The body starts with
 * LLC/SNAP, which the EtherType walk handles as on 802.3.
 *
 * Radiotap (little-endian): version 0, pad, total length, then one or more
 * 32-bit "present" words (bit 31 chains another). Its fields are skipped as
 * a whole by the total length; only the Flags field is read, for its
 * "padding between the 802.11 header and the body" bit, and it sits right
 * after the present words (after the 8-byte-aligned TSFT when present).
 * The trailing FCS some drivers keep needs nothing: IP lengths come from
 * the IP header.
 */
#include "config.h"

#include "decode/decode-internal.h"

#define RADIOTAP_MIN_LEN 8
#define RADIOTAP_PRESENT_TSFT 0x00000001u
#define RADIOTAP_PRESENT_FLAGS 0x00000002u
#define RADIOTAP_PRESENT_EXT 0x80000000u
#define RADIOTAP_FLAG_DATAPAD 0x20

#define WLAN_HEADER_LEN 24
#define WLAN_ADDR4_LEN 6
#define WLAN_QOS_LEN 2
#define WLAN_HTC_LEN 4
#define WLAN_TYPE_DATA 2
#define WLAN_SUBTYPE_NODATA 0x4
#define WLAN_SUBTYPE_QOS 0x8
#define WLAN_FC_TODS_FROMDS 0x0300
#define WLAN_FC_PROTECTED 0x4000
#define WLAN_FC_ORDER 0x8000
#define WLAN_QOS_AMSDU 0x80

static inline uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

enum fp_skip_reason fp_decode_ieee80211(struct fp_packet *pkt, const uint8_t *p, uint32_t len, int datapad)
{
	uint32_t hdr_len = WLAN_HEADER_LEN, qos_off = 0;
	uint16_t fc;
	unsigned subtype;

	if (len < 2)
		return FP_SKIP_TRUNCATED;
	fc = le16(p);
	subtype = (fc >> 4) & 0xf;
	if (((fc >> 2) & 3) != WLAN_TYPE_DATA || (subtype & WLAN_SUBTYPE_NODATA) || (fc & WLAN_FC_PROTECTED))
		return FP_SKIP_NON_IP;
	if ((fc & WLAN_FC_TODS_FROMDS) == WLAN_FC_TODS_FROMDS)
		hdr_len += WLAN_ADDR4_LEN;
	if (subtype & WLAN_SUBTYPE_QOS) {
		qos_off = hdr_len;
		hdr_len += WLAN_QOS_LEN;
		if (fc & WLAN_FC_ORDER)
			hdr_len += WLAN_HTC_LEN;
	}
	if (datapad)
		hdr_len = (hdr_len + 3) & ~3u;
	if (len < hdr_len)
		return FP_SKIP_TRUNCATED;
	if (qos_off != 0 && (p[qos_off] & WLAN_QOS_AMSDU))
		return FP_SKIP_NON_IP;
	return fp_decode_ethertype(pkt, FP_ETH_LLC, p + hdr_len, len - hdr_len);
}

enum fp_skip_reason fp_decode_radiotap(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	uint32_t rt_len, present, off = 4, flags_off;
	int datapad = 0;

	if (len < RADIOTAP_MIN_LEN)
		return FP_SKIP_TRUNCATED;
	rt_len = le16(p + 2);
	if (p[0] != 0 || rt_len < RADIOTAP_MIN_LEN)
		return FP_SKIP_BAD_LINK_HEADER;
	if (rt_len > len)
		return rt_len > fp_wire_left(pkt, len) ? FP_SKIP_BAD_LINK_HEADER : FP_SKIP_TRUNCATED;

	present = le32(p + 4);
	do {	/* skip the chain of present words; off <= rt_len - 4 before each read */
		if (rt_len - off < 4)
			return FP_SKIP_BAD_LINK_HEADER;
		off += 4;
	} while (le32(p + off - 4) & RADIOTAP_PRESENT_EXT);

	if (present & RADIOTAP_PRESENT_FLAGS) {
		flags_off = off;
		if (present & RADIOTAP_PRESENT_TSFT)
			flags_off = ((flags_off + 7) & ~7u) + 8;
		if (flags_off < rt_len && (p[flags_off] & RADIOTAP_FLAG_DATAPAD))
			datapad = 1;
	}
	return fp_decode_ieee80211(pkt, p + rt_len, len - rt_len, datapad);
}
