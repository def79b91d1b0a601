/*
 * prefault.h - fresh memory faulted in by a helper thread.
 *
 * The first write to each page of fresh anonymous memory makes the kernel
 * find and zero a page: at a million flows that is a tenth of the
 * metering thread's time (112 MB of entries). A table that has just mapped
 * memory it will fill soon asks a helper to fault it in meanwhile
 * (MADV_POPULATE_WRITE, Linux 5.14 and later), so the metering thread
 * finds the pages there.
 *
 * Only a hint: populating never changes what memory holds (no byte is
 * written), so a request may race with the owner writing the same pages,
 * or come after the memory was unmapped (the call then fails, unseen).
 * Requests that find the queue full, or a kernel without the call, are
 * dropped. Any thread may request.
 */
#ifndef FP_LIB_PREFAULT_H
#define FP_LIB_PREFAULT_H

#include <stddef.h>

struct fp_prefault;

/* NULL when no thread can be had (callers then simply do not ask). */
struct fp_prefault *fp_prefault_start(void);

/* Asks for [addr, addr + len) to be faulted in; never waits. */
void fp_prefault_request(struct fp_prefault *pf, void *addr, size_t len);

/* Ends the helper (after the request it is on) and frees it. */
void fp_prefault_free(struct fp_prefault *pf);

#endif
