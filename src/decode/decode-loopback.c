/*
 * decode-loopback.c - BSD loopback encapsulation: DLT_NULL (0) and DLT_LOOP
 * (108).
 *
 * A 4-byte address family, then the IP header. DLT_LOOP has it in network
 * byte order; DLT_NULL in the byte order of the host that captured, which
 * need not be ours: a value with bits in its upper half is taken as
 * byte-swapped (AF_ values are small). IPv6's AF_INET6 differs between the
 * BSDs, so all of its values are accepted.
 */
#include "config.h"

#include "decode/decode-internal.h"

#define NULL_HEADER_LEN 4
#define BSD_AF_INET 2
#define BSD_AF_INET6_BSD 24		/* NetBSD, OpenBSD, BSD/OS */
#define BSD_AF_INET6_FREEBSD 28
#define BSD_AF_INET6_DARWIN 30

enum fp_skip_reason fp_decode_null(struct fp_packet *pkt, const uint8_t *p, uint32_t len, int linktype)
{
	uint32_t family;

	if (len < NULL_HEADER_LEN)
		return FP_SKIP_TRUNCATED;
	if (linktype == FP_LINK_LOOP) {
		family = fp_be32(p);
	} else {
		family = fp_host32(p);
		if (family & 0xffff0000u)
			family = __builtin_bswap32(family);
	}
	switch (family) {
	case BSD_AF_INET:
		return fp_decode_ipv4(pkt, p + NULL_HEADER_LEN, len - NULL_HEADER_LEN);
	case BSD_AF_INET6_BSD:
	case BSD_AF_INET6_FREEBSD:
	case BSD_AF_INET6_DARWIN:
		return fp_decode_ipv6(pkt, p + NULL_HEADER_LEN, len - NULL_HEADER_LEN);
	default:
		return FP_SKIP_NON_IP;
	}
}
