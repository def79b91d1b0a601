/*
 * active-idle.c - active and idle periods (see active-idle.h).
 */
#include "config.h"

#include "flow/features/active-idle.h"

void fp_active_idle_start(struct fp_active_idle *a, int64_t t)
{
	a->active_start = t;
}

static void close_active(struct fp_active_idle *a, int64_t last)
{
	if (last - a->active_start > 0)
		fp_span_stats_add(&a->active, last - a->active_start, ++a->nactive);
}

void fp_active_idle_packet(struct fp_active_idle *a, int64_t prev, int64_t t)
{
	if (t - prev <= FP_ACTIVE_GAP_NS)
		return;
	close_active(a, prev);
	fp_span_stats_add(&a->idle, t - prev, ++a->nidle);
	a->active_start = t;
}

void fp_active_idle_end(struct fp_active_idle *a, int64_t last)
{
	close_active(a, last);
}
