/*
 * merge-source.h - several sources as one, in timestamp order: a k-way
 * merge for `flowprep pcap --merge` (rotated captures of one link, whose
 * flows cross file boundaries, metered by one meter).
 *
 * Each input holds at most one packet ahead (its bytes are valid until
 * that input is read again, and it is read again only on the call after
 * its packet was handed out), so memory is one packet per input and a
 * binary heap picks the earliest in O(log k). Equal times go to the input
 * given first, so the order is deterministic. All inputs must share one
 * link type (the meter decodes one). An input that breaks is reported
 * through `on_error` and dropped; the others go on.
 */
#ifndef FP_CLI_MERGE_SOURCE_H
#define FP_CLI_MERGE_SOURCE_H

#include <stddef.h>

#include "lib/error.h"
#include "source/source.h"

typedef void (*merge_error_fn)(void *ctx, size_t input, const struct fp_error *err);

/* Takes ownership of the n sources (n >= 1; entries may be NULL for
 * inputs that could not be opened, and are skipped). */
struct fp_source *merge_source_new(struct fp_source **sources, size_t n, merge_error_fn on_error, void *ctx,
				   struct fp_error *err);

#endif
