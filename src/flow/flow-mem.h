/*
 * flow-mem.h - large zeroed blocks for the flow table, on huge pages.
 *
 * With a million flows the table's cost is cache and TLB misses: every
 * packet lands on a random entry and a random index slot. Blocks of 2 MiB
 * or more are mapped 2 MiB-aligned and offered to transparent huge pages
 * (madvise; a no-op where unsupported), which removes most TLB misses, and
 * are unmapped when freed, so the memory goes back to the system at once.
 * Smaller blocks come from calloc.
 */
#ifndef FP_FLOW_FLOW_MEM_H
#define FP_FLOW_FLOW_MEM_H

#include <stddef.h>

#define FP_FLOW_MEM_HUGE ((size_t)2 << 20)

/* `size` zeroed bytes, or NULL. Free with fp_flow_mem_free(p, size). */
void *fp_flow_mem_alloc(size_t size);
void fp_flow_mem_free(void *p, size_t size);

#endif
