/*
 * flow-key.h - from a packet to its direction-normalized flow key.
 *
 * Both directions of a conversation must produce the same key, and the
 * packet must say which side of that key sent it (so the engine can tell
 * forward from backward once it knows the initiator).
 */
#ifndef FP_FLOW_FLOW_KEY_H
#define FP_FLOW_FLOW_KEY_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "decode/packet.h"
#include "flow/flow.h"

/* What the key builder learns about one packet besides its key. */
struct fp_flow_key_side {
	bool sender_is_hi;	/* the packet was sent by key.hi (else key.lo) */
	bool opens_reversed;	/* as a flow's first packet it makes the receiver
				 * the initiator: TCP SYN+ACK, ICMP reply type */
};

/* Fills `k` (every byte, padding included) and `side` from `p`.
 * `key_vlan` puts p->vlan_id into the key. */
void fp_flow_key_from_packet(const struct fp_packet *p, bool key_vlan, struct fp_flow_key *k,
			     struct fp_flow_key_side *side);

/* 64-bit hash of the 40 key bytes under `seed`. Each engine has its own
 * seed (flow-engine.h), so keys crafted to collide under one seed spread
 * out under another; seed 0 gives the hash of versions before seeding. */
uint64_t fp_flow_key_hash(const struct fp_flow_key *k, uint64_t seed);

static inline bool fp_flow_key_equal(const struct fp_flow_key *a, const struct fp_flow_key *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* For ICMP (proto 1) and ICMPv6 (58): the request type a reply type
 * answers (echo reply 0 -> 8...), or -1 when `type` is not a reply. */
int fp_flow_icmp_request_of(uint8_t proto, uint16_t type);

#endif
