/*
 * linktype.c - link types as libpcap 1.10 maps them (see linktype.h).
 *
 * The map: LINKTYPE_ values in the "matching range" 104..289 are the DLT_
 * values too, except 106 (ATM_CLIP), 246 (PFSYNC) and 258 (PKTAP), whose
 * DLT_ differs between systems; below 104 a few old numbers differ (101 is
 * DLT_RAW, 12 on Linux and 14 on OpenBSD). Unknown values pass through.
 * The DLT_ macros come from libpcap's header, so this host's values are
 * used without calling libpcap.
 */
#include "config.h"

#include <pcap/dlt.h>
#include <stddef.h>
#include <string.h>

#include "source/linktype.h"

#define MATCHING_MIN 104
#define MATCHING_MAX 289

static const struct {
	int linktype, dlt;
} map[] = {
	{ 0, DLT_NULL }, { 1, DLT_EN10MB }, { 2, DLT_EN3MB }, { 3, DLT_AX25 }, { 4, DLT_PRONET },
	{ 5, DLT_CHAOS }, { 6, DLT_IEEE802 }, { 7, DLT_ARCNET }, { 8, DLT_SLIP }, { 9, DLT_PPP },
	{ 10, DLT_FDDI }, { 99, DLT_SYMANTEC_FIREWALL }, { 100, DLT_ATM_RFC1483 }, { 101, DLT_RAW },
	{ 102, DLT_SLIP_BSDOS }, { 103, DLT_PPP_BSDOS }, { 106, DLT_ATM_CLIP }, { 50, DLT_PPP_SERIAL },
	{ 51, DLT_PPP_ETHER },
};

int fp_linktype_to_dlt(int linktype)
{
	if (linktype == 246)
		return DLT_PFSYNC;
	if (linktype == 258)
		return DLT_PKTAP;
	if (linktype >= MATCHING_MIN && linktype <= MATCHING_MAX && linktype != 106)
		return linktype;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].linktype == linktype)
			return map[i].dlt;
	return linktype;
}

uint32_t fp_linktype_max_snaplen(int dlt)
{
	switch (dlt) {
	case DLT_DBUS: return 128u * 1024 * 1024;
	case DLT_EBHSCR: return 8u * 1024 * 1024;
	case DLT_USBPCAP: return 1024u * 1024;
	default: return 262144;
	}
}

uint32_t fp_linktype_adjust_snaplen(int dlt, uint32_t snaplen)
{
	uint32_t max = fp_linktype_max_snaplen(dlt);

	return snaplen == 0 || snaplen > max ? max : snaplen;
}

static void swap32_at(uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	v = __builtin_bswap32(v);
	memcpy(p, &v, 4);
}

static void swap16_at(uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	v = __builtin_bswap16(v);
	memcpy(p, &v, 2);
}

/* pflog: uid, pid, rule_uid, rule_pid at 44, 48, 52, 56, each if the
 * captured bytes, the wire length and the header's own length hold it. */
static void swap_pflog(uint8_t *d, uint32_t caplen, uint32_t wirelen)
{
	static const uint32_t at[] = { 44, 48, 52, 56 };

	if (caplen < 1)
		return;
	for (size_t i = 0; i < 4; i++) {
		uint32_t need = at[i] + 4;

		if (caplen < need || wirelen < need || d[0] < need)
			return;
		swap32_at(d + at[i]);
	}
}

/* Linux cooked capture (v1: 16-byte header, protocol at 14; v2: 20 bytes,
 * protocol at 0): a SocketCAN frame's CAN ID is in host order. */
static void swap_sll_can(uint8_t *d, uint32_t caplen, uint32_t wirelen, uint32_t hdr, uint32_t proto_at)
{
	uint16_t proto;

	if (caplen < hdr || wirelen < hdr)
		return;
	proto = (uint16_t)(d[proto_at] << 8 | d[proto_at + 1]);
	if (proto != 0x000c && proto != 0x000d)	/* LINUX_SLL_P_CAN, _CANFD */
		return;
	if (caplen < hdr + 4 || wirelen < hdr + 4)
		return;
	swap32_at(d + hdr);
}

/* NFLOG: a 4-byte header (version 0), then TLVs whose 16-bit length and
 * type are in host order; lengths are padded to 4. */
static void swap_nflog(uint8_t *d, uint32_t caplen, uint32_t wirelen)
{
	uint8_t *p = d + 4;

	if (caplen < 4 || wirelen < 4 || d[0] != 0)
		return;
	caplen -= 4, wirelen -= 4;
	while (caplen >= 4) {
		uint16_t len;
		uint32_t size;

		swap16_at(p);
		swap16_at(p + 2);
		memcpy(&len, p, 2);
		size = (uint32_t)len + (len % 4 != 0 ? 4 - len % 4 : 0);
		if (size < 4 || caplen < size || wirelen < size)
			return;
		caplen -= size, wirelen -= size;
		p += size;
	}
}

void fp_linktype_swap_pseudo_header(int dlt, uint8_t *data, uint32_t caplen, uint32_t wirelen)
{
	switch (dlt) {
	case DLT_PFLOG: swap_pflog(data, caplen, wirelen); break;
	case DLT_LINUX_SLL: swap_sll_can(data, caplen, wirelen, 16, 14); break;
	case DLT_LINUX_SLL2: swap_sll_can(data, caplen, wirelen, 20, 0); break;
	case DLT_NFLOG: swap_nflog(data, caplen, wirelen); break;
	default: break;
	}
}
