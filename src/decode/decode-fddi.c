/*
 * decode-fddi.c - FDDI frames (DLT_FDDI, 10).
 *
 * A frame control byte and two 6-byte addresses, then, for LLC frames
 * (frame control 0x50-0x57), an 802.2 LLC header that carries IP behind
 * SNAP as on 802.3. Station management and MAC frames carry no IP. The
 * addresses may be bit-swapped ("fddi-swapped"); flowprep never reads them.
 */
#include "config.h"

#include "decode/decode-internal.h"

#define FDDI_HEADER_LEN 13
#define FDDI_FC_CLASS_MASK 0xf8
#define FDDI_FC_LLC_ASYNC 0x50

enum fp_skip_reason fp_decode_fddi(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	if (len < FDDI_HEADER_LEN)
		return FP_SKIP_TRUNCATED;
	if ((p[0] & FDDI_FC_CLASS_MASK) != FDDI_FC_LLC_ASYNC)
		return FP_SKIP_NON_IP;
	return fp_decode_ethertype(pkt, FP_ETH_LLC, p + FDDI_HEADER_LEN, len - FDDI_HEADER_LEN);
}
