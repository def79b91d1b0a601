/*
 * frag-cache.c - a 4-way set-associative cache of first fragments.
 *
 * FRAG_SETS sets of FRAG_WAYS entries, chosen by a hash of (source,
 * destination, protocol, fragment ID). An entry stores the whole flow key
 * plus which side sent the datagram, so the datagram's own identity is
 * recovered from it (addresses, protocol, version, VLAN) without storing it
 * twice. A new first fragment replaces, in order of preference: the entry
 * for the same datagram, an empty or stale entry, the oldest entry.
 *
 * What this cannot do: fragments that arrive before their first fragment
 * (reordered in the network) are not held back and replayed; the engine
 * counts them as unmatched. More than FRAG_WAYS datagrams in flight in one
 * set push the oldest out, and its later fragments become unmatched too.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "flow/frag-cache.h"
#include "lib/hash.h"

#define FRAG_SETS 1024u		/* power of two */
#define FRAG_WAYS 4u

struct frag_entry {
	struct fp_flow_key key;
	int64_t ts_ns;			/* time of the first fragment */
	uint32_t frag_id;
	uint8_t used;
	uint8_t sender_is_hi;
};

struct fp_frag_cache {
	bool key_vlan;
	struct frag_entry e[FRAG_SETS * FRAG_WAYS];
};

struct fp_frag_cache *fp_frag_cache_new(bool key_vlan, struct fp_error *err)
{
	struct fp_frag_cache *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		fp_error_errno(err, "fragment cache: allocating %zu bytes", sizeof(*c));
		return NULL;
	}
	c->key_vlan = key_vlan;
	return c;
}

void fp_frag_cache_free(struct fp_frag_cache *c)
{
	free(c);
}

/* Index of the first entry of the set for `p`'s datagram. */
/* The protocol that is part of a datagram's identity (see entry_matches). */
static uint8_t datagram_proto(const struct fp_packet *p)
{
	return p->ip_version == 6 ? 0 : p->proto;
}

static size_t set_of(const struct fp_packet *p)
{
	uint64_t w[4], h;

	memcpy(&w[0], p->src_addr, 8);
	memcpy(&w[1], p->src_addr + 8, 8);
	memcpy(&w[2], p->dst_addr, 8);
	memcpy(&w[3], p->dst_addr + 8, 8);
	h = fp_mix64(((uint64_t)p->frag_id << 8 | datagram_proto(p)) ^ 0x9e3779b97f4a7c15ULL);
	for (int i = 0; i < 4; i++)
		h = fp_mix64(h ^ w[i]);
	return (size_t)(h & (FRAG_SETS - 1)) * FRAG_WAYS;
}

/* Does entry `x` describe the datagram `p` is a fragment of? IPv4 names a
 * datagram by (source, destination, protocol, ID); IPv6 by (source,
 * destination, ID) only (RFC 8200), and rightly so: a later IPv6 fragment's
 * "protocol" is whatever follows its Fragment header (e.g. Destination
 * Options, 60), not the transport protocol its first fragment revealed. */
static bool entry_matches(const struct fp_frag_cache *c, const struct frag_entry *x, const struct fp_packet *p)
{
	const uint8_t *src = x->sender_is_hi ? x->key.hi_addr : x->key.lo_addr;
	const uint8_t *dst = x->sender_is_hi ? x->key.lo_addr : x->key.hi_addr;

	return x->used && x->frag_id == p->frag_id && (p->ip_version == 6 || x->key.proto == p->proto) &&
	       x->key.ip_version == p->ip_version && x->key.vlan_id == (c->key_vlan ? p->vlan_id : 0) &&
	       memcmp(src, p->src_addr, 16) == 0 && memcmp(dst, p->dst_addr, 16) == 0;
}

static bool stale(const struct frag_entry *x, int64_t now_ns)
{
	return now_ns > x->ts_ns && (uint64_t)now_ns - (uint64_t)x->ts_ns > (uint64_t)FP_FRAG_TTL_NS;
}

void fp_frag_cache_remember(struct fp_frag_cache *c, const struct fp_packet *p, const struct fp_flow_key *k,
			    bool sender_is_hi)
{
	struct frag_entry *set = &c->e[set_of(p)], *victim = NULL;
	struct frag_entry probe = { .key = *k, .frag_id = p->frag_id, .used = 1, .sender_is_hi = sender_is_hi };

	for (unsigned i = 0; i < FRAG_WAYS && victim == NULL; i++)
		if (entry_matches(c, &set[i], p))
			victim = &set[i];
	for (unsigned i = 0; i < FRAG_WAYS && victim == NULL; i++)
		if (!set[i].used || stale(&set[i], p->ts_ns))
			victim = &set[i];
	if (victim == NULL) {
		victim = &set[0];
		for (unsigned i = 1; i < FRAG_WAYS; i++)
			if (set[i].ts_ns < victim->ts_ns)
				victim = &set[i];
	}
	probe.ts_ns = p->ts_ns;
	*victim = probe;
}

bool fp_frag_cache_find(const struct fp_frag_cache *c, const struct fp_packet *p, int64_t now_ns,
			struct fp_flow_key *k, bool *sender_is_hi)
{
	const struct frag_entry *set = &c->e[set_of(p)];

	for (unsigned i = 0; i < FRAG_WAYS; i++) {
		if (entry_matches(c, &set[i], p) && !stale(&set[i], now_ns)) {
			*k = set[i].key;
			*sender_is_hi = set[i].sender_is_hi;
			return true;
		}
	}
	return false;
}

size_t fp_frag_cache_memory(const struct fp_frag_cache *c)
{
	return sizeof(*c);
}
