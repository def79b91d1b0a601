/*
 * input-filter.h - a source that passes on only the packets asked for:
 * those matching a BPF expression (compiled by libpcap for the source's
 * own link type, as tcpdump does) and inside a time window.
 *
 * It wraps another source and is a source itself, so the meter, the merge
 * and the progress line do not know it is there. Packets it drops are
 * counted in *filtered (owned by the caller; one filter per counter, so
 * threads never share one).
 */
#ifndef FP_CLI_INPUT_FILTER_H
#define FP_CLI_INPUT_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"
#include "source/source.h"

struct input_filter_config {
	const char *bpf;		/* NULL: none */
	bool has_since, has_until;
	int64_t since_ns, until_ns;	/* [since, until) */
};

static inline bool input_filter_active(const struct input_filter_config *c)
{
	return c->bpf != NULL || c->has_since || c->has_until;
}

/* Returns a source filtering `inner` (which it then owns), `inner` itself
 * when nothing is to be filtered, or NULL (err set; `inner` closed) when
 * the expression does not compile for inner's link type. */
struct fp_source *input_filter_wrap(struct fp_source *inner, const struct input_filter_config *c,
				    uint64_t *filtered, struct fp_error *err);

/* Checks that `bpf` compiles (for Ethernet) before any work is done. */
int input_filter_check(const char *bpf, struct fp_error *err);

#endif
