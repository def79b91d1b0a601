/*
 * column-stats.c - column chunk statistics (see column-stats.h).
 *
 * Bounds are stored PLAIN-encoded without a length prefix, as
 * Statistics.min_value/max_value want. Doubles follow parquet.thrift's
 * rules for TYPE_ORDER: NaNs are counted in nan_count and never become a
 * bound, a zero minimum is written as -0.0 and a zero maximum as +0.0, and
 * a chunk of only NaNs (and nulls) gets no bounds.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "format/parquet/column-stats.h"

static void set_bound(struct pq_buf *b, const void *p, size_t n)
{
	pq_buf_clear(b);
	pq_buf_put(b, p, n);
}

static void set_bounds(struct pq_buf *min, struct pq_buf *max, const void *lo, const void *hi, size_t n,
		       struct pq_chunk_info *info)
{
	set_bound(min, lo, n);
	set_bound(max, hi, n);
	if (min->failed || max->failed)
		return;
	info->has_min_max = true;
	info->min = min->p;
	info->min_len = n;
	info->max = max->p;
	info->max_len = n;
}

/* Integer min/max in one tight loop per type, over all values or a pick. */
#define DEFINE_MINMAX(name, type)                                                              \
	static void name(const type *x, size_t n, const uint32_t *pick, size_t npick, type *lo, type *hi) \
	{                                                                                      \
		type a = pick ? x[pick[0]] : x[0], b = a;                                      \
		if (pick) {                                                                    \
			for (size_t k = 1; k < npick; k++) {                                   \
				type y = x[pick[k]];                                           \
				a = y < a ? y : a;                                             \
				b = y > b ? y : b;                                             \
			}                                                                      \
		} else {                                                                       \
			for (size_t i = 1; i < n; i++) {                                       \
				a = x[i] < a ? x[i] : a;                                       \
				b = x[i] > b ? x[i] : b;                                       \
			}                                                                      \
		}                                                                              \
		*lo = a;                                                                       \
		*hi = b;                                                                       \
	}

DEFINE_MINMAX(minmax_i32, int32_t)
DEFINE_MINMAX(minmax_i64, int64_t)

static void stats_i32(const struct pq_values *v, const uint32_t *pick, size_t npick, struct pq_buf *min,
		      struct pq_buf *max, struct pq_chunk_info *info)
{
	int32_t lo, hi;
	uint8_t a[4], b[4];

	minmax_i32((const int32_t *)(const void *)v->fixed, v->n, pick, npick, &lo, &hi);
	pq_store_le32(a, (uint32_t)lo);
	pq_store_le32(b, (uint32_t)hi);
	set_bounds(min, max, a, b, 4, info);
}

static void stats_i64(const struct pq_values *v, const uint32_t *pick, size_t npick, struct pq_buf *min,
		      struct pq_buf *max, struct pq_chunk_info *info)
{
	int64_t lo, hi;
	uint8_t a[8], b[8];

	minmax_i64((const int64_t *)(const void *)v->fixed, v->n, pick, npick, &lo, &hi);
	pq_store_le64(a, (uint64_t)lo);
	pq_store_le64(b, (uint64_t)hi);
	set_bounds(min, max, a, b, 8, info);
}

/* Over all values: nan_count must count every NaN, not dictionary entries. */
static void stats_double(const struct pq_values *v, struct pq_buf *min, struct pq_buf *max,
			 struct pq_chunk_info *info)
{
	const double *x = (const double *)(const void *)v->fixed;
	double lo = INFINITY, hi = -INFINITY;
	int64_t nans = 0;
	uint64_t bits;
	uint8_t a[8], b[8];

