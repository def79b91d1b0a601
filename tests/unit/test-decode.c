/*
 * test-decode.c - fp_decode() on frames built in memory.
 *
 * Every link type, VLAN/QinQ/MPLS/PPPoE stacks, IPv4 options and fragments,
 * IPv6 extension headers and fragments, transport fields, every skip reason;
 * then every frame cut at every byte: the decoder must return TRUNCATED
 * exactly when the cut falls inside a header it needs, and otherwise the
 * same view as for the whole frame. Frames are decoded from exactly-sized
 * heap copies at odd addresses, so the sanitizers catch any read past the
 * capture and any misaligned load.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "../fixtures/pcap-builder.h"
#include "test.h"

#define TS 1700000000123456789LL

static uint8_t frame[PB_MAX_FRAME];

/* Decodes the first `caplen` bytes of `data` (wire length `wirelen`) from
 * a heap copy of exactly that size placed at an odd address. */
static enum fp_skip_reason decode_copy(int linktype, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
				       struct fp_packet *out)
{
	uint8_t *mem = malloc(caplen + 1);
	enum fp_skip_reason r;

	memcpy(mem + 1, data, caplen);
	memset(out, 0xa5, sizeof(*out));	/* every field must be written */
	r = fp_decode(linktype, mem + 1, caplen, wirelen, TS, out);
	/* the view's pointers must point into the copy; rebase them onto `data` */
	if (r == FP_DECODE_OK) {
		const uint8_t *base = mem + 1;

		CHECK(out->l3 >= base && out->l3 < base + caplen);
		out->l3 = data + (out->l3 - base);
		if (out->l4 != NULL) {
			CHECK(out->l4 >= base && out->l4 <= base + caplen);
			out->l4 = data + (out->l4 - base);
		}
	}
	free(mem);
	return r;
}

/* Builds `pk` into `frame` and decodes it whole with `linktype`. */
static enum fp_skip_reason build_decode(const struct pb_packet *pk, int linktype, struct fp_packet *out,
					struct pb_layout *lay)
{
	struct pb_layout l;
	uint32_t len = pb_build(pk, frame, sizeof(frame), &l);

	CHECK(len > 0);
	if (lay != NULL)
		*lay = l;
	return decode_copy(linktype, frame, len, len, out);
}

/* The fields every decoded TCP/UDP/ICMP packet must match against the
 * builder's description and layout. */
static void check_view(const struct fp_packet *p, const struct pb_packet *pk, const struct pb_layout *lay)
{
	static const uint8_t zero[12];

	CHECK_EQ_INT(p->ts_ns, TS);
	CHECK_EQ_INT(p->wire_len, lay->len);
	CHECK_EQ_INT(p->cap_len, lay->len);
	CHECK_EQ_INT(p->ip_version, pk->ip_version);
	CHECK_EQ_INT(p->proto, pk->proto);
	if (pk->ip_version == 4) {
		CHECK(memcmp(p->src_addr, pk->src, 4) == 0);
		CHECK(memcmp(p->dst_addr, pk->dst, 4) == 0);
		CHECK(memcmp(p->src_addr + 4, zero, 12) == 0);
		CHECK(memcmp(p->dst_addr + 4, zero, 12) == 0);
	} else {
		CHECK(memcmp(p->src_addr, pk->src, 16) == 0);
		CHECK(memcmp(p->dst_addr, pk->dst, 16) == 0);
	}
	if (pk->proto == 1 || pk->proto == 58) {
		CHECK_EQ_INT(p->src_port, pk->icmp_type);
		CHECK_EQ_INT(p->dst_port, pk->icmp_code);
	} else {
		CHECK_EQ_INT(p->src_port, pk->sport);
		CHECK_EQ_INT(p->dst_port, pk->dport);
	}
	CHECK_EQ_INT(p->ip_len, lay->ip_len);
	CHECK_EQ_INT(p->ip_hdr_len, lay->ip_hdr_len);
	CHECK_EQ_INT(p->l4_hdr_len, lay->l4_hdr_len);
	CHECK_EQ_INT(p->payload_len, lay->ip_len - lay->ip_hdr_len - lay->l4_hdr_len);
	CHECK_EQ_INT(p->ttl, pk->ttl ? pk->ttl : 64);
	CHECK(p->has_transport);
	CHECK(p->l3 == frame + lay->l3_off);
	CHECK(p->l4 == frame + lay->l4_off);
	if (pk->proto == 6) {
		CHECK_EQ_INT(p->tcp_flags, pk->tcp_flags);
		CHECK_EQ_INT(p->tcp_window, pk->window ? pk->window : 65535);
	} else {
		CHECK_EQ_INT(p->tcp_flags, 0);
		CHECK_EQ_INT(p->tcp_window, 0);
	}
}

static void test_ethernet_ipv4_tcp(void)
{
	struct pb_packet pk;
	struct pb_layout lay;
	struct fp_packet p;

	pb_tcp(&pk, PB_LINK_ETHERNET, "192.0.2.1", 40000, "198.51.100.2", 443, FP_TCP_SYN | FP_TCP_ECE, 0);
	pk.tcp_opt_len = 20;
	pk.window = 29200;
	pk.ttl = 57;
	CHECK_EQ_INT(build_decode(&pk, PB_LINK_ETHERNET, &p, &lay), FP_DECODE_OK);
	check_view(&p, &pk, &lay);
	CHECK_EQ_INT(p.ip_len, 60);
	CHECK_EQ_INT(p.l4_hdr_len, 40);
	CHECK_EQ_INT(p.payload_len, 0);
	CHECK_EQ_INT(p.cap_len, 74);
	CHECK_EQ_INT(p.vlan_id, 0);
	CHECK(!p.is_fragment);
	CHECK_EQ_INT(p.frag_id, 0);
	CHECK_EQ_INT(p.frag_offset, 0);

	/* a short frame: Ethernet padding must not count */
	pb_udp(&pk, PB_LINK_ETHERNET, "192.0.2.1", 53, "192.0.2.2", 5353, 2);
	CHECK_EQ_INT(build_decode(&pk, PB_LINK_ETHERNET, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(lay.len, 60);
	CHECK_EQ_INT(p.ip_len, 30);
	CHECK_EQ_INT(p.payload_len, 2);
	check_view(&p, &pk, &lay);
}

/* A UDP packet over each link type the builder makes, decoded with each
 * link type value that names that encapsulation. */
static void test_link_types(void)
{
	static const struct {
		int build, decode, ipv6;
	} cases[] = {
		{ PB_LINK_ETHERNET, 1, 0 }, { PB_LINK_ETHERNET, 1, 1 }, { PB_LINK_SLL, 113, 0 },
		{ PB_LINK_SLL, 113, 1 },    { PB_LINK_SLL2, 276, 0 },   { PB_LINK_SLL2, 276, 1 },
		{ PB_LINK_NULL, 0, 0 },	    { PB_LINK_NULL, 0, 1 },	{ PB_LINK_LOOP, 108, 0 },
		{ PB_LINK_LOOP, 108, 1 },   { PB_LINK_RAW, 101, 0 },	{ PB_LINK_RAW, 101, 1 },
		{ PB_LINK_RAW, 12, 0 },	    { PB_LINK_RAW, 14, 1 },	{ PB_LINK_RAW, 228, 0 },
		{ PB_LINK_RAW, 229, 1 },    { PB_LINK_PPP, 9, 0 },	{ PB_LINK_PPP, 9, 1 },
		{ PB_LINK_PPP, 50, 0 },	    { PB_LINK_PPP, 50, 1 },
	};
	struct pb_packet pk;
	struct pb_layout lay;
	struct fp_packet p;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].ipv6)
			pb_udp(&pk, cases[i].build, "2001:db8::1", 1000 + (uint16_t)i, "2001:db8::2", 53, 33);
		else
			pb_udp(&pk, cases[i].build, "10.9.8.7", 1000 + (uint16_t)i, "10.6.5.4", 53, 33);
		CHECK(fp_decode_link_supported(cases[i].decode));
		CHECK_EQ_INT(build_decode(&pk, cases[i].decode, &p, &lay), FP_DECODE_OK);
		check_view(&p, &pk, &lay);
	}
	/* the wrong IP version for LINKTYPE_IPV4/IPV6 */
	pb_udp(&pk, PB_LINK_RAW, "2001:db8::1", 1, "2001:db8::2", 2, 0);
	CHECK_EQ_INT(build_decode(&pk, 228, &p, NULL), FP_SKIP_BAD_IP_HEADER);
	pb_udp(&pk, PB_LINK_RAW, "10.0.0.1", 1, "10.0.0.2", 2, 40);
	CHECK_EQ_INT(build_decode(&pk, 229, &p, NULL), FP_SKIP_BAD_IP_HEADER);
	CHECK(!fp_decode_link_supported(65000));
	CHECK(!fp_decode_link_supported(271));	/* vsock */
}

