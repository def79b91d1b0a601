/*
 * welford.h - running mean and variance in fixed space (Welford, 1962).
 *
 * The count is not kept here: every caller already has it (the engine
 * counts a flow's packets per direction; an IAT count is packets - 1), so a
 * statistic costs two doubles. `n` given to fp_welford_add() is the count
 * including the new value. Numerically stable whatever the packet count,
 * unlike sum/sum-of-squares (CICFlowMeter kept every value instead).
 */
#ifndef FP_FLOW_FEATURES_WELFORD_H
#define FP_FLOW_FEATURES_WELFORD_H

#include <math.h>
#include <stdint.h>

struct fp_welford {
	double mean;
	double m2;		/* sum of squared differences from the mean */
};

static inline void fp_welford_add(struct fp_welford *w, double x, uint64_t n)
{
	double delta = x - w->mean;

	w->mean += delta / (double)n;
	w->m2 += delta * (x - w->mean);
}

/* Sample variance (n - 1), as CICFlowMeter's commons-math statistics; 0
 * below two values. */
static inline double fp_welford_var(const struct fp_welford *w, uint64_t n)
{
	return n > 1 ? w->m2 / (double)(n - 1) : 0.0;
}

static inline double fp_welford_std(const struct fp_welford *w, uint64_t n)
{
	return sqrt(fp_welford_var(w, n));
}

/* a and b merged (Chan et al.): the statistic of both sets of values. */
static inline struct fp_welford fp_welford_merge(const struct fp_welford *a, uint64_t na,
						 const struct fp_welford *b, uint64_t nb)
{
	struct fp_welford m = { 0.0, 0.0 };
	double n = (double)na + (double)nb, delta = b->mean - a->mean;

	if (na + nb == 0)
		return m;
	m.mean = a->mean + delta * (double)nb / n;
	m.m2 = a->m2 + b->m2 + delta * delta * (double)na * (double)nb / n;
	return m;
}

/* Lengths: mean and variance, and the extremes as integers. */
struct fp_len_stats {
	struct fp_welford w;
	uint32_t min, max;
};

static inline void fp_len_stats_add(struct fp_len_stats *s, uint32_t x, uint64_t n)
{
	if (n == 1 || x < s->min)
		s->min = x;
	if (n == 1 || x > s->max)
		s->max = x;
	fp_welford_add(&s->w, (double)x, n);
}

/* Time spans (IATs, active and idle periods), all in ns: extremes exact,
 * mean and variance as doubles (a unit is applied once, at output). */
struct fp_span_stats {
	struct fp_welford w;
	int64_t min, max;
};

static inline void fp_span_stats_add(struct fp_span_stats *s, int64_t ns, uint64_t n)
{
	if (n == 1 || ns < s->min)
		s->min = ns;
	if (n == 1 || ns > s->max)
		s->max = ns;
	fp_welford_add(&s->w, (double)ns, n);
}

#endif
