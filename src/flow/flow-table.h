/*
 * flow-table.h - where flows live: an entry pool and a hash index over it.
 *
 * Entries (struct fp_flow followed by the feature set's extra bytes) sit in
 * fixed-size chunks and are named by a 32-bit index, which the engine's
 * intrusive lists use as links. Entries never move, so growth never copies
 * them; only the index of 8-byte slots is rebuilt when it doubles or halves.
 * The table knows nothing of time or lists: that is the engine's business.
 */
#ifndef FP_FLOW_FLOW_TABLE_H
#define FP_FLOW_FLOW_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "flow/flow.h"
#include "lib/error.h"

#define FP_FLOW_NONE UINT32_MAX		/* "no entry": list ends, lookup misses */

/* 32768 entries per chunk (3.5 MiB of canonical flows). */
#define FP_FLOW_CHUNK_SHIFT 15
#define FP_FLOW_CHUNK_ENTRIES (1u << FP_FLOW_CHUNK_SHIFT)

struct fp_flow_chunk {
	uint8_t *mem;			/* FP_FLOW_CHUNK_ENTRIES * stride bytes, or NULL (released) */
	uint32_t free_head;		/* first freed entry (local index), or FP_FLOW_NONE */
	uint32_t fresh;			/* entries [fresh, CHUNK_ENTRIES) never handed out */
	uint32_t live;			/* entries in use */
};

struct fp_flow_table {
	size_t stride;			/* bytes per entry: flow + extra, multiple of 16 */
	struct fp_flow_chunk *chunks;
	uint32_t n_chunks;		/* length of chunks[] in use (some may be released) */
	uint32_t chunks_cap;
	uint32_t chunks_held;		/* chunks with memory */
	uint32_t spare;			/* the one empty chunk kept for reuse, or FP_FLOW_NONE */
	uint64_t *room;			/* bitmap over chunks: held and not full */
	uint32_t room_words;
	uint32_t room_hint;		/* no room bit is set below this word */
	uint32_t live;			/* entries in use */

	uint64_t *slots;		/* index: (tag << 32) | (entry + 1); 0 = empty */
	uint32_t mask;			/* slots - 1 (power of two) */

	struct fp_prefault *prefault;	/* faults fresh chunks in ahead, or NULL */
};

struct fp_prefault;

struct fp_flow_table *fp_flow_table_new(size_t extra_bytes, struct fp_error *err);
/* Fresh chunks are faulted in by `pf` (lib/prefault.h; borrowed, may be
 * NULL) while the table fills them from the start. */
void fp_flow_table_set_prefault(struct fp_flow_table *t, struct fp_prefault *pf);
void fp_flow_table_free(struct fp_flow_table *t);

static inline struct fp_flow *fp_flow_table_get(const struct fp_flow_table *t, uint32_t idx)
{
	const struct fp_flow_chunk *c = &t->chunks[idx >> FP_FLOW_CHUNK_SHIFT];

	return (struct fp_flow *)(c->mem + (size_t)(idx & (FP_FLOW_CHUNK_ENTRIES - 1)) * t->stride);
}

/* The index tag of a key hash; it is also stored in fp_flow.hash. */
static inline uint32_t fp_flow_table_tag(uint64_t hash)
{
	return (uint32_t)(hash >> 32);
}

/* Entry holding `k`, or FP_FLOW_NONE. */
uint32_t fp_flow_table_find(const struct fp_flow_table *t, const struct fp_flow_key *k, uint32_t tag);

/* A new entry for `k` (which must not be present): zeroed, with key and hash
 * set, in the index. FP_FLOW_NONE if memory for it cannot be had. */
uint32_t fp_flow_table_add(struct fp_flow_table *t, const struct fp_flow_key *k, uint32_t tag);

/* Takes entry `idx` out of the index and gives its memory back. */
void fp_flow_table_del(struct fp_flow_table *t, uint32_t idx);

