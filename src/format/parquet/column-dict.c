/*
 * column-dict.c - dictionary building for one column chunk (see
 * column-dict.h).
 *
 * Table layouts (open addressing, linear probing, 0 = empty slot):
 *   4-byte values: one word a slot, value << 32 | (entry + 1);
 *   8-byte values: two words a slot, the value, then entry + 1;
 *   byte arrays:   three words a slot (see slot_meta()): short values
 *                  are held whole, long ones compared in the column's
 *                  data; the full hash is kept per entry for growing.
 * Slots are picked by the high bits of a multiplicative hash (one
 * multiply for fixed-width values), so a table of 2^b slots uses the top b
 * bits. The table is at most half full (a quarter while small, see
 * too_full()); it is cleared, only as far as the build uses it, at the
 * start of each build. Every value is looked up, even one equal to the
 * value before it: on flow data a test for that mispredicts more often
 * than it saves a probe.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/parquet/column-dict.h"

#define DEFAULT_ENTRIES 256	/* planned for when there is no hint */
#define SPARSE_TABLE_BYTES (256u << 10)
#define FIB 0x9e3779b97f4a7c15ULL

/* The projection (see projected_loss()) first looks at the distinct
 * count after n / PROJECT_PARTS values, in chunks of at least
 * PROJECT_MIN_VALUES values. */
#define PROJECT_PARTS 16
#define PROJECT_MIN_VALUES 32768

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

static unsigned log2_of(size_t pow2)
{
	unsigned b = 0;

	while (((size_t)1 << b) < pow2)
		b++;
	return b;
}

/* Makes room for `nslots` slots of `words` words, all empty. */
static int clear_table(struct pq_dict *d, size_t nslots, size_t words)
{
	size_t need = nslots * words;

	if (need > d->slot_words) {
		free(d->slots);
		d->slots = malloc(need * sizeof(*d->slots));
		if (d->slots == NULL) {
			d->slot_words = 0;
			return -1;
		}
		d->slot_words = need;
	}
	memset(d->slots, 0, need * sizeof(*d->slots));
	d->nslots = nslots;
	return 0;
}

/*
 * How full the table may get: a quarter while it is small enough to stay
 * in a near cache (fewer collisions, so fewer mispredicted probes, for
 * little memory), half beyond that.
 */
static inline bool too_full(size_t entries, size_t nslots, size_t words)
{
	return entries * (nslots * words * 8 <= SPARSE_TABLE_BYTES ? 4 : 2) > nslots;
}

/* Sets up a build of n values: table sized from the hint (the expected
 * entries, but no more than n, fit without growing), indices for n
 * values. */
static int prepare(struct pq_dict *d, size_t n, size_t words)
{
	size_t cap = d->cap_indices, want = d->hint ? d->hint : DEFAULT_ENTRIES, nslots = 16;

	if (want > n)
		want = n;
	while (too_full(want, nslots, words))
		nslots *= 2;
	if (grow_array((void **)&d->indices, &cap, n ? n : 1, sizeof(*d->indices)) < 0)
		return -1;
	d->cap_indices = cap;
	d->nentries = 0;
	d->page_bytes = 0;
	return clear_table(d, nslots, words);
}

/* Records entry `d->nentries` (first seen at value `at`); byte arrays
 * also keep its hash, to re-place it when the table grows. */
static int add_entry(struct pq_dict *d, size_t at, uint64_t hash, bool keep_hash)
{
	if (grow_array((void **)&d->first, &d->cap_entries, d->nentries + 1, sizeof(*d->first)) < 0)
		return -1;
	if (keep_hash) {
		if (grow_array((void **)&d->hashes, &d->cap_hashes, d->nentries + 1, sizeof(*d->hashes)) < 0)
			return -1;
		d->hashes[d->nentries] = hash;
	}
	d->first[d->nentries] = (uint32_t)at;
	d->nentries++;
	return 0;
}

/* ------------------------------------------------------------ can it pay */

/* The index width the writer uses for k entries (at least 1 bit). */
static inline unsigned index_bits(size_t k)
{
	return k <= 2 ? 1 : 64 - (unsigned)__builtin_clzll((unsigned long long)(k - 1));
}

/* True when a dictionary of page_bytes and k entries over n values can
 * no longer be smaller than `plain` bytes, nor fit in max_bytes. */
