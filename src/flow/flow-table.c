/*
 * flow-table.c - the entry pool and the open-addressing index.
 *
 * Pool. Entries live in chunks of FP_FLOW_CHUNK_ENTRIES; an entry's index
 * is (chunk << FP_FLOW_CHUNK_SHIFT) | position. The stride is rounded up to
 * a multiple of 16 only (any type the extra state holds is aligned), not to
 * a cache line: at a million flows the table is memory, and 112 bytes
 * instead of 128 per canonical flow is 12 % less of it, to fault in, zero
 * and miss on; half the entries then span three lines instead of two, which
 * cost nothing measurable on `many` or `medium` (make bench), as every
 * line an entry spans is prefetched together. A chunk hands out entries
 * from its own free list first, then from its never-used tail ("fresh"), so
 * a new chunk costs no work up front and pages are touched only when used
 * (with a prefault helper, lib/prefault.h, a new chunk's pages are faulted
 * in on another thread meanwhile).
 * A new entry always comes from the lowest-numbered chunk with room (a bitmap
 * finds it), so after a burst the high chunks drain as their flows end. An
 * emptied chunk is released, except one spare kept for reuse so that a
 * table breathing around a chunk boundary does not allocate and free in
 * turn. Memory therefore follows the number of live flows, in both ways.
 *
 * Index. 8-byte slots {entry + 1 (0 = empty), 32-bit tag}; the tag is the
 * high half of the key's 64-bit hash and the home slot is tag & mask, so
 * rebuilding the index and backward-shift deletion never read an entry, and
 * a lookup reads an entry only when the tag matches (the bits of the tag
 * above the mask filter almost all other keys). Linear probing with load
 * kept <= 0.7: the index doubles when it would pass that, and halves when
 * load falls under 1/8 (never below INDEX_MIN_SLOTS). Deletion shifts the
 * following cluster back, so there are no tombstones and a probe stops at
 * the first empty slot.
 *
 * Clearing (end of input) does in one go what deleting every entry would:
 * the index goes back to INDEX_MIN_SLOTS, the lowest chunk holding memory
 * becomes the (emptied) spare and the others are released, since that is
 * where the spare rule above ends up when all chunks drain.
 *
 * Invariants: every live entry has exactly one slot, reachable from its
 * home slot without crossing an empty slot; a chunk holding memory has live
 * entries or is the spare.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "flow/flow-key.h"
#include "flow/flow-mem.h"
#include "flow/flow-table.h"
#include "lib/prefault.h"

#define INDEX_MIN_SLOTS 1024u
#define INDEX_MAX_SLOTS (1u << 31)
#define EXTRA_MAX 4096u
/* Entry indexes must stay below FP_FLOW_NONE and fit "entry + 1" in 32 bits. */
#define CHUNKS_MAX ((1u << (32 - FP_FLOW_CHUNK_SHIFT)) - 1)

static uint64_t *index_alloc(uint32_t n_slots)
{
	return fp_flow_mem_alloc((size_t)n_slots * sizeof(uint64_t), true);	/* flow-mem.h: why only the index */
}

static void index_free(uint64_t *slots, uint32_t n_slots)
{
	fp_flow_mem_free(slots, (size_t)n_slots * sizeof(uint64_t));
}

static size_t chunk_bytes(const struct fp_flow_table *t)
{
	return (size_t)FP_FLOW_CHUNK_ENTRIES * t->stride;
}

struct fp_flow_table *fp_flow_table_new(size_t extra_bytes, struct fp_error *err)
{
	struct fp_flow_table *t;

	if (extra_bytes > EXTRA_MAX) {
		fp_error_set(err, "flow table: extra state of %zu bytes per flow is more than the %u allowed",
			     extra_bytes, EXTRA_MAX);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		fp_error_errno(err, "flow table: allocating the table");
		return NULL;
	}
	t->stride = (sizeof(struct fp_flow) + extra_bytes + 15) & ~(size_t)15;
	t->spare = FP_FLOW_NONE;
	t->slots = index_alloc(INDEX_MIN_SLOTS);
	if (t->slots == NULL) {
		free(t);
		fp_error_errno(err, "flow table: allocating the index");
		return NULL;
	}
	t->mask = INDEX_MIN_SLOTS - 1;
	return t;
}

