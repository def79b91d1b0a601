/*
 * pcapng.c - pcapng blocks, parsed where they lie in the read buffer (see
 * capture-reader.h, capture-format.h).
 *
 * A block is asked of the buffer whole (its length bounded first), its
 * trailer checked, and a packet block's data handed out in place. Blocks:
 * SHB (a new section forgets its interfaces), IDB (link type, snapshot
 * length, if_tsresol, if_tsoffset), EPB, SPB, and the obsolete PB; all
 * others are skipped. Each interface keeps its own link type and snapshot
 * length, so files mixing link types are read (libpcap 1.10 refuses an
 * interface unlike the first); otherwise libpcap's rules and words are
 * kept, its time arithmetic included (tests/unit/test-two-readers.c):
 *   sec = t / tsresol + tsoffset, frac = t % tsresol scaled to ns.
 * Invariants: no block longer than r->max_block is asked for; every field
 * is read only after the block is known to hold it ("too short" if not);
 * at most MAX_IFACES interfaces per section.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "source/capture-format.h"
#include "source/linktype.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 1u
#define BT_PB 2u
#define BT_SPB 3u
#define BT_EPB 6u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define SHB_MAX (1024u * 1024)
#define INITIAL_MAX_BLOCK (16u * 1024 * 1024)
#define MAX_IFACES (1u << 20)
#define NS 1000000000ull

enum { PASS_THROUGH, SCALE_UP_DEC, SCALE_UP_BIN, SCALE_DOWN_DEC, SCALE_DOWN_BIN };

/* A block's body, read field by field. */
struct cursor {
	uint8_t *p;
	uint32_t left;
	uint32_t type;
};

bool fp_pcapng_magic(const uint8_t *p)
{
	uint32_t m;

	memcpy(&m, p, 4);
	return m == BT_SHB;	/* a palindrome: the same in both byte orders */
}

/* The next `n` bytes of the block, or NULL ("too short"). */
static uint8_t *take(struct cursor *c, uint32_t n, struct fp_error *why)
{
	uint8_t *p = c->p;

	if (c->left < n) {
		fp_error_set(why, "block of type %u in pcapng dump file is too short", c->type);
		return NULL;
	}
	c->p += n;
	c->left -= n;
	return p;
}

static int read_failed(struct fp_capture_reader *r, struct fp_error *why)
{
	return fp_error_set(why, "error reading dump file: %s", strerror(r->in.error));
}

/* The largest block for a link type: an EPB with the largest packet and
 * 128 KiB of options (libpcap's rule), never below 16 MiB. */
static void allow_blocks_for(struct fp_capture_reader *r, int dlt)
{
	uint32_t max = 8 + 20 + fp_linktype_max_snaplen(dlt) + 131072 + 4;

	if (max > r->max_block)
		r->max_block = max;
}

/* Reads the next block into `c` (body without header and trailer) and
 * consumes it: 1, 0 at the end of input, -1 (why). */
static int read_block(struct fp_capture_reader *r, struct cursor *c, struct fp_error *why)
{
	size_t got = fp_read_buffer_need(&r->in, 8);
	uint8_t *b = fp_read_buffer_at(&r->in);
	uint32_t total;

	if (got < 8) {
		if (r->in.error != 0)
			return read_failed(r, why);
		if (got == 0)
			return 0;
		return fp_error_set(why, "truncated pcapng dump file; tried to read 8 bytes, only got %zu", got);
	}
	c->type = fp_cap_u32(r, b);
	total = fp_cap_u32(r, b + 4);
	if (total < 12)
		return fp_error_set(why, "block in pcapng dump file has a length of %u < 12", total);
	if (total % 4 != 0)
		return fp_error_set(why, "block in pcapng dump file has a length of %u that is not a multiple of 4",
				    total);
	if (total > r->max_block)
		return fp_error_set(why, "pcapng block size %u > maximum %u", total, r->max_block);
	got = fp_read_buffer_need(&r->in, total);
	if (got < total) {
		if (r->in.error != 0)
			return read_failed(r, why);
		return fp_error_set(why, "truncated pcapng dump file; tried to read %u bytes, only got %zu",
				    total - 8, got - 8);
	}
	b = fp_read_buffer_at(&r->in);
	if (fp_cap_u32(r, b + total - 4) != total)
		return fp_error_set(why, "block total length in header and trailer don't match");
	fp_read_buffer_skip(&r->in, total);
	c->p = b + 8;
	c->left = total - 12;
	return 1;
}

