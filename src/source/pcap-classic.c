/*
 * pcap-classic.c - classic pcap records, parsed where they lie in the
 * read buffer (see capture-reader.h, capture-format.h).
 *
 * A record is a 16-byte header (24 in the "patched" 0xa1b2cd34 format)
 * and its captured bytes; both are asked of the buffer at once, so a
 * packet costs one bounds check and no copy. libpcap 1.10's rules, kept so
 * that both readers agree (tests/unit/test-two-readers.c):
 *  - seconds and the fraction are signed 32-bit; µs files are scaled to ns;
 *  - versions before 2.3 had caplen and len the other way round (2.3: only
 *    when caplen > len);
 *  - a captured length above the link type's maximum is an error; above
 *    the file's snapshot length (and within the maximum) the packet is cut
 *    to the snapshot length and the rest skipped;
 *  - a file in the other byte order has its pseudo-headers put in ours.
 * Invariant: every length read from the file is checked against a bound
 * before the buffer is asked for that many bytes.
 */
#include "config.h"

#include <errno.h>
#include <pcap/dlt.h>
#include <string.h>

#include "source/capture-format.h"
#include "source/linktype.h"

#define MAGIC_US 0xa1b2c3d4u
#define MAGIC_PATCHED 0xa1b2cd34u
#define MAGIC_NS 0xa1b23c4du
#define FILE_HEADER 24
#define LT_LINKTYPE(x) ((x) & 0x03FFFFFF)

enum { NOT_SWAPPED, SWAPPED, MAYBE_SWAPPED };

static bool known_magic(uint32_t m)
{
	return m == MAGIC_US || m == MAGIC_PATCHED || m == MAGIC_NS;
}

bool fp_pcap_classic_magic(const uint8_t *p)
{
	uint32_t m;

	memcpy(&m, p, 4);
	return known_magic(m) || known_magic(__builtin_bswap32(m));
}

static int read_failed(struct fp_capture_reader *r, struct fp_error *why)
{
	return fp_error_set(why, "error reading dump file: %s", strerror(r->in.error));
}

static int check_version(uint16_t major, uint16_t minor, struct fp_error *why)
{
	if (major < 2)
		return fp_error_set(why, "archaic pcap savefile format");
	if (!((major == 2 && minor <= 4) || (major == 543 && minor == 0)))
		return fp_error_set(why, "unsupported pcap savefile version %u.%u", major, minor);
	return 0;
}

int fp_pcap_classic_open(struct fp_capture_reader *r, struct fp_error *why)
{
	size_t got = fp_read_buffer_need(&r->in, FILE_HEADER);
	const uint8_t *h = fp_read_buffer_at(&r->in);
	uint32_t magic;
	uint16_t major, minor;

	if (got < FILE_HEADER) {
		if (r->in.error != 0)
			return read_failed(r, why);
		return fp_error_set(why, "truncated dump file; tried to read %d file header bytes, only got %zu",
				    FILE_HEADER, got - 4);
	}
	memcpy(&magic, h, 4);
	r->swapped = !known_magic(magic);
	magic = r->swapped ? __builtin_bswap32(magic) : magic;
	major = fp_cap_u16(r, h + 4);
	minor = fp_cap_u16(r, h + 6);
	if (check_version(major, minor, why) < 0)
		return -1;
	r->linktype = fp_linktype_to_dlt((int)LT_LINKTYPE(fp_cap_u32(r, h + 20)));
	r->snapshot = fp_linktype_adjust_snaplen(r->linktype, fp_cap_u32(r, h + 16));
	r->max_caplen = fp_linktype_max_snaplen(r->linktype);
	r->nsec = magic == MAGIC_NS;
	if (major == 543 || (major == 2 && minor < 3))
		r->lengths_swapped = SWAPPED;
	else
		r->lengths_swapped = major == 2 && minor == 3 ? MAYBE_SWAPPED : NOT_SWAPPED;
	r->hdrsize = 16;
	if (magic == MAGIC_PATCHED) {
		r->hdrsize = 24;
		if (r->linktype == DLT_EN10MB)
			r->snapshot = r->snapshot <= 0x7fffffffu - 14 ? r->snapshot + 14 : 0x7fffffffu;
	}
	/* MAYBE_SWAPPED files qualify: the fast path leaves caplen > len to the full one */
	r->classic_fast = !r->swapped && r->hdrsize == 16 && r->lengths_swapped != SWAPPED;
	fp_read_buffer_skip(&r->in, FILE_HEADER);
	return 0;
}

/* A record's data could not all be read: libpcap's words for it. */
static int short_data(struct fp_capture_reader *r, uint32_t caplen, size_t got, struct fp_error *why)
{
	if (r->in.error != 0)
		return read_failed(r, why);
	if (caplen > r->snapshot && got < r->snapshot)
		return fp_error_set(why, "truncated dump file; tried to read %u captured bytes, only got %zu",
				    r->snapshot, got);
	return fp_error_set(why, "truncated dump file; tried to read %u captured bytes, only got %zu", caplen, got);
}

static int bad_caplen(const struct fp_capture_reader *r, uint32_t caplen, struct fp_error *why)
{
	if (caplen > r->snapshot)
		return fp_error_set(why, "invalid packet capture length %u, bigger than snaplen of %d", caplen,
				    (int)r->snapshot);
	return fp_error_set(why, "invalid packet capture length %u, bigger than maximum of %u", caplen,
			    r->max_caplen);
}

int fp_pcap_classic_next(struct fp_capture_reader *r, struct fp_raw_packet *out, struct fp_error *why)
{
	size_t hs = r->hdrsize, got = fp_read_buffer_need(&r->in, hs);
	uint8_t *h = fp_read_buffer_at(&r->in);
	uint32_t caplen, len;

	if (__builtin_expect(got < hs, 0)) {
		if (r->in.error != 0)
			return read_failed(r, why);
		if (got == 0)
			return 0;
		return fp_error_set(why, "truncated dump file; tried to read %zu header bytes, only got %zu", hs, got);
	}
	caplen = fp_cap_u32(r, h + 8);
	len = fp_cap_u32(r, h + 12);
	r->sec = (int32_t)fp_cap_u32(r, h);
	r->frac = (int32_t)fp_cap_u32(r, h + 4);
	if (!r->nsec)
		r->frac *= 1000;
	if (r->lengths_swapped == SWAPPED || (r->lengths_swapped == MAYBE_SWAPPED && caplen > len)) {
		uint32_t t = caplen;

		caplen = len;
		len = t;
	}
	if (__builtin_expect(caplen > r->max_caplen, 0))
		return bad_caplen(r, caplen, why);
	got = fp_read_buffer_need(&r->in, hs + caplen);
	if (__builtin_expect(got < hs + caplen, 0))
		return short_data(r, caplen, got - hs, why);
	h = fp_read_buffer_at(&r->in);	/* the buffer may have moved */
	fp_read_buffer_skip(&r->in, hs + caplen);
	/* The next record's header and first bytes: records are hundreds of
	 * bytes apart and only their heads are read, a pattern the hardware
	 * prefetcher misses; asking now hides the fetch behind this packet's
	 * metering. Only a hint: past the buffer's end it fetches nothing. */
	__builtin_prefetch(h + hs + caplen + 64);
	__builtin_prefetch(h + hs + caplen);
	out->data = h + hs;
	out->caplen = caplen <= r->snapshot ? caplen : r->snapshot;
	out->wirelen = len;
	out->linktype = r->linktype;
	if (r->swapped)
		fp_linktype_swap_pseudo_header(r->linktype, h + hs, out->caplen, len);
	return 1;
}
