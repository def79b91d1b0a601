/*
 * flow-mem.h - large zeroed blocks for the flow table, on huge pages.
 *
 * With a million flows the table's cost is cache and TLB misses: every
 * packet lands on a random entry and a random index slot. Blocks of 2 MiB
 * or more are mapped 2 MiB-aligned, offered to transparent huge pages when
 * asked (madvise; a no-op where unsupported), which removes most TLB
 * misses, and are unmapped when freed, so the memory goes back to the
 * system at once. Smaller blocks come from calloc.
 *
 * Only the index asks for huge pages. On the 2-core VMs this runs on, the
 * kernel takes about 4x longer to fault in fresh memory as huge pages than
 * as 4 KiB pages (0.45 against 2 GB/s, first touch in a new process), and
 * the entries are most of the memory (112 of 129 MB at 1 M flows) and are
 * faulted in once each: on `many` entries on huge pages made the run ~15 %
 * slower in total with the same user time, and `medium` did not change.
 * The index is small and hit at random by every packet, so there the TLB
 * saving wins.
 */
#ifndef FP_FLOW_FLOW_MEM_H
#define FP_FLOW_FLOW_MEM_H

#include <stdbool.h>
#include <stddef.h>

#define FP_FLOW_MEM_HUGE ((size_t)2 << 20)

/* `size` zeroed bytes, or NULL; on huge pages if `huge` (and size allows).
 * Free with fp_flow_mem_free(p, size). */
void *fp_flow_mem_alloc(size_t size, bool huge);
void fp_flow_mem_free(void *p, size_t size);

#endif