void fp_flow_table_free(struct fp_flow_table *t)
{
	if (t == NULL)
		return;
	for (uint32_t c = 0; c < t->n_chunks; c++)
		fp_flow_mem_free(t->chunks[c].mem, chunk_bytes(t));
	free(t->chunks);
	free(t->room);
	index_free(t->slots, t->mask + 1);
	free(t);
}

void fp_flow_table_set_prefault(struct fp_flow_table *t, struct fp_prefault *pf)
{
	t->prefault = pf;
}

/* ------------------------------------------------------------- the pool */

static void room_set(struct fp_flow_table *t, uint32_t c)
{
	t->room[c / 64] |= (uint64_t)1 << (c % 64);
	if (c / 64 < t->room_hint)
		t->room_hint = c / 64;
}

static void room_clear(struct fp_flow_table *t, uint32_t c)
{
	t->room[c / 64] &= ~((uint64_t)1 << (c % 64));
}

/* Lowest chunk that is held and not full, or FP_FLOW_NONE. */
static uint32_t chunk_with_room(struct fp_flow_table *t)
{
	for (uint32_t w = t->room_hint; w < t->room_words; w++) {
		if (t->room[w] != 0) {
			t->room_hint = w;
			return w * 64 + (uint32_t)__builtin_ctzll(t->room[w]);
		}
	}
	t->room_hint = t->room_words;
	return FP_FLOW_NONE;
}

/* One more slot in chunks[] (and room bits for it). */
static int chunks_append(struct fp_flow_table *t)
{
	if (t->n_chunks == t->chunks_cap) {
		uint32_t cap = t->chunks_cap ? t->chunks_cap * 2 : 16;
		struct fp_flow_chunk *nc;
		uint64_t *nr;

		if (cap > CHUNKS_MAX)
			cap = CHUNKS_MAX;
		if (cap <= t->n_chunks)
			return -1;
		nc = realloc(t->chunks, cap * sizeof(*nc));
		if (nc == NULL)
			return -1;
		t->chunks = nc;
		nr = realloc(t->room, ((cap + 63) / 64) * sizeof(*nr));
		if (nr == NULL)
			return -1;
		memset(nr + t->room_words, 0, ((cap + 63) / 64 - t->room_words) * sizeof(*nr));
		t->room = nr;
		t->room_words = (cap + 63) / 64;
		t->chunks_cap = cap;
	}
	memset(&t->chunks[t->n_chunks], 0, sizeof(t->chunks[0]));
	t->n_chunks++;
	return 0;
}

/* Gives memory to the lowest released chunk position (or a new one at the
 * end). Returns the chunk, or FP_FLOW_NONE without memory. */
static uint32_t chunk_acquire(struct fp_flow_table *t)
{
	uint32_t c;

	for (c = 0; c < t->n_chunks; c++)
		if (t->chunks[c].mem == NULL)
			break;
	if (c == t->n_chunks && chunks_append(t) < 0)
		return FP_FLOW_NONE;
	t->chunks[c].mem = fp_flow_mem_alloc(chunk_bytes(t), false);
	if (t->chunks[c].mem == NULL)
		return FP_FLOW_NONE;
	if (t->prefault != NULL)	/* entries are handed out from the start: the helper runs ahead */
		fp_prefault_request(t->prefault, t->chunks[c].mem, chunk_bytes(t));
	t->chunks[c].free_head = FP_FLOW_NONE;
	t->chunks[c].fresh = 0;
	t->chunks[c].live = 0;
	t->chunks_held++;
	room_set(t, c);
	return c;
}

static void chunk_release(struct fp_flow_table *t, uint32_t c)
{
	fp_flow_mem_free(t->chunks[c].mem, chunk_bytes(t));
	t->chunks[c].mem = NULL;
	t->chunks_held--;
	room_clear(t, c);
}

