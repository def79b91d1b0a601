/*
 * flow-mem.c - huge-page friendly blocks (see flow-mem.h).
 *
 * mmap() gives no alignment beyond a page, so a 2 MiB-aligned block is cut
 * from a mapping one huge page larger, and the unaligned head and tail are
 * unmapped again. Large blocks are whole huge pages (the flow table asks
 * for such sizes anyway), so either page size can back them.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "flow/flow-mem.h"

/* Mapped length for a large block: whole huge pages. */
static size_t mapped_length(size_t size)
{
	return (size + FP_FLOW_MEM_HUGE - 1) / FP_FLOW_MEM_HUGE * FP_FLOW_MEM_HUGE;
}

void *fp_flow_mem_alloc(size_t size, bool huge)
{
	uint8_t *map, *p;
	size_t head;

	if (size < FP_FLOW_MEM_HUGE)
		return calloc(1, size);
	if (size > SIZE_MAX / 2)
		return NULL;
	size = mapped_length(size);
	map = mmap(NULL, size + FP_FLOW_MEM_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return NULL;
	head = (FP_FLOW_MEM_HUGE - (uintptr_t)map % FP_FLOW_MEM_HUGE) % FP_FLOW_MEM_HUGE;
	p = map + head;
	if (head > 0)
		munmap(map, head);
	munmap(p + size, FP_FLOW_MEM_HUGE - head);
#ifdef MADV_HUGEPAGE
	if (huge)
		(void)madvise(p, size, MADV_HUGEPAGE);	/* only advice: without it we still work */
#endif
	return p;
}

void fp_flow_mem_free(void *p, size_t size)
{
	if (p == NULL)
		return;
	if (size < FP_FLOW_MEM_HUGE)
		free(p);
	else
		munmap(p, mapped_length(size));
}