/* if_tsresol: 10^-n or 2^-n seconds. */
static int tsresol_option(const uint8_t *v, uint16_t len, struct fp_pcapng_iface *ifc, bool *binary,
			  struct fp_error *why)
{
	uint8_t opt = v[0];

	if (len != 1)
		return fp_error_set(why, "Interface Description Block has if_tsresol option with length %u != 1", len);
	if (opt & 0x80) {
		if ((opt & 0x7f) > 63)
			return fp_error_set(why, "Interface Description Block if_tsresol option resolution 2^-%u "
					    "is too high", opt & 0x7f);
		*binary = true;
		ifc->tsresol = 1ull << (opt & 0x7f);
		return 0;
	}
	if (opt > 19)
		return fp_error_set(why, "Interface Description Block if_tsresol option resolution 10^-%u is too high",
				    opt);
	ifc->tsresol = 1;
	for (unsigned i = 0; i < opt; i++)
		ifc->tsresol *= 10;
	return 0;
}

/* The IDB's options: if_tsresol (9) and if_tsoffset (14), once each. */
static int idb_options(struct fp_capture_reader *r, struct cursor *c, struct fp_pcapng_iface *ifc, bool *binary,
		       struct fp_error *why)
{
	bool saw_resol = false, saw_offset = false;

	while (c->left != 0) {
		uint8_t *h = take(c, 4, why), *v;
		uint16_t code, len;

		if (h == NULL)
			return -1;
		code = fp_cap_u16(r, h);
		len = fp_cap_u16(r, h + 2);
		if ((v = take(c, ((uint32_t)len + 3) / 4 * 4, why)) == NULL)
			return -1;
		if (code == 0) {
			if (len != 0)
				return fp_error_set(why, "Interface Description Block has opt_endofopt option with "
						    "length %u != 0", len);
			return 0;
		}
		if (code == 9) {
			if (saw_resol && len == 1)
				return fp_error_set(why, "Interface Description Block has more than one if_tsresol "
						    "option");
			saw_resol = true;
			if (tsresol_option(v, len, ifc, binary, why) < 0)
				return -1;
		} else if (code == 14) {
			if (len != 8)
				return fp_error_set(why, "Interface Description Block has if_tsoffset option with "
						    "length %u != 8", len);
			if (saw_offset)
				return fp_error_set(why, "Interface Description Block has more than one if_tsoffset "
						    "option");
			saw_offset = true;
			memcpy(&ifc->tsoffset, v, 8);
			if (r->swapped)
				ifc->tsoffset = __builtin_bswap64(ifc->tsoffset);
		}
	}
	return 0;
}

/* How a time fraction in 1/tsresol s becomes ns (libpcap's arithmetic). */
static void choose_scale(struct fp_pcapng_iface *ifc, bool binary)
{
	ifc->scale_factor = 1;
	if (ifc->tsresol == NS)
		ifc->scale = PASS_THROUGH;
	else if (ifc->tsresol > NS)
		ifc->scale = binary ? SCALE_DOWN_BIN : SCALE_DOWN_DEC;
	else
		ifc->scale = binary ? SCALE_UP_BIN : SCALE_UP_DEC;
	if (ifc->scale == SCALE_DOWN_DEC)
		ifc->scale_factor = ifc->tsresol / NS;
	else if (ifc->scale == SCALE_UP_DEC)
		ifc->scale_factor = NS / ifc->tsresol;
}

