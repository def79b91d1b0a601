/*
 * decode.c - the entry point of decoding: dispatch on the link type.
 *
 * fp_decode() copies the capture facts into the packet view, resets the
 * fields that only some layers set (the VLAN ID, the notes), and calls the
 * link layer's decoder (fp_decode_link(), which PPI also calls for the link
 * type it wraps), which calls the network layer, which calls the transport
 * layer (see decode-internal.h for how they bound their reads). Every field
 * of the view is filled on FP_DECODE_OK; nothing is cleared up front, so the
 * common Ethernet -> IPv4 -> TCP/UDP path writes each field once.
 *
 * flowprep keys flows on the outermost IP header and the transport header
 * right after it: tunnels (GRE, IP-in-IP, VXLAN, GTP...) are not
 * decapsulated, their packets become flows of the tunnel's own protocol
 * (GRE: protocol 47, ports 0; VXLAN: a UDP flow on port 4789).
 */
#include "config.h"

#include <stddef.h>

#include "decode/decode-internal.h"
#include "decode/decode.h"

/* Stable names for summaries and metrics (the README lists them). */
static const char *const skip_reason_names[FP_SKIP__COUNT] = {
	[FP_DECODE_OK] = "ok",
	[FP_SKIP_TRUNCATED] = "truncated",
	[FP_SKIP_UNSUPPORTED_LINK] = "unsupported-link-type",
	[FP_SKIP_NON_IP] = "non-ip",
	[FP_SKIP_BAD_LINK_HEADER] = "bad-link-header",
	[FP_SKIP_BAD_IP_HEADER] = "bad-ip-header",
	[FP_SKIP_BAD_IPV6_EXTENSION] = "bad-ipv6-extension",
	[FP_SKIP_BAD_TRANSPORT_HEADER] = "bad-transport-header",
	[FP_SKIP_FRAGMENT_UNMATCHED] = "fragment-unmatched",
};

static const char *const note_names[FP_NOTE__COUNT] = {
	[FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE] = "ip-length-exceeds-capture",
	[FP_NOTE_TRANSPORT_HEADER_SPLIT] = "transport-header-split",
};

const char *fp_note_name(enum fp_note n)
{
	if ((unsigned)n >= FP_NOTE__COUNT || note_names[n] == NULL)
		return "unknown";
	return note_names[n];
}

const char *fp_skip_reason_name(enum fp_skip_reason r)
{
	if ((unsigned)r >= FP_SKIP__COUNT || skip_reason_names[r] == NULL)
		return "unknown";
	return skip_reason_names[r];
}

bool fp_decode_link_supported(int linktype)
{
	switch (linktype) {
	case FP_LINK_NULL:
	case FP_LINK_ETHERNET:
	case FP_LINK_PPP:
	case FP_LINK_FDDI:
	case FP_LINK_RAW_12:
	case FP_LINK_RAW_14:
	case FP_LINK_PPP_SERIAL:
	case FP_LINK_PPP_ETHER:
	case FP_LINK_RAW:
	case FP_LINK_C_HDLC:
	case FP_LINK_IEEE802_11:
	case FP_LINK_LOOP:
	case FP_LINK_LINUX_SLL:
	case FP_LINK_IEEE802_11_RADIOTAP:
	case FP_LINK_IPV4:
	case FP_LINK_IPV6:
	case FP_LINK_NFLOG:
	case FP_LINK_LINUX_SLL2:
	case FP_LINK_PPI:
		return true;
	default:
		return false;
	}
}

enum fp_skip_reason fp_decode(int linktype, const uint8_t *data, uint32_t caplen, uint32_t wirelen, int64_t ts_ns,
			      struct fp_packet *out)
{
	out->ts_ns = ts_ns;
	out->wire_len = wirelen;
	out->cap_len = caplen;
	out->vlan_id = 0;
	out->notes = 0;
	if (linktype == FP_LINK_PPI)
		return fp_decode_ppi(out, data, caplen);
	return fp_decode_link(out, linktype, data, caplen);
}

/* Every link type but PPI, which may wrap any of these but not itself (a
 * PPI header inside PPI would let hostile input recurse). */
enum fp_skip_reason fp_decode_link(struct fp_packet *out, int linktype, const uint8_t *data, uint32_t caplen)
{
	switch (linktype) {
	case FP_LINK_ETHERNET:
		return fp_decode_ethernet(out, data, caplen);
	case FP_LINK_RAW_12:
	case FP_LINK_RAW_14:
	case FP_LINK_RAW:
		return fp_decode_ip(out, data, caplen);
	case FP_LINK_IPV4:
		return fp_decode_ipv4(out, data, caplen);
	case FP_LINK_IPV6:
		return fp_decode_ipv6(out, data, caplen);
	case FP_LINK_LINUX_SLL:
		return fp_decode_sll(out, data, caplen);
	case FP_LINK_LINUX_SLL2:
		return fp_decode_sll2(out, data, caplen);
	case FP_LINK_NULL:
	case FP_LINK_LOOP:
		return fp_decode_null(out, data, caplen, linktype);
	case FP_LINK_PPP:
		return fp_decode_ppp(out, data, caplen);
	case FP_LINK_PPP_SERIAL:
		return fp_decode_ppp_serial(out, data, caplen);
	case FP_LINK_PPP_ETHER:
		return fp_decode_ppp_ether(out, data, caplen);
	case FP_LINK_C_HDLC:
		return fp_decode_chdlc(out, data, caplen);
	case FP_LINK_NFLOG:
		return fp_decode_nflog(out, data, caplen);
	case FP_LINK_FDDI:
		return fp_decode_fddi(out, data, caplen);
	case FP_LINK_IEEE802_11:
		return fp_decode_ieee80211(out, data, caplen, 0);
	case FP_LINK_IEEE802_11_RADIOTAP:
		return fp_decode_radiotap(out, data, caplen);
	default:
		return FP_SKIP_UNSUPPORTED_LINK;
	}
}

void fp_decode_stats_add(struct fp_decode_stats *a, const struct fp_decode_stats *b)
{
	a->packets += b->packets;
	a->decoded += b->decoded;
	for (int i = 0; i < FP_SKIP__COUNT; i++)
		a->skipped[i] += b->skipped[i];
	for (int i = 0; i < FP_NOTE__COUNT; i++)
		a->noted[i] += b->noted[i];
}

void fp_decode_stats_count_ok(struct fp_decode_stats *s, const struct fp_packet *p)
{
	s->decoded++;
	for (int i = 0; i < FP_NOTE__COUNT; i++)
		if (p->notes & (1u << i))
			s->noted[i]++;
}