static uint32_t entry_alloc(struct fp_flow_table *t)
{
	uint32_t c = chunk_with_room(t);
	struct fp_flow_chunk *ch;
	uint32_t local;

	if (c == FP_FLOW_NONE) {
		c = chunk_acquire(t);
		if (c == FP_FLOW_NONE)
			return FP_FLOW_NONE;
	}
	ch = &t->chunks[c];
	if (ch->free_head != FP_FLOW_NONE) {
		local = ch->free_head;
		ch->free_head = ((struct fp_flow *)(ch->mem + (size_t)local * t->stride))->lru_next;
	} else {
		local = ch->fresh++;
	}
	if (ch->live++ == 0 && t->spare == c)
		t->spare = FP_FLOW_NONE;
	if (ch->live == FP_FLOW_CHUNK_ENTRIES)
		room_clear(t, c);
	return (c << FP_FLOW_CHUNK_SHIFT) | local;
}

/* A chunk just became empty: keep it as the spare (the lower of it and any
 * current spare), release the other. */
static void chunk_emptied(struct fp_flow_table *t, uint32_t c)
{
	t->chunks[c].free_head = FP_FLOW_NONE;
	t->chunks[c].fresh = 0;
	if (t->spare == FP_FLOW_NONE) {
		t->spare = c;
	} else if (c < t->spare) {
		chunk_release(t, t->spare);
		t->spare = c;
	} else {
		chunk_release(t, c);
	}
}

static void entry_free(struct fp_flow_table *t, uint32_t idx)
{
	uint32_t c = idx >> FP_FLOW_CHUNK_SHIFT;
	struct fp_flow_chunk *ch = &t->chunks[c];

	fp_flow_table_get(t, idx)->lru_next = ch->free_head;
	ch->free_head = idx & (FP_FLOW_CHUNK_ENTRIES - 1);
	room_set(t, c);
	if (--ch->live == 0)
		chunk_emptied(t, c);
}

/* ------------------------------------------------------------ the index */

static inline uint32_t slot_tag(uint64_t s)
{
	return (uint32_t)(s >> 32);
}

static inline uint32_t slot_entry(uint64_t s)
{
	return (uint32_t)s - 1;
}

static inline int slot_empty(uint64_t s)
{
	return (uint32_t)s == 0;
}

static void index_put(uint64_t *slots, uint32_t mask, uint64_t s)
{
	uint32_t pos = slot_tag(s) & mask;

	while (!slot_empty(slots[pos]))
		pos = (pos + 1) & mask;
	slots[pos] = s;
}

static int index_resize(struct fp_flow_table *t, uint32_t n_slots)
{
	uint64_t *ns = index_alloc(n_slots);

	if (ns == NULL)
		return -1;
	for (uint64_t i = 0; i <= t->mask; i++)
		if (!slot_empty(t->slots[i]))
			index_put(ns, n_slots - 1, t->slots[i]);
	index_free(t->slots, t->mask + 1);
	t->slots = ns;
	t->mask = n_slots - 1;
	return 0;
}

uint32_t fp_flow_table_find(const struct fp_flow_table *t, const struct fp_flow_key *k, uint32_t tag)
{
	uint32_t pos = tag & t->mask;

	for (;;) {
		uint64_t s = t->slots[pos];

		if (slot_empty(s))
			return FP_FLOW_NONE;
		if (slot_tag(s) == tag && fp_flow_key_equal(&fp_flow_table_get(t, slot_entry(s))->key, k))
			return slot_entry(s);
		pos = (pos + 1) & t->mask;
	}
}

uint32_t fp_flow_table_add(struct fp_flow_table *t, const struct fp_flow_key *k, uint32_t tag)
{
	uint64_t n_slots = (uint64_t)t->mask + 1;
	struct fp_flow *f;
	uint32_t idx;

	if (((uint64_t)t->live + 1) * 10 > n_slots * 7) {
		/* Past the load limit: double. Without memory for that, keep
		 * probing the crowded index while one empty slot is left. */
		if ((n_slots >= INDEX_MAX_SLOTS || index_resize(t, (uint32_t)(n_slots * 2)) < 0) &&
		    (uint64_t)t->live + 1 >= n_slots)
			return FP_FLOW_NONE;
	}
	idx = entry_alloc(t);
	if (idx == FP_FLOW_NONE)
		return FP_FLOW_NONE;
	f = fp_flow_table_get(t, idx);
	memset(f, 0, t->stride);
	f->key = *k;
	f->hash = tag;
	index_put(t->slots, t->mask, ((uint64_t)tag << 32) | ((uint64_t)idx + 1));
	t->live++;
	return idx;
}