/* Forgets every entry at once and leaves the table exactly as deleting them
 * one by one would have: empty index of the initial size, one emptied chunk
 * kept as the spare, the other chunks' memory returned. Costs O(chunks):
 * no entry is read. */
void fp_flow_table_clear(struct fp_flow_table *t);

/* Prefetch hints for a batch: the home slot of `tag`; the entries whose
 * tag matches in the slots from there on (the slot line must be fetched
 * by then for this to pay); and the recency-list neighbours of those. */
static inline void fp_flow_table_prefetch_slot(const struct fp_flow_table *t, uint32_t tag)
{
	__builtin_prefetch(&t->slots[tag & t->mask]);
}

static inline uint32_t fp_flow_table_peek(const struct fp_flow_table *t, uint32_t tag)
{
	uint32_t pos = tag & t->mask;

	for (int i = 0; i < 4; i++) {
		uint64_t s = t->slots[pos];

		if ((uint32_t)s == 0)
			break;
		if ((uint32_t)(s >> 32) == tag)
			return (uint32_t)s - 1;
		pos = (pos + 1) & t->mask;
	}
	return FP_FLOW_NONE;
}

/* Returns the entry it prefetched (a hint only), or FP_FLOW_NONE. */
static inline uint32_t fp_flow_table_prefetch_entry(const struct fp_flow_table *t, uint32_t tag)
{
	uint32_t idx = fp_flow_table_peek(t, tag);

	if (idx != FP_FLOW_NONE) {
		const uint8_t *f = (const uint8_t *)fp_flow_table_get(t, idx);

		/* the lines of the flow itself: two, or three when it straddles */
		__builtin_prefetch(f, 1);
		__builtin_prefetch(f + 64, 1);
		__builtin_prefetch(f + sizeof(struct fp_flow) - 1, 1);
	}
	return idx;
}

/* The recency neighbours of entry `idx` (from fp_flow_table_prefetch_entry();
 * FP_FLOW_NONE: nothing). */
static inline void fp_flow_table_prefetch_links_of(const struct fp_flow_table *t, uint32_t idx)
{
	if (idx != FP_FLOW_NONE) {
		const struct fp_flow *f = fp_flow_table_get(t, idx);

		if (f->lru_prev != FP_FLOW_NONE)
			__builtin_prefetch(&fp_flow_table_get(t, f->lru_prev)->lru_next, 1);
		if (f->lru_next != FP_FLOW_NONE)
			__builtin_prefetch(&fp_flow_table_get(t, f->lru_next)->lru_prev, 1);
	}
}

/* Prefetch hint for entry `idx` itself (the lines it spans, at most
 * FP_FLOW_PREFETCH_LINES: the flow and the start of its extra state), e.g.
 * the next one of a list being walked. */
#define FP_FLOW_PREFETCH_LINES 4

static inline void fp_flow_table_prefetch_idx(const struct fp_flow_table *t, uint32_t idx)
{
	const uint8_t *f = (const uint8_t *)fp_flow_table_get(t, idx);
	const uint8_t *first = (const uint8_t *)((uintptr_t)f & ~(uintptr_t)63);
	const uint8_t *last = f + t->stride - 1;

	for (int i = 0; i < FP_FLOW_PREFETCH_LINES && first + i * 64 <= last; i++)
		__builtin_prefetch(first + i * 64, 1);
}

static inline uint32_t fp_flow_table_live(const struct fp_flow_table *t)
{
	return t->live;
}

/* The longest probe a lookup of a present key takes, in slots read (1 =
 * found in its home slot; 0 for an empty table). Walks the whole index:
 * for tests and diagnostics, never for the packet path. */
uint32_t fp_flow_table_max_probe(const struct fp_flow_table *t);

/* Bytes held: chunks, index and bookkeeping. */
size_t fp_flow_table_memory(const struct fp_flow_table *t);

#endif