static int add_interface(struct fp_capture_reader *r, struct cursor *c, struct fp_error *why)
{
	uint8_t *idb = take(c, 8, why);
	struct fp_pcapng_iface ifc = { 0 };
	bool binary = false;

	if (idb == NULL)
		return -1;
	if (r->nifaces == MAX_IFACES)
		return fp_error_set(why, "more than %u interfaces in a section", MAX_IFACES);
	if (r->nifaces == r->ifaces_cap) {
		uint32_t cap = r->ifaces_cap ? r->ifaces_cap * 2 : 4;
		struct fp_pcapng_iface *n = realloc(r->ifaces, cap * sizeof(*n));

		if (n == NULL)
			return fp_error_set(why, "out of memory for per-interface information (%u interfaces)",
					    r->nifaces + 1);
		r->ifaces = n;
		r->ifaces_cap = cap;
	}
	ifc.dlt = fp_linktype_to_dlt(fp_cap_u16(r, idb));
	ifc.snaplen = fp_linktype_adjust_snaplen(ifc.dlt, fp_cap_u32(r, idb + 4));
	ifc.tsresol = 1000000;
	if (idb_options(r, c, &ifc, &binary, why) < 0)
		return -1;
	choose_scale(&ifc, binary);
	allow_blocks_for(r, ifc.dlt);
	r->ifaces[r->nifaces++] = ifc;
	return 0;
}

static int check_shb(struct fp_capture_reader *r, struct cursor *c, struct fp_error *why)
{
	uint8_t *shb = take(c, 16, why);
	uint32_t bom;
	uint16_t major;

	if (shb == NULL)
		return -1;
	bom = fp_cap_u32(r, shb);
	major = fp_cap_u16(r, shb + 4);
	if (bom == __builtin_bswap32(BYTE_ORDER_MAGIC))
		return fp_error_set(why, "the file has sections with different byte orders");
	if (bom != BYTE_ORDER_MAGIC)
		return fp_error_set(why, "the file has a section with a bad byte order magic field");
	if (major != 1)
		return fp_error_set(why, "unknown pcapng savefile major version number %u", major);
	r->nifaces = 0;
	return 0;
}

int fp_pcapng_open(struct fp_capture_reader *r, struct fp_error *why)
{
	size_t got = fp_read_buffer_need(&r->in, 12);
	uint8_t *b = fp_read_buffer_at(&r->in);
	uint32_t total, bom;
	struct cursor c;
	int rc;

	if (got < 12)
		return r->in.error != 0 ? read_failed(r, why) : fp_error_set(why, "unknown file format");
	memcpy(&bom, b + 8, 4);
	if (bom != BYTE_ORDER_MAGIC && __builtin_bswap32(bom) != BYTE_ORDER_MAGIC)
		return fp_error_set(why, "unknown file format");
	r->swapped = bom != BYTE_ORDER_MAGIC;
	total = fp_cap_u32(r, b + 4);
	if (total < 28 || total > SHB_MAX)
		return fp_error_set(why, "Section Header Block in pcapng dump file has invalid length %d < _%u_ < %u "
				    "(BT_SHB_INSANE_MAX)", 28, total, SHB_MAX);
	got = fp_read_buffer_need(&r->in, total);
	if (got < total)
		return r->in.error != 0 ? read_failed(r, why)
		       : fp_error_set(why, "truncated pcapng dump file; tried to read %u bytes, only got %zu",
				      total - 12, got - 12);
	b = fp_read_buffer_at(&r->in);
	if (fp_cap_u16(r, b + 12) != 1 || (fp_cap_u16(r, b + 14) != 0 && fp_cap_u16(r, b + 14) != 2))
		return fp_error_set(why, "unsupported pcapng savefile version %u.%u", fp_cap_u16(r, b + 12),
				    fp_cap_u16(r, b + 14));
	fp_read_buffer_skip(&r->in, total);	/* libpcap does not check the first trailer either */
	r->max_block = INITIAL_MAX_BLOCK;
	for (;;) {
		rc = read_block(r, &c, why);
		if (rc == 0)
			return fp_error_set(why, "the capture file has no Interface Description Blocks");
		if (rc < 0)
			return -1;
		if (c.type == BT_IDB)
			break;
		if (c.type == BT_EPB || c.type == BT_SPB || c.type == BT_PB)
			return fp_error_set(why, "the capture file has a packet block before any Interface "
					    "Description Blocks");
	}
	if (add_interface(r, &c, why) < 0)
		return -1;
	r->linktype = r->ifaces[0].dlt;
	return 0;
}