/* Frames the builder does not make: assembled by hand around a raw IP
 * packet. `prefix` goes before the IP packet. */
static enum fp_skip_reason wrapped(int linktype, const uint8_t *prefix, uint32_t prefix_len, const struct pb_packet *ip,
				   struct fp_packet *out)
{
	static uint8_t buf[PB_MAX_FRAME];
	struct pb_packet raw = *ip;
	uint32_t len;

	raw.linktype = PB_LINK_RAW;
	memcpy(buf, prefix, prefix_len);
	len = pb_build(&raw, buf + prefix_len, sizeof(buf) - prefix_len, NULL);
	CHECK(len > 0);
	return decode_copy(linktype, buf, prefix_len + len, prefix_len + len, out);
}

static void test_hand_made_links(void)
{
	static const uint8_t null_swapped[] = { 0, 0, 0, 2 };		/* AF_INET from the other byte order */
	static const uint8_t null_swapped6[] = { 0, 0, 0, 30 };	/* Darwin AF_INET6, other byte order */
	static const uint8_t null_freebsd6[] = { 28, 0, 0, 0 };
	static const uint8_t ppp_bare[] = { 0x00, 0x21 };			/* no address/control */
	static const uint8_t ppp_pfc[] = { 0x21 };				/* compressed protocol field */
	static const uint8_t chdlc[] = { 0x0f, 0x00, 0x08, 0x00 };
	static const uint8_t serial_chdlc[] = { 0x8f, 0x00, 0x86, 0xdd };
	static const uint8_t pppoe[] = { 0x11, 0x00, 0x12, 0x34, 0x00, 0x40, 0x00, 0x21 };
	static const uint8_t fddi[] = { 0x50, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00 };
	static const uint8_t radiotap_qos[] = {
		0, 0, 8, 0, 0, 0, 0, 0,					/* radiotap: 8 bytes, nothing present */
		0x88, 0x02, 0, 0, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 0, 0,	/* QoS data, from DS */
		0x00, 0x00,						/* QoS control */
		0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00,
	};
	static const uint8_t radiotap_pad[] = {
		0, 0, 20, 0, 0x03, 0, 0, 0,				/* 20 bytes; TSFT + Flags present */
		1, 2, 3, 4, 5, 6, 7, 8,					/* TSFT */
		0x20, 0, 0, 0,						/* Flags: data pad; room for more */
	};
	static const uint8_t nflog_tlvs[] = {
		2, 0, 0, 1,						/* AF_INET, version 0, resource 1 */
		8, 0, 1, 0, 0x08, 0x00, 0x03, 0x00,			/* NFULA_PACKET_HDR (host order) */
		0, 0, 9, 0,						/* NFULA_PAYLOAD; length filled below */
	};
	uint8_t buf[128];
	struct pb_packet pk;
	struct fp_packet p;

	pb_tcp(&pk, PB_LINK_RAW, "10.1.1.1", 1234, "10.2.2.2", 80, FP_TCP_ACK, 10);
	CHECK_EQ_INT(wrapped(0, null_swapped, 4, &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.dst_port, 80);
	CHECK_EQ_INT(wrapped(9, ppp_bare, 2, &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(wrapped(9, ppp_pfc, 1, &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(wrapped(104, chdlc, 4, &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.src_port, 1234);
	CHECK_EQ_INT(wrapped(51, pppoe, 8, &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(wrapped(10, fddi, sizeof(fddi), &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.ip_len, 50);
	CHECK_EQ_INT(wrapped(127, radiotap_qos, sizeof(radiotap_qos), &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(wrapped(105, radiotap_qos + 8, sizeof(radiotap_qos) - 8, &pk, &p), FP_DECODE_OK);
	/* with the data-pad flag, the 26-byte QoS header is padded to 28 */
	memcpy(buf, radiotap_pad, sizeof(radiotap_pad));
	memcpy(buf + 20, radiotap_qos + 8, 26);
	buf[46] = buf[47] = 0;
	memcpy(buf + 48, radiotap_qos + 34, 8);
	CHECK_EQ_INT(wrapped(127, buf, 56, &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.dst_port, 80);
	/* a protected (encrypted) data frame carries no readable IP */
	memcpy(buf, radiotap_qos, sizeof(radiotap_qos));
	buf[9] |= 0x40;
	CHECK_EQ_INT(wrapped(127, buf, sizeof(radiotap_qos), &pk, &p), FP_SKIP_NON_IP);

	memcpy(buf, nflog_tlvs, sizeof(nflog_tlvs));
	{
		uint16_t tlv_len = 4 + 50;	/* host byte order */

		memcpy(buf + 12, &tlv_len, 2);
		tlv_len = 8;
		memcpy(buf + 4, &tlv_len, 2);
		tlv_len = 1;
		memcpy(buf + 6, &tlv_len, 2);
		tlv_len = 9;
		memcpy(buf + 14, &tlv_len, 2);
	}
	CHECK_EQ_INT(wrapped(239, buf, sizeof(nflog_tlvs), &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.ip_len, 50);
	CHECK_EQ_INT(p.src_port, 1234);

	pb_udp(&pk, PB_LINK_RAW, "2001:db8::1", 5, "2001:db8::2", 6, 0);
	CHECK_EQ_INT(wrapped(0, null_swapped6, 4, &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(wrapped(0, null_freebsd6, 4, &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(wrapped(50, serial_chdlc, 4, &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.ip_version, 6);
}

/* PPP (DLT 9) carrying Cisco HDLC, as Wireshark decodes it; PPI (DLT 192)
 * around other link types, and its malformed headers. */
static void test_chdlc_in_ppp_and_ppi(void)
{
	static const uint8_t chdlc_uni[] = { 0x0f, 0x00, 0x08, 0x00 };
	static const uint8_t chdlc_bcast[] = { 0x8f, 0x00, 0x08, 0x00 };
	static const uint8_t chdlc_slarp[] = { 0x8f, 0x00, 0x80, 0x35 };	/* SLARP: keepalives, no IP */
	/* version 0, flags 0, length 8 + 12 (LE), DLT 101 (LE), then a field:
	 * type 2 (802.11-common, LE), length 8, 8 bytes */
	uint8_t ppi[20] = { 0, 0, 20, 0, 101, 0, 0, 0, 2, 0, 8, 0 };
	struct pb_packet pk;
	struct pb_layout lay;
	struct fp_packet p;

	pb_tcp(&pk, PB_LINK_RAW, "10.1.1.1", 1234, "10.2.2.2", 80, FP_TCP_ACK, 10);
	CHECK_EQ_INT(wrapped(9, chdlc_uni, 4, &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.dst_port, 80);
	CHECK_EQ_INT(wrapped(9, chdlc_bcast, 4, &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(wrapped(9, chdlc_slarp, 4, &pk, &p), FP_SKIP_NON_IP);
	CHECK_EQ_INT(decode_copy(9, chdlc_uni, 3, 3, &p), FP_SKIP_TRUNCATED);

	CHECK(fp_decode_link_supported(192));
	CHECK_EQ_INT(wrapped(192, ppi, sizeof(ppi), &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.src_port, 1234);
	CHECK_EQ_INT(p.ip_len, 50);
	CHECK_EQ_INT(p.wire_len, 70);
	ppi[0] = 1;	/* version 1 does not exist */
	CHECK_EQ_INT(wrapped(192, ppi, sizeof(ppi), &pk, &p), FP_SKIP_BAD_LINK_HEADER);
	ppi[0] = 0;
	ppi[2] = 7;	/* shorter than the header itself */
	CHECK_EQ_INT(wrapped(192, ppi, sizeof(ppi), &pk, &p), FP_SKIP_BAD_LINK_HEADER);
	ppi[2] = 0xff;	/* longer than the capture */
	CHECK_EQ_INT(wrapped(192, ppi, sizeof(ppi), &pk, &p), FP_SKIP_TRUNCATED);
	ppi[2] = 20;
	ppi[4] = 192;	/* PPI inside PPI */
	CHECK_EQ_INT(wrapped(192, ppi, sizeof(ppi), &pk, &p), FP_SKIP_BAD_LINK_HEADER);
	ppi[4] = 0xe8, ppi[5] = 0xfd;	/* 65000 */
	CHECK_EQ_INT(wrapped(192, ppi, sizeof(ppi), &pk, &p), FP_SKIP_UNSUPPORTED_LINK);
	ppi[4] = 101, ppi[5] = 0, ppi[7] = 1;	/* 101 + 2^24 */
	CHECK_EQ_INT(wrapped(192, ppi, sizeof(ppi), &pk, &p), FP_SKIP_UNSUPPORTED_LINK);
	CHECK_EQ_INT(decode_copy(192, ppi, 7, 7, &p), FP_SKIP_TRUNCATED);

	/* the builder's PPI around 802.11 */
	pb_udp(&pk, PB_LINK_PPI, "10.0.0.1", 5000, "10.0.0.2", 53, 30);
	pk.ppi_dlt = PB_LINK_IEEE802_11;
	CHECK_EQ_INT(build_decode(&pk, 192, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.dst_port, 53);
	CHECK_EQ_INT(p.ip_len, 58);
}

/* A first fragment that holds the ports but not the whole TCP header. */
static void test_split_transport_header(void)
{
	struct pb_packet pk;
	struct pb_layout lay;
	struct fp_packet p;

	for (int v = 4; v <= 6; v += 2) {
		pb_tcp(&pk, PB_LINK_ETHERNET, v == 4 ? "10.0.0.1" : "2001:db8::1", 40000,
		       v == 4 ? "10.0.0.2" : "2001:db8::2", 80, FP_TCP_PSH | FP_TCP_ACK, 0);
		if (v == 6) {
			pk.ext[0] = (struct pb_ext){ 44, 8 };
			pk.n_ext = 1;
		}
		pk.more_frags = true;
		pk.l4_keep = 8;
		CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
		CHECK_EQ_INT(p.src_port, 40000);
		CHECK_EQ_INT(p.dst_port, 80);
		CHECK_EQ_INT(p.tcp_flags, 0);	/* not in this fragment */
		CHECK_EQ_INT(p.tcp_window, 0);
		CHECK(p.has_transport && p.is_fragment);
		CHECK_EQ_INT(p.l4_hdr_len, 8);
		CHECK_EQ_INT(p.payload_len, 0);
		CHECK_EQ_INT(p.notes, 1u << FP_NOTE_TRANSPORT_HEADER_SPLIT);
	}
	/* 16 bytes: flags and window are there, checksum and urgent pointer not */
	pb_tcp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 40000, "10.0.0.2", 80, FP_TCP_PSH | FP_TCP_ACK, 0);
	pk.more_frags = true;
	pk.l4_keep = 16;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.tcp_flags, FP_TCP_PSH | FP_TCP_ACK);
	CHECK_EQ_INT(p.tcp_window, 65535);
	CHECK_EQ_INT(p.l4_hdr_len, 16);
	frame[lay.l4_off + 12] = 0x40;	/* data offset 4 is still wrong */
	CHECK_EQ_INT(decode_copy(1, frame, lay.len, lay.len, &p), FP_SKIP_BAD_TRANSPORT_HEADER);
	/* a whole header whose options go on in the next fragment */
	pk.l4_keep = 0;
	pk.tcp_opt_len = 20;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.notes, 0);
	frame[lay.l3_off + 3] -= 8;	/* the fragment holds 32 of the header's 40 bytes */
	CHECK_EQ_INT(decode_copy(1, frame, lay.len, lay.len, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.l4_hdr_len, 32);
	CHECK_EQ_INT(p.tcp_window, 65535);
	CHECK_EQ_INT(p.notes, 1u << FP_NOTE_TRANSPORT_HEADER_SPLIT);
	/* not a fragment: 8 bytes of TCP stay malformed */
	pb_tcp(&pk, PB_LINK_RAW, "10.0.0.1", 40000, "10.0.0.2", 80, FP_TCP_ACK, 0);
	pk.l4_keep = 8;
	CHECK_EQ_INT(build_decode(&pk, 101, &p, &lay), FP_SKIP_BAD_TRANSPORT_HEADER);
	/* a first fragment with fewer bytes than the ports */
	pk.more_frags = true;
	pk.l4_keep = 2;
	CHECK_EQ_INT(build_decode(&pk, 101, &p, &lay), FP_SKIP_BAD_TRANSPORT_HEADER);
	/* a UDP first fragment keyed on its ports; its length field unread */
	pb_udp(&pk, PB_LINK_RAW, "10.0.0.1", 5000, "10.0.0.2", 53, 0);
	pk.more_frags = true;
	pk.l4_keep = 4;
	CHECK_EQ_INT(build_decode(&pk, 101, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.dst_port, 53);
	CHECK_EQ_INT(p.l4_hdr_len, 4);
}

/* IP lengths beyond the frame with the wire length equal to the captured
 * one: a cut datagram, keyed on what is there, bytes to the frame's end. */
static void test_cut_datagrams(void)
{
	struct pb_packet pk;
	struct pb_layout lay;
	struct fp_packet p;

	pb_udp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 53, "10.0.0.2", 5353, 1200);
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.notes, 0);
	CHECK_EQ_INT(decode_copy(1, frame, lay.l3_off + 100, lay.l3_off + 100, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.ip_len, 100);
	CHECK_EQ_INT(p.payload_len, 100 - 28);
	CHECK_EQ_INT(p.src_port, 53);
	CHECK_EQ_INT(p.notes, 1u << FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE);
	/* a snaplen cut (wire length kept) is no such thing */
	CHECK_EQ_INT(decode_copy(1, frame, lay.l3_off + 100, lay.len, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.ip_len, 1228);
	CHECK_EQ_INT(p.notes, 0);
	/* cut before the ports or inside the IP header: truncated */
	CHECK_EQ_INT(decode_copy(1, frame, lay.l3_off + 23, lay.l3_off + 23, &p), FP_SKIP_TRUNCATED);
	CHECK_EQ_INT(decode_copy(1, frame, lay.l3_off + 19, lay.l3_off + 19, &p), FP_SKIP_TRUNCATED);
	/* the UDP length field is read when present */
	CHECK_EQ_INT(decode_copy(1, frame, lay.l3_off + 24, lay.l3_off + 24, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.l4_hdr_len, 4);

	/* TCP cut 10 bytes into its header */
	pb_tcp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 40000, "10.0.0.2", 80, FP_TCP_ACK, 1000);
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(decode_copy(1, frame, lay.l3_off + 30, lay.l3_off + 30, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.dst_port, 80);
	CHECK_EQ_INT(p.tcp_flags, 0);
	CHECK_EQ_INT(p.ip_len, 30);
	CHECK_EQ_INT(p.l4_hdr_len, 10);
	CHECK_EQ_INT(p.payload_len, 0);

	/* IPv6, also with an extension header cut short: truncated */
	pb_udp(&pk, PB_LINK_ETHERNET, "2001:db8::1", 53, "2001:db8::2", 5353, 1200);
	pk.ext[0] = (struct pb_ext){ 60, 16 };
	pk.n_ext = 1;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(decode_copy(1, frame, lay.l4_off + 8, lay.l4_off + 8, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.ip_len, 40 + 16 + 8);
	CHECK_EQ_INT(p.dst_port, 5353);
	CHECK_EQ_INT(p.notes, 1u << FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE);
	CHECK_EQ_INT(decode_copy(1, frame, lay.l3_off + 50, lay.l3_off + 50, &p), FP_SKIP_TRUNCATED);

	/* IP versions other than 4 and 6 stay rejected wherever they appear */
	pb_udp(&pk, PB_LINK_RAW, "10.0.0.1", 1, "10.0.0.2", 2, 10);
	for (int v = 0; v < 16; v++) {
		if (v == 4 || v == 6)
			continue;
		CHECK_EQ_INT(build_decode(&pk, 101, &p, &lay), FP_DECODE_OK);
		frame[0] = (uint8_t)(v << 4 | 5);
		CHECK_EQ_INT(decode_copy(101, frame, lay.len, lay.len, &p), FP_SKIP_BAD_IP_HEADER);
		CHECK_EQ_INT(decode_copy(228, frame, lay.len, lay.len, &p), FP_SKIP_BAD_IP_HEADER);
	}
}

static void test_notes(void)
{
	struct fp_decode_stats a = { 0 }, b = { 0 };
	struct fp_packet p;

	for (int n = 0; n < FP_NOTE__COUNT; n++) {
		CHECK(strcmp(fp_note_name((enum fp_note)n), "unknown") != 0);
		for (int r = 0; r < FP_SKIP__COUNT; r++)
			CHECK(strcmp(fp_note_name((enum fp_note)n), fp_skip_reason_name((enum fp_skip_reason)r)) != 0);
	}
	CHECK_EQ_STR(fp_note_name(FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE), "ip-length-exceeds-capture");
	CHECK_EQ_STR(fp_note_name(FP_NOTE__COUNT), "unknown");
	CHECK(FP_NOTE__COUNT <= 8);	/* fp_packet.notes is 8 bits */
	p.notes = 1u << FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE | 1u << FP_NOTE_TRANSPORT_HEADER_SPLIT;
	fp_decode_stats_count_ok(&b, &p);
	p.notes = 0;
	fp_decode_stats_count_ok(&b, &p);
	fp_decode_stats_add(&a, &b);
	fp_decode_stats_add(&a, &b);
	CHECK_EQ_INT(a.decoded, 4);
	CHECK_EQ_INT(a.noted[FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE], 2);
	CHECK_EQ_INT(a.noted[FP_NOTE_TRANSPORT_HEADER_SPLIT], 2);
}

static void test_vlan_stacks(void)
{
	struct pb_packet pk;
	struct pb_layout lay;
	struct fp_packet p;

	pb_tcp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 1, "10.0.0.2", 2, FP_TCP_ACK, 100);
	pk.vlan[0] = 10;
	pk.n_vlan = 1;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.vlan_id, 10);
	check_view(&p, &pk, &lay);

	pk.vlan[0] = 100;
	pk.vlan_tpid[0] = 0x88a8;
	pk.vlan[1] = 4094;
	pk.n_vlan = 2;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.vlan_id, 100);
	check_view(&p, &pk, &lay);

	for (int i = 0; i < PB_MAX_VLANS; i++) {
		pk.vlan[i] = (uint16_t)(200 + i);
		pk.vlan_tpid[i] = i == 0 ? 0x9100 : 0x8100;
	}
	pk.n_vlan = PB_MAX_VLANS;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.vlan_id, 200);
	check_view(&p, &pk, &lay);

	/* a priority tag (VID 0) says nothing: the next tag's ID is kept */
	pk.vlan[0] = 0;
	pk.vlan[1] = 7;
	pk.vlan_tpid[0] = 0;
	pk.n_vlan = 2;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.vlan_id, 7);

	/* VLAN over SLL */
	pk.linktype = PB_LINK_SLL;
	pk.vlan[0] = 33;
	pk.n_vlan = 1;
	CHECK_EQ_INT(build_decode(&pk, 113, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.vlan_id, 33);
	check_view(&p, &pk, &lay);

	/* 802.3 + LLC/SNAP */
	pb_udp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 1, "10.0.0.2", 2, 300);
	pk.llc_snap = true;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	check_view(&p, &pk, &lay);
	CHECK_EQ_INT(lay.l3_off, 22);
}

static void test_mpls_pppoe(void)
{
	static const uint8_t pw[] = {
		0x00, 0x01, 0x01, 0x40,			/* label 16, bottom of stack */
		0x00, 0x00, 0x00, 0x00,			/* pseudowire control word */
		1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 0x81, 0x00, 0x00, 0x05, 0x08, 0x00,	/* Ethernet + VLAN 5 */
	};
	uint8_t eth[14 + sizeof(pw)] = { 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 0x88, 0x47 };
	struct pb_packet pk;
	struct pb_layout lay;
	struct fp_packet p;

	pb_tcp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 1, "10.0.0.2", 2, FP_TCP_ACK, 100);
	pk.mpls[0] = 16004;
	pk.mpls[1] = 24001;
	pk.n_mpls = 2;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	check_view(&p, &pk, &lay);
	CHECK_EQ_INT(lay.l3_off, 22);

	pb_udp(&pk, PB_LINK_ETHERNET, "2001:db8::1", 1, "2001:db8::2", 2, 10);
	pk.vlan[0] = 12;
	pk.n_vlan = 1;
	pk.mpls[0] = 3;
	pk.n_mpls = 1;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.vlan_id, 12);
	check_view(&p, &pk, &lay);

	memcpy(eth + 14, pw, sizeof(pw));
	pb_udp(&pk, PB_LINK_RAW, "10.0.0.1", 1, "10.0.0.2", 2, 10);
	CHECK_EQ_INT(wrapped(1, eth, sizeof(eth), &pk, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.vlan_id, 5);
	CHECK_EQ_INT(p.dst_port, 2);
	eth[14 + 8] = 0x10;	/* first nibble 1: not IP, not a control word */
	CHECK_EQ_INT(wrapped(1, eth, 14 + 8, &pk, &p), FP_SKIP_NON_IP);

	pb_tcp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 1, "10.0.0.2", 2, FP_TCP_ACK, 100);
	pk.pppoe = true;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	check_view(&p, &pk, &lay);
	pk.vlan[0] = 100;
	pk.vlan_tpid[0] = 0x88a8;
	pk.vlan[1] = 10;
	pk.n_vlan = 2;
	pb_tcp(&pk, PB_LINK_ETHERNET, "2001:db8::1", 1, "2001:db8::2", 2, FP_TCP_ACK, 100);
	pk.pppoe = true;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	check_view(&p, &pk, &lay);
	frame[lay.l3_off - 2] = 0xc0;	/* PPP protocol 0xc021: LCP */
	CHECK_EQ_INT(decode_copy(1, frame, lay.len, lay.len, &p), FP_SKIP_NON_IP);
	frame[lay.l3_off - 8] = 0x12;	/* PPPoE version/type */
	CHECK_EQ_INT(decode_copy(1, frame, lay.len, lay.len, &p), FP_SKIP_BAD_LINK_HEADER);
}

static void test_ipv4_options_and_fragments(void)
{
	struct pb_packet pk;
	struct pb_layout lay;
	struct fp_packet p;

	pb_tcp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 1, "10.0.0.2", 2, FP_TCP_PSH | FP_TCP_ACK, 100);
	pk.ipv4_opt_len = 40;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.ip_hdr_len, 60);
	check_view(&p, &pk, &lay);

	/* a first fragment carries its transport header */
	pb_udp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 7000, "10.0.0.2", 7001, 1472);
	pk.ip_id = 0xbeef;
	pk.udp_len = 3008;
	pk.more_frags = true;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	check_view(&p, &pk, &lay);
	CHECK(p.is_fragment);
	CHECK_EQ_INT(p.frag_id, 0xbeef);
	CHECK_EQ_INT(p.frag_offset, 0);

	/* a later one does not */
	pk.no_l4 = true;
	pk.frag_offset = 1480;
	pk.payload_len = 1480;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK(p.is_fragment);
	CHECK(!p.has_transport);
	CHECK(p.l4 == NULL);
	CHECK_EQ_INT(p.proto, 17);
	CHECK_EQ_INT(p.frag_id, 0xbeef);
	CHECK_EQ_INT(p.frag_offset, 1480);
	CHECK_EQ_INT(p.src_port, 0);
	CHECK_EQ_INT(p.dst_port, 0);
	CHECK_EQ_INT(p.l4_hdr_len, 0);
	CHECK_EQ_INT(p.ip_len, 1500);
	CHECK_EQ_INT(p.payload_len, 1480);
	CHECK_EQ_INT(p.tcp_flags, 0);

	/* the last one (MF clear, offset > 0) too */
	pk.more_frags = false;
	pk.frag_offset = 2960;
	pk.payload_len = 48;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK(p.is_fragment && !p.has_transport);
	CHECK_EQ_INT(p.frag_offset, 2960);

	/* DF alone is no fragment */
	pb_udp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 7000, "10.0.0.2", 7001, 10);
	pk.dont_fragment = true;
	pk.ip_id = 77;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK(!p.is_fragment);
	CHECK_EQ_INT(p.frag_id, 0);
}

static void test_ipv6_extensions(void)
{
	static const uint8_t types[] = { 0, 60, 43, 51, 60 };
	static const uint16_t lens[] = { 8, 16, 24, 12, 8 };
	struct pb_packet pk;
	struct pb_layout lay;
	struct fp_packet p;

	pb_tcp(&pk, PB_LINK_ETHERNET, "2001:db8::1", 1, "2001:db8::2", 2, FP_TCP_SYN, 0);
	for (int i = 0; i < 5; i++)
		pk.ext[i] = (struct pb_ext){ types[i], lens[i] };
	pk.n_ext = 5;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.ip_hdr_len, 40 + 8 + 16 + 24 + 12 + 8);
	check_view(&p, &pk, &lay);

	/* 16 extension headers are walked, a 17th is too many */
	pb_udp(&pk, PB_LINK_ETHERNET, "2001:db8::1", 1, "2001:db8::2", 2, 4);
	for (int i = 0; i < 17; i++)
		pk.ext[i] = (struct pb_ext){ 60, 8 };
	pk.n_ext = 16;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	check_view(&p, &pk, &lay);
	pk.n_ext = 17;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_SKIP_BAD_IPV6_EXTENSION);

	/* hop-by-hop only first */
	pk.ext[0] = (struct pb_ext){ 60, 8 };
	pk.ext[1] = (struct pb_ext){ 0, 8 };
	pk.n_ext = 2;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_SKIP_BAD_IPV6_EXTENSION);

	/* an extension header longer than the payload length says */
	pk.ext[0] = (struct pb_ext){ 0, 8 };
	pk.ext[1] = (struct pb_ext){ 60, 16 };
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	frame[lay.l3_off + 48 + 1] = 200;	/* dst-opts length (200+1)*8 */
	CHECK_EQ_INT(decode_copy(1, frame, lay.len, lay.len, &p), FP_SKIP_BAD_IPV6_EXTENSION);

	/* no next header, ESP, mobility: flows of that protocol without ports */
	pb_udp(&pk, PB_LINK_RAW, "2001:db8::1", 1, "2001:db8::2", 2, 0);
	pk.ext[0] = (struct pb_ext){ 0, 8 };
	pk.n_ext = 1;
	pk.no_l4 = true;
	for (int i = 0; i < 3; i++) {
		static const uint8_t protos[] = { 59, 50, 135 };

		pk.proto = protos[i];
		pk.payload_len = i == 0 ? 0 : 24;
		CHECK_EQ_INT(build_decode(&pk, 101, &p, &lay), FP_DECODE_OK);
		CHECK_EQ_INT(p.proto, protos[i]);
		CHECK_EQ_INT(p.src_port, 0);
		CHECK_EQ_INT(p.dst_port, 0);
		CHECK(p.has_transport);
		CHECK_EQ_INT(p.ip_hdr_len, 48);
		CHECK_EQ_INT(p.payload_len, pk.payload_len);
	}
}

static void test_ipv6_fragments(void)
{
	struct pb_packet pk;
	struct pb_layout lay;
	struct fp_packet p;

	pb_udp(&pk, PB_LINK_ETHERNET, "2001:db8::1", 7000, "2001:db8::2", 7001, 1224);
	pk.ext[0] = (struct pb_ext){ 0, 8 };
	pk.ext[1] = (struct pb_ext){ 44, 8 };
	pk.n_ext = 2;
	pk.frag_id = 0xabcdef01;
	pk.udp_len = 2008;
	pk.more_frags = true;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	check_view(&p, &pk, &lay);
	CHECK(p.is_fragment);
	CHECK_EQ_INT(p.frag_id, 0xabcdef01);
	CHECK_EQ_INT(p.ip_hdr_len, 56);

	pk.no_l4 = true;
	pk.frag_offset = 1232;
	pk.more_frags = false;
	pk.payload_len = 776;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK(p.is_fragment && !p.has_transport && p.l4 == NULL);
	CHECK_EQ_INT(p.proto, 17);
	CHECK_EQ_INT(p.frag_offset, 1232);
	CHECK_EQ_INT(p.frag_id, 0xabcdef01);
	CHECK_EQ_INT(p.ip_len, 40 + 16 + 776);
	CHECK_EQ_INT(p.payload_len, 776);
	CHECK_EQ_INT(p.src_port, 0);

	/* an atomic fragment (offset 0, M clear) is a whole datagram */
	pb_udp(&pk, PB_LINK_ETHERNET, "2001:db8::1", 7000, "2001:db8::2", 7001, 10);
	pk.ext[0] = (struct pb_ext){ 44, 8 };
	pk.n_ext = 1;
	pk.frag_id = 5;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK(!p.is_fragment);
	check_view(&p, &pk, &lay);
}

/* IPv6 jumbogram (RFC 2675) and offload super-frames with length 0. */
static void test_zero_lengths(void)
{
	static uint8_t big[40 + 8 + 20 + 65600];
	struct pb_packet pk;
	struct pb_layout lay;
	struct fp_packet p;
	uint32_t jumbo = 8 + 20 + 65600;

	memset(big, 0, sizeof(big));
	big[0] = 0x60;
	big[6] = 0;		/* hop-by-hop */
	big[7] = 64;
	big[40] = 6;		/* then TCP */
	big[42] = 0xc2;		/* Jumbo Payload option */
	big[43] = 4;
	big[44] = (uint8_t)(jumbo >> 24);
	big[45] = (uint8_t)(jumbo >> 16);
	big[46] = (uint8_t)(jumbo >> 8);
	big[47] = (uint8_t)jumbo;
	big[48 + 1] = 80;	/* source port 80 */
	big[48 + 12] = 0x50;
	CHECK_EQ_INT(decode_copy(229, big, sizeof(big), sizeof(big), &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.ip_len, sizeof(big));
	CHECK_EQ_INT(p.payload_len, 65600);
	CHECK_EQ_INT(p.src_port, 80);
	/* captured to 200 bytes: lengths still from the header */
	CHECK_EQ_INT(decode_copy(229, big, 200, sizeof(big), &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.ip_len, sizeof(big));
	/* a jumbo length beyond the wire: a cut datagram, ending with the frame */
	CHECK_EQ_INT(decode_copy(229, big, 200, sizeof(big) - 1, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.ip_len, sizeof(big) - 1);
	CHECK_EQ_INT(p.notes, 1u << FP_NOTE_IP_LENGTH_EXCEEDS_CAPTURE);

	/* IPv4 total length 0 (TSO): the datagram is what was on the wire */
	pb_tcp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 1, "10.0.0.2", 2, FP_TCP_ACK, 3000);
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	frame[lay.l3_off + 2] = frame[lay.l3_off + 3] = 0;
	CHECK_EQ_INT(decode_copy(1, frame, 100, lay.len, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.ip_len, 3040);
	CHECK_EQ_INT(p.payload_len, 3000);
}

static void test_transport(void)
{
	struct pb_packet pk;
	struct pb_layout lay;
	struct fp_packet p;

	pb_icmp(&pk, PB_LINK_ETHERNET, "10.0.0.1", "10.0.0.2", 3, 13, 28);
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	check_view(&p, &pk, &lay);
	CHECK_EQ_INT(p.src_port, 3);
	CHECK_EQ_INT(p.dst_port, 13);
	CHECK_EQ_INT(p.l4_hdr_len, 8);

	pb_icmp(&pk, PB_LINK_ETHERNET, "2001:db8::1", "2001:db8::2", 129, 0, 56);
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	check_view(&p, &pk, &lay);
	CHECK_EQ_INT(p.proto, FP_PROTO_ICMPV6);

	pb_udp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 2905, "10.0.0.2", 2905, 100);
	pk.proto = FP_PROTO_SCTP;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.l4_hdr_len, 12);
	check_view(&p, &pk, &lay);

	/* GRE: a flow of protocol 47 without ports; the tunnel is not opened */
	pb_udp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 0, "10.0.0.2", 0, 100);
	pk.proto = 47;
	pk.no_l4 = true;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(p.proto, 47);
	CHECK(p.has_transport && !p.is_fragment);
	CHECK_EQ_INT(p.src_port, 0);
	CHECK_EQ_INT(p.l4_hdr_len, 0);
	CHECK_EQ_INT(p.payload_len, 100);

	/* TCP options cut by the snaplen: the fixed 20 bytes suffice */
	pb_tcp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 1, "10.0.0.2", 2, FP_TCP_SYN, 0);
	pk.tcp_opt_len = 20;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	CHECK_EQ_INT(decode_copy(1, frame, 14 + 20 + 20, lay.len, &p), FP_DECODE_OK);
	CHECK_EQ_INT(p.l4_hdr_len, 40);
	CHECK_EQ_INT(p.tcp_flags, FP_TCP_SYN);
	CHECK_EQ_INT(decode_copy(1, frame, 14 + 20 + 19, lay.len, &p), FP_SKIP_TRUNCATED);
}

static void test_skip_reasons(void)
{
	struct pb_packet pk;
	struct pb_layout lay;
	struct fp_packet p;
	const char *names[FP_SKIP__COUNT];

	for (int r = 0; r < FP_SKIP__COUNT; r++) {
		names[r] = fp_skip_reason_name((enum fp_skip_reason)r);
		CHECK(names[r] != NULL && strcmp(names[r], "unknown") != 0);
		for (int s = 0; s < r; s++)
			CHECK(strcmp(names[r], names[s]) != 0);
	}
	CHECK_EQ_STR(fp_skip_reason_name(FP_SKIP_TRUNCATED), "truncated");
	CHECK_EQ_STR(fp_skip_reason_name(FP_SKIP__COUNT), "unknown");

	pb_tcp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 1, "10.0.0.2", 2, FP_TCP_ACK, 10);
	CHECK_EQ_INT(build_decode(&pk, 65000, &p, &lay), FP_SKIP_UNSUPPORTED_LINK);
	CHECK_EQ_INT(decode_copy(1, frame, 13, 13, &p), FP_SKIP_TRUNCATED);

#define BROKEN(off, val, want)                                                  \
	do {                                                                    \
		uint8_t saved_ = frame[off];                                    \
		frame[off] = (val);                                             \
		CHECK_EQ_INT(decode_copy(1, frame, lay.len, lay.len, &p), want); \
		frame[off] = saved_;                                            \
	} while (0)

	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	BROKEN(12, 0x05, FP_SKIP_NON_IP);			/* 802.3 length 0x0500, no SNAP */
	BROKEN(lay.l3_off, 0x43, FP_SKIP_BAD_IP_HEADER);	/* IHL 3 */
	BROKEN(lay.l3_off, 0x65, FP_SKIP_BAD_IP_HEADER);	/* version 6 under EtherType IPv4 */
	BROKEN(lay.l3_off + 3, 19, FP_SKIP_BAD_IP_HEADER);	/* total length 19 < 20 */
	BROKEN(lay.l3_off + 2, 0x01, FP_DECODE_OK);		/* total length beyond the wire: noted */
	BROKEN(lay.l4_off + 12, 0x40, FP_SKIP_BAD_TRANSPORT_HEADER);	/* data offset 4 */
	BROKEN(lay.l4_off + 12, 0xf0, FP_SKIP_BAD_TRANSPORT_HEADER);	/* 60 bytes > the datagram */
	BROKEN(lay.l3_off + 3, 36, FP_SKIP_BAD_TRANSPORT_HEADER);	/* datagram too short for TCP */

	pb_udp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 1, "10.0.0.2", 2, 10);
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	BROKEN(lay.l4_off + 5, 7, FP_SKIP_BAD_TRANSPORT_HEADER);	/* UDP length 7 */
	BROKEN(lay.l4_off + 5, 0, FP_DECODE_OK);			/* UDP length 0 (jumbo/offload) */
	BROKEN(lay.l3_off + 3, 27, FP_SKIP_BAD_TRANSPORT_HEADER);	/* 7 bytes of UDP */

	pb_udp(&pk, PB_LINK_ETHERNET, "2001:db8::1", 1, "2001:db8::2", 2, 10);
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_DECODE_OK);
	BROKEN(lay.l3_off, 0x45, FP_SKIP_BAD_IP_HEADER);		/* version 4 under EtherType IPv6 */
	BROKEN(lay.l3_off + 4, 0x10, FP_DECODE_OK);			/* payload length beyond the wire: noted */
	BROKEN(lay.l3_off, 0x75, FP_SKIP_BAD_IP_HEADER);		/* version 7 */
	BROKEN(lay.l3_off + 5, 4, FP_SKIP_BAD_TRANSPORT_HEADER);	/* 4 bytes of UDP */
#undef BROKEN

	pb_udp(&pk, PB_LINK_ETHERNET, "10.0.0.1", 0, "10.0.0.2", 0, 0);
	pk.ethertype = 0x0806;
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_SKIP_NON_IP);
	pk.ethertype = 0x88cc;	/* LLDP */
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_SKIP_NON_IP);
	pk.ethertype = 0x05ff;	/* between 1500 and 0x0600: neither a length nor a type */
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_SKIP_BAD_LINK_HEADER);
	pk.ethertype = 0x0100;	/* an 802.3 length; the LLC is zeros (no SNAP) */
	CHECK_EQ_INT(build_decode(&pk, 1, &p, &lay), FP_SKIP_NON_IP);
}

/* The frames cut at every byte: a description, the link type to decode
 * with, and how many transport header bytes the decoder needs. */
struct cut_case {
	struct pb_packet pk;
	int linktype;
	uint32_t l4_need;
};

static int make_cut_cases(struct cut_case *c)
{
	int n = 0;

	pb_tcp(&c[n].pk, PB_LINK_ETHERNET, "10.0.0.1", 40000, "10.0.0.2", 80, FP_TCP_SYN, 0);
	c[n].pk.tcp_opt_len = 20;
	c[n].linktype = 1, c[n++].l4_need = 20;

	pb_udp(&c[n].pk, PB_LINK_ETHERNET, "2001:db8::1", 5000, "2001:db8::2", 53, 20);
	c[n].pk.vlan[0] = 100, c[n].pk.vlan_tpid[0] = 0x88a8, c[n].pk.vlan[1] = 10, c[n].pk.n_vlan = 2;
	c[n].pk.ext[0] = (struct pb_ext){ 0, 8 }, c[n].pk.ext[1] = (struct pb_ext){ 60, 16 }, c[n].pk.n_ext = 2;
	c[n].linktype = 1, c[n++].l4_need = 8;

	pb_icmp(&c[n].pk, PB_LINK_SLL, "10.0.0.1", "10.0.0.2", 8, 0, 20);
	c[n].linktype = 113, c[n++].l4_need = 4;

	pb_udp(&c[n].pk, PB_LINK_ETHERNET, "10.0.0.1", 5000, "10.0.0.2", 53, 30);
	c[n].pk.mpls[0] = 16004, c[n].pk.mpls[1] = 24001, c[n].pk.n_mpls = 2;
	c[n].linktype = 1, c[n++].l4_need = 8;

	pb_tcp(&c[n].pk, PB_LINK_ETHERNET, "2001:db8::1", 40000, "2001:db8::2", 80, FP_TCP_ACK, 50);
	c[n].pk.pppoe = true;
	c[n].linktype = 1, c[n++].l4_need = 20;

	pb_tcp(&c[n].pk, PB_LINK_NULL, "::1", 40000, "::1", 80, FP_TCP_ACK, 5);
	c[n].linktype = 0, c[n++].l4_need = 20;

	pb_udp(&c[n].pk, PB_LINK_RAW, "10.0.0.1", 2905, "10.0.0.2", 2905, 16);
	c[n].pk.proto = FP_PROTO_SCTP, c[n].pk.ipv4_opt_len = 8;
	c[n].linktype = 101, c[n++].l4_need = 12;

	pb_udp(&c[n].pk, PB_LINK_SLL2, "2001:db8::1", 7000, "2001:db8::2", 7001, 64);
	c[n].pk.ext[0] = (struct pb_ext){ 44, 8 }, c[n].pk.n_ext = 1, c[n].pk.more_frags = true;
	c[n].linktype = 276, c[n++].l4_need = 8;

	pb_udp(&c[n].pk, PB_LINK_ETHERNET, "10.0.0.1", 0, "10.0.0.2", 0, 64);
	c[n].pk.no_l4 = true, c[n].pk.frag_offset = 1480;
	c[n].linktype = 1, c[n++].l4_need = 0;

	pb_udp(&c[n].pk, PB_LINK_ETHERNET, "10.0.0.1", 5000, "10.0.0.2", 53, 30);
	c[n].pk.llc_snap = true;
	c[n].linktype = 1, c[n++].l4_need = 8;

	pb_udp(&c[n].pk, PB_LINK_PPP, "10.0.0.1", 5000, "10.0.0.2", 53, 30);
	c[n].linktype = 50, c[n++].l4_need = 8;

	pb_udp(&c[n].pk, PB_LINK_LOOP, "10.0.0.1", 5000, "10.0.0.2", 53, 0);
	c[n].pk.vlan[0] = 0;	/* unused on loopback */
	c[n].linktype = 108, c[n++].l4_need = 8;

	/* PPP carrying Cisco HDLC, over IPv6 */
	pb_tcp(&c[n].pk, PB_LINK_PPP, "2001:db8::1", 40000, "2001:db8::2", 80, FP_TCP_ACK, 30);
	c[n].pk.chdlc = true;
	c[n].linktype = 9, c[n++].l4_need = 20;

	/* PPI with fields around 802.11, and around Ethernet with VLAN */
	pb_udp(&c[n].pk, PB_LINK_PPI, "10.0.0.1", 5000, "10.0.0.2", 53, 30);
	c[n].pk.ppi_dlt = PB_LINK_IEEE802_11, c[n].pk.ppi_fields_len = 24;
	c[n].linktype = 192, c[n++].l4_need = 8;
	pb_tcp(&c[n].pk, PB_LINK_PPI, "10.0.0.1", 40000, "10.0.0.2", 80, FP_TCP_SYN, 0);
	c[n].pk.ppi_dlt = PB_LINK_ETHERNET, c[n].pk.vlan[0] = 5, c[n].pk.n_vlan = 1;
	c[n].linktype = 192, c[n++].l4_need = 20;

	/* plain 802.11 from the builder */
	pb_udp(&c[n].pk, PB_LINK_IEEE802_11, "10.0.0.1", 5000, "10.0.0.2", 53, 30);
	c[n].linktype = 105, c[n++].l4_need = 8;

	/* a first fragment with 8 bytes of TCP (under VLAN), and with 16 under PPP */
	pb_tcp(&c[n].pk, PB_LINK_ETHERNET, "10.0.0.1", 40000, "10.0.0.2", 80, FP_TCP_ACK, 0);
	c[n].pk.more_frags = true, c[n].pk.l4_keep = 8, c[n].pk.vlan[0] = 9, c[n].pk.n_vlan = 1;
	c[n].linktype = 1, c[n++].l4_need = 8;
	pb_tcp(&c[n].pk, PB_LINK_PPP, "10.0.0.1", 40000, "10.0.0.2", 80, FP_TCP_ACK, 0);
	c[n].pk.more_frags = true, c[n].pk.l4_keep = 16;
	c[n].linktype = 9, c[n++].l4_need = 16;
	return n;
}

#define MAX_CUT_CASES 24

static void test_cut_everywhere(void)
{
	struct cut_case cases[MAX_CUT_CASES];
	int n = make_cut_cases(cases);

	for (int i = 0; i < n; i++) {
		struct fp_packet whole, p;
		struct pb_layout lay;
		uint32_t need;

		CHECK_EQ_INT(build_decode(&cases[i].pk, cases[i].linktype, &whole, &lay), FP_DECODE_OK);
		need = lay.l4_off + cases[i].l4_need;
		for (uint32_t cut = 0; cut <= lay.len; cut++) {
			enum fp_skip_reason r = decode_copy(cases[i].linktype, frame, cut, lay.len, &p);

			if (cut < need) {
				if (r != FP_SKIP_TRUNCATED)
					fprintf(stderr, "case %d cut at %u of %u: %s\n", i, cut, lay.len,
						fp_skip_reason_name(r));
				CHECK_EQ_INT(r, FP_SKIP_TRUNCATED);
				continue;
			}
			CHECK_EQ_INT(r, FP_DECODE_OK);
			if (r != FP_DECODE_OK)
				continue;
			CHECK_EQ_INT(p.cap_len, cut);
			CHECK_EQ_INT(p.wire_len, lay.len);
			CHECK_EQ_INT(p.ip_len, whole.ip_len);
			CHECK_EQ_INT(p.ip_hdr_len, whole.ip_hdr_len);
			CHECK_EQ_INT(p.l4_hdr_len, whole.l4_hdr_len);
			CHECK_EQ_INT(p.payload_len, whole.payload_len);
			CHECK_EQ_INT(p.src_port, whole.src_port);
			CHECK_EQ_INT(p.dst_port, whole.dst_port);
			CHECK_EQ_INT(p.proto, whole.proto);
			CHECK_EQ_INT(p.vlan_id, whole.vlan_id);
			CHECK_EQ_INT(p.tcp_flags, whole.tcp_flags);
			CHECK_EQ_INT(p.is_fragment, whole.is_fragment);
			CHECK_EQ_INT(p.has_transport, whole.has_transport);
			CHECK_EQ_INT(p.notes, whole.notes);
			CHECK(memcmp(p.src_addr, whole.src_addr, 16) == 0);
		}
	}
}

/* What must hold for any view decode accepts, whatever the input. */
static void check_invariants(const struct fp_packet *p, const uint8_t *data)
{
	CHECK(p->ip_version == 4 || p->ip_version == 6);
	CHECK(p->ip_hdr_len <= p->ip_len);
	CHECK_EQ_INT((uint64_t)p->ip_hdr_len + p->l4_hdr_len + p->payload_len, p->ip_len);
	CHECK(p->ip_len <= p->wire_len);
	CHECK(p->l3 >= data && p->l3 < data + p->cap_len);
	CHECK((p->l4 == NULL) == !p->has_transport);
	CHECK(!(p->l4 == NULL) || p->is_fragment);
}

static uint64_t rng_state = 12345;

static uint32_t rnd(uint32_t n)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) % n);
}

