/*
 * column-dict.c - dictionary building for one column chunk (see
 * column-dict.h).
 *
 * The table keeps its size between chunks and is cleared per chunk; it
 * doubles whenever it is half full, so probes stay short. A value equal
 * to the one before it (common: a flow's ports, a constant protocol) takes
 * the previous index without touching the table.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "format/parquet/column-dict.h"
#include "lib/hash.h"

#define INITIAL_SLOTS 1024

static int grow_array(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 256;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * elem);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

static int prepare(struct pq_dict *d, size_t n)
{
	size_t cap = d->cap_indices;

	if (grow_array((void **)&d->indices, &cap, n, sizeof(*d->indices)) < 0)
		return -1;
	d->cap_indices = cap;
	if (d->slots == NULL) {
		d->slots = calloc(INITIAL_SLOTS, sizeof(*d->slots));
		if (d->slots == NULL)
			return -1;
		d->nslots = INITIAL_SLOTS;
	} else {
		memset(d->slots, 0, d->nslots * sizeof(*d->slots));
	}
	d->nentries = 0;
	d->page_bytes = 0;
	return 0;
}

/* Records entry `d->nentries` (first seen at value `at`). */
static int add_entry(struct pq_dict *d, size_t at, uint64_t hash)
{
	size_t cap = d->cap_entries;

	if (d->nentries == cap) {
		if (grow_array((void **)&d->first, &cap, d->nentries + 1, sizeof(*d->first)) < 0)
			return -1;
		cap = d->cap_entries;
		if (grow_array((void **)&d->hashes, &cap, d->nentries + 1, sizeof(*d->hashes)) < 0)
			return -1;
		d->cap_entries = cap;
	}
	d->first[d->nentries] = (uint32_t)at;
	d->hashes[d->nentries] = hash;
	d->nentries++;
	return 0;
}

/* A slot: the hash's high half as a tag (most mismatches are rejected
 * without touching the values), entry + 1 in the low half (0 = empty). */
static inline uint64_t make_slot(uint64_t hash, size_t entry)
{
	return (hash & 0xffffffff00000000ULL) | (uint64_t)(entry + 1);
}

static inline bool tag_matches(uint64_t slot, uint64_t hash)
{
	return ((slot ^ hash) >> 32) == 0;
}

static inline uint32_t slot_entry(uint64_t slot)
{
	return (uint32_t)slot - 1;
}

/* Doubles the table when half full, re-placing every entry by its hash. */
static int maybe_grow(struct pq_dict *d)
{
	size_t nslots = d->nslots * 2, mask = nslots - 1;
	uint64_t *slots;

	if (d->nentries * 2 <= d->nslots)
		return 0;
	slots = calloc(nslots, sizeof(*slots));
	if (slots == NULL)
		return -1;
	for (size_t k = 0; k < d->nentries; k++) {
		size_t h = d->hashes[k] & mask;

		while (slots[h] != 0)
			h = (h + 1) & mask;
		slots[h] = make_slot(d->hashes[k], k);
	}
	free(d->slots);
	d->slots = slots;
	d->nslots = nslots;
	return 0;
}

/* `size` (4 or 8) is a constant at each call: the loop is specialised. */
static inline __attribute__((always_inline)) uint64_t load(const void *v, size_t i, size_t size)
{
	return size == 4 ? ((const uint32_t *)v)[i] : ((const uint64_t *)v)[i];
}

static inline __attribute__((always_inline)) int build_fixed(struct pq_dict *d, const void *v, size_t n,
							     size_t max_bytes, size_t size)
{
	uint64_t prev = 0;
	uint32_t prev_entry = 0;

	if (prepare(d, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t x = load(v, i, size), hash, s;
		size_t mask, h;

		if (i > 0 && x == prev) {
			d->indices[i] = prev_entry;
			continue;
		}
		hash = fp_mix64(x);
		mask = d->nslots - 1;
		h = hash & mask;
		while ((s = d->slots[h]) != 0 &&
		       !(tag_matches(s, hash) && load(v, d->first[slot_entry(s)], size) == x))
			h = (h + 1) & mask;
		if (s == 0) {
			if (d->page_bytes + size > max_bytes)
				return 0;
			if (add_entry(d, i, hash) < 0)
				return -1;
			s = make_slot(hash, d->nentries - 1);
			d->slots[h] = s;
			d->page_bytes += size;
			if (maybe_grow(d) < 0)
				return -1;
		}
		prev = x;
		prev_entry = slot_entry(s);
		d->indices[i] = prev_entry;
	}
	return 1;
}

int pq_dict_build_u32(struct pq_dict *d, const uint32_t *v, size_t n, size_t max_bytes)
{
	return build_fixed(d, v, n, max_bytes, 4);
}

int pq_dict_build_u64(struct pq_dict *d, const uint64_t *v, size_t n, size_t max_bytes)
{
	return build_fixed(d, v, n, max_bytes, 8);
}

/* A byte-string hash: 8-byte words through the 64-bit mixer. */
static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;

	while (n >= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		h = fp_mix64(h ^ w);
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		uint64_t w = 0;

		memcpy(&w, p, n);
		h = fp_mix64(h ^ w ^ 0xff);
	}
	return h;
}

static inline int same_bytes(const uint8_t *data, const size_t *offs, size_t a, size_t b)
{
	size_t la = offs[a + 1] - offs[a];

	return la == offs[b + 1] - offs[b] && memcmp(data + offs[a], data + offs[b], la) == 0;
}

int pq_dict_build_bytes(struct pq_dict *d, const uint8_t *data, const size_t *offs, size_t n, size_t max_bytes)
{
	uint64_t prev_hash = 0;
	uint32_t prev_entry = 0;

	if (prepare(d, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t len = offs[i + 1] - offs[i], mask, h;
		uint64_t hash = hash_bytes(data + offs[i], len), s;

		if (i > 0 && hash == prev_hash && same_bytes(data, offs, i, i - 1)) {
			d->indices[i] = prev_entry;
			continue;
		}
		mask = d->nslots - 1;
		h = hash & mask;
		while ((s = d->slots[h]) != 0 &&
		       !(tag_matches(s, hash) && same_bytes(data, offs, d->first[slot_entry(s)], i)))
			h = (h + 1) & mask;
		if (s == 0) {
			if (d->page_bytes + 4 + len > max_bytes)
				return 0;
			if (add_entry(d, i, hash) < 0)
				return -1;
			s = make_slot(hash, d->nentries - 1);
			d->slots[h] = s;
			d->page_bytes += 4 + len;
			if (maybe_grow(d) < 0)
				return -1;
		}
		prev_hash = hash;
		prev_entry = slot_entry(s);
		d->indices[i] = prev_entry;
	}
	return 1;
}

void pq_dict_free(struct pq_dict *d)
{
	free(d->slots);
	free(d->first);
	free(d->hashes);
	free(d->indices);
	memset(d, 0, sizeof(*d));
}