static inline bool cannot_pay(size_t page_bytes, size_t k, size_t n, size_t plain, size_t max_bytes)
{
	return page_bytes > max_bytes || page_bytes + (n * index_bits(k) + 7) / 8 >= plain;
}

/*
 * The projection, for d->bail_ratio > 0: k1 distinct values among the
 * first t, k2 among the first 2t. If each of K distinct values turns up
 * at random, the distinct count after s values is K (1 - x^(s/t)) with
 * x = k2 / k1 - 1, which gives K and the count after all n values. (On
 * flow tables this lands within a few percent of the real count from the
 * first eighth of a chunk, both for saturating columns like ports and
 * for columns of a few common values plus a long tail of unique ones,
 * like durations.)
 * True when the dictionary page so projected plus its indices would be at
 * least bail_ratio times the PLAIN size: the build stops there.
 */
static bool projected_loss(const struct pq_dict *d, size_t k1, size_t k2, size_t t, size_t n, size_t plain)
{
	double x = (double)k2 / (double)k1 - 1, k;
	size_t kk;

	if (x >= 1)
		k = (double)k2 * (double)n / (double)(2 * t);
	else if (x <= 0)
		k = (double)k2;
	else
		k = (double)k1 / (1 - x) * (1 - pow(x, (double)n / (double)t));
	if (k > (double)n)
		k = (double)n;
	kk = k < (double)k2 ? k2 : (size_t)k;
	/* Entries so far tell the average entry size. */
	return (double)d->page_bytes / (double)k2 * (double)kk + (double)((n * index_bits(kk) + 7) / 8) >=
	       d->bail_ratio * (double)plain;
}

/* Where the build first looks at its distinct count: never (SIZE_MAX)
 * without a projection or in a small chunk. */
static size_t first_check(const struct pq_dict *d, size_t n)
{
	return d->bail_ratio > 0 && n >= PROJECT_MIN_VALUES ? n / PROJECT_PARTS : SIZE_MAX;
}

/*
 * At value i == *check (n/16, then n/8, n/4, n/2): project from the
 * distinct count here and the one at i/2 (none the first time), note this
 * one and look again at 2i. True when the build should stop. Later looks
 * see more of the chunk: they catch columns whose values spread out as
 * the chunk goes on (durations in a long capture).
 */
static inline bool checkpoint(const struct pq_dict *d, size_t i, size_t n, size_t plain, size_t *check,
			      size_t *k1)
{
	bool stop = *k1 != 0 && projected_loss(d, *k1, d->nentries, i / 2, n, plain);

	*k1 = d->nentries;
	*check = 2 * i <= n / 2 ? 2 * i : SIZE_MAX;
	return stop;
}

/* ------------------------------------------------------------ fixed width */

static inline uint64_t hash32(uint32_t x)
{
	return (uint64_t)x * FIB;
}

static inline uint64_t hash64(uint64_t x)
{
	return (x ^ (x >> 32)) * FIB;
}

/* `size` (4 or 8) is a constant at each call: the code is specialised. */
static inline __attribute__((always_inline)) uint64_t load(const void *v, size_t i, size_t size)
{
	return size == 4 ? ((const uint32_t *)v)[i] : ((const uint64_t *)v)[i];
}

static inline __attribute__((always_inline)) uint64_t hash_fixed(uint64_t x, size_t size)
{
	return size == 4 ? hash32((uint32_t)x) : hash64(x);
}

/*
 * Finds x (hash `hash`) in the table: returns its slot's entry + 1, or 0
 * with *at set to the empty slot where it belongs.
 */
static inline __attribute__((always_inline)) uint32_t probe_fixed(const struct pq_dict *d, uint64_t x,
								  uint64_t hash, unsigned shift, size_t size,
								  size_t *at)
{
	size_t mask = d->nslots - 1, h = (size_t)(hash >> shift);

	for (;; h = (h + 1) & mask) {
		if (size == 4) {
			uint64_t s = d->slots[h];

			if (s == 0)
				break;
			if ((s >> 32) == x)
				return (uint32_t)s;
		} else {
			uint64_t e = d->slots[2 * h + 1];

			if (e == 0)
				break;
			if (d->slots[2 * h] == x)
				return (uint32_t)e;
		}
	}
	*at = h;
	return 0;
}

