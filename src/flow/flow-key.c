/*
 * flow-key.c - the direction-normalized key of a packet.
 *
 * Ports and addresses: the key's `lo` endpoint is the smaller (address,
 * port) pair, compared as memcmp orders the 16 address bytes, then port. Both
 * directions of a conversation therefore yield the same 40 bytes.
 *
 * ICMP and ICMPv6 have no ports; decode puts the type in src_port and the
 * code in dst_port. A reply type is mapped to its request type (echo reply
 * 0 -> echo 8, ...), the addresses are ordered alone, and the key stores
 * (request type, code) in (lo_port, hi_port) whichever address is lower, so
 * a request and its reply share a key. The sender's side comes from the
 * address order; when both addresses are equal, a reply is taken to come
 * from `hi` so that request and reply still get opposite directions.
 *
 * Invariant: the key's bytes depend only on the conversation, never on the
 * direction of the packet; the struct has no padding, and every byte is
 * written, so memcmp and hashing over all 40 bytes are sound. The hash
 * depends on the engine's seed too, and nothing that leaves the engine
 * depends on the hash (records, their order and end reasons come from the
 * engine's ordered lists, never from the index's slot order).
 */
#include "config.h"

#include <string.h>

#include "flow/flow-key.h"

_Static_assert(sizeof(struct fp_flow_key) == 40, "flow key must be 40 bytes without padding");

int fp_flow_icmp_request_of(uint8_t proto, uint16_t type)
{
	if (proto == FP_PROTO_ICMP) {
		switch (type) {
		case 0: return 8;	/* echo reply -> echo request */
		case 14: return 13;	/* timestamp reply */
		case 16: return 15;	/* information reply */
		case 18: return 17;	/* address mask reply */
		default: return -1;
		}
	}
	if (proto == FP_PROTO_ICMPV6) {
		switch (type) {
		case 129: return 128;	/* echo reply -> echo request */
		case 140: return 139;	/* node information reply -> query */
		default: return -1;
		}
	}
	return -1;
}

/* memcmp(a, b, 16)'s sign, as two big-endian 64-bit comparisons: no call,
 * no byte loop (it ran once per packet). */
static inline int addr_cmp(const uint8_t *a, const uint8_t *b)
{
	uint64_t x[2], y[2];

	memcpy(x, a, 16);
	memcpy(y, b, 16);
	for (int i = 0; i < 2; i++) {
		uint64_t p = __builtin_bswap64(x[i]), q = __builtin_bswap64(y[i]);

		if (p != q)
			return p < q ? -1 : 1;
	}
	return 0;
}

static void key_icmp(const struct fp_packet *p, struct fp_flow_key *k, struct fp_flow_key_side *side)
{
	int request = fp_flow_icmp_request_of(p->proto, p->src_port);
	bool reply = request >= 0;
	int c = addr_cmp(p->src_addr, p->dst_addr);

	side->sender_is_hi = c > 0 || (c == 0 && reply);
	side->opens_reversed = reply;
	if (side->sender_is_hi) {
		memcpy(k->lo_addr, p->dst_addr, 16);
		memcpy(k->hi_addr, p->src_addr, 16);
	} else {
		memcpy(k->lo_addr, p->src_addr, 16);
		memcpy(k->hi_addr, p->dst_addr, 16);
	}
	k->lo_port = reply ? (uint16_t)request : p->src_port;
	k->hi_port = p->dst_port;
}

static void key_ports(const struct fp_packet *p, struct fp_flow_key *k, struct fp_flow_key_side *side)
{
	int c = addr_cmp(p->src_addr, p->dst_addr);

	side->sender_is_hi = c > 0 || (c == 0 && p->src_port > p->dst_port);
	side->opens_reversed = p->proto == FP_PROTO_TCP && p->has_transport &&
			       (p->tcp_flags & (FP_TCP_SYN | FP_TCP_ACK)) == (FP_TCP_SYN | FP_TCP_ACK);
	if (side->sender_is_hi) {
		memcpy(k->lo_addr, p->dst_addr, 16);
		memcpy(k->hi_addr, p->src_addr, 16);
		k->lo_port = p->dst_port;
		k->hi_port = p->src_port;
	} else {
		memcpy(k->lo_addr, p->src_addr, 16);
		memcpy(k->hi_addr, p->dst_addr, 16);
		k->lo_port = p->src_port;
		k->hi_port = p->dst_port;
	}
}

void fp_flow_key_from_packet(const struct fp_packet *p, bool key_vlan, struct fp_flow_key *k,
			     struct fp_flow_key_side *side)
{
	bool icmp = (p->proto == FP_PROTO_ICMP || p->proto == FP_PROTO_ICMPV6) && p->has_transport;

	if (icmp)
		key_icmp(p, k, side);
	else
		key_ports(p, k, side);
	k->proto = p->proto;
	k->ip_version = p->ip_version;
	k->vlan_id = key_vlan ? p->vlan_id : 0;
}
