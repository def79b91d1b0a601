/*
 * decode-ppi.c - the Per-Packet Information header (LINKTYPE_PPI, 192).
 *
 * PPI (CACE Technologies, "PPI Header Format" 1.0.7) is what 802.11 capture
 * tools (Kismet, AirPcap) put in front of each frame: version (0), flags,
 * the length of the whole PPI header with its fields, and the link type of
 * the frame that follows it -- all little-endian. The fields (radio
 * information, GPS...) say nothing flowprep keys on, so they are stepped
 * over as a block: the frame starts `pph_len` bytes in, and is decoded as
 * its own link type, as Wireshark does.
 *
 * Invariants: the 8-byte header is read only when captured; a length shorter
 * than the header itself is BAD_LINK_HEADER (it would make the walk go
 * backwards); one past the captured bytes is TRUNCATED. A PPI header inside
 * PPI is BAD_LINK_HEADER, so hostile input cannot make decoding recurse; an
 * inner link type flowprep does not decode is UNSUPPORTED_LINK.
 */
#include "config.h"

#include "decode/decode-internal.h"

#define PPI_HEADER_LEN 8
#define PPI_VERSION 0

static inline uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t le32(const uint8_t *p)
{
	return le16(p) | le16(p + 2) << 16;
}

enum fp_skip_reason fp_decode_ppi(struct fp_packet *pkt, const uint8_t *p, uint32_t len)
{
	uint32_t hdr_len, dlt;

	if (len < PPI_HEADER_LEN)
		return FP_SKIP_TRUNCATED;
	hdr_len = le16(p + 2);
	dlt = le32(p + 4);
	if (p[0] != PPI_VERSION || hdr_len < PPI_HEADER_LEN)
		return FP_SKIP_BAD_LINK_HEADER;
	if (dlt == FP_LINK_PPI)
		return FP_SKIP_BAD_LINK_HEADER;
	if (dlt > 0xffff || !fp_decode_link_supported((int)dlt))	/* link types are 16-bit */
		return FP_SKIP_UNSUPPORTED_LINK;
	if (len < hdr_len)
		return FP_SKIP_TRUNCATED;
	return fp_decode_link(pkt, (int)dlt, p + hdr_len, len - hdr_len);
}