static inline __attribute__((always_inline)) void put_fixed(struct pq_dict *d, size_t h, uint64_t x,
							    uint32_t entry1, size_t size)
{
	if (size == 4) {
		d->slots[h] = x << 32 | entry1;
	} else {
		d->slots[2 * h] = x;
		d->slots[2 * h + 1] = entry1;
	}
}

/* Doubles the slot array (`words` uint64 per slot), zeroed; returns the
 * old array for the caller to re-place its slots from and free, or NULL
 * (table unchanged) if memory runs out. */
static uint64_t *double_slots(struct pq_dict *d, size_t words)
{
	size_t need = d->nslots * 2 * words;
	size_t alloc = need > d->slot_words ? need : d->slot_words;
	uint64_t *old = d->slots, *slots = malloc(alloc * sizeof(*slots));

	if (slots == NULL)
		return NULL;
	memset(slots, 0, need * sizeof(*slots));
	d->slots = slots;
	d->slot_words = alloc;
	d->nslots *= 2;
	return old;
}

/* Doubles the table, re-placing every slot. */
static inline __attribute__((always_inline)) int grow_fixed(struct pq_dict *d, size_t size)
{
	size_t old_n = d->nslots;
	uint64_t *old = double_slots(d, size == 4 ? 1 : 2);
	unsigned shift;

	if (old == NULL)
		return -1;
	shift = 64 - log2_of(d->nslots);
	for (size_t k = 0; k < old_n; k++) {
		uint64_t x = size == 4 ? old[k] >> 32 : old[2 * k];
		uint32_t e1 = size == 4 ? (uint32_t)old[k] : (uint32_t)old[2 * k + 1];
		size_t h = 0;

		if (e1 == 0)
			continue;
		probe_fixed(d, x, hash_fixed(x, size), shift, size, &h);
		put_fixed(d, h, x, e1, size);
	}
	free(old);
	return 0;
}

