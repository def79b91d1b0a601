/*
 * decode-mpls.c - MPLS label stacks (EtherType 0x8847 unicast, 0x8848
 * multicast, PPP protocols 0x0281/0x0283).
 *
 * Labels are 4 bytes each; the walk stops after the entry with the
 * bottom-of-stack bit. MPLS does not say what it carries, so the payload is
 * guessed from its first nibble as every analyzer does: 4 is IPv4, 6 is
 * IPv6, 0 is the control word of an Ethernet pseudowire (RFC 4448): 4 bytes,
 * then an Ethernet frame whose EtherType continues the walk. Anything else
 * (OAM, other pseudowires) carries no IP that flowprep can use.
 */
#include "config.h"

#include "decode/decode-internal.h"

#define MPLS_ENTRY_LEN 4
#define MPLS_BOTTOM_OF_STACK 0x100
#define PW_CONTROL_WORD_LEN 4
#define PW_ETH_HEADER_LEN 14

enum fp_skip_reason fp_mpls_pop(struct fp_link_cursor *c)
{
	uint32_t entry;

	do {
		if (c->len < MPLS_ENTRY_LEN)
			return FP_SKIP_TRUNCATED;
		entry = fp_be32(c->p);
		c->p += MPLS_ENTRY_LEN;
		c->len -= MPLS_ENTRY_LEN;
	} while (!(entry & MPLS_BOTTOM_OF_STACK));

	if (c->len < 1)
		return FP_SKIP_TRUNCATED;
	switch (c->p[0] >> 4) {
	case 4:
		c->type = FP_ETH_IPV4;
		return FP_DECODE_OK;
	case 6:
		c->type = FP_ETH_IPV6;
		return FP_DECODE_OK;
	case 0:
		if (c->len < PW_CONTROL_WORD_LEN + PW_ETH_HEADER_LEN)
			return FP_SKIP_TRUNCATED;
		c->type = fp_be16(c->p + PW_CONTROL_WORD_LEN + 12);
		c->p += PW_CONTROL_WORD_LEN + PW_ETH_HEADER_LEN;
		c->len -= PW_CONTROL_WORD_LEN + PW_ETH_HEADER_LEN;
		return FP_DECODE_OK;
	default:
		return FP_SKIP_NON_IP;
	}
}