/* Random bytes for every link type, and valid frames with a few bytes
 * changed: no crash, no sanitizer report, and the invariants. */
static void test_garbage(void)
{
	static const int links[] = { 0, 1, 9, 10, 12, 14, 50, 51, 101, 104, 105, 108, 113, 127, 192, 228, 229, 239, 276 };
	struct cut_case cases[MAX_CUT_CASES];
	int n = make_cut_cases(cases), ok = 0;
	uint8_t buf[256];
	struct fp_packet p;
	enum fp_skip_reason r;

	for (size_t l = 0; l < sizeof(links) / sizeof(links[0]); l++) {
		for (int i = 0; i < 2000; i++) {
			uint32_t len = rnd(sizeof(buf) + 1);

			for (uint32_t j = 0; j < len; j++)
				buf[j] = (uint8_t)rnd(256);
			/* make the first bytes look right now and then */
			if (len > 20 && rnd(2))
				buf[rnd(20)] = (uint8_t)(rnd(2) ? 0x45 : 0x60);
			r = decode_copy(links[l], buf, len, len + rnd(3) * rnd(2000), &p);
			CHECK((unsigned)r < FP_SKIP__COUNT);
			if (r == FP_DECODE_OK) {
				check_invariants(&p, buf);
				ok++;
			}
		}
	}
	for (int i = 0; i < n; i++) {
		struct pb_layout lay;

		pb_build(&cases[i].pk, frame, sizeof(frame), &lay);
		for (int k = 0; k < 3000; k++) {
			uint32_t len = lay.len < sizeof(buf) ? lay.len : sizeof(buf);

			memcpy(buf, frame, len);
			for (uint32_t m = 1 + rnd(4); m > 0; m--)
				buf[rnd(len)] = (uint8_t)rnd(256);
			len -= rnd(2) ? rnd(len) : 0;
			r = decode_copy(cases[i].linktype, buf, len, lay.len, &p);
			CHECK((unsigned)r < FP_SKIP__COUNT);
			if (r == FP_DECODE_OK) {
				check_invariants(&p, buf);
				ok++;
			}
		}
	}
	CHECK(ok > 1000);	/* the mutations must reach the decoded paths too */
}

int main(void)
{
	RUN(test_ethernet_ipv4_tcp);
	RUN(test_link_types);
	RUN(test_hand_made_links);
	RUN(test_chdlc_in_ppp_and_ppi);
	RUN(test_split_transport_header);
	RUN(test_cut_datagrams);
	RUN(test_notes);
	RUN(test_vlan_stacks);
	RUN(test_mpls_pppoe);
	RUN(test_ipv4_options_and_fragments);
	RUN(test_ipv6_extensions);
	RUN(test_ipv6_fragments);
	RUN(test_zero_lengths);
	RUN(test_transport);
	RUN(test_skip_reasons);
	RUN(test_cut_everywhere);
	RUN(test_garbage);
	return TEST_RESULT();
}
