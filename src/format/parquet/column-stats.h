/*
 * column-stats.h - the statistics of a column chunk: null count, NaN
 * count (DOUBLE), and min/max in the column's type-defined order (signed
 * for integers and timestamps, numeric for doubles, unsigned byte-wise for
 * strings and binary, false < true for booleans).
 *
 * When the chunk is dictionary-encoded, min/max are taken over the
 * dictionary entries only (the same set of values, far fewer of them).
 */
#ifndef FP_FORMAT_PARQUET_COLUMN_STATS_H
#define FP_FORMAT_PARQUET_COLUMN_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "format/parquet/column-writer.h"
#include "format/parquet/encode-plain.h"
#include "format/parquet/write-buf.h"

/* Bounds longer than this are left out (the statistics then carry only
 * the counts): a footer should not hold copies of huge values. */
#define PQ_STATS_MAX_BOUND 1024

/*
 * Fills the statistics fields of `info` (null_count is the caller's). If
 * `pick` is not NULL, min/max consider only values pick[0..npick). The
 * bounds are copied into `min` and `max`, which `info` then points into.
 */
void pq_chunk_stats(const struct pq_column_desc *desc, const struct pq_values *v, const uint32_t *pick,
		    size_t npick, struct pq_buf *min, struct pq_buf *max, struct pq_chunk_info *info);

#endif
