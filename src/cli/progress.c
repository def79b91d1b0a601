/*
 * progress.c - one self-overwriting status line on stderr.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/progress.h"

#define PROGRESS_INTERVAL 0.25

void progress_init(struct progress *p, bool enabled, uint64_t total_bytes)
{
	p->enabled = enabled && isatty(STDERR_FILENO);
	p->total_bytes = total_bytes;
	p->start = monotonic_seconds();
	p->last_draw = 0;
	atomic_init(&p->bytes_done, 0);
	atomic_init(&p->packets, 0);
	atomic_init(&p->active_flows, 0);
	atomic_init(&p->flows_written, 0);
}

static void short_count(uint64_t v, char *buf, size_t size)
{
	if (v >= 10000000)
		snprintf(buf, size, "%.0fM", (double)v / 1e6);
	else if (v >= 1000000)
		snprintf(buf, size, "%.1fM", (double)v / 1e6);
	else if (v >= 10000)
		snprintf(buf, size, "%.0fk", (double)v / 1e3);
	else
		snprintf(buf, size, "%llu", (unsigned long long)v);
}

void progress_draw(struct progress *p, bool force)
{
	double now, elapsed;
	uint64_t done, pkts, written;
	int64_t active;
	char a[16], b[16], c[16], d[16], share[16] = "";

	if (!p->enabled)
		return;
	now = monotonic_seconds();
	if (!force && now - p->last_draw < PROGRESS_INTERVAL)
		return;
	p->last_draw = now;
	elapsed = now - p->start;
	done = atomic_load_explicit(&p->bytes_done, memory_order_relaxed);
	pkts = atomic_load_explicit(&p->packets, memory_order_relaxed);
	active = atomic_load_explicit(&p->active_flows, memory_order_relaxed);
	written = atomic_load_explicit(&p->flows_written, memory_order_relaxed);
	if (p->total_bytes && done <= p->total_bytes)	/* compressed inputs read more than their size */
		snprintf(share, sizeof(share), "%3.0f%% ", 100.0 * (double)done / (double)p->total_bytes);
	short_count(pkts, a, sizeof(a));
	short_count(elapsed > 0 ? (uint64_t)((double)pkts / elapsed) : 0, b, sizeof(b));
	short_count(active > 0 ? (uint64_t)active : 0, c, sizeof(c));
	short_count(written, d, sizeof(d));
	fprintf(stderr, "\r\033[K%s%s packets, %s packets/s, %s active flows, %s flows written", share, a, b, c, d);
	fflush(stderr);
}

void progress_clear(struct progress *p)
{
	if (p->enabled && p->last_draw > 0) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}
