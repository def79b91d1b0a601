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
#include "lib/hash.h"

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

/*
 * 64-bit hash of the 40 key bytes under `seed`. Each engine has its own
 * seed (flow-engine.h), so keys crafted to collide under one seed spread
 * out under another.
 *
 * Each of the five 64-bit words, XORed with its own lane of the seed, is
 * multiplied by an odd constant into 128 bits whose halves are folded
 * together; the five products are independent (they overlap in the CPU,
 * where a chain of five mixer rounds waited on each other: 9 % of the
 * time on `medium`) and their sum goes through one final mixer, so every
 * input bit reaches the tag (the high half) and the home slot (its low
 * bits). Inline: it runs once per packet.
 */
__extension__ typedef unsigned __int128 fp_flow_u128;

static inline uint64_t fp_flow_fold_mul(uint64_t a, uint64_t b)
{
	fp_flow_u128 p = (fp_flow_u128)a * b;

	return (uint64_t)p ^ (uint64_t)(p >> 64);
}

static inline uint64_t fp_flow_key_hash(const struct fp_flow_key *k, uint64_t seed)
{
	uint64_t w[5], h;

	memcpy(w, k, sizeof(w));
	h = fp_flow_fold_mul(w[0] ^ seed, 0x9e3779b97f4a7c15ULL);
	h += fp_flow_fold_mul(w[1] ^ (seed + 0x632be59bd9b4e019ULL), 0xc2b2ae3d27d4eb4fULL);
	h += fp_flow_fold_mul(w[2] ^ (seed + 0x8cb92ba72f3d8dd7ULL), 0x165667b19e3779f9ULL);
	h += fp_flow_fold_mul(w[3] ^ (seed + 0xd6e8feb86659fd93ULL), 0xff51afd7ed558ccdULL);
	h += fp_flow_fold_mul(w[4] ^ (seed + 0xa0761d6478bd642fULL), 0xc4ceb9fe1a85ec53ULL);
	return fp_mix64(h ^ seed);
}

/* The 40 bytes as five words: no call, no byte loop. */
static inline bool fp_flow_key_equal(const struct fp_flow_key *a, const struct fp_flow_key *b)
{
	uint64_t x[5], y[5], d = 0;

	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	for (int i = 0; i < 5; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

/* For ICMP (proto 1) and ICMPv6 (58): the request type a reply type
 * answers (echo reply 0 -> 8...), or -1 when `type` is not a reply. */
int fp_flow_icmp_request_of(uint8_t proto, uint16_t type);

#endif
