/*
 * frag-cache.h - which flow a later IP fragment belongs to.
 *
 * Only an IP datagram's first fragment carries the transport header (ports).
 * When the engine sees one, it remembers (IP version, source, destination,
 * protocol, fragment ID) -> flow key and sending side; a later fragment of
 * the same datagram finds its flow here. Bounded memory, allocated once;
 * entries older than FP_FRAG_TTL_NS of packet time are stale.
 */
#ifndef FP_FLOW_FRAG_CACHE_H
#define FP_FLOW_FRAG_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"
#include "flow/flow.h"
#include "lib/error.h"

#define FP_FRAG_TTL_NS (30LL * 1000000000LL)

struct fp_frag_cache;

struct fp_frag_cache *fp_frag_cache_new(bool key_vlan, struct fp_error *err);
void fp_frag_cache_free(struct fp_frag_cache *c);

/* Remembers first fragment `p`, which belongs to the flow keyed `k` and was
 * sent by its `hi` side when `sender_is_hi`. */
void fp_frag_cache_remember(struct fp_frag_cache *c, const struct fp_packet *p, const struct fp_flow_key *k,
			    bool sender_is_hi);

/* For a later fragment `p` at engine time `now_ns`: fills `k` and
 * `sender_is_hi` and returns true if its first fragment was remembered and
 * is not stale. */
bool fp_frag_cache_find(const struct fp_frag_cache *c, const struct fp_packet *p, int64_t now_ns,
			struct fp_flow_key *k, bool *sender_is_hi);

size_t fp_frag_cache_memory(const struct fp_frag_cache *c);

#endif