	for (size_t i = 0; i < v->n; i++) {
		if (isnan(x[i])) {
			nans++;
			continue;
		}
		lo = x[i] < lo ? x[i] : lo;
		hi = x[i] > hi ? x[i] : hi;
	}
	info->has_nan_count = true;
	info->nan_count = nans;
	if ((size_t)nans == v->n)
		return;
	if (lo == 0)
		lo = -0.0;
	if (hi == 0)
		hi = 0.0;
	memcpy(&bits, &lo, 8);
	pq_store_le64(a, bits);
	memcpy(&bits, &hi, 8);
	pq_store_le64(b, bits);
	set_bounds(min, max, a, b, 8, info);
}

static void stats_bool(const struct pq_values *v, struct pq_buf *min, struct pq_buf *max, struct pq_chunk_info *info)
{
	bool any_true = false, any_false = false;
	uint8_t lo, hi;

	for (size_t i = 0; i < v->n && !(any_true && any_false); i++) {
		if (v->fixed[i])
			any_true = true;
		else
			any_false = true;
	}
	lo = any_false ? 0 : 1;
	hi = any_true ? 1 : 0;
	set_bounds(min, max, &lo, &hi, 1, info);
}

/* Unsigned byte-wise order; a proper prefix sorts first. */
static int cmp_bytes(const uint8_t *a, size_t la, const uint8_t *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);

	if (c != 0)
		return c;
	return la < lb ? -1 : la > lb;
}

static void stats_bytes(const struct pq_values *v, const uint32_t *pick, size_t npick, struct pq_buf *min,
			struct pq_buf *max, struct pq_chunk_info *info)
{
	size_t count = pick ? npick : v->n;
	size_t lo = pick ? pick[0] : 0, hi = lo;
	size_t llo, lhi;

	for (size_t k = 1; k < count; k++) {
		size_t i = pick ? pick[k] : k;
		const uint8_t *p = v->data + v->offs[i];
		size_t len = v->offs[i + 1] - v->offs[i];

		if (cmp_bytes(p, len, v->data + v->offs[lo], v->offs[lo + 1] - v->offs[lo]) < 0)
			lo = i;
		else if (cmp_bytes(p, len, v->data + v->offs[hi], v->offs[hi + 1] - v->offs[hi]) > 0)
			hi = i;
	}
	llo = v->offs[lo + 1] - v->offs[lo];
	lhi = v->offs[hi + 1] - v->offs[hi];
	if (llo > PQ_STATS_MAX_BOUND || lhi > PQ_STATS_MAX_BOUND)
		return;
	set_bound(min, v->data + v->offs[lo], llo);
	set_bound(max, v->data + v->offs[hi], lhi);
	if (min->failed || max->failed)
		return;
	info->has_min_max = true;
	/* An empty bound leaves the buffer unallocated: point at something. */
	info->min = llo ? min->p : (const uint8_t *)"";
	info->min_len = llo;
	info->max = lhi ? max->p : (const uint8_t *)"";
	info->max_len = lhi;
}

void pq_chunk_stats(const struct pq_column_desc *desc, const struct pq_values *v, const uint32_t *pick,
		    size_t npick, struct pq_buf *min, struct pq_buf *max, struct pq_chunk_info *info)
{
	info->has_min_max = false;
	info->has_nan_count = false;
	info->legacy_min_max = false;
	if (desc->ptype == PQ_DOUBLE) {
		/* nan_count is due even when every value is null. */
		stats_double(v, min, max, info);
		info->legacy_min_max = info->has_min_max;
		return;
	}
	if (v->n == 0 || (pick != NULL && npick == 0))
		return;
	switch (desc->ptype) {
	case PQ_INT32:
		stats_i32(v, pick, npick, min, max, info);
		info->legacy_min_max = info->has_min_max;
		break;
	case PQ_INT64:
		stats_i64(v, pick, npick, min, max, info);
		info->legacy_min_max = info->has_min_max;
		break;
	case PQ_BOOLEAN:
		stats_bool(v, min, max, info);
		break;
	case PQ_BYTE_ARRAY:
		stats_bytes(v, pick, npick, min, max, info);
		break;
	default:
		break;
	}
}