static inline __attribute__((always_inline)) int build_fixed(struct pq_dict *d, const void *v, size_t n,
							     size_t max_bytes, size_t size)
{
	const size_t plain = n * size;
	size_t check = first_check(d, n), k1 = 0;
	unsigned shift;

	if (prepare(d, n, size == 4 ? 1 : 2) < 0)
		return -1;
	shift = 64 - log2_of(d->nslots);
	for (size_t i = 0; i < n; i++) {
		uint64_t x = load(v, i, size);
		uint32_t e1;
		size_t h = 0;

		if (i == check && checkpoint(d, i, n, plain, &check, &k1))
			return 0;
		e1 = probe_fixed(d, x, hash_fixed(x, size), shift, size, &h);
		if (e1 == 0) {
			if (add_entry(d, i, 0, false) < 0)
				return -1;
			d->page_bytes += size;
			if (cannot_pay(d->page_bytes, d->nentries, n, plain, max_bytes))
				return 0;
			e1 = (uint32_t)d->nentries;
			put_fixed(d, h, x, e1, size);
			if (too_full(d->nentries, d->nslots, size / 4)) {
				if (grow_fixed(d, size) < 0)
					return -1;
				shift = 64 - log2_of(d->nslots);
			}
		}
		d->indices[i] = e1 - 1;
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

/* ------------------------------------------------------------ byte arrays */

/* 64 x 64 -> 128-bit multiply, folded: a strong, cheap mix of two words. */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t load64(const uint8_t *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

static inline uint32_t load32(const uint8_t *p)
{
	uint32_t w;

	memcpy(&w, p, 4);
	return w;
}

/*
 * A value's key: two words that, with its length, are the value itself
 * when it is at most SHORT_BYTES long (overlapping loads that stay inside
 * p[0..n): every byte lands in a word), and its first and last 8 bytes,
 * a quick filter before comparing, when it is longer.
 */
#define SHORT_BYTES 16

static inline void key_of(const uint8_t *p, size_t n, uint64_t *a, uint64_t *b)
{
	if (n >= 8) {
		*a = load64(p);
		*b = load64(p + n - 8);
	} else if (n >= 4) {
		*a = load32(p);
		*b = load32(p + n - 4);
	} else {
		*a = n ? (uint64_t)p[0] << 16 | (uint64_t)p[n / 2] << 8 | p[n - 1] : 0;
		*b = 0;
	}
}

/* The hash of p[0..n), given its key: the key for a short value, 16-byte
 * blocks and then the key of the rest for a long one. */
static inline uint64_t hash_key(const uint8_t *p, size_t n, uint64_t a, uint64_t b)
{
	uint64_t h = 0x243f6a8885a308d3ULL ^ n;
	size_t at = 0;

	if (n > SHORT_BYTES) {
		for (; n - at > SHORT_BYTES; at += SHORT_BYTES)
			h = mum(load64(p + at) ^ FIB, load64(p + at + 8) ^ h);
		key_of(p + at, n - at, &a, &b);
	}
	return mum(a ^ FIB ^ n, b ^ h);
}

static inline bool same_bytes(const uint8_t *data, const size_t *offs, size_t a, size_t b)
{
	size_t la = offs[a + 1] - offs[a];

	return la == offs[b + 1] - offs[b] && memcmp(data + offs[a], data + offs[b], la) == 0;
}

/*
 * A slot is three words: the key's two words, then the length (0xffff
 * for a long value) << 48 | the hash's low 16 bits << 32 | entry + 1.
 * A short value is found by comparing the slot alone, without touching
 * the column's data.
 */
static inline uint64_t slot_meta(size_t n, uint64_t hash)
{
	uint64_t len = n > SHORT_BYTES ? 0xffff : n;

	return (len << 48 | (hash & 0xffff) << 32);
}

/* Finds value i: its entry + 1, or 0 with *at the empty slot. */
static inline uint32_t probe_bytes(const struct pq_dict *d, const uint8_t *data, const size_t *offs, size_t i,
				   uint64_t a, uint64_t b, uint64_t meta, uint64_t hash, unsigned shift, size_t *at)
{
	const uint64_t *slots = d->slots;
	size_t mask = d->nslots - 1, h = (size_t)(hash >> shift);
	uint64_t m;

	for (; (m = slots[3 * h + 2]) != 0; h = (h + 1) & mask)
		if ((m & ~0xffffffffULL) == meta && slots[3 * h] == a && slots[3 * h + 1] == b &&
		    ((meta >> 48) != 0xffff || same_bytes(data, offs, d->first[(uint32_t)m - 1], i)))
			return (uint32_t)m;
	*at = h;
	return 0;
}

static int grow_bytes(struct pq_dict *d)
{
	size_t old_n = d->nslots;
	uint64_t *old = double_slots(d, 3), *slots = d->slots;
	unsigned shift;

	if (old == NULL)
		return -1;
	shift = 64 - log2_of(d->nslots);
	for (size_t k = 0; k < old_n; k++) {
		uint64_t m = old[3 * k + 2];
		size_t mask = d->nslots - 1, h;

		if (m == 0)
			continue;
		for (h = (size_t)(d->hashes[(uint32_t)m - 1] >> shift); slots[3 * h + 2] != 0; h = (h + 1) & mask)
			;
		memcpy(slots + 3 * h, old + 3 * k, 3 * sizeof(*slots));
	}
	free(old);
	return 0;
}

int pq_dict_build_bytes(struct pq_dict *d, const uint8_t *data, const size_t *offs, size_t n, size_t max_bytes)
{
	const size_t plain = n ? offs[n] - offs[0] + 4 * n : 0;
	size_t check = first_check(d, n), k1 = 0;
	unsigned shift;

	if (prepare(d, n, 3) < 0)
		return -1;
	shift = 64 - log2_of(d->nslots);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p = data + offs[i];
		size_t len = offs[i + 1] - offs[i], h = 0;
		uint64_t a, b, hash, meta;
		uint32_t e1;

		if (i == check && checkpoint(d, i, n, plain, &check, &k1))
			return 0;
		key_of(p, len, &a, &b);
		hash = hash_key(p, len, a, b);
		meta = slot_meta(len, hash);
		e1 = probe_bytes(d, data, offs, i, a, b, meta, hash, shift, &h);
		if (e1 == 0) {
			if (add_entry(d, i, hash, true) < 0)
				return -1;
			d->page_bytes += 4 + len;
			if (cannot_pay(d->page_bytes, d->nentries, n, plain, max_bytes))
				return 0;
			e1 = (uint32_t)d->nentries;
			d->slots[3 * h] = a;
			d->slots[3 * h + 1] = b;
			d->slots[3 * h + 2] = meta | e1;
			if (too_full(d->nentries, d->nslots, 3)) {
				if (grow_bytes(d) < 0)
					return -1;
				shift = 64 - log2_of(d->nslots);
			}
		}
		d->indices[i] = e1 - 1;
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
