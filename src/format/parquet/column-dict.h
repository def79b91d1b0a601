/*
 * column-dict.h - building the dictionary of one column chunk.
 *
 * The dictionary maps each distinct value to an index in first-seen
 * order; it is kept as `first[k]` = the position of entry k's first
 * occurrence among the chunk's values, so no value is copied and the
 * dictionary page is written straight from the column's buffers.
 *
 * One struct pq_dict serves every column of a writer in turn (columns
 * are flushed one after the other), so its hash table and arrays are
 * allocated once, at the size of the largest column, and stay warm.
 * The hash table (open addressing, linear probing, at most half full)
 * holds fixed-width values themselves, so a probe touches one slot and
 * nothing else; it is sized from a hint (the column's distinct count in
 * its previous chunk) so it seldom has to grow while building.
 *
 * Building stops early, returning 0, as soon as the dictionary cannot
 * win: its PLAIN page would pass `max_bytes`, or the dictionary page
 * plus bit-packed indices can no longer be smaller than the PLAIN values
 * (both only grow as entries are added, so this is exact, not a guess).
 * With bail_ratio > 0 it also stops, an eighth, a quarter or half of the
 * way into a large chunk, when the distinct count so far projects a
 * dictionary page plus indices of at least bail_ratio times the PLAIN
 * size: a guess (data whose first part is unlike the rest can fool it),
 * but it spares building, for nothing, the dictionary of a column of
 * almost unique values (timestamps, durations), the costliest work of
 * the writer.
 *
 * Fixed-width values are compared by bit pattern (so -0.0 and 0.0, or two
 * NaN payloads, stay distinct and round-trip exactly); byte arrays by
 * length and bytes.
 */
#ifndef FP_FORMAT_PARQUET_COLUMN_DICT_H
#define FP_FORMAT_PARQUET_COLUMN_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pq_dict {
	uint64_t *slots;	/* the hash table; layout depends on the value kind */
	size_t nslots;		/* slots in use for this build, a power of two */
	size_t slot_words;	/* uint64_t words allocated */
	uint32_t *first;	/* entry -> index of its first value */
	uint64_t *hashes;	/* byte arrays: entry -> hash (for rehashing) */
	size_t nentries;
	size_t cap_entries;
	size_t cap_hashes;
	uint32_t *indices;	/* value -> entry */
	size_t cap_indices;
	size_t page_bytes;	/* size of the PLAIN dictionary page */
	size_t hint;		/* expected entries, 0 = unknown; set by the caller */
	double bail_ratio;	/* > 0: stop on a projection (see below); set by the caller */
};

/*
 * Build the dictionary of v[0..n). Return 1 when built, 0 when it cannot
 * pay (see above; the caller falls back to PLAIN), -1 when memory ran out.
 */
int pq_dict_build_u32(struct pq_dict *d, const uint32_t *v, size_t n, size_t max_bytes);
int pq_dict_build_u64(struct pq_dict *d, const uint64_t *v, size_t n, size_t max_bytes);
/* Byte arrays: value i is data[offs[i] .. offs[i + 1]). */
int pq_dict_build_bytes(struct pq_dict *d, const uint8_t *data, const size_t *offs, size_t n, size_t max_bytes);

void pq_dict_free(struct pq_dict *d);

#endif
