/*
 * packet.h - the packet view: what decode hands to the flow engine.
 *
 * A small struct of parsed fields and borrowed pointers into the captured
 * bytes. Decoding fills it without allocating and without reading past the
 * captured length; the pointers are valid only until the next packet.
 */
#ifndef FP_DECODE_PACKET_H
#define FP_DECODE_PACKET_H

#include <stdbool.h>
#include <stdint.h>

/* TCP flag bits as they appear in the header's 13th byte. */
#define FP_TCP_FIN 0x01
#define FP_TCP_SYN 0x02
#define FP_TCP_RST 0x04
#define FP_TCP_PSH 0x08
#define FP_TCP_ACK 0x10
#define FP_TCP_URG 0x20
#define FP_TCP_ECE 0x40
#define FP_TCP_CWR 0x80

#define FP_PROTO_ICMP 1
#define FP_PROTO_TCP 6
#define FP_PROTO_UDP 17
#define FP_PROTO_ICMPV6 58
#define FP_PROTO_SCTP 132

struct fp_packet {
	int64_t ts_ns;			/* capture time, ns since the Unix epoch */
	uint32_t wire_len;		/* frame length on the wire (pcap "len") */
	uint32_t cap_len;		/* bytes captured */

	uint8_t ip_version;		/* 4 or 6 */
	uint8_t proto;			/* IANA protocol of the transport header (after IPv6 extension headers) */
	uint16_t vlan_id;		/* outermost 802.1Q/802.1ad VLAN ID, 0 when untagged */
	uint8_t src_addr[16];		/* IPv4: 4 bytes then zeros; IPv6: 16 bytes */
	uint8_t dst_addr[16];

	/* TCP/UDP/SCTP ports in host order. ICMP and ICMPv6: src_port = type,
	 * dst_port = code, as flow tools do. 0 for other protocols and for
	 * non-first fragments (see is_fragment). */
	uint16_t src_port;
	uint16_t dst_port;

	uint32_t ip_len;		/* IP datagram length from the header: IPv4 total length, IPv6 40 + payload length */
	uint16_t ip_hdr_len;		/* IPv4 IHL*4; IPv6 40 + extension headers */
	uint16_t l4_hdr_len;		/* TCP data offset*4, UDP 8, ICMP 8 (0 when not parsed, e.g. later fragments) */
	uint32_t payload_len;		/* ip_len - ip_hdr_len - l4_hdr_len, 0 if that is negative */
	uint32_t l3_cap_len;		/* bytes captured from the IP header on (a snaplen cuts it short;
					 * link padding included): tools that count captured bytes */

	uint8_t tcp_flags;		/* FP_TCP_* */
	uint8_t ttl;			/* IPv4 TTL / IPv6 hop limit */
	uint16_t tcp_window;

	/* Fragments. A first fragment (offset 0, more fragments set) carries the
	 * transport header and ports like any packet; a later fragment has
	 * has_transport == false and is attributed to its flow by frag_id. */
	bool is_fragment;
	bool has_transport;		/* transport header parsed: ports, flags valid (0 for protocols
					 * without ports: GRE, ESP...). False only for later fragments. */
	uint16_t frag_offset;		/* in bytes */
	uint32_t frag_id;		/* IPv4 identification / IPv6 fragment identification */

	uint8_t notes;			/* 1 << enum fp_note for each note (decode.h) */

	const uint8_t *l3;		/* start of the (outermost) IP header */
	const uint8_t *l4;		/* start of the transport header, NULL for later fragments; TCP
					 * options may lie past the captured bytes (see decode-transport.c) */
};

#endif