/* The packet fields of an EPB, SPB or PB: 1 a packet, 0 not a packet
 * block, -1 error. */
static int packet_fields(struct fp_capture_reader *r, struct cursor *c, uint32_t *ifid, uint32_t *caplen,
			 uint32_t *len, uint64_t *t, struct fp_error *why)
{
	uint8_t *h;

	switch (c->type) {
	case BT_EPB:
	case BT_PB:
		if ((h = take(c, 20, why)) == NULL)
			return -1;
		*ifid = c->type == BT_EPB ? fp_cap_u32(r, h) : fp_cap_u16(r, h);
		*t = (uint64_t)fp_cap_u32(r, h + 4) << 32 | fp_cap_u32(r, h + 8);
		*caplen = fp_cap_u32(r, h + 12);
		*len = fp_cap_u32(r, h + 16);
		return 1;
	case BT_SPB:
		if ((h = take(c, 4, why)) == NULL)
			return -1;
		*ifid = 0;
		*len = *caplen = fp_cap_u32(r, h);
		if (r->nifaces > 0 && *caplen > r->ifaces[0].snaplen)
			*caplen = r->ifaces[0].snaplen;
		*t = 0;
		return 1;
	default:
		return 0;
	}
}

/* A block that is not a packet: interfaces and sections change state. */
static int other_block(struct fp_capture_reader *r, struct cursor *c, struct fp_error *why)
{
	if (c->type == BT_IDB)
		return add_interface(r, c, why);
	if (c->type == BT_SHB)
		return check_shb(r, c, why);
	return 0;
}

static void packet_time(struct fp_capture_reader *r, const struct fp_pcapng_iface *ifc, uint64_t t)
{
	uint64_t sec = t / ifc->tsresol + ifc->tsoffset, frac = t % ifc->tsresol;

	switch (ifc->scale) {
	case SCALE_UP_DEC: frac *= ifc->scale_factor; break;
	case SCALE_DOWN_DEC: frac /= ifc->scale_factor; break;
	case SCALE_UP_BIN:
	case SCALE_DOWN_BIN: frac = frac * NS / ifc->tsresol; break;
	default: break;
	}
	r->sec = (int64_t)sec;
	r->frac = (int32_t)(uint32_t)frac;	/* libpcap keeps it in an int */
}

int fp_pcapng_next(struct fp_capture_reader *r, struct fp_raw_packet *out, struct fp_error *why)
{
	struct cursor c;
	uint32_t ifid, caplen, len;
	uint64_t t;
	const struct fp_pcapng_iface *ifc;
	int rc;

	for (;;) {
		if ((rc = read_block(r, &c, why)) <= 0)
			return rc;
		if ((rc = packet_fields(r, &c, &ifid, &caplen, &len, &t, why)) != 0)
			break;
		if (other_block(r, &c, why) < 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	if (ifid >= r->nifaces)
		return fp_error_set(why, "a packet arrived on interface %u, but there's no Interface Description "
				    "Block for that interface", ifid);
	ifc = &r->ifaces[ifid];
	if (caplen > ifc->snaplen)
		return fp_error_set(why, "invalid packet capture length %u, bigger than snaplen of %d", caplen,
				    (int)ifc->snaplen);
	packet_time(r, ifc, t);
	if ((out->data = take(&c, caplen, why)) == NULL)
		return -1;
	out->caplen = caplen;
	out->wirelen = len;
	out->linktype = ifc->dlt;
	if (r->swapped)
		fp_linktype_swap_pseudo_header(ifc->dlt, c.p - caplen, caplen, len);
	return 1;
}