/* Empties slot `hole` and moves later members of its cluster back into it
 * when that is still on their probe path from their home slot. */
static void index_remove_at(struct fp_flow_table *t, uint32_t hole)
{
	uint32_t mask = t->mask, j = hole;

	for (;;) {
		uint64_t s;
		uint32_t home;

		j = (j + 1) & mask;
		s = t->slots[j];
		if (slot_empty(s))
			break;
		home = slot_tag(s) & mask;
		/* `s` may move to `hole` unless its home lies in (hole, j]. */
		if (((j - home) & mask) >= ((j - hole) & mask)) {
			t->slots[hole] = s;
			hole = j;
		}
	}
	t->slots[hole] = 0;
}

void fp_flow_table_del(struct fp_flow_table *t, uint32_t idx)
{
	uint32_t pos = fp_flow_table_get(t, idx)->hash & t->mask;
	uint64_t n_slots;

	while (slot_entry(t->slots[pos]) != idx)
		pos = (pos + 1) & t->mask;
	index_remove_at(t, pos);
	entry_free(t, idx);
	t->live--;
	n_slots = (uint64_t)t->mask + 1;
	if (n_slots > INDEX_MIN_SLOTS && (uint64_t)t->live * 8 < n_slots)
		(void)index_resize(t, (uint32_t)(n_slots / 2));	/* no memory: stay larger */
}

void fp_flow_table_clear(struct fp_flow_table *t)
{
	uint32_t keep = FP_FLOW_NONE;
	uint64_t *slots;

	/* Pool: by the invariant, every held chunk but the spare would empty
	 * and chunk_emptied() would keep the lowest of them all. */
	t->room_hint = 0;
	for (uint32_t c = 0; c < t->n_chunks; c++) {
		struct fp_flow_chunk *ch = &t->chunks[c];

		if (ch->mem == NULL)
			continue;
		ch->free_head = FP_FLOW_NONE;
		ch->fresh = 0;
		ch->live = 0;
		if (keep == FP_FLOW_NONE) {
			keep = c;
			room_set(t, c);
		} else {
			chunk_release(t, c);
		}
	}
	t->spare = keep;
	t->live = 0;

	/* Index: back to the smallest size, as the halvings on deletion would
	 * have made it; without memory for a new one, empty the old in place. */
	if (t->mask + 1 > INDEX_MIN_SLOTS && (slots = index_alloc(INDEX_MIN_SLOTS)) != NULL) {
		index_free(t->slots, t->mask + 1);
		t->slots = slots;
		t->mask = INDEX_MIN_SLOTS - 1;
	} else {
		memset(t->slots, 0, ((size_t)t->mask + 1) * sizeof(t->slots[0]));
	}
}

uint32_t fp_flow_table_max_probe(const struct fp_flow_table *t)
{
	uint32_t longest = 0;

	for (uint64_t i = 0; i <= t->mask; i++) {
		uint64_t s = t->slots[i];

		/* distance from the home slot, wrapping around the end */
		if (!slot_empty(s) && (((uint32_t)i - slot_tag(s)) & t->mask) + 1 > longest)
			longest = (((uint32_t)i - slot_tag(s)) & t->mask) + 1;
	}
	return longest;
}

size_t fp_flow_table_memory(const struct fp_flow_table *t)
{
	return sizeof(*t) + (size_t)t->chunks_cap * sizeof(t->chunks[0]) +
	       (size_t)t->room_words * sizeof(t->room[0]) + ((size_t)t->mask + 1) * sizeof(uint64_t) +
	       (size_t)t->chunks_held * chunk_bytes(t);
}
