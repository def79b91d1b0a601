/*
 * column-dict.h - building the dictionary of one column chunk.
 *
 * The dictionary maps each distinct value to an index in first-seen
 * order; it is kept as `first[k]` = the position of entry k's first
 * occurrence among the chunk's values, so no value is copied and the
 * dictionary page is written straight from the column's buffers. The
 * hash table (open addressing, linear probing) and the
 * index array are reused from one row group to the next.
 *
 * Fixed-width values are compared by bit pattern (so -0.0 and 0.0, or two
 * NaN payloads, stay distinct and round-trip exactly); byte arrays by
 * length and bytes.
 */
#ifndef FP_FORMAT_PARQUET_COLUMN_DICT_H
#define FP_FORMAT_PARQUET_COLUMN_DICT_H

#include <stddef.h>
#include <stdint.h>

struct pq_dict {
	uint64_t *slots;	/* 0 = empty, else hash tag << 32 | (entry + 1) */
	size_t nslots;		/* a power of two */
	uint32_t *first;	/* entry -> index of its first value */
	uint64_t *hashes;	/* entry -> hash (byte arrays: speeds up probing and rehashing) */
	size_t nentries;
	size_t cap_entries;
	uint32_t *indices;	/* value -> entry */
	size_t cap_indices;
	size_t page_bytes;	/* size of the PLAIN dictionary page */
};

/*
 * Build the dictionary of v[0..n). Return 1 when built, 0 when its PLAIN
 * size would pass `max_bytes` (the caller falls back to PLAIN), -1 when
 * memory ran out.
 */
int pq_dict_build_u32(struct pq_dict *d, const uint32_t *v, size_t n, size_t max_bytes);
int pq_dict_build_u64(struct pq_dict *d, const uint64_t *v, size_t n, size_t max_bytes);
/* Byte arrays: value i is data[offs[i] .. offs[i + 1]). */
int pq_dict_build_bytes(struct pq_dict *d, const uint8_t *data, const size_t *offs, size_t n, size_t max_bytes);

void pq_dict_free(struct pq_dict *d);

#endif
